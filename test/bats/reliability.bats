#!/usr/bin/env bats
# Nothing lost, nothing left behind (issue 11, the parts the spine carries):
# a killed `up`, a killed lab daemon, labs side by side, and a host namespace
# that is the same before and after, sysctls included.

load helpers

setup_file() {
	[ "$(id -u)" = 0 ] || return 0
	export SNAP="$BATS_FILE_TMPDIR/host.before"
	full_snapshot > "$SNAP"
}

teardown() { down_labs; }

# Links, addresses, routes, rules and the IPv4 sysctls of the host.
full_snapshot() {
	host_snapshot
	sysctl -a 2>/dev/null | grep -E '^net\.ipv4\.(ip_forward|conf\.(all|default)\.|fib_)' |
		grep -vE 'stable_secret'
}

nothing_left() {
	[ -z "$(lab_namespaces "$1")" ] || { echo "namespaces left: $(lab_namespaces "$1")"; return 1; }
	[ -z "$(lab_processes "$1")" ] || { echo "processes left: $(lab_processes "$1")"; return 1; }
	[ ! -e "/run/arsemu/$1" ] || { echo "state left: /run/arsemu/$1"; return 1; }
}

@test "SIGKILL of arsemu up at 8 points during bring-up: down removes everything, a new up works" {
	require_root
	local lab=$ARSEMU_T-kill delay
	for delay in 0.005 0.01 0.02 0.04 0.08 0.15 0.3 0.6; do
		"$ARSEMU" up "$TOP/examples/single-hub.json" --name "$lab" >/dev/null 2>&1 &
		local pid=$!
		sleep "$delay"
		kill -9 "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		if [ -e "/run/arsemu/$lab" ]; then
			run arsemu down "$lab"
			assert_success
		fi
		nothing_left "$lab" || fail "after a kill at ${delay}s"
	done
	run arsemu up "$TOP/examples/single-hub.json" --name "$lab"
	assert_success
	run arsemu down "$lab"
	assert_success
	nothing_left "$lab"
}

@test "SIGKILL at 11 named points of up and of the lab daemon (ARSEMU_CRASH_AT): down removes everything, a new up works" {
	require_root
	local lab=$ARSEMU_T-cp p rc
	# er-vpn: sites, gateway links and an MSEE besides VNets and the fabric
	for p in state namespaces-half namespaces nics sites gateway-links \
	    daemon-started speaker-forked speakers-half route-sync converged; do
		run env ARSEMU_CRASH_AT="$p" "$ARSEMU" up "$TOP/examples/er-vpn.json" --name "$lab" --wait 20
		rc=$status
		case $p in
		speaker-forked|speakers-half|route-sync)
			# the daemon died there; up saw it and undid the lab itself
			[ "$rc" -ne 0 ] || fail "up succeeded with the daemon killed at $p"
			assert_output --partial "the lab daemon exited" ;;
		*)	[ "$rc" = 137 ] || fail "up was not killed at $p (exit $rc)" ;;
		esac
		if [ -e "/run/arsemu/$lab" ]; then
			run arsemu down "$lab"
			assert_success
		fi
		nothing_left "$lab" || fail "after a kill at $p"
	done
	run arsemu up "$TOP/examples/er-vpn.json" --name "$lab"
	assert_success
	run arsemu down "$lab"
	assert_success
	nothing_left "$lab"
}

@test "a crashed lab daemon and speakers: down still removes everything" {
	require_root
	local lab=$ARSEMU_T-crash
	arsemu up "$TOP/examples/single-hub.json" --name "$lab"
	local p
	for p in $(awk '$1=="pid"{print $2}' "/run/arsemu/$lab/state"); do
		kill -9 "$p" 2>/dev/null || true
	done
	run arsemu down "$lab"
	assert_success
	nothing_left "$lab"
}

@test "two labs side by side: same addresses, separate namespaces, no cross-talk" {
	require_root
	local a=$ARSEMU_T-a b=$ARSEMU_T-b
	arsemu up "$TOP/examples/single-hub.json" --name "$a"
	arsemu up "$TOP/examples/single-hub.json" --name "$b"
	local before after
	before=$(ip_forwarded "$b" sdwan)
	run arsemu exec spoke1-vm1 --name "$a" -- ping -c3 -i0.2 -W2 10.250.0.1
	assert_success
	after=$(ip_forwarded "$b" sdwan)
	assert_equal "$after" "$before"
	run arsemu down "$a"
	assert_success
	run arsemu exec spoke1-vm1 --name "$b" -- ping -c1 -W2 10.250.0.1
	assert_success
	run arsemu status --name "$b"
	assert_output --partial converged
}

@test "the host namespace is unchanged after labs, drills and teardowns (sysctls included)" {
	require_root
	diff <(full_snapshot) "$SNAP"
}

@test "security: the state directory and its control sockets are root's alone" {
	require_root
	local lab=$ARSEMU_T-perm
	arsemu up "$TOP/examples/single-hub.json" --name "$lab"
	assert_equal "$(stat -c %a "/run/arsemu/$lab")" "700"
	# nobody runs arsemu (NOBODY_ARSEMU: a copy it can execute) but cannot
	# enter the lab's directory to reach its socket
	run as_nobody "$NOBODY_ARSEMU" routes spoke1-vm1 --name "$lab"
	assert_failure
	assert_output --partial "Permission denied"
	run as_nobody "$NOBODY_ARSEMU" fail sdwan crash --name "$lab"
	assert_failure
	assert_output --partial "Permission denied"
	run arsemu status --name "$lab"
	assert_output --partial converged
}
