/*
 * azimport_int: what the files of `arsemu import az` share (azimport.c
 * reads, classifies and writes VNets, peerings and route tables;
 * azimport_nic.c NICs, VMs, NVAs and what Route Server learned from them;
 * azimport_gw.c gateways, their connections and the sites behind them;
 * azimport_lib.c the helpers other importers share, see azimport.h).
 * Not for use outside topo/azimport*.c.
 */
#ifndef ARSEMU_TOPO_AZIMPORT_INT_H
#define ARSEMU_TOPO_AZIMPORT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "azimport.h"
#include "topo_int.h"

struct cJSON;

#define AZ_FILES_MAX	256
#define AZ_HUB_NAME_MAX	(TOPO_NAME_MAX - 4)	/* room for "-rs0" */

/* Strings compared without regard to case (ids, VM names), each -> int. */
struct azset {
	char		**key;		/* lowercase; NULL: free */
	int		 *val;
	size_t		  n, cap;	/* cap: 0 or a power of two */
};

struct azres {
	const struct cJSON	*o;
	const char		*file;
	char			 path[TOPO_PATH_MAX];
};

/* A spoke's side of its peering with another spoke (PE-07). */
struct azspeer {
	int		 vnet;
	bool		 aft, agt;	/* its own side's flags */
	bool		 urg;		/* towards a spoke's Route Server */
};

struct azvnet {
	struct azres	 r;
	const char	*azname;
	char		 name[TOPO_NAME_MAX + 1];
	const char	*loc;
	const struct cJSON *space;
	const struct cJSON *subnets;
	int		 rs;		/* index into rss, else -1 */
	int		 ngws;		/* gateways in it (a hub then) */
	int		 nfws;		/* Azure Firewalls in it (a hub then) */
	bool		 skip;		/* a second hub in its region */
	/* a Route Server, no gateway or firewall, not its region's hub */
	bool		 rsspoke;
	int		 nurg;		/* VNets that use its Route Server */
	int		 hub;		/* spoke: its hub's index in vnets, else -1 */
	int		 nic_first;	/* its first NIC (aznic.next), -1 */
	int		*peers;		/* hubs: other hubs, or further ones */
	size_t		 npeers, pcap;
	bool		 urg, aft;	/* spoke side of its peering */
	bool		 agt;		/* hub side (allowGatewayTransit) */
	struct azspeer	*speers;	/* spokes: peered spokes, own side */
	size_t		 nspeers, spcap;
};

struct azrs {
	struct azres	 r;
	const char	*azname;
	uint32_t	 ip[2];
	int		 vnet;
};

/* A NIC of `az network nic list`: its first IP configuration. */
struct aznic {
	struct azres	 r;
	const char	*id, *name;
	const char	*subnet_id;	/* ipConfigurations[0].subnet.id */
	const char	*conf_id;	/* that IP configuration's id */
	const char	*vm;		/* virtualMachine.id's name, or NULL */
	uint32_t	 ip;
	bool		 has_ip, fwd, used;
	bool		 nva;		/* its node is an NVA */
	bool		 secondary;	/* "primary": false: a VM's other NIC */
	bool		 xnic;		/* an extra NIC of NVA node (NV-01) */
	int		 vnet;		/* of subnet_id, -1 none */
	char		 subnet[81];	/* its subnet's name */
	int		 next;		/* the VNet's next NIC, -1 last */
	char		 node[2 * TOPO_NAME_MAX + 2];	/* its VM or NVA, or
					   "NVA/NIC" (xnic), "" none */
};


/* A route of a learned-routes listing (Route Server's or a gateway's). */
struct azroute {
	struct azres	 r;
	int		 inst;		/* RouteServiceRole_IN_<k>; -1: gw */
	const char	*network, *as_path, *next_hop, *origin;
	uint32_t	 peer, local;
	bool		 has_peer, has_local;
};

/* A virtual network gateway and what the connections give it. */
struct azgw {
	struct azres	 r;
	const char	*azname;
	char		 name[TOPO_NAME_MAX + 1];
	int		 vnet;		/* -1: skipped */
	bool		 er, aa, bgp;
	uint32_t	 ip[2];		/* bgpSettings' instance addresses */
	int		 nip;
	uint32_t	 lab_ip[2];	/* the ones the lab gives */
	int		 nlab;
	struct cJSON	*conns;		/* tunnels or circuits, built */
	int		 ncircuits;
	size_t		 ord;		/* its place in the files */
};

/* An Azure Firewall: an NVA without BGP in AzureFirewallSubnet (RS-55). */
struct azfw {
	struct azres	 r;
	const char	*azname;
	int		 vnet;		/* -1: skipped */
	uint32_t	 ip;		/* its private address */
};

/* A site: a local network gateway or an ExpressRoute circuit. */
struct azsite {
	struct azres	 r;
	const char	*azname;
	char		 name[TOPO_NAME_MAX + 1];
	bool		 er;
	double		 asn;		/* 0: none */
	uint32_t	 bgp_ip;	/* LNG's bgpPeeringAddress */
	bool		 has_bgp_ip;
	struct cJSON	*prefixes;	/* built */
	struct azset	 seen;		/* prefixes added, kept or not */
	int		 nconns;	/* connections naming it */
	bool		 used;		/* written (a connection kept it) */
};

/* An internal load balancer (azimport_lb.c). */
struct azlb {
	struct azres	 r;
	bool		 done;		/* imported, or warned */
};

