/*
 * walk: the predicted walk. See walk.h.
 *
 * How each kind of node forwards, as the lab builds them:
 *   VM, Route Server instance: sends into the fabric through its NIC;
 *       does not forward for others (ip_forward off).
 *   NVA: a destination inside a site prefix of a site it links to goes
 *       down that site link; everything else goes back into the fabric
 *       through its NIC (its BGP routes and its default route all point
 *       there, onlink); with extra NICs, the one walk_egress() picks
 *       (NV-03, NV-05).
 *   site router: a host of the site is delivered on the LAN; anything else
 *       goes to the NVAs it links to (ECMP).
 *   site host: everything goes to its router.
 *   gateway instance: a prefix of a site it connects goes down that link
 *       (tunnel or circuit; over several circuits, the MSEEs whose paths
 *       tie share the flows by ECMP, or, with a Route Server in the hub,
 *       the one with the lowest BGP identifier takes them all: RS-35);
 *       anything else back into the fabric through
 *       its NIC, as its default route does (a route table's
 *       VirtualNetworkGateway route lands here too, GW-11).
 *   MSEE: the site's prefixes to the site's edge, the rest to the gateway.
 * In the fabric, the NIC the packet entered through decides, by its
 * effective routes (sdn_lookup: longest prefix among active routes).
 * Beyond routing (policy.c): an NVA's filter decides whether it forwards
 * a packet it did not send itself, and a spoke peering without
 * allowForwardedTraffic refuses what the hub forwards into it.
 */
#include <stdio.h>
#include <string.h>

#include "kroute.h"
#include "lb.h"
#include "nsg.h"
#include "policy.h"
#include "walk.h"
#include "walkstep.h"

const char *
walk_outcome_str(enum walk_outcome o)
{
	switch (o) {
	case WALK_DELIVERED:		return "delivered";
	case WALK_NO_ROUTE:		return "no route";
	case WALK_BLACKHOLED:		return "blackholed";
	case WALK_LOOP:			return "loop";
	case WALK_FAILED_PEER:		return "dropped by a failed peer";
	case WALK_NOT_FORWARDED:	return "not forwarded";
	case WALK_DENIED:		return "denied by an NVA's filter";
	case WALK_PEERING_REFUSED:	return "denied by a peering";
	case WALK_NSG_DENIED:		return "denied by an NSG";
	}
	return "?";
}

const char *
walk_proto_str(enum walk_proto p)
{
	return p == WALK_ICMP ? "icmp" : p == WALK_TCP ? "tcp" : "udp";
}

const struct topo_node *
walk_owner(const struct topo *t, uint32_t ip)
{
	const struct topo_nic *nic = topo_nic_by_ip(t, ip);
	size_t i;

	if (nic != NULL)
		return nic->node;
	for (i = 0; i < t->nnodes; i++)
		if (t->nodes[i]->kind == TOPO_SITE_HOST && t->nodes[i]->host_ip == ip)
			return t->nodes[i];
	return NULL;
}

uint32_t
walk_node_ip(const struct topo_node *n)
{
	return n->nic ? n->nic->ip : n->kind == TOPO_SITE_HOST ? n->host_ip : 0;
}

int
walk_endpoint(const struct topo *t, const char *s, const struct topo_node **n,
    uint32_t *ip, bool is_src, char *err, size_t len)
{
	static const struct pfx4 priv[] = { { 0x0a000000, 8 },
	    { 0xac100000, 12 }, { 0xc0a80000, 16 }, { 0x64400000, 10 } };
	size_t i, k;

	*n = NULL;
	if (strcmp(s, "internet") == 0 && !is_src) {
		*ip = WALK_INTERNET_IP;
		return 0;
	}
	if (addr_parse(s, ip) == 0) {
		*n = walk_owner(t, *ip);
	} else if (strchr(s, '/') != NULL && topo_nic_find(t, s) != NULL) {
		/* NV-01: an NVA's extra NIC by name, its address */
		if (is_src) {
			snprintf(err, len, "%s is a NIC: walk from its NVA, %s "
			    "(the guest picks the NIC a packet leaves by, NV-03)",
			    s, topo_nic_find(t, s)->node->name);
			return -1;
		}
		*n = topo_nic_find(t, s)->node;
		*ip = topo_nic_find(t, s)->ip;
		return 0;
	} else if ((*n = topo_node_find(t, s)) != NULL) {
		*ip = walk_node_ip(*n);
		if (*ip != 0)
			return 0;
		snprintf(err, len, "%s has no address to walk %s", s,
		    is_src ? "from" : "to");
		return -1;
	} else {
		snprintf(err, len, "no node named %s", s);
		return -1;
	}
	if (*n == NULL && is_src) {
		snprintf(err, len, "no node has the address %s", s);
		return -1;
	}
	if (*n != NULL)
		return 0;
	for (i = 0; i < t->nvnets; i++)
		for (k = 0; k < t->vnets[i]->nspace; k++)
			if (pfx_contains_addr(&t->vnets[i]->space[k], *ip)) {
				snprintf(err, len, "no NIC has the address %s in "
				    "VNet %s", s, t->vnets[i]->name);
				return -1;
			}
	for (i = 0; i < t->nsites; i++)
		for (k = 0; k < t->sites[i]->nprefixes; k++)
			if (pfx_contains_addr(&t->sites[i]->prefixes[k], *ip))
				return 0;	/* unassigned: the walk says so */
	for (i = 0; i < sizeof(priv) / sizeof(priv[0]); i++)
		if (pfx_contains_addr(&priv[i], *ip)) {
			snprintf(err, len, "%s is a private address outside the "
			    "lab", s);
			return -1;
		}
	return 0;
}

