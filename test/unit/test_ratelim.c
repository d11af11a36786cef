/*
 * test_ratelim: the log limiter (bgp/ratelim.h) on a clock of our own: a
 * burst passes, the rest is counted, and the count is reported once, either
 * before the first line of the next interval or by the timer when the flood
 * has stopped.
 */
#include "../../bgp/ratelim.h"
#include "t.h"

int
main(void)
{
	struct ratelim r;
	unsigned long held;
	unsigned i, passed = 0;
	bool ok;

	ratelim_init(&r, 3, 1000);
	T_EQ(ratelim_deadline(&r), 0, "nothing held: no deadline");
	for (i = 0; i < 100; i++) {
		ok = ratelim_allow(&r, 5000 + i, &held);
		passed += ok;
		if (held != 0)
			break;
	}
	T_EQ(passed, 3, "a flood of 100 lines in 100 ms: 3 pass (%u)", passed);
	T_EQ(r.held, 97, "97 are held back (%lu)", r.held);
	T_EQ(ratelim_due(&r, 5999), 0, "not reported before the interval ends");
	T_EQ(ratelim_deadline(&r), 6000, "the timer is due when it ends");

	ok = ratelim_allow(&r, 6000, &held);
	T_OK(ok && held == 97, "the next interval's first line passes, with the "
	    "97 held back to report first (%lu)", held);
	T_EQ(ratelim_due(&r, 7000), 0, "reported once: the timer has nothing");
	ok = ratelim_allow(&r, 6001, &held);
	T_OK(ok && held == 0, "the second line of that interval passes");
	(void)ratelim_allow(&r, 6002, &held);
	T_OK(!ratelim_allow(&r, 6003, &held) && held == 0, "the fourth is held");
	T_EQ(ratelim_due(&r, 6500), 0, "the timer waits for the interval's end");
	T_EQ(ratelim_due(&r, 7000), 1, "then reports the one held back");
	T_EQ(ratelim_due(&r, 9000), 0, "once");
	T_EQ(ratelim_deadline(&r), 0, "and no deadline is left");
	ok = ratelim_allow(&r, 9000, &held);
	T_OK(ok && held == 0, "after the timer's report, a line passes with "
	    "nothing to report");

	ratelim_init(&r, 2, 1000);
	T_OK(ratelim_allow(&r, 0, &held) && ratelim_allow(&r, 1, &held) &&
	    !ratelim_allow(&r, 2, &held), "a clock starting at 0 works the same");
	return t_done();
}
