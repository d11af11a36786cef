/*
 * sim: the converged outcome of one speaker's sessions, predicted offline
 * with the speaker's own code (originate, policy_export, policy_import,
 * decide), as `arsemu plan` needs it: what a Route Server instance programs
 * once every NVA peering is up and has sent its routes.
 *
 * Every speaker is given by its bgp_conf, exactly as the live lab starts it.
 * A session between `self` and another speaker comes up when each lists the
 * other's address with the other's ASN and at least one of them connects
 * (not both passive). A peer that sends more routes than the route limit of
 * its peering has its session reset (RS-40), so it contributes nothing.
 *
 * What this does not model: timing (which path arrived first never matters
 * to these decisions), routes the other speakers learn from `self` and send
 * back (for a Route Server they carry 65515 and are refused: RS-20), and
 * sessions between the other speakers.
 *
 * Pure: no sockets, no kernel, no clock that matters.
 */
#ifndef ARSEMU_BGP_SIM_H
#define ARSEMU_BGP_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bgp.h"

/* One prefix as the speaker's FIB would hold it (what the RS programs). */
struct bgp_sim_route {
	struct pfx4	pfx;
	uint32_t	nh[BGP_MAX_ECMP];	/* sorted, distinct */
	unsigned	nnh;
	unsigned	aspath_hops;
};

/* One peering of `self`, in the order of self->peers. */
struct bgp_sim_peer {
	bool		established;
	bool		over_limit;	/* sent more than route_limit (RS-40) */
	size_t		received;	/* routes it sent */
	size_t		accepted;	/* ... that import policy accepted */
};

struct bgp_sim {
	struct bgp_sim_route	*fib;		/* sorted by prefix */
	size_t			 nfib;
	struct bgp_sim_peer	 peers[BGP_MAX_PEERS];
	unsigned		 npeers;
};

/* Predict `self` with `others` as the speakers around it. */
void	bgp_sim_run(const struct bgp_conf *self,
	    const struct bgp_conf *const *others, size_t nothers,
	    struct bgp_sim *out);
void	bgp_sim_free(struct bgp_sim *s);

#endif
