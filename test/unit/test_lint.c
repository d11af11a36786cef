/* test_lint: every design-trap warning, triggered and not triggered. */
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "../../topo/lint.h"
#include "t.h"

/* A hub with two NVAs, cut where timers, NVA a, NVA b and route tables go. */
static const char *const part[] = {
	"{ \"name\": \"l\", ",
	" \"regions\": [ { \"name\": \"r\", \"hub\": {"
	" \"name\": \"hub\", \"address_space\": [\"10.1.0.0/16\"],"
	" \"subnets\": { \"RouteServerSubnet\": \"10.1.1.0/27\", \"nva\": \"10.1.2.0/24\" },"
	" \"route_server\": {}, \"nvas\": ["
	" { \"name\": \"a\", \"subnet\": \"nva\", \"asn\": 65001, ",
	" }, { \"name\": \"b\", \"subnet\": \"nva\", ",
	" } ] }, \"spokes\": [ { \"name\": \"s\", \"address_space\": [\"10.2.0.0/16\"],"
	" \"use_remote_gateways\": true, \"subnets\": { \"d\": \"10.2.1.0/24\" } } ] } ] ",
	" }",
};

static size_t
lint(const char *timers, const char *a, const char *b, const char *rts,
    const char *needle, char *first, size_t len)
{
	char json[4096];
	struct topo_err e;
	struct topo *t;
	size_t i, n = 0;

	snprintf(json, sizeof(json), "%s%s%s%s%s%s%s%s%s", part[0], timers, part[1],
	    a, part[2], b, part[3], rts, part[4]);
	first[0] = '\0';
	if (topo_load_string(json, strlen(json), &t, &e) != 0) {
		snprintf(first, len, "load failed: %.100s: %.300s", e.path, e.msg);
		return (size_t)-1;
	}
	topo_lint(t);
	for (i = 0; i < t->nwarnings; i++)
		if (strstr(t->warnings[i], needle) != NULL) {
			if (n++ == 0)
				snprintf(first, len, "%.500s", t->warnings[i]);
		}
	topo_free(t);
	return n;
}


/* Warnings of the load and lint of doc (' for "), as lint() counts them. */
static size_t
lint_doc(const char *doc, const char *needle, char *first, size_t len)
{
	struct topo_err e;
	struct topo *t;
	char *json = xstrdup(doc), *c;
	size_t i, n = 0;

	for (c = json; *c != '\0'; c++)
		if (*c == '\'')
			*c = '"';
	first[0] = '\0';
	if (topo_load_string(json, strlen(json), &t, &e) != 0) {
		snprintf(first, len, "load failed: %.100s: %.300s", e.path, e.msg);
		free(json);
		return (size_t)-1;
	}
	free(json);
	topo_lint(t);
	for (i = 0; i < t->nwarnings; i++)
		if (strstr(t->warnings[i], needle) != NULL && n++ == 0)
			snprintf(first, len, "%.500s", t->warnings[i]);
	topo_free(t);
	return n;
}

static size_t
lint_file(const char *file, const char *needle)
{
	struct topo_err e;
	struct topo *t;
	size_t i, n = 0;

	if (topo_load_file(file, &t, &e) != 0)
		return (size_t)-1;
	topo_lint(t);
	for (i = 0; i < t->nwarnings; i++)
		n += strstr(t->warnings[i], needle) != NULL;
	topo_free(t);
	return n;
}

/*
 * RS-53: one hub, subnets web and app with a VM each, NVA fw at 10.1.2.4
 * advertising adv; rt: the route_tables member or "".
 */
static size_t
intra(const char *adv, const char *rt, char *w, size_t len)
{
	char doc[2048];

	snprintf(doc, sizeof(doc), "{'name':'l','regions':[{'name':'r','hub':{"
	    "'name':'hub','address_space':['10.1.0.0/16'],'subnets':{"
	    "'RouteServerSubnet':'10.1.1.0/27','nva':'10.1.2.0/24',"
	    "'web':'10.1.3.0/24','app':'10.1.4.0/24'},'route_server':{},"
	    "'nvas':[{'name':'fw','subnet':'nva','asn':65010,'advertise':['%s']}],"
	    "'vms':[{'name':'w1','subnet':'web'},{'name':'a1','subnet':'app'}]},"
	    "'spokes':[{'name':'s','address_space':['10.2.0.0/16'],"
	    "'use_remote_gateways':true,'subnets':{'d':'10.2.1.0/24'},"
	    "'vms':[{'name':'s1','subnet':'d'}]}]}]%s}", adv, rt);
	return lint_doc(doc, "RS-53", w, len);
}

