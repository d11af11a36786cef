/*
 * azure: the reserved ASNs and the hub routing preference's order
 * (azure.h). The order, after longest prefix match, which the caller has
 * already applied (RS-30):
 *   1. the hub routing preference (RS-31):
 *      ExpressRoute (default): ER-learned beats VPN- and NVA-learned;
 *      VpnGateway: VPN- and NVA-learned beat ER-learned;
 *      ASPath: no source is preferred here;
 *   2. between two ER connections, the higher connection weight (GW-09);
 *   3. the shorter AS path (RS-30 step 3, RS-32);
 *   4. ASPath only, on equal paths: ER before the rest (GW-09's default).
 * VPN against NVA is never decided by source: "no way to prefer one over
 * the other" (RS-31). There is no step for static routes (D-04).
 *
 * Must not: look at anything but its arguments.
 */
#include <stddef.h>

#include "azure.h"

/* RS-06, GW-02, with D-01 (65516 too). */
static const struct {
	uint32_t	 lo, hi;
	const char	*by;
} reserved_asn[] = {
	{ 8074, 8075, "Azure" },
	{ AZ_MSEE_ASN, AZ_MSEE_ASN, "Azure (the ExpressRoute MSEEs)" },
	{ AZ_ASN + 1, 65520, "Azure (65515-65520, D-01)" },
	{ 23456, 23456, "IANA (AS_TRANS)" },
	{ 64496, 64511, "IANA (documentation)" },
	{ 65535, 65535, "IANA" },
};

const char *
az_asn_reserved(uint32_t asn)
{
	size_t i;

	if (asn == AZ_ASN)
		return "Azure (65515: Route Server and gateways)";
	for (i = 0; i < sizeof(reserved_asn) / sizeof(reserved_asn[0]); i++)
		if (asn >= reserved_asn[i].lo && asn <= reserved_asn[i].hi)
			return reserved_asn[i].by;
	return NULL;
}

const char *
az_pref_str(enum az_hub_pref p)
{
	switch (p) {
	case AZ_PREF_EXPRESSROUTE:
		return "ExpressRoute";
	case AZ_PREF_VPNGATEWAY:
		return "VpnGateway";
	case AZ_PREF_ASPATH:
		return "ASPath";
	}
	return "?";
}

static int
by_er(bool a_er, bool b_er, bool er_first)
{
	if (a_er == b_er)
		return 0;
	return (a_er == er_first) ? -1 : 1;
}

int
az_hubpref_cmp(enum az_hub_pref pref, const struct az_offer *a,
    const struct az_offer *b)
{
	int r;

	if (pref == AZ_PREF_EXPRESSROUTE && (r = by_er(a->er, b->er, true)) != 0)
		return r;
	if (pref == AZ_PREF_VPNGATEWAY && (r = by_er(a->er, b->er, false)) != 0)
		return r;
	if (a->er && b->er && a->weight != b->weight)
		return a->weight > b->weight ? -1 : 1;
	if (a->hops != b->hops)
		return a->hops < b->hops ? -1 : 1;
	return by_er(a->er, b->er, true);
}
