#!/usr/bin/env bash
# scripts/soak.sh: a soak of one lab (root). Brings the lab up, keeps a ping
# running across it, flaps its first two NVAs in a loop (crash/restore, then
# a session disabled/enabled, each flap waiting on the Route Server seeing the
# session go and come back, never on a fixed sleep), samples the RSS and the
# open descriptors of every process of the lab into a CSV, then takes the lab
# down and checks that nothing is left.
#
#   scripts/soak.sh [--seconds N] [--name LAB] [--topology FILE] [--out DIR]
#                   [--warmup S] [--interval S] [--tolerance KIB]
#                   [--pause S] [--arsemu BIN]
#   scripts/soak.sh --check SAMPLES.csv [--tolerance KIB]
#
# Fails (exit 1) if, per process role (the lab daemon, each speaker), the RSS
# of the last sample exceeds the RSS of the first sample after the warm-up by
# more than the tolerance, if any descriptor count at the end exceeds the one
# at the start, if a process leaves zombies, if a flap does not complete, or if
# anything of the lab is left after `down`. Exit 2: bad usage or the lab did
# not come up. --check gives the verdict on the samples of an earlier run.
# docs/reliability.md ("Soak") has the figures of a 10-minute run.
#
# Tolerance: 512 KiB by default. A process of the lab starts at about 2 MiB
# RSS; glibc's malloc touches a fresh heap page now and then (a session that
# comes back while an older one's buffers are still being freed, a longer
# AS path, the ctl socket's reply to a bigger `peers --json`) and does not
# give small freed chunks back, so the RSS may step up by a few pages after
# the warm-up without anything being lost. 512 KiB is 128 pages: far above
# that noise, far below what a leak of one buffer per flap reaches over the
# hundreds of flaps of a 10-minute run (a 4 KiB receive buffer lost per flap
# is more than 1 MiB after 300 flaps).
set -u

SECONDS_RUN=600
LAB=soak
TOP=$(cd "$(dirname "$0")/.." && pwd)
TOPO=$TOP/examples/single-hub.json
OUT=
WARMUP=
INTERVAL=5
TOL_KIB=512
PAUSE=0.3
A=${ARSEMU_BIN:-$TOP/arsemu}
CHECK=

usage() {
	sed -n '9,12p' "$0" | sed 's/^# //' >&2
	exit 2
}

# verdict CSV: the table per process role, and exit 1 if the RSS of the last
# sample exceeds the one of the "warm" sample by more than TOL_KIB, if the
# descriptors of the last sample exceed those of the first, if a sample saw a
# zombie child, if there is no warm sample or if the role has no "end" sample
# (its process is gone). CSV: t_s,tag,role,pid,rss_kib,fds,zombies; tag is
# start, warm, run or end.
verdict() {
	awk -F, -v tol="$TOL_KIB" '
	NR == 1 { next }
	{
		r = $3
		if (!(r in seen)) { seen[r] = 1; order[++n] = r; rss0[r] = $5; fd0[r] = $6 }
		if ($2 == "warm") { rssw[r] = $5; tw = $1 }
		if ($5 > max[r]) max[r] = $5
		if (!((r, $4) in pids)) { pids[r, $4] = 1; npid[r]++ }
		if ($7 > z[r]) z[r] = $7
		rss1[r] = $5; fd1[r] = $6; tag1[r] = $2; t1 = $1
	}
	END {
		if (n == 0) { print "no samples"; exit 1 }
		printf "%-10s %5s %8s %8s %8s %8s %8s %5s %5s %4s %s\n", "process", "pids", "rss@0", "rss@warm", "rss@end", "max", "growth", "fd@0", "fd@end", "zomb", ""
		for (i = 1; i <= n; i++) {
			r = order[i]; verdict = "ok"
			if (!(r in rssw)) { verdict = "FAIL: no sample after the warm-up"; bad = 1 }
			else if (rss1[r] - rssw[r] > tol) { verdict = "FAIL: RSS grew after the warm-up"; bad = 1 }
			if (fd1[r] > fd0[r]) { verdict = "FAIL: descriptors grew"; bad = 1 }
			if (z[r] > 0) { verdict = "FAIL: zombies"; bad = 1 }
			if (tag1[r] != "end") { verdict = "FAIL: gone before the end"; bad = 1 }
			printf "%-10s %5d %8d %8s %8d %8d %8s %5d %5d %4d %s\n", r, npid[r], rss0[r], \
			    (r in rssw) ? rssw[r] : "-", rss1[r], max[r], \
			    (r in rssw) ? sprintf("%+d", rss1[r] - rssw[r]) : "-", fd0[r], fd1[r], z[r], verdict
		}
		printf "(warm sample at %ss, last at %ss; a speaker crashed and restored is a new process: pids counts them)\n", tw, t1
		exit bad
	}' "$1"
}

