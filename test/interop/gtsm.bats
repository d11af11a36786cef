#!/usr/bin/env bats
# TTL security (issue 11, RFC 5082 GTSM) between FRR bgpd and
# `arsemu routeserver`, on one bridge in namespaces of this file's own:
#
#   10.0.0.21  FRR  AS 65021  ttl-security hops 1 both ends: Established
#   10.0.0.22  FRR  AS 65022  plain eBGP (FRR sends TTL 1); the route server
#                             wants GTSM: no session
#   10.0.0.23  FRR  AS 65023  plain eBGP, no GTSM at either end: Established

load helpers

setup_file() {
	[ "$(id -u)" = 0 ] || return 0
	ix_init gtsm
	net_setup
	local n
	for n in frrg:21 frrn:22 frrc:23; do
		ns_add "${n%%:*}" "10.0.0.${n##*:}"
	done
	rs_start --advertise 10.1.0.0/16 \
	    --peer 10.0.0.21:65021:name=frrg:ttl-security=1 \
	    --peer 10.0.0.22:65022:name=frrn:ttl-security=1 \
	    --peer 10.0.0.23:65023:name=frrc
	frr_start frrg 10.0.0.21 65021 10.21.0.0/16 " neighbor $RS_IP ttl-security hops 1"
	frr_start frrn 10.0.0.22 65022 10.22.0.0/16
	frr_start frrc 10.0.0.23 65023 10.23.0.0/16
}

teardown_file() {
	ix_cleanup
}

setup() {
	require_root
}

@test "GTSM (RFC 5082): FRR with ttl-security hops 1 and the route server with ttl-security=1 reach Established and exchange routes" {
	wait_until 20 rs_established frrg
	wait_until 10 bash -c "rsctl() { '$ARSEMU' rsctl --control '$IXDIR/rs.sock' \"\$@\"; }; rsctl learned frrg | grep -q 10.21.0.0/16"
	run vty frrg -c "show ip bgp 10.1.0.0/16"
	assert_output --partial "65515"
}

@test "GTSM: a peer whose packets arrive with TTL 1 gets no session; without GTSM the same configuration does" {
	wait_until 20 rs_established frrc
	# frrn has had as long as frrc and frrg: its OPEN never got through
	sleep 3
	run rs_peer_state frrn
	refute_output "Established"
	run vty frrn -c "show ip bgp neighbors $RS_IP"
	refute_output --partial "BGP state = Established"
	run vty frrc -c "show ip bgp neighbors $RS_IP"
	assert_output --partial "BGP state = Established"
	run rsctl learned frrn
	refute_output --partial "10.22.0.0/16"
}
