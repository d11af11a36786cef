/*
 * test_sdn: effective routes as Azure computes them (emu/model/sdn.c). Topologies
 * are built by hand as C structs, so this test does not depend on the
 * topology parser. Each check names the azure-semantics.md rule it covers.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../bgp/hubpref.h"
#include "../../emu/model/bgpconf.h"
#include "../../emu/model/plan.h"
#include "../../emu/model/sdn.h"
#include "../../lib/util.h"
#include "examples.h"
#include "t.h"
#include "tpfx.h"

#define MAXR	4	/* regions */
#define MAXV	8	/* VNets */
#define MAXS	4	/* address prefixes per VNet */
#define MAXSN	16	/* subnets */
#define MAXN	16	/* nodes, NICs, NVAs */
#define ROW_MAX	160

/* A topology in one block: freed with one free(). */
struct lab {
	struct topo		 t;
	struct topo_region	 reg[MAXR];
	struct topo_region	*regp[MAXR];
	struct topo_vnet	 vn[MAXV];
	struct topo_vnet	*vnp[MAXV];
	struct pfx4		 space[MAXV][MAXS];
	struct topo_vnet	*spokes[MAXV][MAXV];
	struct topo_subnet	 sn[MAXSN];
	struct topo_subnet	*snp[MAXV][MAXSN];
	struct topo_node	 node[MAXN];
	struct topo_node	*nodep[MAXN];
	struct topo_nic		 nic[MAXN];
	struct topo_nic		*nicp[MAXN];
	struct topo_rs		 rs[MAXR];
	struct topo_rs		*rsp[MAXR];
	struct topo_nva		 nva[MAXN];
	struct topo_nva		*nvap[MAXN];
	char			 names[MAXN][TOPO_NAME_MAX + 8];
	size_t			 nsn;
	struct topo_route_table	 rt[MAXR];
	struct topo_udr		 udr[MAXR][MAXN];
	size_t			 nrt;
};


static uint32_t
A(const char *s)
{
	uint32_t a;

	if (addr_parse(s, &a) != 0)
		die("bad address %s", s);
	return a;
}

static struct lab *
lab_new(void)
{
	struct lab *l = xcalloc(1, sizeof(*l));

	l->t.name = "test";
	l->t.regions = l->regp;
	l->t.vnets = l->vnp;
	l->t.nodes = l->nodep;
	l->t.nics = l->nicp;
	l->t.rss = l->rsp;
	l->t.nvas = l->nvap;
	return l;
}

static struct topo_region *
region(struct lab *l, char *name)
{
	struct topo_region *r = &l->reg[l->t.nregions];

	r->name = name;
	l->regp[l->t.nregions++] = r;
	return r;
}

/* A VNet with its address prefixes (NULL-terminated). */
static struct topo_vnet *
vnet(struct lab *l, char *name, struct topo_region *r, ...)
{
	size_t i = l->t.nvnets;
	struct topo_vnet *v = &l->vn[i];
	const char *s;
	va_list ap;

	v->name = name;
	v->region = r;
	v->space = l->space[i];
	v->subnets = l->snp[i];
	v->spokes = l->spokes[i];
	v->allow_gateway_transit = true;
	v->allow_forwarded_traffic = true;
	va_start(ap, r);
	while ((s = va_arg(ap, const char *)) != NULL)
		v->space[v->nspace++] = P(s);
	va_end(ap);
	l->vnp[l->t.nvnets++] = v;
	return v;
}

static void
make_hub(struct topo_vnet *v)
{
	v->hub = true;
	if (v->region != NULL)
		v->region->hub = v;
}

/* The spoke side of a hub-spoke peering, and the hub's list of spokes. */
static void
peer(struct topo_vnet *spoke, struct topo_vnet *hub, bool use_remote_gw)
{
	spoke->peer_hub = hub;
	spoke->use_remote_gateways = use_remote_gw;
	hub->spokes[hub->nspokes++] = spoke;
}

static struct topo_subnet *
subnet(struct lab *l, struct topo_vnet *v, char *name, const char *pfx)
{
	struct topo_subnet *s = &l->sn[l->nsn++];

	s->name = name;
	s->pfx = P(pfx);
	s->vnet = v;
	v->subnets[v->nsubnets++] = s;
	return s;
}

static struct topo_node *
node(struct lab *l, const char *name, enum topo_node_kind kind,
    struct topo_subnet *s, const char *ip)
{
	size_t i = l->t.nnodes;
	struct topo_node *n = &l->node[i];
	struct topo_nic *c = &l->nic[i];

	snprintf(l->names[i], sizeof(l->names[i]), "%s", name);
	n->name = l->names[i];
	n->kind = kind;
	n->jpath = "";
	n->nic = c;
	c->name = n->name;
	c->node = n;
	c->subnet = s;
	c->ip = A(ip);
	c->idx = (unsigned)l->t.nnics;
	c->ip_forwarding = kind == TOPO_NVA;
	l->nodep[l->t.nnodes++] = n;
	l->nicp[l->t.nnics++] = c;
	return n;
}

/* A Route Server in hub: RouteServerSubnet, instances at .4 and .5 (RS-02). */
static struct topo_rs *
route_server(struct lab *l, struct topo_vnet *hub, const char *subnet_pfx)
{
	struct topo_rs *rs = &l->rs[l->t.nrss];
	struct topo_subnet *s = subnet(l, hub, "RouteServerSubnet", subnet_pfx);
	char name[TOPO_NAME_MAX + 8], ip[ADDR_STRLEN];
	unsigned i;

	rs->vnet = hub;
	rs->route_limit = TOPO_RS_ROUTE_LIMIT;
	rs->max_peers = TOPO_RS_MAX_PEERS;
	for (i = 0; i < 2; i++) {
		rs->ip[i] = s->pfx.addr + 4 + i;
		snprintf(name, sizeof(name), "%s-rs%u", hub->name, i);
		rs->inst[i] = node(l, name, TOPO_RS, s, addr_fmt(rs->ip[i], ip));
		rs->inst[i]->rs = rs;
		rs->inst[i]->rs_instance = i;
	}
	hub->rs = rs;
	l->rsp[l->t.nrss++] = rs;
	return rs;
}

static struct topo_nic *
nva(struct lab *l, const char *name, struct topo_subnet *s, const char *ip,
    uint32_t asn)
{
	struct topo_node *n = node(l, name, TOPO_NVA, s, ip);
	struct topo_nva *v = &l->nva[l->t.nnvas];

	v->node = n;
	v->asn = asn;
	v->peer_rs[0] = v->peer_rs[1] = true;
	n->nva = v;
	l->nvap[l->t.nnvas++] = v;
	return n->nic;
}

static struct topo_nic *
vm(struct lab *l, const char *name, struct topo_subnet *s, const char *ip)
{
	return node(l, name, TOPO_VM, s, ip)->nic;
}

/* A route table on subnet sn (disable: VR-07). */
static struct topo_route_table *
route_table(struct lab *l, char *name, struct topo_subnet *sn, bool disable)
{
	struct topo_route_table *rt = &l->rt[l->nrt];

	rt->name = name;
	rt->disable_bgp = disable;
	rt->routes = l->udr[l->nrt++];
	if (sn != NULL)
		sn->rt = rt;
	return rt;
}

/* A user route; nh is NULL except for VirtualAppliance. */
static void
udr(struct topo_route_table *rt, char *name, const char *pfx,
    enum topo_udr_type type, const char *nh)
{
	struct topo_udr *u = &rt->routes[rt->nroutes++];

	u->name = name;
	u->pfx = P(pfx);
	u->type = type;
	u->nh_ip = nh != NULL ? A(nh) : 0;
}

/* One prefix as RS programs it; nh given as dotted quads, NULL-terminated. */
static void
bgp(struct sdn_bgp_route *r, const char *pfx, ...)
{
	const char *s;
	va_list ap;

	memset(r, 0, sizeof(*r));
	r->pfx = P(pfx);
	r->aspath_hops = 1;
	va_start(ap, pfx);
	while ((s = va_arg(ap, const char *)) != NULL)
		r->nh[r->nnh++] = A(s);
	va_end(ap);
}

/*
 * "Source State Prefix NextHopType NextHopIPs" as az -o table shows it,
 * then " name=NAME" for a named (User) route.
 */
static const char *
row(const struct sdn_route *r, char buf[ROW_MAX])
{
	char p[PFX_STRLEN], a[ADDR_STRLEN];
	size_t n;
	unsigned i;

	n = (size_t)snprintf(buf, ROW_MAX, "%s %s %s %s", sdn_source_str(r->source),
	    sdn_state_str(r), pfx_fmt(&r->pfx, p), sdn_nh_type_str(r->type));
	for (i = 0; i < r->nnh && n < ROW_MAX; i++)
		n += (size_t)snprintf(buf + n, ROW_MAX - n, "%s%s", i ? "," : " ",
		    addr_fmt(r->nh[i], a));
	if (r->name != NULL && n < ROW_MAX)
		snprintf(buf + n, ROW_MAX - n, " name=%s", r->name);
	return buf;
}

static void
dump(const struct sdn_table *tab)
{
	char b[ROW_MAX];
	size_t i;

	for (i = 0; i < tab->nroutes; i++)
		printf("#   %s\n", row(&tab->routes[i], b));
}

/* The whole table, exactly, in order. */
static int
table_is(const struct sdn_table *tab, const char **want, size_t nwant,
    const char *what)
{
	char b[ROW_MAX];
	size_t i;
	int ok = tab->nroutes == nwant;

	for (i = 0; ok && i < nwant; i++)
		ok = strcmp(row(&tab->routes[i], b), want[i]) == 0;
	T_OK(ok, "%s", what);
	if (!ok) {
		printf("# got:\n");
		dump(tab);
		printf("# want:\n");
		for (i = 0; i < nwant; i++)
			printf("#   %s\n", want[i]);
	}
	return ok;
}

static const struct sdn_route *
find(const struct sdn_table *tab, const char *pfx, enum sdn_source src)
{
	struct pfx4 p = P(pfx);
	size_t i;

	for (i = 0; i < tab->nroutes; i++)
		if (pfx_equal(&tab->routes[i].pfx, &p) &&
		    tab->routes[i].source == src)
			return &tab->routes[i];
	return NULL;
}

static size_t
count_src(const struct sdn_table *tab, enum sdn_source src)
{
	size_t i, n = 0;

	for (i = 0; i < tab->nroutes; i++)
		n += tab->routes[i].source == src;
	return n;
}

static int
has_row(const struct sdn_table *tab, const char *want)
{
	char b[ROW_MAX];
	size_t i;

	for (i = 0; i < tab->nroutes; i++)
		if (strcmp(row(&tab->routes[i], b), want) == 0)
			return 1;
	return 0;
}

