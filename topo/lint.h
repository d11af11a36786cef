/*
 * lint: the Azure design traps a valid topology can still fall into
 * (docs: man/arsemu-topology.5, WARNINGS). Each warning names the JSON path,
 * what will happen and the rule behind it. Pure.
 */
#ifndef ARSEMU_TOPO_LINT_H
#define ARSEMU_TOPO_LINT_H

#include "topo.h"

#define TOPO_LINT_SLOW_HOLD	90	/* s: a frozen NVA goes unnoticed this long */
#define TOPO_LINT_ER_MAX	1000	/* RS-42, GW-07: prefixes towards a circuit */

/* Append the topology's traps to t->warnings. */
void	topo_lint(struct topo *t);

#endif
