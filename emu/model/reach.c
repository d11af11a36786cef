/*
 * reach: the reachability matrix by classes. See reach.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "nsg.h"
#include "reach.h"

#define REACH_TABLE_CACHE	64	/* subnets' tables kept at once */

/* ---- groups ---- */

static const struct topo_subnet *
subnet_find(const struct topo_vnet *v, const char *name)
{
	size_t i;

	for (i = 0; i < v->nsubnets; i++)
		if (strcmp(v->subnets[i]->name, name) == 0)
			return v->subnets[i];
	return NULL;
}

static const struct topo_site *
site_find(const struct topo *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nsites; i++)
		if (strcmp(t->sites[i]->name, name) == 0)
			return t->sites[i];
	return NULL;
}

/*
 * Owns: reading "vnet:", "subnet:", "site:", "internet" and node names.
 * Must not: accept a node that is no endpoint (an NVA, a gateway).
 */
int
reach_group_parse(const struct topo *t, const char *s, struct reach_group *g,
    char *err, size_t len)
{
	const char *slash;
	char vname[TOPO_NAME_MAX * 4 + 1];

	memset(g, 0, sizeof(*g));
	if (s == NULL)
		return 0;
	if (strcmp(s, "internet") == 0) {
		g->kind = REACH_G_INTERNET;
		return 0;
	}
	if (strncmp(s, "vnet:", 5) == 0) {
		g->kind = REACH_G_VNET;
		if ((g->vnet = topo_vnet_find(t, s + 5)) == NULL)
			goto bad_vnet;
		return 0;
	}
	if (strncmp(s, "site:", 5) == 0) {
		g->kind = REACH_G_SITE;
		if ((g->site = site_find(t, s + 5)) != NULL)
			return 0;
		snprintf(err, len, "group \"%.64s\": no site named \"%.64s\"", s, s + 5);
		return -1;
	}
	if (strncmp(s, "subnet:", 7) == 0) {
		g->kind = REACH_G_SUBNET;
		if ((slash = strchr(s + 7, '/')) == NULL ||
		    (size_t)(slash - (s + 7)) >= sizeof(vname)) {
			snprintf(err, len, "group \"%.64s\": a subnet is "
			    "subnet:VNET/SUBNET", s);
			return -1;
		}
		snprintf(vname, sizeof(vname), "%.*s", (int)(slash - (s + 7)), s + 7);
		if ((g->vnet = topo_vnet_find(t, vname)) == NULL) {
			snprintf(err, len, "group \"%.64s\": no VNet named \"%.64s\"",
			    s, vname);
			return -1;
		}
		if ((g->subnet = subnet_find(g->vnet, slash + 1)) != NULL)
			return 0;
		snprintf(err, len, "group \"%.64s\": VNet %s has no subnet named "
		    "\"%.64s\"", s, vname, slash + 1);
		return -1;
	}
	g->kind = REACH_G_NODE;
	if ((g->node = topo_node_find(t, s)) == NULL) {
		snprintf(err, len, "group \"%.64s\": no node named so (a group is "
		    "vnet:NAME, subnet:VNET/SUBNET, site:NAME, internet or a VM's or "
		    "site host's name)", s);
		return -1;
	}
	if (g->node->kind == TOPO_VM || g->node->kind == TOPO_SITE_HOST)
		return 0;
	snprintf(err, len, "group \"%.64s\": %s is a %s, not a VM or site host",
	    s, s, topo_kind_str(g->node->kind));
	return -1;
bad_vnet:
	snprintf(err, len, "group \"%.64s\": no VNet named \"%.64s\"", s, s + 5);
	return -1;
}

bool
reach_group_has(const struct reach_group *g, const struct topo_node *n)
{
	switch (g->kind) {
	case REACH_G_ALL:
		return true;
	case REACH_G_INTERNET:
		return n == NULL;
	case REACH_G_NODE:
		return n == g->node;
	case REACH_G_VNET:
		return n != NULL && n->nic != NULL && n->nic->subnet->vnet == g->vnet;
	case REACH_G_SUBNET:
		return n != NULL && n->nic != NULL && n->nic->subnet == g->subnet;
	case REACH_G_SITE:
		return n != NULL && n->kind == TOPO_SITE_HOST && n->site == g->site;
	}
	return false;
}

/* ---- cuts ---- */

