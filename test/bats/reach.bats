#!/usr/bin/env bats
# arsemu reach: the reachability matrix by classes, offline, without root
# (emu/model/reach.h). Rows, --json (parsed with jq), group filters, the
# errors, and agreement with walk --offline for a row's representatives.

load helpers

@test "reach single-hub: the spoke reaches the branch through sdwan, one row per class pair" {
	run arsemu reach "$TOP/examples/single-hub.json"
	assert_success
	assert_line --regexp '^subnet:spoke1/default +1 +site:branch +1 +1 +any +delivered +spoke1-vm1 > sdwan > branch-edge > branch-h1$'
	assert_line --regexp '^site:branch +1 +subnet:spoke1/default +1 +1 +any +delivered +branch-h1 > branch-edge > sdwan > spoke1-vm1$'
	assert_line --regexp '^subnet:spoke1/default +1 +internet +1 +1 +any +loop +spoke1-vm1 > fw > fw$'
	assert_line '3 classes for 1 VMs and 1 site hosts (and the Internet); 4 class pairs for 4 endpoint pairs; 1 services; 4 walks'
	# header, rule, 4 rows, summary
	[ "${#lines[@]}" -eq 7 ]
}

@test "reach shared-circuit: two spokes with no path between them are reported so" {
	run arsemu reach "$TOP/examples/shared-circuit.json"
	assert_success
	assert_line --regexp '^subnet:spoke-uks/default +1 +subnet:spoke-weu/default +1 +1 +any +blackholed +uks-vm1$'
	assert_line --regexp '^subnet:spoke-weu/default +1 +subnet:spoke-uks/default +1 +1 +any +blackholed +weu-vm1$'
}

@test "reach fw-filter: rows per service class the filter tells apart, the rule and the peering named" {
	run arsemu reach "$TOP/examples/fw-filter.json"
	assert_success
	assert_line --regexp '^subnet:spoke1/app +1 +subnet:spoke2/app +1 +1 +tcp/22 +denied by an NVA.s filter \(regions\[0\]\.hub\.nvas\[0\]\.filter\[1\]\) +spoke1-vm1 > fw$'
	assert_line --regexp '^subnet:spoke1/app +1 +subnet:spoke2/app +1 +1 +icmp,tcp/other,udp/other +delivered +spoke1-vm1 > fw > spoke2-vm1$'
	assert_line --regexp '^subnet:spoke1/app +1 +subnet:spoke3/app +1 +1 +all +denied by a peering \(regions\[0\]\.spokes\[2\]\) +spoke1-vm1 > fw$'
	assert_output --partial '4 services; 64 walks'
}

@test "reach --json: rows, classes and pair counts parse with jq" {
	run arsemu reach "$TOP/examples/fw-filter.json" --json
	assert_success
	echo "$output" | jq -e '.topology == "fw-filter" and .vms == 4 and .walks == 64'
	echo "$output" | jq -e '.services == ["icmp","tcp/22","tcp/other","udp/other"]'
	echo "$output" | jq -e '[.classes[] | select(.kind == "vm") | .members] | add == 4'
	echo "$output" | jq -e '[.classes[] | select(.kind == "internet")] | length == 1'
	echo "$output" | jq -e '.pairs == 16'
	echo "$output" | jq -e '[.rows[] | select(.source == "subnet:spoke1/app" and .destination == "subnet:spoke2/app" and .outcome == "denied by an NVA'"'"'s filter")][0] | .services == ["tcp/22"] and .filterRule == "regions[0].hub.nvas[0].filter[1]" and .path == ["spoke1-vm1","fw"]'
	echo "$output" | jq -e '[.rows[] | select(.source == "subnet:spoke3/app" and .destination == "subnet:spoke1/app")][0] | .outcome == "delivered" and .path == ["spoke3-vm1","fw","spoke1-vm1"] and .pairs == 1'
}

@test "reach --from/--to: vnet:, subnet:, site:, internet and node names select rows" {
	run arsemu reach "$TOP/examples/single-hub.json" --from vnet:spoke1 --to site:branch
	assert_success
	assert_line --regexp '^subnet:spoke1/default +1 +site:branch +1 +1 +any +delivered'
	assert_output --partial '1 class pairs for 1 endpoint pairs'
	run arsemu reach "$TOP/examples/single-hub.json" --from branch-h1 --to internet --json
	assert_success
	echo "$output" | jq -e '(.rows | length) == 1 and .rows[0].source == "site:branch" and .rows[0].destination == "internet" and .rows[0].outcome == "loop"'
	run arsemu reach "$TOP/examples/fw-filter.json" --from subnet:spoke2/app --to subnet:spoke1/app --json
	assert_success
	echo "$output" | jq -e '(.rows | length) == 2 and ([.rows[].pairs] | unique) == [1]'
	echo "$output" | jq -e '[.rows[] | .services | length] | add == 4'
}

@test "reach: a bad group is an error naming it, exit 2" {
	run arsemu reach "$TOP/examples/single-hub.json" --from vnet:nope
	[ "$status" -eq 2 ]
	assert_output --partial 'group "vnet:nope": no VNet named "nope"'
	run arsemu reach "$TOP/examples/single-hub.json" --to subnet:spoke1/nope
	[ "$status" -eq 2 ]
	assert_output --partial 'group "subnet:spoke1/nope": VNet spoke1 has no subnet named "nope"'
	run arsemu reach "$TOP/examples/single-hub.json" --to fw
	[ "$status" -eq 2 ]
	assert_output --partial 'group "fw": fw is a'
	run arsemu reach "$TOP/examples/single-hub.json" --from internet
	[ "$status" -eq 2 ]
	assert_output --partial 'the Internet is no source'
	run arsemu reach "$TOP/examples/single-hub.json" --from bogus-node
	[ "$status" -eq 2 ]
	assert_output --partial 'group "bogus-node": no node named so'
	run arsemu reach "$TOP/examples/nope.json"
	[ "$status" -eq 2 ]
	run arsemu reach
	[ "$status" -eq 2 ]
}

@test "reach and walk --offline agree on every row's representatives (every small example)" {
	local f rows src dst path want n=0
	for f in "$TOP"/examples/*.json; do
		case $f in *azure-limits.json) continue ;; esac
		# rows of the only service (no filter), with the destination class's representative
		rows=$(arsemu reach "$f" --json | jq -r '(.classes | map({(.name): .representative}) | add) as $rep |
		    select((.services | length) == 1) | .rows[] |
		    [.path[0], $rep[.destination], (.path | join(" ")), .outcome] | @tsv')
		while IFS=$'\t' read -r src dst path want; do
			[ -n "$src" ] || continue
			[ "$dst" != "$src" ] || continue
			run arsemu walk "$src" "$dst" --offline --topo "$f" --json
			assert_success
			[ "$(echo "$output" | jq -r '.forward[0].predicted.outcome')" = "$want" ] ||
				fail "$f $src -> $dst: reach says $want, walk $output"
			[ "$(echo "$output" | jq -r '[.forward[0].predicted.hops[].node] | join(" ")')" = "$path" ] ||
				fail "$f $src -> $dst: reach's path $path, walk's $output"
			n=$((n + 1))
		done <<< "$rows"
	done
	[ "$n" -gt 100 ] || fail "only $n rows compared"
}
