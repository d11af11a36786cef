/*
 * sync: effective routes into the fabric's shared tables, whole or
 * incrementally (sync.h).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "lab.h"
#include "sync.h"

#define INCR_MAX	1024	/* changed prefixes worth applying alone (an NVA of 857) */
#define SLOT_THREAD_MIN	32	/* slots in a group worth a second thread */

/*
 * What a group's last whole computation left, for the next change to be
 * applied to it alone (incr_group): the first slot's kernel routes, the
 * prefixes the group's tables differ on, and every prefix a change may not
 * touch for the group table alone to take it.
 */
struct group_keep {
	bool			 valid;
	struct kroute		*base;
	size_t			 nbase;
	size_t			 nm;		/* prefixes of base not shared */
	struct pfx_cover	 sens;
	bool			 programmed;	/* synced whole once */
};

void
sync_input_free(struct sdn_input *in)
{
	size_t i;

	sdn_memo_free(in);
	for (i = 0; i < in->nhubs; i++)
		sdn_hub_routes_free(&in->hubs[i]);
	free(in->hubs);
	for (i = 0; i < in->ngws; i++)
		sdn_gw_routes_free(&in->gws[i]);
	free(in->gws);
	memset(in, 0, sizeof(*in));
}

/* A 64-bit mix (splitmix64's finaliser): a changed table changes its hash. */
static uint64_t
mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebull;
	return h ^ (h >> 31);
}

static uint64_t
route_hash(const struct sdn_route *r)
{
	uint64_t h = 0xcbf29ce484222325ull;
	const char *c;
	unsigned k;

	h = mix(h, (uint64_t)r->pfx.addr << 8 | r->pfx.len);
	h = mix(h, (uint64_t)r->source << 32 | (uint64_t)r->type << 8 |
	    r->active);
	for (k = 0; k < r->nnh; k++)
		h = mix(h, r->nh[k]);
	for (c = r->name; c != NULL && *c != '\0'; c++)
		h = mix(h, (uint8_t)*c);
	return h;
}

/*
 * A sum over the routes, so that a change at some prefixes updates it
 * (incr_group) without the whole table.
 */
static uint64_t
routes_sum(const struct sdn_route *v, size_t n)
{
	uint64_t h = 0;
	size_t i;

	for (i = 0; i < n; i++)
		h += route_hash(&v[i]);
	return h;
}

static uint64_t
table_hash(const struct sdn_table *tab)
{
	return mix(0x7c, tab->disable_bgp) + routes_sum(tab->routes,
	    tab->nroutes);
}

/* Slot s's kernel routes, from its first NIC's effective routes. */
static size_t
slot_routes(struct sync *e, size_t s, struct kroute **k, size_t *nlisted,
    uint64_t *hash)
{
	struct sdn_table tab;
	size_t n;

	sdn_effective_by_prefix(e->t, &e->in, e->share.rep[s], &tab);
	n = fabric_kernel_routes(e->fab, &tab, k);
	if (nlisted != NULL)
		*nlisted = tab.nroutes;
	if (hash != NULL)
		*hash = table_hash(&tab);
	sdn_table_free(&tab);
	return n;
}

static void
journal_table_error(struct sync *e, uint32_t table)
{
	struct json *w;

	if ((w = journal_begin(e->j, "error")) == NULL)
		return;
	json_kint(w, "table", table);
	json_kstr(w, "text", e->nl->errmsg(e->nl->arg));
	journal_end(e->j);
}

/* A table's routes changed (by `changes` netlink requests). */
static void
journal_table(struct sync *e, uint32_t table, size_t nics, size_t routes,
    unsigned changes, bool incremental)
{
	struct json *w;

	if ((w = journal_begin(e->j, "table-routes")) == NULL)
		return;
	json_kint(w, "table", table);
	json_kint(w, "nics", (long long)nics);
	json_kint(w, "routes", (long long)routes);
	json_kint(w, "netlink_changes", changes);
	if (incremental)
		json_kbool(w, "incremental", true);
	journal_end(e->j);
}

