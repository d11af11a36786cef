/*
 * update: the UPDATE message (RFC 4271 4.3) with RFC 7606 error handling,
 * and the prefix encoding of its withdrawn routes and NLRI.
 *
 * Owns: cutting an UPDATE body into its three slices, prefixes in and out,
 * the message-level RFC 7606 decisions (missing attributes, 5.2, 5.3), the
 * RFC 4271 6.3 checks that need the peer's AS and our own (given as
 * numbers: bgp_update_check_peer), and packing UPDATEs within 4096 bytes.
 * Must not: judge individual attributes (attr.c does, through its table),
 * touch sessions or RIBs.
 *
 *	+-----------------------------------------------------+
 *	| Withdrawn Routes Length (2)                         |
 *	| Withdrawn Routes (variable)                         |
 *	| Total Path Attribute Length (2)                     |
 *	| Path Attributes (variable)                          |
 *	| Network Layer Reachability Information (the rest)   |
 *	+-----------------------------------------------------+
 *	a prefix: length in bits (1) | the address, cut to whole bytes
 */
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "../lib/util.h"

#define PFX4_MAX_BITS	32
#define PFX6_MAX_BITS	128
#define PFX_MAX_BYTES	16
#define LEN_FIELD	2
#define BITS		8
#define MARKER_LEN	16

static size_t
pfx_bytes(uint8_t len)
{
	return ((size_t)len + BITS - 1) / BITS;
}

/*
 * One slice of prefixes. IPv4 ones are appended to u->withdrawn or u->nlri
 * (one allocation: a prefix takes at least a byte); IPv6 ones are counted.
 * -1: a length past the family's width, or a prefix cut short (RFC 7606 5.3).
 */
int
bgp_nlri_parse(struct buf *b, uint16_t afi, bool withdrawn, struct bgp_update *u)
{
	struct pfx4 **v = withdrawn ? &u->withdrawn : &u->nlri;
	size_t *n = withdrawn ? &u->nwithdrawn : &u->nnlri;
	uint8_t plen, max = afi == BGP_AFI_IPV4 ? PFX4_MAX_BITS : PFX6_MAX_BITS;
	uint8_t addr[PFX_MAX_BYTES];
	struct pfx4 *p;

	if (buf_left(b) == 0)
		return 0;
	if (afi == BGP_AFI_IPV4)
		*v = xrealloc(*v, (*n + buf_left(b)) * sizeof(**v));
	while (buf_left(b) > 0) {
		if (buf_get_u8(b, &plen) == -1 || plen > max)
			return -1;
		memset(addr, 0, sizeof(addr));
		if (buf_get_bytes(b, addr, pfx_bytes(plen)) == -1)
			return -1;
		if (afi != BGP_AFI_IPV4) {
			u->ipv6_reach++;
			continue;
		}
		p = &(*v)[(*n)++];
		p->len = plen;
		/* trailing bits are irrelevant (RFC 4271 4.3): clear them */
		p->addr = ((uint32_t)addr[0] << 24 | (uint32_t)addr[1] << 16 |
		    (uint32_t)addr[2] << 8 | addr[3]) & pfx_mask(plen);
	}
	return 0;
}

void
bgp_update_free(struct bgp_update *u)
{
	free(u->withdrawn);
	free(u->nlri);
	bgp_attrs_free(&u->attrs);
	memset(u, 0, sizeof(*u));
}

/* RFC 7606 3.d: a missing well-known mandatory attribute: treat-as-withdraw. */
static void
check_mandatory(struct bgp_update *u, struct bgp_attr_result *r,
    struct bgp_notify *wderr)
{
	static const uint8_t mandatory[] = {
		BGP_ATTR_ORIGIN, BGP_ATTR_AS_PATH, BGP_ATTR_NEXT_HOP,
	};
	size_t i;

	for (i = 0; i < sizeof(mandatory); i++) {
		if (u->attrs.present & BGP_ATTR_BIT(mandatory[i]))
			continue;
		if (r->eh < BGP_EH_WITHDRAW) {
			r->eh = BGP_EH_WITHDRAW;
			bgp_notify_set(wderr, BGP_ERR_UPDATE, BGP_UPD_MISSING,
			    &mandatory[i], 1);
		}
		return;
	}
}

