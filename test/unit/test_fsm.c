/*
 * test_fsm: the RFC 4271 section 8 state machine, driven event by event.
 * No process, no TCP: the peer's connection is one end of a socketpair and
 * the test reads what the speaker wrote from the other end, so every
 * message the FSM sends is checked byte for byte through the codec.
 */
#include <sys/socket.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../bgp/bgpd.h"
#include "../../bgp/hubpref.h"
#include "../../lib/util.h"
#include "t.h"

static struct bgp_conf conf;
static struct speaker sp;
static int wire = -1;		/* the peer's end of the connection */
static uint8_t wbuf_[8 * BGP_MAX_LEN];
static size_t wlen;
static char logpath[] = "/tmp/arsemu-fsm-XXXXXX";

static uint32_t
A(const char *s)
{
	uint32_t a = 0;

	addr_parse(s, &a);
	return a;
}

/* A speaker of `role` with one passive peer 10.0.0.10 of AS peer_as. */
static struct peer *
setup(enum bgp_role role, uint32_t asn, uint32_t peer_as)
{
	struct bgp_peer_conf *pc;

	if (sp.conf != NULL)
		speaker_fini(&sp);
	if (wire != -1)
		close(wire);
	wire = -1;
	wlen = 0;
	if (conf.log_fd > 2)
		close(conf.log_fd);
	bgp_conf_init(&conf);
	snprintf(conf.name, sizeof(conf.name), "rs-t");
	conf.role = role;
	conf.asn = asn;
	conf.bgp_id = conf.local_addr = A("10.0.0.4");
	conf.log_fd = open(logpath, O_WRONLY | O_APPEND);
	pc = &conf.peers[conf.npeers++];
	snprintf(pc->name, sizeof(pc->name), "nva");
	pc->addr = A("10.0.0.10");
	pc->asn = peer_as;
	pc->passive = true;
	speaker_init(&sp, &conf);
	return &sp.peers[0];
}

/* Hand the peer a connected socket, as session_accept would. */
static void
connect_peer(struct peer *p)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) == -1)
		die("socketpair");
	p->fd = sv[0];
	p->outgoing = false;
	wire = sv[1];
	wlen = 0;
}

/* The next message the speaker sent, parsed; false if none or EOF. */
static bool
recv_msg(struct bgp_msg *m, bool *eof)
{
	static struct bgp_notify err;
	struct bgp_codec c = { .as4 = true };
	ssize_t n, len;

	*eof = false;
	n = read(wire, wbuf_ + wlen, sizeof(wbuf_) - wlen);
	if (n == 0)
		*eof = true;
	if (n > 0)
		wlen += (size_t)n;
	len = bgp_msg_frame(wbuf_, wlen, &err);
	if (len <= 0)
		return false;
	if (bgp_msg_parse(&c, wbuf_, (size_t)len, m, &err) == -1)
		return false;
	memmove(wbuf_, wbuf_ + len, wlen - (size_t)len);
	wlen -= (size_t)len;
	return true;
}

static int
recv_type(struct bgp_msg *m)
{
	bool eof;

	if (!recv_msg(m, &eof))
		return eof ? -1 : 0;
	return m->type;
}

static void
drain(void)
{
	struct bgp_msg m;

	while (recv_type(&m) > 0)
		bgp_msg_free(&m);
}

/* The hold time of the OPEN the speaker sent (what it proposed); -1 if none. */
static int
sent_open_hold(void)
{
	struct bgp_msg m;
	int t, hold = -1;

	while ((t = recv_type(&m)) > 0) {
		if (t == BGP_OPEN && hold < 0)
			hold = m.u.open.holdtime;
		bgp_msg_free(&m);
	}
	return hold;
}

static struct bgp_msg
open_msg(uint16_t my_as, uint32_t as4, uint16_t hold, const char *id)
{
	struct bgp_msg m;

	memset(&m, 0, sizeof(m));
	m.type = BGP_OPEN;
	m.u.open.version = BGP_VERSION;
	m.u.open.my_as = my_as;
	m.u.open.holdtime = hold;
	m.u.open.bgp_id = A(id);
	m.u.open.cap_as4 = as4 != 0;
	m.u.open.as4 = as4;
	m.u.open.cap_mp_ipv4 = true;
	m.u.open.cap_rr = true;
	return m;
}

