#!/usr/bin/env bats
# arsemu plan TOPO --grouped (issue "Speed at scale, round two", target 2):
# one effective-route table per group of NICs whose tables are equal,
# headed by its subnets and NICs. Offline, no root. Over examples/*.json
# (from the directory, not a list kept here): every NIC in exactly one
# group, and a group's table is `arsemu plan TOPO NIC`'s for its NICs, in
# JSON and in text. NICS_MAX bounds the NICs run one by one per example.

load helpers

NICS_MAX=${NICS_MAX:-12}
# Past this many NICs an example is checked in text only (its whole-lab
# JSON is gigabytes: examples/azure-limits.json), by the last test.
BIG=200

setup() { D=$(mktemp -d); }
teardown() { rm -rf "$D"; }

# The NICs of TOPO, one per line, from the topology (arsemu nodes): the
# nodes that have a NIC (VMs, NVAs, Route Server and gateway instances),
# and every NIC of an NVA that has several (NV-01: "nics", the primary
# first, named as the node).
topo_nics() {
	arsemu nodes "$1" --json | jq -r '.[] | select(.kind == "vm" or
	    .kind == "nva" or .kind == "route-server" or .kind == "gateway") |
	    if .nics then .nics[].name else .name end'
}

# The examples with at most BIG NICs; at least two, or the tests fail.
small_examples() {
	local f
	for f in "$TOP"/examples/*.json; do
		[ "$(topo_nics "$f" | wc -l)" -le "$BIG" ] && echo "$f"
	done
}

@test "plan --grouped --json: every NIC of every example in exactly one group" {
	local f n=0
	for f in $(small_examples); do
		arsemu plan "$f" --json 2>/dev/null | jq -r 'keys[]' | sort > "$D/every" ||
			fail "plan $f --json failed"
		topo_nics "$f" | sort > "$D/topo"
		diff -u "$D/topo" "$D/every" ||
			fail "$f: plan --json's NICs are not the topology's"
		arsemu plan "$f" --grouped --json > "$D/g.json" 2>/dev/null ||
			fail "plan $f --grouped --json failed"
		# every NIC once: the groups' names, duplicates kept, sorted
		jq -r '.groups[].nics[]' "$D/g.json" | sort > "$D/grouped"
		diff -u "$D/every" "$D/grouped" ||
			fail "$f: the groups do not hold every NIC exactly once"
		jq -e '.nics == (.groups | map(.nics | length) | add) and
		    all(.groups[]; (.nics | length) > 0 and
		    (.subnets | length) > 0 and (.routes.value | type) == "array")' \
		    "$D/g.json" > /dev/null || fail "$f: a group is malformed"
		n=$((n + 1))
	done
	[ "$n" -ge 2 ] || fail "only $n examples checked"
}

@test "plan --grouped --json: a group's routes are plan TOPO NIC --json's, for its NICs" {
	local f i nic n=0 k
	for f in $(small_examples); do
		arsemu plan "$f" --grouped --json > "$D/g.json" 2>/dev/null
		# each group's first and last NIC, NICS_MAX at most
		jq -r '.groups | to_entries[] | .key as $i | .value.nics |
		    [first, last] | unique[] | "\($i) \(.)"' "$D/g.json" |
		    head -n "$NICS_MAX" > "$D/pick"
		k=0
		while read -r i nic; do
			arsemu plan "$f" "$nic" --json > "$D/nic.json" 2>/dev/null
			jq -e --slurpfile n "$D/nic.json" --argjson i "$i" \
			    '.groups[$i].routes == $n[0]' "$D/g.json" > /dev/null ||
				fail "$f: group $i's routes are not plan $nic --json's"
			k=$((k + 1))
		done < "$D/pick"
		[ "$k" -ge 1 ] || fail "$f: no NIC checked"
		n=$((n + 1))
	done
	[ "$n" -ge 2 ] || fail "only $n examples checked"
}

# The text of group I's table (its lines after "NICs:" up to a blank line).
group_table() {
	awk -v i="$2" '/^group / { g++; t = 0; next }
	    g == i && /^NICs: / { t = 1; next }
	    /^$/ { t = 0 } g == i && t' "$1"
}

# The NICs group I names in text ("and N more" cut off).
group_nics() {
	awk -v i="$2" '/^group / { g++ } g == i && /^NICs: / {
	    sub(/^NICs: /, ""); sub(/ and [0-9]+ more.*/, "")
	    n = split($0, v, ", "); for (k = 1; k <= n; k++) print v[k] }' "$1"
}

@test "plan --grouped: each group's text table is plan TOPO NIC's, for its NICs" {
	local f nic n=0 i ng k
	for f in $(small_examples); do
		arsemu plan "$f" --grouped > "$D/g.txt" 2>/dev/null
		ng=$(grep -c '^group ' "$D/g.txt")
		[ "$ng" -ge 1 ] || fail "$f: no group"
		k=0
		for i in $(seq 1 "$ng"); do
			group_table "$D/g.txt" "$i" > "$D/t$i"
			[ -s "$D/t$i" ] || fail "$f: group $i has no table"
			for nic in $(group_nics "$D/g.txt" "$i" | head -n 2); do
				[ "$k" -lt "$NICS_MAX" ] || break
				arsemu plan "$f" "$nic" 2>/dev/null > "$D/nic.txt"
				diff -u "$D/nic.txt" "$D/t$i" ||
					fail "$f: group $i's table is not plan $nic's"
				k=$((k + 1))
			done
		done
		n=$((n + 1))
	done
	[ "$n" -ge 2 ] || fail "only $n examples checked"
}

@test "plan --grouped: the headings count every NIC; NIC and --grouped together are refused" {
	arsemu plan "$TOP/examples/single-hub.json" --grouped > "$D/g.txt"
	run head -n 3 "$D/g.txt"
	assert_output "group 1 of 2 (2 subnets, 4 NICs)
subnets: hub/RouteServerSubnet, hub/nva
NICs: hub-rs0, hub-rs1, sdwan, fw"
	run arsemu plan "$TOP/examples/single-hub.json" spoke1-vm1 --grouped
	assert_failure 2
	assert_output --partial "usage: arsemu plan TOPO [NIC | --grouped] [--json]"
	run arsemu --help
	assert_output --partial "arsemu plan TOPO [NIC | --grouped] [--json]"
}

@test "plan --grouped on the largest example: every NIC counted, first and last group as plan NIC" {
	local f big="" n=0 c
	for f in "$TOP"/examples/*.json; do
		c=$(topo_nics "$f" | wc -l)
		if [ "$c" -gt "$n" ]; then n=$c; big=$f; fi
	done
	arsemu plan "$big" --grouped > "$D/g.txt" 2>/dev/null
	c=$(sed -n 's/^group [0-9]* of [0-9]* ([0-9]* subnets*, \([0-9]*\) NICs*)$/\1/p' \
	    "$D/g.txt" | awk '{ s += $1 } END { print s + 0 }')
	[ "$c" -eq "$n" ] || fail "$big: the groups count $c NICs, the topology $n"
	ng=$(grep -c '^group ' "$D/g.txt")
	for i in 1 "$ng"; do
		nic=$(group_nics "$D/g.txt" "$i" | tail -n 1)
		group_table "$D/g.txt" "$i" > "$D/t"
		arsemu plan "$big" "$nic" 2>/dev/null > "$D/nic.txt"
		cmp -s "$D/nic.txt" "$D/t" || fail "$big: group $i's table is not plan $nic's"
	done
}
