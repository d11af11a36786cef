/*
 * sdn: the SDN controller's pure core (see sdn.h). Owns the rules that turn
 * a topology plus what each Route Server programs into one NIC's effective
 * route table, and the order in which that table is listed. It must not do
 * I/O, speak netlink or keep state between calls: the live lab and
 * `arsemu plan` both call it and must get the same answer.
 *
 * One NIC's table is built in five steps (azure-semantics.md section 2):
 *   1. candidates: system routes (VR-01..VR-03), BGP routes (VR-04, VR-11,
 *      RS-10, RS-21..RS-23; none at all when the subnet's route table
 *      disables gateway route propagation, VR-07) and the user routes of
 *      the subnet's route table (VR-08; a VirtualNetworkGateway one goes
 *      to the VPN gateway's instances, GW-11);
 *   2. VR-06: a BGP route equal to or inside one of this NIC's VnetLocal or
 *      peering prefixes can never win;
 *   3. selection per prefix (VR-05): User > VirtualNetworkGateway > Default,
 *      the losers stay listed with state Invalid;
 *   4. a 0.0.0.0/0 won by a User or BGP route removes the reserved None
 *      routes (UDR overview, routing example; see drop_reserved());
 *   5. the listing order of `az network nic show-effective-route-table`.
 *
 * ECMP: Azure lists one entry per next hop (VR-10); here one sdn_route holds
 * all of a prefix's next hops (RS-33) so that the fabric gets one multipath
 * route. Whoever prints az-shaped output expands it, one entry per nh.
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "sdn.h"
#include "../../bgp/hubpref.h"

#define PFX_DEFAULT_LEN	0

/* VR-01: prefixes every subnet drops by default (next hop None). */
static const struct pfx4 reserved[] = {
	{ 0x0a000000, 8 },	/* 10.0.0.0/8, RFC 1918 */
	{ 0xac100000, 12 },	/* 172.16.0.0/12, RFC 1918 */
	{ 0xc0a80000, 16 },	/* 192.168.0.0/16, RFC 1918 */
	{ 0x64400000, 10 },	/* 100.64.0.0/10, RFC 6598 */
};

/* VR-05: higher wins among equal prefixes; a blocked route never wins. */
enum rank {
	RANK_BLOCKED,
	RANK_DEFAULT,
	RANK_VNG,
	RANK_USER,
};

/*
 * The order az lists an effective route table in. Captured outputs (hub
 * and spoke labs with Route Server, VPN and ExpressRoute gateways; the
 * UDR overview's routing example) show VnetLocal, then peerings, then
 * VirtualNetworkGateway, then the Default 0.0.0.0/0, then User routes,
 * then the None routes. Within a group: by prefix.
 */
enum group {
	GRP_VNETLOCAL,
	GRP_PEERING,
	GRP_VNG,
	GRP_INTERNET,
	GRP_USER,
	GRP_NONE,
	GRP_OTHER,
};

struct cand {
	struct sdn_route	r;
	bool			blocked;	/* VR-06 */
	size_t			idx;		/* insertion order: the last tie-break */
};

struct cands {
	struct cand	*v;
	size_t		 n;
	size_t		 cap;
	size_t		 bgp_lo, bgp_hi;	/* add_bgp's run: [lo, hi) */
};

static struct cand *
cand_add(struct cands *c, const struct pfx4 *p, enum sdn_source src,
    enum sdn_nh_type type)
{
	struct cand *k;

	xgrow(&c->v, &c->cap, c->n + 1, sizeof(*c->v));
	k = &c->v[c->n];
	/*
	 * Not a memset of the whole: nh[] (32 addresses) is read up to nnh
	 * only, and a spoke's table at 4,000 VMs is 10,000 of these, 499
	 * times a recompute (issue 23).
	 */
	k->r.pfx = *p;
	k->r.source = src;
	k->r.type = type;
	k->r.nnh = 0;
	k->r.active = true;
	k->r.name = NULL;
	k->blocked = false;
	k->idx = c->n++;
	return k;
}

static bool
is_vnet_route(const struct sdn_route *r)
{
	return r->source == SDN_SRC_DEFAULT && (r->type == SDN_NH_VNETLOCAL ||
	    r->type == SDN_NH_VNETPEERING || r->type == SDN_NH_VNETGLOBALPEERING);
}

static bool
same_region(const struct topo_vnet *a, const struct topo_vnet *b)
{
	if (a->region == b->region)
		return true;
	if (a->region == NULL || b->region == NULL)
		return false;
	return strcmp(a->region->name, b->region->name) == 0;
}

