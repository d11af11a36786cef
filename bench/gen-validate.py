#!/usr/bin/env python3
"""Generate a topology of exactly NODES nodes for the validate benchmark:
   gen-validate.py NODES [NAME] > topo.json
Regions of one hub each (172.16+R.0.0/16, a Route Server at 48 routing
infrastructure units: 2 nodes) and up to 50 spokes of 1,000 VMs
(10.S.0.0/16, one subnet), so that every Route Server serves at most the
50,000 VMs RS-41 allows; the last spoke takes what is left. With NODES at
TOPO_NODES_MAX (topo/topo.h) this is the largest topology arsemu accepts."""
import json, sys

REGIONS = ["eastus", "westeurope", "uksouth", "japaneast", "centralus",
           "northeurope", "eastasia", "australiaeast"]
VMS_PER_SPOKE = 1000
SPOKES_PER_HUB = 50

nodes = int(sys.argv[1])
name = sys.argv[2] if len(sys.argv) > 2 else "bench"

regions, left, s = [], nodes, 0
while left > 0:
    r = len(regions)
    left -= 2                      # the Route Server's two instances
    spokes = []
    while left > 0 and len(spokes) < SPOKES_PER_HUB:
        n = min(VMS_PER_SPOKE, left)
        spokes.append({"name": "s%d" % s,
                       "address_space": ["10.%d.0.0/16" % (s + 1)],
                       "use_remote_gateways": False,
                       "subnets": {"default": "10.%d.0.0/16" % (s + 1)},
                       "vms": [{"name": "s%d-vm%d" % (s, k),
                                "subnet": "default"} for k in range(n)]})
        left -= n
        s += 1
    regions.append({"name": REGIONS[r], "hub": {
        "name": "hub%d" % r, "address_space": ["172.%d.0.0/16" % (16 + r)],
        "subnets": {"RouteServerSubnet": "172.%d.1.0/27" % (16 + r)},
        "route_server": {"routing_units": 48}}, "spokes": spokes})
json.dump({"name": name, "regions": regions}, sys.stdout, indent=1)
