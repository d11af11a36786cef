/*
 * test_tfimport: `arsemu import terraform` (topo/tfimport.c, tfread.c,
 * tfnodes.c, tfwrite.c): the landing-zone fixtures of test/import/terraform
 * (a state, and a plan that adds a route table and a VM), and documents
 * written here at the edges: addresses unknown until apply, both names of
 * the propagation flag, ids that differ in case, many names alike, modules
 * nested deep, and inputs that must be refused with the file and the path.
 * Run from the repository's top directory (make unit does).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../../lib/util.h"
#include "../../topo/tfimport.h"
#include "../../topo/topo.h"
#include "../../topo/topo_int.h"
#include "t.h"

#define STATE	"test/import/terraform/state.json"
#define PLAN	"test/import/terraform/plan.json"
#define NET	"/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network"

/* A state whose root module holds resources (a JSON list's inside). */
static char *
state(const char *resources)
{
	return xasprintf("{\"format_version\": \"1.0\", \"values\": "
	    "{\"root_module\": {\"resources\": [%s]}}}", resources);
}

static char *
res(const char *type, const char *name, const char *values)
{
	return xasprintf("{\"address\": \"%s.%s\", \"mode\": \"managed\", "
	    "\"type\": \"%s\", \"name\": \"%s\", \"values\": {%s}}", type, name,
	    type, name, values);
}

static char *
vnet(const char *name, const char *space, const char *subnets)
{
	char *v = xasprintf("\"id\": \"" NET "/virtualNetworks/%s\", \"name\": "
	    "\"%s\", \"location\": \"westeurope\", \"address_space\": "
	    "[\"%s\"], \"subnet\": [%s]", name, name, space, subnets);
	char *r = res("azurerm_virtual_network", name, v);

	free(v);
	return r;
}

static bool
has_warning(const struct topo_tf *tf, const char *a, const char *b)
{
	size_t i;

	for (i = 0; i < tf->nwarnings; i++)
		if (strstr(tf->warnings[i], a) != NULL && (b == NULL ||
		    strstr(tf->warnings[i], b) != NULL))
			return true;
	return false;
}

/* o.k1[i1].k2 (i1 < 0: o.k1.k2; k2 NULL: o.k1[i1]), or NULL. */
static const cJSON *
at(const cJSON *o, const char *k1, int i1, const char *k2)
{
	o = cJSON_GetObjectItemCaseSensitive(o, k1);
	if (i1 >= 0)
		o = cJSON_GetArrayItem(o, i1);
	return k2 ? cJSON_GetObjectItemCaseSensitive(o, k2) : o;
}

static int
import_text(const char *text, enum tf_side side, struct topo_tf *tf,
    struct topo_err *e)
{
	return topo_tf_import_text(text, strlen(text), "t.json", side, "lab",
	    tf, e);
}

static void
test_state(void)
{
	struct topo_tf tf;
	struct topo_err e;
	struct topo *t = NULL;
	const cJSON *sp;
	cJSON *j;
	int rc = topo_tf_import(STATE, TF_AFTER, "lz", &tf, &e);

	T_EQ(rc, 0, "state fixture imports (%s)", rc ? e.msg : "ok");
	if (rc != 0)
		return;
	rc = topo_load_string(tf.json, strlen(tf.json), &t, &e);
	T_EQ(rc, 0, "state fixture: the topology loads (%s)", rc ? e.msg : "ok");
	T_OK(t != NULL && t->nvnets == 3 && t->nnvas == 3 && t->nnics == 11,
	    "state fixture: 3 VNets, 3 NVAs, 11 NICs (2 RS, 2 VPN and 2 ER "
	    "gateway instances, 2 NVA, an Azure Firewall, 2 VM)");
	T_OK(!has_warning(&tf, "azurerm_lb", NULL), "the load balancer, its "
	    "pool, NIC associations, probe and rule are imported, no warning");
	T_OK(t != NULL && t->nlbs == 1 && t->lbs[0]->nbackends == 2 &&
	    t->lbs[0]->ip == 0x0a01020a && t->lbs[0]->rules == NULL &&
	    t->lbs[0]->probe_port == 22 && t->lbs[0]->probe_interval == 5 &&
	    t->lbs[0]->probe_threshold == 2 && strcmp(t->lbs[0]->subnet->name,
	    "snet-nva") == 0, "LB-01..LB-05: lb-nva-weu at 10.1.2.10 in "
	    "snet-nva, both NVAs in its pool, HA ports, its Tcp probe");
	T_OK(!has_warning(&tf, "spoke1_to_spoke2", NULL) &&
	    !has_warning(&tf, "spoke2_to_spoke1", NULL),
	    "a spoke-to-spoke peering is imported, without a warning");
	T_OK(!has_warning(&tf, "assumed", NULL), "a state assumes nothing");
	j = cJSON_Parse(tf.json);
	sp = at(j, "regions", 0, "spokes");
	T_OK(sp != NULL && sp->child != NULL && cJSON_IsFalse(at(sp->child,
	    "peerings", 0, "allow_forwarded_traffic")) && cJSON_IsTrue(
	    at(sp->child->next, "peerings", 0, "allow_forwarded_traffic")),
	    "PE-07: each spoke lists the other with its own side's "
	    "allow_forwarded_traffic");
	T_OK(t != NULL && t->npeerings == 1, "PE-07: the two sides make one "
	    "peering of the topology");
	T_OK(cJSON_IsTrue(at(at(j, "regions", 0, "hub"), "route_server", -1,
	    "branch_to_branch")), "branch_to_branch_traffic_enabled read");
	T_OK(cJSON_IsTrue(at(j, "route_tables", 0,
	    "disable_bgp_route_propagation")), "bgp_route_propagation_enabled "
	    "false is disable_bgp_route_propagation (VR-07)");
	T_EQ(cJSON_GetArraySize(at(j, "route_tables", 0, "routes")), 3,
	    "inline route and two azurerm_route in one table; a service tag "
	    "left out");
	cJSON_Delete(j);
	topo_free(t);
	topo_tf_free(&tf);
}

static void
test_plan(void)
{
	struct topo_tf a, b;
	struct topo_err e;
	cJSON *ja, *jb;
	const cJSON *vms;

	if (topo_tf_import(PLAN, TF_AFTER, "lz", &a, &e) != 0 ||
	    topo_tf_import(PLAN, TF_BEFORE, "lz", &b, &e) != 0) {
		T_OK(false, "plan fixture imports: %s", e.msg);
		return;
	}
	T_OK(a.plan && b.plan, "a plan is told from a state");
	ja = cJSON_Parse(a.json);
	jb = cJSON_Parse(b.json);
	T_EQ(cJSON_GetArraySize(at(ja, "route_tables", -1, NULL)), 2,
	    "planned values: the new route table");
	T_EQ(cJSON_GetArraySize(at(jb, "route_tables", -1, NULL)), 1,
	    "prior state: without it");
	T_OK(strcmp(cJSON_GetStringValue(cJSON_GetArrayItem(at(ja,
	    "route_tables", 0, "subnets"), 0)), "vnet-spoke1-weu/snet-app") == 0,
	    "its association, route_table_id unknown, found through the "
	    "configuration's references");
	vms = at(at(ja, "regions", 0, "spokes")->child, "vms", -1, NULL);
	T_OK(cJSON_GetArraySize(vms) == 2 && strcmp(cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(vms, 1), "ip")),
	    "10.2.1.5") == 0,
	    "the new VM's NIC: first free address from .4 (10.2.1.5)");
	T_OK(has_warning(&a, "module.spoke1.module.workload.azurerm_network_"
	    "interface.app2: assumed", "10.2.1.5"), "and it is reported assumed");
	cJSON_Delete(ja);
	cJSON_Delete(jb);
	topo_tf_free(&a);
	topo_tf_free(&b);
	T_EQ(topo_tf_import(STATE, TF_BEFORE, "lz", &a, &e), -1,
	    "a state has no before: %s", e.msg);
}

