/*
 * sdntab: working with a computed effective route table (see sdn.h):
 * freeing it, the longest-prefix lookup a predicted walk makes, equality
 * (what the daemon compares before reprogramming) and a hash that agrees
 * with it (what `plan --grouped` groups by), and the names of its
 * sources, next-hop types and states. Must not: compute a table (sdn.c).
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "sdn.h"

void
sdn_table_free(struct sdn_table *tab)
{
	if (tab == NULL)
		return;
	free(tab->routes);
	tab->routes = NULL;
	tab->nroutes = 0;
}

const struct sdn_route *
sdn_lookup(const struct sdn_table *tab, uint32_t dst)
{
	const struct sdn_route *best = NULL, *r;
	size_t i;

	for (i = 0; i < tab->nroutes; i++) {
		r = &tab->routes[i];
		if (!r->active || !pfx_contains_addr(&r->pfx, dst))
			continue;
		if (best == NULL || r->pfx.len > best->pfx.len)
			best = r;
	}
	return best;
}

bool
sdn_route_equal(const struct sdn_route *a, const struct sdn_route *b)
{
	if (!pfx_equal(&a->pfx, &b->pfx) || a->source != b->source ||
	    a->type != b->type || a->active != b->active || a->nnh != b->nnh)
		return false;
	if (a->nnh > 0 && memcmp(a->nh, b->nh, a->nnh * sizeof(a->nh[0])) != 0)
		return false;
	if (a->name == NULL || b->name == NULL)
		return a->name == b->name;
	return strcmp(a->name, b->name) == 0;
}

/* The routes only, not the NIC: equal tables may be shared between NICs. */
bool
sdn_table_equal(const struct sdn_table *a, const struct sdn_table *b)
{
	size_t i;

	if (a->nroutes != b->nroutes || a->disable_bgp != b->disable_bgp)
		return false;
	for (i = 0; i < a->nroutes; i++)
		if (!sdn_route_equal(&a->routes[i], &b->routes[i]))
			return false;
	return true;
}

uint64_t
sdn_hash_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n-- > 0)
		h = (h ^ *c++) * 1099511628211ull;
	return h;
}

/* Over what sdn_route_equal compares, field by field (no padding). */
uint64_t
sdn_route_hash(uint64_t h, const struct sdn_route *r)
{
	unsigned char active = r->active;

	h = sdn_hash_bytes(h, &r->pfx.addr, sizeof(r->pfx.addr));
	h = sdn_hash_bytes(h, &r->pfx.len, sizeof(r->pfx.len));
	h = sdn_hash_bytes(h, &r->source, sizeof(r->source));
	h = sdn_hash_bytes(h, &r->type, sizeof(r->type));
	h = sdn_hash_bytes(h, &active, 1);
	h = sdn_hash_bytes(h, r->nh, r->nnh * sizeof(r->nh[0]));
	h = sdn_hash_bytes(h, &r->nnh, sizeof(r->nnh));
	if (r->name != NULL)
		h = sdn_hash_bytes(h, r->name, strlen(r->name) + 1);
	return h;
}

uint64_t
sdn_table_hash(const struct sdn_table *tab)
{
	uint64_t h = 14695981039346656037ull;
	unsigned char dis = tab->disable_bgp;
	size_t i;

	h = sdn_hash_bytes(h, &dis, 1);
	for (i = 0; i < tab->nroutes; i++)
		h = sdn_route_hash(h, &tab->routes[i]);
	return h;
}

const char *
sdn_source_str(enum sdn_source s)
{
	switch (s) {
	case SDN_SRC_DEFAULT:
		return "Default";
	case SDN_SRC_USER:
		return "User";
	case SDN_SRC_VNG:
		return "VirtualNetworkGateway";
	}
	return "Unknown";
}

const char *
sdn_nh_type_str(enum sdn_nh_type t)
{
	switch (t) {
	case SDN_NH_VNETLOCAL:
		return "VnetLocal";
	case SDN_NH_VNETPEERING:
		return "VNetPeering";
	case SDN_NH_VNETGLOBALPEERING:
		return "VNetGlobalPeering";
	case SDN_NH_VNG:
		return "VirtualNetworkGateway";
	case SDN_NH_VIRTUALAPPLIANCE:
		return "VirtualAppliance";
	case SDN_NH_INTERNET:
		return "Internet";
	case SDN_NH_NONE:
		return "None";
	}
	return "Unknown";
}

const char *
sdn_state_str(const struct sdn_route *r)
{
	return r->active ? "Active" : "Invalid";
}
