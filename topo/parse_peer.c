/*
 * parse_peer: peerings beyond a spoke's region hub, and Route Servers met
 * across a peering (the dual-homed design of PE-06, RS-08).
 *
 * A spoke's "peerings" names further hubs it is peered with, and other
 * spokes (struct topo_peering, both ways); a spoke may
 * hold its own "route_server" (parse.c); an NVA's "route_servers" names
 * the VNets, directly peered with its own (a hub, or a spoke: PE-08),
 * whose Route Server it also peers with, and its "as_override" (parse_node.c) rewrites 65515 on what
 * it sends every Route Server. Read once every VNet exists, since a name
 * may point further down the file.
 *
 * Must not: decide routes or judge designs (lint.c warns).
 */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../lib/util.h"
#include "topo_int.h"

static bool
listed(struct topo_vnet *const *v, size_t n, const struct topo_vnet *w)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == w)
			return true;
	return false;
}

static const char *const peering_fields[] = {
	"vnet", "allow_forwarded_traffic", "allow_gateway_transit",
	"use_remote_gateways", NULL
};

/*
 * A spoke-to-spoke peering (VR-03, PE-01): one struct for both sides; the
 * side that lists the other sets its own flags (o: the entry's object, or
 * NULL for a bare name: Azure's defaults).
 */
static int
spoke_spoke(struct tctx *c, const char *p, const cJSON *o, struct topo_vnet *v,
    struct topo_vnet *w)
{
	struct topo_peering *pe;
	unsigned side;

	if ((pe = (struct topo_peering *)topo_vnet_peering(v, w)) == NULL) {
		pe = xcalloc(1, sizeof(*pe));
		pe->vnet[0] = v;
		pe->vnet[1] = w;
		pe->allow_forwarded_traffic[0] = true;
		pe->allow_forwarded_traffic[1] = true;
		topo_push(&c->t->peerings, &c->t->npeerings, pe);
		topo_push(&v->vpeers, &v->nvpeers, pe);
		topo_push(&w->vpeers, &w->nvpeers, pe);
	}
	side = pe->vnet[0] == v ? 0 : 1;
	if (pe->jpath[side] != NULL)
		return topo_fail(c, p, "spoke \"%s\" is listed twice (first "
		    "at %s)", w->name, pe->jpath[side]);
	pe->jpath[side] = xstrdup(p);
	if (o == NULL)
		return 0;
	return topo_jbool(c, o, p, "allow_forwarded_traffic",
	    &pe->allow_forwarded_traffic[side]) == -1 ||
	    topo_jbool(c, o, p, "allow_gateway_transit",
	    &pe->allow_gateway_transit[side]) == -1 ||
	    topo_jbool(c, o, p, "use_remote_gateways",
	    &pe->use_remote_gateways[side]) == -1 ? -1 : 0;
}

/*
 * One entry of a spoke's "peerings": a hub's name (PE-06: the spoke's
 * further hubs; no gateway transit over them: PE-03's one
 * use_remote_gateways peering is the region hub's or a spoke's), or
 * another spoke, by name or as {"vnet": NAME, flags}.
 */
static int
spoke_peering(struct tctx *c, const char *p, const cJSON *el,
    struct topo_vnet *v)
{
	char np[TOPO_PATH_MAX];
	struct topo_vnet *h;
	const cJSON *o = NULL;
	const char *name;

	if (cJSON_IsObject(el)) {
		o = el;
		if (topo_jfields(c, o, p, peering_fields) == -1 ||
		    topo_jstr(c, o, p, "vnet", true, &name) == -1)
			return -1;
		topo_path_key(np, p, "vnet");
	} else {
		if (topo_vstr(c, el, p, &name) == -1)
			return -1;
		snprintf(np, sizeof(np), "%s", p);
	}
	if ((h = topo_vnet_find(c->t, name)) == NULL)
		return topo_fail(c, np, "no VNet is named \"%.64s\": a spoke's "
		    "peerings name hubs or other spokes", name);
	if (h == v)
		return topo_fail(c, np, "spoke \"%s\" cannot peer with itself",
		    v->name);
	if (!h->hub)
		return spoke_spoke(c, p, o, v, h);
	if (o != NULL)
		return topo_fail(c, np, "\"%s\" is a hub: a peering with a "
		    "further hub is listed by its name, without flags (PE-06)",
		    h->name);
	if (h == v->peer_hub)
		return topo_fail(c, p, "spoke \"%s\" is already peered with "
		    "hub \"%s\", its region's (\"peered\")", v->name, h->name);
	if (listed(v->xhubs, v->nxhubs, h))
		return topo_fail(c, p, "hub \"%s\" is listed twice", h->name);
	topo_push(&v->xhubs, &v->nxhubs, h);
	topo_push(&h->xspokes, &h->nxspokes, v);
	return 0;
}

int
topo_parse_spoke_peerings(struct tctx *c, const cJSON *o, const char *path,
    struct topo_vnet *v)
{
	char pp[TOPO_PATH_MAX], p[TOPO_PATH_MAX];
	const cJSON *arr, *el;
	size_t i = 0;
	int r;

