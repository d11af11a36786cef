#!/usr/bin/env bats
# arsemu import terraform and arsemu diff --terraform (issue 20): a topology
# from what `terraform show -json` prints, in HashiCorp's documented JSON
# output format. test/import/terraform/state.json is a hub-and-spoke landing
# zone (modules two deep: a hub with a Route Server, two NVAs peering it, an
# internal load balancer, an NSG, an Azure Firewall, an active-active VPN
# gateway to a branch and an ExpressRoute gateway to a circuit; two spokes
# with useRemoteGateways, peered with each other, one with a route table);
# plan.json adds a route table to spoke1's subnet and a VM whose address is
# known after apply; add-spoke3.jq makes of it a plan that adds a spoke in
# two modules, the network's output passed to the workload's NIC, and
# multi-nic.jq gives that VM a second NIC and ip_configuration.
# test/import/terraform/broken holds inputs to refuse. nva.json is the
# estate of test/import/az-nva (az-nva.json by hand): NVAs without BGP
# behind a load balancer, a transit spoke's NVA peering the hub's RS.
# test/import/az-tf is the same estate as the az CLI prints it (`az network
# vnet list`, `nic list`, `routeserver peering list-learned-routes`, ...),
# with what Terraform does not hold: the NVAs' advertised prefixes (Route
# Server's learned routes) and the circuit's (the ExpressRoute gateway's).
# The live tests need root (a lab each, torn down).

load helpers

teardown() { down_labs; }

TF=$BATS_TEST_DIRNAME/../import/terraform

@test "import terraform: a state becomes a topology that validates; what arsemu cannot model is a warning naming the resource address" {
	local out=$BATS_TEST_TMPDIR/lz.json
	run arsemu import terraform "$TF/state.json" -o "$out" --name lz
	assert_success
	refute_output --partial "azurerm_lb"
	refute_output --partial "azurerm_network_interface_backend_address_pool_association"
	refute_output --partial "azurerm_network_security"
	refute_output --partial "spoke1_to_spoke2"
	assert_output --partial 'module.hub.module.routeserver.azurerm_route_server_bgp_connection.nva["fw1"]: NVA vm-fw1-weu: what it advertises is not in Terraform'
	assert_output --partial "data.azurerm_client_config.current: a data source: not imported"
	refute_output --partial "assumed"
	run arsemu validate "$out"
	assert_success
	assert_output --partial "valid: lab lz, 3 VNets, 14 nodes, 11 NICs"
	run jq -c '.regions[0].hub | [.name, .route_server.branch_to_branch, [.nvas[] | [.name, .asn, .ip]], [.gateways[] | [.name, .active_active, .tunnels]]]' "$out"
	assert_output '["vnet-hub-weu",true,[["vm-fw1-weu",65010,"10.1.2.4"],["vm-fw2-weu",65010,"10.1.2.5"],["afw-hub-weu",null,"10.1.3.4"]],[["vgw-hub-weu",true,[{"site":"lgw-branch","bgp":true}]],["ergw-hub-weu",null,null]]]'
	run jq -c '[.regions[0].spokes[] | [.name, .use_remote_gateways, .vms[0].name, .vms[0].ip]], .sites, [.route_tables[] | [.name, .disable_bgp_route_propagation, .subnets, (.routes | length)]]' "$out"
	assert_line --index 0 '[["vnet-spoke1-weu",true,"vm-app1","10.2.1.4"],["vnet-spoke2-weu",true,"vm-web1","10.3.1.4"]]'
	assert_line --index 1 '[{"name":"lgw-branch","prefixes":["10.250.0.0/16"],"asn":65050},{"name":"erc-dc-ams","prefixes":["10.60.0.0/16","10.61.0.0/16"],"asn":65020}]'
	assert_line --index 2 '[["rt-spoke2-weu",true,["vnet-spoke2-weu/snet-web"],3]]'
	# NS-01: the NSG with its inline rule and its rule resource, on its subnet and fw1's NIC
	run jq -c '.network_security_groups[] | [.name, .subnets, .nics, [.rules[] | [.name, .priority, .direction, .access, .source_address_prefixes, .destination_port_ranges]]]' "$out"
	assert_output '["nsg-nva",["vnet-hub-weu/snet-nva"],["vm-fw1-weu"],[["allow-bgp",100,"Inbound","Allow",["10.1.1.0/27"],["179"]],["deny-admin",200,"Inbound","Deny",["Internet"],["22","3389"]]]]'
	# LB-01..LB-05: azurerm_lb, its pool's NIC associations, probe and HA ports rule
	run jq -c '.regions[0].hub.load_balancers' "$out"
	assert_output '[{"name":"lb-nva-weu","frontend":{"subnet":"snet-nva","ip":"10.1.2.10"},"backends":["vm-fw1-weu","vm-fw2-weu"],"ha_ports":true,"probe":{"protocol":"Tcp","port":22,"interval":5,"threshold":2}}]'
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
	assert_line --regexp '^User +Active +0\.0\.0\.0/0 +VirtualAppliance +10\.1\.2\.10$'
	assert_line --regexp '^User +Active +10\.250\.0\.0/16 +VirtualAppliance +10\.1\.2\.4$'
	refute_line --regexp '^VirtualNetworkGateway '
	# LB-04: spoke2's default route names the internal load balancer's
	# frontend; the walk crosses it to a firewall, then the ExpressRoute gateway
	run arsemu walk vm-web1 10.60.1.1 --topo "$out"
	assert_output --regexp '1 +vm-web1 +NIC vm-web1: User 0\.0\.0\.0/0 VirtualAppliance -> 10\.1\.2\.10 .*; load balancer lb-nva-weu: backend vm-fw[12]-weu \(HA ports, 5-tuple hash\)'
	assert_output --regexp '2 +vm-fw[12]-weu +NIC vm-fw[12]-weu: VirtualNetworkGateway 10\.60\.0\.0/16 VirtualNetworkGateway'
	# to the Internet: through the load balancer, then nsg-nva's defaults deny it at the firewall's subnet (NS-02)
	run arsemu walk vm-web1 8.8.8.8 --topo "$out"
	assert_output --partial "predicted (offline): denied by an NSG: denied by NSG nsg-nva, rule DenyAllInBound"
	assert_output --regexp 'load balancer lb-nva-weu: backend vm-fw[12]-weu'
	# flows spread over both backends
	run arsemu walk vm-web1 10.60.1.1 --topo "$out" --flows 16
	assert_output --partial 'backend vm-fw1-weu'
	assert_output --partial 'backend vm-fw2-weu'
}

