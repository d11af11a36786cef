/*
 * bgpconf: the glue from topology to BGP configuration, and where a lab's
 * processes listen.
 */
#ifndef ARSEMU_EMU_BGPCONF_H
#define ARSEMU_EMU_BGPCONF_H

#include <stddef.h>

#include "../bgp/bgp.h"
#include "../topo/topo.h"

/*
 * The BGP configuration of one speaker node (a Route Server instance or a
 * built-in NVA), as the topology describes it. -1 if the node runs none.
 * Frees nothing: originate/orig_comm point into the topology.
 */
int	emu_bgp_conf(const struct topo *t, const struct topo_node *n,
	    const char *ctl_path, struct bgp_conf *c);
/* What emu_bgp_conf allocated (the originated prefixes, an MSEE's tags). */
void	emu_bgp_conf_free(struct bgp_conf *c);
/* "<labdir>/<node>.sock" */
char	*emu_speaker_sock(const char *lab, const char *node, char *buf, size_t len);
/* "<labdir>/ctl.sock" */
char	*emu_daemon_sock(const char *lab, char *buf, size_t len);

#endif
