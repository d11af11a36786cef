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
	local table
	table=$(nic_table_of "$lab" n4 10.250.0.0/16) || fail "no table of n4 holds 10.250.0.0/16"
	arsemu exec fabric --name "$lab" -- ip route del 10.250.0.0/16 table "$table"
	# the packet now takes the firewall's default route and still arrives:
	# the observed path crosses fw, which the model says it does not
	run arsemu walk spoke1-vm1 branch-h1 --name "$lab"
	assert_failure 1
	assert_output --regexp "observed: delivered; forwarded by: .*fw"
	assert_output --partial "MISMATCH: fw forwarded the probes, the model does not cross it"
}

POL=$TOP/examples/fw-filter.json

# The outcome line of the first walk printed.
outcome() { echo "$output" | grep -m1 -E 'predicted( \(offline\))?:' | sed 's/.*predicted[^:]*: //'; }

@test "walk outcome 'no route': an address of a site prefix that no host has, offline and live (observed not delivered)" {
	run arsemu walk vm1 10.250.9.9 --topo "$OUT"
	assert_success
	assert_equal "$(outcome)" "no route: no host of site branch has the address"
	require_root
	local lab=$ARSEMU_T-wnr
	arsemu up "$OUT" --name "$lab"
	run arsemu walk vm1 10.250.9.9 --name "$lab"
	assert_success
	assert_output --partial "predicted: no route: no host of site branch has the address"
	assert_output --partial "observed: not delivered; forwarded by: sdwan"
	assert_output --partial "  match"
}

@test "walk outcome 'blackholed': VR-08 a None UDR, offline and live; 'not forwarded': a VM as next hop, live" {
	run arsemu walk vm1 h2 --topo "$OUT" --json
	assert_success
	assert_output --partial '"outcome": "blackholed"'
	assert_output --partial '"detail": "NIC vm1: User 10.250.2.0/24 None (longest prefix /24)"'
	require_root
	local lab=$ARSEMU_T-wbh
	arsemu up "$OUT" --name "$lab"
	run arsemu walk vm1 h2 --name "$lab"
	assert_success
	assert_output --partial "observed: not delivered; forwarded by: (no node)"
	assert_output --partial "  match"
	run arsemu walk vm1 10.250.3.1 --name "$lab" --proto icmp
	assert_success
	assert_output --partial "predicted: not forwarded: vm2 is not an NVA and does not forward"
	assert_output --partial "stopped at: vm2"
	assert_output --partial "  match"
}

@test "walk outcome 'loop': RS-22 live, the repeating hop named, the firewall seen forwarding the looping probes" {
	require_root
	local lab=$ARSEMU_T-wl
	arsemu up "$TOP/examples/single-hub.json" --name "$lab"
	run arsemu walk spoke1-vm1 internet --name "$lab" --proto icmp
	assert_success
	assert_output --partial "predicted: loop: back at fw: the packet loops"
	assert_output --partial "observed: not delivered; forwarded by: fw"
	assert_output --partial "  match"
}

@test "walk outcome 'denied by an NVA's filter': offline names the NVA, the rule and its JSON path; an allow rule is named; no root" {
	run as_nobody "$NOBODY_ARSEMU" walk spoke1-vm1 spoke2-vm1 --proto tcp \
		--port 22 --topo "$NOBODY_TOP/examples/fw-filter.json"
	assert_success
	assert_equal "$(outcome)" "denied by an NVA's filter: fw: rule regions[0].hub.nvas[0].filter[1] (deny tcp 10.2.0.0/16 -> 10.3.0.0/16 port 22)"
	assert_output --regexp "2  fw +filter rule regions\[0\]\.hub\.nvas\[0\]\.filter\[1\] denies"
	# another port, another protocol: forwarded
	run arsemu walk spoke1-vm1 spoke2-vm1 --proto tcp --port 443 --topo "$POL"
	assert_equal "$(outcome)" "delivered"
	run arsemu walk spoke1-vm1 spoke2-vm1 --proto udp --port 22 --topo "$POL"
	assert_equal "$(outcome)" "delivered"
	# first match wins: ICMP from spoke2 is allowed before "deny from spoke2"
	run arsemu walk spoke2-vm1 spoke1-vm1 --proto icmp --topo "$POL"
	assert_equal "$(outcome)" "delivered"
	assert_output --partial "allowed by rule regions[0].hub.nvas[0].filter[0]"
	run arsemu walk spoke2-vm1 spoke1-vm1 --topo "$POL" --json
	assert_output --partial '"outcome": "denied by an NVA'"'"'s filter"'
	assert_output --partial 'filter[2] (deny any 10.3.0.0/16 -> 0.0.0.0/0)'
	assert_output --partial '"filterRule": "regions[0].hub.nvas[0].filter[2]"'
	# what the firewall sends itself is not filtered
	run arsemu walk fw spoke2-vm1 --proto tcp --port 22 --topo "$POL"
	assert_equal "$(outcome)" "delivered"
}

