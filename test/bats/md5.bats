#!/usr/bin/env bats
# An NVA's "md5" key (RFC 2385) in a live lab: the Route Server instances
# and the NVA's speaker both sign the session, it reaches Established and
# the NVA's routes are programmed; an unsigned connection from the NVA's
# address is dropped by the kernel. And the lint rule: in a lab that uses
# keys, an NVA without one is a warning.

load helpers

setup_file() {
	[ "$(id -u)" = 0 ] || return 0
	export SNAP="$BATS_FILE_TMPDIR/host.before"
	host_snapshot > "$SNAP"
}

teardown() { down_labs; }

teardown_file() {
	[ "$(id -u)" = 0 ] || return 0
	[ "$(host_snapshot)" = "$(cat "$SNAP")" ] ||
		echo "# host namespace changed" >&3
}

# single-hub.json with keys: both NVAs, or sdwan only ($1 = both | one).
keyed() {
	local lab=$1 which=$2 f
	f=$(example_as "$TOP/examples/single-hub.json" "$lab" \
	    's/"asn": 65001,/"asn": 65001, "md5": "s3cret:key 1",/')
	[ "$which" = both ] && sed -i 's/"asn": 65002,/"asn": 65002, "md5": "other-key",/' "$f"
	echo "$f"
}

# An unsigned TCP connection from NODE to the Route Server at 10.1.1.4:179.
unsigned_connect() {
	"$ARSEMU" exec --name "$1" "$2" -- timeout 3 bash -c 'exec 3<>/dev/tcp/10.1.1.4/179'
}

@test "md5: validate warns about a Route Server peering without a key in a lab that uses keys" {
	local f
	f=$(keyed md5v one)
	run arsemu validate "$f" --strict
	assert_failure 1
	assert_output --partial 'regions[0].hub.nvas[1]: NVA "fw" peers with the Route Server of hub "hub" without an MD5 key while NVA "sdwan" uses one'
	f=$(keyed md5v both)
	run arsemu validate "$f"
	assert_success
	refute_output --partial 'MD5'
}

@test "md5: NVAs with keys reach Established with both instances, and their routes are programmed" {
	require_root
	local lab=$ARSEMU_T-md5 f
	f=$(keyed "$lab" both)
	run arsemu up "$f"
	assert_success
	wait_until 30 bash -c "'$ARSEMU' rs hub peers --name $lab | grep -cE ' Established' | grep -qx 4"
	run arsemu rs hub peers --name "$lab"
	assert_success
	assert_line --regexp '^hub-rs0 +sdwan +10\.1\.2\.4 +65001 +Established'
	assert_line --regexp '^hub-rs1 +sdwan +10\.1\.2\.4 +65001 +Established'
	assert_line --regexp '^hub-rs0 +fw +10\.1\.2\.5 +65002 +Established'
	assert_line --regexp '^hub-rs1 +fw +10\.1\.2\.5 +65002 +Established'
	run arsemu routes spoke1-vm1 --name "$lab"
	assert_success
	assert_line --regexp '^VirtualNetworkGateway +Active +10\.250\.0\.0/16 +VirtualNetworkGateway +10\.1\.2\.4$'
	assert_line --regexp '^VirtualNetworkGateway +Active +0\.0\.0\.0/0 +VirtualNetworkGateway +10\.1\.2\.5$'
	# RFC 2385: the instance's listener drops an unsigned SYN from a keyed peer
	run unsigned_connect "$lab" sdwan
	assert_failure
	run "$ARSEMU" exec --name "$lab" hub-rs0 -- nstat -az TcpExtTCPMD5NotFound
	assert_success
	[[ "$(echo "$output" | awk '/TCPMD5NotFound/{print $2}')" -gt 0 ]]
}

@test "md5: without keys the same unsigned connection is accepted (the control)" {
	require_root
	local lab=$ARSEMU_T-nomd5 f
	f=$(example_as "$TOP/examples/single-hub.json" "$lab")
	run arsemu up "$f"
	assert_success
	run unsigned_connect "$lab" sdwan
	assert_success
}
