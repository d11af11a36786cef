/*
 * kroute: a NIC's effective routes as the fabric's kernel routes, as the
 * model sees them. A struct kroute is a route of a fabric table without a
 * table, protocol or metric and without the kernel's numbers: the kernel
 * edge (fabric.h) adds those and makes netlink routes of them. Pure: the
 * links a route leaves by are given (struct kroute_links), as the lab
 * numbers them. share.h shares them out into tables.
 *
 * A NIC's active effective routes become:
 *   VnetLocal, VNetPeering, VNetGlobalPeering -> throw (the lookup falls
 *       through to the delivery table, which holds a /32 per NIC)
 *   VirtualNetworkGateway, VirtualAppliance  -> via each next hop, onlink on
 *       the fabric end of the NIC that owns that address (ECMP: multipath)
 *   Internet                                 -> out of the link to the
 *       lab's Internet edge, where every address answers (lab.h)
 *   None                                     -> out of the link to the
 *       edge that drops and counts (Azure drops silently; the counter is
 *       ours), via the edge's address
 *   VirtualAppliance at an internal load balancer's frontend (LB-04)
 *                                            -> via the frontend, onlink on
 *       the load balancer's link (lab.h), where the fabric picks the
 *       backend (emu/lablb.c)
 * A next hop that no NIC or frontend owns, or one in a VNet this one is
 * not peered with, cannot be delivered: the route becomes a blackhole,
 * which is what Azure does with a next hop it cannot reach. So does a
 * route to an edge link not there yet.
 */
#ifndef ARSEMU_EMU_MODEL_KROUTE_H
#define ARSEMU_EMU_MODEL_KROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../lib/pfx.h"
#include "../../topo/topo.h"
#include "sdn.h"

#define KROUTE_MAX_NH	SDN_MAX_NH	/* as many as an effective route has */

enum kroute_type {
	KROUTE_UNICAST,		/* via its next hops */
	KROUTE_THROW,		/* on to the delivery path (share.h) */
	KROUTE_BLACKHOLE,	/* dropped */
};

struct kroute_nh {
	uint32_t	gw;		/* 0: directly on the link */
	int		link;		/* the output link's interface index */
	bool		onlink;		/* gw is on link whatever its address */
	uint8_t		weight;		/* 1.. */
};

struct kroute {
	struct pfx4		dst;
	enum kroute_type	type;
	bool			scope_link;	/* directly on the link, no gateway */
	unsigned		nnh;		/* > 1: ECMP */
	struct kroute_nh	nh[KROUTE_MAX_NH];
};

/* The links the fabric's routes leave by (fabric.c fills it in). */
struct kroute_links {
	const struct topo	*t;
	const int		*nic;		/* [t->nnics]: each NIC's fabric end */
	int			 inet, none;	/* the edge links, -1: none yet */
	uint32_t		 edge;		/* the address None routes go via */
	const int		*lb;		/* [t->nlbs]: each load balancer's link */
};

/*
 * Whether a NIC's traffic can reach next hop ip: a NIC or a load balancer
 * frontend in its VNet or a directly peered one (PE-01, PE-08; VR-14,
 * LB-04). The fabric blackholes the rest; walks drop them as it does.
 */
bool	kroute_nh_reaches(const struct topo *t, const struct topo_nic *from,
	    uint32_t ip);

/*
 * The active routes of tab, sorted by prefix (caller frees); thread-safe.
 * A route's nh[] past its nnh is not set: read next hops up to nnh only.
 */
size_t	kroute_table(const struct kroute_links *l, const struct sdn_table *tab,
	    struct kroute **out);

#endif
