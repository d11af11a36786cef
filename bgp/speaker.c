/*
 * speaker: one BGP speaker process. The poll loop and the hooks the FSM
 * calls (peer up, peer down, UPDATE received, route refresh); each round of
 * the loop first runs the pass (export.c) that decides every changed prefix
 * and turns Loc-RIB changes into UPDATEs.
 *
 * Work per pass is bounded: each peer reads at most READ_BUDGET messages, so
 * one peer flooding UPDATEs cannot starve the keepalives of the others. The
 * prefixes of an UPDATE are looked up with the RIB entries fetched ahead
 * (rib_prefetch): a large table does not fit the caches.
 *
 * BFD (bfdsock.c) only ever takes a session down: BGP never waits for it.
 * When a peer's BFD session goes from Up to Down, the BGP session is closed
 * at once with Cease / BFD Down (RFC 9384; RFC 5882 4.3: the peer is taken
 * as lost). The NOTIFICATION is sent though the path is most likely gone:
 * when BFD went down for another reason (a one-way loss, the peer's own
 * Down), it tells the peer why. A BFD session the peer took AdminDown is
 * not a failure (RFC 5882 3.2) and leaves BGP alone.
 *
 * Must not: parse bytes (msg.c), choose paths (decide.c), judge routes
 * (rs.c), build UPDATEs (export.c), or reach the kernel except through
 * conf->fib.
 */
#include <sys/socket.h>
#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../lib/ctlsrv.h"
#include "../lib/json.h"
#include "../lib/util.h"
#include "bgpd.h"

#define READ_BUDGET	64
#define BGP_MAX_PREPEND	32	/* a run-time prepend change, at most */
#define LOG_LINE_MAX	512
#define MAX_POLLFDS	(2 * BGP_MAX_PEERS + 2 + CTLSRV_NPOLLFDS)

static volatile sig_atomic_t quit_signal;

static void
on_signal(int sig)
{
	quit_signal = sig;
}

void
bgp_conf_init(struct bgp_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->hold = 180;		/* RS-43 */
	c->keepalive = 60;
	c->connect_retry = 5;
	c->max_paths = BGP_MAX_ECMP;
	c->log_fd = -1;
}

const struct bgp_orig_pol *
bgp_conf_orig_pol(const struct bgp_conf *c, const struct pfx4 *p)
{
	const struct pfx4 *f;

	if (c->orig_pol == NULL)
		return NULL;
	f = bsearch(p, c->originate, c->noriginate, sizeof(*c->originate),
	    pfx_qcmp);
	return f == NULL ? NULL : &c->orig_pol[f - c->originate];
}

static void
log_write(const struct speaker *s, const char *line)
{
	(void)!write(s->conf->log_fd >= 0 ? s->conf->log_fd : 2, line,
	    strlen(line));
}

/*
 * A --log json line (lib/json, one line, no spaces): it starts with the
 * wall-clock time, the speaker's name and the event; jline_end writes it.
 */
struct jline {
	struct json	 j;
	FILE		*f;
	char		*buf;
	size_t		 len;
};

static struct json *
jline_begin(struct jline *l, const struct speaker *s, const char *event)
{
	char ts[32], when[48];
	struct timespec now;
	struct tm tm;

	l->buf = NULL;
	l->len = 0;
	if ((l->f = open_memstream(&l->buf, &l->len)) == NULL)
		return NULL;
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(when, sizeof(when), "%s.%03ldZ", ts, now.tv_nsec / 1000000);
	json_init_compact(&l->j, l->f);
	json_obj_begin(&l->j);
	json_kstr(&l->j, "time", when);
	json_kstr(&l->j, "speaker", s->conf->name);
	json_kstr(&l->j, "event", event);
	return &l->j;
}

static void
jline_end(struct jline *l, const struct speaker *s)
{
	json_obj_end(&l->j);
	json_end(&l->j);
	if (fclose(l->f) == 0)
		log_write(s, l->buf);
	free(l->buf);
}

void
speaker_log(const struct speaker *s, const char *fmt, ...)
{
	char msg[LOG_LINE_MAX], line[2 * LOG_LINE_MAX];
	struct jline l;
	struct json *j;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (s->conf->log_json) {
		if ((j = jline_begin(&l, s, "log")) == NULL)
			return;
		json_kstr(j, "msg", msg);
		jline_end(&l, s);
		return;
	}
	snprintf(line, sizeof(line), "%llu %s: %s\n",
	    (unsigned long long)mono_ms(), s->conf->name, msg);
	log_write(s, line);
}

