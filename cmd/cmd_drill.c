/*
 * cmd_drill: failures by hand (fail, restore) and scripted drills (drill).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "../emu/bgpcmd.h"
#include "../emu/lab.h"
#include "../emu/model/bgpconf.h"
#include "../emu/drill.h"
#include "../emu/probe.h"
#include "../lib/ctlc.h"
#include "../lib/json.h"
#include "../lib/util.h"
#include "../topo/failkind.h"
#include "cli.h"
#include "drillreport.h"

/* A fail or restore; with --json, what was done and when (the journal's clock). */
static int
daemon_req(const struct cli *c, const char *lab, const char *req)
{
	struct ctlc_reply r;
	char sock[300], *f[2];
	int rc = CLI_OK;

	if (ctlc_request(emu_daemon_sock(lab, sock, sizeof(sock)), req, 5000, &r) != 0)
		return cli_err(CLI_ENV, "lab %s: the lab daemon does not answer", lab);
	if (r.error != NULL)
		rc = cli_err(CLI_USAGE, "%s", r.error);
	else if (c->json) {
		struct json j;

		json_init(&j, stdout);
		json_obj_begin(&j);
		json_kstr(&j, "lab", lab);
		json_kstr(&j, "request", req);
		if (r.n > 0 && ctlc_fields(r.rows[0], f, 2) == 2)
			json_kint(&j, "tMs", atoll(f[1]));
		json_obj_end(&j);
		json_end(&j);
	}
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
		    "shutdown|link|down] | arsemu fail NODE/NODE link");
	if ((lab = cli_lab(c)) == NULL)
		return CLI_ENV;
	snprintf(req, sizeof(req), "fail %s %s", c->argv[0],
	    c->argc == 2 ? c->argv[1] : fail_kind_name(FAIL_CRASH));
	return daemon_req(c, lab, req);
}

int
cmd_restore(struct cli *c)
{
	const char *lab;
	char req[160];

	if (c->argc != 1)
		return cli_err(CLI_USAGE, "usage: arsemu restore NODE|NODE/NODE");
	if ((lab = cli_lab(c)) == NULL)
		return CLI_ENV;
	snprintf(req, sizeof(req), "restore %s", c->argv[0]);
	return daemon_req(c, lab, req);
}

int
cmd_probe(struct cli *c)
{
	return emu_probe_main(c->argc, c->argv);
}

static void
print_text(const struct drill *d, const struct drill_report *rep)
{
	struct table *t;
	char a[32], b[32], e[32];
	size_t i, k;

	printf("drill %s in lab %s: %s (%.1f s)\n", d->name, rep->lab,
	    rep->ok ? "PASSED" : "FAILED", (double)rep->duration_ms / 1000);
	printf("\nTimeline (ms since the drill started)\n");
	for (i = 0; i < rep->nev; i++)
		printf("%8ld  %-10s %s\n", rep->ev[i].t_ms, rep->ev[i].source,
		    rep->ev[i].text);
	printf("\nSteps\n");
	t = table_new(5, (const char *[]){ "At (ms)", "Step", "Result",
	    "Convergence (ms)", "Note" });
	for (i = 0; i < rep->nsteps; i++) {
		const struct drill_step_result *s = &rep->steps[i];

		snprintf(a, sizeof(a), "%ld", s->t_ms);
		snprintf(b, sizeof(b), "%ld", s->convergence_ms);
		table_row(t, (const char *[]){ a, s->step->name, s->ok ? "ok" : "FAIL",
		    s->convergence_ms >= 0 ? b : "-", s->note });
	}
	table_print(t);
	table_free(t);
	printf("\nTraffic\n");
	t = table_new(6, (const char *[]){ "Traffic", "Flow", "Sent", "Lost",
	    "Loss (ms)", "Loss windows (start+length ms)" });
	for (i = 0; i < rep->nflows; i++) {
		const struct drill_flow *f = &rep->flows[i];
		char s[32], l[32], lm[32], fl[16], w[256] = "";

		for (k = 0; k < f->nw && strlen(w) < sizeof(w) - 32; k++)
			snprintf(w + strlen(w), sizeof(w) - strlen(w), "%s%ld+%ld",
			    k ? " " : "", f->w[k].start_ms, f->w[k].len_ms);
		snprintf(fl, sizeof(fl), "%u", f->flow);
		snprintf(s, sizeof(s), "%u", f->sent);
		snprintf(l, sizeof(l), "%u", f->lost);
		snprintf(lm, sizeof(lm), "%ld", f->loss_ms);
		table_row(t, (const char *[]){ f->traffic->name, fl, s, l, lm, w });
	}
	table_print(t);
	table_free(t);
	if (rep->nexpects > 0) {
		printf("\nExpectations\n");
		for (i = 0; i < rep->nexpects; i++)
			printf("  %-4s %s\n", rep->expects[i].ok ? "ok" : "FAIL",
			    rep->expects[i].note);
	}
	(void)e;
}

