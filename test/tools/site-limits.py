#!/usr/bin/env python3
"""site-limits: a topology whose sites test GW-05 and GW-07, on stdout.

One hub (no Route Server) with an ExpressRoute gateway over two circuits,
to site "big" (Standard) and to site "prem" (Premium), and an active-active
VPN gateway with BGP tunnels to site "vbig" and to site "small". big, prem
and vbig advertise N /24s each (argument, default 4001: one over the 4,000
of a Standard circuit and of a VPN gateway); small advertises one /24 and
has a host. The hub has a VM.
"""
import json
import sys


def prefixes(a, b, n):
    return ["%d.%d.%d.0/24" % (a, b + k // 256, k % 256) for k in range(n)]


n = int(sys.argv[1]) if len(sys.argv) > 1 else 4001
topo = {
    "name": "site-limits",
    "description": "GW-05, GW-07: sites over and under their gateways' prefix limits.",
    "timers": {"hold": 9, "keepalive": 3, "connect_retry": 1},
    "regions": [{"name": "westeurope", "hub": {
        "name": "hub",
        "address_space": ["10.1.0.0/16"],
        "subnets": {"GatewaySubnet": "10.1.0.0/27", "default": "10.1.2.0/24"},
        "vms": [{"name": "hub-vm1", "subnet": "default"}],
        "gateways": [
            {"name": "er", "type": "ExpressRoute", "circuits": [
                {"site": "big"}, {"site": "prem", "sku": "Premium"}]},
            {"name": "vpn", "type": "Vpn", "tunnels": [
                {"site": "vbig", "bgp": True}, {"site": "small", "bgp": True}]}]}}],
    "sites": [
        {"name": "big", "asn": 64601, "prefixes": prefixes(172, 16, n)},
        {"name": "prem", "asn": 64602, "prefixes": prefixes(10, 160, n)},
        {"name": "vbig", "asn": 64603, "prefixes": prefixes(10, 192, n)},
        {"name": "small", "asn": 64604, "prefixes": ["192.168.50.0/24"],
         "hosts": [{"name": "small-h1", "ip": "192.168.50.10"}]}]}
json.dump(topo, sys.stdout, indent=1)
sys.stdout.write("\n")
