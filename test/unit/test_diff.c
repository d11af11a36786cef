/*
 * test_diff: `arsemu diff`'s core (emu/model/diff.c), pure: two revisions
 * of a generated estate (a hub with a Route Server and one NVA, N spokes of
 * one subnet and one VM), planned with plan_run_routes and compared.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../emu/model/diff.h"
#include "../../lib/util.h"
#include "../../topo/lint.h"
#include "t.h"

#define NSPOKES_MAX	24	/* more than DIFF_TABLES_HELD tables a revision */

/* One revision of the estate. */
struct estate {
	unsigned	 nspokes;
	/* the shared table's route: "VirtualAppliance" or "None"; NULL: none */
	const char	*rt_nh;
	unsigned	 rt_spokes;	/* the first rt_spokes spokes use it */
	int		 unpeered;	/* spoke number (1..) not peered, 0: none */
	unsigned	 vms;		/* VMs in spoke 1 (1 or more) */
	const char	*timers;	/* "" or a "timers" member */
	const char	*adv;		/* more the NVA advertises: ",\"P\"" or NULL */
	bool		 swap;		/* the VMs of s1 and s2 swap names */
	const char	*rt_pfx;	/* the route's prefix; NULL: 192.168.0.0/16 */
};

static struct topo *
load(const struct estate *e)
{
	char doc[16384], spokes[8192] = "", rts[1024] = "", subnets[512] = "";
	char vms[256] = "";
	struct topo_err err;
	struct topo *t = NULL;
	size_t off = 0, soff = 0, voff = 0;
	unsigned i;

	for (i = 1; i <= e->vms; i++)
		voff += (size_t)snprintf(vms + voff, sizeof(vms) - voff,
		    "%s{\"name\":\"s1-vm%u\",\"subnet\":\"app\"}", i > 1 ? "," : "", i);
	if (e->swap)
		snprintf(vms, sizeof(vms), "{\"name\":\"s2-vm1\",\"subnet\":\"app\"}");
	for (i = 1; i <= e->nspokes; i++) {
		if (i > 1)
			snprintf(vms, sizeof(vms), "{\"name\":\"s%u-vm1\","
			    "\"subnet\":\"app\"}", e->swap && i == 2 ? 1 : i);
		off += (size_t)snprintf(spokes + off, sizeof(spokes) - off,
		    "%s{\"name\":\"s%u\",\"address_space\":[\"10.%u.0.0/16\"],"
		    "%s,\"subnets\":{\"app\":"
		    "\"10.%u.1.0/24\"},\"vms\":[%s]}", i > 1 ? "," : "", i,
		    i + 1, (int)i == e->unpeered ? "\"peered\":false" :
		    "\"use_remote_gateways\":true",
		    i + 1, vms);
		if (i <= e->rt_spokes)
			soff += (size_t)snprintf(subnets + soff, sizeof(subnets) - soff,
			    "%s\"s%u/app\"", i > 1 ? "," : "", i);
	}
	if (e->rt_nh != NULL && e->rt_spokes > 0)
		snprintf(rts, sizeof(rts), ",\"route_tables\":[{\"name\":\"rt\","
		    "\"subnets\":[%s],\"routes\":[{\"name\":\"onprem\",\"prefix\":"
		    "\"%s\",\"next_hop_type\":\"%s\"%s}]}]", subnets,
		    e->rt_pfx != NULL ? e->rt_pfx : "192.168.0.0/16",
		    e->rt_nh, strcmp(e->rt_nh, "VirtualAppliance") == 0 ?
		    ",\"next_hop_ip\":\"10.1.2.4\"" : "");
	snprintf(doc, sizeof(doc), "{\"name\":\"d\",%s\"regions\":[{\"name\":"
	    "\"r\",\"hub\":{\"name\":\"hub\",\"address_space\":[\"10.1.0.0/16\"],"
	    "\"subnets\":{\"RouteServerSubnet\":\"10.1.1.0/27\",\"nva\":"
	    "\"10.1.2.0/24\"},\"route_server\":{},\"nvas\":[{\"name\":\"fw\","
	    "\"subnet\":\"nva\",\"asn\":65010,\"ip\":\"10.1.2.4\",\"advertise\":"
	    "[\"172.16.0.0/12\"%s]}]},\"spokes\":[%s]}]%s}", e->timers,
	    e->adv != NULL ? e->adv : "", spokes, rts);
	if (topo_load_string(doc, strlen(doc), &t, &err) != 0) {
		printf("#   %s: %s\n#   %s\n", err.path, err.msg, doc);
		return NULL;
	}
	topo_lint(t);
	return t;
}

