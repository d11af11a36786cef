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

struct cli {
	int		 argc;		/* positional arguments, command excluded */
	char		**argv;
	bool		 json;
	const char	*name;		/* --name LAB */
	int		 wait;		/* --wait SECONDS */
	bool		 all;		/* --all */
	bool		 keep;		/* --keep */
	bool		 strict;	/* --strict */
	const char	*format;	/* --format F */
	const char	*write;		/* -w FILE */
	const char	*mrt;		/* --mrt FILE */
	const char	*proto;		/* --proto icmp|udp */
	int		 port;		/* --port N */
	int		 flows;		/* --flows N */
	bool		 both_ways;	/* --both-ways */
	bool		 offline;	/* --offline */
	const char	*topo;		/* --topo FILE */
	char		**rest;		/* after "--" */
	int		 nrest;
};

int	cli_err(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The lab a command acts on: --name, else the only running lab. NULL + message. */
const char *cli_lab(const struct cli *c);
bool	cli_root(const char *what);

struct topo;
/* argv[0] as a topology file, else a lab's saved topology; NULL: error printed. */
struct topo *cli_topo(struct cli *c, const char **lab, int *rc);

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
int	cmd_validate(struct cli *c);
int	cmd_daemon(struct cli *c);
int	cmd_speaker(struct cli *c);
int	cmd_routeserver(struct cli *c);
int	cmd_rsctl(struct cli *c);

#endif
