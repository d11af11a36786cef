/*
 * test_bgpconf: what each speaker of a lab is configured with (emu/model/bgpconf.c):
 * the platform's sessions between Route Server and gateways (RS-50), the
 * ASNs Azure uses (GW-01), the route limits on gateway peerings (GW-05,
 * GW-07) and the ECMP a gateway instance keeps over several circuits
 * (RS-35). Pure: no namespace, no process.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../bgp/hubpref.h"
#include "../../bgp/sim.h"
#include "../../emu/model/bgpconf.h"
#include "../../lib/util.h"
#include "t.h"

static struct bgp_conf conf;

static const struct bgp_peer_conf *
peer(const char *name)
{
	size_t i;

	for (i = 0; i < conf.npeers; i++)
		if (strcmp(conf.peers[i].name, name) == 0)
			return &conf.peers[i];
	return NULL;
}

static int
load_conf(const struct topo *t, const char *node)
{
	const struct topo_node *n = topo_node_find(t, node);

	emu_bgp_conf_free(&conf);
	memset(&conf, 0, sizeof(conf));
	return n == NULL ? -1 : emu_bgp_conf(t, n, "/nonexistent.sock", &conf);
}

static struct topo *
load(const char *file)
{
	struct topo_err err;
	struct topo *t;

	if (topo_load_file(file, &t, &err) == -1)
		die("%s: %s: %s", file, err.path, err.msg);
	return t;
}

static void
test_rs_gateways(void)
{
	struct topo *t = load("examples/sdwan-branches.json");
	const struct bgp_peer_conf *p;
	const char *gw[] = { "hub-er0", "hub-er1", "hub-vpn0", "hub-vpn1" };
	size_t i;

	T_EQ(load_conf(t, "hub-rs0"), 0, "hub-rs0 has a configuration");
	for (i = 0; i < 4; i++) {
		p = peer(gw[i]);
		T_OK(p != NULL && p->asn == 65515 && p->passive &&
		    p->kind == (i < 2 ? BGP_SRC_ER : BGP_SRC_VPN) &&
		    p->route_limit == 0,
		    "RS-50: Route Server instance 0 has %s as an iBGP peer (65515, "
		    "passive, kind %s, no RS-40 limit)", gw[i], i < 2 ? "ER" : "VPN");
	}
	p = peer("sdwan");
	T_OK(p != NULL && p->asn == 65010 && p->route_limit == 4000,
	    "RS-40, D-02: the NVA keeps the route limit, 4,000 flat, beside "
	    "the gateways");
	T_OK(conf.branch_to_branch, "RS-12: branch_to_branch reaches the speaker");
	T_EQ(load_conf(t, "hub-er1"), 0, "hub-er1 has a configuration");
	T_EQ(conf.asn, 65515, "GW-01: an ExpressRoute gateway instance is AS 65515");
	for (i = 0; i < 2; i++) {
		p = peer(i ? "hub-rs1" : "hub-rs0");
		T_OK(p != NULL && p->asn == 65515 && !p->passive &&
		    p->kind == BGP_SRC_RS, "RS-50: the gateway connects to Route "
		    "Server instance %zu, iBGP, kind RS", i);
	}
	p = peer("hub-er-msee");
	T_OK(p != NULL && p->asn == 12076, "GW-01: the MSEE is AS 12076");
	topo_free(t);
}

static void
test_limits(void)
{
	struct topo *t = load("examples/er-vpn.json");
	const struct bgp_peer_conf *p;

	T_EQ(load_conf(t, "hub-vpn0"), 0, "hub-vpn0 has a configuration");
	p = peer("dc-edge");
	T_OK(p != NULL && p->kind == BGP_SRC_VPN && p->route_limit == 4000,
	    "GW-05: a VPN gateway takes at most 4,000 prefixes from its site");
	T_OK(p != NULL && p->hold == 180 && p->keepalive == 60,
	    "GW-06: a VPN gateway proposes keepalive 60 s, hold 180 s to its site");
	T_EQ(conf.hold, 9, "GW-06: the lab's hold time stays the speaker's own");
	T_OK(peer("hub-rs0") == NULL, "RS-50: no Route Server, no platform peer");
	T_EQ(load_conf(t, "hub-er-msee"), 0, "the MSEE has a configuration");
	p = peer("dc-edge");
	T_OK(p != NULL && p->route_limit == 4000,
	    "GW-07: the private peering takes at most 4,000 prefixes from on-premises");
	p = peer("hub-er0");
	T_OK(p != NULL && p->route_limit == 1000,
	    "RS-42/D-15: the MSEE takes at most 1,000 prefixes from each gateway "
	    "instance (VNet prefixes and, with branch-to-branch, RS-learned ones)");
	T_EQ(load_conf(t, "dc-edge"), 0, "the site's edge has a configuration");
	T_EQ(conf.asn, 64512, "the site's edge speaks with the site's ASN");
	T_OK(conf.no_transit, "the site's edge advertises its own prefixes "
	    "only, nothing learned over another connection (GW-05, GW-07 "
	    "count what it sends)");
	topo_free(t);

	t = load("examples/er-two-circuits.json");
	t->gws[0]->conns[1]->premium = true;
	T_EQ(load_conf(t, "hub-er-msee2"), 0, "the second MSEE has a "
	    "configuration");
	p = peer("dc-edge");
	T_OK(p != NULL && p->route_limit == 10000, "GW-07: a Premium circuit's "
	    "private peering takes 10,000 prefixes from on-premises");
	T_EQ(load_conf(t, "hub-er0"), 0, "a gateway instance has one");
	p = peer("hub-er-msee");
	T_OK(p != NULL && p->sender_loop && peer("hub-er-msee2") != NULL &&
	    peer("hub-er-msee2")->sender_loop, "RS-42: a gateway instance sends "
	    "no MSEE what holds 12076 (no transit between circuits), which "
	    "would count against the 1,000 it may send");
	T_EQ(load_conf(t, "hub-er-msee"), 0, "the first MSEE has one");
	p = peer("dc-edge");
	T_OK(p != NULL && p->route_limit == 4000, "GW-07: the Standard one "
	    "beside it keeps 4,000");
	topo_free(t);
}

/* examples/shared-circuit.json: one MSEE for the gateways of two hubs. */
static void
test_shared_circuit(void)
{
	struct topo *t = load("examples/shared-circuit.json");
	const struct bgp_peer_conf *p;
	static const char *const inst[] = { "hub-uks-er-uks0",
	    "hub-uks-er-uks1", "hub-weu-er-weu0", "hub-weu-er-weu1" };
	size_t i, k;

	for (i = 0; i < t->nvnets; i++)
		if (t->vnets[i]->hub)
			t->vnets[i]->bgp_community = 12076u << 16 | (20000 + i);
	T_EQ(load_conf(t, "hq-london-msee"), 0, "the shared MSEE has a "
	    "configuration");
	T_EQ(conf.asn, 12076, "GW-01: AS 12076");
	T_EQ(conf.npeers, 5, "four gateway instances and the site's edge");
	for (i = 0; i < 4; i++) {
		p = peer(inst[i]);
		T_OK(p != NULL && p->asn == 65515 && p->route_limit == 1000,
		    "RS-42: %s, AS 65515, at most 1,000 prefixes", inst[i]);
	}
	p = peer("hq-edge");
	T_OK(p != NULL && p->route_limit == 4000 && p->comm_ignored,
	    "GW-07, GW-08: the site's edge, 4,000 prefixes, its communities "
	    "not honoured");
	for (i = k = 0; p != NULL && i < p->ntags; i++)
		k += (p->tags[i].pfx.addr >> 24 == 10) && p->tags[i].ncomm == 2;
	T_OK(p != NULL && p->ntags == 2 && k == 2, "GW-08: both hubs' VNet "
	    "prefixes carry their own custom and regional communities to the "
	    "site (%zu tags)", p ? p->ntags : 0);
	T_EQ(load_conf(t, "hub-weu-er-weu0"), 0, "a hub-weu instance has one");
	p = peer("hq-london-msee");
	T_OK(p != NULL && p->weight == 10 && p->sender_loop, "GW-09: hub-weu's "
	    "connection weight on the shared circuit (10); RS-42: nothing "
	    "holding 12076 is sent back");
	T_OK(p != NULL && !p->allowas_in, "RS-51: by default the gateway "
	    "drops other VNets' routes from the circuit");
	T_EQ(load_conf(t, "hub-uks-er-uks0"), 0, "a hub-uks instance has one");
	p = peer("hq-london-msee");
	T_OK(p != NULL && p->weight == 0, "GW-09: hub-uks's connection weight "
	    "(0): each gateway's own");
	t->gws[0]->remote_vnets = true;
	T_EQ(load_conf(t, "hub-uks-er-uks0"), 0, "again, remote VNets allowed");
	p = peer("hq-london-msee");
	T_OK(p != NULL && p->allowas_in, "allowRemoteVnetTraffic: the gateway "
	    "takes paths holding 65515 from its MSEE");
	T_EQ(load_conf(t, "hq-london-msee"), 0, "the MSEE again");
	T_OK(peer("hub-uks-er-uks0")->group == peer("hub-uks-er-uks1")->group &&
	    peer("hub-weu-er-weu0")->group == peer("hub-weu-er-weu1")->group &&
	    peer("hub-uks-er-uks0")->group != peer("hub-weu-er-weu0")->group &&
	    peer("hub-uks-er-uks0")->group != 0 && peer("hq-edge")->group == 0,
	    "the MSEE groups each gateway's instances (split horizon), not "
	    "the site");
	topo_free(t);
}

