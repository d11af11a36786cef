/*
 * msg: BGP-4 message framing and the small messages: header (RFC 4271 4.1),
 * OPEN with capabilities (4.2, RFC 5492, RFC 4760, RFC 2918, RFC 6793),
 * KEEPALIVE (4.4), NOTIFICATION (4.5), ROUTE-REFRESH (RFC 2918), and the
 * text of error codes.
 *
 * Owns: finding message boundaries in a byte stream, the header checks of
 * RFC 4271 6.1, OPEN checks of 6.2 that need no configuration, dispatching an
 * UPDATE body to update.c.
 * Must not: know the session or its configuration (peer AS, hold time
 * policy and collisions are the FSM's), read past a slice, write except
 * through struct wbuf.
 *
 *	+--------------------------------+--------+------+
 *	| marker: 16 x 0xff              | length | type |
 *	+--------------------------------+--------+------+
 *	  16                               2        1      = 19 bytes
 */
#include <stdio.h>
#include <string.h>

#include "msg.h"
#include "../lib/util.h"

#define MARKER_LEN		16
#define LEN_OFF			MARKER_LEN
#define OPEN_UNSPECIFIC		0	/* RFC 4271 6.2: subcode 0, no better one */
#define OPT_CAPABILITIES	2	/* RFC 5492 4 */
#define CAP_MP			1	/* RFC 4760 8 */
#define CAP_RR			2	/* RFC 2918 2 */
#define CAP_AS4			65	/* RFC 6793 9 */
#define CAP_MP_LEN		4
#define CAP_AS4_LEN		4
#define OPT_HDR_LEN		2
#define MIN_HOLDTIME		3	/* RFC 4271 4.2: zero or at least three */

/* ---- header ------------------------------------------------------------------ */

static void
hdr_put(struct wbuf *w, uint8_t type)
{
	int i;

	for (i = 0; i < MARKER_LEN; i++)
		wbuf_put_u8(w, 0xff);
	wbuf_put_u16(w, 0);	/* patched by msg_end() */
	wbuf_put_u8(w, type);
}

/* Patch the length, or undo the whole message if it did not fit. */
static int
msg_end(struct wbuf *w, size_t start)
{
	size_t len = w->len - start;

	if (!w->err && len <= BGP_MAX_LEN) {
		wbuf_set_u16(w, start + LEN_OFF, (uint16_t)len);
		if (!w->err)
			return 0;
	}
	w->len = start;
	w->err = false;
	return -1;
}

static void
bad_length(struct bgp_notify *err, uint16_t len)
{
	uint8_t d[2] = { (uint8_t)(len >> 8), (uint8_t)len };

	bgp_notify_set(err, BGP_ERR_HEADER, BGP_HDR_LEN_BAD, d, sizeof(d));
}

/* The length a message of this type may have: RFC 4271 6.1, RFC 2918 3. */
static bool
type_len_ok(uint8_t type, uint16_t len)
{
	switch (type) {
	case BGP_OPEN:
		return len >= BGP_OPEN_MIN_LEN;
	case BGP_UPDATE:
		return len >= BGP_UPDATE_MIN_LEN;
	case BGP_NOTIFICATION:
		return len >= BGP_NOTIFY_MIN_LEN;
	case BGP_KEEPALIVE:
		return len == BGP_HDR_LEN;
	case BGP_ROUTE_REFRESH:
		return len == BGP_RR_LEN;
	default:
		return false;
	}
}

/* RFC 4271 6.1, in order: marker, length, type, length for the type. */
static int
hdr_check(struct buf *b, uint16_t *len, uint8_t *type, struct bgp_notify *err)
{
	uint8_t marker[MARKER_LEN];
	int i;

	if (buf_get_bytes(b, marker, sizeof(marker)) == -1 ||
	    buf_get_u16(b, len) == -1 || buf_get_u8(b, type) == -1)
		return -1;	/* callers hand over at least a header */
	for (i = 0; i < MARKER_LEN; i++)
		if (marker[i] != 0xff)
			goto bad_sync;
	if (*len < BGP_HDR_LEN || *len > BGP_MAX_LEN)
		goto bad_len;
	if (*type < BGP_OPEN || *type > BGP_ROUTE_REFRESH)
		goto bad_type;
	if (!type_len_ok(*type, *len))
		goto bad_len;
	return 0;

bad_sync:
	bgp_notify_set(err, BGP_ERR_HEADER, BGP_HDR_SYNC, NULL, 0);
	return -1;
bad_len:
	bad_length(err, *len);
	return -1;
bad_type:
	bgp_notify_set(err, BGP_ERR_HEADER, BGP_HDR_TYPE_BAD, type, 1);
	return -1;
}

