/*
 * cmd_plan: `arsemu plan TOPO [NIC | --grouped] [--json]`, without root.
 * Predicts what the Route Servers of the topology would program
 * (emu/model/plan.c runs the speaker's own decision and policy code) and
 * prints every NIC's effective routes exactly as `arsemu routes NIC` prints
 * them from a running lab: with a NIC, the output is byte for byte that of
 * `routes`; without one, every NIC in turn (JSON: an object keyed by NIC
 * name). With --grouped, one table per group of NICs whose tables are
 * equal (emu/model/plangroup.c), headed by its subnets and NICs: the table
 * is `plan TOPO NIC`'s for every NIC of the group.
 *
 * Warnings (RS-04 one-instance peers, RS-40 peers over the route limit) go
 * to stderr; they do not change the exit status.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../emu/model/plan.h"
#include "../emu/model/plangroup.h"
#include "../lib/json.h"
#include "../lib/util.h"
#include "cli.h"
#include "routesprint.h"

#define PLAN_NAMES_MAX	16	/* subnets or NICs a text heading names */

static struct topo *
plan_load(const char *file)
{
	struct topo_err e;
	struct topo *t;
	char msg[1024];

	if (topo_load_file(file, &t, &e) == 0)
		return t;
	fprintf(stderr, "%s\n", topo_err_str(&e, file, msg, sizeof(msg)));
	return NULL;
}

static void
warnings(const char *file, const struct topo *t, const struct plan *p)
{
	const struct plan_peering *pp;
	size_t i;

	for (i = 0; i < t->nwarnings; i++)
		fprintf(stderr, "arsemu: warning: %s: %s\n", file, t->warnings[i]);
	for (i = 0; i < p->npeerings; i++) {
		pp = &p->peerings[i];
		if (pp->over_limit && pp->nva != NULL)
			fprintf(stderr, "arsemu: warning: %s: NVA \"%s\" sends "
			    "%zu routes to %s, more than its route limit %u: the "
			    "session is reset and none is programmed (RS-40)\n",
			    file, pp->nva->node->name, pp->received,
			    pp->instance->name, pp->instance->rs->route_limit);
	}
}

static size_t
nic_rows(const struct topo *t, const struct plan *p,
    const struct topo_nic *nic, struct sdn_row **rows)
{
	struct sdn_table tab;
	size_t n;

	sdn_effective(t, &p->in, nic, &tab);
	n = sdn_rows(&tab, rows);
	sdn_table_free(&tab);
	return n;
}

static void
print_all(const struct topo *t, const struct plan *p, bool json)
{
	const struct topo_nic *nic;
	struct sdn_row *rows;
	char a[ADDR_STRLEN];
	struct json j;
	size_t i, n;

	if (json) {
		json_init(&j, stdout);
		json_obj_begin(&j);
	}
	for (i = 0; i < t->nnics; i++) {
		nic = t->nics[i];
		n = nic_rows(t, p, nic, &rows);
		if (json) {
			json_key(&j, nic->name);
			routes_json(&j, rows, n);
		} else {
			printf("%s%s (%s/%s, %s)\n", i ? "\n" : "", nic->name,
			    nic->subnet->vnet->name, nic->subnet->name,
			    addr_fmt(nic->ip, a));
			routes_print(rows, n, false);
		}
		free(rows);
	}
	if (json) {
		json_obj_end(&j);
		json_end(&j);
	}
}

/* "hub/nva, spoke1/app and 3 more" */
static void
text_subnets(const struct plan_group *g)
{
	size_t i;

	for (i = 0; i < g->nsubnets && i < PLAN_NAMES_MAX; i++)
		printf("%s%s/%s", i ? ", " : "", g->subnets[i]->vnet->name,
		    g->subnets[i]->name);
	if (g->nsubnets > PLAN_NAMES_MAX)
		printf(" and %zu more", g->nsubnets - PLAN_NAMES_MAX);
}

