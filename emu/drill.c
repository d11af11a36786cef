/*
 * drill: run a drill (topo/drill.h) against a real lab and measure it.
 *
 * One clock for everything: CLOCK_MONOTONIC, which the journal, the speakers'
 * logs and the probes all use, so the report can line up "fail injected",
 * "session down at the route server (hold timer)", "NIC tables changed" and
 * "traffic lost / back" without any translation.
 *
 * Loss is measured from the receiver's records alone: every packet carries
 * its flow, its sequence number and its send time, so a gap between two
 * received packets is a loss window whose length is the difference of their
 * send times less one interval (resolution: one interval, 5 ms at the
 * default 200 packets/s).
 */
#include <sys/stat.h>
#include <sys/wait.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cJSON.h>

#include "../lib/ctlc.h"
#include "../lib/util.h"
#include "bgpcmd.h"
#include "model/bgpconf.h"
#include "drill.h"
#include "fail.h"
#include "lab.h"
#include "labup.h"
#include "netns.h"
#include "model/walk.h"
#include "drillloss.h"
#include "probe.h"

#define WARMUP_MS		1000
#define STABLE_RECENT_MS	200
#define STABLE_SHARE		0.8
#define POLL_MS			50
#define RECEIVER_READY_MS	10000	/* a receiver binds in this, or fails */

struct probe {
	const struct drill_traffic *tr;
	const struct topo_node	*src, *dst;
	uint32_t		 dst_ip;
	pid_t			 sender, receiver;
	char			 recvfile[400], sentfile[400];
};

struct run {
	const struct drill	*d;
	struct topo		*t;
	const char		*lab;
	char			 dir[256];
	uint64_t		 t0;		/* mono_ms() at the start */
	struct probe		*p;
	struct drill_report	*rep;
	int			 disabled;	/* sessions this drill disabled */
};

static long
rel(const struct run *r, uint64_t ms)
{
	return (long)ms - (long)r->t0;
}

static void __attribute__((format(printf, 3, 4)))
event(struct run *r, uint64_t ms, const char *fmt, ...)
{
	struct drill_report *rep = r->rep;
	va_list ap;
	char buf[512];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	rep->ev = xrealloc(rep->ev, (rep->nev + 1) * sizeof(*rep->ev));
	rep->ev[rep->nev].t_ms = rel(r, ms);
	rep->ev[rep->nev].source = xstrdup("drill");
	rep->ev[rep->nev].text = xstrdup(buf);
	rep->nev++;
}

/* Inside a VNet or a site: not an Internet address. */
static bool
in_lab(const struct topo *t, uint32_t ip)
{
	size_t i, k;

	for (i = 0; i < t->nvnets; i++)
		for (k = 0; k < t->vnets[i]->nspace; k++)
			if (pfx_contains_addr(&t->vnets[i]->space[k], ip))
				return true;
	for (i = 0; i < t->nsites; i++)
		for (k = 0; k < t->sites[i]->nprefixes; k++)
			if (pfx_contains_addr(&t->sites[i]->prefixes[k], ip))
				return true;
	return false;
}

