/*
 * check: evaluate a suite offline. See check.h and man/arsemu-check.5.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "check.h"
#include "diff.h"
#include "reach.h"
#include "walk.h"

#define CHECK_TABLES	16	/* subnets' tables a walk keeps at once */

/* ---- resolving names ---- */

static int
node_ok(const struct topo *t, const struct suite *s, const char *path,
    const char *name, struct topo_err *err)
{
	if (topo_node_find(t, name) != NULL)
		return 0;
	return suite_fail(s, path, err, "no node named \"%.64s\" in %s", name,
	    t->name);
}

static int
nodes_ok(const struct topo *t, const struct suite *s, const char *base,
    const char *key, char *const *v, size_t n, struct topo_err *err)
{
	char p[300];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(p, sizeof(p), "%s.%s[%zu]", base, key, i);
		if (node_ok(t, s, p, v[i], err) == -1)
			return -1;
	}
	return 0;
}

/* "VNET/SUBNET", through reach's group syntax. */
static int
subnet_of(const struct topo *t, const char *name,
    const struct topo_subnet **sn, char *msg, size_t len)
{
	struct reach_group g;
	char *q = xasprintf("subnet:%s", name);
	int rc;

	rc = reach_group_parse(t, q, &g, msg, len);
	free(q);
	*sn = rc == 0 ? g.subnet : NULL;
	return rc;
}

static const struct topo_nic *
first_nic(const struct topo *t, const struct topo_subnet *sn)
{
	size_t i;

	for (i = 0; i < t->nnics; i++)
		if (t->nics[i]->subnet == sn)
			return t->nics[i];
	return NULL;
}

static bool
nh_type_of(const char *s, enum sdn_nh_type *out)
{
	int i;

	for (i = 0; i <= SDN_NH_NONE; i++)
		if (strcmp(sdn_nh_type_str((enum sdn_nh_type)i), s) == 0) {
			*out = (enum sdn_nh_type)i;
			return true;
		}
	return false;
}

static bool
outcome_of(const char *s, enum walk_outcome *out)
{
	int i;

	for (i = 0; i <= WALK_OUTCOME_LAST; i++)
		if (strcmp(walk_outcome_str((enum walk_outcome)i), s) == 0) {
			*out = (enum walk_outcome)i;
			return true;
		}
	return false;
}

static int
resolve_routes(const struct topo *t, const struct suite *s,
    const struct suite_assert *a, struct topo_err *err)
{
	const struct topo_node *n;
	const struct topo_subnet *sn;
	enum sdn_nh_type ty;
	char p[300], msg[256];
	size_t i;

	if (a->nic != NULL) {
		snprintf(p, sizeof(p), "%s.nic", a->jpath);
		if ((n = topo_node_find(t, a->nic)) == NULL || n->nic == NULL)
			return suite_fail(s, p, err, "no NIC named \"%.64s\" in %s "
			    "(a NIC is its node's name: a VM, an NVA)", a->nic,
			    t->name);
	}
	for (i = 0; i < a->nsubnets; i++) {
		if (a->one_subnet)
			snprintf(p, sizeof(p), "%s.subnet", a->jpath);
		else
			snprintf(p, sizeof(p), "%s.subnets[%zu]", a->jpath, i);
		if (subnet_of(t, a->subnets[i], &sn, msg, sizeof(msg)) != 0)
			return suite_fail(s, p, err, "%s", msg);
		if (first_nic(t, sn) == NULL)
			return suite_fail(s, p, err, "subnet \"%.64s\" has no NIC",
			    a->subnets[i]);
	}
	snprintf(p, sizeof(p), "%s.type", a->jpath);
	if (a->type != NULL && !nh_type_of(a->type, &ty))
		return suite_fail(s, p, err, "\"%.64s\" is no next hop type "
		    "(VnetLocal, VNetPeering, VNetGlobalPeering, "
		    "VirtualNetworkGateway, VirtualAppliance, Internet, None)",
		    a->type);
	for (i = 0; i < a->ntable; i++) {
		snprintf(p, sizeof(p), "%s.table[%zu].type", a->jpath, i);
		if (!nh_type_of(a->table[i].type, &ty))
			return suite_fail(s, p, err, "\"%.64s\" is no next hop "
			    "type", a->table[i].type);
	}
	return 0;
}

