#!/usr/bin/env bats
# arsemu import az (issue 9): a topology from what the az CLI prints, saved
# as files. test/import/az holds a hub with a Route Server, two spokes
# peered with useRemoteGateways, two NVAs peering the Route Server and a
# route table on a spoke subnet, in the documented az/REST shapes (a VNet
# list with its peerings, per-VNet peering lists, `routeserver show`, its
# `peering list`, `route-table list`); test/import/broken has a VNet
# without its address space. test/import/az-landing is a landing zone as
# az prints it (issue 20): a hub with Route Server, two NVAs behind an
# internal load balancer, an Azure Firewall, an active-active VPN gateway
# with a local network gateway and a connection, an ExpressRoute gateway
# with a circuit and a connection, NICs, the Route Server's and gateways'
# learned routes, two spokes peered with each other too, with route
# tables, an NSG; test/import/az-landing.json is the same
# estate written by hand. test/import/az-nva is a hub whose two NVAs peer
# with no Route Server (IP forwarding on, behind an internal load
# balancer, RS-55) and a transit spoke whose NVA peers with the hub's Route
# Server (PE-08); test/import/az-nva.json is it by hand, and
# test/import/terraform/nva.json as terraform show -json prints it. Only
# the live test needs root.

load helpers

teardown() { down_labs; }

@test "import az: the fixture becomes a topology that validates; spoke VMs from their NICs, NVAs from the RS peerings" {
	local out=$BATS_TEST_TMPDIR/contoso.json
	run arsemu import az "$TOP/test/import/az" -o "$out" --name contoso
	assert_success
	# what az cannot say, and what arsemu cannot model, are warnings with file and path
	assert_output --partial 'warning: routeserver-peerings.json: [0]: NVA fw1: what it advertises is not in'
	assert_output --partial "warning: vnets.json: [2].name: VNet Spoke2_VNet is called spoke2-vnet"
	assert_output --partial "warning: route-tables.json: [0].routes[1].addressPrefix: AzureCloud is a service tag"
	run arsemu validate "$out"
	assert_success
	assert_output --partial "valid: lab contoso, 3 VNets, 6 nodes, 6 NICs"
	run jq -c '.regions[0].hub | [.name, .route_server, [.nvas[] | [.name, .asn, .ip]]]' "$out"
	assert_output '["hub-vnet",{"branch_to_branch":false,"hub_routing_preference":"ExpressRoute"},[["fw1",65010,"10.1.2.4"],["fw2",65010,"10.1.2.5"]]]'
	run jq -c '[.regions[0].spokes[] | [.name, .use_remote_gateways, .vms[0].name]]' "$out"
	assert_output '[["spoke1-vnet",true,"app1"],["spoke2-vnet",true,"web1"]]'
}

@test "import az: plan of the imported topology for a spoke VM's NIC (UDR to the firewall, VR-08)" {
	local out=$BATS_TEST_TMPDIR/contoso.json
	arsemu import az "$TOP/test/import/az" -o "$out" 2>/dev/null
	run arsemu plan "$out" app1 --json
	assert_success
	run jq -c '[.value[] | [.source, .state, .addressPrefix[0], .nextHopType, (.nextHopIpAddress | join(","))]]' <(arsemu plan "$out" app1 --json)
	assert_output '[["Default","Active","10.2.0.0/16","VnetLocal",""],["Default","Active","10.1.0.0/16","VNetPeering",""],["Default","Invalid","0.0.0.0/0","Internet",""],["User","Active","0.0.0.0/0","VirtualAppliance","10.1.2.4"]]'
	run jq -c '[.value[] | select(.state == "Active") | .addressPrefix[0]]' <(arsemu plan "$out" web1 --json)
	assert_output '["10.3.0.0/16","10.1.0.0/16","0.0.0.0/0","10.0.0.0/8","100.64.0.0/10","172.16.0.0/12","192.168.0.0/16"]'
}

@test "import az: to stdout; --json summary" {
	run bash -c "'$ARSEMU' import az '$TOP/test/import/az' 2>/dev/null | jq -r .regions[0].hub.name"
	assert_output hub-vnet
	run arsemu import az "$TOP/test/import/az" -o "$BATS_TEST_TMPDIR/t.json" --json
	assert_success
	run jq -c '[.valid, .vnets, .nvas, .nics, (.warnings | length)]' <(arsemu import az "$TOP/test/import/az" -o "$BATS_TEST_TMPDIR/t.json" --json)
	assert_output '[true,3,2,6,4]'
}

