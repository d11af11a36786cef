/*
 * suite: parse a check suite. See suite.h and man/arsemu-check.5.
 *
 *   { "name", "description", "topology": "PATH",
 *     "assertions": [ { "name": NAME, KIND: { ... } } ] }
 *   routes: { "nic": NODE | "subnet": "VNET/SUBNET" | "subnets": [...],
 *             "prefix": P, "present", "type", "via": [IP...]
 *             | "table": [ { "prefix", "type", "via" } ]
 *             | "count": N, "digest": HEX }
 *   walk:   { "from", "to", "proto", "port", "outcome", "through",
 *             "not_through", "symmetric" }
 *   policy: { "kind": "inspect|egress|isolated", "from", "to", "through" }
 *   bgp:    { "hub", "instance", "peer", "established", "learns",
 *             "advertises" }
 *   diff:   { "base": PATH, "only_prefixes": [P...] }
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "../lib/util.h"
#include "suite.h"
#include "topo_int.h"

struct sctx {
	struct tctx	 c;
	struct suite	*s;
};

const char *
suite_kind_str(enum suite_kind k)
{
	static const char *const s[] = { "routes", "walk", "policy", "bgp",
	    "diff" };

	return k <= SUITE_DIFF ? s[k] : "?";
}

const char *
suite_policy_str(enum suite_policy p)
{
	static const char *const s[] = { "inspect", "egress", "isolated" };

	return p <= SUITE_ISOLATED ? s[p] : "?";
}

/*
 * Text that ends up on one line of TAP or in an XML attribute: no control
 * character (XML 1.0 cannot carry most of them, TAP ends a line at one).
 */
static int
text_ok(struct tctx *c, const char *path, const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return topo_fail(c, path, "holds a control character "
			    "(U+%04X): names and text are one line",
			    (unsigned)(unsigned char)s[i]);
	return 0;
}

static int
jtext(struct tctx *c, const cJSON *o, const char *path, const char *key,
    bool req, char **out)
{
	char p[TOPO_PATH_MAX];
	const char *v = NULL;
	int r;

	if ((r = topo_jstr(c, o, path, key, req, &v)) <= 0)
		return r;
	if (text_ok(c, topo_path_key(p, path, key), v) == -1)
		return -1;
	if (req && v[0] == '\0')
		return topo_fail(c, p, "must not be empty");
	*out = xstrdup(v);
	return 1;
}

/*
 * o's key as a list: 1 with *a the array and p its path, 0 if absent, -1
 * (the error made) if it is no array, empty, or longer than max.
 */
static int
list_of(struct tctx *c, const cJSON *o, const char *path, const char *key,
    size_t max, const cJSON **a, char *p)
{
	int r;

	if ((r = topo_jarr(c, o, path, key, false, a)) <= 0)
		return r;
	topo_path_key(p, path, key);
	if ((*a)->child == NULL)
		return topo_fail(c, p, "must not be empty");
	if ((size_t)cJSON_GetArraySize(*a) > max)
		return topo_fail(c, p, "has more than %zu entries", max);
	return 1;
}

static int
str_list(struct tctx *c, const cJSON *o, const char *path, const char *key,
    char ***out, size_t *n)
{
	const cJSON *a, *v;
	char p[TOPO_PATH_MAX], q[TOPO_PATH_MAX];
	size_t i = 0;
	int r;

	if ((r = list_of(c, o, path, key, SUITE_LIST_MAX, &a, p)) <= 0)
		return r;
	for (v = a->child; v != NULL; v = v->next, i++) {
		const char *s;

		topo_path_idx(q, p, i);
		if (topo_vstr(c, v, q, &s) == -1 || text_ok(c, q, s) == -1)
			return -1;
		topo_push(out, n, xstrdup(s));
	}
	return 1;
}

static int
pfx_list(struct tctx *c, const cJSON *o, const char *path, const char *key,
    struct pfx4 **out, size_t *n)
{
	const cJSON *a, *v;
	char p[TOPO_PATH_MAX], q[TOPO_PATH_MAX];
	size_t i = 0;
	int r;

