/*
 * lint: warnings for designs that are valid but do not do what their author
 * most likely wants. Checked on the finished model, after validation:
 *   RS-22  an NVA advertises 0.0.0.0/0 and its own subnet has no route table
 *          sending 0.0.0.0/0 to the Internet: the default route comes back to
 *          the NVA itself and traffic loops
 *   RS-30  an NVA advertises a site prefix its hub's ExpressRoute or VPN
 *          gateway also offers at the same length, and the hub routing
 *          preference lets the gateway's route win: the NVA is bypassed;
 *          RS-22 ... or the NVA's route wins (the preference, or a longer
 *          prefix) in its own subnet too: it gets its traffic back, a loop
 *   RS-21  an NVA advertises a prefix equal to or inside a VNet prefix the
 *          Route Server serves: it is never programmed
 *   RS-53  ... and so VM subnets that reach that prefix over their VnetLocal
 *          or peering route do not cross the NVA unless a UDR sends them
 *   AS     NVAs of one hub share an ASN: each drops the others' routes (its own
 *          ASN is in the path) unless it is configured with allowas-in
 *   hold   a hold time of 0: a frozen NVA is never noticed (a long one is
 *          the drill's business, not the design's: topo/drill.c)
 *   RS-52  hubs of different regions with Route Servers and no chain of NVA
 *          overlays between them; RS-20: an overlay without as_override
 *   PE-06  an NVA peering with the Route Servers of two VNets (a dual-homed
 *          spoke's) without as_override; with it, those VNets count as
 *          joined for RS-52
 *   MD5    an NVA peering with a Route Server without a key while others in
 *          the lab have one; a key on an NVA that peers with no Route Server
 *   server a BGP speaker without IP forwarding ("role": "server") placed
 *          where it would carry other networks' routes and traffic
 *   RS-42  more than 1,000 prefixes towards an ExpressRoute circuit
 *   GW-05, GW-07  a site advertising more prefixes than a VPN gateway or a
 *          circuit's private peering takes: the session drops
 *   GW-11  a route table on the GatewaySubnet of a VPN gateway with a
 *          0.0.0.0/0 route: it can break the gateway
 *   VR-14, RS-54  next hops Azure will not take (lintnh.c)
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "lint.h"
#include "topo_int.h"

#define NO_ADVERTISE	0xffffff02u	/* RFC 1997 65535:65282 */

static bool
default_to_internet(const struct topo_subnet *sn)
{
	size_t i;

	if (sn->rt == NULL)
		return false;
	for (i = 0; i < sn->rt->nroutes; i++)
		if (sn->rt->routes[i].pfx.len == 0 &&
		    sn->rt->routes[i].type == TOPO_UDR_INTERNET)
			return true;
	return false;
}

/* The address prefix of v that holds p, or NULL. */
static const struct pfx4 *
space_holding(const struct topo_vnet *v, const struct pfx4 *p)
{
	size_t k;

	for (k = 0; k < v->nspace; k++)
		if (pfx_contains(&v->space[k], p))
			return &v->space[k];
	return NULL;
}

/* RS-10, VR-11: the hub itself and the spokes that use its Route Server. */
static bool
served_by(const struct topo_vnet *hub, const struct topo_vnet *v)
{
	return v == hub || topo_remote_gateway_vnet(v) == hub;
}

/* A VNet prefix the hub's Route Server serves that holds p, or NULL. */
static const struct pfx4 *
served_prefix(const struct topo *t, const struct topo_vnet *hub,
    const struct pfx4 *p)
{
	const struct pfx4 *vp;
	size_t i;

	for (i = 0; i < t->nvnets; i++)
		if (served_by(hub, t->vnets[i]) &&
		    (vp = space_holding(t->vnets[i], p)) != NULL)
			return vp;
	return NULL;
}

/*
 * RS-53: the length of the system route a subnet of src has for dst:
 * VnetLocal (its own space) or VNetPeering (a VNet peered with src); -1 if
 * it has none, and then any UDR that holds dst decides.
 */
static int
system_len(const struct topo_vnet *src, const struct pfx4 *dst)
{
	const struct pfx4 *p;
	size_t i;

	if ((p = space_holding(src, dst)) != NULL)
		return p->len;
	if (src->peer_hub != NULL &&
	    (p = space_holding(src->peer_hub, dst)) != NULL)
		return p->len;
	for (i = 0; i < src->nspokes; i++)
		if ((p = space_holding(src->spokes[i], dst)) != NULL)
			return p->len;
	for (i = 0; i < src->nhub_peers; i++)
		if ((p = space_holding(src->hub_peers[i], dst)) != NULL)
			return p->len;
	for (i = 0; i < src->nvpeers; i++)
		if ((p = space_holding(src->vpeers[i]->vnet[src ==
		    src->vpeers[i]->vnet[0]], dst)) != NULL)
			return p->len;
	return -1;
}

/*
 * A VirtualAppliance UDR on sn holding dst and at least as long as the
 * system route it must beat (VR-05: User wins at equal length, VR-06).
 */
