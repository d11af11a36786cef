/*
 * test_nl: rtnetlink (emu/nl.c, emu/nlroute.c) and named namespaces (emu/netns.c) against
 * the running kernel. Needs root; skips otherwise. Everything it makes lives
 * in two namespaces with a run-unique name, deleted at the end; the host
 * namespace's links, addresses, routes and rules are compared before/after.
 */
#include <errno.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../emu/netns.h"
#include "../../emu/nl.h"
#include "../../lib/util.h"
#include "t.h"

#define TABLE		1001u
#define BATCH_TABLE	2000u
#define BATCH_N		1000u

static char ns_a[64], ns_b[64];

static char *
run(const char *cmd)
{
	char *out = NULL, buf[4096];
	size_t len = 0, n;
	FILE *f;

	if ((f = popen(cmd, "r")) == NULL)
		return xstrdup("");
	out = xstrdup("");
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		out = xrealloc(out, len + n + 1);
		memcpy(out + len, buf, n);
		len += n;
		out[len] = '\0';
	}
	pclose(f);
	return out;
}

static char *
host_snapshot(void)
{
	return run("ip -o link; ip -o addr; ip route show table all; ip rule; "
	    "ip -6 rule");
}

static bool
ns_cmd_has(const char *ns, const char *cmd, const char *needle)
{
	char *c = xasprintf("ip -n %s %s 2>&1", ns, cmd), *out = run(c);
	bool has = strstr(out, needle) != NULL;

	free(c);
	free(out);
	return has;
}

static struct nl_route
rt(uint32_t table, const char *dst, enum nl_rtype type)
{
	struct nl_route r = { .table = table, .type = type,
	    .protocol = RTPROT_ARSEMU };

	if (pfx_parse(dst, &r.dst) != 0)
		die("bad prefix %s", dst);
	return r;
}

static uint32_t
ip(const char *s)
{
	uint32_t a;

	if (addr_parse(s, &a) != 0)
		die("bad address %s", s);
	return a;
}

static bool
route_eq(const struct nl_route *a, const struct nl_route *b)
{
	unsigned i;

	if (a->table != b->table || !pfx_equal(&a->dst, &b->dst) ||
	    a->type != b->type || a->protocol != b->protocol ||
	    a->metric != b->metric || a->nnh != b->nnh)
		return false;
	for (i = 0; i < a->nnh; i++)
		if (a->nh[i].gw != b->nh[i].gw ||
		    a->nh[i].ifindex != b->nh[i].ifindex ||
		    a->nh[i].onlink != b->nh[i].onlink ||
		    a->nh[i].weight != b->nh[i].weight)
			return false;
	return true;
}

static int
cmp_route(const void *a, const void *b)
{
	return pfx_cmp(&((const struct nl_route *)a)->dst,
	    &((const struct nl_route *)b)->dst);
}

static void
test_netns(int *fa, int *fb)
{
	char v[16], before[16];

	T_EQ(netns_create(ns_a), 0, "netns_create %s", ns_a);
	T_EQ(netns_create(ns_b), 0, "netns_create %s", ns_b);
	T_EQ(netns_create(ns_a), -EEXIST, "netns_create twice: -EEXIST");
	T_OK(netns_exists(ns_a) && netns_exists(ns_b), "both exist");
	T_OK(!netns_exists("arsemu-no-such-ns"), "an unknown one does not");
	T_OK(ns_cmd_has(ns_a, "link show lo", "lo:"),
	    "ip -n sees the namespace");
	*fa = netns_open(ns_a);
	*fb = netns_open(ns_b);
	T_OK(*fa >= 0 && *fb >= 0, "netns_open");
	T_EQ(netns_open("arsemu-no-such-ns"), -ENOENT, "netns_open unknown");
	T_OK(netns_sysctl_read(-1, "net/ipv4/ip_forward", before,
	    sizeof(before)) > 0, "host ip_forward readable");
	T_EQ(netns_sysctl(*fa, "net/ipv4/ip_forward", "1"), 0, "sysctl write");
	T_OK(netns_sysctl_read(*fa, "net/ipv4/ip_forward", v, sizeof(v)) == 1 &&
	    strcmp(v, "1") == 0, "sysctl read back in the namespace");
	T_OK(netns_sysctl_read(-1, "net/ipv4/ip_forward", v, sizeof(v)) > 0 &&
	    strcmp(v, before) == 0, "host ip_forward unchanged (%s)", v);
	T_OK(netns_sysctl(*fa, "../etc/passwd", "x") == -EINVAL,
	    "sysctl path may not leave /proc/sys");
}

