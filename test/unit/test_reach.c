/*
 * test_reach: `arsemu reach`'s core, pure. On every example (read from
 * examples/, the largest apart) the class matrix equals walk_predict() on
 * whole tables (what `walk --offline` does) for every representative pair,
 * and for every member pair up to the endpoints' own names (the classes
 * are sound); every route of every table is a cut; the NICs of a class
 * share their effective routes; the classes' members add up to the VMs and
 * hosts. Then the cases the issue names: a spoke VM reaches on-premises
 * through the hub's NVA, two spokes without a path are reported so, and
 * azure-limits.json's 4,000 VMs. Inline documents use ' for ".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../emu/model/plan.h"
#include "../../emu/model/reach.h"
#include "../../lib/util.h"
#include "examples.h"
#include "t.h"
#include "tplan.h"

#define BIG_EXAMPLE	"examples/azure-limits.json"

static uint32_t
ip_of(const struct topo_node *n)
{
	return n == NULL ? WALK_INTERNET_IP : walk_node_ip(n);
}

/* The walk from s to d (NULL: the Internet) on whole tables. */
static void
walk_whole(struct whole *w, const struct topo_node *s,
    const struct topo_node *d, const struct reach_svc *v,
    struct reach_result *res)
{
	struct walk_env env = { w->t, whole_table, NULL, NULL, w, &w->p->in, NULL };
	struct walk_pkt pkt = { ip_of(s), ip_of(d), v->proto, v->port,
	    WALK_SPORT_BASE, false };
	struct walk wk;

	walk_predict(&env, s, &pkt, 0, &wk);
	reach_result_of(&wk, res);
}

/* Equal up to the endpoints: a's hops naming as/ad are b's bs/bd. */
static bool
same_up_to(const struct reach_result *a, const struct topo_node *as,
    const struct topo_node *ad, const struct reach_result *b,
    const struct topo_node *bs, const struct topo_node *bd)
{
	size_t i;

	if (a->outcome != b->outcome || a->nhops != b->nhops)
		return false;
	for (i = 0; i < a->nhops; i++) {
		const struct topo_node *x = a->hops[i], *y = b->hops[i];

		if (x == as && y == bs)
			continue;
		if (x != NULL && x == ad && y == bd)
			continue;
		if (x != y)
			return false;
	}
	return true;
}

static const struct topo_node *
dst_rep(const struct reach_class *s, const struct reach_class *d)
{
	return d->kind == REACH_INTERNET ? NULL : d->rep_dst == s->rep_src ?
	    d->rep_dst2 : d->rep_dst;
}

/* Every cell against whole-table walks: representatives, then members. */
static void
check_cells(const char *file, struct whole *w, const struct reach *r,
    bool members)
{
	size_t i, v, a, b, bad_rep = 0, bad_mem = 0, nmem = 0;

	for (i = 0; i < r->ncells; i++) {
		const struct reach_cell *c = &r->cells[i];
		const struct reach_class *s = &r->classes[c->src];
		const struct reach_class *d = &r->classes[c->dst];
		const struct topo_node *rd = dst_rep(s, d);

		for (v = 0; v < r->nsvcs; v++) {
			struct reach_result x;

			walk_whole(w, s->rep_src, rd, &r->svcs[v], &x);
			bad_rep += !reach_result_equal(&x, &c->res[v]) ||
			    (x.detail == NULL) != (c->res[v].detail == NULL) ||
			    (x.detail && strcmp(x.detail, c->res[v].detail) != 0);
			reach_result_free(&x);
			for (a = 0; members && a < s->nmembers; a++)
				for (b = 0; b < (d->kind == REACH_INTERNET ? 1 :
				    d->nmembers); b++) {
					const struct topo_node *ms = s->members[a];
					const struct topo_node *md = d->kind ==
					    REACH_INTERNET ? NULL : d->members[b];

					if (ms == md)
						continue;
					walk_whole(w, ms, md, &r->svcs[v], &x);
					nmem++;
					bad_mem += !same_up_to(&c->res[v], s->rep_src,
					    rd, &x, ms, md);
					reach_result_free(&x);
				}
		}
	}
	T_EQ(bad_rep, 0, "%s: each of %zu cells x %zu services equals the "
	    "whole-table walk of its representatives (%zu differ)", file,
	    r->ncells, r->nsvcs, bad_rep);
	if (members)
		T_EQ(bad_mem, 0, "%s: each of %zu member pairs walks as its "
		    "class pair does (%zu differ)", file, nmem, bad_mem);
}

