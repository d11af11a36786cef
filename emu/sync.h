/*
 * sync: the lab daemon's incremental sync engine. From the effective
 * routes' input (watch.c) it computes every subnet's effective routes
 * (sdn.h), shares them out into subnet and group tables (model/share.h) and
 * makes the fabric's kernel tables hold them: a whole group by dump,
 * compare and one batch of changes; a change at a few prefixes that only
 * the group table can see, by one batch to the group table without a dump
 * (issue 10).
 *
 * The kernel is reached only through struct sync_nl, which the daemon
 * fills with nl.c's functions (sync_nl_kernel) and a unit test with a
 * recording fake (test_sync.c).
 * Owns: the tables' last state (hashes, each group's base) and the input
 * they were built from. Must not: read the watch streams or journal what
 * it was not asked to do.
 */
#ifndef ARSEMU_EMU_SYNC_H
#define ARSEMU_EMU_SYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../topo/topo.h"
#include "fabric.h"
#include "journal.h"
#include "nl.h"
#include "model/sdn.h"
#include "model/share.h"

/* The netlink seam: what the engine asks of the kernel. */
struct sync_nl {
	void	*arg;
	/* Every route of table with protocol RTPROT_ARSEMU, sorted (caller frees). */
	int	(*dump)(void *arg, uint32_t table, struct nl_route **out,
		    size_t *n);
	void	(*begin)(void *arg);		/* a batch */
	int	(*replace)(void *arg, const struct nl_route *r);
	int	(*del)(void *arg, const struct nl_route *r);
	int	(*commit)(void *arg);		/* 0: all acknowledged */
	const char *(*errmsg)(void *arg);
};

/* ops calls nl.c's functions on nl. */
void	sync_nl_kernel(struct sync_nl *ops, struct nl *nl);

/*
 * Make `table` hold exactly want[0..n) (sorted by prefix): dump what the
 * kernel has, replace what differs, delete what is stale, in one batch.
 * *changes counts the requests sent.
 */
int	sync_table(const struct sync_nl *ops, uint32_t table,
	    struct nl_route *want, size_t n, unsigned *changes);

struct group_keep;

struct sync {
	const struct topo	*t;
	const struct fabric	*fab;
	const struct sync_nl	*nl;
	struct journal		*j;
	struct share_layout	 share;		/* subnet slots and groups */
	uint64_t		*slot_hash;	/* [nslots]: of what was programmed */
	size_t			*slot_nlisted;	/* [nslots]: its listed routes */
	struct group_keep	*keep;		/* [ngroups] */
	struct sdn_input	 in;		/* what the tables were built from */
	bool			 no_incr;	/* always whole groups */
	uint64_t		 last_change;	/* mono_ms() of the last change */
};

void	sync_init(struct sync *s, const struct topo *t, const struct fabric *fab,
	    const struct sync_nl *nl, struct journal *j);
/*
 * Program the fabric for `in` (taken: zeroed here, freed by the engine);
 * returns the tables changed.
 */
size_t	sync_apply(struct sync *s, struct sdn_input *in);
/* The input of what is programmed, for `routes NIC`. */
const struct sdn_input *sync_input(const struct sync *s);
void	sync_free(struct sync *s);
/* Free an input as watches_input() builds it. */
void	sync_input_free(struct sdn_input *in);

#endif
