#!/usr/bin/env bats
# Failover drills end to end (issue 7): fail/restore by hand, and the shipped
# drills with their measured loss and convergence.

load helpers

teardown() { down_labs; }

@test "fail/restore by hand: crash, shutdown and link on a running lab" {
	require_root
	local lab=$ARSEMU_T-fr
	arsemu up "$TOP/examples/active-active.json" --name "$lab"
	run arsemu fail fw1 crash --name "$lab"
	assert_success
	wait_until 3 bash -c "[ \"\$('$ARSEMU' routes spoke1-vm1 --name $lab | grep -c 'VirtualNetworkGateway  10.1.2.4')\" = 0 ]"
	run arsemu fail fw1 crash --name "$lab"
	assert_failure 2
	assert_output --partial "already failed"
	run arsemu restore fw1 --name "$lab"
	assert_success
	wait_until 5 bash -c "'$ARSEMU' routes spoke1-vm1 --name $lab | grep -q 'VirtualNetworkGateway  10.1.2.4'"
	# a graceful shutdown sends a NOTIFICATION the route server logs
	run arsemu fail fw2 shutdown --name "$lab"
	assert_success
	wait_until 3 grep -q "peer fw2.*Established -> Idle" "/run/arsemu/$lab/log/hub-rs0.log"
	run arsemu restore fw2 --name "$lab"
	assert_success
	# link: the VM's NIC is blackholed both ways, and comes back
	run arsemu exec spoke1-vm1 --name "$lab" -- ping -c1 -W1 10.250.0.1
	assert_success
	run arsemu fail spoke1-vm1 link --name "$lab"
	assert_success
	run arsemu exec spoke1-vm1 --name "$lab" -- ping -c1 -W1 10.250.0.1
	assert_failure
	run arsemu restore spoke1-vm1 --name "$lab"
	assert_success
	run arsemu exec spoke1-vm1 --name "$lab" -- ping -c1 -W1 10.250.0.1
	assert_success
	run arsemu fail spoke1-vm1 melt --name "$lab"
	assert_failure 2
	run arsemu restore nosuch --name "$lab"
	assert_failure 2
	grep -q '"event": "fail", "node": "fw1", "kind": "crash"' "/run/arsemu/$lab/journal.jsonl"
	grep -q '"event": "restore", "node": "fw2", "kind": "shutdown"' "/run/arsemu/$lab/journal.jsonl"
}

@test "drill aa-fw1-crash: RS-33 ECMP collapses at once, no packet lost, exit 0" {
	require_root
	run arsemu drill "$TOP/examples/drills/aa-fw1-crash.json" --name "$ARSEMU_T-dc" --json
	echo "$output" | head -60
	assert_success
	assert_output --partial '"passed": true'
	assert_output --partial '"lossMs": 0'
	refute_output --partial '"ok": false'
	# expect_path: flows crossed both firewalls before, fw2 alone after
	assert_output --regexp '"name": "path of spoke-to-dc"'
	[ -z "$(lab_namespaces "$ARSEMU_T-dc")" ]
}

@test "drill aa-fw1-freeze: only the hold timer notices; loss 2-3 s (hold minus keepalive to hold) on fw1's flows, none on fw2's" {
	require_root
	run arsemu drill "$TOP/examples/drills/aa-fw1-freeze.json" --name "$ARSEMU_T-df"
	echo "$output"
	assert_success
	assert_output --partial "PASSED"
	assert_output --partial "Hold Timer Expired"
	assert_output --regexp "HoldTimer_Expires"
	# some flows hash to fw2 and lose nothing, some to fw1 and lose seconds
	echo "$output" | awk '$1=="spoke-to-dc" && $5==0' | grep -q .
	echo "$output" | awk '$1=="spoke-to-dc" && $5>=1900' | grep -q .
	[ -z "$(lab_namespaces "$ARSEMU_T-df")" ]
}

