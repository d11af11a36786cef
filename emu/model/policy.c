/*
 * policy: NVA forwarding filters and allowForwardedTraffic (see policy.h).
 * Owns the meaning of both, for the walk and for the kernel alike, so that
 * prediction and lab cannot drift apart. Must not: route, or know walks.
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
 * peering). The topology sets it on a spoke, for its peering to the hub:
 * false refuses a packet the hub forwards into the spoke when its source
 * is outside the hub's address space. What originates in the hub still
 * passes. Gateway transit is another setting (allowGatewayTransit /
 * useRemoteGateways): Learn lists no dependency of it on this flag, and
 * hub-and-spoke designs run with forwarding off on the hub's side of the
 * peerings while on-premises traffic reaches the spokes, so traffic from a
 * gateway instance is not refused (a stated reading, not a captured one).
 * In the fabric, for every NIC n<i> of a hub but its gateway instances,
 * only on the delivery path (a VnetLocal/peering route threw):
 *   29000     iif n<i> from <hub prefix> lookup <delivery table>
 *   29001     iif n<i> to <refusing spoke's prefix> blackhole
 * A hub route whose next hop is an appliance inside the spoke (onlink to
 * that NIC) is not checked: arsemu knows no such design yet.
 */
#include <stdio.h>
#include <string.h>

#include "lab.h"
#include "nl.h"
#include "policy.h"

#define POLICY_NVA_PRIO		100u
#define POLICY_PEER_PRIO	29000u	/* after LAB_PATH_PRIO (lab.h) */
#define POLICY_TABLE_MAIN	254u
#define POLICY_LOOPBACK		"lo"

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

static bool
refuses_forwarded(const struct topo_vnet *spoke, const struct topo_vnet *hub)
{
	return !spoke->hub && topo_vnets_peered(spoke, hub) &&
	    !spoke->allow_forwarded_traffic;
}

const struct topo_vnet *
policy_peering_refuses(const struct topo_nic *from, const struct topo_nic *to,
    uint32_t src)
{
	const struct topo_vnet *hub = from->subnet->vnet;
	const struct topo_vnet *spoke = to->subnet->vnet;

	if (hub == NULL || spoke == NULL || !hub->hub ||
	    !refuses_forwarded(spoke, hub) ||
	    from->node->kind == TOPO_GW || in_space(hub, src))
		return NULL;
	return spoke;
}

int
policy_nva_install(struct nl *nl, const struct topo_nva *v)
{
	struct nl_rule r;
	size_t k;

	if (v->nfilters == 0)
		return 0;
	memset(&r, 0, sizeof(r));
	r.prio = POLICY_NVA_PRIO;
	r.iif = POLICY_LOOPBACK;
	r.action = NL_RULE_LOOKUP;
	r.table = POLICY_TABLE_MAIN;
	nl_batch_begin(nl);
	(void)nl_rule_change(nl, true, &r);
	for (k = 0; k < v->nfilters; k++) {
		const struct topo_filter *f = &v->filters[k];

		memset(&r, 0, sizeof(r));
		r.prio = POLICY_NVA_PRIO + 1 + (uint32_t)k;
		r.src = f->src;
		r.dst = f->dst;
		r.ipproto = (uint8_t)f->proto;
		r.dport = f->port;
		r.action = f->deny ? NL_RULE_BLACKHOLE : NL_RULE_LOOKUP;
		r.table = POLICY_TABLE_MAIN;
		(void)nl_rule_change(nl, true, &r);
	}
	return nl_batch_commit(nl) == 0 ? 0 : -1;
}

/* The rules of one hub NIC towards the spokes that refuse forwarded traffic. */
static void
peer_rules(struct nl *nl, const struct topo_nic *nic)
{
	const struct topo_vnet *hub = nic->subnet->vnet, *s;
	struct nl_rule r;
	char ifn[16];
	size_t i, k;

	snprintf(ifn, sizeof(ifn), "n%u", nic->idx);
	memset(&r, 0, sizeof(r));
	r.iif = ifn;
	r.prio = POLICY_PEER_PRIO;
	r.action = NL_RULE_LOOKUP;
	r.table = LAB_DELIVERY_TABLE;
	for (k = 0; k < hub->nspace; k++) {
		r.src = hub->space[k];
		(void)nl_rule_change(nl, true, &r);
	}
	memset(&r.src, 0, sizeof(r.src));
	r.prio = POLICY_PEER_PRIO + 1;
	r.action = NL_RULE_BLACKHOLE;
	for (i = 0; i < hub->nspokes; i++) {
		if (!refuses_forwarded(s = hub->spokes[i], hub))
			continue;
		for (k = 0; k < s->nspace; k++) {
			r.dst = s->space[k];
			(void)nl_rule_change(nl, true, &r);
		}
	}
}

int
policy_fabric_install(struct nl *nl, const struct topo *t)
{
	const struct topo_vnet *hub;
	size_t i, k;
	bool any;

	nl_batch_begin(nl);
	for (i = 0; i < t->nnics; i++) {
		/* a hand-built topology (unit tests) may leave out the VNets */
		hub = t->nics[i]->subnet->vnet;
		if (hub == NULL || !hub->hub ||
		    t->nics[i]->node->kind == TOPO_GW)
			continue;
		for (k = 0, any = false; k < hub->nspokes; k++)
			any |= refuses_forwarded(hub->spokes[k], hub);
		if (any)
			peer_rules(nl, t->nics[i]);
	}
	return nl_batch_commit(nl) == 0 ? 0 : -1;
}
