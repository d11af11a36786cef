/*
 * tfnodes: the nodes of a Terraform import (see tfimport.c for the
 * mapping): NICs and their VMs, their addresses (Azure's allocation where
 * the plan does not know them yet), NVAs from the Route Server's BGP
 * connections, Azure Firewalls, VPN gateways and their tunnels to local
 * network gateways, ExpressRoute gateways and their circuits.
 *
 * Owns: the vms, nvas and gateways arrays of each VNet and the sites.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "../lib/util.h"
#include "tfmodel.h"

#define TFM_SITE_MAX	(TOPO_NAME_MAX - 5)	/* room for "-edge" */
#define TFM_VM_NICS	8	/* a plan's VM: NICs looked at (a further one: a VM of its own, warned) */

/* ---- Route Server and gateways ---- */

void
tfm_rs_ips(struct tf *a, const struct tfres *r, const struct tfsub *s)
{
	const cJSON *ips = tf_val(r, NULL, 0, "virtual_router_ips");
	const cJSON *asn = tf_val(r, NULL, 0, "virtual_router_asn");
	char buf[ADDR_STRLEN];
	uint32_t x, y;

	if (tf_unknown(r, NULL, 0, "virtual_router_ips") || ips == NULL) {
		tf_warn(a, r, "assumed: virtual_router_ips are known after "
		    "apply; Azure gives the Route Server .4 and .5 of "
		    "RouteServerSubnet, as arsemu does");
		return;
	}
	if (cJSON_GetArraySize(ips) != 2 || !cJSON_IsString(ips->child) ||
	    !cJSON_IsString(ips->child->next) ||
	    addr_parse(ips->child->valuestring, &x) != 0 ||
	    addr_parse(ips->child->next->valuestring, &y) != 0)
		tf_warn(a, r, "virtual_router_ips are not two addresses: "
		    "arsemu gives the Route Server .4 and .5 of "
		    "RouteServerSubnet");
	else if (s->ok && !(x == imp_rs_ip(&s->p, 0) && y == imp_rs_ip(&s->p,
	    1)) && !(x == imp_rs_ip(&s->p, 1) && y == imp_rs_ip(&s->p, 0)))
		tf_warn(a, r, "virtual_router_ips %s and %s: arsemu gives the "
		    "Route Server .4 and .5 of RouteServerSubnet", addr_fmt(x,
		    buf), ips->child->next->valuestring);
	if (cJSON_IsNumber(asn) && asn->valuedouble != TOPO_RS_ASN)
		tf_warn(a, r, "virtual_router_asn %.0f: a Route Server's ASN is "
		    "65515 (RS-01)", asn->valuedouble);
}

int
tfm_gateway(struct tf *a, struct tfm *m, struct tfvnet *v, struct tfres *r)
{
	const char *type = tf_str(r, NULL, 0, "type");
	char name[TOPO_NAME_MAX + 1];
	cJSON *g;

	bool er = type != NULL && strcasecmp(type, "ExpressRoute") == 0;

	if (type == NULL || (!er && strcasecmp(type, "Vpn") != 0)) {
		tf_warn(a, r, "a %s gateway is not imported (arsemu has Vpn "
		    "and ExpressRoute gateways)", type ? type : "(type unknown)");
		return -1;
	}
	xgrow(&v->gws, &v->gcap, v->ngws + 1, sizeof(*v->gws));
	v->gws[v->ngws++] = r;
	if (v->gwout == NULL)
		v->gwout = cJSON_CreateArray();
	g = cJSON_CreateObject();
	/* "<hub>-<name>0" must fit: the hub is at most TFM_GWHUB_MAX */
	cJSON_AddStringToObject(g, "name", imp_take_name(&m->gwnames,
	    tf_str(r, NULL, 0, "name") ? tf_str(r, NULL, 0, "name") : r->name,
	    name, TOPO_NAME_MAX - TFM_GWHUB_MAX - 2));
	cJSON_AddStringToObject(g, "type", er ? "ExpressRoute" : "Vpn");
	if (er) {
		if (tf_bool(r, NULL, 0, "remote_vnet_traffic_enabled", false))
			cJSON_AddBoolToObject(g, "allow_remote_vnet_traffic",
			    true);
		/* "circuit" when it has one (er_finish) */
		cJSON_AddArrayToObject(g, "circuits");
	} else {
		cJSON_AddBoolToObject(g, "active_active", tf_bool(r, NULL, 0,
		    "active_active", false));
		cJSON_AddArrayToObject(g, "tunnels");
	}
	cJSON_AddItemToArray(v->gwout, g);
	return 0;
}

/* ---- NICs and their addresses ---- */

/* The NIC's ip_configuration: the primary one, else the first. */
static size_t
ipconf(struct tf *a, const struct tfres *r)
{
	const cJSON *l = tf_val(r, NULL, 0, "ip_configuration"), *el;
	size_t i = 0;

	if (cJSON_GetArraySize(l) > 1)
		tf_warn(a, r, "%d ip_configuration blocks: only the primary one "
		    "is imported (a node has one address)",
		    cJSON_GetArraySize(l));
	cJSON_ArrayForEach(el, l) {
		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(el, "primary")))
			return i;
		i++;
	}
	return 0;
}

/*
 * The NIC's other ip_configurations are not imported, but their known
 * addresses in the same subnet are taken: Azure allocates around them.
 */
