/*
 * parse_node: the things that become namespaces: NVAs and VMs (each with a
 * primary NIC in a subnet of its VNet; an NVA may have more, NV-01) and
 * on-premises sites (an edge router, hosts,
 * and one link per NVA the site sits behind). Checks what one node can tell:
 * its subnet, its ASN (RS-01, RS-05, RS-06), prepend, communities, which RS
 * instances it peers with (RS-04), which BGP daemon runs it, and a site
 * host's address.
 *
 * Must not: assign NIC addresses (addr.c) or compare nodes with each other
 * beyond one site's own hosts (validate.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../lib/util.h"
#include "topo_int.h"

#define TOPO_ASN2_MAX	65534u	/* RS-06: 2-byte ASNs only, 65535 reserved */

static const char *const nva_fields[] = {
	"name", "subnet", "asn", "advertise", "prepend", "ip", "next_hop",
	"communities", "peers", "md5", "filter", "role", "daemon",
	"sender_as_path_loop_detection", "route_servers", "as_override", "bgp",
	"nics", NULL
};
/* An NVA's extra NIC (NV-01..NV-03). */
static const char *const xnic_fields[] = {
	"name", "subnet", "ip", "ip_forwarding", "routes", NULL
};
/* What only a BGP speaker has: refused on an NVA with "bgp": false. */
static const char *const bgp_only[] = {
	"asn", "advertise", "prepend", "next_hop", "communities", "peers",
	"md5", "role", "daemon", "sender_as_path_loop_detection",
	"route_servers", "as_override", NULL
};
#define FW_SUBNET	"AzureFirewallSubnet"
static const char *const daemon_fields[] = { "type", "config", NULL };
static const char *const nvad_names[] = {
	[TOPO_NVAD_BUILTIN] = "builtin", [TOPO_NVAD_FRR] = "frr",
	[TOPO_NVAD_BIRD] = "bird",
};
static const char *const vm_fields[] = { "name", "subnet", "ip", NULL };
static const char *const site_fields[] = {
	"name", "prefixes", "hosts", "nvas", "asn", "prepend", NULL
};
static const char *const host_fields[] = { "name", "ip", NULL };

/* RS-06, GW-02, D-01 (65516 too): lib/azure.c holds the table. */
const char *
topo_asn_reserved(unsigned asn)
{
	return az_asn_reserved(asn);
}

/* A NIC of n in sn, named name (taken), declared at jpath: n's next. */
static struct topo_nic *
new_nic(struct topo_node *n, struct topo_subnet *sn, char *name,
    const char *jpath)
{
	struct topo_nic *nic = xcalloc(1, sizeof(*nic));

	nic->name = name;
	nic->jpath = xstrdup(jpath);
	nic->node = n;
	nic->subnet = sn;
	nic->slot = (unsigned)n->nnics;
	topo_push(&n->nics, &n->nnics, nic);
	return nic;
}

static void
attach_nic(struct topo_node *n, struct topo_subnet *sn)
{
	n->nic = new_nic(n, sn, xstrdup(n->name), n->jpath);
}

/* The subnets no VM or NVA NIC may sit in; p is the "subnet" field's path. */
static int
nic_subnet_ok(struct tctx *c, const char *p, const struct topo_subnet *sn,
    enum topo_node_kind kind)
{
	if (strcmp(sn->name, "RouteServerSubnet") == 0)
		return topo_fail(c, p, "RouteServerSubnet belongs to the Route "
		    "Server alone: put VMs and NVAs in another subnet (RS-03)");
	if (strcmp(sn->name, "GatewaySubnet") == 0)
		return topo_fail(c, p, "GatewaySubnet belongs to the gateways "
		    "alone: put VMs and NVAs in another subnet");
	if (strcmp(sn->name, FW_SUBNET) == 0 && kind != TOPO_NVA)
		return topo_fail(c, p, FW_SUBNET " holds the firewall alone: "
		    "put VMs in another subnet (RS-55)");
	return 0;
}

