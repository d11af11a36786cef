/*
 * test_sim: the offline simulator (bgp/sim.c) with speakers built by hand,
 * no sockets: held paths entering through import policy, the Adj-RIB-Out
 * it reports with want_sent, and that bgp_sim_run() is unchanged by them.
 *
 * Hub 1: Route Server A at 10.1.1.4 (AS 65515, originates 10.1.0.0/16)
 * with NVA 1 (10.1.2.4, AS 65001, originates 10.50.0.0/16), NVA 2
 * (10.1.2.5, AS 65002, originates 10.60.0.0/16) and an ExpressRoute
 * gateway instance (10.1.3.4, iBGP 65515, RS-50) that is not simulated:
 * what it sent is held at the Route Server. Hub 2: Route Server B at
 * 10.2.1.4 (originates 10.2.0.0/16) with NVA 1 dual-homed (PE-06) and NVA 3
 * (10.2.2.4, AS 65003).
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "../../bgp/hubpref.h"
#include "../../bgp/sim.h"
#include "t.h"
#include "tpfx.h"

#define RS_A	"10.1.1.4"
#define RS_B	"10.2.1.4"
#define NVA1	"10.1.2.4"
#define NVA2	"10.1.2.5"
#define NVA3	"10.2.2.4"
#define GW	"10.1.3.4"

static struct pfx4 orig_a, orig_b, orig_1, orig_2, orig_3;

static uint32_t
A(const char *s)
{
	uint32_t a = 0;

	addr_parse(s, &a);
	return a;
}


static void
speaker(struct bgp_conf *c, enum bgp_role role, const char *addr,
    uint32_t asn, struct pfx4 *orig)
{
	bgp_conf_init(c);
	c->role = role;
	c->asn = asn;
	c->local_addr = c->bgp_id = A(addr);
	c->originate = orig;
	c->noriginate = 1;
	snprintf(c->name, sizeof(c->name), "%s", addr);
}

static struct bgp_peer_conf *
peer(struct bgp_conf *c, const char *addr, uint32_t asn, uint8_t kind,
    bool passive)
{
	struct bgp_peer_conf *p = &c->peers[c->npeers++];

	snprintf(p->name, sizeof(p->name), "%s", addr);
	p->addr = A(addr);
	p->asn = asn;
	p->kind = kind;
	p->passive = passive;
	return p;
}

/* Route Server A's peers, in order: NVA 1, NVA 2, the gateway. */
static struct bgp_conf rs_a, rs_b, nva1, nva2, nva3;

static void
confs(bool b2b, bool override)
{
	orig_a = P("10.1.0.0/16");
	orig_b = P("10.2.0.0/16");
	orig_1 = P("10.50.0.0/16");
	orig_2 = P("10.60.0.0/16");
	orig_3 = P("10.70.0.0/16");
	speaker(&rs_a, BGP_ROLE_RS, RS_A, BGP_RS_ASN, &orig_a);
	rs_a.branch_to_branch = b2b;
	peer(&rs_a, NVA1, 65001, BGP_SRC_NVA, false);
	peer(&rs_a, NVA2, 65002, BGP_SRC_NVA, false);
	peer(&rs_a, GW, BGP_RS_ASN, BGP_SRC_ER, true);
	speaker(&rs_b, BGP_ROLE_RS, RS_B, BGP_RS_ASN, &orig_b);
	peer(&rs_b, NVA1, 65001, BGP_SRC_NVA, false);
	peer(&rs_b, NVA3, 65003, BGP_SRC_NVA, false);
	speaker(&nva1, BGP_ROLE_ROUTER, NVA1, 65001, &orig_1);
	peer(&nva1, RS_A, BGP_RS_ASN, BGP_SRC_NVA, false)->as_override =
	    override;
	peer(&nva1, RS_B, BGP_RS_ASN, BGP_SRC_NVA, false)->as_override =
	    override;
	speaker(&nva2, BGP_ROLE_ROUTER, NVA2, 65002, &orig_2);
	peer(&nva2, RS_A, BGP_RS_ASN, BGP_SRC_NVA, false);
	speaker(&nva3, BGP_ROLE_ROUTER, NVA3, 65003, &orig_3);
	peer(&nva3, RS_B, BGP_RS_ASN, BGP_SRC_NVA, false);
}

/* A path as `from` sent it: AS path asns[0..n), next hop nh. */
static void
path(struct bgp_sim_path *v, const char *from, const char *pfx,
    const uint32_t *asns, unsigned n, const char *nh)
{
	v->peer = A(from);
	v->pfx = P(pfx);
	bgp_attrs_init(&v->attrs);
	v->attrs.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) |
	    BGP_ATTR_BIT(BGP_ATTR_AS_PATH) | BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
	v->attrs.origin = BGP_ORIGIN_IGP;
	bgp_aspath_set(&v->attrs, asns, n);
	v->attrs.nexthop = A(nh);
}