/* Active -> OpenSent -> OpenConfirm with the peer proposing `hold`. */
static struct peer *
to_openconfirm(enum bgp_role role, uint32_t peer_as, uint16_t hold)
{
	struct peer *p = setup(role, BGP_RS_ASN, peer_as);
	struct bgp_msg m;

	fsm_event(p, EV_START, NULL);
	connect_peer(p);
	fsm_event(p, EV_TCP_CONFIRMED, NULL);
	m = open_msg((uint16_t)peer_as, peer_as, hold, "10.0.0.10");
	fsm_event(p, EV_OPEN, &m);
	drain();
	return p;
}

static struct peer *
to_established(uint16_t hold)
{
	struct peer *p = to_openconfirm(BGP_ROLE_RS, 65001, hold);
	struct bgp_msg m = { .type = BGP_KEEPALIVE };

	fsm_event(p, EV_KEEPALIVE, &m);
	drain();
	return p;
}

/* The NOTIFICATION the speaker sent, code and subcode; -1 if none. */
static int
notified(struct bgp_notify *out)
{
	struct bgp_msg m;
	int t;

	while ((t = recv_type(&m)) > 0) {
		if (t == BGP_NOTIFICATION) {
			if (out != NULL)
				*out = m.u.notify;
			return m.u.notify.code << 8 | m.u.notify.subcode;
		}
		bgp_msg_free(&m);
	}
	return -1;
}

static void
test_start_open(void)
{
	struct peer *p;
	struct bgp_msg m;
	uint64_t left;

	bgp_conf_init(&conf);
	T_EQ(conf.hold, 180u, "RS-43: default hold time 180 s");
	T_EQ(conf.keepalive, 60u, "RS-43: default keepalive 60 s");

	p = setup(BGP_ROLE_RS, BGP_RS_ASN, 65001);
	T_EQ(p->state, ST_IDLE, "RFC 4271 8.2.2: a session starts in Idle");
	fsm_event(p, EV_START, NULL);
	T_EQ(p->state, ST_ACTIVE,
	    "RFC 4271 8.2.2: ManualStart of a passive peer goes to Active");
	T_EQ(p->fd, -1, "RFC 4271 8.2.1.2: a passive peer opens no connection");
	connect_peer(p);
	fsm_event(p, EV_TCP_CONFIRMED, NULL);
	T_EQ(p->state, ST_OPENSENT,
	    "RFC 4271 8.2.2: TcpConnectionConfirmed in Active: OPEN sent, OpenSent");
	T_EQ(recv_type(&m), BGP_OPEN, "RFC 4271 8.2.2: the OPEN is on the wire");
	T_EQ(m.u.open.holdtime, 180, "RS-43: the route server proposes 180 s");
	T_EQ(m.u.open.my_as, BGP_RS_ASN, "RFC 4271 4.2: My AS 65515");
	T_OK(m.u.open.cap_as4 && m.u.open.as4 == BGP_RS_ASN,
	    "RFC 6793 3: four-octet AS capability with 65515");
	T_OK(m.u.open.cap_rr, "RFC 2918 2: route refresh capability advertised");
	T_OK(m.u.open.cap_mp_ipv4, "RFC 4760 8: IPv4 unicast capability");
	T_EQ(m.u.open.bgp_id, A("10.0.0.4"), "RFC 4271 4.2: BGP identifier");
	left = p->t_hold - mono_ms();
	T_OK(left > 230000 && left <= 240000,
	    "RFC 4271 8.2.2: hold timer in OpenSent is large (4 min): %llu ms",
	    (unsigned long long)left);
}

