/*
 * attr: BGP path attributes (RFC 4271 4.3 and 5) in memory and on the wire.
 *
 * Owns: the attribute table, one row per attribute type we understand, with
 * the flags it must carry, its length rule, decoder, encoder, and the
 * RFC 7606 approach (attribute discard, treat-as-withdraw, session reset) for
 * each class of error; AS_PATH in four-octet form and its conversion to and
 * from two-octet sessions (RFC 6793); MP_REACH/MP_UNREACH framing (RFC 4760);
 * the bgp_attrs_* and bgp_aspath_* helpers.
 * Must not: know the session (iBGP or eBGP, configured ASNs) or any policy;
 * read a byte except through struct buf, or put one on the wire except
 * through struct wbuf.
 *
 * Attribute list as it arrives (RFC 4271 4.3), each attribute is
 *
 *	+-------+------+--------------+---------------------+
 *	| flags | type | length (1|2) | value (length)      |
 *	+-------+------+--------------+---------------------+
 *	flags: Optional 0x80, Transitive 0x40, Partial 0x20, Extended Length 0x10
 *
 * The list is a slice; each attribute is cut from it as its own slice, and its
 * decoder must consume that slice exactly.
 *
 * Departures, said once here:
 * - LOCAL_PREF from an eBGP peer is kept (RFC 7606 7.5 says discard): the
 *   codec does not know the peer type; the session layer drops it.
 * - AFI/SAFI disable (RFC 7606 2) is not offered: every MP_REACH/MP_UNREACH
 *   error resets the session.
 * - Recognised attributes are re-encoded with our own flags, so a Partial bit
 *   on, say, COMMUNITIES is not carried on.
 * - `present` has a bit for the attributes kept in struct bgp_attrs with a
 *   type below 32 (ORIGIN .. COMMUNITIES); LARGE_COMMUNITIES (type 32) is
 *   present when nlcomm > 0, unknown ones when other_len > 0. AS4_PATH,
 *   AS4_AGGREGATOR and the MP attributes are folded in and never kept.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "../lib/util.h"

#define AF_OT		(BGP_AF_OPTIONAL | BGP_AF_TRANSITIVE)
#define AF_WELLKNOWN	BGP_AF_TRANSITIVE	/* well-known: transitive, not optional */
#define AF_OPT_T	(BGP_AF_OPTIONAL | BGP_AF_TRANSITIVE)
#define AF_OPT_NT	BGP_AF_OPTIONAL
#define AF_UNUSED	0x0f		/* MUST be ignored when received */
#define ATTR_HDR_SHORT	3
#define ATTR_HDR_EXT	4
#define ATTR_LEN_SHORT	255
#define AS2_MAX		0xffffu
#define SEG_MAX		255		/* ASNs in one segment */
#define AS4_WIDTH	4
#define AS2_WIDTH	2
#define LCOMM_WORDS	3
#define AS_CONFED_SET	4		/* RFC 5065 3 */

/* Everything one parse of an attribute list needs to carry along. */
struct attr_ctx {
	const struct bgp_codec	*c;
	struct bgp_update	*u;
	struct bgp_attrs	*a;
	struct bgp_attr_result	*r;
	struct bgp_notify	*err;
	uint8_t			 seen[256 / 8];	/* type codes met, RFC 7606 3.g */
	/* RFC 6793 4.2.3: kept until the whole list is read, then merged */
	uint8_t			*as4path;
	uint16_t		 as4path_len;
	bool			 has_as4path;
	bool			 has_as4agg;
	uint32_t		 as4agg_as;
	uint32_t		 as4agg_id;
	/* RFC 4760 3: next hop of IPv4 unicast prefixes carried in MP_REACH */
	bool			 has_mp_nh;
	uint32_t		 mp_nh;
};

enum len_rule {
	LEN_ANY,	/* the decoder judges */
	LEN_EQ,		/* exactly len */
	LEN_MIN,	/* at least len */
	LEN_MULT,	/* a non-zero multiple of len */
	LEN_AGG,	/* AGGREGATOR: 6 on a two-octet session, 8 on a four-octet one */
};

struct attr_row {
	uint8_t		 type;
	uint8_t		 flags;		/* the Optional and Transitive bits it must carry */
	uint8_t		 len_rule;	/* enum len_rule */
	uint8_t		 len;
	uint8_t		 on_flags;	/* enum bgp_eh: Optional/Transitive bits wrong */
	uint8_t		 on_len;	/* enum bgp_eh: length breaks the rule */
	uint8_t		 on_value;	/* enum bgp_eh: the decoder refused the value */
	uint8_t		 sub_value;	/* NOTIFICATION subcode for a value error */
	int		(*decode)(struct attr_ctx *, struct buf *);
	void		(*encode)(const struct bgp_codec *, struct wbuf *,
			    const struct bgp_attrs *);
};

/* One AS_PATH segment; its ASNs stay a slice of the path. */
struct seg {
	uint8_t		type;
	uint8_t		n;
	struct buf	asns;
};

/* Writes an AS_PATH in four-octet form, joining adjacent sequences. */
struct path_w {
	struct wbuf	w;
	bool		has_last;
	size_t		last;		/* offset of the last segment's header */
	uint8_t		last_type;
	uint8_t		last_n;
};

/* ---- AS_PATH segments ---------------------------------------------------- */

/* 1: one segment read, 0: end of path, -1: malformed (RFC 7606 7.2). */
static int
seg_next(struct buf *b, unsigned asw, struct seg *s)
{
	if (buf_left(b) == 0)
		return 0;
	if (buf_get_u8(b, &s->type) == -1 || buf_get_u8(b, &s->n) == -1)
		return -1;
	if (s->type != BGP_AS_SET && s->type != BGP_AS_SEQUENCE)
		return -1;
	if (s->n == 0)
		return -1;
	if (buf_get_sub(b, &s->asns, (size_t)s->n * asw) == -1)
		return -1;
	return 1;
}

static uint32_t
seg_asn(struct seg *s, unsigned asw)
{
	uint16_t v16 = 0;
	uint32_t v32 = 0;

	if (asw == AS2_WIDTH) {
		(void)buf_get_u16(&s->asns, &v16);
		return v16;
	}
	(void)buf_get_u32(&s->asns, &v32);
	return v32;
}