/* VR-01's reserved prefixes and the default route, as sdn.c adds them. */
static const struct pfx4 sys_pfx[] = {
	{ 0x00000000, 0 }, { 0x0a000000, 8 }, { 0xac100000, 12 },
	{ 0xc0a80000, 16 }, { 0x64400000, 10 },
};

struct pfxv {
	struct pfx4	*v;
	size_t		 n, cap;
};

static void
pv_add(struct pfxv *pv, const struct pfx4 *p, size_t n)
{
	if (n == 0)
		return;		/* p may be NULL */
	xgrow(&pv->v, &pv->cap, pv->n + n, sizeof(*pv->v));
	memcpy(pv->v + pv->n, p, n * sizeof(*p));
	pv->n += n;
}

static void
cuts_topology(const struct topo *t, struct pfxv *pv)
{
	size_t i, k;

	pv_add(pv, sys_pfx, NELEM(sys_pfx));
	for (i = 0; i < t->nvnets; i++) {
		pv_add(pv, t->vnets[i]->space, t->vnets[i]->nspace);
		for (k = 0; k < t->vnets[i]->nsubnets; k++)
			pv_add(pv, &t->vnets[i]->subnets[k]->pfx, 1);
	}
	for (i = 0; i < t->nsites; i++)
		pv_add(pv, t->sites[i]->prefixes, t->sites[i]->nprefixes);
	for (i = 0; i < t->nrts; i++)
		for (k = 0; k < t->rts[i]->nroutes; k++) {
			const struct topo_udr *u = &t->rts[i]->routes[k];
			struct pfx4 nh = { u->nh_ip, 32 };

			pv_add(pv, &u->pfx, 1);
			pv_add(pv, &nh, u->nh_ip != 0);	/* a VM as next hop */
		}
	for (i = 0; i < t->nnvas; i++) {
		pv_add(pv, t->nvas[i]->advertise, t->nvas[i]->nadvertise);
		for (k = 0; k < t->nvas[i]->nfilters; k++) {
			pv_add(pv, &t->nvas[i]->filters[k].src, 1);
			pv_add(pv, &t->nvas[i]->filters[k].dst, 1);
		}
	}
	for (i = 0; i < t->nnsgs; i++)		/* NS-01: a rule's prefixes */
		for (k = 0; k < t->nsgs[i]->nrules; k++) {
			const struct topo_nsg_rule *u = &t->nsgs[i]->rules[k];
			size_t m;

			for (m = 0; m < u->nsrc; m++)
				pv_add(pv, &u->src[m].pfx,
				    u->src[m].kind == TOPO_NSG_PFX);
			for (m = 0; m < u->ndst; m++)
				pv_add(pv, &u->dst[m].pfx,
				    u->dst[m].kind == TOPO_NSG_PFX);
		}
}

/* A BGP route's prefix and its next hops, each a /32. */
static void
bgp_cuts(struct pfxv *pv, const struct sdn_bgp_route *r)
{
	unsigned k;

	pv_add(pv, &r->pfx, 1);
	for (k = 0; k < r->nnh; k++) {
		struct pfx4 nh = { r->nh[k], 32 };

		pv_add(pv, &nh, 1);
	}
}

/*
 * Owns: every prefix a table, a filter or a walk step can hold, and every
 * next hop a route names as a /32 (a VM named as a next hop is delivered
 * to when it is the destination, and does not forward otherwise).
 * Must not: miss one (test_reach checks every table's routes are in it).
 */
size_t
reach_cuts(const struct topo *t, const struct plan *p, struct pfx4 **out)
{
	struct pfxv pv = { NULL, 0, 0 };
	size_t i, k, n = 0;

	cuts_topology(t, &pv);
	for (i = 0; i < p->in.nhubs; i++)
		for (k = 0; k < p->in.hubs[i].nroutes; k++)
			bgp_cuts(&pv, &p->in.hubs[i].routes[k]);
	for (i = 0; i < p->in.ngws; i++)
		for (k = 0; k < p->in.gws[i].nroutes; k++)
			bgp_cuts(&pv, &p->in.gws[i].routes[k]);
	qsort(pv.v, pv.n, sizeof(*pv.v), pfx_qcmp);
	for (i = 0; i < pv.n; i++)
		if (n == 0 || !pfx_equal(&pv.v[n - 1], &pv.v[i]))
			pv.v[n++] = pv.v[i];
	*out = pv.v;
	return n;
}

