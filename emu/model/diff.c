/*
 * diff: see diff.h.
 *
 * Owns: matching two revisions' subnets, NICs, peerings and warnings by
 * name, comparing each subnet's effective routes prefix by prefix, and
 * grouping subnets with the same difference; matching two revisions'
 * reachability classes and grouping the class pairs whose walks changed.
 * Must not: compute routes itself (sdn.c does, from the plans plan.c made)
 * or walk (reach.c does, the same matrix `arsemu reach` prints) or print (cmd/cmd_diff.c does). No I/O, no state between calls.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "diff.h"

/* A subnet with NICs: its first NIC stands for all (sdn reads the subnet). */
struct slot {
	const struct topo_subnet	*sn;
	const struct topo_nic		*nic;
	size_t				 nnics;
};

/* The subnets of t that hold a NIC, in NIC order; *out malloc'd. */
static size_t
slots(const struct topo *t, struct slot **out)
{
	size_t i, k, n = 0;

	*out = xcalloc(t->nnics ? t->nnics : 1, sizeof(**out));
	for (i = 0; i < t->nnics; i++) {
		for (k = n; k > 0 && (*out)[k - 1].sn != t->nics[i]->subnet; k--)
			;
		if (k > 0) {
			(*out)[k - 1].nnics++;
			continue;
		}
		(*out)[n].sn = t->nics[i]->subnet;
		(*out)[n].nic = t->nics[i];
		(*out)[n++].nnics = 1;
	}
	return n;
}

static bool
same_subnet(const struct topo_subnet *a, const struct topo_subnet *b)
{
	return strcmp(a->name, b->name) == 0 &&
	    strcmp(a->vnet->name, b->vnet->name) == 0;
}

/* The routes at v[i]'s prefix: their count from i. */
static size_t
run_len(const struct sdn_route *v, size_t n, size_t i)
{
	size_t k = i;

	while (k < n && pfx_equal(&v[k].pfx, &v[i].pfx))
		k++;
	return k - i;
}

static bool
runs_equal(const struct sdn_route *a, size_t na, const struct sdn_route *b,
    size_t nb)
{
	size_t i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (!sdn_route_equal(&a[i], &b[i]))
			return false;
	return true;
}

static struct sdn_route *
routes_copy(const struct sdn_route *v, size_t n)
{
	struct sdn_route *c = xcalloc(n ? n : 1, sizeof(*c));

	if (n > 0)
		memcpy(c, v, n * sizeof(*v));
	return c;
}

static void
prefix_add(struct diff_group *g, size_t *cap, const struct sdn_route *o,
    size_t no, const struct sdn_route *n, size_t nn)
{
	struct diff_prefix *p;

	if (g->nprefixes == *cap) {
		*cap = *cap ? 2 * *cap : 8;
		g->prefixes = xrealloc(g->prefixes, *cap * sizeof(*g->prefixes));
	}
	p = &g->prefixes[g->nprefixes++];
	p->pfx = no > 0 ? o[0].pfx : n[0].pfx;
	p->kind = no == 0 ? DIFF_ADDED : nn == 0 ? DIFF_REMOVED : DIFF_CHANGED;
	p->old = routes_copy(o, no);
	p->nold = no;
	p->new = routes_copy(n, nn);
	p->nnew = nn;
}

/*
 * The prefixes whose routes differ between two tables sorted by prefix
 * (either may be empty: a subnet of one revision only) into g.
 */
static void
tables_diff(const struct sdn_table *a, const struct sdn_table *b,
    struct diff_group *g)
{
	size_t i = 0, k = 0, na, nb, cap = 0;
	int c;

