/*
 * rsbench: the load side of bench/rs-bench.sh. One process, one poll loop,
 * N injector sessions and one monitor session to a route server under test.
 *
 *   rsbench RS-IP M MONITOR-IP INJECTOR-IP...
 *
 * Injector i (AS 65101 + i) announces M /24s in (100 + i).0.0.0/8 with
 * itself as next hop, packed into as few UPDATEs as fit, all written at
 * once; the monitor (AS 65100) only counts. Measured, in milliseconds to
 * the microsecond, from just before the first UPDATE is written:
 *   full_ms      until the monitor holds all N x M prefixes
 *   withdraw_ms  (after the route server has been quiet for a second)
 *                from the first withdrawal until the monitor holds none
 * It prints one line of key=value pairs, its own CPU time included, so the
 * load side can be shown not to be the bottleneck.
 *
 * Must not: be a test; it only measures.
 */
#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../bgp/msg.h"
#include "../lib/util.h"

#define MAX_INJ		16
#define MON_AS		65100
#define INJ_AS		65101
#define FIRST_OCTET	100
#define QUIET_MS	1000
#define LIMIT_MS	600000
#define KEEPALIVE_MS	30000
#define HOLD_S		180
#define RBUF		(1 << 20)

struct sess {
	int		 fd;
	uint32_t	 local;
	uint32_t	 as;
	uint8_t		*rbuf;
	size_t		 rlen;
	uint8_t		*out;		/* queued UPDATEs */
	size_t		 olen, ooff, ocap;
	uint64_t	 last_rx;
};

static struct sess s[MAX_INJ + 1];	/* s[0]: the monitor */
static unsigned ninj, m;
static uint8_t *have;			/* monitor: prefix i*M+k held */
static size_t nhave, nupdates;
static struct bgp_codec codec = { .as4 = true };

