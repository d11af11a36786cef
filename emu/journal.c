/*
 * journal: JSON lines with monotonic milliseconds (journal.h).
 */
#include <stdio.h>

#include "../lib/util.h"
#include "journal.h"

void
journal_open(struct journal *j, const char *path)
{
	j->f = fopen(path, "ae");
	j->held = false;
	if (j->f != NULL)
		setvbuf(j->f, NULL, _IOFBF, 64 << 10);
}

void
journal_hold(struct journal *j)
{
	j->held = true;
}

void
journal_flush(struct journal *j)
{
	j->held = false;
	if (j->f != NULL)
		fflush(j->f);
}

void
journal_close(struct journal *j)
{
	if (j->f != NULL)
		fclose(j->f);
	j->f = NULL;
}

struct json *
journal_begin(struct journal *j, const char *event)
{
	if (j == NULL || j->f == NULL)
		return NULL;
	json_init_line(&j->w, j->f);
	json_obj_begin(&j->w);
	json_kint(&j->w, "t_ms", (long long)mono_ms());
	json_kstr(&j->w, "event", event);
	return &j->w;
}

void
journal_end(struct journal *j)
{
	json_obj_end(&j->w);
	if (j->held)
		fputc('\n', j->f);
	else
		json_end(&j->w);
}

void
journal_str(struct journal *j, const char *event, const char *key,
    const char *val)
{
	struct json *w;

	if ((w = journal_begin(j, event)) == NULL)
		return;
	json_kstr(w, key, val);
	journal_end(j);
}

void
journal_node(struct journal *j, const char *event, const char *node,
    const char *key, const char *sval, long long ival)
{
	struct json *w;

	if ((w = journal_begin(j, event)) == NULL)
		return;
	if (node != NULL)
		json_kstr(w, "node", node);
	if (key != NULL && sval != NULL)
		json_kstr(w, key, sval);
	else if (key != NULL)
		json_kint(w, key, ival);
	journal_end(j);
}
