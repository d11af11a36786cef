/*
 * test_lb: internal load balancers (LB-01..LB-06): the topology's
 * load_balancers and their errors with JSON paths, VR-14 with a frontend,
 * the kernel's jhash as the model computes it, and walks through the
 * load balancer of examples/ilb-nva.json. Documents use ' for ".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "../../topo/lint.h"
#include "../../topo/topo.h"
#include "../../emu/model/kroute.h"
#include "../../emu/model/lb.h"
#include "../../emu/model/plan.h"
#include "../../emu/model/walk.h"
#include "t.h"
#include "tjson.h"

/* A hub with NVAs fw1, fw2 (and a VM), a spoke s1, and lbs as its load balancers. */
static char *
doc(const char *lbs, const char *extra)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "{'name':'t','regions':[{'name':'r','hub':{"
	    "'name':'hub','address_space':['10.1.0.0/16'],'subnets':{'nva':"
	    "'10.1.2.0/24','RouteServerSubnet':'10.1.1.0/27'},'route_server':{},"
	    "'nvas':[{'name':'fw1','subnet':'nva','bgp':false,'ip':'10.1.2.4'},"
	    "{'name':'fw2','subnet':'nva','bgp':false,'ip':'10.1.2.5'}],"
	    "'vms':[{'name':'hvm','subnet':'nva'}],"
	    "'load_balancers':[%s]},'spokes':[{'name':'s1','address_space':"
	    "['10.2.0.0/16'],'subnets':{'app':'10.2.1.0/24'},'vms':[{'name':"
	    "'vm1','subnet':'app'}]}]}]%s}", lbs, extra);
	return q(buf);
}

#define LB(fe, be, more) "{'name':'ilb','frontend':" fe ",'backends':" be \
	more ",'probe':{'port':8080}}"
#define FE	"{'subnet':'nva','ip':'10.1.2.10'}"
#define BE	"['fw1','fw2']"

static void
expect_err(const char *lbs, const char *path, const char *want,
    const char *desc)
{
	char *j = doc(lbs, "");
	struct topo_err err;
	struct topo *t = NULL;
	int rc = topo_load_string(j, strlen(j), &t, &err);

	if (!T_OK(rc == -1 && strcmp(err.path, path) == 0 &&
	    strstr(err.msg, want) != NULL, "%s", desc))
		printf("#   want %s ~ %s\n#   got rc %d %s: %s\n", path, want, rc,
		    err.path, err.msg);
	topo_free(t);
	free(j);
}

static struct topo *
load(const char *lbs, const char *extra)
{
	char *j = doc(lbs, extra);
	struct topo_err err;
	struct topo *t = NULL;

	if (topo_load_string(j, strlen(j), &t, &err) != 0) {
		printf("#   %s: %s\n", err.path, err.msg);
		t = NULL;
	}
	free(j);
	return t;
}

#define P	"regions[0].hub.load_balancers[0]"

