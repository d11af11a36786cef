/*
 * test_session: real BGP sessions between speaker processes on loopback
 * addresses (no root: ports above 1024). A route server and built-in NVAs
 * exchange routes; a killed NVA is noticed through TCP, a frozen one through
 * the hold timer; the route limit tears a session down.
 *
 * Then a scripted peer (plain sockets and the codec, in this process) that
 * does what a well-behaved speaker would not: a connection from an unknown
 * address, both sides connecting at once with either BGP identifier winning
 * (RFC 4271 6.8), IPv6 routes for the route server (RS-26), route refresh
 * both ways (RFC 2918, RS-44), a malformed attribute (RFC 7606), shutdown
 * communications (RFC 8203); and TCP MD5 between two speakers (RFC 2385).
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/wait.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../bgp/bgp.h"
#include "../../bgp/ratelim.h"
#include "../../lib/ctlc.h"
#include "../../lib/util.h"
#include "t.h"

static char dir[64];
static uint16_t port;

static uint32_t
A(const char *s)
{
	uint32_t a = 0;

	addr_parse(s, &a);
	return a;
}

static void
base(struct bgp_conf *c, const char *name, const char *addr, uint32_t asn,
    enum bgp_role role)
{
	bgp_conf_init(c);
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->role = role;
	c->asn = asn;
	c->local_addr = c->bgp_id = A(addr);
	c->port = port;
	c->hold = 3;
	c->keepalive = 1;
	c->connect_retry = 1;
	snprintf(c->ctl_path, sizeof(c->ctl_path), "%s/%s.sock", dir, name);
}

static void
peer(struct bgp_conf *c, const char *name, const char *addr, uint32_t asn,
    bool passive, unsigned limit)
{
	struct bgp_peer_conf *p = &c->peers[c->npeers++];

	snprintf(p->name, sizeof(p->name), "%s", name);
	p->addr = A(addr);
	p->asn = asn;
	p->passive = passive;
	p->route_limit = limit;
	p->port = port;
}

static pid_t
run(struct bgp_conf *c)
{
	char log[256];
	pid_t pid = fork();

	if (pid == 0) {
		snprintf(log, sizeof(log), "%s/%s.log", dir, c->name);
		freopen(log, "w", stderr);
		_exit(bgp_speaker_run(c) == 0 ? 0 : 1);
	}
	return pid;
}

/* The row of `req` on speaker `who` whose first field is `key`, or "". */
static void
row(const char *who, const char *req, const char *key, char *out, size_t len)
{
	char sock[128];
	struct ctlc_reply r;
	size_t i;

	out[0] = '\0';
	snprintf(sock, sizeof(sock), "%s/%s.sock", dir, who);
	if (ctlc_request(sock, req, 1000, &r) != 0)
		return;
	for (i = 0; i < r.n; i++)
		if (strncmp(r.rows[i], key, strlen(key)) == 0 &&
		    r.rows[i][strlen(key)] == '\t')
			snprintf(out, len, "%s", r.rows[i]);
	ctlc_free(&r);
}

/* Poll until the row contains `want` (or, with absent, does not). */
static bool
wait_row(const char *who, const char *req, const char *key, const char *want,
    bool absent, int ms)
{
	uint64_t until = mono_ms() + (uint64_t)ms;
	char r[512];

	do {
		row(who, req, key, r, sizeof(r));
		if ((strstr(r, want) != NULL) != absent)
			return true;
		usleep(50000);
	} while (mono_ms() < until);
	fprintf(stderr, "# %s %s %s: last row \"%s\", wanted %s\"%s\"\n", who, req,
	    key, r, absent ? "no " : "", want);
	return false;
}

/* ---- a scripted peer -------------------------------------------------- */

struct fake {
	int		fd;
	uint8_t		buf[8 * BGP_MAX_LEN];
	size_t		len;
	struct bgp_codec codec;
};

static void
sin_of(struct sockaddr_in *sin, const char *addr, uint16_t p)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(A(addr));
	sin->sin_port = htons(p);
}

static void
fake_init(struct fake *f, int fd)
{
	struct timeval tv = { .tv_sec = 0, .tv_usec = 100000 };

	memset(f, 0, sizeof(*f));
	f->fd = fd;
	f->codec.as4 = true;
	if (fd != -1)
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

/* Connect from `from` to `to`:port, retrying for up to ms. */
static int
fake_connect(const char *from, const char *to, int ms)
{
	uint64_t until = mono_ms() + (uint64_t)ms;
	struct sockaddr_in sin;
	int fd, one = 1;

	do {
		fd = socket(AF_INET, SOCK_STREAM, 0);
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		sin_of(&sin, from, 0);
		if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0) {
			sin_of(&sin, to, port);
			if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0)
				return fd;
		}
		close(fd);
		usleep(50000);
	} while (mono_ms() < until);
	return -1;
}

