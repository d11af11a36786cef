/*
 * test_decide: best path, ECMP set and import/export policy of both roles,
 * with no sockets: paths are put straight into the RIB.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../bgp/bgpd.h"
#include "t.h"
#include "tpfx.h"

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
setup(enum bgp_role role, uint32_t asn, unsigned npeers, const uint32_t *peer_asn)
{
	unsigned i;

	rib_free(&spk.rib);
	bgp_conf_init(&conf);
	conf.role = role;
	conf.asn = asn;
	conf.local_addr = conf.bgp_id = A("10.1.1.4");
	conf.npeers = npeers;
	memset(&spk, 0, sizeof(spk));
	spk.conf = &conf;
	spk.npeers = npeers;
	rib_init(&spk.rib);
	for (i = 0; i < npeers; i++) {
		snprintf(conf.peers[i].name, sizeof(conf.peers[i].name), "nva%u", i + 1);
		conf.peers[i].addr = A("10.1.2.4") + i;
		conf.peers[i].asn = peer_asn[i];
		spk.peers[i].s = &spk;
		spk.peers[i].conf = &conf.peers[i];
		spk.peers[i].idx = i;
		spk.peers[i].remote_id = conf.peers[i].addr;
		spk.peers[i].state = ST_ESTABLISHED;
	}
}

/* Add a path from peer i (or local when i < 0) with the given AS path. */
static void
add(const char *pfx, int i, const uint32_t *path, unsigned n, uint32_t nh)
{
	struct rib_entry *e;
	struct bgp_attrs a;
	struct pfx4 p = P(pfx);

	bgp_attrs_init(&a);
	a.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH) |
	    BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
	a.origin = BGP_ORIGIN_IGP;
	bgp_aspath_set(&a, path, n);
	a.nexthop = nh;
	e = rib_get(&spk.rib, &p);
	rib_set_path(&spk.rib, e, i < 0 ? NULL : &spk.peers[i], &a,
	    i < 0 ? NULL : policy_import(&spk, &spk.peers[i], &a));
	bgp_attrs_free(&a);
}

static struct rib_entry *
entry(const char *pfx)
{
	struct pfx4 p = P(pfx);

	return rib_lookup(&spk.rib, &p);
}

/*
 * The RIB's attributes are interned, never changed in place: a copy of
 * peer i's at pfx, to change and give back with put().
 */
static struct bgp_attrs edited;

static struct bgp_attrs *
edit(const char *pfx, int i)
{
	struct rib_path *rp = rib_path_find(entry(pfx),
	    i < 0 ? NULL : &spk.peers[i]);

	bgp_attrs_copy(&edited, rp->attrs);
	return &edited;
}

static void
put(const char *pfx, int i)
{
	struct peer *peer = i < 0 ? NULL : &spk.peers[i];
	struct rib_path *rp = rib_path_find(entry(pfx), peer);

	rib_set_path(&spk.rib, entry(pfx), peer, &edited, rp->reject);
	bgp_attrs_free(&edited);
}

static void
decide_at(const char *pfx, struct decision *d)
{
	struct rib_entry *e = entry(pfx);

	decide(&spk, e, d);
	e->best = d->best;
}

static void
test_rs_ecmp(void)
{
	uint32_t asn[3] = { 65001, 65002, 65003 };
	uint32_t p1[] = { 65001 }, p2[] = { 65002 }, p3[] = { 65003, 65003 };
	struct decision d;

	setup(BGP_ROLE_RS, 65515, 3, asn);
	add("10.0.0.0/8", 0, p1, 1, A("10.1.2.4"));
	add("10.0.0.0/8", 1, p2, 1, A("10.1.2.5"));
	add("10.0.0.0/8", 2, p3, 2, A("10.1.2.6"));
	decide_at("10.0.0.0/8", &d);
	T_EQ(d.nnh, 2u, "RS-33: equal AS path length from two NVAs: two next hops");
	T_OK(d.nh[0] == A("10.1.2.4") && d.nh[1] == A("10.1.2.5"),
	    "RS-33: the next hops are the NVAs' NEXT_HOPs, sorted (RS-23)");
	T_EQ(d.hops, 1u, "RS-33: the programmed AS path length is the shortest");
	T_OK(d.best == rib_path_find(entry("10.0.0.0/8"), &spk.peers[0]),
	    "RS-33: the advertised best is the lowest BGP identifier");
}

