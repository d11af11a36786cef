/*
 * fault: the lab daemon's fault injection, `fail TARGET KIND` and
 * `restore TARGET` (TARGET a node or a gateway link "A/B"):
 *   crash     the speaker is killed (SIGKILL): the kernel closes its TCP
 *             sessions, the NVA's kernel keeps forwarding
 *   shutdown  the speaker stops gracefully (SIGTERM: Cease, RFC 4486/8203)
 *   freeze    the VM hangs: speaker stopped (SIGSTOP) and its NIC
 *             blackholed; only the hold timer can notice
 *   link      the NIC is blackholed, the speaker runs on; for "A/B", the
 *             link (an ER circuit's hop, a VPN tunnel) is cut at both ends
 *   down      the node is powered off: NIC and every gateway link cut
 *             first, then the speaker killed, so no FIN gets out
 *   probe     the service a load balancer's health probe checks stops in
 *             the backend (LB-05: lbhealth.c); the node forwards on
 * The kernel side is fail.c's; the speakers are children.c's.
 * Owns: the failures not restored yet. Must not: format control replies.
 */
#ifndef ARSEMU_EMU_FAULT_H
#define ARSEMU_EMU_FAULT_H

#include <stddef.h>
#include <stdint.h>

#include "../topo/failkind.h"
#include "../topo/topo.h"
#include "children.h"
#include "journal.h"
#include "lbhealth.h"

struct failure {
	const struct topo_node	*node;		/* NULL for a gateway link */
	const struct topo_gwlink *link;		/* "A/B": the link between A and B */
	enum fail_kind		 kind;
	char			 target[2 * TOPO_NAME_MAX + 2];
};

struct faults {
	const char		*lab;
	const struct topo	*t;
	struct journal		*j;
	struct children		*kids;
	struct lbhealth		*lbh;		/* "probe": set by the daemon */
	struct failure		*v;
	size_t			 n;
};

void	faults_init(struct faults *fs, const char *lab, const struct topo *t,
	    struct children *kids, struct journal *j);
void	faults_free(struct faults *fs);
/*
 * Fail target as kind. 0 done; -1 refused or failed,
 * err says why. *t0: when the change began (a drill counts what is lost
 * from the moment its first netlink request took effect).
 */
int	fault_fail(struct faults *fs, const char *target, enum fail_kind kind,
	    uint64_t *t0, char *err, size_t len);
int	fault_restore(struct faults *fs, const char *target, uint64_t *t0,
	    char *err, size_t len);

#endif