static int
resolve(struct run *r, char *err, size_t len)
{
	size_t i;

	r->p = xcalloc(r->d->ntraffic ? r->d->ntraffic : 1, sizeof(*r->p));
	for (i = 0; i < r->d->ntraffic; i++) {
		const struct drill_traffic *tr = r->d->traffic[i];
		struct probe *p = &r->p[i];

		p->tr = tr;
		if ((p->src = topo_node_find(r->t, tr->from)) == NULL ||
		    walk_node_ip(p->src) == 0) {
			snprintf(err, len, "traffic[%zu].from: no VM, NVA or site "
			    "host named %s in %s", i, tr->from, r->d->topology);
			return -1;
		}
		if (addr_parse(tr->to, &p->dst_ip) == 0)
			p->dst = walk_owner(r->t, p->dst_ip);
		else if ((p->dst = topo_node_find(r->t, tr->to)) != NULL)
			p->dst_ip = walk_node_ip(p->dst);
		/* No node has it: the Internet edge answers for it. */
		if (p->dst == NULL && p->dst_ip != 0 && !in_lab(r->t, p->dst_ip))
			continue;
		if (p->dst == NULL || p->dst_ip == 0) {
			snprintf(err, len, "traffic[%zu].to: %s is no node and no "
			    "address of a node in %s", i, tr->to, r->d->topology);
			return -1;
		}
	}
	for (i = 0; i < r->d->nsteps; i++) {
		const struct drill_step *s = r->d->steps[i];
		const struct topo_node *n;

		if ((s->kind == DRILL_FAIL || s->kind == DRILL_RESTORE ||
		    s->kind == DRILL_BGP) &&
		    (n = topo_node_find(r->t, s->node)) == NULL &&
		    (s->kind == DRILL_BGP ||
		    fail_gwlink_find(r->t, s->node) == NULL)) {
			snprintf(err, len, "%s: no %s named %s", s->jpath,
			    strchr(s->node, '/') ? "gateway link" : "node",
			    s->node);
			return -1;
		}
		if (s->kind == DRILL_EXPECT_ROUTE &&
		    ((n = topo_node_find(r->t, s->nic)) == NULL || n->nic == NULL)) {
			snprintf(err, len, "%s: no NIC named %s", s->jpath, s->nic);
			return -1;
		}
	}
	return 0;
}

static pid_t
spawn_in(struct run *r, const char *node, char *const argv[])
{
	char ns[300], log[400];
	pid_t pid;
	int fd, lfd;

	lab_ns_name(r->lab, node, ns, sizeof(ns));
	snprintf(log, sizeof(log), "%s/log/probe-%s.log", r->dir, node);
	if ((fd = netns_open(ns)) < 0)
		return -1;
	if ((pid = fork()) != 0) {
		close(fd);
		if (pid > 0)
			lab_state_add_pid(r->lab, pid, "probe");
		return pid;
	}
	if (setns(fd, CLONE_NEWNET) == -1)
		_exit(3);
	if ((lfd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)) >= 0) {
		dup2(lfd, 1);
		dup2(lfd, 2);
	}
	execv("/proc/self/exe", argv);
	_exit(127);
}

/*
 * The receiver makes its record file once its socket is bound: the first
 * packet then finds it, however slowly the receiver started.
 */
static int
receiver_ready(const struct probe *p)
{
	uint64_t until = mono_ms() + RECEIVER_READY_MS;

	while (access(p->recvfile, F_OK) != 0) {
		if (mono_ms() > until || waitpid(p->receiver, NULL, WNOHANG) != 0)
			return -1;
		usleep(2000);
	}
	return 0;
}

static int
start_traffic(struct run *r, char *err, size_t len)
{
	char port[16], rate[16], flows[16], dst[ADDR_STRLEN], dir[300];
	size_t i;

	snprintf(dir, sizeof(dir), "%s/drill", r->dir);
	mkdir(dir, 0755);
	for (i = 0; i < r->d->ntraffic; i++) {
		struct probe *p = &r->p[i];
		char tcp[] = "tcp";
		char *recv_argv[] = { "arsemu", "_probe", "recv", port, p->recvfile,
		    p->tr->tcp ? tcp : NULL, NULL };
		char *send_argv[] = { "arsemu", "_probe", "send", dst, port, rate,
		    flows, p->sentfile, p->tr->tcp ? tcp : NULL, NULL };

		snprintf(p->recvfile, sizeof(p->recvfile), "%s/drill/%s.recv",
		    r->dir, p->tr->name);
		snprintf(p->sentfile, sizeof(p->sentfile), "%s/drill/%s.sent",
		    r->dir, p->tr->name);
		snprintf(port, sizeof(port), "%u", p->tr->port);
		snprintf(rate, sizeof(rate), "%u", p->tr->rate);
		snprintf(flows, sizeof(flows), "%u", p->tr->flows);
		addr_fmt(p->dst_ip, dst);
		(void)unlink(p->recvfile);
		if ((p->receiver = spawn_in(r, p->dst ? p->dst->name : LAB_INET_NODE,
		    recv_argv)) < 0 || receiver_ready(p) != 0)
			goto fail;
		if ((p->sender = spawn_in(r, p->src->name, send_argv)) < 0)
			goto fail;
		event(r, mono_ms(), "traffic %s: %u %s flow(s) %s -> %s:%u at %u/s each",
		    p->tr->name, p->tr->flows, p->tr->tcp ? "tcp" : "udp",
		    p->tr->from, dst, p->tr->port, p->tr->rate);
	}
	return 0;
fail:
	snprintf(err, len, "cannot start the probes of traffic %s",
	    r->p[i].tr->name);
	return -1;
}

