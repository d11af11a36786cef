#!/usr/bin/env bats
# Network security groups (issue 18 part 6, NS-01 to NS-06) on
# examples/nsg.json: the offline prediction (walk --offline, arsemu nsg) and
# the live lab, where the NSGs are one nftables table in the fabric
# namespace (emu/labnsg.c), say the same; replies of an allowed flow pass.

load helpers

teardown() { down_labs; }

# The walks of examples/nsg.json: SRC DST [walk options], and the outcome.
WALKS=(
	"spoke2-vm1 web1 --proto tcp --port 22|denied by NSG nsg-web, rule deny-ssh-spoke2"
	"spoke2-vm1 web1 --proto tcp --port 80|delivered"
	"web1 app1 --proto tcp --port 8080|delivered"
	"web1 app1 --proto udp|denied by NSG nsg-app, rule deny-vnet"
	"branch-h1 web2 --proto icmp|denied by NSG nsg-web2, rule deny-ping"
	"branch-h1 web1 --proto icmp|delivered"
	"web1 internet --proto udp|denied by NSG nsg-web, rule deny-udp-internet"
	"web1 internet --proto tcp --port 443|delivered"
	"spoke2-vm1 internet --proto udp|delivered"
)

@test "NS-01 validate: NSG input Azure refuses is refused with its JSON path" {
	local f="$BATS_TEST_TMPDIR/bad.json"
	jq '.network_security_groups[0].rules[1].priority = 100' \
	    "$TOP/examples/nsg.json" > "$f"
	run arsemu validate "$f"
	assert_failure 2
	assert_output --partial 'network_security_groups[0].rules[1].priority: priority 100 is already taken by Inbound rule "allow-http" of NSG "nsg-web"'
	jq '.network_security_groups[0].rules[0].destination_port_ranges = ["80", "90-70"]' \
	    "$TOP/examples/nsg.json" > "$f"
	run arsemu validate "$f"
	assert_failure 2
	assert_output --partial 'network_security_groups[0].rules[0].destination_port_ranges[1]: port range "90-70" ends before it starts'
	jq '.network_security_groups[1].subnets = ["hub/RouteServerSubnet"]' \
	    "$TOP/examples/nsg.json" > "$f"
	run arsemu validate "$f"
	assert_failure 2
	assert_output --partial 'network_security_groups[1].subnets[0]: an NSG cannot be associated with RouteServerSubnet: Azure takes none there (RS-03)'
}

@test "NS-02 arsemu nsg: the effective rules of a NIC, az-shaped, without root" {
	run as_nobody "$NOBODY_ARSEMU" nsg web2 --topo "$NOBODY_TOP/examples/nsg.json" --json
	assert_success
	run jq -r '[.value[] | .networkSecurityGroup.id | sub(".*/"; "")] | join(" ")' <<< "$output"
	assert_output "nsg-web nsg-web2"
	run as_nobody "$NOBODY_ARSEMU" nsg web2 --topo "$NOBODY_TOP/examples/nsg.json" --json
	run jq -r '.value[1].effectiveSecurityRules[] | "\(.priority) \(.name) \(.access)"' <<< "$output"
	assert_line '100 securityRules/deny-ping Deny'
	assert_line '65000 defaultSecurityRules/AllowVnetInBound Allow'
	assert_line '65500 defaultSecurityRules/DenyAllOutBound Deny'
	run as_nobody "$NOBODY_ARSEMU" nsg web1 --topo "$NOBODY_TOP/examples/nsg.json" \
	    --verify in tcp 10.3.1.4:40000 10.2.1.4:22
	assert_failure 1
	assert_output --partial 'Deny: denied by NSG nsg-web, rule deny-ssh-spoke2 (Inbound, on subnet spoke1/web of web1)'
}

@test "NS-04 live: every walk of examples/nsg.json is denied or delivered as predicted offline, at the NSG and rule named" {
	require_root
	local lab="$ARSEMU_T-nsg" w args want
	run arsemu up "$TOP/examples/nsg.json" --name "$lab"
	assert_success
	for w in "${WALKS[@]}"; do
		args=${w%%|*}
		want=${w#*|}
		[[ $want == delivered ]] || want="denied by an NSG: $want"
		# shellcheck disable=SC2086
		run arsemu walk $args --offline --topo "$TOP/examples/nsg.json"
		assert_success
		assert_output --partial "predicted (offline): $want"
		# shellcheck disable=SC2086
		run arsemu walk $args --name "$lab"
		assert_success		# the observed walk matches the prediction
		assert_output --partial "predicted: $want"
		if [[ $want == delivered ]]; then
			assert_output --partial "observed: delivered"
		else
			assert_output --partial "observed: not delivered"
		fi
	done
	# the shipped suite, offline without root and against the lab
	run as_nobody "$NOBODY_ARSEMU" check "$NOBODY_TOP/examples/checks/nsg.suite.json"
	assert_success
	assert_output --partial "7 assertions: 7 passed, 0 failed"
	run arsemu check "$TOP/examples/checks/nsg.suite.json" --live --name "$lab"
	assert_success
}

@test "NS-06 live: stateful, the reply of an allowed flow passes an NSG that denies it as a new flow" {
	require_root
	local lab="$ARSEMU_T-nsgst" srv
	run arsemu up "$TOP/examples/nsg.json" --name "$lab"
	assert_success
	# web2's own NSG denies ICMP in: a ping to web2 is dropped, the reply
	# of web2's own ping comes back
	run arsemu exec branch-h1 --name "$lab" -- ping -c 1 -W 1 10.2.1.5
	assert_failure
	run arsemu exec web2 --name "$lab" -- ping -c 1 -W 2 10.2.1.4
	assert_success
	# app1's subnet denies everything from VirtualNetwork but 8080 from the
	# web tier: web1 cannot open TCP 80 to app1, app1's TCP 80 to web1
	# gets its answer back through the same NSG
	local ready=$BATS_TEST_TMPDIR/web1-listens
	arsemu exec web1 --name "$lab" -- timeout 120 python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 80)); s.listen(1); open(sys.argv[1], "w").close()
