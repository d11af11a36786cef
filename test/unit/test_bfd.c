/*
 * test_bfd: the BFD core (bgp/bfd.c) on a fake clock, GW-10's detector.
 * The codec both ways, each reception check of RFC 5880 6.8.6, the state
 * machine of two sessions wired back to back (Down -> Init -> Up, the
 * Detection Time, AdminDown), the Poll Sequence and the jitter of 6.8.7;
 * and which lab speakers get BFD from the topology (emu/model/bgpconf.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../bgp/bfd.h"
#include "../../emu/model/bgpconf.h"
#include "../../lib/util.h"
#include "t.h"

#define MS		1000ull		/* the clock is in microseconds */
#define IV_US		300000u		/* Azure's ExpressRoute 300 ms */
#define MULT		3

static size_t
build(const struct bfd_pkt *k, uint8_t *b)
{
	struct wbuf w;

	wbuf_init(&w, b, 64);
	return bfd_build(&w, k) == 0 ? w.len : 0;
}

static struct bfd_pkt
valid(void)
{
	struct bfd_pkt k = {
		.version = 1, .diag = 0, .state = BFD_DOWN, .detect_mult = 3,
		.length = 24, .my_disc = 0x11223344, .your_disc = 0,
		.des_min_tx = 1000000, .req_min_rx = 300000,
	};

	return k;
}

static enum bfd_err
parse_err(const uint8_t *b, size_t len)
{
	struct bfd_pkt k;
	enum bfd_err e;

	bfd_parse(b, len, &k, &e);
	return e;
}

static void
test_codec(void)
{
	struct bfd_pkt k = valid(), r;
	uint8_t b[64];
	enum bfd_err e;
	size_t n;

	k.state = BFD_UP;
	k.diag = BFD_DIAG_NEIGHBOR_DOWN;
	k.poll = true;
	k.cpi = true;
	k.your_disc = 0xdeadbeef;
	k.req_min_echo_rx = 7;
	n = build(&k, b);
	T_EQ(n, 24u, "GW-10 codec: a control packet is 24 bytes");
	T_EQ(b[0], 0x23, "GW-10 codec: version 1 and diag 3 share the first byte");
	T_EQ(b[1], 0xe8, "GW-10 codec: state Up, P and C in the second byte");
	T_OK(bfd_parse(b, n, &r, &e) == 0 && e == BFD_OK,
	    "GW-10 codec: what was built parses");
	T_OK(r.state == BFD_UP && r.diag == 3 && r.poll && !r.final && r.cpi &&
	    !r.demand && r.detect_mult == 3 && r.my_disc == 0x11223344 &&
	    r.your_disc == 0xdeadbeef && r.des_min_tx == 1000000 &&
	    r.req_min_rx == 300000 && r.req_min_echo_rx == 7,
	    "GW-10 codec: every field round-trips");
	k.poll = false;
	k.final = true;
	k.demand = true;
	build(&k, b);
	T_OK(bfd_parse(b, 24, &r, &e) == 0 && r.final && !r.poll && r.demand,
	    "GW-10 codec: F and D round-trip");
	/* bytes past Length are not the packet's */
	memset(b + 24, 0xff, 8);
	T_OK(bfd_parse(b, 32, &r, &e) == 0, "GW-10 codec: trailing bytes past "
	    "Length are ignored");
	T_EQ(build(&k, b) > 0 && bfd_build(&(struct wbuf){ .p = b, .cap = 10 },
	    &k) == -1, 1, "GW-10 codec: build refuses a buffer too small");
}

