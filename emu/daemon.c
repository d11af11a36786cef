/*
 * daemon: the lab daemon, `arsemu _daemon LAB`. It plays Azure's SDN
 * controller:
 *   - starts a BGP speaker process in the namespace of every Route Server
 *     instance and NVA (the built-in one, or its FRR or BIRD: nvad.c), and
 *     records each PID in the lab state;
 *   - watches each Route Server instance's control socket for the routes it
 *     programs (never told by anyone else: a dead NVA is noticed by BGP);
 *   - merges the two instances of each hub (a prefix's shortest AS path wins
 *     and the next hops of that length are unioned: U-04), computes every
 *     NIC's effective routes (sdn.c) and reconciles the fabric tables;
 *   - keeps a journal of events (JSON lines, monotonic milliseconds);
 *   - answers `routes NIC`, `status`, `fail` and `restore` on
 *     <labdir>/ctl.sock (lib/ctlsrv: no client can hold the loop up).
 *
 * Must not: decide BGP paths (the route servers do) or build namespaces
 * (lab.c does).
 */
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/ctlc.h"
#include "../lib/ctlsrv.h"
#include "../lib/util.h"
#include "emu.h"
#include "lab.h"
#include "netns.h"
#include "nl.h"
#include "nvad.h"
#include "share.h"

#define WATCH_RETRY_MS	100
#define QUIET_MS	300
/*
 * A recompute waits until the Route Servers have been quiet this long: the
 * two instances of a hub report the same change moments apart, and at
 * 4,000 VMs a recompute takes about a second; one for both, not two.
 */
#define SETTLE_MS	15
#define STOP_GRACE_MS	1500

struct watch {
	const struct topo_node	*node;		/* an RS instance */
	int			 fd;
	char			*buf;
	size_t			 len, cap;
	bool			 synced;	/* saw the first "sync" */
	unsigned		 changes;	/* fib rows since the last sync */
	uint64_t		 next_try;
	struct sdn_bgp_route	*routes;
	size_t			 nroutes, rcap;
	uint32_t		*slot;		/* prefix -> 1 + index in routes */
	size_t			 nslot;		/* a power of two, or 0 */
};

struct child {
	const struct topo_node	*node;
	pid_t			 pid;
	int			 status;	/* -1 while running */
};

struct failure {
	const struct topo_node	*node;		/* NULL for a gateway link */
	const struct topo_gwlink *link;		/* "A/B": the link between A and B */
	char			 kind[16];	/* crash, freeze, shutdown, link, down */
	char			 target[2 * TOPO_NAME_MAX + 2];
};

/*
 * What a group's last whole computation left, for the next change to be
 * applied to it alone (incr_group): the first slot's kernel routes, the
 * prefixes the group's tables differ on, and every prefix a change may not
 * touch for the group table alone to take it.
 */
struct group_keep {
	bool			 valid;
	struct nl_route		*base;
	size_t			 nbase;
	size_t			 nm;		/* prefixes of base not shared */
	struct pfx_cover	 sens;
	bool			 programmed;	/* synced whole once */
};

struct daemon {
	const char		*lab;
	struct topo		*t;
	struct nl		*nl;		/* in the fabric */
	char			 exe[512];
	char			 dir[256];
	FILE			*journal;
	struct watch		*w;
	size_t			 nw;
	struct child		*kids;
	size_t			 nkids;
	struct share_layout	 share;		/* subnet slots and groups */
	struct fabric		 fab;
	uint64_t		*slot_hash;	/* [nslots]: of what was programmed */
	size_t			*slot_nlisted;	/* [nslots]: its listed routes */
	struct group_keep	*keep;		/* [ngroups] */
	struct sdn_input	 in;		/* what the tables were built from */
	bool			 dirty;
	bool			 no_incr;	/* ARSEMU_NO_INCREMENTAL: always whole */
	uint64_t		 last_rx;	/* a watch last read data */
	uint64_t		 last_change;
	struct ctlsrv		*ctl;		/* <labdir>/ctl.sock */
	struct failure		*fails;
	size_t			 nfails;
};

static volatile sig_atomic_t stop_sig;

static void
on_stop(int sig)
{
	stop_sig = sig;
}

static void __attribute__((format(printf, 3, 4)))
journal(struct daemon *d, const char *event, const char *fmt, ...)
{
	va_list ap;

	if (d->journal == NULL)
		return;
	fprintf(d->journal, "{\"t_ms\": %llu, \"event\": \"%s\"",
	    (unsigned long long)mono_ms(), event);
	if (fmt != NULL) {
		fputs(", ", d->journal);
		va_start(ap, fmt);
		vfprintf(d->journal, fmt, ap);
		va_end(ap);
	}
	fputs("}\n", d->journal);
	fflush(d->journal);
}

/*
 * A node's BGP process: `arsemu _speaker`, or for an NVA run by FRR or
 * BIRD that daemon (nvad.c); either is the node's child, failed and
 * restored alike.
 */
static pid_t
spawn_speaker(struct daemon *d, const struct topo_node *n)
{
	char ns[300], log[400], err[300];
	pid_t pid, parent = getpid();
	int fd, logfd;

	if (nvad_external(n) && nvad_prepare(d->lab, d->t, n, err,
	    sizeof(err)) == -1) {
		journal(d, "error", "\"node\": \"%s\", \"text\": \"%s\"",
		    n->name, err);
		fprintf(stderr, "arsemu: %s: %s\n", n->name, err);
		return -1;
	}
	lab_ns_name(d->lab, n->name, ns, sizeof(ns));
	snprintf(log, sizeof(log), "%s/log/%s.log", d->dir, n->name);
	if ((fd = netns_open(ns)) < 0)
		return -1;
	if ((pid = fork()) != 0) {
		close(fd);
		return pid;
	}
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	/*
	 * A speaker dies with its daemon: one forked just before the daemon
	 * was killed is in no state file yet, and nothing else would end it.
	 */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() != parent)
		_exit(3);
	if (setns(fd, CLONE_NEWNET) == -1)
		_exit(3);
	if ((logfd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)) >= 0) {
		dup2(logfd, 1);
		dup2(logfd, 2);
	}
	if (nvad_external(n)) {
		nvad_exec(d->lab, n);
		_exit(127);
	}
	execl(d->exe, "arsemu", "_speaker", d->lab, n->name, (char *)NULL);
	_exit(127);
}

/*
 * The Azure side first: NVAs and sites connect to the Route Server,
 * gateways and MSEEs, and a first connection that finds nothing
 * listening waits ConnectRetry (a second, at Azure's limits) before the
 * next.
 */
static bool
azure_side(const struct topo_node *n)
{
	return n->kind == TOPO_RS || n->kind == TOPO_GW || n->kind == TOPO_MSEE;
}

/* Until each Azure-side speaker has its control socket (made after it listens), at most 3 s. */
static void
wait_listening(const struct daemon *d)
{
	char path[300];
	uint64_t deadline = mono_ms() + 3000;
	size_t i;

	for (i = 0; i < d->nkids; i++) {
		emu_speaker_sock(d->lab, d->kids[i].node->name, path,
		    sizeof(path));
		while (access(path, F_OK) != 0 && mono_ms() < deadline)
			usleep(2000);
	}
}

