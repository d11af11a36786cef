/*
 * lablb: the internal load balancers of a lab, in its fabric namespace
 * (LB-02, LB-04, LB-06; lab.h names the links, rules and tables).
 *
 * A route to a frontend leaves by "lb<k>" (kroute.c), onlink, to a
 * permanent neighbour entry for the frontend that names "lbi<k>", the
 * pair's other end: the packet comes back into the fabric there,
 * unchanged. nftables (table "arsemu_lb", prerouting) then picks the
 * backend: a flow whose conntrack entry holds a backend's mark keeps it
 * (so the reply of a flow takes the flow's backend); any other takes
 * jhash(saddr . daddr . sport . dport, LB_HASH_SEED) mapped onto the
 * backends, the function emu/model/lb.c computes for walks; port rules
 * drop what they do not take. The packet's mark, copied from the
 * conntrack mark, selects a rule "iif lbi<k> fwmark M lookup T", whose
 * table T sends everything to that backend's NIC; what no mark selects is
 * dropped by the blackhole rule after them.
 *
 * The links, neighbours, routes and rules are made by `ip -batch` and the
 * table by `nft -f`, run in the fabric namespace from files kept in the
 * lab's directory (lb.ip, lb.nft: what was applied, to read). The
 * namespace's removal takes all of it away.
 *
 * Must not: choose a backend itself (the kernel does, by the model's
 * hash), or touch the host namespace.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/util.h"
#include "lablb.h"
#include "labns.h"
#include "model/lb.h"

#define LB_MARK(k, b)	(0x4c420000u | (unsigned)(k) << 8 | (unsigned)(b))

/* "02:00:4c:42:kk:0e": the MAC of end e (0: lb<k>, 1: lbi<k>) of load balancer k. */
static void
lb_mac(unsigned k, unsigned e, char *buf, size_t len)
{
	snprintf(buf, len, "02:00:4c:42:%02x:%02x", k, e);
}

int
lablb_run(int ns_fd, const char *file, char *const argv[], char *err,
    size_t len)
{
	int st, fd;
	pid_t pid;

	if ((pid = fork()) < 0) {
		snprintf(err, len, "fork for %s: %s", argv[0], strerror(errno));
		return -1;
	}
	if (pid == 0) {
		if (setns(ns_fd, CLONE_NEWNET) != 0)
			_exit(126);
		if ((fd = open(file, O_RDONLY | O_CLOEXEC)) < 0 ||
		    dup2(fd, STDIN_FILENO) < 0)
			_exit(126);
		execvp(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) {
			snprintf(err, len, "wait for %s: %s", argv[0],
			    strerror(errno));
			return -1;
		}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		snprintf(err, len, "%s failed (exit %d%s; input in %s)", argv[0],
		    WIFEXITED(st) ? WEXITSTATUS(st) : -1,
		    WIFEXITED(st) && WEXITSTATUS(st) == 127 ? ": not installed? "
		    "a lab with load balancers needs iproute2 and nftables" : "",
		    file);
		return -1;
	}
	return 0;
}

/* Run argv in the fabric namespace, stdin from file; 0 if it exits 0. */
static int
run_in_fabric(struct lab_ctx *c, const char *file, char *const argv[])
{
	char err[400];

	if (lablb_run(c->fabric.fd, file, argv, err, sizeof(err)) < 0)
		return lab_fail(c, "in %s: %s", c->fabric.name, err);
	return 0;
}

/* ip -batch: the pair, its neighbour, a table and a rule per backend. */
static void
write_ip(FILE *f, const struct topo_lb *lb)
{
	char m0[24], m1[24], a[ADDR_STRLEN];
	unsigned k = lb->idx;
	size_t b;

	lb_mac(k, 0, m0, sizeof(m0));
	lb_mac(k, 1, m1, sizeof(m1));
	fprintf(f, "link add lb%u index %d address %s type veth peer name lbi%u "
	    "index %d address %s\n", k, LAB_LB_IFINDEX(k), m0, k,
	    LAB_LBI_IFINDEX(k), m1);
	fprintf(f, "link set lb%u up\nlink set lbi%u up\n", k, k);
	fprintf(f, "neigh replace %s lladdr %s dev lb%u nud permanent\n",
	    addr_fmt(lb->ip, a), m1, k);
	for (b = 0; b < lb->nbackends; b++) {
		const struct topo_nic *nic = lb->backends[b]->node->nic;

		fprintf(f, "route replace default via %s dev n%u onlink table "
		    "%u\n", addr_fmt(nic->ip, a), nic->idx, LAB_LB_TABLE(k, b));
		fprintf(f, "rule add priority %u iif lbi%u fwmark 0x%x lookup "
		    "%u\n", LAB_LB_PRIO(k, b), k, LB_MARK(k, b),
		    LAB_LB_TABLE(k, b));
	}
	fprintf(f, "rule add priority %u iif lbi%u blackhole\n",
	    LAB_LB_PRIO(k, TOPO_LB_BACKENDS_MAX), k);
}

/*
 * LB-05: where probes come from; the backends' replies are delivered here.
 * Scope host: the kernel never takes it as the source of the fabric's own
 * ARP requests (the Internet edge, which owns every outside address, would
 * drop a request from 168.63.129.16 as from itself).
 */
