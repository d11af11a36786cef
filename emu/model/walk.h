/*
 * walk: packet walks. walk_predict() follows a packet through the model
 * (each NIC's effective routes in the fabric, each NVA's and site router's
 * forwarding) and says at every hop which route matched and why it won;
 * walk_observe() sends real probes through the lab and reports which nodes
 * forwarded them and whether they arrived. The CLI compares the two.
 *
 * The fabric is invisible in a walk, as in Azure: hops are nodes (VMs,
 * NVAs, site routers and hosts, the Internet edge), never the fabric.
 */
#ifndef ARSEMU_EMU_WALK_H
#define ARSEMU_EMU_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../topo/topo.h"
#include "sdn.h"

/*
 * What `walk SRC internet`, `reach` and `graph` walk to for "the Internet":
 * 198.51.100.1, a public test address (RFC 5737); and the destination port
 * of a UDP walk when none is given (traceroute's).
 */
#define WALK_INTERNET_IP	0xc6336401u
#define WALK_INTERNET_STR	"198.51.100.1"
#define WALK_PORT_DEFAULT	33434
/*
 * The source port of flow f of `arsemu walk` is WALK_SPORT_BASE + f; reach
 * and check walk flow 0's, so that a load balancer (LB-06) picks for them
 * the backend `arsemu walk` shows, and NSG rules on source ports see it.
 */
#define WALK_SPORT_BASE		40000
#define WALK_MAX_HOPS	32

enum walk_outcome {
	WALK_DELIVERED,
	WALK_NO_ROUTE,		/* no route, or an address no NIC or host owns */
	WALK_BLACKHOLED,	/* a None route */
	WALK_LOOP,
	WALK_FAILED_PEER,	/* forwarded to a node that is failed (frozen, link) */
	WALK_NOT_FORWARDED,	/* reached a VM or host that does not forward */
	WALK_DENIED,		/* an NVA's filter denied it (policy.h) */
	WALK_PEERING_REFUSED,	/* forwarded into a spoke without allowForwardedTraffic */
	WALK_NSG_DENIED,	/* a network security group denied it (nsg.h) */
};
#define WALK_OUTCOME_LAST	WALK_NSG_DENIED

enum walk_proto { WALK_ICMP, WALK_UDP, WALK_TCP };

/*
 * What is walked: addresses, protocol, destination port (UDP, TCP), and
 * the source port, which a load balancer's hash and NSG rules read.
 * reply: the packet answers the flow from dst to src (ports swapped), so
 * a load balancer takes it to the backend that flow took (LB-06).
 */
struct walk_pkt {
	uint32_t	 src, dst;
	enum walk_proto	 proto;
	uint16_t	 port;
	uint16_t	 sport;		/* 0: WALK_SPORT_BASE + flow */
	bool		 reply;
};

struct walk_hop {
	const struct topo_node	*node;		/* NULL: the Internet edge */
	char			 how[224];	/* the route that took it here, and why */
	bool			 ecmp;
	uint32_t		 members[SDN_MAX_NH];	/* ECMP next hops at this hop */
	unsigned		 nmembers;
	/* the internal load balancer the packet left this hop through (LB-06) */
	const struct topo_lb	*lb;
	const struct topo_node	*backend;	/* the backend it chose */
	/* the NIC the fabric handed the packet to this node by; NULL: none */
	const struct topo_nic	*in;
};

struct walk {
	struct walk_hop		 hop[WALK_MAX_HOPS];
	size_t			 n;
	enum walk_outcome	 outcome;
	char			 detail[224];
	size_t			 loop_from;	/* WALK_LOOP: first repeated hop */
	const struct topo_filter *rule;		/* WALK_DENIED: the rule */
	const struct topo_vnet	*refused_by;	/* WALK_PEERING_REFUSED: the spoke */
	/* WALK_NSG_DENIED: the NSG and its rule, at which NIC, which way */
	const struct topo_nsg	*nsg;
	const struct topo_nsg_rule *nsg_rule;
	const struct topo_nic	*nsg_nic;
	bool			 nsg_inbound;
	bool			 dropped_at_last; /* the last node had no route itself */
	/* walk_predict's own: the NIC the step just taken enters by */
	const struct topo_nic	*next_in;
};

struct walk_env {
	const struct topo	*t;
	/* the effective routes of a NIC (NULL: unknown, treated as no route) */
	const struct sdn_table	*(*table)(void *arg, const struct topo_nic *nic);
	/* whether a node's data plane is failed (freeze, link) */
	bool			(*failed)(void *arg, const struct topo_node *n);
	/* pick an ECMP member for this flow; NULL: flow % n */
	unsigned		(*choose)(void *arg, const struct topo_node *at,
				    const uint32_t *members, unsigned n, unsigned flow);
	void			*arg;
	/*
	 * What the Route Servers hold (plan_run()'s sdn_input), for what they
	 * pass the gateways with branch-to-branch; NULL: the NVAs' own
	 * prefixes only.
	 */
	const struct sdn_input	*bgp;
	/*
	 * Whether backend i of a load balancer is in rotation (its health
	 * probes answer, LB-05); NULL: every backend is.
	 */
	bool			(*lb_healthy)(void *arg, const struct topo_lb *lb,
				    size_t i);
};

void	walk_predict(const struct walk_env *e, const struct topo_node *src,
	    const struct walk_pkt *pkt, unsigned flow, struct walk *w);
const char *walk_outcome_str(enum walk_outcome o);
const char *walk_proto_str(enum walk_proto p);
/* The node that owns an address (a NIC or a site host), or NULL. */
const struct topo_node *walk_owner(const struct topo *t, uint32_t ip);
/*
 * An endpoint as `arsemu walk SRC DST` takes it: a node's name, an
 * address, or (a destination only) "internet", WALK_INTERNET_IP, or an
 * NVA's extra NIC by name ("fw/untrusted": its address). *n: the
 * node (NULL: an address no node owns, in a site's prefix or public).
 * -1 with err naming what is wrong.
 */
int	walk_endpoint(const struct topo *t, const char *s,
	    const struct topo_node **n, uint32_t *ip, bool is_src, char *err,
	    size_t len);
/* The address of a node (NIC or site host), 0 for a site router. */
uint32_t walk_node_ip(const struct topo_node *n);

/* Observed: probes through the running lab (root). */
struct walk_obs {
	const struct topo_node	*forwarded[WALK_MAX_HOPS];	/* transit nodes seen */
	size_t			 nforwarded;
	/* not delivered: nodes that received the probes and forwarded none */
	const struct topo_node	*stopped[WALK_MAX_HOPS];
	size_t			 nstopped;
	bool			 delivered;
	unsigned		 sent;
};

/*
 * Send `count` probes from src to pkt->dst (UDP from source port sport,
 * ICMP echo with that id, or TCP SYNs from sport) and read every transit
 * node's and the destination's counters before and after. -1 with err set
 * if it could not be done.
 */
int	walk_observe(const char *lab, const struct topo *t,
	    const struct topo_node *src, const struct walk_pkt *pkt,
	    uint16_t sport, unsigned count, struct walk_obs *o,
	    char *err, size_t len);

/* The node's Ip ForwDatagrams counter now; -1 if it cannot be read. */
int	walk_forwarded(const char *lab, const char *node, unsigned long long *forw);

#endif
