/*
 * bfd: the pure half of BFD (RFC 5880): the control packet codec and one
 * session's state machine. Written from RFC 5880 and RFC 5881.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |Vers |  Diag   |Sta|P|F|C|A|D|M|  Detect Mult  |    Length     |
 *   |                       My Discriminator                        |
 *   |                      Your Discriminator                       |
 *   |                    Desired Min TX Interval                    |
 *   |                   Required Min RX Interval                    |
 *   |                 Required Min Echo RX Interval                 |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * The RFC's order: reception follows 6.8.6 step by step (bfd_parse holds
 * the checks that need no session, bfd_session_recv the rest).
 * Our choices, where the RFC leaves room:
 *  - we are always Active (6.1) and never use Demand mode or echo: the
 *    peer's D bit is recorded and otherwise ignored;
 *  - a change of DesiredMinTxInterval (to 1 s while not Up, 6.8.3; to the
 *    configured value once Up) starts a Poll Sequence (6.5); a faster
 *    interval is used at once (the peer's Detection Time can only be
 *    longer than needed meanwhile), and nothing here raises the interval
 *    while Up, so 6.8.3's "keep the old interval until the Final" never
 *    applies;
 *  - RequiredMinRxInterval stays at its configured value in every state;
 *  - no packet is sent early on a state change: 6.8.7 allows that only
 *    for a Final, so the three-way handshake runs at the slow 1 s rate;
 *  - the Detection Time runs from the first packet received; when it
 *    expires RemoteDiscr is cleared (6.8.1) and an Init or Up session
 *    goes Down with diag 1.
 *
 * Must not: open sockets, read the clock, or know about BGP.
 */
#include <stdlib.h>
#include <string.h>

#include "bfd.h"

#define BFD_VERS_SHIFT	5
#define BFD_DIAG_MASK	0x1f
#define BFD_STATE_SHIFT	6
#define BFD_F_POLL	0x20
#define BFD_F_FINAL	0x10
#define BFD_F_CPI	0x08
#define BFD_F_AUTH	0x04
#define BFD_F_DEMAND	0x02
#define BFD_F_MULTI	0x01
#define BFD_HDR_FIXED	4	/* version to Length */

/* 6.8.7: jitter in ten-thousandths of the interval */
#define JITTER_SCALE	10000u
#define JITTER_MIN	7500u	/* 75% */
#define JITTER_SPAN	2500u	/* up to 100% */
#define JITTER_SPAN_M1	1500u	/* up to 90% with Detect Mult 1 */

static const char *const err_names[] = {
	[BFD_OK] = "ok",
	[BFD_ERR_SHORT] = "shorter than a BFD control packet",
	[BFD_ERR_VERSION] = "version is not 1",
	[BFD_ERR_LENGTH] = "Length below the minimum",
	[BFD_ERR_TRUNCATED] = "Length beyond the bytes received",
	[BFD_ERR_MULT] = "Detect Mult is zero",
	[BFD_ERR_MULTIPOINT] = "Multipoint bit set",
	[BFD_ERR_MY_DISC] = "My Discriminator is zero",
	[BFD_ERR_YOUR_DISC] = "Your Discriminator zero in state Init or Up",
	[BFD_ERR_AUTH] = "authentication bit set: not configured",
	[BFD_ERR_NO_SESSION] = "Your Discriminator names no session",
	[BFD_ERR_TTL] = "TTL is not 255 (RFC 5881 5)",
	[BFD_ERR_ADMIN_DOWN] = "session is AdminDown",
};

const char *
bfd_err_str(enum bfd_err e)
{
	return (size_t)e < sizeof(err_names) / sizeof(err_names[0]) ?
	    err_names[e] : "?";
}

const char *
bfd_state_str(enum bfd_state st)
{
	static const char *const n[] = { "AdminDown", "Down", "Init", "Up" };

	return (unsigned)st < 4 ? n[st] : "?";
}

const char *
bfd_diag_str(enum bfd_diag d)
{
	static const char *const n[] = {
		"No Diagnostic", "Control Detection Time Expired",
		"Echo Function Failed", "Neighbor Signaled Session Down",
		"Forwarding Plane Reset", "Path Down",
		"Concatenated Path Down", "Administratively Down",
		"Reverse Concatenated Path Down",
	};

	return (unsigned)d < sizeof(n) / sizeof(n[0]) ? n[d] : "Reserved";
}

