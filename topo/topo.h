/*
 * topo: the topology model. Parses a topology file (cJSON stays inside this
 * module), validates it, and assigns addresses the way Azure does.
 *
 * Pure: no I/O but reading the file, no logging. Every error carries the JSON
 * path of the offending value (e.g. "regions[0].hub.nvas[1].asn") and, where
 * the parser knows it, the line and column. On error nothing is returned.
 *
 * Everything below is owned by struct topo and freed by topo_free(); the
 * pointers between objects stay valid for the life of the topo.
 */
#ifndef ARSEMU_TOPO_H
#define ARSEMU_TOPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/azure.h"
#include "../lib/pfx.h"

#define TOPO_NAME_MAX		32	/* lab and node names */
/* Azure's numbers are lib/azure.h's; topo's names for them: */
#define TOPO_RS_ASN		AZ_ASN			/* RS-01 */
#define TOPO_RS_MAX_PEERS	AZ_RS_MAX_PEERS		/* RS-07 */
#define TOPO_RS_MAX_VNETS	AZ_RS_MAX_VNETS		/* RS-41 */
#define TOPO_RS_MAX_PREFIXES	AZ_RS_MAX_PREFIXES	/* RS-41 */
#define TOPO_RS_UNITS_MIN	AZ_RS_UNITS_MIN
#define TOPO_RS_UNITS_MAX	AZ_RS_UNITS_MAX
#define TOPO_RS_VMS(units)	AZ_RS_VMS(units)
#define TOPO_RS_ROUTE_LIMIT	AZ_RS_ROUTE_LIMIT	/* RS-40, D-02 */
#define TOPO_UDR_MAX		AZ_UDR_MAX		/* VR-12 */
/*
 * Nodes in one topology (Route Server and gateway instances, NVAs, VMs,
 * MSEEs, site routers and hosts), so that validate and plan stay fast
 * (bench/validate-bench.sh). Above Azure's own scale: 65,536 NICs per
 * region and subscription, 50,000 VMs for a Route Server at 48 routing
 * infrastructure units (RS-41). A lab that runs holds fewer (emu/lab.h).
 */
#define TOPO_NODES_MAX		131072

enum topo_node_kind {
	TOPO_RS,		/* one Route Server instance */
	TOPO_NVA,
	TOPO_VM,
	TOPO_SITE_ROUTER,	/* an on-premises site's edge router */
	TOPO_SITE_HOST,		/* a host behind a site's router */
	TOPO_GW,		/* one instance of a VPN or ExpressRoute gateway */
	TOPO_MSEE,		/* the Microsoft edge of an ExpressRoute circuit */
};

enum topo_gw_type {
	TOPO_GW_EXPRESSROUTE,
	TOPO_GW_VPN,
};

#define TOPO_GW_ASN	AZ_ASN		/* GW-01, RS-50 */
#define TOPO_MSEE_ASN	AZ_MSEE_ASN	/* GW-01 */
#define TOPO_VPN_ROUTE_LIMIT AZ_VPN_ROUTE_LIMIT	/* GW-05 */
#define TOPO_ER_ROUTE_LIMIT	AZ_ER_ROUTE_LIMIT	/* GW-07 */
#define TOPO_ER_PREMIUM_ROUTE_LIMIT AZ_ER_PREMIUM_ROUTE_LIMIT

/* VR-08: the next hop types a user-defined route may name. */
enum topo_udr_type {
	TOPO_UDR_VIRTUALAPPLIANCE,
	TOPO_UDR_VNG,			/* VirtualNetworkGateway */
	TOPO_UDR_VNETLOCAL,
	TOPO_UDR_INTERNET,
	TOPO_UDR_NONE,
};

struct topo_vnet;
struct topo_node;
struct topo_gw;
struct topo_site;
struct topo_route_table;
struct topo_peering;

struct topo_region {
	char			*name;
	struct topo_vnet	*hub;		/* NULL if the region has none */
	/* GW-08: its regional community on ExpressRoute private peering, 0 if unknown */
	uint32_t		 community;
};

struct topo_subnet {
	char			*name;
	struct pfx4		 pfx;
	struct topo_vnet	*vnet;
	struct topo_route_table	*rt;		/* its route table, or NULL */
	struct topo_nsg		*nsg;		/* its NSG, or NULL */
};

