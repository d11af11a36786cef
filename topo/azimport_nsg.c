/*
 * azimport_nsg: network security groups from `az network nsg list` into
 * the topology's "network_security_groups" (NS-01). Each security rule is
 * copied (priority, direction, access, protocol, address prefixes and
 * port ranges, singular or plural as az prints them); Azure's default
 * rules are the topology's own (NS-02). Associations: the subnets of VNets
 * the files hold, and the NICs that became a VM or an NVA.
 *
 * What arsemu cannot express is a warning, naming the file and path, and
 * left out: a rule with a service tag other than VirtualNetwork, Internet
 * or AzureLoadBalancer, with application security groups, or with protocol
 * Esp or Ah (so the rules after it decide, as they would in Azure for the
 * traffic it does not match); an association with a subnet that takes no
 * NSG (topo_subnet_no_nsg: NS-05, RS-03).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "../lib/util.h"
#include "azimport_int.h"

/*
 * az's "<key>" (one value) or "<key>es"/"<key>s" (a list): into x as the
 * topology's array `out`. false after a warning: the rule is left out.
 */
static bool
put_list(struct az *a, const struct azres *at, const cJSON *rule,
    const char *one, const char *many, bool addrs, cJSON *x, const char *out)
{
	const cJSON *list = az_jget(rule, many), *el;
	cJSON *arr = cJSON_CreateArray();
	const char *s, *v;

	if (cJSON_GetArraySize(list) > 0) {
		cJSON_ArrayForEach(el, list) {
			if (!cJSON_IsString(el) || (addrs &&
			    !imp_nsg_addr(el->valuestring, &v))) {
				az_warn(a, at, many, "%s is not an address, a "
				    "prefix or a service tag arsemu knows "
				    "(VirtualNetwork, Internet, AzureLoadBalancer, "
				    "NS-03): rule not imported",
				    cJSON_IsString(el) ? el->valuestring : "?");
				cJSON_Delete(arr);
				return false;
			}
			cJSON_AddItemToArray(arr, cJSON_CreateString(addrs ? v :
			    el->valuestring));
		}
	} else {
		s = az_jstr(rule, one);
		if (s == NULL)
			s = "*";
		if (addrs && !imp_nsg_addr(s, &v)) {
			az_warn(a, at, one, "%s is not an address, a prefix or a "
			    "service tag arsemu knows (VirtualNetwork, Internet, "
			    "AzureLoadBalancer, NS-03): rule not imported", s);
			cJSON_Delete(arr);
			return false;
		}
		cJSON_AddItemToArray(arr, cJSON_CreateString(addrs ? v : s));
	}
	cJSON_AddItemToObject(x, out, arr);
	return true;
}

static cJSON *
put_rule(struct az *a, const struct azres *g, const cJSON *rule, size_t i)
{
	static const char *const asgs[] = {
		"sourceApplicationSecurityGroups",
		"destinationApplicationSecurityGroups"
	};
	cJSON *x = cJSON_CreateObject();
	const cJSON *prio = az_jget(rule, "priority");
	const char *proto = az_jstr(rule, "protocol");
	struct azres at;
	size_t k;

	az_res_at(&at, g, "securityRules", i);
	for (k = 0; k < 2; k++)
		if (cJSON_GetArraySize(az_jget(rule, asgs[k])) > 0) {
			az_warn(a, &at, asgs[k], "application security groups are "
			    "not modelled: rule not imported");
			cJSON_Delete(x);
			return NULL;
		}
	if (proto != NULL && (strcasecmp(proto, "Esp") == 0 ||
	    strcasecmp(proto, "Ah") == 0)) {
		az_warn(a, &at, "protocol", "protocol %s is not emulated: rule "
		    "not imported", proto);
		cJSON_Delete(x);
		return NULL;
	}
	cJSON_AddStringToObject(x, "name", az_jstr(rule, "name") ?
	    az_jstr(rule, "name") : "rule");
	if (cJSON_IsNumber(prio))
		cJSON_AddNumberToObject(x, "priority", prio->valuedouble);
	if (az_jstr(rule, "direction") != NULL)
		cJSON_AddStringToObject(x, "direction", az_jstr(rule,
		    "direction"));
	if (az_jstr(rule, "access") != NULL)
		cJSON_AddStringToObject(x, "access", az_jstr(rule, "access"));
	if (proto != NULL)
		cJSON_AddStringToObject(x, "protocol", proto);
	if (!put_list(a, &at, rule, "sourceAddressPrefix",
	    "sourceAddressPrefixes", true, x, "source_address_prefixes") ||
	    !put_list(a, &at, rule, "destinationAddressPrefix",
	    "destinationAddressPrefixes", true, x,
	    "destination_address_prefixes") ||
	    !put_list(a, &at, rule, "sourcePortRange", "sourcePortRanges", false,
	    x, "source_port_ranges") ||
	    !put_list(a, &at, rule, "destinationPortRange",
	    "destinationPortRanges", false, x, "destination_port_ranges")) {
		cJSON_Delete(x);
		return NULL;
	}
	return x;
}

static void
put_assoc(struct az *a, const struct azres *g, cJSON *x)
{
	cJSON *subs = cJSON_AddArrayToObject(x, "subnets");
	cJSON *nics = cJSON_AddArrayToObject(x, "nics");
	const cJSON *el;
	struct azres at;
	char ref[300];
	const char *id, *rule;
	size_t k = 0;
	int n;

	cJSON_ArrayForEach(el, az_jget(g->o, "subnets")) {
		az_res_at(&at, g, "subnets", k++);
		if (!az_subnet_ref(a, az_jstr(el, "id"), ref, sizeof(ref)))
			az_warn(a, &at, "id", "a subnet of a VNet the files do not "
			    "hold: not associated");
		else if ((rule = topo_subnet_no_nsg(strchr(ref, '/') + 1)) !=
		    NULL)
			az_warn(a, &at, "id", "%s: Azure takes no NSG there "
			    "(%s): not associated", ref, rule);
		else
			cJSON_AddItemToArray(subs, cJSON_CreateString(ref));
	}
	k = 0;
	cJSON_ArrayForEach(el, az_jget(g->o, "networkInterfaces")) {
		az_res_at(&at, g, "networkInterfaces", k++);
		id = az_jstr(el, "id");
		n = id ? az_set_get(&a->nic_ids, id, strlen(id)) : -1;
		if (n < 0 || a->nics[n].node[0] == '\0')
			az_warn(a, &at, "id", "a NIC that is no VM or NVA of the "
			    "topology: not associated");
		else
			cJSON_AddItemToArray(nics,
			    cJSON_CreateString(a->nics[n].node));
	}
}

void
az_put_nsgs(struct az *a, cJSON *root)
{
	cJSON *arr, *x, *rules, *y;
	const cJSON *el;
	size_t i, k;

	if (a->nnsgs == 0)
		return;
	arr = cJSON_AddArrayToObject(root, "network_security_groups");
	for (i = 0; i < a->nnsgs; i++) {
		const struct azres *g = &a->nsgs[i];

		x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "name", az_jstr(g->o, "name") ?
		    az_jstr(g->o, "name") : "nsg");
		put_assoc(a, g, x);
		rules = cJSON_AddArrayToObject(x, "rules");
		k = 0;
		cJSON_ArrayForEach(el, az_jget(g->o, "securityRules"))
			if ((y = put_rule(a, g, el, k++)) != NULL)
				cJSON_AddItemToArray(rules, y);
		cJSON_AddItemToArray(arr, x);
	}
}