static void
test_rs_prepend(void)
{
	uint32_t asn[2] = { 65514, 65514 };
	uint32_t p1[] = { 65514 }, p2[] = { 65514, 65514 };
	struct decision d;

	setup(BGP_ROLE_RS, 65515, 2, asn);
	add("10.50.0.0/16", 0, p1, 1, A("10.1.2.4"));
	add("10.50.0.0/16", 1, p2, 2, A("10.1.2.5"));
	decide_at("10.50.0.0/16", &d);
	T_OK(d.nnh == 1 && d.nh[0] == A("10.1.2.4"),
	    "RS-34: prepended \"65514-65514\" loses to \"65514\": one next hop");
	rib_del_path(&spk.rib, entry("10.50.0.0/16"), &spk.peers[0]);
	decide_at("10.50.0.0/16", &d);
	T_OK(d.nnh == 1 && d.nh[0] == A("10.1.2.5"),
	    "RS-34: withdrawing the shorter path promotes the prepended one");
}

static void
test_rs_ignores_med_localpref(void)
{
	uint32_t asn[2] = { 65001, 65002 };
	uint32_t p1[] = { 65001 }, p2[] = { 65002 };
	struct bgp_attrs *a;
	struct decision d;

	setup(BGP_ROLE_RS, 65515, 2, asn);
	add("10.9.0.0/16", 0, p1, 1, A("10.1.2.4"));
	add("10.9.0.0/16", 1, p2, 1, A("10.1.2.5"));
	a = edit("10.9.0.0/16", 0);
	a->present |= BGP_ATTR_BIT(BGP_ATTR_MED) | BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF);
	a->med = 500;
	a->local_pref = 50;
	a->origin = BGP_ORIGIN_INCOMPLETE;
	put("10.9.0.0/16", 0);
	decide_at("10.9.0.0/16", &d);
	T_EQ(d.nnh, 2u, "RS-32/U-07: MED, LOCAL_PREF and ORIGIN do not break the ECMP tie");
}

static void
test_rs_import(void)
{
	uint32_t asn[1] = { 65001 };
	uint32_t bad[] = { 65001, 65515, 65002 };
	struct decision d;

	setup(BGP_ROLE_RS, 65515, 1, asn);
	add("10.60.0.0/16", 0, bad, 3, A("10.1.2.4"));
	decide_at("10.60.0.0/16", &d);
	T_OK(d.best == NULL && d.nnh == 0,
	    "RS-20: a path holding 65515 is neither installed nor propagated");
	T_OK(entry("10.60.0.0/16")->paths != NULL &&
	    entry("10.60.0.0/16")->paths->reject != NULL,
	    "U-09: the rejected path stays in the Adj-RIB-In with its reason");
}

