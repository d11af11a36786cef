/*
 * azimport_gw: virtual network gateways, their connections and the sites
 * behind them (see azimport.h).
 *
 *   virtualNetworkGateways   `az network vnet-gateway list`: gatewayType
 *                            (Vpn or ExpressRoute), activeActive, enableBgp,
 *                            bgpSettings (asn: arsemu's gateways are 65515,
 *                            GW-01; the instance addresses, compared with
 *                            the ones the lab gives), ipConfigurations'
 *                            subnet: the hub's GatewaySubnet
 *   connections              `az network vpn-connection list`: IPsec (a
 *                            tunnel to the local network gateway's site,
 *                            enableBgp) or ExpressRoute (a circuit: the
 *                            circuit's site, routingWeight); Vnet2Vnet is
 *                            not modelled
 *   localNetworkGateways     `az network local-gateway list`: a site, its
 *                            localNetworkAddressSpace and bgpSettings (asn,
 *                            bgpPeeringAddress)
 *   expressRouteCircuits     `az network express-route list`: a site, the
 *                            private peering's peerASN, sku.tier
 *   learned routes           `az network vnet-gateway list-learned-routes`:
 *                            the routes an instance (localAddress) learned
 *                            over eBGP from a local network gateway's
 *                            bgpPeeringAddress, or from an MSEE (AS path
 *                            from 12076), are the site's prefixes too: a
 *                            circuit's site has no others
 * A site no connection keeps, or with no prefix, is left out with a
 * warning, and so is its connection.
 *
 * Must not: read files, or write VNets, NVAs or VMs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "../lib/util.h"
#include "azimport_int.h"

#define AZ_MSEE_ASN	12076u
#define AZ_PATH_MAX	16

/* A connection resolved: gateway and site, before the sites are kept. */
struct azconn {
	const struct azres *r;
	int		 gw, site;
	bool		 bgp;
	double		 weight;
};

/* ---- classifying ---- */

static void
gw_addrs(struct azgw *g)
{
	const cJSON *bgp = az_jget(g->r.o, "bgpSettings"), *el;
	const char *s;

	cJSON_ArrayForEach(el, az_jget(bgp, "bgpPeeringAddresses")) {
		const cJSON *d = az_jget(el, "defaultBgpIpAddresses");

		if (g->nip < 2 && cJSON_IsArray(d) &&
		    cJSON_IsString(d->child) &&
		    addr_parse(d->child->valuestring, &g->ip[g->nip]) == 0)
			g->nip++;
	}
	if (g->nip > 0 || (s = az_jstr(bgp, "bgpPeeringAddress")) == NULL)
		return;
	while (g->nip < 2 && *s != '\0') {
		char b[ADDR_STRLEN];
		size_t n = strcspn(s, ",");

		if (n < sizeof(b)) {
			memcpy(b, s, n);
			b[n] = '\0';
			if (addr_parse(b, &g->ip[g->nip]) == 0)
				g->nip++;
		}
		s += n + (s[n] == ',');
	}
}

void
az_classify_gw(struct az *a, const struct azres *r)
{
	struct azgw g = { .r = *r, .vnet = -1 };
	const char *t = az_jstr(r->o, "gatewayType");

	g.azname = az_jstr(r->o, "name");
	if (g.azname == NULL || t == NULL || (strcasecmp(t, "Vpn") != 0 &&
	    strcasecmp(t, "ExpressRoute") != 0)) {
		az_warn(a, r, g.azname ? "gatewayType" : "name", "not a Vpn or "
		    "ExpressRoute gateway with a name: skipped");
		return;
	}
	g.ord = a->ngws;
	g.er = strcasecmp(t, "ExpressRoute") == 0;
	g.aa = az_jbool(r->o, "activeActive", false);
	g.bgp = g.er || az_jbool(r->o, "enableBgp", false);
	gw_addrs(&g);
	az_push(&a->gws, &a->ngws, &a->gcap, &g, sizeof(g));
}

