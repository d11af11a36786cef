/*
 * arsemu nsg NIC [--name LAB | --topo FILE] [--json]: a NIC's effective
 * network security rules, in the shape of `az network nic
 * list-effective-nsg` (service tags expanded for that NIC, NS-03), and
 * with --verify in|out PROTO SRC[:PORT] DST[:PORT] the answer of an IP
 * flow verify for one new flow (NS-04): Allow or Deny and the rule.
 * Reads the topology only (the model's emu/model/nsg.c), so a running lab
 * and its file give the same answer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../emu/lab.h"
#include "../emu/model/nsg.h"
#include "../lib/json.h"
#include "../lib/util.h"
#include "cli.h"

#define NSG_SUBSCRIPTION	"00000000-0000-0000-0000-000000000000"

static void
nsg_id(const char *lab, const struct topo_nsg *g, char *buf, size_t len)
{
	snprintf(buf, len, "/subscriptions/%s/resourceGroups/%s/providers/"
	    "Microsoft.Network/networkSecurityGroups/%s", NSG_SUBSCRIPTION, lab,
	    g->name);
}

static const char *
addr_word(const struct topo_nsg_addr *a, char *buf)
{
	switch (a->kind) {
	case TOPO_NSG_PFX:
		return pfx_fmt(&a->pfx, buf);
	case TOPO_NSG_ANY:
		return "*";
	case TOPO_NSG_VNET:
		return "VirtualNetwork";
	case TOPO_NSG_INTERNET:
		return "Internet";
	case TOPO_NSG_ALB:
		return "AzureLoadBalancer";
	}
	return "?";
}

/* "a,b,c" of a rule's addresses or ports into buf. */
static const char *
addrs_str(const struct topo_nsg_addr *v, size_t n, char *buf, size_t len)
{
	char a[PFX_STRLEN];
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
		    i ? "," : "", addr_word(&v[i], a));
	return buf;
}

static const char *
ports_str(const struct topo_nsg_ports *v, size_t n, char *buf, size_t len)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%u-%u",
		    i ? "," : "", v[i].lo, v[i].hi);
	return buf;
}

static void
json_prefixes(struct json *j, const char *key, const struct topo_nsg_addr *v,
    size_t n, const struct nsg_tags *tg)
{
	char a[PFX_STRLEN];
	struct pfx4 *x;
	size_t i, k, nx;

	json_key(j, key);
	json_arr_begin(j);
	for (i = 0; i < n; i++) {
		nx = nsg_addr_expand(&v[i], tg, &x);
		for (k = 0; k < nx; k++)
			json_str(j, pfx_fmt(&x[k], a));
		free(x);
	}
	json_arr_end(j);
}

static void
json_rule(struct json *j, const struct topo_nsg_rule *r,
    const struct nsg_tags *tg)
{
	char name[128], buf[4096], a[PFX_STRLEN];
	size_t i;

	json_obj_begin(j);
	json_kstr(j, "access", r->allow ? "Allow" : "Deny");
	json_kstr(j, "destinationAddressPrefix", r->ndst == 1 ?
	    addr_word(&r->dst[0], a) : NULL);
	json_key(j, "destinationAddressPrefixes");
	json_arr_begin(j);
	for (i = 0; r->ndst > 1 && i < r->ndst; i++)
		json_str(j, addr_word(&r->dst[i], a));
	json_arr_end(j);
	json_kstr(j, "destinationPortRange", r->ndport == 1 ?
	    ports_str(r->dport, 1, buf, sizeof(buf)) : NULL);
	json_key(j, "destinationPortRanges");
	json_arr_begin(j);
	for (i = 0; r->ndport > 1 && i < r->ndport; i++)
		json_str(j, ports_str(&r->dport[i], 1, buf, sizeof(buf)));
	json_arr_end(j);
	json_kstr(j, "direction", topo_nsg_dir_str(r->dir));
	json_prefixes(j, "expandedDestinationAddressPrefix", r->dst, r->ndst,
	    tg);
	json_prefixes(j, "expandedSourceAddressPrefix", r->src, r->nsrc, tg);
	snprintf(name, sizeof(name), "%s/%s", r->jpath ? "securityRules" :
	    "defaultSecurityRules", r->name);
	json_kstr(j, "name", name);
	json_kint(j, "priority", r->priority);
	json_kstr(j, "protocol", r->proto == TOPO_PROTO_ANY ? "All" :
	    topo_nsg_proto_str(r->proto));
	json_kstr(j, "sourceAddressPrefix", r->nsrc == 1 ?
	    addr_word(&r->src[0], a) : NULL);
	json_key(j, "sourceAddressPrefixes");
	json_arr_begin(j);
	for (i = 0; r->nsrc > 1 && i < r->nsrc; i++)
		json_str(j, addr_word(&r->src[i], a));
	json_arr_end(j);
	json_kstr(j, "sourcePortRange", r->nsport == 1 ?
	    ports_str(r->sport, 1, buf, sizeof(buf)) : NULL);
	json_key(j, "sourcePortRanges");
	json_arr_begin(j);
	for (i = 0; r->nsport > 1 && i < r->nsport; i++)
		json_str(j, ports_str(&r->sport[i], 1, buf, sizeof(buf)));
	json_arr_end(j);
	json_obj_end(j);
}

