/*
 * fsm: the BGP finite state machine of RFC 4271 section 8, one entry point.
 *
 * Timers only produce events (speaker.c checks the deadlines); sockets only
 * produce events (session.c); every state change is logged with the old
 * state, the new state and the event. An event a state does not expect sends
 * a Finite State Machine Error and goes to Idle, as 8.2.2 says.
 *
 * Idle restarts by itself after the ConnectRetry time (the optional
 * IdleHoldTimer of 8.1.1): a route server and an NVA both want their
 * sessions back without an operator.
 *
 * A message arriving in a state that does not expect it is answered with
 * the RFC 6608 subcode for that state. A manual stop (SIGTERM) and every
 * other deliberate close go through fsm_cease(): Cease with the RFC 4486
 * subcode, and for Administrative Shutdown or Reset the RFC 8203 text.
 *
 * Must not: parse messages (msg.c), touch the RIB (speaker.c does, through the
 * speaker_peer_up / speaker_peer_down / speaker_update hooks).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/util.h"
#include "bgpd.h"
#include "hubpref.h"

#define OPENSENT_HOLD_S		240	/* RFC 4271 8.2.2: "a large value" */
/* A route limit's hold-down: 30 s, doubling, 10 min at most (fsm_limit_reset). */
#define LIMIT_HOLD_MS		30000ull
#define LIMIT_HOLD_MAX_MS	600000ull
#define SHUTDOWN_TEXT_MAX	255	/* RFC 9003 2: one length octet */

/* RFC 6608 3: Finite State Machine Error subcodes */
enum fsm_err_sub {
	FSM_ERR_UNSPECIFIC = 0,
	FSM_ERR_OPENSENT = 1,
	FSM_ERR_OPENCONFIRM = 2,
	FSM_ERR_ESTABLISHED = 3,
};

static const char *const state_names[] = {
	[ST_IDLE] = "Idle", [ST_CONNECT] = "Connect", [ST_ACTIVE] = "Active",
	[ST_OPENSENT] = "OpenSent", [ST_OPENCONFIRM] = "OpenConfirm",
	[ST_ESTABLISHED] = "Established",
};

const char *
fsm_state_str(enum peer_state st)
{
	return st <= ST_ESTABLISHED ? state_names[st] : "?";
}

const char *
fsm_event_str(enum fsm_event ev)
{
	switch (ev) {
	case EV_START:			return "Start";
	case EV_STOP:			return "Stop";
	case EV_AUTO_START_PASSIVE:	return "AutomaticStart_with_PassiveTcpEstablishment";
	case EV_CONNECT_RETRY_EXPIRES:	return "ConnectRetryTimer_Expires";
	case EV_HOLD_EXPIRES:		return "HoldTimer_Expires";
	case EV_KEEPALIVE_EXPIRES:	return "KeepaliveTimer_Expires";
	case EV_TCP_CONFIRMED:		return "TcpConnectionConfirmed";
	case EV_TCP_ACKED:		return "Tcp_CR_Acked";
	case EV_TCP_FAILS:		return "TcpConnectionFails";
	case EV_OPEN:			return "BGPOpen";
	case EV_HEADER_ERR:		return "BGPHeaderErr";
	case EV_OPEN_ERR:		return "BGPOpenMsgErr";
	case EV_NOTIFICATION:		return "NotifMsg";
	case EV_KEEPALIVE:		return "KeepAliveMsg";
	case EV_UPDATE:			return "UpdateMsg";
	case EV_UPDATE_ERR:		return "UpdateMsgErr";
	case EV_ROUTE_REFRESH:		return "RouteRefreshMsg";
	}
	return "?";
}

static void
set_state(struct peer *p, enum peer_state st, enum fsm_event ev)
{
	enum peer_state old = p->state;

	if (old == st)
		return;
	p->state = st;
	speaker_log_state(p, old, st, fsm_event_str(ev));
	if (old == ST_ESTABLISHED)
		speaker_peer_down(p);
	if (st == ST_ESTABLISHED)
		speaker_peer_up(p);
}

static uint64_t
after(unsigned seconds)
{
	return mono_ms() + (uint64_t)seconds * 1000;
}

/*
 * RFC 4271 10: ConnectRetryTimer and KeepaliveTimer get jitter (a factor
 * between 0.75 and 1), so that two speakers that collided do not retry in
 * step and collide again, forever.
 */
static uint64_t
after_jitter(unsigned seconds)
{
	static unsigned seed;
	uint64_t ms = (uint64_t)seconds * 1000;

	if (seed == 0)
		seed = (unsigned)(mono_ms() ^ (uint64_t)getpid() << 16) | 1;
	return mono_ms() + ms - ms * (unsigned)(rand_r(&seed) % 251) / 1000;
}

