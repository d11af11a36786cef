/*
 * test_azimport: `arsemu import az` at its edges (topo/azimport.c): many
 * resources whose names differ only past what a node name can hold, and
 * the files a directory may hold instead of az's output, each object of
 * issue 20 (gateways, connections, local network gateways, circuits, NICs,
 * learned routes) and what the model cannot hold, and the helpers shared
 * with other importers. Each case writes its files into a fresh directory
 * under $TMPDIR (or /tmp) and removes it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "../../lib/util.h"
#include "../../topo/azimport.h"
#include "../../topo/importcommon.h"
#include "../../topo/topo.h"
#include "t.h"

#define SUB	"/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network"

static char dir[256];

static void
mkdir_tmp(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/arsemu-az-XXXXXX", tmp ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL)
		die("mkdtemp %s", dir);
}

static void
rm_tmp(void)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	if (system(cmd) != 0)
		die("%s", cmd);
	free(cmd);
}

static void __attribute__((format(printf, 2, 3)))
put(const char *file, const char *fmt, ...)
{
	char *path = xasprintf("%s/%s", dir, file);
	FILE *f = fopen(path, "a");
	va_list ap;

	if (f == NULL)
		die("cannot write %s", path);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
	free(path);
}

/* Every name in arr[*].name is a node name and differs from the others. */
static bool
names_distinct(const cJSON *arr, size_t want)
{
	const cJSON *a, *b;
	size_t n = 0;

	cJSON_ArrayForEach(a, arr) {
		const char *s = cJSON_GetStringValue(
		    cJSON_GetObjectItemCaseSensitive(a, "name"));

		if (s == NULL || !topo_name_ok(s))
			return false;
		for (b = arr->child; b != a; b = b->next)
			if (strcmp(s, cJSON_GetStringValue(
			    cJSON_GetObjectItemCaseSensitive(b, "name"))) == 0)
				return false;
		n++;
	}
	return n == want;
}

/* 1,000 NICs whose names share their first 40 characters: 1,000 VMs. */
static void
test_many_nics(void)
{
	struct topo_az az;
	struct topo_err err;
	struct topo *t = NULL;
	cJSON *root;
	int i, rc;

	mkdir_tmp();
	put("vnets.json", "[{\"type\":\"Microsoft.Network/virtualNetworks\","
	    "\"name\":\"app\",\"location\":\"westeurope\",\"id\":\"" SUB
	    "/virtualNetworks/app\",\"addressSpace\":{\"addressPrefixes\":"
	    "[\"10.1.0.0/16\"]},\"subnets\":[{\"name\":\"default\","
	    "\"addressPrefix\":\"10.1.0.0/16\",\"ipConfigurations\":[");
	for (i = 0; i < 1000; i++)
		put("vnets.json", "%s{\"id\":\"" SUB "/networkInterfaces/"
		    "application-server-westeurope-prod-%04d-nic/"
		    "ipConfigurations/ipconfig1\"}", i ? "," : "", i);
	put("vnets.json", "]}]}]\n");
	rc = topo_az_import(dir, "many", &az, &err);
	T_EQ(rc, 0, "import az: 1,000 NICs named alike up to character 40 "
	    "import (%s)", err.msg);
	if (rc == 0) {
		root = cJSON_Parse(az.json);
		T_OK(names_distinct(cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root,
		    "regions"), 0), "spokes"), 0), "vms"), 1000),
		    "import az: their 1,000 VM names are distinct node names");
		cJSON_Delete(root);
		T_EQ(topo_load_string(az.json, strlen(az.json), &t, &err), 0,
		    "import az: the topology of 1,000 such VMs validates (%s)",
		    err.msg);
		T_OK(t != NULL && t->nnodes == 1000 &&
		    topo_node_find(t, "application-server-westeurope-pr") != NULL &&
		    topo_node_find(t, "application-server-westeurop-100") != NULL &&
		    topo_node_find(t, "application-server-westeuro-1000") != NULL,
		    "import az: the first keeps the cut name, the others a "
		    "suffix that fits whole");
		topo_free(t);
		topo_az_free(&az);
	}
	rm_tmp();
}

/* 120 Route Server peerings named alike up to character 40: 120 NVAs. */
static void
test_many_bgp_connections(void)
{
	struct topo_az az;
	struct topo_err err;
	const cJSON *hub;
	cJSON *root;
	int i, rc;

	mkdir_tmp();
	put("vnets.json", "[{\"type\":\"Microsoft.Network/virtualNetworks\","
	    "\"name\":\"hub\",\"location\":\"westeurope\",\"id\":\"" SUB
	    "/virtualNetworks/hub\",\"addressSpace\":{\"addressPrefixes\":"
	    "[\"10.1.0.0/16\"]},\"subnets\":[{\"name\":\"RouteServerSubnet\","
	    "\"addressPrefix\":\"10.1.1.0/27\"},{\"name\":\"nva\","
	    "\"addressPrefix\":\"10.1.2.0/24\"}]}]\n");
	put("rs.json", "{\"type\":\"Microsoft.Network/virtualHubs\","
	    "\"name\":\"rs\",\"id\":\"" SUB "/virtualHubs/rs\","
	    "\"virtualRouterIps\":[\"10.1.1.4\",\"10.1.1.5\"]}\n");
	put("peers.json", "[");
	for (i = 0; i < 120; i++)
		put("peers.json", "%s{\"type\":\"Microsoft.Network/virtualHubs/"
		    "bgpConnections\",\"name\":\"firewall-appliance-westeurope"
		    "-primary-%03d\",\"id\":\"" SUB "/virtualHubs/rs/"
		    "bgpConnections/fw%d\",\"peerAsn\":65010,\"peerIp\":"
		    "\"10.1.2.%d\"}", i ? "," : "", i, i, 4 + i);
	put("peers.json", "]\n");
	rc = topo_az_import(dir, "peers", &az, &err);
	T_EQ(rc, 0, "import az: 120 bgpConnections named alike import (%s)",
	    err.msg);
	if (rc == 0) {
		root = cJSON_Parse(az.json);
		hub = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(
		    cJSON_GetObjectItemCaseSensitive(root, "regions"), 0), "hub");
		T_OK(names_distinct(cJSON_GetObjectItemCaseSensitive(hub,
		    "nvas"), 120), "import az: their 120 NVA names are "
		    "distinct node names");
		cJSON_Delete(root);
		topo_az_free(&az);
	}
	rm_tmp();
}

/* The import fails; its message holds want (and no control character). */
static void
import_fails(const char *want, const char *desc)
{
	struct topo_az az;
	struct topo_err err;
	const char *c;
	bool clean = true;
	int rc;

	rc = topo_az_import(dir, "x", &az, &err);
	for (c = err.msg; *c != '\0'; c++)
		clean = clean && (unsigned char)*c >= 0x20 && *c != 0x7f;
	T_OK(rc == -1 && strstr(err.msg, want) != NULL && clean, "%s: %s",
	    desc, err.msg);
	if (rc == 0)
		topo_az_free(&az);
}

/* What a directory may hold instead of az's output. */
static void
test_bad_input(void)
{
	char *link;

	mkdir_tmp();
	import_fails("no *.json files", "import az: an empty directory is a "
	    "clear error");
	link = xasprintf("%s/zero.json", dir);
	if (symlink("/dev/zero", link) == -1)
		die("symlink %s", link);
	free(link);
	import_fails("zero.json: the file is larger than 16777216 bytes",
	    "import az: a symlink to /dev/zero is refused at the topology's "
	    "size cap");
	rm_tmp();

	mkdir_tmp();
	put("vnets.json", "[]\n]garbage\n");
	import_fails("vnets.json: not JSON (line 2, column 1): malformed JSON: "
	    "text after the end", "import az: text after the JSON is refused");
	rm_tmp();

	mkdir_tmp();
	put("vnets.json", "[{\"type\":\"Microsoft.Network/virtualNetworks\","
	    "\"name\":\"good\\u0000; rm -rf /\"}]\n");
	import_fails("vnets.json: [0].name: a string holds a NUL", "import "
	    "az: a \\u0000 in a string is refused with its path");
	rm_tmp();

	mkdir_tmp();
	put("x\x1b[2J.json", "{");
	import_fails("x\\x1b[2J.json: not JSON", "import az: a control "
	    "character in a file name is escaped in the error");
	rm_tmp();
}

/* ---- issue 20: every modelled object, and what is not modelled ---- */

/* Import dir; the topology parsed (NULL on failure), checked to load. */
static cJSON *
import_ok(struct topo_az *az, const char *desc)
{
	struct topo_err err;
	struct topo *t = NULL;
	cJSON *root;
	int rc;

	rc = topo_az_import(dir, "lab", az, &err);
	T_EQ(rc, 0, "%s: imports (%s)", desc, err.msg);
	if (rc != 0)
		return NULL;
	rc = topo_load_string(az->json, strlen(az->json), &t, &err);
	T_EQ(rc, 0, "%s: the topology validates (%s)", desc, err.msg);
	if (t != NULL)
		topo_free(t);
	root = cJSON_Parse(az->json);
	return root;
}

/* One warning holds want. */
static bool
warned(const struct topo_az *az, const char *want)
{
	size_t i;

	for (i = 0; i < az->nwarnings; i++)
		if (strstr(az->warnings[i], want) != NULL)
			return true;
	return false;
}

/* The compact JSON of what path names in root ("a.b[0].c" via cJSON). */
static char *
at(const cJSON *root, const char *const *keys)
{
	const cJSON *o = root;

	for (; *keys != NULL && o != NULL; keys++) {
		if ((*keys)[0] == '#')
			o = cJSON_GetArrayItem(o, atoi(*keys + 1));
		else
			o = cJSON_GetObjectItemCaseSensitive(o, *keys);
	}
	return o ? cJSON_PrintUnformatted(o) : xstrdup("null");
}

