/*
 * main: the command table and the one argument parser. A command matches
 * exactly or by a unique prefix; options may stand anywhere before "--".
 * A command takes the options its usage line names; a lab name is checked
 * by cli_lab_name() and a number by opt_uint(), the commands that parse
 * their own options (raw) included.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../emu/lab.h"
#include "../lib/ctlc.h"
#include "../lib/util.h"
#include "cli.h"
#include "cmd_gateway.h"
#include "cmd_import.h"
#include "cmd_reach.h"

struct command {
	const char	*name;
	int		(*fn)(struct cli *);
	const char	*usage;
	bool		 hidden;
	bool		 raw;		/* parses its own options */
};

static const struct command commands[] = {
	{ "validate", cmd_validate, "validate TOPO [--strict] [--json]", false, false },
	{ "up", cmd_up, "up TOPO [--name LAB] [--wait SECONDS] [--json]", false, false },
	{ "down", cmd_down, "down [LAB | --name LAB | --all] [--json]", false, false },
	{ "status", cmd_status, "status [--name LAB] [--json]", false, false },
	{ "ls", cmd_ls, "ls [--json]", false, false },
	{ "routes", cmd_routes, "routes NIC [--name LAB] [--json]", false, false },
	{ "plan", cmd_plan, "plan TOPO [NIC | --grouped] [--json]", false, false },
	{ "diff", cmd_diff, "diff OLD NEW | --terraform PLAN.json [--json] [--markdown]", false, false },
	{ "gateway", cmd_gateway, "gateway NAME learned | advertised [--name LAB] [--json]", false, false },
	{ "rs", cmd_rs, "rs HUB show | peers | learned PEER | advertised PEER | dump --mrt FILE [--name LAB] [--json]", false, false },
	{ "exec", cmd_exec, "exec NODE [--name LAB] -- CMD [ARG...]", false, false },
	{ "fail", cmd_fail, "fail NODE [crash|freeze|shutdown|link|down|probe] | NODE/NODE link [--name LAB] [--json]", false, false },
	{ "restore", cmd_restore, "restore NODE | NODE/NODE [--name LAB] [--json]", false, false },
	{ "bgp", cmd_bgp, "bgp NODE announce|withdraw PREFIX | prepend N | disable|enable PEER [--name LAB] [--json]", false, false },
	{ "drill", cmd_drill, "drill DRILL.json|DIR... [--name LAB] [--keep] [--json] [--report FILE] [--junit FILE] [--shard K/N] [--list]", false, false },
	{ "nodes", cmd_nodes, "nodes [LAB | TOPO] [--name LAB] [--json]", false, false },
	{ "walk", cmd_walk, "walk SRC DST [--name LAB] [--proto icmp|udp|tcp] [--port N] [--flows N] [--both-ways] [--offline] [--topo FILE] [--json]", false, false },
	{ "nsg", cmd_nsg, "nsg NIC [--name LAB | --topo FILE] [--json] [--verify in|out PROTO SRC[:PORT] DST[:PORT]]", false, false },
	{ "check", cmd_check, "check SUITE [--json] [--junit FILE] [--tap] [--name LAB] [--live] | --record TOPO -o SUITE", false, false },
	{ "reach", cmd_reach, "reach TOPO [--from GROUP] [--to GROUP] [--json]", false, false },
	{ "graph", cmd_graph, "graph [LAB | TOPO] [--name LAB] [--format dot|svg|json] [--json] [--walk SRC DST]", false, true },
	{ "import", cmd_import, "import az DIR | terraform FILE [-o TOPO.json] [--name LAB] [--json]", false, true },
	{ "capture", cmd_capture, "capture NODE [IFACE] [--name LAB] [-w FILE] [-- TCPDUMP-ARGS]", false, false },
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

	if (c->name != NULL)	/* parse() checked it; graph and cli_topo() too */
		return cli_lab_name("--name", c->name) == 0 ? c->name : NULL;
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
	return n == 1 && cli_lab_name("the running lab", only) == 0 ? only : NULL;
}

int
cli_lab_request(const char *lab, const char *req, int ms, struct ctlc_reply *r)
{
	char sock[300];
	int e;

	if ((e = ctlc_request(emu_daemon_sock(lab, sock, sizeof(sock)), req, ms,
	    r)) == 0)
		return 0;
	return cli_err(CLI_ENV, "lab %s: the lab daemon does not answer on %s: "
	    "%s%s", lab, sock, strerror(-e), e == -EACCES ?
	    " (a lab is root's alone: run as root)" : "");
}

int
cli_lab_name(const char *what, const char *name)
{
	if (topo_name_ok(name))
		return 0;
	return cli_err(CLI_USAGE, "%s \"%.64s\": not a lab name (1 to %d "
	    "characters of a-z, 0-9 and '-', not starting with '-')", what,
	    name != NULL ? name : "", TOPO_NAME_MAX);
}

