/*
 * importcommon: what the importers (azimport.c, tfimport.c) share: Azure
 * names made node names, a set of the node names taken with a suffix that
 * never loops, resource ids read as Azure reads them (case-insensitively),
 * and Azure's allocation of addresses in a subnet.
 *
 * Owns: the name set and its memory. Must not: know either input format.
 */
#ifndef ARSEMU_TOPO_IMPORTCOMMON_H
#define ARSEMU_TOPO_IMPORTCOMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/pfx.h"

/* A node name taken, and the next suffix to try when it is wanted again. */
struct imp_name {
	char		*name;		/* NULL: a free slot */
	unsigned	 next;
};

/* Node names taken: a hash set, at most half full. Zeroed is empty. */
struct imp_names {
	struct imp_name	*tab;
	size_t		 n, cap;	/* cap: 0 or a power of two */
};

/*
 * An Azure name as a node name into out (max + 1 bytes): lowercase,
 * [a-z0-9-], no leading '-', at most max characters, "x" if nothing is left.
 * True when it differs from in.
 */
bool	 imp_node_name(const char *in, char *out, size_t max);
/*
 * Reserve a unique node name made from want into buf (max + 1 bytes, max at
 * least 8); a taken one gets "-2", "-3", ... with the base cut so that the
 * whole suffix fits. O(1) per name however many are wanted alike.
 */
const char *imp_take_name(struct imp_names *s, const char *want, char *buf,
	    size_t max);
/* The same for an Azure name kept as it is (a route table's): max at most
 * IMP_NAME_MAX, the suffix made room for by cutting want. */
#define IMP_NAME_MAX	80
const char *imp_take_exact(struct imp_names *s, const char *want, char *buf,
	    size_t max);
void	 imp_names_free(struct imp_names *s);
bool	 imp_name_taken(const struct imp_names *s, const char *name);
/*
 * The segment after "/<kind>/" in a resource id, matched case-insensitively
 * (az upper-cases some ids), into buf; NULL if none or too long.
 */
const char *imp_id_part(const char *id, const char *kind, char *buf,
	    size_t len);
/*
 * Azure's dynamic allocation in one subnet: the first free address from .4
 * up (.0 to .3 and the last are Azure's), after the addresses known. Add
 * every known address first, then ask for the others in creation order.
 * Zeroed is empty. RouteServerSubnet's first two, .4 and .5, are the Route
 * Server's (imp_rs_ip).
 */
struct imp_alloc {
	uint32_t	*taken;		/* known addresses, sorted at the first next */
	size_t		 n, cap;
	uint32_t	 next;		/* the next address to try, or 0 */
	bool		 sorted;
};

void	 imp_alloc_known(struct imp_alloc *al, uint32_t ip);
/* The next free address of subnet p; 0 when p is full (or longer than /29). */
uint32_t imp_alloc_next(struct imp_alloc *al, const struct pfx4 *p);
void	 imp_alloc_free(struct imp_alloc *al);
/* The Route Server's instance i (0 or 1) in its subnet p: .4 and .5. */
uint32_t imp_rs_ip(const struct pfx4 *p, unsigned i);

/*
 * Two resource ids name the same resource: Azure compares them ignoring
 * case (az upper-cases some) and trailing '/'s.
 */
bool	 imp_id_eq(const char *a, const char *b);
/* id is parent or a resource under it (a subnet under its VNet), as above. */
bool	 imp_id_under(const char *id, const char *parent);

struct cJSON;
/* The topology's region named loc in the "regions" array, added if missing. */
struct cJSON *imp_region_obj(struct cJSON *regions, const char *loc);

/* The NVA of a "nvas" array at address ip (its "ip"), or NULL. */
struct cJSON *imp_nva_at(struct cJSON *nvas, uint32_t ip);

/*
 * An NSG rule's address s as arsemu takes it: a prefix, an address, or a
 * service tag it knows (*out: the topology's spelling; "Any" is "*").
 */
bool	 imp_nsg_addr(const char *s, const char **out);

/*
 * Internal load balancers (importlb.c): what both importers make of one,
 * in the topology's shape (a hub's "load_balancers", LB-01..LB-05). Each
 * returns NULL when taken, else why not (a warning's text, static), for
 * the importer to print with its file and path or resource address.
 */
/* {"name", "frontend": {"subnet", "ip"}, "backends": []}: fill with the rest. */
struct cJSON *imp_lb_new(const char *name, const char *subnet, uint32_t ip);
/* A backend pool member: the node name of an NVA, once. */
const char *imp_lb_backend(struct cJSON *lb, const char *node);
/*
 * A load-balancing rule: protocol All with frontend and backend port 0 is
 * HA ports (LB-02); Tcp or Udp with one port both sides is a port rule.
 */
const char *imp_lb_rule(struct cJSON *lb, const char *proto, double fport,
	    double bport);
/*
 * The health probe (LB-05): interval and threshold < 0 are Azure's
 * defaults (15 s; arsemu's 2); Http and Https probes lose their path.
 */
const char *imp_lb_probe(struct cJSON *lb, const char *proto, double port,
	    double interval, double threshold, const char *path);
/* Whether lb has a rule, backends and a probe: else why it cannot be imported. */
const char *imp_lb_done(const struct cJSON *lb);
/*
 * lb appended to the hub's *arr (made if NULL), *n counting the topology's:
 * NULL, or why not (arsemu's bound, a frontend address taken); the caller
 * then frees lb.
 */
const char *imp_lb_add(struct cJSON **arr, struct cJSON *lb, size_t *n);

#endif
