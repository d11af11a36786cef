#!/usr/bin/env bats
# Gateways (issue 5): ExpressRoute end to end in namespaces: gateway
# instances, the circuit's MSEE, the site's edge speaking BGP.

load helpers

teardown() { down_labs; }

@test "expressroute: validate and plan without root; GW-01 nodes" {
	run arsemu validate "$TOP/examples/expressroute.json"
	assert_success
	run arsemu nodes "$TOP/examples/expressroute.json"
	assert_success
	assert_output --regexp 'hub-er0 +gateway +hub +10\.1\.0\.4'
	assert_output --regexp 'hub-er1 +gateway +hub +10\.1\.0\.5'
	assert_output --regexp 'hub-er-msee +msee'
	run arsemu plan "$TOP/examples/expressroute.json" spoke1-vm1
	assert_success
	assert_output --regexp 'VirtualNetworkGateway +Active +172\.16\.0\.0/16 +VirtualNetworkGateway +10\.1\.0\.4'
	assert_output --regexp 'VirtualNetworkGateway +Active +172\.16\.0\.0/16 +VirtualNetworkGateway +10\.1\.0\.5'
}

@test "expressroute: VR-04/VR-11 on-premises prefix via both gateway instances; CLI-06 learned and advertised" {
	require_root
	local lab=$ARSEMU_T-er
	run arsemu up "$TOP/examples/expressroute.json" --name "$lab"
	assert_success
	run arsemu routes spoke1-vm1 --name "$lab"
	assert_success
	assert_output --regexp 'VirtualNetworkGateway +Active +172\.16\.0\.0/16 +VirtualNetworkGateway +10\.1\.0\.4'
	assert_output --regexp 'VirtualNetworkGateway +Active +172\.16\.0\.0/16 +VirtualNetworkGateway +10\.1\.0\.5'
	run arsemu gateway er learned --name "$lab" --json
	assert_success
	# CLI-06: {"value": [...]}; EBgp with asPath 12076-<site asn>; VNet prefixes origin Network
	echo "$output" | python3 -c '
import json, sys
v = json.load(sys.stdin)["value"]
assert any(e["network"] == "172.16.0.0/16" and e["asPath"] == "12076-64512" and e["origin"] == "EBgp" for e in v), v
assert any(e["network"] == "10.2.0.0/16" and e["origin"] == "Network" and e["asPath"] == "" and e["weight"] == 32768 for e in v), v
assert {e["localAddress"] for e in v} == {"10.1.0.4", "10.1.0.5"}, v
assert not any("65515" in e["asPath"] for e in v), v
'
	run arsemu gateway er advertised --name "$lab"
	assert_success
	assert_output --regexp 'hub-er0 +10\.2\.0\.0/16 +10\.1\.0\.4 +65515 +Igp'
	run arsemu gateway nosuch learned --name "$lab"
	assert_failure
}

@test "expressroute: GW-08 the MSEE tags the spoke's prefix with its community (12076:20001) and West Europe's (12076:50002) towards the data centre, the hub's (no community of its own) with none" {
	require_root
	local lab=$ARSEMU_T-er8
	run arsemu up "$TOP/examples/expressroute.json" --name "$lab"
	assert_success
	run arsemu rsctl --control "/run/arsemu/$lab/dc-edge.sock" rib --json
	assert_success
	echo "$output" | python3 -c '
import json, sys
rib = {r["network"]: r for r in json.load(sys.stdin)}
assert rib["10.2.0.0/16"]["communities"] == ["12076:20001", "12076:50002"], rib["10.2.0.0/16"]
assert rib["10.1.0.0/16"]["communities"] == [], rib["10.1.0.0/16"]
assert rib["10.2.0.0/16"]["asPath"] == "12076-65515", rib["10.2.0.0/16"]
'
	# what the gateway sent the MSEE carries none: the MSEE adds them
	run arsemu rsctl --control "/run/arsemu/$lab/hub-er-msee.sock" rib --json
	assert_success
	echo "$output" | python3 -c '
import json, sys
rib = {r["network"]: r for r in json.load(sys.stdin)}
assert rib["10.2.0.0/16"]["communities"] == [], rib["10.2.0.0/16"]
'
}

@test "expressroute: a spoke VM and a data-centre host reach each other over the circuit; walk crosses gateway and MSEE" {
	require_root
	local lab=$ARSEMU_T-er2
	run arsemu up "$TOP/examples/expressroute.json" --name "$lab"
	assert_success
	run arsemu exec spoke1-vm1 --name "$lab" -- ping -c 2 -W 2 172.16.0.10
	assert_success
	run arsemu exec dc-h1 --name "$lab" -- ping -c 2 -W 2 10.1.2.4
	assert_success
	run arsemu walk spoke1-vm1 172.16.0.10 --name "$lab" --both-ways --flows 4
	assert_success
	assert_output --partial 'hub-er-msee'
	refute_output --partial 'MISMATCH'
	# The site's edge learned the VNet prefixes from the MSEE.
	run arsemu exec dc-edge --name "$lab" -- ip route show 10.2.0.0/16
	assert_output --partial 'via 169.254.21.'
}

