/*
 * daemon: the lab daemon, `arsemu _daemon LAB`. It plays Azure's SDN
 * controller, composed of components that each own their state:
 *   - children.c starts a BGP speaker process in the namespace of every
 *     Route Server instance and NVA (the built-in one, or its FRR or BIRD:
 *     nvad.c), records each PID in the lab state, reaps and restarts them;
 *   - watch.c watches each Route Server and gateway instance's control
 *     socket for the routes it programs (never told by anyone else: a dead
 *     NVA is noticed by BGP) and merges the two instances of each hub (a
 *     prefix's shortest AS path wins and the next hops of that length are
 *     unioned: U-04);
 *   - sync.c computes every NIC's effective routes (sdn.c) and reconciles
 *     the fabric tables, incrementally where it can;
 *   - control.c answers `routes NIC`, `status`, `fail` and `restore` on
 *     <labdir>/ctl.sock (lib/ctlsrv: no client can hold the loop up), and
 *     fault.c carries out `fail` and `restore`;
 *   - journal.c keeps the journal of events (JSON lines, monotonic ms);
 *   - lbhealth.c probes load balancers' backends (LB-05).
 * This file is the loop and the composition only.
 *
 * Must not: decide BGP paths (the route servers do) or build namespaces
 * (lab.c does).
 */
#include <sys/stat.h>
#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/ctlsrv.h"
#include "../lib/util.h"
#include "children.h"
#include "control.h"
#include "daemon.h"
#include "fabric.h"
#include "fault.h"
#include "journal.h"
#include "lab.h"
#include "lbhealth.h"
#include "netns.h"
#include "nl.h"
#include "sync.h"
#include "watch.h"

/*
 * A recompute waits until the Route Servers have been quiet this long: the
 * two instances of a hub report the same change moments apart, and at
 * 4,000 VMs a recompute takes about a second; one for both, not two.
 */
#define SETTLE_MS	15
/*
 * A recompute's working memory (a group's tables, the two threads'
 * arenas) stays with malloc for the next one (M_TRIM_THRESHOLD below);
 * once the fabric has been quiet this long it goes back to the kernel:
 * 22 of the daemon's 52 MiB at 4,000 VMs (gdb malloc_trim on a live lab;
 * bench/RESULTS.md, issue 23).
 */
#define TRIM_QUIET_MS	1000
/*
 * The first recompute programs what needs no BGP (the VNets' own routes,
 * peerings, UDRs): the NVAs' sessions may cross the fabric. The next one,
 * the first with the Route Servers' routes, waits until every session has
 * settled (control_settled: Established with its End-of-RIB, or expected
 * down) and so the whole initial table is in, checked every GATE_POLL_MS
 * once the streams are quiet, for at most GATE_MS: otherwise each NVA's
 * table computed whole on arrival (at 4,000 VMs, 0.4 s a time, three
 * times: bench/RESULTS.md, issue 23). Settled twice in a row, with the
 * streams quiet in between: a Route Server answers "peers" in the round
 * it read the last End-of-RIB, and streams what that brought in its next
 * round (bgp/speaker.c: the export pass, then poll), so the second answer
 * comes after the routes were sent. Only the time of the first table
 * changes: the lab is not converged (status) while routes are held. 5 s:
 * at load 12 on 2 CPUs the sessions of azure-limits.json had not settled
 * 2 s after the first recompute (the routes were released early and the
 * group computed whole three times); a session that never settles keeps
 * the lab from converging anyway.
 */
#define GATE_MS		5000
#define GATE_POLL_MS	50

struct daemon {
	const char		*lab;
	struct topo		*t;
	struct nl		*nl;		/* in the fabric */
	char			 exe[512];
	char			 dir[256];
	struct journal		 j;
	struct children		 kids;
	struct watches		 ws;
	struct fabric		 fab;
	struct sync_nl		 ops;		/* sync's seam: nl.c on d->nl */
	struct sync		 sync;
	struct faults		 faults;
	struct control		 ctl;
	struct lbhealth		 lbh;
	uint64_t		 trim_at;	/* malloc_trim then, if quiet; 0: none due */
	int			 gate;		/* 0 first, 1 held, 2 open (GATE_MS) */
	uint64_t		 gate_until;	/* held at most until then */
	uint64_t		 gate_next;	/* the next control_settled */
	unsigned		 gate_ok;	/* settled answers in a row; 3: see held */
};

