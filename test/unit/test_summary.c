/*
 * test_summary: on-premises prefixes over VNet space (issue 18 part 5). A
 * site prefix may contain or equal VNet space (VR-15): validate accepts it
 * and refuses what is still wrong (U-17); the effective routes keep the
 * VNet and peering routes over the summary (VR-05, VR-06); a VPN gateway
 * filters a site prefix equal to a VNet it serves, in plan and in the
 * speaker's own import (GW-05); walks to and from the data centre and
 * between spokes under its summary; the MSEE's choice and a frontend as
 * BGP next hop on examples/landing-zone.json. Pure: no namespace, no process.
 * Inline documents use ' for ".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../bgp/sim.h"
#include "../../emu/model/bgpconf.h"
#include "../../emu/model/plan.h"
#include "../../emu/model/walk.h"
#include "../../topo/lint.h"
#include "../../lib/util.h"
#include "t.h"
#include "tpfx.h"
#include "tplan.h"

#define SUMMARY	"examples/er-vpn-summary.json"


static struct topo *
load_doc(const char *doc, struct topo_err *err)
{
	struct topo *t = NULL;
	char *j = xstrdup(doc), *p;

	for (p = j; *p != '\0'; p++)
		if (*p == '\'')
			*p = '"';
	memset(err, 0, sizeof(*err));
	if (topo_load_string(j, strlen(j), &t, err) == -1)
		t = NULL;
	free(j);
	return t;
}

/* A hub 10.1.0.0/16 with a gateway, a spoke 10.2.0.0/16, a site s. */
#define HUB(gw, site) "{'name':'t','regions':[{'name':'r','hub':{"	\
	"'name':'hub','address_space':['10.1.0.0/16'],'subnets':{"	\
	"'GatewaySubnet':'10.1.0.0/27','RouteServerSubnet':'10.1.1.0/27'},"\
	"'route_server':{'branch_to_branch':true},'gateways':[" gw "]},"\
	"'spokes':[{'name':'s1','address_space':['10.2.0.0/16'],"	\
	"'use_remote_gateways':true,'subnets':{'app':'10.2.1.0/24'},"	\
	"'vms':[{'name':'vm1','subnet':'app'}]}]}],'sites':[" site "]}"
#define ER	"{'name':'er','type':'ExpressRoute','circuit':{'site':'dc'}}"
#define VPN(s)	"{'name':'vpn','type':'Vpn','active_active':true,"	\
	"'tunnels':[{'site':'" s "','bgp':true}]}"

static void
expect_err(const char *doc, const char *path, const char *msg,
    const char *what)
{
	struct topo_err err;
	struct topo *t = load_doc(doc, &err);

	T_OK(t == NULL && strcmp(err.path, path) == 0 &&
	    strstr(err.msg, msg) != NULL, "%s (%s: %s)", what, err.path,
	    err.msg);
	topo_free(t);
}

