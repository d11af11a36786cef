/*
 * rib: the speaker's tables. One hash of prefixes holds, per prefix, every
 * path received (Adj-RIB-In, rejected ones included, U-09) and the chosen one
 * (Loc-RIB). What each peer was sent is a bit per peer in the entry
 * (export.c). Entries and paths come from slabs (slab.c); every distinct
 * attribute set is held once, reference-counted, and shared by the paths
 * that carry it (interned), as a table is mostly a few peers' paths over
 * many prefixes: a path is 32 bytes.
 * Changed entries are kept in an array, the work list, for the next pass;
 * entries left without paths are freed in batches after it.
 *
 * Must not: decide, apply policy or touch sockets.
 */
#include <sys/mman.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "bgpd.h"

#define RIB_INIT_BUCKETS	1024
#define RIB_WORK_KEEP		1024	/* changed-entry slots kept when quiet */
#define RIB_PAGE		4096

static size_t
pfx_hash(const struct pfx4 *p, size_t nbuckets)
{
	return (size_t)pfx_hash64(p) & (nbuckets - 1);
}

/* One attribute set, shared by every path that carries an equal one. */
struct rib_attrs {
	struct rib_attrs	*next;
	uint32_t		 refs;
	uint32_t		 hash;
	struct bgp_attrs	 a;
};

#define ATTRS_INIT_BUCKETS	64

void
rib_init(struct rib *r)
{
	memset(r, 0, sizeof(*r));
	r->nbuckets = RIB_INIT_BUCKETS;
	r->buckets = xcalloc(r->nbuckets, sizeof(*r->buckets));
	slab_init(&r->entries, sizeof(struct rib_entry));
	slab_init(&r->paths, sizeof(struct rib_path));
	r->nattrbuckets = ATTRS_INIT_BUCKETS;
	r->attrs = xcalloc(r->nattrbuckets, sizeof(*r->attrs));
}

static void
attrs_rehash(struct rib *r)
{
	size_t i, n = r->nattrbuckets * 2;
	struct rib_attrs **nb = xcalloc(n, sizeof(*nb)), *x, *xn;

	for (i = 0; i < r->nattrbuckets; i++)
		for (x = r->attrs[i]; x != NULL; x = xn) {
			xn = x->next;
			x->next = nb[x->hash & (n - 1)];
			nb[x->hash & (n - 1)] = x;
		}
	free(r->attrs);
	r->attrs = nb;
	r->nattrbuckets = n;
}

static struct rib_attrs *
attrs_of(const struct bgp_attrs *ia)
{
	return (struct rib_attrs *)(void *)((uintptr_t)ia -
	    offsetof(struct rib_attrs, a));
}

const struct bgp_attrs *
rib_attrs_get(struct rib *r, const struct bgp_attrs *a)
{
	uint32_t h = bgp_attrs_hash(a);
	struct rib_attrs *x;

	for (x = r->attrs[h & (r->nattrbuckets - 1)]; x != NULL; x = x->next)
		if (x->hash == h && bgp_attrs_equal(&x->a, a)) {
			x->refs++;
			return &x->a;
		}
	if (r->nattrs >= r->nattrbuckets)
		attrs_rehash(r);
	x = xmalloc(sizeof(*x));
	x->refs = 1;
	x->hash = h;
	bgp_attrs_copy(&x->a, a);
	x->next = r->attrs[h & (r->nattrbuckets - 1)];
	r->attrs[h & (r->nattrbuckets - 1)] = x;
	r->nattrs++;
	return &x->a;
}

void
rib_attrs_put(struct rib *r, const struct bgp_attrs *ia)
{
	struct rib_attrs *x, **pp;

	if (ia == NULL)
		return;
	x = attrs_of(ia);
	if (--x->refs > 0)
		return;
	for (pp = &r->attrs[x->hash & (r->nattrbuckets - 1)]; *pp != NULL;
	    pp = &(*pp)->next)
		if (*pp == x) {
			*pp = x->next;
			break;
		}
	r->nattrs--;
	bgp_attrs_free(&x->a);
	free(x);
}

/* A path's reference to its attributes, let go. */
static void
path_attrs_free(struct rib *r, struct rib_path *rp)
{
	rib_attrs_put(r, rp->attrs);
	rp->attrs = NULL;
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
	struct rib_attrs *x, *xn;
	size_t i;

	for (i = 0; i < r->nbuckets; i++)
		for (e = r->buckets[i]; e != NULL; e = e->hnext) {
			for (rp = e->paths; rp != NULL; rp = rpn) {
				rpn = rp->next;
				path_free(r, rp);
			}
			rib_set_fib_nh(e, NULL, 0);
		}
	for (i = 0; i < r->nattrbuckets; i++)
		for (x = r->attrs[i]; x != NULL; x = xn) {
			xn = x->next;
			bgp_attrs_free(&x->a);
			free(x);
		}
	slab_free_all(&r->entries);
	slab_free_all(&r->paths);
	free(r->work);
	free(r->buckets);
	free(r->attrs);
	memset(r, 0, sizeof(*r));
}

