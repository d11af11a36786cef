/*
 * test_topo: the topology model. Loads the shipped examples and checks the
 * model (order, addresses, defaults); then one test per validation error,
 * checking the JSON path the error names. Inline documents are written with
 * ' for " to stay readable; q() swaps them back.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../lib/util.h"
#include "../../topo/topo.h"
#include "../../topo/lint.h"
#include "../../topo/topo_int.h"
#include "examples.h"
#include "t.h"
#include "tjson.h"

static uint32_t
A(const char *s)
{
	uint32_t a = 0;

	if (addr_parse(s, &a) == -1)
		die("bad address in test: %s", s);
	return a;
}

static struct topo *
load_q(const char *doc, struct topo_err *err)
{
	struct topo *t = NULL;
	char *j = q(doc);

	if (topo_load_string(j, strlen(j), &t, err) == -1)
		t = NULL;
	free(j);
	return t;
}

/* The document must fail with this path and a message holding want. */
static void
expect_err(const char *doc, const char *path, const char *want,
    const char *desc)
{
	struct topo_err err;
	struct topo *t = NULL;
	char *j = q(doc);
	int rc, ok;

	rc = topo_load_string(j, strlen(j), &t, &err);
	ok = rc == -1 && t == NULL && strcmp(err.path, path) == 0 &&
	    strstr(err.msg, want) != NULL;
	if (!T_OK(ok, "%s", desc))
		printf("#   want path \"%s\" msg ~ \"%s\"\n#   got rc %d path "
		    "\"%s\" msg \"%s\"\n", path, want, rc, err.path, err.msg);
	else if (getenv("TOPO_TEST_VERBOSE") != NULL)	/* to read messages */
		printf("#   %d:%d: %s: %s\n", err.line, err.col, err.path,
		    err.msg);
	topo_free(t);
	free(j);
}

static void
expect_ok(const char *doc, const char *desc)
{
	struct topo_err err = { .msg = "" };
	struct topo *t = load_q(doc, &err);

	if (!T_OK(t != NULL, "%s", desc))
		printf("#   got path \"%s\" msg \"%s\"\n", err.path, err.msg);
	topo_free(t);
}

/* Building blocks for the inline documents. */
#define HUB_BASE "'name':'hub','address_space':['10.1.0.0/16'],"	\
	"'subnets':{'RouteServerSubnet':'10.1.1.0/27','nva':'10.1.2.0/24'}"
#define NVA1	"{'name':'n1','subnet':'nva','asn':65001}"
/* One hub with a Route Server; extra goes inside the hub object. */
#define HUB(extra) "{'name':'t','regions':[{'name':'r','hub':{" HUB_BASE \
	",'route_server':{}" extra "}}]}"
/* The same with the route_server object given. */
#define HUBRS(rs, extra) "{'name':'t','regions':[{'name':'r','hub':{" \
	HUB_BASE ",'route_server':{" rs "}" extra "}}]}"
/* A hub (extra inside it) and one spoke (its fields). */
#define SPOKE(hubextra, spoke) "{'name':'t','regions':[{'name':'r','hub':{" \
	HUB_BASE ",'route_server':{}" hubextra "},'spokes':[{" spoke "}]}]}"
#define SPOKE_BASE "'name':'s1','address_space':['10.2.0.0/16'],"	\
	"'subnets':{'default':'10.2.1.0/24'}"
/* A hub with NVA n1 and one site (its fields). */
#define SITE(site) "{'name':'t','regions':[{'name':'r','hub':{" HUB_BASE \
	",'route_server':{},'nvas':[" NVA1 "]}}],'sites':[{" site "}]}"
/* A lone VNet-less region with one top-level field added. */
#define TOP(extra) "{'name':'t','regions':[{'name':'r'}]" extra "}"

static void
test_single_hub(void)
{
	static const char *order[] = { "hub-rs0", "hub-rs1", "sdwan", "fw",
	    "spoke1-vm1", "branch-edge", "branch-h1" };
	struct topo_err err;
	struct topo *t = NULL;
	struct topo_vnet *hub, *sp;
	struct topo_rs *rs;
	size_t i;

	T_EQ(topo_load_file("examples/single-hub.json", &t, &err), 0,
	    "single-hub.json loads");
	if (t == NULL) {
		printf("#   %s: %s\n", err.path, err.msg);
		return;
	}
	T_OK(strcmp(t->name, "single-hub") == 0, "lab name");
	T_OK(t->description != NULL, "description kept");
	T_OK(t->timers.hold == 9 && t->timers.keepalive == 3 &&
	    t->timers.connect_retry == 1, "timers 9/3/1");
	T_EQ(t->nregions, 1, "one region");
	T_EQ(t->nvnets, 2, "two VNets");
	hub = topo_vnet_find(t, "hub");
	sp = topo_vnet_find(t, "spoke1");
	T_OK(hub != NULL && hub->hub && hub == t->regions[0]->hub,
	    "hub is the region's hub");
	T_OK(sp != NULL && !sp->hub && sp->peer_hub == hub, "spoke peered");
	T_OK(hub->nspokes == 1 && hub->spokes[0] == sp, "hub lists spoke");
	T_OK(sp->use_remote_gateways && sp->allow_forwarded_traffic,
	    "spoke flags (use_remote_gateways set, forwarded default true)");
	T_OK(hub->allow_gateway_transit, "allow_gateway_transit default true");
	T_OK(strcmp(hub->subnets[0]->name, "RouteServerSubnet") == 0 &&
	    strcmp(hub->subnets[1]->name, "nva") == 0, "subnets in file order");
	rs = hub->rs;
	T_OK(rs != NULL && t->nrss == 1 && t->rss[0] == rs, "hub has a RS");
	T_OK(rs->ip[0] == A("10.1.1.4") && rs->ip[1] == A("10.1.1.5"),
	    "RS-02: RS instances at .4 and .5 of RouteServerSubnet");
	T_EQ(rs->route_limit, 4000, "RS-40: route_limit default 4000");
	T_EQ(rs->max_peers, 8, "RS-07: max_peers default 8");
	T_OK(rs->pref == AZ_PREF_EXPRESSROUTE && !rs->branch_to_branch,
	    "RS-31: preference ExpressRoute, branch_to_branch false");
	T_EQ(t->nnodes, NELEM(order), "7 nodes");
	for (i = 0; i < NELEM(order) && i < t->nnodes; i++)
		T_OK(strcmp(t->nodes[i]->name, order[i]) == 0,
		    "node %zu is %s", i, order[i]);
	T_OK(t->nodes[0]->kind == TOPO_RS && t->nodes[0]->rs_instance == 0 &&
	    t->nodes[1]->rs_instance == 1 && rs->inst[1] == t->nodes[1],
	    "RS instance nodes");
	T_OK(t->nodes[5]->kind == TOPO_SITE_ROUTER &&
	    t->nodes[6]->kind == TOPO_SITE_HOST, "site node kinds");
	T_EQ(t->nnics, 5, "five NICs (RS x2, NVA x2, VM)");
	for (i = 0; i < t->nnics; i++)
		T_OK(t->nics[i]->idx == i && t->nics[i]->node == t->nodes[i],
		    "nic %zu idx and node order", i);
	T_EQ(t->nics[2]->ip, A("10.1.2.4"), "NVA sdwan at 10.1.2.4");
	T_EQ(t->nics[3]->ip, A("10.1.2.5"), "NVA fw at 10.1.2.5");
	T_EQ(t->nics[4]->ip, A("10.2.1.4"), "VM at 10.2.1.4");
	T_OK(t->nics[2]->ip_forwarding && !t->nics[4]->ip_forwarding,
	    "NVAs forward, VMs do not");
	T_OK(strcmp(t->nodes[3]->jpath, "regions[0].hub.nvas[1]") == 0,
	    "jpath of fw");
	T_OK(t->nnvas == 2 && t->nvas[0]->asn == 65001 &&
	    t->nvas[1]->asn == 65002, "NVA ASNs");
	T_OK(t->nvas[1]->nadvertise == 1 && t->nvas[1]->advertise[0].len == 0,
	    "fw advertises 0.0.0.0/0");
	T_OK(t->nvas[0]->peer_rs[0] && t->nvas[0]->peer_rs[1],
	    "RS-04: NVA peers with both RS instances by default");
	T_OK(t->nvas[0]->prepend == 0 && t->nvas[0]->next_hop == 0 &&
	    t->nvas[0]->ncommunities == 0, "NVA defaults");
	T_EQ(t->nsitelinks, 1, "one site link");
	T_OK(t->sitelinks[0]->nva == t->nvas[0] &&
	    t->sitelinks[0]->nva_ip == A("169.254.0.1") &&
	    t->sitelinks[0]->site_ip == A("169.254.0.2"),
	    "site link sdwan 169.254.0.1 - 169.254.0.2");
	T_OK(t->sites[0]->router == t->nodes[5] && t->sites[0]->nhosts == 1 &&
	    t->nodes[6]->host_ip == A("10.250.0.1") &&
	    t->nodes[6]->host_pfx.len == 16, "site router, host and its prefix");
	T_OK(topo_node_find(t, "fw") == t->nodes[3] &&
	    topo_node_find(t, "nope") == NULL, "topo_node_find");
	T_OK(topo_nic_by_ip(t, A("10.1.1.5")) == t->nics[1] &&
	    topo_nic_by_ip(t, A("10.9.9.9")) == NULL, "topo_nic_by_ip");
	T_OK(topo_subnet_find(hub, "nva") == hub->subnets[1],
	    "topo_subnet_find");
	T_OK(strcmp(az_pref_str(AZ_PREF_ASPATH), "ASPath") == 0 &&
	    strcmp(topo_kind_str(TOPO_NVA), "nva") == 0, "string helpers");
	T_EQ(topo_set_name(t, "other-lab", &err), 0, "topo_set_name ok");
	T_OK(strcmp(t->name, "other-lab") == 0, "renamed");
	T_EQ(topo_set_name(t, "Bad_Name", &err), -1, "topo_set_name refuses");
	T_OK(strcmp(t->name, "other-lab") == 0, "name unchanged on refusal");
	topo_free(t);
}

static void
test_active_active(void)
{
	struct topo_err err;
	struct topo *t = NULL;

	T_EQ(topo_load_file("examples/active-active.json", &t, &err), 0,
	    "active-active.json loads");
	if (t == NULL) {
		printf("#   %s: %s\n", err.path, err.msg);
		return;
	}
	T_OK(t->timers.hold == 3 && t->timers.keepalive == 1, "timers 3/1");
	T_OK(t->nnvas == 2 && t->nvas[0]->asn == 65010 &&
	    t->nvas[1]->asn == 65010, "fw1 and fw2 share ASN 65010");
	T_OK(t->nvas[0]->node->nic->ip == A("10.1.2.4") &&
	    t->nvas[1]->node->nic->ip == A("10.1.2.5"), "NVAs at .4 and .5");
	T_EQ(t->nsitelinks, 2, "two site links");
	T_OK(t->sitelinks[1]->idx == 1 && t->sitelinks[1]->nva == t->nvas[1] &&
	    t->sitelinks[1]->nva_ip == A("169.254.0.5") &&
	    t->sitelinks[1]->site_ip == A("169.254.0.6"),
	    "second link 169.254.0.5 - 169.254.0.6");
	T_OK(t->sites[0]->nlinks == 2 && t->sites[0]->links[0]->idx == 0,
	    "site lists its links");
	T_OK(topo_node_find(t, "dc-h1") != NULL &&
	    topo_node_find(t, "dc-edge") != NULL, "site nodes");
	topo_free(t);
}

static void
test_model_misc(void)
{
	struct topo_err err;
	struct topo *t;
	char *doc, *p;
	size_t i, n = 70;

	/* Key order does not matter: spokes before hub, sites first. */
	t = load_q("{'sites':[],'regions':[{'spokes':[{" SPOKE_BASE ",'vms':"
	    "[{'name':'v1','subnet':'default'}]}],'hub':{'vms':[{'name':'hv',"
	    "'subnet':'nva'}],'nvas':[" NVA1 "],'route_server':{'max_peers':"
	    "2,'route_limit':10,'hub_routing_preference':'ASPath',"
	    "'branch_to_branch':true}," HUB_BASE "},'name':'r'}],'name':'t'}",
	    &err);
	T_OK(t != NULL && t->nnodes == 5 &&
	    strcmp(t->nodes[2]->name, "n1") == 0 &&
	    strcmp(t->nodes[3]->name, "hv") == 0 &&
	    strcmp(t->nodes[4]->name, "v1") == 0 &&
	    t->regions[0]->hub->nspokes == 1,
	    "field order in the file does not change the model");
	T_OK(t != NULL && t->rss[0]->max_peers == 2 &&
	    t->rss[0]->route_limit == 10 && t->rss[0]->branch_to_branch &&
	    t->rss[0]->pref == AZ_PREF_ASPATH, "RS-31: route_server settings");
	T_OK(t != NULL && t->nodes[3]->nic->ip == A("10.1.2.5"),
	    "hub VM after the NVA in the same subnet gets .5");
	topo_free(t);

	/* Given addresses are skipped by the automatic ones. */
	t = load_q(HUB(",'vms':[{'name':'a','subnet':'nva'},{'name':'b',"
	    "'subnet':'nva','ip':'10.1.2.4'},{'name':'c','subnet':'nva'}]"),
	    &err);
	T_OK(t != NULL && topo_node_find(t, "a")->nic->ip == A("10.1.2.5") &&
	    topo_node_find(t, "b")->nic->ip == A("10.1.2.4") &&
	    topo_node_find(t, "b")->nic->ip_given &&
	    topo_node_find(t, "c")->nic->ip == A("10.1.2.6"),
	    "automatic addresses skip given ones");
	topo_free(t);

	/* Two regions: RS nodes of both hubs come first; spoke unpeered. */
	t = load_q("{'name':'t','regions':[{'name':'r1','hub':{" HUB_BASE
	    ",'route_server':{},'vms':[{'name':'v1','subnet':'nva'}]}},"
	    "{'name':'r2','hub':{'name':'hub2','address_space':"
	    "['10.5.0.0/16'],'subnets':{'RouteServerSubnet':'10.5.0.0/24'},"
	    "'route_server':{}},'spokes':[{" SPOKE_BASE ",'peered':false}]}]}",
	    &err);
	T_OK(t != NULL && t->nnodes == 5 &&
	    strcmp(t->nodes[2]->name, "hub2-rs0") == 0 &&
	    strcmp(t->nodes[4]->name, "v1") == 0 &&
	    t->rss[1]->ip[1] == A("10.5.0.5"), "RS nodes of all hubs first");
	T_OK(t != NULL && t->vnets[2]->peer_hub == NULL &&
	    !t->vnets[2]->use_remote_gateways, "peered false: no hub");
	topo_free(t);

	/* A region without a hub: its spokes are not peered by default. */
	expect_ok("{'name':'t','regions':[{'name':'r','spokes':[{" SPOKE_BASE
	    "}]}]}", "spoke of a hubless region is simply unpeered");
	expect_ok(TOP(",'timers':{'hold':0}"), "hold 0, keepalive 0");
	t = load_q(TOP(",'timers':{'hold':30}"), &err);
	T_OK(t != NULL && t->timers.keepalive == 10,
	    "keepalive defaults to hold/3 when only hold is given");
	topo_free(t);
	t = load_q(TOP(""), &err);
	T_OK(t != NULL && t->timers.hold == 180 && t->timers.keepalive == 60 &&
	    t->timers.connect_retry == 5, "RS-43: default timers 180/60/5");
	topo_free(t);
	expect_ok(HUB(",'nvas':[{'name':'n1','subnet':'nva','asn':65001,"
	    "'peers':[1],'prepend':10,'communities':['65535:65282','0:0'],"
	    "'next_hop':'10.1.2.100','ip':'10.1.2.10'}]"),
	    "RS-04: NVA with one instance, prepend 10, communities, next_hop");
	t = load_q(HUB(",'nvas':[{'name':'n1','subnet':'nva','asn':65001,"
	    "'peers':[1],'communities':['65535:65282']}]"), &err);
	T_OK(t != NULL && !t->nvas[0]->peer_rs[0] && t->nvas[0]->peer_rs[1] &&
	    t->nvas[0]->communities[0] == 0xffffff02u,
	    "RS-24: NO_ADVERTISE parsed as 0xFFFFFF02; peers [1]");
	topo_free(t);
	expect_ok(HUB(",'nvas':[{'name':'a','subnet':'nva','asn':64512},"
	    "{'name':'b','subnet':'nva','asn':65514},{'name':'c','subnet':"
	    "'nva','asn':65521},{'name':'d','subnet':'nva','asn':1}]"),
	    "RS-06: 64512, 65514, 65521 and 1 are allowed");

	/* 70 NVAs behind one site: link 64 starts 169.254.1.0/24. */
	doc = xstrdup("{'name':'t','regions':[{'name':'r','hub':{"
	    "'name':'hub','address_space':['10.1.0.0/16'],'subnets':{'nva':"
	    "'10.1.2.0/24'},'nvas':[");
	for (i = 0; i < n; i++) {
		p = xasprintf("%s%s{'name':'n%zu','subnet':'nva','asn':65001}",
		    doc, i ? "," : "", i);
		free(doc);
		doc = p;
	}
	p = xasprintf("%s]}}],'sites':[{'name':'s','prefixes':"
	    "['192.168.0.0/16'],'nvas':[", doc);
	free(doc);
	doc = p;
	for (i = 0; i < n; i++) {
		p = xasprintf("%s%s'n%zu'", doc, i ? "," : "", i);
		free(doc);
		doc = p;
	}
	p = xasprintf("%s]}]}", doc);
	free(doc);
	t = load_q(p, &err);
	free(p);
	T_OK(t != NULL && t->nsitelinks == n &&
	    t->sitelinks[64]->nva_ip == A("169.254.1.1") &&
	    t->sitelinks[65]->site_ip == A("169.254.1.6") &&
	    !t->nvas[0]->peer_rs[0], "site links past 64 use 169.254.1.x; "
	    "NVAs of a hub without RS peer with nothing");
	topo_free(t);
}