@test "er-vpn: GW-09 ER (path 2) wins over VPN (path 4) for the same prefix; GW-03 one BGP tunnel per VPN instance" {
	require_root
	local lab=$ARSEMU_T-ev
	run arsemu up "$TOP/examples/er-vpn.json" --name "$lab"
	assert_success
	run arsemu routes spoke1-vm1 --name "$lab"
	assert_output --regexp '172\.16\.0\.0/16 +VirtualNetworkGateway +10\.1\.0\.4'
	refute_output --regexp '172\.16\.0\.0/16 +VirtualNetworkGateway +10\.1\.0\.6'
	run arsemu gateway vpn learned --name "$lab"
	assert_output --regexp 'hub-vpn0 +172\.16\.0\.0/16 +169\.254\.21\.[0-9]+ +64512-64512-64512-64512 +EBgp'
	assert_output --regexp 'hub-vpn1 +172\.16\.0\.0/16 +169\.254\.21\.[0-9]+ +64512-64512-64512-64512 +EBgp'
	run arsemu gateway er learned --name "$lab"
	assert_output --regexp 'hub-er0 +172\.16\.0\.0/16 +169\.254\.21\.[0-9]+ +12076-64512 +EBgp'
	# GW-04: the branch hears the VNet prefixes over both tunnels, no default route.
	run arsemu exec dc-edge --name "$lab" -- ip route show proto 222
	assert_output --partial '10.2.0.0/16'
	refute_output --partial 'default'
	run arsemu exec spoke1-vm1 --name "$lab" -- ping -c 2 -W 2 172.16.0.10
	assert_success
}

@test "er-vpn drill: GW-09 the MSEE fails, traffic moves to the VPN gateway and back, no loss" {
	require_root
	run arsemu drill "$TOP/examples/drills/er-failover.json" --name "$ARSEMU_T-ef"
	assert_success
	assert_output --regexp 'spoke1-vm1 172\.16\.0\.0/16 via 10\.1\.0\.6 is active'
	refute_output --partial 'FAIL'
}

@test "vpn-static: GW-03 a static connection: the local network prefix via the single instance, ping both ways" {
	require_root
	local lab=$ARSEMU_T-vs
	run arsemu up "$TOP/examples/vpn-static.json" --name "$lab"
	assert_success
	run arsemu routes spoke1-vm1 --name "$lab"
	assert_output --regexp 'VirtualNetworkGateway +Active +192\.168\.10\.0/24 +VirtualNetworkGateway +10\.1\.0\.4'
	run arsemu exec spoke1-vm1 --name "$lab" -- ping -c 2 -W 2 192.168.10.10
	assert_success
	run arsemu exec branch-h1 --name "$lab" -- ping -c 2 -W 2 10.2.1.4
	assert_success
}

@test "multi-region: RS-52 NVA-to-NVA BGP over an overlay with as-override (RS-20): spoke to spoke crosses both NVAs" {
	require_root
	local lab=$ARSEMU_T-mr
	run arsemu up "$TOP/examples/multi-region.json" --name "$lab"
	assert_success
	run arsemu routes uks-vm1 --name "$lab"
	assert_output --regexp 'VirtualNetworkGateway +Active +10\.12\.0\.0/16 +VirtualNetworkGateway +10\.1\.2\.4'
	run arsemu routes nva-uks --name "$lab"
	assert_output --regexp 'Default +Active +10\.11\.0\.0/16 +VNetGlobalPeering'
	# RS-20: the overridden path has no 65515, so the Route Server keeps it.
	run arsemu rs hub-uks learned nva-uks --name "$lab"
	assert_output --regexp 'hub-uks-rs0 +10\.12\.0\.0/16 +10\.1\.2\.4 +65001-65002-65002 +EBgp'
	run arsemu exec uks-vm1 --name "$lab" -- ping -c 2 -W 2 10.12.1.4
	assert_success
	run arsemu walk uks-vm1 10.12.1.4 --name "$lab" --both-ways
	assert_success
	assert_output --partial 'forwarded by: nva-uks nva-weu'
	refute_output --partial 'MISMATCH'
}

@test "multi-region-loop: RS-52 without the overlay the packet loops at the NVA, predicted and observed" {
	require_root
	local lab=$ARSEMU_T-ml
	run arsemu up "$TOP/examples/multi-region-loop.json" --name "$lab"
	assert_success
	run arsemu walk uks-vm1 10.12.1.4 --name "$lab"
	assert_output --partial 'loop: back at nva-uks'
	refute_output --partial 'MISMATCH'
	run arsemu walk uks-vm1 10.12.1.4 --offline --topo "$TOP/examples/multi-region-loop.json"
	assert_output --partial 'loop'
}

