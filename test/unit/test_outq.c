/*
 * test_outq: the cap on a peer's output queue (BGP_OUTQ_MAX, bgp/bgp.h).
 *
 * A route server on loopback with scripted peers (plain sockets and the
 * codec, in this process): "churn" gives it a full table at the Route
 * Server's limits (RS-41, TOPO_RS_MAX_PREFIXES) with attributes that differ
 * for every prefix, the worst packing; "reader" takes its time before it
 * reads, and must get the whole table without being closed (the cap holds a
 * table); then "sink" connects and never reads while churn withdraws and
 * announces the table again and again: the sink's queue reaches the cap,
 * the route server closes that session with Cease / Out of Resources
 * (RFC 4486, subcode 8) and frees the queue (its memory comes back), and
 * the reader keeps its session and keeps receiving. No root: ports above
 * 1024. OUTQ_CAP=bytes in the environment sets a smaller cap, by hand.
 */
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../bgp/bgp.h"
#include "../../lib/ctlc.h"
#include "../../lib/util.h"
#include "../../topo/topo.h"
#include "t.h"

#define RS_ADDR		"127.0.3.2"
#define CHURN_ADDR	"127.0.3.3"
#define READER_ADDR	"127.0.3.4"
#define SINK_ADDR	"127.0.3.5"
#define CHURN_AS	65001
#define HOPS		5	/* AS_PATH of every churn route */
#define RBUF		(1 << 20)

static char dir[64];
static uint16_t port;

struct fake {
	int		fd;
	uint8_t		*buf;
	size_t		len;
	uint64_t	bytes;		/* read so far */
	size_t		nlri;		/* prefixes announced to us so far */
	unsigned	last_round;	/* the round (community 2) of the last one */
	bool		closed;
	bool		got_notify;
	uint8_t		code, subcode;
};

static uint32_t
A(const char *s)
{
	uint32_t a = 0;

	addr_parse(s, &a);
	return a;
}

static int
fake_connect(const char *from, int rcvbuf, int ms)
{
	uint64_t until = mono_ms() + (uint64_t)ms;
	struct sockaddr_in sin;
	int fd, one = 1;

	do {
		fd = socket(AF_INET, SOCK_STREAM, 0);
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		/* before connect: the window the peer offers stays this small */
		if (rcvbuf > 0)
			setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
			    sizeof(rcvbuf));
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_addr.s_addr = htonl(A(from));
		if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0) {
			sin.sin_addr.s_addr = htonl(A(RS_ADDR));
			sin.sin_port = htons(port);
			if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0)
				return fd;
		}
		close(fd);
		usleep(50000);
	} while (mono_ms() < until);
	return -1;
}