	while (i < a->nroutes || k < b->nroutes) {
		if (i == a->nroutes)
			c = 1;
		else if (k == b->nroutes)
			c = -1;
		else
			c = pfx_cmp(&a->routes[i].pfx, &b->routes[k].pfx);
		na = c <= 0 ? run_len(a->routes, a->nroutes, i) : 0;
		nb = c >= 0 ? run_len(b->routes, b->nroutes, k) : 0;
		if (!runs_equal(a->routes + i, na, b->routes + k, nb))
			prefix_add(g, &cap, a->routes + i, na, b->routes + k, nb);
		i += na;
		k += nb;
	}
}

/* FNV-1a over what makes two groups' differences equal. */
static uint64_t
hash_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n-- > 0)
		h = (h ^ *c++) * 1099511628211ull;
	return h;
}

static uint64_t
hash_routes(uint64_t h, const struct sdn_route *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		h = sdn_route_hash(h, &v[i]);
	return h;
}

static uint64_t
group_hash(const struct diff_group *g)
{
	uint64_t h = 14695981039346656037ull;
	size_t i;

	h = hash_bytes(h, &g->kind, sizeof(g->kind));
	for (i = 0; i < g->nprefixes; i++) {
		h = hash_routes(h, g->prefixes[i].old, g->prefixes[i].nold);
		h = hash_routes(h, g->prefixes[i].new, g->prefixes[i].nnew);
	}
	return h;
}

static bool
groups_equal(const struct diff_group *a, const struct diff_group *b)
{
	size_t i;

	if (a->hash != b->hash || a->kind != b->kind ||
	    a->nprefixes != b->nprefixes)
		return false;
	for (i = 0; i < a->nprefixes; i++)
		if (!runs_equal(a->prefixes[i].old, a->prefixes[i].nold,
		    b->prefixes[i].old, b->prefixes[i].nold) ||
		    !runs_equal(a->prefixes[i].new, a->prefixes[i].nnew,
		    b->prefixes[i].new, b->prefixes[i].nnew))
			return false;
	return true;
}

static void
group_fini(struct diff_group *g)
{
	size_t i;

	for (i = 0; i < g->nprefixes; i++) {
		free(g->prefixes[i].old);
		free(g->prefixes[i].new);
	}
	free(g->prefixes);
	free(g->members);
	memset(g, 0, sizeof(*g));
}

static void
member_add(struct diff_group *g, const struct slot *s)
{
	struct diff_member *m;

	g->members = xrealloc(g->members, (g->nmembers + 1) * sizeof(*m));
	m = &g->members[g->nmembers++];
	m->vnet = s->sn->vnet->name;
	m->subnet = s->sn->name;
	m->nnics = s->nnics;
	g->nnics += s->nnics;
}

/* A subnet's difference into d: a group's new member, a new group, or none. */
static void
group_add(struct diff *d, struct diff_group *g, const struct slot *s)
{
	size_t i;

	d->subnets++;
	if (g->nprefixes == 0) {
		d->unchanged++;
		group_fini(g);
		return;
	}
	g->hash = group_hash(g);
	for (i = 0; i < d->ngroups; i++)
		if (groups_equal(&d->groups[i], g)) {
			member_add(&d->groups[i], s);
			group_fini(g);
			return;
		}
	member_add(g, s);
	d->groups = xrealloc(d->groups, (d->ngroups + 1) * sizeof(*d->groups));
	d->groups[d->ngroups++] = *g;
}

/* One subnet's effective routes, sorted by prefix; empty without a slot. */
static void
table(const struct topo *t, const struct plan *p, const struct slot *s,
    struct sdn_table *out)
{
	memset(out, 0, sizeof(*out));
	if (s != NULL)
		sdn_effective_by_prefix(t, &p->in, s->nic, out);
}

/* Compare one subnet (either slot may be NULL: one revision only). */
static void
subnet_diff(const struct topo *a, const struct plan *pa, const struct slot *sa,
    const struct topo *b, const struct plan *pb, const struct slot *sb,
    struct diff *d)
{
	struct sdn_table ta, tb;
	struct diff_group g;

