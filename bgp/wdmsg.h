/*
 * wdmsg: withdrawal-only UPDATE messages (RFC 4271 4.3) built one prefix at
 * a time. The export pass withdraws a whole table from several peers at
 * once; writing each prefix straight into its peer's message saves a list
 * of prefixes per peer and a second pass over it.
 *
 * Must not: know about peers or sessions; the caller sends what is built.
 */
#ifndef ARSEMU_WDMSG_H
#define ARSEMU_WDMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "msg.h"

#define WDMSG_PFX_MAX	5	/* length byte and four address bytes */
#define WDMSG_ROOM	(BGP_MAX_LEN - 2)	/* the attribute length follows */

struct wdmsg {
	size_t		len;		/* bytes in buf, header included */
	unsigned	n;		/* prefixes in it */
	uint8_t		buf[BGP_MAX_LEN + WDMSG_PFX_MAX];
};

/* An empty message: header and an empty withdrawn-routes field. */
void	wdmsg_init(struct wdmsg *m);
/* p as it goes on the wire; returns its length. */
size_t	wdmsg_encode(const struct pfx4 *p, uint8_t out[WDMSG_PFX_MAX]);

/*
 * Add a prefix encoded by wdmsg_encode(); false if it does not fit (m is
 * full: finish it, send it, init it). Inline: a table withdrawn from every
 * peer is this, hundreds of thousands of times.
 */
static inline bool
wdmsg_put(struct wdmsg *m, const uint8_t *enc, size_t len)
{
	if (m->len + len > WDMSG_ROOM)
		return false;
	memcpy(m->buf + m->len, enc, WDMSG_PFX_MAX);	/* buf has the slack */
	m->len += len;
	m->n++;
	return true;
}
/* Patch the lengths; returns the message length, 0 if no prefix is in it. */
size_t	wdmsg_finish(struct wdmsg *m);

#endif