/* Each check of RFC 5880 6.8.6 that needs no session, one by one. */
static void
test_reception_checks(void)
{
	struct bfd_pkt k = valid();
	uint8_t b[64], c[64];

	build(&k, b);
	T_EQ(parse_err(b, 24), BFD_OK, "GW-10 6.8.6: the base packet is valid");
	T_EQ(parse_err(b, 0), BFD_ERR_SHORT, "GW-10 6.8.6: no bytes: discarded");
	T_EQ(parse_err(b, 3), BFD_ERR_SHORT, "GW-10 6.8.6: 3 bytes: discarded");
	memcpy(c, b, 24);
	c[0] = (uint8_t)(2 << 5);
	T_EQ(parse_err(c, 24), BFD_ERR_VERSION, "GW-10 6.8.6: version 2 discarded");
	c[0] = 0;
	T_EQ(parse_err(c, 24), BFD_ERR_VERSION, "GW-10 6.8.6: version 0 discarded");
	memcpy(c, b, 24);
	c[3] = 23;
	T_EQ(parse_err(c, 24), BFD_ERR_LENGTH, "GW-10 6.8.6: Length 23 discarded");
	c[3] = 0;
	T_EQ(parse_err(c, 24), BFD_ERR_LENGTH, "GW-10 6.8.6: Length 0 discarded");
	memcpy(c, b, 24);
	T_EQ(parse_err(c, 20), BFD_ERR_TRUNCATED, "GW-10 6.8.6: Length 24 in 20 "
	    "received bytes discarded");
	c[3] = 40;
	T_EQ(parse_err(c, 24), BFD_ERR_TRUNCATED, "GW-10 6.8.6: Length above the "
	    "UDP payload discarded");
	memcpy(c, b, 24);
	c[1] |= 0x04;	/* A */
	T_EQ(parse_err(c, 24), BFD_ERR_LENGTH, "GW-10 6.8.6: A bit with Length 24 "
	    "(below 26) discarded");
	c[3] = 26;
	memset(c + 24, 0, 2);
	T_EQ(parse_err(c, 26), BFD_ERR_AUTH, "GW-10 6.8.6: A bit set and no "
	    "authentication configured: discarded");
	memcpy(c, b, 24);
	c[2] = 0;
	T_EQ(parse_err(c, 24), BFD_ERR_MULT, "GW-10 6.8.6: Detect Mult 0 "
	    "discarded");
	memcpy(c, b, 24);
	c[1] |= 0x01;
	T_EQ(parse_err(c, 24), BFD_ERR_MULTIPOINT, "GW-10 6.8.6: Multipoint set "
	    "discarded");
	memcpy(c, b, 24);
	memset(c + 4, 0, 4);
	T_EQ(parse_err(c, 24), BFD_ERR_MY_DISC, "GW-10 6.8.6: My Discriminator 0 "
	    "discarded");
	k.state = BFD_INIT;
	build(&k, c);
	T_EQ(parse_err(c, 24), BFD_ERR_YOUR_DISC, "GW-10 6.8.6: Your "
	    "Discriminator 0 in Init discarded");
	k.state = BFD_UP;
	build(&k, c);
	T_EQ(parse_err(c, 24), BFD_ERR_YOUR_DISC, "GW-10 6.8.6: Your "
	    "Discriminator 0 in Up discarded");
	k.state = BFD_ADMIN_DOWN;
	build(&k, c);
	T_EQ(parse_err(c, 24), BFD_OK, "GW-10 6.8.6: Your Discriminator 0 in "
	    "AdminDown accepted");
	k.state = BFD_UP;
	k.your_disc = 5;
	build(&k, c);
	T_EQ(parse_err(c, 24), BFD_OK, "GW-10 6.8.6: Your Discriminator set in "
	    "Up accepted");
}

/* Two sessions back to back, a (disc 1) and b (disc 2), on one clock. */
struct pair {
	struct bfd_session	 a, b;
	uint64_t		 now;
	bool			 a_to_b, b_to_a;	/* the wire, each way */
	unsigned		 a_changes, b_changes;
	bool			 pf_together;		/* a P and F in one packet */
	unsigned		 finals;
	uint64_t		 a_tx_last, a_tx_gap_min, a_tx_gap_max;
};

static void
deliver(struct pair *w, struct bfd_session *to, const struct bfd_pkt *k,
    unsigned *changes)
{
	struct bfd_pkt r;
	enum bfd_err e;
	uint8_t b[64];

	/* through the codec, as a socket would */
	if (bfd_parse(b, build(k, b), &r, &e) == 0 &&
	    bfd_session_recv(to, &r, w->now, &e) == 1)
		(*changes)++;
}

static void
send_from(struct pair *w, struct bfd_session *s)
{
	struct bfd_pkt k;
	bool is_a = s == &w->a;

	while (bfd_session_tx(s, w->now, &k)) {
		if (k.poll && k.final)
			w->pf_together = true;
		if (k.final)
			w->finals++;
		if (is_a && !k.final) {
			uint64_t gap = w->now - w->a_tx_last;

			if (w->a_tx_last != 0 && (w->a_tx_gap_min == 0 ||
			    gap < w->a_tx_gap_min))
				w->a_tx_gap_min = gap;
			if (w->a_tx_last != 0 && gap > w->a_tx_gap_max)
				w->a_tx_gap_max = gap;
			w->a_tx_last = w->now;
		}
		if (is_a && w->a_to_b)
			deliver(w, &w->b, &k, &w->b_changes);
		else if (!is_a && w->b_to_a)
			deliver(w, &w->a, &k, &w->a_changes);
	}
}

