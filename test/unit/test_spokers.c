/*
 * test_spokers: a spoke's Route Server serving the spokes peered with it
 * using "Use remote gateway or Route Server" (PE-03 over a spoke-to-spoke
 * peering, PE-07): which VNet a spoke uses, the Route Server's
 * configuration (it originates the served spokes' space, RS-10), plan's
 * effective routes (VR-11), its advertisements to the NVA, the kernel
 * routes and walks of examples/spoke-rs.json; a spoke using the Route
 * Server of PE-06's dual-homed spoke, whose NVA is out of its reach; and
 * validate's errors for what Azure refuses, at their JSON paths.
 * Documents use ' for ".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "../../topo/lint.h"
#include "../../topo/topo.h"
#include "../../bgp/bgp.h"
#include "../../emu/model/bgpconf.h"
#include "../../emu/model/kroute.h"
#include "../../emu/model/plan.h"
#include "../../emu/model/sdn.h"
#include "../../emu/model/walk.h"
#include "t.h"
#include "tjson.h"

#define A(s)	addr_must(s)

static uint32_t
addr_must(const char *s)
{
	uint32_t a;

	if (addr_parse(s, &a) != 0)
		die("bad address in test: %s", s);
	return a;
}

/*
 * Region r: hub (a Route Server), spoke tr (its own Route Server, NVA
 * tn), spoke tr2 (its own Route Server), spoke a1 (a VM); trx, a1x and
 * tr2x: more fields of tr, a1 and tr2 (tr's and a1's "peerings" among
 * them).
 */
static char *
doc(const char *trx, const char *a1x, const char *tr2x)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "{'name':'t','regions':[{'name':'r','hub':{"
	    "'name':'hub','address_space':['10.1.0.0/16'],'subnets':{"
	    "'RouteServerSubnet':'10.1.1.0/27'},'route_server':{}},"
	    "'spokes':[{'name':'tr','address_space':['10.10.0.0/16'],"
	    "'peered':false,'subnets':{'RouteServerSubnet':'10.10.0.0/27',"
	    "'nva':'10.10.1.0/24'},'route_server':{},'nvas':[{'name':'tn',"
	    "'subnet':'nva','asn':65020,'advertise':['10.20.0.0/14']}]%s},"
	    "{'name':'a1','address_space':['10.21.0.0/16'],"
	    "'subnets':{'app':'10.21.1.0/24'},'vms':[{'name':'a1-vm1',"
	    "'subnet':'app'}]%s},{'name':'tr2','address_space':"
	    "['10.30.0.0/16'],'peered':false,'subnets':{'RouteServerSubnet':"
	    "'10.30.0.0/27'},'route_server':{}%s}]}]}", trx, a1x, tr2x);
	return q(buf);
}

static struct topo *
load(const char *trx, const char *a1x, const char *tr2x, struct topo_err *err)
{
	struct topo *t = NULL;
	char *j = doc(trx, a1x, tr2x);

	if (topo_load_string(j, strlen(j), &t, err) == -1)
		t = NULL;
	free(j);
	return t;
}

static void
expect_err(const char *trx, const char *a1x, const char *tr2x,
    const char *path, const char *want, const char *desc)
{
	struct topo_err err = { .msg = "" };
	struct topo *t = load(trx, a1x, tr2x, &err);
	int ok = t == NULL && strcmp(err.path, path) == 0 &&
	    strstr(err.msg, want) != NULL;

	if (!T_OK(ok, "%s", desc))
		printf("#   want path \"%s\" msg ~ \"%s\"\n#   got path \"%s\" "
		    "msg \"%s\"\n", path, want, err.path, err.msg);
	topo_free(t);
}

#define TR_GT	",'peerings':[{'vnet':'a1','allow_gateway_transit':true}]"
#define A1_URG	",'peered':false,'peerings':[{'vnet':'tr'," \
	"'use_remote_gateways':true}]"

