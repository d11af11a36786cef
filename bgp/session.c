/*
 * session: the TCP side of a peer. Listening, accepting (matched to a
 * configured peer by source address), non-blocking connects, buffered reads
 * cut into whole messages with bgp_msg_frame(), and a write queue capped
 * at BGP_OUTQ_MAX (the speaker closes a peer that fills it).
 *
 * Every message read becomes exactly one FSM event; a message that does not
 * parse is answered with the NOTIFICATION the codec chose, then the matching
 * error event. Sockets use TTL 255: Route Server peerings are multihop eBGP
 * (RS-05), and the fabric between two subnets is a routed hop.
 *
 * Connection collisions (RFC 4271 6.8) are settled here: a connection from
 * a peer whose session is in OpenSent or OpenConfirm is held as a second
 * connection (cfd) until the peer's OPEN on it names the BGP identifier to
 * compare. A connection from an address that is no configured peer is closed
 * and logged, a few lines a minute at most (ratelim.h), as are each
 * peer's malformed UPDATEs; TCP MD5 keys (RFC 2385) are set on every
 * socket of a peer.
 *
 * Must not: interpret message contents beyond choosing the event.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/util.h"
#include "bgpd.h"

#define RBUF_SIZE	(4 * BGP_MAX_LEN)
#define OBUF_KEEP	(16 * 1024)	/* output buffer kept between bursts */
#define COLLISION_WAIT_S	240	/* for the OPEN on a second connection */
/* RFC 4271 4.1: marker (16), length (2), type (1) */
#define HDR_LEN_AT	16
#define HDR_TYPE_AT	18

static void
sock_opts(int fd)
{
	int one = 1, ttl = 255;

	setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/*
 * RFC 5082 (GTSM): we send with TTL 255 always (sock_opts); with ttl_hops
 * set, the kernel drops whatever arrives from the peer with a TTL below
 * 256 - hops, so a spoofer further away cannot reach the session. Linux
 * checks IP_MINTTL per socket: on our own connection it covers the SYN-ACK
 * and all that follows, but on a connection accepted from the listener
 * (shared with peers without GTSM) it would come too late for what already
 * arrived, the peer's OPEN included. So a GTSM peer is reached only over
 * connections we open, and what it opens is closed (session_accept).
 */
static int
gtsm_set(int fd, const struct bgp_peer_conf *pc)
{
	int min = 256 - pc->ttl_hops;

	if (pc->ttl_hops == 0)
		return 0;
	return setsockopt(fd, IPPROTO_IP, IP_MINTTL, &min, sizeof(min));
}

static void
sin_set(struct sockaddr_in *sin, uint32_t addr, uint16_t port)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(addr);
	sin->sin_port = htons(port);
}

int
session_listen(struct speaker *s)
{
	struct sockaddr_in sin;
	unsigned i;
	int fd, one = 1;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd == -1)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	for (i = 0; i < s->npeers; i++) {
		const struct bgp_peer_conf *pc = s->peers[i].conf;

		if (pc->md5[0] != '\0' && md5_set(fd, pc->addr, pc->md5) == -1) {
			speaker_log(s, "peer %s: TCP MD5 (RFC 2385): %s", pc->name,
			    strerror(errno));
			close(fd);
			return -1;
		}
	}
	sin_set(&sin, s->conf->local_addr, s->conf->port ? s->conf->port : BGP_PORT);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(fd, 16) == -1) {
		speaker_log(s, "listen on %s:%u: %s",
		    addr_fmt(s->conf->local_addr, (char[ADDR_STRLEN]){0}),
		    s->conf->port ? s->conf->port : BGP_PORT, strerror(errno));
		close(fd);
		return -1;
	}
	s->lfd = fd;
	return 0;
}

static void
attach(struct peer *p, int fd, bool outgoing)
{
	p->fd = fd;
	p->outgoing = outgoing;
	p->rlen = 0;
	p->olen = p->ooff = 0;
	p->oflow = false;
	if (p->rbuf == NULL)
		p->rbuf = xmalloc(RBUF_SIZE);
}

