/*
 * share: which kernel tables the fabric's NICs look up (see share.h).
 * Owns the grouping of subnets, the equality of two struct kroute and the
 * split of their tables into the part a group shares and the part each
 * subnet keeps. Must not: do I/O, know netlink's route type or how routes
 * reach the kernel (fabric.c turns them into netlink routes, sync.c sends
 * them).
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "share.h"

/* What decides a slot's routes outside its own address space. */
struct key {
	const struct topo_vnet		*domain;	/* the hub, or the VNet */
	bool				 hub;		/* a hub's own subnet */
	const struct topo_route_table	*rt;
	bool				 remote_gw;
};

static struct key
key_of(const struct topo_subnet *sub)
{
	const struct topo_vnet *v = sub->vnet;
	struct key k = { v, v->hub, sub->rt, v->use_remote_gateways };

	/*
	 * a dual-homed spoke (PE-06) has peerings, or a Route Server, of its
	 * own; so has a spoke peered with other spokes (its peers' ranges)
	 */
	if (!v->hub && v->peer_hub != NULL && v->nxhubs == 0 && v->rs == NULL &&
	    v->nvpeers == 0)
		k.domain = v->peer_hub;
	return k;
}

static bool
key_equal(const struct key *a, const struct key *b)
{
	return a->domain == b->domain && a->hub == b->hub && a->rt == b->rt &&
	    a->remote_gw == b->remote_gw;
}

void
share_layout(const struct topo *t, struct share_layout *l)
{
	struct key *keys;
	size_t i, s, g;

	memset(l, 0, sizeof(*l));
	l->nic_slot = xcalloc(t->nnics ? t->nnics : 1, sizeof(*l->nic_slot));
	l->slot = xcalloc(t->nnics ? t->nnics : 1, sizeof(*l->slot));
	l->rep = xcalloc(t->nnics ? t->nnics : 1, sizeof(*l->rep));
	l->nnics = xcalloc(t->nnics ? t->nnics : 1, sizeof(*l->nnics));
	l->group = xcalloc(t->nnics ? t->nnics : 1, sizeof(*l->group));
	keys = xcalloc(t->nnics ? t->nnics : 1, sizeof(*keys));
	/* slots in the order of their first NIC: stable for a topology */
	for (i = 0; i < t->nnics; i++) {
		const struct topo_subnet *sub = t->nics[i]->subnet;

		for (s = 0; s < l->nslots && l->slot[s] != sub; s++)
			;
		if (s == l->nslots) {
			l->slot[s] = sub;
			l->rep[s] = t->nics[i];
			l->nslots++;
		}
		l->nnics[s]++;
		l->nic_slot[i] = (unsigned)s;
	}
	for (s = 0; s < l->nslots; s++) {
		struct key k;

		if (l->slot[s] == NULL || l->slot[s]->vnet == NULL) {
			/* a hand-built topology: a group of its own */
			l->group[s] = (unsigned)l->ngroups++;
			memset(&keys[l->group[s]], 0, sizeof(keys[0]));
			continue;
		}
		k = key_of(l->slot[s]);
		for (g = 0; g < l->ngroups; g++)
			if (keys[g].domain != NULL && key_equal(&keys[g], &k))
				break;
		if (g == l->ngroups)
			keys[l->ngroups++] = k;
		l->group[s] = (unsigned)g;
	}
	free(keys);
}

void
share_layout_free(struct share_layout *l)
{
	free(l->slot);
	free(l->rep);
	free(l->nnics);
	free(l->group);
	free(l->nic_slot);
	memset(l, 0, sizeof(*l));
}

bool
share_route_equal(const struct kroute *a, const struct kroute *b)
{
	unsigned i;

	if (!pfx_equal(&a->dst, &b->dst) || a->type != b->type ||
	    a->scope_link != b->scope_link || a->nnh != b->nnh)
		return false;
	for (i = 0; i < a->nnh; i++)
		if (a->nh[i].gw != b->nh[i].gw ||
		    a->nh[i].link != b->nh[i].link ||
		    a->nh[i].onlink != b->nh[i].onlink ||
		    a->nh[i].weight != b->nh[i].weight)
			return false;
	return true;
}