static bool
in_cuts(const struct pfx4 *c, size_t nc, const struct pfx4 *p)
{
	return bsearch(p, c, nc, sizeof(*c), pfx_qcmp) != NULL;
}

/* Every route of every table a cut; a class's NICs share their table. */
static void
check_tables(const char *file, struct whole *w, const struct reach *r)
{
	struct pfx4 *c;
	size_t nc = reach_cuts(w->t, w->p, &c), i, k, missing = 0, differ = 0;

	for (i = 0; i < w->t->nnics; i++) {
		const struct sdn_table *tab = whole_table(w, w->t->nics[i]);

		for (k = 0; k < tab->nroutes; k++) {
			const struct sdn_route *rt = &tab->routes[k];
			unsigned h;

			missing += !in_cuts(c, nc, &rt->pfx);
			for (h = 0; h < rt->nnh; h++)
				missing += !in_cuts(c, nc, &(struct pfx4){ rt->nh[h],
				    32 });
		}
	}
	T_EQ(missing, 0, "%s: every route of every NIC's table, and each of its "
	    "next hops as a /32, is a cut (%zu are not)", file, missing);
	for (i = 0; i < r->nclasses; i++)
		for (k = 1; r->classes[i].kind == REACH_VM &&
		    k < r->classes[i].nmembers; k++)
			differ += !sdn_table_equal(whole_table(w,
			    r->classes[i].members[0]->nic),
			    whole_table(w, r->classes[i].members[k]->nic));
	T_EQ(differ, 0, "%s: the NICs of each VM class have identical effective "
	    "routes (%zu differ)", file, differ);
	free(c);
}

/* The members of the VM and host classes add up to the topology's. */
static void
check_counts(const char *file, const struct topo *t, const struct reach *r)
{
	size_t i, vms = 0, hosts = 0, mv = 0, mh = 0, inet = 0;

	for (i = 0; i < t->nnodes; i++) {
		vms += t->nodes[i]->kind == TOPO_VM;
		hosts += t->nodes[i]->kind == TOPO_SITE_HOST;
	}
	for (i = 0; i < r->nclasses; i++) {
		mv += r->classes[i].kind == REACH_VM ? r->classes[i].nmembers : 0;
		mh += r->classes[i].kind == REACH_HOST ? r->classes[i].nmembers : 0;
		inet += r->classes[i].kind == REACH_INTERNET;
	}
	T_OK(mv == vms && r->nvms == vms, "%s: VM classes hold %zu members, the "
	    "topology %zu VMs", file, mv, vms);
	T_OK(mh == hosts && r->nhosts == hosts, "%s: host classes hold %zu "
	    "members, the topology %zu hosts", file, mh, hosts);
	T_EQ(inet, 1, "%s: one Internet class", file);
}

static struct topo *
load_file(const char *file)
{
	struct topo_err e;
	struct topo *t = NULL;

	if (topo_load_file(file, &t, &e) != 0)
		printf("# %s: %s: %s\n", file, e.path, e.msg);
	return t;
}

static void
example(const char *file)
{
	struct reach_group all;
	struct whole w;
	struct reach r;
	struct plan p;
	struct topo *t = load_file(file);
	char err[256];

	if (!T_OK(t != NULL, "%s loads", file))
		return;
	memset(&all, 0, sizeof(all));
	plan_run(t, &p);
	T_EQ(reach_run(t, &p, &all, &all, &r, err, sizeof(err)), 0, "%s: reach "
	    "runs", file);
	whole_init(&w, t, &p);
	check_counts(file, t, &r);
	check_tables(file, &w, &r);
	check_cells(file, &w, &r, true);
	whole_free(&w);
	reach_free(&r);
	plan_free(&p);
	topo_free(t);
}

/* The cell from the class holding node a to the one holding b. */
static const struct reach_cell *
cell_of(const struct reach *r, const char *a, const char *b)
{
	size_t i, k;
	bool sa, db;

	for (i = 0; i < r->ncells; i++) {
		const struct reach_class *s = &r->classes[r->cells[i].src];
		const struct reach_class *d = &r->classes[r->cells[i].dst];

		for (k = 0, sa = false; k < s->nmembers; k++)
			sa |= strcmp(s->members[k]->name, a) == 0;
		for (k = 0, db = b == NULL && d->kind == REACH_INTERNET;
		    b != NULL && k < d->nmembers; k++)
			db |= strcmp(d->members[k]->name, b) == 0;
		if (sa && db)
			return &r->cells[i];
	}
	return NULL;
}