/* Make table hold v: the model's routes become netlink's here (fabric.h). */
static void
program_table(struct sync *e, uint32_t table, const struct kroute *v,
    size_t n, size_t nics, size_t *nchanged)
{
	struct nl_route *want = xcalloc(n + 1, sizeof(*want));
	unsigned changes = 0;
	size_t i;

	for (i = 0; i < n; i++)
		fabric_nl_route(&v[i], table, &want[i]);
	if (sync_table(e->nl, table, want, n, &changes) != 0)
		journal_table_error(e, table);
	free(want);
	if (changes == 0)
		return;
	lab_crash_point("route-sync");
	journal_table(e, table, nics, n, changes, false);
	(*nchanged)++;
}

/*
 * The other slots of group g as differences to its first (base): each
 * slot's table is computed and dropped at once. On two threads when the
 * group is large: the inputs, the memo (filled before) and the fabric are
 * only read, each slot's results are its own.
 */
struct slot_job {
	struct sync		*e;
	const size_t		*slots;
	size_t			 n, from, step;
	const struct kroute	*base;
	size_t			 nbase;
	struct share_diff	*sd;
	size_t			*nlisted;
	uint64_t		*hash;
};

static void *
slot_work(void *arg)
{
	struct slot_job *j = arg;
	struct kroute *k;
	size_t i, s, nk;

	for (i = j->from; i < j->n; i += j->step) {
		s = j->slots[i];
		nk = slot_routes(j->e, s, &k, &j->nlisted[s], &j->hash[s]);
		share_diff(j->base, j->nbase, k, nk, &j->sd[s]);
		free(k);
	}
	return NULL;
}

static void
slot_diffs(struct sync *e, unsigned g, const struct kroute *base,
    size_t nbase, struct share_diff *sd, size_t *nlisted, uint64_t *hash)
{
	struct slot_job j[2];
	size_t *slots, n = 0, s;
	pthread_t th;
	bool two;

	slots = xcalloc(e->share.nslots ? e->share.nslots : 1, sizeof(*slots));
	for (s = 0; s < e->share.nslots; s++)
		if (e->share.group[s] == g)
			slots[n++] = s;
	/* slots[0] is the base itself */
	two = n > SLOT_THREAD_MIN;
	j[0] = (struct slot_job){ e, slots, n, 1, two ? 2 : 1, base, nbase, sd,
	    nlisted, hash };
	j[1] = j[0];
	j[1].from = 2;
	if (two && pthread_create(&th, NULL, slot_work, &j[1]) != 0) {
		two = false;
		j[0].step = 1;
	}
	slot_work(&j[0]);
	if (two)
		pthread_join(th, NULL);
	free(slots);
}

/* Each NIC of slot s: its effective routes changed. */
static void
journal_slot(struct sync *e, size_t s)
{
	struct json *w;
	size_t i;

	for (i = 0; i < e->t->nnics; i++)
		if (e->share.nic_slot[i] == s)
			if ((w = journal_begin(e->j, "nic-routes")) != NULL) {
				json_kstr(w, "nic", e->t->nics[i]->name);
				json_kint(w, "routes", (long long)e->slot_nlisted[s]);
				journal_end(e->j);
			}
}

/* What incr_group needs of a group just computed whole (takes *base). */
static void
keep_group(struct sync *e, unsigned g, struct kroute **base, size_t nbase,
    const struct pfx4 *mall, size_t nm, const struct share_diff *sd,
    bool empty_b)
{
	struct group_keep *k = &e->keep[g];
	const struct topo_vnet *v;
	size_t s, i;

	if (k->valid)
		pfx_cover_free(&k->sens);
	free(k->base);
	k->base = *base;
	*base = NULL;
	k->nbase = nbase;
	k->nm = nm;
	/*
	 * A change at a prefix equal to or inside one of these may change a
	 * slot's own table (share.h's D): the prefixes not shared, every
	 * slot's own routes, every slot's VNet space.
	 */
	pfx_cover_init(&k->sens);
	pfx_cover_add(&k->sens, mall, nm);
	for (s = 0; s < e->share.nslots; s++) {
		if (e->share.group[s] != g)
			continue;
		for (i = 0; i < sd[s].ne; i++)
			pfx_cover_add(&k->sens, &sd[s].e[i].dst, 1);
		if ((v = e->share.slot[s]->vnet) != NULL && v->nspace > 0)
			pfx_cover_add(&k->sens, v->space, v->nspace);
	}
	pfx_cover_done(&k->sens);
	k->valid = !empty_b;
	k->programmed = true;
	if (!k->valid)
		pfx_cover_free(&k->sens);
}