	if ((r = list_of(c, o, path, key, SUITE_LIST_MAX, &a, p)) <= 0)
		return r;
	*out = xcalloc((size_t)cJSON_GetArraySize(a), sizeof(**out));
	for (v = a->child; v != NULL; v = v->next, i++)
		if (topo_vpfx(c, v, topo_path_idx(q, p, i), &(*out)[*n]) == -1)
			return -1;
		else
			(*n)++;
	return 1;
}

/* "via": next hop addresses, sorted, distinct. */
static int
addr_list(struct tctx *c, const cJSON *o, const char *path, uint32_t **out,
    size_t *n, size_t max)
{
	const cJSON *a, *v;
	char p[TOPO_PATH_MAX], q[TOPO_PATH_MAX];
	size_t i = 0, k;
	int r;

	if ((r = list_of(c, o, path, "via", max, &a, p)) <= 0)
		return r;
	*out = xcalloc((size_t)cJSON_GetArraySize(a), sizeof(**out));
	for (v = a->child; v != NULL; v = v->next, i++) {
		if (topo_vaddr(c, v, topo_path_idx(q, p, i), &(*out)[*n]) == -1)
			return -1;
		for (k = 0; k < *n; k++)
			if ((*out)[k] == (*out)[*n])
				return topo_fail(c, q, "is named twice");
		(*n)++;
	}
	qsort(*out, *n, sizeof(**out), u32_qcmp);
	return 1;
}

static int
parse_table(struct tctx *c, const cJSON *o, const char *path,
    struct suite_assert *a)
{
	static const char *const keys[] = { "prefix", "type", "via", NULL };
	const cJSON *arr, *v;
	char p[TOPO_PATH_MAX], q[TOPO_PATH_MAX], r[TOPO_PATH_MAX];
	size_t i = 0;

	if (topo_jarr(c, o, path, "table", false, &arr) == -1)
		return -1;
	topo_path_key(p, path, "table");
	if (cJSON_GetArraySize(arr) > SUITE_ROUTES_MAX)
		return topo_fail(c, p, "has more than %d routes", SUITE_ROUTES_MAX);
	a->has_table = true;
	a->table = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(*a->table));
	for (v = arr->child; v != NULL; v = v->next, i++) {
		struct suite_route *rt = &a->table[a->ntable];
		const cJSON *pv;

		topo_path_idx(q, p, i);
		if (!cJSON_IsObject(v))
			return topo_fail(c, q, "a route is an object { \"prefix\", "
			    "\"type\", \"via\" }");
		a->ntable++;
		if (topo_jfields(c, v, q, keys) == -1 ||
		    jtext(c, v, q, "type", true, &rt->type) == -1 ||
		    addr_list(c, v, q, &rt->via, &rt->nvia, 64) == -1)
			return -1;
		if ((pv = topo_jget(v, "prefix")) == NULL)
			return topo_fail(c, topo_path_key(r, q, "prefix"),
			    "required field \"prefix\" is missing");
		if (topo_vpfx(c, pv, topo_path_key(r, q, "prefix"), &rt->pfx) == -1)
			return -1;
	}
	return 0;
}

/* The assertion's default name, unless "name" gave one. */
static void
default_name(struct suite_assert *a, char *name)
{
	if (a->name == NULL)
		a->name = name;
	else
		free(name);
}

static int
parse_routes(struct tctx *c, const cJSON *o, const char *path,
    struct suite_assert *a)
{
	static const char *const keys[] = { "nic", "subnet", "subnets", "prefix",
	    "present", "type", "via", "table", "count", "digest", NULL };
	char p[TOPO_PATH_MAX], *sub = NULL, pb[PFX_STRLEN];
	const cJSON *v;
	unsigned count;
	int where = 0, what = 0, r;

