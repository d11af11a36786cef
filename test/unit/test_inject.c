/*
 * test_inject: every wire vector (test/wire) sent by an injector to a live
 * route server over TCP, on loopback, each from its own configured peer:
 * a malformed message gets the NOTIFICATION the RFC names (RFC 4271 6,
 * RFC 7606), a treat-as-withdraw error leaves the session up, and all the
 * while a bystander NVA keeps its session and its route, and the route
 * server keeps running. An UPDATE whose routes must be taken shows in the
 * route server's Adj-RIB-In for that peer; one treated as withdrawn, by the
 * codec or by the speaker's session checks (expect-peer: withdraw; U-11 to
 * U-15), does not; a prefix of either that no other vector announces must
 * reach the bystander, or not. A route server takes BGP_MAX_PEERS - 1 injectors;
 * the vectors go in batches, a route server and a bystander for each. No
 * root: ports above 1024.
 */
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <dirent.h>
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
#include "t.h"

#define WIRE_DIR	"test/wire"
#define MAX_VECTORS	200
#define BATCH		(BGP_MAX_PEERS - 1)	/* and the bystander */
#define VICTIM_BASE	0x7f000a00u	/* 127.0.10.0 + n */
#define RS_ORIGIN	"10.1.0.0/16"
#define BY_ORIGIN	"10.77.0.0/16"

struct vec {
	char	name[128];
	char	desc[256];
	bool	as2;
	uint8_t	msg[BGP_MAX_LEN + 64];
	size_t	len;
	char	expect[32];	/* ok, withdraw, notify, incomplete */
	char	type[32];	/* ok TYPE */
	int	code, subcode;
	bool	peer_wd;	/* expect-peer: withdraw */
	/* an UPDATE's IPv4 NLRI, as the codec finds them */
	struct pfx4 nlri[8];
	size_t	nnlri;
};

static char dir[64];
static uint16_t port;

static int
hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	    c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static bool
load_vec(const char *path, struct vec *v)
{
	char line[4096];
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return false;
	memset(v, 0, sizeof(*v));
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' && v->desc[0] == '\0')
			snprintf(v->desc, sizeof(v->desc), "%.200s", line + 2);
		else if (strcmp(line, "codec: as2") == 0)
			v->as2 = true;
		else if (strncmp(line, "in:", 3) == 0) {
			const char *p;

			for (p = line + 3; *p; p++) {
				int h, l;

				if (*p == ' ')
					continue;
				if ((h = hexval(p[0])) < 0 || (l = hexval(p[1])) < 0 ||
				    v->len >= sizeof(v->msg))
					break;
				v->msg[v->len++] = (uint8_t)(h << 4 | l);
				p++;
			}
		} else if (strncmp(line, "expect: ", 8) == 0)
			sscanf(line + 8, "%31s %31s", v->expect, v->type);
		else if (strcmp(line, "expect-peer: withdraw") == 0)
			v->peer_wd = true;
	}
	fclose(f);
	return v->len > 0;
}

/* The subcode: the second number after "notify". */
static void
fix_notify(const char *path, struct vec *v)
{
	char line[4096];
	FILE *f = fopen(path, "r");

	while (f != NULL && fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "expect: notify ", 15) == 0)
			sscanf(line + 15, "%d %d", &v->code, &v->subcode);
	if (f != NULL)
		fclose(f);
}

/* The NLRI of an UPDATE that parses (treat-as-withdraw or not). */
static void
vec_nlri(struct vec *v)
{
	static struct bgp_notify err;
	struct bgp_codec c = { .as4 = !v->as2 };
	struct bgp_msg m;
	size_t i;

	if (bgp_msg_frame(v->msg, v->len, &err) != (ssize_t)v->len ||
	    bgp_msg_parse(&c, v->msg, v->len, &m, &err) != 0)
		return;
	if (m.type == BGP_UPDATE)
		for (i = 0; i < m.u.update.nnlri && i < NELEM(v->nlri); i++)
			v->nlri[v->nnlri++] = m.u.update.nlri[i];
	bgp_msg_free(&m);
}

