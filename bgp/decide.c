/*
 * decide: best-path selection and the ECMP set handed to the FIB.
 *
 * The RFC's order (RFC 4271 9.1.2.2), used by the built-in router role:
 *   1. highest LOCAL_PREF (eBGP-learned paths count as 100)
 *   2. shortest AS_PATH (an AS_SET counts as one)
 *   3. lowest ORIGIN (IGP < EGP < INCOMPLETE)
 *   4. lowest MED, only between paths from the same neighbour AS
 *   5. eBGP over iBGP
 *   6. lowest BGP identifier of the sender, then lowest peer address
 *   A path this speaker originates beats every learned one (like a weight).
 *   A gateway instance ranks what its Route Server relays (RS-50, peer kind
 *   RS) below what its own links bring, before step 1: the gateway programs
 *   the VNet with its sites' routes, and the Route Server programs the NVAs'.
 *   Then, still before step 1, the higher peer weight (a configured
 *   per-peer value, 0 by default: GW-09's connection weight between the
 *   circuits of one ExpressRoute gateway).
 *   Multipath: paths equal through step 5 with the same neighbour AS.
 *
 * Azure Route Server's order (RS-30..RS-33, azure-semantics.md), the RS role:
 *   1. longest prefix match: the FIB's business, not ours (one entry per prefix)
 *   2. hubRoutingPreference by source (RS-31; the peer's kind says whether it
 *      is an NVA, an ExpressRoute or a VPN gateway): ExpressRoute (default)
 *      puts ER first, VpnGateway puts VPN and NVA before ER, ASPath no source
 *   3. shortest AS_PATH; LOCAL_PREF, MED and ORIGIN are ignored (RS-32, U-07)
 *   4. ASPath only, on equal paths: ER before the rest (GW-09)
 *   Steps 2 to 4 are bgp_hubpref_cmp() (hubpref.c), which the SDN
 *   controller also uses to choose between RS and gateway routes.
 *   Paths of equal AS_PATH length are all programmed (ECMP, RS-33); the one
 *   advertised to other peers is the one with the lowest BGP identifier, then
 *   the lowest peer address, so both instances make the same choice.
 *   The VNet prefixes the RS originates always win and are never programmed.
 *
 * Must not: apply import/export policy, or talk to sockets or the kernel.
 */
#include <stdlib.h>
#include <string.h>

#include "bgpd.h"
#include "hubpref.h"

#define DEFAULT_LOCAL_PREF	100

static bool
is_ibgp(const struct speaker *s, const struct rib_path *p)
{
	return p->peer != NULL && p->peer->conf->asn == s->conf->asn;
}

/* RFC 4271 5.1.5, RFC 7606 7.5: LOCAL_PREF from an eBGP peer is ignored. */
static uint32_t
local_pref(const struct speaker *s, const struct rib_path *p)
{
	if (is_ibgp(s, p) && p->attrs->present & BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF))
		return p->attrs->local_pref;
	return DEFAULT_LOCAL_PREF;
}

