/*
 * nlbench_libnl: the libnl-3 contender of bench/lab-bench.sh (issue 21).
 * The same kernel work as labbench's nl.c paths, written the way
 * libnl-route-3 is meant to be used: one nl_sock, objects (rtnl_route,
 * rtnl_link) built with its setters and sent with rtnl_route_add and
 * rtnl_link_add, each of which waits for the kernel's answer
 * (nl_send_sync), and a route cache where a libnl program keeps one. A
 * benchmark, never a test; root. Links only libnl-3 and libnl-route-3
 * (its nl_close would clash with emu/nl.h's).
 *
 *   nlbench_libnl floorveth N PREFIX   N namespaces (unshare + bind mount
 *                   at /run/netns/PREFIX-i, as labbench floorveth), each
 *                   with one veth pair from the namespace PREFIX-fab into
 *                   it, the same indexes (1000 + i, peer 2), made with
 *                   rtnl_link_veth_alloc + rtnl_link_add; then remove them.
 *                   Prints "up_ms down_ms"
 *   nlbench_libnl fib N      in a namespace of its own (lo up, veth v0/v1
 *                   up): N /24s from 100.64.0.0 via 10.0.2.4 onlink on v0,
 *                   protocol 222, into an empty table: fill a route cache
 *                   (the dump), look each route up in it, rtnl_route_add
 *                   (NLM_F_CREATE | NLM_F_REPLACE) the missing ones; then
 *                   one route's gateway changed: refill the cache, look it
 *                   up, replace it. Prints "all_ms one_ms msgs_one"
 * Everything it makes it removes, also on failure; nothing touches the
 * host namespace (fib forks a child that unshares first; floorveth makes
 * links only in the namespaces it made).
 */
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/if.h>
#include <linux/rtnetlink.h>
#include <netlink/netlink.h>
#include <netlink/cache.h>
#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/route.h>
#include <netlink/route/nexthop.h>

#define TBL	5002u
#define GW	0x0a000204u	/* 10.0.2.4, onlink */
#define PROTO	222

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static struct nl_sock *
sock_open(void)
{
	struct nl_sock *sk;

	if ((sk = nl_socket_alloc()) == NULL)
		return NULL;
	if (nl_connect(sk, NETLINK_ROUTE) < 0) {
		nl_socket_free(sk);
		return NULL;
	}
	return sk;
}

/* Make namespace /run/netns/NAME (unshare + bind mount); back in SELF. */
static int
ns_make(const char *name, int self, int *nsfd)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	if ((fd = open(path, O_RDONLY | O_CREAT | O_EXCL, 0)) == -1)
		return -1;
	close(fd);
	if (unshare(CLONE_NEWNET) == -1 ||
	    mount("/proc/self/ns/net", path, "none", MS_BIND, NULL) == -1) {
		unlink(path);
		return -1;
	}
	*nsfd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (setns(self, CLONE_NEWNET) == -1)
		return -2;	/* still in the new one: the caller must stop */
	return 0;
}

static void
ns_remove(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	umount2(path, MNT_DETACH);
	unlink(path);
}

static int
veth_add(struct nl_sock *sk, const char *name, int idx, const char *pname,
    int pidx, int pns_fd)
{
	struct rtnl_link *link, *peer;
	int err;

	if ((link = rtnl_link_veth_alloc()) == NULL)
		return -NLE_NOMEM;
	rtnl_link_set_name(link, name);
	rtnl_link_set_ifindex(link, idx);
	peer = rtnl_link_veth_get_peer(link);
	rtnl_link_set_name(peer, pname);
	rtnl_link_set_ifindex(peer, pidx);
	if (pns_fd >= 0)
		rtnl_link_set_ns_fd(peer, pns_fd);
	err = rtnl_link_add(sk, link, NLM_F_CREATE | NLM_F_EXCL);
	rtnl_link_put(peer);
	rtnl_link_veth_release(link);
	return err;
}