static void
test_hold(void)
{
	static const struct {
		uint16_t	peer, hold, ka;
		const char	*what;
	} cases[] = {
		{ 90, 90, 30, "U-01: the peer's smaller hold wins; keepalive hold/3" },
		{ 240, 180, 60, "U-01: our 180 s wins over a larger proposal" },
		{ 9, 9, 3, "U-01: hold 9 s gives keepalive 3 s" },
		{ 3, 3, 1, "RFC 4271 4.2: the smallest hold, 3 s, keepalive 1 s" },
		{ 0, 0, 0, "RFC 4271 4.2: hold 0 from the peer disables both timers" },
	};
	size_t i;

	for (i = 0; i < NELEM(cases); i++) {
		struct peer *p = to_openconfirm(BGP_ROLE_RS, 65001, cases[i].peer);

		T_OK(p->state == ST_OPENCONFIRM && p->hold == cases[i].hold &&
		    p->keepalive == cases[i].ka, "%s (peer %u: hold %u, ka %u)",
		    cases[i].what, cases[i].peer, p->hold, p->keepalive);
	}
	{
		struct peer *p = to_established(0);

		T_OK(p->state == ST_ESTABLISHED && p->t_hold == 0 &&
		    p->t_keepalive == 0,
		    "RFC 4271 10: hold 0: Established with no hold or keepalive timer");
	}
}

static void
test_open_checks(void)
{
	struct bgp_notify n;
	int hold;
	struct peer *p;
	struct bgp_msg m;

	p = setup(BGP_ROLE_RS, BGP_RS_ASN, BGP_RS_ASN);
	fsm_event(p, EV_START, NULL);
	connect_peer(p);
	fsm_event(p, EV_TCP_CONFIRMED, NULL);
	m = open_msg(BGP_RS_ASN, BGP_RS_ASN, 180, "10.0.0.10");
	fsm_event(p, EV_OPEN, &m);
	T_EQ(notified(NULL), BGP_ERR_OPEN << 8 | BGP_OPEN_PEER_AS,
	    "RS-05: a peer with ASN 65515 is refused: OPEN error / Bad Peer AS");
	T_EQ(p->state, ST_IDLE, "RS-05: and the session goes to Idle");

	/* GW-06: a peer's own proposal (a VPN gateway's 180); the smaller wins */
	p = setup(BGP_ROLE_ROUTER, 65515, 65101);
	conf.peers[0].hold = 180;
	conf.peers[0].keepalive = 60;
	conf.hold = 9;
	fsm_event(p, EV_START, NULL);
	connect_peer(p);
	fsm_event(p, EV_TCP_CONFIRMED, NULL);
	hold = sent_open_hold();
	T_OK(hold == 180, "GW-06: the OPEN to this peer proposes hold 180 (%d)",
	    hold);
	m = open_msg(65101, 65101, 9, "10.0.0.10");
	fsm_event(p, EV_OPEN, &m);
	T_OK(p->state == ST_OPENCONFIRM && p->hold == 9 && p->keepalive == 3,
	    "GW-06/RFC 4271 4.2: the branch's hold 9 wins, keepalive 9/3 "
	    "(hold %u, keepalive %u)", p->hold, p->keepalive);

	p = setup(BGP_ROLE_RS, BGP_RS_ASN, BGP_RS_ASN);
	conf.peers[0].kind = BGP_SRC_ER;
	fsm_event(p, EV_START, NULL);
	connect_peer(p);
	fsm_event(p, EV_TCP_CONFIRMED, NULL);
	m = open_msg(BGP_RS_ASN, BGP_RS_ASN, 180, "10.0.0.10");
	fsm_event(p, EV_OPEN, &m);
	T_EQ(p->state, ST_OPENCONFIRM,
	    "RS-50: the hub's ExpressRoute gateway, iBGP in 65515, is accepted");

	p = setup(BGP_ROLE_RS, BGP_RS_ASN, 4200000001u);
	fsm_event(p, EV_START, NULL);
	connect_peer(p);
	fsm_event(p, EV_TCP_CONFIRMED, NULL);
	m = open_msg(BGP_AS_TRANS, 4200000001u, 180, "10.0.0.10");
	fsm_event(p, EV_OPEN, &m);
	T_EQ(notified(NULL), BGP_ERR_OPEN << 8 | BGP_OPEN_PEER_AS,
	    "RS-06: a four-octet peer ASN is refused with Bad Peer AS");
	T_OK(strstr(p->last_error, "RS-06") != NULL, "RS-06: named in last_error (%s)",
	    p->last_error);

	p = setup(BGP_ROLE_ROUTER, 65001, 4200000001u);
	fsm_event(p, EV_START, NULL);
	connect_peer(p);
	fsm_event(p, EV_TCP_CONFIRMED, NULL);
	m = open_msg(BGP_AS_TRANS, 4200000001u, 180, "10.0.0.10");
	fsm_event(p, EV_OPEN, &m);
	T_EQ(p->state, ST_OPENCONFIRM,
	    "RFC 6793 4.1: an ordinary speaker accepts AS_TRANS + four-octet AS");

	p = setup(BGP_ROLE_RS, BGP_RS_ASN, 65001);
	fsm_event(p, EV_START, NULL);
	connect_peer(p);
	fsm_event(p, EV_TCP_CONFIRMED, NULL);
	m = open_msg(65002, 65002, 180, "10.0.0.10");
	fsm_event(p, EV_OPEN, &m);
	T_EQ(notified(&n), BGP_ERR_OPEN << 8 | BGP_OPEN_PEER_AS,
	    "RFC 4271 6.2: an AS other than the configured one: Bad Peer AS");

	p = setup(BGP_ROLE_RS, BGP_RS_ASN, 65001);
	fsm_event(p, EV_START, NULL);
	connect_peer(p);
	fsm_event(p, EV_TCP_CONFIRMED, NULL);
	m = open_msg(65001, 65001, 180, "10.0.0.4");
	fsm_event(p, EV_OPEN, &m);
	T_EQ(notified(NULL), BGP_ERR_OPEN << 8 | BGP_OPEN_BGPID,
	    "RFC 4271 6.2: the peer using our BGP identifier: Bad BGP Identifier");
}

