/*
 * azimport: a topology from what the az CLI prints, saved as JSON files in
 * one directory: `az network vnet list`, `az network vnet peering list`
 * (one file per VNet, or combined), `az network route-table list`,
 * `az network routeserver show` and `az network routeserver peering list`.
 * Files are told apart by each resource's "type", not by their names; a
 * file may hold one resource, a list, or a REST list ({"value": [...]}).
 *
 * What arsemu cannot model, or the files do not say, becomes a warning
 * "FILE: PATH: text"; what makes the input unusable (a file that is not
 * JSON, a VNet without its address space) fails the import with the file
 * and the JSON path.
 *
 * Pure: no I/O but reading the directory's files; cJSON stays in topo/.
 */
#ifndef ARSEMU_TOPO_AZIMPORT_H
#define ARSEMU_TOPO_AZIMPORT_H

#include <stddef.h>

#include "topo.h"

struct topo_az {
	char	*json;		/* the topology (arsemu-topology(5)) */
	char	**warnings;	/* "FILE: PATH: text" */
	size_t	 nwarnings;
};

/*
 * Import every *.json file of dir; the lab is called `name`. -1 with
 * err->msg "FILE: ..." and err->path the JSON path inside that file.
 */
int	topo_az_import(const char *dir, const char *name, struct topo_az *out,
	    struct topo_err *err);
void	topo_az_free(struct topo_az *a);

#endif
