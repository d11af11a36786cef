#!/usr/bin/env bats
# NVAs outside the hub (PE-08, issue 18 part 3): examples/transit-nva.json
# brought up. The NVA tnva sits in the transit spoke; app1 and app2 peer only
# with transit and reach each other and the hub through it by route tables;
# it peers with the hub's Route Server across the peering (RS-08), which
# programs its summary into the hub and into spoke3, where it is out of
# reach (PE-01). Real packets cross the NVA; plan equals the lab's routes for
# every NIC; the FRR and BIRD configs rendered for it peer with the hub's
# Route Server; down leaves nothing.

load helpers

teardown() { down_labs; }

EX=$TOP/examples/transit-nva.json

nics() { ARSEMU="$ARSEMU" sh "$TOP/test/golden/nics.sh" "$1"; }

# same_routes LAB: every NIC's routes in the lab are those plan predicts.
same_routes() {
	local n
	for n in $(nics "$EX"); do
		diff <(arsemu plan "$EX" "$n" --json 2>/dev/null) \
		    <(arsemu routes "$n" --name "$1" --json) || return 1
	done
}

@test "PE-08: validate refuses a spoke NVA with BGP and no Route Server it can reach, naming its JSON path" {
	local t=$BATS_TEST_TMPDIR/bad.json
	jq '.regions[0].spokes[0].nvas[0] |= del(.route_servers)' "$EX" > "$t"
	run arsemu validate "$t"
	assert_failure 2
	assert_output --partial 'regions[0].spokes[0].nvas[0]: NVA "tnva" in spoke "transit" speaks BGP but has no Route Server to peer with'
	jq '.regions[0].spokes[0].nvas[0].bgp = true | .regions[0].spokes[0].nvas[0] |= del(.route_servers)' "$EX" > "$t"
	run arsemu validate "$t"
	assert_failure 2
	assert_output --partial 'regions[0].spokes[0].nvas[0].bgp: '
	# RS-08: the Route Server of a VNet the spoke is not peered with
	jq '.regions[0].spokes[0].nvas[0].route_servers = ["spoke3"] | .regions[0].spokes[3].route_server = {} | .regions[0].spokes[3].use_remote_gateways = false | .regions[0].spokes[3].subnets.RouteServerSubnet = "10.3.0.0/27"' "$EX" > "$t"
	run arsemu validate "$t"
	assert_failure 2
	assert_output --partial 'regions[0].spokes[0].nvas[0].route_servers[0]: VNet "spoke3" is not peered with "transit"'
}

@test "PE-08: lint warns that the hub's Route Server programs the spoke NVA's route into spoke3, out of its reach" {
	run arsemu validate "$EX"
	assert_success
	assert_output --partial 'regions[0].spokes[0].nvas[0]: the Route Server of "hub" programs NVA "tnva"'"'"'s routes (next hop 10.10.1.4) into "spoke3", which is not peered with "transit"'
}

@test "PE-08 graph and plan offline: tnva drawn in the transit spoke with its sessions to the hub's Route Server (RS-08); plan programs its route into the hub, without root" {
	run as_nobody "$NOBODY_ARSEMU" graph "$NOBODY_TOP/examples/transit-nva.json"
	assert_success
	assert_output --partial '"tnva" -- "hub-rs0" [style=dashed'
	assert_output --partial '"tnva" -- "hub-rs1" [style=dashed'
	# tnva sits inside the transit spoke's cluster
	echo "$output" | awk '/cluster_vnet_transit/ {c = 1} c && /"tnva" \[/ {f = 1} c && /^    }/ {c = 0} END {exit !f}' ||
		fail "tnva is not in the transit cluster"
	run as_nobody "$NOBODY_ARSEMU" plan "$NOBODY_TOP/examples/transit-nva.json" hub-vm1
	assert_success
	assert_line --regexp '^VirtualNetworkGateway +Active +10\.20\.0\.0/14 +VirtualNetworkGateway +10\.10\.1\.4$'
}

@test "PE-08 live: app1's packets cross the transit NVA to app2 and the hub; the hub's Route Server route to it carries hub traffic (RS-08); spoke3's is dropped (PE-01); plan == routes; down leaves nothing" {
	require_root
	local lab=$ARSEMU_T-tnva before after snap
	snap=$(host_snapshot)
	arsemu up "$EX" --name "$lab"
	# the hub's Route Server learns 10.20.0.0/14 from tnva across the peering
	wait_until 15 same_routes "$lab"
	run arsemu routes hub-vm1 --name "$lab"
	assert_line --regexp '^VirtualNetworkGateway +Active +10\.20\.0\.0/14 +VirtualNetworkGateway +10\.10\.1\.4$'
	run arsemu rs hub peers --name "$lab"
	assert_output --partial 10.10.1.4
	# app1 -> app2 and back: 2 requests + 2 replies through tnva
	before=$(ip_forwarded "$lab" tnva)
	run arsemu exec app1-vm1 --name "$lab" -- ping -c2 -i0.2 -W2 10.22.1.4
	assert_success
	after=$(ip_forwarded "$lab" tnva)
	(( after >= before + 4 )) || fail "tnva forwarded $before -> $after"
	# the hub to app1 on the Route Server's route, back by app1's route table
	before=$after
	run arsemu exec hub-vm1 --name "$lab" -- ping -c2 -i0.2 -W2 10.21.1.4
	assert_success
	after=$(ip_forwarded "$lab" tnva)
	(( after >= before + 4 )) || fail "tnva forwarded $before -> $after"
	run arsemu walk app1-vm1 app2-vm1 --name "$lab" --both-ways
	assert_success
	refute_output --partial MISMATCH
	assert_output --partial "observed: delivered; forwarded by: tnva"
	run arsemu walk hub-vm1 app2-vm1 --name "$lab" --proto tcp
	assert_success
	refute_output --partial MISMATCH
	assert_output --partial "forwarded by: tnva"
	# spoke3 has the route, but its next hop is out of reach: dropped
	run arsemu exec spoke3-vm1 --name "$lab" -- ping -c1 -W1 10.21.1.4
	assert_failure
	run arsemu walk spoke3-vm1 app1-vm1 --name "$lab"
	refute_output --partial MISMATCH
	assert_output --partial "out of reach (PE-08, PE-01)"
	same_routes "$lab" || fail "plan and routes differ"
	run arsemu down "$lab"
	assert_success
	[ -z "$(lab_namespaces "$lab")" ] || fail "namespaces left: $(lab_namespaces "$lab")"
	[ -z "$(lab_processes "$lab")" ] || fail "processes left"
	[ "$(host_snapshot)" = "$snap" ] || fail "the host namespace changed"
}

