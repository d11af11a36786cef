#!/usr/bin/env bats
# The drill report as a picture (issue 19): `arsemu drill --report FILE.html`
# (or .svg) draws each flow's loss windows, the steps and the events on one
# time axis. A real headless browser (Debian's chromium) renders it, and the
# screenshot's pixels must show each loss window where the JSON report of
# the same run says it is (test/tools/report_pixels.py). Chromium runs in
# a network namespace of its own with nothing in it (unshare -n): it can
# reach nothing, and nothing outside this test's files is read.

load helpers

teardown() { down_labs; }

# scripts/deps.sh test installs them (Debian's chromium and python3-pil)
require_browser() {
	require_root
	command -v chromium >/dev/null && /usr/bin/python3 -c 'import PIL' ||
		fail "report tests need chromium and python3-pil: scripts/deps.sh test"
}

# shot FILE PNG: a screenshot of FILE, 1280 x 1400 pixels at scale 1.
shot() {
	unshare -n chromium --headless --no-sandbox --disable-gpu \
		--hide-scrollbars --force-device-scale-factor=1 \
		--window-size=1280,1400 --user-data-dir="$BATS_TEST_TMPDIR/chrome" \
		--screenshot="$2" "file://$1" >/dev/null 2>&1
	[ -s "$2" ] || fail "chromium wrote no screenshot of $1"
}

pixels() { /usr/bin/python3 "$TOP/test/tools/report_pixels.py" "$@"; }

@test "drill --report: a bad report name is a usage error before any lab is built" {
	run arsemu drill "$TOP/examples/drills/aa-fw1-freeze.json" --report "$BATS_TEST_TMPDIR/r.pdf"
	assert_failure 2
	assert_output --partial "a report is FILE.html or FILE.svg"
}

@test "drill --report FILE.html: chromium's screenshot shows each loss window where the JSON report says it is" {
	require_browser
	local d=$BATS_TEST_TMPDIR
	run arsemu drill "$TOP/examples/drills/aa-fw1-freeze.json" --name "$ARSEMU_T-rp1" \
		--json --report "$d/freeze.html"
	assert_success
	echo "$output" > "$d/freeze.json"
	[ "$(jq '[.flows[] | select(.lossWindows | length > 0)] | length' "$d/freeze.json")" -gt 0 ] ||
		fail "the freeze drill lost nothing: no window to look for"
	shot "$d/freeze.html" "$d/freeze.png"
	run pixels "$d/freeze.png" "$d/freeze.json"
	echo "$output"
	assert_success
	assert_output --partial ": ok"
	refute_output --partial "WRONG"
	# the check can fail: the same picture against windows moved by 500 ms
	jq '.flows[].lossWindows[].startMs += 500' "$d/freeze.json" > "$d/moved.json"
	run pixels "$d/freeze.png" "$d/moved.json"
	assert_failure 1
	assert_output --partial "WRONG"
}

@test "drill --report FILE.svg: a drill without loss draws the axis and no loss window" {
	require_browser
	local d=$BATS_TEST_TMPDIR
	run arsemu drill "$TOP/examples/drills/aa-fw1-crash.json" --name "$ARSEMU_T-rp2" \
		--json --report "$d/crash.svg"
	assert_success
	echo "$output" > "$d/crash.json"
	[ "$(jq '[.flows[].lossWindows[]] | length' "$d/crash.json")" -eq 0 ] ||
		fail "the crash drill was meant to lose nothing"
	head -c 5 "$d/crash.svg" | grep -q '<?xml' || fail "not an SVG file"
	shot "$d/crash.svg" "$d/crash.png"
	run pixels "$d/crash.png" "$d/crash.json"
	echo "$output"
	assert_success
	assert_output --partial "axis: row"
}