# The topology of each import without what differs for a reason: the
# Terraform import writes azurerm's defaults (a VPN gateway's active_active,
# a tunnel's bgp), the az import leaves them out; sites come in file order.
same_estate() {
	jq -S 'del(.name, .description) | .sites |= sort_by(.name) |
	    .regions[].hub.gateways[]? |= (if .active_active == true then del(.active_active) else . end |
	        if .tunnels then .tunnels[] |= (if .bgp == true then del(.bgp) else . end) else . end)' "$1"
}

# The Terraform import given, as its warning asks, the prefixes each NVA
# advertises: what Route Server learned from it, as az lists it.
tf_advertise() {
	jq --argjson a "$(jq -c '[.RouteServiceRole_IN_0[].network]' "$AZTF/rs-learned-bgp-fw1.json")" \
	   --argjson b "$(jq -c '[.RouteServiceRole_IN_0[].network]' "$AZTF/rs-learned-bgp-fw2.json")" \
	    '(.regions[0].hub.nvas[] | select(.name == "vm-fw1-weu")) += {advertise: $a} |
	     (.regions[0].hub.nvas[] | select(.name == "vm-fw2-weu")) += {advertise: $b}' "$1"
}

AZTF=$BATS_TEST_DIRNAME/../import/az-tf

@test "import az of the Terraform estate (test/import/az-tf): the same topology; plan of every NIC equals the Terraform import's once its NVAs advertise" {
	local az=$BATS_TEST_TMPDIR/az.json tf=$BATS_TEST_TMPDIR/tf.json adv=$BATS_TEST_TMPDIR/tf-adv.json nic n=0
	run arsemu import az "$AZTF" -o "$az" --name lz
	assert_success
	# what the model cannot hold, one warning each; every other object
	# imported (the NSG too, compared with Terraform's below)
	assert_output "arsemu: warning: route-tables.json: [0].routes[1].addressPrefix: AzureCloud is a service tag, not imported"
	run arsemu validate "$az"
	assert_success
	assert_output --partial "valid: lab lz, 3 VNets, 14 nodes, 11 NICs"
	run arsemu import terraform "$TF/state.json" -o "$tf" --name lz
	assert_success
	assert_output --partial 'azurerm_route_server_bgp_connection.nva["fw2"]: NVA vm-fw2-weu: what it advertises is not in Terraform: add "advertise" to the topology'
	run arsemu validate "$tf"
	assert_success
	assert_output --partial "valid: lab lz, 3 VNets, 14 nodes, 11 NICs"
	# the NVAs are named after their VMs on both sides, whatever the peering is called
	run jq -c '[.regions[0].hub.nvas[] | [.name, .ip, .advertise]]' "$az"
	assert_output '[["vm-fw1-weu","10.1.2.4",["10.100.0.0/16","10.101.0.0/16"]],["vm-fw2-weu","10.1.2.5",["10.100.0.0/16","10.101.0.0/16"]],["afw-hub-weu","10.1.3.4",null]]'
	tf_advertise "$tf" > "$adv"
	diff -u <(same_estate "$adv") <(same_estate "$az")
	# every NIC's effective routes, as plan computes them, the same
	run jq -r 'keys[]' <(arsemu plan "$adv" --json 2>/dev/null)
	assert_line --index 0 afw-hub-weu
	assert_equal "${#lines[@]}" 11
	for nic in "${lines[@]}"; do
		diff -u <(arsemu plan "$adv" "$nic" --json 2>/dev/null) <(arsemu plan "$az" "$nic" --json 2>/dev/null) ||
			fail "plan of $nic differs"
		n=$((n + 1))
	done
	[ "$n" = 11 ]
	diff -u <(arsemu plan "$adv" --json 2>/dev/null) <(arsemu plan "$az" --json 2>/dev/null)
	diff -u <(arsemu reach "$adv" 2>/dev/null) <(arsemu reach "$az" 2>/dev/null)
	# the same load balancer both ways: a walk through it takes the same backends
	diff -u <(arsemu walk vm-web1 10.60.1.1 --topo "$adv" --flows 8 2>/dev/null) <(arsemu walk vm-web1 10.60.1.1 --topo "$az" --flows 8 2>/dev/null)
	# the order of the lists does not matter: the lab gives gateways the
	# free addresses of GatewaySubnet in topology order, and the importers
	# order them by the addresses they have (az may list ergw before vgw,
	# terraform show -json sorts module.hub.module.expressroute first)
	local d=$BATS_TEST_TMPDIR/order f
	cp -r "$AZTF" "$d"
	for f in vnet-gateways nics vnets route-tables; do
		jq 'reverse | .[].subnets? |= reverse | .[].routes? |= reverse' "$AZTF/$f.json" > "$d/$f.json"
	done
	run arsemu import az "$d" -o "$BATS_TEST_TMPDIR/order.json" --name lz
	refute_output --partial "the lab gives it"
	# (plan --json lists the NICs in topology order: spoke2's first now)
	diff -u <(arsemu plan "$az" --json 2>/dev/null | jq -S .) \
	    <(arsemu plan "$BATS_TEST_TMPDIR/order.json" --json 2>/dev/null | jq -S .)
	jq '.values.root_module.child_modules |= sort_by(.address) | .values.root_module.child_modules[].child_modules |= sort_by(.address)' \
	    "$TF/state.json" > "$BATS_TEST_TMPDIR/sorted.json"
	run arsemu import terraform "$BATS_TEST_TMPDIR/sorted.json" -o "$tf" --name lz
	refute_output --partial "the lab gives it"
	tf_advertise "$tf" > "$adv"
	diff -u <(arsemu plan "$adv" --json 2>/dev/null) <(arsemu plan "$az" --json 2>/dev/null)
	# the NVAs' prefixes reach the spoke without a route table over Route Server, ECMP
	run arsemu plan "$az" vm-app1
	assert_line --regexp '^VirtualNetworkGateway +Active +10\.100\.0\.0/16 +VirtualNetworkGateway +10\.1\.2\.4$'
	assert_line --regexp '^VirtualNetworkGateway +Active +10\.100\.0\.0/16 +VirtualNetworkGateway +10\.1\.2\.5$'
	assert_line --regexp '^VirtualNetworkGateway +Active +10\.61\.0\.0/16 +VirtualNetworkGateway +10\.1\.0\.7$'
	# without them the Terraform import lacks exactly those routes
	run diff <(arsemu plan "$tf" vm-app1 2>/dev/null) <(arsemu plan "$az" vm-app1 2>/dev/null)
	assert_failure
	assert_equal "$(grep -c '^>' <<< "$output")" 4
	assert_equal "$(grep -c '^<' <<< "$output")" 0
}

