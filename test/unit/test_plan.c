/*
 * test_plan: `arsemu plan`'s core, offline: bgp_sim (the speaker's own
 * policy and decision code on in-memory sessions) and plan_run (every Route
 * Server instance of a topology, merged per hub). The live lab must agree
 * with these predictions; test/bats/fidelity.bats checks that for every
 * example, byte for byte. Inline documents use ' for ".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../bgp/sim.h"
#include "../../emu/model/plan.h"
#include "../../lib/util.h"
#include "t.h"
#include "tpfx.h"
#include "tplan.h"

static uint32_t
A(const char *s)
{
	uint32_t a = 0;

	if (addr_parse(s, &a) == -1)
		die("bad address in test: %s", s);
	return a;
}


static struct topo *
load(const char *doc)
{
	struct topo_err err;
	struct topo *t = NULL;
	char *j = xstrdup(doc), *p;

	for (p = j; *p != '\0'; p++)
		if (*p == '\'')
			*p = '"';
	if (topo_load_string(j, strlen(j), &t, &err) == -1)
		printf("#   %s: %s\n", err.path, err.msg);
	free(j);
	return t;
}

/* One hub with a Route Server and a spoke using it; nvas is the NVA list. */
#define DOC(rs, nvas) "{'name':'p','regions':[{'name':'r','hub':{"	\
	"'name':'hub','address_space':['10.1.0.0/16'],'subnets':{"	\
	"'RouteServerSubnet':'10.1.1.0/27','nva':'10.1.2.0/24'},"	\
	"'route_server':{" rs "},'nvas':[" nvas "]},'spokes':[{"	\
	"'name':'s1','address_space':['10.2.0.0/16'],"			\
	"'use_remote_gateways':true,'subnets':{'app':'10.2.1.0/24'},"	\
	"'vms':[{'name':'vm1','subnet':'app'}]}]}]}"

static const struct sdn_bgp_route *
hub_route(const struct plan *p, const char *pfx)
{
	struct pfx4 want = P(pfx);
	size_t i;

	for (i = 0; p->in.nhubs > 0 && i < p->in.hubs[0].nroutes; i++)
		if (pfx_equal(&p->in.hubs[0].routes[i].pfx, &want))
			return &p->in.hubs[0].routes[i];
	return NULL;
}

static const struct plan_peering *
peering(const struct plan *p, const char *inst, const char *nva)
{
	size_t i;

	for (i = 0; i < p->npeerings; i++)
		if (strcmp(p->peerings[i].instance->name, inst) == 0 &&
		    p->peerings[i].nva != NULL &&
		    strcmp(p->peerings[i].nva->node->name, nva) == 0)
			return &p->peerings[i];
	return NULL;
}

static void
test_ecmp_prepend(void)
{
	struct topo *t;
	struct plan p;
	const struct sdn_bgp_route *r;

	t = load(DOC("", "{'name':'fw1','subnet':'nva','asn':65010,"
	    "'advertise':['10.0.0.0/8','0.0.0.0/0']},{'name':'fw2','subnet':"
	    "'nva','asn':65010,'advertise':['10.0.0.0/8']}"));
	if (!T_OK(t != NULL, "plan: topology loads"))
		return;
	plan_run(t, &p);
	r = hub_route(&p, "10.0.0.0/8");
	T_OK(r != NULL && r->nnh == 2 && r->nh[0] == A("10.1.2.4") &&
	    r->nh[1] == A("10.1.2.5") && r->aspath_hops == 1,
	    "RS-33: equal AS paths from two NVAs: both next hops programmed");
	r = hub_route(&p, "0.0.0.0/0");
	T_OK(r != NULL && r->nnh == 1 && r->nh[0] == A("10.1.2.4"),
	    "RS-22: 0.0.0.0/0 from an NVA is programmed");
	T_OK(p.in.nhubs == 1 && p.in.hubs[0].rs == t->rss[0] &&
	    p.in.hubs[0].nroutes == 2,
	    "RS-10: the hub and spoke prefixes the RS originates are not "
	    "programmed (only the NVAs' routes are)");
	T_OK(peering(&p, "hub-rs0", "fw1") && peering(&p, "hub-rs0", "fw1")->
	    established && peering(&p, "hub-rs1", "fw2")->accepted == 1,
	    "plan: every peering comes up, routes counted");
	plan_free(&p);

	t->nvas[1]->prepend = 2;
	plan_run(t, &p);
	r = hub_route(&p, "10.0.0.0/8");
	T_OK(r != NULL && r->nnh == 1 && r->nh[0] == A("10.1.2.4") &&
	    r->aspath_hops == 1,
	    "RS-34: a prepend on fw2 leaves fw1 the only next hop");
	plan_free(&p);

	t->nvas[0]->prepend = 3;
	plan_run(t, &p);
	r = hub_route(&p, "10.0.0.0/8");
	T_OK(r != NULL && r->nnh == 1 && r->nh[0] == A("10.1.2.5") &&
	    r->aspath_hops == 3, "RS-34: the shorter AS path wins, whichever "
	    "NVA has it (3 hops over 4)");
	plan_free(&p);
	topo_free(t);
}

