#!/usr/bin/env python3
"""Every example topology validates against docs/topology.schema.json, every
shipped check suite against docs/check.schema.json, and each schema refuses
what its parser refuses by shape (TAP output)."""
import glob, json, os, sys
import jsonschema

os.chdir(os.path.join(os.path.dirname(__file__), ".."))
schema = json.load(open("docs/topology.schema.json"))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
n = fails = 0

def ok(cond, what):
    global n, fails
    n += 1
    if not cond:
        fails += 1
    print(("ok" if cond else "not ok") + " %d - %s" % (n, what))

# examples/diff/: the pairs `arsemu diff` is shown and tested on (diff.bats)
examples = sorted(glob.glob("examples/*.json") + glob.glob("examples/diff/*.json"))
ok(len(examples) >= 2, "there are examples to check (%d)" % len(examples))
for f in examples:
    errs = [e.message for e in v.iter_errors(json.load(open(f)))]
    ok(not errs, "schema: %s %s" % (f, "; ".join(errs)[:200]))

base = json.load(open("examples/single-hub.json"))
def mutated(fn):
    d = json.loads(json.dumps(base))
    fn(d)
    return d
bad = [
    ("an unknown top-level field", lambda d: d.update(bogus=1)),
    ("an NVA without asn", lambda d: d["regions"][0]["hub"]["nvas"][0].pop("asn")),
    ("a four-octet NVA asn (RS-06)", lambda d: d["regions"][0]["hub"]["nvas"][0].update(asn=4200000000)),
    ("an unknown hub routing preference (RS-31)", lambda d: d["regions"][0]["hub"]["route_server"].update(hub_routing_preference="Fastest")),
    ("a VirtualAppliance route without next_hop_ip (VR-08)", lambda d: d.update(route_tables=[{"name": "rt", "subnets": ["hub/nva"], "routes": [{"name": "r", "prefix": "0.0.0.0/0", "next_hop_type": "VirtualAppliance"}]}])),
    ("an upper-case name", lambda d: d.update(name="Lab")),
    ("an NVA with bgp false and an asn (RS-55)", lambda d: d["regions"][0]["hub"]["nvas"][0].update(bgp=False)),
]
fw = mutated(lambda d: (d["regions"][0]["hub"]["nvas"][0].pop("asn"), d["regions"][0]["hub"]["nvas"][0].update(bgp=False)))
for k in ("advertise", "peers", "route_servers", "daemon", "prepend", "communities", "md5"):
    fw["regions"][0]["hub"]["nvas"][0].pop(k, None)
ok(v.is_valid(fw), "schema takes an NVA with bgp false and no asn (RS-55)")
# PE-08: a spoke's "nvas" (examples/transit-nva.json has one); an unknown
# field in a spoke's NVA is refused as in a hub's
tn = json.load(open("examples/transit-nva.json"))
ok(v.is_valid(tn) and "nvas" in tn["regions"][0]["spokes"][0], "schema takes a spoke's nvas (PE-08)")
tn["regions"][0]["spokes"][0]["nvas"][0]["bogus"] = 1
ok(not v.is_valid(tn), "schema refuses an unknown field in a spoke's NVA (PE-08)")
# RS-55: in AzureFirewallSubnet "bgp" defaults to false, so no asn is needed
afw = mutated(lambda d: d["regions"][0]["hub"]["subnets"].update(AzureFirewallSubnet="10.1.3.0/26"))
afw["regions"][0]["hub"]["nvas"] = [{"name": "azfw", "subnet": "AzureFirewallSubnet"}]
ok(v.is_valid(afw), "schema takes an NVA in AzureFirewallSubnet without bgp and asn (RS-55)")
for what, fn in bad:
    ok(not v.is_valid(mutated(fn)), "schema refuses %s" % what)
# check suites (man/arsemu-check.5): the shipped ones, and a recorded one
# (`arsemu check --record examples/global-enterprise.json`, a fuzz seed)
cschema = json.load(open("docs/check.schema.json"))
jsonschema.Draft202012Validator.check_schema(cschema)
cv = jsonschema.Draft202012Validator(cschema)
suites = sorted(glob.glob("examples/checks/*.json")) + ["test/fuzz/seeds/suite/recorded.json"]
ok(len(suites) >= 2, "there are suites to check (%d)" % len(suites))
for f in suites:
    errs = [e.message for e in cv.iter_errors(json.load(open(f)))]
    ok(not errs, "check schema: %s %s" % (f, "; ".join(errs)[:200]))
sbase = json.load(open("examples/checks/global-enterprise.suite.json"))
def smutated(fn):
    d = json.loads(json.dumps(sbase))
    fn(d)
    return d
sbad = [
    ("an unknown top-level field", lambda d: d.update(bogus=1)),
    ("no assertion", lambda d: d.update(assertions=[])),
    ("two kinds in one assertion", lambda d: d["assertions"][0].update(walk=d["assertions"][4]["walk"])),
    ("a walk asserting nothing", lambda d: d["assertions"][4].update(walk={"from": "a", "to": "b"})),
    ("an outcome walk does not name", lambda d: d["assertions"][4]["walk"].update(outcome="lost")),
    ("an ICMP port", lambda d: d["assertions"][4]["walk"].update(proto="icmp", port=1)),
    ("routes at a NIC and a subnet", lambda d: d["assertions"][0]["routes"].update(subnet="a/b")),
    ("via with present false", lambda d: d["assertions"][2]["routes"].update(via=["10.0.0.1"])),
    ("a next hop type az does not show", lambda d: d["assertions"][0]["routes"].update(type="Firewall")),
    ("egress with a to", lambda d: d["assertions"][8]["policy"].update(to="vnet:x")),
    ("isolated through a node", lambda d: d["assertions"][9]["policy"].update(through=["x"])),
    ("instance 2", lambda d: d["assertions"][10]["bgp"].update(instance=2)),
    ("a newline in a name", lambda d: d["assertions"][0].update(name="a\nb")),
    ("a diff without only_prefixes", lambda d: d["assertions"][12]["diff"].pop("only_prefixes")),
    ("a diff without a base", lambda d: d["assertions"][12]["diff"].pop("base")),
    ("a diff's prefix that is none", lambda d: d["assertions"][12]["diff"].update(only_prefixes=["10.0.0.0"])),
    ("an unknown diff field", lambda d: d["assertions"][12]["diff"].update(prefixes=[])),
]
for what, fn in sbad:
    ok(not cv.is_valid(smutated(fn)), "check schema refuses %s" % what)
print("1..%d" % n)
sys.exit(1 if fails else 0)