/* One user-defined route (UDR) of a route table. */
struct topo_udr {
	char			*name;
	struct pfx4		 pfx;
	enum topo_udr_type	 type;
	uint32_t		 nh_ip;		/* VirtualAppliance only, else 0 */
};

/* A route table and the subnets it is associated with (at most one each). */
struct topo_route_table {
	char			*name;
	char			*jpath;		/* "route_tables[0]" */
	bool			 disable_bgp;	/* disableBgpRoutePropagation (VR-07) */
	struct topo_udr		*routes;
	size_t			 nroutes;
	struct topo_subnet	**subnets;
	size_t			 nsubnets;
};

struct topo_vnet {
	char			*name;
	bool			 hub;
	struct topo_region	*region;
	struct pfx4		*space;		/* address_space */
	size_t			 nspace;
	struct topo_subnet	**subnets;
	size_t			 nsubnets;
	struct topo_rs		*rs;		/* its Route Server (hub, or spoke: PE-06) */
	/* hub side of its spoke peerings */
	bool			 allow_gateway_transit;	/* default true */
	struct topo_vnet	**spokes;
	size_t			 nspokes;
	/* spoke side: the peering to its region's hub (NULL: not peered) */
	struct topo_vnet	*peer_hub;
	bool			 use_remote_gateways;	/* default false, as in Azure */
	bool			 allow_forwarded_traffic; /* default true */
	/* GW-08: bgpCommunities.virtualNetworkCommunity, 12076:20000-49999; 0 none */
	uint32_t		 bgp_community;
	char			*jpath;		/* "regions[0].hub", for messages */
	struct topo_gw		**gws;		/* hub: its gateways, file order */
	size_t			 ngws;
	struct topo_vnet	**hub_peers;	/* hub: hubs peered with it (both ways) */
	size_t			 nhub_peers;
	/*
	 * A spoke peered with further hubs ("peerings", PE-06: dual-homed),
	 * beyond its region's hub: never with gateway transit (PE-03, one
	 * such peering at most: peer_hub's or a spoke-to-spoke one).
	 * xspokes: the hub side.
	 */
	struct topo_vnet	**xhubs;
	size_t			 nxhubs;
	struct topo_vnet	**xspokes;
	size_t			 nxspokes;
	/* spoke-to-spoke peerings (both sides list the same struct) */
	struct topo_peering	**vpeers;
	size_t			 nvpeers;
	/* VR-15: topo_vnet_summarised()'s prefixes, made once (topo_summaries) */
	struct pfx4		*summarised;
	size_t			 nsummarised;
	struct topo_lb		**lbs;		/* its internal load balancers */
	size_t			 nlbs;
};

/*
 * A peering between two spokes ("peerings" of a spoke naming another
 * spoke): routes both ways (VR-03), nothing further (PE-01). Each side's
 * flags are its own peering link's, set where that side lists the other
 * (an object entry), Azure's defaults otherwise. use_remote_gateways on
 * one side with allow_gateway_transit on the other makes the other
 * spoke's Route Server serve this one (PE-03, topo_remote_gateway_vnet);
 * allow_forwarded_traffic false refuses what a spoke's NVA (PE-08)
 * forwards over it (emu/model/policy.c).
 */
struct topo_peering {
	struct topo_vnet	*vnet[2];
	char			*jpath[2];	/* side i's entry; NULL: not listed */
	bool			 allow_forwarded_traffic[2];	/* default true */
	bool			 allow_gateway_transit[2];	/* default false */
	bool			 use_remote_gateways[2];	/* default false */
};

/*
 * A NIC plugged into the fabric: one veth, one effective route table.
 * Every VM, NVA and Route Server or gateway instance has its primary NIC
 * (node->nic, named as the node); an NVA may have more (NV-01, "nics"),
 * named "<nva>/<name>", each in its own subnet of the NVA's VNet.
 */
#define TOPO_NVA_NICS_MAX	4	/* ours, primary included: eth0..eth3 */