@test "import az of the Terraform estate: up; live routes equal plan for every NIC; a walk through the firewall observed as predicted; learned routes import back the same; down" {
	require_root
	local lab=$ARSEMU_T-aztf out=$BATS_TEST_TMPDIR/aztf.json d=$BATS_TEST_TMPDIR/live nic n=0
	arsemu import az "$AZTF" -o "$out" --name "$lab" 2>/dev/null
	run arsemu up "$out" --name "$lab"
	assert_success
	for nic in $(arsemu plan "$out" --json 2>/dev/null | jq -r 'keys[]'); do
		diff -u <(arsemu plan "$out" "$nic" --json 2>/dev/null) \
			<(arsemu routes "$nic" --name "$lab" --json) ||
			fail "plan and routes differ for $nic"
		n=$((n + 1))
	done
	[ "$n" = 11 ]
	run arsemu walk vm-web1 vm-app1 --name "$lab" --both-ways
	assert_success
	assert_output --partial "observed: delivered; forwarded by: afw-hub-weu"
	refute_output --partial MISMATCH
	# the lab's Route Server and gateways, asked as az asks Azure's, give
	# learned routes that import to the same topology
	cp -r "$AZTF" "$d"
	arsemu rs vnet-hub-weu learned vm-fw1-weu --name "$lab" --json > "$d/rs-learned-bgp-fw1.json"
	arsemu rs vnet-hub-weu learned vm-fw2-weu --name "$lab" --json > "$d/rs-learned-bgp-fw2.json"
	arsemu gateway vgw-hub-weu learned --name "$lab" --json > "$d/gw-learned-vgw-hub-weu.json"
	arsemu gateway ergw-hub-weu learned --name "$lab" --json > "$d/gw-learned-ergw-hub-weu.json"
	run jq -r '[.value[] | select(.origin == "EBgp") | .network] | unique | join(" ")' "$d/gw-learned-ergw-hub-weu.json"
	assert_output "10.60.0.0/16 10.61.0.0/16"
	arsemu import az "$d" -o "$BATS_TEST_TMPDIR/again.json" --name "$lab" 2>/dev/null
	diff -u "$out" "$BATS_TEST_TMPDIR/again.json"
	run arsemu down "$lab"
	assert_success
	run lab_namespaces "$lab"
	assert_output ""
}

