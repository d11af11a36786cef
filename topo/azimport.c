/*
 * azimport: az CLI output -> a topology (see azimport.h). This file reads
 * the directory, tells resources apart, and writes VNets, peerings and
 * route tables; azimport_nic.c NICs, VMs, NVAs and what Route Server
 * learned; azimport_gw.c gateways, connections and sites.
 *
 * The mapping, resource by resource (az prints REST properties flattened):
 *   virtualNetworks          a hub when a Route Server's virtualRouterIps lie
 *                            in its RouteServerSubnet or a gateway sits in
 *                            its GatewaySubnet, else a spoke; one hub per
 *                            region (pick_hubs): another VNet there with a
 *                            Route Server and no gateway is a spoke with
 *                            its own Route Server; its location is its
 *                            region; addressSpace, subnets; VMs come
 *                            from the NICs (azimport_nic.c)
 *   virtualNetworkPeerings   embedded in a VNet or listed on their own; the
 *                            spoke's side gives useRemoteGateways and
 *                            allowForwardedTraffic, the hub's
 *                            allowGatewayTransit; only Connected ones count;
 *                            two hubs: the hubs' "peerings"; a spoke and a
 *                            second hub: the spoke's "peerings"; two spokes:
 *                            both spokes' "peerings", each side's entry
 *                            with its own allowForwardedTraffic (PE-07),
 *                            and useRemoteGateways towards a spoke with a
 *                            Route Server (PE-03)
 *   virtualHubs              the Route Server: allowBranchToBranchTraffic,
 *                            hubRoutingPreference
 *   virtualHubs/bgpConnections  an NVA: peerAsn, peerIp (its NIC address)
 *   routeTables              routes and the subnets they are associated with
 *   networkSecurityGroups    rules and the subnets and NICs (of VMs and NVAs
 *                            made) they are associated with (azimport_nsg.c)
 *   azureFirewalls           an NVA without BGP in AzureFirewallSubnet
 *                            (azimport_nic.c); its VNet is a hub
 *   loadBalancers            an internal load balancer of a hub in front
 *                            of its NVAs (azimport_lb.c)
 *   others                   NAT gateways, public IPs...: a
 *                            warning each, naming the resource and what the
 *                            lab lacks without it
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../lib/util.h"
#include "azimport.h"
#include "azimport_int.h"

/* ---- reading ---- */

static int
cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/*
 * fname parsed, or -1: the file is read and parsed as a topology is
 * (topo_read_file, topo_json_parse: its size cap, no text after the
 * document, no NUL in a string), and its errors name the file.
 */
static int
read_one(struct az *a, const char *fname)
{
	char *path = xasprintf("%s/%s", a->dir, fname), *text;
	struct azres r = { .file = fname };
	struct topo_err e = { .line = 0 };
	struct tctx c = { .err = &e };
	struct azfile *f;
	size_t len;
	cJSON *root;

	if (topo_read_file(path, &text, &len, &e) == -1) {
		free(path);
		return az_fail(a, &r, NULL, "%s", e.msg);
	}
	free(path);
	c.text = text;
	c.len = len;
	root = topo_json_parse(&c);
	free(text);
	if (root == NULL) {
		snprintf(r.path, sizeof(r.path), "%s", e.path);
		if (e.path[0] != '\0')
			return az_fail(a, &r, NULL, "%s (line %d, column %d)",
			    e.msg, e.line, e.col);
		return az_fail(a, &r, NULL, "not JSON (line %d, column %d): "
		    "%s; save what az prints with --output json", e.line,
		    e.col, e.msg);
	}
	xgrow(&a->files, &a->fcap, a->nfiles + 1, sizeof(*a->files));
	f = &a->files[a->nfiles++];
	f->name = xstrdup(fname);
	f->root = root;
	return 0;
}

static int
read_dir(struct az *a)
{
	struct azres r = { .file = a->dir };
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	struct dirent *de;
	DIR *d;
	int rc = 0;

	if ((d = opendir(a->dir)) == NULL)
		return az_fail(a, &r, NULL, "cannot open the directory: %s",
		    strerror(errno));
	while ((de = readdir(d)) != NULL && n < AZ_FILES_MAX) {
		size_t l = strlen(de->d_name);

		if (l > 5 && strcmp(de->d_name + l - 5, ".json") == 0) {
			xgrow(&names, &cap, n + 1, sizeof(char *));
			names[n++] = xstrdup(de->d_name);
		}
	}
	closedir(d);
	if (n == 0)
		return az_fail(a, &r, NULL, "no *.json files: save the az "
		    "commands' output there (arsemu(1), import)");
	qsort(names, n, sizeof(char *), cmp_str);
	for (i = 0; i < n; i++) {
		if (rc == 0)
			rc = read_one(a, names[i]);
		free(names[i]);
	}
	free(names);
	return rc;
}

/* ---- classifying ---- */

static void
push_res(struct azres **arr, size_t *n, size_t *cap, const struct azres *r)
{
	xgrow(arr, cap, *n + 1, sizeof(**arr));
	(*arr)[(*n)++] = *r;
}

static void classify(struct az *a, const struct azres *r);

