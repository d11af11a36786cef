#!/usr/bin/env bats
# The tools around a lab (issue 9): graph and capture.

load helpers

teardown() { down_labs; }

@test "graph TOPO: regions, VNets, NVAs, Route Server instances, sites and sessions as dot, offline" {
	run arsemu graph "$TOP/examples/single-hub.json"
	assert_success
	assert_line --partial 'subgraph "cluster_region_westeurope"'
	assert_line --partial 'subgraph "cluster_vnet_hub"'
	assert_line --partial 'subgraph "cluster_site_branch"'
	assert_output --regexp '"sdwan" -- "hub-rs0" \[style=dashed, color=grey50'
	assert_output --regexp '"vnet:spoke1" -- "vnet:hub" .*useRemoteGateways'
	run dot -Tsvg -o /dev/null <(arsemu graph "$TOP/examples/active-active.json")
	assert_success
}

@test "graph --format svg renders through Graphviz" {
	run arsemu graph "$TOP/examples/active-active.json" --format svg
	assert_success
	assert_output --partial "<svg"
	assert_output --partial "fw1"
}

@test "graph LAB: sessions coloured by their live state" {
	require_root
	local lab=$ARSEMU_T-g
	arsemu up "$TOP/examples/active-active.json" --name "$lab"
	run arsemu graph "$lab"
	assert_success
	assert_output --regexp '"fw1" -- "hub-rs0" \[style=dashed, color=forestgreen'
	arsemu fail fw1 shutdown --name "$lab"
	wait_until 3 bash -c "'$ARSEMU' graph $lab | grep -q '\"fw1\" -- \"hub-rs0\" \[style=dashed, color=red3'"
	run arsemu graph "$lab"
	assert_output --regexp '"fw2" -- "hub-rs1" \[style=dashed, color=forestgreen'
}

@test "capture: tcpdump inside a node's namespace sees its BGP keepalives; tshark decodes them" {
	require_root
	local lab=$ARSEMU_T-cap pcap=$BATS_TEST_TMPDIR/fw1.pcap
	arsemu up "$TOP/examples/active-active.json" --name "$lab"
	run timeout 10 "$ARSEMU" capture fw1 --name "$lab" -w "$pcap" -- -c 4 tcp port 179
	assert_success
	run tcpdump -n -r "$pcap"
	assert_success
	assert_output --partial "10.1.2.4"
	assert_output --partial ".179"
	# and Wireshark's dissector reads BGP in it (type 4: KEEPALIVE)
	run tshark -r "$pcap" -Y bgp -T fields -e bgp.type
	assert_success
	assert_output --partial "4"
}

@test "bash completion: commands, labs, nodes and failure kinds" {
	require_root
	local lab=$ARSEMU_T-cmp
	arsemu up "$TOP/examples/single-hub.json" --name "$lab"
	complete_words() {
		PATH="$TOP:$PATH"
		source "$TOP/contrib/arsemu.bash-completion"
		COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
		_arsemu
		printf '%s\n' "${COMPREPLY[@]}"
	}
	run complete_words arsemu ro
	assert_line routes
	run complete_words arsemu down ""
	assert_line "$lab"
	run complete_words arsemu routes --name "$lab" sp
	assert_line spoke1-vm1
	run complete_words arsemu fail --name "$lab" fw ""
	assert_line freeze
}

@test "install: binary, man pages and completion land under DESTDIR" {
	local d=$BATS_TEST_TMPDIR/root
	run make -C "$TOP" -s install DESTDIR="$d" PREFIX=/usr
	assert_success
	[ -x "$d/usr/bin/arsemu" ]
	[ -f "$d/usr/share/man/man1/arsemu.1" ]
	[ -f "$d/usr/share/man/man5/arsemu-topology.5" ]
	[ -f "$d/usr/share/man/man5/arsemu-drill.5" ]
	[ -f "$d/usr/share/bash-completion/completions/arsemu" ]
}

@test "rs dump --mrt: the route server's RIB as MRT TABLE_DUMP_V2 (RFC 6396), read by bgpdump" {
	require_root
	local lab=$ARSEMU_T-mrt f=$BATS_TEST_TMPDIR/rib.mrt
	arsemu up "$TOP/examples/single-hub.json" --name "$lab"
	run arsemu rs hub dump --mrt "$f" --name "$lab"
	assert_success
	assert_output --partial "hub-rs0: 4 prefixes -> $f"
	run bgpdump -m "$f"
	assert_success
	assert_line --regexp '^TABLE_DUMP2\|[0-9]+\|B\|10\.1\.2\.4\|65001\|10\.250\.0\.0/16\|65001\|IGP\|10\.1\.2\.4\|'
	assert_line --regexp '^TABLE_DUMP2\|[0-9]+\|B\|10\.1\.1\.4\|65515\|10\.1\.0\.0/16\|\|IGP\|10\.1\.1\.4\|'
	run bgpdump -m "$f.1"
	assert_success
	assert_output --partial "|10.1.1.5|65515|10.2.0.0/16||IGP|10.1.1.5|"
	run arsemu rs hub dump --name "$lab"
	assert_failure 2
}

