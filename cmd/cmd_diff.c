/*
 * cmd_diff: `arsemu diff OLD NEW | --terraform PLAN.json [--json]
 * [--markdown]`, without root: what a change of topology does, for a pull
 * request's review or a pipeline's gate. Both revisions are validated and
 * linted as `validate` does them and planned as `plan` does
 * (emu/model/plan.c); emu/model/diff.c compares. With --terraform the two
 * revisions are a Terraform plan's prior state and planned values, each
 * imported as `arsemu import terraform` does (topo/tfimport.h).
 *
 * Reachability: diff.c runs `arsemu reach`'s matrix on both revisions
 * (emu/model/reach.c) and keeps the class pairs whose outcome or path
 * changed, grouped by the change; here they are printed.
 *
 * Owns: loading the two revisions, the exit status, and the three renderings
 * of a struct diff (text, --markdown for a pull-request comment, --json).
 * Must not: compare anything itself (diff.c does) or reach the kernel.
 *
 * Exit status: 0 nothing changed, 1 something did, 2 usage or a file that
 * does not load (the message names the file and the JSON path).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../emu/model/diff.h"
#include "../emu/model/nsg.h"
#include "../lib/json.h"
#include "../lib/util.h"
#include "../topo/lint.h"
#include "../topo/tfimport.h"
#include "cli.h"

#define DIFF_USAGE	"usage: arsemu diff OLD NEW | --terraform PLAN.json " \
	"[--json] [--markdown]"
#define DIFF_TF_LAB	"terraform"	/* the imported revisions' lab name */
#define DIFF_NAMES_MAX	8	/* subnets named in a text or markdown heading */
#define DIFF_MD_ROWS	100	/* rows of a markdown table: a comment stays short */

/* A revision, validated and linted; NULL after a message naming file, path. */
static struct topo *
diff_load(const char *file)
{
	struct topo_err e;
	struct topo *t;
	char msg[1024];

	if (topo_load_file(file, &t, &e) == 0) {
		topo_lint(t);
		nsg_lint(t);	/* NS-07 */
		return t;
	}
	fprintf(stderr, "%s\n", topo_err_str(&e, file, msg, sizeof(msg)));
	return NULL;
}

/*
 * One side of a Terraform plan, imported, validated and linted; NULL after
 * a message naming the file and the JSON path or resource address. label:
 * "PLAN.json (before)", which the renderings print.
 */
static struct topo *
diff_load_tf(const char *file, enum tf_side side, char *label, size_t len)
{
	struct topo_tf tf;
	struct topo_err e;
	struct topo *t = NULL;
	char msg[1024];

	snprintf(label, len, "%s (%s)", file, side == TF_BEFORE ? "before" :
	    "after");
	if (topo_tf_import(file, side, DIFF_TF_LAB, &tf, &e) == -1) {
		fprintf(stderr, "arsemu: diff --terraform: %s\n", e.msg);
		return NULL;
	}
	if (!tf.plan)
		fprintf(stderr, "arsemu: diff --terraform: %s: a state, not a "
		    "plan (terraform plan -out FILE; terraform show -json "
		    "FILE)\n", file);
	else if (topo_load_string(tf.json, strlen(tf.json), &t, &e) == 0) {
		topo_lint(t);
		nsg_lint(t);	/* NS-07 */
	} else
		fprintf(stderr, "arsemu: diff --terraform: the %s, imported, "
		    "does not validate (see arsemu import terraform): %s\n",
		    side == TF_BEFORE ? "prior state" : "planned values",
		    topo_err_str(&e, label, msg, sizeof(msg)));
	topo_tf_free(&tf);
	return t;
}

/* "10.1.0.4,10.1.0.5" or "-" */
static const char *
nh_str(const struct sdn_route *r, char *buf, size_t len)
{
	char a[ADDR_STRLEN];
	size_t off = 0;
	unsigned k;

	buf[0] = '\0';
	for (k = 0; k < r->nnh && off < len; k++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s", k ? "," : "",
		    addr_fmt(r->nh[k], a));
	if (buf[0] == '\0')
		snprintf(buf, len, "-");
	return buf;
}

