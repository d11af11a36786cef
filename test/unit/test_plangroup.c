/*
 * test_plangroup: `arsemu plan --grouped`'s core (emu/model/plangroup.c)
 * and the hash it groups by (sdn_table_hash, emu/model/sdntab.c), pure.
 * Over every example of examples/ (read from the directory) and the
 * fixture: every NIC is in exactly one group, each NIC's own table
 * (sdn_effective, as `plan TOPO NIC` computes it) equals its group's
 * first NIC's, and no two groups' tables are equal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../emu/model/plangroup.h"
#include "../../lib/util.h"
#include "examples.h"
#include "t.h"

/* Beyond this many NICs, a group's first and last NIC are checked only. */
#define EVERY_NIC_MAX	200

static bool
nic_table_equal(const struct topo *t, const struct plan *p,
    const struct topo_nic *a, const struct topo_nic *b)
{
	struct sdn_table x, y;
	bool eq;

	sdn_effective(t, &p->in, a, &x);
	sdn_effective(t, &p->in, b, &y);
	eq = sdn_table_equal(&x, &y) && sdn_table_hash(&x) == sdn_table_hash(&y);
	sdn_table_free(&x);
	sdn_table_free(&y);
	return eq;
}

/* NICs in no group or in several: their count. */
static size_t
coverage(const struct topo *t, const struct plan_groups *gs)
{
	unsigned *seen = xcalloc(t->nnics + 1, sizeof(*seen));
	size_t i, k, bad = 0;

	for (i = 0; i < gs->n; i++)
		for (k = 0; k < gs->v[i].nnics; k++)
			seen[gs->v[i].nics[k]->idx]++;
	for (i = 0; i < t->nnics; i++)
		bad += seen[i] != 1;
	free(seen);
	return bad;
}

/* NICs whose table is not their group's first NIC's: their count. */
static size_t
members(const struct topo *t, const struct plan *p,
    const struct plan_groups *gs)
{
	const struct plan_group *g;
	size_t i, k, bad = 0;

	for (i = 0; i < gs->n; i++) {
		g = &gs->v[i];
		for (k = 1; k < g->nnics; k++)
			if ((t->nnics <= EVERY_NIC_MAX || k + 1 == g->nnics) &&
			    !nic_table_equal(t, p, g->nics[0], g->nics[k]))
				bad++;
	}
	return bad;
}

/* Pairs of groups with equal tables (should have been one): their count. */
static size_t
distinct(const struct topo *t, const struct plan *p,
    const struct plan_groups *gs)
{
	size_t i, k, bad = 0;

	for (i = 0; i < gs->n; i++)
		for (k = i + 1; k < gs->n; k++)
			if ((gs->v[i].hash == gs->v[k].hash ||
			    t->nnics <= EVERY_NIC_MAX) &&
			    nic_table_equal(t, p, gs->v[i].nics[0],
			    gs->v[k].nics[0]))
				bad++;
	return bad;
}

static void
test_examples(void)
{
	struct plan_groups gs;
	struct topo_err err;
	struct topo *t;
	struct plan p;
	size_t i, n;
	char **ex = examples_list(&n);

	T_OK(n > 1, "%zu examples from examples/*.json and the fixture", n);
	for (i = 0; i < n; i++) {
		if (!T_EQ(topo_load_file(ex[i], &t, &err), 0, "%s loads", ex[i]))
			continue;
		plan_run(t, &p);
		plan_group(t, &p, &gs);
		T_OK(gs.n > 0 && gs.n <= t->nnics, "%s: %zu NICs in %zu groups",
		    ex[i], t->nnics, gs.n);
		T_EQ(coverage(t, &gs), 0, "%s: every NIC in exactly one group",
		    ex[i]);
		T_EQ(members(t, &p, &gs), 0, "%s: every NIC's table is its "
		    "group's", ex[i]);
		T_EQ(distinct(t, &p, &gs), 0, "%s: no two groups' tables are "
		    "equal", ex[i]);
		plan_groups_free(&gs);
		plan_free(&p);
		topo_free(t);
	}
	examples_free(ex);
}