@test "import terraform: a plan adding a spoke in modules: a NIC's subnet_id, known after apply, followed across modules (var., module output); a second NIC and ip_configuration warned" {
	local p3=$BATS_TEST_TMPDIR/spoke3.json out=$BATS_TEST_TMPDIR/p3.json w=module.spoke3.module.workload
	jq -f "$TF/add-spoke3.jq" "$TF/plan.json" > "$p3"
	run arsemu import terraform "$p3" -o "$out"
	assert_success
	assert_output --partial "$w.azurerm_network_interface.app3: assumed: private_ip_address is known after apply; 10.4.1.4, the first free address of snet-app from .4 up"
	refute_output --partial "app3: its"
	run jq -c '.regions[0].spokes[2] | [.name, .use_remote_gateways, .vms]' "$out"
	assert_output '["vnet-spoke3-weu",true,[{"name":"vm-app3","subnet":"snet-app","ip":"10.4.1.4"}]]'
	run arsemu validate "$out"
	assert_success
	run arsemu diff --terraform "$p3"
	assert_failure 1
	assert_line "NICs added to vnet-spoke3-weu/snet-app (1): vm-app3"
	# a second ip_configuration (its static address taken) and a second NIC
	jq -f "$TF/multi-nic.jq" "$p3" > "$BATS_TEST_TMPDIR/multi.json"
	run arsemu import terraform "$BATS_TEST_TMPDIR/multi.json" -o "$out"
	assert_success
	assert_output --partial "$w.azurerm_network_interface.app3: 2 ip_configuration blocks: only the primary one is imported (a node has one address)"
	assert_output --partial "$w.azurerm_network_interface.app3b: a second NIC of $w.azurerm_linux_virtual_machine.app3: not imported: arsemu gives a VM one NIC; extra NICs are an NVA's without BGP (NV-01)"
	assert_output --partial "$w.azurerm_network_interface.app3b: assumed: private_ip_address is known after apply; 10.4.1.6,"
	run jq -c '.regions[0].spokes[2].vms' "$out"
	assert_output '[{"name":"vm-app3","subnet":"snet-app","ip":"10.4.1.4"}]'
	# references that loop, or lead nowhere: a warning, soon
	jq '.configuration.root_module.module_calls.spoke3.module.module_calls.workload |=
	    (.expressions.subnet_id.references = ["module.workload.x"] |
	     .module.outputs = {x: {expression: {references: ["var.subnet_id", "var.subnet_id", "module.nope.y"]}}})' \
	    "$p3" > "$BATS_TEST_TMPDIR/loop.json"
	run timeout 10 "$ARSEMU" import terraform "$BATS_TEST_TMPDIR/loop.json" -o "$out"
	assert_success
	assert_output --partial "$w.azurerm_network_interface.app3: its subnet_id is known after apply and the configuration's references lead to no subnet of the file: skipped"
	run arsemu validate "$out"
	assert_success
}

@test "import terraform: PE-07 a peering of two spokes is both spokes' peerings, each side's flags; plan has the VNetPeering routes" {
	local out=$BATS_TEST_TMPDIR/lz.json
	arsemu import terraform "$TF/state.json" -o "$out" 2>/dev/null
	run jq -c '[.regions[0].spokes[] | [.name, .peerings]]' "$out"
	assert_output '[["vnet-spoke1-weu",[{"vnet":"vnet-spoke2-weu","allow_forwarded_traffic":false}]],["vnet-spoke2-weu",[{"vnet":"vnet-spoke1-weu","allow_forwarded_traffic":true}]]]'
	run arsemu plan "$out" vm-app1
	assert_line --regexp '^Default +Active +10\.3\.0\.0/16 +VNetPeering *$'
	# spoke2's route table sends spoke1 through the Azure Firewall (VR-08)
	run arsemu plan "$out" vm-web1
	assert_line --regexp '^Default +Invalid +10\.2\.0\.0/16 +VNetPeering *$'
	run arsemu walk vm-app1 vm-web1 --topo "$out"
	assert_output --partial 'predicted (offline): delivered'
	# one side only, and use_remote_gateways between spokes: warnings with the address
	jq 'del(.values.root_module.resources[] | select(.address == "azurerm_virtual_network_peering.spoke2_to_spoke1")) |
	    (.values.root_module.resources[] | select(.address == "azurerm_virtual_network_peering.spoke1_to_spoke2") | .values.use_remote_gateways) = true' \
	    "$TF/state.json" > "$BATS_TEST_TMPDIR/one.json"
	run arsemu import terraform "$BATS_TEST_TMPDIR/one.json" -o "$out"
	assert_success
	assert_output --partial "one.json: azurerm_virtual_network_peering.spoke1_to_spoke2: use_remote_gateways between two spokes (vnet-spoke1-weu, vnet-spoke2-weu): vnet-spoke2-weu has no Route Server and no spoke has a gateway (PE-03, PE-07): imported without it"
	assert_output --partial "one.json: module.spoke1.module.network.azurerm_virtual_network.this: only vnet-spoke1-weu's side of its peering with vnet-spoke2-weu is in the file"
	run arsemu validate "$out"
	assert_success
}