#define RT_WEB(pfx) ",'route_tables':[{'name':'rt','subnets':['hub/web'],"	\
	"'routes':[{'name':'x','prefix':'" pfx "','next_hop_type':"		\
	"'VirtualAppliance','next_hop_ip':'10.1.2.4'}]}]"

static void
test_rs53(void)
{
	char w[600];

	T_EQ(intra("10.1.4.0/24", "", w, sizeof(w)), 1u, "RS-53: an NVA "
	    "advertising subnet app, and web has no UDR: warns: %s", w);
	T_OK(strstr(w, "hub/web (and 1 more)") != NULL &&
	    strstr(w, "regions[0].hub.nvas[0].advertise[0]") != NULL,
	    "RS-53: names the unsteered subnets (web, the spoke's) and the path");
	T_EQ(intra("10.1.4.0/24", ",'route_tables':[{'name':'rt','subnets':"
	    "['hub/web','s/d'],'routes':[{'name':'x','prefix':'10.1.4.0/24',"
	    "'next_hop_type':'VirtualAppliance','next_hop_ip':'10.1.2.4'}]}]",
	    w, sizeof(w)), 0u, "RS-53: with a VirtualAppliance UDR for app on "
	    "web and on the spoke, no warning");
	T_EQ(intra("10.1.4.0/24", RT_WEB("10.1.0.0/16"), w, sizeof(w)), 1u,
	    "RS-53: a UDR as long as VnetLocal steers web, the spoke still "
	    "warns: %s", w);
	T_OK(strstr(w, "subnet s/d reaches") != NULL, "RS-53: only s/d left");
	T_EQ(intra("10.1.4.0/24", RT_WEB("0.0.0.0/0"), w, sizeof(w)), 1u,
	    "RS-53: a UDR 0.0.0.0/0 loses to VnetLocal 10.1.0.0/16 (VR-05): "
	    "still warns");
	T_OK(strstr(w, "subnet hub/web (and 1 more)") != NULL,
	    "RS-53: web still unsteered by 0.0.0.0/0");
	T_EQ(intra("10.2.0.0/16", RT_WEB("10.2.0.0/16"), w, sizeof(w)), 1u,
	    "RS-53: an NVA advertising the spoke: hub/app crosses VNetPeering");
	T_OK(strstr(w, "subnet hub/app reaches 10.2.0.0/16") != NULL,
	    "RS-53: the spoke's own subnet is not a source: %s", w);
	T_EQ(intra("10.0.0.0/8", "", w, sizeof(w)), 0u, "RS-53: a supernet is "
	    "programmed (RS-21) and steers nothing inside a VNet: not this trap");
	T_EQ(lint_file("examples/intra-vnet.json", "RS-53"), 0u, "RS-53: "
	    "examples/intra-vnet.json (route tables on both subnets): no warning");
}

/* Two regions, a hub each with a Route Server and NVA n1 / n2; ov: overlays. */
static size_t
regions(const char *ov, const char *needle, char *w, size_t len)
{
	char doc[2048];

	snprintf(doc, sizeof(doc), "{'name':'l','regions':["
	    "{'name':'a','hub':{'name':'ha','address_space':['10.1.0.0/16'],"
	    "'subnets':{'RouteServerSubnet':'10.1.1.0/27','nva':'10.1.2.0/24'},"
	    "'route_server':{},'peerings':['hb'],'nvas':[{'name':'n1',"
	    "'subnet':'nva','asn':65001}]}},"
	    "{'name':'b','hub':{'name':'hb','address_space':['10.11.0.0/16'],"
	    "'subnets':{'RouteServerSubnet':'10.11.1.0/27','nva':'10.11.2.0/24'},"
	    "'route_server':{},'nvas':[{'name':'n2','subnet':'nva',"
	    "'asn':65002}]}}]%s}", ov);
	return lint_doc(doc, needle, w, len);
}

