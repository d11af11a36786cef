/*
 * drill: parse a drill file. See drill.h and man/arsemu-drill.5.
 *
 *   { "name", "description", "topology": "PATH",
 *     "traffic": [ { "name", "from", "to", "rate", "flows", "port", "proto" } ],
 *     "steps": [ { "wait_converged": { "timeout": S, "quiet_ms": MS } }
 *              | { "sleep_ms": MS }
 *              | { "fail": NODE|"A/B", "kind": "crash|freeze|shutdown|link|down",
 *                  "name" }
 *              | { "restore": NODE, "name" }
 *              | { "expect_route": { "nic", "prefix", "next_hop", "present" } }
 *              | { "bgp": NODE, "command": "withdraw P|announce P|disable PEER|enable PEER" }
 *              | { "expect_path": { "traffic", "through", "not_through", "window_ms" } } ],
 *     "expect": [ { "loss_ms": { "traffic", "step", "min", "max" } }
 *               | { "convergence_ms": { "step", "min", "max" } } ] }
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "../lib/util.h"
#include "drill.h"
#include "topo_int.h"


struct dctx {
	struct tctx	 c;
	struct drill	*d;
	const char	*base;
};

const char *
drill_step_kind_str(enum drill_step_kind k)
{
	static const char *const s[] = { "wait_converged", "sleep", "fail",
	    "restore", "expect_route", "bgp", "expect_path" };

	return k <= DRILL_EXPECT_PATH ? s[k] : "?";
}

static int
parse_traffic(struct tctx *c, const cJSON *o, const char *path, void *arg)
{
	static const char *const keys[] = { "name", "from", "to", "rate",
	    "flows", "port", "proto", NULL };
	struct drill *d = arg;
	struct drill_traffic *tr = xcalloc(1, sizeof(*tr));
	const char *from = NULL, *to = NULL, *proto = "udp";
	char q[TOPO_PATH_MAX];
	size_t i;

	topo_push(&d->traffic, &d->ntraffic, tr);
	tr->rate = DRILL_RATE_DEFAULT;
	tr->flows = 1;
	tr->port = DRILL_PORT_DEFAULT + (unsigned)(d->ntraffic - 1) * 100;
	if (topo_jfields(c, o, path, keys) == -1 ||
	    topo_jname(c, o, path, &tr->name) == -1 ||
	    topo_jstr(c, o, path, "from", true, &from) == -1 ||
	    topo_jstr(c, o, path, "to", true, &to) == -1 ||
	    topo_juint(c, o, path, "rate", 1, DRILL_RATE_MAX, &tr->rate) == -1 ||
	    topo_juint(c, o, path, "flows", 1, DRILL_FLOWS_MAX,
	    &tr->flows) == -1 ||
	    topo_juint(c, o, path, "port", DRILL_PORT_MIN, DRILL_PORT_MAX,
	    &tr->port) == -1 ||
	    topo_jstr(c, o, path, "proto", false, &proto) == -1)
		return -1;
	if (strcmp(proto, "udp") != 0 && strcmp(proto, "tcp") != 0)
		return topo_fail(c, topo_path_key(q, path, "proto"), "proto is udp "
		    "or tcp");
	tr->tcp = proto[0] == 't';
	tr->from = xstrdup(from);
	tr->to = xstrdup(to);
	for (i = 0; i + 1 < d->ntraffic; i++) {
		char p[TOPO_PATH_MAX];

		if (strcmp(d->traffic[i]->name, tr->name) == 0)
			return topo_fail(c, topo_path_key(p, path, "name"),
			    "traffic \"%s\" is named twice", tr->name);
		if (strcmp(d->traffic[i]->to, tr->to) == 0 &&
		    d->traffic[i]->port == tr->port)
			return topo_fail(c, topo_path_key(p, path, "port"),
			    "traffic to %s already uses port %u", tr->to, tr->port);
	}
	return 0;
}

static int
parse_wait(struct tctx *c, const cJSON *o, const char *path,
    struct drill_step *s)
{
	static const char *const keys[] = { "timeout", "quiet_ms", NULL };
	const cJSON *w = topo_jget(o, "wait_converged");
	char p[TOPO_PATH_MAX];

	s->kind = DRILL_WAIT;
	s->timeout_s = DRILL_TIMEOUT_DEFAULT_S;
	s->quiet_ms = DRILL_QUIET_DEFAULT_MS;
	topo_path_key(p, path, "wait_converged");
	if (cJSON_IsNumber(w))
		return topo_vuint(c, w, p, 1, 3600, &s->timeout_s);
	if (!cJSON_IsObject(w))
		return topo_fail(c, p, "wait_converged takes a timeout in seconds "
		    "or an object { \"timeout\", \"quiet_ms\" }");
	if (topo_jfields(c, w, p, keys) == -1 ||
	    topo_juint(c, w, p, "timeout", 1, 3600, &s->timeout_s) == -1 ||
	    topo_juint(c, w, p, "quiet_ms", 100, 600000, &s->quiet_ms) == -1)
		return -1;
	return 1;
}

static int
parse_fail(struct tctx *c, const cJSON *o, const char *path,
    struct drill_step *s, bool fail)
{
	static const char *const fkeys[] = { "fail", "kind", "name", NULL };
	static const char *const rkeys[] = { "restore", "name", NULL };
	const char *node = NULL, *kind = fail_kind_name(FAIL_CRASH), *name = NULL;
	char p[TOPO_PATH_MAX];

	s->kind = fail ? DRILL_FAIL : DRILL_RESTORE;
	if (topo_jfields(c, o, path, fail ? fkeys : rkeys) == -1 ||
	    topo_jstr(c, o, path, fail ? "fail" : "restore", true, &node) == -1 ||
	    topo_jstr(c, o, path, "name", false, &name) == -1 ||
	    (fail && topo_jstr(c, o, path, "kind", false, &kind) == -1))
		return -1;
	if (fail_kind_parse(kind, &s->fail_kind) != 0)
		return topo_fail(c, topo_path_key(p, path, "kind"), "kind \"%.32s\" "
		    "is not one of %s", kind, fail_kind_list(", "));
	s->node = xstrdup(node);
	s->name = name ? xstrdup(name) : fail ?
	    xasprintf("fail %s %s", node, kind) : xasprintf("restore %s", node);
	return 1;
}

static int
parse_expect_route(struct tctx *c, const cJSON *o, const char *path,
    struct drill_step *s)
{
	static const char *const keys[] = { "nic", "prefix", "next_hop",
	    "present", NULL };
	const cJSON *e = topo_jget(o, "expect_route"), *v;
	const char *nic = NULL;
	char p[TOPO_PATH_MAX], q[TOPO_PATH_MAX];

	s->kind = DRILL_EXPECT_ROUTE;
	s->present = true;
	topo_path_key(p, path, "expect_route");
	if (!cJSON_IsObject(e))
		return topo_fail(c, p, "expect_route is an object { \"nic\", "
		    "\"prefix\", \"next_hop\", \"present\" }");
	if (topo_jfields(c, e, p, keys) == -1 ||
	    topo_jstr(c, e, p, "nic", true, &nic) == -1 ||
	    topo_jaddr(c, e, p, "next_hop", &s->next_hop) == -1 ||
	    topo_jbool(c, e, p, "present", &s->present) == -1)
		return -1;
	if ((v = topo_jget(e, "prefix")) == NULL)
		return topo_fail(c, p, "expect_route needs a \"prefix\"");
	if (topo_vpfx(c, v, topo_path_key(q, p, "prefix"), &s->pfx) == -1)
		return -1;
	s->nic = xstrdup(nic);
	s->name = xasprintf("expect %s %s %s", nic, cJSON_GetStringValue(v),
	    s->present ? "present" : "absent");
	return 1;
}

static int
name_list(struct tctx *c, const cJSON *o, const char *path, const char *key,
    char ***out, size_t *n)
{
	const cJSON *a, *v;
	char p[TOPO_PATH_MAX], q[TOPO_PATH_MAX];
	size_t i = 0;
	int r;

	if ((r = topo_jarr(c, o, path, key, false, &a)) <= 0)
		return r;
	topo_path_key(p, path, key);
	for (v = a->child; v != NULL; v = v->next, i++) {
		const char *s;

		if (topo_vstr(c, v, topo_path_idx(q, p, i), &s) == -1)
			return -1;
		topo_push(out, n, xstrdup(s));
	}
	return 1;
}

/* { "expect_path": { "traffic": T, "through": [...], "not_through": [...], "window_ms": MS } } */
static int
parse_expect_path(struct tctx *c, const cJSON *o, const char *path,
    struct drill_step *s)
{
	static const char *const keys[] = { "traffic", "through", "not_through",
	    "window_ms", NULL };
	const cJSON *e = topo_jget(o, "expect_path");
	const char *tr = NULL;
	char p[TOPO_PATH_MAX];

