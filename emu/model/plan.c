/*
 * plan: see plan.h.
 *
 * Must not: decide paths itself (bgp/ does, through bgp_sim) or compute
 * effective routes (sdn.c does).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../bgp/sim.h"
#include "../../lib/util.h"
#include "bgpconf.h"
#include "nsg.h"
#include "plan.h"

static void
add_prefix(struct bgp_conf *c, const struct pfx4 *p)
{
	size_t i;

	for (i = 0; i < c->noriginate; i++)
		if (pfx_equal(&c->originate[i], p))
			return;
	c->originate = xrealloc(c->originate, (c->noriginate + 1) *
	    sizeof(*c->originate));
	c->originate[c->noriginate++] = *p;
}

/*
 * RS-52: what an NVA learns over an overlay from an NVA of another hub and
 * passes to its own Route Server: the other NVA's prefixes, and, with
 * as-override, the other hub's VNets (without it they carry 65515 and the
 * Route Server drops them, RS-20). Modelled as if this NVA originated them:
 * the sim runs no session between NVAs. Only the AS path length differs
 * from the live lab, and it matters only against a competing path.
 */
static void
overlay_routes(const struct topo *t, const struct topo_node *n,
    struct bgp_conf *c)
{
	const struct topo_gwlink *l;
	const struct topo_node *o;
	struct topo_served_pos pos;
	const struct pfx4 *p;
	size_t i, k;

	for (i = 0; i < t->ngwlinks; i++) {
		l = t->gwlinks[i];
		if (l->conn != NULL || (l->a != n && l->b != n))
			continue;
		o = l->a == n ? l->b : l->a;
		for (k = 0; k < o->nva->nadvertise; k++)
			add_prefix(c, &o->nva->advertise[k]);
		pos = (struct topo_served_pos){ 0, 0 };
		while (l->as_override && (p = topo_gateway_served_pfx(
		    o->nic->subnet->vnet, &pos)) != NULL)
			add_prefix(c, p);
	}
}

/* Every NVA's configuration, as its speaker process would get it. */
static struct bgp_conf **
nva_confs(const struct topo *t)
{
	struct bgp_conf **v;
	size_t i;

	v = xcalloc(t->nnvas, sizeof(*v));
	for (i = 0; i < t->nnvas; i++) {
		v[i] = xcalloc(1, sizeof(**v));
		emu_bgp_conf(t, t->nvas[i]->node, "", v[i]);
		overlay_routes(t, t->nvas[i]->node, v[i]);
	}
	return v;
}

static void
confs_free(struct bgp_conf **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		emu_bgp_conf_free(v[i]);
		free(v[i]);
	}
	free(v);
}

/* A sorted, distinct copy of a peering's prefixes; the count. */
static size_t
pfx_set(const struct pfx4 *v, size_t n, struct pfx4 **out)
{
	size_t i, k = 0;

	*out = xcalloc(n ? n : 1, sizeof(**out));
	if (n > 0)
		memcpy(*out, v, n * sizeof(*v));
	qsort(*out, n, sizeof(**out), pfx_qcmp);
	for (i = 0; i < n; i++)
		if (k == 0 || !pfx_equal(&(*out)[k - 1], &(*out)[i]))
			(*out)[k++] = (*out)[i];
	return k;
}

/* What the peering learned and what it was sent (plan_run_routes). */
static void
record_routes(const struct bgp_sim_peer *sp, struct plan_peering *pp)
{
	struct pfx4 *adv = xcalloc(sp->nsent ? sp->nsent : 1, sizeof(*adv));
	size_t k;

	pp->nlearned = pfx_set(sp->learned, sp->nlearned, &pp->learned);
	for (k = 0; k < sp->nsent; k++)
		adv[k] = sp->sent[k].pfx;
	pp->nadvertised = pfx_set(adv, sp->nsent, &pp->advertised);
	free(adv);
}

