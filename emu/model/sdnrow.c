/*
 * sdnrow: an effective route table as the rows `az network nic
 * show-effective-route-table` lists (CLI-01: one row per next hop, VR-10),
 * and the tab-separated line a row travels as on the lab daemon's control
 * socket. `arsemu routes` (live) and `arsemu plan` (offline) both print
 * these rows, through the same code, so their output can be compared byte
 * for byte.
 *
 * Must not: print (cmd/ does) or decide anything about routes (sdn.c does).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "sdn.h"

#define ROW_FIELDS	7

/* snprintf(dst, len, "%s", src) without printf (5 million rows in plan --grouped). */
static void
copy(char *dst, size_t len, const char *src)
{
	size_t n = src != NULL ? strnlen(src, len - 1) : 0;

	if (n > 0)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

size_t
sdn_rows(const struct sdn_table *tab, struct sdn_row **out)
{
	const struct sdn_route *r;
	struct sdn_row *w;
	size_t i, n = 0;
	unsigned h;

	for (i = 0; i < tab->nroutes; i++)
		n += tab->routes[i].nnh > 1 ? tab->routes[i].nnh : 1;
	*out = xcalloc(n, sizeof(**out));
	for (i = 0, w = *out; i < tab->nroutes; i++) {
		r = &tab->routes[i];
		h = 0;
		do {
			copy(w->source, sizeof(w->source), sdn_source_str(r->source));
			copy(w->state, sizeof(w->state), sdn_state_str(r));
			pfx_fmt(&r->pfx, w->prefix);
			copy(w->type, sizeof(w->type), sdn_nh_type_str(r->type));
			if (r->nnh > 0)
				addr_fmt(r->nh[h], w->nh);
			copy(w->name, sizeof(w->name), r->name);
			w->disable_bgp = tab->disable_bgp;
			w++;
		} while (++h < r->nnh);
	}
	return n;
}

void
sdn_row_format(const struct sdn_row *r, char *buf, size_t len)
{
	snprintf(buf, len, "%s\t%s\t%s\t%s\t%s\t%s\t%d", r->source, r->state,
	    r->prefix, r->type, r->nh, r->name, r->disable_bgp);
}

/* Field i of a tab-separated line into dst; false if it does not fit. */
static bool
field(const char **p, char *dst, size_t len)
{
	const char *end = strchr(*p, '\t');
	size_t n = end != NULL ? (size_t)(end - *p) : strlen(*p);

	if (n >= len)
		return false;
	memcpy(dst, *p, n);
	dst[n] = '\0';
	*p += n + (end != NULL);
	return true;
}

int
sdn_row_parse(const char *line, struct sdn_row *r)
{
	char flag[4];
	const char *p = line;
	size_t tabs = 0;

	memset(r, 0, sizeof(*r));
	for (; *p != '\0'; p++)
		tabs += *p == '\t';
	if (tabs != ROW_FIELDS - 1)
		return -1;
	p = line;
	if (!field(&p, r->source, sizeof(r->source)) ||
	    !field(&p, r->state, sizeof(r->state)) ||
	    !field(&p, r->prefix, sizeof(r->prefix)) ||
	    !field(&p, r->type, sizeof(r->type)) ||
	    !field(&p, r->nh, sizeof(r->nh)) ||
	    !field(&p, r->name, sizeof(r->name)) ||
	    !field(&p, flag, sizeof(flag)))
		return -1;
	if (strcmp(flag, "0") != 0 && strcmp(flag, "1") != 0)
		return -1;
	r->disable_bgp = flag[0] == '1';
	return 0;
}
