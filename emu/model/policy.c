/*
 * policy: NVA forwarding filters and allowForwardedTraffic (see policy.h).
 * Owns the meaning of both, for the walk and for the kernel alike, so that
 * prediction and lab cannot drift apart (policyrules.c writes them as kernel
 * rules from these decisions). Must not: route, know walks, or speak netlink.
 *
 * An NVA's filter, in its namespace (after local delivery at priority 0
 * and the failure rules at 10-20, fail.c):
 *   100       iif lo lookup main          what the NVA sends itself is
 *                                         never filtered (its BGP, its
 *                                         probes): a firewall filters transit
 *   101 + k   [from S] [to D] [ipproto P] [dport N]  blackhole (deny) or
 *             lookup main (allow: evaluation stops, forwarded as routed)
 * A packet that matches no rule falls through to the main table.
 * Denied packets are dropped silently, as a firewall drop rule does; they
 * still count in the NVA's Ip InReceives, not in its ForwDatagrams.
 *
 * allowForwardedTraffic (PE-02; Microsoft Learn, "Create, change, or delete
 * a virtual network peering": "Allow forwarded traffic from the remote
 * virtual network": traffic forwarded by a network virtual appliance in
 * the remote virtual network, that did not originate from the remote
 * virtual network, may flow into this virtual network through the
 * peering). The topology sets it on a spoke, for its peering to the hub,
 * and on each side of a spoke-to-spoke peering: false refuses a packet a
 * NIC of the peered VNet (the hub, or a spoke holding an NVA, PE-08)
 * forwards into the spoke when its source is outside that VNet's address
 * space. What originates there still passes. Gateway transit is another setting (allowGatewayTransit /
 * useRemoteGateways): Learn lists no dependency of it on this flag, and
 * hub-and-spoke designs run with forwarding off on the hub's side of the
 * peerings while on-premises traffic reaches the spokes, so traffic from a
 * gateway instance is not refused (a stated reading, not a captured one).
 * In the fabric, for every NIC n<i> but gateway instances whose VNet has
 * a peer that refuses, only on the delivery path (a VnetLocal/peering
 * route threw):
 *   29000     iif n<i> from <its VNet's prefix> lookup <delivery table>
 *   29001     iif n<i> to <refusing spoke's prefix> blackhole
 * A route whose next hop is an appliance inside the refusing spoke (onlink
 * to that NIC, not the delivery path) is not checked: a stated gap.
 */
#include <stdio.h>
#include <string.h>

#include "policy.h"

static bool
filter_matches(const struct topo_filter *f, const struct policy_pkt *p)
{
	if (!pfx_contains_addr(&f->src, p->src) ||
	    !pfx_contains_addr(&f->dst, p->dst))
		return false;
	if (f->proto != TOPO_PROTO_ANY && (uint8_t)f->proto != p->proto)
		return false;
	return f->port == 0 || f->port == p->dport;
}

const struct topo_filter *
policy_filter_match(const struct topo_nva *v, const struct policy_pkt *p)
{
	size_t i;

	for (i = 0; i < v->nfilters; i++)
		if (filter_matches(&v->filters[i], p))
			return &v->filters[i];
	return NULL;
}

static const char *
proto_str(enum topo_filter_proto p)
{
	switch (p) {
	case TOPO_PROTO_ANY:	return "any";
	case TOPO_PROTO_ICMP:	return "icmp";
	case TOPO_PROTO_TCP:	return "tcp";
	case TOPO_PROTO_UDP:	return "udp";
	}
	return "?";
}

const char *
policy_filter_str(const struct topo_filter *f, char *buf, size_t len)
{
	char s[PFX_STRLEN], d[PFX_STRLEN];
	int n;

	n = snprintf(buf, len, "%s %s %s -> %s", f->deny ? "deny" : "allow",
	    proto_str(f->proto), pfx_fmt(&f->src, s), pfx_fmt(&f->dst, d));
	if (f->port != 0 && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " port %u", f->port);
	return buf;
}

static bool
in_space(const struct topo_vnet *v, uint32_t a)
{
	size_t i;

	for (i = 0; i < v->nspace; i++)
		if (pfx_contains_addr(&v->space[i], a))
			return true;
	return false;
}

/*
 * to refuses what a forwarder in from sends it over their peering: a
 * spoke's own flag towards a hub (PE-02); towards a peered spoke, the
 * flag of to's side of that peering (PE-07, PE-08: a spoke's NVA).
 */
bool
policy_refuses_forwarded(const struct topo_vnet *to, const struct topo_vnet *from)
{
	const struct topo_peering *pe;

	if (to->hub || !topo_vnets_peered(to, from))
		return false;
	if (from->hub)
		return !to->allow_forwarded_traffic;
	if ((pe = topo_vnet_peering(to, from)) == NULL)
		return false;
	return !pe->allow_forwarded_traffic[pe->vnet[0] == to ? 0 : 1];
}

const struct topo_vnet *
policy_peering_refuses(const struct topo_nic *from, const struct topo_nic *to,
    uint32_t src)
{
	const struct topo_vnet *a = from->subnet->vnet;
	const struct topo_vnet *b = to->subnet->vnet;

	if (a == NULL || b == NULL || !policy_refuses_forwarded(b, a) ||
	    from->node->kind == TOPO_GW || in_space(a, src))
		return NULL;
	return b;
}
