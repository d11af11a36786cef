/*
 * fabric: effective routes become kernel routes in the fabric namespace.
 *
 * NIC i's active effective routes map onto its table LAB_NIC_TABLE(i):
 *   VnetLocal, VNetPeering, VNetGlobalPeering -> throw (the lookup falls
 *       through to the delivery table, which holds a /32 per NIC)
 *   VirtualNetworkGateway, VirtualAppliance  -> via each next hop, onlink on
 *       the fabric end of the NIC that owns that address (ECMP: multipath)
 *   None                                     -> blackhole
 *   Internet                                 -> unreachable (no Internet
 *       edge is emulated yet: the packet is refused with ICMP, not lost)
 * A next hop that no NIC owns (say, a load balancer frontend not yet
 * emulated) cannot be delivered: the route becomes a blackhole, which is what
 * Azure does with a next hop that does not answer.
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

static int
nic_ifindex(struct nl *nl, const struct topo *t, uint32_t ip)
{
	const struct topo_nic *nic = topo_nic_by_ip(t, ip);
	char name[16];

	if (nic == NULL)
		return -1;
	snprintf(name, sizeof(name), "n%u", nic->idx);
	return nl_link_index(nl, name);
}

static void
desired(struct nl *nl, const struct topo *t, const struct sdn_route *s,
    uint32_t table, struct nl_route *r)
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
		r->type = NL_RT_BLACKHOLE;
		return;
	case SDN_NH_INTERNET:
		r->type = NL_RT_UNREACHABLE;
		return;
	case SDN_NH_VNG:
	case SDN_NH_VIRTUALAPPLIANCE:
		break;
	}
	r->type = NL_RT_UNICAST;
	for (i = 0; i < s->nnh && r->nnh < NL_MAX_NH; i++) {
		int ifi = nic_ifindex(nl, t, s->nh[i]);

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

int
fabric_sync_nic(struct nl *nl, const struct topo *t,
    const struct sdn_table *tab, unsigned *changes)
{
	uint32_t table = LAB_NIC_TABLE(tab->nic->idx);
	struct nl_route *have, want;
	size_t nhave, i, k;
	bool *keep;
	int rc;

	*changes = 0;
	if (nl_route_dump(nl, table, RTPROT_ARSEMU, &have, &nhave) != 0)
		return -1;
	keep = xcalloc(nhave + 1, sizeof(*keep));
	nl_batch_begin(nl);
	for (i = 0; i < tab->nroutes; i++) {
		const struct sdn_route *s = &tab->routes[i];
		bool found = false;

		if (!s->active)
			continue;
		desired(nl, t, s, table, &want);
		for (k = 0; k < nhave; k++) {
			if (!pfx_equal(&have[k].dst, &want.dst))
				continue;
			found = keep[k] = same_route(&have[k], &want);
			break;
		}
		if (!found) {
			nl_route_replace(nl, &want);
			(*changes)++;
		}
	}
	for (k = 0; k < nhave; k++) {
		bool wanted = false;

		for (i = 0; i < tab->nroutes && !keep[k]; i++)
			if (tab->routes[i].active &&
			    pfx_equal(&tab->routes[i].pfx, &have[k].dst))
				wanted = true;	/* replaced above */
		if (keep[k] || wanted)
			continue;
		nl_route_del(nl, &have[k]);
		(*changes)++;
	}
	rc = nl_batch_commit(nl);
	free(keep);
	free(have);
	return rc == 0 ? 0 : -1;
}
