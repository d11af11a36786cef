/*
 * nsg: network security groups, the pure half. Which rule of a NIC's
 * effective NSGs a packet meets, in Azure's order (NS-04: inbound the
 * subnet's NSG then the NIC's, outbound the NIC's then the subnet's; the
 * first rule by priority that matches decides in each, NS-01), with the
 * service tags expanded for that NIC (NS-03). The walk, `arsemu nsg` and
 * the lab's nftables rules (emu/nsgnft.c) all read the topology's rule
 * lists through this file.
 *
 * Stateful (NS-06): what is decided here is the first packet of a flow;
 * the replies of an allowed flow pass both NSGs without evaluation (the
 * lab accepts ct state established,related first).
 *
 * Pure: no I/O.
 */
#ifndef ARSEMU_EMU_NSG_H
#define ARSEMU_EMU_NSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../topo/topo.h"

/* What a rule looks at. Ports are TCP and UDP only (0 otherwise). */
struct nsg_pkt {
	uint32_t	src, dst;
	uint8_t		proto;		/* 1, 6, 17 */
	uint16_t	sport, dport;
};

/*
 * A NIC's service tags as prefixes (NS-03): VirtualNetwork, sorted with
 * the prefixes that others contain removed; Internet is every address
 * outside it that is not private (RFC 1918, RFC 6598) and not Azure's
 * 168.63.129.16; AzureLoadBalancer is 168.63.129.16/32.
 */
struct nsg_tags {
	struct pfx4	*vnet;
	size_t		 nvnet;
};

void	nsg_tags_of(const struct topo *t, const struct topo_nic *nic,
	    struct nsg_tags *tg);
void	nsg_tags_free(struct nsg_tags *tg);
/* Whether ip is in the tag (or prefix) a. */
bool	nsg_addr_has(const struct topo_nsg_addr *a, const struct nsg_tags *tg,
	    uint32_t ip);
/*
 * The prefixes a (tag or prefix) stands for at the NIC of tg, as `az
 * network nic list-effective-nsg` expands them: sorted, none inside
 * another; *out malloc'd. Internet is the complement of VirtualNetwork and
 * the private ranges, split into prefixes.
 */
size_t	nsg_addr_expand(const struct topo_nsg_addr *a,
	    const struct nsg_tags *tg, struct pfx4 **out);
/* The private ranges Internet leaves out, i from 0; NULL after the last. */
const struct pfx4 *nsg_private(size_t i);

/*
 * The NSGs that act on nic's traffic in direction d, in Azure's order
 * (NS-04): 0, 1 or 2 of them into out.
 */
size_t	nsg_order(const struct topo_nic *nic, enum topo_nsg_dir d,
	    const struct topo_nsg *out[2]);

/* The first rule of g in direction d that p matches (a default at worst). */
const struct topo_nsg_rule *nsg_first(const struct topo_nsg *g,
	    enum topo_nsg_dir d, const struct nsg_tags *tg,
	    const struct nsg_pkt *p);

struct nsg_verdict {
	bool			 allow;
	/* the NSG and rule that denied it, or the last that allowed it */
	const struct topo_nsg	*nsg;		/* NULL: no NSG on the NIC */
	const struct topo_nsg_rule *rule;
	/* each NSG's rule in order (the IP flow verify answer) */
	const struct topo_nsg	*by[2];
	const struct topo_nsg_rule *rule_by[2];
	size_t			 nby;
};

/* The new flow p at nic in direction d: allowed, and by what (NS-04). */
bool	nsg_check(const struct topo *t, const struct topo_nic *nic,
	    enum topo_nsg_dir d, const struct nsg_pkt *p, struct nsg_verdict *v);

/*
 * A new flow p from NIC `from` to NIC `to` (NULL: outside the VNets, the
 * Internet): outbound at from, then inbound at to (NS-04). false with v
 * the verdict that denied it and *at the NIC where (*inbound: entering).
 */
bool	nsg_flow(const struct topo *t, const struct topo_nic *from,
	    const struct topo_nic *to, const struct nsg_pkt *p,
	    struct nsg_verdict *v, const struct topo_nic **at, bool *inbound);

/*
 * NS-07: whether NICs a and b can open a BGP session: a TCP connection to
 * port 179 from an ephemeral port (NSG_EPHEMERAL_PORT) by a side that
 * connects (a_active: a to b; b_active: b to a; the lab's Route Server
 * waits for its NVAs, ARCHITECTURE.md). false when every such connection is
 * denied: why[0] (a to b) and why[1] (b to a) hold the denials, with at[]
 * and in[] as nsg_flow() gives them; a side that does not connect has
 * why[k].allow true and why[k].nsg NULL.
 */
#define NSG_EPHEMERAL_PORT	32768	/* Linux's first ephemeral port */
#define NSG_BGP_PORT		179
bool	nsg_bgp_open(const struct topo *t, const struct topo_nic *a,
	    bool a_active, const struct topo_nic *b, bool b_active,
	    struct nsg_verdict why[2], const struct topo_nic *at[2], bool in[2]);

/*
 * NS-07: whether the NSGs keep the BGP session of nodes a and b (both with
 * a NIC) from coming up: nsg_bgp_open() with a Route Server instance
 * waiting for its peers and every other speaker connecting. If so, and
 * why is not NULL, "NSG nsg-fw, rule deny-bgp-out denies fw -> 10.1.1.4:179
 * (Outbound, ...)" for each denied connection, joined by "; ".
 */
bool	nsg_session_blocked(const struct topo *t, const struct topo_node *a,
	    const struct topo_node *b, char *why, size_t len);

/*
 * NS-07 as a warning (validate, up, diff): each NVA whose NSGs keep its
 * sessions with a Route Server from coming up, named at the NVA.
 */
void	nsg_lint(struct topo *t);

/*
 * reach's services (NS-01): whether a rule of t for proto (or "*") holds
 * port in a destination range other than "*"; and the ports those ranges
 * tell apart, each range's first port and the one after its end where
 * another range holds it (*out malloc'd, repeats possible).
 */
bool	nsg_dport_named(const struct topo *t, enum topo_filter_proto proto,
	    unsigned port);
size_t	nsg_dports(const struct topo *t, enum topo_filter_proto proto,
	    uint16_t **out);

/* Whether the NIC has an NSG at all (its own or its subnet's). */
bool	nsg_nic_has(const struct topo_nic *nic);

/*
 * "denied by NSG nsg-a, rule deny-bgp (Inbound, on subnet hub/nva of
 * nva1)" into buf.
 */
const char *nsg_verdict_str(const struct nsg_verdict *v,
	    const struct topo_nic *nic, enum topo_nsg_dir d, char *buf,
	    size_t len);

#endif