static void
taken_too(const struct tfres *r, size_t k, struct tfsub *s)
{
	const cJSON *l = tf_val(r, NULL, 0, "ip_configuration");
	size_t i, n = (size_t)cJSON_GetArraySize(l);
	uint32_t ip;

	for (i = 0; i < n && s->ok; i++) {
		const char *x = tf_str(r, "ip_configuration", i,
		    "private_ip_address");

		if (i != k && x != NULL && addr_parse(x, &ip) == 0 &&
		    pfx_contains_addr(&s->p, ip))
			imp_alloc_known(&s->al, ip);
	}
}

static void
add_nic(struct tf *a, struct tfm *m, struct tfres *r)
{
	size_t k = ipconf(a, r);
	const char *ip = tf_str(r, "ip_configuration", k, "private_ip_address");
	struct tfnic *n;
	struct tfsub *s;
	int sub, v;

	if ((v = tfm_subnet_ref(a, m, r, "ip_configuration", k, "subnet_id",
	    &sub)) < 0) {
		if (tf_unknown(r, "ip_configuration", k, "subnet_id"))
			tf_warn(a, r, "its subnet_id is known after apply and "
			    "the configuration's references lead to no subnet "
			    "of the file: skipped");
		else
			tf_warn(a, r, "its subnet is in no VNet of the file: "
			    "skipped");
		return;
	}
	s = &m->vnets[v].subs[sub];
	if (strcmp(s->name, "RouteServerSubnet") == 0 ||
	    strcmp(s->name, "GatewaySubnet") == 0 ||
	    strcmp(s->name, "AzureFirewallSubnet") == 0) {
		tf_warn(a, r, "a NIC in %s is not imported: no VM or NVA may sit "
		    "there", s->name);
		return;
	}
	xgrow(&m->nics, &m->ncap, m->nnics + 1, sizeof(*m->nics));
	n = &m->nics[m->nnics++];
	memset(n, 0, sizeof(*n));
	n->r = r;
	n->conf = k;
	n->vnet = v;
	n->sub = sub;
	n->fwd = tf_bool(r, NULL, 0, "ip_forwarding_enabled", false) ||
	    tf_bool(r, NULL, 0, "enable_ip_forwarding", false);
	if (ip != NULL && ip[0] != '\0' && addr_parse(ip, &n->ip) == 0) {
		n->known = true;
		imp_alloc_known(&s->al, n->ip);
	} else if (ip != NULL && ip[0] != '\0')
		tf_warn(a, r, "private_ip_address %s is not an address: "
		    "allocated as Azure does", ip);
	taken_too(r, k, s);
}

/* Azure's dynamic allocation: the first free address from .4 up. */
static void
allocate(struct tf *a, struct tfm *m, struct tfnic *n)
{
	struct tfsub *s = &m->vnets[n->vnet].subs[n->sub];
	char buf[ADDR_STRLEN];

	if (!s->ok || s->p.len > TOPO_SUBNET_MIN_LEN) {
		n->skip = true;
		tf_warn(a, n->r, "subnet %s has no valid prefix of /%d or "
		    "shorter (%s): skipped", s->name, TOPO_SUBNET_MIN_LEN, s->pfx);
		return;
	}
	if ((n->ip = imp_alloc_next(&s->al, &s->p)) == 0) {
		n->skip = true;
		tf_warn(a, n->r, "subnet %s is full: skipped", s->name);
		return;
	}
	tf_warn(a, n->r, "assumed: private_ip_address is known after apply; "
	    "%s, the first free address of %s from .4 up, as Azure allocates",
	    addr_fmt(n->ip, buf), s->name);
}

struct tfnic *
tfm_nic_of(struct tfm *m, const struct tfres *r)
{
	size_t i;

	for (i = 0; r != NULL && i < m->nnics; i++)
		if (m->nics[i].r == r)
			return &m->nics[i];
	return NULL;
}

static bool
is_vm(const char *type)
{
	return strcmp(type, "azurerm_linux_virtual_machine") == 0 ||
	    strcmp(type, "azurerm_windows_virtual_machine") == 0 ||
	    strcmp(type, "azurerm_virtual_machine") == 0;
}

/* NIC n, VM r's further NIC, left for xnics(); first NULL: r is skipped. */
static void
further(struct tf *a, const struct tfres *r, struct tfnic *n,
    struct tfnic *first)
{
	n->skip = true;
	n->first = first;
	if (first == NULL)
		tf_warn(a, n->r, "a second NIC of %s: not imported (that VM "
		    "is skipped)", r->addr);
}

/* A VM names the node of its first NIC; its others are marked first's. */
static void
vm_nics(struct tf *a, struct tfm *m, struct tfres *r)
{
	const cJSON *ids = tf_val(r, NULL, 0, "network_interface_ids"), *el;
	struct tfres *t, *refs[TFM_VM_NICS];
	struct tfnic *n, *first;
	size_t i = 0, nrefs;

	if (cJSON_IsString(cJSON_GetArrayItem(ids, 0)))
		t = tf_by_id(a, ids->child->valuestring);
	else
		t = tf_ref(a, r, NULL, 0, "network_interface_ids");
	if ((n = tfm_nic_of(m, t)) == NULL) {
		tf_warn(a, r, "its NIC is not in the file (or not imported): "
		    "skipped");
		return;
	}
	if (n->vm != NULL) {
		tf_warn(a, r, "its NIC is %s's already: skipped", n->vm->addr);
		first = NULL;
	} else {
		n->vm = r;
		first = n;
	}
	/* its further NICs: extra NICs of its NVA, or warned, in xnics() */
	cJSON_ArrayForEach(el, ids)
		if (i++ > 0 && cJSON_IsString(el) &&
		    (n = tfm_nic_of(m, tf_by_id(a, el->valuestring))) != NULL &&
		    !n->skip)
			further(a, r, n, first);
	/* a plan's new VM: its NICs are the configuration's references */
	nrefs = tf_refs(a, r, "network_interface_ids", refs, TFM_VM_NICS);
	for (i = 1; i < nrefs; i++)
		if ((n = tfm_nic_of(m, refs[i])) != NULL && !n->skip &&
		    n->vm == NULL)
			further(a, r, n, first);
}