static void
test_links(struct nl *na, struct nl *nb, int fa, int fb, int *va)
{
	int vb, br, vc;

	T_OK(nl_link_set_up(na, nl_link_index(na, "lo")) == 0 &&
	    nl_link_set_up(nb, nl_link_index(nb, "lo")) == 0, "lo up");
	T_EQ(nl_veth_create(na, "va", fa, "vb", fb), 0, "veth va/vb: %s",
	    nl_errmsg(na));
	*va = nl_link_index(na, "va");
	vb = nl_link_index(nb, "vb");
	T_OK(*va > 0 && vb > 0, "each end in its namespace (%d, %d)", *va, vb);
	T_EQ(nl_link_index(na, "vb"), -ENODEV, "vb is not in A");
	T_OK(if_nametoindex("va") == 0 && if_nametoindex("vb") == 0,
	    "neither end in the host namespace");
	T_OK(strstr(nl_errmsg(na), "RTM_GETLINK vb") != NULL,
	    "errmsg names the failed request: %s", nl_errmsg(na));
	T_EQ(nl_veth_create(na, "va", fa, "vx", fb), -EEXIST, "veth again: "
	    "-EEXIST (%s)", nl_errmsg(na));
	T_OK(nl_addr_add(na, *va, ip("10.9.0.1"), 24) == 0 &&
	    nl_addr_add(nb, vb, ip("10.9.0.2"), 24) == 0, "addresses");
	T_OK(nl_link_set_up(na, *va) == 0 && nl_link_set_up(nb, vb) == 0,
	    "links up");
	T_OK(ns_cmd_has(ns_a, "-o addr show va", "10.9.0.1/24") &&
	    ns_cmd_has(ns_a, "-o link show va", "state UP"),
	    "ip sees address and state of va");

	T_EQ(nl_bridge_create(na, "br0"), 0, "bridge");
	T_EQ(nl_veth_create(na, "vc", fa, "vd", fb), 0, "veth vc/vd");
	br = nl_link_index(na, "br0");
	vc = nl_link_index(na, "vc");
	T_EQ(nl_link_set_master(na, vc, br), 0, "enslave vc to br0");
	T_OK(ns_cmd_has(ns_a, "-o link show vc", "master br0"), "vc in br0");
	T_EQ(nl_link_set_down(na, vc), 0, "vc down");
	T_EQ(nl_link_del(na, vc), 0, "delete vc");
	T_EQ(nl_link_index(na, "vc"), -ENODEV, "vc gone");
	T_EQ(nl_link_index(nb, "vd"), -ENODEV, "its peer vd gone too");
	T_EQ(nl_link_index(na, "a-name-too-long-for-linux"), -ENODEV,
	    "an impossible name: -ENODEV");
}