static void
test_default_set(void)
{
	struct lab *l = lab_new();
	struct topo_region *r = region(l, "westeurope");
	struct topo_vnet *v = vnet(l, "v1", r, "10.1.0.0/16", NULL);
	struct topo_vnet *v2 = vnet(l, "v2", r, "10.5.0.0/16", "10.6.0.0/24", NULL);
	struct topo_nic *a = vm(l, "a", subnet(l, v, "app", "10.1.1.0/24"), "10.1.1.4");
	struct topo_nic *b = vm(l, "b", subnet(l, v2, "app", "10.5.1.0/24"), "10.5.1.4");
	struct sdn_table tab;
	static const char *want[] = {
		"Default Active 10.1.0.0/16 VnetLocal",
		"Default Active 0.0.0.0/0 Internet",
		"Default Active 10.0.0.0/8 None",
		"Default Active 100.64.0.0/10 None",
		"Default Active 172.16.0.0/12 None",
		"Default Active 192.168.0.0/16 None",
	};

	sdn_effective(&l->t, NULL, a, &tab);
	T_OK(tab.nic == a, "sdn_effective: the table names its NIC");
	table_is(&tab, want, NELEM(want),
	    "VR-01: default set: VnetLocal, 0.0.0.0/0 Internet, four None routes");
	sdn_table_free(&tab);

	sdn_effective(&l->t, NULL, b, &tab);
	T_OK(has_row(&tab, "Default Active 10.5.0.0/16 VnetLocal") &&
	    has_row(&tab, "Default Active 10.6.0.0/24 VnetLocal"),
	    "VR-01: one VnetLocal route per VNet address prefix");
	T_OK(find(&tab, "10.5.1.0/24", SDN_SRC_DEFAULT) == NULL && tab.nroutes == 7,
	    "VR-01: subnets get no routes of their own");
	sdn_table_free(&tab);
	free(l);
}

static void
test_reserved(void)
{
	struct lab *l = lab_new();
	struct topo_region *r = region(l, "westeurope");
	struct topo_vnet *hub = vnet(l, "hub", r, "172.16.0.0/12", NULL);
	struct topo_vnet *sp = vnet(l, "spoke", r, "192.168.0.0/15", NULL);
	struct topo_vnet *in = vnet(l, "inside", r, "10.1.0.0/16", NULL);
	struct topo_nic *h, *s, *i;
	const struct sdn_route *own;
	struct sdn_table tab;
	static const char *want_hub[] = {
		"Default Active 172.16.0.0/12 VnetLocal",
		"Default Active 192.168.0.0/15 VNetPeering",
		"Default Active 0.0.0.0/0 Internet",
		"Default Active 10.0.0.0/8 None",
		"Default Active 100.64.0.0/10 None",
	};

	make_hub(hub);
	peer(sp, hub, false);
	h = vm(l, "h", subnet(l, hub, "app", "172.16.1.0/24"), "172.16.1.4");
	s = vm(l, "s", subnet(l, sp, "app", "192.168.1.0/24"), "192.168.1.4");
	i = vm(l, "i", subnet(l, in, "app", "10.1.1.0/24"), "10.1.1.4");

	sdn_effective(&l->t, NULL, h, &tab);
	own = find(&tab, "172.16.0.0/12", SDN_SRC_DEFAULT);
	T_OK(own != NULL && own->type == SDN_NH_VNETLOCAL,
	    "VR-02: a VNet prefix equal to 172.16.0.0/12 lists it as VnetLocal, not None");
	T_OK(find(&tab, "192.168.0.0/16", SDN_SRC_DEFAULT) == NULL,
	    "VR-02: a peered prefix that includes 192.168.0.0/16 removes its None route");
	table_is(&tab, want_hub, NELEM(want_hub),
	    "VR-02: hub table with an equal local and an including peered prefix");
	sdn_table_free(&tab);

	sdn_effective(&l->t, NULL, s, &tab);
	T_OK(find(&tab, "192.168.0.0/16", SDN_SRC_DEFAULT) == NULL &&
	    has_row(&tab, "Default Active 172.16.0.0/12 VNetPeering") &&
	    !has_row(&tab, "Default Active 172.16.0.0/12 None"),
	    "VR-02: spoke: local including prefix and equal peered prefix replace the None routes");
	sdn_table_free(&tab);

	sdn_effective(&l->t, NULL, i, &tab);
	T_OK(has_row(&tab, "Default Active 10.0.0.0/8 None"),
	    "VR-02: a VNet prefix inside 10.0.0.0/8 leaves the None route (UDR overview example)");
	T_EQ(sdn_lookup(&tab, A("10.1.2.3"))->type, SDN_NH_VNETLOCAL,
	    "VR-02: longest prefix match still picks VnetLocal inside 10.0.0.0/8");
	T_EQ(sdn_lookup(&tab, A("10.9.0.1"))->type, SDN_NH_NONE,
	    "VR-01: 10.0.0.0/8 outside every VNet is dropped (None)");
	sdn_table_free(&tab);
	free(l);
}

static void
test_peering(void)
{
	struct lab *l = lab_new();
	struct topo_region *we = region(l, "westeurope");
	struct topo_region *ne = region(l, "northeurope");
	struct topo_vnet *hub = vnet(l, "hub", we, "10.1.0.0/16", NULL);
	struct topo_vnet *s1 = vnet(l, "s1", we, "10.2.0.0/16", "10.22.0.0/16", NULL);
	struct topo_vnet *s2 = vnet(l, "s2", ne, "10.3.0.0/16", NULL);
	struct topo_nic *h, *a, *b;
	struct sdn_table tab;
	const struct sdn_route *x;
	static const char *want_hub[] = {
		"Default Active 10.1.0.0/16 VnetLocal",
		"Default Active 10.2.0.0/16 VNetPeering",
		"Default Active 10.3.0.0/16 VNetGlobalPeering",
		"Default Active 10.22.0.0/16 VNetPeering",
		"Default Active 0.0.0.0/0 Internet",
		"Default Active 10.0.0.0/8 None",
		"Default Active 100.64.0.0/10 None",
		"Default Active 172.16.0.0/12 None",
		"Default Active 192.168.0.0/16 None",
	};

	make_hub(hub);
	peer(s1, hub, false);
	peer(s2, hub, false);
	h = vm(l, "h", subnet(l, hub, "app", "10.1.1.0/24"), "10.1.1.4");
	a = vm(l, "a", subnet(l, s1, "app", "10.2.1.0/24"), "10.2.1.4");
	b = vm(l, "b", subnet(l, s2, "app", "10.3.1.0/24"), "10.3.1.4");

	sdn_effective(&l->t, NULL, h, &tab);
	table_is(&tab, want_hub, NELEM(want_hub),
	    "VR-03: hub side: one route per spoke prefix, VNetPeering / VNetGlobalPeering");
	x = find(&tab, "10.2.0.0/16", SDN_SRC_DEFAULT);
	T_OK(x != NULL && x->nnh == 0 && x->name == NULL,
	    "VR-03: peering routes have an empty nextHopIpAddress");
	sdn_table_free(&tab);

	sdn_effective(&l->t, NULL, a, &tab);
	T_OK(has_row(&tab, "Default Active 10.1.0.0/16 VNetPeering"),
	    "VR-03: spoke in the hub's region: VNetPeering to the hub");
	T_OK(find(&tab, "10.3.0.0/16", SDN_SRC_DEFAULT) == NULL,
	    "PE-01: spoke s1 gets no route to spoke s2 (no transitivity)");
	T_EQ(sdn_lookup(&tab, A("10.3.1.4"))->type, SDN_NH_NONE,
	    "PE-01: a packet from s1 to s2 hits 10.0.0.0/8 None");
	sdn_table_free(&tab);

	sdn_effective(&l->t, NULL, b, &tab);
	T_OK(has_row(&tab, "Default Active 10.1.0.0/16 VNetGlobalPeering"),
	    "VR-03: spoke in another region: VNetGlobalPeering to the hub");
	T_OK(find(&tab, "10.2.0.0/16", SDN_SRC_DEFAULT) == NULL &&
	    find(&tab, "10.22.0.0/16", SDN_SRC_DEFAULT) == NULL,
	    "PE-01: spoke s2 gets no route to spoke s1");
	sdn_table_free(&tab);
	free(l);
}

/*
 * The picture on Microsoft Learn (route-injection-in-spokes): hub
 * 10.1.0.0/16 with Route Server and NVAs, spoke 10.2.0.0/16 using the
 * hub's gateway, RS programming 10.250.0.0/16 via 10.1.2.4 and 0.0.0.0/0
 * via 10.1.2.5.
 */
struct hubspoke {
	struct lab		*l;
	struct topo_vnet	*hub, *spoke, *other;
	struct topo_subnet	*nvasn;
	struct topo_nic		*hubvm, *spokevm, *othervm, *nva1, *nva2;
	struct sdn_bgp_route	 br[8];
	struct sdn_hub_routes	 hr;
	struct sdn_input	 in;
};

static void
hubspoke(struct hubspoke *hs)
{
	struct lab *l = lab_new();
	struct topo_region *r = region(l, "westeurope");

	memset(hs, 0, sizeof(*hs));
	hs->l = l;
	hs->hub = vnet(l, "hub", r, "10.1.0.0/16", NULL);
	hs->spoke = vnet(l, "spoke", r, "10.2.0.0/16", NULL);
	hs->other = vnet(l, "other", r, "10.3.0.0/16", NULL);
	make_hub(hs->hub);
	peer(hs->spoke, hs->hub, true);
	peer(hs->other, hs->hub, false);
	route_server(l, hs->hub, "10.1.1.0/27");
	hs->nvasn = subnet(l, hs->hub, "nva", "10.1.2.0/24");
	hs->nva1 = nva(l, "nva1", hs->nvasn, "10.1.2.4", 65001);
	hs->nva2 = nva(l, "nva2", hs->nvasn, "10.1.2.5", 65002);
	hs->hubvm = vm(l, "hubvm", subnet(l, hs->hub, "app", "10.1.3.0/24"), "10.1.3.4");
	hs->spokevm = vm(l, "spokevm", subnet(l, hs->spoke, "app", "10.2.1.0/24"), "10.2.1.4");
	hs->othervm = vm(l, "othervm", subnet(l, hs->other, "app", "10.3.1.0/24"), "10.3.1.4");
	hs->hr.rs = hs->hub->rs;
	hs->hr.routes = hs->br;
	hs->in.hubs = &hs->hr;
	hs->in.nhubs = 1;
}