@test "PE-08 live with FRR and BIRD on the spoke NVA: the rendered config peers with the hub's Route Server; same routes; packets cross it" {
	require_root
	[ -x /usr/lib/frr/bgpd ] && [ -x /usr/lib/frr/zebra ] && command -v bird >/dev/null ||
		fail "real NVA tests need FRR and BIRD: apt-get install frr bird2"
	local d lab t before after
	for d in frr bird; do
		lab=$ARSEMU_T-tn$d
		t=$BATS_TEST_TMPDIR/transit-$d.json
		jq --arg d "$d" '.regions[0].spokes[0].nvas[0].daemon = {type: $d}' "$EX" > "$t"
		arsemu up "$t" --name "$lab"
		wait_until 20 same_routes "$lab" || fail "$d: plan and routes differ"
		if [ "$d" = frr ]; then
			run grep -E "neighbor 10\.0\.1\.[45] remote-as 65515" \
			    "/run/arsemu/$lab/nvad/tnva/bgpd.conf"
		else
			run grep -rE "neighbor 10\.0\.1\.[45] as 65515" "/run/arsemu/$lab/nvad/tnva/"
		fi
		assert_success
		[ "${#lines[@]}" -eq 2 ] || fail "$d: want both Route Server instances: $output"
		before=$(ip_forwarded "$lab" tnva)
		run arsemu exec hub-vm1 --name "$lab" -- ping -c2 -i0.2 -W2 10.22.1.4
		assert_success
		after=$(ip_forwarded "$lab" tnva)
		(( after >= before + 4 )) || fail "$d: tnva forwarded $before -> $after"
		run arsemu down "$lab"
		assert_success
		[ -z "$(lab_namespaces "$lab")" ] || fail "$d: namespaces left"
	done
}

@test "PE-08/PE-02 live: app1's side of its peering with transit refuses forwarded traffic: app2 and the hub are cut off through tnva, tnva itself and app1's way out pass; walks say so" {
	require_root
	local lab=$ARSEMU_T-tnaf t=$BATS_TEST_TMPDIR/aft.json
	jq '.regions[0].spokes[1].peerings = [{vnet: "transit", allow_forwarded_traffic: false}]' "$EX" > "$t"
	arsemu up "$t" --name "$lab"
	wait_until 15 arsemu exec hub-vm1 --name "$lab" -- ping -c1 -W1 10.22.1.4
	run arsemu exec app2-vm1 --name "$lab" -- ping -c1 -W1 10.21.1.4
	assert_failure
	run arsemu exec hub-vm1 --name "$lab" -- ping -c1 -W1 10.21.1.4
	assert_failure
	run arsemu exec tnva --name "$lab" -- ping -c1 -W2 10.21.1.4
	assert_success
	run arsemu walk app2-vm1 app1-vm1 --name "$lab"
	refute_output --partial MISMATCH
	assert_output --partial "app1's peering to transit has allow_forwarded_traffic false (regions[0].spokes[1].peerings[0])"
	run arsemu walk app2-vm1 hub-vm1 --name "$lab"
	assert_success
	refute_output --partial MISMATCH
	assert_output --partial "forwarded by: tnva"
	run arsemu down "$lab"
	assert_success
}

@test "PE-08/RS-55 live: the transit NVA without BGP (\"bgp\": false) runs no speaker and still carries app1 to app2 by route tables; plan == routes" {
	require_root
	local lab=$ARSEMU_T-tnfw t=$BATS_TEST_TMPDIR/nobgp.json before after n
	jq '.regions[0].spokes[0].nvas[0] = {name: "tnva", subnet: "nva", ip: "10.10.1.4", bgp: false}' "$EX" > "$t"
	arsemu up "$t" --name "$lab"
	# no BGP process in its namespace, no Route Server peering
	run ip netns pids "arsemu-$lab-tnva"
	assert_success
	assert_output ''
	run arsemu rs hub peers --name "$lab"
	refute_output --partial 10.10.1.4
	before=$(ip_forwarded "$lab" tnva)
	run arsemu exec app1-vm1 --name "$lab" -- ping -c2 -i0.2 -W2 10.22.1.4
	assert_success
	after=$(ip_forwarded "$lab" tnva)
	(( after >= before + 4 )) || fail "tnva forwarded $before -> $after"
	# no Route Server route: the hub has no way to the application spokes
	run arsemu exec hub-vm1 --name "$lab" -- ping -c1 -W1 10.21.1.4
	assert_failure
	for n in $(nics "$t"); do
		diff <(arsemu plan "$t" "$n" --json 2>/dev/null) \
		    <(arsemu routes "$n" --name "$lab" --json) || fail "plan and routes differ for $n"
	done
	run arsemu down "$lab"
	assert_success
	[ -z "$(lab_namespaces "$lab")" ] || fail "namespaces left"
}