struct topo_nic {
	char			*name;		/* the node's, or "<nva>/<name>" */
	char			*jpath;		/* the node's, or "...nics[k]" */
	struct topo_node	*node;
	struct topo_subnet	*subnet;
	uint32_t		 ip;		/* given, or the next free from .4 up */
	unsigned		 idx;		/* 0..nnics-1, stable for a topology */
	unsigned		 slot;		/* node->nics[slot] == this: eth<slot> */
	bool			 ip_forwarding;	/* NVAs */
	bool			 ip_given;	/* the file set "ip" */
	struct topo_nsg		*nsg;		/* the NIC's own NSG, or NULL */
	/*
	 * NV-03: what the guest routes out of this NIC besides its subnet
	 * (an extra NIC's "routes", via its subnet's .1); the primary's
	 * default route is implied, never listed.
	 */
	struct pfx4		*routes;
	size_t			 nroutes;
};

struct topo_rs {
	struct topo_vnet	*vnet;		/* a hub, or a spoke (PE-06) */
	uint32_t		 ip[2];		/* .4 and .5 of RouteServerSubnet (RS-02) */
	struct topo_node	*inst[2];	/* nodes "<hub>-rs0", "<hub>-rs1" */
	bool			 branch_to_branch;	/* default false */
	enum az_hub_pref	 pref;			/* default ExpressRoute */
	unsigned		 route_limit;		/* per peer, default 4000 */
	unsigned		 max_peers;		/* default 8 */
	unsigned		 routing_units;		/* RS-41: 2 (default) to 48 */
};

/*
 * One rule of an NVA's forwarding filter (a firewall policy): transit
 * packets that match are dropped (deny) or forwarded (allow); the first
 * matching rule decides, and a packet that matches none is forwarded.
 */
enum topo_filter_proto {
	TOPO_PROTO_ANY = 0, TOPO_PROTO_ICMP = 1, TOPO_PROTO_TCP = 6,
	TOPO_PROTO_UDP = 17
};

struct topo_filter {
	bool			 deny;
	struct pfx4		 src, dst;	/* 0.0.0.0/0 when not given */
	enum topo_filter_proto	 proto;
	uint16_t		 port;		/* destination port; 0: any (TCP/UDP only) */
	char			*jpath;
};

/*
 * A network security group (NS-01): rules of both directions, Azure's
 * default rules (NS-02) included, sorted by direction (inbound first) and
 * priority; the subnets and NICs (of VMs and NVAs) it is associated with.
 */
enum topo_nsg_dir { TOPO_NSG_IN, TOPO_NSG_OUT };

enum topo_nsg_akind {
	TOPO_NSG_PFX,		/* an address or CIDR prefix */
	TOPO_NSG_ANY,		/* "*" */
	TOPO_NSG_VNET,		/* service tag VirtualNetwork (NS-03) */
	TOPO_NSG_INTERNET,	/* service tag Internet */
	TOPO_NSG_ALB,		/* service tag AzureLoadBalancer */
};

struct topo_nsg_addr {
	enum topo_nsg_akind	 kind;
	struct pfx4		 pfx;		/* TOPO_NSG_PFX */
};

struct topo_nsg_ports {
	uint16_t		 lo, hi;	/* "*" is 0-65535 */
};

struct topo_nsg_rule {
	char			*name;
	char			*jpath;		/* NULL for a default rule */
	unsigned		 priority;
	enum topo_nsg_dir	 dir;
	bool			 allow;
	enum topo_filter_proto	 proto;		/* TOPO_PROTO_ANY: "*" */
	struct topo_nsg_addr	*src, *dst;
	size_t			 nsrc, ndst;
	struct topo_nsg_ports	*sport, *dport;
	size_t			 nsport, ndport;
};

struct topo_nsg {
	char			*name;
	char			*jpath;		/* "network_security_groups[0]" */
	struct topo_nsg_rule	*rules;
	size_t			 nrules;
	struct topo_subnet	**subnets;
	size_t			 nsubnets;
	struct topo_nic		**nics;
	size_t			 nnics;
};

/*
 * Who speaks BGP for an NVA: the built-in speaker, or a real FRR (bgpd and
 * zebra) or BIRD started in its namespace (emu/nvad.c), with the user's
 * config file or one rendered from the topology.
 */
enum topo_nvad {
	TOPO_NVAD_BUILTIN,
	TOPO_NVAD_FRR,
	TOPO_NVAD_BIRD,
};

/*
 * Policy of one advertised prefix (an "advertise" entry written as an
 * object): on top of the NVA's own prepend and communities.
 */
