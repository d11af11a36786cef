/*
 * Shared fabric tables (share.c, issue 10): for every shipped example, and
 * a generated lab of many spokes, every NIC's lookups through its subnet's
 * table, the goto rules and its group's table give what a lookup in its
 * whole table gives. No root: interface indexes are made up.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../emu/fabric.h"
#include "../../emu/model/plan.h"
#include "../../emu/model/share.h"
#include "../../lib/util.h"
#include "../../emu/lab.h"
#include "../../emu/sync.h"
#include "examples.h"
#include "fakenl.h"
#include "t.h"

/*
 * One example's check holds the kernel routes of one slot at a time (and
 * each group's first slot's): the scale lab's 500 slots of 10,000 routes
 * each would take 2 GB at once. So each slot's table is computed twice.
 */
struct group {
	size_t		 first;		/* its first slot */
	struct kroute	*b;		/* the shared table, by share_intersect */
	size_t		 nb;
	bool		 stray;		/* share_split: B must be empty */
};

/* Kernel routes of slot s, as the daemon would install them. */
static size_t
slot_kernel(struct fabric *f, const struct topo *t, const struct plan *p,
    const struct share_layout *l, size_t s, struct kroute **k)
{
	struct sdn_table tab;
	size_t n;

	sdn_effective(t, &p->in, l->rep[s], &tab);
	n = fabric_kernel_routes(f, &tab, k);
	sdn_table_free(&tab);
	return n;
}

static int
u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Sort v and drop its repeats (slots share most prefixes); returns n. */
static size_t
uniq_u32(uint32_t *v, size_t n)
{
	size_t i, m = 0;

	qsort(v, n, sizeof(*v), u32_cmp);
	for (i = 0; i < n; i++)
		if (m == 0 || v[m - 1] != v[i])
			v[m++] = v[i];
	return m;
}

/* Addresses worth asking: each prefix's ends and middle. */
static void
add_probes(uint32_t **v, size_t *n, size_t *cap, const struct kroute *k,
    size_t nk)
{
	size_t i;

	for (i = 0; i < nk; i++) {
		const struct pfx4 *p = &k[i].dst;
		uint32_t span = ~pfx_mask(p->len);

		xgrow(v, cap, *n + 3, sizeof(**v));
		(*v)[(*n)++] = p->addr;
		(*v)[(*n)++] = p->addr | span;
		(*v)[(*n)++] = p->addr | (span >> 1);
	}
	if (*n > 1000000)
		*n = uniq_u32(*v, *n);
}

/* ... and every NIC, and more. */
static size_t
end_probes(const struct topo *t, uint32_t **v, size_t n, size_t *cap)
{
	unsigned seed = 11;
	size_t i;

	for (i = 0; i < t->nnics; i++) {
		xgrow(v, cap, n + 1, sizeof(**v));
		(*v)[n++] = t->nics[i]->ip;
	}
	for (i = 0; i < 2000; i++) {
		xgrow(v, cap, n + 1, sizeof(**v));
		(*v)[n++] = (uint32_t)rand_r(&seed) << 1 ^ (uint32_t)rand_r(&seed);
	}
	return uniq_u32(*v, n);
}

static bool
same_routes(const struct kroute *a, size_t na, const struct kroute *b,
    size_t nb)
{
	size_t i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (!share_route_equal(&a[i], &b[i]))
			return false;
	return true;
}

#define LOOKUP_BUDGET	2000000u	/* lookups per example, about */

/*
 * A table as the engine left it in the fake kernel (empty if none), as the
 * model's routes (a route the model never makes compares unequal).
 */
static struct kroute *
held_table(struct fakenl *fk, uint32_t table, size_t *n)
{
	size_t odd = 0;

	return fake_model_table(fk, table, n, &odd);
}