static const char *
aspath(const struct bgp_attrs *a)
{
	static char buf[256];

	if (bgp_aspath_fmt(a, ' ', buf, sizeof(buf)) == NULL)
		return "?";
	return buf;
}

static const struct bgp_sim_path *
sent(const struct bgp_sim_peer *sp, const char *pfx)
{
	struct pfx4 p = P(pfx);
	size_t i;

	for (i = 0; i < sp->nsent; i++)
		if (pfx_equal(&sp->sent[i].pfx, &p))
			return &sp->sent[i];
	return NULL;
}

static const struct bgp_sim_route *
fib(const struct bgp_sim *s, const char *pfx)
{
	struct pfx4 p = P(pfx);
	size_t i;

	for (i = 0; i < s->nfib; i++)
		if (pfx_equal(&s->fib[i].pfx, &p))
			return &s->fib[i];
	return NULL;
}

static bool
fib_same(const struct bgp_sim *a, const struct bgp_sim *b)
{
	size_t i;

	if (a->nfib != b->nfib)
		return false;
	for (i = 0; i < a->nfib; i++)
		if (!pfx_equal(&a->fib[i].pfx, &b->fib[i].pfx) ||
		    a->fib[i].nnh != b->fib[i].nnh ||
		    a->fib[i].aspath_hops != b->fib[i].aspath_hops ||
		    memcmp(a->fib[i].nh, b->fib[i].nh,
		    a->fib[i].nnh * sizeof(a->fib[i].nh[0])) != 0)
			return false;
	return true;
}

/* Nothing held: the nodes API gives what bgp_sim_run() always gave. */
static void
test_unchanged(void)
{
	const struct bgp_conf *others[2] = { &nva1, &nva2 };
	struct bgp_sim_node self = { &rs_a, NULL, 0 }, on[2];
	struct bgp_sim old, cur;
	const struct bgp_sim_route *r;

	confs(false, false);
	memset(on, 0, sizeof(on));
	on[0].conf = &nva1;
	on[1].conf = &nva2;
	bgp_sim_run(&rs_a, others, 2, &old);
	bgp_sim_run_nodes(&self, on, 2, true, &cur);
	T_OK(fib_same(&old, &cur), "nothing held: FIB as bgp_sim_run()'s");
	T_EQ(old.peers[0].nsent, 0, "bgp_sim_run() fills no Adj-RIB-Out");
	T_OK(old.peers[0].established && old.peers[1].established &&
	    !old.peers[2].established, "NVA sessions up, gateway's not");
	r = fib(&old, "10.50.0.0/16");
	T_OK(r != NULL && r->nnh == 1 && r->nh[0] == A(NVA1) &&
	    r->aspath_hops == 1, "10.50.0.0/16 via NVA 1, one hop");
	T_EQ(cur.peers[2].nsent, 0, "no Adj-RIB-Out towards a peer that is down");
	T_OK(cur.peers[2].sent == NULL, "... and no array either");
	bgp_sim_free(&old);
	bgp_sim_free(&cur);
	T_OK(cur.fib == NULL && cur.peers[0].sent == NULL,
	    "bgp_sim_free leaves nothing dangling");
}

/* RS-12, RS-13, RS-50: a gateway's routes held at the Route Server. */
static void
run_gw(bool b2b, struct bgp_sim *out)
{
	static const uint32_t as[2] = { 12076, 65020 };
	static const uint32_t loop[2] = { 65020, BGP_RS_ASN };
	struct bgp_sim_path held[3];
	struct bgp_sim_node self, on[2];

	confs(b2b, false);
	path(&held[0], GW, "192.168.0.0/16", as, 2, GW);
	/* a peering self does not have: ignored */
	path(&held[1], "10.9.9.9", "192.168.1.0/24", as, 2, "10.9.9.9");
	/* RS-20 applies to held paths too */
	path(&held[2], GW, "172.16.0.0/16", loop, 2, GW);
	self.conf = &rs_a;
	self.held = held;
	self.nheld = 3;
	memset(on, 0, sizeof(on));
	on[0].conf = &nva1;
	on[1].conf = &nva2;
	bgp_sim_run_nodes(&self, on, 2, true, out);
	bgp_attrs_free(&held[0].attrs);
	bgp_attrs_free(&held[1].attrs);
	bgp_attrs_free(&held[2].attrs);
}