/* Hops of a path in wire form: an AS_SET counts one (RFC 4271 9.1.2.2). */
static unsigned
path_hops(const uint8_t *p, size_t len, unsigned asw)
{
	struct buf b;
	struct seg s;
	unsigned hops = 0;

	buf_init(&b, p, len);
	while (seg_next(&b, asw, &s) == 1)
		hops += s.type == BGP_AS_SET ? 1 : s.n;
	return hops;
}

/*
 * RFC 9774 3: an AS_SET or AS_CONFED_SET segment anywhere in the path,
 * whether or not the rest of it parses (segment headers only).
 */
static bool
path_has_set(struct buf b, unsigned asw)
{
	uint8_t type, n;

	while (buf_get_u8(&b, &type) == 0 && buf_get_u8(&b, &n) == 0) {
		if (type == BGP_AS_SET || type == AS_CONFED_SET)
			return true;
		if (buf_skip(&b, (size_t)n * asw) == -1)
			break;
	}
	return false;
}

/*
 * The whole path parses, to its last byte, and holds no AS 0 (RFC 7607 2:
 * malformed; AS_PATH's row makes it treat-as-withdraw, AS4_PATH's
 * attribute discard, as RFC 7606 and RFC 6793 say).
 */
static bool
path_valid(struct buf b, unsigned asw)
{
	struct seg s;
	unsigned i;
	int rc;

	while ((rc = seg_next(&b, asw, &s)) == 1)
		for (i = 0; i < s.n; i++)
			if (seg_asn(&s, asw) == 0)
				return false;
	return rc == 0;
}

static void
pw_init(struct path_w *pw, size_t cap)
{
	wbuf_init(&pw->w, xmalloc(cap), cap);
	pw->has_last = false;
}

static void
pw_seg(struct path_w *pw, uint8_t type, uint8_t n)
{
	pw->has_last = true;
	pw->last = pw->w.len;
	pw->last_type = type;
	pw->last_n = n;
	wbuf_put_u8(&pw->w, type);
	wbuf_put_u8(&pw->w, n);
}

/* One ASN onto the last AS_SEQUENCE, or a new one once that is full. */
static void
pw_seq_asn(struct path_w *pw, uint32_t asn)
{
	if (!pw->has_last || pw->last_type != BGP_AS_SEQUENCE ||
	    pw->last_n == SEG_MAX)
		pw_seg(pw, BGP_AS_SEQUENCE, 0);
	pw->last_n++;
	wbuf_set_u8(&pw->w, pw->last + 1, pw->last_n);
	wbuf_put_u32(&pw->w, asn);
}

/* Copy segment s (ASNs asw wide) in four-octet form; join sequences if asked. */
static void
pw_copy(struct path_w *pw, struct seg *s, unsigned asw, unsigned max, bool join)
{
	unsigned i, n = s->n < max ? s->n : max;

	if (s->type == BGP_AS_SEQUENCE && join) {
		for (i = 0; i < n; i++)
			pw_seq_asn(pw, seg_asn(s, asw));
		return;
	}
	pw_seg(pw, s->type, (uint8_t)n);
	for (i = 0; i < n; i++)
		wbuf_put_u32(&pw->w, seg_asn(s, asw));
}

/* Hand the written path to a; the sizes were worked out beforehand. */
static void
pw_done(struct path_w *pw, struct bgp_attrs *a)
{
	if (pw->w.err || pw->w.len > UINT16_MAX)
		die("AS_PATH writer overflow (%zu bytes)", pw->w.len);
	free(a->aspath);
	a->aspath = pw->w.p;
	a->aspath_len = (uint16_t)pw->w.len;
	a->present |= BGP_ATTR_BIT(BGP_ATTR_AS_PATH);
}

/* ---- NOTIFICATION data and the strongest approach ------------------------- */

static void
notify_from(struct bgp_notify *n, uint8_t subcode, const struct buf *data)
{
	struct buf d;
	size_t len = 0;

	bgp_notify_set(n, BGP_ERR_UPDATE, subcode, NULL, 0);
	if (data == NULL)
		return;
	d = *data;
	len = buf_left(&d) < BGP_NOTIFY_DATA_MAX ? buf_left(&d) :
	    BGP_NOTIFY_DATA_MAX;
	if (buf_get_bytes(&d, n->data, len) == 0)
		n->datalen = (uint16_t)len;
}

/*
 * Record one error. RFC 7606 3.h: the strongest approach wins; the
 * NOTIFICATION kept is the first one of that strength.
 */
static void
attr_error(struct attr_ctx *x, enum bgp_eh eh, uint8_t subcode,
    const struct buf *data)
{
	if (eh == BGP_EH_DISCARD)
		x->u->discarded++;
	if (eh <= x->r->eh)
		return;
	x->r->eh = eh;
	if (eh >= BGP_EH_WITHDRAW)
		notify_from(x->err, subcode, data);
}

/* ---- decoders -------------------------------------------------------------- */

static int
dec_origin(struct attr_ctx *x, struct buf *v)
{
	uint8_t o;

	if (buf_get_u8(v, &o) == -1 || o > BGP_ORIGIN_INCOMPLETE)
		return -1;
	x->a->origin = o;
	x->a->present |= BGP_ATTR_BIT(BGP_ATTR_ORIGIN);
	return 0;
}

static int
dec_aspath(struct attr_ctx *x, struct buf *v)
{
	struct path_w pw;
	struct buf b = *v;
	struct seg s;
	unsigned asw = x->c->as4 ? AS4_WIDTH : AS2_WIDTH;

	if (!path_valid(b, asw))
		return -1;
	/* RFC 9774 3: treat-as-withdraw; update.c applies it to NLRI */
	if (path_has_set(b, asw))
		x->r->as_set = true;
	/* two-octet segments double in size at most */
	pw_init(&pw, buf_left(v) * 2 + 1);
	while (seg_next(v, asw, &s) == 1)
		pw_copy(&pw, &s, asw, SEG_MAX, false);
	pw_done(&pw, x->a);
	return 0;
}

/*
 * RFC 4271 6.3 semantic check, RFC 7606 7.3: a next hop that no host can
 * have: 0.0.0.0, multicast 224.0.0.0/4 (RFC 5771), and the reserved class E
 * 240.0.0.0/4 with the limited broadcast 255.255.255.255 in it (RFC 1112 4,
 * RFC 6890). The routes are withdrawn without a NOTIFICATION; update.c
 * applies it when there are NLRI.
 */
#define NH_MULTICAST	0xe0000000u
#define NH_CLASS_E	0xf0000000u
#define NH_TOP4		0xf0000000u