	a->kind = SUITE_ROUTES;
	a->present = true;
	a->count = -1;
	if (topo_jfields(c, o, path, keys) == -1 ||
	    jtext(c, o, path, "nic", false, &a->nic) == -1 ||
	    jtext(c, o, path, "subnet", false, &sub) == -1)
		return -1;
	if (sub != NULL) {
		a->one_subnet = true;
		topo_push(&a->subnets, &a->nsubnets, sub);
	}
	if (str_list(c, o, path, "subnets", &a->subnets, &a->nsubnets) == -1 ||
	    topo_jbool(c, o, path, "present", &a->present) == -1 ||
	    jtext(c, o, path, "type", false, &a->type) == -1 ||
	    (r = addr_list(c, o, path, &a->via, &a->nvia, SUITE_LIST_MAX)) == -1 ||
	    jtext(c, o, path, "digest", false, &a->digest) == -1)
		return -1;
	a->has_via = r == 1;
	where = (a->nic != NULL) + (sub != NULL) +
	    (topo_jget(o, "subnets") != NULL);
	if (where != 1)
		return topo_fail(c, path, "routes names one of \"nic\", \"subnet\" "
		    "or \"subnets\"");
	if ((r = topo_juint(c, o, path, "count", 0, SUITE_ROUTES_MAX,
	    &count)) == -1)
		return -1;
	if (r == 1)
		a->count = count;
	if ((v = topo_jget(o, "prefix")) != NULL) {
		if (topo_vpfx(c, v, topo_path_key(p, path, "prefix"), &a->pfx) == -1)
			return -1;
		a->has_pfx = true;
		what++;
	}
	if (topo_jget(o, "table") != NULL) {
		if (parse_table(c, o, path, a) == -1)
			return -1;
		what++;
	}
	if (a->count >= 0 || a->digest != NULL)
		what++;
	if (what != 1)
		return topo_fail(c, path, "routes asserts one of \"prefix\", "
		    "\"table\", or \"count\" and \"digest\"");
	if (!a->has_pfx && (topo_jget(o, "present") || a->type || a->has_via))
		return topo_fail(c, path, "\"present\", \"type\" and \"via\" go "
		    "with \"prefix\"");
	if (!a->present && a->has_via)
		return topo_fail(c, topo_path_key(p, path, "via"), "\"via\" with "
		    "\"present\": false: say the route that must be absent by "
		    "\"type\" at most");
	if (a->digest != NULL && (strlen(a->digest) != 16 ||
	    strspn(a->digest, "0123456789abcdef") != 16))
		return topo_fail(c, topo_path_key(p, path, "digest"), "a digest "
		    "is 16 lowercase hexadecimal digits");
	default_name(a, xasprintf("routes %s %s", a->nic ? a->nic :
	    a->subnets[0], a->has_pfx ? pfx_fmt(&a->pfx, pb) : a->has_table ?
	    "table" : "count"));
	return 0;
}

static int
parse_proto(struct tctx *c, const cJSON *o, const char *path,
    struct suite_assert *a)
{
	char p[TOPO_PATH_MAX];
	const char *proto = NULL;
	int r;

	if ((r = topo_jstr(c, o, path, "proto", false, &proto)) <= 0)
		return r;
	topo_path_key(p, path, "proto");
	if (strcmp(proto, "udp") == 0)
		a->proto = SUITE_UDP;
	else if (strcmp(proto, "tcp") == 0)
		a->proto = SUITE_TCP;
	else if (strcmp(proto, "icmp") == 0)
		a->proto = SUITE_ICMP;
	else
		return topo_fail(c, p, "proto is udp, tcp or icmp");
	return 1;
}

static int
parse_walk(struct tctx *c, const cJSON *o, const char *path,
    struct suite_assert *a)
{
	static const char *const keys[] = { "from", "to", "proto", "port",
	    "outcome", "through", "not_through", "symmetric", NULL };
	char p[TOPO_PATH_MAX];

	a->kind = SUITE_WALK;
	if (topo_jfields(c, o, path, keys) == -1 ||
	    jtext(c, o, path, "from", true, &a->from) == -1 ||
	    jtext(c, o, path, "to", true, &a->to) == -1 ||
	    parse_proto(c, o, path, a) == -1 ||
	    topo_juint(c, o, path, "port", 1, TOPO_U16_MAX, &a->port) == -1 ||
	    jtext(c, o, path, "outcome", false, &a->outcome) == -1 ||
	    str_list(c, o, path, "through", &a->through, &a->nthrough) == -1 ||
	    str_list(c, o, path, "not_through", &a->avoid, &a->navoid) == -1 ||
	    topo_jbool(c, o, path, "symmetric", &a->symmetric) == -1)
		return -1;
	if (a->port != 0 && a->proto == SUITE_ICMP)
		return topo_fail(c, topo_path_key(p, path, "port"), "ICMP has no "
		    "port");
	if (a->outcome == NULL && a->nthrough + a->navoid == 0 && !a->symmetric)
		return topo_fail(c, path, "a walk asserts \"outcome\", "
		    "\"through\", \"not_through\" or \"symmetric\"");
	default_name(a, xasprintf("walk %s -> %s", a->from, a->to));
	return 0;
}

