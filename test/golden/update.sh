#!/bin/sh
# `make golden`: regenerate test/golden/<example>.<nic>.json, the output of
# `arsemu plan examples/<example>.json NIC --json` for every example and NIC.
# test/bats/fidelity.bats diffs plan against these files, and brings every
# example up to check that the live lab's `routes --json` equals them.
# Review the diff (git diff test/golden) before committing new goldens.
set -eu
cd "$(dirname "$0")/../.."
ARSEMU=${ARSEMU:-./arsemu}
export ARSEMU
rm -f test/golden/*.json
for f in $(sh test/golden/examples.sh); do
	ex=$(basename "$f" .json)
	for nic in $(sh test/golden/nics.sh "$f"); do
		"$ARSEMU" plan "$f" "$nic" --json 2>/dev/null \
		    > "test/golden/$ex.$(echo "$nic" | tr / +).json"
	done
done
ls test/golden/*.json | wc -l | sed 's/$/ golden files/'
