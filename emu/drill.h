/*
 * drill runner: brings a drill's lab up, runs its traffic and steps, reads
 * the journal, the route servers' logs and the probes' records, and fills a
 * report that the CLI prints (text or JSON). See man/arsemu-drill.5.
 */
#ifndef ARSEMU_EMU_DRILL_H
#define ARSEMU_EMU_DRILL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../topo/drill.h"

struct drill_event {
	long	 t_ms;		/* since the drill started */
	char	*source;	/* "daemon", "hub-rs0", "drill" */
	char	*text;
};

struct drill_window {
	long	 start_ms;	/* since the drill started */
	long	 len_ms;
	unsigned lost;
};

struct drill_flow {
	const struct drill_traffic *traffic;
	unsigned	 flow;
	unsigned	 sent, received, lost;
	long		 loss_ms;	/* all windows together */
	struct drill_window *w;
	size_t		 nw;
};

struct drill_step_result {
	const struct drill_step *step;
	long		 t_ms;		/* when it ran */
	bool		 ok;
	char		 note[256];	/* what was seen, or why it failed */
	long		 convergence_ms;	/* fail/restore: -1 if no route changed */
};

struct drill_expect_result {
	const struct drill_expect *expect;
	bool		 ok;
	long		 measured;
	char		 note[256];
};

struct drill_report {
	char		 lab[64];
	bool		 ok;
	long		 duration_ms;
	struct drill_event	*ev;
	size_t		 nev;
	struct drill_flow	*flows;
	size_t		 nflows;
	struct drill_step_result *steps;
	size_t		 nsteps;
	struct drill_expect_result *expects;
	size_t		 nexpects;
};

/*
 * Run the drill in a lab named `lab`. Returns 0 when it ran (rep->ok says
 * whether every step and expectation held), -1 with err set when it could
 * not run (bad reference, lab failed to come up). The lab is torn down
 * unless keep.
 */
int	emu_drill_run(const struct drill *d, const char *lab, bool keep,
	    bool tty, struct drill_report *rep, char *err, size_t len);
void	emu_drill_report_free(struct drill_report *rep);

#endif
