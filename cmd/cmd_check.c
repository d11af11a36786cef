/*
 * cmd_check: `arsemu check SUITE`: a suite's assertions (man/arsemu-check.5)
 * evaluated offline against its topology (emu/model/check.c), reported as
 * text, JSON, TAP version 13 and JUnit XML. Exit 0 all hold, 1 one fails,
 * 2 a bad suite or topology, 3 the environment (a file that cannot be
 * written, --live without root or lab). `--record TOPO -o SUITE` writes a
 * suite of what holds today (cmd_record.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../emu/model/check.h"
#include "../emu/model/plan.h"
#include "../lib/json.h"
#include "../lib/junit.h"
#include "../lib/util.h"
#include "../topo/suite.h"
#include "check_live.h"
#include "cli.h"

/* What a report prints: the suite, the results, the time taken. */
struct report {
	const char		*file;
	const struct suite	*s;
	const struct check_result *res;
	size_t			 n, failed;
	double			 secs;
	bool			 live;
};

static void
print_text(const struct report *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		printf("%s  %s: expected %s; seen %s\n", r->res[i].held ? "PASS" :
		    "FAIL", r->res[i].a->name, r->res[i].expected,
		    r->res[i].seen);
	printf("%zu assertions: %zu passed, %zu failed (%s, %.2f s)\n", r->n,
	    r->n - r->failed, r->failed, r->live ? "live" : "offline", r->secs);
}

