/*
 * labbench: the floors and baselines bench/lab-bench.sh sets arsemu against
 * (issue 10). A benchmark, never a test; root.
 *
 *   labbench floor N PREFIX   make N namespaces the cheapest way there is
 *                             (unshare + bind mount at /run/netns/PREFIX-i,
 *                             a loop of syscalls), then remove them; print
 *                             "floor_up_ms floor_down_ms"
 *   labbench floorveth N PREFIX   the same, each with one veth pair from a
 *                             fabric namespace into it (made with its
 *                             indexes, nothing else): the least a lab
 *                             node needs
 *   ... PREFIX hold           (floor, floorveth) once made, print "made"
 *                             and wait for a line on stdin before removing
 *                             them: the caller measures their memory
 *   labbench fib N DIR        in a namespace of its own: install N routes
 *                             into an empty table with arsemu's own sync
 *                             (sync_table: dump, diff, one batch),
 *                             then the same N with `ip -batch`; then change
 *                             one route with each. Prints
 *                             "arsemu_ms ip_ms arsemu_one_ms ip_one_ms msgs_one"
 *                             (msgs_one: netlink requests arsemu sent for the
 *                             one change)
 * Everything it makes it removes, also on failure; nothing touches the host
 * namespace (the fib mode forks a child that unshares first).
 */
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../emu/netns.h"
#include "../emu/nl.h"
#include "../emu/sync.h"

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/*
 * The floor: N namespaces. With veth, also what every lab node needs at
 * the least: one veth pair from a fabric namespace into it (made with
 * its interface indexes, down, no address), the fabric made first.
 */
static int
floor_loop(int n, const char *prefix, bool veth, bool hold)
{
	char path[256], name[32];
	double t0, t1, t2;
	int self, i, fd, nsfd, fab = -1, made = 0, rc = 0;
	struct nl *nl = NULL;

	mkdir("/run/netns", 0755);
	if ((self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) == -1)
		return 1;
	if (veth) {
		snprintf(path, sizeof(path), "%s-fab", prefix);
		if (netns_create(path) < 0 || (fab = netns_open(path)) < 0 ||
		    (nl = nl_open(fab)) == NULL)
			rc = 1;
	}
	t0 = now_ms();
	for (i = 0; i < n && rc == 0; i++) {
		snprintf(path, sizeof(path), "/run/netns/%s-%d", prefix, i);
		if ((fd = open(path, O_RDONLY | O_CREAT | O_EXCL, 0)) == -1)
			break;
		close(fd);
		if (unshare(CLONE_NEWNET) == -1 ||
		    mount("/proc/self/ns/net", path, "none", MS_BIND, NULL) == -1) {
			unlink(path);
			break;
		}
		made++;
		nsfd = veth ? open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC) : -1;
		if (setns(self, CLONE_NEWNET) == -1)
			break;
		if (veth) {
			snprintf(name, sizeof(name), "n%d", i);
			/* the kernel's default queues: the floor chooses nothing */
			if (nsfd < 0 || nl_veth_create_at(nl, name, -1, 1000 + i,
			    "eth0", nsfd, 2, 0) < 0)
				rc = 1;
			close(nsfd);
		}
	}
	t1 = now_ms();
	if (hold && made == n && rc == 0) {
		/* the caller measures the namespaces' memory, then says go on */
		char line[8];

		printf("made\n");
		fflush(stdout);
		if (fgets(line, sizeof(line), stdin) == NULL)
			line[0] = '\0';
	}
	for (i = 0; i < made; i++) {
		snprintf(path, sizeof(path), "/run/netns/%s-%d", prefix, i);
		umount2(path, MNT_DETACH);
		unlink(path);
	}
	t2 = now_ms();
	if (veth) {
		nl_close(nl);
		if (fab >= 0)
			close(fab);
		snprintf(path, sizeof(path), "%s-fab", prefix);
		netns_delete(path);
	}
	close(self);
	if (made != n || rc != 0) {
		fprintf(stderr, "labbench: made %d of %d namespaces: %s\n", made, n,
		    strerror(errno));
		return 1;
	}
	printf("%.1f %.1f\n", t1 - t0, t2 - t1);
	return 0;
}

#define TBL_A	5000u
#define TBL_B	5001u
#define GW	0x0a000204u	/* 10.0.2.4, onlink */