/* Run for `ms`; stop early when cond(w) holds. Returns the time taken. */
static uint64_t
run(struct pair *w, uint64_t ms, bool (*cond)(const struct pair *))
{
	uint64_t start = w->now, end = w->now + ms * MS;

	for (; w->now < end; w->now += MS) {
		if (bfd_session_expire(&w->a, w->now))
			w->a_changes++;
		if (bfd_session_expire(&w->b, w->now))
			w->b_changes++;
		send_from(w, &w->a);
		send_from(w, &w->b);
		if (cond != NULL && cond(w))
			break;
	}
	return (w->now - start) / MS;
}

static bool both_up(const struct pair *w)
{
	return w->a.state == BFD_UP && w->b.state == BFD_UP;
}

static bool a_down(const struct pair *w)
{
	return w->a.state == BFD_DOWN;
}

static bool b_down(const struct pair *w)
{
	return w->b.state == BFD_DOWN;
}

static void
pair_init(struct pair *w)
{
	memset(w, 0, sizeof(*w));
	w->now = 1000 * MS;
	bfd_session_init(&w->a, 1, IV_US, IV_US, MULT, 7, w->now);
	bfd_session_init(&w->b, 2, IV_US, IV_US, MULT, 11, w->now);
	w->a_to_b = w->b_to_a = true;
}

static void
test_handshake(void)
{
	struct pair w;
	struct bfd_pkt k = valid(), k2;
	struct bfd_session s;
	enum bfd_err e;
	uint64_t t;

	/* one session by hand: Down, then Init, then Up */
	bfd_session_init(&s, 9, IV_US, IV_US, MULT, 3, 0);
	T_EQ(s.state, BFD_DOWN, "GW-10 FSM: a new session is Down");
	T_EQ(s.des_min_tx, 1000000u, "GW-10 6.8.3: DesiredMinTx is 1 s while "
	    "not Up");
	T_EQ(bfd_session_recv(&s, &k, 10 * MS, &e), 1, "GW-10 FSM: Down "
	    "receiving Down changes state");
	T_EQ(s.state, BFD_INIT, "GW-10 FSM: Down + remote Down -> Init");
	T_EQ(s.remote_disc, 0x11223344u, "GW-10 FSM: RemoteDiscr learned");
	k.state = BFD_INIT;
	k.your_disc = 9;
	T_EQ(bfd_session_recv(&s, &k, 20 * MS, &e), 1, "GW-10 FSM: Init "
	    "receiving Init changes state");
	T_EQ(s.state, BFD_UP, "GW-10 FSM: Init + remote Init -> Up");
	T_EQ(s.des_min_tx, IV_US, "GW-10 6.8.3: DesiredMinTx the configured "
	    "300 ms once Up");
	T_OK(s.poll, "GW-10 6.5: the interval change starts a Poll Sequence");
	T_OK(bfd_session_tx(&s, 2000 * MS, &k2) && k2.poll && !k2.final &&
	    k2.state == BFD_UP && k2.your_disc == 0x11223344u &&
	    k2.my_disc == 9 && k2.des_min_tx == IV_US, "GW-10 6.8.7: an Up "
	    "packet carries P, both discriminators and 300 ms");
	k.state = BFD_UP;
	k.final = true;
	bfd_session_recv(&s, &k, 2010 * MS, &e);
	T_OK(!s.poll, "GW-10 6.5: the Final ends the Poll Sequence");
	k.final = false;
	k.your_disc = 10;
	T_EQ(bfd_session_recv(&s, &k, 2020 * MS, &e), -1, "GW-10 6.8.6: a "
	    "Your Discriminator of another session is discarded");
	T_EQ(e, BFD_ERR_NO_SESSION, "GW-10 6.8.6: ... as naming no session");

	pair_init(&w);
	t = run(&w, 10000, both_up);
	T_OK(both_up(&w), "GW-10 FSM: two sessions reach Up (%llu ms)",
	    (unsigned long long)t);
	T_OK(t <= 3000, "GW-10 FSM: the slow-rate handshake takes at most 3 s "
	    "(%llu ms)", (unsigned long long)t);
	/* a went Down->Init->Up or Down->Up: its changes end in Up either way */
	T_OK(w.a.ups == 1 && w.b.ups == 1, "GW-10 FSM: each side counts one Up");
	run(&w, 2000, NULL);
	T_OK(!w.a.poll && !w.b.poll, "GW-10 6.5: both Poll Sequences ended by "
	    "Finals");
	T_OK(w.finals >= 2, "GW-10 6.8.7: Finals were sent (%u)", w.finals);
	T_OK(!w.pf_together, "GW-10 6.8.7: no packet has both P and F");
	w.a_tx_gap_min = w.a_tx_gap_max = 0;
	w.a_tx_last = 0;
	run(&w, 5000, NULL);
	T_OK(w.a_tx_gap_min >= 225 * MS && w.a_tx_gap_max <= 300 * MS,
	    "GW-10 6.8.7: Up, packets every 225-300 ms (%llu-%llu ms)",
	    (unsigned long long)(w.a_tx_gap_min / MS),
	    (unsigned long long)(w.a_tx_gap_max / MS));
	T_EQ(w.a.detect_us, 900000u, "GW-10 6.8.4: Detection Time = remote "
	    "mult 3 x 300 ms = 900 ms");
}

