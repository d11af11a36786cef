/*
 * nvad: NVAs run by a real BGP daemon instead of the built-in speaker:
 * FRR (zebra and bgpd) or BIRD 2, inside the NVA's namespace, with the
 * user's config file or one rendered from the topology (the same BGP
 * configuration the built-in speaker would get, emu_bgp_conf()).
 *
 * Everything an NVA's daemon keeps lives in <labdir>/nvad/<node>/: its
 * rendered configs, pid files, vty and zserv sockets. Its output goes to
 * <labdir>/log/<node>.log, as a speaker's does.
 *
 * Must not: decide when a daemon starts or stops (the lab daemon does, as
 * for any speaker), nor touch anything outside the lab's directory and the
 * NVA's namespace.
 */
#ifndef ARSEMU_EMU_NVAD_H
#define ARSEMU_EMU_NVAD_H

#include <stdbool.h>
#include <stddef.h>

#include "../topo/topo.h"

/* Is node n an NVA whose BGP runs in FRR or BIRD? */
bool	nvad_external(const struct topo_node *n);
/*
 * Before its process is forked: make the NVA's directory and write its
 * configs (rendered, unless the topology names the user's file). -1 with
 * err set if that cannot be done.
 */
int	nvad_prepare(const char *lab, const struct topo *t,
	    const struct topo_node *n, char *err, size_t len);
/*
 * In the forked child, already inside the NVA's namespace: FRR starts
 * zebra (it dies with bgpd) and becomes bgpd; BIRD becomes bird. Returns
 * only if the daemon could not be started.
 */
void	nvad_exec(const char *lab, const struct topo_node *n);
/*
 * FRR sends no End-of-RIB to a Route Server that does not offer graceful
 * restart, so the lab daemon cannot wait for one from it: a
 * session with an external NVA counts as settled once it has been
 * Established for NVAD_SETTLE_S and (rendered config) the Route Server
 * has received at least the prefixes the NVA originates. peer is the
 * session's peer name; false for anything but an external NVA.
 */
#define NVAD_SETTLE_S	2
bool	nvad_settled(const struct topo *t, const char *peer, unsigned up_s,
	    unsigned received);
/*
 * At `up`, after the lab directory exists: copy every config file the
 * topology names by a relative path to the same relative path under the
 * lab directory, where the lab's saved topology finds it. -1 with err.
 */
int	nvad_stage(const struct topo *t, char *err, size_t len);

#endif