struct topo_node *
topo_new_node(struct tctx *c, char *name, enum topo_node_kind kind,
    const char *jpath, struct topo_subnet *sn)
{
	struct topo_node *n;

	n = xcalloc(1, sizeof(*n));
	n->name = name;
	n->kind = kind;
	n->jpath = xstrdup(jpath);
	topo_push(&c->t->nodes, &c->t->nnodes, n);
	if (sn != NULL)
		attach_nic(n, sn);
	return n;
}

/* "subnet" and "ip" of an NVA or a VM. */
static int
parse_nic(struct tctx *c, const cJSON *o, const char *path,
    struct topo_vnet *v, struct topo_node *n)
{
	char p[TOPO_PATH_MAX];
	struct topo_subnet *sn;
	const char *name;
	int r;

	if (topo_jstr(c, o, path, "subnet", true, &name) == -1)
		return -1;
	topo_path_key(p, path, "subnet");
	if ((sn = topo_subnet_find(v, name)) == NULL)
		return topo_fail(c, p, "VNet \"%s\" has no subnet \"%.64s\"",
		    v->name, name);
	if (nic_subnet_ok(c, p, sn, n->kind) == -1)
		return -1;
	attach_nic(n, sn);
	if ((r = topo_jaddr(c, o, path, "ip", &n->nic->ip)) == -1)
		return -1;
	n->nic->ip_given = r == 1;
	return 0;
}

static int
parse_asn(struct tctx *c, const cJSON *o, const char *path,
    struct topo_nva *nva)
{
	char p[TOPO_PATH_MAX];
	const cJSON *v;
	unsigned asn;
	const char *by;

	topo_path_key(p, path, "asn");
	if ((v = topo_jget(o, "asn")) == NULL)
		return topo_fail(c, p, "required field \"asn\" is missing");
	if (!cJSON_IsNumber(v))
		return topo_fail(c, p, "must be a number: a 2-byte ASN from 1 "
		    "to %u (RS-06)", TOPO_ASN2_MAX);
	if (topo_vuint(c, v, p, 0, UINT32_MAX, &asn) == -1)
		return -1;
	if (asn == TOPO_RS_ASN)
		return topo_fail(c, p, "asn %u is the Route Server's own ASN, "
		    "and Route Server peers only over eBGP (RS-05, RS-01)", asn);
	if ((by = az_asn_reserved(asn)) != NULL)
		return topo_fail(c, p, "asn %u is reserved by %s and "
		    "cannot peer with Route Server (RS-06)", asn, by);
	if (asn < 1 || asn > TOPO_ASN2_MAX)
		return topo_fail(c, p, "asn %u is not allowed: Route Server "
		    "peers must use a 2-byte ASN from 1 to %u (RS-06)", asn,
		    TOPO_ASN2_MAX);
	nva->asn = asn;
	return 0;
}

/* RS-04: both instances unless told otherwise. */
static int
parse_peers(struct tctx *c, const cJSON *o, const char *path,
    struct topo_vnet *v, struct topo_nva *nva)
{
	char pp[TOPO_PATH_MAX], p[TOPO_PATH_MAX];
	const cJSON *arr, *el;
	unsigned inst;
	size_t i = 0;
	int r;

	if ((r = topo_jarr(c, o, path, "peers", false, &arr)) == -1)
		return -1;
	if (r == 0) {
		nva->peer_rs[0] = nva->peer_rs[1] = v->rs != NULL;
		return 0;
	}
	topo_path_key(pp, path, "peers");
	if (v->rs == NULL)
		return topo_fail(c, pp, "%s \"%s\" has no route_server to "
		    "peer with", v->hub ? "hub" : "spoke", v->name);
	if (arr->child == NULL)
		return topo_fail(c, pp, "must name instance 0, 1 or both: an "
		    "NVA peers with at least one Route Server instance (RS-04)");
	cJSON_ArrayForEach(el, arr) {
		topo_path_idx(p, pp, i++);
		if (topo_vuint(c, el, p, 0, 1, &inst) == -1)
			return -1;
		if (nva->peer_rs[inst])
			return topo_fail(c, p, "instance %u is listed twice",
			    inst);
		nva->peer_rs[inst] = true;
	}
	return 0;
}

