/*
 * tfimport: azurerm resources -> a topology (see tfimport.h). tfread.c
 * reads the file; this file maps, tfwrite.c writes the topology.
 *
 * The mapping, resource type by type:
 *   azurerm_virtual_network      a VNet: address_space, location (its
 *                                region), inline subnet blocks
 *   azurerm_subnet               a subnet of virtual_network_name
 *   azurerm_route_server         makes its VNet (subnet_id, which must be
 *                                RouteServerSubnet) a hub: branch_to_branch_
 *                                traffic_enabled, hub_routing_preference
 *   azurerm_virtual_network_gateway  a gateway of the hub (its
 *                                GatewaySubnet): Vpn (active_active) or
 *                                ExpressRoute (remote_vnet_traffic_enabled)
 *   azurerm_firewall             makes its VNet (ip_configuration's
 *                                subnet_id, AzureFirewallSubnet) a hub; an
 *                                NVA without BGP (RS-55) at the
 *                                configuration's private_ip_address
 *   azurerm_local_network_gateway    a site: address_space, bgp_settings.asn
 *   azurerm_express_route_circuit    a site: sku.tier; its networks are not
 *                                in Terraform: the tag "arsemu-prefixes"
 *                                (prefixes separated by spaces) names them,
 *                                else the circuit is a warning
 *   azurerm_express_route_circuit_peering  AzurePrivatePeering: peer_asn,
 *                                the site's ASN
 *   azurerm_virtual_network_gateway_connection  IPsec: a tunnel of the
 *                                gateway to the local gateway's site
 *                                (enable_bgp / bgp_enabled); ExpressRoute:
 *                                a circuit of the gateway to the circuit's
 *                                site (routing_weight)
 *   azurerm_virtual_network_peering  spoke-hub (use_remote_gateways,
 *                                allow_forwarded_traffic on the spoke's side,
 *                                allow_gateway_transit on the hub's),
 *                                hub-hub, and spoke to a further hub; in a
 *                                region without Route Server or gateway, the
 *                                VNet peered with the most (two at least) is
 *                                the hub
 *   azurerm_network_interface    a node's NIC: its ip_configuration's
 *                                subnet and private_ip_address, IP
 *                                forwarding (ip_forwarding_enabled or
 *                                enable_ip_forwarding: without a BGP
 *                                connection, an NVA without BGP, RS-55;
 *                                else a VM)
 *   azurerm_linux_virtual_machine, azurerm_windows_virtual_machine,
 *   azurerm_virtual_machine      names the node of its first NIC
 *   azurerm_route_server_bgp_connection  the NIC at peer_ip becomes an NVA
 *                                with peer_asn (role server without IP
 *                                forwarding), in the hub or in a spoke
 *                                directly peered with it, which names
 *                                the hub in route_servers (PE-08)
 *   azurerm_network_security_group, azurerm_network_security_rule and the
 *   subnet and NIC associations: network_security_groups (tfnsg.c)
 *   azurerm_route_table, azurerm_route, azurerm_subnet_route_table_association
 *                                route tables (tfwrite.c): inline route blocks
 *                                and azurerm_route, disable_bgp_route_propagation
 *                                or bgp_route_propagation_enabled false; the
 *                                subnets of associations, of the table's
 *                                subnets and of inline subnet blocks'
 *                                route_table_id
 *   azurerm_lb, azurerm_lb_backend_address_pool (+ _address and the NIC
 *   association), azurerm_lb_probe, azurerm_lb_rule  a hub's internal
 *                                load balancer in front of its NVAs (tflb.c)
 * A NIC address unknown until apply gets the first free address of its
 * subnet from .4 up, as Azure allocates, in resource order, after every
 * known one, and so does a firewall's; the Route Server's IPs are .4 and
 * .5 of RouteServerSubnet. All are reported "assumed". What an NVA
 * advertises is not in Terraform.
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

/* Types read elsewhere in this file, or not network objects: no warning. */
static const char *const known_types[] = {
	"azurerm_virtual_network", "azurerm_subnet", "azurerm_route_server",
	"azurerm_virtual_network_gateway", "azurerm_local_network_gateway",
	"azurerm_virtual_network_gateway_connection",
	"azurerm_virtual_network_peering", "azurerm_network_interface",
	"azurerm_linux_virtual_machine", "azurerm_windows_virtual_machine",
	"azurerm_virtual_machine", "azurerm_route_server_bgp_connection",
	"azurerm_route_table", "azurerm_route",
	"azurerm_subnet_route_table_association", "azurerm_firewall",
	"azurerm_express_route_circuit", "azurerm_express_route_circuit_peering",
	"azurerm_network_security_group", "azurerm_network_security_rule",
	"azurerm_subnet_network_security_group_association",
	"azurerm_network_interface_security_group_association",
	"azurerm_lb", "azurerm_lb_backend_address_pool",
	"azurerm_lb_backend_address_pool_address",
	"azurerm_network_interface_backend_address_pool_association",
	"azurerm_lb_probe", "azurerm_lb_rule",
	/* not network objects, or only attributes of the modelled ones */
	"azurerm_resource_group", "azurerm_public_ip",
	NULL
};