/* "VirtualAppliance 10.1.2.4 (User, Active, hq-via-fw1)" */
static const char *
route_str(const struct sdn_route *r, char *buf, size_t len)
{
	char nh[SDN_MAX_NH * ADDR_STRLEN];

	snprintf(buf, len, "%s %s (%s, %s%s%s)", sdn_nh_type_str(r->type),
	    nh_str(r, nh, sizeof(nh)), sdn_source_str(r->source),
	    sdn_state_str(r), r->name != NULL ? ", " : "",
	    r->name != NULL ? r->name : "");
	return buf;
}

static size_t
group_subnets(const struct diff *d)
{
	size_t i, n = 0;

	for (i = 0; i < d->ngroups; i++)
		n += d->groups[i].nmembers;
	return n;
}

/* Class pairs with a changed row (a pair's rows are adjacent in a group). */
static size_t
reach_changed(const struct diff *d)
{
	size_t i, n = 0;

	for (i = 0; i < d->nreach_rows; i++)
		n += i == 0 || strcmp(d->reach_rows[i - 1].from,
		    d->reach_rows[i].from) != 0 || strcmp(d->reach_rows[i - 1].to,
		    d->reach_rows[i].to) != 0;
	return n;
}

/* The one-line verdict both text and markdown start with. */
static void
verdict(FILE *f, const struct diff *d)
{
	if (!diff_changed(d)) {
		fprintf(f, "no change: %zu subnets and %zu class pairs compared, "
		    "effective routes, reachability, Route Server peerings and "
		    "warnings identical", d->subnets, d->reach_compared);
		return;
	}
	fprintf(f, "changed: effective routes of %zu of %zu subnets (%zu "
	    "group%s), %zu NIC%s added or removed, %zu Route Server peering%s, "
	    "%zu warning%s new, %zu gone, reachability of %zu of %zu class "
	    "pairs (%zu group%s)", group_subnets(d), d->subnets,
	    d->ngroups, d->ngroups == 1 ? "" : "s", d->nnics,
	    d->nnics == 1 ? "" : "s", d->npeerings,
	    d->npeerings == 1 ? "" : "s", d->nlint_new,
	    d->nlint_new == 1 ? "" : "s", d->nlint_gone, reach_changed(d),
	    d->reach_compared, d->nreach_groups,
	    d->nreach_groups == 1 ? "" : "s");
}

/* "spoke1/app, spoke2/app and 3 more (5 subnets, 40 NICs)" */
static void
group_name(FILE *f, const struct diff_group *g)
{
	size_t i;

	for (i = 0; i < g->nmembers && i < DIFF_NAMES_MAX; i++)
		fprintf(f, "%s%s/%s", i ? ", " : "", g->members[i].vnet,
		    g->members[i].subnet);
	if (g->nmembers > DIFF_NAMES_MAX)
		fprintf(f, " and %zu more", g->nmembers - DIFF_NAMES_MAX);
	fprintf(f, " (%zu subnet%s, %zu NIC%s)", g->nmembers,
	    g->nmembers == 1 ? "" : "s", g->nnics, g->nnics == 1 ? "" : "s");
}

static void
text_group(const struct diff_group *g)
{
	char r[512], p[PFX_STRLEN];
	size_t i, k;

	printf("\nsubnets %s: ", diff_kind_str(g->kind));
	group_name(stdout, g);
	putchar('\n');
	for (i = 0; i < g->nprefixes; i++) {
		printf("  %s %s\n", pfx_fmt(&g->prefixes[i].pfx, p),
		    diff_kind_str(g->prefixes[i].kind));
		for (k = 0; k < g->prefixes[i].nold; k++)
			printf("    - %s\n", route_str(&g->prefixes[i].old[k], r,
			    sizeof(r)));
		for (k = 0; k < g->prefixes[i].nnew; k++)
			printf("    + %s\n", route_str(&g->prefixes[i].new[k], r,
			    sizeof(r)));
	}
}

