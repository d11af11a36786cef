/*
 * fuzz_msg: libFuzzer target for the BGP codec. Frames the input as a byte
 * stream, parses every whole message with both codec widths, and rebuilds
 * what parsed cleanly: the rebuilt messages must parse again, to the same
 * thing. Any crash, sanitizer report or abort() is a finding; each one
 * becomes a vector in test/wire/.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../bgp/msg.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(bool cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "fuzz_msg: %s\n", what);
		abort();
	}
}

static void
rebuild_update(const struct bgp_codec *c, const struct bgp_update *u)
{
	uint8_t b[BGP_MAX_LEN];
	struct bgp_notify err;
	struct bgp_msg m;
	struct wbuf w;
	size_t wd = 0, nl = 0, wdn, nn;
	int rounds = 0;

	while (wd < u->nwithdrawn || nl < u->nnlri) {
		wbuf_init(&w, b, sizeof(b));
		/* no arithmetic on a NULL array: that alone is undefined */
		if (bgp_build_update(c, &w, wd < u->nwithdrawn ?
		    u->withdrawn + wd : NULL, u->nwithdrawn - wd, &wdn,
		    &u->attrs, nl < u->nnlri ? u->nlri + nl : NULL,
		    u->nnlri - nl, &nn) == -1)
			return;		/* attributes too big for one message */
		check(w.len <= BGP_MAX_LEN, "built UPDATE over 4096 bytes");
		check(bgp_msg_frame(b, w.len, &err) == (ssize_t)w.len,
		    "built UPDATE does not frame");
		check(bgp_msg_parse(c, b, w.len, &m, &err) == 0,
		    "built UPDATE does not parse");
		check(!m.u.update.treat_as_withdraw &&
		    m.u.update.discarded == 0, "built UPDATE has errors");
		check(m.u.update.nwithdrawn == wdn && m.u.update.nnlri == nn,
		    "built UPDATE lost prefixes");
		if (nn > 0)
			check(bgp_attrs_equal(&m.u.update.attrs, &u->attrs),
			    "built UPDATE changed the attributes");
		bgp_msg_free(&m);
		wd += wdn;
		nl += nn;
		check(++rounds < 10000, "bgp_build_update makes no progress");
	}
}

static void
rebuild(const struct bgp_codec *c, const struct bgp_msg *m)
{
	uint8_t b[BGP_MAX_LEN];
	struct bgp_notify err;
	struct bgp_msg m2;
	struct wbuf w;

	wbuf_init(&w, b, sizeof(b));
	switch (m->type) {
	case BGP_UPDATE:
		/* a clean UPDATE only: treat-as-withdraw may leave attrs partial */
		if (!m->u.update.treat_as_withdraw &&
		    !(m->u.update.nnlri > 0 && (m->u.update.attrs.present &
		    BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP)) == 0))
			rebuild_update(c, &m->u.update);
		return;
	case BGP_OPEN:
		check(bgp_build_open(&w, &m->u.open) == 0, "OPEN does not build");
		break;
	case BGP_NOTIFICATION:
		check(bgp_build_notification(&w, &m->u.notify) == 0,
		    "NOTIFICATION does not build");
		break;
	case BGP_ROUTE_REFRESH:
		check(bgp_build_route_refresh(&w, m->u.rr.afi, m->u.rr.safi) == 0,
		    "ROUTE-REFRESH does not build");
		break;
	default:
		check(bgp_build_keepalive(&w) == 0, "KEEPALIVE does not build");
		break;
	}
	check(bgp_msg_parse(c, b, w.len, &m2, &err) == 0 && m2.type == m->type,
	    "rebuilt message does not parse");
	bgp_msg_free(&m2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct bgp_codec codecs[] = { { .as4 = true },
	    { .as4 = false } };
	struct bgp_notify err;
	struct bgp_msg m;
	size_t off = 0, i;
	ssize_t n;
	char s[128];

	while (off < size) {
		n = bgp_msg_frame(data + off, size - off, &err);
		if (n <= 0) {
			if (n == -1)
				bgp_err_str(err.code, err.subcode, s, sizeof(s));
			break;
		}
		for (i = 0; i < 2; i++) {
			if (bgp_msg_parse(&codecs[i], data + off, (size_t)n, &m,
			    &err) == -1) {
				bgp_err_str(err.code, err.subcode, s, sizeof(s));
				continue;
			}
			if (m.type == BGP_UPDATE)
				bgp_aspath_fmt(&m.u.update.attrs, '-', s,
				    sizeof(s));
			rebuild(&codecs[i], &m);
			bgp_msg_free(&m);
		}
		off += (size_t)n;
	}
	/* the whole input as one message, whatever its length field says */
	if (bgp_msg_parse(&codecs[0], data, size, &m, &err) == 0)
		bgp_msg_free(&m);
	return 0;
}
