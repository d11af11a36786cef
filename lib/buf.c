/* buf: bounded cursor and writer. See buf.h for the contract. */
#include <string.h>
#include "buf.h"

void
buf_init(struct buf *b, const void *p, size_t len)
{
	b->p = p;
	b->len = len;
	b->off = 0;
}

size_t
buf_left(const struct buf *b)
{
	return b->len - b->off;
}

const uint8_t *
buf_cur(const struct buf *b)
{
	return b->p + b->off;
}

int
buf_get_bytes(struct buf *b, void *dst, size_t n)
{
	if (buf_left(b) < n)
		return -1;
	if (n)
		memcpy(dst, b->p + b->off, n);
	b->off += n;
	return 0;
}

int
buf_get_u8(struct buf *b, uint8_t *v)
{
	return buf_get_bytes(b, v, 1);
}

int
buf_get_u16(struct buf *b, uint16_t *v)
{
	uint8_t x[2];

	if (buf_get_bytes(b, x, 2) == -1)
		return -1;
	*v = (uint16_t)(x[0] << 8 | x[1]);
	return 0;
}

int
buf_get_u32(struct buf *b, uint32_t *v)
{
	uint8_t x[4];

	if (buf_get_bytes(b, x, 4) == -1)
		return -1;
	*v = (uint32_t)x[0] << 24 | (uint32_t)x[1] << 16 | (uint32_t)x[2] << 8 | x[3];
	return 0;
}

int
buf_skip(struct buf *b, size_t n)
{
	if (buf_left(b) < n)
		return -1;
	b->off += n;
	return 0;
}

int
buf_get_sub(struct buf *b, struct buf *sub, size_t n)
{
	if (buf_left(b) < n)
		return -1;
	buf_init(sub, b->p + b->off, n);
	b->off += n;
	return 0;
}

void
wbuf_init(struct wbuf *w, void *p, size_t cap)
{
	w->p = p;
	w->cap = cap;
	w->len = 0;
	w->err = false;
}

size_t
wbuf_room(const struct wbuf *w)
{
	return w->err ? 0 : w->cap - w->len;
}

void
wbuf_put_bytes(struct wbuf *w, const void *p, size_t n)
{
	if (w->err || w->cap - w->len < n) {
		w->err = true;
		return;
	}
	if (n)
		memcpy(w->p + w->len, p, n);
	w->len += n;
}

void
wbuf_put_u8(struct wbuf *w, uint8_t v)
{
	wbuf_put_bytes(w, &v, 1);
}

void
wbuf_put_u16(struct wbuf *w, uint16_t v)
{
	uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	wbuf_put_bytes(w, x, 2);
}

void
wbuf_put_u32(struct wbuf *w, uint32_t v)
{
	uint8_t x[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
	    (uint8_t)(v >> 8), (uint8_t)v };

	wbuf_put_bytes(w, x, 4);
}

void
wbuf_set_u8(struct wbuf *w, size_t off, uint8_t v)
{
	if (w->err || off + 1 > w->len) {
		w->err = true;
		return;
	}
	w->p[off] = v;
}

void
wbuf_set_u16(struct wbuf *w, size_t off, uint16_t v)
{
	if (w->err || off + 2 > w->len) {
		w->err = true;
		return;
	}
	w->p[off] = (uint8_t)(v >> 8);
	w->p[off + 1] = (uint8_t)v;
}
