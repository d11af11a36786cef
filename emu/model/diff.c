/*
 * diff: see diff.h.
 *
 * Owns: matching two revisions' NICs, peerings and warnings by name;
 * matching two revisions' reachability classes and grouping the class
 * pairs whose walks changed; running the matrices with the route
 * comparison (diffroutes.c compares the subnets' effective routes, with
 * the tables the matrices compute).
 * Must not: compute routes itself (sdn.c does, from the plans plan.c made)
 * or walk (reach.c does, the same matrix `arsemu reach` prints) or print
 * (cmd/cmd_diff.c does). No I/O, no state between calls.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "diffroutes.h"

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
	s->routes = diff_routes_copy(tab.routes, tab.nroutes);
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
		if (c < 0 || (c == 0 && !diff_same_subnet(va[i]->subnet,
		    vb[k]->subnet)))
			nic_add(d, a, pa, va[i], DIFF_REMOVED);
		if (c > 0 || (c == 0 && !diff_same_subnet(va[i]->subnet,
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
	while (i < na && k < nb) {
		c = pfx_cmp(&a[i], &b[k]);
		if (c < 0)
			pfx_push(&out->removed, &out->nremoved, &a[i]);
		else if (c > 0)
			pfx_push(&out->added, &out->nadded, &b[k]);
		i += c <= 0;
		k += c >= 0;
	}
	for (; i < na; i++)
		pfx_push(&out->removed, &out->nremoved, &a[i]);
	for (; k < nb; k++)
		pfx_push(&out->added, &out->nadded, &b[k]);
}

static void
pfxset_free(struct diff_pfxset *s)
{
	free(s->added);
	free(s->removed);
	memset(s, 0, sizeof(*s));
}

/*
 * One peering (o or n may be NULL: one revision only) of the Route Server
 * instance named inst into d if anything of it differs.
 */
static void
peering_diff(const struct plan_peering *o, const struct plan_peering *n,
    const char *inst, const char *peer, struct diff *d)
{
	static const struct plan_peering none;
	const struct plan_peering *x = o != NULL ? o : &none;
	const struct plan_peering *y = n != NULL ? n : &none;
	struct diff_peering e;

	memset(&e, 0, sizeof(e));
	e.instance = inst;
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
		peering_diff(x, y, y->instance->name, nb, d);
	}
	for (i = 0; i < pa->npeerings; i++)
		if (!matched[i]) {
			peer_name(a, &pa->peerings[i], na, sizeof(na));
			peering_diff(&pa->peerings[i], NULL,
			    pa->peerings[i].instance->name, na, d);
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
		return diff_same_subnet(x->subnet, y->subnet);
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
	struct diff_routes	*dr;		/* the route comparison it feeds */
	int			 i;		/* 0: old, 1: new */
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
	diff_routes_end(j->dr, j->i);
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
 * has its own tables), each handing its tables to the route comparison
 * dr (diffroutes.h).
 */
static void
reach_start(const struct topo *a, struct plan *pa, const struct topo *b,
    struct plan *pb, struct diff_routes *dr, struct rpair *rp)
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
		rp->job[i].o.table_cb = diff_routes_table;
		rp->job[i].o.table_arg = diff_routes_arg(dr, (int)i);
		rp->job[i].dr = dr;
		rp->job[i].i = (int)i;
		diff_routes_begin(dr, (int)i);	/* both, before either runs */
	}
	for (i = 0; i < 2; i++) {
		rp->threaded[i] = pthread_create(&rp->th[i], NULL, rjob_run,
		    &rp->job[i]) == 0;
		if (!rp->threaded[i])	/* runs later, alone: none waits for it */
			diff_routes_end(dr, (int)i);
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
	struct diff_routes *dr;
	struct rpair rp;

	memset(d, 0, sizeof(*d));
	dr = diff_routes_start(a, pa, b, pb);
	reach_start(a, pa, b, pb, dr, &rp);
	nics_diff(a, pa, b, pb, d);
	peerings_diff(a, pa, b, pb, d);
	d->nlint_new = warnings_only(b, a, &d->lint_new);
	d->nlint_gone = warnings_only(a, b, &d->lint_gone);
	reach_finish(&rp, d);
	/* the matrices are done: no table comes any more */
	diff_routes_finish(dr, d);
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
		diff_group_fini(&d->groups[i]);
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