/*
 * The lab daemon's own sync engine (sync.c) programs a fake kernel
 * (fakenl.h); every slot's lookups through the tables it left are
 * compared with the slot's whole table. Returns the mismatches; counts
 * routes held with and without sharing. *diff_bad: the groups and slots
 * whose tables are not what share_intersect and share_split give.
 */
static size_t
check_topo(const char *what, const struct topo *t, size_t *held,
    size_t *whole, size_t *asked, size_t *diff_bad)
{
	struct share_layout *l;
	struct plan p;
	struct fabric f;
	struct fakenl fk;
	struct sync_nl ops;
	struct sync e;
	struct sdn_input in;
	struct group *gr;
	struct kroute *k, *d;
	struct kroute *B, *D;
	uint32_t *pr = NULL;
	size_t npr = 0, cap = 0, nk, nd, nB, nD, s, g, i, stride, bad = 0;

	plan_run(t, &p);	/* leaves its memo started */
	sdn_memo_fill(t, &p.in);
	fabric_init(&f, NULL, t);
	for (i = 0; i < t->nnics; i++)
		f.ifindex[i] = 100 + (int)i;
	f.inet = 2;
	f.none = 3;
	fake_init(&fk, &ops);
	sync_init(&e, t, &f, &ops, NULL);
	fake_input_copy(&p.in, &in);
	sync_apply(&e, &in);
	l = &e.share;
	gr = xcalloc(l->ngroups ? l->ngroups : 1, sizeof(*gr));
	for (g = 0; g < l->ngroups; g++)
		gr[g].first = SIZE_MAX;
	*held = *whole = *asked = *diff_bad = 0;

	/* 1: each group's shared table; the addresses to ask */
	for (s = 0; s < l->nslots; s++) {
		struct group *G = &gr[l->group[s]];

		nk = slot_kernel(&f, t, &p, l, s, &k);
		share_intersect(&G->b, &G->nb, k, nk, G->first == SIZE_MAX);
		if (G->first == SIZE_MAX)
			G->first = s;
		add_probes(&pr, &npr, &cap, k, nk);
		free(k);
	}
	npr = end_probes(t, &pr, npr, &cap);
	/* the scale lab: each slot asks every stride-th address, from its own
	 * offset, so that all are asked and the test stays short */
	stride = npr * l->nslots / LOOKUP_BUDGET + 1;

	/* 2, a group at a time: does a slot's throw stray (then B is empty)? */
	for (s = 0; s < l->nslots; s++) {
		struct group *G = &gr[l->group[s]];
		const struct topo_vnet *v = l->slot[s]->vnet;

		if (G->stray)
			continue;
		nk = slot_kernel(&f, t, &p, l, s, &k);
		G->stray = share_split(k, nk, G->b, G->nb, v->space, v->nspace,
		    &d, &nd) > 0;
		free(k);
		free(d);
	}

	/* 3: the engine's tables are share.c's; lookups through them */
	for (g = 0; g < l->ngroups; g++) {
		struct group *G = &gr[g];
		size_t gheld, gwhole = 0, gasked = 0, gbad = 0;

		B = held_table(&fk, LAB_GROUP_TABLE(g), &nB);
		gheld = nB;
		if (!same_routes(B, nB, G->b, G->stray ? 0 : G->nb)) {
			fprintf(stderr, "# %s: group %zu: shared table %zu routes, "
			    "share_intersect %zu%s\n", what, g, nB, G->nb,
			    G->stray ? " (stray: none)" : "");
			(*diff_bad)++;
		}
		for (s = 0; s < l->nslots; s++) {
			const struct topo_vnet *v = l->slot[s]->vnet;

			if (l->group[s] != g)
				continue;
			nk = slot_kernel(&f, t, &p, l, s, &k);
			D = held_table(&fk, LAB_SUBNET_TABLE(s), &nD);
			(void)share_split(k, nk, B, nB, v->space, v->nspace, &d,
			    &nd);
			if (!same_routes(D, nD, d, nd)) {
				fprintf(stderr, "# %s: slot %zu (%s): %zu routes, "
				    "share_split %zu\n", what, s,
				    l->slot[s]->name, nD, nd);
				(*diff_bad)++;
			}
			free(d);
			gheld += nD;
			gwhole += nk * l->nnics[s];
			for (i = s % stride; i < npr; i += stride) {
				const struct kroute *want, *got;
				enum share_how how;
				bool ok;

				want = share_lpm(k, nk, pr[i]);
				how = share_lookup(D, nD, B, nB, v->space,
				    v->nspace, pr[i], &got);
				/* no match and a throw: both the delivery path */
				if (want == NULL || want->type == KROUTE_THROW)
					ok = how != SHARE_ROUTE;
				else
					ok = how == SHARE_ROUTE &&
					    share_route_equal(want, got);
				gasked++;
				if (!ok && bad + gbad++ < 5) {
					char a[ADDR_STRLEN];

					fprintf(stderr, "# %s: slot %zu (%s), %s: "
					    "lookup %d\n", what, s,
					    l->slot[s]->name, addr_fmt(pr[i], a),
					    (int)how);
				}
			}
			free(k);
			free(D);
		}
		free(B);
		*held += gheld;
		*whole += gwhole;
		*asked += gasked;
		bad += gbad;
	}
	for (g = 0; g < l->ngroups; g++)
		free(gr[g].b);
	free(gr);
	free(pr);
	sync_free(&e);
	fake_free(&fk);
	fabric_free(&f);
	plan_free(&p);
	return bad;
}