static void
test_policy(void)
{
	struct topo *t;
	struct plan p;
	const struct sdn_bgp_route *r;

	t = load(DOC("", "{'name':'lb','subnet':'nva','asn':65001,"
	    "'advertise':['10.250.0.0/16','10.1.0.0/16','10.2.0.0/16'],"
	    "'next_hop':'10.1.2.100'}"));
	if (!T_OK(t != NULL, "plan: topology loads"))
		return;
	plan_run(t, &p);
	r = hub_route(&p, "10.250.0.0/16");
	T_OK(r != NULL && r->nnh == 1 && r->nh[0] == A("10.1.2.100"),
	    "RS-23: the next hop programmed is the NEXT_HOP the NVA sent "
	    "(a load balancer frontend)");
	T_OK(hub_route(&p, "10.1.0.0/16") == NULL &&
	    hub_route(&p, "10.2.0.0/16") == NULL,
	    "RS-21: the NVA's copies of the hub and spoke prefixes are not "
	    "programmed");
	plan_free(&p);
	topo_free(t);
}

static void
test_one_instance(void)
{
	struct topo *t;
	struct plan p;
	const struct sdn_bgp_route *r;

	t = load(DOC("", "{'name':'a','subnet':'nva','asn':65001,"
	    "'advertise':['10.250.0.0/16'],'peers':[0]},{'name':'b',"
	    "'subnet':'nva','asn':65002,'advertise':['10.251.0.0/16']}"));
	if (!T_OK(t != NULL, "plan: topology loads"))
		return;
	plan_run(t, &p);
	r = hub_route(&p, "10.250.0.0/16");
	T_OK(r != NULL && r->nnh == 1 && r->nh[0] == A("10.1.2.4"),
	    "RS-04, U-04: a route from an NVA that peers with one instance "
	    "only is programmed");
	T_OK(peering(&p, "hub-rs0", "a") != NULL &&
	    peering(&p, "hub-rs1", "a") == NULL &&
	    peering(&p, "hub-rs1", "b") != NULL,
	    "RS-04: the other instance has no peering with it");
	T_OK(t->nwarnings == 1, "RS-04: and the topology carries a warning");
	plan_free(&p);
	topo_free(t);
}

static void
test_route_limit(void)
{
	struct topo *t;
	struct plan p;

	t = load(DOC("'route_limit':2", "{'name':'big','subnet':'nva',"
	    "'asn':65001,'advertise':['10.250.0.0/16','10.251.0.0/16',"
	    "'10.252.0.0/16']},{'name':'ok','subnet':'nva','asn':65002,"
	    "'advertise':['10.253.0.0/16','10.254.0.0/16']}"));
	if (!T_OK(t != NULL, "plan: topology loads"))
		return;
	plan_run(t, &p);
	T_OK(hub_route(&p, "10.250.0.0/16") == NULL &&
	    peering(&p, "hub-rs0", "big")->over_limit &&
	    !peering(&p, "hub-rs0", "big")->established &&
	    peering(&p, "hub-rs0", "big")->received == 3,
	    "RS-40: a peer over the route limit has its session reset, none of "
	    "its routes programmed");
	T_OK(hub_route(&p, "10.254.0.0/16") != NULL &&
	    !peering(&p, "hub-rs1", "ok")->over_limit,
	    "RS-40: a peer at the limit is fine");
	plan_free(&p);
	topo_free(t);
}

#define NVA8(n) "{'name':'fw" #n "','subnet':'nva','asn':65010,"	\
	"'advertise':['10.0.0.0/8'],'prepend':10}"

