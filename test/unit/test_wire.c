/*
 * test_wire: runs every hex vector in test/wire/ (format in
 * test/wire/README.md) through bgp_msg_frame() and bgp_msg_parse(), checks
 * the expected outcome, and rebuilds what parsed cleanly to check that it
 * parses back the same. Fails when the directory holds no vectors.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../bgp/msg.h"
#include "../../lib/util.h"
#include "t.h"

#define WIRE_DIR	"test/wire/"
/*
 * The session bgp_update_check_peer() judges an UPDATE in (README.md,
 * expect-peer): the injector's (test_inject.c), an eBGP peer of AS 65001 at
 * the route server 127.0.0.2, AS 65515.
 */
#define PEER_AS		65001
#define LOCAL_AS	65515
#define LOCAL_ADDR	0x7f000002u
#define VEC_MAX		8192
#define LINE_MAX_LEN	(VEC_MAX * 2 + 64)

struct vec {
	char		 desc[256];
	bool		 as2;
	uint8_t		 in[VEC_MAX];
	size_t		 len;
	char		 expect[512];
	char		 expect_peer[16];	/* "", ok, withdraw */
};

static char why[512];

static bool
fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static bool
fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return false;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Append hex digits (spaces allowed) to out; -1 on a bad digit or overflow. */
static int
unhex(const char *s, uint8_t *out, size_t cap, size_t *len)
{
	int hi, lo;

	for (; *s != '\0' && *s != '\n'; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\r')
			continue;
		if ((hi = hexval(s[0])) == -1 || (lo = hexval(s[1])) == -1 ||
		    *len >= cap)
			return -1;
		out[(*len)++] = (uint8_t)(hi << 4 | lo);
		s++;
	}
	return 0;
}

static void
scopy(char *d, size_t n, const char *s)
{
	size_t l = strlen(s);

	if (l >= n)
		l = n - 1;
	memcpy(d, s, l);
	d[l] = '\0';
}

static void
chomp(char *s)
{
	s[strcspn(s, "\r\n")] = '\0';
}

static int
vec_load(const char *path, struct vec *v)
{
	static char line[LINE_MAX_LEN];
	FILE *f;
	int n = 0, rc = 0;

	memset(v, 0, sizeof(*v));
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		chomp(line);
		if (n++ == 0) {
			if (strncmp(line, "# ", 2) != 0)
				rc = -1;
			scopy(v->desc, sizeof(v->desc), line + 2);
		} else if (line[0] == '#' || line[0] == '\0')
			continue;
		else if (strncmp(line, "codec: ", 7) == 0)
			v->as2 = strcmp(line + 7, "as2") == 0;
		else if (strncmp(line, "in: ", 4) == 0) {
			if (unhex(line + 4, v->in, sizeof(v->in), &v->len) == -1)
				rc = -1;
		} else if (strncmp(line, "expect: ", 8) == 0)
			scopy(v->expect, sizeof(v->expect), line + 8);
		else if (strncmp(line, "expect-peer: ", 13) == 0) {
			scopy(v->expect_peer, sizeof(v->expect_peer), line + 13);
			if (strcmp(v->expect_peer, "ok") != 0 &&
			    strcmp(v->expect_peer, "withdraw") != 0)
				rc = -1;
		} else
			rc = -1;
	}
	fclose(f);
	if (v->len == 0 || v->expect[0] == '\0')
		rc = -1;
	return rc;
}

/* ---- key=value checks ------------------------------------------------------- */

static bool
num_is(const char *key, const char *val, unsigned long got)
{
	char *end;
	unsigned long want = strtoul(val, &end, 0);

	if (*end != '\0')
		return fail("%s: bad number '%s'", key, val);
	if (want != got)
		return fail("%s: want %lu, got %lu", key, want, got);
	return true;
}

static bool
addr_is(const char *key, const char *val, uint32_t got)
{
	uint32_t want;
	char a[ADDR_STRLEN];

	if (addr_parse(val, &want) == -1)
		return fail("%s: bad address '%s'", key, val);
	if (want != got)
		return fail("%s: want %s, got %s", key, val, addr_fmt(got, a));
	return true;
}