	memset(&g, 0, sizeof(g));
	g.kind = sa == NULL ? DIFF_ADDED : sb == NULL ? DIFF_REMOVED :
	    DIFF_CHANGED;
	table(a, pa, sa, &ta);
	table(b, pb, sb, &tb);
	tables_diff(&ta, &tb, &g);
	sdn_table_free(&ta);
	sdn_table_free(&tb);
	group_add(d, &g, sb != NULL ? sb : sa);
}

static void
subnets_diff(const struct topo *a, const struct plan *pa,
    const struct topo *b, const struct plan *pb, struct diff *d)
{
	struct slot *sa, *sb;
	size_t na = slots(a, &sa), nb = slots(b, &sb), i, k;
	bool *matched = xcalloc(na ? na : 1, sizeof(*matched));

	for (k = 0; k < nb; k++) {
		for (i = 0; i < na && !same_subnet(sa[i].sn, sb[k].sn); i++)
			;
		if (i < na)
			matched[i] = true;
		subnet_diff(a, pa, i < na ? &sa[i] : NULL, b, pb, &sb[k], d);
	}
	for (i = 0; i < na; i++)
		if (!matched[i])
			subnet_diff(a, pa, &sa[i], b, pb, NULL, d);
	free(matched);
	free(sa);
	free(sb);
}

static int
nic_qcmp(const void *x, const void *y)
{
	const struct topo_nic *const *a = x, *const *b = y;

	return strcmp((*a)->name, (*b)->name);
}

static const struct topo_nic **
nics_sorted(const struct topo *t)
{
	const struct topo_nic **v = xcalloc(t->nnics ? t->nnics : 1,
	    sizeof(*v));

	if (t->nnics > 0)
		memcpy(v, t->nics, t->nnics * sizeof(*v));
	qsort(v, t->nnics, sizeof(*v), nic_qcmp);
	return v;
}

/* The set of NICs of kind in nic's subnet: found or made, with its routes. */
static size_t
nicset(struct diff *d, const struct topo *t, const struct plan *p,
    const struct topo_nic *nic, enum diff_kind kind)
{
	struct diff_nicset *s;
	struct sdn_table tab;
	size_t i;

	for (i = 0; i < d->nnicsets; i++)
		if (d->nicsets[i].kind == kind &&
		    strcmp(d->nicsets[i].vnet, nic->subnet->vnet->name) == 0 &&
		    strcmp(d->nicsets[i].subnet, nic->subnet->name) == 0)
			return i;
	d->nicsets = xrealloc(d->nicsets, (d->nnicsets + 1) *
	    sizeof(*d->nicsets));
	s = &d->nicsets[d->nnicsets];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->vnet = nic->subnet->vnet->name;
	s->subnet = nic->subnet->name;
	sdn_effective(t, &p->in, nic, &tab);
	s->routes = routes_copy(tab.routes, tab.nroutes);
	s->nroutes = tab.nroutes;
	sdn_table_free(&tab);
	return d->nnicsets++;
}

static void
nic_add(struct diff *d, const struct topo *t, const struct plan *p,
    const struct topo_nic *nic, enum diff_kind kind)
{
	struct diff_nic *n;
	size_t set = nicset(d, t, p, nic, kind);

	d->nics = xrealloc(d->nics, (d->nnics + 1) * sizeof(*d->nics));
	n = &d->nics[d->nnics++];
	n->name = nic->name;
	n->vnet = nic->subnet->vnet->name;
	n->subnet = nic->subnet->name;
	n->kind = kind;
	n->set = set;
	d->nicsets[set].nnics++;
}