static void
expect(const cJSON *root, const char *const *keys, const char *want,
    const char *desc)
{
	char *got = at(root, keys);

	T_OK(strcmp(got, want) == 0, "%s: %s (want %s)", desc, got, want);
	free(got);
}

#define K(...)	((const char *const[]){ __VA_ARGS__, NULL })

#define HUB_VNET "{\"type\":\"Microsoft.Network/virtualNetworks\"," \
	"\"name\":\"hub\",\"location\":\"westeurope\",\"id\":\"" SUB \
	"/virtualNetworks/hub\",\"addressSpace\":{\"addressPrefixes\":" \
	"[\"10.1.0.0/16\"]},\"subnets\":[{\"name\":\"GatewaySubnet\"," \
	"\"addressPrefix\":\"10.1.0.0/27\"},{\"name\":\"RouteServerSubnet\"," \
	"\"addressPrefix\":\"10.1.1.0/27\"},{\"name\":\"nva\"," \
	"\"addressPrefix\":\"10.1.2.0/24\"}]}"

/*
 * An active-standby VPN gateway (no Route Server: the gateway makes the
 * VNet a hub) to a local network gateway whose address space holds its
 * BGP address as a /32, and whose learned routes add a prefix; an
 * ExpressRoute gateway to a Premium circuit whose site's prefixes come
 * from the gateway's learned routes only. Ids upper-cased as az prints
 * some.
 */
static void
test_gateways(void)
{
	struct topo_az az;
	cJSON *root;

	mkdir_tmp();
	put("vnets.json", "[" HUB_VNET "]\n");
	put("gws.json", "[{\"type\":\"Microsoft.Network/virtualNetworkGateways\","
	    "\"name\":\"vpngw\",\"id\":\"" SUB "/virtualNetworkGateways/vpngw\","
	    "\"gatewayType\":\"Vpn\",\"activeActive\":false,\"enableBgp\":true,"
	    "\"bgpSettings\":{\"asn\":65515,\"bgpPeeringAddress\":\"10.1.0.4\"},"
	    "\"ipConfigurations\":[{\"subnet\":{\"id\":\"" SUB
	    "/virtualNetworks/hub/subnets/GatewaySubnet\"}}]},"
	    "{\"type\":\"Microsoft.Network/virtualNetworkGateways\","
	    "\"name\":\"ergw\",\"id\":\"" SUB "/virtualNetworkGateways/ergw\","
	    "\"gatewayType\":\"ExpressRoute\",\"bgpSettings\":{\"asn\":65515,"
	    "\"bgpPeeringAddress\":\"10.1.0.9,10.1.0.10\"},"
	    "\"ipConfigurations\":[{\"subnet\":{\"id\":\"" SUB
	    "/virtualNetworks/hub/subnets/GatewaySubnet\"}}]}]\n");
	put("lng.json", "[{\"type\":\"Microsoft.Network/localNetworkGateways\","
	    "\"name\":\"Branch_LNG\",\"id\":\"" SUB
	    "/localNetworkGateways/Branch_LNG\",\"localNetworkAddressSpace\":"
	    "{\"addressPrefixes\":[\"10.250.0.0/16\",\"10.250.255.254/32\"]},"
	    "\"bgpSettings\":{\"asn\":65050,\"bgpPeeringAddress\":"
	    "\"10.250.255.254\"}}]\n");
	put("er.json", "[{\"type\":\"Microsoft.Network/expressRouteCircuits\","
	    "\"name\":\"dc\",\"id\":\"" SUB "/expressRouteCircuits/dc\","
	    "\"sku\":{\"tier\":\"Premium\"},\"peerings\":[{\"peeringType\":"
	    "\"AzurePrivatePeering\",\"peerASN\":65020}]}]\n");
	put("conns.json", "[{\"type\":\"Microsoft.Network/connections\","
	    "\"name\":\"to-branch\",\"connectionType\":\"IPsec\",\"enableBgp\":"
	    "true,\"virtualNetworkGateway1\":{\"id\":\"" SUB
	    "/virtualNetworkGateways/VPNGW\"},\"localNetworkGateway2\":{\"id\":"
	    "\"" SUB "/LOCALNETWORKGATEWAYS/branch_lng/\"}},"
	    "{\"type\":\"Microsoft.Network/connections\",\"name\":\"to-dc\","
	    "\"connectionType\":\"ExpressRoute\",\"routingWeight\":7,"
	    "\"virtualNetworkGateway1\":{\"id\":\"" SUB
	    "/virtualNetworkGateways/ergw\"},\"peer\":{\"id\":\"" SUB
	    "/expressRouteCircuits/DC\"}}]\n");
	put("learned-vpn.json", "{\"value\":[{\"asPath\":\"65050\","
	    "\"localAddress\":\"10.1.0.4\",\"network\":\"10.251.0.0/16\","
	    "\"nextHop\":\"10.250.255.254\",\"origin\":\"EBgp\",\"sourcePeer\":"
	    "\"10.250.255.254\",\"weight\":32768},{\"asPath\":\"\","
	    "\"localAddress\":\"10.1.0.4\",\"network\":\"10.1.0.0/16\","
	    "\"nextHop\":\"\",\"origin\":\"Network\",\"sourcePeer\":\"10.1.0.4\","
	    "\"weight\":32768}]}\n");
	put("learned-er.json", "{\"value\":[{\"asPath\":\"12076-65020\","
	    "\"localAddress\":\"10.1.0.5\",\"network\":\"10.60.0.0/16\","
	    "\"nextHop\":\"10.1.0.12\",\"origin\":\"EBgp\",\"sourcePeer\":"
	    "\"10.1.0.12\",\"weight\":32769}]}\n");
	if ((root = import_ok(&az, "import az: VPN and ER gateways")) != NULL) {
		expect(root, K("regions", "#0", "hub", "gateways"),
		    "[{\"name\":\"vpngw\",\"type\":\"Vpn\",\"active_active\":false,"
		    "\"tunnels\":[{\"site\":\"branch-lng\"}]},{\"name\":\"ergw\","
		    "\"type\":\"ExpressRoute\",\"circuit\":{\"site\":\"dc\","
		    "\"weight\":7,\"sku\":\"Premium\"}}]", "import az: an "
		    "active-standby VPN gateway's tunnel and an ER gateway's "
		    "circuit, ids matched whatever their case");
		expect(root, K("sites"), "[{\"name\":\"dc\",\"prefixes\":"
		    "[\"10.60.0.0/16\"],\"asn\":65020},{\"name\":\"branch-lng\","
		    "\"prefixes\":[\"10.250.0.0/16\",\"10.251.0.0/16\"],\"asn\":"
		    "65050}]", "import az: the sites, in file order: the local network "
		    "gateway's prefixes and its learned ones, the circuit's "
		    "from the ER gateway's learned routes");
		expect(root, K("regions", "#0", "hub", "route_server"), "null",
		    "import az: a VNet with a gateway and no Route Server is a "
		    "hub without one");
		T_OK(warned(&az, "lng.json: [0].localNetworkAddressSpace."
		    "addressPrefixes[1]: 10.250.255.254/32 lies in 10.250.0.0/16"),
		    "import az: the BGP peer's /32 inside the site's prefix is "
		    "a warning naming its path");
		T_OK(warned(&az, "gws.json: [1].bgpSettings: instance 0 of "
		    "gateway ergw has 10.1.0.9; the lab gives it 10.1.0.5"),
		    "import az: instance addresses the lab cannot give are a "
		    "warning (Azure's allocation: the next free from .4)");
		cJSON_Delete(root);
		topo_az_free(&az);
	}
	rm_tmp();
}

#define RS_FILES() do {							\
	put("vnets.json", "[" HUB_VNET "]\n");				\
	put("rs.json", "{\"type\":\"Microsoft.Network/virtualHubs\","	\
	    "\"name\":\"rs\",\"id\":\"" SUB "/virtualHubs/rs\","	\
	    "\"virtualRouterIps\":[\"10.1.1.4\",\"10.1.1.5\"]}\n");	\
	put("peers.json", "[{\"type\":\"Microsoft.Network/virtualHubs/"	\
	    "bgpConnections\",\"name\":\"fw\",\"id\":\"" SUB		\
	    "/virtualHubs/rs/bgpConnections/fw\",\"peerAsn\":65010,"	\
	    "\"peerIp\":\"10.1.2.10\"}]\n");				\
} while (0)

/*
 * NICs: the NVA's (IP forwarding off: role server), a hub VM's with an
 * address and IP forwarding on (an NVA without BGP, RS-55), its VM's name from
 * virtualMachine.id; Route Server's learned routes from one instance only
 * (peers [0]), prepended once, a further ASN (a warning) and a next hop
 * that is not the NVA's own.
 */
