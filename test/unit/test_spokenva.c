/*
 * test_spokenva: NVAs outside the hub (PE-08, the transit-VNet pattern):
 * a spoke's "nvas", the Route Servers such an NVA may peer with (its
 * spoke's own, PE-06; a directly peered VNet's, RS-08) and the errors at
 * their JSON paths; its Route Server's configuration; the effective routes,
 * kernel routes and walks of examples/transit-nva.json, lint's warnings
 * (PE-08, RS-22), and import az's warning for such an NVA's peering.
 * Documents use ' for ".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../lib/util.h"
#include "../../topo/azimport.h"
#include "../../topo/lint.h"
#include "../../topo/topo.h"
#include "../../bgp/bgp.h"
#include "../../emu/model/bgpconf.h"
#include "../../emu/model/kroute.h"
#include "../../emu/model/plan.h"
#include "../../emu/model/policy.h"
#include "../../emu/model/sdn.h"
#include "../../emu/model/walk.h"
#include "t.h"
#include "tjson.h"

/*
 * A hub with a Route Server (hubx: more hub fields), spoke s1 with subnet
 * nva and the NVAs nvas (s1x: more spoke fields), spoke s2 with vm2.
 */
static char *
doc(const char *hubx, const char *s1x, const char *nvas)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "{'name':'t','regions':[{'name':'r','hub':{"
	    "'name':'hub','address_space':['10.1.0.0/16'],'subnets':{"
	    "'RouteServerSubnet':'10.1.1.0/27','default':'10.1.2.0/24'},"
	    "'route_server':{},'vms':[{'name':'hvm','subnet':'default'}]%s},"
	    "'spokes':[{'name':'s1','address_space':['10.2.0.0/16'],"
	    "'subnets':{'nva':'10.2.1.0/24','RouteServerSubnet':'10.2.0.0/27'}"
	    "%s,'nvas':[%s]},{'name':'s2','address_space':['10.3.0.0/16'],"
	    "'subnets':{'app':'10.3.1.0/24'},'use_remote_gateways':true,"
	    "'vms':[{'name':'vm2','subnet':'app'}]}]}]}", hubx, s1x, nvas);
	return q(buf);
}

static struct topo *
load(const char *hubx, const char *s1x, const char *nvas, struct topo_err *err)
{
	struct topo *t = NULL;
	char *j = doc(hubx, s1x, nvas);

	if (topo_load_string(j, strlen(j), &t, err) == -1)
		t = NULL;
	free(j);
	return t;
}

static void
expect_err(const char *s1x, const char *nvas, const char *path,
    const char *want, const char *desc)
{
	struct topo_err err = { .msg = "" };
	struct topo *t = load("", s1x, nvas, &err);
	int ok = t == NULL && strcmp(err.path, path) == 0 &&
	    strstr(err.msg, want) != NULL;

	if (!T_OK(ok, "%s", desc))
		printf("#   want path \"%s\" msg ~ \"%s\"\n#   got path \"%s\" "
		    "msg \"%s\"\n", path, want, err.path, err.msg);
	topo_free(t);
}

static size_t
warnings_with(const struct topo *t, const char *a, const char *b)
{
	size_t i, n = 0;

	for (i = 0; i < t->nwarnings; i++)
		n += strstr(t->warnings[i], a) != NULL &&
		    (b == NULL || strstr(t->warnings[i], b) != NULL);
	return n;
}

