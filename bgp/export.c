/*
 * export: the pass over every prefix on the RIB's work list. For each, once:
 * the decision (decide.c) if its paths changed, the FIB if the chosen next
 * hops changed, then the UPDATEs for every peer whose Adj-RIB-Out may no
 * longer match: announcements grouped by identical attributes; withdrawals
 * encoded once for all the peers that get them and copied into their
 * withdrawal-only messages (wdmsg.c) a run of prefixes at a time.
 *
 * A table is larger than the caches, and the pass is bound by memory
 * latency: it walks an array of entries and fetches entries, and their
 * paths, some way ahead of use. Output leaves in large writes: messages are
 * queued, and the socket written before a peer's queue would pass
 * FLUSH_BYTES, and at the end of the pass.
 *
 * Must not: parse bytes, choose paths (decide.c) or judge routes (rs.c).
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "bgpd.h"
#include "wdmsg.h"

#define BATCH_FLUSH	4096	/* announced prefixes held for one peer */
/*
 * A write costs the sender the receiver's TCP work too (veth, loopback):
 * per write more than per byte. 32 KiB is the capacity the output buffer
 * reached anyway (it doubles from 4 KiB past 16 KiB + a message); now up
 * to all of it is used, not about 20 KiB, so a peer's queue may touch up
 * to 12 KiB more. A pass of up to 32 KiB for a peer (7,000 withdrawals)
 * leaves in one write, at the pass's end.
 */
#define FLUSH_BYTES	(32 * 1024)
#define AHEAD		8	/* entries between fetching one and using it */

struct out_group {
	struct bgp_attrs	 attrs;
	struct pfx4		*nlri;
	size_t			 n, cap;
};

/* One peer's UPDATEs in the making during a pass. */
struct out_batch {
	struct wdmsg		*wd;		/* withdrawals; NULL until one */
	struct out_group	*g;
	size_t			 ng, gcap;
	size_t			 queued;	/* prefixes in g */
	long			 last;		/* group of entry number last_seq */
	size_t			 last_seq;
};

/*
 * Withdrawals for a run of prefixes that go to the same peers, encoded
 * once and copied to each peer's message in one piece when the run ends.
 * Withdrawing a peer's whole table is a few long runs.
 */
struct wd_run {
	uint64_t		 mask;		/* the peers */
	size_t			 n;		/* prefixes */
	size_t			 len;
	uint8_t			 buf[BGP_MAX_LEN];
};

struct pass {
	struct speaker		*s;
	struct wd_run		 run;
	uint64_t		 est;		/* Established peers */
	bool			 changed_fib;
	size_t			 seq;		/* entries exported so far, + 1 */
	const struct rib_path	*prev;		/* best path of entry seq - 1 */
	struct out_batch	 b[BGP_MAX_PEERS];
};

/* ---- decision ----------------------------------------------------------- */

static void
decide_entry(struct pass *ps, struct rib_entry *e)
{
	const struct bgp_fib_ops *fib = ps->s->conf->fib;
	struct decision d;

	e->dirty = false;
	if (e->paths != NULL)
		decide(ps->s, e, &d);
	else {
		/* what decide() finds, at once */
		d.best = NULL;
		d.nnh = d.hops = 0;
	}
	if (d.nnh != e->fib_nnh || d.hops != e->fib_hops ||
	    (d.nnh > 0 && memcmp(d.nh, rib_fib_nh(e),
	    d.nnh * sizeof(d.nh[0])) != 0)) {
		rib_set_fib_nh(e, d.nh, d.nnh);
		e->fib_hops = (uint16_t)d.hops;
		if (fib != NULL && fib->change != NULL)
			fib->change(fib->arg, &e->pfx, d.nh, d.nnh, d.hops);
		ctl_fib_change(ps->s->ctl, &e->pfx, d.nh, d.nnh, d.hops);
		ps->changed_fib = true;
	}
	/* Attributes can change without the best path changing. */
	e->best = d.best;
	e->pending |= ps->est;
	e->queued = e->pending != 0;
}

/* ---- output ------------------------------------------------------------- */

static void
queue_msg(struct peer *p, const void *msg, size_t len)
{
	/* a write error shows again at the next poll, and resets the session */
	if (p->olen - p->ooff + len > FLUSH_BYTES)
		(void)session_flush(p);
	session_queue(p, msg, len);
	p->updates_out++;
}

