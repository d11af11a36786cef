/*
 * json: a small streaming JSON writer for the CLI's --json output, indented
 * two spaces like the az CLI, and for JSON lines on one line (the lab's
 * journal, a speaker's --log json). Commas, nesting and string escapes are
 * the writer's, so callers only say what comes next.
 */
#ifndef ARSEMU_JSON_H
#define ARSEMU_JSON_H

#include <stdbool.h>
#include <stdio.h>

#define JSON_DEPTH	32

struct json {
	FILE	*f;
	int	 depth;
	bool	 first[JSON_DEPTH];
	bool	 after_key;
	bool	 line;		/* all on one line */
	bool	 tight;		/* and without spaces */
};

void	json_init(struct json *j, FILE *f);
/*
 * One line, members separated by ", " (a JSON lines file: the lab's
 * journal); json_end ends the line.
 */
void	json_init_line(struct json *j, FILE *f);
/* One line without spaces (",", ":"): the speaker's --log json. */
void	json_init_compact(struct json *j, FILE *f);
void	json_obj_begin(struct json *j);
void	json_obj_end(struct json *j);
void	json_arr_begin(struct json *j);
void	json_arr_end(struct json *j);
void	json_key(struct json *j, const char *key);
void	json_str(struct json *j, const char *s);	/* NULL prints null */
void	json_int(struct json *j, long long v);
void	json_bool(struct json *j, bool v);
void	json_null(struct json *j);
/* key + value shorthands */
void	json_kstr(struct json *j, const char *key, const char *s);
void	json_kint(struct json *j, const char *key, long long v);
void	json_kbool(struct json *j, const char *key, bool v);
/* Call after the outermost value: prints the final newline. */
void	json_end(struct json *j);

#endif
