#!/usr/bin/env bats
# The spine end to end (issue 2): a single-hub lab and an active-active pair,
# in real namespaces, with real BGP and real packets.

load helpers

setup_file() {
	[ "$(id -u)" = 0 ] || return 0
	export SNAP="$BATS_FILE_TMPDIR/host.before"
	host_snapshot > "$SNAP"
}

teardown() { down_labs; }

@test "validate: both examples are valid without root" {
	run arsemu validate "$TOP/examples/single-hub.json"
	assert_success
	run arsemu validate "$TOP/examples/active-active.json"
	assert_success
}

@test "validate: RS-22 trap in Learn's picture is a warning; --strict makes it fail" {
	run arsemu validate "$TOP/examples/single-hub.json"
	assert_success
	assert_output --partial 'warning'
	assert_output --partial 'regions[0].hub.nvas[1].advertise[0]: NVA "fw" advertises 0.0.0.0/0'
	assert_output --partial '(RS-22)'
	run arsemu validate "$TOP/examples/single-hub.json" --strict
	assert_failure 1
	run arsemu validate "$TOP/examples/internet-egress.json" --strict
	assert_success
}

@test "validate: RS-43 Azure's default timers (hold 180 s, keepalive 60 s) pass validate --strict: slow drills are the drill's business" {
	local f=$BATS_TEST_TMPDIR/azure-timers.json
	jq 'del(.timers)' "$TOP/examples/internet-egress.json" > "$f"
	run arsemu validate "$f" --strict
	assert_success
	refute_output --partial 'warning'
	jq '.timers = {"hold": 0, "keepalive": 0}' "$f" > "$f.0"
	run arsemu validate "$f.0" --strict
	assert_failure 1
	assert_output --partial 'timers.hold: hold time 0'
}

@test "validate: GW-12 a VirtualNetworkGateway route where VPN and ExpressRoute gateways coexist is refused with its JSON path" {
	local f=$BATS_TEST_TMPDIR/coexist.json
	jq '.route_tables = [{"name": "rt", "subnets": ["spoke1/default"],
	    "routes": [{"name": "dc", "prefix": "172.16.0.0/16",
	    "next_hop_type": "VirtualNetworkGateway"}]}]' \
	    "$TOP/examples/er-vpn.json" > "$f"
	run arsemu validate "$f"
	assert_failure
	assert_output --partial 'route_tables[0].routes[0].next_hop_type'
	assert_output --partial 'cannot be used where VPN and ExpressRoute connections coexist (GW-12)'
}

@test "validate: VR-14 a VirtualAppliance next hop that is no NIC, RS-54 a Route Server beside an active-standby VPN gateway: warnings, --strict fails" {
	local f=$BATS_TEST_TMPDIR/nh.json
	jq '.route_tables = [{"name": "rt", "subnets": ["spoke1/default"],
	    "routes": [{"name": "dc", "prefix": "172.16.0.0/16",
	    "next_hop_type": "VirtualAppliance", "next_hop_ip": "10.1.2.99"}]}]' \
	    "$TOP/examples/er-vpn.json" > "$f"
	run arsemu validate "$f" --strict
	assert_failure 1
	assert_output --partial 'route_tables[0].routes[0].next_hop_ip: route "dc" of route table "rt" sends to 10.1.2.99, which is no NIC'
	assert_output --partial '(VR-14)'
	jq '(.regions[0].hub.gateways[] | select(.type == "Vpn") | .active_active) = false' \
	    "$TOP/examples/sdwan-branches.json" > "$f"
	run arsemu validate "$f" --strict
	assert_failure 1
	assert_output --partial 'regions[0].hub.gateways[1].active_active: VPN gateway "vpn" is active-standby beside the Route Server'
	assert_output --partial '(RS-54)'
}

@test "single-hub: RS-10/RS-11/CLI-03 Route Server advertises hub and spoke with asPath 65515" {
	require_root
	local lab=$ARSEMU_T-sh
	run arsemu up "$TOP/examples/single-hub.json" --name "$lab"
	assert_success
	run arsemu rs hub advertised sdwan --name "$lab" --json
	assert_success
	# CLI-03 entry shape: asPath, localAddress, network, nextHop, origin, weight
	echo "$output" | grep -B2 -A3 '"network": "10.2.0.0/16"' | grep -q '"asPath": "65515"'
	echo "$output" | grep -B2 -A3 '"network": "10.1.0.0/16"' | grep -q '"origin": "Igp"'
	assert_output --partial '"RouteServiceRole_IN_0"'
	assert_output --partial '"RouteServiceRole_IN_1"'
	run bash -c "'$ARSEMU' rs hub advertised fw --name $lab | awk '\$2==\"10.2.0.0/16\"{print \$1, \$3, \$4, \$5}'"
	assert_line "hub-rs0 10.1.1.4 65515 Igp"
	assert_line "hub-rs1 10.1.1.5 65515 Igp"
}