/* Write a NOTIFICATION on a connection that is no session's. */
static void
notify_fd(int fd, uint8_t code, uint8_t subcode)
{
	uint8_t msg[BGP_NOTIFY_MIN_LEN];
	struct bgp_notify n;
	struct wbuf w;

	bgp_notify_set(&n, code, subcode, NULL, 0);
	wbuf_init(&w, msg, sizeof(msg));
	if (bgp_build_notification(&w, &n) == 0)
		(void)!write(fd, msg, w.len);
}

static void
refuse(int fd, uint8_t code, uint8_t subcode)
{
	notify_fd(fd, code, subcode);
	close(fd);
}

void
session_connect_done(struct peer *p)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		err = errno;
	if (err != 0) {
		snprintf(p->last_error, sizeof(p->last_error), "connect: %s",
		    strerror(err));
		fsm_event(p, EV_TCP_FAILS, NULL);
	} else
		fsm_event(p, EV_TCP_ACKED, NULL);
}

/* Has our connect() finished, though the poll loop has not seen it yet? */
static bool
connect_finished(const struct peer *p)
{
	struct pollfd pfd = { .fd = p->fd, .events = POLLOUT };

	return poll(&pfd, 1, 0) == 1;
}

void
session_collision_close(struct peer *p)
{
	if (p->cfd == -1)
		return;
	close(p->cfd);
	p->cfd = -1;
	p->clen = 0;
	p->t_collision = 0;
}

/*
 * RFC 4271 6.8: the peer opened a second connection while ours is in
 * OpenSent or OpenConfirm. It is a session of its own until the peer's
 * OPEN on it tells us the BGP identifier to compare: send our OPEN now.
 */
static void
collision_begin(struct peer *p, int fd)
{
	uint8_t msg[BGP_MAX_LEN];
	struct wbuf w;

	if (p->cfd != -1) {
		speaker_log(p->s, "peer %s: a third connection replaces the "
		    "second one", p->conf->name);
		session_collision_close(p);
	}
	p->cfd = fd;
	p->clen = 0;
	p->t_collision = mono_ms() + (uint64_t)COLLISION_WAIT_S * 1000;
	if (p->cbuf == NULL)
		p->cbuf = xmalloc(BGP_MAX_LEN);
	wbuf_init(&w, msg, sizeof(msg));
	if (fsm_build_open(p, &w) == 0)
		(void)!write(fd, msg, w.len);	/* a fresh socket has room */
	speaker_log(p->s, "peer %s: second connection while in %s: waiting for "
	    "its OPEN to resolve the collision (RFC 4271 6.8)", p->conf->name,
	    fsm_state_str(p->state));
}

static void
log_held(struct speaker *s, unsigned long held)
{
	if (held == 0)
		return;
	speaker_log(s, "refused %lu more connections from addresses that are "
	    "no configured peer (logged at most %u a minute)", held,
	    s->refused.burst);
}

void
session_refused_due(struct speaker *s, uint64_t now)
{
	log_held(s, ratelim_due(&s->refused, now));
}

static void
log_malformed_held(struct peer *p, unsigned long held)
{
	if (held == 0)
		return;
	speaker_log(p->s, "peer %s: %lu more malformed UPDATEs answered as RFC "
	    "7606 says (logged at most %u a minute)", p->conf->name, held,
	    p->malformed.burst);
}

void
session_malformed_due(struct peer *p, uint64_t now)
{
	log_malformed_held(p, ratelim_due(&p->malformed, now));
}

