#!/bin/bash
# rs-bench: arsemu's route server against BIRD, FRR and GoBGP configured as
# route servers, side by side, in namespaces. A benchmark, never a test.
#
#   bench/rs-bench.sh [M ...]        (default: 1000 4000 10000; root; after `make`)
#   RS_BENCH_IMPLS="arsemu bird"     to run only some
#   RS_BENCH_RUNS=3                  runs of each; the table gives medians
#                                    and, for the times, the range
#   RS_BENCH_WRAP="perf record -o /tmp/p.data"   prefix for the arsemu command
#
# Each route server gets 8 peers from bench/rsbench (one process, one poll
# loop): 7 injectors announcing M /24s each and 1 monitor. Reported per run:
#   full    ms from the first UPDATE written until the monitor holds 7 x M
#   wd      ms from the first withdrawal until the monitor holds none
#           (both taken to the microsecond by rsbench)
#   rss     the route server's peak RSS (VmHWM), MiB
#   cpu     the route server's CPU time during the run, ms: the run time of
#           all its threads from /proc/PID/task/*/schedstat (nanoseconds;
#           the 10 ms ticks of /proc/PID/stat were too coarse)
#   tool    rsbench's own CPU time, ms (the load side is not the bottleneck
#           while this stays well below the route server's)
# and each time and memory as a ratio to arsemu's.
#
# Namespaces are named rb<pid>-*; everything started is killed by PID and
# every namespace deleted on exit, also on failure or ^C.
set -u
cd "$(dirname "$0")/.." || exit 2
[ "$(id -u)" = 0 ] || { echo "rs-bench: needs root (namespaces)" >&2; exit 3; }
[ -x ./arsemu ] && [ -f build/libcore.a ] || { echo "rs-bench: run make first" >&2; exit 3; }

P=rb$$
W=$(mktemp -d /tmp/arsemu-bench-XXXXXX)
chmod 755 "$W"
PIDS=()
MS=${*:-1000 4000 10000}
IMPLS=${RS_BENCH_IMPLS:-arsemu bird frr gobgp}
RUNS=${RS_BENCH_RUNS:-1}
RS=10.0.0.4
MON=10.0.0.10
INJ="10.0.0.11 10.0.0.12 10.0.0.13 10.0.0.14 10.0.0.15 10.0.0.16 10.0.0.17"

cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	sleep 0.3
	for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
	ip netns del "$P-rs" 2>/dev/null
	ip netns del "$P-load" 2>/dev/null
	[ -n "${RS_BENCH_KEEP:-}" ] || rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cc -std=c11 -D_GNU_SOURCE -O2 -o "$W/rsbench" bench/rsbench.c build/libcore.a || exit 2

net_up() {
	ip netns add "$P-rs"
	ip netns add "$P-load"
	ip -n "$P-rs" link set lo up
	ip -n "$P-load" link set lo up
	ip -n "$P-rs" link add br0 type bridge
	ip -n "$P-rs" addr add "$RS/24" dev br0
	ip -n "$P-rs" link set br0 up
	ip -n "$P-rs" link add v-load type veth peer name eth0 netns "$P-load"
	ip -n "$P-rs" link set v-load master br0 up
	local a
	for a in $MON $INJ; do ip -n "$P-load" addr add "$a/24" dev eth0; done
	ip -n "$P-load" link set eth0 up
}

net_down() {
	ip netns del "$P-rs" 2>/dev/null
	ip netns del "$P-load" 2>/dev/null
}

peer_asn() {	# address -> AS (monitor 65100, injectors 65101...)
	local last=${1##*.}
	echo $((65100 + last - 10))
}

conf_bird() {
	echo "router id $RS;"
	echo "protocol device { }"
	local a
	for a in $MON $INJ; do
		cat <<EOF
protocol bgp p${a##*.} {
	local $RS as 65515;
	neighbor $a as $(peer_asn "$a");
	rs client;
	passive on;
	ipv4 { import all; export all; };
}
EOF
	done
}

conf_frr() {
	printf 'frr defaults traditional\nhostname rs\nrouter bgp 65515\n'
	printf ' bgp router-id %s\n no bgp ebgp-requires-policy\n' "$RS"
	local a
	for a in $MON $INJ; do
		printf ' neighbor %s remote-as %s\n neighbor %s passive\n' \
		    "$a" "$(peer_asn "$a")" "$a"
	done
	printf ' address-family ipv4 unicast\n'
	for a in $MON $INJ; do printf '  neighbor %s route-server-client\n' "$a"; done
	printf ' exit-address-family\n'
}

conf_gobgp() {
	printf '[global.config]\n  as = 65515\n  router-id = "%s"\n' "$RS"
	printf '  local-address-list = ["%s"]\n' "$RS"
	local a
	for a in $MON $INJ; do
		cat <<EOF
[[neighbors]]
  [neighbors.config]
    neighbor-address = "$a"
    peer-as = $(peer_asn "$a")
  [neighbors.transport.config]
    passive-mode = true
  [neighbors.route-server.config]
    route-server-client = true
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-unicast"
EOF
	done
}

# start IMPL M: the route server in $P-rs; prints its PID
start_rs() {
	local impl=$1 m=$2 args=() a
	case $impl in
	arsemu)
		for a in $MON $INJ; do args+=(--peer "$a:$(peer_asn "$a")"); done
		ip netns exec "$P-rs" ${RS_BENCH_WRAP:-} ./arsemu routeserver --listen "$RS" \
		    --max-prefix "$m" "${args[@]}" > "$W/arsemu.log" 2>&1 &
		;;
	bird)
		conf_bird > "$W/bird.conf"
		ip netns exec "$P-rs" bird -f -c "$W/bird.conf" -s "$W/bird.ctl" \
		    > "$W/bird.log" 2>&1 &
		;;
	frr)
		conf_frr > "$W/frr.conf"
		ip netns exec "$P-rs" /usr/lib/frr/bgpd -S -Z -P 0 -l "$RS" \
		    -f "$W/frr.conf" -i "$W/frr.pid" --vty_socket "$W" \
		    > "$W/frr.log" 2>&1 &
		;;
	gobgp)
		conf_gobgp > "$W/gobgp.toml"
		ip netns exec "$P-rs" gobgpd -f "$W/gobgp.toml" -p \
		    --api-hosts 127.0.0.1:50051 --pprof-disable > "$W/gobgp.log" 2>&1 &
		;;
	esac
	echo $!
}