static void
keep_free(struct sync *e)
{
	size_t g;

	for (g = 0; e->keep != NULL && g < e->share.ngroups; g++) {
		if (e->keep[g].valid)
			pfx_cover_free(&e->keep[g].sens);
		free(e->keep[g].base);
	}
	free(e->keep);
}

static bool
same_kernel(const struct kroute *a, size_t na, const struct kroute *b,
    size_t nb)
{
	size_t i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (!pfx_equal(&a[i].dst, &b[i].dst) ||
		    !share_route_equal(&a[i], &b[i]))
			return false;
	return true;
}

/* Kernel routes of slot s at P (sorted), its listed count and hash sum there. */
static bool
slot_only(struct sync *e, const struct sdn_input *in, size_t s,
    const struct pfx4 *P, size_t nP, struct kroute **k, size_t *nk,
    size_t *nlisted, uint64_t *sum)
{
	struct sdn_table tab;

	if (!sdn_effective_only(e->t, in, e->share.rep[s], P, nP, &tab))
		return false;
	if (k != NULL)
		*nk = fabric_kernel_routes(e->fab, &tab, k);
	*nlisted = tab.nroutes;
	*sum = routes_sum(tab.routes, tab.nroutes);
	sdn_table_free(&tab);
	return true;
}

/* The route at exactly p in v (sorted by prefix), or NULL. */
static const struct kroute *
route_at(const struct kroute *v, size_t n, const struct pfx4 *p)
{
	size_t lo = 0, hi = n, m;
	int c;

	while (lo < hi) {
		m = lo + (hi - lo) / 2;
		if ((c = pfx_cmp(&v[m].dst, p)) == 0)
			return &v[m];
		if (c < 0)
			lo = m + 1;
		else
			hi = m;
	}
	return NULL;
}

/* base with its routes at P replaced by kp (all sorted); returns the new count. */
static size_t
patch_base(struct kroute **base, size_t nbase, const struct pfx4 *P,
    size_t nP, const struct kroute *kp, size_t nkp)
{
	struct kroute *v = xcalloc(nbase + nkp + 1, sizeof(*v));
	size_t i = 0, j = 0, p = 0, n = 0;

	while (i < nbase || j < nkp) {
		int c = j == nkp ? -1 : i == nbase ? 1 :
		    pfx_cmp(&(*base)[i].dst, &kp[j].dst);

		if (c > 0) {
			v[n++] = kp[j++];
			continue;
		}
		while (p < nP && pfx_cmp(&P[p], &(*base)[i].dst) < 0)
			p++;
		if (!(p < nP && pfx_equal(&P[p], &(*base)[i].dst)))
			v[n++] = (*base)[i];
		i++;
		if (c == 0)
			v[n++] = kp[j++];
	}
	free(*base);
	*base = v;
	return n;
}

/*
 * A change at the prefixes P alone, applied to group g's table alone,
 * when share.h allows it: every slot of the group has the same kernel
 * route (or none) at each p, and no p is equal to or inside a prefix the
 * group's slot tables depend on (keep->sens). The slots' tables stay as
 * they are; the group table gets one batch, without a dump. False: the
 * caller computes the group whole.
 */
