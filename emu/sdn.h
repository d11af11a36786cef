/*
 * sdn: the SDN controller's pure core. From the topology and the routes each
 * hub's Route Server programs, compute every NIC's effective routes the way
 * Azure does (azure-semantics.md, section 2), including the routes that lose
 * (state Invalid), so that `arsemu routes` can show what
 * `az network nic show-effective-route-table` shows.
 *
 * Pure: no I/O, no netlink. The live lab and `arsemu plan` call the same code.
 */
#ifndef ARSEMU_EMU_SDN_H
#define ARSEMU_EMU_SDN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/pfx.h"
#include "../topo/topo.h"

#define SDN_MAX_NH	32

/* One prefix as a Route Server programs it: the best paths' next hops (ECMP). */
struct sdn_bgp_route {
	struct pfx4	pfx;
	uint32_t	nh[SDN_MAX_NH];	/* BGP NEXT_HOPs (RS-23), sorted, distinct */
	unsigned	nnh;
	unsigned	aspath_hops;	/* of the best path */
};

/* What one hub's Route Server programs (both instances merged by the caller). */
struct sdn_hub_routes {
	const struct topo_rs	*rs;
	struct sdn_bgp_route	*routes;
	size_t			 nroutes;
};

struct sdn_input {
	struct sdn_hub_routes	*hubs;
	size_t			 nhubs;
};

enum sdn_source {
	SDN_SRC_DEFAULT,	/* "Default" */
	SDN_SRC_USER,		/* "User" */
	SDN_SRC_VNG,		/* "VirtualNetworkGateway" */
};

enum sdn_nh_type {
	SDN_NH_VNETLOCAL,		/* "VnetLocal" */
	SDN_NH_VNETPEERING,		/* "VNetPeering" */
	SDN_NH_VNETGLOBALPEERING,	/* "VNetGlobalPeering" */
	SDN_NH_VNG,			/* "VirtualNetworkGateway" */
	SDN_NH_VIRTUALAPPLIANCE,	/* "VirtualAppliance" */
	SDN_NH_INTERNET,		/* "Internet" */
	SDN_NH_NONE,			/* "None" */
};

struct sdn_route {
	struct pfx4		pfx;
	enum sdn_source		source;
	enum sdn_nh_type	type;
	uint32_t		nh[SDN_MAX_NH];	/* nextHopIpAddress */
	unsigned		nnh;
	bool			active;		/* state Active / Invalid */
	const char		*name;		/* UDR name for User routes, else NULL */
};

/* One NIC's effective route table, sorted as Azure lists it (see sdn.c). */
struct sdn_table {
	const struct topo_nic	*nic;
	struct sdn_route	*routes;
	size_t			 nroutes;
};

/* Compute nic's effective routes into *out (free with sdn_table_free). */
void	sdn_effective(const struct topo *t, const struct sdn_input *in,
	    const struct topo_nic *nic, struct sdn_table *out);
void	sdn_table_free(struct sdn_table *tab);
/*
 * The active route a packet to `dst` from this NIC uses (longest prefix
 * among active routes), or NULL (no route: the packet is dropped).
 */
const struct sdn_route *sdn_lookup(const struct sdn_table *tab, uint32_t dst);
bool	sdn_route_equal(const struct sdn_route *a, const struct sdn_route *b);
bool	sdn_table_equal(const struct sdn_table *a, const struct sdn_table *b);

const char *sdn_source_str(enum sdn_source s);
const char *sdn_nh_type_str(enum sdn_nh_type t);
/* "Active" or "Invalid", as az shows a route's state. */
const char *sdn_state_str(const struct sdn_route *r);

#endif