/* ---- classes ---- */

static uint32_t
ep_ip(const struct topo_node *n)
{
	return walk_node_ip(n);
}

/* The container of an endpoint: its subnet's or its site prefix's range. */
static struct pfx4
ep_range(const struct topo_node *n)
{
	return n->kind == TOPO_VM ? n->nic->subnet->pfx : n->host_pfx;
}

static const void *
ep_group(const struct topo_node *n)
{
	return n->kind == TOPO_VM ? (const void *)n->nic->subnet :
	    (const void *)n->site;
}

/* By kind (VMs first), range, container, address: the output's order. */
static int
ep_cmp(const void *a, const void *b)
{
	const struct topo_node *x = *(const struct topo_node *const *)a;
	const struct topo_node *y = *(const struct topo_node *const *)b;
	struct pfx4 rx = ep_range(x), ry = ep_range(y);
	const void *gx = ep_group(x), *gy = ep_group(y);
	int c;

	if (x->kind != y->kind)
		return x->kind == TOPO_VM ? -1 : 1;
	if ((c = pfx_cmp(&rx, &ry)) != 0)
		return c;
	if (gx != gy)
		return gx < gy ? -1 : 1;
	return ep_ip(x) < ep_ip(y) ? -1 : ep_ip(x) > ep_ip(y);
}

static bool
same_container(const struct topo_node *x, const struct topo_node *y)
{
	struct pfx4 rx = ep_range(x), ry = ep_range(y);

	return x->kind == y->kind && ep_group(x) == ep_group(y) &&
	    pfx_equal(&rx, &ry);
}

/* The cuts strictly inside r: [*lo, *hi) of the sorted cuts c. */
static void
inner_cuts(const struct pfx4 *c, size_t nc, const struct pfx4 *r, size_t *lo,
    size_t *hi)
{
	size_t a = 0, b = nc, m;
	uint64_t end = (uint64_t)r->addr + ((uint64_t)1 << (32 - r->len));

	while (a < b) {
		m = a + (b - a) / 2;
		if (c[m].addr < r->addr)
			a = m + 1;
		else
			b = m;
	}
	*lo = a;
	while (a < nc && c[a].addr < end)
		a++;
	*hi = a;
}

static bool
same_side(const struct pfx4 *c, size_t lo, size_t hi, const struct pfx4 *r,
    uint32_t x, uint32_t y)
{
	size_t i;

	for (i = lo; i < hi; i++)
		if (c[i].len > r->len && pfx_contains_addr(&c[i], x) !=
		    pfx_contains_addr(&c[i], y))
			return false;
	return true;
}

static struct reach_class *
class_new(struct reach *r, size_t *cap, const struct topo_node *first)
{
	struct reach_class *k;

	xgrow(&r->classes, cap, r->nclasses + 1, sizeof(*r->classes));
	k = &r->classes[r->nclasses++];
	memset(k, 0, sizeof(*k));
	if (first == NULL) {
		k->kind = REACH_INTERNET;
		return k;
	}
	k->kind = first->kind == TOPO_VM ? REACH_VM : REACH_HOST;
	k->subnet = first->kind == TOPO_VM ? first->nic->subnet : NULL;
	k->site = first->kind == TOPO_SITE_HOST ? first->site : NULL;
	k->range = ep_range(first);
	return k;
}

/* A NIC's own NSG (NS-04): NICs of one subnet differ by it. */
static const struct topo_nsg *
ep_nsg(const struct topo_node *n)
{
	return n->nic != NULL ? n->nic->nsg : NULL;
}

/*
 * One container's endpoints e[0..n) into classes: those on the same side
 * of every cut inside the container share one.
 * Owns: the split. Must not: merge endpoints a cut tells apart.
 */
static void
split_container(struct reach *r, size_t *cap, const struct topo_node **e,
    size_t n, const struct pfx4 *c, size_t nc)
{
	struct pfx4 range = ep_range(e[0]);
	size_t first = r->nclasses, lo, hi, i, k;

	inner_cuts(c, nc, &range, &lo, &hi);
	for (i = 0; i < n; i++) {
		struct reach_class *cl = NULL;

		for (k = first; k < r->nclasses && cl == NULL; k++)
			if (same_side(c, lo, hi, &range, ep_ip(r->classes[k].members[0]),
			    ep_ip(e[i])) && ep_nsg(r->classes[k].members[0]) ==
			    ep_nsg(e[i]))
				cl = &r->classes[k];
		if (cl == NULL) {
			cl = class_new(r, cap, e[i]);
			cl->members = xcalloc(n - i, sizeof(*cl->members));
		}
		cl->members[cl->nmembers++] = e[i];
	}
}