static void
test_detection(void)
{
	struct pair w;
	uint64_t t;

	pair_init(&w);
	run(&w, 10000, both_up);
	run(&w, 1000, NULL);
	/* the wire from b to a is cut */
	w.b_to_a = false;
	t = run(&w, 5000, a_down);
	T_EQ(w.a.state, BFD_DOWN, "GW-10 6.8.4: the Detection Time expires: Up "
	    "-> Down");
	T_EQ(w.a.local_diag, BFD_DIAG_TIME_EXPIRED, "GW-10 6.8.4: diag 1 "
	    "(Control Detection Time Expired)");
	T_EQ(w.a.prev_state, BFD_UP, "GW-10: the change was from Up");
	T_OK(t >= 600 && t <= 900, "GW-10: detected within 3 x 300 ms after "
	    "the last packet (%llu ms after the cut)", (unsigned long long)t);
	T_EQ(w.a.remote_disc, 0u, "GW-10 6.8.1: RemoteDiscr cleared on expiry");
	T_EQ(w.a.des_min_tx, 1000000u, "GW-10 6.8.3: back to 1 s once Down");
	t = run(&w, 3000, b_down);
	T_EQ(w.b.state, BFD_DOWN, "GW-10 FSM: the other side hears Down and "
	    "goes Down");
	T_EQ(w.b.local_diag, BFD_DIAG_NEIGHBOR_DOWN, "GW-10 FSM: ... with diag "
	    "3 (Neighbor Signaled Session Down)");
	T_OK(w.a.downs == 1 && w.b.downs == 1, "GW-10: each side counts one "
	    "Down");
	/* the wire back: up again */
	w.b_to_a = true;
	run(&w, 10000, both_up);
	T_OK(both_up(&w), "GW-10 FSM: the sessions come back Up once the wire "
	    "is whole");
	/* a session that is Down and hears nothing stays Down (no diag change) */
	w.a_to_b = w.b_to_a = false;
	run(&w, 3000, NULL);
	T_OK(w.a.state == BFD_DOWN && w.b.state == BFD_DOWN, "GW-10: both Down "
	    "with the wire cut both ways");
	run(&w, 3000, NULL);
	T_EQ(w.a.downs, 2u, "GW-10: a Down session hearing nothing does not "
	    "change again");
}

static void
test_slow_and_silent(void)
{
	struct pair w;
	struct bfd_pkt k = valid();
	struct bfd_session s;
	enum bfd_err e;
	int sent = 0;
	uint64_t t;

	pair_init(&w);
	w.a_to_b = w.b_to_a = false;
	run(&w, 10000, NULL);
	T_OK(w.a_tx_gap_min >= 750 * MS && w.a_tx_gap_max <= 1000 * MS,
	    "GW-10 6.8.3: not Up, packets every 0.75-1 s (%llu-%llu ms)",
	    (unsigned long long)(w.a_tx_gap_min / MS),
	    (unsigned long long)(w.a_tx_gap_max / MS));
	T_EQ(w.a.state, BFD_DOWN, "GW-10: no peer, the session stays Down");

	/* 6.8.7: a RequiredMinRx of 0 asks for no periodic packets */
	bfd_session_init(&s, 9, IV_US, IV_US, MULT, 3, 0);
	k.req_min_rx = 0;
	bfd_session_recv(&s, &k, 1 * MS, &e);
	for (t = 0; t < 5000; t++)
		sent += bfd_session_tx(&s, t * MS, &(struct bfd_pkt){ 0 });
	T_EQ(sent, 0, "GW-10 6.8.7: the peer's RequiredMinRx 0: nothing sent");
	/* ... but a Poll is answered all the same */
	k.poll = true;
	bfd_session_recv(&s, &k, 5000 * MS, &e);
	T_OK(bfd_session_tx(&s, 5000 * MS, &k) && k.final && !k.poll,
	    "GW-10 6.8.7: a Poll is answered with a Final at once, whatever "
	    "the timer");
}

