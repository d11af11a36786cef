/*
 * failkind: name <-> enum fail_kind (failkind.h).
 */
#include <stdio.h>
#include <string.h>

#include "failkind.h"

static const char *const names[] = {
	[FAIL_CRASH] = "crash",
	[FAIL_FREEZE] = "freeze",
	[FAIL_SHUTDOWN] = "shutdown",
	[FAIL_LINK] = "link",
	[FAIL_DOWN] = "down",
	[FAIL_PROBE] = "probe",
};
#define NKINDS	(sizeof(names) / sizeof(names[0]))

int
fail_kind_parse(const char *s, enum fail_kind *k)
{
	size_t i;

	for (i = 0; i < NKINDS; i++)
		if (strcmp(names[i], s) == 0) {
			*k = (enum fail_kind)i;
			return 0;
		}
	return -1;
}

const char *
fail_kind_name(enum fail_kind k)
{
	return (size_t)k < NKINDS ? names[k] : "?";
}

const char *
fail_kind_list(const char *sep)
{
	static char buf[2][64];
	char *b = buf[strcmp(sep, "|") != 0];
	size_t i, n = 0;

	for (i = 0; i < NKINDS; i++)
		n += (size_t)snprintf(b + n, sizeof(buf[0]) - n, "%s%s",
		    i ? sep : "", names[i]);
	return b;
}
