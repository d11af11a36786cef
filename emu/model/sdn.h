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

#include "../../lib/pfx.h"
#include "../../topo/topo.h"

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

/*
 * What one gateway learned (VR-04): both instances merged as for Route
 * Server, each next hop the IP of an instance that has the route.
 */
struct sdn_gw_routes {
	const struct topo_gw	*gw;
	struct sdn_bgp_route	*routes;
	size_t			 nroutes;
};

struct sdn_bgp_memo;

/*
 * NV-05: what a BGP NVA with extra NICs installs in its guest from its
 * Route Server sessions (sorted prefixes), out of its primary NIC.
 */
struct sdn_nva_learned {
	struct pfx4		*pfx;
	size_t			 n;
};

struct sdn_input {
	struct sdn_hub_routes	*hubs;
	size_t			 nhubs;
	struct sdn_gw_routes	*gws;		/* may be NULL */
	size_t			 ngws;
	/*
	 * Optional (NULL: none), per t->nvas[i] (plan.c fills it): what the
	 * walk's choice of NIC weighs besides the guest's own routes (NV-05).
	 * No NIC's effective routes read it.
	 */
	struct sdn_nva_learned	*nvas;
	size_t			 nnvas;
	/*
	 * Optional (NULL: none): what each hub programs, chosen once and kept
	 * for every NIC it serves, while hubs and gws stay as they are. The
	 * lab daemon builds 500 subnets' tables from one input.
	 */
	struct sdn_bgp_memo	*memo;
};

/* Start and end remembering per-hub BGP choices in `in` (see above). */
void	sdn_memo_start(struct sdn_input *in);
void	sdn_memo_free(struct sdn_input *in);
/* Every hub's BGP choice into the memo now: afterwards the memo is only read, and sdn_effective* may run on several threads. */
void	sdn_memo_fill(const struct topo *t, struct sdn_input *in);
/*
 * The prefixes (sorted, the caller frees *P) whose hub choice differs
 * between two filled memos: the only prefixes whose effective routes can
 * differ between a and b.
 */
size_t	sdn_memo_changes(const struct topo *t, const struct sdn_input *a,
	    const struct sdn_input *b, struct pfx4 **P);

/* VR-11, RS-10: the hub whose Route Server and gateways program v's NICs, or NULL. */
const struct topo_vnet *sdn_serving_hub(const struct topo_vnet *v);

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
	uint32_t		nh[SDN_MAX_NH];	/* nextHopIpAddress; past nnh: may be unset */
	unsigned		nnh;
	bool			active;		/* state Active / Invalid */
	const char		*name;		/* UDR name for User routes, else NULL */
};

/* One NIC's effective route table, sorted as Azure lists it (see sdn.c). */
struct sdn_table {
	const struct topo_nic	*nic;
	struct sdn_route	*routes;
	size_t			 nroutes;
	/* the subnet's route table disables gateway route propagation (VR-07) */
	bool			 disable_bgp;
};

/*
 * One entry of `az network nic show-effective-route-table`, as text: an ECMP
 * route is one row per next hop (VR-10, CLI-01). The lab daemon sends rows
 * over its control socket and `arsemu plan` makes them directly, so that
 * `routes` and `plan` print through the same code.
 */
#define SDN_ROW_WORD	24	/* the longest source or type string, and more */
#define SDN_ROW_NAME	81	/* a UDR name: 80 characters (topo) */
struct sdn_row {
	char	source[SDN_ROW_WORD];
	char	state[SDN_ROW_WORD];
	char	prefix[PFX_STRLEN];
	char	type[SDN_ROW_WORD];
	char	nh[ADDR_STRLEN];	/* "" when the route has none */
	char	name[SDN_ROW_NAME];	/* UDR name, "" when none */
	bool	disable_bgp;		/* disableBgpRoutePropagation */
};

/* Compute nic's effective routes into *out (free with sdn_table_free). */
void	sdn_effective(const struct topo *t, const struct sdn_input *in,
	    const struct topo_nic *nic, struct sdn_table *out);
/* The same routes, by prefix instead of az's listing order (the fabric's). */
void	sdn_effective_by_prefix(const struct topo *t, const struct sdn_input *in,
	    const struct topo_nic *nic, struct sdn_table *out);