static int
resolve_walk(const struct topo *t, const struct suite *s,
    const struct suite_assert *a, struct topo_err *err)
{
	const struct topo_node *n;
	enum walk_outcome o;
	uint32_t ip;
	char p[300], msg[256];

	snprintf(p, sizeof(p), "%s.from", a->jpath);
	if (walk_endpoint(t, a->from, &n, &ip, true, msg, sizeof(msg)) != 0)
		return suite_fail(s, p, err, "%s", msg);
	snprintf(p, sizeof(p), "%s.to", a->jpath);
	if (walk_endpoint(t, a->to, &n, &ip, false, msg, sizeof(msg)) != 0)
		return suite_fail(s, p, err, "%s", msg);
	if (a->symmetric && n == NULL)
		return suite_fail(s, p, err, "\"symmetric\" walks back from the "
		    "destination: %.64s is no node", a->to);
	snprintf(p, sizeof(p), "%s.outcome", a->jpath);
	if (a->outcome != NULL && !outcome_of(a->outcome, &o)) {
		char list[256] = "";
		int i;

		for (i = 0; i <= WALK_OUTCOME_LAST; i++)
			snprintf(list + strlen(list), sizeof(list) - strlen(list),
			    "%s\"%s\"", i ? ", " : "",
			    walk_outcome_str((enum walk_outcome)i));
		return suite_fail(s, p, err, "\"%.64s\" is no outcome of a walk "
		    "(%s)", a->outcome, list);
	}
	return nodes_ok(t, s, a->jpath, "through", a->through, a->nthrough,
	    err) == -1 || nodes_ok(t, s, a->jpath, "not_through", a->avoid,
	    a->navoid, err) == -1 ? -1 : 0;
}

static int
group_of(const struct topo *t, const struct suite *s, const char *base,
    const char *key, const char *g, struct reach_group *out,
    struct topo_err *err)
{
	char p[300], msg[256];

	snprintf(p, sizeof(p), "%s.%s", base, key);
	if (reach_group_parse(t, g, out, msg, sizeof(msg)) != 0)
		return suite_fail(s, p, err, "%s", msg);
	if (strcmp(key, "from") == 0 && out->kind == REACH_G_INTERNET)
		return suite_fail(s, p, err, "the Internet sends no flow: a "
		    "source group is VMs or site hosts");
	return 0;
}

static int
resolve_policy(const struct topo *t, const struct suite *s,
    const struct suite_assert *a, struct topo_err *err)
{
	struct reach_group g;

	if (group_of(t, s, a->jpath, "from", a->from, &g, err) == -1 ||
	    (a->to != NULL && group_of(t, s, a->jpath, "to", a->to, &g,
	    err) == -1))
		return -1;
	return nodes_ok(t, s, a->jpath, "through", a->through, a->nthrough, err);
}

static int
resolve_bgp(const struct topo *t, const struct suite *s,
    const struct suite_assert *a, struct topo_err *err)
{
	const struct topo_vnet *v = topo_vnet_find(t, a->hub);
	const struct topo_node *n = topo_node_find(t, a->peer);
	char p[300];

	snprintf(p, sizeof(p), "%s.hub", a->jpath);
	if (v == NULL || v->rs == NULL)
		return suite_fail(s, p, err, "no VNet named \"%.64s\" with a "
		    "Route Server in %s", a->hub, t->name);
	snprintf(p, sizeof(p), "%s.peer", a->jpath);
	if (n == NULL)
		return suite_fail(s, p, err, "no node named \"%.64s\" in %s",
		    a->peer, t->name);
	if (n->kind != TOPO_NVA)
		return suite_fail(s, p, err, "%.64s is a %s: a Route Server's "
		    "peers are NVAs (plan predicts their sessions)", a->peer,
		    topo_kind_str(n->kind));
	return 0;
}

static int
resolve_diff(const struct topo *t, const struct suite *s,
    const struct suite_assert *a, struct topo_err *err)
{
	char p[300];

	(void)t;
	snprintf(p, sizeof(p), "%s.base", a->jpath);
	if (a->base_topo == NULL)
		return suite_fail(s, p, err, "the base topology %s is not loaded "
		    "(suite_load_bases)", a->base);
	return 0;
}

