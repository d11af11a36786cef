/* labns: the primitives a lab is built with; see labns.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "labns.h"
#include "netns.h"

__attribute__((format(printf, 2, 3)))
int
lab_fail(struct lab_ctx *c, const char *fmt, ...)
{
	va_list ap;

	if (c->err->msg[0] != '\0')
		return -1;
	va_start(ap, fmt);
	vsnprintf(c->err->msg, sizeof(c->err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* A netlink step failed: name the step and object, then the kernel's words. */
__attribute__((format(printf, 3, 4)))
int
lab_nlfail(struct lab_ctx *c, const struct lab_ns *ns, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return lab_fail(c, "%s in %s: %s", what, ns->name, nl_errmsg(ns->nl));
}

struct lab_ns *
lab_node(struct lab_ctx *c, const struct topo_node *n)
{
	size_t i;

	for (i = 0; i < c->t->nnodes; i++)
		if (c->t->nodes[i] == n)
			return &c->nodes[i];
	die("lab: node %s is not in the topology", n->name);
}

int
lab_sysctl(struct lab_ctx *c, const struct lab_ns *ns, const char *path,
    const char *value)
{
	int rc;

	if ((rc = netns_sysctl(ns->fd, path, value)) < 0)
		return lab_fail(c, "sysctl %s=%s in %s: %s", path, value,
		    ns->name, strerror(-rc));
	return 0;
}

int
lab_if_sysctl(struct lab_ctx *c, const struct lab_ns *ns, const char *ifname,
    const char *key, const char *value)
{
	char path[128];

	snprintf(path, sizeof(path), "net/ipv4/conf/%s/%s", ifname, key);
	return lab_sysctl(c, ns, path, value);
}

/* What a namespace is given from inside, while it is being made. */
struct lab_ns_init {
	struct lab_ns	*ns;
	bool		 forwarder;	/* a NIC with IP forwarding (an NVA) */
};

/*
 * A forwarder's defaults are set before its eth0 exists, which inherits
 * them. Only forwarders: each /proc/sys lookup in a new namespace walks
 * a dentry chain as long as the number of namespaces (proc_sys_compare),
 * which made thousands of them quadratic.
 */
static const char *const lab_ns_fwd[][2] = {
	{ "net/ipv4/ip_forward", "1" },
	{ "net/ipv4/conf/all/rp_filter", "0" },
	{ "net/ipv4/conf/default/rp_filter", "0" },
};

static int
lab_ns_inside(void *arg)
{
	struct lab_ns_init *in = arg;
	size_t i;
	int rc;

	for (i = 0; in->forwarder && i < NELEM(lab_ns_fwd); i++)
		if ((rc = netns_sysctl(-1, lab_ns_fwd[i][0],
		    lab_ns_fwd[i][1])) < 0)
			return rc;
	if ((in->ns->fd = netns_open_self()) < 0)
		return in->ns->fd;
	/* made here, the socket belongs to the new namespace: no setns */
	if ((in->ns->nl = nl_open(-1)) == NULL)
		return errno ? -errno : -ENOMEM;
	return 0;
}

/* Bring lo up: a new namespace's loopback is always its link 1. */
int
lab_lo_up(struct lab_ctx *c, const struct lab_ns *ns)
{
	if (nl_link_set_up(ns->nl, 1) < 0)
		return lab_nlfail(c, ns, "bring lo up");
	return 0;
}

/*
 * Record and create (with what lab_ns_inside gives it); with lo, bring
 * lo up too (without, lab_nic does, on the NIC thread).
 */
int
lab_ns_make(struct lab_ctx *c, struct lab_ns *ns, const char *node,
    bool forwarder, bool lo)
{
	struct lab_ns_init in = { .ns = ns, .forwarder = forwarder };
	int rc;

	lab_ns_name(c->t->name, node, ns->name, sizeof(ns->name));
	if (labstate_record(&c->st, "ns %s", ns->name) < 0)
		return lab_fail(c, "record namespace %s in %s/state: %s",
		    ns->name, c->st.dir, strerror(errno));
	if ((rc = netns_create_with(ns->name, lab_ns_inside, &in)) < 0) {
		/* Not ours (EEXIST) or not made: teardown must leave it. */
		labstate_record(&c->st, "nsfail %s", ns->name);
		return lab_fail(c, "create namespace %s: %s%s", ns->name,
		    strerror(-rc), rc == -EEXIST ? " (a namespace of that "
		    "name is left over or used by someone else)" : "");
	}
	return lo ? lab_lo_up(c, ns) : 0;
}

int
lab_ifindex(struct lab_ctx *c, const struct lab_ns *ns, const char *ifname)
{
	int idx;

	if ((idx = nl_link_index(ns->nl, ifname)) < 0)
		return lab_nlfail(c, ns, "find %s", ifname);
	return idx;
}