static void
test_validate(void)
{
	struct topo_err err;
	struct topo *t;

	t = load_doc(HUB(ER, "{'name':'dc','asn':64512,'prefixes':"
	    "['10.0.0.0/8'],'hosts':[{'name':'h','ip':'10.200.0.10'}]}"), &err);
	T_OK(t != NULL, "VR-15: a site's 10.0.0.0/8 over every VNet is valid "
	    "(%s)", err.msg);
	topo_free(t);
	t = load_doc(HUB(ER, "{'name':'dc','asn':64512,'prefixes':"
	    "['10.2.0.0/16']}"), &err);
	T_OK(t != NULL, "VR-15: a site prefix equal to a VNet's is valid (%s)",
	    err.msg);
	if (t != NULL) {
		topo_lint(t);
		T_OK(t->nwarnings == 1 && strstr(t->warnings[0],
		    "sites[0].prefixes[0]") != NULL && strstr(t->warnings[0],
		    "is the address space of VNet \"s1\" (VR-15)") != NULL,
		    "VR-15: lint warns of a site prefix equal to a VNet's "
		    "address space, with its path (%s)",
		    t->nwarnings ? t->warnings[0] : "no warning");
	}
	topo_free(t);
	expect_err(HUB(ER, "{'name':'dc','asn':64512,'prefixes':"
	    "['10.2.4.0/24']}"), "sites[0].prefixes[0]",
	    "lies inside the address space 10.2.0.0/16 of VNet \"s1\"",
	    "U-17: a site prefix inside a VNet prefix is refused, with its "
	    "path");
	expect_err(HUB(ER, "{'name':'dc','asn':64512,'prefixes':"
	    "['10.0.0.0/8'],'hosts':[{'name':'h','ip':'10.2.9.9'}]}"),
	    "sites[0].hosts[0].ip", "is in the address space 10.2.0.0/16",
	    "U-17: a site host at a VNet's address is refused, with its path");
	expect_err(HUB(ER, "{'name':'dc','asn':64512,'prefixes':"
	    "['10.0.0.0/33']}"), "sites[0].prefixes[0]",
	    "is not an IPv4 prefix", "VR-15: a site prefix that is no CIDR "
	    "still gets its JSON path");
}

static const struct sdn_route *
route(const struct sdn_table *tab, const char *pfx, enum sdn_nh_type type)
{
	struct pfx4 p = P(pfx);
	size_t i;

	for (i = 0; i < tab->nroutes; i++)
		if (pfx_equal(&tab->routes[i].pfx, &p) &&
		    tab->routes[i].type == type)
			return &tab->routes[i];
	return NULL;
}

static void
nic_table(const struct topo *t, const struct plan *p, const char *node,
    struct sdn_table *tab)
{
	const struct topo_node *n = topo_node_find(t, node);

	if (n == NULL || n->nic == NULL)
		die("no NIC %s", node);
	sdn_effective(t, &p->in, n->nic, tab);
}

static bool
has_nh(const struct sdn_route *r, const char *ip)
{
	uint32_t a;
	unsigned i;

	if (r == NULL || addr_parse(ip, &a) != 0)
		return false;
	for (i = 0; i < r->nnh; i++)
		if (r->nh[i] == a)
			return true;
	return false;
}

static void
test_routes(void)
{
	struct topo *t = topo_must_load(SUMMARY);
	const struct sdn_route *r;
	struct sdn_table tab;
	struct plan p;
	uint32_t a;

	plan_run(t, &p);
	nic_table(t, &p, "spoke1-vm1", &tab);
	r = route(&tab, "10.0.0.0/8", SDN_NH_VNG);
	T_OK(r != NULL && r->active && r->source == SDN_SRC_VNG &&
	    has_nh(r, "10.1.0.4") && has_nh(r, "10.1.0.5") && r->nnh == 2,
	    "VR-15, GW-09: the data centre's 10.0.0.0/8 reaches the spoke as "
	    "VirtualNetworkGateway over ExpressRoute (10.1.0.4, 10.1.0.5), "
	    "not over VPN");
	r = route(&tab, "10.0.0.0/8", SDN_NH_NONE);
	T_OK(r != NULL && !r->active, "VR-05: the reserved 10.0.0.0/8 None "
	    "route loses to the BGP summary at equal length (Invalid)");
	T_OK((r = route(&tab, "10.2.0.0/16", SDN_NH_VNETLOCAL)) != NULL &&
	    r->active && (r = route(&tab, "10.1.0.0/16",
	    SDN_NH_VNETPEERING)) != NULL && r->active,
	    "VR-15: the spoke's own and the hub's prefixes stay VnetLocal and "
	    "VNetPeering under the summary");
	T_OK(addr_parse("10.1.2.9", &a) == 0 &&
	    (r = sdn_lookup(&tab, a)) != NULL &&
	    r->type == SDN_NH_VNETPEERING, "VR-15: an address of the peered "
	    "hub takes the peering route, longer than the summary");
	T_OK(addr_parse("10.3.1.4", &a) == 0 &&
	    (r = sdn_lookup(&tab, a)) != NULL && r->type == SDN_NH_VNG,
	    "PE-01, VR-15: another spoke is reached by the summary only "
	    "(no peering between spokes)");
	sdn_table_free(&tab);
	nic_table(t, &p, "hub-vm1", &tab);
	T_OK((r = route(&tab, "10.3.0.0/16", SDN_NH_VNETPEERING)) != NULL &&
	    r->active && (r = route(&tab, "10.0.0.0/8", SDN_NH_VNG)) != NULL &&
	    r->active, "VR-15: the hub holds both the peering to each spoke "
	    "and the summary");
	sdn_table_free(&tab);
	plan_free(&p);
	topo_free(t);
}