/* Owns: the endpoints into classes, VMs then hosts, then the Internet. */
static void
make_classes(const struct topo *t, const struct pfx4 *c, size_t nc,
    struct reach *r)
{
	const struct topo_node **e = xcalloc(t->nnodes + 1, sizeof(*e));
	size_t n = 0, i, j, cap = 0;

	for (i = 0; i < t->nnodes; i++) {
		if (t->nodes[i]->kind == TOPO_VM && t->nodes[i]->nic != NULL)
			r->nvms++;
		else if (t->nodes[i]->kind == TOPO_SITE_HOST)
			r->nhosts++;
		else
			continue;
		e[n++] = t->nodes[i];
	}
	qsort(e, n, sizeof(*e), ep_cmp);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && same_container(e[i], e[j]); j++)
			;
		split_container(r, &cap, e + i, j - i, c, nc);
	}
	class_new(r, &cap, NULL);
	free(e);
}

/* ---- services ---- */

static bool
port_named(const struct topo *t, enum topo_filter_proto proto, uint16_t port)
{
	size_t i, k;

	if (nsg_dport_named(t, proto, port))
		return true;
	for (i = 0; i < t->nnvas; i++)
		for (k = 0; k < t->nvas[i]->nfilters; k++) {
			const struct topo_filter *f = &t->nvas[i]->filters[k];

			if (f->port == port && (f->proto == proto ||
			    f->proto == TOPO_PROTO_ANY))
				return true;
		}
	return false;
}

static void
svc_add(struct reach *r, size_t *cap, enum walk_proto proto, uint16_t port,
    bool other)
{
	size_t i;

	for (i = 0; i < r->nsvcs; i++)
		if (r->svcs[i].proto == proto && r->svcs[i].port == port)
			return;
	xgrow(&r->svcs, cap, r->nsvcs + 1, sizeof(*r->svcs));
	r->svcs[r->nsvcs++] = (struct reach_svc){ proto, port, other, false };
}

/*
 * Owns: the protocol and port classes the filters and NSG rules of t[0..nt)
 * distinguish.
 * Must not: walk a port a filter names as "other".
 */
static void
make_svcs(const struct topo *const *t, size_t nt, struct reach *r)
{
	static const enum walk_proto wp[] = { WALK_TCP, WALK_UDP };
	static const enum topo_filter_proto fp[] = { TOPO_PROTO_TCP,
	    TOPO_PROTO_UDP };
	size_t i, k, j, nf = 0, cap = 0, p;
	uint16_t other;
	bool named;

	for (j = 0; j < nt; j++) {
		for (i = 0; i < t[j]->nnvas; i++)
			nf += t[j]->nvas[i]->nfilters;
		nf += t[j]->nnsgs;	/* NS-01: protocols and ports too */
	}
	if (nf == 0) {
		svc_add(r, &cap, WALK_UDP, WALK_PORT_DEFAULT, true);
		r->svcs[0].all = true;
		return;
	}
	svc_add(r, &cap, WALK_ICMP, 0, false);
	for (p = 0; p < NELEM(wp); p++) {
		for (j = 0; j < nt; j++)
			for (i = 0; i < t[j]->nnvas; i++)
				for (k = 0; k < t[j]->nvas[i]->nfilters; k++) {
					const struct topo_filter *f =
					    &t[j]->nvas[i]->filters[k];

					if (f->port != 0 && (f->proto == fp[p] ||
					    f->proto == TOPO_PROTO_ANY))
						svc_add(r, &cap, wp[p], f->port,
						    false);
				}
		for (j = 0; j < nt; j++) {
			uint16_t *ports;
			size_t np = nsg_dports(t[j], fp[p], &ports), q;

			for (q = 0; q < np; q++)
				svc_add(r, &cap, wp[p], ports[q], false);
			free(ports);
		}
		for (other = WALK_PORT_DEFAULT;; other++) {
			for (j = 0, named = false; j < nt && !named; j++)
				named = port_named(t[j], fp[p], other);
			if (!named)
				break;
		}
		svc_add(r, &cap, wp[p], other, true);
	}
}

