/*
 * parse_nsg: network security groups ("network_security_groups"), their
 * rules and associations. Checks what Azure checks when an NSG or a rule is
 * created or associated (NS-01): priorities 100-4096, one rule per priority
 * and direction, Tcp/Udp/Icmp/"*", port ranges 0-65535, addresses as
 * prefixes or the service tags arsemu knows (NS-03), at most 1,000 rules,
 * one NSG per subnet and per NIC, none on RouteServerSubnet (RS-03),
 * GatewaySubnet or AzureFirewallSubnet (NS-05). Adds Azure's six default rules (NS-02) and sorts
 * each NSG's rules by direction and priority, so that the first match in
 * file order is the first match by priority.
 *
 * Runs after the regions and route tables: an NSG names subnets as
 * "vnet/subnet" and NICs by their node's name.
 *
 * Must not: decide what a rule matches (emu/model/nsg.c does, for the
 * walk, `arsemu nsg` and the lab's nftables alike).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "../lib/util.h"
#include "topo_int.h"


static const char *const nsg_fields[] = {
	"name", "subnets", "nics", "rules", NULL
};
static const char *const rule_fields[] = {
	"name", "description", "priority", "direction", "access", "protocol",
	"source_address_prefixes", "source_port_ranges",
	"destination_address_prefixes", "destination_port_ranges", NULL
};

/* NS-02: Azure's default rules, in every NSG, in the API's names. */
static const struct {
	const char		*name;
	unsigned		 prio;
	enum topo_nsg_dir	 dir;
	bool			 allow;
	enum topo_nsg_akind	 src, dst;
} defaults[] = {
	{ "AllowVnetInBound", AZ_NSG_PRIO_VNET, TOPO_NSG_IN, true,
	    TOPO_NSG_VNET, TOPO_NSG_VNET },
	{ "AllowAzureLoadBalancerInBound", AZ_NSG_PRIO_LB_INET, TOPO_NSG_IN,
	    true, TOPO_NSG_ALB, TOPO_NSG_ANY },
	{ "DenyAllInBound", AZ_NSG_PRIO_DENY, TOPO_NSG_IN, false,
	    TOPO_NSG_ANY, TOPO_NSG_ANY },
	{ "AllowVnetOutBound", AZ_NSG_PRIO_VNET, TOPO_NSG_OUT, true,
	    TOPO_NSG_VNET, TOPO_NSG_VNET },
	{ "AllowInternetOutBound", AZ_NSG_PRIO_LB_INET, TOPO_NSG_OUT, true,
	    TOPO_NSG_ANY, TOPO_NSG_INTERNET },
	{ "DenyAllOutBound", AZ_NSG_PRIO_DENY, TOPO_NSG_OUT, false,
	    TOPO_NSG_ANY, TOPO_NSG_ANY },
};

static const struct {
	const char		*name;
	enum topo_nsg_akind	 kind;
} tags[] = {
	{ "*", TOPO_NSG_ANY },
	{ "VirtualNetwork", TOPO_NSG_VNET },
	{ "Internet", TOPO_NSG_INTERNET },
	{ "AzureLoadBalancer", TOPO_NSG_ALB },
};

const char *
topo_nsg_tag(const char *s)
{
	size_t i;

	for (i = 0; i < NELEM(tags); i++)
		if (strcasecmp(s, tags[i].name) == 0)
			return tags[i].name;
	return NULL;
}

const char *
topo_nsg_dir_str(enum topo_nsg_dir d)
{
	return d == TOPO_NSG_IN ? "Inbound" : "Outbound";
}

const char *
topo_nsg_proto_str(enum topo_filter_proto p)
{
	switch (p) {
	case TOPO_PROTO_TCP:
		return "Tcp";
	case TOPO_PROTO_UDP:
		return "Udp";
	case TOPO_PROTO_ICMP:
		return "Icmp";
	case TOPO_PROTO_ANY:
		break;
	}
	return "*";
}

