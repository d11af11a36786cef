/*
 * rsprint: the route-server views, shared by `arsemu rs` (cmd_show.c) and
 * `arsemu rsctl` (cmd_routeserver.c). Rows come from each instance's
 * control socket (bgp/ctl.c); text tables have an Instance column, JSON
 * follows `az network routeserver peering list-learned-routes` /
 * `list-advertised-routes` (RouteServiceRole_IN_<i> per instance).
 *
 * Must not: know labs or topologies; the caller names the instances.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/ctlc.h"
#include "../lib/json.h"
#include "../lib/util.h"
#include "cli.h"
#include "rsprint.h"

#define PEER_FIELDS	13

static void
peer_json(struct json *j, const struct rsprint_inst *in, char **f)
{
	json_obj_begin(j);
	json_kstr(j, "instance", in->name);
	json_kstr(j, "localAddress", in->local);
	json_kstr(j, "name", f[0]);
	json_kstr(j, "peerIp", f[1]);
	json_kint(j, "peerAsn", atoll(f[2]));
	json_kstr(j, "state", f[3]);
	json_kint(j, "uptimeSeconds", atoll(f[4]));
	json_kint(j, "routesReceived", atoll(f[5]));
	json_kint(j, "routesAccepted", atoll(f[6]));
	json_kint(j, "routesAdvertised", atoll(f[7]));
	json_kint(j, "flaps", atoll(f[8]));
	json_kint(j, "holdTime", atoll(f[9]));
	json_kint(j, "keepalive", atoll(f[10]));
	json_kstr(j, "lastError", strcmp(f[11], "-") ? f[11] : NULL);
	json_obj_end(j);
}

int
rsprint_peers(const struct rsprint_inst *in, size_t n, bool json)
{
	struct table *t = table_new(8, (const char *[]){ "Instance", "Peering",
	    "Peer IP", "Peer ASN", "State", "Up (s)", "Routes", "Last error" });
	struct json j;
	size_t inst;
	int rc = CLI_OK;

	if (json) {
		json_init(&j, stdout);
		json_arr_begin(&j);
	}
	for (inst = 0; inst < n; inst++) {
		char *f[PEER_FIELDS];
		struct ctlc_reply r;
		size_t i;

		if (ctlc_request(in[inst].sock, "peers", 3000, &r) != 0) {
			cli_err(CLI_ENV, "%s does not answer", in[inst].name);
			rc = CLI_ENV;
			continue;
		}
		for (i = 0; i < r.n; i++) {
			if (ctlc_fields(r.rows[i], f, PEER_FIELDS) < PEER_FIELDS)
				continue;
			/* RS-50: the gateways' iBGP sessions are the platform's */
			if (strcmp(f[2], "65515") == 0)
				continue;
			if (json)
				peer_json(&j, &in[inst], f);
			else
				table_row(t, (const char *[]){ in[inst].name,
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

static void
route_json(struct json *j, const struct rsprint_inst *in, char **f,
    bool learned)
{
	json_obj_begin(j);
	json_kstr(j, "asPath", f[2]);
	json_kstr(j, "localAddress", in->local);
	json_kstr(j, "network", f[0]);
	json_kstr(j, "nextHop", f[1]);
	json_kstr(j, "origin", f[3]);
	if (learned)
		json_kstr(j, "sourcePeer", f[4]);
	json_kint(j, "weight", atoll(learned ? f[5] : f[4]));
	json_obj_end(j);
}

int
rsprint_routes(const struct rsprint_inst *in, size_t n, const char *what,
    const char *peer, bool json)
{
	bool learned = what[0] == 'l';
	struct table *t;
	struct json j;
	size_t inst;
	int rc = CLI_OK;

	t = learned ? table_new(7, (const char *[]){ "Instance", "Network",
	    "Next Hop", "AS Path", "Origin", "Source Peer", "Note" }) :
	    table_new(5, (const char *[]){ "Instance", "Network", "Next Hop",
	    "AS Path", "Origin" });
	if (json) {
		json_init(&j, stdout);
		json_obj_begin(&j);
	}
	for (inst = 0; inst < n; inst++) {
		char req[128], key[48], *f[7];
		struct ctlc_reply r;
		size_t i;

		snprintf(req, sizeof(req), "%s %s", learned ? "learned" : "advertised",
		    peer);
		if (ctlc_request(in[inst].sock, req, 3000, &r) != 0) {
			rc = cli_err(CLI_ENV, "%s does not answer", in[inst].name);
			continue;
		}
		if (r.error != NULL) {
			rc = cli_err(CLI_USAGE, "%s: %s", in[inst].name, r.error);
			ctlc_free(&r);
			break;
		}
		snprintf(key, sizeof(key), "RouteServiceRole_IN_%zu", inst);
		if (json) {
			json_key(&j, key);
			json_arr_begin(&j);
		}
		for (i = 0; i < r.n; i++) {
			size_t nf = ctlc_fields(r.rows[i], f, 7);

			if (nf < (learned ? 7u : 5u))
				continue;
			if (json)
				route_json(&j, &in[inst], f, learned);
			else if (learned)
				table_row(t, (const char *[]){ in[inst].name,
				    f[0], f[1], f[2], f[3], f[4],
				    strcmp(f[6], "-") ? f[6] : "" });
			else
				table_row(t, (const char *[]){ in[inst].name,
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

/* "a,b" -> JSON array of strings; "" -> [] */
static void
json_csv(struct json *j, const char *csv)
{
	char *s = xstrdup(csv), *tok, *save = NULL;

	json_arr_begin(j);
	for (tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		json_str(j, tok);
	json_arr_end(j);
	free(s);
}

/*
 * The Loc-RIB: one row per prefix with a best path; next hops are what
 * the route server would program (empty for its own prefixes).
 */
int
rsprint_rib(const struct rsprint_inst *in, size_t n, bool json)
{
	struct table *t = table_new(5, (const char *[]){ "Instance", "Network",
	    "Next Hops", "AS Path", "From" });
	struct json j;
	size_t inst;
	int rc = CLI_OK;

	if (json) {
		json_init(&j, stdout);
		json_arr_begin(&j);
	}
	for (inst = 0; inst < n; inst++) {
		struct ctlc_reply r;
		char *f[5];
		size_t i;

		memset(f, 0, sizeof(f));
		if (ctlc_request(in[inst].sock, "rib", 3000, &r) != 0) {
			rc = cli_err(CLI_ENV, "%s does not answer", in[inst].name);
			continue;
		}
		for (i = 0; i < r.n; i++) {
			f[4] = NULL;
			if (ctlc_fields(r.rows[i], f, 5) < 4)
				continue;
			if (json) {
				json_obj_begin(&j);
				json_kstr(&j, "instance", in[inst].name);
				json_kstr(&j, "network", f[0]);
				json_key(&j, "nextHops");
				json_csv(&j, strcmp(f[1], "-") ? f[1] : "");
				json_kstr(&j, "asPath", f[2]);
				json_kstr(&j, "from", f[3]);
				/* not an az field: arsemu's own view (GW-08) */
				json_key(&j, "communities");
				json_csv(&j, f[4] != NULL && strcmp(f[4], "-") ? f[4] : "");
				json_obj_end(&j);
			} else
				table_row(t, (const char *[]){ in[inst].name, f[0],
				    f[1], f[2], f[3] });
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