static void
test_learn_picture(void)
{
	struct hubspoke hs;
	struct sdn_table tab;
	char b[ROW_MAX];
	size_t i;
	int ok;
	static const char *want_spoke[] = {
		"Default Active 10.2.0.0/16 VnetLocal",
		"Default Active 10.1.0.0/16 VNetPeering",
		"VirtualNetworkGateway Active 0.0.0.0/0 VirtualNetworkGateway 10.1.2.5",
		"VirtualNetworkGateway Active 10.250.0.0/16 VirtualNetworkGateway 10.1.2.4",
		"Default Invalid 0.0.0.0/0 Internet",
	};
	static const char *want_hub[] = {
		"Default Active 10.1.0.0/16 VnetLocal",
		"Default Active 10.2.0.0/16 VNetPeering",
		"Default Active 10.3.0.0/16 VNetPeering",
		"VirtualNetworkGateway Active 0.0.0.0/0 VirtualNetworkGateway 10.1.2.5",
		"VirtualNetworkGateway Active 10.250.0.0/16 VirtualNetworkGateway 10.1.2.4",
		"Default Invalid 0.0.0.0/0 Internet",
	};

	hubspoke(&hs);
	bgp(&hs.br[0], "10.250.0.0/16", "10.1.2.4", NULL);
	bgp(&hs.br[1], "0.0.0.0/0", "10.1.2.5", NULL);
	hs.hr.nroutes = 2;

	sdn_effective(&hs.l->t, &hs.in, hs.spokevm, &tab);
	ok = T_EQ(tab.nroutes, NELEM(want_spoke),
	    "Learn picture: the spoke VM has %zu effective routes", NELEM(want_spoke));
	for (i = 0; i < NELEM(want_spoke); i++)
		ok &= T_OK(i < tab.nroutes &&
		    strcmp(row(&tab.routes[i], b), want_spoke[i]) == 0,
		    "Learn picture: spoke VM entry %zu is \"%s\" (VR-01, VR-03, VR-04, VR-05, VR-11)",
		    i, want_spoke[i]);
	if (!ok)
		dump(&tab);
	T_EQ(sdn_lookup(&tab, A("10.250.1.1"))->nh[0], A("10.1.2.4"),
	    "Learn picture: spoke VM -> on-premises goes to the NVA 10.1.2.4 (RS-23)");
	T_EQ(sdn_lookup(&tab, A("8.8.8.8"))->nh[0], A("10.1.2.5"),
	    "Learn picture: spoke VM -> Internet goes to the NVA 10.1.2.5 (RS-22)");
	T_EQ(sdn_lookup(&tab, A("10.9.9.9"))->nh[0], A("10.1.2.5"),
	    "Learn picture: a private address outside every VNet follows 0.0.0.0/0 (UDR example)");
	sdn_table_free(&tab);

	sdn_effective(&hs.l->t, &hs.in, hs.hubvm, &tab);
	table_is(&tab, want_hub, NELEM(want_hub),
	    "Learn picture: the hub VM's full table (VR-04, VR-11: the RS VNet itself)");
	sdn_table_free(&tab);
	free(hs.l);
}

static void
test_bgp_shape(void)
{
	struct hubspoke hs;
	struct sdn_table tab;
	const struct sdn_route *x;

	hubspoke(&hs);
	bgp(&hs.br[0], "10.250.0.0/16", "10.1.2.4", NULL);
	hs.hr.nroutes = 1;
	sdn_effective(&hs.l->t, &hs.in, hs.hubvm, &tab);
	x = find(&tab, "10.250.0.0/16", SDN_SRC_VNG);
	T_OK(x != NULL, "VR-04: the RS route is in the hub VM's table");
	if (x != NULL) {
		T_EQ(x->type, SDN_NH_VNG,
		    "VR-04: nextHopType VirtualNetworkGateway, not VirtualAppliance");
		T_OK(x->nnh == 1 && x->nh[0] == A("10.1.2.4"),
		    "VR-04, RS-23: nextHopIpAddress is the NVA's IP (the BGP NEXT_HOP)");
		T_OK(x->active && x->name == NULL, "VR-04: Active, no UDR name");
		T_OK(strcmp(sdn_source_str(x->source), "VirtualNetworkGateway") == 0 &&
		    strcmp(sdn_nh_type_str(x->type), "VirtualNetworkGateway") == 0,
		    "VR-04, CLI-01: source and type strings VirtualNetworkGateway");
	}
	sdn_table_free(&tab);

	sdn_effective(&hs.l->t, &hs.in, hs.nva1, &tab);
	T_OK(has_row(&tab, "VirtualNetworkGateway Active 10.250.0.0/16 VirtualNetworkGateway 10.1.2.4"),
	    "VR-04: BGP routes land in all subnets, the NVA's own included");
	sdn_table_free(&tab);

	sdn_effective(&hs.l->t, &hs.in, hs.hub->rs->inst[0]->nic, &tab);
	T_OK(find(&tab, "10.250.0.0/16", SDN_SRC_VNG) != NULL,
	    "VR-04: ... and RouteServerSubnet");
	sdn_table_free(&tab);

	sdn_effective(&hs.l->t, NULL, hs.hubvm, &tab);
	T_EQ(count_src(&tab, SDN_SRC_VNG), (size_t)0,
	    "sdn_effective: no input, no BGP routes");
	sdn_table_free(&tab);
	free(hs.l);
}

static void
test_gateway_transit(void)
{
	struct hubspoke hs;
	struct sdn_table tab;

	hubspoke(&hs);
	bgp(&hs.br[0], "10.250.0.0/16", "10.1.2.4", NULL);
	hs.hr.nroutes = 1;

	sdn_effective(&hs.l->t, &hs.in, hs.othervm, &tab);
	T_EQ(count_src(&tab, SDN_SRC_VNG), (size_t)0,
	    "RS-10, VR-11: a spoke without use_remote_gateways gets no BGP routes");
	T_OK(has_row(&tab, "Default Active 10.1.0.0/16 VNetPeering"),
	    "RS-10: ... but keeps its peering route to the hub");
	sdn_table_free(&tab);

	sdn_effective(&hs.l->t, &hs.in, hs.spokevm, &tab);
	T_OK(has_row(&tab, "VirtualNetworkGateway Active 10.250.0.0/16 VirtualNetworkGateway 10.1.2.4"),
	    "RS-10, VR-11: a spoke with use_remote_gateways gets the RS routes");
	sdn_table_free(&tab);

	hs.hub->allow_gateway_transit = false;
	sdn_effective(&hs.l->t, &hs.in, hs.spokevm, &tab);
	T_EQ(count_src(&tab, SDN_SRC_VNG), (size_t)0,
	    "RS-10: without allow_gateway_transit on the hub, the spoke gets none");
	sdn_table_free(&tab);
	free(hs.l);
}

static void
test_rs21(void)
{
	struct hubspoke hs;
	struct sdn_table tab;
	const struct sdn_route *x;
	static const char *filtered[] = {
		"10.1.0.0/16", "10.1.5.0/24", "10.2.0.0/16", "10.2.1.128/25",
	};
	size_t i;
	int ok;

	hubspoke(&hs);
	bgp(&hs.br[0], "10.1.0.0/16", "10.1.2.4", NULL);	/* = hub */
	bgp(&hs.br[1], "10.1.5.0/24", "10.1.2.4", NULL);	/* inside hub */
	bgp(&hs.br[2], "10.2.0.0/16", "10.1.2.4", NULL);	/* = served spoke */
	bgp(&hs.br[3], "10.2.1.128/25", "10.1.2.4", NULL);	/* inside it */
	bgp(&hs.br[4], "10.0.0.0/8", "10.1.2.4", NULL);	/* supernet */
	bgp(&hs.br[5], "10.3.0.0/16", "10.1.2.4", NULL);	/* = unserved spoke */
	bgp(&hs.br[6], "10.3.7.0/24", "10.1.2.4", NULL);	/* inside it */
	hs.hr.nroutes = 7;

	sdn_effective(&hs.l->t, &hs.in, hs.spokevm, &tab);
	for (i = 0, ok = 1; i < NELEM(filtered); i++)
		ok &= find(&tab, filtered[i], SDN_SRC_VNG) == NULL;
	T_OK(ok, "RS-21: NVA routes equal to / inside the hub or a served spoke prefix are not injected (spoke VM)");
	T_OK(has_row(&tab, "VirtualNetworkGateway Active 10.0.0.0/8 VirtualNetworkGateway 10.1.2.4"),
	    "RS-21: the supernet 10.0.0.0/8 is injected");
	T_OK(has_row(&tab, "Default Invalid 10.0.0.0/8 None"),
	    "VR-05: the Default 10.0.0.0/8 None loses to the BGP route and stays listed Invalid");
	T_EQ(sdn_lookup(&tab, A("10.2.1.200"))->type, SDN_NH_VNETLOCAL,
	    "RS-21: the spoke's own traffic stays VnetLocal");
	T_OK(has_row(&tab, "VirtualNetworkGateway Active 10.3.0.0/16 VirtualNetworkGateway 10.1.2.4"),
	    "RS-21: a prefix of a VNet RS does not serve is injected where no VNet route covers it");
	sdn_table_free(&tab);

	sdn_effective(&hs.l->t, &hs.in, hs.hubvm, &tab);
	for (i = 0, ok = 1; i < NELEM(filtered); i++)
		ok &= find(&tab, filtered[i], SDN_SRC_VNG) == NULL;
	T_OK(ok, "RS-21: ... and not in the hub VM either");
	x = find(&tab, "10.3.0.0/16", SDN_SRC_VNG);
	T_OK(x != NULL && !x->active,
	    "VR-06: in the hub, the peering route beats an equal BGP route (listed Invalid)");
	T_OK(has_row(&tab, "Default Active 10.3.0.0/16 VNetPeering"),
	    "VR-06: ... the VNetPeering route stays Active");
	x = find(&tab, "10.3.7.0/24", SDN_SRC_VNG);
	T_OK(x != NULL && !x->active,
	    "VR-06: a more specific BGP route inside a peering prefix is Invalid too");
	T_EQ(sdn_lookup(&tab, A("10.3.7.9"))->type, SDN_NH_VNETPEERING,
	    "VR-06: the hub VM reaches the unserved spoke over the peering");
	sdn_table_free(&tab);
	free(hs.l);
}