void
speaker_log_state(const struct peer *p, enum peer_state from,
    enum peer_state to, const char *cause)
{
	char a[ADDR_STRLEN];
	struct jline l;
	struct json *j;

	addr_fmt(p->conf->addr, a);
	if (!p->s->conf->log_json) {
		speaker_log(p->s, "peer %s (%s): %s -> %s on %s", p->conf->name, a,
		    fsm_state_str(from), fsm_state_str(to), cause);
		return;
	}
	if ((j = jline_begin(&l, p->s, "state")) == NULL)
		return;
	json_kstr(j, "peer", p->conf->name);
	json_kstr(j, "address", a);
	json_kint(j, "asn", p->conf->asn);
	json_kstr(j, "from", fsm_state_str(from));
	json_kstr(j, "to", fsm_state_str(to));
	json_kstr(j, "cause", cause);
	json_kstr(j, "lastError", p->last_error);
	jline_end(&l, p->s);
}

static void
bfd_log(const struct peer *p, bool teardown)
{
	const struct bfd_session *b = &p->bfd;
	char a[ADDR_STRLEN];
	struct jline l;
	struct json *j;

	addr_fmt(p->conf->addr, a);
	if (!p->s->conf->log_json) {
		speaker_log(p->s, "peer %s (%s): BFD %s -> %s (%s)%s", p->conf->name,
		    a, bfd_state_str(b->prev_state), bfd_state_str(b->state),
		    bfd_diag_str(b->local_diag), teardown ? ": BGP session "
		    "closed (RFC 5882)" : "");
		return;
	}
	if ((j = jline_begin(&l, p->s, "bfd")) == NULL)
		return;
	json_kstr(j, "peer", p->conf->name);
	json_kstr(j, "address", a);
	json_kstr(j, "from", bfd_state_str(b->prev_state));
	json_kstr(j, "to", bfd_state_str(b->state));
	json_kstr(j, "diag", bfd_diag_str(b->local_diag));
	json_kstr(j, "remote", bfd_state_str(b->remote_state));
	json_kbool(j, "bgpClosed", teardown);
	jline_end(&l, p->s);
}

void
speaker_bfd_change(struct peer *p)
{
	const struct bfd_session *b = &p->bfd;
	bool teardown = b->prev_state == BFD_UP && b->state == BFD_DOWN &&
	    b->remote_state != BFD_ADMIN_DOWN && p->state >= ST_OPENSENT;
	char why[128];

	bfd_log(p, teardown);
	if (!teardown)
		return;
	snprintf(why, sizeof(why), "BFD down: %s", bfd_diag_str(b->local_diag));
	fsm_cease(p, BGP_CEASE_BFD_DOWN, NULL);
	snprintf(p->last_error, sizeof(p->last_error), "%s; sent NOTIFICATION "
	    "Cease / BFD Down (RFC 9384)", why);
}

uint64_t
speaker_established(const struct speaker *s)
{
	uint64_t m = 0;
	unsigned i;

	for (i = 0; i < s->npeers; i++)
		if (s->peers[i].state == ST_ESTABLISHED)
			m |= rib_peer_bit(&s->peers[i]);
	return m;
}

static void
queue_all(struct rib_entry *e, void *arg)
{
	struct peer *p = arg;

	rib_queue_export(&p->s->rib, e, rib_peer_bit(p));
}

/* Forget that the peer was sent anything (its session restarts). */
static void
unadvertise(struct rib_entry *e, void *arg)
{
	struct peer *p = arg;

	e->adv &= ~rib_peer_bit(p);
}

static void
forget_sent(struct peer *p)
{
	rib_foreach(&p->s->rib, unadvertise, p);
	p->nadvertised = 0;
}

/*
 * The path of `peer` on e is about to change. If the last export came from
 * that path, what the peers hold is no longer what export would send.
 */
static void
path_changes(struct rib_entry *e, const struct peer *peer)
{
	if (e->xsrc == rib_xsrc(peer))
		e->xvalid = false;
}

void
speaker_peer_up(struct peer *p)
{
	p->up_since = mono_ms();
	p->eor_rcvd = p->eor_sent = false;
	p->last_error[0] = '\0';
	forget_sent(p);
	p->sync_pending = true;
	rib_foreach(&p->s->rib, queue_all, p);
}