static void
test_no_caps(void)
{
	struct topo *t;
	struct plan p;
	const struct sdn_bgp_route *r;

	t = load(DOC("", NVA8(1) "," NVA8(2) "," NVA8(3) "," NVA8(4) ","
	    NVA8(5) "," NVA8(6) "," NVA8(7) "," NVA8(8)));
	if (!T_OK(t != NULL, "plan: 8 NVAs load"))
		return;
	plan_run(t, &p);
	r = hub_route(&p, "10.0.0.0/8");
	T_OK(r != NULL && r->nnh == 8 && r->aspath_hops == 11,
	    "RS-45, U-03: eight equal paths give eight next hops (no ECMP cap "
	    "but the 8-peer limit); U-02: an 11-hop AS path is accepted");
	plan_free(&p);
	topo_free(t);
}

/* bgp_sim alone: which sessions come up. */
static void
test_sim_sessions(void)
{
	struct bgp_conf rs, nva;
	const struct bgp_conf *others[1] = { &nva };
	struct pfx4 pfx = P("10.250.0.0/16");
	struct bgp_sim sim;

	bgp_conf_init(&rs);
	rs.role = BGP_ROLE_RS;
	rs.asn = BGP_RS_ASN;
	rs.local_addr = rs.bgp_id = A("10.1.1.4");
	rs.npeers = 1;
	rs.peers[0].addr = A("10.1.2.4");
	rs.peers[0].asn = 65001;
	rs.peers[0].passive = true;
	bgp_conf_init(&nva);
	nva.asn = 65001;
	nva.local_addr = nva.bgp_id = A("10.1.2.4");
	nva.npeers = 1;
	nva.peers[0].addr = A("10.1.1.4");
	nva.peers[0].asn = BGP_RS_ASN;
	nva.originate = &pfx;
	nva.noriginate = 1;
	nva.prepend = 1;

	bgp_sim_run(&rs, others, 1, &sim);
	T_OK(sim.npeers == 1 && sim.peers[0].established && sim.nfib == 1 &&
	    sim.fib[0].aspath_hops == 2 && sim.fib[0].nh[0] == A("10.1.2.4"),
	    "bgp_sim: the session comes up; AS path = ASN x (1 + prepend)");
	bgp_sim_free(&sim);

	nva.peers[0].passive = true;
	bgp_sim_run(&rs, others, 1, &sim);
	T_OK(!sim.peers[0].established && sim.nfib == 0,
	    "bgp_sim: two passive ends never connect");
	bgp_sim_free(&sim);

	nva.peers[0].passive = false;
	nva.peers[0].asn = 65514;
	bgp_sim_run(&rs, others, 1, &sim);
	T_OK(!sim.peers[0].established && sim.nfib == 0,
	    "bgp_sim: a peering with the wrong ASN never comes up");
	bgp_sim_free(&sim);
}

/* The shipped examples all plan, and every NIC gets a table. */
static void
test_examples(void)
{
	static const char *files[] = {
		"examples/single-hub.json", "examples/active-active.json",
	};
	struct topo_err err;
	struct sdn_table tab;
	struct topo *t;
	struct plan p;
	size_t i, k;
	int ok;

	for (i = 0; i < NELEM(files); i++) {
		if (!T_EQ(topo_load_file(files[i], &t, &err), 0, "%s loads",
		    files[i]))
			continue;
		plan_run(t, &p);
		for (k = 0, ok = 1; k < t->nnics; k++) {
			sdn_effective(t, &p.in, t->nics[k], &tab);
			ok &= tab.nroutes > 0;
			sdn_table_free(&tab);
		}
		T_OK(ok, "%s: every NIC has an effective route table", files[i]);
		plan_free(&p);
		topo_free(t);
	}
}

/* The merged routes of the Route Server of VNet `vnet`, at pfx. */
static const struct sdn_bgp_route *
rs_route(const struct plan *p, const char *vnet, const char *pfx)
{
	struct pfx4 want = P(pfx);
	size_t i, k;

	for (i = 0; i < p->in.nhubs; i++) {
		if (strcmp(p->in.hubs[i].rs->vnet->name, vnet) != 0)
			continue;
		for (k = 0; k < p->in.hubs[i].nroutes; k++)
			if (pfx_equal(&p->in.hubs[i].routes[k].pfx, &want))
				return &p->in.hubs[i].routes[k];
	}
	return NULL;
}