static void
classify_vnet(struct az *a, const struct azres *r)
{
	const cJSON *peers = cJSON_GetObjectItemCaseSensitive(r->o,
	    "virtualNetworkPeerings"), *el;
	struct azvnet *v;
	size_t i = 0;

	xgrow(&a->vnets, &a->vcap, a->nvnets + 1, sizeof(*a->vnets));
	v = &a->vnets[a->nvnets++];
	memset(v, 0, sizeof(*v));
	v->r = *r;
	v->rs = v->hub = -1;
	v->agt = v->aft = true;
	cJSON_ArrayForEach(el, peers) {
		struct azres p;

		az_res_at(&p, r, "virtualNetworkPeerings", i++);
		p.o = el;
		classify(a, &p);
	}
}

/*
 * What arsemu's model cannot hold, type by type: each is a warning naming
 * the resource and what the lab then lacks, never a silent drop.
 */
static const struct {
	const char	*type, *what;
} az_unmodelled[] = {
	{ "Microsoft.Network/natGateways", "NAT gateway %s is not modelled: "
	    "the lab's Internet edge answers every address" },
	{ "Microsoft.Network/publicIPAddresses", "public IP address %s is not "
	    "modelled (arsemu models private routing)" },
	{ "Microsoft.Network/privateEndpoints", "private endpoint %s is not "
	    "modelled: its /32 route is missing from the lab" },
	{ "Microsoft.Network/bastionHosts", "Bastion %s is not modelled" },
	{ "Microsoft.Network/applicationGateways", "application gateway %s "
	    "is not modelled" },
	{ "Microsoft.Network/virtualWans", "Virtual WAN %s is not modelled: "
	    "arsemu models hub-and-spoke VNets with Route Server" },
};

static void
classify(struct az *a, const struct azres *r)
{
	const char *type = az_jstr(r->o, "type"), *name = az_jstr(r->o, "name");
	size_t i;

	if (cJSON_IsObject(r->o) && type == NULL &&
	    az_jget(r->o, "network") != NULL &&
	    az_jget(r->o, "sourcePeer") != NULL) {
		az_classify_gw_route(a, r);
		return;
	}
	if (!cJSON_IsObject(r->o) || type == NULL) {
		az_warn(a, r, NULL, "not an Azure resource (no \"type\"): "
		    "skipped");
		return;
	}
	if (strcasecmp(type, "Microsoft.Network/virtualNetworks") == 0)
		classify_vnet(a, r);
	else if (strcasecmp(type,
	    "Microsoft.Network/virtualNetworks/virtualNetworkPeerings") == 0)
		push_res(&a->peerings, &a->npeerings, &a->pcap, r);
	else if (strcasecmp(type, "Microsoft.Network/virtualHubs") == 0) {
		xgrow(&a->rss, &a->rcap, a->nrss + 1, sizeof(*a->rss));
		memset(&a->rss[a->nrss], 0, sizeof(*a->rss));
		a->rss[a->nrss].r = *r;
		a->rss[a->nrss++].vnet = -1;
	} else if (strcasecmp(type,
	    "Microsoft.Network/virtualHubs/bgpConnections") == 0)
		push_res(&a->bgps, &a->nbgps, &a->bcap, r);
	else if (strcasecmp(type, "Microsoft.Network/routeTables") == 0)
		push_res(&a->rts, &a->nrts, &a->tcap, r);
	else if (strcasecmp(type,
	    "Microsoft.Network/networkSecurityGroups") == 0)
		push_res(&a->nsgs, &a->nnsgs, &a->nsgcap, r);
	else if (strcasecmp(type, "Microsoft.Network/networkInterfaces") == 0)
		az_classify_nic(a, r);
	else if (strcasecmp(type,
	    "Microsoft.Network/virtualNetworkGateways") == 0)
		az_classify_gw(a, r);
	else if (strcasecmp(type, "Microsoft.Network/connections") == 0)
		push_res(&a->conns, &a->nconns, &a->ccap, r);
	else if (strcasecmp(type,
	    "Microsoft.Network/localNetworkGateways") == 0)
		az_classify_site(a, r, false);
	else if (strcasecmp(type,
	    "Microsoft.Network/expressRouteCircuits") == 0)
		az_classify_site(a, r, true);
	else if (strcasecmp(type, "Microsoft.Network/azureFirewalls") == 0)
		az_classify_fw(a, r);
	else if (strcasecmp(type, "Microsoft.Network/loadBalancers") == 0)
		az_classify_lb(a, r);
	else if (strcasecmp(type, "Microsoft.Compute/virtualMachines") == 0)
		return;		/* its NICs (az network nic list) make it */
	else {
		for (i = 0; i < sizeof(az_unmodelled) / sizeof(*az_unmodelled);
		    i++)
			if (strcasecmp(type, az_unmodelled[i].type) == 0)
				break;
		if (i < sizeof(az_unmodelled) / sizeof(*az_unmodelled)) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
			az_warn(a, r, NULL, az_unmodelled[i].what,
			    name ? name : "?");
#pragma GCC diagnostic pop
		} else
			az_warn(a, r, "type", "%s is not imported: arsemu "
			    "imports VNets, peerings, route tables, Route "
			    "Servers, NICs, gateways, connections, local "
			    "network gateways, ExpressRoute circuits, Azure "
			    "Firewalls and load balancers", type);
	}
}

