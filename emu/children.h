/*
 * children: the lab daemon's child processes, one BGP speaker for every
 * node that runs one (`arsemu _speaker`, or an NVA's FRR or BIRD:
 * nvad.c), each started in its node's namespace, its PID recorded in the
 * lab state, reaped and journalled when it exits, restarted on request.
 * Owns: the children and their PIDs. Must not: decide when a child fails
 * or comes back (fault.c asks).
 */
#ifndef ARSEMU_EMU_CHILDREN_H
#define ARSEMU_EMU_CHILDREN_H

#include <sys/types.h>
#include <stddef.h>

#include "../topo/topo.h"
#include "journal.h"

struct child {
	const struct topo_node	*node;
	pid_t			 pid;
	int			 status;	/* -1 while running */
};

struct children {
	const char		*lab;
	const struct topo	*t;
	const char		*exe;		/* this program */
	const char		*dir;		/* the lab's directory */
	struct journal		*j;
	struct child		*v;
	size_t			 n;
};

void	children_init(struct children *c, const char *lab,
	    const struct topo *t, const char *exe, const char *dir,
	    struct journal *j);
/*
 * Every node's speaker, the Azure side first (and until each listens, at
 * most 3 s): a first connection that finds nothing listening waits
 * ConnectRetry. -1 if one cannot be started.
 */
int	children_start(struct children *c);
/* waitpid() every child that exited, without waiting. */
void	children_reap(struct children *c);
struct child *children_find(struct children *c, const struct topo_node *n);
/* Start k again once it has exited (waits up to 1 s for that). */
int	children_respawn(struct children *c, struct child *k);
/* SIGTERM to every child, SIGKILL after a grace period; reaped. */
void	children_stop(struct children *c);
void	children_free(struct children *c);

#endif