static void
test_server(void)
{
	static const char doc[] = "{\"name\": \"s\", \"regions\": [{\"name\": "
	    "\"r\", \"hub\": {\"name\": \"hub\", \"address_space\": "
	    "[\"10.1.0.0/16\"], \"subnets\": {\"RouteServerSubnet\": "
	    "\"10.1.1.0/27\", \"app\": \"10.1.2.0/24\"}, \"route_server\": {}, "
	    "\"nvas\": [{\"name\": \"dns1\", \"subnet\": \"app\", \"asn\": "
	    "65100, \"role\": \"server\", \"advertise\": [\"10.99.0.1/32\"]}, "
	    "{\"name\": \"fw\", \"subnet\": \"app\", \"asn\": 65001}]}}]}";
	struct topo_err err;
	struct topo *t;

	if (topo_load_string(doc, strlen(doc), &t, &err) == -1)
		die("server topology: %s: %s", err.path, err.msg);
	T_EQ(load_conf(t, "dns1"), 0, "the server has a configuration");
	T_OK(conf.no_transit, "a server's speaker is never transit (no_transit)");
	T_EQ(load_conf(t, "fw"), 0, "the NVA has a configuration");
	T_OK(!conf.no_transit, "an NVA passes routes on");
	topo_free(t);
}