/* Both revisions loaded, planned and compared; false if one did not load. */
struct run {
	struct topo	*a, *b;
	struct plan	 pa, pb;
	struct diff	 d;
};

static bool
run(const struct estate *ea, const struct estate *eb, struct run *r)
{
	memset(r, 0, sizeof(*r));
	r->a = load(ea);
	r->b = load(eb);
	if (r->a == NULL || r->b == NULL) {
		topo_free(r->a);
		topo_free(r->b);
		return false;
	}
	plan_run_routes(r->a, &r->pa);
	plan_run_routes(r->b, &r->pb);
	diff_run(r->a, &r->pa, r->b, &r->pb, &r->d);
	return true;
}

static void
run_free(struct run *r)
{
	diff_free(&r->d);
	plan_free(&r->pa);
	plan_free(&r->pb);
	topo_free(r->a);
	topo_free(r->b);
}

static const struct diff_prefix *
prefix(const struct diff_group *g, const char *s)
{
	struct pfx4 p;
	size_t i;

	if (pfx_parse(s, &p) != 0)
		die("bad prefix in test: %s", s);
	for (i = 0; i < g->nprefixes; i++)
		if (pfx_equal(&g->prefixes[i].pfx, &p))
			return &g->prefixes[i];
	return NULL;
}

/* The group holding subnet vnet/app, or NULL. */
static const struct diff_group *
group_of(const struct diff *d, const char *vnet, const char *subnet)
{
	size_t i, k;

	for (i = 0; i < d->ngroups; i++)
		for (k = 0; k < d->groups[i].nmembers; k++)
			if (strcmp(d->groups[i].members[k].vnet, vnet) == 0 &&
			    strcmp(d->groups[i].members[k].subnet, subnet) == 0)
				return &d->groups[i];
	return NULL;
}

static const struct sdn_route *
active(const struct sdn_route *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].active)
			return &v[i];
	return NULL;
}

static void
test_identical(void)
{
	struct estate e = { .nspokes = 3, .rt_nh = "VirtualAppliance",
	    .rt_spokes = 2, .vms = 1, .timers = "" };
	struct run r;

	if (!T_OK(run(&e, &e, &r), "identical: both revisions load"))
		return;
	T_OK(!diff_changed(&r.d), "identical revisions: no change");
	T_EQ(r.d.ngroups, 0u, "identical: no group (%zu)", r.d.ngroups);
	T_EQ(r.d.subnets, 5u, "identical: the 5 subnets with a NIC compared "
	    "(hub's nva and RouteServerSubnet, 3 spokes): %zu", r.d.subnets);
	T_EQ(r.d.unchanged, r.d.subnets, "identical: every subnet unchanged");
	T_EQ(r.d.npeerings + r.d.nnics + r.d.nlint_new + r.d.nlint_gone, 0u,
	    "identical: no peering, NIC or warning differs");
	T_OK(r.d.nreach_rows == 0 && r.d.nreach_groups == 0 &&
	    r.d.reach_compared == 3 * 3, "identical: 9 class pairs compared "
	    "(3 VM classes of one VM each to the 2 others and the Internet), "
	    "none changed (%zu, %zu rows)", r.d.reach_compared,
	    r.d.nreach_rows);
	run_free(&r);
}

static void
test_route_table(void)
{
	struct estate a = { .nspokes = 3, .rt_nh = "VirtualAppliance",
	    .rt_spokes = 1, .vms = 1, .timers = "" };
	struct estate b = a;
	const struct diff_prefix *p;
	const struct diff_group *g;
	const struct sdn_route *o, *n;
	struct run r;

	b.rt_nh = "None";
	if (!T_OK(run(&a, &b, &r), "route table: both revisions load"))
		return;
	T_OK(diff_changed(&r.d), "a route's next hop changed: a change");
	T_EQ(r.d.ngroups, 1u, "one group changes (%zu)", r.d.ngroups);
	g = r.d.ngroups == 1 ? &r.d.groups[0] : NULL;
	if (g == NULL)
		goto out;
	T_OK(g->nmembers == 1 && strcmp(g->members[0].vnet, "s1") == 0 &&
	    strcmp(g->members[0].subnet, "app") == 0 && g->kind == DIFF_CHANGED,
	    "the group is s1/app alone, changed");
	T_EQ(g->nprefixes, 1u, "one prefix of it (%zu)", g->nprefixes);
	p = prefix(g, "192.168.0.0/16");
	o = p != NULL ? active(p->old, p->nold) : NULL;
	n = p != NULL ? active(p->new, p->nnew) : NULL;
	T_OK(p != NULL && p->kind == DIFF_CHANGED && o != NULL && n != NULL &&
	    o->type == SDN_NH_VIRTUALAPPLIANCE && o->nnh == 1 &&
	    n->type == SDN_NH_NONE && n->nnh == 0 && o->source == SDN_SRC_USER,
	    "192.168.0.0/16: User VirtualAppliance 10.1.2.4 -> None");
	T_EQ(r.d.npeerings, 0u, "a route table is no Route Server's business "
	    "(%zu peerings)", r.d.npeerings);
out:
	run_free(&r);
}

