/*
 * lintnh: warnings about what a design hands traffic or routes to that
 * Azure will not take, found by comparing arsemu's checks with Learn:
 *   VR-14  a route table's VirtualAppliance next hop that is no NIC of the
 *          topology nor a load balancer's frontend (LB-04), or one in a
 *          VNet the subnet is not peered with: Azure drops the traffic,
 *          which only a walk would otherwise find
 *   RS-54  a Route Server beside an active-standby VPN gateway: Learn
 *          supports their route exchange only with an active-active one
 *   RS-55  a route table on AzureFirewallSubnet sending 0.0.0.0/0 anywhere
 *          but Internet: the firewall needs its default route to Internet
 *   PE-08  an NVA whose Route Server programs its routes into a VNet that
 *          is not peered with the NVA's own: the next hop is out of reach
 *          there (no transit through the hub, PE-01), Azure drops it
 *   RS-23  an NVA whose BGP next hop is a load balancer's frontend in
 *          another region than a Route Server it peers with (a spoke's
 *          load balancer may be): Learn says connectivity then fails
 * Called by topo_lint() (lint.c), on the finished model.
 *
 * Must not: change the model or refuse a design (validate.c refuses).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lint.h"
#include "topo_int.h"

/* VR-14: one VirtualAppliance route, checked for each subnet of its table. */
static void
lint_appliance(struct topo *t, const struct topo_route_table *rt, size_t k)
{
	const struct topo_udr *u = &rt->routes[k];
	const struct topo_nic *nic = topo_nic_by_ip(t, u->nh_ip);
	const struct topo_lb *lb = nic ? NULL : topo_lb_by_ip(t, u->nh_ip);
	const struct topo_vnet *v, *at;
	const char *who;
	char path[TOPO_PATH_MAX], rp[TOPO_PATH_MAX], ip[ADDR_STRLEN];
	size_t i;

	topo_path_key(path, topo_path_idx(rp, topo_path_key(path, rt->jpath,
	    "routes"), k), "next_hop_ip");
	addr_fmt(u->nh_ip, ip);
	if (nic == NULL && lb == NULL) {
		topo_warnf(t, path, "route \"%s\" of route table \"%s\" sends to %s, "
		    "which is no NIC of the topology (nor a load balancer's "
		    "frontend): Azure drops what the route carries (VR-14)",
		    u->name, rt->name, ip);
		return;
	}
	at = nic ? nic->subnet->vnet : lb->subnet->vnet;
	who = nic ? nic->name : lb->name;
	for (i = 0; i < rt->nsubnets; i++) {
		v = rt->subnets[i]->vnet;
		if (v == at || topo_vnets_peered(v, at))
			continue;
		topo_warnf(t, path, "route \"%s\" of route table \"%s\" sends %s/%s's "
		    "traffic to %s (%s), in VNet \"%s\", which is not peered "
		    "with \"%s\": Azure drops it (VR-14, PE-01)", u->name,
		    rt->name, v->name, rt->subnets[i]->name, ip, who, at->name,
		    v->name);
		return;
	}
}

/* RS-54: Learn's ExpressRoute and VPN support needs an active-active VPN gateway. */
static void
lint_standby_vpn(struct topo *t, const struct topo_vnet *v)
{
	char path[TOPO_PATH_MAX];
	size_t i;

	for (i = 0; v->rs != NULL && i < v->ngws; i++) {
		if (v->gws[i]->type != TOPO_GW_VPN || v->gws[i]->ninst != 1)
			continue;
		topo_warnf(t, topo_path_key(path, v->gws[i]->jpath, "active_active"),
		    "VPN gateway \"%s\" is active-standby beside the Route "
		    "Server of \"%s\": Azure supports their route exchange only "
		    "with an active-active VPN gateway of ASN 65515; the lab "
		    "exchanges routes anyway, which Azure does not promise "
		    "(RS-54); set \"active_active\": true", v->gws[i]->name,
		    v->name);
	}
}