static void
send_updates(struct peer *p, const struct bgp_attrs *a,
    const struct pfx4 *nlri, size_t nnlri)
{
	uint8_t msg[BGP_MAX_LEN];
	struct wbuf w;
	size_t dw, dn;

	while (nnlri > 0) {
		wbuf_init(&w, msg, sizeof(msg));
		if (bgp_build_update(&p->codec, &w, NULL, 0, &dw, a, nlri,
		    nnlri, &dn) == -1 || dn == 0) {
			speaker_log(p->s, "peer %s: UPDATE does not fit",
			    p->conf->name);
			return;
		}
		queue_msg(p, msg, w.len);
		nlri += dn;
		nnlri -= dn;
	}
}

static void
wd_send(struct peer *p, struct wdmsg *m)
{
	size_t len = wdmsg_finish(m);

	if (len > 0)
		queue_msg(p, m->buf, len);
	wdmsg_init(m);
}

static void
wd_add(struct peer *p, struct out_batch *b, const uint8_t *enc, size_t len)
{
	size_t k;

	if (b->wd == NULL) {
		b->wd = xmalloc(sizeof(*b->wd));
		wdmsg_init(b->wd);
	}
	while ((k = wdmsg_append(b->wd, enc, len)) < len) {
		wd_send(p, b->wd);
		enc += k;
		len -= k;
	}
}

/* The run's withdrawals into the messages of its peers. */
static void
run_flush(struct pass *ps)
{
	struct wd_run *r = &ps->run;
	uint64_t m;
	unsigned i;

	for (m = r->mask; m != 0; m &= m - 1) {
		i = (unsigned)__builtin_ctzll(m);
		ps->s->peers[i].nadvertised -= r->n;
		wd_add(&ps->s->peers[i], &ps->b[i], r->buf, r->len);
	}
	r->mask = 0;
	r->n = r->len = 0;
}

static void
batch_clear(struct out_batch *b)
{
	size_t i;

	for (i = 0; i < b->ng; i++) {
		bgp_attrs_free(&b->g[i].attrs);
		free(b->g[i].nlri);
	}
	free(b->g);
	free(b->wd);
	memset(b, 0, sizeof(*b));
	b->last = -1;
}

/* Withdrawals before announcements. */
static void
flush_batch(struct peer *p, struct out_batch *b)
{
	size_t i;

	if (b->wd != NULL)
		wd_send(p, b->wd);
	for (i = 0; i < b->ng; i++)
		send_updates(p, &b->g[i].attrs, b->g[i].nlri, b->g[i].n);
	batch_clear(b);
	(void)session_flush(p);
}

static void
group_add(struct out_group *g, const struct pfx4 *p)
{
	if (g->n == g->cap)
		xgrow(&g->nlri, &g->cap, g->n + 1, sizeof(*g->nlri));
	g->nlri[g->n++] = *p;
}

/* Returns the group that now holds p; takes a. */
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
	group_add(g, p);
	b->queued++;
	return (size_t)(g - b->g);
}

/* ---- export ------------------------------------------------------------- */

/* The peer holds exactly what exporting e's best path would send it. */
static bool
in_sync(const struct rib_entry *e, const struct peer *p)
{
	return (e->adv & rib_peer_bit(p)) && e->xvalid && e->best != NULL &&
	    rib_xsrc(e->best->peer) == e->xsrc;
}

/* Withdraw e from the peers in mask that were sent it. */
static void
withdraw_from(struct pass *ps, struct rib_entry *e, uint64_t mask)
{
	struct wd_run *r = &ps->run;

	mask &= e->adv;
	if (mask == 0)
		return;
	e->adv &= ~mask;
	if (r->mask != mask || r->len + WDMSG_PFX_MAX > sizeof(r->buf))
		run_flush(ps);
	r->mask = mask;
	r->len += wdmsg_encode(&e->pfx, r->buf + r->len);
	r->n++;
}

/*
 * same_as_prev: e's best path has the source and the attributes of the
 * previous entry's, so export policy (for most peers a function of the
 * receiving peer and the best path's source and attributes, rs.c) gives
 * what it gave then, and the prefix joins that group without policy being
 * asked again. This is what makes a table of thousands of routes from a
 * few peers cheap. For a peer whose policy looks at the prefix too
 * (policy_export_by_prefix), policy is asked for every prefix.
 */
