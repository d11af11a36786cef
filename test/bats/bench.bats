#!/usr/bin/env bats
# bench/lab-bench.sh in a smoke run (issue 21): a few namespaces, a few
# routes, no wait for an idle machine. Checks that the script runs and prints
# its three netlink contenders (emu/nl.c, `ip -batch`, libnl-route-3) with
# their ratios, and that the host namespace is left as it was. Not a
# measurement: the figures are not checked.

load helpers

@test "lab-bench smoke: floorveth and fib print nl.c, ip -batch and libnl with ratios" {
	require_root
	pkg-config --exists libnl-route-3.0 ||
		fail "libnl-route-3 is missing: scripts/deps.sh test installs libnl-route-3-dev"
	[ -x "$TOP/arsemu" ] && [ -f "$TOP/build/libemu.a" ] || fail "run make first"
	local before
	before=$(host_snapshot)
	run env LAB_BENCH_PARTS="floorveth fib" LAB_BENCH_N=4 LAB_BENCH_FIB=50 \
		LAB_BENCH_RUNS=2 LAB_BENCH_SETTLE=0 bash "$TOP/bench/lab-bench.sh"
	assert_success
	assert_line --regexp '^# libnl-route-3 [0-9.]+; floorveth and fib: 2 runs each, interleaved$'
	assert_line --regexp '^floorveth +4 namespaces +make .*\(emu/nl\.c\)$'
	assert_line --regexp '^ +libnl +make .* ratio libnl/nl\.c [0-9]+\.[0-9]+$'
	assert_line --regexp '^fib +50 routes +arsemu +[0-9.]+ ms +ip -batch +[0-9.]+ ms +libnl +[0-9.]+ ms +ratio ip/arsemu [0-9]+\.[0-9]+ +libnl/arsemu [0-9]+\.[0-9]+$'
	assert_line --regexp '^ +one route changed: arsemu [0-9.]+ ms \(1 netlink request\), ip -batch [0-9.]+ ms, libnl [0-9.]+ ms \(1 request\)$'
	refute_output --partial "not installed"
	[ "$(host_snapshot)" = "$before" ] || fail "the host namespace changed"
	run bash -c "ip netns list | grep -c '^lb[0-9]*-'"
	assert_output 0
}

@test "lab-bench smoke: the lab's memory per VM, split into namespaces, veth pairs and arsemu's own" {
	require_root
	[ -x "$TOP/arsemu" ] && [ -f "$TOP/build/libemu.a" ] || fail "run make first"
	local before
	before=$(host_snapshot)
	run env LAB_BENCH_PARTS="floor floorveth up" LAB_BENCH_RUNS=1 LAB_BENCH_SETTLE=0 \
		bash "$TOP/bench/lab-bench.sh" "$TOP/examples/single-hub.json"
	assert_success
	assert_line --regexp '^ +memory: the kernel.s [0-9-]+ MiB, [0-9.-]+ KiB a namespace$'
	assert_line --regexp '^ +memory: the kernel.s [0-9-]+ MiB, [0-9.-]+ KiB a namespace with its veth pair$'
	assert_line --regexp '^ +memory per VM \(1 VMs, 9 namespaces\), KiB: the kernel.s [0-9.-]+, processes. PSS [0-9.]+$'
	assert_line --regexp '^ +namespaces [0-9.-]+ \(the floor.s\), veth pairs [0-9.-]+ '
	assert_line --regexp '^ +arsemu.s own [0-9.-]+: the kernel.s [0-9.-]+ '
	assert_line --regexp '^ +and the processes. [0-9.]+: daemon [0-9.]+, route servers [0-9.]+ \(2\), speakers [0-9.]+ \(2\)$'
	assert_line --regexp '^ +ratio arsemu.s own / the floor with a veth: '
	assert_line --regexp '^ +processes \(PSS\): daemon [1-9][0-9]* KiB, route servers [1-9][0-9]* KiB, speakers [1-9][0-9]* KiB$'
	[ "$(host_snapshot)" = "$before" ] || fail "the host namespace changed"
	run bash -c "ip netns list | grep -c '^lb[0-9]*-\|^arsemu-lb[0-9]*-'"
	assert_output 0
}
