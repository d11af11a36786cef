/*
 * validate: the checks that compare objects once the whole file is parsed:
 * names that must be unique (nodes become namespaces), the peering rules
 * (PE-03, PE-05, spoke-to-spoke peerings too), the gateway a route
 * table's VirtualNetworkGateway route goes to (GW-11, GW-12), the Route Server peer limit (RS-07), and on-premises
 * prefixes that must stay outside every VNet. Also the warnings: what Azure
 * accepts but advises against (RS-04: an NVA peering with one instance).
 *
 * Runs while t->nodes is still in file order, so that a duplicate is
 * reported where it is declared the second time.
 *
 * Must not: change the model.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../lib/util.h"
#include "topo_int.h"

/* The lab's own namespaces, arsemu-<lab>-<name> (see emu/lab.h). */
static const char *const lab_ns_names[] = { "fabric", "internet" };

void
topo_warning(struct topo *t, const char *path, const char *msg)
{
	char raw[TOPO_PATH_MAX + 640], out[sizeof(raw)];

	snprintf(raw, sizeof(raw), "%s%s%s", path, *path ? ": " : "", msg);
	topo_push(&t->warnings, &t->nwarnings,
	    xstrdup(str_escape(out, sizeof(out), raw)));
}

void
topo_warnf(struct topo *t, const char *path, const char *fmt, ...)
{
	char msg[640];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	topo_warning(t, path, msg);
}

void
topo_warn(struct tctx *c, const char *path, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	topo_warning(c->t, path, msg);
}

static int
node_name_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct topo_node *const *)a)->name,
	    (*(const struct topo_node *const *)b)->name);
}

static int
node_names(struct tctx *c)
{
	const struct topo *t = c->t;
	char p[TOPO_PATH_MAX];
	size_t i, j, dup, first = 0;

	dup = topo_first_dup(t->nodes, t->nnodes, sizeof(*t->nodes),
	    node_name_cmp, &first);
	for (i = 0; i < t->nnodes; i++) {
		topo_node_name_path(p, t->nodes[i]);
		for (j = 0; j < NELEM(lab_ns_names); j++)
			if (strcmp(t->nodes[i]->name, lab_ns_names[j]) == 0)
				return topo_fail(c, p, "node name \"%s\" is "
				    "reserved: the lab's own namespace "
				    "arsemu-<lab>-%s has it", lab_ns_names[j],
				    lab_ns_names[j]);
		if (i == dup)
			return topo_fail(c, p, "node name \"%s\" is "
			    "already used by %s: node names must be "
			    "unique, since each becomes the namespace "
			    "arsemu-<lab>-<name>", t->nodes[i]->name,
			    t->nodes[first]->jpath);
	}
	return 0;
}

static int
other_names(struct tctx *c)
{
	const struct topo *t = c->t;
	char p[TOPO_PATH_MAX];
	size_t i, j;

	for (i = 0; i < t->nregions; i++)
		for (j = 0; j < i; j++)
			if (strcmp(t->regions[i]->name, t->regions[j]->name) == 0) {
				snprintf(p, sizeof(p), "regions[%zu].name", i);
				return topo_fail(c, p, "region \"%s\" is already "
				    "declared at regions[%zu]",
				    t->regions[i]->name, j);
			}
	for (i = 0; i < t->nvnets; i++)
		for (j = 0; j < i; j++)
			if (strcmp(t->vnets[i]->name, t->vnets[j]->name) == 0)
				return topo_fail(c, topo_path_key(p,
				    t->vnets[i]->jpath, "name"), "VNet name "
				    "\"%s\" is already used by %s",
				    t->vnets[i]->name, t->vnets[j]->jpath);
	for (i = 0; i < t->nsites; i++)
		for (j = 0; j < i; j++)
			if (strcmp(t->sites[i]->name, t->sites[j]->name) == 0) {
				snprintf(p, sizeof(p), "sites[%zu].name", i);
				return topo_fail(c, p, "site \"%s\" is already "
				    "declared at sites[%zu]", t->sites[i]->name,
				    j);
			}
	return 0;
}

