/*
 * fuzz_drill: arbitrary bytes into drill_load_string(). It must never crash
 * or leak, return a drill or an error (never both), and a drill it returns
 * must keep the parser's promises (names set, references resolved).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../topo/drill.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const struct drill *d)
{
	size_t i, k;

	if (d->name == NULL || d->topology == NULL || d->nsteps == 0)
		abort();
	for (i = 0; i < d->nsteps; i++)
		if (d->steps[i]->name == NULL)
			abort();
	for (i = 0; i < d->ntraffic; i++)
		if (d->traffic[i]->rate == 0 || d->traffic[i]->flows == 0)
			abort();
	for (i = 0; i < d->nexpects; i++) {
		const struct drill_expect *e = d->expects[i];
		bool found = e->step == NULL;

		if (e->min < 0 && e->max < 0)
			abort();
		for (k = 0; !found && k < d->nsteps; k++)
			found = strcmp(d->steps[k]->name, e->step) == 0;
		if (!found)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct topo_err err;
	struct drill *d = NULL;
	/* The system cJSON is not instrumented: give it a terminated copy. */
	char *buf = malloc(size + 1);

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	if (drill_load_string(buf, size, "base", &d, &err) == 0) {
		if (d == NULL)
			abort();
		check(d);
		drill_free(d);
	} else if (d != NULL)
		abort();
	free(buf);
	return 0;
}