void
az_classify_site(struct az *a, const struct azres *r, bool er)
{
	struct azsite s = { .r = *r, .er = er };
	const cJSON *bgp = az_jget(r->o, "bgpSettings"), *el;
	const char *ip;

	if ((s.azname = az_jstr(r->o, "name")) == NULL) {
		az_warn(a, r, "name", "missing: skipped");
		return;
	}
	if (er) {
		cJSON_ArrayForEach(el, az_jget(r->o, "peerings"))
			if (strcasecmp(az_jstr(el, "peeringType") ?
			    az_jstr(el, "peeringType") : "",
			    "AzurePrivatePeering") == 0 &&
			    cJSON_IsNumber(az_jget(el, "peerASN")))
				s.asn = az_jget(el, "peerASN")->valuedouble;
	} else {
		if (cJSON_IsNumber(az_jget(bgp, "asn")))
			s.asn = az_jget(bgp, "asn")->valuedouble;
		if ((ip = az_jstr(bgp, "bgpPeeringAddress")) != NULL)
			s.has_bgp_ip = addr_parse(ip, &s.bgp_ip) == 0;
	}
	az_push(&a->sites, &a->nsites, &a->scap, &s, sizeof(s));
}

/* ---- gateways ---- */

/* By the first instance address bgpSettings states, unstated last. */
static int
gw_cmp(const void *x, const void *y)
{
	const struct azgw *g = x, *h = y;
	uint32_t p = g->nip > 0 ? g->ip[0] : UINT32_MAX;
	uint32_t q = h->nip > 0 ? h->ip[0] : UINT32_MAX;

	if (p != q)
		return p < q ? -1 : 1;
	return g->ord < h->ord ? -1 : g->ord > h->ord;
}

/*
 * The lab gives a hub's gateways the free addresses of GatewaySubnet in
 * topology order; az lists them in its own order (by name, ergw before
 * vpngw): in the order of the addresses they have, each gets its own.
 */
void
az_gateways(struct az *a)
{
	char sn[128];
	size_t i;

	if (a->ngws > 1)
		qsort(a->gws, a->ngws, sizeof(*a->gws), gw_cmp);
	for (i = 0; i < a->ngws; i++) {
		struct azgw *g = &a->gws[i];
		const cJSON *ipc = az_jget(g->r.o, "ipConfigurations");
		const char *id = cJSON_IsArray(ipc) ?
		    az_jstr(az_jget(ipc->child, "subnet"), "id") : NULL;
		const cJSON *asn = az_jget(az_jget(g->r.o, "bgpSettings"),
		    "asn");
		const char *vt = az_jstr(g->r.o, "vpnType");
		int v = az_vnet_of_subnet_id(a, id, sn, sizeof(sn));

		if (v < 0 || strcasecmp(sn, "GatewaySubnet") != 0) {
			az_warn(a, &g->r, "ipConfigurations", "gateway %s is "
			    "not in the GatewaySubnet of a VNet the files "
			    "hold: skipped", g->azname);
			continue;
		}
		g->vnet = v;
		a->vnets[v].ngws++;
		if (cJSON_IsNumber(asn) && asn->valuedouble != TOPO_RS_ASN)
			az_warn(a, &g->r, "bgpSettings.asn", "%.0f: arsemu's "
			    "gateways are AS 65515 (GW-01); gateway %s "
			    "imported so", asn->valuedouble, g->azname);
		if (vt != NULL && strcasecmp(vt, "PolicyBased") == 0)
			az_warn(a, &g->r, "vpnType", "PolicyBased: gateway %s "
			    "is imported as route-based", g->azname);
	}
}

static int
gw_by_id(struct az *a, const char *id)
{
	size_t i;

	for (i = 0; id != NULL && i < a->ngws; i++)
		if (imp_id_eq(id, az_jstr(a->gws[i].r.o, "id")))
			return (int)i;
	return -1;
}

static int
site_by_id(struct az *a, const char *id, bool er)
{
	size_t i;

	for (i = 0; id != NULL && i < a->nsites; i++)
		if (a->sites[i].er == er &&
		    imp_id_eq(id, az_jstr(a->sites[i].r.o, "id")))
			return (int)i;
	return -1;
}

