/*
 * lab: build the kernel side of a lab from a topology, in a fixed order:
 * state directory, namespaces (fabric first), fabric sysctls, one veth per
 * NIC with its addresses, delivery route and rule, the delivery rule, the
 * policy rules (NVA filters, forwarded traffic: policy.c), the NSGs
 * (nftables in the fabric: labnsg.c), then
 * the on-premises sites (edge bridge, hosts, links to their NVAs), the
 * gateway links (l<idx> on both ends, a /30 from 169.254.21.0/23, and a
 * host route to the peer's BGP address), then the Internet edge (lab.h).
 *
 * Every namespace is recorded in the state file before it is created; veths,
 * addresses, routes and rules live inside those namespaces and die with
 * them, so on any failure the same teardown `arsemu down` uses removes all.
 * Every link is created directly in its namespaces (IFLA_NET_NS_FD on both
 * ends) by a socket that lives in a lab namespace.
 *
 * Routes lab_build installs carry RTPROT_STATIC: the SDN controller and the
 * speakers reconcile RTPROT_ARSEMU routes and must never remove these.
 *
 * Must not: touch the host namespace (no link, address, route or rule there).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/util.h"
#include "lablb.h"
#include "labns.h"
#include "labnsg.h"
#include "labstate.h"
#include "netns.h"
#include "nl.h"
#include "policyrules.h"
#include "model/share.h"

#define LAB_GUEST_IF		"eth0"	/* a primary NIC's, a site host's */
#define LAB_SITE_BRIDGE		"lan"
#define LAB_SITELINK_PLEN	30

/* One rule of NIC i: lookup `arg`, or with a dst, goto `arg`. */
static void
lab_nic_rule(struct nl *nl, size_t i, uint32_t prio, uint32_t arg,
    const struct pfx4 *dst)
{
	char hname[24];
	struct nl_rule r;

	snprintf(hname, sizeof(hname), "n%zu", i);
	memset(&r, 0, sizeof(r));
	r.fresh = true;
	r.iif = hname;
	r.prio = prio;
	if (dst != NULL) {
		r.dst = *dst;
		r.action = NL_RULE_GOTO;
		r.target = arg;
	} else {
		r.action = NL_RULE_LOOKUP;
		r.table = arg;
	}
	(void)nl_rule_change(nl, true, &r);
}

/* NV-02: whether NIC nic gets the fabric's source check (lab.h). */
static bool
lab_src_checked(const struct topo_nic *nic)
{
	return !nic->ip_forwarding && topo_node_forwards(nic->node);
}

/*
 * NV-02: what a NIC without IP forwarding sends from another address is
 * dropped as it enters the fabric (lab.h), highest priority first, in the
 * batch of lab_nic_rules.
 */
static void
lab_src_rules(struct lab_ctx *c)
{
	const struct topo *t = c->t;
	struct nl *nl = c->fabric.nl;
	struct nl_rule nop = { .prio = LAB_SRC_PASS_PRIO, .action = NL_RULE_NOP,
	    .fresh = true };
	char hname[24];
	size_t i, j = 0;

	for (i = 0; i < t->nnics; i++)
		j += lab_src_checked(t->nics[i]);
	if (j == 0)
		return;
	(void)nl_rule_change(nl, true, &nop);
	for (i = t->nnics; i-- > 0; ) {
		struct nl_rule r = { .fresh = true, .iif = hname };

		if (!lab_src_checked(t->nics[i]))
			continue;
		j--;
		snprintf(hname, sizeof(hname), "n%zu", i);
		r.prio = LAB_SRC_PRIO(j) + 1;
		r.action = NL_RULE_BLACKHOLE;
		(void)nl_rule_change(nl, true, &r);
		r.prio = LAB_SRC_PRIO(j);
		r.action = NL_RULE_GOTO;
		r.target = LAB_SRC_PASS_PRIO;
		r.src = (struct pfx4){ t->nics[i]->ip, 32 };
		(void)nl_rule_change(nl, true, &r);
	}
}

/*
 * The rules that choose each NIC's tables (share.h): its subnet's, a goto
 * to the delivery path for its own VNet's space, then its group's. Made
 * after every link (a new link walks all rules), highest priority first
 * (lab.h), without the kernel's duplicate check: the namespace is new.
 * One batch.
 */