static bool
incr_group(struct sync *e, unsigned g, const struct sdn_input *old,
    const struct pfx4 *P, size_t nP, size_t *nchanged)
{
	struct group_keep *kg = &e->keep[g];
	struct kroute *k0 = NULL, *ks = NULL;
	struct nl_route r;
	size_t *slots, n = 0, s, i, nk0 = 0, nks = 0, nl_new = 0, nl_old = 0;
	size_t nics = 0;
	uint64_t *delta, sum_new = 0, sum_old = 0;
	long *ldelta;
	unsigned changes = 0;
	bool ok = kg->valid;

	for (i = 0; ok && i < nP; i++)
		ok = !pfx_cover_has(&kg->sens, &P[i]);
	if (!ok)
		return false;
	slots = xcalloc(e->share.nslots ? e->share.nslots : 1, sizeof(*slots));
	delta = xcalloc(e->share.nslots ? e->share.nslots : 1, sizeof(*delta));
	ldelta = xcalloc(e->share.nslots ? e->share.nslots : 1, sizeof(*ldelta));
	for (s = 0; s < e->share.nslots; s++)
		if (e->share.group[s] == g)
			slots[n++] = s;
	for (i = 0; ok && i < n; i++) {
		s = slots[i];
		ok = slot_only(e, &e->in, s, P, nP, i == 0 ? &k0 : &ks,
		    i == 0 ? &nk0 : &nks, &nl_new, &sum_new) &&
		    slot_only(e, old, s, P, nP, NULL, NULL, &nl_old, &sum_old);
		if (ok && i > 0)
			ok = same_kernel(k0, nk0, ks, nks);
		free(ks);
		ks = NULL;
		delta[s] = sum_new - sum_old;
		ldelta[s] = (long)nl_new - (long)nl_old;
		nics += e->share.nnics[s];
	}
	if (!ok)
		goto out;
	e->nl->begin(e->nl->arg);
	for (i = 0, s = 0; i < nP; i++) {
		const struct kroute *had = route_at(kg->base, kg->nbase, &P[i]);

		while (s < nk0 && pfx_cmp(&k0[s].dst, &P[i]) < 0)
			s++;
		if (s < nk0 && pfx_equal(&k0[s].dst, &P[i])) {
			if (had != NULL && share_route_equal(had, &k0[s]))
				continue;
			fabric_nl_route(&k0[s], LAB_GROUP_TABLE(g), &r);
			e->nl->replace(e->nl->arg, &r);
			changes++;
		} else if (had != NULL) {
			fabric_nl_route(had, LAB_GROUP_TABLE(g), &r);
			e->nl->del(e->nl->arg, &r);
			changes++;
		}
	}
	if (e->nl->commit(e->nl->arg) != 0) {
		journal_table_error(e, LAB_GROUP_TABLE(g));
		kg->valid = false;	/* the next change computes it whole */
		pfx_cover_free(&kg->sens);
	}
	kg->nbase = patch_base(&kg->base, kg->nbase, P, nP, k0, nk0);
	if (changes > 0) {
		lab_crash_point("route-sync");
		journal_table(e, LAB_GROUP_TABLE(g), nics, kg->nbase - kg->nm,
		    changes, true);
		(*nchanged)++;
	}
	for (i = 0; i < n; i++) {
		s = slots[i];
		if (delta[s] == 0 && ldelta[s] == 0)
			continue;
		e->slot_hash[s] += delta[s];
		e->slot_nlisted[s] = (size_t)((long)e->slot_nlisted[s] + ldelta[s]);
		journal_slot(e, s);
	}
out:
	free(k0);
	free(slots);
	free(delta);
	free(ldelta);
	return ok;
}

/*
 * One group of subnets (share.h): if any slot's effective routes changed,
 * its shared table is what every slot has, each slot's table the rest.
 * Each slot's table is built once, kept only as its difference to the
 * first slot's (share_diff): a group of 500 subnets of 10,000 routes holds
 * one table and 500 small differences, never 500 tables.
 */
