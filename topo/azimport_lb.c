/*
 * azimport_lb: internal load balancers of `arsemu import az` (`az network
 * lb list`, or `lb show` each): a hub's or a spoke's "load_balancers"
 * (LB-01..LB-05; a spoke's in front of its NVAs, PE-08),
 * made by importlb.c's mapping, the importers' one.
 *
 *   frontendIPConfigurations  the first with a subnet: its subnet.id and
 *                             privateIPAddress (the others: a warning)
 *   loadBalancingRules        HA ports (protocol All, ports 0) or port
 *                             rules; the pool (backendAddressPool(s)) and
 *                             probe (probe.id) of the first rule are the
 *                             load balancer's, rules of another pool,
 *                             probe or frontend a warning
 *   backendAddressPools       backendIPConfigurations (NIC-based pools)
 *                             and loadBalancerBackendAddresses (their
 *                             networkInterfaceIPConfiguration, or the
 *                             ipAddress of a NIC): the NVAs of those NICs
 *                             (a NIC with IP forwarding on is an NVA,
 *                             with BGP or without, azimport_nic.c)
 *   probes                    protocol, port, intervalInSeconds,
 *                             probeThreshold (else numberOfProbes)
 * What the model cannot hold is a warning with the file and JSON path: a
 * public load balancer, one outside a hub, a backend that is no NVA of
 * the load balancer's VNet, an Http probe's requestPath; a load balancer
 * left without a backend, a rule or a probe is not imported.
 *
 * Runs in put_hub, after the hub's NVAs and VMs are named.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "../lib/util.h"
#include "azimport_int.h"

void
az_classify_lb(struct az *a, const struct azres *r)
{
	struct azlb lb = { .r = *r };

	az_push(&a->lbs, &a->nlbs, &a->lbcap, &lb, sizeof(lb));
}

static const char *
lb_name(const struct azlb *lb)
{
	const char *n = az_jstr(lb->r.o, "name");

	return n ? n : "?";
}

/* The first frontend in a subnet, its index into *k; NULL if none. */
static const cJSON *
frontend(const struct azlb *lb, size_t *k)
{
	const cJSON *fe;
	size_t i = 0;

	cJSON_ArrayForEach(fe, az_jget(lb->r.o, "frontendIPConfigurations")) {
		if (az_jstr(az_jget(fe, "subnet"), "id") != NULL) {
			*k = i;
			return fe;
		}
		i++;
	}
	return NULL;
}

/* The id a rule's reference holds: key.id, or keys[0].id. */
static const char *
ref_id(const cJSON *rule, const char *key, const char *keys)
{
	const char *id = az_jstr(az_jget(rule, key), "id");
	const cJSON *l = keys ? az_jget(rule, keys) : NULL;

	if (id == NULL && cJSON_IsArray(l))
		id = az_jstr(l->child, "id");
	return id;
}

/* The element of lb's list key whose id is id, its index into *k. */
static const cJSON *
by_id(const struct azlb *lb, const char *key, const char *id, size_t *k)
{
	const cJSON *el;
	size_t i = 0;

	cJSON_ArrayForEach(el, az_jget(lb->r.o, key)) {
		if (id != NULL && imp_id_eq(az_jstr(el, "id"), id)) {
			*k = i;
			return el;
		}
		i++;
	}
	return NULL;
}

/*
 * One pool member's NIC, as an NVA of VNet v; conf: the IP configuration
 * the pool names (NULL: by address).
 */
static void
member(struct az *a, const struct azres *at, const char *key,
    struct aznic *nic, const char *what, const char *conf, int v, cJSON *x)
{
	const char *why;