static void
stop_pid(pid_t pid)
{
	int i;

	if (pid <= 0)
		return;
	kill(pid, SIGTERM);
	for (i = 0; i < 200; i++) {
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return;
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void
stop_traffic(struct run *r)
{
	size_t i;

	for (i = 0; i < r->d->ntraffic; i++)
		stop_pid(r->p[i].sender);
	usleep(300000);		/* packets in flight arrive */
	for (i = 0; i < r->d->ntraffic; i++)
		stop_pid(r->p[i].receiver);
}

static struct probe_rec *
read_recs(const char *file, size_t *n)
{
	struct probe_rec *v = NULL;
	struct stat st;
	FILE *f;

	*n = 0;
	if ((f = fopen(file, "r")) == NULL)
		return NULL;
	if (fstat(fileno(f), &st) == 0 && st.st_size > 0) {
		v = xmalloc((size_t)st.st_size);
		*n = fread(v, sizeof(*v), (size_t)st.st_size / sizeof(*v), f);
	}
	fclose(f);
	return v;
}

/* Every flow delivered most of what it should in the last quiet_ms. */
static bool
traffic_stable(struct run *r, unsigned quiet_ms)
{
	uint64_t now = mono_ms() * 1000;
	size_t i, k, n;

	for (i = 0; i < r->d->ntraffic; i++) {
		const struct drill_traffic *tr = r->d->traffic[i];
		struct probe_rec *v = read_recs(r->p[i].recvfile, &n);
		unsigned f;

		for (f = 0; f < tr->flows; f++) {
			unsigned got = 0;
			uint64_t last = 0;

			for (k = 0; k < n; k++) {
				if (v[k].flow != f)
					continue;
				if (v[k].recv_us + (uint64_t)quiet_ms * 1000 >= now)
					got++;
				if (v[k].recv_us > last)
					last = v[k].recv_us;
			}
			if (last + STABLE_RECENT_MS * 1000 < now ||
			    got < STABLE_SHARE * tr->rate * quiet_ms / 1000) {
				free(v);
				return false;
			}
		}
		free(v);
	}
	return true;
}

static void
step_wait(struct run *r, const struct drill_step *s, struct drill_step_result *res)
{
	uint64_t start = mono_ms(), until = start + (uint64_t)s->timeout_s * 1000;
	struct emu_status st;
	bool cp = false, tr = false;

	/* Quiet and stable for quiet_ms, all of it observed by this wait. */
	while (mono_ms() < until) {
		if (mono_ms() - start >= s->quiet_ms &&
		    emu_lab_status(r->lab, &st) == 0) {
			/*
			 * With nothing failed or disabled, every session must
			 * be back too: a session that reconnects slowly after a
			 * restore changes nothing for a while, but is not done.
			 */
			cp = st.now - st.last_change >= s->quiet_ms &&
			    (st.converged || st.failures > 0 || r->disabled > 0);
			tr = traffic_stable(r, s->quiet_ms);
			if (cp && tr) {
				res->ok = true;
				snprintf(res->note, sizeof(res->note), "quiet for %u ms",
				    s->quiet_ms);
				return;
			}
		}
		usleep(POLL_MS * 1000);
	}
	snprintf(res->note, sizeof(res->note), "not converged within %u s: %s",
	    s->timeout_s, !cp ? "routes still changing or sessions not all up" :
	    "traffic not delivered");
}

static void
step_daemon(struct run *r, const char *req, struct drill_step_result *res)
{
	struct ctlc_reply rp;
	char sock[300];

	emu_daemon_sock(r->lab, sock, sizeof(sock));
	if (ctlc_request(sock, req, 5000, &rp) != 0) {
		snprintf(res->note, sizeof(res->note), "the lab daemon does not answer");
		return;
	}
	if (rp.error != NULL)
		snprintf(res->note, sizeof(res->note), "%s", rp.error);
	else {
		res->ok = true;
		if (rp.n > 0 && strncmp(rp.rows[0], "ok\t", 3) == 0)
			res->t_ms = rel(r, strtoull(rp.rows[0] + 3, NULL, 10));
		snprintf(res->note, sizeof(res->note), "injected");
	}
	ctlc_free(&rp);
}

static void
step_route(struct run *r, const struct drill_step *s, struct drill_step_result *res)
{
	struct ctlc_reply rp;
	char sock[300], req[128], pf[PFX_STRLEN], nh[ADDR_STRLEN];
	bool found = false;
	size_t i;

	pfx_fmt(&s->pfx, pf);
	snprintf(req, sizeof(req), "routes %s", s->nic);
	emu_daemon_sock(r->lab, sock, sizeof(sock));
	if (ctlc_request(sock, req, 5000, &rp) != 0 || rp.error != NULL) {
		snprintf(res->note, sizeof(res->note), "cannot read the routes of %s",
		    s->nic);
		ctlc_free(&rp);
		return;
	}
	for (i = 0; i < rp.n; i++) {
		char *f[6];

		if (ctlc_fields(rp.rows[i], f, 6) != 6)
			continue;
		if (strcmp(f[1], "Active") == 0 && strcmp(f[2], pf) == 0 &&
		    (s->next_hop == 0 || strcmp(f[4], addr_fmt(s->next_hop, nh)) == 0))
			found = true;
	}
	ctlc_free(&rp);
	res->ok = found == s->present;
	snprintf(res->note, sizeof(res->note), "%s %s%s%s is %s", s->nic, pf,
	    s->next_hop ? " via " : "", s->next_hop ? addr_fmt(s->next_hop, nh) : "",
	    found ? "active" : "absent");
}

/*
 * Which nodes carry a traffic now: every listed node's forwarded-packet
 * counter over a window. A node carrying at least half of one flow's
 * packets in the window counts as on the path (the drill's own probes are
 * the only forwarded traffic in a lab; other traffic would count too).
 */
static void
step_path(struct run *r, const struct drill_step *s, struct drill_step_result *res)
{
	const struct drill_traffic *tr = NULL;
	unsigned long long *b, a;
	size_t i, n = s->nthrough + s->navoid, used = 0;
	double need;

	for (i = 0; i < r->d->ntraffic; i++)
		if (strcmp(r->d->traffic[i]->name, s->traffic) == 0)
			tr = r->d->traffic[i];
	if (tr == NULL)
		return;
	need = (double)tr->rate * s->window_ms / 1000.0 / 2;
	b = xcalloc(n, sizeof(*b));
	for (i = 0; i < n; i++)
		(void)walk_forwarded(r->lab, i < s->nthrough ? s->through[i] :
		    s->avoid[i - s->nthrough], &b[i]);
	usleep(s->window_ms * 1000);
	res->ok = true;
	for (i = 0; i < n; i++) {
		const char *node = i < s->nthrough ? s->through[i] :
		    s->avoid[i - s->nthrough];
		bool carries;

		a = 0;
		(void)walk_forwarded(r->lab, node, &a);
		carries = (double)(a - b[i]) >= need;
		if (carries != (i < s->nthrough))
			res->ok = false;
		if (used < sizeof(res->note))
			used += (size_t)snprintf(res->note + used,
			    sizeof(res->note) - used, "%s%s %llu", used ? ", " : "",
			    node, a - b[i]);
	}
	free(b);
}

static void
run_steps(struct run *r)
{
	struct drill_report *rep = r->rep;
	char req[200];
	size_t i;

	rep->steps = xcalloc(r->d->nsteps, sizeof(*rep->steps));
	rep->nsteps = r->d->nsteps;
	for (i = 0; i < r->d->nsteps; i++) {
		const struct drill_step *s = r->d->steps[i];
		struct drill_step_result *res = &rep->steps[i];

		res->step = s;
		res->t_ms = rel(r, mono_ms());
		res->convergence_ms = -1;
		switch (s->kind) {
		case DRILL_WAIT:
			step_wait(r, s, res);
			break;
		case DRILL_SLEEP:
			usleep(s->sleep_ms * 1000);
			res->ok = true;
			break;
		case DRILL_FAIL:
			snprintf(req, sizeof(req), "fail %s %s", s->node,
			    fail_kind_name(s->fail_kind));
			step_daemon(r, req, res);
			break;
		case DRILL_RESTORE:
			snprintf(req, sizeof(req), "restore %s", s->node);
			step_daemon(r, req, res);
			break;
		case DRILL_EXPECT_ROUTE:
			step_route(r, s, res);
			break;
		case DRILL_EXPECT_PATH:
			step_path(r, s, res);
			break;
		case DRILL_BGP:
			res->t_ms = rel(r, mono_ms());
			res->ok = emu_bgp_command(r->lab, s->node, s->command,
			    res->note, sizeof(res->note)) == 0;
			if (res->ok && strncmp(s->command, "disable ", 8) == 0)
				r->disabled++;
			else if (res->ok && strncmp(s->command, "enable ", 7) == 0)
				r->disabled--;
			break;
		}
	}
}

/* An event's members after "event", as "k=v k2=3" (a drill report's text). */
static char *
journal_rest(const cJSON *o)
{
	const cJSON *m;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	bool past = false, first = true;

	if ((f = open_memstream(&buf, &len)) == NULL)
		return xstrdup("");
	cJSON_ArrayForEach(m, o) {
		if (!past) {
			past = m->string != NULL && strcmp(m->string, "event") == 0;
			continue;
		}
		fprintf(f, "%s%s=", first ? "" : " ", m->string);
		first = false;
		if (cJSON_IsString(m))
			fputs(m->valuestring, f);
		else if (cJSON_IsNumber(m))
			fprintf(f, "%.0f", m->valuedouble);
		else if (cJSON_IsBool(m))
			fputs(cJSON_IsTrue(m) ? "true" : "false", f);
		else
			fputs("null", f);
	}
	fclose(f);
	return buf;
}

/* Journal events since the start, nic-routes of one instant merged. */
static void
read_journal(struct run *r)
{
	struct drill_report *rep = r->rep;
	char path[400], *line = NULL;
	const char *ev, *nic;
	size_t cap = 0;
	cJSON *o;
	uint64_t t;
	FILE *f;

	snprintf(path, sizeof(path), "%s/journal.jsonl", r->dir);
	if ((f = fopen(path, "r")) == NULL)
		return;
	while (getline(&line, &cap, f) != -1) {
		if ((o = cJSON_Parse(line)) == NULL)
			continue;
		ev = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o,
		    "event"));
		t = (uint64_t)cJSON_GetNumberValue(
		    cJSON_GetObjectItemCaseSensitive(o, "t_ms"));
		nic = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o,
		    "nic"));
		if (ev == NULL || t < r->t0) {
			cJSON_Delete(o);
			continue;
		}
		if (strcmp(ev, "nic-routes") == 0 && rep->nev > 0 &&
		    rep->ev[rep->nev - 1].t_ms == rel(r, t) &&
		    strncmp(rep->ev[rep->nev - 1].text, "NIC tables changed", 18) == 0) {
			char *old = rep->ev[rep->nev - 1].text;

			if (nic != NULL) {
				rep->ev[rep->nev - 1].text = xasprintf("%s %s", old, nic);
				free(old);
			}
			cJSON_Delete(o);
			continue;
		}
		rep->ev = xrealloc(rep->ev, (rep->nev + 1) * sizeof(*rep->ev));
		rep->ev[rep->nev].t_ms = rel(r, t);
		rep->ev[rep->nev].source = xstrdup("daemon");
		if (strcmp(ev, "nic-routes") == 0)
			rep->ev[rep->nev].text = xasprintf("NIC tables changed: %s",
			    nic ? nic : "?");
		else {
			char *rest = journal_rest(o);

			rep->ev[rep->nev].text = xasprintf("%s %s", ev, rest);
			free(rest);
		}
		rep->nev++;
		cJSON_Delete(o);
	}
	free(line);
	fclose(f);
}

