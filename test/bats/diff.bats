#!/usr/bin/env bats
# arsemu diff OLD NEW (issue "CI topology regression as a product"):
# offline, as nobody (no root), on the shipped pair examples/diff/: in
# inspect-after.json spoke-uks's route table has lost hq-via-fw1, the route
# sending the headquarters' 172.16.0.0/16 to the hub firewall, so that
# subnet's route moves from VirtualAppliance to the ExpressRoute gateway.

load helpers

BEFORE=$NOBODY_TOP/examples/diff/inspect-before.json
AFTER=$NOBODY_TOP/examples/diff/inspect-after.json

# Files of a test, readable by nobody (BATS_TEST_TMPDIR is root's alone).
setup() {
	D=$(mktemp -d)
	chmod 755 "$D"
}
teardown() { rm -rf "$D"; }

# arsemu as nobody: diff needs no root
diff_nobody() {
	as_nobody "$NOBODY_ARSEMU" diff "$@"
}

@test "diff: a topology against itself: exit 0, no change, in text, JSON and markdown" {
	run diff_nobody "$BEFORE" "$BEFORE"
	assert_success
	assert_output "no change: 12 subnets compared, effective routes, Route Server peerings and warnings identical"
	run diff_nobody "$BEFORE" "$BEFORE" --json
	assert_success
	run jq -c '[.changed, .subnetsCompared, .subnetsUnchanged, (.groups | length),
	    (.nics | length), (.routeServerPeerings | length), .warnings]' <<<"$output"
	assert_output '[false,12,12,0,0,0,{"new":[],"gone":[]}]'
	run diff_nobody "$BEFORE" "$BEFORE" --markdown
	assert_success
	assert_line --index 0 --regexp '^\*\*arsemu diff: no change: '
	refute_output --partial "## Effective routes"
}

@test "diff: the spoke's on-premises route moves from the firewall to the gateway: exit 1, that group only" {
	run diff_nobody "$BEFORE" "$AFTER"
	assert_failure 1
	assert_line --index 0 "changed: effective routes of 1 of 12 subnets (1 group), 0 NICs added or removed, 0 Route Server peerings, 0 warnings new, 0 gone"
	assert_line "subnets changed: spoke-uks/default (1 subnet, 1 NIC)"
	assert_line "  172.16.0.0/16 changed"
	assert_line "    - VirtualAppliance 10.1.2.4 (User, Active, hq-via-fw1)"
	assert_line "    - VirtualNetworkGateway 10.1.0.4,10.1.0.5 (VirtualNetworkGateway, Invalid)"
	assert_line "    + VirtualNetworkGateway 10.1.0.4,10.1.0.5 (VirtualNetworkGateway, Active)"
	# the other spokes keep their route tables: named nowhere
	refute_output --partial "spoke-weu"
	refute_output --partial "spoke-us"
	# and back: the reverse change
	run diff_nobody "$AFTER" "$BEFORE"
	assert_failure 1
	assert_line "    + VirtualAppliance 10.1.2.4 (User, Active, hq-via-fw1)"
	assert_line "    - VirtualNetworkGateway 10.1.0.4,10.1.0.5 (VirtualNetworkGateway, Active)"
}

@test "diff --json: parsed with jq; the group, its subnet and the active route before and after" {
	run diff_nobody "$BEFORE" "$AFTER" --json
	assert_failure 1
	local out=$output
	run jq -c '[.changed, .subnetsCompared, .subnetsUnchanged, (.groups | length)]' <<<"$out"
	assert_output '[true,12,11,1]'
	run jq -c '.groups[0] | [.change, .nics, .subnets]' <<<"$out"
	assert_output '["changed",1,[{"vnet":"spoke-uks","subnet":"default","nics":1}]]'
	run jq -c '.groups[0].routes | map(.addressPrefix + " " + .change)' <<<"$out"
	assert_output '["172.16.0.0/16 changed"]'
	run jq -c '.groups[0].routes[0] | [(.before[] | select(.state == "Active") |
	    [.source, .nextHopType, .nextHopIpAddress, .name]),
	    (.after[] | select(.state == "Active") |
	    [.source, .nextHopType, .nextHopIpAddress, .name])]' <<<"$out"
	assert_output '[["User","VirtualAppliance",["10.1.2.4"],"hq-via-fw1"],["VirtualNetworkGateway","VirtualNetworkGateway",["10.1.0.4","10.1.0.5"],null]]'
	# python3 reads the same document
	run python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["routeServerPeerings"], d["nics"], d["warnings"])' <<<"$out"
	assert_output "[] [] {'new': [], 'gone': []}"
}

@test "diff --markdown: a verdict on the first line, headings and a table for the pull request" {
	run diff_nobody "$BEFORE" "$AFTER" --markdown
	assert_failure 1
	assert_line --index 0 "**arsemu diff: changed: effective routes of 1 of 12 subnets (1 group), 0 NICs added or removed, 0 Route Server peerings, 0 warnings new, 0 gone**"
	assert_line "## Effective routes"
	assert_line "### Subnets changed: spoke-uks/default (1 subnet, 1 NIC)"
	assert_line "| Prefix | Change | Before | After |"
	assert_line "| 172.16.0.0/16 | changed | VirtualAppliance 10.1.2.4 (User, Active, hq-via-fw1)<br>VirtualNetworkGateway 10.1.0.4,10.1.0.5 (VirtualNetworkGateway, Invalid) | VirtualNetworkGateway 10.1.0.4,10.1.0.5 (VirtualNetworkGateway, Active) |"
	refute_line "## Route Server peerings"
}