/*
 * "role": "nva" (default: an appliance, IP forwarding on its NIC) or
 * "server": a VM that speaks BGP for its own prefixes and forwards nothing
 * (lint warns where it would become transit).
 */
static int
parse_role(struct tctx *c, const cJSON *o, const char *path,
    struct topo_node *n)
{
	char p[TOPO_PATH_MAX];
	const char *role = "nva";

	if (topo_jstr(c, o, path, "role", false, &role) == -1)
		return -1;
	if (strcmp(role, "nva") != 0 && strcmp(role, "server") != 0)
		return topo_fail(c, topo_path_key(p, path, "role"), "\"%.32s\" "
		    "is not a role: write \"nva\" or \"server\"", role);
	n->nic->ip_forwarding = strcmp(role, "nva") == 0;
	return 0;
}

const char *
topo_nvad_str(enum topo_nvad d)
{
	return (size_t)d < NELEM(nvad_names) ? nvad_names[d] : "?";
}

/* A relative path may not climb out of the topology's directory. */
static bool
path_climbs(const char *s)
{
	const char *p;

	for (p = s; (p = strstr(p, "..")) != NULL; p += 2)
		if ((p == s || p[-1] == '/') && (p[2] == '/' || p[2] == '\0'))
			return true;
	return false;
}

/*
 * "daemon": {"type": "builtin" | "frr" | "bird", "config": PATH}. The
 * file itself is looked for by topo_load_file(), which knows where the
 * topology lives. A relative path stays inside the topology's directory:
 * `up` copies it into the lab directory, where the lab's saved topology
 * must find it at the same relative path.
 */
static int
parse_daemon(struct tctx *c, const cJSON *o, const char *path,
    struct topo_nva *nva)
{
	char dp[TOPO_PATH_MAX], p[TOPO_PATH_MAX];
	const char *type, *conf = NULL;
	const cJSON *d;
	size_t i;
	int r;

	if ((r = topo_jobj(c, o, path, "daemon", false, &d)) <= 0)
		return r;
	topo_path_key(dp, path, "daemon");
	if (topo_jfields(c, d, dp, daemon_fields) == -1 ||
	    topo_jstr(c, d, dp, "type", true, &type) == -1 ||
	    topo_jstr(c, d, dp, "config", false, &conf) == -1)
		return -1;
	for (i = 0; i < NELEM(nvad_names); i++)
		if (strcmp(type, nvad_names[i]) == 0)
			break;
	if (i == NELEM(nvad_names))
		return topo_fail(c, topo_path_key(p, dp, "type"), "\"%.32s\" is "
		    "not a daemon type: write \"frr\", \"bird\" or \"builtin\"",
		    type);
	nva->daemon = (enum topo_nvad)i;
	if (conf == NULL)
		return 0;
	topo_path_key(p, dp, "config");
	if (nva->daemon == TOPO_NVAD_BUILTIN)
		return topo_fail(c, p, "the built-in speaker takes no config "
		    "file: its configuration is the topology");
	if (conf[0] == '\0')
		return topo_fail(c, p, "must name a file");
	if (conf[0] != '/' && path_climbs(conf))
		return topo_fail(c, p, "\"%.64s\" climbs out of the topology's "
		    "directory: give an absolute path, or one below it (the lab "
		    "copies it there)", conf);
	nva->daemon_config = xstrdup(conf);
	return 0;
}

/*
 * RS-55: "bgp" (default true, false in AzureFirewallSubnet, where Azure
 * Firewall speaks no BGP). 1: a speaker, read on; 0: a firewall without
 * BGP, read whole (it forwards, filters and has IP forwarding on its NIC
 * like any NVA, and peers with nothing); -1: an error.
 */
static int
parse_bgp(struct tctx *c, const cJSON *o, const char *path,
    struct topo_nva *nva)
{
	char p[TOPO_PATH_MAX];
	bool fw = strcmp(nva->node->nic->subnet->name, FW_SUBNET) == 0;
	size_t i;

