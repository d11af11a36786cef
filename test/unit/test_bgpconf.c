/*
 * test_bgpconf: what each speaker of a lab is configured with (emu/bgpconf.c):
 * the platform's sessions between Route Server and gateways (RS-50), the
 * ASNs Azure uses (GW-01) and the route limits on gateway peerings (GW-05,
 * GW-07). Pure: no namespace, no process.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../emu/emu.h"
#include "../../bgp/hubpref.h"
#include "../../lib/util.h"
#include "t.h"

static struct bgp_conf conf;

static const struct bgp_peer_conf *
peer(const char *name)
{
	size_t i;

	for (i = 0; i < conf.npeers; i++)
		if (strcmp(conf.peers[i].name, name) == 0)
			return &conf.peers[i];
	return NULL;
}

static int
load_conf(const struct topo *t, const char *node)
{
	const struct topo_node *n = topo_node_find(t, node);

	emu_bgp_conf_free(&conf);
	memset(&conf, 0, sizeof(conf));
	return n == NULL ? -1 : emu_bgp_conf(t, n, "/nonexistent.sock", &conf);
}

static struct topo *
load(const char *file)
{
	struct topo_err err;
	struct topo *t;

	if (topo_load_file(file, &t, &err) == -1)
		die("%s: %s: %s", file, err.path, err.msg);
	return t;
}

static void
test_rs_gateways(void)
{
	struct topo *t = load("examples/sdwan-branches.json");
	const struct bgp_peer_conf *p;
	const char *gw[] = { "hub-er0", "hub-er1", "hub-vpn0", "hub-vpn1" };
	size_t i;

	T_EQ(load_conf(t, "hub-rs0"), 0, "hub-rs0 has a configuration");
	for (i = 0; i < 4; i++) {
		p = peer(gw[i]);
		T_OK(p != NULL && p->asn == 65515 && p->passive &&
		    p->kind == (i < 2 ? BGP_SRC_ER : BGP_SRC_VPN) &&
		    p->route_limit == 0,
		    "RS-50: Route Server instance 0 has %s as an iBGP peer (65515, "
		    "passive, kind %s, no RS-40 limit)", gw[i], i < 2 ? "ER" : "VPN");
	}
	p = peer("sdwan");
	T_OK(p != NULL && p->asn == 65010 && p->route_limit == 4000,
	    "RS-40: the NVA keeps its route limit beside the gateways");
	T_OK(conf.branch_to_branch, "RS-12: branch_to_branch reaches the speaker");
	T_EQ(load_conf(t, "hub-er1"), 0, "hub-er1 has a configuration");
	T_EQ(conf.asn, 65515, "GW-01: an ExpressRoute gateway instance is AS 65515");
	for (i = 0; i < 2; i++) {
		p = peer(i ? "hub-rs1" : "hub-rs0");
		T_OK(p != NULL && p->asn == 65515 && !p->passive &&
		    p->kind == BGP_SRC_RS, "RS-50: the gateway connects to Route "
		    "Server instance %zu, iBGP, kind RS", i);
	}
	p = peer("hub-er-msee");
	T_OK(p != NULL && p->asn == 12076, "GW-01: the MSEE is AS 12076");
	topo_free(t);
}

static void
test_limits(void)
{
	struct topo *t = load("examples/er-vpn.json");
	const struct bgp_peer_conf *p;

	T_EQ(load_conf(t, "hub-vpn0"), 0, "hub-vpn0 has a configuration");
	p = peer("dc-edge");
	T_OK(p != NULL && p->kind == BGP_SRC_VPN && p->route_limit == 4000,
	    "GW-05: a VPN gateway takes at most 4,000 prefixes from its site");
	T_OK(p != NULL && p->hold == 180 && p->keepalive == 60,
	    "GW-06: a VPN gateway proposes keepalive 60 s, hold 180 s to its site");
	T_EQ(conf.hold, 9, "GW-06: the lab's hold time stays the speaker's own");
	T_OK(peer("hub-rs0") == NULL, "RS-50: no Route Server, no platform peer");
	T_EQ(load_conf(t, "hub-er-msee"), 0, "the MSEE has a configuration");
	p = peer("dc-edge");
	T_OK(p != NULL && p->route_limit == 4000,
	    "GW-07: the private peering takes at most 4,000 prefixes from on-premises");
	p = peer("hub-er0");
	T_OK(p != NULL && p->route_limit == 1000,
	    "RS-42/D-15: the MSEE takes at most 1,000 prefixes from each gateway "
	    "instance (VNet prefixes and, with branch-to-branch, RS-learned ones)");
	T_EQ(load_conf(t, "dc-edge"), 0, "the site's edge has a configuration");
	T_EQ(conf.asn, 64512, "the site's edge speaks with the site's ASN");
	topo_free(t);
}

static void
test_server(void)
{
	static const char doc[] = "{\"name\": \"s\", \"regions\": [{\"name\": "
	    "\"r\", \"hub\": {\"name\": \"hub\", \"address_space\": "
	    "[\"10.1.0.0/16\"], \"subnets\": {\"RouteServerSubnet\": "
	    "\"10.1.1.0/27\", \"app\": \"10.1.2.0/24\"}, \"route_server\": {}, "
	    "\"nvas\": [{\"name\": \"dns1\", \"subnet\": \"app\", \"asn\": "
	    "65100, \"role\": \"server\", \"advertise\": [\"10.99.0.1/32\"]}, "
	    "{\"name\": \"fw\", \"subnet\": \"app\", \"asn\": 65001}]}}]}";
	struct topo_err err;
	struct topo *t;

	if (topo_load_string(doc, strlen(doc), &t, &err) == -1)
		die("server topology: %s: %s", err.path, err.msg);
	T_EQ(load_conf(t, "dns1"), 0, "the server has a configuration");
	T_OK(conf.no_transit, "a server's speaker is never transit (no_transit)");
	T_EQ(load_conf(t, "fw"), 0, "the NVA has a configuration");
	T_OK(!conf.no_transit, "an NVA passes routes on");
	topo_free(t);
}

int
main(void)
{
	test_server();
	test_rs_gateways();
	test_limits();
	emu_bgp_conf_free(&conf);
	return t_done();
}
