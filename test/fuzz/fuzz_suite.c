/*
 * fuzz_suite: arbitrary bytes into suite_load_string(). It must never crash
 * or leak, return a suite or an error (never both), and a suite it returns
 * must keep the parser's promises: assertions named and placed, each kind's
 * required parts present, no control character in a name.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../topo/suite.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const struct suite *s)
{
	const char *c;
	size_t i;

	if (s->topology == NULL || s->nasserts == 0 || s->text == NULL)
		abort();
	for (i = 0; i < s->nasserts; i++) {
		const struct suite_assert *a = s->asserts[i];

		if (a->name == NULL || a->jpath == NULL)
			abort();
		for (c = a->name; *c != '\0'; c++)
			if ((unsigned char)*c < 0x20)
				abort();
		switch (a->kind) {
		case SUITE_ROUTES:
			if ((a->nic == NULL) == (a->nsubnets == 0) ||
			    a->has_pfx + a->has_table + (a->count >= 0 ||
			    a->digest != NULL) != 1)
				abort();
			break;
		case SUITE_WALK:
			if (a->from == NULL || a->to == NULL)
				abort();
			break;
		case SUITE_POLICY:
			if (a->from == NULL || (a->policy != SUITE_EGRESS &&
			    a->to == NULL) || (a->policy != SUITE_ISOLATED &&
			    a->nthrough == 0))
				abort();
			break;
		case SUITE_BGP:
			if (a->hub == NULL || a->peer == NULL)
				abort();
			break;
		case SUITE_DIFF:
			/* parsing loads no base: suite_load_bases does */
			if (a->base == NULL || a->nonly == 0 ||
			    a->base_topo != NULL)
				abort();
			break;
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct topo_err err;
	struct suite *s = NULL;
	/* The system cJSON is not instrumented: give it a terminated copy. */
	char *buf = malloc(size + 1);

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	if (suite_load_string(buf, size, "base", &s, &err) == 0) {
		if (s == NULL)
			abort();
		check(s);
		suite_free(s);
	} else if (s != NULL || err.path[0] != '$')
		abort();
	free(buf);
	return 0;
}
