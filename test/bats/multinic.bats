#!/usr/bin/env bats
# An NVA with a trusted and an untrusted NIC (NV-01..NV-04):
# examples/multi-nic-nva.json. validate's refusals at their JSON paths;
# plan's two tables for the firewall without root; live: the guest's eth0
# and eth1 with their routes, routes == plan for every NIC, packets in by
# the trusted NIC and out of either, the walk as predicted; a third NIC
# without IP forwarding drops transit both ways, live as predicted; down
# leaves nothing. examples/bgp-nva-two-nics.json (NV-05, NV-06): an NVA that
# speaks BGP from its primary with an untrusted extra NIC; live, what it
# learns from the Route Server is in its guest out of eth0 and wins over
# eth1's shorter guest route, routes == plan, the walks as predicted (a
# branch behind fw too: its site link is eth2, after the NICs).

load helpers

teardown() { down_labs; }

EX=$TOP/examples/multi-nic-nva.json

nics() { ARSEMU="$ARSEMU" sh "$TOP/test/golden/nics.sh" "$1"; }

# same_routes FILE LAB: every NIC's routes in the lab are those plan predicts.
same_routes() {
	local n
	for n in $(nics "$1"); do
		diff <(arsemu plan "$1" "$n" --json 2>/dev/null) \
		    <(arsemu routes "$n" --name "$2" --json) || return 1
	done
}

# The example with jq filter $1 applied, in a file of the test's own.
ex_with() {
	jq "$1" "$EX" > "$BATS_TEST_TMPDIR/x.json"
	echo "$BATS_TEST_TMPDIR/x.json"
}

@test "NV-01 validate: an extra NIC outside the NVA's VNet, a NIC name given twice, a VM's nics are refused at their JSON paths" {
	run arsemu validate "$EX"
	assert_success
	assert_output --partial "4 NICs"
	run arsemu validate "$(ex_with '.regions[0].hub.nvas[0].nics[0].subnet = "app"')"
	assert_failure 2
	assert_output --partial 'regions[0].hub.nvas[0].nics[0].subnet: VNet "hub" has no subnet "app": every NIC of a VM is in the VM'"'"'s VNet (NV-01)'
	run arsemu validate "$(ex_with '.regions[0].hub.subnets.dmz = "10.1.4.0/24" |
	    .regions[0].hub.nvas[0].nics += [{"name": "trusted", "subnet": "dmz"}]')"
	assert_failure 2
	assert_output --partial 'regions[0].hub.nvas[0].nics[1].name: NIC "fw/trusted" is declared twice'
	run arsemu validate "$(ex_with '.regions[0].spokes[0].vms[0].nics = []')"
	assert_failure 2
	assert_output --partial 'regions[0].spokes[0].vms[0].nics: unknown field "nics"'
}

@test "NV-04 plan: fw and fw/trusted have their own effective routes (Internet and None for 0.0.0.0/0), without root" {
	run as_nobody "$NOBODY_ARSEMU" plan "$NOBODY_TOP/examples/multi-nic-nva.json" fw
	assert_success
	assert_line --regexp '^User +Active +0\.0\.0\.0/0 +Internet *$'
	run as_nobody "$NOBODY_ARSEMU" plan "$NOBODY_TOP/examples/multi-nic-nva.json" fw/trusted
	assert_success
	assert_line --regexp '^User +Active +0\.0\.0\.0/0 +None *$'
	run as_nobody "$NOBODY_ARSEMU" plan "$NOBODY_TOP/examples/multi-nic-nva.json" fw/nosuch
	assert_failure 2
	assert_output --partial "no NIC named fw/nosuch"
}

@test "NV-01 walk: to an extra NIC by name (its address), not from one, without root" {
	run as_nobody "$NOBODY_ARSEMU" walk spoke1-vm1 fw/trusted --topo "$NOBODY_TOP/examples/multi-nic-nva.json"
	assert_success
	assert_output --partial "forward: spoke1-vm1 -> 10.1.3.4"
	assert_output --partial "predicted (offline): delivered"
	run as_nobody "$NOBODY_ARSEMU" walk fw/trusted spoke1-vm1 --topo "$NOBODY_TOP/examples/multi-nic-nva.json"
	assert_failure 2
	assert_output --partial "fw/trusted is a NIC: walk from its NVA, fw"
}