	nva->bgp = !fw;
	if (topo_jbool(c, o, path, "bgp", &nva->bgp) == -1)
		return -1;
	if (nva->bgp && fw)
		return topo_fail(c, topo_path_key(p, path, "bgp"), "an NVA in "
		    FW_SUBNET " is the Azure Firewall pattern, which speaks no "
		    "BGP (RS-55): put a BGP speaker in another subnet");
	if (nva->bgp)
		return 1;
	nva->node->nic->ip_forwarding = true;
	for (i = 0; bgp_only[i] != NULL; i++)
		if (topo_jget(o, bgp_only[i]) != NULL)
			return topo_fail(c, topo_path_key(p, path, bgp_only[i]),
			    "NVA \"%s\" speaks no BGP (\"bgp\": false): "
			    "\"%s\" is a BGP speaker's (RS-55)",
			    nva->node->name, bgp_only[i]);
	return topo_parse_nva_security(c, o, path, nva) == -1 ? -1 : 0;
}

static int nva_speaker(struct tctx *, const cJSON *, const char *,
    struct topo_vnet *, struct topo_nva *);

/*
 * NV-01..NV-03: one of an NVA's "nics": a NIC named "<nva>/<name>" in
 * another subnet of the NVA's VNet, with its own address, IP forwarding
 * (default: the primary's) and the prefixes its guest routes out of it.
 */
static int
parse_xnic(struct tctx *c, const cJSON *o, const char *path, void *arg)
{
	char p[TOPO_PATH_MAX], rp[TOPO_PATH_MAX], full[2 * TOPO_NAME_MAX + 2];
	char *sub;
	struct topo_node *n = arg;
	const struct topo_vnet *v = n->nic->subnet->vnet;
	struct topo_subnet *sn;
	struct topo_nic *nic;
	const cJSON *arr, *el;
	const char *snname;
	size_t k;
	int r;

	if (topo_jfields(c, o, path, xnic_fields) == -1 ||
	    topo_jname(c, o, path, &sub) == -1)
		return -1;
	snprintf(full, sizeof(full), "%s/%s", n->name, sub);
	free(sub);
	topo_path_key(p, path, "name");
	for (k = 1; k < n->nnics; k++)
		if (strcmp(n->nics[k]->name, full) == 0)
			return topo_fail(c, p, "NIC \"%s\" is declared twice "
			    "(first at %s)", full, n->nics[k]->jpath);
	if (n->nnics >= TOPO_NVA_NICS_MAX)
		return topo_fail(c, path, "NVA \"%s\" has more than %d NICs, "
		    "its primary included: arsemu's cap (Azure's depends on "
		    "the VM size, NV-01)", n->name, TOPO_NVA_NICS_MAX);
	if (topo_jstr(c, o, path, "subnet", true, &snname) == -1)
		return -1;
	topo_path_key(p, path, "subnet");
	if ((sn = topo_subnet_find(v, snname)) == NULL)
		return topo_fail(c, p, "VNet \"%s\" has no subnet \"%.64s\": "
		    "every NIC of a VM is in the VM's VNet (NV-01)", v->name,
		    snname);
	if (nic_subnet_ok(c, p, sn, n->kind) == -1)
		return -1;
	if (strcmp(sn->name, FW_SUBNET) == 0 ||
	    strcmp(n->nic->subnet->name, FW_SUBNET) == 0)
		return topo_fail(c, path, FW_SUBNET " holds the Azure Firewall "
		    "pattern, whose NICs are the platform's: a firewall there "
		    "has no extra NIC, and no extra NIC goes there (NV-01)");
	for (k = 0; k < n->nnics; k++)
		if (n->nics[k]->subnet == sn)
			return topo_fail(c, p, "NIC \"%s\" of %s is already in "
			    "subnet \"%s\": arsemu gives each NIC of an NVA its "
			    "own subnet, so that its guest routes are "
			    "unambiguous (NV-03)", n->nics[k]->name, n->name,
			    sn->name);
	nic = new_nic(n, sn, xstrdup(full), path);
	nic->ip_forwarding = n->nic->ip_forwarding;
	if ((r = topo_jaddr(c, o, path, "ip", &nic->ip)) == -1)
		return -1;
	nic->ip_given = r == 1;
	if (topo_jbool(c, o, path, "ip_forwarding", &nic->ip_forwarding) == -1 ||
	    (r = topo_jarr(c, o, path, "routes", false, &arr)) <= 0)
		return r;
	topo_path_key(rp, path, "routes");
	k = 0;
	cJSON_ArrayForEach(el, arr) {
		struct pfx4 pf;

		topo_path_idx(p, rp, k++);
		if (topo_vpfx(c, el, p, &pf) == -1)
			return -1;
		if (pf.len == 0)
			return topo_fail(c, p, "the default route is the primary "
			    "NIC's (NV-03): make this NIC the NVA's primary (its "
			    "\"subnet\") instead");
	}
	return topo_parse_pfxs(c, arr, rp, &nic->routes, &nic->nroutes);
}

