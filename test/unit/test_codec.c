/*
 * test_codec: the BGP-4 wire codec (bgp/msg.c, update.c, attr.c).
 * Round trips of every message type, OPEN capabilities, UPDATE packing,
 * RFC 6793 two-octet sessions, and each RFC 7606 outcome class. Each check
 * names the RFC section it holds the codec to.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../bgp/msg.h"
#include "../../lib/util.h"
#include "t.h"

static const struct bgp_codec AS4 = { .as4 = true };
static const struct bgp_codec AS2 = { .as4 = false };

/* well-formed attributes for a four-octet session */
#define A_ORIGIN	"400101 00"
#define A_ASPATH	"400206 0201 0000fde9"		/* 65001 */
#define A_NEXTHOP	"400304 0a000001"		/* 10.0.0.1 */
#define A_GOOD		A_ORIGIN A_ASPATH A_NEXTHOP
#define A_ASPATH2	"400204 0201 fde9"		/* 65001, two-octet */
#define A_GOOD2		A_ORIGIN A_ASPATH2 A_NEXTHOP
#define N_ONE		"100a01"			/* 10.1.0.0/16 */

static size_t
unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	unsigned v;

	while (*s != '\0') {
		if (*s == ' ') {
			s++;
			continue;
		}
		if (n >= cap || sscanf(s, "%2x", &v) != 1)
			die("bad hex in test: %s", s);
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

/* An UPDATE from its three parts, lengths filled in. */
static size_t
mkupdate(uint8_t *out, const char *wd, const char *attrs, const char *nlri)
{
	uint8_t tmp[BGP_MAX_LEN * 2];
	size_t wl, al, nl, off = 19;

	memset(out, 0xff, 16);
	wl = unhex(wd, tmp, sizeof(tmp));
	out[off++] = (uint8_t)(wl >> 8);
	out[off++] = (uint8_t)wl;
	memcpy(out + off, tmp, wl);
	off += wl;
	al = unhex(attrs, tmp, sizeof(tmp));
	out[off++] = (uint8_t)(al >> 8);
	out[off++] = (uint8_t)al;
	memcpy(out + off, tmp, al);
	off += al;
	nl = unhex(nlri, tmp, sizeof(tmp));
	memcpy(out + off, tmp, nl);
	off += nl;
	out[16] = (uint8_t)(off >> 8);
	out[17] = (uint8_t)off;
	out[18] = BGP_UPDATE;
	return off;
}

static int
parse_update(const struct bgp_codec *c, const char *wd, const char *attrs,
    const char *nlri, struct bgp_msg *m, struct bgp_notify *err)
{
	uint8_t msg[BGP_MAX_LEN * 2];
	struct bgp_notify dummy;
	size_t len = mkupdate(msg, wd, attrs, nlri);

	return bgp_msg_parse(c, msg, len, m, err != NULL ? err : &dummy);
}

static void
expect_reset(const char *what, const struct bgp_codec *c, const char *wd,
    const char *attrs, const char *nlri, uint8_t code, uint8_t sub)
{
	struct bgp_msg m;
	struct bgp_notify err;
	int rc = parse_update(c, wd, attrs, nlri, &m, &err);

	T_OK(rc == -1 && err.code == code && err.subcode == sub,
	    "%s -> session reset %u/%u (got rc %d, %u/%u)", what, code, sub,
	    rc, rc == -1 ? err.code : 0, rc == -1 ? err.subcode : 0);
	bgp_msg_free(&m);
}

static void
expect_withdraw(const char *what, const struct bgp_codec *c,
    const char *attrs, const char *nlri)
{
	struct bgp_msg m;
	struct bgp_notify err;
	int rc = parse_update(c, "", attrs, nlri, &m, &err);

	T_OK(rc == 0 && m.u.update.treat_as_withdraw && m.u.update.nnlri > 0,
	    "%s -> treat-as-withdraw (rc %d)", what, rc);
	bgp_msg_free(&m);
}

static void
expect_discard(const char *what, const struct bgp_codec *c,
    const char *attrs, unsigned ndiscard)
{
	struct bgp_msg m;
	struct bgp_notify err;
	int rc = parse_update(c, "", attrs, N_ONE, &m, &err);

	T_OK(rc == 0 && !m.u.update.treat_as_withdraw &&
	    m.u.update.discarded == ndiscard,
	    "%s -> attribute discard (rc %d, discarded %u)", what, rc,
	    rc == 0 ? m.u.update.discarded : 0);
	bgp_msg_free(&m);
}

/* frame then parse one built message */
static int
reparse(const struct bgp_codec *c, const struct wbuf *w, struct bgp_msg *m)
{
	struct bgp_notify err;
	ssize_t n = bgp_msg_frame(w->p, w->len, &err);

	if (n != (ssize_t)w->len)
		return -1;
	return bgp_msg_parse(c, w->p, w->len, m, &err);
}

/* ---- KEEPALIVE, NOTIFICATION, ROUTE-REFRESH ---------------------------------- */

static void
test_small_messages(void)
{
	uint8_t b[BGP_MAX_LEN];
	struct wbuf w;
	struct bgp_msg m;
	struct bgp_notify n;
	uint8_t data[3] = { 1, 2, 3 };

	wbuf_init(&w, b, sizeof(b));
	T_EQ(bgp_build_keepalive(&w), 0, "RFC 4271 4.4: KEEPALIVE builds");
	T_EQ(w.len, 19u, "RFC 4271 4.4: KEEPALIVE is 19 bytes");
	T_OK(reparse(&AS4, &w, &m) == 0 && m.type == BGP_KEEPALIVE,
	    "RFC 4271 4.4: KEEPALIVE round trip");
	bgp_msg_free(&m);

	wbuf_init(&w, b, sizeof(b));
	bgp_notify_set(&n, BGP_ERR_CEASE, BGP_CEASE_SHUTDOWN, data, sizeof(data));
	T_EQ(bgp_build_notification(&w, &n), 0, "RFC 4271 4.5: NOTIFICATION builds");
	T_OK(reparse(&AS4, &w, &m) == 0 && m.type == BGP_NOTIFICATION &&
	    m.u.notify.code == BGP_ERR_CEASE &&
	    m.u.notify.subcode == BGP_CEASE_SHUTDOWN &&
	    m.u.notify.datalen == 3 && memcmp(m.u.notify.data, data, 3) == 0,
	    "RFC 4271 4.5: NOTIFICATION round trip with code, subcode, data");
	bgp_msg_free(&m);

	wbuf_init(&w, b, sizeof(b));
	bgp_notify_set(&n, BGP_ERR_HOLD, 0, NULL, 0);
	n.datalen = BGP_NOTIFY_DATA_MAX;
	memset(n.data, 0xab, n.datalen);
	T_OK(bgp_build_notification(&w, &n) == 0 && w.len == BGP_MAX_LEN &&
	    reparse(&AS4, &w, &m) == 0 &&
	    m.u.notify.datalen == BGP_NOTIFY_DATA_MAX,
	    "RFC 4271 4.5: NOTIFICATION with the largest data fills 4096 bytes");
	bgp_msg_free(&m);

	wbuf_init(&w, b, sizeof(b));
	T_EQ(bgp_build_route_refresh(&w, BGP_AFI_IPV4, BGP_SAFI_UNICAST), 0,
	    "RFC 2918 3: ROUTE-REFRESH builds");
	T_OK(reparse(&AS4, &w, &m) == 0 && m.type == BGP_ROUTE_REFRESH &&
	    m.len == BGP_RR_LEN && m.u.rr.afi == BGP_AFI_IPV4 &&
	    m.u.rr.safi == BGP_SAFI_UNICAST,
	    "RFC 2918 3: ROUTE-REFRESH round trip (AFI 1, SAFI 1)");
	bgp_msg_free(&m);

	wbuf_init(&w, b, 10);
	T_OK(bgp_build_keepalive(&w) == -1 && w.len == 0 && !w.err,
	    "RFC 4271 4.1: a KEEPALIVE that does not fit leaves the buffer as it was");
}

/* ---- OPEN ---------------------------------------------------------------------- */

static void
test_open_roundtrip(void)
{
	uint8_t b[BGP_MAX_LEN];
	struct wbuf w;
	struct bgp_msg m;
	struct bgp_open o = {
		.version = BGP_VERSION, .my_as = BGP_AS_TRANS, .holdtime = 90,
		.bgp_id = 0x0a000001, .cap_as4 = true, .as4 = 4200000001u,
		.cap_mp_ipv4 = true, .cap_rr = true,
	};
	struct bgp_open *p = &m.u.open;

	wbuf_init(&w, b, sizeof(b));
	T_EQ(bgp_build_open(&w, &o), 0, "RFC 4271 4.2: OPEN builds");
	T_OK(reparse(&AS4, &w, &m) == 0 && m.type == BGP_OPEN,
	    "RFC 4271 4.2: OPEN round trip parses");
	T_OK(p->version == 4 && p->my_as == BGP_AS_TRANS &&
	    p->holdtime == 90 && p->bgp_id == 0x0a000001,
	    "RFC 4271 4.2: version, My AS, hold time, BGP identifier survive");
	T_OK(p->cap_any && p->cap_as4 && p->as4 == 4200000001u,
	    "RFC 6793 3: four-octet AS capability carries 4200000001");
	T_OK(p->cap_mp_ipv4 && !p->cap_mp_ipv6,
	    "RFC 4760 8: MP capability IPv4 unicast only");
	T_OK(p->cap_rr, "RFC 2918 2: route refresh capability");
	bgp_msg_free(&m);

	memset(&o, 0, sizeof(o));
	o.my_as = 65001;
	o.holdtime = 0;
	o.bgp_id = 1;
	wbuf_init(&w, b, sizeof(b));
	T_OK(bgp_build_open(&w, &o) == 0 && w.len == BGP_OPEN_MIN_LEN &&
	    reparse(&AS4, &w, &m) == 0 && !m.u.open.cap_any &&
	    m.u.open.holdtime == 0,
	    "RFC 4271 4.2: OPEN without capabilities is 29 bytes, hold time 0 ok");
	bgp_msg_free(&m);

	memset(&o, 0, sizeof(o));
	o.bgp_id = 1;
	o.holdtime = 3;
	o.cap_as4 = true;
	o.as4 = 65001;
	wbuf_init(&w, b, sizeof(b));
	T_OK(bgp_build_open(&w, &o) == 0 && reparse(&AS4, &w, &m) == 0 &&
	    m.u.open.my_as == 65001 && m.u.open.holdtime == 3,
	    "RFC 6793 4.2.1: My AS left 0 is derived from a two-octet as4");
	bgp_msg_free(&m);
}

/* an OPEN from hex of its body (after the header) */
static int
parse_open(const char *body, struct bgp_msg *m, struct bgp_notify *err)
{
	uint8_t msg[BGP_MAX_LEN];
	size_t n = unhex(body, msg + 19, sizeof(msg) - 19) + 19;

	memset(msg, 0xff, 16);
	msg[16] = (uint8_t)(n >> 8);
	msg[17] = (uint8_t)n;
	msg[18] = BGP_OPEN;
	return bgp_msg_parse(&AS4, msg, n, m, err);
}

static void
open_err(const char *what, const char *body, uint8_t sub)
{
	struct bgp_msg m;
	struct bgp_notify err;
	int rc = parse_open(body, &m, &err);

	T_OK(rc == -1 && err.code == BGP_ERR_OPEN && err.subcode == sub,
	    "%s -> OPEN Message Error / %u (rc %d, got %u/%u)", what, sub, rc,
	    err.code, err.subcode);
}

static void
test_open_parse(void)
{
	struct bgp_msg m;
	struct bgp_notify err;
	int rc;

	/* two parameters; graceful restart (64) and an odd code are ignored */
	rc = parse_open("04 fde9 00b4 0a000002 16"
	    "02 0c 01040002 0001 4002 0078 2000"
	    "02 06 41 04 0000fde9", &m, &err);
	T_OK(rc == 0 && m.u.open.cap_mp_ipv6 && !m.u.open.cap_mp_ipv4 &&
	    m.u.open.cap_as4 && m.u.open.as4 == 65001 && !m.u.open.cap_rr,
	    "RFC 5492 4: capabilities over two parameters, unknown ones ignored");
	T_EQ(m.u.open.holdtime, 180, "RFC 4271 4.2: hold time 180");

	rc = parse_open("03 fde9 00b4 0a000002 00", &m, &err);
	T_OK(rc == -1 && err.code == BGP_ERR_OPEN &&
	    err.subcode == BGP_OPEN_VERSION && err.datalen == 2 &&
	    err.data[0] == 0 && err.data[1] == 4,
	    "RFC 4271 6.2: version 3 -> Unsupported Version Number, data 0x0004");
	open_err("RFC 4271 6.2: hold time 1", "04 fde9 0001 0a000002 00",
	    BGP_OPEN_HOLDTIME);
	open_err("RFC 4271 6.2: hold time 2", "04 fde9 0002 0a000002 00",
	    BGP_OPEN_HOLDTIME);
	open_err("RFC 4271 6.2: BGP identifier 0", "04 fde9 00b4 00000000 00",
	    BGP_OPEN_BGPID);
	open_err("RFC 5492 / RFC 4271 6.2: optional parameter type 1",
	    "04 fde9 00b4 0a000002 04 01 02 0000", BGP_OPEN_OPTPARAM);
	open_err("RFC 4271 6.2: parameters length past the message",
	    "04 fde9 00b4 0a000002 08 02 02 0200", 0);
	open_err("RFC 4271 6.2: bytes after the parameters",
	    "04 fde9 00b4 0a000002 00 00", 0);
	open_err("RFC 5492 4: capability length past its parameter",
	    "04 fde9 00b4 0a000002 04 02 02 4104", 0);
	open_err("RFC 6793 3: four-octet AS capability of length 2",
	    "04 fde9 00b4 0a000002 06 02 04 4102 fde9", 0);
	rc = parse_open("04 fde9 0003 0a000002 00", &m, &err);
	T_OK(rc == 0, "RFC 4271 4.2: hold time 3 is accepted");
	rc = parse_open("04 0001 00b4 0a000002 00", &m, &err);
	T_OK(rc == 0 && m.u.open.my_as == 1,
	    "RFC 4271 6.2: the peer AS is not checked by the codec");
}

/* ---- header and framing ---------------------------------------------------------- */

static void
hdr_err(const char *what, const char *hex, uint8_t sub, uint16_t data)
{
	uint8_t b[64];
	size_t n = unhex(hex, b, sizeof(b));
	struct bgp_notify err;
	ssize_t rc = bgp_msg_frame(b, n, &err);
	bool dok = sub == BGP_HDR_TYPE_BAD ?
	    err.datalen == 1 && err.data[0] == data :
	    sub == BGP_HDR_LEN_BAD ? err.datalen == 2 &&
	    (err.data[0] << 8 | err.data[1]) == data : err.datalen == 0;

	T_OK(rc == -1 && err.code == BGP_ERR_HEADER && err.subcode == sub && dok,
	    "%s -> Message Header Error / %u with data", what, sub);
}

#define MARK	"ffffffffffffffffffffffffffffffff"

static void
test_header(void)
{
	uint8_t b[BGP_MAX_LEN + 8];
	struct bgp_notify err;
	struct bgp_msg m;
	size_t n;

	hdr_err("RFC 4271 6.1: marker not all ones",
	    "ffffffffffffffffffffffffffff7fff 0013 04", BGP_HDR_SYNC, 0);
	hdr_err("RFC 4271 6.1: length 18", MARK "0012 04", BGP_HDR_LEN_BAD, 18);
	hdr_err("RFC 4271 6.1: length 4097", MARK "1001 02", BGP_HDR_LEN_BAD,
	    4097);
	hdr_err("RFC 4271 6.1: KEEPALIVE of 20 bytes", MARK "0014 04",
	    BGP_HDR_LEN_BAD, 20);
	hdr_err("RFC 4271 6.1: OPEN of 28 bytes", MARK "001c 01",
	    BGP_HDR_LEN_BAD, 28);
	hdr_err("RFC 4271 6.1: UPDATE of 22 bytes", MARK "0016 02",
	    BGP_HDR_LEN_BAD, 22);
	hdr_err("RFC 4271 6.1: NOTIFICATION of 20 bytes", MARK "0014 03",
	    BGP_HDR_LEN_BAD, 20);
	hdr_err("RFC 2918 3 / RFC 4271 6.1: ROUTE-REFRESH of 24 bytes",
	    MARK "0018 05", BGP_HDR_LEN_BAD, 24);
	hdr_err("RFC 4271 6.1: type 6", MARK "0013 06", BGP_HDR_TYPE_BAD, 6);
	hdr_err("RFC 4271 6.1: type 0", MARK "0013 00", BGP_HDR_TYPE_BAD, 0);

	n = unhex(MARK "0013 04", b, sizeof(b));
	T_EQ(bgp_msg_frame(b, n - 1, &err), 0,
	    "RFC 4271 4.1: 18 bytes of a header: need more");
	T_EQ(bgp_msg_frame(b, n, &err), 19, "RFC 4271 4.1: KEEPALIVE framed");
	n = unhex(MARK "0017 02 0000 00", b, sizeof(b));
	T_EQ(bgp_msg_frame(b, n, &err), 0,
	    "RFC 4271 4.1: length field 23 with 22 bytes: need more");
	T_OK(bgp_msg_parse(&AS4, b, n, &m, &err) == -1 &&
	    err.code == BGP_ERR_HEADER && err.subcode == BGP_HDR_LEN_BAD &&
	    err.datalen == 2 && err.data[1] == 23,
	    "RFC 4271 6.1: parse of a message whose length says more than the "
	    "bytes -> Bad Message Length, data = the length field");
	T_OK(bgp_msg_parse(&AS4, b, 10, &m, &err) == -1 &&
	    err.subcode == BGP_HDR_LEN_BAD,
	    "RFC 4271 6.1: parse of 10 bytes -> Bad Message Length");
	n = unhex(MARK "0013 04 00", b, sizeof(b));
	T_OK(bgp_msg_parse(&AS4, b, n, &m, &err) == -1 &&
	    err.subcode == BGP_HDR_LEN_BAD && err.data[1] == 19,
	    "RFC 4271 6.1: parse of 20 bytes whose length says 19 -> Bad Message "
	    "Length");
	memset(b, 0xff, 16);
	b[16] = 0x10;
	b[17] = 0x01;
	b[18] = BGP_UPDATE;
	memset(b + 19, 0, sizeof(b) - 19);
	T_OK(bgp_msg_parse(&AS4, b, 4097, &m, &err) == -1 &&
	    err.subcode == BGP_HDR_LEN_BAD && err.data[0] == 0x10 &&
	    err.data[1] == 0x01,
	    "RFC 4271 6.1: parse of a 4097-byte UPDATE -> Bad Message Length "
	    "4097");
	n = unhex(MARK "0013 04" MARK "0013 04", b, sizeof(b));
	T_EQ(bgp_msg_frame(b, n, &err), 19,
	    "RFC 4271 4.1: two KEEPALIVEs in a stream frame one at a time");
}

/* ---- UPDATE round trips ---------------------------------------------------------------- */

static void
fill_attrs(struct bgp_attrs *a)
{
	static const uint32_t path[] = { 65001, 65002, 4200000001u };
	static const uint32_t comm[] = { 0xfde90064, BGP_COMM_NO_EXPORT };
	static const uint32_t lcomm[] = { 4200000001u, 1, 2, 65001, 3, 4 };

	bgp_attrs_init(a);
	a->present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) |
	    BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP) | BGP_ATTR_BIT(BGP_ATTR_MED) |
	    BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF) |
	    BGP_ATTR_BIT(BGP_ATTR_ATOMIC_AGGREGATE) |
	    BGP_ATTR_BIT(BGP_ATTR_AGGREGATOR) |
	    BGP_ATTR_BIT(BGP_ATTR_COMMUNITIES);
	a->origin = BGP_ORIGIN_EGP;
	a->nexthop = 0x0a000001;
	a->med = 50;
	a->local_pref = 200;
	a->agg_as = 4200000002u;
	a->agg_id = 0x01020304;
	bgp_aspath_set(a, path, 3);
	a->comm = xmalloc(sizeof(comm));
	memcpy(a->comm, comm, sizeof(comm));
	a->ncomm = 2;
	a->lcomm = xmalloc(sizeof(lcomm));
	memcpy(a->lcomm, lcomm, sizeof(lcomm));
	a->nlcomm = 2;
}

