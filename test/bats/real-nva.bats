#!/usr/bin/env bats
# Real NVA daemons (issue 9): an NVA's "daemon" is FRR (bgpd and zebra) or
# BIRD, with a config arsemu renders from the topology or the user's own
# file. The lab must give the same effective routes as with the built-in
# speaker (compared with `arsemu plan` of the unmodified example, whose
# golden files say the same), forward through the daemon's NVA, notice its
# failures through BGP alone, and leave no process behind.

load helpers

teardown() { down_labs; }

# scripts/deps.sh test installs them (Debian's frr and bird2)
require_daemons() {
	require_root
	[ -x /usr/lib/frr/bgpd ] && [ -x /usr/lib/frr/zebra ] && command -v bird >/dev/null ||
		fail "real NVA tests need FRR and BIRD: apt-get install frr bird2"
}

# nva_copy EXAMPLE TYPE [JQ-FILTER]: the example with every NVA run by TYPE,
# in this test's tmp dir; the shipped example is left as it is.
nva_copy() {
	local src=$TOP/examples/$1.json out=$BATS_TEST_TMPDIR/$1-$2.json
	jq --arg t "$2" ".regions[0].hub.nvas |= map(. + {daemon: {type: \$t}}) ${3:+| $3}" \
	    "$src" > "$out"
	echo "$out"
}

# same_routes LAB EXAMPLE NIC...: the lab's effective routes of each NIC are
# those `plan` predicts for the unmodified example (built-in NVAs).
same_routes() {
	local lab=$1 ex=$TOP/examples/$2.json n; shift 2
	for n in "$@"; do
		diff <(arsemu plan "$ex" "$n" --json) <(arsemu routes "$n" --name "$lab" --json) ||
			{ echo "NIC $n differs from plan $ex" >&2; return 1; }
	done
}

# Processes that run an NVA daemon of lab $1 (their command lines name its dir).
nvad_processes() { procs_matching "/arsemu/$1/nvad/"; }

