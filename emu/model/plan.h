/*
 * plan: `arsemu plan`'s core. The Route Server outcome of a topology,
 * predicted without a lab: every Route Server instance and NVA gets the BGP
 * configuration the live lab would start it with (bgpconf.c), bgp_sim runs
 * the speaker's own policy and decision code on it, and the instances of a
 * hub are merged as the lab daemon merges them (sdn_merge_instances). The
 * result is the sdn_input that sdn_effective() takes, as in the live lab.
 * Gateways learn their sites' prefixes with the path the site sends (behind
 * 12076 over ExpressRoute, from the heaviest circuit first: GW-09); no BGP
 * runs for them. When an NVA peers with the Route Servers of two VNets
 * (PE-06), the instances and the NVAs between them are run in rounds, each
 * speaker holding what the others sent it in the round before, until that
 * settles.
 *
 * Pure: no I/O.
 */
#ifndef ARSEMU_EMU_PLAN_H
#define ARSEMU_EMU_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../topo/topo.h"
#include "sdn.h"

/* What one Route Server instance's peering would come to. */
struct plan_peering {
	const struct topo_node	*instance;	/* <hub>-rs0 or -rs1 */
	const struct topo_nva	*nva;
	bool			 established;
	bool			 over_limit;	/* RS-40: reset, routes dropped */
	size_t			 received;
	size_t			 accepted;
	uint32_t		 addr;		/* the peer's address */
	/* plan_run_routes only (else NULL, 0): sorted prefixes */
	struct pfx4		*learned;	/* accepted from the peer */
	size_t			 nlearned;
	struct pfx4		*advertised;	/* sent to the peer */
	size_t			 nadvertised;
};

struct plan {
	struct sdn_input	 in;		/* per t->rss[i], per t->gws[i] */
	struct plan_peering	*peerings;
	size_t			 npeerings;
	bool			 routes;	/* plan_run_routes */
};

void	plan_run(const struct topo *t, struct plan *p);
/*
 * plan_run, and each peering's learned and advertised prefixes too (what
 * `rs HUB learned|advertised PEER` would list): `arsemu diff` compares them.
 */
void	plan_run_routes(const struct topo *t, struct plan *p);
void	plan_free(struct plan *p);

#endif