static bool
crosses(const struct reach_result *res, const char *name)
{
	size_t i;

	for (i = 0; i < res->nhops; i++)
		if (res->hops[i] != NULL && strcmp(res->hops[i]->name, name) == 0)
			return true;
	return false;
}

struct run {
	struct topo	*t;
	struct plan	 p;
	struct reach	 r;
};

static bool
run_file(const char *file, const char *from, const char *to, struct run *x)
{
	struct reach_group gf, gt;
	char err[256];

	memset(x, 0, sizeof(*x));
	if ((x->t = load_file(file)) == NULL)
		return false;
	plan_run(x->t, &x->p);
	if (reach_group_parse(x->t, from, &gf, err, sizeof(err)) != 0 ||
	    reach_group_parse(x->t, to, &gt, err, sizeof(err)) != 0 ||
	    reach_run(x->t, &x->p, &gf, &gt, &x->r, err, sizeof(err)) != 0) {
		printf("# %s: %s\n", file, err);
		return false;
	}
	return true;
}

static void
run_free(struct run *x)
{
	reach_free(&x->r);
	plan_free(&x->p);
	topo_free(x->t);
}

static void
test_onprem_through_nva(void)
{
	struct run x;
	const struct reach_cell *c;

	if (!T_OK(run_file("examples/single-hub.json", NULL, NULL, &x),
	    "single-hub: reach runs"))
		return;
	c = cell_of(&x.r, "spoke1-vm1", "branch-h1");
	T_OK(c != NULL && c->res[0].outcome == WALK_DELIVERED &&
	    crosses(&c->res[0], "sdwan") && c->res[0].nhops == 4,
	    "single-hub: spoke1's VM reaches the branch through the hub's NVA "
	    "sdwan (spoke1-vm1 > sdwan > branch-edge > branch-h1)");
	c = cell_of(&x.r, "branch-h1", "spoke1-vm1");
	T_OK(c != NULL && c->res[0].outcome == WALK_DELIVERED &&
	    crosses(&c->res[0], "sdwan"), "single-hub: and the branch reaches "
	    "the spoke back through sdwan");
	run_free(&x);
}

static void
test_spokes_without_path(void)
{
	struct run x;
	const struct reach_cell *c, *d;

	if (!T_OK(run_file("examples/shared-circuit.json", NULL, NULL, &x),
	    "shared-circuit: reach runs"))
		return;
	c = cell_of(&x.r, "uks-vm1", "weu-vm1");
	d = cell_of(&x.r, "weu-vm1", "uks-vm1");
	T_OK(c != NULL && c->res[0].outcome == WALK_BLACKHOLED &&
	    c->res[0].nhops == 1, "shared-circuit: spoke-uks has no path to "
	    "spoke-weu (blackholed at its own NIC: no allow_remote_vnet_traffic)");
	T_OK(d != NULL && d->res[0].outcome == WALK_BLACKHOLED,
	    "shared-circuit: nor spoke-weu to spoke-uks");
	c = cell_of(&x.r, "uks-vm1", "hq-h1");
	T_OK(c != NULL && c->res[0].outcome == WALK_DELIVERED,
	    "shared-circuit: both reach the site (the matrix is not all refusals)");
	run_free(&x);
}

static void
test_big(void)
{
	struct run x;
	size_t i, members = 0, pairs = 0, classes = 0;

	if (!T_OK(run_file(BIG_EXAMPLE, NULL, NULL, &x), "%s: reach runs",
	    BIG_EXAMPLE))
		return;
	for (i = 0; i < x.r.nclasses; i++)
		if (x.r.classes[i].kind == REACH_VM) {
			members += x.r.classes[i].nmembers;
			classes++;
		}
	for (i = 0; i < x.r.ncells; i++)
		pairs += x.r.cells[i].pairs;
	T_OK(members == 4000 && x.r.nvms == 4000, "%s: %zu VM classes hold "
	    "%zu VMs, the topology 4,000", BIG_EXAMPLE, classes, members);
	T_OK(classes < 4000 / 4, "%s: classes, not VMs: %zu", BIG_EXAMPLE,
	    classes);
	T_EQ(pairs, (size_t)4000 * 3999 + 4000, "%s: the cells stand for every "
	    "VM pair and every VM to the Internet (%zu)", BIG_EXAMPLE, pairs);
	T_EQ(x.r.walks, x.r.ncells * x.r.nsvcs, "%s: one walk per cell and "
	    "service (%zu)", BIG_EXAMPLE, x.r.walks);
	run_free(&x);
}

