/*
 * parse_gw: a hub's virtual network gateways. An ExpressRoute gateway has
 * two instances (AS 65515, GW-01) in GatewaySubnet and one "circuit", or
 * two or more "circuits" (several may reach the same site: the bow-tie of
 * one data centre over two circuits); each circuit's MSEE (AS 12076)
 * links to both instances and to the site's edge router; a VPN gateway has one
 * instance (two when active-active) and a tunnel per instance to each site
 * it connects, carrying BGP or not (GW-03). A circuit's "bfd" (default
 * true) says whether the site's edge runs BFD with the MSEE (GW-10).
 *
 * Gateways are read with their hub, before the sites exist; the sites they
 * name, the MSEE nodes and the links are made by topo_resolve_gws() once
 * the sites are parsed.
 *
 * Also the ways hubs reach each other (issue 5, RS-52): a hub's "peerings"
 * (hub names: VNet peering, global across regions) and the top-level
 * "overlays", each a link with BGP between two NVAs of different hubs,
 * outside the fabric, optionally with as-override.
 *
 * Must not: assign addresses (addr.c does, links included).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../lib/util.h"
#include "topo_int.h"

#define GW_SUBNET	"GatewaySubnet"
#define GW_SUBNET_LEN	27	/* Azure recommends /27 or shorter */
#define GW_WEIGHT_MAX	32000u	/* ER connection routing weight */

static const char *const gw_fields[] = {
	"name", "type", "circuit", "circuits", "active_active", "tunnels",
	"allow_remote_vnet_traffic", NULL
};
static const char *const circuit_fields[] = {
	"site", "weight", "bfd", "sku", "name", NULL
};
static const char *const tunnel_fields[] = {
	"site", "bgp", "prepend", NULL
};

const char *
topo_gw_type_str(enum topo_gw_type t)
{
	return t == TOPO_GW_EXPRESSROUTE ? "ExpressRoute" : "Vpn";
}

static struct topo_gwconn *
new_conn(struct tctx *c, struct topo_gw *gw, const cJSON *o, const char *path)
{
	struct topo_gwconn *cn;
	const char *site;

	if (topo_jstr(c, o, path, "site", true, &site) == -1)
		return NULL;
	cn = xcalloc(1, sizeof(*cn));
	cn->gw = gw;
	cn->site_name = xstrdup(site);
	cn->jpath = xstrdup(path);
	cn->bgp = true;
	topo_push(&gw->conns, &gw->nconns, cn);
	return cn;
}

/*
 * A circuit's SKU tier: Local and Standard take 4,000 prefixes from
 * on-premises on private peering, Premium 10,000 (GW-07).
 */
static int
circuit_sku(struct tctx *c, const cJSON *o, const char *p,
    struct topo_gwconn *cn)
{
	char sp[TOPO_PATH_MAX];
	const char *s = NULL;

	if (topo_jstr(c, o, p, "sku", false, &s) == -1)
		return -1;
	if (s == NULL || strcmp(s, "Standard") == 0 || strcmp(s, "Local") == 0)
		return 0;
	if (strcmp(s, "Premium") == 0) {
		cn->premium = true;
		return 0;
	}
	return topo_fail(c, topo_path_key(sp, p, "sku"), "\"%.64s\" is not an "
	    "ExpressRoute circuit SKU: use Local, Standard or Premium", s);
}

/* One circuit object at path p: "circuit", or an element of "circuits". */
static int
circuit_obj(struct tctx *c, const cJSON *o, const char *p, void *arg)
{
	struct topo_gwconn *cn;

	if (topo_jfields(c, o, p, circuit_fields) == -1 ||
	    (cn = new_conn(c, arg, o, p)) == NULL)
		return -1;
	/* GW-10: the MSEE always runs BFD; "bfd" says whether the edge does */
	cn->bfd = true;
	if (topo_juint(c, o, p, "weight", 0, GW_WEIGHT_MAX, &cn->weight) == -1 ||
	    topo_jbool(c, o, p, "bfd", &cn->bfd) == -1 ||
	    circuit_sku(c, o, p, cn) == -1)
		return -1;
	/* a circuit several gateways connect to: named in each */
	if (topo_jget(o, "name") != NULL && topo_jname(c, o, p,
	    &cn->circuit) == -1)
		return -1;
	return 0;
}

