/*
 * junit: JUnit XML files, as CI systems read them (GitHub Actions, Azure
 * Pipelines, GitLab): <testsuites> of <testsuite>s of <testcase>s, each
 * with an optional <failure> or <error> and <system-out>; the shape
 * test/tools/junit.xsd describes. Written to FILE.tmp and renamed, so a
 * reader never sees half a file; FILE that exists and is no regular file
 * (/dev/stdout, a FIFO, a symlink) is written in place.
 *
 * Must not: know what is being tested.
 */
#ifndef ARSEMU_JUNIT_H
#define ARSEMU_JUNIT_H

#include <stddef.h>
#include <stdio.h>

struct junit {
	FILE	*f;
	char	*file, *tmp;
};

enum junit_result { JUNIT_PASS, JUNIT_FAILURE, JUNIT_ERROR };

/* -1 (errno set) if FILE.tmp (or FILE, see above) cannot be opened. */
int	junit_open(struct junit *j, const char *file, const char *name,
	    size_t tests, size_t failures, size_t errors, double secs);
void	junit_suite(struct junit *j, const char *name, size_t tests,
	    size_t failures, size_t errors, double secs);
/*
 * One testcase. message: the failure's or error's one line (JUNIT_PASS:
 * ignored); text: its body, e.g. what was expected and seen; out: the
 * system-out, NULL for none.
 */
void	junit_case(struct junit *j, const char *classname, const char *name,
	    double secs, enum junit_result r, const char *message,
	    const char *text, const char *out);
void	junit_suite_end(struct junit *j);
/* Closes and renames; -1 (errno set) if the file could not be written. */
int	junit_close(struct junit *j);

#endif