const char *
reach_svc_str(const struct reach_svc *s, char *buf, size_t len)
{
	if (s->all)
		snprintf(buf, len, "any");
	else if (s->proto == WALK_ICMP)
		snprintf(buf, len, "icmp");
	else if (s->other)
		snprintf(buf, len, "%s/other", walk_proto_str(s->proto));
	else
		snprintf(buf, len, "%s/%u", walk_proto_str(s->proto), s->port);
	return buf;
}

/* ---- tables through views ---- */

struct tabent {
	const struct topo_subnet *subnet;
	struct sdn_table	 tab;		/* az's order, as walk --offline */
	uint64_t		*key;		/* addr, length, position: sorted */
	uint32_t		 lens;		/* bit l: a route of length l; 32 apart */
	bool			 len32;
	struct sdn_table	 view;		/* the routes holding view_dst */
	size_t			 view_cap;
	uint32_t		*pos;		/* the view's positions in tab */
	size_t			 pos_cap;
	uint32_t		 view_dst;
	bool			 view_ok;
};

struct rctx {
	const struct topo	*t;
	const struct plan	*p;
	const struct reach_opts	*o;		/* NULL: none */
	struct tabent		 ent[REACH_TABLE_CACHE];
	size_t			 nent;
	const struct topo_subnet *pinned;	/* the source class's subnet */
	uint32_t		 dst;		/* of the walk under way */
	struct reach		*r;
};

/* A route's place in the index: its prefix, then its position. */
#define KEY(addr, len, pos)	((uint64_t)(addr) << 32 | (uint64_t)(len) << 24 | (pos))
#define KEY_PFX(k)		((k) >> 24)
#define KEY_POS(k)		((uint32_t)((k) & 0xffffff))
#define KEY_MAX_ROUTES		0x1000000u

static void
ent_free(struct tabent *e)
{
	sdn_table_free(&e->tab);
	free(e->key);
	free(e->view.routes);
	free(e->pos);
	memset(e, 0, sizeof(*e));
}

/*
 * Owns: a subnet's table and its index, and handing the table to o's
 * table_cb. Must not: reorder the table. The index is the table by prefix
 * (sdn_effective_both's second order, sorted by address and length), each
 * run of one prefix by position: the keys in ascending order, no sort.
 */
static void
ent_fill(struct rctx *x, struct tabent *e, const struct topo_nic *nic)
{
	uint32_t *byp;
	uint64_t k;
	size_t i, j;

	memset(e, 0, sizeof(*e));
	e->subnet = nic->subnet;
	sdn_effective_both(x->t, &x->p->in, nic, &e->tab, &byp);
	x->r->tables++;
	if (e->tab.nroutes >= KEY_MAX_ROUTES)
		die("reach: %s's table holds %zu routes, more than %u",
		    nic->name, e->tab.nroutes, KEY_MAX_ROUTES - 1);
	e->key = xcalloc(e->tab.nroutes + 1, sizeof(*e->key));
	for (i = 0; i < e->tab.nroutes; i++) {
		const struct pfx4 *p = &e->tab.routes[byp[i]].pfx;

		k = KEY(p->addr, p->len, byp[i]);
		for (j = i; j > 0 && e->key[j - 1] > k; j--)
			e->key[j] = e->key[j - 1];	/* within one prefix */
		e->key[j] = k;
		if (p->len == 32)
			e->len32 = true;
		else
			e->lens |= 1u << p->len;
	}
	e->view.nic = e->tab.nic;
	e->view.disable_bgp = e->tab.disable_bgp;
	if (x->o != NULL && x->o->table_cb != NULL)
		x->o->table_cb(x->o->table_arg, nic, &e->tab, byp);
	free(byp);
}

/* The first index position whose key is >= k. */
static size_t
key_lower(const struct tabent *e, uint64_t k)
{
	size_t a = 0, b = e->tab.nroutes, m;

	while (a < b) {
		m = a + (b - a) / 2;
		if (e->key[m] < k)
			a = m + 1;
		else
			b = m;
	}
	return a;
}

/*
 * Owns: the view of e for dst: every route whose prefix holds dst, in the
 * table's own order. Must not: leave one out (sdn_lookup and walk.c's
 * why() read only those).
 */
