/*
 * plangroup: `arsemu plan TOPO --grouped`'s core. The NICs of a topology
 * grouped by their effective route tables: one group per distinct table
 * (same routes, same order, as sdn_table_equal compares them), naming its
 * subnets and NICs. Every NIC of a subnet has the subnet's routes
 * (sdn_effective reads only the subnet, as diff.h says too), so a subnet is
 * computed once, from its first NIC, and subnets of equal tables share a
 * group: the hub's subnets without route tables, say, are one.
 *
 * A table of examples/azure-limits.json holds 10,000 routes (1.7 MB): the
 * groups keep a hash of their table (sdn_table_hash), not the table, and a
 * subnet whose hash equals a group's is compared with the group's first
 * NIC's table, computed again, before it joins. The caller computes a
 * group's table to print it, from g->nics[0], with sdn_effective: the one
 * code the live lab runs.
 *
 * Pure: no I/O. The groups point into the topology: free them before it.
 */
#ifndef ARSEMU_EMU_PLANGROUP_H
#define ARSEMU_EMU_PLANGROUP_H

#include <stddef.h>
#include <stdint.h>

#include "../../topo/topo.h"
#include "plan.h"
#include "sdn.h"

struct plan_group {
	const struct topo_subnet	**subnets;	/* in order of first NIC */
	size_t				 nsubnets;
	const struct topo_nic		**nics;		/* in topology order */
	size_t				 nnics;
	size_t				 nroutes;	/* of the table */
	uint64_t			 hash;		/* sdn_table_hash */
};

struct plan_groups {
	struct plan_group	*v;		/* in order of first NIC */
	size_t			 n;
	size_t			 computed;	/* tables computed, for tests */
};

/* Every NIC of t into exactly one group of out (free with plan_groups_free). */
void	plan_group(const struct topo *t, const struct plan *p,
	    struct plan_groups *out);
void	plan_groups_free(struct plan_groups *g);

#endif