/*
 * Route Server's learned routes (CLI-02): {"RouteServiceRole_IN_0": [...],
 * "RouteServiceRole_IN_1": [...], "value": null}.
 */
static bool
is_rs_routes(const cJSON *root)
{
	const cJSON *el;
	bool inst = false;

	if (!cJSON_IsObject(root))
		return false;
	cJSON_ArrayForEach(el, root) {
		if (el->string != NULL && strcmp(el->string, "value") == 0 &&
		    (cJSON_IsNull(el) || cJSON_GetArraySize(el) == 0))
			continue;
		if (el->string == NULL || strncmp(el->string,
		    "RouteServiceRole_IN_", 20) != 0 || !cJSON_IsArray(el))
			return false;
		inst = true;
	}
	return inst;
}

static void
classify_file(struct az *a, const struct azfile *f)
{
	const cJSON *list = f->root, *el;
	struct azres r = { .file = f->name, .o = f->root };
	const char *base = "";
	size_t i = 0;

	if (is_rs_routes(f->root)) {
		az_classify_rs_routes(a, &r);
		return;
	}
	if (cJSON_IsObject(f->root) &&
	    cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(f->root, "value"))) {
		list = cJSON_GetObjectItemCaseSensitive(f->root, "value");
		base = "value";
	} else if (!cJSON_IsArray(f->root)) {
		classify(a, &r);
		return;
	}
	cJSON_ArrayForEach(el, list) {
		struct azres e;

		az_res_at(&e, &r, base[0] ? base : NULL, i++);
		e.o = el;
		classify(a, &e);
	}
}

/* ---- VNets and Route Servers ---- */

static int
vnet_fields(struct az *a, struct azvnet *v)
{
	const cJSON *as;

	if ((v->azname = az_jstr(v->r.o, "name")) == NULL)
		return az_fail(a, &v->r, "name", "a VNet needs its name");
	as = cJSON_GetObjectItemCaseSensitive(v->r.o, "addressSpace");
	v->space = cJSON_GetObjectItemCaseSensitive(as, "addressPrefixes");
	if (!cJSON_IsArray(v->space) || cJSON_GetArraySize(v->space) == 0)
		return az_fail(a, &v->r, "addressSpace.addressPrefixes",
		    "VNet %s has no address space", v->azname);
	v->subnets = cJSON_GetObjectItemCaseSensitive(v->r.o, "subnets");
	if ((v->loc = az_jstr(v->r.o, "location")) == NULL) {
		az_warn(a, &v->r, "location", "missing: region \"default\"");
		v->loc = "default";
	}
	return 0;
}

/* A subnet's prefix: addressPrefix, or the first of addressPrefixes. */
const char *
az_subnet_pfx(const cJSON *sn)
{
	const cJSON *l = cJSON_GetObjectItemCaseSensitive(sn, "addressPrefixes");
	const char *p = az_jstr(sn, "addressPrefix");

	if (p != NULL || !cJSON_IsArray(l) || !cJSON_IsString(l->child))
		return p;
	return l->child->valuestring;
}

int
az_vnet_of_ip(struct az *a, uint32_t ip, const char *subnet, const char **sname)
{
	size_t i;

	for (i = 0; i < a->nvnets; i++) {
		const cJSON *sn;

		cJSON_ArrayForEach(sn, a->vnets[i].subnets) {
			const char *p = az_subnet_pfx(sn), *n = az_jstr(sn, "name");
			struct pfx4 pf;

			if (p == NULL || n == NULL || pfx_parse(p, &pf) != 0 ||
			    !pfx_contains_addr(&pf, ip) ||
			    (subnet != NULL && strcmp(n, subnet) != 0))
				continue;
			if (sname != NULL)
				*sname = n;
			return (int)i;
		}
	}
	return -1;
}

static void
route_servers(struct az *a)
{
	size_t i;

	for (i = 0; i < a->nrss; i++) {
		struct azrs *rs = &a->rss[i];
		const cJSON *ips = cJSON_GetObjectItemCaseSensitive(rs->r.o,
		    "virtualRouterIps");
		const cJSON *asn = cJSON_GetObjectItemCaseSensitive(rs->r.o,
		    "virtualRouterAsn");
		int v;

		rs->azname = az_jstr(rs->r.o, "name");
		if (cJSON_GetArraySize(ips) != 2 || !cJSON_IsString(ips->child) ||
		    addr_parse(ips->child->valuestring, &rs->ip[0]) != 0 ||
		    !cJSON_IsString(ips->child->next) ||
		    addr_parse(ips->child->next->valuestring, &rs->ip[1]) != 0) {
			az_warn(a, &rs->r, "virtualRouterIps", "not two "
			    "addresses: Route Server %s skipped",
			    rs->azname ? rs->azname : "?");
			continue;
		}
		if (cJSON_IsNumber(asn) && asn->valuedouble != TOPO_RS_ASN)
			az_warn(a, &rs->r, "virtualRouterAsn", "%.0f: Route "
			    "Server's ASN is 65515 (RS-01)", asn->valuedouble);
		if ((v = az_vnet_of_ip(a, rs->ip[0], "RouteServerSubnet",
		    NULL)) < 0) {
			az_warn(a, &rs->r, "virtualRouterIps", "in no VNet's "
			    "RouteServerSubnet: Route Server %s skipped",
			    rs->azname ? rs->azname : "?");
			continue;
		}
		if (a->vnets[v].rs >= 0) {
			az_warn(a, &rs->r, NULL, "a second Route Server in VNet "
			    "%s: skipped", a->vnets[v].azname);
			continue;
		}
		rs->vnet = v;
		a->vnets[v].rs = (int)i;
	}
}

