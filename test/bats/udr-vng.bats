#!/usr/bin/env bats
# A route table's VirtualNetworkGateway next hop (GW-11, VR-08) and a spoke
# peered across regions with its hub (U-10, PE-04), end to end:
# examples/vpn-udr.json forces subnet app's traffic, 0.0.0.0/0, to the hub's
# VPN gateway with gateway route propagation off, so the branch is reached
# through that route alone; spoke2 lives in another region than its hub.

load helpers

teardown() { down_labs; }

# The example's NIC index of a node: its place in lab order (nics.sh).
nic_index() {
	ARSEMU="$ARSEMU" sh "$TOP/test/golden/nics.sh" "$TOP/examples/vpn-udr.json" |
		awk -v n="$1" '$0 == n { print NR - 1 }'
}

@test "GW-11, VR-08: plan programs a VirtualNetworkGateway UDR with the VPN gateway's instances, without root; an ExpressRoute target is refused with its JSON path" {
	run arsemu validate "$TOP/examples/vpn-udr.json"
	assert_success
	run arsemu plan "$TOP/examples/vpn-udr.json" app1
	assert_success
	assert_line --regexp '^User +Active +0\.0\.0\.0/0 +VirtualNetworkGateway +10\.1\.0\.4$'
	assert_line --regexp '^User +Active +0\.0\.0\.0/0 +VirtualNetworkGateway +10\.1\.0\.5$'
	assert_line --regexp '^Default +Invalid +0\.0\.0\.0/0 +Internet'
	refute_output --partial '192.168.10.0/24'
	local f=$BATS_TEST_TMPDIR/er-udr.json
	python3 - "$TOP/examples/expressroute.json" "$f" <<'EOF'
import json, sys
t = json.load(open(sys.argv[1]))
t["route_tables"] = [{"name": "to-er", "subnets": ["spoke1/default"],
    "routes": [{"name": "dc", "prefix": "172.16.0.0/16",
                "next_hop_type": "VirtualNetworkGateway"}]}]
json.dump(t, open(sys.argv[2], "w"))
EOF
	run arsemu validate "$f"
	assert_failure
	assert_output --partial "route_tables[0].routes[0].next_hop_type"
	assert_output --partial "cannot target an ExpressRoute gateway"
	assert_output --partial "GW-11"
}

@test "GW-11: forced tunnelling live: app1's packets to the branch take the UDR to a VPN gateway instance and its tunnel, both ways (walk observed)" {
	require_root
	local lab=$ARSEMU_T-uvng idx
	run arsemu up "$TOP/examples/vpn-udr.json" --name "$lab"
	assert_success
	run arsemu routes app1 --name "$lab"
	assert_success
	assert_line --regexp '^User +Active +0\.0\.0\.0/0 +VirtualNetworkGateway +10\.1\.0\.4$'
	assert_line --regexp '^User +Active +0\.0\.0\.0/0 +VirtualNetworkGateway +10\.1\.0\.5$'
	# VR-07: no gateway route and no 192.168.0.0/16 None: only the UDR matches
	refute_output --partial '192.168.'
	# the fabric holds it as a multipath route to both instances
	idx=$(nic_index app1)
	[ -n "$idx" ] || fail "app1 has no NIC index"
	run nic_route "$lab" "n$idx" 0.0.0.0/0
	assert_output --partial "via 10.1.0.4"
	assert_output --partial "via 10.1.0.5"
	run arsemu exec app1 --name "$lab" -- ping -c 2 -W 2 192.168.10.10
	assert_success
	run arsemu walk app1 hq-h1 --name "$lab" --both-ways --flows 2
	assert_success
	refute_output --partial MISMATCH
	assert_output --partial "NIC app1: User 0.0.0.0/0 VirtualNetworkGateway -> 10.1.0."
	assert_output --regexp "observed: delivered; forwarded by: hub-vpn[01]( hub-vpn[01])? hq-edge"
	[ "$(echo "$output" | grep -c '^  match$')" -ge 2 ] || fail "both ways should match"
}

@test "U-10, PE-04: a spoke in another region uses the hub's VPN gateway over global peering: VNetGlobalPeering, the branch over BGP, packets both ways" {
	require_root
	local lab=$ARSEMU_T-uglb
	run arsemu up "$TOP/examples/vpn-udr.json" --name "$lab"
	assert_success
	run arsemu routes far1 --name "$lab"
	assert_success
	assert_line --regexp '^Default +Active +10\.1\.0\.0/16 +VNetGlobalPeering'
	assert_line --regexp '^VirtualNetworkGateway +Active +192\.168\.10\.0/24 +VirtualNetworkGateway +10\.1\.0\.4$'
	run arsemu routes hub-vpn0 --name "$lab"
	assert_line --regexp '^Default +Active +10\.3\.0\.0/16 +VNetGlobalPeering'
	run arsemu walk far1 hq-h1 --name "$lab" --both-ways
	assert_success
	refute_output --partial MISMATCH
	assert_output --regexp "observed: delivered; forwarded by: hub-vpn[01]( hub-vpn[01])? hq-edge"
}

@test "U-10: Route Server serves a spoke peered across regions as it serves an in-region one (single-hub with spoke1 moved to northeurope)" {
	require_root
	local lab=$ARSEMU_T-urs f=$BATS_TEST_TMPDIR/u10.json
	python3 - "$TOP/examples/single-hub.json" "$f" <<'EOF'
import json, sys
t = json.load(open(sys.argv[1]))
t["regions"][0]["spokes"][0]["region"] = "northeurope"
t["regions"].append({"name": "northeurope"})
json.dump(t, open(sys.argv[2], "w"))
EOF
	run arsemu up "$f" --name "$lab"
	assert_success
	run arsemu routes spoke1-vm1 --name "$lab"
	assert_success
	assert_line --regexp '^Default +Active +10\.1\.0\.0/16 +VNetGlobalPeering'
	assert_line --regexp '^VirtualNetworkGateway +Active +10\.250\.0\.0/16 +VirtualNetworkGateway +10\.1\.2\.4$'
	assert_line --regexp '^VirtualNetworkGateway +Active +0\.0\.0\.0/0 +VirtualNetworkGateway +10\.1\.2\.5$'
	# RS-10: the Route Server advertises the spoke's prefix to its NVAs
	run arsemu rs hub advertised sdwan --name "$lab"
	assert_success
	assert_output --regexp '10\.2\.0\.0/16'
	run arsemu walk spoke1-vm1 branch-h1 --name "$lab" --both-ways
	assert_success
	refute_output --partial MISMATCH
	assert_output --partial "observed: delivered; forwarded by: sdwan branch-edge"
}