@test "graph --walk: the predicted path's nodes and hops highlighted, its outcome in the label" {
	run arsemu graph "$TOP/examples/single-hub.json" --walk spoke1-vm1 branch-h1
	assert_success
	assert_line '  label="walk spoke1-vm1 -> branch-h1 (predicted): delivered";'
	assert_line '  "sdwan" [color=red, penwidth=2.5, fontcolor=red];'
	assert_output --partial '"spoke1-vm1" -- "sdwan" [dir=forward, color=red, penwidth=2.5, style=bold, label="1"'
	assert_output --partial '"sdwan" -- "branch-edge" [dir=forward, color=red, penwidth=2.5, style=bold, label="2"'
	assert_output --partial '"branch-edge" -- "branch-h1" [dir=forward, color=red, penwidth=2.5, style=bold, label="3"'
	refute_output --partial '"fw" [color=red'
	run dot -Tsvg -o /dev/null <(arsemu graph "$TOP/examples/single-hub.json" --walk spoke1-vm1 branch-h1)
	assert_success
}

@test "graph --walk: an undelivered walk says why; bad endpoints are usage errors" {
	run arsemu graph "$TOP/examples/single-hub.json" --walk spoke1-vm1 10.2.9.9
	assert_success
	assert_output --partial 'label="walk spoke1-vm1 -> 10.2.9.9 (predicted): no route\nNIC spoke1-vm1: VnetLocal 10.2.0.0/16'
	run arsemu graph "$TOP/examples/single-hub.json" --walk nosuch branch-h1
	assert_failure 2
	assert_output --partial "nosuch is no node"
	run arsemu graph "$TOP/examples/single-hub.json" --walk spoke1-vm1
	assert_failure 2
}

@test "bash completion: import az DIR, graph TOPO --walk nodes (offline)" {
	complete_words() {
		PATH="$TOP:$PATH"
		source "$TOP/contrib/arsemu.bash-completion"
		COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
		_arsemu
		echo "${COMPREPLY[*]}"
	}
	run complete_words arsemu im
	assert_output import
	run complete_words arsemu import ""
	assert_output "az terraform"
	run complete_words arsemu graph "$TOP/examples/single-hub.json" --walk spoke
	assert_output spoke1-vm1
	run complete_words arsemu graph "$TOP/examples/single-hub.json" --walk spoke1-vm1 branch
	assert_output "branch-edge branch-h1"
}

@test "graph --json: VNets, nodes, edges (peerings, eBGP and RS-50 iBGP sessions with their live state, circuits, tunnels, site links) and the walk" {
	run arsemu graph "$TOP/examples/sdwan-branches.json" --json --walk dc-h1 b3-h1
	assert_success
	echo "$output" | jq -e '.live == false and (.nodes | length) == 17 and
	    ([.edges[] | select(.type == "iBGP")] | length) == 8 and
	    ([.edges[] | select(.type == "tunnel")] | length) == 4 and
	    ([.edges[] | select(.type == "circuit")] | length) == 3 and
	    (.edges[] | select(.type == "eBGP") | has("state") | not) and
	    .walk.outcome == "delivered" and .walk.hops[0] == "dc-h1" and
	    .walk.hops[-1] == "b3-h1"'
	require_root
	local lab=$ARSEMU_T-gj
	arsemu up "$TOP/examples/sdwan-branches.json" --name "$lab"
	run arsemu graph --json --name "$lab"
	assert_success
	echo "$output" | jq -e '.live and ([.edges[] | select(.type == "eBGP" or
	    .type == "iBGP") | .state] | unique) == ["Established"]'
}

@test "--json on up, fail, restore, bgp and down too: every command that prints" {
	require_root
	local lab=$ARSEMU_T-js
	run arsemu up "$TOP/examples/single-hub.json" --name "$lab" --json
	assert_success
	echo "$output" | tail -n 1 | jq -e ".lab == \"$lab\" and .converged"
	run arsemu fail fw crash --name "$lab" --json
	echo "$output" | jq -e '.request == "fail fw crash" and .tMs > 0'
	run arsemu restore fw --name "$lab" --json
	echo "$output" | jq -e '.request == "restore fw"'
	run arsemu bgp sdwan withdraw 10.250.0.0/16 --name "$lab" --json
	echo "$output" | jq -e '.node == "sdwan" and .result == "withdrawn"'
	run arsemu down "$lab" --json
	echo "$output" | jq -e ".lab == \"$lab\" and .down"
}
