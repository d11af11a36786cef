/*
 * azimport_nic: NICs, the VMs and NVAs they make, and what Route Server
 * learned from each NVA (see azimport.h).
 *
 *   networkInterfaces        `az network nic list`: the primary IP
 *                            configuration's privateIPAddress and subnet,
 *                            enableIPForwarding, virtualMachine.id (the
 *                            VM's name); a NIC matched by a Route Server
 *                            peering's peerIp is that NVA's, which its VM
 *                            names (IP forwarding off: role "server"), in
 *                            the Route Server's hub or a spoke directly
 *                            peered with it ("route_servers", PE-08); the
 *                            others with IP forwarding on are NVAs without
 *                            BGP (RS-55), the rest VMs
 *   RouteServiceRole_IN_<k>  `az network routeserver peering
 *                            list-learned-routes`, per peering: what
 *                            instance k learned; the routes whose
 *                            sourcePeer is an NVA are what it advertises
 *                            (asPath: its ASN, repeated once per prepend,
 *                            the NVA's or, beyond it, the route's own;
 *                            nextHop other than its own address: next_hop)
 *   learned routes of a gateway  `az network vnet-gateway
 *                            list-learned-routes`: kept for azimport_gw.c,
 *                            which takes the sites' prefixes from them
 *   azureFirewalls           `az network firewall list`: an NVA without
 *                            BGP (RS-55) named after the firewall, at the
 *                            privateIPAddress of the IP configuration with
 *                            a subnet (AzureFirewallSubnet); it makes its
 *                            VNet a hub, as a Route Server or gateway does
 * Without a NIC list, a subnet's ipConfigurations name the VMs, as before.
 *
 * Must not: read files, or write anything but NVAs (firewalls among them)
 * and VMs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "../lib/util.h"
#include "azimport_int.h"

#define AZ_PATH_MAX	16	/* ASNs of an AS path looked at */

/* ---- classifying ---- */

/* The primary IP configuration, or the first. */
static const cJSON *
nic_ipconf(const cJSON *o, size_t *idx)
{
	const cJSON *l = az_jget(o, "ipConfigurations"), *c;
	size_t i = 0;

	cJSON_ArrayForEach(c, l) {
		if (az_jbool(c, "primary", false)) {
			*idx = i;
			return c;
		}
		i++;
	}
	*idx = 0;
	return l != NULL && cJSON_IsArray(l) ? l->child : NULL;
}

void
az_classify_nic(struct az *a, const struct azres *r)
{
	char vm[128];
	struct aznic n = { .r = *r };
	const cJSON *c;
	const char *ip;
	size_t k;

	n.id = az_jstr(r->o, "id");
	n.name = az_jstr(r->o, "name");
	if (n.id == NULL || n.name == NULL) {
		az_warn(a, r, n.id ? "name" : "id", "a NIC needs its id and "
		    "name: skipped");
		return;
	}
	n.fwd = az_jbool(r->o, "enableIPForwarding", false);
	n.secondary = !az_jbool(r->o, "primary", true);
	n.vm = imp_id_part(az_jstr(az_jget(r->o, "virtualMachine"), "id"),
	    "virtualMachines", vm, sizeof(vm)) ? xstrdup(vm) : NULL;
	if ((c = nic_ipconf(r->o, &k)) == NULL) {
		az_warn(a, r, "ipConfigurations", "NIC %s has no IP "
		    "configuration: skipped", n.name);
		free((char *)n.vm);
		return;
	}
	az_res_at(&n.r, r, "ipConfigurations", k);
	n.r.o = r->o;
	n.subnet_id = az_jstr(az_jget(c, "subnet"), "id");
	n.conf_id = az_jstr(c, "id");
	if ((ip = az_jstr(c, "privateIPAddress")) != NULL)
		n.has_ip = addr_parse(ip, &n.ip) == 0;
	if (cJSON_GetArraySize(az_jget(r->o, "ipConfigurations")) > 1)
		az_warn(a, r, "ipConfigurations", "NIC %s has %d IP "
		    "configurations: arsemu gives a NIC one, %s", n.name,
		    cJSON_GetArraySize(az_jget(r->o, "ipConfigurations")),
		    ip ? ip : "the primary one");
	az_push(&a->nics, &a->nnics, &a->nicap, &n, sizeof(n));
}

static void
route_of(struct az *a, const struct azres *r, int inst)
{
	struct azroute x = { .r = *r, .inst = inst };
	const char *s;

	x.network = az_jstr(r->o, "network");
	x.as_path = az_jstr(r->o, "asPath");
	x.next_hop = az_jstr(r->o, "nextHop");
	x.origin = az_jstr(r->o, "origin");
	if ((s = az_jstr(r->o, "sourcePeer")) != NULL)
		x.has_peer = addr_parse(s, &x.peer) == 0;
	if ((s = az_jstr(r->o, "localAddress")) != NULL)
		x.has_local = addr_parse(s, &x.local) == 0;
	if (x.network == NULL || !x.has_peer) {
		az_warn(a, r, x.network ? "sourcePeer" : "network", "a learned "
		    "route without its network or source peer: skipped");
		return;
	}
	if (inst >= 0)
		az_push(&a->rsroutes, &a->nrsroutes, &a->rsrcap, &x, sizeof(x));
	else
		az_push(&a->gwroutes, &a->ngwroutes, &a->gwrcap, &x, sizeof(x));
}

