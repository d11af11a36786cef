/*
 * test_check: the check suite parser (topo/suite.c): its errors and their
 * JSON paths; and the evaluation (emu/model/check.c) of each assertion
 * kind, holding and failing, on examples/global-enterprise.json.
 */
#include <stdlib.h>
#include <string.h>

#include "../../emu/model/check.h"
#include "../../emu/model/plan.h"
#include "../../topo/suite.h"
#include "../../lib/util.h"
#include "t.h"

#define GE	"\"topology\": \"global-enterprise.json\", "

static int
load(const char *json, struct suite **s, struct topo_err *e)
{
	return suite_load_string(json, strlen(json), "examples", s, e);
}

static void
bad(const char *json, const char *path, const char *what, const char *desc)
{
	struct topo_err e;
	struct suite *s;
	int rc = load(json, &s, &e);

	T_OK(rc == -1 && s == NULL && strcmp(e.path, path) == 0 &&
	    strstr(e.msg, what) != NULL, "parser refuses %s: %s: %s (line %d)",
	    desc, e.path, e.msg, e.line);
	suite_free(s);
}

static void
test_parser_errors(void)
{
	static const char nul[] = "{ \"topology\": \"a\\u0000b\", "
	    "\"assertions\": [] }";

	bad("[]", "$", "a suite is a JSON object", "an array");
	bad("{ \"assertions\": [ {} ] }", "$.topology", "required field",
	    "no topology");
	bad("{ " GE "\"assertions\": [] }", "$.assertions", "must not be empty",
	    "no assertion");
	bad("{ " GE "\"bogus\": 1, \"assertions\": [ {} ] }", "$.bogus",
	    "unknown field", "an unknown top-level key");
	bad("{ " GE "\"assertions\": [ { \"walk\": { \"from\": \"a\", \"to\": "
	    "\"b\", \"outcome\": \"delivered\", \"via\": [] } } ] }",
	    "$.assertions[0].walk.via", "unknown field", "an unknown walk key");
	bad("{ " GE "\"assertions\": [ { \"name\": \"x\" } ] }",
	    "$.assertions[0]", "one of routes, walk, policy, bgp", "no kind");
	bad("{ " GE "\"assertions\": [ { \"walk\": {}, \"bgp\": {} } ] }",
	    "$.assertions[0]", "not walk and bgp", "two kinds");
	bad("{ " GE "\"assertions\": [ { \"walk\": { \"from\": \"a\", \"to\": "
	    "\"b\" } } ] }", "$.assertions[0].walk", "asserts", "a walk "
	    "asserting nothing");
	bad("{ " GE "\"assertions\": [ { \"walk\": { \"from\": \"a\", \"to\": "
	    "\"b\", \"symmetric\": true, \"proto\": \"sctp\" } } ] }",
	    "$.assertions[0].walk.proto", "udp, tcp or icmp", "a protocol");
	bad("{ " GE "\"assertions\": [ { \"walk\": { \"from\": \"a\", \"to\": "
	    "\"b\", \"symmetric\": true, \"proto\": \"icmp\", \"port\": 1 } } ] }",
	    "$.assertions[0].walk.port", "ICMP has no port", "an ICMP port");
	bad("{ " GE "\"assertions\": [ { \"walk\": { \"from\": \"a\", \"to\": "
	    "\"b\", \"symmetric\": true, \"port\": 70000 } } ] }",
	    "$.assertions[0].walk.port", "not an integer", "a port range");
	bad("{ " GE "\"assertions\": [ { \"routes\": { \"nic\": \"a\", "
	    "\"subnet\": \"v/s\", \"prefix\": \"10.0.0.0/8\" } } ] }",
	    "$.assertions[0].routes", "one of \"nic\"", "two places");
	bad("{ " GE "\"assertions\": [ { \"routes\": { \"nic\": \"a\", "
	    "\"prefix\": \"10.0.0.1/8\" } } ] }",
	    "$.assertions[0].routes.prefix", "host bits", "host bits");
	bad("{ " GE "\"assertions\": [ { \"routes\": { \"nic\": \"a\", "
	    "\"prefix\": \"10.0.0.0/8\", \"via\": [\"10.1.1.1\", \"10.1.1.1\"] "
	    "} } ] }", "$.assertions[0].routes.via[1]", "twice", "a repeated "
	    "next hop");
	bad("{ " GE "\"assertions\": [ { \"routes\": { \"nic\": \"a\", "
	    "\"table\": [ { \"prefix\": \"10.0.0.0/8\" } ] } } ] }",
	    "$.assertions[0].routes.table[0].type", "required field", "a route "
	    "without type");
	bad("{ " GE "\"assertions\": [ { \"routes\": { \"nic\": \"a\", "
	    "\"digest\": \"XYZ\" } } ] }", "$.assertions[0].routes.digest",
	    "16 lowercase", "a digest");
	bad("{ " GE "\"assertions\": [ { \"policy\": { \"kind\": \"inspect\", "
	    "\"from\": \"a\", \"to\": \"b\" } } ] }",
	    "$.assertions[0].policy.through", "required", "inspect without "
	    "through");
	bad("{ " GE "\"assertions\": [ { \"policy\": { \"kind\": \"egress\", "
	    "\"from\": \"a\", \"to\": \"b\", \"through\": [\"x\"] } } ] }",
	    "$.assertions[0].policy.to", "always to the Internet", "egress to");
	bad("{ " GE "\"assertions\": [ { \"policy\": { \"kind\": \"isolated\", "
	    "\"from\": \"a\", \"to\": \"b\", \"through\": [\"x\"] } } ] }",
	    "$.assertions[0].policy.through", "no \"through\"",
	    "isolated through");
	bad("{ " GE "\"assertions\": [ { \"bgp\": { \"hub\": \"h\", \"peer\": "
	    "\"p\", \"instance\": 2, \"established\": true } } ] }",
	    "$.assertions[0].bgp.instance", "not an integer", "instance 2");
	bad("{ " GE "\"assertions\": [ { \"bgp\": { \"hub\": \"h\", \"peer\": "
	    "\"p\" } } ] }", "$.assertions[0].bgp", "asserts", "bgp asserting "
	    "nothing");
	bad("{ " GE "\"assertions\": [ { \"name\": \"a\\nb\", \"walk\": { "
	    "\"from\": \"a\", \"to\": \"b\", \"symmetric\": true } } ] }",
	    "$.assertions[0].name", "control character", "a newline in a name");
	bad(nul, "$.topology", "NUL", "a NUL in a string");
	bad("{ " GE "\"assertions\": [ { \"diff\": { \"only_prefixes\": "
	    "[\"10.0.0.0/8\"] } } ] }", "$.assertions[0].diff.base",
	    "required field", "a diff without a base");
	bad("{ " GE "\"assertions\": [ { \"diff\": { \"base\": \"b.json\" "
	    "} } ] }", "$.assertions[0].diff.only_prefixes", "required field",
	    "a diff without only_prefixes");
	bad("{ " GE "\"assertions\": [ { \"diff\": { \"base\": \"b.json\", "
	    "\"only_prefixes\": [\"10.0.0.0/8\", \"10.1.0.0/33\"] } } ] }",
	    "$.assertions[0].diff.only_prefixes[1]", "not an IPv4 prefix",
	    "a diff's bad prefix");
	bad("{ " GE "\"assertions\": [ { \"diff\": { \"base\": \"b.json\", "
	    "\"only_prefixes\": [] } } ] }", "$.assertions[0].diff.only_prefixes",
	    "must not be empty", "a diff's empty only_prefixes");
	bad("{ " GE "\"assertions\": [ { \"diff\": { \"base\": \"b.json\", "
	    "\"only_prefixes\": [\"10.0.0.0/8\"], \"prefixes\": [] } } ] }",
	    "$.assertions[0].diff.prefixes", "unknown field", "an unknown diff "
	    "key");
	bad("{ " GE "\"assertions\": [ ] } x", "$", "text after", "trailing "
	    "text");
}