/*
 * The route comparison takes its tables from the reachability matrices
 * (diffroutes.h): more spokes than it holds at once, every spoke's 0.0.0.0/0
 * moved from the firewall to None, so every walk changes. Whichever thread
 * brought which table, the result is one group of every spoke, and each
 * subnet's two tables came from a matrix or were computed, once each; the
 * matrices walk from every spoke, and a matrix that runs ahead waits for
 * the other rather than let a spoke's table go.
 */
static void
test_shared_tables(void)
{
	struct estate a = { .nspokes = NSPOKES_MAX, .rt_nh = "VirtualAppliance",
	    .rt_spokes = NSPOKES_MAX, .vms = 1, .timers = "",
	    .rt_pfx = "0.0.0.0/0" };
	struct estate b = a;
	const struct diff_group *g;
	struct run r;

	b.rt_nh = "None";
	if (!T_OK(run(&a, &b, &r), "shared tables: both revisions load"))
		return;
	g = group_of(&r.d, "s1", "app");
	T_OK(r.d.ngroups == 1 && g != NULL && g->nmembers == NSPOKES_MAX &&
	    prefix(g, "0.0.0.0/0") != NULL, "shared tables: one group of the "
	    "%u spokes, 0.0.0.0/0 changed (%zu groups, %zu members)",
	    NSPOKES_MAX, r.d.ngroups, g != NULL ? g->nmembers : 0);
	T_OK(r.d.tables_shared + r.d.tables_computed == 2 * r.d.subnets,
	    "shared tables: each subnet's table once a revision (%zu from the "
	    "matrices, %zu computed, %zu subnets)", r.d.tables_shared,
	    r.d.tables_computed, r.d.subnets);
	T_OK(r.d.tables_shared >= 2 * NSPOKES_MAX, "shared tables: every "
	    "spoke's from the matrices (%zu)", r.d.tables_shared);
	T_OK(r.d.nreach_rows > 0, "shared tables: the walks changed too "
	    "(%zu rows)", r.d.nreach_rows);
	run_free(&r);
}

static void
test_unpeered(void)
{
	struct estate a = { .nspokes = 3, .vms = 1, .timers = "" };
	struct estate b = a;
	const struct diff_group *g;
	const struct diff_prefix *p;
	struct pfx4 s2;
	size_t i;
	bool adv = false;
	struct run r;

	b.unpeered = 2;
	if (!T_OK(run(&a, &b, &r), "unpeered: both revisions load"))
		return;
	g = group_of(&r.d, "s2", "app");
	p = g != NULL ? prefix(g, "10.1.0.0/16") : NULL;
	T_OK(p != NULL && p->kind == DIFF_REMOVED && p->nold == 1 &&
	    p->old[0].type == SDN_NH_VNETPEERING && p->nnew == 0,
	    "s2 unpeered: its VNetPeering route to the hub's 10.1.0.0/16 removed");
	p = g != NULL ? prefix(g, "172.16.0.0/12") : NULL;
	T_OK(p != NULL && p->kind == DIFF_CHANGED &&
	    active(p->old, p->nold) != NULL && active(p->new, p->nnew) != NULL &&
	    active(p->old, p->nold)->type == SDN_NH_VNG &&
	    active(p->new, p->nnew)->type == SDN_NH_NONE,
	    "s2 unpeered: the NVA's 172.16.0.0/12 (VirtualNetworkGateway) gone, "
	    "the Default None route under it Active again");
	g = group_of(&r.d, "hub", "nva");
	p = g != NULL ? prefix(g, "10.3.0.0/16") : NULL;
	T_OK(p != NULL && p->kind == DIFF_REMOVED &&
	    p->old[0].type == SDN_NH_VNETPEERING,
	    "the hub's subnets lose the peering route to s2's 10.3.0.0/16");
	T_OK(group_of(&r.d, "s1", "app") == NULL &&
	    group_of(&r.d, "s3", "app") == NULL, "s1 and s3 unchanged");
	pfx_parse("10.3.0.0/16", &s2);
	for (i = 0; i < r.d.npeerings; i++)
		adv = adv || (r.d.peerings[i].advertised.nremoved == 1 &&
		    pfx_equal(&r.d.peerings[i].advertised.removed[0], &s2) &&
		    strcmp(r.d.peerings[i].peer, "fw") == 0);
	T_OK(r.d.npeerings == 2 && adv, "both Route Server instances stop "
	    "advertising 10.3.0.0/16 to fw (%zu peerings)", r.d.npeerings);
	run_free(&r);
}

