/*
 * The sharing algorithms (emu/model/share.c, issue 10), pure: linked
 * without libemu.a. For every shipped example, and a generated lab of many
 * spokes, every NIC's lookups through its subnet's table, the goto rules
 * and its group's table give what a lookup in its whole table gives; and
 * the split from differences (share_diff, share_base, share_split_diff:
 * what the lab daemon's sync.c uses) gives the tables the split from whole
 * tables (share_intersect, share_split) gives. The kernel routes are
 * kroute.c's, with made-up links. test_sharesync checks that the daemon's
 * engine programs these tables.
 */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../emu/model/kroute.h"
#include "../../emu/model/plan.h"
#include "../../emu/model/share.h"
#include "../../lib/util.h"
#include "examples.h"
#include "t.h"

#define EDGE_ADDR	0xc0000008u	/* as the lab's (lab.h) */

/*
 * One example's check holds the kernel routes of one slot at a time (and
 * each group's first slot's): the scale lab's 500 slots of 10,000 routes
 * each would take 2 GB at once. So each slot's table is computed again
 * when needed.
 */
struct group {
	size_t		 first;		/* its first slot */
	struct kroute	*b;		/* the shared table, by share_intersect */
	size_t		 nb;
	bool		 stray;		/* share_split: B must be empty */
	struct kroute	*base;		/* the first slot's whole table */
	size_t		 nbase;
	struct pfx4	*mall;		/* every other slot's m, sorted, once */
	size_t		 nm, capm;
};

struct rig {
	const struct topo	*t;
	struct plan		 p;
	struct share_layout	 l;
	struct kroute_links	 links;
	int			*nic;
};

static void
rig_open(struct rig *r, const struct topo *t)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	r->t = t;
	plan_run(t, &r->p);	/* leaves its memo started */
	sdn_memo_fill(t, &r->p.in);
	share_layout(t, &r->l);
	r->nic = xcalloc(t->nnics + 1, sizeof(*r->nic));
	for (i = 0; i < t->nnics; i++)
		r->nic[i] = 100 + (int)i;
	r->links = (struct kroute_links){ t, r->nic, 2, 3, EDGE_ADDR, NULL };
}

static void
rig_close(struct rig *r)
{
	share_layout_free(&r->l);
	plan_free(&r->p);
	free(r->nic);
}

/* Kernel routes of slot s, as the daemon would make them. */
static size_t
slot_kernel(const struct rig *r, size_t s, struct kroute **k)
{
	struct sdn_table tab;
	size_t n;

	sdn_effective(r->t, &r->p.in, r->l.rep[s], &tab);
	n = kroute_table(&r->links, &tab, k);
	sdn_table_free(&tab);
	return n;
}