/* Node name of the gateway: "<hub>-<name>1" and "<hub>-<name>-msee" fit. */
static bool
gw_name(struct az *a, struct azgw *g)
{
	const struct azvnet *v = &a->vnets[g->vnet];
	int max = TOPO_NAME_MAX - (int)strlen(v->name) - 1 - (g->er ? 5 : 1);

	if (max < 4) {
		az_warn(a, &g->r, "name", "hub %s's name leaves no room for "
		    "gateway %s's node names (at most %d characters): skipped",
		    v->name, g->azname, TOPO_NAME_MAX);
		return false;
	}
	az_take_name(a, g->azname, g->name, (size_t)max);
	return true;
}

/* The instance addresses the lab gives: GatewaySubnet's next free ones. */
static void
gw_check_addrs(struct az *a, struct azgw *g, uint32_t *taken, size_t *ntaken)
{
	const struct azvnet *v = &a->vnets[g->vnet];
	char b[ADDR_STRLEN], c[ADDR_STRLEN];
	struct pfx4 sn = { 0, 0 };
	const cJSON *s;
	int k, n = g->er || g->aa ? 2 : 1;
	uint32_t ip;

	cJSON_ArrayForEach(s, v->subnets)
		if (strcmp(az_jstr(s, "name") ? az_jstr(s, "name") : "",
		    "GatewaySubnet") == 0 && az_subnet_pfx(s) != NULL)
			if (pfx_parse(az_subnet_pfx(s), &sn) != 0)
				return;
	for (k = 0; k < n; k++) {
		if (sn.len == 0 || topo_az_alloc(&sn, taken, *ntaken, &ip) != 0)
			return;
		taken[(*ntaken)++] = ip;
		g->lab_ip[g->nlab++] = ip;
		if (k < g->nip && g->ip[k] != ip)
			az_warn(a, &g->r, "bgpSettings", "instance %d of "
			    "gateway %s has %s; the lab gives it %s, the next "
			    "free address of GatewaySubnet", k, g->azname,
			    addr_fmt(g->ip[k], b), addr_fmt(ip, c));
	}
}

/* ---- connections and sites ---- */

static void
resolve(struct az *a, const struct azres *r, struct azconn *out, size_t *n)
{
	const char *t = az_jstr(r->o, "connectionType");
	const char *name = az_jstr(r->o, "name") ? az_jstr(r->o, "name") : "?";
	int g = gw_by_id(a, az_jstr(az_jget(r->o, "virtualNetworkGateway1"),
	    "id"));
	bool er = t != NULL && strcasecmp(t, "ExpressRoute") == 0;
	const cJSON *w = az_jget(r->o, "routingWeight");
	int s;

	if (t == NULL || (!er && strcasecmp(t, "IPsec") != 0)) {
		az_warn(a, r, "connectionType", "connection %s (%s) is not "
		    "modelled: arsemu connects gateways to sites over IPsec or "
		    "ExpressRoute; hubs reach each other by peering", name,
		    t ? t : "no type");
		return;
	}
	if (g < 0 || a->gws[g].vnet < 0) {
		az_warn(a, r, "virtualNetworkGateway1.id", "connection %s "
		    "names a gateway the files do not hold (or one skipped): "
		    "skipped", name);
		return;
	}
	if (a->gws[g].er != er) {
		az_warn(a, r, "connectionType", "connection %s is %s, gateway "
		    "%s is not: skipped", name, t, a->gws[g].azname);
		return;
	}
	s = er ? site_by_id(a, az_jstr(az_jget(r->o, "peer"), "id"), true) :
	    site_by_id(a, az_jstr(az_jget(r->o, "localNetworkGateway2"), "id"),
	    false);
	if (s < 0) {
		az_warn(a, r, er ? "peer.id" : "localNetworkGateway2.id",
		    "connection %s names a %s the files do not hold: skipped",
		    name, er ? "circuit (az network express-route list)" :
		    "local network gateway (az network local-gateway list)");
		return;
	}
	out[*n].r = r;
	out[*n].gw = g;
	out[*n].site = s;
	out[*n].bgp = er || (az_jbool(r->o, "enableBgp", false) &&
	    a->gws[g].bgp);
	out[*n].weight = cJSON_IsNumber(w) ? w->valuedouble : 0;
	if (out[*n].bgp && a->sites[s].asn == 0) {
		az_warn(a, r, "enableBgp", "site %s has no ASN (bgpSettings): "
		    "connection %s imported without BGP", a->sites[s].azname,
		    name);
		out[*n].bgp = false;
	}
	(*n)++;
}