struct topo_advpol {
	unsigned		 prepend;	/* more copies of the NVA's ASN */
	bool			 has_med;
	uint32_t		 med;		/* MULTI_EXIT_DISC it sends */
	uint32_t		*comm;		/* added to the NVA's communities */
	size_t			 ncomm;
};

struct topo_nva {
	struct topo_node	*node;
	/*
	 * "bgp": false: a firewall that speaks no BGP (the Azure Firewall
	 * pattern; the default in AzureFirewallSubnet): no speaker, no Route
	 * Server peer slot (RS-55), reached by route tables only; it forwards
	 * and filters as any NVA. Its asn is 0 and it advertises nothing.
	 */
	bool			 bgp;
	uint32_t		 asn;
	struct pfx4		*advertise;
	size_t			 nadvertise;
	/* NULL when every entry is a bare prefix; else one per advertise[] */
	struct topo_advpol	*advpol;
	unsigned		 prepend;	/* extra copies of its ASN on every route */
	uint32_t		 next_hop;	/* NEXT_HOP it sends; 0 = its own IP (RS-23) */
	uint32_t		*communities;	/* attached to every route it originates */
	size_t			 ncommunities;
	bool			 peer_rs[2];	/* which RS instances it peers with (RS-04) */
	/*
	 * RS-08, PE-06: Route Servers of directly peered VNets it also peers
	 * with ("route_servers"), both instances each; as_override: 65515
	 * becomes its ASN on what it sends any Route Server (RS-20).
	 */
	struct topo_rs		**xrs;
	size_t			 nxrs;
	bool			 as_override;
	char			*md5;		/* RFC 2385 key of its RS sessions; NULL: none */
	/* sends the RS no route whose AS path holds 65515 (RS-40, RS-20) */
	bool			 sender_loop;
	struct topo_filter	*filters;	/* what it forwards, first match wins */
	size_t			 nfilters;
	enum topo_nvad		 daemon;	/* "daemon": {"type": ...} */
	/*
	 * "daemon": {"config": ...}: as written (relative to the topology
	 * file, never climbing out of its directory, or absolute), and the
	 * file it names, absolute, once topo_load_file() found it; both
	 * NULL: arsemu renders the config.
	 */
	char			*daemon_config;
	char			*daemon_config_path;
};

/* A point-to-point link between a site's router and an NVA. */
struct topo_sitelink {
	struct topo_site	*site;
	struct topo_nva		*nva;
	unsigned		 idx;		/* 0..nsitelinks-1 */
	uint32_t		 nva_ip;	/* 169.254.<idx/64>.<(idx%64)*4+1>/30 */
	uint32_t		 site_ip;	/* ... +2 */
};

/*
 * A gateway's connection to a site: the ExpressRoute circuit (always BGP,
 * through the circuit's MSEE) or one VPN tunnel per gateway instance.
 */
struct topo_gwconn {
	struct topo_gw		*gw;
	struct topo_site	*site;
	char			*site_name;	/* as the file names it */
	char			*jpath;
	unsigned		 weight;	/* ER connection weight (GW-09) */
	bool			 bgp;		/* VPN: false = static prefixes */
	unsigned		 prepend;	/* VPN: the site's extra prepends on it */
	bool			 bfd;		/* ER: the site's edge runs BFD (GW-10) */
	bool			 premium;	/* ER: a Premium circuit (GW-07) */
	/*
	 * ER: the circuit's name when gateways share it ("name"): one MSEE,
	 * "<name>-msee", with one link to the site's edge, made with the
	 * first connection; NULL: the gateway's own circuit.
	 */
	char			*circuit;
	struct topo_node	*msee;		/* ER: this circuit's MSEE */
};

/*
 * A point-to-point /30 outside the fabric: gateway instance <-> MSEE,
 * MSEE <-> site edge, a VPN tunnel (gateway instance <-> site edge), or an
 * overlay between two NVAs (the tunnel RS-52 asks for between regions).
 * Both ends are named "l<idx>" in their namespaces.
 */