static void
test_positions(void)
{
	struct topo_err err;
	struct topo *t;
	char buf[1024];

	t = load_q("{\n  'name': 't',\n  'regions': [\n    {'name': 'r',,}\n"
	    "  ]\n}\n", &err);
	T_OK(t == NULL && err.line == 4 && err.col == 19 && err.path[0] == '\0'
	    && strstr(err.msg, "malformed JSON") != NULL,
	    "malformed JSON: line 4 col 19 from cJSON's error offset");
	t = load_q("{\n 'name': 't',\n 'regions': [{'name': 'r', 'hub': {"
	    "\n  'name': 'hub', 'address_space': ['10.1.0.0/16'],\n"
	    "  'subnets': {'nva': '10.1.2.0/24'},\n  'nvas': [\n"
	    "   {'name': 'n1', 'subnet': 'nva', 'asn': 65516}]}}]}", &err);
	T_OK(t == NULL && err.line == 7 && err.col == 43,
	    "RS-06: a semantic error (asn 65516) has line 7 col 43");
	topo_err_str(&err, "f.json", buf, sizeof(buf));
	T_OK(strncmp(buf, "f.json:7:43: regions[0].hub.nvas[0].asn: asn 65516",
	    strlen("f.json:7:43: regions[0].hub.nvas[0].asn: asn 65516")) == 0,
	    "topo_err_str: file:line:col: path: message");
	t = load_q("{'name':'t','regions':[{'name':'r'}],'name':'u'}", &err);
	T_OK(t == NULL && err.line == 1 && err.col == 45,
	    "a duplicate key points at its second occurrence");
	t = load_q(HUB(""), &err);
	T_OK(t != NULL, "position scanner on a good document");
	topo_free(t);
	T_EQ(topo_load_file("test/topo/no-such-file.json", &t, &err), -1,
	    "missing file is an error");
	T_OK(t == NULL && strstr(err.msg, "cannot read") != NULL,
	    "missing file message");
	T_EQ(topo_load_file("test/topo/bad-trailing.json", &t, &err), -1,
	    "file with text after the document");
	T_OK(err.line == 2 && strstr(err.msg, "after the end") != NULL,
	    "trailing text: line 2");
	T_EQ(topo_load_file("test/topo/bad-rs-subnet.json", &t, &err), -1,
	    "RS-03: file with a /28 RouteServerSubnet");
	T_OK(err.line == 7 && err.col == 41 && strcmp(err.path,
	    "regions[0].hub.subnets.RouteServerSubnet") == 0,
	    "RS-03: error at 7:41, the subnet's value");
	T_EQ(topo_load_file("test/topo/bad-udr-er.json", &t, &err), -1,
	    "GW-11: file with a VirtualNetworkGateway route to ExpressRoute");
	T_OK(err.line == 16 && err.col == 36 && strcmp(err.path,
	    "route_tables[0].routes[0].next_hop_type") == 0 &&
	    strstr(err.msg, "GW-11") != NULL, "GW-11: error at 16:36, the "
	    "route's next_hop_type");
	T_EQ(topo_load_file("test/topo/bad-spoke-region.json", &t, &err), -1,
	    "U-10: file with a spoke in a region it does not declare");
	T_OK(err.line == 10 && err.col == 29 && strcmp(err.path,
	    "regions[0].spokes[0].region") == 0 &&
	    strstr(err.msg, "\"north-europe\"") != NULL, "U-10: error at "
	    "10:29, the spoke's region");
	T_EQ(topo_load_file("test/topo/good-minimal.json", &t, &err), 0,
	    "minimal file loads");
	topo_free(t);
}

static void
test_syntax_and_types(void)
{
	expect_err("", "", "malformed JSON", "empty input is malformed");
	expect_err("{'name':'t',", "", "malformed JSON", "truncated document");
	expect_err("[1]", "", "must be a JSON object", "top level not an object");
	expect_err("{'name':5,'regions':[{'name':'r'}]}", "name",
	    "must be a string", "wrong type: name is a number");
	expect_err("{'name':'t','regions':{}}", "regions", "must be an array",
	    "wrong type: regions is an object");
	expect_err("{'name':'t','regions':[5]}", "regions[0]",
	    "must be an object", "wrong type: region is a number");
	expect_err(TOP(",'description':1"), "description", "must be a string",
	    "wrong type: description");
	expect_err(HUB(",'nvas':[{'name':'n1','subnet':'nva','asn':'65001'}]"),
	    "regions[0].hub.nvas[0].asn", "must be a number",
	    "wrong type: asn is a string");
	expect_err(HUB(",'nvas':[{'name':'n1','subnet':'nva','asn':65001.5}]"),
	    "regions[0].hub.nvas[0].asn", "not an integer",
	    "wrong type: asn 65001.5");
	expect_err(HUB(",'allow_gateway_transit':'yes'"),
	    "regions[0].hub.allow_gateway_transit", "true or false",
	    "wrong type: boolean given as a string");
	expect_err("{'name':'t','regions':[{'name':'r','hub':{'name':'h',"
	    "'address_space':[10]}}]}", "regions[0].hub.address_space[0]",
	    "must be a string", "wrong type: prefix is a number");
	expect_err(HUB(",'route_server':[]"), "regions[0].hub.route_server",
	    "given twice", "duplicate field route_server");
	expect_err("{'name':'t','regions':[{'name':'r','hub':{'name':'h',"
	    "'address_space':['10.1.0.0/16'],'subnets':{'a':'10.1.1.0/24',"
	    "'a':'10.1.2.0/24'}}}]}", "regions[0].hub.subnets.a", "given twice",
	    "duplicate subnet name");
	expect_err(TOP(",'timers':{'hold':-1}"), "timers.hold",
	    "not an integer from 0 to 65535", "negative hold");
	expect_err(TOP(",'timers':{'hold':1e300}"), "timers.hold",
	    "not an integer", "huge hold");
}

static void
test_fields(void)
{
	expect_err(TOP(",'colour':'red'"), "colour", "unknown field",
	    "unknown top-level field");
	expect_err(HUB(",'nvas':[{'name':'n1','subnet':'nva','asn':65001,"
	    "'Asn':1}]"), "regions[0].hub.nvas[0].Asn", "unknown field",
	    "unknown NVA field (case matters)");
	expect_err(HUBRS("'b2b':true", ""),
	    "regions[0].hub.route_server.b2b", "unknown field",
	    "unknown route_server field");
	expect_err(SPOKE("", SPOKE_BASE ",'gateways':[]"),
	    "regions[0].spokes[0].gateways", "unknown field",
	    "unknown spoke field");
	expect_err(SPOKE("", SPOKE_BASE ",'route_server':{}"),
	    "regions[0].spokes[0].subnets", "RouteServerSubnet is missing",
	    "PE-06: a spoke's route_server needs its RouteServerSubnet (RS-03)");
	expect_err("{'regions':[{'name':'r'}]}", "name", "required field",
	    "missing lab name");
	expect_err("{'name':'t'}", "regions", "required field",
	    "missing regions");
	expect_err("{'name':'t','regions':[]}", "regions", "must not be empty",
	    "empty regions");
	expect_err("{'name':'t','regions':[{'name':'r','hub':{'name':'h'}}]}",
	    "regions[0].hub.address_space", "required field",
	    "missing address_space");
	expect_err(HUB(",'nvas':[{'name':'n1','subnet':'nva'}]"),
	    "regions[0].hub.nvas[0].asn", "required field", "missing asn");
	expect_err(HUB(",'vms':[{'name':'v'}]"), "regions[0].hub.vms[0].subnet",
	    "required field", "missing VM subnet");
	expect_err(SITE("'name':'s','nvas':['n1']"), "sites[0].prefixes",
	    "required field", "missing site prefixes");
	expect_err(SITE("'name':'s','prefixes':['192.168.0.0/16'],'nvas':"
	    "['n1'],'hosts':[{'name':'h'}]"), "sites[0].hosts[0].ip",
	    "required field", "missing host ip");
}

static void
test_names(void)
{
	expect_err("{'name':'Lab_1','regions':[{'name':'r'}]}", "name",
	    "not a valid name", "bad lab name (uppercase, underscore)");
	expect_err("{'name':'-lab','regions':[{'name':'r'}]}", "name",
	    "not a valid name", "lab name starting with '-'");
	expect_err("{'name':'abcdefghijabcdefghijabcdefghijabc','regions':"
	    "[{'name':'r'}]}", "name", "not a valid name", "33-char lab name");
	expect_err(HUB(",'vms':[{'name':'VM1','subnet':'nva'}]"),
	    "regions[0].hub.vms[0].name", "not a valid name", "bad VM name");
	expect_err(HUB(",'vms':[{'name':'','subnet':'nva'}]"),
	    "regions[0].hub.vms[0].name", "not a valid name", "empty VM name");
	expect_err(HUB(",'vms':[{'name':'fabric','subnet':'nva'}]"),
	    "regions[0].hub.vms[0].name", "reserved",
	    "node name fabric is reserved");
	expect_err("{'name':'t','regions':[{'name':'r','hub':{'name':"
	    "'abcdefghijabcdefghijabcdefghij','address_space':['10.1.0.0/16'],"
	    "'subnets':{'RouteServerSubnet':'10.1.1.0/27'},'route_server':{}}}"
	    "]}", "regions[0].hub.name", "too long",
	    "RS-02: hub name too long for its RS node names");
	expect_err(SITE("'name':'abcdefghijabcdefghijabcdefghij','prefixes':"
	    "['192.168.0.0/16'],'nvas':['n1']"), "sites[0].name", "too long",
	    "site name too long for its edge node name");
	expect_err("{'name':'t','regions':[{'name':'r','hub':{'name':'h',"
	    "'address_space':['10.1.0.0/16'],'subnets':{'bad name':"
	    "'10.1.1.0/24'}}}]}", "regions[0].hub.subnets.bad name",
	    "not a valid subnet name", "bad subnet name");
	expect_err(HUB(",'nvas':[" NVA1 "],'vms':[{'name':'n1','subnet':'nva'}]"),
	    "regions[0].hub.vms[0].name", "already used by regions[0].hub.nvas[0]",
	    "duplicate node names: VM named like an NVA");
	expect_err(HUB(",'nvas':[{'name':'hub-rs0','subnet':'nva','asn':1}]"),
	    "regions[0].hub.nvas[0].name", "already used",
	    "duplicate node names: NVA named like a RS instance");
	expect_err(SITE("'name':'s','prefixes':['192.168.0.0/16'],'nvas':"
	    "['n1'],'hosts':[{'name':'n1','ip':'192.168.0.9'}]"),
	    "sites[0].hosts[0].name", "already used",
	    "duplicate node names: site host named like an NVA");
	expect_err(SITE("'name':'n','prefixes':['192.168.0.0/16'],'nvas':"
	    "['n1'],'hosts':[{'name':'n-edge','ip':'192.168.0.9'}]"),
	    "sites[0].hosts[0].name", "already used",
	    "duplicate node names: host named like its site's edge");
	expect_err(SPOKE("", "'name':'hub','address_space':['10.2.0.0/16']"),
	    "regions[0].spokes[0].name", "VNet name \"hub\" is already used",
	    "duplicate VNet names");
	expect_err("{'name':'t','regions':[{'name':'r'},{'name':'r'}]}",
	    "regions[1].name", "already declared", "duplicate region names");
	expect_err("{'name':'t','regions':[{'name':'r','hub':{" HUB_BASE
	    ",'route_server':{},'nvas':[" NVA1 "]}}],'sites':[{'name':'s',"
	    "'prefixes':['192.168.0.0/24'],'nvas':['n1']},{'name':'s',"
	    "'prefixes':['192.168.1.0/24'],'nvas':['n1']}]}", "sites[1].name",
	    "already declared", "duplicate site names");
}

static void
test_prefixes(void)
{
	expect_err("{'name':'t','regions':[{'name':'r','hub':{'name':'h',"
	    "'address_space':['10.1.0.0/33']}}]}",
	    "regions[0].hub.address_space[0]", "not an IPv4 prefix",
	    "bad prefix /33");
	expect_err("{'name':'t','regions':[{'name':'r','hub':{'name':'h',"
	    "'address_space':['10.1.0.1/16']}}]}",
	    "regions[0].hub.address_space[0]", "host bits set",
	    "prefix with host bits set");
	expect_err("{'name':'t','regions':[{'name':'r','hub':{'name':'h',"
	    "'address_space':['10.1.0.0/16','10.1.128.0/17']}}]}",
	    "regions[0].hub.address_space[1]", "overlaps",
	    "address space prefixes of one VNet overlap");
	expect_err("{'name':'t','regions':[{'name':'r','hub':{'name':'h',"
	    "'address_space':['169.254.0.0/16']}}]}",
	    "regions[0].hub.address_space[0]", "reserved",
	    "link-local address space refused");
	expect_err("{'name':'t','regions':[{'name':'r','hub':{'name':'h',"
	    "'address_space':['10.1.0.0/16'],'subnets':{'a':'10.3.0.0/24'}}}]}",
	    "regions[0].hub.subnets.a", "outside the address space",
	    "subnet outside its VNet's address space");
	expect_err("{'name':'t','regions':[{'name':'r','hub':{'name':'h',"
	    "'address_space':['10.1.0.0/16'],'subnets':{'a':'10.1.0.0/24',"
	    "'b':'10.1.0.128/25'}}}]}", "regions[0].hub.subnets.b",
	    "overlaps subnet \"a\"", "overlapping subnets in a VNet");
	expect_err("{'name':'t','regions':[{'name':'r','hub':{'name':'h',"
	    "'address_space':['10.1.0.0/16'],'subnets':{'a':'10.1.0.0/30'}}}]}",
	    "regions[0].hub.subnets.a", "smallest subnet",
	    "subnet smaller than /29");
	expect_err("{'name':'t','regions':[{'name':'r','hub':{'name':'h',"
	    "'address_space':['10.1.0.0/16'],'subnets':{'a':'10.1.0.0'}}}]}",
	    "regions[0].hub.subnets.a", "not an IPv4 prefix",
	    "subnet without a length");
	expect_err(SPOKE("", "'name':'s1','address_space':['10.1.0.0/24']"),
	    "regions[0].spokes[0].address_space[0]", "(PE-05)",
	    "PE-05: peered spoke overlaps its hub");
	expect_ok(SPOKE("", "'name':'s1','peered':false,'address_space':"
	    "['10.1.0.0/24']"), "PE-05: unpeered VNets may overlap");
	expect_err(SPOKE(",'nvas':[" NVA1 "]", "'name':'s1','peered':false,"
	    "'address_space':['10.1.2.0/24'],'subnets':{'x':'10.1.2.0/24'},"
	    "'vms':[{'name':'v',"
	    "'subnet':'x'}]") , "regions[0].spokes[0].vms[0]",
	    "also the address of", "NIC addresses unique across a lab");
}