/* NICs by name in one revision only, or moved between subnets. */
static void
nics_diff(const struct topo *a, const struct plan *pa, const struct topo *b,
    const struct plan *pb, struct diff *d)
{
	const struct topo_nic **va = nics_sorted(a), **vb = nics_sorted(b);
	size_t i = 0, k = 0;
	int c;

	while (i < a->nnics || k < b->nnics) {
		c = i == a->nnics ? 1 : k == b->nnics ? -1 :
		    strcmp(va[i]->name, vb[k]->name);
		if (c < 0 || (c == 0 && !same_subnet(va[i]->subnet,
		    vb[k]->subnet)))
			nic_add(d, a, pa, va[i], DIFF_REMOVED);
		if (c > 0 || (c == 0 && !same_subnet(va[i]->subnet,
		    vb[k]->subnet)))
			nic_add(d, b, pb, vb[k], DIFF_ADDED);
		i += c <= 0;
		k += c >= 0;
	}
	free(va);
	free(vb);
}

/* The peer's name: its node's, else its address. */
static void
peer_name(const struct topo *t, const struct plan_peering *pp, char *buf,
    size_t len)
{
	const struct topo_nic *nic = topo_nic_by_ip(t, pp->addr);
	char a[ADDR_STRLEN];

	if (nic != NULL)
		snprintf(buf, len, "%s", nic->node->name);
	else
		snprintf(buf, len, "%s", addr_fmt(pp->addr, a));
}

static void
pfx_push(struct pfx4 **v, size_t *n, const struct pfx4 *p)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = *p;
}

/* What came and went between two sorted, distinct prefix sets. */
static void
pfxset_diff(const struct pfx4 *a, size_t na, const struct pfx4 *b, size_t nb,
    struct diff_pfxset *out)
{
	size_t i = 0, k = 0;
	int c;

	memset(out, 0, sizeof(*out));
	while (i < na || k < nb) {
		c = i == na ? 1 : k == nb ? -1 : pfx_cmp(&a[i], &b[k]);
		if (c < 0)
			pfx_push(&out->removed, &out->nremoved, &a[i]);
		else if (c > 0)
			pfx_push(&out->added, &out->nadded, &b[k]);
		i += c <= 0;
		k += c >= 0;
	}
}

static void
pfxset_free(struct diff_pfxset *s)
{
	free(s->added);
	free(s->removed);
	memset(s, 0, sizeof(*s));
}

/* One peering (either may be NULL) into d if anything of it differs. */
static void
peering_diff(const struct plan_peering *o, const struct plan_peering *n,
    const char *peer, struct diff *d)
{
	static const struct plan_peering none;
	const struct plan_peering *x = o != NULL ? o : &none;
	const struct plan_peering *y = n != NULL ? n : &none;
	struct diff_peering e;

	memset(&e, 0, sizeof(e));
	e.instance = (n != NULL ? n : o)->instance->name;
	snprintf(e.peer, sizeof(e.peer), "%s", peer);
	e.kind = o == NULL ? DIFF_ADDED : n == NULL ? DIFF_REMOVED :
	    DIFF_CHANGED;
	e.old_up = x->established;
	e.new_up = y->established;
	e.old_over = x->over_limit;
	e.new_over = y->over_limit;
	e.old_accepted = x->accepted;
	e.new_accepted = y->accepted;
	pfxset_diff(x->learned, x->nlearned, y->learned, y->nlearned,
	    &e.learned);
	pfxset_diff(x->advertised, x->nadvertised, y->advertised,
	    y->nadvertised, &e.advertised);
	if (e.kind == DIFF_CHANGED && e.old_up == e.new_up &&
	    e.old_over == e.new_over && e.old_accepted == e.new_accepted &&
	    e.learned.nadded + e.learned.nremoved + e.advertised.nadded +
	    e.advertised.nremoved == 0) {
		pfxset_free(&e.learned);
		pfxset_free(&e.advertised);
		return;
	}
	d->peerings = xrealloc(d->peerings, (d->npeerings + 1) *
	    sizeof(*d->peerings));
	d->peerings[d->npeerings++] = e;
}

