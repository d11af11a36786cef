/*
 * policy: what may cross a node or a peering besides routing. An NVA's
 * forwarding filter (topology "filter": first matching rule wins, no match
 * forwards) and a spoke peering's allowForwardedTraffic. The pure half says
 * which rule a packet matches and whether a peering takes it (the predicted
 * walk); the kernel half (emu/policyrules.h) installs the same decisions
 * as policy routing rules when a lab is built, in the namespaces that die
 * with the lab.
 */
#ifndef ARSEMU_EMU_POLICY_H
#define ARSEMU_EMU_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "../../topo/topo.h"

/* What a filter looks at: addresses, IP protocol (1, 6, 17), dest port. */
struct policy_pkt {
	uint32_t	src, dst;
	uint8_t		proto;
	uint16_t	dport;		/* TCP and UDP; 0 otherwise */
};

/* The first rule of v's filter that p matches, or NULL (forwarded). */
const struct topo_filter *policy_filter_match(const struct topo_nva *v,
	    const struct policy_pkt *p);
/* "deny tcp 10.2.0.0/16 -> 10.3.0.0/16 port 80" */
const char *policy_filter_str(const struct topo_filter *f, char *buf, size_t len);

/*
 * The spoke whose peering refuses a packet from source address src that the
 * fabric takes in from NIC `from` and delivers over the peering to NIC `to`
 * (allow_forwarded_traffic false, see policy.c), or NULL if it passes.
 */
const struct topo_vnet *policy_peering_refuses(const struct topo_nic *from,
	    const struct topo_nic *to, uint32_t src);

/*
 * Spoke `to` refuses traffic forwarded to it by a NIC of `from` over their
 * peering: towards a hub, the spoke's allow_forwarded_traffic (PE-02);
 * towards a peered spoke, its side's of that peering (PE-07, PE-08).
 */
bool	policy_refuses_forwarded(const struct topo_vnet *to,
	    const struct topo_vnet *from);

#endif
