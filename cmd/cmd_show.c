/*
 * cmd_show: what a running lab knows, in az's shapes.
 *   routes NIC                like `az network nic show-effective-route-table`
 *                             (CLI-01: text columns Source, State, Address
 *                             Prefix, Next Hop Type, Next Hop IP)
 *   rs HUB peers              the Route Server's peerings, both instances
 *   rs HUB learned PEER       like `az network routeserver peering
 *   rs HUB advertised PEER    list-learned-routes / list-advertised-routes`
 *                             (CLI-02, CLI-03: RouteServiceRole_IN_0/_IN_1)
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../emu/model/bgpconf.h"
#include "../emu/model/nsg.h"
#include "../emu/lab.h"
#include "../lib/ctlc.h"
#include "../lib/json.h"
#include "../lib/util.h"
#include "cli.h"
#include "routesprint.h"
#include "rsprint.h"
#include "rsshow.h"

int
cmd_routes(struct cli *c)
{
	const char *lab;
	char req[128];
	struct ctlc_reply r;
	struct sdn_row *rows;
	size_t i;
	int rc = CLI_OK;

	if (c->argc != 1)
		return cli_err(CLI_USAGE, "usage: arsemu routes NIC [--json]");
	if ((lab = cli_lab(c)) == NULL)
		return CLI_ENV;
	snprintf(req, sizeof(req), "routes %s", c->argv[0]);
	if (cli_lab_request(lab, req, 5000, &r) != 0)
		return CLI_ENV;
	if (r.error != NULL) {
		cli_err(CLI_USAGE, "%s", r.error);
		ctlc_free(&r);
		return CLI_USAGE;
	}
	/* The daemon sends sdn_row lines: `plan` prints the same rows. */
	rows = xcalloc(r.n, sizeof(*rows));
	for (i = 0; i < r.n && rc == CLI_OK; i++)
		if (sdn_row_parse(r.rows[i], &rows[i]) != 0)
			rc = cli_err(CLI_ENV, "lab %s: the lab daemon sent a "
			    "malformed route: %s", lab, r.rows[i]);
	if (rc == CLI_OK)
		routes_print(rows, r.n, c->json);
	free(rows);
	ctlc_free(&r);
	return rc;
}

/* The Route Server of hub `hub` in the lab's saved topology. */
static const struct topo_rs *
find_rs(const char *lab, const char *hub, struct topo **tp)
{
	struct topo_err e;
	const struct topo_vnet *v;
	char dir[256], file[300];

	snprintf(file, sizeof(file), "%s/topology.json", lab_dir(lab, dir, sizeof(dir)));
	if (topo_load_file(file, tp, &e) == -1) {
		cli_err(CLI_ENV, "lab %s: %s: %s", lab, file, e.msg);
		return NULL;
	}
	if ((v = topo_vnet_find(*tp, hub)) == NULL || v->rs == NULL) {
		cli_err(CLI_USAGE, "lab %s has no Route Server in a VNet named %s",
		    lab, hub);
		return NULL;
	}
	return v->rs;
}

/* The hub's two instances, as rsprint sees them; strings live in the arrays. */
static void
rs_insts(const char *lab, const struct topo_rs *rs, struct rsprint_inst in[2],
    char sock[2][300], char local[2][ADDR_STRLEN])
{
	unsigned inst;

	for (inst = 0; inst < 2; inst++) {
		emu_speaker_sock(lab, rs->inst[inst]->name, sock[inst],
		    sizeof(sock[inst]));
		addr_fmt(rs->ip[inst], local[inst]);
		in[inst].name = rs->inst[inst]->name;
		in[inst].sock = sock[inst];
		in[inst].local = local[inst];
	}
}

/*
 * dump --mrt FILE: each instance's RIB as MRT TABLE_DUMP_V2 (RFC 6396):
 * FILE for the first instance, FILE.1 for the second. The speakers write
 * the files themselves, so the path is made absolute first.
 */