static void
test_examples(void)
{
	struct topo_err err;
	struct topo *t;
	size_t i, n, held, whole, asked, bad, dbad;
	char **ex = examples_list(&n);

	T_OK(n > 1, "%zu examples from examples/*.json and the fixture", n);
	for (i = 0; i < n; i++) {
		const char *f = ex[i];

		if (!T_EQ(topo_load_file(f, &t, &err), 0, "%s loads", f))
			continue;
		bad = check_topo(f, t, &held, &whole, &asked, &dbad);
		T_EQ(dbad, 0, "%s: the daemon's sync engine programs the tables "
		    "share.c gives", f);
		T_EQ(bad, 0,
		    "%s: %zu lookups through the shared tables give the NICs' own "
		    "tables' answers (%zu routes held instead of %zu)", f,
		    asked, held, whole);
		topo_free(t);
	}
	examples_free(ex);
}

/* Many spokes, some with a route table: most routes are held once. */
static void
test_many_spokes(void)
{
	struct topo_err err;
	struct topo *t;
	size_t held, whole, asked, bad, dbad;

	if (!T_EQ(topo_load_file("test/unit/data/share-spokes.json", &t, &err),
	    0, "share-spokes.json loads (%s)", err.msg))
		return;
	bad = check_topo("share-spokes", t, &held, &whole, &asked, &dbad);
	T_EQ(dbad, 0, "share-spokes: the daemon's sync engine programs the "
	    "tables share.c gives");
	T_EQ(bad, 0,
	    "40 spokes, 2 route tables: %zu lookups through the shared tables "
	    "give the NICs' own tables' answers", asked);
	T_OK(held * 10 < whole, "and the fabric holds %zu routes instead of %zu",
	    held, whole);
	topo_free(t);
}

static struct kroute
rt(const char *p, enum kroute_type type, uint32_t gw)
{
	struct kroute r;

	memset(&r, 0, sizeof(r));
	pfx_parse(p, &r.dst);
	r.type = type;
	if (gw != 0) {
		r.nnh = 1;
		r.nh[0] = (struct kroute_nh){ .gw = gw, .link = 7, .onlink = true,
		    .weight = 1 };
	}
	return r;
}

/*
 * A throw outside a slot's own space that its group does not share (not a
 * case the grouping makes, but share_split must see it): with a shared
 * table the lookup would go wrong, so the group shares nothing.
 */
