#!/bin/sh
# Regenerate the table of docs/fidelity.md between its "generated" marks:
# every rule of docs/rules.md with the tests that assert it (as test/rules.sh
# counts them), or its status when no test does.
set -eu
cd "$(dirname "$0")/.."
cat=docs/rules.md
doc=docs/fidelity.md
tmp=$(mktemp)
list=$(mktemp)
trap 'rm -f "$tmp" "$list"' EXIT
# unit tests first, then bats, interop and wire, as the tree lists them
sh test/rules.sh -l | awk '{ split($1, a, ":"); f = a[1]; sub(/^test\//, "", f)
	print $2, index("unit bats interop wire", substr(f, 1, index(f, "/") - 1)), f }' |
	sort -u | sort -k1,1 -k2,2n -k3,3 | awk '{ print $1, $3 }' > "$list"
{
	sed '/^<!-- generated: begin -->$/q' "$doc"
	echo "| Rule | Tests that assert it |"
	echo "|---|---|"
	awk '
	FNR == NR { if ($1 in t) t[$1] = t[$1] ", " $2; else t[$1] = $2; next }
	/^### / { id = $2; sub(/:$/, "", id); next }
	id != "" && /^Status: / {
		s = $0; sub(/^Status: */, "", s); sub(/:.*/, "", s)
		print "| " id " | " (id in t ? t[id] : "none: " s " (docs/rules.md)") " |"
		id = ""
	}' "$list" "$cat"
	sed -n '/^<!-- generated: end -->$/,$p' "$doc"
} > "$tmp"
cat "$tmp" > "$doc"
