/*
 * test_drillloss: the loss rules a drill report applies to its probes'
 * records (emu/drillloss.c), on records made by hand: what the network
 * lost is counted, what the instrument's own pauses did is not.
 */
#include <stdlib.h>
#include <string.h>

#include "../../emu/drillloss.h"
#include "../../lib/util.h"
#include "t.h"

#define IV	10000u		/* 100 packets a second */
#define T0	1000u		/* ms: the drill's start */

static struct drill_traffic tr_udp = { .name = "u" }, tr_tcp = { .name = "t" };

/* n records of flow 0, seq s[i], sent at snd[i] us, received at rcv[i] us */
static struct probe_rec *
recs(size_t n, const unsigned *s, const uint64_t *snd, const uint64_t *rcv)
{
	struct probe_rec *v = xcalloc(n, sizeof(*v));
	size_t i;

	for (i = 0; i < n; i++)
		v[i] = (struct probe_rec){ 0, s[i], snd[i], rcv[i] };
	return v;
}

static void
test_udp(void)
{
	/* sent on time, 3 lost: 30 ms from the first lost one's send */
	{
		unsigned s[] = { 0, 1, 5, 6 };
		uint64_t t[] = { 2000000, 2010000, 2050000, 2060000 };
		struct probe_rec *v = recs(4, s, t, t);
		struct drill_flow fl = { .traffic = &tr_udp };

		drill_loss_udp(&fl, v, 4, 7, IV, T0);
		T_OK(fl.nw == 1 && fl.w[0].start_ms == 1020 && fl.w[0].len_ms == 30 &&
		    fl.w[0].lost == 3 && fl.lost == 3 && fl.received == 4 &&
		    fl.loss_ms == 30, "udp: 3 lost on time: one window of 30 ms at "
		    "1020 (nw %zu, start %ld, len %ld, lost %u)", fl.nw,
		    fl.nw ? fl.w[0].start_ms : -1, fl.nw ? fl.w[0].len_ms : -1,
		    fl.lost);
		free(fl.w);
		free(v);
	}
	/*
	 * A sender paused 200 ms sends what it owes back to back, 10 us
	 * apart; one of those lost. The window must be the few us it took,
	 * not the gap less an interval (which is negative: it wrapped to
	 * 18 million years).
	 */
	{
		unsigned s[] = { 0, 1, 2, 4 };
		uint64_t t[] = { 2000000, 2200000, 2200010, 2200030 };
		struct probe_rec *v = recs(4, s, t, t);
		struct drill_flow fl = { .traffic = &tr_udp };

		drill_loss_udp(&fl, v, 4, 5, IV, T0);
		T_OK(fl.lost == 1 && fl.nw == 1 && fl.w[0].len_ms == 0 &&
		    fl.w[0].start_ms == 1200 && fl.loss_ms == 0,
		    "udp: a loss inside a sender's catch-up burst is no negative "
		    "window (len %ld, loss %ld)", fl.nw > 0 ? fl.w[0].len_ms : -1,
		    fl.loss_ms);
		free(fl.w);
		free(v);
	}
	/* the tail: what was sent after the last packet received */
	{
		unsigned s[] = { 0, 1 };
		uint64_t t[] = { 2000000, 2010000 };
		struct probe_rec *v = recs(2, s, t, t);
		struct drill_flow fl = { .traffic = &tr_udp };

		drill_loss_udp(&fl, v, 2, 12, IV, T0);
		T_OK(fl.nw == 1 && fl.w[0].len_ms == 100 && fl.lost == 10,
		    "udp: 10 sent after the last received: 100 ms");
		free(fl.w);
		free(v);
	}
}

static void
test_tcp(void)
{
	/* the network holds the stream 300 ms: one window of 300 ms */
	{
		unsigned s[] = { 0, 1, 2, 3 };
		uint64_t snd[] = { 2000000, 2010000, 2020000, 2030000 };
		uint64_t rcv[] = { 2000100, 2010100, 2320000, 2320050 };
		struct probe_rec *v = recs(4, s, snd, rcv);
		struct drill_flow fl = { .traffic = &tr_tcp };

		drill_loss_tcp(&fl, v, 4, 4, IV, T0);
		T_OK(fl.nw == 1 && fl.w[0].len_ms == 299 && fl.w[0].start_ms == 1020 &&
		    fl.lost == 0, "tcp: a 300 ms stall is one window (len %ld)",
		    fl.nw ? fl.w[0].len_ms : -1);
		free(fl.w);
		free(v);
	}
	/* the sender paused 300 ms: sends and arrivals move alike: nothing */
	{
		unsigned s[] = { 0, 1, 2, 3 };
		uint64_t snd[] = { 2000000, 2010000, 2310000, 2310020 };
		uint64_t rcv[] = { 2000100, 2010100, 2310100, 2310120 };
		struct probe_rec *v = recs(4, s, snd, rcv);
		struct drill_flow fl = { .traffic = &tr_tcp };

		drill_loss_tcp(&fl, v, 4, 4, IV, T0);
		T_OK(fl.nw == 0 && fl.loss_ms == 0,
		    "tcp: a sender's pause is no stall (nw %zu)", fl.nw);
		free(fl.w);
		free(v);
	}
	/* on time, a gap of three intervals exactly is not yet a window */
	{
		unsigned s[] = { 0, 1, 2 };
		uint64_t snd[] = { 2000000, 2010000, 2020000 };
		uint64_t rcv[] = { 2000000, 2010000, 2040000 };
		struct probe_rec *v = recs(3, s, snd, rcv);
		struct drill_flow fl = { .traffic = &tr_tcp };

		drill_loss_tcp(&fl, v, 3, 3, IV, T0);
		T_OK(fl.nw == 0, "tcp: an arrival gap of 3 intervals is no window");
		free(fl.w);
		free(v);
	}
}

/* A window is the step's whose interval holds its middle. */
static void
test_attribution(void)
{
	struct drill_window w[] = { { 6730 - 1000, 12351, 1235 }, { 100, 4, 1 } };
	struct drill_flow fl[] = {
		{ .traffic = &tr_udp, .w = w, .nw = 1 },
		{ .traffic = &tr_udp, .w = w + 1, .nw = 1 },
	};
	struct drill_report rep = { .flows = fl, .nflows = 2 };

	/* the lz-fw1-down case: sent 14 ms before the blackhole, lost to it */
	T_EQ(drill_loss_in(&rep, "u", 6744 - 1000, 24384 - 1000), 12351,
	    "a window that starts 14 ms before its step counts for the step");
	T_EQ(drill_loss_in(&rep, "u", 0, 6744 - 1000), 4,
	    "and not for the interval before it (only the other flow's 4 ms)");
	T_EQ(drill_loss_in(&rep, "t", 0, 100000), 0, "another traffic: nothing");
}

int
main(void)
{
	test_udp();
	test_tcp();
	test_attribution();
	return t_done();
}