/*
 * NV-03: one guest route per prefix: a prefix in two NICs' "routes", or
 * one that is a NIC's subnet (connected), would be two routes the guest
 * cannot hold at once.
 */
static int
xnic_routes_unique(struct tctx *c, const struct topo_node *n)
{
	char p[TOPO_PATH_MAX], rp[TOPO_PATH_MAX], a[PFX_STRLEN];
	const struct topo_nic *x, *y;
	size_t i, j, k, l;

	for (i = 1; i < n->nnics; i++)
		for (k = 0, x = n->nics[i]; k < x->nroutes; k++) {
			topo_path_idx(p, topo_path_key(rp, x->jpath, "routes"),
			    k);
			pfx_fmt(&x->routes[k], a);
			for (j = 0; j < n->nnics; j++) {
				y = n->nics[j];
				if (pfx_equal(&y->subnet->pfx, &x->routes[k]))
					return topo_fail(c, p, "%s is subnet \"%s\" "
					    "of NIC %s: the guest reaches it out of "
					    "that NIC already (NV-03)", a,
					    y->subnet->name, y->name);
				for (l = 0; j < i && l < y->nroutes; l++)
					if (pfx_equal(&y->routes[l],
					    &x->routes[k]))
						return topo_fail(c, p, "%s is "
						    "routed out of NIC %s already: "
						    "the guest holds one route per "
						    "prefix (NV-03)", a, y->name);
			}
		}
	return 0;
}

static int
parse_xnics(struct tctx *c, const cJSON *o, const char *path,
    struct topo_node *n)
{
	if (topo_parse_list(c, o, path, "nics", n, parse_xnic) == -1)
		return -1;
	return xnic_routes_unique(c, n);
}

int
topo_parse_nva(struct tctx *c, const cJSON *o, const char *path, void *arg)
{
	char *name;
	struct topo_vnet *v = arg;
	struct topo_node *n;
	struct topo_nva *nva;
	int r;

	if (topo_jfields(c, o, path, nva_fields) == -1 ||
	    topo_jname(c, o, path, &name) == -1)
		return -1;
	n = topo_new_node(c, name, TOPO_NVA, path, NULL);
	nva = n->nva = xcalloc(1, sizeof(*nva));
	nva->node = n;
	topo_push(&c->t->nvas, &c->t->nnvas, nva);
	if (parse_nic(c, o, path, v, n) == -1 ||
	    (r = parse_bgp(c, o, path, nva)) == -1 ||
	    (r == 1 && nva_speaker(c, o, path, v, nva) == -1))
		return -1;
	return parse_xnics(c, o, path, n);
}

/* The fields of an NVA that speaks BGP (after "bgp"). */
static int
nva_speaker(struct tctx *c, const cJSON *o, const char *path,
    struct topo_vnet *v, struct topo_nva *nva)
{
	char p[TOPO_PATH_MAX];
	struct topo_node *n = nva->node;
	unsigned prepend = 0;