static void
test_parse(void)
{
	struct topo *t = load(LB(FE, BE, ""), "");
	const struct topo_lb *lb;

	T_OK(t != NULL && t->nlbs == 1, "LB-01: a load balancer with a frontend, "
	    "two NVAs and a probe loads");
	if (t == NULL)
		return;
	lb = t->lbs[0];
	T_OK(lb->ip == 0x0a01020au && strcmp(lb->subnet->name, "nva") == 0 &&
	    lb->nbackends == 2 && lb->backends[1]->node == topo_node_find(t,
	    "fw2"), "LB-01, LB-03: frontend 10.1.2.10 in nva, backends fw1, fw2");
	T_OK(lb->nrules == 0, "LB-02: no rules: HA ports, the default");
	T_OK(lb->probe_proto == TOPO_PROBE_TCP && lb->probe_port == 8080 &&
	    lb->probe_interval == 15 && lb->probe_threshold == 2, "LB-05: the "
	    "probe's defaults: Tcp, every 15 s (Azure's), threshold 2");
	T_OK(topo_lb_by_ip(t, 0x0a01020au) == lb && topo_lb_by_ip(t,
	    0x0a010204u) == NULL, "LB-04: topo_lb_by_ip finds the frontend, "
	    "not a NIC");
	topo_free(t);

	expect_err(LB("{'subnet':'nva','ip':'10.1.3.10'}", BE, ""),
	    P ".frontend.ip", "outside subnet \"nva\"", "LB-01: a frontend "
	    "outside its subnet is refused at its path");
	expect_err(LB("{'subnet':'nva','ip':'10.1.2.3'}", BE, ""),
	    P ".frontend.ip", "reserved", "LB-01: a reserved address is refused");
	expect_err(LB("{'subnet':'nva','ip':'10.1.2.4'}", BE, ""),
	    P ".frontend.ip", "address of fw1", "LB-01: a NIC's address is "
	    "taken");
	expect_err(LB("{'subnet':'nva','ip':'10.1.2.6'}", BE, ""),
	    P ".frontend.ip", "address of hvm", "LB-01: an address allocated to "
	    "a VM from .4 up is taken too");
	expect_err(LB("{'subnet':'RouteServerSubnet','ip':'10.1.1.10'}", BE,
	    ""), P ".frontend.subnet", "RouteServerSubnet", "LB-01: no "
	    "frontend in RouteServerSubnet");
	expect_err(LB("{'subnet':'nope','ip':'10.1.2.10'}", BE, ""),
	    P ".frontend.subnet", "no subnet \"nope\"", "LB-01: an unknown "
	    "subnet is named");
	expect_err(LB(FE, BE, "") "," LB("{'subnet':'nva','ip':'10.1.2.10'}",
	    BE, ""), "regions[0].hub.load_balancers[1].name", "named \"ilb\" "
	    "already", "LB-01: two load balancers with one name");
	expect_err(LB(FE, "['fw1','fw3']", ""), P ".backends[1]",
	    "no NVA is named \"fw3\"", "LB-03: an unknown backend is named at "
	    "its path");
	expect_err(LB(FE, "['fw1','hvm']", ""), P ".backends[1]",
	    "not an NVA", "LB-03: a VM is no backend");
	expect_err(LB(FE, "['fw1','fw1']", ""), P ".backends[1]", "twice",
	    "LB-03: a backend given twice");
	expect_err(LB(FE, "[]", ""), P ".backends", "empty", "LB-03: an "
	    "empty pool is refused");
	expect_err(LB(FE, BE, ",'ha_ports':true,'rules':[{'protocol':'Tcp',"
	    "'port':443}]"), P ".ha_ports", "not both", "LB-02: HA ports and "
	    "port rules are not both given");
	expect_err(LB(FE, BE, ",'rules':[{'protocol':'All','port':443}]"),
	    P ".rules[0].protocol", "Tcp or Udp", "LB-02: a rule is Tcp or Udp");
	expect_err(LB(FE, BE, ",'rules':[{'protocol':'Tcp','port':443},"
	    "{'protocol':'Tcp','port':443}]"), P ".rules[1]", "has a rule "
	    "already", "LB-02: one rule per protocol and port");
	expect_err("{'name':'ilb','frontend':" FE ",'backends':" BE ","
	    "'probe':{'port':8080,'interval':4}}", P ".probe.interval",
	    "from 5 to 3600", "LB-05: a probe interval under Azure's 5 s minimum "
	    "is refused");
	expect_err("{'name':'ilb','frontend':" FE ",'backends':" BE ","
	    "'probe':{'port':8080,'threshold':0}}", P ".probe.threshold",
	    "from 1 to 100", "LB-05: a threshold of 0 is refused");
	expect_err("{'name':'ilb','frontend':" FE ",'backends':" BE ","
	    "'probe':{'protocol':'Icmp','port':8080}}", P ".probe.protocol",
	    "Tcp, Http or Https", "LB-05: the probe's protocol is Tcp, Http or "
	    "Https");
	expect_err("{'name':'ilb','frontend':" FE ",'backends':" BE ","
	    "'probe':{}}", P ".probe.port", "required", "LB-05: the probe's "
	    "port is required");
}