/*
 * n buckets (a power of two). The table grows fourfold when it holds two
 * entries a bucket on average (RIB_LOAD), to half an entry a bucket, and
 * shrinks, when quiet (rib_trim), once below a quarter, back to between
 * half and one: a bucket is 8 bytes, a chain of two is one more miss for
 * some lookups, and a growth rereads every entry, each a miss in a large
 * table (fetched a few buckets ahead). Growing fourfold rereads a table
 * read in from empty a third as often as doubling did: at 28,000 entries
 * 10,240 moves instead of 30,720, for the same final size at 7,000, 28,000
 * and 70,000 entries (bench/RESULTS.md, issue 23).
 */
#define RIB_LOAD	2
#define RIB_GROW	4
#define REHASH_AHEAD	8

/*
 * A zeroed bucket array. A large one is populated in one call: every page
 * of it is written soon (the hash spreads the entries), and page by page
 * each would fault twice, reading the zero page, then writing.
 */
static struct rib_entry **
buckets_alloc(size_t n)
{
	struct rib_entry **b = xcalloc(n, sizeof(*b));
	uintptr_t lo = ((uintptr_t)b + RIB_PAGE - 1) & ~(uintptr_t)(RIB_PAGE - 1);
	uintptr_t hi = ((uintptr_t)(b + n)) & ~(uintptr_t)(RIB_PAGE - 1);

	if (n * sizeof(*b) >= 16 * RIB_PAGE && hi > lo)
		(void)madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE);
	return b;
}

/* Old bucket i is moved now: fetch the entries of the ones after it. */
static void
rehash_fetch(struct rib *r, struct rib_entry **nb, size_t n, size_t i)
{
	struct rib_entry *x;

	if (i + 2 * REHASH_AHEAD < r->nbuckets &&
	    (x = r->buckets[i + 2 * REHASH_AHEAD]) != NULL)
		__builtin_prefetch(x);
	/* fetched REHASH_AHEAD buckets ago: its chain's next, its new bucket */
	if (i + REHASH_AHEAD < r->nbuckets &&
	    (x = r->buckets[i + REHASH_AHEAD]) != NULL) {
		if (x->hnext != NULL)
			__builtin_prefetch(x->hnext);
		__builtin_prefetch(&nb[pfx_hash(&x->pfx, n)], 1);
	}
}

static void
rib_rehash(struct rib *r, size_t n)
{
	struct rib_entry **nb, *e, *en;
	size_t i;

	nb = buckets_alloc(n);
	for (i = 0; i < r->nbuckets; i++) {
		rehash_fetch(r, nb, n, i);
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
 * leads to; stage 2 that entry's first path and the next entry in its chain.
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
	else {
		/* a chain of two (RIB_LOAD) is common enough to fetch its second */
		if ((*b)->hnext != NULL)
			__builtin_prefetch((*b)->hnext);
		if ((*b)->paths != NULL)
			__builtin_prefetch((*b)->paths);
	}
}

struct rib_entry *
rib_get(struct rib *r, const struct pfx4 *p)
{
	struct rib_entry *e;
	size_t h;

	if ((e = rib_lookup(r, p)) != NULL)
		return e;
	if (r->count >= RIB_LOAD * r->nbuckets)
		rib_rehash(r, r->nbuckets * RIB_GROW);
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
	 * Kept for the next pass, unless a new list was started meanwhile: a
	 * burst is many passes, and growing the list anew for each faulted in
	 * its pages and unmapped them again. rib_trim() cuts it back.
	 */
	if (r->work != NULL || cap == 0) {
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
rib_set_path_shared(struct rib *r, struct rib_entry *e, struct peer *peer,
    const struct bgp_attrs *ia, const char *reject)
{
	struct rib_path *rp;

	attrs_of(ia)->refs++;	/* first: ia may be what the path held */
	rp = path_reset(r, e, peer);
	rp->attrs = ia;
	rp->reject = reject;
	rib_mark_dirty(r, e);
}

void
rib_set_path(struct rib *r, struct rib_entry *e, struct peer *peer,
    const struct bgp_attrs *a, const char *reject)
{
	const struct bgp_attrs *ia = rib_attrs_get(r, a);

	rib_set_path_shared(r, e, peer, ia, reject);
	rib_attrs_put(r, ia);
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
}

void
rib_trim(struct rib *r)
{
	size_t i;

	/* a table withdrawn: the buckets it needed go too */
	i = r->nbuckets;
	if (r->count < i / 4)
		while (i > RIB_INIT_BUCKETS && r->count < i / 2)
			i /= 2;
	if (i != r->nbuckets)
		rib_rehash(r, i);
	/* a list for a whole table, once the table has gone */
	if (r->workcap > RIB_WORK_KEEP && r->workcap > 2 * r->count &&
	    r->nwork == 0) {
		free(r->work);
		r->work = NULL;
		r->workcap = 0;
	}
	slab_trim(&r->entries);
	slab_trim(&r->paths);
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