static void
test_unexpected(void)
{
	struct bgp_msg ka = { .type = BGP_KEEPALIVE }, up = { .type = BGP_UPDATE };
	struct bgp_msg m;
	struct peer *p;

	p = setup(BGP_ROLE_RS, BGP_RS_ASN, 65001);
	fsm_event(p, EV_START, NULL);
	connect_peer(p);
	fsm_event(p, EV_TCP_CONFIRMED, NULL);
	drain();
	fsm_event(p, EV_KEEPALIVE, &ka);
	T_EQ(notified(NULL), BGP_ERR_FSM << 8 | 1,
	    "RFC 6608 4: KEEPALIVE in OpenSent: FSM error subcode 1");
	T_EQ(p->state, ST_IDLE, "RFC 4271 8.2.2: then Idle");

	p = to_openconfirm(BGP_ROLE_RS, 65001, 180);
	fsm_event(p, EV_UPDATE, &up);
	T_EQ(notified(NULL), BGP_ERR_FSM << 8 | 2,
	    "RFC 6608 4: UPDATE in OpenConfirm: FSM error subcode 2");

	p = to_established(180);
	m = open_msg(65001, 65001, 180, "10.0.0.10");
	fsm_event(p, EV_OPEN, &m);
	T_EQ(notified(NULL), BGP_ERR_FSM << 8 | 3,
	    "RFC 6608 4: OPEN in Established: FSM error subcode 3");
	T_OK(p->t_connect_retry != 0,
	    "RFC 4271 8.1.1: Idle restarts by itself after ConnectRetry");
	p->t_connect_retry = 0;
	fsm_event(p, EV_CONNECT_RETRY_EXPIRES, NULL);
	T_EQ(p->state, ST_ACTIVE, "RFC 4271 8.2.2: and the passive peer is Active again");
}

