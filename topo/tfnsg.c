/*
 * tfnsg: network security groups from Terraform into the topology's
 * "network_security_groups" (NS-01): azurerm_network_security_group with
 * its inline security_rule blocks, azurerm_network_security_rule (by
 * network_security_group_name), and the associations
 * azurerm_subnet_network_security_group_association, a VNet's inline
 * subnet block's security_group (azurerm 4.x) and
 * azurerm_network_interface_security_group_association (the NICs that
 * became a VM or an NVA). Azure's default rules are the topology's own.
 *
 * Left out with a warning naming the resource: a rule with a service tag
 * other than VirtualNetwork, Internet, AzureLoadBalancer, with application
 * security groups or for Esp/Ah; an association with a subnet that takes no
 * NSG (topo_subnet_no_nsg: NS-05, RS-03), or with what the file does not
 * hold.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "../lib/util.h"
#include "importcommon.h"
#include "tfimport_int.h"
#include "tfmodel.h"

struct tfnsg {
	const struct tfres	*r;
	cJSON			*o, *subs, *nics, *rules;
};

/* "<one>" or the set "<many>" of a rule into x's `out`; false: warned. */
static bool
put_list(struct tf *a, const struct tfres *r, const char *block, size_t i,
    const char *one, const char *many, bool addrs, cJSON *x, const char *out)
{
	const cJSON *set = tf_val(r, block, i, many), *el;
	cJSON *arr = cJSON_CreateArray();
	const char *s = tf_str(r, block, i, one), *v;
	const char *rule = tf_str(r, block, i, "name");

	if (cJSON_GetArraySize(set) > 0) {
		cJSON_ArrayForEach(el, set) {
			if (!cJSON_IsString(el) || (addrs &&
			    !imp_nsg_addr(el->valuestring, &v)))
				goto bad;
			cJSON_AddItemToArray(arr, cJSON_CreateString(addrs ? v :
			    el->valuestring));
		}
	} else {
		if (s == NULL || s[0] == '\0')
			s = "*";
		if (addrs && !imp_nsg_addr(s, &v))
			goto bad;
		cJSON_AddItemToArray(arr, cJSON_CreateString(addrs ? v : s));
	}
	cJSON_AddItemToObject(x, out, arr);
	return true;
bad:
	tf_warn(a, r, "security rule %s: %s holds what is not an address, a "
	    "prefix or a service tag arsemu knows (VirtualNetwork, Internet, "
	    "AzureLoadBalancer, NS-03): rule not imported", rule ? rule : "?",
	    cJSON_GetArraySize(set) > 0 ? many : one);
	cJSON_Delete(arr);
	return false;
}

static void
put_rule(struct tf *a, struct tfnsg *g, const struct tfres *r,
    const char *block, size_t i)
{
	static const char *const asgs[] = {
		"source_application_security_group_ids",
		"destination_application_security_group_ids"
	};
	const char *name = tf_str(r, block, i, "name");
	const char *proto = tf_str(r, block, i, "protocol");
	const cJSON *prio = tf_val(r, block, i, "priority");
	cJSON *x;
	size_t k;

	for (k = 0; k < 2; k++)
		if (cJSON_GetArraySize(tf_val(r, block, i, asgs[k])) > 0) {
			tf_warn(a, r, "security rule %s: application security "
			    "groups are not modelled: rule not imported",
			    name ? name : "?");
			return;
		}
	if (proto != NULL && (strcasecmp(proto, "Esp") == 0 ||
	    strcasecmp(proto, "Ah") == 0)) {
		tf_warn(a, r, "security rule %s: protocol %s is not emulated: "
		    "rule not imported", name ? name : "?", proto);
		return;
	}
	x = cJSON_CreateObject();
	cJSON_AddStringToObject(x, "name", name ? name : "rule");
	if (cJSON_IsNumber(prio))
		cJSON_AddNumberToObject(x, "priority", prio->valuedouble);
	if (tf_str(r, block, i, "direction") != NULL)
		cJSON_AddStringToObject(x, "direction", tf_str(r, block, i,
		    "direction"));
	if (tf_str(r, block, i, "access") != NULL)
		cJSON_AddStringToObject(x, "access", tf_str(r, block, i,
		    "access"));
	if (proto != NULL)
		cJSON_AddStringToObject(x, "protocol", proto);
	if (!put_list(a, r, block, i, "source_address_prefix",
	    "source_address_prefixes", true, x, "source_address_prefixes") ||
	    !put_list(a, r, block, i, "destination_address_prefix",
	    "destination_address_prefixes", true, x,
	    "destination_address_prefixes") ||
	    !put_list(a, r, block, i, "source_port_range", "source_port_ranges",
	    false, x, "source_port_ranges") ||
	    !put_list(a, r, block, i, "destination_port_range",
	    "destination_port_ranges", false, x, "destination_port_ranges")) {
		cJSON_Delete(x);
		return;
	}
	cJSON_AddItemToArray(g->rules, x);
}

static struct tfnsg *
nsg_of(struct tfnsg *v, size_t n, const struct tfres *r)
{
	size_t i;

	for (i = 0; r != NULL && i < n; i++)
		if (v[i].r == r)
			return &v[i];
	return NULL;
}

