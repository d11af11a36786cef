/*
 * azimport: a topology from what the az CLI prints, saved as JSON files in
 * one directory (each command's --output json, one file each; the names are
 * free, arsemu(1) lists the ones it suggests):
 *   az network vnet list, az network vnet peering list (per VNet),
 *   az network route-table list, az network routeserver show (or list),
 *   az network routeserver peering list, and per peering
 *   az network routeserver peering list-learned-routes,
 *   az network nic list, az network vnet-gateway list, per gateway
 *   az network vnet-gateway list-learned-routes, az network vpn-connection
 *   list, az network local-gateway list, az network express-route list.
 * Resources are told apart by their "type" (learned routes, which have
 * none, by their shape), not by file names; a file may hold one resource,
 * a list, or a REST list ({"value": [...]}).
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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/pfx.h"
#include "importcommon.h"
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

/*
 * topo_az_alloc: the address Azure gives the next NIC of subnet sn, as
 * Azure allocates dynamic addresses: the first free one from .4 (.0 to .3
 * and the last are Azure's), skipping the ntaken addresses of taken. -1
 * when the subnet is full.
 */
int	topo_az_alloc(const struct pfx4 *sn, const uint32_t *taken,
	    size_t ntaken, uint32_t *out);

/*
 * topo_az_asn_path: the ASNs of an AS path as Azure prints it ("65001",
 * "12076-65020", or with spaces or commas), at most max into asns; their
 * count, or -1 if a part is not a number. "" has none.
 */
int	topo_az_asn_path(const char *s, uint32_t *asns, int max);

#endif
