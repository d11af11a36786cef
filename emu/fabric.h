/*
 * fabric: effective routes as the fabric's kernel routes. A NIC's
 * effective routes become the model's kernel routes (struct kroute; one
 * table per subnet and one per group of subnets, see model/share.h);
 * interface indexes are looked up once and kept here. The kernel edge:
 * fabric_nl_route and fabric_model_route turn a struct kroute into a
 * netlink route and back. sync.c puts them in the kernel.
 */
#ifndef ARSEMU_EMU_FABRIC_H
#define ARSEMU_EMU_FABRIC_H

#include <stddef.h>

#include "../topo/topo.h"
#include "nl.h"
#include "model/sdn.h"
#include "model/kroute.h"

struct fabric {
	struct nl		*nl;
	const struct topo	*t;
	int			*ifindex;	/* [t->nnics] */
	int			*lbindex;	/* [t->nlbs]: LAB_LB_IFINDEX */
	int			 inet, none;	/* the edge links, -1 none */
};

/* nl NULL: no edge links (a unit test sets ifindex, inet and none). */
void	fabric_init(struct fabric *f, struct nl *nl, const struct topo *t);
void	fabric_free(struct fabric *f);
/* The active routes of tab as kernel routes, sorted by prefix (caller frees); thread-safe. */
size_t	fabric_kernel_routes(const struct fabric *f, const struct sdn_table *tab,
	    struct kroute **out);
/* k as the netlink route arsemu puts in table (protocol RTPROT_ARSEMU). */
void	fabric_nl_route(const struct kroute *k, uint32_t table,
	    struct nl_route *r);
/* A netlink route as the model's; false if it is of a kind fabric never makes. */
bool	fabric_model_route(const struct nl_route *r, struct kroute *k);

#endif
