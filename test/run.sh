#!/bin/sh
# The whole test suite, as `make test` and CI run it. Every stage prints TAP;
# this script counts the results and ends with one line "N passed, M failed".
#   stages: build (-Werror), unit, unit under ASan+UBSan, gcc -fanalyzer,
#           valgrind, fuzz smoke, rule coverage, layering of emu/ (nm),
#           topology schema, end to end in namespaces (root; the spine with the
#           release build, the whole suite under ASan+UBSan), interop (root)
# FUZZ_SECONDS (default 20) bounds each fuzz target's run; ARSEMU_TEST_JOBS
# (default 3) is how many BATS files of the sanitized stage run at once
# (docs/reliability.md: what 3 at once gains, and what it took).
set -u
cd "$(dirname "$0")/.." || exit 2
# the project's own builds fail on any warning (a user's `make` does not)
WERROR=-Werror
export WERROR
LOG=build/test-logs
mkdir -p "$LOG"
: > "$LOG/all.tap"
failed_stage=""

stage() {	# stage NAME CMD...: run, keep its TAP, count it
	name=$1; shift
	echo "== $name"
	"$@" > "$LOG/$name.out" 2>&1
	rc=$?
	grep -E '^(not )?ok ' "$LOG/$name.out" | sed "s/^/[$name] /" >> "$LOG/all.tap"
	# each failure with the first 30 lines of its diagnostics, so that a
	# run that cannot be reached afterwards (CI) still says why
	awk '/^not ok /{print "  " $0; d=1; n=0; next}
	    /^ok /{d=0; next}
	    d && /^#/ && n < 30 {print "  | " $0; n++}' "$LOG/$name.out"
	n_ok=$(grep -cE '^ok ' "$LOG/$name.out")
	n_nok=$(grep -cE '^not ok ' "$LOG/$name.out")
	echo "   $n_ok passed, $n_nok failed (exit $rc)"
	if [ "$rc" -ne 0 ] && [ "$n_nok" -eq 0 ]; then
		# a stage that failed without a failing test still fails the run
		echo "not ok - stage $name exited $rc" >> "$LOG/all.tap"
		tail -n 20 "$LOG/$name.out" | sed 's/^/  | /'
	fi
}

build() {
	make -s all && echo "ok 1 - build with -Werror"
}

fuzz_smoke() {
	secs=${FUZZ_SECONDS:-20}
	make -s fuzz || { echo "not ok - fuzz targets build"; return 1; }
	i=0
	for t in build-fuzz/fuzz_*; do
		i=$((i + 1))
		fz=$(basename "$t" | sed 's/^fuzz_//')
		seeds=test/fuzz/seeds/$fz
		work=build-fuzz/corpus-$fz
		mkdir -p "$work"
		if "$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		    -print_final_stats=1 "$work" "$seeds" > "$LOG/fuzz-$fz.log" 2>&1; then
			runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' \
			    "$LOG/fuzz-$fz.log" | grep -o '[0-9]*$')
			echo "ok $i - fuzz $fz for ${secs}s: ${runs:-?} inputs, no crash"
		else
			echo "not ok $i - fuzz $fz crashed: see $LOG/fuzz-$fz.log"
			grep -m3 -E 'ERROR|SUMMARY' "$LOG/fuzz-$fz.log"
		fi
	done
}

# bats_files FILE...: each file in a bats process of its own, ARSEMU_TEST_JOBS
# (default 3) at a time: every worker takes the next file no worker has
# taken yet. Files are independent (each names its labs with a prefix of
# its own, test/bats/helpers.bash) and most of a file's time is spent
# waiting on BGP and on drills, not on the CPU. The files' TAP, in the
# order given, each file's wall time in its heading and each test's in its
# line (bats --timing); status 1 if any file failed.
bats_files() {
	jobs=${ARSEMU_TEST_JOBS:-3}
	case $jobs in ''|*[!0-9]*|0) echo "not ok - ARSEMU_TEST_JOBS=$jobs: not a count"; return 1 ;; esac
	q=$LOG/bats-queue
	rm -rf "$q" && mkdir -p "$q" || return 1
	w=0
	while [ "$w" -lt "$jobs" ]; do
		(
			for f in "$@"; do
				b=${f##*/}
				mkdir "$q/$b.taken" 2>/dev/null || continue
				t0=$(date +%s)
				bats --tap --timing "$f" > "$q/$b.tap" 2>&1
				echo $? > "$q/$b.rc"
				echo $(($(date +%s) - t0)) > "$q/$b.secs"
			done
		) &
		w=$((w + 1))
	done
	wait
	frc=0
	for f in "$@"; do
		b=${f##*/}
		echo "# $f ($(cat "$q/$b.secs" 2>/dev/null) s)"
		cat "$q/$b.tap"
		[ "$(cat "$q/$b.rc" 2>/dev/null)" = 0 ] || frc=1
	done
	return $frc
}

# The files given, the slowest (as measured: docs/reliability.md) first, so
# that no long file starts last while the other workers sit idle. Only an
# order: a file missing from the list runs after them, alphabetically.
SLOW_FIRST="plan-grouped fidelity reliability reach real-nva drill ilb"
slow_first() {
	for s in $SLOW_FIRST; do
		for f in "$@"; do [ "${f##*/}" = "$s.bats" ] && echo "$f"; done
	done
	for f in "$@"; do
		case " $SLOW_FIRST " in *" $(basename "$f" .bats) "*) ;; *) echo "$f" ;; esac
	done
}