int
az_vnet_by_name(const struct az *a, const char *azname)
{
	size_t i;

	for (i = 0; azname != NULL && i < a->nvnets; i++)
		if (strcasecmp(a->vnets[i].azname, azname) == 0)
			return (int)i;
	return -1;
}

bool
az_is_hub(const struct azvnet *v)
{
	return !v->skip && !v->rsspoke && (v->rs >= 0 || v->ngws > 0 ||
	    v->nfws > 0);
}

static bool
lists(const int *arr, size_t n, int x)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (arr[i] == x)
			return true;
	return false;
}

static bool
speers_list(const struct azvnet *v, int x)
{
	size_t i;

	for (i = 0; i < v->nspeers; i++)
		if (v->speers[i].vnet == x)
			return true;
	return false;
}

bool
az_peered(const struct az *a, int x, int y)
{
	const struct azvnet *v = &a->vnets[x], *w = &a->vnets[y];

	if (x == y || v->skip || w->skip)
		return false;
	return v->hub == y || w->hub == x || lists(v->peers, v->npeers, y) ||
	    lists(w->peers, w->npeers, x) || speers_list(v, y) ||
	    speers_list(w, x);
}

/* The VNet of a subnet id, its subnet's name into sname; -1 if none. */
int
az_vnet_of_subnet_id(const struct az *a, const char *id, char *sname,
    size_t len)
{
	char vn[128];
	int v = az_vnet_by_name(a, imp_id_part(id, "virtualNetworks", vn,
	    sizeof(vn)));
	const cJSON *el;
	const char *n;

	if (v < 0 || imp_id_part(id, "subnets", sname, len) == NULL)
		return -1;
	/* az upper-cases some ids: the subnet as its VNet spells it */
	cJSON_ArrayForEach(el, a->vnets[v].subnets)
		if ((n = az_jstr(el, "name")) != NULL &&
		    strcasecmp(n, sname) == 0 && strlen(n) < len) {
			memcpy(sname, n, strlen(n) + 1);
			break;
		}
	return v;
}

static void
add_peer(struct azvnet *v, int w)
{
	if (lists(v->peers, v->npeers, w))
		return;
	xgrow(&v->peers, &v->pcap, v->npeers + 1, sizeof(*v->peers));
	v->peers[v->npeers++] = w;
}

/*
 * Spokes o and r peered (PE-07): o's side, with its own flags. A peering
 * az lists twice (embedded in the VNet and on its own) counts once;
 * useRemoteGateways is kept towards a spoke with its own Route Server
 * (PE-03, examples/spoke-rs.json); towards any other spoke, or from a
 * spoke with a Route Server of its own, it is a warning and the peering
 * is kept without it.
 */
static void
spoke_peering(struct az *a, const struct azres *p, int o, int r)
{
	struct azvnet *v = &a->vnets[o];
	struct azspeer sp = { .vnet = r };
	size_t i;

	if (o == r) {
		az_warn(a, p, "remoteVirtualNetwork.id", "VNet %s peered with "
		    "itself: skipped", v->azname);
		return;
	}
	for (i = 0; i < v->nspeers; i++)
		if (v->speers[i].vnet == r)
			return;
	if (az_jbool(p->o, "useRemoteGateways", false)) {
		if (v->rs >= 0)
			az_warn(a, p, "useRemoteGateways", "VNet %s has a "
			    "Route Server of its own and cannot use %s's "
			    "(PE-03): imported without it", v->azname,
			    a->vnets[r].azname);
		else if (a->vnets[r].rs < 0)
			az_warn(a, p, "useRemoteGateways", "between two "
			    "spokes (%s, %s): %s has no Route Server and no "
			    "spoke has a gateway (PE-03, PE-07): imported "
			    "without it", v->azname, a->vnets[r].azname,
			    a->vnets[r].azname);
		else
			sp.urg = true;
	}
	sp.aft = az_jbool(p->o, "allowForwardedTraffic", true);
	sp.agt = az_jbool(p->o, "allowGatewayTransit", false);
	xgrow(&v->speers, &v->spcap, v->nspeers + 1, sizeof(*v->speers));
	v->speers[v->nspeers++] = sp;
}

/*
 * A peering's two ends and what each side says (see the top). Two hubs:
 * the hubs' "peerings"; a spoke and a second hub: the spoke's "peerings"
 * (PE-06, no gateway transit over it); two spokes: both spokes'
 * "peerings", each side's entry with its own flags (PE-07).
 */
