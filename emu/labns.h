/*
 * labns: the primitives lab.c builds a lab with (lab.c's own, not an API):
 * the build's context, its namespaces, and one step each to make a
 * namespace, a veth, an address, a route or a sysctl inside one. Every
 * step that fails records the first error in the context's lab_err (with
 * the namespace and the kernel's words) and returns -1.
 *
 * Owns: nothing beyond the call; the namespaces are the context's.
 * Must not: touch the host namespace; call back into lab.c.
 */
#ifndef ARSEMU_EMU_LABNS_H
#define ARSEMU_EMU_LABNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lab.h"
#include "labstate.h"
#include "nl.h"
#include "model/share.h"

#define LAB_NS_NAME_MAX		96

struct lab_ns {
	char		 name[LAB_NS_NAME_MAX];
	int		 fd;
	struct nl	*nl;
};

struct lab_ctx {
	const struct topo	*t;
	struct labstate		 st;
	struct lab_ns		 fabric;
	struct lab_ns		 inet;		/* the Internet edge */
	struct lab_ns		*nodes;		/* parallel to t->nodes */
	struct share_layout	 share;		/* which tables NICs look up */
	size_t			*nic_node;	/* NIC index -> its node's index */
	struct lab_err		*err;
};

/* Record the first error (printf) in c->err; returns -1. */
__attribute__((format(printf, 2, 3)))
int	lab_fail(struct lab_ctx *c, const char *fmt, ...);
/* A netlink step failed: the step and object, then the kernel's words. */
__attribute__((format(printf, 3, 4)))
int	lab_nlfail(struct lab_ctx *c, const struct lab_ns *ns,
	    const char *fmt, ...);
/* The namespace of topology node n (dies if n is not in the topology). */
struct lab_ns *lab_node(struct lab_ctx *c, const struct topo_node *n);
int	lab_sysctl(struct lab_ctx *c, const struct lab_ns *ns, const char *path,
	    const char *value);
int	lab_if_sysctl(struct lab_ctx *c, const struct lab_ns *ns,
	    const char *ifname, const char *key, const char *value);
/* Bring lo up: a new namespace's loopback is always its link 1. */
int	lab_lo_up(struct lab_ctx *c, const struct lab_ns *ns);
/*
 * Record in the state file, then create node's namespace (a forwarder gets
 * IP forwarding and no rp_filter from birth); with lo, bring lo up too.
 */
int	lab_ns_make(struct lab_ctx *c, struct lab_ns *ns, const char *node,
	    bool forwarder, bool lo);
int	lab_ifindex(struct lab_ctx *c, const struct lab_ns *ns,
	    const char *ifname);
/* Address (none when addr is 0), then up. */
int	lab_if_up(struct lab_ctx *c, const struct lab_ns *ns, int idx,
	    const char *ifname, uint32_t addr, uint8_t plen);
int	lab_route(struct lab_ctx *c, const struct lab_ns *ns,
	    const struct nl_route *r);
/* A default route via gw on link idx (RTPROT_STATIC). */
int	lab_default_via(struct lab_ctx *c, const struct lab_ns *ns, int idx,
	    uint32_t gw);
/* A veth a:aname <-> b:bname, made in both namespaces (indexes, 0: any). */
int	lab_veth_at(struct lab_ctx *c, const struct lab_ns *a,
	    const char *aname, int aidx, const struct lab_ns *b,
	    const char *bname, int bidx);
int	lab_veth(struct lab_ctx *c, const struct lab_ns *a, const char *aname,
	    const struct lab_ns *b, const char *bname);
/* The fabric's forwarding, proxy ARP and IPv6-off sysctls. */
int	lab_fabric_sysctls(struct lab_ctx *c);
int	lab_forwarder_sysctls(struct lab_ctx *c, const struct lab_ns *ns);

#endif