static void
recompute_group(struct sync *e, unsigned g, uint64_t *hash, size_t *nchanged)
{
	struct kroute *base = NULL, *b, *dv;
	struct share_diff *sd;
	struct pfx4 *mall = NULL;
	size_t nbase = 0, nb, nd, s, i, nics = 0, stray, nm = 0, cap = 0, n;
	size_t *nlisted;
	bool dirty = false, first = true, empty_b = false;

	sd = xcalloc(e->share.nslots ? e->share.nslots : 1, sizeof(*sd));
	nlisted = xcalloc(e->share.nslots ? e->share.nslots : 1, sizeof(*nlisted));
	for (s = 0; s < e->share.nslots; s++) {
		if (e->share.group[s] != g)
			continue;
		nbase = slot_routes(e, s, &base, &nlisted[s], &hash[s]);
		break;
	}
	slot_diffs(e, g, base, nbase, sd, nlisted, hash);
	for (s = 0; s < e->share.nslots; s++) {
		if (e->share.group[s] != g)
			continue;
		dirty |= hash[s] != e->slot_hash[s] || !e->keep[g].programmed;
		nics += e->share.nnics[s];
		if (first) {
			first = false;
			continue;
		}
		xgrow(&mall, &cap, nm + sd[s].nm + 1, sizeof(*mall));
		if (sd[s].nm > 0)
			memcpy(mall + nm, sd[s].m, sd[s].nm * sizeof(*mall));
		nm += sd[s].nm;
	}
	if (!dirty)
		goto out;
	if (nm > 1)
		qsort(mall, nm, sizeof(*mall), pfx_qcmp);
	for (i = n = 0; i < nm; i++)
		if (n == 0 || !pfx_equal(&mall[n - 1], &mall[i]))
			mall[n++] = mall[i];
	nm = n;
again:
	for (s = 0; s < e->share.nslots; s++) {
		const struct topo_vnet *v = e->share.slot[s]->vnet;

		if (e->share.group[s] != g)
			continue;
		stray = share_split_diff(base, nbase, &sd[s], mall, nm, empty_b,
		    v ? v->space : NULL, v ? v->nspace : 0, &dv, &nd);
		if (stray > 0 && !empty_b) {
			/* a throw only some slots have: share nothing (share.h) */
			char text[128];

			snprintf(text, sizeof(text), "table group %u shares "
			    "nothing: %zu throw routes differ", g, stray);
			journal_str(e->j, "warning", "text", text);
			free(dv);
			empty_b = true;
			goto again;
		}
		program_table(e, LAB_SUBNET_TABLE(s), dv, nd, e->share.nnics[s],
		    nchanged);
		free(dv);
		e->slot_nlisted[s] = nlisted[s];
		if (hash[s] != e->slot_hash[s] || !e->keep[g].programmed) {
			e->slot_hash[s] = hash[s];
			journal_slot(e, s);
		}
	}
	nb = empty_b ? 0 : share_base(base, nbase, mall, nm, &b);
	if (empty_b)
		b = xcalloc(1, sizeof(*b));
	program_table(e, LAB_GROUP_TABLE(g), b, nb, nics, nchanged);
	free(b);
	keep_group(e, g, &base, nbase, mall, nm, sd, empty_b);
out:
	for (s = 0; s < e->share.nslots; s++)
		share_diff_free(&sd[s]);
	free(sd);
	free(nlisted);
	free(mall);
	free(base);
}


/* The routes the kernel holds at a prefix are the same (fabric.c's kind). */
static bool
same_route(const struct nl_route *a, const struct nl_route *b)
{
	unsigned i;

	if (a->type != b->type || a->nnh != b->nnh)
		return false;
	for (i = 0; i < a->nnh; i++)
		if (a->nh[i].gw != b->nh[i].gw || a->nh[i].ifindex != b->nh[i].ifindex)
			return false;
	return true;
}

/*
 * Desired and actual, both sorted by prefix, walked together: O(n) after
 * the dump, and only the differences go to the kernel (STYLE 8).
 */