	s->kind = DRILL_EXPECT_PATH;
	s->window_ms = 500;
	topo_path_key(p, path, "expect_path");
	if (!cJSON_IsObject(e))
		return topo_fail(c, p, "expect_path is an object { \"traffic\", "
		    "\"through\", \"not_through\" }");
	if (topo_jfields(c, e, p, keys) == -1 ||
	    topo_jstr(c, e, p, "traffic", true, &tr) == -1 ||
	    name_list(c, e, p, "through", &s->through, &s->nthrough) == -1 ||
	    name_list(c, e, p, "not_through", &s->avoid, &s->navoid) == -1 ||
	    topo_juint(c, e, p, "window_ms", 100, 60000, &s->window_ms) == -1)
		return -1;
	if (s->nthrough + s->navoid == 0)
		return topo_fail(c, p, "expect_path needs \"through\" or "
		    "\"not_through\"");
	s->traffic = xstrdup(tr);
	s->name = xasprintf("path of %s", tr);
	return 1;
}

/* { "bgp": NODE, "command": "withdraw 0.0.0.0/0", "name": NAME } */
static int
parse_bgp(struct tctx *c, const cJSON *o, const char *path,
    struct drill_step *s)
{
	static const char *const keys[] = { "bgp", "command", "name", NULL };
	static const char *const verbs[] = { "announce ", "withdraw ", "disable ",
	    "enable ", "prepend ", NULL };
	const char *node = NULL, *cmd = NULL, *name = NULL;
	char p[TOPO_PATH_MAX];
	size_t i, k;

