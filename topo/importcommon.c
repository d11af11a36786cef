/*
 * importcommon: node names and resource ids for the importers (see
 * importcommon.h). Moved out of azimport.c for tfimport.c to share.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "../lib/util.h"
#include "importcommon.h"
#include "topo_int.h"

bool
imp_node_name(const char *in, char *out, size_t max)
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
static struct imp_name *
name_slot(struct imp_name *tab, size_t cap, const char *name)
{
	size_t i = name_hash(name) & (cap - 1);

	while (tab[i].name != NULL && strcmp(tab[i].name, name) != 0)
		i = (i + 1) & (cap - 1);
	return &tab[i];
}

bool
imp_name_taken(const struct imp_names *s, const char *name)
{
	return s->cap > 0 && name_slot(s->tab, s->cap, name)->name != NULL;
}

/* Take name (not taken yet); the table stays at most half full. */
static void
name_take(struct imp_names *s, const char *name)
{
	struct imp_name *tab;
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
static const char *
take(struct imp_names *s, const char *want, char *buf, size_t max, bool node)
{
	char base[IMP_NAME_MAX + 1], sfx[16];
	unsigned k;
	int cut, l;

	if (node)
		imp_node_name(want, base, max);
	else
		snprintf(base, max + 1, "%s", want);
	if (!imp_name_taken(s, base)) {
		snprintf(buf, max + 1, "%s", base);
		name_take(s, buf);
		return buf;
	}
	for (k = name_slot(s->tab, s->cap, base)->next; ; k++) {
		l = snprintf(sfx, sizeof(sfx), "-%u", k);
		cut = (int)max - l;
		snprintf(buf, max + 1, "%.*s%s", cut, base, sfx);
		if (!imp_name_taken(s, buf))
			break;
	}
	name_slot(s->tab, s->cap, base)->next = k + 1;
	name_take(s, buf);
	return buf;
}

const char *
imp_take_name(struct imp_names *s, const char *want, char *buf, size_t max)
{
	return take(s, want, buf, max > TOPO_NAME_MAX ? TOPO_NAME_MAX : max,
	    true);
}

const char *
imp_take_exact(struct imp_names *s, const char *want, char *buf, size_t max)
{
	return take(s, want, buf, max > IMP_NAME_MAX ? IMP_NAME_MAX : max,
	    false);
}

void
imp_names_free(struct imp_names *s)
{
	size_t i;

	for (i = 0; i < s->cap; i++)
		free(s->tab[i].name);
	free(s->tab);
	memset(s, 0, sizeof(*s));
}

const char *
imp_id_part(const char *id, const char *kind, char *buf, size_t len)
{
	char key[64];
	const char *p;
	size_t n;

	if (id == NULL)
		return NULL;
	snprintf(key, sizeof(key), "/%s/", kind);
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

/* An id's length without trailing '/'s: Azure ignores them. */
static size_t
id_len(const char *s)
{
	size_t n = strlen(s);

	while (n > 0 && s[n - 1] == '/')
		n--;
	return n;
}

bool
imp_id_eq(const char *a, const char *b)
{
	size_t n;

	if (a == NULL || b == NULL)
		return false;
	n = id_len(a);
	return n == id_len(b) && strncasecmp(a, b, n) == 0;
}

bool
imp_id_under(const char *id, const char *parent)
{
	size_t n;

	if (id == NULL || parent == NULL || (n = id_len(parent)) == 0)
		return false;
	return strncasecmp(id, parent, n) == 0 && (id[n] == '\0' ||
	    id[n] == '/');
}

/* ---- Azure's allocation ---- */

void
imp_alloc_known(struct imp_alloc *al, uint32_t ip)
{
	xgrow(&al->taken, &al->cap, al->n + 1, sizeof(*al->taken));
	al->taken[al->n++] = ip;
	al->sorted = false;
}

uint32_t
imp_alloc_next(struct imp_alloc *al, const struct pfx4 *p)
{
	uint32_t last = p->addr | ~pfx_mask(p->len);

	if (p->len > TOPO_SUBNET_MIN_LEN)
		return 0;
	if (!al->sorted && al->n > 1)
		qsort(al->taken, al->n, sizeof(*al->taken), u32_qcmp);
	al->sorted = true;
	if (al->next == 0)
		al->next = p->addr + TOPO_AZ_RESERVED_LOW;
	/* each address is passed once: n addresses asked for cost O(n log n) */
	while (al->next < last && al->n > 0 && bsearch(&al->next, al->taken,
	    al->n, sizeof(*al->taken), u32_qcmp) != NULL)
		al->next++;
	if (al->next >= last)	/* the last address is Azure's too */
		return 0;
	return al->next++;
}

void
imp_alloc_free(struct imp_alloc *al)
{
	free(al->taken);
	memset(al, 0, sizeof(*al));
}

uint32_t
imp_rs_ip(const struct pfx4 *p, unsigned i)
{
	return p->addr + TOPO_AZ_RESERVED_LOW + (i ? 1 : 0);
}

cJSON *
imp_region_obj(cJSON *regions, const char *loc)
{
	cJSON *r;

	cJSON_ArrayForEach(r, regions)
		if (strcmp(cJSON_GetObjectItemCaseSensitive(r, "name")->valuestring,
		    loc) == 0)
			return r;
	r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "name", loc);
	cJSON_AddItemToArray(regions, r);
	return r;
}

cJSON *
imp_nva_at(cJSON *nvas, uint32_t ip)
{
	uint32_t x;
	cJSON *n;

	cJSON_ArrayForEach(n, nvas) {
		const char *s = cJSON_GetStringValue(
		    cJSON_GetObjectItemCaseSensitive(n, "ip"));

		if (s != NULL && addr_parse(s, &x) == 0 && x == ip)
			return n;
	}
	return NULL;
}

bool
imp_nsg_addr(const char *s, const char **out)
{
	struct pfx4 p;
	uint32_t ip;

	if (strcasecmp(s, "Any") == 0)
		s = "*";
	if ((*out = topo_nsg_tag(s)) != NULL)
		return true;
	*out = s;
	return pfx_parse(s, &p) == 0 || addr_parse(s, &ip) == 0;
}
