/*
 * rib: the speaker's tables. One hash of prefixes holds, per prefix, every
 * path received (Adj-RIB-In, rejected ones included, U-09) and the chosen one
 * (Loc-RIB). What each peer was sent is a bit per peer in the entry
 * (export.c). Entries and paths come from slabs (slab.c); every distinct
 * AS_PATH is held once, reference-counted, and shared by the paths that
 * carry it, as a table is mostly a few peers' paths over many prefixes.
 * Changed entries are kept in an array, the work list, for the next pass;
 * entries left without paths are freed in batches after it.
 *
 * Must not: decide, apply policy or touch sockets.
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "bgpd.h"

#define RIB_INIT_BUCKETS	1024
#define RIB_WORK_KEEP		1024	/* changed-entry slots kept between passes */
#define RIB_LINE		64	/* bytes in a cache line */

static size_t
pfx_hash(const struct pfx4 *p, size_t nbuckets)
{
	return (size_t)pfx_hash64(p) & (nbuckets - 1);
}

/* One AS_PATH shared by every path that carries it. */
struct rib_aspath {
	struct rib_aspath	*next;
	uint32_t		 refs;
	uint32_t		 hash;
	uint16_t		 len;
	uint8_t			 data[];
};

#define ASP_INIT_BUCKETS	64
#define FNV_OFFSET		2166136261u
#define FNV_PRIME		16777619u

void
rib_init(struct rib *r)
{
	memset(r, 0, sizeof(*r));
	r->nbuckets = RIB_INIT_BUCKETS;
	r->buckets = xcalloc(r->nbuckets, sizeof(*r->buckets));
	slab_init(&r->entries, sizeof(struct rib_entry));
	slab_init(&r->paths, sizeof(struct rib_path));
	r->naspbuckets = ASP_INIT_BUCKETS;
	r->asp = xcalloc(r->naspbuckets, sizeof(*r->asp));
}

static uint32_t
bytes_hash(const uint8_t *p, size_t n)
{
	uint32_t h = FNV_OFFSET;

	while (n-- > 0)
		h = (h ^ *p++) * FNV_PRIME;
	return h;
}

static void
asp_rehash(struct rib *r)
{
	size_t i, n = r->naspbuckets * 2;
	struct rib_aspath **nb = xcalloc(n, sizeof(*nb)), *x, *xn;

	for (i = 0; i < r->naspbuckets; i++)
		for (x = r->asp[i]; x != NULL; x = xn) {
			xn = x->next;
			x->next = nb[x->hash & (n - 1)];
			nb[x->hash & (n - 1)] = x;
		}
	free(r->asp);
	r->asp = nb;
	r->naspbuckets = n;
}

/* The shared copy of an AS_PATH, one more reference to it. */
static uint8_t *
asp_get(struct rib *r, const uint8_t *p, uint16_t len)
{
	uint32_t h;
	struct rib_aspath *x;

	if (len == 0)
		return NULL;
	h = bytes_hash(p, len);
	for (x = r->asp[h & (r->naspbuckets - 1)]; x != NULL; x = x->next)
		if (x->hash == h && x->len == len && memcmp(x->data, p, len) == 0) {
			x->refs++;
			return x->data;
		}
	if (r->nasp >= r->naspbuckets)
		asp_rehash(r);
	x = xmalloc(sizeof(*x) + len);
	x->refs = 1;
	x->hash = h;
	x->len = len;
	memcpy(x->data, p, len);
	x->next = r->asp[h & (r->naspbuckets - 1)];
	r->asp[h & (r->naspbuckets - 1)] = x;
	r->nasp++;
	return x->data;
}

static void
asp_put(struct rib *r, uint8_t *data)
{
	struct rib_aspath *x, **pp;

	if (data == NULL)
		return;
	x = (struct rib_aspath *)(void *)(data - offsetof(struct rib_aspath, data));
	if (--x->refs > 0)
		return;
	for (pp = &r->asp[x->hash & (r->naspbuckets - 1)]; *pp != NULL;
	    pp = &(*pp)->next)
		if (*pp == x) {
			*pp = x->next;
			break;
		}
	r->nasp--;
	free(x);
}

/* The attributes a path owns: all but the shared AS_PATH. */
static void
path_attrs_free(struct rib *r, struct rib_path *rp)
{
	asp_put(r, rp->attrs.aspath);
	rp->attrs.aspath = NULL;
	bgp_attrs_free(&rp->attrs);
}

static void
path_free(struct rib *r, struct rib_path *rp)
{
	path_attrs_free(r, rp);
	slab_put(&r->paths, rp);
}