#define EQUAL_DOC HUB(ER "," VPN("br"), "{'name':'dc','asn':64512,"	\
	"'prefixes':['10.1.0.0/16']},{'name':'br','asn':64513,"		\
	"'prefixes':['10.2.0.0/16','192.168.7.0/24'],'hosts':[{'name':"	\
	"'b1','ip':'192.168.7.10'}]}")

/* The speaker's own import at a VPN gateway instance, fed by the branch. */
static void
test_gw05_speaker(const struct topo *t)
{
	struct bgp_conf *gw = xcalloc(1, sizeof(*gw)),
	    *edge = xcalloc(1, sizeof(*edge));
	struct pfx4 eq = P("10.2.0.0/16"), br = P("192.168.7.0/24");
	bool has_eq = false, has_br = false;
	struct bgp_sim sim;
	size_t i, accepted = 0, received = 0;

	emu_bgp_conf(t, topo_node_find(t, "hub-vpn0"), "", gw);
	emu_bgp_conf(t, topo_node_find(t, "br-edge"), "", edge);
	bgp_sim_run(gw, (const struct bgp_conf *const *)&edge, 1, &sim);
	for (i = 0; i < sim.npeers; i++) {
		accepted += sim.peers[i].accepted;
		received += sim.peers[i].received;
	}
	for (i = 0; i < sim.nfib; i++) {
		has_eq |= pfx_equal(&sim.fib[i].pfx, &eq);
		has_br |= pfx_equal(&sim.fib[i].pfx, &br);
	}
	T_OK(received == 2 && accepted == 1 && !has_eq && has_br,
	    "GW-05: the VPN gateway's speaker refuses the branch's 10.2.0.0/16 "
	    "(equal to the spoke it serves) and takes 192.168.7.0/24 "
	    "(received %zu, accepted %zu)", received, accepted);
	bgp_sim_free(&sim);
	emu_bgp_conf_free(gw);
	emu_bgp_conf_free(edge);
	free(gw);
	free(edge);
}

static void
test_gw05(void)
{
	struct topo_err err;
	struct topo *t = load_doc(EQUAL_DOC, &err);
	const struct sdn_route *r;
	struct sdn_table tab;
	struct plan p;

	if (!T_OK(t != NULL, "GW-05: the topology with equal prefixes loads "
	    "(%s: %s)", err.path, err.msg))
		return;
	plan_run(t, &p);
	T_OK(gw_route(&p, "vpn", "10.2.0.0/16") == NULL &&
	    gw_route(&p, "vpn", "192.168.7.0/24") != NULL,
	    "GW-05: plan's VPN gateway filters the site prefix equal to the "
	    "spoke it serves, and learns the branch's own");
	T_OK(gw_route(&p, "er", "10.1.0.0/16") != NULL, "VR-15: the "
	    "ExpressRoute gateway learns a prefix equal to the hub's (the VPN "
	    "FAQ's filter is a VPN gateway's)");
	nic_table(t, &p, "vm1", &tab);
	r = route(&tab, "10.1.0.0/16", SDN_NH_VNETPEERING);
	T_OK(route(&tab, "10.1.0.0/16", SDN_NH_VNG) == NULL && r != NULL &&
	    r->active, "RS-21, VR-06: the ER-learned 10.1.0.0/16 is not "
	    "programmed; the peering route holds the hub's prefix");
	T_OK(route(&tab, "10.2.0.0/16", SDN_NH_VNG) == NULL,
	    "GW-05: no gateway route for the spoke's own prefix");
	sdn_table_free(&tab);
	plan_free(&p);
	test_gw05_speaker(t);
	topo_free(t);
}

