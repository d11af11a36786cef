/*
 * share: which kernel tables the fabric's NICs look up, so that identical
 * routes are held once (issue 10: 4,000 VMs in 500 spokes must not mean
 * 4,000 copies of 10,000 routes). Pure: no I/O, no netlink; the lab build,
 * the lab daemon and the unit tests call it and must agree. It works on
 * struct kroute (kroute.h), a fabric table's route as the model sees it;
 * fabric.c turns them into netlink routes at the kernel edge.
 *
 * Every NIC of a subnet has the same effective routes (sdn.c reads only the
 * subnet, its VNet and its route table): the subnet is the unit, a "slot".
 * Slots are grouped by what decides everything outside their own address
 * space: the hub they hang from (a hub's own subnets apart from its
 * spokes') and their route table. In the fabric, for NIC i of slot s in
 * group g (lab.h has the numbers):
 *
 *   LAB_RULE_PRIO(i)   iif n<i> lookup LAB_SUBNET_TABLE(s)    D(s)
 *   LAB_THROW_PRIO(i)  iif n<i> to P goto LAB_PATH_PRIO       each P of the
 *                                                             VNet's space
 *   LAB_GROUP_PRIO(i)  iif n<i> lookup LAB_GROUP_TABLE(g)     B(g)
 *   LAB_PATH_PRIO      nop; then policy.c's rules and the delivery table
 *
 * B(g) is the intersection of the kernel tables K(s) of the group's slots
 * (the same prefix with the same route). D(s) is every route of K(s) equal
 * to or inside either a route of K(s) that is not in B(g), or a prefix of
 * the VNet's space (T). A `throw` in K means "to the delivery path".
 * Why a lookup of d gives K's answer q (the longest match in K):
 *  - q in D: D is part of K, so D's longest match is q. A route: done. A
 *    throw: either d is in T and the goto reaches the delivery path, or q
 *    is in B too (share_split makes sure: a throw of K outside T that is
 *    not in B empties the group's B) and B throws it there as well.
 *  - q not in D: no route of D matches d (it would contain q, and q would
 *    be in D), d is not in T (VR-01 puts each prefix of T in K, so q would
 *    lie inside T), and B, a part of K holding q, answers q.
 *  - nothing in K matches: nothing in D, T or B does: the delivery path,
 *    as before tables were shared.
 * test_share.c checks this by lookups against K on every file of examples/
 * (the scale lab's addresses shared out among its slots).
 */
#ifndef ARSEMU_EMU_MODEL_SHARE_H
#define ARSEMU_EMU_MODEL_SHARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../lib/pfx.h"
#include "../../topo/topo.h"
#include "kroute.h"

struct share_layout {
	size_t				 nslots;
	const struct topo_subnet	**slot;		/* [nslots] */
	const struct topo_nic		**rep;		/* [nslots]: its first NIC */
	unsigned			*nnics;		/* [nslots]: NICs in it */
	unsigned			*group;		/* [nslots] */
	size_t				 ngroups;
	unsigned			*nic_slot;	/* [t->nnics] */
};

void	share_layout(const struct topo *t, struct share_layout *l);
void	share_layout_free(struct share_layout *l);

/* The same route: prefix, type, scope, next hops with their flags. */
bool	share_route_equal(const struct kroute *a, const struct kroute *b);

/*
 * *b = *b intersected with k (both sorted by prefix, one route a prefix);
 * with first, *b becomes a copy of k. The caller frees *b.
 */
void	share_intersect(struct kroute **b, size_t *nb,
	    const struct kroute *k, size_t nk, bool first);

/*
 * D of a slot (sorted, the caller frees *d). Returns how many throws of k
 * lie outside T and are not in b (none when b is empty): if any slot of a
 * group has one, that group's B must be empty (and D = K for each slot)
 * for lookups to be exact.
 */
size_t	share_split(const struct kroute *k, size_t nk,
	    const struct kroute *b, size_t nb, const struct pfx4 *t, size_t nt,
	    struct kroute **d, size_t *nd);

/*
 * The same split from a slot's difference to a base table (the group's
 * first slot's), so that a group's tables come from one table and small
 * differences, not from every slot's whole table twice:
 *   share_diff: e = k's routes not in base (as they are), m = prefixes of
 *   base's routes that k lacks or has otherwise; both sorted.
 * B is then base without every slot's m (share_base), and share_split_diff
 * gives what share_split gives for k. The caller frees what they return.
 */
struct share_diff {
	struct kroute	*e;
	size_t		 ne;
	struct pfx4	*m;
	size_t		 nm;
};

void	share_diff(const struct kroute *base, size_t nbase,
	    const struct kroute *k, size_t nk, struct share_diff *out);
void	share_diff_free(struct share_diff *d);
/* b = base without the prefixes in mall (sorted); returns nb. */
size_t	share_base(const struct kroute *base, size_t nbase,
	    const struct pfx4 *mall, size_t nmall, struct kroute **b);
size_t	share_split_diff(const struct kroute *base, size_t nbase,
	    const struct share_diff *sd, const struct pfx4 *mall, size_t nmall,
	    bool b_empty, const struct pfx4 *t, size_t nt, struct kroute **d,
	    size_t *nd);

/* What the fabric does with d for one slot: the route used, or NULL. */
enum share_how {
	SHARE_ROUTE,		/* *route is the one used */
	SHARE_DELIVERY,		/* a throw or a goto: the delivery path */
	SHARE_NONE,		/* no match: the delivery path too */
};
enum share_how share_lookup(const struct kroute *dv, size_t nd,
	    const struct kroute *bv, size_t nb, const struct pfx4 *t, size_t nt,
	    uint32_t d, const struct kroute **route);
/* The longest match of d in v (sorted by prefix), or NULL. */
const struct kroute *share_lpm(const struct kroute *v, size_t n, uint32_t d);

#endif