@test "drill: an expectation that does not hold gives exit status 1" {
	require_root
	local d=$BATS_TEST_TMPDIR/strict.json
	sed -e 's|"../active-active.json"|"'"$TOP"'/examples/active-active.json"|' \
	    -e 's|"max": 1000$|"max": 0, "min": 500|' \
	    "$TOP/examples/drills/aa-fw1-crash.json" > "$d"
	grep -q '"min": 500' "$d"
	run arsemu drill "$d" --name "$ARSEMU_T-dx"
	assert_failure 1
	assert_output --partial "FAIL convergence after crash fw1"
	[ -z "$(lab_namespaces "$ARSEMU_T-dx")" ]
}

@test "drill: bad input names the JSON path and exits 2" {
	local d=$BATS_TEST_TMPDIR/bad.json
	echo '{ "name": "x", "topology": "t.json", "steps": [ { "fail": "fw1", "kind": "melt" } ] }' > "$d"
	run arsemu drill "$d"
	assert_failure 2
	assert_output --partial "steps[0].kind"
}

@test "drill ap-primary-shutdown: RS-34 the prepended backup takes over on a graceful shutdown and hands back" {
	require_root
	run arsemu drill "$TOP/examples/drills/ap-primary-shutdown.json" --name "$ARSEMU_T-ap"
	echo "$output"
	assert_success
	assert_output --partial "Administrative Shutdown"
	assert_output --partial "PASSED"
	[ -z "$(lab_namespaces "$ARSEMU_T-ap")" ]
}

@test "bgp by hand: withdraw and announce a prefix, disable and enable one session, journalled" {
	require_root
	local lab=$ARSEMU_T-bg
	arsemu up "$TOP/examples/active-passive.json" --name "$lab"
	run arsemu bgp fw1 withdraw 10.0.0.0/8 --name "$lab"
	assert_success
	assert_output "fw1: withdrawn"
	wait_until 3 bash -c "'$ARSEMU' routes spoke1-vm1 --name $lab | grep -q 'VirtualNetworkGateway  10.1.2.5'"
	run arsemu bgp fw1 announce 10.0.0.0/8 --name "$lab"
	assert_output "fw1: announced"
	wait_until 3 bash -c "'$ARSEMU' routes spoke1-vm1 --name $lab | grep -q 'VirtualNetworkGateway  10.1.2.4'"
	# RS-34 at run time: the primary prepends more than the backup
	run arsemu bgp fw1 prepend 3 --name "$lab"
	assert_output "fw1: prepend set"
	wait_until 3 bash -c "'$ARSEMU' routes spoke1-vm1 --name $lab | grep -q 'VirtualNetworkGateway  10.1.2.5'"
	run arsemu rs hub learned fw1 --name "$lab"
	assert_output --partial "65010-65010-65010-65010"
	arsemu bgp fw1 prepend 0 --name "$lab"
	wait_until 3 bash -c "'$ARSEMU' routes spoke1-vm1 --name $lab | grep -q 'VirtualNetworkGateway  10.1.2.4'"
	run arsemu bgp hub-rs0 disable fw1 --name "$lab"
	assert_output "hub-rs0: disabled"
	run arsemu rs hub peers --name "$lab"
	assert_line --regexp '^hub-rs0 +fw1 .* Idle .*Administrative Shutdown'
	sleep 2
	run arsemu rs hub peers --name "$lab"
	assert_line --regexp '^hub-rs0 +fw1 .* Idle '
	run arsemu bgp hub-rs0 enable fw1 --name "$lab"
	assert_output "hub-rs0: enabled"
	wait_until 5 bash -c "'$ARSEMU' rs hub peers --name $lab | grep -qE '^hub-rs0 +fw1 .*Established'"
	run arsemu bgp fw1 reboot now --name "$lab"
	assert_failure 2
	grep -q '"event": "bgp", "node": "fw1", "command": "withdraw 10.0.0.0/8", "result": "withdrawn"' \
	    "/run/arsemu/$lab/journal.jsonl"
}

@test "drill egress-patch: a firewall withdraws its 0.0.0.0/0; Internet traffic follows the backup without loss" {
	require_root
	run arsemu drill "$TOP/examples/drills/egress-patch.json" --name "$ARSEMU_T-ep"
	echo "$output"
	assert_success
	assert_output --partial "PASSED"
	assert_output --regexp "bgp node=fw1 command=withdraw 0\.0\.0\.0/0"
}