/* A /32 route for one VM and a filter on another split their subnet. */
#define SPLIT "{'name':'s','regions':[{'name':'r','hub':{'name':'hub',"	\
	"'address_space':['10.1.0.0/16'],'subnets':{'nva':'10.1.2.0/24'},"	\
	"'nvas':[{'name':'fw','subnet':'nva','asn':65010,'ip':'10.1.2.4',"	\
	"'filter':[{'action':'deny','dst':'10.2.1.6/32','proto':'tcp',"	\
	"'port':443}]}]},'spokes':[{'name':'a','address_space':"		\
	"['10.2.0.0/16'],'subnets':{'app':'10.2.1.0/24'},'vms':["		\
	"{'name':'a1','subnet':'app','ip':'10.2.1.4'},"			\
	"{'name':'a2','subnet':'app','ip':'10.2.1.5'},"			\
	"{'name':'a3','subnet':'app','ip':'10.2.1.6'}]},{'name':'b',"		\
	"'address_space':['10.3.0.0/16'],'subnets':{'app':'10.3.1.0/24'},"	\
	"'vms':[{'name':'b1','subnet':'app'}]}]}]," 			\
	"'route_tables':[{'name':'rt','subnets':['b/app'],'routes':["		\
	"{'name':'fw','prefix':'10.2.0.0/16','next_hop_type':"		\
	"'VirtualAppliance','next_hop_ip':'10.1.2.4'},{'name':'drop5',"	\
	"'prefix':'10.2.1.5/32','next_hop_type':'None'}]}]}"

static void
test_split(void)
{
	struct topo_err e;
	struct topo *t = NULL;
	struct reach_group all;
	struct whole w;
	struct reach r;
	struct plan p;
	char *doc = xstrdup(SPLIT), *q, err[256];
	const struct reach_cell *c;
	size_t i, a = 0;

	for (q = doc; *q != '\0'; q++)
		if (*q == '\'')
			*q = '"';
	if (topo_load_string(doc, strlen(doc), &t, &e) != 0)
		printf("# %s: %s\n", e.path, e.msg);
	free(doc);
	if (!T_OK(t != NULL, "split: the document loads"))
		return;
	memset(&all, 0, sizeof(all));
	plan_run(t, &p);
	reach_run(t, &p, &all, &all, &r, err, sizeof(err));
	for (i = 0; i < r.nclasses; i++)
		a += r.classes[i].kind == REACH_VM && r.classes[i].subnet ==
		    t->vnets[1]->subnets[0];
	T_EQ(a, 3, "split: a /32 route and a /32 filter split a's subnet of "
	    "three VMs into three classes");
	c = cell_of(&r, "b1", "a2");
	T_OK(c != NULL && c->res[0].outcome == WALK_BLACKHOLED, "split: b1 to "
	    "a2 is blackholed by the /32 None route");
	c = cell_of(&r, "b1", "a1");
	T_OK(c != NULL && c->res[0].outcome == WALK_DELIVERED && crosses(&c->res[0],
	    "fw"), "split: b1 to a1 is delivered through fw");
	c = cell_of(&r, "b1", "a3");
	for (i = 0, a = 0; c != NULL && i < r.nsvcs; i++)
		a += c->res[i].outcome == WALK_DENIED;
	T_EQ(a, 1, "split: b1 to a3 is denied for one service (tcp/443) only");
	whole_init(&w, t, &p);
	check_cells("split", &w, &r, true);
	whole_free(&w);
	reach_free(&r);
	plan_free(&p);
	topo_free(t);
}

/*
 * b's route table sends a's space to a1, a VM: a1 is reached, a2 is not.
 * b peers with a: a next hop in a VNet b is not peered with is out of
 * reach (PE-08, PE-01), the fabric drops it.
 */