static void
test_route_server(void)
{
	expect_err("{'name':'t','regions':[{'name':'r','hub':{'name':'h',"
	    "'address_space':['10.1.0.0/16'],'route_server':{}}}]}",
	    "regions[0].hub.subnets", "RouteServerSubnet is missing",
	    "RS-03: route_server without RouteServerSubnet");
	expect_err("{'name':'t','regions':[{'name':'r','hub':{'name':'h',"
	    "'address_space':['10.1.0.0/16'],'subnets':{'RouteServerSubnet':"
	    "'10.1.1.0/28'},'route_server':{}}}]}",
	    "regions[0].hub.subnets.RouteServerSubnet",
	    "/28 is too small: Route Server needs /27 or shorter (RS-03)",
	    "RS-03: RouteServerSubnet /28 refused");
	expect_err(HUB(",'vms':[{'name':'v','subnet':'RouteServerSubnet'}]"),
	    "regions[0].hub.vms[0].subnet", "RS-03",
	    "RS-03: VM in RouteServerSubnet refused");
	expect_err(HUB(",'nvas':[{'name':'n','subnet':'RouteServerSubnet',"
	    "'asn':1}]"), "regions[0].hub.nvas[0].subnet", "RS-03",
	    "RS-03: NVA in RouteServerSubnet refused");
	expect_err(HUB(",'nvas':[{'name':'n','subnet':'nope','asn':1}]"),
	    "regions[0].hub.nvas[0].subnet", "has no subnet",
	    "NVA subnet unknown");
	expect_err(SPOKE("", SPOKE_BASE ",'vms':[{'name':'v','subnet':'nva'}]"),
	    "regions[0].spokes[0].vms[0].subnet", "has no subnet",
	    "VM subnet unknown (subnets of another VNet do not count)");
	expect_err(HUBRS("'hub_routing_preference':'Vpn'", ""),
	    "regions[0].hub.route_server.hub_routing_preference", "RS-31",
	    "RS-31: unknown hub routing preference");
	expect_err(HUBRS("'hub_routing_preference':'VPN/NVA'", ""),
	    "regions[0].hub.route_server.hub_routing_preference", "VpnGateway",
	    "D-05: the docs' \"VPN/NVA\" is refused; the API string is "
	    "VpnGateway");
	expect_err("{'name':'t','regions':[{'name':'r','hub':{'name':'h',"
	    "'address_space':['2001:db8::/32'],'subnets':{'a':'10.1.0.0/24'}}}]}",
	    "regions[0].hub.address_space[0]", "IPv4 only",
	    "RS-26, D-13: an IPv6 address space is refused, by its path");
	expect_err(HUBRS("'route_limit':0", ""),
	    "regions[0].hub.route_server.route_limit", "not an integer",
	    "RS-40: route_limit 0 refused");
	expect_err(HUBRS("'max_peers':0", ""),
	    "regions[0].hub.route_server.max_peers", "not an integer",
	    "RS-07: max_peers 0 refused");
}

#define NVA(n)	"{'name':'n" #n "','subnet':'nva','asn':6500" #n "}"

static void
test_peers(void)
{
	expect_err(HUB(",'nvas':[" NVA(1) "," NVA(2) "," NVA(3) "," NVA(4) ","
	    NVA(5) "," NVA(6) "," NVA(7) "," NVA(8) "," NVA(9) "]"),
	    "regions[0].hub.nvas[8]", "(max_peers, RS-07)",
	    "RS-07: a 9th NVA peer is refused");
	expect_ok(HUB(",'nvas':[" NVA(1) "," NVA(2) "," NVA(3) "," NVA(4) ","
	    NVA(5) "," NVA(6) "," NVA(7) "," NVA(8) "]"),
	    "RS-07: 8 NVAs with 2 sessions each count as 8 peers");
	expect_err(HUBRS("'max_peers':2", ",'nvas':[{'name':'a',"
	    "'subnet':'nva','asn':1,'peers':[0]},{'name':'b','subnet':'nva',"
	    "'asn':1,'peers':[1]},{'name':'c','subnet':'nva','asn':1,"
	    "'peers':[1]}]"), "regions[0].hub.nvas[2]", "RS-07",
	    "RS-07: max_peers 2, third NVA refused even on one instance");
	expect_err(HUB(",'nvas':[{'name':'a','subnet':'nva','asn':1,"
	    "'peers':[2]}]"), "regions[0].hub.nvas[0].peers[0]",
	    "not an integer from 0 to 1", "RS-04: peers [2] refused");
	expect_err(HUB(",'nvas':[{'name':'a','subnet':'nva','asn':1,"
	    "'peers':[]}]"), "regions[0].hub.nvas[0].peers", "RS-04",
	    "RS-04: empty peers refused");
	expect_err(HUB(",'nvas':[{'name':'a','subnet':'nva','asn':1,"
	    "'peers':[0,0]}]"), "regions[0].hub.nvas[0].peers[1]", "twice",
	    "RS-04: peers [0,0] refused");
	expect_err("{'name':'t','regions':[{'name':'r','hub':{'name':'h',"
	    "'address_space':['10.1.0.0/16'],'subnets':{'nva':'10.1.2.0/24'},"
	    "'nvas':[{'name':'a','subnet':'nva','asn':1,'peers':[0]}]}}]}",
	    "regions[0].hub.nvas[0].peers", "no route_server",
	    "peers given in a hub without a route_server");
}

#define ASN_DOC(asn) HUB(",'nvas':[{'name':'n','subnet':'nva','asn':" asn "}]")
#define ASN_PATH "regions[0].hub.nvas[0].asn"

static void
test_asn(void)
{
	expect_err(ASN_DOC("0"), ASN_PATH, "RS-06", "RS-06: asn 0 refused");
	expect_err(ASN_DOC("70000"), ASN_PATH, "2-byte ASN",
	    "RS-06: 4-byte asn 70000 refused");
	expect_err(ASN_DOC("4200000000"), ASN_PATH, "RS-06",
	    "RS-06: 4-byte private asn refused");
	expect_err(ASN_DOC("65515"), ASN_PATH, "(RS-05, RS-01)",
	    "RS-05: asn 65515 (the RS's own, RS-01) refused");
	expect_err(ASN_DOC("65516"), ASN_PATH, "D-01",
	    "RS-06: asn 65516 refused (D-01)");
	expect_err(ASN_DOC("65520"), ASN_PATH, "reserved by Azure",
	    "RS-06: asn 65520 refused");
	expect_err(ASN_DOC("8074"), ASN_PATH, "reserved by Azure",
	    "RS-06: asn 8074 refused");
	expect_err(ASN_DOC("8075"), ASN_PATH, "reserved by Azure",
	    "RS-06: asn 8075 refused");
	expect_err(ASN_DOC("12076"), ASN_PATH, "reserved by Azure",
	    "RS-06: asn 12076 refused");
	expect_err(ASN_DOC("23456"), ASN_PATH, "reserved by IANA",
	    "RS-06: asn 23456 refused");
	expect_err(ASN_DOC("64496"), ASN_PATH, "reserved by IANA",
	    "RS-06: asn 64496 refused");
	expect_err(ASN_DOC("64511"), ASN_PATH, "reserved by IANA",
	    "RS-06: asn 64511 refused");
	expect_err(ASN_DOC("65535"), ASN_PATH, "reserved by IANA",
	    "RS-06: asn 65535 refused");
}

static void
test_nva_fields(void)
{
	expect_err(HUB(",'nvas':[{'name':'n','subnet':'nva','asn':1,"
	    "'prepend':11}]"), "regions[0].hub.nvas[0].prepend", "more than 10",
	    "U-02: prepend 11 refused (arsemu's bound)");
	expect_err(HUB(",'nvas':[{'name':'n','subnet':'nva','asn':1,"
	    "'communities':['65536:1']}]"), "regions[0].hub.nvas[0]."
	    "communities[0]", "not a community", "community 65536:1 refused");
	expect_err(HUB(",'nvas':[{'name':'n','subnet':'nva','asn':1,"
	    "'communities':['1:2','1:65536']}]"), "regions[0].hub.nvas[0]."
	    "communities[1]", "not a community", "community 1:65536 refused");
	expect_err(HUB(",'nvas':[{'name':'n','subnet':'nva','asn':1,"
	    "'communities':['1:2:3']}]"), "regions[0].hub.nvas[0]."
	    "communities[0]", "not a community", "community 1:2:3 refused");
	expect_err(HUB(",'nvas':[{'name':'n','subnet':'nva','asn':1,"
	    "'communities':[':1']}]"), "regions[0].hub.nvas[0]."
	    "communities[0]", "not a community", "community :1 refused");
	expect_err(HUB(",'nvas':[{'name':'n','subnet':'nva','asn':1,"
	    "'communities':[65536]}]"), "regions[0].hub.nvas[0]."
	    "communities[0]", "must be a string", "community as a number");
	expect_err(HUB(",'nvas':[{'name':'n','subnet':'nva','asn':1,"
	    "'advertise':['10.0.0.0/8','10.0.0.0/8']}]"),
	    "regions[0].hub.nvas[0].advertise[1]", "listed twice",
	    "advertised prefix listed twice");
	expect_err(HUB(",'nvas':[{'name':'n','subnet':'nva','asn':1,"
	    "'advertise':['10.0.0.1/8']}]"), "regions[0].hub.nvas[0]."
	    "advertise[0]", "host bits", "advertised prefix with host bits");
	/* an advertise entry with a policy of its own */
	expect_err(HUB(",'nvas':[{'name':'n','subnet':'nva','asn':1,"
	    "'advertise':[{'prepend':1}]}]"), "regions[0].hub.nvas[0]."
	    "advertise[0].prefix", "is required", "policy without a prefix");
	expect_err(HUB(",'nvas':[{'name':'n','subnet':'nva','asn':1,"
	    "'advertise':[{'prefix':'10.0.0.0/8','weight':1}]}]"),
	    "regions[0].hub.nvas[0].advertise[0].weight", "unknown",
	    "policy with an unknown key");
	expect_err(HUB(",'nvas':[{'name':'n','subnet':'nva','asn':1,"
	    "'advertise':[{'prefix':'10.0.0.0/8','prepend':11}]}]"),
	    "regions[0].hub.nvas[0].advertise[0].prepend", "more than 10",
	    "policy prepend over the bound");
	expect_err(HUB(",'nvas':[{'name':'n','subnet':'nva','asn':1,"
	    "'advertise':[{'prefix':'10.0.0.0/8','med':-1}]}]"),
	    "regions[0].hub.nvas[0].advertise[0].med", "from 0 to 4294967295",
	    "policy MED below 0");
	expect_err(HUB(",'nvas':[{'name':'n','subnet':'nva','asn':1,"
	    "'advertise':[{'prefix':'10.0.0.0/8','communities':['1:x']}]}]"),
	    "regions[0].hub.nvas[0].advertise[0].communities[0]",
	    "not a community", "policy with a bad community");
	expect_err(HUB(",'nvas':[{'name':'n','subnet':'nva','asn':1,"
	    "'advertise':['10.0.0.0/8',{'prefix':'10.0.0.0/8'}]}]"),
	    "regions[0].hub.nvas[0].advertise[1]", "listed twice",
	    "a prefix both bare and with a policy");
	expect_err(HUB(",'nvas':[{'name':'n','subnet':'nva','asn':1,"
	    "'advertise':[5]}]"), "regions[0].hub.nvas[0].advertise[0]",
	    "must be a prefix, or an object", "advertise entry of a wrong type");
	expect_err(HUB(",'nvas':[{'name':'n','subnet':'nva','asn':1,"
	    "'next_hop':'192.168.1.1'}]"), "regions[0].hub.nvas[0].next_hop",
	    "RS-23", "RS-23: next_hop outside the hub refused");
	expect_err(HUB(",'nvas':[{'name':'n','subnet':'nva','asn':1,"
	    "'next_hop':'10.1.1.5'}]"), "regions[0].hub.nvas[0].next_hop",
	    "never in the data path (RS-23)",
	    "RS-23: next_hop at a RS instance refused");
	expect_err(HUB(",'nvas':[{'name':'n','subnet':'nva','asn':1,"
	    "'next_hop':'10.1.2'}]"), "regions[0].hub.nvas[0].next_hop",
	    "not an IPv4 address", "next_hop not an address");
}

static void
test_addresses(void)
{
	expect_err(HUB(",'vms':[{'name':'v','subnet':'nva','ip':'10.1.3.4'}]"),
	    "regions[0].hub.vms[0].ip", "outside subnet \"nva\"",
	    "IP outside its subnet");
	expect_err(HUB(",'vms':[{'name':'v','subnet':'nva','ip':'10.1.2.0'}]"),
	    "regions[0].hub.vms[0].ip", "reserved", "IP .0 is reserved");
	expect_err(HUB(",'vms':[{'name':'v','subnet':'nva','ip':'10.1.2.1'}]"),
	    "regions[0].hub.vms[0].ip", "reserved", "IP .1 is reserved");
	expect_err(HUB(",'vms':[{'name':'v','subnet':'nva','ip':'10.1.2.3'}]"),
	    "regions[0].hub.vms[0].ip", "reserved", "IP .3 is reserved");
	expect_err(HUB(",'vms':[{'name':'v','subnet':'nva','ip':'10.1.2.255'}]"),
	    "regions[0].hub.vms[0].ip", "reserved",
	    "last IP of the subnet is reserved");
	expect_err(HUB(",'nvas':[{'name':'n','subnet':'nva','asn':1,'ip':"
	    "'10.1.2.9'}],'vms':[{'name':'v','subnet':'nva','ip':'10.1.2.9'}]"),
	    "regions[0].hub.vms[0].ip", "already the address of \"n\"",
	    "IP taken twice");
	expect_err(HUB(",'vms':[{'name':'v','subnet':'nva','ip':'10.1.2.x'}]"),
	    "regions[0].hub.vms[0].ip", "not an IPv4 address", "IP malformed");
	expect_err("{'name':'t','regions':[{'name':'r','hub':{'name':'h',"
	    "'address_space':['10.1.0.0/16'],'subnets':{'s':'10.1.0.0/29'},"
	    "'vms':[{'name':'a','subnet':'s'},{'name':'b','subnet':'s'},"
	    "{'name':'c','subnet':'s'},{'name':'d','subnet':'s'}]}}]}",
	    "regions[0].hub.vms[3]", "is full", "subnet full (/29 holds 3)");
	expect_err("{'name':'t','regions':[{'name':'r','hub':{'name':'h',"
	    "'address_space':['10.1.0.0/16'],'subnets':{'s':'10.1.0.0/29'},"
	    "'vms':[{'name':'a','subnet':'s'},{'name':'b','subnet':'s'},"
	    "{'name':'c','subnet':'s'},{'name':'d','subnet':'s','ip':"
	    "'10.1.0.6'}]}}]}", "regions[0].hub.vms[2]", "is full",
	    "subnet full once given addresses are counted");
}

static void
test_peering(void)
{
	expect_err(SPOKE("", SPOKE_BASE ",'peered':false,"
	    "'use_remote_gateways':true"),
	    "regions[0].spokes[0].use_remote_gateways", "not peered with a hub",
	    "PE-03: use_remote_gateways on an unpeered spoke");
	expect_err(SPOKE(",'allow_gateway_transit':false", SPOKE_BASE
	    ",'use_remote_gateways':true"),
	    "regions[0].spokes[0].use_remote_gateways", "allow_gateway_transit",
	    "PE-03: use_remote_gateways needs allow_gateway_transit on the hub");
	expect_err("{'name':'t','regions':[{'name':'r','hub':{'name':'hub',"
	    "'address_space':['10.1.0.0/16']},'spokes':[{" SPOKE_BASE
	    ",'use_remote_gateways':true}]}]}",
	    "regions[0].spokes[0].use_remote_gateways", "neither a route_server",
	    "PE-03: use_remote_gateways needs a gateway (the RS) in the hub");
	expect_ok(SPOKE(",'allow_gateway_transit':false", SPOKE_BASE),
	    "PE-03: transit off is fine when no spoke uses remote gateways");
	expect_err("{'name':'t','regions':[{'name':'r','spokes':[{" SPOKE_BASE
	    ",'peered':true}]}]}", "regions[0].spokes[0].peered",
	    "no hub to peer with", "peered true in a region without a hub");
}

