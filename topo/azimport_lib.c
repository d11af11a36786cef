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

static size_t
id_len(const char *s)
{
	size_t n = strlen(s);

	while (n > 0 && s[n - 1] == '/')
		n--;
	return n;
}

bool
topo_az_id_eq(const char *a, const char *b)
{
	size_t n;

	if (a == NULL || b == NULL)
		return false;
	n = id_len(a);
	return n == id_len(b) && strncasecmp(a, b, n) == 0;
}

bool
topo_az_id_under(const char *id, const char *parent)
{
	size_t n;

	if (id == NULL || parent == NULL || (n = id_len(parent)) == 0)
		return false;
	return strncasecmp(id, parent, n) == 0 && (id[n] == '\0' ||
	    id[n] == '/');
}

const char *
topo_az_id_part(const char *id, const char *kind, char *buf, size_t len)
{
	char key[64];
	const char *p;
	size_t n;

	if (id == NULL || snprintf(key, sizeof(key), "/%s/", kind) >=
	    (int)sizeof(key))
		return NULL;
	if ((p = strcasestr(id, key)) == NULL)
		return NULL;
	p += strlen(key);
	n = strcspn(p, "/");
	if (n == 0 || n >= len)
		return NULL;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return buf;
}

bool
topo_az_node_name(const char *in, char *out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; in[i] != '\0' && n < max; i++) {
		char ch = in[i];

		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		else if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')))
			ch = '-';
		if (ch == '-' && n == 0)
			continue;
		out[n++] = ch;
	}
	out[n] = '\0';
	if (n == 0)
		snprintf(out, max + 1, "x");
	return strcmp(in, out) != 0;
}

static size_t
name_hash(const char *s)
{
	size_t h = 14695981039346656037u;	/* FNV-1a */

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* The slot of name: the taken one, or the free one for it. */
static struct topo_az_name *
name_slot(struct topo_az_name *tab, size_t cap, const char *name)
{
	size_t i = name_hash(name) & (cap - 1);

	while (tab[i].name != NULL && strcmp(tab[i].name, name) != 0)
		i = (i + 1) & (cap - 1);
	return &tab[i];
}

bool
topo_az_name_taken(const struct topo_az_names *s, const char *name)
{
	return s->cap > 0 && name_slot(s->tab, s->cap, name)->name != NULL;
}

/* Take name (not taken yet); the table stays at most half full. */
static void
name_take(struct topo_az_names *s, const char *name)
{
	struct topo_az_name *tab;
	size_t cap, i;

	if (2 * (s->n + 1) > s->cap) {
		cap = s->cap ? 2 * s->cap : 64;
		tab = xcalloc(cap, sizeof(*tab));
		for (i = 0; i < s->cap; i++)
			if (s->tab[i].name != NULL)
				*name_slot(tab, cap, s->tab[i].name) = s->tab[i];
		free(s->tab);
		s->tab = tab;
		s->cap = cap;
	}
	tab = name_slot(s->tab, s->cap, name);
	tab->name = xstrdup(name);
	tab->next = 2;
	s->n++;
}

/*
 * Cutting the suffix instead of the base made "-100" "-10", taken, and the
 * search never ended. Each name remembers its next suffix, so n names
 * wanted alike cost O(n), not O(n^2).
 */
const char *
topo_az_name_take(struct topo_az_names *s, const char *want, char *buf,
    size_t max)
{
	char base[TOPO_NAME_MAX + 1], sfx[16];
	unsigned k;
	int cut, l;

	if (max > TOPO_NAME_MAX)
		max = TOPO_NAME_MAX;
	topo_az_node_name(want, base, max - 3);
	if (!topo_az_name_taken(s, base)) {
		snprintf(buf, max + 1, "%s", base);
		name_take(s, buf);
		return buf;
	}
	for (k = name_slot(s->tab, s->cap, base)->next; ; k++) {
		l = snprintf(sfx, sizeof(sfx), "-%u", k);
		cut = (int)max - l;
		snprintf(buf, max + 1, "%.*s%s", cut, base, sfx);
		if (!topo_az_name_taken(s, buf))
			break;
	}
	name_slot(s->tab, s->cap, base)->next = k + 1;
	name_take(s, buf);
	return buf;
}

void
topo_az_names_free(struct topo_az_names *s)
{
	size_t i;

	for (i = 0; i < s->cap; i++)
		free(s->tab[i].name);
	free(s->tab);
	memset(s, 0, sizeof(*s));
}

int
topo_az_alloc(const struct pfx4 *sn, const uint32_t *taken, size_t ntaken,
    uint32_t *out)
{
	uint64_t size = sn->len >= 32 ? 1 : (uint64_t)1 << (32 - sn->len);
	uint64_t off;
	size_t i;

	for (off = 4; off + 1 < size; off++) {
		uint32_t ip = sn->addr + (uint32_t)off;

		for (i = 0; i < ntaken && taken[i] != ip; i++)
			;
		if (i == ntaken) {
			*out = ip;
			return 0;
		}
	}
	return -1;
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

	return cJSON_IsString(v) ? v->valuestring : NULL;
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
	return topo_az_name_take(&a->names, want, buf, max);
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