static void
test_nics_and_learned(void)
{
	struct topo_az az;
	cJSON *root;

	mkdir_tmp();
	RS_FILES();
	put("nics.json", "[{\"type\":\"Microsoft.Network/networkInterfaces\","
	    "\"name\":\"fw-nic\",\"id\":\"" SUB "/networkInterfaces/fw-nic\","
	    "\"enableIPForwarding\":false,\"ipConfigurations\":[{\"primary\":"
	    "true,\"privateIPAddress\":\"10.1.2.10\",\"subnet\":{\"id\":\"" SUB
	    "/virtualNetworks/hub/subnets/nva\"}}]},"
	    "{\"type\":\"Microsoft.Network/networkInterfaces\","
	    "\"name\":\"box-nic\",\"id\":\"" SUB "/networkInterfaces/box-nic\","
	    "\"enableIPForwarding\":true,\"virtualMachine\":{\"id\":\"/x/"
	    "providers/Microsoft.Compute/virtualMachines/Jump01\"},"
	    "\"ipConfigurations\":[{\"privateIPAddress\":\"10.1.2.20\","
	    "\"subnet\":{\"id\":\"" SUB "/VIRTUALNETWORKS/HUB/SUBNETS/NVA\"}}]}]"
	    "\n");
	put("learned-fw.json", "{\"RouteServiceRole_IN_0\":[{\"asPath\":"
	    "\"65010-65010\",\"localAddress\":\"10.1.1.4\",\"network\":"
	    "\"0.0.0.0/0\",\"nextHop\":\"10.1.2.100\",\"origin\":\"EBgp\","
	    "\"sourcePeer\":\"10.1.2.10\",\"weight\":32768},{\"asPath\":"
	    "\"65010-65010-65010-65200\",\"localAddress\":\"10.1.1.4\","
	    "\"network\":"
	    "\"10.200.0.0/16\",\"nextHop\":\"10.1.2.100\",\"origin\":\"EBgp\","
	    "\"sourcePeer\":\"10.1.2.10\",\"weight\":32768},{\"asPath\":"
	    "\"65010-65515\",\"localAddress\":\"10.1.1.4\",\"network\":"
	    "\"10.1.0.0/16\",\"nextHop\":\"10.1.2.10\",\"origin\":\"EBgp\","
	    "\"sourcePeer\":\"10.1.2.10\",\"weight\":32768}],"
	    "\"RouteServiceRole_IN_1\":[],\"value\":null}\n");
	if ((root = import_ok(&az, "import az: NICs and learned routes")) !=
	    NULL) {
		expect(root, K("regions", "#0", "hub", "nvas"), "[{\"name\":"
		    "\"fw\",\"subnet\":\"nva\",\"asn\":65010,\"ip\":\"10.1.2.10\","
		    "\"role\":\"server\",\"advertise\":[\"0.0.0.0/0\",{"
		    "\"prefix\":\"10.200.0.0/16\",\"prepend\":1}],\"prepend\":1,"
		    "\"next_hop\":\"10.1.2.100\",\"peers\":[0]},{\"name\":"
		    "\"jump01\",\"subnet\":\"nva\",\"ip\":\"10.1.2.20\","
		    "\"bgp\":false}]", "import az: the NVA from its NIC (IP "
		    "forwarding off) and what instance 0 alone learned from it: "
		    "the prepend all routes share is the NVA's, one route's "
		    "further prepend its own; a NIC with IP forwarding on and no "
		    "peering an NVA without BGP (RS-55) named after its VM, "
		    "with its address, in a subnet named in another case");
		expect(root, K("regions", "#0", "hub", "vms"), "null",
		    "import az: no VM is left of them");
		T_OK(!warned(&az, "box-nic") && warned(&az, "NIC fw-nic of NVA "
		    "fw has IP forwarding off") && warned(&az, "learned-fw.json: "
		    "RouteServiceRole_IN_0[1].asPath: 10.200.0.0/16: NVA fw "
		    "originates it") && warned(&az, "RouteServiceRole_IN_0[2]."
		    "asPath: NVA fw: 1 learned route with 65515"), "import az: "
		    "IP forwarding and AS paths the lab cannot reproduce are "
		    "warnings with file and path");
		cJSON_Delete(root);
		topo_az_free(&az);
	}
	rm_tmp();
}

/*
 * One instance learned from the NVA, and only routes it passed back from
 * Route Server (65515 in the path, RS-20): nothing to advertise, and the
 * warnings name the route (found by fuzz_azimport: the "one instance
 * only" warning read the first advertised route, which did not exist).
 */
static void
test_learned_passed_only(void)
{
	struct topo_az az;
	cJSON *root;

	mkdir_tmp();
	RS_FILES();
	put("nics.json", "[{\"type\":\"Microsoft.Network/networkInterfaces\","
	    "\"name\":\"fw-nic\",\"id\":\"" SUB "/networkInterfaces/fw-nic\","
	    "\"enableIPForwarding\":true,\"ipConfigurations\":[{\"primary\":"
	    "true,\"privateIPAddress\":\"10.1.2.10\",\"subnet\":{\"id\":\"" SUB
	    "/virtualNetworks/hub/subnets/nva\"}}]}]\n");
	put("learned-fw.json", "{\"RouteServiceRole_IN_0\":[{\"asPath\":"
	    "\"65010-65515\",\"localAddress\":\"10.1.1.4\",\"network\":"
	    "\"10.1.0.0/16\",\"nextHop\":\"10.1.2.10\",\"origin\":\"EBgp\","
	    "\"sourcePeer\":\"10.1.2.10\",\"weight\":32768}],"
	    "\"RouteServiceRole_IN_1\":[],\"value\":null}\n");
	if ((root = import_ok(&az, "import az: only passed-back routes")) !=
	    NULL) {
		T_OK(warned(&az, "learned-fw.json: RouteServiceRole_IN_0[0]: only "
		    "Route Server instance 0 learned from NVA fw") && warned(&az,
		    "RouteServiceRole_IN_0[0].asPath: NVA fw: 1 learned route with "
		    "65515"), "import az: one instance's only route passed back "
		    "(RS-20): both warnings name it");
		cJSON_Delete(root);
		topo_az_free(&az);
	}
	rm_tmp();
}

/*
 * az lists a hub's gateways in its own order (by name: ergw before vpngw);
 * the lab gives them the free addresses of GatewaySubnet in topology order.
 * Written in the order of the addresses bgpSettings states, each instance
 * keeps its own (no warning): the ER gateway .6 and .7, the VPN gateway .4
 * and .5, not the other way round.
 */
static void
test_gateway_order(void)
{
	struct topo_az az;
	cJSON *root;

	mkdir_tmp();
	put("vnets.json", "[" HUB_VNET "]\n");
#define GW(n, t, aa, ips) "{\"type\":\"Microsoft.Network/" \
	"virtualNetworkGateways\",\"name\":\"" n "\",\"id\":\"" SUB \
	"/virtualNetworkGateways/" n "\",\"gatewayType\":\"" t "\"," \
	"\"activeActive\":" aa ",\"enableBgp\":true,\"bgpSettings\":{" \
	"\"asn\":65515,\"bgpPeeringAddress\":\"" ips "\"}," \
	"\"ipConfigurations\":[{\"subnet\":{\"id\":\"" SUB \
	"/virtualNetworks/hub/subnets/GatewaySubnet\"}}]}"
	put("gws.json", "[" GW("ergw", "ExpressRoute", "false",
	    "10.1.0.6,10.1.0.7") "," GW("vpngw", "Vpn", "true",
	    "10.1.0.4,10.1.0.5") "]\n");
#undef GW
	put("lng.json", "[{\"type\":\"Microsoft.Network/localNetworkGateways\","
	    "\"name\":\"branch\",\"id\":\"" SUB "/localNetworkGateways/"
	    "branch\",\"localNetworkAddressSpace\":{\"addressPrefixes\":"
	    "[\"10.250.0.0/16\"]}}]\n");
	put("er.json", "[{\"type\":\"Microsoft.Network/expressRouteCircuits\","
	    "\"name\":\"dc\",\"id\":\"" SUB "/expressRouteCircuits/dc\","
	    "\"peerings\":[{\"peeringType\":\"AzurePrivatePeering\","
	    "\"peerASN\":65020}]}]\n");
	put("conns.json", "[{\"type\":\"Microsoft.Network/connections\","
	    "\"name\":\"to-dc\",\"connectionType\":\"ExpressRoute\","
	    "\"virtualNetworkGateway1\":{\"id\":\"" SUB
	    "/virtualNetworkGateways/ergw\"},\"peer\":{\"id\":\"" SUB
	    "/expressRouteCircuits/dc\"}},{\"type\":\"Microsoft.Network/"
	    "connections\",\"name\":\"to-branch\",\"connectionType\":"
	    "\"IPsec\",\"virtualNetworkGateway1\":{\"id\":\"" SUB
	    "/virtualNetworkGateways/vpngw\"},\"localNetworkGateway2\":{"
	    "\"id\":\"" SUB "/localNetworkGateways/branch\"}}]\n");
	put("learned-er.json", "{\"value\":[{\"asPath\":\"12076-65020\","
	    "\"localAddress\":\"10.1.0.6\",\"network\":\"10.60.0.0/16\","
	    "\"nextHop\":\"10.1.0.12\",\"origin\":\"EBgp\",\"sourcePeer\":"
	    "\"10.1.0.12\",\"weight\":32769}]}\n");
	if ((root = import_ok(&az, "import az: gateways out of address "
	    "order")) != NULL) {
		char *got = at(root, K("regions", "#0", "hub", "gateways"));

		T_OK(strncmp(got, "[{\"name\":\"vpngw\"", 16) == 0 &&
		    strstr(got, "},{\"name\":\"ergw\"") != NULL, "import az: "
		    "the hub's gateways in the order of their addresses: %s",
		    got);
		free(got);
		T_OK(!warned(&az, "the lab gives it"), "import az: each gateway "
		    "instance keeps the address bgpSettings states");
		cJSON_Delete(root);
		topo_az_free(&az);
	}
	rm_tmp();
}

/*
 * An NVA is named as a VM is, as Terraform's import names it: after the VM
 * of the NIC at its peerIp (not the peering "bgp-a"), else after that NIC
 * without "-nic"; a peering whose address no NIC holds keeps its own name.
 * The NVA's VM with a second NIC in another subnet: that NIC is a VM of its
 * own, named apart, with a warning.
 */
