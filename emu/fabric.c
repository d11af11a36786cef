/*
 * fabric: effective routes become kernel routes in the fabric namespace.
 *
 * A NIC's active effective routes become kernel routes (held once for all
 * the NICs of a subnet, and what a group of subnets has in common once for
 * the group: share.h):
 *   VnetLocal, VNetPeering, VNetGlobalPeering -> throw (the lookup falls
 *       through to the delivery table, which holds a /32 per NIC)
 *   VirtualNetworkGateway, VirtualAppliance  -> via each next hop, onlink on
 *       the fabric end of the NIC that owns that address (ECMP: multipath)
 *   Internet                                 -> out of "inet" to the lab's
 *       Internet edge, where every address answers (lab.h)
 *   None                                     -> out of "none0" to the edge,
 *       which drops and counts (Azure drops silently; the counter is ours)
 * A next hop that no NIC owns (say, a load balancer frontend not yet
 * emulated), or a NIC in a VNet this one is not peered with, cannot be
 * delivered: the route becomes a blackhole, which is what Azure does with a
 * next hop it cannot reach.
 *
 * sync.c puts them in the kernel (reconcile, never rebuild: STYLE 8).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "fabric.h"
#include "lab.h"
#include "nl.h"

/* The same VNet, or the two ends of a peering (PE-01: nothing further). */
static bool
reachable(const struct topo_nic *from, const struct topo_nic *to)
{
	const struct topo_vnet *a = from->subnet->vnet, *b = to->subnet->vnet;

	return a == b || topo_vnets_peered(a, b);
}

static int
edge_link(struct fabric *f, const char *name)
{
	int idx;

	if (f->nl == NULL || (idx = nl_link_index(f->nl, name)) <= 0)
		return -1;
	return idx;
}

/*
 * Every link a route can leave by, known once: a NIC's is given at
 * creation (lab.h), the edge links are asked for here. Afterwards the
 * fabric is only read, so tables can be computed on several threads.
 */
void
fabric_init(struct fabric *f, struct nl *nl, const struct topo *t)
{
	size_t i;

	memset(f, 0, sizeof(*f));
	f->nl = nl;
	f->t = t;
	f->ifindex = xcalloc(t->nnics ? t->nnics : 1, sizeof(*f->ifindex));
	for (i = 0; i < t->nnics; i++)
		f->ifindex[i] = LAB_NIC_IFINDEX(i);
	f->none = edge_link(f, LAB_NONE_IF);
	f->inet = edge_link(f, LAB_INET_IF);
}

void
fabric_free(struct fabric *f)
{
	free(f->ifindex);
	memset(f, 0, sizeof(*f));
}

static int
nic_ifindex(const struct fabric *f, const struct topo_nic *from, uint32_t ip)
{
	const struct topo_nic *nic = topo_nic_by_ip(f->t, ip);

	if (nic == NULL || !reachable(from, nic))
		return -1;
	return f->ifindex[nic->idx];
}

/* Out of one of the links to the Internet edge, via gw (0: none). */
static void
to_edge(int ifi, uint32_t gw, struct nl_route *r)
{
	if (ifi < 0) {
		r->type = NL_RT_BLACKHOLE;	/* a lab built before the edge */
		return;
	}
	r->type = NL_RT_UNICAST;
	r->nnh = 1;
	r->nh[0] = (struct nl_nh){ .gw = gw, .ifindex = ifi, .onlink = gw != 0,
	    .weight = 1 };
	if (gw == 0)
		r->scope = RT_SCOPE_LINK;
}

static void
desired(const struct fabric *f, const struct sdn_table *tab,
    const struct sdn_route *s, struct nl_route *r)
{
	unsigned i;

	memset(r, 0, sizeof(*r));
	r->dst = s->pfx;
	r->protocol = RTPROT_ARSEMU;
	switch (s->type) {
	case SDN_NH_VNETLOCAL:
	case SDN_NH_VNETPEERING:
	case SDN_NH_VNETGLOBALPEERING:
		r->type = NL_RT_THROW;
		return;
	case SDN_NH_NONE:
		to_edge(f->none, LAB_EDGE_ADDR, r);
		return;
	case SDN_NH_INTERNET:
		to_edge(f->inet, 0, r);
		return;
	case SDN_NH_VNG:
	case SDN_NH_VIRTUALAPPLIANCE:
		break;
	}
	r->type = NL_RT_UNICAST;
	for (i = 0; i < s->nnh && r->nnh < NL_MAX_NH; i++) {
		int ifi = nic_ifindex(f, tab->nic, s->nh[i]);

		if (ifi < 0)
			continue;
		r->nh[r->nnh].gw = s->nh[i];
		r->nh[r->nnh].ifindex = ifi;
		r->nh[r->nnh].onlink = true;
		r->nh[r->nnh].weight = 1;
		r->nnh++;
	}
	if (r->nnh == 0)
		r->type = NL_RT_BLACKHOLE;
}

/* Sorted by prefix through an index: the routes are large to move around. */
static int
idx_cmp(const void *a, const void *b, void *base)
{
	const struct sdn_route *r = base;

	return pfx_cmp(&r[*(const uint32_t *)a].pfx, &r[*(const uint32_t *)b].pfx);
}

size_t
fabric_kernel_routes(const struct fabric *f, const struct sdn_table *tab,
    struct nl_route **out)
{
	struct nl_route *v = xcalloc(tab->nroutes + 1, sizeof(*v));
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
		desired(f, tab, &tab->routes[idx[i]], &v[i]);
	free(idx);
	*out = v;
	return n;
}