static void
record_peerings(const struct topo *t, const struct topo_node *inst,
    const struct bgp_conf *c, const struct bgp_sim *sim, struct plan *p)
{
	struct plan_peering *pp;
	unsigned i;

	for (i = 0; i < sim->npeers; i++) {
		p->peerings = xrealloc(p->peerings, (p->npeerings + 1) *
		    sizeof(*p->peerings));
		pp = &p->peerings[p->npeerings++];
		memset(pp, 0, sizeof(*pp));
		pp->instance = inst;
		pp->nva = topo_nic_by_ip(t, c->peers[i].addr) != NULL ?
		    topo_nic_by_ip(t, c->peers[i].addr)->node->nva : NULL;
		pp->established = sim->peers[i].established;
		pp->over_limit = sim->peers[i].over_limit;
		pp->received = sim->peers[i].received;
		pp->accepted = sim->peers[i].accepted;
		pp->addr = c->peers[i].addr;
		if (p->routes)
			record_routes(&sim->peers[i], pp);
	}
}

/*
 * A simulated FIB as sdn_bgp_routes, *out malloc'd. RS-50: a next hop of
 * a gateway is the gateway's to program, not the Route Server's (the lab
 * daemon drops it the same way).
 */
static size_t
fib_routes(const struct topo_rs *rs, const struct bgp_sim *sim,
    struct sdn_bgp_route **out)
{
	struct sdn_bgp_route *r;
	size_t i, n = 0;
	unsigned k;

	*out = xcalloc(sim->nfib ? sim->nfib : 1, sizeof(**out));
	for (i = 0; i < sim->nfib; i++) {
		r = &(*out)[n];
		r->pfx = sim->fib[i].pfx;
		r->nnh = 0;
		for (k = 0; k < sim->fib[i].nnh && r->nnh < SDN_MAX_NH; k++)
			if (!topo_vnet_gateway_ip(rs->vnet, sim->fib[i].nh[k]))
				r->nh[r->nnh++] = sim->fib[i].nh[k];
		r->aspath_hops = sim->fib[i].aspath_hops;
		n += r->nnh > 0;
	}
	return n;
}

/* The AS path a connection's site prefixes reach the gateway with. */
static unsigned
conn_hops(const struct topo_gw *gw, const struct topo_gwconn *cn)
{
	return 1 + cn->site->prepend + cn->prepend +
	    (gw->type == TOPO_GW_EXPRESSROUTE);
}

/* A BGP connection whose sessions stay up (GW-05, GW-07). */
static bool
conn_learns(const struct topo_gwconn *cn)
{
	return cn->bgp && !topo_conn_over_limit(cn);
}

/* A prefix a gateway instance learns and the connection it takes it from. */
struct gw_pick {
	struct pfx4			 pfx;
	const struct topo_gwconn	*cn;
	size_t				 order;	/* the connection's, in the gateway */
};

static int
pick_cmp(const void *a, const void *b)
{
	const struct gw_pick *x = a, *y = b;
	int c = pfx_cmp(&x->pfx, &y->pfx);

	if (c != 0)
		return c;
	return (x->order > y->order) - (x->order < y->order);
}

/*
 * Every prefix a gateway instance learns from its sites, in prefix order,
 * with the connection it takes it from: of its BGP connections offering
 * it, the highest connection weight (GW-09, between circuits), then the
 * shortest path, then the first (the speaker's decide.c, peer weight
 * first). A connection over its route limit teaches nothing (GW-05,
 * GW-07); a VPN connection nothing equal to a VNet prefix the gateway
 * serves (GW-05, as bgp/rs.c's policy_import_pfx()). Sorted, so that a
 * site of 10,000 prefixes costs n log n.
 */
static bool gw_originates(const struct topo_gw *, const struct pfx4 *);

static size_t
gw_picks(const struct topo_gw *gw, struct gw_pick **out)
{
	const struct topo_gwconn *cn;
	struct gw_pick *v = NULL;
	size_t n = 0, cap = 0, i, k, u;

	for (i = 0; i < gw->nconns; i++) {
		cn = gw->conns[i];
		for (k = 0; conn_learns(cn) && k < cn->site->nprefixes; k++) {
			/* GW-05: a VPN gateway filters a VNet's own prefix */
			if (gw->type == TOPO_GW_VPN &&
			    gw_originates(gw, &cn->site->prefixes[k]))
				continue;
			xgrow(&v, &cap, n + 1, sizeof(*v));
			v[n].pfx = cn->site->prefixes[k];
			v[n].cn = cn;
			v[n++].order = i;
		}
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), pick_cmp);
	for (i = u = 0; i < n; i++) {
		if (u > 0 && pfx_equal(&v[u - 1].pfx, &v[i].pfx)) {
			cn = v[u - 1].cn;
			if (v[i].cn->weight > cn->weight ||
			    (v[i].cn->weight == cn->weight &&
			    conn_hops(gw, v[i].cn) < conn_hops(gw, cn)))
				v[u - 1].cn = v[i].cn;
			continue;
		}
		v[u++] = v[i];
	}
	*out = v;
	return u;
}

