/*
 * diffroutes: see diffroutes.h.
 *
 * Owns: pairing two revisions' subnets by name, taking their tables from
 * the matrices (or computing those no matrix brought), comparing them
 * prefix by prefix and grouping subnets with the same difference.
 * Must not: compute routes other than through sdn.c, or let the thread
 * that brought a table change the result.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "diffroutes.h"

/* A subnet with NICs: its first NIC stands for all (sdn reads the subnet). */
struct slot {
	const struct topo_subnet	*sn;
	const struct topo_nic		*nic;
	size_t				 nnics;
};

/* A table by prefix: v[ord[i]] (ord NULL: v[i]) for i < n. */
struct tview {
	const struct sdn_route	*v;
	const uint32_t		*ord;
	size_t			 n;
};

/*
 * A held table's memory. Let go, it is kept for the next table to hold:
 * a fresh 1.7 MB a table cost as much in page faults as the copy itself.
 */
struct buf {
	struct sdn_route	*v;
	size_t			 cap;		/* routes */
};

/* One subnet compared: its slot in each revision (NULL: none there). */
struct dpair {
	const struct slot	*s[2];		/* old, new */
	struct sdn_route	*held;		/* side's table by prefix */
	size_t			 nheld, held_cap;
	int			 side;		/* held: 0 or 1; -1: none */
	bool			 done;		/* g holds the difference */
	struct diff_group	 g;
};

/* A subnet of one revision and its pair, sorted by subnet (pointer). */
struct subref {
	const struct topo_subnet	*sn;
	size_t				 pair;
};

struct drside {
	struct diff_routes	*x;
	int			 i;
};

struct diff_routes {
	const struct topo	*t[2];
	const struct plan	*p[2];
	struct slot		*slots[2];
	struct subref		*ref[2];
	size_t			 nslots[2];
	struct dpair		*pairs;
	size_t			 npairs;
	struct drside		 side[2];
	pthread_mutex_t		 mu;		/* pairs' held, side, done; below */
	pthread_cond_t		 cv;		/* a table let go, a matrix over */
	size_t			 nheld;		/* tables held now */
	size_t			 nheld_side[2];	/* of those, each revision's */
	struct buf		 spare[DIFF_TABLES_HELD];	/* let go, kept */
	size_t			 nspare;
	bool			 started[2], over[2];	/* each revision's matrix */
	size_t			 shared, computed;
};

bool
diff_same_subnet(const struct topo_subnet *a, const struct topo_subnet *b)
{
	return strcmp(a->name, b->name) == 0 &&
	    strcmp(a->vnet->name, b->vnet->name) == 0;
}

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

static const struct sdn_route *
at(const struct tview *t, size_t i)
{
	return &t->v[t->ord != NULL ? t->ord[i] : i];
}

/* The routes at a's prefix i: their count from i. */
static size_t
run_len(const struct tview *a, size_t i)
{
	size_t k = i;

	while (k < a->n && pfx_equal(&at(a, k)->pfx, &at(a, i)->pfx))
		k++;
	return k - i;
}

/* Whether a's na routes from i are b's nb from k. */
static bool
runs_equal(const struct tview *a, size_t i, size_t na, const struct tview *b,
    size_t k, size_t nb)
{
	size_t j;

	if (na != nb)
		return false;
	for (j = 0; j < na; j++)
		if (!sdn_route_equal(at(a, i + j), at(b, k + j)))
			return false;
	return true;
}

struct sdn_route *
diff_routes_copy(const struct sdn_route *v, size_t n)
{
	struct sdn_route *c = xcalloc(n ? n : 1, sizeof(*c));

	if (n > 0)
		memcpy(c, v, n * sizeof(*v));
	return c;
}

static struct sdn_route *
view_copy(const struct tview *t, size_t from, size_t n)
{
	struct sdn_route *c = xcalloc(n ? n : 1, sizeof(*c));
	size_t i;

	for (i = 0; i < n; i++)
		c[i] = *at(t, from + i);
	return c;
}