static int
fail(enum bfd_err *err, enum bfd_err e)
{
	*err = e;
	return -1;
}

/* The first four bytes, and the checks on them. */
static int
parse_head(struct buf *b, size_t len, struct bfd_pkt *k, enum bfd_err *err)
{
	uint8_t v, f;

	if (len < BFD_HDR_FIXED)
		return fail(err, BFD_ERR_SHORT);
	if (buf_get_u8(b, &v) == -1 || buf_get_u8(b, &f) == -1 ||
	    buf_get_u8(b, &k->detect_mult) == -1 ||
	    buf_get_u8(b, &k->length) == -1)
		return fail(err, BFD_ERR_SHORT);
	k->version = v >> BFD_VERS_SHIFT;
	k->diag = v & BFD_DIAG_MASK;
	k->state = f >> BFD_STATE_SHIFT;
	k->poll = (f & BFD_F_POLL) != 0;
	k->final = (f & BFD_F_FINAL) != 0;
	k->cpi = (f & BFD_F_CPI) != 0;
	k->auth = (f & BFD_F_AUTH) != 0;
	k->demand = (f & BFD_F_DEMAND) != 0;
	k->multipoint = (f & BFD_F_MULTI) != 0;
	/* 6.8.6, in the RFC's order */
	if (k->version != BFD_VERSION)
		return fail(err, BFD_ERR_VERSION);
	if (k->length < (k->auth ? BFD_PKT_LEN_AUTH : BFD_PKT_LEN))
		return fail(err, BFD_ERR_LENGTH);
	if (k->length > len)
		return fail(err, BFD_ERR_TRUNCATED);
	if (k->detect_mult == 0)
		return fail(err, BFD_ERR_MULT);
	if (k->multipoint)
		return fail(err, BFD_ERR_MULTIPOINT);
	return 0;
}

int
bfd_parse(const uint8_t *p, size_t len, struct bfd_pkt *k, enum bfd_err *err)
{
	struct buf b;

	memset(k, 0, sizeof(*k));
	*err = BFD_OK;
	buf_init(&b, p, len);
	if (parse_head(&b, len, k, err) == -1)
		return -1;
	/* the Length checks above guarantee these 20 bytes */
	if (buf_get_u32(&b, &k->my_disc) == -1 ||
	    buf_get_u32(&b, &k->your_disc) == -1 ||
	    buf_get_u32(&b, &k->des_min_tx) == -1 ||
	    buf_get_u32(&b, &k->req_min_rx) == -1 ||
	    buf_get_u32(&b, &k->req_min_echo_rx) == -1)
		return fail(err, BFD_ERR_SHORT);
	if (k->my_disc == 0)
		return fail(err, BFD_ERR_MY_DISC);
	if (k->your_disc == 0 && k->state != BFD_DOWN &&
	    k->state != BFD_ADMIN_DOWN)
		return fail(err, BFD_ERR_YOUR_DISC);
	/* no session here is configured with authentication */
	if (k->auth)
		return fail(err, BFD_ERR_AUTH);
	return 0;
}

int
bfd_build(struct wbuf *w, const struct bfd_pkt *k)
{
	uint8_t f = (uint8_t)((k->state & 3) << BFD_STATE_SHIFT);

	f |= k->poll ? BFD_F_POLL : 0;
	f |= k->final ? BFD_F_FINAL : 0;
	f |= k->cpi ? BFD_F_CPI : 0;
	f |= k->auth ? BFD_F_AUTH : 0;
	f |= k->demand ? BFD_F_DEMAND : 0;
	f |= k->multipoint ? BFD_F_MULTI : 0;
	wbuf_put_u8(w, (uint8_t)(k->version << BFD_VERS_SHIFT |
	    (k->diag & BFD_DIAG_MASK)));
	wbuf_put_u8(w, f);
	wbuf_put_u8(w, k->detect_mult);
	wbuf_put_u8(w, k->length);
	wbuf_put_u32(w, k->my_disc);
	wbuf_put_u32(w, k->your_disc);
	wbuf_put_u32(w, k->des_min_tx);
	wbuf_put_u32(w, k->req_min_rx);
	wbuf_put_u32(w, k->req_min_echo_rx);
	return w->err ? -1 : 0;
}

