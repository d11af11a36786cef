/*
 * parse_rt: route tables (user-defined routes, UDRs) and the subnets they
 * are associated with. Checks what Azure checks when a route table is
 * created or associated: the next hop types and their next hop address
 * (VR-08), at most 400 routes (VR-12), no route table on RouteServerSubnet
 * (RS-03), one route table per subnet, and no disabled gateway route
 * propagation on GatewaySubnet (VR-07). Whether a VirtualNetworkGateway
 * route has a VPN gateway to go to depends on the subnets the table is
 * associated with, so validate.c checks it (GW-11).
 *
 * Runs after the regions, since a route table names subnets as
 * "vnet/subnet".
 *
 * Must not: compute effective routes (emu/model/sdn.c does) or keep cJSON
 * pointers in the model.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../lib/util.h"
#include "topo_int.h"


static const char *const rt_fields[] = {
	"name", "subnets", "disable_bgp_route_propagation", "routes", NULL
};
static const char *const udr_fields[] = {
	"name", "prefix", "next_hop_type", "next_hop_ip", NULL
};

static const enum topo_udr_type udr_types[] = {
	TOPO_UDR_VIRTUALAPPLIANCE, TOPO_UDR_VNG, TOPO_UDR_VNETLOCAL,
	TOPO_UDR_INTERNET, TOPO_UDR_NONE,
};

/* A resource name as Azure takes it (route tables, routes, subnets). */
static int
rt_name(struct tctx *c, const cJSON *o, const char *path, const char *what,
    char **out)
{
	char p[TOPO_PATH_MAX];
	const char *s;

	if (topo_jstr(c, o, path, "name", true, &s) == -1)
		return -1;
	if (!topo_azname_ok(s))
		return topo_fail(c, topo_path_key(p, path, "name"), "\"%.64s\" "
		    "is not a valid %s name: use 1 to %d letters, digits, '_', "
		    "'.' or '-', starting with a letter or digit and ending "
		    "with one or '_'", s, what, TOPO_AZNAME_MAX);
	*out = xstrdup(s);
	return 0;
}

/* VR-08: the type, and a next hop address exactly when it needs one. */
static int
udr_type(struct tctx *c, const cJSON *o, const char *path,
    struct topo_udr *u)
{
	char p[TOPO_PATH_MAX];
	const char *s;
	size_t i;
	int r;

	if (topo_jstr(c, o, path, "next_hop_type", true, &s) == -1)
		return -1;
	topo_path_key(p, path, "next_hop_type");
	for (i = 0; i < NELEM(udr_types); i++)
		if (strcmp(s, topo_udr_type_str(udr_types[i])) == 0)
			break;
	if (i == NELEM(udr_types))
		return topo_fail(c, p, "\"%.64s\" is not a next hop type of a "
		    "route table: use VirtualAppliance, VirtualNetworkGateway, "
		    "VnetLocal, Internet or None (VR-08; VNetPeering and "
		    "VirtualNetworkServiceEndpoint cannot be used)", s);
	u->type = udr_types[i];
	if ((r = topo_jaddr(c, o, path, "next_hop_ip", &u->nh_ip)) == -1)
		return -1;
	topo_path_key(p, path, "next_hop_ip");
	if (u->type == TOPO_UDR_VIRTUALAPPLIANCE && r == 0)
		return topo_fail(c, p, "required field \"next_hop_ip\" is "
		    "missing: a VirtualAppliance route needs the appliance's "
		    "address (VR-08)");
	if (u->type != TOPO_UDR_VIRTUALAPPLIANCE && r == 1)
		return topo_fail(c, p, "only a VirtualAppliance route has a "
		    "next hop address; %s takes none (VR-08)",
		    topo_udr_type_str(u->type));
	if (r == 1)
		return topo_check_reserved(c, p,
		    &(struct pfx4){ u->nh_ip, 32 });
	return 0;
}

static int
parse_udr(struct tctx *c, const cJSON *o, const char *path, void *arg)
{
	struct topo_route_table *rt = arg;
	char p[TOPO_PATH_MAX], a[PFX_STRLEN];
	struct topo_udr *u;
	const cJSON *v;
	size_t i;

	if (topo_jfields(c, o, path, udr_fields) == -1)
		return -1;
	if (rt->nroutes >= TOPO_UDR_MAX)
		return topo_fail(c, path, "route table \"%s\" has more than %d "
		    "routes, Azure's limit (VR-12)", rt->name, TOPO_UDR_MAX);
	u = &rt->routes[rt->nroutes];
	memset(u, 0, sizeof(*u));
	if (rt_name(c, o, path, "route", &u->name) == -1)
		return -1;
	rt->nroutes++;	/* owns u->name from here on */
	topo_path_key(p, path, "prefix");
	if ((v = topo_jget(o, "prefix")) == NULL)
		return topo_fail(c, p, "required field \"prefix\" is missing");
	if (topo_vpfx(c, v, p, &u->pfx) == -1)
		return -1;
	for (i = 0; i + 1 < rt->nroutes; i++) {
		if (strcmp(rt->routes[i].name, u->name) == 0)
			return topo_fail(c, topo_path_key(p, path, "name"),
			    "route \"%s\" is already in route table \"%s\"",
			    u->name, rt->name);
		if (pfx_equal(&rt->routes[i].pfx, &u->pfx))
			return topo_fail(c, p, "%s is already the prefix of "
			    "route \"%s\": a route table holds one route per "
			    "prefix", pfx_fmt(&u->pfx, a), rt->routes[i].name);
	}
	return udr_type(c, o, path, u);
}

