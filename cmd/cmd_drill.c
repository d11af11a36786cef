/*
 * cmd_drill: failures by hand (fail, restore) and scripted drills (drill).
 */
#include <dirent.h>
#include <errno.h>
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
#include "../lib/junit.h"
#include "../lib/util.h"
#include "../topo/failkind.h"
#include "cli.h"
#include "drillreport.h"

/* A fail or restore; with --json, what was done and when (the journal's clock). */
static int
daemon_req(const struct cli *c, const char *lab, const char *req)
{
	struct ctlc_reply r;
	char *f[2];
	int rc = CLI_OK;

	if (cli_lab_request(lab, req, 5000, &r) != 0)
		return CLI_ENV;
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
		    "shutdown|link|down|probe] | arsemu fail NODE/NODE link");
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

/* The drill files named: each FILE, and each DIR's *.json; sorted, once each. */
static int
drill_files(struct cli *c, char ***out, size_t *n)
{
	char **v = NULL;
	size_t cap = 0, i, k;
	int a;

	*n = 0;
	for (a = 0; a < c->argc; a++) {
		DIR *d = opendir(c->argv[a]);
		struct dirent *de;

		if (d == NULL) {
			if (errno != ENOTDIR) {
				if (errno != ENOENT)
					return cli_err(CLI_USAGE, "%s: %s",
					    c->argv[a], strerror(errno));
			}
			xgrow(&v, &cap, *n + 1, sizeof(*v));
			v[(*n)++] = xstrdup(c->argv[a]);
			continue;
		}
		while ((de = readdir(d)) != NULL) {
			size_t len = strlen(de->d_name);

			if (de->d_name[0] == '.' || len < 6 ||
			    strcmp(de->d_name + len - 5, ".json") != 0)
				continue;
			xgrow(&v, &cap, *n + 1, sizeof(*v));
			v[(*n)++] = xasprintf("%s%s%s", c->argv[a],
			    c->argv[a][strlen(c->argv[a]) - 1] == '/' ? "" : "/",
			    de->d_name);
		}
		closedir(d);
	}
	*out = v;
	if (v == NULL || *n == 0) {
		*n = 0;
		return cli_err(CLI_USAGE, "no drill files in %s", c->argv[0]);
	}
	qsort(v, *n, sizeof(*v), str_qcmp);
	for (i = k = 0; i < *n; i++)
		if (k == 0 || strcmp(v[k - 1], v[i]) != 0)
			v[k++] = v[i];
		else
			free(v[i]);
	*n = k;
	return 0;
}

/*
 * --shard K/N: the drills whose place in the sorted list is K-1 modulo N,
 * so that N machines with the same files run each drill once and differ by
 * at most one drill.
 */
static int
shard_of(const char *arg, unsigned *k, unsigned *n)
{
	char kb[16], nb[16];
	const char *sl = strchr(arg, '/');

	if (sl == NULL || (size_t)(sl - arg) >= sizeof(kb) ||
	    strlen(sl + 1) >= sizeof(nb))
		return cli_err(CLI_USAGE, "--shard %s: write it K/N, e.g. 2/4 "
		    "(the 2nd of 4 shards)", arg);
	snprintf(kb, sizeof(kb), "%.*s", (int)(sl - arg), arg);
	snprintf(nb, sizeof(nb), "%s", sl + 1);
	if (opt_uint("--shard N", nb, 1, DRILL_SHARDS_MAX, n) != 0 ||
	    opt_uint("--shard K", kb, 1, *n, k) != 0)
		return CLI_USAGE;
	return 0;
}

/* A drill's lab: --name, or one made from the drill's name; apart per drill. */
static int
lab_of(const struct cli *c, const struct drill *d, size_t i, size_t n,
    char *lab, size_t len)
{
	if (c->name != NULL && n == 1)
		snprintf(lab, len, "%s", c->name);
	else if (c->name != NULL)
		snprintf(lab, len, "%.24s-%zu", c->name, i + 1);
	else if (n == 1)
		snprintf(lab, len, "%.20s-%u", d->name,
		    (unsigned)getpid() % 100000);
	else
		snprintf(lab, len, "%.14s-%u-%zu", d->name,
		    (unsigned)getpid() % 100000, i + 1);
	return cli_lab_name("--name", lab);
}

/* How many of a drill's testcases (the drill, each expectation) fail. */
static size_t
drill_failures(const struct drill_report *rep)
{
	size_t i, failed = !rep->ok;

	for (i = 0; i < rep->nexpects; i++)
		failed += !rep->expects[i].ok;
	return failed;
}

/* One drill's testcases: the drill as a whole, then each expectation. */
static void
junit_drill(struct junit *j, const char *file, const struct drill *d,
    const struct drill_report *rep, const char *err)
{
	char cls[128], text[4096];
	size_t i, len = 0;

	snprintf(cls, sizeof(cls), "arsemu.drill.%s", d->name);
	if (rep == NULL) {
		junit_suite(j, d->name, 1, 0, 1, 0);
		junit_case(j, cls, d->name, 0, JUNIT_ERROR, err, file, NULL);
		junit_suite_end(j);
		return;
	}
	text[0] = '\0';
	for (i = 0; i < rep->nsteps; i++)
		if (!rep->steps[i].ok && len < sizeof(text))
			len += (size_t)snprintf(text + len, sizeof(text) - len,
			    "step %s at %ld ms: %s\n", rep->steps[i].step->name,
			    rep->steps[i].t_ms, rep->steps[i].note);
	for (i = 0; i < rep->nexpects; i++)
		if (!rep->expects[i].ok && len < sizeof(text))
			len += (size_t)snprintf(text + len, sizeof(text) - len,
			    "expectation: %s\n", rep->expects[i].note);
	junit_suite(j, d->name, 1 + rep->nexpects, drill_failures(rep), 0,
	    (double)rep->duration_ms / 1000);
	junit_case(j, cls, d->name, (double)rep->duration_ms / 1000,
	    rep->ok ? JUNIT_PASS : JUNIT_FAILURE, "the drill failed", text,
	    file);
	for (i = 0; i < rep->nexpects; i++)
		junit_case(j, cls, rep->expects[i].note, 0, rep->expects[i].ok ?
		    JUNIT_PASS : JUNIT_FAILURE, "not as expected",
		    rep->expects[i].note, NULL);
	junit_suite_end(j);
}

