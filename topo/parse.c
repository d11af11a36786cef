/*
 * parse: the topology document, its regions and VNets (address space,
 * subnets, Route Server) -> the model. Checks what one value or one VNet can
 * tell (types, ranges, names, prefixes, subnets inside their VNet, RS-03);
 * nodes are in parse_node.c, checks across objects in validate.c.
 *
 * Fields are read by name in a fixed order, whatever order the file uses,
 * so that hubs exist before their spokes and NVAs before the sites that
 * name them, and so that t->nodes comes out in the schema's order.
 *
 * Must not: assign addresses (addr.c) or keep cJSON pointers in the model.
 */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../lib/util.h"
#include "topo_int.h"

#define TOPO_RETRY_DEFAULT	5
#define TOPO_ROUTE_LIMIT_MAX	1000000u
#define TOPO_MAX_PEERS_MAX	255u

static const char *const top_fields[] = {
	"name", "description", "timers", "regions", "sites", "route_tables",
	"overlays", "network_security_groups", NULL
};
static const char *const timer_fields[] = {
	"hold", "keepalive", "connect_retry", NULL
};
static const char *const region_fields[] = { "name", "hub", "spokes", NULL };
static const char *const hub_fields[] = {
	"name", "address_space", "subnets", "route_server",
	"allow_gateway_transit", "nvas", "vms", "gateways", "peerings",
	"bgp_community", "load_balancers", NULL
};
static const char *const spoke_fields[] = {
	"name", "address_space", "peered", "use_remote_gateways",
	"allow_forwarded_traffic", "subnets", "vms", "region", "bgp_community",
	"peerings", "route_server", "nvas", "load_balancers", NULL
};
static const char *const rs_fields[] = {
	"branch_to_branch", "hub_routing_preference", "route_limit",
	"max_peers", "routing_units", NULL
};

/* Ranges Azure refuses in a VNet; arsemu also uses 169.254/16 for sites. */
static const struct {
	uint32_t	 addr;
	uint8_t		 len;
	const char	*why;
} reserved_space[] = {
	{ 0xe0000000u, 4, "multicast" },
	{ 0xffffffffu, 32, "broadcast" },
	{ 0x7f000000u, 8, "loopback" },
	{ 0xa9fe0000u, 16, "link-local, and arsemu's site links" },
	{ 0xa83f8110u, 32, "Azure's virtual public IP 168.63.129.16" },
};

int
topo_check_reserved(struct tctx *c, const char *path, const struct pfx4 *p)
{
	char a[PFX_STRLEN], b[PFX_STRLEN];
	struct pfx4 r;
	size_t i;

	for (i = 0; i < NELEM(reserved_space); i++) {
		r.addr = reserved_space[i].addr;
		r.len = reserved_space[i].len;
		if (pfx_overlap(&r, p))
			return topo_fail(c, path, "%s overlaps %s, which is "
			    "reserved (%s)", pfx_fmt(p, a), pfx_fmt(&r, b),
			    reserved_space[i].why);
	}
	return 0;
}

/* Prefixes in an array, none overlapping another: address spaces, sites. */
/*
 * Lists longer than this are checked for overlaps by sorting (a site's
 * prefixes may number 10,000: GW-07, Premium); shorter ones pairwise.
 */
#define PFXS_QUADRATIC	256

/*
 * Whether two of v overlap. Sorted by address then length, a prefix
 * overlaps an earlier one exactly when it starts before the farthest end
 * seen so far (prefixes nest or are disjoint).
 */
static bool
pfxs_overlap(const struct pfx4 *v, size_t n)
{
	struct pfx4 *s = xcalloc(n, sizeof(*s));
	uint64_t end = 0, e;
	bool hit = false;
	size_t i;

	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), pfx_qcmp);
	for (i = 0; i < n && !hit; i++) {
		e = (uint64_t)s[i].addr + (UINT64_C(1) << (32 - s[i].len));
		hit = i > 0 && s[i].addr < end;
		if (e > end)
			end = e;
	}
	free(s);
	return hit;
}