static struct pfx4
p24(unsigned i)
{
	struct pfx4 p = { .addr = 0x0a000000u | (uint32_t)i << 8, .len = 24 };

	return p;
}

static void
test_update_roundtrip(const struct bgp_codec *c, const char *name)
{
	uint8_t b[BGP_MAX_LEN];
	struct wbuf w;
	struct bgp_attrs a;
	struct bgp_msg m;
	struct pfx4 nlri[3] = { p24(1), p24(2), { 0, 0 } };
	size_t wdn, nn;

	fill_attrs(&a);
	wbuf_init(&w, b, sizeof(b));
	T_OK(bgp_build_update(c, &w, NULL, 0, &wdn, &a, nlri, 3, &nn) == 0 &&
	    nn == 3 && wdn == 0, "RFC 4271 4.3 (%s): UPDATE builds, 3 NLRI",
	    name);
	T_OK(reparse(c, &w, &m) == 0 && m.type == BGP_UPDATE,
	    "RFC 4271 4.3 (%s): UPDATE round trip parses", name);
	T_OK(bgp_attrs_equal(&a, &m.u.update.attrs),
	    "RFC 4271 5 (%s): every attribute survives the round trip", name);
	T_OK(m.u.update.nnlri == 3 && pfx_equal(&m.u.update.nlri[0], &nlri[0]) &&
	    pfx_equal(&m.u.update.nlri[2], &nlri[2]),
	    "RFC 4271 4.3 (%s): NLRI survive, 0.0.0.0/0 included", name);
	T_OK(!m.u.update.treat_as_withdraw && m.u.update.discarded == 0 &&
	    !m.u.update.eor, "RFC 7606 (%s): a clean UPDATE has no outcome", name);
	T_OK(bgp_attrs_has_comm(&m.u.update.attrs, BGP_COMM_NO_EXPORT) &&
	    !bgp_attrs_has_comm(&m.u.update.attrs, BGP_COMM_NO_ADVERTISE),
	    "RFC 1997 (%s): NO_EXPORT found, NO_ADVERTISE not", name);
	T_OK(m.u.update.attrs.nlcomm == 2 &&
	    m.u.update.attrs.lcomm[3] == 65001,
	    "RFC 8092 (%s): two large communities", name);
	bgp_msg_free(&m);
	bgp_attrs_free(&a);
}

