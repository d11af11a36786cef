#!/bin/bash
# lab-bench: a lab at Azure Route Server's limits, and the kernel work under
# it, side by side with its baselines in one run (issue 10). A benchmark,
# never a test; root, after `make`.
#
#   bench/lab-bench.sh [TOPO]     default examples/azure-limits.json
#   LAB_BENCH_PARTS="floor iproute2 fib up"   to run only some
#
# Parts, each printed with its ratio to its baseline:
#   floor     N namespaces made and removed by a loop of syscalls
#             (unshare + bind mount: bench/labbench.c), N = the topology's
#             nodes + 2 (fabric, internet edge)
#   floorveth the same N namespaces, each with one veth pair from a fabric
#             namespace into it (its interface indexes given, nothing
#             else): the least work a lab node needs (labbench.c)
#   iproute2  the same N namespaces the iproute2 way: `ip netns add` each,
#             then one `ip -batch` in the fabric (a veth per node, its
#             address, its rule) and one `ip -n NODE -batch` per node (its
#             address, link up, default route); `ip netns del` each
#   up        `arsemu up TOPO` to a converged lab (every session up, the
#             fabric programmed; the build alone: until the daemon starts),
#             then `arsemu down`; the lab's memory (memory in use, less
#             buffers and page cache, before and after; the processes' RSS),
#             per VM; the fabric's routes and rules; then one route
#             announced by an NVA: the tables it touched, the netlink
#             requests, the time (all from the daemon's journal)
#   memory    with floor, floorveth and up (issue 23): the kernel's memory
#             (Slab + Percpu + VmallocUsed + PageTables + KernelStack of
#             /proc/meminfo) while the namespaces are there, less before;
#             for the lab also the PSS of its processes (smaps_rollup:
#             daemon, route servers, speakers) and its slab caches less
#             floorveth's (/proc/slabinfo, object bytes). Printed per VM:
#             the namespaces (floor), the veth pairs (floorveth - floor),
#             then what is arsemu's own: the rest of the kernel's (routes,
#             rules, addresses, IPv6, neighbours, nftables, sockets, the
#             links' queues) and the processes; memory.txt in
#             LAB_BENCH_KEEP (a directory), if set, keeps the snapshots
#   fib       10,000 and 100,000 routes into an empty table: arsemu's sync
#             (emu/fabric.c) against `ip -batch` and against libnl-route-3
#             (bench/nlbench_libnl.c: a route cache, rtnl_route_add each);
#             then one route changed
#
# libnl-route-3 (issue 21) is a contender in floorveth (the veth pairs made
# with rtnl_link_veth_alloc + rtnl_link_add instead of emu/nl.c) and fib.
# Those two parts run each contender LAB_BENCH_RUNS times (default 3),
# interleaved, the order swapped every round, and print the median (and the
# range). Without libnl-route-3-dev (`apt-get install libnl-route-3-dev`)
# the script says so and prints "-" in libnl's place.
#
#   LAB_BENCH_N=K         K namespaces instead of the topology's nodes + 2
#   LAB_BENCH_FIB="N..."  the fib sizes (default "10000 100000")
#   LAB_BENCH_SETTLE=S    wait at most S s (default 60) for an idle machine
#                         before each part; 0 for a smoke run
#
# Namespaces are named lb<pid>-*; the lab "lb<pid>"; everything made is
# removed on exit, also on failure or ^C. Only processes this script
# started are ended, by PID.
#
# The run dirs: by default the whole run happens in a mount namespace of
# its own with a fresh tmpfs on /run/netns and /run/arsemu (what most
# machines have under /run). On a file system like ext4 without a journal,
# creating a file scans past every inode deleted in the last minutes, so
# each part would pay for the namespaces the part before it removed, and
# the floor varied from 1.7 to 4.5 s between runs. LAB_BENCH_TMPFS=0: the
# machine's own /run, as it is. Nothing of the host's mounts changes.
set -u
cd "$(dirname "$0")/.." || exit 2
[ "$(id -u)" = 0 ] || { echo "lab-bench: needs root (namespaces)" >&2; exit 3; }
[ -x ./arsemu ] && [ -f build/libemu.a ] || { echo "lab-bench: run make first" >&2; exit 3; }
if [ "${LAB_BENCH_TMPFS:-1}" = 1 ] && [ -z "${LAB_BENCH_IN_MNTNS:-}" ]; then
	LAB_BENCH_IN_MNTNS=1 exec unshare -m --propagation private sh -c '
		mkdir -p /run/netns /run/arsemu &&
		mount -t tmpfs lab-bench /run/netns &&
		mount -t tmpfs lab-bench /run/arsemu &&
		exec bash "$0" "$@"' "$PWD/bench/lab-bench.sh" "$@"
