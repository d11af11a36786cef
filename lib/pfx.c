/* pfx: IPv4 prefix helpers. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pfx.h"

uint32_t
pfx_mask(uint8_t len)
{
	return len == 0 ? 0 : len >= 32 ? 0xffffffffu : ~((1u << (32 - len)) - 1);
}

int
addr_parse(const char *s, uint32_t *addr)
{
	struct in_addr in;

	if (s == NULL || inet_pton(AF_INET, s, &in) != 1)
		return -1;
	*addr = ntohl(in.s_addr);
	return 0;
}

/* A byte in decimal at p (no NUL); the end. (snprintf is slow at 5 million rows.) */
static char *
byte_put(char *p, unsigned v)
{
	v &= 0xff;
	if (v >= 100)
		*p++ = (char)('0' + v / 100);
	if (v >= 10)
		*p++ = (char)('0' + v / 10 % 10);
	*p++ = (char)('0' + v % 10);
	return p;
}

/* "a.b.c.d" at p (no NUL); the end. */
static char *
dec_put(char *p, unsigned a, unsigned b, unsigned c, unsigned d)
{
	p = byte_put(p, a);
	*p++ = '.';
	p = byte_put(p, b);
	*p++ = '.';
	p = byte_put(p, c);
	*p++ = '.';
	return byte_put(p, d);
}

const char *
addr_fmt(uint32_t addr, char buf[ADDR_STRLEN])
{
	*dec_put(buf, addr >> 24, addr >> 16, addr >> 8, addr) = '\0';
	return buf;
}

int
pfx_parse(const char *s, struct pfx4 *p)
{
	char tmp[PFX_STRLEN + 1], *slash, *end;
	unsigned long len;

	if (s == NULL || strlen(s) >= sizeof(tmp))
		return -1;
	strcpy(tmp, s);
	if ((slash = strchr(tmp, '/')) == NULL)
		return -1;
	*slash = '\0';
	if (slash[1] < '0' || slash[1] > '9')
		return -1;
	len = strtoul(slash + 1, &end, 10);
	if (*end != '\0' || len > 32)
		return -1;
	if (addr_parse(tmp, &p->addr) == -1)
		return -1;
	p->len = (uint8_t)len;
	if (p->addr & ~pfx_mask(p->len)) {
		p->addr &= pfx_mask(p->len);
		return -2;
	}
	return 0;
}

const char *
pfx_fmt(const struct pfx4 *p, char buf[PFX_STRLEN])
{
	char *e = dec_put(buf, p->addr >> 24, p->addr >> 16, p->addr >> 8,
	    p->addr);

	*e++ = '/';
	*byte_put(e, p->len) = '\0';
	return buf;
}

bool
pfx_contains(const struct pfx4 *outer, const struct pfx4 *inner)
{
	return inner->len >= outer->len &&
	    (inner->addr & pfx_mask(outer->len)) == outer->addr;
}

bool
pfx_contains_addr(const struct pfx4 *p, uint32_t addr)
{
	return (addr & pfx_mask(p->len)) == p->addr;
}

bool
pfx_overlap(const struct pfx4 *a, const struct pfx4 *b)
{
	return pfx_contains(a, b) || pfx_contains(b, a);
}

bool
pfx_equal(const struct pfx4 *a, const struct pfx4 *b)
{
	return a->addr == b->addr && a->len == b->len;
}

int
pfx_cmp(const struct pfx4 *a, const struct pfx4 *b)
{
	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return 0;
}

int
pfx_qcmp(const void *a, const void *b)
{
	return pfx_cmp(a, b);
}

void
pfx_cover_init(struct pfx_cover *c)
{
	memset(c, 0, sizeof(*c));
}

void
pfx_cover_add(struct pfx_cover *c, const struct pfx4 *v, size_t n)
{
	size_t i;

	if (n == 0)
		return;
	c->v = realloc(c->v, (c->n + n) * sizeof(*c->v));
	if (c->v == NULL)
		abort();
	for (i = 0; i < n; i++) {
		c->v[c->n].len = v[i].len > 32 ? 32 : v[i].len;
		c->v[c->n].addr = v[i].addr & pfx_mask(c->v[c->n].len);
		c->n++;
	}
}

void
pfx_cover_done(struct pfx_cover *c)
{
	bool seen[33] = { false };
	size_t i;
	unsigned l;

	if (c->n > 1)
		qsort(c->v, c->n, sizeof(*c->v), pfx_qcmp);
	for (i = 0; i < c->n; i++)
		seen[c->v[i].len] = true;
	c->nlens = 0;
	for (l = 0; l <= 32; l++)
		if (seen[l])
			c->lens[c->nlens++] = (uint8_t)l;
}

bool
pfx_cover_has(const struct pfx_cover *c, const struct pfx4 *p)
{
	unsigned k;

	for (k = 0; k < c->nlens && c->lens[k] <= p->len; k++) {
		struct pfx4 key = { p->addr & pfx_mask(c->lens[k]), c->lens[k] };

		if (bsearch(&key, c->v, c->n, sizeof(*c->v), pfx_qcmp) != NULL)
			return true;
	}
	return false;
}

void
pfx_cover_free(struct pfx_cover *c)
{
	free(c->v);
	memset(c, 0, sizeof(*c));
}
