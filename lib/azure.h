/*
 * azure: Azure's fixed numbers and orders, written once: the ASNs, the
 * reserved ASNs, the Route Server's and gateways' limits, and the hub
 * routing preference's order. docs/rules.md gives each rule's source.
 * Below topo/ and bgp/, which both use it; it uses nothing of ours.
 *
 * Pure: no state, no I/O.
 */
#ifndef ARSEMU_AZURE_H
#define ARSEMU_AZURE_H

#include <stdbool.h>
#include <stdint.h>

/* Every Route Server and gateway instance (RS-01, GW-01, RS-50). */
#define AZ_ASN			65515u
/* The Microsoft edge of every ExpressRoute circuit (GW-01). */
#define AZ_MSEE_ASN		12076u

/* BGP communities, AZ_MSEE_ASN:n as one 32-bit value. */
#define AZ_COMMUNITY(n)		(AZ_MSEE_ASN << 16 | (uint32_t)(n))
/* GW-08: a VNet's virtualNetworkCommunity is 12076:20000-49999. */
#define AZ_VNET_COMMUNITY_MIN	AZ_COMMUNITY(20000u)
#define AZ_VNET_COMMUNITY_MAX	AZ_COMMUNITY(49999u)
/* A region's community is 12076:50000 + the region's number. */
#define AZ_REGION_COMMUNITY_BASE 50000u

/* BGP timers, seconds. */
#define AZ_RS_HOLD_DEFAULT	180	/* RS-43: a Route Server peering's default */
#define AZ_RS_KEEPALIVE_DEFAULT	60	/* RS-43 */
#define AZ_VPN_HOLD		180	/* GW-06: a VPN gateway's, not configurable */
#define AZ_VPN_KEEPALIVE	60	/* GW-06 */

/* What one Route Server serves. */
#define AZ_RS_MAX_PEERS		8	/* RS-07 */
#define AZ_RS_ROUTE_LIMIT	4000	/* RS-40, D-02: routes from one peer */
#define AZ_RS_MAX_VNETS		500	/* RS-41: its VNet and the peered ones */
#define AZ_RS_MAX_PREFIXES	10000	/* RS-41: on-premises and VNet prefixes */
#define AZ_RS_UNITS_MIN		2	/* RS-41: routing infrastructure units */
#define AZ_RS_UNITS_MAX		48
#define AZ_RS_VMS(units)	(4000u + 1000u * ((units) - 2u))	/* D-03 */

/* Gateways. */
#define AZ_VPN_ROUTE_LIMIT	4000	/* GW-05: prefixes from a VPN site */
#define AZ_ER_ROUTE_LIMIT	4000	/* GW-07: from on-premises, Standard */
#define AZ_ER_PREMIUM_ROUTE_LIMIT 10000	/* GW-07: the same, Premium */
#define AZ_ER_TO_CIRCUIT_MAX	1000	/* RS-42, GW-07: towards a circuit */

#define AZ_UDR_MAX		400	/* VR-12: routes per route table */

/* Network security groups (NS-01, NS-02). */
#define AZ_NSG_PRIO_MIN		100	/* a rule's priority, user rules */
#define AZ_NSG_PRIO_MAX		4096
#define AZ_NSG_RULES_MAX	1000	/* rules per NSG (subscription limits) */
#define AZ_NSG_PRIO_VNET	65000	/* NS-02: Azure's default rules */
#define AZ_NSG_PRIO_LB_INET	65001
#define AZ_NSG_PRIO_DENY	65500
/* Azure's virtual public IP: the AzureLoadBalancer service tag (NS-03). */
#define AZ_VIP			0xa83f8110u	/* 168.63.129.16 */

/*
 * The ASNs a peer or a site may not use (RS-06, GW-02, D-01, D-14): who
 * reserved asn, or NULL when it is free. 65515 itself is reported apart
 * (RS-05: the Route Server's and gateways' own).
 */
const char *az_asn_reserved(uint32_t asn);

/* The hub routing preference (RS-31), in the API's order and words (D-05). */
enum az_hub_pref {
	AZ_PREF_EXPRESSROUTE,		/* the default */
	AZ_PREF_VPNGATEWAY,
	AZ_PREF_ASPATH,
};

const char *az_pref_str(enum az_hub_pref p);

/* One route for a prefix, as Route Server weighs it against another. */
struct az_offer {
	bool		er;		/* learned from an ExpressRoute gateway */
	unsigned	hops;		/* AS path length */
	unsigned	weight;		/* ER connection weight; 0 otherwise */
};

/*
 * RS-30's order for two routes of the same prefix length: < 0 a is
 * preferred, > 0 b is, 0 equal (ECMP candidates).
 */
int	az_hubpref_cmp(enum az_hub_pref pref, const struct az_offer *a,
	    const struct az_offer *b);

#endif
