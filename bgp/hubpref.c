/*
 * hubpref: the sources BGP knows, weighed by lib/azure.c's order (RS-30,
 * RS-31, GW-09): only "learned from ExpressRoute" tells sources apart.
 *
 * Must not: look at anything but the offers.
 */
#include "hubpref.h"

int
bgp_hubpref_cmp(enum az_hub_pref pref, const struct bgp_offer *a,
    const struct bgp_offer *b)
{
	struct az_offer x = { a->src == BGP_SRC_ER, a->hops, a->weight };
	struct az_offer y = { b->src == BGP_SRC_ER, b->hops, b->weight };

	return az_hubpref_cmp(pref, &x, &y);
}

const char *
bgp_src_str(enum bgp_src s)
{
	switch (s) {
	case BGP_SRC_NVA:
		return "NVA";
	case BGP_SRC_ER:
		return "ExpressRoute";
	case BGP_SRC_VPN:
		return "VPN";
	case BGP_SRC_RS:
		return "RouteServer";
	case BGP_SRC_OVERLAY:
		return "Overlay";
	}
	return "?";
}