static int
start_speaker(struct daemon *d, const struct topo_node *n)
{
	char what[64];
	pid_t pid;

	if ((pid = spawn_speaker(d, n)) < 0) {
		journal(d, "error", "\"text\": \"cannot start speaker %s\"",
		    n->name);
		return -1;
	}
	lab_crash_point("speaker-forked");
	snprintf(what, sizeof(what), "speaker:%s", n->name);
	lab_state_add_pid(d->lab, pid, what);
	d->kids[d->nkids++] = (struct child){ n, pid, -1 };
	if (d->nkids == 2)
		lab_crash_point("speakers-half");
	journal(d, "speaker-start", "\"node\": \"%s\", \"pid\": %d",
	    n->name, (int)pid);
	if (n->kind == TOPO_RS || n->kind == TOPO_GW) {
		d->w = xrealloc(d->w, (d->nw + 1) * sizeof(*d->w));
		memset(&d->w[d->nw], 0, sizeof(*d->w));
		d->w[d->nw].node = n;
		d->w[d->nw].fd = -1;
		d->nw++;
	}
	return 0;
}

static int
start_speakers(struct daemon *d)
{
	const struct topo_node *n;
	size_t i;
	int pass;

	d->kids = xcalloc(d->t->nnodes, sizeof(*d->kids));
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < d->t->nnodes; i++) {
			n = d->t->nodes[i];
			if (emu_has_speaker(d->t, n) &&
			    azure_side(n) == (pass == 0) &&
			    start_speaker(d, n) == -1)
				return -1;
		}
		if (pass == 0)
			wait_listening(d);
	}
	return 0;
}

static void
reap(struct daemon *d)
{
	int st;
	pid_t pid;
	size_t i;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		for (i = 0; i < d->nkids; i++) {
			if (d->kids[i].pid != pid)
				continue;
			d->kids[i].status = st;
			if (WIFSIGNALED(st))
				journal(d, "speaker-exit", "\"node\": \"%s\", "
				    "\"signal\": %d", d->kids[i].node->name,
				    WTERMSIG(st));
			else
				journal(d, "speaker-exit", "\"node\": \"%s\", "
				    "\"status\": %d", d->kids[i].node->name,
				    WEXITSTATUS(st));
		}
	}
}

/*
 * RS-50: the Route Server and the gateways of a hub exchange routes over
 * iBGP, but each programs the VNet with its own: a Route Server instance
 * with what NVAs sent it (not the gateways' routes, which the gateways
 * program themselves), a gateway instance with what came over its links
 * (not the Route Server's). A next hop of the other kind is dropped here.
 */
static bool
watch_nh_ok(const struct daemon *d, const struct watch *w, uint32_t nh)
{
	if (w->node->kind == TOPO_GW)
		return lab_gwlink_to(d->t, w->node, nh) != NULL;
	return !topo_vnet_gateway_ip(w->node->rs->vnet, nh);
}

/*
 * The routes of a watch by prefix: open addressing, linear probing, so that
 * a table of 10,000 rows is read in linear time, not a search per row.
 */
static size_t
slot_of(const struct watch *w, const struct pfx4 *p)
{
	size_t i = (size_t)pfx_hash64(p) & (w->nslot - 1);

	while (w->slot[i] != 0 && !pfx_equal(&w->routes[w->slot[i] - 1].pfx, p))
		i = (i + 1) & (w->nslot - 1);
	return i;
}

static void
slot_rehash(struct watch *w, size_t want)
{
	size_t i;

	free(w->slot);
	w->nslot = 64;
	while (w->nslot < want * 2)
		w->nslot *= 2;
	w->slot = xcalloc(w->nslot, sizeof(*w->slot));
	for (i = 0; i < w->nroutes; i++)
		w->slot[slot_of(w, &w->routes[i].pfx)] = (uint32_t)i + 1;
}

/* Empty slot i, moving back the entries after it (no tombstones). */
static void
slot_clear(struct watch *w, size_t i)
{
	size_t j = i, home;

	w->slot[i] = 0;
	for (;;) {
		const struct pfx4 *p;

		j = (j + 1) & (w->nslot - 1);
		if (w->slot[j] == 0)
			return;
		p = &w->routes[w->slot[j] - 1].pfx;
		home = (size_t)pfx_hash64(p) & (w->nslot - 1);
		/* leave it if its home lies cyclically in (i, j] */
		if (i <= j ? (home > i && home <= j) : (home > i || home <= j))
			continue;
		w->slot[i] = w->slot[j];
		w->slot[j] = 0;
		i = j;
	}
}

/* One "fib" row from a Route Server or gateway instance. */
static void
watch_fib(const struct daemon *d, struct watch *w, char *row)
{
	char *f[4], *nh, *save = NULL;
	struct sdn_bgp_route r;
	size_t i, at;

	memset(&r, 0, sizeof(r));
	if (ctlc_fields(row, f, 4) != 4 || pfx_parse(f[1], &r.pfx) != 0)
		return;
	r.aspath_hops = (unsigned)strtoul(f[2], NULL, 10);
	for (nh = strtok_r(f[3], ",", &save); nh != NULL && r.nnh < SDN_MAX_NH;
	    nh = strtok_r(NULL, ",", &save))
		if (addr_parse(nh, &r.nh[r.nnh]) == 0 &&
		    watch_nh_ok(d, w, r.nh[r.nnh]))
			r.nnh++;
	if (w->synced)
		w->changes++;
	if (w->nslot < (w->nroutes + 1) * 2)
		slot_rehash(w, w->nroutes + 1);
	at = slot_of(w, &r.pfx);
	if (r.nnh == 0) {
		if (w->slot[at] == 0)
			return;
		i = w->slot[at] - 1;
		slot_clear(w, at);
		if (i != --w->nroutes) {
			/* the last route moves into the hole */
			w->slot[slot_of(w, &w->routes[w->nroutes].pfx)] =
			    (uint32_t)i + 1;
			w->routes[i] = w->routes[w->nroutes];
		}
		return;
	}
	if (w->slot[at] == 0) {
		xgrow(&w->routes, &w->rcap, w->nroutes + 1, sizeof(*w->routes));
		w->slot[at] = (uint32_t)++w->nroutes;
	}
	w->routes[w->slot[at] - 1] = r;
}

static void
watch_drop(struct daemon *d, struct watch *w, const char *why)
{
	if (w->fd != -1)
		close(w->fd);
	w->fd = -1;
	w->len = 0;
	w->nroutes = 0;
	if (w->slot != NULL)
		memset(w->slot, 0, w->nslot * sizeof(*w->slot));
	w->synced = false;
	w->next_try = mono_ms() + WATCH_RETRY_MS;
	d->dirty = true;
	journal(d, "rs-watch-lost", "\"node\": \"%s\", \"why\": \"%s\"",
	    w->node->name, why);
}

static void
watch_read(struct daemon *d, struct watch *w)
{
	char *line, *nl;
	ssize_t n;
	size_t used;

	xgrow(&w->buf, &w->cap, w->len + 65536, 1);
	n = read(w->fd, w->buf + w->len, w->cap - w->len - 1);
	if (n <= 0) {
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			watch_drop(d, w, n == 0 ? "closed" : strerror(errno));
		return;
	}
	w->len += (size_t)n;
	w->buf[w->len] = '\0';
	d->last_rx = mono_ms();
	for (line = w->buf; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
		*nl = '\0';
		if (strncmp(line, "fib\t", 4) == 0)
			watch_fib(d, w, line);
		else if (strcmp(line, "sync") == 0) {
			if (!w->synced)
				journal(d, "rs-watch", "\"node\": \"%s\", "
				    "\"routes\": %zu", w->node->name, w->nroutes);
			else if (w->changes > 0)
				journal(d, "rs-routes-changed", "\"node\": \"%s\", "
				    "\"changes\": %u, \"routes\": %zu",
				    w->node->name, w->changes, w->nroutes);
			w->changes = 0;
			w->synced = true;
			d->dirty = true;
		}
	}
	used = (size_t)(line - w->buf);
	memmove(w->buf, line, w->len - used);
	w->len -= used;
}

