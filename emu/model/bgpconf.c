/*
 * bgpconf: from the topology to a speaker's BGP configuration.
 *
 * A Route Server instance (RS-01, RS-02, RS-10): AS 65515, its own IP as
 * identifier and source, every NVA of the hub that peers with this instance
 * and every NVA of a directly peered VNet that names its Route Server
 * (RS-08: a Route Server in a dual-homed spoke, PE-06) as a passive peer
 * with the route limit (RS-40), and it originates its VNet's address space
 * plus that of every spoke that peers with the hub with use_remote_gateways
 * (RS-10, VR-11).
 * A built-in NVA: its ASN, a peer per Route Server instance it peers with
 * (its hub's, and both instances of each one it names across a peering,
 * with as-override on them all when asked: PE-06), the prefixes it
 * advertises with its prepends, NEXT_HOP and communities.
 * An NVA's "md5" key signs both ends of its Route Server sessions
 * (RFC 2385): the instance's peer and the NVA's.
 * A gateway instance (GW-01): AS 65515, the same VNet prefixes as the
 * Route Server, a peer per BGP link (the MSEE, or the site over a VPN
 * tunnel) and one per Route Server instance of its hub (iBGP, RS-50); it
 * connects, the other side listens (GW-03). An ExpressRoute gateway
 * instance programs the ECMP of the circuits' tied paths to a site, but
 * only one path when its hub has a Route Server (RS-35). An MSEE: AS 12076,
 * the gateway instances and the site's edge, with BFD on the private
 * peering (GW-10; the edge too unless its circuit says "bfd": false). A
 * site's edge, when a gateway
 * connects it over BGP: the site's ASN, its prefixes with its prepends,
 * nothing it learned passed on. The site's limits are on the Azure side
 * of its sessions: GW-05 at a VPN gateway instance, GW-07 at the MSEE.
 * Speakers off the fabric source their sessions from topo_bgp_addr(); the
 * lab builder routes that /32 over the link (lab.c).
 *
 * Pure: no I/O.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "bgpconf.h"
#include "../../bgp/hubpref.h"

/* RS-42: prefixes Azure may advertise to a circuit; beyond, the session drops. */
#define ER_FROM_AZURE_LIMIT		AZ_ER_TO_CIRCUIT_MAX
/*
 * GW-10: BFD on the MSEE's private peering interfaces, on by default; the
 * Learn page's edge configuration runs 300 ms x 3, which we give both ends.
 */
#define ER_BFD_INTERVAL_MS		300
#define ER_BFD_MULT			3

static void
add_origin(struct bgp_conf *c, const struct pfx4 *p, size_t *cap)
{
	xgrow(&c->originate, cap, c->noriginate + 1, sizeof(*c->originate));
	c->originate[c->noriginate++] = *p;
}

/*
 * RS-10, VR-11: the VNet's prefixes and those of the VNets that use its
 * gateways and Route Server (a hub's spokes, or a spoke's peered spokes:
 * PE-03, PE-07).
 */
static void
vnet_origins(const struct topo_vnet *hub, struct bgp_conf *c)
{
	struct topo_served_pos pos = { 0, 0 };
	const struct pfx4 *p;
	size_t cap = 0;

	while ((p = topo_gateway_served_pfx(hub, &pos)) != NULL)
		add_origin(c, p, &cap);
}

static void
tag_vnet(const struct topo_vnet *v, struct bgp_tag **t, size_t *n,
    size_t *cap)
{
	size_t k;

	if (v->bgp_community == 0)
		return;
	for (k = 0; k < v->nspace; k++) {
		xgrow(t, cap, *n + 1, sizeof(**t));
		(*t)[*n].pfx = v->space[k];
		(*t)[*n].comm[0] = v->bgp_community;
		(*t)[*n].ncomm = 1;
		if (v->region != NULL && v->region->community != 0)
			(*t)[*n].comm[(*t)[*n].ncomm++] = v->region->community;
		(*n)++;
	}
}

