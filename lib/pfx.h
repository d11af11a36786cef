/*
 * pfx: IPv4 addresses and prefixes in host byte order, and their text forms.
 * Pure; used by every layer.
 */
#ifndef ARSEMU_PFX_H
#define ARSEMU_PFX_H

#include <stdbool.h>
#include <stdint.h>

#define PFX_STRLEN	20	/* "255.255.255.255/32" plus NUL, with room for a bad length */
#define ADDR_STRLEN	16

struct pfx4 {
	uint32_t	addr;	/* host order, host bits zero once normalised */
	uint8_t		len;
};

uint32_t pfx_mask(uint8_t len);
/* "a.b.c.d" -> 0, or -1 when not a dotted quad. */
int	addr_parse(const char *s, uint32_t *addr);
const char *addr_fmt(uint32_t addr, char buf[ADDR_STRLEN]);
/* "a.b.c.d/n" -> 0; -1 malformed; -2 host bits set (strict callers refuse). */
int	pfx_parse(const char *s, struct pfx4 *p);
const char *pfx_fmt(const struct pfx4 *p, char buf[PFX_STRLEN]);
bool	pfx_contains(const struct pfx4 *outer, const struct pfx4 *inner);
bool	pfx_contains_addr(const struct pfx4 *p, uint32_t addr);
bool	pfx_overlap(const struct pfx4 *a, const struct pfx4 *b);
bool	pfx_equal(const struct pfx4 *a, const struct pfx4 *b);
/* Order: by address, then by length; for qsort and sorted output. */
int	pfx_cmp(const struct pfx4 *a, const struct pfx4 *b);
/* pfx_cmp for qsort and bsearch over arrays of struct pfx4. */
int	pfx_qcmp(const void *a, const void *b);

/*
 * The hash of a prefix for every table keyed by prefix (bgp/rib.c, the lab
 * daemon's watches): splitmix64's finaliser, as prefixes differ in a few
 * middle bits (10.1.2.0/24, 10.1.3.0/24, ...) and every output bit must
 * depend on all of them before the low bits pick the bucket.
 */
static inline uint64_t
pfx_hash64(const struct pfx4 *p)
{
	uint64_t h = (uint64_t)p->addr << 8 | p->len;

	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebull;
	h ^= h >> 31;
	return h;
}

/*
 * A set of prefixes asked "does one of you contain p?" many times: sorted,
 * searched once per distinct length in the set, so that checking 10,000
 * routes against 500 VNets' address spaces is not 5,000,000 comparisons.
 */
struct pfx_cover {
	struct pfx4	*v;
	size_t		 n;
	uint8_t		 lens[33];	/* the distinct lengths in v, ascending */
	unsigned	 nlens;
};

void	pfx_cover_init(struct pfx_cover *c);
void	pfx_cover_add(struct pfx_cover *c, const struct pfx4 *v, size_t n);
/* Sort and index after the last add; then pfx_cover_has may be called. */
void	pfx_cover_done(struct pfx_cover *c);
/* Is p equal to, or inside, one of the set? */
bool	pfx_cover_has(const struct pfx_cover *c, const struct pfx4 *p);
void	pfx_cover_free(struct pfx_cover *c);

#endif