void
az_classify_rs_routes(struct az *a, const struct azres *file)
{
	const cJSON *inst, *el;

	cJSON_ArrayForEach(inst, file->o) {
		const char *k = inst->string + 20;	/* after "..._IN_" */
		size_t i = 0;

		if (strcmp(inst->string, "value") == 0)
			continue;	/* null, as az prints it */

		if (strcmp(k, "0") != 0 && strcmp(k, "1") != 0) {
			struct azres r = *file;

			topo_path_key(r.path, file->path, inst->string);
			az_warn(a, &r, NULL, "Route Server has instances 0 "
			    "and 1 only: skipped");
			continue;
		}
		a->rs_inst_listed[k[0] - '0'] = true;
		cJSON_ArrayForEach(el, inst) {
			struct azres r = *file;

			az_res_at(&r, file, inst->string, i++);
			r.o = el;
			route_of(a, &r, k[0] - '0');
		}
	}
}

void
az_classify_gw_route(struct az *a, const struct azres *r)
{
	route_of(a, r, -1);
}

/* ---- NVAs ---- */

struct aznic *
az_nic_by_ip(struct az *a, uint32_t ip)
{
	size_t i;

	for (i = 0; i < a->nnics; i++)
		if (a->nics[i].has_ip && a->nics[i].ip == ip)
			return &a->nics[i];
	return NULL;
}

static bool
path_has(const uint32_t *path, int n, uint32_t asn)
{
	int i;

	for (i = 0; i < n; i++)
		if (path[i] == asn)
			return true;
	return false;
}

/*
 * Whether a route learned at Route Server address local may be from the
 * NVA of VNet v: a Route Server of v or of a VNet directly peered with it
 * (RS-08; the same address in an unpeered VNet is another NVA's), or one
 * the files do not place.
 */
static bool
local_reaches(const struct az *a, const struct azvnet *v, uint32_t local)
{
	int self = (int)(v - a->vnets);
	size_t i;

	for (i = 0; i < a->nrss; i++)
		if (a->rss[i].vnet >= 0 && (a->rss[i].ip[0] == local ||
		    a->rss[i].ip[1] == local))
			return a->rss[i].vnet == self ||
			    az_peered(a, a->rss[i].vnet, self);
	return true;
}

/*
 * What the Route Servers learned from the NVA at ip (ASN asn) of VNet v:
 * its "advertise", "prepend", "next_hop" and, when one instance of v's
 * own Route Server learned nothing from it while the other did, "peers".
 * An NVA peering several Route Servers (route_servers) advertises the
 * union of what each learned from it: arsemu's NVA sends every Route
 * Server the same routes. false: no learned route from it.
 */