@test "import az: a broken file is an error naming the file and the JSON path" {
	run arsemu import az "$TOP/test/import/broken"
	assert_failure 2
	assert_output "arsemu: import az $TOP/test/import/broken: vnets.json: [1].addressSpace.addressPrefixes: VNet hub-vnet has no address space"
	local d=$BATS_TEST_TMPDIR/notjson
	mkdir "$d"
	printf '[\n  { "name": "x",\n    "type": }\n]\n' > "$d/vnets.json"
	run arsemu import az "$d"
	assert_failure 2
	assert_output --partial "vnets.json: not JSON (line 3, column"
	run arsemu import az "$BATS_TEST_TMPDIR/none"
	assert_failure 2
	assert_output --partial "cannot open the directory"
	run arsemu import gcp "$TOP/test/import/az"
	assert_failure 2
}

@test "import az: an unsupported resource is a warning with its file and path, the rest is imported" {
	local d=$BATS_TEST_TMPDIR/az
	cp -r "$TOP/test/import/az" "$d"
	printf '[{"name": "hub-nat", "type": "Microsoft.Network/natGateways"}]\n' > "$d/nat.json"
	run arsemu import az "$d" -o "$BATS_TEST_TMPDIR/t.json"
	assert_success
	assert_output --partial "warning: nat.json: [0]: NAT gateway hub-nat is not modelled"
	run arsemu validate "$BATS_TEST_TMPDIR/t.json"
	assert_success
}

@test "import az: an empty directory, a symlink to /dev/zero and text after the JSON are clear errors" {
	local d=$BATS_TEST_TMPDIR/empty
	mkdir "$d"
	run arsemu import az "$d"
	assert_failure 2
	assert_output --partial "no *.json files"
	ln -s /dev/zero "$d/zero.json"
	run arsemu import az "$d"
	assert_failure 2
	assert_output --partial "zero.json: the file is larger than 16777216 bytes"
	rm "$d/zero.json"
	printf '[]\n]garbage\n' > "$d/vnets.json"
	run arsemu import az "$d"
	assert_failure 2
	assert_output --partial "vnets.json: not JSON (line 2, column 1): malformed JSON: text after the end of the document"
}

@test "import az: a landing zone imports with nothing the model holds dropped; plan equals the hand-written estate's" {
	local out=$BATS_TEST_TMPDIR/landing.json
	run arsemu import az "$TOP/test/import/az-landing" -o "$out" --name landing
	assert_success
	# what the model cannot hold: one specific warning each, nothing else
	assert_output "arsemu: warning: nsgs.json: [0].securityRules[1].destinationAddressPrefixes: Storage is not an address, a prefix or a service tag arsemu knows (VirtualNetwork, Internet, AzureLoadBalancer, NS-03): rule not imported"
	run arsemu validate "$out"
	assert_success
	assert_output --partial "valid: lab landing, 3 VNets, 15 nodes, 12 NICs"
	run jq -c '.regions[0].hub | [[.gateways[] | [.name, .type, .active_active, (.tunnels // [.circuit])]], [.nvas[] | [.name, .ip, .advertise, .prepend, .next_hop]], [.vms[] | [.name, .ip]]]' "$out"
	assert_output '[[["hub-vpngw","Vpn",null,[{"site":"branch-lng"}]],["hub-ergw","ExpressRoute",null,[{"site":"dc-circuit","weight":10}]]],[["nva1","10.0.2.4",["0.0.0.0/0","10.200.0.0/16"],null,"10.0.2.100"],["nva2","10.0.2.5",["0.0.0.0/0","10.200.0.0/16"],1,"10.0.2.100"],["hub-azfw","10.0.4.4",null,null,null]],[["jump1","10.0.3.4"]]]'
	run jq -c '[.sites[] | [.name, .prefixes, .asn]]' "$out"
	assert_output '[["dc-circuit",["10.60.0.0/16"],65020],["branch-lng",["10.250.0.0/16","10.251.0.0/16"],65050]]'
	# LB-01..LB-05: the internal load balancer, its pool's NICs as the NVAs they are
	run jq -c '.regions[0].hub.load_balancers' "$out"
	assert_output '[{"name":"nva-ilb","frontend":{"subnet":"nva","ip":"10.0.2.100"},"backends":["nva1","nva2"],"ha_ports":true,"probe":{"protocol":"Tcp","port":22,"interval":5,"threshold":2}}]'
	# NS-01: the NSG, its rules (the one with a Storage tag left out), its subnet and NIC
	diff -u <(jq -S .network_security_groups "$TOP/test/import/az-landing.json") <(jq -S .network_security_groups "$out")
	# every NIC's effective routes, as plan computes them, equal the hand-written estate's
	diff -u <(arsemu plan "$TOP/test/import/az-landing.json" --json 2>/dev/null) <(arsemu plan "$out" --json 2>/dev/null)
	diff -u <(arsemu plan "$TOP/test/import/az-landing.json" 2>/dev/null) <(arsemu plan "$out" 2>/dev/null)
	run arsemu plan "$out" app1
	assert_output --regexp 'VirtualNetworkGateway +Active +10\.250\.0\.0/16 +VirtualNetworkGateway +10\.0\.0\.4'
	assert_output --regexp 'VirtualNetworkGateway +Active +10\.60\.0\.0/16 +VirtualNetworkGateway +10\.0\.0\.6'
	assert_output --regexp 'VirtualNetworkGateway +Active +10\.200\.0\.0/16 +VirtualNetworkGateway +10\.0\.2\.100'
}

