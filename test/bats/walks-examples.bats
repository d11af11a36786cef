#!/usr/bin/env bats
# Packet walks for every example (issue 6): offline, every walk listed in
# test/walk/examples.walks is predicted and its outcome and hops asserted;
# every example has at least one. Live, a representative few (gateways and
# the MSEE, a route-table firewall, a static VPN) are walked with real
# probes and the observed hops compared with the prediction.

load helpers

teardown() { down_labs; }

WALKS=$BATS_TEST_DIRNAME/../walk/examples.walks

@test "walk offline: every example has walks whose outcome and hops are asserted (test/walk/examples.walks), without root" {
	local f ex n=0 line args want got
	for f in "$TOP"/examples/*.json; do
		ex=$(basename "$f" .json)
		grep -q "^$ex  *|" "$WALKS" || fail "no walk for example $ex in $WALKS"
	done
	while IFS='|' read -r ex args out hops; do
		ex=$(echo $ex); args=$(echo $args); out=$(echo $out); hops=$(echo $hops)
		[ -n "$ex" ] && [ "${ex#\#}" = "$ex" ] || continue
		want="$out|$hops"
		# shellcheck disable=SC2086
		got=$(as_nobody "$NOBODY_ARSEMU" walk $args \
			--topo "$NOBODY_TOP/examples/$ex.json" | awk '
			/predicted/ { o = $0; sub(/.*predicted \(offline\): /, "", o);
				sub(/:.*/, "", o); p = 1; next }
			p && /^ +[0-9]+ / { h = h (h == "" ? "" : " ") $2 }
			/^ flow [1-9]/ { p = 0 }
			END { print o "|" h }')
		[ "$got" = "$want" ] || fail "$ex: walk $args: want '$want', got '$got'"
		n=$((n + 1))
	done < "$WALKS"
	echo "# $n walks asserted" >&3
}

@test "walk live: expressroute, gateway instance, MSEE and edge forward, both ways, TCP" {
	require_root
	local lab=$ARSEMU_T-wer
	arsemu up "$TOP/examples/expressroute.json" --name "$lab"
	run arsemu walk spoke1-vm1 dc-h1 --name "$lab" --both-ways --proto tcp --flows 2
	assert_success
	refute_output --partial MISMATCH
	assert_output --regexp "observed: delivered; forwarded by: hub-er[01] hub-er-msee dc-edge"
	assert_output --partial "return: dc-h1 -> 10.2.1.4 (tcp port 33434)"
	run arsemu walk dc-h1 hub-vm1 --name "$lab" --proto icmp
	assert_success
	assert_output --partial "match"
}

@test "walk live: udr-firewall, spoke to spoke through fw (PE-02, VR-08) both ways; the None route blackholes, observed too" {
	require_root
	local lab=$ARSEMU_T-wudr
	arsemu up "$TOP/examples/udr-firewall.json" --name "$lab"
	run arsemu walk spoke1-vm1 spoke2-vm1 --name "$lab" --both-ways
	assert_success
	refute_output --partial MISMATCH
	assert_output --partial "observed: delivered; forwarded by: fw"
	assert_output --partial "return: spoke2-vm1 -> 10.2.1.4"
	run arsemu walk spoke1-vm1 198.51.100.7 --name "$lab" --proto icmp
	assert_success
	assert_output --partial "predicted: blackholed: NIC spoke1-vm1: User 198.51.100.0/24 None"
	assert_output --partial "observed: not delivered; forwarded by: (no node)"
	assert_output --partial "match"
}

@test "walk live: vpn-static, a branch host to a spoke VM over the static tunnel and back" {
	require_root
	local lab=$ARSEMU_T-wvpn
	arsemu up "$TOP/examples/vpn-static.json" --name "$lab"
	run arsemu walk branch-h1 spoke1-vm1 --name "$lab" --both-ways
	assert_success
	refute_output --partial MISMATCH
	# forwarders are listed in the lab's node order, not the path's
	assert_output --partial "observed: delivered; forwarded by: hub-vpn0 branch-edge"
	[ "$(echo "$output" | grep -c '^  match$')" -eq 2 ] || fail "both ways should match"
}