/* Known addresses first; unknown ones fill the gaps from .4; a full /29. */
static void
test_allocation(void)
{
	char *nics[6], *all, *doc, *v = vnet("v", "10.9.0.0/16",
	    "{\"name\": \"a\", \"address_prefixes\": [\"10.9.1.0/29\"]}");
	const char *ips[] = { "10.9.1.5", "", NULL, "", "", "" };
	struct topo_tf tf;
	struct topo_err e;
	size_t i;
	cJSON *j;
	const cJSON *vms;

	for (i = 0; i < 6; i++) {
		char name[8], *val;

		snprintf(name, sizeof(name), "n%zu", i);
		val = xasprintf("\"name\": \"%s\", \"enable_ip_forwarding\": "
		    "false, \"ip_configuration\": [{\"name\": \"c\", "
		    "\"subnet_id\": \"" NET "/virtualNetworks/V/SUBNETS/a\"%s%s%s}]",
		    name, ips[i] ? ", \"private_ip_address\": \"" : "",
		    ips[i] ? ips[i] : "", ips[i] ? "\"" : "");
		nics[i] = res("azurerm_network_interface", name, val);
		free(val);
	}
	all = xasprintf("%s,%s,%s,%s,%s,%s,%s", v, nics[0], nics[1], nics[2],
	    nics[3], nics[4], nics[5]);
	doc = state(all);
	T_EQ(import_text(doc, TF_AFTER, &tf, &e), 0, "allocation: imports");
	j = cJSON_Parse(tf.json);
	vms = at(at(j, "regions", 0, "spokes")->child, "vms", -1, NULL);
	T_EQ(cJSON_GetArraySize(vms), 3, "a /29 holds 3 NICs (.4 to .6)");
	T_OK(strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetArrayItem(vms, 1), "ip")), "10.9.1.4") == 0 &&
	    strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetArrayItem(vms, 2), "ip")), "10.9.1.6") == 0,
	    "unknown addresses skip the known 10.9.1.5");
	T_OK(has_warning(&tf, "n4: subnet a is full", NULL),
	    "the NIC past the last free address is a warning");
	T_OK(has_warning(&tf, "n1: assumed", "10.9.1.4"), "ids matched "
	    "ignoring case (SUBNETS, V)");
	cJSON_Delete(j);
	topo_tf_free(&tf);
	for (i = 0; i < 6; i++)
		free(nics[i]);
	free(all);
	free(doc);
	free(v);
}

/*
 * RS-55: two Azure Firewalls in a VNet without Route Server or gateway
 * (they make it a hub): the first's address unknown, the second's .4 known,
 * so the first gets .5; the node names made unique.
 */
static void
test_firewalls(void)
{
	char *v = vnet("h", "10.8.0.0/16", "{\"name\": \"AzureFirewallSubnet\", "
	    "\"address_prefixes\": [\"10.8.0.0/26\"]}"), *f[2], *all, *doc;
	struct topo_tf tf;
	struct topo_err e;
	struct topo *t = NULL;
	cJSON *j;
	char *got;
	size_t i;

	for (i = 0; i < 2; i++) {
		char *val = xasprintf("\"name\": \"AFW\", \"ip_configuration\": "
		    "[{\"name\": \"pip\"}, {\"name\": \"c\", \"subnet_id\": \""
		    NET "/virtualNetworks/h/subnets/AzureFirewallSubnet\"%s}]",
		    i == 0 ? "" : ", \"private_ip_address\": \"10.8.0.4\"");

		f[i] = res("azurerm_firewall", i == 0 ? "a" : "b", val);
		free(val);
	}
	all = xasprintf("%s,%s,%s", v, f[0], f[1]);
	doc = state(all);
	T_EQ(import_text(doc, TF_AFTER, &tf, &e), 0, "firewalls: imports");
	j = cJSON_Parse(tf.json);
	got = cJSON_PrintUnformatted(at(at(j, "regions", 0, "hub"), "nvas", -1,
	    NULL));
	T_OK(got != NULL && strcmp(got, "[{\"name\":\"afw\",\"subnet\":"
	    "\"AzureFirewallSubnet\",\"ip\":\"10.8.0.5\",\"bgp\":false},"
	    "{\"name\":\"afw-2\",\"subnet\":\"AzureFirewallSubnet\",\"ip\":"
	    "\"10.8.0.4\",\"bgp\":false}]") == 0, "RS-55: the firewalls are "
	    "the hub's NVAs without BGP, the known .4 kept, the unknown one "
	    "the next free: %s", got ? got : "null");
	T_OK(has_warning(&tf, "azurerm_firewall.a: assumed: private_ip_address "
	    "is not in the file; 10.8.0.5", NULL), "the allocated address is "
	    "reported assumed, with the resource address");
	T_EQ(topo_load_string(tf.json, strlen(tf.json), &t, &e), 0,
	    "firewalls: the topology loads (%s)", t ? "ok" : e.msg);
	topo_free(t);
	free(got);
	cJSON_Delete(j);
	topo_tf_free(&tf);
	free(f[0]);
	free(f[1]);
	free(all);
	free(doc);
	free(v);
}

/*
 * ExpressRoute: a gateway with two circuits ("circuits"), one gateway whose
 * circuit is not in the file (left out), a circuit no connection uses.
 */
static void
test_expressroute(void)
{
	char *v = vnet("h", "10.7.0.0/16", "{\"name\": \"GatewaySubnet\", "
	    "\"address_prefixes\": [\"10.7.0.0/27\"]}"), *r[9], *all, *doc;
	struct topo_tf tf;
	struct topo_err e;
	struct topo *t = NULL;
	cJSON *j;
	char *got;
	size_t i;

	for (i = 0; i < 2; i++)
		r[i] = res("azurerm_virtual_network_gateway", i ? "g2" : "g1",
		    i ? "\"id\": \"" NET "/virtualNetworkGateways/g2\", \"name\": "
		    "\"g2\", \"type\": \"ExpressRoute\", \"ip_configuration\": "
		    "[{\"subnet_id\": \"" NET "/virtualNetworks/h/subnets/"
		    "GatewaySubnet\"}]" : "\"id\": \"" NET "/virtualNetworkGateways/"
		    "g1\", \"name\": \"g1\", \"type\": \"ExpressRoute\", "
		    "\"ip_configuration\": [{\"subnet_id\": \"" NET
		    "/virtualNetworks/h/subnets/GatewaySubnet\"}]");
	for (i = 0; i < 3; i++) {
		char *val = xasprintf("\"id\": \"" NET "/expressRouteCircuits/"
		    "c%zu\", \"name\": \"c%zu\", \"sku\": [{\"tier\": \"%s\"}], "
		    "\"tags\": {\"arsemu-prefixes\": \"10.%zu.0.0/16\"}", i, i,
		    i == 1 ? "Premium" : "Standard", 70 + i);
		char n[4];

		snprintf(n, sizeof(n), "c%zu", i);
		r[2 + i] = res("azurerm_express_route_circuit", n, val);
		free(val);
		val = xasprintf("\"express_route_circuit_name\": \"C%zu\", "
		    "\"peering_type\": \"AzurePrivatePeering\", \"peer_asn\": "
		    "%zu", i, 65100 + i);
		snprintf(n, sizeof(n), "p%zu", i);
		r[5 + i] = res("azurerm_express_route_circuit_peering", n, val);
		free(val);
	}
	/* g1 to c0 (weight 5) and c1 (Premium); g2 to a circuit not in the file */
	r[8] = xasprintf("%s,%s,%s",
	    "{\"address\": \"azurerm_virtual_network_gateway_connection.a\", "
	    "\"mode\": \"managed\", \"type\": "
	    "\"azurerm_virtual_network_gateway_connection\", \"name\": \"a\", "
	    "\"values\": {\"type\": \"ExpressRoute\", \"routing_weight\": 5, "
	    "\"virtual_network_gateway_id\": \"" NET "/virtualNetworkGateways/g1\", "
	    "\"express_route_circuit_id\": \"" NET "/EXPRESSROUTECIRCUITS/C0\"}}",
	    "{\"address\": \"azurerm_virtual_network_gateway_connection.b\", "
	    "\"mode\": \"managed\", \"type\": "
	    "\"azurerm_virtual_network_gateway_connection\", \"name\": \"b\", "
	    "\"values\": {\"type\": \"ExpressRoute\", "
	    "\"virtual_network_gateway_id\": \"" NET "/virtualNetworkGateways/g1\", "
	    "\"express_route_circuit_id\": \"" NET "/expressRouteCircuits/c1\"}}",
	    "{\"address\": \"azurerm_virtual_network_gateway_connection.c\", "
	    "\"mode\": \"managed\", \"type\": "
	    "\"azurerm_virtual_network_gateway_connection\", \"name\": \"c\", "
	    "\"values\": {\"type\": \"ExpressRoute\", "
	    "\"virtual_network_gateway_id\": \"" NET "/virtualNetworkGateways/g2\", "
	    "\"express_route_circuit_id\": \"" NET "/expressRouteCircuits/x\"}}");
	all = xasprintf("%s,%s,%s,%s,%s,%s,%s,%s,%s,%s", v, r[0], r[1], r[2],
	    r[3], r[4], r[5], r[6], r[7], r[8]);
	doc = state(all);
	T_EQ(import_text(doc, TF_AFTER, &tf, &e), 0, "expressroute: imports");
	j = cJSON_Parse(tf.json);
	got = cJSON_PrintUnformatted(at(at(j, "regions", 0, "hub"), "gateways",
	    -1, NULL));
	T_OK(got != NULL && strcmp(got, "[{\"name\":\"g1\",\"type\":"
	    "\"ExpressRoute\",\"circuits\":[{\"site\":\"c0\",\"weight\":5},"
	    "{\"site\":\"c1\",\"sku\":\"Premium\"}]}]") == 0, "ER: a gateway "
	    "with two circuits (ids and circuit names matched ignoring case), "
	    "weight and sku kept: %s", got ? got : "null");
	T_OK(has_warning(&tf, "connection.c: its ExpressRoute circuit is not "
	    "in the file", NULL) && has_warning(&tf, "gateway.g2: "
	    "ExpressRoute gateway: no circuit", NULL) && has_warning(&tf,
	    "circuit.c2: no connection of the file uses it", NULL), "ER: "
	    "what is missing is a warning naming the resource address");
	free(got);
	got = cJSON_PrintUnformatted(at(j, "sites", -1, NULL));
	T_OK(got != NULL && strcmp(got, "[{\"name\":\"c0\",\"prefixes\":"
	    "[\"10.70.0.0/16\"],\"asn\":65100},{\"name\":\"c1\",\"prefixes\":"
	    "[\"10.71.0.0/16\"],\"asn\":65101}]") == 0, "ER: the circuits' "
	    "sites: prefixes from the tag, ASN from the private peering: %s",
	    got ? got : "null");
	T_EQ(topo_load_string(tf.json, strlen(tf.json), &t, &e), 0,
	    "expressroute: the topology loads (%s)", t ? "ok" : e.msg);
	topo_free(t);
	free(got);
	cJSON_Delete(j);
	topo_tf_free(&tf);
	for (i = 0; i < 9; i++)
		free(r[i]);
	free(all);
	free(doc);
	free(v);
}