static int
lab_nic_rules(struct lab_ctx *c)
{
	struct lab_ns *f = &c->fabric;
	const struct topo *t = c->t;
	struct nl_rule nop = { .prio = LAB_PATH_PRIO, .action = NL_RULE_NOP };
	size_t i, k;

	nl_batch_begin(f->nl);
	/*
	 * The gotos' target first: while a goto is unresolved, the kernel
	 * walks every rule on each insert to see whether it resolves it.
	 */
	(void)nl_rule_change(f->nl, true, &nop);
	for (i = t->nnics; i-- > 0; )
		lab_nic_rule(f->nl, i, LAB_GROUP_PRIO(i),
		    LAB_GROUP_TABLE(c->share.group[c->share.nic_slot[i]]), NULL);
	for (i = t->nnics; i-- > 0; ) {
		const struct topo_vnet *v = t->nics[i]->subnet->vnet;

		for (k = 0; v != NULL && k < v->nspace; k++)
			lab_nic_rule(f->nl, i, LAB_THROW_PRIO(i), LAB_PATH_PRIO,
			    &v->space[k]);
	}
	for (i = t->nnics; i-- > 0; )
		lab_nic_rule(f->nl, i, LAB_RULE_PRIO(i),
		    LAB_SUBNET_TABLE(c->share.nic_slot[i]), NULL);
	lab_src_rules(c);
	if (nl_batch_commit(f->nl) != 0)
		return lab_nlfail(c, f, "the NICs' rules (%zu NICs)", t->nnics);
	return 0;
}

/*
 * The fabric end of NIC i: gateway /32; proxy ARP, no rp_filter, no
 * redirects from the fabric's defaults (lab_fabric_sysctls).
 */
static int
lab_nic_fabric(struct lab_ctx *c, const struct topo_nic *nic,
    const char *hname)
{
	struct lab_ns *f = &c->fabric;
	uint32_t gw = nic->subnet->pfx.addr + 1;
	struct nl_route r = {
		.table = LAB_DELIVERY_TABLE, .protocol = RTPROT_STATIC,
		.type = NL_RT_UNICAST, .scope = RT_SCOPE_LINK, .nnh = 1,
		.dst = { .addr = nic->ip, .len = 32 },
	};
	int idx = LAB_NIC_IFINDEX(nic->idx);

	if (lab_if_up(c, f, idx, hname, gw, 32) < 0)
		return -1;
	/*
	 * Azure's fabric answers ARP at once; the kernel delays proxy ARP
	 * replies by up to proxy_delay (0.8 s), which a first packet would
	 * pay. Per link: the kernel has no per-namespace default for it.
	 */
	if (nl_link_proxy_delay(f->nl, idx, 0) < 0)
		return lab_nlfail(c, f, "proxy_delay 0 on %s", hname);
	r.nh[0] = (struct nl_nh){ .ifindex = idx, .weight = 1 };
	if (lab_route(c, f, &r) < 0)
		return -1;
	return 0;
}

/*
 * VR-15: a gateway instance sends the VNet prefixes a site's summary covers
 * (its own VNet's and its peers', VnetLocal and VNetPeering in its NIC's
 * effective routes) into the fabric, ahead of the summary it learns over its
 * links (metric 0 against the speaker's 20, and longer): what the site sends
 * to a VNet is delivered, not returned down the link it came in by. Nothing
 * for a topology whose site prefixes stay outside VNet space.
 */
static int
lab_gw_summarised(struct lab_ctx *c, const struct topo_nic *nic,
    const struct lab_ns *g, int idx)
{
	struct nl_route r = {
		.table = RT_TABLE_MAIN, .protocol = RTPROT_STATIC,
		.type = NL_RT_UNICAST, .nnh = 1,
	};
	const struct pfx4 *p;
	size_t i;

	if (nic->node->kind != TOPO_GW)
		return 0;
	r.nh[0] = (struct nl_nh){ .gw = nic->subnet->pfx.addr + 1,
	    .ifindex = idx, .weight = 1 };
	for (i = 0; (p = topo_vnet_summarised(c->t, nic->node->gw->vnet,
	    i)) != NULL; i++) {
		r.dst = *p;
		if (lab_route(c, g, &r) < 0)
			return -1;
	}
	return 0;
}

/*
 * NV-03: what the guest routes out of an extra NIC besides its subnet:
 * its "routes", via the subnet's .1 (the primary alone has the default,
 * as Azure's DHCP gives it).
 */
static int
lab_xnic_guest(struct lab_ctx *c, const struct topo_nic *nic,
    const struct lab_ns *g, int idx)
{
	struct nl_route r = {
		.table = RT_TABLE_MAIN, .protocol = RTPROT_STATIC,
		.type = NL_RT_UNICAST, .nnh = 1,
	};
	size_t k;

	r.nh[0] = (struct nl_nh){ .gw = nic->subnet->pfx.addr + 1,
	    .ifindex = idx, .weight = 1 };
	for (k = 0; k < nic->nroutes; k++) {
		r.dst = nic->routes[k];
		if (lab_route(c, g, &r) < 0)
			return -1;
	}
	return 0;
}