static void
test_nva_names(void)
{
	struct topo_az az;
	cJSON *root;

	mkdir_tmp();
	put("vnets.json", "[" HUB_VNET "]\n");
	put("rs.json", "{\"type\":\"Microsoft.Network/virtualHubs\","
	    "\"name\":\"rs\",\"id\":\"" SUB "/virtualHubs/rs\","
	    "\"virtualRouterIps\":[\"10.1.1.4\",\"10.1.1.5\"]}\n");
#define PEER(n, ip) "{\"type\":\"Microsoft.Network/virtualHubs/" \
	"bgpConnections\",\"name\":\"" n "\",\"id\":\"" SUB \
	"/virtualHubs/rs/bgpConnections/" n "\",\"peerAsn\":65010," \
	"\"peerIp\":\"" ip "\"}"
	put("peers.json", "[" PEER("bgp-a", "10.1.2.4") "," PEER("bgp-b",
	    "10.1.2.5") "," PEER("bgp-c", "10.1.2.6") "]\n");
#undef PEER
#define NIC(n, vm, ip, sn) "{\"type\":\"Microsoft.Network/" \
	"networkInterfaces\",\"name\":\"" n "\",\"id\":\"" SUB \
	"/networkInterfaces/" n "\",\"enableIPForwarding\":true," vm \
	"\"ipConfigurations\":[{\"privateIPAddress\":\"" ip "\"," \
	"\"subnet\":{\"id\":\"" SUB "/virtualNetworks/hub/subnets/" sn "\"}}]}"
	put("nics.json", "[" NIC("nic-a", "\"virtualMachine\":{\"id\":\"/x/"
	    "providers/Microsoft.Compute/virtualMachines/vm-fw-a\"},",
	    "10.1.2.4", "nva") "," NIC("fwb-nic", "", "10.1.2.5", "nva") ","
	    NIC("nic-a2", "\"virtualMachine\":{\"id\":\"/x/providers/"
	    "Microsoft.Compute/virtualMachines/VM-FW-A\"},", "10.1.2.20",
	    "nva") "]\n");
#undef NIC
	if ((root = import_ok(&az, "import az: NVA names")) != NULL) {
		expect(root, K("regions", "#0", "hub", "nvas"), "[{\"name\":"
		    "\"vm-fw-a\",\"subnet\":\"nva\",\"asn\":65010,\"ip\":"
		    "\"10.1.2.4\"},{\"name\":\"fwb\",\"subnet\":\"nva\","
		    "\"asn\":65010,\"ip\":\"10.1.2.5\"},{\"name\":\"bgp-c\","
		    "\"subnet\":\"nva\",\"asn\":65010,\"ip\":\"10.1.2.6\"},"
		    "{\"name\":\"vm-fw-a-2\",\"subnet\":\"nva\",\"ip\":"
		    "\"10.1.2.20\",\"bgp\":false}]", "import az: NVAs named after "
		    "their NIC's VM, else the NIC, else the peering; the NVA "
		    "VM's second NIC (IP forwarding on) an NVA of its own, "
		    "without BGP");
		T_OK(warned(&az, "NVA vm-fw-a: what it advertises is not in "
		    "the files") && warned(&az, "VM VM-FW-A has a second NIC, "
		    "nic-a2"), "import az: the warnings name the NVA as the "
		    "topology does, and the VM's second NIC");
		cJSON_Delete(root);
		topo_az_free(&az);
	}
	rm_tmp();
}

/*
 * NV-01: a VM with IP forwarding on its NICs and no Route Server peering,
 * an NVA without BGP (RS-55): its second NIC, in another subnet, is an
 * extra NIC of that NVA, and so is one with IP forwarding off; a third in
 * its primary's subnet is an NVA of its own, with a warning saying why.
 */
static void
test_nva_xnic(void)
{
	struct topo_az az;
	struct topo_err err;
	struct topo *t = NULL;
	const struct topo_nic *x;
	cJSON *root;

	mkdir_tmp();
	put("vnets.json", "[{\"type\":\"Microsoft.Network/virtualNetworks\","
	    "\"name\":\"hub\",\"location\":\"westeurope\",\"id\":\"" SUB
	    "/virtualNetworks/hub\",\"addressSpace\":{\"addressPrefixes\":"
	    "[\"10.1.0.0/16\"]},\"subnets\":[{\"name\":\"RouteServerSubnet\","
	    "\"addressPrefix\":\"10.1.1.0/27\"},{\"name\":\"untrust\","
	    "\"addressPrefix\":\"10.1.2.0/24\"},{\"name\":\"trust\","
	    "\"addressPrefix\":\"10.1.3.0/24\"},{\"name\":\"mgmt\","
	    "\"addressPrefix\":\"10.1.4.0/24\"}]}]\n");
	put("rs.json", "{\"type\":\"Microsoft.Network/virtualHubs\","
	    "\"name\":\"rs\",\"id\":\"" SUB "/virtualHubs/rs\","
	    "\"virtualRouterIps\":[\"10.1.1.4\",\"10.1.1.5\"]}\n");
#define NIC(n, ip, sn, f) "{\"type\":\"Microsoft.Network/" \
	"networkInterfaces\",\"name\":\"" n "\",\"id\":\"" SUB \
	"/networkInterfaces/" n "\",\"enableIPForwarding\":" f "," \
	"\"virtualMachine\":{\"id\":\"/x/providers/Microsoft.Compute/" \
	"virtualMachines/fw\"},\"ipConfigurations\":[{\"privateIPAddress\":" \
	"\"" ip "\",\"subnet\":{\"id\":\"" SUB "/virtualNetworks/hub/subnets/" \
	sn "\"}}]}"
	put("nics.json", "[" NIC("fw-untrust-nic", "10.1.2.4", "untrust",
	    "true") "," NIC("FW_Trust-nic", "10.1.3.4", "trust", "true") ","
	    NIC("fw-3-nic", "10.1.2.5", "untrust", "true") "," NIC("fw-mgmt",
	    "10.1.4.4", "mgmt", "false") "]\n");
#undef NIC
	if ((root = import_ok(&az, "import az: NV-01 extra NIC")) != NULL) {
		expect(root, K("regions", "#0", "hub", "nvas"), "[{\"name\":"
		    "\"fw\",\"subnet\":\"untrust\",\"ip\":\"10.1.2.4\",\"bgp\":"
		    "false,\"nics\":[{\"name\":\"fw-trust-nic\",\"subnet\":"
		    "\"trust\",\"ip\":\"10.1.3.4\",\"ip_forwarding\":true},{\"name\":"
		    "\"fw-mgmt\",\"subnet\":\"mgmt\",\"ip\":\"10.1.4.4\","
		    "\"ip_forwarding\":false}]},"
		    "{\"name\":\"fw-2\",\"subnet\":\"untrust\",\"ip\":"
		    "\"10.1.2.5\",\"bgp\":false}]", "import az: NV-01 the VM's "
		    "second NIC an extra NIC of its NVA without BGP, and its "
		    "NIC with IP forwarding off too; a third in its primary's "
		    "subnet an NVA of its own");
		T_OK(warned(&az, "VM fw has a second NIC, fw-3-nic: NVA fw has "
		    "a NIC in subnet untrust already"), "import az: NV-01 the "
		    "NIC the model cannot hold is a warning saying why");
		T_OK(!warned(&az, "FW_Trust-nic") && !warned(&az, "fw-mgmt"),
		    "import az: NV-01 the extra NICs are no warning");
		T_EQ(topo_load_string(az.json, strlen(az.json), &t, &err), 0,
		    "import az: NV-01 loads (%s)", err.msg);
		x = t ? topo_nic_find(t, "fw/fw-trust-nic") : NULL;
		T_OK(x != NULL && x->ip == 0x0a010304 && x->ip_forwarding &&
		    strcmp(x->subnet->name, "trust") == 0, "import az: NV-01 "
		    "NIC fw/fw-trust-nic is in trust at 10.1.3.4");
		x = t ? topo_nic_find(t, "fw/fw-mgmt") : NULL;
		T_OK(x != NULL && x->ip == 0x0a010404 && !x->ip_forwarding,
		    "import az: NV-01 NIC fw/fw-mgmt at 10.1.4.4, IP "
		    "forwarding off (NV-02)");
		topo_free(t);
		cJSON_Delete(root);
		topo_az_free(&az);
	}
	rm_tmp();
}

/* Each object the model cannot hold is its own warning, naming it. */
static void
test_unmodelled(void)
{
	struct topo_az az;
	cJSON *root;

	mkdir_tmp();
	RS_FILES();
	put("spokes.json", "[{\"type\":\"Microsoft.Network/virtualNetworks\","
	    "\"name\":\"a\",\"location\":\"westeurope\",\"id\":\"" SUB
	    "/virtualNetworks/a\",\"addressSpace\":{\"addressPrefixes\":"
	    "[\"10.2.0.0/16\"]},\"virtualNetworkPeerings\":[{\"type\":"
	    "\"Microsoft.Network/virtualNetworks/virtualNetworkPeerings\","
	    "\"id\":\"" SUB "/virtualNetworks/a/virtualNetworkPeerings/a-b\","
	    "\"peeringState\":\"Connected\",\"remoteVirtualNetwork\":{\"id\":"
	    "\"" SUB "/virtualNetworks/B\"}}]},{\"type\":"
	    "\"Microsoft.Network/virtualNetworks\",\"name\":\"b\",\"location\":"
	    "\"westeurope\",\"id\":\"" SUB "/virtualNetworks/b\","
	    "\"addressSpace\":{\"addressPrefixes\":[\"10.3.0.0/16\"]}}]\n");
	put("other.json", "{\"value\":[{\"type\":"
	    "\"Microsoft.Network/azureFirewalls\",\"name\":\"hub-fw\"},"
	    "{\"type\":\"Microsoft.Network/loadBalancers\",\"name\":\"ilb\"},"
	    "{\"type\":\"Microsoft.Network/connections\",\"name\":\"v2v\","
	    "\"connectionType\":\"Vnet2Vnet\"},{\"type\":"
	    "\"Microsoft.Network/dnsZones\",\"name\":\"z\"}]}\n");
	if ((root = import_ok(&az, "import az: unmodelled objects")) != NULL) {
		T_OK(warned(&az, "other.json: value[0].ipConfigurations: Azure "
		    "Firewall hub-fw has no IP configuration in a subnet") &&
		    warned(&az, "other.json: value[1].frontendIPConfigurations: "
		    "load balancer ilb has no frontend in a subnet") && warned(&az, "other.json: "
		    "value[2].connectionType: connection v2v (Vnet2Vnet) is not "
		    "modelled") && warned(&az, "value[3].type: "
		    "Microsoft.Network/dnsZones is not imported"), "import az: "
		    "firewall, load balancer, VNet-to-VNet connection and "
		    "another type: one specific warning each, with file and "
		    "path");
		T_OK(!warned(&az, "peering of spokes"), "import az: a "
		    "spoke-to-spoke peering is no warning");
		expect(root, K("regions", "#0", "spokes", "#0", "peerings"),
		    "[{\"vnet\":\"b\",\"allow_forwarded_traffic\":true}]",
		    "import az: PE-07 spoke a lists b (its remote id upper-case), "
		    "its own side's flags; b's side is not in the files");
		cJSON_Delete(root);
		topo_az_free(&az);
	}
	rm_tmp();
}