static bool
site_has(const struct topo_site *s, uint32_t dst)
{
	size_t i;

	for (i = 0; i < s->nprefixes; i++)
		if (pfx_contains_addr(&s->prefixes[i], dst))
			return true;
	return false;
}

static struct walk_hop *
add_hop(struct walk *w, const struct topo_node *n)
{
	struct walk_hop *h;

	if (w->n >= WALK_MAX_HOPS)
		return NULL;
	h = &w->hop[w->n++];
	memset(h, 0, sizeof(*h));
	h->node = n;
	return h;
}

static unsigned
choose(const struct walk_env *e, const struct topo_node *at,
    const uint32_t *m, unsigned n, unsigned flow)
{
	unsigned k = e->choose ? e->choose(e->arg, at, m, n, flow) : flow % n;

	return k < n ? k : 0;
}

/* choose() at hop h, which lists the ECMP members when there are several. */
static unsigned
choose_hop(const struct walk_env *e, const struct topo_node *at,
    const uint32_t *m, unsigned n, unsigned flow, struct walk_hop *h)
{
	if (n > 1) {
		h->ecmp = true;
		memcpy(h->members, m, n * sizeof(m[0]));
		h->nmembers = n;
	}
	return choose(e, at, m, n, flow);
}

/* Why the route won: longest prefix, and what it beat for the same prefix. */
static void
why(const struct sdn_table *tab, const struct sdn_route *r, char *buf,
    size_t len)
{
	size_t i, used;

	used = (size_t)snprintf(buf, len, "longest prefix /%u", r->pfx.len);
	for (i = 0; i < tab->nroutes && used < len; i++) {
		const struct sdn_route *o = &tab->routes[i];

		if (o != r && !o->active && pfx_equal(&o->pfx, &r->pfx))
			used += (size_t)snprintf(buf + used, len - used,
			    "; %s beats %s %s", sdn_source_str(r->source),
			    sdn_source_str(o->source), sdn_nh_type_str(o->type));
	}
}

/*
 * LB-04, LB-06: a route to an internal load balancer's frontend; the
 * backend its hash picks among those in rotation takes the packet as it
 * is, unless the load balancer's VNet is out of the NIC's reach: neither
 * the NIC's VNet nor directly peered with it, wherever the load balancer
 * sits, a hub or a spoke (VR-14, PE-08; kroute_nh_reaches decides, as for
 * the fabric).
 */
static const struct topo_node *
lb_step(const struct walk_env *e, const struct topo_nic *from,
    const struct topo_lb *lb, const struct walk_pkt *pkt, struct walk *w,
    struct walk_hop *h)
{
	const struct topo_vnet *v = from->subnet->vnet;
	struct lb_flow f = { pkt->src, pkt->dst, walk_ipproto(pkt->proto),
	    pkt->proto == WALK_ICMP ? 0 : pkt->sport,
	    pkt->proto == WALK_ICMP ? 0 : pkt->port };
	bool up[TOPO_LB_BACKENDS_MAX];
	char fe[ADDR_STRLEN];
	size_t i, used, nup = 0;
	int b;

	if (!kroute_nh_reaches(e->t, from, lb->ip)) {
		w->outcome = WALK_BLACKHOLED;
		snprintf(w->detail, sizeof(w->detail), "load balancer %s "
		    "(frontend %s) is in VNet %s, not peered with %s: out of "
		    "reach (PE-08, PE-01)", lb->name, addr_fmt(lb->ip, fe),
		    lb->subnet->vnet->name, v->name);
		return NULL;
	}
	for (i = 0; i < lb->nbackends; i++)
		nup += up[i] = e->lb_healthy == NULL ||
		    e->lb_healthy(e->arg, lb, i);
	if ((b = lb_pick(lb, up, &f, pkt->reply && pkt->proto != WALK_ICMP)) < 0) {
		w->outcome = WALK_BLACKHOLED;
		snprintf(w->detail, sizeof(w->detail), "load balancer %s: %s",
		    lb->name, nup == 0 ? "no backend is in rotation (LB-05)" :
		    "no rule takes the flow (LB-02)");
		return NULL;
	}
	h->lb = lb;
	h->backend = lb->backends[b]->node;
	used = strlen(h->how);
	snprintf(h->how + used, sizeof(h->how) - used, "; load balancer %s: "
	    "backend %s (%s, %s hash)", lb->name, h->backend->name,
	    lb->nrules ? "port rule" : "HA ports",
	    pkt->reply && pkt->proto != WALK_ICMP ? "the flow's" : "5-tuple");
	if (walk_peering_refuses(from, h->backend->nic, pkt->src, w))
		return NULL;
	w->next_in = h->backend->nic;
	return h->backend;
}

