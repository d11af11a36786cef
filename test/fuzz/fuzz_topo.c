/*
 * fuzz_topo: arbitrary bytes into topo_load_string(). It must never crash
 * or leak, must return either a model or an error (never both), and a model
 * it returns must keep the invariants topo.h promises; any broken one
 * aborts, so that libFuzzer reports it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../topo/topo.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const struct topo *t)
{
	size_t i;

	for (i = 0; i < t->nnics; i++)
		if (t->nics[i]->idx != i || t->nics[i]->node->nic != t->nics[i] ||
		    topo_nic_by_ip(t, t->nics[i]->ip) != t->nics[i] ||
		    !pfx_contains_addr(&t->nics[i]->subnet->pfx, t->nics[i]->ip))
			abort();
	for (i = 0; i < t->nnodes; i++)
		if (!topo_name_ok(t->nodes[i]->name) ||
		    topo_node_find(t, t->nodes[i]->name) != t->nodes[i] ||
		    (i > 0 && t->nodes[i]->kind < t->nodes[i - 1]->kind &&
		    t->nodes[i]->kind != TOPO_SITE_ROUTER))
			abort();
	for (i = 0; i < t->nsitelinks; i++)
		if (t->sitelinks[i]->idx != i ||
		    t->sitelinks[i]->site_ip != t->sitelinks[i]->nva_ip + 1)
			abort();
	for (i = 0; i < t->nrss; i++)
		if (t->rss[i]->inst[0]->nic->ip + 1 != t->rss[i]->inst[1]->nic->ip)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct topo_err err;
	struct topo *t = (struct topo *)&err;	/* must be reset to NULL */
	char buf[1024];

	if (topo_load_string((const char *)data, size, &t, &err) == 0) {
		check(t);
		if (topo_set_name(t, "fuzz", &err) != 0)
			abort();
		topo_free(t);
		return 0;
	}
	if (t != NULL || memchr(err.msg, '\0', sizeof(err.msg)) == NULL ||
	    memchr(err.path, '\0', sizeof(err.path)) == NULL)
		abort();
	topo_err_str(&err, "fuzz.json", buf, sizeof(buf));
	return 0;
}