static void
start_keepalive(struct peer *p)
{
	p->t_keepalive = p->keepalive ? after_jitter(p->keepalive) : 0;
}

static void
start_hold(struct peer *p)
{
	p->t_hold = p->hold ? after(p->hold) : 0;
}

/* The timers proposed to this peer: its own (GW-06), else the speaker's. */
static unsigned
conf_hold(const struct peer *p)
{
	return p->conf->hold ? p->conf->hold : p->s->conf->hold;
}

static unsigned
conf_keepalive(const struct peer *p)
{
	return p->conf->keepalive ? p->conf->keepalive : p->s->conf->keepalive;
}

int
fsm_build_open(const struct peer *p, struct wbuf *w)
{
	const struct bgp_conf *c = p->s->conf;
	struct bgp_open o = {
		.version = BGP_VERSION,
		.my_as = c->asn > 0xffff ? BGP_AS_TRANS : (uint16_t)c->asn,
		.holdtime = (uint16_t)conf_hold(p),
		.bgp_id = c->bgp_id,
		.cap_as4 = true,
		.as4 = c->asn,
		.cap_mp_ipv4 = true,
		.cap_rr = true,
	};

	return bgp_build_open(w, &o);
}

static void
send_open(struct peer *p)
{
	uint8_t msg[BGP_MAX_LEN];
	struct wbuf w;

	wbuf_init(&w, msg, sizeof(msg));
	if (fsm_build_open(p, &w) == 0)
		session_send(p, msg, w.len);
}

static void
send_keepalive(struct peer *p)
{
	uint8_t msg[BGP_HDR_LEN];
	struct wbuf w;

	wbuf_init(&w, msg, sizeof(msg));
	if (bgp_build_keepalive(&w) == 0)
		session_send(p, msg, w.len);
}

bool
fsm_held_down(const struct peer *p)
{
	return p->admin_down || (p->t_limit_hold != 0 &&
	    mono_ms() < p->t_limit_hold);
}

/*
 * Release the connection and go to Idle; Idle restarts after ConnectRetry,
 * or once a route limit's hold-down is over.
 */
static void
to_idle(struct peer *p, enum fsm_event ev)
{
	session_close(p);
	p->t_hold = p->t_keepalive = 0;
	/* An administratively disabled peering stays down (no IdleHoldTimer). */
	p->t_connect_retry = p->admin_down ? 0 : fsm_held_down(p) ?
	    p->t_limit_hold : after_jitter(p->s->conf->connect_retry);
	set_state(p, ST_IDLE, ev);
}

void
fsm_limit_reset(struct peer *p)
{
	uint64_t ms = LIMIT_HOLD_MS << (p->nlimit < 5 ? p->nlimit : 5);

	if (ms > LIMIT_HOLD_MAX_MS)
		ms = LIMIT_HOLD_MAX_MS;
	p->nlimit++;
	p->t_limit_hold = mono_ms() + ms;
	speaker_log(p->s, "peer %s: held down %llu s after its route limit",
	    p->conf->name, (unsigned long long)(ms / 1000));
	fsm_event(p, EV_UPDATE_ERR, NULL);
}

/* RFC 6608 3: which state an unexpected message arrived in. */
static uint8_t
fsm_err_subcode(const struct peer *p, enum fsm_event ev)
{
	if (ev != EV_OPEN && ev != EV_KEEPALIVE && ev != EV_UPDATE &&
	    ev != EV_ROUTE_REFRESH)
		return FSM_ERR_UNSPECIFIC;
	switch (p->state) {
	case ST_OPENSENT:	return FSM_ERR_OPENSENT;
	case ST_OPENCONFIRM:	return FSM_ERR_OPENCONFIRM;
	case ST_ESTABLISHED:	return FSM_ERR_ESTABLISHED;
	default:		return FSM_ERR_UNSPECIFIC;
	}
}

static void
fsm_error(struct peer *p, enum fsm_event ev)
{
	session_send_notify(p, BGP_ERR_FSM, fsm_err_subcode(p, ev), NULL, 0);
	snprintf(p->last_error, sizeof(p->last_error),
	    "sent FSM error: %s in %s", fsm_event_str(ev),
	    fsm_state_str(p->state));
	to_idle(p, ev);
}

