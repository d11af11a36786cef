# Run by bats once per run of any file in this folder.
#
# The offline tests that show a command needs no root run it as user nobody
# (as_nobody in helpers.bash). A clone under a directory nobody cannot enter
# (root's home /root is 0700, and so is a mktemp -d) would fail them for a
# reason that is not theirs. Then nobody gets a world-readable copy of the
# binary under test and of examples/, made here and removed by
# teardown_suite; NOBODY_TOP and NOBODY_ARSEMU name it. Otherwise they name
# the clone's own files.

setup_suite() {
	local top arsemu
	top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	arsemu=${ARSEMU_BIN:-$top/arsemu}
	NOBODY_TOP=$top
	NOBODY_ARSEMU=$arsemu
	if [ "$(id -u)" = 0 ] && ! setpriv --reuid=nobody --regid=nogroup \
	    --clear-groups test -x "$arsemu" -a -r "$top/examples/single-hub.json"; then
		NOBODY_STAGE=$(mktemp -d /tmp/arsemu-nobody.XXXXXX)
		cp "$arsemu" "$NOBODY_STAGE/arsemu"
		cp -r "$top/examples" "$NOBODY_STAGE/examples"
		chmod -R a+rX "$NOBODY_STAGE"
		NOBODY_TOP=$NOBODY_STAGE
		NOBODY_ARSEMU=$NOBODY_STAGE/arsemu
		export NOBODY_STAGE
	fi
	export NOBODY_TOP NOBODY_ARSEMU
}

teardown_suite() {
	if [ -n "${NOBODY_STAGE:-}" ]; then
		rm -rf "$NOBODY_STAGE"
	fi
}