/*
 * PE-06: the NVAs relay between their hub's Route Server and the spoke's,
 * with as-override; plan runs the exchange in rounds. Without as-override
 * each Route Server drops what the NVAs relay (RS-20).
 */
static void
test_dual_homed(void)
{
	const struct sdn_bgp_route *r;
	const struct plan_peering *pp;
	struct topo_err err;
	struct topo *t;
	struct plan p;
	size_t i;

	if (!T_EQ(topo_load_file("examples/dual-homed.json", &t, &err), 0,
	    "examples/dual-homed.json loads"))
		return;
	plan_run(t, &p);
	r = rs_route(&p, "spoke-dh", "172.16.0.0/16");
	T_OK(r != NULL && r->nnh == 2 && r->nh[0] == A("10.1.2.4") &&
	    r->nh[1] == A("10.11.2.4") && r->aspath_hops == 4, "PE-06: the "
	    "spoke's Route Server has the data centre from both NVAs, ECMP, "
	    "path 4 long (NVA, NVA for 65515, 12076, the site)");
	r = rs_route(&p, "spoke-dh", "10.2.0.0/16");
	T_OK(r != NULL && r->nnh == 1 && r->nh[0] == A("10.1.2.4") &&
	    r->aspath_hops == 2, "PE-06: and spoke-uks from nva-uks only (2)");
	r = rs_route(&p, "hub-uks", "10.5.0.0/16");
	T_OK(r != NULL && r->nnh == 1 && r->nh[0] == A("10.1.2.4"),
	    "PE-06: hub-uks's Route Server has the spoke from nva-uks");
	r = rs_route(&p, "hub-uks", "172.16.0.0/16");
	T_OK(r == NULL, "RS-50: the gateway's own route is not the Route "
	    "Server's to program (the gateway's next hop is dropped)");
	pp = peering(&p, "spoke-dh-rs1", "nva-weu");
	T_OK(pp != NULL && pp->established && pp->received >= 3 &&
	    pp->accepted == pp->received, "RS-08: nva-weu's session with the "
	    "spoke's Route Server, across the peering, is up (%zu routes)",
	    pp ? pp->received : 0);
	plan_free(&p);
	/* without as_override: RS-20 */
	for (i = 0; i < t->nnvas; i++)
		t->nvas[i]->as_override = false;
	plan_run(t, &p);
	T_OK(rs_route(&p, "spoke-dh", "172.16.0.0/16") == NULL &&
	    rs_route(&p, "hub-uks", "10.5.0.0/16") == NULL, "RS-20: without "
	    "as-override nothing crosses from one Route Server to the other");
	pp = peering(&p, "spoke-dh-rs0", "nva-uks");
	T_OK(pp != NULL && pp->established && pp->received > 0 &&
	    pp->accepted == 0, "RS-20: the spoke's Route Server receives the "
	    "relayed routes and accepts none (%zu received)",
	    pp ? pp->received : 0);
	plan_free(&p);
	topo_free(t);
}

/*
 * A hub with an ExpressRoute gateway (circuits to "big", Standard, and to
 * "prem", Premium) and a VPN gateway (BGP tunnels to "vbig" and "small");
 * big, prem and vbig advertise n /24s each, small one.
 */
static struct topo *
limits_topo(size_t n)
{
	static const unsigned a[] = { 172, 10, 10 }, b[] = { 16, 160, 192 };
	static const char *const site[] = { "big", "prem", "vbig" };
	char *doc = NULL, *s;
	size_t i, k, len = 0, cap = 0;
	struct topo *t;

#define PUT(...) do {							\
		s = xasprintf(__VA_ARGS__);				\
		xgrow(&doc, &cap, len + strlen(s) + 1, 1);		\
		memcpy(doc + len, s, strlen(s) + 1);			\
		len += strlen(s);					\
		free(s);						\
	} while (0)
	PUT("{'name':'l','regions':[{'name':'r','hub':{'name':'hub',"
	    "'address_space':['10.1.0.0/16'],'subnets':{'GatewaySubnet':"
	    "'10.1.0.0/27','app':'10.1.2.0/24'},'vms':[{'name':'vm1',"
	    "'subnet':'app'}],'gateways':[{'name':'er','type':'ExpressRoute',"
	    "'circuits':[{'site':'big'},{'site':'prem','sku':'Premium'}]},"
	    "{'name':'vpn','type':'Vpn','tunnels':[{'site':'vbig','bgp':true},"
	    "{'site':'small','bgp':true}]}]}}],'sites':[");
	for (i = 0; i < 3; i++) {
		PUT("{'name':'%s','asn':%zu,'prefixes':[", site[i], 64601 + i);
		for (k = 0; k < n; k++)
			PUT("%s'%u.%zu.%zu.0/24'", k ? "," : "", a[i],
			    b[i] + k / 256, k % 256);
		PUT("]},");
	}
	PUT("{'name':'small','asn':64604,'prefixes':['192.168.50.0/24']}]}");