/* PE-05, for a spoke and a hub it is peered with. */
static int
peered_overlap(struct tctx *c, const struct topo_vnet *v,
    const struct topo_vnet *h)
{
	char p[TOPO_PATH_MAX], sp[TOPO_PATH_MAX], a[PFX_STRLEN], b[PFX_STRLEN];
	size_t i, j;

	for (i = 0; i < v->nspace; i++)
		for (j = 0; j < h->nspace; j++)
			if (pfx_overlap(&v->space[i], &h->space[j]))
				return topo_fail(c, topo_path_idx(p,
				    topo_path_key(sp, v->jpath, "address_space"),
				    i), "%s overlaps %s of hub \"%s\": the "
				    "address spaces of peered VNets must not "
				    "overlap (PE-05)", pfx_fmt(&v->space[i], a),
				    pfx_fmt(&h->space[j], b), h->name);
	return 0;
}

/*
 * PE-03 on side s of a spoke-to-spoke peering that sets
 * use_remote_gateways: the other spoke has a Route Server (a spoke has no
 * gateway) and allows gateway transit on its side; this spoke has no
 * Route Server of its own and no other peering using a remote gateway.
 */
static int
spoke_remote_gateways(struct tctx *c, const struct topo_peering *pe,
    unsigned s)
{
	const struct topo_vnet *v = pe->vnet[s], *w = pe->vnet[1 - s];
	const struct topo_peering *o;
	char p[TOPO_PATH_MAX], q[TOPO_PATH_MAX];
	size_t i;

	topo_path_key(p, pe->jpath[s], "use_remote_gateways");
	if (w->rs == NULL && w->ngws == 0)
		return topo_fail(c, p, "spoke \"%s\" has no gateway or "
		    "Route Server to use (PE-03)", w->name);
	if (v->rs != NULL || v->ngws > 0)
		return topo_fail(c, p, "spoke \"%s\" has its own "
		    "route_server: a VNet with a Route Server or gateway cannot "
		    "use a remote one (PE-03)", v->name);
	if (!pe->allow_gateway_transit[1 - s])
		return topo_fail(c, p, "spoke \"%s\" does not set "
		    "allow_gateway_transit on its side of the peering (%s), and "
		    "use_remote_gateways needs it there (PE-03)", w->name,
		    pe->jpath[1 - s] != NULL ? pe->jpath[1 - s] : "it does not "
		    "list the peering, so Azure's default, false");
	if (v->use_remote_gateways)
		return topo_fail(c, p, "spoke \"%s\" already uses its hub's "
		    "gateways (use_remote_gateways at %s): only one peering of "
		    "a VNet may use remote gateways (PE-03)", v->name,
		    topo_path_key(q, v->jpath, "use_remote_gateways"));
	for (i = 0; i < v->nvpeers; i++) {
		o = v->vpeers[i];
		if (o == pe)
			break;
		if (o->use_remote_gateways[o->vnet[0] == v ? 0 : 1])
			return topo_fail(c, p, "spoke \"%s\" already uses "
			    "remote gateways over its peering with \"%s\": "
			    "only one peering of a VNet may (PE-03)", v->name,
			    o->vnet[o->vnet[0] == v ? 1 : 0]->name);
	}
	return 0;
}

/*
 * A spoke-to-spoke peering: PE-05 (Azure refuses to peer VNets whose
 * address spaces overlap) and PE-03 (spoke_remote_gateways).
 */
static int
spoke_peering(struct tctx *c, const struct topo_peering *pe)
{
	char a[PFX_STRLEN], b[PFX_STRLEN];
	const struct topo_vnet *v, *w;
	unsigned s = pe->jpath[0] != NULL ? 0 : 1;
	size_t i, j;

	v = pe->vnet[0];
	w = pe->vnet[1];
	for (i = 0; i < v->nspace; i++)
		for (j = 0; j < w->nspace; j++)
			if (pfx_overlap(&v->space[i], &w->space[j]))
				return topo_fail(c, pe->jpath[s], "%s of spoke "
				    "\"%s\" overlaps %s of spoke \"%s\": Azure "
				    "does not peer VNets whose address spaces "
				    "overlap (PE-05)", pfx_fmt(&v->space[i], a),
				    v->name, pfx_fmt(&w->space[j], b), w->name);
	for (s = 0; s < 2; s++)
		if (pe->use_remote_gateways[s] &&
		    spoke_remote_gateways(c, pe, s) == -1)
			return -1;
	return 0;
}

