/*
 * kroute: effective routes as the fabric's kernel routes (see kroute.h).
 * Owns what each effective route becomes in a fabric table. Must not: know
 * netlink, the kernel's numbers or how the links were made (fabric.c).
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "kroute.h"

/* The same VNet, or the two ends of a peering (PE-01: nothing further). */
static bool
vnet_reaches(const struct topo_vnet *a, const struct topo_vnet *b)
{
	return a == b || topo_vnets_peered(a, b);
}

/*
 * The NIC (*nic) or load balancer frontend (*lb) that ip is, looked up
 * once; whether from's traffic reaches it (LB-04: a frontend in the NIC's
 * VNet or a peered one, as a NIC).
 */
static bool
nh_lookup(const struct topo *t, const struct topo_nic *from, uint32_t ip,
    const struct topo_nic **nic, const struct topo_lb **lb)
{
	*lb = NULL;
	if ((*nic = topo_nic_by_ip(t, ip)) != NULL)
		return vnet_reaches(from->subnet->vnet, (*nic)->subnet->vnet);
	return (*lb = topo_lb_by_ip(t, ip)) != NULL &&
	    vnet_reaches(from->subnet->vnet, (*lb)->subnet->vnet);
}

bool
kroute_nh_reaches(const struct topo *t, const struct topo_nic *from,
    uint32_t ip)
{
	const struct topo_nic *nic;
	const struct topo_lb *lb;

	return nh_lookup(t, from, ip, &nic, &lb);
}

static int
nic_link(const struct kroute_links *l, const struct topo_nic *from,
    uint32_t ip)
{
	const struct topo_nic *nic;
	const struct topo_lb *lb;

	if (!nh_lookup(l->t, from, ip, &nic, &lb))
		return -1;
	if (nic != NULL)
		return l->nic[nic->idx];
	return l->lb == NULL ? -1 : l->lb[lb->idx];
}

/* Out of one of the links to the Internet edge, via gw (0: none). */
static void
to_edge(int ifi, uint32_t gw, struct kroute *r)
{
	if (ifi < 0) {
		r->type = KROUTE_BLACKHOLE;	/* a lab built before the edge */
		return;
	}
	r->type = KROUTE_UNICAST;
	r->nnh = 1;
	r->nh[0] = (struct kroute_nh){ .gw = gw, .link = ifi, .onlink = gw != 0,
	    .weight = 1 };
	if (gw == 0)
		r->scope_link = true;
}

/*
 * The links of one table's next hops, looked up once each: a table of
 * 10,000 routes has a handful of next hops (nic_link's binary search and
 * peering check were 12% of a whole recompute at 4,000 VMs).
 */
#define NH_CACHE	16

struct nh_cache {
	uint32_t	ip[NH_CACHE];
	int		link[NH_CACHE];
	unsigned	n, next;
};

static int
cached_link(const struct kroute_links *l, const struct topo_nic *from,
    struct nh_cache *c, uint32_t ip)
{
	unsigned i;
	int ifi;

	for (i = 0; i < c->n; i++)
		if (c->ip[i] == ip)
			return c->link[i];
	ifi = nic_link(l, from, ip);
	i = c->n < NH_CACHE ? c->n++ : c->next++ % NH_CACHE;
	c->ip[i] = ip;
	c->link[i] = ifi;
	return ifi;
}

/* r's fields and its next hops up to nnh: the rest of nh[] is left as is. */
static void
desired(const struct kroute_links *l, const struct sdn_table *tab,
    struct nh_cache *c, const struct sdn_route *s, struct kroute *r)
{
	unsigned i;

	r->type = KROUTE_UNICAST;
	r->scope_link = false;
	r->nnh = 0;
	r->dst = s->pfx;
	switch (s->type) {
	case SDN_NH_VNETLOCAL:
	case SDN_NH_VNETPEERING:
	case SDN_NH_VNETGLOBALPEERING:
		r->type = KROUTE_THROW;
		return;
	case SDN_NH_NONE:
		to_edge(l->none, l->edge, r);
		return;
	case SDN_NH_INTERNET:
		to_edge(l->inet, 0, r);
		return;
	case SDN_NH_VNG:
	case SDN_NH_VIRTUALAPPLIANCE:
		break;
	}
	r->type = KROUTE_UNICAST;
	for (i = 0; i < s->nnh && r->nnh < KROUTE_MAX_NH; i++) {
		int ifi = cached_link(l, tab->nic, c, s->nh[i]);

		if (ifi < 0)
			continue;
		r->nh[r->nnh].gw = s->nh[i];
		r->nh[r->nnh].link = ifi;
		r->nh[r->nnh].onlink = true;
		r->nh[r->nnh].weight = 1;
		r->nnh++;
	}
	if (r->nnh == 0)
		r->type = KROUTE_BLACKHOLE;
}

/* Sorted by prefix through an index: the routes are large to move around. */
static int
idx_cmp(const void *a, const void *b, void *base)
{
	const struct sdn_route *r = base;

	return pfx_cmp(&r[*(const uint32_t *)a].pfx, &r[*(const uint32_t *)b].pfx);
}

size_t
kroute_table(const struct kroute_links *l, const struct sdn_table *tab,
    struct kroute **out)
{
	/*
	 * Not zeroed: a kroute has room for 32 next hops (404 bytes), a table
	 * 10,000 routes, and desired() writes what a route uses; zeroing it
	 * all was most of this function's time at 4,000 VMs (issue 23).
	 */
	struct kroute *v = xmalloc((tab->nroutes + 1) * sizeof(*v));
	uint32_t *idx = xcalloc(tab->nroutes + 1, sizeof(*idx));
	struct nh_cache c = { .n = 0 };
	size_t i, n = 0;
	bool sorted = true;

	for (i = 0; i < tab->nroutes; i++)
		if (tab->routes[i].active) {
			if (n > 0 && pfx_cmp(&tab->routes[idx[n - 1]].pfx,
			    &tab->routes[i].pfx) > 0)
				sorted = false;
			idx[n++] = (uint32_t)i;
		}
	/* sdn's tables come in prefix order: a sort is then only a check */
	if (!sorted)
		qsort_r(idx, n, sizeof(*idx), idx_cmp, tab->routes);
	for (i = 0; i < n; i++)
		desired(l, tab, &c, &tab->routes[idx[i]], &v[i]);
	free(idx);
	*out = v;
	return n;
}