static void
sess_connect(struct sess *x, uint32_t rs)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int one = 1;

	x->fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(x->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	a.sin_addr.s_addr = htonl(x->local);
	if (bind(x->fd, (struct sockaddr *)&a, sizeof(a)) == -1)
		die("bind: %s", strerror(errno));
	a.sin_addr.s_addr = htonl(rs);
	a.sin_port = htons(BGP_PORT);
	while (connect(x->fd, (struct sockaddr *)&a, sizeof(a)) == -1) {
		close(x->fd);
		usleep(100000);
		x->fd = socket(AF_INET, SOCK_STREAM, 0);
		setsockopt(x->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		a.sin_addr.s_addr = htonl(x->local);
		bind(x->fd, (struct sockaddr *)&a, sizeof(a));
		a.sin_addr.s_addr = htonl(rs);
	}
	x->rbuf = xmalloc(RBUF);
}

static void
put(struct sess *x, const void *p, size_t len)
{
	xgrow(&x->out, &x->ocap, x->olen + len, 1);
	memcpy(x->out + x->olen, p, len);
	x->olen += len;
}

static void
flush_out(struct sess *x)
{
	ssize_t n;

	while (x->ooff < x->olen) {
		n = write(x->fd, x->out + x->ooff, x->olen - x->ooff);
		if (n <= 0) {
			if (n == -1 && (errno == EAGAIN || errno == EINTR))
				return;
			die("write: %s", strerror(errno));
		}
		x->ooff += (size_t)n;
	}
	x->ooff = x->olen = 0;
}

static void
send_open(struct sess *x)
{
	struct bgp_open o = {
		.version = BGP_VERSION, .holdtime = HOLD_S, .bgp_id = x->local,
		.cap_as4 = true, .as4 = x->as, .cap_mp_ipv4 = true, .cap_rr = true,
	};
	uint8_t msg[BGP_MAX_LEN];
	struct wbuf w;

	wbuf_init(&w, msg, sizeof(msg));
	bgp_build_open(&w, &o);
	put(x, msg, w.len);
}

static void
send_keepalive(struct sess *x)
{
	uint8_t msg[BGP_HDR_LEN];
	struct wbuf w;

	wbuf_init(&w, msg, sizeof(msg));
	bgp_build_keepalive(&w);
	put(x, msg, w.len);
}

static void
monitor_update(const struct bgp_update *u)
{
	size_t i, k;

	for (k = 0; k < 2; k++) {
		const struct pfx4 *v = k ? u->nlri : u->withdrawn;
		size_t n = k ? u->nnlri : u->nwithdrawn;

		for (i = 0; i < n; i++) {
			unsigned inj = (v[i].addr >> 24) - FIRST_OCTET;
			unsigned idx = (v[i].addr >> 8) & 0xffff;

			if (v[i].len != 24 || inj >= ninj || idx >= m)
				continue;
			idx += inj * m;
			if (k && !have[idx]) {
				have[idx] = 1;
				nhave++;
			} else if (!k && have[idx]) {
				have[idx] = 0;
				nhave--;
			}
		}
	}
}

/* Read what is there; returns message types seen as a bit set. */
static unsigned
sess_read(struct sess *x, bool monitor)
{
	static struct bgp_notify err;
	unsigned seen = 0;
	size_t off = 0;
	ssize_t n, len;

	n = read(x->fd, x->rbuf + x->rlen, RBUF - x->rlen);
	if (n == 0)
		die("session from %s closed by the route server",
		    addr_fmt(x->local, (char[ADDR_STRLEN]){0}));
	if (n < 0)
		return 0;
	x->rlen += (size_t)n;
	x->last_rx = mono_ms();
	while ((len = bgp_msg_frame(x->rbuf + off, x->rlen - off, &err)) > 0) {
		uint8_t type = x->rbuf[off + BGP_HDR_LEN - 1];
		struct bgp_msg msg;

		seen |= 1u << type;
		if (type == BGP_NOTIFICATION)
			die("NOTIFICATION %u/%u from the route server",
			    x->rbuf[off + BGP_HDR_LEN], x->rbuf[off + BGP_HDR_LEN + 1]);
		if (monitor && type == BGP_UPDATE) {
			nupdates++;
			if (bgp_msg_parse(&codec, x->rbuf + off, (size_t)len, &msg,
			    &err) == 0) {
				monitor_update(&msg.u.update);
				bgp_msg_free(&msg);
			}
		}
		off += (size_t)len;
	}
	if (len < 0)
		die("framing error from the route server");
	memmove(x->rbuf, x->rbuf + off, x->rlen - off);
	x->rlen -= off;
	return seen;
}

/* OPEN both ways, KEEPALIVE both ways, blocking; then non-blocking. */
static void
handshake(struct sess *x)
{
	unsigned seen = 0;

	send_open(x);
	flush_out(x);
	while (!(seen & (1u << BGP_OPEN)))
		seen |= sess_read(x, false);
	send_keepalive(x);
	flush_out(x);
	while (!(seen & (1u << BGP_KEEPALIVE)))
		seen |= sess_read(x, false);
	fcntl(x->fd, F_SETFL, fcntl(x->fd, F_GETFL) | O_NONBLOCK);
}

/* Queue injector i's announcements (withdraw: its withdrawals). */
static void
queue_routes(unsigned i, bool withdraw)
{
	struct sess *x = &s[i + 1];
	struct pfx4 *v = xcalloc(m, sizeof(*v));
	uint8_t msg[BGP_MAX_LEN];
	struct bgp_attrs a;
	size_t k, done = 0, dw, dn;
	struct wbuf w;

	for (k = 0; k < m; k++) {
		v[k].addr = (uint32_t)(FIRST_OCTET + i) << 24 | (uint32_t)k << 8;
		v[k].len = 24;
	}
	bgp_attrs_init(&a);
	a.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH) |
	    BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
	a.origin = BGP_ORIGIN_IGP;
	a.nexthop = x->local;
	bgp_aspath_set(&a, &x->as, 1);
	while (done < m) {
		wbuf_init(&w, msg, sizeof(msg));
		if (withdraw)
			bgp_build_update(&codec, &w, v + done, m - done, &dw, NULL,
			    NULL, 0, &dn);
		else
			bgp_build_update(&codec, &w, NULL, 0, &dw, &a, v + done,
			    m - done, &dn);
		put(x, msg, w.len);
		done += dw + dn;
	}
	bgp_attrs_free(&a);
	free(v);
}

