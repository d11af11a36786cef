/* test_drill: the drill language parser (topo/drill.c). */
#include <stdlib.h>
#include <string.h>

#include "../../topo/drill.h"
#include "t.h"

static int
load(const char *json, struct drill **d, struct topo_err *e)
{
	return drill_load_string(json, strlen(json), "examples/drills", d, e);
}

static void
bad(const char *json, const char *path, const char *what, const char *desc)
{
	struct topo_err e;
	struct drill *d;
	int rc = load(json, &d, &e);

	T_OK(rc == -1 && d == NULL && strcmp(e.path, path) == 0 &&
	    strstr(e.msg, what) != NULL, "%s: %s: %s (line %d)", desc, e.path,
	    e.msg, e.line);
	drill_free(d);
}

static void
test_examples(void)
{
	static const char *const files[] = { "examples/drills/aa-fw1-crash.json",
	    "examples/drills/aa-fw1-freeze.json" };
	struct topo_err e;
	struct drill *d;
	size_t i;

	for (i = 0; i < 2; i++) {
		T_EQ(drill_load_file(files[i], &d, &e), 0, "%s loads: %s", files[i],
		    e.msg);
		if (d == NULL)
			continue;
		T_OK(strcmp(d->topology, "examples/drills/../active-active.json") == 0,
		    "%s: topology resolved against the drill's folder (%s)",
		    files[i], d->topology);
		T_OK(d->ntraffic >= 1 && d->traffic[0]->rate == DRILL_RATE_DEFAULT,
		    "%s: traffic at the default 200/s", files[i]);
		drill_free(d);
	}
}

static void
test_model(void)
{
	struct topo_err e;
	struct drill *d;
	const char *j = "{ \"name\": \"x\", \"topology\": \"/abs/t.json\","
	    "\"traffic\": [ { \"name\": \"a\", \"from\": \"vm\", \"to\": \"10.0.0.1\","
	    "\"flows\": 3, \"rate\": 100 }, { \"name\": \"b\", \"from\": \"vm\","
	    "\"to\": \"10.0.0.1\", \"proto\": \"tcp\" } ],"
	    "\"steps\": [ { \"wait_converged\": { \"timeout\": 5, \"quiet_ms\": 700 } },"
	    "{ \"fail\": \"fw\", \"kind\": \"link\" }, { \"sleep_ms\": 10 },"
	    "{ \"restore\": \"fw\", \"name\": \"back\" },"
	    "{ \"bgp\": \"fw\", \"command\": \"withdraw 0.0.0.0/0\" },"
	    "{ \"expect_route\": { \"nic\": \"vm\", \"prefix\": \"0.0.0.0/0\","
	    "\"present\": false } } ],"
	    "\"expect\": [ { \"loss_ms\": { \"traffic\": \"a\", \"step\": \"back\","
	    "\"max\": 5 } }, { \"convergence_ms\": { \"min\": 1 } } ] }";

	T_EQ(load(j, &d, &e), 0, "a drill using every field loads: %s %s", e.path,
	    e.msg);
	if (d == NULL)
		return;
	T_OK(strcmp(d->topology, "/abs/t.json") == 0, "absolute topology kept");
	T_OK(d->traffic[0]->flows == 3 && d->traffic[0]->port == 5000 &&
	    d->traffic[1]->port == 5100, "flows and per-traffic default ports");
	T_OK(!d->traffic[0]->tcp && d->traffic[1]->tcp, "proto udp by default, tcp");
	T_OK(d->steps[0]->kind == DRILL_WAIT && d->steps[0]->timeout_s == 5 &&
	    d->steps[0]->quiet_ms == 700, "wait_converged object");
	T_OK(d->steps[1]->kind == DRILL_FAIL && strcmp(d->steps[1]->name,
	    "fail fw link") == 0, "fail step gets a name: %s", d->steps[1]->name);
	T_OK(d->steps[3]->kind == DRILL_RESTORE && strcmp(d->steps[3]->name,
	    "back") == 0, "restore step keeps its given name");
	T_OK(d->steps[4]->kind == DRILL_BGP && strcmp(d->steps[4]->command,
	    "withdraw 0.0.0.0/0") == 0 && strcmp(d->steps[4]->name,
	    "fw: withdraw 0.0.0.0/0") == 0, "bgp step: node, command, name");
	T_OK(d->steps[5]->kind == DRILL_EXPECT_ROUTE && !d->steps[5]->present &&
	    d->steps[5]->pfx.len == 0, "expect_route absent 0.0.0.0/0");
	T_OK(d->expects[0]->kind == DRILL_LOSS_MS && d->expects[0]->max == 5 &&
	    d->expects[0]->min == -1, "loss expectation bounds");
	T_OK(d->expects[1]->kind == DRILL_CONVERGENCE_MS && d->expects[1]->min == 1,
	    "convergence expectation");
	drill_free(d);
}

