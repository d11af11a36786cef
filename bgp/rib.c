/*
 * rib: the speaker's tables. One hash of prefixes holds, per prefix, every
 * path received (Adj-RIB-In, rejected ones included, U-09) and the chosen one
 * (Loc-RIB). Each peer's Adj-RIB-Out is a second, per-peer hash of what was
 * last sent, so that exports are computed as differences.
 *
 * Must not: decide, apply policy or touch sockets.
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "bgpd.h"

#define RIB_INIT_BUCKETS	1024

static size_t
pfx_hash(const struct pfx4 *p, size_t nbuckets)
{
	/*
	 * A full 64-bit mix (splitmix64's finaliser): prefixes differ in a few
	 * middle bits (10.1.2.0/24, 10.1.3.0/24, ...), and every output bit must
	 * depend on all of them before the low bits pick the bucket.
	 */
	uint64_t h = (uint64_t)p->addr << 8 | p->len;

	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebull;
	h ^= h >> 31;
	return (size_t)h & (nbuckets - 1);
}

void
rib_init(struct rib *r)
{
	memset(r, 0, sizeof(*r));
	r->nbuckets = RIB_INIT_BUCKETS;
	r->buckets = xcalloc(r->nbuckets, sizeof(*r->buckets));
	r->xtail = &r->xhead;
}

static void
path_free(struct rib_path *rp)
{
	bgp_attrs_free(&rp->attrs);
	free(rp);
}

void
rib_free(struct rib *r)
{
	struct rib_entry *e, *en;
	struct rib_path *rp, *rpn;
	size_t i;

	for (i = 0; i < r->nbuckets; i++) {
		for (e = r->buckets[i]; e != NULL; e = en) {
			en = e->hnext;
			for (rp = e->paths; rp != NULL; rp = rpn) {
				rpn = rp->next;
				path_free(rp);
			}
			free(e);
		}
	}
	free(r->buckets);
	memset(r, 0, sizeof(*r));
}

static void
rib_rehash(struct rib *r)
{
	struct rib_entry **nb, *e, *en;
	size_t i, n = r->nbuckets * 2;

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
		if (pfx_equal(&e->pfx, p))
			return e;
	return NULL;
}

struct rib_entry *
rib_get(struct rib *r, const struct pfx4 *p)
{
	struct rib_entry *e;
	size_t h;

	if ((e = rib_lookup(r, p)) != NULL)
		return e;
	if (r->count >= r->nbuckets)
		rib_rehash(r);
	e = xcalloc(1, sizeof(*e));
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

void
rib_mark_dirty(struct rib *r, struct rib_entry *e)
{
	if (e->dirty)
		return;
	e->dirty = true;
	e->dnext = r->dirty;
	r->dirty = e;
}

void
rib_queue_export(struct rib *r, struct rib_entry *e, uint64_t peers)
{
	e->pending |= peers;
	if (e->queued || e->pending == 0)
		return;
	e->queued = true;
	e->xnext = NULL;
	*r->xtail = e;
	r->xtail = &e->xnext;
}

void
rib_set_path(struct rib *r, struct rib_entry *e, struct peer *peer,
    struct bgp_attrs *a, const char *reject)
{
	struct rib_path *rp = rib_path_find(e, peer);

	if (rp == NULL) {
		rp = xcalloc(1, sizeof(*rp));
		rp->peer = peer;
		rp->next = e->paths;
		e->paths = rp;
	} else {
		bgp_attrs_free(&rp->attrs);
	}
	rp->attrs = *a;
	bgp_attrs_init(a);
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
		path_free(rp);
		rib_mark_dirty(r, e);
		return true;
	}
	return false;
}

void
rib_gc(struct rib *r, struct rib_entry *e)
{
	struct rib_entry **pp;

	if (e->paths != NULL || e->dirty || e->queued || e->fib_nnh != 0)
		return;
	for (pp = &r->buckets[pfx_hash(&e->pfx, r->nbuckets)]; *pp != NULL;
	    pp = &(*pp)->hnext) {
		if (*pp == e) {
			*pp = e->hnext;
			r->count--;
			free(e);
			return;
		}
	}
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
