#!/bin/bash
# validate-bench: `arsemu validate` (parse, checks, layout, addresses) on
# topologies of 16,384 and 65,536 nodes and of TOPO_NODES_MAX, the most
# a topology may hold (topo/topo.h), made by bench/gen-validate.py. A
# benchmark, never a test; no root, after `make`.
#
#   bench/validate-bench.sh [NODES...]      default: 16384 65536 MAX
#   VALIDATE_BENCH_RUNS=N                   runs per size (default 5)
#   ARSEMU=path                             another build (default ./arsemu)
#
# Prints, per size, the file's size, every run's wall time, the median
# and the peak RSS (GNU time). The target: the largest allowed topology
# validates in under 2 s (issue: hardening, item 6).
set -eu
cd "$(dirname "$0")/.."
arsemu=${ARSEMU:-./arsemu}
[ -x "$arsemu" ] || { echo "validate-bench: run make first" >&2; exit 1; }
max=$(sed -n 's/^#define TOPO_NODES_MAX[[:space:]]*\([0-9]*\).*/\1/p' topo/topo.h)
[ -n "$max" ] || { echo "validate-bench: no TOPO_NODES_MAX in topo/topo.h" >&2; exit 1; }
runs=${VALIDATE_BENCH_RUNS:-5}
sizes=${*:-16384 65536 $max}
dir=$(mktemp -d /tmp/validate-bench.XXXXXX)
trap 'rm -rf "$dir"' EXIT

echo "# $arsemu ($(git rev-parse --short HEAD 2>/dev/null || echo '?')), $(nproc) CPUs," \
    "load $(cut -d' ' -f1-3 /proc/loadavg), TOPO_NODES_MAX $max"
for n in $sizes; do
	n=${n/MAX/$max}
	f=$dir/n$n.json
	python3 bench/gen-validate.py "$n" > "$f"
	times=()
	rss=0
	for ((i = 0; i < runs; i++)); do
		/usr/bin/time -f '%e %M' -o "$dir/t" "$arsemu" validate "$f" \
		    > /dev/null 2>&1 || { echo "validate-bench: $n nodes: validate failed" >&2
		    "$arsemu" validate "$f" >&2 || true; exit 1; }
		read -r s kb < "$dir/t"
		times+=("$s")
		((kb > rss)) && rss=$kb
	done
	med=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p")
	printf '%7d nodes  %5.1f MB  runs %s s  median %s s  peak RSS %d MiB\n' \
	    "$n" "$(echo "$(stat -c %s "$f") / 1000000" | bc -l)" "${times[*]}" \
	    "$med" $((rss / 1024))
done
