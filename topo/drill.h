/*
 * drill: the drill language (man/arsemu-drill.5). A drill names a topology,
 * background traffic, a list of steps (wait, fail, restore, expectations on
 * effective routes) and expectations checked on the report (loss per flow,
 * convergence per step). Parsed with the topology's own JSON helpers: errors
 * name the JSON path, line and column. Pure: reads the file, nothing else.
 */
#ifndef ARSEMU_TOPO_DRILL_H
#define ARSEMU_TOPO_DRILL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/pfx.h"
#include "failkind.h"
#include "topo.h"

#define DRILL_RATE_DEFAULT	200	/* packets/s per flow: 5 ms resolution */
#define DRILL_RATE_MAX		10000
#define DRILL_FLOWS_MAX		64
#define DRILL_SHARDS_MAX	1000	/* drill --shard K/N: N at most */
#define DRILL_PORT_MIN		1024	/* a flow's source ports follow: */
#define DRILL_PORT_MAX		65000	/* port + DRILL_FLOWS_MAX < 65536 */
#define DRILL_PORT_DEFAULT	5000
#define DRILL_QUIET_DEFAULT_MS	1500
#define DRILL_TIMEOUT_DEFAULT_S	30

struct drill_traffic {
	char		*name;
	char		*from;		/* node name */
	char		*to;		/* node name or IPv4 address */
	unsigned	 rate;		/* packets per second per flow */
	unsigned	 flows;		/* source ports port+1 .. port+flows */
	unsigned	 port;		/* destination port */
	bool		 tcp;		/* proto "tcp": one connection per flow */
};

enum drill_step_kind {
	DRILL_WAIT,		/* wait_converged */
	DRILL_SLEEP,
	DRILL_FAIL,
	DRILL_RESTORE,
	DRILL_EXPECT_ROUTE,
	DRILL_BGP,		/* a routing change: announce, withdraw, disable, enable */
	DRILL_EXPECT_PATH,	/* a traffic's packets cross (or not) given nodes */
};

struct drill_step {
	enum drill_step_kind	 kind;
	char			*name;		/* given, or "fail fw1 crash" */
	char			*jpath;
	char			*node;		/* fail, restore */
	enum fail_kind		 fail_kind;	/* DRILL_FAIL */
	char			*command;	/* DRILL_BGP: "withdraw 0.0.0.0/0" */
	char			*traffic;	/* DRILL_EXPECT_PATH */
	char			**through;	/* nodes that must forward it */
	size_t			 nthrough;
	char			**avoid;	/* nodes that must not */
	size_t			 navoid;
	unsigned		 window_ms;
	unsigned		 timeout_s;	/* wait */
	unsigned		 quiet_ms;	/* wait */
	unsigned		 sleep_ms;
	char			*nic;		/* expect_route */
	struct pfx4		 pfx;
	uint32_t		 next_hop;	/* 0: any */
	bool			 present;
};

enum drill_expect_kind {
	DRILL_LOSS_MS,		/* the longest loss window of any flow of a traffic */
	DRILL_CONVERGENCE_MS,	/* from a fail/restore to the last route change */
};

struct drill_expect {
	enum drill_expect_kind	 kind;
	char			*jpath;
	char			*traffic;	/* loss */
	char			*step;		/* a fail/restore step's name; NULL: all */
	long			 min;		/* -1: none */
	long			 max;		/* -1: none */
};

struct drill {
	char			*name;
	char			*description;
	char			*topology;	/* resolved against the drill's folder */
	struct drill_traffic	**traffic;
	size_t			 ntraffic;
	struct drill_step	**steps;
	size_t			 nsteps;
	struct drill_expect	**expects;
	size_t			 nexpects;
};

int	drill_load_file(const char *file, struct drill **out, struct topo_err *err);
/* base: folder the topology path is relative to ("" for none). */
int	drill_load_string(const char *json, size_t len, const char *base,
	    struct drill **out, struct topo_err *err);
void	drill_free(struct drill *d);
const char *drill_step_kind_str(enum drill_step_kind k);

#define DRILL_SLOW_HOLD	90	/* s: a freeze or a cut goes unnoticed this long */
/*
 * RS-43: when the drill freezes a node or cuts a link (only the hold timer
 * notices: BFD aside, GW-10) and the topology's hold time is
 * DRILL_SLOW_HOLD s or more (Azure's default is 180), a note saying how long
 * the failure can go unnoticed; "" otherwise. Advice on the drill, not on
 * the design: `validate --strict` passes Azure's default timers.
 */
const char *drill_hold_note(const struct drill *d, const struct topo *t,
	    char *buf, size_t len);

#endif