/* PE-03: the spine's only gateway is the Route Server. */
static int
remote_gateways(struct tctx *c, const struct topo_vnet *v)
{
	const struct topo_vnet *h = v->peer_hub;
	char p[TOPO_PATH_MAX];

	if (!v->use_remote_gateways)
		return 0;
	topo_path_key(p, v->jpath, "use_remote_gateways");
	if (v->rs != NULL)
		return topo_fail(c, p, "spoke \"%s\" has its own route_server: "
		    "a VNet with a Route Server or gateway cannot use a remote "
		    "one, and a dual-homed spoke keeps \"Use remote gateway or "
		    "Route Server\" off (PE-03, PE-06)", v->name);
	if (h == NULL)
		return topo_fail(c, p, "spoke \"%s\" is not peered with a hub, "
		    "so it has no remote gateway to use (PE-03)", v->name);
	if (!h->allow_gateway_transit)
		return topo_fail(c, p, "hub \"%s\" sets allow_gateway_transit "
		    "to false, and use_remote_gateways needs it on the hub's "
		    "side of the peering (PE-03)", h->name);
	if (h->rs == NULL && h->ngws == 0)
		return topo_fail(c, p, "hub \"%s\" has neither a route_server "
		    "nor a gateway to use (PE-03)", h->name);
	return 0;
}

/* Why a subnet of v has no gateway VNet (topo_gateway_vnet() is NULL). */
static void
no_gateway_why(const struct topo_vnet *v, char *buf, size_t len)
{
	const struct topo_vnet *h = v->peer_hub;

	if (h == NULL)
		snprintf(buf, len, "VNet \"%s\" has no gateway and is peered "
		    "with no hub", v->name);
	else if (!v->use_remote_gateways)
		snprintf(buf, len, "spoke \"%s\" does not set "
		    "use_remote_gateways, so it uses no gateway of hub \"%s\"",
		    v->name, h->name);
	else
		snprintf(buf, len, "hub \"%s\" has no gateway (a Route Server "
		    "is not one: it is never in the data path, RS-23)", h->name);
}

/*
 * VR-08, GW-11: a VirtualNetworkGateway route sends to the VPN gateway of
 * the subnet's VNet, or of the hub a spoke uses with use_remote_gateways.
 * Azure refuses an ExpressRoute gateway as its target, and any gateway
 * where VPN and ExpressRoute gateways coexist (GW-12); with no gateway at
 * all the route has nowhere to go.
 */
static int
udr_gateway(struct tctx *c, const struct topo_route_table *rt, size_t k,
    const struct topo_subnet *sn)
{
	const struct topo_vnet *g = topo_gateway_vnet(sn->vnet);
	const struct topo_gw *vpn = topo_udr_gateway(sn->vnet), *er;
	char p[TOPO_PATH_MAX], rp[TOPO_PATH_MAX], why[256];
	size_t i;

	topo_path_key(p, topo_path_idx(rp, topo_path_key(p, rt->jpath,
	    "routes"), k), "next_hop_type");
	if (vpn != NULL) {
		for (i = 0, er = NULL; er == NULL && i < g->ngws; i++)
			if (g->gws[i]->type == TOPO_GW_EXPRESSROUTE)
				er = g->gws[i];
		if (er == NULL)
			return 0;
		return topo_fail(c, p, "route \"%s\" of route table \"%s\" "
		    "on subnet %s/%s would send to VPN gateway \"%s\" of hub "
		    "\"%s\", which coexists with ExpressRoute gateway \"%s\": "
		    "a VirtualNetworkGateway next hop cannot be used where VPN "
		    "and ExpressRoute connections coexist (GW-12)",
		    rt->routes[k].name, rt->name, sn->vnet->name, sn->name,
		    vpn->name, g->name, er->name);
	}
	if (g != NULL)
		return topo_fail(c, p, "route \"%s\" of route table \"%s\" "
		    "on subnet %s/%s would send to ExpressRoute gateway \"%s\" "
		    "of hub \"%s\": a VirtualNetworkGateway route cannot target "
		    "an ExpressRoute gateway, only a VPN gateway (GW-11, VR-08)",
		    rt->routes[k].name, rt->name, sn->vnet->name, sn->name,
		    g->gws[0]->name, g->name);
	no_gateway_why(sn->vnet, why, sizeof(why));
	return topo_fail(c, p, "route \"%s\" of route table \"%s\" on subnet "
	    "%s/%s has no gateway to send to: %s; a VirtualNetworkGateway "
	    "route needs a VPN gateway in the VNet or in the hub it uses with "
	    "use_remote_gateways (VR-08, GW-11)", rt->routes[k].name, rt->name,
	    sn->vnet->name, sn->name, why);
}