/* The NSGs of nic, inbound order (subnet, then NIC): both directions' rules. */
static size_t
nsgs_of(const struct topo_nic *nic, const struct topo_nsg *g[2])
{
	return nsg_order(nic, TOPO_NSG_IN, g);
}

static void
print_json(const char *lab, const struct topo_nic *nic,
    const struct nsg_tags *tg)
{
	const struct topo_nsg *g[2];
	char id[512], a[PFX_STRLEN];
	struct json j;
	size_t n = nsgs_of(nic, g), i, k;

	json_init(&j, stdout);
	json_obj_begin(&j);
	json_key(&j, "value");
	json_arr_begin(&j);
	for (i = 0; i < n; i++) {
		json_obj_begin(&j);
		json_key(&j, "association");
		json_obj_begin(&j);
		if (g[i] == nic->subnet->nsg && (i == 0 || g[0] != g[i])) {
			snprintf(id, sizeof(id), "/subscriptions/%s/resourceGroups/"
			    "%s/providers/Microsoft.Network/virtualNetworks/%s/"
			    "subnets/%s", NSG_SUBSCRIPTION, lab,
			    nic->subnet->vnet->name, nic->subnet->name);
			json_key(&j, "subnet");
		} else {
			snprintf(id, sizeof(id), "/subscriptions/%s/resourceGroups/"
			    "%s/providers/Microsoft.Network/networkInterfaces/%s",
			    NSG_SUBSCRIPTION, lab, nic->name);
			json_key(&j, "networkInterface");
		}
		json_obj_begin(&j);
		json_kstr(&j, "id", id);
		json_obj_end(&j);
		json_obj_end(&j);
		json_key(&j, "effectiveSecurityRules");
		json_arr_begin(&j);
		for (k = 0; k < g[i]->nrules; k++)
			json_rule(&j, &g[i]->rules[k], tg);
		json_arr_end(&j);
		json_key(&j, "networkSecurityGroup");
		json_obj_begin(&j);
		nsg_id(lab, g[i], id, sizeof(id));
		json_kstr(&j, "id", id);
		json_obj_end(&j);
		json_key(&j, "tagMap");
		json_obj_begin(&j);
		json_key(&j, "VirtualNetwork");
		json_arr_begin(&j);
		for (k = 0; k < tg->nvnet; k++)
			json_str(&j, pfx_fmt(&tg->vnet[k], a));
		json_arr_end(&j);
		json_obj_end(&j);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	json_end(&j);
}

static void
print_text(const struct topo_nic *nic, const struct nsg_tags *tg)
{
	static const char *const hdr[] = { "Direction", "Priority", "Name",
	    "Access", "Protocol", "Source", "SourcePorts", "Destination",
	    "DestinationPorts" };
	const struct topo_nsg *g[2];
	char prio[16], src[512], sp[256], dst[512], dp[256], a[PFX_STRLEN];
	size_t n = nsgs_of(nic, g), i, k;

	if (n == 0) {
		printf("%s: no NSG on its NIC or its subnet %s/%s: every flow "
		    "passes\n", nic->name, nic->subnet->vnet->name,
		    nic->subnet->name);
		return;
	}
	for (i = 0; i < n; i++) {
		struct table *tb = table_new(NELEM(hdr), hdr);

		printf("%sNSG %s (%s)\n", i ? "\n" : "", g[i]->name,
		    g[i] == nic->subnet->nsg && (i == 0 || g[0] != g[i]) ?
		    "its subnet's" : "its NIC's");
		for (k = 0; k < g[i]->nrules; k++) {
			const struct topo_nsg_rule *r = &g[i]->rules[k];
			const char *row[NELEM(hdr)];

			snprintf(prio, sizeof(prio), "%u", r->priority);
			row[0] = topo_nsg_dir_str(r->dir);
			row[1] = prio;
			row[2] = r->name;
			row[3] = r->allow ? "Allow" : "Deny";
			row[4] = topo_nsg_proto_str(r->proto);
			row[5] = addrs_str(r->src, r->nsrc, src, sizeof(src));
			row[6] = ports_str(r->sport, r->nsport, sp, sizeof(sp));
			row[7] = addrs_str(r->dst, r->ndst, dst, sizeof(dst));
			row[8] = ports_str(r->dport, r->ndport, dp, sizeof(dp));
			table_row(tb, row);
		}
		table_print(tb);
		table_free(tb);
	}
	printf("\nVirtualNetwork at %s:", nic->name);
	for (k = 0; k < tg->nvnet; k++)
		printf(" %s", pfx_fmt(&tg->vnet[k], a));
	printf("\n(inbound: the subnet's NSG, then the NIC's; outbound: the "
	    "NIC's, then the subnet's; replies of an allowed flow pass)\n");
}

/* "10.0.0.4" or "10.0.0.4:179" */
static int
endpoint(const char *s, uint32_t *ip, uint16_t *port)
{
	char buf[32];
	const char *colon = strchr(s, ':');
	unsigned long v;
	char *end;

	*port = 0;
	if (strlen(s) >= sizeof(buf))
		return -1;
	snprintf(buf, sizeof(buf), "%s", s);
	if (colon != NULL) {
		buf[colon - s] = '\0';
		v = strtoul(colon + 1, &end, 10);
		if (colon[1] == '\0' || *end != '\0' || v > 65535)
			return -1;
		*port = (uint16_t)v;
	}
	return addr_parse(buf, ip);
}

static int
verify(const struct cli *c, const struct topo *t, const struct topo_nic *nic)
{
	static const char *const protos[] = { "tcp", "udp", "icmp" };
	static const uint8_t pv[] = { TOPO_PROTO_TCP, TOPO_PROTO_UDP,
	    TOPO_PROTO_ICMP };
	enum topo_nsg_dir d;
	struct nsg_verdict v;
	struct nsg_pkt p;
	char why[320], name[128];
	size_t i;

	if (strcmp(c->verify, "in") != 0 && strcmp(c->verify, "out") != 0)
		return cli_err(CLI_USAGE, "--verify is in or out");
	d = c->verify[0] == 'i' ? TOPO_NSG_IN : TOPO_NSG_OUT;
	memset(&p, 0, sizeof(p));
	for (i = 0; i < NELEM(protos); i++)
		if (strcmp(c->argv[1], protos[i]) == 0)
			p.proto = pv[i];
	if (p.proto == 0)
		return cli_err(CLI_USAGE, "\"%.16s\" is no protocol: use tcp, udp "
		    "or icmp", c->argv[1]);
	if (endpoint(c->argv[2], &p.src, &p.sport) == -1 ||
	    endpoint(c->argv[3], &p.dst, &p.dport) == -1)
		return cli_err(CLI_USAGE, "write the source and destination as "
		    "ADDRESS or ADDRESS:PORT (port 0 to 65535)");
	if (p.proto == TOPO_PROTO_ICMP && (p.sport || p.dport))
		return cli_err(CLI_USAGE, "icmp has no ports");
	(void)nsg_check(t, nic, d, &p, &v);
	nsg_verdict_str(&v, nic, d, why, sizeof(why));
	if (c->json) {
		struct json j;

		json_init(&j, stdout);
		json_obj_begin(&j);
		json_kstr(&j, "access", v.allow ? "Allow" : "Deny");
		if (v.rule != NULL)
			snprintf(name, sizeof(name), "%s/%s", v.rule->jpath ?
			    "securityRules" : "defaultSecurityRules",
			    v.rule->name);
		json_kstr(&j, "ruleName", v.rule ? name : NULL);
		json_kstr(&j, "networkSecurityGroup", v.nsg ? v.nsg->name :
		    NULL);
		json_obj_end(&j);
		json_end(&j);
	} else {
		printf("%s: %s\n", v.allow ? "Allow" : "Deny", why);
		for (i = 0; i < v.nby; i++)
			printf("  NSG %s: rule %s %s\n", v.by[i]->name,
			    v.rule_by[i] ? v.rule_by[i]->name : "?",
			    v.rule_by[i] && v.rule_by[i]->allow ? "allows" :
			    "denies");
	}
	return v.allow ? CLI_OK : CLI_FAIL;
}

int
cmd_nsg(struct cli *c)
{
	char file[400], dir[256], err[600];
	const char *lab = NULL;
	const struct topo_nic *nic;
	struct nsg_tags tg;
	struct topo_err te;
	struct topo *t;
	int rc;

	if (c->argc != (c->verify ? 4 : 1))
		return cli_err(CLI_USAGE, "usage: arsemu nsg NIC [--name LAB | "
		    "--topo FILE] [--json] [--verify in|out PROTO SRC[:PORT] "
		    "DST[:PORT]]");
	if (c->topo != NULL)
		snprintf(file, sizeof(file), "%s", c->topo);
	else {
		if ((lab = cli_lab(c)) == NULL)
			return CLI_ENV;
		snprintf(file, sizeof(file), "%s/topology.json",
		    lab_dir(lab, dir, sizeof(dir)));
	}
	if (topo_load_file(file, &t, &te) == -1) {
		topo_err_str(&te, file, err, sizeof(err));
		return cli_err(lab ? CLI_ENV : CLI_USAGE, "%s", err);
	}
	if ((nic = topo_nic_find(t, c->argv[0])) == NULL) {
		rc = cli_err(CLI_USAGE, "\"%.64s\" is no NIC of lab %s", c->argv[0],
		    t->name);
	} else if (c->verify != NULL) {
		rc = verify(c, t, nic);
	} else {
		nsg_tags_of(t, nic, &tg);
		if (c->json)
			print_json(lab ? lab : t->name, nic, &tg);
		else
			print_text(nic, &tg);
		nsg_tags_free(&tg);
		rc = CLI_OK;
	}
	topo_free(t);
	return rc;
}