static void
text_pfxset(const char *what, const struct diff_pfxset *s)
{
	char p[PFX_STRLEN];
	size_t i;

	for (i = 0; i < s->nremoved; i++)
		printf("    - %s %s\n", what, pfx_fmt(&s->removed[i], p));
	for (i = 0; i < s->nadded; i++)
		printf("    + %s %s\n", what, pfx_fmt(&s->added[i], p));
}

static void
text_peering(const struct diff_peering *e)
{
	printf("  %s with %s: %s; established %s -> %s, accepted %zu -> %zu%s\n",
	    e->instance, e->peer, diff_kind_str(e->kind),
	    e->old_up ? "yes" : "no", e->new_up ? "yes" : "no",
	    e->old_accepted, e->new_accepted,
	    e->new_over && !e->old_over ? ", now over its route limit (RS-40)" :
	    e->old_over && !e->new_over ? ", no longer over its route limit" : "");
	text_pfxset("learned", &e->learned);
	text_pfxset("advertised", &e->advertised);
}

/* "NICs added to s1/app (2): a, b" */
static void
nicset_name(FILE *f, const struct diff *d, size_t set)
{
	const struct diff_nicset *s = &d->nicsets[set];
	size_t i, n = 0;

	fprintf(f, "NICs %s %s %s/%s (%zu): ", diff_kind_str(s->kind),
	    s->kind == DIFF_ADDED ? "to" : "from", s->vnet, s->subnet, s->nnics);
	for (i = 0; i < d->nnics; i++)
		if (d->nics[i].set == set && n++ < DIFF_NAMES_MAX)
			fprintf(f, "%s%s", n > 1 ? ", " : "", d->nics[i].name);
	if (n > DIFF_NAMES_MAX)
		fprintf(f, " and %zu more", n - DIFF_NAMES_MAX);
}

/* The set's NICs, then their routes, one a line. */
static void
text_nicset(const struct diff *d, size_t set)
{
	const struct diff_nicset *s = &d->nicsets[set];
	char r[512], p[PFX_STRLEN];
	size_t i;

	putchar('\n');
	nicset_name(stdout, d, set);
	printf("\n");
	for (i = 0; i < s->nroutes; i++)
		printf("    %c %s %s\n", s->kind == DIFF_ADDED ? '+' : '-',
		    pfx_fmt(&s->routes[i].pfx, p),
		    route_str(&s->routes[i], r, sizeof(r)));
}

/* "delivered via fw1 > gw0" or "no route" */
static void
reach_change_str(FILE *f, const struct diff_reach_end *e)
{
	fprintf(f, "%s%s%s", e->outcome_str, e->via[0] ? " via " : "",
	    e->via);
}

static void
text_reach(const struct diff *d, const struct diff_reach_group *g)
{
	const struct diff_reach_row *r = &d->reach_rows[g->first];
	size_t i;

	printf("\nreachability changed (%zu row%s, %zu endpoint pair%s): ",
	    g->nrows, g->nrows == 1 ? "" : "s", g->pairs,
	    g->pairs == 1 ? "" : "s");
	reach_change_str(stdout, &r->before);
	printf(" -> ");
	reach_change_str(stdout, &r->after);
	putchar('\n');
	for (i = 0; i < g->nrows; i++, r++) {
		printf("  %s -> %s (%s, %zu pair%s)\n", r->from, r->to,
		    r->services, r->pairs, r->pairs == 1 ? "" : "s");
		printf("    - %s: %s\n", r->before.outcome_str, r->before.path);
		printf("    + %s: %s\n", r->after.outcome_str, r->after.path);
	}
}

static void
print_text(const struct diff *d)
{
	size_t i;

	verdict(stdout, d);
	putchar('\n');
	for (i = 0; i < d->ngroups; i++)
		text_group(&d->groups[i]);
	for (i = 0; i < d->nnicsets; i++)
		text_nicset(d, i);
	for (i = 0; i < d->nreach_groups; i++)
		text_reach(d, &d->reach_groups[i]);
	if (d->npeerings > 0)
		printf("\nRoute Server peerings:\n");
	for (i = 0; i < d->npeerings; i++)
		text_peering(&d->peerings[i]);
	if (d->nlint_new + d->nlint_gone > 0)
		printf("\nwarnings:\n");
	for (i = 0; i < d->nlint_new; i++)
		printf("  + %s\n", d->lint_new[i]);
	for (i = 0; i < d->nlint_gone; i++)
		printf("  - %s\n", d->lint_gone[i]);
}