static void
test_withdraw_roundtrip(void)
{
	uint8_t b[BGP_MAX_LEN];
	struct wbuf w;
	struct bgp_msg m;
	struct pfx4 wd[2] = { { 0xc0a80100, 24 }, { 0xac100000, 12 } };
	size_t wdn, nn;

	wbuf_init(&w, b, sizeof(b));
	T_OK(bgp_build_update(&AS4, &w, wd, 2, &wdn, NULL, NULL, 0, &nn) == 0 &&
	    wdn == 2, "RFC 4271 4.3: withdraw-only UPDATE builds");
	T_OK(reparse(&AS4, &w, &m) == 0 && m.u.update.nwithdrawn == 2 &&
	    pfx_equal(&m.u.update.withdrawn[1], &wd[1]) &&
	    m.u.update.nnlri == 0 && !m.u.update.treat_as_withdraw,
	    "RFC 4271 4.3: withdrawn routes round trip, no attributes needed");
	bgp_msg_free(&m);

	wbuf_init(&w, b, sizeof(b));
	T_OK(bgp_build_update(&AS4, &w, NULL, 0, &wdn, NULL, NULL, 0, &nn) == 0 &&
	    w.len == BGP_UPDATE_MIN_LEN && reparse(&AS4, &w, &m) == 0 &&
	    m.u.update.eor, "RFC 4724 2: empty UPDATE builds and parses as "
	    "End-of-RIB");
	bgp_msg_free(&m);
}