void
tfm_read_nics(struct tf *a, struct tfm *m)
{
	size_t i;

	for (i = 0; i < a->nres; i++)
		if (!a->res[i].data && strcmp(a->res[i].type,
		    "azurerm_network_interface") == 0)
			add_nic(a, m, &a->res[i]);
	tfm_lb_known(a, m);
	for (i = 0; i < m->nnics; i++)
		if (!m->nics[i].known)
			allocate(a, m, &m->nics[i]);
	for (i = 0; i < a->nres; i++)
		if (!a->res[i].data && is_vm(a->res[i].type))
			vm_nics(a, m, &a->res[i]);
}

/* ---- NVAs and VMs ---- */

static const char *
node_name(struct tfm *m, struct tfnic *n, char *buf)
{
	const struct tfres *r = n->vm ? n->vm : n->r;
	const char *want = tf_str(r, NULL, 0, "name");

	imp_take_name(&m->nodes, want ? want : r->name, buf, TOPO_NAME_MAX);
	snprintf(n->node, sizeof(n->node), "%s", buf);	/* for its NSG */
	return buf;
}

static void
put_node(cJSON **arr, const char *name, const char *subnet, uint32_t ip,
    cJSON **out)
{
	char buf[ADDR_STRLEN];

	if (*arr == NULL)
		*arr = cJSON_CreateArray();
	*out = cJSON_CreateObject();
	cJSON_AddStringToObject(*out, "name", name);
	cJSON_AddStringToObject(*out, "subnet", subnet);
	cJSON_AddItemToArray(*arr, *out);
	if (ip != 0)
		cJSON_AddStringToObject(*out, "ip", addr_fmt(ip, buf));
}

/* The peer's address: its value, or the address of the NIC it names. */
static bool
peer_ip(struct tf *a, struct tfm *m, const struct tfres *r, uint32_t *ip)
{
	const char *s = tf_str(r, NULL, 0, "peer_ip");
	struct tfnic *n;

	if (s != NULL)
		return addr_parse(s, ip) == 0;
	if ((n = tfm_nic_of(m, tf_ref(a, r, NULL, 0, "peer_ip"))) == NULL ||
	    n->skip)
		return false;
	*ip = n->ip;
	return true;
}

/* The subnet of VNet v holding ip, or NULL. */
static const char *
sub_of(const struct tfvnet *v, uint32_t ip)
{
	size_t i;

	for (i = 0; i < v->nsubs; i++)
		if (v->subs[i].ok && pfx_contains_addr(&v->subs[i].p, ip))
			return v->subs[i].name;
	return NULL;
}

/*
 * A BGP connection of VNet v's Route Server (a hub's, or a spoke's own)
 * with the NVA at ip: in v, or in a VNet directly peered with it, hub or
 * spoke (PE-08, RS-08), whose NVA then names v in "route_servers". An NVA
 * that peers with a further Route Server gets that VNet added.
 */