static int
by_address(const void *x, const void *y)
{
	return strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
	    *(cJSON *const *)x, "address")), cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(*(cJSON *const *)y, "address")));
}

/* o's items, as terraform show -json orders child modules: by address. */
static void
sort_by_address(cJSON *o)
{
	cJSON *items[64];
	int n = 0, i;

	while (o->child != NULL && n < 64)
		items[n++] = cJSON_DetachItemViaPointer(o, o->child);
	qsort(items, (size_t)n, sizeof(*items), by_address);
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(o, items[i]);
}

/*
 * The fixture's hub modules as Terraform really prints them, sorted by
 * address: module.hub.module.expressroute before module.hub.module.vpn.
 * The lab gives gateways the free addresses of GatewaySubnet in topology
 * order: the VPN gateway, whose bgp_settings state .4 and .5, comes first
 * all the same, the ER gateway gets .6 and .7. An address the lab cannot
 * give is a warning naming the gateway.
 */
static void
test_gateway_order(void)
{
	struct topo_err e;
	struct topo_tf tf;
	cJSON *doc, *hub, *vpn = NULL, *el;
	char *text, *got;
	size_t len;

	if (topo_read_file(STATE, &text, &len, &e) == -1) {
		T_OK(false, "gateway order: %s", e.msg);
		return;
	}
	doc = cJSON_Parse(text);
	free(text);
	hub = (cJSON *)at(at(doc, "values", -1, "root_module"), "child_modules", 0,
	    "child_modules");
	sort_by_address(hub);
	T_OK(strcmp(cJSON_GetStringValue(at(hub->child, "address", -1, NULL)),
	    "module.hub.module.expressroute") == 0, "gateway order: the ER "
	    "module first, as Terraform sorts");
	cJSON_ArrayForEach(el, hub) {
		const cJSON *r;

		cJSON_ArrayForEach(r, at(el, "resources", -1, NULL))
			if (strcmp(cJSON_GetStringValue(at(r, "address", -1,
			    NULL)), "module.hub.module.vpn.azurerm_virtual_"
			    "network_gateway.this") == 0)
				vpn = (cJSON *)at(r, "values", -1, NULL);
	}
	text = cJSON_PrintUnformatted(doc);
	T_EQ(import_text(text, TF_AFTER, &tf, &e), 0, "gateway order: imports");
	free(text);
	got = tf.json ? cJSON_PrintUnformatted(at(at(el = cJSON_Parse(tf.json),
	    "regions", 0, "hub"), "gateways", -1, NULL)) : NULL;
	T_OK(got != NULL && strncmp(got, "[{\"name\":\"vgw-hub-weu\"", 22) == 0
	    && strstr(got, "},{\"name\":\"ergw-hub-weu\"") != NULL, "gateways "
	    "in the order of their bgp_settings addresses, not of the modules: "
	    "%s", got ? got : "null");
	T_OK(!has_warning(&tf, "the lab gives it", NULL), "gateway order: "
	    "each instance keeps its address");
	free(got);
	cJSON_Delete(el);
	topo_tf_free(&tf);
	/* the VPN gateway's second instance at .9: a warning */
	el = cJSON_GetArrayItem(at(cJSON_GetArrayItem(at(vpn, "bgp_settings",
	    0, "peering_addresses"), 1), "default_addresses", -1, NULL), 0);
	T_OK(cJSON_IsString(el), "gateway address: the fixture states it");
	if (el != NULL)
		cJSON_SetValuestring(el, "10.1.0.9");
	text = cJSON_PrintUnformatted(doc);
	T_EQ(import_text(text, TF_AFTER, &tf, &e), 0, "gateway address: "
	    "imports");
	T_OK(has_warning(&tf, "module.hub.module.vpn.azurerm_virtual_network_"
	    "gateway.this: bgp_settings: instance 1 has 10.1.0.9; the lab gives "
	    "it 10.1.0.5, the next free address of GatewaySubnet", NULL),
	    "gateway address: what the lab cannot give is a warning naming "
	    "the gateway");
	topo_tf_free(&tf);
	free(text);
	cJSON_Delete(doc);
}

/* 1,000 VMs whose names differ past 32 characters, in a /16. */
static void
test_names(void)
{
	size_t cap = 1 << 20, off = 0, i;
	char *buf = xmalloc(cap), *v = vnet("v", "10.9.0.0/16",
	    "{\"name\": \"a\", \"address_prefixes\": [\"10.9.0.0/16\"]}"), *doc;
	struct topo_tf tf;
	struct topo_err e;
	struct topo *t = NULL;
	int rc;

	off += (size_t)snprintf(buf + off, cap - off, "%s", v);
	for (i = 0; i < 1000; i++)
		off += (size_t)snprintf(buf + off, cap - off, ",{\"address\": "
		    "\"azurerm_network_interface.n%zu\", \"type\": "
		    "\"azurerm_network_interface\", \"name\": \"n%zu\", "
		    "\"values\": {\"name\": \"a-very-long-network-interface-"
		    "name-%zu\", \"ip_configuration\": [{\"subnet_id\": \"" NET
		    "/virtualNetworks/v/subnets/a\"}]}}", i, i, i);
	doc = state(buf);
	T_EQ(import_text(doc, TF_AFTER, &tf, &e), 0, "1,000 NICs named alike "
	    "import");
	rc = topo_load_string(tf.json, strlen(tf.json), &t, &e);
	T_EQ(rc, 0, "and load: node names distinct (%s)", rc ? e.msg : "ok");
	T_OK(t != NULL && t->nnodes == 1000, "1,000 nodes");
	topo_free(t);
	topo_tf_free(&tf);
	free(doc);
	free(buf);
	free(v);
}

/*
 * NV-01: a VM with IP forwarding on its three NICs and no BGP connection,
 * an NVA without BGP (RS-55): its second NIC, in another subnet, is an
 * extra NIC of that NVA; its third, in its first's subnet, is left out
 * with a warning saying why.
 */
