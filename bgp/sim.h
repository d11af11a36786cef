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
 * Each speaker may hold paths already (bgp_sim_node.held): what its peers
 * sent it in an earlier round of a caller that iterates (emu/model/plan.c runs
 * Route Servers and the NVAs between them to a fixpoint, PE-06), or what a
 * speaker that is not simulated sent it (a gateway's routes at a Route
 * Server, RS-50). They enter as an UPDATE would, through import policy.
 * With want_sent, what `self` would send each peer (its Adj-RIB-Out) comes
 * back too, for the next round.
 *
 * What this does not model: timing (which path arrived first never matters
 * to these decisions), and sessions between the other speakers (a caller
 * feeds them back as held paths).
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

/* A path a speaker holds from one of its peers, as an UPDATE brought it. */
struct bgp_sim_path {
	uint32_t		 peer;	/* the peering's address: conf->peers[].addr */
	struct pfx4		 pfx;
	struct bgp_attrs	 attrs;
};

/*
 * A speaker: its configuration, and paths it already holds from peers (what
 * they sent in an earlier round, or speakers that are not simulated).
 */
struct bgp_sim_node {
	const struct bgp_conf		*conf;
	const struct bgp_sim_path	*held;
	size_t				 nheld;
};

/* One peering of `self`, in the order of self->peers. */
struct bgp_sim_peer {
	bool		established;
	bool		over_limit;	/* sent more than route_limit (RS-40) */
	size_t		received;	/* routes it sent */
	size_t		accepted;	/* ... that import policy accepted */
	/* with want_sent: what self sends it (Adj-RIB-Out), peer = self's address */
	struct bgp_sim_path *sent;
	size_t		nsent;
	/* with want_sent: the prefixes of its paths import policy accepted */
	struct pfx4	*learned;
	size_t		nlearned;
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
/*
 * The same, each speaker with the paths it holds; with want_sent, what
 * self sends each established peer is in out->peers[i].sent, and what it
 * accepted from each in out->peers[i].learned.
 */
void	bgp_sim_run_nodes(const struct bgp_sim_node *self,
	    const struct bgp_sim_node *others, size_t nothers, bool want_sent,
	    struct bgp_sim *out);
void	bgp_sim_free(struct bgp_sim *s);
/* dst gets its own attributes: a caller keeps paths across rounds. */
void	bgp_sim_path_copy(struct bgp_sim_path *dst,
	    const struct bgp_sim_path *src);
/* Frees the attributes of v[0..n), then v. */
void	bgp_sim_paths_free(struct bgp_sim_path *v, size_t n);

#endif