/* The packet enters the fabric from `from`; where does it go? */
static const struct topo_node *
fabric(const struct walk_env *e, const struct topo_node *from,
    const struct walk_pkt *pkt, unsigned flow, struct walk *w,
    struct walk_hop *h)
{
	uint32_t dst = pkt->dst;
	/* NV-03, NV-05: the NIC the guest sends it out of; NV-04: its routes */
	const struct topo_nic *nic = walk_egress(e, from, dst), *in;
	const struct sdn_table *tab = e->table(e->arg, nic);
	const struct sdn_route *r = tab ? sdn_lookup(tab, dst) : NULL;
	char pf[PFX_STRLEN], nh[ADDR_STRLEN], reason[160];
	const struct topo_node *next;
	uint32_t m[SDN_MAX_NH];
	unsigned k, nm;

	/* NV-02: transit only; the guest sends its own from the NIC's address */
	if (w->n > 1 && walk_fwd_drops(from, NULL, nic, pkt, w))
		return NULL;
	if (r == NULL) {
		w->outcome = WALK_NO_ROUTE;
		snprintf(w->detail, sizeof(w->detail), "NIC %s has no route to the "
		    "destination", nic->name);
		return NULL;
	}
	why(tab, r, reason, sizeof(reason));
	pfx_fmt(&r->pfx, pf);
	switch (r->type) {
	case SDN_NH_NONE:
		w->outcome = WALK_BLACKHOLED;
		snprintf(w->detail, sizeof(w->detail), "NIC %s: %s %s None (%s)",
		    nic->name, sdn_source_str(r->source), pf, reason);
		return NULL;
	case SDN_NH_INTERNET:
		snprintf(h->how, sizeof(h->how), "NIC %s: %s %s Internet (%s)",
		    nic->name, sdn_source_str(r->source), pf, reason);
		(void)walk_nsg_denies(e, nic, NULL, pkt, w, h);
		return NULL;	/* the caller adds the Internet hop */
	case SDN_NH_VNETLOCAL:
	case SDN_NH_VNETPEERING:
	case SDN_NH_VNETGLOBALPEERING:
		if ((in = topo_nic_by_ip(e->t, dst)) == NULL) {
			w->outcome = WALK_NO_ROUTE;
			snprintf(w->detail, sizeof(w->detail), "NIC %s: %s %s matches, "
			    "but no NIC has %s", nic->name, sdn_nh_type_str(r->type),
			    pf, addr_fmt(dst, nh));
			return NULL;
		}
		snprintf(h->how, sizeof(h->how), "NIC %s: %s %s %s (%s)", nic->name,
		    sdn_source_str(r->source), pf, sdn_nh_type_str(r->type), reason);
		if (walk_peering_refuses(nic, in, pkt->src, w) ||
		    walk_nsg_denies(e, nic, in, pkt, w, h))
			return NULL;
		w->next_in = in;
		return in->node;
	case SDN_NH_VNG:
	case SDN_NH_VIRTUALAPPLIANCE:
		break;
	}
	if (r->nnh == 0) {
		w->outcome = WALK_BLACKHOLED;
		snprintf(w->detail, sizeof(w->detail), "NIC %s: %s has no next hop",
		    nic->name, pf);
		return NULL;
	}
	nm = walk_reachable_nh(e->t, nic, r, m);
	k = choose_hop(e, from, m, nm, flow, h);
	snprintf(h->how, sizeof(h->how), "NIC %s: %s %s %s -> %s (%s%s)", nic->name,
	    sdn_source_str(r->source), pf, sdn_nh_type_str(r->type),
	    addr_fmt(m[k], nh), reason, nm > 1 ? "; ECMP by flow hash" : "");
	if (topo_lb_by_ip(e->t, m[k]) != NULL) {
		/*
		 * A route table's VirtualAppliance hop, or an NVA's BGP
		 * NEXT_HOP (RS-23): the frontend balances either way. NS-04:
		 * the backend's NSGs see the packet the balancer hands on.
		 */
		next = lb_step(e, nic, topo_lb_by_ip(e->t, m[k]), pkt, w, h);
		if (next != NULL && walk_nsg_denies(e, nic, next->nic, pkt, w, h))
			return NULL;
		return next;
	}
	if ((in = topo_nic_by_ip(e->t, m[k])) == NULL) {
		w->outcome = WALK_BLACKHOLED;
		snprintf(w->detail, sizeof(w->detail), "next hop %s of %s is no NIC "
		    "in the lab", nh, pf);
		return NULL;
	}
	if (walk_out_of_reach(e->t, nic, in, &r->pfx, w) ||
	    walk_nsg_denies(e, nic, in, pkt, w, h))
		return NULL;
	w->next_in = in;
	return in->node;
}