int
check_resolve(const struct topo *t, const struct suite *s,
    struct topo_err *err)
{
	static int (*const fn[])(const struct topo *, const struct suite *,
	    const struct suite_assert *, struct topo_err *) = { resolve_routes,
	    resolve_walk, resolve_policy, resolve_bgp, resolve_diff };
	size_t i;

	for (i = 0; i < s->nasserts; i++)
		if (fn[s->asserts[i]->kind](t, s, s->asserts[i], err) == -1)
			return -1;
	return 0;
}

bool
check_needs_routes(const struct suite *s)
{
	size_t i;

	for (i = 0; i < s->nasserts; i++)
		if (s->asserts[i]->kind == SUITE_BGP &&
		    s->asserts[i]->nlearns + s->asserts[i]->nadvertises > 0)
			return true;
	return false;
}

/* ---- text ---- */


static void
put_nhs(char *buf, const uint32_t *nh, size_t n)
{
	char a[ADDR_STRLEN];
	size_t i;

	for (i = 0; i < n; i++)
		str_appendf(buf, CHECK_TEXT, "%s%s", i ? "," : " via ", addr_fmt(nh[i], a));
}

void
check_digest(const struct sdn_table *tab, char buf[17])
{
	snprintf(buf, 17, "%016llx", (unsigned long long)sdn_table_hash(tab));
}

/* ---- routes ---- */

/* A route's next hops, sorted, into v; returns the count. */
static size_t
sorted_nh(const struct sdn_route *r, uint32_t v[SDN_MAX_NH])
{
	memcpy(v, r->nh, r->nnh * sizeof(v[0]));
	qsort(v, r->nnh, sizeof(v[0]), u32_qcmp);
	return r->nnh;
}

static bool
route_is(const struct sdn_route *r, const struct pfx4 *pfx, const char *type,
    const uint32_t *via, size_t nvia, bool has_via)
{
	uint32_t v[SDN_MAX_NH];
	size_t n;

	if (!r->active || !pfx_equal(&r->pfx, pfx))
		return false;
	if (type != NULL && strcmp(sdn_nh_type_str(r->type), type) != 0)
		return false;
	if (!has_via)
		return true;
	n = sorted_nh(r, v);
	return n == nvia && (n == 0 || memcmp(v, via, n * sizeof(v[0])) == 0);
}

static void
routes_prefix(const struct suite_assert *a, const struct sdn_table *tab,
    const char *where, struct check_result *res)
{
	char pb[PFX_STRLEN];
	size_t i, nseen = 0;
	bool found = false;

	for (i = 0; i < tab->nroutes; i++)
		found |= route_is(&tab->routes[i], &a->pfx, a->type, a->via,
		    a->nvia, a->has_via);
	if (found == a->present)
		return;
	res->held = false;
	str_appendf(res->seen, CHECK_TEXT, "%s: ", where);
	for (i = 0; i < tab->nroutes; i++) {
		const struct sdn_route *r = &tab->routes[i];

		if (!r->active || !pfx_equal(&r->pfx, &a->pfx))
			continue;
		str_appendf(res->seen, CHECK_TEXT, "%s%s", nseen++ ? "; " : "",
		    sdn_nh_type_str(r->type));
		put_nhs(res->seen, r->nh, r->nnh);
	}
	if (nseen == 0)
		str_appendf(res->seen, CHECK_TEXT, "no Active route for %s", pfx_fmt(&a->pfx, pb));
	str_appendf(res->seen, CHECK_TEXT, ". ");
}

static bool
table_has(const struct suite_assert *a, const struct sdn_route *r,
    bool *used)
{
	size_t i;

	for (i = 0; i < a->ntable; i++)
		if (!used[i] && route_is(r, &a->table[i].pfx, a->table[i].type,
		    a->table[i].via, a->table[i].nvia, true)) {
			used[i] = true;
			return true;
		}
	return false;
}

