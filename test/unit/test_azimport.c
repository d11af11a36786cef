/*
 * test_azimport: `arsemu import az` at its edges (topo/azimport.c): many
 * resources whose names differ only past what a node name can hold, and
 * the files a directory may hold instead of az's output. Each case writes
 * its files into a fresh directory under $TMPDIR (or /tmp) and removes it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "../../lib/util.h"
#include "../../topo/azimport.h"
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
		    topo_node_find(t, "application-server-westeurope") != NULL &&
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

int
main(void)
{
	test_many_nics();
	test_many_bgp_connections();
	test_bad_input();
	return t_done();
}
