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

/* topo.h's node order: RS, gateway instances, NVAs, VMs, MSEEs, sites. */
static int
rank(enum topo_node_kind k)
{
	switch (k) {
	case TOPO_RS:
		return 0;
	case TOPO_GW:
		return 1;
	case TOPO_NVA:
		return 2;
	case TOPO_VM:
		return 3;
	case TOPO_MSEE:
		return 4;
	default:
		return 5;
	}
}

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
		    (i > 0 && rank(t->nodes[i]->kind) <
		    rank(t->nodes[i - 1]->kind)))
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