uint64_t
bfd_jitter(uint32_t base, uint8_t detect_mult, unsigned *seed)
{
	unsigned span = detect_mult == 1 ? JITTER_SPAN_M1 : JITTER_SPAN;
	unsigned r = (unsigned)rand_r(seed) % (span + 1);

	return (uint64_t)base * (JITTER_MIN + r) / JITTER_SCALE;
}

uint32_t
bfd_session_tx_interval(const struct bfd_session *s)
{
	return s->des_min_tx > s->remote_min_rx ? s->des_min_tx :
	    s->remote_min_rx;
}

static uint32_t
max32(uint32_t a, uint32_t b)
{
	return a > b ? a : b;
}

/* The next periodic packet, counted from the last one. */
static void
schedule_tx(struct bfd_session *s, uint64_t from)
{
	s->t_tx = from + bfd_jitter(bfd_session_tx_interval(s), s->detect_mult,
	    &s->seed);
}

/*
 * 6.8.3: a new DesiredMinTxInterval starts a Poll Sequence. A shorter
 * interval may bring the next packet forward: it counts from the last one.
 */
static void
set_des_min_tx(struct bfd_session *s, uint32_t v)
{
	if (v == s->des_min_tx)
		return;
	s->des_min_tx = v;
	s->poll = true;
	if (s->last_tx + bfd_session_tx_interval(s) < s->t_tx)
		schedule_tx(s, s->last_tx);
}

void
bfd_session_init(struct bfd_session *s, uint32_t local_disc, uint32_t tx_us,
    uint32_t rx_us, uint8_t mult, unsigned seed, uint64_t now)
{
	memset(s, 0, sizeof(*s));
	s->cfg_tx = tx_us;
	s->cfg_rx = rx_us;
	s->detect_mult = mult;
	s->state = s->prev_state = BFD_DOWN;
	s->remote_state = BFD_DOWN;
	s->local_disc = local_disc;
	s->des_min_tx = max32(tx_us, BFD_SLOW_TX_US);
	s->req_min_rx = rx_us;
	s->remote_min_rx = 1;	/* 6.8.1 */
	s->seed = seed | 1;
	s->changed_at = s->last_tx = now;
	/* the first packet at a random point of the first interval */
	s->t_tx = now + bfd_jitter(s->des_min_tx, 1, &s->seed) / 4;
}

static void
set_state(struct bfd_session *s, enum bfd_state st, enum bfd_diag diag,
    uint64_t now)
{
	s->prev_state = s->state;
	s->state = st;
	s->changed_at = now;
	if (st == BFD_UP) {
		s->local_diag = BFD_DIAG_NONE;
		s->ups++;
		set_des_min_tx(s, s->cfg_tx);
		return;
	}
	s->local_diag = diag;
	if (s->prev_state == BFD_UP)
		s->downs++;
	set_des_min_tx(s, max32(s->cfg_tx, BFD_SLOW_TX_US));
}

/* 6.8.4: the remote's Detect Mult times the agreed receive interval. */
static uint64_t
detect_time(const struct bfd_session *s)
{
	return (uint64_t)s->remote_mult * max32(s->req_min_rx,
	    s->remote_des_min_tx);
}

/* 6.8.6, the state table at its end. */
static int
transition(struct bfd_session *s, enum bfd_state rs, uint64_t now)
{
	enum bfd_state old = s->state;

	if (rs == BFD_ADMIN_DOWN) {
		if (s->state != BFD_DOWN)
			set_state(s, BFD_DOWN, BFD_DIAG_NEIGHBOR_DOWN, now);
	} else if (s->state == BFD_DOWN) {
		if (rs == BFD_DOWN)
			set_state(s, BFD_INIT, BFD_DIAG_NONE, now);
		else if (rs == BFD_INIT)
			set_state(s, BFD_UP, BFD_DIAG_NONE, now);
	} else if (s->state == BFD_INIT) {
		if (rs == BFD_INIT || rs == BFD_UP)
			set_state(s, BFD_UP, BFD_DIAG_NONE, now);
	} else if (rs == BFD_DOWN)	/* Up */
		set_state(s, BFD_DOWN, BFD_DIAG_NEIGHBOR_DOWN, now);
	return s->state != old;
}

