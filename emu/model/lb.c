/*
 * lb: an internal load balancer's choice of backend (see lb.h). Owns the
 * hash and its key; must not know nftables' syntax (emu/lablb.c) or how a
 * walk names the hop (walk.c).
 */
#include <string.h>

#include "lb.h"

#define JHASH_INITVAL	0xdeadbeefu

static uint32_t
rol32(uint32_t w, unsigned s)
{
	return (w << s) | (w >> (32 - s));
}

#define JHASH_MIX(a, b, c) do {					\
	a -= c; a ^= rol32(c, 4);  c += b;			\
	b -= a; b ^= rol32(a, 6);  a += c;			\
	c -= b; c ^= rol32(b, 8);  b += a;			\
	a -= c; a ^= rol32(c, 16); c += b;			\
	b -= a; b ^= rol32(a, 19); a += c;			\
	c -= b; c ^= rol32(b, 4);  b += a;			\
} while (0)

#define JHASH_FINAL(a, b, c) do {				\
	c ^= b; c -= rol32(b, 14);				\
	a ^= c; a -= rol32(c, 11);				\
	b ^= a; b -= rol32(a, 25);				\
	c ^= b; c -= rol32(b, 16);				\
	a ^= c; a -= rol32(c, 4);				\
	b ^= a; b -= rol32(a, 14);				\
	c ^= b; c -= rol32(b, 24);				\
} while (0)

/* A little-endian word, as the kernel reads one on x86 (get_unaligned_cpu32). */
static uint32_t
le32(const uint8_t *k)
{
	return (uint32_t)k[0] | (uint32_t)k[1] << 8 | (uint32_t)k[2] << 16 |
	    (uint32_t)k[3] << 24;
}

uint32_t
lb_jhash(const void *key, uint32_t len, uint32_t initval)
{
	const uint8_t *k = key;
	uint32_t a, b, c;

	a = b = c = JHASH_INITVAL + len + initval;
	while (len > 12) {
		a += le32(k);
		b += le32(k + 4);
		c += le32(k + 8);
		JHASH_MIX(a, b, c);
		len -= 12;
		k += 12;
	}
	switch (len) {
	case 12: c += (uint32_t)k[11] << 24;	/* FALLTHROUGH */
	case 11: c += (uint32_t)k[10] << 16;	/* FALLTHROUGH */
	case 10: c += (uint32_t)k[9] << 8;	/* FALLTHROUGH */
	case 9:  c += k[8];			/* FALLTHROUGH */
	case 8:  b += (uint32_t)k[7] << 24;	/* FALLTHROUGH */
	case 7:  b += (uint32_t)k[6] << 16;	/* FALLTHROUGH */
	case 6:  b += (uint32_t)k[5] << 8;	/* FALLTHROUGH */
	case 5:  b += k[4];			/* FALLTHROUGH */
	case 4:  a += (uint32_t)k[3] << 24;	/* FALLTHROUGH */
	case 3:  a += (uint32_t)k[2] << 16;	/* FALLTHROUGH */
	case 2:  a += (uint32_t)k[1] << 8;	/* FALLTHROUGH */
	case 1:  a += k[0];
		JHASH_FINAL(a, b, c);
		break;
	default:
		break;
	}
	return c;
}

uint32_t
lb_scale(uint32_t val, uint32_t n)
{
	return (uint32_t)(((uint64_t)val * n) >> 32);
}

static void
put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static bool
has_ports(uint8_t proto)
{
	return proto == TOPO_PROTO_TCP || proto == TOPO_PROTO_UDP;
}

uint32_t
lb_flow_hash(const struct lb_flow *f)
{
	uint8_t key[16];

	memset(key, 0, sizeof(key));
	put_be32(key, f->src);
	put_be32(key + 4, f->dst);
	if (!has_ports(f->proto))
		return lb_jhash(key, 8, LB_HASH_SEED);
	key[8] = (uint8_t)(f->sport >> 8);
	key[9] = (uint8_t)f->sport;
	key[12] = (uint8_t)(f->dport >> 8);
	key[13] = (uint8_t)f->dport;
	return lb_jhash(key, 16, LB_HASH_SEED);
}

bool
lb_takes(const struct topo_lb *lb, const struct lb_flow *f,
    const struct topo_lb_rule **rule)
{
	size_t i;

	*rule = NULL;
	if (lb->nrules == 0)
		return true;
	for (i = 0; i < lb->nrules; i++)
		if (lb->rules[i].proto == f->proto &&
		    lb->rules[i].port == f->dport) {
			*rule = &lb->rules[i];
			return true;
		}
	return false;
}

int
lb_pick(const struct topo_lb *lb, const bool *healthy,
    const struct lb_flow *f, bool reply)
{
	const struct topo_lb_rule *rule;
	struct lb_flow o = *f;
	uint32_t n = 0, k;
	size_t i;

	if (reply) {
		o.src = f->dst;
		o.dst = f->src;
		o.sport = f->dport;
		o.dport = f->sport;
	}
	if (!lb_takes(lb, &o, &rule))
		return -1;
	for (i = 0; i < lb->nbackends; i++)
		n += healthy == NULL || healthy[i];
	if (n == 0)
		return -1;
	k = lb_scale(lb_flow_hash(&o), n);
	for (i = 0; i < lb->nbackends; i++)
		if ((healthy == NULL || healthy[i]) && k-- == 0)
			return (int)i;
	return -1;
}