/*
 * What a gateway instance learns from its sites, without running BGP: each
 * BGP connection's site prefixes with the path the site's edge sends
 * (its ASN and prepends, the tunnel's too) behind the MSEE's 12076 for
 * ExpressRoute. Static VPN prefixes are sdn_merge_gateway()'s to add.
 * A prefix learned over several connections (circuits to one site, RS-35)
 * is one FIB entry, with gw_picks()'s path.
 */
static void
route_add(struct sdn_bgp_route **v, size_t *n, size_t *cap,
    const struct pfx4 *p, unsigned hops)
{
	xgrow(v, cap, *n + 1, sizeof(**v));
	memset(&(*v)[*n], 0, sizeof((*v)[*n]));
	(*v)[*n].pfx = *p;
	(*v)[*n].nnh = 1;
	(*v)[*n].nh[0] = 1;	/* replaced by the instance's IP */
	(*v)[(*n)++].aspath_hops = hops;
}

/* The VNets a gateway advertises: its hub's and its transit spokes' (RS-10). */
static bool
gw_originates(const struct topo_gw *gw, const struct pfx4 *p)
{
	struct topo_served_pos pos = { 0, 0 };
	const struct pfx4 *q;

	while ((q = topo_gateway_served_pfx(gw->vnet, &pos)) != NULL)
		if (pfx_equal(q, p))
			return true;
	return false;
}

static int
route_cmp(const void *a, const void *b)
{
	const struct sdn_bgp_route *x = a, *y = b;
	int c = pfx_cmp(&x->pfx, &y->pfx);

	if (c != 0)
		return c;
	return (x->aspath_hops > y->aspath_hops) -
	    (x->aspath_hops < y->aspath_hops);
}

/*
 * allowRemoteVnetTraffic: what the other gateways on gw's circuits send
 * their MSEE, which passes it on to gw behind 12076 (65515 and all): their
 * VNets (RS-10) and, with branch-to-branch, what their hub's Route Server
 * has from NVAs (RS-13). gw's own VNets stay its own (a path it originates
 * wins). A prefix gw also learns from a site keeps the shorter path, the
 * site's on a tie.
 */
static size_t
gw_remote(const struct topo *t, const struct plan *p, const struct topo_gw *gw,
    struct sdn_bgp_route **v, size_t n, size_t *cap)
{
	const struct topo_gw **peers, *g;
	const struct topo_vnet *hub;
	struct topo_served_pos pos;
	const struct pfx4 *q;
	size_t np, i, j, k, u, first = n;

	if (!gw->remote_vnets)
		return n;
	peers = xcalloc(t->ngws, sizeof(*peers));
	np = topo_gw_circuit_peers(t, gw, peers, t->ngws);
	for (i = 0; i < np; i++) {
		g = peers[i];
		hub = g->vnet;
		pos = (struct topo_served_pos){ 0, 0 };
		while ((q = topo_gateway_served_pfx(hub, &pos)) != NULL)
			route_add(v, &n, cap, q, 2);
		for (j = 0; hub->rs != NULL && hub->rs->branch_to_branch &&
		    j < p->in.nhubs; j++)
			for (k = 0; p->in.hubs[j].rs == hub->rs &&
			    k < p->in.hubs[j].nroutes; k++)
				route_add(v, &n, cap, &p->in.hubs[j].routes[k].pfx,
				    2 + p->in.hubs[j].routes[k].aspath_hops);
	}
	free(peers);
	if (n == first)
		return n;
	/* sites' picks first (already one a prefix), then the shortest */
	for (i = first, u = first; i < n; i++)
		if (!gw_originates(gw, &(*v)[i].pfx))
			(*v)[u++] = (*v)[i];
	n = u;
	qsort(*v, n, sizeof(**v), route_cmp);
	for (i = u = 0; i < n; i++)
		if (u == 0 || !pfx_equal(&(*v)[u - 1].pfx, &(*v)[i].pfx))
			(*v)[u++] = (*v)[i];
	return u;
}