static int
rs_dump(const struct topo_rs *rs, char sock[2][300], const char *file)
{
	char abs[PATH_MAX + 8], dirpart[PATH_MAX], req[2 * PATH_MAX + 32], *slash;
	const char *base;
	unsigned i;

	if (file == NULL)
		return cli_err(CLI_USAGE, "rs dump needs --mrt FILE");
	snprintf(dirpart, sizeof(dirpart), "%s", file);
	if ((slash = strrchr(dirpart, '/')) != NULL) {
		*slash = '\0';
		base = slash + 1;
	} else {
		snprintf(dirpart, sizeof(dirpart), ".");
		base = file;
	}
	if (realpath(dirpart[0] ? dirpart : "/", abs) == NULL)
		return cli_err(CLI_USAGE, "--mrt %s: no such folder", file);
	for (i = 0; i < 2; i++) {
		struct ctlc_reply r;
		char path[2 * PATH_MAX + 8];

		snprintf(path, sizeof(path), "%s/%s%s", abs, base, i ? ".1" : "");
		snprintf(req, sizeof(req), "mrt %s", path);
		if (ctlc_request(sock[i], req, 10000, &r) != 0)
			return cli_err(CLI_ENV, "%s does not answer", rs->inst[i]->name);
		if (r.error != NULL) {
			cli_err(CLI_ENV, "%s: %s", rs->inst[i]->name, r.error);
			ctlc_free(&r);
			return CLI_ENV;
		}
		printf("%s: %s prefixes -> %s\n", rs->inst[i]->name,
		    r.n > 0 && strchr(r.rows[0], '\t') ? strchr(r.rows[0], '\t') + 1 :
		    "?", path);
		ctlc_free(&r);
	}
	return CLI_OK;
}

/* NS-07: the peerings of rs that its NSGs keep down, and why. */
static void
rs_blocked(const struct topo *t, const struct topo_rs *rs)
{
	char why[512];
	size_t i, k;

	for (k = 0; k < 2; k++)
		for (i = 0; i < t->nnvas; i++)
			if (topo_nva_peers_rs(t->nvas[i], rs) &&
			    nsg_session_blocked(t, rs->inst[k],
			    t->nvas[i]->node, why, sizeof(why)))
				printf("%s %s: blocked: %s\n", rs->inst[k]->name,
				    t->nvas[i]->node->name, why);
}

int
cmd_rs(struct cli *c)
{
	const struct topo_rs *rs;
	struct topo *t = NULL;
	struct rsprint_inst in[2];
	char sock[2][300], local[2][ADDR_STRLEN];
	const char *lab;
	int rc;

	bool one = c->argc >= 2 && (strcmp(c->argv[1], "peers") == 0 ||
	    strcmp(c->argv[1], "show") == 0 || strcmp(c->argv[1], "dump") == 0);

	if (c->argc < 2 || (one && c->argc != 2) || (!one && c->argc != 3))
		return cli_err(CLI_USAGE, "usage: arsemu rs HUB show | peers | "
		    "learned PEER | advertised PEER | dump --mrt FILE");
	if ((lab = cli_lab(c)) == NULL)
		return CLI_ENV;
	if ((rs = find_rs(lab, c->argv[0], &t)) == NULL) {
		topo_free(t);
		return CLI_USAGE;
	}
	rs_insts(lab, rs, in, sock, local);
	if (strcmp(c->argv[1], "show") == 0)
		rc = rs_show(lab, rs, c->json);
	else if (strcmp(c->argv[1], "peers") == 0) {
		rc = rsprint_peers(in, 2, c->json);
		if (!c->json)
			rs_blocked(t, rs);
	}
	else if (strcmp(c->argv[1], "dump") == 0)
		rc = rs_dump(rs, sock, c->mrt);
	else if (strcmp(c->argv[1], "learned") == 0 ||
	    strcmp(c->argv[1], "advertised") == 0)
		rc = rsprint_routes(in, 2, c->argv[1], c->argv[2], c->json);
	else
		rc = cli_err(CLI_USAGE, "rs: unknown view %s (show, peers, learned, "
		    "advertised)", c->argv[1]);
	topo_free(t);
	return rc;
}
