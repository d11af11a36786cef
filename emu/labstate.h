/*
 * labstate: internal to emu/lab*.c. A lab's directory under the run dir,
 * its lock, and its state file: append-only, one object per line, each line
 * written before the object exists, so that the teardown, which works from
 * the file alone, finds everything even after its process was killed. Not
 * fsynced: a killed process's writes are in the page cache, and nothing
 * recorded (namespaces, processes) outlives a machine's crash.
 *
 *   lab <name>		first line
 *   ns <name>		a namespace about to be created
 *   nsfail <name>	its creation failed: it is not ours, leave it alone
 *   pid <pid> <what>	a process of the lab
 */
#ifndef ARSEMU_EMU_LABSTATE_H
#define ARSEMU_EMU_LABSTATE_H

#include <limits.h>

#include "lab.h"

struct labstate {
	char	dir[PATH_MAX];
	int	lockfd;
	int	statefd;
};

/*
 * Make <rundir>/<lab>/ (it must not exist), lock it, copy topo_file (if not
 * NULL) to topology.json, open the state file. On failure nothing is left.
 */
int	labstate_create(const char *lab, const char *topo_file,
	    struct labstate *st, struct lab_err *err);
/* Append one line (before the object it names exists). */
int	labstate_record(struct labstate *st, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Close the state file; keep the lock. */
void	labstate_close_state(struct labstate *st);
void	labstate_unlock(struct labstate *st);
/*
 * Undo what <dir>/state records (the caller holds the lock): processes,
 * then namespaces, then the directory. 0, or -1 with err set.
 */
int	labstate_teardown(const char *lab, const char *dir, struct lab_err *err);

#endif
