/*
 * main: the command table and the one argument parser. A command matches
 * exactly or by a unique prefix; options may stand anywhere before "--".
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../emu/lab.h"
#include "../lib/util.h"
#include "cli.h"
#include "cmd_gateway.h"
#include "cmd_import.h"

struct command {
	const char	*name;
	int		(*fn)(struct cli *);
	const char	*usage;
	bool		 hidden;
	bool		 raw;		/* parses its own options */
};

static const struct command commands[] = {
	{ "validate", cmd_validate, "validate TOPO [--strict] [--json]", false, false },
	{ "up", cmd_up, "up TOPO [--name LAB] [--wait SECONDS]", false, false },
	{ "down", cmd_down, "down [LAB | --all]", false, false },
	{ "status", cmd_status, "status [--name LAB] [--json]", false, false },
	{ "ls", cmd_ls, "ls [--json]", false, false },
	{ "routes", cmd_routes, "routes NIC [--name LAB] [--json]", false, false },
	{ "plan", cmd_plan, "plan TOPO [NIC] [--json]", false, false },
	{ "gateway", cmd_gateway, "gateway NAME learned | advertised [--json]", false, false },
	{ "rs", cmd_rs, "rs HUB show | peers | learned PEER | advertised PEER | dump --mrt FILE [--json]", false, false },
	{ "exec", cmd_exec, "exec NODE -- CMD [ARG...]", false, false },
	{ "fail", cmd_fail, "fail NODE [crash|freeze|shutdown|link|down] | NODE/NODE link [--name LAB]", false, false },
	{ "restore", cmd_restore, "restore NODE | NODE/NODE [--name LAB]", false, false },
	{ "bgp", cmd_bgp, "bgp NODE announce|withdraw PREFIX | prepend N | disable|enable PEER [--name LAB]", false, false },
	{ "drill", cmd_drill, "drill DRILL.json [--name LAB] [--keep] [--json]", false, false },
	{ "nodes", cmd_nodes, "nodes [LAB | TOPO] [--json]", false, false },
	{ "walk", cmd_walk, "walk SRC DST [--proto icmp|udp] [--port N] [--flows N] [--both-ways] [--offline] [--topo FILE] [--json]", false, false },
	{ "graph", cmd_graph, "graph [LAB | TOPO] [--format dot|svg|json] [--json] [--walk SRC DST]", false, true },
	{ "import", cmd_import, "import az DIR [-o TOPO.json] [--name LAB] [--json]", false, true },
	{ "capture", cmd_capture, "capture NODE [IFACE] [-w FILE] [-- TCPDUMP-ARGS]", false, false },
	{ "_probe", cmd_probe, "_probe send|recv ...", true, false },
	{ "routeserver", cmd_routeserver, "routeserver --listen IP --peer IP:ASN[:md5=KEY] ... | --config FILE.json", false, true },
	{ "rsctl", cmd_rsctl, "rsctl --control PATH peers | learned PEER | advertised PEER | rib | refresh PEER|all [--json]", false, true },
	{ "_daemon", cmd_daemon, "_daemon LAB", true, false },
	{ "_speaker", cmd_speaker, "_speaker LAB NODE", true, false },
};

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: arsemu COMMAND [ARGS]\n");
	for (i = 0; i < NELEM(commands); i++)
		if (!commands[i].hidden)
			fprintf(f, "  arsemu %s\n", commands[i].usage);
	fprintf(f, "See arsemu(1).\n");
}

