#!/usr/bin/env bats
# GW-10: the speaker's BFD (RFC 5880/5881, what the MSEE runs on every
# ExpressRoute private peering) against FRR's bfdd, with `arsemu
# routeserver` as the speaker, on one bridge in namespaces of this file's own:
#
#   10.0.0.31  FRR zebra + bfdd + bgpd, AS 65031, `neighbor ... bfd`
#              (FRR's default 300 ms x 3); our peer has bfd (300 ms x 3)
#   10.0.0.32  FRR bgpd alone, no BFD; our peer has bfd all the same
#
# Both BGP sessions use hold 30 s, so a BFD teardown is told from a hold
# timer expiry by a wide margin. The cut is an nftables drop of everything
# in and out of FRR's namespace: no link goes down, nothing is told.

load helpers

HOLD=30

# frr_bfd_start NAME IP ASN PREFIX: zebra, bfdd and bgpd, all as user frr
# (bgpd reaches bfdd through zebra), in $IXDIR/NAME.
frr_bfd_start() {
	local name=$1 ip=$2 asn=$3 pfx=$4 d=$IXDIR/$1
	mkdir -p "$d"
	printf 'hostname %s\nlog file %s/zebra.log\n' "$name" "$d" > "$d/zebra.conf"
	printf 'hostname %s\nlog file %s/bfdd.log\nbfd\n!\n' "$name" "$d" > "$d/bfdd.conf"
	cat > "$d/bgpd.conf" <<CONF
frr defaults traditional
hostname $name
log file $d/bgpd.log
router bgp $asn
 bgp router-id $ip
 no bgp ebgp-requires-policy
 no bgp network import-check
 neighbor $RS_IP remote-as 65515
 neighbor $RS_IP timers 10 $HOLD
 neighbor $RS_IP timers connect 1
 neighbor $RS_IP bfd
 address-family ipv4 unicast
  network $pfx
 exit-address-family
CONF
	chmod 755 "$d"
	chown -R frr:frr "$d"
	local common=(-u frr -g frr -z "$d/zserv.api" --vty_socket "$d" -P 0)
	bg "$name-zebra" "$name" /usr/lib/frr/zebra "${common[@]}" \
	    -f "$d/zebra.conf" -i "$d/zebra.pid"
	wait_until 5 test -S "$d/zserv.api"
	bg "$name-bfdd" "$name" /usr/lib/frr/bfdd "${common[@]}" \
	    -f "$d/bfdd.conf" -i "$d/bfdd.pid" --bfdctl "$d/bfdd.sock"
	bg "$name-bgpd" "$name" /usr/lib/frr/bgpd "${common[@]}" -l "$ip" \
	    -f "$d/bgpd.conf" -i "$d/bgpd.pid"
}

mono_ms() { python3 -c 'import time; print(int(time.monotonic() * 1000))'; }

frr_bfd_up() { vty frrb -c "show bfd peers" | grep -q "Status: up"; }
frr_bfd_down() { vty frrb -c "show bfd peers" | grep -q "Status: down"; }
frr_bgp_up() { vty "$1" -c "show ip bgp neighbors $RS_IP" | grep -q "BGP state = Established"; }
learned_from_frrb() { rsctl learned frrb | grep -q 10.31.0.0/16; }
not_established() { [ "$(rs_peer_state "$1")" != Established ]; }
# our side saw BFD come Up with frrb after line $1 of the log
rs_bfd_up_after() { tail -n +"$1" "$IXDIR/rs.out" | grep -q "peer frrb (10.0.0.31): BFD .* -> Up"; }

setup_file() {
	[ "$(id -u)" = 0 ] || return 0
	[ -x /usr/lib/frr/bfdd ] || return 0
	ix_init bfd
	net_setup
	ns_add frrb 10.0.0.31
	ns_add frrn 10.0.0.32
	rs_start --advertise 10.1.0.0/16 --hold "$HOLD" \
	    --peer 10.0.0.31:65031:name=frrb:bfd=300x3 \
	    --peer 10.0.0.32:65032:name=frrn:bfd
	frr_bfd_start frrb 10.0.0.31 65031 10.31.0.0/16
	frr_start frrn 10.0.0.32 65032 10.32.0.0/16 " neighbor $RS_IP timers 10 $HOLD"
}