static void
test_errors(void)
{
	bad("{", "", "malformed JSON", "truncated JSON");
	bad("{ \"name\": \"x\", \"topology\": \"t\", \"steps\": [ { \"sleep_ms\": 5 } ] }"
	    "\n}garbage", "", "text after the end", "text after the document is "
	    "refused");
	bad("{ \"name\": \"x\", \"topology\": \"t\\u0000.json\", \"steps\": [ "
	    "{ \"sleep_ms\": 5 } ] }", "topology", "NUL character",
	    "a \\u0000 in a string is refused with its path");
	bad("{ \"name\": \"x\", \"topology\": \"t\", \"steps\": [ { \"bgp\": \"fw\","
	    "\"command\": \"withdraw 0.0.0.0/0\\nannounce 10.0.0.0/8\" } ] }",
	    "steps[0].command", "control character", "a bgp command with a "
	    "newline is refused at parse time");
	bad("{ \"name\": \"x\" }", "topology", "", "topology is required");
	bad("{ \"name\": \"x\", \"topology\": \"t\", \"steps\": [ { \"fail\": \"fw\","
	    "\"kind\": \"melt\" } ] }", "steps[0].kind", "not one of",
	    "an unknown failure kind names its path");
	bad("{ \"name\": \"x\", \"topology\": \"t\", \"steps\": [ { \"bgp\": \"fw\","
	    "\"command\": \"reboot\" } ] }", "steps[0].command", "not announce",
	    "a bgp step with an unknown command");
	bad("{ \"name\": \"x\", \"topology\": \"t\", \"steps\": [ { \"expect_path\":"
	    "{ \"traffic\": \"nope\", \"through\": [\"fw\"] } } ] }", "steps[0]",
	    "no traffic named", "expect_path on unknown traffic");
	bad("{ \"name\": \"x\", \"topology\": \"t\", \"traffic\": [ { \"name\": \"a\","
	    "\"from\": \"v\", \"to\": \"w\" } ], \"steps\": [ { \"expect_path\":"
	    "{ \"traffic\": \"a\" } } ] }", "steps[0].expect_path", "through",
	    "expect_path without nodes");
	bad("{ \"name\": \"x\", \"topology\": \"t\", \"traffic\": [ { \"name\": \"a\","
	    "\"from\": \"v\", \"to\": \"w\", \"proto\": \"sctp\" } ], \"steps\": "
	    "[ { \"sleep_ms\": 1 } ] }", "traffic[0].proto", "udp or tcp",
	    "proto other than udp or tcp refused");
	bad("{ \"name\": \"x\", \"topology\": \"t\", \"steps\": [ { \"jump\": 1 } ] }",
	    "steps[0]", "a step is one of", "an unknown step");
	bad("{ \"name\": \"x\", \"topology\": \"t\", \"steps\": [ { \"sleep_ms\": 5 } ],"
	    "\"expect\": [ { \"loss_ms\": { \"traffic\": \"nope\", \"max\": 1 } } ] }",
	    "expect[0]", "no traffic named", "an expectation on unknown traffic");
	bad("{ \"name\": \"x\", \"topology\": \"t\", \"steps\": [ { \"sleep_ms\": 5 } ],"
	    "\"expect\": [ { \"convergence_ms\": { \"step\": \"s\", \"max\": 1 } } ] }",
	    "expect[0]", "no fail or restore step", "an expectation on an unknown step");
	bad("{ \"name\": \"x\", \"topology\": \"t\", \"steps\": [ { \"sleep_ms\": 5 } ],"
	    "\"expect\": [ { \"convergence_ms\": { } } ] }",
	    "expect[0].convergence_ms", "min", "an expectation without bounds");
	bad("{ \"name\": \"x\", \"topology\": \"t\", \"steps\": [] }", "steps",
	    "at least one step", "a drill without steps");
	bad("{ \"name\": \"x\", \"topology\": \"t\", \"bogus\": 1, \"steps\": [] }",
	    "bogus", "unknown field", "unknown top-level field");
	bad("{ \"name\": \"x\", \"topology\": \"t\", \"traffic\": [ { \"name\": \"a\","
	    "\"from\": \"v\", \"to\": \"w\", \"rate\": 0 } ], \"steps\": [ { \"sleep_ms\": 1 } ] }",
	    "traffic[0].rate", "", "rate 0 refused");
	bad("{ \"name\": \"x\", \"topology\": \"t\", \"steps\": [ { \"expect_route\":"
	    "{ \"nic\": \"v\", \"prefix\": \"10.0.0.1/8\" } } ] }",
	    "steps[0].expect_route.prefix", "", "a prefix with host bits refused");
}

/* RS-43: a slow hold time is the drill's note, not the design's warning. */
static void
test_hold_note(void)
{
	struct topo_err e;
	struct topo *t;
	struct drill *d;
	char note[400];

	if (!T_EQ(drill_load_file("examples/drills/aa-fw1-freeze.json", &d,
	    &e), 0, "aa-fw1-freeze.json loads"))
		return;
	if (!T_EQ(topo_load_file(d->topology, &t, &e), 0, "its topology loads")) {
		drill_free(d);
		return;
	}
	T_OK(*drill_hold_note(d, t, note, sizeof(note)) == '\0', "RS-43: "
	    "hold 3 s: the freeze drill gets no note");
	t->timers.hold = 180;
	drill_hold_note(d, t, note, sizeof(note));
	T_OK(strstr(note, "hold time is 180 s") != NULL &&
	    strstr(note, "RS-43") != NULL, "RS-43: Azure's default hold time: "
	    "the freeze drill says its failure goes unnoticed up to 180 s: %s",
	    note);
	topo_free(t);
	drill_free(d);
	if (!T_EQ(drill_load_file("examples/drills/aa-fw1-crash.json", &d,
	    &e), 0, "aa-fw1-crash.json loads"))
		return;
	if (T_EQ(topo_load_file(d->topology, &t, &e), 0, "its topology loads")) {
		t->timers.hold = 180;
		T_OK(*drill_hold_note(d, t, note, sizeof(note)) == '\0',
		    "RS-43: a crash closes the connection: no note even at 180 s");
		topo_free(t);
	}
	drill_free(d);
}

int
main(void)
{
	test_examples();
	test_hold_note();
	test_model();
	test_errors();
	return t_done();
}
