#!/usr/bin/env bats
# Azure fidelity, rule by rule (issue 4): route tables, the Internet edge,
# None drops, Route Server corner cases, and `arsemu plan` against the live
# lab. Every example in examples/ is validated, planned against its golden
# files (make golden), and brought up.

load helpers

teardown() { down_labs; }

nics() { ARSEMU="$ARSEMU" sh "$TOP/test/golden/nics.sh" "$1"; }

# Ip counters of a node (field names of /proc/net/snmp).
ip_counter() {
	"$ARSEMU" exec --name "$1" "$2" -- cat /proc/net/snmp |
		awk -v k="$3" '/^Ip: [A-Z]/{for (i = 2; i <= NF; i++) f[$i] = i}
		    /^Ip: [0-9]/{print $f[k]}'
}

# Packets sent out of a link of the fabric.
fabric_tx() {
	"$ARSEMU" exec --name "$1" fabric -- ip -s link show dev "$2" |
		awk '/TX:/{getline; print $2; exit}'
}

@test "validate: every example is valid; RS-04/U-04 an NVA peering with one instance is a warning, exit 0" {
	local f
	for f in "$TOP"/examples/*.json; do
		run arsemu validate "$f"
		assert_success
	done
	run arsemu validate "$TOP/examples/one-instance.json"
	assert_success
	assert_output --partial "warning"
	assert_output --partial "(RS-04)"
	assert_output --partial "hub-rs1 lists no such peering"
	run arsemu validate "$TOP/examples/single-hub.json"
	refute_output --partial "(RS-04)"
}

@test "plan: every example and NIC equals its golden file (make golden), without root" {
	local f ex nic n=0
	for f in $(sh "$TOP/test/golden/examples.sh"); do
		ex=$(basename "$f" .json)
		for nic in $(nics "$f"); do
			[ -f "$TOP/test/golden/$ex.${nic//\//+}.json" ] ||
				fail "no golden file for $ex $nic: run make golden"
			diff -u "$TOP/test/golden/$ex.${nic//\//+}.json" \
				<(as_nobody "$NOBODY_ARSEMU" plan \
				"$NOBODY_TOP/examples/$ex.json" "$nic" --json 2>/dev/null) ||
				fail "plan $ex $nic differs from its golden file"
			n=$((n + 1))
		done
	done
	[ "$(ls "$TOP"/test/golden/*.json | wc -l)" -eq "$n" ] ||
		fail "stale golden files: $n NICs, $(ls "$TOP"/test/golden/*.json | wc -l) files"
	echo "# $n NICs planned" >&3
}

@test "plan: an unknown NIC is a usage error; CLI-01 text columns as az -o table" {
	run arsemu plan "$TOP/examples/single-hub.json" nosuch
	assert_failure 2
	assert_output --partial "no NIC named nosuch"
	run arsemu plan "$TOP/examples/single-hub.json" spoke1-vm1
	assert_success
	assert_line --index 0 --regexp '^Source +State +Address Prefix +Next Hop Type +Next Hop IP$'
}

@test "plan == routes: every example up, plan --json and routes --json byte for byte for every NIC" {
	require_root
	local f ex nic lab i=0 n=0
	for f in $(sh "$TOP/test/golden/examples.sh"); do
		ex=$(basename "$f" .json)
		lab=$ARSEMU_T-pr$i
		i=$((i + 1))
		run arsemu up "$f" --name "$lab"
		assert_success
		for nic in $(nics "$f"); do
			diff -u <("$ARSEMU" plan "$f" "$nic" --json 2>/dev/null) \
				<("$ARSEMU" routes "$nic" --name "$lab" --json) ||
				fail "$ex: plan and routes differ for $nic"
			diff -u <("$ARSEMU" plan "$f" "$nic" 2>/dev/null) \
				<("$ARSEMU" routes "$nic" --name "$lab") ||
				fail "$ex: plan and routes text differ for $nic"
			n=$((n + 1))
		done
		run arsemu down "$lab"
		assert_success
	done
	echo "# $n NICs compared in $i labs" >&3
}

@test "Internet edge: a VM pings 8.8.8.8, answered by the internet namespace through the fabric (VR-01)" {
	require_root
	local lab=$ARSEMU_T-inet
	arsemu up "$TOP/examples/udr-firewall.json" --name "$lab"
	local tx0 del0
	tx0=$(fabric_tx "$lab" inet)
	del0=$(ip_counter "$lab" internet InDelivers)
	run arsemu exec spoke1-vm1 --name "$lab" -- ping -c2 -i0.2 -W2 8.8.8.8
	assert_success
	assert_output --partial "from 8.8.8.8"
	(( $(fabric_tx "$lab" inet) >= tx0 + 2 )) || fail "nothing left the fabric towards the edge"
	(( $(ip_counter "$lab" internet InDelivers) >= del0 + 2 )) || fail "the edge did not answer"
	run arsemu exec spoke1-vm1 --name "$lab" -- ping -c1 -W2 203.0.113.77
	assert_success
}

@test "None: VR-08 a None UDR and VR-01 the reserved 10.0.0.0/8 drop silently and count in the drop counter" {
	require_root
	local lab=$ARSEMU_T-none
	arsemu up "$TOP/examples/udr-firewall.json" --name "$lab"
	local tx0 drops0
	tx0=$(fabric_tx "$lab" none0)
	drops0=$(ip_counter "$lab" internet InAddrErrors)
	run arsemu exec spoke1-vm1 --name "$lab" -- ping -c3 -i0.2 -W1 198.51.100.7
	assert_failure
	refute_output --partial "Unreachable"
	(( $(ip_counter "$lab" internet InAddrErrors) == drops0 + 3 )) ||
		fail "3 drops expected, counter $drops0 -> $(ip_counter "$lab" internet InAddrErrors)"
	(( $(fabric_tx "$lab" none0) >= tx0 + 3 )) || fail "none0 tx counter did not grow"
	run arsemu exec spoke1-vm1 --name "$lab" -- ping -c2 -i0.2 -W1 10.99.0.1
	assert_failure
	(( $(ip_counter "$lab" internet InAddrErrors) == drops0 + 5 )) ||
		fail "the reserved 10.0.0.0/8 None route did not count its drops"
}

@test "PE-02/VR-08: spoke to spoke through the hub firewall by route tables; PE-01 without them, dropped" {
	require_root
	local lab=$ARSEMU_T-udr
	arsemu up "$TOP/examples/udr-firewall.json" --name "$lab"
	run arsemu routes spoke1-vm1 --name "$lab"
	assert_line --regexp '^User +Active +10\.3\.0\.0/16 +VirtualAppliance +10\.1\.2\.4$'
	run arsemu routes spoke1-vm1 --name "$lab" --json
	assert_output --partial '"name": "to-spoke2"'
	local before after
	before=$(ip_forwarded "$lab" fw)
	run arsemu exec spoke1-vm1 --name "$lab" -- ping -c2 -i0.2 -W2 10.3.1.4
	assert_success
	after=$(ip_forwarded "$lab" fw)
	(( after >= before + 4 )) || fail "fw forwarded $before -> $after (requests and replies)"
	arsemu down "$lab"

	local topo
	topo=$(example_as "$TOP/examples/udr-firewall.json" "$lab" \
		's#"subnets": \["spoke[12]/app"\]#"subnets": []#')
	arsemu up "$topo"
	run arsemu exec spoke1-vm1 --name "$lab" -- ping -c1 -W1 10.3.1.4
	assert_failure
}

@test "RS-22: 0/0 from an NVA loops on its own subnet (real packets); the UDR 0/0 -> Internet on the NVA subnet fixes it" {
	require_root
	local lab=$ARSEMU_T-loop
	local topo before after
	topo=$(example_as "$TOP/examples/internet-egress.json" "$lab" \
		's#"subnets": \["hub/nva"\]#"subnets": []#')
	arsemu up "$topo"
	run arsemu routes fw --name "$lab"
	assert_line --regexp '^VirtualNetworkGateway +Active +0\.0\.0\.0/0 +VirtualNetworkGateway +10\.1\.2\.4$'
	before=$(ip_forwarded "$lab" fw)
	run arsemu exec spoke1-vm1 --name "$lab" -- ping -c1 -W2 8.8.8.8
	assert_failure
	assert_output --partial "Time to live exceeded"
	after=$(ip_forwarded "$lab" fw)
	echo "# the loop: fw forwarded one ping $((after - before)) times" >&3
	(( after >= before + 10 )) || fail "fw forwarded $before -> $after: no loop"
	arsemu down "$lab"

	lab=$ARSEMU_T-egress
	arsemu up "$TOP/examples/internet-egress.json" --name "$lab"
	run arsemu routes fw --name "$lab"
	assert_line --regexp '^User +Active +0\.0\.0\.0/0 +Internet'
	assert_line --regexp '^VirtualNetworkGateway +Invalid +0\.0\.0\.0/0 +VirtualNetworkGateway +10\.1\.2\.4$'
	before=$(ip_forwarded "$lab" fw)
	run arsemu exec spoke1-vm1 --name "$lab" -- ping -c2 -i0.2 -W2 8.8.8.8
	assert_success
	after=$(ip_forwarded "$lab" fw)
	(( after >= before + 2 && after <= before + 4 )) ||
		fail "fw forwarded $before -> $after: the spoke's pings go through it once"
}

@test "VR-07: disableBgpRoutePropagation removes Route Server routes (JSON shows it, CLI-01); a UDR still applies" {
	require_root
	local lab=$ARSEMU_T-noprop
	arsemu up "$TOP/examples/no-propagation.json" --name "$lab"
	run arsemu routes db1 --name "$lab"
	refute_output --partial "VirtualNetworkGateway"
	run arsemu routes db1 --name "$lab" --json
	assert_output --partial '"disableBgpRoutePropagation": true'
	refute_output --partial '"disableBgpRoutePropagation": false'
	run arsemu routes web1 --name "$lab" --json
	refute_output --partial '"disableBgpRoutePropagation": true'
	run arsemu exec db1 --name "$lab" -- ping -c1 -W1 10.250.0.1
	assert_failure
	run arsemu exec web1 --name "$lab" -- ping -c1 -W2 10.250.0.1
	assert_success
	run arsemu routes app1 --name "$lab"
	assert_line --regexp '^User +Active +10\.250\.0\.0/16 +VirtualAppliance +10\.1\.2\.4$'
	refute_output --partial "VirtualNetworkGateway"
	run arsemu exec app1 --name "$lab" -- ping -c1 -W2 10.250.0.1
	assert_success
}

@test "RS-53: BGP cannot steer subnet to subnet inside a VNet; a UDR sends it through the NVA" {
	require_root
	local lab=$ARSEMU_T-intra
	arsemu up "$TOP/examples/intra-vnet.json" --name "$lab"
	run arsemu rs hub learned fw --name "$lab"
	assert_output --partial "10.1.4.0/24"
	run arsemu routes web1 --name "$lab"
	refute_line --regexp '^VirtualNetworkGateway .*10\.1\.4\.0/24'
	assert_line --regexp '^User +Active +10\.1\.4\.0/24 +VirtualAppliance +10\.1\.2\.4$'
	local before after
	before=$(ip_forwarded "$lab" fw)
	run arsemu exec web1 --name "$lab" -- ping -c2 -i0.2 -W2 10.1.4.4
	assert_success
	after=$(ip_forwarded "$lab" fw)
	(( after >= before + 4 )) || fail "fw forwarded $before -> $after"
}

@test "RS-04/U-04: one-instance peer's routes are programmed, the other instance lists no such peering; D-10 source VirtualNetworkGateway" {
	require_root
	local lab=$ARSEMU_T-half
	run arsemu up "$TOP/examples/one-instance.json" --name "$lab"
	assert_success
	assert_output --partial "(RS-04)"
	run arsemu rs hub peers --name "$lab"
	assert_line --regexp '^hub-rs0 +half +10\.1\.2\.4 +65001 +Established'
	refute_line --regexp '^hub-rs1 +half '
	assert_line --regexp '^hub-rs1 +full +10\.1\.2\.5 +65002 +Established'
	run arsemu routes spoke1-vm1 --name "$lab"
	assert_line --regexp '^VirtualNetworkGateway +Active +10\.250\.0\.0/16 +VirtualNetworkGateway +10\.1\.2\.4$'
	refute_line --regexp '^Default .*10\.250\.0\.0/16'
}

@test "CLI-04: rs HUB show --json has az network routeserver show's fields" {
	require_root
	local lab=$ARSEMU_T-show
	arsemu up "$TOP/examples/single-hub.json" --name "$lab"
	run arsemu rs hub show --name "$lab" --json
	assert_success
	assert_output --partial '"type": "Microsoft.Network/virtualHubs"'
	assert_output --partial '"kind": "RouteServer"'
	assert_output --partial '"virtualRouterAsn": 65515'
	assert_output --partial '"allowBranchToBranchTraffic": false'
	assert_output --partial '"hubRoutingPreference": "ExpressRoute"'
	assert_output --partial '"minCapacity": 2'
	assert_output --partial '"provisioningState": "Succeeded"'
	assert_output --partial '"routingState": "Provisioned"'
	assert_output --partial '"sku": "Standard"'
	echo "$output" | grep -A3 '"virtualRouterIps"' | grep -q '"10.1.1.4"'
	echo "$output" | grep -A3 '"virtualRouterIps"' | grep -q '"10.1.1.5"'
	run arsemu rs hub show --name "$lab"
	assert_line --regexp '^Routing state +Provisioned$'
}

@test "RS-26: lab links are IPv4 only and lean: no IPv6 link-local on a NIC's eth0, one queue each way on both ends" {
	require_root
	local lab=$ARSEMU_T-v4 node i
	run arsemu up "$TOP/examples/single-hub.json" --name "$lab" --wait 60
	assert_success
	for node in $(arsemu nodes "$TOP/examples/single-hub.json" | awk '$2 ~ /^(vm|nva|route-server)$/ { print $1 }'); do
		run arsemu exec --name "$lab" "$node" -- ip -6 addr show dev eth0
		assert_success
		refute_output --partial "inet6" || fail "$node: eth0 has an IPv6 address"
		run arsemu exec --name "$lab" "$node" -- ip -d link show dev eth0
		assert_output --partial "numtxqueues 1 numrxqueues 1"
	done
	for i in 0 1 2 3 4; do
		run arsemu exec --name "$lab" fabric -- ip -d link show dev "n$i"
		assert_output --partial "numtxqueues 1 numrxqueues 1"
	done
}