int
topo_parse_pfxs(struct tctx *c, const cJSON *arr, const char *path,
    struct pfx4 **out, size_t *n)
{
	char p[TOPO_PATH_MAX], a[PFX_STRLEN], b[PFX_STRLEN];
	const cJSON *el;
	size_t i = 0, j;

	size_t len = (size_t)cJSON_GetArraySize(arr);
	bool quad = len <= PFXS_QUADRATIC;

	*out = xcalloc(len ? len : 1, sizeof(**out));
	*n = 0;
	cJSON_ArrayForEach(el, arr) {
		topo_path_idx(p, path, i);
		if (topo_vpfx(c, el, p, &(*out)[i]) == -1 ||
		    topo_check_reserved(c, p, &(*out)[i]) == -1)
			return -1;
		for (j = 0; quad && j < i; j++)
			if (pfx_overlap(&(*out)[j], &(*out)[i]))
				return topo_fail(c, p, "%s overlaps %s at "
				    "index %zu of the same list",
				    pfx_fmt(&(*out)[i], a),
				    pfx_fmt(&(*out)[j], b), j);
		*n = ++i;
	}
	if (quad || !pfxs_overlap(*out, *n))
		return 0;
	/* the first overlap in file order, named as above */
	for (i = 1; i < *n; i++)
		for (j = 0; j < i; j++)
			if (pfx_overlap(&(*out)[j], &(*out)[i]))
				return topo_fail(c, topo_path_idx(p, path, i),
				    "%s overlaps %s at index %zu of the same "
				    "list", pfx_fmt(&(*out)[i], a),
				    pfx_fmt(&(*out)[j], b), j);
	return 0;
}

static int
parse_timers(struct tctx *c, const cJSON *root)
{
	struct topo_timers *tm = &c->t->timers;
	const cJSON *o;
	int r, hold_set;

	tm->hold = AZ_RS_HOLD_DEFAULT;
	tm->keepalive = AZ_RS_KEEPALIVE_DEFAULT;
	tm->connect_retry = TOPO_RETRY_DEFAULT;
	if ((r = topo_jobj(c, root, "", "timers", false, &o)) <= 0)
		return r;
	if (topo_jfields(c, o, "timers", timer_fields) == -1 ||
	    (hold_set = topo_juint(c, o, "timers", "hold", 0, TOPO_U16_MAX,
	    &tm->hold)) == -1)
		return -1;
	if (tm->hold > 0 && tm->hold < TOPO_HOLD_MIN)
		return topo_fail(c, "timers.hold", "hold time %u is not "
		    "allowed: it must be 0 or at least %d seconds (RFC 4271)",
		    tm->hold, TOPO_HOLD_MIN);
	/* Without a keepalive, follow the hold time as RFC 4271 suggests. */
	if (hold_set)
		tm->keepalive = tm->hold / 3;
	if (topo_juint(c, o, "timers", "keepalive", 0, TOPO_U16_MAX,
	    &tm->keepalive) == -1)
		return -1;
	if (tm->hold == 0 && tm->keepalive != 0)
		return topo_fail(c, "timers.keepalive", "must be 0 when the "
		    "hold time is 0 (no keepalives are sent)");
	if (tm->hold > 0 && (tm->keepalive == 0 || tm->keepalive >= tm->hold))
		return topo_fail(c, "timers.keepalive", "keepalive %u must be "
		    "at least 1 and shorter than the hold time %u",
		    tm->keepalive, tm->hold);
	return topo_juint(c, o, "timers", "connect_retry", 1, TOPO_U16_MAX,
	    &tm->connect_retry) == -1 ? -1 : 0;
}

bool
topo_azname_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > TOPO_AZNAME_MAX)
		return false;
	for (i = 0; i < n; i++) {
		bool alnum = (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9');

		if (!alnum && s[i] != '_' && s[i] != '.' && s[i] != '-')
			return false;
		if (i == 0 && !alnum)
			return false;
		if (i == n - 1 && !alnum && s[i] != '_')
			return false;
	}
	return true;
}