/* RS-13: branch-to-branch, the Route Server passes the summary to an NVA. */
static void
test_rs_nva(void)
{
	struct topo_err err;
	struct topo *t = load_doc("{'name':'n','regions':[{'name':'r','hub':{"
	    "'name':'hub','address_space':['10.1.0.0/16'],'subnets':{"
	    "'GatewaySubnet':'10.1.0.0/27','RouteServerSubnet':'10.1.1.0/27',"
	    "'nva':'10.1.2.0/24'},'route_server':{'branch_to_branch':true},"
	    "'gateways':[" ER "],'nvas':[{'name':'nva1','subnet':'nva',"
	    "'asn':65001}]}}],'sites':[{'name':'dc','asn':64512,'prefixes':"
	    "['10.0.0.0/8'],'hosts':[{'name':'h','ip':'10.200.0.10'}]}]}", &err);
	struct pfx4 sum = P("10.0.0.0/8");
	size_t i, k, n = 0, with = 0;
	struct plan p;

	if (!T_OK(t != NULL, "RS-13: the topology with an NVA loads (%s: %s)",
	    err.path, err.msg))
		return;
	plan_run_routes(t, &p);
	for (i = 0; i < p.npeerings; i++) {
		if (p.peerings[i].nva == NULL ||
		    strcmp(p.peerings[i].nva->node->name, "nva1") != 0)
			continue;
		n++;
		for (k = 0; k < p.peerings[i].nadvertised; k++)
			with += pfx_equal(&p.peerings[i].advertised[k], &sum);
	}
	T_OK(n == 2 && with == 2, "RS-13, VR-15: with branch-to-branch both "
	    "Route Server instances pass the data centre's 10.0.0.0/8 to the "
	    "NVA (%zu of %zu sessions)", with, n);
	plan_free(&p);
	topo_free(t);
}

/* Walks on whole tables, as `walk --offline` runs them (tplan.h). */
static void
walk_names(struct whole *w, const char *from, const char *to, char *hops,
    size_t len, enum walk_outcome *o)
{
	struct walk_env env = { w->t, whole_table, NULL, NULL, w, &w->p->in, NULL };
	const struct topo_node *s = topo_node_find(w->t, from);
	struct walk_pkt pkt = { 0, 0, WALK_UDP, 33434, 0, false };
	const struct topo_node *d = topo_node_find(w->t, to);
	struct walk wk;
	size_t i, n = 0;

	pkt.src = walk_node_ip(s);
	if (d != NULL)
		pkt.dst = walk_node_ip(d);
	else if (addr_parse(to, &pkt.dst) != 0)
		die("bad destination %s", to);
	walk_predict(&env, s, &pkt, 0, &wk);
	hops[0] = '\0';
	for (i = 0; i < wk.n && n < len; i++)
		n += (size_t)snprintf(hops + n, len - n, "%s%s", i ? " " : "",
		    wk.hop[i].node != NULL ? wk.hop[i].node->name :
		    "internet");	/* the Internet edge is no node */
	*o = wk.outcome;
}