static void
test_admin_down(void)
{
	struct pair w;
	struct bfd_pkt k = valid();
	enum bfd_err e;

	pair_init(&w);
	run(&w, 10000, both_up);
	T_EQ(bfd_session_admin(&w.a, true, w.now), 1, "GW-10 AdminDown: a "
	    "state change");
	T_OK(w.a.state == BFD_ADMIN_DOWN && w.a.local_diag ==
	    BFD_DIAG_ADMIN_DOWN, "GW-10 AdminDown: state AdminDown, diag 7");
	run(&w, 3000, b_down);
	T_EQ(w.b.state, BFD_DOWN, "GW-10 AdminDown: the peer goes Down");
	T_EQ(w.b.remote_state, BFD_ADMIN_DOWN, "GW-10 AdminDown: ... and knows "
	    "the remote is AdminDown (RFC 5882 3.2: not a failure)");
	T_EQ(w.b.local_diag, BFD_DIAG_NEIGHBOR_DOWN, "GW-10 AdminDown: ... "
	    "diag 3");
	k.your_disc = 1;
	k.state = BFD_UP;
	T_EQ(bfd_session_recv(&w.a, &k, w.now, &e), -1, "GW-10 6.8.6: an "
	    "AdminDown session discards what it receives");
	T_EQ(e, BFD_ERR_ADMIN_DOWN, "GW-10 6.8.6: ... as AdminDown");
	run(&w, 5000, NULL);
	T_OK(w.a.state == BFD_ADMIN_DOWN && w.b.state == BFD_DOWN,
	    "GW-10 AdminDown: stays so; the peer stays Down");
	bfd_session_admin(&w.a, false, w.now);
	run(&w, 10000, both_up);
	T_OK(both_up(&w), "GW-10 AdminDown: enabled again, both come Up");
}

static void
test_jitter(void)
{
	uint64_t lo = ~0ull, hi = 0, v;
	unsigned seed = 42, i;

	for (i = 0; i < 20000; i++) {
		v = bfd_jitter(IV_US, 3, &seed);
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
	}
	T_OK(lo >= 225000 && hi <= 300000, "GW-10 6.8.7: jitter keeps 75-100%% "
	    "of 300 ms (%llu-%llu us)", (unsigned long long)lo,
	    (unsigned long long)hi);
	T_OK(lo < 230000 && hi > 295000, "GW-10 6.8.7: the jitter spans the "
	    "range (not a constant)");
	lo = ~0ull;
	hi = 0;
	for (i = 0; i < 20000; i++) {
		v = bfd_jitter(IV_US, 1, &seed);
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
	}
	T_OK(lo >= 225000 && hi <= 270000 && hi > 265000, "GW-10 6.8.7: with "
	    "Detect Mult 1, 75-90%% (%llu-%llu us)", (unsigned long long)lo,
	    (unsigned long long)hi);
}

static void
test_names(void)
{
	T_OK(strcmp(bfd_state_str(BFD_UP), "Up") == 0 &&
	    strcmp(bfd_state_str(BFD_ADMIN_DOWN), "AdminDown") == 0,
	    "GW-10: state names");
	T_OK(strcmp(bfd_diag_str(BFD_DIAG_TIME_EXPIRED),
	    "Control Detection Time Expired") == 0 &&
	    strcmp(bfd_diag_str((enum bfd_diag)20), "Reserved") == 0,
	    "GW-10: diagnostic names, reserved codes named so");
	T_OK(strcmp(bfd_err_str(BFD_ERR_AUTH), "?") != 0 &&
	    strcmp(bfd_err_str((enum bfd_err)99), "?") == 0,
	    "GW-10: reception errors named");
}