static void
test_sites(void)
{
	expect_err(SITE("'name':'s','prefixes':['10.1.5.0/24'],'nvas':['n1']"),
	    "sites[0].prefixes[0]", "lies inside the address space 10.1.0.0/16",
	    "U-17: a site prefix inside a VNet's refused");
	expect_err(SITE("'name':'s','prefixes':['192.168.0.0/16',"
	    "'192.168.1.0/24'],'nvas':['n1']"), "sites[0].prefixes[1]",
	    "overlaps", "site prefixes overlapping each other");
	expect_err(SITE("'name':'s','prefixes':['192.168.0.0/16'],'nvas':"
	    "['n1'],'hosts':[{'name':'h','ip':'172.16.0.1'}]"),
	    "sites[0].hosts[0].ip", "not inside any prefix",
	    "site host outside its prefixes");
	expect_err(SITE("'name':'s','prefixes':['192.168.0.0/16'],'nvas':"
	    "['n1'],'hosts':[{'name':'h','ip':'192.168.0.0'}]"),
	    "sites[0].hosts[0].ip", "network address",
	    "site host at the network address");
	expect_err(SITE("'name':'s','prefixes':['192.168.0.0/16'],'nvas':"
	    "['n1'],'hosts':[{'name':'h','ip':'192.168.0.9'},{'name':'i','ip':"
	    "'192.168.0.9'}]"), "sites[0].hosts[1].ip", "already the address",
	    "two site hosts with one IP");
	expect_err(SITE("'name':'s','prefixes':['192.168.0.0/16'],'nvas':"
	    "['n2']"), "sites[0].nvas[0]", "no NVA is named \"n2\"",
	    "site names an unknown NVA");
	expect_err(SITE("'name':'s','prefixes':['192.168.0.0/16'],'nvas':"
	    "['n1','n1']"), "sites[0].nvas[1]", "listed twice",
	    "site names an NVA twice");
	expect_err(SITE("'name':'s','prefixes':['192.168.0.0/16'],'nvas':[]"),
	    "sites[0].nvas", "sits behind no NVA", "site with an empty nvas");
	expect_err(SITE("'name':'s','prefixes':['192.168.0.0/16']"),
	    "sites[0].nvas", "sits behind no NVA", "site without nvas");
	expect_err(SITE("'name':'s','prefixes':['192.168.0.0/16'],'nvas':[1]"),
	    "sites[0].nvas[0]", "must be a string", "site nvas entry a number");
}

static void
test_timers(void)
{
	expect_err(TOP(",'timers':{'hold':2}"), "timers.hold", "at least 3",
	    "RS-43: hold 2 refused (0 or >= 3)");
	expect_err(TOP(",'timers':{'hold':9,'keepalive':9}"), "timers.keepalive",
	    "shorter than the hold time", "keepalive must be below hold");
	expect_err(TOP(",'timers':{'keepalive':180}"), "timers.keepalive",
	    "shorter than the hold time", "keepalive vs default hold 180");
	expect_err(TOP(",'timers':{'hold':0,'keepalive':3}"),
	    "timers.keepalive", "must be 0", "keepalive must be 0 if hold 0");
	expect_err(TOP(",'timers':{'hold':9,'keepalive':0}"),
	    "timers.keepalive", "at least 1", "keepalive 0 with hold 9");
	expect_err(TOP(",'timers':{'connect_retry':0}"), "timers.connect_retry",
	    "not an integer from 1", "connect_retry 0 refused");
	expect_err(TOP(",'timers':{'hold':70000}"), "timers.hold",
	    "not an integer", "hold above 65535 refused");
}

/* A hub (NVA n1 at 10.1.2.4) and spoke s1; rts is the route_tables array. */
#define RT(rts) "{'name':'t','regions':[{'name':'r','hub':{" HUB_BASE	\
	",'route_server':{},'nvas':[" NVA1 "]},'spokes':[{'name':'s1',"	\
	"'address_space':['10.2.0.0/16'],"					\
	"'use_remote_gateways':true,'subnets':{'default':'10.2.1.0/24',"	\
	"'GatewaySubnet':'10.2.255.0/27'}}]}],'route_tables':" rts "}"
#define UDR_VA(pfx) "{'name':'r','prefix':'" pfx "','next_hop_type':"	\
	"'VirtualAppliance','next_hop_ip':'10.1.2.4'}"

static void
test_route_tables(void)
{
	struct topo_err err;
	struct topo *t;
	struct topo_vnet *sp;
	struct topo_route_table *rt;

	t = load_q(RT("[{'name':'spoke-rt','subnets':['s1/default'],"
	    "'disable_bgp_route_propagation':true,'routes':["
	    UDR_VA("10.3.0.0/16") ",{'name':'web','prefix':'0.0.0.0/0',"
	    "'next_hop_type':'Internet'},{'name':'drop','prefix':"
	    "'10.99.0.0/16','next_hop_type':'None'},{'name':'v',"
	    "'prefix':'10.2.9.0/24','next_hop_type':'VnetLocal'}]},"
	    "{'name':'empty'}]"), &err);
	T_OK(t != NULL, "VR-08: a route table with every allowed next hop type "
	    "loads");
	if (t == NULL) {
		printf("#   %s: %s\n", err.path, err.msg);
		return;
	}
	sp = topo_vnet_find(t, "s1");
	rt = t->rts[0];
	T_OK(t->nrts == 2 && rt->nroutes == 4 && rt->disable_bgp &&
	    strcmp(rt->name, "spoke-rt") == 0 && t->rts[1]->nroutes == 0 &&
	    t->rts[1]->nsubnets == 0, "route tables in file order, fields kept");
	T_OK(rt->nsubnets == 1 && rt->subnets[0] == sp->subnets[0] &&
	    sp->subnets[0]->rt == rt && sp->subnets[1]->rt == NULL,
	    "the subnet points at its route table, the others at none");
	T_OK(rt->routes[0].type == TOPO_UDR_VIRTUALAPPLIANCE &&
	    rt->routes[0].nh_ip == A("10.1.2.4") &&
	    rt->routes[1].type == TOPO_UDR_INTERNET && rt->routes[1].nh_ip == 0 &&
	    rt->routes[2].type == TOPO_UDR_NONE &&
	    rt->routes[3].type == TOPO_UDR_VNETLOCAL &&
	    strcmp(rt->routes[0].name, "r") == 0,
	    "VR-08: types and next hop kept");
	T_OK(strcmp(topo_udr_type_str(TOPO_UDR_VNG), "VirtualNetworkGateway")
	    == 0 && strcmp(topo_udr_type_str(TOPO_UDR_VNETLOCAL), "VnetLocal")
	    == 0, "VR-08: type strings as az spells them");
	topo_free(t);

	expect_err(RT("[{'name':'x','routes':[{'name':'r','prefix':"
	    "'10.3.0.0/16','next_hop_type':'VirtualAppliance'}]}]"),
	    "route_tables[0].routes[0].next_hop_ip", "VR-08",
	    "VR-08: VirtualAppliance without next_hop_ip refused");
	expect_err(RT("[{'name':'x','routes':[{'name':'r','prefix':"
	    "'0.0.0.0/0','next_hop_type':'Internet','next_hop_ip':'10.1.2.4'}]}]"),
	    "route_tables[0].routes[0].next_hop_ip", "takes none (VR-08)",
	    "VR-08: Internet with a next_hop_ip refused");
	expect_err(RT("[{'name':'x','routes':[{'name':'r','prefix':"
	    "'10.3.0.0/16','next_hop_type':'None','next_hop_ip':'10.1.2.4'}]}]"),
	    "route_tables[0].routes[0].next_hop_ip", "VR-08",
	    "VR-08: None with a next_hop_ip refused");
	expect_ok(RT("[{'name':'x','routes':[{'name':'r','prefix':"
	    "'10.3.0.0/16','next_hop_type':'VirtualNetworkGateway'}]}]"),
	    "VR-08: a VirtualNetworkGateway route in a route table on no "
	    "subnet loads (it sends nothing yet)");
	expect_err(RT("[{'name':'x','subnets':['s1/default'],'routes':[{'name':"
	    "'r','prefix':'10.3.0.0/16','next_hop_type':"
	    "'VirtualNetworkGateway'}]}]"),
	    "route_tables[0].routes[0].next_hop_type", "a Route Server is not "
	    "one", "GW-11, VR-08: a VirtualNetworkGateway route on a spoke whose "
	    "hub has only a Route Server is refused, saying why");
	expect_err(RT("[{'name':'x','subnets':['s1/default'],'routes':[{'name':"
	    "'r','prefix':'10.3.0.0/16','next_hop_type':"
	    "'VirtualNetworkGateway','next_hop_ip':'10.1.0.4'}]}]"),
	    "route_tables[0].routes[0].next_hop_ip", "takes none (VR-08)",
	    "VR-08: a VirtualNetworkGateway route takes no next_hop_ip");
	expect_err(RT("[{'name':'x','routes':[{'name':'r','prefix':"
	    "'10.3.0.0/16','next_hop_type':'VNetPeering'}]}]"),
	    "route_tables[0].routes[0].next_hop_type", "VNetPeering and",
	    "VR-08: VNetPeering cannot be a UDR next hop");
	expect_err(RT("[{'name':'x','routes':[{'name':'r','prefix':"
	    "'10.3.0.0/16','next_hop_type':'VirtualAppliance','next_hop_ip':"
	    "'127.0.0.1'}]}]"), "route_tables[0].routes[0].next_hop_ip",
	    "loopback", "VR-08: a loopback next hop refused");
	expect_err(RT("[{'name':'x','routes':[" UDR_VA("10.3.0.0/16") ","
	    "{'name':'r','prefix':'10.4.0.0/16','next_hop_type':'None'}]}]"),
	    "route_tables[0].routes[1].name", "already in route table",
	    "two routes of one name refused");
	expect_err(RT("[{'name':'x','routes':[" UDR_VA("10.3.0.0/16") ","
	    "{'name':'r2','prefix':'10.3.0.0/16','next_hop_type':'None'}]}]"),
	    "route_tables[0].routes[1].prefix", "one route per prefix",
	    "two routes for one prefix refused");
	expect_err(RT("[{'name':'x'},{'name':'x'}]"), "route_tables[1].name",
	    "already declared", "two route tables of one name refused");
	expect_err(RT("[{'name':'-x'}]"), "route_tables[0].name",
	    "not a valid route table name", "route table name checked");
	expect_err(RT("[{'name':'x','routes':[{'name':'r','prefix':"
	    "'10.3.0.0/16','next_hop_type':'None','metric':1}]}]"),
	    "route_tables[0].routes[0].metric", "unknown field",
	    "unknown UDR field refused");
	expect_err(RT("[{'name':'x','subnets':['hub/RouteServerSubnet']}]"),
	    "route_tables[0].subnets[0]", "(RS-03)",
	    "RS-03: no route table on RouteServerSubnet");
	expect_err(RT("[{'name':'x','disable_bgp_route_propagation':true,"
	    "'subnets':['s1/GatewaySubnet']}]"), "route_tables[0].subnets[0]",
	    "(VR-07)", "VR-07: disable_bgp_route_propagation refused on "
	    "GatewaySubnet");
	expect_ok(RT("[{'name':'x','subnets':['s1/GatewaySubnet']}]"),
	    "VR-07: a route table with propagation on is fine on GatewaySubnet");
	expect_err(RT("[{'name':'x','subnets':['s1/default']},{'name':'y',"
	    "'subnets':['s1/default']}]"), "route_tables[1].subnets[0]",
	    "already associated with route table \"x\"",
	    "a subnet is in at most one route table");
	expect_err(RT("[{'name':'x','subnets':['s1/default','s1/default']}]"),
	    "route_tables[0].subnets[1]", "already associated",
	    "a subnet listed twice in one table refused");
	expect_err(RT("[{'name':'x','subnets':['s1/nva']}]"),
	    "route_tables[0].subnets[0]", "names no subnet",
	    "an unknown subnet refused");
	expect_err(RT("[{'name':'x','subnets':['default']}]"),
	    "route_tables[0].subnets[0]", "vnet/subnet",
	    "a subnet without its VNet refused");
}

/* VR-12: 400 routes fit, the 401st is refused. */
static void
test_udr_limit(void)
{
	char *doc, *routes, *p;
	size_t i, len = 0, cap = 401 * 96;
	struct topo_err err;
	struct topo *t = NULL;

	routes = xcalloc(1, cap);
	for (i = 0; i < 401; i++)
		len += (size_t)snprintf(routes + len, cap - len, "%s{'name':"
		    "'r%zu','prefix':'10.%zu.%zu.0/24','next_hop_type':'None'}",
		    i ? "," : "", i, 100 + i / 256, i % 256);
	doc = xasprintf(RT("[{'name':'big','routes':[%s]}]"), routes);
	p = strrchr(doc, '{');		/* the last route: drop it */
	p[-1] = ']';
	p[0] = '}';
	p[1] = ']';
	p[2] = '}';
	p[3] = '\0';
	t = load_q(doc, &err);
	T_OK(t != NULL && t->rts[0]->nroutes == TOPO_UDR_MAX,
	    "VR-12: a route table with 400 routes loads");
	if (t == NULL)
		printf("#   %s: %s\n", err.path, err.msg);
	topo_free(t);
	free(doc);
	doc = xasprintf(RT("[{'name':'big','routes':[%s]}]"), routes);
	expect_err(doc, "route_tables[0].routes[400]", "(VR-12)",
	    "VR-12: the 401st route of a table is refused");
	free(doc);
	free(routes);
}

static void
test_warnings(void)
{
	struct topo_err err;
	struct topo *t;

	t = load_q(HUB(",'nvas':[{'name':'a','subnet':'nva','asn':1,"
	    "'peers':[1]}," NVA1 "]"), &err);
	T_OK(t != NULL && t->nwarnings == 1,
	    "RS-04, U-04: an NVA peering with one instance loads, with a warning");
	if (t != NULL && t->nwarnings == 1) {
		T_OK(strncmp(t->warnings[0], "regions[0].hub.nvas[0].peers: ",
		    strlen("regions[0].hub.nvas[0].peers: ")) == 0 && strstr(t->warnings[0], "(RS-04)") != NULL &&
		    strstr(t->warnings[0], "hub-rs0 lists no such peering") != NULL,
		    "RS-04: the warning names the path and the instance without "
		    "the peering");
		printf("#   %s\n", t->warnings[0]);
	}
	topo_free(t);
	t = load_q(HUB(",'nvas':[" NVA1 "]"), &err);
	T_OK(t != NULL && t->nwarnings == 0,
	    "RS-04: an NVA with both sessions gives no warning");
	topo_free(t);
	expect_err(HUB(",'vms':[{'name':'internet','subnet':'nva'}]"),
	    "regions[0].hub.vms[0].name", "reserved",
	    "node name internet is reserved (the lab's Internet edge)");
}

/* A hub with GatewaySubnet and gateways (gws, inside "gateways"), a spoke and a site. */
#define GWHUB(gws, site) "{'name':'t','regions':[{'name':'r','hub':{"	\
	"'name':'hub','address_space':['10.1.0.0/16'],'subnets':{"	\
	"'GatewaySubnet':'10.1.0.0/27','default':'10.1.2.0/24'},"	\
	"'gateways':[" gws "]},'spokes':[{" SPOKE_BASE			\
	",'use_remote_gateways':true}]}],'sites':[{" site "}]}"
#define ER_DC	"{'name':'er','type':'ExpressRoute','circuit':{'site':'dc'}}"
#define DC	"'name':'dc','asn':64512,'prefixes':['172.16.0.0/16']"

