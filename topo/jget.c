/*
 * jget: typed, path-aware access to cJSON values for the topology parser.
 * Every type and range error is reported here, with the value's JSON path,
 * in one wording, so that the schema code in parse.c reads as the schema.
 *
 * Must not: know the schema (field names live in parse.c).
 */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../lib/util.h"
#include "topo_int.h"

const cJSON *
topo_jget(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

static bool
allowed_key(const char *key, const char *const *allowed)
{
	for (; *allowed != NULL; allowed++)
		if (strcmp(key, *allowed) == 0)
			return true;
	return false;
}

static void
list_keys(char *buf, size_t len, const char *const *allowed)
{
	size_t used = 0;
	int n;

	buf[0] = '\0';
	for (; *allowed != NULL && used < len; allowed++) {
		n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
		    *allowed);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

/* Unknown fields are errors (a typo must not silently become a default). */
int
topo_jfields(struct tctx *c, const cJSON *o, const char *path,
    const char *const *allowed)
{
	char p[TOPO_PATH_MAX], keys[256];
	const cJSON *a, *b;

	for (a = o->child; a != NULL; a = a->next) {
		if (a->string == NULL)
			continue;
		if (allowed != NULL && !allowed_key(a->string, allowed)) {
			list_keys(keys, sizeof(keys), allowed);
			return topo_fail(c, topo_path_key(p, path, a->string),
			    "unknown field \"%.64s\"; the fields allowed here "
			    "are: %s", a->string, keys);
		}
		for (b = o->child; b != a; b = b->next)
			if (b->string != NULL && strcmp(a->string, b->string) == 0)
				return topo_fail(c, topo_path_key(p, path,
				    a->string), "field \"%.64s\" is given twice",
				    a->string);
	}
	return 0;
}

static int
absent(struct tctx *c, const char *path, const char *key, bool req)
{
	char p[TOPO_PATH_MAX];

	if (!req)
		return 0;
	return topo_fail(c, topo_path_key(p, path, key),
	    "required field \"%s\" is missing", key);
}

int
topo_jobj(struct tctx *c, const cJSON *o, const char *path, const char *key,
    bool req, const cJSON **out)
{
	char p[TOPO_PATH_MAX];
	const cJSON *v;

	*out = NULL;
	if ((v = topo_jget(o, key)) == NULL)
		return absent(c, path, key, req);
	topo_path_key(p, path, key);
	if (!cJSON_IsObject(v))
		return topo_fail(c, p, "must be an object");
	if (cJSON_GetArraySize(v) > TOPO_LIST_MAX)
		return topo_fail(c, p, "has more than %d fields; arsemu runs "
		    "a lab on one host", TOPO_LIST_MAX);
	*out = v;
	return 1;
}

int
topo_jarr(struct tctx *c, const cJSON *o, const char *path, const char *key,
    bool req, const cJSON **out)
{
	char p[TOPO_PATH_MAX];
	const cJSON *v;

	*out = NULL;
	if ((v = topo_jget(o, key)) == NULL)
		return absent(c, path, key, req);
	topo_path_key(p, path, key);
	if (!cJSON_IsArray(v))
		return topo_fail(c, p, "must be an array");
	if (cJSON_GetArraySize(v) > TOPO_LIST_MAX)
		return topo_fail(c, p, "has more than %d entries; arsemu runs "
		    "a lab on one host", TOPO_LIST_MAX);
	if (req && v->child == NULL)
		return topo_fail(c, p, "must not be empty");
	*out = v;
	return 1;
}

int
topo_vstr(struct tctx *c, const cJSON *v, const char *path, const char **out)
{
	if (!cJSON_IsString(v) || v->valuestring == NULL) {
		/* -1 spelled out: callers' analysis cannot see into topo_fail */
		topo_fail(c, path, "must be a string");
		return -1;
	}
	*out = v->valuestring;
	return 1;
}

int
topo_jnames(struct tctx *c, const cJSON *o, const char *path, const char *key,
    void *arg, int (*fn)(struct tctx *, const char *, const char *, void *))
{
	char pp[TOPO_PATH_MAX], p[TOPO_PATH_MAX];
	const cJSON *arr, *el;
	const char *name = NULL;
	size_t i = 0;
	int r;

	if ((r = topo_jarr(c, o, path, key, false, &arr)) <= 0)
		return r;
	topo_path_key(pp, path, key);
	cJSON_ArrayForEach(el, arr) {
		topo_path_idx(p, pp, i++);
		if (topo_vstr(c, el, p, &name) == -1 || fn(c, p, name, arg) == -1)
			return -1;
	}
	return 0;
}

int
topo_jstr(struct tctx *c, const cJSON *o, const char *path, const char *key,
    bool req, const char **out)
{
	char p[TOPO_PATH_MAX];
	const cJSON *v;

	if ((v = topo_jget(o, key)) == NULL)
		return absent(c, path, key, req);
	return topo_vstr(c, v, topo_path_key(p, path, key), out);
}

int
topo_jbool(struct tctx *c, const cJSON *o, const char *path, const char *key,
    bool *out)
{
	char p[TOPO_PATH_MAX];
	const cJSON *v;

	if ((v = topo_jget(o, key)) == NULL)
		return 0;
	if (!cJSON_IsBool(v))
		return topo_fail(c, topo_path_key(p, path, key),
		    "must be true or false");
	*out = cJSON_IsTrue(v);
	return 1;
}

int
topo_vuint(struct tctx *c, const cJSON *v, const char *path, unsigned min,
    unsigned max, unsigned *out)
{
	double d;

	if (!cJSON_IsNumber(v))
		return topo_fail(c, path, "must be an integer from %u to %u",
		    min, max);
	d = v->valuedouble;
	/* Range first: only then is the cast below defined. */
	if (!(d >= min && d <= max) || (double)(unsigned)d != d)
		return topo_fail(c, path, "%.15g is not an integer from %u "
		    "to %u", d, min, max);
	*out = (unsigned)d;
	return 1;
}

int
topo_juint(struct tctx *c, const cJSON *o, const char *path, const char *key,
    unsigned min, unsigned max, unsigned *out)
{
	char p[TOPO_PATH_MAX];
	const cJSON *v;

	if ((v = topo_jget(o, key)) == NULL)
		return 0;
	return topo_vuint(c, v, topo_path_key(p, path, key), min, max, out);
}

int
topo_vpfx(struct tctx *c, const cJSON *v, const char *path, struct pfx4 *out)
{
	const char *s = NULL;
	char buf[PFX_STRLEN];

	if (topo_vstr(c, v, path, &s) == -1)
		return -1;
	switch (pfx_parse(s, out)) {
	case 0:
		return 1;
	case -2:
		return topo_fail(c, path, "\"%s\" has host bits set: the prefix "
		    "is %s", s, pfx_fmt(out, buf));
	default:
		if (strchr(s, ':') != NULL)
			return topo_fail(c, path, "\"%.64s\" is IPv6: the lab is "
			    "IPv4 only, as Route Server is (RS-26, D-13)", s);
		return topo_fail(c, path, "\"%.64s\" is not an IPv4 prefix "
		    "(a.b.c.d/n)", s);
	}
}

int
topo_vaddr(struct tctx *c, const cJSON *v, const char *path, uint32_t *out)
{
	const char *s = NULL;

	if (topo_vstr(c, v, path, &s) == -1)
		return -1;
	if (addr_parse(s, out) == -1 && strchr(s, ':') != NULL)
		return topo_fail(c, path, "\"%.64s\" is IPv6: the lab is IPv4 "
		    "only, as Route Server is (RS-26, D-13)", s);
	if (addr_parse(s, out) == -1)
		return topo_fail(c, path, "\"%.64s\" is not an IPv4 address "
		    "(a.b.c.d)", s);
	return 1;
}

int
topo_jaddr(struct tctx *c, const cJSON *o, const char *path, const char *key,
    uint32_t *out)
{
	char p[TOPO_PATH_MAX];
	const cJSON *v;

	if ((v = topo_jget(o, key)) == NULL)
		return 0;
	return topo_vaddr(c, v, topo_path_key(p, path, key), out);
}

int
topo_jname(struct tctx *c, const cJSON *o, const char *path, char **out)
{
	char p[TOPO_PATH_MAX];
	const char *s = NULL;

	if (topo_jstr(c, o, path, "name", true, &s) == -1)
		return -1;
	if (!topo_name_ok(s))
		return topo_fail(c, topo_path_key(p, path, "name"),
		    "\"%.64s\" is not a valid name: use 1 to %d characters of "
		    "a-z, 0-9 and '-', not starting with '-', because names "
		    "become Linux namespace names", s, TOPO_NAME_MAX);
	*out = xstrdup(s);
	return 1;
}