@test "walk live: an NVA's filter drops real packets at the NVA (TCP SYNs, UDP); observed stopped at fw, the comparison agrees" {
	require_root
	local lab=$ARSEMU_T-wfl
	arsemu up "$POL" --name "$lab"
	run arsemu exec fw --name "$lab" -- ip rule
	assert_output --regexp "102:.*from 10\.2\.0\.0/16 to 10\.3\.0\.0/16 ipproto tcp dport 22 blackhole"
	run arsemu walk spoke1-vm1 spoke2-vm1 --name "$lab" --proto tcp --port 22
	assert_success
	assert_output --partial "predicted: denied by an NVA's filter: fw: rule regions[0].hub.nvas[0].filter[1]"
	assert_output --partial "observed: not delivered; forwarded by: (no node); stopped at: fw"
	assert_output --partial "  match"
	run arsemu walk spoke1-vm1 spoke2-vm1 --name "$lab" --proto tcp --port 80
	assert_success
	assert_output --partial "observed: delivered; forwarded by: fw"
	run arsemu walk spoke2-vm1 spoke1-vm1 --name "$lab" --json
	assert_success
	assert_output --partial '"stoppedAt": ['
	assert_output --partial '"match": true'
	# without arsemu: ping gets through (ICMP is allowed both ways; the
	# filter is stateless, so spoke2's answers to TCP are denied by rule 2)
	run arsemu exec spoke1-vm1 --name "$lab" -- ping -c1 -W2 10.3.1.4
	assert_success
}

@test "walk outcome 'denied by a peering': PE-02 allow_forwarded_traffic false drops what the hub NVA forwards into the spoke (live and offline); hub-originated traffic passes" {
	run arsemu walk spoke1-vm1 spoke3-vm1 --topo "$POL"
	assert_success
	assert_equal "$(outcome)" "denied by a peering: spoke3's peering to hub has allow_forwarded_traffic false (regions[0].spokes[2]): fw forwarded a packet from 10.2.1.4, outside hub's address space"
	run arsemu walk spoke1-vm1 spoke3-vm1 --topo "$POL" --json
	assert_output --partial '"refusedBy": "regions[0].spokes[2]"'
	run arsemu walk fw spoke3-vm1 --topo "$POL"
	assert_equal "$(outcome)" "delivered"
	run arsemu walk hub-vm1 spoke3-vm1 --topo "$POL"
	assert_equal "$(outcome)" "delivered"
	run arsemu walk spoke3-vm1 spoke1-vm1 --topo "$POL"
	assert_equal "$(outcome)" "delivered"
	require_root
	local lab=$ARSEMU_T-wpe
	arsemu up "$POL" --name "$lab"
	local before after
	before=$(ip_forwarded "$lab" fw)
	run arsemu exec spoke1-vm1 --name "$lab" -- ping -c2 -i0.2 -W1 10.4.1.4
	assert_failure
	after=$(ip_forwarded "$lab" fw)
	(( after >= before + 2 )) || fail "fw forwarded $before -> $after: the fabric, not fw, must drop"
	run arsemu exec fw --name "$lab" -- ping -c1 -W2 10.4.1.4
	assert_success
	run arsemu exec hub-vm1 --name "$lab" -- ping -c1 -W2 10.4.1.4
	assert_success
	run arsemu walk spoke1-vm1 spoke3-vm1 --name "$lab" --proto tcp
	assert_success
	assert_output --partial "observed: not delivered; forwarded by: fw"
	assert_output --partial "  match"
}

@test "walk offline: PE-02 allow_forwarded_traffic false does not refuse gateway transit (on-premises through the hub's gateway)" {
	local topo
	topo=$(example_as "$TOP/examples/expressroute.json" xr \
		's#"use_remote_gateways": true#"use_remote_gateways": true, "allow_forwarded_traffic": false#')
	grep -q '"allow_forwarded_traffic": false' "$topo" || fail "the edit did not apply"
	run arsemu walk dc-h1 spoke1-vm1 --topo "$topo"
	assert_success
	assert_equal "$(outcome)" "delivered"
}

@test "walk --proto tcp live: RS-33 SYNs over the active-active firewalls to a DC host, both ways, every flow matching" {
	require_root
	local lab=$ARSEMU_T-wtcp
	arsemu up "$TOP/examples/active-active.json" --name "$lab"
	run arsemu walk spoke1-vm1 dc-h1 --name "$lab" --proto tcp --port 443 --flows 6 --both-ways
	assert_success
	refute_output --partial MISMATCH
	assert_output --regexp "forward: spoke1-vm1 -> 10\.250\.0\.1 \(tcp port 443\)"
	assert_output --regexp "observed: delivered; forwarded by: fw[12] dc-edge"
	[ "$(echo "$output" | grep -c '^  match$')" -eq 12 ] || fail "12 walks should match"
	# nothing is left behind in the destination's namespace
	run arsemu exec dc-h1 --name "$lab" -- ip rule
	refute_output --partial "ipproto tcp"
}

@test "walk --both-ways: a return that crosses the forward walk's NVAs in the opposite order is symmetric; one that skips them is flagged (offline)" {
	local t="$BATS_TEST_TMPDIR/ge-nogw.json"
	# cross-region: uks-fw1 then weu-fw1 out, weu-fw1 then uks-fw1 back
	run arsemu walk uks-vm1 weu-vm1 --both-ways --offline --topo "$TOP/examples/global-enterprise.json"
	assert_success
	refute_output --partial 'asymmetric'
	# without GatewaySubnet's route tables HQ answers past the NVA
	python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
t["route_tables"] = [r for r in t["route_tables"] if not r["name"].startswith("gw-")]
json.dump(t, open(sys.argv[2], "w"))
' "$TOP/examples/global-enterprise.json" "$t"
	run arsemu walk uks-vm1 hq-h1 --both-ways --offline --topo "$t"
	assert_success
	assert_output --partial 'is asymmetric: forward through uks-fw1, return through no NVA'
}
