/*
 * test_spokelb: an internal load balancer outside the hub (PE-08 with
 * LB-01..LB-06, the transit VNet fronting its NVAs with an ILB): a spoke's
 * "load_balancers" and their errors at the spoke's JSON paths (a backend of
 * another VNet, LB-03; a frontend subnet of another VNet, LB-01), and the
 * effective routes, kernel routes, walks and lint of
 * examples/transit-ilb.json: route tables to the frontend from directly
 * peered spokes, and the hub's Route Server's route to it (the firewalls
 * advertise with the frontend as next hop, RS-08, RS-23). Documents use '
 * for ".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "../../topo/lint.h"
#include "../../topo/topo.h"
#include "../../emu/model/kroute.h"
#include "../../emu/model/lb.h"
#include "../../emu/model/plan.h"
#include "../../emu/model/sdn.h"
#include "../../emu/model/walk.h"
#include "t.h"
#include "tjson.h"

/*
 * A hub with NVA hfw, spoke "transit" (fw1, fw2 in subnet nva, and lbs as
 * its load balancers), spoke "other" with NVA ofw, peered with transit.
 */
static char *
doc(const char *lbs)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "{'name':'t','regions':[{'name':'r','hub':{"
	    "'name':'hub','address_space':['10.1.0.0/16'],'subnets':{'nva':"
	    "'10.1.2.0/24'},'nvas':[{'name':'hfw','subnet':'nva','bgp':false}]},"
	    "'spokes':[{'name':'other','address_space':['10.3.0.0/16'],"
	    "'peered':false,'subnets':{'nva':'10.3.1.0/24'},'nvas':[{'name':"
	    "'ofw','subnet':'nva','bgp':false}]},{'name':'transit',"
	    "'address_space':['10.2.0.0/16'],'peerings':['other'],'subnets':{"
	    "'nva':'10.2.1.0/24'},'nvas':[{'name':'fw1','subnet':'nva','bgp':"
	    "false,'ip':'10.2.1.4'},{'name':'fw2','subnet':'nva','bgp':false,"
	    "'ip':'10.2.1.5'}],'load_balancers':[%s]}]}]}", lbs);
	return q(buf);
}

#define LB(fe, be)	"{'name':'ilb','frontend':" fe ",'backends':" be \
	",'probe':{'port':8080}}"
#define FE		"{'subnet':'nva','ip':'10.2.1.10'}"
#define P		"regions[0].spokes[1].load_balancers[0]"

static void
expect_err(const char *lbs, const char *path, const char *want,
    const char *desc)
{
	char *j = doc(lbs);
	struct topo_err err = { .msg = "" };
	struct topo *t = NULL;
	int rc = topo_load_string(j, strlen(j), &t, &err);

	if (!T_OK(rc == -1 && strcmp(err.path, path) == 0 &&
	    strstr(err.msg, want) != NULL, "%s", desc))
		printf("#   want %s ~ %s\n#   got rc %d %s: %s\n", path, want, rc,
		    err.path, err.msg);
	topo_free(t);
	free(j);
}

