/*
 * speaker: one BGP speaker process. The poll loop, the hooks the FSM calls
 * (peer up, peer down, UPDATE received), the decision pass over changed
 * prefixes, and the export pass that turns Loc-RIB changes into UPDATEs
 * (withdrawals first, then announcements grouped by identical attributes).
 *
 * Work per pass is bounded: each peer reads at most READ_BUDGET messages, so
 * one peer flooding UPDATEs cannot starve the keepalives of the others.
 *
 * Must not: parse bytes (msg.c), choose paths (decide.c), judge routes
 * (rs.c), or reach the kernel except through conf->fib.
 */
#include <sys/socket.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../lib/util.h"
#include "bgpd.h"

#define READ_BUDGET	64
#define BGP_MAX_PREPEND	32	/* a run-time prepend change, at most */
#define LOG_LINE_MAX	512
#define BATCH_FLUSH	4096	/* prefixes queued for one peer */
#define MAX_POLLFDS	(2 * BGP_MAX_PEERS + 2 + 64)

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

/* A JSON string body: quotes, backslashes and controls escaped. */
static size_t
json_esc(char *out, size_t len, const char *in)
{
	size_t k = 0;

	for (; *in != '\0' && k + 7 < len; in++) {
		unsigned char c = (unsigned char)*in;

		if (c == '"' || c == '\\') {
			out[k++] = '\\';
			out[k++] = (char)c;
		} else if (c < 0x20)
			k += (size_t)snprintf(out + k, len - k, "\\u%04x", c);
		else
			out[k++] = (char)c;
	}
	out[k] = '\0';
	return k;
}

static void
log_write(const struct speaker *s, const char *line)
{
	(void)!write(s->conf->log_fd >= 0 ? s->conf->log_fd : 2, line,
	    strlen(line));
}

/* JSON lines start with the wall-clock time and the speaker's name. */
static int
json_head(const struct speaker *s, char *line, size_t len, const char *event)
{
	char ts[32], name[2 * BGP_NAME_MAX];
	struct timespec now;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	json_esc(name, sizeof(name), s->conf->name);
	return snprintf(line, len, "{\"time\":\"%s.%03ldZ\",\"speaker\":\"%s\","
	    "\"event\":\"%s\"", ts, now.tv_nsec / 1000000, name, event);
}

