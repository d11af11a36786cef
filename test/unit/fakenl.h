/*
 * fakenl: a recording fake of sync.h's netlink seam, for unit tests. It
 * keeps every table as a kernel would (routes sorted by prefix, one a
 * prefix) and counts the requests sent. Header only: static functions.
 */
#ifndef ARSEMU_TEST_FAKENL_H
#define ARSEMU_TEST_FAKENL_H

#include <stdlib.h>
#include <string.h>

#include "../../emu/sync.h"
#include "../../lib/util.h"

struct fake_table {
	uint32_t	 table;
	struct nl_route	*v;
	size_t		 n, cap;
};

struct fake_req {
	char		 op;		/* 'r' replace, 'd' delete */
	uint32_t	 table;
	struct pfx4	 dst;
};

struct fakenl {
	struct fake_table	*t;
	size_t			 nt;
	unsigned		 dumps, batches;
	struct fake_req		*req;		/* since fake_clear */
	size_t			 nreq, capreq;
};

static inline struct fake_table *
fake_table(struct fakenl *f, uint32_t table, bool make)
{
	size_t i;

	for (i = 0; i < f->nt; i++)
		if (f->t[i].table == table)
			return &f->t[i];
	if (!make)
		return NULL;
	f->t = xrealloc(f->t, (f->nt + 1) * sizeof(*f->t));
	memset(&f->t[f->nt], 0, sizeof(*f->t));
	f->t[f->nt].table = table;
	return &f->t[f->nt++];
}

/* Where dst is, or would go, in t. */
static inline size_t
fake_at(const struct fake_table *t, const struct pfx4 *dst, bool *found)
{
	size_t lo = 0, hi = t->n, m;
	int c;

	*found = false;
	while (lo < hi) {
		m = lo + (hi - lo) / 2;
		if ((c = pfx_cmp(&t->v[m].dst, dst)) == 0) {
			*found = true;
			return m;
		}
		if (c < 0)
			lo = m + 1;
		else
			hi = m;
	}
	return lo;
}

static inline void
fake_record(struct fakenl *f, char op, const struct nl_route *r)
{
	xgrow(&f->req, &f->capreq, f->nreq + 1, sizeof(*f->req));
	f->req[f->nreq++] = (struct fake_req){ op, r->table, r->dst };
}

static inline int
fake_dump(void *arg, uint32_t table, struct nl_route **out, size_t *n)
{
	struct fakenl *f = arg;
	struct fake_table *t = fake_table(f, table, false);

	f->dumps++;
	*n = t ? t->n : 0;
	*out = xcalloc(*n + 1, sizeof(**out));
	if (*n > 0)
		memcpy(*out, t->v, *n * sizeof(**out));
	return 0;
}

static inline void
fake_begin(void *arg)
{
	((struct fakenl *)arg)->batches++;
}

static inline int
fake_replace(void *arg, const struct nl_route *r)
{
	struct fakenl *f = arg;
	struct fake_table *t = fake_table(f, r->table, true);
	bool found;
	size_t i = fake_at(t, &r->dst, &found);

	fake_record(f, 'r', r);
	if (!found) {
		xgrow(&t->v, &t->cap, t->n + 1, sizeof(*t->v));
		memmove(&t->v[i + 1], &t->v[i], (t->n - i) * sizeof(*t->v));
		t->n++;
	}
	t->v[i] = *r;
	return 0;
}

static inline int
fake_del(void *arg, const struct nl_route *r)
{
	struct fakenl *f = arg;
	struct fake_table *t = fake_table(f, r->table, false);
	bool found = false;
	size_t i = t ? fake_at(t, &r->dst, &found) : 0;

	fake_record(f, 'd', r);
	if (!found)
		return -1;
	memmove(&t->v[i], &t->v[i + 1], (t->n - i - 1) * sizeof(*t->v));
	t->n--;
	return 0;
}

static inline int
fake_commit(void *arg)
{
	return 0;
}

static inline const char *
fake_errmsg(void *arg)
{
	return "fake";
}

static inline void
fake_init(struct fakenl *f, struct sync_nl *ops)
{
	memset(f, 0, sizeof(*f));
	*ops = (struct sync_nl){ .arg = f, .dump = fake_dump,
	    .begin = fake_begin, .replace = fake_replace, .del = fake_del,
	    .commit = fake_commit, .errmsg = fake_errmsg };
}

/* Two routes held are the same as the model sees them (fabric.h, share.h). */
static inline bool
fake_route_equal(const struct nl_route *a, const struct nl_route *b)
{
	struct kroute ka, kb;

	return fabric_model_route(a, &ka) && fabric_model_route(b, &kb) &&
	    share_route_equal(&ka, &kb);
}

/*
 * A table as the engine left it, as the model's routes (caller frees; empty
 * if none). *bad counts the routes of a kind fabric never makes.
 */
static inline struct kroute *
fake_model_table(struct fakenl *f, uint32_t table, size_t *n, size_t *bad)
{
	struct fake_table *t = fake_table(f, table, false);
	struct kroute *v;
	size_t i;

	*n = t ? t->n : 0;
	v = xcalloc(*n + 1, sizeof(*v));
	for (i = 0; i < *n; i++)
		if (!fabric_model_route(&t->v[i], &v[i]))
			(*bad)++;
	return v;
}

/* Forget the requests and counts so far (the tables stay). */
static inline void
fake_clear(struct fakenl *f)
{
	f->nreq = 0;
	f->dumps = f->batches = 0;
}

static inline void
fake_free(struct fakenl *f)
{
	size_t i;

	for (i = 0; i < f->nt; i++)
		free(f->t[i].v);
	free(f->t);
	free(f->req);
	memset(f, 0, sizeof(*f));
}

/* A deep copy of a planned input, without its memo (sync_apply takes it). */
static inline void
fake_input_copy(const struct sdn_input *in, struct sdn_input *out)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	out->nhubs = in->nhubs;
	out->hubs = xcalloc(in->nhubs + 1, sizeof(*out->hubs));
	for (i = 0; i < in->nhubs; i++) {
		out->hubs[i] = in->hubs[i];
		out->hubs[i].routes = xcalloc(in->hubs[i].nroutes + 1,
		    sizeof(*out->hubs[i].routes));
		if (in->hubs[i].nroutes > 0)
			memcpy(out->hubs[i].routes, in->hubs[i].routes,
			    in->hubs[i].nroutes * sizeof(*in->hubs[i].routes));
	}
	out->ngws = in->ngws;
	out->gws = xcalloc(in->ngws + 1, sizeof(*out->gws));
	for (i = 0; i < in->ngws; i++) {
		out->gws[i] = in->gws[i];
		out->gws[i].routes = xcalloc(in->gws[i].nroutes + 1,
		    sizeof(*out->gws[i].routes));
		if (in->gws[i].nroutes > 0)
			memcpy(out->gws[i].routes, in->gws[i].routes,
			    in->gws[i].nroutes * sizeof(*in->gws[i].routes));
	}
}

#endif