static int
fake_listen(const char *addr)
{
	struct sockaddr_in sin;
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sin_of(&sin, addr, port);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(fd, 4) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

static int
fake_accept(int lfd, int ms)
{
	struct timeval tv = { .tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000 };

	setsockopt(lfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return accept(lfd, NULL, NULL);
}

static void
fake_send(struct fake *f, const void *msg, size_t len)
{
	(void)!write(f->fd, msg, len);
}

static void
fake_open(struct fake *f, uint32_t as, const char *id, bool rr)
{
	struct bgp_open o = {
		.version = BGP_VERSION, .my_as = (uint16_t)as, .holdtime = 30,
		.bgp_id = A(id), .cap_as4 = true, .as4 = as, .cap_mp_ipv4 = true,
		.cap_rr = rr,
	};
	uint8_t msg[BGP_MAX_LEN];
	struct wbuf w;

	wbuf_init(&w, msg, sizeof(msg));
	bgp_build_open(&w, &o);
	fake_send(f, msg, w.len);
}

static void
fake_keepalive(struct fake *f)
{
	uint8_t msg[BGP_HDR_LEN];
	struct wbuf w;

	wbuf_init(&w, msg, sizeof(msg));
	bgp_build_keepalive(&w);
	fake_send(f, msg, w.len);
}

/*
 * The next message within ms: its type (m filled, free it), 0 on timeout,
 * -1 when the speaker closed the connection.
 */
static int
fake_recv(struct fake *f, struct bgp_msg *m, int ms)
{
	static struct bgp_notify err;
	uint64_t until = mono_ms() + (uint64_t)ms;
	ssize_t n, len;

	for (;;) {
		len = bgp_msg_frame(f->buf, f->len, &err);
		if (len > 0) {
			int rc = bgp_msg_parse(&f->codec, f->buf, (size_t)len, m, &err);

			memmove(f->buf, f->buf + len, f->len - (size_t)len);
			f->len -= (size_t)len;
			return rc == 0 ? m->type : -2;
		}
		if (len < 0 || mono_ms() >= until)
			return 0;
		n = read(f->fd, f->buf + f->len, sizeof(f->buf) - f->len);
		if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR))
			return -1;
		if (n > 0)
			f->len += (size_t)n;
	}
}

/* Skip messages until one of `type` (or timeout/EOF); returns as fake_recv. */
static int
fake_wait(struct fake *f, int type, struct bgp_msg *m, int ms)
{
	uint64_t until = mono_ms() + (uint64_t)ms;
	int t;

	while (mono_ms() < until) {
		t = fake_recv(f, m, (int)(until - mono_ms()));
		if (t == type || t <= 0)
			return t;
		bgp_msg_free(m);
	}
	return 0;
}

/* OPEN/KEEPALIVE both ways on a connection to the speaker. */
static bool
fake_establish(struct fake *f, uint32_t as, const char *id, bool rr)
{
	struct bgp_msg m;

	fake_open(f, as, id, rr);
	if (fake_wait(f, BGP_OPEN, &m, 3000) != BGP_OPEN)
		return false;
	bgp_msg_free(&m);
	fake_keepalive(f);
	if (fake_wait(f, BGP_KEEPALIVE, &m, 3000) != BGP_KEEPALIVE)
		return false;
	return true;
}

/* The next UPDATE that carries NLRI (End-of-RIB markers skipped). */
static int
fake_wait_nlri(struct fake *f, struct bgp_msg *m, int ms)
{
	uint64_t until = mono_ms() + (uint64_t)ms;
	int t;

	while (mono_ms() < until) {
		t = fake_wait(f, BGP_UPDATE, m, (int)(until - mono_ms()));
		if (t <= 0 || m->u.update.nnlri > 0)
			return t;
		bgp_msg_free(m);
	}
	return 0;
}

/* Connect and establish, again and again while the speaker sits in Idle. */
static bool
fake_session(struct fake *f, const char *from, const char *to, uint32_t as,
    bool rr, int ms)
{
	uint64_t until = mono_ms() + (uint64_t)ms;

	do {
		fake_init(f, fake_connect(from, to, 1000));
		if (f->fd != -1 && fake_establish(f, as, from, rr))
			return true;
		if (f->fd != -1)
			close(f->fd);
		usleep(200000);
	} while (mono_ms() < until);
	f->fd = -1;
	return false;
}

static int
notify_of(const struct bgp_msg *m)
{
	return m->u.notify.code << 8 | m->u.notify.subcode;
}

static bool
log_has(const char *who, const char *text)
{
	char path[128], line[1024];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.log", dir, who);
	if ((f = fopen(path, "r")) == NULL)
		return false;
	while (!found && fgets(line, sizeof(line), f) != NULL)
		found = strstr(line, text) != NULL;
	fclose(f);
	return found;
}