static int
lab_nic(struct lab_ctx *c, const struct topo_nic *nic)
{
	struct lab_ns *g = &c->nodes[c->nic_node[nic->idx]];
	char hname[16], gname[16];
	int idx = LAB_GUEST_IFINDEX + (int)nic->slot;

	if (nic->slot == 0 && lab_lo_up(c, g) < 0)
		return -1;
	/*
	 * indexes given, not looked up: eth<k> is its node's link k+1, made
	 * before any other (NV-01: eth0 the primary, then the extra NICs)
	 */
	snprintf(hname, sizeof(hname), "n%u", nic->idx);
	snprintf(gname, sizeof(gname), "eth%u", nic->slot);
	if (lab_veth_at(c, &c->fabric, hname, LAB_NIC_IFINDEX(nic->idx), g,
	    gname, idx) < 0)
		return -1;
	/*
	 * The guest's end first, while its peer is down: without a carrier
	 * it is not ready for IPv6, so address generation is off before it
	 * could get a link-local address (brought up second, it got one).
	 */
	if (lab_if_up(c, g, idx, gname, nic->ip, nic->subnet->pfx.len) < 0 ||
	    (nic->slot == 0 ?
	    lab_default_via(c, g, idx, nic->subnet->pfx.addr + 1) :
	    lab_xnic_guest(c, nic, g, idx)) < 0 ||
	    lab_gw_summarised(c, nic, g, idx) < 0 ||
	    lab_nic_fabric(c, nic, hname) < 0)
		return -1;
	/*
	 * A forwarder's sysctls were set as its namespace was made. NV-02:
	 * its NIC without IP forwarding forwards nothing it receives (the
	 * kernel's per-interface switch).
	 */
	if (!nic->ip_forwarding && topo_node_forwards(nic->node))
		return lab_if_sysctl(c, g, gname, "forwarding", "0");
	return 0;
}

static int
lab_delivery_rule(struct lab_ctx *c)
{
	if (nl_rule_add(c->fabric.nl, LAB_DELIVERY_PRIO, NULL,
	    LAB_DELIVERY_TABLE) < 0)
		return lab_nlfail(c, &c->fabric, "rule lookup %u",
		    LAB_DELIVERY_TABLE);
	return 0;
}

/* NVA filters and the peerings' forwarded-traffic rules (policy.c). */
static int
lab_policy(struct lab_ctx *c)
{
	struct lab_ns *ns;
	size_t i;

	for (i = 0; i < c->t->nnvas; i++) {
		ns = lab_node(c, c->t->nvas[i]->node);
		if (policy_nva_install(ns->nl, c->t->nvas[i]) < 0)
			return lab_nlfail(c, ns, "filter rules");
	}
	if (policy_fabric_install(c->fabric.nl, c->t) < 0)
		return lab_nlfail(c, &c->fabric, "forwarded-traffic rules");
	return 0;
}

/* ---- on-premises sites ---- */

/* The site LAN's gateway: the last usable address of the prefix. */
static uint32_t
lab_site_gw(const struct pfx4 *p)
{
	return (p->addr | ~pfx_mask(p->len)) - 1;
}

/*
 * VR-15: a host on a LAN whose prefix is a summary holding VNets (the data
 * centre's 10.0.0.0/8) reaches those VNets through its edge, by routes
 * longer than its LAN's own: on-premises they are elsewhere. Nothing for a
 * site prefix that holds no VNet.
 */
static int
lab_host_summarised(struct lab_ctx *c, const struct lab_ns *h, int idx,
    const struct topo_node *host)
{
	struct nl_route r = {
		.table = RT_TABLE_MAIN, .protocol = RTPROT_STATIC,
		.type = NL_RT_UNICAST, .nnh = 1,
	};
	const struct topo_vnet *v;
	size_t i, k;

	r.nh[0] = (struct nl_nh){ .gw = lab_site_gw(&host->host_pfx),
	    .ifindex = idx, .weight = 1 };
	for (i = 0; i < c->t->nvnets; i++) {
		v = c->t->vnets[i];
		for (k = 0; k < v->nspace; k++) {
			if (!pfx_contains(&host->host_pfx, &v->space[k]))
				continue;
			r.dst = v->space[k];
			if (lab_route(c, h, &r) < 0)
				return -1;
		}
	}
	return 0;
}