static int
check_subnet(struct tctx *c, const char *p, struct topo_vnet *v,
    const struct topo_subnet *sn)
{
	char a[PFX_STRLEN], b[PFX_STRLEN];
	size_t i;

	if (sn->pfx.len > TOPO_SUBNET_MIN_LEN)
		return topo_fail(c, p, "%s is too small: Azure's smallest "
		    "subnet is a /%d", pfx_fmt(&sn->pfx, a),
		    TOPO_SUBNET_MIN_LEN);
	for (i = 0; i < v->nspace; i++)
		if (pfx_contains(&v->space[i], &sn->pfx))
			break;
	if (i == v->nspace)
		return topo_fail(c, p, "%s is outside the address space of "
		    "VNet \"%s\": a subnet must lie inside one of its "
		    "address_space prefixes", pfx_fmt(&sn->pfx, a), v->name);
	for (i = 0; i < v->nsubnets; i++)
		if (pfx_overlap(&v->subnets[i]->pfx, &sn->pfx))
			return topo_fail(c, p, "%s overlaps subnet \"%s\" (%s): "
			    "subnets of a VNet must not overlap",
			    pfx_fmt(&sn->pfx, a), v->subnets[i]->name,
			    pfx_fmt(&v->subnets[i]->pfx, b));
	return 0;
}

static int
parse_subnets(struct tctx *c, const cJSON *o, const char *path,
    struct topo_vnet *v)
{
	char sp[TOPO_PATH_MAX], p[TOPO_PATH_MAX];
	struct topo_subnet *sn;
	struct pfx4 pfx;
	const cJSON *el;
	int r;

	if ((r = topo_jobj(c, o, path, "subnets", false, &o)) <= 0)
		return r;
	topo_path_key(sp, path, "subnets");
	if (topo_jfields(c, o, sp, NULL) == -1)
		return -1;
	cJSON_ArrayForEach(el, o) {
		topo_path_key(p, sp, el->string);
		if (!topo_azname_ok(el->string))
			return topo_fail(c, p, "\"%.64s\" is not a valid subnet "
			    "name: use 1 to %d letters, digits, '_', '.' or "
			    "'-', starting with a letter or digit and ending "
			    "with one or '_'", el->string, TOPO_AZNAME_MAX);
		if (topo_vpfx(c, el, p, &pfx) == -1)
			return -1;
		sn = xcalloc(1, sizeof(*sn));
		sn->name = xstrdup(el->string);
		sn->pfx = pfx;
		sn->vnet = v;
		if (check_subnet(c, p, v, sn) == -1) {
			free(sn->name);
			free(sn);
			return -1;
		}
		topo_push(&v->subnets, &v->nsubnets, sn);
	}
	return 0;
}

static int
parse_pref(struct tctx *c, const cJSON *o, const char *path,
    enum az_hub_pref *out)
{
	static const enum az_hub_pref prefs[] = { AZ_PREF_EXPRESSROUTE,
	    AZ_PREF_VPNGATEWAY, AZ_PREF_ASPATH };
	char p[TOPO_PATH_MAX];
	const char *s;
	size_t i;
	int r;

	if ((r = topo_jstr(c, o, path, "hub_routing_preference", false,
	    &s)) <= 0)
		return r;
	for (i = 0; i < NELEM(prefs); i++)
		if (strcmp(s, az_pref_str(prefs[i])) == 0) {
			*out = prefs[i];
			return 1;
		}
	return topo_fail(c, topo_path_key(p, path, "hub_routing_preference"),
	    "\"%.64s\" is not a hub routing preference: use ExpressRoute, "
	    "VpnGateway or ASPath (RS-31)", s);
}

/* RS-03: the subnet, named exactly so, of /27 or shorter. */
static int
rs_subnet(struct tctx *c, const char *path, struct topo_vnet *v,
    struct topo_subnet **out)
{
	char p[TOPO_PATH_MAX], sp[TOPO_PATH_MAX];

	topo_path_key(sp, path, "subnets");
	if ((*out = topo_subnet_find(v, "RouteServerSubnet")) == NULL)
		return topo_fail(c, sp, "RouteServerSubnet is missing: a VNet "
		    "with a route_server needs a subnet named exactly "
		    "RouteServerSubnet (RS-03)");
	if ((*out)->pfx.len > TOPO_RS_SUBNET_LEN)
		return topo_fail(c, topo_path_key(p, sp, "RouteServerSubnet"),
		    "/%u is too small: Route Server needs /%d or shorter "
		    "(RS-03)", (*out)->pfx.len, TOPO_RS_SUBNET_LEN);
	return 0;
}