struct azfile {
	char		*name;
	struct cJSON	*root;
};

struct az {
	const char	*dir;
	struct topo_err	*err;
	struct azfile	*files;
	size_t		 nfiles, fcap;
	struct azvnet	*vnets;
	size_t		 nvnets, vcap;
	struct azrs	*rss;
	size_t		 nrss, rcap;
	struct azres	*peerings, *bgps, *rts, *conns, *nsgs;
	size_t		 npeerings, pcap, nbgps, bcap, nrts, tcap, nconns, ccap;
	size_t		 nnsgs, nsgcap;
	struct aznic	*nics;
	size_t		 nnics, nicap;
	struct azroute	*rsroutes, *gwroutes;
	size_t		 nrsroutes, rsrcap, ngwroutes, gwrcap;
	bool		 rs_inst_listed[2];	/* a file listed it */
	struct azgw	*gws;
	size_t		 ngws, gcap;
	struct azsite	*sites;
	size_t		 nsites, scap;
	struct azfw	*fws;
	size_t		 nfws, fwcap;
	struct azlb	*lbs;
	size_t		 nlbs, lbcap;
	size_t		 nlbs_out;	/* imported */
	struct imp_names lbnames;	/* load balancer names taken */
	struct imp_names names;	/* node names taken */
	struct azset	 nic_ids;	/* NIC id -> index in nics */
	struct azset	 vm_names;	/* VMs a NIC made already */
	struct topo_az	*out;
};

/* azimport_lib.c */
void	 az_res_at(struct azres *out, const struct azres *in, const char *key,
	    size_t i);
void	 az_warn(struct az *a, const struct azres *r, const char *key,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int	 az_fail(struct az *a, const struct azres *r, const char *key,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
const char *az_jstr(const struct cJSON *o, const char *key);
bool	 az_jbool(const struct cJSON *o, const char *key, bool def);
const struct cJSON *az_jget(const struct cJSON *o, const char *key);
const char *az_take_name(struct az *a, const char *want, char *buf,
	    size_t max);
void	 az_push(void *arrp, size_t *n, size_t *cap, const void *item,
	    size_t size);
/* -1 if key is not in the set; az_set_put keeps a key's first value. */
int	 az_set_get(const struct azset *s, const char *key, size_t len);
void	 az_set_put(struct azset *s, const char *key, size_t len, int val);
void	 az_set_free(struct azset *s);

/* azimport.c */
const char *az_subnet_pfx(const struct cJSON *sn);
int	 az_vnet_of_ip(struct az *a, uint32_t ip, const char *subnet,
	    const char **sname);
int	 az_vnet_by_name(const struct az *a, const char *azname);
int	 az_vnet_of_subnet_id(const struct az *a, const char *id, char *sname,
	    size_t len);
bool	 az_is_hub(const struct azvnet *v);
/* x and y imported and peered directly, either being hub or spoke. */
bool	 az_peered(const struct az *a, int x, int y);

/* azimport_nsg.c: networkSecurityGroups (az network nsg list) */
void	 az_put_nsgs(struct az *a, struct cJSON *root);
bool	 az_subnet_ref(struct az *a, const char *id, char *buf, size_t len);

/* azimport_nic.c */
void	 az_classify_nic(struct az *a, const struct azres *r);
void	 az_classify_rs_routes(struct az *a, const struct azres *file);
void	 az_classify_gw_route(struct az *a, const struct azres *r);
void	 az_index_nics(struct az *a);
struct cJSON *az_put_nvas(struct az *a, const struct azvnet *v,
	    bool *has_nva);
/* v's NICs with IP forwarding on and no Route Server: NVAs without BGP. */
void	 az_put_fwd_nvas(struct az *a, const struct azvnet *v, struct cJSON **nvas);
/* v's subnets and VMs; a VM's further NIC joins its NVA of nvas (NV-01). */
void	 az_put_subnets(struct az *a, const struct azvnet *v, struct cJSON *o,
	    const bool *has_nva, struct cJSON *nvas);
void	 az_classify_fw(struct az *a, const struct azres *r);
/* Each firewall's VNet and address: before the hubs are chosen. */
void	 az_firewalls(struct az *a);
/* v's firewalls appended to *nvas (made if NULL). */
void	 az_put_fws(struct az *a, const struct azvnet *v, struct cJSON **nvas);

/* The NIC of an address, or of an IP configuration's id; NULL if none. */
struct aznic *az_nic_by_ip(struct az *a, uint32_t ip);
struct aznic *az_nic_of_ipconf(struct az *a, const char *ipconf_id);

/* azimport_lb.c: loadBalancers (az network lb list), hub v's into hub */
void	 az_classify_lb(struct az *a, const struct azres *r);
void	 az_put_lbs(struct az *a, const struct azvnet *v, struct cJSON *hub);
/* The load balancers no hub took: a warning each. */
void	 az_lbs_left(struct az *a);

/* azimport_gw.c */
void	 az_classify_gw(struct az *a, const struct azres *r);
void	 az_classify_site(struct az *a, const struct azres *r, bool er);
void	 az_gateways(struct az *a);
void	 az_connections(struct az *a);
void	 az_put_gws(struct az *a, const struct azvnet *v, struct cJSON *hub);
void	 az_put_sites(struct az *a, struct cJSON *root);
void	 az_free_gw(struct az *a);

#endif