ssize_t
bgp_msg_frame(const uint8_t *p, size_t avail, struct bgp_notify *err)
{
	struct buf b;
	uint16_t len;
	uint8_t type;

	if (avail < BGP_HDR_LEN)
		return 0;
	buf_init(&b, p, BGP_HDR_LEN);
	if (hdr_check(&b, &len, &type, err) == -1)
		return -1;
	if (avail < len)
		return 0;
	return len;
}

/* ---- OPEN ---------------------------------------------------------------------- */

static void
open_unspecific(struct bgp_notify *err)
{
	bgp_notify_set(err, BGP_ERR_OPEN, OPEN_UNSPECIFIC, NULL, 0);
}

/*
 * Capabilities, RFC 5492 4: code (1) | length (1) | value. Unknown ones are
 * ignored; known ones of the wrong length are an OPEN error.
 */
static int
caps_parse(struct buf *b, struct bgp_open *o, struct bgp_notify *err)
{
	struct buf v;
	uint16_t afi;
	uint8_t code, len, reserved, safi;

	while (buf_left(b) > 0) {
		if (buf_get_u8(b, &code) == -1 || buf_get_u8(b, &len) == -1 ||
		    buf_get_sub(b, &v, len) == -1)
			goto bad;
		switch (code) {
		case CAP_MP:
			if (len != CAP_MP_LEN || buf_get_u16(&v, &afi) == -1 ||
			    buf_get_u8(&v, &reserved) == -1 ||
			    buf_get_u8(&v, &safi) == -1)
				goto bad;
			if (afi == BGP_AFI_IPV4 && safi == BGP_SAFI_UNICAST)
				o->cap_mp_ipv4 = true;
			if (afi == BGP_AFI_IPV6 && safi == BGP_SAFI_UNICAST)
				o->cap_mp_ipv6 = true;
			break;
		case CAP_RR:
			if (len != 0)
				goto bad;
			o->cap_rr = true;
			break;
		case CAP_AS4:
			if (len != CAP_AS4_LEN || buf_get_u32(&v, &o->as4) == -1)
				goto bad;
			o->cap_as4 = true;
			break;
		default:
			break;
		}
	}
	return 0;
bad:
	open_unspecific(err);
	return -1;
}

/*
 *	version (1) | my AS (2) | hold time (2) | BGP identifier (4) |
 *	optional parameters length (1) | optional parameters
 * each parameter: type (1) | length (1) | value
 */
static int
open_parse(struct buf *b, struct bgp_open *o, struct bgp_notify *err)
{
	static const uint8_t version[2] = { 0, BGP_VERSION };
	struct buf opts, v;
	uint8_t optlen, ptype, plen;

	if (buf_get_u8(b, &o->version) == -1 ||
	    buf_get_u16(b, &o->my_as) == -1 ||
	    buf_get_u16(b, &o->holdtime) == -1 ||
	    buf_get_u32(b, &o->bgp_id) == -1 ||
	    buf_get_u8(b, &optlen) == -1)
		goto bad_len;
	if (o->version != BGP_VERSION) {
		bgp_notify_set(err, BGP_ERR_OPEN, BGP_OPEN_VERSION, version,
		    sizeof(version));
		return -1;
	}
	if (buf_get_sub(b, &opts, optlen) == -1 || buf_left(b) != 0)
		goto bad_len;
	if (o->holdtime != 0 && o->holdtime < MIN_HOLDTIME) {
		bgp_notify_set(err, BGP_ERR_OPEN, BGP_OPEN_HOLDTIME, NULL, 0);
		return -1;
	}
	if (o->bgp_id == 0) {
		bgp_notify_set(err, BGP_ERR_OPEN, BGP_OPEN_BGPID, NULL, 0);
		return -1;
	}
	while (buf_left(&opts) > 0) {
		if (buf_get_u8(&opts, &ptype) == -1 ||
		    buf_get_u8(&opts, &plen) == -1 ||
		    buf_get_sub(&opts, &v, plen) == -1)
			goto bad_len;
		if (ptype != OPT_CAPABILITIES) {
			bgp_notify_set(err, BGP_ERR_OPEN, BGP_OPEN_OPTPARAM,
			    NULL, 0);
			return -1;
		}
		o->cap_any = true;
		if (caps_parse(&v, o, err) == -1)
			return -1;
	}
	/* RFC 7607 2: AS 0 as the peer's AS, in My AS or the AS4 capability */
	if (o->my_as == 0 || (o->cap_as4 && o->as4 == 0)) {
		uint8_t d[2] = { (uint8_t)(o->my_as >> 8), (uint8_t)o->my_as };

		bgp_notify_set(err, BGP_ERR_OPEN, BGP_OPEN_PEER_AS, d, sizeof(d));
		return -1;
	}
	return 0;

bad_len:
	/* parameter lengths that do not add up to the message */
	open_unspecific(err);
	return -1;
}