static struct topo *
load_text(char *doc)
{
	struct topo_err err;
	struct topo *t;

	if (topo_load_string(doc, strlen(doc), &t, &err) == -1)
		die("topology: %s: %s", err.path, err.msg);
	free(doc);
	return t;
}

/* examples/er-two-circuits.json, with its Route Server or without. */
static struct topo *
two_circuits(bool rs)
{
	FILE *f = fopen("examples/er-two-circuits.json", "r");
	static const char key[] = "\"route_server\": {},";
	char *doc = xcalloc(1, 8192), *at;
	size_t n;

	if (f == NULL)
		die("examples/er-two-circuits.json: cannot open");
	n = fread(doc, 1, 8191, f);
	fclose(f);
	doc[n] = '\0';
	if (!rs) {
		if ((at = strstr(doc, key)) == NULL)
			die("er-two-circuits.json: no %s", key);
		memmove(at, at + strlen(key), strlen(at + strlen(key)) + 1);
	}
	return load_text(doc);
}

/*
 * The gateway instance's decision, run with the speaker's own code: each
 * MSEE stands in for its circuit and originates the site's prefix (one AS,
 * as 12076 64512 is one path length for both), the instance's conf is
 * bgpconf's. Returns the FIB's next hops for 172.16.0.0/16.
 */
static unsigned
gw_fib(const struct topo *t, uint32_t *nh)
{
	struct bgp_conf *m[2], *gw = xcalloc(1, sizeof(*gw));
	const char *msee[2] = { "hub-er-msee2", "hub-er-msee" };
	struct pfx4 dc = { 0xac100000, 16 };
	struct bgp_sim sim;
	unsigned k, nnh = 0;
	size_t i;

	emu_bgp_conf(t, topo_node_find(t, "hub-er0"), "", gw);
	for (k = 0; k < 2; k++) {
		m[k] = xcalloc(1, sizeof(*m[k]));
		emu_bgp_conf(t, topo_node_find(t, msee[k]), "", m[k]);
		free(m[k]->originate);
		m[k]->originate = xcalloc(1, sizeof(dc));
		m[k]->originate[0] = dc;
		m[k]->noriginate = 1;
	}
	bgp_sim_run(gw, (const struct bgp_conf *const *)m, 2, &sim);
	for (i = 0; i < sim.nfib; i++)
		if (pfx_equal(&sim.fib[i].pfx, &dc)) {
			nnh = sim.fib[i].nnh;
			memcpy(nh, sim.fib[i].nh, nnh * sizeof(*nh));
		}
	bgp_sim_free(&sim);
	for (k = 0; k < 2; k++) {
		emu_bgp_conf_free(m[k]);
		free(m[k]);
	}
	emu_bgp_conf_free(gw);
	free(gw);
	return nnh;
}

