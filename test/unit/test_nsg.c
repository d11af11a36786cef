/*
 * test_nsg: network security groups. The parser's checks (NS-01, NS-05,
 * RS-03) with their JSON paths, Azure's default rules (NS-02), the service
 * tags (NS-03), the order of a subnet's and a NIC's NSGs (NS-04), and the
 * walk's "denied by NSG" on examples/nsg.json.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../emu/model/nsg.h"
#include "../../emu/model/nsgnft.h"
#include "../../emu/model/plan.h"
#include "../../emu/model/walk.h"
#include "../../lib/util.h"
#include "../../topo/topo.h"
#include "t.h"
#include "tplan.h"

#define EXAMPLE	"examples/nsg.json"

/* A small document with one NSG whose rules are `rules` ('' for ""). */
static int
load_rules(const char *nsg_extra, const char *rules, struct topo **t,
    struct topo_err *err)
{
	char doc[4096], *p;
	int r;

	snprintf(doc, sizeof(doc), "{'name':'t','regions':[{'name':'westeurope',"
	    "'hub':{'name':'hub','address_space':['10.0.0.0/16'],"
	    "'subnets':{'RouteServerSubnet':'10.0.1.0/27','GatewaySubnet':"
	    "'10.0.3.0/27','nva':'10.0.2.0/24','AzureFirewallSubnet':"
	    "'10.0.4.0/26'},'route_server':{},"
	    "'nvas':[{'name':'nva1','subnet':'nva','asn':65001,"
	    "'advertise':['10.9.0.0/16']},{'name':'azfw','subnet':"
	    "'AzureFirewallSubnet'}],'vms':[{'name':'vm0','subnet':'nva'}]},"
	    "'spokes':[{'name':'s1','address_space':['10.1.0.0/16'],"
	    "'use_remote_gateways':true,'subnets':{'app':'10.1.0.0/24'},"
	    "'vms':[{'name':'vm1','subnet':'app'}]}]}],"
	    "'network_security_groups':[{'name':'g'%s,'rules':[%s]}]}",
	    nsg_extra, rules);
	for (p = doc; *p != '\0'; p++)
		if (*p == '\'')
			*p = '"';
	memset(err, 0, sizeof(*err));
	*t = NULL;
	r = topo_load_string(doc, strlen(doc), t, err);
	if (r == -1)
		*t = NULL;
	return r;
}

/* The load fails at path with a message holding want. */
static void
refused(const char *extra, const char *rules, const char *path,
    const char *want, const char *what)
{
	struct topo_err err;
	struct topo *t;

	if (load_rules(extra, rules, &t, &err) == 0) {
		T_OK(0, "%s: refused (it loaded)", what);
		topo_free(t);
		return;
	}
	T_OK(strcmp(err.path, path) == 0 && strstr(err.msg, want) != NULL,
	    "%s: %s: %s", what, err.path, err.msg);
}

#define RULE(x) "{'name':'r','priority':100,'direction':'Inbound'," \
	"'access':'Deny','protocol':'Tcp'" x "}"