static void
prefix_add(struct diff_group *g, size_t *cap, const struct tview *a,
    size_t i, size_t na, const struct tview *b, size_t k, size_t nb)
{
	struct diff_prefix *p;

	if (g->nprefixes == *cap) {
		*cap = *cap ? 2 * *cap : 8;
		g->prefixes = xrealloc(g->prefixes, *cap * sizeof(*g->prefixes));
	}
	p = &g->prefixes[g->nprefixes++];
	p->pfx = na > 0 ? at(a, i)->pfx : at(b, k)->pfx;
	p->kind = na == 0 ? DIFF_ADDED : nb == 0 ? DIFF_REMOVED : DIFF_CHANGED;
	p->old = view_copy(a, i, na);
	p->nold = na;
	p->new = view_copy(b, k, nb);
	p->nnew = nb;
}

/*
 * The prefixes whose routes differ between two tables by prefix (either
 * may be empty: a subnet of one revision only) into g.
 */
static void
tables_diff(const struct tview *a, const struct tview *b, struct diff_group *g)
{
	size_t i = 0, k = 0, na, nb, cap = 0;
	int c;

	while (i < a->n || k < b->n) {
		if (i == a->n)
			c = 1;
		else if (k == b->n)
			c = -1;
		else
			c = pfx_cmp(&at(a, i)->pfx, &at(b, k)->pfx);
		na = c <= 0 ? run_len(a, i) : 0;
		nb = c >= 0 ? run_len(b, k) : 0;
		if (!runs_equal(a, i, na, b, k, nb))
			prefix_add(g, &cap, a, i, na, b, k, nb);
		i += na;
		k += nb;
	}
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

	h = sdn_hash_bytes(h, &g->kind, sizeof(g->kind));
	for (i = 0; i < g->nprefixes; i++) {
		h = hash_routes(h, g->prefixes[i].old, g->prefixes[i].nold);
		h = hash_routes(h, g->prefixes[i].new, g->prefixes[i].nnew);
	}
	return h;
}

static bool
prefixes_equal(const struct diff_prefix *a, const struct diff_prefix *b)
{
	struct tview ao = { a->old, NULL, a->nold }, an = { a->new, NULL, a->nnew };
	struct tview bo = { b->old, NULL, b->nold }, bn = { b->new, NULL, b->nnew };

	return runs_equal(&ao, 0, ao.n, &bo, 0, bo.n) &&
	    runs_equal(&an, 0, an.n, &bn, 0, bn.n);
}

static bool
groups_equal(const struct diff_group *a, const struct diff_group *b)
{
	size_t i;

	if (a->hash != b->hash || a->kind != b->kind ||
	    a->nprefixes != b->nprefixes)
		return false;
	for (i = 0; i < a->nprefixes; i++)
		if (!prefixes_equal(&a->prefixes[i], &b->prefixes[i]))
			return false;
	return true;
}

void
diff_group_fini(struct diff_group *g)
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
		diff_group_fini(g);
		return;
	}
	g->hash = group_hash(g);
	for (i = 0; i < d->ngroups; i++)
		if (groups_equal(&d->groups[i], g)) {
			member_add(&d->groups[i], s);
			diff_group_fini(g);
			return;
		}
	member_add(g, s);
	d->groups = xrealloc(d->groups, (d->ngroups + 1) * sizeof(*d->groups));
	d->groups[d->ngroups++] = *g;
}

static void
pair_add(struct diff_routes *x, const struct slot *sa, const struct slot *sb)
{
	struct dpair *p = &x->pairs[x->npairs++];

	p->s[0] = sa;
	p->s[1] = sb;
	p->side = -1;
	p->g.kind = sa == NULL ? DIFF_ADDED : sb == NULL ? DIFF_REMOVED :
	    DIFF_CHANGED;
}

static int
subref_cmp(const void *x, const void *y)
{
	uintptr_t a = (uintptr_t)((const struct subref *)x)->sn;
	uintptr_t b = (uintptr_t)((const struct subref *)y)->sn;

	return a < b ? -1 : a > b;
}

