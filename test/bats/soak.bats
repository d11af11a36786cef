#!/usr/bin/env bats
# The soak in small (scripts/soak.sh; docs/reliability.md, "Soak"): 30 s of
# the single-hub lab with both NVAs flapping (crash/restore, a session
# disabled/enabled) and a ping running, then down. The 10-minute run by hand
# takes the first minute as warm-up; here the warm-up is 10 s (a third of the
# run) and, in either, the warm sample waits until each of the four kinds of
# flap (crash and disable, of each NVA) has happened once, so every path has
# made its buffers before the RSS is compared.
#
# The soak itself runs the release build ($TOP/arsemu) even when the suite
# runs a sanitizer build (ARSEMU_BIN, test/run.sh stage e2e-san): under ASan
# the RSS counts the sanitizer's quarantine, stack depot and shadow pages,
# not the program's heap (a 30-s run: +124 to +396 KiB in the 18 s after the
# warm-up, +388 to +636 KiB with the quarantine off), while the release
# build's lab daemon grew 4 KiB in 9 minutes. Leaks under the sanitizer
# build are LeakSanitizer's to find, at every process's exit.

load helpers

teardown() { down_labs; }

SOAK="$TOP/scripts/soak.sh"

# column N of the CSV row of ROLE with TAG
field() { awk -F, -v r="$2" -v t="$3" -v c="$4" '$3 == r && $2 == t { v = $c } END { print v }' "$1"; }

@test "soak, 30 s: RSS flat after the warm-up, no descriptor grows, no zombie, nothing left after down" {
	require_root
	local lab=$ARSEMU_T-soak out=$BATS_TEST_TMPDIR/soak tol=512 role rw re f0 f1
	[ -x "$TOP/arsemu" ] || fail "no release build at $TOP/arsemu (make)"
	run "$SOAK" --seconds 30 --warmup 10 --interval 2 --tolerance "$tol" \
	    --name "$lab" --out "$out" --arsemu "$TOP/arsemu"
	echo "$output"
	assert_success
	assert_output --partial "soak: PASSED"
	assert_output --partial "nothing left behind after down"
	# the run really flapped both NVAs both ways, and traffic went through
	grep -q 'crash sdwan: gone' "$out/flaps.log"
	grep -q 'crash fw: gone' "$out/flaps.log"
	grep -q "disable sdwan's session" "$out/flaps.log"
	grep -q "disable fw's session" "$out/flaps.log"
	grep -qE '[1-9][0-9]* received' "$out/ping.log"
	# the figures themselves, not only the script's verdict: every process
	# of the lab was sampled after the warm-up and at the end
	for role in daemon hub-rs0 hub-rs1 sdwan fw; do
		rw=$(field "$out/samples.csv" "$role" warm 5)
		re=$(field "$out/samples.csv" "$role" end 5)
		f0=$(field "$out/samples.csv" "$role" start 6)
		f1=$(field "$out/samples.csv" "$role" end 6)
		[ -n "$rw" ] && [ -n "$re" ] || fail "$role: no warm or end sample"
		[ $((re - rw)) -le "$tol" ] || fail "$role: RSS $rw -> $re KiB after the warm-up"
		[ "$f1" -le "$f0" ] || fail "$role: descriptors $f0 -> $f1"
	done
	[ -z "$(lab_namespaces "$lab")" ]
	[ -z "$(lab_processes "$lab")" ]
	[ ! -e "/run/arsemu/$lab" ]
}

# The verdict bites: samples with a growth past the tolerance, a descriptor
# more, a zombie or a process gone before the end each fail it.
@test "soak --check: RSS growth past the tolerance, a descriptor more, a zombie, a process gone: each fails" {
	local csv=$BATS_TEST_TMPDIR/s.csv
	good() {
		cat <<-EOF
		t_s,tag,role,pid,rss_kib,fds,zombies
		0,start,daemon,10,2100,12,0
		0,start,hub-rs0,11,2200,13,0
		12,warm,daemon,10,2180,12,0
		12,warm,hub-rs0,11,2210,13,0
		30,end,daemon,10,2190,12,0
		30,end,hub-rs0,11,$1,$2,$3
		EOF
	}
	good 2300 13 0 > "$csv"
	run "$SOAK" --check "$csv"
	assert_success
	good 2723 13 0 > "$csv"		# +513 KiB
	run "$SOAK" --check "$csv"
	assert_failure 1
	assert_line --regexp '^hub-rs0 .* FAIL: RSS grew after the warm-up'
	run "$SOAK" --check "$csv" --tolerance 600
	assert_success
	good 2300 14 0 > "$csv"
	run "$SOAK" --check "$csv"
	assert_failure 1
	assert_line --regexp '^hub-rs0 .* FAIL: descriptors grew'
	good 2300 13 1 > "$csv"
	run "$SOAK" --check "$csv"
	assert_failure 1
	assert_line --regexp '^hub-rs0 .* FAIL: zombies'
	good 2300 13 0 | grep -v '^30,end,daemon' > "$csv"
	run "$SOAK" --check "$csv"
	assert_failure 1
	assert_line --regexp '^daemon .* FAIL: gone before the end'
	good 2300 13 0 | grep -v ',warm,' > "$csv"
	run "$SOAK" --check "$csv"
	assert_failure 1
	assert_output --partial "FAIL: no sample after the warm-up"
	head -n 1 "$csv" > "$csv.empty"
	run "$SOAK" --check "$csv.empty"
	assert_failure 1
}

# A descriptor leak the soak's first runs showed: `up` forked the lab daemon
# with every descriptor of its caller still open (and the /dev/null and
# daemon.log it had just dup2()ed), so the daemon and each speaker held a
# shell's or test runner's pipes for the lab's life.
@test "up: the lab daemon and its speakers hold none of the caller's descriptors" {
	require_root
	local lab=$ARSEMU_T-fds marker=$BATS_TEST_TMPDIR/caller-fd p f l
	arsemu up "$TOP/examples/single-hub.json" --name "$lab" 7> "$marker"
	[ -n "$(lab_processes "$lab")" ]
	for p in $(lab_processes "$lab"); do
		for f in /proc/"$p"/fd/*; do
			l=$(readlink "$f") || continue
			[ "$l" != "$marker" ] || fail "pid $p holds the caller's fd as ${f##*/}"
			[ "$l" = "/run/arsemu/$lab/daemon.log" ] || continue
			# the daemon's stdout and stderr only
			case "$(tr '\0' ' ' < "/proc/$p/cmdline")/${f##*/}" in
			"arsemu _daemon "*/[12]) ;;
			*) fail "pid $p holds daemon.log as fd ${f##*/}" ;;
			esac
		done
	done
	arsemu down "$lab"
}