	if (nic != NULL && conf != NULL && nic->conf_id != NULL &&
	    !imp_id_eq(conf, nic->conf_id)) {
		az_warn(a, at, key, "an IP configuration of NIC %s other than "
		    "the one arsemu gives it (its primary): backend left out",
		    nic->name);
		return;
	}
	if (nic == NULL) {
		az_warn(a, at, key, "%s is no NIC of the files (az network nic "
		    "list): backend left out", what);
		return;
	}
	if (nic->xnic) {
		az_warn(a, at, key, "NIC %s is extra NIC %s; arsemu's backend "
		    "is an NVA's primary NIC: backend left out", nic->name,
		    nic->node);
		return;
	}
	if (!nic->nva) {
		az_warn(a, at, key, "NIC %s is %s%s, not an NVA (arsemu's "
		    "backends forward: a NIC with IP forwarding on, or one "
		    "peering with a Route Server, LB-03): backend left out",
		    nic->name, nic->node[0] ?
		    "VM " : "not imported as a node", nic->node);
		return;
	}
	if (nic->vnet != v) {
		az_warn(a, at, key, "NIC %s is in VNet %s, not the load "
		    "balancer's (LB-03): backend left out", nic->name,
		    nic->vnet >= 0 ? a->vnets[nic->vnet].azname : "?");
		return;
	}
	if ((why = imp_lb_backend(x, nic->node)) != NULL)
		az_warn(a, at, key, "%s", why);
}

static void
pool(struct az *a, const struct azlb *lb, const cJSON *p, size_t k, int v,
    cJSON *x)
{
	struct azres pr, at;
	const cJSON *el;
	const char *id, *ip;
	uint32_t addr;
	size_t i = 0;

	az_res_at(&pr, &lb->r, "backendAddressPools", k);
	cJSON_ArrayForEach(el, az_jget(p, "backendIPConfigurations")) {
		az_res_at(&at, &pr, "backendIPConfigurations", i++);
		id = az_jstr(el, "id");
		member(a, &at, "id", az_nic_of_ipconf(a, id), id ? id : "?",
		    id, v, x);
	}
	i = 0;
	cJSON_ArrayForEach(el, az_jget(p, "loadBalancerBackendAddresses")) {
		az_res_at(&at, &pr, "loadBalancerBackendAddresses", i++);
		if ((id = az_jstr(az_jget(el, "networkInterfaceIPConfiguration"),
		    "id")) != NULL)
			member(a, &at, "networkInterfaceIPConfiguration.id",
			    az_nic_of_ipconf(a, id), id, id, v, x);
		else if ((ip = az_jstr(el, "ipAddress")) != NULL &&
		    addr_parse(ip, &addr) == 0)
			member(a, &at, "ipAddress", az_nic_by_ip(a, addr), ip,
			    NULL, v, x);
		else
			az_warn(a, &at, NULL, "neither a NIC's IP configuration "
			    "nor an address: backend left out");
	}
}

static void
probe(struct az *a, const struct azlb *lb, const cJSON *p, size_t k,
    cJSON *x)
{
	const cJSON *port = az_jget(p, "port"), *iv = az_jget(p,
	    "intervalInSeconds"), *th = az_jget(p, "probeThreshold");
	const char *why;
	struct azres at;

	if (!cJSON_IsNumber(th))
		th = az_jget(p, "numberOfProbes");
	az_res_at(&at, &lb->r, "probes", k);
	if ((why = imp_lb_probe(x, az_jstr(p, "protocol"), cJSON_IsNumber(port) ?
	    port->valuedouble : 0, cJSON_IsNumber(iv) ? iv->valuedouble : -1,
	    cJSON_IsNumber(th) ? th->valuedouble : -1, az_jstr(p,
	    "requestPath"))) != NULL)
		az_warn(a, &at, NULL, "%s", why);
}

/* Two references name the same thing, or are both absent. */
static bool
same_ref(const char *x, const char *y)
{
	return (x == NULL && y == NULL) || imp_id_eq(x, y);
}