@test "import terraform: RS-55 azurerm_firewall is an NVA without BGP in AzureFirewallSubnet; a route to it walks through it; its address assumed when known after apply" {
	local out=$BATS_TEST_TMPDIR/lz.json
	run arsemu import terraform "$TF/state.json" -o "$out"
	assert_success
	refute_output --partial "azurerm_firewall"
	run jq -c '.regions[0].hub.nvas[] | select(.subnet == "AzureFirewallSubnet")' "$out"
	assert_output '{"name":"afw-hub-weu","subnet":"AzureFirewallSubnet","ip":"10.1.3.4","bgp":false}'
	run arsemu plan "$out" vm-web1
	assert_line --regexp '^User +Active +10\.2\.0\.0/16 +VirtualAppliance +10\.1\.3\.4$'
	run arsemu walk vm-web1 vm-app1 --topo "$out"
	assert_output --partial 'predicted (offline): delivered'
	assert_output --regexp '2 +afw-hub-weu +NIC afw-hub-weu: Default 10\.2\.0\.0/16 VNetPeering'
	# a plan that creates it: the address is known after apply
	local fw='module.hub.module.firewall.azurerm_firewall.this'
	jq --arg a "$fw" '(.planned_values.root_module.child_modules[] | .. | objects | select(.address? == $a) | .values.ip_configuration[0].private_ip_address) = null |
	    (.resource_changes[] | select(.address == $a) | .change) |= (.actions = ["create"] | .before = null |
	    .after.ip_configuration[0].private_ip_address = null | .after_unknown = {"id": true, "ip_configuration": [{"private_ip_address": true}]})' \
	    "$TF/plan.json" > "$BATS_TEST_TMPDIR/fw-plan.json"
	run arsemu import terraform "$BATS_TEST_TMPDIR/fw-plan.json" -o "$out"
	assert_success
	assert_output --partial "fw-plan.json: $fw: assumed: private_ip_address is known after apply; 10.1.3.4, the first free address of AzureFirewallSubnet from .4 up, as Azure allocates"
	run jq -r '.regions[0].hub.nvas[2].ip' "$out"
	assert_output 10.1.3.4
	# in another subnet, or without a subnet: a warning naming the address
	jq --arg a "$fw" '(.values.root_module.child_modules[] | .. | objects | select(.address? == $a) | .values.ip_configuration[0].subnet_id) |= sub("AzureFirewallSubnet$"; "snet-nva")' \
	    "$TF/state.json" > "$BATS_TEST_TMPDIR/fw-sub.json"
	run arsemu import terraform "$BATS_TEST_TMPDIR/fw-sub.json" -o "$out"
	assert_success
	assert_output --partial "fw-sub.json: $fw: in subnet snet-nva of vnet-hub-weu, not AzureFirewallSubnet: skipped"
	jq --arg a "$fw" '(.values.root_module.child_modules[] | .. | objects | select(.address? == $a) | .values.ip_configuration) = []' \
	    "$TF/state.json" > "$BATS_TEST_TMPDIR/fw-hub.json"
	run arsemu import terraform "$BATS_TEST_TMPDIR/fw-hub.json" -o "$out"
	assert_success
	assert_output --partial "fw-hub.json: $fw: no ip_configuration with a subnet_id (a Virtual WAN hub's firewall?): not imported"
	# a firewall in a spoke: one hub per region, the one with the Route Server and gateways
	jq --arg a "$fw" '(.values.root_module.child_modules[] | .. | objects | select(.address? == $a) | .values.ip_configuration[0].subnet_id) |= sub("vnet-hub-weu/subnets/"; "vnet-spoke1-weu/subnets/") |
	    (.values.root_module.child_modules[] | .. | objects | select(.address? == "module.spoke1.module.network.azurerm_virtual_network.this") | .values.subnet) += [{"name": "AzureFirewallSubnet", "address_prefixes": ["10.2.9.0/26"]}]' \
	    "$TF/state.json" > "$BATS_TEST_TMPDIR/fw-spoke.json"
	run arsemu import terraform "$BATS_TEST_TMPDIR/fw-spoke.json" -o "$out"
	assert_success
	assert_output --partial "fw-spoke.json: module.spoke1.module.network.azurerm_virtual_network.this: a second hub in westeurope: arsemu has one per region, vnet-hub-weu, and a spoke has no gateway or Azure Firewall; imported as a spoke, its Route Server, gateways and firewalls left out"
	run jq -c '[.regions[0].hub.name, [.regions[0].spokes[].name]]' "$out"
	assert_output '["vnet-hub-weu",["vnet-spoke1-weu","vnet-spoke2-weu"]]'
	run arsemu validate "$out"
	assert_success
}

