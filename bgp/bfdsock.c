/*
 * bfdsock: the thin socket layer of BFD (RFC 5881, single hop over IPv4)
 * under the pure core of bfd.c, for the speaker's peers that have BFD.
 *
 * One socket receives every session's control packets on UDP 3784 of the
 * speaker's address, and reports each datagram's TTL (IP_RECVTTL): RFC
 * 5881 5 wants 255 exactly, which proves the sender is on the link. Each
 * session sends from a socket of its own, bound to a source port of
 * 49152-65535 kept for the session's life (RFC 5881 4), with TTL 255.
 * A datagram goes to the session its Your Discriminator names, or while
 * that is zero, to the session of its source address (RFC 5880 6.3); it
 * must come from that session's peer either way.
 *
 * The clock is CLOCK_MONOTONIC in microseconds, the clock of mono_ms().
 *
 * Must not: decide anything about BFD (bfd.c) or BGP (speaker.c).
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../lib/util.h"
#include "bgpd.h"

#define US_PER_MS	1000u
#define RECV_BURST	64	/* datagrams per pass: bounded work */
#define RECV_MAX	128	/* room for any packet with an auth section */
#define DISC_PEER_BITS	8	/* low bits of a discriminator: the peer index */

static uint64_t
mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static bool
has_bfd(const struct peer *p)
{
	return p->conf->bfd_mult != 0 && p->bfd_fd != -1;
}

static void
sin_at(struct sockaddr_in *sin, uint32_t addr, uint16_t port)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(addr);
	sin->sin_port = htons(port);
}

static int
open_rx(struct speaker *s)
{
	struct sockaddr_in sin;
	int fd, one = 1;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (setsockopt(fd, IPPROTO_IP, IP_RECVTTL, &one, sizeof(one)) == -1)
		goto fail;
	sin_at(&sin, s->conf->local_addr, BFD_PORT);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		goto fail;
	s->bfd_rfd = fd;
	return 0;
fail:
	close(fd);
	return -1;
}

/* RFC 5881 4: a source port of the dynamic range, the session's for life. */
static int
open_tx(struct speaker *s, struct peer *p)
{
	const unsigned span = BFD_SPORT_MAX - BFD_SPORT_MIN + 1;
	struct sockaddr_in sin;
	int fd, ttl = BFD_TTL;
	unsigned k, port;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -1;
	if (setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) == -1)
		goto fail;
	for (k = 0; k < span; k++) {
		port = BFD_SPORT_MIN + (p->bfd.local_disc + k) % span;
		sin_at(&sin, s->conf->local_addr, (uint16_t)port);
		if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0)
			break;
		if (errno != EADDRINUSE)
			goto fail;
	}
	sin_at(&sin, p->conf->addr, BFD_PORT);
	if (k == span || connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		goto fail;
	p->bfd_fd = fd;
	return 0;
fail:
	close(fd);
	return -1;
}

int
bfdsock_open(struct speaker *s)
{
	uint64_t now = mono_us();
	unsigned base, i, n = 0;

	for (i = 0; i < s->npeers; i++)
		n += s->peers[i].conf->bfd_mult != 0;
	if (n == 0)
		return 0;
	if (open_rx(s) == -1) {
		speaker_log(s, "BFD: cannot receive on UDP %u: %s: BGP runs "
		    "without BFD", BFD_PORT, strerror(errno));
		return -1;
	}
	/* nonzero, distinct per peer, and unlike the last run's (6.3) */
	base = (unsigned)(now ^ (uint64_t)getpid() << 12) << DISC_PEER_BITS;
	for (i = 0; i < s->npeers; i++) {
		struct peer *p = &s->peers[i];
		const struct bgp_peer_conf *pc = p->conf;
		uint32_t us = (uint32_t)pc->bfd_interval_ms * US_PER_MS;

		if (pc->bfd_mult == 0)
			continue;
		bfd_session_init(&p->bfd, base | (i + 1), us, us, pc->bfd_mult,
		    base ^ i, now);
		if (open_tx(s, p) == -1) {
			speaker_log(s, "peer %s: BFD: no socket to send from: %s",
			    pc->name, strerror(errno));
			continue;
		}
		speaker_log(s, "peer %s: BFD %u ms x %u, discriminator %u",
		    pc->name, pc->bfd_interval_ms, pc->bfd_mult,
		    p->bfd.local_disc);
	}
	return 0;
}

void
bfdsock_close(struct speaker *s)
{
	unsigned i;

	for (i = 0; i < s->npeers; i++)
		if (s->peers[i].bfd_fd != -1) {
			close(s->peers[i].bfd_fd);
			s->peers[i].bfd_fd = -1;
		}
	if (s->bfd_rfd != -1)
		close(s->bfd_rfd);
	s->bfd_rfd = -1;
}