static void
test_default_route(void)
{
	struct hubspoke hs;
	struct sdn_table tab;
	size_t i;
	int none = 0;
	static const char *want_nva[] = {
		"Default Active 10.1.0.0/16 VnetLocal",
		"Default Active 10.2.0.0/16 VNetPeering",
		"Default Active 10.3.0.0/16 VNetPeering",
		"VirtualNetworkGateway Active 0.0.0.0/0 VirtualNetworkGateway 10.1.2.4",
		"Default Invalid 0.0.0.0/0 Internet",
	};

	hubspoke(&hs);
	bgp(&hs.br[0], "0.0.0.0/0", "10.1.2.4", NULL);
	hs.hr.nroutes = 1;
	sdn_effective(&hs.l->t, &hs.in, hs.nva1, &tab);
	T_OK(has_row(&tab, "VirtualNetworkGateway Active 0.0.0.0/0 VirtualNetworkGateway 10.1.2.4"),
	    "RS-22: 0.0.0.0/0 from BGP is programmed into the NVA's own subnet");
	T_OK(has_row(&tab, "Default Invalid 0.0.0.0/0 Internet"),
	    "RS-22, VR-05: the Default 0.0.0.0/0 Internet stays listed, Invalid");
	T_EQ(sdn_lookup(&tab, A("8.8.8.8"))->nh[0], hs.nva1->ip,
	    "RS-22: the NVA's Internet traffic goes back to itself (the documented loop)");
	for (i = 0; i < tab.nroutes; i++)
		none += tab.routes[i].type == SDN_NH_NONE;
	T_EQ(none, 0,
	    "VR-02/UDR example: a 0.0.0.0/0 not from Default removes the reserved None routes");
	table_is(&tab, want_nva, NELEM(want_nva), "RS-22: the NVA's full table");
	sdn_table_free(&tab);

	sdn_effective(&hs.l->t, &hs.in, hs.othervm, &tab);
	T_OK(has_row(&tab, "Default Active 0.0.0.0/0 Internet") &&
	    has_row(&tab, "Default Active 10.0.0.0/8 None"),
	    "RS-22, VR-11: a spoke RS does not serve keeps Internet and the None routes");
	sdn_table_free(&tab);
	free(hs.l);
}

static void
test_ties(void)
{
	struct hubspoke hs;
	struct sdn_table tab;
	const struct sdn_route *d, *g;
	char b[ROW_MAX];

	hubspoke(&hs);
	bgp(&hs.br[0], "192.168.0.0/16", "10.1.2.4", NULL);
	bgp(&hs.br[1], "172.16.0.0/12", "10.1.2.5", NULL);
	hs.hr.nroutes = 2;
	sdn_effective(&hs.l->t, &hs.in, hs.spokevm, &tab);
	d = find(&tab, "192.168.0.0/16", SDN_SRC_DEFAULT);
	g = find(&tab, "192.168.0.0/16", SDN_SRC_VNG);
	T_OK(d != NULL && g != NULL && g->active && !d->active,
	    "VR-05: equal prefixes: VirtualNetworkGateway beats Default; the loser stays listed");
	T_EQ(sdn_lookup(&tab, A("192.168.3.3"))->source, SDN_SRC_VNG,
	    "VR-05: the packet follows the winner");
	T_OK(has_row(&tab, "Default Active 100.64.0.0/10 None"),
	    "VR-05: different prefixes are all Active");
	T_OK(tab.nroutes > 0 && strcmp(row(&tab.routes[tab.nroutes - 1], b),
	    "Default Invalid 192.168.0.0/16 None") == 0,
	    "CLI-01 order: a losing None route keeps its place among the None routes");
	sdn_table_free(&tab);
	free(hs.l);
}

static void
test_ecmp(void)
{
	struct hubspoke hs;
	struct sdn_table tab;
	const struct sdn_route *x;

	hubspoke(&hs);
	bgp(&hs.br[0], "10.250.0.0/16", "10.1.2.5", "10.1.2.4", NULL);
	bgp(&hs.br[1], "10.251.0.0/16", "10.1.2.4", NULL);
	bgp(&hs.br[2], "10.251.0.0/16", "10.1.2.5", "10.1.2.4", NULL);
	hs.hr.nroutes = 3;
	sdn_effective(&hs.l->t, &hs.in, hs.spokevm, &tab);
	x = find(&tab, "10.250.0.0/16", SDN_SRC_VNG);
	T_OK(x != NULL && x->nnh == 2 && x->nh[0] == A("10.1.2.4") &&
	    x->nh[1] == A("10.1.2.5") && x->active,
	    "RS-33: equal paths from two NVAs: one route, two next hops, sorted");
	T_OK(has_row(&tab, "VirtualNetworkGateway Active 10.251.0.0/16 VirtualNetworkGateway 10.1.2.4,10.1.2.5"),
	    "RS-33: the same prefix given twice is merged into one route, next hops distinct");
	T_EQ(count_src(&tab, SDN_SRC_VNG), (size_t)2, "RS-33: one entry per prefix");
	sdn_table_free(&tab);
	free(hs.l);
}

static void
test_lookup(void)
{
	struct hubspoke hs;
	struct sdn_table tab, empty;

	hubspoke(&hs);
	bgp(&hs.br[0], "10.250.0.0/16", "10.1.2.4", NULL);
	bgp(&hs.br[1], "10.250.7.0/24", "10.1.2.5", NULL);
	hs.hr.nroutes = 2;
	sdn_effective(&hs.l->t, &hs.in, hs.spokevm, &tab);
	T_EQ(sdn_lookup(&tab, A("10.250.7.1"))->nh[0], A("10.1.2.5"),
	    "sdn_lookup: the longest prefix wins (/24 over /16)");
	T_EQ(sdn_lookup(&tab, A("10.250.8.1"))->nh[0], A("10.1.2.4"),
	    "sdn_lookup: outside the /24, the /16");
	T_EQ(sdn_lookup(&tab, A("10.1.9.9"))->type, SDN_NH_VNETPEERING,
	    "sdn_lookup: the hub over the peering");
	T_EQ(sdn_lookup(&tab, A("10.2.200.1"))->type, SDN_NH_VNETLOCAL,
	    "sdn_lookup: own VNet is VnetLocal");
	T_EQ(sdn_lookup(&tab, A("10.77.0.1"))->type, SDN_NH_NONE,
	    "sdn_lookup: 10.0.0.0/8 None beats 0.0.0.0/0 Internet");
	T_EQ(sdn_lookup(&tab, A("1.1.1.1"))->type, SDN_NH_INTERNET,
	    "sdn_lookup: 0.0.0.0/0 Internet for the rest");
	sdn_table_free(&tab);

	hs.hr.nroutes = 0;
	bgp(&hs.br[0], "10.3.0.0/24", "10.1.2.4", NULL);
	hs.hr.nroutes = 1;
	sdn_effective(&hs.l->t, &hs.in, hs.hubvm, &tab);
	T_EQ(sdn_lookup(&tab, A("10.3.0.1"))->type, SDN_NH_VNETPEERING,
	    "sdn_lookup: Invalid routes are skipped (VR-06)");
	sdn_table_free(&tab);

	memset(&empty, 0, sizeof(empty));
	T_OK(sdn_lookup(&empty, A("10.0.0.1")) == NULL,
	    "sdn_lookup: no route, NULL (the packet is dropped)");
	free(hs.l);
}

static void
test_equal(void)
{
	struct hubspoke hs;
	struct sdn_table a, b, c;
	struct sdn_route x, y;
	struct topo_nic *vm2;

	hubspoke(&hs);
	vm2 = vm(hs.l, "spokevm2", hs.spokevm->subnet, "10.2.1.5");
	bgp(&hs.br[0], "10.250.0.0/16", "10.1.2.4", NULL);
	hs.hr.nroutes = 1;
	sdn_effective(&hs.l->t, &hs.in, hs.spokevm, &a);
	sdn_effective(&hs.l->t, &hs.in, vm2, &b);
	sdn_effective(&hs.l->t, &hs.in, hs.hubvm, &c);
	T_OK(sdn_table_equal(&a, &b),
	    "sdn_table_equal: two NICs in one subnet have equal tables (they may share one)");
	T_OK(!sdn_table_equal(&a, &c), "sdn_table_equal: hub and spoke tables differ");
	sdn_table_free(&b);
	sdn_effective(&hs.l->t, &hs.in, hs.spokevm, &b);
	T_OK(sdn_table_equal(&a, &b), "sdn_effective: deterministic (same input, same table)");

	x = a.routes[2];
	y = x;
	T_OK(sdn_route_equal(&x, &y), "sdn_route_equal: a copy is equal");
	y.nh[0]++;
	T_OK(!sdn_route_equal(&x, &y), "sdn_route_equal: next hop differs");
	y = x;
	y.active = !y.active;
	T_OK(!sdn_route_equal(&x, &y), "sdn_route_equal: state differs");
	y = x;
	y.nh[y.nnh] = A("9.9.9.9");
	T_OK(sdn_route_equal(&x, &y), "sdn_route_equal: slots past nnh do not count");
	y = x;
	y.name = "udr1";
	T_OK(!sdn_route_equal(&x, &y), "sdn_route_equal: name differs (NULL vs set)");
	x.name = "udr1";
	T_OK(sdn_route_equal(&x, &y), "sdn_route_equal: names compared by value");
	/* padding bytes (after pfx.len, after active) differ, fields do not */
	memset(&x, 0x00, sizeof(x));
	memset(&y, 0xa5, sizeof(y));
	x.pfx.addr = y.pfx.addr = a.routes[2].pfx.addr;
	x.pfx.len = y.pfx.len = a.routes[2].pfx.len;
	x.source = y.source = a.routes[2].source;
	x.type = y.type = a.routes[2].type;
	x.nnh = y.nnh = 1;
	x.nh[0] = y.nh[0] = A("10.1.2.4");
	x.active = y.active = true;
	x.name = y.name = NULL;
	T_OK(sdn_route_equal(&x, &y) && sdn_route_hash(1, &x) ==
	    sdn_route_hash(1, &y), "sdn_route_hash: equal routes hash alike, "
	    "whatever their padding bytes hold");
	y.nh[0]++;
	T_OK(sdn_route_hash(1, &x) != sdn_route_hash(1, &y),
	    "sdn_route_hash: a next hop counts");
	sdn_table_free(&a);
	sdn_table_free(&b);
	sdn_table_free(&c);
	free(hs.l);
}