static void
export_one(struct pass *ps, struct peer *p, struct rib_entry *e,
    bool same_as_prev)
{
	struct out_batch *b = &ps->b[p->idx];
	long last = b->last_seq + 1 == ps->seq ? b->last : -1;
	struct bgp_attrs a;

	b->last = -1;
	b->last_seq = ps->seq;
	if (in_sync(e, p))
		return;
	if (same_as_prev && last >= 0 && !policy_export_by_prefix(ps->s, p)) {
		group_add(&b->g[last], &e->pfx);
		b->queued++;
		b->last = last;
	} else {
		bgp_attrs_init(&a);
		if (!policy_export(ps->s, p, e, &a)) {
			bgp_attrs_free(&a);
			withdraw_from(ps, e, rib_peer_bit(p));
			return;
		}
		b->last = (long)batch_announce(b, &e->pfx, &a);
	}
	if (!(e->adv & rib_peer_bit(p)))
		p->nadvertised++;
	e->adv |= rib_peer_bit(p);
	/* bounded memory, and the first UPDATEs leave early */
	if (b->queued >= BATCH_FLUSH)
		flush_batch(p, b);
}

static bool
same_export(const struct rib_path *prev, const struct rib_path *cur)
{
	/* interned: equal attributes are the same copy (rib.c) */
	return prev != NULL && cur != NULL && prev->peer == cur->peer &&
	    prev->attrs == cur->attrs;
}

static void
export_entry(struct pass *ps, struct rib_entry *e)
{
	uint64_t todo = e->pending & ps->est;
	struct speaker *s = ps->s;
	bool same = same_export(ps->prev, e->best);
	unsigned i;

	ps->seq++;
	if (e->best == NULL)
		/* no path left: only withdrawals, to those that have it */
		withdraw_from(ps, e, todo);
	else
		for (; todo != 0; todo &= todo - 1) {
			i = (unsigned)__builtin_ctzll(todo);
			export_one(ps, &s->peers[i], e, same);
		}
	/* every peer holding the prefix now has this export */
	e->xsrc = e->best != NULL ? rib_xsrc(e->best->peer) : 0;
	e->xvalid = e->best != NULL;
	e->pending = 0;
	e->queued = false;
	ps->prev = e->best;
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
pass_end(struct pass *ps)
{
	const struct bgp_fib_ops *fib = ps->s->conf->fib;
	struct speaker *s = ps->s;
	unsigned i;

	run_flush(ps);
	for (i = 0; i < s->npeers; i++) {
		struct peer *p = &s->peers[i];

		if (p->state != ST_ESTABLISHED) {
			batch_clear(&ps->b[i]);
			continue;
		}
		flush_batch(p, &ps->b[i]);
		if (p->sync_pending) {
			p->sync_pending = false;
			send_eor(p);
		}
	}
	if (ps->changed_fib) {
		if (fib != NULL && fib->flush != NULL)
			fib->flush(fib->arg);
		ctl_fib_flush(s->ctl);
	}
}

/* Entry v[i] is handled now: fetch the ones after it. */
static void
fetch_ahead(struct rib_entry **v, size_t n, size_t i)
{
	if (i + AHEAD < n)
		__builtin_prefetch(v[i + AHEAD]);
	if (i + AHEAD / 2 < n) {
		struct rib_entry *e = v[i + AHEAD / 2];

		if (e->paths != NULL)
			__builtin_prefetch(e->paths);
		if (e->best != NULL && e->best != e->paths)
			__builtin_prefetch(e->best);
	}
}

void
export_pass(struct speaker *s)
{
	struct pass *ps;
	struct rib_entry **v, *e;
	size_t i, n, cap, ngone;

	if (s->rib.nwork == 0)
		return;
	ps = xcalloc(1, sizeof(*ps));
	ps->s = s;
	ps->est = speaker_established(s);
	ps->seq = 1;
	for (i = 0; i < BGP_MAX_PEERS; i++)
		ps->b[i].last = -1;
	v = rib_take_work(&s->rib, &n, &cap);
	for (i = ngone = 0; i < n; i++) {
		fetch_ahead(v, n, i);
		e = v[i];
		if (e->dirty)
			decide_entry(ps, e);
		if (e->queued)
			export_entry(ps, e);
		else
			ps->prev = NULL;
		e->listed = false;
		/* what may be freed collects in the part of v already done */
		if (e->paths == NULL && e->fib_nnh == 0)
			v[ngone++] = e;
	}
	pass_end(ps);
	free(ps);
	/* after the writes: freeing can wait, the peers should not */
	rib_gc(&s->rib, v, ngone);
	rib_done_work(&s->rib, v, cap);
}