@test "import az: PE-07 a peering of two spokes is both spokes' peerings, each side's flags; plan has the VNetPeering routes" {
	local out=$BATS_TEST_TMPDIR/landing.json
	run arsemu import az "$TOP/test/import/az-landing" -o "$out"
	assert_success
	refute_output --partial 'peering of spokes'
	run jq -c '[.regions[0].spokes[] | [.name, .peerings]]' "$out"
	assert_output '[["spoke1-vnet",[{"vnet":"spoke2-vnet","allow_forwarded_traffic":true}]],["spoke2-vnet",[{"vnet":"spoke1-vnet","allow_forwarded_traffic":false}]]]'
	# the route tables send the other spoke through the NVAs: the peering's
	# route is there, and Invalid under the User route (VR-08)
	run arsemu plan "$out" app1
	assert_line --regexp '^Default +Invalid +10\.2\.0\.0/16 +VNetPeering'
	run arsemu plan "$out" web1
	assert_line --regexp '^Default +Invalid +10\.1\.0\.0/16 +VNetPeering'
	# without the route tables, the peering carries the traffic
	local d=$BATS_TEST_TMPDIR/az
	cp -r "$TOP/test/import/az-landing" "$d"
	rm "$d/route-tables.json"
	arsemu import az "$d" -o "$out" 2>/dev/null
	run arsemu plan "$out" app1
	assert_line --regexp '^Default +Active +10\.2\.0\.0/16 +VNetPeering'
	run arsemu walk app1 web1 --topo "$out"
	assert_output --partial 'predicted (offline): delivered'
	# listed twice by az (embedded and on its own), useRemoteGateways set: once, a warning
	jq '[.[1].virtualNetworkPeerings[1] | .useRemoteGateways = true]' "$d/vnets.json" > "$d/peerings-spoke1.json"
	run arsemu import az "$d" -o "$out"
	assert_success
	assert_output --partial 'warning: peerings-spoke1.json: [0].useRemoteGateways: between two spokes (spoke1-vnet, spoke2-vnet): spoke2-vnet has no Route Server and no spoke has a gateway (PE-03, PE-07): imported without it'
	run arsemu validate "$out"
	assert_success
}