static size_t
gw_instance(const struct topo *t, const struct plan *p,
    const struct topo_gw *gw, struct sdn_bgp_route **out)
{
	struct gw_pick *v;
	size_t n, i, k = 0, cap = 0;

	n = gw_picks(gw, &v);
	*out = NULL;
	for (i = 0; i < n; i++)
		route_add(out, &k, &cap, &v[i].pfx, conn_hops(gw, v[i].cn));
	free(v);
	k = gw_remote(t, p, gw, out, k, &cap);
	if (*out == NULL)
		*out = xcalloc(1, sizeof(**out));
	return k;
}

static void
plan_gateways(const struct topo *t, struct plan *p)
{
	const struct sdn_bgp_route *inst[2];
	struct sdn_bgp_route *r;
	size_t n[2], i;

	p->in.gws = xcalloc(t->ngws ? t->ngws : 1, sizeof(*p->in.gws));
	p->in.ngws = t->ngws;
	for (i = 0; i < t->ngws; i++) {
		n[0] = n[1] = gw_instance(t, p, t->gws[i], &r);
		inst[0] = inst[1] = r;
		sdn_merge_gateway(t->gws[i], inst, n, &p->in.gws[i]);
		free(r);
	}
}

/*
 * PE-06: when an NVA peers with the Route Servers of two VNets, what one
 * of them sends it goes on to the other (with as-override; without, the
 * other drops it, RS-20), so no Route Server can be predicted alone. The
 * speakers' exchanges are run in rounds: every instance with what each NVA
 * held after the round before (what the instances sent it) and what the
 * hub's gateways sent it (RS-50, so that branch-to-branch passes the
 * sites' prefixes on, RS-13), until nothing an NVA holds changes.
 */
#define RELAY_ROUNDS_MAX	16

struct held {
	struct bgp_sim_path	*v;
	size_t			 n, cap;
};

static bool
relays(const struct topo *t)
{
	size_t i;

	for (i = 0; i < t->nnvas; i++)
		if (t->nvas[i]->nxrs > 0)
			return true;
	return false;
}

static void
held_add(struct held *h, uint32_t peer, const struct pfx4 *pfx,
    const struct bgp_attrs *a)
{
	xgrow(&h->v, &h->cap, h->n + 1, sizeof(*h->v));
	h->v[h->n].peer = peer;
	h->v[h->n].pfx = *pfx;
	bgp_attrs_copy(&h->v[h->n].attrs, a);
	h->n++;
}

static void
held_clear(struct held *h)
{
	bgp_sim_paths_free(h->v, h->n);
	memset(h, 0, sizeof(*h));
}

static bool
held_equal(const struct held *a, const struct held *b)
{
	char x[512], y[512];
	size_t i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++) {
		if (a->v[i].peer != b->v[i].peer ||
		    !pfx_equal(&a->v[i].pfx, &b->v[i].pfx) ||
		    a->v[i].attrs.nexthop != b->v[i].attrs.nexthop)
			return false;
		bgp_aspath_fmt(&a->v[i].attrs, ' ', x, sizeof(x));
		bgp_aspath_fmt(&b->v[i].attrs, ' ', y, sizeof(y));
		if (strcmp(x, y) != 0)
			return false;
	}
	return true;
}

/*
 * RS-50: what a gateway instance sends its Route Server (iBGP, no prepend,
 * its own address as next hop): each BGP connection's site prefixes with
 * the path the site sends, behind 12076 over ExpressRoute; one path a
 * prefix, gw_picks()'s (the instance's best).
 */
