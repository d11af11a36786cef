#!/bin/sh
# The examples whose every NIC is planned against a golden file and brought
# up live (test/bats/fidelity.bats, make golden): all of examples/*.json but
# the scale lab, whose 4,010 NICs are the benchmarks' (bench/lab-bench.sh);
# it is still validated, walked offline and checked by test_share.
cd "$(dirname "$0")/../.." || exit 1
for f in examples/*.json; do
	case "$(basename "$f")" in
	azure-limits.json) ;;
	*) echo "$PWD/$f" ;;
	esac
done