@test "single-hub: VR-04/RS-23 spoke VM gets 10.250/16 -> SD-WAN NVA and 0/0 -> firewall" {
	require_root
	local lab=$ARSEMU_T-sh
	arsemu up "$TOP/examples/single-hub.json" --name "$lab"
	run arsemu routes spoke1-vm1 --name "$lab"
	assert_success
	assert_line --regexp '^VirtualNetworkGateway +Active +10\.250\.0\.0/16 +VirtualNetworkGateway +10\.1\.2\.4$'
	assert_line --regexp '^VirtualNetworkGateway +Active +0\.0\.0\.0/0 +VirtualNetworkGateway +10\.1\.2\.5$'
	# VR-05: the system default route loses to the BGP one and stays listed Invalid
	assert_line --regexp '^Default +Invalid +0\.0\.0\.0/0 +Internet'
	run arsemu routes spoke1-vm1 --name "$lab" --json
	assert_success
	assert_output --partial '"nextLink": null'
	echo "$output" | grep -B8 -A8 '"10.250.0.0/16"' | grep -q '"nextHopType": "VirtualNetworkGateway"'
	echo "$output" | grep -A3 '"nextHopIpAddress"' | grep -q '"10.1.2.4"'
}

@test "single-hub: a ping from the spoke VM reaches 10.250.0.1 through the SD-WAN NVA" {
	require_root
	local lab=$ARSEMU_T-sh
	arsemu up "$TOP/examples/single-hub.json" --name "$lab"
	local before after fw_before fw_after
	before=$(ip_forwarded "$lab" sdwan)
	fw_before=$(ip_forwarded "$lab" fw)
	run arsemu exec spoke1-vm1 --name "$lab" -- ping -c1 -W2 10.250.0.1
	assert_success
	after=$(ip_forwarded "$lab" sdwan)
	fw_after=$(ip_forwarded "$lab" fw)
	(( after >= before + 2 )) || fail "sdwan forwarded $before -> $after packets"
	(( fw_after == fw_before )) || fail "the firewall forwarded the ping too"
}

@test "single-hub: rs peers and learned routes (CLI-02 shape)" {
	require_root
	local lab=$ARSEMU_T-sh
	arsemu up "$TOP/examples/single-hub.json" --name "$lab"
	run arsemu rs hub peers --name "$lab"
	assert_success
	assert_line --regexp '^hub-rs0 +sdwan +10\.1\.2\.4 +65001 +Established'
	assert_line --regexp '^hub-rs1 +fw +10\.1\.2\.5 +65002 +Established'
	run arsemu rs hub learned sdwan --name "$lab" --json
	assert_success
	assert_output --partial '"network": "10.250.0.0/16"'
	assert_output --partial '"sourcePeer": "10.1.2.4"'
	assert_output --partial '"weight": 32768'
	run arsemu rs hub learned nosuchpeer --name "$lab"
	assert_failure 2
	assert_output --partial "no peering named nosuchpeer"
}

@test "active-active: RS-33 two next hops for 10.0.0.0/8 in the spoke NIC's fabric table" {
	require_root
	local lab=$ARSEMU_T-aa
	arsemu up "$TOP/examples/active-active.json" --name "$lab"
	run nic_route "$lab" n4 10.0.0.0/8
	assert_success
	assert_output --partial "nexthop via 10.1.2.4"
	assert_output --partial "nexthop via 10.1.2.5"
	run arsemu routes spoke1-vm1 --name "$lab"
	# VR-10: ECMP shows as one Active entry per next hop
	assert_line --regexp '^VirtualNetworkGateway +Active +10\.0\.0\.0/8 +VirtualNetworkGateway +10\.1\.2\.4$'
	assert_line --regexp '^VirtualNetworkGateway +Active +10\.0\.0\.0/8 +VirtualNetworkGateway +10\.1\.2\.5$'
}

@test "active-active: RS-34 with a prepend on fw2, only fw1 remains" {
	require_root
	local lab=$ARSEMU_T-pp
	local topo
	topo=$(example_as "$TOP/examples/active-active.json" "$lab" \
		'/"name": "fw2"/s/"prepend": 0/"prepend": 2/')
	grep -q '"prepend": 2' "$topo" || fail "the example lost its prepend field"
	arsemu up "$topo"
	run nic_route "$lab" n4 10.0.0.0/8
	assert_success
	assert_output --partial "via 10.1.2.4"
	refute_output --partial "10.1.2.5"
	run bash -c "'$ARSEMU' rs hub learned fw2 --name $lab | awk '\$2==\"10.0.0.0/8\"{print \$4}'"
	assert_line "65010-65010-65010"
}