static void
gateway_paths(const struct topo_gw *gw, uint32_t inst_ip, struct held *h)
{
	const struct topo_gwconn *cn;
	struct gw_pick *v;
	struct bgp_attrs a;
	uint32_t path[64];	/* 12076, then the site's ASN and prepends */
	unsigned np, r;
	size_t i, n;

	n = gw_picks(gw, &v);
	for (i = 0; i < n; i++) {
		cn = v[i].cn;
		np = 0;
		if (gw->type == TOPO_GW_EXPRESSROUTE)
			path[np++] = TOPO_MSEE_ASN;
		for (r = 0; r <= cn->site->prepend + cn->prepend &&
		    np < NELEM(path); r++)
			path[np++] = cn->site->asn;
		bgp_attrs_init(&a);
		a.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) |
		    BGP_ATTR_BIT(BGP_ATTR_AS_PATH) |
		    BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
		a.origin = BGP_ORIGIN_IGP;
		a.nexthop = inst_ip;
		bgp_aspath_set(&a, path, np);
		held_add(h, inst_ip, &v[i].pfx, &a);
		bgp_attrs_free(&a);
	}
	free(v);
}

static size_t
nva_index(const struct topo *t, uint32_t addr)
{
	const struct topo_nic *nic = topo_nic_by_ip(t, addr);
	size_t i;

	for (i = 0; nic != NULL && nic->node->nva != NULL && i < t->nnvas; i++)
		if (t->nvas[i] == nic->node->nva)
			return i;
	return SIZE_MAX;
}

/* Whether NVA i speaks BGP and has extra NICs (NV-05). */
static bool
multinic(const struct topo_nva *nv)
{
	return nv->bgp && nv->node->nnics > 1;
}

static bool
any_multinic(const struct topo *t)
{
	size_t i;

	for (i = 0; i < t->nnvas; i++)
		if (multinic(t->nvas[i]))
			return true;
	return false;
}

/*
 * NV-05: what each BGP NVA with extra NICs installs from what its Route
 * Server instances sent it (held[i]): its own speaker's import policy and
 * decision (bgp_sim), as the live speaker's FIB. The walk sends those
 * prefixes out of the primary NIC, as the speaker installs them there.
 */
static void
nva_learned(const struct topo *t, struct bgp_conf *const *confs,
    const struct held *held, struct sdn_input *in)
{
	struct bgp_sim_node self;
	struct bgp_sim sim;
	size_t i, k;

	in->nvas = xcalloc(t->nnvas ? t->nnvas : 1, sizeof(*in->nvas));
	in->nnvas = t->nnvas;
	for (i = 0; i < t->nnvas; i++) {
		if (!multinic(t->nvas[i]))
			continue;
		self = (struct bgp_sim_node){ confs[i], held[i].v, held[i].n };
		bgp_sim_run_nodes(&self, NULL, 0, false, &sim);
		in->nvas[i].pfx = xcalloc(sim.nfib ? sim.nfib : 1,
		    sizeof(*in->nvas[i].pfx));
		for (k = 0; k < sim.nfib; k++)
			in->nvas[i].pfx[k] = sim.fib[k].pfx;
		in->nvas[i].n = sim.nfib;
		bgp_sim_free(&sim);
	}
}

/*
 * A Route Server instance as a bgp_sim node: its configuration into *c,
 * holding what its hub's gateways send it (RS-50) in *gw, as the live
 * instance does. The caller frees *c and clears *gw.
 */
static void
instance_node(const struct topo *t, const struct topo_node *inst,
    struct bgp_conf *c, struct held *gw, struct bgp_sim_node *self)
{
	const struct topo_vnet *v = inst->rs->vnet;
	size_t i, k;

	emu_bgp_conf(t, inst, "", c);
	/*
	 * NS-07: an NVA whose connections to this instance the NSGs deny
	 * never brings its session up (the NVA connects, the instance
	 * waits): no speaker has ASN 0, so bgp_sim opens no session there.
	 */
	for (i = 0; i < c->npeers; i++) {
		const struct topo_nic *n = topo_nic_by_ip(t, c->peers[i].addr);

		if (n != NULL && nsg_session_blocked(t, inst, n->node, NULL, 0))
			c->peers[i].asn = 0;
	}
	for (i = 0; i < v->ngws; i++)
		for (k = 0; k < v->gws[i]->ninst; k++)
			gateway_paths(v->gws[i], v->gws[i]->inst[k]->nic->ip, gw);
	self->conf = c;
	self->held = gw->v;
	self->nheld = gw->n;
}

