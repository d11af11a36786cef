/*
 * plan: see plan.h.
 *
 * Must not: decide paths itself (bgp/ does, through bgp_sim) or compute
 * effective routes (sdn.c does).
 */
#include <stdlib.h>
#include <string.h>

#include "../bgp/sim.h"
#include "../lib/util.h"
#include "emu.h"
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
	const struct topo_vnet *hub, *v;
	size_t i, j, k;

	for (i = 0; i < t->ngwlinks; i++) {
		l = t->gwlinks[i];
		if (l->conn != NULL || (l->a != n && l->b != n))
			continue;
		o = l->a == n ? l->b : l->a;
		for (k = 0; k < o->nva->nadvertise; k++)
			add_prefix(c, &o->nva->advertise[k]);
		hub = o->nic->subnet->vnet;
		for (j = 0; l->as_override && j <= hub->nspokes; j++) {
			v = j == 0 ? hub : hub->spokes[j - 1];
			if (j > 0 && (!v->use_remote_gateways ||
			    !hub->allow_gateway_transit))
				continue;
			for (k = 0; k < v->nspace; k++)
				add_prefix(c, &v->space[k]);
		}
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
	}
}

/* One instance: its FIB as sdn_bgp_routes. *out malloc'd. */
static size_t
instance(const struct topo *t, const struct topo_node *inst,
    const struct bgp_conf *const *nvas, struct plan *p,
    struct sdn_bgp_route **out)
{
	struct bgp_conf *c = xcalloc(1, sizeof(*c));
	struct bgp_sim sim;
	size_t i, n;

	emu_bgp_conf(t, inst, "", c);
	bgp_sim_run(c, nvas, t->nnvas, &sim);
	record_peerings(t, inst, c, &sim, p);
	n = sim.nfib;
	*out = xcalloc(n, sizeof(**out));
	for (i = 0; i < n; i++) {
		(*out)[i].pfx = sim.fib[i].pfx;
		(*out)[i].nnh = sim.fib[i].nnh < SDN_MAX_NH ?
		    sim.fib[i].nnh : SDN_MAX_NH;
		memcpy((*out)[i].nh, sim.fib[i].nh,
		    (*out)[i].nnh * sizeof((*out)[i].nh[0]));
		(*out)[i].aspath_hops = sim.fib[i].aspath_hops;
	}
	bgp_sim_free(&sim);
	emu_bgp_conf_free(c);
	free(c);
	return n;
}

/*
 * What a gateway instance learns from its sites, without running BGP: each
 * BGP connection's site prefixes with the path the site's edge sends
 * (its ASN and prepends, the tunnel's too) behind the MSEE's 12076 for
 * ExpressRoute. Static VPN prefixes are sdn_merge_gateway()'s to add.
 * A prefix learned over several connections (circuits to one site, RS-35)
 * is one FIB entry, with the shortest of their paths.
 */
static size_t
gw_instance(const struct topo_gw *gw, struct sdn_bgp_route **out)
{
	const struct topo_gwconn *cn;
	size_t n = 0, cap = 0, i, k, j;
	unsigned hops;

	*out = NULL;
	for (i = 0; i < gw->nconns; i++) {
		cn = gw->conns[i];
		for (k = 0; cn->bgp && k < cn->site->nprefixes; k++) {
			hops = 1 + cn->site->prepend + cn->prepend +
			    (gw->type == TOPO_GW_EXPRESSROUTE);
			for (j = 0; j < n; j++)
				if (pfx_equal(&(*out)[j].pfx, &cn->site->prefixes[k]))
					break;
			if (j < n) {
				if (hops < (*out)[j].aspath_hops)
					(*out)[j].aspath_hops = hops;
				continue;
			}
			xgrow(out, &cap, n + 1, sizeof(**out));
			memset(&(*out)[n], 0, sizeof((*out)[n]));
			(*out)[n].pfx = cn->site->prefixes[k];
			(*out)[n].nnh = 1;
			(*out)[n].nh[0] = 1;	/* replaced by the instance's IP */
			(*out)[n].aspath_hops = hops;
			n++;
		}
	}
	return n;
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
		n[0] = n[1] = gw_instance(t->gws[i], &r);
		inst[0] = inst[1] = r;
		sdn_merge_gateway(t->gws[i], inst, n, &p->in.gws[i]);
		free(r);
	}
}

void
plan_run(const struct topo *t, struct plan *p)
{
	struct bgp_conf **nvas = nva_confs(t);
	struct sdn_bgp_route *inst[2];
	size_t n[2], i, k;

	memset(p, 0, sizeof(*p));
	p->in.hubs = xcalloc(t->nrss, sizeof(*p->in.hubs));
	p->in.nhubs = t->nrss;
	for (i = 0; i < t->nrss; i++) {
		for (k = 0; k < 2; k++)
			n[k] = instance(t, t->rss[i]->inst[k],
			    (const struct bgp_conf *const *)nvas, p, &inst[k]);
		sdn_merge_instances(t->rss[i],
		    (const struct sdn_bgp_route *const *)inst, n, 2,
		    &p->in.hubs[i]);
		for (k = 0; k < 2; k++)
			free(inst[k]);
	}
	confs_free(nvas, t->nnvas);
	plan_gateways(t, p);
	sdn_memo_start(&p->in);
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
	free(p->peerings);
	memset(p, 0, sizeof(*p));
}