/*
 * Both at once, from one computation: sdn_effective's table into *out, and
 * sdn_effective_by_prefix's order as positions in it: route i by prefix is
 * out->routes[(*by_prefix)[i]]. *by_prefix malloc'd (NULL when out is
 * empty for want of a subnet); the caller frees it.
 */
void	sdn_effective_both(const struct topo *t, const struct sdn_input *in,
	    const struct topo_nic *nic, struct sdn_table *out,
	    uint32_t **by_prefix);
/*
 * The effective routes at the prefixes of P only (sorted), as
 * sdn_effective_by_prefix gives them there; false (nothing computed) when
 * P holds 0.0.0.0/0 or a reserved prefix, whose change reaches further.
 */
bool	sdn_effective_only(const struct topo *t, const struct sdn_input *in,
	    const struct topo_nic *nic, const struct pfx4 *P, size_t nP,
	    struct sdn_table *out);
void	sdn_table_free(struct sdn_table *tab);
/*
 * The active route a packet to `dst` from this NIC uses (longest prefix
 * among active routes), or NULL (no route: the packet is dropped).
 */
const struct sdn_route *sdn_lookup(const struct sdn_table *tab, uint32_t dst);
bool	sdn_route_equal(const struct sdn_route *a, const struct sdn_route *b);
bool	sdn_table_equal(const struct sdn_table *a, const struct sdn_table *b);
/* A hash of the routes: equal tables (sdn_table_equal) hash alike. */
uint64_t sdn_table_hash(const struct sdn_table *tab);
/*
 * h folded (FNV-1a) with one route, field by field: equal routes
 * (sdn_route_equal) hash alike, whatever their padding bytes hold.
 */
uint64_t sdn_route_hash(uint64_t h, const struct sdn_route *r);
/* h folded (FNV-1a, 64 bits) with the n bytes at p */
uint64_t sdn_hash_bytes(uint64_t h, const void *p, size_t n);

/* The rows of a table, in its order; *out malloc'd. Returns the count. */
size_t	sdn_rows(const struct sdn_table *tab, struct sdn_row **out);
/* One row as a tab-separated line (no newline), and back; -1 if malformed. */
void	sdn_row_format(const struct sdn_row *r, char *buf, size_t len);
int	sdn_row_parse(const char *line, struct sdn_row *r);

/* Add next hops to the sorted, distinct set v of *n (at most SDN_MAX_NH). */
void	sdn_nh_union(uint32_t v[SDN_MAX_NH], unsigned *n, const uint32_t *nh,
	    unsigned nnh);
/*
 * What one hub's Route Server programs, from what each of its instances
 * programs (instances[i] holds ninstance[i] routes): per prefix the shortest
 * AS path wins and the next hops of that length are unioned, sorted (U-04:
 * an NVA that peers with one instance only still has its routes programmed).
 * out->routes is sorted by prefix; free it with sdn_hub_routes_free().
 */
void	sdn_merge_instances(const struct topo_rs *rs,
	    const struct sdn_bgp_route *const *instances, const size_t *ninstance,
	    size_t ninstances, struct sdn_hub_routes *out);
void	sdn_hub_routes_free(struct sdn_hub_routes *h);
/*
 * A gateway's routes from its instances' best paths (inst[k] from
 * gw->inst[k]): the next hop of each becomes that instance's NIC IP, then
 * the instances are merged as sdn_merge_instances does. The prefixes of
 * the gateway's static (non-BGP) VPN connections are added, with an empty
 * AS path. Free the routes with sdn_gw_routes_free().
 */
void	sdn_merge_gateway(const struct topo_gw *gw,
	    const struct sdn_bgp_route *const *inst, const size_t *ninst,
	    struct sdn_gw_routes *out);
void	sdn_gw_routes_free(struct sdn_gw_routes *g);

const char *sdn_source_str(enum sdn_source s);
const char *sdn_nh_type_str(enum sdn_nh_type t);
/* "Active" or "Invalid", as az shows a route's state. */
const char *sdn_state_str(const struct sdn_route *r);

#endif