/* examples/er-vpn.json with its circuit object replaced by `circuit`. */
static int
load_er(const char *circuit, struct topo **t, struct topo_err *err)
{
	static const char old[] = "\"circuit\": { \"site\": \"dc\" }";
	char *json = NULL, *at, *doc;
	size_t len = 0, cap = 0;
	FILE *f = fopen("examples/er-vpn.json", "r");
	int c, rc;

	if (f == NULL)
		die("examples/er-vpn.json: cannot open");
	while ((c = fgetc(f)) != EOF) {
		xgrow(&json, &cap, len + 2, 1);
		json[len++] = (char)c;
	}
	fclose(f);
	json[len] = '\0';
	if ((at = strstr(json, old)) == NULL)
		die("examples/er-vpn.json: no circuit to replace");
	*at = '\0';
	doc = xasprintf("%s%s%s", json, circuit, at + strlen(old));
	rc = topo_load_string(doc, strlen(doc), t, err);
	free(doc);
	free(json);
	return rc;
}

static const struct bgp_peer_conf *
conf_peer(const struct topo *t, const char *node, const char *peer,
    struct bgp_conf *c)
{
	size_t i;

	emu_bgp_conf_free(c);
	memset(c, 0, sizeof(*c));
	if (emu_bgp_conf(t, topo_node_find(t, node), "/nonexistent.sock", c) != 0)
		return NULL;
	for (i = 0; i < c->npeers; i++)
		if (strcmp(c->peers[i].name, peer) == 0)
			return &c->peers[i];
	return NULL;
}

static void
test_lab_conf(void)
{
	const struct bgp_peer_conf *p;
	struct bgp_conf c = { 0 };
	struct topo_err err;
	struct topo *t;

	T_EQ(load_er("\"circuit\": { \"site\": \"dc\" }", &t, &err), 0,
	    "GW-10: er-vpn.json loads");
	p = conf_peer(t, "hub-er-msee", "dc-edge", &c);
	T_OK(p != NULL && p->bfd_mult == 3 && p->bfd_interval_ms == 300,
	    "GW-10: the MSEE runs BFD 300 ms x 3 with the site's edge");
	p = conf_peer(t, "dc-edge", "hub-er-msee", &c);
	T_OK(p != NULL && p->bfd_mult == 3 && p->bfd_interval_ms == 300,
	    "GW-10: the edge runs BFD 300 ms x 3 with the MSEE by default");
	p = conf_peer(t, "dc-edge", "hub-vpn0", &c);
	T_OK(p != NULL && p->bfd_mult == 0, "GW-10 / RS-43: no BFD over a VPN "
	    "tunnel");
	p = conf_peer(t, "hub-er-msee", "hub-er0", &c);
	T_OK(p != NULL && p->bfd_mult == 0, "GW-10: no BFD between the MSEE "
	    "and a gateway instance (only the private peering has it)");
	p = conf_peer(t, "hub-er0", "hub-er-msee", &c);
	T_OK(p != NULL && p->bfd_mult == 0, "GW-10: the gateway has no BFD");
	topo_free(t);

	T_EQ(load_er("\"circuit\": { \"site\": \"dc\", \"bfd\": false }",
	    &t, &err), 0, "GW-10: a circuit with \"bfd\": false loads");
	p = conf_peer(t, "hub-er-msee", "dc-edge", &c);
	T_OK(p != NULL && p->bfd_mult == 3, "GW-10: with \"bfd\": false the MSEE "
	    "still runs BFD");
	p = conf_peer(t, "dc-edge", "hub-er-msee", &c);
	T_OK(p != NULL && p->bfd_mult == 0, "GW-10: with \"bfd\": false the edge "
	    "does not");
	topo_free(t);
	emu_bgp_conf_free(&c);

	T_EQ(load_er("\"circuit\": { \"site\": \"dc\", \"bfd\": \"no\" }",
	    &t, &err), -1, "GW-10: \"bfd\": \"no\" is refused");
	T_OK(strstr(err.path, "circuit") != NULL && strstr(err.path, "bfd") !=
	    NULL, "GW-10: ... at its JSON path (%s: %s)", err.path, err.msg);
}

int
main(void)
{
	test_codec();
	test_reception_checks();
	test_handshake();
	test_detection();
	test_slow_and_silent();
	test_admin_down();
	test_jitter();
	test_names();
	test_lab_conf();
	return t_done();
}