static void
write_probe_addr(FILE *f)
{
	fprintf(f, "address add %s/32 dev lo scope host\n", LABLB_PROBE_SRC_STR);
}

/*
 * The marks of the backends in rotation as an nft set or map body:
 * "M0, M2" or "0 : M0, 1 : M2"; their number.
 */
static size_t
marks(FILE *f, const struct topo_lb *lb, const bool *up, bool map)
{
	size_t b, n = 0;

	for (b = 0; b < lb->nbackends; b++) {
		if (up != NULL && !up[b])
			continue;
		if (map)
			fprintf(f, "%s%zu : 0x%x", n ? ", " : "", n,
			    LB_MARK(lb->idx, b));
		else
			fprintf(f, "%s0x%x", n ? ", " : "", LB_MARK(lb->idx, b));
		n++;
	}
	return n;
}

void
lablb_chain(FILE *f, const struct topo_lb *lb, const bool *up)
{
	unsigned k = lb->idx;
	size_t i, n = 0;

	for (i = 0; i < lb->nbackends; i++)
		n += up == NULL || up[i];
	fprintf(f, "\tchain lb%u {\n", k);
	if (n == 0) {
		/* no backend in rotation: every flow is dropped (LB-05) */
		fprintf(f, "\t\tdrop\n\t}\n");
		return;
	}
	/* a flow with a backend keeps it, both ways (LB-06) */
	fprintf(f, "\t\tct mark { ");
	marks(f, lb, up, false);
	fprintf(f, " } meta mark set ct mark accept\n");
	/* a new flow only on a rule's protocol and port (LB-02) */
	if (lb->nrules > 0) {
		fprintf(f, "\t\tmeta l4proto != { tcp, udp } drop\n"
		    "\t\tmeta l4proto . th dport != { ");
		for (i = 0; i < lb->nrules; i++)
			fprintf(f, "%s%s . %u", i ? ", " : "",
			    lb->rules[i].proto == TOPO_PROTO_TCP ? "tcp" : "udp",
			    lb->rules[i].port);
		fprintf(f, " } drop\n");
	}
	fprintf(f, "\t\tmeta l4proto { tcp, udp } ct mark set jhash ip saddr . "
	    "ip daddr . th sport . th dport mod %zu seed 0x%x map { ", n,
	    LB_HASH_SEED);
	marks(f, lb, up, true);
	fprintf(f, " }\n\t\tmeta l4proto != { tcp, udp } ct mark set jhash ip "
	    "saddr . ip daddr mod %zu seed 0x%x map { ", n, LB_HASH_SEED);
	marks(f, lb, up, true);
	fprintf(f, " }\n\t\tmeta mark set ct mark\n\t}\n");
}

static void
write_nft(FILE *f, const struct topo *t)
{
	size_t k;

	fprintf(f, "table ip %s {\n\tchain pre {\n\t\ttype filter hook "
	    "prerouting priority mangle; policy accept;\n", LABLB_NFT_TABLE);
	for (k = 0; k < t->nlbs; k++)
		fprintf(f, "\t\tiifname \"lbi%zu\" jump lb%zu\n", k, k);
	fprintf(f, "\t}\n");
	for (k = 0; k < t->nlbs; k++)
		lablb_chain(f, t->lbs[k], NULL);
	fprintf(f, "}\n");
}

/* One file of the lab's directory, written by fn. */
static int
write_file(struct lab_ctx *c, const char *name, char *path, size_t len,
    void (*fn)(FILE *, const struct topo *))
{
	FILE *f;

	snprintf(path, len, "%s/%s", c->st.dir, name);
	if ((f = fopen(path, "w")) == NULL)
		return lab_fail(c, "%s: %s", path, strerror(errno));
	fn(f, c->t);
	if (fclose(f) != 0)
		return lab_fail(c, "%s: %s", path, strerror(errno));
	return 0;
}

static void
write_ips(FILE *f, const struct topo *t)
{
	size_t k;

	write_probe_addr(f);
	for (k = 0; k < t->nlbs; k++)
		write_ip(f, t->lbs[k]);
}

int
lab_lbs(struct lab_ctx *c)
{
	char ip[PATH_MAX + 8], nft[PATH_MAX + 8], name[32];
	char *const ip_argv[] = { "ip", "-batch", "-", NULL };
	char *const nft_argv[] = { "nft", "-f", "-", NULL };
	size_t k;

	if (c->t->nlbs == 0)
		return 0;
	if (write_file(c, "lb.ip", ip, sizeof(ip), write_ips) < 0 ||
	    run_in_fabric(c, ip, ip_argv) < 0)
		return -1;
	for (k = 0; k < c->t->nlbs; k++) {
		snprintf(name, sizeof(name), "lbi%zu", k);
		/* what comes back in is forwarded to a backend, not refused */
		if (lab_if_sysctl(c, &c->fabric, name, "rp_filter", "0") < 0 ||
		    lab_if_sysctl(c, &c->fabric, name, "proxy_arp", "0") < 0)
			return -1;
	}
	if (write_file(c, "lb.nft", nft, sizeof(nft), write_nft) < 0)
		return -1;
	return run_in_fabric(c, nft, nft_argv);
}