#undef PUT
	t = load(doc);
	free(doc);
	return t;
}

static void
test_site_limits(void)
{
	struct topo *t;
	struct plan p;

	/* 4,001 /24s: 172.16.0.0/24 ... 172.31.160.0/24 */
	if (!T_OK((t = limits_topo(4001)) != NULL, "GW-05/GW-07: the "
	    "limits topology loads"))
		return;
	T_OK(topo_conn_route_limit(t->gws[0]->conns[0]) == 4000 &&
	    topo_conn_route_limit(t->gws[0]->conns[1]) == 10000 &&
	    topo_conn_route_limit(t->gws[1]->conns[0]) == 4000,
	    "GW-07: 4,000 on a Standard circuit, 10,000 on a Premium one; "
	    "GW-05: 4,000 on a VPN tunnel");
	T_OK(topo_conn_over_limit(t->gws[0]->conns[0]) &&
	    !topo_conn_over_limit(t->gws[0]->conns[1]) &&
	    topo_conn_over_limit(t->gws[1]->conns[0]) &&
	    !topo_conn_over_limit(t->gws[1]->conns[1]),
	    "GW-05/GW-07: 4,001 prefixes put the Standard circuit and the "
	    "VPN tunnel over their limits, not the Premium circuit");
	plan_run(t, &p);
	T_OK(gw_route(&p, "er", "172.16.0.0/24") == NULL &&
	    gw_route(&p, "er", "172.31.160.0/24") == NULL,
	    "GW-07: the gateway learns nothing over a circuit whose site "
	    "sends more than 4,000 prefixes (the session is reset)");
	T_OK(gw_route(&p, "er", "10.160.0.0/24") != NULL &&
	    gw_route(&p, "er", "10.175.160.0/24") != NULL &&
	    gw_route(&p, "er", "10.160.0.0/24")->aspath_hops == 2,
	    "GW-07: all 4,001 from the Premium circuit, path 12076 64602");
	T_OK(gw_route(&p, "vpn", "10.192.0.0/24") == NULL &&
	    gw_route(&p, "vpn", "192.168.50.0/24") != NULL,
	    "GW-05: nothing from the VPN site over 4,000, the other site's "
	    "prefix still learned");
	plan_free(&p);
	topo_free(t);
	/* 10,001: the Premium circuit too (its /24s run to 10.199.16.0) */
	if (!T_OK((t = limits_topo(10001)) != NULL, "10,001 each loads"))
		return;
	plan_run(t, &p);
	T_OK(topo_conn_over_limit(t->gws[0]->conns[1]) &&
	    gw_route(&p, "er", "10.160.0.0/24") == NULL &&
	    gw_route(&p, "vpn", "192.168.50.0/24") != NULL,
	    "GW-07: 10,001 prefixes put the Premium circuit over its 10,000");
	plan_free(&p);
	topo_free(t);
	if (!T_OK((t = limits_topo(10000)) != NULL, "10,000 each loads"))
		return;
	plan_run(t, &p);
	T_OK(gw_route(&p, "er", "10.199.15.0/24") != NULL &&
	    gw_route(&p, "er", "172.16.0.0/24") == NULL,
	    "GW-07: a Premium circuit takes exactly 10,000; the Standard one "
	    "none of its site's");
	plan_free(&p);
	topo_free(t);
	/* exactly at the limit: every session stays */
	if (!T_OK((t = limits_topo(4000)) != NULL, "4,000 each loads"))
		return;
	plan_run(t, &p);
	T_OK(!topo_conn_over_limit(t->gws[0]->conns[0]) &&
	    gw_route(&p, "er", "172.31.159.0/24") != NULL &&
	    gw_route(&p, "vpn", "10.207.159.0/24") != NULL,
	    "GW-05/GW-07: a site at exactly 4,000 prefixes is learned whole");
	plan_free(&p);
	topo_free(t);
}

