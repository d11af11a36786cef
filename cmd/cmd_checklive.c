/*
 * cmd_checklive: `arsemu check --live`: the suite against a running lab,
 * read the way `arsemu routes`, `walk` and `rs` read one:
 *   - routes: every NIC named (each NIC of a subnet, not only the first)
 *     from the lab daemon (walk_lab_table, as `arsemu walk` does);
 *   - walk: probes (walk_observe): "delivered" or not, the NVAs that
 *     forwarded them; symmetric: the return probes are forwarded by the
 *     same NVAs;
 *   - policy: one probe run per class pair and service of reach's matrix,
 *     at most CHECK_LIVE_CELLS per policy (the rest held offline only,
 *     and the result says so);
 *   - bgp: each Route Server instance's speaker ("peers", "learned",
 *     "advertised" on its control socket, as `arsemu rs HUB ...`);
 *   - diff: not read from the lab: the offline result (the suite's
 *     topology file against the base file) stands, and says so.
 * A live result that disagrees with the offline one (held on one side,
 * failed on the other; a walk whose probes took another path than
 * predicted) says "live differs from plan" and why.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../emu/lab.h"
#include "../emu/model/reach.h"
#include "../lib/ctlc.h"
#include "../lib/util.h"
#include "check_live.h"

#define CHECK_LIVE_PROBES	5
#define CHECK_LIVE_SPORT	41000	/* apart from walk's 40000 + flows */
#define CHECK_LIVE_CELLS	64

struct live {
	const char		*lab;
	const struct topo	*t;
	const struct plan	*p;
	uint16_t		 sport;
	char			 err[256];
};

static const struct topo_subnet *
subnet_named(const struct topo *t, const char *s)
{
	struct reach_group g;
	char *q = xasprintf("subnet:%s", s), msg[256];
	int rc = reach_group_parse(t, q, &g, msg, sizeof(msg));

	free(q);
	return rc == 0 ? g.subnet : NULL;
}

static int
live_routes(struct live *l, const struct suite_assert *a,
    struct check_result *res)
{
	struct sdn_table tab;
	size_t i, k, nics = 0;

	for (i = 0; i < (a->nic ? 1 : a->nsubnets); i++) {
		const struct topo_subnet *sn = a->nic ? NULL :
		    subnet_named(l->t, a->subnets[i]);

		for (k = 0; k < l->t->nnics; k++) {
			const struct topo_nic *nic = l->t->nics[k];

			if (a->nic ? strcmp(nic->name, a->nic) != 0 :
			    nic->subnet != sn)
				continue;
			if (walk_lab_table(l->lab, nic, &tab) != 0) {
				snprintf(l->err, sizeof(l->err), "the lab daemon "
				    "of %s does not answer for %s", l->lab,
				    nic->name);
				return -1;
			}
			nics++;
			if (a->digest != NULL && a->count < 0) {
				/* the daemon's rows carry no UDR names: no digest */
				str_appendf(res->seen, CHECK_TEXT, "%s: the digest is not compared live"
				    ". ", nic->name);
			} else if (a->digest != NULL) {
				struct suite_assert b = *a;

				b.digest = NULL;
				check_routes_table(&b, &tab, nic->name, res);
			} else
				check_routes_table(a, &tab, nic->name, res);
			sdn_table_free(&tab);
		}
	}
	if (res->held)
		str_appendf(res->seen, CHECK_TEXT, "as expected at %zu NIC%s", nics, nics == 1 ?
		    "" : "s");
	return 0;
}

static bool
forwarded(const struct walk_obs *o, const char *name)
{
	size_t i;

	for (i = 0; i < o->nforwarded; i++)
		if (strcmp(o->forwarded[i]->name, name) == 0)
			return true;
	return false;
}

/*
 * Whether the probes reached node name: it forwarded them, or took them and
 * forwarded none (a filter that denies: the offline walk's last hop).
 */
static bool
reached(const struct walk_obs *o, const char *name)
{
	size_t i;

	for (i = 0; i < o->nstopped; i++)
		if (strcmp(o->stopped[i]->name, name) == 0)
			return true;
	return forwarded(o, name);
}

static void
put_obs(char *buf, const struct walk_obs *o)
{
	size_t i;

	str_appendf(buf, CHECK_TEXT, "%s", o->delivered ? "delivered" : "not delivered");
	for (i = 0; i < o->nforwarded; i++)
		str_appendf(buf, CHECK_TEXT, "%s%s", i ? ", " : ", forwarded by ",
		    o->forwarded[i]->name);
	for (i = 0; i < o->nstopped; i++)
		str_appendf(buf, CHECK_TEXT, "%s%s", i ? ", " : ", stopped at ",
		    o->stopped[i]->name);
}