static void
routes_table(const struct suite_assert *a, const struct sdn_table *tab,
    const char *where, struct check_result *res)
{
	bool *used = xcalloc(a->ntable + 1, sizeof(*used));
	char pb[PFX_STRLEN];
	size_t i, extra = 0, missing = 0;

	for (i = 0; i < tab->nroutes; i++) {
		const struct sdn_route *r = &tab->routes[i];

		if (!r->active || table_has(a, r, used))
			continue;
		if (extra++ == 0) {
			str_appendf(res->seen, CHECK_TEXT, "%s: not expected: %s %s", where,
			    pfx_fmt(&r->pfx, pb), sdn_nh_type_str(r->type));
			put_nhs(res->seen, r->nh, r->nnh);
		}
	}
	for (i = 0; i < a->ntable; i++) {
		if (used[i] || missing++ > 0)
			continue;
		str_appendf(res->seen, CHECK_TEXT, "%s%s: missing: %s %s", extra ? "; " : "", where,
		    pfx_fmt(&a->table[i].pfx, pb), a->table[i].type);
		put_nhs(res->seen, a->table[i].via, a->table[i].nvia);
	}
	if (extra + missing > 0) {
		res->held = false;
		str_appendf(res->seen, CHECK_TEXT, " (%zu not expected, %zu missing). ", extra,
		    missing);
	}
	free(used);
}

static void
routes_count(const struct suite_assert *a, const struct sdn_table *tab,
    const char *where, struct check_result *res)
{
	char dg[17];
	long n = 0;
	size_t i;

	for (i = 0; i < tab->nroutes; i++)
		n += tab->routes[i].active;
	check_digest(tab, dg);
	if ((a->count < 0 || a->count == n) &&
	    (a->digest == NULL || strcmp(a->digest, dg) == 0))
		return;
	res->held = false;
	str_appendf(res->seen, CHECK_TEXT, "%s: %ld Active routes, digest %s. ", where, n, dg);
}

void
check_routes_table(const struct suite_assert *a, const struct sdn_table *tab,
    const char *where, struct check_result *res)
{
	if (a->has_pfx)
		routes_prefix(a, tab, where, res);
	else if (a->has_table)
		routes_table(a, tab, where, res);
	else
		routes_count(a, tab, where, res);
}

static void
eval_routes(const struct topo *t, const struct plan *p,
    const struct suite_assert *a, struct check_result *res)
{
	const struct topo_subnet *sn;
	const struct topo_nic *nic;
	struct sdn_table tab;
	char pb[PFX_STRLEN], msg[256];
	size_t i, n = a->nic != NULL ? 1 : a->nsubnets;

	if (a->has_pfx) {
		str_appendf(res->expected, CHECK_TEXT, "%s Active route for %s", a->present ? "an" :
		    "no", pfx_fmt(&a->pfx, pb));
		if (a->type != NULL)
			str_appendf(res->expected, CHECK_TEXT, " of type %s", a->type);
		if (a->has_via)
			put_nhs(res->expected, a->via, a->nvia);
	} else if (a->has_table)
		str_appendf(res->expected, CHECK_TEXT, "exactly %zu Active routes, as listed",
		    a->ntable);
	else {
		if (a->count >= 0)
			str_appendf(res->expected, CHECK_TEXT, "%ld Active routes", a->count);
		if (a->digest != NULL)
			str_appendf(res->expected, CHECK_TEXT, "%sa table of digest %s",
			    a->count >= 0 ? " and " : "", a->digest);
	}
	str_appendf(res->expected, CHECK_TEXT, " at %s%s", a->nic ? a->nic : a->subnets[0],
	    n > 1 ? " and the other subnets" : "");
	for (i = 0; i < n; i++) {
		const char *where = a->nic ? a->nic : a->subnets[i];

		if (a->nic != NULL)
			nic = topo_node_find(t, a->nic)->nic;
		else {
			subnet_of(t, a->subnets[i], &sn, msg, sizeof(msg));
			nic = first_nic(t, sn);
		}
		sdn_effective(t, &p->in, nic, &tab);
		check_routes_table(a, &tab, where, res);
		sdn_table_free(&tab);
	}
	if (res->held)
		str_appendf(res->seen, CHECK_TEXT, "as expected");
}

/* ---- walks ---- */