/* Markdown: a table cell's text, '|' escaped. */
static void
md_cell(const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '|')
			putchar('\\');
		putchar(*s == '\n' ? ' ' : *s);
	}
}

static void
md_routes(const struct sdn_route *v, size_t n)
{
	char r[512];
	size_t k;

	if (n == 0)
		printf("(none)");
	for (k = 0; k < n; k++) {
		printf("%s", k ? "<br>" : "");
		md_cell(route_str(&v[k], r, sizeof(r)));
	}
}

/* A table cut at DIFF_MD_ROWS rows says so in a last row of ncols cells. */
static void
md_more(size_t nrows, int ncols)
{
	int k;

	if (nrows <= DIFF_MD_ROWS)
		return;
	printf("| and %zu more: `arsemu diff --json` lists them", nrows -
	    DIFF_MD_ROWS);
	for (k = 1; k < ncols; k++)
		printf(" | ");
	printf(" |\n");
}

static void
md_group(const struct diff_group *g)
{
	char p[PFX_STRLEN];
	size_t i;

	printf("\n### Subnets %s: ", diff_kind_str(g->kind));
	group_name(stdout, g);
	printf("\n\n| Prefix | Change | Before | After |\n|---|---|---|---|\n");
	for (i = 0; i < g->nprefixes && i < DIFF_MD_ROWS; i++) {
		printf("| %s | %s | ", pfx_fmt(&g->prefixes[i].pfx, p),
		    diff_kind_str(g->prefixes[i].kind));
		md_routes(g->prefixes[i].old, g->prefixes[i].nold);
		printf(" | ");
		md_routes(g->prefixes[i].new, g->prefixes[i].nnew);
		printf(" |\n");
	}
	md_more(g->nprefixes, 4);
}

static void
md_pfxset(const struct diff_pfxset *s)
{
	char p[PFX_STRLEN];
	size_t i;

	for (i = 0; i < s->nadded; i++)
		printf("%s+%s", i ? " " : "", pfx_fmt(&s->added[i], p));
	for (i = 0; i < s->nremoved; i++)
		printf("%s-%s", i || s->nadded ? " " : "",
		    pfx_fmt(&s->removed[i], p));
	if (s->nadded + s->nremoved == 0)
		printf("-");
}

static void
md_peerings(const struct diff *d)
{
	const struct diff_peering *e;
	size_t i;

	if (d->npeerings == 0)
		return;
	printf("\n## Route Server peerings\n\n| Instance | Peer | Change | "
	    "Established | Accepted | Learned | Advertised |\n"
	    "|---|---|---|---|---|---|---|\n");
	for (i = 0; i < d->npeerings; i++) {
		e = &d->peerings[i];
		printf("| %s | %s | %s | %s -> %s | %zu -> %zu | ", e->instance,
		    e->peer, diff_kind_str(e->kind), e->old_up ? "yes" : "no",
		    e->new_up ? "yes" : "no", e->old_accepted, e->new_accepted);
		md_pfxset(&e->learned);
		printf(" | ");
		md_pfxset(&e->advertised);
		printf(" |\n");
	}
}

static void
md_nicset(const struct diff *d, size_t set)
{
	const struct diff_nicset *s = &d->nicsets[set];
	char p[PFX_STRLEN];
	size_t i;

	printf("\n### ");
	nicset_name(stdout, d, set);
	printf("\n\n| Prefix | Effective route |\n|---|---|\n");
	for (i = 0; i < s->nroutes && i < DIFF_MD_ROWS; i++) {
		printf("| %s | ", pfx_fmt(&s->routes[i].pfx, p));
		md_routes(&s->routes[i], 1);
		printf(" |\n");
	}
	md_more(s->nroutes, 2);
}

/* "delivered: a > b", '|' escaped */
static void
md_end(const struct diff_reach_end *e)
{
	md_cell(e->outcome_str);
	printf(": ");
	md_cell(e->path);
}