static bool
nva_routes(struct az *a, const struct azvnet *v, cJSON *x, const char *name,
    uint32_t ip, uint32_t asn)
{
	const struct azrs *own = v->rs >= 0 ? &a->rss[v->rs] : NULL;
	/* seen: any route from it, also one skipped below */
	const struct azroute *pfirst = NULL, *seen_r = NULL;
	struct azadv { const char *net; int rep; } *advs = NULL;
	struct azset nets = { NULL, NULL, 0, 0 };
	bool seen[2] = { false, false }, any = false;
	size_t nadv = 0, acap = 0, i;
	int base = -1, passed = 0;
	uint32_t nh = 0;

	if (!a->rs_inst_listed[0] && !a->rs_inst_listed[1])
		return false;
	for (i = 0; i < a->nrsroutes; i++) {
		const struct azroute *r = &a->rsroutes[i];
		uint32_t path[AZ_PATH_MAX], hop;
		struct azadv ad;
		int n, rep;

		if (r->peer != ip || (r->has_local &&
		    !local_reaches(a, v, r->local)))
			continue;
		if (own != NULL && (!r->has_local || r->local == own->ip[0] ||
		    r->local == own->ip[1]))
			seen[r->inst] = true;
		any = true;
		seen_r = r;
		n = topo_az_asn_path(r->as_path, path, AZ_PATH_MAX);
		if (path_has(path, n, TOPO_RS_ASN)) {
			if (passed++ == 0)	/* passed back (RS-20) */
				pfirst = r;
			continue;
		}
		if (n <= 0 || path[0] != asn) {
			az_warn(a, &r->r, "asPath", "\"%s\" does not start "
			    "with NVA %s's ASN %u: route skipped",
			    r->as_path ? r->as_path : "", name, asn);
			continue;
		}
		for (rep = 1; rep < n && path[rep] == asn; rep++)
			;
		if (rep < n)
			az_warn(a, &r->r, "asPath", "%s: NVA %s originates it "
			    "in the lab, without the ASNs after its own (%s)",
			    r->network, name, r->as_path);
		if (r->next_hop != NULL && r->next_hop[0] != '\0' &&
		    addr_parse(r->next_hop, &hop) == 0 && hop != ip) {
			if (nh == 0)
				nh = hop;
			else if (nh != hop)
				az_warn(a, &r->r, "nextHop", "NVA %s sends "
				    "another next hop on another route; arsemu's "
				    "NVA sends one for all", name);
		}
		if (az_set_get(&nets, r->network, strlen(r->network)) != -1)
			continue;	/* the other instance learned it too */
		az_set_put(&nets, r->network, strlen(r->network), 0);
		ad.net = r->network;
		ad.rep = rep;
		az_push(&advs, &nadv, &acap, &ad, sizeof(ad));
		if (base < 0 || rep - 1 < base)
			base = rep - 1;
	}
	az_set_free(&nets);
	if (!any) {
		free(advs);
		return false;
	}
	if (passed > 0)
		az_warn(a, &pfirst->r, "asPath", "NVA %s: %d learned route%s "
		    "with 65515 in the AS path: what it passes back from Route "
		    "Server, which drops it (RS-20); the lab's NVA does the "
		    "same, not advertised", name, passed,
		    passed > 1 ? "s" : "");
	/* the prepend all routes share is the NVA's, the rest each route's */
	if (nadv > 0) {
		cJSON *adv = cJSON_AddArrayToObject(x, "advertise"), *e;

		for (i = 0; i < nadv; i++) {
			if (advs[i].rep - 1 == base) {
				cJSON_AddItemToArray(adv,
				    cJSON_CreateString(advs[i].net));
				continue;
			}
			e = cJSON_CreateObject();
			cJSON_AddStringToObject(e, "prefix", advs[i].net);
			cJSON_AddNumberToObject(e, "prepend",
			    advs[i].rep - 1 - base);
			cJSON_AddItemToArray(adv, e);
		}
	}
	free(advs);
	if (base > 0)
		cJSON_AddNumberToObject(x, "prepend", base);
	if (nh != 0) {
		char b[ADDR_STRLEN];

		cJSON_AddStringToObject(x, "next_hop", addr_fmt(nh, b));
	}
	if (seen[0] != seen[1] && a->rs_inst_listed[0] &&
	    a->rs_inst_listed[1]) {
		cJSON *p = cJSON_AddArrayToObject(x, "peers");

		cJSON_AddItemToArray(p, cJSON_CreateNumber(seen[0] ? 0 : 1));
		az_warn(a, &seen_r->r, NULL, "only Route Server instance %d "
		    "learned from NVA %s: it peers with that one only (RS-04)",
		    seen[0] ? 0 : 1, name);
	}
	return true;
}

static const char *vm_name(const char *nic, char *buf, size_t len);
static bool vm_seen(struct az *a, const struct aznic *nic);
static bool has_subnet(const struct azvnet *v, const char *name);

/*
 * An NVA's node is named as a VM's: after the VM of the NIC at its peerIp
 * (Terraform's import does the same), else after that NIC; without a NIC
 * in the files, after the peering (its name, else its address).
 */
static const char *
nva_name(struct az *a, const struct aznic *nic, const struct azres *b,
    const char *ip, char *buf, size_t len)
{
	if (nic != NULL && nic->vm != NULL) {
		(void)vm_seen(a, nic);	/* its second NIC is a VM's */
		return nic->vm;
	}
	if (nic != NULL)
		return vm_name(nic->name, buf, len);
	return az_jstr(b->o, "name") ? az_jstr(b->o, "name") : ip;
}

/*
 * The Route Server a peering belongs to: the one its id names
 * (".../virtualHubs/RS/bgpConnections/..."); an id that names none (a
 * hand-saved file), or a Route Server without a name, matches every one,
 * *any set.
 */
static const struct azrs *
peering_rs(const struct azres *b, const struct azrs *rs, bool *any)
{
	char hubname[128];

	*any = imp_id_part(az_jstr(b->o, "id"), "virtualHubs", hubname,
	    sizeof(hubname)) == NULL || rs->azname == NULL;
	if (*any || strcasecmp(hubname, rs->azname) == 0)
		return rs;
	return NULL;
}

/* Whether a peering of v's own Route Server has peerIp addr. */
static bool
own_rs_peers(struct az *a, const struct azvnet *v, uint32_t addr)
{
	const char *ip;
	uint32_t x;
	size_t i;
	bool any;

	for (i = 0; v->rs >= 0 && i < a->nbgps; i++)
		if (peering_rs(&a->bgps[i], &a->rss[v->rs], &any) != NULL &&
		    (ip = az_jstr(a->bgps[i].o, "peerIp")) != NULL &&
		    addr_parse(ip, &x) == 0 && x == addr)
			return true;
	return false;
}

/* hub added to NVA x's "route_servers", made if missing, once. */
static void
add_route_server(cJSON *x, const char *hub)
{
	cJSON *l = cJSON_GetObjectItemCaseSensitive(x, "route_servers"), *el;

	if (l == NULL)
		l = cJSON_AddArrayToObject(x, "route_servers");
	cJSON_ArrayForEach(el, l)
		if (cJSON_IsString(el) && strcmp(el->valuestring, hub) == 0)
			return;
	cJSON_AddItemToArray(l, cJSON_CreateString(hub));
}