void
fsm_cease(struct peer *p, uint8_t subcode, const char *text)
{
	uint8_t data[1 + SHUTDOWN_TEXT_MAX] = { 0 };
	size_t len = 0, tl;
	char e[96];

	/* RFC 8203 2: length octet, then UTF-8, for these two subcodes only */
	if (text != NULL && (subcode == BGP_CEASE_SHUTDOWN ||
	    subcode == BGP_CEASE_RESET)) {
		tl = strlen(text);
		if (tl > SHUTDOWN_TEXT_MAX)
			tl = SHUTDOWN_TEXT_MAX;
		data[0] = (uint8_t)tl;
		memcpy(data + 1, text, tl);
		len = 1 + tl;
	}
	/* RFC 4271 8.2.2: before OpenSent there is no one to tell */
	if (p->state >= ST_OPENSENT)
		session_send_notify(p, BGP_ERR_CEASE, subcode, data, len);
	snprintf(p->last_error, sizeof(p->last_error), "sent NOTIFICATION %s%s%s",
	    bgp_err_str(BGP_ERR_CEASE, subcode, e, sizeof(e)),
	    text != NULL ? ": " : "", text != NULL ? text : "");
	if (p->state != ST_IDLE)
		to_idle(p, EV_STOP);
}

static void
start(struct peer *p, enum fsm_event ev)
{
	p->t_connect_retry = after_jitter(p->s->conf->connect_retry);
	if (p->conf->passive) {
		set_state(p, ST_ACTIVE, ev);
		return;
	}
	if (session_connect(p) == -1) {
		set_state(p, ST_ACTIVE, ev);
		return;
	}
	set_state(p, ST_CONNECT, ev);
}

static void
connected(struct peer *p, enum fsm_event ev)
{
	p->t_connect_retry = 0;
	send_open(p);
	p->hold = OPENSENT_HOLD_S;
	start_hold(p);
	set_state(p, ST_OPENSENT, ev);
}

/* RFC 4271 6.2 checks the codec cannot make: they need the configuration. */
static int
check_open(struct peer *p, const struct bgp_open *o)
{
	const struct bgp_conf *c = p->s->conf;
	uint32_t as = o->cap_as4 ? o->as4 : o->my_as;

	/*
	 * RS-05 refuses 65515 from a customer's peer; the platform's own
	 * sessions with the hub's gateways are iBGP in 65515 (RS-50).
	 */
	bool platform = p->conf->kind == BGP_SRC_ER || p->conf->kind == BGP_SRC_VPN;

	if (as != p->conf->asn || (c->role == BGP_ROLE_RS &&
	    ((as == BGP_RS_ASN && !platform) || as > 0xffff))) {
		uint8_t d[2] = { (uint8_t)(o->my_as >> 8), (uint8_t)o->my_as };

		session_send_notify(p, BGP_ERR_OPEN, BGP_OPEN_PEER_AS, d, 2);
		snprintf(p->last_error, sizeof(p->last_error),
		    "sent OPEN error: Bad Peer AS %u (configured %u)%s", as,
		    p->conf->asn, c->role == BGP_ROLE_RS && as > 0xffff ?
		    ", four-octet ASNs are refused (RS-06)" : "");
		return -1;
	}
	if (o->bgp_id == c->bgp_id) {
		session_send_notify(p, BGP_ERR_OPEN, BGP_OPEN_BGPID, NULL, 0);
		snprintf(p->last_error, sizeof(p->last_error),
		    "sent OPEN error: Bad BGP Identifier (same as ours)");
		return -1;
	}
	return 0;
}

static void
got_open(struct peer *p, const struct bgp_open *o, enum fsm_event ev)
{
	unsigned hold;

	if (check_open(p, o) == -1) {
		to_idle(p, EV_OPEN_ERR);
		return;
	}
	p->remote_as = o->cap_as4 ? o->as4 : o->my_as;
	p->remote_id = o->bgp_id;
	p->remote_rr = o->cap_rr;
	p->codec.as4 = o->cap_as4;
	/* U-01: RFC 4271 negotiation: the smaller hold time wins. */
	hold = o->holdtime < conf_hold(p) ? o->holdtime : conf_hold(p);
	p->hold = hold;
	p->keepalive = hold == 0 ? 0 : (conf_keepalive(p) &&
	    conf_keepalive(p) * 3 <= hold ? conf_keepalive(p) : hold / 3);
	if (hold != 0 && p->keepalive == 0)
		p->keepalive = 1;
	send_keepalive(p);
	start_keepalive(p);
	start_hold(p);
	set_state(p, ST_OPENCONFIRM, ev);
}

static void
fsm_idle(struct peer *p, enum fsm_event ev)
{
	if ((ev == EV_START || ev == EV_CONNECT_RETRY_EXPIRES) &&
	    !fsm_held_down(p))
		start(p, ev);
	else if (ev == EV_AUTO_START_PASSIVE && !fsm_held_down(p)) {
		/* RFC 4271 8.1.1 Event 5: listen now; ConnectRetry still runs */
		if (p->t_connect_retry == 0)
			p->t_connect_retry = after_jitter(p->s->conf->connect_retry);
		set_state(p, ST_ACTIVE, ev);
	} else if (ev == EV_TCP_CONFIRMED)
		session_close(p);	/* not started: refuse */
}

