/*
 * test_multinic: an NVA with several NICs (NV-01..NV-04): its "nics" as
 * the parser reads them and the errors at their JSON paths, the NIC its
 * guest sends a packet out of, each NIC's own effective routes, and walks
 * in by one NIC and out of another, with IP forwarding per NIC. The
 * topology is examples/multi-nic-nva.json's, with the firewall's extra NICs
 * given. Documents use ' for ".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "../../topo/topo.h"
#include "../../emu/model/plan.h"
#include "../../emu/model/sdn.h"
#include "../../emu/model/walk.h"
#include "../../emu/model/walkstep.h"
#include "t.h"
#include "tjson.h"
#include "tplan.h"

#define TRUSTED	"{'name':'trusted','subnet':'trust','ip':'10.1.3.4'," \
		"'routes':['10.0.0.0/8']}"

/*
 * The hub's firewall fw (primary in untrust) with the extra NICs nics, two
 * spokes whose route table sends 0.0.0.0/0 to 10.1.3.4; untrust's table
 * sends 0.0.0.0/0 to the Internet, trust's to None. x: more top fields.
 */
static char *
doc(const char *nics, const char *x)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "{'name':'t','regions':[{'name':'r','hub':{"
	    "'name':'hub','address_space':['10.1.0.0/16'],'subnets':{"
	    "'untrust':'10.1.2.0/24','trust':'10.1.3.0/24','dmz':'10.1.4.0/24',"
	    "'GatewaySubnet':'10.1.0.0/27','RouteServerSubnet':'10.1.1.0/27',"
	    "'AzureFirewallSubnet':'10.1.5.0/26','x0':'10.1.6.0/24',"
	    "'x1':'10.1.7.0/24'},"
	    "'nvas':[{'name':'fw','subnet':'untrust','ip':'10.1.2.4',"
	    "'bgp':false,'nics':[%s]}]},'spokes':[{'name':'s1',"
	    "'address_space':['10.2.0.0/16'],'subnets':{'app':'10.2.1.0/24'},"
	    "'vms':[{'name':'vm1','subnet':'app'}]},{'name':'s2',"
	    "'address_space':['10.3.0.0/16'],'subnets':{'app':'10.3.1.0/24'},"
	    "'vms':[{'name':'vm2','subnet':'app'}]}]}],'route_tables':["
	    "{'name':'spokes','subnets':['s1/app','s2/app'],'routes':[{'name':"
	    "'d','prefix':'0.0.0.0/0','next_hop_type':'VirtualAppliance',"
	    "'next_hop_ip':'10.1.3.4'}]},{'name':'u','subnets':['hub/untrust'],"
	    "'routes':[{'name':'i','prefix':'0.0.0.0/0','next_hop_type':"
	    "'Internet'}]},{'name':'tr','subnets':['hub/trust'],'routes':[{"
	    "'name':'n','prefix':'0.0.0.0/0','next_hop_type':'None'}]}]%s}",
	    nics, x);
	return q(buf);
}

static struct topo *
load(const char *nics, const char *x, struct topo_err *err)
{
	struct topo *t = NULL;
	char *j = doc(nics, x);

	if (topo_load_string(j, strlen(j), &t, err) == -1)
		t = NULL;
	free(j);
	return t;
}

static void
expect_err(const char *nics, const char *x, const char *path,
    const char *want, const char *desc)
{
	struct topo_err err = { .msg = "" };
	struct topo *t = load(nics, x, &err);
	int ok = t == NULL && strcmp(err.path, path) == 0 &&
	    strstr(err.msg, want) != NULL;

	if (!T_OK(ok, "%s", desc))
		printf("#   want path \"%s\" msg ~ \"%s\"\n#   got path \"%s\" "
		    "msg \"%s\"\n", path, want, err.path, err.msg);
	topo_free(t);
}

#define NICS0	"regions[0].hub.nvas[0].nics[0]"
#define NICS1	"regions[0].hub.nvas[0].nics[1]"

