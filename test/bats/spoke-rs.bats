#!/usr/bin/env bats
# A spoke's Route Server serving the spokes peered with it by "Use remote
# gateway or Route Server" (PE-03 over a spoke-to-spoke peering, PE-07):
# examples/spoke-rs.json. validate's refusals at their JSON paths; plan's
# routes without root; live: transit's Route Server programs the NVA's
# route into app1 and app2 (routes == plan for every NIC), advertises their
# space to the NVA, real packets cross the NVA, and the NVA's withdrawal
# leaves app1's NIC and its announcement comes back; down leaves nothing.

load helpers

teardown() { down_labs; }

EX=$TOP/examples/spoke-rs.json

nics() { ARSEMU="$ARSEMU" sh "$TOP/test/golden/nics.sh" "$1"; }

# same_routes LAB: every NIC's routes in the lab are those plan predicts.
same_routes() {
	local n
	for n in $(nics "$EX"); do
		diff <(arsemu plan "$EX" "$n" --json 2>/dev/null) \
		    <(arsemu routes "$n" --name "$1" --json) || return 1
	done
}

# no_route NIC LAB: the lab's routes of NIC hold no 10.20.0.0/14.
no_route() {
	! arsemu routes "$1" --name "$2" | grep -q '10\.20\.0\.0/14'
}

# The example with jq filter $1 applied, in a file of the test's own.
ex_with() {
	jq "$1" "$EX" > "$BATS_TEST_TMPDIR/x.json"
	echo "$BATS_TEST_TMPDIR/x.json"
}

@test "PE-03 validate: a spoke-to-spoke use_remote_gateways without allow_gateway_transit on the other side, a second one, or from a spoke with its own Route Server is refused at its JSON path" {
	run arsemu validate "$EX"
	assert_success
	run arsemu validate "$(ex_with '.regions[0].spokes[0].peerings[0].allow_gateway_transit = false')"
	assert_failure 2
	assert_output --partial 'regions[0].spokes[1].peerings[0].use_remote_gateways: spoke "transit" does not set allow_gateway_transit on its side of the peering (regions[0].spokes[0].peerings[0])'
	run arsemu validate "$(ex_with '.regions[0].spokes[2].peerings += [{"vnet": "app1", "use_remote_gateways": true}] |
	    .regions[0].spokes[1].route_server = {} | .regions[0].spokes[1].subnets.RouteServerSubnet = "10.21.0.0/27" |
	    .regions[0].spokes[1].peerings = [{"vnet": "transit"}, {"vnet": "app2", "allow_gateway_transit": true}]')"
	assert_failure 2
	assert_output --partial 'regions[0].spokes[2].peerings[1].use_remote_gateways: spoke "app2" already uses remote gateways over its peering with "transit": only one peering of a VNet may (PE-03)'
	run arsemu validate "$(ex_with '.regions[0].spokes[1].route_server = {} | .regions[0].spokes[1].subnets.RouteServerSubnet = "10.21.0.0/27"')"
	assert_failure 2
	assert_output --partial 'regions[0].spokes[1].peerings[0].use_remote_gateways: spoke "app1" has its own route_server'
}

@test "PE-03 plan and graph: app1 gets transit's Route Server route to the NVA (VR-11); the peering is drawn with useRemoteGateways, without root" {
	run as_nobody "$NOBODY_ARSEMU" plan "$NOBODY_TOP/examples/spoke-rs.json" app1-vm1
	assert_success
	assert_line --regexp '^VirtualNetworkGateway +Active +10\.20\.0\.0/14 +VirtualNetworkGateway +10\.10\.1\.4$'
	assert_line --regexp '^Default +Active +10\.10\.0\.0/16 +VNetPeering *$'
	run as_nobody "$NOBODY_ARSEMU" graph "$NOBODY_TOP/examples/spoke-rs.json"
	assert_success
	assert_output --regexp '"vnet:transit" -- "vnet:app1" .*label="peering\\nuseRemoteGateways"'
}

@test "PE-03 live: app1's and app2's NICs get transit's Route Server route, routes == plan for every NIC; it advertises their space to the NVA (RS-10); packets cross the NVA; a withdrawal leaves the NIC and comes back; down leaves nothing" {
	require_root
	local lab=$ARSEMU_T-srs before after snap
	snap=$(host_snapshot)
	arsemu up "$EX" --name "$lab"
	wait_until 15 same_routes "$lab" || fail "plan and routes differ"
	run arsemu routes app1-vm1 --name "$lab"
	assert_line --regexp '^VirtualNetworkGateway +Active +10\.20\.0\.0/14 +VirtualNetworkGateway +10\.10\.1\.4$'
	run arsemu routes app2-vm1 --name "$lab"
	assert_line --regexp '^VirtualNetworkGateway +Active +10\.20\.0\.0/14 +VirtualNetworkGateway +10\.10\.1\.4$'
	run arsemu rs transit advertised tnva --name "$lab"
	assert_success
	assert_output --partial 10.21.0.0/16
	assert_output --partial 10.22.0.0/16
	before=$(ip_forwarded "$lab" tnva)
	run arsemu exec app1-vm1 --name "$lab" -- ping -c2 -i0.2 -W2 10.22.1.4
	assert_success
	after=$(ip_forwarded "$lab" tnva)
	(( after >= before + 4 )) || fail "tnva forwarded $before -> $after"
	run arsemu walk app1-vm1 app2-vm1 --name "$lab" --both-ways
	assert_success
	refute_output --partial MISMATCH
	assert_output --partial "observed: delivered; forwarded by: tnva"
	# the NVA withdraws its route: the daemon takes it out of app1's NIC
	# (what transit's Route Server holds, RS-23), and puts it back
	run arsemu bgp tnva withdraw 10.20.0.0/14 --name "$lab"
	assert_success
	wait_until 10 no_route app1-vm1 "$lab" || fail "app1 keeps 10.20.0.0/14"
	run arsemu bgp tnva announce 10.20.0.0/14 --name "$lab"
	assert_success
	wait_until 10 same_routes "$lab" || fail "routes differ from plan once announced again"
	run arsemu down "$lab"
	assert_success
	[ -z "$(lab_namespaces "$lab")" ] || fail "namespaces left: $(lab_namespaces "$lab")"
	[ -z "$(lab_processes "$lab")" ] || fail "processes left"
	[ "$(host_snapshot)" = "$snap" ] || fail "the host namespace changed"
}