static int
lab_site_host(struct lab_ctx *c, struct lab_ns *edge, int lan, size_t k,
    const struct topo_node *host)
{
	struct lab_ns *h = lab_node(c, host);
	char ename[16];
	int idx;

	snprintf(ename, sizeof(ename), "h%u", (unsigned)k);
	if (lab_veth(c, edge, ename, h, LAB_GUEST_IF) < 0 ||
	    (idx = lab_ifindex(c, edge, ename)) < 0)
		return -1;
	if (nl_link_set_master(edge->nl, idx, lan) < 0)
		return lab_nlfail(c, edge, "enslave %s to %s", ename,
		    LAB_SITE_BRIDGE);
	if (lab_if_up(c, edge, idx, ename, 0, 0) < 0 ||
	    (idx = lab_ifindex(c, h, LAB_GUEST_IF)) < 0 ||
	    lab_if_up(c, h, idx, LAB_GUEST_IF, host->host_ip,
	    host->host_pfx.len) < 0 ||
	    lab_default_via(c, h, idx, lab_site_gw(&host->host_pfx)) < 0 ||
	    lab_host_summarised(c, h, idx, host) < 0)
		return -1;
	return 0;
}

static int
lab_site_lan(struct lab_ctx *c, const struct topo_site *s, struct lab_ns *edge)
{
	int lan;
	size_t i;

	if (lab_forwarder_sysctls(c, edge) < 0)
		return -1;
	if (nl_bridge_create(edge->nl, LAB_SITE_BRIDGE) < 0)
		return lab_nlfail(c, edge, "create bridge %s", LAB_SITE_BRIDGE);
	if ((lan = lab_ifindex(c, edge, LAB_SITE_BRIDGE)) < 0 ||
	    lab_if_up(c, edge, lan, LAB_SITE_BRIDGE, 0, 0) < 0)
		return -1;
	for (i = 0; i < s->nprefixes; i++)
		if (s->prefixes[i].len <= LAB_SITELINK_PLEN &&
		    lab_if_up(c, edge, lan, LAB_SITE_BRIDGE,
		    lab_site_gw(&s->prefixes[i]), s->prefixes[i].len) < 0)
			return -1;
	for (i = 0; i < s->nhosts; i++)
		if (lab_site_host(c, edge, lan, i, s->hosts[i]) < 0)
			return -1;
	return 0;
}

/* One /30 between the site edge ("nva<j>") and the NVA ("eth<N>"). */
static int
lab_sitelink(struct lab_ctx *c, const struct topo_sitelink *l,
    struct lab_ns *edge, struct nl_nh *nh)
{
	struct lab_ns *nva = lab_node(c, l->nva->node);
	char ename[16], nname[16];
	int idx;

	snprintf(ename, sizeof(ename), "nva%u", l->idx);
	snprintf(nname, sizeof(nname), "eth%u", lab_sitelink_port(c->t, l));
	if (lab_veth(c, edge, ename, nva, nname) < 0 ||
	    (idx = lab_ifindex(c, edge, ename)) < 0 ||
	    lab_if_up(c, edge, idx, ename, l->site_ip, LAB_SITELINK_PLEN) < 0)
		return -1;
	*nh = (struct nl_nh){ .gw = l->nva_ip, .ifindex = idx, .weight = 1 };
	if ((idx = lab_ifindex(c, nva, nname)) < 0 ||
	    lab_if_up(c, nva, idx, nname, l->nva_ip, LAB_SITELINK_PLEN) < 0)
		return -1;
	return 0;
}

static int
lab_site(struct lab_ctx *c, const struct topo_site *s)
{
	struct lab_ns *edge = lab_node(c, s->router);
	struct nl_route r = {
		.table = RT_TABLE_MAIN, .protocol = RTPROT_STATIC,
		.type = NL_RT_UNICAST,
	};
	size_t i;

	if (lab_site_lan(c, s, edge) < 0)
		return -1;
	for (i = 0; i < s->nlinks && r.nnh < NL_MAX_NH; i++)
		if (lab_sitelink(c, s->links[i], edge, &r.nh[r.nnh++]) < 0)
			return -1;
	if (r.nnh > 0 && lab_route(c, edge, &r) < 0)
		return -1;
	return 0;
}

/*
 * In each NVA, every site prefix via the site's end of the link; an NVA with
 * several links towards the same prefix gets one multipath route.
 */
