/*
 * routesprint: see routesprint.h. The JSON field order is az's (alphabetical,
 * as the az CLI prints), with empty arrays and objects where az has them.
 *
 * Must not: compute or fetch routes.
 */
#include <stdio.h>

#include "../lib/json.h"
#include "cli.h"
#include "routesprint.h"

static void
row_json(struct json *j, const struct sdn_row *r)
{
	json_obj_begin(j);
	json_key(j, "addressPrefix");
	json_arr_begin(j);
	json_str(j, r->prefix);
	json_arr_end(j);
	json_key(j, "destinationServiceTags");
	json_arr_begin(j);
	json_arr_end(j);
	json_kbool(j, "disableBgpRoutePropagation", r->disable_bgp);
	json_kbool(j, "hasBgpOverride", false);
	json_kstr(j, "name", r->name[0] ? r->name : NULL);
	json_key(j, "nextHopIpAddress");
	json_arr_begin(j);
	if (r->nh[0])
		json_str(j, r->nh);
	json_arr_end(j);
	json_kstr(j, "nextHopType", r->type);
	json_kstr(j, "source", r->source);
	json_kstr(j, "state", r->state);
	json_key(j, "tagMap");
	json_obj_begin(j);
	json_obj_end(j);
	json_obj_end(j);
}

void
routes_json(struct json *j, const struct sdn_row *rows, size_t n)
{
	size_t i;

	json_obj_begin(j);
	json_key(j, "nextLink");
	json_null(j);
	json_key(j, "value");
	json_arr_begin(j);
	for (i = 0; i < n; i++)
		row_json(j, &rows[i]);
	json_arr_end(j);
	json_obj_end(j);
}

void
routes_print(const struct sdn_row *rows, size_t n, bool json)
{
	struct table *t;
	struct json j;
	size_t i;

	if (json) {
		json_init(&j, stdout);
		routes_json(&j, rows, n);
		json_end(&j);
		return;
	}
	t = table_new(5, (const char *[]){ "Source", "State", "Address Prefix",
	    "Next Hop Type", "Next Hop IP" });
	for (i = 0; i < n; i++)
		table_row(t, (const char *[]){ rows[i].source, rows[i].state,
		    rows[i].prefix, rows[i].type, rows[i].nh });
	table_print(t);
	table_free(t);
}
