#!/usr/bin/env bats
# PE-06, RS-08: a dual-homed spoke (examples/dual-homed.json). spoke-dh is
# peered with hub-uks and hub-weu and holds its own Route Server; each
# hub's NVA peers across the peering with it, and with its own hub's Route
# Server, with as-override (all of them are AS 65515, RS-20). Each hub has
# an ExpressRoute gateway to the data centre, with branch-to-branch.
# Offline and live agree; traffic to on-premises crosses a hub's NVA and
# fails over to the other hub's; without as-override nothing crosses, and
# without the route tables on GatewaySubnet the way back skips the NVA.

load helpers

teardown() { down_labs; }

DH=$BATS_TEST_DIRNAME/../../examples/dual-homed.json

# variant NAME JQ-FILTER: the example changed, in this test's tmp dir
variant() {
	local out=$BATS_TEST_TMPDIR/$1.json
	jq "$2" "$DH" > "$out"
	echo "$out"
}

# nh_of LAB NIC PREFIX: the NIC's active next hops for PREFIX, "a,b"
nh_of() {
	arsemu routes "$2" --name "$1" --json | jq -r "[.value[] |
	    select(.addressPrefix[0] == \"$3\" and .state == \"Active\") |
	    .nextHopIpAddress[]] | sort | join(\",\")"
}
nh_is() { [ "$(nh_of "$1" "$2" "$3")" = "$4" ]; }

# same_routes LAB TOPO NIC...: the lab's effective routes are plan's
same_routes() {
	local lab=$1 t=$2 n; shift 2
	for n in "$@"; do
		diff <(arsemu plan "$t" "$n" --json) <(arsemu routes "$n" --name "$lab" --json) ||
			{ echo "NIC $n differs from plan $t" >&2; return 1; }
	done
}

@test "PE-06 offline: the spoke's VM reaches on-premises through both hubs' NVAs (ECMP), spoke-uks through nva-uks; the hub VNets stay on their peerings (VR-06)" {
	run arsemu plan "$DH" dh-vm1
	assert_success
	assert_output --regexp 'Active +172\.16\.0\.0/16 +VirtualNetworkGateway +10\.1\.2\.4'
	assert_output --regexp 'Active +172\.16\.0\.0/16 +VirtualNetworkGateway +10\.11\.2\.4'
	assert_output --regexp 'Active +10\.2\.0\.0/16 +VirtualNetworkGateway +10\.1\.2\.4'
	assert_output --regexp 'Active +10\.11\.0\.0/16 +VNetGlobalPeering'
	assert_output --regexp 'Invalid +10\.11\.0\.0/16 +VirtualNetworkGateway'
	# hub-uks's Route Server has the spoke from nva-uks (as-override)
	run arsemu plan "$DH" uks-vm1
	assert_output --regexp 'Active +10\.5\.0\.0/16 +VirtualNetworkGateway +10\.1\.2\.4'
	# graph: the second peering, and the sessions across the peerings
	run arsemu graph "$DH" --format json
	assert_success
	[ "$(echo "$output" | jq '[.edges[] | select(.a == "spoke-dh" and .b == "hub-weu" and .type == "globalPeering")] | length')" = 1 ]
	[ "$(echo "$output" | jq '[.edges[] | select(.a == "nva-weu" and (.b | startswith("spoke-dh-rs")) and .type == "eBGP")] | length')" = 2 ]
	# and the data centre learns it over both circuits (RS-12, RS-13)
	run arsemu walk dc-h1 dh-vm1 --offline --topo "$DH"
	assert_success
	assert_output --partial 'delivered'
}

@test "PE-06, RS-08, D-09 live: NVAs peer with the spoke's Route Server across the peerings; plan equals the lab; to on-premises and back through a hub's NVA, every flow as predicted" {
	require_root
	local lab=$ARSEMU_T-dh1
	arsemu up "$DH" --name "$lab"
	wait_until 20 same_routes "$lab" "$DH" dh-vm1 uks-vm1 nva-uks nva-weu hub-uks-rs0 spoke-dh-rs0
	run arsemu rs spoke-dh peers --name "$lab"
	assert_success
	assert_output --regexp 'spoke-dh-rs0 +nva-uks +10\.1\.2\.4 +65001 +Established'
	assert_output --regexp 'spoke-dh-rs1 +nva-weu +10\.11\.2\.4 +65002 +Established'
	# as-override: 65515 became the NVA's ASN (RS-20)
	run arsemu rs spoke-dh learned nva-uks --name "$lab"
	assert_output --regexp '172\.16\.0\.0/16 +10\.1\.2\.4 +65001-65001-12076-64512'
	run arsemu walk dh-vm1 dc-h1 --flows 4 --both-ways --name "$lab"
	assert_success
	refute_output --partial MISMATCH
	assert_output --regexp 'return: dc-h1'
	# every flow, both ways, crosses one hub's gateway instance and that
	# hub's NVA; which hub and which instance is the kernel's flow hash
	local n
	n=$(grep -cE 'observed: delivered; forwarded by: (hub-uks-er-uks[01] nva-uks|hub-weu-er-weu[01] nva-weu) ' <<<"$output")
	[ "$n" = 8 ] || fail "$n of 8 walks crossed a hub's gateway and its NVA"
	run arsemu walk uks-vm1 dh-vm1 --name "$lab"
	assert_success
	assert_output --partial 'forwarded by: nva-uks'
}

@test "PE-06 failover: nva-uks down, the spoke reaches on-premises through nva-weu only; restored, through both again" {
	require_root
	local lab=$ARSEMU_T-dh2
	arsemu up "$DH" --name "$lab"
	wait_until 20 nh_is "$lab" dh-vm1 172.16.0.0/16 10.1.2.4,10.11.2.4
	arsemu fail nva-uks down --name "$lab"
	wait_until 20 nh_is "$lab" dh-vm1 172.16.0.0/16 10.11.2.4
	run arsemu walk dh-vm1 dc-h1 --flows 4 --name "$lab"
	assert_success
	refute_output --partial MISMATCH
	refute_output --partial 'nva-uks'
	arsemu restore nva-uks --name "$lab"
	wait_until 30 nh_is "$lab" dh-vm1 172.16.0.0/16 10.1.2.4,10.11.2.4
}

@test "PE-06/RS-20 without as_override: validate warns, the Route Servers drop what the NVAs relay, the spoke has no way to on-premises" {
	local t lab=$ARSEMU_T-dh3
	t=$(variant no-override '(.regions[].hub.nvas[]) |= del(.as_override)')
	run arsemu validate "$t"
	assert_success
	assert_output --partial 'NVA "nva-uks" peers with the Route Server of "spoke-dh" and another one without as_override'
	run arsemu plan "$t" dh-vm1
	refute_output --partial '172.16.0.0/16   VirtualNetworkGateway'
	run arsemu walk dh-vm1 dc-h1 --offline --topo "$t"
	assert_output --partial 'None'
	require_root
	arsemu up "$t" --name "$lab"
	wait_until 20 same_routes "$lab" "$t" dh-vm1 uks-vm1
	run arsemu rs spoke-dh learned nva-uks --name "$lab"
	assert_output --partial 'RS-20'
}

@test "VR-06: without the route tables on GatewaySubnet the way back from on-premises skips the NVA (the peering route beats the NVA's), and walk --both-ways says so" {
	local t
	t=$(variant no-udr 'del(.route_tables)')
	run arsemu walk dc-h1 dh-vm1 --offline --topo "$DH"
	assert_output --partial 'nva-'
	run arsemu walk dc-h1 dh-vm1 --offline --topo "$t"
	refute_output --partial 'nva-'
	run arsemu plan "$t" hub-uks-er-uks0
	assert_output --regexp 'Active +10\.5\.0\.0/16 +VNetPeering'
	assert_output --regexp 'Invalid +10\.5\.0\.0/16 +VirtualNetworkGateway +10\.1\.2\.4'
	run arsemu walk dh-vm1 dc-h1 --offline --topo "$t" --both-ways
	assert_output --partial 'asymmetric: forward through nva-'
	run arsemu walk dh-vm1 dc-h1 --offline --topo "$DH" --both-ways
	refute_output --partial 'asymmetric'
}

@test "PE-06 with FRR (nva-uks) and BIRD (nva-weu): their as-override (BIRD's by filter) gives the built-in speakers' routes" {
	require_root
	[ -x /usr/lib/frr/bgpd ] && command -v bird >/dev/null ||
		fail "needs FRR and BIRD: apt-get install frr bird2"
	local lab=$ARSEMU_T-dh4 t
	t=$(variant real '.regions[0].hub.nvas[0].daemon = {type: "frr"} |
	    .regions[1].hub.nvas[0].daemon = {type: "bird"}')
	arsemu up "$t" --name "$lab"
	wait_until 30 same_routes "$lab" "$DH" dh-vm1 uks-vm1 nva-uks nva-weu
	run grep -c 'as-override' "/run/arsemu/$lab/nvad/nva-uks/bgpd.conf"
	assert_output 4
	run arsemu rs spoke-dh learned nva-weu --name "$lab"
	assert_output --regexp '172\.16\.0\.0/16 +10\.11\.2\.4 +65002-65002-12076-64512'
}

@test "PE-06 drill dual-homed-nva-crash: nva-uks's BGP crashes, the spoke's flows to the data centre keep nva-weu alone at once, no packet lost, exit 0" {
	require_root
	run arsemu drill "$TOP/examples/drills/dual-homed-nva-crash.json" --name "$ARSEMU_T-dhd" --json
	assert_success
	assert_output --partial '"passed": true'
	assert_output --partial '"lossMs": 0'
	refute_output --partial '"ok": false'
	[ -z "$(lab_namespaces "$ARSEMU_T-dhd")" ]
}