static void
test_gateway(void)
{
	const struct bgp_sim_path *p;
	struct bgp_sim s;
	const struct bgp_sim_peer *gw = &s.peers[2];
	unsigned i;

	run_gw(false, &s);
	T_OK(gw->established && gw->received == 2,
	    "RS-50: held gateway paths counted, gateway peering established");
	T_EQ(gw->accepted, 1,
	    "RS-20: a held path with 65515 in it is received, not accepted");
	T_OK(fib(&s, "172.16.0.0/16") == NULL,
	    "RS-20: ... and not in the FIB");
	T_OK(fib(&s, "192.168.1.0/24") == NULL,
	    "a held path from no peering of self is ignored");
	T_OK(sent(&s.peers[0], "192.168.0.0/16") == NULL &&
	    sent(&s.peers[1], "192.168.0.0/16") == NULL,
	    "RS-13: without branch-to-branch the NVAs get no gateway route");
	T_EQ(gw->nsent, 0,
	    "RS-13, RS-14: without branch-to-branch the gateway gets nothing");
	for (i = 0; i < 2; i++)
		T_OK(s.peers[i].nsent > 0 && s.peers[i].sent[0].peer == A(RS_A),
		    "sent to NVA %u carries self's address as its peer", i + 1);
	bgp_sim_free(&s);

	run_gw(true, &s);
	p = sent(&s.peers[0], "192.168.0.0/16");
	T_OK(p != NULL && strcmp(aspath(&p->attrs), "65515 12076 65020") == 0 &&
	    p->attrs.nexthop == A(GW),
	    "RS-13: with branch-to-branch NVA 1 gets the site: %s",
	    p ? aspath(&p->attrs) : "none");
	T_OK(sent(&s.peers[1], "192.168.0.0/16") != NULL,
	    "RS-13: ... and so does NVA 2");
	T_OK(sent(gw, "192.168.0.0/16") == NULL,
	    "RS-12: the site's route never goes back to its gateway");
	p = sent(gw, "10.50.0.0/16");
	T_OK(p != NULL && strcmp(aspath(&p->attrs), "65001") == 0 &&
	    p->attrs.nexthop == A(NVA1),
	    "RS-13: the gateway gets NVA 1's route, iBGP, no prepend: %s",
	    p ? aspath(&p->attrs) : "none");
	T_OK(sent(gw, "10.1.0.0/16") == NULL,
	    "RS-14: the gateway gets no VNet prefix from the Route Server");
	T_EQ(gw->nsent, 2, "the gateway gets both NVAs' routes and no more");
	bgp_sim_free(&s);
}

/* RS-12: what each NVA is sent, and nothing of its own back. */
static void
test_sent(void)
{
	struct bgp_sim_node self = { &rs_a, NULL, 0 }, on[2];
	const struct bgp_sim_path *p;
	struct bgp_sim s;

	confs(false, false);
	memset(on, 0, sizeof(on));
	on[0].conf = &nva1;
	on[1].conf = &nva2;
	bgp_sim_run_nodes(&self, on, 2, true, &s);
	T_OK(sent(&s.peers[0], "10.50.0.0/16") == NULL,
	    "RS-12: NVA 1's route is not sent back to NVA 1");
	T_OK(sent(&s.peers[1], "10.60.0.0/16") == NULL,
	    "RS-12: NVA 2's route is not sent back to NVA 2");
	p = sent(&s.peers[0], "10.60.0.0/16");
	T_OK(p != NULL && strcmp(aspath(&p->attrs), "65515 65002") == 0 &&
	    p->attrs.nexthop == A(NVA2),
	    "RS-12: NVA 1 gets NVA 2's route with NVA 2's next hop: %s",
	    p ? aspath(&p->attrs) : "none");
	p = sent(&s.peers[1], "10.1.0.0/16");
	T_OK(p != NULL && strcmp(aspath(&p->attrs), "65515") == 0 &&
	    p->attrs.nexthop == A(RS_A),
	    "RS-11: the VNet prefix goes out as 65515 from the instance");
	T_OK(s.peers[0].nsent == 2 && s.peers[1].nsent == 2,
	    "each NVA gets the VNet and the other NVA, nothing more");
	bgp_sim_free(&s);
}

/*
 * PE-06: NVA 1 holds Route Server A's routes and relays them to Route
 * Server B, which sends them on to NVA 3.
 */
static void
run_relay(bool override, struct bgp_sim *out)
{
	static const uint32_t as[1] = { BGP_RS_ASN };
	struct bgp_sim_path held[1];
	struct bgp_sim_node self, on[2];

	confs(false, override);
	path(&held[0], RS_A, "10.1.0.0/16", as, 1, RS_A);
	self.conf = &rs_b;
	self.held = NULL;
	self.nheld = 0;
	memset(on, 0, sizeof(on));
	on[0].conf = &nva1;
	on[0].held = held;
	on[0].nheld = 1;
	on[1].conf = &nva3;
	bgp_sim_run_nodes(&self, on, 2, true, out);
	bgp_attrs_free(&held[0].attrs);
}