static void
send_one(struct peer *p, const struct bfd_pkt *k)
{
	uint8_t b[BFD_PKT_LEN];
	struct wbuf w;

	wbuf_init(&w, b, sizeof(b));
	/* a lost datagram is what BFD is there to notice: no retry */
	if (bfd_build(&w, k) == 0)
		(void)!send(p->bfd_fd, b, w.len, MSG_DONTWAIT);
}

static void
run_peer(struct peer *p, uint64_t now)
{
	struct bfd_pkt k;

	if (bfd_session_expire(&p->bfd, now))
		speaker_bfd_change(p);
	while (bfd_session_tx(&p->bfd, now, &k))
		send_one(p, &k);
}

void
bfdsock_run(struct speaker *s)
{
	uint64_t now = mono_us();
	unsigned i;

	for (i = 0; i < s->npeers; i++)
		if (has_bfd(&s->peers[i]))
			run_peer(&s->peers[i], now);
}

uint64_t
bfdsock_next(const struct speaker *s)
{
	uint64_t t = 0, d;
	unsigned i;

	for (i = 0; i < s->npeers; i++) {
		if (!has_bfd(&s->peers[i]) ||
		    (d = bfd_session_next(&s->peers[i].bfd)) == 0)
			continue;
		d = (d + US_PER_MS - 1) / US_PER_MS;
		if (t == 0 || d < t)
			t = d;
	}
	return t;
}

/* RFC 5880 6.3: by Your Discriminator, else by the source address. */
static struct peer *
demux(struct speaker *s, uint32_t from, const struct bfd_pkt *k)
{
	unsigned i;

	for (i = 0; i < s->npeers; i++) {
		struct peer *p = &s->peers[i];

		if (!has_bfd(p) || p->conf->addr != from)
			continue;
		if (k->your_disc == 0 || k->your_disc == p->bfd.local_disc)
			return p;
	}
	return NULL;
}

static int
recv_ttl(struct msghdr *mh)
{
	struct cmsghdr *c;
	int ttl = -1;

	for (c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c))
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL &&
		    c->cmsg_len >= CMSG_LEN(sizeof(int)))
			memcpy(&ttl, CMSG_DATA(c), sizeof(ttl));
	return ttl;
}

static void
got(struct speaker *s, uint32_t from, int ttl, const uint8_t *b, size_t len)
{
	struct bfd_pkt k;
	enum bfd_err e;
	struct peer *p;
	int r;

	if (bfd_parse(b, len, &k, &e) == -1)
		return;
	if ((p = demux(s, from, &k)) == NULL)
		return;
	if (ttl != BFD_TTL) {
		/* RFC 5881 5: not from this link */
		p->bfd.rx_bad++;
		return;
	}
	if ((r = bfd_session_recv(&p->bfd, &k, mono_us(), &e)) == 1)
		speaker_bfd_change(p);
	if (r != -1 && p->bfd.final_due)
		run_peer(p, mono_us());
}

void
bfdsock_read(struct speaker *s)
{
	uint8_t b[RECV_MAX];
	union {
		struct cmsghdr	c;
		uint8_t		b[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct sockaddr_in sin;
	struct iovec iov;
	struct msghdr mh;
	unsigned n;
	ssize_t len;

	for (n = 0; n < RECV_BURST; n++) {
		iov = (struct iovec){ .iov_base = b, .iov_len = sizeof(b) };
		mh = (struct msghdr){ .msg_name = &sin, .msg_namelen =
		    sizeof(sin), .msg_iov = &iov, .msg_iovlen = 1,
		    .msg_control = ctl.b, .msg_controllen = sizeof(ctl.b) };
		if ((len = recvmsg(s->bfd_rfd, &mh, MSG_DONTWAIT)) == -1)
			return;
		if (sin.sin_family != AF_INET || (mh.msg_flags & MSG_TRUNC))
			continue;
		got(s, ntohl(sin.sin_addr.s_addr), recv_ttl(&mh), b,
		    (size_t)len);
	}
}

void
bfdsock_admin(struct peer *p, bool down)
{
	uint64_t now = mono_us();
	struct bfd_pkt k;

	if (!has_bfd(p) || bfd_session_admin(&p->bfd, down, now) == 0)
		return;
	speaker_bfd_change(p);
	/* RFC 5882 3.2: tell the peer now, so it does not see a failure */
	if (down) {
		p->bfd.t_tx = now;
		while (bfd_session_tx(&p->bfd, now, &k))
			send_one(p, &k);
	}
}
