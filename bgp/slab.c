/*
 * slab: fixed-size objects carved from large chunks, for the RIB's entries
 * and paths. A table of tens of thousands of prefixes is that many small
 * objects; malloc gives each a header and scatters them, and freeing a whole
 * table one by one showed in profiles. Here an object costs its size only,
 * objects made one after the other lie one after the other, and a freed
 * object is reused by the next allocation.
 *
 * Chunks (64 KiB, aligned to their size) lie in regions of 32, one mapping
 * each. A chunk's memory is populated in one call when it is first carved
 * (a page fault per 4 KiB page was the largest cost of reading a table on
 * a virtual machine), and is zero then, so objects carved from it are not
 * cleared again. Each chunk keeps its own free list, and allocation prefers
 * chunks that have free objects. A chunk whose objects are all returned is
 * kept, empty, until slab_trim(): the speaker calls it when it has nothing
 * to read, and the empty chunks' memory goes back to the kernel then, a run
 * of neighbouring chunks or a whole region in one call, so a table that
 * shrinks after churn gives its memory back without a system call (and a
 * TLB flush on every CPU) per chunk in the middle of a withdrawal.
 * Must not: know what the objects are.
 */
#include <sys/mman.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "bgpd.h"

/*
 * Under AddressSanitizer a returned object is poisoned (all but the
 * free-list link in its first word), so a use after slab_put() is caught
 * as it would be after free().
 */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SLAB_ASAN	1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define SLAB_ASAN	1
#endif
#ifdef SLAB_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n)	ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n)	ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n)	((void)(p), (void)(n))
#define UNPOISON(p, n)	((void)(p), (void)(n))
#endif

#define SLAB_CHUNK	(64 * 1024)	/* a chunk is aligned to its size */
#define SLAB_ALIGN	64	/* a cache line: a 64-byte object spans one */
#define REGION_CHUNKS	32	/* chunks a region (one mapping) holds: 2 MiB */

/* What a chunk's place in its region holds. */
enum chunk_state {
	CH_UNBACKED,	/* no memory: never carved, or given back */
	CH_USED,	/* objects in use, or being carved */
	CH_EMPTY,	/* every object returned; memory kept until slab_trim() */
};

/* One mapping of REGION_CHUNKS chunks, aligned to SLAB_CHUNK. */
struct slab_region {
	struct slab_region	*next;
	uint8_t			*base;
	uint8_t			 state[REGION_CHUNKS];
};

struct slab_chunk {
	struct slab_chunk	*pprev, *pnext;	/* chunks with a free object */
	void			*free;		/* this chunk's returned objects */
	struct slab_region	*region;
	size_t			 live;		/* objects in use */
	uint32_t		 idx;		/* in region */
	bool			 partial;	/* on the pprev/pnext list */
	uint8_t			 pad[SLAB_ALIGN - 4 * sizeof(void *) -
				     sizeof(size_t) - sizeof(uint32_t) -
				     sizeof(bool)];
	uint8_t			 obj[];
};
_Static_assert(offsetof(struct slab_chunk, obj) == SLAB_ALIGN,
    "objects start on a cache line");

static struct slab_chunk *
chunk_of(const void *p)
{
	return (struct slab_chunk *)((uintptr_t)p & ~(uintptr_t)(SLAB_CHUNK - 1));
}

static uint8_t *
chunk_addr(const struct slab_region *g, unsigned i)
{
	return g->base + (size_t)i * SLAB_CHUNK;
}

/*
 * A region's address space from the kernel, aligned to SLAB_CHUNK: map a
 * chunk more, trim the rest. No memory is touched yet.
 */