/*
 * Probes of pkt from its source port, or (0) from the next of the run's
 * own, which is then pkt's (a load balancer hashes it: LB-06).
 */
static int
observe(struct live *l, const struct topo_node *src, struct walk_pkt *pkt,
    struct walk_obs *o)
{
	memset(o, 0, sizeof(*o));
	if (pkt->sport == 0)
		pkt->sport = l->sport++;
	if (walk_observe(l->lab, l->t, src, pkt, pkt->sport, CHECK_LIVE_PROBES,
	    o, l->err, sizeof(l->err)) != 0)
		return -1;
	if (l->sport >= CHECK_LIVE_SPORT + 20000)
		l->sport = CHECK_LIVE_SPORT;
	return 0;
}

/* The NVAs of o, as a set, equal to those of b. */
static bool
same_nvas(const struct walk_obs *o, const struct walk_obs *b)
{
	size_t i, n = 0, m = 0;

	for (i = 0; i < o->nforwarded; i++)
		if (o->forwarded[i]->kind == TOPO_NVA) {
			n++;
			if (!forwarded(b, o->forwarded[i]->name))
				return false;
		}
	for (i = 0; i < b->nforwarded; i++)
		m += b->forwarded[i]->kind == TOPO_NVA;
	return n == m;
}

static int
live_walk(struct live *l, const struct suite_assert *a,
    struct check_result *res)
{
	const struct topo_node *src, *dst;
	struct walk_obs o, b;
	struct walk_pkt pkt;
	struct walk w;
	char why[224];
	size_t i;

	memset(&pkt, 0, sizeof(pkt));
	walk_endpoint(l->t, a->from, &src, &pkt.src, true, why, sizeof(why));
	walk_endpoint(l->t, a->to, &dst, &pkt.dst, false, why, sizeof(why));
	pkt.proto = a->proto == SUITE_TCP ? WALK_TCP : a->proto == SUITE_ICMP ?
	    WALK_ICMP : WALK_UDP;
	pkt.port = (uint16_t)(a->port ? a->port : WALK_PORT_DEFAULT);
	/* flow 0 of `arsemu walk`, which the offline check predicts (LB-06) */
	pkt.sport = WALK_SPORT_BASE;
	if (observe(l, src, &pkt, &o) != 0)
		return -1;
	if (a->outcome != NULL)
		res->held &= o.delivered ==
		    (strcmp(a->outcome, walk_outcome_str(WALK_DELIVERED)) == 0);
	for (i = 0; i < a->nthrough; i++)
		res->held &= reached(&o, a->through[i]);
	for (i = 0; i < a->navoid; i++)
		res->held &= !reached(&o, a->avoid[i]);
	put_obs(res->seen, &o);
	check_predict(l->t, l->p, src, &pkt, &w);
	if (a->symmetric) {
		struct walk_pkt back = pkt;

		back.src = pkt.dst;
		back.dst = pkt.src;
		back.sport = 0;
		/* through a load balancer, the return is the flow's reply (LB-06) */
		for (i = 0; i < w.n && pkt.proto != WALK_ICMP; i++)
			if (w.hop[i].lb != NULL) {
				back.sport = pkt.port;
				back.port = pkt.sport;
				back.reply = true;
			}
		if (observe(l, dst, &back, &b) != 0)
			return -1;
		if (!same_nvas(&o, &b)) {
			res->held = false;
			str_appendf(res->seen, CHECK_TEXT, "; return: ");
			put_obs(res->seen, &b);
			str_appendf(res->seen, CHECK_TEXT, " (asymmetric)");
		}
	}
	if (!walk_same_path(&w, &o, why, sizeof(why)))
		str_appendf(res->seen, CHECK_TEXT, "; live differs from plan: %s", why);
	return 0;
}

static bool
obs_crosses(const struct walk_obs *o, char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (forwarded(o, v[i]))
			return true;
	return false;
}

