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

const char *
addr_fmt(uint32_t addr, char buf[ADDR_STRLEN])
{
	snprintf(buf, ADDR_STRLEN, "%u.%u.%u.%u", addr >> 24, (addr >> 16) & 0xff,
	    (addr >> 8) & 0xff, addr & 0xff);
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
	char a[ADDR_STRLEN];

	snprintf(buf, PFX_STRLEN, "%s/%u", addr_fmt(p->addr, a), p->len);
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