/*
 * Session changes and NOTIFICATIONs from the route servers', the gateway
 * instances' and the MSEEs' own logs (a VPN tunnel or an ER session is seen
 * there; the MSEE's BFD with the site's edge too, GW-10).
 */
static void
read_rs_logs(struct run *r)
{
	struct drill_report *rep = r->rep;
	char path[400], line[1024];
	unsigned long long t;
	size_t i;

	for (i = 0; i < r->t->nnodes; i++) {
		const struct topo_node *n = r->t->nodes[i];
		FILE *f;
		int off;

		if (n->kind != TOPO_RS && n->kind != TOPO_GW &&
		    n->kind != TOPO_MSEE)
			continue;
		snprintf(path, sizeof(path), "%s/log/%s.log", r->dir, n->name);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		while (fgets(line, sizeof(line), f) != NULL) {
			if (sscanf(line, "%llu %*s %n", &t, &off) != 1 || t < r->t0)
				continue;
			if (strstr(line, " -> ") == NULL &&
			    strstr(line, "NOTIFICATION") == NULL &&
			    strstr(line, "route limit") == NULL)
				continue;
			line[strcspn(line, "\n")] = '\0';
			rep->ev = xrealloc(rep->ev, (rep->nev + 1) * sizeof(*rep->ev));
			rep->ev[rep->nev].t_ms = rel(r, t);
			rep->ev[rep->nev].source = xstrdup(n->name);
			rep->ev[rep->nev].text = xstrdup(line + off);
			rep->nev++;
		}
		fclose(f);
	}
}