static int
lab_nva_site_routes(struct lab_ctx *c, const struct topo_nva *v)
{
	const struct topo_sitelink *l;
	struct nl_route *rs = NULL;
	struct lab_ns *ns = lab_node(c, v->node);
	size_t n = 0, cap = 0, i, j, k;
	char nname[16];
	int idx, rc = 0;

	for (i = 0; i < c->t->nsitelinks; i++) {
		if ((l = c->t->sitelinks[i])->nva != v)
			continue;
		snprintf(nname, sizeof(nname), "eth%u",
		    lab_sitelink_port(c->t, l));
		if ((idx = lab_ifindex(c, ns, nname)) < 0) {
			rc = -1;
			goto out;
		}
		for (j = 0; j < l->site->nprefixes; j++) {
			for (k = 0; k < n; k++)
				if (pfx_equal(&rs[k].dst, &l->site->prefixes[j]))
					break;
			if (k == n) {
				xgrow(&rs, &cap, n + 1, sizeof(*rs));
				rs[n++] = (struct nl_route){ .table =
				    RT_TABLE_MAIN, .protocol = RTPROT_STATIC,
				    .type = NL_RT_UNICAST,
				    .dst = l->site->prefixes[j] };
			}
			if (rs[k].nnh < NL_MAX_NH)
				rs[k].nh[rs[k].nnh++] = (struct nl_nh){
				    .gw = l->site_ip, .ifindex = idx, .weight = 1 };
		}
	}
	for (k = 0; k < n && rc == 0; k++)
		rc = lab_route(c, ns, &rs[k]);
out:
	free(rs);
	return rc;
}

/* ---- gateway links: instance <-> MSEE <-> site edge, VPN tunnels ---- */

/* GW-03: the peer's BGP address as a host route over the link. */
static int
lab_peer_route(struct lab_ctx *c, struct lab_ns *ns, int idx, uint32_t peer,
    uint32_t link_ip)
{
	struct nl_route r = {
		.table = RT_TABLE_MAIN, .protocol = RTPROT_STATIC,
		.type = NL_RT_UNICAST, .scope = RT_SCOPE_LINK, .nnh = 1,
		.dst = { .addr = peer, .len = 32 },
	};

	if (peer == 0 || peer == link_ip)
		return 0;
	r.nh[0] = (struct nl_nh){ .ifindex = idx, .weight = 1 };
	return lab_route(c, ns, &r);
}

static int
lab_gwlink_end(struct lab_ctx *c, struct lab_ns *ns, const char *ifname,
    uint32_t ip, uint32_t peer, uint32_t peer_ip, int *idx)
{
	if (lab_forwarder_sysctls(c, ns) < 0 ||
	    (*idx = lab_ifindex(c, ns, ifname)) < 0 ||
	    lab_if_sysctl(c, ns, ifname, "rp_filter", "0") < 0 ||
	    lab_if_up(c, ns, *idx, ifname, ip, LAB_SITELINK_PLEN) < 0)
		return -1;
	return lab_peer_route(c, ns, *idx, peer, peer_ip);
}

static int
lab_gwlink(struct lab_ctx *c, const struct topo_gwlink *l)
{
	struct lab_ns *a = lab_node(c, l->a), *b = lab_node(c, l->b);
	char name[16];
	int ia, ib;

	snprintf(name, sizeof(name), "l%u", l->idx);
	if (lab_veth(c, a, name, b, name) < 0 ||
	    lab_gwlink_end(c, a, name, l->a_ip, topo_bgp_addr(c->t, l->b),
	    l->b_ip, &ia) < 0 ||
	    lab_gwlink_end(c, b, name, l->b_ip, topo_bgp_addr(c->t, l->a),
	    l->a_ip, &ib) < 0)
		return -1;
	/* VR-10: Azure's gateways and MSEEs hash ECMP per flow, as the fabric */
	if ((l->a->kind == TOPO_GW || l->a->kind == TOPO_MSEE) &&
	    lab_sysctl(c, a, "net/ipv4/fib_multipath_hash_policy", "1") < 0)
		return -1;
	return 0;
}

/* One prefix in ns's main table via gw on link `name`, added to a multipath. */
static int
lab_static_via(struct lab_ctx *c, struct lab_ns *ns, const struct pfx4 *p,
    const char *name, uint32_t gw)
{
	struct nl_route r = {
		.table = RT_TABLE_MAIN, .protocol = RTPROT_STATIC,
		.type = NL_RT_UNICAST, .dst = *p,
	};
	struct nl_route *v;
	size_t n, i;
	int idx;

	if ((idx = lab_ifindex(c, ns, name)) < 0)
		return -1;
	if (nl_route_dump(ns->nl, RT_TABLE_MAIN, RTPROT_STATIC, &v, &n) == 0) {
		for (i = 0; i < n; i++)
			if (pfx_equal(&v[i].dst, p) && v[i].nnh < NL_MAX_NH) {
				r = v[i];
				break;
			}
		free(v);
	}
	if (r.nnh >= NL_MAX_NH)
		return 0;
	r.nh[r.nnh++] = (struct nl_nh){ .gw = gw, .ifindex = idx, .weight = 1 };
	return lab_route(c, ns, &r);
}

