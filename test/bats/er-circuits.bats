#!/usr/bin/env bats
# One data centre over two ExpressRoute circuits (examples/er-two-circuits.json):
# an MSEE per circuit, both peering with both gateway instances. RS-35: with
# a Route Server in the hub a gateway instance programs one of the circuits'
# equal paths (the MSEE with the lowest BGP identifier, the first circuit's);
# without one it programs both (ECMP). The edge's return is ECMP either way.
#
# A live walk's ECMP choice follows what it saw forward (cmd_walk.c's
# steer), MSEEs included (named by their link addresses), so every flow
# must also match its prediction.

load helpers

teardown() {
	down_labs
	rm -f "$BATS_TEST_TMPDIR/er2-nors.json"
}

EX=$TOP/examples/er-two-circuits.json

# The example without its route_server, as FILE.
no_rs() {
	python3 - "$EX" "$1" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
del d["regions"][0]["hub"]["route_server"]
d["regions"][0]["hub"]["subnets"].pop("RouteServerSubnet")
d["name"] = "er2-nors"
json.dump(d, open(sys.argv[2], "w"))
EOF
}

# The next hops of 172.16.0.0/16 in a node's kernel, one per line.
site_nexthops() {
	arsemu exec "$2" --name "$1" -- ip -4 route show 172.16.0.0/16 |
		grep -o 'via [0-9.]*' | sort -u
}

# Wait (at most 20 s) until node $2 of lab $1 has $3 next hops to the site.
wait_nexthops() {
	local i
	for i in $(seq 1 40); do
		[ "$(site_nexthops "$1" "$2" | wc -l)" -eq "$3" ] && return 0
		sleep 0.5
	done
	site_nexthops "$1" "$2"
	return 1
}

@test "RS-35: er-two-circuits validates and plans without root: two MSEEs, the second named -msee2" {
	run arsemu validate "$EX"
	assert_success
	run arsemu nodes "$EX"
	assert_success
	assert_output --regexp 'hub-er-msee +msee'
	assert_output --regexp 'hub-er-msee2 +msee'
	run arsemu walk spoke1-vm1 dc-h1 --topo "$EX" --flows 4
	assert_success
	assert_output --partial "RS-35"
	refute_output --partial "hub-er-msee2"
	no_rs "$BATS_TEST_TMPDIR/er2-nors.json"
	run arsemu walk spoke1-vm1 dc-h1 --topo "$BATS_TEST_TMPDIR/er2-nors.json" --flows 4
	assert_success
	assert_output --partial "circuits' ECMP by flow hash"
	assert_output --regexp "hub-er-msee +link"
	assert_output --regexp "hub-er-msee2 +link"
}

@test "RS-35: with Route Server the gateway instances' kernel routes to the site have one next hop, the first MSEE; a 16-flow walk crosses only it, matched live" {
	require_root
	local lab=$ARSEMU_T-erc
	run arsemu up "$EX" --name "$lab"
	assert_success
	# both MSEEs' sessions are up (the edge's routes come back over both)
	run arsemu exec dc-edge --name "$lab" -- ip -4 route show 10.2.0.0/16
	assert_success
	assert_output --partial "nexthop via 169.254.21.2 dev l2"
	assert_output --partial "nexthop via 169.254.21.14 dev l5"
	for g in hub-er0 hub-er1; do
		run site_nexthops "$lab" "$g"
		assert_success
		# hub-er-msee's BGP address, its end of link l0 (lower than -msee2's .14)
		assert_output "via 169.254.21.2"
	done
	# 16 flows cross both gateway instances (1 in 2^15 to fail)
	run arsemu walk spoke1-vm1 dc-h1 --name "$lab" --flows 16
	assert_success
	refute_output --partial MISMATCH
	assert_output --partial "forwarded by: hub-er0 hub-er-msee dc-edge"
	assert_output --partial "forwarded by: hub-er1 hub-er-msee dc-edge"
	refute_output --partial "hub-er-msee2 dc-edge"
}

@test "RS-35: without Route Server the gateway instances keep two next hops (one per MSEE) and flows cross both MSEEs" {
	require_root
	local lab=$ARSEMU_T-ercn f seen
	no_rs "$BATS_TEST_TMPDIR/er2-nors.json"
	run arsemu up "$BATS_TEST_TMPDIR/er2-nors.json" --name "$lab"
	assert_success
	for g in hub-er0 hub-er1; do
		wait_nexthops "$lab" "$g" 2 || fail "$g: not two next hops to 172.16.0.0/16"
		run site_nexthops "$lab" "$g"
		assert_output "via 169.254.21.14
via 169.254.21.2"
	done
	# VR-10: Azure's gateway hashes per flow, and so does a gateway
	# instance's namespace in the lab (the 5-tuple hash, as the fabric's):
	# 16 flows reach both MSEEs (1 in 2^15 to fail).
	run arsemu exec hub-er0 --name "$lab" -- sysctl -n net.ipv4.fib_multipath_hash_policy
	assert_output 1
	run arsemu walk spoke1-vm1 dc-h1 --name "$lab" --flows 16
	seen=$(echo "$output" | grep -o 'forwarded by: hub-er[01] hub-er-msee2\? dc-edge' |
		awk '{print $4}' | sort -u | tr '\n' ' ')
	[ "$seen" = "hub-er-msee hub-er-msee2 " ] || fail "flows crossed: '$seen'"
	refute_output --partial "not delivered"
	refute_output --partial "MISMATCH"
}

@test "GW-09: the heavier circuit (weight 100 on the second) carries everything to the site; plan, walk and the lab agree" {
	local t=$BATS_TEST_TMPDIR/er2-weight.json lab=$ARSEMU_T-erw
	jq '.regions[0].hub.gateways[0].circuits[1].weight = 100' "$EX" > "$t"
	run arsemu validate "$t"
	assert_success
	refute_output --partial "GW-09"
	run arsemu walk spoke1-vm1 dc-h1 --topo "$t" --flows 4
	assert_success
	assert_output --regexp "hub-er-msee2 +link"
	refute_output --regexp "hub-er-msee +link"
	require_root
	run arsemu up "$t" --name "$lab"
	assert_success
	for g in hub-er0 hub-er1; do
		wait_nexthops "$lab" "$g" 1 || fail "$g: not one next hop"
		run site_nexthops "$lab" "$g"
		# hub-er-msee2's end of its link to the instance
		assert_output "via 169.254.21.14"
	done
	run arsemu walk spoke1-vm1 dc-h1 --name "$lab" --flows 6
	assert_success
	refute_output --partial MISMATCH
	refute_output --partial "hub-er-msee dc-edge"
	assert_output --partial "hub-er-msee2 dc-edge"
}