static void
test_stop_and_timers(void)
{
	struct bgp_notify n;
	struct peer *p;
	struct bgp_msg m;
	char text[256];
	bool eof = false;
	int i;

	p = to_established(180);
	T_EQ(p->state, ST_ESTABLISHED,
	    "RFC 4271 8.2.2: KEEPALIVE in OpenConfirm: Established");
	T_OK(p->up_since != 0, "the speaker learns that the peer is up");
	fsm_event(p, EV_STOP, NULL);
	T_EQ(notified(&n), BGP_ERR_CEASE << 8 | BGP_CEASE_SHUTDOWN,
	    "RFC 4486 4: ManualStop sends Cease / Administrative Shutdown");
	T_OK(n.datalen == 1 + strlen(BGP_SHUTDOWN_TEXT) &&
	    n.data[0] == strlen(BGP_SHUTDOWN_TEXT) &&
	    memcmp(n.data + 1, BGP_SHUTDOWN_TEXT, n.data[0]) == 0,
	    "RFC 8203 2: with the shutdown communication \"%s\"", BGP_SHUTDOWN_TEXT);
	session_shutdown_text(&n, text, sizeof(text));
	T_OK(strcmp(text, BGP_SHUTDOWN_TEXT) == 0,
	    "RFC 8203 2: and the receiver reads it back (%s)", text);
	for (i = 0; i < 10 && !eof; i++)
		(void)recv_msg(&m, &eof);
	T_OK(eof && p->state == ST_IDLE && p->fd == -1,
	    "RFC 4271 8.2.2: the connection is closed and the session Idle");

	n.datalen = 5;
	n.data[0] = 200;
	session_shutdown_text(&n, text, sizeof(text));
	T_OK(text[0] == '\0',
	    "RFC 8203 3: a length past the data: no shutdown text is shown");
	n.data[0] = 3;
	memcpy(n.data + 1, "a\tb", 3);
	session_shutdown_text(&n, text, sizeof(text));
	T_OK(strcmp(text, "a b") == 0,
	    "RFC 8203 2: control characters never reach a log line or row");

	p = to_established(3);
	fsm_event(p, EV_HOLD_EXPIRES, NULL);
	T_EQ(notified(NULL), BGP_ERR_HOLD << 8,
	    "RFC 4271 6.5: hold timer expiry sends Hold Timer Expired");
	T_EQ(p->state, ST_IDLE, "RFC 4271 6.5: and closes the session");

	p = to_established(3);
	fsm_event(p, EV_KEEPALIVE_EXPIRES, NULL);
	T_EQ(recv_type(&m), BGP_KEEPALIVE,
	    "RFC 4271 8.2.2: KeepaliveTimer_Expires sends a KEEPALIVE");
	T_OK(p->t_keepalive > mono_ms(), "RFC 4271 8.2.2: and restarts the timer");
}

static void
test_refresh(void)
{
	struct bgp_msg m;
	struct peer *p;
	const char *r;

	p = to_established(180);
	p->remote_rr = true;
	r = speaker_refresh(p);
	T_OK(strcmp(r, "sent") == 0 && recv_type(&m) == BGP_ROUTE_REFRESH &&
	    m.u.rr.afi == BGP_AFI_IPV4 && m.u.rr.safi == BGP_SAFI_UNICAST,
	    "RFC 2918 3: refresh sends ROUTE-REFRESH for IPv4 unicast (%s)", r);

	p = to_established(180);
	p->remote_rr = false;
	r = speaker_refresh(p);
	T_EQ(notified(NULL), BGP_ERR_CEASE << 8 | BGP_CEASE_CONFIG,
	    "RS-44: a peer without route refresh is reset: Cease / Other "
	    "Configuration Change (%s)", r);
	T_EQ(p->state, ST_IDLE, "RS-44: the session bounces");

	p = to_openconfirm(BGP_ROLE_RS, 65001, 180);
	r = speaker_refresh(p);
	T_OK(strncmp(r, "skipped", 7) == 0 && p->state == ST_OPENCONFIRM,
	    "RFC 2918: nothing is sent before Established (%s)", r);
}

int
main(void)
{
	int fd = mkstemp(logpath);

	if (fd == -1)
		return 1;
	close(fd);
	test_start_open();
	test_hold();
	test_open_checks();
	test_unexpected();
	test_stop_and_timers();
	test_refresh();
	speaker_fini(&sp);
	if (wire != -1)
		close(wire);
	close(conf.log_fd);
	unlink(logpath);
	return t_done();
}