static void
test_rs_export(void)
{
	uint32_t asn[3] = { 65001, 65002, 65003 };
	uint32_t p1[] = { 65001 };
	struct bgp_attrs out;
	struct bgp_attrs *a;
	struct decision d;
	char buf[64];

	setup(BGP_ROLE_RS, 65515, 3, asn);
	add("10.250.0.0/16", 0, p1, 1, A("10.1.2.4"));
	decide_at("10.250.0.0/16", &d);
	bgp_attrs_init(&out);
	T_OK(!policy_export(&spk, &spk.peers[0], entry("10.250.0.0/16"), &out),
	    "RS-12: a route is not sent back to the NVA it came from");
	T_OK(policy_export(&spk, &spk.peers[1], entry("10.250.0.0/16"), &out),
	    "RS-12: a route from one NVA is advertised to the other NVAs");
	T_OK(strcmp(bgp_aspath_fmt(&out, '-', buf, sizeof(buf)), "65515-65001") == 0,
	    "U-08: 65515 is prepended (got %s)", buf);
	T_EQ(out.nexthop, A("10.1.2.4"), "U-08: the NVA's next hop is kept");
	bgp_attrs_free(&out);

	a = edit("10.250.0.0/16", 0);
	a->comm = calloc(1, sizeof(uint32_t));
	a->comm[0] = BGP_COMM_NO_ADVERTISE;
	a->ncomm = 1;
	a->present |= BGP_ATTR_BIT(BGP_ATTR_COMMUNITIES);
	put("10.250.0.0/16", 0);
	T_OK(!policy_export(&spk, &spk.peers[1], entry("10.250.0.0/16"), &out),
	    "RS-24: NO_ADVERTISE is advertised to no other peer");
	decide_at("10.250.0.0/16", &d);
	T_EQ(d.nnh, 1u, "RS-24: NO_ADVERTISE is still programmed into the VNet");
	a = edit("10.250.0.0/16", 0);
	a->comm[0] = BGP_COMM_NO_EXPORT;
	put("10.250.0.0/16", 0);
	T_OK(policy_export(&spk, &spk.peers[1], entry("10.250.0.0/16"), &out) &&
	    bgp_attrs_has_comm(&out, BGP_COMM_NO_EXPORT),
	    "U-06: NO_EXPORT passes through unchanged and is not acted on");
	bgp_attrs_free(&out);
}

static void
test_rs_vnet_routes(void)
{
	uint32_t asn[1] = { 65001 };
	uint32_t nva[] = { 65001 };
	struct bgp_attrs out;
	struct decision d;
	char buf[64];

	setup(BGP_ROLE_RS, 65515, 1, asn);
	add("10.1.0.0/16", -1, NULL, 0, conf.local_addr);
	add("10.1.0.0/16", 0, nva, 1, A("10.1.2.4"));
	decide_at("10.1.0.0/16", &d);
	T_OK(d.best != NULL && d.best->peer == NULL && d.nnh == 0,
	    "RS-21: the RS's own VNet prefix wins and is never programmed from BGP");
	bgp_attrs_init(&out);
	T_OK(policy_export(&spk, &spk.peers[0], entry("10.1.0.0/16"), &out),
	    "RS-10: the VNet prefix is advertised to the NVA");
	T_OK(strcmp(bgp_aspath_fmt(&out, '-', buf, sizeof(buf)), "65515") == 0 &&
	    out.nexthop == conf.local_addr && out.origin == BGP_ORIGIN_IGP,
	    "RS-11: AS path \"65515\", origin IGP, next hop = the instance IP");
	bgp_attrs_free(&out);
}

static void
test_router_rfc_order(void)
{
	uint32_t asn[2] = { 65515, 65515 };
	uint32_t p[] = { 65515 }, longer[] = { 65515, 65001 };
	struct bgp_attrs *a;
	struct decision d;

	setup(BGP_ROLE_ROUTER, 65010, 2, asn);
	conf.local_addr = A("10.1.2.4");
	add("10.2.0.0/16", 0, p, 1, A("10.1.1.4"));
	add("10.2.0.0/16", 1, p, 1, A("10.1.1.5"));
	decide_at("10.2.0.0/16", &d);
	T_EQ(d.nnh, 2u, "RFC 4271 9.1.2.2: equal paths from the same neighbour AS: multipath");
	a = edit("10.2.0.0/16", 1);
	a->present |= BGP_ATTR_BIT(BGP_ATTR_MED);
	a->med = 10;
	put("10.2.0.0/16", 1);
	decide_at("10.2.0.0/16", &d);
	T_OK(d.nnh == 1 && d.nh[0] == A("10.1.1.4"),
	    "RFC 4271 9.1.2.2(c): lower MED wins between paths from one neighbour AS");
	add("10.3.0.0/16", 0, longer, 2, A("10.1.1.4"));
	add("10.3.0.0/16", 1, p, 1, A("10.1.1.5"));
	decide_at("10.3.0.0/16", &d);
	T_OK(d.nnh == 1 && d.nh[0] == A("10.1.1.5"),
	    "RFC 4271 9.1.2.2(a): shorter AS_PATH wins");
}