/* An UPDATE with NLRI whose routes must not be taken (RFC 7606, 4271 6.3). */
static bool
routes_refused(const struct vec *v)
{
	return v->nnlri > 0 && (strcmp(v->expect, "withdraw") == 0 ||
	    v->peer_wd);
}

static bool
routes_taken(const struct vec *v)
{
	return v->nnlri > 0 && strcmp(v->expect, "ok") == 0 &&
	    strcmp(v->type, "UPDATE") == 0 && !v->peer_wd;
}

static int
vec_cmp(const void *a, const void *b)
{
	return strcmp(((const struct vec *)a)->name, ((const struct vec *)b)->name);
}

static size_t
load_all(struct vec *v)
{
	DIR *d = opendir(WIRE_DIR);
	struct dirent *e;
	size_t n = 0;

	while (d != NULL && (e = readdir(d)) != NULL && n < MAX_VECTORS) {
		char path[512];

		if (strstr(e->d_name, ".hex") == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/%s", WIRE_DIR, e->d_name);
		if (!load_vec(path, &v[n]))
			continue;
		fix_notify(path, &v[n]);
		snprintf(v[n].name, sizeof(v[n].name), "%.100s", e->d_name);
		vec_nlri(&v[n]);
		n++;
	}
	if (d != NULL)
		closedir(d);
	qsort(v, n, sizeof(*v), vec_cmp);
	return n;
}

/* Which vectors the injector sends, and how. */
static bool
is_open_vec(const struct vec *v)
{
	return v->len > 18 && v->msg[18] == BGP_OPEN;
}

static bool
injectable(const struct vec *v)
{
	if (strcmp(v->expect, "incomplete") == 0)
		return false;	/* the server rightly waits for the rest */
	if (strcmp(v->expect, "ok") == 0 && strcmp(v->type, "OPEN") == 0)
		return false;	/* a valid OPEN: the handshake sends ours */
	return true;
}

static int
connect_from(uint32_t src)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(src) };
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port),
	    .sin_addr.s_addr = htonl(0x7f000002) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd == -1 || bind(fd, (struct sockaddr *)&a, sizeof(a)) == -1 ||
	    connect(fd, (struct sockaddr *)&to, sizeof(to)) == -1) {
		if (fd != -1)
			close(fd);
		return -1;
	}
	return fd;
}

/* Read one whole BGP message (ms timeout); its type, 0 on close, -1 timeout. */
static int
read_msg(int fd, uint8_t *buf, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t have = 0, need = BGP_HDR_LEN;
	ssize_t n;

	while (have < need) {
		if (poll(&p, 1, ms) <= 0)
			return -1;
		if ((n = read(fd, buf + have, need - have)) <= 0)
			return 0;
		have += (size_t)n;
		if (have == BGP_HDR_LEN)
			need = (size_t)(buf[16] << 8 | buf[17]);
		if (need < BGP_HDR_LEN || need > BGP_MAX_LEN)
			return 0;
	}
	return buf[18];
}

static bool
handshake(int fd, uint32_t id, bool as2)
{
	struct bgp_open o = { .version = 4, .my_as = 65001, .holdtime = 30,
	    .bgp_id = id, .cap_mp_ipv4 = true, .cap_as4 = !as2, .as4 = 65001 };
	uint8_t out[BGP_MAX_LEN], in[BGP_MAX_LEN];
	struct wbuf w;
	bool got_open = false, got_ka = false;
	int t;

	wbuf_init(&w, out, sizeof(out));
	if (bgp_build_open(&w, &o) != 0 || bgp_build_keepalive(&w) != 0 ||
	    write(fd, out, w.len) != (ssize_t)w.len)
		return false;
	while (!(got_open && got_ka)) {
		if ((t = read_msg(fd, in, 2000)) <= 0)
			return false;
		got_open |= t == BGP_OPEN;
		got_ka |= t == BGP_KEEPALIVE;
	}
	return true;
}