static void
test_vm_xnic(void)
{
	char *v = vnet("hub", "10.1.0.0/16", "{\"name\": \"untrust\", "
	    "\"address_prefixes\": [\"10.1.2.0/24\"]}, {\"name\": \"trust\", "
	    "\"address_prefixes\": [\"10.1.3.0/24\"]}"), *nic[3], *vm, *all,
	    *doc;
	const char *sn[] = { "untrust", "trust", "untrust" };
	const char *ip[] = { "10.1.2.4", "10.1.3.4", "10.1.2.5" };
	const char *nm[] = { "fw-untrust", "FW_Trust", "fw-third" };
	struct topo_tf tf;
	struct topo_err e;
	struct topo *t = NULL;
	const struct topo_nic *x;
	const cJSON *nvas;
	cJSON *j;
	char *cs;
	size_t i;
	int rc;

	for (i = 0; i < 3; i++) {
		char *val = xasprintf("\"id\": \"" NET "/networkInterfaces/%s\", "
		    "\"name\": \"%s\", \"ip_forwarding_enabled\": true, "
		    "\"ip_configuration\": [{\"name\": \"c\", \"subnet_id\": \""
		    NET "/virtualNetworks/hub/subnets/%s\", "
		    "\"private_ip_address\": \"%s\"}]", nm[i], nm[i], sn[i],
		    ip[i]);
		char rn[8];

		snprintf(rn, sizeof(rn), "n%zu", i);
		nic[i] = res("azurerm_network_interface", rn, val);
		free(val);
	}
	vm = res("azurerm_linux_virtual_machine", "fw", "\"name\": \"fw\", "
	    "\"network_interface_ids\": [\"" NET "/networkInterfaces/"
	    "fw-untrust\", \"" NET "/networkInterfaces/FW_Trust\", \"" NET
	    "/networkInterfaces/fw-third\"]");
	all = xasprintf("%s,%s,%s,%s,%s", v, nic[0], nic[1], nic[2], vm);
	doc = state(all);
	rc = import_text(doc, TF_AFTER, &tf, &e);
	T_EQ(rc, 0, "NV-01 extra NIC: imports (%s)", rc ? e.msg : "ok");
	if (rc == 0) {
		j = cJSON_Parse(tf.json);
		nvas = at(at(j, "regions", 0, "spokes")->child, "nvas", -1,
		    NULL);
		cs = cJSON_PrintUnformatted(nvas);
		T_OK(cs != NULL && strcmp(cs, "[{\"name\":\"fw\",\"subnet\":"
		    "\"untrust\",\"ip\":\"10.1.2.4\",\"bgp\":false,\"nics\":[{"
		    "\"name\":\"fw-trust\",\"subnet\":\"trust\",\"ip\":"
		    "\"10.1.3.4\",\"ip_forwarding\":true}]}]") == 0, "NV-01: the "
		    "VM's second NIC an extra NIC of its NVA without BGP: %s",
		    cs ? cs : "null");
		T_OK(has_warning(&tf, "azurerm_network_interface.n2: a second "
		    "NIC of azurerm_linux_virtual_machine.fw: not imported: NVA "
		    "fw has a NIC in subnet untrust already", NULL) &&
		    !has_warning(&tf, "azurerm_network_interface.n1", NULL),
		    "NV-01: the NIC the model cannot hold is a warning saying "
		    "why, the extra NIC none");
		rc = topo_load_string(tf.json, strlen(tf.json), &t, &e);
		T_EQ(rc, 0, "NV-01 extra NIC: loads (%s)", rc ? e.msg : "ok");
		x = t ? topo_nic_find(t, "fw/fw-trust") : NULL;
		T_OK(x != NULL && x->ip == 0x0a010304 && x->ip_forwarding &&
		    strcmp(x->subnet->name, "trust") == 0, "NV-01: NIC "
		    "fw/fw-trust is in trust at 10.1.3.4");
		free(cs);
		cJSON_Delete(j);
		topo_free(t);
		topo_tf_free(&tf);
	}
	for (i = 0; i < 3; i++)
		free(nic[i]);
	free(vm);
	free(all);
	free(doc);
	free(v);
}

/* 2,000 route tables of one name: distinct names, in linear time. */
static void
test_rt_names(void)
{
	size_t cap = 1 << 20, off = 0, i;
	char *buf = xmalloc(cap), *doc;
	struct topo_tf tf;
	struct topo_err e;
	const cJSON *el;
	cJSON *j;
	bool ok = true;

	off += (size_t)snprintf(buf + off, cap - off, "{\"address\": \"x.y\", "
	    "\"type\": \"x\", \"name\": \"y\", \"values\": {}}");
	for (i = 0; i < 2000; i++)
		off += (size_t)snprintf(buf + off, cap - off, ",{\"address\": "
		    "\"azurerm_route_table.t%zu\", \"type\": "
		    "\"azurerm_route_table\", \"name\": \"t%zu\", \"values\": "
		    "{\"name\": \"rt-Hub\", \"route\": []}}", i, i);
	doc = state(buf);
	T_EQ(import_text(doc, TF_AFTER, &tf, &e), 0, "2,000 route tables "
	    "named alike import");
	j = cJSON_Parse(tf.json);
	cJSON_ArrayForEach(el, cJSON_GetObjectItemCaseSensitive(j,
	    "route_tables")) {
		const cJSON *o;
		const char *n = cJSON_GetStringValue(
		    cJSON_GetObjectItemCaseSensitive(el, "name"));

		for (o = el->next; o != NULL && ok; o = o->next)
			ok = strcmp(n, cJSON_GetStringValue(
			    cJSON_GetObjectItemCaseSensitive(o, "name"))) != 0;
		if (!ok)
			break;
	}
	T_OK(ok && cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j,
	    "route_tables")) == 2000, "with distinct names, case kept (%s, %s)",
	    cJSON_GetStringValue(at(j, "route_tables", 0, "name")),
	    cJSON_GetStringValue(at(j, "route_tables", 1, "name")));
	cJSON_Delete(j);
	topo_tf_free(&tf);
	free(doc);
	free(buf);
}

static char *
peering(const char *name, const char *own, const char *remote)
{
	char *v = xasprintf("\"name\": \"%s\", \"virtual_network_name\": "
	    "\"%s\", \"remote_virtual_network_id\": \"" NET
	    "/virtualNetworks/%s\", \"use_remote_gateways\": false", name, own,
	    remote);
	char *r = res("azurerm_virtual_network_peering", name, v);

	free(v);
	return r;
}

/*
 * A firewall hub: no Route Server, no gateway, peered with two spokes;
 * spoke s1's inline subnet block names its route table (azurerm 4.x).
 */
static void
test_peered_hub(void)
{
	char *h = vnet("h", "10.1.0.0/16", "{\"name\": \"fw\", "
	    "\"address_prefixes\": [\"10.1.1.0/24\"]}");
	char *s1 = vnet("s1", "10.2.0.0/16", "{\"name\": \"app\", "
	    "\"address_prefixes\": [\"10.2.1.0/24\"], \"route_table_id\": \""
	    NET "/routeTables/RT\"}");
	char *s2 = vnet("s2", "10.3.0.0/16", "");
	char *p1 = peering("p1", "s1", "h"), *p2 = peering("p2", "h", "s1");
	char *p3 = peering("p3", "s2", "h");
	char *rt = res("azurerm_route_table", "rt", "\"id\": \"" NET
	    "/routeTables/rt\", \"name\": \"rt\", \"route\": [{\"name\": "
	    "\"d\", \"address_prefix\": \"0.0.0.0/0\", \"next_hop_type\": "
	    "\"VirtualAppliance\", \"next_hop_in_ip_address\": \"10.1.1.4\"}]");
	char *all = xasprintf("%s,%s,%s,%s,%s,%s,%s", s1, s2, h, p1, p2, p3, rt);
	char *doc = state(all);
	struct topo_tf tf;
	struct topo_err e;
	struct topo *t = NULL;
	int rc;
	cJSON *j;

	T_EQ(import_text(doc, TF_AFTER, &tf, &e), 0, "a firewall hub imports");
	j = cJSON_Parse(tf.json);
	T_OK(strcmp(cJSON_GetStringValue(at(at(j, "regions", 0, "hub"), "name",
	    -1, NULL)), "h") == 0 && cJSON_GetArraySize(at(j, "regions", 0,
	    "spokes")) == 2, "the VNet peered with two is the hub, without "
	    "Route Server or gateway");
	T_OK(has_warning(&tf, "azurerm_virtual_network.h: no Route Server nor "
	    "VPN gateway in westeurope: imported as its hub, peered with 2", NULL),
	    "and a warning says so");
	T_OK(strcmp(cJSON_GetStringValue(cJSON_GetArrayItem(at(j,
	    "route_tables", 0, "subnets"), 0)), "s1/app") == 0, "an inline "
	    "subnet's route_table_id associates (its id in another case)");
	rc = topo_load_string(tf.json, strlen(tf.json), &t, &e);
	T_EQ(rc, 0, "and it loads (%s)", rc ? e.msg : "ok");
	topo_free(t);
	cJSON_Delete(j);
	topo_tf_free(&tf);
	free(doc);
	free(all);
	free(h);
	free(s1);
	free(s2);
	free(p1);
	free(p2);
	free(p3);
	free(rt);
}

/* Modules 32 deep are read; 33 are refused. */
static void
test_depth(void)
{
	char *doc, *mod = xstrdup("\"resources\": []"), *addr = xstrdup(""), *n;
	struct topo_tf tf;
	struct topo_err e;
	int d, rc;

	for (d = 33; d >= 1; d--) {
		free(addr);
		addr = xstrdup("module.m");
		n = xasprintf("\"child_modules\": [{\"address\": \"%s\", %s}]",
		    addr, mod);
		free(mod);
		mod = n;
		if (d == 2 || d == 1) {
			doc = xasprintf("{\"format_version\": \"1.0\", \"values\": "
			    "{\"root_module\": {%s}}}", mod);
			rc = import_text(doc, TF_AFTER, &tf, &e);
			if (d == 2)
				T_EQ(rc, 0, "modules 32 deep are read");
			else
				T_OK(rc == -1 && strstr(e.msg, "nested more than "
				    "32 deep") != NULL, "33 deep: %s", e.msg);
			topo_tf_free(&tf);
			free(doc);
		}
	}
	free(mod);
	free(addr);
}