/* One association: RS-03, VR-07, and one route table per subnet. */
static int
associate(struct tctx *c, const char *p, struct topo_route_table *rt,
    const char *ref)
{
	struct topo_subnet *sn;

	if ((sn = topo_subnet_ref(c->t, ref)) == NULL)
		return topo_fail(c, p, "\"%.80s\" names no subnet: write "
		    "\"vnet/subnet\" with a VNet and one of its subnets", ref);
	if (strcmp(sn->name, "RouteServerSubnet") == 0)
		return topo_fail(c, p, "a route table cannot be associated with "
		    "RouteServerSubnet (RS-03)");
	if (rt->disable_bgp && strcmp(sn->name, "GatewaySubnet") == 0)
		return topo_fail(c, p, "disable_bgp_route_propagation must not "
		    "be set on GatewaySubnet: the gateway would lose its routes "
		    "(VR-07)");
	if (sn->rt != NULL)
		return topo_fail(c, p, "subnet \"%s\" of VNet \"%s\" is already "
		    "associated with route table \"%s\": a subnet has at most "
		    "one", sn->name, sn->vnet->name, sn->rt->name);
	sn->rt = rt;
	topo_push(&rt->subnets, &rt->nsubnets, sn);
	return 0;
}

static int
parse_assoc(struct tctx *c, const cJSON *o, const char *path,
    struct topo_route_table *rt)
{
	char sp[TOPO_PATH_MAX], p[TOPO_PATH_MAX];
	const cJSON *arr, *el;
	const char *ref;
	size_t i = 0;
	int r;

	if ((r = topo_jarr(c, o, path, "subnets", false, &arr)) <= 0)
		return r;
	topo_path_key(sp, path, "subnets");
	cJSON_ArrayForEach(el, arr) {
		topo_path_idx(p, sp, i++);
		if (topo_vstr(c, el, p, &ref) == -1 ||
		    associate(c, p, rt, ref) == -1)
			return -1;
	}
	return 0;
}

static int
parse_rt(struct tctx *c, const cJSON *o, const char *path, void *arg)
{
	struct topo_route_table *rt;
	const cJSON *arr;
	char p[TOPO_PATH_MAX];
	size_t i;

	(void)arg;
	rt = xcalloc(1, sizeof(*rt));
	rt->jpath = xstrdup(path);
	topo_push(&c->t->rts, &c->t->nrts, rt);
	if (topo_jfields(c, o, path, rt_fields) == -1 ||
	    rt_name(c, o, path, "route table", &rt->name) == -1)
		return -1;
	for (i = 0; i + 1 < c->t->nrts; i++)
		if (strcmp(c->t->rts[i]->name, rt->name) == 0)
			return topo_fail(c, topo_path_key(p, path, "name"),
			    "route table \"%s\" is already declared at %s",
			    rt->name, c->t->rts[i]->jpath);
	if (topo_jbool(c, o, path, "disable_bgp_route_propagation",
	    &rt->disable_bgp) == -1 ||
	    topo_jarr(c, o, path, "routes", false, &arr) == -1)
		return -1;
	if (arr != NULL) {
		/* One more than allowed: the 401st is reported by name. */
		i = (size_t)cJSON_GetArraySize(arr);
		rt->routes = xcalloc(i < TOPO_UDR_MAX ? i : TOPO_UDR_MAX,
		    sizeof(*rt->routes));
		if (topo_parse_list(c, o, path, "routes", rt, parse_udr) == -1)
			return -1;
	}
	return parse_assoc(c, o, path, rt);
}

int
topo_parse_route_tables(struct tctx *c, const cJSON *root)
{
	return topo_parse_list(c, root, "", "route_tables", NULL, parse_rt);
}

const char *
topo_udr_type_str(enum topo_udr_type t)
{
	switch (t) {
	case TOPO_UDR_VIRTUALAPPLIANCE:
		return "VirtualAppliance";
	case TOPO_UDR_VNG:
		return "VirtualNetworkGateway";
	case TOPO_UDR_VNETLOCAL:
		return "VnetLocal";
	case TOPO_UDR_INTERNET:
		return "Internet";
	case TOPO_UDR_NONE:
		return "None";
	}
	return "?";
}