# nh_of LAB PREFIX: spoke1-vm1's active next hops for PREFIX, "a,b".
nh_of() {
	arsemu routes spoke1-vm1 --name "$1" --json | jq -r "[.value[] |
	    select(.addressPrefix[0] == \"$2\" and .state == \"Active\") |
	    .nextHopIpAddress[]] | sort | join(\",\")"
}
nh_is() { [ "$(nh_of "$1" "$2")" = "$3" ]; }

@test "validate: an NVA's daemon: unknown type, missing config, a path out of the topology's dir, each named by its JSON path" {
	local t
	t=$(nva_copy single-hub quagga)
	run arsemu validate "$t"
	assert_failure 2
	assert_output --partial 'regions[0].hub.nvas[0].daemon.type: "quagga" is not a daemon type'
	t=$(nva_copy single-hub frr '.regions[0].hub.nvas[1].daemon.config = "no-such.conf"')
	run arsemu validate "$t"
	assert_failure 2
	assert_output --partial "regions[0].hub.nvas[1].daemon.config: cannot read $BATS_TEST_TMPDIR/no-such.conf"
	t=$(nva_copy single-hub bird '.regions[0].hub.nvas[0].daemon.config = "../x.conf"')
	run arsemu validate "$t"
	assert_failure 2
	assert_output --partial 'regions[0].hub.nvas[0].daemon.config: "../x.conf" climbs out'
	t=$(nva_copy single-hub frr '.regions[0].hub.nvas[0].daemon.extra = 1')
	run arsemu validate "$t"
	assert_failure 2
	assert_output --partial 'regions[0].hub.nvas[0].daemon'
	t=$(nva_copy single-hub bird)
	run arsemu validate "$t"
	assert_success
}

@test "single-hub with FRR NVAs (rendered config): same effective routes as built-in ones, a ping crosses the FRR NVA" {
	require_daemons
	local lab=$ARSEMU_T-rf1 t
	t=$(nva_copy single-hub frr)
	arsemu up "$t" --name "$lab"
	wait_until 10 same_routes "$lab" single-hub spoke1-vm1 fw sdwan
	# bgpd and zebra run in the NVA's namespace, with the lab's files
	run grep -c "router bgp 65001" "/run/arsemu/$lab/nvad/sdwan/bgpd.conf"
	assert_output 1
	[ -n "$(nvad_processes "$lab")" ]
	# zebra installed what bgpd learned into the NVA's kernel
	run ip -n "arsemu-$lab-fw" route show proto bgp
	assert_output --partial "10.250.0.0/16"
	local before after
	before=$(ip_forwarded "$lab" sdwan)
	run arsemu exec spoke1-vm1 --name "$lab" -- ping -c 3 -W 2 10.250.0.1
	assert_success
	after=$(ip_forwarded "$lab" sdwan)
	(( after >= before + 3 ))
	run arsemu walk spoke1-vm1 branch-h1 --name "$lab"
	assert_success
	assert_output --partial "forwarded by: sdwan branch-edge"
}

@test "single-hub with BIRD NVAs (rendered config): same effective routes as built-in ones, a ping crosses the BIRD NVA" {
	require_daemons
	local lab=$ARSEMU_T-rb1 t before after
	t=$(nva_copy single-hub bird)
	arsemu up "$t" --name "$lab"
	wait_until 10 same_routes "$lab" single-hub spoke1-vm1 fw sdwan
	[ -n "$(nvad_processes "$lab")" ]
	before=$(ip_forwarded "$lab" sdwan)
	run arsemu exec spoke1-vm1 --name "$lab" -- ping -c 3 -W 2 10.250.0.1
	assert_success
	after=$(ip_forwarded "$lab" sdwan)
	(( after >= before + 3 ))
}

@test "active-active with FRR NVAs: same routes; fail fw1 crash removes its next hop, restore brings it back; down leaves no process" {
	require_daemons
	local lab=$ARSEMU_T-rf2 t
	t=$(nva_copy active-active frr)
	arsemu up "$t" --name "$lab"
	wait_until 10 same_routes "$lab" active-active spoke1-vm1 fw1 fw2
	assert_equal "$(nh_of "$lab" 10.0.0.0/8)" "10.1.2.4,10.1.2.5"
	arsemu fail fw1 crash --name "$lab"
	wait_until 10 nh_is "$lab" 10.0.0.0/8 10.1.2.5
	arsemu restore fw1 --name "$lab"
	wait_until 20 same_routes "$lab" active-active spoke1-vm1 fw1 fw2
	arsemu fail fw2 shutdown --name "$lab"
	wait_until 10 nh_is "$lab" 10.0.0.0/8 10.1.2.4
	arsemu restore fw2 --name "$lab"
	wait_until 20 same_routes "$lab" active-active spoke1-vm1
	[ -n "$(nvad_processes "$lab")" ]
	arsemu down "$lab"
	run nvad_processes "$lab"
	assert_output ""
	# (lab_processes prints a warning for a process that ends while it looks)
	[ -z "$(lab_processes "$lab" 2>/dev/null)" ]
}

@test "active-active with BIRD NVAs (rendered config): same routes, kernel routes, fail and restore" {
	require_daemons
	local lab=$ARSEMU_T-rb1 t
	t=$(nva_copy active-active bird)
	arsemu up "$t" --name "$lab"
	wait_until 10 same_routes "$lab" active-active spoke1-vm1 fw1 fw2
	run grep -c "protocol bgp" "/run/arsemu/$lab/nvad/fw1/bird.conf"
	assert_output 2
	run ip -n "arsemu-$lab-fw1" route show proto bird
	assert_output --partial "10.2.0.0/16"
	run arsemu exec spoke1-vm1 --name "$lab" -- ping -c 2 -W 2 10.250.0.1
	assert_success
	arsemu fail fw2 freeze --name "$lab"
	# only the hold timer (3 s) can notice a frozen NVA
	wait_until 15 nh_is "$lab" 10.0.0.0/8 10.1.2.4
	arsemu restore fw2 --name "$lab"
	wait_until 20 same_routes "$lab" active-active spoke1-vm1
	arsemu down "$lab"
	run nvad_processes "$lab"
	assert_output ""
}

@test "active-active, fw1 with the user's own FRR config (relative to the topology), fw2 rendered: same routes" {
	require_daemons
	local lab=$ARSEMU_T-ru1 t
	cp "$TOP/test/nva/active-active-fw1.frr.conf" "$BATS_TEST_TMPDIR/fw1.frr.conf"
	t=$(nva_copy active-active frr '.regions[0].hub.nvas[0].daemon.config = "fw1.frr.conf"')
	arsemu up "$t" --name "$lab"
	wait_until 10 same_routes "$lab" active-active spoke1-vm1 fw1 fw2
	# the lab keeps its copy beside the saved topology; fw1 runs on it
	cmp "$TOP/test/nva/active-active-fw1.frr.conf" "/run/arsemu/$lab/fw1.frr.conf"
	[ ! -e "/run/arsemu/$lab/nvad/fw1/bgpd.conf" ]
	run bash -c "tr '\0' ' ' < /proc/\$(cat /run/arsemu/$lab/nvad/fw1/bgpd.pid)/cmdline"
	assert_output --partial "/run/arsemu/$lab/fw1.frr.conf"
}

@test "a crashed lab daemon takes its NVAs' FRR and BIRD with it; down still cleans up" {
	require_daemons
	local lab=$ARSEMU_T-rk1 t daemon
	t=$(nva_copy single-hub frr '.regions[0].hub.nvas[1].daemon.type = "bird"')
	arsemu up "$t" --name "$lab"
	[ "$(nvad_processes "$lab" | wc -l)" -eq 3 ]	# sdwan: bgpd, zebra; fw: bird
	daemon=$(awk '$3 == "daemon" { print $2; exit }' "/run/arsemu/$lab/state")
	kill -9 "$daemon"
	wait_until 5 test -z "$(nvad_processes "$lab")"
	arsemu down "$lab"
	run lab_namespaces "$lab"
	assert_output ""
}

# rs_relearned LAB: rows of `rs hub learned sdwan` whose AS path holds 65515
rs_relearned() { arsemu rs hub learned sdwan --name "$1" | awk '$4 ~ /65515/' | wc -l; }
rs_own_both() { [ "$(arsemu rs hub learned sdwan --name "$1" | awk '$2 == "10.250.0.0/16"' | wc -l)" = 2 ]; }

@test "RS-40/RS-20: sender_as_path_loop_detection: the built-in speaker, FRR and BIRD send the Route Server nothing it relayed; without it they do" {
	require_daemons
	local type lab t i=0
	for type in builtin frr bird; do
		lab=$ARSEMU_T-sl$i
		i=$((i + 1))
		t=$(nva_copy single-hub "$type" '.regions[0].hub.nvas[0].sender_as_path_loop_detection = true')
		arsemu up "$t" --name "$lab"
		case $type in
		frr) grep -q "route-map ARSEMU-OUT-65515 out" "/run/arsemu/$lab/nvad/sdwan/bgpd.conf" ;;
		bird) grep -q "export filter arsemu_out_65515" "/run/arsemu/$lab/nvad/sdwan/bird.conf" ;;
		esac || fail "$type: the rendered config lacks the option"
		wait_until 10 rs_own_both "$lab" || fail "$type: 10.250.0.0/16 not learned by both instances"
		# the fw's 0.0.0.0/0 and the VNet prefixes reach sdwan through RS
		sleep 2
		run rs_relearned "$lab"
		assert_output 0
		arsemu down "$lab"
	done
	# the control: without the option, sdwan passes them on (RS-20 drops them)
	lab=$ARSEMU_T-sl$i
	t=$(nva_copy single-hub frr)
	arsemu up "$t" --name "$lab"
	wait_until 10 rs_own_both "$lab"
	wait_until 10 test "$(rs_relearned "$lab")" -gt 0 || fail "no relayed route came back"
	run arsemu rs hub learned sdwan --name "$lab"
	assert_output --partial "AS path contains 65515 (RS-20)"
}

