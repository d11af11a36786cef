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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../emu/emu.h"
#include "../emu/lab.h"
#include "../lib/ctlc.h"
#include "../lib/json.h"
#include "../lib/util.h"
#include "cli.h"
#include "routesprint.h"

int
cmd_routes(struct cli *c)
{
	const char *lab;
	char sock[300], req[128];
	struct ctlc_reply r;
	struct sdn_row *rows;
	size_t i;
	int rc = CLI_OK;

	if (c->argc != 1)
		return cli_err(CLI_USAGE, "usage: arsemu routes NIC [--json]");
	if ((lab = cli_lab(c)) == NULL)
		return CLI_ENV;
	snprintf(req, sizeof(req), "routes %s", c->argv[0]);
	if (ctlc_request(emu_daemon_sock(lab, sock, sizeof(sock)), req, 5000, &r) != 0)
		return cli_err(CLI_ENV, "lab %s: the lab daemon does not answer", lab);
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

static int
rs_peers(const char *lab, const struct topo_rs *rs, bool json)
{
	struct table *t = table_new(8, (const char *[]){ "Instance", "Peering",
	    "Peer IP", "Peer ASN", "State", "Up (s)", "Routes", "Last error" });
	struct json j;
	unsigned inst;
	int rc = CLI_OK;

	if (json) {
		json_init(&j, stdout);
		json_arr_begin(&j);
	}
	for (inst = 0; inst < 2; inst++) {
		char sock[300], *f[13];
		struct ctlc_reply r;
		size_t i;

		emu_speaker_sock(lab, rs->inst[inst]->name, sock, sizeof(sock));
		if (ctlc_request(sock, "peers", 3000, &r) != 0) {
			cli_err(CLI_ENV, "%s does not answer", rs->inst[inst]->name);
			rc = CLI_ENV;
			continue;
		}
		for (i = 0; i < r.n; i++) {
			if (ctlc_fields(r.rows[i], f, 13) < 13)
				continue;
			if (json) {
				json_obj_begin(&j);
				json_kstr(&j, "instance", rs->inst[inst]->name);
				json_kstr(&j, "localAddress",
				    addr_fmt(rs->ip[inst], (char[ADDR_STRLEN]){0}));
				json_kstr(&j, "name", f[0]);
				json_kstr(&j, "peerIp", f[1]);
				json_kint(&j, "peerAsn", atoll(f[2]));
				json_kstr(&j, "state", f[3]);
				json_kint(&j, "uptimeSeconds", atoll(f[4]));
				json_kint(&j, "routesReceived", atoll(f[5]));
				json_kint(&j, "routesAccepted", atoll(f[6]));
				json_kint(&j, "routesAdvertised", atoll(f[7]));
				json_kint(&j, "flaps", atoll(f[8]));
				json_kint(&j, "holdTime", atoll(f[9]));
				json_kint(&j, "keepalive", atoll(f[10]));
				json_kstr(&j, "lastError", strcmp(f[11], "-") ? f[11] : NULL);
				json_obj_end(&j);
			} else
				table_row(t, (const char *[]){ rs->inst[inst]->name,
				    f[0], f[1], f[2], f[3], f[4], f[6], f[11] });
		}
		ctlc_free(&r);
	}
	if (json) {
		json_arr_end(&j);
		json_end(&j);
	} else
		table_print(t);
	table_free(t);
	return rc;
}

static int
rs_routes(const char *lab, const struct topo_rs *rs, const char *what,
    const char *peer, bool json)
{
	bool learned = what[0] == 'l';
	struct table *t;
	struct json j;
	unsigned inst;
	int rc = CLI_OK;

	t = learned ? table_new(7, (const char *[]){ "Instance", "Network",
	    "Next Hop", "AS Path", "Origin", "Source Peer", "Note" }) :
	    table_new(5, (const char *[]){ "Instance", "Network", "Next Hop",
	    "AS Path", "Origin" });
	if (json) {
		json_init(&j, stdout);
		json_obj_begin(&j);
	}
	for (inst = 0; inst < 2; inst++) {
		char sock[300], req[128], key[32], local[ADDR_STRLEN], *f[7];
		struct ctlc_reply r;
		size_t i;

		emu_speaker_sock(lab, rs->inst[inst]->name, sock, sizeof(sock));
		snprintf(req, sizeof(req), "%s %s", learned ? "learned" : "advertised",
		    peer);
		addr_fmt(rs->ip[inst], local);
		if (ctlc_request(sock, req, 3000, &r) != 0) {
			rc = cli_err(CLI_ENV, "%s does not answer", rs->inst[inst]->name);
			continue;
		}
		if (r.error != NULL) {
			rc = cli_err(CLI_USAGE, "%s: %s", rs->inst[inst]->name, r.error);
			ctlc_free(&r);
			break;
		}
		snprintf(key, sizeof(key), "RouteServiceRole_IN_%u", inst);
		if (json) {
			json_key(&j, key);
			json_arr_begin(&j);
		}
		for (i = 0; i < r.n; i++) {
			size_t nf = ctlc_fields(r.rows[i], f, 7);

			if (nf < (learned ? 7u : 5u))
				continue;
			if (json) {
				json_obj_begin(&j);
				json_kstr(&j, "asPath", f[2]);
				json_kstr(&j, "localAddress", local);
				json_kstr(&j, "network", f[0]);
				json_kstr(&j, "nextHop", f[1]);
				json_kstr(&j, "origin", f[3]);
				if (learned)
					json_kstr(&j, "sourcePeer", f[4]);
				json_kint(&j, "weight", atoll(learned ? f[5] : f[4]));
				json_obj_end(&j);
			} else if (learned)
				table_row(t, (const char *[]){ rs->inst[inst]->name,
				    f[0], f[1], f[2], f[3], f[4],
				    strcmp(f[6], "-") ? f[6] : "" });
			else
				table_row(t, (const char *[]){ rs->inst[inst]->name,
				    f[0], f[1], f[2], f[3] });
		}
		if (json)
			json_arr_end(&j);
		ctlc_free(&r);
	}
	if (json) {
		json_key(&j, "value");
		json_null(&j);
		json_obj_end(&j);
		json_end(&j);
	} else if (rc == CLI_OK)
		table_print(t);
	table_free(t);
	return rc;
}

int
cmd_rs(struct cli *c)
{
	const struct topo_rs *rs;
	struct topo *t = NULL;
	const char *lab;
	int rc;

	if (c->argc < 2 || (strcmp(c->argv[1], "peers") == 0 && c->argc != 2) ||
	    (strcmp(c->argv[1], "peers") != 0 && c->argc != 3))
		return cli_err(CLI_USAGE, "usage: arsemu rs HUB peers | learned PEER | "
		    "advertised PEER");
	if ((lab = cli_lab(c)) == NULL)
		return CLI_ENV;
	if ((rs = find_rs(lab, c->argv[0], &t)) == NULL) {
		topo_free(t);
		return CLI_USAGE;
	}
	if (strcmp(c->argv[1], "peers") == 0)
		rc = rs_peers(lab, rs, c->json);
	else if (strcmp(c->argv[1], "learned") == 0 ||
	    strcmp(c->argv[1], "advertised") == 0)
		rc = rs_routes(lab, rs, c->argv[1], c->argv[2], c->json);
	else
		rc = cli_err(CLI_USAGE, "rs: unknown view %s (peers, learned, advertised)",
		    c->argv[1]);
	topo_free(t);
	return rc;
}
