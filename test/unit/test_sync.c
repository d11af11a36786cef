/*
 * test_sync: the lab daemon's own sync engine (sync.c) against a
 * recording fake of its netlink seam (fakenl.h): the requests of a first
 * sync, of one changed route (a batch to the group tables alone, no
 * dump), of a withdrawal, and none for a sync with nothing changed; and
 * that the tables the increments leave are the tables a whole sync makes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../emu/fabric.h"
#include "../../emu/lab.h"
#include "../../emu/model/plan.h"
#include "../../emu/sync.h"
#include "../../lib/util.h"
#include "fakenl.h"
#include "t.h"

#define EXAMPLE	"examples/single-hub.json"

struct rig {
	struct topo		*t;
	struct plan		 p;
	struct fabric		 f;
	struct fakenl		 fake;
	struct sync_nl		 ops;
	struct sync		 e;
};

static int
rig_open(struct rig *r, const char *file)
{
	struct topo_err err;
	size_t i;

	memset(r, 0, sizeof(*r));
	if (topo_load_file(file, &r->t, &err) != 0) {
		T_OK(0, "load %s: %s", file, err.msg);
		return -1;
	}
	plan_run(r->t, &r->p);
	fabric_init(&r->f, NULL, r->t);
	for (i = 0; i < r->t->nnics; i++)
		r->f.ifindex[i] = 100 + (int)i;
	r->f.inet = 2;
	r->f.none = 3;
	fake_init(&r->fake, &r->ops);
	sync_init(&r->e, r->t, &r->f, &r->ops, NULL);
	return 0;
}

static void
rig_close(struct rig *r)
{
	sync_free(&r->e);
	fake_free(&r->fake);
	fabric_free(&r->f);
	plan_free(&r->p);
	topo_free(r->t);
}

/* Sync the planned input (as the watches would give it) once more. */
static size_t
rig_sync(struct rig *r)
{
	struct sdn_input in;

	fake_clear(&r->fake);
	fake_input_copy(&r->p.in, &in);
	return sync_apply(&r->e, &in);
}

static bool
is_group(uint32_t table)
{
	return table >= LAB_GROUP_TABLE(0);
}

static size_t
routes_held(const struct fakenl *f)
{
	size_t i, n = 0;

	for (i = 0; i < f->nt; i++)
		n += f->t[i].n;
	return n;
}

/* Two fakes hold the same non-empty tables with the same routes. */
static bool
same_tables(const struct fakenl *a, const struct fakenl *b)
{
	size_t i, k, na = 0, nb = 0;
	struct fake_table *o;

	for (i = 0; i < b->nt; i++)
		nb += b->t[i].n > 0;
	for (i = 0; i < a->nt; i++) {
		if (a->t[i].n == 0)
			continue;
		na++;
		o = fake_table((struct fakenl *)b, a->t[i].table, false);
		if (o == NULL || o->n != a->t[i].n)
			return false;
		for (k = 0; k < o->n; k++)
			if (!pfx_equal(&o->v[k].dst, &a->t[i].v[k].dst) ||
			    !fake_route_equal(&o->v[k], &a->t[i].v[k]))
				return false;
	}
	return na == nb;
}

/* A hub route that only the group tables hold: not refused, one next hop. */
static struct sdn_bgp_route *
pick_route(struct rig *r, size_t *hub, size_t *at)
{
	struct sdn_hub_routes *h;
	size_t i, k;

	for (i = 0; i < r->p.in.nhubs; i++) {
		h = &r->p.in.hubs[i];
		for (k = h->nroutes; k-- > 0; ) {
			const struct pfx4 *p = &h->routes[k].pfx;

			/* 0/0 and the reserved ranges reach further (sdn.h) */
			if (h->routes[k].nnh != 1 || p->len <= 8 ||
			    (p->addr == 0xac100000 && p->len == 12) ||
			    (p->addr == 0xc0a80000 && p->len == 16) ||
			    (p->addr == 0x64400000 && p->len == 10))
				continue;
			*hub = i;
			*at = k;
			return &h->routes[k];
		}
	}
	return NULL;
}

/* A whole sync of the same input: the tables the increments must leave. */
static void
check_whole(struct rig *r, const char *what)
{
	struct sdn_input in;
	struct fakenl fake;
	struct sync_nl ops;
	struct sync w;

	fake_init(&fake, &ops);
	sync_init(&w, r->t, &r->f, &ops, NULL);
	w.no_incr = true;
	fake_input_copy(&r->p.in, &in);
	sync_apply(&w, &in);
	T_OK(same_tables(&r->fake, &fake), "%s: the tables are those of a "
	    "whole sync (%zu routes)", what, routes_held(&fake));
	sync_free(&w);
	fake_free(&fake);
}