@test "import az: RS-55 an Azure Firewall is an NVA without BGP in AzureFirewallSubnet; the spokes' routes to each other walk through it" {
	local out=$BATS_TEST_TMPDIR/landing.json
	run arsemu import az "$TOP/test/import/az-landing" -o "$out"
	assert_success
	refute_output --partial 'Azure Firewall'
	run jq -c '.regions[0].hub.nvas[] | select(.subnet == "AzureFirewallSubnet")' "$out"
	assert_output '{"name":"hub-azfw","subnet":"AzureFirewallSubnet","ip":"10.0.4.4","bgp":false}'
	run arsemu plan "$out" web1
	assert_line --regexp '^User +Active +10\.1\.0\.0/16 +VirtualAppliance +10\.0\.4\.4$'
	run arsemu walk web1 app1 --topo "$out"
	assert_output --partial 'predicted (offline): delivered'
	assert_output --regexp '2 +hub-azfw +NIC hub-azfw: Default 10\.1\.0\.0/16 VNetPeering'
	run arsemu walk app1 web1 --topo "$out"
	assert_output --regexp '2 +hub-azfw +NIC hub-azfw: Default 10\.2\.0\.0/16 VNetPeering'
	# bad firewalls: warnings naming file, JSON path and firewall; the rest imported
	local d=$BATS_TEST_TMPDIR/az
	cp -r "$TOP/test/import/az-landing" "$d"
	jq '. + [(.[0] | .name = "fw2" | .ipConfigurations[0].privateIPAddress = "10.0.9.9"),
	    (.[0] | .name = "fw3" | .ipConfigurations[0].subnet.id |= sub("AzureFirewallSubnet$"; "mgmt")),
	    (.[0] | .name = "vwan-fw" | .ipConfigurations = [])]' \
	    "$TOP/test/import/az-landing/firewalls.json" > "$d/firewalls.json"
	run arsemu import az "$d" -o "$out"
	assert_success
	assert_output --partial "warning: firewalls.json: [1].ipConfigurations[0].privateIPAddress: Azure Firewall fw2: not an address of its AzureFirewallSubnet: skipped"
	assert_output --partial "warning: firewalls.json: [2].ipConfigurations[0].subnet.id: Azure Firewall fw3 is in subnet mgmt, not AzureFirewallSubnet: skipped"
	assert_output --partial "warning: firewalls.json: [3].ipConfigurations: Azure Firewall vwan-fw has no IP configuration in a subnet (a Virtual WAN hub's?): not imported"
	run arsemu validate "$out"
	assert_success
	# a firewall in a spoke (listed before the hub would not matter): the spoke stays one
	local sub=/subscriptions/6b1c1a2e-5d0f-4c2a-9e51-3f0d2a7c9b14/resourceGroups/rg-spoke1/providers/Microsoft.Network/virtualNetworks/spoke1-vnet/subnets/AzureFirewallSubnet
	jq --arg id "$sub" '.[1].subnets += [{"name": "AzureFirewallSubnet", "addressPrefix": "10.1.9.0/26", "id": $id}] | [.[1], .[0], .[2]]' \
	    "$TOP/test/import/az-landing/vnets.json" > "$d/vnets.json"
	jq --arg id "$sub" '[(.[0] | .name = "spoke-fw" | .ipConfigurations[0].privateIPAddress = "10.1.9.4" |
	    .ipConfigurations[0].subnet.id = $id)] + .' "$TOP/test/import/az-landing/firewalls.json" > "$d/firewalls.json"
	run arsemu import az "$d" -o "$out"
	assert_success
	assert_output --partial "warning: firewalls.json: [0]: Azure Firewall spoke-fw: VNet spoke1-vnet is not its region's hub (arsemu has one per region, its NVAs sit there): skipped"
	run jq -c '[.regions[0].hub.name, [.regions[0].spokes[].name]]' "$out"
	assert_output '["hub-vnet",["spoke1-vnet","spoke2-vnet"]]'
	run arsemu validate "$out"
	assert_success
}

@test "import az: ids match whatever their case; a connection to a gateway, or a route table, the files lack is a warning naming it" {
	local d=$BATS_TEST_TMPDIR/az
	cp -r "$TOP/test/import/az-landing" "$d"
	# az upper-cases ids: the ER connection's are upper-case in the fixture already
	grep -q '"/SUBSCRIPTIONS/.*/VIRTUALNETWORKGATEWAYS/HUB-ERGW"' "$d/vpn-connections.json"
	sed -i 's|virtualNetworkGateways/hub-vpngw"|virtualNetworkGateways/other-gw"|' "$d/vpn-connections.json"
	rm "$d/route-tables.json"
	run arsemu import az "$d" -o "$BATS_TEST_TMPDIR/t.json"
	assert_success
	assert_output --partial "warning: vpn-connections.json: [0].virtualNetworkGateway1.id: connection hub-to-branch names a gateway the files do not hold (or one skipped): skipped"
	assert_output --partial "warning: local-gateways.json: [0]: local network gateway branch-lng: no connection the files hold keeps it: skipped"
	assert_output --partial "warning: vnets.json: [1].subnets[0].routeTable.id: subnet app's route table spoke1-rt is not in the files (az network route-table list): its routes are missing"
	run arsemu validate "$BATS_TEST_TMPDIR/t.json"
	assert_success
}