static void
watch_connect(struct daemon *d, struct watch *w)
{
	char sock[300];
	int fd;

	emu_speaker_sock(d->lab, w->node->name, sock, sizeof(sock));
	if ((fd = ctlc_open(sock, "watch")) < 0) {
		w->next_try = mono_ms() + WATCH_RETRY_MS;
		return;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	w->fd = fd;
	journal(d, "rs-watch-connected", "\"node\": \"%s\"", w->node->name);
}

/* Merge the instances of one hub's Route Server (U-04, see sdn.h). */
static void
merge_hub(struct daemon *d, const struct topo_rs *rs, struct sdn_hub_routes *h)
{
	const struct sdn_bgp_route *inst[2];
	size_t n[2], k = 0, i;

	for (i = 0; i < d->nw && k < 2; i++)
		if (d->w[i].node->rs == rs) {
			inst[k] = d->w[i].routes;
			n[k++] = d->w[i].nroutes;
		}
	sdn_merge_instances(rs, inst, n, k, h);
}

/* A gateway's instances, as the VMs see them (VR-04). */
static void
merge_gw(struct daemon *d, const struct topo_gw *gw, struct sdn_gw_routes *g)
{
	const struct sdn_bgp_route *inst[2] = { NULL, NULL };
	size_t n[2] = { 0, 0 }, i;

	for (i = 0; i < d->nw; i++)
		if (d->w[i].node->gw == gw && d->w[i].node->kind == TOPO_GW) {
			inst[d->w[i].node->gw_instance] = d->w[i].routes;
			n[d->w[i].node->gw_instance] = d->w[i].nroutes;
		}
	sdn_merge_gateway(gw, inst, n, g);
}

static void
input_free(struct sdn_input *in)
{
	size_t i;

	sdn_memo_free(in);
	for (i = 0; i < in->nhubs; i++)
		sdn_hub_routes_free(&in->hubs[i]);
	free(in->hubs);
	for (i = 0; i < in->ngws; i++)
		sdn_gw_routes_free(&in->gws[i]);
	free(in->gws);
	memset(in, 0, sizeof(*in));
}

/* A 64-bit mix (splitmix64's finaliser): a changed table changes its hash. */
static uint64_t
mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebull;
	return h ^ (h >> 31);
}

static uint64_t
route_hash(const struct sdn_route *r)
{
	uint64_t h = 0xcbf29ce484222325ull;
	const char *c;
	unsigned k;

	h = mix(h, (uint64_t)r->pfx.addr << 8 | r->pfx.len);
	h = mix(h, (uint64_t)r->source << 32 | (uint64_t)r->type << 8 |
	    r->active);
	for (k = 0; k < r->nnh; k++)
		h = mix(h, r->nh[k]);
	for (c = r->name; c != NULL && *c != '\0'; c++)
		h = mix(h, (uint8_t)*c);
	return h;
}

/*
 * A sum over the routes, so that a change at some prefixes updates it
 * (incr_group) without the whole table.
 */
static uint64_t
routes_sum(const struct sdn_route *v, size_t n)
{
	uint64_t h = 0;
	size_t i;

	for (i = 0; i < n; i++)
		h += route_hash(&v[i]);
	return h;
}

static uint64_t
table_hash(const struct sdn_table *tab)
{
	return mix(0x7c, tab->disable_bgp) + routes_sum(tab->routes,
	    tab->nroutes);
}

/* Slot s's kernel routes, from its first NIC's effective routes. */
static size_t
slot_routes(struct daemon *d, size_t s, struct nl_route **k, size_t *nlisted,
    uint64_t *hash)
{
	struct sdn_table tab;
	size_t n;

	sdn_effective_by_prefix(d->t, &d->in, d->share.rep[s], &tab);
	n = fabric_kernel_routes(&d->fab, &tab, k);
	if (nlisted != NULL)
		*nlisted = tab.nroutes;
	if (hash != NULL)
		*hash = table_hash(&tab);
	sdn_table_free(&tab);
	return n;
}

static void
sync_table(struct daemon *d, uint32_t table, struct nl_route *v, size_t n,
    size_t nics, size_t *nchanged)
{
	unsigned changes = 0;

	if (fabric_sync_table(d->nl, table, v, n, &changes) != 0)
		journal(d, "error", "\"table\": %u, \"text\": \"%s\"", table,
		    nl_errmsg(d->nl));
	if (changes == 0)
		return;
	lab_crash_point("route-sync");
	journal(d, "table-routes", "\"table\": %u, \"nics\": %zu, \"routes\": "
	    "%zu, \"netlink_changes\": %u", table, nics, n, changes);
	(*nchanged)++;
}

/*
 * The other slots of group g as differences to its first (base): each
 * slot's table is computed and dropped at once. On two threads when the
 * group is large: the inputs, the memo (filled before) and the fabric are
 * only read, each slot's results are its own.
 */
struct slot_job {
	struct daemon		*d;
	const size_t		*slots;
	size_t			 n, from, step;
	const struct nl_route	*base;
	size_t			 nbase;
	struct share_diff	*sd;
	size_t			*nlisted;
	uint64_t		*hash;
};

#define SLOT_THREAD_MIN	32	/* slots in a group worth a second thread */

static void *
slot_work(void *arg)
{
	struct slot_job *j = arg;
	struct nl_route *k;
	size_t i, s, nk;

	for (i = j->from; i < j->n; i += j->step) {
		s = j->slots[i];
		nk = slot_routes(j->d, s, &k, &j->nlisted[s], &j->hash[s]);
		share_diff(j->base, j->nbase, k, nk, &j->sd[s]);
		free(k);
	}
	return NULL;
}

static void
slot_diffs(struct daemon *d, unsigned g, const struct nl_route *base,
    size_t nbase, struct share_diff *sd, size_t *nlisted, uint64_t *hash)
{
	struct slot_job j[2];
	size_t *slots, n = 0, s;
	pthread_t th;
	bool two;

	slots = xcalloc(d->share.nslots ? d->share.nslots : 1, sizeof(*slots));
	for (s = 0; s < d->share.nslots; s++)
		if (d->share.group[s] == g)
			slots[n++] = s;
	/* slots[0] is the base itself */
	two = n > SLOT_THREAD_MIN;
	j[0] = (struct slot_job){ d, slots, n, 1, two ? 2 : 1, base, nbase, sd,
	    nlisted, hash };
	j[1] = j[0];
	j[1].from = 2;
	if (two && pthread_create(&th, NULL, slot_work, &j[1]) != 0) {
		two = false;
		j[0].step = 1;
	}
	slot_work(&j[0]);
	if (two)
		pthread_join(th, NULL);
	free(slots);
}

/* Each NIC of slot s: its effective routes changed. */
static void
journal_slot(struct daemon *d, size_t s)
{
	size_t i;

	for (i = 0; i < d->t->nnics; i++)
		if (d->share.nic_slot[i] == s)
			journal(d, "nic-routes", "\"nic\": \"%s\", \"routes\": "
			    "%zu", d->t->nics[i]->name, d->slot_nlisted[s]);
}

