/*
 * session: the TCP side of a peer. Listening, accepting (matched to a
 * configured peer by source address), non-blocking connects, buffered reads
 * cut into whole messages with bgp_msg_frame(), and a write queue.
 *
 * Every message read becomes exactly one FSM event; a message that does not
 * parse is answered with the NOTIFICATION the codec chose, then the matching
 * error event. Sockets use TTL 255: Route Server peerings are multihop eBGP
 * (RS-05), and the fabric between two subnets is a routed hop.
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/util.h"
#include "bgpd.h"

#define RBUF_SIZE	(4 * BGP_MAX_LEN)

static void
sock_opts(int fd)
{
	int one = 1, ttl = 255;

	setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
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
	int fd, one = 1;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd == -1)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
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
	if (p->rbuf == NULL)
		p->rbuf = xmalloc(RBUF_SIZE);
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
		speaker_log(s, "refused connection from %s: not a configured peer",
		    addr_fmt(from, (char[ADDR_STRLEN]){0}));
		close(fd);
		return;
	}
	sock_opts(fd);
	/*
	 * Collision (RFC 4271 6.8): an incoming connection while ours is only
	 * being set up replaces it; once an OPEN has been exchanged, or the
	 * session is up, the new one is refused with Cease / Connection
	 * Collision Resolution. Full BGP-identifier comparison is not done yet.
	 */
	if (p->state == ST_CONNECT || p->state == ST_ACTIVE) {
		session_close(p);
		attach(p, fd, false);
		fsm_event(p, EV_TCP_CONFIRMED, NULL);
		return;
	}
	{
		uint8_t msg[BGP_NOTIFY_MIN_LEN];
		struct bgp_notify n;
		struct wbuf w;

		bgp_notify_set(&n, BGP_ERR_CEASE, p->state == ST_IDLE ?
		    BGP_CEASE_REJECTED : BGP_CEASE_COLLISION, NULL, 0);
		wbuf_init(&w, msg, sizeof(msg));
		if (bgp_build_notification(&w, &n) == 0)
			(void)!write(fd, msg, w.len);
	}
	close(fd);
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
	if (p->ooff == p->olen)
		p->ooff = p->olen = 0;
	return 0;
}

void
session_send(struct peer *p, const void *msg, size_t len)
{
	if (p->fd == -1)
		return;
	if (p->ooff > 0 && p->ooff == p->olen)
		p->ooff = p->olen = 0;
	xgrow(&p->obuf, &p->ocap, p->olen + len, 1);
	memcpy(p->obuf + p->olen, msg, len);
	p->olen += len;
	p->msgs_out++;
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

static void
got_notification(struct peer *p, const struct bgp_notify *n)
{
	char e[96];

	bgp_err_str(n->code, n->subcode, e, sizeof(e));
	snprintf(p->last_error, sizeof(p->last_error),
	    "received NOTIFICATION %s", e);
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
	if (bgp_msg_parse(&p->codec, msg, len, &m, &err) == -1) {
		session_send_notify(p, err.code, err.subcode, err.data, err.datalen);
		snprintf(p->last_error, sizeof(p->last_error),
		    "sent NOTIFICATION %s",
		    bgp_err_str(err.code, err.subcode, e, sizeof(e)));
		fsm_event(p, error_event(err.code), NULL);
		return false;
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
