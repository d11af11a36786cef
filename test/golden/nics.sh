#!/bin/sh
# The NICs of a topology, one per line, in lab order: the headers of
# `arsemu plan TOPO` ("name (vnet/subnet, ip)"); an NVA's extra NIC is
# "nva/name" (NV-01), whose golden file is <example>.nva+name.json.
exec "${ARSEMU:-./arsemu}" plan "$1" 2>/dev/null |
	sed -n 's|^\([a-z0-9/-]*\) ([^ ]*/[^ ]*, [0-9.]*)$|\1|p'
