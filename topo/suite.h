/*
 * suite: the check suite language (man/arsemu-check.5, docs/check.schema.json).
 * A suite names a topology and a list of assertions: routes, walk, policy
 * (inspect, egress, isolated), bgp and diff (against a base topology). Parsed with the topology's own JSON
 * helpers (jread.c, jget.c): the 16 MiB cap, NUL refused, unknown fields
 * refused, every error with its JSON path, line and column.
 *
 * The parser checks the suite's shape only: names of nodes, subnets, groups
 * and outcomes are strings here, resolved against the topology by
 * emu/model/check.c, which reports what it cannot resolve through
 * suite_fail() with the value's JSON path.
 *
 * Pure: reads the file, nothing else.
 */
#ifndef ARSEMU_TOPO_SUITE_H
#define ARSEMU_TOPO_SUITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/pfx.h"
#include "topo.h"

#define SUITE_LIST_MAX	16	/* via, through, not_through, learns, ... */
#define SUITE_ROUTES_MAX 16384	/* a "table": a Route Server's limits and more */

enum suite_kind { SUITE_ROUTES, SUITE_WALK, SUITE_POLICY, SUITE_BGP,
	SUITE_DIFF };
enum suite_policy { SUITE_INSPECT, SUITE_EGRESS, SUITE_ISOLATED };
enum suite_proto { SUITE_UDP, SUITE_TCP, SUITE_ICMP };

/* One route of a "table": prefix, next hop type, next hops (sorted). */
struct suite_route {
	struct pfx4	 pfx;
	char		*type;
	uint32_t	*via;
	size_t		 nvia;
};

struct suite_assert {
	enum suite_kind	 kind;
	char		*name;		/* given, or made from the assertion */
	char		*jpath;		/* "assertions[3].walk": the kind's object */
	/* routes: where (one of nic, subnets) */
	char		*nic;
	char		**subnets;	/* "VNET/SUBNET" */
	size_t		 nsubnets;
	bool		 one_subnet;	/* "subnet" (a string), not "subnets" */
	/* routes: what (one of prefix, table, count/digest) */
	bool		 has_pfx;
	struct pfx4	 pfx;
	bool		 present;	/* default true */
	char		*type;		/* next hop type, NULL: any */
	uint32_t	*via;		/* sorted; has_via: exactly these */
	size_t		 nvia;
	bool		 has_via;
	struct suite_route *table;	/* the Active routes, exactly */
	size_t		 ntable;
	bool		 has_table;
	long		 count;		/* Active routes; -1: not asserted */
	char		*digest;	/* sdn_table_hash of the table, hex */
	/* walk and policy */
	char		*from, *to;
	enum suite_proto proto;
	unsigned	 port;		/* 0: walk's default */
	char		*outcome;	/* walk: NULL: not asserted */
	char		**through;	/* walk: each; policy: one of */
	size_t		 nthrough;
	char		**avoid;	/* walk: not_through */
	size_t		 navoid;
	bool		 symmetric;
	enum suite_policy policy;
	/* bgp */
	char		*hub;
	int		 instance;	/* 0, 1; -1: both */
	char		*peer;
	int		 established;	/* 1, 0; -1: not asserted */
	struct pfx4	*learns;
	size_t		 nlearns;
	struct pfx4	*advertises;
	size_t		 nadvertises;
	/* diff: the base revision, resolved against the suite's folder */
	char		*base;
	struct pfx4	*only;		/* only_prefixes */
	size_t		 nonly;
	struct topo	*base_topo;	/* suite_load_bases; NULL before */
};

struct suite {
	char			*name;		/* NULL if not given */
	char			*description;
	char			*topology;	/* resolved against the suite's folder */
	struct suite_assert	**asserts;
	size_t			 nasserts;
	/* the document, for suite_fail()'s line and column */
	char			*text;
	size_t			 len;
};

int	suite_load_file(const char *file, struct suite **out, struct topo_err *err);
/* base: folder the topology path is relative to ("" for none). */
int	suite_load_string(const char *json, size_t len, const char *base,
	    struct suite **out, struct topo_err *err);
void	suite_free(struct suite *s);
/*
 * Load (and validate) the base topology of every diff assertion into
 * its base_topo: 0, or -1 with err at the assertion's "base" naming the
 * file's own error. Separate from parsing: suite_load_string reads no
 * other file.
 */
int	suite_load_bases(struct suite *s, struct topo_err *err);
/*
 * Fill err for the value at JSON path `path` of the suite ("assertions[3]
 * .walk.to"): line and column, "$."-rooted path, message; returns -1.
 */
int	suite_fail(const struct suite *s, const char *path, struct topo_err *err,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
const char *suite_kind_str(enum suite_kind k);
const char *suite_policy_str(enum suite_policy p);

#endif