void
share_intersect(struct kroute **b, size_t *nb, const struct kroute *k,
    size_t nk, bool first)
{
	size_t i = 0, j = 0, n = 0;

	if (first) {
		*b = xcalloc(nk ? nk : 1, sizeof(**b));
		memcpy(*b, k, nk * sizeof(*k));
		*nb = nk;
		return;
	}
	/* both sorted by prefix: one walk, keeping b's routes in place */
	while (i < *nb && j < nk) {
		int c = pfx_cmp(&(*b)[i].dst, &k[j].dst);

		if (c < 0)
			i++;
		else if (c > 0)
			j++;
		else {
			if (share_route_equal(&(*b)[i], &k[j])) {
				if (n != i)
					(*b)[n] = (*b)[i];
				n++;
			}
			i++;
			j++;
		}
	}
	*nb = n;
}

/* Is r in b (sorted)? */
static bool
in_sorted(const struct kroute *b, size_t nb, const struct kroute *r)
{
	size_t lo = 0, hi = nb;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = pfx_cmp(&b[mid].dst, &r->dst);

		if (c == 0)
			return share_route_equal(&b[mid], r);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

size_t
share_split(const struct kroute *k, size_t nk, const struct kroute *b,
    size_t nb, const struct pfx4 *t, size_t nt, struct kroute **d,
    size_t *nd)
{
	struct pfx_cover own;
	bool *mine = xcalloc(nk ? nk : 1, sizeof(*mine));
	size_t i, stray = 0;

	pfx_cover_init(&own);
	pfx_cover_add(&own, t, nt);
	pfx_cover_done(&own);
	for (i = 0; i < nk; i++)
		if (!in_sorted(b, nb, &k[i])) {
			mine[i] = true;
			if (k[i].type == KROUTE_THROW && nb > 0 &&
			    !pfx_cover_has(&own, &k[i].dst))
				stray++;
		}
	/* everything equal to or inside what stays, and inside T */
	for (i = 0; i < nk; i++)
		if (mine[i])
			pfx_cover_add(&own, &k[i].dst, 1);
	pfx_cover_done(&own);
	*d = xcalloc(nk ? nk : 1, sizeof(**d));
	*nd = 0;
	for (i = 0; i < nk; i++)
		if (mine[i] || pfx_cover_has(&own, &k[i].dst))
			(*d)[(*nd)++] = k[i];
	pfx_cover_free(&own);
	free(mine);
	return stray;
}

const struct kroute *
share_lpm(const struct kroute *v, size_t n, uint32_t d)
{
	int len;

	for (len = 32; len >= 0; len--) {
		struct pfx4 p = { d & pfx_mask((uint8_t)len), (uint8_t)len };
		size_t lo = 0, hi = n;

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			int c = pfx_cmp(&v[mid].dst, &p);

			if (c == 0)
				return &v[mid];
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	return NULL;
}

enum share_how
share_lookup(const struct kroute *dv, size_t nd, const struct kroute *bv,
    size_t nb, const struct pfx4 *t, size_t nt, uint32_t d,
    const struct kroute **route)
{
	const struct kroute *r;
	size_t i;

	*route = NULL;
	if ((r = share_lpm(dv, nd, d)) != NULL && r->type != KROUTE_THROW) {
		*route = r;
		return SHARE_ROUTE;
	}
	for (i = 0; i < nt; i++)
		if (pfx_contains_addr(&t[i], d))
			return SHARE_DELIVERY;		/* the goto rules */
	if ((r = share_lpm(bv, nb, d)) == NULL)
		return SHARE_NONE;
	if (r->type == KROUTE_THROW)
		return SHARE_DELIVERY;
	*route = r;
	return SHARE_ROUTE;
}

/* ---- the split from differences (share.h) ---- */

/* Is p equal to or inside a prefix of t (a few: a VNet's space)? */
static bool
pfx_in_cover(const struct pfx4 *t, size_t nt, const struct pfx4 *p)
{
	size_t i;

	for (i = 0; i < nt; i++)
		if (pfx_contains(&t[i], p))
			return true;
	return false;
}

static bool
pfx_in(const struct pfx4 *v, size_t n, const struct pfx4 *p)
{
	return n > 0 && bsearch(p, v, n, sizeof(*v), pfx_qcmp) != NULL;
}

void
share_diff(const struct kroute *base, size_t nbase, const struct kroute *k,
    size_t nk, struct share_diff *out)
{
	size_t i = 0, j = 0, ecap = 0, mcap = 0;

	/* grown as needed: differences are small, and kept per slot */
	memset(out, 0, sizeof(*out));
	while (i < nbase || j < nk) {
		int c = i == nbase ? 1 : j == nk ? -1 :
		    pfx_cmp(&base[i].dst, &k[j].dst);
		bool m = c < 0, e = c > 0;

		if (c == 0 && !share_route_equal(&base[i], &k[j]))
			m = e = true;
		if (m) {
			xgrow(&out->m, &mcap, out->nm + 1, sizeof(*out->m));
			out->m[out->nm++] = base[i].dst;
		}
		if (e) {
			xgrow(&out->e, &ecap, out->ne + 1, sizeof(*out->e));
			out->e[out->ne++] = k[j];
		}
		if (c <= 0)
			i++;
		if (c >= 0)
			j++;
	}
}

void
share_diff_free(struct share_diff *d)
{
	free(d->e);
	free(d->m);
	memset(d, 0, sizeof(*d));
}

size_t
share_base(const struct kroute *base, size_t nbase, const struct pfx4 *mall,
    size_t nmall, struct kroute **b)
{
	size_t i, n = 0;

	*b = xcalloc(nbase ? nbase : 1, sizeof(**b));
	for (i = 0; i < nbase; i++)
		if (!pfx_in(mall, nmall, &base[i].dst))
			(*b)[n++] = base[i];
	return n;
}

/* First index of v (sorted) whose prefix is not below (addr, 0). */
static size_t
lower(const struct kroute *v, size_t n, uint32_t addr)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid].dst.addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
take(const struct kroute ***out, size_t *n, size_t *cap,
    const struct kroute *r)
{
	xgrow(out, cap, *n + 1, sizeof(**out));
	(*out)[(*n)++] = r;
}

static int
route_pcmp(const void *a, const void *b)
{
	return pfx_cmp(&(*(const struct kroute *const *)a)->dst,
	    &(*(const struct kroute *const *)b)->dst);
}

size_t
share_split_diff(const struct kroute *base, size_t nbase,
    const struct share_diff *sd, const struct pfx4 *mall, size_t nmall,
    bool b_empty, const struct pfx4 *t, size_t nt, struct kroute **d,
    size_t *nd)
{
	struct pfx4 *cover;
	const struct kroute **got = NULL;
	size_t ncover = 0, n = 0, cap = 0, i, k, stray = 0;

	if (b_empty) {
		/* D is the slot's whole table: base less m, with e */
		for (i = 0; i < nbase; i++)
			if (!pfx_in(sd->m, sd->nm, &base[i].dst))
				take(&got, &n, &cap, &base[i]);
		for (i = 0; i < sd->ne; i++)
			take(&got, &n, &cap, &sd->e[i]);
		goto out;
	}
	/* what stays the slot's own: e, and base's routes only some slots lack */
	cover = xcalloc(nt + sd->ne + nmall + 1, sizeof(*cover));
	for (i = 0; i < nt; i++)
		cover[ncover++] = t[i];
	for (i = 0; i < sd->ne; i++) {
		cover[ncover++] = sd->e[i].dst;
		if (sd->e[i].type == KROUTE_THROW && !pfx_in_cover(t, nt,
		    &sd->e[i].dst))
			stray++;
	}
	for (i = 0; i < nmall; i++) {
		const struct kroute *r;

		if (pfx_in(sd->m, sd->nm, &mall[i]))
			continue;	/* the slot lacks it: not its own */
		k = lower(base, nbase, mall[i].addr);
		for (r = NULL; k < nbase && base[k].dst.addr == mall[i].addr; k++)
			if (base[k].dst.len == mall[i].len)
				r = &base[k];
		if (r == NULL)
			continue;
		cover[ncover++] = r->dst;
		if (r->type == KROUTE_THROW && !pfx_in_cover(t, nt, &r->dst))
			stray++;
	}
	/* every route of the slot inside what it covers */
	for (i = 0; i < ncover; i++) {
		const struct pfx4 *p = &cover[i];
		uint32_t hi = p->addr | ~pfx_mask(p->len);

		for (k = lower(base, nbase, p->addr); k < nbase &&
		    base[k].dst.addr <= hi; k++)
			if (pfx_contains(p, &base[k].dst) &&
			    !pfx_in(sd->m, sd->nm, &base[k].dst))
				take(&got, &n, &cap, &base[k]);
		for (k = lower(sd->e, sd->ne, p->addr); k < sd->ne &&
		    sd->e[k].dst.addr <= hi; k++)
			if (pfx_contains(p, &sd->e[k].dst))
				take(&got, &n, &cap, &sd->e[k]);
	}
	free(cover);
out:
	if (n > 1)
		qsort(got, n, sizeof(*got), route_pcmp);
	*d = xcalloc(n ? n : 1, sizeof(**d));
	*nd = 0;
	for (i = 0; i < n; i++)
		if (i == 0 || got[i] != got[i - 1])
			(*d)[(*nd)++] = *got[i];
	free(got);
	return stray;
}