static void
test_walks(void)
{
	struct topo *t = topo_must_load(SUMMARY);
	struct plan p;
	struct whole w;
	enum walk_outcome o;
	char hops[256];

	plan_run(t, &p);
	whole_init(&w, t, &p);
	walk_names(&w, "spoke1-vm1", "dc-h1", hops, sizeof(hops), &o);
	T_OK(o == WALK_DELIVERED && strcmp(hops, "spoke1-vm1 hub-er0 "
	    "hub-er-msee dc-edge dc-h1") == 0, "VR-15, GW-09: spoke to the "
	    "data centre over ExpressRoute (%s)", hops);
	walk_names(&w, "dc-h1", "spoke1-vm1", hops, sizeof(hops), &o);
	T_OK(o == WALK_DELIVERED && strcmp(hops, "dc-h1 dc-edge hub-vpn0 "
	    "spoke1-vm1") == 0, "VR-15: the data centre's edge takes the "
	    "spoke's /16 its gateways taught it over its own 10.0.0.0/8 (%s)",
	    hops);
	walk_names(&w, "spoke1-vm1", "spoke2-vm1", hops, sizeof(hops), &o);
	T_OK(o == WALK_DELIVERED && strcmp(hops, "spoke1-vm1 hub-er0 "
	    "spoke2-vm1") == 0, "VR-15: spoke to spoke under the summary: the "
	    "gateway instance turns a VNet's address into the fabric, not "
	    "back down its circuit (%s)", hops);
	walk_names(&w, "spoke1-vm1", "10.200.0.99", hops, sizeof(hops), &o);
	T_OK(o == WALK_NO_ROUTE && strcmp(hops, "spoke1-vm1 hub-er0 "
	    "hub-er-msee dc-edge") == 0, "VR-15: an unassigned address of the "
	    "summary reaches the edge and no host (%s)", hops);
	whole_free(&w);
	plan_free(&p);
	topo_free(t);
}

/*
 * examples/landing-zone.json: one circuit, two hubs' gateways, the data
 * centre's 10.0.0.0/8 over it. GW-13: the MSEE takes a hub's /16 over the
 * site's summary, both from the site's edge and from the other hub's
 * gateway (the hairpin at the MSEE the live lab shows too). RS-23: the
 * firewalls' 0.0.0.0/0 with the load balancer's frontend as NEXT_HOP is
 * balanced, not blackholed.
 */
static void
test_landing_zone(void)
{
	struct topo *t = topo_must_load("examples/landing-zone.json");
	struct plan p;
	struct whole w;
	enum walk_outcome o;
	char hops[256];

	plan_run(t, &p);
	whole_init(&w, t, &p);
	walk_names(&w, "dc-h1", "jump1", hops, sizeof(hops), &o);
	T_OK(o == WALK_DELIVERED && strcmp(hops, "dc-h1 dc-edge dc-er-msee "
	    "hub-weu-er-weu0 jump1") == 0 && strncmp(hops, "dc-h1 dc-edge "
	    "dc-er-msee dc-edge", 28) != 0, "GW-13: the MSEE sends the hub's "
	    "/16 to the hub's gateway, not back to the edge whose 10.0.0.0/8 "
	    "covers it (%s)", hops);
	walk_names(&w, "web3", "db1", hops, sizeof(hops), &o);
	T_OK(strstr(hops, "dc-er-msee hub-weu-er-weu") != NULL &&
	    strstr(hops, "dc-edge") == NULL, "GW-13: north Europe to a west "
	    "Europe spoke under the summary turns at the MSEE, not at the "
	    "data centre (%s)", hops);
	walk_names(&w, "web1", "8.8.8.8", hops, sizeof(hops), &o);
	T_OK(o == WALK_DELIVERED && (strcmp(hops, "web1 fw1 internet") == 0 ||
	    strcmp(hops, "web1 fw2 internet") == 0), "RS-23, LB-04: the "
	    "Route Server's 0.0.0.0/0 with the frontend as next hop goes "
	    "through a backend of the load balancer (%s)", hops);
	whole_free(&w);
	plan_free(&p);
	topo_free(t);
}

int
main(void)
{
	test_landing_zone();
	test_validate();
	test_routes();
	test_gw05();
	test_rs_nva();
	test_walks();
	return t_done();
}
