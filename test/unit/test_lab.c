/*
 * test_lab: lab_build / lab_destroy (emu/lab.c, emu/labstate.c) against the
 * running kernel. Needs root; skips otherwise.
 *
 * The topology is built in memory (hub with two RS instances and two NVAs, a
 * spoke VM, two on-premises sites behind the NVAs), so the test depends on
 * nothing but the model in topo.h. Labs are named t<pid>*, the run dir is a
 * fresh temporary directory, and the host namespace's links, addresses,
 * routes and rules are compared before and after.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../emu/lab.h"
#include "../../emu/model/share.h"
#include "../../emu/netns.h"
#include "../../emu/nl.h"
#include "../../lib/util.h"
#include "t.h"

#define MAXN	16

/* A topology in static storage, wired the way topo.c would wire it. */
struct fake {
	struct topo		 t;
	struct topo_node	 node[MAXN], *nodep[MAXN];
	struct topo_nic		 nic[MAXN], *nicp[MAXN];
	struct topo_nva		 nva[4], *nvap[4];
	struct topo_subnet	 subnet[4];
	struct topo_site	 site[2], *sitep[2];
	struct topo_sitelink	 link[4], *linkp[4];
	struct topo_sitelink	*site_links[2][4];
	struct topo_node	*site_hosts[2][4];
	struct pfx4		 site_pfx[2][4];
	char			 name[MAXN][TOPO_NAME_MAX + 1];
	char			 lab[TOPO_NAME_MAX + 1];
};

static struct fake F;

static uint32_t
ip(const char *s)
{
	uint32_t a;

	if (addr_parse(s, &a) != 0)
		die("bad address %s", s);
	return a;
}

static struct pfx4
pfx(const char *s)
{
	struct pfx4 p;

	if (pfx_parse(s, &p) != 0)
		die("bad prefix %s", s);
	return p;
}

static struct topo_node *
add_node(const char *name, enum topo_node_kind kind)
{
	size_t i = F.t.nnodes++;

	snprintf(F.name[i], sizeof(F.name[i]), "%s", name);
	F.node[i] = (struct topo_node){ .name = F.name[i], .kind = kind };
	F.nodep[i] = &F.node[i];
	return &F.node[i];
}

static struct topo_node *
add_nic_node(const char *name, enum topo_node_kind kind, int subnet,
    const char *addr)
{
	struct topo_node *n = add_node(name, kind);
	size_t i = F.t.nnics++;

	F.nic[i] = (struct topo_nic){ .name = n->name, .node = n,
	    .subnet = &F.subnet[subnet], .ip = ip(addr), .idx = (unsigned)i,
	    .ip_forwarding = kind == TOPO_NVA };
	F.nicp[i] = &F.nic[i];
	n->nic = &F.nic[i];
	n->nics = &F.nicp[i];	/* its one NIC, the primary */
	n->nnics = 1;
	if (kind == TOPO_NVA) {
		F.nva[F.t.nnvas] = (struct topo_nva){ .node = n, .asn = 65001 };
		F.nvap[F.t.nnvas] = &F.nva[F.t.nnvas];
		n->nva = &F.nva[F.t.nnvas++];
	}
	return n;
}

static struct topo_site *
add_site(const char *name)
{
	size_t i = F.t.nsites++;
	char edge[TOPO_NAME_MAX + 1];

	snprintf(edge, sizeof(edge), "%s-edge", name);
	F.site[i] = (struct topo_site){ .name = F.name[0],
	    .prefixes = F.site_pfx[i], .hosts = F.site_hosts[i],
	    .links = F.site_links[i] };
	F.site[i].router = add_node(edge, TOPO_SITE_ROUTER);
	F.site[i].router->site = &F.site[i];
	F.sitep[i] = &F.site[i];
	return &F.site[i];
}

static void
add_host(struct topo_site *s, const char *name, const char *addr,
    const char *in)
{
	struct topo_node *h = add_node(name, TOPO_SITE_HOST);

	h->site = s;
	h->host_ip = ip(addr);
	h->host_pfx = pfx(in);
	s->hosts[s->nhosts++] = h;
}