struct drop_arg {
	struct peer	*p;
	struct rib	*rib;
};

static void
drop_paths(struct rib_entry *e, void *arg)
{
	struct drop_arg *d = arg;

	path_changes(e, d->p);
	rib_del_path(d->rib, e, d->p);
}

void
speaker_peer_down(struct peer *p)
{
	struct drop_arg d = { p, &p->s->rib };

	p->flaps++;
	p->up_since = 0;
	rib_foreach(&p->s->rib, drop_paths, &d);
	p->nroutes = 0;
	forget_sent(p);
	p->sync_pending = false;
	p->codec.as4 = false;
}

void
speaker_route_refresh(struct peer *p, uint16_t afi, uint8_t safi)
{
	p->refresh_in++;
	/* RFC 2918 4: a family we did not advertise is ignored */
	if (afi != BGP_AFI_IPV4 || safi != BGP_SAFI_UNICAST) {
		speaker_log(p->s, "peer %s: ROUTE-REFRESH for AFI %u SAFI %u "
		    "ignored", p->conf->name, afi, safi);
		return;
	}
	/* RFC 2918 4: answer with the whole Adj-RIB-Out again. */
	forget_sent(p);
	rib_foreach(&p->s->rib, queue_all, p);
}

const char *
speaker_refresh(struct peer *p)
{
	uint8_t msg[BGP_RR_LEN];
	struct wbuf w;

	if (p->state != ST_ESTABLISHED)
		return "skipped: not Established";
	if (!p->remote_rr) {
		/* RFC 2918 3: not allowed to send it; RS-44: hard reset */
		speaker_log(p->s, "peer %s: no route refresh capability: session "
		    "reset (RS-44)", p->conf->name);
		fsm_cease(p, BGP_CEASE_CONFIG, NULL);
		snprintf(p->last_error, sizeof(p->last_error), "reset for route "
		    "refresh: peer lacks the capability (RS-44)");
		return "reset: no route refresh capability (RS-44)";
	}
	wbuf_init(&w, msg, sizeof(msg));
	if (bgp_build_route_refresh(&w, BGP_AFI_IPV4, BGP_SAFI_UNICAST) == -1)
		return "error: cannot build ROUTE-REFRESH";
	session_send(p, msg, w.len);
	p->refresh_out++;
	speaker_log(p->s, "peer %s: sent ROUTE-REFRESH (RFC 2918)", p->conf->name);
	return "sent";
}

static int
route_limit_hit(struct peer *p, size_t incoming)
{
	unsigned limit = p->conf->route_limit;
	/* RFC 4486 4: AFI, SAFI, the upper bound */
	uint8_t data[7] = { 0, BGP_AFI_IPV4, BGP_SAFI_UNICAST,
	    (uint8_t)(limit >> 24), (uint8_t)(limit >> 16), (uint8_t)(limit >> 8),
	    (uint8_t)limit };

	/* RS-40: routes held plus routes in this UPDATE, duplicates counted. */
	if (limit == 0 || p->nroutes + incoming <= limit)
		return 0;
	session_send_notify(p, BGP_ERR_CEASE, BGP_CEASE_MAXPFX, data,
	    sizeof(data));
	snprintf(p->last_error, sizeof(p->last_error),
	    "route limit: %zu held + %zu in UPDATE > %u (RS-40)", p->nroutes,
	    incoming, limit);
	speaker_log(p->s, "peer %s: %s", p->conf->name, p->last_error);
	fsm_limit_reset(p);
	return -1;
}

/* The peer withdraws its path to pfx, if it had one. */
static void
withdraw(struct peer *p, const struct pfx4 *pfx)
{
	struct rib_entry *e = rib_lookup(&p->s->rib, pfx);

	if (e == NULL || rib_path_find(e, p) == NULL)
		return;
	path_changes(e, p);
	rib_del_path(&p->s->rib, e, p);
	p->nroutes--;
}

#define PREFETCH_DIST	8	/* prefixes between the prefetch stages */

/* The RIB entries of v[i + 1 ...] are fetched while v[i] is handled. */
static void
prefetch_ahead(struct rib *rib, const struct pfx4 *v, size_t n, size_t i)
{
	int stage;

	for (stage = 0; stage < 3; stage++) {
		size_t k = i + (size_t)(3 - stage) * PREFETCH_DIST;

		if (k < n)
			rib_prefetch(rib, &v[k], stage);
	}
}