	s->kind = DRILL_BGP;
	if (topo_jfields(c, o, path, keys) == -1 ||
	    topo_jstr(c, o, path, "bgp", true, &node) == -1 ||
	    topo_jstr(c, o, path, "command", true, &cmd) == -1 ||
	    topo_jstr(c, o, path, "name", false, &name) == -1)
		return -1;
	for (i = 0; verbs[i] != NULL && strncmp(cmd, verbs[i],
	    strlen(verbs[i])) != 0; i++)
		;
	topo_path_key(p, path, "command");
	/* It goes to the node's control socket as one line (emu_bgp_command). */
	for (k = 0; cmd[k] != '\0'; k++)
		if ((unsigned char)cmd[k] < 0x20 || cmd[k] == 0x7f)
			return topo_fail(c, p, "\"%.64s\" holds a control "
			    "character: a command is one line of text", cmd);
	if (verbs[i] == NULL || cmd[strlen(verbs[i])] == '\0' ||
	    strchr(cmd, '"') != NULL)
		return topo_fail(c, p, "\"%.64s\" is "
		    "not announce PREFIX, withdraw PREFIX, prepend N, disable PEER or "
		    "enable PEER", cmd);
	s->node = xstrdup(node);
	s->command = xstrdup(cmd);
	s->name = name ? xstrdup(name) : xasprintf("%s: %s", node, cmd);
	return 1;
}

static int
parse_step(struct tctx *c, const cJSON *o, const char *path, void *arg)
{
	struct drill *d = arg;
	struct drill_step *s = xcalloc(1, sizeof(*s));
	static const char *const sleep_keys[] = { "sleep_ms", NULL };

	topo_push(&d->steps, &d->nsteps, s);
	s->jpath = xstrdup(path);
	if (topo_jget(o, "wait_converged") != NULL) {
		static const char *const k[] = { "wait_converged", NULL };

		if (topo_jfields(c, o, path, k) == -1)
			return -1;
		if (parse_wait(c, o, path, s) == -1)
			return -1;
		s->name = xstrdup("wait_converged");
		return 0;
	}
	if (topo_jget(o, "sleep_ms") != NULL) {
		s->kind = DRILL_SLEEP;
		s->name = xstrdup("sleep");
		return topo_jfields(c, o, path, sleep_keys) == -1 ||
		    topo_juint(c, o, path, "sleep_ms", 1, 600000, &s->sleep_ms) == -1 ?
		    -1 : 0;
	}
	if (topo_jget(o, "fail") != NULL)
		return parse_fail(c, o, path, s, true) == -1 ? -1 : 0;
	if (topo_jget(o, "restore") != NULL)
		return parse_fail(c, o, path, s, false) == -1 ? -1 : 0;
	if (topo_jget(o, "expect_route") != NULL) {
		static const char *const k[] = { "expect_route", NULL };

		if (topo_jfields(c, o, path, k) == -1)
			return -1;
		return parse_expect_route(c, o, path, s) == -1 ? -1 : 0;
	}
	if (topo_jget(o, "bgp") != NULL)
		return parse_bgp(c, o, path, s) == -1 ? -1 : 0;
	if (topo_jget(o, "expect_path") != NULL) {
		static const char *const k[] = { "expect_path", NULL };

		if (topo_jfields(c, o, path, k) == -1)
			return -1;
		return parse_expect_path(c, o, path, s) == -1 ? -1 : 0;
	}
	return topo_fail(c, path, "a step is one of wait_converged, sleep_ms, "
	    "fail, restore, expect_route, expect_path, bgp");
}

