/*
 * test_gwpolicy: Route Server with gateways (issue 5), with no sockets:
 * paths go straight into the RIB, as in test_decide. Peer 0 is an NVA
 * (AS 65001), peer 1 an ExpressRoute gateway instance, peer 2 a VPN
 * gateway instance (both iBGP, AS 65515, RS-50).
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "../../bgp/bgpd.h"
#include "../../bgp/hubpref.h"
#include "t.h"

static struct bgp_conf conf;
static struct speaker spk;

static uint32_t
A(const char *s)
{
	uint32_t a = 0;

	addr_parse(s, &a);
	return a;
}

static void
setup(enum bgp_role role, bool b2b, enum az_hub_pref pref)
{
	static const uint32_t asn[3] = { 65001, 65515, 65515 };
	static const uint8_t kind[3] = { BGP_SRC_NVA, BGP_SRC_ER, BGP_SRC_VPN };
	unsigned i;

	rib_free(&spk.rib);
	bgp_conf_init(&conf);
	conf.role = role;
	conf.asn = 65515;
	conf.local_addr = conf.bgp_id = A("10.1.1.4");
	conf.branch_to_branch = b2b;
	conf.hub_pref = (uint8_t)pref;
	conf.max_paths = 8;
	conf.npeers = 3;
	memset(&spk, 0, sizeof(spk));
	spk.conf = &conf;
	spk.npeers = 3;
	rib_init(&spk.rib);
	for (i = 0; i < 3; i++) {
		snprintf(conf.peers[i].name, sizeof(conf.peers[i].name), "p%u", i);
		conf.peers[i].addr = A("10.1.0.4") + i;
		conf.peers[i].asn = asn[i];
		conf.peers[i].kind = kind[i];
		spk.peers[i].s = &spk;
		spk.peers[i].conf = &conf.peers[i];
		spk.peers[i].idx = i;
		spk.peers[i].remote_id = conf.peers[i].addr;
		spk.peers[i].state = ST_ESTABLISHED;
	}
}

/* A path from peer i (local when i < 0) of n hops of asn. */
static void
add(const char *pfx, int i, uint32_t asn, unsigned n)
{
	uint32_t path[8];
	struct rib_entry *e;
	struct bgp_attrs a;
	struct pfx4 p;
	unsigned k;

	for (k = 0; k < n; k++)
		path[k] = asn;
	pfx_parse(pfx, &p);
	bgp_attrs_init(&a);
	a.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH) |
	    BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
	a.origin = BGP_ORIGIN_IGP;
	bgp_aspath_set(&a, path, n);
	a.nexthop = i < 0 ? 0 : conf.peers[i].addr;
	e = rib_get(&spk.rib, &p);
	rib_set_path(&spk.rib, e, i < 0 ? NULL : &spk.peers[i], &a,
	    i < 0 ? NULL : policy_import(&spk, &spk.peers[i], &a));
	bgp_attrs_free(&a);
}

static struct rib_entry *
decided(const char *pfx, struct decision *d)
{
	struct rib_entry *e;
	struct pfx4 p;

	pfx_parse(pfx, &p);
	e = rib_lookup(&spk.rib, &p);
	decide(&spk, e, d);
	e->best = d->best;
	return e;
}

static bool
sends(int to, const char *pfx)
{
	struct decision d;
	struct bgp_attrs out;
	struct rib_entry *e = decided(pfx, &d);
	bool r;

	bgp_attrs_init(&out);
	r = policy_export(&spk, &spk.peers[to], e, &out);
	bgp_attrs_free(&out);
	return r;
}

