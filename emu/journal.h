/*
 * journal: the lab daemon's journal, <labdir>/journal.jsonl: one JSON
 * object a line, {"t_ms": <mono_ms()>, "event": "<event>", ...}, written
 * with lib/json (strings escaped).
 * Owns: the file. Must not: decide what is journalled (its callers do).
 */
#ifndef ARSEMU_EMU_JOURNAL_H
#define ARSEMU_EMU_JOURNAL_H

#include <stdbool.h>
#include <stdio.h>

#include "../lib/json.h"

struct journal {
	FILE		*f;		/* NULL: nothing is written (unit tests) */
	struct json	 w;
	bool		 held;		/* journal_hold: lines wait in the buffer */
};

/* Append to path; a journal that cannot be opened writes nothing. */
void	journal_open(struct journal *j, const char *path);
void	journal_close(struct journal *j);
/*
 * An event's line begun: its members follow through the writer returned
 * (json_kstr, json_kint, ...), then journal_end. NULL (write nothing, and
 * no journal_end) when j is NULL or not open.
 */
struct json *journal_begin(struct journal *j, const char *event);
void	journal_end(struct journal *j);
/*
 * Each line is written as it ends, except between journal_hold and
 * journal_flush, where they wait in the buffer (64 KiB) and go in a few
 * writes: a recompute journals a line per NIC whose routes changed, 4,010
 * at examples/azure-limits.json, one write(2) each before (issue 23). A
 * daemon killed in between loses those lines; their t_ms is when each
 * event happened, not when it was written.
 */
void	journal_hold(struct journal *j);
void	journal_flush(struct journal *j);
/*
 * The common events: {"node": node} (none when NULL), then key (none when
 * NULL) with the string sval, or when sval is NULL the number ival.
 */
void	journal_node(struct journal *j, const char *event, const char *node,
	    const char *key, const char *sval, long long ival);
/* One string member ("text" most often). */
void	journal_str(struct journal *j, const char *event, const char *key,
	    const char *val);

#endif