static int
parse_bounds(struct tctx *c, const cJSON *o, const char *path,
    struct drill_expect *e)
{
	unsigned v;
	int r;

	e->min = e->max = -1;
	if ((r = topo_juint(c, o, path, "min", 0, 3600000, &v)) == -1)
		return -1;
	if (r == 1)
		e->min = v;
	if ((r = topo_juint(c, o, path, "max", 0, 3600000, &v)) == -1)
		return -1;
	if (r == 1)
		e->max = v;
	if (e->min < 0 && e->max < 0)
		return topo_fail(c, path, "an expectation needs \"min\" or \"max\"");
	return 0;
}

static int
parse_expect(struct tctx *c, const cJSON *o, const char *path, void *arg)
{
	static const char *const top[] = { "loss_ms", "convergence_ms", NULL };
	static const char *const lkeys[] = { "traffic", "step", "min", "max", NULL };
	static const char *const ckeys[] = { "step", "min", "max", NULL };
	struct drill *d = arg;
	struct drill_expect *e = xcalloc(1, sizeof(*e));
	const cJSON *v;
	const char *tr = NULL, *step = NULL;
	char p[TOPO_PATH_MAX];
	bool loss;

	topo_push(&d->expects, &d->nexpects, e);
	e->jpath = xstrdup(path);
	if (topo_jfields(c, o, path, top) == -1)
		return -1;
	loss = (v = topo_jget(o, "loss_ms")) != NULL;
	if (!loss && (v = topo_jget(o, "convergence_ms")) == NULL)
		return topo_fail(c, path, "an expectation is loss_ms or "
		    "convergence_ms");
	topo_path_key(p, path, loss ? "loss_ms" : "convergence_ms");
	if (!cJSON_IsObject(v))
		return topo_fail(c, p, "must be an object");
	e->kind = loss ? DRILL_LOSS_MS : DRILL_CONVERGENCE_MS;
	if (topo_jfields(c, v, p, loss ? lkeys : ckeys) == -1 ||
	    (loss && topo_jstr(c, v, p, "traffic", true, &tr) == -1) ||
	    topo_jstr(c, v, p, "step", false, &step) == -1 ||
	    parse_bounds(c, v, p, e) == -1)
		return -1;
	e->traffic = tr ? xstrdup(tr) : NULL;
	e->step = step ? xstrdup(step) : NULL;
	return 0;
}

/* Names used by expectations must exist. */
static int
check_refs(struct tctx *c, struct drill *d)
{
	char p[TOPO_PATH_MAX];
	size_t i, k;

	for (i = 0; i < d->nsteps; i++) {
		const struct drill_step *s = d->steps[i];
		bool found = s->kind != DRILL_EXPECT_PATH;

		for (k = 0; !found && k < d->ntraffic; k++)
			found = strcmp(d->traffic[k]->name, s->traffic) == 0;
		if (!found)
			return topo_fail(c, s->jpath, "no traffic named \"%s\"",
			    s->traffic);
	}
	for (i = 0; i < d->nexpects; i++) {
		struct drill_expect *e = d->expects[i];
		bool found = e->traffic == NULL;

		for (k = 0; !found && k < d->ntraffic; k++)
			found = strcmp(d->traffic[k]->name, e->traffic) == 0;
		if (!found)
			return topo_fail(c, e->jpath, "no traffic named \"%s\"",
			    e->traffic);
		found = e->step == NULL;
		for (k = 0; !found && k < d->nsteps; k++)
			found = (d->steps[k]->kind == DRILL_FAIL ||
			    d->steps[k]->kind == DRILL_RESTORE ||
			    d->steps[k]->kind == DRILL_BGP) &&
			    strcmp(d->steps[k]->name, e->step) == 0;
		if (!found)
			return topo_fail(c, e->jpath, "no fail or restore step "
			    "named \"%s\"", e->step);
	}
	(void)p;
	return 0;
}