static bool
send_all(int fd, const uint8_t *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

/*
 * Whatever is there to read, without blocking longer than ms; parse it.
 * Returns the bytes read.
 */
static size_t
fake_drain(struct fake *f, int ms)
{
	static struct bgp_notify err;
	struct pollfd pfd = { .fd = f->fd, .events = POLLIN };
	struct bgp_codec c = { .as4 = true };
	struct bgp_msg m;
	ssize_t n, len;
	size_t off = 0;

	if (f->closed || poll(&pfd, 1, ms) <= 0)
		return 0;
	n = read(f->fd, f->buf + f->len, RBUF - f->len);
	if (n <= 0) {
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			f->closed = true;
		return 0;
	}
	f->len += (size_t)n;
	f->bytes += (uint64_t)n;
	while ((len = bgp_msg_frame(f->buf + off, f->len - off, &err)) > 0) {
		if (bgp_msg_parse(&c, f->buf + off, (size_t)len, &m, &err) == 0) {
			if (m.type == BGP_UPDATE)
				f->nlri += m.u.update.nnlri;
			if (m.type == BGP_UPDATE && m.u.update.nnlri > 0 &&
			    m.u.update.attrs.ncomm >= 2)
				f->last_round = m.u.update.attrs.comm[1] & 0xffff;
			if (m.type == BGP_NOTIFICATION) {
				f->got_notify = true;
				f->code = m.u.notify.code;
				f->subcode = m.u.notify.subcode;
			}
			bgp_msg_free(&m);
		}
		off += (size_t)len;
	}
	memmove(f->buf, f->buf + off, f->len - off);
	f->len -= off;
	return (size_t)n;
}

/* Connect, OPEN and KEEPALIVE both ways. */
static bool
fake_up(struct fake *f, const char *from, uint32_t as, int rcvbuf)
{
	struct bgp_open o = {
		.version = BGP_VERSION, .my_as = (uint16_t)as, .holdtime = 90,
		.bgp_id = A(from), .cap_as4 = true, .as4 = as, .cap_mp_ipv4 = true,
	};
	uint8_t msg[BGP_MAX_LEN];
	struct wbuf w;
	uint64_t until = mono_ms() + 3000;

	memset(f, 0, sizeof(*f));
	f->buf = xmalloc(RBUF);
	if ((f->fd = fake_connect(from, rcvbuf, 3000)) == -1)
		return false;
	wbuf_init(&w, msg, sizeof(msg));
	bgp_build_open(&w, &o);
	bgp_build_keepalive(&w);
	if (!send_all(f->fd, msg, w.len))
		return false;
	/* the OPEN and KEEPALIVE back are small: counted as bytes only */
	while (f->bytes < BGP_OPEN_MIN_LEN + BGP_HDR_LEN && mono_ms() < until)
		fake_drain(f, 100);
	return f->bytes >= BGP_OPEN_MIN_LEN + BGP_HDR_LEN;
}

static void
fake_close(struct fake *f)
{
	if (f->fd != -1)
		close(f->fd);
	free(f->buf);
	f->fd = -1;
	f->buf = NULL;
}

/* The churn table: prefix i is 100.64.0.0/10's i-th /24. */
static struct pfx4
pfx_of(size_t i)
{
	struct pfx4 p = { .addr = 0x64400000u + ((uint32_t)i << 8), .len = 24 };

	return p;
}

/*
 * Every prefix with attributes of its own (the worst packing for the
 * route server: an UPDATE each): CHURN_AS then HOPS - 1 private ASNs that
 * differ by prefix, two communities.
 */
static bool
announce(struct fake *f, size_t n, unsigned round)
{
	static uint8_t out[1 << 16];
	struct bgp_codec c = { .as4 = true };
	struct bgp_attrs a;
	uint32_t asns[HOPS], comm[2];
	struct wbuf w;
	size_t i, used = 0, dw, dn;
	struct pfx4 p;
	unsigned k;

	for (i = 0; i < n; i++) {
		bgp_attrs_init(&a);
		asns[0] = CHURN_AS;
		for (k = 1; k < HOPS; k++)
			asns[k] = 4200000000u + (uint32_t)(i * HOPS + k + round);
		bgp_aspath_set(&a, asns, HOPS);
		comm[0] = (uint32_t)CHURN_AS << 16 | (uint32_t)(i & 0xffff);
		comm[1] = (uint32_t)CHURN_AS << 16 | round;
		a.comm = comm;
		a.ncomm = 2;
		a.origin = BGP_ORIGIN_IGP;
		a.nexthop = A(CHURN_ADDR);
		a.present |= BGP_ATTR_BIT(BGP_ATTR_ORIGIN) |
		    BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP) |
		    BGP_ATTR_BIT(BGP_ATTR_COMMUNITIES);
		p = pfx_of(i);
		wbuf_init(&w, out + used, sizeof(out) - used);
		if (bgp_build_update(&c, &w, NULL, 0, &dw, &a, &p, 1, &dn) != 0) {
			a.comm = NULL;
			bgp_attrs_free(&a);
			return false;
		}
		used += w.len;
		a.comm = NULL;
		bgp_attrs_free(&a);
		if (sizeof(out) - used < BGP_MAX_LEN || i + 1 == n) {
			if (!send_all(f->fd, out, used))
				return false;
			used = 0;
			fake_drain(f, 0);
		}
	}
	return true;
}

static bool
withdraw_all(struct fake *f, size_t n)
{
	struct bgp_codec c = { .as4 = true };
	uint8_t out[BGP_MAX_LEN];
	struct pfx4 *v = xcalloc(n, sizeof(*v));
	struct wbuf w;
	size_t i, dw, dn;
	bool ok = true;

	for (i = 0; i < n; i++)
		v[i] = pfx_of(i);
	for (i = 0; i < n && ok; i += dw) {
		wbuf_init(&w, out, sizeof(out));
		ok = bgp_build_update(&c, &w, v + i, n - i, &dw, NULL, NULL, 0,
		    &dn) == 0 && dw > 0 && send_all(f->fd, out, w.len);
	}
	free(v);
	return ok;
}