/*
 * Gateway hops (outside the fabric): a gateway instance sends a site's
 * prefixes down its link (to the MSEE, or the VPN tunnel); an MSEE sends
 * them to the site's edge (the rest: msee_step). NULL: not a link
 * destination.
 */
static const struct topo_node *
gw_step(const struct walk_env *e, const struct topo_node *n, uint32_t dst,
    unsigned flow, struct walk_hop *h)
{
	const struct topo_gwlink *l;
	size_t i;

	for (i = 0; i < e->t->ngwlinks; i++) {
		l = e->t->gwlinks[i];
		if (l->a == n && l->conn != NULL && site_has(l->conn->site, dst) &&
		    !topo_conn_over_limit(l->conn) &&
		    (l->b->kind == TOPO_MSEE || l->b->kind == TOPO_SITE_ROUTER)) {
			snprintf(h->how, sizeof(h->how), "link l%u to %s", l->idx,
			    l->b->name);
			return l->b;
		}
	}
	return NULL;
}

/* dst in hub's address space or in a spoke its gateway serves (RS-10). */
static bool
hub_domain(const struct topo_vnet *hub, uint32_t dst)
{
	struct topo_served_pos pos = { 0, 0 };
	const struct pfx4 *p;

	while ((p = topo_gateway_served_pfx(hub, &pos)) != NULL)
		if (pfx_contains_addr(p, dst))
			return true;
	return false;
}

/*
 * RS-52: an NVA with an overlay to an NVA of another hub learns that hub's
 * VNets from it over BGP and sends their traffic down the overlay.
 */
static const struct topo_node *
overlay_step(const struct walk_env *e, const struct topo_node *n, uint32_t dst,
    struct walk_hop *h)
{
	const struct topo_gwlink *l;
	const struct topo_node *o;
	size_t i;

	for (i = 0; i < e->t->ngwlinks; i++) {
		l = e->t->gwlinks[i];
		if (l->conn != NULL || (l->a != n && l->b != n))
			continue;
		o = l->a == n ? l->b : l->a;
		if (hub_domain(o->nic->subnet->vnet, dst)) {
			snprintf(h->how, sizeof(h->how), "overlay l%u to %s (BGP)",
			    l->idx, o->name);
			return o;
		}
	}
	return NULL;
}

/*
 * A site's edge reaches Azure with what its gateway connections taught it
 * (the lab's edge runs BGP and takes the same decision):
 *   - every connection: the VNets its gateway serves (RS-10, GW-04), as
 *     static routes on a static VPN connection (which beat BGP there);
 *   - a VPN connection with BGP: the other sites of that gateway (GW-04);
 *   - with branch-to-branch on the hub's Route Server (RS-12, RS-13, RS-50):
 *     the prefixes its NVA peers advertise (a spoke's too, PE-08) and the
 *     sites of the hub's other gateways.
 * Longest prefix first, then the shortest AS path as the edge sees it (an
 * MSEE adds 12076); equal ones are ECMP, one candidate per ExpressRoute
 * circuit or VPN tunnel.
 */
struct offer {
	unsigned	plen;		/* 0: none */
	unsigned	hops;
};

static void
offer_take(struct offer *o, const struct pfx4 *p, uint32_t dst, unsigned hops)
{
	if (!pfx_contains_addr(p, dst))
		return;
	if (o->plen == 0 || p->len > o->plen ||
	    (p->len == o->plen && hops < o->hops)) {
		o->plen = p->len;
		o->hops = hops;
	}
}

static void
offer_site(struct offer *o, const struct topo_site *s, uint32_t dst,
    unsigned hops)
{
	size_t k;

	for (k = 0; k < s->nprefixes; k++)
		offer_take(o, &s->prefixes[k], dst, hops + 1 + s->prepend);
}

static void offer_nvas(const struct walk_env *, const struct topo_vnet *,
    uint32_t, unsigned, struct offer *);

/*
 * allowRemoteVnetTraffic: what the other gateways on MSEE m offer gw
 * through it, behind 12076 65515: their VNets (RS-10) and, with
 * branch-to-branch, their Route Server's routes from NVAs (RS-13).
 */
static void
offer_remote(const struct walk_env *e, const struct topo_gw *gw,
    const struct topo_node *m, uint32_t dst, struct offer *o)
{
	const struct topo_gwlink *l;
	const struct topo_vnet *hub;
	struct topo_served_pos pos;
	const struct pfx4 *p;
	size_t i;

	for (i = 0; i < e->t->ngwlinks; i++) {
		l = e->t->gwlinks[i];
		if (l->b != m || l->a->kind != TOPO_GW || l->a->gw == gw ||
		    l->a->gw_instance != 0)
			continue;
		hub = l->a->gw->vnet;
		pos = (struct topo_served_pos){ 0, 0 };
		while ((p = topo_gateway_served_pfx(hub, &pos)) != NULL)
			offer_take(o, p, dst, 2);
		if (hub->rs != NULL && hub->rs->branch_to_branch)
			offer_nvas(e, hub, dst, 2, o);
	}
}