static unsigned
log_count(const char *who, const char *text)
{
	char path[128], line[1024];
	unsigned n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.log", dir, who);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		n += strstr(line, text) != NULL;
	fclose(f);
	return n;
}

static bool
wait_log(const char *who, const char *text, int ms)
{
	uint64_t until = mono_ms() + (uint64_t)ms;

	do {
		if (log_has(who, text))
			return true;
		usleep(50000);
	} while (mono_ms() < until);
	return false;
}

static void
stop(pid_t pid)
{
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
}

static void
test_unknown_peer(void)
{
	static struct bgp_conf rs;
	struct fake f;
	struct bgp_msg m;
	pid_t prs;

	base(&rs, "rs-unknown", "127.0.1.2", BGP_RS_ASN, BGP_ROLE_RS);
	peer(&rs, "nva", "127.0.1.3", 65001, true, 0);
	prs = run(&rs);
	fake_init(&f, fake_connect("127.0.1.9", "127.0.1.2", 3000));
	T_OK(f.fd != -1, "a stranger can open TCP to the route server");
	T_EQ(fake_recv(&f, &m, 2000), -1,
	    "only configured peers: a connection from an unknown address is "
	    "closed at once, without a NOTIFICATION");
	T_OK(wait_log("rs-unknown", "refused connection from 127.0.1.9: not a "
	    "configured peer", 2000), "and the refusal is logged");
	close(f.fd);
	{
		char from[32];
		unsigned i, n;

		/* a flood of strangers: the log says a few, not every one */
		for (i = 0; i < 4 * RATELIM_REFUSED_BURST; i++) {
			snprintf(from, sizeof(from), "127.0.1.%u", 100 + i);
			fake_init(&f, fake_connect(from, "127.0.1.2", 1000));
			if (f.fd != -1) {
				(void)fake_recv(&f, &m, 1000);
				close(f.fd);
			}
		}
		n = log_count("rs-unknown", "refused connection from");
		T_OK(n == RATELIM_REFUSED_BURST, "%u connections from unknown "
		    "addresses write %u log lines, the rate limit's %u a "
		    "minute", 4 * RATELIM_REFUSED_BURST + 1, n,
		    RATELIM_REFUSED_BURST);
	}
	stop(prs);
}

/* An UPDATE: ORIGIN, AS_PATH 65010, MP_REACH_NLRI 2001:db8::/32. */
static const uint8_t update_ipv6[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0x00, 19 + 2 + 2 + 42, BGP_UPDATE,
	0x00, 0x00,			/* withdrawn routes length */
	0x00, 42,			/* path attributes length */
	0x40, 0x01, 0x01, 0x00,		/* ORIGIN IGP */
	0x40, 0x02, 0x06, 0x02, 0x01, 0x00, 0x00, 0xfd, 0xf2,
	0x80, 0x0e, 26,			/* MP_REACH_NLRI */
	0x00, 0x02, 0x01, 16,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
	0x00,
	32, 0x20, 0x01, 0x0d, 0xb8,
};

/* 10.77.0.0/16 via 127.0.1.3, path 65010; med_len 4 is right, 2 is not. */
static size_t
update_v4(uint8_t *b, uint8_t med_len)
{
	static const uint8_t head[] = {
		0x40, 0x01, 0x01, 0x00,
		0x40, 0x02, 0x06, 0x02, 0x01, 0x00, 0x00, 0xfd, 0xf2,
		0x40, 0x03, 0x04, 127, 0, 1, 3,
	};
	size_t n = 0, alen = sizeof(head) + 3 + med_len, i;

	memset(b, 0xff, 16);
	n = 16;
	b[n++] = 0;
	b[n++] = (uint8_t)(19 + 4 + alen + 3);
	b[n++] = BGP_UPDATE;
	b[n++] = 0;
	b[n++] = 0;
	b[n++] = 0;
	b[n++] = (uint8_t)alen;
	memcpy(b + n, head, sizeof(head));
	n += sizeof(head);
	b[n++] = 0x80;			/* MED, optional non-transitive */
	b[n++] = 0x04;
	b[n++] = med_len;
	for (i = 0; i < med_len; i++)
		b[n++] = 0;
	b[n++] = 16;
	b[n++] = 10;
	b[n++] = 77;
	return n;
}