struct wtabs {
	const struct topo	*t;
	const struct plan	*p;
	const struct topo_subnet *sn[CHECK_TABLES];
	struct sdn_table	 tab[CHECK_TABLES];
	size_t			 n, next;
};

/* Owns: a few subnets' tables (a table at Azure's limits is 1.7 MB). */
static const struct sdn_table *
wtab_get(void *arg, const struct topo_nic *nic)
{
	struct wtabs *w = arg;
	size_t i;

	for (i = 0; i < w->n; i++)
		if (w->sn[i] == nic->subnet)
			return &w->tab[i];
	if (w->n < CHECK_TABLES)
		i = w->n++;
	else {
		i = w->next;
		w->next = (w->next + 1) % CHECK_TABLES;
		sdn_table_free(&w->tab[i]);
	}
	w->sn[i] = nic->subnet;
	sdn_effective(w->t, &w->p->in, nic, &w->tab[i]);
	return &w->tab[i];
}

static void
wtabs_free(struct wtabs *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		sdn_table_free(&w->tab[i]);
	w->n = 0;
}

void
check_predict(const struct topo *t, const struct plan *p,
    const struct topo_node *src, const struct walk_pkt *pkt, struct walk *w)
{
	struct wtabs wt = { .t = t, .p = p };
	struct walk_env env = { t, wtab_get, NULL, NULL, &wt, &p->in, NULL };

	walk_predict(&env, src, pkt, 0, w);
	wtabs_free(&wt);
}

static bool
crosses(const struct walk *w, const char *name)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		if (w->hop[i].node != NULL && strcmp(w->hop[i].node->name,
		    name) == 0)
			return true;
	return false;
}

static void
put_path(char *buf, const struct walk *w)
{
	size_t i;

	str_appendf(buf, CHECK_TEXT, "%s", walk_outcome_str(w->outcome));
	for (i = 0; i < w->n; i++)
		str_appendf(buf, CHECK_TEXT, "%s%s", i ? " > " : " via ", w->hop[i].node ?
		    w->hop[i].node->name : "internet");
}

/* The NVAs a walk crosses, in order. */
static size_t
nvas(const struct walk *w, const struct topo_node **v)
{
	size_t i, n = 0;

	for (i = 0; i < w->n; i++)
		if (w->hop[i].node != NULL && w->hop[i].node->kind == TOPO_NVA)
			v[n++] = w->hop[i].node;
	return n;
}

static void
eval_walk(const struct topo *t, const struct plan *p,
    const struct suite_assert *a, struct check_result *res)
{
	struct wtabs wt = { .t = t, .p = p };
	struct walk_env env = { t, wtab_get, NULL, NULL, &wt, &p->in, NULL };
	const struct topo_node *src, *dst, *fv[WALK_MAX_HOPS],
	    *bv[WALK_MAX_HOPS];
	struct walk_pkt pkt;
	struct walk *w = xcalloc(2, sizeof(*w));
	char msg[256];
	size_t i, nf, nb;

	memset(&pkt, 0, sizeof(pkt));
	walk_endpoint(t, a->from, &src, &pkt.src, true, msg, sizeof(msg));
	walk_endpoint(t, a->to, &dst, &pkt.dst, false, msg, sizeof(msg));
	pkt.proto = a->proto == SUITE_TCP ? WALK_TCP : a->proto == SUITE_ICMP ?
	    WALK_ICMP : WALK_UDP;
	pkt.port = (uint16_t)(a->port ? a->port : WALK_PORT_DEFAULT);
	pkt.sport = WALK_SPORT_BASE;
	walk_predict(&env, src, &pkt, 0, &w[0]);
	if (a->outcome != NULL) {
		str_appendf(res->expected, CHECK_TEXT, "%s", a->outcome);
		res->held &= strcmp(walk_outcome_str(w[0].outcome),
		    a->outcome) == 0;
	}
	for (i = 0; i < a->nthrough; i++) {
		str_appendf(res->expected, CHECK_TEXT, "%s%s", i ? ", " : res->expected[0] ?
		    ", through " : "through ", a->through[i]);
		res->held &= crosses(&w[0], a->through[i]);
	}
	for (i = 0; i < a->navoid; i++) {
		str_appendf(res->expected, CHECK_TEXT, "%s%s", i ? ", " : res->expected[0] ?
		    ", not through " : "not through ", a->avoid[i]);
		res->held &= !crosses(&w[0], a->avoid[i]);
	}
	put_path(res->seen, &w[0]);
	if (a->symmetric) {
		struct walk_pkt back = pkt;

		str_appendf(res->expected, CHECK_TEXT, "%ssymmetric", res->expected[0] ? ", " : "");
		back.src = pkt.dst;
		back.dst = pkt.src;
		/* through a load balancer, the return is the flow's reply (LB-06) */
		for (i = 0; i < w[0].n && pkt.proto != WALK_ICMP; i++)
			if (w[0].hop[i].lb != NULL) {
				back.sport = pkt.port;
				back.port = pkt.sport;
				back.reply = true;
			}
		walk_predict(&env, dst, &back, 0, &w[1]);
		nf = nvas(&w[0], fv);
		nb = nvas(&w[1], bv);
		for (i = 0; i < nf && nf == nb && fv[i] == bv[nb - 1 - i]; i++)
			;
		if (nf != nb || i < nf) {
			res->held = false;
			str_appendf(res->seen, CHECK_TEXT, "; return: ");
			put_path(res->seen, &w[1]);
			str_appendf(res->seen, CHECK_TEXT, " (asymmetric)");
		}
	}
	wtabs_free(&wt);
	free(w);
}

