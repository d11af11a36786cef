/*
 * tfwrite: the topology of a Terraform import as JSON (arsemu-topology(5)):
 * regions with their hub and spokes, sites, and the route tables, which are
 * read here (azurerm_route_table, azurerm_route and
 * azurerm_subnet_route_table_association) as they go straight to the file.
 *
 * Owns: the document it prints. Must not: decide hubs, nodes or addresses
 * (tfimport.c, tfnodes.c do).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "../lib/util.h"
#include "tfmodel.h"

struct tfrt {
	const struct tfres *r;
	cJSON		*o, *subs, *routes;
};

/* ---- VNets ---- */

static void
put_subnets(const struct tfvnet *v, cJSON *o)
{
	cJSON *subs = cJSON_AddObjectToObject(o, "subnets");
	size_t i;

	for (i = 0; i < v->nsubs; i++)
		cJSON_AddStringToObject(subs, v->subs[i].name, v->subs[i].pfx);
}

/* Takes o's arrays (vms, nvas, gateways, peerings): they move. */
static void
put_moved(cJSON *o, const char *key, cJSON **arr)
{
	if (*arr != NULL)
		cJSON_AddItemToObject(o, key, *arr);
	*arr = NULL;
}

static cJSON *
put_vnet(struct tfvnet *v)
{
	cJSON *o = cJSON_CreateObject(), *rs;
	const char *pref;

	cJSON_AddStringToObject(o, "name", v->name);
	cJSON_AddItemToObject(o, "address_space", cJSON_Duplicate(v->space,
	    true));
	put_subnets(v, o);
	if (v->rs != NULL) {	/* a hub's, or a spoke's own (PE-06) */
		rs = cJSON_AddObjectToObject(o, "route_server");
		cJSON_AddBoolToObject(rs, "branch_to_branch", tf_bool(v->rs,
		    NULL, 0, "branch_to_branch_traffic_enabled", false));
		if ((pref = tf_str(v->rs, NULL, 0,
		    "hub_routing_preference")) != NULL)
			cJSON_AddStringToObject(rs, "hub_routing_preference",
			    pref);
	}
	if (v->ishub) {
		if (!v->agt)
			cJSON_AddBoolToObject(o, "allow_gateway_transit", false);
		put_moved(o, "nvas", &v->nvas);
		put_moved(o, "gateways", &v->gwout);
		put_moved(o, "load_balancers", &v->lbs);
	} else if (v->hub < 0)
		cJSON_AddBoolToObject(o, "peered", false);
	else {
		cJSON_AddBoolToObject(o, "use_remote_gateways", v->urg);
		if (!v->aft)
			cJSON_AddBoolToObject(o, "allow_forwarded_traffic", false);
	}
	if (!v->ishub) {	/* PE-08 */
		put_moved(o, "nvas", &v->nvas);
		put_moved(o, "load_balancers", &v->lbs);
	}
	put_moved(o, "vms", &v->vms);
	put_moved(o, "peerings", &v->peers);
	return o;
}

static void
put_regions(struct tf *a, struct tfm *m, cJSON *root)
{
	cJSON *regions = cJSON_AddArrayToObject(root, "regions"), *r, *sp;
	size_t i;

	for (i = 0; i < m->nvnets; i++)
		if (m->vnets[i].ishub)
			cJSON_AddItemToObject(imp_region_obj(regions,
			    m->vnets[i].loc), "hub", put_vnet(&m->vnets[i]));
	for (i = 0; i < m->nvnets; i++) {
		struct tfvnet *v = &m->vnets[i];
		const char *loc = v->loc;

		if (v->ishub)
			continue;
		if (v->hub >= 0 && strcmp(m->vnets[v->hub].loc, loc) != 0) {
			tf_warn(a, v->r, "location %s: imported into its hub's "
			    "region %s (arsemu lists a spoke under its hub)", loc,
			    m->vnets[v->hub].loc);
			loc = m->vnets[v->hub].loc;
		}
		r = imp_region_obj(regions, loc);
		if ((sp = cJSON_GetObjectItemCaseSensitive(r, "spokes")) == NULL)
			sp = cJSON_AddArrayToObject(r, "spokes");
		cJSON_AddItemToArray(sp, put_vnet(v));
	}
}

