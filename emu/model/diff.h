/*
 * diff: what a change of topology does, from two revisions' plans
 * (`arsemu diff OLD NEW`): the effective routes added, removed and changed
 * per subnet, grouped; the Route Server peerings' learned and advertised
 * prefixes; the NICs and lint warnings that come or go.
 *
 * A subnet is identified by its VNet's and its own name, a NIC and a
 * peering (Route Server instance, peer node) by name. Every NIC of a
 * subnet has the subnet's effective routes (sdn_effective reads only the
 * subnet), so a subnet is compared once, from one NIC's table (the
 * table a reachability matrix computed, else its first NIC's); a subnet
 * without a NIC has no effective routes to show and is not compared.
 * Subnets whose difference is the same (same prefixes, same routes before
 * and after) form one group: a change of a route table shared by 500
 * spokes is one group of 500, not 500 reports. Warnings are compared as
 * text (they name JSON paths, so a warning whose path moves counts as gone
 * and new).
 *
 * Reachability (Batfish's differential reachability): both revisions'
 * matrices as `arsemu reach` computes them (reach.h), with the same cuts
 * (the union of both revisions') and the same services (those both
 * revisions' filters name), so that their classes correspond. A class of
 * the new revision is compared with the old revision's class that holds
 * its first member (by name, in the same subnet or site); the Internet
 * with the Internet. Class pairs present in both are compared service by
 * service, outcome and hops by name; endpoints of one revision only show
 * as NICs added or removed, not here. The changed rows are grouped by
 * their change: outcome and transit hops (the path without its source and,
 * when delivered, its destination) before and after.
 *
 * Pure: no I/O. The result points into both topologies (names, UDR names):
 * free it before them.
 */
#ifndef ARSEMU_EMU_DIFF_H
#define ARSEMU_EMU_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../topo/topo.h"
#include "plan.h"
#include "reach.h"
#include "sdn.h"

enum diff_kind {
	DIFF_ADDED,		/* only in the new revision */
	DIFF_REMOVED,		/* only in the old one */
	DIFF_CHANGED,		/* in both, different */
};

/*
 * One prefix of a subnet's effective routes whose routes differ: every
 * route at the prefix, before (old) and after (new), in az's order at it;
 * a difference of next hop type, next hop addresses, state (Active,
 * Invalid), source or UDR name.
 */
struct diff_prefix {
	struct pfx4		 pfx;
	enum diff_kind		 kind;		/* ADDED: nold 0; REMOVED: nnew 0 */
	struct sdn_route	*old, *new;	/* copies, malloc'd */
	size_t			 nold, nnew;
};

/* A subnet of a group: names from the new revision (old when removed). */
struct diff_member {
	const char		*vnet;
	const char		*subnet;
	size_t			 nnics;
};

/* Subnets with the same difference (kind: the subnets' own). */
struct diff_group {
	enum diff_kind		 kind;
	struct diff_member	*members;
	size_t			 nmembers;
	size_t			 nnics;		/* over the members */
	struct diff_prefix	*prefixes;	/* sorted by prefix */
	size_t			 nprefixes;
	uint64_t		 hash;		/* of kind and prefixes */
};

/*
 * A NIC in one revision only, or in another subnet there (removed from
 * the old one, added to the new one). set: its entry in diff.nicsets.
 */
struct diff_nic {
	const char		*name;
	const char		*vnet, *subnet;
	enum diff_kind		 kind;		/* ADDED or REMOVED */
	size_t			 set;
};

/*
 * The NICs added to (or removed from) one subnet, with their effective
 * routes (the subnet's, in that revision, in az's order) once for all.
 */
struct diff_nicset {
	enum diff_kind		 kind;
	const char		*vnet, *subnet;
	size_t			 nnics;
	struct sdn_route	*routes;	/* copies, malloc'd */
	size_t			 nroutes;
};

/* Prefixes that came (added) and went (removed), each sorted. */
struct diff_pfxset {
	struct pfx4		*added, *removed;
	size_t			 nadded, nremoved;
};

/* One Route Server peering whose outcome differs (plan_peering's). */
struct diff_peering {
	const char		*instance;	/* "<hub>-rs0" */
	char			 peer[TOPO_NAME_MAX + 1 + ADDR_STRLEN];	/* node name or address */
	enum diff_kind		 kind;
	bool			 old_up, new_up;	/* established */
	bool			 old_over, new_over;	/* RS-40 */
	size_t			 old_accepted, new_accepted;
	struct diff_pfxset	 learned;
	struct diff_pfxset	 advertised;
};

/* One side of a reachability row: outcome, whole path, transit hops. */
struct diff_reach_end {
	enum walk_outcome	 outcome;
	char			*outcome_str;	/* with the rule or peering */
	char			*path;		/* "a > b > internet" */
	char			*via;		/* transit hops; "" when none */
};

/* A class pair and the services whose result changed alike. */
struct diff_reach_row {
	char			*from, *to;	/* class names, new revision's */
	struct pfx4		 to_range;	/* the Internet: 0.0.0.0/0 */
	size_t			 sources, destinations, pairs;
	char			*services;	/* "tcp/22,icmp", "any", "all" */
	struct diff_reach_end	 before, after;
};

/* Rows [first, first + nrows) of diff.reach_rows with the same change. */
struct diff_reach_group {
	size_t			 first, nrows;
	size_t			 pairs;		/* endpoint pairs, over the rows */
};

struct diff {
	/* in the new revision's subnet order, the removed subnets last */
	struct diff_group	*groups;
	size_t			 ngroups;
	size_t			 subnets;	/* compared (with a NIC, in either) */
	size_t			 unchanged;	/* of those, without a difference */
	struct diff_nic		*nics;		/* by name */
	size_t			 nnics;
	struct diff_nicset	*nicsets;	/* in order of their first NIC */
	size_t			 nnicsets;
	struct diff_peering	*peerings;
	size_t			 npeerings;
	const char		**lint_new;	/* warnings of new not in old */
	size_t			 nlint_new;
	const char		**lint_gone;	/* of old not in new */
	size_t			 nlint_gone;
	/* by group, in order of each group's first class pair in new's order */
	struct diff_reach_row	*reach_rows;
	size_t			 nreach_rows;
	struct diff_reach_group	*reach_groups;
	size_t			 nreach_groups;
	size_t			 reach_compared;	/* class pairs in both */
	size_t			 reach_walks;		/* over both revisions */
	/* the route comparison's tables (diffroutes.h): not printed */
	size_t			 tables_shared;		/* the matrices' */
	size_t			 tables_computed;	/* its own */
};

/*
 * The difference from (a, pa) to (b, pb). The plans come from
 * plan_run_routes (plan_run: the peerings' prefixes are not compared);
 * the warnings are those in a->warnings and b->warnings (topo_lint ran).
 * The plans' hub-choice memos are filled (sdn_memo_fill) so that the two
 * reachability matrices run on two threads, the route comparison on them
 * with the tables they compute (diffroutes.h); the plans are otherwise
 * only read.
 */
void	diff_run(const struct topo *a, struct plan *pa,
	    const struct topo *b, struct plan *pb, struct diff *d);
/* Whether anything differs. */
bool	diff_changed(const struct diff *d);
void	diff_free(struct diff *d);
const char *diff_kind_str(enum diff_kind k);

#endif
