/* test_azure: lib/azure, Azure's numbers and the hub routing preference. */
#include <stddef.h>
#include <string.h>

#include "../../lib/azure.h"
#include "t.h"

static void
test_asn(void)
{
	T_OK(az_asn_reserved(AZ_ASN) != NULL, "RS-05: 65515 is Azure's own");
	T_OK(az_asn_reserved(65516) != NULL && az_asn_reserved(65520) != NULL,
	    "D-01: 65516 to 65520 reserved, 65516 included");
	T_OK(az_asn_reserved(8074) != NULL && az_asn_reserved(8075) != NULL &&
	    az_asn_reserved(AZ_MSEE_ASN) != NULL,
	    "RS-06: 8074, 8075 and 12076 are Azure's");
	T_OK(az_asn_reserved(23456) != NULL && az_asn_reserved(64496) != NULL &&
	    az_asn_reserved(64511) != NULL && az_asn_reserved(65535) != NULL,
	    "RS-06: IANA's 23456, 64496-64511 and 65535 reserved");
	T_OK(az_asn_reserved(65514) == NULL && az_asn_reserved(65521) == NULL &&
	    az_asn_reserved(64512) == NULL && az_asn_reserved(8076) == NULL &&
	    az_asn_reserved(64495) == NULL,
	    "GW-02: 64512-65514 and 65521 on are usable, next to the ranges");
}

static void
test_pref(void)
{
	struct az_offer er = { true, 3, 0 }, er2 = { true, 5, 10 };
	struct az_offer nva = { false, 1, 0 }, vpn = { false, 2, 0 };
	struct az_offer nva2 = { false, 2, 0 }, erq = { true, 2, 0 };

	T_OK(strcmp(az_pref_str(AZ_PREF_EXPRESSROUTE), "ExpressRoute") == 0 &&
	    strcmp(az_pref_str(AZ_PREF_VPNGATEWAY), "VpnGateway") == 0 &&
	    strcmp(az_pref_str(AZ_PREF_ASPATH), "ASPath") == 0,
	    "D-05: the API's strings");
	T_OK(az_hubpref_cmp(AZ_PREF_EXPRESSROUTE, &er, &nva) < 0 &&
	    az_hubpref_cmp(AZ_PREF_EXPRESSROUTE, &vpn, &er) > 0,
	    "RS-31: ExpressRoute beats a shorter NVA or VPN path");
	T_OK(az_hubpref_cmp(AZ_PREF_VPNGATEWAY, &vpn, &er) < 0 &&
	    az_hubpref_cmp(AZ_PREF_VPNGATEWAY, &nva, &vpn) < 0 &&
	    az_hubpref_cmp(AZ_PREF_VPNGATEWAY, &vpn, &nva2) == 0,
	    "RS-31: VpnGateway: VPN and NVA beat ER, the shorter path between "
	    "them, equal paths tie");
	T_OK(az_hubpref_cmp(AZ_PREF_ASPATH, &nva, &er) < 0 &&
	    az_hubpref_cmp(AZ_PREF_ASPATH, &nva2, &erq) > 0,
	    "RS-30: ASPath: the shorter path, then ER on equal paths");
	T_OK(az_hubpref_cmp(AZ_PREF_EXPRESSROUTE, &er2, &er) < 0,
	    "GW-09: the heavier ER connection before the shorter path");
}

int
main(void)
{
	test_asn();
	test_pref();
	return t_done();
}
