/*
 * walkstep.h: what a walk's hop asks of the objects on its way, kept out
 * of walk.c: a packet's IP protocol number, its form for an NVA's filter
 * (policy.h), the NSGs it crosses between two NICs (nsg.h), which next
 * hops a NIC reaches (kroute.h), a peering's and a NIC's refusals.
 */
#ifndef ARSEMU_WALKSTEP_H
#define ARSEMU_WALKSTEP_H

#include <stdbool.h>
#include <stdint.h>

#include "policy.h"
#include "walk.h"

/* IPPROTO_ICMP, _UDP or _TCP */
uint8_t	walk_ipproto(enum walk_proto p);
/* the packet as an NVA's filter (policy.h) reads it */
void	walk_policy_pkt(const struct walk_pkt *p, struct policy_pkt *q);
/*
 * NS-04: the packet leaves NIC `from` (its NSGs outbound) and, unless it
 * goes to the Internet (to == NULL), enters NIC `to` (inbound). True if an
 * NSG denies it: the walk's outcome, and a note in hop h.
 */
bool	walk_nsg_denies(const struct walk_env *e, const struct topo_nic *from,
	    const struct topo_nic *to, const struct walk_pkt *pkt,
	    struct walk *w, struct walk_hop *h);

/*
 * PE-08, PE-01: into m, the next hops of r that NIC from reaches (its VNet
 * or a directly peered one: the fabric's route holds only those,
 * kroute.h); none: r's first alone, whose failure then says why.
 */
unsigned walk_reachable_nh(const struct topo *t, const struct topo_nic *from,
	    const struct sdn_route *r, uint32_t *m);
/*
 * PE-08, PE-01: true if next, the NIC a route of prefix pfx sends to, is
 * out of NIC from's reach: the walk's outcome (blackholed) and detail.
 */
bool	walk_out_of_reach(const struct topo *t, const struct topo_nic *from,
	    const struct topo_nic *next, const struct pfx4 *pfx,
	    struct walk *w);
/*
 * PE-02, PE-08: true if the peering into the VNet of NIC `to` refuses
 * what NIC `from` forwards from src: the walk's outcome and detail.
 */
bool	walk_peering_refuses(const struct topo_nic *from,
	    const struct topo_nic *to, uint32_t src, struct walk *w);
/*
 * NV-03, NV-05: the NIC node n's guest sends dst out of: the longest of its
 * guest routes (topo_node_egress_len), unless a BGP NVA learned a longer
 * prefix holding dst from its Route Servers (e->bgp->nvas, plan.c): then
 * its primary NIC, where its speaker installs what it learns. A tie is the
 * guest's own route's (metric 0 against the speaker's 20).
 */
const struct topo_nic *walk_egress(const struct walk_env *e,
	    const struct topo_node *n, uint32_t dst);
/* When a learned prefix chose the NIC (NV-05), hop h's how says which. */
void	walk_egress_note(const struct walk_env *e, const struct topo_node *n,
	    uint32_t dst, struct walk_hop *h);
/*
 * NV-02: IP forwarding, per NIC. An NVA's NIC without it drops what it
 * receives for another address (in: the NIC the packet came in by, NULL
 * if none) and what it sends from another address (out). True if one
 * does: the walk's outcome (not forwarded by the guest; or blackholed,
 * forwarded by the guest and dropped by the fabric) and detail.
 */
bool	walk_fwd_drops(const struct topo_node *n, const struct topo_nic *in,
	    const struct topo_nic *out, const struct walk_pkt *pkt,
	    struct walk *w);

#endif