/* ---- policies ---- */

static bool
result_crosses(const struct reach_result *r, char *const *v, size_t n)
{
	size_t i, k;

	for (i = 0; i < r->nhops; i++)
		for (k = 0; r->hops[i] != NULL && k < n; k++)
			if (strcmp(r->hops[i]->name, v[k]) == 0)
				return true;
	return false;
}

static void
put_result(char *buf, const struct reach *m, const struct reach_cell *c,
    size_t k, const struct reach_result *r)
{
	const struct reach_class *sc = &m->classes[c->src];
	const struct reach_class *dc = &m->classes[c->dst];
	const struct topo_node *dn = dc->rep_dst == sc->rep_src ? dc->rep_dst2 :
	    dc->rep_dst;
	char sv[32];
	size_t i;

	str_appendf(buf, CHECK_TEXT, "%s -> %s (%s): %s", sc->rep_src->name,
	    dc->kind == REACH_INTERNET || dn == NULL ? "internet" : dn->name,
	    reach_svc_str(&m->svcs[k], sv, sizeof(sv)),
	    walk_outcome_str(r->outcome));
	for (i = 0; i < r->nhops; i++)
		str_appendf(buf, CHECK_TEXT, "%s%s", i ? " > " : " via ", r->hops[i] ?
		    r->hops[i]->name : "internet");
}

/* Delivered flows of from -> to that cross none of through (n = 0: any). */
static size_t
violations(const struct topo *t, const struct plan *p, const char *from,
    const char *to, char *const *through, size_t nthrough,
    struct check_result *res)
{
	struct reach_group gf, gt;
	struct reach m;
	char msg[256];
	size_t i, k, bad = 0;

	reach_group_parse(t, from, &gf, msg, sizeof(msg));
	reach_group_parse(t, to, &gt, msg, sizeof(msg));
	if (reach_run(t, p, &gf, &gt, &m, msg, sizeof(msg)) != 0) {
		str_appendf(res->seen, CHECK_TEXT, "%s. ", msg);
		return 0;
	}
	for (i = 0; i < m.ncells; i++)
		for (k = 0; k < m.nsvcs; k++) {
			const struct reach_result *r = &m.cells[i].res[k];

			if (r->outcome != WALK_DELIVERED || (nthrough > 0 &&
			    result_crosses(r, through, nthrough)))
				continue;
			if (bad++ == 0)
				put_result(res->seen, &m, &m.cells[i], k, r);
		}
	if (bad > 1)
		str_appendf(res->seen, CHECK_TEXT, " (and %zu more)", bad - 1);
	if (bad > 0)
		str_appendf(res->seen, CHECK_TEXT, "; ");
	reach_free(&m);
	return bad;
}

