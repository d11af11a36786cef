#!/usr/bin/env bats
# Route server under churn (issue 11): 8 peers on loopback addresses of a
# namespace of this file's own; one flaps every second for 60 s, another
# announces and withdraws 4,000 routes in a loop (RS-40's limit, never
# over it). The six steady peers' sessions never drop, the routes they are
# sent never change, and the route server's memory does not grow with the
# churn (test/tools/bgpchurn.py drives the peers).

load helpers

setup_file() {
	[ "$(id -u)" = 0 ] || return 0
	ix_init churn
	ns_add rs
}

teardown_file() {
	ix_cleanup
}

@test "churn: a flapping peer and a 4,000-route churner for 60 s; the other sessions and routes untouched, RSS does not grow" {
	require_root
	local args=() i out
	for i in 2 3 4 5 6 7 8 9; do args+=(--peer "127.0.0.$i:6500$i"); done
	bg rs rs "$ARSEMU" routeserver --listen 127.0.0.1 "${args[@]}" --hold 9 \
	    --control "$IXDIR/rs.sock"
	wait_until 5 test -S "$IXDIR/rs.sock"
	run ip netns exec "$IX-rs" python3 "$TOP/test/tools/bgpchurn.py" \
	    --rs-pid "$(pid_of rs)" --duration 60 \
	    --rsctl "$ARSEMU rsctl --control $IXDIR/rs.sock peers --json"
	echo "$output" | cut -c1-2000
	assert_success
	out=$output
	q() { echo "$out" | python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
	# the flapper and the churner really churned
	[ "$(q 'd["flaps"] >= 50')" = True ]
	[ "$(q 'd["churn_cycles"] >= 100')" = True ]
	[ "$(q 'd["churner_drops"]')" = "[]" ]
	# the six steady peers: no drop seen by them or counted by the route server
	[ "$(q 'd["steady_drops"]')" = 0 ]
	[ "$(q 'sorted(set((p["state"], p["flaps"]) for p in d["rs_peers"] if p["peerAsn"] < 65008))')" = "[('Established', 0)]" ]
	# each still has the other five's 100 routes, exactly as before, and none of the churn
	[ "$(q 'd["steady_routes"]')" = "[100, 100, 100, 100, 100, 100]" ]
	[ "$(q 'd["steady_unchanged"]')" = True ]
	[ "$(q 'd["leftover_churn_routes"]')" = 0 ]
	# memory (anonymous: heap, slabs, buffers): no growth over 200+ cycles,
	# and back near where it started once the churn is withdrawn (empty
	# slab chunks unmapped, the RIB's buckets shrunk, malloc trimmed)
	[ "$(q 'd["rss_after_kib"] <= d["rss_warm_kib"] + 256')" = True ]
	[ "$(q 'd["rss_after_kib"] <= d["rss_before_kib"] + 512')" = True ]
	# and it still serves: a clean exit on SIGTERM
	kill "$(pid_of rs)"
	wait_until 5 grep -q "stopping on signal 15" "$IXDIR/rs.out"
}
