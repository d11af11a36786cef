#!/usr/bin/env bats
# An internal load balancer outside the hub (PE-08 with LB-01..LB-06, issue
# 18): examples/transit-ilb.json, two firewalls behind an ILB in the transit
# spoke; app1 and app2 peer only with transit and route each other and the
# hub to its frontend; the firewalls advertise the application summary to
# the hub's Route Server with the frontend as next hop (RS-08, RS-23).
# validate's errors name the spoke's JSON paths; live, each flow crosses the
# backend the offline walk names, replies the flow's; spoke3, not peered
# with transit, cannot reach the frontend (PE-01); a backend whose probes
# fail leaves the rotation (LB-05); down leaves nothing.

load helpers

teardown() { down_labs; }

EX=$TOP/examples/transit-ilb.json
P='regions[0].spokes[0].load_balancers[0]'

nics() { ARSEMU="$ARSEMU" sh "$TOP/test/golden/nics.sh" "$1"; }

# same_routes TOPO LAB: every NIC's routes in the lab are those plan predicts.
same_routes() {
	local n
	for n in $(nics "$1"); do
		diff <("$ARSEMU" plan "$1" "$n" --json 2>/dev/null) \
		    <("$ARSEMU" routes "$n" --name "$2" --json) || return 1
	done
}

@test "PE-08 LB-01 LB-03 validate: a spoke's load balancer is refused at its JSON path with a backend of another VNet or a frontend outside its subnet" {
	local f=$BATS_TEST_TMPDIR/bad.json
	run arsemu validate "$EX"
	assert_success
	assert_output --partial 'route_tables[2].routes[0].next_hop_ip: route "to-app1" of route table "spoke3-rt" sends spoke3/app'"'"'s traffic to 10.10.1.10 (transit-lb), in VNet "transit", which is not peered with "spoke3": Azure drops it (VR-14, PE-01)'
	# an NVA of app1 (peered with transit) in the transit pool
	jq '.regions[0].spokes[1].nvas = [{name: "a1fw", subnet: "app", bgp: false}] |
	    .regions[0].spokes |= [.[1], .[0], .[2], .[3]] |
	    .regions[0].spokes[1].load_balancers[0].backends[1] = "a1fw"' "$EX" > "$f"
	run arsemu validate "$f"
	assert_failure 2
	assert_output --partial 'regions[0].spokes[1].load_balancers[0].backends[1]: NVA "a1fw" is in VNet "app1", not in "transit": a load balancer'"'"'s backend pool holds NICs of its own virtual network only, peered ones not (LB-03)'
	jq ".regions[0].spokes[0].load_balancers[0].frontend.ip = \"10.21.1.10\"" "$EX" > "$f"
	run arsemu validate "$f"
	assert_failure 2
	assert_output --partial "$P"'.frontend.ip: 10.21.1.10 is outside subnet "nva" (10.10.1.0/24)'
	jq ".regions[0].spokes[0].load_balancers[0].frontend.ip = \"10.10.1.5\"" "$EX" > "$f"
	run arsemu validate "$f"
	assert_failure 2
	assert_output --partial "$P"'.frontend.ip: 10.10.1.5 is the address of tfw2'
}