static bool
check_update(const struct bgp_update *u, const char *k, const char *v)
{
	const struct bgp_attrs *a = &u->attrs;
	char s[256];

	if (strcmp(k, "nlri") == 0)
		return num_is(k, v, u->nnlri);
	if (strcmp(k, "withdrawn") == 0)
		return num_is(k, v, u->nwithdrawn);
	if (strcmp(k, "eor") == 0)
		return num_is(k, v, u->eor);
	if (strcmp(k, "discarded") == 0)
		return num_is(k, v, u->discarded);
	if (strcmp(k, "ipv6") == 0)
		return num_is(k, v, u->ipv6_reach);
	if (strcmp(k, "origin") == 0)
		return num_is(k, v, a->origin);
	if (strcmp(k, "med") == 0)
		return num_is(k, v, a->med);
	if (strcmp(k, "localpref") == 0)
		return num_is(k, v, a->local_pref);
	if (strcmp(k, "aggas") == 0)
		return num_is(k, v, a->agg_as);
	if (strcmp(k, "comm") == 0)
		return num_is(k, v, a->ncomm);
	if (strcmp(k, "lcomm") == 0)
		return num_is(k, v, a->nlcomm);
	if (strcmp(k, "other") == 0)
		return num_is(k, v, a->other_len);
	if (strcmp(k, "nexthop") == 0)
		return addr_is(k, v, a->nexthop);
	if (strcmp(k, "aspath") == 0) {
		bgp_aspath_fmt(a, '-', s, sizeof(s));
		return strcmp(s, v) == 0 ? true :
		    fail("aspath: want %s, got %s", v, s);
	}
	return fail("unknown UPDATE key %s", k);
}

static bool
check_key(const struct bgp_msg *m, const char *k, const char *v)
{
	const struct bgp_open *o = &m->u.open;

	switch (m->type) {
	case BGP_UPDATE:
		return check_update(&m->u.update, k, v);
	case BGP_OPEN:
		if (strcmp(k, "as") == 0)
			return num_is(k, v, o->my_as);
		if (strcmp(k, "hold") == 0)
			return num_is(k, v, o->holdtime);
		if (strcmp(k, "id") == 0)
			return addr_is(k, v, o->bgp_id);
		if (strcmp(k, "as4") == 0)
			return num_is(k, v, o->cap_as4 ? o->as4 : 0);
		if (strcmp(k, "mp4") == 0)
			return num_is(k, v, o->cap_mp_ipv4);
		if (strcmp(k, "mp6") == 0)
			return num_is(k, v, o->cap_mp_ipv6);
		if (strcmp(k, "rr") == 0)
			return num_is(k, v, o->cap_rr);
		if (strcmp(k, "caps") == 0)
			return num_is(k, v, o->cap_any);
		break;
	case BGP_NOTIFICATION:
		if (strcmp(k, "code") == 0)
			return num_is(k, v, m->u.notify.code);
		if (strcmp(k, "subcode") == 0)
			return num_is(k, v, m->u.notify.subcode);
		if (strcmp(k, "datalen") == 0)
			return num_is(k, v, m->u.notify.datalen);
		break;
	case BGP_ROUTE_REFRESH:
		if (strcmp(k, "afi") == 0)
			return num_is(k, v, m->u.rr.afi);
		if (strcmp(k, "safi") == 0)
			return num_is(k, v, m->u.rr.safi);
		break;
	default:
		break;
	}
	return fail("unknown %s key %s", bgp_type_str(m->type), k);
}

/* Every "key=value" word from *rest on. */
static bool
check_keys(const struct bgp_msg *m, char *rest)
{
	char *w, *eq, *save = NULL;

	for (w = strtok_r(rest, " ", &save); w != NULL;
	    w = strtok_r(NULL, " ", &save)) {
		if ((eq = strchr(w, '=')) == NULL)
			return fail("expect: '%s' is not key=value", w);
		*eq = '\0';
		if (!check_key(m, w, eq + 1))
			return false;
	}
	return true;
}