@test "import az: the imported landing zone runs: up, live routes equal plan's, its Route Server's learned routes import back the same, down" {
	require_root
	local out=$BATS_TEST_TMPDIR/landing.json lab=$ARSEMU_T-azl nic
	arsemu import az "$TOP/test/import/az-landing" -o "$out" --name "$lab" 2>/dev/null
	run arsemu up "$out" --name "$lab"
	assert_success
	for nic in app1 web1 jump1; do
		diff -u <(arsemu plan "$out" "$nic" --json 2>/dev/null) \
			<(arsemu routes "$nic" --name "$lab" --json) ||
			fail "plan and routes differ for $nic"
	done
	# round trip: the lab's Route Server, asked as az asks Azure's, gives
	# learned routes that import to the same topology
	local d=$BATS_TEST_TMPDIR/live
	cp -r "$TOP/test/import/az-landing" "$d"
	arsemu rs hub-vnet learned nva1 --name "$lab" --json > "$d/rs-learned-nva1.json"
	arsemu rs hub-vnet learned nva2 --name "$lab" --json > "$d/rs-learned-nva2.json"
	arsemu import az "$d" -o "$BATS_TEST_TMPDIR/again.json" --name "$lab" 2>/dev/null
	diff -u "$out" "$BATS_TEST_TMPDIR/again.json"
	run arsemu down "$lab"
	assert_success
	[ -z "$(lab_namespaces "$lab")" ]
}

@test "import az: LB-04 the internal load balancer is imported; the spokes' default route to its frontend walks through it to a backend" {
	local out=$BATS_TEST_TMPDIR/landing.json
	arsemu import az "$TOP/test/import/az-landing" -o "$out" 2>/dev/null
	run arsemu plan "$out" app1
	assert_line --regexp '^User +Active +0\.0\.0\.0/0 +VirtualAppliance +10\.0\.2\.100$'
	run arsemu walk app1 8.8.8.8 --topo "$out"
	assert_success
	assert_output --partial 'predicted (offline): delivered'
	assert_output --regexp '1 +app1 +NIC app1: User 0\.0\.0\.0/0 VirtualAppliance -> 10\.0\.2\.100 .*; load balancer nva-ilb: backend nva[12] \(HA ports, 5-tuple hash\)'
	assert_output --regexp '2 +nva[12] +NIC nva[12]: User 0\.0\.0\.0/0 Internet'
	# the same walk on the hand-written estate takes the same backend
	diff -u <(arsemu walk app1 8.8.8.8 --topo "$TOP/test/import/az-landing.json" 2>/dev/null) <(arsemu walk app1 8.8.8.8 --topo "$out" 2>/dev/null)
}