static void
test_parse(void)
{
	struct topo_err err = { .msg = "" };
	struct topo *t;
	const struct topo_node *fw;
	const struct topo_nic *tr;

	t = load(TRUSTED, "", &err);
	if (!T_OK(t != NULL, "NV-01: an NVA with a trusted NIC loads (%s)",
	    err.msg))
		return;
	fw = topo_node_find(t, "fw");
	tr = topo_nic_find(t, "fw/trusted");
	T_OK(fw->nnics == 2 && fw->nics[0] == fw->nic && tr == fw->nics[1] &&
	    tr->node == fw && tr->slot == 1 && tr->idx == fw->nic->idx + 1 &&
	    t->nics[tr->idx] == tr && topo_nic_find(t, "fw") == fw->nic,
	    "NV-01: fw's primary keeps its name, its extra NIC is fw/trusted, "
	    "numbered right after it");
	T_OK(tr->subnet == topo_subnet_find(topo_vnet_find(t, "hub"), "trust") &&
	    tr->ip == 0x0a010304u && tr->ip_forwarding && tr->nroutes == 1 &&
	    tr->routes[0].addr == 0x0a000000u && tr->routes[0].len == 8 &&
	    strcmp(tr->jpath, NICS0) == 0 && topo_nic_by_ip(t, 0x0a010304u) == tr,
	    "NV-01, NV-02: its subnet, address, IP forwarding (the primary's "
	    "by default) and routes");
	topo_free(t);

	t = load("{'name':'a','subnet':'trust'},{'name':'b','subnet':'dmz',"
	    "'ip_forwarding':false}", "", &err);
	if (T_OK(t != NULL, "NV-01: two extra NICs without addresses load (%s)",
	    err.msg)) {
		T_OK(topo_nic_find(t, "fw/a")->ip == 0x0a010304u &&
		    topo_nic_find(t, "fw/b")->ip == 0x0a010404u &&
		    !topo_nic_find(t, "fw/b")->ip_forwarding &&
		    topo_nic_find(t, "fw/c") == NULL,
		    "NV-01, NV-02: each gets its subnet's first free address from "
		    ".4; ip_forwarding false is kept");
		topo_free(t);
	}

	expect_err("{'name':'x','subnet':'other'}", "", NICS0 ".subnet",
	    "every NIC of a VM is in the VM's VNet (NV-01)",
	    "NV-01: a NIC in a subnet outside the NVA's VNet is refused at "
	    "its path");
	expect_err("{'name':'x','subnet':'trust'},{'name':'x','subnet':'dmz'}",
	    "", NICS1 ".name", "declared twice",
	    "NV-01: a NIC name given twice is refused");
	expect_err("{'name':'x','subnet':'trust','ip':'10.1.4.9'}", "",
	    NICS0 ".ip", "outside subnet \"trust\"",
	    "NV-01: an address outside the NIC's subnet is refused");
	expect_err("{'name':'x','subnet':'untrust'}", "", NICS0 ".subnet",
	    "already in subnet \"untrust\"",
	    "NV-03: a second NIC of the NVA in the primary's subnet is refused");
	expect_err("{'name':'x','subnet':'trust'},{'name':'y','subnet':'dmz',"
	    "'ip':'10.1.3.4'}", "", NICS1 ".ip", "outside subnet",
	    "NV-01: an address of another subnet is refused at the NIC's ip");
	expect_err("{'name':'g','subnet':'GatewaySubnet'}", "", NICS0 ".subnet",
	    "GatewaySubnet belongs to the gateways",
	    "NV-01: a NIC in GatewaySubnet is refused as for any NIC");
	expect_err("{'name':'g','subnet':'RouteServerSubnet'}", "",
	    NICS0 ".subnet", "(RS-03)",
	    "NV-01, RS-03: a NIC in RouteServerSubnet is refused");
	expect_err("{'name':'g','subnet':'AzureFirewallSubnet'}", "", NICS0,
	    "AzureFirewallSubnet",
	    "NV-01, RS-55: a NIC in AzureFirewallSubnet is refused");
	expect_err("{'name':'x','subnet':'trust','routes':['0.0.0.0/0']}", "",
	    NICS0 ".routes[0]", "the default route is the primary NIC's (NV-03)",
	    "NV-03: a default route out of an extra NIC is refused");
	expect_err("{'name':'a','subnet':'trust','routes':['10.0.0.0/8']},"
	    "{'name':'b','subnet':'dmz','routes':['10.0.0.0/8']}", "",
	    NICS1 ".routes[0]", "10.0.0.0/8 is routed out of NIC fw/a already",
	    "NV-03: a prefix routed out of two NICs is refused");
	expect_err("{'name':'a','subnet':'trust','routes':['10.1.4.0/24']},"
	    "{'name':'b','subnet':'dmz'}", "", NICS0 ".routes[0]",
	    "10.1.4.0/24 is subnet \"dmz\" of NIC fw/b",
	    "NV-03: a route that is a NIC's own subnet is refused");
	{
		struct topo_err e2 = { .msg = "" };
		char *d = doc(TRUSTED, ""), *n = strstr(d, "\"nvas\":["), *j, *b;
		struct topo *t2 = NULL;

		/*
		 * fw speaks BGP with the hub's Route Server: trusted's
		 * 10.0.0.0/8 holds hub-rs0's 10.1.1.4
		 */
		j = xcalloc(1, strlen(d) + 32);
		memcpy(j, d, (size_t)(n - d));
		strcat(j, "\"route_server\":{},");
		strcat(j, n);
		free(d);
		b = strstr(j, "\"bgp\":false");
		memcpy(b, "\"asn\":65001", strlen("\"asn\":65001"));
		memset(b + strlen("\"asn\":65001"), ' ',
		    strlen("\"bgp\":false") - strlen("\"asn\":65001"));
		T_OK(topo_load_string(j, strlen(j), &t2, &e2) == -1 &&
		    strcmp(e2.path, NICS0 ".routes[0]") == 0 &&
		    strstr(e2.msg, "10.0.0.0/8 holds 10.1.1.4, Route Server "
		    "instance hub-rs0") != NULL && strstr(e2.msg, "(NV-06)") != NULL,
		    "NV-06: a guest route of a BGP NVA's extra NIC that holds a "
		    "Route Server it peers with is refused at its path (%s: %s)",
		    e2.path, e2.msg);
		topo_free(t2);
		free(j);
	}
	expect_err("{'name':'x','subnet':'trust','mtu':9000}", "", NICS0 ".mtu",
	    "unknown field \"mtu\"", "NV-01: an unknown field of a NIC is "
	    "refused");
	expect_err(TRUSTED, ",'network_security_groups':[{'name':'n',"
	    "'nics':['fw/nosuch']}]", "network_security_groups[0].nics[0]",
	    "names no VM or NVA", "NV-01, NS-04: an NSG on an unknown extra "
	    "NIC is refused");
	t = load(TRUSTED, ",'network_security_groups':[{'name':'n',"
	    "'nics':['fw/trusted']}]", &err);
	if (T_OK(t != NULL, "NV-01, NS-04: an NSG on fw/trusted loads (%s)",
	    err.msg)) {
		T_OK(topo_nic_find(t, "fw/trusted")->nsg != NULL &&
		    topo_node_find(t, "fw")->nic->nsg == NULL,
		    "NV-01, NS-04: it is the trusted NIC's, not the primary's");
		topo_free(t);
	}
}

