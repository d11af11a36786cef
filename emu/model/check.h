/*
 * check: `arsemu check`'s core. A suite (topo/suite.h) evaluated against a
 * topology offline: every assertion resolved first (a name the topology
 * does not hold is an error at the value's JSON path: the suite is bad,
 * nothing is evaluated), then each held or failed, with what was expected
 * and what was seen, from the model's own code only:
 *   - routes: sdn_effective() of the NIC, or of each subnet's first NIC
 *     (every NIC of a subnet has the subnet's routes: plangroup.h);
 *   - walk: walk_predict() on plan_run()'s tables, as `arsemu walk
 *     --offline`; symmetric: the return walk crosses the forward walk's
 *     NVAs in the opposite order;
 *   - policy: reach_run() between the groups (reach.h's syntax): inspect,
 *     every delivered flow crosses one of the nodes; egress, the same to
 *     the Internet; isolated, no flow is delivered either way;
 *   - bgp: plan_run_routes()'s peerings of the hub's Route Server with the
 *     NVA: established (configured, and within the route limit), learned
 *     and advertised prefixes;
 *   - diff: diff_run() from the base topology (suite_load_bases loaded it)
 *     to t: every changed effective route's prefix, and every changed
 *     reachability row's destination range, inside one of the prefixes.
 *
 * Pure: no I/O.
 */
#ifndef ARSEMU_EMU_CHECK_H
#define ARSEMU_EMU_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "../../topo/suite.h"
#include "../../topo/topo.h"
#include "plan.h"
#include "walk.h"

#define CHECK_TEXT	512

struct check_result {
	const struct suite_assert *a;
	bool		 held;
	char		 expected[CHECK_TEXT];
	char		 seen[CHECK_TEXT];
};

/* Every name of the suite against t: 0, or -1 with err at its JSON path. */
int	check_resolve(const struct topo *t, const struct suite *s,
	    struct topo_err *err);
/* Whether the suite asks for learned or advertised prefixes (plan_run_routes). */
bool	check_needs_routes(const struct suite *s);
/*
 * Evaluate a resolved suite with the plan p of t (plan_run_routes when
 * check_needs_routes): out[i] for s->asserts[i]. Returns the failures.
 */
size_t	check_run(const struct topo *t, const struct plan *p,
	    const struct suite *s, struct check_result *out);

/*
 * For the live check: a routes assertion against one NIC's table (where:
 * its name), failures appended to res->seen; and the offline walk of a
 * packet from src, on p's tables (flow 0, as reach walks).
 */
void	check_routes_table(const struct suite_assert *a,
	    const struct sdn_table *tab, const char *where,
	    struct check_result *res);
void	check_predict(const struct topo *t, const struct plan *p,
	    const struct topo_node *src, const struct walk_pkt *pkt,
	    struct walk *w);

/* A table's digest as a suite records it: sdn_table_hash, 16 hex digits. */
void	check_digest(const struct sdn_table *tab, char buf[17]);

#endif