int
speaker_update(struct peer *p, struct bgp_update *u)
{
	struct rib *rib = &p->s->rib;
	const struct bgp_attrs *ia;
	struct rib_entry *e;
	const char *why;
	size_t i;

	for (i = 0; i < u->nwithdrawn; i++) {
		prefetch_ahead(rib, u->withdrawn, u->nwithdrawn, i);
		withdraw(p, &u->withdrawn[i]);
	}
	if (u->treat_as_withdraw) {
		/* RFC 7606 2: the NLRI are handled as withdrawn. */
		speaker_log(p->s, "peer %s: malformed attribute, %zu NLRI treated "
		    "as withdrawn (RFC 7606)", p->conf->name, u->nnlri);
		for (i = 0; i < u->nnlri; i++)
			withdraw(p, &u->nlri[i]);
		return 0;
	}
	if (u->nnlri > 0 && (why = bgp_update_check_peer(&u->attrs,
	    p->s->conf->asn, p->conf->asn, p->s->conf->local_addr,
	    p->codec.as4)) != NULL) {
		/* RFC 4271 6.3, RFC 7606 2: routes withdrawn, session kept */
		speaker_log(p->s, "peer %s: %zu NLRI treated as withdrawn: %s",
		    p->conf->name, u->nnlri, why);
		for (i = 0; i < u->nnlri; i++)
			withdraw(p, &u->nlri[i]);
		return 0;
	}
	if (u->ipv6_reach && p->s->conf->role == BGP_ROLE_RS)
		speaker_log(p->s, "peer %s: %u IPv6 prefixes ignored: Route Server "
		    "is IPv4-only (RS-26)", p->conf->name, u->ipv6_reach);
	if (u->eor)
		p->eor_rcvd = true;
	if (route_limit_hit(p, u->nnlri) == -1)
		return -1;
	if (u->nnlri == 0)
		return 0;
	why = policy_import(p->s, p, &u->attrs);
	/* one interned copy for all of the UPDATE's NLRI */
	ia = rib_attrs_get(rib, &u->attrs);
	for (i = 0; i < u->nnlri; i++) {
		prefetch_ahead(rib, u->nlri, u->nnlri, i);
		e = rib_get(rib, &u->nlri[i]);
		if (rib_path_find(e, p) == NULL)
			p->nroutes++;
		path_changes(e, p);
		rib_set_path_shared(rib, e, p, ia, why != NULL ? why :
		    policy_import_pfx(p->s, p, &u->nlri[i]));
	}
	rib_attrs_put(rib, ia);
	return 0;
}

static void
originate_one(struct speaker *s, const struct pfx4 *p)
{
	const struct bgp_conf *c = s->conf;
	struct bgp_attrs a;

	const struct bgp_orig_pol *pol = bgp_conf_orig_pol(c, p);
	size_t ncomm = c->norig_comm + (pol != NULL ? pol->ncomm : 0);

	bgp_attrs_init(&a);
	a.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) |
	    BGP_ATTR_BIT(BGP_ATTR_AS_PATH) | BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
	a.origin = BGP_ORIGIN_IGP;
	a.nexthop = c->orig_nexthop ? c->orig_nexthop : c->local_addr;
	if (ncomm > 0) {
		/* the speaker's communities, then the route's own */
		a.comm = xcalloc(ncomm, sizeof(*a.comm));
		if (c->norig_comm > 0)
			memcpy(a.comm, c->orig_comm,
			    c->norig_comm * sizeof(*a.comm));
		if (pol != NULL && pol->ncomm > 0)
			memcpy(a.comm + c->norig_comm, pol->comm,
			    pol->ncomm * sizeof(*a.comm));
		a.ncomm = (uint16_t)ncomm;
		a.present |= BGP_ATTR_BIT(BGP_ATTR_COMMUNITIES);
	}
	if (pol != NULL && pol->has_med) {
		a.med = pol->med;
		a.present |= BGP_ATTR_BIT(BGP_ATTR_MED);
	}
	rib_set_path(&s->rib, rib_get(&s->rib, p), NULL, &a, NULL);
	bgp_attrs_free(&a);
}

static void
originate(struct speaker *s)
{
	size_t i;

	for (i = 0; i < s->conf->noriginate; i++)
		originate_one(s, &s->conf->originate[i]);
}