static void
bgp_conn(struct tf *a, struct tfm *m, const struct tfres *r)
{
	const cJSON *asn = tf_val(r, NULL, 0, "peer_asn");
	struct tfres *rs = tf_ref(a, r, NULL, 0, "route_server_id");
	char name[TOPO_NAME_MAX + 1], buf[ADDR_STRLEN];
	struct tfvnet *v = NULL, *w = NULL;
	struct tfnic *n = NULL;
	const char *sub = NULL;
	uint32_t ip;
	cJSON *x;
	size_t i;
	int h = -1;

	for (i = 0; rs != NULL && i < m->nvnets; i++)
		if (m->vnets[i].rs == rs)
			h = (int)i;
	if (h < 0) {
		tf_warn(a, r, "its Route Server is not imported: skipped");
		return;
	}
	v = &m->vnets[h];
	if (!cJSON_IsNumber(asn) || !peer_ip(a, m, r, &ip)) {
		tf_warn(a, r, "%s missing or not valid: skipped", cJSON_IsNumber(
		    asn) ? "peer_ip" : "peer_asn");
		return;
	}
	for (i = 0; i < m->nnics; i++)
		if (!m->nics[i].skip && m->nics[i].ip == ip && (n == NULL ||
		    &m->vnets[m->nics[i].vnet] == v))
			n = &m->nics[i];
	if (n != NULL)
		w = &m->vnets[n->vnet];
	else if ((sub = sub_of(v, ip)) != NULL)
		w = v;
	else
		for (i = 0; i < m->nvnets && w == NULL; i++)
			if (tfm_peered(m, h, (int)i) &&
			    (sub = sub_of(&m->vnets[i], ip)) != NULL)
				w = &m->vnets[i];
	if (w == NULL || (w != v && !tfm_peered(m, h, (int)(w - m->vnets)))) {
		tf_warn(a, r, "peer_ip %s is %s%s, not in %s %s nor in a VNet "
		    "directly peered with it: a Route Server peers with NVAs "
		    "of its VNet or a directly peered one (RS-08, PE-08); "
		    "skipped", addr_fmt(ip, buf), w == NULL ? "in no subnet of "
		    "the file" : "in VNet ", w == NULL ? "" : w->azname,
		    v->ishub ? "hub" : "spoke", v->azname);
		return;
	}
	if ((n != NULL && n->nva) || (n == NULL &&
	    imp_nva_at(w->nvas, ip) != NULL)) {
		cJSON *o = n != NULL ? n->out : imp_nva_at(w->nvas, ip);
		const cJSON *had = cJSON_GetObjectItemCaseSensitive(o, "asn");
		cJSON *rss = cJSON_GetObjectItemCaseSensitive(o,
		    "route_servers"), *el;

		cJSON_ArrayForEach(el, rss)
			if (strcmp(cJSON_GetStringValue(el), v->name) == 0)
				break;
		/* its own VNet's Route Server after another's: nothing to add */
		if (w == v && n != NULL && !n->own_rs && rss != NULL) {
			n->own_rs = true;
			return;
		}
		if (w == v || el != NULL) {
			tf_warn(a, r, "a second BGP connection of %s%s with the "
			    "same Route Server: skipped", n != NULL ? "the NIC " :
			    "peer_ip ", n != NULL ? n->r->addr : addr_fmt(ip,
			    buf));
			return;
		}
		if (!cJSON_IsNumber(had) || had->valuedouble != asn->valuedouble)
			tf_warn(a, r, "peer_asn %.0f: NVA %s peers with another "
			    "Route Server as AS %.0f; arsemu's NVA has one ASN: "
			    "it keeps that", asn->valuedouble,
			    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
			    o, "name")), cJSON_IsNumber(had) ? had->valuedouble :
			    0);
		if (rss == NULL)
			rss = cJSON_AddArrayToObject(o, "route_servers");
		cJSON_AddItemToArray(rss, cJSON_CreateString(v->name));
		return;
	}
	if (n != NULL) {
		n->nva = true;
		n->own_rs = w == v;
		sub = w->subs[n->sub].name;
		node_name(m, n, name);
	} else {
		imp_take_name(&m->nodes, tf_str(r, NULL, 0, "name") ? tf_str(r,
		    NULL, 0, "name") : r->name, name, TOPO_NAME_MAX);
		tf_warn(a, r, "no NIC of the file holds peer_ip: NVA %s named "
		    "after the connection", name);
	}
	put_node(&w->nvas, name, sub, ip, &x);
	if (n != NULL)
		n->out = x;
	cJSON_AddNumberToObject(x, "asn", asn->valuedouble);
	if (w != v)
		cJSON_AddItemToArray(cJSON_AddArrayToObject(x, "route_servers"),
		    cJSON_CreateString(v->name));
	if (n != NULL && !n->fwd)
		cJSON_AddStringToObject(x, "role", "server");
	tf_warn(a, r, "NVA %s: what it advertises is not in Terraform: add "
	    "\"advertise\" to the topology", name);
}

/*
 * NIC n, a VM's further NIC, made an extra NIC of the NVA the VM's first
 * NIC made (NV-01): NULL, or why the model cannot hold it. Its name is the
 * NIC's name made a node name, unique among the NVA's.
 */
static const char *
put_xnic(struct tfm *m, struct tfnic *n)
{
	static char why[320];
	const struct tfnic *f = n->first;
	const char *sn = m->vnets[n->vnet].subs[n->sub].name, *want;
	char nn[TOPO_NAME_MAX + 1], buf[ADDR_STRLEN];
	cJSON *l, *y, *el;
	int k = 0;

	if (f->skip)
		return "the VM's first NIC is not imported";
	if (!f->nva || f->out == NULL)
		return "arsemu gives a VM one NIC; extra NICs are an NVA's "
		    "without BGP (NV-01)";
	if (f->vnet != n->vnet)
		return "every NIC of an NVA is in its VNet (NV-01)";
	if (!cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(f->out, "bgp"))) {
		snprintf(why, sizeof(why), "NVA %s speaks BGP, and arsemu gives "
		    "extra NICs to an NVA without BGP only (NV-01)", f->node);
		return why;
	}
	if (f->sub == n->sub)
		goto same;
	l = cJSON_GetObjectItemCaseSensitive(f->out, "nics");
	cJSON_ArrayForEach(el, l) {
		k++;
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		    el, "subnet")), sn) == 0)
			goto same;
	}
	if (k + 1 >= TOPO_NVA_NICS_MAX) {
		snprintf(why, sizeof(why), "NVA %s has %d NICs, arsemu's cap "
		    "(NV-01)", f->node, TOPO_NVA_NICS_MAX);
		return why;
	}
	want = tf_str(n->r, NULL, 0, "name");
	(void)imp_node_name(want ? want : n->r->name, nn, TOPO_NAME_MAX);
	cJSON_ArrayForEach(el, l)
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		    el, "name")), nn) == 0)
			snprintf(nn, sizeof(nn), "nic%d", k + 1);
	if (l == NULL)
		l = cJSON_AddArrayToObject(f->out, "nics");
	y = cJSON_CreateObject();
	cJSON_AddStringToObject(y, "name", nn);
	cJSON_AddStringToObject(y, "subnet", sn);
	cJSON_AddStringToObject(y, "ip", addr_fmt(n->ip, buf));
	cJSON_AddBoolToObject(y, "ip_forwarding", n->fwd);
	cJSON_AddItemToArray(l, y);
	n->xnic = true;
	snprintf(n->node, sizeof(n->node), "%.*s/%s", TOPO_NAME_MAX, f->node,
	    nn);
	return NULL;
