/*
 * parse_peer: peerings beyond a spoke's region hub, and Route Servers met
 * across a peering (the dual-homed design of PE-06, RS-08).
 *
 * A spoke's "peerings" names further hubs it is peered with; a spoke may
 * hold its own "route_server" (parse.c); an NVA's "route_servers" names
 * the VNets, directly peered with its hub, whose Route Server it also
 * peers with, and its "as_override" (parse_node.c) rewrites 65515 on what
 * it sends every Route Server. Read once every VNet exists, since a name
 * may point further down the file.
 *
 * Must not: decide routes or judge designs (lint.c warns).
 */
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

/*
 * PE-06: the spoke's further hubs. No gateway transit over them: PE-03
 * allows use_remote_gateways on one peering, and it is the region hub's.
 */
static int
spoke_peering(struct tctx *c, const char *p, const char *name, void *arg)
{
	struct topo_vnet *v = arg, *h;

	if ((h = topo_vnet_find(c->t, name)) == NULL || !h->hub)
		return topo_fail(c, p, "no hub is named \"%.64s\": a spoke's "
		    "peerings name hubs", name);
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
	return topo_jnames(c, o, path, "peerings", v, spoke_peering);
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

int
topo_parse_nva_route_servers(struct tctx *c, const cJSON *regions)
{
	char rp[TOPO_PATH_MAX], hp[TOPO_PATH_MAX], np[TOPO_PATH_MAX];
	char p[TOPO_PATH_MAX];
	const cJSON *rg, *hub, *el;
	size_t i = 0, j;

	cJSON_ArrayForEach(rg, regions) {
		topo_path_idx(rp, "regions", i++);
		if ((hub = topo_jget(rg, "hub")) == NULL)
			continue;
		topo_path_key(np, topo_path_key(hp, rp, "hub"), "nvas");
		j = 0;
		cJSON_ArrayForEach(el, topo_jget(hub,
		    "nvas")) {
			topo_path_idx(p, np, j++);
			if (nva_route_servers(c, el, p) == -1)
				return -1;
		}
	}
	return 0;
}