#define VNET(n, loc, pfx, peers) "{\"type\":" \
	"\"Microsoft.Network/virtualNetworks\",\"name\":\"" n "\"," \
	"\"location\":\"" loc "\",\"id\":\"" SUB "/virtualNetworks/" n "\"," \
	"\"addressSpace\":{\"addressPrefixes\":[\"" pfx "\"]}," \
	"\"subnets\":[{\"name\":\"RouteServerSubnet\",\"addressPrefix\":\"" \
	pfx "\"}],\"virtualNetworkPeerings\":[" peers "]}"
#define PEER(from, to, urg) "{\"type\":\"Microsoft.Network/virtualNetworks/" \
	"virtualNetworkPeerings\",\"id\":\"" SUB "/virtualNetworks/" from \
	"/virtualNetworkPeerings/p\",\"peeringState\":\"Connected\"," \
	"\"useRemoteGateways\":" urg ",\"remoteVirtualNetwork\":{\"id\":\"" \
	SUB "/virtualNetworks/" to "\"}}"

/*
 * Two hubs of two regions peered: both hubs' "peerings"; a spoke peered
 * with both, useRemoteGateways towards the second: that one is its hub,
 * the other one of its "peerings" (PE-06).
 */
static void
test_hub_peerings(void)
{
	struct topo_az az;
	cJSON *root;

	mkdir_tmp();
	put("vnets.json", "[" VNET("hub-we", "westeurope", "10.1.0.0/27",
	    PEER("hub-we", "hub-ne", "true")) "," VNET("hub-ne", "northeurope",
	    "10.2.0.0/27", "") "," VNET("spoke", "northeurope", "10.3.0.0/27",
	    PEER("spoke", "hub-we", "false") "," PEER("spoke", "hub-ne",
	    "true")) "]\n");
	put("rs.json", "[{\"type\":\"Microsoft.Network/virtualHubs\","
	    "\"name\":\"rs-we\",\"virtualRouterIps\":[\"10.1.0.4\","
	    "\"10.1.0.5\"]},{\"type\":\"Microsoft.Network/virtualHubs\","
	    "\"name\":\"rs-ne\",\"virtualRouterIps\":[\"10.2.0.4\","
	    "\"10.2.0.5\"]}]\n");
	if ((root = import_ok(&az, "import az: hub and spoke peerings")) !=
	    NULL) {
		expect(root, K("regions", "#0", "hub", "peerings"),
		    "[\"hub-ne\"]", "import az: a peering of two hubs is the "
		    "hubs' peerings");
		T_OK(warned(&az, "vnets.json: [0].virtualNetworkPeerings[0]."
		    "useRemoteGateways: hub hub-we uses hub-ne's gateways or "
		    "Route Server; arsemu's hub uses its own (PE-03)"),
		    "import az: a hub's useRemoteGateways is a warning with file "
		    "and JSON path");
		expect(root, K("regions", "#1", "spokes", "#0"), "{\"name\":"
		    "\"spoke\",\"address_space\":[\"10.3.0.0/27\"],"
		    "\"use_remote_gateways\":true,\"subnets\":{"
		    "\"RouteServerSubnet\":\"10.3.0.0/27\"},\"peerings\":"
		    "[\"hub-we\"]}", "import az: a spoke peered with two hubs "
		    "uses the gateways of the one it says, and lists the "
		    "other in its peerings");
		cJSON_Delete(root);
		topo_az_free(&az);
	}
	rm_tmp();
}

/* The error names the file and the JSON path (err.path too). */
static void
test_error_path(void)
{
	struct topo_az az;
	struct topo_err err;
	int rc;

	mkdir_tmp();
	put("a.json", "[]\n");
	put("b.json", "{\"value\":[{\"type\":\"Microsoft.Network/"
	    "virtualNetworks\",\"name\":\"v\",\"addressSpace\":{}}]}\n");
	rc = topo_az_import(dir, "x", &az, &err);
	T_OK(rc == -1 && strcmp(err.path, "value[0].addressSpace."
	    "addressPrefixes") == 0 && strstr(err.msg, "b.json: value[0]."
	    "addressSpace.addressPrefixes: VNet v has no address space") !=
	    NULL, "import az: a VNet without address space fails naming file "
	    "and JSON path (%s; %s)", err.path, err.msg);
	if (rc == 0)
		topo_az_free(&az);
	rm_tmp();
}

/* azimport.h's helpers, shared with other importers. */
static void
test_helpers(void)
{
	struct imp_names names = { NULL, 0, 0 };
	struct pfx4 sn = { 0x0a010000, 29 };	/* 10.1.0.0/29: .4 to .6 */
	uint32_t taken[] = { 0x0a010005 }, ip = 0, path[4];
	char buf[TOPO_NAME_MAX + 1], part[64];

	T_OK(imp_id_eq(SUB "/virtualNetworks/Hub", "/SUBSCRIPTIONS/0/"
	    "RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/VIRTUALNETWORKS/"
	    "HUB/") && !imp_id_eq(SUB "/virtualNetworks/hub", SUB
	    "/virtualNetworks/hub2"), "imp_id_eq: ids as Azure compares "
	    "them, case and trailing '/' aside");
	T_OK(imp_id_under(SUB "/NETWORKINTERFACES/NIC/ipConfigurations/"
	    "c", SUB "/networkInterfaces/nic") && !imp_id_under(SUB
	    "/networkInterfaces/nic2/ipConfigurations/c", SUB
	    "/networkInterfaces/nic"), "imp_id_under: a child id, not a "
	    "longer name");
	T_OK(imp_id_part(SUB "/VIRTUALNETWORKS/hub/subnets/s",
	    "virtualNetworks", part, sizeof(part)) != NULL &&
	    strcmp(part, "hub") == 0, "imp_id_part: the kind in any case");
	T_OK(topo_az_alloc(&sn, taken, 1, &ip) == 0 && ip == 0x0a010004 &&
	    (taken[0] = ip, topo_az_alloc(&sn, taken, 1, &ip)) == 0 &&
	    ip == 0x0a010005, "topo_az_alloc: the first free address from .4");
	{
		uint32_t full[] = { 0x0a010004, 0x0a010005, 0x0a010006 };

		T_EQ(topo_az_alloc(&sn, full, 3, &ip), -1, "topo_az_alloc: a "
		    "full /29 (.7 is Azure's broadcast) has none");
	}
	T_OK(topo_az_asn_path("12076-65020", path, 4) == 2 &&
	    path[0] == 12076 && path[1] == 65020 &&
	    topo_az_asn_path("", path, 4) == 0 &&
	    topo_az_asn_path("65001 x", path, 4) == -1, "topo_az_asn_path: "
	    "AS paths as Azure prints them");
	T_OK(strcmp(imp_take_name(&names, "Hub_VNet", buf, TOPO_NAME_MAX),
	    "hub-vnet") == 0 && strcmp(imp_take_name(&names, "hub-vnet",
	    buf, TOPO_NAME_MAX), "hub-vnet-2") == 0 &&
	    imp_name_taken(&names, "hub-vnet-2"), "imp_take_name: "
	    "node names, made unique");
	T_OK(strcmp(imp_take_name(&names, "ergw-hub-weu", buf, 14),
	    "ergw-hub-weu") == 0 && strcmp(imp_take_name(&names,
	    "ERGW-hub-weu", buf, 14), "ergw-hub-weu-2") == 0 &&
	    strcmp(imp_take_name(&names, "abcdefghijklmnopq", buf, 14),
	    "abcdefghijklmn") == 0, "imp_take_name: a name that fits is "
	    "kept whole, a suffix cut from the base only when one is needed");
	imp_names_free(&names);
}

/*
 * RS-55: an Azure Firewall makes its VNet a hub without Route Server or
 * gateway; it is an NVA without BGP at its privateIPAddress, its name made
 * unique (a VM took it first), its subnet id upper-case as az prints it.
 */
