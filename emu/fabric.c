/*
 * fabric: effective routes become kernel routes in the fabric namespace.
 *
 * NIC i's active effective routes map onto its table LAB_NIC_TABLE(i):
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
 * Reconcile, never rebuild: dump the table, compare, send only the changes,
 * batched (STYLE 8).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "emu.h"
#include "lab.h"
#include "nl.h"

#define SCOPE_LINK	253

/* The same VNet, or the two ends of a peering (PE-01: nothing further). */
static bool
reachable(const struct topo_nic *from, const struct topo_nic *to)
{
	const struct topo_vnet *a = from->subnet->vnet, *b = to->subnet->vnet;

	return a == b || a->peer_hub == b || b->peer_hub == a;
}

/*
 * Interface indexes, looked up once per sync: a table of thousands of
 * routes names only a few next-hop NICs, and each lookup is a netlink
 * round trip (queries are never batched).
 */
#define IFCACHE	64

struct ifcache {
	struct nl	*nl;
	char		 name[IFCACHE][16];
	int		 idx[IFCACHE];
	size_t		 n;
};

static int
link_index(struct ifcache *c, const char *name)
{
	size_t i;
	int idx;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->name[i], name) == 0)
			return c->idx[i];
	idx = nl_link_index(c->nl, name);
	if (c->n < IFCACHE) {
		snprintf(c->name[c->n], sizeof(c->name[0]), "%s", name);
		c->idx[c->n++] = idx;
	}
	return idx;
}

static int
nic_ifindex(struct ifcache *c, const struct topo *t, const struct topo_nic *from,
    uint32_t ip)
{
	const struct topo_nic *nic = topo_nic_by_ip(t, ip);
	char name[16];

	if (nic == NULL || !reachable(from, nic))
		return -1;
	snprintf(name, sizeof(name), "n%u", nic->idx);
	return link_index(c, name);
}

/* Out of one of the links to the Internet edge, via gw (0: none). */
static void
to_edge(struct ifcache *c, const char *ifname, uint32_t gw, struct nl_route *r)
{
	int ifi = link_index(c, ifname);

	if (ifi < 0) {
		r->type = NL_RT_BLACKHOLE;	/* a lab built before the edge */
		return;
	}
	r->type = NL_RT_UNICAST;
	r->nnh = 1;
	r->nh[0] = (struct nl_nh){ .gw = gw, .ifindex = ifi, .onlink = gw != 0,
	    .weight = 1 };
	if (gw == 0)
		r->scope = SCOPE_LINK;
}

static void
desired(struct ifcache *c, const struct topo *t, const struct sdn_table *tab,
    const struct sdn_route *s, uint32_t table, struct nl_route *r)
{
	unsigned i;

	memset(r, 0, sizeof(*r));
	r->table = table;
	r->dst = s->pfx;
	r->protocol = RTPROT_ARSEMU;
	switch (s->type) {
	case SDN_NH_VNETLOCAL:
	case SDN_NH_VNETPEERING:
	case SDN_NH_VNETGLOBALPEERING:
		r->type = NL_RT_THROW;
		return;
	case SDN_NH_NONE:
		to_edge(c, LAB_NONE_IF, LAB_EDGE_ADDR, r);
		return;
	case SDN_NH_INTERNET:
		to_edge(c, LAB_INET_IF, 0, r);
		return;
	case SDN_NH_VNG:
	case SDN_NH_VIRTUALAPPLIANCE:
		break;
	}
	r->type = NL_RT_UNICAST;
	for (i = 0; i < s->nnh && r->nnh < NL_MAX_NH; i++) {
		int ifi = nic_ifindex(c, t, tab->nic, s->nh[i]);

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

static bool
same_route(const struct nl_route *a, const struct nl_route *b)
{
	unsigned i;

	if (a->type != b->type || a->nnh != b->nnh)
		return false;
	for (i = 0; i < a->nnh; i++)
		if (a->nh[i].gw != b->nh[i].gw || a->nh[i].ifindex != b->nh[i].ifindex)
			return false;
	return true;
}

static int
route_cmp(const void *a, const void *b)
{
	return pfx_cmp(&((const struct nl_route *)a)->dst,
	    &((const struct nl_route *)b)->dst);
}

/*
 * Desired and actual, both sorted by prefix, walked together: O(n log n)
 * for a table of n routes, and only the differences go to the kernel.
 */
int
fabric_sync_nic(struct nl *nl, const struct topo *t,
    const struct sdn_table *tab, unsigned *changes)
{
	uint32_t table = LAB_NIC_TABLE(tab->nic->idx);
	struct ifcache *cache = xcalloc(1, sizeof(*cache));
	struct nl_route *have, *want;
	size_t nhave, nwant = 0, i = 0, k = 0;
	int rc;

	*changes = 0;
	cache->nl = nl;
	if (nl_route_dump(nl, table, RTPROT_ARSEMU, &have, &nhave) != 0) {
		free(cache);
		return -1;
	}
	want = xcalloc(tab->nroutes + 1, sizeof(*want));
	for (i = 0; i < tab->nroutes; i++)
		if (tab->routes[i].active)
			desired(cache, t, tab, &tab->routes[i], table, &want[nwant++]);
	qsort(want, nwant, sizeof(*want), route_cmp);
	nl_batch_begin(nl);
	for (i = 0; i < nwant || k < nhave; ) {
		int c = i == nwant ? 1 : k == nhave ? -1 :
		    pfx_cmp(&want[i].dst, &have[k].dst);

		if (c == 0) {
			if (!same_route(&want[i], &have[k])) {
				nl_route_replace(nl, &want[i]);
				(*changes)++;
			}
			i++;
			k++;
		} else if (c < 0) {
			nl_route_replace(nl, &want[i++]);
			(*changes)++;
		} else {
			nl_route_del(nl, &have[k++]);
			(*changes)++;
		}
	}
	rc = nl_batch_commit(nl);
	free(want);
	free(have);
	free(cache);
	return rc == 0 ? 0 : -1;
}
