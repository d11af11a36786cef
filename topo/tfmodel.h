/*
 * tfmodel: the VNets, NICs and gateways tfimport.c collects from azurerm
 * resources, shared by tfimport.c (VNets, hubs, peerings), tfnodes.c (NICs,
 * VMs, NVAs, addresses, gateways, tunnels) and tfwrite.c (the topology's
 * JSON). Inside topo/ only.
 */
#ifndef ARSEMU_TOPO_TFMODEL_H
#define ARSEMU_TOPO_TFMODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "../lib/pfx.h"
#include "importcommon.h"
#include "tfimport_int.h"

#define TFM_GWHUB_MAX	16	/* a hub with gateways: room for "-NAME0" */

struct tfsub {
	const char	*name, *pfx;
	struct pfx4	 p;
	bool		 ok;		/* pfx parsed */
	struct imp_alloc al;		/* its NICs' addresses */
};

struct tfvnet {
	struct tfres	*r;
	const char	*azname, *loc;
	char		 name[TOPO_NAME_MAX + 1];
	const struct cJSON *space;
	struct tfsub	*subs;
	size_t		 nsubs, scap;
	struct tfres	*rs;			/* its Route Server */
	struct tfres	**gws;			/* its Vpn gateways */
	size_t		 ngws, gcap;
	struct tfres	**fws;			/* its Azure Firewalls */
	size_t		 nfws, fcap;
	bool		 ishub;
	/* a spoke with its own Route Server (PE-06, PE-07): rs set */
	bool		 rsspoke;
	int		 nurg;			/* VNets using its gateways */
	int		 hub;			/* a spoke's hub, else -1 */
	bool		 urg, aft, agt;
	bool		 side_spoke, side_hub;	/* peering resources seen */
	struct cJSON	*peers;			/* hub names, or NULL */
	struct cJSON	*nvas, *vms, *gwout;	/* written by tfnodes.c */
	struct cJSON	*lbs;			/* written by tflb.c */
};

struct tfnic {
	struct tfres	*r;
	size_t		 conf;		/* its ip_configuration imported */
	int		 vnet, sub;
	uint32_t	 ip;
	bool		 known;		/* ip from the file */
	bool		 fwd;		/* IP forwarding */
	struct tfres	*vm;
	bool		 nva;
	bool		 own_rs;	/* peers with its VNet's Route Server */
	bool		 skip;		/* not a node (warned) */
	char		 node[2 * TOPO_NAME_MAX + 2];	/* its VM or NVA, or
					   "NVA/NIC" (xnic), "" none */
	struct cJSON	*out;		/* its NVA's object, or NULL */
	struct tfnic	*first;		/* a VM's further NIC: its first */
	bool		 xnic;		/* an extra NIC of NVA node (NV-01) */
};

/* A local network gateway or an ExpressRoute circuit made a site. */
struct tflng {
	const struct tfres *r;
	char		 name[TOPO_NAME_MAX + 1];
	bool		 ok;		/* has prefixes: a site */
	bool		 asn;		/* has bgp_settings.asn (peer_asn) */
};

struct tfm {
	struct tfvnet	*vnets;
	size_t		 nvnets, vcap;
	struct tfnic	*nics;
	size_t		 nnics, ncap;
	bool		 nhubs_seen;
	struct imp_names vnames, nodes, gwnames, sites, rtnames;
	struct imp_names lbnames;
	size_t		 nlbs;		/* load balancers imported */
	struct tflng	*lngs;
	size_t		 nlngs, lcap;
	struct cJSON	*sitesout;	/* the sites of the tunnels */
};

/*
 * VNets h and w are directly peered, hub or spoke either: w's NVAs may
 * peer with h's Route Server (PE-08, RS-08).
 */
bool	tfm_peered(const struct tfm *m, int h, int w);
int	tfm_vnet_by_name(const struct tfm *m, const char *azname);
int	tfm_sub_by_name(const struct tfvnet *v, const char *name);
int	tfm_subnet_id(struct tf *a, struct tfm *m, const struct tfres *t,
	    const char *id, int *sub);
int	tfm_subnet_ref(struct tf *a, struct tfm *m, const struct tfres *r,
	    const char *block, size_t i, const char *key, int *sub);
/* The Route Server's virtual_router_ips: .4 and .5, or a warning. */
void	tfm_rs_ips(struct tf *a, const struct tfres *r, const struct tfsub *s);
/* A virtual network gateway of hub v; -1 (warned) if not imported. */
int	tfm_gateway(struct tf *a, struct tfm *m, struct tfvnet *v,
	    struct tfres *r);
void	tfm_read_nics(struct tf *a, struct tfm *m);
void	tfm_read_bgp(struct tf *a, struct tfm *m);
/* An azurerm_firewall of a VNet: its ip_configuration in a subnet, -1. */
int	tfm_fw_ipconf(struct tf *a, const struct tfres *r);
/* Each hub's firewalls: NVAs without BGP (RS-55), after the NICs. */
void	tfm_read_firewalls(struct tf *a, struct tfm *m);
void	tfm_read_tunnels(struct tf *a, struct tfm *m);
/* tflb.c: each hub's internal load balancers, after the NVAs (LB-01). */
void	tfm_read_lbs(struct tf *a, struct tfm *m);
/* Their known frontend addresses taken in their subnets: before allocation. */
void	tfm_lb_known(struct tf *a, struct tfm *m);
/* The NIC a resource is, or NULL. */
struct tfnic *tfm_nic_of(struct tfm *m, const struct tfres *r);
/* tfnsg.c: network security groups, their rules and associations (NS-01). */
void	tfm_put_nsgs(struct tf *a, struct tfm *m, struct cJSON *root);
/* The topology, printed (malloc'd). */
char	*tfm_write(struct tf *a, struct tfm *m, const char *name,
	    enum tf_side side);
void	tfm_free(struct tfm *m);

#endif
