#!/usr/bin/env bats
# On-premises prefixes over VNet space (issue 18 part 5, VR-15):
# examples/er-vpn-summary.json, the Route Server deep dive's "VPN and
# ExpressRoute Together". validate's answers (VR-15 accepted, U-17 refused),
# plan's routes, walks offline and live, the lab's routes equal plan's for
# every NIC, GW-05's filter of a prefix equal to a VNet's at a live VPN
# gateway, and the scored drill: the ER session disabled, the summary moves
# to VPN.

load helpers

teardown() { down_labs; }

SUM=$TOP/examples/er-vpn-summary.json

# The example with jq filter $1 applied, in a file of the test's own.
sum_with() {
	jq "$1" "$SUM" > "$BATS_TEST_TMPDIR/s.json"
	echo "$BATS_TEST_TMPDIR/s.json"
}

@test "VR-15 validate: a site's 10.0.0.0/8 over every VNet and a prefix equal to a VNet's are valid; U-17 a prefix inside a VNet, a host at a VNet address and a bad CIDR are refused with their JSON paths" {
	run arsemu validate "$SUM"
	assert_success
	assert_output --partial 'valid: lab er-vpn-summary, 3 VNets'
	run arsemu validate "$(sum_with '.sites[0].prefixes = ["10.2.0.0/16"] | .sites[0].hosts = []')"
	assert_success
	run arsemu validate "$(sum_with '.sites[0].prefixes = ["10.2.4.0/24"] | .sites[0].hosts = []')"
	assert_failure 2
	assert_output --partial 'sites[0].prefixes[0]: 10.2.4.0/24 lies inside the address space 10.2.0.0/16 of VNet "spoke1"'
	assert_output --partial '(U-17)'
	run arsemu validate "$(sum_with '.sites[0].hosts[0].ip = "10.3.0.10"')"
	assert_failure 2
	assert_output --partial 'sites[0].hosts[0].ip: 10.3.0.10 is in the address space 10.3.0.0/16 of VNet "spoke2"'
	run arsemu validate "$(sum_with '.sites[0].prefixes = ["10.0.0.0/33"]')"
	assert_failure 2
	assert_output --partial 'sites[0].prefixes[0]: "10.0.0.0/33" is not an IPv4 prefix'
}

@test "VR-15 plan: the summary over ExpressRoute (GW-09) beside VnetLocal and VNetPeering, VR-05 the reserved 10.0.0.0/8 None route Invalid, without root" {
	run as_nobody "$NOBODY_ARSEMU" plan "$NOBODY_TOP/examples/er-vpn-summary.json" spoke1-vm1
	assert_success
	assert_line --regexp '^Default +Active +10\.2\.0\.0/16 +VnetLocal *$'
	assert_line --regexp '^Default +Active +10\.1\.0\.0/16 +VNetPeering *$'
	assert_line --regexp '^VirtualNetworkGateway +Active +10\.0\.0\.0/8 +VirtualNetworkGateway +10\.1\.0\.4$'
	assert_line --regexp '^VirtualNetworkGateway +Active +10\.0\.0\.0/8 +VirtualNetworkGateway +10\.1\.0\.5$'
	assert_line --regexp '^Default +Invalid +10\.0\.0\.0/8 +None *$'
	refute_output --partial '10.1.0.6'
}

@test "VR-15 walk offline: spoke to the data centre over ER, back by the VNets' longer prefixes, spoke to spoke turned at the gateway instance" {
	run arsemu walk spoke1-vm1 dc-h1 --topo "$SUM"
	assert_output --partial 'predicted (offline): delivered'
	assert_output --partial 'NIC spoke1-vm1: VirtualNetworkGateway 10.0.0.0/8 VirtualNetworkGateway -> 10.1.0.4'
	run arsemu walk dc-h1 spoke2-vm1 --topo "$SUM"
	assert_output --partial 'predicted (offline): delivered'
	assert_output --partial 'dc-edge        Vpn connection to gateway vpn (/16'
	run arsemu walk spoke1-vm1 spoke2-vm1 --topo "$SUM"
	assert_output --partial 'predicted (offline): delivered'
	assert_output --partial 'NIC hub-er0: Default 10.3.0.0/16 VNetPeering'
}