static void
test_firewall(void)
{
	struct topo_az az;
	cJSON *root;

	mkdir_tmp();
	put("vnets.json", "[{\"type\":\"Microsoft.Network/virtualNetworks\","
	    "\"name\":\"hub\",\"location\":\"westeurope\",\"id\":\"" SUB
	    "/virtualNetworks/hub\",\"addressSpace\":{\"addressPrefixes\":"
	    "[\"10.1.0.0/16\"]},\"subnets\":[{\"name\":\"AzureFirewallSubnet\","
	    "\"addressPrefix\":\"10.1.0.0/26\"},{\"name\":\"vms\","
	    "\"addressPrefix\":\"10.1.1.0/24\",\"ipConfigurations\":[{\"id\":"
	    "\"" SUB "/networkInterfaces/fw-nic/ipConfigurations/c\"}]}]}]\n");
	put("nics.json", "[{\"type\":\"Microsoft.Network/networkInterfaces\","
	    "\"name\":\"fw-nic\",\"id\":\"" SUB "/networkInterfaces/fw-nic\","
	    "\"virtualMachine\":{\"id\":\"/x/virtualMachines/fw\"},"
	    "\"ipConfigurations\":[{\"id\":\"" SUB "/networkInterfaces/fw-nic/"
	    "ipConfigurations/c\",\"privateIPAddress\":\"10.1.1.4\","
	    "\"subnet\":{\"id\":\"" SUB "/virtualNetworks/hub/subnets/vms\"}}]}]\n");
	put("firewalls.json", "[{\"type\":\"Microsoft.Network/azureFirewalls\","
	    "\"name\":\"FW\",\"ipConfigurations\":[{\"name\":\"pip-only\"},"
	    "{\"privateIPAddress\":\"10.1.0.4\",\"subnet\":{\"id\":"
	    "\"/SUBSCRIPTIONS/0/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/"
	    "VIRTUALNETWORKS/HUB/SUBNETS/AZUREFIREWALLSUBNET\"}}]}]\n");
	if ((root = import_ok(&az, "import az: an Azure Firewall")) != NULL) {
		expect(root, K("regions", "#0", "hub", "nvas"), "[{\"name\":"
		    "\"fw-2\",\"subnet\":\"AzureFirewallSubnet\",\"ip\":"
		    "\"10.1.0.4\",\"bgp\":false}]", "import az: RS-55 the "
		    "firewall is the hub's NVA without BGP, its name unique");
		expect(root, K("regions", "#0", "hub", "route_server"), "null",
		    "import az: no Route Server made up");
		cJSON_Delete(root);
		topo_az_free(&az);
	}
	rm_tmp();
}

/*
 * Load balancers at arsemu's bounds: 18 named alike (16 kept, names made
 * unique, one frontend address given twice), the first's pool listing its
 * 8 NVAs (the Route Server's most) twice, by address and by NIC; the
 * topology validates.
 */
static void
test_lb_bounds(void)
{
	struct topo_az az;
	struct topo *t = NULL;
	struct topo_err err;
	const cJSON *lbs;
	cJSON *root;
	int i, k;

	mkdir_tmp();
	put("vnets.json", "[{\"type\":\"Microsoft.Network/virtualNetworks\","
	    "\"name\":\"hub\",\"location\":\"westeurope\",\"id\":\"" SUB
	    "/virtualNetworks/hub\",\"addressSpace\":{\"addressPrefixes\":"
	    "[\"10.1.0.0/16\"]},\"subnets\":[{\"name\":\"RouteServerSubnet\","
	    "\"addressPrefix\":\"10.1.1.0/27\"},{\"name\":\"nva\","
	    "\"addressPrefix\":\"10.1.2.0/24\"},{\"name\":\"lb\","
	    "\"addressPrefix\":\"10.1.3.0/24\"}]}]\n");
	put("rs.json", "{\"type\":\"Microsoft.Network/virtualHubs\","
	    "\"name\":\"rs\",\"id\":\"" SUB "/virtualHubs/rs\","
	    "\"virtualRouterIps\":[\"10.1.1.4\",\"10.1.1.5\"]}\n");
	put("peers.json", "[");
	put("nics.json", "[");
	for (i = 0; i < 8; i++) {
		put("peers.json", "%s{\"type\":\"Microsoft.Network/virtualHubs/"
		    "bgpConnections\",\"name\":\"fw%d\",\"id\":\"" SUB
		    "/virtualHubs/rs/bgpConnections/fw%d\",\"peerAsn\":65010,"
		    "\"peerIp\":\"10.1.2.%d\"}", i ? "," : "", i, i, 4 + i);
		put("nics.json", "%s{\"type\":\"Microsoft.Network/"
		    "networkInterfaces\",\"name\":\"fw%d-nic\",\"id\":\"" SUB
		    "/networkInterfaces/fw%d-nic\",\"enableIPForwarding\":true,"
		    "\"ipConfigurations\":[{\"id\":\"" SUB "/networkInterfaces/"
		    "fw%d-nic/ipConfigurations/c\",\"privateIPAddress\":"
		    "\"10.1.2.%d\",\"subnet\":{\"id\":\"" SUB "/virtualNetworks/"
		    "hub/subnets/nva\"}}]}", i ? "," : "", i, i, i, 4 + i);
	}
	put("peers.json", "]\n");
	put("nics.json", "]\n");
	put("lbs.json", "[");
	for (k = 0; k < 18; k++) {
		put("lbs.json", "%s{\"type\":\"Microsoft.Network/loadBalancers\","
		    "\"name\":\"Firewall_ILB\",\"id\":\"" SUB "/loadBalancers/"
		    "l%d\",\"frontendIPConfigurations\":[{\"privateIPAddress\":"
		    "\"10.1.3.%d\",\"subnet\":{\"id\":\"" SUB "/virtualNetworks/"
		    "hub/subnets/lb\"}}],\"backendAddressPools\":[{"
		    "\"loadBalancerBackendAddresses\":[", k ? "," : "", k,
		    k == 1 ? 10 : 10 + k);
		for (i = 0; i < (k == 0 ? 16 : 2); i++)
			put("lbs.json", i < 8 ? "%s{\"ipAddress\":\"10.1.2.%d\"}" :
			    "%s{\"networkInterfaceIPConfiguration\":{\"id\":\""
			    "/SUBSCRIPTIONS/0/RESOURCEGROUPS/RG/PROVIDERS/"
			    "MICROSOFT.NETWORK/NETWORKINTERFACES/FW%d-NIC/"
			    "IPCONFIGURATIONS/C\"}}", i ? "," : "", i < 8 ? 4 + i :
			    i - 8);
		put("lbs.json", "]}],\"loadBalancingRules\":[{\"protocol\":"
		    "\"All\",\"frontendPort\":0,\"backendPort\":0,\"probe\":"
		    "{\"id\":\"" SUB "/loadBalancers/l%d/probes/p\"}}],"
		    "\"probes\":[{\"id\":\"" SUB "/loadBalancers/l%d/probes/p\","
		    "\"protocol\":\"Tcp\",\"port\":22}]}", k, k);
	}
	put("lbs.json", "]\n");
	if ((root = import_ok(&az, "import az: load balancers at the bounds"))
	    != NULL) {
		lbs = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root,
		    "regions"), 0), "hub"), "load_balancers");
		T_EQ(cJSON_GetArraySize(lbs), 16, "import az: 16 load balancers "
		    "of 18 (arsemu's bound; one frontend given twice)");
		T_OK(names_distinct(lbs, 16), "import az: their names made "
		    "unique");
		T_EQ(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
		    lbs->child, "backends")), 8, "import az: 8 backends, each "
		    "listed twice (by address, by its NIC's id upper-case)");
		T_OK(warned(&az,
		    "lbs.json: [1]: load balancer Firewall_ILB: its frontend "
		    "address is another load balancer's: not imported") &&
		    warned(&az, "lbs.json: [17]: load balancer Firewall_ILB: more "
		    "load balancers than arsemu's bound of 16: not imported") &&
		    warned(&az, "lbs.json: [2].name: load balancer Firewall_ILB is "
		    "called firewall-ilb-3"), "import az: each bound and the "
		    "renaming are warnings with file and path");
		T_EQ(topo_load_string(az.json, strlen(az.json), &t, &err), 0,
		    "import az: the topology loads (%s)", err.msg);
		T_OK(t != NULL && t->nlbs == 16 && t->lbs[0]->nbackends == 8 &&
		    t->lbs[0]->probe_interval == TOPO_PROBE_INTERVAL_DEFAULT &&
		    t->lbs[0]->probe_threshold == TOPO_PROBE_THRESHOLD_DEFAULT,
		    "import az: LB-05 a probe without interval and threshold "
		    "gets the defaults");
		topo_free(t);
		cJSON_Delete(root);
		topo_az_free(&az);
	}
	rm_tmp();
}

/*
 * LB-03, PE-08: a load balancer in a spoke (no Route Server: the VNet is
 * an unpeered spoke) whose pool is two NICs of the spoke with IP
 * forwarding on and no Route Server peering: the spoke holds both as NVAs
 * without BGP and the load balancer in front of them, with no warning.
 */