int
sync_table(const struct sync_nl *ops, uint32_t table, struct nl_route *want,
    size_t nwant, unsigned *changes)
{
	struct nl_route *have;
	size_t nhave, i = 0, k = 0;
	int rc;

	*changes = 0;
	if (ops->dump(ops->arg, table, &have, &nhave) != 0)
		return -1;
	for (i = 0; i < nwant; i++)
		want[i].table = table;
	ops->begin(ops->arg);
	for (i = 0; i < nwant || k < nhave; ) {
		int c = i == nwant ? 1 : k == nhave ? -1 :
		    pfx_cmp(&want[i].dst, &have[k].dst);

		if (c == 0) {
			if (!same_route(&want[i], &have[k])) {
				ops->replace(ops->arg, &want[i]);
				(*changes)++;
			}
			i++;
			k++;
		} else if (c < 0) {
			ops->replace(ops->arg, &want[i++]);
			(*changes)++;
		} else {
			ops->del(ops->arg, &have[k++]);
			(*changes)++;
		}
	}
	rc = ops->commit(ops->arg);
	free(have);
	return rc == 0 ? 0 : -1;
}

static int
k_dump(void *arg, uint32_t table, struct nl_route **out, size_t *n)
{
	return nl_route_dump(arg, table, RTPROT_ARSEMU, out, n);
}

static void
k_begin(void *arg)
{
	nl_batch_begin(arg);
}

static int
k_replace(void *arg, const struct nl_route *r)
{
	return nl_route_replace(arg, r);
}

static int
k_del(void *arg, const struct nl_route *r)
{
	return nl_route_del(arg, r);
}

static int
k_commit(void *arg)
{
	return nl_batch_commit(arg);
}

static const char *
k_errmsg(void *arg)
{
	return nl_errmsg(arg);
}

void
sync_nl_kernel(struct sync_nl *ops, struct nl *nl)
{
	*ops = (struct sync_nl){ .arg = nl, .dump = k_dump, .begin = k_begin,
	    .replace = k_replace, .del = k_del, .commit = k_commit,
	    .errmsg = k_errmsg };
}

void
sync_init(struct sync *e, const struct topo *t, const struct fabric *fab,
    const struct sync_nl *nl, struct journal *j)
{
	memset(e, 0, sizeof(*e));
	e->t = t;
	e->fab = fab;
	e->nl = nl;
	e->j = j;
	share_layout(t, &e->share);
	e->slot_hash = xcalloc(e->share.nslots ? e->share.nslots : 1,
	    sizeof(*e->slot_hash));
	e->slot_nlisted = xcalloc(e->share.nslots ? e->share.nslots : 1,
	    sizeof(*e->slot_nlisted));
	e->keep = xcalloc(e->share.ngroups ? e->share.ngroups : 1,
	    sizeof(*e->keep));
}

const struct sdn_input *
sync_input(const struct sync *e)
{
	return &e->in;
}

void
sync_free(struct sync *e)
{
	sync_input_free(&e->in);
	keep_free(e);
	free(e->slot_hash);
	free(e->slot_nlisted);
	share_layout_free(&e->share);
	memset(e, 0, sizeof(*e));
}

size_t
sync_apply(struct sync *e, struct sdn_input *in)
{
	struct sdn_input old;
	struct pfx4 *P = NULL;
	uint64_t *hash;
	size_t i, nchanged = 0, nP;
	bool whole;

	old = e->in;
	e->in = *in;
	memset(in, 0, sizeof(*in));
	sdn_memo_start(&e->in);
	sdn_memo_fill(e->t, &e->in);
	/*
	 * The effective routes read the input through the hubs' choices only:
	 * the prefixes where those differ are all that can have changed.
	 */
	nP = old.memo != NULL ? sdn_memo_changes(e->t, &old, &e->in, &P) : 0;
	whole = old.memo == NULL || e->no_incr || nP > INCR_MAX;
	hash = xcalloc(e->share.nslots ? e->share.nslots : 1, sizeof(*hash));
	for (i = 0; i < e->share.ngroups; i++) {
		if (!whole && nP == 0)
			break;
		if (whole || !incr_group(e, (unsigned)i, &old, P, nP, &nchanged))
			recompute_group(e, (unsigned)i, hash, &nchanged);
	}
	free(hash);
	free(P);
	sync_input_free(&old);
	if (nchanged)
		e->last_change = mono_ms();
	return nchanged;
}