static bool
udr_steers(const struct topo_subnet *sn, const struct pfx4 *dst, int syslen)
{
	const struct topo_udr *r;
	size_t i;

	if (sn->rt == NULL)
		return false;
	for (i = 0; i < sn->rt->nroutes; i++) {
		r = &sn->rt->routes[i];
		if (r->type == TOPO_UDR_VIRTUALAPPLIANCE &&
		    pfx_contains(&r->pfx, dst) && (int)r->pfx.len >= syslen)
			return true;
	}
	return false;
}

static bool
has_vm(const struct topo *t, const struct topo_subnet *sn)
{
	size_t i;

	for (i = 0; i < t->nnodes; i++)
		if (t->nodes[i]->kind == TOPO_VM && t->nodes[i]->nic->subnet == sn)
			return true;
	return false;
}

/*
 * RS-53. Advertising a prefix inside the VNet space the Route Server serves
 * has one purpose: to pull the traffic of other subnets towards it through
 * the NVA. It never works (RS-21), so every subnet with VMs, in the VNets
 * that Route Server serves, that reaches the prefix without a
 * VirtualAppliance UDR goes straight there. Subnets inside the prefix and
 * the NVA's own are not sources.
 */
static void
lint_unsteered(struct topo *t, const struct topo_nva *v, const char *path,
    const struct pfx4 *dst)
{
	const struct topo_subnet *own = v->node->nic->subnet, *first = NULL;
	const struct topo_vnet *hub = own->vnet, *src;
	char p1[PFX_STRLEN], more[48] = "";
	size_t i, k, n = 0;

	for (i = 0; i < t->nvnets; i++) {
		src = t->vnets[i];
		if (!served_by(hub, src))
			continue;
		for (k = 0; k < src->nsubnets; k++) {
			const struct topo_subnet *sn = src->subnets[k];

			if (sn == own || pfx_overlap(&sn->pfx, dst) ||
			    !has_vm(t, sn) ||
			    udr_steers(sn, dst, system_len(src, dst)))
				continue;
			if (n++ == 0)
				first = sn;
		}
	}
	if (n == 0)
		return;
	if (n > 1)
		snprintf(more, sizeof(more), " (and %zu more)", n - 1);
	topo_warnf(t, path, "subnet %s/%s%s reaches %s over its system route, not "
	    "through NVA \"%s\": a route from Route Server cannot steer "
	    "traffic inside the VNet space (RS-53, VR-06); add a route table "
	    "with a VirtualAppliance route for %s", first->vnet->name,
	    first->name, more,
	    pfx_fmt(dst, p1), v->node->name, p1);
}

/*
 * The VNet whose Route Server programs an NVA's routes: its own VNet's, or
 * for an NVA in a spoke with none (PE-08), the first one it peers with
 * across a peering (RS-08); NULL: no Route Server.
 */
static const struct topo_vnet *
nva_rs_vnet(const struct topo_nva *v)
{
	const struct topo_vnet *own = v->node->nic->subnet->vnet;

	if (own->rs != NULL)
		return own;
	return v->nxrs > 0 ? v->xrs[0]->vnet : NULL;
}

static void
lint_nva(struct topo *t, const struct topo_nva *v)
{
	const struct topo_subnet *sn = v->node->nic->subnet;
	const struct topo_vnet *rv = nva_rs_vnet(v);
	char path[TOPO_PATH_MAX], p1[PFX_STRLEN], p2[PFX_STRLEN];
	size_t i;

	for (i = 0; i < v->nadvertise; i++) {
		const struct pfx4 *vp;

		snprintf(path, sizeof(path), "%s.advertise[%zu]", v->node->jpath, i);
		if (v->advertise[i].len == 0 && rv != NULL &&
		    served_by(rv, sn->vnet) && !default_to_internet(sn))
			topo_warnf(t, path, "NVA \"%s\" advertises 0.0.0.0/0 and subnet %s/%s "
			    "has no route table sending 0.0.0.0/0 to Internet: the "
			    "default route is programmed on the NVA's own NIC too and "
			    "its Internet traffic loops (RS-22)", v->node->name,
			    sn->vnet->name, sn->name);
		if (rv == NULL ||
		    (vp = served_prefix(t, rv, &v->advertise[i])) == NULL)
			continue;
		topo_warnf(t, path, "%s is %s VNet prefix %s, which the Route Server "
		    "serves: the system route wins and this route is never "
		    "programmed (RS-21)", pfx_fmt(&v->advertise[i], p1),
		    pfx_equal(vp, &v->advertise[i]) ? "equal to" : "inside",
		    pfx_fmt(vp, p2));
		lint_unsteered(t, v, path, &v->advertise[i]);
	}
}

/*
 * A route for one prefix as Route Server weighs it (RS-30, RS-31, GW-09),
 * by lib/azure.c's order, the one bgp/hubpref.c decides by in the lab.
 */