struct topo_gwlink {
	unsigned		 idx;
	struct topo_node	*a, *b;		/* a: the Azure side */
	uint32_t		 a_ip, b_ip;	/* 169.254.21.0/23 (GW-03) */
	struct topo_gwconn	*conn;		/* NULL: an NVA overlay */
	bool			 bgp;		/* carries a BGP session */
	bool			 as_override;	/* overlay: 65515 overridden (RS-20) */
};

struct topo_gw {
	char			*name;
	char			*jpath;
	enum topo_gw_type	 type;
	struct topo_vnet	*vnet;		/* its hub */
	struct topo_node	*inst[2];	/* "<hub>-<name>0", "<hub>-<name>1" */
	unsigned		 ninst;		/* 2 (VPN active-standby: 1) */
	/*
	 * ER: the first circuit's MSEE, "<hub>-<name>-msee"; circuit k's
	 * (k >= 1) is "<hub>-<name>-msee<k+1>", in its conn's msee.
	 */
	struct topo_node	*msee;
	struct topo_gwconn	**conns;
	size_t			 nconns;
	/*
	 * ER: allowRemoteVnetTraffic: take from a circuit what other VNets'
	 * gateways on it advertise (their paths hold 65515), so that this
	 * VNet reaches them over the circuit; off by default.
	 */
	bool			 remote_vnets;
};

struct topo_site {
	char			*name;
	uint32_t		 asn;		/* for BGP over a gateway; 0 if none */
	unsigned		 prepend;	/* extra copies of asn it advertises */
	struct topo_gwconn	**conns;	/* gateways it connects to */
	size_t			 nconns;
	struct pfx4		*prefixes;
	size_t			 nprefixes;
	struct topo_node	*router;	/* node "<site>-edge" */
	struct topo_node	**hosts;
	size_t			 nhosts;
	struct topo_sitelink	**links;	/* one per NVA the site sits behind */
	size_t			 nlinks;
};

struct topo_node {
	char			*name;
	enum topo_node_kind	 kind;
	char			*jpath;		/* where it was declared, for messages */
	struct topo_nic		*nic;		/* RS, NVA, VM; NULL for site nodes */
	struct topo_nic		**nics;		/* nics[0] == nic, then an NVA's extra ones */
	size_t			 nnics;
	struct topo_rs		*rs;		/* TOPO_RS */
	unsigned		 rs_instance;	/* TOPO_RS: 0 or 1 */
	struct topo_nva		*nva;		/* TOPO_NVA */
	struct topo_site	*site;		/* TOPO_SITE_* */
	struct topo_gw		*gw;		/* TOPO_GW, TOPO_MSEE */
	unsigned		 gw_instance;	/* TOPO_GW: 0 or 1 */
	uint32_t		 host_ip;	/* TOPO_SITE_HOST */
	struct pfx4		 host_pfx;	/* TOPO_SITE_HOST: the site prefix holding it */
};

/*
 * An internal load balancer (Standard SKU) in front of NVAs (LB-01..LB-06,
 * docs/rules.md): a private frontend address in a subnet of its VNet, a
 * backend pool of NVAs of that VNet, HA ports (every TCP and UDP flow, no
 * NAT) or rules for given ports, and a health probe. A route table's
 * VirtualAppliance next hop may be its frontend (VR-14); the fabric then
 * hands each flow, unchanged, to one backend chosen by a hash of its
 * 5-tuple (emu/model/lb.h), the same backend both ways.
 */
#define TOPO_LB_BACKENDS_MAX	32	/* ours; Azure's pool holds 1,000 */
#define TOPO_LBS_MAX		16	/* ours, per topology (lab.h's rules) */
#define TOPO_LB_RULES_MAX	32	/* ours */
#define TOPO_PROBE_INTERVAL_DEFAULT 15	/* REST intervalInSeconds (LB-05) */
#define TOPO_PROBE_INTERVAL_MIN	5
#define TOPO_PROBE_INTERVAL_MAX	3600	/* ours */
#define TOPO_PROBE_THRESHOLD_DEFAULT 2	/* ours: the REST documents none */
#define TOPO_PROBE_THRESHOLD_MAX 100	/* ours */

enum topo_probe_proto { TOPO_PROBE_TCP, TOPO_PROBE_HTTP, TOPO_PROBE_HTTPS };

/* One load-balancing rule for given ports: protocol and port, no translation. */
struct topo_lb_rule {
	enum topo_filter_proto	 proto;		/* TCP or UDP */
	uint16_t		 port;
	char			*jpath;
};

