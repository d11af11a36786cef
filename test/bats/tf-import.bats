#!/usr/bin/env bats
# arsemu import terraform and arsemu diff --terraform (issue 20): a topology
# from what `terraform show -json` prints, in HashiCorp's documented JSON
# output format. test/import/terraform/state.json is a hub-and-spoke landing
# zone (modules two deep: a hub with a Route Server, two NVAs peering it, an
# internal load balancer, an NSG and an active-active VPN gateway to a
# branch; two spokes with useRemoteGateways, one with a route table);
# plan.json adds a route table to spoke1's subnet and a VM whose address is
# known after apply. test/import/terraform/broken holds inputs to refuse.
# Only the last test needs root (a live lab, torn down).

load helpers

teardown() { down_labs; }

TF=$BATS_TEST_DIRNAME/../import/terraform

@test "import terraform: a state becomes a topology that validates; what arsemu cannot model is a warning naming the resource address" {
	local out=$BATS_TEST_TMPDIR/lz.json
	run arsemu import terraform "$TF/state.json" -o "$out" --name lz
	assert_success
	assert_output --partial "warning: $TF/state.json: module.hub.module.nva.azurerm_lb.ilb: azurerm_lb is not modelled by arsemu: not imported"
	assert_output --partial "module.hub.module.network.azurerm_network_security_group.nva: azurerm_network_security_group is not modelled"
	assert_output --partial "azurerm_virtual_network_peering.spoke1_to_spoke2: a peering between two spokes"
	assert_output --partial 'module.hub.module.routeserver.azurerm_route_server_bgp_connection.nva["fw1"]: NVA vm-fw1-weu: what it advertises is not in Terraform'
	assert_output --partial "data.azurerm_client_config.current: a data source: not imported"
	refute_output --partial "assumed"
	run arsemu validate "$out"
	assert_success
	assert_output --partial "valid: lab lz, 3 VNets, 9 nodes, 8 NICs"
	run jq -c '.regions[0].hub | [.name, .route_server.branch_to_branch, [.nvas[] | [.name, .asn, .ip]], [.gateways[] | [.name, .active_active, .tunnels]]]' "$out"
	assert_output '["vnet-hub-weu",true,[["vm-fw1-weu",65010,"10.1.2.4"],["vm-fw2-weu",65010,"10.1.2.5"]],[["vgw-hub-weu",true,[{"site":"lgw-branch","bgp":true}]]]]'
	run jq -c '[.regions[0].spokes[] | [.name, .use_remote_gateways, .vms[0].name, .vms[0].ip]], .sites, [.route_tables[] | [.name, .disable_bgp_route_propagation, .subnets, (.routes | length)]]' "$out"
	assert_line --index 0 '[["vnet-spoke1-weu",true,"vm-app1","10.2.1.4"],["vnet-spoke2-weu",true,"vm-web1","10.3.1.4"]]'
	assert_line --index 1 '[{"name":"lgw-branch","prefixes":["10.250.0.0/16"],"asn":65050}]'
	assert_line --index 2 '[["rt-spoke2-weu",true,["vnet-spoke2-weu/snet-web"],2]]'
}

@test "import terraform: plan of the imported state: the branch over the VPN gateway, spoke2 forced to the firewall" {
	local out=$BATS_TEST_TMPDIR/lz.json
	arsemu import terraform "$TF/state.json" -o "$out" 2>/dev/null
	run arsemu plan "$out" vm-app1
	assert_success
	assert_line --regexp '^VirtualNetworkGateway +Active +10\.250\.0\.0/16 +VirtualNetworkGateway +10\.1\.0\.4$'
	assert_line --regexp '^Default +Active +0\.0\.0\.0/0 +Internet'
	run arsemu plan "$out" vm-web1
	assert_success
	assert_line --regexp '^User +Active +0\.0\.0\.0/0 +VirtualAppliance +10\.1\.2\.4$'
	assert_line --regexp '^User +Active +10\.250\.0\.0/16 +VirtualAppliance +10\.1\.2\.4$'
	refute_line --regexp '^VirtualNetworkGateway '
}

@test "import terraform: a plan's planned values; an address known after apply is assumed as Azure allocates it; --json summary" {
	local out=$BATS_TEST_TMPDIR/after.json
	run arsemu import terraform "$TF/plan.json" -o "$out"
	assert_success
	assert_output --partial "warning: $TF/plan.json: module.spoke1.module.workload.azurerm_network_interface.app2: assumed: private_ip_address is known after apply; 10.2.1.5, the first free address of snet-app from .4 up, as Azure allocates"
	run jq -c '[.route_tables[0].name, .route_tables[0].subnets, [.regions[0].spokes[0].vms[] | .ip]]' "$out"
	assert_output '["rt-spoke1-weu",["vnet-spoke1-weu/snet-app"],["10.2.1.4","10.2.1.5"]]'
	run arsemu validate "$out"
	assert_success
	run jq -c '[.valid, .vnets, .nvas, .nics, (.warnings | length)]' <(arsemu import terraform "$TF/plan.json" -o "$out" --json)
	assert_output '[true,3,2,9,10]'
}