struct offer {
	const struct topo_gw	*gw;		/* NULL: the NVA's */
	struct az_offer		 az;
};

/* < 0: a wins, 0: a tie (ECMP). */
static int
offer_cmp(enum az_hub_pref pref, const struct offer *a,
    const struct offer *b)
{
	return az_hubpref_cmp(pref, &a->az, &b->az);
}

/*
 * The best route hub's gateways offer for exactly p (false if none), and in
 * *wider a gateway whose site prefix strictly holds p. AS paths as Route
 * Server sees them: ER 12076 and the site's ASN (and its prepends); VPN
 * with BGP the site's ASN and prepends; a static tunnel's prefixes none.
 */
static bool
gw_offer(const struct topo_vnet *hub, const struct pfx4 *p,
    struct offer *best, const struct topo_gw **wider)
{
	const struct topo_gwconn *cn;
	struct offer o;
	bool found = false;
	size_t i, k, m;

	*wider = NULL;
	for (i = 0; i < hub->ngws; i++)
		for (k = 0; k < hub->gws[i]->nconns; k++) {
			cn = hub->gws[i]->conns[k];
			if (topo_conn_over_limit(cn))
				continue;	/* GW-05, GW-07: no session */
			o.gw = hub->gws[i];
			o.az.er = o.gw->type == TOPO_GW_EXPRESSROUTE;
			o.az.weight = o.az.er ? cn->weight : 0;
			o.az.hops = o.az.er ? 2 + cn->site->prepend : cn->bgp ?
			    1 + cn->site->prepend + cn->prepend : 0;
			for (m = 0; m < cn->site->nprefixes; m++) {
				const struct pfx4 *s = &cn->site->prefixes[m];

				if (pfx_equal(s, p)) {
					if (!found || offer_cmp(hub->rs->pref, &o,
					    best) < 0)
						*best = o;
					found = true;
				} else if (pfx_contains(s, p) && *wider == NULL)
					*wider = o.gw;
			}
		}
	return found;
}

static const char *
gw_kind(const struct topo_gw *gw)
{
	return gw->type == TOPO_GW_EXPRESSROUTE ? "ExpressRoute" : "VPN";
}

/*
 * RS-30, RS-31: the gateway's route wins in every subnet the Route Server
 * serves; only a route table sending p to an appliance (User beats BGP,
 * VR-05) brings a subnet's traffic to the NVA. A subnet without gateway
 * routes (VR-07) is not bypassing anything.
 */
static void
lint_bypass(struct topo *t, const struct topo_nva *v, const char *path,
    const struct pfx4 *p, const struct offer *gw)
{
	const struct topo_subnet *own = v->node->nic->subnet, *first = NULL;
	char p1[PFX_STRLEN], more[48] = "";
	size_t i, k, n = 0;

	for (i = 0; i < t->nvnets; i++) {
		if (!served_by(own->vnet, t->vnets[i]))
			continue;
		for (k = 0; k < t->vnets[i]->nsubnets; k++) {
			const struct topo_subnet *sn = t->vnets[i]->subnets[k];

			if (sn == own || !has_vm(t, sn) || (sn->rt != NULL &&
			    sn->rt->disable_bgp) || udr_steers(sn, p, p->len))
				continue;
			if (n++ == 0)
				first = sn;
		}
	}
	if (n == 0)
		return;
	if (n > 1)
		snprintf(more, sizeof(more), " and %zu more", n - 1);
	topo_warnf(t, path, "NVA \"%s\" advertises %s, which %s gateway \"%s\" also "
	    "offers at the same length: with hub routing preference %s the "
	    "gateway's route wins (RS-30, RS-31), so traffic to %s bypasses "
	    "NVA \"%s\" in every served subnet without a route table for it "
	    "(%s/%s%s); send it to the NVA with a VirtualAppliance route "
	    "(VR-05)", v->node->name, pfx_fmt(p, p1), gw_kind(gw->gw),
	    gw->gw->name, az_pref_str(own->vnet->rs->pref), p1,
	    v->node->name, first->vnet->name, first->name, more);
}

/* The NVA's own subnet has a route table that keeps p away from the NVA. */
static bool
own_subnet_mended(const struct topo_subnet *sn, const struct pfx4 *p)
{
	size_t i;

	if (sn->rt == NULL)
		return false;
	if (sn->rt->disable_bgp)
		return true;
	for (i = 0; i < sn->rt->nroutes; i++)
		if (pfx_equal(&sn->rt->routes[i].pfx, p))
			return true;
	return false;
}

/* A site that sits behind v holds p: v sends p down that link, no loop. */
static bool
site_behind(const struct topo *t, const struct topo_nva *v,
    const struct pfx4 *p)
{
	size_t i, k;

	for (i = 0; i < t->nsitelinks; i++) {
		const struct topo_site *s = t->sitelinks[i]->site;

		if (t->sitelinks[i]->nva != v)
			continue;
		for (k = 0; k < s->nprefixes; k++)
			if (pfx_contains(&s->prefixes[k], p))
				return true;
	}
	return false;
}