static void
peer_row(const char *name, char *out, size_t len)
{
	struct ctlc_reply r;
	char sock[128];
	size_t i;

	out[0] = '\0';
	snprintf(sock, sizeof(sock), "%s/rs.sock", dir);
	if (ctlc_request(sock, "peers", 2000, &r) != 0)
		return;
	for (i = 0; i < r.n; i++)
		if (strncmp(r.rows[i], name, strlen(name)) == 0 &&
		    r.rows[i][strlen(name)] == '\t')
			snprintf(out, len, "%s", r.rows[i]);
	ctlc_free(&r);
}

static bool
bystander_ok(void)
{
	char row[512], rib[512];
	struct ctlc_reply r;
	char sock[128];
	size_t i;

	peer_row("bystander", row, sizeof(row));
	rib[0] = '\0';
	snprintf(sock, sizeof(sock), "%s/rs.sock", dir);
	if (ctlc_request(sock, "rib", 2000, &r) == 0) {
		for (i = 0; i < r.n; i++)
			if (strncmp(r.rows[i], "10.77.0.0/16\t", 13) == 0)
				snprintf(rib, sizeof(rib), "%s", r.rows[i]);
		ctlc_free(&r);
	}
	/* Established, never flapped (field 9 = flaps = 0), route held */
	return strstr(row, "\tEstablished\t") != NULL && rib[0] != '\0' &&
	    strstr(row, "\t0\t") != NULL;
}

static pid_t
run(struct bgp_conf *c)
{
	char log[256];
	pid_t pid = fork();

	if (pid == 0) {
		snprintf(log, sizeof(log), "%s/%s.log", dir, c->name);
		if (freopen(log, "w", stderr) == NULL)
			_exit(1);
		_exit(bgp_speaker_run(c) == 0 ? 0 : 1);
	}
	return pid;
}

/* Rows of `req` on speaker `who` that begin with `key` and a tab. */
static unsigned
rows_with(const char *who, const char *req, const char *key)
{
	struct ctlc_reply r;
	char sock[128];
	unsigned n = 0;
	size_t i;

	snprintf(sock, sizeof(sock), "%s/%s.sock", dir, who);
	if (ctlc_request(sock, req, 2000, &r) != 0)
		return 0;
	for (i = 0; i < r.n; i++)
		n += key[0] == '\0' || (strncmp(r.rows[i], key, strlen(key)) == 0 &&
		    r.rows[i][strlen(key)] == '\t');
	ctlc_free(&r);
	return n;
}

/* Does the bystander hold prefix p within ms (or, with gone, not)? */
static bool
bystander_has(const struct pfx4 *p, bool want, int ms)
{
	uint64_t until = mono_ms() + (uint64_t)ms;
	char pf[PFX_STRLEN];
	bool has;

	pfx_fmt(p, pf);
	do {
		has = rows_with("bystander", "rib", pf) > 0;
		if (has == want)
			return true;
		usleep(50000);
	} while (mono_ms() < until);
	return false;
}

/*
 * A prefix only this vector announces, and neither speaker originates: the
 * bystander can show whether the route server passed it on.
 */
static bool
pfx_unique(const struct vec *all, size_t n, const struct vec *v,
    const struct pfx4 *p)
{
	struct pfx4 o;
	size_t i, k;

	pfx_parse(RS_ORIGIN, &o);
	if (pfx_equal(&o, p))
		return false;
	pfx_parse(BY_ORIGIN, &o);
	if (pfx_equal(&o, p))
		return false;
	for (i = 0; i < n; i++)
		for (k = 0; &all[i] != v && k < all[i].nnlri; k++)
			if (pfx_equal(&all[i].nlri[k], p))
				return false;
	return true;
}

