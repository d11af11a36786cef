/*
 * slab: fixed-size objects carved from large chunks, for the RIB's entries
 * and paths. A table of tens of thousands of prefixes is that many small
 * objects; malloc gives each a header and scatters them, and freeing a whole
 * table one by one showed in profiles. Here an object costs its size only,
 * objects made one after the other lie one after the other, and a freed
 * object is reused by the next allocation.
 *
 * A chunk whose objects are all returned goes back to the kernel at once
 * (it is mapped, not malloc'd), so a table that shrinks after churn gives
 * its memory back; each chunk keeps its own free list, and allocation
 * prefers chunks that have free objects. Must not: know what the objects
 * are.
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

struct slab_chunk {
	struct slab_chunk	*prev, *next;	/* every chunk of the slab */
	struct slab_chunk	*pprev, *pnext;	/* chunks with a free object */
	void			*free;		/* this chunk's returned objects */
	size_t			 live;		/* objects in use */
	bool			 partial;	/* on the pprev/pnext list */
	uint8_t			 pad[SLAB_ALIGN - 5 * sizeof(void *) -
				     sizeof(size_t) - sizeof(bool)];
	uint8_t			 obj[];
};
_Static_assert(offsetof(struct slab_chunk, obj) == SLAB_ALIGN,
    "objects start on a cache line");

static struct slab_chunk *
chunk_of(const void *p)
{
	return (struct slab_chunk *)((uintptr_t)p & ~(uintptr_t)(SLAB_CHUNK - 1));
}

/* A chunk from the kernel, aligned to its size: map twice, trim the rest. */
static struct slab_chunk *
chunk_map(void)
{
	uint8_t *m, *a;
	uintptr_t u;

	m = mmap(NULL, 2 * SLAB_CHUNK, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		die("out of memory");
	u = ((uintptr_t)m + SLAB_CHUNK - 1) & ~(uintptr_t)(SLAB_CHUNK - 1);
	a = (uint8_t *)u;
	if (a > m)
		munmap(m, (size_t)(a - m));
	munmap(a + SLAB_CHUNK, (size_t)(m + 2 * SLAB_CHUNK - (a + SLAB_CHUNK)));
	memset(a, 0, offsetof(struct slab_chunk, obj));
	return (struct slab_chunk *)a;
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

static void
chunk_release(struct slab *s, struct slab_chunk *c)
{
	if (c->partial)
		partial_del(s, c);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		s->chunks = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	UNPOISON(c, SLAB_CHUNK);
	munmap(c, SLAB_CHUNK);
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
	} else {
		if (s->left < s->size) {
			c = chunk_map();
			c->next = s->chunks;
			if (s->chunks != NULL)
				s->chunks->prev = c;
			s->chunks = c;
			s->cur = c;
			s->next = c->obj;
			s->left = SLAB_CHUNK - offsetof(struct slab_chunk, obj);
		}
		c = s->cur;
		p = s->next;
		s->next += s->size;
		s->left -= s->size;
	}
	c->live++;
	s->nobj++;
	return memset(p, 0, s->size);
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
		if (c == s->cur) {	/* carve a new one next time */
			s->cur = NULL;
			s->next = NULL;
			s->left = 0;
		}
		chunk_release(s, c);
		return;
	}
	if (!c->partial)
		partial_add(s, c);
}

void
slab_free_all(struct slab *s)
{
	size_t size = s->size;

	while (s->chunks != NULL)
		chunk_release(s, s->chunks);
	slab_init(s, size);
}