static void
test_router_ebgp_local_pref(void)
{
	uint32_t asn[2] = { 65515, 65515 };
	uint32_t p[] = { 65515 };
	struct bgp_attrs *a;
	struct decision d;

	setup(BGP_ROLE_ROUTER, 65010, 2, asn);
	add("10.4.0.0/16", 0, p, 1, A("10.1.1.4"));
	add("10.4.0.0/16", 1, p, 1, A("10.1.1.5"));
	a = edit("10.4.0.0/16", 1);
	a->present |= BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF);
	a->local_pref = 500;
	put("10.4.0.0/16", 1);
	decide_at("10.4.0.0/16", &d);
	T_EQ(d.nnh, 2u, "RFC 7606 7.5: LOCAL_PREF received from an eBGP peer is ignored");
}

static void
test_router_originates_no_advertise(void)
{
	uint32_t asn[1] = { 65515 };
	struct rib_entry *e;
	struct bgp_attrs out, *a;
	struct decision d;

	setup(BGP_ROLE_ROUTER, 65001, 1, asn);
	add("10.250.0.0/16", -1, NULL, 0, conf.local_addr);
	a = edit("10.250.0.0/16", -1);
	if ((a->comm = calloc(1, sizeof(uint32_t))) == NULL)
		abort();
	a->comm[0] = BGP_COMM_NO_ADVERTISE;
	a->ncomm = 1;
	a->present |= BGP_ATTR_BIT(BGP_ATTR_COMMUNITIES);
	put("10.250.0.0/16", -1);
	e = entry("10.250.0.0/16");
	decide_at("10.250.0.0/16", &d);
	bgp_attrs_init(&out);
	T_OK(policy_export(&spk, &spk.peers[0], e, &out) &&
	    bgp_attrs_has_comm(&out, BGP_COMM_NO_ADVERTISE),
	    "RS-24/RFC 1997: an NVA sends its own NO_ADVERTISE route, tagged, "
	    "to the route server (the community binds the receiver)");
	bgp_attrs_free(&out);
}

static void
test_router_loop(void)
{
	uint32_t asn[1] = { 65515 };
	uint32_t looped[] = { 65515, 65010 };
	struct decision d;

	setup(BGP_ROLE_ROUTER, 65010, 1, asn);
	add("10.0.0.0/8", 0, looped, 2, A("10.1.2.5"));
	decide_at("10.0.0.0/8", &d);
	T_OK(d.best == NULL,
	    "RFC 4271 9.1.2: a path holding our own ASN is dropped (NVAs sharing an ASN)");
}

/*
 * GW-09: an ExpressRoute gateway instance (router role) prefers the circuit
 * of higher connection weight (its MSEE peer's weight) before AS path
 * length; equal weights leave the RFC order (and multipath) as it was.
 */
static void
test_router_peer_weight(void)
{
	uint32_t asn[2] = { 12076, 12076 };
	uint32_t longer[] = { 12076, 64512, 64512 }, p[] = { 12076, 64512 };
	struct decision d;

	setup(BGP_ROLE_ROUTER, 65515, 2, asn);
	conf.max_paths = 8;
	add("172.16.0.0/16", 0, p, 2, A("169.254.21.2"));
	add("172.16.0.0/16", 1, p, 2, A("169.254.21.14"));
	decide_at("172.16.0.0/16", &d);
	T_EQ(d.nnh, 2u, "GW-09: equal weights, equal paths: both circuits (ECMP)");
	conf.peers[1].weight = 100;
	decide_at("172.16.0.0/16", &d);
	T_OK(d.nnh == 1 && d.nh[0] == A("169.254.21.14"), "GW-09: the "
	    "heavier circuit alone");
	add("172.17.0.0/16", 0, p, 2, A("169.254.21.2"));
	add("172.17.0.0/16", 1, longer, 3, A("169.254.21.14"));
	decide_at("172.17.0.0/16", &d);
	T_OK(d.nnh == 1 && d.nh[0] == A("169.254.21.14"), "GW-09: weight is "
	    "compared before AS path length");
	conf.peers[1].weight = 0;
	decide_at("172.17.0.0/16", &d);
	T_OK(d.nnh == 1 && d.nh[0] == A("169.254.21.2"), "and without it the "
	    "shorter path wins");
	conf.max_paths = 0;
}