/* Inputs refused: the message names t.json and the JSON path. */
static void
test_bad(void)
{
	static const struct {
		const char *doc, *want;
	} cases[] = {
		{ "[]", "t.json: not what `terraform show -json` prints" },
		{ "{\"values\": {\"root_module\": {\"resources\": {}}}}",
		    "t.json: values.root_module.resources: must be an array" },
		{ "{\"values\": {\"root_module\": {\"child_modules\": [{}]}}}",
		    "values.root_module.child_modules[0].address: a child module "
		    "needs its address" },
		{ "{\"values\": {\"root_module\": {\"resources\": [{\"type\": "
		    "\"x\"}]}}}", "values.root_module.resources[0].address: a "
		    "resource needs its address" },
		{ "{\"planned_values\": {}}", "t.json: planned_values.root_module: "
		    "missing" },
		{ "{\"format_version\": 1}", "format_version: arsemu reads "
		    "format_version 1.x" },
		{ "{} {}", "text after the end of the document" },
		{ "{\"values\": {\"root_module\": {\"resources\": [{\"address\": "
		    "\"azurerm_virtual_network.v\", \"type\": "
		    "\"azurerm_virtual_network\", \"name\": \"v\", \"values\": "
		    "{\"name\": \"v\"}}]}}}", "values.root_module.resources[0]."
		    "values.address_space (azurerm_virtual_network.v): VNet v has "
		    "no address space" },
	};
	struct topo_tf tf;
	struct topo_err e;
	size_t i;

	for (i = 0; i < NELEM(cases); i++) {
		int rc = import_text(cases[i].doc, TF_AFTER, &tf, &e);

		T_OK(rc == -1 && strstr(e.msg, cases[i].want) != NULL &&
		    tf.json == NULL, "refused: %s", e.msg);
	}
}

/*
 * An internal load balancer whose frontend address is not known yet (""):
 * the first free of its subnet after the NICs, assumed; an IP-based pool
 * (azurerm_lb_backend_address_pool_address); two port rules, one of
 * another pool; an Https probe with a path.
 */
static void
test_lb(void)
{
	const char *lb = NET "/loadBalancers/ilb";
	char *r[12], *all, *doc, *got;
	struct topo_tf tf;
	struct topo_err e;
	struct topo *t = NULL;
	cJSON *j;
	size_t i, n = 0;

	r[n++] = vnet("hub", "10.9.0.0/16", "{\"name\": \"RouteServerSubnet\", "
	    "\"address_prefixes\": [\"10.9.1.0/27\"]}, {\"name\": \"nva\", "
	    "\"address_prefixes\": [\"10.9.2.0/24\"]}");
	r[n++] = res("azurerm_route_server", "rs", "\"id\": \"" NET
	    "/virtualHubs/rs\", \"name\": \"rs\", \"subnet_id\": \"" NET
	    "/virtualNetworks/hub/subnets/RouteServerSubnet\"");
	for (i = 0; i < 2; i++) {
		char nm[8], *v;

		snprintf(nm, sizeof(nm), "fw%zu", i + 1);
		v = xasprintf("\"id\": \"" NET "/networkInterfaces/%s\", "
		    "\"name\": \"%s\", \"ip_forwarding_enabled\": true, "
		    "\"ip_configuration\": [{\"name\": \"c\", \"subnet_id\": "
		    "\"" NET "/virtualNetworks/hub/subnets/nva\", "
		    "\"private_ip_address\": \"10.9.2.%zu\"}]", nm, nm, 4 + i);
		r[n++] = res("azurerm_network_interface", nm, v);
		free(v);
		v = xasprintf("\"name\": \"%s\", \"route_server_id\": \"" NET
		    "/virtualHubs/rs\", \"peer_asn\": 65010, \"peer_ip\": "
		    "\"10.9.2.%zu\"", nm, 4 + i);
		r[n++] = res("azurerm_route_server_bgp_connection", nm, v);
		free(v);
	}
	all = xasprintf("\"id\": \"%s\", \"name\": \"ILB\", \"sku\": "
	    "\"Standard\", \"frontend_ip_configuration\": [{\"name\": \"fe\", "
	    "\"subnet_id\": \"" NET "/virtualNetworks/hub/subnets/nva\", "
	    "\"private_ip_address\": \"\"}]", lb);
	r[n++] = res("azurerm_lb", "ilb", all);
	free(all);
	all = xasprintf("\"id\": \"%s/backendAddressPools/p\", \"name\": "
	    "\"p\", \"loadbalancer_id\": \"%s\"", lb, lb);
	r[n++] = res("azurerm_lb_backend_address_pool", "p", all);
	free(all);
	all = xasprintf("\"name\": \"a\", \"backend_address_pool_id\": "
	    "\"%s/backendAddressPools/p\", \"ip_address\": \"10.9.2.5\"", lb);
	r[n++] = res("azurerm_lb_backend_address_pool_address", "a", all);
	free(all);
	all = xasprintf("\"id\": \"%s/probes/h\", \"name\": \"h\", "
	    "\"loadbalancer_id\": \"%s\", \"protocol\": \"Https\", \"port\": "
	    "8443, \"request_path\": \"/health\", \"number_of_probes\": 3", lb,
	    lb);
	r[n++] = res("azurerm_lb_probe", "h", all);
	free(all);
	for (i = 0; i < 2; i++) {
		all = xasprintf("\"name\": \"r%zu\", \"loadbalancer_id\": "
		    "\"%s\", \"protocol\": \"%s\", \"frontend_port\": %d, "
		    "\"backend_port\": %d, \"frontend_ip_configuration_name\": "
		    "\"fe\", \"backend_address_pool_ids\": [\"%s/"
		    "backendAddressPools/%s\"], \"probe_id\": \"%s/probes/h\"",
		    i, lb, i ? "Udp" : "Tcp", i ? 53 : 443, i ? 53 : 443, lb,
		    i ? "other" : "p", lb);
		r[n++] = res("azurerm_lb_rule", i ? "r1" : "r0", all);
		free(all);
	}
	all = xasprintf("%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s", r[0], r[1], r[2],
	    r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11]);
	doc = state(all);
	T_EQ(import_text(doc, TF_AFTER, &tf, &e), 0, "lb: imports (%s)",
	    e.msg);
	j = cJSON_Parse(tf.json);
	got = cJSON_PrintUnformatted(at(at(j, "regions", 0, "hub"),
	    "load_balancers", -1, NULL));
	T_OK(got != NULL && strcmp(got, "[{\"name\":\"ilb\",\"frontend\":"
	    "{\"subnet\":\"nva\",\"ip\":\"10.9.2.6\"},\"backends\":"
	    "[\"fw2\"],\"rules\":[{\"protocol\":\"Tcp\",\"port\":443}],"
	    "\"probe\":{\"protocol\":\"Https\",\"port\":8443,\"interval\":"
	    "15,\"threshold\":3}}]") == 0, "lb: the frontend the next free "
	    "address, the NVA at the pool's address, the first rule's pool "
	    "and probe, number_of_probes and the default interval: %s",
	    got ? got : "null");
	T_OK(has_warning(&tf, "azurerm_lb.ilb: assumed: the frontend's "
	    "private_ip_address is known after apply; 10.9.2.6", NULL) &&
	    has_warning(&tf, "azurerm_lb.ilb: load balancer ILB is called ilb",
	    NULL) && has_warning(&tf, "azurerm_lb_rule.r1: a rule of another "
	    "backend pool or probe", NULL) && has_warning(&tf,
	    "azurerm_lb_probe.h: the probe's request path is not modelled",
	    NULL), "lb: the assumed address, the name, the rule of another "
	    "pool and the probe's path are warnings naming the address");
	T_EQ(topo_load_string(tf.json, strlen(tf.json), &t, &e), 0,
	    "lb: the topology loads (%s)", t ? "ok" : e.msg);
	topo_free(t);
	free(got);
	cJSON_Delete(j);
	topo_tf_free(&tf);
	for (i = 0; i < n; i++)
		free(r[i]);
	free(all);
	free(doc);
}

/* A static frontend address is Azure's to keep: no NIC allocated there. */
static void
test_lb_static(void)
{
	char *v = vnet("hub", "10.9.0.0/16", "{\"name\": \"nva\", "
	    "\"address_prefixes\": [\"10.9.2.0/24\"]}"), *l, *n, *all, *doc;
	struct topo_tf tf;
	struct topo_err e;
	cJSON *j;
	const char *ip;

	l = res("azurerm_lb", "ilb", "\"name\": \"ilb\", "
	    "\"frontend_ip_configuration\": [{\"name\": \"fe\", "
	    "\"subnet_id\": \"" NET "/virtualNetworks/hub/subnets/nva\", "
	    "\"private_ip_address\": \"10.9.2.4\"}]");
	n = res("azurerm_network_interface", "vm", "\"name\": \"vm\", "
	    "\"ip_configuration\": [{\"name\": \"c\", \"subnet_id\": \""
	    NET "/virtualNetworks/hub/subnets/nva\"}]");
	all = xasprintf("%s,%s,%s", v, l, n);
	doc = state(all);
	T_EQ(import_text(doc, TF_AFTER, &tf, &e), 0, "lb static: imports");
	j = cJSON_Parse(tf.json);
	ip = cJSON_GetStringValue(at(cJSON_GetArrayItem(at(j, "regions", 0,
	    "spokes"), 0), "vms", 0, "ip"));
	T_OK(ip != NULL && strcmp(ip, "10.9.2.5") == 0 && has_warning(&tf,
	    "azurerm_lb.ilb: no load-balancing rule arsemu can hold", NULL),
	    "lb static: the NIC known after apply gets .5, not the "
	    "frontend's .4; a load balancer without a rule is a warning: %s",
	    ip ? ip : "null");
	cJSON_Delete(j);
	topo_tf_free(&tf);
	free(v);
	free(l);
	free(n);
	free(all);
	free(doc);
}