static void
test_parse(void)
{
	refused("", "{'name':'r','priority':99,'direction':'Inbound',"
	    "'access':'Deny','protocol':'Tcp'}", "network_security_groups[0]."
	    "rules[0].priority", "outside 100-4096",
	    "NS-01: priority 99 is refused with its path");
	refused("", "{'name':'r','priority':4097,'direction':'Inbound',"
	    "'access':'Deny','protocol':'Tcp'}", "network_security_groups[0]."
	    "rules[0].priority", "outside 100-4096",
	    "NS-01: priority 4097 is refused");
	refused("", RULE("") ",{'name':'r2','priority':100,'direction':"
	    "'Inbound','access':'Allow','protocol':'*'}",
	    "network_security_groups[0].rules[1].priority", "already taken",
	    "NS-01: a duplicate priority in one direction is refused");
	refused("", RULE("") "," RULE(""), "network_security_groups[0]."
	    "rules[1].name", "already in NSG", "NS-01: a duplicate rule name");
	refused("", RULE(",'destination_port_ranges':'200-100'"),
	    "network_security_groups[0].rules[0].destination_port_ranges",
	    "ends before it starts", "NS-01: a port range backwards");
	refused("", RULE(",'destination_port_ranges':['80','65536']"),
	    "network_security_groups[0].rules[0].destination_port_ranges[1]",
	    "not a port range", "NS-01: port 65536");
	refused("", RULE(",'source_address_prefixes':'Storage'"),
	    "network_security_groups[0].rules[0].source_address_prefixes",
	    "not a service tag arsemu knows", "NS-03: an unknown tag");
	refused("", RULE(",'source_address_prefixes':['10.0.0.0/8',"
	    "'Internet']"), "network_security_groups[0].rules[0]."
	    "source_address_prefixes[1]", "must stand alone",
	    "NS-01: a tag among prefixes");
	refused("", "{'name':'r','priority':100,'direction':'Inbound',"
	    "'access':'Deny','protocol':'Esp'}", "network_security_groups[0]."
	    "rules[0].protocol", "Esp and Ah are not emulated",
	    "NS-01: protocol Esp is refused as not emulated");
	refused("", "{'name':'r','priority':100,'direction':'Up',"
	    "'access':'Deny','protocol':'Tcp'}", "network_security_groups[0]."
	    "rules[0].direction", "Inbound or Outbound",
	    "NS-01: a direction that is neither");
	refused("", "{'name':'r','priority':100,'direction':'Inbound',"
	    "'access':'Deny','protocol':'Icmp','destination_port_ranges':'7'}",
	    "network_security_groups[0].rules[0].destination_port_ranges",
	    "has no ports", "NS-01: an Icmp rule with a port");
	refused(",'subnets':['hub/RouteServerSubnet']", RULE(""),
	    "network_security_groups[0].subnets[0]", "RS-03",
	    "RS-03: no NSG on RouteServerSubnet");
	refused(",'subnets':['hub/GatewaySubnet']", RULE(""),
	    "network_security_groups[0].subnets[0]", "NS-05",
	    "NS-05: no NSG on GatewaySubnet");
	refused(",'subnets':['hub/AzureFirewallSubnet']", RULE(""),
	    "network_security_groups[0].subnets[0]", "NS-05",
	    "NS-05: no NSG on AzureFirewallSubnet");
	refused(",'nics':['azfw']", RULE(""),
	    "network_security_groups[0].nics[0]", "NS-05",
	    "NS-05: no NSG on the NIC of a firewall in AzureFirewallSubnet");
	refused(",'subnets':['hub/nva','hub/nva']", RULE(""),
	    "network_security_groups[0].subnets[1]", "at most one",
	    "NS-04: one NSG per subnet");
	refused(",'nics':['hub-rs0']", RULE(""),
	    "network_security_groups[0].nics[0]", "names no VM or NVA",
	    "NS-04: a Route Server instance has no NSG of ours");
	refused(",'nics':['vm1','vm1']", RULE(""),
	    "network_security_groups[0].nics[1]", "at most one",
	    "NS-04: one NSG per NIC");
	refused(",'subnets':['s1/nope']", RULE(""),
	    "network_security_groups[0].subnets[0]", "names no subnet",
	    "NS-04: an unknown subnet");
}