@test "drill ap-session-disable: the primary's Route Server sessions disabled, the backup takes over" {
	require_root
	run arsemu drill "$TOP/examples/drills/ap-session-disable.json" --name "$ARSEMU_T-sd"
	echo "$output"
	assert_success
	assert_output --partial "PASSED"
	assert_output --partial "Administrative Shutdown"
}

@test "drill vpn-tunnel-drop: a branch tunnel is cut, the hold timer notices, the other instance's tunnel carries the branch" {
	require_root
	run arsemu drill "$TOP/examples/drills/vpn-tunnel-drop.json" --name "$ARSEMU_T-vt"
	echo "$output"
	assert_success
	assert_output --partial "PASSED"
	# the session down at the gateway instance, and why, on the drill's clock
	assert_output --regexp "hub-vpn0 +peer branch1-edge: sent NOTIFICATION Hold Timer Expired"
	assert_output --regexp "fail node=hub-vpn0/branch1-edge kind=link"
	# flows on instance 0 lose about the hold time (3 s), the others nothing
	echo "$output" | awk '$1=="spoke-to-branch1" && $5==0' | grep -q .
	echo "$output" | awk '$1=="spoke-to-branch1" && $5>=1900 && $5<=4500' | grep -q .
	[ -z "$(lab_namespaces "$ARSEMU_T-vt")" ]
}

@test "drill er-circuit-down: the MSEE-to-edge link is cut, GW-09 traffic moves to VPN after the hold time and back without loss" {
	require_root
	run arsemu drill "$TOP/examples/drills/er-circuit-down.json" --name "$ARSEMU_T-ec" --json
	echo "$output" | head -80
	assert_success
	assert_output --partial '"passed": true'
	refute_output --partial '"ok": false'
	[ -z "$(lab_namespaces "$ARSEMU_T-ec")" ]
}