# %.0f, not %d: mawk's %d stops at 2^31 (2.1 s in nanoseconds)
cpu_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ t += $1 } END { printf "%.0f", t }'; }
rss_kib() { awk '/^VmHWM/ { print $2 }' "/proc/$1/status"; }

version() {
	case $1 in
	arsemu) git rev-parse --short HEAD 2>/dev/null | sed 's/^/arsemu /' ;;
	bird) bird --version 2>&1 | head -n 1 ;;
	frr) /usr/lib/frr/bgpd -v | head -n 1 ;;
	gobgp) gobgpd --version ;;
	esac
}

# median LIST...: the middle value (the lower middle for an even count)
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }
# range LIST...: "lo-hi"
range() { printf '%s\n' "$@" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { if (NR) print lo "-" hi }'; }

declare -A FULL WD RSS CPU TOOL
echo "# rs-bench on $(uname -r), $(nproc) CPUs, $(date -u +%Y-%m-%dT%H:%MZ), $RUNS run(s) each"
echo "#   load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for impl in $IMPLS; do echo "#   $(version "$impl")"; done
for m in $MS; do
	for impl in $IMPLS; do
		for ((run = 1; run <= RUNS; run++)); do
			net_up
			pid=$(start_rs "$impl" "$m")
			PIDS+=("$pid")
			sleep 1
			c0=$(cpu_ns "$pid")
			# shellcheck disable=SC2086
			out=$(ip netns exec "$P-load" "$W/rsbench" "$RS" "$m" $MON $INJ 2>&1)
			c1=$(cpu_ns "$pid")
			k=$impl/$m
			f=$(sed -n 's/.*full_ms=\([0-9.]*\).*/\1/p' <<< "$out")
			if [ -z "$f" ]; then
				echo "# $impl M=$m run $run failed: $out" >&2
			else
				FULL[$k]+=" $f"
				WD[$k]+=" $(sed -n 's/.*withdraw_ms=\([0-9.]*\).*/\1/p' <<< "$out")"
				TOOL[$k]+=" $(sed -n 's/.*tool_cpu_ms=\([0-9]*\).*/\1/p' <<< "$out")"
				RSS[$k]+=" $(rss_kib "$pid")"
				CPU[$k]+=" $(( (c1 - c0) / 1000000 ))"
			fi
			echo "# $impl M=$m run $run: $out cpu_ms=$(( (c1 - c0) / 1000000 )) rss_kib=$(rss_kib "$pid")"
			kill "$pid"
			wait "$pid" 2>/dev/null
			net_down
		done
	done
done

ratio() {	# a / b with two decimals, or -
	[ -n "$1" ] && [ -n "$2" ] && [ "$2" != 0 ] || { echo -; return; }
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
}

echo
echo "| M | route server | full (ms) | withdraw (ms) | peak RSS (MiB) | CPU (ms) | rsbench CPU (ms) | full / arsemu | withdraw / arsemu | RSS / arsemu |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for m in $MS; do
	a=arsemu/$m
	# shellcheck disable=SC2086
	af=$(median ${FULL[$a]:-}); aw=$(median ${WD[$a]:-}); ar=$(median ${RSS[$a]:-})
	for impl in $IMPLS; do
		k=$impl/$m
		# shellcheck disable=SC2086
		{
		f=$(median ${FULL[$k]:-}); w=$(median ${WD[$k]:-}); r=$(median ${RSS[$k]:-})
		fr=$(range ${FULL[$k]:-}); wr=$(range ${WD[$k]:-})
		c=$(median ${CPU[$k]:-}); t=$(median ${TOOL[$k]:-})
		}
		[ "$RUNS" -gt 1 ] && [ -n "$f" ] && { f="$f ($fr)"; w="$w ($wr)"; }
		printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$m" "$impl" \
		    "${f:-fail}" "${w:-fail}" \
		    "$(awk -v r="${r:-0}" 'BEGIN { printf "%.1f", r / 1024 }')" \
		    "${c:-}" "${t:-}" \
		    "$(ratio "$(median ${FULL[$k]:-})" "$af")" \
		    "$(ratio "$(median ${WD[$k]:-})" "$aw")" \
		    "$(ratio "$r" "$ar")"
	done
done
