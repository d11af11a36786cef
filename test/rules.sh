#!/bin/sh
# Rule coverage: every rule id of ../shared/azure-semantics.md is either named
# by a test (test/unit/*.c, test/bats/*.bats, test/interop/*.bats) or listed
# in docs/fidelity.md under "## Not yet emulated" (or "## Nothing to emulate",
# for rules that describe no behaviour of ours). Prints TAP.
cd "$(dirname "$0")/.." || exit 2
rules=../shared/azure-semantics.md
doc=docs/fidelity.md
if [ ! -f "$rules" ]; then
	echo "not ok 1 - $rules is missing (CI puts shared/ beside the clone)"
	exit 1
fi
ids=$(grep -oE '^(RS|VR|CLI|GW|PE|U|D)-[0-9]+' "$rules" | sort -u)
tested=0; listed=0; moot=0; missing=""
pending=$(sed -n '/^## Not yet emulated/,/^## /p' "$doc" 2>/dev/null)
nothing=$(sed -n '/^## Nothing to emulate/,/^## /p' "$doc" 2>/dev/null)
for id in $ids; do
	if grep -rqwE "$id" test/unit/*.c test/bats/*.bats test/interop/*.bats 2>/dev/null; then
		tested=$((tested + 1))
	elif echo "$pending" | grep -qw -- "$id"; then
		listed=$((listed + 1))
	elif echo "$nothing" | grep -qw -- "$id"; then
		moot=$((moot + 1))
	else
		missing="$missing $id"
	fi
done
total=$(echo "$ids" | wc -w)
if [ -z "$missing" ]; then
	echo "ok 1 - all $total rules accounted for: $tested named by tests, $listed listed as not yet emulated, $moot with nothing to emulate ($doc)"
else
	echo "not ok 1 - rules neither tested nor listed in $doc:$missing"
fi
# A rule listed as not yet emulated must not also claim a test (stale docs).
stale=""
for id in $(echo "$pending" | grep -oE '\b(RS|VR|CLI|GW|PE|U|D)-[0-9]+\b' | sort -u); do
	grep -rqwE "$id" test/unit/*.c test/bats/*.bats test/interop/*.bats 2>/dev/null &&
		stale="$stale $id"
done
if [ -z "$stale" ]; then
	echo "ok 2 - no rule is both tested and listed as not yet emulated"
else
	echo "not ok 2 - tested now, so remove from \"Not yet emulated\" in $doc:$stale"
fi
echo "1..2"
[ -z "$missing" ] && [ -z "$stale" ]
