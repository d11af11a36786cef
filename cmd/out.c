/* out: aligned text tables (the JSON side is lib/json.c), and the LAB|TOPO argument. */
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../emu/lab.h"
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

/*
 * Row r as one line into buf (widths w, the last cell unpadded), its
 * length. One fwrite a row: printf's "%-*s" per cell is slow at 5 million
 * rows (plan --grouped).
 */
static size_t
line_fmt(const struct table *t, size_t r, const size_t *w, char *buf)
{
	size_t i, l, n = 0;

	for (i = 0; i < t->ncols; i++) {
		l = strlen(t->cells[r * t->ncols + i]);
		memcpy(buf + n, t->cells[r * t->ncols + i], l);
		n += l;
		if (i + 1 < t->ncols) {
			memset(buf + n, ' ', w[i] - l + 2);
			n += w[i] - l + 2;
		}
	}
	buf[n++] = '\n';
	return n;
}

/* The header's underline: dashes of each column's width. */
static size_t
rule_fmt(const struct table *t, const size_t *w, char *buf)
{
	size_t i, n = 0;

	for (i = 0; i < t->ncols; i++) {
		memset(buf + n, '-', w[i]);
		n += w[i];
		if (i + 1 < t->ncols) {
			memset(buf + n, ' ', 2);
			n += 2;
		}
	}
	buf[n++] = '\n';
	return n;
}

void
table_print(struct table *t)
{
	size_t *w = xcalloc(t->ncols, sizeof(*w)), r, i, len = 1;
	char *buf;

	for (r = 0; r < t->nrows; r++)
		for (i = 0; i < t->ncols; i++) {
			size_t l = strlen(t->cells[r * t->ncols + i]);

			if (l > w[i])
				w[i] = l;
		}
	for (i = 0; i < t->ncols; i++)
		len += w[i] + 2;
	buf = xcalloc(len, 1);
	for (r = 0; r < t->nrows; r++) {
		fwrite(buf, 1, line_fmt(t, r, w, buf), stdout);
		if (r == 0)
			fwrite(buf, 1, rule_fmt(t, w, buf), stdout);
	}
	free(buf);
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

/*
 * The topology a command about "LAB or TOPO" works on: argv[0] when it is a
 * file, else the saved topology of the lab named by argv[0], --name, or the
 * only lab running. NULL when there is none (the error is printed, *rc set).
 */
struct topo *
cli_topo(struct cli *c, const char **lab, int *rc)
{
	char file[400], dir[256], err[600];
	struct topo_err e;
	struct topo *t;
	struct stat st;

	*lab = NULL;
	if (c->argc == 1 && stat(c->argv[0], &st) == 0)
		snprintf(file, sizeof(file), "%s", c->argv[0]);
	else {
		if (c->argc == 1) {
			if ((*rc = cli_lab_name("LAB", c->argv[0])) != 0)
				return NULL;
			c->name = c->argv[0];
		}
		if ((*lab = cli_lab(c)) == NULL) {
			*rc = CLI_ENV;
			return NULL;
		}
		snprintf(file, sizeof(file), "%s/topology.json",
		    lab_dir(*lab, dir, sizeof(dir)));
	}
	if (topo_load_file(file, &t, &e) == -1) {
		topo_err_str(&e, file, err, sizeof(err));
		*rc = cli_err(*lab ? CLI_ENV : CLI_USAGE, "%s", err);
		return NULL;
	}
	if (*lab != NULL)
		(void)topo_set_name(t, *lab, &e);
	return t;
}