static volatile sig_atomic_t stop_sig;

static void
on_stop(int sig)
{
	stop_sig = sig;
}

static void
recompute(struct daemon *d)
{
	struct sdn_input in;

	journal_hold(&d->j);
	watches_input(&d->ws, &in);
	sync_apply(&d->sync, &in);
	journal_flush(&d->j);
}

/*
 * Whether the routes are held (GATE_MS): true until the sessions have
 * settled or the time is up, then never again.
 */
static bool
held(struct daemon *d, uint64_t now)
{
	struct json *w;
	bool settled = true;

	if (d->gate != 1)
		return false;
	if (now < d->gate_next && now < d->gate_until)
		return true;
	/* gate_ok 3: settled twice, then the streams read and quiet again */
	if (d->gate_ok < 2) {
		settled = control_settled(&d->ctl);
		d->gate_ok = settled ? d->gate_ok + 1 : 0;
	}
	now = mono_ms();
	if (now < d->gate_until && (!settled || d->gate_ok < 3)) {
		if (settled)
			d->gate_ok += d->gate_ok == 2;	/* once more, quiet */
		d->gate_next = settled ? now : now + GATE_POLL_MS;
		return true;
	}
	d->gate = 2;
	if ((w = journal_begin(&d->j, "routes-released")) != NULL) {
		json_kbool(w, "settled", settled);
		json_kint(w, "held_ms", (long long)(now + GATE_MS - d->gate_until));
		journal_end(&d->j);
	}
	return false;
}

/*
 * One pollfd for each watch, at the same index, then the control
 * socket's: any number of hubs and gateways.
 */
static void
loop(struct daemon *d)
{
	struct pollfd *pfd = xcalloc(d->ws.n + CTLSRV_NPOLLFDS, sizeof(*pfd));
	size_t nc;
	uint64_t now;
	int timeout, ct;

	while (!stop_sig) {
		children_reap(&d->kids);
		now = mono_ms();
		timeout = 200;
		watches_connect(&d->ws);
		if (d->ws.dirty && now >= d->ws.last_rx + SETTLE_MS &&
		    held(d, now))
			timeout = (int)(d->gate_next > now ? d->gate_next - now : 0);
		else if (d->ws.dirty && now >= d->ws.last_rx + SETTLE_MS) {
			recompute(d);
			d->trim_at = mono_ms() + TRIM_QUIET_MS;
			if (d->gate == 0) {
				d->gate = 1;
				d->gate_until = mono_ms() + GATE_MS;
			}
		} else if (d->ws.dirty)
			timeout = (int)(d->ws.last_rx + SETTLE_MS - now);
		else if (d->trim_at != 0 && now >= d->trim_at) {
			malloc_trim(0);
			d->trim_at = 0;
		} else if (d->trim_at != 0 && d->trim_at - now < (uint64_t)timeout)
			timeout = (int)(d->trim_at - now);
		watches_pollfds(&d->ws, pfd);
		nc = ctlsrv_pollfds(d->ctl.srv, pfd + d->ws.n, CTLSRV_NPOLLFDS);
		if ((ct = ctlsrv_timeout(d->ctl.srv)) != -1 && ct < timeout)
			timeout = ct;
		if (poll(pfd, d->ws.n + nc, timeout) == -1 && errno != EINTR)
			break;
		watches_handle(&d->ws, pfd);
		ctlsrv_handle(d->ctl.srv, pfd + d->ws.n, nc);
		lbhealth_tick(&d->lbh, mono_ms());
	}
	free(pfd);
}

