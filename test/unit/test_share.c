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

#include "../../emu/emu.h"
#include "../../emu/plan.h"
#include "../../emu/share.h"
#include "../../lib/util.h"
#include "examples.h"
#include "t.h"

struct slotk {
	struct nl_route	*k;
	size_t		 nk;
	struct nl_route	*d;
	size_t		 nd;
};

/* Kernel routes of every slot, as the daemon would install them. */
static void
kernel_tables(const struct topo *t, const struct plan *p,
    const struct share_layout *l, struct slotk *sk)
{
	struct fabric f;
	struct sdn_table tab;
	size_t i, s;

	fabric_init(&f, NULL, t);
	for (i = 0; i < t->nnics; i++)
		f.ifindex[i] = 100 + (int)i;
	f.inet = 2;
	f.none = 3;
	for (s = 0; s < l->nslots; s++) {
		sdn_effective(t, &p->in, l->rep[s], &tab);
		sk[s].nk = fabric_kernel_routes(&f, &tab, &sk[s].k);
		sdn_table_free(&tab);
	}
	fabric_free(&f);
}

/* Addresses worth asking: each prefix's ends and middle, every NIC, more. */
static size_t
probes(const struct topo *t, const struct slotk *sk, size_t nslots,
    uint32_t **out)
{
	uint32_t *v = NULL;
	size_t n = 0, cap = 0, s, i;
	unsigned seed = 11;

	for (s = 0; s < nslots; s++)
		for (i = 0; i < sk[s].nk; i++) {
			const struct pfx4 *p = &sk[s].k[i].dst;
			uint32_t span = ~pfx_mask(p->len);

			xgrow(&v, &cap, n + 3, sizeof(*v));
			v[n++] = p->addr;
			v[n++] = p->addr | span;
			v[n++] = p->addr | (span >> 1);
		}
	for (i = 0; i < t->nnics; i++) {
		xgrow(&v, &cap, n + 1, sizeof(*v));
		v[n++] = t->nics[i]->ip;
	}
	for (i = 0; i < 2000; i++) {
		xgrow(&v, &cap, n + 1, sizeof(*v));
		v[n++] = (uint32_t)rand_r(&seed) << 1 ^ (uint32_t)rand_r(&seed);
	}
	*out = v;
	return n;
}

/*
 * Split as the daemon does (daemon.c recompute_group) and compare every
 * slot's lookups with its whole table. Returns the mismatches; counts
 * routes held with and without sharing.
 */
