/*
 * cmd_plan: `arsemu plan TOPO [NIC] [--json]`, without root. Predicts what
 * the Route Servers of the topology would program (emu/model/plan.c runs the
 * speaker's own decision and policy code) and prints every NIC's effective
 * routes exactly as `arsemu routes NIC` prints them from a running lab: with
 * a NIC, the output is byte for byte that of `routes`; without one, every
 * NIC in turn (JSON: an object keyed by NIC name).
 *
 * Warnings (RS-04 one-instance peers, RS-40 peers over the route limit) go
 * to stderr; they do not change the exit status.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../emu/model/plan.h"
#include "../lib/json.h"
#include "../lib/util.h"
#include "cli.h"
#include "routesprint.h"

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

static const struct topo_nic *
nic_find(const struct topo *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nnics; i++)
		if (strcmp(t->nics[i]->name, name) == 0)
			return t->nics[i];
	return NULL;
}

int
cmd_plan(struct cli *c)
{
	const struct topo_nic *nic = NULL;
	struct sdn_row *rows;
	struct topo *t;
	struct plan p;
	size_t n;

	if (c->argc < 1 || c->argc > 2)
		return cli_err(CLI_USAGE, "usage: arsemu plan TOPO [NIC] [--json]");
	if ((t = plan_load(c->argv[0])) == NULL)
		return CLI_USAGE;
	if (c->argc == 2 && (nic = nic_find(t, c->argv[1])) == NULL) {
		cli_err(CLI_USAGE, "%s: no NIC named %s (NICs belong to VMs, "
		    "NVAs and Route Server instances)", c->argv[0], c->argv[1]);
		topo_free(t);
		return CLI_USAGE;
	}
	plan_run(t, &p);
	warnings(c->argv[0], t, &p);
	if (nic != NULL) {
		n = nic_rows(t, &p, nic, &rows);
		routes_print(rows, n, c->json);
		free(rows);
	} else
		print_all(t, &p, c->json);
	plan_free(&p);
	topo_free(t);
	return CLI_OK;
}