same:
	snprintf(why, sizeof(why), "NVA %s has a NIC in subnet %s already, "
	    "and arsemu gives each NIC of an NVA its own subnet (NV-03)",
	    f->node, sn);
	return why;
}

/* A VM's further NICs: extra NICs of its NVA, or left out with why. */
static void
xnics(struct tf *a, struct tfm *m)
{
	const char *why;
	size_t i;

	for (i = 0; i < m->nnics; i++)
		if (m->nics[i].first != NULL &&
		    (why = put_xnic(m, &m->nics[i])) != NULL)
			tf_warn(a, m->nics[i].r, "a second NIC of %s: not "
			    "imported: %s", m->nics[i].first->vm->addr, why);
}

/*
 * The NICs no BGP connection made an NVA: a VM each, or, with IP
 * forwarding on, an NVA without BGP (RS-55): ip_forwarding_enabled is
 * what lets a NIC pass traffic not addressed to it, the appliance's mark
 * (a route table's next hop, a load balancer's backend, LB-03); a VM
 * forwards nothing.
 */
void
tfm_read_bgp(struct tf *a, struct tfm *m)
{
	char name[TOPO_NAME_MAX + 1];
	size_t i;
	cJSON *x;

	for (i = 0; i < a->nres; i++)
		if (!a->res[i].data && strcmp(a->res[i].type,
		    "azurerm_route_server_bgp_connection") == 0)
			bgp_conn(a, m, &a->res[i]);
	for (i = 0; i < m->nnics; i++) {
		struct tfnic *n = &m->nics[i];
		struct tfvnet *v = &m->vnets[n->vnet];

		if (!n->skip && n->nva && n->out != NULL && !n->own_rs &&
		    v->rs != NULL)
			tf_warn(a, n->r, "NVA %s peers with another VNet's Route "
			    "Server and not with its own VNet %s's; arsemu's NVA "
			    "peers with its VNet's Route Server too (RS-04)",
			    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
			    n->out, "name")), v->azname);
		if (n->skip || n->nva)
			continue;
		node_name(m, n, name);
		if (n->vm == NULL)
			tf_warn(a, n->r, "attached to no VM of the file: node %s "
			    "named after the NIC", name);
		if (n->fwd) {
			n->nva = true;
			put_node(&v->nvas, name, v->subs[n->sub].name, n->ip, &x);
			cJSON_AddBoolToObject(x, "bgp", false);
			n->out = x;
			continue;
		}
		put_node(&v->vms, name, v->subs[n->sub].name, n->ip, &x);
	}
	xnics(a, m);
}

/* ---- Azure Firewall ---- */

int
tfm_fw_ipconf(struct tf *a, const struct tfres *r)
{
	size_t i, n = (size_t)cJSON_GetArraySize(tf_val(r, NULL, 0,
	    "ip_configuration"));

	for (i = 0; i < n; i++)
		if (tf_ref_id(a, r, "ip_configuration", i, "subnet_id") != NULL)
			return (int)i;
	return -1;
}

/* Its private_ip_address into *ip, or false: unknown, assumed later. */
static bool
fw_known(struct tf *a, const struct tfres *r, const struct tfsub *s,
    uint32_t *ip)
{
	int k = tfm_fw_ipconf(a, r);
	const char *v = tf_str(r, "ip_configuration", (size_t)k,
	    "private_ip_address");

	if (v == NULL || v[0] == '\0')
		return false;
	if (addr_parse(v, ip) != 0 || !s->ok || !pfx_contains_addr(&s->p, *ip)) {
		tf_warn(a, r, "private_ip_address %s is not an address of %s: "
		    "allocated as Azure does", v, s->name);
		return false;
	}
	return true;
}

static void
put_fw(struct tfm *m, struct tfvnet *v, const struct tfres *r, uint32_t ip)
{
	char name[TOPO_NAME_MAX + 1];
	cJSON *x;

	imp_take_name(&m->nodes, tf_str(r, NULL, 0, "name") ? tf_str(r, NULL,
	    0, "name") : r->name, name, TOPO_NAME_MAX);
	put_node(&v->nvas, name, "AzureFirewallSubnet", ip, &x);
	cJSON_AddBoolToObject(x, "bgp", false);
}

void
tfm_read_firewalls(struct tf *a, struct tfm *m)
{
	char buf[ADDR_STRLEN];
	size_t i, k;

	for (i = 0; i < m->nvnets; i++) {
		struct tfvnet *v = &m->vnets[i];
		struct tfsub *s;
		uint32_t *ips;
		int sub;

		if (v->nfws == 0 || !v->ishub ||
		    (sub = tfm_sub_by_name(v, "AzureFirewallSubnet")) < 0)
			continue;
		s = &v->subs[sub];
		ips = xcalloc(v->nfws, sizeof(*ips));
		/* the known addresses first, then Azure's allocation */
		for (k = 0; k < v->nfws; k++)
			if (fw_known(a, v->fws[k], s, &ips[k]))
				imp_alloc_known(&s->al, ips[k]);
			else
				ips[k] = 0;
		for (k = 0; k < v->nfws; k++) {
			if (ips[k] == 0) {
				if (!s->ok || s->p.len > TOPO_SUBNET_MIN_LEN ||
				    (ips[k] = imp_alloc_next(&s->al, &s->p)) == 0) {
					tf_warn(a, v->fws[k], "AzureFirewallSubnet "
					    "has no free address: skipped");
					continue;
				}
				tf_warn(a, v->fws[k], "assumed: "
				    "private_ip_address is %s; %s, the first "
				    "free address of AzureFirewallSubnet from "
				    ".4 up, as Azure allocates", tf_unknown(
				    v->fws[k], "ip_configuration", (size_t)
				    tfm_fw_ipconf(a, v->fws[k]),
				    "private_ip_address") ? "known after apply" :
				    "not in the file", addr_fmt(ips[k], buf));
			}
			put_fw(m, v, v->fws[k], ips[k]);
		}
		free(ips);
	}
}