static void
routes(struct nl_route *v, int n, int ifi)
{
	int i;

	memset(v, 0, (size_t)n * sizeof(*v));
	for (i = 0; i < n; i++) {
		/* /24s from 100.64.0.0 upward, as the Route Server would hold */
		v[i].dst.addr = 0x64400000u + ((uint32_t)i << 8);
		v[i].dst.len = 24;
		v[i].type = NL_RT_UNICAST;
		v[i].protocol = RTPROT_ARSEMU;
		v[i].nnh = 1;
		v[i].nh[0] = (struct nl_nh){ .gw = GW, .ifindex = ifi,
		    .onlink = true, .weight = 1 };
	}
}

static int
ip_batch(const char *file)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "ip -batch %s", file);
	return system(cmd) == 0 ? 0 : -1;
}

static int
write_batch(const char *file, const struct nl_route *v, int from, int to)
{
	char p[PFX_STRLEN], g[ADDR_STRLEN];
	FILE *f;
	int i;

	if ((f = fopen(file, "w")) == NULL)
		return -1;
	for (i = from; i < to; i++)
		fprintf(f, "route replace %s via %s dev v0 onlink proto 222 "
		    "table %u\n", pfx_fmt(&v[i].dst, p), addr_fmt(v[i].nh[0].gw, g),
		    TBL_B);
	return fclose(f);
}

static int
fib_child(int n, const char *dir)
{
	struct nl *nl;
	struct sync_nl ops;
	struct nl_route *v;
	unsigned changes = 0, one = 0;
	char file[512], file1[512];
	double t[8];
	int ifi;

	if (unshare(CLONE_NEWNET) == -1 || (nl = nl_open(-1)) == NULL)
		return 1;
	sync_nl_kernel(&ops, nl);
	/* lo up: the local table exists, and an onlink gateway is unicast */
	if ((ifi = nl_link_index(nl, "lo")) <= 0 || nl_link_set_up(nl, ifi) != 0 ||
	    nl_veth_create(nl, "v0", -1, "v1", -1) != 0 ||
	    (ifi = nl_link_index(nl, "v1")) <= 0 || nl_link_set_up(nl, ifi) != 0 ||
	    (ifi = nl_link_index(nl, "v0")) <= 0 || nl_link_set_up(nl, ifi) != 0)
		return 1;
	v = calloc((size_t)n, sizeof(*v));
	routes(v, n, ifi);
	snprintf(file, sizeof(file), "%s/fib-%d.batch", dir, n);
	snprintf(file1, sizeof(file1), "%s/fib-one.batch", dir);
	if (write_batch(file, v, 0, n) != 0)
		return 1;
	/* the whole table: arsemu's sync, then ip -batch into another table */
	t[0] = now_ms();
	if (sync_table(&ops, TBL_A, v, (size_t)n, &changes) != 0) {
		fprintf(stderr, "labbench: %s\n", nl_errmsg(nl));
		return 1;
	}
	t[1] = now_ms();
	if (ip_batch(file) != 0)
		return 1;
	t[2] = now_ms();
	/* one route changes its next hop */
	routes(v, n, ifi);
	v[n / 2].nh[0].gw = GW + 1;
	if (write_batch(file1, v, n / 2, n / 2 + 1) != 0)
		return 1;
	t[3] = now_ms();
	if (sync_table(&ops, TBL_A, v, (size_t)n, &one) != 0)
		return 1;
	t[4] = now_ms();
	if (ip_batch(file1) != 0)
		return 1;
	t[5] = now_ms();
	if (changes != (unsigned)n)
		fprintf(stderr, "labbench: %u requests for %d routes\n", changes, n);
	printf("%.1f %.1f %.2f %.2f %u\n", t[1] - t[0], t[2] - t[1],
	    t[4] - t[3], t[5] - t[4], one);
	free(v);
	nl_close(nl);
	return 0;
}

int
main(int argc, char **argv)
{
	pid_t pid;
	int st;

	bool hold = argc == 5 && strcmp(argv[4], "hold") == 0;

	if ((argc == 4 || hold) && strcmp(argv[1], "floor") == 0)
		return floor_loop(atoi(argv[2]), argv[3], false, hold);
	if ((argc == 4 || hold) && strcmp(argv[1], "floorveth") == 0)
		return floor_loop(atoi(argv[2]), argv[3], true, hold);
	if (argc == 4 && strcmp(argv[1], "fib") == 0) {
		if ((pid = fork()) == 0)
			_exit(fib_child(atoi(argv[2]), argv[3]) || fflush(stdout));
		if (pid == -1 || waitpid(pid, &st, 0) == -1)
			return 1;
		return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
	}
	fprintf(stderr, "usage: labbench floor|floorveth N PREFIX [hold] | fib N DIR\n");
	return 2;
}