/*
 * Peering b of Route Server rs (in hub h) with the NVA at ip (address
 * addr, subnet sname) of VNet v: a new NVA of nvas, or, for a spoke's NVA
 * that peers with a second hub's Route Server, that hub added to its
 * "route_servers". v == h: the hub's own NVA.
 */
static void
put_nva(struct az *a, const struct azrs *rs, const struct azres *b,
    const struct azvnet *v, cJSON *nvas, bool *has_nva, const char *ip,
    uint32_t addr, const char *sname, const cJSON *asn)
{
	const struct azvnet *h = &a->vnets[rs->vnet];
	char name[TOPO_NAME_MAX + 1], want[128];
	const cJSON *sn, *had;
	const char *n;
	struct aznic *nic;
	cJSON *x;
	size_t k = 0;

	if ((x = imp_nva_at(nvas, addr)) != NULL) {
		/* an NVA peering with a second Route Server */
		had = cJSON_GetObjectItemCaseSensitive(x, "asn");
		if (!cJSON_IsNumber(had) || had->valuedouble != asn->valuedouble)
			az_warn(a, b, "peerAsn", "%.0f: NVA %s peers with another "
			    "Route Server as AS %.0f; arsemu's NVA has one ASN: "
			    "it keeps %.0f", asn->valuedouble,
			    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
			    x, "name")), cJSON_IsNumber(had) ? had->valuedouble :
			    0, cJSON_IsNumber(had) ? had->valuedouble : 0);
		if (h != v)
			add_route_server(x, h->name);
		return;
	}
	cJSON_ArrayForEach(sn, v->subnets) {
		if ((n = az_jstr(sn, "name")) != NULL && strcmp(n, sname) == 0)
			has_nva[k] = true;
		k++;
	}
	x = cJSON_CreateObject();
	nic = az_nic_by_ip(a, addr);
	az_take_name(a, nva_name(a, nic, b, ip, want, sizeof(want)),
	    name, TOPO_NAME_MAX);
	cJSON_AddStringToObject(x, "name", name);
	cJSON_AddStringToObject(x, "subnet", sname);
	cJSON_AddNumberToObject(x, "asn", asn->valuedouble);
	cJSON_AddStringToObject(x, "ip", ip);
	if (h != v)
		add_route_server(x, h->name);
	if (h != v && v->rs >= 0 && !own_rs_peers(a, v, addr))
		az_warn(a, b, "peerIp", "NVA %s peers with %s's Route Server "
		    "and not with its own VNet %s's; arsemu's NVA peers with "
		    "its VNet's Route Server too (RS-04)", name, h->azname,
		    v->azname);
	if (nic != NULL) {
		nic->used = nic->nva = true;
		snprintf(nic->node, sizeof(nic->node), "%s", name);
		if (!nic->fwd) {
			cJSON_AddStringToObject(x, "role", "server");
			az_warn(a, &nic->r, NULL, "NIC %s of NVA %s "
			    "has IP forwarding off (enableIPForwarding): "
			    "imported with role \"server\", which "
			    "forwards nothing", nic->name, name);
		}
	}
	if (!nva_routes(a, v, x, name, addr, (uint32_t)asn->valuedouble))
		az_warn(a, b, NULL, "NVA %s: %s: save az network "
		    "routeserver peering list-learned-routes, or add "
		    "\"advertise\" to the topology", name,
		    a->rs_inst_listed[0] || a->rs_inst_listed[1] ?
		    "no learned route in the files comes from it, so "
		    "it advertises nothing" : "what it advertises is "
		    "not in the files");
	cJSON_AddItemToArray(nvas, x);
}

/*
 * The NVAs of VNet v that peer with a Route Server: with v's own (their
 * peerIp in v, a hub or a spoke with a Route Server), and with that of
 * any VNet directly peered with v, hub or spoke (PE-08, RS-08:
 * "route_servers"; a hub's NVA may so name another hub). A peerIp in a
 * VNet not directly peered with the Route Server's is a warning.
 */
