/*
 * drillloss: loss windows from a drill's probe records (drillloss.h).
 *
 * UDP: a gap in sequence is loss, dated by the send times around it.
 * TCP: nothing is lost, a failure stalls the stream; a stall is the time
 * the network held records back beyond the sender's own spacing.
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "drillloss.h"

static int
rec_cmp(const void *a, const void *b)
{
	const struct probe_rec *x = a, *y = b;

	if (x->flow != y->flow)
		return x->flow < y->flow ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

void
drill_recs_sort(struct probe_rec *v, size_t n)
{
	if (n > 0)
		qsort(v, n, sizeof(*v), rec_cmp);
}

static void
add_window(struct drill_flow *fl, uint64_t t0_ms, uint64_t start_us,
    uint64_t len_us, unsigned lost)
{
	fl->w = xrealloc(fl->w, (fl->nw + 1) * sizeof(*fl->w));
	fl->w[fl->nw].start_ms = (long)(start_us / 1000) - (long)t0_ms;
	fl->w[fl->nw].len_ms = (long)(len_us / 1000);
	fl->w[fl->nw].lost = lost;
	fl->nw++;
	fl->loss_ms += (long)(len_us / 1000);
}

/*
 * Between two packets received, MISSING were lost. Sent on time, they
 * were INTERVAL apart and the window runs from the first lost packet's
 * send time to the next received one's. A sender that fell behind (the
 * scheduler paused it) sends what it owes back to back, closer than the
 * interval: the window is then the part of the gap the lost packets took,
 * never less than nothing.
 */
void
drill_loss_udp(struct drill_flow *fl, const struct probe_rec *v, size_t n,
    unsigned sent, uint64_t interval_us, uint64_t t0_ms)
{
	size_t k;

	fl->sent = sent;
	for (k = 0; k < n; k++) {
		/* duplicates (ECMP never duplicates, but be safe) count once */
		if (k > 0 && v[k].seq == v[k - 1].seq)
			continue;
		fl->received++;
		if (k == 0 && v[k].seq > 0)
			add_window(fl, t0_ms, v[k].sent_us - (uint64_t)v[k].seq *
			    interval_us, (uint64_t)v[k].seq * interval_us, v[k].seq);
		if (k > 0 && v[k].seq > v[k - 1].seq + 1) {
			unsigned missing = v[k].seq - v[k - 1].seq - 1;
			uint64_t gap = v[k].sent_us > v[k - 1].sent_us ?
			    v[k].sent_us - v[k - 1].sent_us : 0,
			    step = gap / (missing + 1u);

			if (step > interval_us)
				step = interval_us;
			add_window(fl, t0_ms, v[k - 1].sent_us + step, gap - step,
			    missing);
		}
	}
	if (n > 0 && sent > v[n - 1].seq + 1)
		add_window(fl, t0_ms, v[n - 1].sent_us + interval_us,
		    (uint64_t)(sent - v[n - 1].seq - 1) * interval_us,
		    sent - v[n - 1].seq - 1);
	fl->lost = sent > fl->received ? sent - fl->received : 0;
}

/*
 * Between two records in a row, the network held the second back for as
 * long as their arrivals lay further apart than their sends; more than two
 * send intervals of that is a window during which the flow delivered
 * nothing. A sender the scheduler pauses sends late and delays both alike,
 * so its pause is no window (with sends on time this is the rule of a gap
 * of more than three intervals between arrivals).
 */
void
drill_loss_tcp(struct drill_flow *fl, const struct probe_rec *v, size_t n,
    unsigned sent, uint64_t interval_us, uint64_t t0_ms)
{
	size_t k;

	fl->sent = sent;
	fl->received = (unsigned)n;
	for (k = 1; k < n; k++) {
		uint64_t got = v[k].recv_us > v[k - 1].recv_us ?
		    v[k].recv_us - v[k - 1].recv_us : 0,
		    sent_gap = v[k].sent_us > v[k - 1].sent_us ?
		    v[k].sent_us - v[k - 1].sent_us : 0;

		if (got > sent_gap + 2 * interval_us)
			add_window(fl, t0_ms, v[k - 1].recv_us + sent_gap,
			    got - sent_gap, 0);
	}
	fl->lost = 0;
}

/*
 * Not the windows that start in [from, to): a packet sent just before an
 * injection meets the failure on its way, so its window starts a little
 * before the step (more so on a loaded machine), yet the loss is the step's.
 */
long
drill_loss_in(const struct drill_report *rep, const char *traffic, long from,
    long to)
{
	long worst = 0;
	size_t i, k;

	for (i = 0; i < rep->nflows; i++) {
		const struct drill_flow *fl = &rep->flows[i];
		long sum = 0;

		if (strcmp(fl->traffic->name, traffic) != 0)
			continue;
		for (k = 0; k < fl->nw; k++) {
			long mid = fl->w[k].start_ms + fl->w[k].len_ms / 2;

			if (mid >= from && mid < to)
				sum += fl->w[k].len_ms;
		}
		if (sum > worst)
			worst = sum;
	}
	return worst;
}