static int
nsg_name(struct tctx *c, const cJSON *o, const char *path, const char *what,
    char **out)
{
	char p[TOPO_PATH_MAX];
	const char *s;

	if (topo_jstr(c, o, path, "name", true, &s) == -1)
		return -1;
	if (!topo_azname_ok(s))
		return topo_fail(c, topo_path_key(p, path, "name"), "\"%.64s\" "
		    "is not a valid %s name: use 1 to %d letters, digits, '_', "
		    "'.' or '-', starting with a letter or digit", s, what,
		    TOPO_AZNAME_MAX);
	*out = xstrdup(s);
	return 0;
}

/*
 * A field that is a string or an array of strings: each given to fn with
 * its path; absent: fn once with "*" (what Azure's portal writes).
 */
static int
each_str(struct tctx *c, const cJSON *o, const char *path, const char *key,
    void *arg, int (*fn)(struct tctx *, const char *, const char *, void *))
{
	char p[TOPO_PATH_MAX], q[TOPO_PATH_MAX];
	const cJSON *v = topo_jget(o, key), *el;
	size_t i = 0;

	topo_path_key(p, path, key);
	if (v == NULL)
		return fn(c, "*", p, arg);
	if (cJSON_IsString(v))
		return fn(c, v->valuestring, p, arg);
	if (!cJSON_IsArray(v))
		return topo_fail(c, p, "must be a string or an array of strings");
	if (cJSON_GetArraySize(v) == 0)
		return topo_fail(c, p, "must not be empty: write \"*\" for any");
	if (cJSON_GetArraySize(v) > TOPO_LIST_MAX)
		return topo_fail(c, p, "more than %d entries", TOPO_LIST_MAX);
	cJSON_ArrayForEach(el, v) {
		const char *s;

		topo_path_idx(q, p, i++);
		if (topo_vstr(c, el, q, &s) == -1 || fn(c, s, q, arg) == -1)
			return -1;
	}
	return 0;
}

struct list_arg {
	struct topo_nsg_rule	*r;
	bool			 src;
};

/* One address: a tag (NS-03), "*", an address or a CIDR prefix. */
static int
one_addr(struct tctx *c, const char *s, const char *path, void *arg)
{
	struct list_arg *a = arg;
	struct topo_nsg_addr **v = a->src ? &a->r->src : &a->r->dst, x;
	size_t *n = a->src ? &a->r->nsrc : &a->r->ndst, i;
	uint32_t ip;

	memset(&x, 0, sizeof(x));
	for (i = 0; i < NELEM(tags); i++)
		if (strcmp(s, tags[i].name) == 0)
			break;
	if (i < NELEM(tags))
		x.kind = tags[i].kind;
	else if (pfx_parse(s, &x.pfx) == 0)
		x.kind = TOPO_NSG_PFX;
	else if (strchr(s, '/') == NULL && addr_parse(s, &ip) == 0) {
		x.kind = TOPO_NSG_PFX;
		x.pfx.addr = ip;
		x.pfx.len = 32;
	} else if (strchr(s, '/') != NULL || strspn(s, "0123456789.") ==
	    strlen(s))
		return topo_fail(c, path, "\"%.64s\" is not an address or a "
		    "prefix in CIDR notation (host bits must be zero)", s);
	else
		return topo_fail(c, path, "\"%.64s\" is not a service tag "
		    "arsemu knows: use VirtualNetwork, Internet, "
		    "AzureLoadBalancer or \"*\" (NS-03), or prefixes", s);
	if (x.kind != TOPO_NSG_PFX && *n > 0)
		return topo_fail(c, path, "\"%s\" must stand alone: a rule's "
		    "address list holds prefixes, or one service tag or \"*\" "
		    "(NS-01)", s);
	if (*n > 0 && (*v)[0].kind != TOPO_NSG_PFX)
		return topo_fail(c, path, "\"%s\" cannot follow a service tag "
		    "or \"*\": a rule's address list holds prefixes, or one tag "
		    "(NS-01)", s);
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = x;
	return 0;
}