# The whole end-to-end suite with arsemu built under ASan and UBSan: the
# CLI, the lab daemon and every speaker it starts. UBSan stops a process at
# its first finding; every report also lands in $LOG/san, which must stay empty.
e2e_san() {
	make -s BUILD=build-san SAN=1 build-san/arsemu ||
		{ echo "not ok - arsemu builds under ASan+UBSan"; return 1; }
	d=$PWD/$LOG/san
	rm -rf "$d" && mkdir -p "$d" && chmod 1777 "$d"
	(
		export ASAN_OPTIONS="log_path=$d/asan:detect_leaks=1" \
		    UBSAN_OPTIONS="log_path=$d/ubsan:print_stacktrace=1" \
		    ARSEMU_BIN="$PWD/build-san/arsemu"
		bats_files $(slow_first test/bats/*.bats)
	)
	rc=$?
	# Not reports: a file left empty, or holding only LeakSanitizer's
	# "Unable to get registers from thread", is a process SIGKILLed (as the
	# crash tests do on purpose) while LSan was opening its log or stopping
	# its threads at exit; it found nothing. Named, then set aside.
	for f in "$d"/*; do
		[ -e "$f" ] || continue
		if ! grep -qv 'Unable to get registers from thread' "$f"; then
			echo "# killed during its exit-time leak check: ${f##*/}"
			rm -f "$f"
		fi
	done
	if [ -n "$(ls -A "$d")" ]; then
		echo "not ok - ASan/UBSan/LSan reports: $(ls "$d" | tr '\n' ' ')"
		head -n 40 "$d"/*
		return 1
	fi
	echo "ok - no ASan, UBSan or LeakSanitizer report from any arsemu process"
	return $rc
}

# gcc's static analyzer over every source (make analyze: -fanalyzer -Werror);
# its time is printed, as the stage is the slowest compile of the tree.
analyze() {
	t0=$(date +%s)
	if make -s -j2 analyze; then
		echo "ok 1 - gcc -fanalyzer: no finding ($(($(date +%s) - t0)) s)"
	else
		echo "not ok 1 - gcc -fanalyzer: findings above ($(($(date +%s) - t0)) s)"
	fi
}

valgrind_unit() {	# the pure unit tests: no leak, no invalid access
	i=0
	for t in decide codec wire topo sdn drill plan; do
		i=$((i + 1))
		if valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
		    --error-exitcode=9 "build/test/test_$t" > "$LOG/valgrind-$t.log" 2>&1; then
			echo "ok $i - valgrind: test_$t has no leak and no memory error"
		else
			echo "not ok $i - valgrind: test_$t: see $LOG/valgrind-$t.log"
		fi
	done
}

stage build build
if ! grep -q '^\[build\] ok' "$LOG/all.tap"; then
	echo "build failed; nothing else can run"
	echo "0 passed, 1 failed"
	exit 1
fi
stage unit make -s unit
stage unit-san make -s unit-san
stage analyze analyze
if command -v valgrind >/dev/null 2>&1; then
	stage valgrind valgrind_unit
else
	echo "not ok - valgrind is missing" >> "$LOG/all.tap"
fi
if command -v clang >/dev/null 2>&1; then
	stage fuzz fuzz_smoke
else
	echo "not ok - clang is missing: fuzz targets not run" >> "$LOG/all.tap"
fi
stage rules sh test/rules.sh
stage layering sh test/layering.sh
stage schema python3 test/schema.py
if [ "$(id -u)" = 0 ]; then
	# the release build end to end (spine), then everything under sanitizers
	stage e2e bats --tap test/bats/spine.bats
	stage e2e-san e2e_san
	if [ -d test/interop ] && ls test/interop/*.bats >/dev/null 2>&1; then
		stage interop bats --tap test/interop
	fi
else
	echo "not ok - end-to-end and interop tests need root" >> "$LOG/all.tap"
fi

passed=$(grep -c '\] ok \|^ok ' "$LOG/all.tap")
failed=$(grep -c 'not ok' "$LOG/all.tap")
echo "results: $LOG/all.tap"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