static void
test_rs52(void)
{
	char w[600];

	T_EQ(regions("", "RS-52", w, sizeof(w)), 1u, "RS-52: two regions with "
	    "Route Servers and no overlay warn: %s", w);
	T_OK(strstr(w, "regions[1].hub.nvas") != NULL, "RS-52: names the hub");
	T_EQ(regions(",'overlays':[{'nvas':['n1','n2']}]", "RS-52", w,
	    sizeof(w)), 0u, "RS-52: an overlay with as_override (default): "
	    "no warning");
	T_EQ(regions(",'overlays':[{'nvas':['n1','n2'],'as_override':false}]",
	    "RS-20", w, sizeof(w)), 1u, "RS-20: an overlay without as_override "
	    "leaves 65515 in the path: warns: %s", w);
	T_EQ(regions(",'overlays':[{'nvas':['n1','n2'],'as_override':true}]",
	    "RS-20", w, sizeof(w)), 0u, "RS-20: as_override true: no warning");
	T_EQ(lint_file("examples/multi-region-loop.json", "RS-52"), 1u,
	    "RS-52: examples/multi-region-loop.json warns");
	T_EQ(lint_file("examples/multi-region.json", "RS-5"), 0u,
	    "RS-52: examples/multi-region.json (overlay) does not");
	T_EQ(lint_file("examples/global-enterprise.json", "RS-52"), 0u,
	    "RS-52: examples/global-enterprise.json: three hubs joined by "
	    "overlays, no warning");
}

static void
test_md5(void)
{
	char w[600];

	T_EQ(lint("", "\"md5\": \"k1\"", "\"asn\": 65002", "", "MD5", w,
	    sizeof(w)), 1u, "MD5: one NVA keyed, the other not: warns: %s", w);
	T_OK(strstr(w, "regions[0].hub.nvas[1]: NVA \"b\"") != NULL,
	    "MD5: names the NVA without a key");
	T_EQ(lint("", "\"md5\": \"k1\"", "\"asn\": 65002, \"md5\": \"k2\"",
	    "", "MD5", w, sizeof(w)), 0u, "MD5: both keyed: no warning");
	T_EQ(lint("", "\"advertise\": []", "\"asn\": 65002", "", "MD5", w,
	    sizeof(w)), 0u, "MD5: a lab without keys (the default): no warning");
	T_EQ(lint_doc("{'name':'l','regions':[{'name':'r','hub':{'name':'h',"
	    "'address_space':['10.1.0.0/16'],'subnets':{'nva':'10.1.2.0/24'},"
	    "'nvas':[{'name':'n','subnet':'nva','asn':65001,'md5':'k'}]}}]}",
	    "protects no session", w, sizeof(w)), 1u, "MD5: a key without a "
	    "Route Server to peer with warns");
}

static void
test_server(void)
{
	char w[600];

	T_EQ(regions(",'overlays':[{'nvas':['n1','n2']}]", "transit", w,
	    sizeof(w)), 0u, "server: NVAs in an overlay are no servers");
	T_EQ(lint("", "\"role\": \"server\", \"advertise\": [\"192.0.2.10/32\"]",
	    "\"asn\": 65002", "", "transit", w, sizeof(w)), 0u, "server: a "
	    "server announcing its own /32 only: no warning");
	T_EQ(lint("", "\"role\": \"server\", \"advertise\": [\"0.0.0.0/0\"]",
	    "\"asn\": 65002", "", "transit", w, sizeof(w)), 1u, "server: a "
	    "server advertising 0.0.0.0/0 draws traffic it cannot forward: %s", w);
	T_EQ(lint_doc("{'name':'l','regions':["
	    "{'name':'a','hub':{'name':'ha','address_space':['10.1.0.0/16'],"
	    "'subnets':{'RouteServerSubnet':'10.1.1.0/27','nva':'10.1.2.0/24'},"
	    "'route_server':{},'nvas':[{'name':'n1','subnet':'nva','asn':65001,"
	    "'role':'server'}]}},"
	    "{'name':'b','hub':{'name':'hb','address_space':['10.11.0.0/16'],"
	    "'subnets':{'RouteServerSubnet':'10.11.1.0/27','nva':'10.11.2.0/24'},"
	    "'route_server':{},'nvas':[{'name':'n2','subnet':'nva',"
	    "'asn':65002}]}}],'overlays':[{'nvas':['n1','n2']}]}", "transit", w,
	    sizeof(w)), 1u, "server: a server in an overlay becomes transit: %s", w);
	T_EQ(lint_doc("{'name':'l','regions':[{'name':'r','hub':{'name':'h',"
	    "'address_space':['10.1.0.0/16'],'subnets':{'RouteServerSubnet':"
	    "'10.1.1.0/27','nva':'10.1.2.0/24'},'route_server':{},'nvas':[{"
	    "'name':'n','subnet':'nva','asn':65001,'role':'server'}]}}],"
	    "'sites':[{'name':'br','prefixes':['10.250.0.0/16'],'nvas':['n']}]}",
	    "transit", w, sizeof(w)), 1u, "server: a site behind a server: %s", w);
}