fi
RUNFS=$(stat -f -c %T /run/netns 2>/dev/null || echo "?")

TOPO=${1:-examples/azure-limits.json}
PARTS=${LAB_BENCH_PARTS:-floor floorveth iproute2 up fib}
P=lb$$
LAB=$P
W=$(mktemp -d /tmp/arsemu-labbench-XXXXXX)

cleanup() {
	local ns
	./arsemu down "$LAB" >/dev/null 2>&1
	for ns in $(ip netns list | awk '{print $1}' | grep "^$P-"); do
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cc -std=c11 -D_GNU_SOURCE -O2 -o "$W/labbench" bench/labbench.c \
	build/libemu.a build/libmodel.a build/libcore.a -lmnl -lcjson || exit 2
LIBNL=""
if pkg-config --exists libnl-route-3.0 2>/dev/null; then
	# shellcheck disable=SC2046
	cc -std=c11 -D_GNU_SOURCE -O2 $(pkg-config --cflags libnl-route-3.0) \
		-o "$W/nlbench_libnl" bench/nlbench_libnl.c \
		$(pkg-config --libs libnl-route-3.0) || exit 2
	LIBNL=$W/nlbench_libnl
fi
RUNS=${LAB_BENCH_RUNS:-3}
FIBN=${LAB_BENCH_FIB:-10000 100000}

ms() { echo $(( $(date +%s%N) / 1000000 )); }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
per() { awk -v a="$1" -v n="$2" 'BEGIN { printf "%.3f", a / n }'; }
# med V...: the median of the values and their range, "median (lo-hi)"
med() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
	m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
	if (NR > 1) printf "%.1f (%.1f-%.1f)", m, v[1], v[NR]; else printf "%.1f", m }'; }
# mid V...: the median alone
mid() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
	printf "%s", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

NODES=$(./arsemu nodes "$TOPO" 2>/dev/null | tail -n +3 | wc -l)
NICS=$(./arsemu validate "$TOPO" | sed -n 's/.*, \([0-9]*\) NICs$/\1/p')
VMS=$(python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); print(sum(len(s.get("vms",[])) for r in t["regions"] for s in r.get("spokes",[])) + sum(len(r["hub"].get("vms",[])) for r in t["regions"]))' "$TOPO")
N=${LAB_BENCH_N:-$((NODES + 2))}
echo "# lab-bench $(date -u +%FT%TZ) on $(nproc) CPUs, $(uname -r); $TOPO: $NODES nodes, $NICS NICs, $VMS VMs"
echo "# iproute2 $(ip -V | sed 's/.*iproute2-//'); /run/netns on $RUNFS; load average $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "$LIBNL" ]; then
	echo "# libnl-route-3 $(pkg-config --modversion libnl-route-3.0); floorveth and fib: $RUNS runs each, interleaved"
else
	echo "# libnl-route-3 not installed (apt-get install libnl-route-3-dev): its column is skipped (-)"
fi

# settle: wait (at most 60 s) until the machine is idle: the kernel frees a
# removed namespace later, holding the RTNL lock, which would slow the next part
settle() {
	local k a b
	for ((k = 0; k < ${LAB_BENCH_SETTLE:-60}; k++)); do
		a=$(awk '/^cpu /{print $2 + $3 + $4 + $7 + $8}' /proc/stat)
		sleep 1
		b=$(awk '/^cpu /{print $2 + $3 + $4 + $7 + $8}' /proc/stat)
		(( b - a < 5 )) && return 0
	done
}

