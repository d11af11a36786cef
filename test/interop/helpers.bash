# Shared by the interop tests: real BGP daemons (FRR, BIRD, GoBGP, ExaBGP)
# peer as NVAs with `arsemu routeserver`, each in a namespace of its own.
#
# Layout: namespace $IX-rs holds a bridge br0 with the route server at
# 10.0.0.4/24; every peer namespace $IX-<name> has eth0 (a veth whose other
# end is on br0) at 10.0.0.<n>/24. $IX is run-unique; everything lives in
# $IXDIR (configs, logs, sockets). Only PIDs recorded in $IXDIR/pids are
# ever killed, and only namespaces named $IX-* are deleted.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
ARSEMU="$TOP/arsemu"
RS_IP=10.0.0.4

# One prefix per test file: the file's name and our PID.
ix_init() {
	IX="ai$(( $$ % 100000 ))$1"
	IXDIR=$(mktemp -d "/tmp/arsemu-interop-$1-XXXXXX")
	chmod 755 "$IXDIR"
	export IX IXDIR
	: > "$IXDIR/pids"
}

require_root() {
	[ "$(id -u)" = 0 ] || skip "interop tests need root (network namespaces)"
}

# ns_add NAME [IP]: a namespace; with an IP, wired to the route server's bridge.
ns_add() {
	local ns=$IX-$1 ip=${2:-}
	echo "$ns" >> "$IXDIR/namespaces"
	ip netns add "$ns"
	ip -n "$ns" link set lo up
	[ -n "$ip" ] || return 0
	# both ends are made inside the route server's namespace, never the host's
	ip -n "$IX-rs" link add "v-$1" type veth peer name eth0 netns "$ns"
	ip -n "$IX-rs" link set "v-$1" master br0 up
	ip -n "$ns" addr add "$ip/24" dev eth0
	ip -n "$ns" link set eth0 up
}

net_setup() {
	ns_add rs
	ip -n "$IX-rs" link add br0 type bridge
	ip -n "$IX-rs" addr add "$RS_IP/24" dev br0
	ip -n "$IX-rs" link set br0 up
}

# bg NAME NS CMD...: start CMD in namespace NS in the background, record its PID.
bg() {
	local name=$1 ns=$2; shift 2
	# fd 3 closed: bats waits for whoever holds it
	ip netns exec "$IX-$ns" "$@" > "$IXDIR/$name.out" 2>&1 3>&- &
	echo "$! $name" >> "$IXDIR/pids"
}

pid_of() { awk -v n="$1" '$2 == n { print $1 }' "$IXDIR/pids" | tail -n 1; }

# Kill what this file started, then delete its namespaces and files.
ix_cleanup() {
	[ -n "${IXDIR:-}" ] && [ -d "$IXDIR" ] || return 0
	local pid name ns
	while read -r pid name; do
		kill "$pid" 2>/dev/null || true
	done < "$IXDIR/pids"
	sleep 0.3
	while read -r pid name; do
		kill -9 "$pid" 2>/dev/null || true
	done < "$IXDIR/pids"
	if [ -f "$IXDIR/namespaces" ]; then
		while read -r ns; do
			case $ns in "$IX"-*) ip netns del "$ns" 2>/dev/null || true ;; esac
		done < "$IXDIR/namespaces"
	fi
	if [ -n "${IX_KEEP:-}" ]; then
		echo "# interop files kept in $IXDIR" >&3
	else
		rm -rf "$IXDIR"
	fi
}

# wait_until SECONDS CMD...: poll (every 0.1 s) until CMD succeeds.
wait_until() {
	local limit=$1; shift
	local end=$(( $(date +%s%N) / 1000000 + limit * 1000 ))
	while (( $(date +%s%N) / 1000000 < end )); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	"$@"
}

rsctl() { "$ARSEMU" rsctl --control "$IXDIR/rs.sock" "$@"; }

# rs_peer_state PEER: the State column of `rsctl peers` for PEER.
rs_peer_state() { rsctl peers | awk -v p="$1" '$2 == p { print $5 }'; }
rs_established() { [ "$(rs_peer_state "$1")" = Established ]; }
rs_peer_row() { rsctl peers | awk -v p="$1" '$2 == p'; }

# ---- the daemons -------------------------------------------------------------

