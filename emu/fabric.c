/*
 * fabric: the fabric's kernel routes at the kernel edge. The links routes
 * leave by are known here (a NIC's given at creation, lab.h; the edge
 * links asked of the kernel once); kroute.c makes a NIC's effective routes
 * into the model's kernel routes (struct kroute, held once for all the
 * NICs of a subnet, and what a group of subnets has in common once for the
 * group: model/share.h), and fabric_nl_route makes netlink routes of them.
 * Owns the links and the conversion between struct kroute and struct
 * nl_route. Must not: decide what a route becomes (kroute.c) or send it
 * (sync.c puts them in the kernel: reconcile, never rebuild, STYLE 8).
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "fabric.h"
#include "lab.h"
#include "nl.h"

static int
edge_link(struct fabric *f, const char *name)
{
	int idx;

	if (f->nl == NULL || (idx = nl_link_index(f->nl, name)) <= 0)
		return -1;
	return idx;
}

/*
 * Every link a route can leave by, known once: a NIC's is given at
 * creation (lab.h), the edge links are asked for here. Afterwards the
 * fabric is only read, so tables can be computed on several threads.
 */
void
fabric_init(struct fabric *f, struct nl *nl, const struct topo *t)
{
	size_t i;

	memset(f, 0, sizeof(*f));
	f->nl = nl;
	f->t = t;
	f->ifindex = xcalloc(t->nnics ? t->nnics : 1, sizeof(*f->ifindex));
	for (i = 0; i < t->nnics; i++)
		f->ifindex[i] = LAB_NIC_IFINDEX(i);
	f->lbindex = xcalloc(t->nlbs ? t->nlbs : 1, sizeof(*f->lbindex));
	for (i = 0; i < t->nlbs; i++)
		f->lbindex[i] = LAB_LB_IFINDEX(i);
	f->none = edge_link(f, LAB_NONE_IF);
	f->inet = edge_link(f, LAB_INET_IF);
}

void
fabric_free(struct fabric *f)
{
	free(f->ifindex);
	free(f->lbindex);
	memset(f, 0, sizeof(*f));
}

size_t
fabric_kernel_routes(const struct fabric *f, const struct sdn_table *tab,
    struct kroute **out)
{
	struct kroute_links l = { f->t, f->ifindex, f->inet, f->none,
	    LAB_EDGE_ADDR, f->lbindex };

	return kroute_table(&l, tab, out);
}

/* ---- the kernel edge: the model's routes as netlink's and back ---- */

_Static_assert(KROUTE_MAX_NH == NL_MAX_NH,
    "a kroute's next hops fit a netlink route's");

void
fabric_nl_route(const struct kroute *k, uint32_t table, struct nl_route *r)
{
	unsigned i;

	memset(r, 0, sizeof(*r));
	r->table = table;
	r->dst = k->dst;
	r->protocol = RTPROT_ARSEMU;
	switch (k->type) {
	case KROUTE_UNICAST:
		r->type = NL_RT_UNICAST;
		break;
	case KROUTE_THROW:
		r->type = NL_RT_THROW;
		break;
	case KROUTE_BLACKHOLE:
		r->type = NL_RT_BLACKHOLE;
		break;
	}
	if (k->scope_link)
		r->scope = RT_SCOPE_LINK;
	r->nnh = k->nnh;
	for (i = 0; i < k->nnh; i++)
		r->nh[i] = (struct nl_nh){ .gw = k->nh[i].gw,
		    .ifindex = k->nh[i].link, .onlink = k->nh[i].onlink,
		    .weight = k->nh[i].weight };
}

bool
fabric_model_route(const struct nl_route *r, struct kroute *k)
{
	unsigned i;

	memset(k, 0, sizeof(*k));
	k->dst = r->dst;
	switch (r->type) {
	case NL_RT_UNICAST:
		k->type = KROUTE_UNICAST;
		break;
	case NL_RT_THROW:
		k->type = KROUTE_THROW;
		break;
	case NL_RT_BLACKHOLE:
		k->type = KROUTE_BLACKHOLE;
		break;
	default:
		return false;
	}
	if (r->scope != RT_SCOPE_UNIVERSE && r->scope != RT_SCOPE_LINK)
		return false;
	k->scope_link = r->scope == RT_SCOPE_LINK;
	k->nnh = r->nnh;
	for (i = 0; i < r->nnh; i++)
		k->nh[i] = (struct kroute_nh){ .gw = r->nh[i].gw,
		    .link = r->nh[i].ifindex, .onlink = r->nh[i].onlink,
		    .weight = r->nh[i].weight };
	return true;
}
