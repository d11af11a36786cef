/*
 * The lab daemon's sync engine (sync.c) programs the tables the sharing
 * algorithms give (model/share.c; test_share checks those, pure): for
 * every shipped example and a generated lab of many spokes, the engine
 * programs a recording fake kernel (fakenl.h), and each group's table and
 * each subnet's table it leaves, read back as the model's routes at the
 * kernel edge (fabric_model_route), are share_intersect's and
 * share_split's. No root: interface indexes are made up.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../emu/fabric.h"
#include "../../emu/lab.h"
#include "../../emu/model/plan.h"
#include "../../emu/model/share.h"
#include "../../emu/sync.h"
#include "../../lib/util.h"
#include "examples.h"
#include "fakenl.h"
#include "t.h"

struct group {
	size_t		 first;		/* its first slot */
	struct kroute	*b;		/* the shared table, by share_intersect */
	size_t		 nb;
	bool		 stray;		/* share_split: B must be empty */
};

/* Kernel routes of slot s, as the daemon makes them. */
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

/* Each group's shared table, and whether a slot's throw strays. */
static void
groups(struct fabric *f, const struct topo *t, const struct plan *p,
    const struct share_layout *l, struct group *gr)
{
	struct kroute *k, *d;
	size_t s, nk, nd;

	for (s = 0; s < l->nslots; s++) {
		struct group *G = &gr[l->group[s]];

		nk = slot_kernel(f, t, p, l, s, &k);
		share_intersect(&G->b, &G->nb, k, nk, G->first == SIZE_MAX);
		if (G->first == SIZE_MAX)
			G->first = s;
		free(k);
	}
	for (s = 0; s < l->nslots; s++) {
		struct group *G = &gr[l->group[s]];
		const struct topo_vnet *v = l->slot[s]->vnet;

		if (G->stray)
			continue;
		nk = slot_kernel(f, t, p, l, s, &k);
		G->stray = share_split(k, nk, G->b, G->nb, v->space, v->nspace,
		    &d, &nd) > 0;
		free(k);
		free(d);
	}
}

/*
 * The engine's tables against share.c's: returns the groups and slots
 * whose tables differ; *nroutes counts the routes the engine left, *odd
 * those of a kind fabric never makes.
 */
static size_t
check_topo(const char *what, const struct topo *t, size_t *nroutes,
    size_t *odd)
{
	struct share_layout *l;
	struct plan p;
	struct fabric f;
	struct fakenl fk;
	struct sync_nl ops;
	struct sync e;
	struct sdn_input in;
	struct group *gr;
	struct kroute *k, *d, *B, *D;
	size_t nk, nd, nB, nD, s, g, i, bad = 0;

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
	*nroutes = *odd = 0;
	groups(&f, t, &p, l, gr);
	for (g = 0; g < l->ngroups; g++) {
		struct group *G = &gr[g];

		B = fake_model_table(&fk, LAB_GROUP_TABLE(g), &nB, odd);
		*nroutes += nB;
		if (!same_routes(B, nB, G->b, G->stray ? 0 : G->nb)) {
			fprintf(stderr, "# %s: group %zu: shared table %zu routes, "
			    "share_intersect %zu%s\n", what, g, nB, G->nb,
			    G->stray ? " (stray: none)" : "");
			bad++;
		}
		for (s = 0; s < l->nslots; s++) {
			const struct topo_vnet *v = l->slot[s]->vnet;

			if (l->group[s] != g)
				continue;
			nk = slot_kernel(&f, t, &p, l, s, &k);
			D = fake_model_table(&fk, LAB_SUBNET_TABLE(s), &nD, odd);
			*nroutes += nD;
			(void)share_split(k, nk, B, nB, v->space, v->nspace, &d,
			    &nd);
			if (!same_routes(D, nD, d, nd)) {
				fprintf(stderr, "# %s: slot %zu (%s): %zu routes, "
				    "share_split %zu\n", what, s,
				    l->slot[s]->name, nD, nd);
				bad++;
			}
			free(d);
			free(D);
			free(k);
		}
		free(B);
	}
	for (g = 0; g < l->ngroups; g++)
		free(gr[g].b);
	free(gr);
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
	size_t i, n, bad, nroutes, odd;
	char **ex = examples_list(&n);

	T_OK(n > 1, "%zu examples from examples/*.json and the fixture", n);
	for (i = 0; i < n; i++) {
		const char *f = ex[i];

		if (!T_EQ(topo_load_file(f, &t, &err), 0, "%s loads", f))
			continue;
		bad = check_topo(f, t, &nroutes, &odd);
		T_EQ(bad, 0, "%s: the daemon's sync engine programs the tables "
		    "share.c gives (%zu routes)", f, nroutes);
		T_EQ(odd, 0, "%s: every route it programs reads back as the "
		    "model's", f);
		topo_free(t);
	}
	examples_free(ex);
}

/* The kernel edge: a model route, as netlink's and back, is itself. */
static void
test_edge(void)
{
	struct kroute k, back;
	struct nl_route r;

	memset(&k, 0, sizeof(k));
	pfx_parse("0.0.0.0/0", &k.dst);
	k.type = KROUTE_UNICAST;
	k.scope_link = true;
	k.nnh = 1;
	k.nh[0] = (struct kroute_nh){ .link = 2, .weight = 1 };
	fabric_nl_route(&k, LAB_GROUP_TABLE(1), &r);
	T_OK(r.table == LAB_GROUP_TABLE(1) && r.protocol == RTPROT_ARSEMU &&
	    r.scope == RT_SCOPE_LINK && r.type == NL_RT_UNICAST &&
	    r.nnh == 1 && r.nh[0].ifindex == 2 && r.metric == 0,
	    "a model route as a netlink route: its table, arsemu's protocol, "
	    "scope link, out of link 2");
	T_OK(fabric_model_route(&r, &back) && share_route_equal(&k, &back),
	    "and back, the same route");
	r.type = NL_RT_LOCAL;
	T_OK(!fabric_model_route(&r, &back), "a local route is not the model's");
	k.type = KROUTE_THROW;
	k.scope_link = false;
	k.nnh = 0;
	fabric_nl_route(&k, 1000, &r);
	T_OK(r.type == NL_RT_THROW && r.scope == RT_SCOPE_UNIVERSE &&
	    r.nnh == 0, "a throw as a netlink throw");
}

int
main(void)
{
	test_examples();
	test_edge();
	return t_done();
}