/* NV-01: at most TOPO_NVA_NICS_MAX NICs, the primary included. */
static void
test_cap(void)
{
	expect_err("{'name':'a','subnet':'trust'},{'name':'b','subnet':'dmz'},"
	    "{'name':'c','subnet':'x0'},{'name':'d','subnet':'x1'}", "",
	    "regions[0].hub.nvas[0].nics[3]", "more than 4 NICs",
	    "NV-01: a fifth NIC is refused (arsemu's cap of 4, the primary "
	    "included)");
	expect_err("{'name':'a','subnet':'trust'},{'name':'b','subnet':'dmz'},"
	    "{'name':'c','subnet':'x0'},{'name':'c','subnet':'x1'}", "",
	    "regions[0].hub.nvas[0].nics[3].name", "declared twice",
	    "NV-01: control: the fourth extra NIC is read up to its name");
}

static void
walk_to(const struct topo *t, struct whole *wh, const char *from,
    uint32_t dst, struct walk *w)
{
	const struct topo_node *a = topo_node_find(t, from);
	struct walk_pkt pkt = { a->nic->ip, dst, WALK_UDP, 33434, 40000, false };
	struct walk_env env;

	memset(&env, 0, sizeof(env));
	env.t = t;
	env.arg = wh;
	env.table = whole_table;
	walk_predict(&env, a, &pkt, 0, w);
}

static const struct sdn_route *
active(const struct sdn_table *tab, uint32_t addr, uint8_t len)
{
	size_t i;

	for (i = 0; i < tab->nroutes; i++)
		if (tab->routes[i].active && tab->routes[i].pfx.addr == addr &&
		    tab->routes[i].pfx.len == len)
			return &tab->routes[i];
	return NULL;
}