/* Each revision's subnets and their pairs, in the comparison's order. */
struct diff_routes *
diff_routes_start(const struct topo *a, const struct plan *pa,
    const struct topo *b, const struct plan *pb)
{
	struct diff_routes *x = xcalloc(1, sizeof(*x));
	size_t i, k, j, n;
	bool *matched;

	x->t[0] = a;
	x->t[1] = b;
	x->p[0] = pa;
	x->p[1] = pb;
	for (j = 0; j < 2; j++) {
		x->nslots[j] = slots(x->t[j], &x->slots[j]);
		x->ref[j] = xcalloc(x->nslots[j] + 1, sizeof(*x->ref[j]));
		x->side[j].x = x;
		x->side[j].i = (int)j;
	}
	x->pairs = xcalloc(x->nslots[0] + x->nslots[1] + 1, sizeof(*x->pairs));
	matched = xcalloc(x->nslots[0] + 1, sizeof(*matched));
	for (k = 0; k < x->nslots[1]; k++) {
		for (i = 0; i < x->nslots[0] && !diff_same_subnet(x->slots[0][i].sn,
		    x->slots[1][k].sn); i++)
			;
		if (i < x->nslots[0]) {
			matched[i] = true;
			x->ref[0][i] = (struct subref){ x->slots[0][i].sn, x->npairs };
		}
		x->ref[1][k] = (struct subref){ x->slots[1][k].sn, x->npairs };
		pair_add(x, i < x->nslots[0] ? &x->slots[0][i] : NULL,
		    &x->slots[1][k]);
	}
	for (i = 0; i < x->nslots[0]; i++)
		if (!matched[i]) {
			x->ref[0][i] = (struct subref){ x->slots[0][i].sn,
			    x->npairs };
			pair_add(x, &x->slots[0][i], NULL);
		}
	free(matched);
	for (j = 0; j < 2; j++) {
		n = x->nslots[j];
		qsort(x->ref[j], n, sizeof(*x->ref[j]), subref_cmp);
	}
	pthread_mutex_init(&x->mu, NULL);
	pthread_cond_init(&x->cv, NULL);
	return x;
}

void *
diff_routes_arg(struct diff_routes *x, int i)
{
	return &x->side[i];
}

/* The difference of pair p from its tables, old and new. */
static void
pair_diff(struct dpair *p, const struct tview *o, const struct tview *n)
{
	tables_diff(o, n, &p->g);
}

/* t copied by prefix into p, in a spare buffer if there is one (x->mu held). */
static void
hold(struct diff_routes *x, struct dpair *p, const struct tview *t)
{
	struct buf b = { NULL, 0 };
	size_t k;

	if (x->nspare > 0)
		b = x->spare[--x->nspare];
	if (b.cap < t->n) {
		free(b.v);
		b.cap = t->n;
		b.v = xcalloc(b.cap + 1, sizeof(*b.v));
	}
	for (k = 0; k < t->n; k++)
		b.v[k] = *at(t, k);
	p->held = b.v;
	p->held_cap = b.cap;
	p->nheld = t->n;
}

/* A held table's memory, kept as a spare (x->mu held). */
static void
let_go(struct diff_routes *x, struct sdn_route *v, size_t cap)
{
	if (x->nspare < DIFF_TABLES_HELD) {
		x->spare[x->nspare].v = v;
		x->spare[x->nspare++].cap = cap;
	} else
		free(v);
}

/*
 * Whether revision i's matrix, with a table to hold and no room, waits
 * for the other's: when it holds more of the tables than the other (so
 * both never wait at once) and the other runs now (it brings partners of
 * what is held, or ends; one that runs after, alone, is over already).
 * Otherwise the table is not held: diff_routes_finish computes it.
 */
static bool
should_wait(const struct diff_routes *x, int i)
{
	return x->nheld_side[i] > x->nheld_side[1 - i] && x->started[1 - i] &&
	    !x->over[1 - i];
}

