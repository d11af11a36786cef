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

#include "msg.h"

#define WDMSG_PFX_MAX	5	/* length byte and four address bytes */

struct wdmsg {
	size_t		len;		/* bytes in buf, header included */
	uint8_t		buf[BGP_MAX_LEN];
};

/* An empty message: header and an empty withdrawn-routes field. */
void	wdmsg_init(struct wdmsg *m);
/* p as it goes on the wire; returns its length. */
size_t	wdmsg_encode(const struct pfx4 *p, uint8_t out[WDMSG_PFX_MAX]);
/*
 * Append prefixes encoded by wdmsg_encode(), len bytes of them: as many
 * whole ones as fit. Returns the bytes taken; fewer than len means m is
 * full (finish it, send it, init it, append the rest).
 */
size_t	wdmsg_append(struct wdmsg *m, const uint8_t *enc, size_t len);
/* Patch the lengths; returns the message length, 0 if no prefix is in it. */
size_t	wdmsg_finish(struct wdmsg *m);

#endif