@test "import az: a load balancer the model cannot hold is a warning naming the file and JSON path; the rest is imported" {
	local d=$BATS_TEST_TMPDIR/az out=$BATS_TEST_TMPDIR/t.json lb=$TOP/test/import/az-landing/load-balancers.json
	cp -r "$TOP/test/import/az-landing" "$d"
	# a pool naming a NIC the files do not hold and a VM's NIC, an Http
	# probe's path, a port rule with translation and a port rule next to HA ports
	jq '.[0].backendAddressPools[0].backendIPConfigurations += [
	      {"id": (.[0].backendAddressPools[0].backendIPConfigurations[0].id | sub("NVA1-NIC"; "NVA9-NIC"))},
	      {"id": (.[0].backendAddressPools[0].backendIPConfigurations[0].id | sub("NVA1-NIC"; "JUMP1-NIC"))},
	      {"id": (.[0].backendAddressPools[0].backendIPConfigurations[0].id | sub("IPCONFIG1"; "IPCONFIG2"))}] |
	    .[0].probes[0] += {"protocol": "Http", "requestPath": "/healthz"} |
	    .[0].loadBalancingRules += [(.[0].loadBalancingRules[0] | .name = "web" | .protocol = "Tcp" | .frontendPort = 80 | .backendPort = 8080)]' "$lb" > "$d/load-balancers.json"
	run arsemu import az "$d" -o "$out"
	assert_success
	assert_output --partial "warning: load-balancers.json: [0].backendAddressPools[0].backendIPConfigurations[2].id: /SUBSCRIPTIONS/6B1C1A2E-5D0F-4C2A-9E51-3F0D2A7C9B14/RESOURCEGROUPS/RG-CONNECTIVITY/PROVIDERS/MICROSOFT.NETWORK/NETWORKINTERFACES/NVA9-NIC/IPCONFIGURATIONS/IPCONFIG1 is no NIC of the files (az network nic list): backend left out"
	assert_output --partial "warning: load-balancers.json: [0].backendAddressPools[0].backendIPConfigurations[3].id: NIC jump1-nic is VM jump1, not an NVA"
	assert_output --partial "warning: load-balancers.json: [0].backendAddressPools[0].backendIPConfigurations[4].id: an IP configuration of NIC nva1-nic other than the one arsemu gives it (its primary): backend left out"
	assert_output --partial "warning: load-balancers.json: [0].probes[0]: the probe's request path is not modelled: the lab probes the port as Tcp does (LB-05)"
	assert_output --partial "warning: load-balancers.json: [0].loadBalancingRules[1]: frontend and backend ports differ: arsemu's load balancers translate no port (LB-02): rule not imported"
	run jq -c '.regions[0].hub.load_balancers[0] | [.backends, .ha_ports, .probe.protocol]' "$out"
	assert_output '[["nva1","nva2"],true,"Http"]'
	run arsemu validate "$out"
	assert_success
	# a pool of VMs only: the load balancer is not imported, said so; a
	# public one; one in a spoke; one without rules
	jq '[(.[0] | .backendAddressPools[0].backendIPConfigurations |= map(.id |= sub("NVA[12]-NIC"; "JUMP1-NIC"))),
	     (.[0] | .name = "pub-lb" | .frontendIPConfigurations[0] |= (del(.subnet, .privateIPAddress) | .publicIPAddress = {"id": "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/pip"})),
	     (.[0] | .name = "spoke-lb" | .frontendIPConfigurations[0].privateIPAddress = "10.1.1.100" |
	        .frontendIPConfigurations[0].subnet.id = "/subscriptions/6b1c1a2e-5d0f-4c2a-9e51-3f0d2a7c9b14/resourceGroups/rg-spoke1/providers/Microsoft.Network/virtualNetworks/spoke1-vnet/subnets/app"),
	     (.[0] | .name = "no-rules" | .frontendIPConfigurations[0].privateIPAddress = "10.0.2.101" | .loadBalancingRules = [])]' "$lb" > "$d/load-balancers.json"
	run arsemu import az "$d" -o "$out"
	assert_success
	assert_output --partial "warning: load-balancers.json: [0]: load balancer nva-ilb: no NVA in its backend pool: load balancer not imported (arsemu's pools hold NVAs, LB-03)"
	assert_output --partial "warning: load-balancers.json: [1].frontendIPConfigurations: load balancer pub-lb has no frontend in a subnet (a public one?): arsemu models internal load balancers; not imported"
	# a spoke's load balancer is imported (PE-08), but a pool of the hub's
	# NVAs is of another VNet (LB-03)
	assert_output --partial "warning: load-balancers.json: [2].backendAddressPools[0].backendIPConfigurations[0].id: NIC nva1-nic is in VNet hub-vnet, not the load balancer's (LB-03): backend left out"
	assert_output --partial "warning: load-balancers.json: [2]: load balancer spoke-lb: no NVA in its backend pool: load balancer not imported (arsemu's pools hold NVAs, LB-03)"
	assert_output --partial "warning: load-balancers.json: [3]: load balancer no-rules: no load-balancing rule arsemu can hold: the frontend forwards nothing; load balancer not imported"
	run jq -c '.regions[0].hub.load_balancers' "$out"
	assert_output null
	run arsemu validate "$out"
	assert_success
	# without a load balancer, the route to its frontend is dropped there: the walk says so
	run arsemu walk app1 8.8.8.8 --topo "$out"
	refute_output --partial 'load balancer nva-ilb'
}

