#!/usr/bin/env bats
# A firewall that speaks no BGP (issue 18 part 2, RS-55): the Azure Firewall
# pattern, an NVA in AzureFirewallSubnet (or any NVA with "bgp": false) that
# forwards and filters, runs no speaker, takes no Route Server peer slot and
# is reached through route tables only. The topology is
# examples/udr-firewall.json with its fw moved there.

load helpers

teardown() { down_labs; }

# udr-firewall with fw in AzureFirewallSubnet, without BGP, denying TCP 22.
fw_topo() {
	jq '.name = "fw-nobgp" |
	    .regions[0].hub.subnets = { "AzureFirewallSubnet": "10.1.2.0/26" } |
	    .regions[0].hub.nvas = [ { "name": "fw", "subnet": "AzureFirewallSubnet",
	        "ip": "10.1.2.4", "filter": [ { "action": "deny", "proto": "tcp",
	        "port": 22 } ] } ]' "$TOP/examples/udr-firewall.json" \
	    > "$BATS_TEST_TMPDIR/fw.json"
	echo "$BATS_TEST_TMPDIR/fw.json"
}

@test "RS-55 validate: a firewall without BGP is valid with no asn; an asn, bgp true in AzureFirewallSubnet, a VM there are refused with their JSON path" {
	local f
	f=$(fw_topo)
	run arsemu validate "$f" --strict
	assert_success
	jq '.regions[0].hub.nvas[0].asn = 65010' "$f" > "$f.asn"
	run arsemu validate "$f.asn"
	assert_failure 2
	assert_output --partial 'regions[0].hub.nvas[0].asn: NVA "fw" speaks no BGP ("bgp": false)'
	jq '.regions[0].hub.nvas[0].bgp = true' "$f" > "$f.bgp"
	run arsemu validate "$f.bgp"
	assert_failure 2
	assert_output --partial 'regions[0].hub.nvas[0].bgp: an NVA in AzureFirewallSubnet is the Azure Firewall pattern, which speaks no BGP (RS-55)'
	jq '.regions[0].hub.vms = [{"name": "v", "subnet": "AzureFirewallSubnet"}]' "$f" > "$f.vm"
	run arsemu validate "$f.vm"
	assert_failure 2
	assert_output --partial 'regions[0].hub.vms[0].subnet: AzureFirewallSubnet holds the firewall alone'
}

@test "RS-55 lint: a route table sending AzureFirewallSubnet's 0.0.0.0/0 anywhere but Internet is warned about; to Internet it is not" {
	local f
	f=$(fw_topo)
	jq '.route_tables += [{"name": "fw-rt", "subnets": ["hub/AzureFirewallSubnet"],
	    "routes": [{"name": "all", "prefix": "0.0.0.0/0", "next_hop_type": "None"}]}]' \
	    "$f" > "$f.rt"
	run arsemu validate "$f.rt" --strict
	assert_failure 1
	assert_output --partial 'route_tables[2].routes[0].next_hop_type: route "all" sends 0.0.0.0/0 from AzureFirewallSubnet of "hub" to None'
	assert_output --partial '(RS-55)'
	jq '.route_tables[2].routes[0].next_hop_type = "Internet"' "$f.rt" > "$f.inet"
	run arsemu validate "$f.inet" --strict
	assert_success
}

@test "RS-55 walk offline: spoke to spoke through the firewall by route tables; its filter denies TCP 22" {
	local f
	f=$(fw_topo)
	run arsemu walk spoke1-vm1 spoke2-vm1 --topo "$f"
	assert_output --partial 'predicted (offline): delivered'
	assert_output --regexp '2 +fw +NIC fw: Default 10\.3\.0\.0/16 VNetPeering'
	run arsemu walk spoke1-vm1 spoke2-vm1 --topo "$f" --proto tcp --port 22
	assert_output --partial "predicted (offline): denied by an NVA's filter: fw"
}

@test "RS-55 live: the firewall runs no speaker, forwards spoke to spoke both ways (observed), filters TCP 22, plan == routes; torn down" {
	require_root
	local f lab=$ARSEMU_T-fwnb nic
	f=$(fw_topo)
	run arsemu up "$f" --name "$lab"
	assert_success
	# no BGP process in the firewall's namespace
	run ip netns pids "arsemu-$lab-fw"
	assert_success
	assert_output ''
	for nic in fw spoke1-vm1 spoke2-vm1; do
		diff -u <("$ARSEMU" plan "$f" "$nic" --json 2>/dev/null) \
			<("$ARSEMU" routes "$nic" --name "$lab" --json) ||
			fail "plan and routes differ for $nic"
	done
	run arsemu walk spoke1-vm1 spoke2-vm1 --name "$lab" --both-ways
	assert_success
	refute_output --partial MISMATCH
	assert_output --partial 'observed: delivered; forwarded by: fw'
	[ "$(echo "$output" | grep -c '^  match$')" -eq 2 ] || fail "both ways should match"
	run arsemu walk spoke1-vm1 spoke2-vm1 --name "$lab" --proto tcp --port 22
	assert_success
	refute_output --partial MISMATCH
	assert_output --partial "denied by an NVA's filter"
	run arsemu down "$lab"
	assert_success
	[ -z "$(lab_namespaces "$lab")" ]
}