static void
cap_put(struct wbuf *w, uint8_t code, const uint8_t *v, uint8_t len)
{
	wbuf_put_u8(w, code);
	wbuf_put_u8(w, len);
	wbuf_put_bytes(w, v, len);
}

int
bgp_build_open(struct wbuf *w, const struct bgp_open *o)
{
	uint8_t mp[CAP_MP_LEN] = { 0, BGP_AFI_IPV4, 0, BGP_SAFI_UNICAST };
	uint8_t as4[CAP_AS4_LEN] = { (uint8_t)(o->as4 >> 24),
	    (uint8_t)(o->as4 >> 16), (uint8_t)(o->as4 >> 8), (uint8_t)o->as4 };
	size_t start = w->len, optoff, capoff;
	uint16_t my_as = o->my_as;

	/* my_as left 0 with a four-octet AS: derive it (RFC 6793 4.2.1) */
	if (my_as == 0 && o->cap_as4)
		my_as = o->as4 > 0xffff ? BGP_AS_TRANS : (uint16_t)o->as4;
	hdr_put(w, BGP_OPEN);
	wbuf_put_u8(w, o->version ? o->version : BGP_VERSION);
	wbuf_put_u16(w, my_as);
	wbuf_put_u16(w, o->holdtime);
	wbuf_put_u32(w, o->bgp_id);
	optoff = w->len;
	wbuf_put_u8(w, 0);
	if (o->cap_mp_ipv4 || o->cap_rr || o->cap_as4) {
		/* one Capabilities parameter holds them all (RFC 5492 4) */
		wbuf_put_u8(w, OPT_CAPABILITIES);
		capoff = w->len;
		wbuf_put_u8(w, 0);
		if (o->cap_mp_ipv4)
			cap_put(w, CAP_MP, mp, sizeof(mp));
		if (o->cap_rr)
			cap_put(w, CAP_RR, NULL, 0);
		if (o->cap_as4)
			cap_put(w, CAP_AS4, as4, sizeof(as4));
		wbuf_set_u8(w, capoff, (uint8_t)(w->len - capoff - 1));
	}
	wbuf_set_u8(w, optoff, (uint8_t)(w->len - optoff - 1));
	return msg_end(w, start);
}

/* ---- KEEPALIVE, NOTIFICATION, ROUTE-REFRESH --------------------------------------- */

int
bgp_build_keepalive(struct wbuf *w)
{
	size_t start = w->len;

	hdr_put(w, BGP_KEEPALIVE);
	return msg_end(w, start);
}

int
bgp_build_notification(struct wbuf *w, const struct bgp_notify *n)
{
	size_t start = w->len;

	if (n->datalen > BGP_NOTIFY_DATA_MAX)
		return -1;
	hdr_put(w, BGP_NOTIFICATION);
	wbuf_put_u8(w, n->code);
	wbuf_put_u8(w, n->subcode);
	wbuf_put_bytes(w, n->data, n->datalen);
	return msg_end(w, start);
}