static int
parse_policy(struct tctx *c, const cJSON *o, const char *path,
    struct suite_assert *a)
{
	static const char *const keys[] = { "kind", "from", "to", "through",
	    NULL };
	char p[TOPO_PATH_MAX];
	const char *kind = NULL;

	a->kind = SUITE_POLICY;
	if (topo_jfields(c, o, path, keys) == -1 ||
	    topo_jstr(c, o, path, "kind", true, &kind) == -1 ||
	    jtext(c, o, path, "from", true, &a->from) == -1 ||
	    jtext(c, o, path, "to", false, &a->to) == -1 ||
	    str_list(c, o, path, "through", &a->through, &a->nthrough) == -1)
		return -1;
	topo_path_key(p, path, "kind");
	if (strcmp(kind, "inspect") == 0)
		a->policy = SUITE_INSPECT;
	else if (strcmp(kind, "egress") == 0)
		a->policy = SUITE_EGRESS;
	else if (strcmp(kind, "isolated") == 0)
		a->policy = SUITE_ISOLATED;
	else
		return topo_fail(c, p, "kind is inspect, egress or isolated");
	if (a->policy != SUITE_EGRESS && a->to == NULL)
		return topo_fail(c, topo_path_key(p, path, "to"), "required field "
		    "\"to\" is missing (%s)", kind);
	if (a->policy == SUITE_EGRESS && a->to != NULL)
		return topo_fail(c, topo_path_key(p, path, "to"), "egress is "
		    "always to the Internet: no \"to\"");
	if (a->policy != SUITE_ISOLATED && a->nthrough == 0)
		return topo_fail(c, topo_path_key(p, path, "through"), "required "
		    "field \"through\" is missing (%s)", kind);
	if (a->policy == SUITE_ISOLATED && a->nthrough > 0)
		return topo_fail(c, topo_path_key(p, path, "through"), "isolated "
		    "takes no \"through\"");
	default_name(a, xasprintf("%s %s -> %s", kind, a->from,
	    a->to ? a->to : "internet"));
	return 0;
}

static int
parse_bgp(struct tctx *c, const cJSON *o, const char *path,
    struct suite_assert *a)
{
	static const char *const keys[] = { "hub", "instance", "peer",
	    "established", "learns", "advertises", NULL };
	unsigned inst;
	bool est;
	int r;

	a->kind = SUITE_BGP;
	a->instance = -1;
	a->established = -1;
	if (topo_jfields(c, o, path, keys) == -1 ||
	    jtext(c, o, path, "hub", true, &a->hub) == -1 ||
	    jtext(c, o, path, "peer", true, &a->peer) == -1 ||
	    (r = topo_juint(c, o, path, "instance", 0, 1, &inst)) == -1)
		return -1;
	if (r == 1)
		a->instance = (int)inst;
	if ((r = topo_jbool(c, o, path, "established", &est)) == -1 ||
	    pfx_list(c, o, path, "learns", &a->learns, &a->nlearns) == -1 ||
	    pfx_list(c, o, path, "advertises", &a->advertises,
	    &a->nadvertises) == -1)
		return -1;
	if (r == 1)
		a->established = est;
	if (a->established < 0 && a->nlearns + a->nadvertises == 0)
		return topo_fail(c, path, "bgp asserts \"established\", "
		    "\"learns\" or \"advertises\"");
	default_name(a, xasprintf("bgp %s %s", a->hub, a->peer));
	return 0;
}

static int
parse_diff(struct tctx *c, const cJSON *o, const char *path,
    struct suite_assert *a)
{
	static const char *const keys[] = { "base", "only_prefixes", NULL };
	char p[TOPO_PATH_MAX], pb[PFX_STRLEN];
	int r;