@test "import terraform: ExpressRoute: the gateway, its connection and circuit, the circuit's site (prefixes from its tag arsemu-prefixes, ASN from the private peering); what is missing is a warning naming the address" {
	local out=$BATS_TEST_TMPDIR/lz.json er=module.hub.module.expressroute
	run arsemu import terraform "$TF/state.json" -o "$out"
	assert_success
	refute_output --partial "expressroute"
	run jq -c '.regions[0].hub.gateways[1], (.sites[] | select(.name == "erc-dc-ams"))' "$out"
	assert_line --index 0 '{"name":"ergw-hub-weu","type":"ExpressRoute","circuit":{"site":"erc-dc-ams","weight":10}}'
	assert_line --index 1 '{"name":"erc-dc-ams","prefixes":["10.60.0.0/16","10.61.0.0/16"],"asn":65020}'
	# the VPN gateway has .4 and .5 of GatewaySubnet, the ER gateway .6 and .7
	run arsemu plan "$out" vm-app1
	assert_line --regexp '^VirtualNetworkGateway +Active +10\.60\.0\.0/16 +VirtualNetworkGateway +10\.1\.0\.6$'
	assert_line --regexp '^VirtualNetworkGateway +Active +10\.61\.0\.0/16 +VirtualNetworkGateway +10\.1\.0\.7$'
	# a circuit without the tag: the gateway, connection and circuit are warnings, the rest imports
	jq --arg a "$er.azurerm_express_route_circuit.dc" '(.values.root_module.child_modules[] | .. | objects | select(.address? == $a) | .values.tags) = {}' \
	    "$TF/state.json" > "$BATS_TEST_TMPDIR/notag.json"
	run arsemu import terraform "$BATS_TEST_TMPDIR/notag.json" -o "$out"
	assert_success
	assert_output --partial "notag.json: $er.azurerm_express_route_circuit.dc: the networks behind the circuit are not in Terraform: tag it \"arsemu-prefixes\""
	assert_output --partial "notag.json: $er.azurerm_virtual_network_gateway.er: ExpressRoute gateway: no circuit of the file is imported for it: skipped"
	run arsemu validate "$out"
	assert_success
	# no private peering: no ASN, no circuit (a warning); a bad prefix in the tag: left out, named
	jq --arg a "$er.azurerm_express_route_circuit.dc" --arg p "$er.azurerm_express_route_circuit_peering.private" \
	    'del(.values.root_module.child_modules[] | .. | objects | select(.address? == $p)) |
	    (.values.root_module.child_modules[] | .. | objects | select(.address? == $a) | .values.tags["arsemu-prefixes"]) = "10.60.0.0/16 bogus"' \
	    "$TF/state.json" > "$BATS_TEST_TMPDIR/nopeer.json"
	run arsemu import terraform "$BATS_TEST_TMPDIR/nopeer.json" -o "$out"
	assert_success
	assert_output --partial "nopeer.json: $er.azurerm_express_route_circuit.dc: tags.arsemu-prefixes: bogus is not a prefix: left out"
	assert_output --partial "nopeer.json: $er.azurerm_express_route_circuit.dc: no azurerm_express_route_circuit_peering (AzurePrivatePeering) gives its peer_asn, which the site's BGP needs (GW-01): its connections are not imported"
	assert_output --partial "nopeer.json: $er.azurerm_virtual_network_gateway.er: ExpressRoute gateway: no circuit of the file is imported for it: skipped"
	run jq -c '[.sites[].name]' "$out"
	assert_output '["lgw-branch"]'
	run arsemu validate "$out"
	assert_success
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
	assert_output '[true,3,3,12,5]'
}