static void
test_gateways(void)
{
	struct topo_err err;
	struct topo *t;
	const struct topo_node *n;

	t = load_q(GWHUB(ER_DC, DC), &err);
	T_OK(t != NULL, "GW-01: an ExpressRoute gateway loads (%s)",
	    t ? "" : err.msg);
	if (t == NULL)
		return;
	T_EQ(t->ngws, 1, "one gateway");
	T_EQ(t->gws[0]->ninst, 2, "GW-01: two ER gateway instances");
	n = topo_node_find(t, "hub-er0");
	T_OK(n != NULL && n->kind == TOPO_GW && n->nic->ip == A("10.1.0.4"),
	    "instance 0 is hub-er0 at .4 of GatewaySubnet");
	n = topo_node_find(t, "hub-er1");
	T_OK(n != NULL && n->nic->ip == A("10.1.0.5"),
	    "instance 1 is hub-er1 at .5");
	n = topo_node_find(t, "hub-er-msee");
	T_OK(n != NULL && n->kind == TOPO_MSEE && n->nic == NULL,
	    "GW-01: the circuit's MSEE is a node off the fabric");
	T_EQ(t->ngwlinks, 3, "links: two instances to the MSEE, MSEE to the site");
	T_OK(t->gwlinks[0]->a_ip == A("169.254.21.1") &&
	    t->gwlinks[0]->b_ip == A("169.254.21.2") &&
	    t->gwlinks[2]->b == t->sites[0]->router,
	    "gateway links are /30s of 169.254.21.0/23; the last ends at dc-edge");
	T_EQ(topo_bgp_addr(t, topo_node_find(t, "hub-er-msee")),
	    A("169.254.21.2"), "the MSEE's BGP address is its first link's");
	T_EQ(t->sites[0]->asn, 64512, "the site's ASN");
	T_OK(t->nics[0]->node->kind == TOPO_GW, "gateway NICs come first "
	    "after Route Server's");
	topo_free(t);

	t = load_q(GWHUB("{'name':'vpn','type':'Vpn','tunnels':[{'site':'dc',"
	    "'bgp':false}],'active_active':false}", "'name':'dc',"
	    "'prefixes':['172.16.0.0/16']"), &err);
	T_OK(t != NULL && t->gws[0]->ninst == 1 && t->ngwlinks == 1 &&
	    !t->gwlinks[0]->bgp, "GW-03: an active-standby static VPN: one "
	    "instance, one tunnel without BGP, no site ASN needed");
	topo_free(t);

	expect_err(GWHUB(ER_DC, "'name':'dc','prefixes':['172.16.0.0/16']"),
	    "regions[0].hub.gateways[0].circuit.site", "has no \"asn\"",
	    "GW-01: a BGP connection needs the site's ASN");
	expect_err(GWHUB(ER_DC, "'name':'dc','asn':12076,"
	    "'prefixes':['172.16.0.0/16']"), "sites[0].asn", "GW-02",
	    "GW-02: the site cannot use the MSEE's ASN");
	expect_err(GWHUB(ER_DC, "'name':'dc','asn':65515,"
	    "'prefixes':['172.16.0.0/16']"), "sites[0].asn", "reserved",
	    "GW-02: the site cannot use 65515");
	expect_err(GWHUB("{'name':'er','type':'ExpressRoute','circuit':"
	    "{'site':'nosuch'}}", DC), "regions[0].hub.gateways[0].circuit.site",
	    "no site is named", "a circuit names an unknown site");
	expect_err(GWHUB("{'name':'er','type':'Bogus'}", DC),
	    "regions[0].hub.gateways[0].type", "ExpressRoute or Vpn",
	    "an unknown gateway type");
	expect_err(GWHUB(ER_DC "," ER_DC, DC),
	    "regions[0].hub.gateways[1].name", "already declared",
	    "two gateways of one name");
	expect_err("{'name':'t','regions':[{'name':'r','hub':{" HUB_BASE
	    ",'gateways':[" ER_DC "]}}],'sites':[{" DC "}]}",
	    "regions[0].hub.subnets", "GatewaySubnet is missing",
	    "a gateway needs GatewaySubnet");
	expect_err("{'name':'t','regions':[{'name':'r','hub':{"
	    "'name':'hub','address_space':['10.1.0.0/16'],'subnets':{"
	    "'GatewaySubnet':'10.1.0.0/27'},'vms':[{'name':'v',"
	    "'subnet':'GatewaySubnet'}]}}]}",
	    "regions[0].hub.vms[0].subnet", "belongs to the gateways",
	    "GatewaySubnet holds no VM");
}

/*
 * GW-11: hub gateways gws, spoke s1 (its extra fields), site dc, and the
 * route_tables array rts; VNG is a VirtualNetworkGateway route.
 */
#define GWRT(gws, spoke, rts) "{'name':'t','regions':[{'name':'r','hub':{"	\
	"'name':'hub','address_space':['10.1.0.0/16'],'subnets':{"	\
	"'GatewaySubnet':'10.1.0.0/27','default':'10.1.2.0/24'},"	\
	"'gateways':[" gws "]},'spokes':[{" SPOKE_BASE spoke "}]}],"	\
	"'sites':[{" DC "}],'route_tables':" rts "}"
#define VPN_DC	"{'name':'vpn','type':'Vpn','tunnels':[{'site':'dc'}]}"
#define VNG(pfx) "{'name':'fwd','prefix':'" pfx "','next_hop_type':"	\
	"'VirtualNetworkGateway'}"
#define GWRT_ON(subnets, pfx) "[{'name':'rt','subnets':[" subnets "],"	\
	"'routes':[" VNG(pfx) "]}]"

static void
test_udr_gateway(void)
{
	struct topo_err err;
	struct topo *t;

	t = load_q(GWRT(VPN_DC, ",'use_remote_gateways':true",
	    GWRT_ON("'s1/default','hub/default'", "0.0.0.0/0")), &err);
	T_OK(t != NULL, "GW-11, VR-08: a VirtualNetworkGateway route on a "
	    "spoke using the hub's VPN gateway, and on the hub, loads (%s)",
	    t ? "" : err.msg);
	if (t != NULL) {
		T_OK(t->rts[0]->routes[0].type == TOPO_UDR_VNG &&
		    topo_udr_gateway(topo_vnet_find(t, "s1")) == t->gws[0] &&
		    topo_udr_gateway(topo_vnet_find(t, "hub")) == t->gws[0],
		    "GW-11: both send to the hub's VPN gateway");
		topo_free(t);
	}
	expect_err(GWRT(ER_DC "," VPN_DC, ",'use_remote_gateways':true",
	    GWRT_ON("'s1/default'", "172.16.0.0/16")),
	    "route_tables[0].routes[0].next_hop_type", "which coexists with "
	    "ExpressRoute gateway \"er\": a VirtualNetworkGateway next hop "
	    "cannot be used where VPN and ExpressRoute connections coexist "
	    "(GW-12)", "GW-12: a VirtualNetworkGateway route in a spoke whose "
	    "hub has ExpressRoute and VPN gateways side by side is refused");
	expect_err(GWRT(ER_DC "," VPN_DC, "", GWRT_ON("'hub/default'",
	    "172.16.0.0/16")), "route_tables[0].routes[0].next_hop_type",
	    "(GW-12)", "GW-12: and so is one in the hub's own subnet");
	expect_err(GWRT(ER_DC, ",'use_remote_gateways':true",
	    GWRT_ON("'s1/default'", "0.0.0.0/0")),
	    "route_tables[0].routes[0].next_hop_type", "cannot target an "
	    "ExpressRoute gateway", "GW-11: a spoke's VirtualNetworkGateway "
	    "route cannot target the hub's ExpressRoute gateway");
	expect_err(GWRT(ER_DC, "", GWRT_ON("'hub/default'", "10.9.0.0/16")),
	    "route_tables[0].routes[0].next_hop_type", "(GW-11, VR-08)",
	    "GW-11: nor can the hub's own subnet's");
	expect_err(GWRT(VPN_DC, "", GWRT_ON("'hub/default','s1/default'",
	    "0.0.0.0/0")), "route_tables[0].routes[0].next_hop_type",
	    "subnet s1/default has no gateway to send to: spoke \"s1\" does "
	    "not set use_remote_gateways", "GW-11, PE-03: a spoke that does "
	    "not use the hub's gateway has none to send to");
	expect_err(GWRT(VPN_DC, ",'peered':false",
	    GWRT_ON("'s1/default'", "0.0.0.0/0")),
	    "route_tables[0].routes[0].next_hop_type", "is peered with no hub",
	    "GW-11: a VNet with no gateway and no hub has none to send to");
}

#define TWOHUBS(hubextra, top) "{'name':'t','regions':[{'name':'a','hub':{" \
	"'name':'ha','address_space':['10.1.0.0/16'],'subnets':{"	\
	"'RouteServerSubnet':'10.1.1.0/27','nva':'10.1.2.0/24'},"	\
	"'route_server':{}," hubextra "'nvas':[{'name':'na','subnet':'nva',"	\
	"'asn':65001}]}},{'name':'b','hub':{'name':'hb','address_space':"	\
	"['10.11.0.0/16'],'subnets':{'RouteServerSubnet':'10.11.1.0/27',"	\
	"'nva':'10.11.2.0/24'},'route_server':{},'nvas':[{'name':'nb',"	\
	"'subnet':'nva','asn':65002}]}}]" top "}"

/*
 * PE-06: hubs ha (NVA na) and hb (NVA nb); spoke sd in region a with its
 * own Route Server, peered with ha (its region's) and with hb.
 * na: its extra fields; sd: the spoke's.
 */
#define DH(na, sd) "{'name':'t','timers':{'hold':9,'keepalive':3},"	\
	"'regions':[{'name':'a','hub':{"					\
	"'name':'ha','address_space':['10.1.0.0/16'],'subnets':{"	\
	"'RouteServerSubnet':'10.1.1.0/27','nva':'10.1.2.0/24'},"	\
	"'route_server':{},'nvas':[{'name':'na','subnet':'nva',"	\
	"'asn':65001" na "}]},'spokes':[{'name':'sd','address_space':"	\
	"['10.5.0.0/16'],'subnets':{'RouteServerSubnet':'10.5.0.0/27',"	\
	"'default':'10.5.1.0/24'},'route_server':{}" sd "}]},"		\
	"{'name':'b','hub':{'name':'hb','address_space':['10.11.0.0/16'],"	\
	"'subnets':{'RouteServerSubnet':'10.11.1.0/27','nva':'10.11.2.0/24'},"	\
	"'route_server':{},'nvas':[{'name':'nb','subnet':'nva','asn':65002,"	\
	"'route_servers':['sd'],'as_override':true}]}}]}"

static void
test_dual_homed(void)
{
	struct topo_vnet *sd, *ha, *hb;
	struct topo_err err;
	struct topo_nva *na;
	struct topo *t;

	t = load_q(DH(",'route_servers':['sd'],'as_override':true",
	    ",'peerings':['hb']"), &err);
	if (!T_OK(t != NULL, "PE-06: a dual-homed spoke with its own Route "
	    "Server loads (%s)", t ? "" : err.msg))
		return;
	sd = topo_vnet_find(t, "sd");
	ha = topo_vnet_find(t, "ha");
	hb = topo_vnet_find(t, "hb");
	na = topo_node_find(t, "na")->nva;
	T_OK(sd->rs != NULL && sd->rs->vnet == sd && t->nrss == 3 &&
	    sd->rs->ip[0] == A("10.5.0.4") && sd->rs->ip[1] == A("10.5.0.5") &&
	    topo_node_find(t, "sd-rs0") != NULL, "PE-06, RS-02: the spoke's "
	    "Route Server, two instances at .4 and .5 of its RouteServerSubnet");
	T_OK(sd->peer_hub == ha && sd->nxhubs == 1 && sd->xhubs[0] == hb &&
	    hb->nxspokes == 1 && hb->xspokes[0] == sd && hb->nspokes == 0,
	    "PE-06: peered with its region's hub and, by \"peerings\", with hb");
	T_OK(topo_vnets_peered(sd, hb) && topo_vnets_peered(hb, sd) &&
	    topo_vnets_peered(sd, ha) && !topo_vnets_peered(ha, hb),
	    "PE-01: the peerings are direct, and nothing joins ha and hb");
	T_OK(na->nxrs == 1 && na->xrs[0] == sd->rs && na->as_override &&
	    topo_nva_peers_rs(na, ha->rs) && topo_nva_peers_rs(na, sd->rs) &&
	    !topo_nva_peers_rs(na, hb->rs), "RS-08: NVA na peers with its "
	    "hub's Route Server and, across the peering, the spoke's");
	topo_lint(t);
	T_EQ(t->nwarnings, 0u, "PE-06 with as_override: no warning, the spoke's "
	    "Route Server joins the hubs (RS-52) (%s)",
	    t->nwarnings ? t->warnings[0] : "");
	topo_free(t);
	t = load_q(DH(",'route_servers':['sd']", ",'peerings':['hb']"), &err);
	if (t != NULL)
		topo_lint(t);
	T_OK(t != NULL && t->nwarnings == 2 && strstr(t->warnings[0],
	    "PE-06") != NULL && strstr(t->warnings[0], "as_override") != NULL &&
	    strstr(t->warnings[1], "RS-52") != NULL,
	    "PE-06/RS-20: without as_override, a warning, and the hubs are not "
	    "joined (RS-52) (%s)", t && t->nwarnings ? t->warnings[0] : "none");
	topo_free(t);
	expect_err(DH(",'route_servers':['sd']", ""),
	    "regions[1].hub.nvas[0].route_servers[0]", "RS-08",
	    "RS-08: a Route Server across no peering is refused");
	expect_err(DH(",'route_servers':['hb']", ",'peerings':['hb']"),
	    "regions[0].hub.nvas[0].route_servers[0]", "is not peered",
	    "RS-08: hubs not peered with each other");
	expect_err(DH(",'route_servers':['nosuch']", ",'peerings':['hb']"),
	    "regions[0].hub.nvas[0].route_servers[0]", "no VNet is named",
	    "an NVA names an unknown VNet's Route Server");
	expect_err(DH(",'route_servers':['ha']", ",'peerings':['hb']"),
	    "regions[0].hub.nvas[0].route_servers[0]", "own VNet",
	    "an NVA's own hub is not named in route_servers");
	expect_err(DH(",'route_servers':['sd','sd']", ",'peerings':['hb']"),
	    "regions[0].hub.nvas[0].route_servers[1]", "listed twice",
	    "a Route Server named twice");
	expect_err(DH("", ",'peerings':['ha']"),
	    "regions[0].spokes[0].peerings[0]", "already peered",
	    "PE-06: a spoke's peerings do not repeat its region's hub");
	expect_err(DH("", ",'peerings':['sd']"),
	    "regions[0].spokes[0].peerings[0]", "cannot peer with itself",
	    "PE-01: a spoke cannot peer with itself");
	expect_err(DH("", ",'peerings':['hb','hb']"),
	    "regions[0].spokes[0].peerings[1]", "listed twice",
	    "a hub named twice in peerings");
	expect_err(DH("", ",'peerings':['hb'],'use_remote_gateways':true"),
	    "regions[0].spokes[0].use_remote_gateways", "PE-06",
	    "PE-03, PE-06: a spoke with its own Route Server uses no remote one");
	expect_err("{'name':'t','regions':[{'name':'a','hub':{'name':'ha',"
	    "'address_space':['10.1.0.0/16'],'subnets':{'RouteServerSubnet':"
	    "'10.1.1.0/27','nva':'10.1.2.0/24'},'route_server':{},'nvas':["
	    "{'name':'n1','subnet':'nva','asn':65001,'route_servers':['sd']},"
	    "{'name':'n2','subnet':'nva','asn':65002,'route_servers':['sd']}]},"
	    "'spokes':[{'name':'sd','address_space':['10.5.0.0/16'],'subnets':"
	    "{'RouteServerSubnet':'10.5.0.0/27'},'route_server':{'max_peers':1}"
	    "}]}]}", "regions[0].hub.nvas[1]", "RS-07",
	    "RS-07: NVAs across a peering count against the spoke Route "
	    "Server's peers");
	expect_err("{'name':'t','regions':[{'name':'a','hub':{'name':'ha',"
	    "'address_space':['10.1.0.0/16'],'subnets':{'nva':'10.1.2.0/24'}},"
	    "'spokes':[{'name':'sd','address_space':['10.1.128.0/17'],"
	    "'subnets':{'x':'10.1.128.0/24'}}]},{'name':'b','hub':{'name':'hb',"
	    "'address_space':['10.5.0.0/16'],'subnets':{'x':'10.5.1.0/24'}},"
	    "'spokes':[{'name':'s2','address_space':['10.11.0.0/16'],"
	    "'peered':false,'peerings':['ha'],'subnets':{'x':'10.11.1.0/24'}}]"
	    "}]}", "regions[0].spokes[0].address_space[0]", "PE-05",
	    "PE-05: peered address spaces must not overlap");
}