static int
ev_cmp(const void *a, const void *b)
{
	const struct drill_event *x = a, *y = b;

	return (x->t_ms > y->t_ms) - (x->t_ms < y->t_ms);
}

static void
analyse_traffic(struct run *r)
{
	struct drill_report *rep = r->rep;
	size_t i, k, n;

	for (i = 0; i < r->d->ntraffic; i++) {
		const struct drill_traffic *tr = r->d->traffic[i];
		struct probe_rec *v = read_recs(r->p[i].recvfile, &n);
		unsigned sent[64] = { 0 }, f, fl_no;
		unsigned long long interval = 1000000 / tr->rate;
		FILE *sf = fopen(r->p[i].sentfile, "r");

		while (sf != NULL && fscanf(sf, "%u %u %llu", &fl_no, &f, &interval) == 3)
			if (fl_no < 64)
				sent[fl_no] = f;
		if (sf != NULL)
			fclose(sf);
		if (n > 0)
			drill_recs_sort(v, n);
		/* sorted by flow, the receiver's drop counts come last */
		if (n > 0 && v[n - 1].flow == PROBE_FLOW_DROPS)
			event(r, v[n - 1].recv_us / 1000, "traffic %s: the receiving "
			    "probe's socket dropped %u packet(s), its buffer full: "
			    "the loss of this traffic counts them, though the "
			    "network did not lose them", tr->name, v[n - 1].seq);
		for (f = 0; f < tr->flows; f++) {
			struct drill_flow *fl;
			size_t first = 0, cnt = 0;

			for (k = 0; k < n; k++)
				if (v[k].flow == f) {
					if (cnt++ == 0)
						first = k;
				}
			rep->flows = xrealloc(rep->flows, (rep->nflows + 1) *
			    sizeof(*rep->flows));
			fl = &rep->flows[rep->nflows++];
			memset(fl, 0, sizeof(*fl));
			fl->traffic = tr;
			fl->flow = f;
			if (tr->tcp)
				drill_loss_tcp(fl, v + first, cnt, sent[f], interval, r->t0);
			else
				drill_loss_udp(fl, v + first, cnt, sent[f], interval, r->t0);
		}
		free(v);
	}
}

