/*
 * lab: build and tear down the kernel side of a lab (namespaces, veths,
 * addresses, sysctls, fabric rules, site LANs), and the state file that
 * records everything it made, so that `down` removes exactly that.
 *
 * Naming: every namespace is "arsemu-<lab>-<node>" (NODE = topo node name),
 * the fabric is "arsemu-<lab>-fabric". State lives in /run/arsemu/<lab>/
 * (ARSEMU_RUNDIR overrides /run/arsemu, for tests).
 *
 * In the fabric namespace, NIC i (topo nics[i]) is the veth "n<i>"; its guest
 * end is "eth0" in the node's namespace. NIC i's effective routes live in
 * two tables that other NICs share (share.h): its subnet's,
 * LAB_SUBNET_TABLE(slot), at "priority LAB_RULE_PRIO(i) iif n<i>", and its
 * subnet group's, LAB_GROUP_TABLE(group), at LAB_GROUP_PRIO; between them,
 * "iif n<i> to P goto LAB_PATH_PRIO" for each prefix P of its VNet. A
 * `throw`, or a goto, leads to the delivery path: policyrules.c's rules, then
 * the delivery table LAB_DELIVERY_TABLE (one /32 per NIC, dev n<i>) at
 * priority LAB_DELIVERY_PRIO. The host end of every NIC carries its subnet's gateway
 * address (x.x.x.1/32) and answers ARP for the whole subnet (proxy_arp), as
 * the Azure fabric does.
 *
 * The Internet edge is the namespace "arsemu-<lab>-internet", linked to the
 * fabric twice: "inet" (fabric) <-> "eth0", where every address answers
 * (next hop Internet), and "none0" (fabric) <-> "none0", where every packet
 * is dropped and counted (next hop None: the fabric's "none0" tx counter and
 * the edge's Ip InAddrErrors count the drops). Both edge ends carry
 * LAB_EDGE_ADDR; the fabric reaches "none0" through it.
 *
 * Must not: touch the host namespace (no link, address, route or rule there).
 */
#ifndef ARSEMU_EMU_LAB_H
#define ARSEMU_EMU_LAB_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "../topo/topo.h"

#define LAB_RUNDIR_DEFAULT	"/run/arsemu"
#define LAB_QUIET_MS		300u	/* no fabric change this long: converged */
#define LAB_SUBNET_TABLE(s)	(1000u + (unsigned)(s))
#define LAB_GROUP_TABLE(g)	(200000u + (unsigned)(g))
/*
 * A priority of its own for each NIC's rule of each kind: the kernel finds
 * where a new rule goes by walking the list to the first higher priority,
 * and the lab adds them from the highest down, so that each insertion is
 * O(1), not O(rules) (12,000 rules for 4,000 NICs).
 */
#define LAB_MAX_NICS		9000u
#define LAB_RULE_PRIO(i)	(1000u + (unsigned)(i))		/* < 10000 */
#define LAB_THROW_PRIO(i)	(10000u + (unsigned)(i))	/* < 19000 */
#define LAB_GROUP_PRIO(i)	(19000u + (unsigned)(i))	/* < 28000 */
#define LAB_PATH_PRIO		28999u	/* nop: the goto target */
/*
 * NV-02: the j-th NIC without IP forwarding in a guest that forwards (an
 * NVA's other NIC does) may send only from its own address: "iif n<i>
 * from <its ip>/32 goto LAB_SRC_PASS_PRIO" at LAB_SRC_PRIO(j), "iif n<i>
 * blackhole" right after. Between fail.c's (10, 11) and the load
 * balancers' (200 up): at most LAB_SRC_MAX such NICs in a lab.
 */
#define LAB_SRC_PRIO(j)		(100u + 2u * (unsigned)(j))
#define LAB_SRC_MAX		49u
#define LAB_SRC_PASS_PRIO	199u	/* nop: the goto target */
#define LAB_NIC_IFINDEX(i)	(1000 + (int)(i))	/* n<i> in the fabric */
#define LAB_GUEST_IFINDEX	2	/* eth0 in its node, after lo */
/*
 * Internal load balancer k (topo lbs[k], at most TOPO_LBS_MAX): a veth pair
 * in the fabric, "lb<k>" (routes to its frontend leave by it) and "lbi<k>"
 * (where they come back in, to be sent to a backend by mark); its rules at
 * LAB_LB_PRIO(k, b) for backend b (< 1000, before every NIC's), and
 * LAB_LB_PRIO(k, TOPO_LB_BACKENDS_MAX) for what no backend takes; backend
 * b's table LAB_LB_TABLE(k, b) (emu/lablb.c).
 */