/* The gateway of a learned route: by its instance address, else by subnet. */
static int
route_gw(struct az *a, const struct azroute *r, bool er)
{
	size_t i;
	int k;

	for (i = 0; i < a->ngws; i++)
		for (k = 0; k < a->gws[i].nip; k++)
			if (r->has_local && a->gws[i].ip[k] == r->local &&
			    a->gws[i].vnet >= 0)
				return (int)i;
	for (i = 0; i < a->ngws; i++) {
		const char *sn = NULL;

		if (a->gws[i].vnet >= 0 && a->gws[i].er == er && r->has_local &&
		    az_vnet_of_ip(a, r->local, "GatewaySubnet", &sn) ==
		    a->gws[i].vnet)
			return (int)i;
	}
	return -1;
}

/* Which site a gateway's eBGP route came from; -1 none (a warning). */
static int
route_site(struct az *a, const struct azroute *r, const struct azconn *cs,
    size_t ncs)
{
	uint32_t path[AZ_PATH_MAX];
	int n = topo_az_asn_path(r->as_path, path, AZ_PATH_MAX), g, s = -1;
	bool er = n > 0 && path[0] == AZ_MSEE_ASN;
	size_t i;

	if (r->origin == NULL || strcasecmp(r->origin, "EBgp") != 0)
		return -1;	/* its own, or the other instance's (iBGP) */
	if ((g = route_gw(a, r, er)) < 0) {
		az_warn(a, &r->r, "localAddress", "learned by no gateway the "
		    "files hold: skipped");
		return -1;
	}
	for (i = 0; i < ncs; i++) {
		const struct azsite *st = &a->sites[cs[i].site];

		if (cs[i].gw != g || st->er != er || (!er && (!st->has_bgp_ip ||
		    st->bgp_ip != r->peer)) || (er && n > 1 &&
		    st->asn != 0 && st->asn != path[1]))
			continue;
		if (s >= 0 && s != cs[i].site) {
			az_warn(a, &r->r, NULL, "%s may come from circuit %s "
			    "or %s: skipped", r->network, a->sites[s].azname,
			    st->azname);
			return -1;
		}
		s = cs[i].site;
	}
	if (s < 0)
		az_warn(a, &r->r, "sourcePeer", "%s: from no site connected to "
		    "gateway %s: skipped", r->network, a->gws[g].azname);
	else if (n > (er ? 2 : 1))
		az_warn(a, &r->r, "asPath", "%s: site %s originates it in the "
		    "lab, with its own ASN only (%s)", r->network,
		    a->sites[s].azname, r->as_path);
	return s;
}

/* Add p to the site's prefixes, unless one holds it; drop those it holds. */
static void
add_prefix(struct az *a, struct azsite *s, const char *p,
    const struct azres *at)
{
	struct pfx4 x, y;
	cJSON *el, *next;

	if (pfx_parse(p, &x) != 0) {
		az_warn(a, at, NULL, "%s is not a prefix: skipped", p);
		return;
	}
	if (az_set_get(&s->seen, p, strlen(p)) != -1)
		return;		/* both instances learned it */
	if (s->seen.n >= TOPO_LIST_MAX) {
		if (s->seen.n++ == TOPO_LIST_MAX)
			az_warn(a, at, NULL, "site %s has %d prefixes already, "
			    "as many as a topology's list holds: the others "
			    "are skipped", s->azname, TOPO_LIST_MAX);
		return;
	}
	az_set_put(&s->seen, p, strlen(p), 0);
	if (s->prefixes == NULL)
		s->prefixes = cJSON_CreateArray();
	for (el = s->prefixes->child; el != NULL; el = next) {
		next = el->next;
		if (pfx_parse(el->valuestring, &y) != 0)
			continue;
		if (pfx_contains(&y, &x)) {
			if (!pfx_equal(&x, &y))
				az_warn(a, at, NULL, "%s lies in %s, a prefix "
				    "of site %s already: skipped", p,
				    el->valuestring, s->azname);
			return;
		}
		if (pfx_contains(&x, &y))
			cJSON_Delete(cJSON_DetachItemViaPointer(s->prefixes,
			    el));
	}
	cJSON_AddItemToArray(s->prefixes, cJSON_CreateString(p));
}