/* ---- route tables ---- */

static struct tfrt *
rt_of(struct tfrt *rts, size_t n, const struct tfres *r)
{
	size_t i;

	for (i = 0; r != NULL && i < n; i++)
		if (rts[i].r == r)
			return &rts[i];
	return NULL;
}

static void
put_route(struct tf *a, struct tfrt *t, const struct tfres *r,
    const char *block, size_t i)
{
	const char *pfx = tf_str(r, block, i, "address_prefix");
	const char *type = tf_str(r, block, i, "next_hop_type");
	const char *nh = tf_str(r, block, i, "next_hop_in_ip_address");
	const char *name = tf_str(r, block, i, "name");
	cJSON *x;

	if (pfx == NULL || type == NULL || name == NULL) {
		tf_warn(a, r, "a route without name, address_prefix or "
		    "next_hop_type: skipped");
		return;
	}
	if (strchr(pfx, '/') == NULL) {
		tf_warn(a, r, "route %s: %s is a service tag, not imported", name,
		    pfx);
		return;
	}
	x = cJSON_CreateObject();
	cJSON_AddStringToObject(x, "name", name);
	cJSON_AddStringToObject(x, "prefix", pfx);
	cJSON_AddStringToObject(x, "next_hop_type", type);
	if (nh != NULL && nh[0] != '\0')
		cJSON_AddStringToObject(x, "next_hop_ip", nh);
	cJSON_AddItemToArray(t->routes, x);
}

static void
associate(struct tf *a, struct tfm *m, struct tfrt *t, const struct tfres *r,
    int v, int sub)
{
	char ref[TOPO_NAME_MAX + TOPO_AZNAME_MAX + 2];
	const cJSON *el;

	if (v < 0) {
		tf_warn(a, r, "a subnet of a VNet the file does not hold: not "
		    "associated");
		return;
	}
	snprintf(ref, sizeof(ref), "%s/%s", m->vnets[v].name,
	    m->vnets[v].subs[sub].name);
	cJSON_ArrayForEach(el, t->subs)
		if (strcmp(el->valuestring, ref) == 0)
			return;
	cJSON_AddItemToArray(t->subs, cJSON_CreateString(ref));
}

static void
rt_subnets(struct tf *a, struct tfm *m, struct tfrt *t)
{
	const cJSON *el;
	int v, sub;

	cJSON_ArrayForEach(el, tf_val(t->r, NULL, 0, "subnets")) {
		if (!cJSON_IsString(el))
			continue;
		v = tfm_subnet_id(a, m, tf_by_id(a, el->valuestring),
		    el->valuestring, &sub);
		associate(a, m, t, t->r, v, sub);
	}
}

/* azurerm 4.x: a VNet's inline subnet block names its route table. */
static void
inline_assocs(struct tf *a, struct tfm *m, struct tfrt *rts, size_t n)
{
	size_t i, k, ns;
	struct tfrt *t;

	for (i = 0; i < m->nvnets; i++) {
		const struct tfres *r = m->vnets[i].r;

		ns = (size_t)cJSON_GetArraySize(tf_val(r, NULL, 0, "subnet"));
		for (k = 0; k < ns; k++) {
			int sub = tfm_sub_by_name(&m->vnets[i], tf_str(r, "subnet",
			    k, "name"));

			if (sub < 0 || (t = rt_of(rts, n, tf_ref(a, r, "subnet", k,
			    "route_table_id"))) == NULL)
				continue;
			associate(a, m, t, r, (int)i, sub);
		}
	}
}