@test "NV-01 graph: an NVA's extra NICs in its label and in --json's nodes, BGP or not; --walk to one by name, without root" {
	run as_nobody "$NOBODY_ARSEMU" graph "$NOBODY_TOP/examples/bgp-nva-two-nics.json"
	assert_success
	assert_line --partial '"fw" [shape=box3d, style=filled, fillcolor=orange, label="fw\n172.16.1.4\nAS 65010\nuntrusted 172.16.2.4"];'
	run as_nobody "$NOBODY_ARSEMU" graph "$NOBODY_TOP/examples/multi-nic-nva.json"
	assert_success
	assert_line --partial 'label="fw\n10.1.2.4\ntrusted 10.1.3.4"];'
	run bash -c "'$ARSEMU' graph '$TOP/examples/bgp-nva-two-nics.json' --json | jq -c '.nodes[] | select(.name == \"fw\") | .nics'"
	assert_success
	assert_output '[{"name":"fw","subnet":"trusted","ip":"172.16.1.4"},{"name":"fw/untrusted","subnet":"untrusted","ip":"172.16.2.4"}]'
	run as_nobody "$NOBODY_ARSEMU" graph "$NOBODY_TOP/examples/bgp-nva-two-nics.json" --walk spoke1-vm1 fw/untrusted
	assert_success
	assert_output --partial 'label="walk spoke1-vm1 -> fw/untrusted (predicted): delivered";'
}

@test "NV-01 NV-03 NV-04 live: fw's eth0 and eth1 with the guest's routes, routes == plan for every NIC, in by the trusted NIC and out of either as predicted, the trusted NIC's own NSG (NS-04); down leaves nothing" {
	require_root
	local lab=$ARSEMU_T-mnic snap before after
	snap=$(host_snapshot)
	arsemu up "$EX" --name "$lab"
	wait_until 15 same_routes "$EX" "$lab" || fail "plan and routes differ"
	run arsemu exec fw --name "$lab" -- ip -4 -o addr show
	assert_output --regexp 'eth0 +inet 10\.1\.2\.4/24'
	assert_output --regexp 'eth1 +inet 10\.1\.3\.4/24'
	run arsemu exec fw --name "$lab" -- ip route show proto static
	assert_line --regexp '^default via 10\.1\.2\.1 dev eth0'
	assert_line --regexp '^10\.0\.0\.0/8 via 10\.1\.3\.1 dev eth1'
	before=$(ip_forwarded "$lab" fw)
	run arsemu exec spoke1-vm1 --name "$lab" -- ping -c2 -i0.2 -W2 10.3.1.4
	assert_success
	after=$(ip_forwarded "$lab" fw)
	(( after >= before + 4 )) || fail "fw forwarded $before -> $after"
	run arsemu walk spoke1-vm1 spoke2-vm1 --name "$lab" --both-ways
	assert_success
	refute_output --partial MISMATCH
	assert_output --partial "NIC fw/trusted: Default 10.3.0.0/16 VNetPeering"
	assert_output --partial "observed: delivered; forwarded by: fw"
	run arsemu walk spoke1-vm1 internet --name "$lab"
	assert_success
	refute_output --partial MISMATCH
	assert_output --partial "NIC fw: User 0.0.0.0/0 Internet"
	assert_output --partial "observed: delivered; forwarded by: fw"
	run arsemu walk spoke1-vm1 spoke2-vm1 --name "$lab" --proto tcp --port 22
	assert_success
	refute_output --partial MISMATCH
	assert_output --partial "denied by NSG trust-nsg, rule deny-ssh (Inbound, on the NIC of fw/trusted)"
	assert_output --partial "observed: not delivered"
	run arsemu down "$lab"
	assert_success
	[ -z "$(lab_namespaces "$lab")" ] || fail "namespaces left: $(lab_namespaces "$lab")"
	[ -z "$(lab_processes "$lab")" ] || fail "processes left"
	[ "$(host_snapshot)" = "$snap" ] || fail "the host namespace changed"
}