static bool
site_prefix(const struct topo_site *s, const struct pfx4 *p)
{
	size_t i;

	for (i = 0; i < s->nprefixes; i++)
		if (pfx_equal(&s->prefixes[i], p))
			return true;
	return false;
}

/*
 * A VPN tunnel without BGP: the local network gateway's prefixes (the
 * site's) in the gateway instance, the VNet prefixes it serves in the
 * site's edge (RS-50: what a static connection advertises).
 */
static int
lab_static_tunnel(struct lab_ctx *c, const struct topo_gwlink *l)
{
	const struct topo_vnet *hub = l->conn->gw->vnet;
	struct lab_ns *a = lab_node(c, l->a), *b = lab_node(c, l->b);
	const struct topo_site *s = l->conn->site;
	struct topo_served_pos pos = { 0, 0 };
	const struct pfx4 *p;
	char name[16];
	size_t i;

	snprintf(name, sizeof(name), "l%u", l->idx);
	/*
	 * VR-15: a site prefix equal to a VNet prefix. The gateway keeps the
	 * VNet's route (lab_gw_summarised()) and the edge its LAN's: each
	 * side's own wins, as VR-06 has it in Azure, and no multipath mixes
	 * the two.
	 */
	for (i = 0; i < s->nprefixes; i++)
		if (!topo_vnet_prefix(c->t, &s->prefixes[i]) &&
		    lab_static_via(c, a, &s->prefixes[i], name, l->b_ip) < 0)
			return -1;
	while ((p = topo_gateway_served_pfx(hub, &pos)) != NULL)
		if (!site_prefix(s, p) &&
		    lab_static_via(c, b, p, name, l->a_ip) < 0)
			return -1;
	return 0;
}

/* ---- the Internet edge ---- */

/*
 * The edge answers for every address (a local 0.0.0.0/0 in its local table:
 * replies can then be sent from any address) but the VNets', which are
 * reached back through the fabric by more specific routes in the same table.
 * What arrives on "none0" is looked up first, in a table where only the
 * edge's own address is local and the rest unreachable: with ip_forward 0
 * the kernel drops it silently and counts it (Ip InAddrErrors). For that,
 * the local table's rule moves from priority 0 to after the none0 rule.
 */
static int
lab_edge_routes(struct lab_ctx *c, int eth0)
{
	struct lab_ns *e = &c->inet;
	struct nl_route r = {
		.table = RT_TABLE_LOCAL, .protocol = RTPROT_STATIC,
		.type = NL_RT_LOCAL, .scope = RT_SCOPE_HOST, .nnh = 1,
	};
	size_t i, k;
	int lo;

	if ((lo = lab_ifindex(c, e, "lo")) < 0)
		return -1;
	r.nh[0] = (struct nl_nh){ .ifindex = lo, .weight = 1 };
	if (lab_route(c, e, &r) < 0)
		return -1;
	r.table = LAB_NONE_TABLE;
	r.dst = (struct pfx4){ LAB_EDGE_ADDR, 32 };
	if (lab_route(c, e, &r) < 0)
		return -1;
	r.dst = (struct pfx4){ 0, 0 };
	r.type = NL_RT_UNREACHABLE;
	r.scope = 0;
	r.nnh = 0;
	if (lab_route(c, e, &r) < 0)
		return -1;
	r.table = RT_TABLE_LOCAL;
	r.type = NL_RT_UNICAST;
	r.scope = RT_SCOPE_LINK;
	r.nnh = 1;
	r.nh[0].ifindex = eth0;
	for (i = 0; i < c->t->nvnets; i++)
		for (k = 0; k < c->t->vnets[i]->nspace; k++) {
			r.dst = c->t->vnets[i]->space[k];
			if (lab_route(c, e, &r) < 0)
				return -1;
		}
	if (nl_rule_add(e->nl, LAB_NONE_PRIO, LAB_NONE_IF, LAB_NONE_TABLE) < 0 ||
	    nl_rule_add(e->nl, LAB_LOCAL_PRIO, NULL, RT_TABLE_LOCAL) < 0 ||
	    nl_rule_del(e->nl, 0, NULL, RT_TABLE_LOCAL) < 0)
		return lab_nlfail(c, e, "rules iif %s lookup %u, then local",
		    LAB_NONE_IF, LAB_NONE_TABLE);
	return 0;
}