/* An originated route's own policy (bgp_orig_pol): prepend, MED, communities. */
static void
test_router_orig_policy(void)
{
	static const uint32_t mine[] = { 65010u << 16 | 250 };
	static const uint32_t all[] = { 65010u << 16 | 1 };
	uint32_t asn[1] = { 65515 };
	struct pfx4 orig[2] = { P("10.250.0.0/16"), P("10.251.0.0/16") };
	struct bgp_orig_pol pol[2] = {
		{ 0, false, 0, mine, 1 },	/* sorted as orig[] */
		{ 2, true, 200, NULL, 0 },
	};
	char buf[64];
	struct bgp_attrs out;

	setup(BGP_ROLE_ROUTER, 65010, 1, asn);
	conf.originate = orig;
	conf.noriginate = 2;
	conf.orig_pol = pol;
	conf.orig_comm = (uint32_t *)all;
	conf.norig_comm = 1;
	conf.prepend = 1;
	spk.prepend = 1;
	conf.log_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);	/* its logs */
	speaker_originate(&spk, &orig[0], true);
	speaker_originate(&spk, &orig[1], true);
	close(conf.log_fd);
	conf.log_fd = -1;
	decide_at("10.250.0.0/16", &(struct decision){ 0 });
	decide_at("10.251.0.0/16", &(struct decision){ 0 });
	bgp_attrs_init(&out);
	T_OK(policy_export(&spk, &spk.peers[0], entry("10.250.0.0/16"), &out),
	    "an originated route with a policy is sent");
	T_OK(strcmp(bgp_aspath_fmt(&out, '-', buf, sizeof(buf)),
	    "65010-65010") == 0 && out.ncomm == 2 && out.comm[0] == all[0] &&
	    out.comm[1] == mine[0] &&
	    !(out.present & BGP_ATTR_BIT(BGP_ATTR_MED)), "10.250.0.0/16: the "
	    "speaker's prepend (%s) and communities, then the route's own",
	    buf);
	bgp_attrs_free(&out);
	T_OK(policy_export(&spk, &spk.peers[0], entry("10.251.0.0/16"), &out) &&
	    strcmp(bgp_aspath_fmt(&out, '-', buf, sizeof(buf)),
	    "65010-65010-65010-65010") == 0, "10.251.0.0/16: its prepend 2 "
	    "adds to the speaker's 1 (%s)", buf);
	T_OK((out.present & BGP_ATTR_BIT(BGP_ATTR_MED)) && out.med == 200,
	    "RFC 4271 5.1.4: the MED set on our own route is sent");
	bgp_attrs_free(&out);
	conf.originate = NULL;
	conf.noriginate = 0;
	conf.orig_pol = NULL;
	conf.orig_comm = NULL;
	conf.norig_comm = 0;
}

int
main(void)
{
	test_rs_ecmp();
	test_rs_prepend();
	test_rs_ignores_med_localpref();
	test_rs_import();
	test_rs_export();
	test_rs_vnet_routes();
	test_router_rfc_order();
	test_router_ebgp_local_pref();
	test_router_originates_no_advertise();
	test_router_orig_policy();
	test_router_loop();
	test_router_peer_weight();
	rib_free(&spk.rib);
	return t_done();
}