/* A suite of one assertion on global-enterprise: its result. */
static int
one(const struct topo *t, const struct plan *p, const char *kind,
    const char *body, struct check_result *r, struct topo_err *e)
{
	char *json = xasprintf("{ " GE "\"assertions\": [ { \"%s\": %s } ] }",
	    kind, body);
	struct suite *s;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	if (load(json, &s, e) == 0) {
		rc = suite_load_bases(s, e);
		if (rc == 0)
			rc = check_resolve(t, s, e);
		if (rc == 0)
			check_run(t, p, s, r);
		r->a = NULL;
		suite_free(s);
	}
	free(json);
	return rc;
}

static void
holds(const struct topo *t, const struct plan *p, const char *kind,
    const char *body, int want, const char *desc)
{
	struct check_result r;
	struct topo_err e;
	int rc = one(t, p, kind, body, &r, &e);

	T_OK(rc == 0 && r.held == want, "%s %s: expected %s; seen %s%s%s",
	    desc, want ? "holds" : "fails", r.expected, r.seen, rc ? "; " : "",
	    rc ? e.msg : "");
}

static void
unresolved(const struct topo *t, const struct plan *p, const char *kind,
    const char *body, const char *path, const char *what)
{
	struct check_result r;
	struct topo_err e;
	int rc = one(t, p, kind, body, &r, &e);

	T_OK(rc == -1 && strcmp(e.path, path) == 0 && strstr(e.msg, what) &&
	    e.line > 0, "unresolved: %s: %s (line %d)", e.path, e.msg, e.line);
}