/* A hub with an ER gateway and an NVA advertising n /24s; b2b on or off. */
static size_t
er_count(unsigned n, bool b2b, char *w, size_t len)
{
	char *doc, *adv = xcalloc(n + 1, 24);
	size_t i, r;

	for (i = 0; i < n; i++)
		snprintf(adv + strlen(adv), 24, "%s'172.%zu.%zu.0/24'", i ? "," : "",
		    20 + i / 256, i % 256);
	doc = xasprintf("{'name':'l','regions':[{'name':'r','hub':{'name':'h',"
	    "'address_space':['10.1.0.0/16'],'subnets':{'GatewaySubnet':"
	    "'10.1.0.0/27','RouteServerSubnet':'10.1.1.0/27','nva':'10.1.2.0/24'},"
	    "'route_server':{'branch_to_branch':%s},'gateways':[{'name':'er',"
	    "'type':'ExpressRoute','circuit':{'site':'hq'}}],'nvas':[{'name':'n',"
	    "'subnet':'nva','asn':65001,'advertise':[%s]}]}}],'sites':[{'name':"
	    "'hq','asn':64512,'prefixes':['192.168.0.0/16']}]}",
	    b2b ? "true" : "false", adv);
	r = lint_doc(doc, "RS-42", w, len);
	free(doc);
	free(adv);
	return r;
}

static void
test_rs42(void)
{
	char w[600];

	T_EQ(er_count(1000, true, w, sizeof(w)), 1u, "RS-42: 1 VNet prefix + "
	    "1000 NVA routes with branch_to_branch: warns: %s", w);
	T_OK(strstr(w, "1001 prefixes") != NULL && strstr(w,
	    "route_server.branch_to_branch") != NULL, "RS-42: the count and path");
	T_EQ(er_count(999, true, w, sizeof(w)), 0u, "RS-42: exactly 1000: no "
	    "warning");
	T_EQ(er_count(1000, false, w, sizeof(w)), 0u, "RS-42: branch_to_branch "
	    "off: NVA routes do not go to the gateway (RS-12): no warning");
}

/*
 * GW-05, GW-07: a site sending n /24s to a gateway: over an ExpressRoute
 * circuit (of SKU sku, "" for none) or a VPN tunnel with BGP.
 */
static size_t
site_count(unsigned n, bool er, const char *sku, char *w, size_t len)
{
	char *doc, *pfx = xcalloc(n + 1, 24), *gw;
	size_t i, at = 0, r;

	for (i = 0; i < n; i++)
		at += (size_t)snprintf(pfx + at, 24, "%s'172.%zu.%zu.0/24'",
		    i ? "," : "", 16 + i / 256, i % 256);
	gw = er ? xasprintf("{'name':'er','type':'ExpressRoute','circuit':{"
	    "'site':'dc'%s%s%s}}", *sku ? ",'sku':'" : "", sku, *sku ? "'" : "") :
	    xstrdup("{'name':'vpn','type':'Vpn','tunnels':[{'site':'dc',"
	    "'bgp':true}]}");
	doc = xasprintf("{'name':'l','regions':[{'name':'r','hub':{'name':'h',"
	    "'address_space':['10.1.0.0/16'],'subnets':{'GatewaySubnet':"
	    "'10.1.0.0/27'},'gateways':[%s]}}],'sites':[{'name':'dc','asn':"
	    "64512,'prefixes':[%s]}]}", gw, pfx);
	r = lint_doc(doc, er ? "GW-07" : "GW-05", w, len);
	free(doc);
	free(gw);
	free(pfx);
	return r;
}