/*
 * LB-03, PE-08: a load balancer in a spoke (no Route Server anywhere: an
 * unpeered spoke), its pool two NICs of the spoke with IP forwarding on
 * and no BGP connection, by address; HA ports. The spoke holds both NVAs
 * without BGP and the load balancer in front of them.
 */
static void
test_lb_spoke(void)
{
	const char *lb = NET "/loadBalancers/ilb";
	char *r[9], *all, *doc, *got;
	struct topo_tf tf;
	struct topo_err e;
	struct topo *t = NULL;
	cJSON *j;
	size_t i, n = 0;

	r[n++] = vnet("app", "10.9.0.0/16", "{\"name\": \"nva\", "
	    "\"address_prefixes\": [\"10.9.2.0/24\"]}");
	for (i = 1; i <= 2; i++) {
		char nm[8], *v;

		snprintf(nm, sizeof(nm), "fw%zu", i);
		v = xasprintf("\"id\": \"" NET "/networkInterfaces/%s\", "
		    "\"name\": \"%s\", \"ip_forwarding_enabled\": true, "
		    "\"ip_configuration\": [{\"name\": \"c\", \"subnet_id\": "
		    "\"" NET "/virtualNetworks/app/subnets/nva\", "
		    "\"private_ip_address\": \"10.9.2.%zu\"}]", nm, nm, 3 + i);
		r[n++] = res("azurerm_network_interface", nm, v);
		free(v);
		snprintf(nm, sizeof(nm), "a%zu", i);
		v = xasprintf("\"name\": \"%s\", \"backend_address_pool_id\": "
		    "\"%s/backendAddressPools/p\", \"ip_address\": "
		    "\"10.9.2.%zu\"", nm, lb, 3 + i);
		r[n++] = res("azurerm_lb_backend_address_pool_address", nm, v);
		free(v);
	}
	all = xasprintf("\"id\": \"%s\", \"name\": \"ilb\", \"sku\": "
	    "\"Standard\", \"frontend_ip_configuration\": [{\"name\": \"fe\", "
	    "\"subnet_id\": \"" NET "/virtualNetworks/app/subnets/nva\", "
	    "\"private_ip_address\": \"10.9.2.10\"}]", lb);
	r[n++] = res("azurerm_lb", "ilb", all);
	free(all);
	all = xasprintf("\"id\": \"%s/backendAddressPools/p\", \"name\": "
	    "\"p\", \"loadbalancer_id\": \"%s\"", lb, lb);
	r[n++] = res("azurerm_lb_backend_address_pool", "p", all);
	free(all);
	all = xasprintf("\"id\": \"%s/probes/h\", \"name\": \"h\", "
	    "\"loadbalancer_id\": \"%s\", \"protocol\": \"Tcp\", \"port\": "
	    "8080", lb, lb);
	r[n++] = res("azurerm_lb_probe", "h", all);
	free(all);
	all = xasprintf("\"name\": \"ha\", \"loadbalancer_id\": \"%s\", "
	    "\"protocol\": \"All\", \"frontend_port\": 0, \"backend_port\": "
	    "0, \"frontend_ip_configuration_name\": \"fe\", "
	    "\"backend_address_pool_ids\": [\"%s/backendAddressPools/p\"], "
	    "\"probe_id\": \"%s/probes/h\"", lb, lb, lb);
	r[n++] = res("azurerm_lb_rule", "ha", all);
	free(all);
	all = xasprintf("%s,%s,%s,%s,%s,%s,%s,%s,%s", r[0], r[1], r[2], r[3],
	    r[4], r[5], r[6], r[7], r[8]);
	doc = state(all);
	T_EQ(import_text(doc, TF_AFTER, &tf, &e), 0, "lb spoke: imports (%s)",
	    e.msg);
	j = cJSON_Parse(tf.json);
	got = cJSON_PrintUnformatted(at(cJSON_GetArrayItem(at(j, "regions", 0,
	    "spokes"), 0), "load_balancers", -1, NULL));
	T_OK(got != NULL && strcmp(got, "[{\"name\":\"ilb\",\"frontend\":"
	    "{\"subnet\":\"nva\",\"ip\":\"10.9.2.10\"},\"backends\":"
	    "[\"fw1\",\"fw2\"],\"ha_ports\":true,\"probe\":{\"protocol\":"
	    "\"Tcp\",\"port\":8080,\"interval\":15,\"threshold\":2}}]") == 0,
	    "LB-03, PE-08: a spoke's load balancer is imported into the spoke, "
	    "in front of its NVAs without BGP: %s", got ? got : "null");
	T_OK(!has_warning(&tf, "azurerm_lb.ilb", NULL), "LB-03, PE-08: no "
	    "warning about the spoke's load balancer");
	T_EQ(topo_load_string(tf.json, strlen(tf.json), &t, &e), 0,
	    "LB-03, PE-08: the topology loads (%s)", t ? "ok" : e.msg);
	topo_free(t);
	free(got);
	cJSON_Delete(j);
	topo_tf_free(&tf);
	for (i = 0; i < n; i++)
		free(r[i]);
	free(all);
	free(doc);
}

#define NVA_STATE	"test/import/terraform/nva.json"

static bool
ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), k = strlen(tail);

	return n >= k && strcmp(s + n - k, tail) == 0;
}

/* The state of file without the resources whose address ends in a or b. */
static char *
state_without(const char *file, const char *a, const char *b)
{
	FILE *f = fopen(file, "r");
	char *text, *out;
	cJSON *doc, *rs, *r, *next;
	long len;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		if (f != NULL)
			fclose(f);
		return NULL;
	}
	text = xcalloc((size_t)len + 1, 1);
	if (fread(text, 1, (size_t)len, f) != (size_t)len)
		text[0] = '\0';
	fclose(f);
	doc = cJSON_Parse(text);
	free(text);
	rs = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(doc, "values"), "root_module"),
	    "resources");
	for (r = rs ? rs->child : NULL; r != NULL; r = next) {
		const char *ad = cJSON_GetStringValue(
		    cJSON_GetObjectItemCaseSensitive(r, "address"));

		next = r->next;
		if (ad != NULL && (ends_with(ad, a) || ends_with(ad, b)))
			cJSON_Delete(cJSON_DetachItemViaPointer(rs, r));
	}
	out = doc ? cJSON_Print(doc) : NULL;
	cJSON_Delete(doc);
	return out;
}

/*
 * RS-55, LB-03, PE-08: test/import/terraform/nva.json. The hub's NICs with
 * IP forwarding on and no BGP connection are NVAs without BGP, the load
 * balancer's backends; the BGP connection of the hub's Route Server with
 * an NVA in a directly peered spoke is that spoke's NVA, naming the hub in
 * "route_servers". Without the spoke's peerings with the hub, the
 * connection is a warning naming its address.
 */
