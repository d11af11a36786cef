/*
 * wdmsg: withdrawal-only UPDATEs, one prefix at a time (see wdmsg.h).
 *
 *	marker (16) | length (2) | type (1) | withdrawn length (2) |
 *	withdrawn routes ... | path attribute length (2) = 0
 *
 * The result is byte for byte what bgp_build_update() makes for the same
 * withdrawals (RFC 7606 5.1: no NLRI and no attributes with them).
 * Must not: send anything, or build anything but withdrawals.
 */
#include <string.h>

#include "wdmsg.h"

#define MARKER_LEN	16
#define WD_LEN_OFF	BGP_HDR_LEN
#define WD_START	(BGP_HDR_LEN + 2)
#define PFX_MAX_BITS	32
#define WDMSG_ROOM	(BGP_MAX_LEN - 2)	/* the attribute length follows */
#define BITS		8

void
wdmsg_init(struct wdmsg *m)
{
	memset(m->buf, 0xff, MARKER_LEN);
	m->buf[MARKER_LEN + 2] = BGP_UPDATE;
	m->len = WD_START;
}

size_t
wdmsg_encode(const struct pfx4 *p, uint8_t out[WDMSG_PFX_MAX])
{
	uint8_t len = p->len > PFX_MAX_BITS ? PFX_MAX_BITS : p->len;
	uint32_t addr = len == 0 ? 0 : p->addr & ~((1ull << (32 - len)) - 1);
	size_t nb = ((size_t)len + BITS - 1) / BITS, k;

	memset(out, 0, WDMSG_PFX_MAX);
	out[0] = len;
	for (k = 0; k < nb; k++)
		out[1 + k] = (uint8_t)(addr >> (24 - BITS * k));
	return 1 + nb;
}

size_t
wdmsg_append(struct wdmsg *m, const uint8_t *enc, size_t len)
{
	size_t room = WDMSG_ROOM - m->len, take = 0, one;

	if (len <= room)
		take = len;
	else	/* cut between prefixes: each starts with its length in bits */
		while (take < len && take + (one = 1 + ((size_t)enc[take] +
		    BITS - 1) / BITS) <= room)
			take += one;
	memcpy(m->buf + m->len, enc, take);
	m->len += take;
	return take;
}

size_t
wdmsg_finish(struct wdmsg *m)
{
	size_t wdlen = m->len - WD_START, total = m->len + 2;

	if (wdlen == 0)
		return 0;
	m->buf[WD_LEN_OFF] = (uint8_t)(wdlen >> BITS);
	m->buf[WD_LEN_OFF + 1] = (uint8_t)wdlen;
	m->buf[m->len] = 0;		/* no path attributes */
	m->buf[m->len + 1] = 0;
	m->buf[MARKER_LEN] = (uint8_t)(total >> BITS);
	m->buf[MARKER_LEN + 1] = (uint8_t)total;
	return total;
}