static void
add_link(struct topo_site *s, struct topo_node *nva)
{
	size_t i = F.t.nsitelinks++;

	F.link[i] = (struct topo_sitelink){ .site = s, .nva = nva->nva,
	    .idx = (unsigned)i, .nva_ip = ip("169.254.0.1") + 4 * (uint32_t)i,
	    .site_ip = ip("169.254.0.2") + 4 * (uint32_t)i };
	F.linkp[i] = &F.link[i];
	s->links[s->nlinks++] = &F.link[i];
}

/*
 * hub: nva 10.0.1.0/24 (nva1 .4, nva2 .5), RouteServerSubnet 10.0.2.0/24
 * (.4, .5); spoke: vms 10.1.0.0/24 (vm1 .4). Site onprem (10.250/16,
 * 10.251.0/24; two hosts) behind nva1 and nva2; site branch (10.252/16 and,
 * again, 10.250/16) behind nva1 only: nva1 gets eth1 and eth2, and a
 * multipath route to 10.250/16.
 */
static void
fake_topo(const char *lab)
{
	struct topo_site *on, *br;
	struct topo_node *nva1, *nva2;

	memset(&F, 0, sizeof(F));
	snprintf(F.lab, sizeof(F.lab), "%s", lab);
	F.t.name = F.lab;
	F.t.nodes = F.nodep;
	F.t.nics = F.nicp;
	F.t.nvas = F.nvap;
	F.t.sites = F.sitep;
	F.t.sitelinks = F.linkp;
	F.subnet[0] = (struct topo_subnet){ .pfx = pfx("10.0.1.0/24") };
	F.subnet[1] = (struct topo_subnet){ .pfx = pfx("10.0.2.0/24") };
	F.subnet[2] = (struct topo_subnet){ .pfx = pfx("10.1.0.0/24") };
	add_nic_node("hub-rs0", TOPO_RS, 1, "10.0.2.4");
	add_nic_node("hub-rs1", TOPO_RS, 1, "10.0.2.5");
	nva1 = add_nic_node("nva1", TOPO_NVA, 0, "10.0.1.4");
	nva2 = add_nic_node("nva2", TOPO_NVA, 0, "10.0.1.5");
	add_nic_node("vm1", TOPO_VM, 2, "10.1.0.4");
	on = add_site("onprem");
	on->prefixes[on->nprefixes++] = pfx("10.250.0.0/16");
	on->prefixes[on->nprefixes++] = pfx("10.251.0.0/24");
	add_host(on, "onprem-h1", "10.250.0.10", "10.250.0.0/16");
	add_host(on, "onprem-h2", "10.251.0.10", "10.251.0.0/24");
	add_link(on, nva1);
	add_link(on, nva2);
	br = add_site("branch");
	br->prefixes[br->nprefixes++] = pfx("10.252.0.0/16");
	br->prefixes[br->nprefixes++] = pfx("10.250.0.0/16");
	add_host(br, "branch-h1", "10.252.0.10", "10.252.0.0/16");
	add_link(br, nva1);
}

/* ---- observing ---- */

