#!/bin/bash
# reach-bench: `arsemu reach` on examples/azure-limits.json (4,000 VMs,
# 16 million pairs; the issue's target: under 10 s on the 2-CPU machine)
# beside the naive per-pair cost: every source NIC's whole table and one
# walk per pair, measured on a sample of pairs and extrapolated
# (bench/reachbench.c). A benchmark, never a test; no root, after `make`.
#
#   bench/reach-bench.sh [TOPO]            default: examples/azure-limits.json
#   REACH_BENCH_RUNS=N                     runs of arsemu reach (default 3)
#   REACH_BENCH_SAMPLE=N                   sampled pairs (default 1000)
#   ARSEMU=path                            another build (default ./arsemu)
#
# Prints each run's wall time and peak RSS (GNU time), the median, the
# naive estimate's parts, and the ratio naive / reach.
set -eu
cd "$(dirname "$0")/.."
arsemu=${ARSEMU:-./arsemu}
topo=${1:-examples/azure-limits.json}
runs=${REACH_BENCH_RUNS:-3}
sample=${REACH_BENCH_SAMPLE:-1000}
[ -x "$arsemu" ] && [ -f build/libmodel.a ] ||
	{ echo "reach-bench: run make first" >&2; exit 1; }
dir=$(mktemp -d /tmp/reach-bench.XXXXXX)
trap 'rm -rf "$dir"' EXIT
cc -std=c11 -D_GNU_SOURCE -O2 -o "$dir/reachbench" bench/reachbench.c \
	build/libmodel.a build/libcore.a $(pkg-config --libs libcjson 2>/dev/null || echo -lcjson)

echo "# $arsemu ($(git rev-parse --short HEAD 2>/dev/null || echo '?')), $(nproc) CPUs," \
    "load $(cut -d' ' -f1-3 /proc/loadavg), $topo"
times=()
for r in $(seq "$runs"); do
	/usr/bin/time -f '%e %U %S %M' -o "$dir/time" "$arsemu" reach "$topo" > "$dir/out"
	read -r s u sy kb < "$dir/time"
	times+=("$s")
	echo "reach run $r: ${s} s wall, ${u} s user, ${sy} s sys, peak RSS $((kb / 1024)) MB; $(tail -n 1 "$dir/out")"
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')
echo "reach median: $median s over $runs runs"
read -r _ vms _ pairs _ n _ plan _ tables _ tms _ wus _ naive < <("$dir/reachbench" "$topo" "$sample")
echo "naive: $vms VMs, $pairs pairs; sampled $n pairs: plan $plan s, $tables tables" \
    "at $tms ms each, $wus us per walk -> estimate $naive s" \
    "($(awk -v s="$naive" 'BEGIN {printf "%.1f", s / 3600}') h)"
awk -v n="$naive" -v r="$median" 'BEGIN {printf "ratio naive / reach: %.0f\n", n / r}'