static void
test_site_limits(void)
{
	char w[600];

	T_EQ(site_count(4001, true, "", w, sizeof(w)), 1u, "GW-07: a site "
	    "sending 4,001 prefixes over a Standard circuit warns: %s", w);
	T_OK(strstr(w, "regions[0].hub.gateways[0].circuit:") == w &&
	    strstr(w, "4001 prefixes") != NULL && strstr(w, "at most 4000") !=
	    NULL, "GW-07: the warning names the circuit's path, the count and "
	    "the limit");
	T_EQ(site_count(4000, true, "", w, sizeof(w)), 0u, "GW-07: exactly "
	    "4,000: no warning");
	T_EQ(site_count(4001, true, "Premium", w, sizeof(w)), 0u, "GW-07: "
	    "4,001 over a Premium circuit: no warning");
	T_EQ(site_count(4001, true, "Local", w, sizeof(w)), 1u, "GW-07: "
	    "a Local circuit has Standard's limit");
	T_EQ(site_count(4001, false, "", w, sizeof(w)), 1u, "GW-05: a site "
	    "sending 4,001 prefixes to a VPN gateway warns: %s", w);
	T_OK(strstr(w, "regions[0].hub.gateways[0].tunnels[0]:") == w,
	    "GW-05: the warning names the tunnel's path");
	T_EQ(site_count(4000, false, "", w, sizeof(w)), 0u, "GW-05: exactly "
	    "4,000: no warning");
	{
		char *doc, *pfx = xcalloc(4002, 24);
		size_t i, at = 0;

		for (i = 0; i < 4001; i++)
			at += (size_t)snprintf(pfx + at, 24, "%s'172.%zu.%zu.0/24'",
			    i ? "," : "", 16 + i / 256, i % 256);
		doc = xasprintf("{'name':'l','regions':[{'name':'r1','hub':{"
		    "'name':'h1','address_space':['10.1.0.0/16'],'subnets':{"
		    "'GatewaySubnet':'10.1.0.0/27'},'gateways':[{'name':'e1',"
		    "'type':'ExpressRoute','circuit':{'name':'c','site':'dc'}}]}},"
		    "{'name':'r2','hub':{'name':'h2','address_space':"
		    "['10.2.0.0/16'],'subnets':{'GatewaySubnet':'10.2.0.0/27'},"
		    "'gateways':[{'name':'e2','type':'ExpressRoute','circuit':{"
		    "'name':'c','site':'dc'}}]}}],'sites':[{'name':'dc','asn':"
		    "64512,'prefixes':[%s]}]}", pfx);
		T_EQ(lint_doc(doc, "GW-07", w, sizeof(w)), 1u, "GW-07: a shared "
		    "circuit has one session with the site: one warning");
		free(doc);
		free(pfx);
	}
}

/*
 * GW-11: a hub with gateway gw (a VPN or an ExpressRoute one) and a route
 * table on GatewaySubnet with one route.
 */
static size_t
gw_subnet(const char *gw, const char *route, char *w, size_t len)
{
	char doc[2048];

	snprintf(doc, sizeof(doc), "{'name':'g','regions':[{'name':'r','hub':{"
	    "'name':'hub','address_space':['10.1.0.0/16'],'subnets':{"
	    "'GatewaySubnet':'10.1.0.0/27','nva':'10.1.2.0/24'},"
	    "'nvas':[{'name':'fw','subnet':'nva','asn':65001}],"
	    "'gateways':[%s]}}],'sites':[{'name':'hq','asn':65010,"
	    "'prefixes':['192.168.10.0/24']}],'route_tables':[{'name':'gw-rt',"
	    "'subnets':['hub/GatewaySubnet'],'routes':[%s]}]}", gw, route);
	return lint_doc(doc, "GW-11", w, len);
}

static void
test_gw11(void)
{
	const char *vpn = "{'name':'vpn','type':'Vpn','tunnels':[{'site':'hq'}]}";
	const char *er = "{'name':'er','type':'ExpressRoute','circuit':"
	    "{'site':'hq'}}";
	char w[600];

	T_EQ(gw_subnet(vpn, "{'name':'all','prefix':'0.0.0.0/0',"
	    "'next_hop_type':'VirtualAppliance','next_hop_ip':'10.1.2.4'}", w,
	    sizeof(w)), 1u, "GW-11: a 0.0.0.0/0 route on a VPN gateway's "
	    "GatewaySubnet warns: %s", w);
	T_OK(strstr(w, "route_tables[0].routes[0]: ") == w &&
	    strstr(w, "can break VPN gateway \"vpn\"") != NULL,
	    "GW-11: the warning names the route's JSON path and the gateway");
	T_EQ(gw_subnet(vpn, "{'name':'dc','prefix':'10.9.0.0/16',"
	    "'next_hop_type':'VirtualAppliance','next_hop_ip':'10.1.2.4'}", w,
	    sizeof(w)), 0u, "GW-11: a specific prefix on GatewaySubnet: no "
	    "warning");
	T_EQ(gw_subnet(er, "{'name':'all','prefix':'0.0.0.0/0',"
	    "'next_hop_type':'VirtualAppliance','next_hop_ip':'10.1.2.4'}", w,
	    sizeof(w)), 0u, "GW-11 names VPN gateways: an ExpressRoute "
	    "gateway's subnet gets no such warning");
}