static int
floorveth(int n, const char *prefix)
{
	char name[64];
	double t0, t1, t2;
	int self, fab = -1, nsfd, i, made = 0, rc = 0, err = 0;
	struct nl_sock *sk = NULL;

	mkdir("/run/netns", 0755);
	if ((self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) == -1)
		return 1;
	/* the fabric, and the socket made inside it */
	snprintf(name, sizeof(name), "%s-fab", prefix);
	if (ns_make(name, self, &fab) != 0 || fab < 0 ||
	    setns(fab, CLONE_NEWNET) == -1 || (sk = sock_open()) == NULL ||
	    setns(self, CLONE_NEWNET) == -1)
		rc = 1;
	t0 = now_ms();
	for (i = 0; i < n && rc == 0; i++) {
		snprintf(name, sizeof(name), "%s-%d", prefix, i);
		nsfd = -1;
		if ((err = ns_make(name, self, &nsfd)) != 0) {
			rc = err == -2 ? 2 : 1;
			break;
		}
		made++;
		snprintf(name, sizeof(name), "n%d", i);
		if (nsfd < 0 ||
		    (err = veth_add(sk, name, 1000 + i, "eth0", 2, nsfd)) < 0)
			rc = 1;
		if (nsfd >= 0)
			close(nsfd);
	}
	t1 = now_ms();
	for (i = 0; i < made; i++) {
		snprintf(name, sizeof(name), "%s-%d", prefix, i);
		ns_remove(name);
	}
	t2 = now_ms();
	if (sk != NULL)
		nl_socket_free(sk);
	if (fab >= 0)
		close(fab);
	snprintf(name, sizeof(name), "%s-fab", prefix);
	ns_remove(name);
	close(self);
	if (made != n || rc != 0) {
		fprintf(stderr, "nlbench_libnl: made %d of %d namespaces: %s\n",
		    made, n, err < 0 ? nl_geterror(err) : strerror(errno));
		return 1;
	}
	printf("%.1f %.1f\n", t1 - t0, t2 - t1);
	return 0;
}

static int
link_up(struct nl_sock *sk, struct nl_cache *links, const char *name)
{
	struct rtnl_link *link, *chg;
	int err;

	if ((link = rtnl_link_get_by_name(links, name)) == NULL)
		return -NLE_OBJ_NOTFOUND;
	chg = rtnl_link_alloc();
	rtnl_link_set_flags(chg, IFF_UP);
	err = rtnl_link_change(sk, link, chg, 0);
	rtnl_link_put(chg);
	rtnl_link_put(link);
	return err;
}

/* Route I of the table as labbench's routes() makes it, with gateway GW. */
static struct rtnl_route *
route_new(int i, uint32_t gw, int ifi)
{
	struct rtnl_route *r;
	struct rtnl_nexthop *nh;
	struct nl_addr *dst, *via;
	uint32_t d = htonl(0x64400000u + ((uint32_t)i << 8)), g = htonl(gw);

	r = rtnl_route_alloc();
	rtnl_route_set_family(r, AF_INET);
	rtnl_route_set_table(r, TBL);
	rtnl_route_set_protocol(r, PROTO);
	rtnl_route_set_type(r, RTN_UNICAST);
	rtnl_route_set_scope(r, RT_SCOPE_UNIVERSE);
	/* the cache's lookup key: family, tos, table, dst, priority, all set */
	rtnl_route_set_tos(r, 0);
	rtnl_route_set_priority(r, 0);
	dst = nl_addr_build(AF_INET, &d, 4);
	nl_addr_set_prefixlen(dst, 24);
	rtnl_route_set_dst(r, dst);
	nl_addr_put(dst);
	nh = rtnl_route_nh_alloc();
	via = nl_addr_build(AF_INET, &g, 4);
	rtnl_route_nh_set_gateway(nh, via);
	nl_addr_put(via);
	rtnl_route_nh_set_ifindex(nh, ifi);
	rtnl_route_nh_set_flags(nh, RTNH_F_ONLINK);
	rtnl_route_add_nexthop(r, nh);
	return r;
}

