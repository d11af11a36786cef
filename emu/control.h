/*
 * control: the lab daemon's control socket, <labdir>/ctl.sock, served by
 * lib/ctlsrv (no client can hold the loop up), one request a connection:
 *   routes NIC              the rows `arsemu routes` prints (sdnrow.c)
 *   status                  speakers, sessions, failures, clock, converged
 *   fail TARGET KIND        fault.c
 *   restore TARGET          fault.c
 * Each reply is rows of tab-separated fields, then ".".
 * Owns: the server. Must not: change what it reports on (it asks the
 * components that own it).
 */
#ifndef ARSEMU_EMU_CONTROL_H
#define ARSEMU_EMU_CONTROL_H

#include "../lib/ctlsrv.h"
#include "../topo/topo.h"
#include "children.h"
#include "fault.h"
#include "journal.h"
#include "sync.h"
#include "watch.h"

struct lbhealth;

struct control {
	const char		*lab;
	const struct topo	*t;
	struct journal		*j;
	struct children		*kids;
	struct watches		*ws;
	struct sync		*sync;
	struct faults		*faults;
	struct ctlsrv		*srv;
	struct lbhealth		*lbh;		/* load balancers' backends */
};

/* Listen on the lab's control socket; -1 (journalled) if it cannot. */
int	control_open(struct control *c);
void	control_close(struct control *c);
/*
 * What status's "converged" asks of BGP, without the fabric: every
 * session Established with its End-of-RIB received (or expected down),
 * every Route Server and gateway stream synced. It asks each speaker
 * (blocking, at most 1 s each).
 */
bool	control_settled(struct control *c);

#endif