/* Compare through the multipath-relevant steps only; 0 = ECMP candidates. */
static int
cmp_multipath(const struct speaker *s, const struct rib_path *a,
    const struct rib_path *b)
{
	unsigned ha, hb;

	if ((a->peer == NULL) != (b->peer == NULL))
		return a->peer == NULL ? -1 : 1;
	if (s->conf->role == BGP_ROLE_ROUTER && a->peer != NULL &&
	    b->peer != NULL && (a->peer->conf->kind == BGP_SRC_RS) !=
	    (b->peer->conf->kind == BGP_SRC_RS))
		return a->peer->conf->kind == BGP_SRC_RS ? 1 : -1;
	if (s->conf->role == BGP_ROLE_ROUTER && a->peer != NULL &&
	    b->peer != NULL && a->peer->conf->weight != b->peer->conf->weight)
		return a->peer->conf->weight > b->peer->conf->weight ? -1 : 1;
	if (s->conf->role == BGP_ROLE_ROUTER && local_pref(s, a) != local_pref(s, b))
		return local_pref(s, a) > local_pref(s, b) ? -1 : 1;
	ha = bgp_aspath_hops(a->attrs);
	hb = bgp_aspath_hops(b->attrs);
	if (s->conf->role == BGP_ROLE_RS && a->peer != NULL && b->peer != NULL) {
		struct bgp_offer oa = { (enum bgp_src)a->peer->conf->kind, ha, 0 };
		struct bgp_offer ob = { (enum bgp_src)b->peer->conf->kind, hb, 0 };

		return bgp_hubpref_cmp((enum az_hub_pref)s->conf->hub_pref,
		    &oa, &ob);
	}
	if (ha != hb)
		return ha < hb ? -1 : 1;
	if (s->conf->role == BGP_ROLE_RS)
		return 0;
	if (a->attrs->origin != b->attrs->origin)
		return a->attrs->origin < b->attrs->origin ? -1 : 1;
	if (bgp_aspath_first(a->attrs) == bgp_aspath_first(b->attrs)) {
		uint32_t ma = a->attrs->present & BGP_ATTR_BIT(BGP_ATTR_MED) ?
		    a->attrs->med : 0;
		uint32_t mb = b->attrs->present & BGP_ATTR_BIT(BGP_ATTR_MED) ?
		    b->attrs->med : 0;

		if (ma != mb)
			return ma < mb ? -1 : 1;
	}
	if (is_ibgp(s, a) != is_ibgp(s, b))
		return is_ibgp(s, a) ? 1 : -1;
	return 0;
}

int
decide_cmp(const struct speaker *s, const struct rib_path *a,
    const struct rib_path *b)
{
	int c = cmp_multipath(s, a, b);

	if (c != 0 || a->peer == NULL || b->peer == NULL)
		return c;
	if (a->peer->remote_id != b->peer->remote_id)
		return a->peer->remote_id < b->peer->remote_id ? -1 : 1;
	if (a->peer->conf->addr != b->peer->conf->addr)
		return a->peer->conf->addr < b->peer->conf->addr ? -1 : 1;
	return 0;
}

static int
nh_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static void
add_nh(struct decision *d, uint32_t nh, unsigned max)
{
	unsigned i;

	for (i = 0; i < d->nnh; i++)
		if (d->nh[i] == nh)
			return;
	if (d->nnh < max)
		d->nh[d->nnh++] = nh;
}

void
decide(const struct speaker *s, struct rib_entry *e, struct decision *d)
{
	struct rib_path *p;
	unsigned max = s->conf->max_paths ? s->conf->max_paths : 1;

	/* not memset: nh[] is filled as it is used, and this runs per prefix */
	d->best = NULL;
	d->nnh = d->hops = 0;
	if (max > BGP_MAX_ECMP)
		max = BGP_MAX_ECMP;
	for (p = e->paths; p != NULL; p = p->next) {
		if (p->reject != NULL)
			continue;
		if (d->best == NULL || decide_cmp(s, p, d->best) < 0)
			d->best = p;
	}
	/* Originated routes are announced, never installed in our own FIB. */
	if (d->best == NULL || d->best->peer == NULL)
		return;
	d->hops = bgp_aspath_hops(d->best->attrs);
	add_nh(d, d->best->attrs->nexthop, max);
	for (p = e->paths; p != NULL; p = p->next) {
		if (p == d->best || p->reject != NULL || p->peer == NULL)
			continue;
		if (cmp_multipath(s, p, d->best) != 0)
			continue;
		if (s->conf->role == BGP_ROLE_ROUTER &&
		    bgp_aspath_first(p->attrs) != bgp_aspath_first(d->best->attrs))
			continue;
		add_nh(d, p->attrs->nexthop, max);
	}
	qsort(d->nh, d->nnh, sizeof(d->nh[0]), nh_cmp);
}