static void
eval_policy(const struct topo *t, const struct plan *p,
    const struct suite_assert *a, struct check_result *res)
{
	size_t i, bad;

	if (a->policy == SUITE_ISOLATED) {
		str_appendf(res->expected, CHECK_TEXT, "no flow delivered between %s and %s",
		    a->from, a->to);
		/* the Internet sends no flow: one way then */
		bad = violations(t, p, a->from, a->to, NULL, 0, res) +
		    (strcmp(a->to, "internet") == 0 ? 0 :
		    violations(t, p, a->to, a->from, NULL, 0, res));
	} else {
		str_appendf(res->expected, CHECK_TEXT, "every flow delivered from %s to %s crosses "
		    "one of ", a->from, a->to ? a->to : "internet");
		for (i = 0; i < a->nthrough; i++)
			str_appendf(res->expected, CHECK_TEXT, "%s%s", i ? ", " : "", a->through[i]);
		bad = violations(t, p, a->from, a->to ? a->to : "internet",
		    a->through, a->nthrough, res);
	}
	if (bad > 0)
		res->held = false;
	else
		str_appendf(res->seen, CHECK_TEXT, "%s", res->seen[0] ? "" : "no flow otherwise");
}

/* ---- bgp ---- */

static bool
has_pfx(const struct pfx4 *v, size_t n, const struct pfx4 *p)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (pfx_equal(&v[i], p))
			return true;
	return false;
}

static void
eval_bgp(const struct topo *t, const struct plan *p,
    const struct suite_assert *a, struct check_result *res)
{
	const struct topo_rs *rs = topo_vnet_find(t, a->hub)->rs;
	const struct topo_nva *nva = topo_node_find(t, a->peer)->nva;
	char pb[PFX_STRLEN];
	size_t i, k, npeer = 0;
	bool est = true;

	str_appendf(res->expected, CHECK_TEXT, "%s", a->established < 0 ? "" : a->established ?
	    "established" : "not established");
	for (k = 0; k < a->nlearns; k++)
		str_appendf(res->expected, CHECK_TEXT, "%s%s", k ? ", " : res->expected[0] ?
		    "; learns " : "learns ", pfx_fmt(&a->learns[k], pb));
	for (k = 0; k < a->nadvertises; k++)
		str_appendf(res->expected, CHECK_TEXT, "%s%s", k ? ", " : res->expected[0] ?
		    "; advertises " : "advertises ", pfx_fmt(&a->advertises[k],
		    pb));
	for (i = 0; i < p->npeerings; i++) {
		const struct plan_peering *pp = &p->peerings[i];

		if (pp->nva != nva || pp->instance->rs != rs ||
		    (a->instance >= 0 &&
		    pp->instance->rs_instance != (unsigned)a->instance))
			continue;
		npeer++;
		est &= pp->established && !pp->over_limit;
		str_appendf(res->seen, CHECK_TEXT, "%s%s: %s", npeer > 1 ? "; " : "",
		    pp->instance->name, pp->established && !pp->over_limit ?
		    "established" : pp->over_limit ? "over the route limit" :
		    "not established");
		str_appendf(res->seen, CHECK_TEXT, ", %zu accepted", pp->accepted);
		for (k = 0; k < a->nlearns; k++)
			if (!has_pfx(pp->learned, pp->nlearned, &a->learns[k])) {
				res->held = false;
				str_appendf(res->seen, CHECK_TEXT, ", does not learn %s",
				    pfx_fmt(&a->learns[k], pb));
			}
		for (k = 0; k < a->nadvertises; k++)
			if (!has_pfx(pp->advertised, pp->nadvertised,
			    &a->advertises[k])) {
				res->held = false;
				str_appendf(res->seen, CHECK_TEXT, ", does not advertise %s",
				    pfx_fmt(&a->advertises[k], pb));
			}
	}
	if (npeer == 0) {
		est = false;
		str_appendf(res->seen, CHECK_TEXT, "no peering configured with %s", a->peer);
		if (a->nlearns + a->nadvertises > 0)
			res->held = false;
	}
	if (a->established >= 0 && est != (a->established == 1))
		res->held = false;
}

/* ---- diff ---- */