@test "diff --terraform: the plan's route table changes spoke1's effective routes; exit 1; --json and --markdown" {
	run arsemu diff --terraform "$TF/plan.json"
	assert_failure 1
	assert_line --index 0 --partial "changed: effective routes of 1 of 6 subnets (1 group), 1 NIC added or removed"
	assert_line "subnets changed: vnet-spoke1-weu/snet-app (1 subnet, 2 NICs)"
	assert_line "    - Internet - (Default, Active)"
	assert_line "    + VirtualAppliance 10.1.2.4 (User, Active, default-via-fw)"
	assert_line "NICs added to vnet-spoke1-weu/snet-app (1): vm-app2"
	# the same differential reachability as diff OLD NEW: spoke1 to the
	# Internet now goes to the firewall, whose subnet's NSG (default rules
	# and allow-bgp only) denies what it would forward (NS-02, NS-03),
	# whatever the service (all six the NSG's ports make)
	assert_line "  subnet:vnet-spoke1-weu/snet-app -> internet (all, 2 pairs)"
	assert_line "    - delivered: vm-app1 > internet"
	assert_line "    + denied by NSG nsg-nva, rule DenyAllInBound (Inbound, on subnet vnet-hub-weu/snet-nva of vm-fw1-weu): vm-app1"
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

@test "import terraform: a load balancer the model cannot hold is a warning naming the resource address; the rest is imported" {
	local s=$BATS_TEST_TMPDIR/state.json out=$BATS_TEST_TMPDIR/lz.json
	local m='module.hub.module.nva'
	# a pool member whose NIC is not in the file, a spoke VM's NIC in the
	# pool, an Http probe with a path, a port rule that translates the port,
	# a load balancer in a spoke and a public one
	jq --arg m "$m" '(.values.root_module.child_modules[] | select(.address == "module.hub") | .child_modules[] | select(.address == $m) | .resources) |= (
	    . as $r | ($r[] | select(.type == "azurerm_lb_rule")) as $rule | ($r[] | select(.type == "azurerm_lb")) as $lb |
	    (map(if .type == "azurerm_lb_probe" then .values += {protocol: "Http", request_path: "/healthz"} else . end)) + [
	    (($r[] | select(.address | endswith("association.nva[\"fw1\"]"))) | .address |= sub("fw1"; "gone") | .index = "gone" |
	        .values.network_interface_id |= sub("nic-fw1-weu"; "nic-gone")),
	    (($r[] | select(.address | endswith("association.nva[\"fw2\"]"))) | .address |= sub("fw2"; "fw2b") | .index = "fw2b" |
	        .values.ip_configuration_name = "ipconfig2"),
	    (($r[] | select(.address | endswith("association.nva[\"fw1\"]"))) | .address |= sub("fw1"; "app1") | .index = "app1" |
	        .values.network_interface_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-spoke1-weu/providers/Microsoft.Network/networkInterfaces/nic-app1"),
	    ($rule | .address = "\($m).azurerm_lb_rule.web" | .name = "web" | .values += {id: (.values.id | sub("ha-ports"; "web")), name: "web", protocol: "Tcp", frontend_port: 80, backend_port: 8080}),
	    ($lb | .address = "\($m).azurerm_lb.spoke" | .name = "spoke" | .values += {id: (.values.id | sub("lb-nva-weu"; "lb-spoke")), name: "lb-spoke"} |
	        .values.frontend_ip_configuration[0] += {private_ip_address: "10.2.1.100", subnet_id: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-spoke1-weu/providers/Microsoft.Network/virtualNetworks/vnet-spoke1-weu/subnets/snet-app"}),
	    ($lb | .address = "\($m).azurerm_lb.pub" | .name = "pub" | .values += {id: (.values.id | sub("lb-nva-weu"; "lb-pub")), name: "lb-pub"} |
	        .values.frontend_ip_configuration[0] = {name: "pub", public_ip_address_id: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/pip", private_ip_address: "", subnet_id: ""})])' \
	    "$TF/state.json" > "$s"
	run arsemu import terraform "$s" -o "$out"
	assert_success
	assert_output --partial "warning: $s: $m.azurerm_network_interface_backend_address_pool_association.nva[\"gone\"]: its NIC is not in the file (or not imported): backend left out"
	assert_output --partial "warning: $s: $m.azurerm_network_interface_backend_address_pool_association.nva[\"app1\"]: NIC module.spoke1.module.workload.azurerm_network_interface.app1 is VM vm-app1's, not an NVA's"
	assert_output --partial "warning: $s: $m.azurerm_network_interface_backend_address_pool_association.nva[\"fw2b\"]: ip_configuration ipconfig2 of NIC $m.azurerm_network_interface.nva[\"fw2\"] is not the one arsemu gives it (ipconfig1, its primary): backend left out"
	assert_output --partial "warning: $s: $m.azurerm_lb_probe.nva: the probe's request path is not modelled: the lab probes the port as Tcp does (LB-05)"
	assert_output --partial "warning: $s: $m.azurerm_lb_rule.web: frontend and backend ports differ: arsemu's load balancers translate no port (LB-02): rule not imported"
	# a spoke's load balancer is imported (PE-08); this one has no rule
	assert_output --partial "warning: $s: $m.azurerm_lb.spoke: no load-balancing rule arsemu can hold: the frontend forwards nothing; load balancer not imported"
	assert_output --partial "warning: $s: $m.azurerm_lb.pub: no frontend_ip_configuration with a subnet_id (a public load balancer?): arsemu models internal load balancers; not imported"
	run jq -c '[.regions[0].hub.load_balancers[] | [.name, .backends, .ha_ports, .probe.protocol]]' "$out"
	assert_output '[["lb-nva-weu",["vm-fw1-weu","vm-fw2-weu"],true,"Http"]]'
	run arsemu validate "$out"
	assert_success
	# a pool of no NVA, or no rule: the load balancer is not imported, said so
	jq 'del(.. | objects | select(.type? == "azurerm_network_interface_backend_address_pool_association"))' "$TF/state.json" > "$s"
	run arsemu import terraform "$s" -o "$out"
	assert_success
	assert_output --partial "$m.azurerm_lb.ilb: no NVA in its backend pool: load balancer not imported (arsemu's pools hold NVAs, LB-03)"
	jq 'del(.. | objects | select(.type? == "azurerm_lb_rule"))' "$TF/state.json" > "$s"
	run arsemu import terraform "$s" -o "$out"
	assert_success
	assert_output --partial "$m.azurerm_lb.ilb: no load-balancing rule arsemu can hold: the frontend forwards nothing; load balancer not imported"
	assert_output --partial "$m.azurerm_lb_backend_address_pool.nva: a pool no imported rule uses: not imported"
	run jq -c '.regions[0].hub.load_balancers' "$out"
	assert_output null
	# the route to the frontend then leads nowhere: validate says so
	run arsemu validate "$out"
	assert_output --partial "10.1.2.10"
}

@test "import terraform: RS-55 NICs with IP forwarding and no BGP connection are NVAs without BGP, the load balancer's backends; PE-08 a spoke's NVA connected to the hub's Route Server is the spoke's; plan equals the hand-written estate's and import az's" {
	# test/import/terraform/nva.json is the estate of test/import/az-nva
	# (az-nva.json by hand): Terraform does not hold what the transit NVA
	# advertises, the one warning; given, plan is the same
	local out=$BATS_TEST_TMPDIR/nva.json adv=$BATS_TEST_TMPDIR/nva-adv.json az=$BATS_TEST_TMPDIR/az.json
	run arsemu import terraform "$TF/nva.json" -o "$out" --name nva
	assert_success
	assert_output "arsemu: warning: $TF/nva.json: azurerm_route_server_bgp_connection.tnva: NVA vm-tnva-weu: what it advertises is not in Terraform: add \"advertise\" to the topology"
	run arsemu validate "$out"
	assert_success
	assert_output "$out: valid: lab nva, 3 VNets, 6 nodes, 7 NICs"
	run jq -c '.regions[0].hub | [.nvas, .load_balancers[0].backends]' "$out"
	assert_output '[[{"name":"vm-nva1-weu","subnet":"snet-nva","ip":"10.10.2.4","bgp":false,"nics":[{"name":"nic-nva1-trust-weu","subnet":"snet-trust","ip":"10.10.3.4","ip_forwarding":true}]},{"name":"vm-nva2-weu","subnet":"snet-nva","ip":"10.10.2.5","bgp":false}],["vm-nva1-weu","vm-nva2-weu"]]'
	run jq -c '.regions[0].spokes[1] | [.name, .nvas]' "$out"
	assert_output '["vnet-transit-weu",[{"name":"vm-tnva-weu","subnet":"snet-nva","ip":"10.12.1.4","asn":65020,"route_servers":["vnet-hub-weu"]}]]'
	jq '(.regions[0].spokes[].nvas[]? | select(.name == "vm-tnva-weu")) += {advertise: ["10.20.0.0/14"]}' "$out" > "$adv"
	diff -u <(arsemu plan "$TOP/test/import/az-nva.json" --json 2>/dev/null) <(arsemu plan "$adv" --json 2>/dev/null)
	diff -u <(arsemu plan "$TOP/test/import/az-nva.json" 2>/dev/null) <(arsemu plan "$adv" 2>/dev/null)
	diff -u <(arsemu walk vm-app1-weu 192.0.2.1 --topo "$TOP/test/import/az-nva.json" --flows 8 2>/dev/null) <(arsemu walk vm-app1-weu 192.0.2.1 --topo "$adv" --flows 8 2>/dev/null)
	# the same estate as az prints it imports the same
	arsemu import az "$TOP/test/import/az-nva" -o "$az" --name nva
	diff -u <(same_estate "$adv") <(same_estate "$az")
	# a BGP connection with an NVA in a VNet not directly peered with the hub: a warning naming its address
	jq '.values.root_module.resources |= map(select(.address | test("peering\\.(hub_to_transit|transit_to_hub)") | not))' "$TF/nva.json" > "$BATS_TEST_TMPDIR/unpeered.json"
	run arsemu import terraform "$BATS_TEST_TMPDIR/unpeered.json" -o "$out"
	assert_success
	assert_output --partial "azurerm_route_server_bgp_connection.tnva: peer_ip 10.12.1.4 is in VNet vnet-transit-weu, not in hub vnet-hub-weu nor in a VNet directly peered with it"
	run arsemu validate "$out"
	assert_success
}
