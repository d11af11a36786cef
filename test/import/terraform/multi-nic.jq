# On the plan of add-spoke3.jq: nic-app3 gets a second ip_configuration,
# static at 10.4.1.5, and vm-app3 a second NIC, nic-app3b, whose id the
# plan knows only after apply (network_interface_ids: the configuration's
# references).
def wl: "module.spoke3.module.workload";
def cfg: .configuration.root_module.module_calls.spoke3.module.module_calls.workload.module.resources;
(.planned_values.root_module.child_modules[] | select(.address == "module.spoke3") | .child_modules[] | select(.address == wl) | .resources) |=
  (map(if .type == "azurerm_network_interface" then .values.ip_configuration += [{name: "ipconfig2", primary: false,
      private_ip_address_allocation: "Static", private_ip_address: "10.4.1.5", private_ip_address_version: "IPv4"}] else . end)
   + [(.[0] | .address = (wl + ".azurerm_network_interface.app3b") | .name = "app3b" | .values.name = "nic-app3b"
      | .values.ip_configuration |= .[:1])])
| .resource_changes += [(.resource_changes[] | select(.address == (wl + ".azurerm_network_interface.app3"))
    | .address = (wl + ".azurerm_network_interface.app3b") | .name = "app3b")]
| cfg += [{address: "azurerm_network_interface.app3b", mode: "managed", type: "azurerm_network_interface", name: "app3b",
    provider_config_key: "azurerm", expressions: {ip_configuration: [{subnet_id: {references: ["var.subnet_id"]}}]},
    schema_version: 0}]
| (cfg[] | select(.address == "azurerm_linux_virtual_machine.app3") | .expressions.network_interface_ids.references) =
    ["azurerm_network_interface.app3.id", "azurerm_network_interface.app3",
     "azurerm_network_interface.app3b.id", "azurerm_network_interface.app3b"]
| (.resource_changes[] | select(.address == (wl + ".azurerm_linux_virtual_machine.app3")) | .change.after_unknown.network_interface_ids) = [true, true]