static bool
nh_martian(uint32_t nh)
{
	return nh == 0 || (nh & NH_TOP4) == NH_MULTICAST ||
	    (nh & NH_TOP4) == NH_CLASS_E;
}

static int
dec_nexthop(struct attr_ctx *x, struct buf *v)
{
	uint32_t nh;

	if (buf_get_u32(v, &nh) == -1)
		return -1;
	if (nh_martian(nh))
		x->r->nh_martian = true;
	x->a->nexthop = nh;
	x->a->present |= BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
	return 0;
}

static int
dec_med(struct attr_ctx *x, struct buf *v)
{
	if (buf_get_u32(v, &x->a->med) == -1)
		return -1;
	x->a->present |= BGP_ATTR_BIT(BGP_ATTR_MED);
	return 0;
}

static int
dec_local_pref(struct attr_ctx *x, struct buf *v)
{
	if (buf_get_u32(v, &x->a->local_pref) == -1)
		return -1;
	x->a->present |= BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF);
	return 0;
}

static int
dec_atomic(struct attr_ctx *x, struct buf *v)
{
	x->a->present |= BGP_ATTR_BIT(BGP_ATTR_ATOMIC_AGGREGATE);
	return 0;
}

static int
dec_aggregator(struct attr_ctx *x, struct buf *v)
{
	uint16_t as2;
	uint32_t as, id;

	if (x->c->as4) {
		if (buf_get_u32(v, &as) == -1)
			return -1;
	} else {
		if (buf_get_u16(v, &as2) == -1)
			return -1;
		as = as2;
	}
	/* RFC 7607 2: AS 0 makes it malformed: attribute discard (RFC 7606 7.7) */
	if (buf_get_u32(v, &id) == -1 || as == 0)
		return -1;
	x->a->agg_as = as;
	x->a->agg_id = id;
	x->a->present |= BGP_ATTR_BIT(BGP_ATTR_AGGREGATOR);
	return 0;
}

static int
dec_communities(struct attr_ctx *x, struct buf *v)
{
	size_t i, n = buf_left(v) / 4;
	uint32_t *c = xcalloc(n, sizeof(*c));

	for (i = 0; i < n; i++)
		if (buf_get_u32(v, &c[i]) == -1) {
			free(c);
			return -1;
		}
	x->a->comm = c;
	x->a->ncomm = (uint16_t)n;
	x->a->present |= BGP_ATTR_BIT(BGP_ATTR_COMMUNITIES);
	return 0;
}

static int
dec_large(struct attr_ctx *x, struct buf *v)
{
	size_t i, n = buf_left(v) / 4;
	uint32_t *c = xcalloc(n, sizeof(*c));

	for (i = 0; i < n; i++)
		if (buf_get_u32(v, &c[i]) == -1) {
			free(c);
			return -1;
		}
	x->a->lcomm = c;
	x->a->nlcomm = (uint16_t)(n / LCOMM_WORDS);
	return 0;
}

/*
 * MP_REACH_NLRI, RFC 4760 3:
 *	AFI (2) | SAFI (1) | next hop length (1) | next hop | reserved (1) | NLRI
 * IPv4 unicast prefixes join the classic NLRI; IPv6 unicast ones are parsed
 * and counted only; other families were never negotiated and are skipped.
 */
static int
dec_mp_reach(struct attr_ctx *x, struct buf *v)
{
	struct buf nh;
	uint16_t afi;
	uint8_t safi, nhlen, reserved;

	x->r->mp_reach = true;
	if (buf_get_u16(v, &afi) == -1 || buf_get_u8(v, &safi) == -1 ||
	    buf_get_u8(v, &nhlen) == -1 || buf_get_sub(v, &nh, nhlen) == -1 ||
	    buf_get_u8(v, &reserved) == -1)
		return -1;
	if (safi != BGP_SAFI_UNICAST ||
	    (afi != BGP_AFI_IPV4 && afi != BGP_AFI_IPV6))
		return buf_skip(v, buf_left(v));
	if (afi == BGP_AFI_IPV4) {
		if (nhlen != 4 || buf_get_u32(&nh, &x->mp_nh) == -1)
			return -1;
		x->has_mp_nh = true;
	} else if (nhlen != 16 && nhlen != 32)
		return -1;
	return bgp_nlri_parse(v, afi, false, x->u);
}

/* MP_UNREACH_NLRI, RFC 4760 4: AFI (2) | SAFI (1) | withdrawn routes */
static int
dec_mp_unreach(struct attr_ctx *x, struct buf *v)
{
	uint16_t afi;
	uint8_t safi;

	if (buf_get_u16(v, &afi) == -1 || buf_get_u8(v, &safi) == -1)
		return -1;
	if (safi != BGP_SAFI_UNICAST ||
	    (afi != BGP_AFI_IPV4 && afi != BGP_AFI_IPV6))
		return buf_skip(v, buf_left(v));
	return bgp_nlri_parse(v, afi, true, x->u);
}

/*
 * RFC 6793 4.1: between two four-octet speakers AS4_PATH and AS4_AGGREGATOR
 * must not appear; when they do they are discarded.
 */
static int
dec_as4path(struct attr_ctx *x, struct buf *v)
{
	if (x->c->as4) {
		x->u->discarded++;
		return buf_skip(v, buf_left(v));
	}
	/* RFC 9774 3: in AS4_PATH too, before RFC 6793 6 would discard it */
	if (path_has_set(*v, AS4_WIDTH))
		x->r->as_set = true;
	if (!path_valid(*v, AS4_WIDTH))
		return -1;
	x->as4path_len = (uint16_t)buf_left(v);
	x->as4path = xmalloc(x->as4path_len + 1u);
	x->has_as4path = true;
	return buf_get_bytes(v, x->as4path, x->as4path_len);
}

static int
dec_as4agg(struct attr_ctx *x, struct buf *v)
{
	if (x->c->as4) {
		x->u->discarded++;
		return buf_skip(v, buf_left(v));
	}
	/* RFC 7607 2: AS 0 is malformed: attribute discard (RFC 6793 6) */
	if (buf_get_u32(v, &x->as4agg_as) == -1 ||
	    buf_get_u32(v, &x->as4agg_id) == -1 || x->as4agg_as == 0)
		return -1;
	x->has_as4agg = true;
	return 0;
}

/* ---- encoders ---------------------------------------------------------------- */