/*
 * Hub and spoke, hub to hub (global across regions), a dual-homed spoke's
 * further hubs (PE-06); PE-01: no transit.
 */
static bool
peered(const struct topo_vnet *a, const struct topo_vnet *b)
{
	return topo_vnets_peered(a, b);
}

/*
 * VR-02. The UDR overview: a VNet prefix equal to a reserved prefix turns
 * its None route into the VNet route; a VNet prefix that "includes, but
 * isn't the same as" a reserved prefix removes the None route. A VNet
 * prefix inside a reserved one leaves the None route listed (the UDR
 * overview's example keeps 10.0.0.0/8 None beside a 10.0.0.0/16 VNet, as do
 * captured outputs); longest prefix match picks the VNet route anyway.
 * Peered VNets' prefixes count too: they are VNet routes in this subnet.
 */
static bool
reserved_replaced(const struct cands *c, const struct pfx4 *res)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (is_vnet_route(&c->v[i].r) && pfx_contains(&c->v[i].r.pfx, res))
			return true;
	return false;
}

/* VR-01, VR-02, VR-03. */
static void
add_system(const struct topo *t, const struct topo_vnet *v, struct cands *c)
{
	const struct topo_vnet *w;
	const struct pfx4 any = { 0, PFX_DEFAULT_LEN };
	enum sdn_nh_type type;
	size_t i, j;

	for (i = 0; i < v->nspace; i++)
		cand_add(c, &v->space[i], SDN_SRC_DEFAULT, SDN_NH_VNETLOCAL);
	for (i = 0; i < t->nvnets; i++) {
		w = t->vnets[i];
		if (!peered(v, w))
			continue;
		type = same_region(v, w) ? SDN_NH_VNETPEERING :
		    SDN_NH_VNETGLOBALPEERING;
		for (j = 0; j < w->nspace; j++)
			cand_add(c, &w->space[j], SDN_SRC_DEFAULT, type);
	}
	cand_add(c, &any, SDN_SRC_DEFAULT, SDN_NH_INTERNET);
	for (i = 0; i < NELEM(reserved); i++)
		if (!reserved_replaced(c, &reserved[i]))
			cand_add(c, &reserved[i], SDN_SRC_DEFAULT, SDN_NH_NONE);
}

/*
 * VR-11, RS-10: the VNet whose Route Server programs v's NICs: v itself,
 * or the VNet v peers with using its gateway (one at most, PE-03): its
 * hub, or a spoke with a Route Server (PE-07).
 */
static const struct topo_vnet *
serving_hub(const struct topo_vnet *v)
{
	const struct topo_vnet *h;

	if (v->rs != NULL || v->ngws > 0)
		return v;
	if ((h = topo_remote_gateway_vnet(v)) != NULL &&
	    (h->rs != NULL || h->ngws > 0))
		return h;
	return NULL;
}

const struct topo_vnet *
sdn_serving_hub(const struct topo_vnet *v)
{
	return serving_hub(v);
}

static const struct sdn_hub_routes *
hub_routes(const struct sdn_input *in, const struct topo_vnet *hub)
{
	size_t i;

	if (in == NULL)
		return NULL;
	for (i = 0; i < in->nhubs; i++) {
		if (in->hubs[i].rs == NULL)
			continue;
		if (in->hubs[i].rs == hub->rs || in->hubs[i].rs->vnet == hub)
			return &in->hubs[i];
	}
	return NULL;
}

/*
 * RS-21: an NVA route equal to or more specific than a prefix of a VNet the
 * RS serves (its own, or a peered VNet using its gateway) is not injected.
 * "Not injected" means not listed at all, in any NIC the RS programs.
 */
static void
rs_filter_set(const struct topo_vnet *hub, struct pfx_cover *c)
{
	const struct topo_vnet *v;
	size_t i;

	pfx_cover_init(c);
	for (i = 0; i < topo_gateway_nserved(hub); i++)	/* RS-10, VR-11 */
		if ((v = topo_gateway_served(hub, i)) != NULL)
			pfx_cover_add(c, v->space, v->nspace);
	pfx_cover_done(c);
}

static void
nh_merge(struct sdn_route *r, const uint32_t *nh, unsigned nnh)
{
	sdn_nh_union(r->nh, &r->nnh, nh, nnh);
}

/* One route on offer for the hub's VMs: from its RS or one of its gateways. */
struct offer {
	const struct sdn_bgp_route	*b;
	struct bgp_offer		 o;
};

