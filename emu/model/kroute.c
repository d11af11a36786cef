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

static void
desired(const struct kroute_links *l, const struct sdn_table *tab,
    const struct sdn_route *s, struct kroute *r)
{
	unsigned i;

	memset(r, 0, sizeof(*r));
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
		int ifi = nic_link(l, tab->nic, s->nh[i]);

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
	struct kroute *v = xcalloc(tab->nroutes + 1, sizeof(*v));
	uint32_t *idx = xcalloc(tab->nroutes + 1, sizeof(*idx));
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
		desired(l, tab, &tab->routes[idx[i]], &v[i]);
	free(idx);
	*out = v;
	return n;
}