void
rib_free(struct rib *r)
{
	struct rib_entry *e;
	struct rib_path *rp, *rpn;
	struct rib_aspath *x, *xn;
	size_t i;

	for (i = 0; i < r->nbuckets; i++)
		for (e = r->buckets[i]; e != NULL; e = e->hnext) {
			for (rp = e->paths; rp != NULL; rp = rpn) {
				rpn = rp->next;
				path_free(r, rp);
			}
			rib_set_fib_nh(e, NULL, 0);
		}
	for (i = 0; i < r->naspbuckets; i++)
		for (x = r->asp[i]; x != NULL; x = xn) {
			xn = x->next;
			free(x);
		}
	slab_free_all(&r->entries);
	slab_free_all(&r->paths);
	free(r->work);
	free(r->buckets);
	free(r->asp);
	memset(r, 0, sizeof(*r));
}

/* n buckets (a power of two): twice as many as entries grow, fewer as they go. */
static void
rib_rehash(struct rib *r, size_t n)
{
	struct rib_entry **nb, *e, *en;
	size_t i;

	nb = xcalloc(n, sizeof(*nb));
	for (i = 0; i < r->nbuckets; i++) {
		for (e = r->buckets[i]; e != NULL; e = en) {
			size_t h = pfx_hash(&e->pfx, n);

			en = e->hnext;
			e->hnext = nb[h];
			nb[h] = e;
		}
	}
	free(r->buckets);
	r->buckets = nb;
	r->nbuckets = n;
}

struct rib_entry *
rib_lookup(struct rib *r, const struct pfx4 *p)
{
	struct rib_entry *e;

	for (e = r->buckets[pfx_hash(p, r->nbuckets)]; e != NULL; e = e->hnext)
		if (e->pfx.addr == p->addr && e->pfx.len == p->len)
			return e;
	return NULL;
}

/*
 * A batch of lookups (an UPDATE's prefixes) is bound by memory latency:
 * the bucket, then the entry, then its path, each a miss in a large table.
 * Called for prefixes some way ahead of the one being handled, stage 0
 * fetches the bucket; stage 1, nearer (the bucket now cached), the entry it
 * leads to; stage 2 that entry's first path.
 */
void
rib_prefetch(struct rib *r, const struct pfx4 *p, int stage)
{
	struct rib_entry **b = &r->buckets[pfx_hash(p, r->nbuckets)];

	if (stage == 0)
		__builtin_prefetch(b);
	else if (*b == NULL)
		return;
	else if (stage == 1)
		__builtin_prefetch(*b);
	else if ((*b)->paths != NULL) {
		/* a path is more than a cache line; withdrawing touches both */
		__builtin_prefetch((*b)->paths);
		__builtin_prefetch((const char *)(*b)->paths + RIB_LINE);
	}
}

struct rib_entry *
rib_get(struct rib *r, const struct pfx4 *p)
{
	struct rib_entry *e;
	size_t h;

	if ((e = rib_lookup(r, p)) != NULL)
		return e;
	if (r->count >= r->nbuckets)
		rib_rehash(r, r->nbuckets * 2);
	e = slab_alloc(&r->entries);
	e->pfx = *p;
	h = pfx_hash(p, r->nbuckets);
	e->hnext = r->buckets[h];
	r->buckets[h] = e;
	r->count++;
	return e;
}

struct rib_path *
rib_path_find(struct rib_entry *e, const struct peer *peer)
{
	struct rib_path *rp;

	for (rp = e->paths; rp != NULL; rp = rp->next)
		if (rp->peer == peer)
			return rp;
	return NULL;
}

static void
list_work(struct rib *r, struct rib_entry *e)
{
	if (e->listed)
		return;
	e->listed = true;
	if (r->nwork == r->workcap)
		xgrow(&r->work, &r->workcap, r->nwork + 1, sizeof(*r->work));
	r->work[r->nwork++] = e;
}

void
rib_mark_dirty(struct rib *r, struct rib_entry *e)
{
	e->dirty = true;
	list_work(r, e);
}

void
rib_queue_export(struct rib *r, struct rib_entry *e, uint64_t peers)
{
	e->pending |= peers;
	if (e->pending == 0)
		return;
	e->queued = true;
	list_work(r, e);
}

struct rib_entry **
rib_take_work(struct rib *r, size_t *n, size_t *cap)
{
	struct rib_entry **v = r->work;

	*n = r->nwork;
	*cap = r->workcap;
	r->work = NULL;
	r->nwork = r->workcap = 0;
	return v;
}

void
rib_done_work(struct rib *r, struct rib_entry **v, size_t cap)
{
	/*
	 * Kept for the next pass, unless a new list was started meanwhile or
	 * it was grown for a whole table (memory back after churn).
	 */
	if (r->work != NULL || cap == 0 || cap > RIB_WORK_KEEP) {
		free(v);
		return;
	}
	r->work = v;
	r->workcap = cap;
}

void
rib_set_fib_nh(struct rib_entry *e, const uint32_t *nh, unsigned nnh)
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

