#!/usr/bin/env bats
# Internal load balancer in front of NVAs (issue 18 part 1; LB-01..LB-06):
# examples/ilb-nva.json, two firewalls behind an ILB with HA ports, the
# spokes' route tables sending to its frontend. validate's errors name
# their JSON path; walks name the load balancer and the backend; live, each
# flow crosses the backend the offline walk names (the model's jhash is the
# kernel's), the reply of a flow crosses the same one, and nothing is left
# behind.

load helpers

teardown() { down_labs; }

EX=$TOP/examples/ilb-nva.json

@test "LB-01 LB-03 LB-05 validate: a frontend outside its subnet or taken by a NIC, an unknown or repeated backend, a bad probe are refused at their JSON path" {
	local f=$BATS_TEST_TMPDIR/lb.json
	run arsemu validate "$EX" --strict
	assert_success
	jq '.regions[0].hub.load_balancers[0].frontend.ip = "10.1.3.10"' "$EX" > "$f"
	run arsemu validate "$f"
	assert_failure 2
	assert_output --partial 'regions[0].hub.load_balancers[0].frontend.ip: 10.1.3.10 is outside subnet "nva" (10.1.2.0/24)'
	jq '.regions[0].hub.load_balancers[0].frontend.ip = "10.1.2.5"' "$EX" > "$f"
	run arsemu validate "$f"
	assert_failure 2
	assert_output --partial 'regions[0].hub.load_balancers[0].frontend.ip: 10.1.2.5 is the address of fw2'
	jq '.regions[0].hub.load_balancers[0].backends[1] = "fw9"' "$EX" > "$f"
	run arsemu validate "$f"
	assert_failure 2
	assert_output --partial 'regions[0].hub.load_balancers[0].backends[1]: no NVA is named "fw9"'
	jq '.regions[0].hub.load_balancers[0].backends[1] = "fw1"' "$EX" > "$f"
	run arsemu validate "$f"
	assert_failure 2
	assert_output --partial 'regions[0].hub.load_balancers[0].backends[1]: NVA "fw1" is in the backend pool twice'
	jq '.regions[0].hub.load_balancers[0].probe.interval = 2' "$EX" > "$f"
	run arsemu validate "$f"
	assert_failure 2
	assert_output --partial 'regions[0].hub.load_balancers[0].probe.interval: 2 is not an integer from 5 to 3600'
}

@test "LB-04 VR-14: a route to the frontend is no VR-14 warning; the frontend is the next hop of the effective route" {
	run arsemu validate "$EX" --strict
	assert_success
	refute_output --partial 'VR-14'
	run arsemu plan "$EX" spoke1-vm1
	assert_success
	assert_output --regexp 'User +Active +10\.3\.0\.0/16 +VirtualAppliance +10\.1\.2\.10'
}

@test "LB-06 walk offline: flows spread over both backends, each walk names the load balancer and its backend, each reply the flow's" {
	run arsemu walk spoke1-vm1 spoke2-vm1 --topo "$EX" --flows 16 --both-ways
	assert_success
	assert_output --partial 'load balancer fw-ilb: backend fw1 (HA ports, 5-tuple hash)'
	assert_output --partial 'load balancer fw-ilb: backend fw2 (HA ports, 5-tuple hash)'
	assert_output --partial "load balancer fw-ilb: backend fw1 (HA ports, the flow's hash)"
	refute_output --partial 'asymmetric'
	run arsemu walk spoke1-vm1 spoke2-vm1 --topo "$EX" --json
	assert_success
	[ "$(echo "$output" | jq -r '.forward[0].predicted.hops[0].loadBalancer')" = fw-ilb ]
}