/* ---- tunnels ---- */

/* The site entry of resource r: found (*known), else added empty. */
static struct tflng *
lng_get(struct tfm *m, const struct tfres *r, bool *known)
{
	struct tflng *l;
	size_t i;

	*known = true;
	for (i = 0; i < m->nlngs; i++)
		if (m->lngs[i].r == r)
			return &m->lngs[i];
	*known = false;
	xgrow(&m->lngs, &m->lcap, m->nlngs + 1, sizeof(*m->lngs));
	l = &m->lngs[m->nlngs++];
	memset(l, 0, sizeof(*l));
	l->r = r;
	return l;
}

/*
 * Site l of resource r goes out as {"name", "prefixes": pf (taken),
 * "asn"}: its name is the resource's, made unique among the sites.
 */
static void
site_out(struct tfm *m, const struct tfres *r, struct tflng *l, cJSON *pf,
    const cJSON *asn)
{
	cJSON *s;

	l->ok = true;
	l->asn = asn != NULL;
	imp_take_name(&m->sites, tf_str(r, NULL, 0, "name") ? tf_str(r, NULL,
	    0, "name") : r->name, l->name, TFM_SITE_MAX);
	if (m->sitesout == NULL)
		m->sitesout = cJSON_CreateArray();
	s = cJSON_CreateObject();
	cJSON_AddStringToObject(s, "name", l->name);
	cJSON_AddItemToObject(s, "prefixes", pf);
	if (asn != NULL)
		cJSON_AddNumberToObject(s, "asn", asn->valuedouble);
	cJSON_AddItemToArray(m->sitesout, s);
}

static struct tflng *
site_of(struct tf *a, struct tfm *m, const struct tfres *r)
{
	const cJSON *sp = tf_val(r, NULL, 0, "address_space");
	const cJSON *asn = tf_val(r, "bgp_settings", 0, "asn");
	struct tflng *l;
	bool known;

	l = lng_get(m, r, &known);
	if (known)
		return l;
	if (cJSON_GetArraySize(sp) == 0) {
		tf_warn(a, r, "no address_space: the site's prefixes are not in "
		    "Terraform; its connections are not imported");
		return l;
	}
	site_out(m, r, l, cJSON_Duplicate(sp, true), cJSON_IsNumber(asn) ?
	    asn : NULL);
	return l;
}

/* The private peering's peer_asn of circuit c (by its name), or NULL. */
static const cJSON *
circuit_asn(struct tf *a, const struct tfres *c)
{
	const char *cn = tf_str(c, NULL, 0, "name");
	size_t i;

	for (i = 0; cn != NULL && i < a->nres; i++) {
		const struct tfres *p = &a->res[i];
		const char *pt, *pn;

		if (p->data || strcmp(p->type,
		    "azurerm_express_route_circuit_peering") != 0)
			continue;
		pt = tf_str(p, NULL, 0, "peering_type");
		pn = tf_str(p, NULL, 0, "express_route_circuit_name");
		if (pt == NULL || strcmp(pt, "AzurePrivatePeering") != 0)
			continue;
		if (tf_ref(a, p, NULL, 0, "express_route_circuit_name") == c ||
		    (pn != NULL && strcasecmp(pn, cn) == 0))
			return tf_val(p, NULL, 0, "peer_asn");
	}
	return NULL;
}

/* The prefixes of the circuit's tag "arsemu-prefixes" (NULL: none). */
static cJSON *
circuit_prefixes(struct tf *a, const struct tfres *r)
{
	const char *tag = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
	    tf_val(r, NULL, 0, "tags"), "arsemu-prefixes"));
	cJSON *pf = cJSON_CreateArray();
	char *copy = xstrdup(tag ? tag : ""), *tok, *save = NULL;
	struct pfx4 p;

	for (tok = strtok_r(copy, " ,", &save); tok != NULL;
	    tok = strtok_r(NULL, " ,", &save))
		if (pfx_parse(tok, &p) == 0)
			cJSON_AddItemToArray(pf, cJSON_CreateString(tok));
		else
			tf_warn(a, r, "tags.arsemu-prefixes: %s is not a "
			    "prefix: left out", tok);
	free(copy);
	if (pf->child == NULL) {
		cJSON_Delete(pf);
		return NULL;
	}
	return pf;
}

/*
 * An ExpressRoute circuit's site: Terraform does not hold the networks
 * behind a circuit, so its tag "arsemu-prefixes" names them; its ASN is
 * the private peering's peer_asn.
 */
static struct tflng *
circuit_site(struct tf *a, struct tfm *m, const struct tfres *r)
{
	const cJSON *asn;
	struct tflng *l;
	bool known;
	cJSON *pf;

	l = lng_get(m, r, &known);
	if (known)
		return l;
	if ((pf = circuit_prefixes(a, r)) == NULL) {
		tf_warn(a, r, "the networks behind the circuit are not in "
		    "Terraform: tag it \"arsemu-prefixes\" = \"PREFIX ...\" "
		    "(or add the site by hand); its connections are not "
		    "imported");
		return l;
	}
	if ((asn = circuit_asn(a, r)) == NULL || !cJSON_IsNumber(asn)) {
		cJSON_Delete(pf);
		tf_warn(a, r, "no azurerm_express_route_circuit_peering "
		    "(AzurePrivatePeering) gives its peer_asn, which the "
		    "site's BGP needs (GW-01): its connections are not "
		    "imported");
		return l;
	}
	site_out(m, r, l, pf, asn);
	return l;
}

