/*
 * addr: the lab's numbering. Puts the nodes in their documented order
 * (Route Server instances, NVAs, VMs, then sites), numbers the NICs in that
 * order (a node's primary, then its extra ones, NV-01), and gives every NIC and site link its address the way Azure would:
 * Route Server at .4 and .5 of RouteServerSubnet (RS-02), a given "ip" where
 * the file has one, else the next free address from .4 up. Azure keeps .0 to
 * .3 and the last address of every subnet.
 *
 * Must not: read JSON (everything it needs is in the model).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "topo_int.h"

#define SITELINK_BASE	0xa9fe0000u	/* 169.254.0.0 */
#define SITELINKS_PER_OCTET 64		/* /30s in a /24 */
#define GWLINK_BASE	0xa9fe1500u	/* 169.254.21.0/23 (GW-03's APIPA range) */
#define LINK_STRIDE	4		/* one /30 */

static unsigned
rank(enum topo_node_kind k)
{
	switch (k) {
	case TOPO_RS:
		return 0;
	case TOPO_GW:
		return 1;
	case TOPO_NVA:
		return 2;
	case TOPO_VM:
		return 3;
	case TOPO_MSEE:
		return 4;
	case TOPO_SITE_ROUTER:
	case TOPO_SITE_HOST:
		break;
	}
	return 5;	/* a site's router, then its hosts, as created */
}

/* Stable: nodes of one rank keep their file order. */
int
topo_layout(struct tctx *c)
{
	struct topo *t = c->t;
	struct topo_node **out;
	size_t i, k = 0;
	unsigned r;

	out = xcalloc(t->nnodes, sizeof(*out));
	for (r = 0; r <= 5; r++)
		for (i = 0; i < t->nnodes; i++)
			if (rank(t->nodes[i]->kind) == r)
				out[k++] = t->nodes[i];
	free(t->nodes);
	t->nodes = out;
	for (i = 0; i < t->nnodes; i++)
		for (k = 0; k < t->nodes[i]->nnics; k++) {
			t->nodes[i]->nics[k]->idx = (unsigned)t->nnics;
			topo_push(&t->nics, &t->nnics, t->nodes[i]->nics[k]);
		}
	return 0;
}

static uint32_t
last_addr(const struct topo_subnet *sn)
{
	return sn->pfx.addr | ~pfx_mask(sn->pfx.len);
}

static char *
ip_path(char *buf, const struct topo_nic *nic)
{
	return topo_path_key(buf, nic->jpath, "ip");
}

/* NICs by subnet, then address; ties (equal or unset addresses) by index. */
static int
sn_ip_cmp(const void *a, const void *b)
{
	const struct topo_nic *x = *(const struct topo_nic *const *)a;
	const struct topo_nic *y = *(const struct topo_nic *const *)b;
	uintptr_t sx = (uintptr_t)x->subnet, sy = (uintptr_t)y->subnet;

	if (sx != sy)
		return sx < sy ? -1 : 1;
	if (x->ip != y->ip)
		return x->ip < y->ip ? -1 : 1;
	return 0;
}

static int
sn_ip_idx_cmp(const void *a, const void *b)
{
	const struct topo_nic *x = *(const struct topo_nic *const *)a;
	const struct topo_nic *y = *(const struct topo_nic *const *)b;
	int r = sn_ip_cmp(a, b);

	return r != 0 ? r : (x->idx > y->idx) - (x->idx < y->idx);
}

/*
 * Given addresses, in NIC order: inside the subnet, not reserved, and not
 * given twice in one subnet (the second is the error, naming the first).
 */
static int
given_ips(struct tctx *c)
{
	const struct topo *t = c->t;
	const struct topo_nic **given = NULL, *nic;
	char p[TOPO_PATH_MAX], a[ADDR_STRLEN], b[PFX_STRLEN];
	size_t n = 0, i, dup, first = 0;
	int rc = 0;

	given = xcalloc(t->nnics ? t->nnics : 1, sizeof(*given));
	for (i = 0; i < t->nnics; i++)
		if (t->nics[i]->ip_given)
			given[n++] = t->nics[i];
	dup = topo_first_dup(given, n, sizeof(*given), sn_ip_cmp, &first);
	for (i = 0; i < n && rc == 0; i++) {
		const struct topo_subnet *sn = (nic = given[i])->subnet;

		ip_path(p, nic);
		addr_fmt(nic->ip, a);
		if (!pfx_contains_addr(&sn->pfx, nic->ip))
			rc = topo_fail(c, p, "%s is outside subnet \"%s\" (%s)",
			    a, sn->name, pfx_fmt(&sn->pfx, b));
		else if (nic->ip - sn->pfx.addr < TOPO_AZ_RESERVED_LOW ||
		    nic->ip == last_addr(sn))
			rc = topo_fail(c, p, "%s is reserved: Azure keeps the "
			    "first four addresses and the last address of every "
			    "subnet", a);
		else if (i == dup)
			rc = topo_fail(c, p, "%s is already the address of "
			    "\"%s\"", a, given[first]->name);
	}
	free(given);
	return rc;
}