/* LB-03 across VNets: a hub's pool naming a peered hub's NVA. */
static void
test_other_vnet(void)
{
	const char *j0 = "{'name':'t','regions':[{'name':'a','hub':{'name':"
	    "'ha','address_space':['10.1.0.0/16'],'subnets':{'nva':"
	    "'10.1.2.0/24'},'nvas':[{'name':'fw1','subnet':'nva','bgp':false}],"
	    "'peerings':['hb'],'load_balancers':[{'name':'ilb','frontend':{"
	    "'subnet':'nva','ip':'10.1.2.10'},'backends':['fw1','fw9'],"
	    "'probe':{'port':1}}]}},{'name':'b','hub':{'name':'hb',"
	    "'address_space':['10.11.0.0/16'],'subnets':{'nva':'10.11.2.0/24'},"
	    "'nvas':[{'name':'fw9','subnet':'nva','bgp':false}]}}]}";
	char *j = q(j0);
	struct topo_err err;
	struct topo *t = NULL;
	int rc = topo_load_string(j, strlen(j), &t, &err);

	/* hb's NVAs are parsed after ha's pool: the name is unknown there */
	T_OK(rc == -1 && t == NULL && strcmp(err.path, "regions[0].hub.load_balancers[0]."
	    "backends[1]") == 0, "LB-03: an NVA of another (even peered) "
	    "VNet is not in the pool: %s", err.msg);
	free(j);
}

/* VR-14 accepts a frontend as a VirtualAppliance next hop. */
static void
test_vr14(void)
{
	struct topo *t = load(LB(FE, BE, ""), ",'route_tables':[{'name':'rt',"
	    "'subnets':['s1/app'],'routes':[{'name':'d','prefix':'0.0.0.0/0',"
	    "'next_hop_type':'VirtualAppliance','next_hop_ip':'10.1.2.10'},"
	    "{'name':'x','prefix':'10.9.0.0/16','next_hop_type':"
	    "'VirtualAppliance','next_hop_ip':'10.1.2.11'}]}]");
	size_t i, fe = 0, other = 0;

	if (!T_OK(t != NULL, "VR-14: a route table to a frontend loads"))
		return;
	topo_lint(t);
	for (i = 0; i < t->nwarnings; i++) {
		fe += strstr(t->warnings[i], "routes[0]") != NULL &&
		    strstr(t->warnings[i], "VR-14") != NULL;
		other += strstr(t->warnings[i], "routes[1]") != NULL &&
		    strstr(t->warnings[i], "VR-14") != NULL;
	}
	T_EQ(fe, 0u, "VR-14, LB-04: a load balancer's frontend as next hop "
	    "gives no warning");
	T_EQ(other, 1u, "VR-14: an address that is no NIC and no frontend "
	    "still warns");
	topo_free(t);
}

/*
 * LB-06: the kernel's jhash as nftables computes it on these packets,
 * "jhash ip saddr . ip daddr . th sport . th dport mod 4294967295 seed
 * 0x4152534c" (and "ip saddr . ip daddr" for ICMP), read back from a
 * Linux 6.18 kernel's meta mark: the model must give the same numbers.
 */
static void
test_jhash(void)
{
	struct lb_flow u0 = { 0x0a020104u, 0x0a030104u, 17, 40000, 33434 };
	struct lb_flow u1 = { 0x0a020104u, 0x0a030104u, 17, 40001, 33434 };
	struct lb_flow ic = { 0x0a020104u, 0x0a030104u, 1, 0, 0 };

	T_EQ(lb_scale(lb_flow_hash(&u0), 0xffffffffu), 0xa434c2ecu, "LB-06: "
	    "the model's jhash of a UDP flow equals the kernel's");
	T_EQ(lb_scale(lb_flow_hash(&u1), 0xffffffffu), 0xae4e2f3du, "LB-06: "
	    "and of the next source port");
	T_EQ(lb_scale(lb_flow_hash(&ic), 0xffffffffu), 0x510ae720u, "LB-06: "
	    "and of an ICMP packet, by its addresses");
	T_EQ(lb_jhash("", 0, 0), 0xdeadbeefu, "LB-06: jhash of nothing is its "
	    "initial value, as lookup3's");
}