/* A spoke's NVAs as the parser reads them. */
static void
test_parse(void)
{
	struct topo_err err = { .msg = "" };
	struct topo *t;
	struct topo_node *n;
	struct topo_vnet *hub, *s1;

	t = load("", "", "{'name':'fw','subnet':'nva','bgp':false}", &err);
	if (T_OK(t != NULL, "PE-08: an NVA without BGP in a spoke loads (%s)",
	    err.msg)) {
		n = topo_node_find(t, "fw");
		s1 = topo_vnet_find(t, "s1");
		T_OK(n != NULL && n->kind == TOPO_NVA && n->nva != NULL &&
		    !n->nva->bgp && n->nic->subnet->vnet == s1 &&
		    n->nic->ip_forwarding && n->nic->ip == 0x0a020104u &&
		    t->nnvas == 1 && !topo_nva_peers_rs(n->nva,
		    topo_vnet_find(t, "hub")->rs), "PE-08, RS-55: its NIC in the "
		    "spoke's subnet at .4, IP forwarding on, no Route Server peer");
		topo_free(t);
	}
	t = load("", "", "{'name':'tn','subnet':'nva','asn':65020,"
	    "'route_servers':['hub']}", &err);
	if (T_OK(t != NULL, "PE-08, RS-08: a spoke's BGP NVA peering with the "
	    "hub's Route Server across the peering loads (%s)", err.msg)) {
		n = topo_node_find(t, "tn");
		hub = topo_vnet_find(t, "hub");
		T_OK(n->nva->bgp && n->nva->nxrs == 1 &&
		    n->nva->xrs[0] == hub->rs && topo_nva_peers_rs(n->nva,
		    hub->rs) && !n->nva->peer_rs[0] && !n->nva->peer_rs[1],
		    "RS-08: it peers with both instances of the hub's Route "
		    "Server, and with no Route Server of its own spoke");
		topo_free(t);
	}
	t = load("", ",'route_server':{}", "{'name':'tn','subnet':'nva',"
	    "'asn':65020,'peers':[1]}", &err);
	if (T_OK(t != NULL, "PE-06, PE-08: a BGP NVA in a spoke with its own "
	    "Route Server loads (%s)", err.msg)) {
		n = topo_node_find(t, "tn");
		s1 = topo_vnet_find(t, "s1");
		T_OK(!n->nva->peer_rs[0] && n->nva->peer_rs[1] &&
		    topo_nva_peers_rs(n->nva, s1->rs) && !topo_nva_peers_rs(
		    n->nva, topo_vnet_find(t, "hub")->rs), "RS-04, PE-08: it "
		    "peers with the instance of its spoke's Route Server it names");
		topo_free(t);
	}
	expect_err("", "{'name':'tn','subnet':'nva','asn':65020}",
	    "regions[0].spokes[0].nvas[0]", "no Route Server to peer with",
	    "PE-08: a BGP NVA in a spoke with no Route Server to peer with is "
	    "refused at its path");
	expect_err("", "{'name':'tn','subnet':'nva','asn':65020,'bgp':true}",
	    "regions[0].spokes[0].nvas[0].bgp", "PE-08",
	    "PE-08: \"bgp\": true in a spoke with no Route Server is refused "
	    "at .bgp");
	expect_err(",'peered':false", "{'name':'tn','subnet':'nva','asn':"
	    "65020,'route_servers':['hub']}",
	    "regions[0].spokes[0].nvas[0].route_servers[0]", "RS-08",
	    "PE-08, RS-08: a Route Server across no peering is refused");
	expect_err("", "{'name':'tn','subnet':'nva','asn':65020,'peers':[0]}",
	    "regions[0].spokes[0].nvas[0].peers", "spoke \"s1\" has no "
	    "route_server", "PE-08: \"peers\" in a spoke without a Route Server");
	expect_err("", "{'name':'tn','subnet':'nva','asn':65020,"
	    "'route_servers':['hub'],'next_hop':'10.1.2.9'}",
	    "regions[0].spokes[0].nvas[0].next_hop", "outside spoke \"s1\"",
	    "RS-23, PE-08: a spoke NVA's next_hop is in its own VNet");
	expect_err("", "{'name':'fw','subnet':'nva','bgp':false,"
	    "'route_servers':['hub']}", "regions[0].spokes[0].nvas[0]."
	    "route_servers", "RS-55", "PE-08, RS-55: an NVA without BGP in a "
	    "spoke names no Route Server");
}