static void
test_routes_and_walks(void)
{
	struct topo_err err = { .msg = "" };
	const struct topo_node *fw;
	const struct topo_nic *tr;
	const struct sdn_route *ru, *rt;
	struct whole wh;
	struct plan p;
	struct walk w;
	struct topo *t;

	if (!T_OK((t = load(TRUSTED, "", &err)) != NULL, "NV-04: loads (%s)",
	    err.msg))
		return;
	fw = topo_node_find(t, "fw");
	tr = topo_nic_find(t, "fw/trusted");
	T_OK(topo_node_egress(fw, WALK_INTERNET_IP) == fw->nic &&
	    topo_node_egress(fw, 0x0a030104u) == tr &&
	    topo_node_egress(fw, 0x0a010309u) == tr &&
	    topo_node_egress(fw, 0x0a010209u) == fw->nic &&
	    topo_node_egress(fw, 0x0a010409u) == tr,
	    "NV-03: the guest sends the Internet out of the primary (its "
	    "default), 10.0.0.0/8 and trust out of the trusted NIC, untrust "
	    "out of the primary (connected)");
	topo_free(t);
	t = load("{'name':'trusted','subnet':'trust','routes':['10.1.2.128/25']}",
	    "", &err);
	if (T_OK(t != NULL, "NV-03: a route inside the primary's subnet loads "
	    "(%s)", err.msg)) {
		fw = topo_node_find(t, "fw");
		T_OK(topo_node_egress(fw, 0x0a010281u) == fw->nics[1] &&
		    topo_node_egress(fw, 0x0a010205u) == fw->nic,
		    "NV-03: longest prefix, as the guest's kernel: 10.1.2.128/25 "
		    "out of the trusted NIC, the rest of untrust connected");
		topo_free(t);
	}
	if (!T_OK((t = load(TRUSTED, "", &err)) != NULL, "NV-04: reloads (%s)",
	    err.msg))
		return;
	fw = topo_node_find(t, "fw");
	tr = topo_nic_find(t, "fw/trusted");
	plan_run(t, &p);
	whole_init(&wh, t, &p);
	ru = active(whole_table(&wh, fw->nic), 0, 0);
	rt = active(whole_table(&wh, tr), 0, 0);
	T_OK(ru != NULL && ru->type == SDN_NH_INTERNET && rt != NULL &&
	    rt->type == SDN_NH_NONE, "NV-04: each NIC has its own effective "
	    "routes: 0.0.0.0/0 Internet on the untrusted NIC, None on the "
	    "trusted one (their subnets' route tables)");

	walk_to(t, &wh, "vm1", WALK_INTERNET_IP, &w);
	T_OK(w.outcome == WALK_DELIVERED && w.n == 3 && w.hop[1].node == fw &&
	    w.hop[1].in == tr && w.hop[2].node == NULL &&
	    strstr(w.hop[1].how, "NIC fw: User 0.0.0.0/0 Internet") != NULL,
	    "NV-03, NV-04: vm1 to the Internet enters fw by the trusted NIC "
	    "and leaves by the untrusted one, on its routes (%s)",
	    w.hop[1].how);
	walk_to(t, &wh, "vm1", 0x0a030104u, &w);
	T_OK(w.outcome == WALK_DELIVERED && w.n == 3 &&
	    w.hop[2].node == topo_node_find(t, "vm2") &&
	    strstr(w.hop[1].how, "NIC fw/trusted: Default 10.3.0.0/16 "
	    "VNetPeering") != NULL, "NV-03, NV-04: vm1 to vm2 leaves fw by the "
	    "trusted NIC (10.0.0.0/8 in its guest), on its routes (%s)",
	    w.hop[1].how);
	walk_to(t, &wh, "vm2", 0x0a010304u, &w);
	T_OK(w.outcome == WALK_DELIVERED && w.n == 2 && w.hop[1].node == fw &&
	    w.hop[1].in == tr, "NV-01: a packet to fw's trusted address is "
	    "delivered to fw, by that NIC");
	whole_free(&wh);
	plan_free(&p);
	topo_free(t);

	/* NV-02: the trusted NIC without IP forwarding drops transit */
	if (!T_OK((t = load("{'name':'trusted','subnet':'trust','ip':"
	    "'10.1.3.4','routes':['10.0.0.0/8'],'ip_forwarding':false}", "",
	    &err)) != NULL, "NV-02: loads (%s)", err.msg))
		return;
	plan_run(t, &p);
	whole_init(&wh, t, &p);
	walk_to(t, &wh, "vm1", WALK_INTERNET_IP, &w);
	T_OK(w.outcome == WALK_NOT_FORWARDED && w.n == 2 &&
	    strstr(w.detail, "NIC fw/trusted has IP forwarding off") != NULL &&
	    strstr(w.detail, "receives for 198.51.100.1") != NULL,
	    "NV-02: a NIC without IP forwarding drops what it receives for "
	    "another address (%s)", w.detail);
	walk_to(t, &wh, "vm2", 0x0a010304u, &w);
	T_OK(w.outcome == WALK_DELIVERED, "NV-02: what is addressed to it "
	    "still arrives");
	whole_free(&wh);
	plan_free(&p);
	topo_free(t);

	/* NV-02: the way out, a dmz NIC without IP forwarding */
	if (!T_OK((t = load(TRUSTED ",{'name':'dmz','subnet':'dmz',"
	    "'routes':['198.51.100.0/24'],'ip_forwarding':false}", "",
	    &err)) != NULL, "NV-02: loads with a dmz NIC (%s)", err.msg))
		return;
	plan_run(t, &p);
	whole_init(&wh, t, &p);
	walk_to(t, &wh, "vm1", WALK_INTERNET_IP, &w);
	T_OK(w.outcome == WALK_BLACKHOLED && w.n == 2 &&
	    strstr(w.detail, "NIC fw/dmz has IP forwarding off") != NULL &&
	    strstr(w.detail, "sends from 10.2.1.4") != NULL,
	    "NV-02: a NIC without IP forwarding drops what would leave it "
	    "from another address: the guest forwards, the fabric drops (%s)",
	    w.detail);
	{
		struct walk_pkt own = { 0x0a010204u, WALK_INTERNET_IP, WALK_UDP,
		    33434, 40000, false };
		struct walk_env env;

		memset(&env, 0, sizeof(env));
		env.t = t;
		env.arg = &wh;
		env.table = whole_table;
		walk_predict(&env, topo_node_find(t, "fw"), &own, 0, &w);
		T_OK(w.outcome == WALK_DELIVERED, "NV-02: what fw sends itself "
		    "out of that NIC is no transit, and leaves");
	}
	walk_to(t, &wh, "vm1", 0x0a030104u, &w);
	T_OK(w.outcome == WALK_DELIVERED, "NV-02: transit out of the "
	    "forwarding trusted NIC still passes");
	whole_free(&wh);
	plan_free(&p);
	topo_free(t);
}

