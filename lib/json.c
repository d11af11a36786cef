/* json: streaming writer; see json.h. */
#include <string.h>

#include "json.h"

void
json_init(struct json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
	j->first[0] = true;
}

void
json_init_line(struct json *j, FILE *f)
{
	json_init(j, f);
	j->line = true;
}

void
json_init_compact(struct json *j, FILE *f)
{
	json_init_line(j, f);
	j->tight = true;
}

static void
indent(struct json *j)
{
	int i;

	if (j->line)
		return;
	fputc('\n', j->f);
	for (i = 0; i < j->depth; i++)
		fputs("  ", j->f);
}

/* Separator and indentation before a value or a key. */
static void
pre(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth == 0)
		return;
	if (!j->first[j->depth])
		fputs(j->line && !j->tight ? ", " : ",", j->f);
	j->first[j->depth] = false;
	indent(j);
}

static void
open_(struct json *j, char c)
{
	pre(j);
	fputc(c, j->f);
	if (j->depth + 1 < JSON_DEPTH)
		j->depth++;
	j->first[j->depth] = true;
}

static void
close_(struct json *j, char c)
{
	bool empty = j->first[j->depth];

	if (j->depth > 0)
		j->depth--;
	if (!empty)
		indent(j);
	fputc(c, j->f);
}

void json_obj_begin(struct json *j) { open_(j, '{'); }
void json_obj_end(struct json *j) { close_(j, '}'); }
void json_arr_begin(struct json *j) { open_(j, '['); }
void json_arr_end(struct json *j) { close_(j, ']'); }

static void
quoted(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

void
json_key(struct json *j, const char *key)
{
	pre(j);
	quoted(j->f, key);
	fputs(j->tight ? ":" : ": ", j->f);
	j->after_key = true;
}

void
json_str(struct json *j, const char *s)
{
	pre(j);
	if (s == NULL)
		fputs("null", j->f);
	else
		quoted(j->f, s);
}

void
json_int(struct json *j, long long v)
{
	pre(j);
	fprintf(j->f, "%lld", v);
}

void
json_bool(struct json *j, bool v)
{
	pre(j);
	fputs(v ? "true" : "false", j->f);
}

void
json_null(struct json *j)
{
	pre(j);
	fputs("null", j->f);
}

void json_kstr(struct json *j, const char *k, const char *s) { json_key(j, k); json_str(j, s); }
void json_kint(struct json *j, const char *k, long long v) { json_key(j, k); json_int(j, v); }
void json_kbool(struct json *j, const char *k, bool v) { json_key(j, k); json_bool(j, v); }

void
json_end(struct json *j)
{
	fputc('\n', j->f);
	fflush(j->f);
}