/* Steps that change the lab: their convergence is measured. */
static bool
injects(const struct drill_step *s)
{
	return s->kind == DRILL_FAIL || s->kind == DRILL_RESTORE ||
	    s->kind == DRILL_BGP;
}

/* The interval an injecting step owns: until the next one, or the end. */
static long
step_end(const struct drill_report *rep, size_t i)
{
	size_t k;

	for (k = i + 1; k < rep->nsteps; k++)
		if (injects(rep->steps[k].step))
			return rep->steps[k].t_ms;
	return rep->duration_ms;
}

static void
convergence(struct drill_report *rep)
{
	size_t i, k;

	for (i = 0; i < rep->nsteps; i++) {
		struct drill_step_result *s = &rep->steps[i];
		long end;

		if (!injects(s->step))
			continue;
		end = step_end(rep, i);
		for (k = 0; k < rep->nev; k++)
			if (rep->ev[k].t_ms >= s->t_ms && rep->ev[k].t_ms < end &&
			    strncmp(rep->ev[k].text, "NIC tables changed", 18) == 0)
				s->convergence_ms = rep->ev[k].t_ms - s->t_ms;
	}
}

static const struct drill_step_result *
find_step(const struct drill_report *rep, const char *name, size_t *idx)
{
	size_t i;

	for (i = 0; i < rep->nsteps; i++)
		if (injects(rep->steps[i].step) &&
		    strcmp(rep->steps[i].step->name, name) == 0) {
			*idx = i;
			return &rep->steps[i];
		}
	return NULL;
}