@test "NV-02 live: a dmz NIC without IP forwarding drops what it receives for another address (the guest) and what would leave it from another address (the fabric), as predicted; its own address answers" {
	require_root
	local lab=$ARSEMU_T-mnof f
	f=$(ex_with '.regions[0].hub.subnets.dmz = "10.1.4.0/24" |
	    .regions[0].hub.nvas[0].nics += [{"name": "dmz", "subnet": "dmz",
	        "routes": ["198.51.100.0/24"], "ip_forwarding": false}] |
	    .route_tables[0].subnets = ["spoke1/app"] |
	    .route_tables += [{"name": "s2-rt", "subnets": ["spoke2/app"], "routes": [{"name": "d",
	        "prefix": "0.0.0.0/0", "next_hop_type": "VirtualAppliance", "next_hop_ip": "10.1.4.4"}]}]')
	arsemu up "$f" --name "$lab"
	run arsemu walk spoke2-vm1 8.8.8.8 --name "$lab"
	assert_success
	assert_output --partial "predicted: not forwarded: NIC fw/dmz has IP forwarding off: Azure drops what it receives for 8.8.8.8 (NV-02)"
	assert_output --partial "observed: not delivered"
	refute_output --partial MISMATCH
	run arsemu walk spoke1-vm1 198.51.100.1 --name "$lab"
	assert_success
	assert_output --partial "predicted: blackholed: NIC fw/dmz has IP forwarding off: Azure drops what it sends from 10.2.1.4 (NV-02)"
	assert_output --partial "observed: not delivered; forwarded by: fw"
	refute_output --partial MISMATCH
	run arsemu walk spoke1-vm1 8.8.8.8 --name "$lab"
	assert_success
	assert_output --partial "observed: delivered; forwarded by: fw"
	refute_output --partial MISMATCH
	run arsemu exec spoke2-vm1 --name "$lab" -- ping -c1 -W2 10.1.4.4
	assert_success
	run arsemu down "$lab"
	assert_success
}

@test "NV-05 NV-06 live: bgp-nva-two-nics, fw installs what it learns out of eth0 (the primary, its session's), routes == plan for every NIC, spoke to spoke in and out of trusted, the Internet out of untrusted, a branch's site link after the NICs; a route holding the Route Server is refused" {
	require_root
	local lab=$ARSEMU_T-bnic ex=$TOP/examples/bgp-nva-two-nics.json
	run arsemu validate "$(jq '.regions[0].hub.nvas[0].nics[0].routes += ["172.16.255.0/24"]' "$ex" > "$BATS_TEST_TMPDIR/r.json"; echo "$BATS_TEST_TMPDIR/r.json")"
	assert_failure 2
	assert_output --partial 'regions[0].hub.nvas[0].nics[0].routes[2]: 172.16.255.0/24 holds 172.16.255.4, Route Server instance hub-rs0 that NVA "fw" peers with'
	# with a branch behind fw: its site link comes after the NICs, eth2
	jq '.sites = [{"name": "branch", "prefixes": ["10.250.0.0/16"],
	    "hosts": [{"name": "branch-h1", "ip": "10.250.0.1"}], "nvas": ["fw"]}] |
	    .regions[0].hub.nvas[0].advertise += ["10.250.0.0/16"]' "$ex" > "$BATS_TEST_TMPDIR/s.json"
	ex=$BATS_TEST_TMPDIR/s.json
	arsemu up "$ex" --name "$lab"
	wait_until 15 same_routes "$ex" "$lab" || fail "plan and routes differ"
	run arsemu exec fw --name "$lab" -- ip -4 -o addr show
	assert_output --regexp 'eth1 +inet 172\.16\.2\.4/24'
	assert_output --regexp 'eth2 +inet 169\.254\.0\.1/30'
	run arsemu exec fw --name "$lab" -- ip -4 route show
	assert_line --regexp '^8\.0\.0\.0/5 via 172\.16\.2\.1 dev eth1 proto static'
	assert_output --regexp '10\.2\.0\.0/16 proto [0-9a-z]+ metric 20 *'$'\n''[[:space:]]+nexthop via 172\.16\.255\.[45] dev eth0'
	run arsemu exec fw --name "$lab" -- ip -4 route get 10.2.1.4
	assert_output --regexp 'dev eth0 src 172\.16\.1\.4'
	run arsemu exec fw --name "$lab" -- ip -4 route get 198.51.100.1
	assert_output --regexp 'via 172\.16\.2\.1 dev eth1 src 172\.16\.2\.4'
	run arsemu walk spoke1-vm1 spoke2-vm1 --name "$lab" --both-ways
	assert_success
	refute_output --partial MISMATCH
	assert_output --partial "NIC fw: Default 10.2.0.0/16 VNetPeering (longest prefix /16); the guest's BGP route 10.2.0.0/16 leaves by the primary (NV-05)"
	assert_output --partial "NIC fw: Default 10.1.0.0/16 VNetPeering"
	assert_output --partial "observed: delivered; forwarded by: fw"
	run arsemu walk spoke1-vm1 internet --name "$lab"
	assert_success
	refute_output --partial MISMATCH
	assert_output --partial "NIC fw/untrusted: User 0.0.0.0/0 Internet"
	assert_output --partial "observed: delivered; forwarded by: fw"
	run arsemu walk spoke1-vm1 branch-h1 --name "$lab" --both-ways
	assert_success
	refute_output --partial MISMATCH
	assert_output --partial "observed: delivered; forwarded by: fw branch-edge"
	run arsemu down "$lab"
	assert_success
	[ -z "$(lab_namespaces "$lab")" ] || fail "namespaces left: $(lab_namespaces "$lab")"
}