static void
test_scripted_peer(void)
{
	static struct bgp_conf rs;
	struct pfx4 orig[1];
	struct fake f, g;
	struct bgp_msg m;
	struct ctlc_reply cr;
	char r[512], sock[128];
	uint8_t msg[BGP_MAX_LEN];
	struct wbuf w;
	pid_t prs;
	int t;

	pfx_parse("10.1.0.0/16", &orig[0]);
	base(&rs, "rs-script", "127.0.1.2", BGP_RS_ASN, BGP_ROLE_RS);
	peer(&rs, "nva", "127.0.1.3", 65010, true, 0);
	peer(&rs, "old", "127.0.1.4", 65011, true, 0);
	rs.hold = 30;
	rs.keepalive = 10;
	rs.originate = orig;
	rs.noriginate = 1;
	prs = run(&rs);
	snprintf(sock, sizeof(sock), "%s/rs-script.sock", dir);

	T_OK(fake_session(&f, "127.0.1.3", "127.0.1.2", 65010, true, 3000),
	    "RFC 4271 8: a scripted peer reaches Established with the route server");
	T_EQ(fake_wait_nlri(&f, &m, 3000), BGP_UPDATE,
	    "RS-11: the route server announces its VNet prefix");
	bgp_msg_free(&m);

	fake_send(&f, update_ipv6, sizeof(update_ipv6));
	T_OK(wait_log("rs-script", "IPv6 prefixes ignored", 2000),
	    "RS-26: an UPDATE with IPv6 MP_REACH_NLRI is refused and logged");
	row("rs-script", "peers", "nva", r, sizeof(r));
	T_OK(strstr(r, "\tEstablished\t") != NULL && strstr(r, "\t0\t0\t") != NULL,
	    "RS-26: the session stays up and nothing is stored (%s)", r);
	row("rs-script", "learned nva", "2001:db8::/32", r, sizeof(r));
	T_OK(r[0] == '\0', "RS-26: no IPv6 route is learned");

	wbuf_init(&w, msg, sizeof(msg));
	bgp_build_route_refresh(&w, BGP_AFI_IPV4, BGP_SAFI_UNICAST);
	fake_send(&f, msg, w.len);
	t = fake_wait_nlri(&f, &m, 2000);
	T_OK(t == BGP_UPDATE && m.u.update.nnlri == 1 &&
	    m.u.update.nlri[0].addr == A("10.1.0.0"),
	    "RFC 2918 4: a ROUTE-REFRESH is answered with the Adj-RIB-Out again");
	if (t > 0)
		bgp_msg_free(&m);
	wbuf_init(&w, msg, sizeof(msg));
	bgp_build_route_refresh(&w, BGP_AFI_IPV6, BGP_SAFI_UNICAST);
	fake_send(&f, msg, w.len);
	t = fake_wait_nlri(&f, &m, 700);
	T_EQ(t, 0, "RFC 2918 4: a ROUTE-REFRESH for a family not advertised "
	    "is ignored");
	if (t > 0)
		bgp_msg_free(&m);

	if (ctlc_request(sock, "refresh nva", 2000, &cr) == 0)
		ctlc_free(&cr);
	t = fake_wait(&f, BGP_ROUTE_REFRESH, &m, 2000);
	T_OK(t == BGP_ROUTE_REFRESH && m.u.rr.afi == BGP_AFI_IPV4 &&
	    m.u.rr.safi == BGP_SAFI_UNICAST,
	    "RFC 2918 3: `refresh PEER` sends ROUTE-REFRESH for IPv4 unicast");

	{
		size_t n = update_v4(msg, 4);

		fake_send(&f, msg, n);
		T_OK(wait_row("rs-script", "rib", "10.77.0.0/16", "127.0.1.3", false,
		    2000), "RFC 4271 9: a well-formed route is stored");
		n = update_v4(msg, 2);
		fake_send(&f, msg, n);
		T_OK(wait_row("rs-script", "rib", "10.77.0.0/16", "127.0.1.3", true,
		    2000), "RFC 7606 7.4: a MED of the wrong length: treat-as-withdraw");
		T_OK(log_has("rs-script", "RFC 7606 treat-as-withdraw: UPDATE Message "
		    "Error / Attribute Length Error"),
		    "RFC 7606 7.4: the route server logs the approach and the error");
		row("rs-script", "peers", "nva", r, sizeof(r));
		T_OK(strstr(r, "\tEstablished\t") != NULL,
		    "RFC 7606 2: the session survives treat-as-withdraw (%s)", r);
	}
	{
		size_t n;
		unsigned i, lines;

		/*
		 * A configured peer floods malformed UPDATEs: each is answered,
		 * the session stays, the log says a few. A good UPDATE after
		 * them is stored once all of them have been read.
		 */
		n = update_v4(msg, 2);
		for (i = 0; i < 4 * RATELIM_MALFORMED_BURST; i++)
			fake_send(&f, msg, n);
		n = update_v4(msg, 4);
		fake_send(&f, msg, n);
		T_OK(wait_row("rs-script", "rib", "10.77.0.0/16", "127.0.1.3",
		    false, 5000), "after %u malformed UPDATEs a good one is "
		    "stored", 4 * RATELIM_MALFORMED_BURST);
		lines = log_count("rs-script", "RFC 7606 treat-as-withdraw");
		T_OK(lines == RATELIM_MALFORMED_BURST, "%u malformed UPDATEs "
		    "from a configured peer write %u log lines, the rate "
		    "limit's %u a minute", 4 * RATELIM_MALFORMED_BURST + 1,
		    lines, RATELIM_MALFORMED_BURST);
		row("rs-script", "peers", "nva", r, sizeof(r));
		T_OK(strstr(r, "\tEstablished\t") != NULL,
		    "RFC 7606 2: and the session survives the flood (%s)", r);
	}

	T_OK(fake_session(&g, "127.0.1.4", "127.0.1.2", 65011, false, 3000),
	    "a peer without the route refresh capability reaches Established");
	if (ctlc_request(sock, "refresh all", 2000, &cr) == 0) {
		T_OK(cr.n == 2 && strstr(cr.rows[1], "RS-44") != NULL,
		    "`refresh all` says what it did per peer (%s)",
		    cr.n == 2 ? cr.rows[1] : "?");
		ctlc_free(&cr);
	}
	t = fake_wait(&g, BGP_NOTIFICATION, &m, 2000);
	T_OK(t == BGP_NOTIFICATION && notify_of(&m) ==
	    (BGP_ERR_CEASE << 8 | BGP_CEASE_CONFIG),
	    "RS-44: refreshing a peer without the capability resets it: Cease / "
	    "Other Configuration Change");
	close(g.fd);

	{
		static const uint8_t bye[] = {
			0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			0x00, 21 + 1 + 11, BGP_NOTIFICATION, BGP_ERR_CEASE,
			BGP_CEASE_SHUTDOWN, 11,
			'm', 'a', 'i', 'n', 't', 'e', 'n', 'a', 'n', 'c', 'e',
		};

		fake_send(&f, bye, sizeof(bye));
		T_OK(wait_row("rs-script", "peers", "nva", "Administrative Shutdown: "
		    "\"maintenance\"", false, 2000),
		    "RFC 8203: a received shutdown communication is shown in peers");
		T_OK(log_has("rs-script", "\"maintenance\""),
		    "RFC 8203: and logged with its text");
		close(f.fd);
	}

	/* RFC 8203 on our side: SIGTERM with a session up */
	T_OK(fake_session(&f, "127.0.1.3", "127.0.1.2", 65010, true, 5000),
	    "the peer comes back after the route server's ConnectRetry");
	kill(prs, SIGTERM);
	t = fake_wait(&f, BGP_NOTIFICATION, &m, 3000);
	T_OK(t == BGP_NOTIFICATION && notify_of(&m) ==
	    (BGP_ERR_CEASE << 8 | BGP_CEASE_SHUTDOWN) &&
	    m.u.notify.datalen == 1 + strlen(BGP_SHUTDOWN_TEXT) &&
	    memcmp(m.u.notify.data + 1, BGP_SHUTDOWN_TEXT,
	    strlen(BGP_SHUTDOWN_TEXT)) == 0,
	    "RFC 8203 2: SIGTERM sends Cease / Administrative Shutdown with \"%s\"",
	    BGP_SHUTDOWN_TEXT);
	close(f.fd);
	waitpid(prs, NULL, 0);
}