/*
 * RS-30, RS-22: a hub with Route Server (preference pref), gateway gw
 * connecting site hq (172.16.0.0/16), NVA fw (10.1.2.4) advertising adv
 * with prepend pp, a spoke with a VM; rt: the route_tables member or "".
 */
static size_t
gw_overlap(const char *pref, const char *gw, const char *adv, unsigned pp,
    const char *rt, const char *needle, char *w, size_t len)
{
	char doc[2048];

	snprintf(doc, sizeof(doc), "{'name':'o','regions':[{'name':'r','hub':{"
	    "'name':'hub','address_space':['10.1.0.0/16'],'subnets':{"
	    "'GatewaySubnet':'10.1.0.0/27','RouteServerSubnet':'10.1.1.0/27',"
	    "'nva':'10.1.2.0/24'},'route_server':{'hub_routing_preference':"
	    "'%s'},'gateways':[%s],'nvas':[{'name':'fw','subnet':'nva',"
	    "'asn':65010,'prepend':%u,'advertise':['10.0.0.0/8','%s']}]},"
	    "'spokes':[{'name':'s','address_space':['10.2.0.0/16'],"
	    "'use_remote_gateways':true,'subnets':{'d':'10.2.1.0/24'},"
	    "'vms':[{'name':'s1','subnet':'d'}]}]}],'sites':[{'name':'hq',"
	    "'asn':64512,'prefixes':['172.16.0.0/16']}]%s}", pref, gw, pp, adv,
	    rt);
	return lint_doc(doc, needle, w, len);
}

#define ER_GW	"{'name':'er','type':'ExpressRoute','circuit':{'site':'hq'}}"
#define VPN_GW	"{'name':'vpn','type':'Vpn','tunnels':[{'site':'hq'}]}"
#define RT_ON(sub, pfx, type)	",'route_tables':[{'name':'rt','subnets':"	\
	"['" sub "'],'routes':[{'name':'x','prefix':'" pfx "',"			\
	"'next_hop_type':" type "}]}]"
#define TO_FW	"'VirtualAppliance','next_hop_ip':'10.1.2.4'"