/* One round of one instance; what it sends each NVA goes to next[]. */
static size_t
relay_instance(const struct topo *t, const struct topo_node *inst,
    const struct bgp_sim_node *nvas, struct held *next, struct plan *p,
    struct sdn_bgp_route **out)
{
	struct bgp_conf *c = xcalloc(1, sizeof(*c));
	struct held gw = { NULL, 0, 0 };
	struct bgp_sim_node self;
	struct bgp_sim sim;
	size_t i, k, j, n;

	instance_node(t, inst, c, &gw, &self);
	bgp_sim_run_nodes(&self, nvas, t->nnvas, true, &sim);
	for (i = 0; i < c->npeers; i++) {
		if ((j = nva_index(t, c->peers[i].addr)) == SIZE_MAX)
			continue;
		for (k = 0; k < sim.peers[i].nsent; k++)
			held_add(&next[j], sim.peers[i].sent[k].peer,
			    &sim.peers[i].sent[k].pfx, &sim.peers[i].sent[k].attrs);
	}
	if (p != NULL)
		record_peerings(t, inst, c, &sim, p);
	n = out != NULL ? fib_routes(inst->rs, &sim, out) : 0;
	bgp_sim_free(&sim);
	held_clear(&gw);
	emu_bgp_conf_free(c);
	free(c);
	return n;
}

/*
 * Rounds until what every NVA holds is what it held before; the last
 * round's FIBs are the outcome. RELAY_ROUNDS_MAX bounds a design that
 * never settles (a relay loop as-override let through): its last round
 * stands, as a lab's routes would keep changing.
 */
static void
relay_run(const struct topo *t, struct bgp_conf **confs, struct plan *p)
{
	struct held *cur = xcalloc(t->nnvas + 1, sizeof(*cur));
	struct held *next = xcalloc(t->nnvas + 1, sizeof(*next));
	struct bgp_sim_node *nvas = xcalloc(t->nnvas + 1, sizeof(*nvas));
	struct sdn_bgp_route *inst[2];
	unsigned round;
	bool last = false;
	size_t i, k, n[2];

	for (round = 0; !last; round++) {
		for (i = 0; i < t->nnvas; i++) {
			nvas[i].conf = confs[i];
			nvas[i].held = cur[i].v;
			nvas[i].nheld = cur[i].n;
		}
		for (i = 0; i < t->nrss; i++)
			for (k = 0; k < 2; k++)
				relay_instance(t, t->rss[i]->inst[k], nvas, next,
				    NULL, NULL);
		last = round + 1 >= RELAY_ROUNDS_MAX;
		for (i = 0; i < t->nnvas && !last; i++)
			if (!held_equal(&cur[i], &next[i]))
				break;
		last = last || i == t->nnvas;
		for (i = 0; i < t->nnvas; i++) {
			held_clear(&cur[i]);
			cur[i] = next[i];
			memset(&next[i], 0, sizeof(next[i]));
		}
	}
	for (i = 0; i < t->nnvas; i++) {
		nvas[i].held = cur[i].v;
		nvas[i].nheld = cur[i].n;
	}
	for (i = 0; i < t->nrss; i++) {
		for (k = 0; k < 2; k++)
			n[k] = relay_instance(t, t->rss[i]->inst[k], nvas, next,
			    p, &inst[k]);
		sdn_merge_instances(t->rss[i],
		    (const struct sdn_bgp_route *const *)inst, n, 2,
		    &p->in.hubs[i]);
		for (k = 0; k < 2; k++)
			free(inst[k]);
	}
	if (any_multinic(t))
		nva_learned(t, confs, next, &p->in);
	for (i = 0; i < t->nnvas; i++) {
		held_clear(&cur[i]);
		held_clear(&next[i]);
	}
	free(cur);
	free(next);
	free(nvas);
}

/*
 * One instance: its FIB as sdn_bgp_routes. *out malloc'd. It holds what its
 * hub's gateways send it (RS-50), as the live instance does, so that what
 * it advertises each NVA holds what branch-to-branch passes on (RS-13), as
 * relay_instance() does; fib_routes() leaves the gateways' next hops to the
 * gateways.
 */