static void
peering(struct az *a, const struct azres *p)
{
	char own[128], rem[128];
	const char *state = az_jstr(p->o, "peeringState");
	const cJSON *rv = cJSON_GetObjectItemCaseSensitive(p->o,
	    "remoteVirtualNetwork");
	int o = az_vnet_by_name(a, imp_id_part(az_jstr(p->o, "id"),
	    "virtualNetworks", own, sizeof(own)));
	int r = az_vnet_by_name(a, imp_id_part(az_jstr(rv, "id"),
	    "virtualNetworks", rem, sizeof(rem)));
	struct azvnet *spoke, *hub;

	if (o < 0 || r < 0) {
		az_warn(a, p, o < 0 ? "id" : "remoteVirtualNetwork.id",
		    "names a VNet the files do not hold: peering skipped");
		return;
	}
	if (state != NULL && strcasecmp(state, "Connected") != 0) {
		az_warn(a, p, "peeringState", "%s: not peered", state);
		return;
	}
	if (a->vnets[o].skip || a->vnets[r].skip)
		return;		/* its hub was skipped, with a warning */
	if (az_is_hub(&a->vnets[o]) && az_jbool(p->o, "useRemoteGateways",
	    false))
		az_warn(a, p, "useRemoteGateways", "hub %s uses %s's gateways "
		    "or Route Server; arsemu's hub uses its own (PE-03): "
		    "imported without it", a->vnets[o].azname,
		    a->vnets[r].azname);
	if (az_is_hub(&a->vnets[o]) && az_is_hub(&a->vnets[r])) {
		add_peer(&a->vnets[o], r);
		add_peer(&a->vnets[r], o);
		return;
	}
	if (!az_is_hub(&a->vnets[o]) && !az_is_hub(&a->vnets[r])) {
		spoke_peering(a, p, o, r);
		return;
	}
	spoke = &a->vnets[az_is_hub(&a->vnets[o]) ? r : o];
	hub = &a->vnets[az_is_hub(&a->vnets[o]) ? o : r];
	if (spoke->hub >= 0 && spoke->hub != (int)(hub - a->vnets)) {
		/* the first hub with useRemoteGateways stays the region's */
		if (&a->vnets[o] == spoke && az_jbool(p->o, "useRemoteGateways",
		    false) && !spoke->urg) {
			add_peer(spoke, spoke->hub);
			spoke->hub = (int)(hub - a->vnets);
			spoke->urg = true;
		} else
			add_peer(spoke, (int)(hub - a->vnets));
		return;
	}
	spoke->hub = (int)(hub - a->vnets);
	if (&a->vnets[o] == spoke) {
		spoke->urg = az_jbool(p->o, "useRemoteGateways", false);
		if (spoke->urg && spoke->rs >= 0) {
			az_warn(a, p, "useRemoteGateways", "VNet %s has a "
			    "Route Server of its own and cannot use hub %s's "
			    "(PE-03): imported without it", spoke->azname,
			    hub->azname);
			spoke->urg = false;
		}
		spoke->aft = az_jbool(p->o, "allowForwardedTraffic", true);
	} else
		hub->agt = az_jbool(p->o, "allowGatewayTransit", true);
}

/* ---- writing the topology ---- */

static void
add_strings(cJSON *o, const char *key, const cJSON *from)
{
	cJSON *arr = cJSON_AddArrayToObject(o, key);
	const cJSON *el;

	cJSON_ArrayForEach(el, from)
		if (cJSON_IsString(el))
			cJSON_AddItemToArray(arr, cJSON_CreateString(el->valuestring));
}

static void
put_peers(struct az *a, const struct azvnet *v, cJSON *o)
{
	cJSON *arr;
	size_t i;

	if (v->npeers == 0 && v->nspeers == 0)
		return;
	arr = cJSON_AddArrayToObject(o, "peerings");
	for (i = 0; i < v->npeers; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(
		    a->vnets[v->peers[i]].name));
	for (i = 0; i < v->nspeers; i++) {
		const struct azspeer *sp = &v->speers[i];
		cJSON *e = cJSON_CreateObject();

		cJSON_AddStringToObject(e, "vnet", a->vnets[sp->vnet].name);
		cJSON_AddBoolToObject(e, "allow_forwarded_traffic", sp->aft);
		if (sp->agt)
			cJSON_AddBoolToObject(e, "allow_gateway_transit", true);
		if (sp->urg)
			cJSON_AddBoolToObject(e, "use_remote_gateways", true);
		cJSON_AddItemToArray(arr, e);
	}
}

/* v's Route Server, a hub's or a spoke's (PE-06, PE-07). */
static void
put_rs(struct az *a, const struct azvnet *v, cJSON *o)
{
	const struct azrs *rs = v->rs >= 0 ? &a->rss[v->rs] : NULL;
	const char *pref = rs ? az_jstr(rs->r.o, "hubRoutingPreference") : NULL;
	cJSON *r;

	if (rs == NULL)
		return;
	r = cJSON_CreateObject();
	cJSON_AddBoolToObject(r, "branch_to_branch", az_jbool(rs->r.o,
	    "allowBranchToBranchTraffic", false));
	if (pref != NULL)
		cJSON_AddStringToObject(r, "hub_routing_preference", pref);
	cJSON_AddItemToObject(o, "route_server", r);
}