static void
test_parse(void)
{
	char *j = doc(LB(FE, "['fw1','fw2']"));
	struct topo_err err = { .msg = "" };
	struct topo *t = NULL;
	const struct topo_lb *lb;

	if (!T_OK(topo_load_string(j, strlen(j), &t, &err) == 0 &&
	    t->nlbs == 1, "PE-08, LB-01: a spoke's load balancer loads")) {
		printf("#   %s: %s\n", err.path, err.msg);
		free(j);
		return;
	}
	lb = t->lbs[0];
	T_OK(strcmp(lb->jpath, P) == 0 && lb->subnet->vnet ==
	    topo_vnet_find(t, "transit") && lb->ip == 0x0a02010au &&
	    topo_vnet_find(t, "transit")->nlbs == 1 &&
	    topo_vnet_find(t, "hub")->nlbs == 0, "PE-08, LB-01: its frontend "
	    "10.2.1.10 is in the transit spoke's subnet nva, at %s", lb->jpath);
	T_OK(lb->nbackends == 2 && lb->backends[0]->node == topo_node_find(t,
	    "fw1") && lb->backends[1]->node == topo_node_find(t, "fw2"),
	    "LB-03: its pool holds the spoke's NVAs fw1 and fw2");
	topo_free(t);
	free(j);

	expect_err(LB(FE, "['fw1','hfw']"), P ".backends[1]", "NVA \"hfw\" is "
	    "in VNet \"hub\", not in \"transit\"", "LB-03: a spoke's pool "
	    "refuses the hub's NVA, at its path");
	expect_err(LB(FE, "['ofw']"), P ".backends[0]", "peered ones not "
	    "(LB-03)", "LB-03: and a directly peered spoke's NVA");
	expect_err(LB("{'subnet':'default','ip':'10.1.2.10'}", "['fw1']"),
	    P ".frontend.subnet", "VNet \"transit\" has no subnet", "LB-01: "
	    "the frontend's subnet is one of the spoke's own");
	expect_err(LB("{'subnet':'nva','ip':'10.1.2.10'}", "['fw1']"),
	    P ".frontend.ip", "outside subnet \"nva\" (10.2.1.0/24)", "LB-01: "
	    "a spoke's frontend outside its subnet (the hub's subnet of that "
	    "name is not it)");
	expect_err(LB("{'subnet':'nva','ip':'10.2.1.5'}", "['fw1']"),
	    P ".frontend.ip", "address of fw2", "LB-01: a spoke's frontend "
	    "taken by one of its NICs");
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

/* A UDP probe's walk from node a to node b, flow f (source port 40000 + f). */
static int
walk_udp(const struct topo *t, struct sdn_table *tabs, const char *a,
    const char *b, unsigned f, bool reply, struct walk *w)
{
	const struct topo_node *x = topo_node_find(t, a);
	const struct topo_node *y = topo_node_find(t, b);
	struct walk_pkt pkt = { x->nic->ip, y->nic->ip, WALK_UDP, 33434,
	    (uint16_t)(40000 + f), reply };
	struct walk_env env;

	if (reply) {
		pkt.port = (uint16_t)(40000 + f);
		pkt.sport = 33434;
	}
	memset(&env, 0, sizeof(env));
	env.t = t;
	env.arg = tabs;
	env.table = tab_of;
	walk_predict(&env, x, &pkt, f, w);
	return w->outcome;
}

/* examples/transit-ilb.json: routes, kernel routes, walks and lint. */
static void
test_example(void)
{
	struct topo_err err;
	struct topo *t;
	struct plan p;
	struct sdn_table tabs[16];
	const struct sdn_route *r;
	const struct topo_lb *lb;
	const struct topo_nic *a1, *s3;
	struct walk w, b;
	unsigned f, named = 0, seen = 0, sym = 0;
	size_t i;

	if (!T_OK(topo_load_file("examples/transit-ilb.json", &t, &err) == 0 &&
	    t->nnics <= 16 && t->nlbs == 1, "PE-08, LB-01: "
	    "examples/transit-ilb.json loads, its load balancer in a spoke"))
		return;
	lb = t->lbs[0];
	plan_run(t, &p);
	for (i = 0; i < t->nnics; i++)
		sdn_effective(t, &p.in, t->nics[i], &tabs[i]);
	a1 = topo_node_find(t, "app1-vm1")->nic;
	s3 = topo_node_find(t, "spoke3-vm1")->nic;
	r = route(&tabs[a1->idx], "10.22.0.0/16");
	T_OK(r != NULL && r->type == SDN_NH_VIRTUALAPPLIANCE && r->nnh == 1 &&
	    r->nh[0] == lb->ip, "LB-04, PE-08: app1's effective route to app2 "
	    "names the frontend in the peered transit VNet");
	r = route(&tabs[topo_node_find(t, "hub-vm1")->nic->idx], "10.20.0.0/14");
	T_OK(r != NULL && r->type == SDN_NH_VNG && r->nnh == 1 &&
	    r->nh[0] == lb->ip, "RS-08, RS-23, PE-08: the hub's Route Server "
	    "programs the transit firewalls' 10.20.0.0/14 into the hub, next hop "
	    "the spoke's frontend");
	r = route(&tabs[s3->idx], "10.20.0.0/14");
	T_OK(r != NULL && r->nh[0] == lb->ip, "VR-11, PE-08: and into spoke3, "
	    "which uses the hub's Route Server");
	T_OK(kroute_nh_reaches(t, a1, lb->ip) &&
	    kroute_nh_reaches(t, topo_node_find(t, "hub-vm1")->nic, lb->ip) &&
	    !kroute_nh_reaches(t, s3, lb->ip), "LB-04, PE-01: app1 and the hub "
	    "(peered with transit) reach the frontend, spoke3 does not");
	{
		int nics[16], lbl[1] = { 700 };
		struct kroute_links l = { t, nics, 900, 901, 0, lbl };
		struct kroute *kr = NULL;
		size_t n, k, ok = 0;

		for (i = 0; i < 16; i++)
			nics[i] = 100 + (int)i;
		n = kroute_table(&l, &tabs[a1->idx], &kr);
		for (k = 0; k < n; k++)
			ok += kr[k].dst.addr == 0x0a160000u && kr[k].dst.len == 16 &&
			    kr[k].type == KROUTE_UNICAST && kr[k].nnh == 1 &&
			    kr[k].nh[0].link == 700 && kr[k].nh[0].gw == lb->ip &&
			    kr[k].nh[0].onlink;
		free(kr);
		n = kroute_table(&l, &tabs[s3->idx], &kr);
		for (k = 0; k < n; k++)
			ok += kr[k].dst.addr == 0x0a150000u && kr[k].dst.len == 16 &&
			    kr[k].type == KROUTE_BLACKHOLE;
		free(kr);
		T_EQ(ok, 2u, "LB-04, PE-08: app1's fabric route leaves by the "
		    "spoke's load balancer link; spoke3's, out of reach, is a "
		    "blackhole");
	}
	for (f = 0; f < 16; f++) {
		if (walk_udp(t, tabs, "app1-vm1", "app2-vm1", f, false, &w) ==
		    WALK_DELIVERED && w.n == 3 && w.hop[0].lb == lb &&
		    w.hop[0].backend == w.hop[1].node &&
		    strstr(w.hop[0].how, "load balancer transit-lb: backend") !=
		    NULL && strstr(w.hop[0].how, w.hop[1].node->name) != NULL)
			named++;
		seen |= 1u << (w.hop[1].node == topo_node_find(t, "tfw2"));
		sym += walk_udp(t, tabs, "app2-vm1", "app1-vm1", f, true, &b) ==
		    WALK_DELIVERED && b.n == 3 && b.hop[0].lb == lb &&
		    b.hop[1].node == w.hop[1].node;
	}
	T_EQ(named, 16u, "LB-04, LB-06, PE-08: each walk app1 -> app2 names the "
	    "spoke's load balancer and the backend it crosses");
	T_EQ(seen, 3u, "LB-06: 16 flows cross both transit firewalls");
	T_EQ(sym, 16u, "LB-06: each reply crosses the flow's backend");
	T_OK(walk_udp(t, tabs, "hub-vm1", "app1-vm1", 0, false, &w) ==
	    WALK_DELIVERED && w.n == 3 && w.hop[0].lb == lb &&
	    w.hop[1].node == w.hop[0].backend && walk_udp(t, tabs, "app1-vm1",
	    "hub-vm1", 0, true, &b) == WALK_DELIVERED && b.n == 3 &&
	    b.hop[0].lb == lb && b.hop[1].node == w.hop[1].node, "RS-23, "
	    "LB-06, PE-08: the hub reaches app1 on the Route Server's route "
	    "through the spoke's load balancer, and the reply (app1's route "
	    "table) crosses the same backend");
	T_OK(walk_udp(t, tabs, "spoke3-vm1", "app1-vm1", 0, false, &w) ==
	    WALK_BLACKHOLED && w.n == 1 && strstr(w.detail, "transit-lb") !=
	    NULL && strstr(w.detail, "out of reach (PE-08, PE-01)") !=
	    NULL, "PE-01, PE-08: spoke3's route table's route to the frontend "
	    "is out of reach (%s)", w.detail);
	T_OK(walk_udp(t, tabs, "spoke3-vm1", "app2-vm1", 0, false, &w) ==
	    WALK_BLACKHOLED && w.n == 1 && strstr(w.detail, "out of reach "
	    "(PE-08, PE-01)") != NULL, "PE-01, PE-08: and the Route Server's "
	    "(%s)", w.detail);
	topo_lint(t);
	{
		size_t rt = 0, rs = 0;

		for (i = 0; i < t->nwarnings; i++) {
			rt += strstr(t->warnings[i], "spoke3-rt") != NULL &&
			    strstr(t->warnings[i], "VR-14") != NULL;
			rs += strstr(t->warnings[i], "programs NVA \"tfw") !=
			    NULL && strstr(t->warnings[i], "into \"spoke3\"") !=
			    NULL && strstr(t->warnings[i], "PE-08") != NULL;
		}
		T_OK(t->nwarnings == 3 && rt == 1 && rs == 2, "VR-14, PE-08: "
		    "the example's warnings are spoke3's routes to a frontend it "
		    "cannot reach: its route table's, and the Route Server's "
		    "from each firewall");
	}
	for (i = 0; i < t->nnics; i++)
		sdn_table_free(&tabs[i]);
	plan_free(&p);
	topo_free(t);
}

/*
 * RS-23 (NHIP): a spoke's frontend as an NVA's BGP next hop, the spoke in
 * the hub's region or (reg) in another: lint warns in the second case only.
 */
static size_t
region_warnings(const char *reg)
{
	char buf[2048], *j;
	struct topo_err err = { .msg = "" };
	struct topo *t = NULL;
	size_t i, n = 0;

	snprintf(buf, sizeof(buf), "{'name':'t','regions':[{'name':'r1','hub':"
	    "{'name':'hub','address_space':['10.1.0.0/16'],'subnets':{"
	    "'RouteServerSubnet':'10.1.1.0/27'},'route_server':{}},'spokes':[{"
	    "'name':'transit','address_space':['10.2.0.0/16']%s,'subnets':{"
	    "'nva':'10.2.1.0/24'},'nvas':[{'name':'fw1','subnet':'nva','asn':"
	    "65020,'advertise':['10.20.0.0/14'],'next_hop':'10.2.1.10',"
	    "'route_servers':['hub']}],'load_balancers':[" LB(FE, "['fw1']")
	    "]}]},{'name':'r2'}]}", reg);
	j = q(buf);
	if (topo_load_string(j, strlen(j), &t, &err) != 0) {
		printf("#   %s: %s\n", err.path, err.msg);
		free(j);
		return (size_t)-1;
	}
	topo_lint(t);
	for (i = 0; i < t->nwarnings; i++)
		n += strstr(t->warnings[i], "RS-23") != NULL && strstr(
		    t->warnings[i], "regions[0].spokes[0].nvas[0].next_hop: NVA "
		    "\"fw1\" gives the Route Server of \"hub\" (region r1) load "
		    "balancer \"ilb\" (region r2)") != NULL;
	topo_free(t);
	free(j);
	return n;
}

static void
test_region(void)
{
	T_EQ(region_warnings(""), 0u, "RS-23: a spoke's frontend in the Route "
	    "Server's region as the NVA's next hop: no warning");
	T_EQ(region_warnings(",'region':'r2'"), 1u, "RS-23: in another "
	    "region, lint warns at the NVA's next_hop that Learn requires the "
	    "load balancer in the Route Server's region");
}

int
main(void)
{
	test_parse();
	test_example();
	test_region();
	return t_done();
}
