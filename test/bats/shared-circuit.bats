#!/usr/bin/env bats
# One ExpressRoute circuit linked to the gateways of two hubs
# (examples/shared-circuit.json): one MSEE, "hq-london-msee", with a link to
# each of the four gateway instances and one to the data centre's edge.
# RS-13, RS-51: with branch-to-branch on, each hub's NVA route reaches
# on-premises over the circuit; nothing crosses from one hub to the other
# through it (the other gateway drops what holds 65515, so the other Route
# Server never has it). GW-09: each gateway keeps its own connection weight.

load helpers

EX=$TOP/examples/shared-circuit.json

teardown() {
	down_labs
}

# rib_path LAB NODE PREFIX: the AS path of PREFIX in the speaker's RIB (rsctl --json).
rib_path() {
	arsemu rsctl --control "/run/arsemu/$1/$2.sock" rib --json |
		python3 -c 'import json, sys
for r in json.load(sys.stdin):
    if r["network"] == sys.argv[1]:
        print(r["asPath"])' "$3"
}

@test "shared circuit offline: one MSEE for two hubs, the data centre reaches each hub through its own gateway, the hubs not each other" {
	run arsemu nodes "$EX"
	assert_success
	assert_output --regexp 'hq-london-msee +msee'
	refute_output --partial 'er-uks-msee'
	run arsemu walk hq-h1 weu-vm1 --topo "$EX" --flows 2
	assert_success
	assert_output --partial 'hq-london-msee circuit to gateway er-weu (ECMP by flow hash)'
	run arsemu walk uks-vm1 weu-vm1 --topo "$EX"
	assert_output --partial 'blackholed'
	run arsemu graph "$EX" --json
	assert_success
	[ "$(echo "$output" | python3 -c 'import json, sys
d = json.load(sys.stdin)
print(sum(1 for e in d["edges"] if "hq-london-msee" in (e["a"], e["b"])))')" = 5 ]
}

@test "RS-13, RS-51 live: the data centre learns both hubs and both NVAs over the one circuit; hub-weu's gateway drops hub-uks's routes (65515), its Route Server never has them" {
	require_root
	local lab=$ARSEMU_T-sc
	run arsemu up "$EX" --name "$lab"
	assert_success
	assert_output --partial "converged"
	# the data centre's edge: every VNet and NVA prefix, from the one MSEE
	run rib_path "$lab" hq-edge 10.2.0.0/16
	assert_output '12076-65515'
	run rib_path "$lab" hq-edge 10.12.0.0/16
	assert_output '12076-65515'
	run rib_path "$lab" hq-edge 192.168.10.0/24
	assert_output '12076-65515-65001'
	run rib_path "$lab" hq-edge 192.168.20.0/24
	assert_output '12076-65515-65002'
	# RS-51: hub-weu's gateway received hub-uks's routes from the MSEE and
	# accepted none of them (65515 in the path); only the site's prefix
	run peer_field "$lab" hub-weu-er-weu0 hq-london-msee routesReceived
	[ "$output" -ge 4 ]
	run peer_field "$lab" hub-weu-er-weu0 hq-london-msee routesAccepted
	assert_output 1
	run arsemu gateway er-weu learned --name "$lab"
	assert_success
	assert_output --partial '172.16.0.0/16'
	assert_output --partial '12076-64512'
	refute_output --partial '10.1.0.0/16'
	refute_output --partial '192.168.10.0/24'
	run rib_path "$lab" hub-weu-rs0 192.168.10.0/24
	assert_output ''
	run rib_path "$lab" hub-weu-rs0 192.168.20.0/24
	assert_output '65002'
	run arsemu routes weu-vm1 --name "$lab"
	refute_output --partial '10.2.0.0/16'
	refute_output --partial '192.168.10.0/24'
	# real packets, every flow as predicted, both hubs through the MSEE
	for pair in "hq-h1 uks-vm1" "hq-h1 weu-vm1" "weu-vm1 hq-h1" "uks-vm1 hq-h1"; do
		run arsemu walk $pair --name "$lab" --flows 4
		assert_success
		refute_output --partial MISMATCH
		assert_output --partial 'hq-london-msee'
	done
	run arsemu walk uks-vm1 weu-vm1 --name "$lab"
	refute_output --partial MISMATCH
	assert_output --partial 'not delivered'
}

@test "shared circuit down: the MSEE powered off takes the data centre from both hubs; restored, both get it back" {
	require_root
	local lab=$ARSEMU_T-sd
	run arsemu up "$EX" --name "$lab"
	assert_success
	run arsemu fail hq-london-msee down --name "$lab"
	assert_success
	# no BFD between gateways and MSEE: the instances' hold timers (9 s)
	for vm in uks-vm1 weu-vm1; do
		wait_until 15 bash -c "! '$ARSEMU' routes $vm --name $lab | grep -q '172.16.0.0/16 *VirtualNetworkGateway'"
	done
	run arsemu restore hq-london-msee --name "$lab"
	assert_success
	for vm in uks-vm1 weu-vm1; do
		wait_until 15 bash -c "'$ARSEMU' routes $vm --name $lab | grep -q '172.16.0.0/16 *VirtualNetworkGateway'"
	done
	run arsemu walk hq-h1 weu-vm1 --name "$lab" --flows 2
	refute_output --partial MISMATCH
}

@test "allowRemoteVnetTraffic on both gateways: the hubs reach each other over the circuit, every flow as predicted; RS-51 each Route Server drops what its gateway passes on (65515); plan == routes" {
	require_root
	local lab=$ARSEMU_T-sr topo=$BATS_TEST_TMPDIR/sc-remote.json nic
	python3 - "$EX" "$topo" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for r in d["regions"]:
    r["hub"]["gateways"][0]["allow_remote_vnet_traffic"] = True
d["name"] = "sc-remote"
json.dump(d, open(sys.argv[2], "w"))
PY
	run arsemu plan "$topo" uks-vm1
	assert_output --regexp 'VirtualNetworkGateway +Active +10\.12\.0\.0/16 +VirtualNetworkGateway +10\.1\.0\.4'
	assert_output --regexp 'VirtualNetworkGateway +Active +192\.168\.20\.0/24 +VirtualNetworkGateway +10\.1\.0\.4'
	assert_output --regexp 'VirtualNetworkGateway +Active +192\.168\.10\.0/24 +VirtualNetworkGateway +10\.1\.2\.4'
	run arsemu up "$topo" --name "$lab"
	assert_success
	for nic in hub-uks-er-uks0 hub-weu-er-weu1 nva-uks nva-weu uks-vm1 weu-vm1; do
		diff -u <(arsemu plan "$topo" "$nic" --json 2>/dev/null) \
			<(arsemu routes "$nic" --name "$lab" --json) ||
			fail "plan and routes differ for $nic"
	done
	run arsemu gateway er-weu learned --name "$lab"
	assert_output --regexp '10\.1\.0\.0/16 +169\.254\.21\.2 +12076-65515 '
	assert_output --partial '12076-65515-65001'
	run arsemu rsctl --control "/run/arsemu/$lab/hub-weu-rs0.sock" learned hub-weu-er-weu0
	assert_output --regexp '192\.168\.10\.0/24 .*AS path contains 65515 \(RS-20\)'
	run rib_path "$lab" hub-weu-rs0 192.168.10.0/24
	assert_output ''
	for pair in "uks-vm1 weu-vm1" "weu-vm1 uks-vm1"; do
		run arsemu walk $pair --name "$lab" --flows 4
		assert_success
		refute_output --partial MISMATCH
		assert_output --partial 'hq-london-msee circuit to gateway'
		assert_output --partial 'observed: delivered'
	done
}