static void
test_sync(void)
{
	struct rig r;
	struct sdn_bgp_route *rt, saved;
	struct sdn_hub_routes *h;
	size_t i, hub = 0, at = 0, n, held, groups;
	bool ok;

	if (rig_open(&r, EXAMPLE) != 0)
		return;

	/* a first sync: every table dumped once, only replaces */
	n = rig_sync(&r);
	held = routes_held(&r.fake);
	T_EQ(r.fake.dumps, r.e.share.nslots + r.e.share.ngroups,
	    "first sync: each subnet and group table dumped once (%u)",
	    r.fake.dumps);
	for (i = 0, ok = r.fake.nreq > 0; i < r.fake.nreq; i++)
		ok &= r.fake.req[i].op == 'r';
	T_OK(ok, "first sync: replaces only (%zu)", r.fake.nreq);
	T_EQ(r.fake.nreq, held, "first sync: one request a route held (%zu)",
	    held);
	T_OK(n > 0, "first sync: tables changed (%zu)", n);

	/* nothing changed: nothing sent, nothing dumped */
	n = rig_sync(&r);
	T_EQ(r.fake.nreq, 0, "the same input again: no request");
	T_EQ(r.fake.dumps, 0, "the same input again: no dump");
	T_EQ(n, 0, "the same input again: no table changed");

	/* one route's next hop changed: the group tables alone */
	rt = pick_route(&r, &hub, &at);
	T_OK(rt != NULL, "single-hub: a hub route only group tables hold");
	if (rt == NULL)
		goto out;
	saved = *rt;
	rt->nh[0] = r.t->nics[0]->ip;
	n = rig_sync(&r);
	for (i = 0, ok = r.fake.nreq > 0, groups = 0; i < r.fake.nreq; i++) {
		ok &= r.fake.req[i].op == 'r' && is_group(r.fake.req[i].table) &&
		    pfx_equal(&r.fake.req[i].dst, &rt->pfx);
		groups += i == 0 || r.fake.req[i].table != r.fake.req[i - 1].table;
	}
	T_OK(ok, "one changed route: replaces of that prefix in group tables "
	    "only (%zu)", r.fake.nreq);
	T_EQ(r.fake.nreq, groups, "one changed route: one request a group "
	    "table (%zu)", groups);
	T_EQ(r.fake.nreq, r.e.share.ngroups == 1 ? 1 : r.fake.nreq,
	    "one group: one request");
	T_EQ(r.fake.dumps, 0, "one changed route: no dump");
	T_EQ(n, groups, "one changed route: as many tables changed");
	check_whole(&r, "after a changed route");

	/* the route withdrawn: deletes from the group tables alone */
	h = &r.p.in.hubs[hub];
	memmove(&h->routes[at], &h->routes[at + 1],
	    (h->nroutes - at - 1) * sizeof(*h->routes));
	h->nroutes--;
	n = rig_sync(&r);
	for (i = 0, ok = r.fake.nreq > 0; i < r.fake.nreq; i++)
		ok &= r.fake.req[i].op == 'd' && is_group(r.fake.req[i].table) &&
		    pfx_equal(&r.fake.req[i].dst, &saved.pfx);
	T_OK(ok, "a withdrawal: deletes of that prefix from group tables only "
	    "(%zu)", r.fake.nreq);
	T_EQ(r.fake.dumps, 0, "a withdrawal: no dump");
	T_EQ(routes_held(&r.fake), held - r.fake.nreq, "a withdrawal: the "
	    "route is gone, nothing else");
	check_whole(&r, "after a withdrawal");

	/* and back: the tables of the first sync */
	memmove(&h->routes[at + 1], &h->routes[at],
	    (h->nroutes - at) * sizeof(*h->routes));
	h->routes[at] = saved;
	h->nroutes++;
	n = rig_sync(&r);
	T_EQ(r.fake.dumps, 0, "the route back: no dump");
	T_EQ(routes_held(&r.fake), held, "the route back: as many routes as "
	    "the first sync");
	n = rig_sync(&r);
	T_EQ(r.fake.nreq + n, 0, "then nothing changed: no request");
out:
	rig_close(&r);
}

int
main(void)
{
	test_sync();
	return t_done();
}