static void
put_route_tables(struct tf *a, struct tfm *m, cJSON *root)
{
	struct tfrt *rts = NULL, *t;
	char name[IMP_NAME_MAX + 1];
	size_t n = 0, cap = 0, i, k, nr;
	cJSON *arr = cJSON_AddArrayToObject(root, "route_tables");
	int v, sub;

	for (i = 0; i < a->nres; i++) {
		const struct tfres *r = &a->res[i];

		if (r->data || strcmp(r->type, "azurerm_route_table") != 0)
			continue;
		xgrow(&rts, &cap, n + 1, sizeof(*rts));
		t = &rts[n];
		t->r = r;
		t->o = cJSON_CreateObject();
		n++;
		/* unique among the tables: name, name-2, ... */
		cJSON_AddStringToObject(t->o, "name", imp_take_exact(&m->rtnames,
		    tf_str(r, NULL, 0, "name") ? tf_str(r, NULL, 0, "name") :
		    r->name, name, TOPO_AZNAME_MAX));
		if (tf_bool(r, NULL, 0, "disable_bgp_route_propagation", false) ||
		    !tf_bool(r, NULL, 0, "bgp_route_propagation_enabled", true))
			cJSON_AddBoolToObject(t->o,
			    "disable_bgp_route_propagation", true);
		t->subs = cJSON_AddArrayToObject(t->o, "subnets");
		t->routes = cJSON_AddArrayToObject(t->o, "routes");
		nr = (size_t)cJSON_GetArraySize(tf_val(r, NULL, 0, "route"));
		for (k = 0; k < nr; k++)
			put_route(a, t, r, "route", k);
		rt_subnets(a, m, t);
		cJSON_AddItemToArray(arr, t->o);
	}
	for (i = 0; i < a->nres; i++) {
		const struct tfres *r = &a->res[i];
		bool route = strcmp(r->type, "azurerm_route") == 0;

		if (r->data || (!route && strcmp(r->type,
		    "azurerm_subnet_route_table_association") != 0))
			continue;
		t = NULL;
		if (route) {
			const char *tn = tf_str(r, NULL, 0, "route_table_name");

			for (k = 0; tn != NULL && k < n && t == NULL; k++)
				if (strcasecmp(tf_str(rts[k].r, NULL, 0, "name") ?
				    tf_str(rts[k].r, NULL, 0, "name") : "", tn) == 0)
					t = &rts[k];
		} else
			t = rt_of(rts, n, tf_ref(a, r, NULL, 0, "route_table_id"));
		if (t == NULL) {
			tf_warn(a, r, "its route table is not in the file: "
			    "skipped");
			continue;
		}
		if (route)
			put_route(a, t, r, NULL, 0);
		else {
			v = tfm_subnet_ref(a, m, r, NULL, 0, "subnet_id", &sub);
			associate(a, m, t, r, v, sub);
		}
	}
	inline_assocs(a, m, rts, n);
	free(rts);
}

/* ---- the whole ---- */

char *
tfm_write(struct tf *a, struct tfm *m, const char *name, enum tf_side side)
{
	cJSON *root = cJSON_CreateObject();
	char *desc, *out;

	desc = xasprintf("Imported by arsemu import terraform from %s (%s)",
	    a->file, !a->out->plan ? "a state" : side == TF_BEFORE ?
	    "a plan's prior state" : "a plan's planned values");
	cJSON_AddStringToObject(root, "name", name);
	cJSON_AddStringToObject(root, "description", desc);
	free(desc);
	put_regions(a, m, root);
	if (m->sitesout != NULL) {
		cJSON_AddItemToObject(root, "sites", m->sitesout);
		m->sitesout = NULL;
	}
	put_route_tables(a, m, root);
	tfm_put_nsgs(a, m, root);
	out = cJSON_Print(root);
	cJSON_Delete(root);
	return out;
}

void
tfm_free(struct tfm *m)
{
	size_t i, k;

	for (i = 0; i < m->nvnets; i++) {
		struct tfvnet *v = &m->vnets[i];

		for (k = 0; k < v->nsubs; k++)
			imp_alloc_free(&v->subs[k].al);
		free(v->subs);
		free(v->gws);
		free(v->fws);
		cJSON_Delete(v->peers);
		cJSON_Delete(v->nvas);
		cJSON_Delete(v->vms);
		cJSON_Delete(v->gwout);
		cJSON_Delete(v->lbs);
	}
	free(m->vnets);
	free(m->nics);
	free(m->lngs);
	cJSON_Delete(m->sitesout);
	imp_names_free(&m->vnames);
	imp_names_free(&m->nodes);
	imp_names_free(&m->gwnames);
	imp_names_free(&m->sites);
	imp_names_free(&m->rtnames);
	imp_names_free(&m->lbnames);
	memset(m, 0, sizeof(*m));
}