/* Probes for every class pair of from -> to; bad: delivered ones crossing none. */
static int
live_pairs(struct live *l, const char *from, const char *to,
    char *const *through, size_t nthrough, struct check_result *res,
    size_t *bad, size_t *probed, size_t *skipped)
{
	struct reach_group gf, gt;
	struct reach m;
	char msg[256];
	size_t i, k;
	int rc = 0;

	reach_group_parse(l->t, from, &gf, msg, sizeof(msg));
	reach_group_parse(l->t, to, &gt, msg, sizeof(msg));
	if (reach_run(l->t, l->p, &gf, &gt, &m, msg, sizeof(msg)) != 0)
		return 0;
	for (i = 0; i < m.ncells && rc == 0; i++)
		for (k = 0; k < m.nsvcs && rc == 0; k++) {
			const struct reach_class *sc = &m.classes[m.cells[i].src];
			const struct reach_class *dc = &m.classes[m.cells[i].dst];
			const struct topo_node *dn = dc->rep_dst == sc->rep_src ?
			    dc->rep_dst2 : dc->rep_dst;
			struct walk_pkt pkt = { walk_node_ip(sc->rep_src),
			    dc->kind == REACH_INTERNET || dn == NULL ?
			    WALK_INTERNET_IP : walk_node_ip(dn), m.svcs[k].proto,
			    m.svcs[k].port, 0, false };
			struct walk_obs o;

			if (*probed >= CHECK_LIVE_CELLS) {
				(*skipped)++;
				continue;
			}
			(*probed)++;
			if ((rc = observe(l, sc->rep_src, &pkt, &o)) != 0)
				break;
			if (!o.delivered || (nthrough > 0 &&
			    obs_crosses(&o, through, nthrough)))
				continue;
			if ((*bad)++ == 0) {
				str_appendf(res->seen, CHECK_TEXT, "%s -> %s: ", sc->rep_src->name,
				    dn == NULL || dc->kind == REACH_INTERNET ?
				    "internet" : dn->name);
				put_obs(res->seen, &o);
				str_appendf(res->seen, CHECK_TEXT, "; ");
			}
		}
	reach_free(&m);
	return rc;
}

static int
live_policy(struct live *l, const struct suite_assert *a,
    struct check_result *res)
{
	size_t bad = 0, probed = 0, skipped = 0;

	if (live_pairs(l, a->from, a->to ? a->to : "internet", a->through,
	    a->nthrough, res, &bad, &probed, &skipped) != 0 ||
	    (a->policy == SUITE_ISOLATED && strcmp(a->to, "internet") != 0 &&
	    live_pairs(l, a->to, a->from, NULL,
	    0, res, &bad, &probed, &skipped) != 0))
		return -1;
	if (bad > 0)
		res->held = false;
	str_appendf(res->seen, CHECK_TEXT, "%zu class pairs probed%s", probed, bad ? "" :
	    ", none otherwise");
	if (skipped > 0)
		str_appendf(res->seen, CHECK_TEXT, ", %zu more held offline only", skipped);
	return 0;
}

/* The rows of one request to a speaker; -1 (l->err) if it does not answer. */
static int
ask(struct live *l, const struct topo_node *inst, const char *req,
    struct ctlc_reply *r)
{
	char sock[300];

	if (ctlc_request(emu_speaker_sock(l->lab, inst->name, sock,
	    sizeof(sock)), req, 3000, r) == 0)
		return 0;
	snprintf(l->err, sizeof(l->err), "%s of lab %s does not answer",
	    inst->name, l->lab);
	return -1;
}

/* Whether the rows of r hold prefix p in field 0 (learned: accepted). */
static bool
rows_have(const struct ctlc_reply *r, const struct pfx4 *p, bool learned)
{
	char pb[PFX_STRLEN], *f[7];
	size_t i, nf;

	pfx_fmt(p, pb);
	for (i = 0; i < r->n; i++) {
		char *row = xstrdup(r->rows[i]);

		nf = ctlc_fields(row, f, 7);
		if (nf >= 1 && strcmp(f[0], pb) == 0 && (!learned ||
		    (nf >= 7 && strcmp(f[6], "-") == 0))) {
			free(row);
			return true;
		}
		free(row);
	}
	return false;
}

static int
live_bgp(struct live *l, const struct suite_assert *a,
    struct check_result *res)
{
	const struct topo_rs *rs = topo_vnet_find(l->t, a->hub)->rs;
	const struct topo_node *peer = topo_node_find(l->t, a->peer);
	char addr[ADDR_STRLEN], pb[PFX_STRLEN], req[128], *f[13];
	struct ctlc_reply r;
	size_t i, k, npeer = 0;
	unsigned inst;
	bool est = true;