/* Every route type, in a table above 255, round-trips through a dump. */
static void
test_routes(struct nl *na, int va)
{
	struct nl_route want[8], *got;
	size_t n = 0, ngot, i;
	bool same;
	int lo = nl_link_index(na, "lo");

	want[n] = rt(TABLE, "10.20.0.0/16", NL_RT_UNICAST);
	want[n].nh[0] = (struct nl_nh){ .gw = ip("10.99.0.1"), .ifindex = va,
	    .onlink = true, .weight = 1 };
	want[n++].nnh = 1;
	want[n] = rt(TABLE, "10.30.0.0/16", NL_RT_UNICAST);
	want[n].nh[0] = (struct nl_nh){ .gw = ip("10.9.0.2"), .ifindex = va,
	    .weight = 1 };
	want[n].nh[1] = (struct nl_nh){ .gw = ip("10.9.0.3"), .ifindex = va,
	    .weight = 3 };
	want[n].nh[2] = (struct nl_nh){ .gw = ip("10.99.0.9"), .ifindex = va,
	    .onlink = true, .weight = 1 };
	want[n++].nnh = 3;
	want[n++] = rt(TABLE, "0.0.0.0/0", NL_RT_THROW);
	want[n++] = rt(TABLE, "10.40.0.0/16", NL_RT_BLACKHOLE);
	want[n++] = rt(TABLE, "10.50.0.0/16", NL_RT_UNREACHABLE);
	want[n++] = rt(TABLE, "10.60.0.0/16", NL_RT_PROHIBIT);
	want[n] = rt(TABLE, "10.70.0.1/32", NL_RT_LOCAL);
	want[n].nh[0] = (struct nl_nh){ .ifindex = lo, .weight = 1 };
	want[n++].nnh = 1;
	want[n] = rt(TABLE, "10.9.0.7/32", NL_RT_UNICAST);
	want[n].scope = 253;
	want[n].metric = 7;
	want[n].nh[0] = (struct nl_nh){ .ifindex = va, .weight = 1 };
	want[n++].nnh = 1;
	for (i = 0; i < n; i++)
		if (nl_route_replace(na, &want[i]) != 0)
			break;
	T_EQ(i, n, "install %zu routes of every type: %s", n, nl_errmsg(na));
	qsort(want, n, sizeof(want[0]), cmp_route);
	T_EQ(nl_route_dump(na, TABLE, RTPROT_ARSEMU, &got, &ngot), 0, "dump");
	same = ngot == n;
	for (i = 0; same && i < n; i++)
		same = route_eq(&got[i], &want[i]);
	T_OK(same, "dump returns them, sorted, multipath parsed (%zu)", ngot);
	for (i = 0; i < ngot; i++)
		if (got[i].dst.addr == ip("10.20.0.0"))
			T_OK(got[i].nnh == 1 && got[i].nh[0].onlink,
			    "onlink survives the round trip");
	free(got);
	T_OK(ns_cmd_has(ns_a, "route show table 1001",
	    "10.30.0.0/16 proto 222"), "ip shows table 1001 with proto 222");

	/* Replace: same destination, now one next hop; another protocol. */
	want[0] = rt(TABLE, "10.30.0.0/16", NL_RT_UNICAST);
	want[0].nh[0] = (struct nl_nh){ .gw = ip("10.9.0.2"), .ifindex = va,
	    .weight = 1 };
	want[0].nnh = 1;
	T_EQ(nl_route_replace(na, &want[0]), 0, "replace multipath by one");
	want[1] = rt(TABLE, "10.80.0.0/16", NL_RT_BLACKHOLE);
	want[1].protocol = RTPROT_STATIC;
	T_EQ(nl_route_replace(na, &want[1]), 0, "a route of another protocol");
	T_EQ(nl_route_dump(na, TABLE, RTPROT_ARSEMU, &got, &ngot), 0, "dump");
	T_EQ(ngot, n, "replace did not add; protocol filter works");
	for (i = 0; i < ngot; i++)
		if (pfx_equal(&got[i].dst, &want[0].dst))
			T_OK(route_eq(&got[i], &want[0]), "replaced in place");
	for (i = 0; i < ngot; i++)
		if (nl_route_del(na, &got[i]) != 0)
			break;
	T_EQ(i, ngot, "delete them all: %s", nl_errmsg(na));
	free(got);
	T_EQ(nl_route_dump(na, TABLE, 0, &got, &ngot), 0, "dump any protocol");
	T_OK(ngot == 1 && got[0].protocol == RTPROT_STATIC,
	    "only the static one is left");
	free(got);
	T_EQ(nl_route_del(na, &want[1]), 0, "delete it");
	T_OK(nl_route_del(na, &want[1]) < 0, "deleting twice fails: %s",
	    nl_errmsg(na));
}

static void
test_errors(struct nl *na, int va)
{
	struct nl_route r = rt(TABLE, "10.91.0.0/16", NL_RT_UNICAST);

	r.nh[0] = (struct nl_nh){ .gw = ip("10.77.0.1"), .ifindex = va,
	    .weight = 1 };
	r.nnh = 1;
	T_OK(nl_route_replace(na, &r) < 0, "gateway off-link without onlink "
	    "is refused");
	T_OK(strstr(nl_errmsg(na), "RTM_NEWROUTE 10.91.0.0/16 table 1001: ")
	    == nl_errmsg(na) && strlen(nl_errmsg(na)) > 40,
	    "errmsg names the request and has the kernel's text: %s",
	    nl_errmsg(na));
	r.nnh = NL_MAX_NH + 1;
	T_EQ(nl_route_replace(na, &r), -EINVAL, "too many next hops refused");
}

static void
test_rules(struct nl *na)
{
	T_EQ(nl_rule_add(na, 1000, "va", TABLE), 0, "rule add: %s",
	    nl_errmsg(na));
	T_EQ(nl_rule_add(na, 30000, NULL, 999), 0, "rule without iif");
	T_OK(ns_cmd_has(ns_a, "rule", "1000:\tfrom all iif va lookup 1001") &&
	    ns_cmd_has(ns_a, "rule", "30000:\tfrom all lookup 999"),
	    "ip rule shows both");
	T_EQ(nl_rule_add(na, 1000, "va", TABLE), -EEXIST, "rule twice: -EEXIST");
	T_EQ(nl_rule_del(na, 1000, "va", TABLE), 0, "rule del");
	T_EQ(nl_rule_del(na, 30000, NULL, 999), 0, "rule del without iif");
	T_OK(!ns_cmd_has(ns_a, "rule", "1001") &&
	    !ns_cmd_has(ns_a, "rule", "lookup 999"), "rules gone");
	T_OK(nl_rule_del(na, 1000, "va", TABLE) < 0, "del twice fails");
}