static void
text_nics(const struct plan_group *g)
{
	size_t i;

	for (i = 0; i < g->nnics && i < PLAN_NAMES_MAX; i++)
		printf("%s%s", i ? ", " : "", g->nics[i]->name);
	if (g->nnics > PLAN_NAMES_MAX)
		printf(" and %zu more (--json names all)", g->nnics -
		    PLAN_NAMES_MAX);
}

static void
text_group(const struct plan_groups *gs, size_t i, const struct sdn_row *rows,
    size_t n)
{
	const struct plan_group *g = &gs->v[i];

	printf("%sgroup %zu of %zu (%zu subnet%s, %zu NIC%s)\n", i ? "\n" : "",
	    i + 1, gs->n, g->nsubnets, g->nsubnets == 1 ? "" : "s", g->nnics,
	    g->nnics == 1 ? "" : "s");
	printf("subnets: ");
	text_subnets(g);
	printf("\nNICs: ");
	text_nics(g);
	putchar('\n');
	routes_print(rows, n, false);
}

static void
json_group(struct json *j, const struct plan_group *g,
    const struct sdn_row *rows, size_t n)
{
	size_t i;

	json_obj_begin(j);
	json_key(j, "subnets");
	json_arr_begin(j);
	for (i = 0; i < g->nsubnets; i++) {
		json_obj_begin(j);
		json_kstr(j, "vnet", g->subnets[i]->vnet->name);
		json_kstr(j, "subnet", g->subnets[i]->name);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_key(j, "nics");
	json_arr_begin(j);
	for (i = 0; i < g->nnics; i++)
		json_str(j, g->nics[i]->name);
	json_arr_end(j);
	json_key(j, "routes");
	routes_json(j, rows, n);
	json_obj_end(j);
}

/*
 * One table per group of NICs with equal tables, computed from the
 * group's first NIC (JSON: {"nics": N, "groups": [...]}).
 */
static void
print_grouped(const struct topo *t, const struct plan *p, bool json)
{
	struct plan_groups gs;
	struct sdn_row *rows;
	struct json j;
	size_t i, n;

	plan_group(t, p, &gs);
	if (json) {
		json_init(&j, stdout);
		json_obj_begin(&j);
		json_kint(&j, "nics", (long long)t->nnics);
		json_key(&j, "groups");
		json_arr_begin(&j);
	}
	for (i = 0; i < gs.n; i++) {
		n = nic_rows(t, p, gs.v[i].nics[0], &rows);
		if (json)
			json_group(&j, &gs.v[i], rows, n);
		else
			text_group(&gs, i, rows, n);
		free(rows);
	}
	if (json) {
		json_arr_end(&j);
		json_obj_end(&j);
		json_end(&j);
	}
	plan_groups_free(&gs);
}

int
cmd_plan(struct cli *c)
{
	const struct topo_nic *nic = NULL;
	struct sdn_row *rows;
	struct topo *t;
	struct plan p;
	size_t n;

	if (c->argc < 1 || c->argc > 2 || (c->argc == 2 && c->grouped))
		return cli_err(CLI_USAGE, "usage: arsemu plan TOPO "
		    "[NIC | --grouped] [--json]");
	if ((t = plan_load(c->argv[0])) == NULL)
		return CLI_USAGE;
	if (c->argc == 2 && (nic = topo_nic_find(t, c->argv[1])) == NULL) {
		cli_err(CLI_USAGE, "%s: no NIC named %s (NICs belong to VMs, "
		    "NVAs and Route Server instances; an NVA's extra NIC is "
		    "NVA/NAME)", c->argv[0], c->argv[1]);
		topo_free(t);
		return CLI_USAGE;
	}
	plan_run(t, &p);
	warnings(c->argv[0], t, &p);
	if (nic != NULL) {
		n = nic_rows(t, &p, nic, &rows);
		routes_print(rows, n, c->json);
		free(rows);
	} else if (c->grouped)
		print_grouped(t, &p, c->json);
	else
		print_all(t, &p, c->json);
	plan_free(&p);
	topo_free(t);
	return CLI_OK;
}