/* Whether p lies inside one of the assertion's only_prefixes. */
static bool
inside(const struct suite_assert *a, const struct pfx4 *p)
{
	size_t i;

	for (i = 0; i < a->nonly; i++)
		if (pfx_contains(&a->only[i], p))
			return true;
	return false;
}

/*
 * Owns: "nothing changes outside these prefixes" against the base
 * revision: diff_run (the same comparison as `arsemu diff BASE TOPO`),
 * each changed route by its prefix, each reachability change by its
 * destination's range (the Internet: 0.0.0.0/0). NICs added or removed,
 * Route Server peerings and lint warnings are not this assertion's.
 * Must not: plan with p (diff_run fills its plans' memos): both plans are
 * its own.
 */
static void
eval_diff(const struct topo *t, const struct plan *p,
    const struct suite_assert *a, struct check_result *res)
{
	struct plan pa, pb;
	struct diff d;
	char pf[PFX_STRLEN];
	size_t i, k, nr = 0, nw = 0, bad = 0, shown = 0;

	(void)p;
	str_appendf(res->expected, CHECK_TEXT, "against %s, no effective route "
	    "or reachability change outside ", a->base);
	for (i = 0; i < a->nonly; i++)
		str_appendf(res->expected, CHECK_TEXT, "%s%s", i ? ", " : "",
		    pfx_fmt(&a->only[i], pf));
	plan_run(a->base_topo, &pa);
	plan_run(t, &pb);
	diff_run(a->base_topo, &pa, t, &pb, &d);
	for (i = 0; i < d.ngroups; i++) {
		const struct diff_group *g = &d.groups[i];

		for (k = 0; k < g->nprefixes; k++) {
			nr++;
			if (inside(a, &g->prefixes[k].pfx))
				continue;
			if (bad++ < 3)
				str_appendf(res->seen, CHECK_TEXT, "%s%s/%s%s: "
				    "route %s %s", shown++ ? "; " : "",
				    g->members[0].vnet, g->members[0].subnet,
				    g->nmembers > 1 ? " and others" : "",
				    pfx_fmt(&g->prefixes[k].pfx, pf),
				    diff_kind_str(g->prefixes[k].kind));
		}
	}
	for (i = 0; i < d.nreach_rows; i++) {
		const struct diff_reach_row *w = &d.reach_rows[i];

		nw++;
		if (inside(a, &w->to_range))
			continue;
		if (bad++ < 3)
			str_appendf(res->seen, CHECK_TEXT, "%s%s -> %s (%s): "
			    "%s%s%s -> %s%s%s", shown++ ? "; " : "", w->from,
			    w->to, w->services, w->before.outcome_str,
			    w->before.via[0] ? " via " : "", w->before.via,
			    w->after.outcome_str, w->after.via[0] ? " via " : "",
			    w->after.via);
	}
	if (bad > 3)
		str_appendf(res->seen, CHECK_TEXT, " (and %zu more)", bad - 3);
	if (bad > 0) {
		res->held = false;
		str_appendf(res->seen, CHECK_TEXT, "; %zu of %zu changes "
		    "outside (%zu route, %zu reachability)", bad, nr + nw, nr,
		    nw);
	} else
		str_appendf(res->seen, CHECK_TEXT, "%zu route and %zu "
		    "reachability changes, none outside", nr, nw);
	diff_free(&d);
	plan_free(&pa);
	plan_free(&pb);
}

size_t
check_run(const struct topo *t, const struct plan *p, const struct suite *s,
    struct check_result *out)
{
	static void (*const fn[])(const struct topo *, const struct plan *,
	    const struct suite_assert *, struct check_result *) = {
	    eval_routes, eval_walk, eval_policy, eval_bgp, eval_diff };
	size_t i, n, failed = 0;

	for (i = 0; i < s->nasserts; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		out[i].a = s->asserts[i];
		out[i].held = true;
		fn[s->asserts[i]->kind](t, p, s->asserts[i], &out[i]);
		n = strlen(out[i].seen);
		while (n > 0 && (out[i].seen[n - 1] == ' ' ||
		    out[i].seen[n - 1] == ';'))
			out[i].seen[--n] = '\0';
		failed += !out[i].held;
	}
	return failed;
}