static void
test_nva_fixture(void)
{
	struct topo_tf tf;
	struct topo_err e;
	struct topo *t = NULL;
	const cJSON *hub, *tr;
	char *doc, *got;
	cJSON *j;
	int rc;

	if (!T_EQ(topo_tf_import(NVA_STATE, TF_AFTER, "nva", &tf, &e), 0,
	    "RS-55: nva.json imports (%s)", e.msg))
		return;
	j = cJSON_Parse(tf.json);
	hub = at(j, "regions", 0, "hub");
	got = cJSON_PrintUnformatted(at(hub, "nvas", -1, NULL));
	T_OK(got != NULL && strcmp(got, "[{\"name\":\"vm-nva1-weu\",\"subnet\":"
	    "\"snet-nva\",\"ip\":\"10.10.2.4\",\"bgp\":false,\"nics\":[{"
	    "\"name\":\"nic-nva1-trust-weu\",\"subnet\":\"snet-trust\",\"ip\":"
	    "\"10.10.3.4\",\"ip_forwarding\":true}]},{\"name\":"
	    "\"vm-nva2-weu\",\"subnet\":\"snet-nva\",\"ip\":\"10.10.2.5\","
	    "\"bgp\":false}]") == 0, "RS-55: NICs with IP forwarding on and no "
	    "BGP connection are NVAs without BGP, named after their VMs: %s",
	    got);
	free(got);
	got = cJSON_PrintUnformatted(at(at(hub, "load_balancers", 0, NULL),
	    "backends", -1, NULL));
	T_OK(got != NULL && strcmp(got, "[\"vm-nva1-weu\",\"vm-nva2-weu\"]") ==
	    0, "LB-03: they are the load balancer's backends: %s", got);
	free(got);
	tr = cJSON_GetArrayItem(at(j, "regions", 0, "spokes"), 1);
	got = cJSON_PrintUnformatted(at(tr, "nvas", -1, NULL));
	T_OK(got != NULL && strcmp(got, "[{\"name\":\"vm-tnva-weu\",\"subnet\":"
	    "\"snet-nva\",\"ip\":\"10.12.1.4\",\"asn\":65020,\"route_servers\":"
	    "[\"vnet-hub-weu\"]}]") == 0, "PE-08: the BGP connection with an "
	    "NVA in a spoke peered with the hub is the spoke's NVA, with "
	    "route_servers: %s", got);
	free(got);
	T_OK(tf.nwarnings == 1 && has_warning(&tf, "azurerm_route_server_bgp_"
	    "connection.tnva: NVA vm-tnva-weu: what it advertises is not in "
	    "Terraform", NULL), "RS-55, PE-08: no warning but what Terraform "
	    "does not hold (%zu)", tf.nwarnings);
	rc = topo_load_string(tf.json, strlen(tf.json), &t, &e);
	T_EQ(rc, 0, "RS-55, PE-08: the topology loads (%s)", rc ? e.msg : "ok");
	topo_free(t);
	t = NULL;
	cJSON_Delete(j);
	topo_tf_free(&tf);

	/* the transit spoke peered with the application spoke only */
	doc = state_without(NVA_STATE, "peering.hub_to_transit",
	    "peering.transit_to_hub");
	if (!T_OK(doc != NULL, "PE-08: nva.json read"))
		return;
	T_EQ(import_text(doc, TF_AFTER, &tf, &e), 0, "PE-08: nva.json without "
	    "the transit spoke's peerings with the hub imports (%s)", e.msg);
	T_OK(has_warning(&tf, "t.json: azurerm_route_server_bgp_connection."
	    "tnva: peer_ip 10.12.1.4 is in VNet vnet-transit-weu, not in hub "
	    "vnet-hub-weu nor in a VNet directly peered with it", "PE-08") &&
	    strstr(tf.json, "route_servers") == NULL, "PE-08: a BGP connection "
	    "with an NVA in a VNet not peered with the hub is a warning naming "
	    "its address; no route_servers is written");
	rc = topo_load_string(tf.json, strlen(tf.json), &t, &e);
	T_EQ(rc, 0, "PE-08: the rest loads (%s)", rc ? e.msg : "ok");
	topo_free(t);
	topo_tf_free(&tf);
	free(doc);
}

/*
 * PE-08, RS-08: a spoke peered with two hubs whose NVA has a BGP connection
 * with each hub's Route Server is one NVA of the spoke naming both hubs in
 * route_servers.
 */
static void
test_spoke_nva_two_hubs(void)
{
	char *r[16], *all, *doc, *got;
	struct topo_tf tf;
	struct topo_err e;
	struct topo *t = NULL;
	size_t i, n = 0;
	cJSON *j;
	int rc;

	r[n++] = vnet("hub1", "10.1.0.0/16", "{\"name\": \"RouteServerSubnet\", "
	    "\"address_prefixes\": [\"10.1.1.0/27\"]}");
	r[n++] = res("azurerm_virtual_network", "hub2", "\"id\": \"" NET
	    "/virtualNetworks/hub2\", \"name\": \"hub2\", \"location\": "
	    "\"northeurope\", \"address_space\": [\"10.9.0.0/16\"], \"subnet\": "
	    "[{\"name\": \"RouteServerSubnet\", \"address_prefixes\": "
	    "[\"10.9.1.0/27\"]}]");
	r[n++] = vnet("spoke", "10.2.0.0/16", "{\"name\": \"nva\", "
	    "\"address_prefixes\": [\"10.2.1.0/24\"]}");
	r[n++] = peering("a", "spoke", "hub1");
	r[n++] = peering("b", "hub1", "spoke");
	r[n++] = peering("c", "spoke", "hub2");
	r[n++] = peering("d", "hub2", "spoke");
	/* hub2's side says it uses the spoke's gateways: a warning (PE-03) */
	{
		char *x = r[n - 1], *u = strstr(x, "\"use_remote_gateways\": false");

		if (u != NULL)
			memcpy(u + strlen("\"use_remote_gateways\": "), "true ", 5);
	}
	for (i = 1; i <= 2; i++) {
		char nm[8], *v;

		snprintf(nm, sizeof(nm), "rs%zu", i);
		v = xasprintf("\"id\": \"" NET "/virtualHubs/%s\", \"name\": "
		    "\"%s\", \"subnet_id\": \"" NET "/virtualNetworks/hub%zu/"
		    "subnets/RouteServerSubnet\"", nm, nm, i);
		r[n++] = res("azurerm_route_server", nm, v);
		free(v);
		snprintf(nm, sizeof(nm), "tn%zu", i);
		v = xasprintf("\"name\": \"%s\", \"route_server_id\": \"" NET
		    "/virtualHubs/rs%zu\", \"peer_asn\": 65020, \"peer_ip\": "
		    "\"10.2.1.4\"", nm, i);
		r[n++] = res("azurerm_route_server_bgp_connection", nm, v);
		free(v);
	}
	r[n++] = res("azurerm_network_interface", "tn", "\"id\": \"" NET
	    "/networkInterfaces/tn\", \"name\": \"tn\", \"ip_forwarding_enabled\": "
	    "true, \"ip_configuration\": [{\"name\": \"c\", \"subnet_id\": \""
	    NET "/virtualNetworks/spoke/subnets/nva\", \"private_ip_address\": "
	    "\"10.2.1.4\"}]");
	all = r[0];
	for (i = 1; i < n; i++) {
		char *x = xasprintf("%s,%s", all, r[i]);

		if (all != r[0])
			free(all);
		all = x;
	}
	doc = state(all);
	rc = import_text(doc, TF_AFTER, &tf, &e);
	if (T_EQ(rc, 0, "PE-08: a spoke NVA connected to two hubs' Route "
	    "Servers imports (%s)", rc ? e.msg : "ok")) {
		j = cJSON_Parse(tf.json);
		got = cJSON_PrintUnformatted(at(cJSON_GetArrayItem(at(j,
		    "regions", 0, "spokes"), 0), "nvas", -1, NULL));
		T_OK(got != NULL && strcmp(got, "[{\"name\":\"tn\",\"subnet\":"
		    "\"nva\",\"ip\":\"10.2.1.4\",\"asn\":65020,\"route_servers\":"
		    "[\"hub1\",\"hub2\"]}]") == 0, "PE-08: one NVA of the spoke, "
		    "both hubs in route_servers: %s", got);
		free(got);
		T_OK(!has_warning(&tf, "peer_ip", NULL) && !has_warning(&tf,
		    "second BGP connection", NULL), "PE-08: neither connection "
		    "skipped");
		T_OK(has_warning(&tf, "t.json: azurerm_virtual_network_peering.d: "
		    "use_remote_gateways: hub hub2 uses spoke's gateways or Route "
		    "Server; arsemu's hub uses its own (PE-03): imported without "
		    "it", NULL), "PE-03: a hub's use_remote_gateways is a warning "
		    "naming the peering's address");
		rc = topo_load_string(tf.json, strlen(tf.json), &t, &e);
		T_EQ(rc, 0, "PE-08: it loads (%s)", rc ? e.msg : "ok");
		topo_free(t);
		cJSON_Delete(j);
		topo_tf_free(&tf);
	}
	free(doc);
	free(all);
	/* no NIC in the file: the connections still make one NVA */
	all = xstrdup(r[0]);
	for (i = 1; i + 1 < n; i++) {
		char *x = xasprintf("%s,%s", all, r[i]);

		free(all);
		all = x;
	}
	doc = state(all);
	rc = import_text(doc, TF_AFTER, &tf, &e);
	if (T_EQ(rc, 0, "PE-08: the same without the NIC imports (%s)", rc ?
	    e.msg : "ok")) {
		j = cJSON_Parse(tf.json);
		got = cJSON_PrintUnformatted(at(cJSON_GetArrayItem(at(j,
		    "regions", 0, "spokes"), 0), "nvas", -1, NULL));
		T_OK(got != NULL && strcmp(got, "[{\"name\":\"tn1\",\"subnet\":"
		    "\"nva\",\"ip\":\"10.2.1.4\",\"asn\":65020,\"route_servers\":"
		    "[\"hub1\",\"hub2\"]}]") == 0, "PE-08: without a NIC, one NVA "
		    "named after the first connection, both hubs in "
		    "route_servers: %s", got);
		free(got);
		cJSON_Delete(j);
		topo_tf_free(&tf);
	}
	free(doc);
	free(all);
	for (i = 0; i < n; i++)
		free(r[i]);
}