/* RFC 2918 3: AFI (2) | reserved (1) | SAFI (1) */
int
bgp_build_route_refresh(struct wbuf *w, uint16_t afi, uint8_t safi)
{
	size_t start = w->len;

	hdr_put(w, BGP_ROUTE_REFRESH);
	wbuf_put_u16(w, afi);
	wbuf_put_u8(w, 0);
	wbuf_put_u8(w, safi);
	return msg_end(w, start);
}

static int
notify_parse(struct buf *b, struct bgp_notify *n)
{
	size_t len;

	if (buf_get_u8(b, &n->code) == -1 || buf_get_u8(b, &n->subcode) == -1)
		return -1;
	len = buf_left(b);
	if (len > BGP_NOTIFY_DATA_MAX || buf_get_bytes(b, n->data, len) == -1)
		return -1;
	n->datalen = (uint16_t)len;
	return 0;
}

static int
rr_parse(struct buf *b, struct bgp_msg *m)
{
	uint8_t reserved;

	if (buf_get_u16(b, &m->u.rr.afi) == -1 ||
	    buf_get_u8(b, &reserved) == -1 ||
	    buf_get_u8(b, &m->u.rr.safi) == -1)
		return -1;
	return 0;
}

/* ---- one whole message ------------------------------------------------------------- */

int
bgp_msg_parse(const struct bgp_codec *c, const uint8_t *p, size_t len,
    struct bgp_msg *m, struct bgp_notify *err)
{
	struct buf b, body;
	uint16_t hlen;
	uint8_t type;

	memset(m, 0, sizeof(*m));
	if (len < BGP_HDR_LEN)
		goto bad_len;
	buf_init(&b, p, len);
	if (hdr_check(&b, &hlen, &type, err) == -1)
		return -1;
	/* the length field must say exactly what we were given */
	if (hlen != len || buf_get_sub(&b, &body, buf_left(&b)) == -1)
		goto bad_hlen;
	m->type = type;
	m->len = hlen;
	switch (type) {
	case BGP_OPEN:
		if (open_parse(&body, &m->u.open, err) == -1)
			goto fail;
		break;
	case BGP_UPDATE:
		if (bgp_update_parse(c, &body, &m->u.update, err) == -1)
			goto fail;
		break;
	case BGP_NOTIFICATION:
		if (notify_parse(&body, &m->u.notify) == -1)
			goto bad_hlen;
		break;
	case BGP_ROUTE_REFRESH:
		if (rr_parse(&body, m) == -1)
			goto bad_hlen;
		break;
	default:	/* KEEPALIVE: the header is all */
		break;
	}
	return 0;

bad_len:
	bad_length(err, (uint16_t)len);
	return -1;
bad_hlen:
	bad_length(err, hlen);
fail:
	memset(m, 0, sizeof(*m));
	return -1;
}

void
bgp_msg_free(struct bgp_msg *m)
{
	if (m->type == BGP_UPDATE)
		bgp_update_free(&m->u.update);
	memset(m, 0, sizeof(*m));
}

void
bgp_notify_set(struct bgp_notify *n, uint8_t code, uint8_t subcode,
    const void *data, size_t datalen)
{
	n->code = code;
	n->subcode = subcode;
	if (data == NULL || datalen == 0)
		datalen = 0;
	else if (datalen > BGP_NOTIFY_DATA_MAX)
		datalen = BGP_NOTIFY_DATA_MAX;
	if (datalen > 0)
		memcpy(n->data, data, datalen);
	n->datalen = (uint16_t)datalen;
}

/* ---- text ---------------------------------------------------------------------------- */

static const char *const err_codes[] = {
	[BGP_ERR_HEADER] = "Message Header Error",
	[BGP_ERR_OPEN] = "OPEN Message Error",
	[BGP_ERR_UPDATE] = "UPDATE Message Error",
	[BGP_ERR_HOLD] = "Hold Timer Expired",
	[BGP_ERR_FSM] = "Finite State Machine Error",
	[BGP_ERR_CEASE] = "Cease",
	[BGP_ERR_RREFRESH] = "ROUTE-REFRESH Message Error",
};