static void
print_json(const struct report *r)
{
	struct json j;
	char *path;
	size_t i;

	json_init(&j, stdout);
	json_obj_begin(&j);
	json_kstr(&j, "suite", r->s->name ? r->s->name : r->file);
	json_kstr(&j, "topology", r->s->topology);
	json_kbool(&j, "offline", !r->live);
	json_kint(&j, "passed", (long long)(r->n - r->failed));
	json_kint(&j, "failed", (long long)r->failed);
	json_key(&j, "assertions");
	json_arr_begin(&j);
	for (i = 0; i < r->n; i++) {
		json_obj_begin(&j);
		json_kstr(&j, "name", r->res[i].a->name);
		json_kstr(&j, "kind", suite_kind_str(r->res[i].a->kind));
		path = xasprintf("$.%s", r->res[i].a->jpath);
		json_kstr(&j, "path", path);
		free(path);
		json_kbool(&j, "held", r->res[i].held);
		json_kstr(&j, "expected", r->res[i].expected);
		json_kstr(&j, "seen", r->res[i].seen);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	json_end(&j);
}

/* The inside of a YAML double-quoted scalar (TAP 13's diagnostics). */
static void
yaml_str(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\x%02x", (unsigned)(unsigned char)*s);
		else
			putchar(*s);
}

static void
print_tap(const struct report *r)
{
	const char *c;
	size_t i;

	printf("TAP version 13\n1..%zu\n", r->n);
	for (i = 0; i < r->n; i++) {
		printf("%sok %zu - ", r->res[i].held ? "" : "not ", i + 1);
		/* "#" would start a directive (SKIP, TODO) */
		for (c = r->res[i].a->name; *c != '\0'; c++)
			printf("%s%c", *c == '#' || *c == '\\' ? "\\" : "", *c);
		putchar('\n');
		if (r->res[i].held)
			continue;
		printf("  ---\n  kind: %s\n  path: \"$.",
		    suite_kind_str(r->res[i].a->kind));
		yaml_str(r->res[i].a->jpath);
		printf("\"\n  expected: \"");
		yaml_str(r->res[i].expected);
		printf("\"\n  seen: \"");
		yaml_str(r->res[i].seen);
		printf("\"\n  ...\n");
	}
}

static int
write_junit(const struct report *r, const char *file)
{
	const char *name = r->s->name ? r->s->name : r->file;
	struct junit j;
	size_t i;

	if (junit_open(&j, file, "arsemu check", r->n, r->failed, 0,
	    r->secs) == -1)
		return cli_err(CLI_ENV, "--junit: cannot write %s", file);
	junit_suite(&j, name, r->n, r->failed, 0, r->secs);
	for (i = 0; i < r->n; i++) {
		const struct check_result *c = &r->res[i];
		char cls[64], *text, *out;

		snprintf(cls, sizeof(cls), "arsemu.check.%s",
		    suite_kind_str(c->a->kind));
		text = xasprintf("expected: %s\nseen: %s", c->expected, c->seen);
		out = xasprintf("$.%s: %s", c->a->jpath, c->seen);
		junit_case(&j, cls, c->a->name, 0, c->held ? JUNIT_PASS :
		    JUNIT_FAILURE, c->a->name, text, out);
		free(text);
		free(out);
	}
	junit_suite_end(&j);
	if (junit_close(&j) == -1)
		return cli_err(CLI_ENV, "--junit: cannot write %s", file);
	return 0;
}

/* The suite and its topology, resolved: CLI_OK, or CLI_USAGE after a message. */
static int
load(const char *file, struct suite **s, struct topo **t)
{
	struct topo_err te;
	char msg[1200];

	*t = NULL;
	if (suite_load_file(file, s, &te) == -1) {
		topo_err_str(&te, file, msg, sizeof(msg));
		return cli_err(CLI_USAGE, "%s", msg);
	}
	if (topo_load_file((*s)->topology, t, &te) == -1) {
		topo_err_str(&te, (*s)->topology, msg, sizeof(msg));
		return cli_err(CLI_USAGE, "%s (the topology of %s)", msg, file);
	}
	if (suite_load_bases(*s, &te) == -1) {
		topo_err_str(&te, file, msg, sizeof(msg));
		return cli_err(CLI_USAGE, "%s", msg);
	}
	if (check_resolve(*t, *s, &te) == -1) {
		topo_err_str(&te, file, msg, sizeof(msg));
		return cli_err(CLI_USAGE, "%s", msg);
	}
	return CLI_OK;
}

int
cmd_check(struct cli *c)
{
	struct report r;
	struct suite *s = NULL;
	struct topo *t = NULL;
	struct check_result *res;
	struct plan p;
	uint64_t t0 = mono_ms();
	int rc;

	if (c->record != NULL)
		return check_record(c);
	if (c->argc != 1 || c->output != NULL)
		return cli_err(CLI_USAGE, "usage: arsemu check SUITE [--json] "
		    "[--junit FILE] [--tap] [--name LAB] [--live] | --record TOPO "
		    "-o SUITE");
	if (c->json && c->tap)
		return cli_err(CLI_USAGE, "--json and --tap both write to stdout: "
		    "say one");
	if (c->name != NULL && !c->live)
		return cli_err(CLI_USAGE, "--name goes with --live");
	if (c->live && !cli_root("arsemu check --live"))
		return CLI_ENV;
	if ((rc = load(c->argv[0], &s, &t)) != CLI_OK)
		goto out;
	res = xcalloc(s->nasserts + 1, sizeof(*res));
	memset(&r, 0, sizeof(r));
	r.file = c->argv[0];
	r.s = s;
	r.res = res;
	r.n = s->nasserts;
	if (check_needs_routes(s))
		plan_run_routes(t, &p);
	else
		plan_run(t, &p);
	r.failed = check_run(t, &p, s, res);
	if (c->live) {
		r.live = true;
		if ((rc = check_live(c, t, &p, s, res, &r.failed)) != CLI_OK) {
			plan_free(&p);
			free(res);
			goto out;
		}
	}
	plan_free(&p);
	r.secs = (double)(mono_ms() - t0) / 1000.0;
	if (c->json)
		print_json(&r);
	else if (c->tap)
		print_tap(&r);
	else
		print_text(&r);
	rc = r.failed > 0 ? CLI_FAIL : CLI_OK;
	if (c->junit != NULL && write_junit(&r, c->junit) != 0)
		rc = CLI_ENV;
	free(res);
out:
	suite_free(s);
	topo_free(t);
	return rc;
}