/* Split many prefixes over UPDATEs of at most 4096 bytes. */
static void
test_update_split(void)
{
	enum { N = 3000 };
	static struct pfx4 v[N];
	uint8_t b[BGP_MAX_LEN + 100];
	struct bgp_attrs a;
	struct bgp_msg m;
	struct wbuf w;
	size_t i, wdn, nn, got = 0, wgot = 0, msgs = 0, off;
	bool fits = true, order = true, mixed = false, same = true;

	for (i = 0; i < N; i++)
		v[i] = p24((unsigned)i);
	fill_attrs(&a);
	for (off = 0; off < N; off += nn) {
		wbuf_init(&w, b, sizeof(b));
		if (bgp_build_update(&AS4, &w, NULL, 0, &wdn, &a, v + off,
		    N - off, &nn) == -1 || nn == 0)
			break;
		msgs++;
		fits &= w.len <= BGP_MAX_LEN;
		if (reparse(&AS4, &w, &m) == -1)
			break;
		for (i = 0; i < m.u.update.nnlri; i++)
			order &= pfx_equal(&m.u.update.nlri[i], &v[got + i]);
		same &= bgp_attrs_equal(&a, &m.u.update.attrs);
		got += m.u.update.nnlri;
		bgp_msg_free(&m);
	}
	T_EQ(got, (size_t)N, "RFC 4271 4.3: 3000 NLRI all arrive (%zu)", got);
	T_OK(msgs > 1 && fits, "RFC 4271 4.1: spread over %zu UPDATEs, each "
	    "within 4096 bytes", msgs);
	T_OK(order && same, "RFC 4271 4.3: in order, attributes on each");

	/* withdrawals and announcements: withdrawals first, never mixed */
	msgs = got = 0;
	for (off = nn = 0; off < N || nn < N; ) {
		size_t woff = off, noff = nn;

		wbuf_init(&w, b, BGP_MAX_LEN);
		if (bgp_build_update(&AS4, &w, v + woff, N - woff, &wdn, &a,
		    v + noff, N - noff, &i) == -1)
			break;
		off += wdn;
		nn += i;
		if (reparse(&AS4, &w, &m) == -1)
			break;
		mixed |= m.u.update.nwithdrawn > 0 && m.u.update.nnlri > 0;
		mixed |= m.u.update.nnlri > 0 && wgot < N;
		wgot += m.u.update.nwithdrawn;
		got += m.u.update.nnlri;
		bgp_msg_free(&m);
	}
	T_OK(wgot == N && got == N && !mixed,
	    "RFC 7606 5.1: %zu withdrawn first, then %zu NLRI, never in one "
	    "UPDATE", wgot, got);

	wbuf_init(&w, b, 100);
	T_OK(bgp_build_update(&AS4, &w, NULL, 0, &wdn, &a, v, N, &nn) == -1 &&
	    w.len == 0 && !w.err && nn == 0,
	    "RFC 4271 4.3: attributes that do not fit: -1, buffer untouched");
	wbuf_init(&w, b, sizeof(b));
	w.len = 50;
	T_OK(bgp_build_update(&AS4, &w, NULL, 0, &wdn, &a, v, 1, &nn) == 0 &&
	    nn == 1 && b[50] == 0xff && w.len > 50 + BGP_UPDATE_MIN_LEN,
	    "RFC 4271 4.3: an UPDATE is appended after what the buffer holds");
	bgp_attrs_free(&a);
}

/* Walk the attribute list of a built UPDATE: types in order, flags of one. */
static void
wire_attrs(const struct wbuf *w, uint8_t *types, size_t *n, uint8_t want,
    uint8_t *flags)
{
	struct buf b, list;
	uint16_t wl, al, len;
	uint8_t f, t, l8;

	*n = 0;
	buf_init(&b, w->p, w->len);
	buf_skip(&b, BGP_HDR_LEN);
	buf_get_u16(&b, &wl);
	buf_skip(&b, wl);
	buf_get_u16(&b, &al);
	buf_get_sub(&b, &list, al);
	while (buf_left(&list) > 0) {
		buf_get_u8(&list, &f);
		buf_get_u8(&list, &t);
		if (f & BGP_AF_EXTLEN)
			buf_get_u16(&list, &len);
		else {
			buf_get_u8(&list, &l8);
			len = l8;
		}
		if (buf_skip(&list, len) == -1)
			break;
		types[(*n)++] = t;
		if (t == want)
			*flags = f;
	}
}

static void
test_wire_order(void)
{
	uint8_t b[BGP_MAX_LEN], types[64], f = 0;
	struct bgp_attrs a;
	struct bgp_msg m;
	struct wbuf w;
	struct pfx4 one = p24(1);
	size_t wdn, nn, n, i;
	bool asc = true;
	uint32_t *c;

	/* unknown optional transitive types 30 and 40, as received */
	fill_attrs(&a);
	a.other = xmalloc(9);
	memcpy(a.other, "\xe0\x1e\x01\x09\xe0\x28\x01\x07", 8);
	a.other_len = 8;
	wbuf_init(&w, b, sizeof(b));
	bgp_build_update(&AS4, &w, NULL, 0, &wdn, &a, &one, 1, &nn);
	wire_attrs(&w, types, &n, BGP_ATTR_COMMUNITIES, &f);
	for (i = 1; i < n; i++)
		asc &= types[i - 1] < types[i];
	T_OK(n == 11 && asc && types[8] == 30 && types[9] == 32 &&
	    types[10] == 40, "RFC 4271 5: attributes leave in ascending type "
	    "order, unknown ones in their place (%zu)", n);
	T_OK(!(f & BGP_AF_EXTLEN) && f == (BGP_AF_OPTIONAL | BGP_AF_TRANSITIVE),
	    "RFC 4271 4.3: 8-byte COMMUNITIES without Extended Length");

	c = xcalloc(100, sizeof(*c));
	free(a.comm);
	a.comm = c;
	a.ncomm = 100;
	wbuf_init(&w, b, sizeof(b));
	bgp_build_update(&AS4, &w, NULL, 0, &wdn, &a, &one, 1, &nn);
	wire_attrs(&w, types, &n, BGP_ATTR_COMMUNITIES, &f);
	T_OK(f & BGP_AF_EXTLEN,
	    "RFC 4271 4.3: 400-byte COMMUNITIES use Extended Length");
	T_OK(reparse(&AS4, &w, &m) == 0 && m.u.update.attrs.ncomm == 100 &&
	    bgp_attrs_equal(&a, &m.u.update.attrs),
	    "RFC 4271 4.3: Extended Length attribute round trip");
	bgp_msg_free(&m);
	bgp_attrs_free(&a);
}

/* ---- RFC 6793: two-octet sessions ---------------------------------------------------- */

