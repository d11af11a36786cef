/*
 * fabric: effective routes as the fabric's kernel routes. A NIC's
 * effective routes become kernel routes (one table per subnet and one per
 * group of subnets, see share.h); interface indexes are looked up once and
 * kept here. sync.c puts them in the kernel.
 */
#ifndef ARSEMU_EMU_FABRIC_H
#define ARSEMU_EMU_FABRIC_H

#include <stddef.h>

#include "../topo/topo.h"
#include "nl.h"
#include "model/sdn.h"

struct fabric {
	struct nl		*nl;
	const struct topo	*t;
	int			*ifindex;	/* [t->nnics] */
	int			 inet, none;	/* the edge links, -1 none */
};

/* nl NULL: no edge links (a unit test sets ifindex, inet and none). */
void	fabric_init(struct fabric *f, struct nl *nl, const struct topo *t);
void	fabric_free(struct fabric *f);
/* The active routes of tab as kernel routes, sorted by prefix (caller frees); thread-safe. */
size_t	fabric_kernel_routes(const struct fabric *f, const struct sdn_table *tab,
	    struct nl_route **out);

#endif