static void
test_relay(void)
{
	const struct bgp_sim_route *r;
	const struct bgp_sim_path *p;
	struct bgp_sim s;

	run_relay(true, &s);
	T_OK(s.peers[0].received == 2 && s.peers[0].accepted == 2,
	    "PE-06: with as-override NVA 1 relays Route Server A's prefix");
	r = fib(&s, "10.1.0.0/16");
	T_OK(r != NULL && r->nnh == 1 && r->nh[0] == A(NVA1) &&
	    r->aspath_hops == 2, "PE-06: hub 1's VNet via NVA 1, two hops");
	p = sent(&s.peers[1], "10.1.0.0/16");
	T_OK(p != NULL && strcmp(aspath(&p->attrs), "65515 65001 65001") == 0,
	    "PE-06: 65515 replaced by the NVA's ASN: NVA 3 gets %s",
	    p ? aspath(&p->attrs) : "none");
	T_OK(sent(&s.peers[0], "10.1.0.0/16") == NULL,
	    "RS-12: the relayed prefix does not go back to NVA 1");
	bgp_sim_free(&s);

	run_relay(false, &s);
	T_OK(s.peers[0].received == 2 && s.peers[0].accepted == 1,
	    "RS-20: without as-override the relayed path arrives, rejected");
	T_OK(fib(&s, "10.1.0.0/16") == NULL,
	    "RS-20: ... and hub 1's VNet is not in hub 2's FIB");
	T_OK(sent(&s.peers[1], "10.1.0.0/16") == NULL,
	    "RS-20: ... nor sent to NVA 3");
	T_OK(fib(&s, "10.50.0.0/16") != NULL,
	    "NVA 1's own prefix still accepted");
	bgp_sim_free(&s);
}

/*
 * An NVA whose best path for a prefix came from self (what self sent in
 * the round before) sends self nothing for it, as the live speaker does.
 */
static void
test_from_self(void)
{
	static const uint32_t as_a[1] = { BGP_RS_ASN };
	static const uint32_t as_2[2] = { BGP_RS_ASN, 65002 };
	struct bgp_sim_path held[2];
	struct bgp_sim_node self = { NULL, NULL, 0 }, on[2];
	const struct bgp_sim_route *r;
	struct bgp_sim s;

	confs(false, false);
	path(&held[0], RS_A, "10.1.0.0/16", as_a, 1, RS_A);
	path(&held[1], RS_A, "10.60.0.0/16", as_2, 2, NVA2);
	self.conf = &rs_a;
	memset(on, 0, sizeof(on));
	on[0].conf = &nva1;
	on[0].held = held;
	on[0].nheld = 2;
	on[1].conf = &nva2;
	bgp_sim_run_nodes(&self, on, 2, true, &s);
	T_OK(s.peers[0].received == 1 && s.peers[0].accepted == 1,
	    "NVA 1 sends only its own prefix, none of what it holds from self");
	r = fib(&s, "10.60.0.0/16");
	T_OK(r != NULL && r->nnh == 1 && r->nh[0] == A(NVA2),
	    "10.60.0.0/16 only via NVA 2");
	bgp_sim_free(&s);
	bgp_attrs_free(&held[0].attrs);
	bgp_attrs_free(&held[1].attrs);
}

/* A caller keeps paths across rounds: copies own their attributes. */
static void
test_copy(void)
{
	static const uint32_t as[2] = { 12076, 65020 };
	struct bgp_sim_path src, *v;
	struct bgp_sim sim;

	path(&src, GW, "192.168.0.0/16", as, 2, GW);
	v = xcalloc(2, sizeof(*v));
	bgp_sim_path_copy(&v[0], &src);
	bgp_sim_path_copy(&v[1], &src);
	bgp_attrs_free(&src.attrs);
	T_OK(v[0].peer == A(GW) && pfx_equal(&v[0].pfx, &src.pfx) &&
	    v[0].attrs.nexthop == A(GW) &&
	    strcmp(aspath(&v[1].attrs), "12076 65020") == 0,
	    "a copied path outlives its source");
	T_OK(v[0].attrs.aspath != v[1].attrs.aspath,
	    "each copy has its own AS path");
	/* bgp_sim_free hands a peer's sent paths to bgp_sim_paths_free */
	memset(&sim, 0, sizeof(sim));
	sim.npeers = 1;
	sim.peers[0].sent = v;
	sim.peers[0].nsent = 2;
	bgp_sim_free(&sim);
	T_OK(sim.peers[0].sent == NULL && sim.peers[0].nsent == 0 &&
	    sim.fib == NULL && sim.nfib == 0,
	    "bgp_sim_free frees the copies a peer was sent and clears it "
	    "(the ASan build finds a leak or a double free)");
	bgp_sim_paths_free(NULL, 0);	/* an empty array: nothing to free */
}

int
main(void)
{
	test_unchanged();
	test_gateway();
	test_sent();
	test_relay();
	test_from_self();
	test_copy();
	return t_done();
}