/*
 * RS-22 for any prefix: Route Server programs the NVA's route into the
 * NVA's own subnet as into every other (route-injection-in-spokes,
 * multiregion). When it beats the gateway's there, what the NVA forwards
 * into the fabric comes back to it. A route table on that subnet could
 * send p to a VPN gateway, never to an ExpressRoute one (GW-11).
 */
static void
lint_self_loop(struct topo *t, const struct topo_nva *v, const char *path,
    const struct pfx4 *p, const struct topo_gw *gw, bool equal)
{
	const struct topo_subnet *own = v->node->nic->subnet;
	char p1[PFX_STRLEN], why[96];

	if (own_subnet_mended(own, p) || site_behind(t, v, p))
		return;
	if (equal)
		snprintf(why, sizeof(why), "hub routing preference %s, RS-30, "
		    "RS-31", az_pref_str(own->vnet->rs->pref));
	else
		snprintf(why, sizeof(why), "a longer prefix, RS-30");
	topo_warnf(t, path, "NVA \"%s\" advertises %s, and its route beats %s "
	    "gateway \"%s\"'s (%s) in the NVA's own subnet %s/%s too: the "
	    "NVA gets its own traffic back and traffic to %s loops (RS-22); "
	    "%s", v->node->name, pfx_fmt(p, p1), gw_kind(gw), gw->name, why,
	    own->vnet->name, own->name, p1, gw->type == TOPO_GW_EXPRESSROUTE ?
	    "no route table can send it to an ExpressRoute gateway (GW-11): "
	    "steer the other subnets to the NVA with route tables instead" :
	    "a route table on that subnet with a VirtualNetworkGateway route "
	    "for it ends the loop");
}

/* RS-30 and RS-22 for the site prefixes an NVA also advertises. */
static void
lint_gw_overlap(struct topo *t, const struct topo_nva *v)
{
	const struct topo_vnet *hub = v->node->nic->subnet->vnet;
	const struct topo_gw *wider;
	char path[TOPO_PATH_MAX];
	struct offer best = { NULL, { false, 0, 0 } };
	struct offer nva = { NULL, { false, 0, 0 } };
	bool equal;
	size_t i;

	if (hub->rs == NULL || !(v->peer_rs[0] || v->peer_rs[1]))
		return;
	for (i = 0; i < v->nadvertise; i++) {
		if (v->advertise[i].len == 0)
			continue;	/* RS-22's own warning, lint_nva() */
		nva.az.hops = 1 + topo_adv_prepend(v, i);
		equal = gw_offer(hub, &v->advertise[i], &best, &wider);
		if (!equal && wider == NULL)
			continue;
		snprintf(path, sizeof(path), "%s.advertise[%zu]",
		    v->node->jpath, i);
		if (equal && offer_cmp(hub->rs->pref, &best, &nva) < 0)
			lint_bypass(t, v, path, &v->advertise[i], &best);
		else
			lint_self_loop(t, v, path, &v->advertise[i],
			    equal ? best.gw : wider, equal);
	}
}

/* Both peer with one Route Server (PE-08: NVAs of two spokes may). */
static bool
share_rs(const struct topo *t, const struct topo_nva *a,
    const struct topo_nva *b)
{
	size_t i;

	for (i = 0; i < t->nrss; i++)
		if (topo_nva_peers_rs(a, t->rss[i]) &&
		    topo_nva_peers_rs(b, t->rss[i]))
			return true;
	return false;
}

static void
lint_shared_asn(struct topo *t)
{
	char path[TOPO_PATH_MAX];
	size_t i, k;

	for (i = 0; i < t->nnvas; i++)
		for (k = 0; k < i; k++) {
			const struct topo_nva *a = t->nvas[k], *b = t->nvas[i];

			if (!a->bgp || a->asn != b->asn ||
			    (a->node->nic->subnet->vnet !=
			    b->node->nic->subnet->vnet && !share_rs(t, a, b)))
				continue;
			snprintf(path, sizeof(path), "%s.asn", b->node->jpath);
			topo_warnf(t, path, "NVAs \"%s\" and \"%s\" share AS %u: each drops "
			    "the other's routes through the Route Server (its own AS "
			    "is in the path) unless it allows its AS in (allowas-in); "
			    "fine for an active-active pair advertising the same "
			    "prefixes", a->node->name, b->node->name, a->asn);
			break;
		}
}

/*
 * RS-43: a hold time of 0 never notices a frozen NVA. A long one (Azure's
 * default 180 s) is a valid design: a drill that freezes a node says how
 * slow it will be (drill_hold_note(), topo/drill.c).
 */
static void
lint_hold(struct topo *t)
{
	if (t->timers.hold == 0)
		topo_warnf(t, "timers.hold", "hold time 0: a frozen NVA is never noticed; "
		    "only a closed connection ends a session (RS-43: Azure's "
		    "is 180 s)");
}