static void
test_grouping(void)
{
	struct estate a = { .nspokes = NSPOKES_MAX, .rt_nh = "VirtualAppliance",
	    .rt_spokes = 5, .vms = 1, .timers = "" };
	struct estate b = a;
	const struct diff_group *g;
	struct run r;

	b.rt_nh = "None";
	if (!T_OK(run(&a, &b, &r), "grouping: both revisions load"))
		return;
	T_EQ(r.d.ngroups, 1u, "5 subnets with the same change: one group (%zu)",
	    r.d.ngroups);
	g = r.d.ngroups == 1 ? &r.d.groups[0] : NULL;
	T_OK(g != NULL && g->nmembers == 5 && g->nnics == 5 && g->nprefixes == 1,
	    "the group names the 5 subnets and their 5 NICs, one prefix");
	T_EQ(r.d.unchanged, r.d.subnets - 5, "the other %zu subnets unchanged",
	    r.d.subnets - 5);
	run_free(&r);
}

static void
test_added(void)
{
	struct estate a = { .nspokes = 2, .vms = 1, .timers = "" };
	struct estate b = { .nspokes = 3, .vms = 2, .timers = "" };
	const struct diff_group *g;
	size_t i, added = 0;
	struct run r;

	if (!T_OK(run(&a, &b, &r), "added: both revisions load"))
		return;
	g = group_of(&r.d, "s3", "app");
	T_OK(g != NULL && g->kind == DIFF_ADDED && g->nmembers == 1 &&
	    prefix(g, "10.4.0.0/16") != NULL &&
	    prefix(g, "10.4.0.0/16")->kind == DIFF_ADDED,
	    "a new spoke's subnet: added, with its routes (its own 10.4.0.0/16)");
	for (i = 0; i < r.d.nnics; i++)
		added += r.d.nics[i].kind == DIFF_ADDED &&
		    (strcmp(r.d.nics[i].name, "s1-vm2") == 0 ||
		    strcmp(r.d.nics[i].name, "s3-vm1") == 0);
	T_OK(r.d.nnics == 2 && added == 2, "NICs s1-vm2 and s3-vm1 added "
	    "(%zu NICs)", r.d.nnics);
	T_OK(r.d.nnicsets == 2 && r.d.nicsets[0].kind == DIFF_ADDED &&
	    r.d.nicsets[0].nnics == 1 && r.d.nicsets[0].nroutes > 0 &&
	    r.d.nicsets[1].nnics == 1, "one set per subnet, with its routes "
	    "(%zu sets)", r.d.nnicsets);
	T_OK(group_of(&r.d, "s1", "app") == NULL,
	    "s1's second VM changes none of its routes");
	run_free(&r);
	/* and back: removed */
	if (!T_OK(run(&b, &a, &r), "removed: both revisions load"))
		return;
	g = group_of(&r.d, "s3", "app");
	T_OK(g != NULL && g->kind == DIFF_REMOVED &&
	    prefix(g, "10.4.0.0/16") != NULL &&
	    prefix(g, "10.4.0.0/16")->kind == DIFF_REMOVED,
	    "the spoke gone: its subnet removed, with its routes");
	T_OK(r.d.nnics == 2 && r.d.nics[0].kind == DIFF_REMOVED,
	    "two NICs removed");
	run_free(&r);
}