/* Is R in the cache as it is (same gateway)? */
static bool
route_held(struct nl_cache *cache, struct rtnl_route *r)
{
	struct rtnl_route *have;
	bool same;

	if ((have = (struct rtnl_route *)nl_cache_search(cache,
	    (struct nl_object *)r)) == NULL)
		return false;
	same = rtnl_route_get_nnexthops(have) == 1 &&
	    nl_addr_cmp(rtnl_route_nh_get_gateway(rtnl_route_nexthop_n(have, 0)),
	    rtnl_route_nh_get_gateway(rtnl_route_nexthop_n(r, 0))) == 0;
	rtnl_route_put(have);
	return same;
}

/*
 * Routes FROM..TO, gateway GW (route ONE: ONEGW), into the table: fill the
 * cache, add (replace) what it does not hold as wanted. Returns the
 * requests sent, or a libnl error.
 */
static int
sync_routes(struct nl_sock *sk, int n, int ifi, int one, uint32_t onegw)
{
	struct nl_cache *cache;
	struct rtnl_route *r;
	int i, err, sent = 0;

	if ((err = rtnl_route_alloc_cache(sk, AF_INET, 0, &cache)) < 0)
		return err;
	for (i = 0; i < n; i++) {
		r = route_new(i, i == one ? onegw : GW, ifi);
		if (!route_held(cache, r)) {
			if ((err = rtnl_route_add(sk, r,
			    NLM_F_CREATE | NLM_F_REPLACE)) < 0) {
				rtnl_route_put(r);
				nl_cache_free(cache);
				return err;
			}
			sent++;
		}
		rtnl_route_put(r);
	}
	nl_cache_free(cache);
	return sent;
}

static int
fib_child(int n)
{
	struct nl_sock *sk;
	struct nl_cache *links;
	double t0, t1, t2;
	int ifi, all, one;

	if (unshare(CLONE_NEWNET) == -1 || (sk = sock_open()) == NULL)
		return 1;
	if (rtnl_link_alloc_cache(sk, AF_UNSPEC, &links) < 0 ||
	    link_up(sk, links, "lo") < 0 ||
	    veth_add(sk, "v0", 0, "v1", 0, -1) < 0 ||
	    nl_cache_refill(sk, links) < 0 ||
	    link_up(sk, links, "v1") < 0 || link_up(sk, links, "v0") < 0 ||
	    (ifi = rtnl_link_name2i(links, "v0")) <= 0) {
		fprintf(stderr, "nlbench_libnl: set-up failed\n");
		return 1;
	}
	nl_cache_free(links);
	t0 = now_ms();
	all = sync_routes(sk, n, ifi, -1, GW);
	t1 = now_ms();
	one = all < 0 ? all : sync_routes(sk, n, ifi, n / 2, GW + 1);
	t2 = now_ms();
	if (all < 0 || one < 0) {
		fprintf(stderr, "nlbench_libnl: %s\n",
		    nl_geterror(all < 0 ? all : one));
		return 1;
	}
	if (all != n)
		fprintf(stderr, "nlbench_libnl: %d requests for %d routes\n",
		    all, n);
	printf("%.1f %.2f %d\n", t1 - t0, t2 - t1, one);
	nl_socket_free(sk);
	return 0;
}

int
main(int argc, char **argv)
{
	pid_t pid;
	int st;

	if (argc == 4 && strcmp(argv[1], "floorveth") == 0)
		return floorveth(atoi(argv[2]), argv[3]);
	if (argc == 3 && strcmp(argv[1], "fib") == 0) {
		if ((pid = fork()) == 0)
			_exit(fib_child(atoi(argv[2])) || fflush(stdout));
		if (pid == -1 || waitpid(pid, &st, 0) == -1)
			return 1;
		return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
	}
	fprintf(stderr, "usage: nlbench_libnl floorveth N PREFIX | fib N\n");
	return 2;
}
