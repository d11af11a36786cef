/*
 * lbhealth: the lab daemon's health probes of internal load balancers'
 * backends (LB-05). Every probe interval it connects, over TCP from
 * 168.63.129.16 in the fabric, to each backend's probe port, where the
 * daemon keeps a listening socket in the backend's namespace (the service
 * the probe checks: arsemu's NVAs run none of their own). A probe not
 * answered by the next one fails; threshold failures in a row take the
 * backend out of rotation, as many successes bring it back. A change
 * rewrites the load balancer's nftables chain (lablb_chain: existing flows
 * of the backend that left rehash onto the others) and is journalled
 * ("lb-backend").
 *
 * Owns its sockets. Must not: choose a flow's backend (the kernel does,
 * emu/model/lb.h's hash).
 */
#ifndef ARSEMU_EMU_LBHEALTH_H
#define ARSEMU_EMU_LBHEALTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../topo/topo.h"
#include "journal.h"

struct lbh_backend {
	int		listen_fd;	/* the service in the backend; -1: down */
	int		probe_fd;	/* the probe in flight, -1: none */
	bool		probed;		/* a probe was sent (or failed to be) */
	unsigned	fails, oks;	/* in a row */
	bool		up;		/* in rotation */
};

struct lbhealth {
	const char		*lab;
	const struct topo	*t;
	struct journal		*j;
	int			 fabric_fd;
	char			 dir[256];	/* the lab's, for the nft file */
	struct lbh_backend	**b;		/* [t->nlbs][nbackends] */
	uint64_t		*next;		/* [t->nlbs]: next probe, ms */
};

void	lbhealth_init(struct lbhealth *h, const char *lab, const struct topo *t,
	    struct journal *j);
/* Probe whatever is due (call every pass of the loop). */
void	lbhealth_tick(struct lbhealth *h, uint64_t now);
/* Whether backend i of lb is in rotation. */
bool	lbhealth_up(const struct lbhealth *h, const struct topo_lb *lb,
	    size_t i);
/*
 * The service behind NVA node's probes stops (false: its listening
 * sockets close, probes are refused) or runs again; 0 if it is a backend.
 */
int	lbhealth_service(struct lbhealth *h, const struct topo_node *node,
	    bool run);
void	lbhealth_free(struct lbhealth *h);

#endif