/*
 * The route server's row for peer `name` ("" if it has none). A request
 * that gets no answer (the route server busy with a round, under a
 * sanitizer on a loaded machine) says nothing of the peer: it is asked
 * again, for up to 30 s.
 */
static void
peer_row(const char *name, char *out, size_t len)
{
	uint64_t until = mono_ms() + 30000;
	struct ctlc_reply r;
	char sock[128];
	size_t i;

	out[0] = '\0';
	snprintf(sock, sizeof(sock), "%s/rs.sock", dir);
	while (ctlc_request(sock, "peers", 2000, &r) != 0)
		if (mono_ms() > until)
			return;
	for (i = 0; i < r.n; i++)
		if (strncmp(r.rows[i], name, strlen(name)) == 0 &&
		    r.rows[i][strlen(name)] == '\t')
			snprintf(out, len, "%s", r.rows[i]);
	ctlc_free(&r);
}

/* Resident set of a process, in kB (0 if unknown). */
static long
rss_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmRSS: %ld", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static bool
log_has(const char *text)
{
	char path[128], line[1024];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "%s/rs.log", dir);
	if ((f = fopen(path, "r")) == NULL)
		return false;
	while (!found && fgets(line, sizeof(line), f) != NULL)
		found = strstr(line, text) != NULL;
	fclose(f);
	return found;
}

