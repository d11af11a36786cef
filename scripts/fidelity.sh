#!/bin/sh
# Regenerate the "Emulated" table of docs/fidelity.md: for every rule id of
# ../shared/azure-semantics.md that a test names, the tests that name it.
# The "Not yet emulated" section is written by hand; test/rules.sh checks
# that together they account for every id.
set -eu
cd "$(dirname "$0")/.."
rules=../shared/azure-semantics.md
doc=docs/fidelity.md
tmp=$(mktemp)
{
	sed '/^<!-- generated: begin -->$/q' "$doc"
	echo "| Rule | Tests that name it |"
	echo "|---|---|"
	for id in $(grep -oE '^(RS|VR|CLI|GW|PE|U|D)-[0-9]+' "$rules" | sort -t- -k1,1 -k2,2n -u); do
		where=$(grep -lwE "$id" test/unit/*.c test/bats/*.bats test/interop/*.bats 2>/dev/null |
			sed 's|^test/||' | tr '\n' ' ' | sed 's/ $//; s/ /, /g')
		[ -n "$where" ] && echo "| $id | $where |"
	done
	sed -n '/^<!-- generated: end -->$/,$p' "$doc"
} > "$tmp"
mv "$tmp" "$doc"