while [ $# -gt 0 ]; do
	case $1 in
	--seconds) SECONDS_RUN=${2:?}; shift 2 ;;
	--name) LAB=${2:?}; shift 2 ;;
	--topology) TOPO=${2:?}; shift 2 ;;
	--out) OUT=${2:?}; shift 2 ;;
	--warmup) WARMUP=${2:?}; shift 2 ;;
	--interval) INTERVAL=${2:?}; shift 2 ;;
	--tolerance) TOL_KIB=${2:?}; shift 2 ;;
	--pause) PAUSE=${2:?}; shift 2 ;;
	--arsemu) A=${2:?}; shift 2 ;;
	--check) CHECK=${2:?}; shift 2 ;;
	-h|--help) usage ;;
	*) echo "soak: unknown argument $1" >&2; usage ;;
	esac
done
case $SECONDS_RUN$INTERVAL$TOL_KIB${WARMUP:-0} in
*[!0-9]*) echo "soak: --seconds, --warmup, --interval and --tolerance take whole numbers" >&2; exit 2 ;;
esac
# the warm-up: the first minute, or a third of a run shorter than 3 minutes
if [ -z "$WARMUP" ]; then
	if [ "$SECONDS_RUN" -ge 180 ]; then WARMUP=60; else WARMUP=$((SECONDS_RUN / 3)); fi
fi
if [ -n "$CHECK" ]; then	# only the verdict on the samples of an earlier run
	verdict "$CHECK"
	exit $?
fi
[ "$(id -u)" = 0 ] || { echo "soak: needs root (network namespaces)" >&2; exit 2; }
[ -x "$A" ] || { echo "soak: no arsemu binary at $A (make, or --arsemu BIN)" >&2; exit 2; }
[ -r "$TOPO" ] || { echo "soak: cannot read $TOPO" >&2; exit 2; }
command -v jq >/dev/null || { echo "soak: needs jq" >&2; exit 2; }
[ -n "$OUT" ] || OUT=$(mktemp -d "/tmp/arsemu-soak-$LAB.XXXXXX")
mkdir -p "$OUT" || exit 2
CSV=$OUT/samples.csv
FLAPLOG=$OUT/flaps.log
PINGLOG=$OUT/ping.log
SUMMARY=$OUT/summary.txt
: > "$FLAPLOG"

ms() { echo $(( $(date +%s%N) / 1000000 )); }
log() { echo "[$(( ($(ms) - T0) / 1000 ))s] $*" | tee -a "$FLAPLOG"; }

# What the topology offers: the first hub with a Route Server, its first two
# NVAs, a VM to ping from and a site host (or the second NVA) to ping.
HUB=$(jq -r '[.regions[].hub | select(.route_server != null)][0].name // empty' "$TOPO")
mapfile -t NVAS < <(jq -r '[.regions[].hub | select(.route_server != null)][0].nvas[]?.name' "$TOPO" | head -n 2)
SRC=$(jq -r '[.regions[].spokes[]?.vms[]?.name][0] // empty' "$TOPO")
DST=$(jq -r '[.sites[]?.hosts[]?.ip][0] // empty' "$TOPO")
if [ -z "$HUB" ] || [ "${#NVAS[@]}" -lt 2 ] || [ -z "$SRC" ] || [ -z "$DST" ]; then
	echo "soak: $TOPO needs a hub with a Route Server and two NVAs, a spoke VM and a site host" >&2
	exit 2
fi

# ---- the processes of the lab ----

# "PID ROLE" for every process whose command line is the lab daemon's or one
# of its speakers' (arsemu _daemon LAB / arsemu _speaker LAB NODE).
lab_procs() {
	ps -eo pid=,args= | awk -v lab="$LAB" '
	    $2 == "arsemu" && $4 == lab && $3 == "_daemon" { print $1, "daemon" }
	    $2 == "arsemu" && $4 == lab && $3 == "_speaker" { print $1, $5 }'
}

fds_of() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }
rss_of() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null; }
zombies_of() {	# children of $1 that are zombies
	ps -eo ppid=,stat= | awk -v pp="$1" '$1 == pp && $2 ~ /^Z/ { n++ } END { print n + 0 }'
}

# A descriptor a client of the ctl socket just closed may still be open in
# the daemon for a moment: a count above the first sample's is read again, up
# to 10 times over a second, and the lowest is kept. A leaked one stays.
declare -A FD0
sample() {	# sample TAG: one row per process into the CSV
	local t pid role rss fd z f
	t=$(( ($(ms) - T0) / 1000 ))
	while read -r pid role; do
		rss=$(rss_of "$pid"); fd=$(fds_of "$pid")
		[ -n "$rss" ] || continue
		if [ -n "${FD0[$role]:-}" ] && [ "$fd" -gt "${FD0[$role]}" ]; then
			for _ in 1 2 3 4 5 6 7 8 9 10; do
				sleep 0.1
				f=$(fds_of "$pid")
				[ "$f" -lt "$fd" ] && fd=$f
				[ "$fd" -le "${FD0[$role]}" ] && break
			done
		fi
		[ -n "${FD0[$role]:-}" ] || FD0[$role]=$fd
		z=$(zombies_of "$pid")
		echo "$t,$1,$role,$pid,$rss,$fd,$z" >> "$CSV"
	done < <(lab_procs)
}