#define BGPNICS	"examples/bgp-nva-two-nics.json"

/* The example `file` with `from` replaced by `to` (once each, NULL-ended). */
static struct topo *
load_edit(const char *file, const char *const *edits, struct topo_err *err)
{
	char buf[16384], *at;
	struct topo *t = NULL;
	FILE *f = fopen(file, "r");
	size_t n, k;

	if (f == NULL)
		die("%s: cannot open", file);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	for (k = 0; edits != NULL && edits[k] != NULL; k += 2) {
		const char *from = edits[k], *to = edits[k + 1];

		if ((at = strstr(buf, from)) == NULL ||
		    strlen(buf) + strlen(to) - strlen(from) >= sizeof(buf))
			die("%s: no %s", file, from);
		memmove(at + strlen(to), at + strlen(from),
		    strlen(at + strlen(from)) + 1);
		memcpy(at, to, strlen(to));
	}
	if (topo_load_string(buf, strlen(buf), &t, err) == -1)
		t = NULL;
	return t;
}

/* examples/bgp-nva-two-nics.json with `from` replaced by `to`. */
static struct topo *
bgp_load(const char *from, const char *to, struct topo_err *err)
{
	const char *e[] = { from, to, NULL };

	return load_edit(BGPNICS, from != NULL ? e : NULL, err);
}

