/*
 * tflb: internal load balancers of `arsemu import terraform`: a hub's or
 * a spoke's "load_balancers" (LB-01..LB-05; a spoke's in front of its
 * NVAs, PE-08), made by importlb.c's mapping, the
 * importers' one.
 *
 *   azurerm_lb                   the first frontend_ip_configuration with a
 *                                subnet_id: its subnet and
 *                                private_ip_address (known after apply:
 *                                allocated as Azure does, assumed)
 *   azurerm_lb_rule              HA ports (protocol All, frontend_port and
 *                                backend_port 0) or port rules; the first
 *                                rule's backend_address_pool_ids[0] and
 *                                probe_id are the load balancer's
 *   azurerm_lb_backend_address_pool  the pool, whose members are
 *   azurerm_network_interface_backend_address_pool_association  a NIC, and
 *   azurerm_lb_backend_address_pool_address  an ip_address of a NIC: the
 *                                NVAs of those NICs (IP forwarding on
 *                                makes a NIC an NVA, with BGP or
 *                                without, tfnodes.c)
 *   azurerm_lb_probe             protocol, port, interval_in_seconds,
 *                                probe_threshold (else number_of_probes)
 * What the model cannot hold is a warning with the resource address: a
 * public load balancer, one outside a hub, a backend that is no NVA of
 * its VNet, a rule of another frontend or pool, an Http probe's
 * request_path; a load balancer left without a backend, a rule or a probe
 * is not imported.
 *
 * Runs after the NVAs and VMs are named (tfm_read_bgp); tfm_lb_known
 * before NIC addresses are allocated, so that none takes a frontend's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "../lib/util.h"
#include "tfmodel.h"

static bool
is(const struct tfres *r, const char *type)
{
	return !r->data && strcmp(r->type, type) == 0;
}

static double
num(const struct tfres *r, const char *key, double def)
{
	const cJSON *v = tf_val(r, NULL, 0, key);

	return cJSON_IsNumber(v) ? v->valuedouble : def;
}

/* The first frontend with a subnet, or -1. */
static int
frontend(struct tf *a, const struct tfres *r)
{
	size_t i, n = (size_t)cJSON_GetArraySize(tf_val(r, NULL, 0,
	    "frontend_ip_configuration"));
	const char *id;

	for (i = 0; i < n; i++)	/* azurerm writes "" for an unset id */
		if ((id = tf_ref_id(a, r, "frontend_ip_configuration", i,
		    "subnet_id")) != NULL && id[0] != '\0')
			return (int)i;
	return -1;
}

/* A rule's first pool: its id's resource, or the configuration's. */
static struct tfres *
rule_pool(struct tf *a, const struct tfres *r)
{
	const cJSON *l = tf_val(r, NULL, 0, "backend_address_pool_ids");
	struct tfres *p = NULL;

	if (cJSON_IsString(cJSON_GetArrayItem(l, 0)))
		return tf_by_id(a, l->child->valuestring);
	if (tf_refs(a, r, "backend_address_pool_ids", &p, 1) == 1)
		return p;
	return NULL;
}

/* A pool member's NIC, as an NVA of VNet v. */
static void
member(struct tf *a, const struct tfres *r, const struct tfnic *n, int v,
    cJSON *x)
{
	const char *why, *conf, *mine;

	if (n != NULL && n->xnic) {
		tf_warn(a, r, "NIC %s is extra NIC %s; arsemu's backend is an "
		    "NVA's primary NIC: backend left out", n->r->addr, n->node);
		return;
	}
	if (n == NULL || n->skip) {
		tf_warn(a, r, "its NIC is not in the file (or not imported): "
		    "backend left out");
		return;
	}
	if ((conf = tf_str(r, NULL, 0, "ip_configuration_name")) != NULL &&
	    (mine = tf_str(n->r, "ip_configuration", n->conf, "name")) !=
	    NULL && strcmp(conf, mine) != 0) {
		tf_warn(a, r, "ip_configuration %s of NIC %s is not the one "
		    "arsemu gives it (%s, its primary): backend left out", conf,
		    n->r->addr, mine);
		return;
	}
	if (!n->nva) {
		tf_warn(a, r, "NIC %s is VM %s's, not an NVA's (arsemu's "
		    "backends forward: a NIC with IP forwarding on, or one "
		    "peering with a Route Server, LB-03): backend left out",
		    n->r->addr, n->node);
		return;
	}
	if (n->vnet != v) {
		tf_warn(a, r, "NIC %s is not in the load balancer's VNet "
		    "(LB-03): backend left out", n->r->addr);
		return;
	}
	if ((why = imp_lb_backend(x, n->node)) != NULL)
		tf_warn(a, r, "%s", why);
}