/* Peerings by (instance, peer name): new's order, then old's gone ones. */
static void
peerings_diff(const struct topo *a, const struct plan *pa,
    const struct topo *b, const struct plan *pb, struct diff *d)
{
	char na[sizeof(((struct diff_peering *)0)->peer)], nb[sizeof(na)];
	bool *matched = xcalloc(pa->npeerings + 1, sizeof(*matched));
	const struct plan_peering *x, *y;
	size_t i, k;

	for (k = 0; k < pb->npeerings; k++) {
		y = &pb->peerings[k];
		peer_name(b, y, nb, sizeof(nb));
		for (i = 0, x = NULL; i < pa->npeerings && x == NULL; i++) {
			peer_name(a, &pa->peerings[i], na, sizeof(na));
			if (!matched[i] && strcmp(na, nb) == 0 &&
			    strcmp(pa->peerings[i].instance->name,
			    y->instance->name) == 0) {
				x = &pa->peerings[i];
				matched[i] = true;
			}
		}
		peering_diff(x, y, nb, d);
	}
	for (i = 0; i < pa->npeerings; i++)
		if (!matched[i]) {
			peer_name(a, &pa->peerings[i], na, sizeof(na));
			peering_diff(&pa->peerings[i], NULL, na, d);
		}
	free(matched);
}

/* The warnings of x not in y (as text), into *out. */
static size_t
warnings_only(const struct topo *x, const struct topo *y, const char ***out)
{
	size_t i, k, n = 0;

	*out = xcalloc(x->nwarnings + 1, sizeof(**out));
	for (i = 0; i < x->nwarnings; i++) {
		for (k = 0; k < y->nwarnings &&
		    strcmp(x->warnings[i], y->warnings[k]) != 0; k++)
			;
		if (k == y->nwarnings)
			(*out)[n++] = x->warnings[i];
	}
	return n;
}

/* ---- reachability ---- */

/* A member's name and its class, sorted by name: the old revision's index. */
struct mclass {
	const char	*name;
	size_t		 cls;
};

static int
mclass_cmp(const void *x, const void *y)
{
	return strcmp(((const struct mclass *)x)->name,
	    ((const struct mclass *)y)->name);
}

static bool
same_container(const struct reach_class *x, const struct reach_class *y)
{
	if (x->kind != y->kind)
		return false;
	if (x->kind == REACH_VM)
		return same_subnet(x->subnet, y->subnet);
	if (x->kind == REACH_HOST)
		return strcmp(x->site->name, y->site->name) == 0;
	return true;
}

/*
 * For each class of rb, the class of ra holding its first member (by name,
 * in the same container), or SIZE_MAX: map[i] for rb->classes[i].
 */
static size_t *
class_map(const struct reach *ra, const struct reach *rb)
{
	size_t i, k, n = 0, *map = xcalloc(rb->nclasses + 1, sizeof(*map));
	struct mclass *v, key, *hit;

	for (i = 0; i < ra->nclasses; i++)
		n += ra->classes[i].nmembers;
	v = xcalloc(n + 1, sizeof(*v));
	for (i = n = 0; i < ra->nclasses; i++)
		for (k = 0; k < ra->classes[i].nmembers; k++) {
			v[n].name = ra->classes[i].members[k]->name;
			v[n++].cls = i;
		}
	qsort(v, n, sizeof(*v), mclass_cmp);
	for (i = 0; i < rb->nclasses; i++) {
		const struct reach_class *c = &rb->classes[i];

		map[i] = SIZE_MAX;
		if (c->kind == REACH_INTERNET) {
			for (k = 0; k < ra->nclasses; k++)
				if (ra->classes[k].kind == REACH_INTERNET)
					map[i] = k;
			continue;
		}
		key.name = c->members[0]->name;
		hit = n > 0 ? bsearch(&key, v, n, sizeof(*v), mclass_cmp) : NULL;
		if (hit != NULL && same_container(&ra->classes[hit->cls], c))
			map[i] = hit->cls;
	}
	free(v);
	return map;
}