teardown_file() {
	ix_cleanup
}

setup() {
	require_root
	[ -x /usr/lib/frr/bfdd ] || skip "FRR's bfdd is not installed"
}

@test "GW-10 BFD interop: FRR bfdd and the speaker bring BFD Up (300 ms x 3 each way) and BGP is Established" {
	wait_until 20 rs_established frrb
	wait_until 10 frr_bfd_up
	run vty frrb -c "show bfd peers"
	assert_output --partial "Status: up"
	assert_output --regexp "Remote timers:.*"
	# what we sent, as FRR read it: 300 ms, x3
	echo "$output" | awk '/Remote timers/ { r = 1 } r' | grep -q "Detect-multiplier: 3"
	echo "$output" | awk '/Remote timers/ { r = 1 } r' | grep -q "Receive interval: 300ms"
	echo "$output" | awk '/Remote timers/ { r = 1 } r' | grep -q "Transmission interval: 300ms"
	run cat "$IXDIR/rs.out"
	assert_output --regexp "peer frrb: BFD 300 ms x 3"
	assert_output --regexp "peer frrb \(10\.0\.0\.31\): BFD (Down|Init) -> Up"
	wait_until 10 frr_bgp_up frrb
}

@test "GW-10 BFD interop: BGP does not wait for BFD: a peer without BFD is Established while our BFD session with it stays Down" {
	wait_until 20 rs_established frrn
	wait_until 10 frr_bgp_up frrn
	run cat "$IXDIR/rs.out"
	assert_output --partial "peer frrn: BFD 300 ms x 3"
	refute_output --regexp "peer frrn \(10\.0\.0\.32\): BFD .* -> (Init|Up)"
}

@test "GW-10 BFD interop: a silent cut takes BGP down on both sides within about a second by BFD, well before the ${HOLD} s hold time" {
	local t0 t1 line dl from_log
	wait_until 20 rs_established frrb
	wait_until 10 frr_bfd_up
	wait_until 10 frr_bgp_up frrb
	line=$(wc -l < "$IXDIR/rs.out")
	t0=$(mono_ms)
	ip netns exec "$IX-frrb" nft -f - <<'NFT'
table inet arsemu_cut {
	chain in { type filter hook input priority 0; policy drop; }
	chain out { type filter hook output priority 0; policy drop; }
}
NFT
	wait_until 10 not_established frrb
	t1=$(mono_ms)
	echo "# our BGP session left Established $((t1 - t0)) ms after the cut (hold $HOLD s)" >&3
	[ $((t1 - t0)) -lt 10000 ]
	run tail -n +"$((line + 1))" "$IXDIR/rs.out"
	assert_output --regexp "peer frrb \(10\.0\.0\.31\): BFD Up -> Down \(Control Detection Time Expired\): BGP session closed"
	assert_output --partial "peer frrb: sent NOTIFICATION Cease / subcode 10"
	refute_output --partial "Hold Timer Expired"
	# the speaker's own clock: BFD down 0.6-0.9 s after the last packet
	dl=$(echo "$output" | awk '/peer frrb .*BFD Up -> Down/ { print $1; exit }')
	from_log=$((dl - t0))
	echo "# BFD declared the session down $from_log ms after the cut (3 x 300 ms after the last packet)" >&3
	[ "$from_log" -ge 300 ] && [ "$from_log" -le 2500 ]
	# FRR's side: its bfdd saw it too and its bgpd dropped the session
	wait_until 10 frr_bfd_down
	run vty frrb -c "show ip bgp neighbors $RS_IP"
	refute_output --partial "BGP state = Established"
	t1=$(mono_ms)
	echo "# FRR's BGP session was down $((t1 - t0)) ms after the cut" >&3
	[ $((t1 - t0)) -lt 10000 ]
}

@test "GW-10 BFD interop: the cut mended, BFD comes Up again and BGP is Established again" {
	local line
	line=$(wc -l < "$IXDIR/rs.out")
	ip netns exec "$IX-frrb" nft delete table inet arsemu_cut
	wait_until 20 rs_established frrb
	wait_until 10 frr_bfd_up
	wait_until 10 rs_bfd_up_after "$((line + 1))"
	wait_until 10 learned_from_frrb
}