static size_t
instance(const struct topo *t, const struct topo_node *inst,
    const struct bgp_conf *const *nvas, struct plan *p,
    struct sdn_bgp_route **out, struct held *sent)
{
	struct bgp_conf *c = xcalloc(1, sizeof(*c));
	struct bgp_sim_node self, *others;
	struct held gw = { NULL, 0, 0 };
	struct bgp_sim sim;
	size_t n, i, j, k;

	instance_node(t, inst, c, &gw, &self);
	others = xcalloc(t->nnvas ? t->nnvas : 1, sizeof(*others));
	for (i = 0; i < t->nnvas; i++)
		others[i].conf = nvas[i];
	/* with routes or sent, bgp_sim also says what it sends */
	bgp_sim_run_nodes(&self, others, t->nnvas, p->routes || sent != NULL,
	    &sim);
	free(others);
	for (i = 0; sent != NULL && i < c->npeers; i++) {
		if ((j = nva_index(t, c->peers[i].addr)) == SIZE_MAX)
			continue;
		for (k = 0; k < sim.peers[i].nsent; k++)
			held_add(&sent[j], sim.peers[i].sent[k].peer,
			    &sim.peers[i].sent[k].pfx,
			    &sim.peers[i].sent[k].attrs);
	}
	held_clear(&gw);
	record_peerings(t, inst, c, &sim, p);
	n = fib_routes(inst->rs, &sim, out);
	bgp_sim_free(&sim);
	emu_bgp_conf_free(c);
	free(c);
	return n;
}

static void
run(const struct topo *t, struct plan *p, bool routes)
{
	struct bgp_conf **nvas = nva_confs(t);
	struct sdn_bgp_route *inst[2];
	struct held *sent = NULL;
	size_t n[2], i, k;

	memset(p, 0, sizeof(*p));
	p->routes = routes;
	p->in.hubs = xcalloc(t->nrss, sizeof(*p->in.hubs));
	p->in.nhubs = t->nrss;
	if (relays(t)) {
		relay_run(t, nvas, p);
		confs_free(nvas, t->nnvas);
		plan_gateways(t, p);
		sdn_memo_start(&p->in);
		return;
	}
	if (any_multinic(t))
		sent = xcalloc(t->nnvas, sizeof(*sent));
	for (i = 0; i < t->nrss; i++) {
		for (k = 0; k < 2; k++)
			n[k] = instance(t, t->rss[i]->inst[k],
			    (const struct bgp_conf *const *)nvas, p, &inst[k],
			    sent);
		sdn_merge_instances(t->rss[i],
		    (const struct sdn_bgp_route *const *)inst, n, 2,
		    &p->in.hubs[i]);
		for (k = 0; k < 2; k++)
			free(inst[k]);
	}
	if (sent != NULL) {
		nva_learned(t, nvas, sent, &p->in);
		for (i = 0; i < t->nnvas; i++)
			held_clear(&sent[i]);
		free(sent);
	}
	confs_free(nvas, t->nnvas);
	plan_gateways(t, p);
	sdn_memo_start(&p->in);
}

void
plan_run(const struct topo *t, struct plan *p)
{
	run(t, p, false);
}

void
plan_run_routes(const struct topo *t, struct plan *p)
{
	run(t, p, true);
}

void
plan_free(struct plan *p)
{
	size_t i;

	sdn_memo_free(&p->in);
	for (i = 0; i < p->in.nhubs; i++)
		sdn_hub_routes_free(&p->in.hubs[i]);
	free(p->in.hubs);
	for (i = 0; i < p->in.ngws; i++)
		sdn_gw_routes_free(&p->in.gws[i]);
	free(p->in.gws);
	for (i = 0; i < p->in.nnvas; i++)
		free(p->in.nvas[i].pfx);
	free(p->in.nvas);
	for (i = 0; i < p->npeerings; i++) {
		free(p->peerings[i].learned);
		free(p->peerings[i].advertised);
	}
	free(p->peerings);
	memset(p, 0, sizeof(*p));
}