static const struct sdn_gw_routes *
gw_routes(const struct sdn_input *in, const struct topo_gw *gw)
{
	size_t i;

	for (i = 0; in != NULL && i < in->ngws; i++)
		if (in->gws[i].gw == gw)
			return &in->gws[i];
	return NULL;
}

static void
offer_add(struct offer **v, size_t *n, size_t *cap,
    const struct sdn_bgp_route *b, enum bgp_src src, unsigned weight)
{
	xgrow(v, cap, *n + 1, sizeof(**v));
	(*v)[(*n)++] = (struct offer){ b, { src, b->aspath_hops, weight } };
}

static int
cmp_offer(const void *a, const void *b)
{
	return pfx_cmp(&((const struct offer *)a)->b->pfx,
	    &((const struct offer *)b)->b->pfx);
}

/* Everything the serving hub's RS and gateways program, before choosing. */
static size_t
offers(const struct topo *t, const struct sdn_input *in,
    const struct topo_vnet *hub, struct offer **v)
{
	const struct sdn_hub_routes *hr = hub_routes(in, hub);
	const struct sdn_gw_routes *gr;
	const struct topo_gw *gw;
	struct pfx_cover filt;
	size_t n = 0, cap = 0, i, k;

	*v = NULL;
	rs_filter_set(hub, &filt);
	for (i = 0; hr != NULL && i < hr->nroutes; i++)
		if (hr->routes[i].nnh > 0 &&
		    !pfx_cover_has(&filt, &hr->routes[i].pfx))
			offer_add(v, &n, &cap, &hr->routes[i], BGP_SRC_NVA, 0);
	for (k = 0; k < hub->ngws; k++) {
		gw = hub->gws[k];
		if ((gr = gw_routes(in, gw)) == NULL)
			continue;
		for (i = 0; i < gr->nroutes; i++)
			if (gr->routes[i].nnh > 0 &&
			    !pfx_cover_has(&filt, &gr->routes[i].pfx))
				offer_add(v, &n, &cap, &gr->routes[i],
				    gw->type == TOPO_GW_EXPRESSROUTE ?
				    BGP_SRC_ER : BGP_SRC_VPN,
				    gw->nconns ? gw->conns[0]->weight : 0);
	}
	pfx_cover_free(&filt);
	if (n > 1)
		qsort(*v, n, sizeof(**v), cmp_offer);
	return n;
}

/* One hub's choice for a prefix: its next hops. */
struct memo_route {
	struct pfx4	pfx;
	uint32_t	nh[SDN_MAX_NH];
	unsigned	nnh;
};

struct memo_hub {
	const struct topo_vnet	*hub;
	struct memo_route	*r;
	size_t			 n;
};

struct sdn_bgp_memo {
	struct memo_hub		*h;
	size_t			 n;
};

void
sdn_memo_start(struct sdn_input *in)
{
	in->memo = xcalloc(1, sizeof(*in->memo));
}

void
sdn_memo_free(struct sdn_input *in)
{
	size_t i;

	if (in->memo == NULL)
		return;
	for (i = 0; i < in->memo->n; i++)
		free(in->memo->h[i].r);
	free(in->memo->h);
	free(in->memo);
	in->memo = NULL;
}

/*
 * VR-04, RS-22, RS-23: what the serving hub's RS and gateways program. For
 * one prefix, the hub routing preference picks between them (RS-30, RS-31,
 * GW-09: bgp/hubpref.c, as the Route Server itself decides); the next hops
 * of the offers that tie are unioned.
 */
static void
hub_choice(const struct topo *t, const struct sdn_input *in,
    const struct topo_vnet *hub, struct memo_hub *out)
{
	enum az_hub_pref pref;
	struct offer *o;
	struct memo_route *k;
	size_t n, i, j, b, m;

	pref = hub->rs != NULL ? hub->rs->pref : AZ_PREF_EXPRESSROUTE;
	n = offers(t, in, hub, &o);
	out->hub = hub;
	out->r = xcalloc(n ? n : 1, sizeof(*out->r));
	out->n = 0;
	for (i = 0; i < n; i = j) {
		for (j = i + 1, b = i; j < n && pfx_equal(&o[j].b->pfx,
		    &o[i].b->pfx); j++)
			if (bgp_hubpref_cmp(pref, &o[j].o, &o[b].o) < 0)
				b = j;
		k = &out->r[out->n++];
		k->pfx = o[b].b->pfx;
		for (m = i; m < j; m++)
			if (bgp_hubpref_cmp(pref, &o[m].o, &o[b].o) == 0)
				sdn_nh_union(k->nh, &k->nnh, o[m].b->nh, o[m].b->nnh <
				    SDN_MAX_NH ? o[m].b->nnh : SDN_MAX_NH);
	}
	free(o);
}