	if (parse_role(c, o, path, n) == -1)
		return -1;
	if (parse_asn(c, o, path, nva) == -1 ||
	    topo_parse_advertise(c, o, path, nva) == -1 ||
	    topo_juint(c, o, path, "prepend", 0, TOPO_U16_MAX, &prepend) == -1)
		return -1;
	if (prepend > TOPO_PREPEND_MAX)
		return topo_fail(c, topo_path_key(p, path, "prepend"),
		    "prepend %u is more than %d: Azure documents no limit "
		    "(U-02), this bound is arsemu's, to keep AS paths sane",
		    prepend, TOPO_PREPEND_MAX);
	nva->prepend = prepend;
	if (topo_jaddr(c, o, path, "next_hop", &nva->next_hop) == -1 ||
	    topo_jbool(c, o, path, "sender_as_path_loop_detection",
	    &nva->sender_loop) == -1 ||
	    topo_jbool(c, o, path, "as_override", &nva->as_override) == -1 ||
	    topo_parse_comms(c, o, path, &nva->communities,
	    &nva->ncommunities) == -1 ||
	    topo_parse_nva_security(c, o, path, nva) == -1 ||
	    parse_daemon(c, o, path, nva) == -1)
		return -1;
	return parse_peers(c, o, path, v, nva);
}

int
topo_parse_vm(struct tctx *c, const cJSON *o, const char *path, void *arg)
{
	struct topo_node *n;
	char *name;

	if (topo_jfields(c, o, path, vm_fields) == -1 ||
	    topo_jname(c, o, path, &name) == -1)
		return -1;
	n = topo_new_node(c, name, TOPO_VM, path, NULL);
	return parse_nic(c, o, path, arg, n);
}

static int
host_addr(struct tctx *c, const char *p, struct topo_site *s,
    struct topo_node *n)
{
	char a[ADDR_STRLEN], b[PFX_STRLEN];
	const struct pfx4 *pf = NULL;
	size_t i;

	addr_fmt(n->host_ip, a);
	for (i = 0; i < s->nprefixes && pf == NULL; i++)
		if (pfx_contains_addr(&s->prefixes[i], n->host_ip))
			pf = &s->prefixes[i];
	if (pf == NULL)
		return topo_fail(c, p, "%s is not inside any prefix of site "
		    "\"%s\"", a, s->name);
	if (pf->len <= 30 && (n->host_ip == pf->addr ||
	    n->host_ip == (pf->addr | ~pfx_mask(pf->len))))
		return topo_fail(c, p, "%s is the %s address of %s, not a "
		    "host address", a,
		    n->host_ip == pf->addr ? "network" : "broadcast",
		    pfx_fmt(pf, b));
	n->host_pfx = *pf;
	for (i = 0; i < s->nhosts; i++)
		if (s->hosts[i]->host_ip == n->host_ip)
			return topo_fail(c, p, "%s is already the address of "
			    "host \"%s\"", a, s->hosts[i]->name);
	return 0;
}

static int
parse_host(struct tctx *c, const cJSON *o, const char *path, void *arg)
{
	char p[TOPO_PATH_MAX], *name;
	struct topo_site *s = arg;
	struct topo_node *n;
	int r;

	if (topo_jfields(c, o, path, host_fields) == -1 ||
	    topo_jname(c, o, path, &name) == -1)
		return -1;
	n = topo_new_node(c, name, TOPO_SITE_HOST, path, NULL);
	n->site = s;
	topo_path_key(p, path, "ip");
	if ((r = topo_jaddr(c, o, path, "ip", &n->host_ip)) <= 0)
		return r == 0 ? topo_fail(c, p, "required field \"ip\" is "
		    "missing") : -1;
	if (host_addr(c, p, s, n) == -1)
		return -1;
	topo_push(&s->hosts, &s->nhosts, n);
	return 0;
}

static struct topo_nva *
nva_find(const struct topo *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nnvas; i++)
		if (strcmp(t->nvas[i]->node->name, name) == 0)
			return t->nvas[i];
	return NULL;
}

