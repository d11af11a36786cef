#!/usr/bin/env bats
# Packet walks (issue 6): predicted hop by hop, observed with real probes,
# compared; every outcome; a model broken on purpose is caught.

load helpers

teardown() { down_labs; }

OUT=$BATS_TEST_DIRNAME/../walk/outcomes.json

hops() { awk '/predicted/{p=1; next} p && /^ +[0-9]+ /{print $2} /observed|^ flow [1-9]/{p=0}'; }

@test "walk offline: RS-23 single-hub spoke VM -> branch host through the SD-WAN NVA, hop by hop" {
	run arsemu walk spoke1-vm1 branch-h1 --topo "$TOP/examples/single-hub.json"
	assert_success
	assert_output --partial "predicted (offline): delivered"
	assert_output --regexp "NIC spoke1-vm1: VirtualNetworkGateway 10\.250\.0\.0/16 VirtualNetworkGateway -> 10\.1\.2\.4 \(longest prefix /16\)"
	assert_equal "$(echo "$output" | hops | tr '\n' ' ')" "spoke1-vm1 sdwan branch-edge branch-h1 "
}

@test "walk offline: RS-22 a 0.0.0.0/0 from an NVA loops at the NVA's own NIC" {
	run arsemu walk spoke1-vm1 internet --topo "$TOP/examples/single-hub.json"
	assert_success
	assert_output --partial "loop: back at fw"
	assert_output --partial "NIC fw: VirtualNetworkGateway 0.0.0.0/0 VirtualNetworkGateway -> 10.1.2.5"
}

@test "walk offline: every outcome (delivered, blackholed, not forwarded, no route, Internet)" {
	run arsemu walk vm1 h1 --topo "$OUT"
	assert_output --partial "predicted (offline): delivered"
	run arsemu walk vm1 h2 --topo "$OUT"
	assert_output --partial "blackholed: NIC vm1: User 10.250.2.0/24 None"
	run arsemu walk vm1 10.250.3.1 --topo "$OUT"
	assert_output --partial "not forwarded: vm2 is not an NVA"
	run arsemu walk vm1 10.250.9.9 --topo "$OUT"
	assert_output --partial "no route: no host of site branch has the address"
	run arsemu walk vm1 internet --topo "$OUT"
	assert_output --partial "predicted (offline): delivered"
	assert_output --regexp "internet +the Internet edge"
}

@test "walk: unknown nodes and addresses outside the lab are refused with status 2" {
	run arsemu walk vm1 nosuch --topo "$OUT"
	assert_failure 2
	assert_output --partial "no node named nosuch"
	run arsemu walk vm1 10.2.9.9 --topo "$OUT"
	assert_failure 2
	assert_output --partial "no NIC has the address 10.2.9.9"
	run arsemu walk vm1 192.168.7.7 --topo "$OUT"
	assert_failure 2
	assert_output --partial "private address outside the lab"
}

@test "walk live: predicted and observed agree on single-hub, both ways, UDP and ICMP" {
	require_root
	local lab=$ARSEMU_T-w
	arsemu up "$TOP/examples/single-hub.json" --name "$lab"
	run arsemu walk spoke1-vm1 branch-h1 --name "$lab" --both-ways
	assert_success
	assert_output --partial "observed: delivered; forwarded by: sdwan branch-edge"
	assert_output --partial "return: branch-h1 -> 10.2.1.4"
	refute_output --partial MISMATCH
	run arsemu walk spoke1-vm1 branch-h1 --name "$lab" --proto icmp --json
	assert_success
	assert_output --partial '"match": true'
	assert_output --partial '"forwardedBy": ['
}

@test "walk live: RS-33 --flows spreads over both active-active firewalls, each flow matching" {
	require_root
	local lab=$ARSEMU_T-wf
	arsemu up "$TOP/examples/active-active.json" --name "$lab"
	run arsemu walk spoke1-vm1 dc-h1 --name "$lab" --flows 16
	assert_success
	refute_output --partial MISMATCH
	assert_output --regexp "flows by NVA path: fw[12] [0-9]+/16"
	# 16 flows over two next hops: both are used (chance of one only: 2^-15)
	assert_output --partial "fw1 "
	assert_output --partial "fw2 "
}

@test "walk live: a frozen NVA -> dropped by a failed peer, predicted and observed" {
	require_root
	local lab=$ARSEMU_T-wd
	arsemu up "$TOP/examples/active-passive.json" --name "$lab"
	arsemu fail fw1 link --name "$lab"
	run arsemu walk spoke1-vm1 dc-h1 --name "$lab"
	assert_success
	assert_output --partial "dropped by a failed peer: fw1 is failed"
	assert_output --partial "observed: not delivered"
}

@test "walk live: a route removed from a NIC table by hand is a mismatch, exit 1" {
	require_root
	local lab=$ARSEMU_T-wm
	arsemu up "$TOP/examples/single-hub.json" --name "$lab"
	arsemu exec fabric --name "$lab" -- ip route del 10.250.0.0/16 table 1004
	# the packet now takes the firewall's default route and still arrives:
	# the observed path crosses fw, which the model says it does not
	run arsemu walk spoke1-vm1 branch-h1 --name "$lab"
	assert_failure 1
	assert_output --regexp "observed: delivered; forwarded by: .*fw"
	assert_output --partial "MISMATCH: fw forwarded the probes, the model does not cross it"
}