static void
test_pick(void)
{
	struct topo *t = load(LB(FE, BE, ""), "");
	struct topo *r = load(LB(FE, BE, ",'rules':[{'protocol':'Tcp','port':"
	    "443}]"), "");
	unsigned seen[2] = { 0, 0 }, same = 0, own = 0, sp;
	bool up[2] = { false, true };
	int b = 0;

	if (!T_OK(t != NULL && r != NULL, "LB-06: the fixtures load"))
		goto out;
	for (sp = 40000; sp < 40064; sp++) {
		struct lb_flow f = { 0x0a020104u, 0x0a030104u, 17, (uint16_t)sp,
		    33434 };
		struct lb_flow back = { f.dst, f.src, 17, f.dport, f.sport };

		b = lb_pick(t->lbs[0], NULL, &f, false);
		if (b >= 0 && b < 2)
			seen[b]++;
		same += lb_pick(t->lbs[0], NULL, &back, true) == b;
		own += lb_pick(t->lbs[0], NULL, &back, false) != b;
	}
	T_OK(seen[0] > 0 && seen[1] > 0 && seen[0] + seen[1] == 64, "LB-06: "
	    "64 flows spread over both backends (%u, %u)", seen[0], seen[1]);
	T_EQ(same, 64u, "LB-06: the reply of every flow takes the flow's "
	    "backend");
	T_OK(own > 0 && own < 64, "LB-06: %u of 64 replies hashed as new flows "
	    "would pick the other backend: the flow's choice is kept, not "
	    "recomputed", own);
	{
		struct lb_flow f = { 0x0a020104u, 0x0a030104u, 6, 40000, 443 };
		struct lb_flow g = { 0x0a020104u, 0x0a030104u, 6, 40000, 80 };

		T_EQ(lb_pick(t->lbs[0], up, &f, false), 1, "LB-05, LB-06: with "
		    "one backend out of rotation every flow takes the other");
		up[1] = false;
		T_EQ(lb_pick(t->lbs[0], up, &f, false), -1, "LB-05: no backend "
		    "in rotation: dropped");
		T_OK(lb_pick(r->lbs[0], NULL, &f, false) >= 0 &&
		    lb_pick(r->lbs[0], NULL, &g, false) == -1, "LB-02: a port "
		    "rule takes its port only");
	}
out:
	topo_free(t);
	topo_free(r);
}

static const struct sdn_table *
lbt_table(void *arg, const struct topo_nic *nic)
{
	return &((struct sdn_table *)arg)[nic->idx];
}

/* The one table of a NIC (the walk's source; nothing else is looked up). */
static const struct sdn_table *
one_table(void *arg, const struct topo_nic *nic)
{
	(void)nic;
	return arg;
}

/* LB-04, LB-06: walks of examples/ilb-nva.json name the load balancer and backend. */
static void
test_walk(void)
{
	struct topo_err err;
	struct topo *t;
	struct plan p;
	struct sdn_table tabs[8];
	bool have[8] = { false };
	unsigned f, both = 0, sym = 0, named = 0;

	if (!T_OK(topo_load_file("examples/ilb-nva.json", &t, &err) == 0 &&
	    t->nnics <= 8, "LB-04: examples/ilb-nva.json loads"))
		return;
	plan_run(t, &p);
	for (f = 0; f < t->nnics; f++) {
		sdn_effective(t, &p.in, t->nics[f], &tabs[f]);
		have[f] = true;
	}
	for (f = 0; f < 16; f++) {
		struct walk_pkt fw = { 0x0a020104u, 0x0a030104u, WALK_UDP, 33434,
		    (uint16_t)(40000 + f), false };
		struct walk_pkt bk = { 0x0a030104u, 0x0a020104u, WALK_UDP,
		    (uint16_t)(40000 + f), 33434, true };
		struct walk a, b;
		struct walk_env env;
		const struct topo_node *s1 = topo_node_find(t, "spoke1-vm1");
		const struct topo_node *s2 = topo_node_find(t, "spoke2-vm1");

		memset(&env, 0, sizeof(env));
		env.t = t;
		env.arg = tabs;
		env.table = lbt_table;
		walk_predict(&env, s1, &fw, f, &a);
		walk_predict(&env, s2, &bk, f, &b);
		if (a.outcome == WALK_DELIVERED && a.n == 3 && a.hop[0].lb != NULL &&
		    a.hop[0].backend == a.hop[1].node &&
		    strstr(a.hop[0].how, "load balancer fw-ilb: backend") != NULL)
			named++;
		both |= 1u << (a.hop[1].node == topo_node_find(t, "fw2"));
		sym += b.outcome == WALK_DELIVERED && b.n == 3 &&
		    b.hop[1].node == a.hop[1].node;
	}
	T_EQ(named, 16u, "LB-04, LB-06: each walk names load balancer fw-ilb and "
	    "the backend it crosses");
	T_EQ(both, 3u, "LB-06: 16 flows cross both backends");
	T_EQ(sym, 16u, "LB-06: each reply crosses the flow's backend");
	for (f = 0; f < t->nnics; f++)
		if (have[f])
			sdn_table_free(&tabs[f]);
	plan_free(&p);
	topo_free(t);
}