const char *
speaker_originate(struct speaker *s, const struct pfx4 *p, bool on)
{
	struct rib_entry *e = rib_lookup(&s->rib, p);
	char pf[PFX_STRLEN];

	pfx_fmt(p, pf);
	if (on) {
		if (e != NULL && rib_path_find(e, NULL) != NULL)
			return "already announced";
		originate_one(s, p);
		speaker_log(s, "announce %s", pf);
		return "announced";
	}
	if (e == NULL || !rib_del_path(&s->rib, e, NULL))
		return "not announced";
	speaker_log(s, "withdraw %s", pf);
	return "withdrawn";
}

static void
requeue_local(struct rib_entry *e, void *arg)
{
	struct speaker *s = arg;

	/* what we sent for our own path no longer holds: export it again */
	if (rib_path_find(e, NULL) != NULL) {
		e->xvalid = false;
		rib_queue_export(&s->rib, e, speaker_established(s));
	}
}

/* A new prepend count for what this speaker originates (a drill's change). */
const char *
speaker_set_prepend(struct speaker *s, unsigned n)
{
	if (n > BGP_MAX_PREPEND)
		return "refused: too many prepends";
	s->prepend = n;
	rib_foreach(&s->rib, requeue_local, s);
	speaker_log(s, "prepend %u on originated routes", n);
	return "prepend set";
}

const char *
speaker_admin(struct peer *p, bool down)
{
	if (down == p->admin_down && (down || p->t_limit_hold == 0))
		return down ? "already disabled" : "already enabled";
	p->admin_down = down;
	/* an operator's enable also ends a route limit's hold-down */
	p->t_limit_hold = 0;
	p->nlimit = 0;
	speaker_log(p->s, "peer %s: administratively %s", p->conf->name,
	    down ? "disabled" : "enabled");
	bfdsock_admin(p, down);
	fsm_event(p, down ? EV_STOP : EV_START, NULL);
	if (down)
		p->t_connect_retry = 0;
	return down ? "disabled" : "enabled";
}

static uint64_t
next_deadline(const struct speaker *s)
{
	uint64_t t = bfdsock_next(s), r = ratelim_deadline(&s->refused);
	unsigned i;

	if (r != 0 && (t == 0 || r < t))
		t = r;

	for (i = 0; i < s->npeers; i++) {
		const struct peer *p = &s->peers[i];
		uint64_t d[5] = { p->t_connect_retry, p->t_hold, p->t_keepalive,
		    p->t_collision, ratelim_deadline(&p->malformed) };
		unsigned k;

		for (k = 0; k < NELEM(d); k++)
			if (d[k] && (t == 0 || d[k] < t))
				t = d[k];
	}
	return t;
}

static void
run_timers(struct speaker *s)
{
	uint64_t now = mono_ms();
	unsigned i;

	bfdsock_run(s);
	session_refused_due(s, now);
	for (i = 0; i < s->npeers; i++) {
		struct peer *p = &s->peers[i];

		session_malformed_due(p, now);
		if (p->t_hold && p->t_hold <= now) {
			p->t_hold = 0;
			fsm_event(p, EV_HOLD_EXPIRES, NULL);
		}
		if (p->t_keepalive && p->t_keepalive <= now) {
			p->t_keepalive = 0;
			fsm_event(p, EV_KEEPALIVE_EXPIRES, NULL);
		}
		if (p->t_connect_retry && p->t_connect_retry <= now) {
			p->t_connect_retry = 0;
			fsm_event(p, EV_CONNECT_RETRY_EXPIRES, NULL);
		}
		if (p->t_collision && p->t_collision <= now) {
			speaker_log(s, "peer %s: no OPEN on the second connection",
			    p->conf->name);
			session_collision_close(p);
		}
	}
}

static void
peer_io(struct peer *p, short revents)
{
	if (p->state == ST_CONNECT && p->outgoing) {
		if (revents & (POLLOUT | POLLERR | POLLHUP))
			session_connect_done(p);
		return;
	}
	if (revents & POLLOUT && session_flush(p) == -1) {
		snprintf(p->last_error, sizeof(p->last_error), "write: %s",
		    strerror(errno));
		fsm_event(p, EV_TCP_FAILS, NULL);
		return;
	}
	if (revents & (POLLIN | POLLHUP | POLLERR) || session_pending(p))
		session_read(p, READ_BUDGET);
}

