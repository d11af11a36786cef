/*
 * tjson.h: q("{'a': 1}"), a JSON document written in a C string with '
 * for ", as the unit tests write small topologies (free the result).
 */
#ifndef ARSEMU_TJSON_H
#define ARSEMU_TJSON_H

#include "../../lib/util.h"

__attribute__((unused)) static char *
q(const char *s)
{
	char *d = xstrdup(s), *p;

	for (p = d; *p != '\0'; p++)
		if (*p == '\'')
			*p = '"';
	return d;
}

#endif