/* Taken or refused, as the vector says: the RS's Adj-RIB-In, the bystander. */
static void
check_routes(const struct vec *all, size_t n, const struct vec *v,
    const char *peer)
{
	char req[64];
	unsigned got;
	size_t k;

	snprintf(req, sizeof(req), "learned %s", peer);
	got = rows_with("rs", req, "");
	if (routes_refused(v))
		T_OK(got == 0, "%s: the route server holds none of its %zu "
		    "route(s) (%u)", v->name, v->nnlri, got);
	else
		T_OK(got == v->nnlri, "%s: the route server holds its %zu "
		    "route(s) (%u)", v->name, v->nnlri, got);
	for (k = 0; k < v->nnlri; k++) {
		char pf[PFX_STRLEN];

		if (!pfx_unique(all, n, v, &v->nlri[k]))
			continue;
		pfx_fmt(&v->nlri[k], pf);
		if (routes_refused(v)) {
			/* as long as a route taken needs to get there */
			usleep(500000);
			T_OK(bystander_has(&v->nlri[k], false, 0), "%s: %s is not "
			    "passed on to the bystander", v->name, pf);
		} else
			T_OK(bystander_has(&v->nlri[k], true, 2000), "%s: %s is "
			    "passed on to the bystander", v->name, pf);
	}
}

static void
inject(const struct vec *all, size_t nall, const struct vec *v, unsigned idx)
{
	uint32_t src = VICTIM_BASE + idx + 1;
	uint8_t in[BGP_MAX_LEN];
	char row[512], name[16];
	int fd, t;
	bool ok = false;

	snprintf(name, sizeof(name), "v%u", idx + 1);
	if ((fd = connect_from(src)) == -1) {
		T_OK(false, "%s: connect: %s", v->name, strerror(errno));
		return;
	}
	if (!is_open_vec(v) && !handshake(fd, src, v->as2)) {
		T_OK(false, "%s: no session to inject into", v->name);
		close(fd);
		return;
	}
	if (write(fd, v->msg, v->len) != (ssize_t)v->len) {
		T_OK(false, "%s: write", v->name);
		close(fd);
		return;
	}
	if (strcmp(v->expect, "notify") == 0) {
		/* OPEN errors: the server's own OPEN may come first */
		while ((t = read_msg(fd, in, 3000)) > 0 && t != BGP_NOTIFICATION)
			;
		ok = t == BGP_NOTIFICATION && in[19] == v->code && in[20] == v->subcode;
		T_OK(ok, "%s -> NOTIFICATION %d/%d, got %s %d/%d (%s)", v->name,
		    v->code, v->subcode, t == BGP_NOTIFICATION ? "it" : "none",
		    t == BGP_NOTIFICATION ? in[19] : 0,
		    t == BGP_NOTIFICATION ? in[20] : 0, v->desc);
	} else if (strcmp(v->type, "NOTIFICATION") == 0) {
		/* the routes it sent on Established may still be in the way */
		while ((t = read_msg(fd, in, 2000)) == BGP_UPDATE || t == BGP_KEEPALIVE)
			;
		T_OK(t == 0, "%s: after the peer's NOTIFICATION the server closes, "
		    "sending nothing back (RFC 4271 6.4)", v->name);
	} else {
		uint8_t ka[BGP_HDR_LEN];
		struct wbuf w;

		usleep(200000);
		wbuf_init(&w, ka, sizeof(ka));
		bgp_build_keepalive(&w);
		(void)!write(fd, ka, w.len);
		usleep(100000);
		peer_row(name, row, sizeof(row));
		T_OK(strstr(row, "\tEstablished\t") != NULL, "%s: %s keeps the session "
		    "(%s)", v->name, routes_refused(v) ?
		    "treat-as-withdraw (RFC 7606 2)" : "a valid message", v->desc);
		if (routes_refused(v) || routes_taken(v))
			check_routes(all, nall, v, name);
	}
	close(fd);
	T_OK(bystander_ok(), "%s: the bystander NVA keeps its session and route",
	    v->name);
}

/*
 * A route server with injectors for vectors [first, first + count) and
 * the bystander, and a bystander NVA; inject each. Returns how many went.
 */