void
speaker_init(struct speaker *s, const struct bgp_conf *c)
{
	unsigned i;

	memset(s, 0, sizeof(*s));
	s->conf = c;
	s->prepend = c->prepend;
	s->lfd = -1;
	s->bfd_rfd = -1;
	s->started = mono_ms();
	ratelim_init(&s->refused, RATELIM_REFUSED_BURST,
	    RATELIM_REFUSED_INTERVAL_MS);
	rib_init(&s->rib);
	s->npeers = c->npeers;
	for (i = 0; i < c->npeers; i++) {
		s->peers[i].s = s;
		s->peers[i].conf = &c->peers[i];
		s->peers[i].idx = i;
		s->peers[i].fd = -1;
		s->peers[i].cfd = -1;
		s->peers[i].bfd_fd = -1;
		ratelim_init(&s->peers[i].malformed, RATELIM_MALFORMED_BURST,
		    RATELIM_MALFORMED_INTERVAL_MS);
	}
	originate(s);
}

/* RFC 4271 8.1.2 ManualStop for every session: Cease with RFC 8203 text. */
static void
speaker_stop(struct speaker *s)
{
	unsigned i;

	for (i = 0; i < s->npeers; i++) {
		/* RFC 5882 3.2: going away on purpose is no path failure */
		bfdsock_admin(&s->peers[i], true);
		if (s->peers[i].state >= ST_OPENSENT)
			fsm_event(&s->peers[i], EV_STOP, NULL);
	}
}

void
speaker_fini(struct speaker *s)
{
	unsigned i;

	for (i = 0; i < s->npeers; i++) {
		struct peer *p = &s->peers[i];

		session_close(p);
		session_collision_close(p);
		free(p->rbuf);
		free(p->obuf);
		free(p->cbuf);
	}
	if (s->lfd != -1)
		close(s->lfd);
	bfdsock_close(s);
	ctl_close(s->ctl);
	rib_free(&s->rib);
}

/*
 * When there is nothing to read, memory the RIB no longer needs goes back
 * to the kernel (rib_trim: empty slab chunks, buckets); once the RIB has
 * shrunk by TRIM_AFTER entries (a peer flapped or withdrew a table), what
 * malloc holds free goes back too. So a route server under churn returns
 * to its size, and a withdrawal is not slowed by handing memory back in
 * its middle. The peak is followed every round: a burst that comes and
 * goes between two quiet moments still counts. Once the RIB has grown by
 * TRIM_AFTER entries (a full table arrived), malloc's free memory goes back
 * after GROW_QUIET_MS with nothing read: what reading and sending the
 * table took (2 MiB of the 6 MiB of a lab NVA's speaker at 10,000 routes;
 * bench/RESULTS.md, issue 23), without a trim between two UPDATEs of it.
 */
#define TRIM_AFTER	1000
#define GROW_QUIET_MS	1000

static void
track_peak(struct speaker *s)
{
	if (s->rib.count > s->rib_peak)
		s->rib_peak = s->rib.count;
	if (s->rib.count < s->rib_trimmed)
		s->rib_trimmed = s->rib.count;
	if (s->grow_trim == 0 && s->rib.count >= s->rib_trimmed + TRIM_AFTER)
		s->grow_trim = mono_ms() + GROW_QUIET_MS;
}

static void
trim_memory(struct speaker *s)
{
	rib_trim(&s->rib);
	if (s->rib_peak - s->rib.count >= TRIM_AFTER ||
	    (s->grow_trim != 0 && mono_ms() >= s->grow_trim)) {
		malloc_trim(0);
		s->rib_peak = s->rib_trimmed = s->rib.count;
		s->grow_trim = 0;
	}
}

/*
 * A peer whose output queue reached its cap (it does not read, or reads far
 * slower than routes change) is closed with Cease / Out of Resources
 * (RFC 4486 3, subcode 8), after the export pass that filled it; its queue
 * is freed with the session. The other peers are not touched.
 */
static void
close_overflowed(struct speaker *s)
{
	unsigned i;

	for (i = 0; i < s->npeers; i++) {
		struct peer *p = &s->peers[i];

		if (!p->oflow || p->fd == -1)
			continue;
		speaker_log(s, "peer %s: output queue full (%zu bytes unsent, cap "
		    "%zu): the peer does not read; closing the session (Cease / "
		    "Out of Resources, RFC 4486)", p->conf->name,
		    p->olen - p->ooff, session_outq_max(p));
		session_drop_queue(p);
		fsm_cease(p, BGP_CEASE_RESOURCES, "output queue full");
		p->oflow = false;
	}
}