@test "active-active: SIGKILL of fw1's BGP process removes its next hop within the hold time; traffic flows" {
	require_root
	local lab=$ARSEMU_T-kill
	arsemu up "$TOP/examples/active-active.json" --name "$lab"
	run arsemu exec spoke1-vm1 --name "$lab" -- ping -c1 -W2 10.250.0.1
	assert_success
	local pid t0 t1
	pid=$(awk '$1=="pid" && $3=="speaker:fw1"{print $2}' "/run/arsemu/$lab/state")
	[ -n "$pid" ] || fail "no fw1 speaker in the state file"
	t0=$(date +%s%N)
	kill -9 "$pid"
	one_nexthop() { nic_route "$lab" n4 10.0.0.0/8 |
		grep -q '^10.0.0.0/8 via 10.1.2.5 '; }
	wait_until 3 one_nexthop
	t1=$(date +%s%N)
	echo "# next hop removed after $(( (t1 - t0) / 1000000 )) ms" >&3
	(( (t1 - t0) / 1000000 <= 3000 )) || fail "took longer than the 3 s hold time"
	run arsemu exec spoke1-vm1 --name "$lab" -- ping -c3 -i0.2 -W2 10.250.0.1
	assert_success
	run arsemu rs hub peers --name "$lab"
	refute_line --regexp '^hub-rs0 +fw1 .*Established'
}

@test "down: no namespace, process or state of the lab remains; the host namespace is unchanged" {
	require_root
	local lab=$ARSEMU_T-dn
	arsemu up "$TOP/examples/single-hub.json" --name "$lab"
	[ -n "$(lab_namespaces "$lab")" ]
	[ -n "$(lab_processes "$lab")" ]
	run arsemu down "$lab"
	assert_success
	assert_equal "$(lab_namespaces "$lab")" ""
	assert_equal "$(lab_processes "$lab")" ""
	[ ! -e "/run/arsemu/$lab" ]
	diff <(host_snapshot) "$SNAP"
}

@test "up: a failed up undoes everything it built" {
	require_root
	local lab=$ARSEMU_T-fail
	# a namespace in the way of the 5th node makes the build fail half-way
	ip netns add "arsemu-$lab-spoke1-vm1"
	run arsemu up "$TOP/examples/single-hub.json" --name "$lab"
	ip netns del "arsemu-$lab-spoke1-vm1"
	assert_failure 3
	assert_output --partial "spoke1-vm1"
	assert_equal "$(lab_namespaces "$lab")" ""
	assert_equal "$(lab_processes "$lab")" ""
	[ ! -e "/run/arsemu/$lab" ]
	diff <(host_snapshot) "$SNAP"
}

@test "up: a second up with the same lab name is refused" {
	require_root
	local lab=$ARSEMU_T-twice
	arsemu up "$TOP/examples/single-hub.json" --name "$lab"
	run arsemu up "$TOP/examples/single-hub.json" --name "$lab"
	assert_failure
	assert_output --partial "already up"
	run arsemu status --name "$lab"
	assert_success
	assert_output --partial converged
}

@test "exec and routes on an unknown node give a clear error and status 2" {
	require_root
	local lab=$ARSEMU_T-err
	arsemu up "$TOP/examples/single-hub.json" --name "$lab"
	run arsemu routes nosuchvm --name "$lab"
	assert_failure 2
	assert_output --partial "no NIC named nosuchvm"
	run arsemu exec nosuchvm --name "$lab" -- true
	assert_failure 2
	assert_output --partial "no node nosuchvm"
}

@test "RS-24: NO_ADVERTISE from an NVA is programmed into the VNet but advertised to no other NVA" {
	require_root
	local lab=$ARSEMU_T-na topo
	topo=$(example_as "$TOP/examples/single-hub.json" "$lab" \
		's/"advertise": \["10.250.0.0\/16"\] }/"advertise": ["10.250.0.0\/16"], "communities": ["65535:65282"] }/')
	grep -q 65535:65282 "$topo" || fail "the edit did not apply"
	arsemu up "$topo"
	run arsemu routes spoke1-vm1 --name "$lab"
	assert_line --regexp '^VirtualNetworkGateway +Active +10\.250\.0\.0/16 +VirtualNetworkGateway +10\.1\.2\.4$'
	run arsemu rs hub advertised fw --name "$lab"
	assert_success
	refute_output --partial "10.250.0.0/16"
	run arsemu rs hub learned sdwan --name "$lab"
	assert_output --partial "10.250.0.0/16"
}