/* ---- rebuild what parsed ----------------------------------------------------- */

static bool
rebuild_update(const struct bgp_codec *c, const struct bgp_update *u)
{
	uint8_t b[BGP_MAX_LEN];
	struct wbuf w;
	struct bgp_msg m2;
	struct bgp_notify err;
	size_t wdn, nn, i, doneu = 0, donew = 0;
	bool ok = true;

	while (ok && (donew < u->nwithdrawn || doneu < u->nnlri)) {
		wbuf_init(&w, b, sizeof(b));
		if (bgp_build_update(c, &w, donew < u->nwithdrawn ?
		    u->withdrawn + donew : NULL, u->nwithdrawn - donew, &wdn,
		    &u->attrs, doneu < u->nnlri ? u->nlri + doneu : NULL,
		    u->nnlri - doneu, &nn) == -1)
			return fail("rebuild: nothing fit");
		if (bgp_msg_parse(c, b, w.len, &m2, &err) == -1)
			return fail("rebuild: parse gave %u/%u", err.code,
			    err.subcode);
		for (i = 0; i < m2.u.update.nwithdrawn; i++)
			ok &= pfx_equal(&m2.u.update.withdrawn[i],
			    &u->withdrawn[donew + i]);
		for (i = 0; i < m2.u.update.nnlri; i++)
			ok &= pfx_equal(&m2.u.update.nlri[i], &u->nlri[doneu + i]);
		if (m2.u.update.nnlri > 0)
			ok &= bgp_attrs_equal(&m2.u.update.attrs, &u->attrs);
		ok &= !m2.u.update.treat_as_withdraw &&
		    m2.u.update.discarded == 0;
		donew += m2.u.update.nwithdrawn;
		doneu += m2.u.update.nnlri;
		bgp_msg_free(&m2);
		if (wdn + nn == 0)
			break;
	}
	return ok ? true : fail("rebuild: UPDATE does not parse back the same");
}

static bool
rebuild_open(const struct bgp_open *o)
{
	uint8_t b[BGP_MAX_LEN];
	struct wbuf w;
	struct bgp_msg m2;
	struct bgp_notify err;
	const struct bgp_open *p = &m2.u.open;
	bool ok;

	wbuf_init(&w, b, sizeof(b));
	if (bgp_build_open(&w, o) == -1 ||
	    bgp_msg_parse(&(struct bgp_codec){ 0 }, b, w.len, &m2, &err) == -1)
		return fail("rebuild: OPEN does not build or parse");
	ok = p->my_as == o->my_as && p->holdtime == o->holdtime &&
	    p->bgp_id == o->bgp_id && p->cap_as4 == o->cap_as4 &&
	    p->as4 == o->as4 && p->cap_mp_ipv4 == o->cap_mp_ipv4 &&
	    p->cap_rr == o->cap_rr;
	return ok ? true : fail("rebuild: OPEN does not parse back the same");
}

/* ---- one vector ----------------------------------------------------------------- */

static bool
notify_is(const struct bgp_notify *n, char *rest)
{
	uint8_t data[BGP_NOTIFY_DATA_MAX];
	unsigned code, sub;
	size_t dlen = 0;
	char *d;

	if (sscanf(rest, "%u %u", &code, &sub) != 2)
		return fail("expect: notify needs CODE SUBCODE");
	if (n->code != code || n->subcode != sub)
		return fail("want NOTIFICATION %u/%u, got %u/%u", code, sub,
		    n->code, n->subcode);
	if ((d = strstr(rest, "data=")) == NULL)
		return true;
	if (unhex(d + 5, data, sizeof(data), &dlen) == -1)
		return fail("expect: bad data hex");
	if (dlen != n->datalen || memcmp(data, n->data, dlen) != 0)
		return fail("NOTIFICATION data differs (%u bytes)", n->datalen);
	return true;
}

/*
 * An UPDATE the codec takes, with NLRI: what the speaker's session checks
 * say (RFC 4271 6.3). Without expect-peer it must be taken.
 */
