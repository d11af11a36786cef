/*
 * reach: the all-pairs reachability matrix of a topology, offline, by
 * equivalence classes (`arsemu reach`).
 *
 * Endpoints are VMs and on-premises site hosts (sources and destinations)
 * and the Internet (a destination only, walked to 198.51.100.1 as
 * `arsemu walk SRC internet` does). A class is a set of endpoints every
 * walk treats alike:
 *   - a VM class: VMs of one subnet (their NICs share the subnet's
 *     effective routes: sdn_effective() reads the NIC's subnet only),
 *     split further where a prefix of the model (a route, a UDR, a filter's
 *     source or destination, a VNet's space, a site prefix: reach_cuts())
 *     lies strictly inside the subnet and holds some of them but not all
 *     (a route's next hop counts as a /32: a VM named as one is reached
 *     when it is the destination and does not forward for the others);
 *   - a host class: hosts of one site prefix, split the same way;
 *   - the Internet.
 * Every lookup a walk makes is for the packet's destination (walk.c), a
 * filter reads addresses through prefixes, and each of those prefixes is
 * a cut: two members of a class give the same walk but for their own
 * names at its ends. So one walk per (source class, destination class,
 * service) is walked, from a representative member to another, with
 * walk_predict() itself and plan_run()'s tables: what `arsemu walk
 * --offline` predicts for that pair, by construction.
 *
 * Services: filters are the only part of a walk that reads the protocol
 * or port. Without a filter in the topology one service is walked (UDP to
 * port 33434, walk's default) and stands for all; with filters: ICMP, and
 * for TCP and UDP each destination port a filter names plus one port no
 * filter names (the first from 33434 up) standing for the rest.
 *
 * Pure: no I/O. Each walk looks its tables up through a view that holds
 * only the routes containing the destination, in the table's order: the
 * same answer as the whole table (sdn_lookup, walk.c's why()), without
 * scanning 10,000 routes per hop.
 */
#ifndef ARSEMU_EMU_REACH_H
#define ARSEMU_EMU_REACH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../topo/topo.h"
#include "plan.h"
#include "walk.h"


enum reach_kind { REACH_VM, REACH_HOST, REACH_INTERNET };

struct reach_class {
	enum reach_kind		 kind;
	const struct topo_subnet *subnet;	/* REACH_VM */
	const struct topo_site	*site;		/* REACH_HOST */
	struct pfx4		 range;		/* the subnet or site prefix */
	const struct topo_node	**members;	/* VMs or hosts; none: Internet */
	size_t			 nmembers;
	size_t			 nsel_src;	/* members a --from group selects */
	size_t			 nsel_dst;	/* members a --to group selects */
	const struct topo_node	*rep_src;	/* first member selected as source */
	const struct topo_node	*rep_dst;	/* first selected as destination */
	const struct topo_node	*rep_dst2;	/* the next: when rep_src is rep_dst */
};

/* A protocol and port class (see above). */
struct reach_svc {
	enum walk_proto		 proto;
	uint16_t		 port;
	bool			 other;		/* stands for every port no filter names */
	bool			 all;		/* the only service: no filters at all */
};

/* One walk's result, kept small: the hops' nodes (NULL: the Internet). */
struct reach_result {
	enum walk_outcome	 outcome;
	const struct topo_node	**hops;
	size_t			 nhops;
	bool			 ecmp;		/* a hop chose among ECMP next hops */
	char			*detail;	/* NULL when delivered */
	const struct topo_filter *rule;		/* WALK_DENIED */
	const struct topo_vnet	*refused_by;	/* WALK_PEERING_REFUSED */
};

/* One row: a source class to a destination class, one result per service. */
struct reach_cell {
	size_t			 src, dst;	/* indices in reach.classes */
	size_t			 nsrc, ndst;	/* selected members */
	size_t			 pairs;		/* nsrc x ndst, less self pairs */
	struct reach_result	*res;		/* [nsvcs] */
};

/*
 * A group of endpoints (--from, --to): "vnet:NAME", "subnet:VNET/SUBNET",
 * "site:NAME", "internet", or a VM's or site host's node name.
 */
enum reach_group_kind {
	REACH_G_ALL, REACH_G_VNET, REACH_G_SUBNET, REACH_G_SITE,
	REACH_G_INTERNET, REACH_G_NODE
};