void
session_accept(struct speaker *s)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	struct peer *p = NULL;
	uint32_t from;
	unsigned i;
	int fd;

	fd = accept4(s->lfd, (struct sockaddr *)&sin, &len, SOCK_CLOEXEC);
	if (fd == -1)
		return;
	from = ntohl(sin.sin_addr.s_addr);
	for (i = 0; i < s->npeers; i++)
		if (s->peers[i].conf->addr == from)
			p = &s->peers[i];
	if (p == NULL) {
		unsigned long held;

		/*
		 * No session exists to send a NOTIFICATION in: just close.
		 * Anyone can knock as often as they like: a few lines a
		 * minute, then a count (ratelim.h).
		 */
		if (ratelim_allow(&s->refused, mono_ms(), &held)) {
			log_held(s, held);
			speaker_log(s, "refused connection from %s: not a "
			    "configured peer",
			    addr_fmt(from, (char[ADDR_STRLEN]){0}));
		}
		close(fd);
		return;
	}
	if (p->conf->ttl_hops != 0) {
		speaker_log(s, "peer %s: closed its connection: with TTL security "
		    "(RFC 5082) we connect ourselves", p->conf->name);
		close(fd);
		return;
	}
	sock_opts(fd);
	/*
	 * Our own connect() may have completed in the kernel already; then the
	 * peer holds that connection too, and dropping it here would leave
	 * each side dropping the other's. Let the FSM see it first.
	 */
	if (p->state == ST_CONNECT && p->outgoing && connect_finished(p))
		session_connect_done(p);
	/*
	 * A session that went down waits in Idle for ConnectRetry before it
	 * connects again. Refusing the peer meanwhile would make two speakers
	 * whose retries fall in each other's Idle reject each other for ever;
	 * the peer's connection is taken instead, as an automatic start with
	 * passive TCP establishment. Only a disabled peering, or one held down
	 * after its route limit (fsm_held_down), refuses.
	 */
	if (p->state == ST_IDLE)
		fsm_event(p, EV_AUTO_START_PASSIVE, NULL);
	switch (p->state) {
	case ST_CONNECT:
	case ST_ACTIVE:
		session_close(p);	/* a connect() still in progress */
		attach(p, fd, false);
		fsm_event(p, EV_TCP_CONFIRMED, NULL);
		break;
	case ST_OPENSENT:
	case ST_OPENCONFIRM:
		collision_begin(p, fd);
		break;
	case ST_ESTABLISHED:
		/* RFC 4271 6.8: a collision with Established closes the new one */
		speaker_log(s, "peer %s: refused a second connection: session "
		    "is Established (RFC 4271 6.8)", p->conf->name);
		refuse(fd, BGP_ERR_CEASE, BGP_CEASE_COLLISION);
		break;
	case ST_IDLE:
		speaker_log(s, "peer %s: refused connection: the peering is "
		    "%s (RFC 4486 Connection Rejected)", p->conf->name,
		    p->admin_down ? "disabled" : "held down after its route "
		    "limit");
		refuse(fd, BGP_ERR_CEASE, BGP_CEASE_REJECTED);
		break;
	}
}

/*
 * The peer's OPEN arrived on the second connection. RFC 4271 6.8: if our
 * BGP identifier is the lower one, the connection we initiated is closed
 * and the peer's is kept; otherwise the peer's new one is closed. When both
 * connections came from the peer, the older one is a leftover the peer has
 * given up on, and the new one is kept.
 */
static void
collision_resolve(struct peer *p, struct bgp_msg *m, size_t used)
{
	bool keep_new;
	char a[ADDR_STRLEN], b[ADDR_STRLEN];
	int fd = p->cfd;

	if (p->state == ST_ESTABLISHED || p->state == ST_IDLE)
		keep_new = false;
	else if (p->state < ST_OPENSENT || !p->outgoing)
		keep_new = true;
	else
		keep_new = p->s->conf->bgp_id < m->u.open.bgp_id;
	speaker_log(p->s, "peer %s: collision (RFC 4271 6.8): local id %s, remote "
	    "id %s, %s: keeping the %s connection", p->conf->name,
	    addr_fmt(p->s->conf->bgp_id, a), addr_fmt(m->u.open.bgp_id, b),
	    fsm_state_str(p->state), keep_new ? "peer's new" : "existing");
	if (!keep_new) {
		notify_fd(fd, BGP_ERR_CEASE, BGP_CEASE_COLLISION);
		session_collision_close(p);
		return;
	}
	if (p->fd != -1 && p->state >= ST_OPENSENT)
		session_send_notify(p, BGP_ERR_CEASE, BGP_CEASE_COLLISION, NULL, 0);
	session_close(p);
	attach(p, fd, false);
	/* bytes that came after the OPEN belong to the session */
	memcpy(p->rbuf, p->cbuf + used, p->clen - used);
	p->rlen = p->clen - used;
	p->cfd = -1;
	p->clen = 0;
	p->t_collision = 0;
	fsm_adopt(p, m);
}