#define NEXTHOP_VM "{'name':'n','regions':[{'name':'r','hub':{'name':'hub',"	\
	"'address_space':['10.1.0.0/16'],'subnets':{'vms':'10.1.3.0/24'},"	\
	"'vms':[{'name':'h1','subnet':'vms'}]},'spokes':[{'name':'a',"	\
	"'address_space':['10.2.0.0/16'],'subnets':{'app':'10.2.1.0/24'},"	\
	"'vms':[{'name':'a1','subnet':'app','ip':'10.2.1.4'},"		\
	"{'name':'a2','subnet':'app','ip':'10.2.1.5'}]},{'name':'b',"		\
	"'address_space':['10.3.0.0/16'],'subnets':{'app':'10.3.1.0/24'},"	\
	"'peerings':['a'],"							\
	"'vms':[{'name':'b1','subnet':'app'}]}]}],'route_tables':[{"		\
	"'name':'rt','subnets':['b/app'],'routes':[{'name':'to-a1','prefix':"	\
	"'10.2.0.0/16','next_hop_type':'VirtualAppliance','next_hop_ip':"	\
	"'10.2.1.4'}]}]}"

static void
test_nexthop_vm(void)
{
	struct topo_err e;
	struct topo *t = NULL;
	struct reach_group all;
	struct whole w;
	struct reach r;
	struct plan p;
	char *doc = xstrdup(NEXTHOP_VM), *q, err[256];
	const struct reach_cell *c1, *c2;

	for (q = doc; *q != '\0'; q++)
		if (*q == '\'')
			*q = '"';
	if (topo_load_string(doc, strlen(doc), &t, &e) != 0)
		printf("# %s: %s\n", e.path, e.msg);
	free(doc);
	if (!T_OK(t != NULL, "next hop VM: the document loads"))
		return;
	memset(&all, 0, sizeof(all));
	plan_run(t, &p);
	reach_run(t, &p, &all, &all, &r, err, sizeof(err));
	c1 = cell_of(&r, "b1", "a1");
	c2 = cell_of(&r, "b1", "a2");
	T_OK(c1 != NULL && c2 != NULL && c1 != c2 &&
	    c1->res[0].outcome == WALK_DELIVERED &&
	    c2->res[0].outcome == WALK_NOT_FORWARDED, "next hop VM: a1, a "
	    "route's next hop, is its own class: b1 reaches a1, and a2 only "
	    "through a1, which does not forward");
	whole_init(&w, t, &p);
	check_cells("next hop VM", &w, &r, true);
	whole_free(&w);
	reach_free(&r);
	plan_free(&p);
	topo_free(t);
}

static void
test_groups(void)
{
	static const char *const bad[] = { "vnet:nope", "subnet:spoke1",
	    "subnet:nope/default", "subnet:spoke1/nope", "site:nope", "fw",
	    "hub-rs0", "nope" };
	static const char *const good[] = { "vnet:hub", "subnet:spoke1/default",
	    "site:branch", "internet", "spoke1-vm1", "branch-h1" };
	struct reach_group g;
	struct reach none;
	struct run x;
	char err[256];
	size_t i;

	if (!T_OK(run_file("examples/single-hub.json", "vnet:spoke1",
	    "site:branch", &x), "groups: single-hub --from vnet:spoke1 --to "
	    "site:branch runs"))
		return;
	T_OK(x.r.ncells == 1 && x.r.cells[0].pairs == 1,
	    "groups: one row, one pair");
	for (i = 0; i < NELEM(bad); i++) {
		err[0] = '\0';
		T_OK(reach_group_parse(x.t, bad[i], &g, err, sizeof(err)) == -1 &&
		    strstr(err, bad[i]) != NULL, "groups: \"%s\" is refused, "
		    "named: %s", bad[i], err);
	}
	for (i = 0; i < NELEM(good); i++)
		T_EQ(reach_group_parse(x.t, good[i], &g, err, sizeof(err)), 0,
		    "groups: \"%s\" is a group", good[i]);
	reach_group_parse(x.t, "internet", &g, err, sizeof(err));
	T_EQ(reach_run(x.t, &x.p, &g, &g, &none, err, sizeof(err)), -1,
	    "groups: the Internet is no source");
	run_free(&x);
}

int
main(void)
{
	size_t n, i;
	char **files = examples_list(&n);

	for (i = 0; i < n; i++)
		if (strcmp(files[i], BIG_EXAMPLE) != 0)
			example(files[i]);
	examples_free(files);
	test_onprem_through_nva();
	test_spokes_without_path();
	test_split();
	test_nexthop_vm();
	test_groups();
	test_big();
	return t_done();
}