int
opt_uint(const char *opt, const char *val, unsigned min, unsigned max,
    unsigned *out)
{
	const char *d = val[0] == '-' ? val + 1 : val;

	/* Digits only: no sign, no blank, no base prefix strtoull would take. */
	if (*d < '0' || *d > '9' || d[strspn(d, "0123456789")] != '\0')
		return cli_err(CLI_USAGE, "%s: %s is not a number (%u..%u)", opt,
		    val, min, max);
	if (d != val || str_uint(d, min, max, out) == -1)
		return cli_err(CLI_USAGE, "%s: %s is out of range %u..%u", opt, val,
		    min, max);
	return 0;
}

/*
 * The options of the shared parser. A command takes those its usage line
 * names (takes()): the usage, which --help prints, is the one list of
 * what a command accepts. (graph, import, routeserver and rsctl parse
 * their own.)
 */
enum opt_kind { OPT_FLAG, OPT_STR, OPT_LAB, OPT_UINT };

struct opt_def {
	const char	*name;
	enum opt_kind	 kind;
	size_t		 off;		/* of the field in struct cli */
	unsigned	 min, max;	/* OPT_UINT */
};

#define OPT(n, k, f)		{ n, k, offsetof(struct cli, f), 0, 0 }
#define OPT_NUM(n, f, lo, hi)	{ n, OPT_UINT, offsetof(struct cli, f), lo, hi }

static const struct opt_def options[] = {
	OPT("--json", OPT_FLAG, json),
	OPT("--all", OPT_FLAG, all),
	OPT("--keep", OPT_FLAG, keep),
	OPT("--strict", OPT_FLAG, strict),
	OPT("--both-ways", OPT_FLAG, both_ways),
	OPT("--offline", OPT_FLAG, offline),
	OPT("--markdown", OPT_FLAG, markdown),
	OPT("--grouped", OPT_FLAG, grouped),
	OPT("--tap", OPT_FLAG, tap),
	OPT("--live", OPT_FLAG, live),
	OPT("--junit", OPT_STR, junit),
	OPT("--record", OPT_STR, record),
	OPT("-o", OPT_STR, output),
	OPT("--name", OPT_LAB, name),
	OPT("-w", OPT_STR, write),
	OPT("--mrt", OPT_STR, mrt),
	OPT("--proto", OPT_STR, proto),
	OPT("--topo", OPT_STR, topo),
	OPT("--terraform", OPT_STR, terraform),
	OPT("--from", OPT_STR, from),
	OPT("--to", OPT_STR, to),
	OPT("--report", OPT_STR, report),
	OPT("--shard", OPT_STR, shard),
	OPT("--list", OPT_FLAG, list),
	OPT("--verify", OPT_STR, verify),
	OPT_NUM("--wait", wait, CLI_WAIT_MIN, CLI_WAIT_MAX),
	OPT_NUM("--port", port, CLI_PORT_MIN, CLI_PORT_MAX),
	OPT_NUM("--flows", flows, CLI_FLOWS_MIN, CLI_FLOWS_MAX),
};

/* Whether the usage line names `opt` as a word ("[--json]", "| --all"). */
static bool
takes(const struct command *cmd, const char *opt)
{
	size_t len = strlen(opt);
	const char *p;

	for (p = cmd->usage; (p = strstr(p, opt)) != NULL; p += len)
		if ((p == cmd->usage || strchr(" [|", p[-1]) != NULL) &&
		    strchr(" ]|", p[len]) != NULL)	/* also the final NUL */
			return true;
	return false;
}

static int
parse(const struct command *cmd, int argc, char **argv, struct cli *c)
{
	const struct opt_def *o;
	size_t k;
	int i;

	memset(c, 0, sizeof(*c));
	c->argv = xcalloc((size_t)argc + 1, sizeof(*c->argv));
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];
		char *field;

		if (strcmp(a, "--") == 0) {
			if (!takes(cmd, a))
				return cli_err(CLI_USAGE, "%s takes no \"--\" (usage: "
				    "arsemu %s)", cmd->name, cmd->usage);
			c->rest = argv + i + 1;
			c->nrest = argc - i - 1;
			break;
		}
		if (a[0] != '-' || a[1] == '\0') {
			c->argv[c->argc++] = argv[i];
			continue;
		}
		for (k = 0, o = NULL; k < NELEM(options) && o == NULL; k++)
			if (strcmp(a, options[k].name) == 0)
				o = &options[k];
		if (o == NULL)
			return cli_err(CLI_USAGE, "unknown option %s", a);
		if (!takes(cmd, a))
			return cli_err(CLI_USAGE, "%s does not take %s (usage: "
			    "arsemu %s)", cmd->name, a, cmd->usage);
		field = (char *)c + o->off;
		if (o->kind == OPT_FLAG) {
			*(bool *)field = true;
			continue;
		}
		if (i + 1 >= argc)
			return cli_err(CLI_USAGE, "%s needs a value", a);
		a = argv[++i];
		if (o->kind == OPT_UINT) {
			if (opt_uint(o->name, a, o->min, o->max, (unsigned *)field))
				return CLI_USAGE;
		} else if (o->kind == OPT_LAB && cli_lab_name(o->name, a) != 0)
			return CLI_USAGE;
		else
			*(const char **)field = a;
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
	} else if ((rc = parse(cmd, argc - 2, argv + 2, &c)) != 0) {
		free(c.argv);
		return rc;
	}
	rc = cmd->fn(&c);
	free(c.argv);
	return rc;
}