/* Address, then up: the routes that follow need the link up. */
int
lab_if_up(struct lab_ctx *c, const struct lab_ns *ns, int idx,
    const char *ifname, uint32_t addr, uint8_t plen)
{
	char a[ADDR_STRLEN];

	if (addr != 0 && nl_addr_add(ns->nl, idx, addr, plen) < 0)
		return lab_nlfail(c, ns, "address %s/%u on %s",
		    addr_fmt(addr, a), plen, ifname);
	/* the lab is IPv4 only, as the Route Server is (RS-26) */
	if (nl_link_set_up_v4(ns->nl, idx) < 0)
		return lab_nlfail(c, ns, "bring %s up", ifname);
	return 0;
}

int
lab_route(struct lab_ctx *c, const struct lab_ns *ns, const struct nl_route *r)
{
	char p[PFX_STRLEN];

	if (nl_route_replace(ns->nl, r) < 0)
		return lab_nlfail(c, ns, "route %s table %u",
		    pfx_fmt(&r->dst, p), r->table);
	return 0;
}

int
lab_default_via(struct lab_ctx *c, const struct lab_ns *ns, int idx,
    uint32_t gw)
{
	struct nl_route r = {
		.table = RT_TABLE_MAIN, .protocol = RTPROT_STATIC,
		.type = NL_RT_UNICAST, .nnh = 1,
	};

	r.nh[0] = (struct nl_nh){ .gw = gw, .ifindex = idx, .weight = 1 };
	return lab_route(c, ns, &r);
}

int
lab_veth_at(struct lab_ctx *c, const struct lab_ns *a, const char *aname,
    int aidx, const struct lab_ns *b, const char *bname, int bidx)
{
	/*
	 * One queue each way on each end, not the kernel's one per CPU: a
	 * lab link carries probes and BGP, and each queue is a kernel object
	 * with its sysfs directory (bench/RESULTS.md, issue 23: per VM).
	 */
	if (nl_veth_create_at(a->nl, aname, a->fd, aidx, bname, b->fd, bidx,
	    1) < 0)
		return lab_fail(c, "create veth %s (%s) <-> %s (%s): %s", aname,
		    a->name, bname, b->name, nl_errmsg(a->nl));
	return 0;
}

int
lab_veth(struct lab_ctx *c, const struct lab_ns *a, const char *aname,
    const struct lab_ns *b, const char *bname)
{
	return lab_veth_at(c, a, aname, 0, b, bname, 0);
}

int
lab_fabric_sysctls(struct lab_ctx *c)
{
	static const char *const set[][2] = {
		{ "net/ipv4/ip_forward", "1" },
		{ "net/ipv4/conf/all/rp_filter", "0" },
		{ "net/ipv4/conf/default/rp_filter", "0" },
		/* The fabric is invisible: it never redirects a guest. */
		{ "net/ipv4/conf/all/send_redirects", "0" },
		{ "net/ipv4/conf/default/send_redirects", "0" },
		/*
		 * Every NIC's fabric end answers ARP for its subnet: set here,
		 * before the links, each link inherits it instead of a write
		 * per link. (proxy_delay has no per-namespace default: set per
		 * link, lab_nic_fabric.)
		 */
		{ "net/ipv4/conf/default/proxy_arp", "1" },
		/*
		 * IPv4 only (RS-26): no IPv6 on thousands of fabric links (each
		 * link-local fe80::/64 on one fib6 leaf made the next link slower).
		 */
		{ "net/ipv6/conf/all/disable_ipv6", "1" },
		{ "net/ipv6/conf/default/disable_ipv6", "1" },
	};
	char b[8];
	size_t i;

	for (i = 0; i < NELEM(set); i++) {
		/* a kernel without IPv6 has none to turn off */
		if (strncmp(set[i][0], "net/ipv6/", 9) == 0 &&
		    netns_sysctl_read(c->fabric.fd, set[i][0], b,
		    sizeof(b)) == -ENOENT)
			continue;
		if (lab_sysctl(c, &c->fabric, set[i][0], set[i][1]) < 0)
			return -1;
	}
	return 0;
}

int
lab_forwarder_sysctls(struct lab_ctx *c, const struct lab_ns *ns)
{
	if (lab_sysctl(c, ns, "net/ipv4/ip_forward", "1") < 0 ||
	    lab_sysctl(c, ns, "net/ipv4/conf/all/rp_filter", "0") < 0 ||
	    lab_sysctl(c, ns, "net/ipv4/conf/default/rp_filter", "0") < 0)
		return -1;
	return 0;
}