/*
 * The next free address from .4 up, for every NIC without one, in NIC
 * order: each subnet's NICs get increasing addresses, past those already
 * handed out, skipping the given ones and Route Server's (RS-02).
 *
 * O(n log n): the NICs sorted by (subnet, address, index) put, for each
 * subnet, its taken addresses in order (the NICs still to number sort
 * first, at address 0, in NIC order), so one walk numbers a subnet.
 * The search that scanned every NIC for every candidate address took
 * 33 s for 128k VMs.
 */
static int
auto_ips(struct tctx *c)
{
	const struct topo *t = c->t;
	struct topo_nic **by, *nic, *bad = NULL;
	const struct topo_subnet *sn;
	char b[PFX_STRLEN];
	size_t i, j, k, todo, end;
	uint32_t ip;

	if (t->nnics == 0)
		return 0;
	by = xcalloc(t->nnics, sizeof(*by));
	memcpy(by, t->nics, t->nnics * sizeof(*by));
	qsort(by, t->nnics, sizeof(*by), sn_ip_idx_cmp);
	for (i = 0; i < t->nnics; i = end) {
		sn = by[i]->subnet;
		for (end = i; end < t->nnics && by[end]->subnet == sn; end++)
			;
		/* by[i..todo): to number; by[todo..end): taken, ascending */
		for (todo = i; todo < end && by[todo]->ip == 0; todo++)
			;
		k = todo;
		for (j = i, ip = sn->pfx.addr + TOPO_AZ_RESERVED_LOW; j < todo;
		    j++, ip++) {
			for (;; ip++) {		/* past the taken ones */
				while (k < end && by[k]->ip < ip)
					k++;
				if (k == end || by[k]->ip != ip)
					break;
			}
			if (ip >= last_addr(sn)) {
				if (bad == NULL || by[j]->idx < bad->idx)
					bad = by[j];
				break;
			}
			by[j]->ip = ip;
		}
	}
	free(by);
	if ((nic = bad) == NULL)
		return 0;
	sn = nic->subnet;
	return topo_fail(c, nic->jpath, "subnet \"%s\" (%s) is full: no "
	    "address is left for \"%s\" (Azure keeps .0 to .3 and the last "
	    "address)", sn->name, pfx_fmt(&sn->pfx, b), nic->name);
}

/*
 * The fabric delivers to every NIC by a /32 in one table (emu/lab.h), so
 * NICs in VNets that overlap without being peered still need distinct IPs.
 */
static int
nic_ip_cmp(const void *a, const void *b)
{
	uint32_t x = (*(const struct topo_nic *const *)a)->ip;
	uint32_t y = (*(const struct topo_nic *const *)b)->ip;

	return x < y ? -1 : x > y;
}

/* Unique NIC addresses; then the index topo_nic_by_ip searches. */
static int
unique_ips(struct tctx *c)
{
	struct topo *t = c->t;
	const struct topo_nic *nic, *o;
	char p[TOPO_PATH_MAX], a[ADDR_STRLEN];
	size_t dup, first = 0;

	dup = topo_first_dup(t->nics, t->nnics, sizeof(*t->nics), nic_ip_cmp,
	    &first);
	if (dup < t->nnics) {
		nic = t->nics[dup];
		o = t->nics[first];
		if (nic->ip_given)
			ip_path(p, nic);
		else
			snprintf(p, sizeof(p), "%s", nic->jpath);
		return topo_fail(c, p, "%s is also the address of \"%s\" in "
		    "VNet \"%s\": arsemu's fabric needs every NIC address in a "
		    "lab to be unique", addr_fmt(nic->ip, a), o->name,
		    o->subnet->vnet->name);
	}
	free(t->nics_by_ip);
	t->nics_by_ip = xcalloc(t->nnics ? t->nnics : 1, sizeof(*t->nics_by_ip));
	if (t->nnics > 0)
		memcpy(t->nics_by_ip, t->nics, t->nnics * sizeof(*t->nics));
	qsort(t->nics_by_ip, t->nnics, sizeof(*t->nics_by_ip), nic_ip_cmp);
	return 0;
}