struct topo_lb {
	char			*name;
	char			*jpath;		/* "regions[0].spokes[1].load_balancers[0]" */
	unsigned		 idx;		/* t->lbs[idx] == this */
	struct topo_subnet	*subnet;	/* the frontend's */
	uint32_t		 ip;		/* the frontend address */
	struct topo_nva		**backends;	/* the pool, file order */
	size_t			 nbackends;
	struct topo_lb_rule	*rules;		/* NULL: HA ports (LB-02) */
	size_t			 nrules;
	enum topo_probe_proto	 probe_proto;
	uint16_t		 probe_port;
	unsigned		 probe_interval;	/* seconds */
	unsigned		 probe_threshold;	/* failed probes to leave */
};

struct topo_timers {
	unsigned		 hold;		/* default 180 (RS-43) */
	unsigned		 keepalive;	/* default 60 */
	unsigned		 connect_retry;	/* default 5 */
};

struct topo {
	char			*name;
	struct topo_timers	 timers;
	struct topo_region	**regions;
	size_t			 nregions;
	struct topo_vnet	**vnets;	/* hubs and spokes, in file order */
	size_t			 nvnets;
	/* RS and gateway instances, NVAs, VMs, MSEEs, then each site's nodes */
	struct topo_node	**nodes;
	size_t			 nnodes;
	struct topo_nic		**nics;		/* nics[i]->idx == i */
	size_t			 nnics;
	struct topo_nic		**nics_by_ip;	/* sorted by address, once addressed */
	struct topo_nva		**nvas;
	size_t			 nnvas;
	struct topo_rs		**rss;
	size_t			 nrss;
	struct topo_site	**sites;
	size_t			 nsites;
	struct topo_sitelink	**sitelinks;	/* sitelinks[i]->idx == i */
	size_t			 nsitelinks;
	char			*description;	/* free text; NULL if absent */
	struct topo_gw		**gws;		/* every hub's gateways */
	size_t			 ngws;
	struct topo_gwlink	**gwlinks;	/* gwlinks[i]->idx == i */
	size_t			 ngwlinks;
	struct topo_route_table	**rts;		/* route_tables, in file order */
	size_t			 nrts;
	struct topo_peering	**peerings;	/* spoke-to-spoke, file order */
	size_t			 npeerings;
	struct topo_lb		**lbs;		/* every VNet's, file order */
	size_t			 nlbs;
	struct topo_nsg		**nsgs;		/* network_security_groups */
	size_t			 nnsgs;
	/*
	 * Things Azure allows but advises against (RS-04): "PATH: text",
	 * for `validate` and `plan` to print. The load still succeeds.
	 */
	char			**warnings;
	size_t			 nwarnings;
};

struct topo_err {
	char	path[256];	/* JSON path, "" for the document itself */
	int	line;		/* 1-based; 0 if unknown */
	int	col;
	char	msg[512];
};

int	topo_load_file(const char *file, struct topo **out, struct topo_err *err);
int	topo_load_string(const char *json, size_t len, struct topo **out,
	    struct topo_err *err);
void	topo_free(struct topo *t);
/*
 * Record a warning "PATH: text" in t->warnings, escaped as an error is
 * (str_escape: both may quote the input): topo's lint, and the checks of
 * the model (emu/model/nsg.c) that topo cannot make itself.
 */
void	topo_warning(struct topo *t, const char *path, const char *msg);
/* Rename the lab (arsemu up --name); -1 if the name is not allowed. */
int	topo_set_name(struct topo *t, const char *name, struct topo_err *err);
bool	topo_name_ok(const char *name);

struct topo_node *topo_node_find(const struct topo *t, const char *name);
/* GW-08: a region's private peering community by its API name ("uksouth"), 0 if unknown. */
uint32_t topo_region_community(const char *name);
struct topo_nic  *topo_nic_by_ip(const struct topo *t, uint32_t ip);
/* A NIC by name: a node's primary ("nva1") or an extra one ("nva1/trusted"). */
struct topo_nic  *topo_nic_find(const struct topo *t, const char *name);
/*
 * NV-03: the NIC a node's guest sends a packet to dst out of, by longest
 * prefix among the NICs' subnets (connected) and "routes", else the
 * primary (the default route via its subnet's .1, as Azure's DHCP gives
 * it); NULL for a node without NICs. The guest's static routes only: the
 * walk also weighs what a BGP NVA learned (walk_egress, NV-05).
 */