/* One link between the fabric and the edge; the edge end has LAB_EDGE_ADDR. */
static int
lab_edge_link(struct lab_ctx *c, const char *fname, const char *ename,
    int *eidx)
{
	struct lab_ns *f = &c->fabric, *e = &c->inet;
	int idx;

	if (lab_veth(c, f, fname, e, ename) < 0 ||
	    (idx = lab_ifindex(c, f, fname)) < 0 ||
	    lab_if_sysctl(c, f, fname, "rp_filter", "0") < 0 ||
	    lab_if_sysctl(c, f, fname, "send_redirects", "0") < 0 ||
	    lab_if_up(c, f, idx, fname, 0, 0) < 0 ||
	    (*eidx = lab_ifindex(c, e, ename)) < 0 ||
	    lab_if_sysctl(c, e, ename, "rp_filter", "0") < 0 ||
	    lab_if_up(c, e, *eidx, ename, LAB_EDGE_ADDR, 32) < 0)
		return -1;
	return 0;
}

static int
lab_internet(struct lab_ctx *c)
{
	int eth0, none0;

	if (lab_sysctl(c, &c->inet, "net/ipv4/conf/all/rp_filter", "0") < 0 ||
	    lab_edge_link(c, LAB_INET_IF, LAB_GUEST_IF, &eth0) < 0 ||
	    lab_edge_link(c, LAB_NONE_IF, LAB_NONE_IF, &none0) < 0)
		return -1;
	/*
	 * The edge's replies to VNet addresses: the fabric answers ARP on
	 * "inet" (the fabric's default, lab_fabric_sysctls); the drop link
	 * carries nothing back and answers nothing.
	 */
	if (lab_if_sysctl(c, &c->fabric, LAB_INET_IF, "proxy_arp", "1") < 0 ||
	    lab_if_sysctl(c, &c->fabric, LAB_NONE_IF, "proxy_arp", "0") < 0)
		return -1;
	return lab_edge_routes(c, eth0);
}

/* ---- the whole build ---- */

/*
 * The NICs are made while the namespaces still are, by a second thread:
 * most of a namespace's cost is the file system and the kernel's pernet
 * set-up, most of a NIC's is link registration under the RTNL lock, so
 * on two CPUs they overlap. The namespace thread publishes how many
 * nodes exist; the NIC thread takes each NIC once its node's namespace
 * (and the socket the namespace thread opened in it) is there, and is
 * then its only user. The NIC thread has its own error buffer.
 */
struct lab_pipe {
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	size_t		 made;		/* nodes whose namespaces exist */
	bool		 stop;		/* the namespace thread gave up */
	struct lab_ctx	 wc;		/* the NIC thread's view: its own err */
	struct lab_err	 werr;
	int		 rc;
};