static const struct tfnic *
nic_by_ip(const struct tfm *m, const char *s)
{
	uint32_t ip;
	size_t i;

	if (s == NULL || addr_parse(s, &ip) != 0)
		return NULL;
	for (i = 0; i < m->nnics; i++)
		if (!m->nics[i].skip && m->nics[i].ip == ip)
			return &m->nics[i];
	return NULL;
}

static void
members(struct tf *a, struct tfm *m, const struct tfres *pool, int v,
    cJSON *x)
{
	size_t i;

	for (i = 0; i < a->nres; i++) {
		const struct tfres *r = &a->res[i];

		if (is(r, "azurerm_network_interface_backend_address_pool_"
		    "association") && tf_ref(a, r, NULL, 0,
		    "backend_address_pool_id") == pool)
			member(a, r, tfm_nic_of(m, tf_ref(a, r, NULL, 0,
			    "network_interface_id")), v, x);
		else if (is(r, "azurerm_lb_backend_address_pool_address") &&
		    tf_ref(a, r, NULL, 0, "backend_address_pool_id") == pool)
			member(a, r, nic_by_ip(m, tf_str(r, NULL, 0,
			    "ip_address")), v, x);
	}
}

static void
probe(struct tf *a, const struct tfres *p, cJSON *x)
{
	const char *why;
	double th = num(p, "probe_threshold", -1);

	if (th < 0)
		th = num(p, "number_of_probes", -1);
	if ((why = imp_lb_probe(x, tf_str(p, NULL, 0, "protocol"), num(p,
	    "port", 0), num(p, "interval_in_seconds", -1), th, tf_str(p,
	    NULL, 0, "request_path"))) != NULL)
		tf_warn(a, p, "%s", why);
}

/* The rules, pool and probe of load balancer lb. */
static void
rules(struct tf *a, struct tfm *m, const struct tfres *lb, const char *fe,
    int v, cJSON *x)
{
	struct tfres *pool = NULL, *pr = NULL;
	const char *why, *f;
	bool first = true;
	size_t i;

	for (i = 0; i < a->nres; i++) {
		const struct tfres *r = &a->res[i];

		if (!is(r, "azurerm_lb_rule") || tf_ref(a, r, NULL, 0,
		    "loadbalancer_id") != lb)
			continue;
		if ((f = tf_str(r, NULL, 0, "frontend_ip_configuration_name")) !=
		    NULL && fe != NULL && strcmp(f, fe) != 0) {
			tf_warn(a, r, "a rule of frontend %s, not %s: not "
			    "imported (arsemu gives a load balancer one)", f, fe);
			continue;
		}
		if (first) {
			pool = rule_pool(a, r);
			pr = tf_ref(a, r, NULL, 0, "probe_id");
			first = false;
		} else if (rule_pool(a, r) != pool || tf_ref(a, r, NULL, 0,
		    "probe_id") != pr) {
			tf_warn(a, r, "a rule of another backend pool or probe "
			    "than the first rule's: not imported (arsemu gives "
			    "a load balancer one of each)");
			continue;
		}
		if ((why = imp_lb_rule(x, tf_str(r, NULL, 0, "protocol"),
		    num(r, "frontend_port", -1), num(r, "backend_port", -1))) !=
		    NULL)
			tf_warn(a, r, "%s", why);
	}
	if (pool != NULL)
		members(a, m, pool, v, x);
	if (pr != NULL)
		probe(a, pr, x);
	for (i = 0; i < a->nres; i++)
		if (is(&a->res[i], "azurerm_lb_backend_address_pool") &&
		    &a->res[i] != pool && tf_ref(a, &a->res[i], NULL, 0,
		    "loadbalancer_id") == lb)
			tf_warn(a, &a->res[i], "a pool no imported rule uses: "
			    "not imported (arsemu gives a load balancer one)");
}

/* The frontend's address, checked as parse_lb checks it; 0: warned. */
static uint32_t
fe_addr(struct tf *a, struct tfm *m, const struct tfres *r, int k,
    struct tfsub *s)
{
	const char *v = tf_str(r, "frontend_ip_configuration", (size_t)k,
	    "private_ip_address");
	const struct tfnic *n;
	char buf[ADDR_STRLEN];
	uint32_t ip;

