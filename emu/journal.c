/*
 * journal: JSON lines with monotonic milliseconds (journal.h).
 */
#include <stdarg.h>
#include <stdio.h>

#include "../lib/util.h"
#include "journal.h"

void
journal_open(struct journal *j, const char *path)
{
	j->f = fopen(path, "ae");
}

void
journal_close(struct journal *j)
{
	if (j->f != NULL)
		fclose(j->f);
	j->f = NULL;
}

void
journal(struct journal *j, const char *event, const char *fmt, ...)
{
	va_list ap;

	if (j == NULL || j->f == NULL)
		return;
	fprintf(j->f, "{\"t_ms\": %llu, \"event\": \"%s\"",
	    (unsigned long long)mono_ms(), event);
	if (fmt != NULL) {
		fputs(", ", j->f);
		va_start(ap, fmt);
		vfprintf(j->f, fmt, ap);
		va_end(ap);
	}
	fputs("}\n", j->f);
	fflush(j->f);
}
