/*
 * pos: where a JSON path ("regions[0].hub.nvas[1].asn") sits in the text of
 * the document, so that errors found after parsing still carry a line and a
 * column: cJSON keeps no positions.
 *
 * A small scanner that walks the raw text along the path. It runs on text
 * cJSON accepted, but never trusts it: it stops at the first surprise, never
 * reads past len, and answers with the deepest value it reached (so a
 * missing field points at the object that should hold it).
 *
 * Must not: allocate, or fail.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "topo_int.h"

struct scan {
	const char	*s;
	size_t		 len;
	size_t		 i;
};

static bool
at(const struct scan *p, char ch)
{
	return p->i < p->len && p->s[p->i] == ch;
}

static void
skip_ws(struct scan *p)
{
	while (p->i < p->len && (p->s[p->i] == ' ' || p->s[p->i] == '\t' ||
	    p->s[p->i] == '\r' || p->s[p->i] == '\n'))
		p->i++;
}

/* At a '"': move past the closing quote. */
static void
skip_string(struct scan *p)
{
	for (p->i++; p->i < p->len; p->i++) {
		if (p->s[p->i] == '\\')
			p->i++;
		else if (p->s[p->i] == '"') {
			p->i++;
			return;
		}
	}
	p->i = p->len;
}

static void
skip_value(struct scan *p)
{
	size_t depth = 0;

	if (at(p, '"')) {
		skip_string(p);
		return;
	}
	if (!at(p, '{') && !at(p, '[')) {
		while (p->i < p->len && strchr(",:}] \t\r\n", p->s[p->i]) == NULL)
			p->i++;
		return;
	}
	while (p->i < p->len) {
		char ch = p->s[p->i];

		if (ch == '"') {
			skip_string(p);
			continue;
		}
		if (ch == '{' || ch == '[')
			depth++;
		else if ((ch == '}' || ch == ']') && --depth == 0) {
			p->i++;
			return;
		}
		p->i++;
	}
}

/* Does the raw key text at s[k0..k1) start the path rest? */
static bool
key_matches(const struct scan *p, size_t k0, size_t k1, const char *rest)
{
	size_t n = k1 - k0, rlen = strlen(rest);

	if (n > rlen || memchr(p->s + k0, '\\', n) != NULL ||
	    memcmp(p->s + k0, rest, n) != 0)
		return false;
	return rest[n] == '\0' || rest[n] == '.' || rest[n] == '[';
}

/*
 * At a '{': move to the value of the member that rest begins with, and say
 * how much of rest the key used. The last match wins, so that a duplicated
 * key's error points at the duplicate.
 */
static bool
enter_member(struct scan *p, const char *rest, size_t *used)
{
	size_t found = SIZE_MAX, k0, k1;

	for (p->i++;;) {
		skip_ws(p);
		if (!at(p, '"'))
			break;
		k0 = p->i + 1;
		skip_string(p);
		k1 = p->i - 1;
		skip_ws(p);
		if (!at(p, ':'))
			break;
		p->i++;
		skip_ws(p);
		if (k1 >= k0 && key_matches(p, k0, k1, rest)) {
			found = p->i;
			*used = k1 - k0;
		}
		skip_value(p);
		skip_ws(p);
		if (!at(p, ','))
			break;
		p->i++;
	}
	if (found == SIZE_MAX)
		return false;
	p->i = found;
	return true;
}

/* At a '[': move to element idx. */
static bool
enter_element(struct scan *p, unsigned long idx)
{
	unsigned long k;

	p->i++;
	for (k = 0; k < idx; k++) {
		skip_ws(p);
		if (p->i >= p->len || at(p, ']'))
			return false;
		skip_value(p);
		skip_ws(p);
		if (!at(p, ','))
			return false;
		p->i++;
	}
	skip_ws(p);
	return p->i < p->len && !at(p, ']');
}

static size_t
walk(struct scan *p, const char *rest)
{
	size_t best, used = 0;
	unsigned long idx;
	char *end;

	skip_ws(p);
	best = p->i;
	while (*rest != '\0') {
		if (*rest == '[') {
			idx = strtoul(rest + 1, &end, 10);
			if (end == rest + 1 || *end != ']' || !at(p, '[') ||
			    !enter_element(p, idx))
				break;
			rest = end + 1;
		} else {
			if (*rest == '.')
				rest++;
			if (!at(p, '{') || !enter_member(p, rest, &used))
				break;
			rest += used;
		}
		best = p->i;
	}
	return best;
}

void
topo_pos_offset(const char *text, size_t len, size_t off, int *line,
    int *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	if (off > len)
		off = len;
	for (i = 0; i < off && *line < INT32_MAX; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)text[i] & 0xc0) != 0x80 &&
		    *col < INT32_MAX)
			(*col)++;	/* count UTF-8 characters, not bytes */
	}
}

void
topo_pos_path(const char *text, size_t len, const char *path, int *line,
    int *col)
{
	struct scan p = { .s = text, .len = len };

	if (text == NULL) {
		*line = *col = 0;
		return;
	}
	topo_pos_offset(text, len, walk(&p, path), line, col);
}

/* buf (TOPO_PATH_MAX) extended by a raw key s[k0..k1) or an index. */
static void
path_add_key(char *buf, const char *s, size_t k0, size_t k1)
{
	char key[TOPO_PATH_MAX], tmp[TOPO_PATH_MAX];
	size_t n = k1 > k0 ? k1 - k0 : 0;

	if (n >= sizeof(key))
		n = sizeof(key) - 1;
	memcpy(key, s + k0, n);
	key[n] = '\0';
	memcpy(buf, topo_path_key(tmp, buf, key), TOPO_PATH_MAX);
}

static void
path_add_idx(char *buf, size_t idx)
{
	char tmp[TOPO_PATH_MAX];

	memcpy(buf, topo_path_idx(tmp, buf, idx), TOPO_PATH_MAX);
}

void
topo_pos_path_at(const char *text, size_t len, size_t off, char *buf)
{
	struct scan p = { .s = text, .len = len };
	size_t k0, k1, v0, idx;

	buf[0] = '\0';
	skip_ws(&p);
	for (;;) {
		if (at(&p, '{')) {
			for (p.i++;;) {
				skip_ws(&p);
				if (!at(&p, '"'))
					return;
				k0 = p.i + 1;
				skip_string(&p);
				k1 = p.i - 1;
				if (off < p.i) {	/* in the key itself */
					path_add_key(buf, text, k0, k1);
					return;
				}
				skip_ws(&p);
				if (!at(&p, ':'))
					return;
				p.i++;
				skip_ws(&p);
				v0 = p.i;
				skip_value(&p);
				if (off < p.i) {
					path_add_key(buf, text, k0, k1);
					p.i = v0;
					break;
				}
				skip_ws(&p);
				if (!at(&p, ','))
					return;
				p.i++;
			}
		} else if (at(&p, '[')) {
			for (idx = 0, p.i++;; idx++) {
				skip_ws(&p);
				if (p.i >= p.len || at(&p, ']'))
					return;
				v0 = p.i;
				skip_value(&p);
				if (off < p.i) {
					path_add_idx(buf, idx);
					p.i = v0;
					break;
				}
				skip_ws(&p);
				if (!at(&p, ','))
					return;
				p.i++;
			}
		} else
			return;		/* a scalar: buf names it */
	}
}