static void
test_exchange(void)
{
	setup(BGP_ROLE_RS, false, AZ_PREF_EXPRESSROUTE);
	add("10.1.0.0/16", -1, 0, 0);
	add("10.50.0.0/16", 0, 65001, 1);
	add("172.16.0.0/16", 1, 12076, 2);
	add("192.168.0.0/16", 2, 64600, 1);
	T_OK(!sends(1, "10.50.0.0/16"), "RS-12: branch-to-branch off: no NVA "
	    "route to the ER gateway");
	T_OK(!sends(0, "172.16.0.0/16"), "RS-13: branch-to-branch off: no ER "
	    "route to the NVA");
	T_OK(!sends(2, "172.16.0.0/16"), "RS-13: branch-to-branch off: no "
	    "ER <-> VPN transit");
	T_OK(!sends(1, "10.1.0.0/16"), "RS-14: the VNet space goes to the "
	    "gateway by its own path, never from Route Server");
	T_OK(sends(0, "10.1.0.0/16"), "RS-10: the NVA still gets the VNet");

	setup(BGP_ROLE_RS, true, AZ_PREF_EXPRESSROUTE);
	add("10.1.0.0/16", -1, 0, 0);
	add("10.50.0.0/16", 0, 65001, 1);
	add("172.16.0.0/16", 1, 12076, 2);
	add("192.168.0.0/16", 2, 64600, 1);
	T_OK(sends(1, "10.50.0.0/16") && sends(2, "10.50.0.0/16"),
	    "RS-12: branch-to-branch on: NVA routes go to the gateways");
	T_OK(sends(0, "172.16.0.0/16") && sends(0, "192.168.0.0/16"),
	    "RS-13: branch-to-branch on: gateway routes go to the NVA");
	T_OK(sends(2, "172.16.0.0/16") && sends(1, "192.168.0.0/16"),
	    "RS-13: branch-to-branch on: ER <-> VPN transit");
	T_OK(!sends(1, "10.1.0.0/16"), "RS-14: still no VNet prefix to the "
	    "gateway");
}

/* Which peer's path wins for a prefix offered by NVA (nh hops) and ER, VPN. */
static int
winner(enum az_hub_pref pref, unsigned nva, unsigned er, unsigned vpn)
{
	struct decision d;

	setup(BGP_ROLE_RS, true, pref);
	add("10.9.0.0/16", 0, 65001, nva);
	if (er)
		add("10.9.0.0/16", 1, 12076, er);
	if (vpn)
		add("10.9.0.0/16", 2, 64600, vpn);
	decided("10.9.0.0/16", &d);
	return d.best == NULL || d.best->peer == NULL ? -1 :
	    (int)d.best->peer->idx;
}

static void
test_preference(void)
{
	T_EQ(winner(AZ_PREF_EXPRESSROUTE, 1, 3, 1), 1, "RS-31 ExpressRoute: "
	    "ER wins over shorter NVA and VPN paths");
	T_EQ(winner(AZ_PREF_VPNGATEWAY, 3, 1, 2), 2, "RS-31 VpnGateway: VPN "
	    "and NVA beat ER; VPN's shorter path beats the NVA's");
	T_EQ(winner(AZ_PREF_VPNGATEWAY, 1, 1, 2), 0, "RS-31 VpnGateway: the "
	    "NVA's shorter path beats VPN; ER is out");
	T_EQ(winner(AZ_PREF_ASPATH, 1, 2, 3), 0, "RS-30 ASPath: the shortest "
	    "path wins whatever the source");
	T_EQ(winner(AZ_PREF_ASPATH, 2, 2, 0), 1, "RS-30 ASPath: equal paths, "
	    "ER first (GW-09)");
}

static void
test_gateway_side(void)
{
	setup(BGP_ROLE_ROUTER, false, AZ_PREF_EXPRESSROUTE);
	conf.peers[1].kind = BGP_SRC_RS;	/* the gateway's Route Server */
	conf.peers[2].kind = BGP_SRC_RS;
	add("10.1.0.0/16", -1, 0, 0);
	add("10.50.0.0/16", 1, 65001, 1);
	T_OK(!sends(1, "10.1.0.0/16"), "RS-14: a gateway sends no VNet prefix "
	    "to its Route Server");
	T_OK(!sends(2, "10.50.0.0/16"), "RS-50/RFC 4271 9.1.1: a route from one "
	    "Route Server instance (iBGP) is not sent to the other");
	T_OK(sends(0, "10.50.0.0/16"), "RS-51: an NVA route from Route Server "
	    "goes on to the eBGP side (MSEE, site)");
}

static void
test_server(void)
{
	setup(BGP_ROLE_ROUTER, false, AZ_PREF_EXPRESSROUTE);
	conf.asn = 65100;			/* a server peering with RS */
	conf.peers[1].kind = conf.peers[2].kind = BGP_SRC_NVA;	/* as bgpconf */
	conf.peers[1].asn = conf.peers[2].asn = 65515;
	add("10.60.0.0/16", -1, 0, 0);
	add("10.50.0.0/16", 1, 65001, 1);
	T_OK(sends(2, "10.50.0.0/16"), "without no_transit a learned route is "
	    "passed on (to the other Route Server instance)");
	conf.no_transit = true;
	T_OK(!sends(2, "10.50.0.0/16") && !sends(0, "10.50.0.0/16"),
	    "a server (no_transit) passes no learned route on: never a transit node");
	T_OK(sends(1, "10.60.0.0/16") && sends(2, "10.60.0.0/16"),
	    "a server still advertises what it originates");
}

