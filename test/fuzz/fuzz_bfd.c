/*
 * fuzz_bfd: libFuzzer target for the BFD core (GW-10). The input is a
 * series of datagrams (one length byte, then that many bytes) fed to one
 * session on a clock that moves 37 ms per datagram. What parses must build
 * back to the same 24 bytes; the session must stay in a valid state, never
 * send P and F together, and never schedule a packet sooner than 75% of the
 * interval it runs at (RFC 5880 6.8.7).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../bgp/bfd.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define STEP_US		37000u
#define IV_US		300000u

static void
check(bool cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "fuzz_bfd: %s\n", what);
		abort();
	}
}

static void
roundtrip(const uint8_t *p, const struct bfd_pkt *k)
{
	uint8_t b[BFD_PKT_LEN];
	struct wbuf w;
	struct bfd_pkt again = *k;

	/* the mandatory section only: what follows Length is not rebuilt */
	again.length = BFD_PKT_LEN;
	wbuf_init(&w, b, sizeof(b));
	check(bfd_build(&w, &again) == 0, "build failed");
	check(memcmp(b, p, 3) == 0 && memcmp(b + 4, p + 4, 20) == 0,
	    "rebuilt packet differs");
}

static void
drain(struct bfd_session *s, uint64_t now)
{
	struct bfd_pkt k;
	uint64_t before;
	int n = 0;

	for (;;) {
		before = s->t_tx;
		if (!bfd_session_tx(s, now, &k))
			break;
		check(!(k.poll && k.final), "P and F together");
		check(k.state == s->state && k.my_disc == s->local_disc,
		    "packet does not match the session");
		if (!k.final)
			check(before <= now && s->t_tx >= now +
			    (uint64_t)bfd_session_tx_interval(s) * 3 / 4,
			    "periodic packet scheduled too soon");
		check(++n < 4, "more than a Final and a periodic packet at once");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bfd_session s;
	struct bfd_pkt k;
	enum bfd_err e;
	uint64_t now = 1000000;
	size_t off = 0, len;
	uint8_t lb;

	bfd_session_init(&s, 0x1234, IV_US, IV_US, 3, 1, now);
	while (off < size) {
		lb = data[off++];
		len = lb;
		if (len > size - off)
			len = size - off;
		if (bfd_parse(data + off, len, &k, &e) == 0) {
			check(e == BFD_OK && len >= BFD_PKT_LEN && k.my_disc != 0,
			    "accepted a packet the checks refuse");
			roundtrip(data + off, &k);
			(void)bfd_session_recv(&s, &k, now, &e);
		} else
			check(e != BFD_OK, "refused without a reason");
		off += len;
		now += STEP_US;
		(void)bfd_session_expire(&s, now);
		check((unsigned)s.state <= BFD_UP, "invalid state");
		check(s.state != BFD_UP || s.des_min_tx == IV_US,
		    "Up but not at the configured interval");
		check(s.state == BFD_UP || s.des_min_tx >= BFD_SLOW_TX_US,
		    "faster than 1 s while not Up");
		drain(&s, now);
		/* a length byte of 0xff (its excess ignored) toggles AdminDown */
		if (lb == 0xff)
			(void)bfd_session_admin(&s, s.state != BFD_ADMIN_DOWN, now);
	}
	return 0;
}
