#!/usr/bin/env bats
# arsemu check SUITE (issue 19): the shipped suite
# examples/checks/global-enterprise.suite.json (every assertion kind)
# offline as nobody, its exit codes 0/1/2/3, TAP, JUnit validated against
# test/tools/junit.xsd with xmllint; check --record on examples/diff/'s pair
# (a suite of today's routes passes on its topology, fails on the changed
# one); and --live on a lab of global-enterprise, with a failure injected.

load helpers

SUITE=$NOBODY_TOP/examples/checks/global-enterprise.suite.json
XSD=$TOP/test/tools/junit.xsd

# Files of a test, readable and writable by nobody.
setup() {
	D=$(mktemp -d)
	chmod 777 "$D"
}
teardown() {
	rm -rf "$D"
	down_labs
}

check_nobody() {
	as_nobody "$NOBODY_ARSEMU" check "$@"
}

# The shipped suite, one assertion changed by jq into $D/s.json (topology
# made absolute: the copy lives elsewhere).
variant() {
	jq --arg t "$NOBODY_TOP/examples/global-enterprise.json" ".topology = \$t | $1" \
		"$SUITE" > "$D/s.json"
}

@test "check: the shipped suite holds offline, as nobody: exit 0, a PASS line per assertion, every kind" {
	run check_nobody "$SUITE"
	assert_success
	assert_line --regexp '^12 assertions: 12 passed, 0 failed \(offline, [0-9.]+ s\)$'
	[ "$(grep -c '^PASS  ' <<<"$output")" = 12 ]
	assert_line "PASS  the headquarters has no route to the Internet: expected no route; seen no route via hq-h1 > hq-edge"
	run check_nobody "$SUITE" --json
	assert_success
	run jq -c '[.passed, .failed, .offline, ([.assertions[].kind] | unique), (.assertions | all(.held))]' <<<"$output"
	assert_output '[12,0,true,["bgp","policy","routes","walk"],true]'
}

@test "check: one assertion fails: exit 1, FAIL with what was expected and seen" {
	variant '.assertions[6].walk.outcome = "delivered"'
	run check_nobody "$D/s.json"
	assert_failure 1
	assert_line "FAIL  the headquarters has no route to the Internet: expected delivered; seen no route via hq-h1 > hq-edge"
	assert_line --regexp '^12 assertions: 11 passed, 1 failed '
	variant '.assertions[0].routes.via = ["10.1.2.5"]'
	run check_nobody "$D/s.json" --json
	assert_failure 1
	run jq -r '.assertions[0] | [.held, .path, .expected, .seen] | @tsv' <<<"$output"
	assert_output "$(printf 'false\t$.assertions[0].routes\tan Active route for 172.16.0.0/16 of type VirtualAppliance via 10.1.2.5 at uks-vm1\tuks-vm1: VirtualAppliance via 10.1.2.4.')"
}

@test "check --tap: TAP version 13, a plan, YAML diagnostics for a failure" {
	run check_nobody "$SUITE" --tap
	assert_success
	assert_line --index 0 "TAP version 13"
	assert_line --index 1 "1..12"
	[ "$(grep -c '^ok [0-9]* - ' <<<"$output")" = 12 ]
	variant '.assertions[9].policy.to = "vnet:spoke-uks" | .assertions[9].policy.from = "vnet:spoke-weu"'
	run check_nobody "$D/s.json" --tap
	assert_failure 1
	assert_line "not ok 10 - the headquarters cannot reach the Internet"
	assert_line "  ---"
	assert_line "  kind: policy"
	assert_line '  path: "$.assertions[9].policy"'
	assert_line '  expected: "no flow delivered between vnet:spoke-weu and vnet:spoke-uks"'
	assert_line --regexp '^  seen: "weu-vm1 -> uks-vm1 \(any\): delivered via weu-vm1 > weu-fw1 > uks-fw1 > uks-vm1'
	assert_line "  ..."
	# TAP's own parser agrees (prove reads TAP 13)
	if command -v prove >/dev/null; then
		printf '#!/bin/sh\ncat %s\n' "$D/tap" > "$D/t.sh"
		printf '%s\n' "$output" > "$D/tap"
		run prove "$D/t.sh"
		assert_failure
		assert_output --partial "Failed 1/12 subtests"
	fi
}

