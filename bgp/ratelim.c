/*
 * ratelim: a fixed window of `interval_ms` from its first line; `burst`
 * lines pass in it, the rest are counted and summed up once it is over.
 */
#include <string.h>

#include "ratelim.h"

void
ratelim_init(struct ratelim *r, unsigned burst, uint64_t interval_ms)
{
	memset(r, 0, sizeof(*r));
	r->burst = burst;
	r->interval_ms = interval_ms;
}

static bool
over(const struct ratelim *r, uint64_t now)
{
	return r->start == 0 || now - r->start >= r->interval_ms;
}

bool
ratelim_allow(struct ratelim *r, uint64_t now, unsigned long *held)
{
	*held = 0;
	if (now == 0)
		now = 1;	/* 0 stands for "no interval yet" */
	if (over(r, now)) {
		*held = r->held;
		r->start = now;
		r->n = 0;
		r->held = 0;
	}
	if (r->n < r->burst) {
		r->n++;
		return true;
	}
	r->held++;
	return false;
}

unsigned long
ratelim_due(struct ratelim *r, uint64_t now)
{
	unsigned long held = r->held;

	if (held == 0 || !over(r, now))
		return 0;
	/* the summary closes the interval; the next line opens a new one */
	r->held = 0;
	r->start = 0;
	r->n = 0;
	return held;
}

uint64_t
ratelim_deadline(const struct ratelim *r)
{
	return r->held == 0 ? 0 : r->start + r->interval_ms;
}
