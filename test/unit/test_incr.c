/*
 * test_incr: what the lab daemon's incremental recompute rests on (issue
 * 10): sdn_effective_only gives, at the prefixes asked, exactly what the
 * whole table has there, and sdn_memo_changes names exactly the prefixes
 * whose hub choice changed. Every example, every subnet.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../emu/model/plan.h"
#include "../../emu/model/share.h"
#include "../../lib/util.h"
#include "examples.h"
#include "t.h"

static bool
same_route(const struct sdn_route *a, const struct sdn_route *b)
{
	unsigned k;

	if (!pfx_equal(&a->pfx, &b->pfx) || a->source != b->source ||
	    a->type != b->type || a->active != b->active || a->nnh != b->nnh)
		return false;
	for (k = 0; k < a->nnh; k++)
		if (a->nh[k] != b->nh[k])
			return false;
	if ((a->name == NULL) != (b->name == NULL))
		return false;
	return a->name == NULL || strcmp(a->name, b->name) == 0;
}

static bool
refusable(const struct pfx4 *p)
{
	static const struct pfx4 reserved[] = {
		{ 0x0a000000, 8 }, { 0xac100000, 12 }, { 0xc0a80000, 16 },
		{ 0x64400000, 10 },
	};
	size_t i;

	if (p->len == 0)
		return true;
	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (pfx_equal(p, &reserved[i]))
			return true;
	return false;
}

/*
 * P: every other prefix of the whole table (refusable ones left out),
 * and two no table has. Returns the mismatches.
 */
static unsigned
check_slot(const struct topo *t, const struct sdn_input *in,
    const struct topo_nic *nic, unsigned *asked)
{
	struct sdn_table full, only;
	struct pfx4 *P;
	size_t nP = 0, i, k, want;
	unsigned bad = 0;

	sdn_effective_by_prefix(t, in, nic, &full);
	P = xcalloc(full.nroutes + 2, sizeof(*P));
	for (i = 0; i < full.nroutes; i += 2)
		if (!refusable(&full.routes[i].pfx) &&
		    (nP == 0 || !pfx_equal(&P[nP - 1], &full.routes[i].pfx)))
			P[nP++] = full.routes[i].pfx;
	P[nP++] = (struct pfx4){ 0xc6120000, 24 };	/* 198.18.0.0/24 */
	P[nP++] = (struct pfx4){ 0xc6130100, 24 };
	qsort(P, nP, sizeof(*P), pfx_qcmp);
	if (!sdn_effective_only(t, in, nic, P, nP, &only)) {
		sdn_table_free(&full);
		free(P);
		return 1;
	}
	for (i = k = want = 0; i < full.nroutes; i++) {
		if (bsearch(&full.routes[i].pfx, P, nP, sizeof(*P),
		    pfx_qcmp) == NULL)
			continue;
		want++;
		(*asked)++;
		if (k >= only.nroutes || !same_route(&full.routes[i],
		    &only.routes[k])) {
			if (bad++ < 3)
				fprintf(stderr, "# %s: route %zu differs\n",
				    nic->name, i);
		}
		k++;
	}
	if (only.nroutes != want)
		bad++;
	sdn_table_free(&full);
	sdn_table_free(&only);
	free(P);
	return bad;
}

static void
test_only(void)
{
	struct topo *t;
	struct topo_err err;
	struct plan p;
	struct share_layout l;
	unsigned bad = 0, asked = 0, nfiles = 0;
	size_t i, s, n;
	char **ex = examples_list(&n);

	for (i = 0; i < n; i++) {
		if (topo_load_file(ex[i], &t, &err) != 0) {
			T_OK(0, "load %s: %s", ex[i], err.msg);
			continue;
		}
		plan_run(t, &p);	/* leaves its memo started */
		sdn_memo_fill(t, &p.in);
		share_layout(t, &l);
		for (s = 0; s < l.nslots; s++)
			bad += check_slot(t, &p.in, l.rep[s], &asked);
		share_layout_free(&l);
		plan_free(&p);
		topo_free(t);
		nfiles++;
	}
	examples_free(ex);
	T_OK(nfiles > 1 && nfiles == n, "every example loaded (%u of %zu, "
	    "examples/*.json and the fixture)", nfiles, n);
	T_EQ(bad, 0, "issue 10: sdn_effective_only equals the whole table at "
	    "the prefixes asked (%u routes, %u examples, every subnet)", asked,
	    nfiles);
	T_OK(asked > 500, "and that was many routes (%u)", asked);
}

static void
test_refused(void)
{
	struct topo *t;
	struct topo_err err;
	struct plan p;
	struct sdn_table only;
	struct pfx4 def = { 0, 0 }, rfc = { 0x0a000000, 8 };

	if (topo_load_file("examples/single-hub.json", &t, &err) != 0) {
		T_OK(0, "load single-hub: %s", err.msg);
		return;
	}
	plan_run(t, &p);
	T_OK(!sdn_effective_only(t, &p.in, t->nics[0], &def, 1, &only),
	    "0.0.0.0/0 is refused: drop_reserved reads the whole table");
	T_OK(!sdn_effective_only(t, &p.in, t->nics[0], &rfc, 1, &only),
	    "a reserved prefix (10.0.0.0/8) is refused");
	plan_free(&p);
	topo_free(t);
}

/* One hub route's next hop changed: that prefix, nothing else. */
static void
test_changes(void)
{
	struct topo *t;
	struct topo_err err;
	struct plan p;
	struct sdn_input a, b;
	struct sdn_hub_routes *h = NULL;
	struct pfx4 *P = NULL, changed;
	size_t n, i;

	if (topo_load_file("examples/active-active.json", &t, &err) != 0) {
		T_OK(0, "load active-active: %s", err.msg);
		return;
	}
	plan_run(t, &p);
	for (i = 0; i < p.in.nhubs && h == NULL; i++)
		if (p.in.hubs[i].nroutes > 0)
			h = &p.in.hubs[i];
	T_OK(h != NULL, "active-active: the hub has routes");
	if (h == NULL)
		goto out;
	a = p.in;
	a.memo = NULL;
	sdn_memo_start(&a);
	sdn_memo_fill(t, &a);
	n = sdn_memo_changes(t, &a, &a, &P);
	T_EQ(n, 0, "the same memo twice: no change");
	free(P);
	changed = h->routes[h->nroutes - 1].pfx;
	h->routes[h->nroutes - 1].nh[0] ^= 1;
	b = p.in;
	b.memo = NULL;
	sdn_memo_start(&b);
	sdn_memo_fill(t, &b);
	n = sdn_memo_changes(t, &a, &b, &P);
	T_EQ(n, 1, "one next hop changed: one prefix");
	T_OK(n == 1 && pfx_equal(&P[0], &changed), "the prefix changed");
	free(P);
	h->routes[h->nroutes - 1].nh[0] ^= 1;
	sdn_memo_free(&a);
	sdn_memo_free(&b);
out:
	plan_free(&p);
	topo_free(t);
}

int
main(void)
{
	test_only();
	test_refused();
	test_changes();
	return t_done();
}
