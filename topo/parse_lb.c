/*
 * parse_lb: a VNet's "load_balancers" (a hub's or a spoke's: PE-08),
 * internal load balancers in front of its NVAs (LB-01..LB-06,
 * docs/rules.md). Checks what Azure checks when
 * the load balancer is made: a frontend address inside one of the VNet's
 * subnets (not RouteServerSubnet or GatewaySubnet, not one of the five
 * addresses Azure keeps), a backend pool of NVAs of the load balancer's own
 * VNet (LB-03), HA ports or rules for given TCP/UDP ports (LB-02), and a
 * health probe within Azure's ranges (LB-05). Whether the frontend is
 * taken by a NIC is known once addresses are assigned: topo_lb_check().
 *
 * Runs in the VNet's parse, after its NVAs and VMs, which the pool names.
 *
 * Must not: choose backends (emu/model/lb.c does) or keep cJSON pointers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../lib/util.h"
#include "topo_int.h"

static const char *const lb_fields[] = {
	"name", "frontend", "backends", "ha_ports", "rules", "probe", NULL
};
static const char *const fe_fields[] = { "subnet", "ip", NULL };
static const char *const rule_fields[] = { "protocol", "port", NULL };
static const char *const probe_fields[] = {
	"protocol", "port", "interval", "threshold", NULL
};

const char *
topo_probe_proto_str(enum topo_probe_proto p)
{
	return p == TOPO_PROBE_HTTP ? "Http" : p == TOPO_PROBE_HTTPS ? "Https" :
	    "Tcp";
}

const struct topo_lb *
topo_lb_by_ip(const struct topo *t, uint32_t ip)
{
	size_t i;

	for (i = 0; i < t->nlbs; i++)
		if (t->lbs[i]->ip == ip)
			return t->lbs[i];
	return NULL;
}

/* The frontend: a subnet of the VNet and an address Azure lets it have. */
static int
parse_frontend(struct tctx *c, const cJSON *o, const char *path,
    struct topo_vnet *v, struct topo_lb *lb)
{
	char p[TOPO_PATH_MAX], q[TOPO_PATH_MAX], a[ADDR_STRLEN], b[PFX_STRLEN];
	const struct topo_subnet *sn;
	const cJSON *fe;
	const char *name;
	uint32_t last;
	int r;

	if (topo_jobj(c, o, path, "frontend", true, &fe) == -1)
		return -1;
	topo_path_key(p, path, "frontend");
	if (topo_jfields(c, fe, p, fe_fields) == -1 ||
	    topo_jstr(c, fe, p, "subnet", true, &name) == -1 ||
	    (r = topo_jaddr(c, fe, p, "ip", &lb->ip)) == -1)
		return -1;
	if (r == 0)
		return topo_fail(c, topo_path_key(q, p, "ip"), "required field "
		    "\"ip\" is missing: arsemu's frontends have a static "
		    "private address");
	if ((lb->subnet = topo_subnet_find(v, name)) == NULL)
		return topo_fail(c, topo_path_key(q, p, "subnet"), "VNet \"%s\" "
		    "has no subnet \"%.64s\"", v->name, name);
	sn = lb->subnet;
	if (strcmp(sn->name, "RouteServerSubnet") == 0 ||
	    strcmp(sn->name, "GatewaySubnet") == 0)
		return topo_fail(c, topo_path_key(q, p, "subnet"), "a load "
		    "balancer's frontend cannot be in %s: Azure keeps that "
		    "subnet for its own service (RS-03, GW-02)", sn->name);
	topo_path_key(q, p, "ip");
	addr_fmt(lb->ip, a);
	last = sn->pfx.addr | ~pfx_mask(sn->pfx.len);
	if (!pfx_contains_addr(&sn->pfx, lb->ip))
		return topo_fail(c, q, "%s is outside subnet \"%s\" (%s)", a,
		    sn->name, pfx_fmt(&sn->pfx, b));
	if (lb->ip - sn->pfx.addr < TOPO_AZ_RESERVED_LOW || lb->ip == last)
		return topo_fail(c, q, "%s is reserved: Azure keeps the first "
		    "four addresses and the last address of every subnet", a);
	return 0;
}