int
emu_daemon_main(const char *lab)
{
	struct daemon dd, *d = &dd;
	struct topo_err err;
	char file[800], text[1000];
	struct sigaction sa;
	struct json *w;
	ssize_t len;
	int nsfd, rc = 3;

	memset(d, 0, sizeof(*d));
	d->lab = lab;
	/*
	 * A recompute builds one subnet's table after another, each a few MiB:
	 * from the heap, reused, not a fresh mmap (and its page faults) each.
	 */
	mallopt(M_MMAP_THRESHOLD, 32 << 20);	/* the most glibc takes */
	mallopt(M_TRIM_THRESHOLD, 128 << 20);
	/*
	 * One arena: a recompute's second thread (sync.c) would otherwise
	 * keep one of its own, which held 8 of the daemon's 29 MiB at 4,000
	 * VMs even after malloc_trim (bench/RESULTS.md, issue 23). Its
	 * allocations are one table a subnet, not contended.
	 */
	mallopt(M_ARENA_MAX, 1);
	lab_dir(lab, d->dir, sizeof(d->dir));
	if ((len = readlink("/proc/self/exe", d->exe, sizeof(d->exe) - 1)) <= 0)
		return 3;
	d->exe[len] = '\0';
	snprintf(file, sizeof(file), "%.255s/log", d->dir);
	(void)mkdir(file, 0755);
	snprintf(file, sizeof(file), "%.255s/journal.jsonl", d->dir);
	journal_open(&d->j, file);
	snprintf(file, sizeof(file), "%.255s/topology.json", d->dir);
	if (topo_load_file(file, &d->t, &err) == -1) {
		snprintf(text, sizeof(text), "topology: %s", err.msg);
		journal_str(&d->j, "error", "text", text);
		journal_close(&d->j);
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	children_init(&d->kids, lab, d->t, d->exe, d->dir, &d->j);
	watches_init(&d->ws, lab, d->t, &d->j);
	faults_init(&d->faults, lab, d->t, &d->kids, &d->j);
	d->faults.lbh = &d->lbh;
	d->ctl = (struct control){ .lab = lab, .t = d->t, .j = &d->j,
	    .kids = &d->kids, .ws = &d->ws, .sync = &d->sync,
	    .faults = &d->faults, .lbh = &d->lbh };
	lab_fabric_ns(lab, file, sizeof(file));
	if ((nsfd = netns_open(file)) < 0 || (d->nl = nl_open(nsfd)) == NULL) {
		snprintf(text, sizeof(text), "cannot open fabric %s", file);
		journal_str(&d->j, "error", "text", text);
		goto out;
	}
	/* VR-10: the fabric hashes ECMP per flow (5-tuple), as Azure does. */
	if (netns_sysctl(nsfd, "net/ipv4/fib_multipath_hash_policy", "1") != 0)
		journal_str(&d->j, "warning", "text", "fib_multipath_hash_policy: "
		    "ECMP hashes on addresses only");
	/* proxy_delay 0 on every NIC's link: set as the lab was built */
	close(nsfd);
	fabric_init(&d->fab, d->nl, d->t);
	sync_nl_kernel(&d->ops, d->nl);
	sync_init(&d->sync, d->t, &d->fab, &d->ops, &d->j);
	d->sync.no_incr = getenv("ARSEMU_NO_INCREMENTAL") != NULL;
	if (control_open(&d->ctl) == -1 || children_start(&d->kids) == -1)
		goto out;
	watches_add_all(&d->ws);
	lbhealth_init(&d->lbh, lab, d->t, &d->j);
	if ((w = journal_begin(&d->j, "daemon-start")) != NULL) {
		json_kstr(w, "lab", lab);
		json_kint(w, "pid", getpid());
		journal_end(&d->j);
	}
	loop(d);
	rc = 0;
out:
	if ((w = journal_begin(&d->j, "daemon-stop")) != NULL) {
		json_kint(w, "signal", stop_sig);
		journal_end(&d->j);
	}
	children_stop(&d->kids);
	lbhealth_free(&d->lbh);
	watches_free(&d->ws);
	sync_free(&d->sync);
	fabric_free(&d->fab);
	children_free(&d->kids);
	faults_free(&d->faults);
	control_close(&d->ctl);
	if (d->nl)
		nl_close(d->nl);
	journal_close(&d->j);
	topo_free(d->t);
	return rc;
}