static void
loop_once(struct speaker *s)
{
	struct pollfd pfd[MAX_POLLFDS];
	struct peer *owner[MAX_POLLFDS];
	size_t n = 0, nctl, i, first;
	uint64_t dl, now;
	int timeout = -1, ctlt, ready;

	export_pass(s);
	close_overflowed(s);
	track_peak(s);
	pfd[n] = (struct pollfd){ .fd = s->lfd, .events = POLLIN };
	owner[n++] = NULL;
	/* BFD's socket, when there is one, at 1 (-1 is ignored by poll) */
	pfd[n] = (struct pollfd){ .fd = s->bfd_rfd, .events = POLLIN };
	owner[n++] = NULL;
	first = n;
	for (i = 0; i < s->npeers; i++) {
		struct peer *p = &s->peers[i];

		if (p->cfd != -1) {
			pfd[n] = (struct pollfd){ .fd = p->cfd, .events = POLLIN };
			owner[n++] = p;
		}
		if (p->fd == -1)
			continue;
		pfd[n] = (struct pollfd){ .fd = p->fd, .events = POLLIN };
		if (p->olen > p->ooff || (p->state == ST_CONNECT && p->outgoing))
			pfd[n].events |= POLLOUT;
		if (session_pending(p))
			timeout = 0;
		owner[n++] = p;
	}
	nctl = ctl_pollfds(s->ctl, pfd + n, MAX_POLLFDS - n);
	if (timeout != 0 && (dl = next_deadline(s)) != 0) {
		now = mono_ms();
		timeout = dl <= now ? 0 : (int)(dl - now);
	}
	if ((ctlt = ctl_timeout(s->ctl)) != -1 &&
	    (timeout == -1 || ctlt < timeout))
		timeout = ctlt;
	/* nothing buffered and nothing arrived: a quiet moment to trim */
	ready = poll(pfd, n + nctl, 0);
	if (ready == 0 && timeout != 0) {
		trim_memory(s);
		if (s->grow_trim != 0) {
			now = mono_ms();
			ctlt = s->grow_trim <= now ? 1 : (int)(s->grow_trim - now);
			if (timeout == -1 || ctlt < timeout)
				timeout = ctlt;
		}
		ready = poll(pfd, n + nctl, timeout);
	}
	/* something arrived: the quiet a trim after growth waits for starts again */
	if (ready > 0 && s->grow_trim != 0)
		s->grow_trim = mono_ms() + GROW_QUIET_MS;
	if (ready == -1 && errno != EINTR)
		die("poll: %s", strerror(errno));
	if (pfd[0].revents & POLLIN)
		session_accept(s);
	if (pfd[1].revents & POLLIN)
		bfdsock_read(s);
	for (i = first; i < n; i++) {
		if (pfd[i].revents == 0 && !session_pending(owner[i]))
			continue;
		if (owner[i]->fd == pfd[i].fd)
			peer_io(owner[i], pfd[i].revents);
		else if (owner[i]->cfd == pfd[i].fd && pfd[i].revents != 0)
			session_collision_read(owner[i]);
	}
	ctl_handle(s->ctl, pfd + n, nctl);
	run_timers(s);
}

int
bgp_speaker_run(const struct bgp_conf *c)
{
	struct speaker *s = xcalloc(1, sizeof(*s));
	struct sigaction sa;
	unsigned i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	speaker_init(s, c);
	if (session_listen(s) == -1)
		goto fail;
	(void)bfdsock_open(s);	/* without it BGP still runs: logged */
	if (c->ctl_path[0] != '\0' && (s->ctl = ctl_open(s, c->ctl_path)) == NULL)
		goto fail;
	speaker_log(s, "started: AS %u, id %s, %u peers, %zu prefixes originated",
	    c->asn, addr_fmt(c->bgp_id, (char[ADDR_STRLEN]){0}), c->npeers,
	    c->noriginate);
	for (i = 0; i < s->npeers; i++)
		fsm_event(&s->peers[i], EV_START, NULL);
	while (!quit_signal)
		loop_once(s);
	speaker_log(s, "stopping on signal %d", (int)quit_signal);
	speaker_stop(s);
	speaker_fini(s);
	free(s);
	return 0;
fail:
	speaker_fini(s);
	free(s);
	return -1;
}
