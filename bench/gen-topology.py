#!/usr/bin/env python3
"""Generate a hub-and-spoke topology of a given size for benchmarks:
   gen-topology.py NAME SPOKES VMS_PER_SPOKE NVAS ROUTES_PER_NVA [TOTAL] > topo.json
One hub (10.0.0.0/16) with a Route Server and NVAS NVAs, SPOKES spokes
(10.S.0.0/16 for S < 250, then 172.16+.x) each with VMS_PER_SPOKE VMs; the
first NVA advertises ROUTES_PER_NVA /24s from 100.64.0.0/10 (within RS-40's
4,000 per peer), the others 10.0.0.0/8; with TOTAL, the others share
TOTAL - ROUTES_PER_NVA /24s (from 100.96.0.0) instead."""
import json, sys

name, spokes, vms, nvas, routes = sys.argv[1], *map(int, sys.argv[2:6])
total = int(sys.argv[6]) if len(sys.argv) > 6 else routes
rest = max(total - routes, 0)

def spoke_space(i):
    if i < 250:
        return "10.%d.0.0/16" % (i + 1)
    j = i - 250
    return "172.%d.%d.0/24" % (16 + j // 256, j % 256)

def subnet_of(space):
    return space  # one subnet spanning the spoke

hub_nvas = []
for n in range(nvas):
    adv = ["10.0.0.0/8"]
    if n == 0 and routes:
        adv = ["100.%d.%d.0/24" % (64 + k // 256, k % 256) for k in range(routes)]
    elif n > 0 and rest:
        share = rest // (nvas - 1) + (1 if n <= rest % (nvas - 1) else 0)
        first = sum(rest // (nvas - 1) + (1 if m <= rest % (nvas - 1) else 0)
                    for m in range(1, n))
        adv = ["100.%d.%d.0/24" % (96 + k // 256, k % 256)
                for k in range(first, first + share)]
    # passing RS-learned routes on would count against RS-40 (see
    # arsemu-topology(5), sender_as_path_loop_detection)
    hub_nvas.append({"name": "nva%d" % n, "subnet": "nva", "asn": 65001 + n,
                     "advertise": adv, "sender_as_path_loop_detection": True})
sp = []
for i in range(spokes):
    space = spoke_space(i)
    sp.append({"name": "s%d" % i, "address_space": [space],
               "use_remote_gateways": True,
               "subnets": {"default": subnet_of(space)},
               "vms": [{"name": "s%d-vm%d" % (i, k), "subnet": "default"}
                       for k in range(vms)]})
topo = {"name": name,
        "timers": {"hold": 9, "keepalive": 3, "connect_retry": 1},
        "regions": [{"name": "r1", "hub": {
            "name": "hub", "address_space": ["10.0.0.0/16"],
            "subnets": {"RouteServerSubnet": "10.0.1.0/27", "nva": "10.0.2.0/24"},
            "route_server": {"route_limit": 4000},
            "nvas": hub_nvas}, "spokes": sp}]}
json.dump(topo, sys.stdout, indent=1)