int
bfd_session_recv(struct bfd_session *s, const struct bfd_pkt *k,
    uint64_t now, enum bfd_err *err)
{
	uint32_t was = bfd_session_tx_interval(s);
	int changed;

	*err = BFD_OK;
	if (k->your_disc != 0 && k->your_disc != s->local_disc) {
		s->rx_bad++;
		return fail(err, BFD_ERR_NO_SESSION);
	}
	s->rx++;
	s->remote_disc = k->my_disc;
	s->remote_state = (enum bfd_state)k->state;
	s->remote_min_rx = k->req_min_rx;
	s->remote_des_min_tx = k->des_min_tx;
	s->remote_mult = k->detect_mult;
	if (k->final && s->poll)
		s->poll = false;	/* 6.5: the Poll Sequence is over */
	/* a new interval counts from the last packet sent */
	if (bfd_session_tx_interval(s) != was && s->remote_min_rx != 0)
		schedule_tx(s, s->last_tx);
	s->detect_us = detect_time(s);
	if (s->state == BFD_ADMIN_DOWN)
		return fail(err, BFD_ERR_ADMIN_DOWN);
	changed = transition(s, (enum bfd_state)k->state, now);
	if (k->poll)
		s->final_due = true;
	s->t_detect = now + s->detect_us;
	return changed;
}

int
bfd_session_expire(struct bfd_session *s, uint64_t now)
{
	if (s->t_detect == 0 || s->t_detect > now)
		return 0;
	s->t_detect = 0;
	s->remote_disc = 0;	/* 6.8.1 */
	s->remote_state = BFD_DOWN;
	if (s->state != BFD_INIT && s->state != BFD_UP)
		return 0;
	set_state(s, BFD_DOWN, BFD_DIAG_TIME_EXPIRED, now);
	return 1;
}

static void
fill(const struct bfd_session *s, struct bfd_pkt *k, bool final)
{
	memset(k, 0, sizeof(*k));
	k->version = BFD_VERSION;
	k->diag = (uint8_t)s->local_diag;
	k->state = (uint8_t)s->state;
	/* 6.8.7: never P and F together; a Final carries no Poll */
	k->final = final;
	k->poll = !final && s->poll;
	k->detect_mult = s->detect_mult;
	k->length = BFD_PKT_LEN;
	k->my_disc = s->local_disc;
	k->your_disc = s->remote_disc;
	k->des_min_tx = s->des_min_tx;
	k->req_min_rx = s->req_min_rx;
}

bool
bfd_session_tx(struct bfd_session *s, uint64_t now, struct bfd_pkt *k)
{
	if (s->final_due) {
		/* 6.8.7: a Final goes at once, whatever the timer says */
		s->final_due = false;
		fill(s, k, true);
		s->tx++;
		return true;
	}
	if (s->t_tx == 0 || s->t_tx > now)
		return false;
	s->last_tx = now;
	schedule_tx(s, now);
	/* 6.8.7: the peer asked for no packets at all */
	if (s->remote_min_rx == 0)
		return false;
	fill(s, k, false);
	s->tx++;
	return true;
}

int
bfd_session_admin(struct bfd_session *s, bool down, uint64_t now)
{
	if (down == (s->state == BFD_ADMIN_DOWN))
		return 0;
	if (down) {
		set_state(s, BFD_ADMIN_DOWN, BFD_DIAG_ADMIN_DOWN, now);
		s->t_detect = 0;
	} else
		set_state(s, BFD_DOWN, BFD_DIAG_NONE, now);
	return 1;
}

uint64_t
bfd_session_next(const struct bfd_session *s)
{
	uint64_t t = s->t_tx;

	if (s->final_due)
		return 1;	/* any time in the past: now */
	if (s->t_detect != 0 && (t == 0 || s->t_detect < t))
		t = s->t_detect;
	return t;
}