static int
tag_cmp(const void *a, const void *b)
{
	return pfx_cmp(&((const struct bgp_tag *)a)->pfx,
	    &((const struct bgp_tag *)b)->pfx);
}

/*
 * GW-08: a VNet with a custom community (bgp_community) has it and its
 * region's on each of its prefixes the MSEE sends the site; a VNet without
 * one gets neither (Learn: the regional community comes with the custom
 * one). The VNets are those the gateway advertises: vnet_origins' set.
 */
static void
msee_tags(const struct topo *t, const struct topo_node *msee,
    struct bgp_peer_conf *pc)
{
	const struct topo_gwlink *l;
	const struct topo_vnet *hub, *v;
	struct bgp_tag *tag = NULL;
	size_t n = 0, cap = 0, i, k;

	/* every gateway on the circuit (several when it is shared) */
	for (k = 0; k < t->ngwlinks; k++) {
		l = t->gwlinks[k];
		if (l->b != msee || l->a->kind != TOPO_GW ||
		    l->a->gw_instance != 0)
			continue;
		hub = l->a->gw->vnet;
		for (i = 0; i < topo_gateway_nserved(hub); i++)
			if ((v = topo_gateway_served(hub, i)) != NULL)
				tag_vnet(v, &tag, &n, &cap);
	}
	if (n > 1)
		qsort(tag, n, sizeof(*tag), tag_cmp);
	pc->tags = tag;
	pc->ntags = n;
}

static uint32_t
node_asn(const struct topo_node *n)
{
	switch (n->kind) {
	case TOPO_GW:
		return TOPO_GW_ASN;
	case TOPO_MSEE:
		return TOPO_MSEE_ASN;
	case TOPO_SITE_ROUTER:
		return n->site->asn;
	case TOPO_NVA:
		return n->nva->asn;
	default:
		return 0;
	}
}

static size_t
gw_index(const struct topo *t, const struct topo_gw *gw)
{
	size_t i;

	for (i = 0; i < t->ngws && t->gws[i] != gw; i++)
		;
	return i;
}

/* A peer per BGP-carrying gateway link of n; the Azure side connects. */
static void
link_peers(const struct topo *t, const struct topo_node *n, struct bgp_conf *c)
{
	const struct topo_gwlink *l;
	const struct topo_node *o;
	struct bgp_peer_conf *pc;
	size_t i;

	for (i = 0; i < t->ngwlinks && c->npeers < BGP_MAX_PEERS; i++) {
		l = t->gwlinks[i];
		if (!l->bgp || (l->a != n && l->b != n))
			continue;
		o = l->a == n ? l->b : l->a;
		pc = &c->peers[c->npeers++];
		snprintf(pc->name, sizeof(pc->name), "%s", o->name);
		pc->addr = topo_bgp_addr(t, o);
		pc->asn = node_asn(o);
		pc->passive = l->b == n;
		if (l->conn == NULL) {
			/* An NVA overlay (RS-52), 65515 overridden (RS-20). */
			pc->kind = l->as_override ? BGP_SRC_OVERLAY : BGP_SRC_NVA;
			continue;
		}
		if (l->conn->gw->type == TOPO_GW_EXPRESSROUTE) {
			/* GW-07: the private peering's limit, at the MSEE. */
			if (n->kind == TOPO_MSEE && o->kind == TOPO_SITE_ROUTER)
				pc->route_limit = topo_conn_route_limit(l->conn);
			/* GW-10: the MSEE always; the edge as the circuit says */
			if ((n->kind == TOPO_MSEE && o->kind == TOPO_SITE_ROUTER) ||
			    (n->kind == TOPO_SITE_ROUTER && l->conn->bfd)) {
				pc->bfd_interval_ms = ER_BFD_INTERVAL_MS;
				pc->bfd_mult = ER_BFD_MULT;
			}
			/* GW-08: towards the site, the VNets' communities */
			if (n->kind == TOPO_MSEE && o->kind == TOPO_SITE_ROUTER) {
				msee_tags(t, n, pc);
				pc->comm_ignored = true;
			}
			/* RS-42: what Azure advertises into the circuit */
			if (n->kind == TOPO_MSEE && o->kind == TOPO_GW)
				pc->route_limit = ER_FROM_AZURE_LIMIT;
			/* nothing from one instance of a gateway to the other */
			if (n->kind == TOPO_MSEE && o->kind == TOPO_GW)
				pc->group = (uint16_t)(1 + gw_index(t, o->gw));
			/* GW-09: the heavier circuit first, before AS paths */
			if (n->kind == TOPO_GW)
				pc->weight = (uint16_t)l->conn->weight;
			/*
			 * No transit between circuits (that is Global Reach):
			 * what one MSEE sent holds 12076, which another drops
			 * on arrival but counts against RS-42's 1,000.
			 */
			if (n->kind == TOPO_GW)
				pc->sender_loop = true;
			/* other VNets' routes over a shared circuit */
			if (n->kind == TOPO_GW && n->gw->remote_vnets)
				pc->allowas_in = true;
			continue;
		}
		if (n->kind == TOPO_GW) {
			/* GW-04 (export) and GW-05's inbound limit. */
			pc->kind = BGP_SRC_VPN;
			pc->route_limit = topo_conn_route_limit(l->conn);
			/*
			 * GW-06: a VPN gateway always proposes 60/180; the
			 * branch's smaller hold time wins the negotiation
			 * (RFC 4271 4.2), so the lab's timers still rule.
			 */
			pc->hold = AZ_VPN_HOLD;
			pc->keepalive = AZ_VPN_KEEPALIVE;
		} else
			pc->prepend = l->conn->prepend;
	}
}