/*
 * single-hub.json: the hub's two subnets without a route table have one
 * table, the spoke its own (its VnetLocal is its own space).
 */
static void
test_single_hub(void)
{
	struct plan_groups gs;
	struct topo_err err;
	struct topo *t;
	struct plan p;

	if (!T_EQ(topo_load_file("examples/single-hub.json", &t, &err), 0,
	    "single-hub.json loads"))
		return;
	plan_run(t, &p);
	plan_group(t, &p, &gs);
	T_EQ(gs.n, 2, "single-hub.json: two groups");
	T_OK(gs.n == 2 && gs.v[0].nsubnets == 2 && gs.v[0].nnics == 4 &&
	    strcmp(gs.v[0].nics[0]->name, "hub-rs0") == 0,
	    "the hub's RouteServerSubnet and nva: 4 NICs, hub-rs0 first");
	T_OK(gs.n == 2 && gs.v[1].nsubnets == 1 && gs.v[1].nnics == 1 &&
	    strcmp(gs.v[1].subnets[0]->vnet->name, "spoke1") == 0,
	    "spoke1: a group of its own");
	T_EQ(gs.computed, 4, "3 subnets computed, and the hub's first again to "
	    "compare its nva subnet's, whose hash matches");
	plan_groups_free(&gs);
	plan_free(&p);
	topo_free(t);
}

/* The hash follows what sdn_table_equal compares. */
static void
test_hash(void)
{
	struct sdn_route r[2];
	struct sdn_table a = { NULL, r, 2, false }, b;
	uint64_t h;

	memset(r, 0, sizeof(r));
	pfx_parse("10.1.0.0/16", &r[0].pfx);
	pfx_parse("0.0.0.0/0", &r[1].pfx);
	r[1].type = SDN_NH_VIRTUALAPPLIANCE;
	r[1].nh[0] = 0x0a010204;
	r[1].nnh = 1;
	r[1].active = true;
	h = sdn_table_hash(&a);
	b = a;
	T_OK(sdn_table_equal(&a, &b) && sdn_table_hash(&b) == h,
	    "equal tables hash alike");
	r[1].nh[0]++;
	T_OK(sdn_table_hash(&a) != h, "another next hop, another hash");
	r[1].nh[0]--;
	r[1].active = false;
	T_OK(sdn_table_hash(&a) != h, "another state, another hash");
	r[1].active = true;
	r[1].name = "to-fw";
	T_OK(sdn_table_hash(&a) != h, "a UDR name, another hash");
	r[1].name = NULL;
	a.disable_bgp = true;
	T_OK(sdn_table_hash(&a) != h, "disableBgpRoutePropagation, another hash");
	a.disable_bgp = false;
	a.nroutes = 1;
	T_OK(sdn_table_hash(&a) != h, "a route fewer, another hash");
}

/* addr_fmt and pfx_fmt, written without printf, print as "%u.%u.%u.%u/%u". */
static void
test_fmt(void)
{
	static const uint32_t v[] = { 0, 0x0a000001, 0x7f0a6309, 0xc0a80164,
	    0xffffffff, 0x01020304, 0x640a0a0a };
	char a[ADDR_STRLEN], w[PFX_STRLEN + 8], p[PFX_STRLEN];
	struct pfx4 x;
	size_t i, bad = 0;
	unsigned len;

	for (i = 0; i < NELEM(v); i++)
		for (len = 0; len <= 32; len += 8) {
			snprintf(w, sizeof(w), "%u.%u.%u.%u", v[i] >> 24,
			    (v[i] >> 16) & 0xff, (v[i] >> 8) & 0xff, v[i] & 0xff);
			bad += strcmp(addr_fmt(v[i], a), w) != 0;
			x.addr = v[i];
			x.len = (uint8_t)len;
			snprintf(w + strlen(w), sizeof(w) - strlen(w), "/%u", len);
			bad += strcmp(pfx_fmt(&x, p), w) != 0;
		}
	T_EQ(bad, 0, "addr_fmt and pfx_fmt print as printf would");
}

int
main(void)
{
	test_fmt();
	test_hash();
	test_single_hub();
	test_examples();
	return t_done();
}