/*
 * A circuit's offer (o, with its connection weight w) against the best so
 * far: longest prefix, then the higher weight (GW-09), then the shorter AS
 * path. <0: better, 0: a tie (ECMP), >0: worse.
 */
static int
er_cmp(const struct offer *o, unsigned w, const struct offer *best,
    unsigned bw)
{
	if (best->plen == 0)
		return -1;
	if (o->plen != best->plen)
		return o->plen > best->plen ? -1 : 1;
	if (w != bw)
		return w > bw ? -1 : 1;
	if (o->hops != best->hops)
		return o->hops < best->hops ? -1 : 1;
	return 0;
}

/*
 * An ExpressRoute gateway instance towards a site prefix: the MSEEs whose
 * circuits offer the longest prefix, the highest connection weight (GW-09)
 * and the shortest AS path tie. RS-35:
 * with a Route Server in the hub the instance programs one of them, the
 * one its speaker ranks first (bgp/decide.c: lowest BGP identifier, then
 * lowest peer address; an MSEE's are both its topo_bgp_addr()); without,
 * all of them (ECMP). NULL: no circuit offers dst.
 */
static const struct topo_node *
er_step(const struct walk_env *e, const struct topo_node *n, uint32_t dst,
    unsigned flow, struct walk_hop *h)
{
	const struct topo_gwlink *l, *via[SDN_MAX_NH];
	struct offer best = { 0, 0 }, o;
	uint32_t m[SDN_MAX_NH];
	unsigned nm = 0, k, i, bw = 0;
	bool one = n->gw->vnet->rs != NULL;
	size_t j;
	int c;

	for (j = 0; j < e->t->ngwlinks; j++) {
		l = e->t->gwlinks[j];
		if (l->a != n || l->conn == NULL || l->b->kind != TOPO_MSEE ||
		    topo_conn_over_limit(l->conn))
			continue;
		o.plen = o.hops = 0;
		offer_site(&o, l->conn->site, dst, 1);	/* 12076 first */
		if (n->gw->remote_vnets && !hub_domain(n->gw->vnet, dst))
			offer_remote(e, n->gw, l->b, dst, &o);
		if (o.plen == 0 || (c = er_cmp(&o, l->conn->weight, &best, bw)) > 0)
			continue;
		if (c < 0)
			nm = 0;
		best = o;
		bw = l->conn->weight;
		if (nm < SDN_MAX_NH) {
			via[nm] = l;
			m[nm++] = topo_bgp_addr(e->t, l->b);
		}
	}
	if (nm == 0)
		return NULL;
	if (one) {
		for (k = 0, i = 1; i < nm; i++)
			if (m[i] < m[k])
				k = i;
	} else {
		k = choose_hop(e, n, m, nm, flow, h);
	}
	snprintf(h->how, sizeof(h->how), "link l%u to %s%s", via[k]->idx,
	    via[k]->b->name, nm < 2 ? "" : one ? " (RS-35: a Route Server in the "
	    "hub leaves one of the circuits' paths, the lowest BGP identifier's)" :
	    " (circuits' ECMP by flow hash)");
	return via[k]->b;
}

/*
 * RS-12, RS-13: what the hub's Route Server passes its gateways from NVAs,
 * with branch-to-branch: its routes as bgp_sim ranked them (what an NVA
 * relays from another Route Server included, PE-06), or, without them, the
 * prefixes its NVA peers advertise.
 */
static void
offer_nvas(const struct walk_env *e, const struct topo_vnet *hub,
    uint32_t dst, unsigned base, struct offer *o)
{
	const struct topo *t = e->t;
	size_t i, k;

	for (i = 0; e->bgp != NULL && i < e->bgp->nhubs; i++) {
		const struct sdn_hub_routes *h = &e->bgp->hubs[i];

		if (h->rs != hub->rs)
			continue;
		for (k = 0; k < h->nroutes; k++)
			offer_take(o, &h->routes[k].pfx, dst, base +
			    h->routes[k].aspath_hops);
		return;
	}
	for (i = 0; i < t->nnvas; i++) {
		const struct topo_nva *nv = t->nvas[i];

		/* its own NVAs, and those across a peering (RS-08, PE-08) */
		if (!nv->bgp || !topo_nva_peers_rs(nv, hub->rs))
			continue;
		for (k = 0; k < nv->nadvertise; k++)
			offer_take(o, &nv->advertise[k], dst, base + 1 +
			    topo_adv_prepend(nv, k));
	}
}