/* examples/shared-circuit.json with allowRemoteVnetTraffic on er-uks. */
static void
test_remote_vnets(void)
{
	const struct sdn_bgp_route *r;
	struct topo_err err;
	struct topo *t;
	struct plan p;

	if (!T_EQ(topo_load_file("examples/shared-circuit.json", &t, &err), 0,
	    "examples/shared-circuit.json loads"))
		return;
	plan_run(t, &p);
	T_OK(gw_route(&p, "er-uks", "10.11.0.0/16") == NULL &&
	    gw_route(&p, "er-uks", "192.168.20.0/24") == NULL &&
	    gw_route(&p, "er-uks", "172.16.0.0/16") != NULL, "RS-51: by "
	    "default er-uks has the site's prefix only from the shared circuit");
	plan_free(&p);
	t->gws[0]->remote_vnets = true;
	plan_run(t, &p);
	r = gw_route(&p, "er-uks", "10.12.0.0/16");
	T_OK(r != NULL && r->aspath_hops == 2, "allowRemoteVnetTraffic: er-uks "
	    "has hub-weu's spoke behind 12076 65515 (2)");
	r = gw_route(&p, "er-uks", "192.168.20.0/24");
	T_OK(r != NULL && r->aspath_hops == 3, "and, branch-to-branch on in "
	    "hub-weu, nva-weu's prefix behind 12076 65515 65002 (3)");
	T_OK(gw_route(&p, "er-uks", "10.1.0.0/16") == NULL, "but never its own "
	    "VNet back");
	T_OK(gw_route(&p, "er-weu", "10.1.0.0/16") == NULL, "er-weu, without "
	    "the setting, still has no hub-uks route");
	plan_free(&p);
	topo_free(t);
}

/*
 * D-04: one data centre over ExpressRoute (BGP) and over a static VPN
 * tunnel (its prefix a static route in the VPN gateway), with a Route
 * Server of preference rs ("" for none) or without one. The next hops of
 * 172.16.0.0/16 in spoke1-vm1's effective routes, as "a,b".
 */
static void
static_vs_bgp(const char *rs, char *out, size_t len)
{
	char *doc;
	struct sdn_table tab;
	struct sdn_row *rows;
	struct topo *t;
	struct plan p;
	size_t i, n;

	doc = xasprintf("{'name':'d','regions':[{'name':'westeurope','hub':{"
	    "'name':'hub','address_space':['10.1.0.0/16'],'subnets':{"
	    "'GatewaySubnet':'10.1.0.0/27','RouteServerSubnet':'10.1.1.0/27',"
	    "'default':'10.1.2.0/24'}%s%s%s,'gateways':[{'name':'er','type':"
	    "'ExpressRoute','circuit':{'site':'dc'}},{'name':'vpn','type':'Vpn',"
	    "'tunnels':[{'site':'dc','bgp':false}]}]},'spokes':[{'name':"
	    "'spoke1','address_space':['10.2.0.0/16'],'use_remote_gateways':"
	    "true,'subnets':{'default':'10.2.1.0/24'},'vms':[{'name':"
	    "'spoke1-vm1','subnet':'default'}]}]}],'sites':[{'name':'dc','asn':"
	    "64512,'prefixes':['172.16.0.0/16']}]}", *rs ? ",'route_server':{" :
	    "", rs, *rs ? "}" : "");
	out[0] = '\0';
	if ((t = load(doc)) == NULL) {
		free(doc);
		return;
	}
	free(doc);
	plan_run(t, &p);
	for (i = 0; i < t->nnics; i++)
		if (strcmp(t->nics[i]->node->name, "spoke1-vm1") == 0)
			break;
	sdn_effective(t, &p.in, t->nics[i], &tab);
	n = sdn_rows(&tab, &rows);
	for (i = 0; i < n; i++)
		if (strcmp(rows[i].prefix, "172.16.0.0/16") == 0 &&
		    strcmp(rows[i].state, "Active") == 0)
			snprintf(out + strlen(out), len - strlen(out), "%s%s",
			    out[0] ? "," : "", rows[i].nh);
	free(rows);
	sdn_table_free(&tab);
	plan_free(&p);
	topo_free(t);
}