void
diff_routes_table(void *arg, const struct topo_nic *nic,
    const struct sdn_table *tab, const uint32_t *by_prefix)
{
	struct drside *sd = arg;
	struct diff_routes *x = sd->x;
	struct tview mine = { tab->routes, by_prefix, tab->nroutes };
	struct tview other = { NULL, NULL, 0 };
	struct subref key = { nic->subnet, 0 }, *hit;
	struct sdn_route *held = NULL;
	size_t held_cap = 0;
	struct dpair *p;
	int i = sd->i;

	hit = bsearch(&key, x->ref[i], x->nslots[i], sizeof(key), subref_cmp);
	if (hit == NULL)
		return;
	p = &x->pairs[hit->pair];
	pthread_mutex_lock(&x->mu);
	for (;;) {
		if (p->done || p->side == i) {
			pthread_mutex_unlock(&x->mu);
			return;
		}
		if (p->s[1 - i] == NULL || p->side == 1 - i)
			break;		/* compare now */
		/* the other revision's table is yet to come: hold this one */
		if (x->nheld < DIFF_TABLES_HELD) {
			hold(x, p, &mine);
			p->side = i;
			x->nheld++;
			x->nheld_side[i]++;
			x->shared++;
			pthread_mutex_unlock(&x->mu);
			return;
		}
		if (!should_wait(x, i)) {
			pthread_mutex_unlock(&x->mu);
			return;		/* diff_routes_finish computes it */
		}
		pthread_cond_wait(&x->cv, &x->mu);
	}
	p->done = true;
	x->shared++;
	if (p->side >= 0) {
		held = p->held;
		held_cap = p->held_cap;
		other.v = held;
		other.n = p->nheld;
		p->held = NULL;
		x->nheld--;
		x->nheld_side[p->side]--;
		p->side = -1;
		pthread_cond_broadcast(&x->cv);
	}
	pthread_mutex_unlock(&x->mu);
	pair_diff(p, i == 0 ? &mine : &other, i == 0 ? &other : &mine);
	if (held != NULL) {
		pthread_mutex_lock(&x->mu);
		let_go(x, held, held_cap);
		pthread_mutex_unlock(&x->mu);
	}
}

void
diff_routes_begin(struct diff_routes *x, int i)
{
	pthread_mutex_lock(&x->mu);
	x->started[i] = true;
	pthread_mutex_unlock(&x->mu);
}

void
diff_routes_end(struct diff_routes *x, int i)
{
	pthread_mutex_lock(&x->mu);
	x->over[i] = true;
	pthread_cond_broadcast(&x->cv);
	pthread_mutex_unlock(&x->mu);
}

/* A pair no matrix completed: the tables it lacks computed here. */
static void
pair_complete(struct diff_routes *x, struct dpair *p)
{
	struct sdn_table tab[2];
	struct tview v[2];
	int j;

	for (j = 0; j < 2; j++) {
		memset(&tab[j], 0, sizeof(tab[j]));
		v[j] = (struct tview){ NULL, NULL, 0 };
		if (p->s[j] == NULL)
			continue;
		if (p->side == j) {
			v[j].v = p->held;
			v[j].n = p->nheld;
			continue;
		}
		sdn_effective_by_prefix(x->t[j], &x->p[j]->in, p->s[j]->nic,
		    &tab[j]);
		x->computed++;
		v[j].v = tab[j].routes;
		v[j].n = tab[j].nroutes;
	}
	pair_diff(p, &v[0], &v[1]);
	for (j = 0; j < 2; j++)
		sdn_table_free(&tab[j]);
	free(p->held);
	p->held = NULL;
	p->side = -1;
	p->done = true;
}

void
diff_routes_finish(struct diff_routes *x, struct diff *d)
{
	size_t i;
	int j;

	for (i = 0; i < x->npairs; i++) {
		struct dpair *p = &x->pairs[i];

		if (!p->done)
			pair_complete(x, p);
		group_add(d, &p->g, p->s[1] != NULL ? p->s[1] : p->s[0]);
	}
	d->tables_shared = x->shared;
	d->tables_computed = x->computed;
	pthread_mutex_destroy(&x->mu);
	pthread_cond_destroy(&x->cv);
	while (x->nspare > 0)
		free(x->spare[--x->nspare].v);
	for (j = 0; j < 2; j++) {
		free(x->slots[j]);
		free(x->ref[j]);
	}
	free(x->pairs);
	free(x);
}
