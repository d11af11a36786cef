#!/usr/bin/env bats
# The lab daemon applies a change at a few prefixes to the shared group
# table alone (emu/sync.c, incr_group), when share.h allows it, and
# computes the group whole otherwise. Two labs of the same topology take
# the same BGP changes, one with ARSEMU_NO_INCREMENTAL (every change
# computed whole): their fabric tables must end up the same after every
# step. Issue 10.

load helpers

TOPO_SPOKES="$TOP/test/unit/data/share-spokes.json"

setup() {
	require_root
	A="$ARSEMU_T-inca"
	B="$ARSEMU_T-incb"
}

teardown() {
	arsemu down "$A" >/dev/null 2>&1 || true
	arsemu down "$B" >/dev/null 2>&1 || true
}

# Every route arsemu programmed in a lab's fabric, every table.
fabric_routes() {
	arsemu exec fabric --name "$1" -- ip -o route show table all proto 222 | sort
}

same_fabric() {
	[ "$(fabric_routes "$A")" = "$(fabric_routes "$B")" ]
}

# B_has REGEX: lab B's fabric has a route line matching REGEX.
B_has() {
	fabric_routes "$B" | grep -q "$1"
}

# step NVA announce|withdraw PREFIX present|absent REGEX: both labs; wait
# for the whole-computing lab B to show the change (a route line matching
# REGEX there or not), then for A to equal B.
step() {
	local nva=$1 op=$2 pfx=$3 want=$4 re=$5
	arsemu bgp "$nva" "$op" "$pfx" --name "$A" >/dev/null
	arsemu bgp "$nva" "$op" "$pfx" --name "$B" >/dev/null
	if [ "$want" = present ]; then
		wait_until 20 B_has "$re"
	else
		wait_until 20 eval '! B_has "$re"'
	fi
	wait_until 20 same_fabric || {
		diff <(fabric_routes "$A") <(fabric_routes "$B") | head -20
		return 1
	}
}

@test "issue 10: a change applied to the shared table alone leaves the fabric as computing it whole does (new prefix, ECMP change, a prefix over spokes, a reserved prefix, 0.0.0.0/0, withdrawals)" {
	run arsemu up "$TOPO_SPOKES" --name "$A" --wait 60
	assert_success
	ARSEMU_NO_INCREMENTAL=1 run arsemu up "$TOPO_SPOKES" --name "$B" --wait 60
	assert_success
	wait_until 20 same_fabric
	# a new prefix outside every VNet: the group tables alone
	step nva1 announce 198.18.0.0/24 present '^198.18.0.0/24 '
	# an existing prefix gets a second next hop (ECMP, RS-33)
	step nva1 announce 100.64.0.0/24 present '^100.64.0.0/24 .*nexthop'
	# over two spokes' spaces (each keeps its own, VR-06)
	step nva0 announce 10.2.0.0/15 present '^10.2.0.0/15 '
	# a reserved prefix (its None route goes): computed whole
	step nva1 announce 172.16.0.0/12 present '^172.16.0.0/12 via 10.0.2.5'
	# a default route reaches the reserved prefixes: whole
	step nva1 announce 0.0.0.0/0 present '^default via 10.0.2.5 '
	step nva1 withdraw 0.0.0.0/0 absent '^default via 10.0.2.5 '
	step nva1 withdraw 172.16.0.0/12 absent '^172.16.0.0/12 via 10.0.2.5'
	step nva0 withdraw 10.2.0.0/15 absent '^10.2.0.0/15 '
	step nva1 withdraw 100.64.0.0/24 absent '^100.64.0.0/24 .*nexthop'
	step nva1 withdraw 198.18.0.0/24 absent '^198.18.0.0/24 ' 
	# the incremental lab took the short path at least once, the other never
	run grep -c '"incremental": true' "/run/arsemu/$A/journal.jsonl"
	assert_success
	[ "$output" -ge 2 ]
	run grep -c '"incremental": true' "/run/arsemu/$B/journal.jsonl"
	assert_output 0
}