/* LB-03: the pool's NVAs, by name, each once, of the load balancer's VNet. */
static int
add_backend(struct tctx *c, const char *path, const char *name, void *arg)
{
	struct topo_lb *lb = arg;
	const struct topo_vnet *v = lb->subnet->vnet;
	const struct topo_node *n = topo_node_find(c->t, name);
	size_t i;

	if (n == NULL)
		return topo_fail(c, path, "no NVA is named \"%.64s\": a backend "
		    "pool lists NVAs of VNet \"%s\" by name", name, v->name);
	if (n->kind != TOPO_NVA)
		return topo_fail(c, path, "\"%s\" is a %s, not an NVA: arsemu's "
		    "load balancers front NVAs (a backend forwards what the "
		    "frontend receives)", name, topo_kind_str(n->kind));
	if (n->nic->subnet->vnet != v)
		return topo_fail(c, path, "NVA \"%s\" is in VNet \"%s\", not in "
		    "\"%s\": a load balancer's backend pool holds NICs of its "
		    "own virtual network only, peered ones not (LB-03)", name,
		    n->nic->subnet->vnet->name, v->name);
	for (i = 0; i < lb->nbackends; i++)
		if (lb->backends[i] == n->nva)
			return topo_fail(c, path, "NVA \"%s\" is in the backend "
			    "pool twice", name);
	if (lb->nbackends >= TOPO_LB_BACKENDS_MAX)
		return topo_fail(c, path, "more than %d backends: arsemu's "
		    "bound (Azure's is 1,000)", TOPO_LB_BACKENDS_MAX);
	topo_push(&lb->backends, &lb->nbackends, n->nva);
	return 0;
}

/* LB-02: HA ports (the default), or rules for given ports, not both. */
static int
parse_rule(struct tctx *c, const cJSON *o, const char *path, void *arg)
{
	struct topo_lb *lb = arg;
	struct topo_lb_rule *r;
	char p[TOPO_PATH_MAX];
	const char *proto;
	unsigned port;
	size_t i;

	if (topo_jfields(c, o, path, rule_fields) == -1 ||
	    topo_jstr(c, o, path, "protocol", true, &proto) == -1 ||
	    topo_juint(c, o, path, "port", 1, TOPO_U16_MAX, &port) == -1)
		return -1;
	if (topo_jget(o, "port") == NULL)
		return topo_fail(c, topo_path_key(p, path, "port"), "required "
		    "field \"port\" is missing (1 to 65535; all ports: "
		    "\"ha_ports\": true)");
	if (strcmp(proto, "Tcp") != 0 && strcmp(proto, "Udp") != 0)
		return topo_fail(c, topo_path_key(p, path, "protocol"),
		    "\"%.64s\" is not a rule's protocol: use Tcp or Udp (All "
		    "with every port is HA ports: \"ha_ports\": true)", proto);
	if (lb->nrules >= TOPO_LB_RULES_MAX)
		return topo_fail(c, path, "more than %d rules: arsemu's bound",
		    TOPO_LB_RULES_MAX);
	lb->rules = xrealloc(lb->rules, (lb->nrules + 1) * sizeof(*lb->rules));
	r = &lb->rules[lb->nrules++];
	memset(r, 0, sizeof(*r));
	r->jpath = xstrdup(path);
	r->proto = proto[0] == 'T' ? TOPO_PROTO_TCP : TOPO_PROTO_UDP;
	r->port = (uint16_t)port;
	for (i = 0; i + 1 < lb->nrules; i++)
		if (lb->rules[i].proto == r->proto && lb->rules[i].port == port)
			return topo_fail(c, path, "%s port %u has a rule already "
			    "(%s): a frontend port takes one rule", proto, port,
			    lb->rules[i].jpath);
	return 0;
}

static int
parse_rules(struct tctx *c, const cJSON *o, const char *path,
    struct topo_lb *lb)
{
	char p[TOPO_PATH_MAX];
	const cJSON *arr;
	bool ha = true;
	int r, h;

	if ((h = topo_jbool(c, o, path, "ha_ports", &ha)) == -1 ||
	    (r = topo_jarr(c, o, path, "rules", false, &arr)) == -1)
		return -1;
	if (r == 1 && h == 1 && ha)
		return topo_fail(c, topo_path_key(p, path, "ha_ports"), "HA "
		    "ports balance every port: give \"ha_ports\": true or "
		    "\"rules\", not both");
	if (r == 0 && !ha)
		return topo_fail(c, topo_path_key(p, path, "ha_ports"), "with "
		    "\"ha_ports\": false the load balancer needs \"rules\"");
	if (r == 0)
		return 0;
	if (cJSON_GetArraySize(arr) == 0)
		return topo_fail(c, topo_path_key(p, path, "rules"), "no rule: "
		    "give at least one, or HA ports");
	return topo_parse_list(c, o, path, "rules", lb, parse_rule);
}

/* LB-05: the probe, with the REST API's ranges and arsemu's defaults. */
static int
parse_probe(struct tctx *c, const cJSON *o, const char *path,
    struct topo_lb *lb)
{
	char p[TOPO_PATH_MAX], q[TOPO_PATH_MAX];
	const cJSON *pr;
	const char *proto = "Tcp";
	unsigned port = 0;

