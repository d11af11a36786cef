#!/usr/bin/env bats
# `arsemu routeserver` and `arsemu rsctl` as commands: what they refuse
# (RS-05, RS-06, RS-07, bad values) and --config FILE.json, with a route
# server run in a namespace of this file's own (loopback only).

load helpers

setup_file() {
	[ "$(id -u)" = 0 ] || return 0
	ix_init cli
	ns_add rs
}

teardown_file() {
	ix_cleanup
}

rs() { "$ARSEMU" routeserver "$@"; }

@test "routeserver: --listen and --peer are required" {
	run rs
	assert_failure 2
	assert_output --partial 'usage: arsemu routeserver --listen IP'
	run rs --listen 10.0.0.4
	assert_failure 2
	assert_output --partial 'no --peer given'
}

@test "RS-05/RS-06: peer ASNs Azure refuses are refused" {
	run rs --listen 10.0.0.4 --peer 10.0.0.10:65515
	assert_failure 2
	assert_output --partial "ASN 65515 is the route server's own ASN (RS-05"
	run rs --listen 10.0.0.4 --peer 10.0.0.10:4200000001
	assert_failure 2
	assert_output --partial 'four-octet ASN'
	local a
	for a in 8074 12076 65517 23456 64500 65535 0; do
		run rs --listen 10.0.0.4 --peer "10.0.0.10:$a"
		assert_failure 2
		assert_output --partial 'RS-06'
	done
}

@test "RS-07: at most 8 peers" {
	local args=() i
	for i in 1 2 3 4 5 6 7 8 9; do args+=(--peer "10.0.0.$((10 + i)):6500$((i % 10))"); done
	run rs --listen 10.0.0.4 "${args[@]}"
	assert_failure 2
	assert_output --partial 'at most 8 peers per route server (RS-07)'
}

@test "routeserver: bad values are named" {
	run rs --listen 10.0.0.4 --peer 10.0.0.10:65001 --hold 2
	assert_failure 2
	assert_output --partial '--hold: 2 is neither 0 nor in 3..65535'
	run rs --listen 10.0.0.4 --peer 10.0.0.10:65001:bogus
	assert_failure 2
	assert_output --partial 'unknown option "bogus"'
	run rs --listen 10.0.0.4 --peer 10.0.0.10:65001 --peer 10.0.0.10:65002
	assert_failure 2
	assert_output --partial 'given twice'
	run rs --listen 10.0.0.4 --peer 10.0.0.10:65001 --advertise 10.0.0.0/33
	assert_failure 2
	run rs --listen 10.0.0.4 --peer 10.0.0.10:65001 --log xml
	assert_failure 2
	run rs --config /nonexistent.json
	assert_failure 2
}

@test "routeserver --config: unknown keys and wrong types are refused" {
	echo '{ "listen": "10.0.0.4", "peers": [ { "ip": "10.0.0.10", "asn": 65001, "colour": 1 } ] }' \
	    > "$BATS_TEST_TMPDIR/bad.json"
	run rs --config "$BATS_TEST_TMPDIR/bad.json"
	assert_failure 2
	assert_output --partial 'peers[0]: unknown key "colour"'
	echo '{ "listen": "10.0.0.4", "hold": "long", "peers": [] }' > "$BATS_TEST_TMPDIR/bad2.json"
	run rs --config "$BATS_TEST_TMPDIR/bad2.json"
	assert_failure 2
	assert_output --partial 'hold must be a whole number'
	echo '{ "listen": ' > "$BATS_TEST_TMPDIR/bad3.json"
	run rs --config "$BATS_TEST_TMPDIR/bad3.json"
	assert_failure 2
	assert_output --partial 'not JSON'
}

@test "routeserver --config runs; rsctl shows its peers, advertised routes and RIB" {
	require_root
	cat > "$IXDIR/rs.json" <<EOF
{
  "listen": "127.0.0.1", "port": 1179, "name": "rs-cfg", "hold": 90,
  "maxPrefix": 100, "control": "$IXDIR/rs.sock", "log": "text",
  "advertise": [ "10.1.0.0/16", "10.2.0.0/16" ],
  "peers": [
    { "ip": "127.0.0.10", "asn": 65001, "name": "fw", "md5": "k:e:y" },
    { "ip": "127.0.0.11", "asn": 65002, "passive": false, "maxPrefix": 10 }
  ]
}
EOF
	bg rs rs "$ARSEMU" routeserver --config "$IXDIR/rs.json" --connect-retry 1
	wait_until 5 test -S "$IXDIR/rs.sock"
	run rsctl peers
	assert_success
	assert_line --regexp '^rs-cfg +fw +127\.0\.0\.10 +65001 +Active'
	assert_line --regexp '^rs-cfg +127\.0\.0\.11 +127\.0\.0\.11 +65002 +(Connect|Active|Idle) '
	run rsctl rib --json
	assert_success
	assert_output --partial '"network": "10.2.0.0/16"'
	assert_output --partial '"from": "local"'
	run rsctl advertised fw
	assert_success
	run rsctl learned nosuch
	assert_failure 2
	assert_output --partial 'no peering named nosuch'
	run rsctl refresh all
	assert_success
	assert_line --regexp '^fw +skipped: not Established$'
	run "$ARSEMU" rsctl --control "$IXDIR/none.sock" peers
	assert_failure 3
	run grep -c 'started: AS 65515, id 127.0.0.1, 2 peers, 2 prefixes originated' "$IXDIR/rs.out"
	assert_output 1
	kill -TERM "$(pid_of rs)"
}

@test "routeserver: ttl-security (RFC 5082) takes hops 1..254 and makes the peer active" {
	local v
	for v in 0 255 x ""; do
		run rs --listen 10.0.0.4 --peer "10.0.0.10:65001:ttl-security=$v"
		assert_failure 2
		assert_output --partial 'unknown option "ttl-security"'
	done
	printf '{"listen": "10.0.0.4", "peers": [{"ip": "10.0.0.10", "asn": 65001, "ttlSecurity": 1, "passive": true}]}' \
	    > "$IXDIR/gtsm.json"
	run rs --config "$IXDIR/gtsm.json"
	assert_failure 2
	assert_output --partial 'passive must be false'
	printf '{"listen": "10.0.0.4", "peers": [{"ip": "10.0.0.10", "asn": 65001, "ttlSecurity": 300}]}' \
	    > "$IXDIR/gtsm.json"
	run rs --config "$IXDIR/gtsm.json"
	assert_failure 2
	assert_output --partial 'ttlSecurity: hops, 1..254'
}