/* VMs that swap names: each name moves to the other subnet. */
static void
test_moved(void)
{
	struct estate a = { .nspokes = 2, .vms = 1, .timers = "" };
	struct estate b = { .nspokes = 2, .vms = 1, .timers = "", .swap = true };
	const struct diff_nicset *from, *to;
	struct run r;

	if (!T_OK(run(&a, &b, &r), "moved: both revisions load"))
		return;
	T_EQ(r.d.nnics, 4u, "both names moved: 4 NIC entries (%zu)", r.d.nnics);
	from = r.d.nnics == 4 ? &r.d.nicsets[r.d.nics[0].set] : NULL;
	to = r.d.nnics == 4 ? &r.d.nicsets[r.d.nics[1].set] : NULL;
	T_OK(from != NULL && to != NULL &&
	    strcmp(r.d.nics[0].name, "s1-vm1") == 0 &&
	    from->kind == DIFF_REMOVED && strcmp(from->vnet, "s1") == 0 &&
	    to->kind == DIFF_ADDED && strcmp(to->vnet, "s2") == 0,
	    "s1-vm1: removed from s1/app, added to s2/app");
	T_EQ(r.d.ngroups, 0u, "no subnet's routes change (%zu groups)",
	    r.d.ngroups);
	run_free(&r);
}

static void
test_lint(void)
{
	struct estate a = { .nspokes = 1, .vms = 1,
	    .timers = "\"timers\":{\"hold\":9,\"keepalive\":3}," };
	struct estate b = a;
	struct run r;

	b.timers = "\"timers\":{\"hold\":0,\"keepalive\":0},";
	if (!T_OK(run(&a, &b, &r), "lint: both revisions load"))
		return;
	T_OK(r.d.nlint_new >= 1 && r.d.nlint_gone == 0 &&
	    strstr(r.d.lint_new[0], "RS-43") != NULL,
	    "hold 0: a new RS-43 warning, none gone (%zu new)", r.d.nlint_new);
	T_OK(diff_changed(&r.d), "a new warning alone is a change");
	run_free(&r);
	if (!T_OK(run(&b, &a, &r), "lint back: both revisions load"))
		return;
	T_OK(r.d.nlint_gone >= 1 && r.d.nlint_new == 0, "and back: gone");
	run_free(&r);
}

static void
test_learned(void)
{
	struct estate a = { .nspokes = 1, .vms = 1, .timers = "" };
	struct estate b = a;
	const struct diff_prefix *p;
	const struct diff_group *g;
	struct pfx4 want;
	size_t i, n = 0;
	struct run r;

	b.adv = ",\"192.168.0.0/16\"";
	if (!T_OK(run(&a, &b, &r), "learned: both revisions load"))
		return;
	pfx_parse("192.168.0.0/16", &want);
	for (i = 0; i < r.d.npeerings; i++)
		n += r.d.peerings[i].kind == DIFF_CHANGED &&
		    r.d.peerings[i].learned.nadded == 1 &&
		    pfx_equal(&r.d.peerings[i].learned.added[0], &want) &&
		    r.d.peerings[i].learned.nremoved == 0 &&
		    r.d.peerings[i].old_accepted + 1 == r.d.peerings[i].new_accepted;
	T_OK(r.d.npeerings == 2 && n == 2, "fw advertises 192.168.0.0/16 too: "
	    "hub-rs0 and hub-rs1 learn it from fw, one more accepted");
	g = group_of(&r.d, "s1", "app");
	p = g != NULL ? prefix(g, "192.168.0.0/16") : NULL;
	T_OK(p != NULL && p->kind == DIFF_CHANGED &&
	    active(p->new, p->nnew) != NULL &&
	    active(p->new, p->nnew)->type == SDN_NH_VNG &&
	    active(p->old, p->nold) != NULL &&
	    active(p->old, p->nold)->type == SDN_NH_NONE,
	    "and s1's 192.168.0.0/16: Default None -> VirtualNetworkGateway");
	run_free(&r);
}

/*
 * Both revisions of a shipped pair, from files (the tests run from the top
 * of the tree), linted and planned as `arsemu diff` does.
 */
static bool
run_files(const char *fa, const char *fb, struct run *r)
{
	struct topo_err e;

	memset(r, 0, sizeof(*r));
	if (topo_load_file(fa, &r->a, &e) != 0 ||
	    topo_load_file(fb, &r->b, &e) != 0) {
		printf("#   %s: %s\n", e.path, e.msg);
		topo_free(r->a);
		return false;
	}
	topo_lint(r->a);
	topo_lint(r->b);
	plan_run_routes(r->a, &r->pa);
	plan_run_routes(r->b, &r->pb);
	diff_run(r->a, &r->pa, r->b, &r->pb, &r->d);
	return true;
}

