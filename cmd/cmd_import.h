/*
 * cmd_import: `arsemu import az DIR [-o TOPO.json] [--name LAB] [--json]`,
 * a topology from the az CLI's output saved in DIR (topo/azimport.h).
 */
#ifndef ARSEMU_CMD_IMPORT_H
#define ARSEMU_CMD_IMPORT_H

struct cli;

int	cmd_import(struct cli *c);

#endif