static void
test_eval(void)
{
	struct topo_err e;
	struct topo *t;
	struct plan p;

	if (topo_load_file("examples/global-enterprise.json", &t, &e) != 0) {
		T_OK(0, "global-enterprise loads: %s", e.msg);
		return;
	}
	plan_run_routes(t, &p);
	/* routes */
	holds(t, &p, "routes", "{ \"nic\": \"uks-vm1\", \"prefix\": "
	    "\"172.16.0.0/16\", \"type\": \"VirtualAppliance\", \"via\": "
	    "[\"10.1.2.4\"] }", 1, "a UDR to fw1");
	holds(t, &p, "routes", "{ \"nic\": \"uks-vm1\", \"prefix\": "
	    "\"172.16.0.0/16\", \"via\": [\"10.1.2.5\"] }", 0, "fw2 as next hop");
	holds(t, &p, "routes", "{ \"subnet\": \"spoke-us/default\", \"prefix\": "
	    "\"172.16.0.0/16\", \"present\": false, \"type\": "
	    "\"VirtualNetworkGateway\" }", 1, "an Invalid route is no Active one");
	holds(t, &p, "routes", "{ \"subnets\": [\"spoke-us/default\", "
	    "\"spoke-uks/default\"], \"prefix\": \"0.0.0.0/0\", \"type\": "
	    "\"Internet\" }", 0, "the Internet route of spokes (Invalid)");
	holds(t, &p, "routes", "{ \"nic\": \"uks-vm1\", \"table\": [ { "
	    "\"prefix\": \"10.2.0.0/16\", \"type\": \"VnetLocal\" } ] }", 0,
	    "a table of one route");
	holds(t, &p, "routes", "{ \"nic\": \"uks-vm1\", \"count\": 9 }", 1,
	    "nine Active routes (an ECMP route is one)");
	holds(t, &p, "routes", "{ \"nic\": \"uks-vm1\", \"count\": 8 }", 0,
	    "eight Active routes");
	/* walks */
	holds(t, &p, "walk", "{ \"from\": \"uks-vm1\", \"to\": \"hq-h1\", "
	    "\"outcome\": \"delivered\", \"through\": [\"uks-fw1\"], "
	    "\"symmetric\": true }", 1, "spoke to hq through fw1, symmetric");
	holds(t, &p, "walk", "{ \"from\": \"uks-vm1\", \"to\": \"hq-h1\", "
	    "\"not_through\": [\"uks-fw1\"] }", 0, "spoke to hq avoiding fw1");
	holds(t, &p, "walk", "{ \"from\": \"hq-h1\", \"to\": \"internet\", "
	    "\"outcome\": \"delivered\" }", 0, "hq to the Internet delivered");
	holds(t, &p, "walk", "{ \"from\": \"hq-h1\", \"to\": \"internet\", "
	    "\"outcome\": \"no route\", \"proto\": \"tcp\", \"port\": 443 }", 1,
	    "hq to the Internet: no route");
	/* policies */
	holds(t, &p, "policy", "{ \"kind\": \"inspect\", \"from\": "
	    "\"site:hq\", \"to\": \"vnet:spoke-uks\", \"through\": "
	    "[\"uks-fw1\", \"uks-fw2\"] }", 1, "hq to the uks spoke inspected");
	holds(t, &p, "policy", "{ \"kind\": \"inspect\", \"from\": "
	    "\"site:hq\", \"to\": \"vnet:spoke-uks\", \"through\": "
	    "[\"weu-fw1\"] }", 0, "hq to the uks spoke through weu-fw1");
	holds(t, &p, "policy", "{ \"kind\": \"egress\", \"from\": "
	    "\"vnet:spoke-weu\", \"through\": [\"weu-fw1\", \"weu-fw2\"] }", 1,
	    "egress through the weu pair");
	holds(t, &p, "policy", "{ \"kind\": \"egress\", \"from\": "
	    "\"vnet:spoke-weu\", \"through\": [\"us-fw1\"] }", 0,
	    "egress through us-fw1");
	holds(t, &p, "policy", "{ \"kind\": \"isolated\", \"from\": "
	    "\"site:hq\", \"to\": \"internet\" }", 1, "hq isolated from the "
	    "Internet");
	holds(t, &p, "policy", "{ \"kind\": \"isolated\", \"from\": "
	    "\"vnet:spoke-uks\", \"to\": \"vnet:spoke-us\" }", 0, "the uks and "
	    "us spokes isolated");
	/* bgp */
	holds(t, &p, "bgp", "{ \"hub\": \"hub-uks\", \"peer\": \"uks-fw1\", "
	    "\"established\": true, \"learns\": [\"0.0.0.0/0\"] }", 1,
	    "hub-uks peers with uks-fw1 and learns the default route");
	holds(t, &p, "bgp", "{ \"hub\": \"hub-uks\", \"peer\": \"weu-fw1\", "
	    "\"established\": true }", 0, "hub-uks peers with weu-fw1");
	holds(t, &p, "bgp", "{ \"hub\": \"hub-weu\", \"instance\": 1, "
	    "\"peer\": \"weu-fw2\", \"advertises\": [\"10.12.0.0/16\"] }", 1,
	    "hub-weu-rs1 advertises spoke-weu to weu-fw2");
	holds(t, &p, "bgp", "{ \"hub\": \"hub-weu\", \"peer\": \"weu-fw2\", "
	    "\"learns\": [\"172.16.0.0/16\"] }", 0, "weu-fw2 sends hq");
	/*
	 * diff: global-enterprise is examples/diff/inspect-before.json; against
	 * inspect-after (spoke-uks without hq-via-fw1) spoke-uks's 172.16.0.0/16
	 * route and its flow to hq change, both inside 172.16.0.0/16
	 */
	holds(t, &p, "diff", "{ \"base\": \"diff/inspect-after.json\", "
	    "\"only_prefixes\": [\"172.16.0.0/16\"] }", 1, "the inspect change "
	    "within the headquarters' prefix");
	holds(t, &p, "diff", "{ \"base\": \"diff/inspect-after.json\", "
	    "\"only_prefixes\": [\"172.16.0.0/17\", \"10.0.0.0/8\"] }", 0,
	    "the inspect change within a /17 of it (the /16 route is not)");
	holds(t, &p, "diff", "{ \"base\": \"diff/inspect-before.json\", "
	    "\"only_prefixes\": [\"192.0.2.0/24\"] }", 1, "no change at all");
	{
		struct check_result r;

		one(t, &p, "diff", "{ \"base\": \"diff/inspect-after.json\", "
		    "\"only_prefixes\": [\"10.0.0.0/8\"] }", &r, &e);
		T_OK(!r.held && strstr(r.seen, "spoke-uks/default: route "
		    "172.16.0.0/16 changed") != NULL && strstr(r.seen,
		    "subnet:spoke-uks/default -> site:hq (any): delivered via "
		    "hub-uks-er-uks0") != NULL && strstr(r.seen, "-> delivered "
		    "via uks-fw1") != NULL && strstr(r.seen, "2 of 2 changes "
		    "outside (1 route, 1 reachability)") != NULL,
		    "a diff names the changes outside: %s", r.seen);
	}
	/* names the topology does not hold: errors at their JSON path */
	unresolved(t, &p, "walk", "{ \"from\": \"uks-vm1\", \"to\": \"vm9\", "
	    "\"symmetric\": true }", "$.assertions[0].walk.to", "no node named "
	    "vm9");
	unresolved(t, &p, "walk", "{ \"from\": \"uks-vm1\", \"to\": \"hq-h1\", "
	    "\"outcome\": \"lost\" }", "$.assertions[0].walk.outcome",
	    "no outcome");
	unresolved(t, &p, "walk", "{ \"from\": \"uks-vm1\", \"to\": \"hq-h1\", "
	    "\"through\": [\"uks-fw1\", \"fw9\"] }",
	    "$.assertions[0].walk.through[1]", "no node named");
	unresolved(t, &p, "routes", "{ \"subnets\": [\"spoke-us/default\", "
	    "\"spoke-us/nope\"], \"count\": 1 }", "$.assertions[0].routes."
	    "subnets[1]", "no subnet named");
	unresolved(t, &p, "routes", "{ \"nic\": \"hq-h1\", \"count\": 1 }",
	    "$.assertions[0].routes.nic", "no NIC named");
	unresolved(t, &p, "routes", "{ \"nic\": \"uks-vm1\", \"prefix\": "
	    "\"10.0.0.0/8\", \"type\": \"Firewall\" }",
	    "$.assertions[0].routes.type", "no next hop type");
	unresolved(t, &p, "policy", "{ \"kind\": \"egress\", \"from\": "
	    "\"vnet:nope\", \"through\": [\"uks-fw1\"] }",
	    "$.assertions[0].policy.from", "no VNet named");
	unresolved(t, &p, "policy", "{ \"kind\": \"isolated\", \"from\": "
	    "\"internet\", \"to\": \"site:hq\" }", "$.assertions[0].policy.from",
	    "sends no flow");
	unresolved(t, &p, "bgp", "{ \"hub\": \"spoke-uks\", \"peer\": "
	    "\"uks-fw1\", \"established\": true }", "$.assertions[0].bgp.hub",
	    "with a Route Server");
	unresolved(t, &p, "bgp", "{ \"hub\": \"hub-uks\", \"peer\": "
	    "\"uks-vm1\", \"established\": true }", "$.assertions[0].bgp.peer",
	    "a Route Server's peers are NVAs");
	unresolved(t, &p, "diff", "{ \"base\": \"diff/nope.json\", "
	    "\"only_prefixes\": [\"10.0.0.0/8\"] }", "$.assertions[0].diff.base",
	    "the base topology does not load: examples/diff/nope.json");
	plan_free(&p);
	topo_free(t);
}