const struct topo_nic *topo_node_egress(const struct topo_node *n,
	    uint32_t dst);
/*
 * The same, and in *len (when not NULL) the length of the prefix that
 * chose it, -1 for the primary's default route. A BGP NVA's guest also
 * holds what it learned (NV-05): the walk weighs those against *len.
 */
const struct topo_nic *topo_node_egress_len(const struct topo_node *n,
	    uint32_t dst, int *len);
/* Whether any NIC of n has IP forwarding: its guest forwards (NV-02). */
bool	topo_node_forwards(const struct topo_node *n);
struct topo_vnet *topo_vnet_find(const struct topo *t, const char *name);
const char *topo_kind_str(enum topo_node_kind k);
/* "VirtualAppliance", ... as the topology file and az spell them (VR-08). */
const char *topo_udr_type_str(enum topo_udr_type t);
/* The topology's spelling of service tag s (in any case), or NULL. */
const char *topo_nsg_tag(const char *s);
/* "Inbound"/"Outbound"; "Tcp", "Udp", "Icmp", "*" (NS-01) */
const char *topo_nsg_dir_str(enum topo_nsg_dir d);
const char *topo_nsg_proto_str(enum topo_filter_proto p);
/* "builtin", "frr" or "bird", as the topology file spells them. */
const char *topo_nvad_str(enum topo_nvad d);
/* "ExpressRoute" or "Vpn", as the topology file spells them. */
const char *topo_gw_type_str(enum topo_gw_type t);
/*
 * The address a node's BGP speaker uses as source and identifier: a NIC's
 * IP, else (MSEE, site edge) its end of its first gateway link; 0 if none.
 */
uint32_t topo_bgp_addr(const struct topo *t, const struct topo_node *n);
struct topo_gw *topo_gw_find(const struct topo *t, const char *name);
/*
 * PE-03: the VNet whose gateways and Route Server v uses over its peering
 * with "Use remote gateway or Route Server" set on v's side and
 * allowGatewayTransit on the other's: its region's hub (the spoke's
 * use_remote_gateways, the hub's allow_gateway_transit), or a spoke it is
 * peered with (struct topo_peering's flags); NULL when none. Whether that
 * VNet has a gateway or Route Server is the caller's question (validate.c
 * refuses a use_remote_gateways with neither, and a second such peering).
 */
const struct topo_vnet *topo_remote_gateway_vnet(const struct topo_vnet *v);
/*
 * The gateway VNet of v (VR-08, GW-11, PE-03): v itself when it has a
 * gateway, else topo_remote_gateway_vnet(v) when that has one; NULL when
 * it has none.
 */
const struct topo_vnet *topo_gateway_vnet(const struct topo_vnet *v);
/*
 * The i-th VNet a VNet's gateways and Route Server serve (RS-10, VR-04,
 * VR-11), for i from 0 to topo_gateway_nserved(hub) - 1: the VNet itself
 * (0), then each VNet peered with it whose topo_remote_gateway_vnet() it
 * is (its spokes, then the spokes it is peered with, PE-07); NULL for a
 * peer it does not serve.
 */
const struct topo_vnet *topo_gateway_served(const struct topo_vnet *hub,
	    size_t i);
size_t	topo_gateway_nserved(const struct topo_vnet *hub);
/*
 * Each prefix of the address space of the VNets topo_gateway_served()
 * names, in turn: pos starts zeroed ({0}); NULL after the last. The one
 * home of "every prefix a hub's gateways and Route Server serve".
 */
struct topo_served_pos { size_t v, k; };
const struct pfx4 *topo_gateway_served_pfx(const struct topo_vnet *hub,
	    struct topo_served_pos *pos);