/* One attribute: header (Extended Length only past 255 bytes), then value. */
static void
attr_put(struct wbuf *w, uint8_t flags, uint8_t type, const struct wbuf *v)
{
	if (v->err) {
		w->err = true;
		return;
	}
	flags &= (uint8_t)~(BGP_AF_EXTLEN | AF_UNUSED);
	if (v->len > ATTR_LEN_SHORT) {
		wbuf_put_u8(w, flags | BGP_AF_EXTLEN);
		wbuf_put_u8(w, type);
		wbuf_put_u16(w, (uint16_t)v->len);
	} else {
		wbuf_put_u8(w, flags);
		wbuf_put_u8(w, type);
		wbuf_put_u8(w, (uint8_t)v->len);
	}
	wbuf_put_bytes(w, v->p, v->len);
}

static bool
has(const struct bgp_attrs *a, uint8_t type)
{
	return (a->present & BGP_ATTR_BIT(type)) != 0;
}

static void
enc_u32(struct wbuf *w, uint8_t flags, uint8_t type, uint32_t val)
{
	uint8_t b[4];
	struct wbuf v;

	wbuf_init(&v, b, sizeof(b));
	wbuf_put_u32(&v, val);
	attr_put(w, flags, type, &v);
}

static void
enc_origin(const struct bgp_codec *c, struct wbuf *w, const struct bgp_attrs *a)
{
	uint8_t b[1];
	struct wbuf v;

	if (!has(a, BGP_ATTR_ORIGIN))
		return;
	wbuf_init(&v, b, sizeof(b));
	wbuf_put_u8(&v, a->origin);
	attr_put(w, AF_WELLKNOWN, BGP_ATTR_ORIGIN, &v);
}

/* Any ASN that a two-octet speaker cannot carry? */
static bool
path_needs_as4(const struct bgp_attrs *a)
{
	struct buf b;
	struct seg s;
	unsigned i;

	buf_init(&b, a->aspath, a->aspath_len);
	while (seg_next(&b, AS4_WIDTH, &s) == 1)
		for (i = 0; i < s.n; i++)
			if (seg_asn(&s, AS4_WIDTH) > AS2_MAX)
				return true;
	return false;
}

static void
enc_aspath(const struct bgp_codec *c, struct wbuf *w, const struct bgp_attrs *a)
{
	uint8_t b[BGP_MAX_LEN];
	struct wbuf v;
	struct buf p;
	struct seg s;
	uint32_t asn;
	unsigned i;

	if (!has(a, BGP_ATTR_AS_PATH))
		return;
	wbuf_init(&v, b, sizeof(b));
	if (c->as4)
		wbuf_put_bytes(&v, a->aspath, a->aspath_len);
	else {
		/* RFC 6793 4.2.2: AS_TRANS stands in for what does not fit */
		buf_init(&p, a->aspath, a->aspath_len);
		while (seg_next(&p, AS4_WIDTH, &s) == 1) {
			wbuf_put_u8(&v, s.type);
			wbuf_put_u8(&v, s.n);
			for (i = 0; i < s.n; i++) {
				asn = seg_asn(&s, AS4_WIDTH);
				wbuf_put_u16(&v, asn > AS2_MAX ? BGP_AS_TRANS :
				    (uint16_t)asn);
			}
		}
	}
	attr_put(w, AF_WELLKNOWN, BGP_ATTR_AS_PATH, &v);
}

static void
enc_nexthop(const struct bgp_codec *c, struct wbuf *w, const struct bgp_attrs *a)
{
	if (has(a, BGP_ATTR_NEXT_HOP))
		enc_u32(w, AF_WELLKNOWN, BGP_ATTR_NEXT_HOP, a->nexthop);
}

static void
enc_med(const struct bgp_codec *c, struct wbuf *w, const struct bgp_attrs *a)
{
	if (has(a, BGP_ATTR_MED))
		enc_u32(w, AF_OPT_NT, BGP_ATTR_MED, a->med);
}

static void
enc_local_pref(const struct bgp_codec *c, struct wbuf *w,
    const struct bgp_attrs *a)
{
	if (has(a, BGP_ATTR_LOCAL_PREF))
		enc_u32(w, AF_WELLKNOWN, BGP_ATTR_LOCAL_PREF, a->local_pref);
}

static void
enc_atomic(const struct bgp_codec *c, struct wbuf *w, const struct bgp_attrs *a)
{
	struct wbuf v;

	if (!has(a, BGP_ATTR_ATOMIC_AGGREGATE))
		return;
	wbuf_init(&v, NULL, 0);
	attr_put(w, AF_WELLKNOWN, BGP_ATTR_ATOMIC_AGGREGATE, &v);
}

static void
enc_aggregator(const struct bgp_codec *c, struct wbuf *w,
    const struct bgp_attrs *a)
{
	uint8_t b[8];
	struct wbuf v;

	if (!has(a, BGP_ATTR_AGGREGATOR))
		return;
	wbuf_init(&v, b, sizeof(b));
	if (c->as4)
		wbuf_put_u32(&v, a->agg_as);
	else
		wbuf_put_u16(&v, a->agg_as > AS2_MAX ? BGP_AS_TRANS :
		    (uint16_t)a->agg_as);
	wbuf_put_u32(&v, a->agg_id);
	attr_put(w, AF_OPT_T, BGP_ATTR_AGGREGATOR, &v);
}

static void
enc_words(struct wbuf *w, uint8_t type, const uint32_t *words, size_t n)
{
	uint8_t b[BGP_MAX_LEN];
	struct wbuf v;
	size_t i;

	if (n == 0)
		return;
	wbuf_init(&v, b, sizeof(b));
	for (i = 0; i < n; i++)
		wbuf_put_u32(&v, words[i]);
	attr_put(w, AF_OPT_T, type, &v);
}

static void
enc_communities(const struct bgp_codec *c, struct wbuf *w,
    const struct bgp_attrs *a)
{
	enc_words(w, BGP_ATTR_COMMUNITIES, a->comm, a->ncomm);
}

static void
enc_large(const struct bgp_codec *c, struct wbuf *w, const struct bgp_attrs *a)
{
	enc_words(w, BGP_ATTR_LARGE_COMMUNITIES, a->lcomm,
	    (size_t)a->nlcomm * LCOMM_WORDS);
}