static void
test_regions(void)
{
	struct topo_err err;
	struct topo *t;

	t = load_q(TWOHUBS("'peerings':['hb'],", ",'overlays':[{'nvas':"
	    "['na','nb']}]"), &err);
	T_OK(t != NULL, "RS-52: two hubs peered, an overlay between their NVAs "
	    "(%s)", t ? "" : err.msg);
	if (t == NULL)
		return;
	T_OK(topo_vnet_find(t, "ha")->nhub_peers == 1 &&
	    topo_vnet_find(t, "hb")->hub_peers[0] == topo_vnet_find(t, "ha"),
	    "PE-04: hub peering goes both ways");
	T_OK(t->ngwlinks == 1 && t->gwlinks[0]->conn == NULL &&
	    t->gwlinks[0]->as_override && t->gwlinks[0]->bgp,
	    "RS-52: the overlay is a BGP link with as-override by default");
	topo_free(t);
	t = load_q("{'name':'t','regions':[{'name':'r','hub':{" HUB_BASE
	    ",'route_server':{}},'spokes':[{" SPOKE_BASE ",'region':'far',"
	    "'use_remote_gateways':true}]},{'name':'far'}]}", &err);
	T_OK(t != NULL && topo_vnet_find(t, "s1")->region == t->regions[1] &&
	    topo_vnet_find(t, "s1")->peer_hub == topo_vnet_find(t, "hub") &&
	    topo_vnet_find(t, "hub")->nspokes == 1, "U-10, PE-04: a spoke "
	    "listed under its hub may live in a later region, still peered "
	    "with that hub (%s)", t ? "" : err.msg);
	topo_free(t);
	expect_err(SPOKE("", SPOKE_BASE ",'region':'nowhere'"),
	    "regions[0].spokes[0].region", "no region is named \"nowhere\"",
	    "U-10: a spoke's region must be a region of the file");
	expect_err(SPOKE("", SPOKE_BASE ",'region':7"),
	    "regions[0].spokes[0].region", "string", "U-10: a spoke's region "
	    "is a string");
	expect_err(TWOHUBS("'peerings':['nosuch'],", ""),
	    "regions[0].hub.peerings[0]", "no hub is named",
	    "a peering names an unknown hub");
	expect_err(TWOHUBS("", ",'overlays':[{'nvas':['na']}]"),
	    "overlays[0].nvas", "exactly two NVAs", "an overlay of one NVA");
	expect_err(TWOHUBS("", ",'overlays':[{'nvas':['na','zz']}]"),
	    "overlays[0].nvas[1]", "no NVA is named", "an overlay to no NVA");
}

/* An NVA's MD5 key and forwarding filter (parse_filter.c). */
#define NVASEC(x) HUB(",'nvas':[{'name':'n1','subnet':'nva','asn':65001" x "}]")
static void
test_nva_security(void)
{
	struct topo_err err;
	struct topo *t;

	expect_err(NVASEC(",'md5':''"), "regions[0].hub.nvas[0].md5",
	    "1 to 79 characters", "empty MD5 key");
	expect_err(NVASEC(",'md5':'a\\tb'"), "regions[0].hub.nvas[0].md5",
	    "printable ASCII", "MD5 key with a tab");
	expect_err(NVASEC(",'filter':[{'action':'drop'}]"),
	    "regions[0].hub.nvas[0].filter[0].action", "not an action",
	    "filter action other than deny/allow");
	expect_err(NVASEC(",'filter':[{'action':'deny','proto':'gre'}]"),
	    "regions[0].hub.nvas[0].filter[0].proto", "not a protocol",
	    "filter protocol unknown");
	expect_err(NVASEC(",'filter':[{'action':'deny','proto':'icmp','port':22}]"),
	    "regions[0].hub.nvas[0].filter[0].port", "needs \"proto\"",
	    "a port on an ICMP rule");
	expect_err(NVASEC(",'filter':[{'action':'deny','port':0,'proto':'tcp'}]"),
	    "regions[0].hub.nvas[0].filter[0].port", "",
	    "port 0");
	expect_err(NVASEC(",'filter':[{'action':'deny','dst':'10.2.0.0/33'}]"),
	    "regions[0].hub.nvas[0].filter[0].dst", "", "bad filter prefix");
	expect_err(NVASEC(",'filter':[5]"), "regions[0].hub.nvas[0].filter[0]",
	    "must be an object", "filter rule not an object");
	t = load_q(NVASEC(",'md5':'k:1','filter':[{'action':'deny','proto':"
	    "'tcp','port':22,'dst':'10.2.0.0/16'},{'action':'allow',"
	    "'src':'10.1.0.0/16'}]"), &err);
	T_OK(t != NULL, "NVA with md5 and a filter loads: %s",
	    t ? "" : err.msg);
	if (t != NULL) {
		const struct topo_nva *n = t->nvas[0];

		T_OK(n->md5 != NULL && strcmp(n->md5, "k:1") == 0, "md5 kept");
		T_EQ(n->nfilters, 2, "two filter rules");
		T_OK(n->filters[0].deny && n->filters[0].proto == TOPO_PROTO_TCP &&
		    n->filters[0].port == 22 && n->filters[0].dst.len == 16 &&
		    n->filters[0].src.len == 0, "rule 0: deny tcp/22 to 10.2/16");
		T_OK(!n->filters[1].deny && n->filters[1].src.len == 16 &&
		    n->filters[1].proto == TOPO_PROTO_ANY, "rule 1: allow from 10.1/16");
		topo_free(t);
	}
}

/*
 * Issue 8's corpus, continued: one bad topology per error not covered above,
 * and an NVA's "role" (a server: a BGP speaker whose NIC does not forward).
 */
static void
test_corpus_more(void)
{
	struct topo_err err;
	struct topo *t;

	expect_err("{'name':'t' 'regions':[]}", "", "",
	    "malformed JSON: a missing comma");
	expect_err("{'name':'t','regions':[{'name':'r'}],}", "", "",
	    "malformed JSON: a trailing comma");
	expect_err(NVASEC(",'role':'router'"), "regions[0].hub.nvas[0].role",
	    "not a role", "an NVA role other than nva/server");
	expect_err(NVASEC(",'role':1"), "regions[0].hub.nvas[0].role", "",
	    "wrong type: role is a number");
	expect_err(NVASEC(",'md5':'" "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789'"),
	    "regions[0].hub.nvas[0].md5", "1 to 79 characters",
	    "an 80-character MD5 key (the kernel takes 80 with its NUL)");
	expect_err(NVASEC(",'filter':[{'action':'deny','to':'10.2.0.0/16'}]"),
	    "regions[0].hub.nvas[0].filter[0].to", "",
	    "unknown field in a filter rule");
	expect_err("{'name':'t','regions':[{'name':'r','hub':{'name':'hub',"
	    "'address_space':['10.1.0.0/16'],'subnets':{'routeserversubnet':"
	    "'10.1.1.0/27'},'route_server':{}}}]}", "regions[0].hub.subnets",
	    "RouteServerSubnet is missing", "RS-03: RouteServerSubnet misnamed "
	    "(case matters)");
	expect_err(NVASEC(",'name':'fw'"), "regions[0].hub.nvas[0].name", "",
	    "duplicate field: an NVA's name twice");
	expect_err(HUB(",'nvas':[{'name':'fw.1','subnet':'nva','asn':65001}]"),
	    "regions[0].hub.nvas[0].name", "", "bad name: a dot cannot go into "
	    "a namespace name");
	expect_err(TWOHUBS("", ",'overlays':[{'nvas':['na','na']}]"),
	    "overlays[0].nvas", "both NVAs are in hub", "RS-52: an overlay "
	    "inside one hub");
	expect_err(TWOHUBS("", ",'overlays':[{'nvas':['na','nb'],'ttl':2}]"),
	    "overlays[0].ttl", "", "unknown overlay field");
	expect_err(TWOHUBS("'peerings':['ha'],", ""), "regions[0].hub.peerings[0]",
	    "does not peer with itself", "a hub peering with itself");
	expect_err(GWHUB("{'name':'er','type':'ExpressRoute','tunnels':[]}", DC),
	    "regions[0].hub.gateways[0]", "not \"tunnels\"",
	    "an ExpressRoute gateway with tunnels");
	expect_err(GWHUB("{'name':'vpn','type':'Vpn','tunnels':[{'site':'dc',"
	    "'bgp':true,'weight':10}]}", DC),
	    "regions[0].hub.gateways[0].tunnels[0].weight", "unknown field",
	    "GW-06: routing weight is for ExpressRoute connections only");
	expect_err(GWHUB("{'name':'vpn','type':'Vpn','circuit':{'site':'dc'}}",
	    DC), "regions[0].hub.gateways[0]", "not a \"circuit\"",
	    "a VPN gateway with a circuit");
	expect_err("{'name':'t','regions':[{'name':'r','hub':{'name':'hub',"
	    "'address_space':['10.1.0.0/16'],'subnets':{'GatewaySubnet':"
	    "'10.1.0.0/28'},'gateways':[" ER_DC "]}}],'sites':[{" DC "}]}",
	    "regions[0].hub.subnets.GatewaySubnet", "too small for gateways",
	    "GatewaySubnet /28 refused");
	t = load_q(NVASEC(",'role':'server'"), &err);
	T_OK(t != NULL && !t->nvas[0]->node->nic->ip_forwarding,
	    "role server: a BGP speaker whose NIC does not forward");
	topo_free(t);
	t = load_q(NVASEC(""), &err);
	T_OK(t != NULL && t->nvas[0]->node->nic->ip_forwarding,
	    "role nva (default): IP forwarding on");
	topo_free(t);
}

/* RS-41: documents built in a loop, too large to write out. */
struct gen {
	char	*s;
	size_t	 len, cap;
};

static void __attribute__((format(printf, 2, 3)))
gen(struct gen *g, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	xgrow(&g->s, &g->cap, g->len + (size_t)n + 1, 1);
	va_start(ap, fmt);
	vsnprintf(g->s + g->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	g->len += (size_t)n;
}

/* A hub with a Route Server (rs: its fields), nspokes /24 spokes, nvms VMs
 * in one more spoke, and nsite /24 prefixes in sites behind NVA n1. */
static struct topo *
limits_doc(const char *rs, unsigned nspokes, unsigned nvms, unsigned nsite,
    struct topo_err *err)
{
	struct gen g = { 0 };
	struct topo *t = NULL;
	unsigned i;

	gen(&g, "{\"name\":\"t\",\"regions\":[{\"name\":\"r\",\"hub\":{\"name\":"
	    "\"hub\",\"address_space\":[\"10.1.0.0/16\"],\"subnets\":{"
	    "\"RouteServerSubnet\":\"10.1.1.0/27\",\"nva\":\"10.1.2.0/24\"},"
	    "\"route_server\":{%s},\"nvas\":[{\"name\":\"n1\",\"subnet\":\"nva\","
	    "\"asn\":65001}]},\"spokes\":[{\"name\":\"big\",\"address_space\":"
	    "[\"10.2.0.0/16\"],\"subnets\":{\"default\":\"10.2.0.0/20\"},"
	    "\"vms\":[", rs);
	for (i = 0; i < nvms; i++)
		gen(&g, "%s{\"name\":\"v%u\",\"subnet\":\"default\"}", i ? "," : "",
		    i);
	gen(&g, "]}");
	for (i = 0; i < nspokes; i++)
		gen(&g, ",{\"name\":\"s%u\",\"address_space\":[\"10.%u.%u.0/24\"],"
		    "\"subnets\":{\"default\":\"10.%u.%u.0/24\"}}", i, 3 + i / 256,
		    i % 256, 3 + i / 256, i % 256);
	gen(&g, "]}]");
	/* sites of at most 2,500 prefixes each (a site takes 4,096) */
	for (i = 0; i < nsite; i++) {
		if (i % 2500 == 0)
			gen(&g, "%s{\"name\":\"br%u\",\"nvas\":[\"n1\"],"
			    "\"prefixes\":[", i ? "]}," : ",\"sites\":[", i / 2500);
		gen(&g, "%s\"20.%u.%u.0/24\"", i % 2500 ? "," : "", i / 256,
		    i % 256);
	}
	if (nsite > 0)
		gen(&g, "]}]");
	gen(&g, "}");
	if (topo_load_string(g.s, g.len, &t, err) == -1)
		t = NULL;
	free(g.s);
	return t;
}

static void
test_rs_limits(void)
{
	struct topo_err err;
	struct topo *t;

	t = limits_doc("", 498, 0, 0, &err);
	T_OK(t != NULL, "RS-41: 500 VNets (hub, 499 spokes) are served: %s",
	    t ? "" : err.msg);
	topo_free(t);
	t = limits_doc("", 499, 0, 0, &err);
	T_OK(t == NULL && strcmp(err.path, "regions[0].hub.route_server") == 0 &&
	    strstr(err.msg, "serves 501 VNets") != NULL &&
	    strstr(err.msg, "RS-41") != NULL,
	    "RS-41: 501 VNets are refused at the route_server (%s)", err.msg);
	t = limits_doc("", 0, 4000, 0, &err);
	T_OK(t != NULL, "RS-41, D-03: 4,000 VMs at 2 routing units: %s",
	    t ? "" : err.msg);
	topo_free(t);
	t = limits_doc("", 0, 4001, 0, &err);
	T_OK(t == NULL && strstr(err.msg, "serves 4001 VMs") != NULL &&
	    strstr(err.msg, "at most 4000") != NULL,
	    "RS-41: 4,001 VMs are refused at 2 units (%s)", err.msg);
	t = limits_doc("\"routing_units\":3", 0, 4001, 0, &err);
	T_OK(t != NULL, "RS-41, D-03: 4,001 VMs with 3 routing units (5,000): %s",
	    t ? "" : err.msg);
	topo_free(t);
	expect_err(HUBRS("'routing_units':49", ""),
	    "regions[0].hub.route_server.routing_units", "",
	    "RS-41: routing_units above 48");
	t = limits_doc("", 0, 0, 9998, &err);
	T_OK(t != NULL, "RS-41: 10,000 prefixes (2 VNets, 9,998 on-premises): %s",
	    t ? "" : err.msg);
	topo_free(t);
	t = limits_doc("", 0, 0, 9999, &err);
	T_OK(t == NULL && strstr(err.msg, "10001 on-premises and VNet prefixes")
	    != NULL, "RS-41: 10,001 prefixes are refused (%s)", err.msg);
}

static int
int_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return x < y ? -1 : x > y;
}

/* The sort-based duplicate check gives what comparing every pair gave. */
static void
test_first_dup(void)
{
	int none[] = { 5, 3, 9, 1 }, one[] = { 7, 2, 7 };
	int many[] = { 4, 8, 6, 8, 4, 6, 4 };
	size_t first = 99;

	T_EQ(topo_first_dup(none, 4, sizeof(int), int_cmp, &first), 4,
	    "first_dup: no repeat gives n");
	T_EQ(first, 99, "first_dup: *first untouched without a repeat");
	T_EQ(topo_first_dup(none, 0, sizeof(int), int_cmp, &first), 0,
	    "first_dup: empty array");
	T_EQ(topo_first_dup(one, 3, sizeof(int), int_cmp, &first), 2,
	    "first_dup: the repeat at index 2");
	T_EQ(first, 0, "first_dup: repeats index 0");
	/* 8 repeats at 3, before 4 repeats at 4 and 6 at 5 */
	T_EQ(topo_first_dup(many, 7, sizeof(int), int_cmp, &first), 3,
	    "first_dup: the lowest index that repeats an earlier one");
	T_EQ(first, 1, "first_dup: names the earliest equal element");
}