static int
parse_circuit(struct tctx *c, const cJSON *o, const char *path,
    struct topo_gw *gw)
{
	char p[TOPO_PATH_MAX];
	const cJSON *arr;

	if (topo_jget(o, "circuits") == NULL) {
		topo_path_key(p, path, "circuit");
		if (topo_jobj(c, o, path, "circuit", true, &o) == -1)
			return -1;
		return circuit_obj(c, o, p, gw);
	}
	topo_path_key(p, path, "circuits");
	if (topo_jget(o, "circuit") != NULL)
		return topo_fail(c, p, "an ExpressRoute gateway has one "
		    "\"circuit\" or a list of \"circuits\", not both");
	if (topo_jarr(c, o, path, "circuits", true, &arr) == -1)
		return -1;
	if (cJSON_GetArraySize(arr) < 2)
		return topo_fail(c, p, "\"circuits\" lists two or more "
		    "circuits; a gateway with one has \"circuit\"");
	if (topo_parse_list(c, o, path, "circuits", gw, circuit_obj) == -1)
		return -1;
	return 0;
}

static int
parse_tunnel(struct tctx *c, const cJSON *o, const char *path, void *arg)
{
	struct topo_gwconn *cn;

	if (topo_jfields(c, o, path, tunnel_fields) == -1 ||
	    (cn = new_conn(c, arg, o, path)) == NULL)
		return -1;
	if (topo_jbool(c, o, path, "bgp", &cn->bgp) == -1 ||
	    topo_juint(c, o, path, "prepend", 0, TOPO_PREPEND_MAX,
	    &cn->prepend) == -1)
		return -1;
	return 0;
}

static int
gw_type(struct tctx *c, const cJSON *o, const char *path, struct topo_gw *gw)
{
	char p[TOPO_PATH_MAX];
	const char *s;

	if (topo_jstr(c, o, path, "type", true, &s) == -1)
		return -1;
	if (strcmp(s, "ExpressRoute") == 0)
		gw->type = TOPO_GW_EXPRESSROUTE;
	else if (strcmp(s, "Vpn") == 0)
		gw->type = TOPO_GW_VPN;
	else
		return topo_fail(c, topo_path_key(p, path, "type"), "\"%.64s\" "
		    "is not a gateway type: use ExpressRoute or Vpn", s);
	return 0;
}

/* Instances "<hub>-<name><k>", NICs in GatewaySubnet. */
static int
gw_nodes(struct tctx *c, const char *path, struct topo_vnet *v,
    struct topo_gw *gw)
{
	char p[TOPO_PATH_MAX], sp[TOPO_PATH_MAX];
	struct topo_subnet *sn;
	struct topo_node *n;
	unsigned k;

	topo_path_key(sp, v->jpath, "subnets");
	if ((sn = topo_subnet_find(v, GW_SUBNET)) == NULL)
		return topo_fail(c, sp, "GatewaySubnet is missing: hub \"%s\" "
		    "has a gateway, which lives in a subnet named exactly "
		    "GatewaySubnet", v->name);
	if (sn->pfx.len > GW_SUBNET_LEN)
		return topo_fail(c, topo_path_key(p, sp, GW_SUBNET), "/%u is "
		    "too small for gateways: use /%d or shorter", sn->pfx.len,
		    GW_SUBNET_LEN);
	for (k = 0; k < gw->ninst; k++) {
		n = topo_new_node(c, xasprintf("%s-%s%u", v->name, gw->name, k),
		    TOPO_GW, path, sn);
		if (!topo_name_ok(n->name))
			return topo_fail(c, topo_path_key(p, path, "name"),
			    "gateway node \"%s\" is too long: node names have "
			    "at most %d characters", n->name, TOPO_NAME_MAX);
		n->gw = gw;
		n->gw_instance = k;
		n->nic->ip_forwarding = true;
		gw->inst[k] = n;
	}
	return 0;
}