/* PE-03: what Azure refuses, each at the flag's JSON path. */
static void
test_validate(void)
{
	struct topo_err err = { .msg = "" };
	struct topo *t;

	t = load(TR_GT, A1_URG, "", &err);
	T_OK(t != NULL, "PE-03, PE-07: a spoke uses a peered spoke's Route "
	    "Server (%s)", err.msg);
	topo_free(t);
	expect_err("", A1_URG, "",
	    "regions[0].spokes[1].peerings[0].use_remote_gateways",
	    "allow_gateway_transit", "PE-03: the other spoke does not list "
	    "the peering: Azure's default allowGatewayTransit, false");
	expect_err(",'peerings':[{'vnet':'a1','allow_gateway_transit':false}]",
	    A1_URG, "", "regions[0].spokes[1].peerings[0].use_remote_gateways",
	    "allow_gateway_transit on its side", "PE-03: allowGatewayTransit "
	    "false on the other side");
	expect_err(TR_GT, ",'use_remote_gateways':true,'peerings':[{'vnet':"
	    "'tr','use_remote_gateways':true}]", "",
	    "regions[0].spokes[1].peerings[0].use_remote_gateways",
	    "(use_remote_gateways at regions[0].spokes[1].use_remote_gateways): "
	    "only one peering", "PE-03: the hub's gateways and a spoke's Route "
	    "Server both");
	expect_err(TR_GT, ",'peered':false,'peerings':[{'vnet':'tr',"
	    "'use_remote_gateways':true},{'vnet':'tr2','use_remote_gateways':"
	    "true}]", ",'peerings':[{'vnet':'a1','allow_gateway_transit':true}]",
	    "regions[0].spokes[1].peerings[1].use_remote_gateways",
	    "only one peering of a VNet", "PE-03: two spokes' Route Servers");
	expect_err(",'peerings':[{'vnet':'tr2','use_remote_gateways':true}]",
	    "", ",'peerings':[{'vnet':'tr','allow_gateway_transit':true}]",
	    "regions[0].spokes[0].peerings[0].use_remote_gateways",
	    "has its own route_server", "PE-03: a spoke with its own Route "
	    "Server cannot use a remote one");
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

static const struct sdn_table *
tab_of(void *arg, const struct topo_nic *nic)
{
	return &((struct sdn_table *)arg)[nic->idx];
}

/* Whether the conf of node originates pfx. */
static bool
originates(const struct topo *t, const char *node, const char *pfx)
{
	struct bgp_conf c;
	struct pfx4 p;
	bool found = false;
	size_t i;

	memset(&c, 0, sizeof(c));
	if (pfx_parse(pfx, &p) == -1 ||
	    emu_bgp_conf(t, topo_node_find(t, node), "/nonexistent", &c) != 0)
		return false;
	for (i = 0; i < c.noriginate; i++)
		found |= pfx_equal(&c.originate[i], &p);
	emu_bgp_conf_free(&c);
	return found;
}

/* Whether plan's peering of instance with nva advertises pfx to it. */
static bool
advertised(const struct plan *p, const char *inst, const char *nva,
    const char *pfx)
{
	struct pfx4 want;
	size_t i, k;

	if (pfx_parse(pfx, &want) == -1)
		return false;
	for (i = 0; i < p->npeerings; i++) {
		const struct plan_peering *pe = &p->peerings[i];

		if (strcmp(pe->instance->name, inst) != 0 ||
		    strcmp(pe->nva->node->name, nva) != 0)
			continue;
		for (k = 0; k < pe->nadvertised; k++)
			if (pfx_equal(&pe->advertised[k], &want))
				return true;
	}
	return false;
}

/* examples/spoke-rs.json: who serves whom, routes, kernel routes, walks. */
static void
test_example(void)
{
	struct topo_err err;
	struct topo *t;
	struct plan p;
	struct sdn_table tabs[8];
	const struct topo_vnet *tr, *a1, *a2;
	const struct topo_nic *v1, *v2, *tn;
	const struct sdn_route *r;
	struct walk_pkt pkt;
	struct walk_env env;
	struct walk w;
	size_t i, n;

	if (!T_OK(topo_load_file("examples/spoke-rs.json", &t, &err) == 0 &&
	    t->nnics <= 8, "PE-03, PE-07: examples/spoke-rs.json loads (%s)",
	    err.msg))
		return;
	tr = topo_vnet_find(t, "transit");
	a1 = topo_vnet_find(t, "app1");
	a2 = topo_vnet_find(t, "app2");
	T_OK(topo_remote_gateway_vnet(a1) == tr &&
	    topo_remote_gateway_vnet(a2) == tr &&
	    topo_remote_gateway_vnet(tr) == NULL && sdn_serving_hub(a1) == tr &&
	    topo_gateway_vnet(a1) == NULL, "PE-03: app1 and app2 use transit's "
	    "Route Server, which is no gateway (RS-23)");
	for (i = n = 0; i < topo_gateway_nserved(tr); i++)
		n += topo_gateway_served(tr, i) != NULL;
	T_OK(n == 3 && topo_gateway_served(tr, 0) == tr,
	    "RS-10: transit's Route Server serves transit, app1 and app2");
	{
		struct topo_served_pos pos = { 0, 0 };
		const struct pfx4 *q;
		char got[128] = "", pf[PFX_STRLEN];

		while ((q = topo_gateway_served_pfx(tr, &pos)) != NULL &&
		    strlen(got) + PFX_STRLEN + 1 < sizeof(got)) {
			strcat(got, got[0] ? " " : "");
			strcat(got, pfx_fmt(q, pf));
		}
		T_OK(strcmp(got, "10.10.0.0/16 10.21.0.0/16 10.22.0.0/16") == 0,
		    "RS-10: transit serves, prefix by prefix, its own space, "
		    "app1's and app2's (got %s)", got);
	}
	T_OK(originates(t, "transit-rs0", "10.10.0.0/16") &&
	    originates(t, "transit-rs1", "10.21.0.0/16") &&
	    originates(t, "transit-rs0", "10.22.0.0/16"),
	    "RS-10: its instances originate the space of transit, app1, app2");
	plan_run_routes(t, &p);
	T_OK(advertised(&p, "transit-rs0", "tnva", "10.21.0.0/16") &&
	    advertised(&p, "transit-rs1", "tnva", "10.22.0.0/16"),
	    "RS-10: plan: transit's Route Server advertises app1's and app2's "
	    "space to the NVA");
	for (i = 0; i < t->nnics; i++)
		sdn_effective(t, &p.in, t->nics[i], &tabs[i]);
	v1 = topo_node_find(t, "app1-vm1")->nic;
	v2 = topo_node_find(t, "app2-vm1")->nic;
	tn = topo_node_find(t, "tnva")->nic;
	r = route(&tabs[v1->idx], "10.20.0.0/14");
	T_OK(r != NULL && r->type == SDN_NH_VNG && r->source == SDN_SRC_VNG &&
	    r->nnh == 1 && r->nh[0] == A("10.10.1.4"), "VR-11, PE-03: transit's "
	    "Route Server programs the NVA's 10.20.0.0/14 into app1");
	r = route(&tabs[v2->idx], "10.20.0.0/14");
	T_OK(r != NULL && r->nh[0] == A("10.10.1.4"), "VR-11: and into app2");
	r = route(&tabs[tn->idx], "10.22.0.0/16");
	T_OK(r != NULL && r->type == SDN_NH_VNETPEERING,
	    "RS-21: the NVA's VNet keeps app2's peering route (a more specific "
	    "VNet prefix)");
	{
		int nics[8];
		struct kroute_links l = { t, nics, 900, 901, 0, NULL };
		struct kroute *kr = NULL;
		size_t k, ok = 0;

		for (i = 0; i < 8; i++)
			nics[i] = 100 + (int)i;
		n = kroute_table(&l, &tabs[v1->idx], &kr);
		for (k = 0; k < n; k++)
			ok += kr[k].dst.addr == A("10.20.0.0") &&
			    kr[k].dst.len == 14 && kr[k].type == KROUTE_UNICAST &&
			    kr[k].nnh == 1 && kr[k].nh[0].link == 100 +
			    (int)tn->idx;
		free(kr);
		T_EQ(ok, 1u, "PE-07: app1's fabric route goes to the NVA's NIC "
		    "across the peering");
	}
	memset(&env, 0, sizeof(env));
	env.t = t;
	env.arg = tabs;
	env.table = tab_of;
	pkt = (struct walk_pkt){ v1->ip, v2->ip, WALK_UDP, 33434, 40000, false };
	walk_predict(&env, v1->node, &pkt, 0, &w);
	T_OK(w.outcome == WALK_DELIVERED && w.n == 3 &&
	    w.hop[1].node == tn->node && w.hop[2].node == v2->node,
	    "PE-03, PE-08: app1 to app2 through the NVA, on the Route "
	    "Server's route alone");
	for (i = 0; i < t->nnics; i++)
		sdn_table_free(&tabs[i]);
	plan_free(&p);
	topo_free(t);
}

/* The control: a1 peered with tr without the flag gets none of it. */
static void
test_without_flag(void)
{
	struct topo_err err = { .msg = "" };
	struct topo *t = load(TR_GT, ",'peered':false,'peerings':['tr']", "",
	    &err);
	struct plan p;
	struct sdn_table tab;

	if (!T_OK(t != NULL, "control loads (%s)", err.msg))
		return;
	plan_run(t, &p);
	sdn_effective(t, &p.in, topo_node_find(t, "a1-vm1")->nic, &tab);
	T_OK(route(&tab, "10.20.0.0/14") == NULL &&
	    route(&tab, "10.10.0.0/16") != NULL &&
	    sdn_serving_hub(topo_vnet_find(t, "a1")) == NULL &&
	    !originates(t, "tr-rs0", "10.21.0.0/16"),
	    "VR-11: without use_remote_gateways a1 gets the peering route, not "
	    "the Route Server's, and tr's Route Server does not announce a1");
	sdn_table_free(&tab);
	plan_free(&p);
	topo_free(t);
}

/*
 * PE-06's dual-homed shape: the spoke dh holds a Route Server the hub's
 * NVA hn peers with across their peering (RS-08); spoke x uses dh's Route
 * Server. x gets hn's route, but hn's VNet is not peered with x: lint
 * says so, and the walk drops the traffic (PE-08, PE-01), as it does for a
 * hub's spoke.
 */
static void
test_dual_homed(void)
{
	static const char d[] = "{'name':'t','regions':[{'name':'r','hub':{"
	    "'name':'hub','address_space':['10.1.0.0/16'],'subnets':{"
	    "'RouteServerSubnet':'10.1.1.0/27','nva':'10.1.2.0/24'},"
	    "'route_server':{},'nvas':[{'name':'hn','subnet':'nva','asn':65001,"
	    "'advertise':['172.16.0.0/16'],'route_servers':['dh'],"
	    "'as_override':true}]},'spokes':[{'name':'dh','address_space':"
	    "['10.5.0.0/16'],'subnets':{'RouteServerSubnet':'10.5.0.0/27'},"
	    "'route_server':{},'peerings':[{'vnet':'x',"
	    "'allow_gateway_transit':true}]},{'name':'x','address_space':"
	    "['10.6.0.0/16'],'peered':false,'subnets':{'app':'10.6.1.0/24'},"
	    "'vms':[{'name':'x-vm1','subnet':'app'}],'peerings':[{'vnet':'dh',"
	    "'use_remote_gateways':true}]}]}]}";
	struct topo_err err = { .msg = "" };
	struct topo *t = NULL;
	struct sdn_table tabs[8];
	const struct sdn_route *r;
	const struct topo_nic *x;
	struct walk_pkt pkt;
	struct walk_env env;
	struct walk w;
	struct plan p;
	char *j = q(d);
	size_t i, n = 0;

	if (topo_load_string(j, strlen(j), &t, &err) == -1)
		t = NULL;
	free(j);
	if (!T_OK(t != NULL && t->nnics <= 8, "PE-03, PE-06: a spoke uses the "
	    "dual-homed spoke's Route Server (%s)", err.msg))
		return;
	topo_lint(t);
	for (i = 0; i < t->nwarnings; i++)
		n += strstr(t->warnings[i], "the Route Server of \"dh\"") !=
		    NULL && strstr(t->warnings[i], "into \"x\"") != NULL &&
		    strstr(t->warnings[i], "PE-08") != NULL;
	T_EQ(n, 1u, "PE-08: lint warns that dh's Route Server programs hn's "
	    "routes into x, which is not peered with the hub");
	plan_run(t, &p);
	for (i = 0; i < t->nnics; i++)
		sdn_effective(t, &p.in, t->nics[i], &tabs[i]);
	x = topo_node_find(t, "x-vm1")->nic;
	r = route(&tabs[x->idx], "172.16.0.0/16");
	T_OK(r != NULL && r->type == SDN_NH_VNG && r->nnh == 1 &&
	    r->nh[0] == A("10.1.2.4"), "VR-11, RS-08: dh's Route Server "
	    "programs what hn sends it into x");
	memset(&env, 0, sizeof(env));
	env.t = t;
	env.arg = tabs;
	env.table = tab_of;
	pkt = (struct walk_pkt){ x->ip, A("172.16.0.10"), WALK_UDP, 33434,
	    40000, false };
	walk_predict(&env, x->node, &pkt, 0, &w);
	T_OK(w.outcome == WALK_BLACKHOLED && w.n == 1 &&
	    strstr(w.detail, "out of reach") != NULL, "PE-08, PE-01: x's "
	    "traffic to hn is dropped: out of its reach (%s)", w.detail);
	for (i = 0; i < t->nnics; i++)
		sdn_table_free(&tabs[i]);
	plan_free(&p);
	topo_free(t);
}

int
main(void)
{
	test_validate();
	test_example();
	test_without_flag();
	test_dual_homed();
	return t_done();
}