int
cli_err(int code, const char *fmt, ...)
{
	va_list ap;

	fputs("arsemu: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

bool
cli_root(const char *what)
{
	if (geteuid() == 0)
		return true;
	cli_err(CLI_ENV, "%s needs root (it creates network namespaces)", what);
	return false;
}

const char *
cli_lab(const struct cli *c)
{
	char **labs;
	size_t n, i;
	static char only[TOPO_NAME_MAX + 1];

	if (c->name != NULL)
		return c->name;
	if (lab_list(&labs, &n) != 0 || n == 0) {
		cli_err(CLI_ENV, "no lab is running (arsemu up TOPO)");
		return NULL;
	}
	if (n > 1) {
		fprintf(stderr, "arsemu: %zu labs are running; say which with --name:", n);
		for (i = 0; i < n; i++)
			fprintf(stderr, " %s", labs[i]);
		fputc('\n', stderr);
	} else
		snprintf(only, sizeof(only), "%s", labs[0]);
	for (i = 0; i < n; i++)
		free(labs[i]);
	free(labs);
	return n == 1 ? only : NULL;
}

static int
parse(int argc, char **argv, struct cli *c)
{
	int i;

	memset(c, 0, sizeof(*c));
	c->argv = xcalloc((size_t)argc + 1, sizeof(*c->argv));
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0) {
			c->rest = argv + i + 1;
			c->nrest = argc - i - 1;
			break;
		} else if (strcmp(a, "--json") == 0) {
			c->json = true;
		} else if (strcmp(a, "--all") == 0) {
			c->all = true;
		} else if (strcmp(a, "--keep") == 0) {
			c->keep = true;
		} else if (strcmp(a, "--strict") == 0) {
			c->strict = true;
		} else if (strcmp(a, "--both-ways") == 0) {
			c->both_ways = true;
		} else if (strcmp(a, "--offline") == 0) {
			c->offline = true;
		} else if (strcmp(a, "--proto") == 0 || strcmp(a, "--port") == 0 ||
		    strcmp(a, "--flows") == 0 || strcmp(a, "--topo") == 0) {
			if (i + 1 >= argc)
				return cli_err(CLI_USAGE, "%s needs a value", a);
			i++;
			if (strcmp(a, "--proto") == 0)
				c->proto = argv[i];
			else if (strcmp(a, "--topo") == 0)
				c->topo = argv[i];
			else if ((a[2] == 'p' ? (c->port = atoi(argv[i])) :
			    (c->flows = atoi(argv[i]))) <= 0)
				return cli_err(CLI_USAGE, "%s takes a positive number", a);
		} else if (strcmp(a, "--name") == 0 || strcmp(a, "--wait") == 0 ||
		    strcmp(a, "--format") == 0 || strcmp(a, "-w") == 0 ||
		    strcmp(a, "--mrt") == 0) {
			if (i + 1 >= argc)
				return cli_err(CLI_USAGE, "%s needs a value", a);
			if (strcmp(a, "--name") == 0)
				c->name = argv[++i];
			else if (strcmp(a, "--format") == 0)
				c->format = argv[++i];
			else if (strcmp(a, "-w") == 0)
				c->write = argv[++i];
			else if (strcmp(a, "--mrt") == 0)
				c->mrt = argv[++i];
			else
				c->wait = atoi(argv[++i]);
		} else if (a[0] == '-' && a[1] != '\0') {
			return cli_err(CLI_USAGE, "unknown option %s", a);
		} else
			c->argv[c->argc++] = argv[i];
	}
	return 0;
}

static const struct command *
lookup(const char *name)
{
	const struct command *found = NULL;
	size_t i, len = strlen(name);

	for (i = 0; i < NELEM(commands); i++) {
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
		if (!commands[i].hidden && strncmp(commands[i].name, name, len) == 0) {
			if (found != NULL)
				return NULL;	/* ambiguous */
			found = &commands[i];
		}
	}
	return found;
}

int
main(int argc, char **argv)
{
	const struct command *cmd;
	struct cli c;
	int rc;

	signal(SIGPIPE, SIG_IGN);
	if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	if ((cmd = lookup(argv[1])) == NULL) {
		cli_err(CLI_USAGE, "unknown or ambiguous command %s", argv[1]);
		usage(stderr);
		return CLI_USAGE;
	}
	if (cmd->raw) {
		memset(&c, 0, sizeof(c));
		c.argc = argc - 2;
		c.argv = xcalloc((size_t)argc, sizeof(*c.argv));
		memcpy(c.argv, argv + 2, (size_t)(argc - 2) * sizeof(*c.argv));
	} else if ((rc = parse(argc - 2, argv + 2, &c)) != 0)
		return rc;
	rc = cmd->fn(&c);
	free(c.argv);
	return rc;
}