static int
udr_gateways(struct tctx *c)
{
	const struct topo_route_table *rt;
	size_t i, k, s;

	for (i = 0; i < c->t->nrts; i++) {
		rt = c->t->rts[i];
		for (k = 0; k < rt->nroutes; k++)
			for (s = 0; rt->routes[k].type == TOPO_UDR_VNG &&
			    s < rt->nsubnets; s++)
				if (udr_gateway(c, rt, k, rt->subnets[s]) == -1)
					return -1;
	}
	return 0;
}

/* RS-07: an NVA is one peering resource, whether it holds 1 or 2 sessions. */
static int
rs_peers(struct tctx *c, const struct topo_rs *rs)
{
	const struct topo_nva *nva;
	unsigned count = 0;
	size_t i;

	for (i = 0; i < c->t->nnvas; i++) {
		nva = c->t->nvas[i];
		if (!topo_nva_peers_rs(nva, rs))
			continue;
		if (++count > rs->max_peers)
			return topo_fail(c, nva->node->jpath, "the Route Server "
			    "of VNet \"%s\" already has %u peers, the most it "
			    "takes (max_peers, RS-07)", rs->vnet->name,
			    rs->max_peers);
	}
	return 0;
}

/* Is v the VNet of rs or one peered with it (RS-41 counts them all)? */
static bool
rs_serves(const struct topo_rs *rs, const struct topo_vnet *v)
{
	return v == rs->vnet || topo_vnets_peered(v, rs->vnet);
}

/*
 * RS-41: one Route Server serves at most 500 VNets (its own and the peered
 * ones), 4,000 VMs at the default 2 routing infrastructure units (1,000 more
 * per unit, "routing_units"), and 10,000 on-premises and VNet prefixes.
 */
static int
rs_totals(struct tctx *c, const struct topo_rs *rs)
{
	const struct topo *t = c->t;
	unsigned vnets = 0, vms = 0, pfx = 0, cap = TOPO_RS_VMS(rs->routing_units);
	char p[TOPO_PATH_MAX];
	size_t i, k;

	topo_path_key(p, rs->vnet->jpath, "route_server");
	for (i = 0; i < t->nvnets; i++)
		if (rs_serves(rs, t->vnets[i])) {
			vnets++;
			pfx += (unsigned)t->vnets[i]->nspace;
		}
	for (i = 0; i < t->nnodes; i++)
		vms += t->nodes[i]->kind == TOPO_VM &&
		    rs_serves(rs, t->nodes[i]->nic->subnet->vnet);
	for (i = 0; i < rs->vnet->ngws; i++)
		for (k = 0; k < rs->vnet->gws[i]->nconns; k++)
			pfx += (unsigned)rs->vnet->gws[i]->conns[k]->site->nprefixes;
	for (i = 0; i < t->nsites; i++)
		for (k = 0; k < t->sites[i]->nlinks; k++)
			if (t->sites[i]->links[k]->nva->node->nic->subnet->vnet ==
			    rs->vnet) {
				pfx += (unsigned)t->sites[i]->nprefixes;
				break;
			}
	if (vnets > TOPO_RS_MAX_VNETS)
		return topo_fail(c, p, "serves %u VNets (hub \"%s\" and the VNets "
		    "peered with it); a Route Server serves at most %u (RS-41)",
		    vnets, rs->vnet->name, TOPO_RS_MAX_VNETS);
	if (vms > cap)
		return topo_fail(c, p, "serves %u VMs; with %u routing "
		    "infrastructure units a Route Server serves at most %u "
		    "(RS-41: 4,000 at 2 units, 1,000 more per unit up to %u; "
		    "set routing_units)", vms, rs->routing_units, cap,
		    TOPO_RS_UNITS_MAX);
	if (pfx > TOPO_RS_MAX_PREFIXES)
		return topo_fail(c, p, "would carry %u on-premises and VNet "
		    "prefixes; a Route Server takes at most %u (RS-41)", pfx,
		    TOPO_RS_MAX_PREFIXES);
	return 0;
}