static void
test_as4(void)
{
	static const uint32_t path[] = { 65001, 4200000001u, 65002 };
	uint8_t b[BGP_MAX_LEN], types[64], f = 0;
	struct bgp_attrs a;
	struct bgp_msg m;
	struct wbuf w;
	struct pfx4 one = p24(1);
	size_t wdn, nn, n, i;
	bool has4 = false, hasagg4 = false;
	char s[64];

	fill_attrs(&a);
	bgp_aspath_set(&a, path, 3);
	wbuf_init(&w, b, sizeof(b));
	bgp_build_update(&AS2, &w, NULL, 0, &wdn, &a, &one, 1, &nn);
	wire_attrs(&w, types, &n, 0, &f);
	for (i = 0; i < n; i++) {
		has4 |= types[i] == BGP_ATTR_AS4_PATH;
		hasagg4 |= types[i] == BGP_ATTR_AS4_AGGREGATOR;
	}
	T_OK(has4 && hasagg4, "RFC 6793 4.2.2: to a two-octet peer, AS4_PATH "
	    "and AS4_AGGREGATOR are added");
	/* AS_PATH on the wire: 65001 23456 65002 */
	T_OK(memmem(b, w.len, "\x40\x02\x08\x02\x03\xfd\xe9\x5b\xa0\xfd\xea", 11)
	    != NULL, "RFC 6793 4.2.2: AS_PATH carries AS_TRANS for 4200000001");
	T_OK(reparse(&AS2, &w, &m) == 0 &&
	    bgp_attrs_equal(&a, &m.u.update.attrs),
	    "RFC 6793 4.2.3: AS4_PATH and AS4_AGGREGATOR merge back exactly");
	T_OK(strcmp(bgp_aspath_fmt(&m.u.update.attrs, ' ', s, sizeof(s)),
	    "65001 4200000001 65002") == 0, "RFC 6793 4.2.3: merged path is %s",
	    s);
	bgp_msg_free(&m);
	bgp_attrs_free(&a);

	/* AS_PATH 65001 23456 23456 (two-octet), AS4_PATH 4200000001 4200000002 */
	T_OK(parse_update(&AS2, "", A_ORIGIN "400208 0203 fde9 5ba0 5ba0"
	    A_NEXTHOP "c0110a 0202 fa56ea01 fa56ea02", N_ONE, &m, NULL) == 0 &&
	    strcmp(bgp_aspath_fmt(&m.u.update.attrs, '-', s, sizeof(s)),
	    "65001-4200000001-4200000002") == 0,
	    "RFC 6793 4.2.3: leading extra hops of AS_PATH go in front (%s)", s);
	bgp_msg_free(&m);
	T_OK(parse_update(&AS2, "", A_ORIGIN "400204 0201 5ba0"
	    A_NEXTHOP "c0110a 0202 fa56ea01 fa56ea02", N_ONE, &m, NULL) == 0 &&
	    strcmp(bgp_aspath_fmt(&m.u.update.attrs, '-', s, sizeof(s)),
	    "23456") == 0,
	    "RFC 6793 4.2.3: AS4_PATH longer than AS_PATH is ignored (%s)", s);
	bgp_msg_free(&m);
	T_OK(parse_update(&AS2, "", A_ORIGIN "400208 0203 fde9 5ba0 5ba0"
	    A_NEXTHOP "c00706 fdea 01020304 c01106 0201 fa56ea01", N_ONE, &m,
	    NULL) == 0 && strcmp(bgp_aspath_fmt(&m.u.update.attrs, '-', s,
	    sizeof(s)), "65001-23456-23456") == 0 &&
	    m.u.update.attrs.agg_as == 65002,
	    "RFC 6793 4.2.3: AGGREGATOR other than AS_TRANS: AS4_PATH ignored");
	bgp_msg_free(&m);
	T_OK(parse_update(&AS2, "", A_ORIGIN "40020c 0201 fde9 0101 fdea 0201 5ba0"
	    A_NEXTHOP "c00706 5ba0 01020304 c01106 0201 fa56ea01"
	    "c01208 fa56ea02 05060708", N_ONE, &m, NULL) == 0 &&
	    strcmp(bgp_aspath_fmt(&m.u.update.attrs, '-', s, sizeof(s)),
	    "65001-{65002}-4200000001") == 0 &&
	    m.u.update.attrs.agg_as == 4200000002u &&
	    m.u.update.attrs.agg_id == 0x05060708 &&
	    m.u.update.treat_as_withdraw,
	    "RFC 6793 4.2.3: AGGREGATOR AS_TRANS takes AS4_AGGREGATOR; an AS_SET "
	    "counts one (%s), and makes the NLRI withdrawn (RFC 9774 3)", s);
	bgp_msg_free(&m);
	expect_discard("RFC 6793 6: malformed AS4_PATH (segment type 5)", &AS2,
	    A_GOOD2 "c01106 0501 fa56ea01", 1);
	expect_discard("RFC 6793 6: AS4_AGGREGATOR of 6 bytes", &AS2,
	    A_GOOD2 "c01206 fa56ea0201 02", 1);
	expect_discard("RFC 6793 4.1: AS4_PATH between four-octet speakers",
	    &AS4, A_GOOD "c01106 0201 fa56ea01", 1);
	T_OK(parse_update(&AS2, "", A_GOOD2 "c00706 fdea 01020304", N_ONE, &m,
	    NULL) == 0 && m.u.update.attrs.agg_as == 65002 &&
	    m.u.update.attrs.agg_id == 0x01020304,
	    "RFC 4271 5.1.7: six-byte AGGREGATOR on a two-octet session");
	bgp_msg_free(&m);
}

/* ---- communities and unknown attributes --------------------------------------------------- */

static void
test_unknown(void)
{
	uint8_t b[BGP_MAX_LEN];
	struct bgp_msg m, m2;
	struct bgp_notify err;
	struct wbuf w;
	struct pfx4 one = p24(1);
	size_t wdn, nn;
	int rc;

	rc = parse_update(&AS4, "", A_GOOD "c06303 aabbcc 806402 0102", N_ONE,
	    &m, &err);
	T_OK(rc == 0 && m.u.update.attrs.other_len == 6 &&
	    memcmp(m.u.update.attrs.other, "\xe0\x63\x03\xaa\xbb\xcc", 6) == 0,
	    "RFC 4271 5: unknown optional transitive kept with Partial set");
	T_OK(rc == 0 && !m.u.update.treat_as_withdraw &&
	    m.u.update.discarded == 0,
	    "RFC 4271 5: unknown optional non-transitive dropped quietly");
	wbuf_init(&w, b, sizeof(b));
	T_OK(rc == 0 && bgp_build_update(&AS4, &w, NULL, 0, &wdn,
	    &m.u.update.attrs, &one, 1, &nn) == 0 &&
	    memmem(b, w.len, "\xe0\x63\x03\xaa\xbb\xcc", 6) != NULL &&
	    memmem(b, w.len, "\x80\x64", 2) == NULL,
	    "RFC 4271 5: passed on with Partial set, non-transitive not");
	T_OK(reparse(&AS4, &w, &m2) == 0 &&
	    bgp_attrs_equal(&m.u.update.attrs, &m2.u.update.attrs),
	    "RFC 4271 5: passed-on attributes parse back the same");
	bgp_msg_free(&m2);
	bgp_msg_free(&m);

	rc = parse_update(&AS4, "", A_GOOD "c06403 aabbcc d06300020102", N_ONE,
	    &m, &err);
	T_OK(rc == 0 && m.u.update.attrs.other_len == 11 &&
	    memcmp(m.u.update.attrs.other,
	    "\xe0\x63\x02\x01\x02\xe0\x64\x03\xaa\xbb\xcc", 11) == 0,
	    "RFC 4271 5: unknown attributes kept by ascending type, Extended "
	    "Length only when needed");
	bgp_msg_free(&m);

	rc = parse_update(&AS4, "", A_GOOD "406302 0102", N_ONE, &m, &err);
	T_OK(rc == -1 && err.code == BGP_ERR_UPDATE &&
	    err.subcode == BGP_UPD_WELLKNOWN && err.datalen == 5 &&
	    memcmp(err.data, "\x40\x63\x02\x01\x02", 5) == 0,
	    "RFC 4271 6.3: unrecognised well-known attribute -> reset 3/2, data "
	    "= the attribute");
	rc = parse_update(&AS4, "", A_GOOD "c0080c 0000fde9 ffffff01 ffffff02",
	    N_ONE, &m, &err);
	T_OK(rc == 0 && m.u.update.attrs.ncomm == 3 &&
	    bgp_attrs_has_comm(&m.u.update.attrs, BGP_COMM_NO_ADVERTISE) &&
	    m.u.update.attrs.comm[0] == 65001,
	    "RFC 1997: three communities parsed in order");
	bgp_msg_free(&m);
	rc = parse_update(&AS4, "", A_GOOD "c0200c 0000fde9 00000001 00000002",
	    N_ONE, &m, &err);
	T_OK(rc == 0 && m.u.update.attrs.nlcomm == 1 &&
	    m.u.update.attrs.lcomm[0] == 65001 &&
	    m.u.update.attrs.lcomm[2] == 2, "RFC 8092 3: one large community");
	bgp_msg_free(&m);
}