static bool
peers_rs(const struct topo_nva *v)
{
	return v->node->nic->subnet->vnet->rs != NULL &&
	    (v->peer_rs[0] || v->peer_rs[1]);
}

static bool
is_overlay(const struct topo_gwlink *l)
{
	return l->conn == NULL && l->a->kind == TOPO_NVA &&
	    l->b->kind == TOPO_NVA;
}

static struct topo_vnet *
hub_of(const struct topo_node *n)
{
	return n->nic->subnet->vnet;
}

static size_t
vnet_idx(const struct topo *t, const struct topo_vnet *v)
{
	size_t i;

	for (i = 0; i < t->nvnets && t->vnets[i] != v; i++)
		;
	return i;
}

static size_t
root(size_t *up, size_t i)
{
	while (up[i] != i)
		i = up[i] = up[up[i]];
	return i;
}

/* A hub whose Route Server has an NVA peer: one end of a possible overlay. */
static bool
rs_hub(const struct topo *t, const struct topo_vnet *v)
{
	size_t i;

	if (!v->hub || v->rs == NULL)
		return false;
	/* its own NVAs, or one across a peering (RS-08; PE-08: a spoke's) */
	for (i = 0; i < t->nnvas; i++)
		if (t->nvas[i]->bgp && topo_nva_peers_rs(t->nvas[i], v->rs))
			return true;
	return false;
}

/*
 * PE-06: an NVA that peers with the Route Servers of two VNets (its hub's
 * and a dual-homed spoke's) passes routes between them only with
 * as-override, since every Route Server is AS 65515 (RS-20); with it, it
 * joins them as an overlay would.
 */
static void
join_shared_rs(struct topo *t, const struct topo_nva *nv, size_t *up)
{
	char path[TOPO_PATH_MAX];
	size_t k;

	/* PE-08: a spoke's NVA may peer with one Route Server, not its own */
	if (nv->nxrs + (peers_rs(nv) ? 1 : 0) < 2)
		return;
	if (!nv->as_override) {
		topo_warnf(t, topo_path_key(path, nv->node->jpath, "route_servers"),
		    "NVA \"%s\" peers with the Route Server of \"%s\" and "
		    "another one without as_override: whatever it learns from "
		    "one keeps 65515 in the path, and the other drops it "
		    "(RS-20, PE-06)", nv->node->name, nv->xrs[0]->vnet->name);
		return;
	}
	for (k = 0; k < nv->nxrs; k++)
		up[root(up, vnet_idx(t, hub_of(nv->node)))] =
		    root(up, vnet_idx(t, nv->xrs[k]->vnet));
}

/*
 * RS-52: two Route Servers exchange nothing, not even through ExpressRoute
 * (RS-51); a chain of NVA overlays (NVAs pass routes on) joins their hubs.
 * One warning per pair of hubs that no chain joins. RS-20: an overlay that
 * keeps 65515 is dropped by the far Route Server.
 */
static void
lint_regions(struct topo *t)
{
	char path[TOPO_PATH_MAX];
	size_t *up, i, j;

	up = xcalloc(t->nvnets + 1, sizeof(*up));
	for (i = 0; i < t->nvnets; i++)
		up[i] = i;
	for (i = 0; i < t->ngwlinks; i++) {
		const struct topo_gwlink *l = t->gwlinks[i];

		if (!is_overlay(l))
			continue;
		up[root(up, vnet_idx(t, hub_of(l->a)))] =
		    root(up, vnet_idx(t, hub_of(l->b)));
		if (!l->as_override && hub_of(l->a)->rs != NULL &&
		    hub_of(l->b)->rs != NULL)
			topo_warnf(t, "overlays", "the overlay between NVAs \"%s\" and "
			    "\"%s\" has as_override false: the routes each "
			    "learns from its Route Server keep 65515 in the "
			    "path, and the other hub's Route Server drops them "
			    "(RS-20, RS-52)", l->a->name, l->b->name);
	}
	for (i = 0; i < t->nnvas; i++)
		join_shared_rs(t, t->nvas[i], up);
	for (i = 0; i < t->nvnets; i++)
		for (j = 0; j < i; j++) {
			if (!rs_hub(t, t->vnets[i]) || !rs_hub(t, t->vnets[j]) ||
			    root(up, i) == root(up, j))
				continue;
			topo_warnf(t, topo_path_key(path, t->vnets[i]->jpath, "nvas"),
			    "hubs \"%s\" (%s) and \"%s\" (%s) both have a Route "
			    "Server and no NVA overlay joins them: neither learns "
			    "the other's routes, as two Route Servers exchange "
			    "nothing (RS-52, RS-51); add an overlay between their "
			    "NVAs, with as_override (RS-20)", t->vnets[j]->name,
			    t->vnets[j]->region->name, t->vnets[i]->name,
			    t->vnets[i]->region->name);
		}
	free(up);
}