cJSON *
az_put_nvas(struct az *a, const struct azvnet *v, bool *has_nva)
{
	cJSON *nvas = cJSON_CreateArray();
	int self = (int)(v - a->vnets);
	size_t i, r;

	for (r = 0; r < a->nrss; r++) {
		const struct azrs *rs = &a->rss[r];
		const struct azvnet *h;

		if (rs->vnet < 0 || rs->r.o == NULL || a->vnets[rs->vnet].skip ||
		    a->vnets[rs->vnet].rs != (int)r)
			continue;
		h = &a->vnets[rs->vnet];
		if (rs->vnet != self && !az_peered(a, rs->vnet, self))
			continue;	/* the hub's pass warns of them */
		for (i = 0; i < a->nbgps; i++) {
			const struct azres *b = &a->bgps[i];
			const cJSON *asn = az_jget(b->o, "peerAsn");
			const char *ip = az_jstr(b->o, "peerIp"), *sname = NULL;
			uint32_t addr;
			bool any;
			int w;

			if (peering_rs(b, rs, &any) == NULL)
				continue;
			if (rs->vnet != self && any && a->nrss > 1)
				continue;	/* whose: the hub's pass says */
			if (ip == NULL || addr_parse(ip, &addr) != 0 ||
			    !cJSON_IsNumber(asn)) {
				if (rs->vnet == self)
					az_warn(a, b, ip == NULL ? "peerIp" :
					    "peerAsn", "missing or not valid: "
					    "peering skipped");
				continue;
			}
			w = az_vnet_of_ip(a, addr, NULL, &sname);
			if (w == self) {
				put_nva(a, rs, b, v, nvas, has_nva, ip, addr,
				    sname, asn);
				continue;
			}
			if (rs->vnet != self)
				continue;	/* another Route Server's pass */
			if (w >= 0 && az_peered(a, rs->vnet, w) && !(any &&
			    a->nrss > 1))
				continue;	/* the spoke's pass makes it */
			if (w >= 0 && az_peered(a, rs->vnet, w)) {
				az_warn(a, b, "id", "names no Route Server "
				    "(.../virtualHubs/NAME/bgpConnections/...) "
				    "and the files hold %zu: the NVA at %s in "
				    "VNet %s is not imported", a->nrss, ip,
				    a->vnets[w].azname);
				continue;
			}
			az_warn(a, b, "peerIp", "%s is %s%s%s, not in %s %s "
			    "nor in a VNet directly peered with it: a Route "
			    "Server peers with NVAs of its VNet or a directly "
			    "peered one (RS-08, PE-08); peering skipped", ip,
			    w < 0 ? "in no VNet of the files" : "in VNet ",
			    w < 0 ? "" : a->vnets[w].azname,
			    w >= 0 && a->vnets[w].skip ? " (skipped)" : "",
			    az_is_hub(h) ? "hub" : "spoke", h->azname);
		}
	}
	return nvas;
}

/*
 * The NICs of v with IP forwarding on that no Route Server peering made
 * an NVA: NVAs without BGP (RS-55), forwarding by route tables and as a
 * load balancer's backends (LB-03), appended to *nvas (made if NULL).
 * Read so because enableIPForwarding is what lets a NIC pass traffic not
 * addressed to it, the appliance's mark whatever its pool; a VM forwards
 * nothing. Not in Azure's own subnets, where no VM or NVA sits.
 */
/*
 * NIC nic, not its VM's first, made an extra NIC of the NVA its VM's first
 * NIC made, in nvas (NV-01): NULL, or why the model cannot hold it. Its
 * name is the NIC's Azure name made a node name, unique among the NVA's.
 */
static const char *
put_xnic(struct az *a, cJSON *nvas, struct aznic *nic)
{
	static char why[320];
	char nn[TOPO_NAME_MAX + 1], ip[ADDR_STRLEN];
	const struct aznic *own = NULL;
	cJSON *x = NULL, *l, *y, *el;
	const char *s;
	size_t i;
	int k = 0;

	for (i = 0; i < a->nnics && own == NULL; i++)
		if (&a->nics[i] != nic && a->nics[i].vm != NULL &&
		    strcasecmp(a->nics[i].vm, nic->vm) == 0 &&
		    a->nics[i].node[0] != '\0' && !a->nics[i].xnic)
			own = &a->nics[i];
	if (own == NULL || !own->nva)
		return "arsemu gives a VM one NIC; extra NICs are an NVA's "
		    "without BGP (NV-01)";
	if (own->vnet != nic->vnet)
		return "every NIC of an NVA is in its VNet (NV-01)";
	cJSON_ArrayForEach(el, nvas)
		if ((s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		    el, "name"))) != NULL && strcmp(s, own->node) == 0)
			x = el;
	if (x == NULL || !cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(x,
	    "bgp"))) {
		snprintf(why, sizeof(why), "NVA %s speaks BGP, and arsemu gives "
		    "extra NICs to an NVA without BGP only (NV-01)", own->node);
		return why;
	}
	if (strcmp(own->subnet, nic->subnet) == 0)
		goto same;
	l = cJSON_GetObjectItemCaseSensitive(x, "nics");
	cJSON_ArrayForEach(el, l) {
		k++;
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		    el, "subnet")), nic->subnet) == 0)
			goto same;
	}
	if (k + 1 >= TOPO_NVA_NICS_MAX) {
		snprintf(why, sizeof(why), "NVA %s has %d NICs, arsemu's cap "
		    "(NV-01)", own->node, TOPO_NVA_NICS_MAX);
		return why;
	}
	(void)imp_node_name(nic->name, nn, TOPO_NAME_MAX);
	cJSON_ArrayForEach(el, l)
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		    el, "name")), nn) == 0 || strcmp(nn, own->node) == 0)
			snprintf(nn, sizeof(nn), "nic%d", k + 1);
	if (l == NULL)
		l = cJSON_AddArrayToObject(x, "nics");
	y = cJSON_CreateObject();
	cJSON_AddStringToObject(y, "name", nn);
	cJSON_AddStringToObject(y, "subnet", nic->subnet);
	if (nic->has_ip)
		cJSON_AddStringToObject(y, "ip", addr_fmt(nic->ip, ip));
	cJSON_AddBoolToObject(y, "ip_forwarding", nic->fwd);
	cJSON_AddItemToArray(l, y);
	nic->xnic = true;
	snprintf(nic->node, sizeof(nic->node), "%.*s/%s", TOPO_NAME_MAX, own->node, nn);
	return NULL;
