/*
 * sdnmerge: what the SDN controller receives, before any NIC's table (see
 * sdn.h). Owns folding the routes of a Route Server's (or a gateway's)
 * instances into one set per hub: per prefix the shortest AS path, the
 * union of the next hops (RS-33; sdn_nh_union, which sdn.c uses too), a
 * static connection's prefixes for a gateway. Must not: choose between route sources or list a table; that is
 * sdn.c's. No I/O, no state between calls.
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "sdn.h"

void
sdn_nh_union(uint32_t v[SDN_MAX_NH], unsigned *n, const uint32_t *nh,
    unsigned nnh)
{
	unsigned i, j, k;

	for (i = 0; i < nnh && *n < SDN_MAX_NH; i++)
		v[(*n)++] = nh[i];
	qsort(v, *n, sizeof(v[0]), u32_qcmp);
	for (i = 0, k = 0; i < *n; i = j) {
		for (j = i + 1; j < *n && v[j] == v[i]; j++)
			;
		v[k++] = v[i];
	}
	for (i = k; i < *n; i++)
		v[i] = 0;
	*n = k;
}

/* A route and where it came from: equal prefixes fold in input order. */
struct merge_in {
	const struct sdn_bgp_route	*r;
	size_t				 order;
};

static int
cmp_merge_in(const void *a, const void *b)
{
	const struct merge_in *x = a, *y = b;
	int c = pfx_cmp(&x->r->pfx, &y->r->pfx);

	if (c != 0)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

/*
 * Sorted by prefix, then folded: O(n log n) for the 10,000 routes a Route
 * Server may hold (RS-41), where a search per route was quadratic.
 */
void
sdn_merge_instances(const struct topo_rs *rs,
    const struct sdn_bgp_route *const *instances, const size_t *ninstance,
    size_t ninstances, struct sdn_hub_routes *out)
{
	struct merge_in *v;
	struct sdn_bgp_route *m = NULL;
	size_t i, k, n = 0, total = 0;

	memset(out, 0, sizeof(*out));
	out->rs = rs;
	for (i = 0; i < ninstances; i++)
		total += ninstance[i];
	if (total == 0)
		return;
	v = xcalloc(total, sizeof(*v));
	for (i = 0; i < ninstances; i++)
		for (k = 0; k < ninstance[i]; k++)
			if (instances[i][k].nnh != 0) {
				v[n].r = &instances[i][k];
				v[n].order = n;
				n++;
			}
	qsort(v, n, sizeof(*v), cmp_merge_in);
	out->routes = xcalloc(n ? n : 1, sizeof(*out->routes));
	for (i = 0; i < n; i++) {
		const struct sdn_bgp_route *r = v[i].r;

		if (m == NULL || !pfx_equal(&m->pfx, &r->pfx)) {
			m = &out->routes[out->nroutes++];
			*m = *r;
			m->nnh = 0;
		} else if (r->aspath_hops > m->aspath_hops)
			continue;
		else if (r->aspath_hops < m->aspath_hops) {
			*m = *r;
			m->nnh = 0;
		}
		sdn_nh_union(m->nh, &m->nnh, r->nh,
		    r->nnh < SDN_MAX_NH ? r->nnh : SDN_MAX_NH);
	}
	free(v);
}

void
sdn_hub_routes_free(struct sdn_hub_routes *h)
{
	free(h->routes);
	h->routes = NULL;
	h->nroutes = 0;
}

/*
 * A static VPN connection (no BGP): its local network prefixes, as both
 * instances program them, with an empty AS path.
 */
static size_t
gw_static(const struct topo_gw *gw, size_t k, struct sdn_bgp_route **v,
    size_t n, size_t *cap)
{
	const struct topo_gwconn *cn;
	size_t i, j;

	for (i = 0; i < gw->nconns; i++) {
		cn = gw->conns[i];
		if (cn->bgp)
			continue;
		for (j = 0; j < cn->site->nprefixes; j++) {
			xgrow(v, cap, n + 1, sizeof(**v));
			memset(&(*v)[n], 0, sizeof((*v)[n]));
			(*v)[n].pfx = cn->site->prefixes[j];
			(*v)[n].nh[0] = gw->inst[k]->nic->ip;
			(*v)[n++].nnh = 1;
		}
	}
	return n;
}

void
sdn_merge_gateway(const struct topo_gw *gw,
    const struct sdn_bgp_route *const *inst, const size_t *ninst,
    struct sdn_gw_routes *out)
{
	struct sdn_bgp_route *copy[2] = { NULL, NULL };
	const struct sdn_bgp_route *cin[2];
	struct sdn_hub_routes h;
	size_t k, i, n[2] = { 0, 0 }, cap;

	for (k = 0; k < gw->ninst && k < 2; k++) {
		cap = 0;
		for (i = 0; i < ninst[k]; i++) {
			if (inst[k][i].nnh == 0)
				continue;
			xgrow(&copy[k], &cap, n[k] + 1, sizeof(*copy[k]));
			copy[k][n[k]] = inst[k][i];
			memset(copy[k][n[k]].nh, 0, sizeof(copy[k][0].nh));
			copy[k][n[k]].nh[0] = gw->inst[k]->nic->ip;
			copy[k][n[k]++].nnh = 1;
		}
		n[k] = gw_static(gw, k, &copy[k], n[k], &cap);
		cin[k] = copy[k];
	}
	sdn_merge_instances(NULL, cin, n, k, &h);
	out->gw = gw;
	out->routes = h.routes;
	out->nroutes = h.nroutes;
	free(copy[0]);
	free(copy[1]);
}

void
sdn_gw_routes_free(struct sdn_gw_routes *g)
{
	free(g->routes);
	g->routes = NULL;
	g->nroutes = 0;
}

