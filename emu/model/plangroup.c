/*
 * plangroup: see plangroup.h.
 *
 * Owns: grouping a topology's NICs by equal effective route tables, a
 * subnet at a time.
 * Must not: compute routes itself (sdn.c does, from the plan plan.c made),
 * compare or hash tables itself (sdntab.c does) or print (cmd/cmd_plan.c
 * does). No I/O, no state between calls.
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "plangroup.h"

/* A subnet seen, and the group it joined. */
struct seen {
	const struct topo_subnet	*sn;
	size_t				 group;
};

/* The group of sn if seen (searched from the last: NICs come by subnet). */
static size_t
seen_find(const struct seen *v, size_t n, const struct topo_subnet *sn)
{
	size_t k;

	for (k = n; k > 0; k--)
		if (v[k - 1].sn == sn)
			return v[k - 1].group;
	return SIZE_MAX;
}

static void
nic_add(struct plan_group *g, const struct topo_nic *nic)
{
	g->nics = xrealloc(g->nics, (g->nnics + 1) * sizeof(*g->nics));
	g->nics[g->nnics++] = nic;
}

static void
subnet_add(struct plan_group *g, const struct topo_subnet *sn)
{
	g->subnets = xrealloc(g->subnets, (g->nsubnets + 1) *
	    sizeof(*g->subnets));
	g->subnets[g->nsubnets++] = sn;
}

/* Whether g's table (its first NIC's, computed again) equals tab (hash h). */
static bool
group_has(const struct topo *t, const struct plan *p, struct plan_groups *gs,
    const struct plan_group *g, const struct sdn_table *tab, uint64_t h)
{
	struct sdn_table o;
	bool eq;

	if (g->hash != h || g->nroutes != tab->nroutes)
		return false;
	sdn_effective(t, &p->in, g->nics[0], &o);
	gs->computed++;
	eq = sdn_table_equal(&o, tab);
	sdn_table_free(&o);
	return eq;
}

/* The group of a subnet not seen before, from its first NIC: found or new. */
static size_t
subnet_group(const struct topo *t, const struct plan *p,
    struct plan_groups *gs, const struct topo_nic *nic)
{
	struct plan_group *g;
	struct sdn_table tab;
	uint64_t h;
	size_t i;

	sdn_effective(t, &p->in, nic, &tab);
	gs->computed++;
	h = sdn_table_hash(&tab);
	for (i = 0; i < gs->n && !group_has(t, p, gs, &gs->v[i], &tab, h); i++)
		;
	if (i == gs->n) {
		gs->v = xrealloc(gs->v, (gs->n + 1) * sizeof(*gs->v));
		g = &gs->v[gs->n++];
		memset(g, 0, sizeof(*g));
		g->hash = h;
		g->nroutes = tab.nroutes;
	}
	sdn_table_free(&tab);
	subnet_add(&gs->v[i], nic->subnet);
	return i;
}

void
plan_group(const struct topo *t, const struct plan *p, struct plan_groups *out)
{
	struct seen *seen = xcalloc(t->nnics ? t->nnics : 1, sizeof(*seen));
	size_t i, g, nseen = 0;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < t->nnics; i++) {
		g = seen_find(seen, nseen, t->nics[i]->subnet);
		if (g == SIZE_MAX) {
			g = subnet_group(t, p, out, t->nics[i]);
			seen[nseen].sn = t->nics[i]->subnet;
			seen[nseen++].group = g;
		}
		nic_add(&out->v[g], t->nics[i]);
	}
	free(seen);
}

void
plan_groups_free(struct plan_groups *g)
{
	size_t i;

	for (i = 0; i < g->n; i++) {
		free(g->v[i].subnets);
		free(g->v[i].nics);
	}
	free(g->v);
	memset(g, 0, sizeof(*g));
}