/* topo_nic_by_ip through the index made at addressing, and without it. */
static void
test_nic_by_ip(void)
{
	struct topo *t = NULL;
	struct topo_err err;
	size_t i;
	bool all = true;

	T_EQ(topo_load_file("examples/active-active.json", &t, &err), 0,
	    "load active-active.json");
	T_OK(t != NULL && t->nics_by_ip != NULL, "addressing makes the IP index");
	for (i = 0; t != NULL && i < t->nnics; i++)
		all &= topo_nic_by_ip(t, t->nics[i]->ip) == t->nics[i];
	T_OK(all, "every NIC found by its address");
	T_OK(t != NULL && topo_nic_by_ip(t, 0x01020304) == NULL,
	    "an address no NIC has: NULL");
	topo_free(t);
}

/* GW-08: a VNet's custom community and its region's. */
static void
test_vnet_community(void)
{
	struct topo_err err;
	struct topo *t;

	t = load_q(SPOKE("", SPOKE_BASE ",'bgp_community':'12076:20001'"), &err);
	T_OK(t != NULL && t->vnets[1]->bgp_community == (12076u << 16 | 20001u),
	    "GW-08: a spoke's bgp_community is read");
	T_OK(t != NULL && t->vnets[0]->bgp_community == 0,
	    "GW-08: none by default");
	T_EQ(t != NULL ? t->regions[0]->community : 1, 0,
	    "GW-08: a region name Azure does not have: no regional community");
	topo_free(t);
	expect_err(SPOKE("", SPOKE_BASE ",'bgp_community':'12076:50024'"),
	    "regions[0].spokes[0].bgp_community", "12076:20000 to 12076:49999",
	    "GW-08: a VNet community outside 12076:20000-49999 refused");
	expect_err(HUB(",'bgp_community':'65000:20001'"),
	    "regions[0].hub.bgp_community", "12076:20000 to 12076:49999",
	    "GW-08: a VNet community of another AS refused");
	expect_err(HUB(",'bgp_community':'12076'"),
	    "regions[0].hub.bgp_community", "is not a community",
	    "GW-08: a malformed community refused");
	T_EQ(topo_region_community("uksouth"), 12076u << 16 | 50024u,
	    "GW-08: uksouth is 12076:50024 (private peering)");
	T_EQ(topo_region_community("westeurope"), 12076u << 16 | 50002u,
	    "GW-08: westeurope is 12076:50002");
	T_EQ(topo_region_community("eastus"), 12076u << 16 | 50004u,
	    "GW-08: eastus is 12076:50004");
	T_EQ(topo_region_community("Mars"), 0, "GW-08: unknown region: 0");
}

/* RS-35, GW-09: an ExpressRoute gateway over several circuits. */
#define ER_2C(w1, w2) "{'name':'er','type':'ExpressRoute','circuits':["	\
	"{'site':'dc','weight':" w1 "},{'site':'dc','weight':" w2 ",'bfd':false}]}"

static void
test_er_circuits(void)
{
	struct topo_err err;
	struct topo *t;
	const struct topo_node *m1, *m2, *edge;
	size_t i, nedge = 0;

	t = load_q(GWHUB(ER_2C("0", "0"), DC), &err);
	if (!T_OK(t != NULL, "RS-35: a gateway with two circuits to one site "
	    "loads (%s)", t ? "" : err.msg))
		return;
	T_EQ(t->gws[0]->nconns, 2, "two circuits, two connections");
	m1 = topo_node_find(t, "hub-er-msee");
	m2 = topo_node_find(t, "hub-er-msee2");
	T_OK(m1 != NULL && m2 != NULL && m1->kind == TOPO_MSEE &&
	    m2->kind == TOPO_MSEE && m2->gw == t->gws[0] && m2->nic == NULL,
	    "RS-35: each circuit has its MSEE: hub-er-msee, hub-er-msee2");
	T_OK(t->gws[0]->msee == m1 && t->gws[0]->conns[0]->msee == m1 &&
	    t->gws[0]->conns[1]->msee == m2, "the gateway's msee is the first "
	    "circuit's; each connection names its own");
	T_EQ(t->ngwlinks, 6, "links: per circuit two to the instances, one to "
	    "the edge");
	edge = t->sites[0]->router;
	for (i = 0; i < t->ngwlinks; i++)
		nedge += t->gwlinks[i]->b == edge;
	T_EQ(nedge, 2, "the site's edge has one link per circuit");
	T_EQ(t->sites[0]->nconns, 2, "the site has both connections");
	T_OK(t->gwlinks[3]->a == t->gws[0]->inst[0] && t->gwlinks[3]->b == m2 &&
	    t->gwlinks[3]->a_ip == A("169.254.21.13") &&
	    t->gwlinks[5]->b_ip == A("169.254.21.22"),
	    "the second circuit's links follow in the same /23");
	T_OK(topo_bgp_addr(t, m1) < topo_bgp_addr(t, m2), "RS-35: the first "
	    "circuit's MSEE has the lower BGP identifier");
	T_OK(t->gws[0]->conns[0]->bfd && !t->gws[0]->conns[1]->bfd,
	    "GW-10: bfd is per circuit");
	T_EQ(t->nwarnings, 0, "GW-09: equal weights warn of nothing");
	topo_free(t);

	t = load_q(GWHUB(ER_2C("10", "20"), DC), &err);
	T_OK(t != NULL && t->gws[0]->conns[0]->weight == 10 &&
	    t->gws[0]->conns[1]->weight == 20 && t->nwarnings == 0,
	    "GW-09: each circuit keeps its weight, compared between them "
	    "(no warning)");
	topo_free(t);

	t = load_q(GWHUB("{'name':'er','type':'ExpressRoute','circuits':["
	    "{'site':'dc','sku':'Premium'},{'site':'dc','sku':'Local'},"
	    "{'site':'dc','sku':'Standard'},{'site':'dc'}]}", DC), &err);
	T_OK(t != NULL && t->gws[0]->conns[0]->premium &&
	    !t->gws[0]->conns[1]->premium && !t->gws[0]->conns[2]->premium &&
	    !t->gws[0]->conns[3]->premium, "GW-07: \"sku\": Premium marks "
	    "that circuit only; Local, Standard and none are Standard's limit");
	T_OK(t != NULL && topo_conn_route_limit(t->gws[0]->conns[0]) == 10000 &&
	    topo_conn_route_limit(t->gws[0]->conns[3]) == 4000,
	    "GW-07: 10,000 prefixes on Premium, 4,000 otherwise");
	topo_free(t);

	expect_err(GWHUB("{'name':'er','type':'ExpressRoute','circuit':"
	    "{'site':'dc'},'circuits':[{'site':'dc'},{'site':'dc'}]}", DC),
	    "regions[0].hub.gateways[0].circuits", "not both",
	    "RS-35: \"circuit\" and \"circuits\" together are refused");
	expect_err(GWHUB("{'name':'er','type':'ExpressRoute','circuits':"
	    "[{'site':'dc'}]}", DC), "regions[0].hub.gateways[0].circuits",
	    "two or more", "RS-35: \"circuits\" with one circuit is refused");
	expect_err(GWHUB("{'name':'er','type':'ExpressRoute','circuits':{}}",
	    DC), "regions[0].hub.gateways[0].circuits", "must be an array",
	    "\"circuits\" is an array");
	expect_err(GWHUB("{'name':'er','type':'ExpressRoute','circuits':"
	    "[{'site':'dc'},{'site':'nosuch'}]}", DC),
	    "regions[0].hub.gateways[0].circuits[1].site", "no site is named",
	    "a second circuit names an unknown site, by its path");
	expect_err(GWHUB("{'name':'er','type':'ExpressRoute','circuits':"
	    "[{'site':'dc'},{'site':'dc','speed':1}]}", DC),
	    "regions[0].hub.gateways[0].circuits[1].speed", "",
	    "an unknown field of a circuit is refused");
	expect_err(GWHUB("{'name':'er','type':'ExpressRoute','circuits':"
	    "[{'site':'dc'},{'site':'dc','weight':32001}]}", DC),
	    "regions[0].hub.gateways[0].circuits[1].weight", "",
	    "GW-09: a circuit's weight is bounded as \"circuit\"'s is");
	expect_err(GWHUB("{'name':'er','type':'ExpressRoute','circuits':"
	    "[{'site':'dc'},{'site':'dc','sku':'Ultra'}]}", DC),
	    "regions[0].hub.gateways[0].circuits[1].sku", "Local, Standard "
	    "or Premium", "GW-07: a circuit's SKU is Local, Standard or "
	    "Premium, by its path");
	expect_err(GWHUB("{'name':'er','type':'ExpressRoute','circuit':"
	    "{'site':'dc','sku':5}}", DC), "regions[0].hub.gateways[0]."
	    "circuit.sku", "must be a string", "GW-07: the SKU is a string");
	expect_err(GWHUB("{'name':'vpn','type':'Vpn','tunnels':"
	    "[{'site':'dc','sku':'Premium'}]}", DC),
	    "regions[0].hub.gateways[0].tunnels[0].sku", "unknown field",
	    "GW-07: a VPN tunnel has no circuit SKU");
	expect_err(GWHUB("{'name':'vpn','type':'Vpn','circuits':"
	    "[{'site':'dc'},{'site':'dc'}]}", DC),
	    "regions[0].hub.gateways[0]", "not a \"circuit\" or \"circuits\"",
	    "a Vpn gateway has no circuits");
	expect_err(GWHUB("{'name':'vpn','type':'Vpn','tunnels':"
	    "[{'site':'dc'},{'site':'dc'}]}", DC),
	    "regions[0].hub.gateways[0].tunnels[1].site", "already connects",
	    "a Vpn gateway still connects a site once");
	expect_err(GWHUB(ER_DC, "'name':'dc','asn':4294967295,'prefixes':"
	    "['172.16.0.0/16']"), "sites[0].asn", "1 to 4294967294",
	    "D-14: a site's asn 4294967295 refused (the FAQ's IANA list; its "
	    "\"429496729\" is a typo)");
	expect_err(GWHUB(ER_DC, "'name':'dc','asn':65516,'prefixes':"
	    "['172.16.0.0/16']"), "sites[0].asn", "D-01",
	    "D-14, GW-02: a site's asn 65516 refused, the FAQ list plus 65516");
	expect_err("{'name':'t','regions':[{'name':'r','hub':{'name':"
	    "'hub-with-a-long-name','address_space':['10.1.0.0/16'],"
	    "'subnets':{'GatewaySubnet':'10.1.0.0/27'},'gateways':[{'name':"
	    "'er-lon','type':'ExpressRoute','circuits':[{'site':'dc'},"
	    "{'site':'dc'}]}]}}],'sites':[{" DC "}]}",
	    "regions[0].hub.gateways[0].name", "hub-with-a-long-name-er-lon-msee2",
	    "RS-35: the second MSEE's name is checked against the length limit (the first fits)");
}

/* Two hubs whose ER gateways name circuits c1 and c2 (objects' tails). */
#define DC2	"{'name':'dc2','asn':64513,'prefixes':['172.17.0.0/16']}"
#define SHARED(c1, c2) SHARED_S(c1, c2, "")
#define SHARED_S(c1, c2, more) "{'name':'t','regions':[{'name':'r1','hub':{"	\
	"'name':'h1','address_space':['10.1.0.0/16'],'subnets':{"	\
	"'GatewaySubnet':'10.1.0.0/27'},'gateways':[{'name':'er1',"	\
	"'type':'ExpressRoute','circuit':{" c1 "}}]}},{'name':'r2',"	\
	"'hub':{'name':'h2','address_space':['10.2.0.0/16'],'subnets':{" \
	"'GatewaySubnet':'10.2.0.0/27'},'gateways':[{'name':'er2',"	\
	"'type':'ExpressRoute','circuit':{" c2 "}}]}}],'sites':[{" DC	\
	"}" more "]}"

/* A site of n /24s from 172.16.0.0, prefix k replaced by dup when given. */
static void
big_list(size_t n, size_t k, const char *dup, const char *path,
    const char *want, const char *what)
{
	char *doc = NULL, *s;
	size_t i, len = 0, cap = 0;
	struct topo_err err;
	struct topo *t;

	s = xasprintf("{'name':'t','regions':[{'name':'r','hub':{'name':'hub',"
	    "'address_space':['10.1.0.0/16'],'subnets':{'GatewaySubnet':"
	    "'10.1.0.0/27'},'gateways':[" ER_DC "]}}],'sites':[{'name':'dc',"
	    "'asn':64512,'prefixes':[");
	for (i = 0; s != NULL; i++) {
		xgrow(&doc, &cap, len + strlen(s) + 1, 1);
		memcpy(doc + len, s, strlen(s) + 1);
		len += strlen(s);
		free(s);
		s = i < n ? (i == k && dup != NULL ? xasprintf("%s'%s'", i ? "," :
		    "", dup) : xasprintf("%s'172.%zu.%zu.0/24'", i ? "," : "",
		    16 + i / 256, i % 256)) : i == n ? xstrdup("]}]}") : NULL;
	}
	if (want == NULL) {
		t = load_q(doc, &err);
		T_OK(t != NULL && t->sites[0]->nprefixes == n, "%s", what);
		topo_free(t);
	} else
		expect_err(doc, path, want, what);
	free(doc);
}

static void
test_big_lists(void)
{
	big_list(10001, 0, NULL, NULL, NULL, "GW-07: a site of 10,001 "
	    "prefixes loads (a Premium circuit's limit can be passed)");
	big_list(300, 299, "172.16.7.0/24", "sites[0].prefixes[299]",
	    "overlaps 172.16.7.0/24 at index 7", "a long list's overlap is "
	    "found by sorting and named as a short list's is");
	big_list(300, 299, "172.16.0.0/16", "sites[0].prefixes[299]",
	    "overlaps 172.16.0.0/24 at index 0", "and a supernet of earlier "
	    "entries too");
	big_list(16385, 0, NULL, "sites[0].prefixes", "more than 16384",
	    "a list of more than 16,384 entries is refused");
}