static void
test_defaults(void)
{
	static const struct {
		const char	*name;
		unsigned	 prio;
		bool		 in, allow;
	} want[] = {
		{ "r", 100, true, false },
		{ "AllowVnetInBound", 65000, true, true },
		{ "AllowAzureLoadBalancerInBound", 65001, true, true },
		{ "DenyAllInBound", 65500, true, false },
		{ "AllowVnetOutBound", 65000, false, true },
		{ "AllowInternetOutBound", 65001, false, true },
		{ "DenyAllOutBound", 65500, false, false },
	};
	struct topo_err err;
	struct topo *t;
	bool ok = true;
	size_t i;

	if (load_rules("", RULE(""), &t, &err) != 0)
		die("load: %s: %s", err.path, err.msg);
	T_EQ(t->nsgs[0]->nrules, NELEM(want), "NS-02: one user rule and "
	    "Azure's six default rules");
	for (i = 0; i < NELEM(want) && i < t->nsgs[0]->nrules; i++) {
		const struct topo_nsg_rule *r = &t->nsgs[0]->rules[i];

		ok &= strcmp(r->name, want[i].name) == 0 &&
		    r->priority == want[i].prio && r->allow == want[i].allow &&
		    (r->dir == TOPO_NSG_IN) == want[i].in;
	}
	T_OK(ok, "NS-02: default rules in their names and priorities, sorted "
	    "by direction then priority");
	topo_free(t);
}

static struct nsg_pkt
pkt(const char *src, uint16_t sport, const char *dst, uint16_t dport,
    uint8_t proto)
{
	struct nsg_pkt p;

	memset(&p, 0, sizeof(p));
	if (addr_parse(src, &p.src) != 0 || addr_parse(dst, &p.dst) != 0)
		die("bad address in test");
	p.sport = sport;
	p.dport = dport;
	p.proto = proto;
	return p;
}

static bool
has_pfx(const struct nsg_tags *tg, const char *s)
{
	struct pfx4 p;
	size_t i;

	if (pfx_parse(s, &p) != 0)
		die("bad prefix in test");
	for (i = 0; i < tg->nvnet; i++)
		if (pfx_contains(&tg->vnet[i], &p))
			return true;
	return false;
}

static void
test_tags(void)
{
	struct topo *t = topo_must_load(EXAMPLE);
	const struct topo_nic *web1 = topo_node_find(t, "web1")->nic;
	struct topo_nsg_addr inet = { TOPO_NSG_INTERNET, { 0, 0 } };
	struct topo_nsg_addr alb = { TOPO_NSG_ALB, { 0, 0 } };
	struct nsg_tags tg;
	struct pfx4 *x;
	size_t n, i;
	bool disjoint = true;

	nsg_tags_of(t, web1, &tg);
	T_OK(has_pfx(&tg, "10.2.0.0/16") && has_pfx(&tg, "10.1.0.0/16") &&
	    has_pfx(&tg, "10.3.0.0/16"), "NS-03: VirtualNetwork holds the "
	    "VNet's space and its peered VNets' (hub, spoke2)");
	T_OK(has_pfx(&tg, "10.250.0.0/16"), "NS-03: VirtualNetwork holds the "
	    "on-premises prefix the Route Server programs (sdwan's branch)");
	T_OK(!has_pfx(&tg, "10.4.0.0/16"), "NS-03: VirtualNetwork holds no "
	    "unconnected private space");
	T_OK(nsg_addr_has(&inet, &tg, 0xc6336401u) &&
	    !nsg_addr_has(&inet, &tg, 0x0a040001u) &&
	    !nsg_addr_has(&inet, &tg, AZ_VIP),
	    "NS-03: Internet: a public address, not private space nor "
	    "168.63.129.16");
	T_OK(nsg_addr_has(&alb, &tg, AZ_VIP) &&
	    !nsg_addr_has(&alb, &tg, 0x0a020104u),
	    "NS-03: AzureLoadBalancer is 168.63.129.16");
	n = nsg_addr_expand(&inet, &tg, &x);
	for (i = 0; i < n; i++) {
		size_t k;

		for (k = 0; k < tg.nvnet; k++)
			disjoint &= !pfx_overlap(&x[i], &tg.vnet[k]);
		for (k = 0; nsg_private(k) != NULL; k++)
			disjoint &= !pfx_overlap(&x[i], nsg_private(k));
	}
	T_OK(n > 0 && disjoint, "NS-03: Internet expanded: %zu prefixes, none "
	    "in VirtualNetwork or private space", n);
	free(x);
	nsg_tags_free(&tg);
	topo_free(t);
}