static void
check_expects(struct run *r)
{
	struct drill_report *rep = r->rep;
	size_t i;

	rep->expects = xcalloc(r->d->nexpects ? r->d->nexpects : 1,
	    sizeof(*rep->expects));
	rep->nexpects = r->d->nexpects;
	for (i = 0; i < r->d->nexpects; i++) {
		const struct drill_expect *e = r->d->expects[i];
		struct drill_expect_result *x = &rep->expects[i];
		const struct drill_step_result *s = NULL;
		long from = LONG_MIN, to = LONG_MAX;
		size_t si = 0;

		x->expect = e;
		if (e->step != NULL && (s = find_step(rep, e->step, &si)) != NULL) {
			from = s->t_ms;
			to = step_end(rep, si);
		}
		if (e->kind == DRILL_LOSS_MS) {
			x->measured = drill_loss_in(rep, e->traffic, from, to);
		} else {
			long worst = -1;

			for (si = 0; si < rep->nsteps; si++)
				if ((s == NULL || &rep->steps[si] == s) &&
				    rep->steps[si].convergence_ms > worst)
					worst = rep->steps[si].convergence_ms;
			x->measured = worst < 0 ? 0 : worst;
		}
		x->ok = (e->min < 0 || x->measured >= e->min) &&
		    (e->max < 0 || x->measured <= e->max);
		snprintf(x->note, sizeof(x->note), "%s%s%s%s: %ld ms, expected %s%ld ms",
		    e->kind == DRILL_LOSS_MS ? "loss of " : "convergence",
		    e->traffic ? e->traffic : "", e->step ? " after " : "",
		    e->step ? e->step : "", x->measured,
		    e->min >= 0 && e->max >= 0 ? "between " : e->min >= 0 ?
		    "at least " : "at most ", e->min >= 0 ? e->min : e->max);
		if (e->min >= 0 && e->max >= 0) {
			size_t l = strlen(x->note);

			snprintf(x->note + l, sizeof(x->note) - l, " and %ld ms", e->max);
		}
	}
}