bool
emu_has_speaker(const struct topo *t, const struct topo_node *n)
{
	size_t i;

	switch (n->kind) {
	case TOPO_NVA:
		return n->nva->bgp;	/* RS-55: a firewall without BGP has none */
	case TOPO_RS:
	case TOPO_GW:
	case TOPO_MSEE:
		return true;
	case TOPO_SITE_ROUTER:
		for (i = 0; i < t->ngwlinks; i++)
			if (t->gwlinks[i]->bgp && t->gwlinks[i]->b == n)
				return true;
		return false;
	default:
		return false;
	}
}

/*
 * RS-50: every instance of the hub's gateways is an iBGP peer of each
 * Route Server instance (both in 65515), managed by the platform: not
 * counted against RS-07, not listed by `rs HUB peers`. The gateway
 * connects; what crosses is decided by branch-to-branch (bgp/rs.c).
 */
static void
rs_gateway_peers(const struct topo_vnet *hub, struct bgp_conf *c)
{
	const struct topo_node *g;
	struct bgp_peer_conf *pc;
	size_t i, k;

	for (i = 0; i < hub->ngws; i++)
		for (k = 0; k < hub->gws[i]->ninst && c->npeers < BGP_MAX_PEERS;
		    k++) {
			g = hub->gws[i]->inst[k];
			pc = &c->peers[c->npeers++];
			snprintf(pc->name, sizeof(pc->name), "%s", g->name);
			pc->addr = g->nic->ip;
			pc->asn = TOPO_GW_ASN;
			pc->passive = true;
			pc->kind = hub->gws[i]->type == TOPO_GW_EXPRESSROUTE ?
			    BGP_SRC_ER : BGP_SRC_VPN;
		}
}

/* RS-50, the gateway's side: a peer per instance of its hub's Route Server. */
static void
gateway_rs_peers(const struct topo_node *n, struct bgp_conf *c)
{
	const struct topo_rs *rs = n->gw->vnet->rs;
	struct bgp_peer_conf *pc;
	unsigned i;

	for (i = 0; rs != NULL && i < 2 && c->npeers < BGP_MAX_PEERS; i++) {
		pc = &c->peers[c->npeers++];
		snprintf(pc->name, sizeof(pc->name), "%s", rs->inst[i]->name);
		pc->addr = rs->ip[i];
		pc->asn = TOPO_RS_ASN;
		pc->kind = BGP_SRC_RS;
	}
}