@test "fail by hand: a gateway link A/B and a gateway instance down, rules and local delivery put back exactly; a VPN tunnel session disabled and enabled" {
	require_root
	local lab=$ARSEMU_T-gl rules0 rules1
	arsemu up "$TOP/examples/branch-vpn.json" --name "$lab"
	rules0=$(arsemu exec branch1-edge --name "$lab" -- ip rule)
	rules1=$(arsemu exec hub-vpn0 --name "$lab" -- ip rule)
	# a link that does not exist, a kind a link cannot have
	run arsemu fail hub-vpn0/hub-vpn1 link --name "$lab"
	assert_failure 2
	assert_output --partial "no gateway link named hub-vpn0/hub-vpn1"
	run arsemu fail hub-vpn0/branch1-edge crash --name "$lab"
	assert_failure 2
	assert_output --partial 'can only fail as "link"'
	# the tunnel, named from either end: cut at both ends, local rule late
	run arsemu fail branch1-edge/hub-vpn0 link --name "$lab"
	assert_success
	run arsemu exec branch1-edge --name "$lab" -- ip rule
	assert_output --regexp "10:.*iif l[0-9]+ blackhole"
	assert_output --regexp "20:.*lookup local"
	run arsemu status --name "$lab"
	assert_output --partial "failed: branch1-edge/hub-vpn0 (link)"
	# the session over it dies by the hold timer (3 s), the other tunnel stays
	wait_until 8 bash -c "'$ARSEMU' status --name $lab | grep -E 'hub-vpn0 +branch1-edge' | grep -vq Established"
	run arsemu status --name "$lab"
	assert_output --regexp "hub-vpn1 +branch1-edge +Established"
	assert_output --regexp "hub-vpn0 +branch2-edge +Established"
	# once the edge's own hold timer has fired too, the branch gets back
	wait_until 8 "$ARSEMU" exec b1-h1 --name "$lab" -- ping -c1 -W1 10.2.1.4
	run arsemu restore hub-vpn0/branch1-edge --name "$lab"
	assert_success
	assert_equal "$(arsemu exec branch1-edge --name "$lab" -- ip rule)" "$rules0"
	wait_until 8 bash -c "'$ARSEMU' status --name $lab | grep -E 'hub-vpn0 +branch1-edge' | grep -q Established"
	# a gateway instance powered off: its NIC and both tunnels cut, speaker gone
	run arsemu fail hub-vpn0 down --name "$lab"
	assert_success
	wait_until 8 bash -c "[ \"\$('$ARSEMU' routes spoke1-vm1 --name $lab | grep -c 'VirtualNetworkGateway  10.1.0.4')\" = 0 ]"
	run arsemu routes spoke1-vm1 --name "$lab"
	assert_output --regexp "192.168.1.0/24 +VirtualNetworkGateway +10.1.0.5"
	assert_output --regexp "192.168.2.0/24 +VirtualNetworkGateway +10.1.0.5"
	# the branch's edge hears nothing from the dead instance (not even a
	# FIN): its return traffic may take the dead tunnel until its own hold
	# timer (3 s) fires, as a real branch's would
	wait_until 8 "$ARSEMU" exec spoke1-vm1 --name "$lab" -- ping -c1 -W1 192.168.2.10
	run arsemu restore hub-vpn0 --name "$lab"
	assert_success
	assert_equal "$(arsemu exec hub-vpn0 --name "$lab" -- ip rule)" "$rules1"
	wait_until 10 bash -c "[ \"\$('$ARSEMU' routes spoke1-vm1 --name $lab | grep -c 'VirtualNetworkGateway  10.1.0.4')\" = 2 ]"
	grep -q '"event": "fail", "node": "hub-vpn0", "kind": "down"' "/run/arsemu/$lab/journal.jsonl"
	# one VPN tunnel's BGP session administratively down (Cease) and back
	wait_until 10 bash -c "'$ARSEMU' status --name $lab | grep -E 'hub-vpn0 +branch2-edge' | grep -q Established"
	run arsemu bgp hub-vpn0 disable branch2-edge --name "$lab"
	assert_success
	wait_until 5 bash -c "[ \"\$('$ARSEMU' routes spoke1-vm1 --name $lab | grep -c '192.168.2.0/24 *VirtualNetworkGateway  10.1.0.4')\" = 0 ]"
	run arsemu bgp hub-vpn0 enable branch2-edge --name "$lab"
	assert_success
	wait_until 10 bash -c "'$ARSEMU' routes spoke1-vm1 --name $lab | grep -q '192.168.2.0/24 *VirtualNetworkGateway  10.1.0.4'"
}

@test "bgp by hand: an NVA-to-NVA overlay session disabled (RS-52) takes the other region's prefixes away, enabled brings them back" {
	require_root
	local lab=$ARSEMU_T-ov
	arsemu up "$TOP/examples/multi-region.json" --name "$lab"
	run arsemu routes uks-vm1 --name "$lab"
	assert_output --regexp "10.12.0.0/16 +VirtualNetworkGateway +10.1.2.4"
	run arsemu bgp nva-uks disable nva-weu --name "$lab"
	assert_success
	wait_until 5 bash -c "! '$ARSEMU' routes uks-vm1 --name $lab | grep -q '10.12.0.0/16'"
	run arsemu routes weu-vm1 --name "$lab"
	refute_output --partial "10.2.0.0/16"
	run arsemu bgp nva-uks enable nva-weu --name "$lab"
	assert_success
	wait_until 10 bash -c "'$ARSEMU' routes uks-vm1 --name $lab | grep -q '10.12.0.0/16'"
	grep -q '"command": "disable nva-weu"' "/run/arsemu/$lab/journal.jsonl"
}