/* One table, the rows in group order, cut at DIFF_MD_ROWS. */
static void
md_reach(const struct diff *d)
{
	const struct diff_reach_row *r;
	size_t i;

	if (d->nreach_rows == 0)
		return;
	printf("\n## Reachability\n\n%zu row%s in %zu group%s: class pairs whose "
	    "outcome or path changed\n\n| From | To | Services | Pairs | Before "
	    "| After |\n|---|---|---|---|---|---|\n", d->nreach_rows,
	    d->nreach_rows == 1 ? "" : "s", d->nreach_groups,
	    d->nreach_groups == 1 ? "" : "s");
	for (i = 0; i < d->nreach_rows && i < DIFF_MD_ROWS; i++) {
		r = &d->reach_rows[i];
		printf("| ");
		md_cell(r->from);
		printf(" | ");
		md_cell(r->to);
		printf(" | %s | %zu | ", r->services, r->pairs);
		md_end(&r->before);
		printf(" | ");
		md_end(&r->after);
		printf(" |\n");
	}
	md_more(d->nreach_rows, 6);
}

static void
print_markdown(const struct diff *d, const char *old, const char *new)
{
	size_t i;

	printf("**arsemu diff: ");
	verdict(stdout, d);
	printf("**\n\n`%s` -> `%s`\n", old, new);
	if (d->ngroups > 0)
		printf("\n## Effective routes\n");
	for (i = 0; i < d->ngroups; i++)
		md_group(&d->groups[i]);
	if (d->nnicsets > 0)
		printf("\n## NICs\n");
	for (i = 0; i < d->nnicsets; i++)
		md_nicset(d, i);
	md_reach(d);
	md_peerings(d);
	if (d->nlint_new + d->nlint_gone > 0)
		printf("\n## Lint warnings\n\n");
	for (i = 0; i < d->nlint_new; i++)
		printf("- new: %s\n", d->lint_new[i]);
	for (i = 0; i < d->nlint_gone; i++)
		printf("- gone: %s\n", d->lint_gone[i]);
}

static void
json_routes(struct json *j, const char *key, const struct sdn_route *v,
    size_t n)
{
	char p[PFX_STRLEN], a[ADDR_STRLEN];
	size_t i;
	unsigned k;

	json_key(j, key);
	json_arr_begin(j);
	for (i = 0; i < n; i++) {
		json_obj_begin(j);
		json_kstr(j, "source", sdn_source_str(v[i].source));
		json_kstr(j, "state", sdn_state_str(&v[i]));
		json_kstr(j, "addressPrefix", pfx_fmt(&v[i].pfx, p));
		json_kstr(j, "nextHopType", sdn_nh_type_str(v[i].type));
		json_key(j, "nextHopIpAddress");
		json_arr_begin(j);
		for (k = 0; k < v[i].nnh; k++)
			json_str(j, addr_fmt(v[i].nh[k], a));
		json_arr_end(j);
		json_kstr(j, "name", v[i].name);
		json_obj_end(j);
	}
	json_arr_end(j);
}