static void
test_order(void)
{
	struct topo *t = topo_must_load(EXAMPLE);
	const struct topo_nic *web1 = topo_node_find(t, "web1")->nic;
	const struct topo_nic *web2 = topo_node_find(t, "web2")->nic;
	const struct topo_nic *vm = topo_node_find(t, "spoke2-vm1")->nic;
	struct nsg_verdict v;
	struct nsg_pkt p;

	p = pkt("10.3.1.4", 40000, "10.2.1.4", 22, 6);
	T_OK(!nsg_check(t, web1, TOPO_NSG_IN, &p, &v) &&
	    strcmp(v.rule->name, "deny-ssh-spoke2") == 0,
	    "NS-01: the first matching rule by priority decides "
	    "(deny-ssh-spoke2 at 110)");
	p = pkt("10.3.1.4", 40000, "10.2.1.4", 80, 6);
	T_OK(nsg_check(t, web1, TOPO_NSG_IN, &p, &v) &&
	    strcmp(v.rule->name, "allow-http") == 0,
	    "NS-01: allow-http (100) before the rest");
	p = pkt("10.3.1.4", 40000, "10.2.1.5", 80, 6);
	T_OK(nsg_check(t, web2, TOPO_NSG_IN, &p, &v) && v.nby == 2 &&
	    strcmp(v.by[0]->name, "nsg-web") == 0 &&
	    strcmp(v.by[1]->name, "nsg-web2") == 0,
	    "NS-04: inbound, the subnet's NSG first, then the NIC's");
	p = pkt("10.3.1.4", 0, "10.2.1.5", 0, 1);
	T_OK(!nsg_check(t, web2, TOPO_NSG_IN, &p, &v) &&
	    strcmp(v.nsg->name, "nsg-web2") == 0 &&
	    strcmp(v.rule->name, "deny-ping") == 0,
	    "NS-04: the subnet allows ping (AllowVnetInBound), the NIC's NSG "
	    "denies it");
	p = pkt("10.3.1.4", 0, "10.2.1.4", 0, 1);
	T_OK(nsg_check(t, web1, TOPO_NSG_IN, &p, &v),
	    "NS-04: the same ping to web1, without the NIC's NSG, passes");
	p = pkt("10.2.1.5", 0, "10.3.1.4", 0, 1);
	T_OK(nsg_check(t, web2, TOPO_NSG_OUT, &p, &v) && v.nby == 2 &&
	    strcmp(v.by[0]->name, "nsg-web2") == 0,
	    "NS-04: outbound, the NIC's NSG first, then the subnet's");
	p = pkt("10.2.1.4", 40000, "198.51.100.1", 53, 17);
	T_OK(!nsg_check(t, web1, TOPO_NSG_OUT, &p, &v) &&
	    strcmp(v.rule->name, "deny-udp-internet") == 0,
	    "NS-03: Internet as a destination tag denies UDP out");
	p = pkt("10.2.1.4", 40000, "198.51.100.1", 443, 6);
	T_OK(nsg_check(t, web1, TOPO_NSG_OUT, &p, &v) &&
	    strcmp(v.rule->name, "AllowInternetOutBound") == 0,
	    "NS-02: AllowInternetOutBound lets TCP out");
	p = pkt("198.51.100.1", 40000, "10.2.2.4", 8080, 6);
	T_OK(!nsg_check(t, topo_node_find(t, "app1")->nic, TOPO_NSG_IN, &p,
	    &v) && strcmp(v.rule->name, "DenyAllInBound") == 0,
	    "NS-02: DenyAllInBound stops what no rule allows");
	p = pkt("10.3.1.4", 40000, "10.2.1.4", 22, 6);
	T_OK(nsg_check(t, vm, TOPO_NSG_IN, &p, &v) && v.nsg == NULL,
	    "NS-04: a NIC without an NSG passes everything");
	topo_free(t);
}

