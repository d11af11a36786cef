/*
 * cmd_import: `arsemu import az DIR | terraform FILE [-o TOPO.json]
 * [--name LAB] [--json]`, a topology from the az CLI's output saved in DIR
 * (topo/azimport.h) or from `terraform show -json` (topo/tfimport.h).
 */
#ifndef ARSEMU_CMD_IMPORT_H
#define ARSEMU_CMD_IMPORT_H

struct cli;

int	cmd_import(struct cli *c);

#endif