@test "global-enterprise: RS-52 spoke to spoke across regions through the local NVA pair (ECMP) and the remote NVA; ER to HQ in every hub" {
	require_root
	local lab=$ARSEMU_T-ge
	run arsemu up "$TOP/examples/global-enterprise.json" --name "$lab"
	assert_success
	# 16 flows cross both local firewalls (1 in 2^15 to fail)
	run arsemu walk uks-vm1 10.12.1.4 --name "$lab" --flows 16
	assert_success
	assert_output --partial 'forwarded by: uks-fw1 weu-fw1'
	assert_output --partial 'forwarded by: uks-fw2 weu-fw2'
	refute_output --partial 'MISMATCH'
	run arsemu routes us-vm1 --name "$lab"
	assert_output --regexp '172\.16\.0\.0/16 +VirtualNetworkGateway +10\.21\.0\.4'
	run arsemu exec us-vm1 --name "$lab" -- ping -c 2 -W 2 172.16.0.10
	assert_success
}

@test "global-enterprise drill: RS-33 a West Europe NVA fails, all flows use the surviving pair, and split again when it returns" {
	require_root
	run arsemu drill "$TOP/examples/drills/global-weu-nva-crash.json" --name "$ARSEMU_T-gd"
	assert_success
	assert_output --partial 'uks-vm1 10.12.0.0/16 via 10.1.2.4 is absent'
	refute_output --partial 'FAIL'
}

@test "sdwan-branches: RS-50/D-06 Route Server and gateways (the active-active VPN one too) speak iBGP (not listed as peers); RS-12/RS-13 branch-to-branch relays NVA, ER and VPN routes; every branch reaches every other" {
	require_root
	local lab=$ARSEMU_T-sw p
	run arsemu up "$TOP/examples/sdwan-branches.json" --name "$lab"
	assert_success
	# RS-50: the platform's sessions are up, but `rs peers` lists the NVA only
	run arsemu status --name "$lab"
	assert_output --regexp 'hub-rs0 +hub-er0 +Established'
	assert_output --regexp 'hub-rs1 +hub-vpn1 +Established'
	assert_output --regexp 'hub-er1 +hub-rs0 +Established'
	run arsemu rs hub peers --name "$lab"
	assert_output --partial 'sdwan'
	refute_output --partial 'hub-er0'
	refute_output --partial 'hub-vpn0'
	# RS-13: the NVA's branch and the VPN branches go to on-premises over ER
	run arsemu gateway er advertised --name "$lab"
	assert_output --regexp 'hub-er0 +10\.250\.3\.0/24 +10\.1\.0\.4 +65515-65010'
	assert_output --regexp 'hub-er0 +192\.168\.1\.0/24 +10\.1\.0\.4 +65515-65101'
	# RS-12/RS-13: the NVA hears the data centre (next hop: the ER gateway)
	run arsemu rs hub advertised sdwan --name "$lab"
	assert_output --regexp '172\.16\.0\.0/16 +10\.1\.0\.[45] +65515-12076-64512'
	# real packets, every pair
	for p in "dc-h1 10.250.3.10" "b3-h1 172.16.0.10" "b1-h1 172.16.0.10" \
	    "dc-h1 192.168.2.10" "b1-h1 192.168.2.10" "b2-h1 10.250.3.10"; do
		set -- $p
		run arsemu exec "$1" --name "$lab" -- ping -c1 -W2 "$2"
		[ "$status" = 0 ] || fail "$1 -> $2 lost"
	done
	# the walk, predicted and observed, agrees
	run arsemu walk dc-h1 b3-h1 --name "$lab"
	assert_success
	assert_output --regexp 'dc-edge +ExpressRoute connection to gateway er'
}

@test "sdwan-branches without branch-to-branch: RS-12 nothing crosses between NVA and gateways; the VPN branches still meet at the VPN gateway (GW-04)" {
	require_root
	local lab=$ARSEMU_T-sn f
	f=$(example_as "$TOP/examples/sdwan-branches.json" "$lab" 's/"branch_to_branch": true/"branch_to_branch": false/')
	# offline first: the data centre's edge learns nothing of the NVA's branch
	run arsemu walk dc-h1 b3-h1 --topo "$f"
	assert_output --partial 'no route: the edge of site dc learned no route'
	run arsemu up "$f" --name "$lab"
	assert_success
	run arsemu gateway er advertised --name "$lab"
	refute_output --partial '10.250.3.0/24'
	refute_output --partial '192.168.1.0/24'
	run arsemu rs hub advertised sdwan --name "$lab"
	refute_output --partial '172.16.0.0/16'
	run arsemu exec dc-h1 --name "$lab" -- ping -c1 -W1 10.250.3.10
	assert_failure
	run arsemu exec b1-h1 --name "$lab" -- ping -c1 -W1 172.16.0.10
	assert_failure
	run arsemu exec b1-h1 --name "$lab" -- ping -c1 -W2 192.168.2.10
	assert_success
	run arsemu walk dc-h1 b3-h1 --name "$lab"
	assert_success
	assert_output --partial 'no route'
}