	a->kind = SUITE_DIFF;
	if (topo_jfields(c, o, path, keys) == -1 ||
	    jtext(c, o, path, "base", true, &a->base) == -1 ||
	    (r = pfx_list(c, o, path, "only_prefixes", &a->only,
	    &a->nonly)) == -1)
		return -1;
	if (a->base == NULL)
		return topo_fail(c, topo_path_key(p, path, "base"), "required "
		    "field \"base\" is missing");
	if (r == 0)
		return topo_fail(c, topo_path_key(p, path, "only_prefixes"),
		    "required field \"only_prefixes\" is missing (a prefix "
		    "0.0.0.0/0 allows every change)");
	default_name(a, xasprintf("diff %s only %s%s", a->base,
	    pfx_fmt(&a->only[0], pb), a->nonly > 1 ? " ..." : ""));
	return 0;
}

static int
parse_assert(struct tctx *c, const cJSON *o, const char *path, void *arg)
{
	static const char *const keys[] = { "name", "routes", "walk", "policy",
	    "bgp", "diff", NULL };
	static int (*const fn[])(struct tctx *, const cJSON *, const char *,
	    struct suite_assert *) = { parse_routes, parse_walk, parse_policy,
	    parse_bgp, parse_diff };
	struct suite *s = arg;
	struct suite_assert *a = xcalloc(1, sizeof(*a));
	const cJSON *v = NULL;
	char p[TOPO_PATH_MAX];
	int k, found = -1;

	topo_push(&s->asserts, &s->nasserts, a);
	if (topo_jfields(c, o, path, keys) == -1 ||
	    jtext(c, o, path, "name", false, &a->name) == -1)
		return -1;
	for (k = 0; k <= SUITE_DIFF; k++)
		if (topo_jget(o, suite_kind_str((enum suite_kind)k)) != NULL) {
			if (found >= 0)
				return topo_fail(c, path, "an assertion is one of "
				    "routes, walk, policy, bgp, diff: not %s and %s",
				    suite_kind_str((enum suite_kind)found),
				    suite_kind_str((enum suite_kind)k));
			found = k;
		}
	if (found < 0)
		return topo_fail(c, path, "an assertion is one of routes, walk, "
		    "policy, bgp, diff");
	topo_path_key(p, path, suite_kind_str((enum suite_kind)found));
	a->jpath = xstrdup(p);
	v = topo_jget(o, suite_kind_str((enum suite_kind)found));
	if (!cJSON_IsObject(v))
		return topo_fail(c, p, "must be an object");
	return fn[found](c, v, p, a);
}

static int
parse_suite(struct sctx *x, const cJSON *root, const char *base)
{
	static const char *const keys[] = { "name", "description", "topology",
	    "assertions", NULL };
	struct tctx *c = &x->c;
	struct suite *s = x->s;
	const cJSON *arr;
	char *topo = NULL, *b;
	size_t i;
	int rc;

	if (!cJSON_IsObject(root))
		return topo_fail(c, "", "a suite is a JSON object");
	if (topo_jfields(c, root, "", keys) == -1 ||
	    jtext(c, root, "", "name", false, &s->name) == -1 ||
	    jtext(c, root, "", "description", false, &s->description) == -1 ||
	    jtext(c, root, "", "topology", true, &topo) == -1)
		return -1;
	if (topo == NULL)	/* required: jtext failed without it */
		return topo_fail(c, "topology", "is required");
	s->topology = topo[0] == '/' || base[0] == '\0' ? xstrdup(topo) :
	    xasprintf("%s/%s", base, topo);
	free(topo);
	if (topo_jarr(c, root, "", "assertions", true, &arr) == -1)
		return -1;
	rc = topo_parse_list(c, root, "", "assertions", s, parse_assert);
	/* a diff's base, as the topology: relative to the suite's folder */
	for (i = 0; rc == 0 && i < s->nasserts; i++)
		if (s->asserts[i]->kind == SUITE_DIFF &&
		    s->asserts[i]->base[0] != '/' && base[0] != '\0') {
			b = xasprintf("%s/%s", base, s->asserts[i]->base);
			free(s->asserts[i]->base);
			s->asserts[i]->base = b;
		}
	return rc;
}

