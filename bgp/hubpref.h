/*
 * hubpref: how Azure chooses, for one prefix of equal length, between what
 * NVAs (through Route Server), ExpressRoute and VPN gateways offer, by the
 * sources BGP knows. The order itself (the hub routing preference, RS-30,
 * RS-31, and the ER connection weight, GW-09) is lib/azure.c's, which
 * topo's validate uses too. The Route Server's decision (decide.c) and the
 * SDN controller's effective-route merge (emu/model/sdn.c) both ask here, so
 * they agree.
 *
 * Pure: no state, no I/O.
 */
#ifndef ARSEMU_BGP_HUBPREF_H
#define ARSEMU_BGP_HUBPREF_H

#include <stdint.h>

#include "../lib/azure.h"

enum bgp_src {
	BGP_SRC_NVA,		/* an NVA peer of Route Server; any other peer */
	BGP_SRC_ER,		/* an ExpressRoute gateway */
	BGP_SRC_VPN,		/* a VPN gateway */
	BGP_SRC_RS,		/* a Route Server, seen from a gateway (RS-50) */
	BGP_SRC_OVERLAY,	/* an NVA in another hub: 65515 overridden (RS-52) */
};

struct bgp_offer {
	enum bgp_src	src;
	unsigned	hops;		/* AS path length */
	unsigned	weight;		/* ER connection weight; 0 otherwise */
};

/* < 0: a is preferred; > 0: b is; 0: equal (ECMP candidates). */
int	bgp_hubpref_cmp(enum az_hub_pref pref, const struct bgp_offer *a,
	    const struct bgp_offer *b);
const char *bgp_src_str(enum bgp_src s);

#endif