struct ran {
	struct drill		*d;
	struct drill_report	 rep;
	bool			 ran;
	char			 err[512];
};

static int
write_junit(const char *file, char **files, struct ran *r, size_t n)
{
	size_t i, tests = 0, failures = 0, errors = 0;
	double secs = 0;
	struct junit j;

	for (i = 0; i < n; i++) {
		if (!r[i].ran) {
			tests++;
			errors++;
			continue;
		}
		tests += 1 + r[i].rep.nexpects;
		failures += drill_failures(&r[i].rep);
		secs += (double)r[i].rep.duration_ms / 1000;
	}
	if (junit_open(&j, file, "arsemu drill", tests, failures, errors,
	    secs) == -1)
		return cli_err(CLI_ENV, "--junit %s: %s", file, strerror(errno));
	for (i = 0; i < n; i++)
		junit_drill(&j, files[i], r[i].d, r[i].ran ? &r[i].rep : NULL,
		    r[i].err);
	if (junit_close(&j) == -1)
		return cli_err(CLI_ENV, "--junit %s: %s", file, strerror(errno));
	return CLI_OK;
}

int
cmd_drill(struct cli *c)
{
	struct topo_err te;
	struct ran *r;
	char **all = NULL, **files, lab[64], err[512];
	size_t nall = 0, n = 0, i, printed = 0;
	unsigned k = 1, nshards = 1;
	int rc = CLI_OK;

	if (c->argc < 1)
		return cli_err(CLI_USAGE, "usage: arsemu drill DRILL.json|DIR... "
		    "[--name LAB] [--keep] [--json] [--report FILE] "
		    "[--junit FILE] [--shard K/N] [--list]");
	if (c->report != NULL && drill_report_kind(c->report) == -1)
		return cli_err(CLI_USAGE, "--report %s: a report is FILE.html or "
		    "FILE.svg", c->report);
	if (c->shard != NULL && shard_of(c->shard, &k, &nshards) != 0)
		return CLI_USAGE;
	if (drill_files(c, &all, &nall) != 0) {
		strv_free(all, nall);
		return CLI_USAGE;
	}
	files = xcalloc(nall, sizeof(*files));
	for (i = 0; i < nall; i++)
		if (i % nshards == k - 1)
			files[n++] = all[i];
	r = xcalloc(n ? n : 1, sizeof(*r));
	if (c->list) {
		for (i = 0; i < n; i++)
			printf("%s\n", files[i]);
		goto out;
	}
	if (c->report != NULL && n != 1) {
		rc = cli_err(CLI_USAGE, "--report draws one drill; %zu are "
		    "selected", n);
		goto out;
	}
	/* every file first: a bad one stops the run before any lab is built */
	for (i = 0; i < n; i++)
		if (drill_load_file(files[i], &r[i].d, &te) == -1) {
			topo_err_str(&te, files[i], err, sizeof(err));
			rc = cli_err(CLI_USAGE, "%s", err);
			goto out;
		}
	if (n > 0 && !cli_root("arsemu drill")) {
		rc = CLI_ENV;
		goto out;
	}
	if (c->json && n != 1)
		printf("[\n");
	for (i = 0; i < n; i++) {
		if (lab_of(c, r[i].d, i, n, lab, sizeof(lab)) != 0) {
			rc = CLI_USAGE;
			goto out;
		}
		if (emu_drill_run(r[i].d, lab, c->keep, isatty(2), &r[i].rep,
		    r[i].err, sizeof(r[i].err)) == -1) {
			rc = cli_err(CLI_ENV, "drill %s: %s", files[i], r[i].err);
			continue;
		}
		r[i].ran = true;
		if (c->json) {
			if (printed++ > 0)
				printf(",\n");
			print_json(r[i].d, &r[i].rep);
		} else {
			if (printed++ > 0)
				printf("\n");
			print_text(r[i].d, &r[i].rep);
		}
		fflush(stdout);
		if (!r[i].rep.ok && rc == CLI_OK)
			rc = CLI_FAIL;
	}
	if (c->json && n != 1)
		printf("]\n");
	if (c->report != NULL && r[0].ran &&
	    drill_report_write(c->report, r[0].d, &r[0].rep, err,
	    sizeof(err)) == -1)
		rc = cli_err(CLI_ENV, "drill report: %s", err);
	if (c->junit != NULL) {
		int jr = write_junit(c->junit, files, r, n);

		if (jr != CLI_OK)
			rc = jr;
	}
out:
	for (i = 0; i < n; i++) {
		if (r[i].ran)
			emu_drill_report_free(&r[i].rep);
		if (r[i].d != NULL)
			drill_free(r[i].d);
	}
	free(r);
	free(files);
	strv_free(all, nall);
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