# frr_start NAME IP ASN PREFIX [EXTRA-NEIGHBOR-LINES]
frr_start() {
	local name=$1 ip=$2 asn=$3 pfx=$4 extra=${5:-}
	local d=$IXDIR/$name
	mkdir -p "$d"
	chmod 755 "$d"
	cat > "$d/bgpd.conf" <<CONF
frr defaults traditional
hostname $name
log file $d/bgpd.log
router bgp $asn
 bgp router-id $ip
 no bgp ebgp-requires-policy
 no bgp network import-check
 neighbor $RS_IP remote-as 65515
 neighbor $RS_IP timers connect 1
$extra
 address-family ipv4 unicast
  network $pfx
 exit-address-family
CONF
	bg "$name" "$name" /usr/lib/frr/bgpd -S -Z -P 0 -l "$ip" \
	    -f "$d/bgpd.conf" -i "$d/bgpd.pid" --vty_socket "$d"
}

vty() { local name=$1; shift; ip netns exec "$IX-$name" vtysh --vty_socket "$IXDIR/$name" "$@"; }

# bird_start NAME IP ASN PREFIX
bird_start() {
	local name=$1 ip=$2 asn=$3 pfx=$4
	cat > "$IXDIR/$name.conf" <<CONF
router id $ip;
protocol device { }
protocol static static4 { ipv4; route $pfx blackhole; }
protocol bgp azrs {
	local $ip as $asn;
	neighbor $RS_IP as 65515;
	connect delay time 1;
	connect retry time 1;
	error wait time 1, 2;
	ipv4 { import all; export where source = RTS_STATIC; };
}
CONF
	bg "$name" "$name" bird -f -c "$IXDIR/$name.conf" -s "$IXDIR/$name.ctl"
}

birdc_() { local name=$1; shift; ip netns exec "$IX-$name" birdc -s "$IXDIR/$name.ctl" "$@"; }

# gobgp_start NAME IP ASN
gobgp_start() {
	local name=$1 ip=$2 asn=$3
	cat > "$IXDIR/$name.toml" <<CONF
[global.config]
  as = $asn
  router-id = "$ip"
  local-address-list = ["$ip"]
[[neighbors]]
  [neighbors.config]
    neighbor-address = "$RS_IP"
    peer-as = 65515
  [neighbors.timers.config]
    connect-retry = 1
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-unicast"
CONF
	bg "$name" "$name" gobgpd -f "$IXDIR/$name.toml" -p \
	    --api-hosts 127.0.0.1:50051 --pprof-disable
}

gobgp_() { local name=$1; shift; ip netns exec "$IX-$name" gobgp -u 127.0.0.1 -p 50051 "$@"; }

# exa_start NAME IP ASN ROUTE-LINES [NEIGHBOR-LINES]: ExaBGP with static
# routes; what it receives is written as JSON lines to $IXDIR/NAME.recv.
exa_start() {
	local name=$1 ip=$2 asn=$3 routes=$4 extra=${5:-}
	# stdout must stay open: ExaBGP takes EOF on it for a dead process
	printf '#!/bin/sh\nwhile read -r l; do printf "%%s\\n" "$l" >> %s; done\n' \
	    "$IXDIR/$name.recv" > "$IXDIR/$name.dump"
	chmod 755 "$IXDIR/$name.dump"
	cat > "$IXDIR/$name.conf" <<CONF
process dump {
	run $IXDIR/$name.dump;
	encoder json;
}
neighbor $RS_IP {
	router-id $ip;
	local-address $ip;
	local-as $asn;
	peer-as 65515;
	$extra
	api {
		processes [ dump ];
		receive { parsed; update; notification; }
	}
	static {
$routes
	}
}
CONF
	bg "$name" "$name" env exabgp.api.cli=false exabgp.daemon.drop=false \
	    exabgp.log.destination="$IXDIR/$name.log" exabgp.daemon.user=root \
	    exabgp "$IXDIR/$name.conf"
}

# rs_start ARGS...: `arsemu routeserver` in $IX-rs, with a control socket.
rs_start() {
	bg rs rs "$ARSEMU" routeserver --listen "$RS_IP" --control "$IXDIR/rs.sock" \
	    --connect-retry 1 "$@"
	wait_until 5 test -S "$IXDIR/rs.sock"
}
