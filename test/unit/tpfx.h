/*
 * tpfx.h: P("10.0.0.0/16"), a prefix from its text for the unit tests. A
 * typo in a test's prefix stops the test (exit 2) rather than testing
 * 0.0.0.0/0 in its place.
 */
#ifndef ARSEMU_TPFX_H
#define ARSEMU_TPFX_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/pfx.h"

__attribute__((unused)) static struct pfx4
P(const char *s)
{
	struct pfx4 p;

	memset(&p, 0, sizeof(p));
	if (pfx_parse(s, &p) != 0) {
		fprintf(stderr, "bad prefix in test: %s\n", s);
		exit(2);
	}
	return p;
}

#endif
