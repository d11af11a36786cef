/*
 * rsshow: see rsshow.h. The JSON keys and values are az's (CLI-04): type
 * Microsoft.Network/virtualHubs, kind RouteServer, virtualRouterAsn 65515,
 * the two virtualRouterIps, minCapacity 2, sku Standard. The resource is
 * named after its hub and lives in a resource group named after the lab.
 *
 * Must not: change the lab.
 */
#include <stdio.h>
#include <string.h>

#include "../emu/lab.h"
#include "../emu/model/bgpconf.h"
#include "../lib/ctlc.h"
#include "../lib/json.h"
#include "cli.h"
#include "rsshow.h"

#define RS_MIN_CAPACITY	2	/* routing infrastructure units (RS-41) */
#define RS_SUBSCRIPTION	"00000000-0000-0000-0000-000000000000"

/* Provisioned when every instance's speaker answers, else Failed. */
static const char *
routing_state(const char *lab, const struct topo_rs *rs)
{
	struct ctlc_reply r;
	char sock[300];
	unsigned i;
	bool up;

	for (i = 0; i < 2; i++) {
		emu_speaker_sock(lab, rs->inst[i]->name, sock, sizeof(sock));
		if (ctlc_request(sock, "info", 1000, &r) != 0)
			return "Failed";
		up = r.error == NULL && r.n == 1;
		ctlc_free(&r);
		if (!up)
			return "Failed";
	}
	return "Provisioned";
}

static void
show_json(const char *lab, const struct topo_rs *rs, const char *state)
{
	char id[512], ip[ADDR_STRLEN];
	struct json j;
	unsigned i;

	snprintf(id, sizeof(id), "/subscriptions/%s/resourceGroups/%s/providers/"
	    "Microsoft.Network/virtualHubs/%s", RS_SUBSCRIPTION, lab,
	    rs->vnet->name);
	json_init(&j, stdout);
	json_obj_begin(&j);
	json_kbool(&j, "allowBranchToBranchTraffic", rs->branch_to_branch);
	json_kstr(&j, "hubRoutingPreference", az_pref_str(rs->pref));
	json_kstr(&j, "id", id);
	json_kstr(&j, "kind", "RouteServer");
	json_kstr(&j, "location", rs->vnet->region->name);
	json_kstr(&j, "name", rs->vnet->name);
	json_kstr(&j, "provisioningState", "Succeeded");
	json_kstr(&j, "resourceGroup", lab);
	json_kstr(&j, "routingState", state);
	json_kstr(&j, "sku", "Standard");
	json_kstr(&j, "type", "Microsoft.Network/virtualHubs");
	json_kint(&j, "virtualRouterAsn", TOPO_RS_ASN);
	json_key(&j, "virtualRouterAutoScaleConfiguration");
	json_obj_begin(&j);
	json_kint(&j, "minCapacity", RS_MIN_CAPACITY);
	json_obj_end(&j);
	json_key(&j, "virtualRouterIps");
	json_arr_begin(&j);
	for (i = 0; i < 2; i++)
		json_str(&j, addr_fmt(rs->ip[i], ip));
	json_arr_end(&j);
	json_obj_end(&j);
	json_end(&j);
}

static void
show_text(const char *lab, const struct topo_rs *rs, const char *state)
{
	char ips[2 * ADDR_STRLEN + 2], a[ADDR_STRLEN], b[ADDR_STRLEN];
	char asn[16], cap[16];
	struct table *t;

	snprintf(ips, sizeof(ips), "%s,%s", addr_fmt(rs->ip[0], a),
	    addr_fmt(rs->ip[1], b));
	snprintf(asn, sizeof(asn), "%d", TOPO_RS_ASN);
	snprintf(cap, sizeof(cap), "%d", RS_MIN_CAPACITY);
	t = table_new(2, (const char *[]){ "Setting", "Value" });
	table_row(t, (const char *[]){ "Name", rs->vnet->name });
	table_row(t, (const char *[]){ "Resource group", lab });
	table_row(t, (const char *[]){ "Location", rs->vnet->region->name });
	table_row(t, (const char *[]){ "Virtual router ASN", asn });
	table_row(t, (const char *[]){ "Virtual router IPs", ips });
	table_row(t, (const char *[]){ "Branch to branch",
	    rs->branch_to_branch ? "true" : "false" });
	table_row(t, (const char *[]){ "Hub routing preference",
	    az_pref_str(rs->pref) });
	table_row(t, (const char *[]){ "Minimum capacity", cap });
	table_row(t, (const char *[]){ "Provisioning state", "Succeeded" });
	table_row(t, (const char *[]){ "Routing state", state });
	table_print(t);
	table_free(t);
}

int
rs_show(const char *lab, const struct topo_rs *rs, bool json)
{
	const char *state = routing_state(lab, rs);

	if (json)
		show_json(lab, rs, state);
	else
		show_text(lab, rs, state);
	return CLI_OK;
}