/* The hub's choice from the memo, computed and kept there the first time. */
static const struct memo_hub *
memo_get(const struct topo *t, const struct sdn_input *in,
    const struct topo_vnet *hub, struct memo_hub *one)
{
	struct sdn_bgp_memo *memo = in != NULL ? in->memo : NULL;
	size_t i;

	for (i = 0; memo != NULL && i < memo->n; i++)
		if (memo->h[i].hub == hub)
			return &memo->h[i];
	hub_choice(t, in, hub, one);
	if (memo == NULL)
		return one;
	memo->h = xrealloc(memo->h, (memo->n + 1) * sizeof(*memo->h));
	memo->h[memo->n] = *one;
	one->r = NULL;
	return &memo->h[memo->n++];
}

void
sdn_memo_fill(const struct topo *t, struct sdn_input *in)
{
	struct memo_hub one;
	const struct topo_vnet *hub;
	size_t i;

	for (i = 0; in->memo != NULL && i < t->nvnets; i++)
		if ((hub = serving_hub(t->vnets[i])) != NULL)
			(void)memo_get(t, in, hub, &one);
}

static void
add_bgp(const struct topo *t, const struct sdn_input *in,
    const struct topo_vnet *v, struct cands *c)
{
	const struct topo_vnet *hub;
	const struct memo_hub *h;
	struct memo_hub one = { .r = NULL };
	struct cand *k;
	size_t i;

	if ((hub = serving_hub(v)) == NULL)
		return;
	h = memo_get(t, in, hub, &one);
	xgrow(&c->v, &c->cap, c->n + h->n, sizeof(*c->v));
	c->bgp_lo = c->n;
	c->bgp_hi = c->n + h->n;
	for (i = 0; i < h->n; i++) {
		k = cand_add(c, &h->r[i].pfx, SDN_SRC_VNG, SDN_NH_VNG);
		memcpy(k->r.nh, h->r[i].nh, h->r[i].nnh * sizeof(k->r.nh[0]));
		k->r.nnh = h->r[i].nnh;
	}
	if (h == &one)
		free(one.r);
}

static enum sdn_nh_type
udr_nh_type(enum topo_udr_type t)
{
	switch (t) {
	case TOPO_UDR_VIRTUALAPPLIANCE:
		return SDN_NH_VIRTUALAPPLIANCE;
	case TOPO_UDR_VNG:
		return SDN_NH_VNG;
	case TOPO_UDR_VNETLOCAL:
		return SDN_NH_VNETLOCAL;
	case TOPO_UDR_INTERNET:
		return SDN_NH_INTERNET;
	case TOPO_UDR_NONE:
		break;
	}
	return SDN_NH_NONE;
}

/*
 * VR-08, GW-11: a VirtualNetworkGateway user route goes to the VPN gateway
 * of the subnet's VNet or of the hub it uses (topo_udr_gateway()), listed
 * as az lists a gateway's routes: its instances' IPs, one entry each
 * (VR-04, VR-10). The gateway then forwards by what it learned. None (a
 * topology the loader would refuse): no next hop, and nothing is sent.
 */
static void
udr_gateway_nh(const struct topo_vnet *v, struct sdn_route *r)
{
	const struct topo_gw *gw = topo_udr_gateway(v);
	uint32_t ip[2];
	unsigned k, n = 0;

	for (k = 0; gw != NULL && k < gw->ninst && k < NELEM(ip); k++)
		ip[n++] = gw->inst[k]->nic->ip;
	sdn_nh_union(r->nh, &r->nnh, ip, n);
}

/*
 * VR-08: the user routes of the route table on the NIC's subnet: source
 * User, the UDR's name, its next hop type and (VirtualAppliance) address.
 * Selection ranks them first (VR-05) and VR-06 does not block them: a UDR
 * equal to or inside a VNet prefix wins (RS-53, PE-02).
 */
static void
add_user(const struct topo_nic *nic, struct cands *c)
{
	const struct topo_route_table *rt = nic->subnet->rt;
	const struct topo_udr *u;
	struct cand *k;
	size_t i;

	for (i = 0; rt != NULL && i < rt->nroutes; i++) {
		u = &rt->routes[i];
		k = cand_add(c, &u->pfx, SDN_SRC_USER, udr_nh_type(u->type));
		k->r.name = u->name;
		if (u->type == TOPO_UDR_VIRTUALAPPLIANCE)
			k->r.nh[k->r.nnh++] = u->nh_ip;
		else if (u->type == TOPO_UDR_VNG)
			udr_gateway_nh(nic->subnet->vnet, &k->r);
	}
}

