#!/bin/sh
# Run unit test binaries; each prints TAP. Exit 1 if any failed or crashed.
rc=0
for t in "$@"; do
	echo "# $t"
	"$t" || { echo "not ok - $t exited $?"; rc=1; }
done
exit $rc