static const char *const err_header[] = {
	[BGP_HDR_SYNC] = "Connection Not Synchronized",
	[BGP_HDR_LEN_BAD] = "Bad Message Length",
	[BGP_HDR_TYPE_BAD] = "Bad Message Type",
};

static const char *const err_open[] = {
	[BGP_OPEN_VERSION] = "Unsupported Version Number",
	[BGP_OPEN_PEER_AS] = "Bad Peer AS",
	[BGP_OPEN_BGPID] = "Bad BGP Identifier",
	[BGP_OPEN_OPTPARAM] = "Unsupported Optional Parameter",
	[BGP_OPEN_HOLDTIME] = "Unacceptable Hold Time",
	[BGP_OPEN_CAPA] = "Unsupported Capability",
};

static const char *const err_update[] = {
	[BGP_UPD_ATTRLIST] = "Malformed Attribute List",
	[BGP_UPD_WELLKNOWN] = "Unrecognized Well-known Attribute",
	[BGP_UPD_MISSING] = "Missing Well-known Attribute",
	[BGP_UPD_FLAGS] = "Attribute Flags Error",
	[BGP_UPD_LENGTH] = "Attribute Length Error",
	[BGP_UPD_ORIGIN] = "Invalid ORIGIN Attribute",
	[BGP_UPD_NEXTHOP] = "Invalid NEXT_HOP Attribute",
	[BGP_UPD_OPTATTR] = "Optional Attribute Error",
	[BGP_UPD_NETWORK] = "Invalid Network Field",
	[BGP_UPD_ASPATH] = "Malformed AS_PATH",
};

static const char *const err_cease[] = {
	[BGP_CEASE_MAXPFX] = "Maximum Number of Prefixes Reached",
	[BGP_CEASE_SHUTDOWN] = "Administrative Shutdown",
	[BGP_CEASE_DECONFIG] = "Peer De-configured",
	[BGP_CEASE_RESET] = "Administrative Reset",
	[BGP_CEASE_REJECTED] = "Connection Rejected",
	[BGP_CEASE_CONFIG] = "Other Configuration Change",
	[BGP_CEASE_COLLISION] = "Connection Collision Resolution",
	[BGP_CEASE_RESOURCES] = "Out of Resources",
};

/* RFC 6608 */
static const char *const err_fsm[] = {
	[1] = "Receive Unexpected Message in OpenSent State",
	[2] = "Receive Unexpected Message in OpenConfirm State",
	[3] = "Receive Unexpected Message in Established State",
};

/* RFC 7313 5 */
static const char *const err_rrefresh[] = {
	[1] = "Invalid Message Length",
};

#define STR_AT(tab, i)	((i) < NELEM(tab) ? (tab)[i] : NULL)

const char *
bgp_err_str(uint8_t code, uint8_t subcode, char *buf, size_t len)
{
	const char *c = STR_AT(err_codes, code), *s = NULL;

	switch (code) {
	case BGP_ERR_HEADER:	s = STR_AT(err_header, subcode); break;
	case BGP_ERR_OPEN:	s = STR_AT(err_open, subcode); break;
	case BGP_ERR_UPDATE:	s = STR_AT(err_update, subcode); break;
	case BGP_ERR_FSM:	s = STR_AT(err_fsm, subcode); break;
	case BGP_ERR_CEASE:	s = STR_AT(err_cease, subcode); break;
	case BGP_ERR_RREFRESH:	s = STR_AT(err_rrefresh, subcode); break;
	default:		break;
	}
	if (c == NULL)
		snprintf(buf, len, "error code %u / subcode %u", code, subcode);
	else if (s != NULL)
		snprintf(buf, len, "%s / %s", c, s);
	else if (subcode == 0)
		snprintf(buf, len, "%s", c);
	else
		snprintf(buf, len, "%s / subcode %u", c, subcode);
	return buf;
}

const char *
bgp_type_str(uint8_t type)
{
	switch (type) {
	case BGP_OPEN:		return "OPEN";
	case BGP_UPDATE:	return "UPDATE";
	case BGP_NOTIFICATION:	return "NOTIFICATION";
	case BGP_KEEPALIVE:	return "KEEPALIVE";
	case BGP_ROUTE_REFRESH:	return "ROUTE-REFRESH";
	default:		return "UNKNOWN";
	}
}