int
bgp_update_parse(const struct bgp_codec *c, struct buf *body,
    struct bgp_update *u, struct bgp_notify *err)
{
	struct bgp_attr_result r;
	struct buf wd, attrs, nlri;
	uint16_t wdlen, alen;

	memset(u, 0, sizeof(*u));
	/* RFC 4271 6.3, RFC 7606 3.b: lengths past the message */
	if (buf_get_u16(body, &wdlen) == -1 ||
	    buf_get_sub(body, &wd, wdlen) == -1 ||
	    buf_get_u16(body, &alen) == -1 ||
	    buf_get_sub(body, &attrs, alen) == -1)
		goto bad_list;
	if (buf_get_sub(body, &nlri, buf_left(body)) == -1)
		goto bad_list;
	/* RFC 7606 5.3: prefixes that do not parse: session reset */
	if (bgp_nlri_parse(&wd, BGP_AFI_IPV4, true, u) == -1 ||
	    bgp_nlri_parse(&nlri, BGP_AFI_IPV4, false, u) == -1)
		goto bad_network;
	u->eor = wdlen == 0 && alen == 0 && u->nnlri == 0;

	bgp_attrs_parse(c, &attrs, u, &r, err);
	if (r.eh == BGP_EH_RESET)
		goto fail;
	if (u->nnlri > 0) {
		check_mandatory(u, &r, err);
		/* RFC 4271 6.3 semantic NEXT_HOP check, RFC 7606 7.3 */
		if (r.nh_martian && r.eh < BGP_EH_WITHDRAW) {
			r.eh = BGP_EH_WITHDRAW;
			bgp_notify_set(err, BGP_ERR_UPDATE, BGP_UPD_NEXTHOP,
			    NULL, 0);
		}
		/* RFC 9774 3: AS_SET, AS_CONFED_SET: treat-as-withdraw */
		if (r.as_set && r.eh < BGP_EH_WITHDRAW) {
			r.eh = BGP_EH_WITHDRAW;
			bgp_notify_set(err, BGP_ERR_UPDATE, BGP_UPD_ASPATH,
			    NULL, 0);
		}
	}
	/*
	 * RFC 7606 5.2: attributes but no reachable NLRI, and an error
	 * stronger than attribute discard: we cannot be sure the NLRI were
	 * found at all, so the session is reset.
	 */
	if (r.eh == BGP_EH_WITHDRAW && u->nnlri == 0 && !r.mp_reach)
		goto fail;
	u->treat_as_withdraw = r.eh == BGP_EH_WITHDRAW;
	return 0;

bad_list:
	bgp_notify_set(err, BGP_ERR_UPDATE, BGP_UPD_ATTRLIST, NULL, 0);
	goto fail;
bad_network:
	bgp_notify_set(err, BGP_ERR_UPDATE, BGP_UPD_NETWORK, NULL, 0);
fail:
	bgp_update_free(u);
	return -1;
}

/*
 * Each is answered as RFC 7606 2 treat-as-withdraw: the routes go, the
 * session stays.
 * - NEXT_HOP is our own address: RFC 4271 6.3 says the route SHOULD be
 *   ignored (it would point back at us); the peer's earlier route for the
 *   prefix goes too, as with any replacement.
 * - From an eBGP peer, an AS_PATH that is empty or whose leftmost AS is not
 *   the peer's: RFC 4271 6.3 (MAY check; then Malformed AS_PATH) and 5.1.2
 *   (an eBGP speaker prepends its own AS), RFC 7606 7.2 (Malformed AS_PATH
 *   is treat-as-withdraw). Azure's Route Server peers with NVAs over eBGP
 *   only (RS-05); an empty path from one would otherwise leave as "65515"
 *   alone and win on length over every honest NVA.
 * On a two-octet session a peer with a four-octet AS shows AS_TRANS
 * (RFC 6793 4.2.3) unless AS4_PATH gave the real one.
 */