/* What incr_group needs of a group just computed whole (takes *base). */
static void
keep_group(struct daemon *d, unsigned g, struct nl_route **base, size_t nbase,
    const struct pfx4 *mall, size_t nm, const struct share_diff *sd,
    bool empty_b)
{
	struct group_keep *k = &d->keep[g];
	const struct topo_vnet *v;
	size_t s, i;

	if (k->valid)
		pfx_cover_free(&k->sens);
	free(k->base);
	k->base = *base;
	*base = NULL;
	k->nbase = nbase;
	k->nm = nm;
	/*
	 * A change at a prefix equal to or inside one of these may change a
	 * slot's own table (share.h's D): the prefixes not shared, every
	 * slot's own routes, every slot's VNet space.
	 */
	pfx_cover_init(&k->sens);
	pfx_cover_add(&k->sens, mall, nm);
	for (s = 0; s < d->share.nslots; s++) {
		if (d->share.group[s] != g)
			continue;
		for (i = 0; i < sd[s].ne; i++)
			pfx_cover_add(&k->sens, &sd[s].e[i].dst, 1);
		if ((v = d->share.slot[s]->vnet) != NULL && v->nspace > 0)
			pfx_cover_add(&k->sens, v->space, v->nspace);
	}
	pfx_cover_done(&k->sens);
	k->valid = !empty_b;
	k->programmed = true;
	if (!k->valid)
		pfx_cover_free(&k->sens);
}

static void
keep_free(struct daemon *d)
{
	size_t g;

	for (g = 0; d->keep != NULL && g < d->share.ngroups; g++) {
		if (d->keep[g].valid)
			pfx_cover_free(&d->keep[g].sens);
		free(d->keep[g].base);
	}
	free(d->keep);
}

static bool
same_kernel(const struct nl_route *a, size_t na, const struct nl_route *b,
    size_t nb)
{
	size_t i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (!pfx_equal(&a[i].dst, &b[i].dst) ||
		    !share_route_equal(&a[i], &b[i]))
			return false;
	return true;
}

/* Kernel routes of slot s at P (sorted), its listed count and hash sum there. */
static bool
slot_only(struct daemon *d, const struct sdn_input *in, size_t s,
    const struct pfx4 *P, size_t nP, struct nl_route **k, size_t *nk,
    size_t *nlisted, uint64_t *sum)
{
	struct sdn_table tab;

	if (!sdn_effective_only(d->t, in, d->share.rep[s], P, nP, &tab))
		return false;
	if (k != NULL)
		*nk = fabric_kernel_routes(&d->fab, &tab, k);
	*nlisted = tab.nroutes;
	*sum = routes_sum(tab.routes, tab.nroutes);
	sdn_table_free(&tab);
	return true;
}

/* The route at exactly p in v (sorted by prefix), or NULL. */
static const struct nl_route *
route_at(const struct nl_route *v, size_t n, const struct pfx4 *p)
{
	size_t lo = 0, hi = n, m;
	int c;

	while (lo < hi) {
		m = lo + (hi - lo) / 2;
		if ((c = pfx_cmp(&v[m].dst, p)) == 0)
			return &v[m];
		if (c < 0)
			lo = m + 1;
		else
			hi = m;
	}
	return NULL;
}

/* base with its routes at P replaced by kp (all sorted); returns the new count. */
static size_t
patch_base(struct nl_route **base, size_t nbase, const struct pfx4 *P,
    size_t nP, const struct nl_route *kp, size_t nkp)
{
	struct nl_route *v = xcalloc(nbase + nkp + 1, sizeof(*v));
	size_t i = 0, j = 0, p = 0, n = 0;

	while (i < nbase || j < nkp) {
		int c = j == nkp ? -1 : i == nbase ? 1 :
		    pfx_cmp(&(*base)[i].dst, &kp[j].dst);

		if (c > 0) {
			v[n++] = kp[j++];
			continue;
		}
		while (p < nP && pfx_cmp(&P[p], &(*base)[i].dst) < 0)
			p++;
		if (!(p < nP && pfx_equal(&P[p], &(*base)[i].dst)))
			v[n++] = (*base)[i];
		i++;
		if (c == 0)
			v[n++] = kp[j++];
	}
	free(*base);
	*base = v;
	return n;
}

#define INCR_MAX	1024	/* changed prefixes worth applying alone (an NVA of 857) */

/*
 * A change at the prefixes P alone, applied to group g's table alone,
 * when share.h allows it: every slot of the group has the same kernel
 * route (or none) at each p, and no p is equal to or inside a prefix the
 * group's slot tables depend on (keep->sens). The slots' tables stay as
 * they are; the group table gets one batch, without a dump. False: the
 * caller computes the group whole.
 */
static bool
incr_group(struct daemon *d, unsigned g, const struct sdn_input *old,
    const struct pfx4 *P, size_t nP, size_t *nchanged)
{
	struct group_keep *kg = &d->keep[g];
	struct nl_route *k0 = NULL, *ks = NULL, r;
	size_t *slots, n = 0, s, i, nk0 = 0, nks = 0, nl_new, nl_old, nics = 0;
	uint64_t *delta, sum_new, sum_old;
	long *ldelta;
	unsigned changes = 0;
	bool ok = kg->valid;

	for (i = 0; ok && i < nP; i++)
		ok = !pfx_cover_has(&kg->sens, &P[i]);
	if (!ok)
		return false;
	slots = xcalloc(d->share.nslots ? d->share.nslots : 1, sizeof(*slots));
	delta = xcalloc(d->share.nslots ? d->share.nslots : 1, sizeof(*delta));
	ldelta = xcalloc(d->share.nslots ? d->share.nslots : 1, sizeof(*ldelta));
	for (s = 0; s < d->share.nslots; s++)
		if (d->share.group[s] == g)
			slots[n++] = s;
	for (i = 0; ok && i < n; i++) {
		s = slots[i];
		ok = slot_only(d, &d->in, s, P, nP, i == 0 ? &k0 : &ks,
		    i == 0 ? &nk0 : &nks, &nl_new, &sum_new) &&
		    slot_only(d, old, s, P, nP, NULL, NULL, &nl_old, &sum_old);
		if (ok && i > 0)
			ok = same_kernel(k0, nk0, ks, nks);
		free(ks);
		ks = NULL;
		delta[s] = sum_new - sum_old;
		ldelta[s] = (long)nl_new - (long)nl_old;
		nics += d->share.nnics[s];
	}
	if (!ok)
		goto out;
	nl_batch_begin(d->nl);
	for (i = 0, s = 0; i < nP; i++) {
		const struct nl_route *had = route_at(kg->base, kg->nbase, &P[i]);

		while (s < nk0 && pfx_cmp(&k0[s].dst, &P[i]) < 0)
			s++;
		if (s < nk0 && pfx_equal(&k0[s].dst, &P[i])) {
			if (had != NULL && share_route_equal(had, &k0[s]))
				continue;
			r = k0[s];
			r.table = LAB_GROUP_TABLE(g);
			nl_route_replace(d->nl, &r);
			changes++;
		} else if (had != NULL) {
			r = *had;
			r.table = LAB_GROUP_TABLE(g);
			nl_route_del(d->nl, &r);
			changes++;
		}
	}
	if (nl_batch_commit(d->nl) != 0) {
		journal(d, "error", "\"table\": %u, \"text\": \"%s\"",
		    LAB_GROUP_TABLE(g), nl_errmsg(d->nl));
		kg->valid = false;	/* the next change computes it whole */
		pfx_cover_free(&kg->sens);
	}
	kg->nbase = patch_base(&kg->base, kg->nbase, P, nP, k0, nk0);
	if (changes > 0) {
		lab_crash_point("route-sync");
		journal(d, "table-routes", "\"table\": %u, \"nics\": %zu, "
		    "\"routes\": %zu, \"netlink_changes\": %u, "
		    "\"incremental\": true", LAB_GROUP_TABLE(g), nics,
		    kg->nbase - kg->nm, changes);
		(*nchanged)++;
	}
	for (i = 0; i < n; i++) {
		s = slots[i];
		if (delta[s] == 0 && ldelta[s] == 0)
			continue;
		d->slot_hash[s] += delta[s];
		d->slot_nlisted[s] = (size_t)((long)d->slot_nlisted[s] + ldelta[s]);
		journal_slot(d, s);
	}
out:
	free(k0);
	free(slots);
	free(delta);
	free(ldelta);
	return ok;
}