static void
test_shared_circuit(void)
{
	const struct topo_node *m;
	struct topo_err err;
	struct topo *t;
	size_t i, toinst = 0, tosite = 0;

	t = load_q(SHARED("'name':'hq','site':'dc'", "'name':'hq','site':'dc',"
	    "'weight':5"), &err);
	if (!T_OK(t != NULL, "a circuit named by two hubs' gateways loads: %s",
	    t ? "" : err.msg))
		return;
	m = topo_node_find(t, "hq-msee");
	T_OK(m != NULL && m->kind == TOPO_MSEE && t->gws[0]->msee == m &&
	    t->gws[1]->msee == m && t->gws[0]->conns[0]->msee == m &&
	    t->gws[1]->conns[0]->msee == m, "a shared circuit has one MSEE, "
	    "\"<name>-msee\", for both gateways");
	T_OK(topo_node_find(t, "h1-er1-msee") == NULL &&
	    topo_node_find(t, "h2-er2-msee") == NULL, "and no MSEE of a "
	    "gateway's own");
	for (i = 0; i < t->ngwlinks; i++) {
		toinst += t->gwlinks[i]->b == m && t->gwlinks[i]->a->kind == TOPO_GW;
		tosite += t->gwlinks[i]->a == m &&
		    t->gwlinks[i]->b->kind == TOPO_SITE_ROUTER;
	}
	T_OK(toinst == 4 && tosite == 1, "a link to each of the four gateway "
	    "instances, one to the site's edge (%zu, %zu)", toinst, tosite);
	T_OK(t->gws[1]->conns[0]->weight == 5 && t->gws[0]->conns[0]->weight == 0,
	    "GW-09: the connection weight stays each gateway's");
	T_EQ(t->sites[0]->nconns, 2, "the site has both connections");
	topo_free(t);

	t = load_q(SHARED("'name':'c1','site':'dc'", "'name':'c2','site':'dc'"),
	    &err);
	T_OK(t != NULL && topo_node_find(t, "c1-msee") != NULL &&
	    topo_node_find(t, "c2-msee") != NULL, "two names, two circuits");
	topo_free(t);

	t = load_q("{'name':'t','regions':[{'name':'r1','hub':{'name':'h1',"
	    "'address_space':['10.1.0.0/16'],'subnets':{'GatewaySubnet':"
	    "'10.1.0.0/27'},'gateways':[{'name':'er1','type':'ExpressRoute',"
	    "'allow_remote_vnet_traffic':true,'circuit':{'name':'hq','site':"
	    "'dc'}}]}},{'name':'r2','hub':{'name':'h2','address_space':"
	    "['10.2.0.0/16'],'subnets':{'GatewaySubnet':'10.2.0.0/27'},"
	    "'gateways':[{'name':'er2','type':'ExpressRoute','circuit':{'name':"
	    "'hq','site':'dc'}}]}}],'sites':[{" DC "}]}", &err);
	{
		const struct topo_gw *peers[4];

		T_OK(t != NULL && t->gws[0]->remote_vnets &&
		    !t->gws[1]->remote_vnets, "allow_remote_vnet_traffic is "
		    "the gateway's own setting");
		T_OK(t != NULL && topo_gw_circuit_peers(t, t->gws[0], peers, 4)
		    == 1 && peers[0] == t->gws[1], "er1's circuit peer is er2");
	}
	topo_free(t);
	expect_err(GWHUB("{'name':'vpn','type':'Vpn','allow_remote_vnet_traffic'"
	    ":true,'tunnels':[{'site':'dc'}]}", DC),
	    "regions[0].hub.gateways[0].allow_remote_vnet_traffic",
	    "only an ExpressRoute", "a VPN gateway has no circuit to take "
	    "other VNets' routes from");
	expect_err(SHARED_S("'name':'hq','site':'dc'", "'name':'hq','site':'dc2'",
	    "," DC2),
	    "regions[1].hub.gateways[0].circuit.site", "another site",
	    "a shared circuit reaches one site: the second names another");
	expect_err(SHARED("'name':'hq','site':'dc'", "'name':'hq','site':'dc',"
	    "'sku':'Premium'"), "regions[1].hub.gateways[0].circuit.sku",
	    "another SKU", "GW-07: a shared circuit has one SKU");
	expect_err(SHARED("'name':'hq','site':'dc'", "'name':'hq','site':'dc',"
	    "'bfd':false"), "regions[1].hub.gateways[0].circuit.bfd",
	    "another bfd", "GW-10: a shared circuit's edge runs BFD or not");
	expect_err(SHARED("'name':'hq','site':'dc'", "'name':'hq hq','site':'dc'"),
	    "regions[1].hub.gateways[0].circuit.name", "",
	    "a circuit's name is a name");
	expect_err(GWHUB("{'name':'er','type':'ExpressRoute','circuits':["
	    "{'name':'hq','site':'dc'},{'name':'hq','site':'dc'}]}", DC),
	    "regions[0].hub.gateways[0].circuits[1].name", "already connects "
	    "circuit", "a gateway connects a shared circuit once");
}

/* No byte of s is a control character (C0, DEL) or an ESC sequence. */
static bool
no_ctl(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

/*
 * Input text: a NUL in a string (\u0000 or raw) cuts a C string and is
 * refused with its path; errors escape control characters; an error on a
 * file that is not JSON quotes none of it; a file is read up to a cap.
 */
static void
test_input_text(void)
{
	static const char raw_nul[] = "{\"name\":\"good\0; rm -rf /\","
	    "\"regions\":[{\"name\":\"r\"}]}";
	static const char shadow[] = "root:$y$j9T$Hs6vS3cr3tHa5h:19000:0:99999"
	    ":7:::\ndaemon:*:19000:0:99999:7:::\n";
	char buf[1024], *dir, *link;
	struct topo_err err;
	struct topo *t = NULL;

	expect_err("{'name':'good\\u0000; rm -rf /','regions':[{'name':'r'}]}",
	    "name", "NUL character", "a \\u0000 in a string is refused with "
	    "its path (it read as lab \"good\")");
	expect_err(HUB(",'nvas':[{'name':'n1\\u0000x','subnet':'nva',"
	    "'asn':65001}]"), "regions[0].hub.nvas[0].name", "NUL character",
	    "a \\u0000 deep in the document: the path of its string");
	expect_err(TOP(",'x\\u0000':1"), "x\\u0000", "NUL character",
	    "a \\u0000 in a key: the key's path");
	expect_ok(TOP(",'description':'a\\\\u0000b'"), "an escaped backslash "
	    "before u0000 is text, not a NUL");
	T_EQ(topo_load_string(raw_nul, sizeof(raw_nul) - 1, &t, &err), -1,
	    "a raw NUL byte in a string is refused");
	T_OK(strcmp(err.path, "name") == 0 && strstr(err.msg, "NUL") != NULL &&
	    err.line == 1 && err.col == 14, "... with its path and position "
	    "(%s %d:%d)", err.path, err.line, err.col);

	expect_err(TOP(",'x\\u001b]0;owned\\u0007\\u001b[2J':1"),
	    "x\\x1b]0;owned\\x07\\x1b[2J", "unknown field \"x\\x1b]0;owned"
	    "\\x07\\x1b[2J\"", "control characters in a path and a message "
	    "are escaped \\xNN");
	t = load_q("{'name':'t','regions':[{'name':'r\\u001b[31m\\u009b1m\\n'}]}",
	    &err);
	topo_err_str(&err, "f\x1b.json", buf, sizeof(buf));
	T_OK(t == NULL && no_ctl(err.msg) && no_ctl(err.path) &&
	    strstr(err.msg, "r\\x1b[31m\\xc2\\x9b1m\\x0a") != NULL,
	    "C0 and C1 (U+009B, CSI) controls escaped in the message: %s",
	    err.msg);
	T_OK(no_ctl(buf) && strncmp(buf, "f\\x1b.json:", 11) == 0,
	    "topo_err_str prints the file, path and message escaped: %s", buf);

	T_EQ(topo_load_string(shadow, strlen(shadow), &t, &err), -1,
	    "a file that is not JSON (/etc/shadow) is refused");
	topo_err_str(&err, "f", buf, sizeof(buf));
	T_OK(strstr(buf, "root") == NULL && strstr(buf, "$y$") == NULL &&
	    strstr(buf, "Hs6v") == NULL && err.line == 1 && err.col == 1,
	    "... and its error quotes none of it, only the position: %s", buf);

	dir = xstrdup("/tmp/arsemu-topo-XXXXXX");
	if (mkdtemp(dir) == NULL)
		die("mkdtemp");
	link = xasprintf("%s/zero.json", dir);
	if (symlink("/dev/zero", link) == -1)
		die("symlink");
	T_EQ(topo_load_file(link, &t, &err), -1, "a symlink to /dev/zero is "
	    "refused");
	T_OK(strstr(err.msg, "larger than 16777216 bytes") != NULL,
	    "... after TOPO_FILE_MAX bytes: %s", err.msg);
	unlink(link);
	rmdir(dir);
	free(link);
	free(dir);
}

/*
 * TOPO_NODES_MAX: one node more is refused at the path of that node, in
 * file order (unpeered spokes of 16,384 VMs, the most one list holds).
 */
static void
test_node_cap(void)
{
	struct topo_err err;
	struct topo *t = NULL;
	size_t cap = 64u << 20, len = 0, n = 0, per = 16384, s, k, last;
	char *j = xmalloc(cap), want[TOPO_PATH_MAX];
	int rc;

#define PUT(...) (len += (size_t)snprintf(j + len, cap - len, __VA_ARGS__))
	PUT("{\"name\":\"big\",\"regions\":[{\"name\":\"r\",\"spokes\":[");
	for (s = 0; n < TOPO_NODES_MAX + 1; s++) {
		PUT("%s{\"name\":\"s%zu\",\"peered\":false,\"address_space\":"
		    "[\"10.%zu.0.0/16\"],\"subnets\":{\"d\":\"10.%zu.0.0/16\"},"
		    "\"vms\":[", s ? "," : "", s, s + 1, s + 1);
		for (k = 0; k < per && n < TOPO_NODES_MAX + 1; k++, n++)
			PUT("%s{\"name\":\"v%zu\",\"subnet\":\"d\"}", k ? "," : "",
			    n);
		PUT("]}");
		last = k - 1;
	}
	PUT("]}]}");
#undef PUT
	T_OK(len < cap, "node cap: the document fits its buffer");
	rc = topo_load_string(j, len, &t, &err);
	snprintf(want, sizeof(want), "regions[0].spokes[%zu].vms[%zu]", s - 1,
	    last);
	T_OK(rc == -1 && strcmp(err.path, want) == 0 &&
	    strstr(err.msg, "at most 131072 nodes") != NULL, "a topology of "
	    "TOPO_NODES_MAX + 1 nodes is refused at its last node (%s): %s: %s",
	    want, err.path, err.msg);
	topo_free(t);
	free(j);
}

/* RS-55: what a firewall without BGP refuses. */
#define FWHUB(fw, extra) "{'name':'f','regions':[{'name':'r','hub':{"	\
	"'name':'hub','address_space':['10.1.0.0/16'],'subnets':{"	\
	"'AzureFirewallSubnet':'10.1.3.0/26','app':'10.1.2.0/24'},"	\
	"'nvas':[" fw ",{'name':'nva2','subnet':'app','asn':65002}]}}]"	\
	extra "}"

static void
test_no_bgp(void)
{
	expect_err(FWHUB("{'name':'afw','subnet':'AzureFirewallSubnet',"
	    "'asn':65001}", ""), "regions[0].hub.nvas[0].asn", "speaks no BGP",
	    "RS-55: a firewall in AzureFirewallSubnet takes no asn");
	expect_err(FWHUB("{'name':'afw','subnet':'AzureFirewallSubnet',"
	    "'bgp':true}", ""), "regions[0].hub.nvas[0].bgp", "speaks no BGP",
	    "RS-55: Azure Firewall speaks no BGP: bgp true is refused there");
	expect_err(FWHUB("{'name':'fw','subnet':'app','bgp':false,"
	    "'advertise':['10.0.0.0/8']}", ""),
	    "regions[0].hub.nvas[0].advertise", "is a BGP speaker's",
	    "RS-55: an NVA without BGP advertises nothing");
	expect_err("{'name':'f','regions':[{'name':'r','hub':{'name':'hub',"
	    "'address_space':['10.1.0.0/16'],'subnets':{'AzureFirewallSubnet':"
	    "'10.1.3.0/26'},'vms':[{'name':'v','subnet':'AzureFirewallSubnet'}"
	    "]}}]}", "regions[0].hub.vms[0].subnet", "holds the firewall alone",
	    "RS-55: no VM in AzureFirewallSubnet");
	expect_err(FWHUB("{'name':'afw','subnet':'AzureFirewallSubnet'}",
	    ",'sites':[{'name':'dc','asn':64512,'prefixes':['172.16.0.0/16'],"
	    "'nvas':['afw']}]"), "sites[0].nvas[0]", "speaks no BGP",
	    "RS-55: no site behind a firewall without BGP");
}

/* PE-07: spoke-to-spoke peerings, one struct for both sides, flags per side. */
static void
test_spoke_peering(void)
{
	struct topo_err err;
	struct topo *t = NULL;
	const struct topo_vnet *s1, *s2, *s3, *w1;
	const struct topo_peering *pe;

	if (!T_EQ(topo_load_file("examples/spoke-mesh.json", &t, &err), 0,
	    "PE-07: examples/spoke-mesh.json loads (%s)", err.msg))
		return;
	s1 = topo_vnet_find(t, "s1");
	s2 = topo_vnet_find(t, "s2");
	s3 = topo_vnet_find(t, "s3");
	w1 = topo_vnet_find(t, "w1");
	T_EQ(t->npeerings, 3u, "PE-07: three spoke-to-spoke peerings");
	T_OK(topo_vnets_peered(s1, s2) && topo_vnets_peered(s2, s1) &&
	    topo_vnets_peered(s1, w1) && topo_vnets_peered(s3, s2),
	    "PE-07: each peering is both ways");
	T_OK(!topo_vnets_peered(s1, s3) && !topo_vnets_peered(s2, w1),
	    "PE-01: a peer's peer is not peered");
	pe = topo_vnet_peering(w1, s1);
	T_OK(pe != NULL && pe->vnet[0] == s1 && pe->vnet[1] == w1 &&
	    !pe->allow_forwarded_traffic[0] && pe->allow_forwarded_traffic[1] &&
	    pe->jpath[0] != NULL && pe->jpath[1] != NULL &&
	    strcmp(pe->jpath[1], "regions[1].spokes[0].peerings[0]") == 0,
	    "PE-07: s1 and w1 both list the peering, each with its own side's "
	    "flags");
	pe = topo_vnet_peering(s3, s2);
	T_OK(pe != NULL && pe->jpath[1] == NULL &&
	    pe->allow_forwarded_traffic[1] && !pe->allow_gateway_transit[1],
	    "PE-07: s3 does not list s2: Azure's defaults on its side");
	topo_free(t);
}

/* Whether a site prefix covers p (VR-15). */
static bool
site_covered(const struct topo *t, const struct pfx4 *p)
{
	size_t i, m;

	for (i = 0; i < t->nsites; i++)
		for (m = 0; m < t->sites[i]->nprefixes; m++)
			if (pfx_contains(&t->sites[i]->prefixes[m], p))
				return true;
	return false;
}

/*
 * VR-15's definition, scanned: the count of the space prefixes of v and
 * its peers that a site prefix covers (those holding a, with a set).
 */
static size_t
summary_scan(const struct topo *t, const struct topo_vnet *v, bool with,
    uint32_t a)
{
	size_t j, k, n = 0;

	for (j = 0; j < t->nvnets; j++) {
		const struct topo_vnet *w = t->vnets[j];

		if (w != v && !topo_vnets_peered(v, w))
			continue;
		for (k = 0; k < w->nspace; k++)
			n += site_covered(t, &w->space[k]) &&
			    (!with || pfx_contains_addr(&w->space[k], a));
	}
	return n;
}

/*
 * topo_summaries() (made at load) against the definition on every example:
 * each VNet's summarised prefixes are as many as the definition counts,
 * each covered by a site prefix, and topo_vnet_in_summary answers as the
 * definition does at each one's first and last address and one past it.
 */
static void
test_summaries(void)
{
	struct topo_err err;
	struct topo *t;
	char **ex;
	size_t nex, e, i, k, bad = 0, seen = 0;

	ex = examples_list(&nex);
	T_OK(ex != NULL, "summaries: examples found");
	for (e = 0; ex != NULL && e < nex; e++) {
		if (topo_load_file(ex[e], &t, &err) != 0) {
			T_OK(false, "summaries: %s loads: %s", ex[e], err.msg);
			continue;
		}
		for (i = 0; i < t->nvnets; i++) {
			const struct topo_vnet *v = t->vnets[i];

			bad += summary_scan(t, v, false, 0) != v->nsummarised;
			bad += topo_vnet_summarised(t, v, v->nsummarised) != NULL;
			for (k = 0; k < v->nsummarised; k++) {
				const struct pfx4 *p = topo_vnet_summarised(t, v, k);
				uint32_t at[3];
				size_t m;

				at[0] = p->addr;
				at[1] = p->addr | ~pfx_mask(p->len);
				at[2] = at[1] + 1;
				bad += !site_covered(t, p);
				for (m = 0; m < 3; m++)
					bad += topo_vnet_in_summary(t, v, at[m]) !=
					    (summary_scan(t, v, true, at[m]) > 0);
				seen++;
			}
		}
		topo_free(t);
	}
	T_OK(bad == 0 && seen > 0, "summaries: every example's VNets hold "
	    "exactly VR-15's prefixes (%zu checked, %zu wrong)", seen, bad);
	examples_free(ex);
}

int
main(void)
{
	test_vnet_community();
	test_first_dup();
	test_nic_by_ip();
	test_single_hub();
	test_active_active();
	test_model_misc();
	test_positions();
	test_syntax_and_types();
	test_fields();
	test_nva_security();
	test_rs_limits();
	test_names();
	test_prefixes();
	test_route_server();
	test_peers();
	test_asn();
	test_nva_fields();
	test_addresses();
	test_peering();
	test_sites();
	test_timers();
	test_route_tables();
	test_udr_limit();
	test_warnings();
	test_gateways();
	test_udr_gateway();
	test_spoke_peering();
	test_no_bgp();
	test_regions();
	test_corpus_more();
	test_er_circuits();
	test_shared_circuit();
	test_big_lists();
	test_dual_homed();
	test_input_text();
	test_node_cap();
	test_summaries();
	return t_done();
}