#define SPOKE_RS	"test/import/terraform/spoke-rs.json"

/* The compact JSON of the spoke named name in region object rg, or NULL. */
static char *
spoke_json(const cJSON *rg, const char *name)
{
	const cJSON *sp;

	cJSON_ArrayForEach(sp, cJSON_GetObjectItemCaseSensitive(rg, "spokes"))
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		    sp, "name")), name) == 0)
			return cJSON_PrintUnformatted(sp);
	return NULL;
}

/*
 * test/import/terraform/spoke-rs.json (the estate of test/import/
 * az-spoke-rs, its VNets, NICs and VMs for_each, the application spokes'
 * peerings count = 2): the transit VNet's Route Server makes it a spoke
 * with its own route_server (PE-06, PE-07), not a second hub; the
 * application spokes keep use_remote_gateways towards it (PE-03); the
 * northeurope hub's NVA names the westeurope hub in route_servers (RS-08).
 */
static void
test_spoke_rs(void)
{
	struct topo_tf tf;
	struct topo_err e;
	struct topo *t = NULL;
	const cJSON *weu, *neu;
	char *got, *doc;
	cJSON *j;
	int rc;

	if (!T_EQ(topo_tf_import(SPOKE_RS, TF_AFTER, "srs", &tf, &e), 0,
	    "PE-06: spoke-rs.json imports (%s)", e.msg))
		return;
	j = cJSON_Parse(tf.json);
	neu = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "regions"),
	    0);
	weu = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "regions"),
	    1);
	got = cJSON_PrintUnformatted(at(weu, "hub", -1, "name"));
	T_OK(got != NULL && strcmp(got, "\"vnet-hub-weu\"") == 0, "PE-06: the "
	    "VNet with the gateway is the hub: %s", got);
	free(got);
	got = spoke_json(weu, "vnet-transit-weu");
	T_OK(got != NULL && strstr(got, "\"route_server\":{\"branch_to_branch\":"
	    "false,\"hub_routing_preference\":\"ExpressRoute\"}") != NULL &&
	    strstr(got, "\"nvas\":[{\"name\":\"vm-tnva-weu\",\"subnet\":"
	    "\"snet-nva\",\"ip\":\"10.12.1.4\",\"asn\":65020,\"route_servers\":"
	    "[\"vnet-hub-weu\"]}]") != NULL, "PE-06: the transit VNet is a spoke "
	    "with its own Route Server, its NVA peering with both: %s", got);
	free(got);
	got = spoke_json(weu, "vnet-app2-weu");
	T_OK(got != NULL && strstr(got, "\"peerings\":[{\"vnet\":"
	    "\"vnet-transit-weu\",\"allow_forwarded_traffic\":true,"
	    "\"use_remote_gateways\":true}]") != NULL, "PE-03: the second "
	    "instance of a counted peering keeps use_remote_gateways towards "
	    "the spoke's Route Server: %s", got);
	free(got);
	got = cJSON_PrintUnformatted(at(neu, "hub", -1, "nvas"));
	T_OK(got != NULL && strstr(got, "\"route_servers\":[\"vnet-hub-weu\"]")
	    != NULL, "RS-08: the other hub's NVA names the peered hub: %s", got);
	free(got);
	T_OK(!has_warning(&tf, "use_remote_gateways", NULL) && !has_warning(&tf,
	    "peer_ip", NULL) && !has_warning(&tf, "second", NULL), "PE-06: "
	    "no flag, peering or VNet dropped");
	rc = topo_load_string(tf.json, strlen(tf.json), &t, &e);
	T_EQ(rc, 0, "PE-06: the topology loads (%s)", rc ? e.msg : "ok");
	topo_free(t);
	t = NULL;
	cJSON_Delete(j);
	topo_tf_free(&tf);

	/* the transit VNet's side of its peering with app2 gone */
	if ((doc = state_without(SPOKE_RS, "peering.transit_to_app[1]",
	    "peering.transit_to_app[1]")) == NULL)
		return;
	T_EQ(import_text(doc, TF_AFTER, &tf, &e), 0, "PE-03: imports (%s)",
	    e.msg);
	T_OK(has_warning(&tf, "t.json: azurerm_virtual_network.this"
	    "[\"app2-weu\"]: use_remote_gateways towards vnet-transit-weu, "
	    "whose side of the peering in the file does not set "
	    "allow_gateway_transit (PE-03): imported without it", NULL) &&
	    topo_load_string(tf.json, strlen(tf.json), &t, &e) == 0,
	    "PE-03: use_remote_gateways towards a spoke whose side does not "
	    "allow gateway transit is a warning, and the rest loads (%s)",
	    e.msg);
	topo_free(t);
	t = NULL;
	topo_tf_free(&tf);
	free(doc);

	/* the northeurope NVA's connection with its own hub's Route Server gone */
	if ((doc = state_without(SPOKE_RS, "bgp_connection.nva_neu",
	    "bgp_connection.nva_neu")) == NULL)
		return;
	T_EQ(import_text(doc, TF_AFTER, &tf, &e), 0, "RS-04: imports (%s)",
	    e.msg);
	T_OK(has_warning(&tf, "t.json: azurerm_network_interface.this"
	    "[\"nva-neu\"]: NVA vm-nva-neu peers with another VNet's Route "
	    "Server and not with its own VNet vnet-hub-neu's", NULL),
	    "RS-04: an NVA connected to another VNet's Route Server only, in a "
	    "VNet with its own, is a warning naming its NIC's address");
	topo_tf_free(&tf);
	free(doc);
}


/*
 * test/import/terraform/count-plan.json: a plan that creates a hub and
 * three spokes with count = 3, their peerings count = 3 too; every id is
 * known after apply only, so each reference goes through the
 * configuration. The hub's side of each peering, written
 * azurerm_virtual_network.spoke[count.index].id (references
 * "azurerm_virtual_network.spoke" and "count.index"), is that instance's
 * spoke, not the first; so are each counted VM's NIC and each NIC's
 * subnet; a peering naming the counted VNets without an index is a
 * warning with its address, not the first spoke.
 */
static void
test_count_refs(void)
{
	struct topo_tf tf;
	struct topo_err e;
	struct topo *t = NULL;
	size_t i, nref = 0;
	int rc;

	if (!T_EQ(topo_tf_import("test/import/terraform/count-plan.json",
	    TF_AFTER, "count", &tf, &e), 0, "count: the plan imports (%s)",
	    e.msg))
		return;
	for (i = 0; i < tf.nwarnings; i++)
		nref += strstr(tf.warnings[i], "references") != NULL;
	T_OK(!has_warning(&tf, "only the", NULL) && !has_warning(&tf,
	    "second peering", NULL), "count: each hub_to_spoke[k] is spoke[k]'s "
	    "peering: both sides of every peering are found");
	T_OK(nref == 1 && has_warning(&tf, "count-plan.json: "
	    "azurerm_virtual_network_peering.audit: remote_virtual_network_id "
	    "references azurerm_virtual_network.spoke, which has 3 instances "
	    "(count or for_each), without an index: not resolved", NULL),
	    "count: a reference without an index to a counted resource is one "
	    "warning naming the address and attribute (%zu)", nref);
	for (i = 1; i <= 3; i++) {
		char want[160];

		snprintf(want, sizeof(want), "\"vms\":\t[{\n\t\t\t\t\t\t\t"
		    "\"name\":\t\"vm-app%zu-weu\",\n\t\t\t\t\t\t\t\"subnet\":"
		    "\t\"snet-app\",\n\t\t\t\t\t\t\t\"ip\":\t\"10.2%zu.1.4\"", i,
		    i);
		T_OK(strstr(tf.json, want) != NULL, "count: VM app[%zu] has NIC "
		    "app[%zu] (network_interface_ids), in subnet app[%zu] (its "
		    "subnet_id), in spoke[%zu]", i - 1, i - 1, i - 1, i - 1);
	}
	T_OK(strstr(tf.json, "\"allow_gateway_transit\":") == NULL &&
	    strstr(tf.json, "\"use_remote_gateways\":\tfalse") == NULL,
	    "count: the hub allows gateway transit to every spoke, each uses it");
	rc = topo_load_string(tf.json, strlen(tf.json), &t, &e);
	T_EQ(rc, 0, "count: the topology loads (%s)", rc ? e.msg : "ok");
	topo_free(t);
	topo_tf_free(&tf);
}

int
main(void)
{
	test_state();
	test_plan();
	test_allocation();
	test_firewalls();
	test_lb();
	test_lb_static();
	test_lb_spoke();
	test_expressroute();
	test_gateway_order();
	test_names();
	test_vm_xnic();
	test_rt_names();
	test_peered_hub();
	test_nva_fixture();
	test_spoke_nva_two_hubs();
	test_spoke_rs();
	test_count_refs();
	test_depth();
	test_bad();
	return t_done();
}