static void
lab_pipe_publish(struct lab_pipe *p, size_t made, bool stop)
{
	pthread_mutex_lock(&p->mu);
	p->made = made;
	p->stop = stop;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

static void *
lab_nic_thread(void *arg)
{
	struct lab_pipe *p = arg;
	const struct topo *t = p->wc.t;
	size_t i, need;
	bool go;

	p->rc = 0;
	for (i = 0; i < t->nnics; i++) {
		need = p->wc.nic_node[i] + 1;
		pthread_mutex_lock(&p->mu);
		while (p->made < need && !p->stop)
			pthread_cond_wait(&p->cv, &p->mu);
		go = p->made >= need;
		pthread_mutex_unlock(&p->mu);
		if (!go || (p->rc = lab_nic(&p->wc, t->nics[i])) < 0)
			break;
	}
	return NULL;
}

static int
lab_namespaces_and_nics(struct lab_ctx *c)
{
	const struct topo *t = c->t;
	struct lab_pipe p = { .wc = *c };
	pthread_t th;
	size_t i;
	int rc = 0, e;

	p.wc.err = &p.werr;
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	if ((e = pthread_create(&th, NULL, lab_nic_thread, &p)) != 0) {
		rc = lab_fail(c, "start the NIC thread: %s", strerror(e));
		goto out;
	}
	for (i = 0; i < t->nnodes && rc == 0; i++) {
		rc = lab_ns_make(c, &c->nodes[i], t->nodes[i]->name,
		    topo_node_forwards(t->nodes[i]), t->nodes[i]->nic == NULL);
		lab_pipe_publish(&p, rc == 0 ? i + 1 : i, rc != 0);
		if (i == t->nnodes / 2)
			lab_crash_point("namespaces-half");
	}
	if (rc == 0)
		lab_crash_point("namespaces");
	pthread_join(th, NULL);
	if (rc == 0 && p.rc < 0) {
		snprintf(c->err->msg, sizeof(c->err->msg), "%s", p.werr.msg);
		rc = -1;
	}
out:
	pthread_cond_destroy(&p.cv);
	pthread_mutex_destroy(&p.mu);
	return rc;
}

static int
lab_steps(struct lab_ctx *c)
{
	const struct topo *t = c->t;
	size_t i;

	if (lab_ns_make(c, &c->fabric, "fabric", false, true) < 0 ||
	    lab_fabric_sysctls(c) < 0 ||
	    lab_ns_make(c, &c->inet, LAB_INET_NODE, false, true) < 0)
		return -1;
	if (lab_namespaces_and_nics(c) < 0)
		return -1;
	if (lab_nic_rules(c) < 0)
		return -1;
	lab_crash_point("nics");
	if (lab_delivery_rule(c) < 0 || lab_policy(c) < 0 || lab_lbs(c) < 0 ||
	    lab_nsg(c) < 0)
		return -1;
	for (i = 0; i < t->nsites; i++)
		if (lab_site(c, t->sites[i]) < 0)
			return -1;
	for (i = 0; i < t->nnvas; i++)
		if (lab_nva_site_routes(c, t->nvas[i]) < 0)
			return -1;
	lab_crash_point("sites");
	for (i = 0; i < t->ngwlinks; i++)
		if (lab_gwlink(c, t->gwlinks[i]) < 0)
			return -1;
	lab_crash_point("gateway-links");
	for (i = 0; i < t->ngwlinks; i++)
		if (!t->gwlinks[i]->bgp && lab_static_tunnel(c, t->gwlinks[i]) < 0)
			return -1;
	return lab_internet(c);
}

static void
lab_ns_close(struct lab_ns *ns)
{
	nl_close(ns->nl);
	ns->nl = NULL;
	if (ns->fd >= 0)
		close(ns->fd);
	ns->fd = -1;
}

int
lab_build(const struct topo *t, const char *topo_file, struct lab_err *err)
{
	struct lab_ctx c = { .t = t, .err = err };
	struct lab_err terr;
	size_t i, k;
	int rc;

	err->msg[0] = '\0';
	if (t->nnics > LAB_MAX_NICS) {
		snprintf(err->msg, sizeof(err->msg), "%zu NICs: a lab holds at "
		    "most %u (one fabric rule priority each)", t->nnics,
		    LAB_MAX_NICS);
		return -1;
	}
	for (i = 0, k = 0; i < t->nnics; i++)
		k += lab_src_checked(t->nics[i]);
	if (k > LAB_SRC_MAX) {
		snprintf(err->msg, sizeof(err->msg), "%zu NICs without IP "
		    "forwarding in NVAs that forward: a lab holds at most %u "
		    "(NV-02: two fabric rule priorities each)", k, LAB_SRC_MAX);
		return -1;
	}
	if (labstate_create(t->name, topo_file, &c.st, err) < 0)
		return -1;
	lab_crash_point("state");
	c.fabric.fd = -1;
	c.inet.fd = -1;
	c.nodes = xcalloc(t->nnodes, sizeof(*c.nodes));
	for (i = 0; i < t->nnodes; i++)
		c.nodes[i].fd = -1;
	share_layout(t, &c.share);
	c.nic_node = xcalloc(t->nnics ? t->nnics : 1, sizeof(*c.nic_node));
	for (i = 0; i < t->nnodes; i++)
		for (k = 0; k < t->nodes[i]->nnics; k++)
			c.nic_node[t->nodes[i]->nics[k]->idx] = i;
	rc = lab_steps(&c);
	free(c.nic_node);
	share_layout_free(&c.share);
	lab_ns_close(&c.fabric);
	lab_ns_close(&c.inet);
	for (i = 0; i < t->nnodes; i++)
		lab_ns_close(&c.nodes[i]);
	free(c.nodes);
	labstate_close_state(&c.st);
	if (rc < 0) {
		terr.msg[0] = '\0';
		if (labstate_teardown(t->name, c.st.dir, &terr) < 0 &&
		    strlen(err->msg) + strlen(terr.msg) + 20 < sizeof(err->msg))
			snprintf(err->msg + strlen(err->msg),
			    sizeof(err->msg) - strlen(err->msg),
			    "; undo failed: %s", terr.msg);
	}
	labstate_unlock(&c.st);
	return rc < 0 ? -1 : 0;
}
