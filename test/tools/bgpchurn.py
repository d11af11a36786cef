#!/usr/bin/env python3
"""bgpchurn: eight BGP peers against one route server, for the churn test.

Peers (all on loopback addresses of the namespace it runs in):
  steady   127.0.0.2-7, AS 65002-65007: each announces 20 /24s once and
           keeps its session; records every route it is sent, and whether
           its session ever dropped (NOTIFICATION or EOF).
  flapper  127.0.0.8, AS 65008: every --flap-interval seconds connects,
           announces 10 /24s, and closes the connection.
  churner  127.0.0.9, AS 65009: announces --routes /24s, withdraws them
           all, and again, for as long as the test runs.
Phases: steady peers come up and converge (their view is snapshotted and
the route server's RSS read: "before"); flapper and churner run for
--duration seconds; they stop, the churner's routes are withdrawn, the
route server settles, RSS is read again ("after") and the steady views are
compared with the snapshot. A JSON summary goes to stdout.

Written for arsemu's tests; speaks just enough BGP-4 (RFC 4271, four-octet
AS numbers per RFC 6793) to be a well-behaved peer.
"""
import argparse
import json
import select
import socket
import struct
import sys
import time

MARKER = b"\xff" * 16
OPEN, UPDATE, NOTIFICATION, KEEPALIVE = 1, 2, 3, 4
HOLD = 9
KEEPALIVE_S = 1.0
MAX_MSG = 4096


def msg(mtype, body=b""):
    return MARKER + struct.pack("!HB", 19 + len(body), mtype) + body


def open_msg(asn, bgp_id):
    caps = bytes([1, 4, 0, 1, 0, 1])                   # MP: IPv4 unicast
    caps += bytes([65, 4]) + struct.pack("!I", asn)     # four-octet AS
    opt = bytes([2, len(caps)]) + caps
    body = struct.pack("!BHH4sB", 4, asn if asn < 65536 else 23456, HOLD,
                       socket.inet_aton(bgp_id), len(opt)) + opt
    return msg(OPEN, body)