static void
test_example(void)
{
	struct check_result *r;
	struct topo_err e;
	struct suite *s;
	struct topo *t;
	struct plan p;
	size_t i, kinds[SUITE_DIFF + 1] = { 0 };

	if (suite_load_file("examples/checks/global-enterprise.suite.json", &s,
	    &e) != 0 || suite_load_bases(s, &e) != 0) {
		T_OK(0, "the shipped suite loads: %s %s", e.path, e.msg);
		return;
	}
	T_OK(strcmp(s->topology, "examples/checks/../global-enterprise.json") == 0,
	    "its topology resolved against its folder (%s)", s->topology);
	T_EQ(topo_load_file(s->topology, &t, &e), 0, "its topology loads");
	T_EQ(check_resolve(t, s, &e), 0, "its names resolve: %s", e.msg);
	plan_run_routes(t, &p);
	r = calloc(s->nasserts, sizeof(*r));
	T_EQ(check_run(t, &p, s, r), 0, "every assertion holds");
	for (i = 0; i < s->nasserts; i++)
		kinds[s->asserts[i]->kind]++;
	T_OK(kinds[SUITE_ROUTES] && kinds[SUITE_WALK] && kinds[SUITE_POLICY] &&
	    kinds[SUITE_BGP] && kinds[SUITE_DIFF], "it holds every kind of "
	    "assertion");
	free(r);
	plan_free(&p);
	topo_free(t);
	suite_free(s);
}

int
main(void)
{
	test_parser_errors();
	test_eval();
	test_example();
	return t_done();
}