static void
fsm_connect_active(struct peer *p, enum fsm_event ev)
{
	switch (ev) {
	case EV_START:
		break;
	case EV_STOP:
		to_idle(p, ev);
		break;
	case EV_CONNECT_RETRY_EXPIRES:
		session_close(p);
		start(p, ev);
		break;
	case EV_TCP_ACKED:
	case EV_TCP_CONFIRMED:
		connected(p, ev);
		break;
	case EV_TCP_FAILS:
		session_close(p);
		p->t_connect_retry = after_jitter(p->s->conf->connect_retry);
		set_state(p, ST_ACTIVE, ev);
		break;
	default:
		fsm_error(p, ev);
		break;
	}
}

static void
fsm_open(struct peer *p, enum fsm_event ev, struct bgp_msg *m)
{
	switch (ev) {
	case EV_OPEN:
		if (p->state == ST_OPENSENT)
			got_open(p, &m->u.open, ev);
		else
			fsm_error(p, ev);
		break;
	case EV_KEEPALIVE:
		if (p->state == ST_OPENCONFIRM) {
			start_hold(p);
			set_state(p, ST_ESTABLISHED, ev);
		} else
			fsm_error(p, ev);
		break;
	case EV_KEEPALIVE_EXPIRES:
		send_keepalive(p);
		start_keepalive(p);
		break;
	case EV_HOLD_EXPIRES:
		session_send_notify(p, BGP_ERR_HOLD, 0, NULL, 0);
		snprintf(p->last_error, sizeof(p->last_error),
		    "sent Hold Timer Expired in %s", fsm_state_str(p->state));
		to_idle(p, ev);
		break;
	case EV_START:
		break;
	case EV_STOP:
		fsm_cease(p, BGP_CEASE_SHUTDOWN, BGP_SHUTDOWN_TEXT);
		break;
	case EV_TCP_FAILS:
	case EV_NOTIFICATION:
	case EV_HEADER_ERR:
	case EV_OPEN_ERR:
	case EV_UPDATE_ERR:
		to_idle(p, ev);
		break;
	default:
		fsm_error(p, ev);
		break;
	}
}

static void
fsm_established(struct peer *p, enum fsm_event ev, struct bgp_msg *m)
{
	switch (ev) {
	case EV_UPDATE:
		start_hold(p);
		speaker_update(p, &m->u.update);
		break;
	case EV_KEEPALIVE:
		start_hold(p);
		break;
	case EV_ROUTE_REFRESH:
		start_hold(p);
		speaker_route_refresh(p, m->u.rr.afi, m->u.rr.safi);
		break;
	case EV_KEEPALIVE_EXPIRES:
		send_keepalive(p);
		start_keepalive(p);
		break;
	case EV_HOLD_EXPIRES:
		session_send_notify(p, BGP_ERR_HOLD, 0, NULL, 0);
		snprintf(p->last_error, sizeof(p->last_error),
		    "sent Hold Timer Expired after %u s of silence", p->hold);
		to_idle(p, ev);
		break;
	case EV_START:
		break;
	case EV_STOP:
		fsm_cease(p, BGP_CEASE_SHUTDOWN, BGP_SHUTDOWN_TEXT);
		break;
	case EV_TCP_FAILS:
		snprintf(p->last_error, sizeof(p->last_error),
		    "connection closed by peer");
		to_idle(p, ev);
		break;
	case EV_NOTIFICATION:
	case EV_HEADER_ERR:
	case EV_UPDATE_ERR:
	case EV_OPEN_ERR:
		to_idle(p, ev);
		break;
	default:
		fsm_error(p, ev);
		break;
	}
}

void
fsm_adopt(struct peer *p, struct bgp_msg *m)
{
	p->t_connect_retry = 0;
	if (p->state != ST_OPENSENT)
		set_state(p, ST_OPENSENT, EV_TCP_CONFIRMED);
	got_open(p, &m->u.open, EV_OPEN);
}

void
fsm_event(struct peer *p, enum fsm_event ev, struct bgp_msg *m)
{
	switch (p->state) {
	case ST_IDLE:
		fsm_idle(p, ev);
		break;
	case ST_CONNECT:
	case ST_ACTIVE:
		fsm_connect_active(p, ev);
		break;
	case ST_OPENSENT:
	case ST_OPENCONFIRM:
		fsm_open(p, ev, m);
		break;
	case ST_ESTABLISHED:
		fsm_established(p, ev, m);
		break;
	}
}