	addr_fmt(peer->nic->ip, addr);
	for (inst = 0; inst < 2; inst++) {
		bool found = false;

		if (a->instance >= 0 && inst != (unsigned)a->instance)
			continue;
		if (ask(l, rs->inst[inst], "peers", &r) != 0)
			return -1;
		for (i = 0; i < r.n && !found; i++)
			if (ctlc_fields(r.rows[i], f, 13) >= 4 &&
			    strcmp(f[1], addr) == 0) {
				found = true;
				npeer++;
				est &= strcmp(f[3], "Established") == 0;
				str_appendf(res->seen, CHECK_TEXT, "%s%s: %s", npeer > 1 ? "; " : "",
				    rs->inst[inst]->name, f[3]);
			}
		ctlc_free(&r);
		if (!found)
			continue;
		snprintf(req, sizeof(req), "learned %s", addr);
		if (a->nlearns > 0 && ask(l, rs->inst[inst], req, &r) != 0)
			return -1;
		for (k = 0; k < a->nlearns; k++)
			if (!rows_have(&r, &a->learns[k], true)) {
				res->held = false;
				str_appendf(res->seen, CHECK_TEXT, ", does not learn %s",
				    pfx_fmt(&a->learns[k], pb));
			}
		if (a->nlearns > 0)
			ctlc_free(&r);
		snprintf(req, sizeof(req), "advertised %s", addr);
		if (a->nadvertises > 0 && ask(l, rs->inst[inst], req, &r) != 0)
			return -1;
		for (k = 0; k < a->nadvertises; k++)
			if (!rows_have(&r, &a->advertises[k], false)) {
				res->held = false;
				str_appendf(res->seen, CHECK_TEXT, ", does not advertise %s",
				    pfx_fmt(&a->advertises[k], pb));
			}
		if (a->nadvertises > 0)
			ctlc_free(&r);
	}
	if (npeer == 0) {
		est = false;
		str_appendf(res->seen, CHECK_TEXT, "no peering with %s", a->peer);
		if (a->nlearns + a->nadvertises > 0)
			res->held = false;
	}
	if (a->established >= 0 && est != (a->established == 1))
		res->held = false;
	return 0;
}

/* Whether the lab runs t: its saved topology has t's nodes, in t's order. */
static int
same_topology(const char *lab, const struct topo *t)
{
	struct topo_err e;
	struct topo *lt;
	char dir[256], file[300];
	size_t i;
	bool same;

	snprintf(file, sizeof(file), "%s/topology.json",
	    lab_dir(lab, dir, sizeof(dir)));
	if (topo_load_file(file, &lt, &e) == -1)
		return cli_err(CLI_ENV, "lab %s: %s: %s", lab, file, e.msg);
	same = lt->nnodes == t->nnodes;
	for (i = 0; same && i < t->nnodes; i++)
		same = strcmp(lt->nodes[i]->name, t->nodes[i]->name) == 0;
	topo_free(lt);
	if (!same)
		return cli_err(CLI_ENV, "lab %s does not run the suite's topology "
		    "%s (its nodes differ)", lab, t->name);
	return 0;
}

int
check_live(struct cli *c, const struct topo *t, const struct plan *p,
    const struct suite *s, struct check_result *res, size_t *failed)
{
	static int (*const fn[])(struct live *, const struct suite_assert *,
	    struct check_result *) = { live_routes, live_walk, live_policy,
	    live_bgp };
	struct live l;
	size_t i, n;

	memset(&l, 0, sizeof(l));
	if ((l.lab = cli_lab(c)) == NULL || same_topology(l.lab, t) != 0)
		return CLI_ENV;
	l.t = t;
	l.p = p;
	l.sport = CHECK_LIVE_SPORT;
	*failed = 0;
	for (i = 0; i < s->nasserts; i++) {
		struct check_result off = res[i];

		/* a diff compares two topology files: the offline result stands */
		if (s->asserts[i]->kind == SUITE_DIFF) {
			str_appendf(res[i].seen, CHECK_TEXT, "; evaluated "
			    "offline: a diff compares topology files, the lab "
			    "is not read");
			*failed += !res[i].held;
			continue;
		}
		res[i].held = true;
		res[i].seen[0] = '\0';
		if (fn[s->asserts[i]->kind](&l, s->asserts[i], &res[i]) != 0)
			return cli_err(CLI_ENV, "check --live: %s: %s",
			    s->asserts[i]->name, l.err);
		n = strlen(res[i].seen);
		while (n > 0 && strchr(" ;", res[i].seen[n - 1]) != NULL)
			res[i].seen[--n] = '\0';
		if (res[i].held != off.held)
			str_appendf(res[i].seen, CHECK_TEXT, "; live differs from plan: the plan "
			    "%s: %s", off.held ? "holds" : "fails", off.seen);
		*failed += !res[i].held;
	}
	return CLI_OK;
}