/* RFC 6793 4.2.2: the real path rides along for a two-octet peer. */
static void
enc_as4path(const struct bgp_codec *c, struct wbuf *w, const struct bgp_attrs *a)
{
	uint8_t b[BGP_MAX_LEN];
	struct wbuf v;

	if (c->as4 || !has(a, BGP_ATTR_AS_PATH) || !path_needs_as4(a))
		return;
	wbuf_init(&v, b, sizeof(b));
	wbuf_put_bytes(&v, a->aspath, a->aspath_len);
	attr_put(w, AF_OPT_T, BGP_ATTR_AS4_PATH, &v);
}

static void
enc_as4agg(const struct bgp_codec *c, struct wbuf *w, const struct bgp_attrs *a)
{
	uint8_t b[8];
	struct wbuf v;

	if (c->as4 || !has(a, BGP_ATTR_AGGREGATOR) || a->agg_as <= AS2_MAX)
		return;
	wbuf_init(&v, b, sizeof(b));
	wbuf_put_u32(&v, a->agg_as);
	wbuf_put_u32(&v, a->agg_id);
	attr_put(w, AF_OPT_T, BGP_ATTR_AS4_AGGREGATOR, &v);
}

/* ---- the table ------------------------------------------------------------- */

#define DS	BGP_EH_DISCARD
#define WD	BGP_EH_WITHDRAW
#define RS	BGP_EH_RESET

/*
 * One row per attribute type, ascending (the wire order we emit).
 * Flag errors: RFC 7606 3.c makes wrong Optional/Transitive bits a malformed
 * attribute handled by treat-as-withdraw, unless the attribute's own
 * specification says otherwise (MP_*: RFC 7606 5.3; AS4_*: RFC 6793 6).
 * Length errors carry subcode Attribute Length Error, flag errors Attribute
 * Flags Error (RFC 4271 6.3); the data is the whole attribute.
 */
static const struct attr_row attr_table[] = {
/*	  type				flags	   length     flags len value subcode */
	/* RFC 7606 7.1: length != 1 or undefined value: treat-as-withdraw */
	{ BGP_ATTR_ORIGIN,		AF_WELLKNOWN, LEN_EQ, 1, WD, WD, WD,
	  BGP_UPD_ORIGIN, dec_origin, enc_origin },
	/* RFC 7606 7.2: bad segment type, zero count, overrun: treat-as-withdraw */
	{ BGP_ATTR_AS_PATH,		AF_WELLKNOWN, LEN_ANY, 0, WD, WD, WD,
	  BGP_UPD_ASPATH, dec_aspath, enc_aspath },
	/* RFC 7606 7.3: length != 4: treat-as-withdraw */
	{ BGP_ATTR_NEXT_HOP,		AF_WELLKNOWN, LEN_EQ, 4, WD, WD, WD,
	  BGP_UPD_NEXTHOP, dec_nexthop, enc_nexthop },
	/* RFC 7606 7.4: length != 4: treat-as-withdraw */
	{ BGP_ATTR_MED,			AF_OPT_NT, LEN_EQ, 4, WD, WD, WD,
	  BGP_UPD_OPTATTR, dec_med, enc_med },
	/* RFC 7606 7.5: length != 4: treat-as-withdraw */
	{ BGP_ATTR_LOCAL_PREF,		AF_WELLKNOWN, LEN_EQ, 4, WD, WD, WD,
	  BGP_UPD_LENGTH, dec_local_pref, enc_local_pref },
	/* RFC 7606 7.6: length != 0: attribute discard */
	{ BGP_ATTR_ATOMIC_AGGREGATE,	AF_WELLKNOWN, LEN_EQ, 0, WD, DS, DS,
	  BGP_UPD_LENGTH, dec_atomic, enc_atomic },
	/* RFC 7606 7.7: length != 6 (two-octet) or 8 (four-octet): discard */
	{ BGP_ATTR_AGGREGATOR,		AF_OPT_T, LEN_AGG, 0, WD, DS, DS,
	  BGP_UPD_LENGTH, dec_aggregator, enc_aggregator },
	/* RFC 7606 7.8: not a non-zero multiple of 4: treat-as-withdraw */
	{ BGP_ATTR_COMMUNITIES,		AF_OPT_T, LEN_MULT, 4, WD, WD, WD,
	  BGP_UPD_OPTATTR, dec_communities, enc_communities },
	/* RFC 7606 7.11 and 5.3, RFC 4760 7: any error: session reset */
	{ BGP_ATTR_MP_REACH,		AF_OPT_NT, LEN_MIN, 5, RS, RS, RS,
	  BGP_UPD_OPTATTR, dec_mp_reach, NULL },
	/* RFC 7606 7.12 and 5.3, RFC 4760 7: any error: session reset */
	{ BGP_ATTR_MP_UNREACH,		AF_OPT_NT, LEN_MIN, 3, RS, RS, RS,
	  BGP_UPD_OPTATTR, dec_mp_unreach, NULL },
	/* RFC 6793 6: malformed AS4_PATH: attribute discard */
	{ BGP_ATTR_AS4_PATH,		AF_OPT_T, LEN_ANY, 0, DS, DS, DS,
	  BGP_UPD_OPTATTR, dec_as4path, enc_as4path },
	/* RFC 6793 6: AS4_AGGREGATOR length != 8: attribute discard */
	{ BGP_ATTR_AS4_AGGREGATOR,	AF_OPT_T, LEN_EQ, 8, DS, DS, DS,
	  BGP_UPD_OPTATTR, dec_as4agg, enc_as4agg },
	/* RFC 8092 6: not a non-zero multiple of 12: treat-as-withdraw */
	{ BGP_ATTR_LARGE_COMMUNITIES,	AF_OPT_T, LEN_MULT, 12, WD, WD, WD,
	  BGP_UPD_OPTATTR, dec_large, enc_large },
};

static const struct attr_row *
row_find(uint8_t type)
{
	size_t i;

	for (i = 0; i < NELEM(attr_table); i++)
		if (attr_table[i].type == type)
			return &attr_table[i];
	return NULL;
}

static bool
len_ok(const struct attr_ctx *x, const struct attr_row *row, size_t len)
{
	switch (row->len_rule) {
	case LEN_EQ:
		return len == row->len;
	case LEN_MIN:
		return len >= row->len;
	case LEN_MULT:
		return len > 0 && len % row->len == 0;
	case LEN_AGG:
		return len == (x->c->as4 ? 8u : 6u);
	default:
		return true;
	}
}

/* ---- the list ----------------------------------------------------------------- */