/*
 * One group of subnets (share.h): if any slot's effective routes changed,
 * its shared table is what every slot has, each slot's table the rest.
 * Each slot's table is built once, kept only as its difference to the
 * first slot's (share_diff): a group of 500 subnets of 10,000 routes holds
 * one table and 500 small differences, never 500 tables.
 */
static void
recompute_group(struct daemon *d, unsigned g, uint64_t *hash, size_t *nchanged)
{
	struct nl_route *base = NULL, *b, *dv;
	struct share_diff *sd;
	struct pfx4 *mall = NULL;
	size_t nbase = 0, nb, nd, s, i, nics = 0, stray, nm = 0, cap = 0, n;
	size_t *nlisted;
	bool dirty = false, first = true, empty_b = false;

	sd = xcalloc(d->share.nslots ? d->share.nslots : 1, sizeof(*sd));
	nlisted = xcalloc(d->share.nslots ? d->share.nslots : 1, sizeof(*nlisted));
	for (s = 0; s < d->share.nslots; s++) {
		if (d->share.group[s] != g)
			continue;
		nbase = slot_routes(d, s, &base, &nlisted[s], &hash[s]);
		break;
	}
	slot_diffs(d, g, base, nbase, sd, nlisted, hash);
	for (s = 0; s < d->share.nslots; s++) {
		if (d->share.group[s] != g)
			continue;
		dirty |= hash[s] != d->slot_hash[s] || !d->keep[g].programmed;
		nics += d->share.nnics[s];
		if (first) {
			first = false;
			continue;
		}
		xgrow(&mall, &cap, nm + sd[s].nm + 1, sizeof(*mall));
		if (sd[s].nm > 0)
			memcpy(mall + nm, sd[s].m, sd[s].nm * sizeof(*mall));
		nm += sd[s].nm;
	}
	if (!dirty)
		goto out;
	if (nm > 1)
		qsort(mall, nm, sizeof(*mall), pfx_qcmp);
	for (i = n = 0; i < nm; i++)
		if (n == 0 || !pfx_equal(&mall[n - 1], &mall[i]))
			mall[n++] = mall[i];
	nm = n;
again:
	for (s = 0; s < d->share.nslots; s++) {
		const struct topo_vnet *v = d->share.slot[s]->vnet;

		if (d->share.group[s] != g)
			continue;
		stray = share_split_diff(base, nbase, &sd[s], mall, nm, empty_b,
		    v ? v->space : NULL, v ? v->nspace : 0, &dv, &nd);
		if (stray > 0 && !empty_b) {
			/* a throw only some slots have: share nothing (share.h) */
			journal(d, "warning", "\"text\": \"table group %u shares "
			    "nothing: %zu throw routes differ\"", g, stray);
			free(dv);
			empty_b = true;
			goto again;
		}
		sync_table(d, LAB_SUBNET_TABLE(s), dv, nd, d->share.nnics[s],
		    nchanged);
		free(dv);
		d->slot_nlisted[s] = nlisted[s];
		if (hash[s] != d->slot_hash[s] || !d->keep[g].programmed) {
			d->slot_hash[s] = hash[s];
			journal_slot(d, s);
		}
	}
	nb = empty_b ? 0 : share_base(base, nbase, mall, nm, &b);
	if (empty_b)
		b = xcalloc(1, sizeof(*b));
	sync_table(d, LAB_GROUP_TABLE(g), b, nb, nics, nchanged);
	free(b);
	keep_group(d, g, &base, nbase, mall, nm, sd, empty_b);
out:
	for (s = 0; s < d->share.nslots; s++)
		share_diff_free(&sd[s]);
	free(sd);
	free(nlisted);
	free(mall);
	free(base);
}

static void
recompute(struct daemon *d)
{
	struct sdn_hub_routes *hubs;
	struct sdn_input old;
	struct pfx4 *P = NULL;
	uint64_t *hash;
	size_t i, nchanged = 0, nP;
	bool whole;

	d->dirty = false;
	old = d->in;
	memset(&d->in, 0, sizeof(d->in));
	d->in.gws = xcalloc(d->t->ngws ? d->t->ngws : 1, sizeof(*d->in.gws));
	d->in.ngws = d->t->ngws;
	for (i = 0; i < d->t->ngws; i++)
		merge_gw(d, d->t->gws[i], &d->in.gws[i]);
	hubs = xcalloc(d->t->nrss ? d->t->nrss : 1, sizeof(*hubs));
	for (i = 0; i < d->t->nrss; i++)
		merge_hub(d, d->t->rss[i], &hubs[i]);
	d->in.hubs = hubs;
	d->in.nhubs = d->t->nrss;
	sdn_memo_start(&d->in);
	sdn_memo_fill(d->t, &d->in);
	/*
	 * The effective routes read the input through the hubs' choices only:
	 * the prefixes where those differ are all that can have changed.
	 */
	nP = old.memo != NULL ? sdn_memo_changes(d->t, &old, &d->in, &P) : 0;
	whole = old.memo == NULL || d->no_incr || nP > INCR_MAX;
	hash = xcalloc(d->share.nslots ? d->share.nslots : 1, sizeof(*hash));
	for (i = 0; i < d->share.ngroups; i++) {
		if (!whole && nP == 0)
			break;
		if (whole || !incr_group(d, (unsigned)i, &old, P, nP, &nchanged))
			recompute_group(d, (unsigned)i, hash, &nchanged);
	}
	free(hash);
	free(P);
	input_free(&old);
	if (nchanged)
		d->last_change = mono_ms();
}

/* Control socket */

static void	serve(void *arg, struct ctlsrv_client *cl, char *line);

static void
ctl_log(void *arg, const char *msg)
{
	journal(arg, "control", "\"text\": \"%s\"", msg);
}

/* One request per connection, as before; ctlsrv.h bounds each client. */
static int
ctl_listen(struct daemon *d)
{
	char path[300];
	struct ctlsrv_conf conf = { .path = path, .request = serve,
	    .log = ctl_log, .arg = d, .oneshot = true };

	emu_daemon_sock(d->lab, path, sizeof(path));
	if ((d->ctl = ctlsrv_open(&conf)) == NULL) {
		journal(d, "error", "\"text\": \"control socket %s: %s\"",
		    path, strerror(errno));
		return -1;
	}
	return 0;
}

/* The rows `arsemu routes` and `arsemu plan` print (sdnrow.c). */
static void
reply_routes(struct daemon *d, FILE *f, const char *nicname)
{
	struct sdn_row *rows;
	char line[256];
	size_t i, k, n;

	for (i = 0; i < d->t->nnics; i++) {
		if (strcmp(d->t->nics[i]->name, nicname) != 0)
			continue;
		struct sdn_table tab;

		sdn_effective(d->t, &d->in, d->t->nics[i], &tab);
		n = sdn_rows(&tab, &rows);
		for (k = 0; k < n; k++) {
			sdn_row_format(&rows[k], line, sizeof(line));
			fprintf(f, "%s\n", line);
		}
		free(rows);
		sdn_table_free(&tab);
		return;
	}
	fprintf(f, "error\tno NIC named %s in lab %s\n", nicname, d->lab);
}