/*
 * An NVA with sender_as_path_loop_detection sends the Route Server nothing
 * it learned through a Route Server (AS path holding 65515): RS-20 would drop
 * it, and RS-40 counts it first (2,001 routes re-advertised count 4,002).
 */
static void
test_sender_loop(void)
{
	setup(BGP_ROLE_ROUTER, false, AZ_PREF_EXPRESSROUTE);
	conf.asn = 65100;
	conf.peers[1].kind = conf.peers[2].kind = BGP_SRC_NVA;
	conf.peers[1].asn = conf.peers[2].asn = 65515;
	add("10.60.0.0/16", -1, 0, 0);
	add("10.70.0.0/16", 1, 65515, 1);
	T_OK(sends(2, "10.70.0.0/16"), "RS-40: an NVA passes a route learned from "
	    "one Route Server instance on to the other (which counts it)");
	conf.peers[2].sender_loop = true;
	T_OK(!sends(2, "10.70.0.0/16"), "RS-40/RS-20: with sender-side loop "
	    "detection it does not (the AS path holds the peer's 65515)");
	T_OK(sends(2, "10.60.0.0/16"), "and still sends what it originates");
	T_OK(sends(0, "10.70.0.0/16"), "and still passes the route on to a peer "
	    "whose AS is not in the path");
}

/* D-08: a branch may send the VPN gateway 0.0.0.0/0; it goes to no branch. */
static void
test_vpn_default(void)
{
	struct rib_entry *e;
	struct pfx4 p;

	setup(BGP_ROLE_ROUTER, false, AZ_PREF_EXPRESSROUTE);
	conf.peers[0].kind = conf.peers[2].kind = BGP_SRC_VPN;	/* branches */
	conf.peers[0].asn = 64600;
	conf.peers[2].asn = 64700;
	conf.peers[1].kind = BGP_SRC_RS;
	add("0.0.0.0/0", 0, 64600, 1);
	pfx_parse("0.0.0.0/0", &p);
	e = rib_lookup(&spk.rib, &p);
	T_OK(e != NULL && e->paths != NULL && e->paths->reject == NULL,
	    "D-08: the VPN gateway accepts 0.0.0.0/0 from a branch");
	T_OK(!sends(2, "0.0.0.0/0"), "D-08/GW-04: and re-advertises it to no "
	    "other branch");
}

static void
test_vpn_export(void)
{
	struct pfx4 vnet;

	setup(BGP_ROLE_ROUTER, false, AZ_PREF_EXPRESSROUTE);
	conf.peers[0].kind = BGP_SRC_VPN;	/* the branch over a tunnel */
	conf.peers[0].asn = 64600;
	conf.peers[1].kind = BGP_SRC_RS;
	conf.peers[2].kind = BGP_SRC_RS;
	pfx_parse("10.1.0.0/16", &vnet);
	conf.originate = &vnet;
	conf.noriginate = 1;
	add("10.1.0.0/16", -1, 0, 0);
	add("0.0.0.0/0", 1, 65001, 1);
	add("10.1.5.0/24", 1, 65001, 1);
	add("10.60.0.0/16", 1, 65001, 1);
	T_OK(sends(0, "10.1.0.0/16"), "GW-04: the VPN gateway advertises the "
	    "VNet prefixes to the branch");
	T_OK(!sends(0, "0.0.0.0/0"), "GW-04: never a default route, even one "
	    "learned from Route Server");
	T_OK(!sends(0, "10.1.5.0/24"), "GW-04: no learned route overlapping a "
	    "VNet prefix");
	T_OK(sends(0, "10.60.0.0/16"), "GW-04: other learned routes go to the "
	    "branch");
	conf.originate = NULL;
	conf.noriginate = 0;
}

