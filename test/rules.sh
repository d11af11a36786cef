#!/bin/sh
# Rule coverage against the project's own catalogue, docs/rules.md (nothing
# outside the repository is read). Each rule there is a heading "### ID: ..."
# with one "Status:" line:
#   Status: emulated            a test must assert the rule (below);
#   Status: not yet emulated: REASON
#   Status: not asserted: REASON   (emulated, but no test asserts it yet)
#   Status: nothing to emulate: REASON
# A test asserts a rule when the id appears in an assertion's own words:
#   C unit tests (test/unit/*.c): the message of a T_OK/T_EQ call or of a
#     call to an assertion helper of the same file (test/asserts.awk);
#   BATS (test/bats, test/interop): a @test name, or the expected text of an
#     assert_* line in it (the test checks that arsemu names the rule);
#   wire vectors (test/wire/*.hex): a "#" line of the vector, whose in:/
#     expect: pair is one assertion.
# An id only in a comment, a condition or a test document asserts nothing.
# Goldens (test/golden) carry no ids: they assert plans, not rules by id.
# Prints TAP; with -l, prints "FILE:LINE ID" for every assertion instead.
cd "$(dirname "$0")/.." || exit 2
cat=docs/rules.md
ID='(RS|VR|CLI|GW|PE|U|D|LB|NS|NV)-[0-9][0-9]'

asserts() {
	awk -f test/asserts.awk test/unit/*.c
	awk -v id="$ID" '
	function out(s, where) {
		while (match(s, id)) {
			if ((RSTART == 1 || substr(s, RSTART - 1, 1) !~ /[A-Za-z0-9_]/) &&
			    substr(s, RSTART + RLENGTH, 1) !~ /[A-Za-z0-9_]/)
				print where " " substr(s, RSTART, RLENGTH)
			s = substr(s, RSTART + RLENGTH)
		}
	}
	FNR == 1 { intest = 0; wire = FILENAME ~ /[.]hex$/ }
	wire { if (/^#/) out($0, FILENAME ":" FNR); next }
	/^@test / { out($0, FILENAME ":" FNR); intest = 1; next }
	/^}/ { intest = 0 }
	intest && /^[ \t]*assert_/ { out($0, FILENAME ":" FNR) }
	' test/bats/*.bats test/interop/*.bats $(ls test/wire/*.hex 2>/dev/null)
}

if [ "$1" = "-l" ]; then
	asserts
	exit 0
fi

fail=0
n=0
ok() {
	n=$((n + 1))
	if [ -z "$2" ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1:$2"
		fail=1
	fi
}

if [ ! -f "$cat" ]; then
	echo "not ok 1 - $cat is missing"
	echo "1..1"
	exit 1
fi

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
asserts | awk '{ print $2 }' | sort -u > "$tmp/asserted"
# "ID status" for every rule of the catalogue (status: the Status line's
# first word, or "none").
awk -v id="^### $ID" '
	$0 ~ id { if (cur != "") print cur, st; cur = $2; sub(/:$/, "", cur); st = "none"; next }
	/^## / { if (cur != "") print cur, st; cur = "" }
	cur != "" && /^Status: / {
		s = $0; sub(/^Status: */, "", s)
		if (s == "emulated") st = "emulated"
		else if (s ~ /^(not yet emulated|not asserted|nothing to emulate): *[^ ]/) st = "pending"
		else st = "bad"
	}
	END { if (cur != "") print cur, st }
' "$cat" > "$tmp/cat"
cut -d' ' -f1 "$tmp/cat" | sort > "$tmp/ids"

# 1. Each rule once, with a status of the forms above.
dup=$(uniq -d "$tmp/ids" | tr '\n' ' ')
bad=$(awk '$2 == "none" || $2 == "bad" { printf " %s", $1 }' "$tmp/cat")
bad=${bad:+ no Status line of the forms above:$bad}
ok "$(wc -l < "$tmp/ids" | tr -d ' ') rules in $cat, each once with a Status line" "${dup:+ twice: $dup}$bad"

# 2. A rule said to be emulated is asserted by a test.
miss=$(awk '$2 == "emulated" { print $1 }' "$tmp/cat" | sort | comm -23 - "$tmp/asserted" | tr '\n' ' ')
ok "every rule whose status is \"emulated\" is asserted by a test ($(awk '$2 == "emulated"' "$tmp/cat" | wc -l | tr -d ' ') rules)" "${miss:+ no test asserts (assert it, or give a status with a reason): $miss}"

# 3. A rule said not to be emulated or asserted is not asserted.
stale=$(awk '$2 == "pending" { print $1 }' "$tmp/cat" | sort | comm -12 - "$tmp/asserted" | tr '\n' ' ')
ok "no rule with a reason for no test is asserted by one" "${stale:+ asserted now, so mark emulated in $cat: $stale}"

# 4. Every id the tree cites (code, tests, docs, man pages, examples) is in
# the catalogue.
grep -rIhoE "\\b$ID\\b" --exclude-dir=.git --exclude-dir=build \
	--exclude-dir=build-san --exclude-dir=build-fuzz --exclude=rules.md . |
	sort -u > "$tmp/cited"
unknown=$(comm -23 "$tmp/cited" "$tmp/ids" | tr '\n' ' ')
ok "every rule id cited in the tree is in $cat" "${unknown:+ not in the catalogue: $unknown}"

# 5. The counting itself, on a fixture: ids in comments, conditions and test
# documents do not count; messages and assertion helpers' messages do.
d=$(awk -f test/asserts.awk test/rules/asserts.c | diff test/rules/asserts.out - | tr '\n' ' ')
ok "test/asserts.awk counts only assertion messages (test/rules/asserts.c)" "${d:+ $d}"

echo "1..$n"
exit $fail