/* The hub's Route Server takes the spoke's NVA as a peer (RS-08). */
static void
test_bgpconf(void)
{
	struct topo_err err = { .msg = "" };
	struct topo *t;
	struct bgp_conf c;
	unsigned i, found = 0;

	t = load("", "", "{'name':'tn','subnet':'nva','asn':65020,"
	    "'route_servers':['hub']}", &err);
	if (!T_OK(t != NULL, "PE-08: the fixture loads"))
		return;
	for (i = 0; i < 2; i++) {
		memset(&c, 0, sizeof(c));
		if (emu_bgp_conf(t, topo_node_find(t, i ? "hub-rs1" : "hub-rs0"),
		    "/nonexistent", &c) == 0 && c.npeers == 1 &&
		    c.peers[0].addr == 0x0a020104u && c.peers[0].asn == 65020)
			found++;
		emu_bgp_conf_free(&c);
	}
	memset(&c, 0, sizeof(c));
	if (emu_bgp_conf(t, topo_node_find(t, "tn"), "/nonexistent", &c) == 0 &&
	    c.npeers == 2 && c.peers[0].addr == 0x0a010104u &&
	    c.peers[1].addr == 0x0a010105u && c.peers[0].asn == 65515)
		found++;
	emu_bgp_conf_free(&c);
	T_EQ(found, 3u, "RS-08, PE-08: both hub Route Server instances list "
	    "the spoke's NVA as a peer, and it lists both");
	topo_free(t);
	t = load("", ",'route_server':{}", "{'name':'tn','subnet':'nva',"
	    "'asn':65020,'peers':[1]}", &err);
	if (!T_OK(t != NULL, "PE-06, PE-08: the own-Route-Server fixture loads"))
		return;
	for (found = 0, i = 0; i < 2; i++) {
		memset(&c, 0, sizeof(c));
		if (emu_bgp_conf(t, topo_node_find(t, i ? "s1-rs1" : "s1-rs0"),
		    "/nonexistent", &c) == 0 && c.npeers == i)
			found++;
		emu_bgp_conf_free(&c);
	}
	memset(&c, 0, sizeof(c));
	if (emu_bgp_conf(t, topo_node_find(t, "tn"), "/nonexistent", &c) == 0 &&
	    c.npeers == 1 && c.peers[0].addr == 0x0a020005u)
		found++;
	emu_bgp_conf_free(&c);
	T_EQ(found, 3u, "RS-04, PE-08: with \"peers\": [1] the spoke's NVA "
	    "and its spoke's Route Server hold the one session, instance 1's");
	topo_free(t);
}

static const struct sdn_route *route(const struct sdn_table *tab,
    const char *pfx);