/*
 * VR-06: VNet and peering routes beat an equal or more specific BGP route.
 * The VNet routes come first and are few; a hub may program thousands of
 * BGP routes (RS-40), so walk those once.
 */
static void
block_bgp(struct cands *c)
{
	struct pfx_cover vnet;
	size_t i, nvnet;

	for (nvnet = 0; nvnet < c->n && is_vnet_route(&c->v[nvnet].r); nvnet++)
		;
	pfx_cover_init(&vnet);
	for (i = 0; i < nvnet; i++)
		pfx_cover_add(&vnet, &c->v[i].r.pfx, 1);
	pfx_cover_done(&vnet);
	for (i = nvnet; i < c->n; i++)
		if (c->v[i].r.source == SDN_SRC_VNG &&
		    pfx_cover_has(&vnet, &c->v[i].r.pfx))
			c->v[i].blocked = true;
	pfx_cover_free(&vnet);
}

static enum rank
rank(const struct cand *k)
{
	if (k->blocked)
		return RANK_BLOCKED;
	switch (k->r.source) {
	case SDN_SRC_USER:
		return RANK_USER;
	case SDN_SRC_VNG:
		return RANK_VNG;
	case SDN_SRC_DEFAULT:
		break;
	}
	return RANK_DEFAULT;
}