@test "check --junit: valid against test/tools/junit.xsd, a testcase per assertion, escaped, a failure with expected and seen" {
	command -v xmllint >/dev/null || fail "xmllint missing: scripts/deps.sh test installs libxml2-utils"
	run check_nobody "$SUITE" --junit "$D/ok.xml"
	assert_success
	run xmllint --noout --schema "$XSD" "$D/ok.xml"
	assert_success
	[ "$(xmllint --xpath 'count(//testcase)' "$D/ok.xml")" = 12 ]
	[ "$(xmllint --xpath 'count(//failure)' "$D/ok.xml")" = 0 ]
	# a name with every character XML escapes, and a failure
	variant '.assertions[6].name = "a <b> & \"c\" '"'"'d'"'"'" | .assertions[6].walk.outcome = "loop"'
	run check_nobody "$D/s.json" --junit "$D/bad.xml"
	assert_failure 1
	run xmllint --noout --schema "$XSD" "$D/bad.xml"
	assert_success
	run xmllint --xpath 'string(/testsuites/testsuite/testcase[7]/@name)' "$D/bad.xml"
	assert_output "a <b> & \"c\" 'd'"
	run xmllint --xpath 'string(/testsuites/testsuite/testcase[7]/failure)' "$D/bad.xml"
	assert_output "$(printf 'expected: loop\nseen: no route via hq-h1 > hq-edge')"
	[ "$(xmllint --xpath 'string(/testsuites/@failures)' "$D/bad.xml")" = 1 ]
	[ "$(xmllint --xpath 'string(/testsuites/testsuite/@tests)' "$D/bad.xml")" = 12 ]
	# the schema is no rubber stamp: a testcase without a name is refused
	sed 's/<testcase name="[^"]*"/<testcase/' "$D/bad.xml" > "$D/broken.xml"
	run xmllint --noout --schema "$XSD" "$D/broken.xml"
	assert_failure
}

@test "check: a bad suite is exit 2, with the file, line, column and JSON path" {
	variant '.assertions[4].walk.to = "vm9"'
	run check_nobody "$D/s.json"
	assert_failure 2
	assert_output --regexp "^arsemu: $D/s.json:[0-9]+:[0-9]+: \\\$\\.assertions\\[4\\]\\.walk\\.to: no node named vm9$"
	variant '.assertions[2].routes.bogus = 1'
	run check_nobody "$D/s.json"
	assert_failure 2
	assert_output --partial '$.assertions[2].routes.bogus: unknown field "bogus"'
	printf '{ "topology": "x.json", "assertions": [ { "walk": 1 } ] }' > "$D/s.json"
	run check_nobody "$D/s.json"
	assert_failure 2
	assert_output --partial '$.assertions[0].walk: must be an object'
	printf '{ "topology": "missing.json", "assertions": [ { "bgp": { "hub": "h", "peer": "p", "established": true } } ] }' > "$D/s.json"
	run check_nobody "$D/s.json"
	assert_failure 2
	assert_output --partial "(the topology of $D/s.json)"
	run check_nobody "$D/none.json"
	assert_failure 2
	run check_nobody "$SUITE" --json --tap
	assert_failure 2
}

@test "check: environment errors are exit 3: --live without root, a JUnit file that cannot be written" {
	run check_nobody "$SUITE" --live
	assert_failure 3
	assert_output --partial "needs root"
	run check_nobody "$SUITE" --junit /proc/arsemu-no-such-dir/x.xml
	assert_failure 3
	assert_output --partial "--junit: cannot write"
}