int
topo_parse_gw(struct tctx *c, const cJSON *o, const char *path, void *arg)
{
	char p[TOPO_PATH_MAX];
	struct topo_vnet *v = arg;
	struct topo_gw *gw;
	bool aa = true;

	gw = xcalloc(1, sizeof(*gw));
	gw->vnet = v;
	gw->jpath = xstrdup(path);
	topo_push(&c->t->gws, &c->t->ngws, gw);
	topo_push(&v->gws, &v->ngws, gw);
	if (topo_jfields(c, o, path, gw_fields) == -1 ||
	    topo_jname(c, o, path, &gw->name) == -1 ||
	    gw_type(c, o, path, gw) == -1 ||
	    topo_jbool(c, o, path, "active_active", &aa) == -1)
		return -1;
	gw->ninst = gw->type == TOPO_GW_VPN && !aa ? 1 : 2;
	if (topo_jbool(c, o, path, "allow_remote_vnet_traffic",
	    &gw->remote_vnets) == -1)
		return -1;
	if (gw->remote_vnets && gw->type != TOPO_GW_EXPRESSROUTE)
		return topo_fail(c, topo_path_key(p, path,
		    "allow_remote_vnet_traffic"), "only an ExpressRoute "
		    "gateway takes other VNets' routes from its circuits");
	if (gw->type == TOPO_GW_EXPRESSROUTE) {
		if (topo_jget(o, "tunnels") != NULL)
			return topo_fail(c, path, "an ExpressRoute gateway has a "
			    "\"circuit\" or \"circuits\", not \"tunnels\"");
		if (parse_circuit(c, o, path, gw) == -1)
			return -1;
	} else {
		if (topo_jget(o, "circuit") != NULL ||
		    topo_jget(o, "circuits") != NULL)
			return topo_fail(c, path, "a Vpn gateway has \"tunnels\", "
			    "not a \"circuit\" or \"circuits\"");
		if (topo_parse_list(c, o, path, "tunnels", gw, parse_tunnel) == -1)
			return -1;
	}
	return gw_nodes(c, path, v, gw);
}

static struct topo_site *
site_find(const struct topo *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nsites; i++)
		if (strcmp(t->sites[i]->name, name) == 0)
			return t->sites[i];
	return NULL;
}

struct topo_gw *
topo_gw_find(const struct topo *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->ngws; i++)
		if (strcmp(t->gws[i]->name, name) == 0)
			return t->gws[i];
	return NULL;
}

static int
add_link(struct tctx *c, const char *path, struct topo_node *a,
    struct topo_node *b, struct topo_gwconn *cn, bool bgp)
{
	struct topo_gwlink *l;

	if (c->t->ngwlinks >= TOPO_GWLINKS_MAX)
		return topo_fail(c, path, "more than %d gateway links: "
		    "169.254.21.0/23 has no room for more", TOPO_GWLINKS_MAX);
	l = xcalloc(1, sizeof(*l));
	l->idx = (unsigned)c->t->ngwlinks;
	l->a = a;
	l->b = b;
	l->conn = cn;
	l->bgp = bgp;
	topo_push(&c->t->gwlinks, &c->t->ngwlinks, l);
	return 0;
}

/*
 * A circuit named before cn by another connection (a shared circuit), or
 * NULL. The two must agree on what belongs to the circuit: its site, its
 * SKU and whether the edge runs BFD; a gateway connects to it once.
 */
static int
shared_circuit(struct tctx *c, struct topo_gw *gw, struct topo_gwconn *cn,
    struct topo_gwconn **out)
{
	char p[TOPO_PATH_MAX];
	struct topo_gwconn *o;
	size_t i, k;

	*out = NULL;
	for (i = 0; cn->circuit != NULL && i < c->t->ngws; i++)
		for (k = 0; k < c->t->gws[i]->nconns; k++) {
			o = c->t->gws[i]->conns[k];
			if (o == cn)
				return 0;	/* only those before cn */
			if (o->circuit == NULL || o->msee == NULL ||
			    strcmp(o->circuit, cn->circuit) != 0)
				continue;
			if (o->gw == gw)
				return topo_fail(c, topo_path_key(p, cn->jpath,
				    "name"), "gateway \"%s\" already connects "
				    "circuit \"%s\" (%s)", gw->name, cn->circuit,
				    o->jpath);
			if (o->site != cn->site || o->premium != cn->premium ||
			    o->bfd != cn->bfd)
				return topo_fail(c, topo_path_key(p, cn->jpath,
				    o->site != cn->site ? "site" : o->premium !=
				    cn->premium ? "sku" : "bfd"), "circuit \"%s\" "
				    "is declared at %s with another %s: a shared "
				    "circuit has one site, SKU and BFD setting",
				    cn->circuit, o->jpath, o->site != cn->site ?
				    "site" : o->premium != cn->premium ? "SKU" :
				    "bfd");
			*out = o;
			return 0;
		}
	return 0;
}

