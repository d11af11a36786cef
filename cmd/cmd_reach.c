/*
 * cmd_reach: `arsemu reach TOPO [--from GROUP] [--to GROUP] [--json]`,
 * without root. Every VM and site host to every VM, site host and the
 * Internet, by classes (emu/model/reach.h): one row per source class,
 * destination class and set of services that fare alike, with the counts
 * of sources, destinations and pairs it stands for, the outcome and the
 * path of the predicted walk (`arsemu walk SRC DST --offline` between the
 * two representatives gives the same). Exit 0 whatever the outcomes, 2 for
 * a topology that does not load or a group that names nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../emu/model/plan.h"
#include "../emu/model/reach.h"
#include "../lib/json.h"
#include "../lib/util.h"
#include "cli.h"
#include "cmd_reach.h"

#define PATH_MAX_TEXT	(WALK_MAX_HOPS * (TOPO_NAME_MAX + 3) + 1)

/*
 * The services whose result equals service v's, as "icmp,tcp/other", "all"
 * when they are every service; done[] marks them. Those before v are done.
 */
static void
svc_set(const struct reach *r, const struct reach_cell *cell, size_t v,
    bool *done, char *buf, size_t len)
{
	size_t k, used = 0, n = 0;
	char one[32];

	buf[0] = '\0';
	for (k = v; k < r->nsvcs; k++) {
		if (done[k] || !reach_result_equal(&cell->res[v], &cell->res[k]))
			continue;
		done[k] = true;
		n++;
		if (used < len)
			used += (size_t)snprintf(buf + used, len - used, "%s%s",
			    used ? "," : "", reach_svc_str(&r->svcs[k], one,
			    sizeof(one)));
	}
	if (n == r->nsvcs && n > 1)
		snprintf(buf, len, "all");
}

static void
print_text(const struct reach *r)
{
	static const char *const hdr[] = { "SOURCE", "N", "DESTINATION", "N",
	    "PAIRS", "SERVICE", "OUTCOME", "PATH" };
	struct table *tb = table_new(NELEM(hdr), hdr);
	char ns[24], nd[24], np[24], svc[256], out[300], path[PATH_MAX_TEXT];
	char **names = reach_class_names(r);
	bool *done = xcalloc(r->nsvcs, sizeof(*done));
	const char *cells[NELEM(hdr)] = { NULL, ns, NULL, nd, np, svc, out, path };
	size_t i, v, pairs = 0;

	for (i = 0; i < r->ncells; i++) {
		const struct reach_cell *c = &r->cells[i];

		cells[0] = names[c->src];
		cells[2] = names[c->dst];
		snprintf(ns, sizeof(ns), "%zu", c->nsrc);
		snprintf(nd, sizeof(nd), "%zu", c->ndst);
		snprintf(np, sizeof(np), "%zu", c->pairs);
		pairs += c->pairs;
		memset(done, 0, r->nsvcs * sizeof(*done));
		for (v = 0; v < r->nsvcs; v++) {
			if (done[v])
				continue;
			svc_set(r, c, v, done, svc, sizeof(svc));
			reach_outcome_str(&c->res[v], out, sizeof(out));
			reach_path_str(&c->res[v], 0, c->res[v].nhops, path,
			    sizeof(path));
			table_row(tb, cells);
		}
	}
	table_print(tb);
	table_free(tb);
	free(done);
	strv_free(names, r->nclasses);
	printf("%zu classes for %zu VMs and %zu site hosts (and the Internet); "
	    "%zu class pairs for %zu endpoint pairs; %zu services; %zu walks\n",
	    r->nclasses, r->nvms, r->nhosts, r->ncells, pairs, r->nsvcs, r->walks);
}

static void
json_class(struct json *j, const struct reach *r, size_t i)
{
	const struct reach_class *c = &r->classes[i];
	char name[128], pf[PFX_STRLEN];

	reach_class_name(r, i, name, sizeof(name));
	json_obj_begin(j);
	json_kstr(j, "name", name);
	json_kstr(j, "kind", c->kind == REACH_VM ? "vm" : c->kind == REACH_HOST ?
	    "host" : "internet");
	json_kstr(j, "range", c->kind == REACH_INTERNET ? NULL :
	    pfx_fmt(&c->range, pf));
	json_kint(j, "members", (long long)(c->kind == REACH_INTERNET ? 1 :
	    c->nmembers));
	json_kstr(j, "representative", c->kind == REACH_INTERNET ?
	    WALK_INTERNET_STR : c->members[0]->name);
	json_obj_end(j);
}

