/*
 * nl: rtnetlink over libmnl, one socket bound to one network namespace.
 *
 * Owns: links (veth), addresses, routes, rules. Every request asks for an ACK
 * and checks sequence number and port id; the kernel's extended ACK text is
 * kept for the caller (nl_errmsg). Requests can be batched: between
 * nl_batch_begin() and nl_batch_commit() they are queued and sent in as few
 * sendmsg() calls as fit, and every ACK is checked at commit.
 * In two files: nl.c (socket, queue, links, addresses) and nlroute.c
 * (routes, rules), the only libmnl users.
 * Must not: know about topologies, Azure or BGP.
 */
#ifndef ARSEMU_EMU_NL_H
#define ARSEMU_EMU_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The kernel's names for its numbers (RT_TABLE_MAIN, RT_TABLE_LOCAL,
 * RT_SCOPE_LINK, RT_SCOPE_HOST, RTPROT_STATIC, ...) are the one home of
 * those numbers for every user of nl: no file restates them.
 */
#include <linux/rtnetlink.h>

#include "../lib/pfx.h"

#define NL_MAX_NH	32
#define RTPROT_ARSEMU	222	/* rtm_protocol of every route arsemu installs */

struct nl;

/* Open a rtnetlink socket in the namespace of netns_fd (-1: the current one). */
struct nl *nl_open(int netns_fd);
void	nl_close(struct nl *nl);
/* Text of the last failure: "RTM_NEWROUTE 10.0.0.0/8 table 1001: <extack or strerror>". */
const char *nl_errmsg(const struct nl *nl);

void	nl_batch_begin(struct nl *nl);
/* Returns 0 if every queued request was acknowledged, else -errno of the first failure. */
int	nl_batch_commit(struct nl *nl);

/*
 * Create a veth pair: `name` in the namespace of ns_fd, `peer` in peer_ns_fd,
 * created directly there (never in the caller's namespace). Both down.
 */
int	nl_veth_create(struct nl *nl, const char *name, int ns_fd,
	    const char *peer, int peer_ns_fd);
/*
 * The same with the interface indexes given (0: the kernel picks), to save
 * a lookup each, and `queues` transmit and receive queues on each end (0:
 * the kernel's default, one per possible CPU; each queue is a kernel object
 * with its sysfs directory).
 */
int	nl_veth_create_at(struct nl *nl, const char *name, int ns_fd, int idx,
	    const char *peer, int peer_ns_fd, int peer_idx, unsigned queues);
/* A bridge in this socket's namespace. */
int	nl_bridge_create(struct nl *nl, const char *name);
int	nl_link_set_master(struct nl *nl, int ifindex, int master_ifindex);
/* ifindex in this socket's namespace, or -ENODEV. */
int	nl_link_index(struct nl *nl, const char *name);
int	nl_link_set_up(struct nl *nl, int ifindex);
/* Up without IPv6 addresses (the lab is IPv4 only); plain up without IPv6 in the kernel. */
int	nl_link_set_up_v4(struct nl *nl, int ifindex);
int	nl_link_set_down(struct nl *nl, int ifindex);
int	nl_link_del(struct nl *nl, int ifindex);
/* ARP proxy_delay of one link (its net/ipv4/neigh/IF/proxy_delay). */
int	nl_link_proxy_delay(struct nl *nl, int ifindex, unsigned ms);

int	nl_addr_add(struct nl *nl, int ifindex, uint32_t addr, uint8_t plen);

enum nl_rtype {
	NL_RT_UNICAST,
	NL_RT_THROW,
	NL_RT_BLACKHOLE,
	NL_RT_UNREACHABLE,
	NL_RT_PROHIBIT,
	NL_RT_LOCAL,
};

struct nl_nh {
	uint32_t	gw;		/* 0: directly connected */
	int		ifindex;	/* 0: let the kernel resolve gw */
	bool		onlink;		/* RTNH_F_ONLINK */
	uint8_t		weight;		/* 1.. (rtnh_hops + 1) */
};

struct nl_route {
	uint32_t	table;		/* e.g. RT_TABLE_MAIN */
	struct pfx4	dst;
	enum nl_rtype	type;
	uint8_t		protocol;	/* RTPROT_ARSEMU unless said otherwise */
	uint8_t		scope;		/* RT_SCOPE_UNIVERSE (0), RT_SCOPE_LINK, ... */
	uint32_t	metric;
	struct nl_nh	nh[NL_MAX_NH];
	unsigned	nnh;		/* > 1: multipath (RTA_MULTIPATH) */
};

/* NLM_F_CREATE|NLM_F_REPLACE */
int	nl_route_replace(struct nl *nl, const struct nl_route *r);
int	nl_route_del(struct nl *nl, const struct nl_route *r);
/*
 * Every IPv4 route of `table` (0: all tables) whose protocol is `protocol`
 * (0: any). *out is malloc'd, sorted by dst; free() it.
 */
int	nl_route_dump(struct nl *nl, uint32_t table, uint8_t protocol,
	    struct nl_route **out, size_t *n);

/* ip rule add priority PRIO [iif IIF] lookup TABLE (IPv4). */
int	nl_rule_add(struct nl *nl, uint32_t prio, const char *iif, uint32_t table);
int	nl_rule_del(struct nl *nl, uint32_t prio, const char *iif, uint32_t table);
/* ip rule add|del priority PRIO [iif IIF] [to DST] blackhole */
int	nl_rule_blackhole(struct nl *nl, bool add, uint32_t prio, const char *iif,
	    const struct pfx4 *dst);

/*
 * Any IPv4 rule: ip rule add|del priority PRIO [iif IIF] [from SRC] [to DST]
 * [ipproto P] [sport N] [dport N] lookup TABLE | blackhole. A prefix of
 * length 0, a proto or port of 0 and a NULL iif match anything.
 */
enum nl_rule_action {
	NL_RULE_LOOKUP,		/* FR_ACT_TO_TBL */
	NL_RULE_BLACKHOLE,	/* FR_ACT_BLACKHOLE: dropped silently */
	NL_RULE_GOTO,		/* FR_ACT_GOTO: on at rule `target` */
	NL_RULE_NOP,		/* FR_ACT_NOP: nothing (a goto target) */
};

struct nl_rule {
	uint32_t		 prio;
	const char		*iif;
	struct pfx4		 src, dst;
	uint8_t			 ipproto;
	uint16_t		 sport, dport;
	enum nl_rule_action	 action;
	uint32_t		 table;		/* NL_RULE_LOOKUP */
	uint32_t		 target;	/* NL_RULE_GOTO: a priority */
	/*
	 * Added to a namespace made just now: no NLM_F_EXCL, whose duplicate
	 * check walks every rule (quadratic over thousands of rules).
	 */
	bool			 fresh;
};

int	nl_rule_change(struct nl *nl, bool add, const struct nl_rule *r);

#endif