static void
test_circuits(void)
{
	struct topo *t = two_circuits(true);
	const struct topo_node *m1 = topo_node_find(t, "hub-er-msee"),
	    *m2 = topo_node_find(t, "hub-er-msee2");
	uint32_t nh[BGP_MAX_ECMP];
	unsigned n;

	T_EQ(load_conf(t, "hub-er0"), 0, "hub-er0 has a configuration");
	T_OK(peer("hub-er-msee") != NULL && peer("hub-er-msee2") != NULL &&
	    peer("hub-er-msee2")->asn == 12076 && !peer("hub-er-msee2")->passive,
	    "RS-35: the instance peers with both circuits' MSEEs and connects");
	T_EQ(conf.max_paths, 1, "RS-35: with a Route Server in the hub, an ER "
	    "gateway instance keeps one path (max_paths 1)");
	T_EQ(load_conf(t, "dc-edge"), 0, "dc-edge has a configuration");
	T_OK(peer("hub-er-msee") != NULL && peer("hub-er-msee2") != NULL &&
	    conf.max_paths > 1, "the site's edge peers with both MSEEs and "
	    "keeps its ECMP (not Azure's)");
	n = gw_fib(t, nh);
	T_OK(n == 1 && nh[0] == topo_bgp_addr(t, m1), "RS-35: the instance's "
	    "decision keeps one next hop, the first circuit's MSEE (lowest BGP "
	    "identifier), as walk predicts (got %u)", n);
	topo_free(t);

	t = two_circuits(false);
	m1 = topo_node_find(t, "hub-er-msee");
	m2 = topo_node_find(t, "hub-er-msee2");
	T_EQ(load_conf(t, "hub-er0"), 0, "hub-er0 (no Route Server) has a "
	    "configuration");
	T_EQ(conf.max_paths, BGP_MAX_ECMP, "RS-35: without a Route Server, "
	    "the instance keeps its ECMP");
	n = gw_fib(t, nh);
	T_OK(n == 2 && ((nh[0] == topo_bgp_addr(t, m1) &&
	    nh[1] == topo_bgp_addr(t, m2)) || (nh[1] == topo_bgp_addr(t, m1) &&
	    nh[0] == topo_bgp_addr(t, m2))), "RS-35: without a Route Server "
	    "the instance's FIB holds both MSEEs (got %u)", n);
	t->gws[0]->conns[1]->weight = 100;
	T_EQ(load_conf(t, "hub-er0"), 0, "hub-er0, the second circuit heavier");
	T_OK(peer("hub-er-msee2") != NULL && peer("hub-er-msee2")->weight == 100 &&
	    peer("hub-er-msee")->weight == 0, "GW-09: the instance's peer of "
	    "each circuit's MSEE carries the connection weight");
	n = gw_fib(t, nh);
	T_OK(n == 1 && nh[0] == topo_bgp_addr(t, m2), "GW-09: the heavier "
	    "circuit alone, even without a Route Server (got %u)", n);
	T_EQ(load_conf(t, "hub-er-msee2"), 0, "the MSEE has a configuration");
	T_OK(peer("hub-er0") != NULL && peer("hub-er0")->weight == 0,
	    "GW-09 is the gateway's choice: the MSEE weighs nothing");
	topo_free(t);

	t = load("examples/expressroute.json");
	T_EQ(load_conf(t, "hub-er1"), 0, "hub-er1 has a configuration");
	T_EQ(conf.max_paths, BGP_MAX_ECMP, "RS-35: one circuit, no Route Server: "
	    "the default ECMP width stays");
	topo_free(t);
	t = load("examples/er-vpn.json");
	T_EQ(load_conf(t, "hub-vpn0"), 0, "hub-vpn0 has a configuration");
	T_EQ(conf.max_paths, BGP_MAX_ECMP, "RS-35 is ExpressRoute's: a VPN "
	    "gateway keeps its ECMP");
	topo_free(t);
}

