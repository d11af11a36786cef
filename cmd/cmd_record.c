/*
 * cmd_record: `arsemu check --record TOPO -o SUITE`: a suite of what holds
 * today, so that a team starts from what it has. Per group of subnets of
 * equal effective routes (plangroup.h), not per NIC: the Active routes as
 * a "table" (a table of more than RECORD_TABLE_MAX routes as its count and
 * digest); per class pair of reach's matrix (reach.h), the outcome and the
 * NVAs crossed, at most RECORD_WALKS_MAX walks, spread evenly over the
 * matrix. Checked against the same topology the suite holds; a route that
 * changes fails it.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../emu/model/check.h"
#include "../emu/model/plan.h"
#include "../emu/model/plangroup.h"
#include "../emu/model/reach.h"
#include "../emu/model/walk.h"
#include "../lib/json.h"
#include "../lib/util.h"
#include "check_live.h"
#include "cli.h"

#define RECORD_TABLE_MAX	256	/* Active routes listed per group */
#define RECORD_WALKS_MAX	256	/* walks of the matrix recorded */

/*
 * The topology's path as the suite names it: relative to the suite's
 * folder when both resolve, else as given.
 */
static char *
topo_ref(const char *topo, const char *out)
{
	char t[PATH_MAX], d[PATH_MAX], *dir = xstrdup(out), *slash, *rel;
	size_t i, common = 0, ups = 0;

	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	else
		snprintf(dir, strlen(dir) + 1, ".");
	if (realpath(topo, t) == NULL || realpath(dir, d) == NULL) {
		free(dir);
		return xstrdup(topo);
	}
	free(dir);
	for (i = 0; t[i] != '\0' && t[i] == d[i]; i++)
		if (t[i] == '/')
			common = i;
	if (d[i] == '\0' && t[i] == '/')
		common = i;
	for (i = common; d[i] != '\0'; i++)
		if (d[i] == '/')
			ups++;
	if (strcmp(d, "/") == 0)
		ups = 0;
	rel = xstrdup("");
	for (i = 0; i < ups; i++) {
		char *n = xasprintf("%s../", rel);

		free(rel);
		rel = n;
	}
	slash = xasprintf("%s%s", rel, t + common + 1);
	free(rel);
	return slash;
}

static void
json_nhs(struct json *j, const uint32_t *nh, unsigned n)
{
	uint32_t v[SDN_MAX_NH], x;
	char a[ADDR_STRLEN];
	unsigned i, k;

	memcpy(v, nh, n * sizeof(v[0]));
	for (i = 1; i < n; i++)		/* at most SDN_MAX_NH: insertion */
		for (k = i; k > 0 && v[k - 1] > v[k]; k--) {
			x = v[k];
			v[k] = v[k - 1];
			v[k - 1] = x;
		}
	json_key(j, "via");
	json_arr_begin(j);
	for (i = 0; i < n; i++)
		json_str(j, addr_fmt(v[i], a));
	json_arr_end(j);
}

static void
record_group(struct json *j, const struct topo *t, const struct plan *p,
    const struct plan_group *g, size_t gi)
{
	struct sdn_table tab;
	char pb[PFX_STRLEN], dg[17], *s;
	size_t i, active = 0;

	sdn_effective(t, &p->in, g->nics[0], &tab);
	for (i = 0; i < tab.nroutes; i++)
		active += tab.routes[i].active;
	json_obj_begin(j);
	s = xasprintf("routes of group %zu (%s/%s%s)", gi + 1,
	    g->subnets[0]->vnet->name, g->subnets[0]->name,
	    g->nsubnets > 1 ? " and more" : "");
	json_kstr(j, "name", s);
	free(s);
	json_key(j, "routes");
	json_obj_begin(j);
	json_key(j, "subnets");
	json_arr_begin(j);
	for (i = 0; i < g->nsubnets; i++) {
		s = xasprintf("%s/%s", g->subnets[i]->vnet->name,
		    g->subnets[i]->name);
		json_str(j, s);
		free(s);
	}
	json_arr_end(j);
	if (active > RECORD_TABLE_MAX) {
		json_kint(j, "count", (long long)active);
		check_digest(&tab, dg);
		json_kstr(j, "digest", dg);
	} else {
		json_key(j, "table");
		json_arr_begin(j);
		for (i = 0; i < tab.nroutes; i++) {
			const struct sdn_route *r = &tab.routes[i];

			if (!r->active)
				continue;
			json_obj_begin(j);
			json_kstr(j, "prefix", pfx_fmt(&r->pfx, pb));
			json_kstr(j, "type", sdn_nh_type_str(r->type));
			if (r->nnh > 0)
				json_nhs(j, r->nh, r->nnh);
			json_obj_end(j);
		}
		json_arr_end(j);
	}
	json_obj_end(j);
	json_obj_end(j);
	sdn_table_free(&tab);
}