@test "LB-02 LB-04 LB-06 live: every flow crosses the backend the offline walk names, both backends carry flows, replies come back through the flow's backend; torn down leaving nothing" {
	require_root
	local lab=$ARSEMU_T-ilb f=$BATS_TEST_TMPDIR/ilb.json nic off live
	f=$(example_as "$EX" "$lab")
	run arsemu up "$f"
	assert_success
	for nic in fw1 fw2 spoke1-vm1 spoke2-vm1; do
		diff -u <("$ARSEMU" plan "$f" "$nic" --json 2>/dev/null) \
			<("$ARSEMU" routes "$nic" --name "$lab" --json) ||
			fail "plan and routes differ for $nic"
	done
	# the fabric holds the load balancer's nftables table and rules
	run ip netns exec "arsemu-$lab-fabric" nft list table ip arsemu_lb
	assert_success
	assert_output --partial 'jhash ip saddr . ip daddr . th sport . th dport mod 2 seed 0x4152534c'
	run arsemu walk spoke1-vm1 spoke2-vm1 --name "$lab" --flows 16 --both-ways
	assert_success
	refute_output --partial MISMATCH
	refute_output --partial asymmetric
	[ "$(echo "$output" | grep -c '^  match$')" -eq 32 ] || fail "16 flows both ways should match"
	assert_output --partial 'observed: delivered; forwarded by: fw1'
	assert_output --partial 'observed: delivered; forwarded by: fw2'
	# the backend of each flow, predicted offline and observed live
	off=$("$ARSEMU" walk spoke1-vm1 spoke2-vm1 --topo "$f" --flows 16 --json |
		jq -r '[.forward[].predicted.hops[0].backend] | join(",")')
	live=$(echo "$output" | awk '/^forward:/{d=1} /^return:/{d=0}
		d && /observed: delivered; forwarded by:/ {print $NF}' | paste -sd,)
	[ "$off" = "$live" ] || fail "offline $off, live $live"
	# TCP through the load balancer, and ICMP (hashed by addresses)
	run arsemu walk spoke1-vm1 spoke2-vm1 --name "$lab" --proto tcp --port 443 --flows 4 --both-ways
	assert_success
	refute_output --partial MISMATCH
	run arsemu walk spoke1-vm1 spoke2-vm1 --name "$lab" --proto icmp
	assert_success
	refute_output --partial MISMATCH
	# the Internet: through the load balancer from spoke1, directly from spoke2
	# (the probes' 168.63.129.16 in the fabric must not stop the edge's ARP)
	run arsemu walk spoke1-vm1 internet --name "$lab" --flows 4
	assert_success
	refute_output --partial MISMATCH
	run arsemu walk spoke2-vm1 internet --name "$lab"
	assert_success
	assert_output --partial 'observed: delivered'
	# a suite recorded offline holds live, walks through the backends included
	arsemu check --record "$f" -o "$BATS_TEST_TMPDIR/ilb.suite.json"
	run arsemu check "$BATS_TEST_TMPDIR/ilb.suite.json" --live --name "$lab"
	assert_success
	assert_output --partial 'through fw'
	run arsemu down "$lab"
	assert_success
	[ -z "$(lab_namespaces "$lab")" ] || fail "namespaces left"
	[ -z "$(lab_processes "$lab")" ] || fail "processes left"
}

@test "LB-05 live: probes from 168.63.129.16; a blackholed backend leaves the rotation after threshold failed probes and its flows move; walks follow; it comes back when its probes answer; fail probe stops the service" {
	require_root
	local lab=$ARSEMU_T-ilbh f t0 t1
	f=$(example_as "$EX" "$lab")
	run arsemu up "$f"
	assert_success
	# the probe's service listens in each backend; the probes come from 168.63.129.16
	run arsemu exec --name "$lab" fw1 -- ss -tln
	assert_output --partial ':8080'
	# a probe every 5 s: wait for the first to show, not for a fixed time
	wait_until 30 sh -c "'$ARSEMU' exec --name '$lab' fw1 -- ss -tan | grep -qF 168.63.129.16"
	run arsemu fail fw1 link --name "$lab"
	assert_success
	t0=$(date +%s)
	wait_until 25 grep -q '"event": "lb-backend", "lb": "fw-ilb", "node": "fw1", "up": false' \
		"/run/arsemu/$lab/journal.jsonl"
	t1=$(date +%s)
	# interval 5 s x threshold 2, plus up to one interval of phase
	[ $((t1 - t0)) -ge 9 ] && [ $((t1 - t0)) -le 16 ] || fail "left after $((t1 - t0)) s"
	run ip netns exec "arsemu-$lab-fabric" nft list chain ip arsemu_lb lb0
	assert_output --partial 'mod 1 seed 0x4152534c map { 0 : 0x4c420001 }'
	run arsemu status --name "$lab"
	assert_output --partial 'load balancer fw-ilb: backend fw1 out of rotation (its health probe fails)'
	assert_output --partial 'load balancer fw-ilb: backend fw2 in rotation'
	[ "$("$ARSEMU" status --name "$lab" --json | jq -r '.loadBalancerBackends[0].inRotation')" = false ]
	# every flow now crosses fw2, as the live walk predicts from the daemon's view
	run arsemu walk spoke1-vm1 spoke2-vm1 --name "$lab" --flows 8
	assert_success
	refute_output --partial MISMATCH
	refute_output --partial 'backend fw1'
	run arsemu restore fw1 --name "$lab"
	assert_success
	wait_until 25 grep -q '"event": "lb-backend", "lb": "fw-ilb", "node": "fw1", "up": true' \
		"/run/arsemu/$lab/journal.jsonl"
	# new flows (another port: the earlier ones keep fw2) spread again
	run arsemu walk spoke1-vm1 spoke2-vm1 --name "$lab" --flows 8 --port 5353
	assert_success
	refute_output --partial MISMATCH
	assert_output --partial 'forwarded by: fw1'
	# "probe": the service stops in fw2, which forwards on; only a backend can
	run arsemu fail spoke1-vm1 probe --name "$lab"
	assert_failure 2
	assert_output --partial "spoke1-vm1 is no load balancer's backend"
	run arsemu fail fw2 probe --name "$lab"
	assert_success
	run arsemu exec --name "$lab" fw2 -- ss -tln
	refute_output --partial ':8080'
	wait_until 25 grep -q '"event": "lb-backend", "lb": "fw-ilb", "node": "fw2", "up": false' \
		"/run/arsemu/$lab/journal.jsonl"
	run arsemu walk spoke1-vm1 spoke2-vm1 --name "$lab" --flows 8 --port 5354
	assert_success
	refute_output --partial MISMATCH
	refute_output --partial 'forwarded by: fw2'
	run arsemu down "$lab"
	assert_success
	[ -z "$(lab_namespaces "$lab")" ] || fail "namespaces left"
	[ -z "$(lab_processes "$lab")" ] || fail "processes left"
}

@test "LB-05 drill ilb-fw1-link: only the probes notice a blackholed fw1; its flows lose about interval x threshold (10-15 s), fw2's none, not the BGP hold time" {
	require_root
	run arsemu drill "$TOP/examples/drills/ilb-fw1-link.json" --name "$ARSEMU_T-dilb"
	echo "$output"
	assert_success
	assert_output --partial "PASSED"
	echo "$output" | awk '$1=="spoke-to-spoke" && $5==0' | grep -q . || fail "no flow on fw2"
	echo "$output" | awk '$1=="spoke-to-spoke" && $5>=9500 && $5<=15500' | grep -q . ||
		fail "no flow lost 9.5-15.5 s"
	[ -z "$(lab_namespaces "$ARSEMU_T-dilb")" ]
}

@test "LB-02 live: port rules take their protocol and port only (both ways), the rest is dropped at the load balancer, as predicted" {
	require_root
	local lab=$ARSEMU_T-ilbr f
	f=$BATS_TEST_TMPDIR/ilbr.json
	jq --arg n "$lab" '.name = $n | .regions[0].hub.load_balancers[0].ha_ports = false |
	    .regions[0].hub.load_balancers[0].rules = [{"protocol": "Tcp", "port": 443},
	    {"protocol": "Udp", "port": 53}]' "$EX" > "$f"
	run arsemu up "$f"
	assert_success
	run arsemu walk spoke1-vm1 spoke2-vm1 --name "$lab" --proto tcp --port 443 --flows 4 --both-ways
	assert_success
	refute_output --partial MISMATCH
	[ "$(echo "$output" | grep -c '^  match$')" -eq 8 ] || fail "4 flows both ways should match"
	assert_output --partial "load balancer fw-ilb: backend"
	run arsemu walk spoke1-vm1 spoke2-vm1 --name "$lab" --port 53
	assert_success
	assert_output --partial 'observed: delivered'
	# UDP 33434 and ICMP: no rule takes them
	run arsemu walk spoke1-vm1 spoke2-vm1 --name "$lab"
	assert_success
	assert_output --partial 'predicted: blackholed: load balancer fw-ilb: no rule takes the flow (LB-02)'
	assert_output --partial 'observed: not delivered'
	refute_output --partial MISMATCH
	run arsemu walk spoke1-vm1 spoke2-vm1 --name "$lab" --proto icmp
	assert_output --partial 'no rule takes the flow (LB-02)'
	refute_output --partial MISMATCH
	run arsemu down "$lab"
	assert_success
	[ -z "$(lab_namespaces "$lab")" ] || fail "namespaces left"
}

@test "LB-05 drill ilb-fw2-probe: fw2's probed service stops, fw2 forwards on; its flows move to fw1 without loss once it leaves the rotation" {
	require_root
	run arsemu drill "$TOP/examples/drills/ilb-fw2-probe.json" --name "$ARSEMU_T-dilp"
	echo "$output"
	assert_success
	assert_output --partial "PASSED"
	assert_output --regexp 'path of spoke-to-spoke +ok +- +fw1 [0-9]+, fw2 0'
	# no flow loses more than a scheduling hiccup (the drill's own bound)
	echo "$output" | awk '$1=="spoke-to-spoke" && $2 ~ /^[0-9]+$/ && $5>100' | grep -q . &&
		fail "a flow lost more than 100 ms"
	[ -z "$(lab_namespaces "$ARSEMU_T-dilp")" ]
}
