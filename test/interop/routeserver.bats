#!/usr/bin/env bats
# Interop (issue 3): FRR bgpd, BIRD, GoBGP and ExaBGP peer as NVAs with
# `arsemu routeserver`, each in a namespace of its own on one bridge.
#
#   10.0.0.4   arsemu routeserver   advertises 10.1.0.0/16 (the "VNet")
#   10.0.0.11  FRR     AS 65001     10.11.0.0/16, TCP MD5 key
#   10.0.0.12  BIRD    AS 65002     10.12.0.0/16
#   10.0.0.13  GoBGP   AS 65003     10.13.0.0/16 (added through its API)
#   10.0.0.14  ExaBGP  AS 65004     10.14.0.0/16 (no route refresh capability)
#   10.0.0.15  ExaBGP  AS 65005     malformed attributes (RFC 7606)
#   10.0.0.16  ExaBGP  AS 65006     6 routes against a limit of 3 (RS-40)
#   10.0.0.17  ExaBGP  AS 65007     the wrong TCP MD5 key
#
# The daemons start once, in setup_file; tests run in order and the last
# ones take sessions down. teardown_file cleans up even after a failure.

load helpers

setup_file() {
	[ "$(id -u)" = 0 ] || return 0
	ix_init rs
	net_setup
	local n
	for n in frr:11 bird:12 gobgp:13 exa:14 exabad:15 exalimit:16 exakey:17; do
		ns_add "${n%%:*}" "10.0.0.${n##*:}"
	done
	rs_start --log json --advertise 10.1.0.0/16 \
	    --peer 10.0.0.11:65001:name=frr:md5=s3cret:key \
	    --peer 10.0.0.12:65002:name=bird \
	    --peer 10.0.0.13:65003:name=gobgp \
	    --peer 10.0.0.14:65004:name=exa \
	    --peer 10.0.0.15:65005:name=exabad \
	    --peer 10.0.0.16:65006:name=exalimit:max-prefix=3 \
	    --peer 10.0.0.17:65007:name=exakey:md5=right-key
	frr_start frr 10.0.0.11 65001 10.11.0.0/16 " neighbor $RS_IP password s3cret:key"
	bird_start bird 10.0.0.12 65002 10.12.0.0/16
	gobgp_start gobgp 10.0.0.13 65003
	exa_start exa 10.0.0.14 65004 "		route 10.14.0.0/16 next-hop 10.0.0.14;"
	exa_start exabad 10.0.0.15 65005 "\
		route 10.15.1.0/24 next-hop 10.0.0.15;
		route 10.15.2.0/24 next-hop 10.0.0.15 attribute [ 0x04 0x80 0x0001 ];
		route 10.15.3.0/24 next-hop 10.0.0.15 attribute [ 0x06 0x40 0x01 ];"
	local i routes=""
	for i in 1 2 3 4 5 6; do
		routes="$routes		route 10.16.$i.0/24 next-hop 10.0.0.16;
"
	done
	exa_start exalimit 10.0.0.16 65006 "$routes"
	exa_start exakey 10.0.0.17 65007 "		route 10.17.0.0/16 next-hop 10.0.0.17;" \
	    "md5-password \"wrong-key\";"
}

teardown_file() {
	ix_cleanup
}

setup() {
	require_root
}

# has_route WHO PREFIX "ASPATH" NEXTHOP: WHO (a peer) holds PREFIX with that
# AS path (space separated) and next hop.
has_route() {
	local who=$1 pfx=$2 path=$3 nh=$4
	case $who in
	frr)
		vty frr -c "show bgp ipv4 unicast $pfx json" |
		    python3 -c 'import json,sys; d=json.load(sys.stdin); p=d["paths"][0]
sys.exit(not (p["aspath"]["string"]==sys.argv[1] and p["nexthops"][0]["ip"]==sys.argv[2]))' "$path" "$nh"
		;;
	bird)
		local out
		out=$(birdc_ bird show route for "$pfx" all)
		grep -q "BGP.as_path: $path\$" <<< "$out" &&
		    grep -q "BGP.next_hop: $nh\$" <<< "$out"
		;;
	gobgp)
		gobgp_ gobgp global rib -a ipv4 "$pfx" |
		    grep -E "^\*> +$pfx +$nh +$path +" >/dev/null
		;;
	exa)
		python3 - "$IXDIR/exa.recv" "$pfx" "$path" "$nh" <<'PY'