static void
record_walk(struct json *j, const struct reach *m, const struct reach_cell *c,
    size_t k)
{
	const struct reach_class *sc = &m->classes[c->src];
	const struct reach_class *dc = &m->classes[c->dst];
	const struct topo_node *dn = dc->rep_dst == sc->rep_src ? dc->rep_dst2 :
	    dc->rep_dst;
	const struct reach_svc *sv = &m->svcs[k];
	const struct reach_result *r = &c->res[k];
	const char *to = dc->kind == REACH_INTERNET || dn == NULL ? "internet" :
	    dn->name;
	char svs[32], *s;
	size_t i, nv = 0;

	json_obj_begin(j);
	s = xasprintf("walk %s -> %s (%s)", sc->rep_src->name, to,
	    reach_svc_str(sv, svs, sizeof(svs)));
	json_kstr(j, "name", s);
	free(s);
	json_key(j, "walk");
	json_obj_begin(j);
	json_kstr(j, "from", sc->rep_src->name);
	json_kstr(j, "to", to);
	json_kstr(j, "proto", walk_proto_str(sv->proto));
	if (sv->proto != WALK_ICMP)
		json_kint(j, "port", sv->port);
	json_kstr(j, "outcome", walk_outcome_str(r->outcome));
	for (i = 0; i < r->nhops; i++)
		if (r->hops[i] != NULL && r->hops[i]->kind == TOPO_NVA)
			nv++;
	if (nv > 0) {
		json_key(j, "through");
		json_arr_begin(j);
		for (i = 0; i < r->nhops && i < 16; i++)
			if (r->hops[i] != NULL && r->hops[i]->kind == TOPO_NVA)
				json_str(j, r->hops[i]->name);
		json_arr_end(j);
	}
	json_obj_end(j);
	json_obj_end(j);
}

int
check_record(struct cli *c)
{
	struct topo_err te;
	struct plan_groups gs;
	struct reach_group all;
	struct reach m;
	struct topo *t;
	struct plan p;
	struct json j;
	char msg[1200], *tmp, *ref;
	size_t i, k, nwalks, step, done = 0;
	FILE *f;
	int rc = CLI_OK;

	if (c->argc != 0 || c->output == NULL || c->json || c->tap ||
	    c->junit || c->live || c->name)
		return cli_err(CLI_USAGE, "usage: arsemu check --record TOPO -o "
		    "SUITE");
	if (topo_load_file(c->record, &t, &te) == -1) {
		topo_err_str(&te, c->record, msg, sizeof(msg));
		return cli_err(CLI_USAGE, "%s", msg);
	}
	plan_run(t, &p);
	plan_group(t, &p, &gs);
	reach_group_parse(t, NULL, &all, msg, sizeof(msg));	/* every endpoint */
	if (reach_run(t, &p, &all, &all, &m, msg, sizeof(msg)) != 0)
		memset(&m, 0, sizeof(m));	/* no source: no walk */
	tmp = xasprintf("%s.tmp", c->output);
	if ((f = fopen(tmp, "w")) == NULL) {
		rc = cli_err(CLI_ENV, "-o: cannot write %s", c->output);
		goto out;
	}
	ref = topo_ref(c->record, c->output);
	json_init(&j, f);
	json_obj_begin(&j);
	json_kstr(&j, "name", t->name);
	nwalks = m.ncells * m.nsvcs;
	step = nwalks > RECORD_WALKS_MAX ? (nwalks + RECORD_WALKS_MAX - 1) /
	    RECORD_WALKS_MAX : 1;
	snprintf(msg, sizeof(msg), "Recorded by arsemu check --record: the "
	    "effective routes of %zu groups of subnets and %zu of %zu walks of "
	    "the reachability matrix.", gs.n, (nwalks + step - 1) / step, nwalks);
	json_kstr(&j, "description", msg);
	json_kstr(&j, "topology", ref);
	free(ref);
	json_key(&j, "assertions");
	json_arr_begin(&j);
	for (i = 0; i < gs.n; i++)
		record_group(&j, t, &p, &gs.v[i], i);
	for (i = 0; i < m.ncells; i++)
		for (k = 0; k < m.nsvcs; k++, done++)
			if (done % step == 0)
				record_walk(&j, &m, &m.cells[i], k);
	json_arr_end(&j);
	json_obj_end(&j);
	json_end(&j);
	if (fclose(f) != 0 || rename(tmp, c->output) != 0) {
		unlink(tmp);
		rc = cli_err(CLI_ENV, "-o: cannot write %s", c->output);
	} else if (!c->json)
		fprintf(stderr, "arsemu: wrote %s: %zu route groups, %zu walks\n",
		    c->output, gs.n, (nwalks + step - 1) / step);
out:
	free(tmp);
	if (m.classes != NULL)
		reach_free(&m);
	plan_groups_free(&gs);
	plan_free(&p);
	topo_free(t);
	return rc;
}