static void
test_gw_overlap(void)
{
	char w[600];

	T_EQ(gw_overlap("ExpressRoute", ER_GW, "172.16.0.0/16", 0, "",
	    "bypasses NVA", w, sizeof(w)), 1u, "RS-30: the NVA advertises "
	    "the ER site's prefix at the same length, preference "
	    "ExpressRoute: bypassed: %s", w);
	T_OK(strstr(w, "regions[0].hub.nvas[0].advertise[1]: ") == w &&
	    strstr(w, "traffic to 172.16.0.0/16 bypasses NVA \"fw\" in every "
	    "served subnet") != NULL && strstr(w, "(s/d)") != NULL &&
	    strstr(w, "(RS-30, RS-31)") != NULL, "RS-30: names the path, the "
	    "prefix, the NVA and the subnet");
	T_EQ(gw_overlap("ExpressRoute", ER_GW, "172.16.0.0/16", 0, "",
	    "RS-22", w, sizeof(w)), 0u, "RS-30: the ER route wins in the NVA's "
	    "subnet too: no loop");
	T_EQ(gw_overlap("ExpressRoute", ER_GW, "172.16.0.0/16", 0,
	    RT_ON("s/d", "172.16.0.0/16", TO_FW), "RS-30", w, sizeof(w)), 0u,
	    "RS-30: a route table sends the spoke to the NVA (VR-05): no "
	    "warning");
	T_EQ(gw_overlap("ASPath", ER_GW, "172.16.0.0/16", 0, "", "loops "
	    "(RS-22)", w, sizeof(w)), 1u, "RS-22: preference ASPath, NVA path "
	    "1 against ER's 2: the NVA's subnet gets its own route: %s", w);
	T_OK(strstr(w, "hub/nva") != NULL && strstr(w, "(GW-11)") != NULL,
	    "RS-22: names the NVA's subnet and why no route table mends it "
	    "(GW-11)");
	T_EQ(gw_overlap("ASPath", ER_GW, "172.16.0.0/16", 0, "", "RS-30, "
	    "RS-31)", w, sizeof(w)), 1u, "RS-22: names the preference that "
	    "made the NVA win");
	T_EQ(gw_overlap("ASPath", ER_GW, "172.16.0.0/16", 2, "", "bypasses",
	    w, sizeof(w)), 1u, "RS-30: ASPath, the NVA prepends twice (3 "
	    "against 2): ER wins, bypassed");
	T_EQ(gw_overlap("ASPath", ER_GW, "172.16.0.0/16", 1, "", "bypasses",
	    w, sizeof(w)), 1u, "RS-30: ASPath, equal paths: ER first (GW-09)");
	T_EQ(gw_overlap("VpnGateway", ER_GW, "172.16.0.0/16", 5, "",
	    "loops (RS-22)", w, sizeof(w)), 1u, "RS-22: preference VpnGateway: "
	    "the NVA beats ER whatever its path");
	T_EQ(gw_overlap("ExpressRoute", ER_GW, "172.16.0.0/17", 0, "",
	    "a longer prefix, RS-30", w, sizeof(w)), 1u, "RS-22: a prefix "
	    "inside the site's wins by length, in the NVA's subnet too: %s", w);
	T_EQ(gw_overlap("ExpressRoute", VPN_GW, "172.16.0.0/16", 0, "",
	    "loops (RS-22)", w, sizeof(w)), 1u, "RS-22: a VPN gateway (path 1) "
	    "and the NVA (path 1) tie under ExpressRoute: ECMP, some flows "
	    "loop: %s", w);
	T_OK(strstr(w, "VirtualNetworkGateway route") != NULL, "RS-22: with "
	    "a VPN gateway, the route table that mends it is named");
	T_EQ(gw_overlap("ExpressRoute", VPN_GW, "172.16.0.0/16", 0,
	    RT_ON("hub/nva", "172.16.0.0/16", "'VirtualNetworkGateway'"),
	    "RS-22", w, sizeof(w)), 0u, "RS-22: the NVA's subnet sends the "
	    "prefix to the VPN gateway: no loop");
	T_EQ(gw_overlap("ASPath", ER_GW, "192.168.0.0/16", 0, "", "fw", w,
	    sizeof(w)), 0u, "RS-30/RS-22: prefixes no gateway offers "
	    "(10.0.0.0/8, 192.168.0.0/16): no warning");
	T_EQ(lint_file("examples/global-enterprise.json", "RS-30"), 0u,
	    "RS-30: examples/global-enterprise.json (route tables, no "
	    "on-premises prefix from the NVAs): no warning");
	T_EQ(lint_file("examples/global-enterprise.json", "loops (RS-22)"), 0u,
	    "RS-22: examples/global-enterprise.json: no loop warning");
}

/* VR-14 and RS-54 (lintnh.c), on gw_overlap()'s hub with a Route Server. */
static void
test_next_hops(void)
{
	char w[600];

	T_EQ(gw_overlap("ExpressRoute", ER_GW, "192.168.0.0/16", 0,
	    RT_ON("s/d", "172.16.0.0/16", "'VirtualAppliance','next_hop_ip':"
	    "'10.1.2.9'"), "VR-14", w, sizeof(w)), 1u, "VR-14: a "
	    "VirtualAppliance next hop that is no NIC warns: %s", w);
	T_OK(strstr(w, "route_tables[0].routes[0].next_hop_ip: ") == w &&
	    strstr(w, "10.1.2.9, which is no NIC") != NULL, "VR-14: the "
	    "warning names the next_hop_ip's JSON path and the address");
	T_EQ(gw_overlap("ExpressRoute", ER_GW, "192.168.0.0/16", 0,
	    RT_ON("s/d", "172.16.0.0/16", TO_FW), "VR-14", w, sizeof(w)), 0u,
	    "VR-14: the NVA's NIC as next hop: no warning");
	T_EQ(gw_overlap("ExpressRoute", ER_GW, "192.168.0.0/16", 0,
	    RT_ON("s/d", "172.16.0.0/16", "'VirtualAppliance','next_hop_ip':"
	    "'10.1.1.4'"), "VR-14", w, sizeof(w)), 0u, "VR-14: a Route Server "
	    "instance's NIC is a NIC: no VR-14 warning");
	T_EQ(gw_overlap("ExpressRoute", "{'name':'vpn','type':'Vpn',"
	    "'active_active':false,'tunnels':[{'site':'hq'}]}",
	    "192.168.0.0/16", 0, "", "RS-54", w, sizeof(w)), 1u, "RS-54: a "
	    "Route Server beside an active-standby VPN gateway warns: %s", w);
	T_OK(strstr(w, "regions[0].hub.gateways[0].active_active: ") == w,
	    "RS-54: the warning names the gateway's active_active");
	T_EQ(gw_overlap("ExpressRoute", VPN_GW, "192.168.0.0/16", 0, "",
	    "RS-54", w, sizeof(w)), 0u, "RS-54: an active-active VPN gateway "
	    "(the default): no warning");
	T_EQ(lint_doc("{'name':'n','regions':[{'name':'r','hub':{'name':'hub',"
	    "'address_space':['10.1.0.0/16'],'subnets':{'GatewaySubnet':"
	    "'10.1.0.0/27','d':'10.1.2.0/24'},'gateways':[{'name':'vpn',"
	    "'type':'Vpn','active_active':false,'tunnels':[{'site':'hq'}]}]}}],"
	    "'sites':[{'name':'hq','asn':64512,'prefixes':['172.16.0.0/16']}]}",
	    "RS-54", w, sizeof(w)), 0u, "RS-54: an active-standby VPN gateway "
	    "without a Route Server: no warning");
}