/*
 * RFC 4271 6.8 with the speaker connecting to us while we connect to it.
 * low_local: the speaker's identifier is the lower one, so it must give up
 * the connection it initiated and keep ours.
 */
static void
test_collision(bool low_local)
{
	static struct bgp_conf nva;
	const char *peer_id = low_local ? "200.0.0.1" : "1.0.0.1";
	struct fake in, out;
	struct bgp_msg m;
	char name[32];
	int lfd, t;
	pid_t pn;

	snprintf(name, sizeof(name), "coll-%s", low_local ? "low" : "high");
	lfd = fake_listen("127.0.1.20");
	base(&nva, name, "127.0.1.10", 65001, BGP_ROLE_ROUTER);
	nva.bgp_id = A("100.0.0.1");
	peer(&nva, "far", "127.0.1.20", 65002, false, 0);
	pn = run(&nva);
	fake_init(&in, fake_accept(lfd, 3000));
	t = fake_wait(&in, BGP_OPEN, &m, 3000);
	T_OK(in.fd != -1 && t == BGP_OPEN,
	    "RFC 4271 8.2.1.1: an active peer connects and sends OPEN");
	if (t > 0)
		bgp_msg_free(&m);
	/* our own connection, while the speaker's sits in OpenSent */
	fake_init(&out, fake_connect("127.0.1.20", "127.0.1.10", 2000));
	fake_open(&out, 65002, peer_id, true);
	if (low_local) {
		t = fake_wait(&in, BGP_NOTIFICATION, &m, 3000);
		T_OK(t == BGP_NOTIFICATION && notify_of(&m) ==
		    (BGP_ERR_CEASE << 8 | BGP_CEASE_COLLISION),
		    "RFC 4271 6.8: lower local id: the speaker closes the connection "
		    "it initiated with Cease / Connection Collision Resolution");
		t = fake_wait(&out, BGP_KEEPALIVE, &m, 3000);
		T_EQ(t, BGP_KEEPALIVE,
		    "RFC 4271 6.8: and goes on with the peer's connection");
		fake_keepalive(&out);
	} else {
		t = fake_wait(&out, BGP_NOTIFICATION, &m, 3000);
		T_OK(t == BGP_NOTIFICATION && notify_of(&m) ==
		    (BGP_ERR_CEASE << 8 | BGP_CEASE_COLLISION),
		    "RFC 4271 6.8: higher local id: the peer's new connection gets "
		    "Cease / Connection Collision Resolution");
		fake_open(&in, 65002, peer_id, true);
		t = fake_wait(&in, BGP_KEEPALIVE, &m, 3000);
		T_EQ(t, BGP_KEEPALIVE,
		    "RFC 4271 6.8: and the connection the speaker initiated goes on");
		fake_keepalive(&in);
	}
	T_OK(wait_row(name, "peers", "far", "\tEstablished\t", false, 3000),
	    "RFC 4271 6.8: one session is Established after the collision");
	close(in.fd);
	close(out.fd);
	close(lfd);
	stop(pn);
}

