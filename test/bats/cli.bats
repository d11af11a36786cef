#!/usr/bin/env bats
# The command line's own checks (hardening 8): one check of a lab name for
# every command that takes one, one range-checked parser for every numeric
# option, and an option a command does not take is refused. The commands and
# options are read from `arsemu --help`, not from a list kept here.

load helpers

setup() {
	# Where the lab state would be: a run dir of this test's own.
	export ARSEMU_RUNDIR=$BATS_TEST_TMPDIR/run/arsemu
	mkdir -p "$ARSEMU_RUNDIR"
}

teardown() {
	if [ -n "${LISTENER:-}" ]; then kill "$LISTENER" 2>/dev/null || true; fi
	down_labs
}

# The commands whose usage line in --help matches the regexp $1.
commands_with() {
	arsemu --help | sed -n 's/^  arsemu \([a-z]*\) .*/\1 &/p' |
	    grep -E -- "$1" | cut -d' ' -f1
}

# "CMD OPT" for every numeric option: one whose value is N or SECONDS.
numeric_options() {
	arsemu --help | sed -n 's/^  arsemu \([a-z]*\) /\1 /p' | while read -r cmd rest; do
		grep -oE -- '\[--[a-z-]+ (N|SECONDS)\]' <<<"$rest" |
		    sed "s/^\[\(--[a-z-]*\) .*/$cmd \1/"
	done
}

NAME_RULE="not a lab name (1 to 32 characters of a-z, 0-9 and '-', not starting with '-')"

@test "status --name ../evil: exit 2, a clear message, and no socket outside the run dir is touched" {
	# A socket where /run/arsemu/../evil/ctl.sock would lead, counting connections.
	mkdir -p "$BATS_TEST_TMPDIR/run/evil"
	python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); s.listen(4)
while True:
	c, _ = s.accept()
	open(sys.argv[2], "a").write("connected\n")
	c.close()' "$BATS_TEST_TMPDIR/run/evil/ctl.sock" "$BATS_TEST_TMPDIR/touched" &
	LISTENER=$!
	wait_until 10 test -S "$BATS_TEST_TMPDIR/run/evil/ctl.sock"
	run arsemu status --name ../evil
	assert_failure 2
	assert_output "arsemu: --name \"../evil\": $NAME_RULE"
	sleep 0.2
	[ ! -e "$BATS_TEST_TMPDIR/touched" ]
	[ -z "$(ls -A "$ARSEMU_RUNDIR")" ]
}

@test "every command that takes --name refuses a bad name the same way, before anything else" {
	local cmds cmd bad n=0
	cmds=$(commands_with '--name LAB')
	# At least the ones the issue names, so that a broken --help cannot pass.
	for cmd in up down status drill graph; do grep -qx "$cmd" <<<"$cmds"; done
	for cmd in $cmds; do
		for bad in ../evil bad/x .hidden -dash Upper a_b '' \
		    aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa; do
			run arsemu "$cmd" --name "$bad"
			[ "$status" -eq 2 ] || fail "$cmd --name '$bad': exit $status: $output"
			[ "$output" = "arsemu: --name \"$bad\": $NAME_RULE" ] ||
			    fail "$cmd --name '$bad': $output"
			n=$((n + 1))
		done
	done
	[ "$n" -ge 80 ]
	[ -z "$(ls -A "$ARSEMU_RUNDIR")" ]
}

@test "a LAB argument is checked as --name is (down, nodes, graph)" {
	local cmds cmd
	cmds=$(commands_with '\[LAB[] ]')
	for cmd in down nodes graph; do grep -qx "$cmd" <<<"$cmds"; done
	for cmd in $cmds; do
		run arsemu "$cmd" 'bad/x'
		[ "$status" -eq 2 ] || fail "$cmd bad/x: exit $status: $output"
		[ "$output" = "arsemu: LAB \"bad/x\": $NAME_RULE" ] || fail "$cmd: $output"
	done
	run arsemu down --name 'bad/x'
	assert_failure 2
	run arsemu down ../evil
	assert_failure 2
}

@test "drill --name of 33 characters is refused, not cut to 32" {
	run arsemu drill "$TOP/examples/drills/aa-fw1-crash.json" \
	    --name aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
	assert_failure 2
	assert_output --partial 'not a lab name (1 to 32 characters'
	[ -z "$(ls -A "$ARSEMU_RUNDIR")" ]
}

@test "every numeric option refuses a non-number, a negative, 0 and what would wrap, naming itself" {
	local opts cmd opt v n=0
	opts=$(numeric_options)
	for v in "walk --port" "walk --flows" "up --wait"; do grep -qx -- "$v" <<<"$opts"; done
	while read -r cmd opt; do
		for v in abc -1 0 99999999999 4294967297 18446744073709551617 \
		    ' 5' '+5' 0x10 5s ''; do
			run arsemu "$cmd" x y "$opt" "$v"
			[ "$status" -eq 2 ] || fail "$cmd $opt '$v': exit $status: $output"
			[[ $output == "arsemu: $opt: $v is "* ]] || fail "$cmd $opt '$v': $output"
			n=$((n + 1))
		done
	done <<<"$opts"
	[ "$n" -ge 33 ]
	run arsemu walk a b --port 70000
	assert_failure 2
	assert_output "arsemu: --port: 70000 is out of range 1..65535"
	run arsemu walk a b --port -1
	assert_output "arsemu: --port: -1 is out of range 1..65535"
	run arsemu up x.json --wait abc
	assert_failure 2
	assert_output "arsemu: --wait: abc is not a number (1..3600)"
	run arsemu up x.json --wait 99999999999
	assert_output "arsemu: --wait: 99999999999 is out of range 1..3600"
	run arsemu walk a b --flows 65
	assert_output "arsemu: --flows: 65 is out of range 1..64"
}