/*
 * ER: the circuit's MSEE, a link to each instance and one to the site's
 * edge. The first circuit's MSEE is "<hub>-<gw>-msee", the others
 * "-msee2", "-msee3"... in file order; a named circuit's "<name>-msee",
 * made once: the gateways that name it later only link their instances
 * to it (one MSEE, one link to the site, several gateways).
 */
static int
er_links(struct tctx *c, struct topo_gw *gw, struct topo_gwconn *cn)
{
	char p[TOPO_PATH_MAX];
	struct topo_gwconn *sh;
	struct topo_node *m;
	size_t nth;
	unsigned k;

	for (nth = 0; nth < gw->nconns && gw->conns[nth] != cn; nth++)
		;
	if (shared_circuit(c, gw, cn, &sh) == -1)
		return -1;
	if (sh != NULL)
		m = sh->msee;
	else {
		m = topo_new_node(c, cn->circuit != NULL ? xasprintf("%s-msee",
		    cn->circuit) : nth == 0 ? xasprintf("%s-%s-msee",
		    gw->vnet->name, gw->name) : xasprintf("%s-%s-msee%zu",
		    gw->vnet->name, gw->name, nth + 1), TOPO_MSEE, cn->jpath,
		    NULL);
		m->gw = gw;
		if (!topo_name_ok(m->name))
			return topo_fail(c, topo_path_key(p, cn->circuit ?
			    cn->jpath : gw->jpath, "name"), "MSEE node \"%s\" "
			    "is too long: node names have at most %d "
			    "characters", m->name, TOPO_NAME_MAX);
	}
	cn->msee = m;
	if (nth == 0)
		gw->msee = m;
	for (k = 0; k < gw->ninst; k++)
		if (add_link(c, cn->jpath, gw->inst[k], m, cn, true) == -1)
			return -1;
	return sh != NULL ? 0 : add_link(c, cn->jpath, m, cn->site->router,
	    cn, true);
}

static int
resolve_conn(struct tctx *c, struct topo_gw *gw, struct topo_gwconn *cn)
{
	char p[TOPO_PATH_MAX];
	unsigned k;
	size_t i;

	topo_path_key(p, cn->jpath, "site");
	if ((cn->site = site_find(c->t, cn->site_name)) == NULL)
		return topo_fail(c, p, "no site is named \"%.64s\"",
		    cn->site_name);
	/* ER: one circuit per connection, and a site may have several */
	for (i = 0; gw->type != TOPO_GW_EXPRESSROUTE && i < cn->site->nconns; i++)
		if (cn->site->conns[i]->gw == gw)
			return topo_fail(c, p, "gateway \"%s\" already connects "
			    "site \"%s\"", gw->name, cn->site->name);
	if (cn->bgp && cn->site->asn == 0)
		return topo_fail(c, p, "site \"%s\" has no \"asn\": a BGP "
		    "connection needs the site's ASN (GW-01)", cn->site->name);
	topo_push(&cn->site->conns, &cn->site->nconns, cn);
	if (gw->type == TOPO_GW_EXPRESSROUTE)
		return er_links(c, gw, cn);
	for (k = 0; k < gw->ninst; k++)
		if (add_link(c, cn->jpath, gw->inst[k], cn->site->router, cn,
		    cn->bgp) == -1)
			return -1;
	return 0;
}

int
topo_resolve_gws(struct tctx *c)
{
	char p[TOPO_PATH_MAX], sp[TOPO_PATH_MAX];
	struct topo_gw *gw;
	size_t i, j;

	for (i = 0; i < c->t->ngws; i++) {
		gw = c->t->gws[i];
		for (j = 0; j < i; j++)
			if (strcmp(c->t->gws[j]->name, gw->name) == 0)
				return topo_fail(c, topo_path_key(p, gw->jpath,
				    "name"), "gateway \"%s\" is already "
				    "declared at %s", gw->name,
				    c->t->gws[j]->jpath);
		for (j = 0; j < gw->nconns; j++)
			if (resolve_conn(c, gw, gw->conns[j]) == -1)
				return -1;
	}
	for (i = 0; i < c->t->nsites; i++)
		if (c->t->sites[i]->nlinks == 0 && c->t->sites[i]->nconns == 0)
			return topo_fail(c, topo_path_key(p, topo_path_idx(sp,
			    "sites", i), "nvas"), "site "
			    "\"%s\" sits behind no NVA and no gateway connects "
			    "it: list an NVA in \"nvas\" or name the site in a "
			    "gateway, or it cannot reach Azure",
			    c->t->sites[i]->name);
	return 0;
}