@test "import az: RS-55 NICs with IP forwarding and no Route Server peering are NVAs without BGP, the load balancer's backends; PE-08 a transit spoke's NVA peering the hub's Route Server is the spoke's; plan equals the hand-written estate's" {
	# test/import/az-nva: the hub's two NVAs peer with no Route Server (IP
	# forwarding on, behind an internal load balancer); the transit spoke's
	# NVA peers with the hub's Route Server; az-nva.json is it by hand
	local out=$BATS_TEST_TMPDIR/nva.json
	run arsemu import az "$TOP/test/import/az-nva" -o "$out" --name nva
	assert_success
	# nothing about these objects is left out: no warning at all
	assert_output ""
	run arsemu validate "$out"
	assert_success
	assert_output "$out: valid: lab nva, 3 VNets, 6 nodes, 7 NICs"
	run jq -c '.regions[0].hub | [.nvas, .load_balancers[0].backends]' "$out"
	assert_output '[[{"name":"vm-nva1-weu","subnet":"snet-nva","ip":"10.10.2.4","bgp":false,"nics":[{"name":"nic-nva1-trust-weu","subnet":"snet-trust","ip":"10.10.3.4","ip_forwarding":true}]},{"name":"vm-nva2-weu","subnet":"snet-nva","ip":"10.10.2.5","bgp":false}],["vm-nva1-weu","vm-nva2-weu"]]'
	run jq -c '.regions[0].spokes[1] | [.name, .nvas]' "$out"
	assert_output '["vnet-transit-weu",[{"name":"vm-tnva-weu","subnet":"snet-nva","asn":65020,"ip":"10.12.1.4","route_servers":["vnet-hub-weu"],"advertise":["10.20.0.0/14"]}]]'
	diff -u <(arsemu plan "$TOP/test/import/az-nva.json" --json 2>/dev/null) <(arsemu plan "$out" --json 2>/dev/null)
	diff -u <(arsemu plan "$TOP/test/import/az-nva.json" 2>/dev/null) <(arsemu plan "$out" 2>/dev/null)
	diff -u <(arsemu reach "$TOP/test/import/az-nva.json" 2>/dev/null) <(arsemu reach "$out" 2>/dev/null)
	# the spoke's default route goes to the frontend and on to a backend
	diff -u <(arsemu walk vm-app1-weu 192.0.2.1 --topo "$TOP/test/import/az-nva.json" --flows 8 2>/dev/null) <(arsemu walk vm-app1-weu 192.0.2.1 --topo "$out" --flows 8 2>/dev/null)
	run arsemu walk vm-app1-weu 192.0.2.1 --topo "$out" --flows 8
	assert_output --partial "load balancer lb-nva-weu: backend vm-nva"
	run arsemu plan "$out" vm-app1-weu
	assert_line --regexp '^VirtualNetworkGateway +Active +10\.20\.0\.0/14 +VirtualNetworkGateway +10\.12\.1\.4$'
	assert_line --regexp '^User +Active +0\.0\.0\.0/0 +VirtualAppliance +10\.10\.2\.100$'
	# NV-01: the NIC az marks "primary": true is the node's primary, listed
	# first or not: with the trust NIC first in the file, the same topology
	local d=$BATS_TEST_TMPDIR/az-swapped
	cp -r "$TOP/test/import/az-nva" "$d"
	jq '[.[1], .[0]] + .[2:]' "$TOP/test/import/az-nva/nics.json" > "$d/nics.json"
	[ "$(jq -r '.[0] | "\(.name) \(.primary)"' "$d/nics.json")" = "nic-nva1-trust-weu false" ]
	run arsemu import az "$d" -o "$BATS_TEST_TMPDIR/swapped.json" --name nva
	assert_success
	assert_output ""
	cmp "$out" "$BATS_TEST_TMPDIR/swapped.json"
}