static void
test_lb_spoke(void)
{
	struct topo_az az;
	struct topo *t = NULL;
	struct topo_err err;
	cJSON *root;
	char *got;
	int i;

	mkdir_tmp();
	put("vnets.json", "[{\"type\":\"Microsoft.Network/virtualNetworks\","
	    "\"name\":\"app\",\"location\":\"westeurope\",\"id\":\"" SUB
	    "/virtualNetworks/app\",\"addressSpace\":{\"addressPrefixes\":"
	    "[\"10.2.0.0/16\"]},\"subnets\":[{\"name\":\"nva\","
	    "\"addressPrefix\":\"10.2.2.0/24\"}]}]\n");
	put("nics.json", "[");
	for (i = 1; i <= 2; i++)
		put("nics.json", "%s{\"type\":\"Microsoft.Network/"
		    "networkInterfaces\",\"name\":\"fw%d-nic\",\"id\":\"" SUB
		    "/networkInterfaces/fw%d-nic\",\"enableIPForwarding\":true,"
		    "\"ipConfigurations\":[{\"id\":\"" SUB "/networkInterfaces/"
		    "fw%d-nic/ipConfigurations/c\",\"privateIPAddress\":"
		    "\"10.2.2.%d\",\"subnet\":{\"id\":\"" SUB "/virtualNetworks/"
		    "app/subnets/nva\"}}]}", i > 1 ? "," : "", i, i, i, 3 + i);
	put("nics.json", "]\n");
	put("lbs.json", "[{\"type\":\"Microsoft.Network/loadBalancers\","
	    "\"name\":\"ilb\",\"id\":\"" SUB "/loadBalancers/ilb\","
	    "\"frontendIPConfigurations\":[{\"privateIPAddress\":\"10.2.2.10\","
	    "\"subnet\":{\"id\":\"" SUB "/virtualNetworks/app/subnets/nva\"}}],"
	    "\"backendAddressPools\":[{\"loadBalancerBackendAddresses\":["
	    "{\"ipAddress\":\"10.2.2.4\"},{\"ipAddress\":\"10.2.2.5\"}]}],"
	    "\"loadBalancingRules\":[{\"protocol\":\"All\",\"frontendPort\":0,"
	    "\"backendPort\":0,\"probe\":{\"id\":\"" SUB "/loadBalancers/ilb/"
	    "probes/p\"}}],\"probes\":[{\"id\":\"" SUB "/loadBalancers/ilb/"
	    "probes/p\",\"protocol\":\"Tcp\",\"port\":8080}]}]\n");
	if ((root = import_ok(&az, "import az: a spoke's load balancer")) !=
	    NULL) {
		got = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root,
		    "regions"), 0), "spokes"), 0), "load_balancers"));
		T_OK(got != NULL && strcmp(got, "[{\"name\":\"ilb\",\"frontend\":"
		    "{\"subnet\":\"nva\",\"ip\":\"10.2.2.10\"},\"backends\":"
		    "[\"fw1\",\"fw2\"],\"ha_ports\":true,\"probe\":{\"protocol\":"
		    "\"Tcp\",\"port\":8080,\"interval\":15,\"threshold\":2}}]") ==
		    0, "LB-03, PE-08: import az: a spoke's load balancer is "
		    "imported into the spoke, in front of its NVAs without BGP: "
		    "%s", got ? got : "null");
		T_OK(!warned(&az, "load balancer ilb"), "LB-03, PE-08: import "
		    "az: no warning about the spoke's load balancer");
		T_EQ(topo_load_string(az.json, strlen(az.json), &t, &err), 0,
		    "LB-03, PE-08: import az: the topology loads (%s)", err.msg);
		topo_free(t);
		free(got);
		cJSON_Delete(root);
		topo_az_free(&az);
	}
	rm_tmp();
}

/* importlb.c: rules and probes mapped onto the topology's shape. */
static void
test_lb_mapping(void)
{
	cJSON *lb = imp_lb_new("l", "s", 0x0a00000a);
	char *got;

	T_OK(imp_lb_rule(lb, "Tcp", 443, 443) == NULL &&
	    imp_lb_rule(lb, "tcp", 443, 443) == NULL &&
	    imp_lb_rule(lb, "Udp", 53, 53) == NULL, "imp_lb_rule: port rules, "
	    "one per protocol and port");
	T_OK(imp_lb_rule(lb, "Tcp", 80, 8080) != NULL &&
	    imp_lb_rule(lb, "Tcp", 0, 0) != NULL &&
	    imp_lb_rule(lb, "All", 80, 80) != NULL &&
	    imp_lb_rule(lb, "Icmp", 0, 0) != NULL &&
	    imp_lb_rule(lb, "Tcp", 65536, 65536) != NULL &&
	    imp_lb_rule(lb, "Tcp", 1.5, 1.5) != NULL, "imp_lb_rule: "
	    "translation, port 0, All with a port, another protocol, a port "
	    "out of range or not whole: refused, said why");
	T_OK(imp_lb_done(lb) != NULL && strstr(imp_lb_done(lb), "backend"),
	    "imp_lb_done: no backend yet");
	T_OK(imp_lb_backend(lb, "a") == NULL && imp_lb_backend(lb, "a") ==
	    NULL, "imp_lb_backend: a member listed twice is one backend");
	{
		cJSON *big = imp_lb_new("b", "s", 0x0a00000b);
		char nm[16];
		int i, nok = 0;

		for (i = 0; i < TOPO_LB_BACKENDS_MAX + 1; i++) {
			snprintf(nm, sizeof(nm), "n%d", i);
			nok += imp_lb_backend(big, nm) == NULL;
		}
		T_OK(nok == TOPO_LB_BACKENDS_MAX && cJSON_GetArraySize(
		    cJSON_GetObjectItemCaseSensitive(big, "backends")) ==
		    TOPO_LB_BACKENDS_MAX, "imp_lb_backend: the 33rd is refused "
		    "(arsemu's bound, 32)");
		cJSON_Delete(big);
	}
	T_OK(imp_lb_done(lb) != NULL && strstr(imp_lb_done(lb), "probe"),
	    "imp_lb_done: no probe yet");
	T_OK(imp_lb_probe(lb, "Tcp", 22, 4, -1, NULL) != NULL &&
	    imp_lb_probe(lb, "Tcp", 22, -1, 101, NULL) != NULL &&
	    imp_lb_probe(lb, "Udp", 22, -1, -1, NULL) != NULL &&
	    imp_lb_probe(lb, "Tcp", 0, -1, -1, NULL) != NULL &&
	    cJSON_GetObjectItemCaseSensitive(lb, "probe") == NULL,
	    "imp_lb_probe: an interval under 5 s, a threshold over 100, Udp, "
	    "port 0: refused, nothing added");
	T_OK(imp_lb_probe(lb, "http", 80, -1, -1, "/") != NULL &&
	    imp_lb_done(lb) == NULL, "imp_lb_probe: an Http probe is taken, "
	    "its path a warning");
	got = cJSON_PrintUnformatted(lb);
	T_OK(strcmp(got, "{\"name\":\"l\",\"frontend\":{\"subnet\":\"s\","
	    "\"ip\":\"10.0.0.10\"},\"backends\":[\"a\"],\"rules\":[{"
	    "\"protocol\":\"Tcp\",\"port\":443},{\"protocol\":\"Udp\","
	    "\"port\":53}],\"probe\":{\"protocol\":\"Http\",\"port\":80,"
	    "\"interval\":15,\"threshold\":2}}") == 0, "imp_lb: the "
	    "topology's shape, Azure's defaults: %s", got);
	free(got);
	T_OK(imp_lb_rule(lb, "All", 0, 0) != NULL && cJSON_IsTrue(
	    cJSON_GetObjectItemCaseSensitive(lb, "ha_ports")) &&
	    cJSON_GetObjectItemCaseSensitive(lb, "rules") == NULL &&
	    imp_lb_rule(lb, "Udp", 5, 5) != NULL && imp_lb_rule(lb, "All", 0,
	    0) == NULL, "imp_lb_rule: HA ports replace the port rules, said "
	    "so; a port rule after them is refused");
	cJSON_Delete(lb);
}

#define VNET2(n, loc, space, subs, peers) "{\"type\":\"Microsoft.Network/" \
	"virtualNetworks\",\"name\":\"" n "\",\"location\":\"" loc "\"," \
	"\"id\":\"" SUB "/virtualNetworks/" n "\",\"addressSpace\":{" \
	"\"addressPrefixes\":[\"" space "\"]},\"subnets\":[" subs "]," \
	"\"virtualNetworkPeerings\":[" peers "]}"
#define VPEER(own, rem) "{\"type\":\"Microsoft.Network/virtualNetworks/" \
	"virtualNetworkPeerings\",\"id\":\"" SUB "/virtualNetworks/" own \
	"/virtualNetworkPeerings/to-" rem "\",\"peeringState\":\"Connected\"," \
	"\"remoteVirtualNetwork\":{\"id\":\"" SUB "/virtualNetworks/" rem "\"}}"
#define VPEERF(own, rem, urg, agt) "{\"type\":\"Microsoft.Network/" \
	"virtualNetworks/virtualNetworkPeerings\",\"id\":\"" SUB \
	"/virtualNetworks/" own "/virtualNetworkPeerings/to-" rem "\"," \
	"\"peeringState\":\"Connected\",\"useRemoteGateways\":" urg "," \
	"\"allowGatewayTransit\":" agt ",\"remoteVirtualNetwork\":{\"id\":\"" \
	SUB "/virtualNetworks/" rem "\"}}"
#define RSOBJ(n, a, b) "{\"type\":\"Microsoft.Network/virtualHubs\"," \
	"\"name\":\"" n "\",\"id\":\"" SUB "/virtualHubs/" n "\"," \
	"\"virtualRouterIps\":[\"" a "\",\"" b "\"]}"
#define BGPC(rs, n, asn, ip) "{\"type\":\"Microsoft.Network/virtualHubs/" \
	"bgpConnections\",\"name\":\"" n "\",\"id\":\"" SUB "/virtualHubs/" rs \
	"/bgpConnections/" n "\",\"peerAsn\":" asn ",\"peerIp\":\"" ip "\"}"

/*
 * PE-08, RS-08: a spoke peered with two hubs (its region's and another's)
 * whose NVA peers with both hubs' Route Servers is one NVA of the spoke,
 * naming both hubs in route_servers; a second ASN for it is a warning.
 */
static void
test_spoke_nva_two_hubs(void)
{
	struct topo_az az;
	cJSON *root;

	mkdir_tmp();
	put("vnets.json", "[" VNET2("hub1", "westeurope", "10.1.0.0/16",
	    "{\"name\":\"RouteServerSubnet\",\"addressPrefix\":\"10.1.1.0/27\"}",
	    VPEER("hub1", "spoke")) "," VNET2("hub2", "northeurope",
	    "10.9.0.0/16", "{\"name\":\"RouteServerSubnet\",\"addressPrefix\":"
	    "\"10.9.1.0/27\"}", VPEER("hub2", "spoke")) "," VNET2("spoke",
	    "westeurope", "10.2.0.0/16", "{\"name\":\"nva\",\"addressPrefix\":"
	    "\"10.2.1.0/24\"}", VPEER("spoke", "hub1") "," VPEER("spoke",
	    "hub2")) "]\n");
	put("rs.json", "[" RSOBJ("rs1", "10.1.1.4", "10.1.1.5") "," RSOBJ("rs2",
	    "10.9.1.4", "10.9.1.5") "]\n");
	put("peers.json", "[" BGPC("rs1", "tn", "65020", "10.2.1.4") ","
	    BGPC("rs2", "tn", "65021", "10.2.1.4") "]\n");
	if ((root = import_ok(&az, "import az: a spoke NVA peering two hubs' "
	    "Route Servers")) != NULL) {
		expect(root, K("regions", "#0", "spokes", "#0", "nvas"), "[{"
		    "\"name\":\"tn\",\"subnet\":\"nva\",\"asn\":65020,\"ip\":"
		    "\"10.2.1.4\",\"route_servers\":[\"hub1\",\"hub2\"]}]",
		    "import az: PE-08 the spoke's NVA, both hubs in "
		    "route_servers");
		T_OK(warned(&az, "peers.json: [1].peerAsn: 65021: NVA tn peers "
		    "with another Route Server as AS 65020") && !warned(&az,
		    "peerIp"), "import az: its second ASN is a warning naming "
		    "the file and JSON path; no peering skipped");
		cJSON_Delete(root);
		topo_az_free(&az);
	}
	rm_tmp();
}