/* RS-55: Azure Firewall needs 0.0.0.0/0 to Internet in its subnet. */
static void
lint_fw_subnet(struct topo *t, const struct topo_route_table *rt)
{
	char path[TOPO_PATH_MAX], rp[TOPO_PATH_MAX];
	size_t i, k;

	for (i = 0; i < rt->nsubnets; i++) {
		if (strcmp(rt->subnets[i]->name, "AzureFirewallSubnet") != 0)
			continue;
		for (k = 0; k < rt->nroutes; k++) {
			if (rt->routes[k].pfx.len != 0 ||
			    rt->routes[k].type == TOPO_UDR_INTERNET)
				continue;
			topo_path_key(path, topo_path_idx(rp, topo_path_key(path,
			    rt->jpath, "routes"), k), "next_hop_type");
			topo_warnf(t, path, "route \"%s\" sends 0.0.0.0/0 from "
			    "AzureFirewallSubnet of \"%s\" to %s: the firewall "
			    "needs its default route to Internet, as Azure sets "
			    "it (RS-55)", rt->routes[k].name,
			    rt->subnets[i]->vnet->name,
			    topo_udr_type_str(rt->routes[k].type));
			return;
		}
	}
}

/* PE-08: each VNet rs serves that cannot reach the NVA's next hop. */
static void
lint_nva_reach(struct topo *t, const struct topo_nva *nv,
    const struct topo_rs *rs)
{
	const struct topo_vnet *own = nv->node->nic->subnet->vnet, *w;
	char ip[ADDR_STRLEN];
	size_t i;

	addr_fmt(nv->next_hop ? nv->next_hop : nv->node->nic->ip, ip);
	for (i = 0; i < topo_gateway_nserved(rs->vnet); i++) {
		if ((w = topo_gateway_served(rs->vnet, i)) == NULL ||
		    w == own || topo_vnets_peered(w, own))
			continue;
		topo_warnf(t, nv->node->jpath, "the Route Server of \"%s\" "
		    "programs NVA \"%s\"'s routes (next hop %s) into \"%s\", "
		    "which is not peered with \"%s\": there the next hop is out "
		    "of reach and Azure drops the traffic (PE-08, PE-01); peer "
		    "the two VNets, or route \"%s\" through an NVA of the hub",
		    rs->vnet->name, nv->node->name, ip, w->name, own->name,
		    w->name);
	}
}

/* RS-23 (NHIP): a frontend next hop in the Route Server's region only. */
static void
lint_nva_lb_region(struct topo *t, const struct topo_nva *nv,
    const struct topo_rs *rs)
{
	const struct topo_lb *lb = nv->next_hop ? topo_lb_by_ip(t, nv->next_hop) :
	    NULL;
	char path[TOPO_PATH_MAX];

	if (lb == NULL || lb->subnet->vnet->region == rs->vnet->region)
		return;
	topo_warnf(t, topo_path_key(path, nv->node->jpath, "next_hop"), "NVA "
	    "\"%s\" gives the Route Server of \"%s\" (region %s) load "
	    "balancer \"%s\" (region %s) as next hop: Learn requires the load "
	    "balancer in the Route Server's region, else connectivity to the "
	    "NVAs fails (RS-23); the lab delivers anyway", nv->node->name,
	    rs->vnet->name, rs->vnet->region->name, lb->name,
	    lb->subnet->vnet->region->name);
}

void
topo_lint_next_hops(struct topo *t)
{
	const struct topo_route_table *rt;
	size_t i, k;

	for (i = 0; i < t->nrts; i++) {
		rt = t->rts[i];
		lint_fw_subnet(t, rt);
		for (k = 0; k < rt->nroutes; k++)
			if (rt->routes[k].type == TOPO_UDR_VIRTUALAPPLIANCE)
				lint_appliance(t, rt, k);
	}
	for (i = 0; i < t->nvnets; i++)
		lint_standby_vpn(t, t->vnets[i]);
	for (i = 0; i < t->nnvas; i++)
		for (k = 0; k < t->nrss; k++)
			if (t->nvas[i]->bgp &&
			    topo_nva_peers_rs(t->nvas[i], t->rss[k])) {
				lint_nva_reach(t, t->nvas[i], t->rss[k]);
				lint_nva_lb_region(t, t->nvas[i], t->rss[k]);
			}
}