@test "check --record: a suite of today's routes and walks holds on its topology and fails when a route changes" {
	local before=$TOP/examples/diff/inspect-before.json after=$TOP/examples/diff/inspect-after.json
	run arsemu check --record "$before" -o "$D/rec.json"
	assert_success
	assert_output --regexp "wrote $D/rec.json: [0-9]+ route groups, [0-9]+ walks"
	run jq -r '.topology' "$D/rec.json"
	[ "$(cd "$D" && realpath "$output")" = "$before" ]
	run jq -c '[(.assertions | map(select(.routes)) | length), (.assertions | map(select(.walk)) | length)]' "$D/rec.json"
	assert_output "[12,16]"
	run check_nobody "$D/rec.json"
	assert_success
	# the same suite on the changed topology: spoke-uks's route table lost
	# hq-via-fw1, its route group and the walks that crossed uks-fw1 fail
	jq --arg t "$after" '.topology = $t' "$D/rec.json" > "$D/rec-after.json"
	run check_nobody "$D/rec-after.json"
	assert_failure 1
	assert_line --regexp '^FAIL  routes of group [0-9]+ \(spoke-uks/default\): expected exactly 9 Active routes, as listed at spoke-uks/default; seen spoke-uks/default: not expected: 172.16.0.0/16 VirtualNetworkGateway via 10.1.0.4,10.1.0.5; spoke-uks/default: missing: 172.16.0.0/16 VirtualAppliance via 10.1.2.4 \(1 not expected, 1 missing\)\.$'
	assert_line --regexp '^FAIL  walk uks-vm1 -> hq-h1 \(any\): expected delivered, through uks-fw1; seen delivered via uks-vm1 > hub-uks-er-uks0'
	[ "$(grep -c '^FAIL' <<<"$output")" = 2 ]
	run arsemu check --record "$before"
	assert_failure 2
}

@test "check --live: the shipped suite holds on a running lab; a crashed NVA is reported as live differing from plan" {
	require_root
	local lab=$ARSEMU_T-chk
	run arsemu up "$TOP/examples/global-enterprise.json" --name "$lab" --wait 120
	assert_success
	run arsemu check "$SUITE" --live --name "$lab" --junit "$D/live.xml"
	assert_success
	assert_line --regexp '^12 assertions: 12 passed, 0 failed \(live, [0-9.]+ s\)$'
	assert_line "PASS  every NIC of the weu spoke has the NVAs' default route: expected an Active route for 0.0.0.0/0 of type VirtualNetworkGateway via 10.11.2.4,10.11.2.5 at spoke-weu/default; seen as expected at 1 NIC"
	assert_line --regexp '^PASS  uks spoke to the headquarters through uks-fw1, symmetric: .*; seen delivered, forwarded by .*uks-fw1'
	run xmllint --noout --schema "$XSD" "$D/live.xml"
	assert_success
	# uks-fw1's speaker dies: the Route Server loses its routes (offline, the
	# plan still holds them)
	run arsemu fail uks-fw1 crash --name "$lab"
	assert_success
	wait_until 60 sh -c "\"$ARSEMU\" check \"$SUITE\" --live --name \"$lab\" --json |
		jq -e '.assertions[10].held == false'"
	run arsemu check "$SUITE" --live --name "$lab" --json
	assert_failure 1
	run jq -r '.assertions[10] | [.held, .seen] | @tsv' <<<"$output"
	assert_output --regexp '^false	hub-uks-rs0: [A-Za-z]+, does not learn 10.0.0.0/8, .*live differs from plan: the plan holds: hub-uks-rs0: established'
	run arsemu check "$SUITE" --live --name "$lab-none"
	assert_failure 3
	# a suite of another topology is not checked against this lab
	arsemu check --record "$TOP/examples/single-hub.json" -o "$D/sh.json"
	run arsemu check "$D/sh.json" --live --name "$lab"
	assert_failure 3
	assert_output "arsemu: lab $lab does not run the suite's topology single-hub (its nodes differ)"
	arsemu down "$lab"
}