	lb->probe_interval = TOPO_PROBE_INTERVAL_DEFAULT;
	lb->probe_threshold = TOPO_PROBE_THRESHOLD_DEFAULT;
	if (topo_jobj(c, o, path, "probe", true, &pr) == -1)
		return -1;
	topo_path_key(p, path, "probe");
	if (topo_jfields(c, pr, p, probe_fields) == -1 ||
	    topo_jstr(c, pr, p, "protocol", false, &proto) == -1 ||
	    topo_juint(c, pr, p, "port", 1, TOPO_U16_MAX, &port) == -1 ||
	    topo_juint(c, pr, p, "interval", TOPO_PROBE_INTERVAL_MIN,
	    TOPO_PROBE_INTERVAL_MAX, &lb->probe_interval) == -1 ||
	    topo_juint(c, pr, p, "threshold", 1, TOPO_PROBE_THRESHOLD_MAX,
	    &lb->probe_threshold) == -1)
		return -1;
	if (port == 0)
		return topo_fail(c, topo_path_key(q, p, "port"), "required field "
		    "\"port\" is missing: the port the probe connects to "
		    "(1 to 65535)");
	if (strcmp(proto, "Tcp") == 0)
		lb->probe_proto = TOPO_PROBE_TCP;
	else if (strcmp(proto, "Http") == 0)
		lb->probe_proto = TOPO_PROBE_HTTP;
	else if (strcmp(proto, "Https") == 0)
		lb->probe_proto = TOPO_PROBE_HTTPS;
	else
		return topo_fail(c, topo_path_key(q, p, "protocol"), "\"%.64s\" "
		    "is not a probe protocol: use Tcp, Http or Https", proto);
	lb->probe_port = (uint16_t)port;
	return 0;
}

int
topo_parse_lb(struct tctx *c, const cJSON *o, const char *path, void *arg)
{
	struct topo_vnet *v = arg;
	char p[TOPO_PATH_MAX];
	struct topo_lb *lb;
	size_t i;

	if (topo_jfields(c, o, path, lb_fields) == -1)
		return -1;
	if (c->t->nlbs >= TOPO_LBS_MAX)
		return topo_fail(c, path, "more than %d load balancers: "
		    "arsemu's bound", TOPO_LBS_MAX);
	lb = xcalloc(1, sizeof(*lb));
	lb->idx = (unsigned)c->t->nlbs;
	lb->jpath = xstrdup(path);
	topo_push(&c->t->lbs, &c->t->nlbs, lb);
	topo_push(&v->lbs, &v->nlbs, lb);
	if (topo_jname(c, o, path, &lb->name) == -1)
		return -1;
	for (i = 0; i + 1 < c->t->nlbs; i++)
		if (strcmp(c->t->lbs[i]->name, lb->name) == 0)
			return topo_fail(c, topo_path_key(p, path, "name"), "a "
			    "load balancer is named \"%s\" already (%s)",
			    lb->name, c->t->lbs[i]->jpath);
	if (parse_frontend(c, o, path, v, lb) == -1)
		return -1;
	for (i = 0; i + 1 < c->t->nlbs; i++)
		if (c->t->lbs[i]->ip == lb->ip)
			return topo_fail(c, topo_path_key(p, topo_path_key(p,
			    path, "frontend"), "ip"), "load balancer \"%s\" "
			    "has this frontend address already",
			    c->t->lbs[i]->name);
	if (topo_jget(o, "backends") == NULL)
		return topo_fail(c, topo_path_key(p, path, "backends"),
		    "required field \"backends\" is missing: the NVAs of the "
		    "backend pool, by name");
	if (topo_jnames(c, o, path, "backends", lb, add_backend) == -1)
		return -1;
	if (lb->nbackends == 0)
		return topo_fail(c, topo_path_key(p, path, "backends"), "the "
		    "backend pool is empty: name at least one NVA");
	return parse_rules(c, o, path, lb) == -1 ? -1 :
	    parse_probe(c, o, path, lb);
}

/* After addressing: no NIC has a frontend's address. */
int
topo_lb_check(struct tctx *c)
{
	const struct topo_nic *nic;
	char p[TOPO_PATH_MAX], q[TOPO_PATH_MAX], a[ADDR_STRLEN];
	size_t i;

	for (i = 0; i < c->t->nlbs; i++) {
		const struct topo_lb *lb = c->t->lbs[i];

		if ((nic = topo_nic_by_ip(c->t, lb->ip)) == NULL)
			continue;
		return topo_fail(c, topo_path_key(q, topo_path_key(p,
		    lb->jpath, "frontend"), "ip"), "%s is the address of %s "
		    "(given, or allocated from .4 up): give the frontend a "
		    "free address", addr_fmt(lb->ip, a), nic->name);
	}
	return 0;
}

void
topo_lb_free(struct topo_lb *lb)
{
	size_t i;

	for (i = 0; i < lb->nrules; i++)
		free(lb->rules[i].jpath);
	free(lb->rules);
	free(lb->backends);
	free(lb->name);
	free(lb->jpath);
	free(lb);
}