static cJSON *
put_hub(struct az *a, struct azvnet *v)
{
	cJSON *hub = cJSON_CreateObject(), *nvas = NULL;
	size_t n = (size_t)cJSON_GetArraySize(v->subnets);
	bool *has_nva = xcalloc(n + 1, sizeof(bool));

	nvas = az_put_nvas(a, v, has_nva);
	az_put_fwd_nvas(a, v, &nvas);
	cJSON_AddStringToObject(hub, "name", v->name);
	add_strings(hub, "address_space", v->space);
	if (!v->agt)
		cJSON_AddBoolToObject(hub, "allow_gateway_transit", false);
	az_put_subnets(a, v, hub, has_nva, nvas);
	put_rs(a, v, hub);
	az_put_fws(a, v, &nvas);
	if (nvas->child != NULL)
		cJSON_AddItemToObject(hub, "nvas", nvas);
	else
		cJSON_Delete(nvas);
	az_put_gws(a, v, hub);
	az_put_lbs(a, v, hub);
	put_peers(a, v, hub);
	free(has_nva);
	return hub;
}

static cJSON *
put_spoke(struct az *a, const struct azvnet *v)
{
	size_t n = (size_t)cJSON_GetArraySize(v->subnets);
	bool *has_nva = xcalloc(n + 1, sizeof(bool));
	cJSON *s = cJSON_CreateObject(), *nvas;

	nvas = az_put_nvas(a, v, has_nva);
	az_put_fwd_nvas(a, v, &nvas);

	cJSON_AddStringToObject(s, "name", v->name);
	add_strings(s, "address_space", v->space);
	if (v->hub < 0)
		cJSON_AddBoolToObject(s, "peered", false);
	else {
		cJSON_AddBoolToObject(s, "use_remote_gateways", v->urg);
		if (!v->aft)
			cJSON_AddBoolToObject(s, "allow_forwarded_traffic", false);
	}
	az_put_subnets(a, v, s, has_nva, nvas);
	put_rs(a, v, s);	/* a spoke's own (PE-06, PE-07) */
	if (nvas->child != NULL)
		cJSON_AddItemToObject(s, "nvas", nvas);
	else
		cJSON_Delete(nvas);
	az_put_lbs(a, v, s);	/* in front of its NVAs (PE-08, LB-03) */
	put_peers(a, v, s);
	free(has_nva);
	return s;
}

/* A spoke's region is its hub's (arsemu peers a spoke with its region's hub). */
static const char *
region_of(struct az *a, const struct azvnet *v)
{
	const struct azvnet *h = v->hub >= 0 ? &a->vnets[v->hub] : v;

	if (h != v && strcmp(h->loc, v->loc) != 0)
		az_warn(a, &v->r, "location", "%s: imported into its hub's "
		    "region %s (arsemu peers a spoke with its own region's hub)",
		    v->loc, h->loc);
	return h->loc;
}

/*
 * nurg of each VNet: how many VNets have a Connected peering with it that
 * sets useRemoteGateways, each counted once.
 */
static void
count_urg(struct az *a)
{
	struct azset seen = { NULL, NULL, 0, 0 };
	char own[128], rem[128], key[32];
	size_t i;

	for (i = 0; i < a->npeerings; i++) {
		const struct azres *p = &a->peerings[i];
		const char *state = az_jstr(p->o, "peeringState");
		int o, r;

		if (!az_jbool(p->o, "useRemoteGateways", false) ||
		    (state != NULL && strcasecmp(state, "Connected") != 0))
			continue;
		o = az_vnet_by_name(a, imp_id_part(az_jstr(p->o, "id"),
		    "virtualNetworks", own, sizeof(own)));
		r = az_vnet_by_name(a, imp_id_part(az_jstr(az_jget(p->o,
		    "remoteVirtualNetwork"), "id"), "virtualNetworks", rem,
		    sizeof(rem)));
		if (o < 0 || r < 0 || o == r)
			continue;
		snprintf(key, sizeof(key), "%d:%d", o, r);
		if (az_set_get(&seen, key, strlen(key)) != -1)
			continue;
		az_set_put(&seen, key, strlen(key), 0);
		a->vnets[r].nurg++;
	}
	az_set_free(&seen);
}

/*
 * Whether hub candidate x ranks before y (x listed first): a gateway or
 * an Azure Firewall first (a spoke holds neither), then the VNet more
 * VNets use the Route Server of (useRemoteGateways), then the files'
 * order.
 */
static bool
hub_before(const struct azvnet *x, const struct azvnet *y)
{
	bool gx = x->ngws > 0 || x->nfws > 0, gy = y->ngws > 0 || y->nfws > 0;

	if (gx != gy)
		return gx;
	return x->nurg >= y->nurg;
}

/*
 * One hub per region, the first by hub_before among the VNets with a
 * Route Server, gateway or Azure Firewall. Another with a Route Server
 * and neither of the others is a spoke with its own Route Server (PE-06,
 * PE-07: examples/spoke-rs.json), its peerings and the useRemoteGateways
 * towards it kept; the rest are skipped, with a warning.
 */
