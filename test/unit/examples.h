/*
 * The examples the unit tests that compute every subnet's tables run over
 * (test_share, test_sharesync, test_incr): every .json file of examples/,
 * read from the directory when the test runs (so a new example is in
 * without editing a list), then the fixture of 40 spokes with route tables.
 * Include once, in a test's .c file; the tests run from the top of the tree.
 */
#ifndef ARSEMU_TEST_EXAMPLES_H
#define ARSEMU_TEST_EXAMPLES_H

#include <glob.h>
#include <stdlib.h>

#include "../../lib/util.h"

#define EXAMPLES_GLOB	"examples/*.json"
#define EXAMPLES_EXTRA	"test/unit/data/share-spokes.json"

/*
 * The list, NULL-terminated, in name order, fixture last; NULL if the
 * directory has no example (a test run from elsewhere). Free with
 * examples_free().
 */
static char **
examples_list(size_t *n)
{
	glob_t g;
	char **v;
	size_t i;

	*n = 0;
	if (glob(EXAMPLES_GLOB, 0, NULL, &g) != 0)
		return NULL;
	v = xcalloc(g.gl_pathc + 2, sizeof(*v));
	for (i = 0; i < g.gl_pathc; i++)
		v[(*n)++] = xstrdup(g.gl_pathv[i]);
	v[(*n)++] = xstrdup(EXAMPLES_EXTRA);
	globfree(&g);
	return v;
}

static void
examples_free(char **v)
{
	size_t i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

#endif
