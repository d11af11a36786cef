/*
 * tplan.h: what several unit tests of the pure model ask of a plan: the
 * route a gateway holds for a prefix, and walks on whole effective tables
 * (what `walk --offline` does), computed once per NIC.
 */
#ifndef ARSEMU_TPLAN_H
#define ARSEMU_TPLAN_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../../emu/model/plan.h"
#include "../../emu/model/sdn.h"
#include "../../lib/util.h"
#include "../../topo/topo.h"

/* The topology in `file`; the test stops on an error, naming its path. */
__attribute__((unused)) static struct topo *
topo_must_load(const char *file)
{
	struct topo_err err;
	struct topo *t;

	if (topo_load_file(file, &t, &err) == -1)
		die("%s: %s: %s", file, err.path, err.msg);
	return t;
}

/* The route gateway `gw` holds for prefix `pfx` in the plan, or NULL. */
__attribute__((unused)) static const struct sdn_bgp_route *
gw_route(const struct plan *p, const char *gw, const char *pfx)
{
	struct pfx4 want;
	size_t i, k;

	if (pfx_parse(pfx, &want) != 0)
		die("bad prefix in test: %s", pfx);
	for (i = 0; i < p->in.ngws; i++)
		for (k = 0; strcmp(p->in.gws[i].gw->name, gw) == 0 &&
		    k < p->in.gws[i].nroutes; k++)
			if (pfx_equal(&p->in.gws[i].routes[k].pfx, &want))
				return &p->in.gws[i].routes[k];
	return NULL;
}

/* Whole tables, per NIC, as cmd_walk's offline prediction holds them. */
struct whole {
	const struct topo	*t;
	const struct plan	*p;
	struct sdn_table	*tabs;
	bool			*have;
};

__attribute__((unused)) static void
whole_init(struct whole *w, const struct topo *t, const struct plan *p)
{
	w->t = t;
	w->p = p;
	w->tabs = xcalloc(t->nnics + 1, sizeof(*w->tabs));
	w->have = xcalloc(t->nnics + 1, sizeof(*w->have));
}

/* A walk_env's table callback: NIC's whole table, computed once. */
__attribute__((unused)) static const struct sdn_table *
whole_table(void *arg, const struct topo_nic *nic)
{
	struct whole *w = arg;

	if (!w->have[nic->idx]) {
		sdn_effective(w->t, &w->p->in, nic, &w->tabs[nic->idx]);
		w->have[nic->idx] = true;
	}
	return &w->tabs[nic->idx];
}

__attribute__((unused)) static void
whole_free(struct whole *w)
{
	size_t i;

	for (i = 0; i < w->t->nnics; i++)
		if (w->have[i])
			sdn_table_free(&w->tabs[i]);
	free(w->tabs);
	free(w->have);
}

#endif
