/*
 * bgp: the public face of arsemu's BGP-4 speaker, for the processes that run
 * one (route-server instances and built-in NVAs).
 *
 * A speaker is configured with struct bgp_conf and runs one poll loop until
 * SIGTERM/SIGINT. It reaches the kernel only through struct bgp_fib_ops
 * (netlink in emu/, a recording fake in tests, or nothing), and answers a
 * line-based control socket (bgp/ctl.c) for the CLI and the lab daemon.
 * Must not: know about namespaces, topologies or Azure beyond the role flags.
 */
#ifndef ARSEMU_BGP_H
#define ARSEMU_BGP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/pfx.h"
#include "msg.h"

#define BGP_NAME_MAX	64
#define BGP_MAX_PEERS	64
#define BGP_MAX_ECMP	32
#define BGP_RS_ASN	65515
/*
 * The most a peer's output queue (bytes written for it and not yet taken
 * by its socket) may hold. A peer that lets it fill is closed with Cease /
 * Out of Resources (RFC 4486 3, subcode 8) and the queue is freed; other
 * peers are not touched. A full table at the Route Server's limits (RS-41:
 * 10,000 prefixes, topo/topo.h) in the worst packing, one UPDATE per prefix
 * (five-hop paths, two communities), is 0.78 MB on the wire (test_outq):
 * 8 MiB holds it ten times, and twice even at 400 bytes a prefix (paths of
 * some 90 hops).
 */
#define BGP_OUTQ_MAX	(8u * 1024 * 1024)

enum bgp_role {
	BGP_ROLE_ROUTER,	/* an ordinary eBGP speaker: the built-in NVA */
	BGP_ROLE_RS,		/* Azure Route Server instance */
};

/* Communities added to one prefix sent to a peer (GW-08). */
struct bgp_tag {
	struct pfx4	pfx;
	uint32_t	comm[2];
	unsigned	ncomm;
};

struct bgp_peer_conf {
	char		name[BGP_NAME_MAX];	/* peering name (CLI-02: -n) */
	uint32_t	addr;
	uint32_t	asn;
	bool		passive;	/* never connect, only accept */
	unsigned	route_limit;	/* 0: none; RS-40 */
	unsigned	prepend;	/* extra copies of our ASN towards this peer */
	uint16_t	port;		/* 0: 179 (tests use others) */
	char		md5[80];	/* RFC 2385 key; "" for none */
	uint8_t		kind;		/* what the peer is: enum bgp_src (hubpref.h) */
	uint8_t		ttl_hops;	/* RFC 5082 GTSM: accept TTL >= 256 - hops; 0 off */
	uint16_t	hold;		/* proposed to this peer; 0: the speaker's */
	uint16_t	keepalive;	/* 0: the speaker's */
	/* never send this peer a route whose AS path holds the peer's AS */
	bool		sender_loop;
	/*
	 * Take from this peer a path holding our own AS (once): an
	 * ExpressRoute gateway's allowRemoteVnetTraffic, other VNets' routes
	 * from the MSEE of a circuit they share.
	 */
	bool		allowas_in;
	/*
	 * Peers of one group (non-zero) get nothing learned from another
	 * member: an MSEE's split horizon between the instances of one
	 * gateway, which would otherwise be offered each other's routes.
	 */
	uint16_t	group;
	/*
	 * Every 65515 (a Route Server's ASN) in what we send this peer becomes
	 * our own ASN first: "as-override" (RS-20, RS-52, PE-06). An overlay
	 * peer (kind OVERLAY) always gets it.
	 */
	bool		as_override;
	/*
	 * Router role: a path from a peer of higher weight wins before
	 * anything else BGP compares (GW-09: an ExpressRoute gateway's
	 * connection weight between its circuits). 0 by default.
	 */
	uint16_t	weight;
	/*
	 * BFD (RFC 5880/5881 single hop, bgp/bfd.h): bfd_mult 0 is off; else
	 * the session runs at bfd_interval_ms (transmit and receive) with that
	 * Detect Mult, and its going Down from Up closes the BGP session.
	 */
	uint16_t	bfd_interval_ms;
	uint8_t		bfd_mult;
	/*
	 * GW-08: what an MSEE adds to Azure's prefixes towards the site (sorted
	 * by prefix; the conf's builder owns them), and that it honours none
	 * of the communities the site sets (NO_EXPORT, NO_ADVERTISE included).
	 */
	const struct bgp_tag *tags;
	size_t		ntags;
	bool		comm_ignored;
};

#define BGP_BFD_INTERVAL_MIN	10	/* ms; below, the poll loop's resolution */
#define BGP_BFD_INTERVAL_MAX	60000

/*
 * The kernel seam. change() is called once per prefix whose best paths
 * changed (nnh == 0: withdrawn); flush() after each batch of changes.
 */
struct bgp_fib_ops {
	void	(*change)(void *arg, const struct pfx4 *p, const uint32_t *nh,
		    unsigned nnh, unsigned aspath_hops);
	void	(*flush)(void *arg);
	void	*arg;
};

/*
 * The policy of one originated route, on top of the speaker's prepend and
 * orig_comm (an NVA's "advertise" entry written as an object).
 */
struct bgp_orig_pol {
	unsigned	 prepend;	/* more copies of our ASN */
	bool		 has_med;
	uint32_t	 med;
	const uint32_t	*comm;		/* added to orig_comm */
	size_t		 ncomm;
};

struct bgp_conf {
	enum bgp_role	role;
	uint32_t	asn;
	uint32_t	bgp_id;
	uint32_t	local_addr;	/* bind and source address */
	uint16_t	port;		/* listening port; 0: 179 */
	unsigned	hold;		/* proposed hold time, s (0 or >= 3) */
	unsigned	keepalive;	/* s */
	unsigned	connect_retry;	/* s */
	struct bgp_peer_conf peers[BGP_MAX_PEERS];
	unsigned	npeers;
	/* routes this speaker originates */
	struct pfx4	*originate;
	size_t		noriginate;
	unsigned	prepend;	/* extra copies of our ASN on originated routes */
	uint32_t	orig_nexthop;	/* 0: local_addr */
	uint32_t	*orig_comm;
	size_t		norig_comm;
	/* NULL, or one per originate[], which is then sorted by pfx_qcmp */
	const struct bgp_orig_pol *orig_pol;
	/* ECMP width for the FIB; 1 disables multipath */
	unsigned	max_paths;
	char		ctl_path[108];	/* unix socket; "" for none */
	char		name[BGP_NAME_MAX];	/* for logs */
	const struct bgp_fib_ops *fib;
	int		log_fd;		/* -1: stderr */
	bool		log_json;	/* one JSON object per log line */
	/* RS role with gateways: RS-12, RS-13 and RS-31 (hubpref.h) */
	bool		branch_to_branch;
	uint8_t		hub_pref;	/* enum az_hub_pref */
	/* router role: originate only, never pass a learned route on (a server) */
	bool		no_transit;
	/* output queue cap per peer; 0: BGP_OUTQ_MAX (tests set less) */
	size_t		outq_max;
};

/* RFC 8203 text sent with Cease / Administrative Shutdown on SIGTERM. */
#define BGP_SHUTDOWN_TEXT	"arsemu: shutting down"

void	bgp_conf_init(struct bgp_conf *c);
/* The policy c has for originating p; NULL: none of its own. */
const struct bgp_orig_pol *bgp_conf_orig_pol(const struct bgp_conf *c,
	    const struct pfx4 *p);
/* Run the speaker until SIGTERM or SIGINT. Returns 0, or -1 if it could not start. */
int	bgp_speaker_run(const struct bgp_conf *c);

#endif