/* Poll every session once; the monitor counts, injectors discard. */
static void
pump(int timeout)
{
	struct pollfd pfd[MAX_INJ + 1];
	uint64_t now = mono_ms();
	unsigned i;

	for (i = 0; i <= ninj; i++) {
		pfd[i] = (struct pollfd){ .fd = s[i].fd, .events = POLLIN };
		if (s[i].olen > s[i].ooff)
			pfd[i].events |= POLLOUT;
	}
	if (poll(pfd, ninj + 1, timeout) == -1 && errno != EINTR)
		die("poll: %s", strerror(errno));
	for (i = 0; i <= ninj; i++) {
		if (pfd[i].revents & POLLOUT)
			flush_out(&s[i]);
		if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))
			sess_read(&s[i], i == 0);
		if (now - s[i].last_rx > KEEPALIVE_MS) {
			send_keepalive(&s[i]);
			s[i].last_rx = now;
		}
	}
}

static void
quiet(void)
{
	uint64_t last;
	unsigned i;

	do {
		pump(100);
		last = 0;
		for (i = 0; i <= ninj; i++)
			if (s[i].last_rx > last)
				last = s[i].last_rx;
	} while (mono_ms() - last < QUIET_MS);
}

/*
 * The clock for the two results: microseconds, as the fastest route
 * servers take a few milliseconds and mono_ms() would round that to +-1.
 */
static uint64_t
mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static uint64_t
run_until(size_t want, uint64_t t0)
{
	while (nhave != want) {
		pump(50);
		if (mono_us() - t0 > (uint64_t)LIMIT_MS * 1000)
			return 0;
	}
	return mono_us() - t0;
}

static uint64_t
cpu_ms(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
	    (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
}

int
main(int argc, char **argv)
{
	uint64_t t0, full, wd, c0, c1;
	uint32_t rs;
	unsigned i;

	if (argc < 5 || addr_parse(argv[1], &rs) == -1 || (m = (unsigned)atoi(argv[2])) == 0 ||
	    m > 65536 || (ninj = (unsigned)argc - 4) > MAX_INJ)
		die("usage: rsbench RS-IP M MONITOR-IP INJECTOR-IP...");
	for (i = 0; i <= ninj; i++) {
		if (addr_parse(argv[3 + i], &s[i].local) == -1)
			die("bad address %s", argv[3 + i]);
		s[i].as = i == 0 ? MON_AS : INJ_AS + i - 1;
		sess_connect(&s[i], rs);
		handshake(&s[i]);
	}
	have = xcalloc((size_t)ninj * m, 1);
	quiet();
	c0 = cpu_ms();
	for (i = 0; i < ninj; i++)
		queue_routes(i, false);
	t0 = mono_us();
	for (i = 1; i <= ninj; i++)
		flush_out(&s[i]);
	full = run_until((size_t)ninj * m, t0);
	quiet();
	for (i = 0; i < ninj; i++)
		queue_routes(i, true);
	t0 = mono_us();
	for (i = 1; i <= ninj; i++)
		flush_out(&s[i]);
	wd = run_until(0, t0);
	c1 = cpu_ms();
	printf("full_ms=%.2f withdraw_ms=%.2f monitor_updates=%zu tool_cpu_ms=%llu\n",
	    (double)full / 1000, (double)wd / 1000, nupdates,
	    (unsigned long long)(c1 - c0));
	return full == 0 || wd == 0;
}