struct reach_group {
	enum reach_group_kind	 kind;
	const struct topo_vnet	*vnet;
	const struct topo_subnet *subnet;
	const struct topo_site	*site;
	const struct topo_node	*node;
};

struct reach {
	struct reach_class	*classes;	/* VM classes, host classes, Internet */
	size_t			 nclasses;
	struct reach_svc	*svcs;
	size_t			 nsvcs;
	struct reach_cell	*cells;		/* selected pairs of classes */
	size_t			 ncells;
	size_t			 nvms, nhosts;	/* endpoints in the topology */
	size_t			 walks;		/* walk_predict() calls made */
	size_t			 tables;	/* sdn_effective() calls made */
};

/*
 * Parse a group; NULL string: every endpoint. -1 with err naming the group
 * and what is wrong with it.
 */
int	reach_group_parse(const struct topo *t, const char *s,
	    struct reach_group *g, char *err, size_t len);
/* Whether the group selects node n (NULL: the Internet). */
bool	reach_group_has(const struct reach_group *g, const struct topo_node *n);

/*
 * The matrix from `from` to `to` (NULL: every endpoint), with plan_run()'s
 * prediction in p. -1 with err set if `from` selects no source (the
 * Internet is none).
 */
int	reach_run(const struct topo *t, const struct plan *p,
	    const struct reach_group *from, const struct reach_group *to,
	    struct reach *r, char *err, size_t len);
void	reach_free(struct reach *r);

/*
 * What two revisions' matrices share so that their classes and services
 * correspond (`arsemu diff`): cuts added to the topology's own (the other
 * revision's reach_cuts()), and the topologies whose filters make the
 * services (both revisions; none: t's own).
 *
 * table_cb (NULL: none), when set, is called with every subnet's effective
 * table the matrix computes, on the matrix's thread, as sdn_effective_both
 * gives it (az's order, and the by-prefix order as positions), before the
 * matrix uses it: the route comparison of `arsemu diff` reads the tables
 * from there instead of computing them again. A subnet's table may come
 * more than once (the matrix keeps a bounded number at a time) and a
 * subnet no walk crosses never; tab and by_prefix are only lent.
 */
struct reach_opts {
	const struct pfx4	 *cuts;
	size_t			  ncuts;
	const struct topo *const *svc_topos;
	size_t			  nsvc_topos;
	void			(*table_cb)(void *arg, const struct topo_nic *nic,
				    const struct sdn_table *tab,
				    const uint32_t *by_prefix);
	void			 *table_arg;
};

/* reach_run, with o's cuts and services (NULL: reach_run). */
int	reach_run_opts(const struct topo *t, const struct plan *p,
	    const struct reach_group *from, const struct reach_group *to,
	    const struct reach_opts *o, struct reach *r, char *err, size_t len);

/*
 * The prefixes that may split a subnet or site prefix (see above), sorted
 * and distinct; *out malloc'd. Returns the count.
 */
size_t	reach_cuts(const struct topo *t, const struct plan *p, struct pfx4 **out);

/* "tcp/22", "tcp/other", "icmp", "any": the service's label into buf. */
const char *reach_svc_str(const struct reach_svc *s, char *buf, size_t len);
/* Whether two results name the same outcome and hops. */
bool	reach_result_equal(const struct reach_result *a,
	    const struct reach_result *b);
/* Whether two results of two topologies name the same outcome and hops. */
bool	reach_result_same(const struct reach_result *a,
	    const struct reach_result *b);
/*
 * A class's name: subnet:VNET/SUBNET, site:NAME, internet; "#K" after it
 * when cuts split its container, K counting from 1 in address order.
 */
void	reach_class_name(const struct reach *r, size_t i, char *buf,
	    size_t len);
/* Every class's name, once: v[i] for r->classes[i]; strv_free(v, nclasses). */
char	**reach_class_names(const struct reach *r);
/* Hops [from, to) of a result, "a > b > internet", into buf. */
void	reach_path_str(const struct reach_result *res, size_t from, size_t to,
	    char *buf, size_t len);
/* The outcome, and the filter rule or peering that decided it. */
void	reach_outcome_str(const struct reach_result *res, char *buf,
	    size_t len);
/* A walk as a result (hops copied); free with reach_result_free(). */
void	reach_result_of(const struct walk *w, struct reach_result *r);
void	reach_result_free(struct reach_result *r);

#endif
