/*
 * fail: the kernel side of fault injection (fault.c decides what to do):
 * blackhole a NIC, cut a gateway link, move a node's local rule.
 */
#ifndef ARSEMU_EMU_FAIL_H
#define ARSEMU_EMU_FAIL_H

#include <stdbool.h>
#include <stddef.h>

#include "../topo/topo.h"

/* Blackhole (on) or restore a NIC in both directions. */
int	fail_blackhole(const char *lab, const struct topo_nic *nic, bool on,
	    char *err, size_t len);
/* "A/B" (either order): the gateway link between nodes A and B, or NULL. */
const struct topo_gwlink *fail_gwlink_find(const struct topo *t,
	    const char *target);
/* Cut (on) or mend a gateway link at both ends. */
int	fail_gwlink(const char *lab, const struct topo_gwlink *l, bool on,
	    char *err, size_t len);
/* Move node's local-table rule after the cuts (late) or back to 0. */
int	fail_local_late(const char *lab, const struct topo_node *n, bool late,
	    char *err, size_t len);

#endif