/* One entry of `other`: 1, 0 at the end, -1 if it does not parse. */
static int
other_next(struct buf *b, uint8_t *flags, uint8_t *type, struct buf *val)
{
	uint8_t len8;
	uint16_t len;

	if (buf_left(b) == 0)
		return 0;
	if (buf_get_u8(b, flags) == -1 || buf_get_u8(b, type) == -1)
		return -1;
	if (*flags & BGP_AF_EXTLEN) {
		if (buf_get_u16(b, &len) == -1)
			return -1;
	} else {
		if (buf_get_u8(b, &len8) == -1)
			return -1;
		len = len8;
	}
	return buf_get_sub(b, val, len) == -1 ? -1 : 1;
}

/*
 * RFC 4271 5: an unrecognised optional transitive attribute is passed on
 * with Partial set. It is kept in wire form with our flags in `other`,
 * ascending by type so that equal sets compare equal.
 */
static void
keep_other(struct attr_ctx *x, uint8_t flags, uint8_t type, struct buf *val)
{
	struct bgp_attrs *a = x->a;
	uint8_t e[ATTR_HDR_EXT + BGP_MAX_LEN], f, t;
	struct buf b, v;
	struct wbuf w;
	size_t len = buf_left(val), at = 0;

	wbuf_init(&w, e, sizeof(e));
	flags = (uint8_t)((flags & ~(BGP_AF_EXTLEN | AF_UNUSED)) |
	    BGP_AF_PARTIAL);
	if (len > ATTR_LEN_SHORT) {
		wbuf_put_u8(&w, flags | BGP_AF_EXTLEN);
		wbuf_put_u8(&w, type);
		wbuf_put_u16(&w, (uint16_t)len);
	} else {
		wbuf_put_u8(&w, flags);
		wbuf_put_u8(&w, type);
		wbuf_put_u8(&w, (uint8_t)len);
	}
	if (len > wbuf_room(&w) || buf_get_bytes(val, e + w.len, len) == -1)
		return;
	w.len += len;
	if (a->other_len + w.len > UINT16_MAX)
		return;
	buf_init(&b, a->other, a->other_len);
	while (other_next(&b, &f, &t, &v) == 1 && t < type)
		at = a->other_len - buf_left(&b);
	a->other = xrealloc(a->other, a->other_len + w.len);
	memmove(a->other + at + w.len, a->other + at, a->other_len - at);
	memcpy(a->other + at, e, w.len);
	a->other_len = (uint16_t)(a->other_len + w.len);
}

static int
attr_unknown(struct attr_ctx *x, uint8_t flags, uint8_t type,
    const struct buf *whole, struct buf *val)
{
	if (!(flags & BGP_AF_OPTIONAL)) {
		/* RFC 4271 6.3, unchanged by RFC 7606: session reset */
		attr_error(x, BGP_EH_RESET, BGP_UPD_WELLKNOWN, whole);
		return -1;
	}
	if (flags & BGP_AF_TRANSITIVE)
		keep_other(x, flags, type, val);
	/* RFC 4271 5: unrecognised optional non-transitive: quietly ignored */
	return 0;
}

static bool
seen_before(struct attr_ctx *x, uint8_t type)
{
	uint8_t bit = (uint8_t)(1u << (type % 8));
	bool was = (x->seen[type / 8] & bit) != 0;

	x->seen[type / 8] |= bit;
	return was;
}

/*
 * Cut one attribute off the list and judge it. Returns -1 when parsing the
 * list must stop: a reset, or a list whose lengths no longer add up.
 */
static int
attr_one(struct attr_ctx *x, struct buf *list)
{
	const struct attr_row *row;
	struct buf start = *list, whole, val;
	uint8_t flags, type, len8;
	uint16_t len;
	size_t hdr;

	if (buf_get_u8(list, &flags) == -1 || buf_get_u8(list, &type) == -1)
		goto bad_list;
	if (flags & BGP_AF_EXTLEN) {
		if (buf_get_u16(list, &len) == -1)
			goto bad_list;
		hdr = ATTR_HDR_EXT;
	} else {
		if (buf_get_u8(list, &len8) == -1)
			goto bad_list;
		len = len8;
		hdr = ATTR_HDR_SHORT;
	}
	if (buf_get_sub(list, &val, len) == -1 ||
	    buf_get_sub(&start, &whole, hdr + len) == -1)
		goto bad_list;

	if (seen_before(x, type)) {
		if (type == BGP_ATTR_MP_REACH || type == BGP_ATTR_MP_UNREACH)
			goto bad_repeat;
		/* RFC 7606 3.g: all but the first occurrence are discarded */
		x->u->discarded++;
		return 0;
	}
	if ((row = row_find(type)) == NULL)
		return attr_unknown(x, flags, type, &whole, &val);
	if ((flags & AF_OT) != row->flags) {
		attr_error(x, row->on_flags, BGP_UPD_FLAGS, &whole);
		return row->on_flags == BGP_EH_RESET ? -1 : 0;
	}
	if (!len_ok(x, row, len)) {
		attr_error(x, row->on_len, BGP_UPD_LENGTH, &whole);
		return row->on_len == BGP_EH_RESET ? -1 : 0;
	}
	/* each decoder must consume its slice exactly */
	if (row->decode(x, &val) == -1 || buf_left(&val) != 0) {
		attr_error(x, row->on_value, row->sub_value, &whole);
		return row->on_value == BGP_EH_RESET ? -1 : 0;
	}
	return 0;

bad_list:
	/*
	 * RFC 7606 4: an attribute that runs past the list, or fewer bytes
	 * left than a header: treat-as-withdraw; the NLRI are still found
	 * through Total Path Attribute Length. Nothing after it can be read.
	 */
	attr_error(x, BGP_EH_WITHDRAW, BGP_UPD_ATTRLIST, NULL);
	return -1;
bad_repeat:
	/* RFC 7606 3.g: MP_REACH or MP_UNREACH twice: Malformed Attribute List */
	attr_error(x, BGP_EH_RESET, BGP_UPD_ATTRLIST, NULL);
	return -1;
}

/*
 * RFC 6793 4.2.3, from a two-octet peer: an AGGREGATOR other than AS_TRANS
 * means AS4_AGGREGATOR and AS4_PATH are ignored. Otherwise AS4_AGGREGATOR
 * replaces AGGREGATOR, and when AS_PATH has at least as many hops as
 * AS4_PATH, its leading extra hops are put in front of AS4_PATH.
 */
