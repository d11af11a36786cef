#!/bin/bash
# diff-bench: `arsemu diff` on examples/azure-limits.json (4,000 VMs, 10,000
# Route Server routes) against a modified copy, reachability included: the
# issue's target is under 5 s on the 2-CPU machine. A benchmark, never a
# test; no root, after `make`.
#
#   bench/diff-bench.sh [TOPO]             default: examples/azure-limits.json
#   DIFF_BENCH_RUNS=N                      runs of arsemu diff (default 3)
#   ARSEMU=path                            another build (default ./arsemu)
#
# The copy (in a temporary folder, removed after): nva0 withdraws its last
# 10 prefixes (every subnet's routes change) and a route table sends
# 0.0.0.0/0 of the first 100 spokes to None (their flows to the Internet
# are blackholed: 100 reachability rows). Prints the load (uptime), each
# run's wall and CPU time and peak RSS (GNU time), the verdict line and
# the median.
set -eu
cd "$(dirname "$0")/.."
arsemu=${ARSEMU:-./arsemu}
topo=${1:-examples/azure-limits.json}
runs=${DIFF_BENCH_RUNS:-3}
[ -x "$arsemu" ] || { echo "diff-bench: run make first" >&2; exit 1; }
dir=$(mktemp -d /tmp/diff-bench.XXXXXX)
trap 'rm -rf "$dir"' EXIT
jq '(.regions[0].hub.nvas[0].advertise) |= .[:-10] |
    .route_tables = [{"name": "bench-rt", "subnets":
    [.regions[0].spokes[:100][] | .name + "/default"],
    "routes": [{"name": "inet-none", "prefix": "0.0.0.0/0",
    "next_hop_type": "None"}]}]' "$topo" > "$dir/new.json"

echo "# $arsemu ($(git rev-parse --short HEAD 2>/dev/null || echo '?')), $(nproc) CPUs," \
    "$topo against a modified copy"
times=()
for r in $(seq "$runs"); do
	echo "# $(uptime)"
	rc=0
	/usr/bin/time -f '%e %U %S %M' -o "$dir/time" "$arsemu" diff "$topo" \
	    "$dir/new.json" > "$dir/out" || rc=$?
	[ "$rc" = 1 ] || { echo "diff-bench: exit $rc, not 1" >&2; exit 1; }
	# GNU time writes "Command exited with non-zero status 1" first
	read -r s u sy kb < <(tail -n 1 "$dir/time")
	times+=("$s")
	echo "diff run $r: ${s} s wall, ${u} s user, ${sy} s sys, peak RSS $((kb / 1024)) MB"
done
echo "$(head -n 1 "$dir/out")"
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')
echo "diff median: $median s over $runs runs"