@test "PE-08 LB-04 LB-06 live: app1's flows cross the transit spoke's load balancer to the backend the offline walk names, replies the flow's; the hub's on the Route Server's route to the frontend (RS-23); spoke3 cannot reach it (PE-01); a failed backend leaves the rotation (LB-05); plan == routes; down leaves nothing" {
	require_root
	local lab=$ARSEMU_T-tilb f n off live snap before after
	snap=$(host_snapshot)
	f=$(example_as "$EX" "$lab")
	run arsemu up "$f"
	assert_success
	# the hub's Route Server learns 10.20.0.0/14 from both firewalls,
	# next hop the frontend: every NIC's routes are then plan's
	wait_until 20 same_routes "$f" "$lab" || fail "plan and routes differ"
	run arsemu routes hub-vm1 --name "$lab"
	assert_line --regexp '^VirtualNetworkGateway +Active +10\.20\.0\.0/14 +VirtualNetworkGateway +10\.10\.1\.10$'
	run arsemu rs hub peers --name "$lab"
	assert_output --partial 10.10.1.4
	assert_output --partial 10.10.1.5
	# the fabric holds the spoke's load balancer: its link and its nftables table
	run ip netns exec "arsemu-$lab-fabric" nft list table ip arsemu_lb
	assert_success
	assert_output --partial 'jhash ip saddr . ip daddr . th sport . th dport mod 2 seed 0x4152534c'
	# real packets: app1 -> app2 and back through the load balancer's backends
	before=$(( $(ip_forwarded "$lab" tfw1) + $(ip_forwarded "$lab" tfw2) ))
	run arsemu exec app1-vm1 --name "$lab" -- ping -c2 -i0.2 -W2 10.22.1.4
	assert_success
	after=$(( $(ip_forwarded "$lab" tfw1) + $(ip_forwarded "$lab" tfw2) ))
	(( after >= before + 4 )) || fail "the backends forwarded $before -> $after"
	# each of 16 flows, both ways: observed as predicted, on both backends
	run arsemu walk app1-vm1 app2-vm1 --name "$lab" --flows 16 --both-ways
	assert_success
	refute_output --partial MISMATCH
	refute_output --partial asymmetric
	[ "$(echo "$output" | grep -c '^  match$')" -eq 32 ] || fail "16 flows both ways should match"
	assert_output --partial 'load balancer transit-lb: backend tfw1'
	assert_output --partial 'observed: delivered; forwarded by: tfw1'
	assert_output --partial 'observed: delivered; forwarded by: tfw2'
	# the backend of each flow, predicted offline and observed live
	off=$("$ARSEMU" walk app1-vm1 app2-vm1 --topo "$f" --flows 16 --json |
		jq -r '[.forward[].predicted.hops[0].backend] | join(",")')
	live=$(echo "$output" | awk '/^forward:/{d=1} /^return:/{d=0}
		d && /observed: delivered; forwarded by:/ {print $NF}' | paste -sd,)
	[ "$off" = "$live" ] || fail "offline $off, live $live"
	run arsemu walk app2-vm1 app1-vm1 --name "$lab" --proto tcp --port 443 --flows 4 --both-ways
	assert_success
	refute_output --partial MISMATCH
	# the hub on the Route Server's route to the frontend, back by app1's route table
	run arsemu walk hub-vm1 app1-vm1 --name "$lab" --flows 4 --both-ways
	assert_success
	refute_output --partial MISMATCH
	refute_output --partial asymmetric
	assert_output --partial 'VirtualNetworkGateway -> 10.10.1.10'
	assert_output --partial 'observed: delivered; forwarded by: tfw'
	run arsemu exec hub-vm1 --name "$lab" -- ping -c2 -i0.2 -W2 10.22.1.4
	assert_success
	# spoke3 routes app1 to the frontend, in a VNet it is not peered with
	run arsemu exec spoke3-vm1 --name "$lab" -- ping -c1 -W1 10.21.1.4
	assert_failure
	run arsemu walk spoke3-vm1 app1-vm1 --name "$lab"
	refute_output --partial MISMATCH
	assert_output --partial 'load balancer transit-lb (frontend 10.10.1.10) is in VNet transit, not peered with spoke3: out of reach (PE-08, PE-01)'
	run arsemu exec spoke3-vm1 --name "$lab" -- ping -c1 -W1 10.22.1.4
	assert_failure
	# a suite recorded offline holds live, walks through the backends included
	arsemu check --record "$f" -o "$BATS_TEST_TMPDIR/tilb.suite.json"
	run arsemu check "$BATS_TEST_TMPDIR/tilb.suite.json" --live --name "$lab"
	assert_success
	assert_output --partial 'through tfw'
	# LB-05: the probes reach the spoke's backends; a blackholed tfw1 leaves
	# the rotation and every flow crosses tfw2, as the live walk predicts
	run arsemu fail tfw1 link --name "$lab"
	assert_success
	wait_until 25 grep -q '"event": "lb-backend", "lb": "transit-lb", "node": "tfw1", "up": false' \
		"/run/arsemu/$lab/journal.jsonl"
	run arsemu walk app1-vm1 app2-vm1 --name "$lab" --flows 8 --port 5353
	assert_success
	refute_output --partial MISMATCH
	refute_output --partial 'backend tfw1'
	assert_output --partial 'observed: delivered; forwarded by: tfw2'
	run arsemu down "$lab"
	assert_success
	[ -z "$(lab_namespaces "$lab")" ] || fail "namespaces left: $(lab_namespaces "$lab")"
	[ -z "$(lab_processes "$lab")" ] || fail "processes left"
	[ "$(host_snapshot)" = "$snap" ] || fail "the host namespace changed"
}