int
main(void)
{
	static struct bgp_conf rs;
	const size_t table = TOPO_RS_MAX_PREFIXES;
	struct fake churn, reader, sink;
	char row[512];
	const char *cap_env = getenv("OUTQ_CAP");
	size_t cap;
	long rss0, rss_peak = 0, rss1;
	uint64_t until, table_bytes;
	unsigned round = 0;
	pid_t prs;
	int st;

	snprintf(dir, sizeof(dir), "/tmp/arsemu-outq-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 1;
	port = (uint16_t)(20000 + (getpid() * 13) % 20000);
	signal(SIGPIPE, SIG_IGN);

	bgp_conf_init(&rs);
	snprintf(rs.name, sizeof(rs.name), "rs");
	rs.role = BGP_ROLE_RS;
	rs.asn = BGP_RS_ASN;
	rs.local_addr = rs.bgp_id = A(RS_ADDR);
	rs.port = port;
	rs.hold = 90;
	rs.keepalive = 30;
	rs.connect_retry = 1;
	rs.outq_max = cap_env != NULL ? strtoul(cap_env, NULL, 0) : 0;
	cap = rs.outq_max != 0 ? rs.outq_max : BGP_OUTQ_MAX;
	snprintf(rs.ctl_path, sizeof(rs.ctl_path), "%s/rs.sock", dir);
	{
		static const struct { const char *name, *addr; uint32_t as; } pc[] = {
			{ "churn", CHURN_ADDR, CHURN_AS },
			{ "reader", READER_ADDR, 65002 },
			{ "sink", SINK_ADDR, 65003 },
		};
		size_t i;

		for (i = 0; i < NELEM(pc); i++) {
			struct bgp_peer_conf *p = &rs.peers[rs.npeers++];

			snprintf(p->name, sizeof(p->name), "%s", pc[i].name);
			p->addr = A(pc[i].addr);
			p->asn = pc[i].as;
			p->passive = true;
			p->port = port;
		}
	}
	prs = fork();
	if (prs == 0) {
		char log[128];

		snprintf(log, sizeof(log), "%s/rs.log", dir);
		if (freopen(log, "w", stderr) == NULL)
			_exit(1);
		_exit(bgp_speaker_run(&rs) == 0 ? 0 : 1);
	}

	T_OK(fake_up(&churn, CHURN_ADDR, CHURN_AS, 0), "churn peer established");
	T_OK(announce(&churn, table, 0), "churn announces %zu prefixes (RS-41), "
	    "each with attributes of its own", table);
	/* the table is in: a peer that reads only after a while gets it all */
	T_OK(fake_up(&reader, READER_ADDR, 65002, 4096), "reader established");
	sleep(2);
	fake_drain(&churn, 0);
	until = mono_ms() + 20000;
	while (reader.nlri < table && !reader.closed && mono_ms() < until)
		fake_drain(&reader, 100);
	table_bytes = reader.bytes;
	/*
	 * The baseline once the reader has the whole table: the route server has
	 * then taken every UPDATE in (read any earlier, on a loaded machine it
	 * may still be reading them, and the baseline is too low).
	 */
	rss0 = rss_kb(prs);
	T_OK(reader.nlri >= table && !reader.closed, "a full table at the Route "
	    "Server's limits (%zu prefixes, %llu bytes, one UPDATE each) fits "
	    "the %zu-byte queue of a peer that reads late: %zu prefixes, session "
	    "kept", table, (unsigned long long)table_bytes, cap, reader.nlri);
	T_OK(table_bytes * 2 < (uint64_t)cap || cap_env != NULL,
	    "BGP_OUTQ_MAX holds that table twice over");

	/* a peer that never reads, while the table churns */
	T_OK(fake_up(&sink, SINK_ADDR, 65003, 4096), "sink established");
	until = mono_ms() + 60000;
	for (;;) {
		peer_row("sink", row, sizeof(row));
		if (strstr(row, "\tEstablished\t") == NULL || mono_ms() > until)
			break;
		round++;
		if (!withdraw_all(&churn, table) ||
		    !announce(&churn, table, round))
			break;
		fake_drain(&churn, 0);
		while (fake_drain(&reader, 0) > 0)
			;
		{
			long r = rss_kb(prs);

			if (r > rss_peak)
				rss_peak = r;
		}
	}
	T_OK(strstr(row, "\tEstablished\t") == NULL && strstr(row, "Cease / Out "
	    "of Resources") != NULL, "the peer that never reads is closed with "
	    "Cease / Out of Resources (RFC 4486) after %u rounds of churn: %s",
	    round, row);
	T_OK(log_has("peer sink: output queue full"), "and the route server "
	    "says why in its log");
	/* the reader catches up and keeps receiving */
	peer_row("reader", row, sizeof(row));
	T_OK(strstr(row, "\tEstablished\t") != NULL && !reader.closed,
	    "the reader keeps its session: %s", row);
	{
		size_t before = reader.nlri;

		T_OK(withdraw_all(&churn, table) && announce(&churn, 1, 999),
		    "churn sends again");
		/*
		 * Round 999 is last in the reader's queue: once it has it, the
		 * backlog of the churn rounds before is consumed too.
		 */
		until = mono_ms() + 20000;
		while (reader.last_round != 999 && !reader.closed &&
		    mono_ms() < until) {
			fake_drain(&churn, 0);
			fake_drain(&reader, 100);
		}
		T_OK(reader.nlri > before && reader.last_round == 999,
		    "and the reader receives what changes after the sink is "
		    "gone");
	}
	/* the sink sees the end of its session once it reads */
	until = mono_ms() + 5000;
	while (!sink.closed && mono_ms() < until)
		fake_drain(&sink, 100);
	T_OK(sink.closed, "the sink's connection is closed (%llu bytes reached "
	    "it%s)", (unsigned long long)sink.bytes, sink.got_notify ?
	    ", the NOTIFICATION last" : "; the NOTIFICATION found no room");
	if (sink.got_notify)
		T_OK(sink.code == BGP_ERR_CEASE &&
		    sink.subcode == BGP_CEASE_RESOURCES,
		    "the NOTIFICATION it got is Cease / Out of Resources");
	withdraw_all(&churn, table);
	sleep(1);
	fake_drain(&churn, 0);
	fake_drain(&reader, 0);
	rss1 = rss_kb(prs);
	printf("# route server RSS: %ld kB with the table, %ld kB at most while "
	    "the sink's queue filled, %ld kB after it was closed and the table "
	    "withdrawn (cap %zu bytes)\n", rss0, rss_peak, rss1, cap);
#if defined(__SANITIZE_ADDRESS__)
	/* ASan's quarantine and shadow keep what was freed: the plain build checks */
	printf("# RSS not checked under AddressSanitizer\n");
#else
	T_OK(rss_peak - rss0 < (long)(2 * cap / 1024) + 16384,
	    "memory while the sink's queue fills stays within the cap's reach "
	    "(%ld kB more)", rss_peak - rss0);
	T_OK(rss1 <= rss0 + 4096, "and comes back when it is closed (%ld kB, "
	    "%ld kB before)", rss1, rss0);
#endif

	fake_close(&churn);
	fake_close(&reader);
	fake_close(&sink);
	kill(prs, SIGTERM);
	waitpid(prs, &st, 0);
	T_OK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the route server exits "
	    "cleanly on SIGTERM");
	if (t_failed == 0) {
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		(void)!system(cmd);
	} else
		fprintf(stderr, "# logs in %s\n", dir);
	return t_done();
}