same:
	snprintf(why, sizeof(why), "NVA %s has a NIC in subnet %s already, "
	    "and arsemu gives each NIC of an NVA its own subnet (NV-03)",
	    own->node, nic->subnet);
	return why;
}

void
az_put_fwd_nvas(struct az *a, const struct azvnet *v, cJSON **nvas)
{
	char name[TOPO_NAME_MAX + 1], want[128], ip[ADDR_STRLEN];
	const char *why;
	cJSON *x;
	int i;

	for (i = v->nic_first; i >= 0; i = a->nics[i].next) {
		struct aznic *nic = &a->nics[i];

		if (nic->used || !nic->fwd || !has_subnet(v, nic->subnet) ||
		    strcmp(nic->subnet, "RouteServerSubnet") == 0 ||
		    strcmp(nic->subnet, "GatewaySubnet") == 0 ||
		    strcmp(nic->subnet, "AzureFirewallSubnet") == 0)
			continue;
		nic->used = nic->nva = true;
		if (nic->vm != NULL && vm_seen(a, nic)) {
			if ((why = put_xnic(a, *nvas, nic)) == NULL)
				continue;
			az_warn(a, &nic->r, NULL, "VM %s has a second NIC, %s: "
			    "%s; this one is an NVA of its own", nic->vm,
			    nic->name, why);
		}
		az_take_name(a, nic->vm ? nic->vm : vm_name(nic->name, want,
		    sizeof(want)), name, TOPO_NAME_MAX);
		snprintf(nic->node, sizeof(nic->node), "%s", name);
		if (*nvas == NULL)
			*nvas = cJSON_CreateArray();
		x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "name", name);
		cJSON_AddStringToObject(x, "subnet", nic->subnet);
		if (nic->has_ip)
			cJSON_AddStringToObject(x, "ip", addr_fmt(nic->ip, ip));
		cJSON_AddBoolToObject(x, "bgp", false);
		cJSON_AddItemToArray(*nvas, x);
	}
}

/* ---- Azure Firewall ---- */

void
az_classify_fw(struct az *a, const struct azres *r)
{
	struct azfw f = { .r = *r, .vnet = -1 };

	f.azname = az_jstr(r->o, "name");
	az_push(&a->fws, &a->nfws, &a->fwcap, &f, sizeof(f));
}

/* v has a subnet named exactly name (ids may be upper-case, names not). */
static bool
has_subnet(const struct azvnet *v, const char *name)
{
	const cJSON *sn;

	cJSON_ArrayForEach(sn, v->subnets)
		if (az_jstr(sn, "name") != NULL &&
		    strcmp(az_jstr(sn, "name"), name) == 0)
			return true;
	return false;
}

/* The firewall's IP configuration with a subnet, or -1. */
static int
fw_ipconf(const struct azfw *f, const cJSON **out)
{
	const cJSON *el;
	int i = 0;

	cJSON_ArrayForEach(el, az_jget(f->r.o, "ipConfigurations")) {
		if (az_jstr(az_jget(el, "subnet"), "id") != NULL) {
			*out = el;
			return i;
		}
		i++;
	}
	return -1;
}

static void
firewall(struct az *a, struct azfw *f)
{
	const char *name = f->azname ? f->azname : "?", *ip;
	char sname[81], key[64];
	const cJSON *ic = NULL;
	int k, v;

	if ((k = fw_ipconf(f, &ic)) < 0) {
		az_warn(a, &f->r, "ipConfigurations", "Azure Firewall %s has no "
		    "IP configuration in a subnet (a Virtual WAN hub's?): not "
		    "imported", name);
		return;
	}
	snprintf(key, sizeof(key), "ipConfigurations[%d].subnet.id", k);
	if ((v = az_vnet_of_subnet_id(a, az_jstr(az_jget(ic, "subnet"), "id"),
	    sname, sizeof(sname))) < 0) {
		az_warn(a, &f->r, key, "Azure Firewall %s is in a subnet the "
		    "files do not hold: skipped", name);
		return;
	}
	if (strcasecmp(sname, "AzureFirewallSubnet") != 0 ||
	    !has_subnet(&a->vnets[v], "AzureFirewallSubnet")) {
		az_warn(a, &f->r, key, "Azure Firewall %s is in subnet %s, not "
		    "AzureFirewallSubnet: skipped", name, sname);
		return;
	}
	snprintf(key, sizeof(key), "ipConfigurations[%d].privateIPAddress", k);
	if ((ip = az_jstr(ic, "privateIPAddress")) == NULL ||
	    addr_parse(ip, &f->ip) != 0 || az_vnet_of_ip(a, f->ip,
	    "AzureFirewallSubnet", NULL) != v) {
		az_warn(a, &f->r, key, "Azure Firewall %s: %s: skipped", name,
		    ip == NULL ? "missing" : "not an address of its "
		    "AzureFirewallSubnet");
		return;
	}
	f->vnet = v;
	a->vnets[v].nfws++;
}