/* An NVA with an overlay to another hub's NVA (RS-52). */
static bool
has_overlay(const struct topo *t, const struct topo_node *n)
{
	size_t i;

	for (i = 0; i < t->ngwlinks; i++)
		if (t->gwlinks[i]->conn == NULL &&
		    (t->gwlinks[i]->a == n || t->gwlinks[i]->b == n))
			return true;
	return false;
}

/*
 * GW-05, GW-07: the session between a site's edge and the Azure side of a
 * connection over its route limit is reset each time the routes arrive;
 * down is where it settles (plan leaves the connection out too).
 */
static bool
expected_down(const struct topo *t, const char *node, const char *peer)
{
	const struct topo_node *a = topo_node_find(t, node);
	const struct topo_node *b = topo_node_find(t, peer);
	const struct topo_gwlink *l;
	size_t i;

	if (a == NULL || b == NULL || (a->kind != TOPO_SITE_ROUTER &&
	    b->kind != TOPO_SITE_ROUTER))
		return false;
	for (i = 0; i < t->ngwlinks; i++) {
		l = t->gwlinks[i];
		if (((l->a == a && l->b == b) || (l->a == b && l->b == a)) &&
		    l->conn != NULL && topo_conn_over_limit(l->conn))
			return true;
	}
	return false;
}

/* A session row of a speaker's "peers": Established, or expected down. */
static bool
session_settled(struct daemon *d, const char *node, char **fl)
{
	return strcmp(fl[3], "Established") == 0 ||
	    expected_down(d->t, node, fl[0]);
}

/*
 * Off-fabric speakers (MSEEs, site edges) feed the gateways, and overlay
 * NVAs feed each other: their sessions must be up too before the lab
 * counts as converged. Not listed.
 */
static bool
offfabric_up(struct daemon *d)
{
	struct ctlc_reply r;
	char sock[300], *fl[13];
	size_t i, k;
	bool all = true;

	for (i = 0; i < d->nkids && all; i++) {
		if (d->kids[i].node->kind != TOPO_MSEE &&
		    d->kids[i].node->kind != TOPO_SITE_ROUTER &&
		    !has_overlay(d->t, d->kids[i].node))
			continue;
		emu_speaker_sock(d->lab, d->kids[i].node->name, sock, sizeof(sock));
		if (ctlc_request(sock, "peers", 1000, &r) != 0)
			return false;
		for (k = 0; k < r.n; k++)
			if (ctlc_fields(r.rows[k], fl, 13) < 13 ||
			    !session_settled(d, d->kids[i].node->name, fl) ||
			    (strcmp(fl[3], "Established") == 0 &&
			    strcmp(fl[12], "1") != 0))
				all = false;
		ctlc_free(&r);
	}
	return all;
}

static bool
sessions_status(struct daemon *d, FILE *f)
{
	bool all = true;
	size_t i, k;

	for (i = 0; i < d->nw; i++) {
		struct ctlc_reply r;
		char sock[300], *fl[13];

		emu_speaker_sock(d->lab, d->w[i].node->name, sock, sizeof(sock));
		if (ctlc_request(sock, "peers", 1000, &r) != 0) {
			fprintf(f, "session\t%s\t-\tunreachable\t0\n",
			    d->w[i].node->name);
			all = false;
			continue;
		}
		for (k = 0; k < r.n; k++) {
			if (ctlc_fields(r.rows[k], fl, 13) < 13)
				continue;
			fprintf(f, "session\t%s\t%s\t%s\t%s\n", d->w[i].node->name,
			    fl[0], fl[3], fl[12]);
			if (strcmp(fl[3], "Established") != 0) {
				if (!expected_down(d->t, d->w[i].node->name,
				    fl[0]))
					all = false;
			} else if (strcmp(fl[12], "1") != 0 && !nvad_settled(d->t,
			    fl[0], (unsigned)atoi(fl[4]), (unsigned)atoi(fl[5])))
				all = false;
		}
		ctlc_free(&r);
		if (!d->w[i].synced)
			all = false;
	}
	return all && offfabric_up(d);
}

static void
reply_status(struct daemon *d, FILE *f)
{
	bool conv;
	size_t i;

	for (i = 0; i < d->nkids; i++)
		fprintf(f, "speaker\t%s\t%d\t%s\n", d->kids[i].node->name,
		    (int)d->kids[i].pid, d->kids[i].status == -1 ? "running" :
		    "exited");
	conv = sessions_status(d, f);
	conv = conv && !d->dirty && mono_ms() - d->last_change >= QUIET_MS;
	for (i = 0; i < d->nfails; i++)
		fprintf(f, "failed\t%s\t%s\n", d->fails[i].target,
		    d->fails[i].kind);
	fprintf(f, "clock\t%llu\t%llu\n", (unsigned long long)mono_ms(),
	    (unsigned long long)d->last_change);
	fprintf(f, "converged\t%d\n", conv);
}

static struct child *
kid_find(struct daemon *d, const struct topo_node *n)
{
	size_t i;

	for (i = 0; i < d->nkids; i++)
		if (d->kids[i].node == n)
			return &d->kids[i];
	return NULL;
}

static struct failure *
fail_find(struct daemon *d, const struct topo_node *n,
    const struct topo_gwlink *l)
{
	size_t i;

	for (i = 0; i < d->nfails; i++)
		if ((n != NULL && d->fails[i].node == n) ||
		    (l != NULL && d->fails[i].link == l))
			return &d->fails[i];
	return NULL;
}

static bool
kind_ok(const char *kind)
{
	return strcmp(kind, "crash") == 0 || strcmp(kind, "freeze") == 0 ||
	    strcmp(kind, "shutdown") == 0 || strcmp(kind, "link") == 0 ||
	    strcmp(kind, "down") == 0;
}

/* Is link l cut now: failed itself, or an end of it is down? */
static bool
link_cut(const struct daemon *d, const struct topo_gwlink *l)
{
	const struct failure *f;
	size_t i;

	for (i = 0; i < d->nfails; i++) {
		f = &d->fails[i];
		if (f->link == l || (strcmp(f->kind, "down") == 0 &&
		    (f->node == l->a || f->node == l->b)))
			return true;
	}
	return false;
}

struct cuts {
	bool	*link;		/* by gwlink idx */
	bool	*node;		/* by node index in t->nodes */
};

static void
cuts_take(const struct daemon *d, struct cuts *c)
{
	const struct topo *t = d->t;
	size_t i, k;

	c->link = xcalloc(t->ngwlinks + 1, sizeof(bool));
	c->node = xcalloc(t->nnodes + 1, sizeof(bool));
	for (i = 0; i < t->ngwlinks; i++) {
		if (!(c->link[i] = link_cut(d, t->gwlinks[i])))
			continue;
		for (k = 0; k < t->nnodes; k++)
			if (t->nodes[k] == t->gwlinks[i]->a ||
			    t->nodes[k] == t->gwlinks[i]->b)
				c->node[k] = true;
	}
}

/*
 * Bring the kernel from the cuts in `was` to the daemon's failures now:
 * a node's local rule moves late before its first cut and back after its
 * last mend (fail.c).
 */