static void
ent_view(struct tabent *e, uint32_t dst)
{
	size_t np = 0, i, k;
	unsigned l;

	if (e->view_ok && e->view_dst == dst)
		return;
	for (l = 0; l <= 32; l++) {
		uint64_t want;

		if (l == 32 ? !e->len32 : !(e->lens & (1u << l)))
			continue;
		want = KEY(dst & pfx_mask((uint8_t)l), l, 0);
		for (k = key_lower(e, want); k < e->tab.nroutes &&
		    KEY_PFX(e->key[k]) == KEY_PFX(want); k++) {
			xgrow(&e->pos, &e->pos_cap, np + 1, sizeof(*e->pos));
			e->pos[np++] = KEY_POS(e->key[k]);
		}
	}
	qsort(e->pos, np, sizeof(*e->pos), u32_qcmp);
	xgrow(&e->view.routes, &e->view_cap, np + 1, sizeof(*e->view.routes));
	for (i = 0; i < np; i++)
		e->view.routes[i] = e->tab.routes[e->pos[i]];
	e->view.nroutes = np;
	e->view_dst = dst;
	e->view_ok = true;
}

/* Owns: the cache of subnets' tables. Must not: drop the pinned one. */
static struct tabent *
ent_get(struct rctx *x, const struct topo_nic *nic)
{
	size_t i, k;

	for (i = 0; i < x->nent; i++)
		if (x->ent[i].subnet == nic->subnet)
			return &x->ent[i];
	if (x->nent == REACH_TABLE_CACHE) {
		for (i = k = 0; i < x->nent; i++) {
			if (x->ent[i].subnet == x->pinned)
				x->ent[k++] = x->ent[i];
			else
				ent_free(&x->ent[i]);
		}
		x->nent = k;
	}
	ent_fill(x, &x->ent[x->nent], nic);
	return &x->ent[x->nent++];
}

static void
ent_unpin(struct rctx *x, const struct topo_subnet *s)
{
	size_t i;

	for (i = 0; i < x->nent; i++)
		if (x->ent[i].subnet == s) {
			ent_free(&x->ent[i]);
			x->ent[i] = x->ent[--x->nent];
			return;
		}
}

static const struct sdn_table *
view_table(void *arg, const struct topo_nic *nic)
{
	struct rctx *x = arg;
	struct tabent *e;

	if (nic == NULL || nic->subnet == NULL)
		return NULL;
	e = ent_get(x, nic);
	ent_view(e, x->dst);
	return &e->view;
}

/* ---- results ---- */

void
reach_result_of(const struct walk *w, struct reach_result *r)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	r->outcome = w->outcome;
	r->nhops = w->n;
	r->hops = xcalloc(w->n + 1, sizeof(*r->hops));
	for (i = 0; i < w->n; i++) {
		r->hops[i] = w->hop[i].node;
		r->ecmp |= w->hop[i].ecmp;
	}
	if (w->detail[0] != '\0')
		r->detail = xstrdup(w->detail);
	r->rule = w->rule;
	r->refused_by = w->refused_by;
}

void
reach_result_free(struct reach_result *r)
{
	free(r->hops);
	free(r->detail);
	memset(r, 0, sizeof(*r));
}

/* NS-04: denied by another NSG or rule is another outcome. */
static bool
nsg_differs(const struct reach_result *a, const struct reach_result *b)
{
	return a->outcome == WALK_NSG_DENIED && (a->detail == NULL ||
	    b->detail == NULL || strcmp(a->detail, b->detail) != 0);
}

bool
reach_result_equal(const struct reach_result *a, const struct reach_result *b)
{
	size_t i;

	if (a->outcome != b->outcome || a->nhops != b->nhops ||
	    nsg_differs(a, b))
		return false;
	for (i = 0; i < a->nhops; i++)
		if (a->hops[i] != b->hops[i])
			return false;
	return true;
}

bool
reach_result_same(const struct reach_result *a, const struct reach_result *b)
{
	size_t i;

	if (a->outcome != b->outcome || a->nhops != b->nhops ||
	    nsg_differs(a, b))
		return false;
	for (i = 0; i < a->nhops; i++)
		if ((a->hops[i] == NULL) != (b->hops[i] == NULL) ||
		    (a->hops[i] != NULL && strcmp(a->hops[i]->name,
		    b->hops[i]->name) != 0))
			return false;
	return true;
}

