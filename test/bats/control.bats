#!/usr/bin/env bats
# The lab daemon's control socket (lib/ctlsrv.c, as a speaker's): a client
# that never reads its reply, or one that says nothing, holds up no other;
# the socket is 0600 whatever the umask.

load helpers

teardown() {
	local p
	for p in ${CLIENTS:-}; do kill "$p" 2>/dev/null || true; done
	for p in ${CLIENTS:-}; do wait "$p" 2>/dev/null || true; done
	down_labs
}

# stall_client SOCK REQUEST SECONDS: connect, send REQUEST (if any), read
# nothing, stay SECONDS; prints "connected" once the request is sent.
stall_client() {
	perl -MIO::Socket::UNIX -e '
		my $s = IO::Socket::UNIX->new(Peer => $ARGV[0]) or die "$ARGV[0]: $!\n";
		print $s "$ARGV[1]\n" if length $ARGV[1];
		$s->flush;
		$| = 1;
		print "connected\n";
		sleep $ARGV[2];' "$@"
}

# connected N: the first N clients have sent their request.
connected() {
	[ "$(cat "$BATS_TEST_TMPDIR"/c[0-9]* | grep -c connected)" -ge "$1" ]
}

# single-hub with one NVA announcing 3,900 /24s (under the route limit of
# 4,000, RS-40): a NIC's routes reply, 300 kB, is more than a socket
# buffer holds, so a client that does not read it leaves it half-written.
big_hub() {
	jq '.name = $name | del(.regions[0].hub.nvas[1]) |
	    .regions[0].hub.nvas[0].advertise += [range(0; 3900) |
	    "10.\(100 + ./250 | floor).\(. % 250).0/24"]' \
	    --arg name "$1" "$TOP/examples/single-hub.json" > "$BATS_TEST_TMPDIR/$1.json"
	echo "$BATS_TEST_TMPDIR/$1.json"
}

@test "a client that never reads a 'routes' reply does not block status or fail" {
	require_root
	local lab=$ARSEMU_T-ctlslow topo sock t0 t1 p
	topo=$(big_hub "$lab")
	run arsemu up "$topo" --name "$lab" --wait 120
	assert_success
	assert_output --partial "converged"
	sock=/run/arsemu/$lab/ctl.sock
	run arsemu routes spoke1-vm1 --name "$lab"
	assert_success
	[ "$(grep -c '^VirtualNetworkGateway' <<<"$output")" -ge 3900 ]
	CLIENTS=""
	for p in 1 2 3; do
		stall_client "$sock" "routes spoke1-vm1" 60 > "$BATS_TEST_TMPDIR/c$p" &
		CLIENTS="$CLIENTS $!"
	done
	wait_until 15 connected 3
	sleep 0.5
	t0=$(date +%s%N)
	run timeout 20 "$ARSEMU" status --name "$lab"
	t1=$(date +%s%N)
	assert_success
	assert_line "lab $lab: converged"
	echo "status took $(( (t1 - t0) / 1000000 )) ms"
	[ $(( (t1 - t0) / 1000000 )) -lt 3000 ]
	run timeout 20 "$ARSEMU" fail sdwan crash --name "$lab"
	assert_success
	run timeout 20 "$ARSEMU" restore sdwan --name "$lab"
	assert_success
}

@test "ten silent clients do not hold status up; the socket is 0600 under umask 000" {
	require_root
	local lab=$ARSEMU_T-ctlidle sock t0 t1 p
	run bash -c "umask 000 && \"$ARSEMU\" up \"$TOP/examples/single-hub.json\" --name $lab --wait 60"
	assert_success
	sock=/run/arsemu/$lab/ctl.sock
	CLIENTS=""
	for p in 1 2 3 4 5 6 7 8 9 10; do
		stall_client "$sock" "" 60 > "$BATS_TEST_TMPDIR/c$p" &
		CLIENTS="$CLIENTS $!"
	done
	wait_until 15 connected 10
	t0=$(date +%s%N)
	run timeout 20 "$ARSEMU" status --name "$lab"
	t1=$(date +%s%N)
	assert_success
	assert_line "lab $lab: converged"
	echo "status took $(( (t1 - t0) / 1000000 )) ms"
	[ $(( (t1 - t0) / 1000000 )) -lt 3000 ]
	run stat -c %a "$sock"
	assert_output "600"
	run stat -c %a "/run/arsemu/$lab/hub-rs0.sock"
	assert_output "600"
}