c, _ = s.accept(); c.sendall(b"hello"); c.close()' "$ready" &
	srv=$!
	wait_ready "$ready" "$srv"
	run arsemu exec app1 --name "$lab" -- timeout 5 python3 -c '
import socket
s = socket.create_connection(("10.2.1.4", 80), 3); print(s.recv(5).decode())'
	assert_success
	assert_output "hello"
	wait "$srv"
	run arsemu exec web1 --name "$lab" -- timeout 3 python3 -c '
import socket
socket.create_connection(("10.2.2.4", 80), 2)'
	assert_failure
	run arsemu nsg app1 --name "$lab" --verify in tcp 10.2.1.4:40000 10.2.2.4:80
	assert_failure 1
	assert_output --partial 'denied by NSG nsg-app, rule deny-vnet'
}

@test "NS-04 live: one nftables table in the fabric counts what each rule denies; down leaves no namespace, table or host change" {
	require_root
	local lab="$ARSEMU_T-nsgtbl" before after
	before=$(host_snapshot)
	run arsemu up "$TOP/examples/nsg.json" --name "$lab"
	assert_success
	run arsemu exec fabric --name "$lab" -- nft list tables
	assert_output "table ip arsemu_nsg"
	run arsemu exec branch-h1 --name "$lab" -- ping -c 2 -W 1 10.2.1.5
	assert_failure
	run arsemu exec fabric --name "$lab" -- nft list ruleset
	assert_output --regexp 'meta l4proto icmp counter packets [2-9][0-9]* bytes [0-9]+ drop comment "nsg-web2/deny-ping"'
	# the NIC chains jump in Azure's order: web2 (n4) inbound is its
	# subnet's NSG (nsg-web, s1_0_g0), then its own (nsg-web2, s1_0_g2)
	assert_output --partial "$(printf 'chain n4_in {\n\t\tjump s1_0_g0_in\n\t\tjump s1_0_g2_in')"
	run arsemu down "$lab"
	assert_success
	run sh -c "ip netns list | grep -c '^arsemu-$lab-' || true"
	assert_output 0
	after=$(host_snapshot)
	[ "$before" = "$after" ]
}

@test "NS-07 live: an NSG denying TCP 179 on the firewall's subnet leaves its Route Server sessions in Active; status and rs peers name the NSG and rule; plan equals live" {
	require_root
	local lab="$ARSEMU_T-nsgbgp" nic
	run arsemu up "$TOP/examples/nsg-bgp-blocked.json" --name "$lab"
	assert_success		# converged: a session the NSGs deny is expected down
	assert_output --partial "regions[0].hub.nvas[1]: NVA fw cannot bring up its BGP session with hub-rs0: fw -> 10.1.1.4:179 denied by NSG nsg-fw, rule deny-bgp-out"
	run arsemu status --name "$lab"
	assert_output --regexp 'hub-rs0 +fw +Active'
	assert_output --regexp 'hub-rs1 +sdwan +Established'
	assert_output --partial 'hub-rs0: blocked: fw -> 10.1.1.4:179 denied by NSG nsg-fw, rule deny-bgp-out (Outbound, on subnet hub/fw of fw) (NS-07)'
	run arsemu status --name "$lab" --json
	run jq -r '.sessions[] | select(.peer == "fw") | .blockedBy' <<< "$output"
	assert_line 'fw -> 10.1.1.5:179 denied by NSG nsg-fw, rule deny-bgp-out (Outbound, on subnet hub/fw of fw) (NS-07)'
	run arsemu rs hub peers --name "$lab"
	assert_output --regexp 'hub-rs1 +fw +10\.1\.3\.4 +65002 +Active'
	assert_output --partial 'hub-rs1 fw: blocked: fw -> 10.1.1.5:179 denied by NSG nsg-fw, rule deny-bgp-out'
	for nic in $(sh "$TOP/test/golden/nics.sh" "$TOP/examples/nsg-bgp-blocked.json"); do
		diff <(arsemu plan "$TOP/examples/nsg-bgp-blocked.json" "$nic" --json) \
		    <(arsemu routes "$nic" --name "$lab" --json) ||
			fail "plan and live routes of $nic differ"
	done
	run arsemu walk spoke1-vm1 internet --name "$lab"
	assert_success
	refute_output --partial ' fw '
	run arsemu down "$lab"
	assert_success
	run arsemu drill "$TOP/examples/drills/nsg-bgp-blocked.json" --name "$ARSEMU_T-nsgdr"
	assert_success
	assert_output --partial 'expect spoke1-vm1 0.0.0.0/0 absent       ok'
}