static bool
peer_check(const struct vec *v, const struct bgp_update *u)
{
	bool want_wd = strcmp(v->expect_peer, "withdraw") == 0;
	const char *r;

	if (u->nnlri == 0)
		return v->expect_peer[0] == '\0' ? true :
		    fail("expect-peer on an UPDATE without NLRI");
	r = bgp_update_check_peer(&u->attrs, LOCAL_AS, PEER_AS, LOCAL_ADDR,
	    !v->as2);
	if (want_wd && r == NULL)
		return fail("the session check takes the routes");
	if (!want_wd && r != NULL)
		return fail("the session check refuses the routes: %s", r);
	return true;
}

static bool
vec_run(struct vec *v)
{
	struct bgp_codec c = { .as4 = !v->as2 };
	struct bgp_notify err;
	struct bgp_msg m;
	char *kind = v->expect, *rest, *type;
	ssize_t fr;
	bool ok;

	rest = kind + strcspn(kind, " ");
	if (*rest != '\0')
		*rest++ = '\0';
	fr = bgp_msg_frame(v->in, v->len, &err);
	if (strcmp(kind, "incomplete") == 0)
		return fr == 0 ? true : fail("frame gave %zd, not 0", fr);
	if (fr == -1)
		return strcmp(kind, "notify") == 0 ? notify_is(&err, rest) :
		    fail("frame refused it with %u/%u", err.code, err.subcode);
	if (fr != (ssize_t)v->len)
		return fail("frame gave %zd of %zu bytes", fr, v->len);
	if (bgp_msg_parse(&c, v->in, v->len, &m, &err) == -1)
		return strcmp(kind, "notify") == 0 ? notify_is(&err, rest) :
		    fail("parse refused it with %u/%u", err.code, err.subcode);
	if (strcmp(kind, "withdraw") == 0) {
		ok = m.type == BGP_UPDATE && m.u.update.treat_as_withdraw ?
		    check_keys(&m, rest) : fail("not treat-as-withdraw");
		if (ok && v->expect_peer[0] != '\0')
			ok = fail("expect-peer: the codec withdraws already");
	} else if (strcmp(kind, "ok") == 0) {
		type = rest;
		rest = type + strcspn(type, " ");
		if (*rest != '\0')
			*rest++ = '\0';
		ok = strcmp(type, bgp_type_str(m.type)) == 0 ? true :
		    fail("want %s, got %s", type, bgp_type_str(m.type));
		if (ok && m.type == BGP_UPDATE && m.u.update.treat_as_withdraw)
			ok = fail("unexpected treat-as-withdraw");
		ok = ok && check_keys(&m, rest);
		if (ok && m.type == BGP_UPDATE)
			ok = peer_check(v, &m.u.update);
		else if (ok && v->expect_peer[0] != '\0')
			ok = fail("expect-peer is for UPDATEs");
		if (ok && m.type == BGP_UPDATE && m.u.update.discarded == 0)
			ok = rebuild_update(&c, &m.u.update);
		if (ok && m.type == BGP_OPEN)
			ok = rebuild_open(&m.u.open);
	} else
		ok = fail("parsed as %s, expected %s", bgp_type_str(m.type),
		    kind);
	bgp_msg_free(&m);
	return ok;
}

static int
is_vec(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 4 && strcmp(d->d_name + n - 4, ".hex") == 0;
}

int
main(void)
{
	static struct vec v;
	struct dirent **list = NULL;
	char path[512];
	int i, n;
	bool ok;

	n = scandir(WIRE_DIR, &list, is_vec, alphasort);
	T_OK(n > 0, "test/wire/ holds vectors (%d)", n);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), WIRE_DIR "%s", list[i]->d_name);
		why[0] = '\0';
		if (vec_load(path, &v) == -1)
			T_OK(0, "%s: malformed vector file", list[i]->d_name);
		else {
			ok = vec_run(&v);
			T_OK(ok, "%s: %s%s%s", list[i]->d_name, v.desc,
			    why[0] ? " -- " : "", why);
		}
		free(list[i]);
	}
	free(list);
	return t_done();
}
