/*
 * policyrules: the kernel side of policy (see model/policy.c for what the
 * rules mean). Owns writing an NVA's filter and the hubs' forwarded-traffic
 * rules as policy routing rules. Must not: decide what a filter or a
 * peering allows; that is model/policy.c's, shared with the walk.
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
		if (!policy_refuses_forwarded(s = hub->spokes[i], hub))
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
			any |= policy_refuses_forwarded(hub->spokes[k], hub);
		if (any)
			peer_rules(nl, t->nics[i]);
	}
	return nl_batch_commit(nl) == 0 ? 0 : -1;
}