/* The two instances, "<hub>-rs0" and "<hub>-rs1" (RS-02). */
static int
rs_nodes(struct tctx *c, const char *path, struct topo_vnet *v,
    struct topo_subnet *sn)
{
	char rp[TOPO_PATH_MAX], np[TOPO_PATH_MAX];
	struct topo_node *n;
	unsigned i;

	topo_path_key(rp, path, "route_server");
	for (i = 0; i < 2; i++) {
		n = topo_new_node(c, xasprintf("%s-rs%u", v->name, i), TOPO_RS,
		    rp, sn);
		if (!topo_name_ok(n->name))
			return topo_fail(c, topo_path_key(np, path, "name"),
			    "VNet name \"%s\" is too long: its Route Server "
			    "nodes are named \"%s\", and node names have at "
			    "most %d characters", v->name, n->name,
			    TOPO_NAME_MAX);
		n->rs = v->rs;
		n->rs_instance = i;
		v->rs->inst[i] = n;
	}
	return 0;
}

static int
parse_rs(struct tctx *c, const cJSON *o, const char *path,
    struct topo_vnet *v)
{
	char p[TOPO_PATH_MAX];
	struct topo_subnet *sn;
	struct topo_rs *rs;
	int r;

	if ((r = topo_jobj(c, o, path, "route_server", false, &o)) <= 0)
		return r;
	topo_path_key(p, path, "route_server");
	if (topo_jfields(c, o, p, rs_fields) == -1 ||
	    rs_subnet(c, path, v, &sn) == -1)
		return -1;
	rs = v->rs = xcalloc(1, sizeof(*rs));
	rs->vnet = v;
	rs->pref = AZ_PREF_EXPRESSROUTE;
	rs->route_limit = TOPO_RS_ROUTE_LIMIT;
	rs->max_peers = TOPO_RS_MAX_PEERS;
	rs->routing_units = TOPO_RS_UNITS_MIN;
	topo_push(&c->t->rss, &c->t->nrss, rs);
	if (topo_jbool(c, o, p, "branch_to_branch", &rs->branch_to_branch)
	    == -1 || parse_pref(c, o, p, &rs->pref) == -1 ||
	    topo_juint(c, o, p, "route_limit", 1, TOPO_ROUTE_LIMIT_MAX,
	    &rs->route_limit) == -1 ||
	    topo_juint(c, o, p, "max_peers", 1, TOPO_MAX_PEERS_MAX,
	    &rs->max_peers) == -1 ||
	    topo_juint(c, o, p, "routing_units", TOPO_RS_UNITS_MIN,
	    TOPO_RS_UNITS_MAX, &rs->routing_units) == -1)
		return -1;
	return rs_nodes(c, path, v, sn);
}

/* Elements of a list of objects; fn parses one. */
static int
each_obj(struct tctx *c, const cJSON *arr, const char *path, void *arg,
    int (*fn)(struct tctx *, const cJSON *, const char *, void *))
{
	char p[TOPO_PATH_MAX];
	const cJSON *el;
	size_t i = 0;

	cJSON_ArrayForEach(el, arr) {
		topo_path_idx(p, path, i++);
		if (!cJSON_IsObject(el))
			return topo_fail(c, p, "must be an object");
		if (fn(c, el, p, arg) == -1)
			return -1;
	}
	return 0;
}

int
topo_parse_list(struct tctx *c, const cJSON *o, const char *path, const char *key,
    void *arg, int (*fn)(struct tctx *, const cJSON *, const char *, void *))
{
	char p[TOPO_PATH_MAX];
	const cJSON *arr;
	int r;

	if ((r = topo_jarr(c, o, path, key, false, &arr)) <= 0)
		return r;
	return each_obj(c, arr, topo_path_key(p, path, key), arg, fn);
}