/* ra's cell from class s to class d (cells are in (src, dst) order). */
static const struct reach_cell *
cell_find(const struct reach *r, size_t s, size_t d)
{
	size_t a = 0, b = r->ncells, m;

	while (a < b) {
		m = a + (b - a) / 2;
		if (r->cells[m].src < s || (r->cells[m].src == s &&
		    r->cells[m].dst < d))
			a = m + 1;
		else
			b = m;
	}
	if (a < r->ncells && r->cells[a].src == s && r->cells[a].dst == d)
		return &r->cells[a];
	return NULL;
}

#define DIFF_PATH_TEXT	(WALK_MAX_HOPS * (TOPO_NAME_MAX + 3) + 1)

static void
end_of(const struct reach_result *res, struct diff_reach_end *e)
{
	char buf[DIFF_PATH_TEXT];
	size_t to = res->nhops;

	e->outcome = res->outcome;
	reach_outcome_str(res, buf, sizeof(buf));
	e->outcome_str = xstrdup(buf);
	reach_path_str(res, 0, res->nhops, buf, sizeof(buf));
	e->path = xstrdup(buf);
	if (res->outcome == WALK_DELIVERED && to > 0)
		to--;
	reach_path_str(res, 1, to, buf, sizeof(buf));
	e->via = xstrdup(buf);
}

static void
end_free(struct diff_reach_end *e)
{
	free(e->outcome_str);
	free(e->path);
	free(e->via);
}

struct rowv {
	struct diff_reach_row	*v;
	size_t			 n, cap;
};

/*
 * The services of one compared cell pair whose results changed, as rows:
 * services with equal results before and after share one.
 */
static void
cell_rows(const struct reach_cell *ca, const struct reach *rb, const struct reach_cell *cb, char **names,
    struct rowv *rv)
{
	bool *done = xcalloc(rb->nsvcs + 1, sizeof(*done));
	char svcs[512], one[32];
	size_t v, k, used, n;

	for (v = 0; v < rb->nsvcs; v++) {
		struct diff_reach_row *row;
		const struct reach_class *dc = &rb->classes[cb->dst];

		if (done[v] || reach_result_same(&ca->res[v], &cb->res[v]))
			continue;
		svcs[0] = '\0';
		for (k = v, used = n = 0; k < rb->nsvcs; k++) {
			if (done[k] || !reach_result_equal(&ca->res[v],
			    &ca->res[k]) || !reach_result_equal(&cb->res[v],
			    &cb->res[k]))
				continue;
			done[k] = true;
			n++;
			if (used < sizeof(svcs))
				used += (size_t)snprintf(svcs + used,
				    sizeof(svcs) - used, "%s%s", used ? "," : "",
				    reach_svc_str(&rb->svcs[k], one, sizeof(one)));
		}
		if (n == rb->nsvcs && n > 1)
			snprintf(svcs, sizeof(svcs), "all");
		xgrow(&rv->v, &rv->cap, rv->n + 1, sizeof(*rv->v));
		row = &rv->v[rv->n++];
		memset(row, 0, sizeof(*row));
		row->from = xstrdup(names[cb->src]);
		row->to = xstrdup(names[cb->dst]);
		if (dc->kind != REACH_INTERNET)
			row->to_range = dc->range;
		row->sources = cb->nsrc;
		row->destinations = cb->ndst;
		row->pairs = cb->pairs;
		row->services = xstrdup(svcs);
		end_of(&ca->res[v], &row->before);
		end_of(&cb->res[v], &row->after);
	}
	free(done);
}

/* Rows with the same change: outcome and transit hops before and after. */
static int
row_key_cmp(const struct diff_reach_row *x, const struct diff_reach_row *y)
{
	int c;

	if ((c = strcmp(x->before.outcome_str, y->before.outcome_str)) != 0 ||
	    (c = strcmp(x->before.via, y->before.via)) != 0 ||
	    (c = strcmp(x->after.outcome_str, y->after.outcome_str)) != 0 ||
	    (c = strcmp(x->after.via, y->after.via)) != 0)
		return c;
	return 0;
}