static int
parse_drill(struct dctx *x, const cJSON *root)
{
	static const char *const keys[] = { "name", "description", "topology",
	    "traffic", "steps", "expect", NULL };
	struct tctx *c = &x->c;
	struct drill *d = x->d;
	const char *topo = NULL, *desc = NULL;

	if (!cJSON_IsObject(root))
		return topo_fail(c, "", "a drill is a JSON object");
	if (topo_jfields(c, root, "", keys) == -1 ||
	    topo_jname(c, root, "", &d->name) == -1 ||
	    topo_jstr(c, root, "", "description", false, &desc) == -1 ||
	    topo_jstr(c, root, "", "topology", true, &topo) == -1 ||
	    topo_parse_list(c, root, "", "traffic", d, parse_traffic) == -1 ||
	    topo_parse_list(c, root, "", "steps", d, parse_step) == -1 ||
	    topo_parse_list(c, root, "", "expect", d, parse_expect) == -1 ||
	    check_refs(c, d) == -1)
		return -1;
	d->description = desc ? xstrdup(desc) : NULL;
	d->topology = topo[0] == '/' || x->base[0] == '\0' ? xstrdup(topo) :
	    xasprintf("%s/%s", x->base, topo);
	if (d->nsteps == 0)
		return topo_fail(c, "steps", "a drill needs at least one step");
	return 0;
}

int
drill_load_string(const char *json, size_t len, const char *base,
    struct drill **out, struct topo_err *err)
{
	struct dctx x;
	cJSON *root;
	int rc;

	*out = NULL;
	memset(err, 0, sizeof(*err));
	memset(&x, 0, sizeof(x));
	x.c.text = json;
	x.c.len = len;
	x.c.err = err;
	x.base = base;
	if ((root = topo_json_parse(&x.c)) == NULL)
		return -1;
	x.d = xcalloc(1, sizeof(*x.d));
	rc = parse_drill(&x, root);
	cJSON_Delete(root);
	if (rc == -1) {
		drill_free(x.d);
		return -1;
	}
	*out = x.d;
	return 0;
}

int
drill_load_file(const char *file, struct drill **out, struct topo_err *err)
{
	char *text, *base;
	size_t len;
	int rc;

	*out = NULL;
	memset(err, 0, sizeof(*err));
	if (topo_read_file(file, &text, &len, err) == -1)
		return -1;
	base = topo_dir_of(file);
	rc = drill_load_string(text, len, base, out, err);
	free(base);
	free(text);
	return rc;
}

void
drill_free(struct drill *d)
{
	size_t i, k;

	if (d == NULL)
		return;
	for (i = 0; i < d->ntraffic; i++) {
		free(d->traffic[i]->name);
		free(d->traffic[i]->from);
		free(d->traffic[i]->to);
		free(d->traffic[i]);
	}
	for (i = 0; i < d->nsteps; i++) {
		free(d->steps[i]->name);
		free(d->steps[i]->jpath);
		free(d->steps[i]->node);
		free(d->steps[i]->command);
		free(d->steps[i]->traffic);
		for (k = 0; k < d->steps[i]->nthrough; k++)
			free(d->steps[i]->through[k]);
		for (k = 0; k < d->steps[i]->navoid; k++)
			free(d->steps[i]->avoid[k]);
		free(d->steps[i]->through);
		free(d->steps[i]->avoid);
		free(d->steps[i]->nic);
		free(d->steps[i]);
	}
	for (i = 0; i < d->nexpects; i++) {
		free(d->expects[i]->jpath);
		free(d->expects[i]->traffic);
		free(d->expects[i]->step);
		free(d->expects[i]);
	}
	free(d->traffic);
	free(d->steps);
	free(d->expects);
	free(d->name);
	free(d->description);
	free(d->topology);
	free(d);
}

const char *
drill_hold_note(const struct drill *d, const struct topo *t, char *buf,
    size_t len)
{
	const struct drill_step *st;
	size_t i;

	buf[0] = '\0';
	if (t->timers.hold < DRILL_SLOW_HOLD)
		return buf;
	for (i = 0; i < d->nsteps; i++) {
		st = d->steps[i];
		if (st->kind != DRILL_FAIL || (st->fail_kind != FAIL_FREEZE &&
		    st->fail_kind != FAIL_LINK))
			continue;
		snprintf(buf, len, "note: step \"%s\" is noticed only by the hold "
		    "timer, and the topology's hold time is %u s: its routes stay "
		    "programmed up to %u s (RS-43); set a short \"timers\" "
		    "hold time in the drill's topology for a quick drill",
		    st->name, t->timers.hold, t->timers.hold);
		break;
	}
	return buf;
}