static int
parse_hub_side(struct tctx *c, const cJSON *o, const char *path,
    struct topo_vnet *v)
{
	if (parse_rs(c, o, path, v) == -1 ||
	    topo_jbool(c, o, path, "allow_gateway_transit",
	    &v->allow_gateway_transit) == -1 ||
	    topo_parse_list(c, o, path, "gateways", v, topo_parse_gw) == -1 ||
	    topo_parse_list(c, o, path, "nvas", v, topo_parse_nva) == -1)
		return -1;
	return 0;
}

static int
parse_spoke_side(struct tctx *c, const cJSON *o, const char *path,
    struct topo_vnet *v)
{
	struct topo_vnet *hub = v->region->hub;
	char p[TOPO_PATH_MAX];
	bool peered = hub != NULL;

	if (topo_jbool(c, o, path, "peered", &peered) == -1 ||
	    topo_jbool(c, o, path, "use_remote_gateways",
	    &v->use_remote_gateways) == -1 ||
	    topo_jbool(c, o, path, "allow_forwarded_traffic",
	    &v->allow_forwarded_traffic) == -1)
		return -1;
	/* PE-06: a dual-homed spoke may host its own Route Server */
	if (parse_rs(c, o, path, v) == -1)
		return -1;
	if (peered && hub == NULL)
		return topo_fail(c, topo_path_key(p, path, "peered"),
		    "region \"%s\" has no hub to peer with", v->region->name);
	if (peered) {
		v->peer_hub = hub;
		topo_push(&hub->spokes, &hub->nspokes, v);
	}
	/* PE-08: NVAs outside the hub (the transit-VNet pattern) */
	return topo_parse_list(c, o, path, "nvas", v, topo_parse_nva);
}

/* GW-08: the custom community ExpressRoute puts on the VNet's prefixes. */
static int
parse_vnet_community(struct tctx *c, const cJSON *o, const char *path,
    struct topo_vnet *v)
{
	char p[TOPO_PATH_MAX];
	const char *s;
	int r;

	if ((r = topo_jstr(c, o, path, "bgp_community", false, &s)) <= 0)
		return r;
	topo_path_key(p, path, "bgp_community");
	if (!topo_community_parse(s, &v->bgp_community))
		return topo_fail(c, p, "\"%.64s\" is not a community: write it "
		    "as 12076:n", s);
	if (v->bgp_community < AZ_VNET_COMMUNITY_MIN ||
	    v->bgp_community > AZ_VNET_COMMUNITY_MAX)
		return topo_fail(c, p, "%s: a virtual network's community must "
		    "be from 12076:20000 to 12076:49999 (GW-08)", s);
	return 0;
}

static int
parse_vnet(struct tctx *c, const cJSON *o, const char *path,
    struct topo_region *rg, bool hub)
{
	char p[TOPO_PATH_MAX];
	struct topo_vnet *v;
	const cJSON *arr;

	v = xcalloc(1, sizeof(*v));
	topo_push(&c->t->vnets, &c->t->nvnets, v);
	v->hub = hub;
	v->region = rg;
	v->jpath = xstrdup(path);
	v->allow_gateway_transit = true;
	v->allow_forwarded_traffic = true;
	if (hub)
		rg->hub = v;
	if (topo_jfields(c, o, path, hub ? hub_fields : spoke_fields) == -1 ||
	    topo_jname(c, o, path, &v->name) == -1 ||
	    topo_jarr(c, o, path, "address_space", true, &arr) == -1 ||
	    topo_parse_pfxs(c, arr, topo_path_key(p, path, "address_space"),
	    &v->space, &v->nspace) == -1 ||
	    parse_vnet_community(c, o, path, v) == -1 ||
	    parse_subnets(c, o, path, v) == -1)
		return -1;
	if (hub ? parse_hub_side(c, o, path, v) == -1 :
	    parse_spoke_side(c, o, path, v) == -1)
		return -1;
	if (topo_parse_list(c, o, path, "vms", v, topo_parse_vm) == -1)
		return -1;
	/* after the NVAs and VMs its pool may name; any VNet's (PE-08) */
	return topo_parse_list(c, o, path, "load_balancers", v, topo_parse_lb);
}

static int
parse_spoke(struct tctx *c, const cJSON *o, const char *path, void *arg)
{
	return parse_vnet(c, o, path, arg, false);
}

