/*
 * azimport_lib: the helpers of azimport.h that other importers share
 * (Azure's resource ids, node names made from Azure names, Azure's address
 * allocation, AS paths as Azure prints them), and the small ones the
 * azimport files share (warnings and errors with file and JSON path).
 *
 * Must not: read files, or know a resource type.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "../lib/util.h"
#include "azimport_int.h"

/* ---- shared with other importers (azimport.h) ---- */

/*
 * Azure's allocation, with the importers' one implementation
 * (importcommon.c).
 */
int
topo_az_alloc(const struct pfx4 *sn, const uint32_t *taken, size_t ntaken,
    uint32_t *out)
{
	struct imp_alloc al = { 0 };
	uint32_t ip;
	size_t i;

	for (i = 0; i < ntaken; i++)
		imp_alloc_known(&al, taken[i]);
	ip = imp_alloc_next(&al, sn);
	imp_alloc_free(&al);
	if (ip == 0)
		return -1;
	*out = ip;
	return 0;
}

int
topo_az_asn_path(const char *s, uint32_t *asns, int max)
{
	int n = 0;

	while (s != NULL && *s != '\0') {
		unsigned long v;
		char *end;

		if (*s == '-' || *s == ' ' || *s == ',') {
			s++;
			continue;
		}
		if (*s < '0' || *s > '9')
			return -1;
		errno = 0;
		v = strtoul(s, &end, 10);
		if (errno != 0 || v > UINT32_MAX)
			return -1;
		if (n < max)
			asns[n] = (uint32_t)v;
		n++;
		s = end;
	}
	return n < max ? n : max;
}

/* ---- shared by the azimport files (azimport_int.h) ---- */

/* out: in's resource at "in.key[i]" (key NULL: "in[i]"). */
void
az_res_at(struct azres *out, const struct azres *in, const char *key,
    size_t i)
{
	char k[TOPO_PATH_MAX];

	*out = *in;
	topo_path_idx(out->path, key ? topo_path_key(k, in->path, key) :
	    in->path, i);
}

/* Warnings and errors are escaped (str_escape): file names and paths
 * come from the directory and the files. */
void
az_warn(struct az *a, const struct azres *r, const char *key,
    const char *fmt, ...)
{
	char msg[512], raw[sizeof(msg) + TOPO_PATH_MAX + 300], out[sizeof(raw)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(raw, sizeof(raw), "%s: %s%s%s: %s", r->file, r->path,
	    r->path[0] && key ? "." : "", key ? key : "", msg);
	a->out->warnings = xrealloc(a->out->warnings,
	    (a->out->nwarnings + 1) * sizeof(char *));
	a->out->warnings[a->out->nwarnings++] =
	    xstrdup(str_escape(out, sizeof(out), raw));
}

int
az_fail(struct az *a, const struct azres *r, const char *key,
    const char *fmt, ...)
{
	char msg[400], path[TOPO_PATH_MAX], raw[sizeof(a->err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (key != NULL)
		topo_path_key(path, r->path, key);
	else
		snprintf(path, sizeof(path), "%s", r->path);
	str_escape(a->err->path, sizeof(a->err->path), path);
	if (snprintf(raw, sizeof(raw), "%s: %s%s%s", r->file, path,
	    path[0] ? ": " : "", msg) < 0)
		raw[0] = '\0';
	str_escape(a->err->msg, sizeof(a->err->msg), raw);
	return -1;
}

const cJSON *
az_jget(const cJSON *o, const char *key)
{
	return cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) :
	    NULL;
}

const char *
az_jstr(const cJSON *o, const char *key)
{
	const cJSON *v = az_jget(o, key);

	return v != NULL && cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A boolean that az prints; def when absent. */
bool
az_jbool(const cJSON *o, const char *key, bool def)
{
	const cJSON *v = az_jget(o, key);

	return cJSON_IsBool(v) ? cJSON_IsTrue(v) : def;
}

const char *
az_take_name(struct az *a, const char *want, char *buf, size_t max)
{
	return imp_take_name(&a->names, want, buf, max);
}

void
az_push(void *arrp, size_t *n, size_t *cap, const void *item, size_t size)
{
	char **arr = arrp;

	xgrow(arr, cap, *n + 1, size);
	memcpy(*arr + *n * size, item, size);
	(*n)++;
}

/* FNV-1a of key's first len bytes, lowercased. */
static size_t
set_hash(const char *key, size_t len)
{
	size_t h = 14695981039346656037u, i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)tolower((unsigned char)key[i])) *
		    1099511628211u;
	return h;
}

static size_t
set_slot(char *const *keys, size_t cap, const char *key, size_t len)
{
	size_t i = set_hash(key, len) & (cap - 1);

	while (keys[i] != NULL && (strlen(keys[i]) != len ||
	    strncasecmp(keys[i], key, len) != 0))
		i = (i + 1) & (cap - 1);
	return i;
}

int
az_set_get(const struct azset *s, const char *key, size_t len)
{
	size_t i;

	if (s->cap == 0)
		return -1;
	i = set_slot(s->key, s->cap, key, len);
	return s->key[i] != NULL ? s->val[i] : -1;
}

void
az_set_put(struct azset *s, const char *key, size_t len, int val)
{
	size_t i, k, cap;
	char **keys;
	int *vals;

	if (az_set_get(s, key, len) != -1)
		return;
	if (2 * (s->n + 1) > s->cap) {
		cap = s->cap ? 2 * s->cap : 64;
		keys = xcalloc(cap, sizeof(*keys));
		vals = xcalloc(cap, sizeof(*vals));
		for (i = 0; i < s->cap; i++)
			if (s->key[i] != NULL) {
				k = set_slot(keys, cap, s->key[i],
				    strlen(s->key[i]));
				keys[k] = s->key[i];
				vals[k] = s->val[i];
			}
		free(s->key);
		free(s->val);
		s->key = keys;
		s->val = vals;
		s->cap = cap;
	}
	i = set_slot(s->key, s->cap, key, len);
	s->key[i] = xcalloc(len + 1, 1);
	for (k = 0; k < len; k++)
		s->key[i][k] = (char)tolower((unsigned char)key[k]);
	s->val[i] = val;
	s->n++;
}

void
az_set_free(struct azset *s)
{
	size_t i;

	for (i = 0; i < s->cap; i++)
		free(s->key[i]);
	free(s->key);
	free(s->val);
	memset(s, 0, sizeof(*s));
}
