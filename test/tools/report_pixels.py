#!/usr/bin/env python3
"""report_pixels: does a screenshot of a drill report show the loss windows
where the drill's JSON report says they are?

    report_pixels.py SCREENSHOT.png REPORT.json

The page draws (cmd/drillreport.c) a time axis as a bar of pure black and
each loss window as a rectangle of #d62728, nothing else in those colours,
with no anti-aliasing. This finds the axis (the longest run of black
pixels in a row: time 0 at its left end, the report's span at its right),
then the red bands from top to bottom (one per flow that lost packets, in
the report's order) and in each the runs of red columns, and compares each
run with its window, to two pixels. Prints what it found; exit 0 when
every window is where the report says and nothing else is red, 1 if not,
2 on bad input.
"""
import json
import sys

from PIL import Image

AXIS = (0, 0, 0)
LOSS = (0xd6, 0x27, 0x28)
TOLERANCE_PX = 2


def runs(values):
    """Sorted ints -> [(first, last)] of consecutive stretches."""
    out = []
    for v in values:
        if out and v == out[-1][1] + 1:
            out[-1] = (out[-1][0], v)
        else:
            out.append((v, v))
    return out


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    img = Image.open(sys.argv[1]).convert("RGB")
    rep = json.load(open(sys.argv[2]))
    w, h = img.size
    px = img.load()
    span = rep["durationMs"]
    for e in rep["timeline"]:
        span = max(span, e["tMs"])
    for f in rep["flows"]:
        for win in f["lossWindows"]:
            span = max(span, win["startMs"] + win["lengthMs"])
    best = (0, 0, 0, 0)     # length, y, x0, x1
    red_rows = {}
    for y in range(h):
        xs = [x for x in range(w) if px[x, y] == AXIS]
        for a, b in runs(xs):
            if b - a + 1 > best[0]:
                best = (b - a + 1, y, a, b)
        reds = [x for x in range(w) if px[x, y] == LOSS]
        if reds:
            red_rows[y] = reds
    length, ay, ax0, ax1 = best
    print(f"axis: row {ay}, x {ax0}..{ax1} for 0..{span} ms")
    if length < 200:
        print("no time axis found")
        return 1
    scale = (ax1 + 1 - ax0) / span          # px per ms
    bands = runs(sorted(red_rows))
    lossy = [f for f in rep["flows"] if f["lossWindows"]]
    ok = True
    if len(bands) != len(lossy):
        print(f"{len(bands)} red bands, {len(lossy)} flows with loss windows")
        return 1
    for (y0, y1), f in zip(bands, lossy):
        cols = sorted(set(x for y in range(y0, y1 + 1) for x in red_rows[y]))
        seen = runs(cols)
        want = f["lossWindows"]
        name = f"{f['traffic']} flow {f['flow']}"
        if len(seen) != len(want):
            # windows closer than a pixel are drawn as one
            print(f"{name}: {len(seen)} red runs, {len(want)} windows")
            ok = False
            continue
        for (x0, x1), win in zip(seen, want):
            s_ms = (x0 - ax0) / scale
            e_ms = (x1 + 1 - ax0) / scale
            es = win["startMs"]
            ee = win["startMs"] + win["lengthMs"]
            good = (abs(x0 - (ax0 + es * scale)) <= TOLERANCE_PX and
                    abs(x1 + 1 - (ax0 + ee * scale)) <= TOLERANCE_PX + 1)
            print(f"{name}: red at x {x0}..{x1} = {s_ms:.0f}..{e_ms:.0f} ms; "
                  f"report {es}..{ee} ms: {'ok' if good else 'WRONG'}")
            ok = ok and good
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