/* RS-22 and PE-08 warnings for an NVA in a spoke. */
static void
test_lint(void)
{
	struct topo_err err = { .msg = "" };
	struct topo *t;

	t = load("", ",'use_remote_gateways':true", "{'name':'tn','subnet':"
	    "'nva','asn':65020,'route_servers':['hub'],'advertise':"
	    "['0.0.0.0/0']}", &err);
	if (T_OK(t != NULL, "RS-22: the fixture loads (%s)", err.msg)) {
		topo_lint(t);
		T_EQ(warnings_with(t, "RS-22", "s1/nva"), 1u, "RS-22, PE-08: a "
		    "spoke NVA's default route loops on its own NIC when its "
		    "spoke uses the hub's Route Server");
		T_EQ(warnings_with(t, "PE-08", NULL), 1u, "PE-08: s2 uses the "
		    "hub's Route Server but is not peered with s1: warned once");
		{
			struct plan p;
			struct sdn_table tab;
			const struct sdn_route *r;

			plan_run(t, &p);
			sdn_effective(t, &p.in, topo_node_find(t, "tn")->nic,
			    &tab);
			r = route(&tab, "0.0.0.0/0");
			T_OK(r != NULL && r->type == SDN_NH_VNG && r->nnh == 1 &&
			    r->nh[0] == 0x0a020104u, "RS-22, PE-08: the NVA's "
			    "own NIC gets its 0.0.0.0/0 back from the hub's "
			    "Route Server: the loop the warning is about");
			sdn_table_free(&tab);
			plan_free(&p);
		}
		topo_free(t);
	}
	t = load("", "", "{'name':'tn','subnet':'nva','asn':65020,"
	    "'route_servers':['hub'],'advertise':['0.0.0.0/0']}", &err);
	if (T_OK(t != NULL, "RS-22: the second fixture loads (%s)", err.msg)) {
		topo_lint(t);
		T_EQ(warnings_with(t, "RS-22", NULL), 0u, "RS-22, PE-08: no loop "
		    "when the NVA's spoke does not use the hub's Route Server");
		topo_free(t);
	}
	t = load(",'nvas':[{'name':'hn','subnet':'default','asn':65020}]", "",
	    "{'name':'tn','subnet':'nva','asn':65020,'route_servers':['hub']}",
	    &err);
	if (T_OK(t != NULL, "PE-08: the shared-ASN fixture loads (%s)",
	    err.msg)) {
		topo_lint(t);
		T_EQ(warnings_with(t, "share AS 65020", "\"tn\""), 1u, "PE-08: "
		    "a hub NVA and a spoke NVA peering with one Route Server "
		    "with one ASN drop each other's routes: warned");
		topo_free(t);
	}
	t = load("", ",'peerings':['s2']", "{'name':'tn','subnet':'nva',"
	    "'asn':65020,'route_servers':['hub']}", &err);
	if (T_OK(t != NULL, "PE-08: the third fixture loads (%s)", err.msg)) {
		topo_lint(t);
		T_EQ(warnings_with(t, "PE-08", NULL), 0u, "PE-08: no warning "
		    "once s2 is peered with the NVA's spoke");
		topo_free(t);
	}
}

static const struct sdn_table *
tab_of(void *arg, const struct topo_nic *nic)
{
	return &((struct sdn_table *)arg)[nic->idx];
}

static const struct sdn_route *
route(const struct sdn_table *tab, const char *pfx)
{
	struct pfx4 p;
	size_t i;

	if (pfx_parse(pfx, &p) == -1)
		return NULL;
	for (i = 0; i < tab->nroutes; i++)
		if (tab->routes[i].active && pfx_equal(&tab->routes[i].pfx, &p))
			return &tab->routes[i];
	return NULL;
}

static int
walk_of(const struct topo *t, struct sdn_table *tabs, const char *from,
    const char *to, struct walk *w)
{
	const struct topo_node *a = topo_node_find(t, from);
	const struct topo_node *b = topo_node_find(t, to);
	struct walk_pkt pkt = { a->nic->ip, b->nic->ip, WALK_UDP, 33434, 40000,
	    false };
	struct walk_env env;

	memset(&env, 0, sizeof(env));
	env.t = t;
	env.arg = tabs;
	env.table = tab_of;
	walk_predict(&env, a, &pkt, 0, w);
	return w->outcome;
}

/* The hops of w, by name, joined by spaces. */
static const char *
hops(const struct walk *w, char *buf, size_t len)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < w->n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
		    i ? " " : "", w->hop[i].node->name);
	return buf;
}