void
reach_class_name(const struct reach *r, size_t i, char *buf, size_t len)
{
	const struct reach_class *c = &r->classes[i];
	size_t k, nth = 0, of = 0;

	if (c->kind == REACH_INTERNET) {
		snprintf(buf, len, "internet");
		return;
	}
	for (k = 0; k < r->nclasses; k++)
		if (r->classes[k].subnet == c->subnet &&
		    r->classes[k].site == c->site) {
			of++;
			nth += k <= i;
		}
	if (c->kind == REACH_VM)
		snprintf(buf, len, "subnet:%s/%s", c->subnet->vnet->name,
		    c->subnet->name);
	else
		snprintf(buf, len, "site:%s", c->site->name);
	if (of > 1)
		snprintf(buf + strlen(buf), len - strlen(buf), "#%zu", nth);
}

char **
reach_class_names(const struct reach *r)
{
	char **v = xcalloc(r->nclasses + 1, sizeof(*v)), buf[128];
	size_t i;

	for (i = 0; i < r->nclasses; i++) {
		reach_class_name(r, i, buf, sizeof(buf));
		v[i] = xstrdup(buf);
	}
	return v;
}

void
reach_path_str(const struct reach_result *res, size_t from, size_t to,
    char *buf, size_t len)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = from; i < to && i < res->nhops && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
		    i > from ? " > " : "", res->hops[i] ? res->hops[i]->name :
		    "internet");
}

void
reach_outcome_str(const struct reach_result *res, char *buf, size_t len)
{
	if (res->outcome == WALK_NSG_DENIED && res->detail != NULL) {
		snprintf(buf, len, "%s", res->detail);
		return;
	}
	snprintf(buf, len, "%s%s%s%s%s", walk_outcome_str(res->outcome),
	    res->rule || res->refused_by ? " (" : "",
	    res->rule ? res->rule->jpath : "",
	    res->refused_by ? res->refused_by->jpath : "",
	    res->rule || res->refused_by ? ")" : "");
}

/* ---- the matrix ---- */

/* Owns: the selected members and representatives of every class. */
static void
select_members(struct reach *r, const struct reach_group *from,
    const struct reach_group *to)
{
	size_t i, k;

	for (i = 0; i < r->nclasses; i++) {
		struct reach_class *c = &r->classes[i];

		if (c->kind == REACH_INTERNET) {
			c->nsel_dst = reach_group_has(to, NULL);
			continue;
		}
		for (k = 0; k < c->nmembers; k++) {
			const struct topo_node *m = c->members[k];

			if (reach_group_has(from, m) && c->nsel_src++ == 0)
				c->rep_src = m;
			if (!reach_group_has(to, m))
				continue;
			if (c->nsel_dst++ == 0)
				c->rep_dst = m;
			else if (c->rep_dst2 == NULL)
				c->rep_dst2 = m;
		}
	}
}

/* Sources and destinations of both classes: the self pairs to leave out. */
static size_t
self_pairs(const struct reach_class *c, const struct reach_group *from,
    const struct reach_group *to)
{
	size_t k, n = 0;

	for (k = 0; k < c->nmembers; k++)
		n += reach_group_has(from, c->members[k]) &&
		    reach_group_has(to, c->members[k]);
	return n;
}

/* One cell: every service walked from s's representative to d's. */
static void
walk_cell(struct rctx *x, const struct walk_env *env, struct reach_cell *cell)
{
	const struct reach_class *s = &x->r->classes[cell->src];
	const struct reach_class *d = &x->r->classes[cell->dst];
	const struct topo_node *dn = d->rep_dst == s->rep_src ? d->rep_dst2 :
	    d->rep_dst;
	struct walk w;
	size_t v;

	cell->res = xcalloc(x->r->nsvcs, sizeof(*cell->res));
	x->dst = d->kind == REACH_INTERNET ? WALK_INTERNET_IP : ep_ip(dn);
	for (v = 0; v < x->r->nsvcs; v++) {
		struct walk_pkt pkt = { ep_ip(s->rep_src), x->dst,
		    x->r->svcs[v].proto, x->r->svcs[v].port, WALK_SPORT_BASE,
		    false };

		walk_predict(env, s->rep_src, &pkt, 0, &w);
		x->r->walks++;
		reach_result_of(&w, &cell->res[v]);
	}
}