static bool
same_routes(const struct nl_route *a, size_t na, const struct nl_route *b,
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

static int
pfx_qcmp(const void *a, const void *b)
{
	return pfx_cmp(a, b);
}

/*
 * The daemon's way (share_diff, share_base, share_split_diff from the
 * group's first slot) gives the same shared table and the same slot tables
 * as share_intersect and share_split. Returns the slots that differ.
 */
static size_t
check_diff(const struct share_layout *l, size_t g, const struct slotk *sk,
    const struct nl_route *b, size_t nb, bool empty)
{
	struct share_diff *sd = xcalloc(l->nslots, sizeof(*sd));
	struct pfx4 *mall = NULL;
	struct nl_route *b2, *d2;
	size_t s, first = SIZE_MAX, nm = 0, cap = 0, i, n, nb2, nd2, bad = 0;

	for (s = 0; s < l->nslots; s++)
		if (l->group[s] == g && first == SIZE_MAX)
			first = s;
	for (s = 0; s < l->nslots; s++) {
		if (l->group[s] != g)
			continue;
		share_diff(sk[first].k, sk[first].nk, sk[s].k, sk[s].nk, &sd[s]);
		xgrow(&mall, &cap, nm + sd[s].nm + 1, sizeof(*mall));
		if (sd[s].nm > 0)
			memcpy(mall + nm, sd[s].m, sd[s].nm * sizeof(*mall));
		nm += sd[s].nm;
	}
	qsort(mall, nm, sizeof(*mall), pfx_qcmp);
	for (i = n = 0; i < nm; i++)
		if (n == 0 || !pfx_equal(&mall[n - 1], &mall[i]))
			mall[n++] = mall[i];
	nb2 = share_base(sk[first].k, sk[first].nk, mall, n, &b2);
	if (!empty && !same_routes(b, nb, b2, nb2)) {
		fprintf(stderr, "# group %zu: shared table %zu routes, from "
		    "differences %zu\n", g, nb, nb2);
		bad++;
	}
	for (s = 0; s < l->nslots; s++) {
		const struct topo_vnet *v = l->slot[s]->vnet;

		if (l->group[s] != g)
			continue;
		(void)share_split_diff(sk[first].k, sk[first].nk, &sd[s], mall, n,
		    empty, v->space, v->nspace, &d2, &nd2);
		if (!same_routes(sk[s].d, sk[s].nd, d2, nd2)) {
			fprintf(stderr, "# slot %zu (%s): %zu routes, from "
			    "differences %zu\n", s, l->slot[s]->name, sk[s].nd, nd2);
			bad++;
		}
		free(d2);
		share_diff_free(&sd[s]);
	}
	free(b2);
	free(mall);
	free(sd);
	return bad;
}

static size_t
check_topo(const char *what, const struct topo *t, size_t *held,
    size_t *whole, size_t *asked, size_t *diff_bad)
{
	struct share_layout l;
	struct plan p;
	struct slotk *sk;
	uint32_t *pr;
	size_t npr, s, g, i, bad = 0;

	plan_run(t, &p);
	share_layout(t, &l);
	sk = xcalloc(l.nslots ? l.nslots : 1, sizeof(*sk));
	kernel_tables(t, &p, &l, sk);
	npr = probes(t, sk, l.nslots, &pr);
	*held = *whole = *asked = *diff_bad = 0;
	for (g = 0; g < l.ngroups; g++) {
		struct nl_route *b = NULL;
		size_t nb = 0, stray = 0;
		bool first = true;

		for (s = 0; s < l.nslots; s++)
			if (l.group[s] == g) {
				share_intersect(&b, &nb, sk[s].k, sk[s].nk, first);
				first = false;
			}
		for (s = 0; s < l.nslots; s++)
			if (l.group[s] == g) {
				const struct topo_vnet *v = l.slot[s]->vnet;

				stray += share_split(sk[s].k, sk[s].nk, b, nb,
				    v->space, v->nspace, &sk[s].d, &sk[s].nd);
			}
		if (stray > 0) {
			nb = 0;
			for (s = 0; s < l.nslots; s++)
				if (l.group[s] == g) {
					const struct topo_vnet *v = l.slot[s]->vnet;

					free(sk[s].d);
					(void)share_split(sk[s].k, sk[s].nk, b, 0,
					    v->space, v->nspace, &sk[s].d, &sk[s].nd);
				}
		}
		*held += nb;
		*diff_bad += check_diff(&l, g, sk, b, nb, stray > 0);
		for (s = 0; s < l.nslots; s++) {
			const struct topo_vnet *v = l.slot[s]->vnet;

			if (l.group[s] != g)
				continue;
			*held += sk[s].nd;
			*whole += sk[s].nk * l.nnics[s];
			for (i = 0; i < npr; i++) {
				const struct nl_route *want, *got;
				enum share_how how;
				bool ok;

				want = share_lpm(sk[s].k, sk[s].nk, pr[i]);
				how = share_lookup(sk[s].d, sk[s].nd, b, nb,
				    v->space, v->nspace, pr[i], &got);
				/* no match and a throw: both the delivery path */
				if (want == NULL || want->type == NL_RT_THROW)
					ok = how != SHARE_ROUTE;
				else
					ok = how == SHARE_ROUTE &&
					    share_route_equal(want, got);
				(*asked)++;
				if (!ok && bad++ < 5) {
					char a[ADDR_STRLEN];

					fprintf(stderr, "# %s: slot %zu (%s), %s: "
					    "lookup %d\n", what, s,
					    l.slot[s]->name, addr_fmt(pr[i], a),
					    (int)how);
				}
			}
		}
		free(b);
	}
	for (s = 0; s < l.nslots; s++) {
		free(sk[s].k);
		free(sk[s].d);
	}
	free(sk);
	free(pr);
	share_layout_free(&l);
	plan_free(&p);
	return bad;
}

static void
test_examples(void)
{
	struct topo_err err;
	struct topo *t;
	size_t i, held, whole, asked, bad, dbad;

	for (i = 0; i < NELEM(shipped_examples); i++) {
		const char *f = shipped_examples[i];

		if (!T_EQ(topo_load_file(f, &t, &err), 0, "%s loads", f))
			continue;
		bad = check_topo(f, t, &held, &whole, &asked, &dbad);
		T_EQ(dbad, 0, "%s: the daemon's split from differences gives the "
		    "same tables", f);
		T_EQ(bad, 0,
		    "%s: %zu lookups through the shared tables give the NICs' own "
		    "tables' answers (%zu routes held instead of %zu)", f,
		    asked, held, whole);
		topo_free(t);
	}
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
	T_EQ(dbad, 0, "share-spokes: the daemon's split from differences gives "
	    "the same tables");
	T_EQ(bad, 0,
	    "40 spokes, 2 route tables: %zu lookups through the shared tables "
	    "give the NICs' own tables' answers", asked);
	T_OK(held * 10 < whole, "and the fabric holds %zu routes instead of %zu",
	    held, whole);
	topo_free(t);
}

static struct nl_route
rt(const char *p, enum nl_rtype type, uint32_t gw)
{
	struct nl_route r;

	memset(&r, 0, sizeof(r));
	pfx_parse(p, &r.dst);
	r.type = type;
	if (gw != 0) {
		r.nnh = 1;
		r.nh[0] = (struct nl_nh){ .gw = gw, .ifindex = 7, .onlink = true,
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
	struct nl_route ka[2], kb[1], *b = NULL, *da, *db, *got;
	struct pfx4 ta, tb;
	size_t nb, nda, ndb;
	uint32_t d;

	ka[0] = rt("0.0.0.0/0", NL_RT_UNICAST, 0x0a000204);
	ka[1] = rt("10.9.0.0/16", NL_RT_THROW, 0);
	kb[0] = ka[0];
	pfx_parse("10.1.0.0/16", &ta);
	pfx_parse("10.2.0.0/16", &tb);
	addr_parse("10.9.1.1", &d);
	share_intersect(&b, &nb, ka, 2, true);
	share_intersect(&b, &nb, kb, 1, false);
	T_EQ(nb, 1, "the intersection holds the default route only");
	T_EQ(share_split(ka, 2, b, nb, &ta, 1, &da, &nda), 1,
	    "share_split counts the throw of 10.9.0.0/16 that only one slot has");
	T_EQ(share_lookup(da, nda, b, nb, &ta, 1, d, (const struct nl_route **)&got),
	    SHARE_ROUTE, "with the shared table, 10.9.1.1 would take the default "
	    "route (wrong: its own table throws it to delivery)");
	free(da);
	T_EQ(share_split(ka, 2, b, 0, &ta, 1, &da, &nda), 0,
	    "with nothing shared, no stray throw");
	T_EQ(nda, 2, "and the slot's table is its whole table");
	T_OK(share_lookup(da, nda, b, 0, &ta, 1, d,
	    (const struct nl_route **)&got) != SHARE_ROUTE,
	    "and 10.9.1.1 goes to the delivery path, as its own table says");
	(void)share_split(kb, 1, b, 0, &tb, 1, &db, &ndb);
	T_OK(share_lookup(db, ndb, b, 0, &tb, 1, d,
	    (const struct nl_route **)&got) == SHARE_ROUTE && got->nh[0].gw ==
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
	struct nl_route ka[2], kb[1], *b = NULL, *da, *da2, *b2;
	struct share_diff sa, sb;
	struct pfx4 ta, tb;
	size_t nb, nda, nda2, nb2;

	ka[0] = rt("0.0.0.0/0", NL_RT_UNICAST, 0x0a000204);
	ka[1] = rt("10.9.0.0/16", NL_RT_UNICAST, 0x0a000205);
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