static int
site_link(struct tctx *c, const char *p, struct topo_site *s,
    const char *name)
{
	struct topo_sitelink *l;
	struct topo_nva *nva;
	size_t i;

	if ((nva = nva_find(c->t, name)) == NULL)
		return topo_fail(c, p, "no NVA is named \"%.64s\"", name);
	if (!nva->bgp)
		return topo_fail(c, p, "NVA \"%s\" speaks no BGP: a site sits "
		    "behind an NVA that tells it the VNets' routes (RS-55)", name);
	for (i = 0; i < s->nlinks; i++)
		if (s->links[i]->nva == nva)
			return topo_fail(c, p, "NVA \"%s\" is listed twice", name);
	if (c->t->nsitelinks >= TOPO_LINKS_MAX)
		return topo_fail(c, p, "more than %d site links: 169.254.0.0/16 "
		    "has no room for more", TOPO_LINKS_MAX);
	l = xcalloc(1, sizeof(*l));
	l->site = s;
	l->nva = nva;
	l->idx = (unsigned)c->t->nsitelinks;
	topo_push(&c->t->sitelinks, &c->t->nsitelinks, l);
	topo_push(&s->links, &s->nlinks, l);
	return 0;
}

static int
site_nvas(struct tctx *c, const cJSON *o, const char *path,
    struct topo_site *s)
{
	char np[TOPO_PATH_MAX], p[TOPO_PATH_MAX];
	const cJSON *arr, *el;
	const char *name;
	size_t i = 0;

	topo_path_key(np, path, "nvas");
	if (topo_jarr(c, o, path, "nvas", false, &arr) == -1)
		return -1;
	/* A site reached only through a gateway: topo_resolve_gws() checks. */
	if (arr == NULL)
		return 0;
	cJSON_ArrayForEach(el, arr) {
		topo_path_idx(p, np, i++);
		if (topo_vstr(c, el, p, &name) == -1 ||
		    site_link(c, p, s, name) == -1)
			return -1;
	}
	return 0;
}

/* GW-01, GW-02: 2- or 4-byte, not Azure's nor IANA's reserved ones. */
static int
site_asn(struct tctx *c, const cJSON *o, const char *path, struct topo_site *s)
{
	char p[TOPO_PATH_MAX];
	const char *by;
	unsigned asn = 0;

	if (topo_juint(c, o, path, "asn", 1, UINT32_MAX - 1, &asn) == -1 ||
	    topo_juint(c, o, path, "prepend", 0, TOPO_PREPEND_MAX,
	    &s->prepend) == -1)
		return -1;
	if (asn != 0 && (by = topo_asn_reserved(asn)) != NULL)
		return topo_fail(c, topo_path_key(p, path, "asn"), "asn %u is "
		    "reserved by %s: on-premises and Azure must use different "
		    "ASNs (GW-02)", asn, by);
	s->asn = asn;
	return 0;
}

int
topo_parse_site(struct tctx *c, const cJSON *o, const char *path, void *arg)
{
	char p[TOPO_PATH_MAX];
	struct topo_site *s;
	struct topo_node *n;
	const cJSON *arr;

	(void)arg;
	s = xcalloc(1, sizeof(*s));
	topo_push(&c->t->sites, &c->t->nsites, s);
	if (topo_jfields(c, o, path, site_fields) == -1 ||
	    topo_jname(c, o, path, &s->name) == -1 ||
	    topo_jarr(c, o, path, "prefixes", true, &arr) == -1 ||
	    topo_parse_pfxs(c, arr, topo_path_key(p, path, "prefixes"),
	    &s->prefixes, &s->nprefixes) == -1)
		return -1;
	n = topo_new_node(c, xasprintf("%s-edge", s->name), TOPO_SITE_ROUTER,
	    path, NULL);
	n->site = s;
	s->router = n;
	if (!topo_name_ok(n->name))
		return topo_fail(c, topo_path_key(p, path, "name"), "site name "
		    "\"%s\" is too long: its edge router node is named \"%s\", "
		    "and node names have at most %d characters", s->name,
		    n->name, TOPO_NAME_MAX);
	if (topo_parse_list(c, o, path, "hosts", s, parse_host) == -1 ||
	    site_asn(c, o, path, s) == -1)
		return -1;
	return site_nvas(c, o, path, s);
}