/* PE-06, RS-08: a Route Server in a dual-homed spoke and its NVAs. */
static void
test_dual_homed(void)
{
	struct topo *t = load("examples/dual-homed.json");
	const struct bgp_peer_conf *p;
	const char *rs[] = { "hub-uks-rs0", "hub-uks-rs1", "spoke-dh-rs0",
	    "spoke-dh-rs1" };
	size_t i;

	T_EQ(load_conf(t, "spoke-dh-rs1"), 0, "the spoke's Route Server has a "
	    "configuration");
	p = peer("nva-uks");
	T_OK(conf.asn == 65515 && conf.local_addr == topo_node_find(t,
	    "spoke-dh-rs1")->nic->ip && conf.npeers == 2 && p != NULL &&
	    p->asn == 65001 && p->passive && p->route_limit == 4000 &&
	    peer("nva-weu") != NULL && peer("nva-weu")->asn == 65002,
	    "RS-08, PE-06: the spoke's Route Server (65515) peers with the NVAs "
	    "of both hubs, across the peerings, with the route limit (RS-40)");
	T_OK(conf.noriginate == 1 && conf.originate[0].len == 16 &&
	    conf.originate[0].addr == topo_vnet_find(t, "spoke-dh")->space[0].addr,
	    "RS-10: it originates its own VNet's prefix, and no hub's");
	T_EQ(load_conf(t, "nva-uks"), 0, "nva-uks has a configuration");
	for (i = 0; i < 4; i++) {
		p = peer(rs[i]);
		T_OK(p != NULL && p->asn == 65515 && !p->passive && p->as_override,
		    "PE-06: nva-uks peers with %s, with as-override", rs[i]);
	}
	T_EQ(conf.npeers, 4u, "and with no other (not hub-weu's, RS-08)");
	T_EQ(load_conf(t, "hub-weu-rs0"), 0, "hub-weu-rs0 has a configuration");
	T_OK(peer("nva-weu") != NULL && peer("nva-uks") == NULL,
	    "a hub's Route Server keeps its own NVAs only");
	topo_free(t);
}

/* RS-55: a firewall without BGP: no speaker, no Route Server peer slot. */
static void
test_no_bgp(void)
{
	static const char doc[] = "{\"name\": \"f\", \"regions\": [{\"name\": "
	    "\"r\", \"hub\": {\"name\": \"hub\", \"address_space\": "
	    "[\"10.1.0.0/16\"], \"subnets\": {\"RouteServerSubnet\": "
	    "\"10.1.1.0/27\", \"AzureFirewallSubnet\": \"10.1.3.0/26\", "
	    "\"app\": \"10.1.2.0/24\"}, \"route_server\": {\"max_peers\": 1}, "
	    "\"nvas\": [{\"name\": \"afw\", \"subnet\": \"AzureFirewallSubnet\"}, "
	    "{\"name\": \"fw\", \"subnet\": \"app\", \"asn\": 65001}, "
	    "{\"name\": \"plain\", \"subnet\": \"app\", \"bgp\": false}]}}]}";
	struct topo_err err;
	struct topo *t;

	if (!T_EQ(topo_load_string(doc, strlen(doc), &t, &err), 0, "RS-55: a "
	    "Route Server with max_peers 1, a BGP NVA and two firewalls without "
	    "BGP loads (RS-07 counts the speaker only): %s", err.msg))
		return;
	T_OK(!topo_node_find(t, "afw")->nva->bgp &&
	    !topo_node_find(t, "plain")->nva->bgp &&
	    topo_node_find(t, "fw")->nva->bgp, "RS-55: an NVA in "
	    "AzureFirewallSubnet speaks no BGP by default; \"bgp\": false "
	    "elsewhere");
	T_OK(!emu_has_speaker(t, topo_node_find(t, "afw")) &&
	    !emu_has_speaker(t, topo_node_find(t, "plain")) &&
	    emu_has_speaker(t, topo_node_find(t, "fw")), "RS-55: no speaker "
	    "for a firewall without BGP");
	T_EQ(load_conf(t, "hub-rs0"), 0, "the Route Server has a configuration");
	T_OK(conf.npeers == 1 && peer("fw") != NULL, "RS-55: the Route Server "
	    "peers with the BGP NVA only (%u peers)", conf.npeers);
	T_OK(topo_node_find(t, "afw")->nic->ip_forwarding, "RS-55: the "
	    "firewall forwards (IP forwarding on its NIC)");
	topo_free(t);
}

int
main(void)
{
	test_server();
	test_no_bgp();
	test_rs_gateways();
	test_limits();
	test_shared_circuit();
	test_circuits();
	test_dual_homed();
	emu_bgp_conf_free(&conf);
	return t_done();
}