static char *
run(const char *cmd)
{
	char *out = xstrdup(""), buf[4096];
	size_t len = 0, n;
	FILE *f;

	if ((f = popen(cmd, "r")) == NULL)
		return out;
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

/* `ip -n <ns of node> ARGS` prints needle. */
static bool
ip_has(const char *node, const char *args, const char *needle)
{
	char ns[128], *cmd, *out;
	bool has;

	lab_ns_name(F.lab, node, ns, sizeof(ns));
	cmd = xasprintf("ip -n %s %s 2>&1", ns, args);
	out = run(cmd);
	has = strstr(out, needle) != NULL;
	if (!has)
		printf("# ip -n %s %s: no \"%s\" in:\n%s", ns, args, needle, out);
	free(cmd);
	free(out);
	return has;
}

static bool
sysctl_is(const char *node, const char *path, const char *want)
{
	char ns[128], v[32];
	int fd;
	bool ok;

	lab_ns_name(F.lab, node, ns, sizeof(ns));
	if ((fd = netns_open(ns)) < 0)
		return false;
	ok = netns_sysctl_read(fd, path, v, sizeof(v)) >= 0 &&
	    strcmp(v, want) == 0;
	close(fd);
	return ok;
}

/* How many /run/netns entries start with arsemu-<lab>-. */
static int
ns_count(const char *lab)
{
	char prefix[64];
	struct dirent *de;
	DIR *d;
	int n = 0;

	snprintf(prefix, sizeof(prefix), "arsemu-%s-", lab);
	if ((d = opendir(NETNS_RUN_DIR)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, prefix, strlen(prefix)) == 0)
			n++;
	closedir(d);
	return n;
}

static bool
dir_exists(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static struct nl *
nl_of(const char *node, int *fd)
{
	char ns[128];

	lab_ns_name(F.lab, node, ns, sizeof(ns));
	if ((*fd = netns_open(ns)) < 0)
		return NULL;
	return nl_open(*fd);
}

/* ---- checks of a built lab ---- */

/* The fabric end of NIC i, for the delivery route to its address. */
static int
delivery_ok(struct nl *nl, const struct nl_route *r)
{
	char n[32];
	size_t i;

	for (i = 0; i < F.t.nnics; i++)
		if (F.nic[i].ip == r->dst.addr)
			break;
	if (i == F.t.nnics)
		return 0;
	snprintf(n, sizeof(n), "n%zu", i);
	return r->dst.len == 32 && r->type == NL_RT_UNICAST &&
	    r->scope == RT_SCOPE_LINK && r->nnh == 1 && r->nh[0].gw == 0 &&
	    r->nh[0].ifindex == nl_link_index(nl, n);
}

static void
check_fabric(void)
{
	struct nl_route *rs;
	struct nl *nl;
	char a[ADDR_STRLEN], n[32], args[64], want[96];
	size_t nrs, i;
	int fd, ok = 1;

	T_OK(sysctl_is("fabric", "net/ipv4/ip_forward", "1") &&
	    sysctl_is("fabric", "net/ipv4/conf/all/rp_filter", "0") &&
	    sysctl_is("fabric", "net/ipv4/conf/all/send_redirects", "0"),
	    "fabric forwards, no rp_filter, never redirects");
	if ((nl = nl_of("fabric", &fd)) == NULL) {
		T_OK(0, "open fabric");
		return;
	}
	for (i = 0; i < F.t.nnics; i++) {
		snprintf(n, sizeof(n), "n%zu", i);
		snprintf(args, sizeof(args), "-o addr show %s", n);
		snprintf(want, sizeof(want), "inet %s/32",
		    addr_fmt(F.nic[i].subnet->pfx.addr + 1, a));
		ok &= nl_link_index(nl, n) > 0 && ip_has("fabric", args, want);
	}
	T_OK(ok, "fabric has n0..n%zu, each with its subnet's .1/32",
	    F.t.nnics - 1);
	T_OK(sysctl_is("fabric", "net/ipv4/conf/n0/proxy_arp", "1") &&
	    sysctl_is("fabric", "net/ipv4/conf/n4/proxy_arp", "1") &&
	    sysctl_is("fabric", "net/ipv4/conf/n2/send_redirects", "0") &&
	    sysctl_is("fabric", "net/ipv4/conf/n3/rp_filter", "0") &&
	    sysctl_is("fabric", "net/ipv4/conf/none0/proxy_arp", "0"),
	    "NIC ends: proxy_arp=1, send_redirects=0, rp_filter=0 (from the "
	    "fabric's defaults); none0 answers no ARP");
	T_EQ(nl_route_dump(nl, LAB_DELIVERY_TABLE, 0, &rs, &nrs), 0,
	    "dump the delivery table");
	ok = nrs == F.t.nnics;
	for (i = 0; ok && i < nrs; i++)
		ok = delivery_ok(nl, &rs[i]);
	T_OK(ok, "delivery table: one /32 per NIC, dev n<i>, scope link (%zu)",
	    nrs);
	free(rs);
	ok = 1;
	{
		struct share_layout sl;

		share_layout(&F.t, &sl);
		for (i = 0; i < F.t.nnics; i++) {
			unsigned s = sl.nic_slot[i];

			T_EQ(nl_route_dump(nl, LAB_SUBNET_TABLE(s), 0, &rs, &nrs),
			    0, "dump table %u", LAB_SUBNET_TABLE(s));
			ok &= nrs == 0;
			free(rs);
			snprintf(want, sizeof(want), "%u:\tfrom all iif n%zu "
			    "lookup %u", LAB_RULE_PRIO(i), i, LAB_SUBNET_TABLE(s));
			ok &= ip_has("fabric", "rule", want);
			snprintf(want, sizeof(want), "%u:\tfrom all iif n%zu "
			    "lookup %u", LAB_GROUP_PRIO(i), i,
			    LAB_GROUP_TABLE(sl.group[s]));
			ok &= ip_has("fabric", "rule", want);
		}
		share_layout_free(&sl);
	}
	snprintf(want, sizeof(want), "%u:\tfrom all nop", LAB_PATH_PRIO);
	ok &= ip_has("fabric", "rule", want);
	T_OK(ok, "rules iif n<i> lookup <its subnet's table>, then <its group's>, "
	    "a nop at %u; tables empty", LAB_PATH_PRIO);
	T_OK(ip_has("fabric", "rule", "30000:\tfrom all lookup 999"),
	    "delivery rule");
	nl_close(nl);
	close(fd);
}

static void
check_guests(void)
{
	T_OK(ip_has("vm1", "-o addr show eth0", "inet 10.1.0.4/24") &&
	    ip_has("vm1", "route", "default via 10.1.0.1 dev eth0 proto static") &&
	    ip_has("vm1", "-o link show eth0", "state UP"),
	    "vm1: eth0 10.1.0.4/24 up, default via 10.1.0.1 proto static");
	T_OK(ip_has("hub-rs1", "-o addr show eth0", "inet 10.0.2.5/24") &&
	    ip_has("hub-rs1", "-o link show lo", "UP"),
	    "hub-rs1: eth0 10.0.2.5/24, lo up");
	T_OK(sysctl_is("nva1", "net/ipv4/ip_forward", "1") &&
	    sysctl_is("nva1", "net/ipv4/conf/eth0/rp_filter", "0") &&
	    sysctl_is("nva2", "net/ipv4/conf/all/rp_filter", "0") &&
	    sysctl_is("vm1", "net/ipv4/ip_forward", "0"),
	    "NVAs forward, without rp_filter; the VM does not");
}

static void
check_sites(void)
{
	T_OK(ip_has("onprem-edge", "-o addr show lan", "10.250.255.254/16") &&
	    ip_has("onprem-edge", "-o addr show lan", "10.251.0.254/24") &&
	    ip_has("onprem-edge", "-o link show h0", "master lan") &&
	    ip_has("onprem-edge", "-o link show h1", "master lan"),
	    "onprem edge: lan bridge with both gateways, h0 h1 enslaved");
	T_OK(ip_has("onprem-h1", "-o addr show eth0", "10.250.0.10/16") &&
	    ip_has("onprem-h1", "route", "default via 10.250.255.254") &&
	    ip_has("onprem-h2", "route", "default via 10.251.0.254"),
	    "site hosts: address and default via the last usable address");
	T_OK(ip_has("onprem-edge", "-o addr show nva0", "169.254.0.2/30") &&
	    ip_has("onprem-edge", "-o addr show nva1", "169.254.0.6/30") &&
	    ip_has("nva1", "-o addr show eth1", "169.254.0.1/30") &&
	    ip_has("nva2", "-o addr show eth1", "169.254.0.5/30") &&
	    ip_has("nva1", "-o addr show eth2", "169.254.0.9/30") &&
	    ip_has("branch-edge", "-o addr show nva2", "169.254.0.10/30"),
	    "site links: nva<j> on the edge, eth1.. on the NVA, /30s");
	T_EQ(lab_sitelink_port(&F.t, &F.link[2]), 2u, "nva1's second link is "
	    "eth2");
	T_OK(ip_has("onprem-edge", "route", "nexthop via 169.254.0.1 dev nva0") &&
	    ip_has("onprem-edge", "route", "nexthop via 169.254.0.5 dev nva1") &&
	    ip_has("branch-edge", "route", "default via 169.254.0.9 dev nva2"),
	    "edge default: multipath over its links, single otherwise");
	T_OK(ip_has("nva1", "route", "10.251.0.0/24 via 169.254.0.2 dev eth1") &&
	    ip_has("nva1", "route", "10.252.0.0/16 via 169.254.0.10 dev eth2") &&
	    ip_has("nva1", "route", "nexthop via 169.254.0.10 dev eth2") &&
	    ip_has("nva2", "route", "10.250.0.0/16 via 169.254.0.6 dev eth1"),
	    "NVA: site prefixes via the edge, multipath when two links");
}

static void
check_state(const char *lab, const char *topo_file)
{
	char path[512], *a, *b, *cmd;
	char **labs;
	size_t n, i;
	bool found = false;

	snprintf(path, sizeof(path), "%s/%s/state", lab_rundir(), lab);
	cmd = xasprintf("grep -c '^ns arsemu-%s-' %s", lab, path);
	a = run(cmd);
	T_EQ(atoi(a), (int)F.t.nnodes + 2, "state records %zu namespaces",
	    F.t.nnodes + 2);
	free(a);
	free(cmd);
	cmd = xasprintf("cat %s/%s/topology.json", lab_rundir(), lab);
	a = run(cmd);
	free(cmd);
	cmd = xasprintf("cat %s", topo_file);
	b = run(cmd);
	T_OK(strcmp(a, b) == 0 && a[0] != '\0', "topology.json is a copy");
	free(a);
	free(b);
	free(cmd);
	T_EQ(lab_list(&labs, &n), 0, "lab_list");
	for (i = 0; i < n; i++)
		found |= strcmp(labs[i], lab) == 0;
	T_OK(found, "lab_list names %s", lab);
	lab_list_free(labs, n);
}

/* ---- processes recorded in the state ---- */

/*
 * A child of this test under another name (argv0): it re-executes this
 * binary, sets its signal disposition, then writes one byte to fd 3; the
 * parent waits for that byte, so a signal sent afterwards meets the
 * disposition the child chose (on a loaded machine a fixed sleep did not).
 */
static pid_t
spawn(const char *argv0, const char *mode, const char *lab)
{
	int fds[2];
	pid_t pid;
	char c;

	if (pipe(fds) == -1)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		if (dup2(fds[1], 3) == -1)
			_exit(127);
		execl("/proc/self/exe", argv0, mode, lab, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	while (pid > 0 && read(fds[0], &c, 1) == -1 && errno == EINTR)
		;
	close(fds[0]);
	return pid;
}

static __attribute__((noreturn)) void
child_main(const char *mode)
{
	if (strcmp(mode, "--stubborn") == 0)
		signal(SIGTERM, SIG_IGN);
	(void)!write(3, "r", 1);
	close(3);
	for (;;)
		pause();
}

/* Wait (bounded) for a child that should be gone; its signal, or 0. */
static int
reaped_by(pid_t pid)
{
	int st, i;

	for (i = 0; i < 300; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return WIFSIGNALED(st) ? WTERMSIG(st) : -1;
		usleep(10000);
	}
	return 0;
}

/* ---- the scenarios ---- */

static void
test_build_destroy(const char *topo_file, const char *base)
{
	struct lab_err err;
	char dir[512];
	pid_t p_term, p_kill, p_other;
	int rc;
	uint64_t t0;

	fake_topo(base);
	t0 = mono_ms();
	rc = lab_build(&F.t, topo_file, &err);
	T_EQ(rc, 0, "lab_build %s (%llu ms): %s", F.lab,
	    (unsigned long long)(mono_ms() - t0), err.msg);
	if (rc != 0)
		return;
	T_EQ(ns_count(F.lab), (int)F.t.nnodes + 2, "fabric, internet edge "
	    "+ %zu namespaces", F.t.nnodes);
	check_state(F.lab, topo_file);
	check_fabric();
	check_guests();
	check_sites();

	T_EQ(lab_build(&F.t, topo_file, &err), -1, "building it twice fails");
	T_OK(strstr(err.msg, "is already up") != NULL &&
	    strstr(err.msg, "arsemu down") != NULL, "... saying so: %s",
	    err.msg);
	T_EQ(ns_count(F.lab), (int)F.t.nnodes + 2, "... and leaves it alone");

	p_term = spawn("arsemu", "--sleeper", F.lab);
	p_kill = spawn("arsemu", "--stubborn", F.lab);
	p_other = spawn("unrelated", "--sleeper", "x");
	T_OK(lab_state_add_pid(F.lab, p_term, "daemon") == 0 &&
	    lab_state_add_pid(F.lab, p_kill, "speaker:nva1") == 0 &&
	    lab_state_add_pid(F.lab, p_other, "other") == 0, "record pids");
	T_EQ(lab_state_add_pid(F.lab, p_term, "two words"), -1,
	    "what must be one word");

	rc = lab_destroy(F.lab, &err);
	T_EQ(rc, 0, "lab_destroy: %s", err.msg);
	T_EQ(reaped_by(p_term), SIGTERM, "the daemon got SIGTERM");
	T_EQ(reaped_by(p_kill), SIGKILL, "the one ignoring it got SIGKILL");
	T_EQ(kill(p_other, 0), 0, "a pid whose cmdline is not the lab's is "
	    "left alone");
	kill(p_other, SIGKILL);
	waitpid(p_other, NULL, 0);
	T_EQ(ns_count(F.lab), 0, "no namespace arsemu-%s-* remains", F.lab);
	T_OK(!dir_exists(lab_dir(F.lab, dir, sizeof(dir))), "%s is gone", dir);
	T_EQ(lab_destroy(F.lab, &err), -2, "destroying again: no such lab "
	    "(%s)", err.msg);
}

/* A build that fails half way leaves nothing of its own behind. */
static void
test_failed_builds(const char *topo_file, const char *base)
{
	struct lab_err err;
	char lab[64], ns[128], dir[512];

	snprintf(lab, sizeof(lab), "%sb", base);
	fake_topo(lab);
	lab_ns_name(lab, "vm1", ns, sizeof(ns));
	T_EQ(netns_create(ns), 0, "someone else made %s", ns);
	T_EQ(lab_build(&F.t, topo_file, &err), -1, "lab_build %s fails", lab);
	T_OK(strstr(err.msg, ns) != NULL && strstr(err.msg, "File exists"),
	    "error names the namespace: %s", err.msg);
	T_EQ(ns_count(lab), 1, "only the foreign namespace remains");
	T_OK(netns_exists(ns), "and it was not deleted (not ours)");
	T_OK(!dir_exists(lab_dir(lab, dir, sizeof(dir))), "state dir removed");
	netns_delete(ns);

	/* The kernel refuses a step: the default route's gateway is off-link. */
	snprintf(lab, sizeof(lab), "%sc", base);
	fake_topo(lab);
	F.nic[4].ip = ip("10.9.9.9");
	T_EQ(lab_build(&F.t, topo_file, &err), -1, "lab_build %s fails", lab);
	T_OK(strstr(err.msg, "arsemu-") != NULL &&
	    strstr(err.msg, "-vm1") != NULL &&
	    strstr(err.msg, "Nexthop has invalid gateway") != NULL,
	    "error names step, namespace and kernel text: %s", err.msg);
	T_EQ(ns_count(lab), 0, "no namespace of %s remains", lab);
	T_OK(!dir_exists(lab_dir(lab, dir, sizeof(dir))), "state dir removed");
}

/* ---- the shipped examples, through the real parser ---- */

static bool
example_nics_ok(const struct topo *t)
{
	char a[ADDR_STRLEN], args[64], want[128];
	const struct topo_nic *nic;
	struct share_layout sl;
	size_t i, k;
	bool ok = true;

	share_layout(t, &sl);
	for (i = 0; i < t->nnics; i++) {
		nic = t->nics[i];
		snprintf(args, sizeof(args), "-o addr show n%u", nic->idx);
		snprintf(want, sizeof(want), "inet %s/32",
		    addr_fmt(nic->subnet->pfx.addr + 1, a));
		ok &= ip_has("fabric", args, want);
		snprintf(want, sizeof(want), "inet %s/%u",
		    addr_fmt(nic->ip, a), nic->subnet->pfx.len);
		ok &= ip_has(nic->node->name, "-o addr show eth0", want);
		snprintf(want, sizeof(want), "%u:\tfrom all iif n%u lookup %u",
		    LAB_RULE_PRIO(nic->idx), nic->idx,
		    LAB_SUBNET_TABLE(sl.nic_slot[i]));
		ok &= ip_has("fabric", "rule", want);
		for (k = 0; nic->subnet->vnet && k < nic->subnet->vnet->nspace; k++) {
			char p[PFX_STRLEN];

			snprintf(want, sizeof(want), "%u:\tfrom all to %s iif n%u "
			    "goto %u", LAB_THROW_PRIO(nic->idx),
			    pfx_fmt(&nic->subnet->vnet->space[k], p), nic->idx,
			    LAB_PATH_PRIO);
			ok &= ip_has("fabric", "rule", want);
		}
	}
	share_layout_free(&sl);
	return ok;
}

static bool
example_sites_ok(const struct topo *t)
{
	char a[ADDR_STRLEN], args[64], want[96];
	const struct topo_sitelink *l;
	const struct topo_node *h;
	size_t i, k;
	bool ok = true;

	for (i = 0; i < t->nsites; i++)
		for (k = 0; k < t->sites[i]->nhosts; k++) {
			h = t->sites[i]->hosts[k];
			snprintf(want, sizeof(want), "default via %s",
			    addr_fmt((h->host_pfx.addr |
			    ~pfx_mask(h->host_pfx.len)) - 1, a));
			ok &= ip_has(h->name, "route", want);
		}
	for (i = 0; i < t->nsitelinks; i++) {
		l = t->sitelinks[i];
		snprintf(args, sizeof(args), "-o addr show nva%u", l->idx);
		snprintf(want, sizeof(want), "inet %s/30",
		    addr_fmt(l->site_ip, a));
		ok &= ip_has(l->site->router->name, args, want);
		snprintf(args, sizeof(args), "-o addr show eth%u",
		    lab_sitelink_port(t, l));
		snprintf(want, sizeof(want), "inet %s/30",
		    addr_fmt(l->nva_ip, a));
		ok &= ip_has(l->nva->node->name, args, want);
	}
	return ok;
}

static void
test_example(const char *file, const char *lab)
{
	struct topo_err terr;
	struct lab_err err;
	struct topo *t;
	char dir[512];
	int rc;

	if (topo_load_file(file, &t, &terr) != 0) {
		T_OK(0, "load %s: %s", file, terr.msg);
		return;
	}
	if (topo_set_name(t, lab, &terr) != 0) {
		T_OK(0, "rename %s to %s: %s", file, lab, terr.msg);
		topo_free(t);
		return;
	}
	memset(&F, 0, sizeof(F));
	snprintf(F.lab, sizeof(F.lab), "%s", lab);
	rc = lab_build(t, file, &err);
	T_EQ(rc, 0, "%s: lab_build: %s", file, err.msg);
	if (rc == 0) {
		T_EQ(ns_count(lab), (int)t->nnodes + 2, "%s: fabric, internet "
		    "edge + %zu namespaces", file, t->nnodes);
		T_OK(example_nics_ok(t), "%s: %zu NICs: fabric end, guest "
		    "address, rule", file, t->nnics);
		T_OK(example_sites_ok(t), "%s: site hosts and %zu site links",
		    file, t->nsitelinks);
		T_EQ(lab_destroy(lab, &err), 0, "%s: lab_destroy: %s", file,
		    err.msg);
	}
	T_EQ(ns_count(lab), 0, "%s: no namespace left", file);
	T_OK(!dir_exists(lab_dir(lab, dir, sizeof(dir))), "%s: state dir "
	    "removed", file);
	topo_free(t);
}

int
main(int argc, char **argv)
{
	char rundir[] = "/tmp/arsemu-tlab.XXXXXX", topo_file[600], base[32];
	char *before, *after, *cmd, lab[40];
	FILE *f;

	if (argc == 3 && strncmp(argv[1], "--", 2) == 0)
		child_main(argv[1]);
	if (geteuid() != 0) {
		printf("ok 1 # SKIP not root\n1..1\n");
		return 0;
	}
	/* A reader that goes away (| head) must not stop the cleanup. */
	signal(SIGPIPE, SIG_IGN);
	before = host_snapshot();
	if (mkdtemp(rundir) == NULL)
		die("mkdtemp: %s", strerror(errno));
	setenv("ARSEMU_RUNDIR", rundir, 1);
	snprintf(topo_file, sizeof(topo_file), "%s/in.json", rundir);
	if ((f = fopen(topo_file, "w")) == NULL)
		die("%s: %s", topo_file, strerror(errno));
	fputs("{ \"name\": \"inline\", \"note\": \"copied, not parsed\" }\n", f);
	fclose(f);
	snprintf(base, sizeof(base), "t%d", (int)getpid());

	test_build_destroy(topo_file, base);
	test_failed_builds(topo_file, base);
	snprintf(lab, sizeof(lab), "%ss", base);
	test_example("examples/single-hub.json", lab);
	snprintf(lab, sizeof(lab), "%sa", base);
	test_example("examples/active-active.json", lab);

	after = host_snapshot();
	T_OK(strcmp(before, after) == 0, "host links, addresses, routes and "
	    "rules unchanged");
	cmd = xasprintf("rm -rf %s", rundir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", rundir);
	free(cmd);
	free(before);
	free(after);
	return t_done();
}