struct rowref {
	struct diff_reach_row	*row;
	size_t			 pos;		/* in new's order */
	size_t			 group;		/* its group's first position */
};

static int
rowref_key_qcmp(const void *x, const void *y)
{
	const struct rowref *a = x, *b = y;
	int c = row_key_cmp(a->row, b->row);

	if (c != 0)
		return c;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static int
rowref_group_qcmp(const void *x, const void *y)
{
	const struct rowref *a = x, *b = y;

	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/*
 * Owns: the rows into groups, each group where its first row was, its
 * rows in new's order. Sorting, not a search per row: 250,000 rows when a
 * change reaches every class pair.
 */
static void
rows_group(struct rowv *rv, struct diff *d)
{
	struct rowref *ref = xcalloc(rv->n + 1, sizeof(*ref));
	size_t i, first = 0;

	for (i = 0; i < rv->n; i++) {
		ref[i].row = &rv->v[i];
		ref[i].pos = i;
	}
	qsort(ref, rv->n, sizeof(*ref), rowref_key_qcmp);
	for (i = 0; i < rv->n; i++) {
		if (i == 0 || row_key_cmp(ref[i - 1].row, ref[i].row) != 0)
			first = ref[i].pos;
		ref[i].group = first;
	}
	qsort(ref, rv->n, sizeof(*ref), rowref_group_qcmp);
	d->reach_rows = xcalloc(rv->n + 1, sizeof(*d->reach_rows));
	for (i = 0; i < rv->n; i++) {
		struct diff_reach_group *g;

		d->reach_rows[i] = *ref[i].row;
		if (i == 0 || ref[i - 1].group != ref[i].group) {
			d->reach_groups = xrealloc(d->reach_groups,
			    (d->nreach_groups + 1) * sizeof(*d->reach_groups));
			g = &d->reach_groups[d->nreach_groups++];
			g->first = i;
			g->nrows = 0;
			g->pairs = 0;
		}
		g = &d->reach_groups[d->nreach_groups - 1];
		g->nrows++;
		g->pairs += ref[i].row->pairs;
	}
	d->nreach_rows = rv->n;
	free(ref);
	free(rv->v);
}

/* One revision's matrix, run on its own thread beside the other's. */
struct rjob {
	const struct topo	*t;
	const struct plan	*p;
	struct reach_opts	 o;
	struct reach		 r;
};

static void *
rjob_run(void *arg)
{
	static const struct reach_group all = { REACH_G_ALL, NULL, NULL, NULL,
	    NULL };
	struct rjob *j = arg;
	char err[256];

	if (reach_run_opts(j->t, j->p, &all, &all, &j->o, &j->r, err,
	    sizeof(err)) != 0)
		die("diff: reach: %s", err);
	return NULL;
}

/* Both revisions' matrices under way, and what they share. */
struct rpair {
	const struct topo	*both[2];
	struct rjob		 job[2];	/* old, new */
	pthread_t		 th[2];
	bool			 threaded[2];
	struct pfx4		*cuts[2];	/* each revision's own */
};

/*
 * Owns: starting both matrices, each with the other revision's cuts added
 * and both revisions' services, on a thread each (reach_run is pure; each
 * has its own tables), while diff_run compares the routes.
 */
static void
reach_start(const struct topo *a, struct plan *pa, const struct topo *b,
    struct plan *pb, struct rpair *rp)
{
	size_t n[2], i;

	memset(rp, 0, sizeof(*rp));
	/* the plans' hub choices, filled now: afterwards only read */
	sdn_memo_fill(a, &pa->in);
	sdn_memo_fill(b, &pb->in);
	rp->both[0] = a;
	rp->both[1] = b;
	n[0] = reach_cuts(a, pa, &rp->cuts[0]);
	n[1] = reach_cuts(b, pb, &rp->cuts[1]);
	for (i = 0; i < 2; i++) {
		rp->job[i].t = rp->both[i];
		rp->job[i].p = i == 0 ? pa : pb;
		rp->job[i].o.cuts = rp->cuts[1 - i];
		rp->job[i].o.ncuts = n[1 - i];
		rp->job[i].o.svc_topos = rp->both;
		rp->job[i].o.nsvc_topos = 2;
		rp->threaded[i] = pthread_create(&rp->th[i], NULL, rjob_run,
		    &rp->job[i]) == 0;
	}
}

/* Owns: the class pairs whose results differ, once both matrices are done. */
static void
reach_finish(struct rpair *rp, struct diff *d)
{
	struct reach *ra = &rp->job[0].r, *rb = &rp->job[1].r;
	struct rowv rv = { NULL, 0, 0 };
	size_t *map, i;
	char **names;

	for (i = 0; i < 2; i++)
		if (rp->threaded[i])
			pthread_join(rp->th[i], NULL);
		else
			rjob_run(&rp->job[i]);
	/* each job reads the other's cuts: both done first */
	free(rp->cuts[0]);
	free(rp->cuts[1]);
	d->reach_walks = ra->walks + rb->walks;
	map = class_map(ra, rb);
	names = reach_class_names(rb);
	for (i = 0; i < rb->ncells; i++) {
		const struct reach_cell *cb = &rb->cells[i], *ca;

		if (map[cb->src] == SIZE_MAX || map[cb->dst] == SIZE_MAX ||
		    (ca = cell_find(ra, map[cb->src], map[cb->dst])) == NULL)
			continue;
		d->reach_compared++;
		cell_rows(ca, rb, cb, names, &rv);
	}
	rows_group(&rv, d);
	strv_free(names, rb->nclasses);
	free(map);
	reach_free(ra);
	reach_free(rb);
}

void
diff_run(const struct topo *a, struct plan *pa, const struct topo *b,
    struct plan *pb, struct diff *d)
{
	struct rpair rp;

	memset(d, 0, sizeof(*d));
	reach_start(a, pa, b, pb, &rp);
	subnets_diff(a, pa, b, pb, d);
	nics_diff(a, pa, b, pb, d);
	peerings_diff(a, pa, b, pb, d);
	d->nlint_new = warnings_only(b, a, &d->lint_new);
	d->nlint_gone = warnings_only(a, b, &d->lint_gone);
	reach_finish(&rp, d);
}

bool
diff_changed(const struct diff *d)
{
	return d->ngroups + d->nnics + d->npeerings + d->nlint_new +
	    d->nlint_gone + d->nreach_rows > 0;
}

void
diff_free(struct diff *d)
{
	size_t i;

	for (i = 0; i < d->ngroups; i++)
		group_fini(&d->groups[i]);
	free(d->groups);
	free(d->nics);
	for (i = 0; i < d->nnicsets; i++)
		free(d->nicsets[i].routes);
	free(d->nicsets);
	for (i = 0; i < d->npeerings; i++) {
		pfxset_free(&d->peerings[i].learned);
		pfxset_free(&d->peerings[i].advertised);
	}
	free(d->peerings);
	free(d->lint_new);
	free(d->lint_gone);
	for (i = 0; i < d->nreach_rows; i++) {
		free(d->reach_rows[i].from);
		free(d->reach_rows[i].to);
		free(d->reach_rows[i].services);
		end_free(&d->reach_rows[i].before);
		end_free(&d->reach_rows[i].after);
	}
	free(d->reach_rows);
	free(d->reach_groups);
	memset(d, 0, sizeof(*d));
}

const char *
diff_kind_str(enum diff_kind k)
{
	switch (k) {
	case DIFF_ADDED:
		return "added";
	case DIFF_REMOVED:
		return "removed";
	case DIFF_CHANGED:
		break;
	}
	return "changed";
}
