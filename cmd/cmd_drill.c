/*
 * cmd_drill: failures by hand (fail, restore) and scripted drills (drill).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../emu/emu.h"
#include "../lib/ctlc.h"
#include "../lib/util.h"
#include "cli.h"

static int
daemon_req(const char *lab, const char *req)
{
	struct ctlc_reply r;
	char sock[300];
	int rc = CLI_OK;

	if (ctlc_request(emu_daemon_sock(lab, sock, sizeof(sock)), req, 5000, &r) != 0)
		return cli_err(CLI_ENV, "lab %s: the lab daemon does not answer", lab);
	if (r.error != NULL)
		rc = cli_err(CLI_USAGE, "%s", r.error);
	ctlc_free(&r);
	return rc;
}

int
cmd_fail(struct cli *c)
{
	const char *lab;
	char req[160];

	if (c->argc < 1 || c->argc > 2)
		return cli_err(CLI_USAGE, "usage: arsemu fail NODE [crash|freeze|"
		    "shutdown|link]");
	if ((lab = cli_lab(c)) == NULL)
		return CLI_ENV;
	snprintf(req, sizeof(req), "fail %s %s", c->argv[0],
	    c->argc == 2 ? c->argv[1] : "crash");
	return daemon_req(lab, req);
}

int
cmd_restore(struct cli *c)
{
	const char *lab;
	char req[160];

	if (c->argc != 1)
		return cli_err(CLI_USAGE, "usage: arsemu restore NODE");
	if ((lab = cli_lab(c)) == NULL)
		return CLI_ENV;
	snprintf(req, sizeof(req), "restore %s", c->argv[0]);
	return daemon_req(lab, req);
}