void
session_collision_read(struct peer *p)
{
	static struct bgp_notify err;
	struct bgp_msg m;
	ssize_t n, mlen;

	n = read(p->cfd, p->cbuf + p->clen, BGP_MAX_LEN - p->clen);
	if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR)) {
		speaker_log(p->s, "peer %s: second connection closed before its "
		    "OPEN", p->conf->name);
		session_collision_close(p);
		return;
	}
	if (n > 0)
		p->clen += (size_t)n;
	mlen = bgp_msg_frame(p->cbuf, p->clen, &err);
	if (mlen == 0)
		return;
	if (mlen < 0 || bgp_msg_parse(&p->codec, p->cbuf, (size_t)mlen, &m,
	    &err) == -1) {
		notify_fd(p->cfd, err.code, err.subcode);
		session_collision_close(p);
		return;
	}
	if (m.type != BGP_OPEN) {
		/* RFC 6608: anything but OPEN is unexpected in OpenSent */
		notify_fd(p->cfd, BGP_ERR_FSM, 1);
		session_collision_close(p);
	} else
		collision_resolve(p, &m, (size_t)mlen);
	bgp_msg_free(&m);
}

int
session_connect(struct peer *p)
{
	struct sockaddr_in sin;
	int fd;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -1;
	sock_opts(fd);
	/* RFC 2385: the SYN is signed already */
	if (p->conf->md5[0] != '\0' && md5_set(fd, p->conf->addr, p->conf->md5) == -1)
		goto fail;
	if (gtsm_set(fd, p->conf) == -1)
		goto fail;
	sin_set(&sin, p->s->conf->local_addr, 0);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		goto fail;
	sin_set(&sin, p->conf->addr, p->conf->port ? p->conf->port : BGP_PORT);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 &&
	    errno != EINPROGRESS)
		goto fail;
	attach(p, fd, true);
	return 0;
fail:
	snprintf(p->last_error, sizeof(p->last_error), "connect: %s",
	    strerror(errno));
	close(fd);
	return -1;
}

/*
 * A burst's buffer (a full table) is not kept once it is sent, nor when
 * the session ends; then (trim) what it freed in the middle of the heap
 * goes back to the kernel too: it may be megabytes (BGP_OUTQ_MAX).
 */
static void
obuf_release(struct peer *p, bool trim)
{
	if (p->ocap <= OBUF_KEEP)
		return;
	free(p->obuf);
	p->obuf = NULL;
	p->ocap = 0;
	if (trim)
		malloc_trim(0);
}

void
session_close(struct peer *p)
{
	if (p->fd == -1)
		return;
	(void)session_flush(p);
	close(p->fd);
	p->fd = -1;
	p->rlen = 0;
	p->olen = p->ooff = 0;
	obuf_release(p, true);
}

int
session_flush(struct peer *p)
{
	ssize_t n;

	while (p->fd != -1 && p->ooff < p->olen) {
		n = write(p->fd, p->obuf + p->ooff, p->olen - p->ooff);
		if (n == -1) {
			if (errno == EAGAIN || errno == EINTR)
				return 0;
			return -1;
		}
		p->ooff += (size_t)n;
	}
	if (p->ooff == p->olen) {
		p->ooff = p->olen = 0;
		obuf_release(p, false);
	}
	return 0;
}

size_t
session_outq_max(const struct peer *p)
{
	return p->s->conf->outq_max != 0 ? p->s->conf->outq_max : BGP_OUTQ_MAX;
}

/*
 * obuf always begins with a whole message. The offset of the start of the
 * first message that ends past `at` (olen if none).
 */
static size_t
msg_boundary(const struct peer *p, size_t at)
{
	size_t off = 0, len;

	while (off + HDR_TYPE_AT < p->olen) {
		len = (size_t)p->obuf[off + HDR_LEN_AT] << 8 |
		    p->obuf[off + HDR_LEN_AT + 1];
		if (len < BGP_HDR_LEN || off + len > at)
			break;
		off += len;
	}
	return off;
}

/*
 * Before the buffer grows, what is written leaves its front, from the start
 * of the message being written, so that obuf still begins with one.
 */
static void
obuf_compact(struct peer *p)
{
	size_t start = msg_boundary(p, p->ooff);

	if (start == 0)
		return;
	memmove(p->obuf, p->obuf + start, p->olen - start);
	p->olen -= start;
	p->ooff -= start;
}