static void
site_prefixes(struct az *a, const struct azconn *cs, size_t ncs)
{
	size_t i, k;

	for (i = 0; i < a->nsites; i++) {
		struct azsite *s = &a->sites[i];
		const cJSON *el;
		struct azres at;

		if (s->er)
			continue;
		k = 0;
		cJSON_ArrayForEach(el, az_jget(az_jget(s->r.o,
		    "localNetworkAddressSpace"), "addressPrefixes")) {
			az_res_at(&at, &s->r, "localNetworkAddressSpace."
			    "addressPrefixes", k++);
			if (cJSON_IsString(el))
				add_prefix(a, s, el->valuestring, &at);
		}
	}
	for (i = 0; i < a->ngwroutes; i++) {
		int s = route_site(a, &a->gwroutes[i], cs, ncs);

		if (s >= 0)
			add_prefix(a, &a->sites[s], a->gwroutes[i].network,
			    &a->gwroutes[i].r);
	}
}

static void
attach(struct az *a, const struct azconn *c)
{
	struct azgw *g = &a->gws[c->gw];
	struct azsite *s = &a->sites[c->site];
	cJSON *x = cJSON_CreateObject();

	if (!s->used) {
		az_take_name(a, s->azname, s->name, TOPO_NAME_MAX - 5);
		s->used = true;
	}
	s->nconns++;
	cJSON_AddStringToObject(x, "site", s->name);
	if (g->er) {
		const char *tier = az_jstr(az_jget(s->r.o, "sku"), "tier");

		if (c->weight > 0)
			cJSON_AddNumberToObject(x, "weight", c->weight);
		if (tier != NULL && (strcmp(tier, "Premium") == 0 ||
		    strcmp(tier, "Local") == 0))
			cJSON_AddStringToObject(x, "sku", tier);
		g->ncircuits++;
	} else if (!c->bgp)
		cJSON_AddBoolToObject(x, "bgp", false);
	if (g->conns == NULL)
		g->conns = cJSON_CreateArray();
	cJSON_AddItemToArray(g->conns, x);
}

void
az_connections(struct az *a)
{
	struct azconn *cs = xcalloc(a->nconns + 1, sizeof(*cs));
	uint32_t *taken = xcalloc(2 * a->ngws + 1, sizeof(uint32_t));
	size_t ncs = 0, i, k, ntaken;

	for (i = 0; i < a->ngws; i++) {
		struct azgw *g = &a->gws[i];

		if (g->vnet < 0 || !az_is_hub(&a->vnets[g->vnet]) ||
		    !gw_name(a, g)) {
			g->vnet = -1;
			continue;
		}
		ntaken = 0;	/* the instances of the hub's gateways before */
		for (k = 0; k < i; k++)
			if (a->gws[k].vnet == g->vnet) {
				int n;

				for (n = 0; n < a->gws[k].nlab; n++)
					taken[ntaken++] = a->gws[k].lab_ip[n];
			}
		gw_check_addrs(a, g, taken, &ntaken);
	}
	for (i = 0; i < a->nconns; i++)
		resolve(a, &a->conns[i], cs, &ncs);
	site_prefixes(a, cs, ncs);
	for (i = 0; i < ncs; i++) {
		struct azsite *s = &a->sites[cs[i].site];

		if (s->prefixes == NULL || s->prefixes->child == NULL) {
			az_warn(a, cs[i].r, NULL, "site %s has no prefix in "
			    "the files: connection skipped (save %s)",
			    s->azname,
			    s->er ? "az network vnet-gateway "
			    "list-learned-routes of its gateway" : "its local "
			    "network gateway's address space, or the gateway's "
			    "learned routes");
			continue;
		}
		attach(a, &cs[i]);
	}
	for (i = 0; i < a->nsites; i++)
		if (!a->sites[i].used)
			az_warn(a, &a->sites[i].r, NULL, "%s %s: no connection "
			    "the files hold keeps it: skipped", a->sites[i].er ?
			    "circuit" : "local network gateway",
			    a->sites[i].azname);
	free(taken);
	free(cs);
}