/* What connection cn offers for dst (plen 0: nothing). */
static struct offer
conn_offer(const struct walk_env *e, const struct topo_gwconn *cn, uint32_t dst)
{
	const struct topo_vnet *hub = cn->gw->vnet;
	bool er = cn->gw->type == TOPO_GW_EXPRESSROUTE;
	unsigned base = 1 + er;		/* 65515, and 12076 over a circuit */
	struct offer o = { 0, 0 };
	struct topo_served_pos pos = { 0, 0 };
	const struct pfx4 *p;
	size_t i, k;

	if (topo_conn_over_limit(cn))
		return o;	/* GW-05, GW-07: its sessions are reset */
	while ((p = topo_gateway_served_pfx(hub, &pos)) != NULL)
		offer_take(&o, p, dst, cn->bgp || er ? base : 0);
	if (!cn->bgp && !er)
		return o;
	for (i = 0; !er && i < cn->gw->nconns; i++)
		if (cn->gw->conns[i]->site != cn->site &&
		    !topo_conn_over_limit(cn->gw->conns[i]))
			offer_site(&o, cn->gw->conns[i]->site, dst, base);
	if (hub->rs == NULL || !hub->rs->branch_to_branch)
		return o;
	offer_nvas(e, hub, dst, base, &o);
	for (i = 0; i < hub->ngws; i++) {
		const struct topo_gw *g = hub->gws[i];

		if (g == cn->gw)
			continue;
		for (k = 0; k < g->nconns; k++)
			if (g->conns[k]->site != cn->site &&
			    !topo_conn_over_limit(g->conns[k]))
				offer_site(&o, g->conns[k]->site, dst, base +
				    (g->type == TOPO_GW_EXPRESSROUTE));
	}
	return o;
}

/*
 * An MSEE towards Azure: the gateways on its circuit (several when it is
 * shared) offer what their connections to its site offer (conn_offer);
 * the longest prefix, then the shortest AS path, wins, and the instances
 * of the gateways that tie share the flows (the MSEE's ECMP). VNets of
 * one gateway reach another's only through Azure's own paths: a path
 * through the circuit holds 65515 and the other gateway drops it. GW-13:
 * the MSEE is one router for all of it, so the site's own prefixes win
 * only when no gateway offers a longer one; a summary from the site that
 * covers VNets does not take their traffic back to the site. NULL: the
 * site's route is as long or longer (gw_step), or nobody offers dst.
 */
static const struct topo_node *
msee_step(const struct walk_env *e, const struct topo_node *n, uint32_t dst,
    unsigned flow, struct walk_hop *h)
{
	const struct topo_node *inst[SDN_MAX_NH];
	const struct topo_gwlink *l;
	const struct topo_gw *g = NULL;
	struct offer best = { 0, 0 }, o, site = { 0, 0 };
	uint32_t m[SDN_MAX_NH];
	unsigned nm = 0, ng = 0, k;
	size_t i;

	for (i = 0; i < e->t->ngwlinks; i++) {
		l = e->t->gwlinks[i];
		if (l->a == n && l->conn != NULL &&
		    l->b->kind == TOPO_SITE_ROUTER)
			offer_site(&site, l->conn->site, dst, 0);
	}
	for (i = 0; i < e->t->ngwlinks; i++) {
		l = e->t->gwlinks[i];
		if (l->b != n || l->a->kind != TOPO_GW || l->conn == NULL)
			continue;
		if (l->a->gw_instance == 0) {
			o = conn_offer(e, l->conn, dst);
			if (o.plen == 0 || (best.plen != 0 && (o.plen < best.plen ||
			    (o.plen == best.plen && o.hops > best.hops)))) {
				g = NULL;
				continue;
			}
			if (o.plen != best.plen || o.hops != best.hops)
				nm = ng = 0;	/* a better offer: start again */
			best = o;
			g = l->a->gw;
			ng++;
		}
		if (g == l->a->gw && nm < SDN_MAX_NH) {
			inst[nm] = l->a;
			m[nm++] = l->a->nic->ip;
		}
	}
	if (nm == 0 || (site.plen != 0 && site.plen >= best.plen))
		return NULL;
	k = choose_hop(e, n, m, nm, flow, h);
	snprintf(h->how, sizeof(h->how), "circuit to gateway %s%s",
	    inst[k]->gw->name, nm < 2 ? "" : ng > 1 ? " (ECMP over the "
	    "circuit's gateways by flow hash)" : " (ECMP by flow hash)");
	return inst[k];
}