static int
port_num(const char *s, const char *end, unsigned *out)
{
	unsigned v = 0;
	const char *q;

	if (s == end || end - s > 5)
		return -1;
	for (q = s; q < end; q++) {
		if (*q < '0' || *q > '9')
			return -1;
		v = v * 10 + (unsigned)(*q - '0');
	}
	if (v > TOPO_U16_MAX)
		return -1;
	*out = v;
	return 0;
}

/* One port range: "*", "N" or "LO-HI", 0..65535 (NS-01). */
static int
one_port(struct tctx *c, const char *s, const char *path, void *arg)
{
	struct list_arg *a = arg;
	struct topo_nsg_ports **v = a->src ? &a->r->sport : &a->r->dport, x;
	size_t *n = a->src ? &a->r->nsport : &a->r->ndport;
	const char *dash = strchr(s, '-'), *end = s + strlen(s);
	unsigned lo, hi;

	if (strcmp(s, "*") == 0) {
		lo = 0;
		hi = TOPO_U16_MAX;
	} else if (port_num(s, dash ? dash : end, &lo) == -1 ||
	    port_num(dash ? dash + 1 : s, end, &hi) == -1)
		return topo_fail(c, path, "\"%.64s\" is not a port range: write "
		    "\"*\", a port or \"low-high\", each 0 to 65535 (NS-01)", s);
	if (lo > hi)
		return topo_fail(c, path, "port range \"%.64s\" ends before it "
		    "starts (NS-01)", s);
	x.lo = (uint16_t)lo;
	x.hi = (uint16_t)hi;
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = x;
	return 0;
}

static int
rule_enum(struct tctx *c, const cJSON *o, const char *path, const char *key,
    const char *const *names, size_t nnames, const char *hint, unsigned *out)
{
	char p[TOPO_PATH_MAX];
	const char *s;
	size_t i;

	if (topo_jstr(c, o, path, key, true, &s) == -1)
		return -1;
	for (i = 0; i < nnames; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (unsigned)i;
			return 0;
		}
	return topo_fail(c, topo_path_key(p, path, key), "\"%.64s\" is not "
	    "allowed: use %s (NS-01)", s, hint);
}

static bool
any_port(const struct topo_nsg_ports *v, size_t n)
{
	return n == 1 && v[0].lo == 0 && v[0].hi == TOPO_U16_MAX;
}