static void
pick_hubs(struct az *a)
{
	size_t i, k, best;

	count_urg(a);
	for (i = 0; i < a->nvnets; i++) {
		struct azvnet *v = &a->vnets[i];

		if (!az_is_hub(v))
			continue;
		best = i;
		for (k = 0; k < a->nvnets; k++) {
			const struct azvnet *x = &a->vnets[k], *b = &a->vnets[best];

			if (k == best || !az_is_hub(x) ||
			    strcmp(x->loc, v->loc) != 0)
				continue;
			if (k < best ? hub_before(x, b) : !hub_before(b, x))
				best = k;
		}
		if (best == i)
			continue;
		if (v->rs >= 0 && v->ngws == 0 && v->nfws == 0) {
			const struct azvnet *b = &a->vnets[best];

			v->rsspoke = true;
			if (b->ngws == 0 && b->nfws == 0)
				az_warn(a, &v->r, NULL, "VNets %s and %s of %s "
				    "both have a Route Server and neither a "
				    "gateway nor an Azure Firewall: %s is the "
				    "hub (%s), %s a spoke with its own Route "
				    "Server (PE-06, PE-07)", b->azname,
				    v->azname, v->loc, b->azname,
				    b->nurg > v->nurg ? "more VNets use its "
				    "Route Server" : "listed first, as many "
				    "VNets use its Route Server", v->azname);
			continue;
		}
		az_warn(a, &v->r, "location", "a second hub in %s: arsemu has "
		    "one per region, %s, and a spoke has no gateway or Azure "
		    "Firewall; hub %s skipped", v->loc, a->vnets[best].azname,
		    v->azname);
		v->skip = true;
	}
}

/* Whether spoke w's side of its peering with VNet v allows gateway transit. */
static bool
speer_agt(const struct azvnet *w, int v)
{
	size_t i;

	for (i = 0; i < w->nspeers; i++)
		if (w->speers[i].vnet == v)
			return w->speers[i].agt;
	return false;
}

/*
 * PE-03: one peering of a VNet uses remote gateways, and only where the
 * other side allows gateway transit. A spoke whose files set it both
 * towards its hub and towards a spoke's Route Server keeps the hub's;
 * towards a spoke whose side (in the files) does not allow gateway
 * transit, it is dropped; a warning each.
 */
static void
one_remote_gateway(struct az *a)
{
	size_t i, k, n;

	for (i = 0; i < a->nvnets; i++) {
		struct azvnet *v = &a->vnets[i];

		n = v->hub >= 0 && v->urg ? 1 : 0;
		for (k = 0; k < v->nspeers; k++) {
			if (v->speers[k].urg && !speer_agt(&a->vnets[
			    v->speers[k].vnet], (int)i)) {
				az_warn(a, &v->r, "virtualNetworkPeerings",
				    "VNet %s sets useRemoteGateways towards %s, "
				    "whose side of the peering in the files does "
				    "not set allowGatewayTransit (PE-03): imported "
				    "without it", v->azname,
				    a->vnets[v->speers[k].vnet].azname);
				v->speers[k].urg = false;
			}
			if (!v->speers[k].urg || n++ == 0)
				continue;
			az_warn(a, &v->r, "virtualNetworkPeerings", "VNet %s "
			    "sets useRemoteGateways on a second peering, with "
			    "%s; Azure allows one (PE-03): imported without it",
			    v->azname, a->vnets[v->speers[k].vnet].azname);
			v->speers[k].urg = false;
		}
	}
}

static void
put_regions(struct az *a, cJSON *root)
{
	cJSON *regions = cJSON_AddArrayToObject(root, "regions"), *r, *sp;
	size_t i;

	for (i = 0; i < a->nvnets; i++)
		if (az_is_hub(&a->vnets[i]))
			cJSON_AddItemToObject(imp_region_obj(regions,
			    a->vnets[i].loc), "hub", put_hub(a, &a->vnets[i]));
	for (i = 0; i < a->nvnets; i++) {
		if (az_is_hub(&a->vnets[i]) || a->vnets[i].skip)
			continue;
		r = imp_region_obj(regions, region_of(a, &a->vnets[i]));
		if ((sp = cJSON_GetObjectItemCaseSensitive(r, "spokes")) == NULL)
			sp = cJSON_AddArrayToObject(r, "spokes");
		cJSON_AddItemToArray(sp, put_spoke(a, &a->vnets[i]));
	}
}

/* "vnet/subnet" of a subnet id, with the VNet's node name. */
bool
az_subnet_ref(struct az *a, const char *id, char *buf, size_t len)
{
	char sn[128];
	int v = az_vnet_of_subnet_id(a, id, sn, sizeof(sn));

	if (v < 0 || a->vnets[v].skip)
		return false;
	snprintf(buf, len, "%s/%s", a->vnets[v].name, sn);
	return true;
}

static cJSON *
put_route(struct az *a, const struct azres *rt, const cJSON *r, size_t i)
{
	cJSON *x = cJSON_CreateObject();
	const char *s;
	struct azres at;

	az_res_at(&at, rt, "routes", i);
	if ((s = az_jstr(r, "name")) != NULL)
		cJSON_AddStringToObject(x, "name", s);
	if ((s = az_jstr(r, "addressPrefix")) != NULL)
		cJSON_AddStringToObject(x, "prefix", s);
	if ((s = az_jstr(r, "nextHopType")) != NULL)
		cJSON_AddStringToObject(x, "next_hop_type", s);
	if ((s = az_jstr(r, "nextHopIpAddress")) != NULL && s[0] != '\0')
		cJSON_AddStringToObject(x, "next_hop_ip", s);
	if (az_jstr(r, "addressPrefix") != NULL &&
	    strchr(az_jstr(r, "addressPrefix"), '/') == NULL) {
		az_warn(a, &at, "addressPrefix", "%s is a service tag, not "
		    "imported", az_jstr(r, "addressPrefix"));
		cJSON_Delete(x);
		return NULL;
	}
	return x;
}