static void
assoc_subnet(struct tf *a, struct tfm *m, struct tfnsg *g,
    const struct tfres *r, int v, int sub)
{
	char ref[TOPO_NAME_MAX + TOPO_AZNAME_MAX + 2];
	const char *sn, *rule;
	const cJSON *el;

	if (v < 0) {
		tf_warn(a, r, "a subnet of a VNet the file does not hold: not "
		    "associated");
		return;
	}
	sn = m->vnets[v].subs[sub].name;
	if ((rule = topo_subnet_no_nsg(sn)) != NULL) {
		tf_warn(a, r, "Azure takes no NSG on %s (%s): not associated",
		    sn, rule);
		return;
	}
	snprintf(ref, sizeof(ref), "%s/%s", m->vnets[v].name, sn);
	cJSON_ArrayForEach(el, g->subs)
		if (strcmp(el->valuestring, ref) == 0)
			return;
	cJSON_AddItemToArray(g->subs, cJSON_CreateString(ref));
}

static void
assoc_nic(struct tf *a, struct tfm *m, struct tfnsg *g, const struct tfres *r)
{
	const struct tfnic *n = tfm_nic_of(m, tf_ref(a, r, NULL, 0,
	    "network_interface_id"));

	if (n == NULL || n->node[0] == '\0') {
		tf_warn(a, r, "a NIC that is no VM or NVA of the topology: not "
		    "associated");
		return;
	}
	cJSON_AddItemToArray(g->nics, cJSON_CreateString(n->node));
}

/* azurerm 4.x: a VNet's inline subnet block names its NSG. */
static void
inline_assocs(struct tf *a, struct tfm *m, struct tfnsg *v, size_t n)
{
	size_t i, k, ns;
	struct tfnsg *g;

	for (i = 0; i < m->nvnets; i++) {
		const struct tfres *r = m->vnets[i].r;

		ns = (size_t)cJSON_GetArraySize(tf_val(r, NULL, 0, "subnet"));
		for (k = 0; k < ns; k++) {
			int sub = tfm_sub_by_name(&m->vnets[i], tf_str(r, "subnet",
			    k, "name"));

			if (sub >= 0 && (g = nsg_of(v, n, tf_ref(a, r, "subnet", k,
			    "security_group"))) != NULL)
				assoc_subnet(a, m, g, r, (int)i, sub);
		}
	}
}

/* The rules and associations that are resources of their own. */
static void
separate(struct tf *a, struct tfm *m, struct tfnsg *v, size_t n)
{
	const char *gn;
	struct tfnsg *g;
	size_t i, k;
	int vn, sub;

	for (i = 0; i < a->nres; i++) {
		const struct tfres *r = &a->res[i];

		if (r->data)
			continue;
		g = NULL;
		if (strcmp(r->type, "azurerm_network_security_rule") == 0) {
			gn = tf_str(r, NULL, 0, "network_security_group_name");
			for (k = 0; gn != NULL && k < n && g == NULL; k++)
				if (strcasecmp(tf_str(v[k].r, NULL, 0, "name") ?
				    tf_str(v[k].r, NULL, 0, "name") : "", gn) == 0)
					g = &v[k];
		} else if (strcmp(r->type,
		    "azurerm_subnet_network_security_group_association") == 0 ||
		    strcmp(r->type,
		    "azurerm_network_interface_security_group_association") == 0)
			g = nsg_of(v, n, tf_ref(a, r, NULL, 0,
			    "network_security_group_id"));
		else
			continue;
		if (g == NULL) {
			tf_warn(a, r, "its network security group is not in the "
			    "file: skipped");
			continue;
		}
		if (strcmp(r->type, "azurerm_network_security_rule") == 0)
			put_rule(a, g, r, NULL, 0);
		else if (strcmp(r->type,
		    "azurerm_network_interface_security_group_association") == 0)
			assoc_nic(a, m, g, r);
		else {
			vn = tfm_subnet_ref(a, m, r, NULL, 0, "subnet_id", &sub);
			assoc_subnet(a, m, g, r, vn, sub);
		}
	}
}

void
tfm_put_nsgs(struct tf *a, struct tfm *m, cJSON *root)
{
	struct imp_names names = { NULL, 0, 0 };
	char name[IMP_NAME_MAX + 1];
	struct tfnsg *v = NULL, *g;
	size_t n = 0, cap = 0, i, k, nr;
	cJSON *arr;

	for (i = 0; i < a->nres; i++) {
		const struct tfres *r = &a->res[i];

		if (r->data || strcmp(r->type,
		    "azurerm_network_security_group") != 0)
			continue;
		xgrow(&v, &cap, n + 1, sizeof(*v));
		g = &v[n++];
		g->r = r;
		g->o = cJSON_CreateObject();
		cJSON_AddStringToObject(g->o, "name", imp_take_exact(&names,
		    tf_str(r, NULL, 0, "name") ? tf_str(r, NULL, 0, "name") :
		    r->name, name, TOPO_AZNAME_MAX));
		g->subs = cJSON_AddArrayToObject(g->o, "subnets");
		g->nics = cJSON_AddArrayToObject(g->o, "nics");
		g->rules = cJSON_AddArrayToObject(g->o, "rules");
		nr = (size_t)cJSON_GetArraySize(tf_val(r, NULL, 0,
		    "security_rule"));
		for (k = 0; k < nr; k++)
			put_rule(a, g, r, "security_rule", k);
	}
	separate(a, m, v, n);
	inline_assocs(a, m, v, n);
	if (n > 0) {
		arr = cJSON_AddArrayToObject(root, "network_security_groups");
		for (i = 0; i < n; i++)
			cJSON_AddItemToArray(arr, v[i].o);
	}
	imp_names_free(&names);
	free(v);
}