static const struct topo_node *
site_gw_step(const struct walk_env *e, const struct topo_site *s, uint32_t dst,
    unsigned flow, struct walk *w, struct walk_hop *h)
{
	const struct topo_node *next[SDN_MAX_NH];
	const struct topo_gwconn *cn, *via[SDN_MAX_NH];
	struct offer best = { 0, 0 }, o;
	uint32_t m[SDN_MAX_NH];
	unsigned nm = 0, k;
	size_t i, j;

	for (i = 0; i < s->nconns; i++) {
		o = conn_offer(e, s->conns[i], dst);
		if (o.plen == 0 || (best.plen != 0 && (o.plen < best.plen ||
		    (o.plen == best.plen && o.hops > best.hops))))
			continue;
		if (o.plen != best.plen || o.hops != best.hops)
			nm = 0;		/* a better offer: start again */
		best = o;
		for (j = 0; j < e->t->ngwlinks && nm < SDN_MAX_NH; j++) {
			const struct topo_gwlink *l = e->t->gwlinks[j];

			/* a shared circuit's site link is its first conn's */
			if (l->b != s->router || (l->conn != s->conns[i] &&
			    (s->conns[i]->msee == NULL ||
			    l->a != s->conns[i]->msee)))
				continue;
			for (k = 0; k < nm && next[k] != l->a; k++)
				;
			if (k < nm)
				continue;	/* that MSEE is a candidate */
			next[nm] = l->a;
			via[nm] = s->conns[i];
			/*
			 * A gateway instance by its NIC's address, as the
			 * fabric's ECMP names it, so that a live walk can
			 * follow the instance it saw forward; an MSEE has
			 * none and is named by its link's.
			 */
			m[nm] = walk_node_ip(l->a);
			if (m[nm] == 0)
				m[nm] = l->a_ip;
			nm++;
		}
	}
	if (nm == 0) {
		w->outcome = WALK_NO_ROUTE;
		w->dropped_at_last = true;
		snprintf(w->detail, sizeof(w->detail), "the edge of site %s learned "
		    "no route to the destination from its gateways%s", s->name,
		    s->nconns > 0 ? " (what they advertise: GW-04; between "
		    "branches through Route Server: RS-12, RS-13)" : "");
		return NULL;
	}
	k = choose_hop(e, s->router, m, nm, flow, h);
	cn = via[k];
	snprintf(h->how, sizeof(h->how), "%s connection to gateway %s (/%u, AS "
	    "path %u%s)", topo_gw_type_str(cn->gw->type), cn->gw->name, best.plen,
	    best.hops, nm > 1 ? "; ECMP by flow hash" : "");
	return next[k];
}

/*
 * VR-15: dst is on the site's LAN unless its gateways taught the edge a
 * longer prefix for it (a VNet inside the site's 10.0.0.0/8 summary), as
 * the edge's kernel decides: the summary is its LAN's connected route, the
 * VNets are BGP (or, over a static tunnel, static) routes beside it.
 */
static bool
site_local(const struct walk_env *e, const struct topo_site *s, uint32_t dst)
{
	unsigned own = 0;
	bool in = false;
	size_t i;

	for (i = 0; i < s->nprefixes; i++)
		if (pfx_contains_addr(&s->prefixes[i], dst)) {
			in = true;
			if (s->prefixes[i].len > own)
				own = s->prefixes[i].len;
		}
	for (i = 0; in && s->nlinks == 0 && i < s->nconns; i++)
		if (conn_offer(e, s->conns[i], dst).plen > own)
			return false;
	return in;
}

/* The next node from `n` (not the owner of dst), or NULL with the outcome set. */
static const struct topo_node *
step(const struct walk_env *e, const struct topo_node *n,
    const struct walk_pkt *pkt, unsigned flow, struct walk *w,
    struct walk_hop *h, bool *internet)
{
	uint32_t dst = pkt->dst;
	const struct topo_node *next;
	const struct topo_site *s;
	size_t i;

	switch (n->kind) {
	case TOPO_SITE_HOST:
		snprintf(h->how, sizeof(h->how), "default route to the site router");
		return n->site->router;
	case TOPO_SITE_ROUTER:
		s = n->site;
		for (i = 0; i < s->nhosts; i++)
			if (s->hosts[i]->host_ip == dst) {
				snprintf(h->how, sizeof(h->how), "site LAN");
				return s->hosts[i];
			}
		if (site_local(e, s, dst)) {
			w->outcome = WALK_NO_ROUTE;
			snprintf(w->detail, sizeof(w->detail), "no host of site %s has "
			    "the address", s->name);
			return NULL;
		} else {
			uint32_t m[SDN_MAX_NH];
			unsigned nm = 0, k;

			for (i = 0; i < s->nlinks && nm < SDN_MAX_NH; i++)
				m[nm++] = s->links[i]->nva->node->nic->ip;
			if (nm == 0)
				return site_gw_step(e, s, dst, flow, w, h);
			k = choose_hop(e, n, m, nm, flow, h);
			snprintf(h->how, sizeof(h->how), "default route to the NVAs%s",
			    nm > 1 ? " (ECMP by flow hash)" : "");
			return s->links[k]->nva->node;
		}
	case TOPO_GW:
	case TOPO_MSEE:
		if (n->kind == TOPO_GW &&
		    topo_vnet_in_summary(e->t, n->gw->vnet, dst))
			return fabric(e, n, pkt, flow, w, h);	/* VR-15 */
		if (n->kind == TOPO_GW && n->gw->type == TOPO_GW_EXPRESSROUTE &&
		    (next = er_step(e, n, dst, flow, h)) != NULL)
			return next;
		if (n->kind == TOPO_MSEE &&
		    (next = msee_step(e, n, dst, flow, h)) != NULL)
			return next;
		if ((next = gw_step(e, n, dst, flow, h)) != NULL)
			return next;
		if (n->kind == TOPO_MSEE) {
			w->outcome = WALK_NO_ROUTE;
			snprintf(w->detail, sizeof(w->detail), "%s has no route "
			    "to the destination", n->name);
			return NULL;
		}
		/*
		 * Nothing learned for it: the instance sends it into the
		 * fabric, where GatewaySubnet's routes carry it (a VPN
		 * gateway's Default Site is not emulated); Internet too.
		 */
		next = fabric(e, n, pkt, flow, w, h);
		if (next == NULL && w->detail[0] == '\0')
			*internet = true;
		return next;
	case TOPO_NVA:
		if ((next = overlay_step(e, n, dst, h)) != NULL)
			return next;
		for (i = 0; i < e->t->nsitelinks; i++) {
			const struct topo_sitelink *l = e->t->sitelinks[i];

			if (l->nva == n->nva && site_has(l->site, dst)) {
				snprintf(h->how, sizeof(h->how), "site link to %s",
				    l->site->name);
				return l->site->router;
			}
		}
		/* FALLTHROUGH */
	case TOPO_VM:
	case TOPO_RS:
		if (n->kind != TOPO_NVA && w->n > 1) {
			w->outcome = WALK_NOT_FORWARDED;
			snprintf(w->detail, sizeof(w->detail), "%s is not an NVA and "
			    "does not forward", n->name);
			return NULL;
		}
		{
			next = fabric(e, n, pkt, flow, w, h);
			walk_egress_note(e, n, pkt->dst, h);
			if (next == NULL && w->detail[0] == '\0')
				*internet = true;
			return next;
		}
	}
	return NULL;
}

