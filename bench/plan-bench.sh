#!/bin/bash
# plan-bench: `arsemu plan TOPO --grouped` on examples/azure-limits.json
# (4,010 NICs; the issue's target: the whole lab in under 5 s) beside the
# per-NIC whole-lab form `arsemu plan TOPO` (every NIC's table in turn),
# which took 41.6 s there: timed on its first K1 and K2 NICs (the run is
# ended after them) and extrapolated to every NIC by the per-NIC
# slope, or timed whole with PLAN_BENCH_FULL=1. A benchmark, never a
# test; no root, after `make`.
#
#   bench/plan-bench.sh [TOPO]        default: examples/azure-limits.json
#   PLAN_BENCH_RUNS=N                 runs of each (default 3)
#   PLAN_BENCH_K="K1 K2"              NICs of the sampled prefixes (default "20 220")
#   PLAN_BENCH_FULL=1                 time the per-NIC form whole instead
#   ARSEMU=path                       another build (default ./arsemu)
#
# Prints each run's wall time (and GNU time's user, sys and peak RSS for
# --grouped), the medians, the per-NIC estimate's parts and the ratio
# per-NIC / grouped.
set -eu
cd "$(dirname "$0")/.."
arsemu=${ARSEMU:-./arsemu}
topo=${1:-examples/azure-limits.json}
runs=${PLAN_BENCH_RUNS:-3}
read -r k1 k2 <<<"${PLAN_BENCH_K:-20 220}"
[ -x "$arsemu" ] || { echo "plan-bench: run make first" >&2; exit 1; }
dir=$(mktemp -d /tmp/plan-bench.XXXXXX)
trap 'rm -rf "$dir"' EXIT

now() { date +%s%N; }
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", (b - a) / 1e9}'; }

nics=$("$arsemu" nodes "$topo" --json | grep -cE '"kind": "(vm|nva|route-server|gateway)"')
echo "# $arsemu ($(git rev-parse --short HEAD 2>/dev/null || echo '?')), $(nproc) CPUs," \
    "load $(cut -d' ' -f1-3 /proc/loadavg), $topo, $nics NICs"

# The output's size, once (not timed): lines and groups.
"$arsemu" plan "$topo" --grouped 2>/dev/null |
	awk '/^group / {g++} END {printf "grouped output: %d lines, %d groups\n", NR, g}'

times=()
for r in $(seq "$runs"); do
	/usr/bin/time -f '%e %U %S %M' -o "$dir/time" "$arsemu" plan "$topo" \
	    --grouped > /dev/null 2>&1
	read -r s u sy kb < "$dir/time"
	times+=("$s")
	echo "grouped run $r: ${s} s wall, ${u} s user, ${sy} s sys, peak RSS $((kb / 1024)) MB"
done
grouped=$(printf '%s\n' "${times[@]}" | median)
echo "grouped median: $grouped s over $runs runs"

# The per-NIC form's first k NICs: at NIC k+1's heading the reader stops
# and the run is ended (arsemu ignores SIGPIPE: a closed pipe alone would
# not stop it).
first() {
	local a b pid
	rm -f "$dir/fifo"
	mkfifo "$dir/fifo"
	a=$(now)
	"$arsemu" plan "$topo" > "$dir/fifo" 2>/dev/null &
	pid=$!
	awk -v k="$1" '/^[a-z0-9-]+ \([^ ]+\/[^ ]+, [0-9.]+\)$/ { if (++n > k) exit }' \
	    < "$dir/fifo"
	b=$(now)
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	secs "$a" "$b"
}

if [ "${PLAN_BENCH_FULL:-0}" = 1 ]; then
	times=()
	for r in $(seq "$runs"); do
		a=$(now)
		"$arsemu" plan "$topo" > /dev/null 2>&1
		b=$(now)
		times+=("$(secs "$a" "$b")")
		echo "per-NIC run $r: ${times[-1]} s wall"
	done
	whole=$(printf '%s\n' "${times[@]}" | median)
	echo "per-NIC median: $whole s over $runs runs (measured whole)"
else
	t1=() t2=()
	for r in $(seq "$runs"); do
		t1+=("$(first "$k1")")
		t2+=("$(first "$k2")")
		echo "per-NIC run $r: first $k1 NICs ${t1[-1]} s, first $k2 NICs ${t2[-1]} s"
	done
	m1=$(printf '%s\n' "${t1[@]}" | median)
	m2=$(printf '%s\n' "${t2[@]}" | median)
	read -r slope fixed whole < <(awk -v a="$m1" -v b="$m2" -v k1="$k1" \
	    -v k2="$k2" -v n="$nics" 'BEGIN {
		s = (b - a) / (k2 - k1); f = a - k1 * s
		printf "%.6f %.3f %.1f\n", s, f, f + n * s }')
	echo "per-NIC estimate: $fixed s fixed + $nics NICs x $(awk -v s="$slope" \
	    'BEGIN {printf "%.2f", s * 1000}') ms = $whole s (medians of $runs runs" \
	    "of the first $k1 and $k2 NICs)"
fi
awk -v w="$whole" -v g="$grouped" 'BEGIN {printf "ratio per-NIC / grouped: %.1f\n", w / g}'