static void
test_strings(void)
{
	struct sdn_route r;

	memset(&r, 0, sizeof(r));
	T_OK(strcmp(sdn_source_str(SDN_SRC_DEFAULT), "Default") == 0 &&
	    strcmp(sdn_source_str(SDN_SRC_USER), "User") == 0 &&
	    strcmp(sdn_source_str(SDN_SRC_VNG), "VirtualNetworkGateway") == 0,
	    "CLI-01: source strings");
	T_OK(strcmp(sdn_nh_type_str(SDN_NH_VNETLOCAL), "VnetLocal") == 0 &&
	    strcmp(sdn_nh_type_str(SDN_NH_VNETPEERING), "VNetPeering") == 0 &&
	    strcmp(sdn_nh_type_str(SDN_NH_VNETGLOBALPEERING), "VNetGlobalPeering") == 0 &&
	    strcmp(sdn_nh_type_str(SDN_NH_VIRTUALAPPLIANCE), "VirtualAppliance") == 0 &&
	    strcmp(sdn_nh_type_str(SDN_NH_INTERNET), "Internet") == 0 &&
	    strcmp(sdn_nh_type_str(SDN_NH_NONE), "None") == 0,
	    "CLI-01, D-11: nextHopType strings as az prints them");
	T_OK(strcmp(sdn_state_str(&r), "Invalid") == 0, "CLI-01: state Invalid");
	r.active = true;
	T_OK(strcmp(sdn_state_str(&r), "Active") == 0, "CLI-01: state Active");
}

static void
test_no_subnet(void)
{
	struct lab *l = lab_new();
	struct topo_nic nic;
	struct sdn_table tab;

	memset(&nic, 0, sizeof(nic));
	sdn_effective(&l->t, NULL, &nic, &tab);
	T_OK(tab.nroutes == 0 && tab.routes == NULL && tab.nic == &nic,
	    "sdn_effective: a NIC outside any subnet has an empty table");
	sdn_table_free(&tab);
	free(l);
}


static void
test_udr(void)
{
	struct hubspoke hs;
	struct topo_route_table *rt;
	struct sdn_table tab;
	const struct sdn_route *x;
	static const char *want[] = {
		"Default Active 10.2.0.0/16 VnetLocal",
		"Default Active 10.1.0.0/16 VNetPeering",
		"VirtualNetworkGateway Invalid 0.0.0.0/0 VirtualNetworkGateway 10.1.2.5",
		"VirtualNetworkGateway Active 10.250.0.0/16 VirtualNetworkGateway 10.1.2.4",
		"Default Invalid 0.0.0.0/0 Internet",
		"User Active 0.0.0.0/0 VirtualAppliance 10.1.2.4 name=to-fw",
		"User Active 10.2.9.0/24 VnetLocal name=keep",
		"User Active 10.99.0.0/16 None name=drop",
		"User Active 203.0.113.0/24 Internet name=web",
	};

	hubspoke(&hs);
	bgp(&hs.br[0], "10.250.0.0/16", "10.1.2.4", NULL);
	bgp(&hs.br[1], "0.0.0.0/0", "10.1.2.5", NULL);
	hs.hr.nroutes = 2;
	rt = route_table(hs.l, "spoke-rt", hs.spokevm->subnet, false);
	udr(rt, "to-fw", "0.0.0.0/0", TOPO_UDR_VIRTUALAPPLIANCE, "10.1.2.4");
	udr(rt, "drop", "10.99.0.0/16", TOPO_UDR_NONE, NULL);
	udr(rt, "web", "203.0.113.0/24", TOPO_UDR_INTERNET, NULL);
	udr(rt, "keep", "10.2.9.0/24", TOPO_UDR_VNETLOCAL, NULL);
	sdn_effective(&hs.l->t, &hs.in, hs.spokevm, &tab);
	table_is(&tab, want, NELEM(want), "VR-05, VR-08, CLI-01: User routes "
	    "of every type listed after the Default 0.0.0.0/0, with their names");
	x = find(&tab, "0.0.0.0/0", SDN_SRC_USER);
	T_OK(x != NULL && x->active && strcmp(x->name, "to-fw") == 0 &&
	    x->type == SDN_NH_VIRTUALAPPLIANCE,
	    "VR-05: equal prefix 0.0.0.0/0: User beats VirtualNetworkGateway "
	    "and Default (both Invalid)");
	T_OK(!find(&tab, "0.0.0.0/0", SDN_SRC_VNG)->active,
	    "D-07: a gateway-propagated 0.0.0.0/0 does not beat a UDR 0.0.0.0/0");
	T_EQ(sdn_lookup(&tab, A("10.99.1.1"))->type, SDN_NH_NONE,
	    "VR-08: a None UDR drops its prefix");
	T_EQ(sdn_lookup(&tab, A("203.0.113.9"))->type, SDN_NH_INTERNET,
	    "VR-08: an Internet UDR sends its prefix to the Internet");
	T_EQ(sdn_lookup(&tab, A("10.9.0.1"))->nh[0], A("10.1.2.4"),
	    "VR-13: a User 0.0.0.0/0 removes the reserved None routes; "
	    "private destinations follow it");
	T_OK(!tab.disable_bgp, "VR-07: propagation on by default");
	sdn_table_free(&tab);

	sdn_effective(&hs.l->t, &hs.in, hs.hubvm, &tab);
	T_EQ(count_src(&tab, SDN_SRC_USER), (size_t)0,
	    "VR-08: a route table applies to its own subnets only");
	sdn_table_free(&tab);
	free(hs.l);
}

static void
test_udr_over_vnet(void)
{
	struct hubspoke hs;
	struct topo_route_table *rt;
	struct topo_subnet *web;
	struct topo_nic *webvm;
	struct sdn_table tab;
	const struct sdn_route *x;

	hubspoke(&hs);
	web = subnet(hs.l, hs.hub, "web", "10.1.4.0/24");
	webvm = vm(hs.l, "webvm", web, "10.1.4.4");
	/* RS-53: the NVA advertises the app subnet; RS-21 keeps it out. */
	bgp(&hs.br[0], "10.1.3.0/24", "10.1.2.4", NULL);
	hs.hr.nroutes = 1;
	sdn_effective(&hs.l->t, &hs.in, webvm, &tab);
	T_EQ(sdn_lookup(&tab, A("10.1.3.4"))->type, SDN_NH_VNETLOCAL,
	    "RS-53: a BGP route cannot steer subnet-to-subnet traffic in a VNet");
	T_OK(find(&tab, "10.1.3.0/24", SDN_SRC_VNG) == NULL,
	    "RS-53, RS-21: the subnet prefix from BGP is not even listed");
	sdn_table_free(&tab);

	rt = route_table(hs.l, "web-rt", web, false);
	udr(rt, "app-via-fw", "10.1.3.0/24", TOPO_UDR_VIRTUALAPPLIANCE, "10.1.2.4");
	udr(rt, "hub-via-fw", "10.1.0.0/16", TOPO_UDR_VIRTUALAPPLIANCE, "10.1.2.5");
	sdn_effective(&hs.l->t, &hs.in, webvm, &tab);
	x = sdn_lookup(&tab, A("10.1.3.4"));
	T_OK(x != NULL && x->source == SDN_SRC_USER && x->nh[0] == A("10.1.2.4"),
	    "RS-53, VR-06: a UDR inside the VNet prefix steers subnet-to-subnet "
	    "traffic through the NVA");
	T_OK(has_row(&tab, "Default Invalid 10.1.0.0/16 VnetLocal") &&
	    has_row(&tab, "User Active 10.1.0.0/16 VirtualAppliance 10.1.2.5 "
	    "name=hub-via-fw"),
	    "VR-06: a UDR equal to the VNet prefix overrides VnetLocal "
	    "(listed Invalid)");
	sdn_table_free(&tab);
	free(hs.l);
}

static void
test_spoke_to_spoke(void)
{
	struct hubspoke hs;
	struct topo_vnet *s2;
	struct topo_nic *s2vm;
	struct topo_route_table *rt;
	struct sdn_table tab;
	const struct sdn_route *x;

	hubspoke(&hs);
	s2 = vnet(hs.l, "spoke2", hs.hub->region, "10.4.0.0/16", NULL);
	peer(s2, hs.hub, true);
	s2vm = vm(hs.l, "s2vm", subnet(hs.l, s2, "app", "10.4.1.0/24"), "10.4.1.4");

	sdn_effective(&hs.l->t, &hs.in, hs.spokevm, &tab);
	T_EQ(sdn_lookup(&tab, A("10.4.1.4"))->type, SDN_NH_NONE,
	    "PE-01, PE-02: without a route via the NVA, spoke to spoke is dropped");
	sdn_table_free(&tab);

	bgp(&hs.br[0], "10.4.0.0/16", "10.1.2.4", NULL);
	hs.hr.nroutes = 1;
	sdn_effective(&hs.l->t, &hs.in, hs.spokevm, &tab);
	T_EQ(sdn_lookup(&tab, A("10.4.1.4"))->type, SDN_NH_NONE,
	    "PE-02, RS-21: the other spoke's exact prefix from BGP is not injected");
	sdn_table_free(&tab);

	bgp(&hs.br[0], "10.0.0.0/8", "10.1.2.4", NULL);
	sdn_effective(&hs.l->t, &hs.in, hs.spokevm, &tab);
	x = sdn_lookup(&tab, A("10.4.1.4"));
	T_OK(x != NULL && x->source == SDN_SRC_VNG && x->nh[0] == A("10.1.2.4"),
	    "PE-02: an RS-injected supernet sends spoke to spoke via the NVA");
	sdn_table_free(&tab);

	hs.hr.nroutes = 0;
	rt = route_table(hs.l, "s2-rt", s2vm->subnet, false);
	udr(rt, "s1", "10.2.0.0/16", TOPO_UDR_VIRTUALAPPLIANCE, "10.1.2.5");
	sdn_effective(&hs.l->t, &hs.in, s2vm, &tab);
	x = sdn_lookup(&tab, A("10.2.1.4"));
	T_OK(x != NULL && x->source == SDN_SRC_USER && x->nh[0] == A("10.1.2.5"),
	    "PE-02: a UDR for the other spoke's prefix sends it via the NVA");
	sdn_table_free(&tab);
	free(hs.l);
}