static void
print_json(const struct drill *d, const struct drill_report *rep)
{
	struct json j;
	size_t i, k;

	json_init(&j, stdout);
	json_obj_begin(&j);
	json_kstr(&j, "drill", d->name);
	json_kstr(&j, "lab", rep->lab);
	json_kbool(&j, "passed", rep->ok);
	json_kint(&j, "durationMs", rep->duration_ms);
	json_key(&j, "timeline");
	json_arr_begin(&j);
	for (i = 0; i < rep->nev; i++) {
		json_obj_begin(&j);
		json_kint(&j, "tMs", rep->ev[i].t_ms);
		json_kstr(&j, "source", rep->ev[i].source);
		json_kstr(&j, "event", rep->ev[i].text);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_key(&j, "steps");
	json_arr_begin(&j);
	for (i = 0; i < rep->nsteps; i++) {
		const struct drill_step_result *s = &rep->steps[i];

		json_obj_begin(&j);
		json_kstr(&j, "name", s->step->name);
		json_kstr(&j, "kind", drill_step_kind_str(s->step->kind));
		json_kint(&j, "tMs", s->t_ms);
		json_kbool(&j, "ok", s->ok);
		json_key(&j, "convergenceMs");
		if (s->convergence_ms >= 0)
			json_int(&j, s->convergence_ms);
		else
			json_null(&j);
		json_kstr(&j, "note", s->note);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_key(&j, "flows");
	json_arr_begin(&j);
	for (i = 0; i < rep->nflows; i++) {
		const struct drill_flow *f = &rep->flows[i];

		json_obj_begin(&j);
		json_kstr(&j, "traffic", f->traffic->name);
		json_kint(&j, "flow", f->flow);
		json_kint(&j, "sent", f->sent);
		json_kint(&j, "received", f->received);
		json_kint(&j, "lost", f->lost);
		json_kint(&j, "lossMs", f->loss_ms);
		json_key(&j, "lossWindows");
		json_arr_begin(&j);
		for (k = 0; k < f->nw; k++) {
			json_obj_begin(&j);
			json_kint(&j, "startMs", f->w[k].start_ms);
			json_kint(&j, "lengthMs", f->w[k].len_ms);
			json_kint(&j, "packets", f->w[k].lost);
			json_obj_end(&j);
		}
		json_arr_end(&j);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_key(&j, "expectations");
	json_arr_begin(&j);
	for (i = 0; i < rep->nexpects; i++) {
		json_obj_begin(&j);
		json_kbool(&j, "ok", rep->expects[i].ok);
		json_kint(&j, "measuredMs", rep->expects[i].measured);
		json_kstr(&j, "text", rep->expects[i].note);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	json_end(&j);
}

int
cmd_drill(struct cli *c)
{
	struct drill_report rep;
	struct topo_err te;
	struct drill *d;
	char lab[TOPO_NAME_MAX + 1], err[512];
	int rc;

	if (c->argc != 1)
		return cli_err(CLI_USAGE, "usage: arsemu drill DRILL.json [--name LAB] "
		    "[--keep] [--json] [--report FILE]");
	if (c->report != NULL && drill_report_kind(c->report) == -1)
		return cli_err(CLI_USAGE, "--report %s: a report is FILE.html or "
		    "FILE.svg", c->report);
	if (drill_load_file(c->argv[0], &d, &te) == -1) {
		topo_err_str(&te, c->argv[0], err, sizeof(err));
		return cli_err(CLI_USAGE, "%s", err);
	}
	if (!cli_root("arsemu drill")) {
		drill_free(d);
		return CLI_ENV;
	}
	/* parse() refused a --name that is not a lab name (not one of 33+) */
	if (c->name != NULL)
		snprintf(lab, sizeof(lab), "%s", c->name);
	else
		snprintf(lab, sizeof(lab), "%.20s-%u", d->name, (unsigned)getpid() % 100000);
	if (cli_lab_name("--name", lab) != 0) {
		drill_free(d);
		return CLI_USAGE;
	}
	if (emu_drill_run(d, lab, c->keep, isatty(2), &rep, err, sizeof(err)) == -1) {
		drill_free(d);
		return cli_err(CLI_ENV, "drill %s: %s", c->argv[0], err);
	}
	if (c->json)
		print_json(d, &rep);
	else
		print_text(d, &rep);
	rc = rep.ok ? CLI_OK : CLI_FAIL;
	if (c->report != NULL &&
	    drill_report_write(c->report, d, &rep, err, sizeof(err)) == -1)
		rc = cli_err(CLI_ENV, "drill report: %s", err);
	emu_drill_report_free(&rep);
	drill_free(d);
	return rc;
}

/* bgp NODE announce|withdraw PREFIX | disable|enable PEER: a routing change. */
int
cmd_bgp(struct cli *c)
{
	char cmd[128], reply[256];
	const char *lab;
	unsigned n;
	int rc;

	if (c->argc != 3)
		return cli_err(CLI_USAGE, "usage: arsemu bgp NODE announce|withdraw "
		    "PREFIX | prepend N | disable|enable PEER");
	/*
	 * The speaker reads N with strtoul and casts it: 4294967296 was 0.
	 * Here only what fits; the speaker refuses more than its maximum.
	 */
	if (strcmp(c->argv[1], "prepend") == 0 &&
	    opt_uint("prepend", c->argv[2], 0, UINT_MAX, &n) != 0)
		return CLI_USAGE;
	if ((lab = cli_lab(c)) == NULL)
		return CLI_ENV;
	snprintf(cmd, sizeof(cmd), "%s %s", c->argv[1], c->argv[2]);
	rc = emu_bgp_command(lab, c->argv[0], cmd, reply, sizeof(reply));
	if (rc != 0)
		return cli_err(rc == -1 ? CLI_USAGE : CLI_USAGE, "%s", reply);
	if (c->json) {
		struct json j;

		json_init(&j, stdout);
		json_obj_begin(&j);
		json_kstr(&j, "lab", lab);
		json_kstr(&j, "node", c->argv[0]);
		json_kstr(&j, "command", cmd);
		json_kstr(&j, "result", reply);
		json_obj_end(&j);
		json_end(&j);
	} else
		printf("%s: %s\n", c->argv[0], reply);
	return CLI_OK;
}
