/*
 * util: allocation that cannot fail (failure is fatal, STYLE 11), small string
 * helpers, and the monotonic clock every journal and timer uses.
 */
#ifndef ARSEMU_UTIL_H
#define ARSEMU_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

void	*xmalloc(size_t n);
void	*xcalloc(size_t n, size_t size);
void	*xrealloc(void *p, size_t n);
/* Grow *arr (of *cap elements of size sz) so that it holds at least need. */
void	 xgrow(void *arrp, size_t *cap, size_t need, size_t sz);
char	*xstrdup(const char *s);
char	*xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	 die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/*
 * src into dst (len bytes, always terminated) with what a terminal could
 * take for a command written \xNN: control characters (C0, DEL, C1) and
 * bytes that are not well-formed UTF-8. For every message that quotes its
 * input; the output holds no such byte, so escaping it again is a no-op.
 */
char	*str_escape(char *dst, size_t len, const char *src);
/*
 * A decimal number of digits only (no sign, blank or base prefix) within
 * min..max: 0 and *out set, or -1 (not a number, or out of range).
 */
int	 str_uint(const char *s, unsigned min, unsigned max, unsigned *out);
/* Append to buf (len bytes, holding a string); what does not fit is cut. */
void	 str_appendf(char *buf, size_t len, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Free n strings and the array holding them. */
void	 strv_free(char **v, size_t n);
/* qsort/bsearch comparator of an array of uint32_t, ascending. */
int	 u32_qcmp(const void *a, const void *b);
/* qsort/bsearch comparator of an array of char *, by strcmp. */
int	 str_qcmp(const void *a, const void *b);
/* Monotonic time in milliseconds. */
uint64_t mono_ms(void);

#endif
