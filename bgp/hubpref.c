/*
 * hubpref: RS-30's order after longest prefix match, which the caller has
 * already applied:
 *   1. the hub routing preference (RS-31):
 *      ExpressRoute (default): ER-learned beats VPN- and NVA-learned;
 *      VpnGateway: VPN- and NVA-learned beat ER-learned;
 *      ASPath: no source is preferred here;
 *   2. between two ER connections, the higher connection weight (GW-09);
 *   3. the shorter AS path (RS-30 step 3, RS-32);
 *   4. ASPath only, on equal paths: ER before the rest (GW-09's default).
 * VPN against NVA is never decided by source: "no way to prefer one over
 * the other" (RS-31).
 *
 * Must not: look at anything but the offers.
 */
#include <stdbool.h>

#include "hubpref.h"

static int
by_src(bool a_er, bool b_er, bool er_first)
{
	if (a_er == b_er)
		return 0;
	return (a_er == er_first) ? -1 : 1;
}

int
bgp_hubpref_cmp(enum bgp_hub_pref pref, const struct bgp_offer *a,
    const struct bgp_offer *b)
{
	bool a_er = a->src == BGP_SRC_ER, b_er = b->src == BGP_SRC_ER;
	int r;

	if (pref == BGP_PREF_EXPRESSROUTE &&
	    (r = by_src(a_er, b_er, true)) != 0)
		return r;
	if (pref == BGP_PREF_VPNGATEWAY &&
	    (r = by_src(a_er, b_er, false)) != 0)
		return r;
	if (a_er && b_er && a->weight != b->weight)
		return a->weight > b->weight ? -1 : 1;
	if (a->hops != b->hops)
		return a->hops < b->hops ? -1 : 1;
	return by_src(a_er, b_er, true);
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