/* The rules of the first rule's frontend, pool and probe. */
static void
rules(struct az *a, const struct azlb *lb, const char *fe_id, int v,
    cJSON *x)
{
	const char *pool_id = NULL, *probe_id = NULL, *why;
	const cJSON *r, *p;
	struct azres at;
	size_t i = 0, k;
	bool first = true;

	cJSON_ArrayForEach(r, az_jget(lb->r.o, "loadBalancingRules")) {
		const char *f = ref_id(r, "frontendIPConfiguration", NULL);
		const char *b = ref_id(r, "backendAddressPool",
		    "backendAddressPools"), *pr = ref_id(r, "probe", NULL);
		const cJSON *fp = az_jget(r, "frontendPort"), *bp = az_jget(r,
		    "backendPort");

		az_res_at(&at, &lb->r, "loadBalancingRules", i++);
		if (f != NULL && fe_id != NULL && !imp_id_eq(f, fe_id)) {
			az_warn(a, &at, "frontendIPConfiguration.id", "a rule of "
			    "another frontend: not imported (arsemu gives a "
			    "load balancer one)");
			continue;
		}
		if (first) {
			pool_id = b;
			probe_id = pr;
			first = false;
		} else if (!same_ref(b, pool_id) || !same_ref(pr, probe_id)) {
			az_warn(a, &at, NULL, "a rule of another backend pool or "
			    "probe than the first rule's: not imported (arsemu "
			    "gives a load balancer one of each)");
			continue;
		}
		if ((why = imp_lb_rule(x, az_jstr(r, "protocol"),
		    cJSON_IsNumber(fp) ? fp->valuedouble : -1,
		    cJSON_IsNumber(bp) ? bp->valuedouble : -1)) != NULL)
			az_warn(a, &at, NULL, "%s", why);
	}
	if ((p = by_id(lb, "backendAddressPools", pool_id, &k)) == NULL &&
	    pool_id == NULL && cJSON_IsArray(az_jget(lb->r.o,
	    "backendAddressPools"))) {
		p = az_jget(lb->r.o, "backendAddressPools")->child;
		k = 0;
	}
	if (p != NULL)
		pool(a, lb, p, k, v, x);
	else if (pool_id != NULL)
		az_warn(a, &lb->r, "loadBalancingRules", "the rules' backend "
		    "pool is not in backendAddressPools");
	i = 0;
	cJSON_ArrayForEach(r, az_jget(lb->r.o, "backendAddressPools"))
		if (r != p) {
			az_res_at(&at, &lb->r, "backendAddressPools", i++);
			az_warn(a, &at, NULL, "a pool no imported rule uses: "
			    "not imported (arsemu gives a load balancer one)");
		} else
			i++;
	if ((p = by_id(lb, "probes", probe_id, &k)) != NULL)
		probe(a, lb, p, k, x);
}

/* The frontend's address, checked as parse_lb checks it; false: warned. */
static bool
fe_addr(struct az *a, const struct azlb *lb, const struct azres *at,
    const cJSON *fe, const char *sname, const struct azvnet *v, uint32_t *ip)
{
	const char *s = az_jstr(fe, "privateIPAddress"), *p = NULL;
	const struct aznic *nic;
	const cJSON *sn;
	struct pfx4 pf;

	cJSON_ArrayForEach(sn, v->subnets)
		if (az_jstr(sn, "name") != NULL &&
		    strcmp(az_jstr(sn, "name"), sname) == 0)
			p = az_subnet_pfx(sn);
	if (strcmp(sname, "RouteServerSubnet") == 0 ||
	    strcmp(sname, "GatewaySubnet") == 0) {
		az_warn(a, at, "subnet.id", "load balancer %s: a frontend in %s, "
		    "which Azure keeps for its own service: not imported",
		    lb_name(lb), sname);
		return false;
	}
	if (s == NULL || addr_parse(s, ip) != 0 || p == NULL ||
	    pfx_parse(p, &pf) != 0 || !pfx_contains_addr(&pf, *ip) ||
	    *ip - pf.addr < TOPO_AZ_RESERVED_LOW ||
	    *ip == (pf.addr | ~pfx_mask(pf.len))) {
		az_warn(a, at, "privateIPAddress", "load balancer %s: not a "
		    "usable address of subnet %s: not imported", lb_name(lb),
		    sname);
		return false;
	}
	if ((nic = az_nic_by_ip(a, *ip)) != NULL) {
		az_warn(a, at, "privateIPAddress", "load balancer %s: %s is NIC "
		    "%s's address: not imported", lb_name(lb), s, nic->name);
		return false;
	}
	return true;
}