static void
test_stray_throw(void)
{
	struct kroute ka[2], kb[1], *b = NULL, *da, *db;
	const struct kroute *got;
	struct pfx4 ta, tb;
	size_t nb, nda, ndb;
	uint32_t d;

	ka[0] = rt("0.0.0.0/0", KROUTE_UNICAST, 0x0a000204);
	ka[1] = rt("10.9.0.0/16", KROUTE_THROW, 0);
	kb[0] = ka[0];
	pfx_parse("10.1.0.0/16", &ta);
	pfx_parse("10.2.0.0/16", &tb);
	addr_parse("10.9.1.1", &d);
	share_intersect(&b, &nb, ka, 2, true);
	share_intersect(&b, &nb, kb, 1, false);
	T_EQ(nb, 1, "the intersection holds the default route only");
	T_EQ(share_split(ka, 2, b, nb, &ta, 1, &da, &nda), 1,
	    "share_split counts the throw of 10.9.0.0/16 that only one slot has");
	T_EQ(share_lookup(da, nda, b, nb, &ta, 1, d, &got),
	    SHARE_ROUTE, "with the shared table, 10.9.1.1 would take the default "
	    "route (wrong: its own table throws it to delivery)");
	free(da);
	T_EQ(share_split(ka, 2, b, 0, &ta, 1, &da, &nda), 0,
	    "with nothing shared, no stray throw");
	T_EQ(nda, 2, "and the slot's table is its whole table");
	T_OK(share_lookup(da, nda, b, 0, &ta, 1, d,
	    &got) != SHARE_ROUTE,
	    "and 10.9.1.1 goes to the delivery path, as its own table says");
	(void)share_split(kb, 1, b, 0, &tb, 1, &db, &ndb);
	T_OK(share_lookup(db, ndb, b, 0, &tb, 1, d,
	    &got) == SHARE_ROUTE && got->nh[0].gw ==
	    0x0a000204, "while the other slot still takes its default route");
	free(da);
	free(db);
	free(b);
}

/*
 * A route only the group's first slot has, outside its space: it is not
 * shared, so it stays in that slot's table (from differences too).
 */
static void
test_diff_only_first(void)
{
	struct kroute ka[2], kb[1], *b = NULL, *da, *da2, *b2;
	struct share_diff sa, sb;
	struct pfx4 ta, tb;
	size_t nb, nda, nda2, nb2;

	ka[0] = rt("0.0.0.0/0", KROUTE_UNICAST, 0x0a000204);
	ka[1] = rt("10.9.0.0/16", KROUTE_UNICAST, 0x0a000205);
	kb[0] = ka[0];
	pfx_parse("10.1.0.0/16", &ta);
	pfx_parse("10.2.0.0/16", &tb);
	share_intersect(&b, &nb, ka, 2, true);
	share_intersect(&b, &nb, kb, 1, false);
	(void)share_split(ka, 2, b, nb, &ta, 1, &da, &nda);
	share_diff(ka, 2, ka, 2, &sa);
	share_diff(ka, 2, kb, 1, &sb);
	T_EQ(sb.nm, 1, "the second slot lacks one route of the first");
	nb2 = share_base(ka, 2, sb.m, sb.nm, &b2);
	(void)share_split_diff(ka, 2, &sa, sb.m, sb.nm, false, &ta, 1, &da2, &nda2);
	T_OK(nb2 == nb && nda == 1 && nda2 == nda &&
	    share_route_equal(&da2[0], &ka[1]), "the first slot keeps 10.9.0.0/16 "
	    "in its own table, by either way (%zu, %zu routes)", nda, nda2);
	share_diff_free(&sa);
	share_diff_free(&sb);
	free(b);
	free(b2);
	free(da);
	free(da2);
}

int
main(void)
{
	test_examples();
	test_many_spokes();
	test_stray_throw();
	test_diff_only_first();
	return t_done();
}