/*
 * TCP MD5 (RFC 2385). azure-semantics.md records nothing about keys on
 * Route Server peerings, and almost every lab leaves them out on purpose;
 * a warning per keyless session would fire on nearly every topology and
 * make `validate --strict` useless. So the lab's own choice is the rule:
 * once one NVA's Route Server sessions carry a key, an NVA of the lab whose
 * sessions do not is the trap (a key forgotten, a session anyone on the
 * subnet can reset or inject into). A key on an NVA that peers with no
 * Route Server protects nothing.
 */
static void
lint_md5(struct topo *t)
{
	const struct topo_nva *keyed = NULL;
	char path[TOPO_PATH_MAX];
	size_t i;

	for (i = 0; i < t->nnvas && keyed == NULL; i++)
		if (peers_rs(t->nvas[i]) && t->nvas[i]->md5 != NULL)
			keyed = t->nvas[i];
	for (i = 0; i < t->nnvas; i++) {
		const struct topo_nva *v = t->nvas[i];

		if (!peers_rs(v) && v->md5 != NULL)
			topo_warnf(t, topo_path_key(path, v->node->jpath, "md5"),
			    "NVA \"%s\" peers with no Route Server: its MD5 key "
			    "protects no session", v->node->name);
		else if (peers_rs(v) && v->md5 == NULL && keyed != NULL)
			topo_warnf(t, v->node->jpath, "NVA \"%s\" peers with the Route "
			    "Server of hub \"%s\" without an MD5 key while NVA "
			    "\"%s\" uses one: its sessions are not authenticated "
			    "(RFC 2385); give it an \"md5\" key",
			    v->node->name, hub_of(v->node)->name,
			    keyed->node->name);
	}
}

/* The first VNet or site prefix that p holds, or NULL: someone else's. */
static const struct pfx4 *
covers_other(const struct topo *t, const struct pfx4 *p)
{
	size_t i, k;

	for (i = 0; i < t->nvnets; i++)
		for (k = 0; k < t->vnets[i]->nspace; k++)
			if (pfx_contains(p, &t->vnets[i]->space[k]))
				return &t->vnets[i]->space[k];
	for (i = 0; i < t->nsites; i++)
		for (k = 0; k < t->sites[i]->nprefixes; k++)
			if (pfx_contains(p, &t->sites[i]->prefixes[k]))
				return &t->sites[i]->prefixes[k];
	return NULL;
}

/*
 * A server ("role": "server": a BGP speaker whose NIC does not forward)
 * must never be transit. Routes it learns from Route Server carry 65515, so
 * Route Server drops them if it sends them back (RS-20); a server becomes
 * transit through a second kind of peer (an overlay), a site behind it, or
 * a prefix that covers other networks. Azure then sends it traffic that its
 * NIC drops.
 */
static void
lint_server(struct topo *t, const struct topo_nva *v)
{
	const struct topo_node *n = v->node;
	char path[TOPO_PATH_MAX], p1[PFX_STRLEN], p2[PFX_STRLEN];
	const struct pfx4 *o;
	size_t i;

	if (n->nic->ip_forwarding || !peers_rs(v))
		return;
	for (i = 0; i < t->ngwlinks; i++)
		if (is_overlay(t->gwlinks[i]) &&
		    (t->gwlinks[i]->a == n || t->gwlinks[i]->b == n))
			topo_warnf(t, n->jpath, "server \"%s\" has an overlay with \"%s\": "
			    "it passes routes between it and the Route Server "
			    "and becomes a transit node, while its NIC does not "
			    "forward (BGP on servers must never be transit)",
			    n->name, (t->gwlinks[i]->a == n ? t->gwlinks[i]->b :
			    t->gwlinks[i]->a)->name);
	for (i = 0; i < t->nsitelinks; i++)
		if (t->sitelinks[i]->nva == v)
			topo_warnf(t, n->jpath, "site \"%s\" sits behind server \"%s\": "
			    "the server becomes a transit node, while its NIC "
			    "does not forward (BGP on servers must never be "
			    "transit)", t->sitelinks[i]->site->name, n->name);
	for (i = 0; i < v->nadvertise; i++) {
		if ((o = covers_other(t, &v->advertise[i])) == NULL)
			continue;
		snprintf(path, sizeof(path), "%s.advertise[%zu]", n->jpath, i);
		topo_warnf(t, path, "server \"%s\" advertises %s, which holds %s: "
		    "traffic for other networks is drawn to a NIC that does not "
		    "forward (BGP on servers must never be transit)", n->name,
		    pfx_fmt(&v->advertise[i], p1), pfx_fmt(o, p2));
	}
}

struct pfxset {
	struct pfx4	*v;
	size_t		 n, cap;
};

static void
set_add(struct pfxset *s, const struct pfx4 *p, size_t n)
{
	if (n == 0)	/* p may be NULL (an NVA that advertises nothing) */
		return;
	xgrow(&s->v, &s->cap, s->n + n, sizeof(*s->v));
	memcpy(s->v + s->n, p, n * sizeof(*p));
	s->n += n;
}