static void
test_disable_propagation(void)
{
	struct hubspoke hs;
	struct topo_route_table *rt;
	struct sdn_table tab;
	struct sdn_row *rows;
	size_t i, n;
	int all;

	hubspoke(&hs);
	bgp(&hs.br[0], "10.250.0.0/16", "10.1.2.4", NULL);
	bgp(&hs.br[1], "0.0.0.0/0", "10.1.2.5", NULL);
	hs.hr.nroutes = 2;
	rt = route_table(hs.l, "nogw", hs.spokevm->subnet, true);
	sdn_effective(&hs.l->t, &hs.in, hs.spokevm, &tab);
	T_EQ(count_src(&tab, SDN_SRC_VNG), (size_t)0,
	    "VR-07: disableBgpRoutePropagation removes every Route Server route");
	T_OK(has_row(&tab, "Default Active 0.0.0.0/0 Internet") &&
	    has_row(&tab, "Default Active 10.0.0.0/8 None"),
	    "VR-07: the Default routes are back in charge");
	T_OK(tab.disable_bgp, "VR-07: the table says propagation is disabled");
	n = sdn_rows(&tab, &rows);
	for (i = 0, all = n > 0; i < n; i++)
		all &= rows[i].disable_bgp;
	T_OK(all, "VR-07, CLI-01: every row of such a NIC shows "
	    "disableBgpRoutePropagation true");
	free(rows);
	sdn_table_free(&tab);

	udr(rt, "dc", "10.250.0.0/16", TOPO_UDR_VIRTUALAPPLIANCE, "10.1.2.4");
	sdn_effective(&hs.l->t, &hs.in, hs.spokevm, &tab);
	T_OK(has_row(&tab, "User Active 10.250.0.0/16 VirtualAppliance 10.1.2.4 "
	    "name=dc") && count_src(&tab, SDN_SRC_VNG) == 0,
	    "VR-07: UDRs still apply when propagation is disabled");
	sdn_table_free(&tab);

	sdn_effective(&hs.l->t, &hs.in, hs.hubvm, &tab);
	T_EQ(count_src(&tab, SDN_SRC_VNG), (size_t)2,
	    "VR-07: other subnets keep the Route Server routes");
	T_OK(!tab.disable_bgp, "VR-07: ... and show propagation enabled");
	sdn_table_free(&tab);
	free(hs.l);
}

static void
test_rows(void)
{
	struct hubspoke hs;
	struct topo_route_table *rt;
	struct sdn_table tab;
	struct sdn_row *rows, back;
	char line[256];
	size_t n, i;
	int ok = 1;

	hubspoke(&hs);
	bgp(&hs.br[0], "10.250.0.0/16", "10.1.2.5", "10.1.2.4", NULL);
	hs.hr.nroutes = 1;
	rt = route_table(hs.l, "rt", hs.spokevm->subnet, false);
	udr(rt, "drop", "10.99.0.0/16", TOPO_UDR_NONE, NULL);
	sdn_effective(&hs.l->t, &hs.in, hs.spokevm, &tab);
	n = sdn_rows(&tab, &rows);
	T_EQ(n, tab.nroutes + 1, "VR-10, CLI-01: an ECMP route is one row per "
	    "next hop");
	T_OK(strcmp(rows[2].nh, "10.1.2.4") == 0 &&
	    strcmp(rows[3].nh, "10.1.2.5") == 0 &&
	    strcmp(rows[2].prefix, "10.250.0.0/16") == 0 &&
	    strcmp(rows[3].source, "VirtualNetworkGateway") == 0,
	    "VR-10: the rows of one ECMP route, next hops in order");
	T_OK(strcmp(rows[0].nh, "") == 0 && strcmp(rows[0].name, "") == 0,
	    "CLI-01: a route without next hop or name has empty fields");
	for (i = 0; i < n; i++) {
		sdn_row_format(&rows[i], line, sizeof(line));
		ok &= sdn_row_parse(line, &back) == 0 &&
		    memcmp(&back, &rows[i], sizeof(back)) == 0;
	}
	T_OK(ok, "sdn_row_format / sdn_row_parse: every row survives the trip");
	for (i = 0; i < n && strcmp(rows[i].source, "User") != 0; i++)
		;
	sdn_row_format(&rows[i < n ? i : 0], line, sizeof(line));
	T_OK(strcmp(line, "User\tActive\t10.99.0.0/16\tNone\t\tdrop\t0") == 0,
	    "sdn_row_format: tab-separated, empty next hop kept");
	T_EQ(sdn_row_parse("User\tActive\t10.99.0.0/16\tNone\t\tdrop", &back), -1,
	    "sdn_row_parse: a short line is refused");
	T_EQ(sdn_row_parse("User\tActive\t10.99.0.0/16\tNone\t\tdrop\t2", &back),
	    -1, "sdn_row_parse: a bad flag is refused");
	free(rows);
	sdn_table_free(&tab);
	free(hs.l);
}

static void
test_merge(void)
{
	struct sdn_bgp_route a[3], b[2];
	const struct sdn_bgp_route *inst[2] = { a, b };
	size_t n[2] = { 3, 2 };
	struct sdn_hub_routes h;
	struct topo_rs rs;

	memset(&rs, 0, sizeof(rs));
	bgp(&a[0], "10.250.0.0/16", "10.1.2.4", NULL);
	bgp(&a[1], "10.0.0.0/8", "10.1.2.6", NULL);
	a[1].aspath_hops = 2;
	bgp(&a[2], "0.0.0.0/0", "10.1.2.5", NULL);
	bgp(&b[0], "10.0.0.0/8", "10.1.2.5", "10.1.2.4", NULL);
	bgp(&b[1], "10.250.0.0/16", "10.1.2.5", NULL);
	sdn_merge_instances(&rs, inst, n, 2, &h);
	T_OK(h.rs == &rs && h.nroutes == 3, "U-04: merge: one route per prefix");
	if (h.nroutes == 3) {
		T_OK(pfx_equal(&h.routes[0].pfx, &(struct pfx4){ 0, 0 }) &&
		    h.routes[0].nnh == 1,
		    "U-04: a prefix from one instance only is programmed");
		T_OK(h.routes[1].nnh == 2 && h.routes[1].nh[0] == A("10.1.2.4") &&
		    h.routes[1].nh[1] == A("10.1.2.5") && h.routes[1].aspath_hops == 1,
		    "U-04, RS-34: the shorter AS path of either instance wins");
		T_OK(h.routes[2].nnh == 2 && h.routes[2].nh[0] == A("10.1.2.4") &&
		    h.routes[2].nh[1] == A("10.1.2.5"),
		    "U-04, RS-33: next hops of equal length are unioned, sorted");
	}
	sdn_hub_routes_free(&h);
	T_OK(h.routes == NULL && h.nroutes == 0, "sdn_hub_routes_free");
}

/* ---- gateways (issue 5) ---- */

#define GW_TOPO(pref) "{\"name\":\"g\",\"regions\":[{\"name\":\"r\",\"hub\":{"	\
	"\"name\":\"hub\",\"address_space\":[\"10.1.0.0/16\"],\"subnets\":{"	\
	"\"GatewaySubnet\":\"10.1.0.0/27\",\"RouteServerSubnet\":\"10.1.1.0/27\","	\
	"\"nva\":\"10.1.2.0/24\"},\"route_server\":{" pref "},"		\
	"\"nvas\":[{\"name\":\"fw\",\"subnet\":\"nva\",\"asn\":65001}],"	\
	"\"gateways\":[{\"name\":\"er\",\"type\":\"ExpressRoute\","		\
	"\"circuit\":{\"site\":\"dc\"}}]},\"spokes\":[{\"name\":\"s1\","	\
	"\"address_space\":[\"10.2.0.0/16\"],\"use_remote_gateways\":true,"	\
	"\"subnets\":{\"default\":\"10.2.1.0/24\"},\"vms\":[{\"name\":\"vm1\","	\
	"\"subnet\":\"default\"}]},{\"name\":\"s2\",\"address_space\":"	\
	"[\"10.3.0.0/16\"],\"subnets\":{\"default\":\"10.3.1.0/24\"},"	\
	"\"vms\":[{\"name\":\"vm2\",\"subnet\":\"default\"}]}]}],"		\
	"\"sites\":[{\"name\":\"dc\",\"asn\":64512,"				\
	"\"prefixes\":[\"172.16.0.0/16\"]}]}"

/* The active route of nic for prefix p: its next hops joined, or "-". */
static const char *
active_nh(const struct topo *t, const struct sdn_input *in, const char *nic,
    const char *p, char *buf, size_t len)
{
	const struct topo_nic *n = topo_node_find(t, nic)->nic;
	struct sdn_table tab;
	struct pfx4 want;
	char a[ADDR_STRLEN];
	size_t i, k;

	pfx_parse(p, &want);
	snprintf(buf, len, "-");
	sdn_effective(t, in, n, &tab);
	for (i = 0; i < tab.nroutes; i++) {
		const struct sdn_route *r = &tab.routes[i];

		if (!r->active || !pfx_equal(&r->pfx, &want) ||
		    r->source != SDN_SRC_VNG)
			continue;
		buf[0] = '\0';
		for (k = 0; k < r->nnh; k++)
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
			    k ? "," : "", addr_fmt(r->nh[k], a));
	}
	sdn_table_free(&tab);
	return buf;
}

/* One gateway route per instance (hops), one RS route from fw (rshops). */
static void
gw_input(const struct topo *t, unsigned hops, unsigned rshops,
    struct sdn_bgp_route *rs, struct sdn_gw_routes *g, struct sdn_input *in)
{
	struct sdn_bgp_route r[1];
	const struct sdn_bgp_route *inst[2] = { r, r };
	size_t n[2] = { 1, 1 };

	memset(r, 0, sizeof(r));
	pfx_parse("172.16.0.0/16", &r[0].pfx);
	r[0].nh[0] = 1;
	r[0].nnh = 1;
	r[0].aspath_hops = hops;
	sdn_merge_gateway(t->gws[0], inst, n, g);
	memset(rs, 0, sizeof(*rs));
	rs->pfx = r[0].pfx;
	addr_parse("10.1.2.4", &rs->nh[0]);
	rs->nnh = rshops ? 1 : 0;
	rs->aspath_hops = rshops;
	memset(in, 0, sizeof(*in));
	in->hubs = xcalloc(1, sizeof(*in->hubs));
	in->hubs[0].rs = t->rss[0];
	in->hubs[0].routes = rs;
	in->hubs[0].nroutes = 1;
	in->nhubs = 1;
	in->gws = g;
	in->ngws = 1;
}

static struct topo *
gw_load(const char *json)
{
	struct topo_err err;
	struct topo *t;

	if (topo_load_string(json, strlen(json), &t, &err) == -1)
		die("gateway topology: %s: %s", err.path, err.msg);
	return t;
}