@test "import az: PE-08 a Route Server peering with an NVA in a VNet not directly peered with the hub is a warning naming the file and JSON path" {
	local d=$BATS_TEST_TMPDIR/az out=$BATS_TEST_TMPDIR/nva.json
	cp -r "$TOP/test/import/az-nva" "$d"
	# the transit spoke peered with the application spoke only
	jq '(.[] | select(.name == "vnet-hub-weu") | .virtualNetworkPeerings) |= map(select(.name != "peer-to-transit")) |
	    (.[] | select(.name == "vnet-transit-weu") | .virtualNetworkPeerings) |= map(select(.name != "peer-to-hub"))' \
	    "$TOP/test/import/az-nva/vnets.json" > "$d/vnets.json"
	run arsemu import az "$d" -o "$out"
	assert_success
	assert_output --partial "warning: routeserver-peerings.json: [0].peerIp: 10.12.1.4 is in VNet vnet-transit-weu, not in hub vnet-hub-weu nor in a VNet directly peered with it"
	run jq -c '[.regions[0].spokes[] | select(.name == "vnet-transit-weu") | .nvas[]]' "$out"
	assert_output '[{"name":"vm-tnva-weu","subnet":"snet-nva","ip":"10.12.1.4","bgp":false}]'
	run arsemu validate "$out"
	assert_success
}

@test "import az: the imported az-nva estate runs: up, live routes equal plan's (the transit NVA's route over the hub's Route Server), learned routes import back the same, down" {
	require_root
	local out=$BATS_TEST_TMPDIR/nva.json lab=$ARSEMU_T-aznva nic d=$BATS_TEST_TMPDIR/live
	arsemu import az "$TOP/test/import/az-nva" -o "$out" --name "$lab" 2>/dev/null
	run arsemu up "$out" --name "$lab"
	assert_success
	for nic in vm-app1-weu vm-nva1-weu vm-tnva-weu; do
		diff -u <(arsemu plan "$out" "$nic" --json 2>/dev/null) \
			<(arsemu routes "$nic" --name "$lab" --json) ||
			fail "plan and routes differ for $nic"
	done
	run arsemu routes vm-app1-weu --name "$lab"
	assert_line --regexp '^VirtualNetworkGateway +Active +10\.20\.0\.0/14 +VirtualNetworkGateway +10\.12\.1\.4$'
	# the lab's Route Server, asked as az asks Azure's, learned from the spoke's NVA what imports back the same
	cp -r "$TOP/test/import/az-nva" "$d"
	arsemu rs vnet-hub-weu learned vm-tnva-weu --name "$lab" --json > "$d/rs-learned-tnva.json"
	arsemu import az "$d" -o "$BATS_TEST_TMPDIR/again.json" --name "$lab" 2>/dev/null
	diff -u "$out" "$BATS_TEST_TMPDIR/again.json"
	run arsemu down "$lab"
	assert_success
	[ -z "$(lab_namespaces "$lab")" ]
}

@test "import az: PE-06 PE-03 RS-08 the imported az-spoke-rs estate runs: the transit VNet's own Route Server programs the application spokes, the other hub's NVA peers across the hub peering; live routes equal plan's, down" {
	require_root
	local out=$BATS_TEST_TMPDIR/srs.json lab=$ARSEMU_T-azsrs nic
	arsemu import az "$TOP/test/import/az-spoke-rs" -o "$out" --name "$lab" 2>/dev/null
	run arsemu up "$out" --name "$lab"
	assert_success
	for nic in vm-app1-weu vm-tnva-weu vm-nva-neu; do
		diff -u <(arsemu plan "$out" "$nic" --json 2>/dev/null) \
			<(arsemu routes "$nic" --name "$lab" --json) ||
			fail "plan and routes differ for $nic"
	done
	# what both Route Servers learned from the transit NVA, over the transit one
	run arsemu routes vm-app1-weu --name "$lab"
	assert_line --regexp '^VirtualNetworkGateway +Active +10\.20\.0\.0/14 +VirtualNetworkGateway +10\.12\.1\.4$'
	assert_line --regexp '^VirtualNetworkGateway +Active +10\.24\.0\.0/16 +VirtualNetworkGateway +10\.12\.1\.4$'
	# the northeurope hub's NVA peers with the westeurope hub's Route Server, which learns its route
	run arsemu rs vnet-hub-weu learned vm-nva-neu --name "$lab" --json
	assert_success
	assert_output --partial '"network": "10.31.0.0/16"'
	run arsemu down "$lab"
	assert_success
	[ -z "$(lab_namespaces "$lab")" ]
}