static const char *const overlay_fields[] = { "nvas", "as_override", NULL };

static struct topo_node *
nva_node(const struct topo *t, const char *name)
{
	struct topo_node *n = topo_node_find(t, name);

	return n != NULL && n->kind == TOPO_NVA ? n : NULL;
}

static int
parse_overlay(struct tctx *c, const cJSON *o, const char *path, void *arg)
{
	char p[TOPO_PATH_MAX], np[TOPO_PATH_MAX];
	struct topo_node *n[2];
	const cJSON *arr, *el;
	const char *name;
	bool ovr = true;
	size_t i = 0;

	(void)arg;
	if (topo_jfields(c, o, path, overlay_fields) == -1 ||
	    topo_jarr(c, o, path, "nvas", true, &arr) == -1 ||
	    topo_jbool(c, o, path, "as_override", &ovr) == -1)
		return -1;
	topo_path_key(np, path, "nvas");
	if (cJSON_GetArraySize(arr) != 2)
		return topo_fail(c, np, "an overlay links exactly two NVAs");
	for (i = 0; i < 2; i++) {
		el = cJSON_GetArrayItem(arr, (int)i);
		topo_path_idx(p, np, i);
		if (topo_vstr(c, el, p, &name) == -1)
			return -1;
		if ((n[i] = nva_node(c->t, name)) == NULL)
			return topo_fail(c, p, "no NVA is named \"%.64s\"", name);
		if (!n[i]->nva->bgp)
			return topo_fail(c, p, "NVA \"%s\" speaks no BGP: an "
			    "overlay carries BGP between two NVAs (RS-55)", name);
	}
	if (n[0]->nic->subnet->vnet == n[1]->nic->subnet->vnet)
		return topo_fail(c, np, "both NVAs are in hub \"%s\": an overlay "
		    "joins NVAs of two hubs (RS-52)", n[0]->nic->subnet->vnet->name);
	if (add_link(c, path, n[0], n[1], NULL, true) == -1)
		return -1;
	c->t->gwlinks[c->t->ngwlinks - 1]->as_override = ovr;
	return 0;
}

static void
peer_hubs(struct topo_vnet *a, struct topo_vnet *b)
{
	size_t i;

	for (i = 0; i < a->nhub_peers; i++)
		if (a->hub_peers[i] == b)
			return;
	topo_push(&a->hub_peers, &a->nhub_peers, b);
	topo_push(&b->hub_peers, &b->nhub_peers, a);
}

/* One of a hub's "peerings": another hub (PE-01: no transit through it). */
static int
hub_peering(struct tctx *c, const char *p, const char *name, void *arg)
{
	struct topo_vnet *v = arg, *w;

	if ((w = topo_vnet_find(c->t, name)) == NULL || !w->hub)
		return topo_fail(c, p, "no hub is named \"%.64s\"", name);
	if (w == v)
		return topo_fail(c, p, "a hub does not peer with itself");
	peer_hubs(v, w);
	return 0;
}

int
topo_parse_overlays(struct tctx *c, const cJSON *root)
{
	char p[TOPO_PATH_MAX], hp[TOPO_PATH_MAX];
	const cJSON *regions, *rg, *hub;
	size_t i = 0;

	regions = topo_jget(root, "regions");
	cJSON_ArrayForEach(rg, regions) {
		topo_path_idx(p, "regions", i++);
		if ((hub = topo_jget(rg, "hub")) == NULL || c->t->regions[i - 1]->hub
		    == NULL)
			continue;
		if (topo_jnames(c, hub, topo_path_key(hp, p, "hub"), "peerings",
		    c->t->regions[i - 1]->hub, hub_peering) == -1)
			return -1;
	}
	return topo_parse_list(c, root, "", "overlays", NULL, parse_overlay);
}