/* Owns: the cells of one source class, its table pinned meanwhile. */
static void
walk_source(struct rctx *x, const struct walk_env *env, size_t si,
    const struct reach_group *from, const struct reach_group *to,
    size_t *cap)
{
	struct reach *r = x->r;
	const struct reach_class *s = &r->classes[si];
	size_t di;

	x->pinned = s->kind == REACH_VM ? s->subnet : NULL;
	for (di = 0; di < r->nclasses; di++) {
		const struct reach_class *d = &r->classes[di];
		struct reach_cell *cell;
		size_t pairs;

		if (d->nsel_dst == 0)
			continue;
		pairs = s->nsel_src * d->nsel_dst - (si == di ?
		    self_pairs(s, from, to) : 0);
		if (pairs == 0)
			continue;
		xgrow(&r->cells, cap, r->ncells + 1, sizeof(*r->cells));
		cell = &r->cells[r->ncells++];
		memset(cell, 0, sizeof(*cell));
		cell->src = si;
		cell->dst = di;
		cell->nsrc = s->nsel_src;
		cell->ndst = d->nsel_dst;
		cell->pairs = pairs;
		walk_cell(x, env, cell);
	}
	if (x->pinned != NULL)
		ent_unpin(x, x->pinned);
	x->pinned = NULL;
}

int
reach_run(const struct topo *t, const struct plan *p,
    const struct reach_group *from, const struct reach_group *to,
    struct reach *r, char *err, size_t len)
{
	return reach_run_opts(t, p, from, to, NULL, r, err, len);
}

/* The union of t's own cuts and o's, sorted and distinct; *out malloc'd. */
static size_t
cuts_with(const struct topo *t, const struct plan *p,
    const struct reach_opts *o, struct pfx4 **out)
{
	size_t n = reach_cuts(t, p, out), i, k = 0;

	if (o == NULL || o->ncuts == 0)
		return n;
	*out = xrealloc(*out, (n + o->ncuts) * sizeof(**out));
	memcpy(*out + n, o->cuts, o->ncuts * sizeof(**out));
	n += o->ncuts;
	qsort(*out, n, sizeof(**out), pfx_qcmp);
	for (i = 0; i < n; i++)
		if (k == 0 || !pfx_equal(&(*out)[k - 1], &(*out)[i]))
			(*out)[k++] = (*out)[i];
	return k;
}

int
reach_run_opts(const struct topo *t, const struct plan *p,
    const struct reach_group *from, const struct reach_group *to,
    const struct reach_opts *o, struct reach *r, char *err, size_t len)
{
	struct rctx *x = xcalloc(1, sizeof(*x));
	struct walk_env env = { t, view_table, NULL, NULL, x, &p->in, NULL };
	const struct topo *const *ts = &t;
	struct pfx4 *c;
	size_t nc, i, cap = 0;

	memset(r, 0, sizeof(*r));
	if (from->kind == REACH_G_INTERNET) {
		snprintf(err, len, "the Internet is no source: reach walks from "
		    "VMs and site hosts");
		free(x);
		return -1;
	}
	x->t = t;
	x->p = p;
	x->o = o;
	x->r = r;
	nc = cuts_with(t, p, o, &c);
	make_classes(t, c, nc, r);
	free(c);
	make_svcs(o != NULL && o->nsvc_topos > 0 ? o->svc_topos : ts,
	    o != NULL && o->nsvc_topos > 0 ? o->nsvc_topos : 1, r);
	select_members(r, from, to);
	for (i = 0; i < r->nclasses; i++)
		if (r->classes[i].nsel_src > 0)
			walk_source(x, &env, i, from, to, &cap);
	for (i = 0; i < x->nent; i++)
		ent_free(&x->ent[i]);
	free(x);
	return 0;
}

void
reach_free(struct reach *r)
{
	size_t i, v;

	for (i = 0; i < r->ncells; i++) {
		for (v = 0; v < r->nsvcs; v++)
			reach_result_free(&r->cells[i].res[v]);
		free(r->cells[i].res);
	}
	for (i = 0; i < r->nclasses; i++)
		free(r->classes[i].members);
	free(r->cells);
	free(r->classes);
	free(r->svcs);
	memset(r, 0, sizeof(*r));
}