/* ---- VNets and subnets ---- */

int
tfm_vnet_by_name(const struct tfm *m, const char *azname)
{
	size_t i;

	for (i = 0; azname != NULL && i < m->nvnets; i++)
		if (strcasecmp(m->vnets[i].azname, azname) == 0)
			return (int)i;
	return -1;
}

int
tfm_sub_by_name(const struct tfvnet *v, const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < v->nsubs; i++)
		if (strcasecmp(v->subs[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* A subnet's one prefix: address_prefixes[0] (azurerm 3.x on), else
 * address_prefix (2.x); a warning for the prefixes left out. */
static const char *
sub_prefix(struct tf *a, const struct tfres *r, const char *block, size_t i)
{
	const cJSON *l = tf_val(r, block, i, "address_prefixes");
	const char *p = tf_str(r, block, i, "address_prefix");

	if (cJSON_IsArray(l) && cJSON_IsString(cJSON_GetArrayItem(l, 0))) {
		if (cJSON_GetArraySize(l) > 1)
			tf_warn(a, r, "subnet %s: only %s is imported: arsemu "
			    "gives a subnet one prefix", tf_str(r, block, i,
			    "name"), l->child->valuestring);
		return l->child->valuestring;
	}
	return p;
}

static void
add_sub(struct tf *a, struct tfvnet *v, const struct tfres *r,
    const char *block, size_t i)
{
	const char *n = tf_str(r, block, i, "name");
	const char *p = sub_prefix(a, r, block, i);
	struct tfsub *s;

	if (n == NULL || p == NULL) {
		tf_warn(a, r, "a subnet without %s%s: skipped", n ? "prefix, " :
		    "name", n ? n : "");
		return;
	}
	if (tfm_sub_by_name(v, n) >= 0)
		return;		/* inline and as azurerm_subnet: one subnet */
	xgrow(&v->subs, &v->scap, v->nsubs + 1, sizeof(*v->subs));
	s = &v->subs[v->nsubs++];
	memset(s, 0, sizeof(*s));
	s->name = n;
	s->pfx = p;
	s->ok = pfx_parse(p, &s->p) == 0;
}

static int
read_vnets(struct tf *a, struct tfm *m)
{
	const cJSON *sp;
	size_t i, k, n;

	for (i = 0; i < a->nres; i++) {
		struct tfres *r = &a->res[i];
		struct tfvnet *v;

		if (r->data || strcmp(r->type, "azurerm_virtual_network") != 0)
			continue;
		if (tf_str(r, NULL, 0, "name") == NULL)
			return tf_fail(a, r, "name", "a VNet needs its name");
		sp = tf_val(r, NULL, 0, "address_space");
		if (!cJSON_IsArray(sp) || cJSON_GetArraySize(sp) == 0 ||
		    !cJSON_IsString(sp->child))
			return tf_fail(a, r, "address_space", "VNet %s has no "
			    "address space%s", tf_str(r, NULL, 0, "name"),
			    tf_unknown(r, NULL, 0, "address_space") ? " (unknown "
			    "until apply)" : "");
		xgrow(&m->vnets, &m->vcap, m->nvnets + 1, sizeof(*m->vnets));
		v = &m->vnets[m->nvnets++];
		memset(v, 0, sizeof(*v));
		v->r = r;
		v->azname = tf_str(r, NULL, 0, "name");
		v->space = sp;
		v->hub = -1;
		v->aft = false;		/* azurerm's default, and Azure's */
		v->agt = true;
		if ((v->loc = tf_str(r, NULL, 0, "location")) == NULL) {
			tf_warn(a, r, "location missing: region \"default\"");
			v->loc = "default";
		}
		n = (size_t)cJSON_GetArraySize(tf_val(r, NULL, 0, "subnet"));
		for (k = 0; k < n; k++)
			add_sub(a, v, r, "subnet", k);
	}
	for (i = 0; i < a->nres; i++) {
		struct tfres *r = &a->res[i];
		int v;

		if (r->data || strcmp(r->type, "azurerm_subnet") != 0)
			continue;
		if ((v = tfm_vnet_by_name(m, tf_str(r, NULL, 0,
		    "virtual_network_name"))) < 0) {
			tf_warn(a, r, "its VNet %s is not in the file: skipped",
			    tf_str(r, NULL, 0, "virtual_network_name"));
			continue;
		}
		add_sub(a, &m->vnets[v], r, NULL, 0);
	}
	return 0;
}

/*
 * The VNet and subnet a subnet id names: through the azurerm_subnet t it
 * resolved to, or the id's own parts. -1 if none.
 */
int
tfm_subnet_id(struct tf *a, struct tfm *m, const struct tfres *t,
    const char *id, int *sub)
{
	char vbuf[128], sbuf[128];
	const char *vn, *sn;
	int v;

	(void)a;
	if (t != NULL && strcmp(t->type, "azurerm_subnet") == 0) {
		vn = tf_str(t, NULL, 0, "virtual_network_name");
		sn = tf_str(t, NULL, 0, "name");
	} else {
		vn = imp_id_part(id, "virtualNetworks", vbuf, sizeof(vbuf));
		sn = imp_id_part(id, "subnets", sbuf, sizeof(sbuf));
	}
	if ((v = tfm_vnet_by_name(m, vn)) < 0 ||
	    (*sub = tfm_sub_by_name(&m->vnets[v], sn)) < 0)
		return -1;
	return v;
}

int
tfm_subnet_ref(struct tf *a, struct tfm *m, const struct tfres *r,
    const char *block, size_t i, const char *key, int *sub)
{
	return tfm_subnet_id(a, m, tf_ref(a, r, block, i, key),
	    tf_ref_id(a, r, block, i, key), sub);
}

/* ---- hubs: Route Servers and gateways ---- */

static int remote_vnet(struct tf *a, struct tfm *m, const struct tfres *r);

static int
cmp_pair(const void *x, const void *y)
{
	const int *p = x, *q = y;

	return p[0] != q[0] ? (p[0] > q[0]) - (p[0] < q[0]) :
	    (p[1] > q[1]) - (p[1] < q[1]);
}

/*
 * The VNets each azurerm_virtual_network_peering joins, two ints a pair
 * into *pairs (freed by the caller), sorted, repeats kept; their count
 * of ints. urg: only the peerings that set use_remote_gateways, each
 * pair (the VNet that uses, the one used); else every peering, each pair
 * (the lower, the higher), so that both halves of a peering are alike.
 */
static size_t
peering_pairs(struct tf *a, struct tfm *m, bool urg, int **pairs)
{
	size_t n = 0, cap = 0, i;

	*pairs = NULL;
	for (i = 0; i < a->nres; i++) {
		const struct tfres *r = &a->res[i];
		int o, t;

		if (r->data || strcmp(r->type, "azurerm_virtual_network_peering") ||
		    (urg && !tf_bool(r, NULL, 0, "use_remote_gateways", false)))
			continue;
		o = tfm_vnet_by_name(m, tf_str(r, NULL, 0,
		    "virtual_network_name"));
		if (o < 0 || (t = remote_vnet(a, m, r)) < 0 || o == t)
			continue;
		xgrow(pairs, &cap, n + 2, sizeof(**pairs));
		(*pairs)[n++] = urg || o < t ? o : t;
		(*pairs)[n++] = urg || o < t ? t : o;
	}
	if (n > 2)
		qsort(*pairs, n / 2, 2 * sizeof(**pairs), cmp_pair);
	return n;
}

/*
 * A region without a Route Server or gateway (Azure Firewall's hub, say)
 * still has the VNet its others peer with: the one peered with the most
 * VNets, two at least, is its hub, so that its peerings are not lost.
 */
static void
hubs_by_peerings(struct tf *a, struct tfm *m)
{
	int *pairs, *npeers;
	size_t n = peering_pairs(a, m, false, &pairs), i, k;

	npeers = xcalloc(m->nvnets + 1, sizeof(*npeers));
	for (i = 0; i < n; i += 2)
		if (i == 0 || cmp_pair(&pairs[i], &pairs[i - 2]) != 0) {
			npeers[pairs[i]]++;
			npeers[pairs[i + 1]]++;
		}
	for (i = 0; i < m->nvnets; i++) {
		struct tfvnet *v = &m->vnets[i];
		bool best = npeers[i] >= 2;

		for (k = 0; k < m->nvnets && best; k++)
			if (strcmp(m->vnets[k].loc, v->loc) == 0 && (m->vnets[k].ishub ||
			    npeers[k] > npeers[i] || (npeers[k] == npeers[i] &&
			    k < i)))
				best = false;
		if (!best)
			continue;
		v->ishub = true;
		tf_warn(a, v->r, "no Route Server nor VPN gateway in %s: imported "
		    "as its hub, peered with %d VNets", v->loc, npeers[i]);
	}
	free(npeers);
	free(pairs);
}

/* An Azure Firewall in AzureFirewallSubnet: its VNet's, making it a hub. */
static void
read_fw(struct tf *a, struct tfm *m, struct tfres *r)
{
	int k = tfm_fw_ipconf(a, r), v, s;
	struct tfvnet *vn;

	if (k < 0) {
		tf_warn(a, r, "no ip_configuration with a subnet_id (a Virtual "
		    "WAN hub's firewall?): not imported");
		return;
	}
	if ((v = tfm_subnet_ref(a, m, r, "ip_configuration", (size_t)k,
	    "subnet_id", &s)) < 0) {
		tf_warn(a, r, "its subnet is in no VNet of the file: skipped");
		return;
	}
	vn = &m->vnets[v];
	if (strcmp(vn->subs[s].name, "AzureFirewallSubnet") != 0) {
		tf_warn(a, r, "in subnet %s of %s, not AzureFirewallSubnet: "
		    "skipped", vn->subs[s].name, vn->azname);
		return;
	}
	xgrow(&vn->fws, &vn->fcap, vn->nfws + 1, sizeof(*vn->fws));
	vn->fws[vn->nfws++] = r;
	vn->ishub = true;
}

/* A hub by its Azure Firewalls alone. */
static bool
fw_only(const struct tfvnet *v)
{
	return v->rs == NULL && v->ngws == 0;
}

static void
second_hub(struct tf *a, struct tfvnet *v, const struct tfvnet *hub)
{
	tf_warn(a, v->r, "a second hub in %s: arsemu has one per region, "
	    "%s, and a spoke has no gateway or Azure Firewall; imported as a "
	    "spoke, its Route Server, gateways and firewalls left out", v->loc,
	    hub->azname);
	v->ishub = false;
	v->rs = NULL;
	v->ngws = 0;
	v->nfws = 0;
}

/*
 * nurg of each VNet: how many VNets have a peering with it that sets
 * use_remote_gateways, each counted once.
 */
static void
count_urg(struct tf *a, struct tfm *m)
{
	int *pairs;
	size_t n = peering_pairs(a, m, true, &pairs), i;

	for (i = 0; i < n; i += 2)
		if (i == 0 || cmp_pair(&pairs[i], &pairs[i - 2]) != 0)
			m->vnets[pairs[i + 1]].nurg++;
	free(pairs);
}

/*
 * Whether hub candidate x ranks before y (x first in the file): one with
 * a Route Server or gateway before one with Azure Firewalls alone, then a
 * gateway or Azure Firewall (a spoke holds neither), then the VNet more
 * VNets use the Route Server of (use_remote_gateways), then the file's
 * order.
 */
static bool
hub_before(const struct tfvnet *x, const struct tfvnet *y)
{
	bool gx = x->ngws > 0 || x->nfws > 0, gy = y->ngws > 0 || y->nfws > 0;

	if (fw_only(x) != fw_only(y))
		return !fw_only(x);
	if (gx != gy)
		return gx;
	return x->nurg >= y->nurg;
}

/*
 * One hub per region, the first by hub_before. Another VNet there with a
 * Route Server and no gateway or firewall is a spoke with its own Route
 * Server (PE-06, PE-07: examples/spoke-rs.json); the rest are spokes
 * without their Route Server, gateways and firewalls, with a warning.
 */
static void
pick_hubs(struct tf *a, struct tfm *m)
{
	size_t i, k, best;

	count_urg(a, m);
	for (i = 0; i < m->nvnets; i++) {
		struct tfvnet *v = &m->vnets[i];
		const struct tfvnet *b;

		if (!v->ishub)
			continue;
		best = i;
		for (k = 0; k < m->nvnets; k++) {
			const struct tfvnet *x = &m->vnets[k];

			b = &m->vnets[best];
			if (k == best || !x->ishub || strcmp(x->loc, v->loc) != 0)
				continue;
			if (k < best ? hub_before(x, b) : !hub_before(b, x))
				best = k;
		}
		if (best == i)
			continue;
		b = &m->vnets[best];
		if (v->rs == NULL || v->ngws > 0 || v->nfws > 0) {
			second_hub(a, v, b);
			continue;
		}
		v->ishub = false;
		v->rsspoke = true;
		if (b->ngws == 0 && b->nfws == 0)
			tf_warn(a, v->r, "VNets %s and %s of %s both have a Route "
			    "Server and neither a gateway nor an Azure Firewall: "
			    "%s is the hub (%s), %s a spoke with its own Route "
			    "Server (PE-06, PE-07)", b->azname, v->azname, v->loc,
			    b->azname, b->nurg > v->nurg ? "more VNets use its "
			    "Route Server" : "first in the file, as many VNets "
			    "use its Route Server", v->azname);
	}
}

static void
read_hubs(struct tf *a, struct tfm *m)
{
	size_t i;
	int v, s;

	for (i = 0; i < a->nres; i++) {
		struct tfres *r = &a->res[i];
		bool rs = strcmp(r->type, "azurerm_route_server") == 0;
		struct tfvnet *vn;

		if (!r->data && strcmp(r->type, "azurerm_firewall") == 0) {
			read_fw(a, m, r);
			continue;
		}
		if (r->data || (!rs && strcmp(r->type,
		    "azurerm_virtual_network_gateway") != 0))
			continue;
		if ((v = tfm_subnet_ref(a, m, r, rs ? NULL : "ip_configuration",
		    0, "subnet_id", &s)) < 0) {
			tf_warn(a, r, "its subnet is in no VNet of the file: "
			    "skipped");
			continue;
		}
		vn = &m->vnets[v];
		if (strcmp(vn->subs[s].name, rs ? "RouteServerSubnet" :
		    "GatewaySubnet") != 0) {
			tf_warn(a, r, "in subnet %s of %s, not %s: skipped",
			    vn->subs[s].name, vn->azname, rs ?
			    "RouteServerSubnet" : "GatewaySubnet");
			continue;
		}
		if (rs && vn->rs != NULL) {
			tf_warn(a, r, "a second Route Server in VNet %s: skipped",
			    vn->azname);
			continue;
		}
		if (rs) {
			vn->rs = r;
			tfm_rs_ips(a, r, &vn->subs[s]);
		} else if (tfm_gateway(a, m, vn, r) != 0)
			continue;
		vn->ishub = true;
	}
	pick_hubs(a, m);
}

/* ---- peerings ---- */

/* The VNet name of an entry of "peerings": a string, or a spoke's object. */
static const char *
peer_name(const cJSON *el)
{
	return cJSON_IsObject(el) ? cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(el, "vnet")) : el->valuestring;
}

static cJSON *
find_peer(const cJSON *arr, const char *name)
{
	cJSON *el;

	cJSON_ArrayForEach(el, arr)
		if (strcmp(peer_name(el), name) == 0)
			return el;
	return NULL;
}

bool
tfm_peered(const struct tfm *m, int h, int w)
{
	const struct tfvnet *s = &m->vnets[w], *t = &m->vnets[h];

	return w != h && (s->hub == h || t->hub == w ||
	    find_peer(s->peers, t->name) != NULL ||
	    find_peer(t->peers, s->name) != NULL);
}

static void
add_peer(cJSON **arr, const char *name)
{
	if (*arr == NULL)
		*arr = cJSON_CreateArray();
	if (find_peer(*arr, name) == NULL)
		cJSON_AddItemToArray(*arr, cJSON_CreateString(name));
}

/*
 * A peering of two spokes (PE-07): own lists rem with its own side's flags
 * (azurerm's defaults: false); the other side's resource, if any, makes
 * rem's entry. use_remote_gateways is kept towards a spoke with its own
 * Route Server (PE-03, examples/spoke-rs.json); towards another spoke, or
 * from a spoke with a Route Server of its own, it is a warning and the
 * peering is kept without it.
 */
static void
spoke_peering(struct tf *a, struct tfvnet *own, const struct tfvnet *rem,
    const struct tfres *r)
{
	cJSON *o;
	bool urg;

	if (own->peers == NULL)
		own->peers = cJSON_CreateArray();
	if (find_peer(own->peers, rem->name) != NULL) {
		tf_warn(a, r, "a second peering of %s with %s: skipped",
		    own->azname, rem->azname);
		return;
	}
	urg = tf_bool(r, NULL, 0, "use_remote_gateways", false);
	if (urg && own->rs != NULL)
		tf_warn(a, r, "use_remote_gateways: VNet %s has a Route Server "
		    "of its own and cannot use %s's (PE-03): imported without "
		    "it", own->azname, rem->azname);
	else if (urg && rem->rs == NULL)
		tf_warn(a, r, "use_remote_gateways between two spokes (%s, "
		    "%s): %s has no Route Server and no spoke has a gateway "
		    "(PE-03, PE-07): imported without it", own->azname,
		    rem->azname, rem->azname);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "vnet", rem->name);
	cJSON_AddBoolToObject(o, "allow_forwarded_traffic", tf_bool(r, NULL, 0,
	    "allow_forwarded_traffic", false));
	if (tf_bool(r, NULL, 0, "allow_gateway_transit", false))
		cJSON_AddBoolToObject(o, "allow_gateway_transit", true);
	if (urg && own->rs == NULL && rem->rs != NULL)
		cJSON_AddBoolToObject(o, "use_remote_gateways", true);
	cJSON_AddItemToArray(own->peers, o);
}

static int
remote_vnet(struct tf *a, struct tfm *m, const struct tfres *r)
{
	struct tfres *t = tf_ref(a, r, NULL, 0, "remote_virtual_network_id");
	char buf[128];

	if (t != NULL && strcmp(t->type, "azurerm_virtual_network") == 0)
		return tfm_vnet_by_name(m, tf_str(t, NULL, 0, "name"));
	return tfm_vnet_by_name(m, imp_id_part(tf_ref_id(a, r, NULL, 0,
	    "remote_virtual_network_id"), "virtualNetworks", buf, sizeof(buf)));
}

static void
peering(struct tf *a, struct tfm *m, const struct tfres *r)
{
	int o = tfm_vnet_by_name(m, tf_str(r, NULL, 0, "virtual_network_name"));
	int t = remote_vnet(a, m, r);
	struct tfvnet *own, *rem, *spoke, *hub;

	if (o < 0 || t < 0) {
		tf_warn(a, r, "names a VNet the file does not hold (%s): "
		    "skipped", o < 0 ? "virtual_network_name" :
		    "remote_virtual_network_id");
		return;
	}
	own = &m->vnets[o];
	rem = &m->vnets[t];
	if (own->ishub && tf_bool(r, NULL, 0, "use_remote_gateways", false))
		tf_warn(a, r, "use_remote_gateways: hub %s uses %s's gateways "
		    "or Route Server; arsemu's hub uses its own (PE-03): "
		    "imported without it", own->azname, rem->azname);
	if (own->ishub && rem->ishub) {
		add_peer(&(o < t ? own : rem)->peers, (o < t ? rem : own)->name);
		return;
	}
	if (!own->ishub && !rem->ishub) {
		spoke_peering(a, own, rem, r);
		return;
	}
	spoke = own->ishub ? rem : own;
	hub = own->ishub ? own : rem;
	if (spoke->hub < 0 || spoke->hub == (int)(hub - m->vnets)) {
		spoke->hub = (int)(hub - m->vnets);
		if (own == spoke) {
			spoke->side_spoke = true;
			spoke->urg = tf_bool(r, NULL, 0, "use_remote_gateways",
			    false);
			if (spoke->urg && spoke->rs != NULL) {
				tf_warn(a, r, "use_remote_gateways: VNet %s has "
				    "a Route Server of its own and cannot use "
				    "hub %s's (PE-03): imported without it",
				    spoke->azname, hub->azname);
				spoke->urg = false;
			}
			spoke->aft = tf_bool(r, NULL, 0,
			    "allow_forwarded_traffic", false);
		} else {
			spoke->side_hub = true;
			if (!tf_bool(r, NULL, 0, "allow_gateway_transit", false))
				hub->agt = false;
		}
		return;
	}
	if (own == spoke && tf_bool(r, NULL, 0, "use_remote_gateways", false))
		tf_warn(a, r, "use_remote_gateways on a second hub's peering: "
		    "arsemu uses the region hub's gateways only (PE-03)");
	add_peer(&spoke->peers, hub->name);
}

/* The VNet whose topology name is name, or -1. */
static int
vnet_by_topo_name(const struct tfm *m, const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < m->nvnets; i++)
		if (strcmp(m->vnets[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* A spoke's peerings with spokes that do not list it back. */
static void
one_sided(struct tf *a, struct tfm *m, const struct tfvnet *v)
{
	const cJSON *el;
	int w;

	if (v->ishub)
		return;
	cJSON_ArrayForEach(el, v->peers) {
		if (!cJSON_IsObject(el) || (w = vnet_by_topo_name(m,
		    peer_name(el))) < 0 || find_peer(m->vnets[w].peers,
		    v->name) != NULL)
			continue;
		tf_warn(a, v->r, "only %s's side of its peering with %s is in "
		    "the file: Azure connects a peering when both exist; "
		    "imported as peered", v->azname, m->vnets[w].azname);
	}
}

/*
 * PE-03: one peering of a VNet uses remote gateways, and only where the
 * other side allows gateway transit. A spoke whose file sets it both
 * towards its hub and towards a spoke's Route Server, or towards two
 * spokes', keeps the first; towards a spoke whose side (in the file) does
 * not allow gateway transit, it is dropped; a warning each.
 */
static void
one_remote_gateway(struct tf *a, struct tfm *m, struct tfvnet *v)
{
	int n = v->hub >= 0 && v->urg ? 1 : 0, w;
	cJSON *el;

	cJSON_ArrayForEach(el, v->peers) {
		if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(el,
		    "use_remote_gateways")))
			continue;
		if ((w = vnet_by_topo_name(m, peer_name(el))) < 0 ||
		    !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(find_peer(
		    m->vnets[w].peers, v->name), "allow_gateway_transit"))) {
			tf_warn(a, v->r, "use_remote_gateways towards %s, whose "
			    "side of the peering in the file does not set "
			    "allow_gateway_transit (PE-03): imported without it",
			    peer_name(el));
			cJSON_DeleteItemFromObjectCaseSensitive(el,
			    "use_remote_gateways");
			continue;
		}
		if (n++ == 0)
			continue;
		tf_warn(a, v->r, "use_remote_gateways on a second peering, with "
		    "%s; Azure allows one (PE-03): imported without it",
		    peer_name(el));
		cJSON_DeleteItemFromObjectCaseSensitive(el,
		    "use_remote_gateways");
	}
}

static void
read_peerings(struct tf *a, struct tfm *m)
{
	size_t i;

	for (i = 0; i < a->nres; i++)
		if (!a->res[i].data && strcmp(a->res[i].type,
		    "azurerm_virtual_network_peering") == 0)
			peering(a, m, &a->res[i]);
	for (i = 0; i < m->nvnets; i++) {
		struct tfvnet *v = &m->vnets[i];

		if (v->hub >= 0 && v->urg && m->vnets[v->hub].rs == NULL &&
		    m->vnets[v->hub].ngws == 0) {
			tf_warn(a, v->r, "use_remote_gateways, and hub %s has no "
			    "Route Server nor VPN gateway (PE-03): imported "
			    "without it", m->vnets[v->hub].azname);
			v->urg = false;
		}
		one_remote_gateway(a, m, v);
		if (v->hub >= 0 && !(v->side_spoke && v->side_hub))
			tf_warn(a, v->r, "only the %s side of its peering with "
			    "%s is in the file: Azure connects a peering when "
			    "both exist; imported as peered", v->side_spoke ?
			    "spoke's" : "hub's", m->vnets[v->hub].azname);
		one_sided(a, m, v);
	}
}

/* ---- names ---- */

static void
name_vnets(struct tf *a, struct tfm *m)
{
	size_t i;

	for (i = 0; i < m->nvnets; i++) {
		struct tfvnet *v = &m->vnets[i];

		/* room for "-rs0", or for a gateway's "-NAME0" */
		imp_take_name(&m->vnames, v->azname, v->name, !v->ishub &&
		    v->rs == NULL ? TOPO_NAME_MAX : v->ngws > 0 ? TFM_GWHUB_MAX :
		    TOPO_NAME_MAX - 4);
		m->nhubs_seen |= v->ishub;
		if (strcmp(v->name, v->azname) != 0)
			tf_warn(a, v->r, "VNet %s is called %s in the topology "
			    "(names: a-z, 0-9, '-', at most %d, unique)",
			    v->azname, v->name, TOPO_NAME_MAX);
	}
}

/* ---- the whole ---- */

static bool
known_type(const char *t)
{
	size_t i;

	for (i = 0; known_types[i] != NULL; i++)
		if (strcmp(known_types[i], t) == 0)
			return true;
	return false;
}

/* Every azurerm resource this file does not read, by its address. */
static void
warn_unmodelled(struct tf *a)
{
	size_t i;

	for (i = 0; i < a->nres; i++) {
		const struct tfres *r = &a->res[i];

		if (strncmp(r->type, "azurerm_", 8) != 0)
			continue;
		if (r->data)
			tf_warn(a, r, "a data source: not imported (arsemu "
			    "imports the resources a configuration manages)");
		else if (!known_type(r->type))
			tf_warn(a, r, "%s is not modelled by arsemu: not "
			    "imported", r->type);
	}
}

static int
import(struct tf *a, struct tfm *m, const char *text, size_t len,
    enum tf_side side, const char *name)
{
	if (tf_read(a, text, len, side) == -1 || read_vnets(a, m) == -1)
		return -1;
	read_hubs(a, m);
	hubs_by_peerings(a, m);
	name_vnets(a, m);
	read_peerings(a, m);
	tfm_read_nics(a, m);
	tfm_read_bgp(a, m);
	tfm_read_firewalls(a, m);
	tfm_read_lbs(a, m);
	tfm_read_tunnels(a, m);
	warn_unmodelled(a);
	if (m->nvnets == 0)
		tf_warn(a, NULL, "no azurerm_virtual_network: the topology "
		    "holds no VNet and does not validate");
	else if (!m->nhubs_seen)
		tf_warn(a, NULL, "no Route Server nor VPN gateway: every VNet "
		    "is imported as an unpeered spoke");
	a->out->json = tfm_write(a, m, name, side);
	return 0;
}

int
topo_tf_import_text(const char *text, size_t len, const char *file,
    enum tf_side side, const char *name, struct topo_tf *out,
    struct topo_err *err)
{
	struct tf a = { .file = file, .err = err, .out = out };
	struct tfm m = { .nvnets = 0 };
	int rc;

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	rc = import(&a, &m, text, len, side, name);
	tfm_free(&m);
	tf_read_free(&a);
	if (rc == -1) {
		int plan = out->plan;

		topo_tf_free(out);
		out->plan = plan;
	}
	return rc;
}

int
topo_tf_import(const char *file, enum tf_side side, const char *name,
    struct topo_tf *out, struct topo_err *err)
{
	struct topo_err e = { .line = 0 };
	char *text, raw[sizeof(err->msg) + 600];
	size_t len;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	if (topo_read_file(file, &text, &len, &e) == -1) {
		snprintf(raw, sizeof(raw), "%s: %s", file, e.msg);
		str_escape(err->msg, sizeof(err->msg), raw);
		return -1;
	}
	rc = topo_tf_import_text(text, len, file, side, name, out, err);
	free(text);
	return rc;
}

void
topo_tf_free(struct topo_tf *t)
{
	size_t i;

	free(t->json);
	for (i = 0; i < t->nwarnings; i++)
		free(t->warnings[i]);
	free(t->warnings);
	memset(t, 0, sizeof(*t));
}