static cJSON *
one_lb(struct az *a, struct azlb *lb, const cJSON *fe, size_t k,
    const char *sname, const struct azvnet *v)
{
	const char *sku = az_jstr(az_jget(lb->r.o, "sku"), "name"), *why;
	char name[TOPO_NAME_MAX + 1];
	struct azres at;
	uint32_t ip;
	cJSON *x;

	az_res_at(&at, &lb->r, "frontendIPConfigurations", k);
	if (!fe_addr(a, lb, &at, fe, sname, v, &ip))
		return NULL;
	if (cJSON_GetArraySize(az_jget(lb->r.o, "frontendIPConfigurations")) > 1)
		az_warn(a, &lb->r, "frontendIPConfigurations", "load balancer "
		    "%s has %d frontends: arsemu gives one, %s", lb_name(lb),
		    cJSON_GetArraySize(az_jget(lb->r.o,
		    "frontendIPConfigurations")), az_jstr(fe,
		    "privateIPAddress"));
	if (sku != NULL && strcasecmp(sku, "Standard") != 0)
		az_warn(a, &lb->r, "sku.name", "load balancer %s is %s: "
		    "imported as a Standard one (arsemu's; a Basic one has no "
		    "HA ports)", lb_name(lb), sku);
	imp_take_name(&a->lbnames, lb_name(lb), name, TOPO_NAME_MAX);
	if (strcmp(name, lb_name(lb)) != 0)
		az_warn(a, &lb->r, "name", "load balancer %s is called %s in the "
		    "topology (names: a-z, 0-9, '-', at most %d, unique)",
		    lb_name(lb), name, TOPO_NAME_MAX);
	x = imp_lb_new(name, sname, ip);
	rules(a, lb, az_jstr(fe, "id"), (int)(v - a->vnets), x);
	if ((why = imp_lb_done(x)) != NULL) {
		az_warn(a, &lb->r, NULL, "load balancer %s: %s", lb_name(lb),
		    why);
		cJSON_Delete(x);
		return NULL;
	}
	return x;
}

void
az_put_lbs(struct az *a, const struct azvnet *v, cJSON *hub)
{
	char sname[128];
	cJSON *arr = NULL, *x;
	const char *why;
	size_t i, k;

	for (i = 0; i < a->nlbs; i++) {
		struct azlb *lb = &a->lbs[i];
		const cJSON *fe = frontend(lb, &k);

		if (lb->done || fe == NULL || az_vnet_of_subnet_id(a,
		    az_jstr(az_jget(fe, "subnet"), "id"), sname, sizeof(sname)) !=
		    (int)(v - a->vnets))
			continue;
		lb->done = true;
		if ((x = one_lb(a, lb, fe, k, sname, v)) == NULL)
			continue;
		if ((why = imp_lb_add(&arr, x, &a->nlbs_out)) != NULL) {
			az_warn(a, &lb->r, NULL, "load balancer %s: %s",
			    lb_name(lb), why);
			cJSON_Delete(x);
		}
	}
	if (arr != NULL)
		cJSON_AddItemToObject(hub, "load_balancers", arr);
}

void
az_lbs_left(struct az *a)
{
	char sname[128];
	size_t i, k;
	int v;

	for (i = 0; i < a->nlbs; i++) {
		const struct azlb *lb = &a->lbs[i];
		const cJSON *fe = frontend(lb, &k);
		struct azres at;

		if (lb->done)
			continue;
		if (fe == NULL) {
			az_warn(a, &lb->r, "frontendIPConfigurations", "load "
			    "balancer %s has no frontend in a subnet (a public "
			    "one?): arsemu models internal load balancers; not "
			    "imported", lb_name(lb));
			continue;
		}
		az_res_at(&at, &lb->r, "frontendIPConfigurations", k);
		v = az_vnet_of_subnet_id(a, az_jstr(az_jget(fe, "subnet"), "id"),
		    sname, sizeof(sname));
		if (v < 0)
			az_warn(a, &at, "subnet.id", "load balancer %s: its "
			    "frontend's subnet is in no VNet of the files: not "
			    "imported", lb_name(lb));
		else
			az_warn(a, &at, "subnet.id", "load balancer %s is in "
			    "VNet %s, which is not imported: not imported",
			    lb_name(lb), a->vnets[v].azname);
	}
}
