/*
 * routesprint: effective routes as `az network nic show-effective-route-table`
 * prints them (CLI-01): the text table with az's columns, or the JSON
 * document. `arsemu routes` and `arsemu plan` print through here, so their
 * outputs are byte-identical when the routes are.
 */
#ifndef ARSEMU_ROUTESPRINT_H
#define ARSEMU_ROUTESPRINT_H

#include <stdbool.h>
#include <stddef.h>

#include "../emu/model/sdn.h"
#include "../lib/json.h"

/* To stdout: az's table, or az's JSON document. */
void	routes_print(const struct sdn_row *rows, size_t n, bool json);
/* az's JSON document ({"nextLink": null, "value": [...]}) as a value of j. */
void	routes_json(struct json *j, const struct sdn_row *rows, size_t n);

#endif