static int
parse_rule(struct tctx *c, const cJSON *o, const char *path, void *arg)
{
	static const char *const dirs[] = { "Inbound", "Outbound" };
	static const char *const acc[] = { "Deny", "Allow" };
	static const char *const protos[] = { "*", "Tcp", "Udp", "Icmp" };
	static const enum topo_filter_proto pv[] = { TOPO_PROTO_ANY,
	    TOPO_PROTO_TCP, TOPO_PROTO_UDP, TOPO_PROTO_ICMP };
	struct topo_nsg *g = arg;
	struct topo_nsg_rule *r;
	struct list_arg la;
	char p[TOPO_PATH_MAX];
	unsigned v = 0;
	size_t i;

	if (topo_jfields(c, o, path, rule_fields) == -1)
		return -1;
	if (g->nrules >= AZ_NSG_RULES_MAX)
		return topo_fail(c, path, "NSG \"%s\" has more than %d rules, "
		    "Azure's limit (NS-01)", g->name, AZ_NSG_RULES_MAX);
	g->rules = xrealloc(g->rules, (g->nrules + 1) * sizeof(*g->rules));
	r = &g->rules[g->nrules];
	memset(r, 0, sizeof(*r));
	if (nsg_name(c, o, path, "security rule", &r->name) == -1)
		return -1;
	g->nrules++;	/* owns what r holds from here on */
	r->jpath = xstrdup(path);
	for (i = 0; i + 1 < g->nrules; i++)
		if (strcmp(g->rules[i].name, r->name) == 0)
			return topo_fail(c, topo_path_key(p, path, "name"),
			    "rule \"%s\" is already in NSG \"%s\" at %s",
			    r->name, g->name, g->rules[i].jpath);
	topo_path_key(p, path, "priority");
	if (topo_jget(o, "priority") == NULL)
		return topo_fail(c, p, "required field \"priority\" is missing");
	if (topo_juint(c, o, path, "priority", 0, UINT32_MAX, &r->priority)
	    == -1)
		return -1;
	if (r->priority < AZ_NSG_PRIO_MIN || r->priority > AZ_NSG_PRIO_MAX)
		return topo_fail(c, p, "priority %u is outside %d-%d (NS-01)",
		    r->priority, AZ_NSG_PRIO_MIN, AZ_NSG_PRIO_MAX);
	if (rule_enum(c, o, path, "direction", dirs, NELEM(dirs),
	    "Inbound or Outbound", &v) == -1)
		return -1;
	r->dir = v == 0 ? TOPO_NSG_IN : TOPO_NSG_OUT;
	for (i = 0; i + 1 < g->nrules; i++)
		if (g->rules[i].dir == r->dir &&
		    g->rules[i].priority == r->priority)
			return topo_fail(c, p, "priority %u is already taken by "
			    "%s rule \"%s\" of NSG \"%s\": priorities are unique "
			    "per direction (NS-01)", r->priority,
			    topo_nsg_dir_str(r->dir), g->rules[i].name, g->name);
	if (rule_enum(c, o, path, "access", acc, NELEM(acc),
	    "Allow or Deny", &v) == -1)
		return -1;
	r->allow = v == 1;
	if (rule_enum(c, o, path, "protocol", protos, NELEM(protos),
	    "Tcp, Udp, Icmp or \"*\" (Esp and Ah are not emulated)", &v) == -1)
		return -1;
	r->proto = pv[v];
	if (topo_jstr(c, o, path, "description", false,
	    &(const char *){ NULL }) == -1)
		return -1;
	la.r = r;
	la.src = true;
	if (each_str(c, o, path, "source_address_prefixes", &la, one_addr)
	    == -1 || each_str(c, o, path, "source_port_ranges", &la, one_port)
	    == -1)
		return -1;
	la.src = false;
	if (each_str(c, o, path, "destination_address_prefixes", &la,
	    one_addr) == -1 || each_str(c, o, path, "destination_port_ranges",
	    &la, one_port) == -1)
		return -1;
	if (r->proto == TOPO_PROTO_ICMP && (!any_port(r->sport, r->nsport) ||
	    !any_port(r->dport, r->ndport)))
		return topo_fail(c, topo_path_key(p, path, any_port(r->sport,
		    r->nsport) ? "destination_port_ranges" :
		    "source_port_ranges"), "an Icmp rule has no ports: write "
		    "\"*\" (NS-01)");
	return 0;
}

static void
add_defaults(struct topo_nsg *g)
{
	size_t i, n = g->nrules;

	g->rules = xrealloc(g->rules, (n + NELEM(defaults)) *
	    sizeof(*g->rules));
	for (i = 0; i < NELEM(defaults); i++) {
		struct topo_nsg_rule *r = &g->rules[n + i];

		memset(r, 0, sizeof(*r));
		r->name = xstrdup(defaults[i].name);
		r->priority = defaults[i].prio;
		r->dir = defaults[i].dir;
		r->allow = defaults[i].allow;
		r->src = xcalloc(1, sizeof(*r->src));
		r->src->kind = defaults[i].src;
		r->dst = xcalloc(1, sizeof(*r->dst));
		r->dst->kind = defaults[i].dst;
		r->nsrc = r->ndst = 1;
		r->sport = xcalloc(1, sizeof(*r->sport));
		r->dport = xcalloc(1, sizeof(*r->dport));
		r->sport->hi = r->dport->hi = TOPO_U16_MAX;
		r->nsport = r->ndport = 1;
	}
	g->nrules = n + NELEM(defaults);
}

static int
rule_cmp(const void *a, const void *b)
{
	const struct topo_nsg_rule *x = a, *y = b;

	if (x->dir != y->dir)
		return x->dir < y->dir ? -1 : 1;
	return x->priority < y->priority ? -1 : x->priority > y->priority;
}

