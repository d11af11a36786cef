/*
 * ratelim: at most `burst` log lines in each `interval_ms`, then a count of
 * what was held back. For lines a sender can cause at will (a connection
 * from an address that is no configured peer; a configured peer's malformed
 * UPDATEs, each answered as RFC 7606 says), so that the log cannot be
 * flooded.
 *
 * Owns: the counting, on a clock the caller passes in (mono_ms() in the
 * speaker, anything in tests).
 * Must not: write logs itself or read a clock.
 */
#ifndef ARSEMU_RATELIM_H
#define ARSEMU_RATELIM_H

#include <stdbool.h>
#include <stdint.h>

/* The speaker's limit on connections refused from unknown addresses. */
#define RATELIM_REFUSED_BURST		10
#define RATELIM_REFUSED_INTERVAL_MS	60000u
/* Each peer's limit on lines for its malformed UPDATEs (RFC 7606). */
#define RATELIM_MALFORMED_BURST		10
#define RATELIM_MALFORMED_INTERVAL_MS	60000u

struct ratelim {
	unsigned	 burst;		/* lines let through in one interval */
	uint64_t	 interval_ms;
	uint64_t	 start;		/* this interval began; 0: none yet */
	unsigned	 n;		/* lines let through in it */
	unsigned long	 held;		/* lines held back in it */
};

void	ratelim_init(struct ratelim *r, unsigned burst, uint64_t interval_ms);
/*
 * One more line at `now`: true to write it. When a new interval begins,
 * *held is what the last one held back (0: nothing), for the caller to
 * report before this line; otherwise *held is 0.
 */
bool	ratelim_allow(struct ratelim *r, uint64_t now, unsigned long *held);
/*
 * The interval is over and held lines were never reported: how many
 * (and the count is reset); 0 otherwise. For a timer, so that a flood
 * that stops is still summed up.
 */
unsigned long ratelim_due(struct ratelim *r, uint64_t now);
/* When ratelim_due() will have something to report; 0: never. */
uint64_t ratelim_deadline(const struct ratelim *r);

#endif