static void
put_route_tables(struct az *a, cJSON *root)
{
	cJSON *rts = cJSON_AddArrayToObject(root, "route_tables");
	size_t i, k;

	for (i = 0; i < a->nrts; i++) {
		const struct azres *rt = &a->rts[i];
		cJSON *x = cJSON_CreateObject(), *subs, *routes, *y;
		const cJSON *el;
		char ref[300];

		cJSON_AddStringToObject(x, "name", az_jstr(rt->o, "name") ?
		    az_jstr(rt->o, "name") : "route-table");
		if (az_jbool(rt->o, "disableBgpRoutePropagation", false))
			cJSON_AddBoolToObject(x, "disable_bgp_route_propagation", true);
		subs = cJSON_AddArrayToObject(x, "subnets");
		k = 0;
		cJSON_ArrayForEach(el, cJSON_GetObjectItemCaseSensitive(rt->o,
		    "subnets")) {
			struct azres at;

			az_res_at(&at, rt, "subnets", k++);
			if (az_subnet_ref(a, az_jstr(el, "id"), ref, sizeof(ref)))
				cJSON_AddItemToArray(subs, cJSON_CreateString(ref));
			else
				az_warn(a, &at, "id", "a subnet of a VNet the files do "
				    "not hold: not associated");
		}
		routes = cJSON_AddArrayToObject(x, "routes");
		k = 0;
		cJSON_ArrayForEach(el, cJSON_GetObjectItemCaseSensitive(rt->o,
		    "routes"))
			if ((y = put_route(a, rt, el, k++)) != NULL)
				cJSON_AddItemToArray(routes, y);
		cJSON_AddItemToArray(rts, x);
	}
}

/* ---- the whole ---- */

static int
import(struct az *a, const char *name)
{
	cJSON *root;
	size_t i;

	if (read_dir(a) == -1)
		return -1;
	for (i = 0; i < a->nfiles; i++)
		classify_file(a, &a->files[i]);
	for (i = 0; i < a->nvnets; i++)
		if (vnet_fields(a, &a->vnets[i]) == -1)
			return -1;
	route_servers(a);
	az_gateways(a);
	az_firewalls(a);
	pick_hubs(a);
	for (i = 0; i < a->nvnets; i++) {
		struct azvnet *v = &a->vnets[i];

		if (imp_node_name(v->azname, v->name, v->rs >= 0 ||
		    az_is_hub(v) ? AZ_HUB_NAME_MAX : TOPO_NAME_MAX))
			az_warn(a, &v->r, "name", "VNet %s is called %s in the "
			    "topology (node names: a-z, 0-9, '-', at most %d)",
			    v->azname, v->name, TOPO_NAME_MAX);
	}
	for (i = 0; i < a->npeerings; i++)
		peering(a, &a->peerings[i]);
	one_remote_gateway(a);
	az_connections(a);
	if (a->nrss == 0 && a->ngws == 0 && a->nfws == 0) {
		struct azres r = { .file = a->dir };

		az_warn(a, &r, NULL, "no Route Server (az network routeserver "
		    "show), no gateway (az network vnet-gateway list) and no "
		    "Azure Firewall (az network firewall list): every VNet is "
		    "imported as an unpeered spoke");
	}
	root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "name", name);
	cJSON_AddStringToObject(root, "description", "Imported by arsemu "
	    "import az from the az CLI's output");
	az_index_nics(a);
	put_regions(a, root);
	az_put_sites(a, root);
	put_route_tables(a, root);
	az_put_nsgs(a, root);
	az_lbs_left(a);
	for (i = 0; i < a->nnics; i++)
		if (!a->nics[i].used)
			az_warn(a, &a->nics[i].r, "subnet.id", "NIC %s is in no "
			    "subnet of a VNet the files hold: skipped",
			    a->nics[i].name);
	a->out->json = cJSON_Print(root);
	cJSON_Delete(root);
	return 0;
}

int
topo_az_import(const char *dir, const char *name, struct topo_az *out,
    struct topo_err *err)
{
	struct az a = { .dir = dir, .err = err, .out = out };
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	rc = import(&a, name);
	for (i = 0; i < a.nfiles; i++) {
		free(a.files[i].name);
		cJSON_Delete(a.files[i].root);
	}
	for (i = 0; i < a.nvnets; i++) {
		free(a.vnets[i].peers);
		free(a.vnets[i].speers);
	}
	imp_names_free(&a.names);
	imp_names_free(&a.lbnames);
	az_set_free(&a.nic_ids);
	az_set_free(&a.vm_names);
	az_free_gw(&a);
	free(a.files);
	free(a.vnets);
	free(a.conns);
	free(a.nics);
	free(a.rsroutes);
	free(a.gwroutes);
	free(a.rss);
	free(a.peerings);
	free(a.fws);
	free(a.lbs);
	free(a.bgps);
	free(a.rts);
	free(a.nsgs);
	if (rc == -1)
		topo_az_free(out);
	return rc;
}

void
topo_az_free(struct topo_az *a)
{
	size_t i;

	free(a->json);
	for (i = 0; i < a->nwarnings; i++)
		free(a->warnings[i]);
	free(a->warnings);
	memset(a, 0, sizeof(*a));
}
