/*
 * cli: the command line. A command table (main.c) with exact or
 * unique-prefix matching, one argument parser, and one output layer
 * (out.c) for text tables and az-shaped JSON.
 *
 * Exit status: 0 success, 1 a check failed, 2 usage or input error,
 * 3 environment (not root, kernel feature missing, lab not running).
 */
#ifndef ARSEMU_CLI_H
#define ARSEMU_CLI_H

#include <stdbool.h>
#include <stddef.h>

#define CLI_OK		0
#define CLI_FAIL	1
#define CLI_USAGE	2
#define CLI_ENV		3

/*
 * The ranges of the numeric options (arsemu(1) documents them). A lab
 * name's rule and its length limit are topo_name_ok() and TOPO_NAME_MAX.
 */
#define CLI_WAIT_MIN	1	/* --wait SECONDS */
#define CLI_WAIT_MAX	3600
#define CLI_PORT_MIN	1	/* --port N */
#define CLI_PORT_MAX	65535
#define CLI_FLOWS_MIN	1	/* --flows N */
#define CLI_FLOWS_MAX	64

struct cli {
	int		 argc;		/* positional arguments, command excluded */
	char		**argv;
	bool		 json;
	const char	*name;		/* --name LAB */
	unsigned	 wait;		/* --wait SECONDS, 0: not given */
	bool		 all;		/* --all */
	bool		 keep;		/* --keep */
	bool		 strict;	/* --strict */
	const char	*format;	/* graph --format F (its own parser) */
	const char	*write;		/* -w FILE */
	const char	*mrt;		/* --mrt FILE */
	const char	*proto;		/* --proto icmp|udp */
	unsigned	 port;		/* --port N, 0: not given */
	unsigned	 flows;		/* --flows N, 0: not given */
	bool		 both_ways;	/* --both-ways */
	bool		 offline;	/* --offline */
	bool		 markdown;	/* diff --markdown */
	bool		 grouped;	/* plan --grouped */
	const char	*topo;		/* --topo FILE */
	const char	*terraform;	/* diff --terraform PLAN.json */
	const char	*from;		/* reach --from GROUP */
	const char	*to;		/* reach --to GROUP */
	const char	*report;	/* drill --report FILE.html|svg */
	const char	*junit;		/* check, drill --junit FILE */
	const char	*shard;		/* drill --shard K/N */
	bool		 list;		/* drill --list */
	bool		 tap;		/* check --tap */
	bool		 live;		/* check --live */
	const char	*record;	/* check --record TOPO */
	const char	*verify;	/* nsg --verify in|out */
	const char	*output;	/* check -o SUITE */
	char		**rest;		/* after "--" */
	int		 nrest;
};

int	cli_err(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * The one check of a lab name from the command line (--name, a LAB
 * argument, a default): 0 if topo_name_ok() accepts it, else CLI_USAGE
 * after a message naming `what` (the option or argument). No command
 * builds a path or a namespace name from a name this has not passed.
 */
int	cli_lab_name(const char *what, const char *name);
/*
 * The one parser of a numeric option: `val` as a decimal number in
 * min..max into *out, 0; else CLI_USAGE after "arsemu: OPT: VAL is out of
 * range MIN..MAX" (or "is not a number").
 */
int	opt_uint(const char *opt, const char *val, unsigned min, unsigned max,
	    unsigned *out);
/* The lab a command acts on: --name, else the only running lab. NULL + message. */
const char *cli_lab(const struct cli *c);
struct ctlc_reply;
/*
 * One request to lab `lab`'s daemon, within ms: 0 with *r filled (free
 * with ctlc_free), else CLI_ENV after "lab LAB: the lab daemon does not
 * answer on SOCK: REASON" (a socket that is root's says so).
 */
int	cli_lab_request(const char *lab, const char *req, int ms,
	    struct ctlc_reply *r);
bool	cli_root(const char *what);

struct topo;
/* argv[0] as a topology file, else a lab's saved topology; NULL: error printed. */
struct topo *cli_topo(struct cli *c, const char **lab, int *rc);

struct json;
struct topo_node;
/*
 * "nics": an NVA's NICs (NV-01), the primary first, each with its name
 * (as plan and routes name it), subnet and address (nodes, graph).
 */
void	cli_json_nics(struct json *j, const struct topo_node *n);

/* Text tables: add rows of cells, then print aligned. */
struct table;
struct table *table_new(size_t ncols, const char *const *headers);
void	table_row(struct table *t, const char *const *cells);
void	table_print(struct table *t);
void	table_free(struct table *t);

int	cmd_up(struct cli *c);
int	cmd_down(struct cli *c);
int	cmd_status(struct cli *c);
int	cmd_ls(struct cli *c);
int	cmd_routes(struct cli *c);
int	cmd_plan(struct cli *c);
int	cmd_diff(struct cli *c);
int	cmd_check(struct cli *c);
int	cmd_rs(struct cli *c);
int	cmd_exec(struct cli *c);
int	cmd_fail(struct cli *c);
int	cmd_restore(struct cli *c);
int	cmd_drill(struct cli *c);
int	cmd_bgp(struct cli *c);
int	cmd_probe(struct cli *c);
int	cmd_graph(struct cli *c);
int	cmd_capture(struct cli *c);
int	cmd_nodes(struct cli *c);
int	cmd_walk(struct cli *c);
int	cmd_nsg(struct cli *c);
int	cmd_validate(struct cli *c);
int	cmd_daemon(struct cli *c);
int	cmd_speaker(struct cli *c);
int	cmd_routeserver(struct cli *c);
int	cmd_rsctl(struct cli *c);

#endif