/* RS-03, NS-05, NS-04: where an NSG may go, one per subnet. */
static int
assoc_subnet(struct tctx *c, const char *p, const char *ref, void *arg)
{
	struct topo_nsg *g = arg;
	struct topo_subnet *sn;
	const char *rule;

	if ((sn = topo_subnet_ref(c->t, ref)) == NULL)
		return topo_fail(c, p, "\"%.80s\" names no subnet: write "
		    "\"vnet/subnet\" with a VNet and one of its subnets", ref);
	if ((rule = topo_subnet_no_nsg(sn->name)) != NULL)
		return topo_fail(c, p, "an NSG cannot be associated with %s: "
		    "Azure takes none there (%s)", sn->name, rule);
	if (sn->nsg != NULL)
		return topo_fail(c, p, "subnet \"%s\" of VNet \"%s\" is already "
		    "associated with NSG \"%s\": a subnet has at most one "
		    "(NS-04)", sn->name, sn->vnet->name, sn->nsg->name);
	sn->nsg = g;
	topo_push(&g->subnets, &g->nsubnets, sn);
	return 0;
}

static int
assoc_nic(struct tctx *c, const char *p, const char *ref, void *arg)
{
	struct topo_nsg *g = arg;
	struct topo_nic *nic = topo_nic_find(c->t, ref);
	const struct topo_node *n = nic ? nic->node : NULL;

	if (n == NULL || (n->kind != TOPO_VM && n->kind != TOPO_NVA))
		return topo_fail(c, p, "\"%.64s\" names no VM or NVA: an NSG "
		    "is associated with the NIC of a VM or an NVA (an NVA's "
		    "extra NIC: \"NVA/NAME\", NV-01)", ref);
	if (strcmp(nic->subnet->name, "AzureFirewallSubnet") == 0)
		return topo_fail(c, p, "%s sits in AzureFirewallSubnet, whose "
		    "NICs are the platform's: Azure takes no NSG there (NS-05)",
		    n->name);
	if (nic->nsg != NULL)
		return topo_fail(c, p, "the NIC of %s is already associated "
		    "with NSG \"%s\": a NIC has at most one (NS-04)", nic->name,
		    nic->nsg->name);
	nic->nsg = g;
	topo_push(&g->nics, &g->nnics, nic);
	return 0;
}

static int
parse_nsg(struct tctx *c, const cJSON *o, const char *path, void *arg)
{
	struct topo_nsg *g;
	char p[TOPO_PATH_MAX];
	size_t i;

	(void)arg;
	g = xcalloc(1, sizeof(*g));
	g->jpath = xstrdup(path);
	topo_push(&c->t->nsgs, &c->t->nnsgs, g);
	if (topo_jfields(c, o, path, nsg_fields) == -1 ||
	    nsg_name(c, o, path, "network security group", &g->name) == -1)
		return -1;
	for (i = 0; i + 1 < c->t->nnsgs; i++)
		if (strcmp(c->t->nsgs[i]->name, g->name) == 0)
			return topo_fail(c, topo_path_key(p, path, "name"),
			    "NSG \"%s\" is already declared at %s", g->name,
			    c->t->nsgs[i]->jpath);
	if (topo_parse_list(c, o, path, "rules", g, parse_rule) == -1)
		return -1;
	add_defaults(g);
	qsort(g->rules, g->nrules, sizeof(*g->rules), rule_cmp);
	if (topo_jnames(c, o, path, "subnets", g, assoc_subnet) == -1)
		return -1;
	return topo_jnames(c, o, path, "nics", g, assoc_nic);
}

int
topo_parse_nsgs(struct tctx *c, const cJSON *root)
{
	return topo_parse_list(c, root, "", "network_security_groups", NULL,
	    parse_nsg);
}

void
topo_nsg_free(struct topo_nsg *g)
{
	size_t i;

	for (i = 0; i < g->nrules; i++) {
		free(g->rules[i].name);
		free(g->rules[i].jpath);
		free(g->rules[i].src);
		free(g->rules[i].dst);
		free(g->rules[i].sport);
		free(g->rules[i].dport);
	}
	free(g->rules);
	free(g->subnets);
	free(g->nics);
	free(g->name);
	free(g->jpath);
	free(g);
}