	if ((r = topo_jarr(c, o, path, "peerings", false, &arr)) <= 0)
		return r;
	topo_path_key(pp, path, "peerings");
	cJSON_ArrayForEach(el, arr) {
		topo_path_idx(p, pp, i++);
		if (spoke_peering(c, p, el, v) == -1)
			return -1;
	}
	return 0;
}

static struct topo_nva *
nva_at(const struct topo *t, const char *jpath)
{
	size_t i;

	for (i = 0; i < t->nnvas; i++)
		if (strcmp(t->nvas[i]->node->jpath, jpath) == 0)
			return t->nvas[i];
	return NULL;
}

/* RS-08: a Route Server of a VNet directly peered with the NVA's own. */
static int
nva_route_server(struct tctx *c, const char *p, const char *name, void *arg)
{
	struct topo_nva *nva = arg;
	const struct topo_vnet *own = nva->node->nic->subnet->vnet;
	struct topo_vnet *v;
	size_t i;

	if ((v = topo_vnet_find(c->t, name)) == NULL)
		return topo_fail(c, p, "no VNet is named \"%.64s\"", name);
	if (v->rs == NULL)
		return topo_fail(c, p, "VNet \"%s\" has no route_server", name);
	if (v == own)
		return topo_fail(c, p, "\"%s\" is the NVA's own VNet: its "
		    "own Route Server's instances are chosen with \"peers\"",
		    name);
	if (!topo_vnets_peered(own, v))
		return topo_fail(c, p, "VNet \"%s\" is not peered with \"%s\": "
		    "a Route Server peers with NVAs in its own VNet or in a "
		    "directly peered one (RS-08, PE-01)", name, own->name);
	for (i = 0; i < nva->nxrs; i++)
		if (nva->xrs[i] == v->rs)
			return topo_fail(c, p, "\"%s\" is listed twice", name);
	topo_push(&nva->xrs, &nva->nxrs, v->rs);
	return 0;
}

static int
nva_route_servers(struct tctx *c, const cJSON *o, const char *path)
{
	struct topo_nva *nva;

	if ((nva = nva_at(c->t, path)) == NULL)
		return topo_fail(c, path, "internal: no NVA was read here");
	return topo_jnames(c, o, path, "route_servers", nva, nva_route_server);
}

/*
 * PE-08: an NVA in a spoke that speaks BGP peers with a Route Server it can
 * reach, its spoke's own (PE-06) or one across a peering (RS-08): there is
 * nothing else for it to speak BGP with in a VNet.
 */
static int
spoke_nva_has_rs(struct tctx *c, const cJSON *o, const char *path)
{
	char p[TOPO_PATH_MAX];
	struct topo_nva *nva = nva_at(c->t, path);
	const struct topo_vnet *own;

	if (nva == NULL || !nva->bgp || nva->nxrs > 0 ||
	    nva->peer_rs[0] || nva->peer_rs[1])
		return 0;
	own = nva->node->nic->subnet->vnet;
	if (topo_jget(o, "bgp") != NULL)
		topo_path_key(p, path, "bgp");
	else
		snprintf(p, sizeof(p), "%s", path);
	return topo_fail(c, p, "NVA \"%s\" in spoke \"%s\" speaks BGP but "
	    "has no Route Server to peer with: give the spoke a route_server, "
	    "name a directly peered VNet's in \"route_servers\" (RS-08), or "
	    "set \"bgp\": false and reach it by route tables (PE-08)",
	    nva->node->name, own->name);
}

/* The NVAs of one VNet object ("nvas"); spoke: PE-08's check too. */
static int
vnet_nvas(struct tctx *c, const cJSON *v, const char *vpath, bool spoke)
{
	char np[TOPO_PATH_MAX], p[TOPO_PATH_MAX];
	const cJSON *el;
	size_t j = 0;

	topo_path_key(np, vpath, "nvas");
	cJSON_ArrayForEach(el, topo_jget(v, "nvas")) {
		topo_path_idx(p, np, j++);
		if (nva_route_servers(c, el, p) == -1 ||
		    (spoke && spoke_nva_has_rs(c, el, p) == -1))
			return -1;
	}
	return 0;
}

int
topo_parse_nva_route_servers(struct tctx *c, const cJSON *regions)
{
	char rp[TOPO_PATH_MAX], hp[TOPO_PATH_MAX], sp[TOPO_PATH_MAX];
	char p[TOPO_PATH_MAX];
	const cJSON *rg, *hub, *el;
	size_t i = 0, j;

	cJSON_ArrayForEach(rg, regions) {
		topo_path_idx(rp, "regions", i++);
		if ((hub = topo_jget(rg, "hub")) != NULL &&
		    vnet_nvas(c, hub, topo_path_key(hp, rp, "hub"), false) == -1)
			return -1;
		topo_path_key(sp, rp, "spokes");
		j = 0;
		cJSON_ArrayForEach(el, topo_jget(rg, "spokes"))
			if (vnet_nvas(c, el, topo_path_idx(p, sp, j++),
			    true) == -1)
				return -1;
	}
	return 0;
}
