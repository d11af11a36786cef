# Shared by the end-to-end tests. Every lab a test makes is named
# "$ARSEMU_T-<suffix>" (a run-unique prefix) and is torn down by that test.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
# ARSEMU_BIN: another build of arsemu to test (the suite under ASan+UBSan)
ARSEMU="${ARSEMU_BIN:-$TOP/arsemu}"
: "${ARSEMU_T:=t$(( $$ % 100000 ))}"
export ARSEMU_T

arsemu() { "$ARSEMU" "$@"; }

# Files user nobody can read: setup_suite.bash stages a copy when the clone
# is out of nobody's reach; run alone (bats -f, another runner), the clone.
: "${NOBODY_TOP:=$TOP}" "${NOBODY_ARSEMU:=$ARSEMU}"

# as_nobody CMD...: CMD as user nobody, no groups: what needs no root.
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }

require_root() {
	[ "$(id -u)" = 0 ] || fail "end-to-end tests need root (network namespaces)"
}

# Links, addresses, routes, rules and nftables of the host namespace, to compare.
host_snapshot() {
	{
		ip -o link show | sed 's/ state [A-Z]* / /'
		ip -o addr show
		ip route show table all
		ip rule show
		# nftables too (scripts/deps.sh test installs nft)
		if command -v nft >/dev/null; then nft list ruleset; else echo "nft missing"; fi
	} 2>&1
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

# wait_ready FILE PID: wait for the event, not a time: until FILE exists
# (a server makes it once it listens), failing as soon as PID (the
# server) has ended without making it. 120 s is only a safety net.
wait_ready() {
	local i
	for i in $(seq 1200); do
		[ -e "$1" ] && return 0
		kill -0 "$2" 2>/dev/null || { [ -e "$1" ]; return; }
		sleep 0.1
	done
	echo "wait_ready: $1 not made in 120 s" >&2
	return 1
}

# nic_route LAB IFNAME PREFIX: the route for PREFIX that the fabric holds for
# the NIC whose fabric end is IFNAME (n<i>), from the first of its tables
# (its subnet's, then its group's: emu/share.h) that has one.
nic_route() {
	local t out
	for t in $("$ARSEMU" exec fabric --name "$1" -- ip rule show iif "$2" |
		awk '$NF ~ /^[0-9]+$/ && $(NF-1) == "lookup" {print $NF}'); do
		out=$("$ARSEMU" exec fabric --name "$1" -- ip route show table "$t" "$3")
		if [ -n "$out" ]; then echo "$out"; return 0; fi
	done
}

# nic_table_of LAB IFNAME PREFIX: the number of that table.
nic_table_of() {
	local t
	for t in $("$ARSEMU" exec fabric --name "$1" -- ip rule show iif "$2" |
		awk '$NF ~ /^[0-9]+$/ && $(NF-1) == "lookup" {print $NF}'); do
		if [ -n "$("$ARSEMU" exec fabric --name "$1" -- ip route show table "$t" "$3")" ]; then
			echo "$t"; return 0
		fi
	done
	return 1
}

lab_namespaces() { ip netns list | awk '{print $1}' | grep -E "^arsemu-$1-" || true; }

# procs_matching ERE: PIDs whose command line matches.
procs_matching() {
	local p
	for p in /proc/[0-9]*; do
		# a process may exit while we scan: the shell's own redirection
		# error is silenced too
		{ tr '\0' ' ' < "$p/cmdline"; } 2>/dev/null | grep -qE "$1" &&
			echo "${p#/proc/}"
	done
	return 0
}

# Processes of lab $1 by the command lines arsemu gives them.
lab_processes() { procs_matching "^arsemu _(daemon|speaker) $1( |$)"; }

# A copy of an example with a new lab name and optional sed edits.
example_as() {
	local src=$1 name=$2 out=$BATS_TEST_TMPDIR/$2.json; shift 2
	sed "s/\"name\": \"$(basename "$src" .json)\"/\"name\": \"$name\"/" "$src" > "$out"
	local e
	for e in "$@"; do sed -i "$e" "$out"; done
	echo "$out"
}

ip_forwarded() { "$ARSEMU" exec --name "$1" "$2" -- cat /proc/net/snmp | awk '/^Ip: [0-9]/{print $7}'; }

# Tear down every lab this run made (by the run-unique prefix), nothing else.
down_labs() {
	local l
	for l in $("$ARSEMU" ls 2>/dev/null | grep "^$ARSEMU_T-" || true); do
		"$ARSEMU" down "$l" >/dev/null 2>&1 || true
	done
}

# peer_field LAB NODE PEER FIELD: one field of NODE's peer PEER, from the
# speaker's control socket (rsctl peers --json).
peer_field() {
	"$ARSEMU" rsctl --control "/run/arsemu/$1/$2.sock" peers --json |
		python3 -c 'import json, sys
for p in json.load(sys.stdin):
    if p["name"] == sys.argv[1]:
        print(p[sys.argv[2]])' "$3" "$4"
}
