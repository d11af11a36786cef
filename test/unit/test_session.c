/*
 * test_session: real BGP sessions between speaker processes on loopback
 * addresses (no root: ports above 1024). A route server and built-in NVAs
 * exchange routes; a killed NVA is noticed through TCP, a frozen one through
 * the hold timer; the route limit tears a session down.
 */
#include <sys/stat.h>
#include <sys/wait.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../bgp/bgp.h"
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

int
main(void)
{
	static struct bgp_conf rs, n1, n2, n3;
	struct pfx4 rs_orig[1], n1_orig[1], n2_orig[1], n3_orig[3];
	pid_t prs, p1, p2, p3;
	uint64_t t0;
	char r[512];

	snprintf(dir, sizeof(dir), "/tmp/arsemu-sess-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 1;
	port = (uint16_t)(20000 + getpid() % 20000);
	signal(SIGPIPE, SIG_IGN);

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