/* Equal prefixes together, best first; insertion order breaks ties. */
static int
cmp_select(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	int d;

	if ((d = pfx_cmp(&x->r.pfx, &y->r.pfx)) != 0)
		return d;
	if (rank(x) != rank(y))
		return rank(x) > rank(y) ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/*
 * c->v in cmp_select's order: what one qsort of it gives (cmp_select is a
 * total order, idx last), without sorting the thousands of BGP routes
 * add_bgp took from a hub's choice, which are in that order already
 * (ascending, one a prefix): the others (system and user routes, a few)
 * are sorted and merged with them. Any other case: qsort.
 */
static void
sort_select(struct cands *c)
{
	size_t lo = c->bgp_lo, nb = c->bgp_hi - c->bgp_lo, nr = c->n - nb;
	size_t i = 0, j = 0, k = 0;
	struct cand *r;

	for (i = lo + 1; nb >= 2 && c->bgp_hi <= c->n && i < c->bgp_hi; i++)
		if (cmp_select(&c->v[i - 1], &c->v[i]) > 0)
			break;
	if (nb < 2 || c->bgp_hi > c->n || i < c->bgp_hi) {
		qsort(c->v, c->n, sizeof(*c->v), cmp_select);
		return;
	}
	i = 0;
	r = xcalloc(nr + 1, sizeof(*r));
	memcpy(r, c->v, lo * sizeof(*r));
	memcpy(r + lo, c->v + c->bgp_hi, (c->n - c->bgp_hi) * sizeof(*r));
	qsort(r, nr, sizeof(*r), cmp_select);
	/* the BGP run to the end; the merge writes at i + j <= nr + j */
	memmove(c->v + nr, c->v + lo, nb * sizeof(*c->v));
	while (i < nr || j < nb) {
		if (j == nb || (i < nr && cmp_select(&r[i], &c->v[nr + j]) < 0))
			c->v[k++] = r[i++];
		else
			c->v[k++] = c->v[nr + j++];
	}
	free(r);
}

/*
 * VR-05: one winner per prefix; a blocked route never wins. The caller
 * should have merged a prefix's paths into one BGP route (RS-33); if it
 * did not, merge them here so that the table keeps one entry per prefix.
 */
static void
select_routes(struct cands *c)
{
	struct cand *prev;
	size_t i, n;

	sort_select(c);
	for (i = 0, n = 0; i < c->n; i++) {
		prev = n > 0 ? &c->v[n - 1] : NULL;
		if (prev != NULL && prev->r.source == SDN_SRC_VNG &&
		    c->v[i].r.source == SDN_SRC_VNG &&
		    pfx_equal(&prev->r.pfx, &c->v[i].r.pfx)) {
			nh_merge(&prev->r, c->v[i].r.nh, c->v[i].r.nnh);
			continue;
		}
		c->v[n++] = c->v[i];
	}
	c->n = n;
	for (i = 0; i < c->n; i++)
		c->v[i].r.active = rank(&c->v[i]) != RANK_BLOCKED &&
		    (i == 0 || !pfx_equal(&c->v[i - 1].r.pfx, &c->v[i].r.pfx));
}

static bool
is_reserved_none(const struct sdn_route *r)
{
	size_t i;

	if (r->source != SDN_SRC_DEFAULT || r->type != SDN_NH_NONE)
		return false;
	for (i = 0; i < NELEM(reserved); i++)
		if (pfx_equal(&r->pfx, &reserved[i]))
			return true;
	return false;
}

/*
 * The UDR overview's routing example: "Azure removed the routes for the
 * 10.0.0.0/8, 192.168.0.0/16, and 100.64.0.0/10 address prefixes from the
 * Subnet1 route table when the user-defined route for the 0.0.0.0/0
 * address prefix was added". Captured outputs show the same for a BGP
 * 0.0.0.0/0 from Route Server: private destinations outside every VNet then
 * follow the default route to the NVA instead of being dropped.
 */
static void
drop_reserved(struct cands *c)
{
	size_t i, n;
	bool forced = false;

	for (i = 0; i < c->n; i++)
		if (c->v[i].r.active && c->v[i].r.pfx.len == PFX_DEFAULT_LEN &&
		    c->v[i].r.source != SDN_SRC_DEFAULT)
			forced = true;
	if (!forced)
		return;
	for (i = 0, n = 0; i < c->n; i++)
		if (!is_reserved_none(&c->v[i].r))
			c->v[n++] = c->v[i];
	c->n = n;
}

static enum group
group(const struct sdn_route *r)
{
	if (r->source == SDN_SRC_VNG)
		return GRP_VNG;
	if (r->source == SDN_SRC_USER)
		return GRP_USER;
	switch (r->type) {
	case SDN_NH_VNETLOCAL:
		return GRP_VNETLOCAL;
	case SDN_NH_VNETPEERING:
	case SDN_NH_VNETGLOBALPEERING:
		return GRP_PEERING;
	case SDN_NH_INTERNET:
		return GRP_INTERNET;
	case SDN_NH_NONE:
		return GRP_NONE;
	case SDN_NH_VNG:
	case SDN_NH_VIRTUALAPPLIANCE:
		break;
	}
	return GRP_OTHER;
}

/* Step 5: see enum group. The rest only makes the order total. */
static int
cmp_list(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	int d;

	if (group(&x->r) != group(&y->r))
		return group(&x->r) < group(&y->r) ? -1 : 1;
	if ((d = pfx_cmp(&x->r.pfx, &y->r.pfx)) != 0)
		return d;
	if (x->r.active != y->r.active)
		return x->r.active ? -1 : 1;
	if (x->r.type != y->r.type)
		return x->r.type < y->r.type ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static void
effective(const struct topo *t, const struct sdn_input *in,
    const struct topo_nic *nic, struct sdn_table *out, bool listed,
    uint32_t **by_prefix);

void
sdn_effective(const struct topo *t, const struct sdn_input *in,
    const struct topo_nic *nic, struct sdn_table *out)
{
	effective(t, in, nic, out, true, NULL);
}

void
sdn_effective_by_prefix(const struct topo *t, const struct sdn_input *in,
    const struct topo_nic *nic, struct sdn_table *out)
{
	effective(t, in, nic, out, false, NULL);
}

void
sdn_effective_both(const struct topo *t, const struct sdn_input *in,
    const struct topo_nic *nic, struct sdn_table *out, uint32_t **by_prefix)
{
	effective(t, in, nic, out, true, by_prefix);
}

static bool
pfx_in(const struct pfx4 *set, size_t n, const struct pfx4 *p)
{
	size_t lo = 0, hi = n, m;
	int c;

	while (lo < hi) {
		m = lo + (hi - lo) / 2;
		if ((c = pfx_cmp(&set[m], p)) == 0)
			return true;
		if (c < 0)
			lo = m + 1;
		else
			hi = m;
	}
	return false;
}

/* The hub's choice for the prefixes of P only (memo routes are sorted). */
static void
add_bgp_only(const struct topo *t, const struct sdn_input *in,
    const struct topo_vnet *v, const struct pfx4 *P, size_t nP,
    struct cands *c)
{
	const struct topo_vnet *hub;
	const struct memo_hub *h;
	struct memo_hub one = { .r = NULL };
	struct cand *k;
	size_t i, lo, hi, m;
	int cmp;

	if ((hub = serving_hub(v)) == NULL)
		return;
	h = memo_get(t, in, hub, &one);
	for (i = 0; i < nP; i++) {
		for (lo = 0, hi = h->n; lo < hi; ) {
			m = lo + (hi - lo) / 2;
			if ((cmp = pfx_cmp(&h->r[m].pfx, &P[i])) == 0)
				break;
			if (cmp < 0)
				lo = m + 1;
			else
				hi = m;
		}
		if (lo >= hi)
			continue;
		k = cand_add(c, &h->r[m].pfx, SDN_SRC_VNG, SDN_NH_VNG);
		memcpy(k->r.nh, h->r[m].nh, h->r[m].nnh * sizeof(k->r.nh[0]));
		k->r.nnh = h->r[m].nnh;
	}
	if (h == &one)
		free(one.r);
}

/*
 * What effective() gives at the prefixes of P, nothing else. The choice
 * at one prefix reads only the candidates of that prefix, once VR-06's
 * blocking has seen every VNet route, except for drop_reserved(), which
 * reads whether any 0.0.0.0/0 is active: so a P holding 0.0.0.0/0 or a
 * reserved prefix is refused (false), and the caller computes the whole
 * table.
 */
bool
sdn_effective_only(const struct topo *t, const struct sdn_input *in,
    const struct topo_nic *nic, const struct pfx4 *P, size_t nP,
    struct sdn_table *out)
{
	struct cands c = { NULL, 0, 0, 0, 0 };
	const struct topo_vnet *v;
	size_t i, n;

	memset(out, 0, sizeof(*out));
	out->nic = nic;
	for (i = 0; i < nP; i++) {
		if (P[i].len == PFX_DEFAULT_LEN)
			return false;
		for (n = 0; n < NELEM(reserved); n++)
			if (pfx_equal(&P[i], &reserved[n]))
				return false;
	}
	if (nic == NULL || nic->subnet == NULL || nic->subnet->vnet == NULL)
		return true;
	v = nic->subnet->vnet;
	out->disable_bgp = nic->subnet->rt != NULL && nic->subnet->rt->disable_bgp;
	add_system(t, v, &c);
	if (!out->disable_bgp)
		add_bgp_only(t, in, v, P, nP, &c);
	add_user(nic, &c);
	block_bgp(&c);
	for (i = n = 0; i < c.n; i++)
		if (pfx_in(P, nP, &c.v[i].r.pfx))
			c.v[n++] = c.v[i];
	c.n = n;
	select_routes(&c);
	out->routes = xcalloc(c.n ? c.n : 1, sizeof(*out->routes));
	for (i = 0; i < c.n; i++)
		out->routes[i] = c.v[i].r;
	out->nroutes = c.n;
	free(c.v);
	return true;
}

static bool
same_nh(const struct memo_route *a, const struct memo_route *b)
{
	uint32_t x[SDN_MAX_NH], y[SDN_MAX_NH];

	if (a->nnh != b->nnh)
		return false;
	memcpy(x, a->nh, a->nnh * sizeof(*x));
	memcpy(y, b->nh, b->nnh * sizeof(*y));
	qsort(x, a->nnh, sizeof(*x), u32_qcmp);
	qsort(y, b->nnh, sizeof(*y), u32_qcmp);
	return memcmp(x, y, a->nnh * sizeof(*x)) == 0;
}

static const struct memo_hub *
memo_find(const struct sdn_input *in, const struct topo_vnet *hub)
{
	size_t i;

	for (i = 0; in->memo != NULL && i < in->memo->n; i++)
		if (in->memo->h[i].hub == hub)
			return &in->memo->h[i];
	return NULL;
}

/* One hub's differences between a and b, appended to *P. */
static void
memo_hub_changes(const struct memo_hub *a, const struct memo_hub *b,
    struct pfx4 **P, size_t *n, size_t *cap)
{
	const struct memo_hub *only = a != NULL ? a : b;
	size_t i = 0, j = 0, na, nb;
	int c;

	if (a == NULL || b == NULL) {	/* a hub on one side: all of it */
		for (; only != NULL && i < only->n; i++) {
			xgrow(P, cap, *n + 1, sizeof(**P));
			(*P)[(*n)++] = only->r[i].pfx;
		}
		return;
	}
	na = a->n;
	nb = b->n;
	while (i < na || j < nb) {
		c = i == na ? 1 : j == nb ? -1 : pfx_cmp(&a->r[i].pfx, &b->r[j].pfx);
		xgrow(P, cap, *n + 1, sizeof(**P));
		if (c < 0)
			(*P)[(*n)++] = a->r[i++].pfx;
		else if (c > 0)
			(*P)[(*n)++] = b->r[j++].pfx;
		else {
			if (!same_nh(&a->r[i], &b->r[j]))
				(*P)[(*n)++] = a->r[i].pfx;
			i++;
			j++;
		}
	}
}

size_t
sdn_memo_changes(const struct topo *t, const struct sdn_input *a,
    const struct sdn_input *b, struct pfx4 **P)
{
	const struct topo_vnet *hub;
	size_t n = 0, cap = 0, i, k;

	*P = NULL;
	for (i = 0; i < t->nvnets; i++) {
		if ((hub = serving_hub(t->vnets[i])) == NULL)
			continue;
		for (k = 0; k < i; k++)
			if (serving_hub(t->vnets[k]) == hub)
				break;
		if (k == i)	/* each hub once */
			memo_hub_changes(memo_find(a, hub), memo_find(b, hub),
			    P, &n, &cap);
	}
	if (n > 1)
		qsort(*P, n, sizeof(**P), pfx_qcmp);
	for (i = k = 0; i < n; i++)
		if (k == 0 || !pfx_equal(&(*P)[k - 1], &(*P)[i]))
			(*P)[k++] = (*P)[i];
	return k;
}

static int
cmp_list_ptr(const void *a, const void *b)
{
	return cmp_list(*(const struct cand *const *)a,
	    *(const struct cand *const *)b);
}

/*
 * c->v (by prefix) in cmp_list's order, as pointers: what one qsort gives
 * (cmp_list is a total order). The groups come in a fixed order, so the
 * routes go to their group's bucket in turn; each bucket is sorted only if
 * it is not in order already: the BGP bucket, nearly all of a table, is
 * (ascending, one route a prefix, as select_routes left it).
 */
static const struct cand **
sort_list(const struct cands *c)
{
	const struct cand **v = xcalloc(c->n + 1, sizeof(*v));
	size_t at[GRP_OTHER + 2] = { 0 }, i, g, k;
	bool sorted;

	for (i = 0; i < c->n; i++)
		at[group(&c->v[i].r) + 1]++;
	for (g = 1; g <= GRP_OTHER + 1; g++)
		at[g] += at[g - 1];
	for (i = 0; i < c->n; i++)
		v[at[group(&c->v[i].r)]++] = &c->v[i];
	/* at[g] is now where group g ends */
	for (g = 0, i = 0; g <= GRP_OTHER; i = at[g++]) {
		for (k = i + 1, sorted = true; k < at[g] && sorted; k++)
			sorted = cmp_list(v[k - 1], v[k]) <= 0;
		if (!sorted)
			qsort(v + i, at[g] - i, sizeof(*v), cmp_list_ptr);
	}
	return v;
}

/*
 * Owns: one table, listed (az's order) or by prefix (selection order);
 * with by_prefix, listed and the positions of the by-prefix order in it.
 */
static void
effective(const struct topo *t, const struct sdn_input *in,
    const struct topo_nic *nic, struct sdn_table *out, bool listed,
    uint32_t **by_prefix)
{
	struct cands c = { NULL, 0, 0, 0, 0 };
	const struct cand **ord;
	const struct topo_vnet *v;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->nic = nic;
	if (by_prefix != NULL)
		*by_prefix = NULL;
	if (nic == NULL || nic->subnet == NULL || nic->subnet->vnet == NULL)
		return;
	v = nic->subnet->vnet;
	out->disable_bgp = nic->subnet->rt != NULL && nic->subnet->rt->disable_bgp;
	add_system(t, v, &c);
	if (!out->disable_bgp)
		add_bgp(t, in, v, &c);
	add_user(nic, &c);
	block_bgp(&c);
	select_routes(&c);
	drop_reserved(&c);
	out->routes = xcalloc(c.n + 1, sizeof(*out->routes));
	out->nroutes = c.n;
	if (!listed) {
		for (i = 0; i < c.n; i++)
			out->routes[i] = c.v[i].r;
		free(c.v);
		return;
	}
	ord = sort_list(&c);
	if (by_prefix != NULL)
		*by_prefix = xcalloc(c.n + 1, sizeof(**by_prefix));
	for (i = 0; i < c.n; i++) {
		out->routes[i] = ord[i]->r;
		if (by_prefix != NULL)
			(*by_prefix)[ord[i] - c.v] = (uint32_t)i;
	}
	free(ord);
	free(c.v);
}