/* The paths of a suite's errors start at the document: "$.assertions[3]". */
static void
root_path(struct topo_err *err)
{
	char p[sizeof(err->path) + 2];

	snprintf(p, sizeof(p), "$%s%s", err->path[0] ? "." : "", err->path);
	/* a path as long as the buffer is cut: it still names the spot */
	snprintf(err->path, sizeof(err->path), "%.*s",
	    (int)sizeof(err->path) - 1, p);
}

int
suite_load_string(const char *json, size_t len, const char *base,
    struct suite **out, struct topo_err *err)
{
	struct sctx x;
	cJSON *root;
	int rc;

	*out = NULL;
	memset(err, 0, sizeof(*err));
	memset(&x, 0, sizeof(x));
	x.c.text = json;
	x.c.len = len;
	x.c.err = err;
	if ((root = topo_json_parse(&x.c)) == NULL) {
		root_path(err);
		return -1;
	}
	x.s = xcalloc(1, sizeof(*x.s));
	rc = parse_suite(&x, root, base);
	cJSON_Delete(root);
	if (rc == -1) {
		root_path(err);
		suite_free(x.s);
		return -1;
	}
	x.s->text = xmalloc(len + 1);
	if (len > 0)
		memcpy(x.s->text, json, len);
	x.s->text[len] = '\0';
	x.s->len = len;
	*out = x.s;
	return 0;
}

int
suite_load_file(const char *file, struct suite **out, struct topo_err *err)
{
	char *text, *base;
	size_t len;
	int rc;

	*out = NULL;
	memset(err, 0, sizeof(*err));
	if (topo_read_file(file, &text, &len, err) == -1)
		return -1;
	base = topo_dir_of(file);
	rc = suite_load_string(text, len, base, out, err);
	free(base);
	free(text);
	return rc;
}

int
suite_load_bases(struct suite *s, struct topo_err *err)
{
	struct suite_assert *a;
	struct topo_err e;
	char p[TOPO_PATH_MAX], msg[sizeof(e.msg) + sizeof(e.path) + 64];
	size_t i;

	for (i = 0; i < s->nasserts; i++) {
		a = s->asserts[i];
		if (a->kind != SUITE_DIFF || a->base_topo != NULL)
			continue;
		if (topo_load_file(a->base, &a->base_topo, &e) == -1) {
			/* the base's own error: its file, line and path */
			topo_err_str(&e, a->base, msg, sizeof(msg));
			return suite_fail(s, topo_path_key(p, a->jpath, "base"),
			    err, "the base topology does not load: %s", msg);
		}
	}
	return 0;
}

int
suite_fail(const struct suite *s, const char *path, struct topo_err *err,
    const char *fmt, ...)
{
	struct tctx c;
	char msg[sizeof(err->msg)];
	va_list ap;

	memset(err, 0, sizeof(*err));
	memset(&c, 0, sizeof(c));
	c.text = s->text;
	c.len = s->len;
	c.err = err;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	topo_fail(&c, path, "%s", msg);
	root_path(err);
	return -1;
}

void
suite_free(struct suite *s)
{
	size_t i, k;

	if (s == NULL)
		return;
	for (i = 0; i < s->nasserts; i++) {
		struct suite_assert *a = s->asserts[i];

		free(a->name);
		free(a->jpath);
		free(a->nic);
		strv_free(a->subnets, a->nsubnets);
		free(a->type);
		free(a->via);
		for (k = 0; k < a->ntable; k++) {
			free(a->table[k].type);
			free(a->table[k].via);
		}
		free(a->table);
		free(a->digest);
		free(a->from);
		free(a->to);
		free(a->outcome);
		strv_free(a->through, a->nthrough);
		strv_free(a->avoid, a->navoid);
		free(a->hub);
		free(a->peer);
		free(a->learns);
		free(a->advertises);
		free(a->base);
		free(a->only);
		topo_free(a->base_topo);
		free(a);
	}
	free(s->asserts);
	free(s->name);
	free(s->description);
	free(s->topology);
	free(s->text);
	free(s);
}
