#!/bin/sh
# The demo: bring the shipped example up, show what Azure would show, send a
# real packet through the NVA, and tear everything down again.
set -eu
cd "$(dirname "$0")/.."
topo=${1:-examples/single-hub.json}
lab=demo
a=./arsemu
if [ "$(id -u)" != 0 ]; then
	echo "demo: run as root (arsemu creates network namespaces)" >&2
	exit 3
fi
"$a" ls | grep -qx "$lab" && "$a" down "$lab"
trap '"$a" down "$lab" >/dev/null 2>&1 || true' EXIT
step() { printf '\n$ %s\n' "$*"; "$@"; }
step "$a" validate "$topo"
step "$a" up "$topo" --name "$lab"
step "$a" status
step "$a" rs hub peers
step "$a" rs hub advertised sdwan
step "$a" routes spoke1-vm1
step "$a" exec spoke1-vm1 -- ping -c 3 -i 0.2 10.250.0.1
step "$a" down "$lab"
trap - EXIT