static void
conf_offfabric(const struct topo *t, const struct topo_node *n,
    struct bgp_conf *c)
{
	const struct topo_site *s = n->site;
	size_t cap = 0, k;

	c->role = BGP_ROLE_ROUTER;
	c->asn = node_asn(n);
	c->local_addr = c->bgp_id = topo_bgp_addr(t, n);
	link_peers(t, n, c);
	if (n->kind == TOPO_GW) {
		gateway_rs_peers(n, c);
		vnet_origins(n->gw->vnet, c);
		/*
		 * RS-35: with a Route Server in the hub the multipath of
		 * on-premises prefixes over several circuits is lost; the
		 * instance keeps the best path only (decide.c: lowest BGP
		 * identifier, then peer address, among tied MSEEs).
		 */
		if (n->gw->type == TOPO_GW_EXPRESSROUTE && n->gw->vnet->rs != NULL)
			c->max_paths = 1;
	}
	if (n->kind != TOPO_SITE_ROUTER)
		return;
	for (k = 0; k < s->nprefixes; k++)
		add_origin(c, &s->prefixes[k], &cap);
	c->prepend = s->prepend;
	/*
	 * The site advertises its own prefixes, nothing it learned: what
	 * it would pass from one connection to another carries 65515 or
	 * 12076 and is dropped on arrival (RS-20, GW-01), but would count
	 * against the gateways' limits (GW-05, GW-07).
	 */
	c->no_transit = true;
}

/* topo checked the key's length against the kernel's, and pc->md5 fits it. */
static void
set_md5(struct bgp_peer_conf *pc, const char *key)
{
	if (key != NULL)
		snprintf(pc->md5, sizeof(pc->md5), "%s", key);
}

static void
conf_rs(const struct topo *t, const struct topo_node *n, struct bgp_conf *c)
{
	const struct topo_rs *rs = n->rs;
	const struct topo_vnet *hub = rs->vnet;
	size_t i;

	c->role = BGP_ROLE_RS;
	c->asn = TOPO_RS_ASN;
	c->branch_to_branch = rs->branch_to_branch;
	c->hub_pref = (uint8_t)rs->pref;
	c->local_addr = c->bgp_id = rs->ip[n->rs_instance];
	for (i = 0; i < t->nnvas; i++) {
		const struct topo_nva *v = t->nvas[i];
		struct bgp_peer_conf *pc;

		/* RS-04 on its own hub's; RS-08: across a peering, both */
		if (!topo_nva_peers_rs(v, rs) || (v->node->nic->subnet->vnet ==
		    hub && !v->peer_rs[n->rs_instance]) ||
		    c->npeers >= BGP_MAX_PEERS)
			continue;
		pc = &c->peers[c->npeers++];
		snprintf(pc->name, sizeof(pc->name), "%s", v->node->name);
		pc->addr = v->node->nic->ip;
		pc->asn = v->asn;
		pc->passive = true;
		pc->route_limit = rs->route_limit;
		set_md5(pc, v->md5);
	}
	rs_gateway_peers(hub, c);
	vnet_origins(hub, c);
}

/* Its sessions with one Route Server: inst[i] where want[i]. */
static void
nva_rs_peers(const struct topo_nva *v, const struct topo_rs *rs,
    const bool want[2], struct bgp_conf *c)
{
	struct bgp_peer_conf *pc;
	unsigned i;

	for (i = 0; i < 2 && c->npeers < BGP_MAX_PEERS; i++) {
		if (!want[i])
			continue;
		pc = &c->peers[c->npeers++];
		snprintf(pc->name, sizeof(pc->name), "%s", rs->inst[i]->name);
		pc->addr = rs->ip[i];
		pc->asn = TOPO_RS_ASN;
		pc->sender_loop = v->sender_loop;
		pc->as_override = v->as_override;
		set_md5(pc, v->md5);
	}
}

/*
 * A copy of n communities: the conf owns what it points to, so that a
 * speaker can free the topology it was built from (speaker_main.c).
 */
static uint32_t *
comm_dup(const uint32_t *v, size_t n)
{
	uint32_t *c;

	if (n == 0)
		return NULL;
	c = xcalloc(n, sizeof(*c));
	memcpy(c, v, n * sizeof(*c));
	return c;
}