/* Two speakers, both active: whatever the timing, they end up Established. */
static void
test_both_active(void)
{
	static struct bgp_conf rs, nva;
	pid_t a, b;
	char r[512];

	base(&rs, "rs-active", "127.0.1.30", BGP_RS_ASN, BGP_ROLE_RS);
	peer(&rs, "nva", "127.0.1.31", 65001, false, 0);
	base(&nva, "nva-active", "127.0.1.31", 65001, BGP_ROLE_ROUTER);
	peer(&nva, "rs", "127.0.1.30", BGP_RS_ASN, false, 0);
	a = run(&rs);
	b = run(&nva);
	T_OK(wait_row("rs-active", "peers", "nva", "\tEstablished\t", false, 6000),
	    "RFC 4271 6.8: a route server with passive=false and an active NVA "
	    "connecting both ways reach Established");
	usleep(1500000);
	row("rs-active", "peers", "nva", r, sizeof(r));
	T_OK(strstr(r, "\tEstablished\t") != NULL,
	    "RFC 4271 6.8: and the session stays up (%s)", r);
	stop(a);
	stop(b);
}

/*
 * A session that went down sits in Idle until ConnectRetry; the peer's new
 * connection meanwhile is taken (automatic start, passive TCP), not refused:
 * two speakers whose retries fall in each other's Idle would otherwise
 * reject each other for ever. A disabled peering still refuses.
 */
static void
test_idle_accept(void)
{
	static struct bgp_conf rs;
	struct bgp_notify n = { .code = BGP_ERR_CEASE, .subcode = 4 };
	struct ctlc_reply cr;
	struct fake f;
	struct bgp_msg m;
	uint8_t msg[BGP_MAX_LEN];
	struct wbuf w;
	char sock[128];
	pid_t prs;
	int t;

	base(&rs, "rs-idle", "127.0.1.40", BGP_RS_ASN, BGP_ROLE_RS);
	rs.connect_retry = 60;
	peer(&rs, "nva", "127.0.1.41", 65001, false, 0);
	prs = run(&rs);
	snprintf(sock, sizeof(sock), "%s/rs-idle.sock", dir);
	T_OK(fake_session(&f, "127.0.1.41", "127.0.1.40", 65001, true, 3000),
	    "RFC 4271 8: a peer reaches Established");
	wbuf_init(&w, msg, sizeof(msg));
	bgp_build_notification(&w, &n);
	fake_send(&f, msg, w.len);
	close(f.fd);
	T_OK(wait_row("rs-idle", "peers", "nva", "\tIdle\t", false, 2000),
	    "RFC 4271 8.2.2: a NOTIFICATION takes the session to Idle");
	fake_init(&f, fake_connect("127.0.1.41", "127.0.1.40", 1000));
	t = fake_wait(&f, BGP_OPEN, &m, 2000);
	T_EQ(t, BGP_OPEN, "RFC 4271 8.1.1 Event 5: in Idle, waiting for "
	    "ConnectRetry (60 s), the peer's connection is taken and gets an OPEN, "
	    "not Connection Rejected");
	if (t > 0)
		bgp_msg_free(&m);
	fake_open(&f, 65001, "127.0.1.41", true);
	fake_keepalive(&f);
	T_OK(wait_row("rs-idle", "peers", "nva", "\tEstablished\t", false, 2000),
	    "RFC 4271 8.1.1: and the session comes up again at once");
	T_OK(ctlc_request(sock, "disable nva", 1000, &cr) == 0,
	    "control: disable a peering");
	ctlc_free(&cr);
	close(f.fd);
	T_OK(wait_row("rs-idle", "peers", "nva", "\tIdle\t", false, 2000),
	    "a disabled peering is Idle");
	fake_init(&f, fake_connect("127.0.1.41", "127.0.1.40", 1000));
	t = fake_wait(&f, BGP_NOTIFICATION, &m, 2000);
	T_OK(t == BGP_NOTIFICATION && notify_of(&m) ==
	    (BGP_ERR_CEASE << 8 | BGP_CEASE_REJECTED),
	    "RFC 4486: a disabled peering refuses the peer's connection with "
	    "Cease / Connection Rejected");
	if (t > 0)
		bgp_msg_free(&m);
	if (f.fd != -1)
		close(f.fd);
	stop(prs);
}