@test "the internal _probe checks its numbers against a drill's bounds, never atoi" {
	local a
	# port 1024..65000, rate 1..10000, flows 1..64 (topo/drill.h); each bad
	# argument is refused before any socket is opened or file written
	for a in "80 10 1" "5000x 10 1" "5000 0 1" "5000 10001 1" "5000 10 65" \
	    "5000 10 -1" "4294972296 10 1" "5000 10 0x10"; do
		# loopback, and a timeout: a regression must not send anywhere else
		# shellcheck disable=SC2086
		run timeout 5 "$ARSEMU" _probe send 127.0.0.1 $a "$BATS_TEST_TMPDIR/sent"
		[ "$status" -eq 2 ] || fail "_probe send $a: exit $status"
		[[ $output == usage:* || $output == "arsemu: unknown option -1" ]] ||
		    fail "_probe send $a: $output"
		[ ! -e "$BATS_TEST_TMPDIR/sent" ] || fail "_probe send $a wrote"
	done
	for a in 80 65001 abc ""; do
		run timeout 5 "$ARSEMU" _probe recv "$a" "$BATS_TEST_TMPDIR/recv"
		[ "$status" -eq 2 ] || fail "_probe recv '$a': exit $status"
	done
}

@test "the ranges of the numeric options are the ones arsemu(1) documents" {
	local cmd opt range
	while read -r cmd opt; do
		range=$(arsemu "$cmd" x "$opt" 0 2>&1 | sed -n 's/.* range \([0-9.]*\)$/\1/p')
		[ -n "$range" ]
		grep -F -A1 -- ".BI ${opt//-/\\-} \"" "$TOP/man/arsemu.1" |
		    grep -qF "from ${range%%..*} to ${range##*..}" ||
		    fail "$cmd $opt: range $range is not in arsemu(1)"
	done <<<"$(numeric_options)"
}

@test "an option a command does not take is refused with its usage" {
	run arsemu status --wait 5
	assert_failure 2
	assert_output "arsemu: status does not take --wait (usage: arsemu status [--name LAB] [--json])"
	run arsemu ls --name x
	assert_failure 2
	run arsemu validate "$TOP/examples/single-hub.json" --port 1
	assert_failure 2
	run arsemu plan "$TOP/examples/single-hub.json" --all
	assert_failure 2
	run arsemu ls -- x
	assert_failure 2
	run arsemu status --bogus
	assert_failure 2
	assert_output "arsemu: unknown option --bogus"
	# and what the usage names is still taken
	run arsemu validate "$TOP/examples/single-hub.json" --strict --json
	assert_failure 1	# --strict: its RS-22 warning fails the check
	assert_output --partial '"valid": true'
	run arsemu walk spoke1-vm1 branch-h1 --topo "$TOP/examples/single-hub.json" \
	    --port 443 --flows 2 --proto tcp --offline --json
	assert_success
}

@test "bash completion offers the commands and each command's own options, from --help" {
	complete_words() {
		PATH="$TOP:$PATH"
		source "$TOP/contrib/arsemu.bash-completion"
		COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
		_arsemu
		echo "${COMPREPLY[*]}"
	}
	run complete_words arsemu ga
	assert_output gateway
	run complete_words arsemu w
	assert_output walk
	run complete_words arsemu status -
	assert_output "--json --name"
	run complete_words arsemu walk a b --p
	assert_output "--port --proto"
	run complete_words arsemu walk a b --proto ""
	assert_output "icmp udp tcp"
	run complete_words arsemu capture x -
	assert_output "-- --name -w"
	run complete_words arsemu ls --
	assert_output "--json"
}

@test "bgp NODE prepend N: a count that does not fit is refused before any lab is asked" {
	run arsemu bgp fw prepend 4294967296
	assert_failure 2
	assert_output "arsemu: prepend: 4294967296 is out of range 0..4294967295"
	run arsemu bgp fw prepend abc
	assert_failure 2
	assert_output --partial "arsemu: prepend: abc is not a number"
	# a count that fits goes on to find the lab (none in this run dir)
	run arsemu bgp fw prepend 3
	assert_failure 3
	assert_output "arsemu: no lab is running (arsemu up TOPO)"
}

@test "routeserver: its numeric options go through the same parser, with the ranges arsemu(1) gives" {
	local opt v range rs=(routeserver --listen 127.0.0.1 --peer 127.0.0.2:65001)
	for opt in --asn --port --hold --connect-retry --max-prefix; do
		for v in abc -1 99999999999 4294967296 ''; do
			run arsemu "${rs[@]}" "$opt" "$v"
			[ "$status" -eq 2 ] || fail "$opt '$v': exit $status: $output"
			[[ $output == "arsemu: $opt: $v is "* ]] || fail "$opt '$v': $output"
		done
		range=$(arsemu "${rs[@]}" "$opt" 99999999999 2>&1 | sed -n 's/.* range \([0-9.]*\)$/\1/p')
		[ "$opt" != --hold ] || range=3..${range##*..}	# and 0, checked below
		grep -F -A1 -- ".BI ${opt//-/\\-} \"" "$TOP/man/arsemu.1" |
		    grep -qF "from ${range%%..*} to ${range##*..}" ||
		    fail "$opt: range $range is not in arsemu(1)"
	done
	run arsemu "${rs[@]}" --port 70000
	assert_output "arsemu: --port: 70000 is out of range 1..65535"
	run arsemu "${rs[@]}" --hold 2
	assert_failure 2
	assert_output "arsemu: --hold: 2 is neither 0 nor in 3..65535"
}