static void
walk_one(const struct whole *w, const char *from, const char *to,
    enum walk_proto proto, uint16_t port, struct walk *wk)
{
	struct walk_env env = { w->t, whole_table, NULL, NULL, (void *)w,
	    &w->p->in, NULL };
	const struct topo_node *s = topo_node_find(w->t, from);
	struct walk_pkt p = { 0, 0, proto, port, WALK_SPORT_BASE, false };

	p.src = walk_node_ip(s);
	if (strcmp(to, "internet") == 0)
		p.dst = WALK_INTERNET_IP;
	else
		p.dst = walk_node_ip(topo_node_find(w->t, to));
	walk_predict(&env, s, &p, 0, wk);
}

static void
test_walks(void)
{
	struct topo *t = topo_must_load(EXAMPLE);
	struct plan p;
	struct whole w;
	struct walk wk;

	plan_run(t, &p);
	whole_init(&w, t, &p);
	walk_one(&w, "spoke2-vm1", "web1", WALK_TCP, 22, &wk);
	T_OK(wk.outcome == WALK_NSG_DENIED && wk.nsg_inbound &&
	    strstr(wk.detail, "denied by NSG nsg-web, rule deny-ssh-spoke2") &&
	    wk.n == 1, "NS-04: walk spoke2-vm1 -> web1 tcp 22: %s",
	    wk.detail);
	walk_one(&w, "spoke2-vm1", "web1", WALK_TCP, 80, &wk);
	T_EQ(wk.outcome, WALK_DELIVERED, "NS-01: walk spoke2-vm1 -> web1 tcp "
	    "80 delivered");
	walk_one(&w, "branch-h1", "web2", WALK_ICMP, 0, &wk);
	T_OK(wk.outcome == WALK_NSG_DENIED &&
	    strcmp(wk.nsg->name, "nsg-web2") == 0 && wk.n == 3 &&
	    strstr(wk.hop[2].how, "NSG nsg-web2, rule deny-ping denies "
	    "inbound"), "NS-04: branch-h1 -> web2 icmp is denied at sdwan's "
	    "hop, by the NIC's NSG: %s", wk.detail);
	walk_one(&w, "branch-h1", "web1", WALK_ICMP, 0, &wk);
	T_EQ(wk.outcome, WALK_DELIVERED, "NS-03: the branch's prefix is in "
	    "VirtualNetwork: AllowVnetInBound takes branch-h1 -> web1");
	walk_one(&w, "web1", "internet", WALK_UDP, 53, &wk);
	T_OK(wk.outcome == WALK_NSG_DENIED && !wk.nsg_inbound &&
	    strcmp(wk.nsg_rule->name, "deny-udp-internet") == 0,
	    "NS-04: web1 -> internet udp denied outbound: %s", wk.detail);
	walk_one(&w, "web1", "app1", WALK_TCP, 8080, &wk);
	T_EQ(wk.outcome, WALK_DELIVERED, "NS-01: web1 -> app1 tcp 8080 "
	    "(allow-web-tier)");
	walk_one(&w, "app1", "web1", WALK_TCP, 8080, &wk);
	T_EQ(wk.outcome, WALK_DELIVERED, "NS-02: app1 -> web1 tcp 8080: "
	    "AllowVnetOutBound at app1, AllowVnetInBound at web1");
	whole_free(&w);
	plan_free(&p);
	topo_free(t);
}