/*
 * An NVA's filter, for what it forwards (not what it sends itself): true
 * if a rule denies the packet. An allowing rule is named after the route.
 */
static bool
nva_denies(const struct topo_node *n, const struct walk_pkt *pkt,
    struct walk *w, const struct topo_filter **allow)
{
	const struct topo_filter *f;
	struct policy_pkt q;
	char rule[96];

	*allow = NULL;
	if (n->kind != TOPO_NVA || w->n < 2)
		return false;
	walk_policy_pkt(pkt, &q);
	if ((f = policy_filter_match(n->nva, &q)) == NULL)
		return false;
	if (!f->deny) {
		*allow = f;
		return false;
	}
	w->outcome = WALK_DENIED;
	w->rule = f;
	snprintf(w->hop[w->n - 1].how, sizeof(w->hop[0].how), "filter rule %s "
	    "denies", f->jpath);
	snprintf(w->detail, sizeof(w->detail), "%s: rule %s (%s)", n->name,
	    f->jpath, policy_filter_str(f, rule, sizeof(rule)));
	return true;
}

void
walk_predict(const struct walk_env *e, const struct topo_node *src,
    const struct walk_pkt *given, unsigned flow, struct walk *w)
{
	struct walk_pkt p = *given;
	const struct walk_pkt *pkt = &p;
	const struct topo_node *n = src, *owner = walk_owner(e->t, pkt->dst);
	const struct topo_filter *allow;
	size_t i;

	if (p.sport == 0)	/* as `walk` probes flow `flow` */
		p.sport = (uint16_t)(WALK_SPORT_BASE + flow);

	memset(w, 0, sizeof(*w));
	w->outcome = WALK_DELIVERED;
	add_hop(w, src);
	while (n != owner) {
		struct walk_hop *cur = &w->hop[w->n - 1];
		bool internet = false;
		const struct topo_node *next;

		if (walk_fwd_drops(n, cur->in, NULL, pkt, w) ||
		    nva_denies(n, pkt, w, &allow))
			return;
		w->next_in = NULL;
		next = step(e, n, pkt, flow, w, cur, &internet);
		if (allow != NULL) {
			size_t used = strlen(cur->how);

			snprintf(cur->how + used, sizeof(cur->how) - used,
			    "; allowed by rule %s", allow->jpath);
		}
		if (internet) {
			struct walk_hop *h = add_hop(w, NULL);

			if (h != NULL)
				snprintf(h->how, sizeof(h->how), "the Internet edge");
			return;
		}
		if (next == NULL)
			return;
		for (i = 0; i < w->n; i++)
			if (w->hop[i].node == next) {
				w->outcome = WALK_LOOP;
				w->loop_from = i;
				snprintf(w->detail, sizeof(w->detail), "back at %s: the "
				    "packet loops", next->name);
				add_hop(w, next);
				return;
			}
		if (add_hop(w, next) == NULL) {
			w->outcome = WALK_LOOP;
			snprintf(w->detail, sizeof(w->detail), "more than %d hops",
			    WALK_MAX_HOPS);
			return;
		}
		w->hop[w->n - 1].in = w->next_in;
		if (e->failed != NULL && e->failed(e->arg, next)) {
			w->outcome = WALK_FAILED_PEER;
			snprintf(w->detail, sizeof(w->detail), "%s is failed", next->name);
			return;
		}
		n = next;
	}
}