static void
test_as_override(void)
{
	struct decision d;
	struct bgp_attrs out;
	struct rib_entry *e;
	char buf[64];

	setup(BGP_ROLE_ROUTER, false, AZ_PREF_EXPRESSROUTE);
	conf.asn = 65001;
	conf.peers[0].asn = 65002;
	conf.peers[0].kind = BGP_SRC_OVERLAY;
	conf.peers[1].kind = BGP_SRC_NVA;	/* the Route Server, eBGP */
	add("10.2.0.0/16", 1, 65515, 1);
	e = decided("10.2.0.0/16", &d);
	bgp_attrs_init(&out);
	T_OK(policy_export(&spk, &spk.peers[0], e, &out), "RS-52: the NVA "
	    "sends its region's VNets to the other region's NVA");
	bgp_aspath_fmt(&out, '-', buf, sizeof(buf));
	T_OK(strcmp(buf, "65001-65001") == 0, "RS-20: as-override: 65515 "
	    "becomes our ASN, then ours is prepended (%s)", buf);
	bgp_attrs_free(&out);
	conf.peers[0].kind = BGP_SRC_NVA;
	bgp_attrs_init(&out);
	policy_export(&spk, &spk.peers[0], e, &out);
	bgp_aspath_fmt(&out, '-', buf, sizeof(buf));
	T_OK(strcmp(buf, "65001-65515") == 0, "RS-20: without as-override the "
	    "path keeps 65515, which the other Route Server drops (%s)", buf);
	bgp_attrs_free(&out);
	/* PE-06: a Route Server peer (eBGP to 65515) with as_override */
	conf.peers[0].asn = 65515;
	conf.peers[0].as_override = true;
	conf.peers[0].sender_loop = true;
	bgp_attrs_init(&out);
	T_OK(policy_export(&spk, &spk.peers[0], e, &out), "PE-06: with "
	    "as-override an NVA passes one Route Server's VNet route to another "
	    "Route Server, sender-side loop detection notwithstanding");
	bgp_aspath_fmt(&out, '-', buf, sizeof(buf));
	T_OK(strcmp(buf, "65001-65001") == 0, "PE-06: as-override towards a "
	    "Route Server: 65515 becomes our ASN (%s)", buf);
	bgp_attrs_free(&out);
	conf.peers[0].as_override = false;
	T_OK(!sends(0, "10.2.0.0/16"), "PE-06/RS-20: without it, sender-side "
	    "loop detection keeps the route back");
	conf.peers[0].sender_loop = false;
}

/* The communities sent to peer `to` for pfx (at most 4), their count; -1 not sent. */
static int
sent_comms(int to, const char *pfx, uint32_t *c)
{
	struct decision d;
	struct bgp_attrs out;
	struct rib_entry *e = decided(pfx, &d);
	int n = -1;

	bgp_attrs_init(&out);
	if (policy_export(&spk, &spk.peers[to], e, &out)) {
		n = out.ncomm < 4 ? out.ncomm : 4;
		if (n > 0)
			memcpy(c, out.comm, (size_t)n * sizeof(*c));
	}
	bgp_attrs_free(&out);
	return n;
}

/*
 * GW-08, an MSEE: peer 0 the site edge (AS 64512), peer 1 a gateway
 * instance (65515). Towards the site, a VNet's prefix gets its tags; from
 * the site, no community the site set is acted on.
 */
