/*
 * check_live: what `arsemu check` does besides evaluating a suite offline
 * (cmd_check.c): --record (cmd_record.c) and --live (cmd_checklive.c).
 */
#ifndef ARSEMU_CMD_CHECK_LIVE_H
#define ARSEMU_CMD_CHECK_LIVE_H

#include <stdbool.h>
#include <stddef.h>

#include "../emu/model/check.h"
#include "../emu/model/walk.h"
#include "cli.h"

/* `check --record TOPO -o SUITE`. */
int	check_record(struct cli *c);
/*
 * The suite against the running lab: routes read from the lab daemon,
 * walks probed; res[] (the offline results) become the live ones, with
 * "live differs from plan" where they disagree. CLI_OK, or CLI_ENV after
 * a message.
 */
int	check_live(struct cli *c, const struct topo *t, const struct plan *p,
	    const struct suite *s, struct check_result *res, size_t *failed);

/*
 * cmd_walk.c's, shared: a NIC's effective routes as the lab daemon holds
 * them (-1: it does not answer), and whether a predicted walk matches
 * what the probes saw (else why).
 */
int	walk_lab_table(const char *lab, const struct topo_nic *nic,
	    struct sdn_table *tab);
bool	walk_same_path(const struct walk *p, const struct walk_obs *o,
	    char *why, size_t len);

#endif