static size_t
batch(const struct vec *v, size_t n, size_t first, size_t count)
{
	static struct bgp_conf rs, by;
	struct pfx4 rs_orig, by_orig;
	size_t i, sent = 0;
	pid_t prs, pby;
	int st;

	bgp_conf_init(&rs);
	snprintf(rs.name, sizeof(rs.name), "rs");
	rs.role = BGP_ROLE_RS;
	rs.asn = BGP_RS_ASN;
	rs.local_addr = rs.bgp_id = 0x7f000002;
	rs.port = port;
	rs.hold = 30;
	rs.keepalive = 10;
	rs.connect_retry = 1;
	snprintf(rs.ctl_path, sizeof(rs.ctl_path), "%s/rs.sock", dir);
	pfx_parse(RS_ORIGIN, &rs_orig);
	rs.originate = &rs_orig;
	rs.noriginate = 1;
	for (i = first; i < first + count; i++) {
		struct bgp_peer_conf *p = &rs.peers[rs.npeers++];

		snprintf(p->name, sizeof(p->name), "v%zu", i + 1);
		p->addr = VICTIM_BASE + (uint32_t)i + 1;
		p->asn = 65001;
		p->passive = true;
		p->route_limit = 4000;
	}
	{
		struct bgp_peer_conf *p = &rs.peers[rs.npeers++];

		snprintf(p->name, sizeof(p->name), "bystander");
		p->addr = 0x7f000004;
		p->asn = 65002;
		p->passive = true;
		p->route_limit = 4000;
	}
	bgp_conf_init(&by);
	snprintf(by.name, sizeof(by.name), "bystander");
	by.role = BGP_ROLE_ROUTER;
	by.asn = 65002;
	by.local_addr = by.bgp_id = 0x7f000004;
	by.port = port;
	by.hold = 30;
	by.keepalive = 10;
	by.connect_retry = 1;
	snprintf(by.ctl_path, sizeof(by.ctl_path), "%s/bystander.sock", dir);
	by.npeers = 1;
	snprintf(by.peers[0].name, sizeof(by.peers[0].name), "rs");
	by.peers[0].addr = 0x7f000002;
	by.peers[0].asn = BGP_RS_ASN;
	by.peers[0].port = port;
	pfx_parse(BY_ORIGIN, &by_orig);
	by.originate = &by_orig;
	by.noriginate = 1;

	prs = run(&rs);
	pby = run(&by);
	for (i = 0; i < 100 && !bystander_ok(); i++)
		usleep(50000);
	T_OK(bystander_ok(), "vectors %zu to %zu: the bystander NVA is up with "
	    "its route before the injection", first + 1, first + count);
	for (i = first; i < first + count; i++) {
		if (!injectable(&v[i]))
			continue;
		inject(v, n, &v[i], (unsigned)i);
		sent++;
	}
	T_OK(waitpid(prs, &st, WNOHANG) == 0, "the route server is still running");
	kill(pby, SIGTERM);
	kill(prs, SIGTERM);
	waitpid(pby, NULL, 0);
	waitpid(prs, &st, 0);
	T_OK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "and exits cleanly on SIGTERM");
	return sent;
}

int
main(void)
{
	static struct vec v[MAX_VECTORS];
	size_t n, i, sent = 0, refused = 0, taken = 0;

	snprintf(dir, sizeof(dir), "/tmp/arsemu-inject-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 1;
	port = (uint16_t)(20000 + (getpid() * 7) % 20000);
	signal(SIGPIPE, SIG_IGN);
	n = load_all(v);
	T_OK(n >= 30 && n < MAX_VECTORS, "at least 30 wire vectors to inject, "
	    "all of them loaded (%zu)", n);
	for (i = 0; i < n; i++) {
		refused += injectable(&v[i]) && routes_refused(&v[i]);
		taken += injectable(&v[i]) && routes_taken(&v[i]);
	}
	for (i = 0; i < n; i += BATCH)
		sent += batch(v, n, i, n - i < BATCH ? n - i : BATCH);
	T_OK(sent >= 30, "%zu malformed and valid messages injected: %zu with "
	    "routes to refuse, %zu with routes to take", sent, refused, taken);
	if (t_failed == 0) {
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		(void)!system(cmd);
	} else
		fprintf(stderr, "# logs in %s\n", dir);
	return t_done();
}
