/*
 * bgpconf: a speaker node's BGP configuration from the topology (see
 * bgpconf.c); pure, shared by the lab daemon and `arsemu plan`.
 */
#ifndef ARSEMU_EMU_BGPCONF_H
#define ARSEMU_EMU_BGPCONF_H

#include <stdbool.h>

#include "../../bgp/bgp.h"
#include "../../topo/topo.h"

/*
 * The BGP configuration of one speaker node (a Route Server instance or a
 * built-in NVA), as the topology describes it. -1 if the node runs none.
 * orig_comm and each policy's communities point into the topology: keep
 * it while the configuration is in use.
 */
int	emu_bgp_conf(const struct topo *t, const struct topo_node *n,
	    const char *ctl_path, struct bgp_conf *c);
/* What emu_bgp_conf allocated (the originated prefixes and their policies,
 * an MSEE's tags). */
void	emu_bgp_conf_free(struct bgp_conf *c);
/*
 * Whether node n runs a BGP speaker: Route
 * Server and gateway instances, NVAs, MSEEs, and a site's edge when a
 * gateway connects it over BGP.
 */
bool	emu_has_speaker(const struct topo *t, const struct topo_node *n);

#endif