/* An ExpressRoute connection: a circuit of gateway gw, to its site. */
static void
er_conn(struct tf *a, struct tfm *m, const struct tfres *r, cJSON *gw)
{
	struct tfres *cr = tf_ref(a, r, NULL, 0, "express_route_circuit_id");
	const cJSON *w = tf_val(r, NULL, 0, "routing_weight"), *sku, *el;
	cJSON *circuits = cJSON_GetObjectItemCaseSensitive(gw, "circuits"), *c;
	const char *tier;
	struct tflng *l;

	if (circuits == NULL) {
		tf_warn(a, r, "an ExpressRoute connection of a Vpn gateway: "
		    "skipped");
		return;
	}
	if (cr == NULL || strcmp(cr->type, "azurerm_express_route_circuit")) {
		tf_warn(a, r, "its ExpressRoute circuit is not in the file: "
		    "skipped");
		return;
	}
	if (!(l = circuit_site(a, m, cr))->ok)
		return;
	cJSON_ArrayForEach(el, circuits)
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		    el, "site")), l->name) == 0) {
			tf_warn(a, r, "a second connection of the gateway to %s: "
			    "skipped", cr->addr);
			return;
		}
	sku = tf_val(cr, NULL, 0, "sku");
	tier = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
	    cJSON_IsArray(sku) ? cJSON_GetArrayItem(sku, 0) : sku, "tier"));
	c = cJSON_CreateObject();
	cJSON_AddStringToObject(c, "site", l->name);
	if (cJSON_IsNumber(w) && w->valuedouble > 0)
		cJSON_AddNumberToObject(c, "weight", w->valuedouble);
	if (tier != NULL && (strcmp(tier, "Premium") == 0 ||
	    strcmp(tier, "Local") == 0))
		cJSON_AddStringToObject(c, "sku", tier);
	cJSON_AddItemToArray(circuits, c);
}

/* The gateway object of azurerm_virtual_network_gateway g, or NULL. */
static cJSON *
gw_obj(struct tfm *m, const struct tfres *g)
{
	size_t i, k;

	for (i = 0; g != NULL && i < m->nvnets; i++)
		for (k = 0; k < m->vnets[i].ngws; k++)
			if (m->vnets[i].gws[k] == g)
				return cJSON_GetArrayItem(m->vnets[i].gwout,
				    (int)k);
	return NULL;
}

static void
tunnel(struct tf *a, struct tfm *m, const struct tfres *r)
{
	const char *type = tf_str(r, NULL, 0, "type");
	struct tfres *g = tf_ref(a, r, NULL, 0, "virtual_network_gateway_id");
	struct tfres *lr = tf_ref(a, r, NULL, 0, "local_network_gateway_id");
	bool bgp = tf_bool(r, NULL, 0, "bgp_enabled", false) ||
	    tf_bool(r, NULL, 0, "enable_bgp", false);
	cJSON *gw = gw_obj(m, g), *t, *el;
	struct tflng *l;

	if (type != NULL && strcmp(type, "ExpressRoute") == 0) {
		if (gw != NULL)
			er_conn(a, m, r, gw);
		else
			tf_warn(a, r, "its virtual network gateway is not "
			    "imported: skipped");
		return;
	}
	if (type == NULL || strcmp(type, "IPsec") != 0) {
		tf_warn(a, r, "a %s connection is not imported (arsemu "
		    "imports IPsec connections to local network gateways and "
		    "ExpressRoute connections to circuits)",
		    type ? type : "(type unknown)");
		return;
	}
	if (cJSON_GetObjectItemCaseSensitive(gw, "tunnels") == NULL)
		gw = NULL;	/* an ExpressRoute gateway */
	if (gw == NULL || lr == NULL || strcmp(lr->type,
	    "azurerm_local_network_gateway") != 0) {
		tf_warn(a, r, "its %s is not imported: skipped", gw == NULL ?
		    "virtual network gateway" : "local network gateway");
		return;
	}
	if (!(l = site_of(a, m, lr))->ok)
		return;
	cJSON_ArrayForEach(el, cJSON_GetObjectItemCaseSensitive(gw, "tunnels"))
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		    el, "site")), l->name) == 0) {
			tf_warn(a, r, "a second connection to %s: skipped",
			    lr->addr);
			return;
		}
	if (bgp && !l->asn) {
		tf_warn(a, r, "BGP without the local gateway's bgp_settings.asn: "
		    "imported with static routes");
		bgp = false;
	}
	t = cJSON_CreateObject();
	cJSON_AddStringToObject(t, "site", l->name);
	cJSON_AddBoolToObject(t, "bgp", bgp);
	cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(gw, "tunnels"), t);
}

/*
 * ExpressRoute gateways: "circuit" when one, "circuits" when more; one
 * without a circuit is left out (the model's gateways have one at least).
 */