int
main(void)
{
	const char *fwdef = "\"advertise\": [\"0.0.0.0/0\"]";
	const char *rt_inet = ", \"route_tables\": [ { \"name\": \"rt\", \"subnets\": "
	    "[\"hub/nva\"], \"routes\": [ { \"name\": \"i\", \"prefix\": \"0.0.0.0/0\","
	    " \"next_hop_type\": \"Internet\" } ] } ]";
	char w[600];

	T_EQ(lint("", fwdef, "\"asn\": 65002", "", "RS-22", w, sizeof(w)), 1u,
	    "RS-22: an NVA advertising 0.0.0.0/0 without a UDR to Internet warns: %s", w);
	T_OK(strstr(w, "regions[0].hub.nvas[0].advertise[0]") != NULL,
	    "RS-22: the warning names the JSON path");
	T_EQ(lint("", fwdef, "\"asn\": 65002", rt_inet, "RS-22", w, sizeof(w)), 0u,
	    "RS-22: with a UDR 0.0.0.0/0 -> Internet on the NVA subnet, no warning");
	T_EQ(lint("", "\"advertise\": [\"10.2.0.0/16\"]", "\"asn\": 65002", "", "RS-21",
	    w, sizeof(w)), 1u, "RS-21: an NVA route equal to a served spoke prefix "
	    "warns: %s", w);
	T_EQ(lint("", "\"advertise\": [\"10.1.7.0/24\"]", "\"asn\": 65002", "", "inside",
	    w, sizeof(w)), 1u, "RS-21: an NVA route inside the hub prefix warns");
	T_EQ(lint("", "\"advertise\": [\"10.0.0.0/8\"]", "\"asn\": 65002", "", "RS-21",
	    w, sizeof(w)), 0u, "RS-21: a supernet (10.0.0.0/8) is programmed: no warning");
	T_EQ(lint("", "\"advertise\": [\"10.0.0.0/8\"]", "\"asn\": 65001", "", "share AS",
	    w, sizeof(w)), 1u, "two NVAs with one ASN warn about allowas-in: %s", w);
	T_EQ(lint("", "\"advertise\": [\"10.0.0.0/8\"]", "\"asn\": 65002", "", "share AS",
	    w, sizeof(w)), 0u, "NVAs with their own ASNs: no warning");
	T_EQ(lint("\"timers\": { \"hold\": 180 },", "\"advertise\": []", "\"asn\": 65002",
	    "", "timers.hold", w, sizeof(w)), 0u, "RS-43: Azure's default hold "
	    "time (180 s) is a valid design: no warning (%s)", w);
	T_EQ(lint("", "\"advertise\": []", "\"asn\": 65002", "", "", w,
	    sizeof(w)), 0u, "RS-43: Azure's default timers pass validate "
	    "--strict: no warning at all (%s)", w);
	T_EQ(lint("\"timers\": { \"hold\": 9 },", "\"advertise\": []", "\"asn\": 65002",
	    "", "timers.hold", w, sizeof(w)), 0u, "hold 9 s: no warning");
	T_EQ(lint("\"timers\": { \"hold\": 0, \"keepalive\": 0 },", "\"advertise\": []",
	    "\"asn\": 65002", "", "never noticed", w, sizeof(w)), 1u,
	    "hold 0: a frozen NVA is never noticed");
	test_rs53();
	test_next_hops();
	test_rs52();
	test_md5();
	test_server();
	test_rs42();
	test_site_limits();
	test_gw11();
	test_gw_overlap();
	return t_done();
}