static void
batch_routes(struct nl *na, int va, bool del, unsigned bad)
{
	struct nl_route r;
	unsigned i;

	nl_batch_begin(na);
	for (i = 0; i < BATCH_N; i++) {
		r = rt(BATCH_TABLE, "10.128.0.0/32", NL_RT_UNICAST);
		r.dst.addr += i;
		r.nh[0] = (struct nl_nh){ .gw = ip(i == bad ? "10.77.0.1" :
		    "10.9.0.2"), .ifindex = va, .weight = 1 };
		r.nnh = 1;
		if (del)
			nl_route_del(na, &r);
		else
			nl_route_replace(na, &r);
	}
}

static void
test_batch(struct nl *na, int va)
{
	struct nl_route *got;
	size_t ngot;
	uint64_t t0;
	int rc;

	t0 = mono_ms();
	batch_routes(na, va, false, BATCH_N);
	T_EQ(nl_batch_commit(na), 0, "batch of %u routes: %s", BATCH_N,
	    nl_errmsg(na));
	T_EQ(nl_route_dump(na, BATCH_TABLE, RTPROT_ARSEMU, &got, &ngot), 0,
	    "dump");
	T_EQ(ngot, (size_t)BATCH_N, "all %u installed (%llu ms)", BATCH_N,
	    (unsigned long long)(mono_ms() - t0));
	T_OK(ngot == BATCH_N && got[0].dst.addr + BATCH_N - 1 ==
	    got[BATCH_N - 1].dst.addr, "sorted by destination");
	free(got);
	batch_routes(na, va, true, BATCH_N);
	T_EQ(nl_batch_commit(na), 0, "batch delete");
	T_EQ(nl_route_dump(na, BATCH_TABLE, 0, &got, &ngot), 0, "dump");
	T_EQ(ngot, (size_t)0, "table empty");
	free(got);

	/* A failure in the middle: reported, and the rest still applied. */
	batch_routes(na, va, false, 500);
	rc = nl_batch_commit(na);
	T_OK(rc < 0, "batch with one bad route fails (%d)", rc);
	T_OK(strstr(nl_errmsg(na), "10.128.1.244/32") != NULL,
	    "errmsg names the bad one: %s", nl_errmsg(na));
	T_EQ(nl_route_dump(na, BATCH_TABLE, 0, &got, &ngot), 0, "dump");
	T_EQ(ngot, (size_t)BATCH_N - 1, "the other %u are installed",
	    BATCH_N - 1);
	free(got);
	batch_routes(na, va, true, BATCH_N);
	rc = nl_batch_commit(na);
	T_OK(rc < 0, "deleting the missing one fails the batch");
	T_EQ(nl_route_dump(na, BATCH_TABLE, 0, &got, &ngot), 0, "dump");
	T_EQ(ngot, (size_t)0, "the rest were deleted nonetheless");
	free(got);
	T_EQ(nl_batch_commit(na), 0, "an empty commit succeeds");
}

int
main(void)
{
	struct nl *na, *nb;
	char *before, *after;
	int fa, fb, va = 0;

	if (geteuid() != 0) {
		printf("ok 1 # SKIP not root\n1..1\n");
		return 0;
	}
	/* A reader that goes away (| head) must not stop the cleanup. */
	signal(SIGPIPE, SIG_IGN);
	snprintf(ns_a, sizeof(ns_a), "arsemu-tnl%d-a", (int)getpid());
	snprintf(ns_b, sizeof(ns_b), "arsemu-tnl%d-b", (int)getpid());
	before = host_snapshot();
	test_netns(&fa, &fb);
	na = nl_open(fa);
	nb = nl_open(fb);
	T_OK(na != NULL && nb != NULL, "nl_open in each namespace");
	if (na != NULL && nb != NULL) {
		test_links(na, nb, fa, fb, &va);
		test_routes(na, va);
		test_errors(na, va);
		test_rules(na);
		test_batch(na, va);
	}
	nl_close(na);
	nl_close(nb);
	close(fa);
	close(fb);
	T_OK(netns_delete(ns_a) == 0 && netns_delete(ns_b) == 0, "delete both");
	T_OK(!netns_exists(ns_a) && !netns_exists(ns_b), "both gone");
	T_EQ(netns_delete(ns_a), 0, "deleting a missing one is not an error");
	after = host_snapshot();
	T_OK(strcmp(before, after) == 0, "host links, addresses, routes and "
	    "rules unchanged");
	free(before);
	free(after);
	return t_done();
}