static void
er_finish(struct tf *a, struct tfm *m)
{
	size_t i, k;

	for (i = 0; i < m->nvnets; i++) {
		struct tfvnet *v = &m->vnets[i];

		for (k = v->ngws; k-- > 0;) {
			cJSON *g = cJSON_GetArrayItem(v->gwout, (int)k);
			cJSON *c = cJSON_GetObjectItemCaseSensitive(g, "circuits");
			int n = cJSON_GetArraySize(c);

			if (c == NULL || n > 1)
				continue;
			if (n == 1) {
				cJSON_AddItemToObject(g, "circuit",
				    cJSON_DetachItemFromArray(c, 0));
				cJSON_DeleteItemFromObjectCaseSensitive(g,
				    "circuits");
				continue;
			}
			tf_warn(a, v->gws[k], "ExpressRoute gateway: no "
			    "circuit of the file is imported for it: skipped");
			cJSON_DeleteItemFromArray(v->gwout, (int)k);
			memmove(&v->gws[k], &v->gws[k + 1], (v->ngws - k - 1) *
			    sizeof(*v->gws));
			v->ngws--;
		}
		if (v->gwout != NULL && v->gwout->child == NULL) {
			cJSON_Delete(v->gwout);
			v->gwout = NULL;
		}
	}
}

/* Instance k's address as bgp_settings states it; 0: not stated. */
static uint32_t
gw_stated(const struct tfres *r, int k)
{
	const cJSON *pa = tf_val(r, "bgp_settings", 0, "peering_addresses");
	const char *s = cJSON_GetStringValue(cJSON_GetArrayItem(
	    cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(pa, k),
	    "default_addresses"), 0));
	uint32_t ip;

	if (s == NULL && k == 0)	/* azurerm 2.x: one string */
		s = tf_str(r, "bgp_settings", 0, "peering_address");
	return s != NULL && addr_parse(s, &ip) == 0 ? ip : 0;
}

/* A gateway, its object and its place in the file, to be ordered. */
struct tfgw {
	struct tfres	*r;
	cJSON		*o;
	uint32_t	 key;		/* its first stated address; unstated last */
	size_t		 ord;
};

static int
gw_cmp(const void *x, const void *y)
{
	const struct tfgw *g = x, *h = y;

	if (g->key != h->key)
		return g->key < h->key ? -1 : 1;
	return g->ord < h->ord ? -1 : g->ord > h->ord;
}

/*
 * The lab gives a hub's gateways the free addresses of GatewaySubnet in
 * topology order, and terraform show -json sorts resources by address
 * (module.hub.module.expressroute before module.hub.module.vpn): in the
 * order of the addresses their bgp_settings state (unstated last), each
 * gets its own; one the lab cannot give is a warning, as for import az.
 */
static void
gw_order(struct tf *a, struct tfvnet *v)
{
	struct tfgw *gs = xcalloc(v->ngws + 1, sizeof(*gs));
	struct imp_alloc al = { 0 };
	size_t i;
	int s, j;

	for (i = 0; i < v->ngws; i++) {
		gs[i].r = v->gws[i];
		gs[i].o = cJSON_DetachItemFromArray(v->gwout, 0);
		gs[i].key = gw_stated(v->gws[i], 0);
		if (gs[i].key == 0)
			gs[i].key = UINT32_MAX;
		gs[i].ord = i;
	}
	qsort(gs, v->ngws, sizeof(*gs), gw_cmp);
	for (i = 0; i < v->ngws; i++) {
		v->gws[i] = gs[i].r;
		cJSON_AddItemToArray(v->gwout, gs[i].o);
	}
	free(gs);
	if ((s = tfm_sub_by_name(v, "GatewaySubnet")) < 0 || !v->subs[s].ok)
		return;
	for (i = 0; i < v->ngws; i++) {
		const cJSON *g = cJSON_GetArrayItem(v->gwout, (int)i);
		bool two = cJSON_GetObjectItemCaseSensitive(g, "circuit") ||
		    cJSON_GetObjectItemCaseSensitive(g, "circuits") ||
		    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(g,
		    "active_active"));
		char b[ADDR_STRLEN], c[ADDR_STRLEN];
		uint32_t ip, want;

		for (j = 0; j < (two ? 2 : 1); j++) {
			if ((ip = imp_alloc_next(&al, &v->subs[s].p)) == 0)
				break;	/* full: validate says so */
			if ((want = gw_stated(v->gws[i], j)) != 0 && want != ip)
				tf_warn(a, v->gws[i], "bgp_settings: instance %d "
				    "has %s; the lab gives it %s, the next free "
				    "address of GatewaySubnet", j, addr_fmt(want,
				    b), addr_fmt(ip, c));
		}
	}
	imp_alloc_free(&al);
}

void
tfm_read_tunnels(struct tf *a, struct tfm *m)
{
	size_t i;

	for (i = 0; i < a->nres; i++) {
		struct tfres *r = &a->res[i];

		if (r->data)
			continue;
		if (strcmp(r->type, "azurerm_virtual_network_gateway_connection")
		    == 0)
			tunnel(a, m, r);
	}
	for (i = 0; i < a->nres; i++) {
		const struct tfres *r = &a->res[i];
		size_t k;

		if (r->data || (strcmp(r->type, "azurerm_local_network_gateway")
		    && strcmp(r->type, "azurerm_express_route_circuit")))
			continue;
		for (k = 0; k < m->nlngs && m->lngs[k].r != r; k++)
			;
		if (k == m->nlngs)
			tf_warn(a, r, "no connection of the file uses it: not "
			    "imported");
	}
	er_finish(a, m);
	for (i = 0; i < m->nvnets; i++)
		if (m->vnets[i].ngws > 0 && m->vnets[i].gwout != NULL)
			gw_order(a, &m->vnets[i]);
}