static int
cuts_apply(struct daemon *d, const struct cuts *was, char *err, size_t len)
{
	const struct topo *t = d->t;
	struct cuts now;
	size_t i;
	int rc = 0;

	cuts_take(d, &now);
	for (i = 0; i < t->nnodes && rc == 0; i++)
		if (now.node[i] && !was->node[i])
			rc = fail_local_late(d->lab, t->nodes[i], true, err, len);
	for (i = 0; i < t->ngwlinks && rc == 0; i++)
		if (now.link[i] != was->link[i])
			rc = fail_gwlink(d->lab, t->gwlinks[i], now.link[i], err,
			    len);
	for (i = 0; i < t->nnodes && rc == 0; i++)
		if (!now.node[i] && was->node[i])
			rc = fail_local_late(d->lab, t->nodes[i], false, err, len);
	free(now.link);
	free(now.node);
	return rc;
}

static bool
has_gwlink(const struct topo *t, const struct topo_node *n)
{
	size_t i;

	for (i = 0; i < t->ngwlinks; i++)
		if (t->gwlinks[i]->a == n || t->gwlinks[i]->b == n)
			return true;
	return false;
}

/* Can kind be done to this target? NULL if so, else why not. */
static const char *
fail_refusal(struct daemon *d, const struct topo_node *n,
    const struct topo_gwlink *l, const char *kind)
{
	struct child *k = n ? kid_find(d, n) : NULL;
	bool speaker = k != NULL && k->status == -1;

	if (l != NULL)
		return strcmp(kind, "link") == 0 ? NULL :
		    "a gateway link can only fail as \"link\"";
	if (strcmp(kind, "link") == 0)
		return n->nic ? NULL : "has no NIC (name a gateway link A/B)";
	if (strcmp(kind, "down") == 0)
		return n->nic || speaker || has_gwlink(d->t, n) ? NULL :
		    "has nothing to take down";
	if (strcmp(kind, "freeze") == 0 && n->nic == NULL)
		return "has no NIC to blackhole";
	return speaker ? NULL : "runs no BGP speaker";
}

/*
 * fail TARGET KIND, TARGET a node or a gateway link "A/B":
 *   crash     the speaker is killed (SIGKILL): the kernel closes its TCP
 *             sessions, the NVA's kernel keeps forwarding
 *   shutdown  the speaker stops gracefully (SIGTERM: Cease, RFC 4486/8203)
 *   freeze    the VM hangs: speaker stopped (SIGSTOP) and its NIC
 *             blackholed; only the hold timer can notice
 *   link      the NIC is blackholed, the speaker runs on; for "A/B", the
 *             link (an ER circuit's hop, a VPN tunnel) is cut at both ends
 *   down      the node is powered off: NIC and every gateway link cut
 *             first, then the speaker killed, so no FIN gets out
 */
/*
 * fail and restore answer with the time the change began, not when it was
 * done: cutting a link takes several netlink requests, and a drill counts
 * what is lost from the moment the first of them took effect.
 */
static void
reply_fail(struct daemon *d, FILE *f, char *arg)
{
	uint64_t t0 = mono_ms();
	char *kind = strchr(arg, ' '), err[256];
	const struct topo_gwlink *l = NULL;
	const struct topo_node *n = NULL;
	struct failure *fl;
	const char *why;
	struct child *k;
	struct cuts was;
	int rc;

	if (kind != NULL)
		*kind++ = '\0';
	if (kind == NULL || !kind_ok(kind)) {
		fprintf(f, "error\tfail TARGET crash|freeze|shutdown|link|down\n");
		return;
	}
	if (strchr(arg, '/') != NULL ? (l = fail_gwlink_find(d->t, arg)) == NULL :
	    (n = topo_node_find(d->t, arg)) == NULL) {
		fprintf(f, "error\tno %s named %s in lab %s\n", strchr(arg, '/') ?
		    "gateway link" : "node", arg, d->lab);
		return;
	}
	if ((fl = fail_find(d, n, l)) != NULL) {
		fprintf(f, "error\t%s is already failed (%s); restore it first\n",
		    arg, fl->kind);
		return;
	}
	if ((why = fail_refusal(d, n, l, kind)) != NULL) {
		fprintf(f, "error\t%s %s\n", arg, why);
		return;
	}
	if (n != NULL && n->nic != NULL && (strcmp(kind, "link") == 0 ||
	    strcmp(kind, "freeze") == 0 || strcmp(kind, "down") == 0) &&
	    fail_blackhole(d->lab, n->nic, true, err, sizeof(err)) != 0) {
		fprintf(f, "error\t%s: %s\n", arg, err);
		return;
	}
	cuts_take(d, &was);
	d->fails = xrealloc(d->fails, (d->nfails + 1) * sizeof(*d->fails));
	fl = &d->fails[d->nfails++];
	*fl = (struct failure){ .node = n, .link = l };
	snprintf(fl->kind, sizeof(fl->kind), "%s", kind);
	snprintf(fl->target, sizeof(fl->target), "%.*s",
	    (int)sizeof(fl->target) - 1, arg);
	rc = cuts_apply(d, &was, err, sizeof(err));
	free(was.link);
	free(was.node);
	if (rc != 0) {
		fprintf(f, "error\t%s: %s (partly done: restore %s undoes it)\n",
		    arg, err, arg);
		return;
	}
	k = n ? kid_find(d, n) : NULL;
	if (strcmp(kind, "crash") == 0 || strcmp(kind, "down") == 0) {
		if (k != NULL && k->status == -1)
			kill(k->pid, SIGKILL);
	} else if (strcmp(kind, "shutdown") == 0)
		kill(k->pid, SIGTERM);
	else if (strcmp(kind, "freeze") == 0)
		kill(k->pid, SIGSTOP);
	journal(d, "fail", "\"node\": \"%s\", \"kind\": \"%s\"", arg, kind);
	fprintf(f, "ok\t%llu\n", (unsigned long long)t0);
}

static int
respawn(struct daemon *d, struct child *k)
{
	char what[64];
	int i;

	for (i = 0; i < 100 && k->status == -1; i++) {
		reap(d);
		usleep(10000);
	}
	if (k->status == -1)
		return -1;
	if ((k->pid = spawn_speaker(d, k->node)) < 0)
		return -1;
	k->status = -1;
	snprintf(what, sizeof(what), "speaker:%s", k->node->name);
	lab_state_add_pid(d->lab, k->pid, what);
	journal(d, "speaker-start", "\"node\": \"%s\", \"pid\": %d",
	    k->node->name, (int)k->pid);
	return 0;
}

static void
reply_restore(struct daemon *d, FILE *f, char *arg)
{
	uint64_t t0 = mono_ms();
	const struct topo_gwlink *l = strchr(arg, '/') ? fail_gwlink_find(d->t, arg) :
	    NULL;
	const struct topo_node *n = l ? NULL : topo_node_find(d->t, arg);
	struct failure *fl = n || l ? fail_find(d, n, l) : NULL;
	struct child *k = n ? kid_find(d, n) : NULL;
	char err[256], kind[16];
	struct cuts was;
	bool nic;
	int rc;

	if (fl == NULL) {
		fprintf(f, "error\t%s is not failed\n", arg);
		return;
	}
	snprintf(kind, sizeof(kind), "%s", fl->kind);
	nic = n != NULL && n->nic != NULL && (strcmp(kind, "link") == 0 ||
	    strcmp(kind, "freeze") == 0 || strcmp(kind, "down") == 0);
	if (nic && fail_blackhole(d->lab, n->nic, false, err, sizeof(err)) != 0) {
		fprintf(f, "error\t%s: %s\n", arg, err);
		return;
	}
	cuts_take(d, &was);
	*fl = d->fails[--d->nfails];
	rc = cuts_apply(d, &was, err, sizeof(err));
	free(was.link);
	free(was.node);
	if (rc != 0) {
		fprintf(f, "error\t%s: %s\n", arg, err);
		return;
	}
	if (strcmp(kind, "freeze") == 0 && k != NULL && k->status == -1)
		kill(k->pid, SIGCONT);
	else if ((strcmp(kind, "crash") == 0 || strcmp(kind, "shutdown") == 0 ||
	    strcmp(kind, "down") == 0) && k != NULL && respawn(d, k) != 0) {
		fprintf(f, "error\t%s: cannot restart its speaker\n", arg);
		return;
	}
	journal(d, "restore", "\"node\": \"%s\", \"kind\": \"%s\"", arg, kind);
	fprintf(f, "ok\t%llu\n", (unsigned long long)t0);
}

