/*
 * diffroutes: the route comparison of `arsemu diff` (diff.h), per subnet,
 * with the effective tables the two reachability matrices compute.
 *
 * A subnet's table of examples/azure-limits.json holds about 10,500 routes
 * (1.7 MB); 501 subnets in each revision. The matrices (reach.c, one thread
 * a revision) compute every subnet's table that a walk reads, the source
 * subnets' all among them; computing them again here doubled that work.
 * So the comparison takes them from the matrices (reach_opts.table_cb):
 * the first revision's table of a subnet to arrive is copied and held
 * until the other revision's arrives, and the two are compared then, on
 * the thread that brought the second. Holding every table until the end
 * would take 1.7 GB there; the two matrices walk their classes in the same
 * order, so few are held at once, and at most DIFF_TABLES_HELD: when one
 * matrix runs ahead that far, it waits for the other (which brings the
 * partners of what is held, or ends); a table that finds no room and may
 * not wait is not held, and a subnet not compared when the matrices are
 * done (no walk read its table in one revision, or no room) is computed
 * here then, with sdn_effective_by_prefix as before. Either
 * way a subnet's routes are sdn.c's, in the same order: the result does not
 * depend on which thread brought what.
 *
 * Internal to diff.c. Pure: no I/O.
 */
#ifndef ARSEMU_EMU_DIFFROUTES_H
#define ARSEMU_EMU_DIFFROUTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diff.h"

/* Tables held at once, waiting for the other revision's: 27 MB there. */
#define DIFF_TABLES_HELD	16

struct diff_routes;

/* The subnets of a (old) and b (new) paired by name; nothing computed yet. */
struct diff_routes *diff_routes_start(const struct topo *a,
	    const struct plan *pa, const struct topo *b, const struct plan *pb);
/* reach_opts.table_arg for revision i (0: a, 1: b), with table_cb below. */
void	*diff_routes_arg(struct diff_routes *x, int i);
/*
 * reach_opts.table_cb: thread-safe; copies what it keeps. With no room to
 * hold a table, it may wait for the other revision's matrix (see
 * diffroutes.c's should_wait()).
 */
void	 diff_routes_table(void *arg, const struct topo_nic *nic,
	    const struct sdn_table *tab, const uint32_t *by_prefix);
/*
 * Revision i's matrix runs (begin: both before either starts) and is over
 * (end: on its thread, or when it gets none and runs later, alone).
 */
void	 diff_routes_begin(struct diff_routes *x, int i);
void	 diff_routes_end(struct diff_routes *x, int i);
/*
 * Once no table_cb runs any more: the subnets not compared yet, then every
 * subnet's difference into d->groups (new's order, then old's gone ones),
 * d->subnets, d->unchanged and the table counts; frees x.
 */
void	 diff_routes_finish(struct diff_routes *x, struct diff *d);

/* Shared with diff.c. */
bool	 diff_same_subnet(const struct topo_subnet *a,
	    const struct topo_subnet *b);
struct sdn_route *diff_routes_copy(const struct sdn_route *v, size_t n);
void	 diff_group_fini(struct diff_group *g);

#endif
