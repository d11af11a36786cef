/*
 * cmd_reach: `arsemu reach TOPO [--from GROUP] [--to GROUP] [--json]`: the
 * all-pairs reachability matrix, offline, one row per pair of classes
 * (emu/model/reach.h).
 */
#ifndef ARSEMU_CMD_REACH_H
#define ARSEMU_CMD_REACH_H

struct cli;

int	cmd_reach(struct cli *c);

#endif