/* Whether NVA nva's learned prefixes (NV-05) hold exactly pfx. */
static bool
learned_of(const struct plan *p, const struct topo *t, const char *nva,
    const char *pfx)
{
	const struct topo_node *fw = topo_node_find(t, nva);
	struct pfx4 want;
	size_t i, k;

	if (pfx_parse(pfx, &want) != 0 || p->in.nvas == NULL)
		return false;
	for (i = 0; i < t->nnvas && i < p->in.nnvas; i++)
		for (k = 0; t->nvas[i] == fw->nva && k < p->in.nvas[i].n; k++)
			if (pfx_equal(&p->in.nvas[i].pfx[k], &want))
				return true;
	return false;
}

#define learned_has(p, t, pfx)	learned_of(p, t, "fw", pfx)

/*
 * NV-05, PE-06: nva-uks of examples/dual-homed.json peers with two Route
 * Servers (plan runs rounds): with an extra NIC, what it installs is what
 * both send it; a route of that NIC holding spoke-dh's Route Server is
 * refused as its own hub's would be.
 */
static void
test_bgp_relay(void)
{
	const char *ext[] = {
		"\"nva\": \"10.1.2.0/24\" }",
		"\"nva\": \"10.1.2.0/24\", \"ext\": \"10.1.3.0/24\" }",
		"\"as_override\": true } ]",
		"\"as_override\": true, \"nics\": [{\"name\": \"ext\", "
		    "\"subnet\": \"ext\"}] } ]", NULL
	};
	const char *cover[] = {
		ext[0], ext[1], ext[2],
		"\"as_override\": true, \"nics\": [{\"name\": \"ext\", "
		    "\"subnet\": \"ext\", \"routes\": [\"10.4.0.0/14\"]}] } ]",
		NULL
	};
	struct topo_err err = { .msg = "" };
	struct plan p;
	struct topo *t;

	if (T_OK((t = load_edit("examples/dual-homed.json", ext, &err)) != NULL,
	    "NV-05: dual-homed's nva-uks with an extra NIC loads (%s: %s)",
	    err.path, err.msg)) {
		plan_run(t, &p);
		T_OK(learned_of(&p, t, "nva-uks", "10.5.0.0/16") &&
		    learned_of(&p, t, "nva-uks", "10.2.0.0/16") &&
		    learned_of(&p, t, "nva-uks", "10.1.0.0/16") &&
		    !learned_of(&p, t, "nva-weu", "10.5.0.0/16"),
		    "NV-05, PE-06: plan's rounds predict what nva-uks installs "
		    "from both its Route Servers (nva-weu, one NIC: nothing)");
		plan_free(&p);
		topo_free(t);
	}
	t = load_edit("examples/dual-homed.json", cover, &err);
	T_OK(t == NULL && strstr(err.path, ".nics[0].routes[0]") != NULL &&
	    strstr(err.msg, "Route Server instance spoke-dh-rs0") != NULL,
	    "NV-06: a route holding the Route Server of another VNet the NVA "
	    "peers with (RS-08) is refused (%s: %s)", err.path, err.msg);
	topo_free(t);
}

/*
 * NV-05: a BGP NVA with an extra NIC. Its guest sends what it learned from
 * its Route Server out of the primary, where its speaker installs it: a
 * spoke's /16 beats the untrusted NIC's 8.0.0.0/5.
 */