static size_t
set_count(struct pfxset *s)
{
	size_t i, n = 0;

	qsort(s->v, s->n, sizeof(*s->v), pfx_qcmp);
	for (i = 0; i < s->n; i++)
		if (i == 0 || !pfx_equal(&s->v[i - 1], &s->v[i]))
			n++;
	return n;
}

static void
add_served(const struct topo *t, const struct topo_vnet *hub,
    struct pfxset *s)
{
	size_t i;

	for (i = 0; i < t->nvnets; i++)
		if (served_by(hub, t->vnets[i]))
			set_add(s, t->vnets[i]->space, t->vnets[i]->nspace);
}


/* What the NVAs of hub give its Route Server to pass on (RS-12, RS-24). */
static void
add_nvas(const struct topo *t, const struct topo_vnet *hub, struct pfxset *s)
{
	size_t i, k;

	for (i = 0; i < t->nnvas; i++) {
		const struct topo_nva *v = t->nvas[i];

		if (hub_of(v->node) != hub || !peers_rs(v))
			continue;
		for (k = 0; k < v->nadvertise; k++)
			if (!topo_adv_has_comm(v, k, NO_ADVERTISE))
				set_add(s, &v->advertise[k], 1);
	}
}

/*
 * With branch-to-branch: the NVAs' routes, a VPN gateway's sites' (RS-13),
 * and what the NVAs learn over overlays that override 65515 (the far hub's
 * VNets and NVAs' routes; without the override Route Server drops them).
 */
static void
add_learned(const struct topo *t, const struct topo_vnet *hub,
    struct pfxset *s)
{
	const struct topo_gwlink *l;
	const struct topo_vnet *far;
	size_t i, k;

	add_nvas(t, hub, s);
	for (i = 0; i < hub->ngws; i++)
		for (k = 0; hub->gws[i]->type == TOPO_GW_VPN &&
		    k < hub->gws[i]->nconns; k++)
			set_add(s, hub->gws[i]->conns[k]->site->prefixes,
			    hub->gws[i]->conns[k]->site->nprefixes);
	for (i = 0; i < t->ngwlinks; i++) {
		l = t->gwlinks[i];
		if (!is_overlay(l) || !l->as_override ||
		    (hub_of(l->a) != hub && hub_of(l->b) != hub))
			continue;
		far = hub_of(l->a) == hub ? hub_of(l->b) : hub_of(l->a);
		add_served(t, far, s);
		add_nvas(t, far, s);
	}
}

/*
 * RS-42, GW-07: the VNet prefixes and, with branch-to-branch, every route
 * Route Server learned, go to the ExpressRoute gateway and on to the
 * circuit, which takes at most TOPO_LINT_ER_MAX.
 */
static void
lint_er_count(struct topo *t, const struct topo_vnet *hub)
{
	struct pfxset s = { NULL, 0, 0 };
	char path[TOPO_PATH_MAX], rp[TOPO_PATH_MAX];
	size_t i, vnet, all;

	for (i = 0; i < hub->ngws; i++)
		if (hub->gws[i]->type == TOPO_GW_EXPRESSROUTE)
			break;
	if (i == hub->ngws || hub->rs == NULL)
		return;
	add_served(t, hub, &s);
	vnet = set_count(&s);
	if (hub->rs->branch_to_branch)
		add_learned(t, hub, &s);
	all = set_count(&s);
	free(s.v);
	if (all <= TOPO_LINT_ER_MAX)
		return;
	topo_path_key(rp, hub->jpath, "route_server");
	topo_warnf(t, hub->rs->branch_to_branch ? topo_path_key(path, rp,
	    "branch_to_branch") : rp, "hub \"%s\" advertises %zu prefixes "
	    "to ExpressRoute gateway \"%s\" (%zu VNet prefixes, %zu routes "
	    "learned by Route Server with branch_to_branch on): more than "
	    "%d, and the circuit drops its BGP session (RS-42, GW-07)",
	    hub->name, all, hub->gws[i]->name, vnet, all - vnet,
	    TOPO_LINT_ER_MAX);
}

/* Whether cn is the first connection (file order) to its circuit's MSEE. */
static bool
first_on_msee(const struct topo *t, const struct topo_gwconn *cn)
{
	size_t i, k;

	for (i = 0; i < t->ngws; i++)
		for (k = 0; k < t->gws[i]->nconns; k++) {
			if (t->gws[i]->conns[k] == cn)
				return true;
			if (t->gws[i]->conns[k]->msee == cn->msee)
				return false;
		}
	return true;
}

/*
 * GW-05, GW-07: a site whose prefixes exceed what the gateway takes over
 * a connection loses that connection's sessions as soon as they carry its
 * routes; the lab and plan leave the connection without routes both ways.
 */