@test "VR-15 live: routes == plan for every NIC, walks to and from the data centre and between spokes match; torn down" {
	require_root
	local lab=$ARSEMU_T-sum nic n=0
	run arsemu up "$SUM" --name "$lab"
	assert_success
	for nic in $(ARSEMU="$ARSEMU" sh "$TOP/test/golden/nics.sh" "$SUM"); do
		diff -u <("$ARSEMU" plan "$SUM" "$nic" --json 2>/dev/null) \
			<("$ARSEMU" routes "$nic" --name "$lab" --json) ||
			fail "plan and routes differ for $nic"
		n=$((n + 1))
	done
	[ "$n" -eq 9 ] || fail "9 NICs expected, $n compared"
	run arsemu walk spoke1-vm1 dc-h1 --name "$lab" --both-ways --proto tcp
	assert_success
	refute_output --partial MISMATCH
	assert_output --regexp 'observed: delivered; forwarded by: hub-er[01] hub-er-msee dc-edge'
	[ "$(echo "$output" | grep -c '^  match$')" -eq 2 ] || fail "both ways should match"
	run arsemu walk spoke1-vm1 spoke2-vm1 --name "$lab" --both-ways
	assert_success
	refute_output --partial MISMATCH
	assert_line --regexp '^  observed: delivered; forwarded by: hub-er[01]$'
	run arsemu walk hub-vm1 10.200.0.99 --name "$lab"
	assert_success
	assert_output --partial 'predicted: no route: no host of site dc has the address'
	assert_output --partial 'match'
	run arsemu exec dc-h1 --name "$lab" -- ping -c2 -i0.2 -W2 10.3.1.4
	assert_success
	run arsemu down "$lab"
	assert_success
	[ -z "$(lab_namespaces "$lab")" ]
}

@test "GW-05 live: a VPN gateway filters a site prefix equal to the spoke it serves and takes the branch's own; RS-21 the ER-learned hub prefix is not programmed" {
	require_root
	local lab=$ARSEMU_T-sumeq t=$BATS_TEST_TMPDIR/eq.json
	cat > "$t" <<'EOF'
{"name": "sumeq", "timers": {"hold": 9, "keepalive": 3, "connect_retry": 1},
 "regions": [{"name": "r", "hub": {"name": "hub", "address_space": ["10.1.0.0/16"],
  "subnets": {"GatewaySubnet": "10.1.0.0/27", "RouteServerSubnet": "10.1.1.0/27"},
  "route_server": {"branch_to_branch": true},
  "gateways": [{"name": "er", "type": "ExpressRoute", "circuit": {"site": "dc"}},
   {"name": "vpn", "type": "Vpn", "active_active": true, "tunnels": [{"site": "br", "bgp": true}]}]},
  "spokes": [{"name": "s1", "address_space": ["10.2.0.0/16"], "use_remote_gateways": true,
   "subnets": {"app": "10.2.1.0/24"}, "vms": [{"name": "vm1", "subnet": "app"}]}]}],
 "sites": [{"name": "dc", "asn": 64512, "prefixes": ["10.1.0.0/16"]},
  {"name": "br", "asn": 64513, "prefixes": ["10.2.0.0/16", "192.168.7.0/24"],
   "hosts": [{"name": "b1", "ip": "192.168.7.10"}]}]}
EOF
	run arsemu up "$t" --name "$lab"
	assert_success
	run arsemu gateway vpn learned --name "$lab"
	assert_success
	assert_line --regexp '^hub-vpn0 +192\.168\.7\.0/24 +169\.254\.21\.[0-9]+ +64513 '
	refute_output --regexp '10\.2\.0\.0/16 +169\.254'
	diff -u <("$ARSEMU" plan "$t" vm1 --json) <("$ARSEMU" routes vm1 --name "$lab" --json) ||
		fail "plan and routes differ for vm1"
	run arsemu routes vm1 --name "$lab"
	assert_line --regexp '^Default +Active +10\.1\.0\.0/16 +VNetPeering *$'
	refute_output --regexp 'VirtualNetworkGateway +(Active|Invalid) +10\.[12]\.0\.0/16'
	run arsemu walk vm1 b1 --name "$lab" --both-ways
	assert_success
	refute_output --partial MISMATCH
	run arsemu down "$lab"
	assert_success
}

@test "RS-13 live: with branch-to-branch the Route Server passes the data centre's 10.0.0.0/8 to an NVA, next hop the ER gateway; plan == routes for the NVA" {
	require_root
	local lab=$ARSEMU_T-sumnva t
	t=$(sum_with '.regions[0].hub.nvas = [{"name": "nva1", "subnet": "default", "asn": 65001}]')
	run arsemu up "$t" --name "$lab"
	assert_success
	run arsemu rs hub advertised nva1 --name "$lab"
	assert_success
	assert_line --regexp '^hub-rs0 +10\.0\.0\.0/8 +10\.1\.0\.[45] +65515-12076-64512 '
	assert_line --regexp '^hub-rs1 +10\.0\.0\.0/8 +10\.1\.0\.[45] +65515-12076-64512 '
	diff -u <("$ARSEMU" plan "$t" nva1 --json) <("$ARSEMU" routes nva1 --name "$lab" --json) ||
		fail "plan and routes differ for nva1"
	run arsemu down "$lab"
	assert_success
}

@test "VR-15 drill er-vpn-summary-failover: the ER session disabled, the summary moves to VPN with no change in the spokes' VNet routes, and back" {
	require_root
	run arsemu drill "$TOP/examples/drills/er-vpn-summary-failover.json" --name "$ARSEMU_T-sumd"
	echo "$output"
	assert_success
	assert_output --partial "PASSED"
	assert_output --partial "Administrative Shutdown"
	assert_output --partial "ok   loss of spoke-to-spoke: 0 ms"
}