/*
 * v is a hub by its firewalls alone and another VNet of its region is a
 * hub (by a Route Server or gateway, or by firewalls, listed before): v
 * stays a spoke (arsemu has one hub per region, its NVAs sit there).
 */
static bool
fw_second_hub(const struct az *a, size_t v)
{
	const struct azvnet *x = &a->vnets[v];
	size_t k;

	if (x->nfws == 0 || x->rs >= 0 || x->ngws > 0)
		return false;
	for (k = 0; k < a->nvnets; k++) {
		const struct azvnet *y = &a->vnets[k];

		if (k == v || y->loc == NULL || x->loc == NULL ||
		    strcmp(y->loc, x->loc) != 0)
			continue;
		if (y->rs >= 0 || y->ngws > 0 || (k < v && y->nfws > 0))
			return true;
	}
	return false;
}

void
az_firewalls(struct az *a)
{
	size_t i;

	for (i = 0; i < a->nfws; i++)
		firewall(a, &a->fws[i]);
	for (i = 0; i < a->nfws; i++) {
		struct azfw *f = &a->fws[i];

		if (f->vnet < 0 || !fw_second_hub(a, (size_t)f->vnet))
			continue;
		az_warn(a, &f->r, NULL, "Azure Firewall %s: VNet %s is not its "
		    "region's hub (arsemu has one per region, its NVAs sit "
		    "there): skipped", f->azname ? f->azname : "?",
		    a->vnets[f->vnet].azname);
		f->vnet = -1;
	}
	for (i = 0; i < a->nvnets; i++)
		a->vnets[i].nfws = 0;
	for (i = 0; i < a->nfws; i++)
		if (a->fws[i].vnet >= 0)
			a->vnets[a->fws[i].vnet].nfws++;
}

void
az_put_fws(struct az *a, const struct azvnet *v, cJSON **nvas)
{
	char name[TOPO_NAME_MAX + 1], buf[ADDR_STRLEN];
	size_t i;
	cJSON *x;

	for (i = 0; i < a->nfws; i++) {
		const struct azfw *f = &a->fws[i];

		if (f->vnet != (int)(v - a->vnets))
			continue;
		if (*nvas == NULL)
			*nvas = cJSON_CreateArray();
		az_take_name(a, f->azname ? f->azname : "azfw", name,
		    TOPO_NAME_MAX);
		x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "name", name);
		cJSON_AddStringToObject(x, "subnet", "AzureFirewallSubnet");
		cJSON_AddStringToObject(x, "ip", addr_fmt(f->ip, buf));
		cJSON_AddBoolToObject(x, "bgp", false);
		cJSON_AddItemToArray(*nvas, x);
	}
}

/* ---- VMs ---- */

/*
 * Each NIC's VNet and subnet, the VNets' lists of NICs, and the NICs by id:
 * every lookup after this is O(1), so 100,000 NICs cost no 10^10 string
 * comparisons.
 */
void
az_index_nics(struct az *a)
{
	int *last = xcalloc(a->nvnets + 1, sizeof(int));
	size_t i;
	int pass;

	for (i = 0; i < a->nvnets; i++)
		a->vnets[i].nic_first = last[i] = -1;
	for (i = 0; i < a->nnics; i++) {
		struct aznic *n = &a->nics[i];

		az_set_put(&a->nic_ids, n->id, strlen(n->id), (int)i);
		n->next = -1;
		n->vnet = az_vnet_of_subnet_id(a, n->subnet_id, n->subnet,
		    sizeof(n->subnet));
	}
	/*
	 * A VM's primary NIC first ("primary": true, or not said), then
	 * those az marks "primary": false: the first NIC of a VM the passes
	 * meet is its node's primary (NV-01), whatever the file's order.
	 */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < a->nnics; i++) {
			struct aznic *n = &a->nics[i];

			if (n->vnet < 0 || n->secondary != (pass == 1))
				continue;
			if (last[n->vnet] < 0)
				a->vnets[n->vnet].nic_first = (int)i;
			else
				a->nics[last[n->vnet]].next = (int)i;
			last[n->vnet] = (int)i;
		}
	free(last);
}

/* The NIC of an IP configuration's id (".../networkInterfaces/N/..."). */
struct aznic *
az_nic_of_ipconf(struct az *a, const char *ipconf_id)
{
	const char *p;
	int k;

	if (ipconf_id == NULL || (p = strcasestr(ipconf_id,
	    "/ipConfigurations/")) == NULL)
		return NULL;
	k = az_set_get(&a->nic_ids, ipconf_id, (size_t)(p - ipconf_id));
	return k >= 0 ? &a->nics[k] : NULL;
}

