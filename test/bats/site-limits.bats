#!/usr/bin/env bats
# GW-05 and GW-07: what a gateway takes from a site. A VPN gateway takes at
# most 4,000 prefixes from a site over a BGP tunnel (GW-05); an ExpressRoute
# circuit's private peering 4,000 (Local, Standard) or 10,000 (Premium) at
# the MSEE (GW-07); beyond, the session drops. The topology
# (test/tools/site-limits.py) has a site of 4,001 /24s on a Standard circuit
# (big), on a Premium one (prem) and on a VPN tunnel (vbig), beside a site of
# one prefix on the same VPN gateway (small). A site's edge advertises its
# own prefixes only, so what it sends is what the limit counts.

load helpers

setup() {
	TOPO=$BATS_TEST_TMPDIR/site-limits.json
	python3 "$TOP/test/tools/site-limits.py" 4001 > "$TOPO"
}

teardown() {
	down_labs
}

@test "GW-05, GW-07: validate warns of the Standard circuit and the VPN tunnel over 4,000, not of the Premium circuit; plan leaves them out" {
	run arsemu validate "$TOPO"
	assert_success
	assert_output --partial 'circuits[0]: site "big" advertises 4001 prefixes'
	assert_output --partial 'at most 4000 from on-premises (Premium: 10,000)'
	assert_output --partial 'tunnels[0]: site "vbig" advertises 4001 prefixes to VPN gateway "vpn"'
	refute_output --partial 'site "prem"'
	run arsemu validate "$TOPO" --strict
	assert_failure 1
	run arsemu plan "$TOPO" hub-vm1
	assert_success
	assert_output --regexp 'VirtualNetworkGateway +Active +10\.175\.160\.0/24 +VirtualNetworkGateway +10\.1\.0\.4'
	assert_output --regexp 'VirtualNetworkGateway +Active +192\.168\.50\.0/24 +VirtualNetworkGateway +10\.1\.0\.6'
	refute_output --partial '172.16.0.0/24'
	refute_output --partial '10.192.0.0/24'
	# a walk to big's address meets the 172.16.0.0/12 None route (VR-02)
	run arsemu walk hub-vm1 172.16.0.10 --topo "$TOPO"
	assert_success
	assert_output --partial 'blackholed: NIC hub-vm1: Default 172.16.0.0/12 None'
	run arsemu walk hub-vm1 10.160.0.10 --topo "$TOPO"
	assert_output --partial 'hub-er-msee2'
	# at exactly 4,000 nothing is left out
	python3 "$TOP/test/tools/site-limits.py" 4000 > "$BATS_TEST_TMPDIR/at.json"
	run arsemu validate "$BATS_TEST_TMPDIR/at.json" --strict
	assert_success
	run arsemu plan "$BATS_TEST_TMPDIR/at.json" hub-vm1
	assert_output --partial '172.31.159.0/24'
	assert_output --partial '10.207.159.0/24'
}

@test "GW-05, GW-07 live: the MSEE resets the Standard circuit's session (Cease, maximum prefixes), the gateway the VPN tunnel's; the Premium circuit's 4,001 and the small site are learned; routes == plan" {
	require_root
	local lab=$ARSEMU_T-lim
	run arsemu up "$TOPO" --name "$lab"
	assert_success
	# GW-07: the MSEE of the Standard circuit
	wait_until 20 test -n "$(peer_field "$lab" hub-er-msee big-edge lastError | grep 'route limit')"
	run peer_field "$lab" hub-er-msee big-edge lastError
	assert_output --partial '> 4000'
	run peer_field "$lab" hub-er-msee big-edge state
	refute_output Established
	# held down 30 s, not flapping at every connect-retry
	grep -q 'peer big-edge: held down 30 s after its route limit' \
		"/run/arsemu/$lab/log/hub-er-msee.log"
	run peer_field "$lab" hub-er-msee big-edge flaps
	assert_output 1
	# an operator's enable ends the hold-down: the session comes back,
	# the site sends its 4,001 again and it is reset again
	run arsemu bgp hub-er-msee enable big-edge --name "$lab"
	assert_success
	assert_output --partial enabled
	wait_until 15 test "$(peer_field "$lab" hub-er-msee big-edge flaps)" = 2
	[ "$(grep -c 'peer big-edge: held down 30 s' "/run/arsemu/$lab/log/hub-er-msee.log")" = 2 ]
	# ... and the Premium one took them all
	run peer_field "$lab" hub-er-msee2 prem-edge routesAccepted
	assert_output 4001
	run peer_field "$lab" hub-er-msee2 prem-edge state
	assert_output Established
	# GW-05: both VPN instances reset vbig's tunnel, keep small's
	for g in hub-vpn0 hub-vpn1; do
		wait_until 20 test -n "$(peer_field "$lab" "$g" vbig-edge lastError | grep 'route limit')"
		run peer_field "$lab" "$g" vbig-edge state
		refute_output Established
		run peer_field "$lab" "$g" small-edge state
		assert_output Established
	done
	# what the gateways learned (CLI-06 shape): prem's behind 12076, no big's
	run arsemu gateway er learned --name "$lab"
	assert_success
	assert_output --partial '10.175.160.0/24'
	assert_output --partial '12076-64602'
	refute_output --partial '172.16.0.0/24'
	run arsemu gateway vpn learned --name "$lab"
	assert_success
	assert_output --partial '192.168.50.0/24'
	refute_output --partial '10.192.0.0/24'
	# the fabric, as plan predicts it, byte for byte; twice, a few
	# connect-retries apart: the resets do not leak routes into it
	diff -u <(arsemu plan "$TOPO" hub-vm1 --json 2>/dev/null) \
		<(arsemu routes hub-vm1 --name "$lab" --json)
	sleep 3
	diff -u <(arsemu plan "$TOPO" hub-vm1 --json 2>/dev/null) \
		<(arsemu routes hub-vm1 --name "$lab" --json)
	# traffic to the small site crosses the VPN gateway, as predicted
	run arsemu walk hub-vm1 small-h1 --name "$lab"
	assert_success
	refute_output --partial MISMATCH
	run arsemu down "$lab"
	assert_success
}