/* Sort v and drop its repeats (slots share most prefixes); returns n. */
static size_t
uniq_u32(uint32_t *v, size_t n)
{
	size_t i, m = 0;

	qsort(v, n, sizeof(*v), u32_qcmp);
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

/* 1: each group's shared table and first table; the addresses to ask. */
static size_t
pass_intersect(struct rig *r, struct group *gr, uint32_t **pr, size_t *cap)
{
	struct kroute *k;
	size_t s, nk, npr = 0;

	for (s = 0; s < r->l.nslots; s++) {
		struct group *G = &gr[r->l.group[s]];
		bool first = G->first == SIZE_MAX;

		nk = slot_kernel(r, s, &k);
		share_intersect(&G->b, &G->nb, k, nk, first);
		add_probes(pr, &npr, cap, k, nk);
		if (first) {
			G->first = s;
			G->base = k;
			G->nbase = nk;
		} else
			free(k);
	}
	return end_probes(r->t, pr, npr, cap);
}

/* 2: does a slot's throw stray (then B is empty)? Every other slot's m. */
static void
pass_stray(struct rig *r, struct group *gr)
{
	struct kroute *k, *d;
	struct share_diff sd;
	size_t s, nk, nd;

	for (s = 0; s < r->l.nslots; s++) {
		struct group *G = &gr[r->l.group[s]];
		const struct topo_vnet *v = r->l.slot[s]->vnet;

		nk = slot_kernel(r, s, &k);
		if (!G->stray) {
			G->stray = share_split(k, nk, G->b, G->nb, v->space,
			    v->nspace, &d, &nd) > 0;
			free(d);
		}
		if (s != G->first) {
			share_diff(G->base, G->nbase, k, nk, &sd);
			xgrow(&G->mall, &G->capm, G->nm + sd.nm + 1,
			    sizeof(*G->mall));
			if (sd.nm > 0)
				memcpy(G->mall + G->nm, sd.m, sd.nm *
				    sizeof(*sd.m));
			G->nm += sd.nm;
			share_diff_free(&sd);
		}
		free(k);
	}
}

static void
mall_sort(struct group *G)
{
	size_t i, n = 0;

	if (G->nm > 1)
		qsort(G->mall, G->nm, sizeof(*G->mall), pfx_qcmp);
	for (i = 0; i < G->nm; i++)
		if (n == 0 || !pfx_equal(&G->mall[n - 1], &G->mall[i]))
			G->mall[n++] = G->mall[i];
	G->nm = n;
}

/* Lookups of slot s through (D, B) against its whole table k; the misses. */
static size_t
lookups(const char *what, const struct rig *r, size_t s,
    const struct kroute *k, size_t nk, const struct kroute *D, size_t nD,
    const struct kroute *B, size_t nB, const uint32_t *pr, size_t npr,
    size_t stride, size_t *asked, size_t bad)
{
	const struct topo_vnet *v = r->l.slot[s]->vnet;
	size_t i, miss = 0;

	for (i = s % stride; i < npr; i += stride) {
		const struct kroute *want, *got;
		enum share_how how;
		bool ok;

		want = share_lpm(k, nk, pr[i]);
		how = share_lookup(D, nD, B, nB, v->space, v->nspace, pr[i],
		    &got);
		/* no match and a throw: both the delivery path */
		if (want == NULL || want->type == KROUTE_THROW)
			ok = how != SHARE_ROUTE;
		else
			ok = how == SHARE_ROUTE && share_route_equal(want, got);
		(*asked)++;
		if (!ok && bad + miss++ < 5) {
			char a[ADDR_STRLEN];

			fprintf(stderr, "# %s: slot %zu (%s), %s: lookup %d\n",
			    what, s, r->l.slot[s]->name, addr_fmt(pr[i], a),
			    (int)how);
		}
	}
	return miss;
}

/*
 * 3, a group at a time: the split from differences gives the same tables
 * (*diff_bad counts where not), and lookups through them are right.
 * Returns the wrong lookups; counts routes held with and without sharing.
 */
static size_t
pass_split(const char *what, struct rig *r, struct group *gr,
    const uint32_t *pr, size_t npr, size_t *held, size_t *whole,
    size_t *asked, size_t *diff_bad)
{
	struct kroute *k, *d, *d2, *b2;
	struct share_diff sd;
	size_t g, s, nk, nd, nd2, nb, nb2, bad = 0;
	size_t stride = npr * r->l.nslots / LOOKUP_BUDGET + 1;

	for (g = 0; g < r->l.ngroups; g++) {
		struct group *G = &gr[g];

		mall_sort(G);
		nb = G->stray ? 0 : G->nb;
		nb2 = share_base(G->base, G->nbase, G->mall, G->nm, &b2);
		if (!G->stray && !same_routes(b2, nb2, G->b, G->nb)) {
			fprintf(stderr, "# %s: group %zu: share_base %zu routes, "
			    "share_intersect %zu\n", what, g, nb2, G->nb);
			(*diff_bad)++;
		}
		free(b2);
		*held += nb;
		for (s = 0; s < r->l.nslots; s++) {
			const struct topo_vnet *v = r->l.slot[s]->vnet;

			if (r->l.group[s] != g)
				continue;
			nk = slot_kernel(r, s, &k);
			(void)share_split(k, nk, G->b, nb, v->space, v->nspace,
			    &d, &nd);
			share_diff(G->base, G->nbase, k, nk, &sd);
			(void)share_split_diff(G->base, G->nbase, &sd, G->mall,
			    G->nm, G->stray, v->space, v->nspace, &d2, &nd2);
			if (!same_routes(d, nd, d2, nd2)) {
				fprintf(stderr, "# %s: slot %zu (%s): share_split "
				    "%zu routes, share_split_diff %zu\n", what, s,
				    r->l.slot[s]->name, nd, nd2);
				(*diff_bad)++;
			}
			*held += nd;
			*whole += nk * r->l.nnics[s];
			bad += lookups(what, r, s, k, nk, d, nd, G->b, nb, pr,
			    npr, stride, asked, bad);
			share_diff_free(&sd);
			free(d);
			free(d2);
			free(k);
		}
	}
	return bad;
}

/* Returns the wrong lookups. */
static size_t
check_topo(const char *what, const struct topo *t, size_t *held,
    size_t *whole, size_t *asked, size_t *diff_bad)
{
	struct rig r;
	struct group *gr;
	uint32_t *pr = NULL;
	size_t npr, cap = 0, g, bad;

	rig_open(&r, t);
	gr = xcalloc(r.l.ngroups ? r.l.ngroups : 1, sizeof(*gr));
	for (g = 0; g < r.l.ngroups; g++)
		gr[g].first = SIZE_MAX;
	*held = *whole = *asked = *diff_bad = 0;
	npr = pass_intersect(&r, gr, &pr, &cap);
	pass_stray(&r, gr);
	bad = pass_split(what, &r, gr, pr, npr, held, whole, asked, diff_bad);
	for (g = 0; g < r.l.ngroups; g++) {
		free(gr[g].b);
		free(gr[g].base);
		free(gr[g].mall);
	}
	free(gr);
	free(pr);
	rig_close(&r);
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
		T_EQ(dbad, 0, "%s: the split from differences gives the tables "
		    "the split from whole tables gives", f);
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
	T_EQ(dbad, 0, "share-spokes: the split from differences gives the "
	    "tables the split from whole tables gives");
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
		r.nh[0] = (struct kroute_nh){ .gw = gw, .link = 7,
		    .onlink = true, .weight = 1 };
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
	T_OK(share_lookup(da, nda, b, 0, &ta, 1, d, &got) != SHARE_ROUTE,
	    "and 10.9.1.1 goes to the delivery path, as its own table says");
	(void)share_split(kb, 1, b, 0, &tb, 1, &db, &ndb);
	T_OK(share_lookup(db, ndb, b, 0, &tb, 1, d, &got) == SHARE_ROUTE &&
	    got->nh[0].gw == 0x0a000204,
	    "while the other slot still takes its default route");
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

/* What the model compares: everything a kernel lookup's answer depends on. */
static void
test_route_equal(void)
{
	struct kroute a = rt("10.9.0.0/16", KROUTE_UNICAST, 0x0a000205), b;

	b = a;
	T_OK(share_route_equal(&a, &b), "a route equals its copy");
	b.nh[0].link = 8;
	T_OK(!share_route_equal(&a, &b), "another output link differs");
	b = a;
	b.scope_link = true;
	T_OK(!share_route_equal(&a, &b), "another scope differs");
	b = a;
	b.type = KROUTE_BLACKHOLE;
	T_OK(!share_route_equal(&a, &b), "another type differs");
	b = a;
	b.nh[0].weight = 2;
	T_OK(!share_route_equal(&a, &b), "another weight differs");
	b = a;
	b.nh[1] = (struct kroute_nh){ .gw = 1, .link = 9 };
	T_OK(share_route_equal(&a, &b), "next hops past nnh do not count");
}

int
main(void)
{
	/*
	 * The scale lab's slots are computed one at a time, 4 MB of routes
	 * each, allocated and freed some 1,500 times: keep freed memory in
	 * the heap, which glibc would hand back to the kernel and fault in
	 * again each time (eight times slower).
	 */
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	test_examples();
	test_many_spokes();
	test_stray_throw();
	test_diff_only_first();
	test_route_equal();
	return t_done();
}