/* RS-04 and U-04: allowed, programmed, and flagged. */
static void
one_instance(struct tctx *c, const struct topo_nva *nva)
{
	const struct topo_rs *rs = nva->node->nic->subnet->vnet->rs;
	char p[TOPO_PATH_MAX];
	unsigned inst = nva->peer_rs[0] ? 0 : 1;

	if (nva->peer_rs[0] == nva->peer_rs[1] || rs == NULL)
		return;
	topo_warn(c, topo_path_key(p, nva->node->jpath, "peers"), "NVA \"%s\" "
	    "peers with Route Server instance %u only: Azure expects a "
	    "session with each instance (RS-04); its routes are programmed "
	    "anyway, and %s lists no such peering (U-04)", nva->node->name,
	    inst, rs->inst[1 - inst]->name);
}

/*
 * VR-15: a site prefix may contain or equal VNet space (a data centre's
 * 10.0.0.0/8 summary); one strictly inside a VNet prefix is refused
 * (U-17), and so is a site host at an address of a VNet (U-17).
 */
static int
site_overlap(struct tctx *c, size_t si)
{
	const struct topo_site *s = c->t->sites[si];
	const struct topo_vnet *v;
	char p[TOPO_PATH_MAX], a[PFX_STRLEN], b[PFX_STRLEN];
	size_t i, j, k;

	for (i = 0; i < s->nprefixes; i++)
		for (j = 0; j < c->t->nvnets; j++) {
			v = c->t->vnets[j];
			for (k = 0; k < v->nspace; k++) {
				if (!pfx_contains(&v->space[k], &s->prefixes[i]) ||
				    pfx_equal(&v->space[k], &s->prefixes[i]))
					continue;
				snprintf(p, sizeof(p), "sites[%zu].prefixes[%zu]",
				    si, i);
				return topo_fail(c, p, "%s lies inside the "
				    "address space %s of VNet \"%s\": a site "
				    "prefix may contain or equal VNet space "
				    "(VR-15), not subdivide it (U-17)",
				    pfx_fmt(&s->prefixes[i], a),
				    pfx_fmt(&v->space[k], b), v->name);
			}
		}
	for (i = 0; i < s->nhosts; i++)
		for (j = 0; j < c->t->nvnets; j++) {
			v = c->t->vnets[j];
			for (k = 0; k < v->nspace; k++) {
				if (!pfx_contains_addr(&v->space[k],
				    s->hosts[i]->host_ip))
					continue;
				return topo_fail(c, topo_path_key(p,
				    s->hosts[i]->jpath, "ip"), "%s is in the "
				    "address space %s of VNet \"%s\": a site "
				    "host must lie outside every VNet, whose "
				    "system routes win (VR-06, U-17)",
				    addr_fmt(s->hosts[i]->host_ip, a),
				    pfx_fmt(&v->space[k], b), v->name);
			}
		}
	return 0;
}

int
topo_validate(struct tctx *c)
{
	const struct topo *t = c->t;
	size_t i, k;

	/* t->nodes is in file order: the first node past the cap */
	if (t->nnodes > TOPO_NODES_MAX)
		return topo_fail(c, t->nodes[TOPO_NODES_MAX]->jpath, "node "
		    "%u of the topology: a topology holds at most %u nodes "
		    "(VMs, NVAs, instances of Route Servers and gateways, "
		    "MSEEs, site routers and hosts)", TOPO_NODES_MAX + 1,
		    TOPO_NODES_MAX);
	if (other_names(c) == -1 || node_names(c) == -1)
		return -1;
	for (i = 0; i < t->nvnets; i++) {
		if (t->vnets[i]->peer_hub != NULL &&
		    peered_overlap(c, t->vnets[i], t->vnets[i]->peer_hub) == -1)
			return -1;
		for (k = 0; k < t->vnets[i]->nxhubs; k++)
			if (peered_overlap(c, t->vnets[i],
			    t->vnets[i]->xhubs[k]) == -1)
				return -1;
		if (remote_gateways(c, t->vnets[i]) == -1)
			return -1;
	}
	for (i = 0; i < t->npeerings; i++)
		if (spoke_peering(c, t->peerings[i]) == -1)
			return -1;
	if (udr_gateways(c) == -1)
		return -1;
	for (i = 0; i < t->nrss; i++)
		if (rs_peers(c, t->rss[i]) == -1 || rs_totals(c, t->rss[i]) == -1)
			return -1;
	for (i = 0; i < t->nsites; i++)
		if (site_overlap(c, i) == -1)
			return -1;
	for (i = 0; i < t->nnvas; i++)
		one_instance(c, t->nvas[i]);
	return 0;
}