# journal_since FILE LINES: once FILE has been quiet for 3 s (at most
# 120 s), what it gained after its first LINES lines
journal_since() {
	local last=$2 now quiet=0 k
	for ((k = 0; k < 120; k++)); do
		sleep 1
		now=$(wc -l < "$1")
		if [ "$now" = "$last" ] && (( ++quiet >= 3 )); then break; fi
		[ "$now" = "$last" ] || quiet=0
		last=$now
	done
	tail -n +"$(($2 + 1))" "$1"
}

# kmem: the kernel's memory in KiB (all of it the namespaces, links,
# tables and sockets can take; not the page cache)
kmem() { awk '/^(Slab|Percpu|VmallocUsed|PageTables|KernelStack):/ { s += $2 } END { print s }' /proc/meminfo; }
# kquiet: wait (at most 120 s) until the kernel's memory has stopped
# falling: the kernel frees removed namespaces later, and a measurement
# started before it is done would count their freeing against what is made
kquiet() {
	local k a b
	a=$(kmem)
	for ((k = 0; k < 120; k++)); do
		sleep 1
		b=$(kmem)
		(( a - b < 1024 )) && return 0
		a=$b
	done
}
# slabs FILE: each slab cache's objects in bytes (name bytes)
slabs() { awk 'NR > 2 { print $1, $2 * $4 }' /proc/slabinfo | sort > "$1"; }
# slabdiff A B: cache and bytes gained from A to B, by cache
slabdiff() { join "$1" "$2" | awk '{ print $1, $3 - $2 }'; }
# held MODE N PREFIX OUT: make the floor's namespaces with labbench, hold
# them while measuring the kernel's memory; "up_ms down_ms kib" into OUT;
# the slab caches' gain into OUT.slab
held() {
	local k0 k1 line
	kquiet
	slabs "$W/s0"; k0=$(kmem)
	coproc LBH { "$W/labbench" "$1" "$2" "$3" hold; }
	read -r line <&"${LBH[0]}"
	[ "$line" = made ] || { echo "labbench $1: $line" >&2; return 1; }
	sleep 2
	k1=$(kmem); slabs "$W/s1"
	echo go >&"${LBH[1]}"
	read -r line <&"${LBH[0]}"
	wait "$LBH_PID" || return 1
	slabdiff "$W/s0" "$W/s1" > "$4.slab"
	echo "$line $((k1 - k0))" > "$4"
}
# pss PID...: the processes' PSS in KiB, summed
pss() {
	local p s=0 v
	for p in "$@"; do
		v=$(awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null)
		s=$((s + ${v:-0}))
	done
	echo "$s"
}
# lab_memory KIB: where the lab's memory goes, per VM (see the header);
# d, r and s are lists of PIDs, split on purpose
# shellcheck disable=SC2086
lab_memory() {
	local kib=$1 nns pids d r s n x own
	nns=$(grep -c '^ns ' "/run/arsemu/$LAB/state")
	pids=$(awk '$1 == "pid" { print $2 }' "/run/arsemu/$LAB/state" | sort -u)
	d=$(awk '$1 == "pid" && $3 == "daemon" { print $2 }' "/run/arsemu/$LAB/state" | sort -u)
	r=""; s=""
	for x in $(./arsemu nodes "$TOPO" 2>/dev/null | awk '$2 == "route-server" { print $1 }'); do
		r="$r $(awk -v k="speaker:$x" '$1 == "pid" && $3 == k { print $2 }' "/run/arsemu/$LAB/state" | tail -1)"
	done
	for x in $pids; do
		[ -d "/proc/$x" ] || continue
		case " $d $r " in *" $x "*) ;; *) s="$s $x" ;; esac
	done
	n=$(echo $s | wc -w)
	local pd pr ps pt kns kveth kown
	pd=$(pss $d); pr=$(pss $r); ps=$(pss $s); pt=$((pd + pr + ps))
	echo "          memory per VM ($VMS VMs, $nns namespaces), KiB: the kernel's $(per "$kib" "$VMS"), processes' PSS $(per "$pt" "$VMS")"
	if [ -n "$FLOOR_KIB" ] && [ -n "$VETH_KIB" ]; then
		# the floors per namespace, times the lab's namespaces
		kns=$(awk -v f="$FLOOR_KIB" -v n="$N" -v m="$nns" 'BEGIN { printf "%d", f / n * m }')
		kveth=$(awk -v f="$FLOOR_KIB" -v v="$VETH_KIB" -v n="$N" -v m="$nns" 'BEGIN { printf "%d", (v - f) / n * m }')
		kown=$((kib - kns - kveth))
		own=$((kown + pt))
		echo "            namespaces $(per "$kns" "$VMS") (the floor's), veth pairs $(per "$kveth" "$VMS") (floorveth's less the floor's)"
		echo "            arsemu's own $(per "$own" "$VMS"): the kernel's $(per "$kown" "$VMS") (routes, rules, addresses, IPv6, neighbours, nftables, sockets, the links' queues; the lab less floorveth)"
		echo "              and the processes' $(per "$pt" "$VMS"): daemon $(per "$pd" "$VMS"), route servers $(per "$pr" "$VMS") ($(wc -w <<< "$r")), speakers $(per "$ps" "$VMS") ($n)"
		echo "            ratio arsemu's own / the floor with a veth: $(ratio "$own" "$((kns + kveth))")"
		# by slab cache: the lab's gain less floorveth's, scaled to the lab's namespaces
		echo "            the kernel's own by slab cache (objects, KiB per VM, the largest):"
		join -a1 -e0 -o 0,1.2,2.2 "$W/up.mem.slab" "$W/floorveth.mem.slab" |
			awk -v n="$N" -v m="$nns" -v vms="$VMS" '{ d = $2 - $3 / n * m; if (d > 0) printf "%s %.2f\n", $1, d / 1024 / vms }' |
			sort -k2 -gr | head -8 | awk '{ printf "%s%s %s", (NR > 1 ? ", " : "              "), $1, $2 } END { print "" }'
	else
		echo "            (run with the floor and floorveth parts to split namespaces, veth pairs and arsemu's own)"
	fi
	echo "            processes (PSS): daemon $pd KiB, route servers $pr KiB, speakers $ps KiB"
	echo "            fabric: $(./arsemu exec fabric --name "$LAB" -- ip -4 neigh show | wc -l) neighbours, $(./arsemu exec fabric --name "$LAB" -- nft list ruleset 2>/dev/null | wc -l) lines of nftables"
	if [ -n "${LAB_BENCH_KEEP:-}" ]; then
		mkdir -p "$LAB_BENCH_KEEP"
		cp "$W"/*.slab "$W"/*.mem "$LAB_BENCH_KEEP"/ 2>/dev/null
		for x in $pids; do
			cp "/proc/$x/smaps_rollup" "$LAB_BENCH_KEEP/smaps_rollup.$x.$(awk -v p="$x" '$1 == "pid" && $2 == p { print $3 }' "/run/arsemu/$LAB/state" | tail -1)" 2>/dev/null
		done
	fi
}
FLOOR_KIB=""
VETH_KIB=""
FLOOR_UP=""
VETH_UP=""
for part in $PARTS; do
settle
case $part in
floor)
	held floor "$N" "$P-f" "$W/floor.mem" || exit 1
	read -r FLOOR_UP FLOOR_DOWN FLOOR_KIB < "$W/floor.mem"
	printf 'floor     %6d namespaces  make %8.0f ms (%s ms each)  remove %8.0f ms\n' \
		"$N" "$FLOOR_UP" "$(per "$FLOOR_UP" "$N")" "$FLOOR_DOWN"
	echo "          memory: the kernel's $((FLOOR_KIB / 1024)) MiB, $(per "$FLOOR_KIB" "$N") KiB a namespace"
	;;
floorveth)
	ups=(); downs=(); lups=(); ldowns=()
	for ((r = 0; r < RUNS; r++)); do
		for who in $( ((r % 2)) && echo "libnl nl" || echo "nl libnl"); do
			if [ "$who" = nl ]; then
				read -r u d < <("$W/labbench" floorveth "$N" "$P-v") || exit 1
				ups+=("$u"); downs+=("$d")
			elif [ -n "$LIBNL" ]; then
				read -r u d < <("$LIBNL" floorveth "$N" "$P-l") || exit 1
				lups+=("$u"); ldowns+=("$d")
			fi
		done
	done
	# memory: once more, held (not timed)
	held floorveth "$N" "$P-v" "$W/floorveth.mem" || exit 1
	read -r _ _ VETH_KIB < "$W/floorveth.mem"
	VETH_UP=$(mid "${ups[@]}")
	printf 'floorveth %6d namespaces  make %8.0f ms (%s ms each)  remove %8.0f ms, each with a veth pair (emu/nl.c)\n' \
		"$N" "$VETH_UP" "$(per "$VETH_UP" "$N")" "$(mid "${downs[@]}")"
	if [ -n "$LIBNL" ]; then
		LVETH_UP=$(mid "${lups[@]}")
		printf '          libnl  make %8.0f ms (%s ms each)  remove %8.0f ms; ratio libnl/nl.c %s\n' \
			"$LVETH_UP" "$(per "$LVETH_UP" "$N")" "$(mid "${ldowns[@]}")" "$(ratio "$LVETH_UP" "$VETH_UP")"
		echo "          make, median (range) of $RUNS: nl.c $(med "${ups[@]}") ms, libnl $(med "${lups[@]}") ms"
	else
		echo "          libnl  - (libnl-route-3 not installed); ratio libnl/nl.c -"
	fi
	[ -n "$FLOOR_UP" ] && echo "          ratio to the floor: $(ratio "$VETH_UP" "$FLOOR_UP")"
	echo "          memory: the kernel's $((VETH_KIB / 1024)) MiB, $(per "$VETH_KIB" "$N") KiB a namespace with its veth pair"
	;;
iproute2)
	t0=$(ms)
	ip netns add "$P-fab" || exit 1
	for ((i = 0; i < N - 1; i++)); do ip netns add "$P-$i" || exit 1; done
	t1=$(ms)
	for ((i = 0; i < N - 1; i++)); do
		a=$((i / 250)); b=$((i % 250 + 1))
		echo "link add n$i type veth peer name eth0 netns $P-$i"
		echo "addr add 10.$a.$b.1/32 dev n$i"
		echo "link set n$i up"
		echo "rule add iif n$i lookup $((1000 + i)) prio $((1000 + i))"
	done > "$W/fabric.batch"
	ip -n "$P-fab" -batch "$W/fabric.batch" || exit 1
	for ((i = 0; i < N - 1; i++)); do
		a=$((i / 250)); b=$((i % 250 + 1))
		printf 'addr add 10.%d.%d.4/24 dev eth0\nlink set eth0 up\nlink set lo up\nroute add default via 10.%d.%d.1 dev eth0 onlink\n' \
			"$a" "$b" "$a" "$b" | ip -n "$P-$i" -batch - || exit 1
	done
	t2=$(ms)
	for ((i = 0; i < N - 1; i++)); do ip netns del "$P-$i"; done
	ip netns del "$P-fab"
	t3=$(ms)
	IP_UP=$((t2 - t0))
	printf 'iproute2  %6d namespaces  make %8d ms (%s ms each; namespaces alone %d ms)  remove %8d ms\n' \
		"$N" "$IP_UP" "$(per "$IP_UP" "$N")" $((t1 - t0)) $((t3 - t2))
	[ -n "$FLOOR_UP" ] && echo "          ratio to the floor: $(ratio "$IP_UP" "$FLOOR_UP")"
	;;
up)
	sed "s/\"name\": \"azure-limits\"/\"name\": \"$LAB\"/" "$TOPO" > "$W/topo.json"
	grep -q "\"name\": \"$LAB\"" "$W/topo.json" || cp "$TOPO" "$W/topo.json"
	kquiet
	used0=$(awk '/^MemTotal/{t=$2} /^MemFree/{f=$2} /^Buffers/{b=$2} /^Cached/{c=$2} END {print t-f-b-c}' /proc/meminfo)
	slabs "$W/u0"; k0=$(kmem)
	# CLOCK_BOOTTIME (uptime) is the journal's CLOCK_MONOTONIC on a machine that never slept
	u0=$(awk '{printf "%d", $1 * 1000}' /proc/uptime)
	t0=$(ms)
	./arsemu up "$W/topo.json" --name "$LAB" --wait 600 > "$W/up.out" 2>&1
	rc=$?
	t1=$(ms)
	sed 's/^/          /' "$W/up.out" | grep -v warning
	[ $rc -eq 0 ] || { echo "up: exit $rc"; exit 1; }
	j=/run/arsemu/$LAB/journal.jsonl
	dstart=$(grep -m1 '"daemon-start"' "$j" | sed 's/{"t_ms": \([0-9]*\).*/\1/')
	sleep 2
	used1=$(awk '/^MemTotal/{t=$2} /^MemFree/{f=$2} /^Buffers/{b=$2} /^Cached/{c=$2} END {print t-f-b-c}' /proc/meminfo)
	k1=$(kmem); slabs "$W/u1"
	slabdiff "$W/u0" "$W/u1" > "$W/up.mem.slab"
	rss=0
	for pid in $(awk '$1 == "pid" {print $2}' "/run/arsemu/$LAB/state"); do
		r=$(awk '/^VmRSS/{print $2}' "/proc/$pid/status" 2>/dev/null)
		rss=$((rss + ${r:-0}))
	done
	tables=$(./arsemu exec fabric --name "$LAB" -- ip route show table all proto 222 | wc -l)
	rules=$(./arsemu exec fabric --name "$LAB" -- ip rule show | wc -l)
	UP=$((t1 - t0))
	BUILD=$((dstart - u0))
	printf 'up        %6d nodes       converged in %d ms (%s ms a node): building the namespaces, links,\n' \
		"$NODES" "$UP" "$(per "$UP" "$N")"
	printf '                                addresses and rules %d ms (%s ms a node), then BGP and the fabric %d ms\n' \
		"$BUILD" "$(per "$BUILD" "$N")" $((UP - BUILD))
	[ -n "$FLOOR_UP" ] && echo "          ratio to the floor, per node: $(ratio "$UP" "$FLOOR_UP") (the build alone: $(ratio "$BUILD" "$FLOOR_UP"))"
	[ -n "$VETH_UP" ] && echo "          ratio to the floor with a veth a node: $(ratio "$UP" "$VETH_UP") (the build alone: $(ratio "$BUILD" "$VETH_UP"))"
	used=$((used1 - used0))
	printf '          memory: %d MiB more in use (kernel and processes), of it %d MiB the processes'"'"' RSS; per VM %s KiB\n' \
		$((used / 1024)) $((rss / 1024)) "$(per "$used" "$VMS")"
	printf '          fabric: %d routes of arsemu in its tables, %d rules (%d NICs)\n' "$tables" "$rules" "$NICS"
	lab_memory "$((k1 - k0))"
	# one more route from an NVA: which tables did it touch, with how many
	# requests, how long after the Route Server had it?
	before=$(wc -l < "$j")
	# the last NVA: nva0 holds 4,000 routes, and one more would cross RS-40
	nva=$(./arsemu nodes "$TOPO" 2>/dev/null | awk '$2 == "nva" {n = $1} END {print n}')
	./arsemu bgp "$nva" announce 198.18.0.0/24 --name "$LAB" >/dev/null
	journal_since "$j" "$before" > "$W/one.jsonl"
	grep '"table-routes"' "$W/one.jsonl" > "$W/one-t.jsonl"
	ntab=$(wc -l < "$W/one-t.jsonl")
	nmsg=$(sed 's/.*"netlink_changes": \([0-9]*\).*/\1/' "$W/one-t.jsonl" | awk '{s += $1} END {print s + 0}')
	nnic=$(sed 's/.*"nics": \([0-9]*\).*/\1/' "$W/one-t.jsonl" | awk '{s += $1} END {print s + 0}')
	tfirst=$(grep -m1 '"rs-routes-changed"' "$W/one.jsonl" | sed 's/{"t_ms": \([0-9]*\).*/\1/')
	tlast=$(tail -1 "$W/one-t.jsonl" | sed 's/{"t_ms": \([0-9]*\).*/\1/')
	printf '          one route announced by %s: %d tables touched (for %d NICs), %d netlink requests,\n' \
		"$nva" "$ntab" "$nnic" "$nmsg"
	printf '          the last %d ms after the Route Server had it\n' $(( ${tlast:-0} - ${tfirst:-0} ))
	# an NVA's speaker crashes (FIN): its 857 routes withdrawn at once
	before=$(wc -l < "$j")
	cnva=$(./arsemu nodes "$TOPO" 2>/dev/null | awk '$2 == "nva" {print $1}' | sed -n 4p)
	./arsemu fail "$cnva" crash --name "$LAB" >/dev/null
	journal_since "$j" "$before" > "$W/crash.jsonl"
	tfail=$(grep -m1 '"fail"' "$W/crash.jsonl" | sed 's/{"t_ms": \([0-9]*\).*/\1/')
	tlast=$(grep '"table-routes"' "$W/crash.jsonl" | tail -1 | sed 's/{"t_ms": \([0-9]*\).*/\1/')
	nmsg=$(grep '"table-routes"' "$W/crash.jsonl" | sed 's/.*"netlink_changes": \([0-9]*\).*/\1/' | awk '{s += $1} END {print s + 0}')
	printf '          %s crashed (FIN): its routes out of every table %d ms after the crash (%d netlink changes)\n' \
		"$cnva" $(( ${tlast:-0} - ${tfail:-0} )) "$nmsg"
	t4=$(ms)
	./arsemu down "$LAB" > /dev/null || exit 1
	t5=$(ms)
	printf 'down      %6d nodes       in %d ms\n' "$NODES" $((t5 - t4))
	;;