# ---- the sessions, as the Route Server sees them ----

# "INSTANCE PEER STATE" for every session of the hub's Route Server.
sessions() {
	"$A" rs "$HUB" peers --name "$LAB" --json 2>/dev/null |
	    jq -r '.[] | "\(.instance) \(.name) \(.state)"'
}
# all_up: every session Established and the lab converged (routes programmed)
all_up() {
	local s
	s=$(sessions) || return 1
	[ -n "$s" ] || return 1
	echo "$s" | awk '$3 != "Established" {bad = 1} END {exit bad}' || return 1
	"$A" status --name "$LAB" --json 2>/dev/null | jq -e '.converged' >/dev/null
}
# nva_down NVA [INSTANCE]: the RS no longer has NVA's session(s) Established
nva_down() {
	sessions | awk -v n="$1" -v i="${2:-}" '
	    $2 == n && (i == "" || $1 == i) { seen = 1; if ($3 == "Established") up = 1 }
	    END { exit !(seen && !up) }'
}
# wait_for SECONDS WHAT CMD...: poll CMD every 0.1 s; 1 if it never holds
wait_for() {
	local limit=$1 what=$2 start end; shift 2
	start=$(ms); end=$(( start + limit * 1000 ))
	while [ "$(ms)" -lt "$end" ]; do
		"$@" && { WAITED=$(( $(ms) - start )); return 0; }
		sleep 0.1
	done
	log "FAIL: $what not seen within ${limit}s"
	"$A" rs "$HUB" peers --name "$LAB" >> "$FLAPLOG" 2>&1
	return 1
}

# ---- the run ----

T0=$(ms)
STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
COMMIT=$(git -C "$TOP" describe --always --dirty 2>/dev/null || echo '?')
FAILED=
PING=
cleanup_ping() {
	[ -n "$PING" ] || return 0
	kill -INT "$PING" 2>/dev/null
	wait "$PING" 2>/dev/null
	PING=
}
trap 'cleanup_ping; "$A" down "$LAB" >/dev/null 2>&1; exit 130' INT TERM

log "soak of $TOPO as lab $LAB for ${SECONDS_RUN}s (warm-up ${WARMUP}s, sample every ${INTERVAL}s, tolerance ${TOL_KIB} KiB)"
log "arsemu: $A; flapping ${NVAS[*]} against the Route Server of $HUB; ping $SRC -> $DST; output in $OUT"
if ! "$A" up "$TOPO" --name "$LAB" --wait 60 > "$OUT/up.log" 2>&1; then
	cat "$OUT/up.log" >&2
	"$A" down "$LAB" >/dev/null 2>&1
	exit 2
fi
wait_for 60 "the lab converged after up" all_up || { "$A" down "$LAB" >/dev/null 2>&1; exit 2; }
mapfile -t INSTANCES < <(sessions | awk '{print $1}' | sort -u)
echo "t_s,tag,role,pid,rss_kib,fds,zombies" > "$CSV"
T0=$(ms)
"$A" exec "$SRC" --name "$LAB" -- ping -n -i 0.2 "$DST" > "$PINGLOG" 2>&1 &
PING=$!
sample start