static void
put_vm(struct az *a, cJSON **vms, cJSON *o, const char *want,
    const char *subnet, struct aznic *nic)
{
	char name[TOPO_NAME_MAX + 1], ip[ADDR_STRLEN];
	cJSON *x = cJSON_CreateObject();

	if (*vms == NULL)
		*vms = cJSON_AddArrayToObject(o, "vms");
	az_take_name(a, want, name, TOPO_NAME_MAX);
	cJSON_AddStringToObject(x, "name", name);
	cJSON_AddStringToObject(x, "subnet", subnet);
	if (nic != NULL && nic->has_ip)
		cJSON_AddStringToObject(x, "ip", addr_fmt(nic->ip, ip));
	cJSON_AddItemToArray(*vms, x);
	if (nic != NULL)
		snprintf(nic->node, sizeof(nic->node), "%s", name);
}

/* A NIC's VM name: its VM's, else the NIC's without "-nic". */
static const char *
vm_name(const char *nic, char *buf, size_t len)
{
	size_t l;

	snprintf(buf, len, "%s", nic);
	l = strlen(buf);
	if (l > 4 && strcasecmp(buf + l - 4, "-nic") == 0)
		buf[l - 4] = '\0';
	return buf;
}

/* Did a NIC before this one make its VM? */
static bool
vm_seen(struct az *a, const struct aznic *nic)
{
	size_t l = strlen(nic->vm);

	if (az_set_get(&a->vm_names, nic->vm, l) != -1)
		return true;
	az_set_put(&a->vm_names, nic->vm, l, 0);
	return false;
}

/* The VMs of one subnet: its NICs of the NIC list, then the others. */
static void
subnet_vms(struct az *a, const struct azvnet *v, cJSON *o, cJSON **vms,
    const cJSON *sn, const char *n, bool skip, cJSON *nvas)
{
	char want[128];
	const cJSON *ipc;
	const char *why;
	int i;

	for (i = v->nic_first; i >= 0; i = a->nics[i].next) {
		struct aznic *nic = &a->nics[i];

		if (nic->used || strcasecmp(nic->subnet, n) != 0)
			continue;
		nic->used = true;
		if (nic->vm != NULL && vm_seen(a, nic)) {
			if ((why = put_xnic(a, nvas, nic)) == NULL)
				continue;
			az_warn(a, &nic->r, NULL, "VM %s has a second NIC, %s: "
			    "%s; this one is a VM of its own", nic->vm,
			    nic->name, why);
		}
		put_vm(a, vms, o, nic->vm ? nic->vm : vm_name(nic->name, want,
		    sizeof(want)), n, nic);
	}
	if (skip)
		return;
	cJSON_ArrayForEach(ipc, az_jget(sn, "ipConfigurations")) {
		char nicname[128];

		if (az_nic_of_ipconf(a, az_jstr(ipc, "id")) != NULL ||
		    imp_id_part(az_jstr(ipc, "id"), "networkInterfaces",
		    nicname, sizeof(nicname)) == NULL)
			continue;
		put_vm(a, vms, o, vm_name(nicname, want, sizeof(want)), n,
		    NULL);
	}
}

/* A route table a subnet names must be in the files, or it is lost. */
static void
rt_known(struct az *a, const struct azres *at, const cJSON *sn,
    const char *n)
{
	const char *id = az_jstr(az_jget(sn, "routeTable"), "id");
	char name[128];
	size_t i;

	for (i = 0; id != NULL && i < a->nrts; i++)
		if (imp_id_eq(id, az_jstr(a->rts[i].o, "id")))
			return;
	if (id != NULL)
		az_warn(a, at, "routeTable.id", "subnet %s's route table %s "
		    "is not in the files (az network route-table list): its "
		    "routes are missing", n, imp_id_part(id, "routeTables",
		    name, sizeof(name)) ? name : id);
}

/* Subnets as {"name": "prefix"}, and a VM per NIC where one is wanted. */
void
az_put_subnets(struct az *a, const struct azvnet *v, cJSON *o,
    const bool *has_nva, cJSON *nvas)
{
	cJSON *subs = cJSON_AddObjectToObject(o, "subnets"), *vms = NULL;
	const cJSON *sn;
	size_t i = 0;

	cJSON_ArrayForEach(sn, v->subnets) {
		const char *n = az_jstr(sn, "name"), *p = az_subnet_pfx(sn);
		bool skip = has_nva != NULL && has_nva[i];
		struct azres at;

		az_res_at(&at, &v->r, "subnets", i++);
		if (n == NULL || p == NULL) {
			az_warn(a, &at, NULL, "a subnet without name or prefix: "
			    "skipped");
			continue;
		}
		if (cJSON_GetArraySize(az_jget(sn, "addressPrefixes")) > 1)
			az_warn(a, &at, "addressPrefixes", "only %s is imported: "
			    "arsemu gives a subnet one prefix", p);
		cJSON_AddStringToObject(subs, n, p);
		rt_known(a, &at, sn, n);
		if (strcmp(n, "RouteServerSubnet") == 0 ||
		    strcmp(n, "GatewaySubnet") == 0 ||
		    strcmp(n, "AzureFirewallSubnet") == 0)
			continue;
		subnet_vms(a, v, o, &vms, sn, n, skip, nvas);
	}
}