static struct slab_region *
region_map(struct slab *s)
{
	size_t len = (size_t)REGION_CHUNKS * SLAB_CHUNK;
	struct slab_region *g;
	uint8_t *m, *a;

	m = mmap(NULL, len + SLAB_CHUNK, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		die("out of memory");
	a = (uint8_t *)(((uintptr_t)m + SLAB_CHUNK - 1) &
	    ~(uintptr_t)(SLAB_CHUNK - 1));
	if (a > m)
		munmap(m, (size_t)(a - m));
	if (m + len + SLAB_CHUNK > a + len)
		munmap(a + len, (size_t)(m + len + SLAB_CHUNK - (a + len)));
	g = xcalloc(1, sizeof(*g));
	g->base = a;
	g->next = s->regions;
	s->regions = g;
	return g;
}

static void
region_unmap(struct slab *s, struct slab_region *g)
{
	struct slab_region **pp;

	for (pp = &s->regions; *pp != g; pp = &(*pp)->next)
		;
	*pp = g->next;
	UNPOISON(g->base, (size_t)REGION_CHUNKS * SLAB_CHUNK);
	munmap(g->base, (size_t)REGION_CHUNKS * SLAB_CHUNK);
	free(g);
}

static void
partial_add(struct slab *s, struct slab_chunk *c)
{
	c->pprev = NULL;
	c->pnext = s->partial;
	if (s->partial != NULL)
		s->partial->pprev = c;
	s->partial = c;
	c->partial = true;
}

static void
partial_del(struct slab *s, struct slab_chunk *c)
{
	if (c->pprev != NULL)
		c->pprev->pnext = c->pnext;
	else
		s->partial = c->pnext;
	if (c->pnext != NULL)
		c->pnext->pprev = c->pprev;
	c->partial = false;
}

/* A region's chunk i in state st, or -1. */
static int
region_find(const struct slab_region *g, enum chunk_state st)
{
	unsigned i;

	for (i = 0; i < REGION_CHUNKS; i++)
		if (g->state[i] == st)
			return (int)i;
	return -1;
}

/*
 * A chunk to carve: an empty one still backed (its memory is not zero),
 * else a place without memory, which is populated in one call rather than
 * a page fault per page: on a virtual machine a fault costs microseconds,
 * and a table of thousands of prefixes is hundreds of pages. *zero: its
 * memory is all zero bytes.
 */
static struct slab_chunk *
chunk_get(struct slab *s, bool *zero)
{
	struct slab_region *g;
	struct slab_chunk *c;
	int i = -1;

	if (s->nempty > 0)
		for (g = s->regions; g != NULL; g = g->next)
			if ((i = region_find(g, CH_EMPTY)) >= 0) {
				s->nempty--;
				c = (struct slab_chunk *)chunk_addr(g, (unsigned)i);
				UNPOISON(c, SLAB_CHUNK);
				*zero = false;
				goto found;
			}
	for (g = s->regions; g != NULL; g = g->next)
		if ((i = region_find(g, CH_UNBACKED)) >= 0)
			break;
	if (g == NULL) {
		g = region_map(s);
		i = 0;
	}
	c = (struct slab_chunk *)chunk_addr(g, (unsigned)i);
	/* without MADV_POPULATE_WRITE (Linux 5.14) the pages fault in as used */
	(void)madvise(c, SLAB_CHUNK, MADV_POPULATE_WRITE);
	*zero = true;
found:
	g->state[i] = CH_USED;
	memset(c, 0, offsetof(struct slab_chunk, obj));
	c->region = g;
	c->idx = (uint32_t)i;
	return c;
}

void
slab_init(struct slab *s, size_t size)
{
	memset(s, 0, sizeof(*s));
	/* room for the free-list link; 8-byte alignment keeps pointers aligned */
	if (size < sizeof(void *))
		size = sizeof(void *);
	s->size = (size + sizeof(void *) - 1) & ~(sizeof(void *) - 1);
}

void *
slab_alloc(struct slab *s)
{
	struct slab_chunk *c;
	void *p;

	if ((c = s->partial) != NULL) {
		p = c->free;
		UNPOISON(p, s->size);
		memcpy(&c->free, p, sizeof(void *));
		if (c->free == NULL)
			partial_del(s, c);
		memset(p, 0, s->size);
	} else {
		if (s->left < s->size) {
			c = chunk_get(s, &s->zero);
			s->cur = c;
			s->next = c->obj;
			s->left = SLAB_CHUNK - offsetof(struct slab_chunk, obj);
		}
		c = s->cur;
		p = s->next;
		s->next += s->size;
		s->left -= s->size;
		/* a chunk's memory fresh from the kernel is zero already */
		if (!s->zero)
			memset(p, 0, s->size);
	}
	c->live++;
	s->nobj++;
	return p;
}

void
slab_put(struct slab *s, void *p)
{
	struct slab_chunk *c;

	if (p == NULL)
		return;
	c = chunk_of(p);
	memcpy(p, &c->free, sizeof(void *));
	POISON((char *)p + sizeof(void *), s->size - sizeof(void *));
	c->free = p;
	c->live--;
	s->nobj--;
	if (c->live == 0) {
		/* kept until slab_trim(): a table going is many chunks at once */
		if (c == s->cur) {	/* carve a new one next time */
			s->cur = NULL;
			s->next = NULL;
			s->left = 0;
		}
		if (c->partial)
			partial_del(s, c);
		c->region->state[c->idx] = CH_EMPTY;
		s->nempty++;
		return;
	}
	if (!c->partial)
		partial_add(s, c);
}

/*
 * Give the empty chunks' memory back: a region with no chunk in use is
 * unmapped, else each run of empty chunks is let go in one call (each such
 * call flushes the TLB, on every CPU the process ran on).
 */
void
slab_trim(struct slab *s)
{
	struct slab_region *g, *gn;
	unsigned i, j;

	if (s->nempty == 0)
		return;
	for (g = s->regions; g != NULL; g = gn) {
		gn = g->next;
		for (i = 0; i < REGION_CHUNKS && g->state[i] != CH_USED; i++)
			;
		if (i == REGION_CHUNKS) {
			for (i = 0; i < REGION_CHUNKS; i++)
				s->nempty -= g->state[i] == CH_EMPTY;
			region_unmap(s, g);
			continue;
		}
		for (i = 0; i < REGION_CHUNKS; i = j) {
			for (j = i; j < REGION_CHUNKS && g->state[j] == CH_EMPTY; j++)
				;
			if (j == i) {
				j++;
				continue;
			}
			UNPOISON(chunk_addr(g, i), (size_t)(j - i) * SLAB_CHUNK);
			(void)madvise(chunk_addr(g, i), (size_t)(j - i) * SLAB_CHUNK,
			    MADV_DONTNEED);
			memset(&g->state[i], CH_UNBACKED, j - i);
			s->nempty -= j - i;
		}
	}
}

void
slab_free_all(struct slab *s)
{
	size_t size = s->size;

	while (s->regions != NULL)
		region_unmap(s, s->regions);
	slab_init(s, size);
}