/* examples/transit-nva.json: routes, kernel routes and walks. */
static void
test_example(void)
{
	struct topo_err err;
	struct topo *t;
	struct plan p;
	struct sdn_table tabs[16];
	const struct sdn_route *r;
	const struct topo_nic *hvm, *s3;
	struct walk w;
	char b[256];
	size_t i;

	if (!T_OK(topo_load_file("examples/transit-nva.json", &t, &err) == 0 &&
	    t->nnics <= 16, "PE-08: examples/transit-nva.json loads"))
		return;
	plan_run(t, &p);
	for (i = 0; i < t->nnics; i++)
		sdn_effective(t, &p.in, t->nics[i], &tabs[i]);
	hvm = topo_node_find(t, "hub-vm1")->nic;
	s3 = topo_node_find(t, "spoke3-vm1")->nic;
	r = route(&tabs[hvm->idx], "10.20.0.0/14");
	T_OK(r != NULL && r->type == SDN_NH_VNG && r->nnh == 1 &&
	    r->nh[0] == 0x0a0a0104u, "RS-08, PE-08: the hub's Route Server "
	    "programs the transit NVA's 10.20.0.0/14 into the hub, next hop "
	    "the NVA in the spoke");
	r = route(&tabs[s3->idx], "10.20.0.0/14");
	T_OK(r != NULL && r->nh[0] == 0x0a0a0104u, "VR-11, PE-08: and into "
	    "spoke3, which uses the hub's Route Server");
	T_OK(route(&tabs[topo_node_find(t, "tnva")->nic->idx], "10.20.0.0/14")
	    == NULL, "VR-11, PE-08: not into the transit spoke, which does not "
	    "use the hub's gateway");
	r = route(&tabs[topo_node_find(t, "app1-vm1")->nic->idx], "10.22.0.0/16");
	T_OK(r != NULL && r->type == SDN_NH_VIRTUALAPPLIANCE &&
	    r->nh[0] == 0x0a0a0104u, "VR-08, PE-08: app1's route table sends "
	    "app2 to the NVA in the peered transit VNet");
	{
		int nics[16];
		struct kroute_links l = { t, nics, 900, 901, 0, NULL };
		struct kroute *kr = NULL;
		size_t n, k, ok = 0;

		for (i = 0; i < 16; i++)
			nics[i] = 100 + (int)i;
		n = kroute_table(&l, &tabs[hvm->idx], &kr);
		for (k = 0; k < n; k++)
			ok += kr[k].dst.addr == 0x0a140000u && kr[k].dst.len == 14 &&
			    kr[k].type == KROUTE_UNICAST && kr[k].nnh == 1 &&
			    kr[k].nh[0].link == 100 + (int)topo_node_find(t,
			    "tnva")->nic->idx;
		free(kr);
		n = kroute_table(&l, &tabs[s3->idx], &kr);
		for (k = 0; k < n; k++)
			ok += kr[k].dst.addr == 0x0a140000u && kr[k].dst.len == 14 &&
			    kr[k].type == KROUTE_BLACKHOLE;
		free(kr);
		T_EQ(ok, 2u, "PE-08, PE-01: the hub's fabric route goes to the "
		    "NVA's NIC; spoke3's, out of reach, is a blackhole");
		T_OK(kroute_nh_reaches(t, hvm, 0x0a0a0104u) &&
		    !kroute_nh_reaches(t, s3, 0x0a0a0104u), "PE-08, PE-01: the "
		    "hub reaches the transit NVA, spoke3 does not");
	}
	T_OK(walk_of(t, tabs, "app1-vm1", "app2-vm1", &w) == WALK_DELIVERED &&
	    strcmp(hops(&w, b, sizeof(b)), "app1-vm1 tnva app2-vm1") == 0,
	    "PE-08: app1 to app2 through the transit NVA (%s)", b);
	T_OK(walk_of(t, tabs, "hub-vm1", "app2-vm1", &w) == WALK_DELIVERED &&
	    strcmp(hops(&w, b, sizeof(b)), "hub-vm1 tnva app2-vm1") == 0,
	    "PE-08, RS-08: the hub to app2 on the Route Server's route (%s)", b);
	T_OK(walk_of(t, tabs, "app2-vm1", "hub-vm1", &w) == WALK_DELIVERED &&
	    strcmp(hops(&w, b, sizeof(b)), "app2-vm1 tnva hub-vm1") == 0,
	    "PE-08: and back by app2's route table (%s)", b);
	T_OK(walk_of(t, tabs, "spoke3-vm1", "app1-vm1", &w) == WALK_BLACKHOLED &&
	    w.n == 1 && strstr(w.detail, "PE-08") != NULL &&
	    strstr(w.detail, "not peered with spoke3") != NULL,
	    "PE-08, PE-01: spoke3's route to the NVA is out of reach (%s)",
	    w.detail);
	{
		const struct topo_vnet *tr = topo_vnet_find(t, "transit");

		T_OK(!policy_refuses_forwarded(topo_vnet_find(t, "app1"), tr) &&
		    !policy_refuses_forwarded(tr, topo_vnet_find(t, "app1")),
		    "PE-08, PE-02: by default app1 takes what the transit NVA "
		    "forwards (allowForwardedTraffic true)");
	}
	topo_lint(t);
	T_OK(warnings_with(t, "PE-08", "\"spoke3\"") == 1 && t->nwarnings == 1,
	    "PE-08: the example's one warning is spoke3's unreachable next hop");
	for (i = 0; i < t->nnics; i++)
		sdn_table_free(&tabs[i]);
	plan_free(&p);
	topo_free(t);
}