# rib_row LAB PREFIX: hub-rs0's best path for PREFIX, "ASPATH|COMMUNITIES".
rib_row() {
	arsemu rsctl --control "/run/arsemu/$1/hub-rs0.sock" rib --json |
		jq -r --arg p "$2" '.[] | select(.network == $p) |
		    "\(.asPath)|\(.communities | join(","))"'
}

@test "per-prefix policy (advertise objects): FRR and BIRD render each prefix's prepend and communities; the lab equals plan" {
	require_daemons
	local lab t type i=0
	for type in frr bird; do
		lab=$ARSEMU_T-pp$i
		i=$((i + 1))
		t=$(nva_copy per-prefix-policy "$type")
		arsemu up "$t" --name "$lab"
		wait_until 10 same_routes "$lab" per-prefix-policy spoke1-vm1 fw1 fw2 ||
			fail "$type: the lab's routes differ from plan"
		[ "$(rib_row "$lab" 10.250.0.0/16)" = "65010|65010:250" ] ||
			fail "$type: 10.250.0.0/16 in hub-rs0: $(rib_row "$lab" 10.250.0.0/16)"
		[ "$(rib_row "$lab" 10.251.0.0/16)" = "65020|" ] ||
			fail "$type: 10.251.0.0/16 in hub-rs0: $(rib_row "$lab" 10.251.0.0/16)"
		[ "$(rib_row "$lab" 10.99.0.0/16)" = "65020|65535:65282" ] ||
			fail "$type: 10.99.0.0/16 in hub-rs0: $(rib_row "$lab" 10.99.0.0/16)"
		run arsemu rs hub learned fw1 --name "$lab"
		assert_line --regexp '^hub-rs0 +10\.251\.0\.0/16 +10\.1\.2\.4 +65010-65010-65010 '
		run arsemu rs hub advertised fw1 --name "$lab"
		refute_output --partial "10.99.0.0/16"
		run arsemu down "$lab"
		assert_success
	done
}
