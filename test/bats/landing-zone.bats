#!/usr/bin/env bats
# examples/landing-zone.json (issue 18, done means): the issue's parts in
# one estate (firewalls with a trusted and an untrusted NIC among them). Offline without root, the shipped suite holds and
# bad input for its objects is refused at its JSON path; live, every NIC's
# routes equal the plan, the suite holds against real packets, the walks
# observed are the walks predicted (the load balancer's backend for a
# Route Server route, RS-23; the MSEE between two hubs, GW-13); the drill
# fails a firewall behind the load balancer; nothing is left behind.

load helpers

# a folder nobody can write (the JUnit file), removed with the test
teardown() {
	down_labs
	[ -z "${D:-}" ] || rm -rf "$D"
}

EX=$TOP/examples/landing-zone.json
SUITE=examples/checks/landing-zone.suite.json

@test "landing zone offline: valid, the shipped suite holds without root (JUnit too), NS-05 an NSG on AzureFirewallSubnet is refused at its path" {
	run as_nobody "$NOBODY_ARSEMU" validate "$NOBODY_TOP/examples/landing-zone.json"
	assert_success
	assert_output --partial "valid: lab landing-zone, 5 VNets"
	D=$(mktemp -d)
	chmod 777 "$D"
	run as_nobody "$NOBODY_ARSEMU" check "$NOBODY_TOP/$SUITE" --junit "$D/lz.xml"
	assert_success
	grep -q 'tests="14" failures="0"' "$D/lz.xml" || fail "JUnit: $(head -c 300 "$D/lz.xml")"
	run arsemu check "$TOP/$SUITE"
	assert_success
	assert_output --partial "14 assertions: 14 passed, 0 failed"
	local f=$BATS_TEST_TMPDIR/lz.json
	jq '.network_security_groups[0].subnets += ["hub-neu/AzureFirewallSubnet"]' "$EX" > "$f"
	run arsemu validate "$f"
	assert_failure 2
	assert_output --partial 'network_security_groups[0].subnets[2]: an NSG cannot be associated with AzureFirewallSubnet: Azure takes none there (NS-05)'
}

@test "landing zone live: plan == routes for every NIC, the suite holds live, walks observed as predicted (RS-23 through the ILB, GW-13 at the MSEE), torn down leaving nothing" {
	require_root
	local lab=$ARSEMU_T-lz nic n=0
	run arsemu up "$EX" --name "$lab"
	assert_success
	for nic in $(ARSEMU="$ARSEMU" sh "$TOP/test/golden/nics.sh" "$EX"); do
		diff -u <("$ARSEMU" plan "$EX" "$nic" --json 2>/dev/null) \
			<("$ARSEMU" routes "$nic" --name "$lab" --json) ||
			fail "plan and routes differ for $nic"
		n=$((n + 1))
	done
	[ "$n" -eq 17 ] || fail "$n NICs, expected 17"
	run arsemu check "$TOP/$SUITE" --live --name "$lab"
	echo "$output"
	assert_success
	# the Route Server's 0.0.0.0/0 to the frontend spreads over both backends
	run arsemu walk web1 internet --name "$lab" --proto tcp --port 443 --flows 8
	assert_success
	refute_output --partial MISMATCH
	assert_output --partial 'load balancer fw-ilb: backend fw1'
	# in by the trusted NIC, out to the Internet by the untrusted (NV-01)
	assert_output --partial 'NIC fw1/untrust: User 0.0.0.0/0 Internet'
	assert_output --partial 'observed: delivered; forwarded by: fw1'
	assert_output --partial 'observed: delivered; forwarded by: fw2'
	# GW-13: from the data centre into a hub under its own summary, and from
	# one hub's spoke to the other's, turning at the MSEE
	run arsemu walk dc-h1 jump1 --name "$lab" --proto tcp --port 22
	assert_success
	refute_output --partial MISMATCH
	assert_output --partial 'observed: delivered; forwarded by: hub-weu-er-weu'
	run arsemu walk web3 db1 --name "$lab" --proto tcp --port 1433
	assert_success
	refute_output --partial MISMATCH
	assert_output --partial 'predicted: denied by an NSG: denied by NSG nsg-db, rule deny-vnet'
	# the non-BGP firewall filters, the spoke mesh carries, NSGs deny
	run arsemu walk web3 internet --name "$lab" --proto tcp --port 25
	assert_success
	refute_output --partial MISMATCH
	assert_output --partial 'stopped at: azfw'
	run arsemu walk db1 web1 --name "$lab" --proto tcp --port 22
	assert_success
	refute_output --partial MISMATCH
	assert_output --partial 'observed: not delivered'
	run arsemu down "$lab"
	assert_success
	[ -z "$(lab_namespaces "$lab")" ] || fail "namespaces left"
	[ -z "$(lab_processes "$lab")" ] || fail "processes left"
}

@test "landing zone drill lz-fw1-down: a blackholed firewall behind the ILB costs its flows the probes' time (10-15 s), not the BGP hold time; the others nothing" {
	require_root
	run arsemu drill "$TOP/examples/drills/lz-fw1-down.json" --name "$ARSEMU_T-dlz"
	echo "$output"
	assert_success
	assert_output --partial "PASSED"
	echo "$output" | awk '$1=="web-to-internet" && $5==0' | grep -q . || fail "no flow on fw2"
	echo "$output" | awk '$1=="web-to-internet" && $5>=9500 && $5<=15500' | grep -q . ||
		fail "no flow lost 9.5-15.5 s"
	[ -z "$(lab_namespaces "$ARSEMU_T-dlz")" ] || fail "namespaces left"
}