static void
test_md5(void)
{
	static struct bgp_conf rs, good, bad, none;
	pid_t prs, pg, pb, pn;
	char r[512];

	base(&rs, "rs-md5", "127.0.2.2", BGP_RS_ASN, BGP_ROLE_RS);
	peer(&rs, "good", "127.0.2.3", 65001, true, 0);
	peer(&rs, "bad", "127.0.2.4", 65002, true, 0);
	peer(&rs, "none", "127.0.2.5", 65003, true, 0);
	snprintf(rs.peers[0].md5, sizeof(rs.peers[0].md5), "s3cret-1");
	snprintf(rs.peers[1].md5, sizeof(rs.peers[1].md5), "s3cret-2");
	snprintf(rs.peers[2].md5, sizeof(rs.peers[2].md5), "s3cret-3");
	base(&good, "md5-good", "127.0.2.3", 65001, BGP_ROLE_ROUTER);
	peer(&good, "rs", "127.0.2.2", BGP_RS_ASN, false, 0);
	snprintf(good.peers[0].md5, sizeof(good.peers[0].md5), "s3cret-1");
	base(&bad, "md5-bad", "127.0.2.4", 65002, BGP_ROLE_ROUTER);
	peer(&bad, "rs", "127.0.2.2", BGP_RS_ASN, false, 0);
	snprintf(bad.peers[0].md5, sizeof(bad.peers[0].md5), "wrong");
	base(&none, "md5-none", "127.0.2.5", 65003, BGP_ROLE_ROUTER);
	peer(&none, "rs", "127.0.2.2", BGP_RS_ASN, false, 0);
	prs = run(&rs);
	pg = run(&good);
	pb = run(&bad);
	pn = run(&none);
	T_OK(wait_row("rs-md5", "peers", "good", "\tEstablished\t", false, 5000),
	    "RFC 2385: a peer with the right TCP MD5 key reaches Established");
	usleep(2000000);
	row("rs-md5", "peers", "bad", r, sizeof(r));
	T_OK(r[0] != '\0' && strstr(r, "Established") == NULL,
	    "RFC 2385: a peer with the wrong key gets no session (%s)", r);
	row("rs-md5", "peers", "none", r, sizeof(r));
	T_OK(r[0] != '\0' && strstr(r, "Established") == NULL,
	    "RFC 2385: a peer with no key gets no session (%s)", r);
	row("md5-bad", "peers", "rs", r, sizeof(r));
	T_OK(strstr(r, "Established") == NULL && strstr(r, "OpenSent") == NULL,
	    "RFC 2385: the wrong key never even completes the TCP handshake (%s)", r);
	stop(pg);
	stop(pb);
	stop(pn);
	stop(prs);
}