/*
 * PE-08, PE-02: app1's side of its peering with transit refuses forwarded
 * traffic: what tnva forwards into app1 from outside transit is dropped,
 * what tnva itself sends passes, app2's side is untouched.
 */
static void
test_forwarded(void)
{
	struct topo_err err = { .msg = "" };
	struct topo *t = NULL;
	struct plan p;
	struct sdn_table tabs[16];
	struct walk w;
	char *j, *k, b[256];
	size_t i, n;
	FILE *f;

	j = xcalloc(1, 65536);
	if ((f = fopen("examples/transit-nva.json", "r")) != NULL) {
		n = fread(j, 1, 65535, f);
		j[n] = '\0';
		fclose(f);
	}
	/* app1 lists transit with its own side's flag false */
	k = strstr(j, "\"peerings\": [\"transit\"]");
	if (!T_OK(k != NULL, "PE-08: the example's app1 peers with transit")) {
		free(j);
		return;
	}
	{
		const char *rep = "\"peerings\": [{\"vnet\":\"transit\","
		    "\"allow_forwarded_traffic\":false}]";
		char *d = xasprintf("%.*s%s%s", (int)(k - j), j, rep,
		    k + strlen("\"peerings\": [\"transit\"]"));

		free(j);
		j = d;
	}
	if (!T_OK(topo_load_string(j, strlen(j), &t, &err) == 0 &&
	    t->nnics <= 16, "PE-08: the example with app1 refusing forwarded "
	    "traffic loads (%s)", err.msg)) {
		free(j);
		return;
	}
	free(j);
	plan_run(t, &p);
	for (i = 0; i < t->nnics; i++)
		sdn_effective(t, &p.in, t->nics[i], &tabs[i]);
	T_OK(policy_refuses_forwarded(topo_vnet_find(t, "app1"),
	    topo_vnet_find(t, "transit")) && !policy_refuses_forwarded(
	    topo_vnet_find(t, "app2"), topo_vnet_find(t, "transit")),
	    "PE-08, PE-02: app1's side of the spoke peering refuses, app2's "
	    "does not");
	T_OK(walk_of(t, tabs, "app2-vm1", "app1-vm1", &w) ==
	    WALK_PEERING_REFUSED && w.refused_by == topo_vnet_find(t, "app1") &&
	    strstr(w.detail, "regions[0].spokes[1].peerings[0]") != NULL,
	    "PE-08, PE-02: app2 to app1 through tnva is denied by app1's "
	    "peering, named by its path (%s)", w.detail);
	T_OK(walk_of(t, tabs, "hub-vm1", "app1-vm1", &w) ==
	    WALK_PEERING_REFUSED, "PE-08, PE-02: so is the hub's (%s)",
	    w.detail);
	T_OK(walk_of(t, tabs, "tnva", "app1-vm1", &w) == WALK_DELIVERED &&
	    walk_of(t, tabs, "app1-vm1", "app2-vm1", &w) == WALK_DELIVERED &&
	    strcmp(hops(&w, b, sizeof(b)), "app1-vm1 tnva app2-vm1") == 0,
	    "PE-08, PE-02: what tnva sends itself passes, and app1 still "
	    "reaches app2, whose side allows forwarded traffic");
	for (i = 0; i < t->nnics; i++)
		sdn_table_free(&tabs[i]);
	plan_free(&p);
	topo_free(t);
}