@test "diff --terraform: the plan's route table changes spoke1's effective routes; exit 1; --json and --markdown" {
	run arsemu diff --terraform "$TF/plan.json"
	assert_failure 1
	assert_line --index 0 --partial "changed: effective routes of 1 of 5 subnets (1 group), 1 NIC added or removed"
	assert_line "subnets changed: vnet-spoke1-weu/snet-app (1 subnet, 2 NICs)"
	assert_line "    - Internet - (Default, Active)"
	assert_line "    + VirtualAppliance 10.1.2.4 (User, Active, default-via-fw)"
	assert_line "NICs added to vnet-spoke1-weu/snet-app (1): vm-app2"
	# the same differential reachability as diff OLD NEW: spoke1 to the
	# Internet now crosses the firewall
	assert_line "  subnet:vnet-spoke1-weu/snet-app -> internet (any, 2 pairs)"
	assert_line "    - delivered: vm-app1 > internet"
	assert_line "    + delivered: vm-app1 > vm-fw1-weu > internet"
	run bash -c "'$ARSEMU' diff --terraform '$TF/plan.json' --json | jq -c '[.changed, .old, .new]'"
	assert_output "[true,\"$TF/plan.json (before)\",\"$TF/plan.json (after)\"]"
	run arsemu diff --terraform "$TF/plan.json" --markdown
	assert_failure 1
	assert_output --partial '| 0.0.0.0/0 | changed | Internet - (Default, Active) | VirtualAppliance 10.1.2.4 (User, Active, default-via-fw)'
	# a plan that changes nothing: its prior state against itself
	local same=$BATS_TEST_TMPDIR/same.json
	jq '.planned_values = .prior_state.values | del(.resource_changes)' "$TF/plan.json" > "$same"
	run arsemu diff --terraform "$same"
	assert_success
	assert_output --partial "no change"
}

@test "import terraform, diff --terraform: bad input is an error naming the file and the JSON path or resource address" {
	local b=$TF/broken
	run arsemu import terraform "$b/no-address-space.json"
	assert_failure 2
	assert_output "arsemu: import terraform: $b/no-address-space.json: values.root_module.child_modules[0].child_modules[0].resources[0].values.address_space (module.hub.module.network.azurerm_virtual_network.this): VNet vnet-hub has no address space"
	run arsemu import terraform "$b/no-values.json"
	assert_failure 2
	assert_output --partial "no-values.json: values.root_module.resources[0].values (azurerm_virtual_network.hub): a resource needs its values"
	run arsemu import terraform "$b/truncated.json"
	assert_failure 2
	assert_output --partial "truncated.json: not JSON (line 6, column"
	run arsemu import terraform "$b/trailing.json"
	assert_failure 2
	assert_output --partial "trailing.json: not JSON (line 2, column 1): malformed JSON: text after the end of the document"
	run arsemu import terraform "$b/nul.json"
	assert_failure 2
	assert_output --partial 'nul.json: values.root_module.resources[0].address: a string holds a NUL character'
	run arsemu import terraform "$b/version2.json"
	assert_failure 2
	assert_output --partial "version2.json: format_version: arsemu reads format_version 1.x"
	run arsemu import terraform "$b/neither.json"
	assert_failure 2
	assert_output --partial "neither a state (values) nor a plan (planned_values)"
	ln -s /dev/zero "$BATS_TEST_TMPDIR/zero.json"
	run arsemu import terraform "$BATS_TEST_TMPDIR/zero.json"
	assert_failure 2
	assert_output --partial "zero.json: the file is larger than 16777216 bytes (16 MiB)"
	run arsemu diff --terraform "$TF/state.json"
	assert_failure 2
	assert_output --partial "state.json: a state, not a plan"
	jq 'del(.prior_state)' "$TF/plan.json" > "$BATS_TEST_TMPDIR/new.json"
	run arsemu diff --terraform "$BATS_TEST_TMPDIR/new.json"
	assert_failure 2
	assert_output --partial "new.json: prior_state: the plan has no prior state"
	run arsemu diff --terraform "$TF/plan.json" "$TF/plan.json"
	assert_failure 2
	assert_output --partial "usage: arsemu diff OLD NEW | --terraform PLAN.json"
}

@test "import terraform: the imported landing zone runs: up, the spokes' routes programmed, a spoke VM pings the firewall over the peering, down" {
	require_root
	local lab=$ARSEMU_T-tf out=$BATS_TEST_TMPDIR/lz.json
	arsemu import terraform "$TF/state.json" -o "$out" 2>/dev/null
	run arsemu up "$out" --name "$lab"
	assert_success
	run arsemu routes vm-app1 --name "$lab"
	assert_success
	assert_line --regexp '^VirtualNetworkGateway +Active +10\.250\.0\.0/16 +VirtualNetworkGateway +10\.1\.0\.4$'
	run arsemu routes vm-web1 --name "$lab"
	assert_success
	assert_line --regexp '^User +Active +10\.250\.0\.0/16 +VirtualAppliance +10\.1\.2\.4$'
	run arsemu exec vm-app1 --name "$lab" -- ping -c 2 -W 2 10.1.2.4
	assert_success
	run arsemu down "$lab"
	assert_success
	run lab_namespaces "$lab"
	assert_output ""
}