static void
test_msee(void)
{
	static const struct bgp_tag tags[] = {
		{ { 0x0a020000, 16 }, { 12076u << 16 | 20001u,
		    12076u << 16 | 50024u }, 2 },
	};
	uint32_t c[4];
	struct rib_entry *e;
	struct pfx4 p;

	setup(BGP_ROLE_ROUTER, false, AZ_PREF_EXPRESSROUTE);
	conf.asn = 12076;
	conf.peers[0].asn = 64512;
	conf.peers[0].kind = BGP_SRC_NVA;
	conf.peers[1].kind = BGP_SRC_NVA;
	conf.peers[0].tags = tags;
	conf.peers[0].ntags = 1;
	conf.peers[0].comm_ignored = true;
	add("10.2.0.0/16", 1, 65515, 1);
	add("10.1.0.0/16", 1, 65515, 1);
	T_EQ(sent_comms(0, "10.2.0.0/16", c), 2, "GW-08: the MSEE sends the "
	    "site a tagged VNet prefix with two communities");
	T_OK(c[0] == (12076u << 16 | 20001u) && c[1] == (12076u << 16 | 50024u),
	    "GW-08: the VNet's own (12076:20001) and its region's (12076:50024)");
	T_EQ(sent_comms(0, "10.1.0.0/16", c), 0, "GW-08: a VNet without a "
	    "community of its own: none");
	T_EQ(sent_comms(2, "10.2.0.0/16", c), 0, "GW-08: tags go to the peer "
	    "they are set on only");
	/* the site's NO_EXPORT and NO_ADVERTISE: not honoured */
	add("172.16.0.0/16", 0, 64512, 1);
	pfx_parse("172.16.0.0/16", &p);
	e = rib_lookup(&spk.rib, &p);
	{
		/* interned attributes are replaced, never changed in place */
		struct bgp_attrs a;

		bgp_attrs_copy(&a, e->paths->attrs);
		a.comm = xcalloc(2, sizeof(uint32_t));
		a.comm[0] = BGP_COMM_NO_EXPORT;
		a.comm[1] = BGP_COMM_NO_ADVERTISE;
		a.ncomm = 2;
		a.present |= BGP_ATTR_BIT(BGP_ATTR_COMMUNITIES);
		rib_set_path(&spk.rib, e, e->paths->peer, &a, e->paths->reject);
		bgp_attrs_free(&a);
	}
	T_OK(sends(1, "172.16.0.0/16"), "GW-08: Microsoft honours no community "
	    "the site sets: NO_EXPORT and NO_ADVERTISE from the site still go "
	    "to the gateway");
	conf.peers[0].comm_ignored = false;
	T_OK(!sends(1, "172.16.0.0/16"), "and a speaker that honours them "
	    "(RFC 1997) does not send it (the control)");
	conf.peers[0].tags = NULL;
	conf.peers[0].ntags = 0;
}

/*
 * A shared circuit (RS-51): an MSEE's split horizon between the instances
 * of one gateway, and a gateway's allowRemoteVnetTraffic (allowas_in on its
 * MSEE peers: another VNet's path holds 65515 once).
 */
static void
test_remote_vnets(void)
{
	static const uint32_t other_vnet[] = { 12076, 65515 };
	static const uint32_t twice[] = { 12076, 65515, 65001, 65515 };
	struct bgp_attrs a;

	setup(BGP_ROLE_ROUTER, false, AZ_PREF_EXPRESSROUTE);
	conf.asn = 12076;			/* the MSEE */
	conf.peers[0].asn = 64512;		/* the site's edge */
	conf.peers[0].kind = conf.peers[1].kind = conf.peers[2].kind =
	    BGP_SRC_NVA;
	conf.peers[1].group = 1;		/* gateway A's instances */
	conf.peers[2].group = 1;
	add("10.1.0.0/16", 1, 65515, 1);
	T_OK(!sends(2, "10.1.0.0/16") && sends(0, "10.1.0.0/16"), "the MSEE "
	    "sends one instance of a gateway nothing the other sent it (split "
	    "horizon), the site all of it");
	conf.peers[2].group = 2;		/* gateway B's */
	T_OK(sends(2, "10.1.0.0/16"), "RS-51: and another gateway on the "
	    "circuit what gateway A sent (with 65515 in the path)");

	setup(BGP_ROLE_ROUTER, false, AZ_PREF_EXPRESSROUTE);
	conf.peers[1].asn = 12076;		/* gateway B's MSEE */
	bgp_attrs_init(&a);
	a.present = BGP_ATTR_BIT(BGP_ATTR_AS_PATH) |
	    BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
	a.nexthop = conf.peers[1].addr;
	bgp_aspath_set(&a, other_vnet, 2);
	T_OK(policy_import(&spk, &spk.peers[1], &a) != NULL, "RS-51: by "
	    "default a gateway drops another VNet's route from the circuit "
	    "(65515 in the path): VNet-to-VNet over ExpressRoute is off");
	conf.peers[1].allowas_in = true;
	T_OK(policy_import(&spk, &spk.peers[1], &a) == NULL,
	    "allowRemoteVnetTraffic: the gateway takes it (65515 once)");
	bgp_aspath_set(&a, twice, 4);
	T_OK(policy_import(&spk, &spk.peers[1], &a) != NULL, "but not a path "
	    "holding 65515 twice (a loop through another Route Server)");
	T_OK(policy_import(&spk, &spk.peers[2], &a) != NULL, "nor from a peer "
	    "without it");
	bgp_attrs_free(&a);
}

int
main(void)
{
	test_exchange();
	test_preference();
	test_gateway_side();
	test_server();
	test_sender_loop();
	test_vpn_default();
	test_vpn_export();
	test_as_override();
	test_msee();
	test_remote_vnets();
	rib_free(&spk.rib);
	return t_done();
}