static void
as4_merge(struct attr_ctx *x)
{
	struct bgp_attrs *a = x->a;
	struct path_w pw;
	struct buf b;
	struct seg s;
	unsigned n, m, take;

	if (has(a, BGP_ATTR_AGGREGATOR) && a->agg_as != BGP_AS_TRANS)
		return;
	if (has(a, BGP_ATTR_AGGREGATOR) && x->has_as4agg) {
		a->agg_as = x->as4agg_as;
		a->agg_id = x->as4agg_id;
	}
	if (!x->has_as4path || !has(a, BGP_ATTR_AS_PATH))
		return;
	n = path_hops(a->aspath, a->aspath_len, AS4_WIDTH);
	m = path_hops(x->as4path, x->as4path_len, AS4_WIDTH);
	if (n < m)
		return;
	pw_init(&pw, (size_t)a->aspath_len + x->as4path_len + 1);
	/* segments are copied as they are, so that a round trip is exact */
	buf_init(&b, a->aspath, a->aspath_len);
	for (take = n - m; take > 0 && seg_next(&b, AS4_WIDTH, &s) == 1; ) {
		if (s.type == BGP_AS_SET) {
			pw_copy(&pw, &s, AS4_WIDTH, SEG_MAX, false);
			take--;
			continue;
		}
		pw_copy(&pw, &s, AS4_WIDTH, take, false);
		take -= s.n < take ? s.n : take;
	}
	buf_init(&b, x->as4path, x->as4path_len);
	while (seg_next(&b, AS4_WIDTH, &s) == 1)
		pw_copy(&pw, &s, AS4_WIDTH, SEG_MAX, false);
	pw_done(&pw, a);
}

void
bgp_attrs_parse(const struct bgp_codec *c, struct buf *list,
    struct bgp_update *u, struct bgp_attr_result *r, struct bgp_notify *err)
{
	struct attr_ctx x;

	memset(&x, 0, sizeof(x));
	memset(r, 0, sizeof(*r));
	x.c = c;
	x.u = u;
	x.a = &u->attrs;
	x.r = r;
	x.err = err;
	while (buf_left(list) > 0)
		if (attr_one(&x, list) == -1)
			break;
	if (r->eh != BGP_EH_RESET) {
		if (!c->as4)
			as4_merge(&x);
		/* RFC 4760 3: MP next hop when there was no NEXT_HOP */
		if (x.has_mp_nh && !has(x.a, BGP_ATTR_NEXT_HOP)) {
			r->nh_martian |= nh_martian(x.mp_nh);
			x.a->nexthop = x.mp_nh;
			x.a->present |= BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
		}
	}
	free(x.as4path);
}

/* Unknown transitive attributes of type t, as kept by keep_other(). */
static void
other_put(struct wbuf *w, const struct bgp_attrs *a, uint8_t t)
{
	uint8_t val[BGP_MAX_LEN], flags, type;
	struct buf b, v;
	struct wbuf vw;
	size_t len;
	int rc;

	buf_init(&b, a->other, a->other_len);
	while ((rc = other_next(&b, &flags, &type, &v)) == 1) {
		if (type != t)
			continue;
		len = buf_left(&v);
		if (len > sizeof(val) || buf_get_bytes(&v, val, len) == -1)
			break;
		wbuf_init(&vw, val, len);
		vw.len = len;
		attr_put(w, flags, type, &vw);
	}
	/* `other` is ours; if it does not parse, say so rather than send junk */
	if (rc != 0)
		w->err = true;
}

void
bgp_attrs_encode(const struct bgp_codec *c, struct wbuf *w,
    const struct bgp_attrs *a)
{
	const struct attr_row *row;
	unsigned t;

	/* from 0: type 0 is reserved, but an unknown one is passed on too */
	for (t = 0; t <= UINT8_MAX; t++) {
		if ((row = row_find((uint8_t)t)) != NULL && row->encode != NULL)
			row->encode(c, w, a);
		if (a->other_len > 0)
			other_put(w, a, (uint8_t)t);
	}
}

/* ---- struct bgp_attrs ---------------------------------------------------------- */

void
bgp_attrs_init(struct bgp_attrs *a)
{
	memset(a, 0, sizeof(*a));
}

void
bgp_attrs_free(struct bgp_attrs *a)
{
	free(a->aspath);
	free(a->comm);
	free(a->lcomm);
	free(a->other);
	bgp_attrs_init(a);
}

static void *
dup_bytes(const void *p, size_t n)
{
	if (p == NULL || n == 0)
		return NULL;
	return memcpy(xmalloc(n), p, n);
}

/* dst is overwritten: it must own nothing (freshly init'ed or freed). */
void
bgp_attrs_copy(struct bgp_attrs *dst, const struct bgp_attrs *src)
{
	*dst = *src;
	dst->aspath = dup_bytes(src->aspath, src->aspath_len);
	dst->comm = dup_bytes(src->comm, src->ncomm * sizeof(uint32_t));
	dst->lcomm = dup_bytes(src->lcomm,
	    (size_t)src->nlcomm * LCOMM_WORDS * sizeof(uint32_t));
	dst->other = dup_bytes(src->other, src->other_len);
}

static bool
same_bytes(const void *a, size_t alen, const void *b, size_t blen)
{
	/* a == b: the same array */
	return alen == blen && (alen == 0 || a == b || memcmp(a, b, alen) == 0);
}

/* Equal as they would go on the wire; values of absent attributes do not count. */
bool
bgp_attrs_equal(const struct bgp_attrs *a, const struct bgp_attrs *b)
{
	if (a->present != b->present)
		return false;
	if (has(a, BGP_ATTR_ORIGIN) && a->origin != b->origin)
		return false;
	if (has(a, BGP_ATTR_NEXT_HOP) && a->nexthop != b->nexthop)
		return false;
	if (has(a, BGP_ATTR_MED) && a->med != b->med)
		return false;
	if (has(a, BGP_ATTR_LOCAL_PREF) && a->local_pref != b->local_pref)
		return false;
	if (has(a, BGP_ATTR_AGGREGATOR) &&
	    (a->agg_as != b->agg_as || a->agg_id != b->agg_id))
		return false;
	if (has(a, BGP_ATTR_AS_PATH) && !same_bytes(a->aspath, a->aspath_len,
	    b->aspath, b->aspath_len))
		return false;
	return same_bytes(a->comm, a->ncomm * sizeof(uint32_t),
	    b->comm, b->ncomm * sizeof(uint32_t)) &&
	    same_bytes(a->lcomm, (size_t)a->nlcomm * LCOMM_WORDS * 4,
	    b->lcomm, (size_t)b->nlcomm * LCOMM_WORDS * 4) &&
	    same_bytes(a->other, a->other_len, b->other, b->other_len);
}

