/*
 * journal: the lab daemon's journal, <labdir>/journal.jsonl: one JSON
 * object a line, {"t_ms": <mono_ms()>, "event": "<event>", ...}.
 * Owns: the file. Must not: decide what is journalled (its callers do).
 */
#ifndef ARSEMU_EMU_JOURNAL_H
#define ARSEMU_EMU_JOURNAL_H

#include <stdio.h>

struct journal {
	FILE	*f;		/* NULL: nothing is written (unit tests) */
};

/* Append to path; a journal that cannot be opened writes nothing. */
void	journal_open(struct journal *j, const char *path);
void	journal_close(struct journal *j);
/*
 * One line: event, then fmt's JSON members (NULL: none), e.g.
 * journal(j, "fail", "\"node\": \"%s\"", name). j may be NULL.
 */
void	journal(struct journal *j, const char *event, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

#endif
