/*
 * lb: which backend of an internal load balancer takes a flow (LB-06,
 * docs/rules.md). Pure: the same function for `plan`/`walk --offline` and
 * for the live lab, whose fabric computes the same hash in the kernel
 * (nftables' jhash, with LB_HASH_SEED; emu/lablb.c writes the rules).
 *
 * A flow's first packet picks backend healthy[h], where healthy lists the
 * backends in rotation in pool order and h = jhash(key, seed) scaled to
 * their number as the kernel's reciprocal_scale() does; key is the
 * packet's source and destination addresses, then, for TCP and UDP, its
 * source and destination ports, each port in a 4-byte word (network
 * order, then two zero bytes), as nftables lays out "ip saddr . ip daddr
 * . th sport . th dport" in its registers. The fabric keeps the choice in
 * the flow's conntrack entry, so the reply of a flow takes the same backend
 * (lb_pick with reply set computes it: the forward tuple's choice).
 */
#ifndef ARSEMU_EMU_MODEL_LB_H
#define ARSEMU_EMU_MODEL_LB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../topo/topo.h"

#define LB_HASH_SEED	0x4152534cu	/* "ARSL": fixed, so it is predictable */

/* A packet as the load balancer sees it (addresses and ports host order). */
struct lb_flow {
	uint32_t	src, dst;
	uint8_t		proto;		/* IPPROTO_* */
	uint16_t	sport, dport;	/* TCP and UDP only */
};

/* The kernel's jhash() (Bob Jenkins' lookup3, include/linux/jhash.h). */
uint32_t lb_jhash(const void *key, uint32_t len, uint32_t initval);
/* The kernel's reciprocal_scale(): val scaled into [0, n). */
uint32_t lb_scale(uint32_t val, uint32_t n);
/* jhash of the flow's key with LB_HASH_SEED, as the fabric's rule hashes it. */
uint32_t lb_flow_hash(const struct lb_flow *f);
/*
 * Whether a rule of lb takes the flow: HA ports take every TCP and UDP
 * flow, and (arsemu's choice, LB-02) every other protocol by its
 * addresses; port rules their protocol and port. *rule: the rule, NULL for
 * HA ports.
 */
bool	lb_takes(const struct topo_lb *lb, const struct lb_flow *f,
	    const struct topo_lb_rule **rule);
/*
 * The index in lb->backends of the backend that takes the flow, or -1
 * (no rule takes it, or no backend is healthy). healthy[i] for each
 * backend (NULL: all are); reply: f is a reply of the flow f reversed.
 */
int	lb_pick(const struct topo_lb *lb, const bool *healthy,
	    const struct lb_flow *f, bool reply);

#endif
