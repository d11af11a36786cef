/*
 * buf: the one bounds-checked cursor for every byte arsemu reads off the wire,
 * and wbuf, the one bounded writer for every byte it puts on it.
 *
 * Every getter returns 0 on success and -1 when the bytes run out; it never
 * reads past the slice it was given. Parsers cut a message into sub-slices
 * (buf_get_sub) and each layer must consume exactly its own slice.
 * The writer refuses to overflow: once a put does not fit, w->err is set and
 * every later put is a no-op, so a builder checks once at the end.
 */
#ifndef ARSEMU_BUF_H
#define ARSEMU_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

struct buf {
	const uint8_t	*p;
	size_t		 len;
	size_t		 off;
};

void	buf_init(struct buf *b, const void *p, size_t len);
size_t	buf_left(const struct buf *b);
const uint8_t *buf_cur(const struct buf *b);
int	buf_get_u8(struct buf *b, uint8_t *v);
int	buf_get_u16(struct buf *b, uint16_t *v);	/* network order on the wire */
int	buf_get_u32(struct buf *b, uint32_t *v);
int	buf_get_bytes(struct buf *b, void *dst, size_t n);
int	buf_skip(struct buf *b, size_t n);
/* The next n bytes become their own cursor; b moves past them. */
int	buf_get_sub(struct buf *b, struct buf *sub, size_t n);

struct wbuf {
	uint8_t	*p;
	size_t	 cap;
	size_t	 len;
	bool	 err;
};

void	wbuf_init(struct wbuf *w, void *p, size_t cap);
void	wbuf_put_u8(struct wbuf *w, uint8_t v);
void	wbuf_put_u16(struct wbuf *w, uint16_t v);
void	wbuf_put_u32(struct wbuf *w, uint32_t v);
void	wbuf_put_bytes(struct wbuf *w, const void *p, size_t n);
/* Write v at an earlier offset (length back-patching); sets err if out of range. */
void	wbuf_set_u16(struct wbuf *w, size_t off, uint16_t v);
void	wbuf_set_u8(struct wbuf *w, size_t off, uint8_t v);
size_t	wbuf_room(const struct wbuf *w);

#endif
