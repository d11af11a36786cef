/*
 * labup: bring a lab up and ask its daemon how it is.
 */
#ifndef ARSEMU_EMU_LABUP_H
#define ARSEMU_EMU_LABUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../topo/topo.h"

struct emu_status {
	unsigned	sessions;	/* Route Server peerings */
	unsigned	established;
	bool		converged;	/* every session Established, EoR seen */
	unsigned	failures;	/* `fail`s not restored yet */
	uint64_t	now;		/* the daemon's mono_ms() */
	uint64_t	last_change;	/* last fabric change, mono_ms() */
};

/* Ask the lab daemon for its status; -1 if it does not answer. */
int	emu_lab_status(const char *lab, struct emu_status *st);
/*
 * Build the lab of `t` (its name is the lab's), start its daemon and wait
 * up to wait_s for BGP to converge. 0 converged; 1 up but not converged
 * (err says so); -1 failed and torn down (err says why).
 */
int	emu_lab_up(const struct topo *t, const char *file, int wait_s, bool tty,
	    char *err, size_t len);

#endif