static void
test_static_vs_bgp(void)
{
	char nh[128];

	static_vs_bgp("", nh, sizeof(nh));
	T_OK(strcmp(nh, "10.1.0.4,10.1.0.5") == 0, "D-04, GW-09: without a Route Server "
	    "the ExpressRoute gateway's BGP route beats the VPN gateway's static "
	    "one: no 'static before BGP' step (%s)", nh);
	static_vs_bgp("'hub_routing_preference':'ExpressRoute'", nh, sizeof(nh));
	T_OK(strcmp(nh, "10.1.0.4,10.1.0.5") == 0, "D-04, RS-31: preference "
	    "ExpressRoute: "
	    "ExpressRoute, the static VPN route notwithstanding (%s)", nh);
	static_vs_bgp("'hub_routing_preference':'VpnGateway'", nh, sizeof(nh));
	T_OK(strcmp(nh, "10.1.0.6,10.1.0.7") == 0, "D-04, RS-31: preference "
	    "VpnGateway: the "
	    "VPN gateway (its static route) wins by the preference, not by "
	    "being static (%s)", nh);
}

static bool
has_pfx(const struct pfx4 *v, size_t n, const char *pfx)
{
	struct pfx4 want = P(pfx);
	size_t i;

	for (i = 0; i < n; i++)
		if (pfx_equal(&v[i], &want))
			return true;
	return false;
}

/*
 * An advertise entry written as an object: its own prepend, MED and
 * communities, on top of the NVA's (active/passive per prefix).
 */
static void
test_adv_policy(void)
{
	const struct plan_peering *pr;
	const struct sdn_bgp_route *r;
	struct topo *t;
	struct plan p;

	t = load(DOC("", "{'name':'fw1','subnet':'nva','asn':65010,"
	    "'advertise':[{'prefix':'10.0.0.0/8','prepend':2},"
	    "'10.50.0.0/16']},{'name':'fw2','subnet':'nva','asn':65020,"
	    "'prepend':1,'advertise':['10.0.0.0/8',{'prefix':'10.50.0.0/16',"
	    "'prepend':1,'med':50,'communities':['65535:65282']}]}"));
	if (!T_OK(t != NULL, "advertise policies: topology loads"))
		return;
	T_OK(t->nvas[0]->advpol != NULL && t->nvas[0]->advpol[0].prepend == 2 &&
	    t->nvas[1]->advpol[1].has_med && t->nvas[1]->advpol[1].med == 50 &&
	    t->nvas[1]->advpol[1].ncomm == 1, "advertise objects parse");
	T_EQ(topo_adv_prepend(t->nvas[1], 1), 2u, "a prefix's prepend adds to "
	    "the NVA's (1 + 1)");
	plan_run_routes(t, &p);
	r = hub_route(&p, "10.0.0.0/8");
	T_OK(r != NULL && r->nnh == 1 && r->nh[0] == A("10.1.2.5") &&
	    r->aspath_hops == 2, "RS-34: 10.0.0.0/8 with fw1's own prepend 2 "
	    "(3 hops) loses to fw2's (2 hops)");
	r = hub_route(&p, "10.50.0.0/16");
	T_OK(r != NULL && r->nnh == 1 && r->nh[0] == A("10.1.2.4") &&
	    r->aspath_hops == 1, "RS-34: and 10.50.0.0/16 goes the other way: "
	    "fw1 active for it, fw2 passive (3 hops)");
	pr = peering(&p, "hub-rs0", "fw1");
	T_OK(pr != NULL && has_pfx(pr->advertised, pr->nadvertised,
	    "10.0.0.0/8") && !has_pfx(pr->advertised, pr->nadvertised,
	    "10.50.0.0/16"), "RS-24: fw2's NO_ADVERTISE on 10.50.0.0/16 alone: "
	    "the Route Server passes fw2's 10.0.0.0/8 to fw1, not that one");
	plan_free(&p);
	topo_free(t);
}

int
main(void)
{
	test_ecmp_prepend();
	test_policy();
	test_adv_policy();
	test_one_instance();
	test_route_limit();
	test_no_caps();
	test_sim_sessions();
	test_examples();
	test_dual_homed();
	test_site_limits();
	test_remote_vnets();
	test_static_vs_bgp();
	return t_done();
}