/* Room for need bytes; never much past the cap and one message. */
static void
obuf_grow(struct peer *p, size_t need)
{
	size_t lim = session_outq_max(p) + BGP_MAX_LEN, ncap;

	if (need <= p->ocap)
		return;
	ncap = p->ocap != 0 ? p->ocap : BGP_MAX_LEN;
	while (ncap < need)
		ncap *= 2;
	if (ncap > lim && need <= lim)
		ncap = lim;
	p->obuf = xrealloc(p->obuf, ncap);
	p->ocap = ncap;
}

void
session_drop_queue(struct peer *p)
{
	size_t end = msg_boundary(p, p->ooff);

	/* a message partly written is finished; all after it goes */
	if (end < p->ooff)
		end += (size_t)p->obuf[end + HDR_LEN_AT] << 8 |
		    p->obuf[end + HDR_LEN_AT + 1];
	if (end < p->olen)
		p->olen = end;
}

void
session_queue(struct peer *p, const void *msg, size_t len)
{
	const uint8_t *m = msg;
	bool notify = len > HDR_TYPE_AT && m[HDR_TYPE_AT] == BGP_NOTIFICATION;

	if (p->fd == -1)
		return;
	/*
	 * A peer that does not read must not grow our memory: past the cap
	 * the message is dropped and the session is to be closed (oflow).
	 */
	if (!notify && (p->oflow ||
	    p->olen - p->ooff + len > session_outq_max(p))) {
		p->oflow = true;
		return;
	}
	if (p->ooff > 0 && p->ooff == p->olen)
		p->ooff = p->olen = 0;
	if (p->ooff > 0 && p->olen + len > p->ocap)
		obuf_compact(p);
	obuf_grow(p, p->olen + len);
	memcpy(p->obuf + p->olen, msg, len);
	p->olen += len;
	p->msgs_out++;
}

void
session_send(struct peer *p, const void *msg, size_t len)
{
	session_queue(p, msg, len);
	/* Try now: a NOTIFICATION must leave before the close that follows. */
	(void)session_flush(p);
}

void
session_send_notify(struct peer *p, uint8_t code, uint8_t subcode,
    const void *data, size_t len)
{
	uint8_t msg[BGP_MAX_LEN];
	struct bgp_notify n;
	struct wbuf w;
	char e[96];

	bgp_notify_set(&n, code, subcode, data, len);
	wbuf_init(&w, msg, sizeof(msg));
	if (bgp_build_notification(&w, &n) == 0)
		session_send(p, msg, w.len);
	speaker_log(p->s, "peer %s: sent NOTIFICATION %s", p->conf->name,
	    bgp_err_str(code, subcode, e, sizeof(e)));
}

static enum fsm_event
error_event(uint8_t code)
{
	switch (code) {
	case BGP_ERR_HEADER:	return EV_HEADER_ERR;
	case BGP_ERR_OPEN:	return EV_OPEN_ERR;
	default:		return EV_UPDATE_ERR;
	}
}

void
session_shutdown_text(const struct bgp_notify *n, char *out, size_t len)
{
	size_t tl, i, k = 0;

	out[0] = '\0';
	if (n->code != BGP_ERR_CEASE || (n->subcode != BGP_CEASE_SHUTDOWN &&
	    n->subcode != BGP_CEASE_RESET) || n->datalen < 1 || len == 0)
		return;
	tl = n->data[0];
	if (tl > (size_t)n->datalen - 1)
		return;		/* RFC 8203 3: a bad length: no text */
	/* UTF-8 passes; control characters would break log lines and rows */
	for (i = 0; i < tl && k + 1 < len; i++)
		out[k++] = n->data[1 + i] < 0x20 || n->data[1 + i] == 0x7f ?
		    ' ' : (char)n->data[1 + i];
	out[k] = '\0';
}

static void
got_notification(struct peer *p, const struct bgp_notify *n)
{
	char e[96], text[256];

	bgp_err_str(n->code, n->subcode, e, sizeof(e));
	session_shutdown_text(n, text, sizeof(text));
	snprintf(p->last_error, sizeof(p->last_error),
	    "received NOTIFICATION %s%s%s%s", e, text[0] ? ": \"" : "", text,
	    text[0] ? "\"" : "");
	speaker_log(p->s, "peer %s: %s", p->conf->name, p->last_error);
}

