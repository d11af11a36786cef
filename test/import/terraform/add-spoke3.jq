# A plan that adds a third spoke, module.spoke3, to plan.json: its
# network module (a VNet, a subnet, the peerings with the hub) and its
# workload module (a NIC and a VM). Ids of new resources are known after
# apply; the NIC's subnet_id is the network module's output, passed to
# the workload module as a variable: in the plan's configuration a
# reference across modules, var.subnet_id <- module.network.subnet_id
# <- azurerm_subnet.app.id.
def sub: "/subscriptions/00000000-0000-0000-0000-000000000000";
def rg: "rg-spoke3-weu";
def hubid: sub + "/resourceGroups/rg-connectivity-weu/providers/Microsoft.Network/virtualNetworks/vnet-hub-weu";
def res($mod; $type; $name; $values):
  {address: ($mod + "." + $type + "." + $name), mode: "managed", type: $type, name: $name,
   provider_name: "registry.terraform.io/hashicorp/azurerm", schema_version: 0, values: $values,
   sensitive_values: {}};
def net: "module.spoke3.module.network";
def wl: "module.spoke3.module.workload";
def new_network: [
  res(net; "azurerm_virtual_network"; "this"; {name: "vnet-spoke3-weu", location: "westeurope",
      resource_group_name: rg, address_space: ["10.4.0.0/16"], subnet: [], tags: {environment: "prod"}}),
  res(net; "azurerm_subnet"; "app"; {name: "snet-app", resource_group_name: rg,
      virtual_network_name: "vnet-spoke3-weu", address_prefixes: ["10.4.1.0/24"]}),
  res(net; "azurerm_virtual_network_peering"; "to_hub"; {name: "peer-to-hub", resource_group_name: rg,
      virtual_network_name: "vnet-spoke3-weu", remote_virtual_network_id: hubid,
      allow_forwarded_traffic: true, allow_gateway_transit: false, use_remote_gateways: true,
      allow_virtual_network_access: true}),
  res(net; "azurerm_virtual_network_peering"; "from_hub"; {name: "peer-to-vnet-spoke3-weu",
      resource_group_name: "rg-connectivity-weu", virtual_network_name: "vnet-hub-weu",
      allow_forwarded_traffic: true, allow_gateway_transit: true, use_remote_gateways: false,
      allow_virtual_network_access: true})
];
def new_workload: [
  res(wl; "azurerm_network_interface"; "app3"; {name: "nic-app3", location: "westeurope",
      resource_group_name: rg, ip_forwarding_enabled: false,
      ip_configuration: [{name: "ipconfig1", primary: true, private_ip_address_allocation: "Dynamic",
        private_ip_address_version: "IPv4"}]}),
  res(wl; "azurerm_linux_virtual_machine"; "app3"; {name: "vm-app3", location: "westeurope",
      resource_group_name: rg, size: "Standard_D2s_v5", admin_username: "azureuser"})
];
def unknown:
  if .type == "azurerm_virtual_network" then {id: true, guid: true, subnet: []}
  elif .type == "azurerm_subnet" then {id: true}
  elif .type == "azurerm_virtual_network_peering" and .name == "from_hub" then {id: true, remote_virtual_network_id: true}
  elif .type == "azurerm_virtual_network_peering" then {id: true}
  elif .type == "azurerm_network_interface" then {id: true, mac_address: true, private_ip_address: true,
    private_ip_addresses: true, virtual_machine_id: true,
    ip_configuration: [{private_ip_address: true, subnet_id: true}]}
  else {id: true, network_interface_ids: [true], private_ip_address: true} end;
def ref($r): {references: $r};
.planned_values.root_module.child_modules += [{address: "module.spoke3", child_modules: [
    {address: net, resources: new_network}, {address: wl, resources: new_workload}]}]
| .resource_changes += [(new_network + new_workload)[] | {address, mode, type, name,
    provider_name, change: {actions: ["create"], before: null, after: .values,
    after_unknown: unknown}}]
| .configuration.root_module.module_calls.spoke3 = {source: "./modules/spoke",
    expressions: {hub_vnet_id: ref(["module.hub.vnet_id", "module.hub"])},
    module: {
      variables: {hub_vnet_id: {}},
      module_calls: {
        network: {source: "../network",
          expressions: {hub_vnet_id: ref(["var.hub_vnet_id"])},
          module: {
            variables: {hub_vnet_id: {}},
            outputs: {subnet_id: {expression: ref(["azurerm_subnet.app.id", "azurerm_subnet.app"])},
                      vnet_id: {expression: ref(["azurerm_virtual_network.this.id", "azurerm_virtual_network.this"])}},
            resources: [
              {address: "azurerm_virtual_network_peering.from_hub", mode: "managed",
               type: "azurerm_virtual_network_peering", name: "from_hub", provider_config_key: "azurerm",
               expressions: {remote_virtual_network_id: ref(["azurerm_virtual_network.this.id", "azurerm_virtual_network.this"])},
               schema_version: 0}]}},
        workload: {source: "../workload",
          expressions: {subnet_id: ref(["module.network.subnet_id", "module.network"])},
          module: {
            variables: {subnet_id: {}},
            resources: [
              {address: "azurerm_network_interface.app3", mode: "managed",
               type: "azurerm_network_interface", name: "app3", provider_config_key: "azurerm",
               expressions: {ip_configuration: [{subnet_id: ref(["var.subnet_id"])}]},
               schema_version: 0},
              {address: "azurerm_linux_virtual_machine.app3", mode: "managed",
               type: "azurerm_linux_virtual_machine", name: "app3", provider_config_key: "azurerm",
               expressions: {network_interface_ids: ref(["azurerm_network_interface.app3.id", "azurerm_network_interface.app3"])},
               schema_version: 0}]}}}}}