/* ---- RFC 7606 outcomes ---------------------------------------------------------------------- */

static void
test_7606_withdraw(void)
{
	expect_withdraw("RFC 7606 7.1: ORIGIN value 3", &AS4,
	    "400101 03" A_ASPATH A_NEXTHOP, N_ONE);
	expect_withdraw("RFC 7606 7.1: ORIGIN length 2", &AS4,
	    "400102 0000" A_ASPATH A_NEXTHOP, N_ONE);
	expect_withdraw("RFC 7606 3.c: ORIGIN with the Optional bit", &AS4,
	    "c00101 00" A_ASPATH A_NEXTHOP, N_ONE);
	expect_withdraw("RFC 7606 7.2: AS_PATH segment type 3 (confed)", &AS4,
	    A_ORIGIN "400206 0301 0000fde9" A_NEXTHOP, N_ONE);
	expect_withdraw("RFC 7606 7.2: AS_PATH segment count 0", &AS4,
	    A_ORIGIN "400206 0200 0000fde9" A_NEXTHOP, N_ONE);
	expect_withdraw("RFC 7606 7.2: AS_PATH segment overruns", &AS4,
	    A_ORIGIN "400206 0202 0000fde9" A_NEXTHOP, N_ONE);
	expect_withdraw("RFC 7606 7.2: AS_PATH one byte left after a segment",
	    &AS4, A_ORIGIN "400207 0201 0000fde9 02" A_NEXTHOP, N_ONE);
	expect_withdraw("RFC 7606 7.2: two-octet AS_PATH odd length", &AS2,
	    A_ORIGIN "400205 0201 fde9 00" A_NEXTHOP, N_ONE);
	expect_withdraw("RFC 7606 7.3: NEXT_HOP length 5", &AS4,
	    A_ORIGIN A_ASPATH "400305 0a00000100", N_ONE);
	expect_withdraw("RFC 7606 7.3 / RFC 4271 6.3: NEXT_HOP 0.0.0.0", &AS4,
	    A_ORIGIN A_ASPATH "400304 00000000", N_ONE);
	expect_withdraw("RFC 7606 7.3 / RFC 4271 6.3: NEXT_HOP 255.255.255.255",
	    &AS4, A_ORIGIN A_ASPATH "400304 ffffffff", N_ONE);
	expect_withdraw("RFC 7606 7.3 / RFC 4271 6.3: NEXT_HOP 224.0.0.5",
	    &AS4, A_ORIGIN A_ASPATH "400304 e0000005", N_ONE);
	expect_withdraw("U-14, RFC 7606 7.3 / RFC 4271 6.3: NEXT_HOP 240.0.0.1 "
	    "(class E)", &AS4, A_ORIGIN A_ASPATH "400304 f0000001", N_ONE);
	expect_withdraw("U-14, RFC 7606 7.3 / RFC 4271 6.3: NEXT_HOP "
	    "254.255.255.255 (class E)", &AS4, A_ORIGIN A_ASPATH "400304 feffffff",
	    N_ONE);
	expect_withdraw("U-15, RFC 9774 3: AS_SET after a sequence", &AS4,
	    A_ORIGIN "40020e 0201 0000fde9 0102 00000001 00000002" A_NEXTHOP,
	    N_ONE);
	expect_withdraw("U-15, RFC 9774 3: AS_SET in AS4_PATH on a two-octet "
	    "session", &AS2, A_GOOD2 "c0110a 0201 0000fde9 0101 fa56ea01", N_ONE);
	expect_withdraw("U-15, RFC 9774 3 before RFC 6793 6: AS4_PATH with an "
	    "AS_CONFED_SET", &AS2, A_GOOD2 "c0110a 0201 0000fde9 0401 fa56ea01",
	    N_ONE);
	expect_withdraw("RFC 7606 7.4: MED length 3", &AS4,
	    A_GOOD "800403 000001", N_ONE);
	expect_withdraw("RFC 7606 7.5: LOCAL_PREF length 2", &AS4,
	    A_GOOD "400502 0064", N_ONE);
	expect_withdraw("RFC 7606 7.8: COMMUNITIES length 5", &AS4,
	    A_GOOD "c00805 0000fde9 01", N_ONE);
	expect_withdraw("RFC 7606 7.8: COMMUNITIES length 0", &AS4,
	    A_GOOD "c00800", N_ONE);
	expect_withdraw("RFC 8092 6: LARGE_COMMUNITIES length 13", &AS4,
	    A_GOOD "c0200d 0000fde9 00000001 00000002 00", N_ONE);
	expect_withdraw("RFC 7606 3.d: ORIGIN missing", &AS4,
	    A_ASPATH A_NEXTHOP, N_ONE);
	expect_withdraw("RFC 7606 3.d: AS_PATH missing", &AS4,
	    A_ORIGIN A_NEXTHOP, N_ONE);
	expect_withdraw("RFC 7606 3.d: NEXT_HOP missing with IPv4 NLRI", &AS4,
	    A_ORIGIN A_ASPATH, N_ONE);
	expect_withdraw("RFC 7606 4: last attribute runs past the list", &AS4,
	    A_GOOD "c00808 0000fde9", N_ONE);
	expect_withdraw("RFC 7606 4: two bytes left, less than a header", &AS4,
	    A_GOOD "c008", N_ONE);
	expect_withdraw("RFC 7606 4: Extended Length header cut short", &AS4,
	    A_GOOD "d00800", N_ONE);
}