import json, sys
f, pfx, path, nh = sys.argv[1:]
have = {}
for line in open(f):
    try:
        m = json.loads(line)
    except ValueError:
        continue
    if m.get("type") != "update":
        continue
    u = m["neighbor"]["message"].get("update", {})
    asp = " ".join(str(a) for a in u.get("attribute", {}).get("as-path", []))
    for n, rs in u.get("announce", {}).get("ipv4 unicast", {}).items():
        for r in rs:
            have[r["nlri"]] = (asp, n)
    for r in u.get("withdraw", {}).get("ipv4 unicast", []):
        have.pop(r["nlri"], None)
sys.exit(have.get(pfx) != (path, nh))
PY
		;;
	esac
}

# exa_notified NAME CODE SUBCODE: ExaBGP peer NAME received that NOTIFICATION.
exa_notified() {
	python3 - "$IXDIR/$1.recv" "$2" "$3" <<'PY'
import json, sys
f, code, sub = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for line in open(f):
    try:
        n = json.loads(line).get("neighbor", {}).get("notification")
    except ValueError:
        continue
    if isinstance(n, dict) and n.get("code") == code and n.get("subcode") == sub:
        sys.exit(0)
sys.exit(1)
PY
}

frr_refresh_recv() {
	vty frr -c "show bgp neighbors $RS_IP json" | python3 -c '
import json, sys
print(list(json.load(sys.stdin).values())[0]["messageStats"]["routeRefreshRecv"])'
}

bird_says() { birdc_ bird show protocols all azrs | grep -q -- "$1"; }
frr_refresh_more() { (( $(frr_refresh_recv) > $1 )); }
rs_row_has() { rs_peer_row "$1" | grep -q -- "$2"; }
rs_logged() { grep -q -- "$1" "$IXDIR/rs.out"; }

lacks_route() {
	case $1 in
	bird) ! birdc_ bird show route for "$2" | grep -q "^$2" ;;
	gobgp) ! gobgp_ gobgp global rib -a ipv4 "$2" | grep -q "$2" ;;
	frr) ! vty frr -c "show bgp ipv4 unicast $2 json" | grep -q '"paths"' ;;
	esac
}

@test "RFC 4271 8: FRR, BIRD, GoBGP and ExaBGP reach Established with arsemu routeserver" {
	local p
	for p in frr bird gobgp exa exabad; do
		wait_until 20 rs_established "$p" || fail "$p: $(rs_peer_row "$p")"
	done
	gobgp_ gobgp global rib -a ipv4 add 10.13.0.0/16 nexthop 10.0.0.13
	run wait_until 15 rs_logged '"to":"Established"'
	assert_success
}

@test "RFC 2385: FRR with a TCP MD5 key is up; an ExaBGP peer with the wrong key never is" {
	run rs_peer_state frr
	assert_output Established
	run vty frr -c "show bgp neighbors $RS_IP json"
	assert_output --partial '"bgpState":"Established"'
	run rs_peer_state exakey
	refute_output Established
	refute_output OpenSent
	run grep -c '"peer":"exakey"' "$IXDIR/rs.out"
	# Idle -> Active at start only: no connection ever reached the FSM
	assert_output 1
}

@test "RS-10/RS-11: every peer learns 10.1.0.0/16 with AS path 65515 and next hop 10.0.0.4" {
	local p
	for p in frr bird gobgp exa; do
		wait_until 10 has_route "$p" 10.1.0.0/16 "65515" 10.0.0.4 ||
		    fail "$p lacks the route server's prefix"
	done
}

@test "RS-12/RS-25/U-08: routes flow between all four with AS path 65515 <peer path> and the original next hop" {
	local src dst pfx asn n
	for src in frr:11:65001 bird:12:65002 gobgp:13:65003 exa:14:65004; do
		IFS=: read -r s n asn <<< "$src"
		pfx=10.$n.0.0/16
		for dst in frr bird gobgp exa; do
			[ "$dst" = "$s" ] && continue
			wait_until 10 has_route "$dst" "$pfx" "65515 $asn" "10.0.0.$n" ||
			    fail "$dst: no $pfx with path \"65515 $asn\" via 10.0.0.$n"
		done
	done
	run rsctl learned bird --json
	assert_success
	assert_output --partial '"RouteServiceRole_IN_0"'
	assert_output --partial '"sourcePeer": "10.0.0.12"'
	run rsctl rib
	assert_line --regexp '^rs +10\.11\.0\.0/16 +10\.0\.0\.11 +65001 +frr$'
}