/*
 * Each advertised prefix's own policy (advertise entries written as
 * objects), sorted with the prefixes as bgp_conf_orig_pol() looks them up.
 */
static void
orig_pol(const struct topo_nva *v, struct bgp_conf *c)
{
	struct bgp_orig_pol *pol = xcalloc(v->nadvertise, sizeof(*pol));
	size_t i;

	qsort(c->originate, c->noriginate, sizeof(*c->originate), pfx_qcmp);
	for (i = 0; i < v->nadvertise; i++) {
		const struct topo_advpol *a = &v->advpol[i];
		const struct pfx4 *f = bsearch(&v->advertise[i], c->originate,
		    c->noriginate, sizeof(*c->originate), pfx_qcmp);
		struct bgp_orig_pol *o = &pol[f - c->originate];

		o->prepend = a->prepend;
		o->has_med = a->has_med;
		o->med = a->med;
		o->comm = comm_dup(a->comm, a->ncomm);
		o->ncomm = a->ncomm;
	}
	c->orig_pol = pol;
}

static void
conf_nva(const struct topo *t, const struct topo_node *n, struct bgp_conf *c)
{
	static const bool both[2] = { true, true };
	const struct topo_nva *v = n->nva;
	const struct topo_rs *rs = n->nic->subnet->vnet->rs;
	size_t i;

	c->role = BGP_ROLE_ROUTER;
	c->asn = v->asn;
	/* "role": "server": no IP forwarding, and no route passed on */
	c->no_transit = !n->nic->ip_forwarding;
	c->local_addr = c->bgp_id = n->nic->ip;
	if (rs != NULL)
		nva_rs_peers(v, rs, v->peer_rs, c);
	/* RS-08, PE-06: Route Servers across a peering */
	for (i = 0; i < v->nxrs; i++)
		nva_rs_peers(v, v->xrs[i], both, c);
	link_peers(t, n, c);
	c->originate = xcalloc(v->nadvertise ? v->nadvertise : 1,
	    sizeof(*c->originate));
	if (v->nadvertise > 0)	/* memcpy from NULL is undefined, even of 0 */
		memcpy(c->originate, v->advertise,
		    v->nadvertise * sizeof(*v->advertise));
	c->noriginate = v->nadvertise;
	if (v->advpol != NULL)
		orig_pol(v, c);
	c->prepend = v->prepend;
	c->orig_nexthop = v->next_hop;
	c->orig_comm = comm_dup(v->communities, v->ncommunities);
	c->norig_comm = v->ncommunities;
}

void
emu_bgp_conf_free(struct bgp_conf *c)
{
	unsigned i;

	free(c->originate);
	c->originate = NULL;
	for (i = 0; c->orig_pol != NULL && i < c->noriginate; i++)
		free((void *)c->orig_pol[i].comm);
	free((void *)c->orig_pol);
	c->orig_pol = NULL;
	free(c->orig_comm);
	c->orig_comm = NULL;
	c->norig_comm = 0;
	for (i = 0; i < c->npeers; i++) {
		free((void *)c->peers[i].tags);
		c->peers[i].tags = NULL;
		c->peers[i].ntags = 0;
	}
}

int
emu_bgp_conf(const struct topo *t, const struct topo_node *n,
    const char *ctl_path, struct bgp_conf *c)
{
	bgp_conf_init(c);
	if (n->kind == TOPO_RS)
		conf_rs(t, n, c);
	else if (n->kind == TOPO_NVA)
		conf_nva(t, n, c);
	else if (emu_has_speaker(t, n))
		conf_offfabric(t, n, c);
	else
		return -1;
	c->hold = t->timers.hold;
	c->keepalive = t->timers.keepalive;
	c->connect_retry = t->timers.connect_retry;
	snprintf(c->name, sizeof(c->name), "%s", n->name);
	snprintf(c->ctl_path, sizeof(c->ctl_path), "%s", ctl_path);
	return 0;
}