/*
 * test/import/az-spoke-rs: a hub with a Route Server and a VPN gateway, a
 * transit VNet of its region with a Route Server of its own whose NVA
 * peers with both Route Servers, two application VNets using the transit
 * VNet's Route Server (useRemoteGateways), and a hub of another region
 * whose NVA peers with the first hub's Route Server too. Issue 20: the
 * transit VNet is a spoke with its route_server (PE-06, PE-07), the
 * useRemoteGateways towards it kept (PE-03); the second hub's NVA names
 * the first hub in route_servers (RS-08); the transit NVA advertises what
 * either Route Server learned from it.
 */
static void
test_spoke_rs(void)
{
	struct topo_az az;
	cJSON *root;

	snprintf(dir, sizeof(dir), "test/import/az-spoke-rs");
	if ((root = import_ok(&az, "import az: az-spoke-rs")) == NULL)
		return;
	expect(root, K("regions", "#0", "hub", "name"), "\"vnet-hub-weu\"",
	    "import az: the VNet with the gateway is westeurope's hub");
	expect(root, K("regions", "#0", "spokes", "#0", "route_server"),
	    "{\"branch_to_branch\":false,\"hub_routing_preference\":"
	    "\"ExpressRoute\"}", "import az: PE-06 the transit VNet is a "
	    "spoke with its own Route Server");
	expect(root, K("regions", "#0", "spokes", "#0", "nvas"), "[{\"name\":"
	    "\"vm-tnva-weu\",\"subnet\":\"snet-nva\",\"asn\":65020,\"ip\":"
	    "\"10.12.1.4\",\"route_servers\":[\"vnet-hub-weu\"],\"advertise\":"
	    "[\"10.20.0.0/14\",\"10.24.0.0/16\"]}]", "import az: the transit "
	    "NVA peers with its own and the hub's Route Server and advertises "
	    "the union of what both learned from it");
	expect(root, K("regions", "#0", "spokes", "#1", "peerings"), "[{"
	    "\"vnet\":\"vnet-transit-weu\",\"allow_forwarded_traffic\":true,"
	    "\"use_remote_gateways\":true}]", "import az: PE-03 an application "
	    "VNet keeps useRemoteGateways towards the spoke's Route Server");
	expect(root, K("regions", "#0", "spokes", "#0", "peerings", "#0",
	    "allow_gateway_transit"), "true", "import az: the transit side "
	    "allows gateway transit");
	expect(root, K("regions", "#1", "hub", "nvas", "#0", "route_servers"),
	    "[\"vnet-hub-weu\"]", "import az: RS-08 a hub's NVA peering a "
	    "peered hub's Route Server names it in route_servers");
	T_OK(!warned(&az, "useRemoteGateways") && !warned(&az, "peerIp") &&
	    !warned(&az, "second hub"), "import az: no warning drops a "
	    "peering, a useRemoteGateways or a VNet");
	cJSON_Delete(root);
	topo_az_free(&az);
}

/*
 * Two VNets of a region with a Route Server and no gateway: the one more
 * VNets use the Route Server of is the hub, the other a spoke with its
 * own, and a warning says which and why; a spoke with a Route Server of
 * its own setting useRemoteGateways is imported without it.
 */
static void
test_spoke_rs_tie(void)
{
	struct topo_az az;
	cJSON *root;

	mkdir_tmp();
	put("vnets.json", "[" VNET2("a", "westeurope", "10.1.0.0/16",
	    "{\"name\":\"RouteServerSubnet\",\"addressPrefix\":\"10.1.1.0/27\"}",
	    VPEERF("a", "b", "true", "false") "," VPEER("a", "c") ","
	    VPEER("a", "e")) ","
	    VNET2("b", "westeurope", "10.2.0.0/16", "{\"name\":"
	    "\"RouteServerSubnet\",\"addressPrefix\":\"10.2.1.0/27\"}",
	    VPEER("b", "a") ","
	    VPEERF("b", "d", "false", "true")) "," VNET2("c", "westeurope",
	    "10.3.0.0/16", "", VPEER("c", "a")) "," VNET2("d", "westeurope",
	    "10.4.0.0/16", "", VPEERF("d", "b", "true", "false")) ","
	    VNET2("e", "westeurope", "10.5.0.0/16", "", VPEERF("e", "a", "true",
	    "false")) "]\n");
	put("rs.json", "[" RSOBJ("rsa", "10.1.1.4", "10.1.1.5") "," RSOBJ("rsb",
	    "10.2.1.4", "10.2.1.5") "]\n");
	if ((root = import_ok(&az, "import az: two Route Server VNets")) !=
	    NULL) {
		expect(root, K("regions", "#0", "hub", "name"), "\"b\"",
		    "import az: the VNet whose Route Server more VNets use is "
		    "the hub, though listed second");
		expect(root, K("regions", "#0", "spokes", "#0", "name"), "\"a\"",
		    "import az: the other is a spoke");
		expect(root, K("regions", "#0", "spokes", "#0", "route_server",
		    "branch_to_branch"), "false", "import az: with its own "
		    "Route Server");
		expect(root, K("regions", "#0", "spokes", "#3", "peerings"),
		    "[{\"vnet\":\"a\",\"allow_forwarded_traffic\":true}]",
		    "import az: PE-03 useRemoteGateways towards a spoke that does "
		    "not allow gateway transit is dropped");
		T_OK(warned(&az, "VNets b and a of westeurope both have a Route "
		    "Server and neither a gateway nor an Azure Firewall: b is "
		    "the hub (more VNets use its Route Server)") && warned(&az,
		    "vnets.json: [0].virtualNetworkPeerings[0]."
		    "useRemoteGateways: VNet a has a Route Server of its own "
		    "and cannot use hub b's (PE-03)") && warned(&az,
		    "vnets.json: [4].virtualNetworkPeerings: VNet e sets "
		    "useRemoteGateways towards a, whose side of the peering in "
		    "the files does not set allowGatewayTransit (PE-03)"),
		    "import az: the choice and the dropped flag are warnings "
		    "naming the file and JSON path");
		cJSON_Delete(root);
		topo_az_free(&az);
	}
	rm_tmp();
}


/*
 * RS-08, RS-04: a hub's NVA that peers with a peered hub's Route Server
 * and not with its own hub's: imported naming the other hub, and a
 * warning that the lab peers it with its own VNet's Route Server too.
 */
static void
test_hub_nva_other_rs_only(void)
{
	struct topo_az az;
	cJSON *root;

	mkdir_tmp();
	put("vnets.json", "[" VNET2("hub1", "westeurope", "10.1.0.0/16",
	    "{\"name\":\"RouteServerSubnet\",\"addressPrefix\":\"10.1.1.0/27\"}",
	    VPEER("hub1", "hub2")) "," VNET2("hub2", "northeurope",
	    "10.9.0.0/16", "{\"name\":\"RouteServerSubnet\",\"addressPrefix\":"
	    "\"10.9.1.0/27\"},{\"name\":\"nva\",\"addressPrefix\":"
	    "\"10.9.2.0/24\"}", VPEER("hub2", "hub1")) "]\n");
	put("rs.json", "[" RSOBJ("rs1", "10.1.1.4", "10.1.1.5") "," RSOBJ("rs2",
	    "10.9.1.4", "10.9.1.5") "]\n");
	put("peers.json", "[" BGPC("rs1", "n2", "65030", "10.9.2.4") "]\n");
	if ((root = import_ok(&az, "import az: a hub NVA peering another hub's "
	    "Route Server only")) != NULL) {
		expect(root, K("regions", "#1", "hub", "nvas"), "[{\"name\":"
		    "\"n2\",\"subnet\":\"nva\",\"asn\":65030,\"ip\":\"10.9.2.4\","
		    "\"route_servers\":[\"hub1\"]}]", "import az: RS-08 the NVA "
		    "of hub2 names hub1");
		T_OK(warned(&az, "peers.json: [0].peerIp: NVA n2 peers with "
		    "hub1's Route Server and not with its own VNet hub2's"),
		    "import az: RS-04 that the lab peers it with hub2's too is a "
		    "warning with file and JSON path");
		cJSON_Delete(root);
		topo_az_free(&az);
	}
	rm_tmp();
}

int
main(void)
{
	test_many_nics();
	test_many_bgp_connections();
	test_bad_input();
	test_gateways();
	test_gateway_order();
	test_nics_and_learned();
	test_learned_passed_only();
	test_nva_names();
	test_nva_xnic();
	test_unmodelled();
	test_hub_peerings();
	test_firewall();
	test_spoke_nva_two_hubs();
	test_spoke_rs();
	test_spoke_rs_tie();
	test_hub_nva_other_rs_only();
	test_lb_bounds();
	test_lb_spoke();
	test_lb_mapping();
	test_error_path();
	test_helpers();
	return t_done();
}
