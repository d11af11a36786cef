/*
 * slab: fixed-size objects carved from large chunks, for the RIB's entries
 * and paths. A table of tens of thousands of prefixes is that many small
 * objects; malloc gives each a header and scatters them, and freeing a whole
 * table one by one showed in profiles. Here an object costs its size only,
 * objects made one after the other lie one after the other, and a freed
 * object is reused by the next allocation.
 *
 * Chunks are returned only by slab_free_all(). Must not: know what the
 * objects are.
 */
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

#define SLAB_CHUNK	(64 * 1024)
#define SLAB_ALIGN	64	/* a cache line: a 64-byte object spans one */

/* A chunk: the link to the previous one, then the objects. */
struct slab_chunk {
	struct slab_chunk	*prev;
	uint8_t			 pad[SLAB_ALIGN - sizeof(void *)];
	uint8_t			 obj[];
};

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

	if (s->free != NULL) {
		p = s->free;
		memcpy(&s->free, p, sizeof(void *));
		UNPOISON(p, s->size);
	} else {
		if (s->left < s->size) {
			if ((c = aligned_alloc(SLAB_ALIGN, SLAB_CHUNK)) == NULL)
				die("out of memory");
			c->prev = s->chunks;
			s->chunks = c;
			s->cur = c->obj;
			s->left = SLAB_CHUNK - offsetof(struct slab_chunk, obj);
		}
		p = s->cur;
		s->cur += s->size;
		s->left -= s->size;
	}
	s->nobj++;
	return memset(p, 0, s->size);
}

void
slab_put(struct slab *s, void *p)
{
	if (p == NULL)
		return;
	memcpy(p, &s->free, sizeof(void *));
	POISON((char *)p + sizeof(void *), s->size - sizeof(void *));
	s->free = p;
	s->nobj--;
}

void
slab_free_all(struct slab *s)
{
	struct slab_chunk *c, *prev;
	size_t size = s->size;

	for (c = s->chunks; c != NULL; c = prev) {
		prev = c->prev;
		UNPOISON(c, SLAB_CHUNK);
		free(c);
	}
	slab_init(s, size);
}