static void
test_gateways(void)
{
	static const struct {
		const char	*topo;
		unsigned	 gwhops, rshops;
		const char	*want, *desc;
	} cases[] = {
		{ GW_TOPO(""), 2, 0, "10.1.0.4,10.1.0.5", "VR-04: an on-premises "
		    "prefix over ER: VirtualNetworkGateway via both gateway "
		    "instances" },
		{ GW_TOPO(""), 2, 1, "10.1.0.4,10.1.0.5", "RS-31 ExpressRoute "
		    "(default): ER beats a shorter NVA path" },
		{ GW_TOPO("\"hub_routing_preference\":\"VpnGateway\""), 2, 1,
		    "10.1.2.4", "RS-31 VpnGateway: the NVA beats ER" },
		{ GW_TOPO("\"hub_routing_preference\":\"VpnGateway\""), 2, 5,
		    "10.1.2.4", "RS-31 VpnGateway: the NVA beats ER, even longer" },
		{ GW_TOPO("\"hub_routing_preference\":\"ASPath\""), 2, 1,
		    "10.1.2.4", "RS-30 ASPath: the shorter NVA path wins" },
		{ GW_TOPO("\"hub_routing_preference\":\"ASPath\""), 2, 3,
		    "10.1.0.4,10.1.0.5", "RS-30 ASPath: the shorter ER path wins" },
		{ GW_TOPO("\"hub_routing_preference\":\"ASPath\""), 2, 2,
		    "10.1.0.4,10.1.0.5", "RS-30 ASPath: equal paths, ER first "
		    "(GW-09)" },
	};
	struct sdn_bgp_route rs;
	struct sdn_gw_routes g;
	struct sdn_input in;
	struct topo *t;
	char buf[128];
	size_t i;

	for (i = 0; i < NELEM(cases); i++) {
		t = gw_load(cases[i].topo);
		gw_input(t, cases[i].gwhops, cases[i].rshops, &rs, &g, &in);
		active_nh(t, &in, "vm1", "172.16.0.0/16", buf, sizeof(buf));
		if (!T_OK(strcmp(buf, cases[i].want) == 0, "%s", cases[i].desc))
			printf("#   got %s, want %s\n", buf, cases[i].want);
		if (i == 0) {
			active_nh(t, &in, "vm2", "172.16.0.0/16", buf, sizeof(buf));
			T_OK(strcmp(buf, "-") == 0, "VR-11: a spoke without "
			    "use_remote_gateways gets no gateway route");
			active_nh(t, &in, "hub-er0", "172.16.0.0/16", buf,
			    sizeof(buf));
			T_OK(strcmp(buf, "10.1.0.4,10.1.0.5") == 0, "VR-04: "
			    "GatewaySubnet's NICs get the routes too");
		}
		sdn_gw_routes_free(&g);
		free(in.hubs);
		topo_free(t);
	}
}

/* A document written with ' for ", loaded (gw_load dies on an error). */
static struct topo *
load_q(const char *doc)
{
	char *j = xstrdup(doc), *c;
	struct topo *t;

	for (c = j; *c != '\0'; c++)
		if (*c == '\'')
			*c = '"';
	t = gw_load(j);
	free(j);
	return t;
}

/*
 * GW-11: a VPN gateway (AA: active-active) in the hub, branch hq behind it,
 * route table "rt" (DIS: disable_bgp_route_propagation) on the spoke's and
 * the hub's default subnets, with one VirtualNetworkGateway route for PFX.
 */
#define VNG_TOPO(aa, dis, pfx) "{'name':'v','regions':[{'name':'r','hub':{"	\
	"'name':'hub','address_space':['10.1.0.0/16'],'subnets':{"	\
	"'GatewaySubnet':'10.1.0.0/27','default':'10.1.2.0/24'},"	\
	"'gateways':[{'name':'vpn','type':'Vpn','active_active':" aa ","	\
	"'tunnels':[{'site':'hq'}]}],'vms':[{'name':'hvm','subnet':"	\
	"'default'}]},'spokes':[{'name':'s1','address_space':['10.2.0.0/16'],"	\
	"'use_remote_gateways':true,'subnets':{'default':'10.2.1.0/24'},"	\
	"'vms':[{'name':'vm1','subnet':'default'}]}]}],'sites':[{'name':"	\
	"'hq','asn':65010,'prefixes':['192.168.10.0/24']}],'route_tables':"	\
	"[{'name':'rt','subnets':['s1/default','hub/default'],"		\
	"'disable_bgp_route_propagation':" dis ",'routes':[{'name':'to-vpn',"	\
	"'prefix':'" pfx "','next_hop_type':'VirtualNetworkGateway'}]}]}"

static void
table_of(const struct topo *t, const struct sdn_input *in, const char *nic,
    struct sdn_table *tab)
{
	sdn_effective(t, in, topo_node_find(t, nic)->nic, tab);
}

/* What hq taught the gateway: 192.168.10.0/24, on both instances. */
static void
hq_routes(const struct topo *t, struct sdn_gw_routes *g, struct sdn_input *in)
{
	struct sdn_bgp_route r;
	const struct sdn_bgp_route *inst[2] = { &r, &r };
	size_t n[2] = { 1, 1 };

	bgp(&r, "192.168.10.0/24", "169.254.21.2", NULL);
	sdn_merge_gateway(t->gws[0], inst, n, g);
	memset(in, 0, sizeof(*in));
	in->gws = g;
	in->ngws = 1;
}

static void
test_udr_vng(void)
{
	static const char *want[] = {
		"Default Active 10.2.0.0/16 VnetLocal",
		"Default Active 10.1.0.0/16 VNetPeering",
		"Default Invalid 0.0.0.0/0 Internet",
		"User Active 0.0.0.0/0 VirtualNetworkGateway 10.1.0.4,10.1.0.5 "
		    "name=to-vpn",
	};
	struct topo *t = load_q(VNG_TOPO("true", "true", "0.0.0.0/0"));
	struct sdn_gw_routes g;
	struct sdn_input in;
	struct sdn_table tab;
	struct sdn_row *rows;
	const struct sdn_route *x;
	size_t n;

	table_of(t, NULL, "vm1", &tab);
	table_is(&tab, want, NELEM(want), "GW-11, VR-08: forced tunnelling: a "
	    "spoke's User 0.0.0.0/0 VirtualNetworkGateway goes to the hub's "
	    "VPN gateway instances; the reserved None routes go (VR-01)");
	x = sdn_lookup(&tab, A("192.168.10.10"));
	T_OK(x != NULL && x->source == SDN_SRC_USER && x->type == SDN_NH_VNG &&
	    x->nnh == 2, "GW-11: with propagation off (VR-07) the branch is "
	    "reached through the UDR, to the gateway, which forwards by what "
	    "it learned");
	n = sdn_rows(&tab, &rows);
	T_OK(n == 5 && strcmp(rows[3].source, "User") == 0 &&
	    strcmp(rows[3].type, "VirtualNetworkGateway") == 0 &&
	    strcmp(rows[3].nh, "10.1.0.4") == 0 &&
	    strcmp(rows[4].nh, "10.1.0.5") == 0 &&
	    strcmp(rows[4].name, "to-vpn") == 0, "GW-11, VR-10, CLI-01: one "
	    "row per gateway instance, source User, the route's name");
	free(rows);
	sdn_table_free(&tab);
	table_of(t, NULL, "hvm", &tab);
	x = find(&tab, "0.0.0.0/0", SDN_SRC_USER);
	T_OK(x != NULL && x->active && x->nnh == 2 && x->nh[0] == A("10.1.0.4"),
	    "GW-11: on the hub's own subnet, the same gateway instances");
	sdn_table_free(&tab);
	topo_free(t);

	t = load_q(VNG_TOPO("false", "true", "0.0.0.0/0"));
	table_of(t, NULL, "vm1", &tab);
	x = find(&tab, "0.0.0.0/0", SDN_SRC_USER);
	T_OK(x != NULL && x->nnh == 1 && x->nh[0] == A("10.1.0.4"),
	    "GW-11: an active-standby VPN gateway: its one instance");
	sdn_table_free(&tab);
	topo_free(t);

	t = load_q(VNG_TOPO("true", "false", "192.168.10.0/24"));
	hq_routes(t, &g, &in);
	table_of(t, &in, "vm1", &tab);
	T_OK(has_row(&tab, "User Active 192.168.10.0/24 VirtualNetworkGateway "
	    "10.1.0.4,10.1.0.5 name=to-vpn") && has_row(&tab,
	    "VirtualNetworkGateway Invalid 192.168.10.0/24 VirtualNetworkGateway "
	    "10.1.0.4,10.1.0.5"), "GW-11, VR-05: equal prefix: the User "
	    "VirtualNetworkGateway route beats the one the gateway learned, "
	    "which stays listed Invalid");
	sdn_table_free(&tab);
	sdn_gw_routes_free(&g);
	topo_free(t);
}

/*
 * U-10 (PE-04): a spoke written in another region than its hub's, with
 * use_remote_gateways over that global peering, against the same spoke in
 * the hub's region. RS_X is the spoke's extra fields.
 */
#define U10_TOPO(x) "{'name':'u','regions':[{'name':'westeurope','hub':{"	\
	"'name':'hub','address_space':['10.1.0.0/16'],'subnets':{"	\
	"'RouteServerSubnet':'10.1.1.0/27','nva':'10.1.2.0/24'},"		\
	"'route_server':{},'nvas':[{'name':'fw','subnet':'nva','asn':65001,"	\
	"'advertise':['10.250.0.0/16']}],'vms':[{'name':'hvm','subnet':"	\
	"'nva'}]},'spokes':[{'name':'s1','address_space':['10.2.0.0/16'],"	\
	"'use_remote_gateways':true" x ",'subnets':{'default':"		\
	"'10.2.1.0/24'},'vms':[{'name':'vm1','subnet':'default'}]}]},"	\
	"{'name':'northeurope'}]}"

/* Routes a and b are the same but for VNetGlobalPeering vs VNetPeering. */
static bool
same_but_global(const struct sdn_route *a, const struct sdn_route *b)
{
	struct sdn_route c = *b;

	if (a->type == SDN_NH_VNETPEERING && b->type == SDN_NH_VNETGLOBALPEERING)
		c.type = SDN_NH_VNETPEERING;
	return sdn_route_equal(a, &c);
}