@test "RS-40: an ExaBGP peer over the route limit is dropped with Cease / Maximum Number of Prefixes Reached; the others keep theirs" {
	run wait_until 10 rs_row_has exalimit 'route limit: 0 held + 6 in UPDATE > 3 (RS-40)'
	assert_success
	# ExaBGP saw the NOTIFICATION: code 6 (Cease), subcode 1 (RFC 4486)
	run wait_until 5 exa_notified exalimit 6 1
	assert_success
	run rsctl rib
	refute_output --partial 10.16.
	for p in frr bird gobgp exa; do
		run rs_peer_state "$p"
		assert_output Established
	done
	has_route bird 10.11.0.0/16 "65515 65001" 10.0.0.11
	has_route frr 10.14.0.0/16 "65515 65004" 10.0.0.14
}

@test "RFC 7606: malformed MED is treat-as-withdraw, bad ATOMIC_AGGREGATE is discarded; the session and other peers stay" {
	wait_until 10 has_route bird 10.15.1.0/24 "65515 65005" 10.0.0.15
	has_route bird 10.15.3.0/24 "65515 65005" 10.0.0.15
	lacks_route bird 10.15.2.0/24
	lacks_route frr 10.15.2.0/24
	run rsctl rib
	refute_output --partial 10.15.2.0
	run grep -c 'RFC 7606 treat-as-withdraw: UPDATE Message Error / Attribute Length Error' "$IXDIR/rs.out"
	refute_output 0
	run grep -c 'RFC 7606 attribute discard' "$IXDIR/rs.out"
	refute_output 0
	run rs_peer_state exabad
	assert_output Established
	run rs_peer_row exabad
	assert_output --regexp ' 2 +-$'
	run rs_peer_state frr
	assert_output Established
}

@test "RFC 2918/RS-44: refresh all: FRR, BIRD, GoBGP get ROUTE-REFRESH; ExaBGP without the capability is reset" {
	local before
	before=$(frr_refresh_recv)
	run rsctl refresh all
	assert_success
	assert_line --regexp '^frr +sent$'
	assert_line --regexp '^bird +sent$'
	assert_line --regexp '^gobgp +sent$'
	assert_line --regexp '^exa +reset: no route refresh capability \(RS-44\)$'
	run wait_until 5 frr_refresh_more "$before"
	assert_success
	# Cease / Other Configuration Change (RFC 4486)
	run wait_until 5 exa_notified exa 6 6
	assert_success
	# ExaBGP comes back and its route with it
	wait_until 15 rs_established exa
	wait_until 10 has_route bird 10.14.0.0/16 "65515 65004" 10.0.0.14
}

@test "RFC 8203/RFC 4486: FRR's graceful shutdown withdraws its routes from every peer at once" {
	has_route bird 10.11.0.0/16 "65515 65001" 10.0.0.11
	local t0 t1
	t0=$(date +%s%N)
	vty frr -c "configure terminal" -c "router bgp 65001" \
	    -c "neighbor $RS_IP shutdown message maintenance window 42"
	wait_until 3 lacks_route bird 10.11.0.0/16
	t1=$(date +%s%N)
	echo "# withdrawn at BIRD after $(( (t1 - t0) / 1000000 )) ms" >&3
	(( (t1 - t0) / 1000000 < 1500 ))
	wait_until 3 lacks_route gobgp 10.11.0.0/16
	run rs_peer_row frr
	assert_output --partial 'Administrative Shutdown: "maintenance window 42"'
	run grep -c 'maintenance window 42' "$IXDIR/rs.out"
	refute_output 0
	run rs_peer_state bird
	assert_output Established
}

@test "RFC 8203: SIGTERM sends Cease / Administrative Shutdown with the text; JSON log lines throughout" {
	kill -TERM "$(pid_of rs)"
	# ExaBGP 4.2.21 cannot read an RFC 8203 text (bytes % str in its
	# notification.py) and answers with a Header Error: BIRD is the witness
	run wait_until 5 bird_says 'arsemu: shutting down'
	assert_success
	# every line the route server logged is a JSON object
	run python3 -c '
import json, sys
n = 0
for line in open(sys.argv[1]):
    o = json.loads(line)
    assert o["speaker"] == "rs" and "time" in o and "event" in o
    n += 1
print(n)' "$IXDIR/rs.out"
	assert_success
}