static void
test_7606_more(void)
{
	struct bgp_msg m;
	struct bgp_notify err;
	int rc;

	rc = parse_update(&AS4, "", A_GOOD "c00808 0000fde9", "100a01 100a02",
	    &m, &err);
	T_OK(rc == 0 && m.u.update.treat_as_withdraw &&
	    m.u.update.nnlri == 2 && m.u.update.nlri[1].addr == 0x0a020000,
	    "RFC 7606 4: NLRI still found through Total Path Attribute Length");
	bgp_msg_free(&m);
	rc = parse_update(&AS4, "", A_ORIGIN A_ASPATH "400304 00000000", "",
	    &m, &err);
	T_OK(rc == 0 && !m.u.update.treat_as_withdraw,
	    "RFC 4271 6.3: NEXT_HOP semantic check needs NLRI to act on");
	bgp_msg_free(&m);
	rc = parse_update(&AS4, "180a0101", A_ORIGIN, "", &m, &err);
	T_OK(rc == 0 && !m.u.update.treat_as_withdraw &&
	    m.u.update.nwithdrawn == 1,
	    "RFC 7606 3.d: withdrawals need no mandatory attributes");
	bgp_msg_free(&m);

	expect_discard("RFC 7606 7.6: ATOMIC_AGGREGATE length 1", &AS4,
	    A_GOOD "400601 00", 1);
	expect_discard("RFC 7606 7.7: AGGREGATOR length 7 (four-octet)", &AS4,
	    A_GOOD "c00707 0000fde9 010203", 1);
	expect_discard("RFC 7606 7.7: AGGREGATOR length 8 on a two-octet "
	    "session", &AS2, A_GOOD2 "c00708 0000fde9 01020304", 1);
	rc = parse_update(&AS4, "", A_GOOD "400101 02", N_ONE, &m, &err);
	T_OK(rc == 0 && !m.u.update.treat_as_withdraw &&
	    m.u.update.discarded == 1 && m.u.update.attrs.origin == 0,
	    "RFC 7606 3.g: second ORIGIN discarded, the first kept");
	bgp_msg_free(&m);
	rc = parse_update(&AS4, "", A_GOOD "400101 07", N_ONE, &m, &err);
	T_OK(rc == 0 && !m.u.update.treat_as_withdraw,
	    "RFC 7606 3.g: a malformed repeat is discarded unread");
	bgp_msg_free(&m);
	rc = parse_update(&AS4, "", A_GOOD "400601 00 800403 000001", N_ONE, &m,
	    &err);
	T_OK(rc == 0 && m.u.update.treat_as_withdraw,
	    "RFC 7606 3.h: discard and treat-as-withdraw: the stronger wins");
	bgp_msg_free(&m);

	expect_reset("RFC 7606 3.g: MP_UNREACH_NLRI twice", &AS4, "",
	    A_GOOD "800f03 000101 800f03 000101", N_ONE, BGP_ERR_UPDATE,
	    BGP_UPD_ATTRLIST);
	expect_reset("RFC 7606 7.11: MP_REACH_NLRI shorter than 5", &AS4, "",
	    A_GOOD "800e03 000201", N_ONE, BGP_ERR_UPDATE, BGP_UPD_LENGTH);
	expect_reset("RFC 7606 5.3: MP_REACH_NLRI with Transitive set", &AS4,
	    "", A_GOOD "c00e1a 0002 01 10 20010db8000000000000000000000001 00"
	    "20 20010db8", "", BGP_ERR_UPDATE, BGP_UPD_FLAGS);
	expect_reset("RFC 7606 5.3 / RFC 4760 7: IPv6 next hop of 5 bytes",
	    &AS4, "", A_ORIGIN A_ASPATH "800e0c 0002 01 05 2001db8000 00 00"
	    "00", "", BGP_ERR_UPDATE, BGP_UPD_OPTATTR);
	expect_reset("RFC 7606 5.3: IPv6 prefix length 129 in MP_UNREACH",
	    &AS4, "", "800f08 0002 01 81 20010db8", "", BGP_ERR_UPDATE,
	    BGP_UPD_OPTATTR);
	expect_reset("RFC 7606 5.3: IPv6 prefix cut short in MP_REACH", &AS4,
	    "", A_ORIGIN A_ASPATH "800e1a 0002 01 10 "
	    "20010db8000000000000000000000001 00 40 20010db8", "",
	    BGP_ERR_UPDATE, BGP_UPD_OPTATTR);
	expect_reset("RFC 7606 5.3: NLRI prefix length 33", &AS4, "", A_GOOD,
	    "21 0a010203 04", BGP_ERR_UPDATE, BGP_UPD_NETWORK);
	expect_reset("RFC 7606 5.3: NLRI prefix cut short", &AS4, "", A_GOOD,
	    "18 0a01", BGP_ERR_UPDATE, BGP_UPD_NETWORK);
	expect_reset("RFC 7606 5.3: withdrawn prefix length 40", &AS4,
	    "28 0a010203 04", "", "", BGP_ERR_UPDATE, BGP_UPD_NETWORK);
	expect_reset("RFC 7606 5.2: ORIGIN value 5 with no NLRI at all", &AS4,
	    "", "400101 05" A_ASPATH A_NEXTHOP, "", BGP_ERR_UPDATE,
	    BGP_UPD_ORIGIN);
	expect_reset("RFC 7606 5.2: attribute overrun with only withdrawals",
	    &AS4, "100a01", "c00808 0000fde9", "", BGP_ERR_UPDATE,
	    BGP_UPD_ATTRLIST);
	expect_reset("RFC 7606 3.h: treat-as-withdraw then an unrecognised "
	    "well-known: reset wins", &AS4, "", "400101 05" A_ASPATH A_NEXTHOP
	    "405000", N_ONE, BGP_ERR_UPDATE, BGP_UPD_WELLKNOWN);
}

/* hand-made UPDATE where the length fields disagree with the message */
static void
test_7606_lengths(void)
{
	uint8_t msg[64];
	struct bgp_msg m;
	struct bgp_notify err;
	size_t n;

	/* Total Path Attribute Length 200 in a 27-byte UPDATE */
	n = unhex(MARK "001b 02 0000 00c8 40010100", msg, sizeof(msg));
	T_OK(bgp_msg_parse(&AS4, msg, n, &m, &err) == -1 &&
	    err.code == BGP_ERR_UPDATE && err.subcode == BGP_UPD_ATTRLIST,
	    "RFC 7606 3.b: Total Path Attribute Length past the message -> "
	    "reset, Malformed Attribute List");
	/* Withdrawn Routes Length 3 leaves one byte for the attribute length */
	n = unhex(MARK "0018 02 0003 100a01", msg, sizeof(msg));
	T_OK(bgp_msg_parse(&AS4, msg, n, &m, &err) == -1 &&
	    err.code == BGP_ERR_UPDATE && err.subcode == BGP_UPD_ATTRLIST,
	    "RFC 7606 3.b: no room for Total Path Attribute Length -> reset");
}

static void
test_ipv6(void)
{
	struct bgp_msg m;
	struct bgp_notify err;
	int rc;

	rc = parse_update(&AS4, "", A_ORIGIN A_ASPATH "800e21 0002 01 10 "
	    "20010db8000000000000000000000001 00 20 20010db8 30 20010db80001",
	    "", &m, &err);
	T_OK(rc == 0 && m.u.update.ipv6_reach == 2 && m.u.update.nnlri == 0 &&
	    !m.u.update.treat_as_withdraw && !m.u.update.eor,
	    "RFC 4760 3: IPv6 MP_REACH_NLRI parsed, 2 prefixes counted, none kept");
	bgp_msg_free(&m);
	rc = parse_update(&AS4, "", "800f09 0002 01 20 20010db8 00", "", &m,
	    &err);
	T_OK(rc == 0 && m.u.update.ipv6_reach == 2 && m.u.update.nwithdrawn == 0,
	    "RFC 4760 4: IPv6 MP_UNREACH_NLRI counted (::/0 included)");
	bgp_msg_free(&m);
	rc = parse_update(&AS4, "", A_ORIGIN A_ASPATH
	    "800e0d 0001 01 04 0a000009 00 18 0a0909", "", &m, &err);
	T_OK(rc == 0 && m.u.update.nnlri == 1 &&
	    m.u.update.nlri[0].addr == 0x0a090900 &&
	    m.u.update.attrs.nexthop == 0x0a000009 &&
	    !m.u.update.treat_as_withdraw,
	    "RFC 4760 3: IPv4 unicast in MP_REACH_NLRI joins the NLRI with its "
	    "next hop");
	bgp_msg_free(&m);
	rc = parse_update(&AS4, "", "800e0c 0001 80 04 0a000009 00 000000",
	    "", &m, &err);
	T_OK(rc == 0 && m.u.update.nnlri == 0,
	    "RFC 4760 3: a family never negotiated (SAFI 128) is skipped");
	bgp_msg_free(&m);
	rc = parse_update(&AS4, "", "", "", &m, &err);
	T_OK(rc == 0 && m.u.update.eor, "RFC 4724 2: empty UPDATE is End-of-RIB");
	bgp_msg_free(&m);
}

/* ---- AS_PATH helpers and text ---------------------------------------------------------- */