@test "drill --shard K/N --list: the shards of examples/drills/ are disjoint, cover every drill, differ by at most one, and are stable; without root" {
	local n k all got sizes
	all=$(ls "$NOBODY_TOP"/examples/drills/*.json | sort)
	for n in 1 2 3 5 12 13; do
		got=""
		sizes=""
		for k in $(seq 1 "$n"); do
			run as_nobody "$NOBODY_ARSEMU" drill \
				"$NOBODY_TOP/examples/drills" --shard "$k/$n" --list
			assert_success
			got="$got${output:+$output
}"
			sizes="$sizes $(printf '%s' "$output" | grep -c . || true)"
			[ "$output" = "$("$ARSEMU" drill "$NOBODY_TOP/examples/drills" --shard "$k/$n" --list)" ] ||
				fail "shard $k/$n is not the same twice"
		done
		[ "$(printf '%s' "$got" | sort)" = "$all" ] ||
			fail "the $n shards do not hold each drill exactly once"
		# shellcheck disable=SC2086
		[ $(( $(printf '%s\n' $sizes | sort -n | tail -1) - $(printf '%s\n' $sizes | sort -n | head -1) )) -le 1 ] ||
			fail "shards of $n are unbalanced: $sizes"
	done
	# the files in another order, or named twice: the same shard
	run "$ARSEMU" drill "$NOBODY_TOP"/examples/drills/v*.json "$NOBODY_TOP/examples/drills" --shard 2/3 --list
	assert_output "$("$ARSEMU" drill "$NOBODY_TOP/examples/drills" --shard 2/3 --list)"
}

@test "drill --shard: K and N are range-checked; --report takes one drill" {
	run arsemu drill "$TOP/examples/drills" --shard 0/3 --list
	assert_failure 2
	assert_output --partial "--shard K: 0 is out of range 1..3"
	run arsemu drill "$TOP/examples/drills" --shard 1/1001 --list
	assert_failure 2
	assert_output --partial "out of range 1..1000"
	run arsemu drill "$TOP/examples/drills" --shard 2 --list
	assert_failure 2
	assert_output --partial "write it K/N"
	run arsemu drill "$TOP/examples/drills" --report "$BATS_TEST_TMPDIR/r.html"
	assert_failure 2
	assert_output --partial "--report draws one drill; $(ls "$TOP"/examples/drills/*.json | wc -l) are selected"
	run arsemu drill "$BATS_TEST_TMPDIR/nothing-here"
	assert_failure 2
}

@test "drill A B --junit FILE: two drills in one run, labs apart, a testcase per drill and per expectation, valid JUnit" {
	require_root
	local d=$BATS_TEST_TMPDIR strict=$BATS_TEST_TMPDIR/strict.json
	# the second drill made to fail one expectation (as above)
	sed -e 's|"../active-active.json"|"'"$TOP"'/examples/active-active.json"|' \
	    -e 's|"max": 1000$|"max": 0, "min": 500|' \
	    "$TOP/examples/drills/aa-fw1-crash.json" > "$strict"
	run arsemu drill "$TOP/examples/drills/aa-fw1-crash.json" "$strict" \
		--name "$ARSEMU_T-dj" --junit "$d/drills.xml" --json
	assert_failure 1
	[ "$(echo "$output" | jq length)" -eq 2 ] || fail "not two reports: $output"
	[ "$(echo "$output" | jq -r '.[0].lab, .[1].lab' | sort -u | wc -l)" -eq 2 ] ||
		fail "the two drills shared a lab"
	[ "$(echo "$output" | jq '[.[].passed] | sort')" = "$(printf '[\n  false,\n  true\n]')" ]
	xmllint --noout --schema "$TOP/test/tools/junit.xsd" "$d/drills.xml"
	# 2 drills, each with its expectations
	local want
	want=$(echo "$output" | jq '[.[] | 1 + (.expectations | length)] | add')
	[ "$(xmllint --xpath 'count(//testcase)' "$d/drills.xml")" -eq "$want" ]
	[ "$(xmllint --xpath 'string(/testsuites/@tests)' "$d/drills.xml")" -eq "$want" ]
	[ "$(xmllint --xpath 'count(//testcase/failure)' "$d/drills.xml")" -eq 2 ]
	[ "$(xmllint --xpath 'string(/testsuites/@failures)' "$d/drills.xml")" -eq 2 ]
	xmllint --xpath '//testcase/failure/text()' "$d/drills.xml" |
		grep -q "convergence after crash fw1" || fail "the failure text does not say what failed"
	[ -z "$(lab_namespaces "$ARSEMU_T-dj")" ]
}

@test "contrib: the GitHub Actions workflow's and the Indexed Job's drill commands are ones arsemu takes, and their shards cover the drills" {
	local f line k cmd got=""
	for f in "$TOP/contrib/ci/github-actions-drills.yml" "$TOP/contrib/k8s/drills-indexed-job.yaml"; do
		line=$(grep -o '\./arsemu drill .*' "$f")
		[ -n "$line" ] || fail "no arsemu drill command in $f"
		got=""
		for k in 1 2 3 4; do
			# each shard as the file's variables make it, listed
			cmd=$(echo "$line" | sed -e "s|\${{ matrix.shard }}|$k|g" \
				-e "s|\$((JOB_COMPLETION_INDEX + 1))|$k|; s|\$JOB_COMPLETION_INDEX|$((k - 1))|" \
				-e 's|\$SHARDS|4|; s|"\$DRILLS"|examples/drills|' \
				-e "s|^\./arsemu|$ARSEMU|")
			run bash -c "cd '$TOP' && $cmd --list"
			assert_success
			got="$got$output
"
		done
		[ "$(printf '%s' "$got" | grep . | sort)" = "$(cd "$TOP" && ls examples/drills/*.json | sort)" ] ||
			fail "$f: its 4 shards do not run each drill once"
	done
}

@test "drill: a probe the scheduler pauses is no loss (the UDP receiver, then both senders, stopped 500 ms)" {
	require_root
	# What a loaded machine does to the instrument, on purpose, while the
	# network is whole; the loss must stay 0. The UDP receiver dates
	# packets by the kernel's arrival stamp and its buffer holds the
	# pause; a sender's pause delays its sends and their arrivals alike,
	# which is no stall (TCP) and no gap in sequence (UDP). The previous
	# probe lost UDP packets and counted TCP stalls here. (A TCP
	# receiver's pause is not corrected but prevented: the kernel merges
	# what waits in the socket, so its stamps cannot date each record;
	# the probes run at a real-time priority instead.)
	local lab=$ARSEMU_T-dp d=$BATS_TEST_TMPDIR/pause.json out=$BATS_TEST_TMPDIR/pause.out
	cat > "$d" <<-EOD
	{ "name": "probe-pause", "topology": "$TOP/examples/active-active.json",
	  "traffic": [
	    { "name": "udp", "from": "spoke1-vm1", "to": "10.250.0.1", "flows": 16, "rate": 500 },
	    { "name": "tcp", "from": "spoke1-vm1", "to": "10.250.0.1", "proto": "tcp", "flows": 2, "rate": 100 } ],
	  "steps": [ { "wait_converged": 15 }, { "sleep_ms": 4000 } ],
	  "expect": [ { "loss_ms": { "traffic": "udp", "max": 0 } },
	              { "loss_ms": { "traffic": "tcp", "max": 0 } } ] }
	EOD
	"$ARSEMU" drill "$d" --name "$lab" --json > "$out" 2>&1 &
	local drill=$!
	# the four probes, as the drill records them in the lab's state
	local st=/run/arsemu/$lab/state i p recv="" send=""
	for i in $(seq 600); do
		[ "$(grep -c ' probe$' "$st" 2>/dev/null)" = 4 ] && break
		sleep 0.1
	done
	for p in $(awk '$1 == "pid" && $3 == "probe" {print $2}' "$st"); do
		case $(tr '\0' ' ' < /proc/$p/cmdline) in
		"arsemu _probe recv "*tcp" ") ;;
		"arsemu _probe recv "*) recv="$recv $p" ;;
		"arsemu _probe send "*) send="$send $p" ;;
		esac
	done
	[ "$(echo $recv | wc -w)" = 1 ] && [ "$(echo $send | wc -w)" = 2 ]
	sleep 1.5
	kill -STOP $recv; sleep 0.5; kill -CONT $recv
	sleep 0.5
	kill -STOP $send; sleep 0.5; kill -CONT $send
	local rc=0
	wait "$drill" || rc=$?
	cat "$out"
	[ "$rc" = 0 ]
	grep -q '"passed": true' "$out"
	[ "$(grep -c '"lossMs": 0' "$out")" = 18 ]
	! grep -q "socket dropped" "$out"
	[ -z "$(lab_namespaces "$lab")" ]
}