/* RS-23: the next hop an NVA sends; Route Server is never in the path. */
static int
next_hop(struct tctx *c, const struct topo_nva *nva)
{
	const struct topo_vnet *own = nva->node->nic->subnet->vnet;
	char p[TOPO_PATH_MAX], a[ADDR_STRLEN];
	size_t i;

	if (nva->next_hop == 0)
		return 0;
	topo_path_key(p, nva->node->jpath, "next_hop");
	addr_fmt(nva->next_hop, a);
	for (i = 0; i < own->nspace; i++)
		if (pfx_contains_addr(&own->space[i], nva->next_hop))
			break;
	if (i == own->nspace)
		return topo_fail(c, p, "%s is outside %s \"%s\": the next hop "
		    "must be an address in the NVA's VNet, its own or an "
		    "internal load balancer's (RS-23)", a,
		    own->hub ? "hub" : "spoke", own->name);
	if (own->rs != NULL && (nva->next_hop == own->rs->ip[0] ||
	    nva->next_hop == own->rs->ip[1]))
		return topo_fail(c, p, "%s is a Route Server address, and "
		    "Route Server is never in the data path (RS-23)", a);
	return 0;
}

/*
 * NV-06: a BGP NVA's sessions leave by its primary NIC, the address its
 * Route Servers peer with (NV-05); a guest route of an extra NIC that
 * holds an instance's address would send them out of that NIC instead.
 */
static int
session_nic(struct tctx *c, const struct topo_nva *nva)
{
	const struct topo_node *n = nva->node;
	const struct topo_nic *x;
	char p[TOPO_PATH_MAX], rp[TOPO_PATH_MAX], a[PFX_STRLEN], b[ADDR_STRLEN];
	size_t i, j, k;
	unsigned m;

	for (i = 1; nva->bgp && i < n->nnics; i++)
		for (k = 0, x = n->nics[i]; k < x->nroutes; k++)
			for (j = 0; j < c->t->nrss; j++)
				for (m = 0; m < 2; m++) {
					if (!topo_nva_peers_rs(nva, c->t->rss[j]) ||
					    (c->t->rss[j] == n->nic->subnet->vnet->rs &&
					    !nva->peer_rs[m]) ||
					    !pfx_contains_addr(&x->routes[k],
					    c->t->rss[j]->ip[m]))
						continue;
					topo_path_idx(p, topo_path_key(rp,
					    x->jpath, "routes"), k);
					pfx_fmt(&x->routes[k], a);
					addr_fmt(c->t->rss[j]->ip[m], b);
					return topo_fail(c, p, "%s holds %s, "
					    "Route Server instance %s that NVA "
					    "\"%s\" peers with: its BGP sessions "
					    "leave by the primary NIC (NV-05), "
					    "so no extra NIC may route them "
					    "(NV-06)", a, b,
					    c->t->rss[j]->inst[m]->name, n->name);
				}
	return 0;
}

static void
rs_ips(struct topo *t)
{
	struct topo_rs *rs;
	size_t i;
	unsigned k;

	for (i = 0; i < t->nrss; i++) {
		rs = t->rss[i];
		for (k = 0; k < 2; k++) {
			rs->ip[k] = rs->inst[k]->nic->subnet->pfx.addr +
			    TOPO_AZ_RESERVED_LOW + k;
			rs->inst[k]->nic->ip = rs->ip[k];
		}
	}
}

/* 169.254.<idx/64>.<(idx%64)*4+1>/30 for the NVA, +1 for the site. */
static void
sitelink_ips(struct topo *t)
{
	struct topo_sitelink *l;
	size_t i;

	for (i = 0; i < t->nsitelinks; i++) {
		l = t->sitelinks[i];
		l->nva_ip = SITELINK_BASE | (l->idx / SITELINKS_PER_OCTET) << 8 |
		    ((l->idx % SITELINKS_PER_OCTET) * 4 + 1);
		l->site_ip = l->nva_ip + 1;
	}
}

/* Gateway links: 169.254.21.<4*idx+1>/30 for the Azure side, +1 the other. */
static void
gwlink_ips(struct topo *t)
{
	size_t i;

	for (i = 0; i < t->ngwlinks; i++) {
		t->gwlinks[i]->a_ip = GWLINK_BASE + t->gwlinks[i]->idx *
		    LINK_STRIDE + 1;
		t->gwlinks[i]->b_ip = t->gwlinks[i]->a_ip + 1;
	}
}

uint32_t
topo_bgp_addr(const struct topo *t, const struct topo_node *n)
{
	size_t i;

	if (n->nic != NULL)
		return n->nic->ip;
	for (i = 0; i < t->ngwlinks; i++) {
		if (t->gwlinks[i]->a == n)
			return t->gwlinks[i]->a_ip;
		if (t->gwlinks[i]->b == n)
			return t->gwlinks[i]->b_ip;
	}
	return 0;
}

int
topo_address(struct tctx *c)
{
	struct topo *t = c->t;
	size_t i;

	rs_ips(t);
	if (given_ips(c) == -1 || auto_ips(c) == -1 || unique_ips(c) == -1)
		return -1;
	for (i = 0; i < t->nnvas; i++)
		if (next_hop(c, t->nvas[i]) == -1 ||
		    session_nic(c, t->nvas[i]) == -1)
			return -1;
	sitelink_ips(t);
	gwlink_ips(t);
	return 0;
}