/* ---- writing ---- */

/* A circuit several gateways connect is named (one MSEE, parse_gw.c). */
static void
name_shared(struct az *a, cJSON *circuits)
{
	const char *site;
	cJSON *c;
	size_t k;

	cJSON_ArrayForEach(c, circuits) {
		site = cJSON_GetStringValue(az_jget(c, "site"));
		for (k = 0; site != NULL && k < a->nsites; k++) {
			const struct azsite *s = &a->sites[k];

			if (s->used && s->er && s->nconns > 1 &&
			    strcmp(s->name, site) == 0)
				cJSON_AddStringToObject(c, "name", s->name);
		}
	}
}

void
az_put_gws(struct az *a, const struct azvnet *v, cJSON *hub)
{
	cJSON *arr = NULL, *x;
	size_t i;

	for (i = 0; i < a->ngws; i++) {
		struct azgw *g = &a->gws[i];

		if (g->vnet != (int)(v - a->vnets))
			continue;
		if (g->er && g->ncircuits == 0) {
			az_warn(a, &g->r, NULL, "ExpressRoute gateway %s has "
			    "no circuit the files hold (az network "
			    "vpn-connection list, az network express-route "
			    "list): skipped", g->azname);
			continue;
		}
		x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "name", g->name);
		cJSON_AddStringToObject(x, "type", g->er ? "ExpressRoute" :
		    "Vpn");
		if (!g->er && !g->aa)
			cJSON_AddBoolToObject(x, "active_active", false);
		if (g->er && az_jbool(g->r.o, "allowRemoteVnetTraffic", false))
			cJSON_AddBoolToObject(x, "allow_remote_vnet_traffic",
			    true);
		if (g->er) {
			name_shared(a, g->conns);
			cJSON_AddItemToObject(x, g->ncircuits > 1 ? "circuits" :
			    "circuit", g->ncircuits > 1 ? g->conns :
			    cJSON_DetachItemFromArray(g->conns, 0));
			if (g->ncircuits == 1)
				cJSON_Delete(g->conns);
		} else if (g->conns != NULL)
			cJSON_AddItemToObject(x, "tunnels", g->conns);
		g->conns = NULL;
		if (arr == NULL)
			arr = cJSON_AddArrayToObject(hub, "gateways");
		cJSON_AddItemToArray(arr, x);
	}
}

void
az_put_sites(struct az *a, cJSON *root)
{
	cJSON *arr = NULL, *x;
	size_t i;

	for (i = 0; i < a->nsites; i++) {
		struct azsite *s = &a->sites[i];

		if (!s->used)
			continue;
		x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "name", s->name);
		cJSON_AddItemToObject(x, "prefixes", s->prefixes);
		s->prefixes = NULL;
		if (s->asn != 0)
			cJSON_AddNumberToObject(x, "asn", s->asn);
		if (arr == NULL)
			arr = cJSON_AddArrayToObject(root, "sites");
		cJSON_AddItemToArray(arr, x);
	}
}

void
az_free_gw(struct az *a)
{
	size_t i;

	for (i = 0; i < a->ngws; i++)
		cJSON_Delete(a->gws[i].conns);
	for (i = 0; i < a->nsites; i++) {
		cJSON_Delete(a->sites[i].prefixes);
		az_set_free(&a->sites[i].seen);
	}
	for (i = 0; i < a->nnics; i++)
		free((char *)a->nics[i].vm);
	free(a->gws);
	free(a->sites);
}