#define LAB_LB_IFINDEX(k)	(600 + 2 * (int)(k))
#define LAB_LBI_IFINDEX(k)	(601 + 2 * (int)(k))
#define LAB_LB_PRIO(k, b)	(200u + 33u * (unsigned)(k) + (unsigned)(b))
#define LAB_LB_TABLE(k, b)	(500000u + 64u * (unsigned)(k) + (unsigned)(b))
#define LAB_DELIVERY_TABLE	999u
#define LAB_DELIVERY_PRIO	30000u
#define LAB_INET_NODE		"internet"	/* arsemu-<lab>-internet */
#define LAB_INET_IF		"inet"		/* its link, fabric end */
#define LAB_NONE_IF		"none0"		/* the drop link, both ends */
#define LAB_EDGE_ADDR		0xc0000008u	/* 192.0.0.8, RFC 7600 */
#define LAB_NONE_TABLE		100u		/* edge: what none0 receives */
#define LAB_NONE_PRIO		100u		/* edge: iif none0 lookup 100 */
#define LAB_LOCAL_PRIO		200u		/* edge: lookup local, after it */

struct lab_err {
	char	msg[512];
};

/* "/run/arsemu" or $ARSEMU_RUNDIR */
const char *lab_rundir(void);
/* "<rundir>/<lab>"; a static buffer per call site is not used: caller's buf */
char	*lab_dir(const char *lab, char *buf, size_t len);
/* "arsemu-<lab>-<node>" */
char	*lab_ns_name(const char *lab, const char *node, char *buf, size_t len);
/* "<labdir>/<node>.sock": a speaker's control socket */
char	*emu_speaker_sock(const char *lab, const char *node, char *buf, size_t len);
/* "<labdir>/ctl.sock": the lab daemon's */
char	*emu_daemon_sock(const char *lab, char *buf, size_t len);
char	*lab_fabric_ns(const char *lab, char *buf, size_t len);

/*
 * Build every namespace, link, address, sysctl and rule of the topology.
 * Creates <rundir>/<lab>/ (fails with a clear message if it already exists:
 * a lab of that name is up), takes its lock, saves the topology there as
 * topology.json (a copy of `topo_file`), and appends each object to the
 * state file *before* creating it. On any failure undoes everything it made
 * and returns -1 with err->msg naming the step and object.
 */
int	lab_build(const struct topo *t, const char *topo_file, struct lab_err *err);

/*
 * Append a process to the lab's state ("pid <pid> <what>"), so `down` and a
 * crashed lab can be cleaned up. `what` is a word, e.g. "daemon", "speaker:fw1".
 */
int	lab_state_add_pid(const char *lab, pid_t pid, const char *what);
/*
 * A test hook: SIGKILL this process here if ARSEMU_CRASH_AT names `where`
 * (the reliability tests kill `up` and the lab daemon at named points).
 */
void	lab_crash_point(const char *where);

/*
 * Tear down what the state file of `lab` records, in reverse: processes
 * (SIGTERM, then SIGKILL after a grace period; only PIDs whose
 * /proc/PID/cmdline still names arsemu and the lab), namespaces (which
 * removes their links), then the state directory. Works after a crash at any
 * point of lab_build. Returns 0, or -1 with err set if something could not be
 * removed (it still removes all it can). -2 if no such lab.
 */
int	lab_destroy(const char *lab, struct lab_err *err);

/* Names of the labs that have a state directory. *out malloc'd. */
int	lab_list(char ***out, size_t *n);

/* Added with lab.c. */
/* Free what lab_list() returned. */
void	lab_list_free(char **v, size_t n);
/*
 * (labports.c) N of the NVA-side interface "eth<N>" of site link l in the NVA's namespace:
 * the NVA's NICs (eth0, then its extra ones, NV-01) + the number of site
 * links of the same NVA with a lower idx. The site edge's end is
 * "nva<l->idx>".
 */
unsigned lab_sitelink_port(const struct topo *t, const struct topo_sitelink *l);

/*
 * Gateway links (labports.c): the interface "l<idx>" on both ends, and the
 * link of `n` that reaches address `ip` (the other end's link or BGP
 * address); NULL if none.
 */
const struct topo_gwlink *lab_gwlink_to(const struct topo *t,
	    const struct topo_node *n, uint32_t ip);

#endif
