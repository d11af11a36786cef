/*
 * policyrules: the kernel side of policy (see model/policy.c for what the
 * rules mean). Owns writing an NVA's filter and the forwarded-traffic
 * rules (on a hub's NICs, and a spoke's holding an NVA: PE-08) as policy
 * routing rules. Must not: decide what a filter or a peering allows; that
 * is model/policy.c's, shared with the walk.
 */
#include <stdio.h>
#include <string.h>

#include "lab.h"
#include "nl.h"
#include "model/policy.h"
#include "policyrules.h"

#define POLICY_NVA_PRIO		100u
#define POLICY_PEER_PRIO	29000u	/* after LAB_PATH_PRIO (lab.h) */
#define POLICY_TABLE_MAIN	254u
#define POLICY_LOOPBACK		"lo"

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

/*
 * The rules of one NIC towards the spokes peered with its VNet that refuse
 * forwarded traffic (a hub's, or a spoke's holding an NVA: PE-08).
 */
static void
peer_rules(struct nl *nl, const struct topo *t, const struct topo_nic *nic)
{
	const struct topo_vnet *v = nic->subnet->vnet, *s;
	struct nl_rule r;
	char ifn[16];
	size_t i, k;

	snprintf(ifn, sizeof(ifn), "n%u", nic->idx);
	memset(&r, 0, sizeof(r));
	r.iif = ifn;
	r.prio = POLICY_PEER_PRIO;
	r.action = NL_RULE_LOOKUP;
	r.table = LAB_DELIVERY_TABLE;
	for (k = 0; k < v->nspace; k++) {
		r.src = v->space[k];
		(void)nl_rule_change(nl, true, &r);
	}
	memset(&r.src, 0, sizeof(r.src));
	r.prio = POLICY_PEER_PRIO + 1;
	r.action = NL_RULE_BLACKHOLE;
	for (i = 0; i < t->nvnets; i++) {
		if (!policy_refuses_forwarded(s = t->vnets[i], v))
			continue;
		for (k = 0; k < s->nspace; k++) {
			r.dst = s->space[k];
			(void)nl_rule_change(nl, true, &r);
		}
	}
}

/* Whether some VNet refuses what v's NICs forward into it. */
static bool
any_refuses(const struct topo *t, const struct topo_vnet *v)
{
	size_t i;

	for (i = 0; i < t->nvnets; i++)
		if (policy_refuses_forwarded(t->vnets[i], v))
			return true;
	return false;
}

int
policy_fabric_install(struct nl *nl, const struct topo *t)
{
	const struct topo_vnet *v, *last = NULL;
	size_t i;
	bool any = false;

	nl_batch_begin(nl);
	for (i = 0; i < t->nnics; i++) {
		/* a hand-built topology (unit tests) may leave out the VNets */
		v = t->nics[i]->subnet->vnet;
		if (v == NULL || t->nics[i]->node->kind == TOPO_GW)
			continue;
		if (v != last)
			any = any_refuses(t, v);
		last = v;
		if (any)
			peer_rules(nl, t, t->nics[i]);
	}
	return nl_batch_commit(nl) == 0 ? 0 : -1;
}
