/*
 * regions: what arsemu knows of Azure's regions by their API names
 * ("uksouth"): the regional BGP community ExpressRoute private peering puts
 * on a virtual network's prefixes (GW-08). Data only; no parsing, no I/O.
 *
 * Source: Microsoft Learn, "ExpressRoute routing requirements", Support for
 * BGP communities, column "Regional BGP community (private peering)"; every
 * value is 12076:50xxx, xxx the region's number. A region arsemu does not
 * know (a lab may name its regions freely) has none.
 */
#include <string.h>

#include "../lib/util.h"
#include "topo_int.h"

static const struct {
	const char	*name;
	unsigned	 n;
} regions[] = {
	{ "eastus", 4 }, { "eastus2", 5 }, { "westus", 6 }, { "westus2", 26 },
	{ "westus3", 44 }, { "westcentralus", 27 }, { "northcentralus", 7 },
	{ "southcentralus", 8 }, { "centralus", 9 }, { "canadacentral", 20 },
	{ "canadaeast", 21 }, { "brazilsouth", 14 }, { "northeurope", 3 },
	{ "westeurope", 2 }, { "uksouth", 24 }, { "ukwest", 25 },
	{ "francecentral", 30 }, { "francesouth", 31 },
	{ "switzerlandnorth", 38 }, { "switzerlandwest", 39 },
	{ "germanynorth", 40 }, { "germanywestcentral", 41 },
	{ "norwayeast", 42 }, { "norwaywest", 43 }, { "eastasia", 10 },
	{ "southeastasia", 11 }, { "japaneast", 12 }, { "japanwest", 13 },
	{ "australiaeast", 15 }, { "australiasoutheast", 16 },
	{ "australiacentral", 32 }, { "australiacentral2", 33 },
	{ "southindia", 19 }, { "westindia", 18 }, { "centralindia", 17 },
	{ "koreasouth", 28 }, { "koreacentral", 29 },
	{ "southafricanorth", 34 }, { "southafricawest", 35 },
	{ "uaenorth", 36 }, { "uaecentral", 37 },
};

uint32_t
topo_region_community(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < NELEM(regions); i++)
		if (strcmp(regions[i].name, name) == 0)
			return AZ_COMMUNITY(AZ_REGION_COMMUNITY_BASE + regions[i].n);
	return 0;
}
