/*
 * t.h: the unit tests' TAP output. Each check prints "ok N - what" or
 * "not ok N - what (file:line)"; t_done() prints the plan and the exit status.
 * A test that checks an Azure rule names its id in the description.
 */
#ifndef ARSEMU_T_H
#define ARSEMU_T_H

#include <stdarg.h>
#include <stdio.h>

static int t_count, t_failed;

__attribute__((format(printf, 4, 5), unused)) static int
t_ok(int ok, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	t_count++;
	if (!ok)
		t_failed++;
	printf("%sok %d - ", ok ? "" : "not ", t_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (!ok)
		printf(" (%s:%d)", file, line);
	putchar('\n');
	fflush(stdout);
	return ok;
}

#define T_OK(cond, ...)	t_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define T_EQ(a, b, ...)	t_ok((a) == (b), __FILE__, __LINE__, __VA_ARGS__)

__attribute__((unused)) static int
t_done(void)
{
	printf("1..%d\n", t_count);
	return t_failed ? 1 : 0;
}

#endif