#define FNV_OFFSET	2166136261u
#define FNV_PRIME	16777619u

static uint32_t
fnv(uint32_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n-- > 0)
		h = (h ^ *b++) * FNV_PRIME;
	return h;
}

uint32_t
bgp_attrs_hash(const struct bgp_attrs *a)
{
	uint32_t h = fnv(FNV_OFFSET, &a->present, sizeof(a->present));

	/* what bgp_attrs_equal() compares, and nothing else */
	if (has(a, BGP_ATTR_ORIGIN))
		h = fnv(h, &a->origin, sizeof(a->origin));
	if (has(a, BGP_ATTR_NEXT_HOP))
		h = fnv(h, &a->nexthop, sizeof(a->nexthop));
	if (has(a, BGP_ATTR_MED))
		h = fnv(h, &a->med, sizeof(a->med));
	if (has(a, BGP_ATTR_LOCAL_PREF))
		h = fnv(h, &a->local_pref, sizeof(a->local_pref));
	if (has(a, BGP_ATTR_AGGREGATOR)) {
		h = fnv(h, &a->agg_as, sizeof(a->agg_as));
		h = fnv(h, &a->agg_id, sizeof(a->agg_id));
	}
	if (has(a, BGP_ATTR_AS_PATH) && a->aspath_len > 0)
		h = fnv(h, a->aspath, a->aspath_len);
	if (a->ncomm > 0)
		h = fnv(h, a->comm, a->ncomm * sizeof(uint32_t));
	if (a->nlcomm > 0)
		h = fnv(h, a->lcomm, (size_t)a->nlcomm * LCOMM_WORDS * 4);
	if (a->other_len > 0)
		h = fnv(h, a->other, a->other_len);
	return h;
}

bool
bgp_attrs_has_comm(const struct bgp_attrs *a, uint32_t comm)
{
	size_t i;

	for (i = 0; i < a->ncomm; i++)
		if (a->comm[i] == comm)
			return true;
	return false;
}

/* ---- AS_PATH helpers --------------------------------------------------------------- */

unsigned
bgp_aspath_hops(const struct bgp_attrs *a)
{
	return path_hops(a->aspath, a->aspath_len, AS4_WIDTH);
}

bool
bgp_aspath_contains(const struct bgp_attrs *a, uint32_t asn)
{
	struct buf b;
	struct seg s;
	unsigned i;

	buf_init(&b, a->aspath, a->aspath_len);
	while (seg_next(&b, AS4_WIDTH, &s) == 1)
		for (i = 0; i < s.n; i++)
			if (seg_asn(&s, AS4_WIDTH) == asn)
				return true;
	return false;
}

unsigned
bgp_aspath_count(const struct bgp_attrs *a, uint32_t asn)
{
	struct buf b;
	struct seg s;
	unsigned i, n = 0;

	buf_init(&b, a->aspath, a->aspath_len);
	while (seg_next(&b, AS4_WIDTH, &s) == 1)
		for (i = 0; i < s.n; i++)
			n += seg_asn(&s, AS4_WIDTH) == asn;
	return n;
}

uint32_t
bgp_aspath_first(const struct bgp_attrs *a)
{
	struct buf b;
	struct seg s;

	buf_init(&b, a->aspath, a->aspath_len);
	if (seg_next(&b, AS4_WIDTH, &s) != 1)
		return 0;
	return seg_asn(&s, AS4_WIDTH);
}

/* Room for n more ASNs in sequences: four bytes each, a header per 255. */
static size_t
seq_bytes(size_t n)
{
	return n * AS4_WIDTH + 2 * (n / SEG_MAX + 1);
}

void
bgp_aspath_prepend(struct bgp_attrs *a, uint32_t asn, unsigned times)
{
	struct path_w pw;
	struct buf b;
	struct seg s;
	unsigned i;

	/* aspath_len is 16 bits; a path that long never fits a message anyway */
	while (times > 0 && seq_bytes(times) + a->aspath_len > UINT16_MAX)
		times--;
	pw_init(&pw, seq_bytes(times) + a->aspath_len + 1);
	for (i = 0; i < times; i++)
		pw_seq_asn(&pw, asn);
	buf_init(&b, a->aspath, a->aspath_len);
	while (seg_next(&b, AS4_WIDTH, &s) == 1)
		pw_copy(&pw, &s, AS4_WIDTH, SEG_MAX, true);
	pw_done(&pw, a);
}

void
bgp_aspath_set(struct bgp_attrs *a, const uint32_t *asns, unsigned n)
{
	struct path_w pw;
	unsigned i;

	while (n > 0 && seq_bytes(n) > UINT16_MAX)
		n--;
	pw_init(&pw, seq_bytes(n) + 1);
	for (i = 0; i < n; i++)
		pw_seq_asn(&pw, asns[i]);
	pw_done(&pw, a);
}

__attribute__((format(printf, 4, 5)))
static void
fmt_add(char *buf, size_t len, size_t *off, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*off >= len - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *off, len - *off, fmt, ap);
	va_end(ap);
	if (n > 0)
		*off += (size_t)n;
	if (*off > len - 1)
		*off = len - 1;
}

char *
bgp_aspath_fmt(const struct bgp_attrs *a, char sep, char *buf, size_t len)
{
	struct buf b;
	struct seg s;
	size_t off = 0;
	unsigned i;
	bool first = true;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	buf_init(&b, a->aspath, a->aspath_len);
	while (seg_next(&b, AS4_WIDTH, &s) == 1) {
		if (!first)
			fmt_add(buf, len, &off, "%c", sep);
		first = false;
		if (s.type == BGP_AS_SET)
			fmt_add(buf, len, &off, "{");
		for (i = 0; i < s.n; i++)
			fmt_add(buf, len, &off, "%s%u", i == 0 ? "" :
			    s.type == BGP_AS_SET ? "," : (char[2]){ sep, '\0' },
			    seg_asn(&s, AS4_WIDTH));
		if (s.type == BGP_AS_SET)
			fmt_add(buf, len, &off, "}");
	}
	return buf;
}