static void
lint_site_limit(struct topo *t, const struct topo_gwconn *cn)
{
	bool er = cn->gw->type == TOPO_GW_EXPRESSROUTE;

	/* a shared circuit has one session with the site: warn once */
	if (!topo_conn_over_limit(cn) || (er && !first_on_msee(t, cn)))
		return;
	topo_warnf(t, cn->jpath, "site \"%s\" advertises %zu prefixes to %s \"%s\", "
	    "which takes at most %u from on-premises%s: the session drops and "
	    "nothing is learned over this connection, either way (%s)",
	    cn->site->name, cn->site->nprefixes, er ? "the private peering of "
	    "ExpressRoute gateway" : "VPN gateway", cn->gw->name,
	    topo_conn_route_limit(cn), er && !cn->premium ? " (Premium: "
	    "10,000)" : "", er ? "GW-07" : "GW-05");
}

/* The first VPN gateway of hub, or NULL. */
static const struct topo_gw *
vpn_gw(const struct topo_vnet *hub)
{
	size_t i;

	for (i = 0; i < hub->ngws; i++)
		if (hub->gws[i]->type == TOPO_GW_VPN)
			return hub->gws[i];
	return NULL;
}

/*
 * GW-11: "a UDR for 0.0.0.0/0 on a VPN GatewaySubnet can break the
 * gateway". Azure accepts the association; what fails is the gateway's own
 * traffic (its tunnels, and Azure's management of it), which the lab does
 * not carry through the fabric, so it is a warning here.
 * VR-07's rule on GatewaySubnet (no disabled propagation) is an error in
 * parse_rt.c.
 */
static void
lint_gateway_subnet(struct topo *t, const struct topo_route_table *rt)
{
	const struct topo_subnet *sn;
	const struct topo_gw *vpn;
	char path[TOPO_PATH_MAX], rp[TOPO_PATH_MAX];
	size_t i, k;

	for (i = 0; i < rt->nsubnets; i++) {
		sn = rt->subnets[i];
		if (strcmp(sn->name, "GatewaySubnet") != 0 ||
		    (vpn = vpn_gw(sn->vnet)) == NULL)
			continue;
		for (k = 0; k < rt->nroutes; k++) {
			if (rt->routes[k].pfx.len != 0)
				continue;
			topo_path_idx(path, topo_path_key(rp, rt->jpath,
			    "routes"), k);
			topo_warnf(t, path, "route \"%s\" sends 0.0.0.0/0 from "
			    "GatewaySubnet of hub \"%s\" to %s: a default route "
			    "on a VPN gateway's subnet can break VPN gateway "
			    "\"%s\" (GW-11); give GatewaySubnet specific "
			    "prefixes only", rt->routes[k].name, sn->vnet->name,
			    topo_udr_type_str(rt->routes[k].type), vpn->name);
			break;
		}
	}
}

/*
 * VR-15: a site prefix equal to a VNet prefix is valid, but a subnet with
 * the VNet's own or peering route never sends it on-premises (VR-06,
 * RS-21), and a VPN gateway serving the VNet drops it (GW-05).
 */
static void
lint_site_vnet(struct topo *t)
{
	char path[TOPO_PATH_MAX], a[PFX_STRLEN];
	const struct topo_vnet *v;
	size_t i, j, k, m;

	for (i = 0; i < t->nsites; i++)
		for (k = 0; k < t->sites[i]->nprefixes; k++)
			for (j = 0; j < t->nvnets; j++) {
				v = t->vnets[j];
				for (m = 0; m < v->nspace; m++) {
					if (!pfx_equal(&v->space[m],
					    &t->sites[i]->prefixes[k]))
						continue;
					snprintf(path, sizeof(path),
					    "sites[%zu].prefixes[%zu]", i, k);
					topo_warnf(t, path, "%s of site \"%s\" "
					    "is the address space of VNet \"%s\" "
					    "(VR-15): a subnet with that VNet's own "
					    "or peering route never sends it "
					    "on-premises (VR-06, RS-21), and a VPN "
					    "gateway serving the VNet drops it "
					    "(GW-05)", pfx_fmt(&v->space[m], a),
					    t->sites[i]->name, v->name);
				}
			}
}

void
topo_lint(struct topo *t)
{
	size_t i, k;

	for (i = 0; i < t->nnvas; i++) {
		lint_nva(t, t->nvas[i]);
		lint_gw_overlap(t, t->nvas[i]);
	}
	lint_shared_asn(t);
	lint_hold(t);
	lint_regions(t);
	lint_md5(t);
	for (i = 0; i < t->nnvas; i++)
		lint_server(t, t->nvas[i]);
	for (i = 0; i < t->nvnets; i++)
		if (t->vnets[i]->hub)
			lint_er_count(t, t->vnets[i]);
	for (i = 0; i < t->nrts; i++)
		lint_gateway_subnet(t, t->rts[i]);
	topo_lint_next_hops(t);
	lint_site_vnet(t);
	for (i = 0; i < t->ngws; i++)
		for (k = 0; k < t->gws[i]->nconns; k++)
			lint_site_limit(t, t->gws[i]->conns[k]);
}