static void
test_bgp_blocked(void)
{
	struct topo *t = topo_must_load("examples/nsg-bgp-blocked.json");
	const struct topo_node *rs0 = topo_node_find(t, "hub-rs0");
	const struct topo_node *fw = topo_node_find(t, "fw");
	const struct topo_node *sdwan = topo_node_find(t, "sdwan");
	char why[512];
	struct plan p;
	size_t i, up = 0, down = 0;

	T_OK(nsg_session_blocked(t, rs0, fw, why, sizeof(why)) &&
	    strstr(why, "fw -> 10.1.1.4:179 denied by NSG nsg-fw, rule "
	    "deny-bgp-out") != NULL, "NS-07: fw's session with hub-rs0 is "
	    "blocked, named: %s", why);
	T_OK(!nsg_session_blocked(t, rs0, sdwan, why, sizeof(why)),
	    "NS-07: sdwan, in a subnet without the NSG, is not");
	nsg_lint(t);
	T_OK(t->nwarnings == 1 && strstr(t->warnings[0], "regions[0].hub."
	    "nvas[1]: NVA fw cannot bring up its BGP session with hub-rs0: "
	    "fw -> 10.1.1.4:179 denied by NSG nsg-fw") != NULL,
	    "NS-07: validate warns once, at the NVA: %s",
	    t->nwarnings ? t->warnings[0] : "(none)");
	plan_run(t, &p);
	for (i = 0; i < p.npeerings; i++) {
		if (p.peerings[i].nva == fw->nva)
			down += !p.peerings[i].established;
		if (p.peerings[i].nva == sdwan->nva)
			up += p.peerings[i].established;
	}
	T_OK(down == 2 && up == 2, "NS-07: plan brings fw's two sessions not "
	    "up (%zu) and sdwan's two up (%zu)", down, up);
	plan_free(&p);
	topo_free(t);
}

static size_t
count(const char *text, const char *needle)
{
	size_t n = 0;

	while ((text = strstr(text, needle)) != NULL) {
		n++;
		text += strlen(needle);
	}
	return n;
}

static void
test_nft(void)
{
	struct topo *t = topo_must_load(EXAMPLE);
	char *text = NULL;
	size_t len = 0, n;
	const char *ct, *jump;
	FILE *f;

	if ((f = open_memstream(&text, &len)) == NULL)
		die("open_memstream");
	n = nsg_nft_render(t, f);
	fclose(f);
	T_EQ(n, 3, "NS-04: the table covers the three NICs with an NSG");
	/* nsg-web (9 rules, shared by web1 and web2), nsg-web2 (7), nsg-app (8) */
	T_OK(count(text, "comment \"nsg-web/") == 9 &&
	    count(text, "comment \"nsg-web2/") == 7 &&
	    count(text, "comment \"nsg-app/") == 8, "NS-02: every rule of "
	    "the model, defaults included, once per subnet it acts in");
	ct = strstr(text, "ct state established,related accept");
	jump = strstr(text, "iifname vmap");
	T_OK(ct != NULL && jump != NULL && ct < jump, "NS-06: replies are "
	    "accepted before any NSG chain is jumped to");
	T_OK(strstr(text, "chain n4_in {\n\t\tjump s1_0_g0_in\n\t\tjump "
	    "s1_0_g2_in\n") != NULL && strstr(text, "chain n4_out {\n\t\t"
	    "jump s1_0_g2_out\n\t\tjump s1_0_g0_out\n") != NULL &&
	    strstr(text, "chain s1_0_g2_in {\n\t\tmeta l4proto icmp counter "
	    "drop comment \"nsg-web2/deny-ping\"") != NULL &&
	    strstr(text, "iifname vmap { \"n3\" : jump s1_0_g0_out, \"n4\" : "
	    "jump n4_out, \"n5\" : jump s1_1_g1_out }") != NULL,
	    "NS-04: web2 inbound: its subnet's NSG then its own; outbound its "
	    "own first; a NIC with one NSG jumps to it from the verdict map");
	T_OK(count(text, "chain s1_0_g0_in {") == 1 &&
	    strstr(text, "elements = { 10.1.0.0/16, 10.2.0.0/15, "
	    "10.250.0.0/16 }") != NULL, "NS-03: web1 and web2 share their "
	    "subnet's chains and VirtualNetwork set, its halves merged");
	free(text);
	topo_free(t);
}

int
main(void)
{
	test_parse();
	test_defaults();
	test_tags();
	test_order();
	test_walks();
	test_bgp_blocked();
	test_nft();
	return t_done();
}