static void
json_result(struct json *j, const struct reach_result *res)
{
	size_t i;

	json_kstr(j, "outcome", walk_outcome_str(res->outcome));
	json_kstr(j, "detail", res->detail);
	json_kstr(j, "filterRule", res->rule ? res->rule->jpath : NULL);
	json_kstr(j, "refusedBy", res->refused_by ? res->refused_by->jpath : NULL);
	json_kbool(j, "ecmp", res->ecmp);
	json_key(j, "path");
	json_arr_begin(j);
	for (i = 0; i < res->nhops; i++)
		json_str(j, res->hops[i] ? res->hops[i]->name : "internet");
	json_arr_end(j);
}

static void
json_cell(struct json *j, const struct reach *r, const struct reach_cell *c,
    char **names, bool *done)
{
	const char *src = names[c->src], *dst = names[c->dst];
	char one[32];
	size_t v, k;

	memset(done, 0, r->nsvcs * sizeof(*done));
	for (v = 0; v < r->nsvcs; v++) {
		if (done[v])
			continue;
		json_obj_begin(j);
		json_kstr(j, "source", src);
		json_kstr(j, "destination", dst);
		json_kint(j, "sources", (long long)c->nsrc);
		json_kint(j, "destinations", (long long)c->ndst);
		json_kint(j, "pairs", (long long)c->pairs);
		json_key(j, "services");
		json_arr_begin(j);
		for (k = v; k < r->nsvcs; k++)
			if (!done[k] && reach_result_equal(&c->res[v], &c->res[k])) {
				done[k] = true;
				json_str(j, reach_svc_str(&r->svcs[k], one, sizeof(one)));
			}
		json_arr_end(j);
		json_result(j, &c->res[v]);
		json_obj_end(j);
	}
}

static void
print_json(const struct topo *t, const struct reach *r)
{
	struct json j;
	bool *done = xcalloc(r->nsvcs, sizeof(*done));
	char one[32], **names = reach_class_names(r);
	size_t i, pairs = 0;

	json_init(&j, stdout);
	json_obj_begin(&j);
	json_kstr(&j, "topology", t->name);
	json_kint(&j, "vms", (long long)r->nvms);
	json_kint(&j, "hosts", (long long)r->nhosts);
	json_kint(&j, "walks", (long long)r->walks);
	json_key(&j, "services");
	json_arr_begin(&j);
	for (i = 0; i < r->nsvcs; i++)
		json_str(&j, reach_svc_str(&r->svcs[i], one, sizeof(one)));
	json_arr_end(&j);
	json_key(&j, "classes");
	json_arr_begin(&j);
	for (i = 0; i < r->nclasses; i++)
		json_class(&j, r, i);
	json_arr_end(&j);
	json_key(&j, "rows");
	json_arr_begin(&j);
	for (i = 0; i < r->ncells; i++) {
		json_cell(&j, r, &r->cells[i], names, done);
		pairs += r->cells[i].pairs;
	}
	json_arr_end(&j);
	json_kint(&j, "pairs", (long long)pairs);
	json_obj_end(&j);
	json_end(&j);
	free(done);
	strv_free(names, r->nclasses);
}

int
cmd_reach(struct cli *c)
{
	struct reach_group from, to;
	struct topo_err te;
	struct topo *t;
	struct plan p;
	struct reach r;
	char err[600];

	if (c->argc != 1)
		return cli_err(CLI_USAGE, "usage: arsemu reach TOPO [--from GROUP] "
		    "[--to GROUP] [--json]");
	if (topo_load_file(c->argv[0], &t, &te) == -1) {
		topo_err_str(&te, c->argv[0], err, sizeof(err));
		return cli_err(CLI_USAGE, "%s", err);
	}
	if (reach_group_parse(t, c->from, &from, err, sizeof(err)) != 0 ||
	    reach_group_parse(t, c->to, &to, err, sizeof(err)) != 0) {
		topo_free(t);
		return cli_err(CLI_USAGE, "reach: %s", err);
	}
	plan_run(t, &p);
	if (reach_run(t, &p, &from, &to, &r, err, sizeof(err)) != 0) {
		plan_free(&p);
		topo_free(t);
		return cli_err(CLI_USAGE, "reach --from %s: %s", c->from, err);
	}
	if (c->json)
		print_json(t, &r);
	else
		print_text(&r);
	reach_free(&r);
	plan_free(&p);
	topo_free(t);
	return CLI_OK;
}