int
emu_drill_run(const struct drill *d, const char *lab, bool keep, bool tty,
    struct drill_report *rep, char *err, size_t len)
{
	struct topo_err te;
	struct lab_err le;
	struct run r;
	char note[400];
	size_t i;
	int rc = -1;

	memset(rep, 0, sizeof(*rep));
	memset(&r, 0, sizeof(r));
	r.d = d;
	r.lab = lab;
	r.rep = rep;
	snprintf(rep->lab, sizeof(rep->lab), "%s", lab);
	if (topo_load_file(d->topology, &r.t, &te) == -1) {
		topo_err_str(&te, d->topology, err, len);
		return -1;
	}
	if (topo_set_name(r.t, lab, &te) == -1) {
		snprintf(err, len, "lab name %s: %s", lab, te.msg);
		goto out_topo;
	}
	if (resolve(&r, err, len) == -1)
		goto out_topo;
	if ((rc = emu_lab_up(r.t, d->topology, 60, tty, err, len)) != 0) {
		if (rc == 1)
			lab_destroy(lab, &le);
		rc = -1;
		goto out_topo;
	}
	lab_dir(lab, r.dir, sizeof(r.dir));
	r.t0 = mono_ms();
	event(&r, r.t0, "drill %s started in lab %s", d->name, lab);
	if (*drill_hold_note(d, r.t, note, sizeof(note)) != '\0')
		event(&r, r.t0, "%s", note);
	if (start_traffic(&r, err, len) == -1) {
		stop_traffic(&r);
		rc = -1;
		goto out_lab;
	}
	usleep(WARMUP_MS * 1000);
	run_steps(&r);
	stop_traffic(&r);
	rep->duration_ms = rel(&r, mono_ms());
	read_journal(&r);
	read_rs_logs(&r);
	analyse_traffic(&r);
	qsort(rep->ev, rep->nev, sizeof(*rep->ev), ev_cmp);
	convergence(rep);
	check_expects(&r);
	rep->ok = true;
	for (i = 0; i < rep->nsteps; i++)
		rep->ok &= rep->steps[i].ok;
	for (i = 0; i < rep->nexpects; i++)
		rep->ok &= rep->expects[i].ok;
	rc = 0;
out_lab:
	if (!keep)
		lab_destroy(lab, &le);
out_topo:
	free(r.p);
	topo_free(r.t);
	return rc == 0 ? 0 : -1;
}

void
emu_drill_report_free(struct drill_report *rep)
{
	size_t i;

	for (i = 0; i < rep->nev; i++) {
		free(rep->ev[i].source);
		free(rep->ev[i].text);
	}
	for (i = 0; i < rep->nflows; i++)
		free(rep->flows[i].w);
	free(rep->ev);
	free(rep->flows);
	free(rep->steps);
	free(rep->expects);
	memset(rep, 0, sizeof(*rep));
}