static void
test_spine(void)
{
	static struct bgp_conf rs, n1, n2, n3;
	struct pfx4 rs_orig[1], n1_orig[1], n2_orig[1], n3_orig[3];
	pid_t prs, p1, p2, p3;
	uint64_t t0;
	char r[512];

	pfx_parse("10.1.0.0/16", &rs_orig[0]);
	base(&rs, "rs0", "127.0.0.2", 65515, BGP_ROLE_RS);
	peer(&rs, "nva1", "127.0.0.3", 65001, true, 4000);
	peer(&rs, "nva2", "127.0.0.4", 65002, true, 4000);
	peer(&rs, "nva3", "127.0.0.5", 65003, true, 2);
	rs.originate = rs_orig;
	rs.noriginate = 1;

	pfx_parse("10.0.0.0/8", &n1_orig[0]);
	base(&n1, "nva1", "127.0.0.3", 65001, BGP_ROLE_ROUTER);
	peer(&n1, "rs0", "127.0.0.2", 65515, false, 0);
	n1.originate = n1_orig;
	n1.noriginate = 1;

	n2_orig[0] = n1_orig[0];
	base(&n2, "nva2", "127.0.0.4", 65002, BGP_ROLE_ROUTER);
	peer(&n2, "rs0", "127.0.0.2", 65515, false, 0);
	n2.originate = n2_orig;
	n2.noriginate = 1;
	n2.prepend = 1;

	pfx_parse("10.30.0.0/16", &n3_orig[0]);
	pfx_parse("10.31.0.0/16", &n3_orig[1]);
	pfx_parse("10.32.0.0/16", &n3_orig[2]);
	base(&n3, "nva3", "127.0.0.5", 65003, BGP_ROLE_ROUTER);
	peer(&n3, "rs0", "127.0.0.2", 65515, false, 0);
	n3.originate = n3_orig;
	n3.noriginate = 3;

	prs = run(&rs);
	p1 = run(&n1);
	p2 = run(&n2);
	p3 = run(&n3);

	T_OK(wait_row("rs0", "peers", "nva1", "Established", false, 5000),
	    "RFC 4271 8: the NVA's session with the route server reaches Established");
	T_OK(wait_row("rs0", "peers", "nva2", "Established", false, 5000),
	    "RFC 4271 8: a second NVA's session reaches Established");
	row("rs0", "peers", "nva1", r, sizeof(r));
	T_OK(strstr(r, "\t3\t1\t") != NULL,
	    "U-01: hold time 3 s negotiated, keepalive 1 s (%s)", r);
	T_OK(wait_row("rs0", "rib", "10.0.0.0/8", "\t127.0.0.3\t", false, 3000),
	    "RS-34: the prepended NVA's route loses: one next hop, the shorter path");
	T_OK(wait_row("nva2", "learned rs0", "10.1.0.0/16", "\t65515\t", false, 3000),
	    "RS-10/RS-11: the NVA learns the VNet prefix with AS path 65515");
	T_OK(wait_row("nva2", "learned rs0", "10.0.0.0/8", "65515-65001", false, 3000),
	    "RS-12: the other NVA's route reaches the NVA via the route server");
	row("nva2", "learned rs0", "10.0.0.0/8", r, sizeof(r));
	T_OK(strstr(r, "\t127.0.0.3\t") != NULL,
	    "U-08: the route server keeps the originating NVA's next hop (%s)", r);
	T_OK(wait_row("rs0", "advertised nva1", "10.1.0.0/16", "127.0.0.2\t65515\tIgp",
	    false, 3000), "CLI-03: advertised VNet route: next hop = RS IP, 65515, Igp");
	T_OK(wait_row("rs0", "peers", "nva3", "route limit", false, 5000),
	    "RS-40: an NVA sending more routes than the limit loses its session");
	row("rs0", "rib", "10.30.0.0/16", r, sizeof(r));
	T_OK(r[0] == '\0', "RS-40: the dropped peer's routes are not in the RIB");

	t0 = mono_ms();
	kill(p1, SIGKILL);
	waitpid(p1, NULL, 0);
	T_OK(wait_row("rs0", "rib", "10.0.0.0/8", "\t127.0.0.4\t", false, 3000),
	    "RS-33/RS-34: killing the NVA promotes the prepended path");
	T_OK(mono_ms() - t0 < 3000,
	    "RFC 4271 8.2.2: a killed peer is noticed by TCP, before the hold time "
	    "(%llu ms)", (unsigned long long)(mono_ms() - t0));

	t0 = mono_ms();
	kill(p2, SIGSTOP);
	T_OK(wait_row("rs0", "peers", "nva2", "Hold Timer Expired", false, 6000),
	    "RFC 4271 6.5: a frozen peer is dropped when the hold timer expires");
	T_OK(mono_ms() - t0 >= 2000,
	    "RFC 4271 6.5: and not before the hold time (%llu ms)",
	    (unsigned long long)(mono_ms() - t0));
	row("rs0", "rib", "10.0.0.0/8", r, sizeof(r));
	T_OK(r[0] == '\0', "the frozen NVA's route is withdrawn");
	kill(p2, SIGCONT);
	/* seconds have passed; nva3 retries every second (connect_retry 1) */
	row("rs0", "peers", "nva3", r, sizeof(r));
	T_OK(strstr(r, "Established") == NULL && strstr(r, "route limit") !=
	    NULL && strstr(r, "\t0\t1\t3\t1\troute limit") != NULL,
	    "RS-40: nva3 is still down seconds later, one flap: held down 30 s "
	    "after its route limit instead of flapping every retry (%s)", r);

	kill(p2, SIGTERM);
	kill(p3, SIGTERM);
	kill(prs, SIGTERM);
	waitpid(p2, NULL, 0);
	waitpid(p3, NULL, 0);
	{
		int st = 0;

		waitpid(prs, &st, 0);
		T_OK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		    "the route server exits cleanly on SIGTERM");
	}
}

int
main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/arsemu-sess-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 1;
	port = (uint16_t)(20000 + getpid() % 20000);
	signal(SIGPIPE, SIG_IGN);

	test_spine();
	test_unknown_peer();
	test_scripted_peer();
	test_collision(true);
	test_collision(false);
	test_both_active();
	test_idle_accept();
	test_md5();
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (t_failed == 0)
			(void)!system(cmd);
		else
			fprintf(stderr, "# logs kept in %s\n", dir);
	}
	return t_done();
}