/* e's path from peer, a new empty one if there is none; its attributes freed. */
static struct rib_path *
path_reset(struct rib *r, struct rib_entry *e, struct peer *peer)
{
	struct rib_path *rp = rib_path_find(e, peer);

	if (rp == NULL) {
		rp = slab_alloc(&r->paths);
		rp->peer = peer;
		rp->next = e->paths;
		e->paths = rp;
	} else
		path_attrs_free(r, rp);
	return rp;
}

void
rib_set_path(struct rib *r, struct rib_entry *e, struct peer *peer,
    struct bgp_attrs *a, const char *reject)
{
	struct rib_path *rp = path_reset(r, e, peer);

	rp->attrs = *a;
	rp->attrs.aspath = asp_get(r, a->aspath, a->aspath_len);
	/* the rest now belongs to the path */
	free(a->aspath);
	bgp_attrs_init(a);
	rp->reject = reject;
	rib_mark_dirty(r, e);
}

void
rib_set_path_copy(struct rib *r, struct rib_entry *e, struct peer *peer,
    const struct bgp_attrs *a, const char *reject)
{
	struct rib_path *rp = path_reset(r, e, peer);
	struct bgp_attrs tmp = *a;

	/* copy all but the AS_PATH, which is shared */
	tmp.aspath = NULL;
	bgp_attrs_copy(&rp->attrs, &tmp);
	rp->attrs.aspath = asp_get(r, a->aspath, a->aspath_len);
	rp->reject = reject;
	rib_mark_dirty(r, e);
}

bool
rib_del_path(struct rib *r, struct rib_entry *e, const struct peer *peer)
{
	struct rib_path **pp, *rp;

	for (pp = &e->paths; (rp = *pp) != NULL; pp = &rp->next) {
		if (rp->peer != peer)
			continue;
		*pp = rp->next;
		if (e->best == rp)
			e->best = NULL;
		path_free(r, rp);
		rib_mark_dirty(r, e);
		return true;
	}
	return false;
}

static bool
is_garbage(const struct rib_entry *e)
{
	return e->paths == NULL && !e->listed && e->fib_nnh == 0;
}

static void
unlink_entry(struct rib *r, struct rib_entry *e)
{
	struct rib_entry **pp;

	for (pp = &r->buckets[pfx_hash(&e->pfx, r->nbuckets)]; *pp != NULL;
	    pp = &(*pp)->hnext) {
		if (*pp == e) {
			*pp = e->hnext;
			r->count--;
			slab_put(&r->entries, e);
			return;
		}
	}
}

#define GC_AHEAD	8	/* entries between fetching a bucket and using it */

/*
 * Unlinking means walking a bucket's chain: misses on the bucket and the
 * entries in it. Done for a whole batch with those fetched ahead, as a
 * withdrawn table is tens of thousands of entries at once.
 */
void
rib_gc(struct rib *r, struct rib_entry **v, size_t n)
{
	struct rib_entry **b;
	size_t i;

	for (i = 0; i < n; i++) {
		if (i + GC_AHEAD < n)
			__builtin_prefetch(&r->buckets[pfx_hash(
			    &v[i + GC_AHEAD]->pfx, r->nbuckets)]);
		if (i + GC_AHEAD / 2 < n) {
			b = &r->buckets[pfx_hash(&v[i + GC_AHEAD / 2]->pfx,
			    r->nbuckets)];
			if (*b != NULL)
				__builtin_prefetch(*b);
		}
		if (is_garbage(v[i]))
			unlink_entry(r, v[i]);
	}
	/* a table withdrawn: the buckets it needed go too */
	for (i = r->nbuckets; i > RIB_INIT_BUCKETS && r->count < i / 4; i /= 2)
		;
	if (i != r->nbuckets)
		rib_rehash(r, i);
}

void
rib_foreach(struct rib *r, void (*fn)(struct rib_entry *, void *), void *arg)
{
	struct rib_entry *e, *en;
	size_t i;

	for (i = 0; i < r->nbuckets; i++)
		for (e = r->buckets[i]; e != NULL; e = en) {
			en = e->hnext;
			fn(e, arg);
		}
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct rib_entry *x = *(struct rib_entry *const *)a;
	const struct rib_entry *y = *(struct rib_entry *const *)b;

	return pfx_cmp(&x->pfx, &y->pfx);
}

size_t
rib_sorted(struct rib *r, struct rib_entry ***out)
{
	struct rib_entry **v, *e;
	size_t i, n = 0;

	v = xcalloc(r->count ? r->count : 1, sizeof(*v));
	for (i = 0; i < r->nbuckets; i++)
		for (e = r->buckets[i]; e != NULL; e = e->hnext)
			v[n++] = e;
	qsort(v, n, sizeof(*v), entry_cmp);
	*out = v;
	return n;
}