static void
test_global_spoke(void)
{
	struct topo *in_reg = load_q(U10_TOPO("")),
	    *cross = load_q(U10_TOPO(",'region':'northeurope'"));
	struct sdn_bgp_route br[2];
	struct sdn_hub_routes hr[2];
	struct sdn_input in[2];
	struct sdn_table a, b;
	struct bgp_conf conf;
	size_t i, diff = 0, k;
	bool same = true, served = false;

	for (i = 0; i < 2; i++) {
		const struct topo *t = i == 0 ? in_reg : cross;

		memset(&in[i], 0, sizeof(in[i]));
		hr[i] = (struct sdn_hub_routes){ t->rss[0], br, 2 };
		in[i].hubs = &hr[i];
		in[i].nhubs = 1;
	}
	bgp(&br[0], "0.0.0.0/0", "10.1.2.4", NULL);
	bgp(&br[1], "10.250.0.0/16", "10.1.2.4", NULL);
	T_OK(topo_vnet_find(cross, "s1")->region == cross->regions[1] &&
	    topo_vnet_find(cross, "s1")->peer_hub == topo_vnet_find(cross,
	    "hub"), "U-10: the spoke lives in northeurope and stays peered "
	    "with its hub in westeurope");
	table_of(in_reg, &in[0], "vm1", &a);
	table_of(cross, &in[1], "vm1", &b);
	same = a.nroutes == b.nroutes;
	for (i = 0; same && i < a.nroutes; i++) {
		same = same_but_global(&a.routes[i], &b.routes[i]);
		diff += a.routes[i].type != b.routes[i].type;
	}
	T_OK(same && diff == 1 && has_row(&b,
	    "Default Active 10.1.0.0/16 VNetGlobalPeering"), "U-10, PE-04, "
	    "VR-03: the cross-region spoke's effective routes equal the "
	    "in-region spoke's, but for its hub peering being VNetGlobalPeering");
	T_OK(has_row(&b, "VirtualNetworkGateway Active 10.250.0.0/16 "
	    "VirtualNetworkGateway 10.1.2.4") && has_row(&b,
	    "VirtualNetworkGateway Active 0.0.0.0/0 VirtualNetworkGateway "
	    "10.1.2.4"), "U-10, VR-11: the hub's Route Server programs the "
	    "spoke over global peering (use_remote_gateways)");
	if (!same) {
		printf("# in-region:\n");
		dump(&a);
		printf("# cross-region:\n");
		dump(&b);
	}
	sdn_table_free(&a);
	sdn_table_free(&b);
	table_of(cross, &in[1], "hvm", &a);
	T_OK(has_row(&a, "Default Active 10.2.0.0/16 VNetGlobalPeering"),
	    "VR-03: the hub sees the cross-region spoke as VNetGlobalPeering");
	sdn_table_free(&a);
	memset(&conf, 0, sizeof(conf));
	if (emu_bgp_conf(cross, topo_node_find(cross, "hub-rs0"),
	    "/nonexistent.sock", &conf) == 0)
		for (k = 0; k < conf.noriginate; k++)
			served |= pfx_equal(&conf.originate[k],
			    &(struct pfx4){ A("10.2.0.0"), 16 });
	T_OK(served, "U-10, RS-10: the Route Server advertises the "
	    "cross-region spoke's prefix to its NVAs");
	emu_bgp_conf_free(&conf);
	topo_free(in_reg);
	topo_free(cross);
}

static void
test_hubpref(void)
{
	struct bgp_offer er = { BGP_SRC_ER, 3, 0 }, er2 = { BGP_SRC_ER, 5, 10 },
	    vpn = { BGP_SRC_VPN, 2, 0 }, nva = { BGP_SRC_NVA, 1, 0 };

	T_OK(bgp_hubpref_cmp(AZ_PREF_EXPRESSROUTE, &er, &vpn) < 0,
	    "GW-09: ER beats VPN by default");
	T_OK(bgp_hubpref_cmp(AZ_PREF_EXPRESSROUTE, &er2, &er) < 0,
	    "GW-09: between ER connections, the higher weight wins first");
	T_OK(bgp_hubpref_cmp(AZ_PREF_VPNGATEWAY, &vpn, &nva) > 0,
	    "RS-31 VpnGateway: VPN against NVA by AS path (the NVA is shorter)");
	T_OK(bgp_hubpref_cmp(AZ_PREF_VPNGATEWAY, &vpn, &er) < 0,
	    "RS-31 VpnGateway: VPN beats ER");
	T_OK(bgp_hubpref_cmp(AZ_PREF_ASPATH, &nva, &er) < 0,
	    "RS-31 ASPath: the shortest path, whatever the source");
}

/* pfx_cover against the plain loop it replaces (RS-21 and VR-06 use it). */
static void
test_cover(void)
{
	struct pfx_cover c;
	struct pfx4 set[64], p;
	unsigned seed = 7, i, k, bad = 0, hits = 0;

	for (i = 0; i < 64; i++) {
		set[i].len = (uint8_t)(8 + rand_r(&seed) % 17);
		set[i].addr = ((uint32_t)rand_r(&seed) << 1 ^ (uint32_t)rand_r(&seed)) &
		    pfx_mask(set[i].len) & 0x0fffffffu;
	}
	pfx_cover_init(&c);
	pfx_cover_add(&c, set, 40);
	pfx_cover_add(&c, set + 40, 24);
	pfx_cover_done(&c);
	for (k = 0; k < 20000; k++) {
		bool want = false;

		if (k % 2 == 0) {
			/* inside or around a member */
			const struct pfx4 *m = &set[rand_r(&seed) % 64];

			p.len = (uint8_t)(m->len - 2 + rand_r(&seed) % 12);
			p.addr = (m->addr | ((uint32_t)rand_r(&seed) & ~pfx_mask(m->len))) &
			    pfx_mask(p.len);
		} else {
			p.len = (uint8_t)(rand_r(&seed) % 33);
			p.addr = ((uint32_t)rand_r(&seed) << 1) & pfx_mask(p.len) &
			    0x0fffffffu;
		}
		for (i = 0; i < 64 && !want; i++)
			want = pfx_contains(&set[i], &p);
		hits += want;
		bad += pfx_cover_has(&c, &p) != want;
	}
	pfx_cover_free(&c);
	T_EQ(bad, 0u, "pfx_cover agrees with a loop of pfx_contains on 20,000 "
	    "prefixes (%u contained)", hits);
	T_OK(hits > 1000, "and the test asks both ways (%u of 20,000 contained)",
	    hits);
}

/*
 * PE-07: examples/spoke-mesh.json, spokes peered with spokes: s1-s2 and
 * s2-s3 in uksouth, s1-w1 across regions; nothing through a peer (PE-01).
 */
static void
test_spoke_mesh(void)
{
	struct topo_err err;
	struct topo *t = NULL;
	struct sdn_table tab;

	if (!T_EQ(topo_load_file("examples/spoke-mesh.json", &t, &err), 0,
	    "PE-07: examples/spoke-mesh.json loads (%s)", err.msg))
		return;
	sdn_effective(t, NULL, topo_node_find(t, "s1-vm1")->nic, &tab);
	T_OK(has_row(&tab, "Default Active 10.3.0.0/16 VNetPeering") &&
	    has_row(&tab, "Default Active 10.21.0.0/16 VNetGlobalPeering") &&
	    has_row(&tab, "Default Active 10.1.0.0/16 VNetPeering"),
	    "PE-07, VR-03: s1 gets its hub, s2 (VNetPeering) and w1 in another "
	    "region (VNetGlobalPeering)");
	T_OK(find(&tab, "10.4.0.0/16", SDN_SRC_DEFAULT) == NULL &&
	    sdn_lookup(&tab, A("10.4.1.4"))->type == SDN_NH_NONE,
	    "PE-01: s1 gets no route to s3, s2's peer: 10.0.0.0/8 None");
	sdn_table_free(&tab);
	sdn_effective(t, NULL, topo_node_find(t, "w1-vm1")->nic, &tab);
	T_OK(has_row(&tab, "Default Active 10.2.0.0/16 VNetGlobalPeering") &&
	    find(&tab, "10.3.0.0/16", SDN_SRC_DEFAULT) == NULL,
	    "PE-07: w1 gets s1 back (VNetGlobalPeering), PE-01: not s1's peer s2");
	sdn_table_free(&tab);
	sdn_effective(t, NULL, topo_node_find(t, "s3-vm1")->nic, &tab);
	T_OK(has_row(&tab, "Default Active 10.3.0.0/16 VNetPeering") &&
	    find(&tab, "10.2.0.0/16", SDN_SRC_DEFAULT) == NULL,
	    "PE-07: s3, listed by s2 only, gets s2's route all the same");
	sdn_table_free(&tab);
	topo_free(t);
}

/*
 * sdn_effective_both against sdn_effective and sdn_effective_by_prefix on
 * every example but azure-limits, one NIC a subnet (the tables are the subnet's): the same
 * table in az's order, and by_prefix the by-prefix table's order, which
 * ascends by prefix. Both orders come from sorts that skip what is in
 * order already (sdn.c's sort_select, sort_list); that they give what one
 * qsort gave is shown by plan's, reach's and diff's outputs on every
 * example, byte-identical across that change (bench/RESULTS.md).
 */
static void
test_both_orders(void)
{
	struct sdn_table l, b, both;
	struct topo_err err;
	struct topo *t;
	struct plan p;
	uint32_t *byp;
	char **ex;
	size_t nex, e, i, k, n = 0, bad = 0;

	ex = examples_list(&nex);
	for (e = 0; ex != NULL && e < nex; e++) {
		/* its 501 tables of 10,500 routes take seconds; same code paths */
		if (strstr(ex[e], "azure-limits") != NULL)
			continue;
		if (topo_load_file(ex[e], &t, &err) != 0) {
			T_OK(false, "both orders: %s loads: %s", ex[e], err.msg);
			continue;
		}
		plan_run(t, &p);
		for (i = 0; i < t->nnics; i++) {
			for (k = 0; k < i && t->nics[k]->subnet != t->nics[i]->subnet; k++)
				;
			if (k < i)
				continue;
			sdn_effective(t, &p.in, t->nics[i], &l);
			sdn_effective_by_prefix(t, &p.in, t->nics[i], &b);
			sdn_effective_both(t, &p.in, t->nics[i], &both, &byp);
			bad += !sdn_table_equal(&l, &both) ||
			    b.nroutes != both.nroutes;
			for (k = 1; k < b.nroutes; k++)
				bad += pfx_cmp(&b.routes[k - 1].pfx,
				    &b.routes[k].pfx) > 0;
			for (k = 0; k < b.nroutes && k < both.nroutes; k++)
				bad += byp[k] >= both.nroutes ||
				    !sdn_route_equal(&b.routes[k],
				    &both.routes[byp[k]]);
			n++;
			sdn_table_free(&l);
			sdn_table_free(&b);
			sdn_table_free(&both);
			free(byp);
		}
		plan_free(&p);
		topo_free(t);
	}
	T_OK(n > 0 && bad == 0, "sdn_effective_both: az's order and the "
	    "by-prefix order as sdn_effective and sdn_effective_by_prefix give "
	    "them (%zu subnets, %zu wrong)", n, bad);
	examples_free(ex);
}

int
main(void)
{
	test_default_set();
	test_reserved();
	test_peering();
	test_learn_picture();
	test_bgp_shape();
	test_gateway_transit();
	test_rs21();
	test_default_route();
	test_ties();
	test_ecmp();
	test_lookup();
	test_equal();
	test_strings();
	test_no_subnet();
	test_udr();
	test_udr_over_vnet();
	test_spoke_to_spoke();
	test_disable_propagation();
	test_rows();
	test_merge();
	test_gateways();
	test_udr_vng();
	test_global_spoke();
	test_hubpref();
	test_cover();
	test_spoke_mesh();
	test_both_orders();
	return t_done();
}