/* A request's reply is built whole, then queued: the client reads it. */
static void
serve(void *arg, struct ctlsrv_client *cl, char *line)
{
	struct daemon *d = arg;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if ((f = open_memstream(&buf, &len)) == NULL)
		return;
	if (strncmp(line, "routes ", 7) == 0)
		reply_routes(d, f, line + 7);
	else if (strcmp(line, "status") == 0)
		reply_status(d, f);
	else if (strncmp(line, "fail ", 5) == 0)
		reply_fail(d, f, line + 5);
	else if (strncmp(line, "restore ", 8) == 0)
		reply_restore(d, f, line + 8);
	else
		fprintf(f, "error\tunknown request %s\n", line);
	fputs(".\n", f);
	if (fclose(f) == 0)
		ctlsrv_write(cl, buf, len);
	free(buf);
}

static void
stop_children(struct daemon *d)
{
	uint64_t until = mono_ms() + STOP_GRACE_MS;
	bool left;
	size_t i;

	for (i = 0; i < d->nkids; i++)
		if (d->kids[i].status == -1)
			kill(d->kids[i].pid, SIGTERM);
	do {
		reap(d);
		left = false;
		for (i = 0; i < d->nkids; i++)
			left |= d->kids[i].status == -1;
		if (left)
			usleep(20000);
	} while (left && mono_ms() < until);
	for (i = 0; i < d->nkids; i++)
		if (d->kids[i].status == -1)
			kill(d->kids[i].pid, SIGKILL);
	reap(d);
}

/*
 * One pollfd for each watch, at the same index, then the control
 * socket's: any number of hubs and gateways.
 */
static void
loop(struct daemon *d)
{
	struct pollfd *pfd = xcalloc(d->nw + CTLSRV_NPOLLFDS, sizeof(*pfd));
	size_t nc, i;
	uint64_t now;
	int timeout, ct;

	while (!stop_sig) {
		reap(d);
		now = mono_ms();
		timeout = 200;
		for (i = 0; i < d->nw; i++)
			if (d->w[i].fd == -1 && d->w[i].next_try <= now)
				watch_connect(d, &d->w[i]);
		if (d->dirty && now >= d->last_rx + SETTLE_MS)
			recompute(d);
		else if (d->dirty)
			timeout = (int)(d->last_rx + SETTLE_MS - now);
		for (i = 0; i < d->nw; i++)
			pfd[i] = (struct pollfd){ .fd = d->w[i].fd, .events = POLLIN };
		nc = ctlsrv_pollfds(d->ctl, pfd + d->nw, CTLSRV_NPOLLFDS);
		if ((ct = ctlsrv_timeout(d->ctl)) != -1 && ct < timeout)
			timeout = ct;
		if (poll(pfd, d->nw + nc, timeout) == -1 && errno != EINTR)
			break;
		for (i = 0; i < d->nw; i++)
			if (d->w[i].fd != -1 && (pfd[i].revents &
			    (POLLIN | POLLHUP | POLLERR)))
				watch_read(d, &d->w[i]);
		ctlsrv_handle(d->ctl, pfd + d->nw, nc);
	}
	free(pfd);
}

int
emu_daemon_main(const char *lab)
{
	struct daemon dd, *d = &dd;
	struct topo_err err;
	char file[600];
	struct sigaction sa;
	ssize_t len;
	int nsfd, rc = 3;
	size_t i;

	memset(d, 0, sizeof(*d));
	d->lab = lab;
	/*
	 * A recompute builds one subnet's table after another, each a few MiB:
	 * from the heap, reused, not a fresh mmap (and its page faults) each.
	 */
	mallopt(M_MMAP_THRESHOLD, 32 << 20);	/* the most glibc takes */
	mallopt(M_TRIM_THRESHOLD, 128 << 20);
	lab_dir(lab, d->dir, sizeof(d->dir));
	if ((len = readlink("/proc/self/exe", d->exe, sizeof(d->exe) - 1)) <= 0)
		return 3;
	d->exe[len] = '\0';
	snprintf(file, sizeof(file), "%s/journal.jsonl", d->dir);
	snprintf(file, sizeof(file), "%s/log", d->dir);
	(void)mkdir(file, 0755);
	snprintf(file, sizeof(file), "%s/journal.jsonl", d->dir);
	d->journal = fopen(file, "ae");
	snprintf(file, sizeof(file), "%s/topology.json", d->dir);
	if (topo_load_file(file, &d->t, &err) == -1) {
		journal(d, "error", "\"text\": \"topology: %s\"", err.msg);
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	lab_fabric_ns(lab, file, sizeof(file));
	if ((nsfd = netns_open(file)) < 0 || (d->nl = nl_open(nsfd)) == NULL) {
		journal(d, "error", "\"text\": \"cannot open fabric %s\"", file);
		goto out;
	}
	/* VR-10: the fabric hashes ECMP per flow (5-tuple), as Azure does. */
	if (netns_sysctl(nsfd, "net/ipv4/fib_multipath_hash_policy", "1") != 0)
		journal(d, "warning", "\"text\": \"fib_multipath_hash_policy: "
		    "ECMP hashes on addresses only\"");
	/* proxy_delay 0 on every NIC's link: set as the lab was built */
	close(nsfd);
	share_layout(d->t, &d->share);
	fabric_init(&d->fab, d->nl, d->t);
	d->slot_hash = xcalloc(d->share.nslots ? d->share.nslots : 1,
	    sizeof(*d->slot_hash));
	d->slot_nlisted = xcalloc(d->share.nslots ? d->share.nslots : 1,
	    sizeof(*d->slot_nlisted));
	d->keep = xcalloc(d->share.ngroups ? d->share.ngroups : 1,
	    sizeof(*d->keep));
	d->no_incr = getenv("ARSEMU_NO_INCREMENTAL") != NULL;
	if (ctl_listen(d) == -1 || start_speakers(d) == -1)
		goto out;
	journal(d, "daemon-start", "\"lab\": \"%s\", \"pid\": %d", lab, (int)getpid());
	d->dirty = true;
	loop(d);
	rc = 0;
out:
	journal(d, "daemon-stop", "\"signal\": %d", (int)stop_sig);
	stop_children(d);
	for (i = 0; i < d->nw; i++) {
		if (d->w[i].fd != -1)
			close(d->w[i].fd);
		free(d->w[i].buf);
		free(d->w[i].routes);
		free(d->w[i].slot);
	}
	input_free(&d->in);
	keep_free(d);
	free(d->slot_hash);
	free(d->slot_nlisted);
	fabric_free(&d->fab);
	share_layout_free(&d->share);
	free(d->w);
	free(d->kids);
	free(d->fails);
	ctlsrv_close(d->ctl);
	if (d->nl)
		nl_close(d->nl);
	if (d->journal)
		fclose(d->journal);
	topo_free(d->t);
	return rc;
}