const char *
bgp_update_check_peer(const struct bgp_attrs *a, uint32_t local_as,
    uint32_t peer_as, uint32_t local_addr, bool as4)
{
	uint32_t first;

	if (a->nexthop == local_addr)
		return "NEXT_HOP is this speaker's own address (RFC 4271 6.3)";
	if (peer_as == local_as)
		return NULL;
	if (bgp_aspath_hops(a) == 0)
		return "empty AS_PATH from an eBGP peer (RFC 4271 6.3, "
		    "RFC 7606 7.2)";
	first = bgp_aspath_first(a);
	if (first != peer_as && !(!as4 && peer_as > UINT16_MAX &&
	    first == BGP_AS_TRANS))
		return "AS_PATH does not begin with the peer's AS (RFC 4271 "
		    "6.3, RFC 7606 7.2)";
	return NULL;
}

/* ---- building ---------------------------------------------------------------- */

/*
 * As many prefixes as fit in room bytes; returns how many. Encoded into a
 * local block and written with one put: a table sent to many peers is
 * hundreds of thousands of prefixes, and a put per byte showed in profiles.
 */
static size_t
pfx_pack(struct wbuf *w, const struct pfx4 *v, size_t n, size_t room)
{
	uint8_t out[BGP_MAX_LEN];
	size_t i, k, used = 0, nb;

	if (room > sizeof(out))
		room = sizeof(out);
	for (i = 0; i < n; i++) {
		uint8_t len = v[i].len > PFX4_MAX_BITS ? PFX4_MAX_BITS : v[i].len;
		uint32_t addr = v[i].addr & pfx_mask(len);

		nb = pfx_bytes(len);
		if (used + 1 + nb > room)
			break;
		out[used++] = len;
		for (k = 0; k < nb; k++)
			out[used++] = (uint8_t)(addr >> (24 - BITS * k));
	}
	wbuf_put_bytes(w, out, used);
	return i;
}

/*
 * RFC 7606 5.1: an UPDATE carries withdrawn routes or reachable NLRI, never
 * both; so withdrawals go first, in messages of their own, and attributes
 * with NLRI follow once no withdrawals are left.
 */
int
bgp_build_update(const struct bgp_codec *c, struct wbuf *w,
    const struct pfx4 *wd, size_t nwd, size_t *nwd_done,
    const struct bgp_attrs *a, const struct pfx4 *nlri, size_t nnlri,
    size_t *nnlri_done)
{
	uint8_t ab[BGP_MAX_LEN];
	struct wbuf aw;
	size_t start = w->len, limit, room, wdoff;
	int i;

	*nwd_done = *nnlri_done = 0;
	limit = wbuf_room(w) < BGP_MAX_LEN ? wbuf_room(w) : BGP_MAX_LEN;
	if (limit < BGP_UPDATE_MIN_LEN)
		return -1;
	room = limit - BGP_UPDATE_MIN_LEN;
	for (i = 0; i < MARKER_LEN; i++)
		wbuf_put_u8(w, 0xff);
	wbuf_put_u16(w, 0);
	wbuf_put_u8(w, BGP_UPDATE);
	wdoff = w->len;
	wbuf_put_u16(w, 0);
	if (nwd > 0) {
		*nwd_done = pfx_pack(w, wd, nwd, room);
		if (*nwd_done == 0)
			goto nofit;
		wbuf_set_u16(w, wdoff, (uint16_t)(w->len - wdoff - LEN_FIELD));
		wbuf_put_u16(w, 0);
	} else if (nnlri > 0) {
		if (a == NULL)
			goto nofit;
		wbuf_init(&aw, ab, sizeof(ab));
		bgp_attrs_encode(c, &aw, a);
		if (aw.err || aw.len + 1 + pfx_bytes(nlri[0].len) > room)
			goto nofit;
		wbuf_put_u16(w, (uint16_t)aw.len);
		wbuf_put_bytes(w, aw.p, aw.len);
		*nnlri_done = pfx_pack(w, nlri, nnlri, room - aw.len);
	} else
		wbuf_put_u16(w, 0);	/* nothing at all: End-of-RIB, RFC 4724 */
	wbuf_set_u16(w, start + MARKER_LEN, (uint16_t)(w->len - start));
	if (w->err)
		goto nofit;
	return 0;

nofit:
	/* leave w as it was */
	w->len = start;
	w->err = false;
	*nwd_done = *nnlri_done = 0;
	return -1;
}