/* One whole message: parse it and hand it to the FSM. false: stop reading. */
static bool
dispatch(struct peer *p, const uint8_t *msg, size_t len)
{
	static struct bgp_notify err;	/* large; one speaker thread */
	struct bgp_msg m;
	enum fsm_event ev;
	char e[96];

	p->msgs_in++;
	err.code = err.subcode = 0;
	if (bgp_msg_parse(&p->codec, msg, len, &m, &err) == -1) {
		session_send_notify(p, err.code, err.subcode, err.data, err.datalen);
		snprintf(p->last_error, sizeof(p->last_error),
		    "sent NOTIFICATION %s",
		    bgp_err_str(err.code, err.subcode, e, sizeof(e)));
		fsm_event(p, error_event(err.code), NULL);
		return false;
	}
	if (m.type == BGP_UPDATE && (m.u.update.treat_as_withdraw ||
	    m.u.update.discarded > 0)) {
		unsigned long held;

		/*
		 * The session survives these (RFC 7606 2), so a peer can send
		 * them as fast as it likes: a few lines a minute, then a count.
		 */
		if (ratelim_allow(&p->malformed, mono_ms(), &held)) {
			log_malformed_held(p, held);
			speaker_log(p->s, "peer %s: RFC 7606 %s: %s",
			    p->conf->name, m.u.update.treat_as_withdraw ?
			    "treat-as-withdraw" : "attribute discard",
			    err.code == 0 ? "malformed attribute" :
			    bgp_err_str(err.code, err.subcode, e, sizeof(e)));
		}
	}
	switch (m.type) {
	case BGP_OPEN:		ev = EV_OPEN; break;
	case BGP_UPDATE:	ev = EV_UPDATE; p->updates_in++; break;
	case BGP_KEEPALIVE:	ev = EV_KEEPALIVE; break;
	case BGP_ROUTE_REFRESH:	ev = EV_ROUTE_REFRESH; break;
	default:
		got_notification(p, &m.u.notify);
		ev = EV_NOTIFICATION;
		break;
	}
	fsm_event(p, ev, &m);
	bgp_msg_free(&m);
	return p->fd != -1;
}

void
session_read(struct peer *p, unsigned budget)
{
	static struct bgp_notify err;
	size_t off = 0;
	ssize_t n, mlen;

	if (p->rlen < RBUF_SIZE) {
		n = read(p->fd, p->rbuf + p->rlen, RBUF_SIZE - p->rlen);
		if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR)) {
			if (n == -1)
				snprintf(p->last_error, sizeof(p->last_error),
				    "read: %s", strerror(errno));
			else if (p->state != ST_ESTABLISHED)
				snprintf(p->last_error, sizeof(p->last_error),
				    "connection closed by peer in %s",
				    fsm_state_str(p->state));
			fsm_event(p, EV_TCP_FAILS, NULL);
			return;
		}
		if (n > 0)
			p->rlen += (size_t)n;
	}
	while (budget-- > 0 && p->fd != -1) {
		mlen = bgp_msg_frame(p->rbuf + off, p->rlen - off, &err);
		if (mlen == 0)
			break;
		if (mlen < 0) {
			char e[96];

			session_send_notify(p, err.code, err.subcode, err.data,
			    err.datalen);
			snprintf(p->last_error, sizeof(p->last_error),
			    "sent NOTIFICATION %s",
			    bgp_err_str(err.code, err.subcode, e, sizeof(e)));
			fsm_event(p, EV_HEADER_ERR, NULL);
			return;
		}
		if (!dispatch(p, p->rbuf + off, (size_t)mlen))
			return;
		off += (size_t)mlen;
	}
	if (p->fd == -1)
		return;
	memmove(p->rbuf, p->rbuf + off, p->rlen - off);
	p->rlen -= off;
}

bool
session_pending(const struct peer *p)
{
	static struct bgp_notify err;

	return p->fd != -1 && bgp_msg_frame(p->rbuf, p->rlen, &err) != 0;
}
