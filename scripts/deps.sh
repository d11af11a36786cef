#!/bin/sh
# Install the Debian packages arsemu needs, and only those that are missing.
#   scripts/deps.sh build    compiler, libraries, iproute2 and nftables (for `make`,
#                            `make demo`, and labs with load balancers or NSGs)
#   scripts/deps.sh test     the above plus BATS, ping, clang, the interop daemons,
#                            libnl-route-3-dev (bench/lab-bench.sh's libnl contender,
#                            run by test/bats/bench.bats; arsemu itself does not use it),
#                            and chromium and python3-pil (report.bats looks at a
#                            drill report's screenshot)
# Idempotent: a second run installs nothing. Never starts a service.
set -eu
want="build-essential pkg-config libmnl-dev libcjson-dev iproute2 nftables iputils-ping"
case "${1:-build}" in
build) ;;
test)  want="$want libnl-route-3-dev bats bats-assert bats-support clang libclang-rt-14-dev frr bird2 gobgpd exabgp tcpdump python3-jsonschema graphviz valgrind bgpdump jq tshark libxml2-utils chromium python3-pil" ;;
*) echo "usage: $0 build|test" >&2; exit 2 ;;
esac
missing=""
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages:$missing (run as root to install them)" >&2
	exit 3
fi
# Package scripts must not start daemons (FRR, BIRD, ...) in the host namespace.
export DEBIAN_FRONTEND=noninteractive
stamp=/var/lib/apt/periodic/arsemu-update-stamp
if [ ! -e "$stamp" ] || [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v lock)" ]; then
	apt-get update -qq
	mkdir -p "$(dirname $stamp)" && touch "$stamp"
fi
rcd=/usr/sbin/policy-rc.d
made_rcd=0
if [ ! -e "$rcd" ]; then
	printf '#!/bin/sh\nexit 101\n' > "$rcd" && chmod 755 "$rcd" && made_rcd=1
fi
apt-get install -y -qq --no-install-recommends $missing >/dev/null
[ "$made_rcd" = 1 ] && rm -f "$rcd"
exit 0