static void
test_bgp(void)
{
	struct topo_err err = { .msg = "" };
	const struct topo_node *fw;
	const struct topo_nic *un;
	struct walk_env env;
	struct whole wh;
	struct plan p;
	struct walk w;
	struct topo *t;

	if (!T_OK((t = bgp_load(NULL, NULL, &err)) != NULL, "NV-01, NV-05: an "
	    "NVA that speaks BGP with an extra NIC loads (%s: %s)", err.path,
	    err.msg))
		return;
	fw = topo_node_find(t, "fw");
	un = topo_nic_find(t, "fw/untrusted");
	plan_run(t, &p);
	T_OK(learned_has(&p, t, "10.1.0.0/16") &&
	    learned_has(&p, t, "10.2.0.0/16") &&
	    learned_has(&p, t, "172.16.0.0/16") &&
	    !learned_has(&p, t, "0.0.0.0/0"),
	    "NV-05: plan predicts what fw installs from the Route Server: the "
	    "VNets' prefixes, not the default route it originates");
	whole_init(&wh, t, &p);
	memset(&env, 0, sizeof(env));
	env.t = t;
	env.arg = &wh;
	env.table = whole_table;
	env.bgp = &p.in;
	T_OK(topo_node_egress(fw, 0x0a020104u) == un &&
	    walk_egress(&env, fw, 0x0a020104u) == fw->nic &&
	    walk_egress(&env, fw, WALK_INTERNET_IP) == un &&
	    walk_egress(&env, fw, 0xac100204u) == un &&
	    walk_egress(&env, fw, 0xac1001feu) == fw->nic,
	    "NV-05: a learned /16 beats the untrusted NIC's 8.0.0.0/5 (out of "
	    "the primary); the Internet and the untrusted subnet stay on "
	    "untrusted");
	{
		const struct topo_node *a = topo_node_find(t, "spoke1-vm1");
		struct walk_pkt pkt = { a->nic->ip, 0x0a020104u, WALK_UDP,
		    33434, 40000, false };

		walk_predict(&env, a, &pkt, 0, &w);
		T_OK(w.outcome == WALK_DELIVERED && w.n == 3 &&
		    w.hop[1].node == fw && strncmp(w.hop[1].how, "NIC fw:", 7) == 0 &&
		    strstr(w.hop[1].how, "; the guest's BGP route 10.2.0.0/16 "
		    "leaves by the primary (NV-05)") != NULL,
		    "NV-05: spoke1 to spoke2 crosses fw in and out of its primary, "
		    "and the hop says why (%s: %s)", walk_outcome_str(w.outcome),
		    w.hop[1].how);
		env.bgp = NULL;
		walk_predict(&env, a, &pkt, 0, &w);
		T_OK(w.outcome == WALK_NSG_DENIED && w.n == 2,
		    "NV-05: control: without the learned routes the walk leaves "
		    "by untrusted, whose NSG denies it (%s)",
		    walk_outcome_str(w.outcome));
	}
	{
		const struct topo_node *n = NULL;
		uint32_t ip = 0;
		char msg[256] = "";

		T_OK(walk_endpoint(t, "fw/untrusted", &n, &ip, false, msg,
		    sizeof(msg)) == 0 && n == fw && ip == un->ip &&
		    walk_endpoint(t, "fw/untrusted", &n, &ip, true, msg,
		    sizeof(msg)) == -1 && strstr(msg, "walk from its NVA, fw") !=
		    NULL && walk_endpoint(t, "fw/nosuch", &n, &ip, false, msg,
		    sizeof(msg)) == -1,
		    "NV-01: a walk goes to an extra NIC by name (its address), "
		    "not from one (%s)", msg);
	}
	whole_free(&wh);
	plan_free(&p);
	topo_free(t);

	/* a learned prefix equal to a guest route: the guest's route wins */
	if (T_OK((t = bgp_load("\"8.0.0.0/5\"", "\"10.2.0.0/16\"", &err)) !=
	    NULL, "NV-05: untrusted routing 10.2.0.0/16 loads (%s)", err.msg)) {
		plan_run(t, &p);
		memset(&env, 0, sizeof(env));
		env.t = t;
		env.bgp = &p.in;
		fw = topo_node_find(t, "fw");
		T_OK(learned_has(&p, t, "10.2.0.0/16") &&
		    walk_egress(&env, fw, 0x0a020104u) ==
		    topo_nic_find(t, "fw/untrusted"),
		    "NV-05: a tie goes to the guest's own route (metric 0 "
		    "against the speaker's 20)");
		plan_free(&p);
		topo_free(t);
	}
	t = bgp_load("\"8.0.0.0/5\"", "\"172.16.0.0/16\"", &err);
	T_OK(t == NULL && strcmp(err.path,
	    "regions[0].hub.nvas[0].nics[0].routes[0]") == 0 &&
	    strstr(err.msg, "holds 172.16.255.4, Route Server instance "
	    "hub-rs0") != NULL, "NV-06: untrusted routing the hub, Route "
	    "Server included, is refused at its path (%s: %s)", err.path,
	    err.msg);
	topo_free(t);
	t = bgp_load("\"8.0.0.0/5\"", "\"172.16.255.5/32\"", &err);
	T_OK(t == NULL && strstr(err.msg, "instance hub-rs1") != NULL,
	    "NV-06: a route holding the second instance only is refused too "
	    "(%s)", err.msg);
	topo_free(t);
}

int
main(void)
{
	test_parse();
	test_cap();
	test_routes_and_walks();
	test_bgp();
	test_bgp_relay();
	return t_done();
}