static void
test_aspath(void)
{
	static const uint32_t two[] = { 65001, 65001 };
	struct bgp_attrs a;
	struct bgp_msg m;
	char s[64], tiny[6];
	unsigned i;
	bool ok = true;

	bgp_attrs_init(&a);
	T_OK(bgp_aspath_hops(&a) == 0 && bgp_aspath_first(&a) == 0 &&
	    strcmp(bgp_aspath_fmt(&a, '-', s, sizeof(s)), "") == 0,
	    "RFC 4271 5.1.2: empty path: 0 hops, no first AS, empty text");
	bgp_aspath_set(&a, two, 2);
	T_OK(strcmp(bgp_aspath_fmt(&a, '-', s, sizeof(s)), "65001-65001") == 0,
	    "CLI-02: asPath joined by '-' is %s", s);
	T_OK(strcmp(bgp_aspath_fmt(&a, ' ', s, sizeof(s)), "65001 65001") == 0,
	    "RFC 4271 5.1.2: joined by ' ' is %s", s);
	T_OK(a.present & BGP_ATTR_BIT(BGP_ATTR_AS_PATH) && a.aspath_len == 10,
	    "RFC 6793 3: one AS_SEQUENCE in four-octet form");
	bgp_aspath_prepend(&a, 65515, 2);
	T_OK(strcmp(bgp_aspath_fmt(&a, '-', s, sizeof(s)),
	    "65515-65515-65001-65001") == 0 && a.aspath_len == 18 &&
	    bgp_aspath_first(&a) == 65515 && bgp_aspath_hops(&a) == 4,
	    "RFC 4271 5.1.2: prepend twice joins the first sequence (%s)", s);
	T_OK(bgp_aspath_contains(&a, 65001) && !bgp_aspath_contains(&a, 65002),
	    "RS-20: contains 65001, not 65002");
	bgp_aspath_prepend(&a, 1, 300);
	T_OK(bgp_aspath_hops(&a) == 304 && bgp_aspath_first(&a) == 1,
	    "RFC 4271 4.3: 300 prepends split into segments of at most 255 "
	    "(%u hops)", bgp_aspath_hops(&a));
	T_OK(strcmp(bgp_aspath_fmt(&a, '-', tiny, sizeof(tiny)), "1-1-1") == 0,
	    "RFC 4271 5.1.2: AS_PATH text truncates safely (%s)", tiny);
	bgp_attrs_free(&a);

	T_OK(parse_update(&AS4, "", A_ORIGIN "400216 0201 0000fde9 0102 00000001"
	    "00000002 0201 0000fdea" A_NEXTHOP, N_ONE, &m, NULL) == 0 &&
	    m.u.update.treat_as_withdraw, "RFC 4271 4.3: path with an AS_SET "
	    "parses; RFC 9774 3 (U-15): its NLRI are treated as withdrawn");
	T_OK(strcmp(bgp_aspath_fmt(&m.u.update.attrs, '-', s, sizeof(s)),
	    "65001-{1,2}-65002") == 0 && bgp_aspath_hops(&m.u.update.attrs) == 3,
	    "RFC 4271 9.1.2.2: AS_SET printed {1,2} and counted once (%s)", s);
	bgp_attrs_copy(&a, &m.u.update.attrs);
	T_OK(bgp_attrs_equal(&a, &m.u.update.attrs) && a.aspath !=
	    m.u.update.attrs.aspath, "RFC 4271 5: attribute copy is deep and equal");
	a.med = 7;
	T_OK(bgp_attrs_equal(&a, &m.u.update.attrs),
	    "RFC 4271 5.1.4: equality ignores the value of an absent MED");
	a.present |= BGP_ATTR_BIT(BGP_ATTR_MED);
	T_OK(!bgp_attrs_equal(&a, &m.u.update.attrs),
	    "RFC 4271 5.1.4: equality sees an added MED");
	bgp_attrs_free(&a);
	bgp_msg_free(&m);
	bgp_msg_free(&m);	/* twice is harmless */

	bgp_attrs_init(&a);
	for (i = 0; i < 600; i++)
		bgp_aspath_prepend(&a, 64512 + i, 1);
	ok = bgp_aspath_hops(&a) == 600 && bgp_aspath_first(&a) == 64512 + 599;
	T_OK(ok, "RFC 4271 4.3: 600 single prepends keep every hop");
	bgp_attrs_free(&a);
}

static void
test_text(void)
{
	char s[96];

	T_OK(strcmp(bgp_err_str(BGP_ERR_UPDATE, BGP_UPD_ASPATH, s, sizeof(s)),
	    "UPDATE Message Error / Malformed AS_PATH") == 0,
	    "RFC 4271 4.5: %s", s);
	T_OK(strcmp(bgp_err_str(BGP_ERR_CEASE, BGP_CEASE_MAXPFX, s, sizeof(s)),
	    "Cease / Maximum Number of Prefixes Reached") == 0,
	    "RFC 4486 4: %s", s);
	T_OK(strcmp(bgp_err_str(BGP_ERR_HOLD, 0, s, sizeof(s)),
	    "Hold Timer Expired") == 0, "RFC 4271 4.5: %s", s);
	T_OK(strcmp(bgp_err_str(BGP_ERR_HEADER, BGP_HDR_LEN_BAD, s, sizeof(s)),
	    "Message Header Error / Bad Message Length") == 0,
	    "RFC 4271 4.5: %s", s);
	T_OK(strcmp(bgp_err_str(99, 1, s, sizeof(s)),
	    "error code 99 / subcode 1") == 0, "RFC 4271 4.5: unknown code: %s", s);
	T_OK(strcmp(bgp_type_str(BGP_ROUTE_REFRESH), "ROUTE-REFRESH") == 0 &&
	    strcmp(bgp_type_str(9), "UNKNOWN") == 0,
	    "RFC 4271 4.1: type names");
}

/* U-11, U-12, U-13: what bgp_update_check_peer() refuses, and what not. */
static void
test_check_peer(void)
{
	struct bgp_attrs a;
	uint32_t p[2] = { 65001, 65010 };
	const uint32_t self = 0x0a000004;	/* 10.0.0.4 */

	bgp_attrs_init(&a);
	a.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) |
	    BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
	a.nexthop = 0x0a000001;
	bgp_aspath_set(&a, p, 0);
	T_OK(bgp_update_check_peer(&a, 65515, 65001, self, true) != NULL,
	    "U-11, RFC 4271 6.3: empty AS_PATH from an eBGP peer is refused");
	T_OK(bgp_update_check_peer(&a, 65515, 65515, self, true) == NULL,
	    "U-11: an empty AS_PATH from an iBGP peer (a gateway, RS-50) is "
	    "taken");
	bgp_aspath_set(&a, p, 2);
	T_OK(bgp_update_check_peer(&a, 65515, 65001, self, true) == NULL,
	    "RFC 4271 6.3: a path that begins with the peer's AS is taken");
	T_OK(bgp_update_check_peer(&a, 65515, 65010, self, true) != NULL,
	    "U-12, RFC 4271 6.3: a path that does not begin with the peer's AS "
	    "is refused");
	p[0] = BGP_AS_TRANS;
	bgp_aspath_set(&a, p, 2);
	T_OK(bgp_update_check_peer(&a, 65515, 4200000001u, self, false) == NULL,
	    "U-12, RFC 6793 4.2.3: on a two-octet session AS_TRANS stands for a "
	    "four-octet peer");
	T_OK(bgp_update_check_peer(&a, 65515, 4200000001u, self, true) != NULL,
	    "U-12: but not on a four-octet one");
	p[0] = 65001;
	bgp_aspath_set(&a, p, 2);
	a.nexthop = self;
	T_OK(bgp_update_check_peer(&a, 65515, 65001, self, true) != NULL &&
	    bgp_update_check_peer(&a, 65515, 65515, self, true) != NULL,
	    "U-13, RFC 4271 6.3: NEXT_HOP equal to our own address is ignored, "
	    "from eBGP and iBGP peers alike");
	bgp_attrs_free(&a);
}

int
main(void)
{
	test_check_peer();
	test_small_messages();
	test_open_roundtrip();
	test_open_parse();
	test_header();
	test_update_roundtrip(&AS4, "four-octet");
	test_update_roundtrip(&AS2, "two-octet");
	test_withdraw_roundtrip();
	test_update_split();
	test_wire_order();
	test_as4();
	test_unknown();
	test_7606_withdraw();
	test_7606_more();
	test_7606_lengths();
	test_ipv6();
	test_aspath();
	test_text();
	return t_done();
}