/*
 * examples/diff: spoke-uks loses hq-via-fw1, so its flow to the
 * headquarters no longer crosses uks-fw1 (the "a route table
 * change that breaks spoke-to-on-premises inspection"). Reachability
 * shows exactly that class pair, delivered both times, the firewall hop
 * gone; every other class pair (the way back too) keeps its path.
 */
static void
test_reach_inspect(void)
{
	const struct diff_reach_row *w;
	struct run r;

	if (!T_OK(run_files("examples/diff/inspect-before.json",
	    "examples/diff/inspect-after.json", &r), "inspect pair: both load"))
		return;
	T_EQ(r.d.reach_compared, 16u, "inspect: 16 class pairs compared (%zu)",
	    r.d.reach_compared);
	T_OK(r.d.nreach_groups == 1 && r.d.nreach_rows == 1,
	    "inspect: one row in one group changed (%zu rows, %zu groups)",
	    r.d.nreach_rows, r.d.nreach_groups);
	if (r.d.nreach_rows != 1)
		goto out;
	w = &r.d.reach_rows[0];
	T_OK(strcmp(w->from, "subnet:spoke-uks/default") == 0 &&
	    strcmp(w->to, "site:hq") == 0, "inspect: spoke-uks to site hq "
	    "(%s -> %s)", w->from, w->to);
	T_OK(w->before.outcome == WALK_DELIVERED &&
	    w->after.outcome == WALK_DELIVERED, "inspect: delivered before "
	    "and after");
	T_OK(strstr(w->before.via, "uks-fw1") != NULL &&
	    strstr(w->after.via, "fw1") == NULL, "inspect: the firewall hop is "
	    "lost: before via %s, after via %s", w->before.via, w->after.via);
	T_OK(strcmp(w->before.path, "uks-vm1 > uks-fw1 > hub-uks-er-uks0 > "
	    "hub-uks-er-uks-msee > hq-edge > hq-h1") == 0 &&
	    strcmp(w->after.path, "uks-vm1 > hub-uks-er-uks0 > "
	    "hub-uks-er-uks-msee > hq-edge > hq-h1") == 0,
	    "inspect: whole paths (%s | %s)", w->before.path, w->after.path);
	T_OK(w->to_range.addr == 0xac100000 && w->to_range.len == 16,
	    "inspect: the destination's range is hq's 172.16.0.0/16");
	T_OK(diff_changed(&r.d), "inspect: a change");
out:
	run_free(&r);
}

/*
 * A default route through the firewall (VirtualAppliance) becomes None in
 * a route table of 3 spokes of 4: their flows to the other spokes (the
 * firewall forwarded them: spokes are not peered with each other) and to
 * the Internet, delivered via fw, are blackholed now. Twelve rows, one
 * change, so one group; s4's own flows keep their outcome.
 */
static void
test_reach_grouping(void)
{
	struct estate a = { .nspokes = 4, .rt_nh = "VirtualAppliance",
	    .rt_spokes = 3, .vms = 1, .timers = "", .rt_pfx = "0.0.0.0/0" };
	struct estate b = a;
	const struct diff_reach_row *w;
	struct run r;
	size_t i, s4 = 0, bad = 0;

	b.rt_nh = "None";
	if (!T_OK(run(&a, &b, &r), "reach grouping: both revisions load"))
		return;
	for (i = 0; i < r.d.nreach_rows; i++) {
		w = &r.d.reach_rows[i];
		s4 += strstr(w->from, "s4/") != NULL;
		bad += w->before.outcome != WALK_DELIVERED ||
		    strcmp(w->before.via, "fw") != 0 ||
		    w->after.outcome != WALK_BLACKHOLED;
	}
	T_OK(r.d.nreach_rows == 12 && r.d.nreach_groups == 1 &&
	    r.d.reach_groups[0].nrows == 12 && r.d.reach_groups[0].pairs == 12,
	    "reach grouping: 12 rows (3 spokes to 3 others and the Internet) "
	    "in one group (%zu rows, %zu groups)", r.d.nreach_rows,
	    r.d.nreach_groups);
	T_OK(s4 == 0 && bad == 0, "reach grouping: each delivered via fw, "
	    "then blackholed; none from s4 (%zu not so, %zu from s4)", bad, s4);
	run_free(&r);
}

int
main(void)
{
	test_reach_inspect();
	test_reach_grouping();
	test_identical();
	test_route_table();
	test_shared_tables();
	test_unpeered();
	test_grouping();
	test_added();
	test_lint();
	test_learned();
	test_moved();
	return t_done();
}