/* A direct peering between a and b (hub-spoke, hub-hub, dual-homed, spoke-spoke); PE-01. */
bool	topo_vnets_peered(const struct topo_vnet *a, const struct topo_vnet *b);
/*
 * VR-15: whether dst lies in a prefix of v or of a VNet peered with v that a
 * site prefix contains or equals (a summary such as 10.0.0.0/8). A gateway
 * of v sends such an address into the fabric, not back down its links.
 * Each such prefix, in turn, with topo_vnet_summarised() (i from 0 on;
 * NULL: no more), VNets in t's order. Both read v->summarised, which
 * topo_summaries() makes for every VNet: the loader calls it; whoever
 * builds or changes a topology's VNets, peerings or sites otherwise calls
 * it again (a gateway hop asks at every walk: no scan of every VNet and
 * site prefix there).
 */
bool	topo_vnet_in_summary(const struct topo *t, const struct topo_vnet *v,
	    uint32_t dst);
const struct pfx4 *topo_vnet_summarised(const struct topo *t,
	    const struct topo_vnet *v, size_t i);
void	topo_summaries(struct topo *t);
/*
 * VR-15: whether p equals a prefix of some VNet's address space (a site
 * prefix so equal stays the VNet's on the gateway's side).
 */
bool	topo_vnet_prefix(const struct topo *t, const struct pfx4 *p);
/* The spoke-to-spoke peering of a and b, or NULL. */
const struct topo_peering *topo_vnet_peering(const struct topo_vnet *a,
	    const struct topo_vnet *b);
/* Whether ip is the NIC of an instance of one of v's gateways (RS-50). */
bool	topo_vnet_gateway_ip(const struct topo_vnet *v, uint32_t ip);
/* Whether NVA nv peers with Route Server rs (its hub's, or one of xrs). */
bool	topo_nva_peers_rs(const struct topo_nva *nv, const struct topo_rs *rs);
/*
 * The prefixes Azure takes from the site over connection cn before it
 * drops the session: GW-05 on a VPN tunnel, GW-07 at a circuit's MSEE
 * (Premium: 10,000); 0 for a static VPN connection, which has no session.
 */
unsigned topo_conn_route_limit(const struct topo_gwconn *cn);
/*
 * The other gateways whose connections share an MSEE with gw's (a circuit
 * several gateways name), each once, in file order; n at most max.
 */
size_t	topo_gw_circuit_peers(const struct topo *t, const struct topo_gw *gw,
	    const struct topo_gw **out, size_t max);
/*
 * Whether cn's BGP sessions are down for good: its site advertises more
 * prefixes than topo_conn_route_limit() (a site's edge advertises its own
 * prefixes only), so every session of it is reset as soon as the routes
 * arrive; nothing crosses it either way.
 */
bool	topo_conn_over_limit(const struct topo_gwconn *cn);
/*
 * The VPN gateway a route table's VirtualNetworkGateway route on a subnet
 * of v sends to: the first VPN gateway of v's gateway VNet; NULL if there
 * is none (no gateway, or ExpressRoute only: GW-11).
 */
const struct topo_gw *topo_udr_gateway(const struct topo_vnet *v);

/* The load balancer whose frontend is ip, or NULL. */
const struct topo_lb *topo_lb_by_ip(const struct topo *t, uint32_t ip);
/* "Tcp", "Http" or "Https", as the topology file and az spell them. */
const char *topo_probe_proto_str(enum topo_probe_proto p);

/* Added with topo.c. */
struct topo_subnet *topo_subnet_find(const struct topo_vnet *v, const char *name);
/* The subnet a reference "VNET/SUBNET" names, or NULL. */
struct topo_subnet *topo_subnet_ref(const struct topo *t, const char *ref);
/*
 * The rule that keeps NSGs off a subnet of this name ("RS-03" for
 * RouteServerSubnet, "NS-05" for GatewaySubnet and AzureFirewallSubnet), or
 * NULL when it may take one: the parser and both importers ask here.
 */
const char *topo_subnet_no_nsg(const char *name);
/*
 * "FILE:LINE:COL: PATH: MSG" into buf (parts that are unknown are left out;
 * file may be NULL). Returns buf.
 */
const char *topo_err_str(const struct topo_err *err, const char *file,
	    char *buf, size_t len);

/*
 * What an NVA sends with its advertise[i]: extra copies of its ASN (its own
 * prepend and the entry's), and whether community comm is on it.
 */
unsigned topo_adv_prepend(const struct topo_nva *v, size_t i);
bool	topo_adv_has_comm(const struct topo_nva *v, size_t i, uint32_t comm);

#endif
