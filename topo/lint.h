/*
 * lint: the Azure design traps a valid topology can still fall into
 * (docs: man/arsemu-topology.5, WARNINGS). Each warning names the JSON path,
 * what will happen and the rule behind it. Pure.
 */
#ifndef ARSEMU_TOPO_LINT_H
#define ARSEMU_TOPO_LINT_H

#include "topo.h"

#define TOPO_LINT_ER_MAX	AZ_ER_TO_CIRCUIT_MAX	/* RS-42, GW-07 */

/* Append the topology's traps to t->warnings. */
void	topo_lint(struct topo *t);

#endif