static int
parse_region(struct tctx *c, const cJSON *o, const char *path, void *arg)
{
	char p[TOPO_PATH_MAX];
	struct topo_region *rg;
	const cJSON *hub;

	(void)arg;
	rg = xcalloc(1, sizeof(*rg));
	topo_push(&c->t->regions, &c->t->nregions, rg);
	if (topo_jfields(c, o, path, region_fields) == -1 ||
	    topo_jname(c, o, path, &rg->name) == -1 ||
	    topo_jobj(c, o, path, "hub", false, &hub) == -1)
		return -1;
	rg->community = topo_region_community(rg->name);
	if (hub != NULL &&
	    parse_vnet(c, hub, topo_path_key(p, path, "hub"), rg, true) == -1)
		return -1;
	return topo_parse_list(c, o, path, "spokes", rg, parse_spoke);
}

static struct topo_region *
region_find(const struct topo *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nregions; i++)
		if (strcmp(t->regions[i]->name, name) == 0)
			return t->regions[i];
	return NULL;
}

/*
 * A spoke stays listed under the region of the hub it peers with; its
 * "region" says where it lives when that is elsewhere: the peering with
 * its hub is then global (VR-03 VNetGlobalPeering) and gateway transit
 * works over it as over a regional one (PE-04; for Route Server, U-10).
 * Read once every region exists, since it may name a later one.
 */
static int
spoke_regions(struct tctx *c, const cJSON *regions)
{
	char rp[TOPO_PATH_MAX], sp[TOPO_PATH_MAX], p[TOPO_PATH_MAX];
	const cJSON *rg, *spokes, *o;
	struct topo_region *home;
	struct topo_vnet *v;
	const char *name;
	size_t i = 0, j, k = 0;
	int r;

	cJSON_ArrayForEach(rg, regions) {
		topo_path_key(sp, topo_path_idx(rp, "regions", i++), "spokes");
		spokes = topo_jget(rg, "spokes");
		j = 0;
		cJSON_ArrayForEach(o, spokes) {
			topo_path_idx(p, sp, j++);
			/* vnets are in file order: the spoke is further on */
			while (strcmp(c->t->vnets[k]->jpath, p) != 0)
				k++;
			v = c->t->vnets[k];
			if (topo_parse_spoke_peerings(c, o, p, v) == -1)
				return -1;
			if ((r = topo_jstr(c, o, p, "region", false, &name)) <= 0) {
				if (r == -1)
					return -1;
				continue;
			}
			if ((home = region_find(c->t, name)) == NULL)
				return topo_fail(c, topo_path_key(rp, p, "region"),
				    "no region is named \"%.64s\": a spoke's "
				    "region must be one of the file's regions",
				    name);
			v->region = home;
		}
	}
	return 0;
}

int
topo_parse(struct tctx *c, const cJSON *root)
{
	const cJSON *regions;
	const char *desc;
	int r;

	if (!cJSON_IsObject(root))
		return topo_fail(c, "", "the document must be a JSON object");
	if (topo_jfields(c, root, "", top_fields) == -1 ||
	    topo_jname(c, root, "", &c->t->name) == -1 ||
	    (r = topo_jstr(c, root, "", "description", false, &desc)) == -1)
		return -1;
	if (r == 1)
		c->t->description = xstrdup(desc);
	if (parse_timers(c, root) == -1 ||
	    topo_jarr(c, root, "", "regions", true, &regions) == -1 ||
	    each_obj(c, regions, "regions", NULL, parse_region) == -1 ||
	    spoke_regions(c, regions) == -1)
		return -1;
	/* route_servers after the hubs' "peerings" (overlays): a hub's NVA
	 * may name a peered hub (RS-08) */
	if (topo_parse_list(c, root, "", "sites", NULL, topo_parse_site) == -1 ||
	    topo_resolve_gws(c) == -1 || topo_parse_overlays(c, root) == -1 ||
	    topo_parse_nva_route_servers(c, regions) == -1)
		return -1;
	if (topo_parse_route_tables(c, root) == -1)
		return -1;
	return topo_parse_nsgs(c, root);
}
