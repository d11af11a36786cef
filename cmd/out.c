/* out: aligned text tables (the JSON side is lib/json.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "cli.h"

struct table {
	size_t	  ncols;
	char	**cells;	/* row-major, the header row first */
	size_t	  nrows, cap;
};

struct table *
table_new(size_t ncols, const char *const *headers)
{
	struct table *t = xcalloc(1, sizeof(*t));

	t->ncols = ncols;
	table_row(t, headers);
	return t;
}

void
table_row(struct table *t, const char *const *cells)
{
	size_t i;

	xgrow(&t->cells, &t->cap, (t->nrows + 1) * t->ncols, sizeof(*t->cells));
	for (i = 0; i < t->ncols; i++)
		t->cells[t->nrows * t->ncols + i] = xstrdup(cells[i] ? cells[i] : "");
	t->nrows++;
}

void
table_print(struct table *t)
{
	size_t *w = xcalloc(t->ncols, sizeof(*w)), r, i;

	for (r = 0; r < t->nrows; r++)
		for (i = 0; i < t->ncols; i++) {
			size_t l = strlen(t->cells[r * t->ncols + i]);

			if (l > w[i])
				w[i] = l;
		}
	for (r = 0; r < t->nrows; r++) {
		for (i = 0; i < t->ncols; i++) {
			const char *s = t->cells[r * t->ncols + i];

			if (i + 1 == t->ncols)
				printf("%s", s);
			else
				printf("%-*s  ", (int)w[i], s);
		}
		putchar('\n');
		if (r == 0) {
			for (i = 0; i < t->ncols; i++) {
				size_t k;

				for (k = 0; k < w[i]; k++)
					putchar('-');
				if (i + 1 < t->ncols)
					fputs("  ", stdout);
			}
			putchar('\n');
		}
	}
	free(w);
}

void
table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}
