#!/usr/bin/env bats
# The policy of issue 5's reference scenario (docs/scenarios.md): spoke to
# on-premises traffic crosses the local regional NVA, both ways. Offline:
# what the article's design (the NVAs advertise the on-premises prefix)
# does in Azure, by hub routing preference (RS-30, RS-31: bypassed; RS-22:
# a loop at the NVA; GW-11: no route table can mend it). Live: the design
# that works (route tables in the spokes and on GatewaySubnet), walked
# with real packets from a UK South spoke VM to the HQ host and back.

load helpers

teardown() { down_labs; }

GE=$BATS_TEST_DIRNAME/../../examples/global-enterprise.json

# The example as the article has it: the NVAs also advertise 172.16.0.0/16,
# no route table in the spokes; $1: the hub routing preference.
article() {
	local out=$BATS_TEST_TMPDIR/article-$1.json
	jq --arg p "$1" '(.regions[].hub.nvas[].advertise) += ["172.16.0.0/16"]
	    | (.regions[].hub.route_server.hub_routing_preference) = $p
	    | .route_tables |= map(select(.name | test("^spoke-") | not))' \
	    "$GE" > "$out"
	echo "$out"
}

hops() {
	awk '/predicted/ { p = 1; next } p && /^ +[0-9]+ / { h = h " " $2 }
	    /^(return|warning)/ { p = 0 } END { print h }'
}

@test "RS-30 RS-31: NVAs advertising HQ's prefix under preference ExpressRoute are bypassed: the spoke goes straight to the ER gateway; validate says so" {
	local t
	t=$(article ExpressRoute)
	run arsemu validate "$t"
	assert_success
	assert_output --partial 'traffic to 172.16.0.0/16 bypasses NVA "uks-fw1" in every served subnet'
	run arsemu plan "$t" uks-vm1
	assert_output --regexp 'Active +172\.16\.0\.0/16 +VirtualNetworkGateway +10\.1\.0\.4'
	refute_output --regexp '172\.16\.0\.0/16 +VirtualNetworkGateway +10\.1\.2\.4'
	run arsemu walk uks-vm1 hq-h1 --topo "$t"
	assert_success
	[ "$(echo "$output" | hops)" = " uks-vm1 hub-uks-er-uks0 hub-uks-er-uks-msee hq-edge hq-h1" ] ||
		fail "expected the NVA bypassed: $output"
}

@test "RS-22: under preference ASPath the NVA wins in the spokes and in its own subnet: the packet loops at the NVA; validate says so, and GW-11 refuses the route table that would mend it" {
	local t
	t=$(article ASPath)
	run arsemu validate "$t"
	assert_success
	assert_output --partial 'NVA "uks-fw1" advertises 172.16.0.0/16, and its route beats ExpressRoute gateway "er-uks"'
	assert_output --partial 'loops (RS-22)'
	run arsemu plan "$t" uks-fw1
	assert_output --regexp 'Active +172\.16\.0\.0/16 +VirtualNetworkGateway +10\.1\.2\.4'
	run arsemu walk uks-vm1 hq-h1 --topo "$t"
	assert_output --partial 'predicted (offline): loop'
	# GW-11: the NVA subnet cannot be sent to the ExpressRoute gateway
	jq '.route_tables += [{"name": "mend", "subnets": ["hub-uks/nva"],
	    "routes": [{"name": "hq", "prefix": "172.16.0.0/16",
	    "next_hop_type": "VirtualNetworkGateway"}]}]
	    | .route_tables |= map(select(.name != "nva-uks-rt"))' "$t" \
	    > "$BATS_TEST_TMPDIR/mend.json"
	run arsemu validate "$BATS_TEST_TMPDIR/mend.json"
	assert_failure
	assert_output --partial 'GW-11'
}

@test "global-enterprise offline: the route tables steer spoke -> HQ through the local fw1 and the gateway's return through it too (VR-05, VR-06); no RS-30 or RS-22 warning" {
	run arsemu validate "$GE"
	assert_success
	refute_output --partial 'warning'
	run arsemu plan "$GE" uks-vm1
	assert_output --regexp 'User +Active +172\.16\.0\.0/16 +VirtualAppliance +10\.1\.2\.4'
	assert_output --regexp 'Invalid +172\.16\.0\.0/16 +VirtualNetworkGateway +10\.1\.0\.4'
	run arsemu plan "$GE" hub-uks-er-uks0
	assert_output --regexp 'User +Active +10\.2\.0\.0/16 +VirtualAppliance +10\.1\.2\.4'
}

@test "global-enterprise live: uks-vm1 -> hq-h1 crosses uks-fw1 and the UK South ER gateway, delivered; the return from HQ crosses uks-fw1 too, observed as predicted" {
	require_root
	local lab=$ARSEMU_T-gp
	run arsemu up "$GE" --name "$lab"
	assert_success
	run arsemu routes uks-vm1 --name "$lab"
	assert_output --regexp 'User +Active +172\.16\.0\.0/16 +VirtualAppliance +10\.1\.2\.4'
	run arsemu walk uks-vm1 hq-h1 --name "$lab" --both-ways
	assert_success
	refute_output --partial 'MISMATCH'
	refute_output --partial 'asymmetric'
	assert_output --partial 'return: hq-h1 -> 10.2.1.4'
	[ "$(echo "$output" | grep -c '^  match$')" -eq 2 ] ||
		fail "both ways should match: $output"
	# forwarders are listed in the lab's node order, not the path's
	[ "$(echo "$output" | grep 'observed: delivered; forwarded by: ' |
	    grep -E ' uks-fw1( |$)' | grep -cE ' hub-uks-er-uks[01] ')" -eq 2 ] ||
		fail "both ways through uks-fw1 and er-uks: $output"
	refute_output --regexp 'forwarded by: .*(uks-fw2|weu-|us-)'
	# and from HQ first: the GatewaySubnet route table sends it to uks-fw1
	run arsemu walk hq-h1 uks-vm1 --name "$lab" --proto icmp
	assert_success
	refute_output --partial 'MISMATCH'
	assert_output --regexp 'observed: delivered; forwarded by: .*uks-fw1'
	run arsemu exec uks-vm1 --name "$lab" -- ping -c 2 -W 2 172.16.0.10
	assert_success
}