static void
json_group(struct json *j, const struct diff_group *g)
{
	char p[PFX_STRLEN];
	size_t i;

	json_obj_begin(j);
	json_kstr(j, "change", diff_kind_str(g->kind));
	json_kint(j, "nics", (long long)g->nnics);
	json_key(j, "subnets");
	json_arr_begin(j);
	for (i = 0; i < g->nmembers; i++) {
		json_obj_begin(j);
		json_kstr(j, "vnet", g->members[i].vnet);
		json_kstr(j, "subnet", g->members[i].subnet);
		json_kint(j, "nics", (long long)g->members[i].nnics);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_key(j, "routes");
	json_arr_begin(j);
	for (i = 0; i < g->nprefixes; i++) {
		json_obj_begin(j);
		json_kstr(j, "addressPrefix", pfx_fmt(&g->prefixes[i].pfx, p));
		json_kstr(j, "change", diff_kind_str(g->prefixes[i].kind));
		json_routes(j, "before", g->prefixes[i].old, g->prefixes[i].nold);
		json_routes(j, "after", g->prefixes[i].new, g->prefixes[i].nnew);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}

static void
json_pfxs(struct json *j, const char *key, const struct pfx4 *v, size_t n)
{
	char p[PFX_STRLEN];
	size_t i;

	json_key(j, key);
	json_arr_begin(j);
	for (i = 0; i < n; i++)
		json_str(j, pfx_fmt(&v[i], p));
	json_arr_end(j);
}

static void
json_pfxset(struct json *j, const char *key, const struct diff_pfxset *s)
{
	json_key(j, key);
	json_obj_begin(j);
	json_pfxs(j, "added", s->added, s->nadded);
	json_pfxs(j, "removed", s->removed, s->nremoved);
	json_obj_end(j);
}

static void
json_before_after(struct json *j, const char *key, long long a, long long b,
    bool boolean)
{
	json_key(j, key);
	json_obj_begin(j);
	if (boolean) {
		json_kbool(j, "before", a != 0);
		json_kbool(j, "after", b != 0);
	} else {
		json_kint(j, "before", a);
		json_kint(j, "after", b);
	}
	json_obj_end(j);
}

static void
json_peering(struct json *j, const struct diff_peering *e)
{
	json_obj_begin(j);
	json_kstr(j, "instance", e->instance);
	json_kstr(j, "peer", e->peer);
	json_kstr(j, "change", diff_kind_str(e->kind));
	json_before_after(j, "established", e->old_up, e->new_up, true);
	json_before_after(j, "overLimit", e->old_over, e->new_over, true);
	json_before_after(j, "accepted", (long long)e->old_accepted,
	    (long long)e->new_accepted, false);
	json_pfxset(j, "learned", &e->learned);
	json_pfxset(j, "advertised", &e->advertised);
	json_obj_end(j);
}

static void
json_strs(struct json *j, const char *key, const char *const *v, size_t n)
{
	size_t i;

	json_key(j, key);
	json_arr_begin(j);
	for (i = 0; i < n; i++)
		json_str(j, v[i]);
	json_arr_end(j);
}

/* One subnet's NICs added or removed: names, and their routes once. */
static void
json_nicset(struct json *j, const struct diff *d, size_t set)
{
	const struct diff_nicset *s = &d->nicsets[set];
	size_t i;

	json_obj_begin(j);
	json_kstr(j, "change", diff_kind_str(s->kind));
	json_kstr(j, "vnet", s->vnet);
	json_kstr(j, "subnet", s->subnet);
	json_key(j, "names");
	json_arr_begin(j);
	for (i = 0; i < d->nnics; i++)
		if (d->nics[i].set == set)
			json_str(j, d->nics[i].name);
	json_arr_end(j);
	json_routes(j, "routes", s->routes, s->nroutes);
	json_obj_end(j);
}

/* "a > b > internet" as ["a", "b", "internet"] (names hold no blank) */
static void
json_path(struct json *j, const char *key, const char *path)
{
	const char *p = path, *e;
	char hop[TOPO_NAME_MAX + 16];

	json_key(j, key);
	json_arr_begin(j);
	while (*p != '\0') {
		e = strstr(p, " > ");
		if (e == NULL)
			e = p + strlen(p);
		snprintf(hop, sizeof(hop), "%.*s", (int)(e - p), p);
		json_str(j, hop);
		p = *e != '\0' ? e + 3 : e;
	}
	json_arr_end(j);
}

static void
json_end_obj(struct json *j, const char *key, const struct diff_reach_end *e,
    bool path)
{
	json_key(j, key);
	json_obj_begin(j);
	json_kstr(j, "outcome", walk_outcome_str(e->outcome));
	json_kstr(j, "detail", e->outcome_str);
	json_path(j, "via", e->via);
	if (path)
		json_path(j, "path", e->path);
	json_obj_end(j);
}

static void
json_reach(struct json *j, const struct diff *d,
    const struct diff_reach_group *g)
{
	const struct diff_reach_row *r = &d->reach_rows[g->first];
	char pf[PFX_STRLEN];
	size_t i;

	json_obj_begin(j);
	json_kint(j, "pairs", (long long)g->pairs);
	json_end_obj(j, "before", &r->before, false);
	json_end_obj(j, "after", &r->after, false);
	json_key(j, "rows");
	json_arr_begin(j);
	for (i = 0; i < g->nrows; i++, r++) {
		json_obj_begin(j);
		json_kstr(j, "from", r->from);
		json_kstr(j, "to", r->to);
		json_kstr(j, "toRange", pfx_fmt(&r->to_range, pf));
		json_kint(j, "sources", (long long)r->sources);
		json_kint(j, "destinations", (long long)r->destinations);
		json_kint(j, "pairs", (long long)r->pairs);
		json_kstr(j, "services", r->services);
		json_end_obj(j, "before", &r->before, true);
		json_end_obj(j, "after", &r->after, true);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}

static void
print_json(const struct diff *d, const char *old, const char *new)
{
	struct json j;
	size_t i;

	json_init(&j, stdout);
	json_obj_begin(&j);
	json_kstr(&j, "old", old);
	json_kstr(&j, "new", new);
	json_kbool(&j, "changed", diff_changed(d));
	json_kint(&j, "subnetsCompared", (long long)d->subnets);
	json_kint(&j, "subnetsUnchanged", (long long)d->unchanged);
	json_key(&j, "groups");
	json_arr_begin(&j);
	for (i = 0; i < d->ngroups; i++)
		json_group(&j, &d->groups[i]);
	json_arr_end(&j);
	json_key(&j, "nics");
	json_arr_begin(&j);
	for (i = 0; i < d->nnicsets; i++)
		json_nicset(&j, d, i);
	json_arr_end(&j);
	json_key(&j, "routeServerPeerings");
	json_arr_begin(&j);
	for (i = 0; i < d->npeerings; i++)
		json_peering(&j, &d->peerings[i]);
	json_arr_end(&j);
	json_key(&j, "warnings");
	json_obj_begin(&j);
	json_strs(&j, "new", d->lint_new, d->nlint_new);
	json_strs(&j, "gone", d->lint_gone, d->nlint_gone);
	json_obj_end(&j);
	json_kint(&j, "classPairsCompared", (long long)d->reach_compared);
	json_key(&j, "reachability");
	json_arr_begin(&j);
	for (i = 0; i < d->nreach_groups; i++)
		json_reach(&j, d, &d->reach_groups[i]);
	json_arr_end(&j);
	json_obj_end(&j);
	json_end(&j);
}

int
cmd_diff(struct cli *c)
{
	struct topo *a, *b = NULL;
	char la[PATH_MAX + 16], lb[PATH_MAX + 16];
	const char *na = c->argv[0], *nb = c->argv[1];
	struct plan pa, pb;
	struct diff d;
	int rc;

	if (c->argc != (c->terraform ? 0 : 2))
		return cli_err(CLI_USAGE, DIFF_USAGE);
	if (c->json && c->markdown)
		return cli_err(CLI_USAGE, "diff: --json and --markdown are "
		    "exclusive (%s)", DIFF_USAGE);
	if (c->terraform != NULL) {
		/* the prior state first: its errors come first */
		if ((a = diff_load_tf(c->terraform, TF_BEFORE, la,
		    sizeof(la))) == NULL || (b = diff_load_tf(c->terraform,
		    TF_AFTER, lb, sizeof(lb))) == NULL) {
			topo_free(a);
			return CLI_USAGE;
		}
		na = la;
		nb = lb;
	} else if ((a = diff_load(na)) == NULL || (b = diff_load(nb)) == NULL) {
		topo_free(a);
		return CLI_USAGE;
	}
	plan_run_routes(a, &pa);
	plan_run_routes(b, &pb);
	diff_run(a, &pa, b, &pb, &d);
	if (c->json)
		print_json(&d, na, nb);
	else if (c->markdown)
		print_markdown(&d, na, nb);
	else
		print_text(&d);
	rc = diff_changed(&d) ? CLI_FAIL : CLI_OK;
	diff_free(&d);
	plan_free(&pa);
	plan_free(&pb);
	topo_free(a);
	topo_free(b);
	return rc;
}