@test "diff: Route Server peerings and warnings: an NVA advertises one more prefix, the hold time goes to 0" {
	local new=$D/new.json
	jq '(.regions[] | select(.hub.name == "hub-uks") | .hub.nvas[] |
	    select(.name == "uks-fw1") | .advertise) += ["192.168.50.0/24"] |
	    .timers = {"hold": 0, "keepalive": 0}' "$BEFORE" > "$new"
	chmod 644 "$new"
	run diff_nobody "$BEFORE" "$new" --json
	assert_failure 1
	local out=$output
	# both instances of hub-uks learn it from uks-fw1 and advertise it to uks-fw2
	run jq -c '[.routeServerPeerings[] | select(.instance | startswith("hub-uks-")) |
	    [.instance, .peer, .accepted.before, .accepted.after, .learned.added,
	    .advertised.added]]' <<<"$out"
	assert_output '[["hub-uks-rs0","uks-fw1",6,7,["192.168.50.0/24"],[]],["hub-uks-rs0","uks-fw2",6,6,[],["192.168.50.0/24"]],["hub-uks-rs1","uks-fw1",6,7,["192.168.50.0/24"],[]],["hub-uks-rs1","uks-fw2",6,6,[],["192.168.50.0/24"]]]'
	# the overlay carries it to the other hubs: every subnet, one group per hub
	run jq -c '[.groups[] | [(.subnets | length), .routes[0].addressPrefix,
	    .routes[0].change, .routes[0].after[0].nextHopIpAddress]]' <<<"$out"
	assert_output '[[4,"192.168.50.0/24","added",["10.1.2.4"]],[4,"192.168.50.0/24","added",["10.11.2.4"]],[4,"192.168.50.0/24","added",["10.21.2.4"]]]'
	run jq -r '.warnings.new[]' <<<"$out"
	assert_output --partial "hold time 0"
	assert_output --partial "RS-43"
	run jq -c '.warnings.gone' <<<"$out"
	assert_output '[]'
	run diff_nobody "$BEFORE" "$new"
	assert_failure 1
	assert_line "  hub-uks-rs0 with uks-fw1: changed; established yes -> yes, accepted 6 -> 7"
	assert_line "    + learned 192.168.50.0/24"
}

@test "diff: a NIC added and one removed are listed by subnet, with the subnet's routes once" {
	local new=$D/new.json
	# uks-vm1 renamed: removed from spoke-uks/default, and added under its new name
	jq '(.regions[] | .spokes[]? | select(.name == "spoke-uks") | .vms[0].name) = "uks-app1"' \
	    "$BEFORE" > "$new"
	chmod 644 "$new"
	run diff_nobody "$BEFORE" "$new" --json
	assert_failure 1
	local out=$output
	run jq -c '[.groups | length] + [.nics[] | [.change, .vnet, .subnet, .names]]' <<<"$out"
	assert_output '[0,["added","spoke-uks","default",["uks-app1"]],["removed","spoke-uks","default",["uks-vm1"]]]'
	run jq -c '.nics[0].routes[] | select(.addressPrefix == "172.16.0.0/16" and .state == "Active") |
	    [.nextHopType, .nextHopIpAddress]' <<<"$out"
	assert_output '["VirtualAppliance",["10.1.2.4"]]'
	run diff_nobody "$BEFORE" "$new"
	assert_failure 1
	assert_line "NICs removed from spoke-uks/default (1): uks-vm1"
	assert_line "NICs added to spoke-uks/default (1): uks-app1"
	assert_line "    + 172.16.0.0/16 VirtualAppliance 10.1.2.4 (User, Active, hq-via-fw1)"
}

@test "diff: exit 2 for bad input, the file and the JSON path named; usage errors" {
	local bad=$D/bad.json
	jq '.route_tables[1].routes[0].prefix = "172.16.0.0/33"' "$BEFORE" > "$bad"
	chmod 644 "$bad"
	run diff_nobody "$BEFORE" "$bad"
	assert_failure 2
	assert_output --regexp "^$bad:[0-9]+:[0-9]+: route_tables\[1\]\.routes\[0\]\.prefix: \"172\.16\.0\.0/33\" is not an IPv4 prefix"
	run diff_nobody "$bad" "$BEFORE"
	assert_failure 2
	assert_output --partial "$bad:"
	run diff_nobody "$BEFORE"
	assert_failure 2
	assert_output "arsemu: usage: arsemu diff OLD NEW | --terraform PLAN.json [--json] [--markdown]"
	run diff_nobody "$BEFORE" "$AFTER" --json --markdown
	assert_failure 2
	assert_output --partial "--json and --markdown are exclusive"
	run diff_nobody "$BEFORE" "$AFTER" --name x
	assert_failure 2
	assert_output "arsemu: diff does not take --name (usage: arsemu diff OLD NEW | --terraform PLAN.json [--json] [--markdown])"
	run diff_nobody "$BEFORE" "$AFTER" --bogus
	assert_failure 2
	assert_output "arsemu: unknown option --bogus"
	run diff_nobody "$BEFORE" "$D/missing.json"
	assert_failure 2
	assert_output --partial "missing.json"
}
