/*
 * watch: the lab daemon's watch streams, one for each Route Server and
 * gateway instance: its "watch" on the speaker's control socket streams
 * the routes the instance programs ("fib" rows, then "sync"), reconnected
 * when lost. The instances of each hub and gateway are merged here into
 * the input of the effective routes (sdn.h).
 * Owns: the streams and the routes each last sent. Must not: compute
 * effective routes or touch the fabric (sync.c does).
 */
#ifndef ARSEMU_EMU_WATCH_H
#define ARSEMU_EMU_WATCH_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../topo/topo.h"
#include "journal.h"
#include "model/sdn.h"

struct watch {
	const struct topo_node	*node;		/* an RS or gateway instance */
	int			 fd;
	char			*buf;
	size_t			 len, cap;
	bool			 synced;	/* saw the first "sync" */
	unsigned		 changes;	/* fib rows since the last sync */
	uint64_t		 next_try;
	struct sdn_bgp_route	*routes;
	size_t			 nroutes, rcap;
	uint32_t		*slot;		/* prefix -> 1 + index in routes */
	size_t			 nslot;		/* a power of two, or 0 */
};

struct watches {
	const char		*lab;
	const struct topo	*t;
	struct journal		*j;
	struct watch		*v;
	size_t			 n;
	bool			 dirty;		/* routes changed since watches_input */
	uint64_t		 last_rx;	/* a stream last read data */
};

void	watches_init(struct watches *ws, const char *lab, const struct topo *t,
	    struct journal *j);
/* A stream for every Route Server and gateway instance of the topology. */
void	watches_add_all(struct watches *ws);
/* Connect each stream that is down and due for a try. */
void	watches_connect(struct watches *ws);
/* ws->n pollfds, one for each stream at the same index (-1 when down). */
void	watches_pollfds(const struct watches *ws, struct pollfd *pfd);
/* Read each stream pfd says has data (or was closed). */
void	watches_handle(struct watches *ws, const struct pollfd *pfd);
/*
 * The effective routes' input from what the streams hold now: each hub's
 * instances merged (U-04), each gateway's (VR-04). Clears ws->dirty. The
 * caller owns *in (sync_apply takes it).
 */
void	watches_input(struct watches *ws, struct sdn_input *in);
void	watches_free(struct watches *ws);

#endif