/*
 * LB-04, VR-14 in the fabric's routes and the walk: a route to the frontend
 * leaves by the load balancer's link when the NIC's VNet is the load
 * balancer's or peered with it, else it is a blackhole.
 */
static void
test_kroute(void)
{
	static const char rt[] = ",'route_tables':[{'name':'rt','subnets':"
	    "['s1/app'],'routes':[{'name':'d','prefix':'10.9.0.0/16',"
	    "'next_hop_type':'VirtualAppliance','next_hop_ip':'10.1.2.10'}]}]";
	int nic[8] = { 11, 12, 13, 14, 15, 16, 17, 18 }, lbl[1] = { 600 };
	struct topo *t[2];
	unsigned k, ok = 0;

	t[0] = load(LB(FE, BE, ""), rt);
	{
		/* the same with s1 not peered with the hub */
		char *j = doc(LB(FE, BE, ""), rt), *p = strstr(j, "\"name\":\"s1\"");
		struct topo_err err;
		char *d;

		t[1] = NULL;
		if (p != NULL) {
			d = xcalloc(1, strlen(j) + 32);
			memcpy(d, j, (size_t)(p - j));
			strcat(d, "\"peered\":false,");
			strcat(d, p);
			if (topo_load_string(d, strlen(d), &t[1], &err) != 0)
				t[1] = NULL;
			free(d);
		}
		free(j);
	}
	if (!T_OK(t[0] != NULL && t[1] != NULL, "LB-04: the fixtures load"))
		goto out;
	for (k = 0; k < 2; k++) {
		const struct topo_nic *vm = topo_node_find(t[k], "vm1")->nic;
		struct kroute_links l = { t[k], nic, 1, 2, 0, lbl };
		struct plan p;
		struct sdn_table tab;
		struct kroute *r = NULL;
		struct walk w;
		struct walk_env env;
		struct walk_pkt pkt = { vm->ip, 0x0a090001u, WALK_UDP, 33434,
		    40000, false };
		size_t n, i;

		plan_run(t[k], &p);
		sdn_effective(t[k], &p.in, vm, &tab);
		n = kroute_table(&l, &tab, &r);
		for (i = 0; i < n; i++)
			if (r[i].dst.addr == 0x0a090000u && r[i].dst.len == 16)
				ok += k == 0 ? r[i].type == KROUTE_UNICAST &&
				    r[i].nnh == 1 && r[i].nh[0].link == 600 &&
				    r[i].nh[0].gw == 0x0a01020au && r[i].nh[0].onlink :
				    r[i].type == KROUTE_BLACKHOLE;
		memset(&env, 0, sizeof(env));
		env.t = t[k];
		env.arg = &tab;
		env.table = one_table;
		walk_predict(&env, topo_node_find(t[k], "vm1"), &pkt, 0, &w);
		ok += k == 0 ? w.hop[0].lb == t[k]->lbs[0] :
		    w.outcome == WALK_BLACKHOLED && strstr(w.detail,
		    "not peered") != NULL;
		free(r);
		sdn_table_free(&tab);
		plan_free(&p);
	}
	T_EQ(ok, 4u, "LB-04, VR-14: a peered spoke's route to the frontend "
	    "leaves by the load balancer's link and walks through it; an "
	    "unpeered one's is a blackhole and its walk says why");
out:
	topo_free(t[0]);
	topo_free(t[1]);
}

int
main(void)
{
	test_parse();
	test_other_vnet();
	test_vr14();
	test_jhash();
	test_pick();
	test_walk();
	test_kroute();
	return t_done();
}