FLAPS=0 CYCLE=0
END=$(( T0 + SECONDS_RUN * 1000 ))
NEXT=$(( T0 + INTERVAL * 1000 ))
WARMED=
while [ "$(ms)" -lt "$END" ] && [ -z "$FAILED" ]; do
	nva=${NVAS[$(( CYCLE % 2 ))]}
	WAITED=0
	if [ $(( CYCLE / 2 % 2 )) = 0 ]; then
		what="crash $nva"
		"$A" fail "$nva" crash --name "$LAB" > /dev/null 2>> "$FLAPLOG" || FAILED="fail $nva crash"
		[ -n "$FAILED" ] || wait_for 30 "$nva's sessions gone after its crash" nva_down "$nva" || FAILED=crash
		sleep "$PAUSE"
		gone=$WAITED
		"$A" restore "$nva" --name "$LAB" > /dev/null 2>> "$FLAPLOG" || FAILED="restore $nva"
	else
		inst=${INSTANCES[$(( CYCLE / 4 % ${#INSTANCES[@]} ))]}
		what="disable $nva's session with $inst"
		"$A" bgp "$nva" disable "$inst" --name "$LAB" > /dev/null 2>> "$FLAPLOG" || FAILED="disable $nva $inst"
		[ -n "$FAILED" ] || wait_for 30 "$inst/$nva gone after disable" nva_down "$nva" "$inst" || FAILED=disable
		gone=$WAITED
		sleep "$PAUSE"
		"$A" bgp "$nva" enable "$inst" --name "$LAB" > /dev/null 2>> "$FLAPLOG" || FAILED="enable $nva $inst"
	fi
	[ -n "$FAILED" ] || wait_for 60 "every session Established again (cycle $CYCLE, $nva)" all_up ||
	    FAILED="cycle $CYCLE: the sessions did not come back"
	[ -n "$FAILED" ] && break
	FLAPS=$((FLAPS + 1)) CYCLE=$((CYCLE + 1))
	log "flap $FLAPS: $what: gone in ${gone} ms, all Established and converged again in ${WAITED} ms"
	sleep "$PAUSE"
	now=$(ms)
	# warm: the warm-up is over and every kind of flap has happened once
	if [ -z "$WARMED" ] && [ "$now" -ge $(( T0 + WARMUP * 1000 )) ] && [ "$FLAPS" -ge 4 ]; then
		sample warm; WARMED=1; NEXT=$(( now + INTERVAL * 1000 ))
	elif [ "$now" -ge "$NEXT" ]; then
		sample run; NEXT=$(( now + INTERVAL * 1000 ))
	fi
done
[ -n "$FAILED" ] || sample end
cleanup_ping
log "$FLAPS flaps done${FAILED:+; stopped: $FAILED}"

# what the lab left in its run directory (the journal grows by design)
STATEFILES=$(cd "/run/arsemu/$LAB" 2>/dev/null && du -ab state journal.jsonl daemon.log log 2>/dev/null |
    awk '{printf "%s %d B; ", $2, $1}')

# ---- down, and nothing left ----
PIDS=$(lab_procs | awk '{print $1}' | tr '\n' ' ')
"$A" down "$LAB" > "$OUT/down.log" 2>&1 || { log "FAIL: down: $(cat "$OUT/down.log")"; FAILED=${FAILED:-down}; }
LEFT=
ns=$(ip netns list | awk '{print $1}' | grep -E "^arsemu-$LAB-" | tr '\n' ' ')
[ -z "$ns" ] || LEFT="$LEFT namespaces: $ns;"
[ ! -e "/run/arsemu/$LAB" ] || LEFT="$LEFT state: /run/arsemu/$LAB;"
p=$(lab_procs | awk '{print $1}' | tr '\n' ' ')
[ -z "$p" ] || LEFT="$LEFT processes: $p;"
# a zombie waiting for its parent (here PID 1) to reap it holds nothing
for p in $PIDS; do
	{ tr '\0' ' ' < "/proc/$p/cmdline"; } 2>/dev/null | grep -q " $LAB" &&
	    LEFT="$LEFT pid $p still there;"
done
"$A" ls 2>/dev/null | grep -qx "$LAB" && LEFT="$LEFT listed by arsemu ls;"

# ---- the summary ----
RSSRC=1
{
echo "soak: lab $LAB ($TOPO), ${SECONDS_RUN}s, started $STARTED, commit $COMMIT, $A"
echo "load average at the start: $LOAD0; at the end: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs"
echo "flaps: $FLAPS (crash/restore and session disable/enable of ${NVAS[*]}, alternating)${FAILED:+; STOPPED: $FAILED}"
tx=$(grep -o '[0-9]* packets transmitted' "$PINGLOG" | awk '{print $1}')
rx=$(grep -o '[0-9]* received' "$PINGLOG" | awk '{print $1}')
if [ -n "$tx" ] && [ "$tx" -gt 0 ]; then
	echo "traffic: ping $SRC -> $DST every 0.2 s: $tx sent, $rx received, $(( (tx - rx) * 100 / tx ))% lost (the path crosses ${NVAS[0]}: its crashes take the route away)"
else
	echo "traffic: no ping statistics (see $PINGLOG)"
fi
echo "warm-up ${WARMUP}s; RSS in KiB; tolerance after the warm-up ${TOL_KIB} KiB"
verdict "$CSV"
RSSRC=$?
echo "run directory before down: ${STATEFILES:-?}"
if [ -n "$LEFT" ]; then echo "left behind after down:$LEFT"; else echo "nothing left behind after down (namespaces, /run/arsemu/$LAB, processes)"; fi
} > "$SUMMARY"
cat "$SUMMARY"

RC=0
[ "$RSSRC" = 0 ] || RC=1
[ -z "$FAILED" ] || RC=1
[ -z "$LEFT" ] || RC=1
echo "soak: $([ $RC = 0 ] && echo PASSED || echo FAILED) (samples: $CSV)" | tee -a "$SUMMARY"
exit $RC