	if (strcmp(s->name, "RouteServerSubnet") == 0 ||
	    strcmp(s->name, "GatewaySubnet") == 0) {
		tf_warn(a, r, "a frontend in %s, which Azure keeps for its own "
		    "service: not imported", s->name);
		return 0;
	}
	if (v == NULL || v[0] == '\0') {
		if (!s->ok || (ip = imp_alloc_next(&s->al, &s->p)) == 0) {
			tf_warn(a, r, "no free address in %s for its frontend: "
			    "not imported", s->name);
			return 0;
		}
		tf_warn(a, r, "assumed: the frontend's private_ip_address is "
		    "known after apply; %s, the first free address of %s from "
		    ".4 up, as Azure allocates", addr_fmt(ip, buf), s->name);
		return ip;
	}
	if (addr_parse(v, &ip) != 0 || !s->ok || !pfx_contains_addr(&s->p,
	    ip) || ip - s->p.addr < TOPO_AZ_RESERVED_LOW ||
	    ip == (s->p.addr | ~pfx_mask(s->p.len))) {
		tf_warn(a, r, "private_ip_address %s is not a usable address of "
		    "subnet %s: not imported", v, s->name);
		return 0;
	}
	if ((n = nic_by_ip(m, v)) != NULL) {
		tf_warn(a, r, "private_ip_address %s is NIC %s's: not imported",
		    v, n->r->addr);
		return 0;
	}
	return ip;
}

static void
one_lb(struct tf *a, struct tfm *m, const struct tfres *r)
{
	const char *azname = tf_str(r, NULL, 0, "name"), *sku, *why;
	char name[TOPO_NAME_MAX + 1];
	struct tfvnet *v;
	int k = frontend(a, r), vi, sub;
	uint32_t ip;
	cJSON *x;

	if (k < 0) {
		tf_warn(a, r, "no frontend_ip_configuration with a subnet_id (a "
		    "public load balancer?): arsemu models internal load "
		    "balancers; not imported");
		return;
	}
	if ((vi = tfm_subnet_ref(a, m, r, "frontend_ip_configuration",
	    (size_t)k, "subnet_id", &sub)) < 0) {
		tf_warn(a, r, "its frontend's subnet is in no VNet of the file: "
		    "not imported");
		return;
	}
	v = &m->vnets[vi];
	if ((ip = fe_addr(a, m, r, k, &v->subs[sub])) == 0)
		return;
	if (cJSON_GetArraySize(tf_val(r, NULL, 0,
	    "frontend_ip_configuration")) > 1)
		tf_warn(a, r, "%d frontends: arsemu gives a load balancer one, "
		    "%s", cJSON_GetArraySize(tf_val(r, NULL, 0,
		    "frontend_ip_configuration")), tf_str(r,
		    "frontend_ip_configuration", (size_t)k, "name"));
	if ((sku = tf_str(r, NULL, 0, "sku")) != NULL &&
	    strcasecmp(sku, "Standard") != 0)
		tf_warn(a, r, "sku %s: imported as a Standard load balancer "
		    "(arsemu's; a Basic one has no HA ports)", sku);
	imp_take_name(&m->lbnames, azname ? azname : r->name, name,
	    TOPO_NAME_MAX);
	if (azname == NULL || strcmp(name, azname) != 0)
		tf_warn(a, r, "load balancer %s is called %s in the topology "
		    "(names: a-z, 0-9, '-', at most %d, unique)", azname ?
		    azname : r->name, name, TOPO_NAME_MAX);
	x = imp_lb_new(name, v->subs[sub].name, ip);
	rules(a, m, r, tf_str(r, "frontend_ip_configuration", (size_t)k,
	    "name"), vi, x);
	if ((why = imp_lb_done(x)) != NULL) {
		tf_warn(a, r, "%s", why);
		cJSON_Delete(x);
		return;
	}
	if ((why = imp_lb_add(&v->lbs, x, &m->nlbs)) != NULL) {
		tf_warn(a, r, "%s", why);
		cJSON_Delete(x);
	}
}

void
tfm_read_lbs(struct tf *a, struct tfm *m)
{
	size_t i;

	for (i = 0; i < a->nres; i++)
		if (is(&a->res[i], "azurerm_lb"))
			one_lb(a, m, &a->res[i]);
}

void
tfm_lb_known(struct tf *a, struct tfm *m)
{
	const char *v;
	uint32_t ip;
	size_t i;
	int k, vi, sub;

	for (i = 0; i < a->nres; i++) {
		const struct tfres *r = &a->res[i];
		struct tfsub *s;

		if (!is(r, "azurerm_lb") || (k = frontend(a, r)) < 0 ||
		    (vi = tfm_subnet_ref(a, m, r, "frontend_ip_configuration",
		    (size_t)k, "subnet_id", &sub)) < 0)
			continue;
		s = &m->vnets[vi].subs[sub];
		v = tf_str(r, "frontend_ip_configuration", (size_t)k,
		    "private_ip_address");
		if (v != NULL && addr_parse(v, &ip) == 0 && s->ok &&
		    pfx_contains_addr(&s->p, ip))
			imp_alloc_known(&s->al, ip);
	}
}