fib)
	for n in $FIBN; do
		A=(); B=(); A1=(); B1=(); L=(); L1=(); m=0; lm=0
		for ((r = 0; r < RUNS; r++)); do
			for who in $( ((r % 2)) && echo "libnl nl" || echo "nl libnl"); do
				if [ "$who" = nl ]; then
					read -r a b a1 b1 m < <("$W/labbench" fib "$n" "$W") || exit 1
					A+=("$a"); B+=("$b"); A1+=("$a1"); B1+=("$b1")
				elif [ -n "$LIBNL" ]; then
					read -r l l1 lm < <("$LIBNL" fib "$n") || exit 1
					L+=("$l"); L1+=("$l1")
				fi
			done
		done
		a=$(mid "${A[@]}"); b=$(mid "${B[@]}")
		if [ -n "$LIBNL" ]; then
			l=$(mid "${L[@]}"); lr=$(ratio "$l" "$a")
			ls=$(printf '%8.1f ms' "$l")
		else
			l=""; lr="-"; ls="       - (not installed)"
		fi
		printf 'fib       %6d routes      arsemu %8.1f ms  ip -batch %8.1f ms  libnl %s  ratio ip/arsemu %s  libnl/arsemu %s\n' \
			"$n" "$a" "$b" "$ls" "$(ratio "$b" "$a")" "$lr"
		if [ -n "$LIBNL" ]; then
			printf '          one route changed: arsemu %.2f ms (%d netlink request), ip -batch %.2f ms, libnl %.2f ms (%d request)\n' \
				"$(mid "${A1[@]}")" "$m" "$(mid "${B1[@]}")" "$(mid "${L1[@]}")" "$lm"
			echo "          median (range) of $RUNS: arsemu $(med "${A[@]}") ms, ip -batch $(med "${B[@]}") ms, libnl $(med "${L[@]}") ms"
		else
			printf '          one route changed: arsemu %.2f ms (%d netlink request), ip -batch %.2f ms, libnl -\n' \
				"$(mid "${A1[@]}")" "$m" "$(mid "${B1[@]}")"
		fi
	done
	;;
esac
done
