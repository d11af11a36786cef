#!/usr/bin/env bats
# GW-10: BFD on the ExpressRoute private peering, MSEE <-> site edge, end to
# end in labs: Up by default, a cut circuit noticed by BFD in about a second
# (drills/er-circuit-bfd.json), and with the circuit's "bfd": false on the
# customer side only the hold timer notices.

load helpers

RUNDIR=${ARSEMU_RUNDIR:-/run/arsemu}

setup() {
	require_root
}

# er-vpn.json with "bfd": false on its circuit, and a drill on it: the cut of
# drills/er-circuit-bfd.json with the hold timer's expectations.
nobfd_drill() {
	local d=$BATS_TEST_TMPDIR
	python3 - "$TOP/examples/er-vpn.json" "$TOP/examples/drills/er-circuit-bfd.json" "$d" <<'EOF'
import json, sys
topo, drill, d = sys.argv[1], sys.argv[2], sys.argv[3]
t = json.load(open(topo))
t["name"] = "er-vpn-nobfd"
t["regions"][0]["hub"]["gateways"][0]["circuit"]["bfd"] = False
json.dump(t, open(d + "/er-vpn-nobfd.json", "w"), indent=1)
x = json.load(open(drill))
x["name"] = "er-circuit-nobfd"
x["topology"] = d + "/er-vpn-nobfd.json"
x["expect"][0]["convergence_ms"].update(min=6000, max=12000)
x["expect"][1]["loss_ms"].update(min=6000, max=12000)
json.dump(x, open(d + "/er-circuit-nobfd.json", "w"), indent=1)
EOF
}

@test "GW-10 expressroute lab: BFD comes Up between the MSEE and the site's edge (300 ms x 3 both ends); the gateway instances run none" {
	local lab=$ARSEMU_T-bu log=$RUNDIR/$ARSEMU_T-bu/log
	run arsemu up "$TOP/examples/expressroute.json" --name "$lab"
	assert_success
	wait_until 10 grep -q "peer dc-edge (.*): BFD .* -> Up" "$log/hub-er-msee.log"
	wait_until 10 grep -q "peer hub-er-msee (.*): BFD .* -> Up" "$log/dc-edge.log"
	run cat "$log/hub-er-msee.log"
	assert_output --partial "peer dc-edge: BFD 300 ms x 3"
	refute_output --regexp "peer hub-er[01]: BFD"
	run cat "$log/dc-edge.log"
	assert_output --partial "peer hub-er-msee: BFD 300 ms x 3"
	run cat "$log/hub-er0.log"
	refute_output --partial "BFD"
	# BFD did not take the session down on its way up
	run cat "$log/hub-er-msee.log"
	refute_output --partial "BGP session closed"
	arsemu down --name "$lab"
}

@test "GW-10 drill er-circuit-bfd: BFD closes the MSEE's session about 1 s after the circuit is cut (hold 9 s) and traffic moves to VPN, back without loss" {
	require_root
	run arsemu drill "$TOP/examples/drills/er-circuit-bfd.json" --name "$ARSEMU_T-cb"
	echo "$output" | head -60
	assert_success
	assert_output --partial "PASSED"
	assert_output --regexp "hub-er-msee +peer dc-edge \(.*\): BFD Up -> Down \(Control Detection Time Expired\): BGP session closed"
	refute_output --partial "Hold Timer Expired"
	[ -z "$(ls "$RUNDIR" 2>/dev/null | grep -x "$ARSEMU_T-cb")" ]
}

@test "GW-10 circuit \"bfd\": false: the MSEE's BFD never comes up, BGP is unaffected, and a cut is noticed only by the hold timer (6-12 s)" {
	local lab=$ARSEMU_T-bn log=$RUNDIR/$ARSEMU_T-bn/log
	nobfd_drill
	run arsemu up "$BATS_TEST_TMPDIR/er-vpn-nobfd.json" --name "$lab"
	assert_success
	# BGP Established without BFD (the site's prefix reaches the gateway);
	# then give BFD the time it takes to come up (about 1 s), which it must not
	wait_until 30 sh -c "'$ARSEMU' gateway er learned --name '$lab' | grep -q 172.16.0.0/16"
	sleep 3
	run cat "$log/hub-er-msee.log"
	assert_output --partial "peer dc-edge: BFD 300 ms x 3"
	assert_output --regexp "peer dc-edge \(.*\): Idle -> |peer dc-edge \(.*\): .* -> Established"
	refute_output --regexp "peer dc-edge \(.*\): BFD"
	run cat "$log/dc-edge.log"
	refute_output --partial "BFD"
	arsemu down --name "$lab"
	run arsemu drill "$BATS_TEST_TMPDIR/er-circuit-nobfd.json" --name "$ARSEMU_T-cn"
	echo "$output" | head -60
	assert_success
	assert_output --partial "PASSED"
	assert_output --partial "Hold Timer Expired"
	refute_output --partial "BFD Up -> Down"
}