void
speaker_log(const struct speaker *s, const char *fmt, ...)
{
	char msg[LOG_LINE_MAX], line[2 * LOG_LINE_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (s->conf->log_json) {
		n = json_head(s, line, sizeof(line), "log");
		n += snprintf(line + n, sizeof(line) - (size_t)n, ",\"msg\":\"");
		n += (int)json_esc(line + n, sizeof(line) - (size_t)n - 3, msg);
		snprintf(line + n, sizeof(line) - (size_t)n, "\"}\n");
	} else
		snprintf(line, sizeof(line), "%llu %s: %s\n",
		    (unsigned long long)mono_ms(), s->conf->name, msg);
	log_write(s, line);
}

void
speaker_log_state(const struct peer *p, enum peer_state from,
    enum peer_state to, const char *cause)
{
	char line[2 * LOG_LINE_MAX], name[2 * BGP_NAME_MAX], err[400];
	char a[ADDR_STRLEN];
	int n;

	addr_fmt(p->conf->addr, a);
	if (!p->s->conf->log_json) {
		speaker_log(p->s, "peer %s (%s): %s -> %s on %s", p->conf->name, a,
		    fsm_state_str(from), fsm_state_str(to), cause);
		return;
	}
	json_esc(name, sizeof(name), p->conf->name);
	json_esc(err, sizeof(err), p->last_error);
	n = json_head(p->s, line, sizeof(line), "state");
	snprintf(line + n, sizeof(line) - (size_t)n, ",\"peer\":\"%s\","
	    "\"address\":\"%s\",\"asn\":%u,\"from\":\"%s\",\"to\":\"%s\","
	    "\"cause\":\"%s\",\"lastError\":\"%s\"}\n", name, a, p->conf->asn,
	    fsm_state_str(from), fsm_state_str(to), cause, err);
	log_write(p->s, line);
}

static uint64_t
peer_bit(const struct peer *p)
{
	return 1ull << p->idx;
}

static uint64_t
established_mask(const struct speaker *s)
{
	uint64_t m = 0;
	unsigned i;

	for (i = 0; i < s->npeers; i++)
		if (s->peers[i].state == ST_ESTABLISHED)
			m |= peer_bit(&s->peers[i]);
	return m;
}

static void
queue_all(struct rib_entry *e, void *arg)
{
	struct peer *p = arg;

	rib_queue_export(&p->s->rib, e, peer_bit(p));
}

/* Forget that the peer was sent anything (its session restarts). */
static void
unadvertise(struct rib_entry *e, void *arg)
{
	struct peer *p = arg;

	e->adv &= ~peer_bit(p);
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
	if (e->xsrc == peer)
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
	fsm_event(p, EV_UPDATE_ERR, NULL);
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

int
speaker_update(struct peer *p, struct bgp_update *u)
{
	struct rib *rib = &p->s->rib;
	struct rib_entry *e;
	const char *why;
	size_t i;

	for (i = 0; i < u->nwithdrawn; i++)
		withdraw(p, &u->withdrawn[i]);
	if (u->treat_as_withdraw) {
		/* RFC 7606 2: the NLRI are handled as withdrawn. */
		speaker_log(p->s, "peer %s: malformed attribute, %zu NLRI treated "
		    "as withdrawn (RFC 7606)", p->conf->name, u->nnlri);
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
	why = u->nnlri > 0 ? policy_import(p->s, p, &u->attrs) : NULL;
	for (i = 0; i < u->nnlri; i++) {
		struct bgp_attrs a;

		bgp_attrs_copy(&a, &u->attrs);
		e = rib_get(rib, &u->nlri[i]);
		if (rib_path_find(e, p) == NULL)
			p->nroutes++;
		path_changes(e, p);
		rib_set_path(rib, e, p, &a, why);
	}
	return 0;
}

static void
originate_one(struct speaker *s, const struct pfx4 *p)
{
	const struct bgp_conf *c = s->conf;
	struct bgp_attrs a;

	bgp_attrs_init(&a);
	a.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) |
	    BGP_ATTR_BIT(BGP_ATTR_AS_PATH) | BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
	a.origin = BGP_ORIGIN_IGP;
	a.nexthop = c->orig_nexthop ? c->orig_nexthop : c->local_addr;
	if (c->norig_comm) {
		a.comm = xcalloc(c->norig_comm, sizeof(*a.comm));
		memcpy(a.comm, c->orig_comm, c->norig_comm * sizeof(*a.comm));
		a.ncomm = (uint16_t)c->norig_comm;
		a.present |= BGP_ATTR_BIT(BGP_ATTR_COMMUNITIES);
	}
	rib_set_path(&s->rib, rib_get(&s->rib, p), NULL, &a, NULL);
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
		rib_queue_export(&s->rib, e, established_mask(s));
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
	if (down == p->admin_down)
		return down ? "already disabled" : "already enabled";
	p->admin_down = down;
	speaker_log(p->s, "peer %s: administratively %s", p->conf->name,
	    down ? "disabled" : "enabled");
	fsm_event(p, down ? EV_STOP : EV_START, NULL);
	if (down)
		p->t_connect_retry = 0;
	return down ? "disabled" : "enabled";
}

/* One next hop lives in the entry; more in an array of their own. */
static void
set_fib_nh(struct rib_entry *e, const uint32_t *nh, unsigned nnh)
{
	if (e->fib_nnh > 1)
		free(e->fib_nh.many);
	e->fib_nh.many = NULL;
	if (nnh == 1)
		e->fib_nh.one = nh[0];
	else if (nnh > 1) {
		e->fib_nh.many = xcalloc(nnh, sizeof(nh[0]));
		memcpy(e->fib_nh.many, nh, nnh * sizeof(nh[0]));
	}
	e->fib_nnh = (uint8_t)nnh;
}

/* Decision pass: every changed prefix, once. */
static void
run_decisions(struct speaker *s)
{
	const struct bgp_fib_ops *fib = s->conf->fib;
	struct rib_entry *e, *next;
	struct decision d;
	bool changed_fib = false;
	uint64_t peers = established_mask(s);

	for (e = s->rib.dirty, s->rib.dirty = NULL; e != NULL; e = next) {
		next = e->dnext;
		e->dirty = false;
		decide(s, e, &d);
		if (d.nnh != e->fib_nnh || d.hops != e->fib_hops ||
		    (d.nnh > 0 && memcmp(d.nh, rib_fib_nh(e),
		    d.nnh * sizeof(d.nh[0])) != 0)) {
			set_fib_nh(e, d.nh, d.nnh);
			e->fib_hops = (uint16_t)d.hops;
			if (fib != NULL && fib->change != NULL)
				fib->change(fib->arg, &e->pfx, d.nh, d.nnh, d.hops);
			ctl_fib_change(s->ctl, &e->pfx, d.nh, d.nnh, d.hops);
			changed_fib = true;
		}
		/* Attributes can change without the best path changing. */
		e->best = d.best;
		rib_queue_export(&s->rib, e, peers);
		rib_gc(&s->rib, e);
	}
	if (changed_fib) {
		if (fib != NULL && fib->flush != NULL)
			fib->flush(fib->arg);
		ctl_fib_flush(s->ctl);
	}
}

struct out_group {
	struct bgp_attrs	 attrs;
	struct pfx4		*nlri;
	size_t			 n, cap;
};

/* One peer's UPDATEs in the making during an export pass. */
struct out_batch {
	struct pfx4		*wd;
	size_t			 nwd, wdcap;
	struct out_group	*g;
	size_t			 ng, gcap;
	size_t			 queued;	/* prefixes in wd and g */
	long			 last;	/* group the previous entry went to; -1 */
};

/* Returns the group that now holds p. */
static size_t
batch_announce(struct out_batch *b, const struct pfx4 *p,
    struct bgp_attrs *a)
{
	struct out_group *g = NULL;
	size_t i;

	for (i = 0; i < b->ng; i++)
		if (bgp_attrs_equal(&b->g[i].attrs, a)) {
			g = &b->g[i];
			break;
		}
	if (g == NULL) {
		xgrow(&b->g, &b->gcap, b->ng + 1, sizeof(*b->g));
		g = &b->g[b->ng++];
		memset(g, 0, sizeof(*g));
		g->attrs = *a;
		bgp_attrs_init(a);
	} else
		bgp_attrs_free(a);
	xgrow(&g->nlri, &g->cap, g->n + 1, sizeof(*g->nlri));
	g->nlri[g->n++] = *p;
	b->queued++;
	return (size_t)(g - b->g);
}

/* The peer holds exactly what exporting e's best path would send it. */
static bool
in_sync(const struct rib_entry *e, const struct peer *p)
{
	return (e->adv & peer_bit(p)) && e->xvalid && e->best != NULL &&
	    e->best->peer == e->xsrc;
}

/*
 * same_as_prev: e's best path has the source and the attributes of the
 * previous entry's, so export policy (a function of the receiving peer and
 * the best path's source and attributes, rs.c) gives what it gave then,
 * and the prefix joins that group without policy being asked again. This
 * is what makes a table of thousands of routes from a few peers cheap.
 */
static void
export_one(struct speaker *s, struct peer *p, struct rib_entry *e,
    struct out_batch *b, bool same_as_prev)
{
	uint64_t bit = peer_bit(p);
	struct out_group *g;
	struct bgp_attrs a;
	long last = b->last;

	b->last = -1;
	if (in_sync(e, p))
		return;
	if (same_as_prev && last >= 0) {
		g = &b->g[last];
		xgrow(&g->nlri, &g->cap, g->n + 1, sizeof(*g->nlri));
		g->nlri[g->n++] = e->pfx;
		b->queued++;
		b->last = last;
		goto announced;
	}
	/* no best path: nothing to export, only a withdrawal to send */
	if (e->best != NULL) {
		bgp_attrs_init(&a);
		if (policy_export(s, p, e, &a)) {
			b->last = (long)batch_announce(b, &e->pfx, &a);
			goto announced;
		}
		bgp_attrs_free(&a);
	}
	if (!(e->adv & bit))
		return;
	e->adv &= ~bit;
	p->nadvertised--;
	xgrow(&b->wd, &b->wdcap, b->nwd + 1, sizeof(*b->wd));
	b->wd[b->nwd++] = e->pfx;
	b->queued++;
	return;
announced:
	if (!(e->adv & bit))
		p->nadvertised++;
	e->adv |= bit;
}

static void
send_updates(struct peer *p, const struct pfx4 *wd, size_t nwd,
    const struct bgp_attrs *a, const struct pfx4 *nlri, size_t nnlri)
{
	uint8_t msg[BGP_MAX_LEN];
	struct wbuf w;
	size_t dw, dn;

	while (nwd > 0 || nnlri > 0) {
		wbuf_init(&w, msg, sizeof(msg));
		if (bgp_build_update(&p->codec, &w, wd, nwd, &dw, a, nlri,
		    nnlri, &dn) == -1 || (dw == 0 && dn == 0)) {
			speaker_log(p->s, "peer %s: UPDATE does not fit",
			    p->conf->name);
			return;
		}
		session_send(p, msg, w.len);
		p->updates_out++;
		wd += dw;
		nwd -= dw;
		nlri += dn;
		nnlri -= dn;
	}
}

static void
flush_batch(struct peer *p, struct out_batch *b)
{
	size_t i;

	/* Withdrawals before announcements. */
	if (b->nwd > 0)
		send_updates(p, b->wd, b->nwd, NULL, NULL, 0);
	for (i = 0; i < b->ng; i++) {
		send_updates(p, NULL, 0, &b->g[i].attrs, b->g[i].nlri, b->g[i].n);
		bgp_attrs_free(&b->g[i].attrs);
		free(b->g[i].nlri);
	}
	free(b->wd);
	free(b->g);
	memset(b, 0, sizeof(*b));
	b->last = -1;
}

/* Nothing queued for a peer whose session went down. */
static void
drop_batch(struct out_batch *b)
{
	size_t k;

	for (k = 0; k < b->ng; k++) {
		bgp_attrs_free(&b->g[k].attrs);
		free(b->g[k].nlri);
	}
	free(b->wd);
	free(b->g);
	memset(b, 0, sizeof(*b));
	b->last = -1;
}

static bool
same_export(const struct rib_path *prev, const struct rib_path *cur)
{
	return prev != NULL && cur != NULL && prev->peer == cur->peer &&
	    bgp_attrs_equal(&prev->attrs, &cur->attrs);
}

static void
send_eor(struct peer *p)
{
	uint8_t msg[BGP_UPDATE_MIN_LEN];
	struct wbuf w;
	size_t dw, dn;

	wbuf_init(&w, msg, sizeof(msg));
	if (bgp_build_update(&p->codec, &w, NULL, 0, &dw, NULL, NULL, 0,
	    &dn) == 0)
		session_send(p, msg, w.len);
	p->eor_sent = true;
}

static void
run_exports(struct speaker *s)
{
	struct out_batch b[BGP_MAX_PEERS];
	struct rib_entry *e, *next;
	const struct rib_path *prev = NULL;
	unsigned i;

	memset(b, 0, sizeof(b));
	for (i = 0; i < s->npeers; i++)
		b[i].last = -1;
	for (e = s->rib.xhead, s->rib.xhead = NULL, s->rib.xtail = &s->rib.xhead;
	    e != NULL; e = next) {
		bool same = same_export(prev, e->best);

		next = e->xnext;
		e->queued = false;
		for (i = 0; i < s->npeers; i++) {
			struct peer *p = &s->peers[i];

			if (!(e->pending & peer_bit(p)) || p->state != ST_ESTABLISHED) {
				b[i].last = -1;
				continue;
			}
			export_one(s, p, e, &b[i], same);
			/* bounded memory, and the first UPDATEs leave early */
			if (b[i].queued >= BATCH_FLUSH)
				flush_batch(p, &b[i]);
		}
		/* every peer holding the prefix now has this export */
		e->xsrc = e->best != NULL ? e->best->peer : NULL;
		e->xvalid = e->best != NULL;
		e->pending = 0;
		prev = e->best;
		rib_gc(&s->rib, e);
	}
	for (i = 0; i < s->npeers; i++) {
		struct peer *p = &s->peers[i];

		if (p->state != ST_ESTABLISHED) {
			drop_batch(&b[i]);
			continue;
		}
		flush_batch(p, &b[i]);
		if (p->sync_pending) {
			p->sync_pending = false;
			send_eor(p);
		}
	}
}

static uint64_t
next_deadline(const struct speaker *s)
{
	uint64_t t = 0;
	unsigned i;

	for (i = 0; i < s->npeers; i++) {
		const struct peer *p = &s->peers[i];
		uint64_t d[4] = { p->t_connect_retry, p->t_hold, p->t_keepalive,
		    p->t_collision };
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

	for (i = 0; i < s->npeers; i++) {
		struct peer *p = &s->peers[i];

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
	s->started = mono_ms();
	rib_init(&s->rib);
	s->npeers = c->npeers;
	for (i = 0; i < c->npeers; i++) {
		s->peers[i].s = s;
		s->peers[i].conf = &c->peers[i];
		s->peers[i].idx = i;
		s->peers[i].fd = -1;
		s->peers[i].cfd = -1;
	}
	originate(s);
}

/* RFC 4271 8.1.2 ManualStop for every session: Cease with RFC 8203 text. */
static void
speaker_stop(struct speaker *s)
{
	unsigned i;

	for (i = 0; i < s->npeers; i++)
		if (s->peers[i].state >= ST_OPENSENT)
			fsm_event(&s->peers[i], EV_STOP, NULL);
}

static void
free_fib_nh(struct rib_entry *e, void *arg)
{
	set_fib_nh(e, NULL, 0);
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
	ctl_close(s->ctl);
	rib_foreach(&s->rib, free_fib_nh, NULL);
	rib_free(&s->rib);
}

static void
loop_once(struct speaker *s)
{
	struct pollfd pfd[MAX_POLLFDS];
	struct peer *owner[MAX_POLLFDS];
	size_t n = 0, nctl, i;
	uint64_t dl, now;
	int timeout = -1;

	run_decisions(s);
	run_exports(s);
	pfd[n] = (struct pollfd){ .fd = s->lfd, .events = POLLIN };
	owner[n++] = NULL;
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
	if (poll(pfd, n + nctl, timeout) == -1 && errno != EINTR)
		die("poll: %s", strerror(errno));
	if (pfd[0].revents & POLLIN)
		session_accept(s);
	for (i = 1; i < n; i++) {
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