def nlri(prefixes):
    out = b""
    for p in prefixes:
        addr, plen = p.split("/")
        plen = int(plen)
        out += bytes([plen]) + socket.inet_aton(addr)[:(plen + 7) // 8]
    return out


def updates(asn, nexthop, announce=(), withdraw=()):
    announce, withdraw = list(announce), list(withdraw)
    """As few UPDATEs as fit in 4096 bytes each."""
    attrs = bytes([0x40, 1, 1, 0])                                  # ORIGIN IGP
    attrs += bytes([0x40, 2, 6, 2, 1]) + struct.pack("!I", asn)     # AS_PATH
    attrs += bytes([0x40, 3, 4]) + socket.inet_aton(nexthop)        # NEXT_HOP
    per = (MAX_MSG - 19 - 4 - len(attrs)) // 4     # a /24 takes 4 bytes
    out = []
    for i in range(0, len(withdraw), per):
        w = nlri(withdraw[i:i + per])
        out.append(msg(UPDATE, struct.pack("!H", len(w)) + w +
                       struct.pack("!H", 0)))
    for i in range(0, len(announce), per):
        out.append(msg(UPDATE, struct.pack("!HH", 0, len(attrs)) + attrs +
                       nlri(announce[i:i + per])))
    return out


def parse_prefixes(b):
    out, i = [], 0
    while i < len(b):
        plen = b[i]
        n = (plen + 7) // 8
        addr = b[i + 1:i + 1 + n] + b"\0" * (4 - n)
        out.append("%s/%d" % (socket.inet_ntoa(addr), plen))
        i += 1 + n
    return out


def parse_update(body):
    wl = struct.unpack("!H", body[:2])[0]
    withdrawn = parse_prefixes(body[2:2 + wl])
    al = struct.unpack("!H", body[2 + wl:4 + wl])[0]
    attrs = body[4 + wl:4 + wl + al]
    announced = parse_prefixes(body[4 + wl + al:])
    path, nh, i = [], None, 0
    while i < len(attrs):
        flags, code = attrs[i], attrs[i + 1]
        if flags & 0x10:
            alen = struct.unpack("!H", attrs[i + 2:i + 4])[0]
            val = attrs[i + 4:i + 4 + alen]
            i += 4 + alen
        else:
            alen = attrs[i + 2]
            val = attrs[i + 3:i + 3 + alen]
            i += 3 + alen
        if code == 2:
            j = 0
            while j < len(val):
                cnt = val[j + 1]
                path += list(struct.unpack("!%dI" % cnt, val[j + 2:j + 2 + 4 * cnt]))
                j += 2 + 4 * cnt
        elif code == 3:
            nh = socket.inet_ntoa(val)
    return withdrawn, announced, "-".join(map(str, path)), nh


class Peer:
    def __init__(self, ip, asn, rs):
        self.ip, self.asn, self.rs = ip, asn, rs
        self.sock, self.buf, self.up = None, b"", False
        self.rib, self.drops, self.last_ka = {}, [], 0.0

    def connect(self):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind((self.ip, 0))
        s.settimeout(5)
        s.connect((self.rs, 179))
        s.setblocking(False)
        self.sock, self.buf, self.up = s, b"", False
        self.send(open_msg(self.asn, self.ip))

    def send(self, data):
        self.sock.setblocking(True)
        self.sock.sendall(data)
        self.sock.setblocking(False)

    def close(self):
        if self.sock:
            self.sock.close()
        self.sock, self.up = None, False

    def tick(self, now):
        if self.sock and self.up and now - self.last_ka >= KEEPALIVE_S:
            self.send(msg(KEEPALIVE))
            self.last_ka = now

    def readable(self):
        try:
            data = self.sock.recv(65536)
        except BlockingIOError:
            return
        except OSError as e:
            self.drops.append("recv: %s" % e)
            self.close()
            return
        if not data:
            self.drops.append("EOF")
            self.close()
            return
        self.buf += data
        while len(self.buf) >= 19:
            length, mtype = struct.unpack("!HB", self.buf[16:19])
            if len(self.buf) < length:
                break
            body, self.buf = self.buf[19:length], self.buf[length:]
            if mtype == OPEN:
                self.send(msg(KEEPALIVE))
            elif mtype == KEEPALIVE and not self.up:
                self.up = True
            elif mtype == UPDATE:
                wd, ann, path, nh = parse_update(body)
                for p in wd:
                    self.rib.pop(p, None)
                for p in ann:
                    self.rib[p] = (path, nh)
            elif mtype == NOTIFICATION:
                self.drops.append("NOTIFICATION %d/%d" % (body[0], body[1]))
                self.close()
                return


def pump(peers, seconds):
    end = time.monotonic() + seconds
    while True:
        now = time.monotonic()
        for p in peers:
            p.tick(now)
        if now >= end:
            return
        socks = [p.sock for p in peers if p.sock]
        r, _, _ = select.select(socks, [], [], min(0.05, end - now))
        for p in peers:
            if p.sock in r:
                p.readable()


def wait_up(peers, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end and not all(p.up for p in peers):
        pump(peers, 0.05)
    return all(p.up for p in peers)


def rss_kib(pid, field="RssAnon:"):
    """The route server's anonymous memory (its heap, slabs, buffers): the
    file-backed part of VmRSS grows as code paths run for the first time
    (libc's too), which says nothing about what it holds."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1])
    return -1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rs", default="127.0.0.1")
    ap.add_argument("--rs-pid", type=int, required=True)
    ap.add_argument("--duration", type=float, default=60)
    ap.add_argument("--flap-interval", type=float, default=1.0)
    ap.add_argument("--routes", type=int, default=4000)
    ap.add_argument("--rsctl", help="command printing the route server's "
                    "peers as JSON, run before the steady peers close")
    a = ap.parse_args()

    steady = [Peer("127.0.0.%d" % i, 65000 + i, a.rs) for i in range(2, 8)]
    for p in steady:
        p.connect()
    if not wait_up(steady, 15):
        print(json.dumps({"error": "steady peers did not come up"}))
        return 1
    for i, p in enumerate(steady):
        mine = ["10.%d.%d.0/24" % (i + 2, k) for k in range(20)]
        for u in updates(p.asn, p.ip, announce=mine):
            p.send(u)
    pump(steady, 3)
    snapshot = [dict(p.rib) for p in steady]
    rss_before = rss_kib(a.rs_pid)
    vmrss_before = rss_kib(a.rs_pid, "VmRSS:")

    churner = Peer("127.0.0.9", 65009, a.rs)
    churner.connect()
    wait_up(steady + [churner], 10)
    churn = ["20.%d.%d.0/24" % (k // 256, k % 256) for k in range(a.routes)]
    flapper = Peer("127.0.0.8", 65008, a.rs)
    flaps = cycles = 0
    end = time.monotonic() + a.duration
    next_flap = time.monotonic()
    announced = False
    rss_warm = None
    while time.monotonic() < end:
        if rss_warm is None and cycles == 4:
            rss_warm = rss_kib(a.rs_pid)
        if time.monotonic() >= next_flap:
            if flapper.sock:
                flapper.close()
            else:
                try:
                    flapper.connect()
                    flaps += 1
                except OSError:
                    pass
            next_flap += a.flap_interval / 2
        if flapper.up and not getattr(flapper, "sent", False):
            for u in updates(65008, "127.0.0.8",
                             announce=["30.0.%d.0/24" % k for k in range(10)]):
                flapper.send(u)
            flapper.sent = True
        if not flapper.sock:
            flapper.sent = False
        if churner.up:
            for u in updates(65009, "127.0.0.9", withdraw=churn if announced else (),
                             announce=() if announced else churn):
                churner.send(u)
            announced = not announced
            cycles += 1
        pump(steady + [churner] + ([flapper] if flapper.sock else []), 0.25)
    flapper.close()
    if announced and churner.up:
        for u in updates(65009, "127.0.0.9", withdraw=churn):
            churner.send(u)
    pump(steady + [churner], 5)
    rss_after = rss_kib(a.rs_pid)
    vmrss_after = rss_kib(a.rs_pid, "VmRSS:")
    peers = None
    if a.rsctl:
        import subprocess
        peers = json.loads(subprocess.run(a.rsctl, shell=True, check=True,
                                          capture_output=True).stdout)
    unchanged = all(
        {k: v for k, v in p.rib.items() if k.startswith("10.")} == snap
        for p, snap in zip(steady, snapshot))
    leftover = sum(1 for p in steady for k in p.rib if not k.startswith("10."))
    print(json.dumps({
        "steady_drops": sum(len(p.drops) for p in steady),
        "drops_detail": [p.drops for p in steady],
        "steady_routes": [len(s) for s in snapshot],
        "steady_unchanged": unchanged,
        "leftover_churn_routes": leftover,
        "churner_drops": churner.drops,
        "flaps": flaps,
        "churn_cycles": cycles,
        "rss_before_kib": rss_before,
        "rss_warm_kib": rss_warm,
        "rss_after_kib": rss_after,
        "vmrss_before_kib": vmrss_before,
        "vmrss_after_kib": vmrss_after,
        "rs_peers": peers,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