#define SUB	"/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network"

/*
 * import az: a Route Server peering whose NVA sits in a peered spoke is that
 * spoke's NVA with "route_servers" (PE-08); in a VNet not peered with the
 * hub, a warning naming the file and JSON path, the rest imported.
 */
static void
test_import(void)
{
	static const char *vnets = "[{\"type\":\"Microsoft.Network/"
	    "virtualNetworks\",\"name\":\"hub\",\"location\":\"westeurope\","
	    "\"id\":\"" SUB "/virtualNetworks/hub\",\"addressSpace\":{"
	    "\"addressPrefixes\":[\"10.1.0.0/16\"]},\"subnets\":[{\"name\":"
	    "\"RouteServerSubnet\",\"addressPrefix\":\"10.1.1.0/27\"}],"
	    "\"virtualNetworkPeerings\":[{\"type\":\"Microsoft.Network/"
	    "virtualNetworks/virtualNetworkPeerings\",\"id\":\"" SUB
	    "/virtualNetworks/hub/virtualNetworkPeerings/p\",\"peeringState\":"
	    "\"Connected\",\"remoteVirtualNetwork\":{\"id\":\"" SUB
	    "/virtualNetworks/transit\"}}]},{\"type\":\"Microsoft.Network/"
	    "virtualNetworks\",\"name\":\"transit\",\"location\":"
	    "\"westeurope\",\"id\":\"" SUB "/virtualNetworks/transit\","
	    "\"addressSpace\":{\"addressPrefixes\":[\"10.2.0.0/16\"]},"
	    "\"subnets\":[{\"name\":\"nva\",\"addressPrefix\":"
	    "\"10.2.1.0/24\"}],\"virtualNetworkPeerings\":[{\"type\":"
	    "\"Microsoft.Network/virtualNetworks/virtualNetworkPeerings\","
	    "\"id\":\"" SUB "/virtualNetworks/transit/virtualNetworkPeerings/"
	    "p\",\"peeringState\":\"Connected\",\"remoteVirtualNetwork\":{"
	    "\"id\":\"" SUB "/virtualNetworks/hub\"}}]}]\n";
	static const char *rs = "{\"type\":\"Microsoft.Network/virtualHubs\","
	    "\"name\":\"rs\",\"id\":\"" SUB "/virtualHubs/rs\","
	    "\"virtualRouterIps\":[\"10.1.1.4\",\"10.1.1.5\"]}\n";
	static const char *peers = "[{\"type\":\"Microsoft.Network/"
	    "virtualHubs/bgpConnections\",\"name\":\"tn\",\"id\":\"" SUB
	    "/virtualHubs/rs/bgpConnections/tn\",\"peerAsn\":65020,"
	    "\"peerIp\":\"10.2.1.4\"}]\n";
	static const char *unpeered = "[{\"type\":\"Microsoft.Network/"
	    "virtualNetworks\",\"name\":\"hub\",\"location\":\"westeurope\","
	    "\"id\":\"" SUB "/virtualNetworks/hub\",\"addressSpace\":{"
	    "\"addressPrefixes\":[\"10.1.0.0/16\"]},\"subnets\":[{\"name\":"
	    "\"RouteServerSubnet\",\"addressPrefix\":\"10.1.1.0/27\"}]},"
	    "{\"type\":\"Microsoft.Network/virtualNetworks\",\"name\":"
	    "\"transit\",\"location\":\"westeurope\",\"id\":\"" SUB
	    "/virtualNetworks/transit\",\"addressSpace\":{\"addressPrefixes\":"
	    "[\"10.2.0.0/16\"]},\"subnets\":[{\"name\":\"nva\","
	    "\"addressPrefix\":\"10.2.1.0/24\"}]}]\n";
	const char *files[][2] = { { "vnets.json", vnets }, { "rs.json", rs },
	    { "peers.json", peers } };
	char dir[] = "/tmp/arsemu-spokenva-XXXXXX", *path;
	struct topo_az az = { 0 };
	struct topo_err err = { .msg = "" };
	struct topo *t = NULL;
	const struct topo_node *n;
	size_t i, warned = 0;
	FILE *f;

	if (!T_OK(mkdtemp(dir) != NULL, "import: a temporary directory"))
		return;
	for (i = 0; i < NELEM(files); i++) {
		path = xasprintf("%s/%s", dir, files[i][0]);
		if ((f = fopen(path, "w")) != NULL) {
			fputs(files[i][1], f);
			fclose(f);
		}
		free(path);
	}
	if (T_OK(topo_az_import(dir, "lab", &az, &err) == 0, "PE-08: import "
	    "az of a Route Server peering with an NVA in a spoke does not "
	    "fail (%s)", err.msg)) {
		for (i = 0; i < az.nwarnings; i++)
			warned += strstr(az.warnings[i], "peerIp") != NULL;
		T_EQ(warned, 0u, "PE-08: import az takes the spoke NVA's "
		    "peering, no warning about it");
		T_OK(strstr(az.json, "\"route_servers\":\t[\"hub\"]") != NULL,
		    "PE-08: the spoke's NVA names the hub in route_servers");
		T_OK(topo_load_string(az.json, strlen(az.json), &t, &err) == 0 &&
		    (n = topo_node_find(t, "tn")) != NULL && n->nva != NULL &&
		    n->nva->bgp && n->nva->asn == 65020 &&
		    n->nic->subnet->vnet == topo_vnet_find(t, "transit"),
		    "PE-08: the imported topology validates, NVA tn in spoke "
		    "transit with BGP, AS 65020 (%s)", err.msg);
		topo_free(t);
		t = NULL;
	}
	topo_az_free(&az);
	/* the spoke not peered with the hub: the peering is a warning */
	path = xasprintf("%s/vnets.json", dir);
	if ((f = fopen(path, "w")) != NULL) {
		fputs(unpeered, f);
		fclose(f);
	}
	free(path);
	warned = 0;
	if (T_OK(topo_az_import(dir, "lab", &az, &err) == 0, "PE-08: import "
	    "az of a peering with an NVA in an unpeered VNet does not fail "
	    "(%s)", err.msg)) {
		for (i = 0; i < az.nwarnings; i++)
			warned += strstr(az.warnings[i], "peers.json: [0].peerIp: "
			    "10.2.1.4 is in VNet transit, not in hub hub nor in a "
			    "VNet directly peered with it") != NULL && strstr(
			    az.warnings[i], "PE-08") != NULL;
		T_EQ(warned, 1u, "PE-08: import az warns, once, naming the file "
		    "and JSON path, that it skips the peering of an NVA in a "
		    "VNet not directly peered with the hub");
		T_OK(strstr(az.json, "route_servers") == NULL &&
		    topo_load_string(az.json, strlen(az.json), &t, &err) == 0,
		    "PE-08: the rest validates (%s)", err.msg);
		topo_free(t);
	}
	topo_az_free(&az);
	for (i = 0; i < NELEM(files); i++) {
		path = xasprintf("%s/%s", dir, files[i][0]);
		(void)unlink(path);
		free(path);
	}
	(void)rmdir(dir);
}

int
main(void)
{
	test_parse();
	test_bgpconf();
	test_lint();
	test_example();
	test_forwarded();
	test_import();
	return t_done();
}
