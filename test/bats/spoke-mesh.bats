#!/usr/bin/env bats
# Spoke-to-spoke peering (issue 18 part 4, PE-07): examples/spoke-mesh.json.
# validate's errors, plan's routes (VR-03 VNetPeering and VNetGlobalPeering,
# PE-01 nothing through a peer), walks offline, and live: the lab's routes
# equal plan's for every NIC and real packets cross the peerings, and only
# them.

load helpers

teardown() { down_labs; }

MESH=$TOP/examples/spoke-mesh.json

# The example with jq filter $1 applied, in a file of the test's own.
mesh_with() {
	jq "$1" "$MESH" > "$BATS_TEST_TMPDIR/m.json"
	echo "$BATS_TEST_TMPDIR/m.json"
}

@test "PE-07 validate: an unknown peer, a spoke peering with itself, a spoke listed twice, flags on a hub entry are refused with their JSON path" {
	run arsemu validate "$(mesh_with '.regions[0].spokes[1].peerings += ["nosuch"]')"
	assert_failure 2
	assert_output --partial 'regions[0].spokes[1].peerings[1]: no VNet is named "nosuch"'
	run arsemu validate "$(mesh_with '.regions[0].spokes[1].peerings = ["s2"]')"
	assert_failure 2
	assert_output --partial 'regions[0].spokes[1].peerings[0]: spoke "s2" cannot peer with itself'
	run arsemu validate "$(mesh_with '.regions[0].spokes[1].peerings += [{"vnet": "s3"}]')"
	assert_failure 2
	assert_output --partial 'regions[0].spokes[1].peerings[1]: spoke "s3" is listed twice'
	run arsemu validate "$(mesh_with '.regions[0].spokes[1].peerings += [{"vnet": "hub-weu"}]')"
	assert_failure 2
	assert_output --partial 'regions[0].spokes[1].peerings[1].vnet: "hub-weu" is a hub'
	run arsemu validate "$(mesh_with '.regions[0].spokes[1].peerings += [{"vnet": "w1", "colour": 1}]')"
	assert_failure 2
	assert_output --partial 'regions[0].spokes[1].peerings[1]'
}

@test "PE-05 validate: spokes whose address spaces overlap cannot peer; PE-03 use_remote_gateways towards a spoke without a Route Server is refused" {
	run arsemu validate "$(mesh_with '.regions[0].spokes[2].address_space = ["10.3.128.0/17"] |
	    .regions[0].spokes[2].subnets.app = "10.3.129.0/24"')"
	assert_failure 2
	assert_output --partial 'regions[0].spokes[1].peerings[0]: 10.3.0.0/16 of spoke "s2" overlaps 10.3.128.0/17 of spoke "s3"'
	assert_output --partial '(PE-05)'
	run arsemu validate "$(mesh_with '.regions[0].spokes[1].peerings = [{"vnet": "s3", "use_remote_gateways": true}]')"
	assert_failure 2
	assert_output --partial 'regions[0].spokes[1].peerings[0].use_remote_gateways: spoke "s3" has no gateway or Route Server to use (PE-03)'
}

@test "PE-07 plan: VR-03 VNetPeering in a region, VNetGlobalPeering across, both ways; PE-01 no route to a peer's peer, without root" {
	run as_nobody "$NOBODY_ARSEMU" plan "$NOBODY_TOP/examples/spoke-mesh.json" s1-vm1
	assert_success
	assert_line --regexp '^Default +Active +10\.3\.0\.0/16 +VNetPeering *$'
	assert_line --regexp '^Default +Active +10\.21\.0\.0/16 +VNetGlobalPeering *$'
	refute_output --partial '10.4.0.0/16'
	run arsemu plan "$MESH" w1-vm1
	assert_line --regexp '^Default +Active +10\.2\.0\.0/16 +VNetGlobalPeering *$'
	refute_output --partial '10.3.0.0/16'
	run arsemu plan "$MESH" s3-vm1
	assert_line --regexp '^Default +Active +10\.3\.0\.0/16 +VNetPeering *$'
	refute_output --partial '10.2.0.0/16'
}

@test "PE-07 walk offline: delivered over a peering, PE-01 a peer's peer is not reached through it (10.0.0.0/8 None)" {
	run arsemu walk s1-vm1 w1-vm1 --topo "$MESH"
	assert_output --partial 'predicted (offline): delivered'
	assert_output --partial 'NIC s1-vm1: Default 10.21.0.0/16 VNetGlobalPeering'
	run arsemu walk s1-vm1 s3-vm1 --topo "$MESH"
	assert_output --partial 'predicted (offline): blackholed: NIC s1-vm1: Default 10.0.0.0/8 None'
}

@test "PE-07 live: routes == plan for every NIC, packets cross same-region and global spoke peerings both ways, PE-01 none to a peer's peer; torn down" {
	require_root
	local lab=$ARSEMU_T-mesh nic n=0
	run arsemu up "$MESH" --name "$lab"
	assert_success
	for nic in $(ARSEMU="$ARSEMU" sh "$TOP/test/golden/nics.sh" "$MESH"); do
		diff -u <("$ARSEMU" plan "$MESH" "$nic" --json 2>/dev/null) \
			<("$ARSEMU" routes "$nic" --name "$lab" --json) ||
			fail "plan and routes differ for $nic"
		n=$((n + 1))
	done
	[ "$n" -eq 5 ] || fail "5 NICs expected, $n compared"
	run arsemu walk s1-vm1 s2-vm1 --name "$lab" --both-ways
	assert_success
	refute_output --partial MISMATCH
	assert_output --partial 'observed: delivered'
	[ "$(echo "$output" | grep -c '^  match$')" -eq 2 ] || fail "both ways should match"
	run arsemu walk s1-vm1 w1-vm1 --name "$lab" --both-ways --proto tcp
	assert_success
	refute_output --partial MISMATCH
	[ "$(echo "$output" | grep -c '^  match$')" -eq 2 ] || fail "both ways should match"
	run arsemu walk s1-vm1 s3-vm1 --name "$lab" --proto icmp
	assert_success
	assert_output --partial 'predicted: blackholed: NIC s1-vm1: Default 10.0.0.0/8 None'
	assert_output --partial 'observed: not delivered'
	assert_output --partial 'match'
	run arsemu walk s2-vm1 w1-vm1 --name "$lab"
	assert_success
	assert_output --partial 'observed: not delivered'
	refute_output --partial MISMATCH
	run arsemu exec s1-vm1 --name "$lab" -- ping -c2 -i0.2 -W2 10.3.1.4
	assert_success
	run arsemu exec s1-vm1 --name "$lab" -- ping -c1 -W1 10.4.1.4
	assert_failure
	run arsemu down "$lab"
	assert_success
	[ -z "$(lab_namespaces "$lab")" ]
}
