/*
 * cmd_walk: `arsemu walk SRC DST`: the predicted walk, hop by hop with the
 * route that matched and why, and (on a running lab) the observed one from
 * real probes, compared. Exit 0 when they agree (or offline), 1 when they
 * differ, 2 for unknown endpoints, 3 when the lab cannot be reached.
 *
 * Live, the prediction uses the effective routes the lab daemon holds now
 * and the failures it injected; offline (--offline, --topo FILE) it uses
 * `arsemu plan`'s prediction of the Route Server outcome.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../emu/model/bgpconf.h"
#include "../emu/lab.h"
#include "../emu/model/plan.h"
#include "../emu/model/walk.h"
#include "../lib/ctlc.h"
#include "../lib/json.h"
#include "../lib/util.h"
#include "../topo/failkind.h"
#include "check_live.h"
#include "cli.h"

#define WALK_PROBES		5

struct wctx {
	struct topo		*t;
	const char		*lab;		/* NULL: offline */
	struct sdn_table	*tabs;		/* per NIC, filled on demand */
	bool			*have;
	struct plan		 plan;
	bool			 planned;
	char			 failed[64][TOPO_NAME_MAX + 1];
	size_t			 nfailed;
	const struct walk_obs	*obs;		/* steer ECMP choices to what was seen */
	/* backends out of rotation (the daemon's probes, LB-05): "lb node" */
	char			 lbdown[64][2 * TOPO_NAME_MAX + 2];
	size_t			 nlbdown;
};

static int
enum_of(const char *s, const char *(*str)(int), int max)
{
	int i;

	for (i = 0; i <= max; i++)
		if (strcmp(str(i), s) == 0)
			return i;
	return -1;
}

static const char *src_str(int i) { return sdn_source_str((enum sdn_source)i); }
static const char *nh_str(int i) { return sdn_nh_type_str((enum sdn_nh_type)i); }

/* The daemon's rows back into a table: ECMP rows of one route merged. */
static void
table_from_rows(struct ctlc_reply *r, const struct topo_nic *nic,
    struct sdn_table *tab)
{
	size_t i, cap = 0;

	memset(tab, 0, sizeof(*tab));
	tab->nic = nic;
	for (i = 0; i < r->n; i++) {
		struct sdn_row row;
		struct sdn_route rt, *last;
		int so, ty;

		if (sdn_row_parse(r->rows[i], &row) != 0 ||
		    (so = enum_of(row.source, src_str, SDN_SRC_VNG)) < 0 ||
		    (ty = enum_of(row.type, nh_str, SDN_NH_NONE)) < 0)
			continue;
		memset(&rt, 0, sizeof(rt));
		if (pfx_parse(row.prefix, &rt.pfx) != 0)
			continue;
		rt.source = (enum sdn_source)so;
		rt.type = (enum sdn_nh_type)ty;
		rt.active = strcmp(row.state, "Active") == 0;
		last = tab->nroutes ? &tab->routes[tab->nroutes - 1] : NULL;
		if (last != NULL && pfx_equal(&last->pfx, &rt.pfx) &&
		    last->source == rt.source && last->type == rt.type &&
		    last->active == rt.active && row.nh[0] && last->nnh > 0 &&
		    last->nnh < SDN_MAX_NH) {
			addr_parse(row.nh, &last->nh[last->nnh++]);
			continue;
		}
		if (row.nh[0] && addr_parse(row.nh, &rt.nh[0]) == 0)
			rt.nnh = 1;
		xgrow(&tab->routes, &cap, tab->nroutes + 1, sizeof(rt));
		tab->routes[tab->nroutes++] = rt;
	}
}

int
walk_lab_table(const char *lab, const struct topo_nic *nic,
    struct sdn_table *tab)
{
	struct ctlc_reply r;
	char sock[300], req[128];

	snprintf(req, sizeof(req), "routes %s", nic->name);
	if (ctlc_request(emu_daemon_sock(lab, sock, sizeof(sock)), req, 5000,
	    &r) != 0)
		return -1;
	table_from_rows(&r, nic, tab);
	ctlc_free(&r);
	return 0;
}

static const struct sdn_table *
get_table(void *arg, const struct topo_nic *nic)
{
	struct wctx *w = arg;

	if (w->have[nic->idx])
		return &w->tabs[nic->idx];
	if (w->lab == NULL) {
		if (!w->planned) {
			plan_run(w->t, &w->plan);
			w->planned = true;
		}
		sdn_effective(w->t, &w->plan.in, nic, &w->tabs[nic->idx]);
	} else if (walk_lab_table(w->lab, nic, &w->tabs[nic->idx]) != 0)
		return NULL;
	w->have[nic->idx] = true;
	return &w->tabs[nic->idx];
}

static bool
is_failed(void *arg, const struct topo_node *n)
{
	struct wctx *w = arg;
	size_t i;

	for (i = 0; i < w->nfailed; i++)
		if (strcmp(w->failed[i], n->name) == 0)
			return true;
	return false;
}

/*
 * Whether addr names node n in an ECMP choice: its NIC's address, or, off
 * the fabric (an MSEE, a gateway instance's link), one of its link ends.
 */
static bool
names_node(const struct topo *t, const struct topo_node *n, uint32_t addr)
{
	size_t i;

	if (walk_node_ip(n) == addr)
		return true;
	for (i = 0; i < t->ngwlinks; i++)
		if ((t->gwlinks[i]->a == n && t->gwlinks[i]->a_ip == addr) ||
		    (t->gwlinks[i]->b == n && t->gwlinks[i]->b_ip == addr))
			return true;
	return n->nic == NULL && topo_bgp_addr(t, n) == addr;
}

/* Follow what was observed where the model leaves a choice (ECMP). */
static unsigned
steer(void *arg, const struct topo_node *at, const uint32_t *m, unsigned n,
    unsigned flow)
{
	struct wctx *w = arg;
	unsigned k;
	size_t i;

	for (k = 0; w->obs != NULL && k < n; k++)
		for (i = 0; i < w->obs->nforwarded; i++)
			if (names_node(w->t, w->obs->forwarded[i], m[k]))
				return k;
	(void)at;
	return flow % n;
}

/* LB-05: whether the lab's probes keep backend i of lb in rotation. */
static bool
lb_up(void *arg, const struct topo_lb *lb, size_t i)
{
	struct wctx *w = arg;
	char key[2 * TOPO_NAME_MAX + 2];
	size_t k;

	snprintf(key, sizeof(key), "%s %s", lb->name,
	    lb->backends[i]->node->name);
	for (k = 0; k < w->nlbdown; k++)
		if (strcmp(w->lbdown[k], key) == 0)
			return false;
	return true;
}

static void
load_failures(struct wctx *w)
{
	struct ctlc_reply r;
	char sock[300], *f[4];
	enum fail_kind k;
	size_t i;

	if (ctlc_request(emu_daemon_sock(w->lab, sock, sizeof(sock)), "status",
	    3000, &r) != 0)
		return;
	for (i = 0; i < r.n; i++) {
		size_t nf = ctlc_fields(r.rows[i], f, 4);

		if (nf == 3 && strcmp(f[0], "failed") == 0 && w->nfailed < 64 &&
		    fail_kind_parse(f[2], &k) == 0 &&
		    (k == FAIL_FREEZE || k == FAIL_LINK))
			snprintf(w->failed[w->nfailed++], TOPO_NAME_MAX + 1, "%s", f[1]);
		else if (nf == 4 && strcmp(f[0], "lb-backend") == 0 &&
		    strcmp(f[3], "down") == 0 && w->nlbdown < 64)
			snprintf(w->lbdown[w->nlbdown++], sizeof(w->lbdown[0]),
			    "%.32s %.32s", f[1], f[2]);
	}
	ctlc_free(&r);
}

/* walk_endpoint(), its message as arsemu's. */
static int
endpoint(const struct topo *t, const char *s, const struct topo_node **n,
    uint32_t *ip, bool is_src)
{
	char err[256];

	if (walk_endpoint(t, s, n, ip, is_src, err, sizeof(err)) != 0)
		return cli_err(CLI_USAGE, "%s", err);
	return 0;
}

static const char *
hop_name(const struct walk_hop *h)
{
	return h->node ? h->node->name : "internet";
}

static bool
stops_at_last(enum walk_outcome o)
{
	return o == WALK_DELIVERED || o == WALK_FAILED_PEER ||
	    o == WALK_NOT_FORWARDED || o == WALK_DENIED;
}

/* Transit nodes of a predicted walk (not the source, not the destination). */
bool
walk_same_path(const struct walk *p, const struct walk_obs *o, char *why, size_t len)
{
	/*
	 * The destination, or a node that stops the packet, is no transit; a
	 * site's edge without a route drops in its own kernel (a NIC without
	 * one hands the packet to the fabric first, and counts as forwarding).
	 */
	size_t i, k, last = stops_at_last(p->outcome) || p->dropped_at_last ?
	    p->n - 1 : p->n;
	bool pdel = p->outcome == WALK_DELIVERED, stopped = false;

	for (i = 1; i < last; i++) {
		const struct topo_node *n = p->hop[i].node;
		bool seen = false;

		if (n == NULL || n->kind == TOPO_SITE_HOST || n->kind == TOPO_VM)
			continue;
		for (k = 0; k < o->nforwarded; k++)
			seen |= o->forwarded[k] == n;
		if (!seen) {
			snprintf(why, len, "predicted through %s, which did not forward "
			    "the probes", n->name);
			return false;
		}
	}
	for (k = 0; k < o->nforwarded; k++) {
		bool predicted = false;

		for (i = 1; i < last; i++)
			predicted |= p->hop[i].node == o->forwarded[k];
		if (!predicted) {
			snprintf(why, len, "%s forwarded the probes, the model does not "
			    "cross it", o->forwarded[k]->name);
			return false;
		}
	}
	if (pdel != o->delivered) {
		snprintf(why, len, "predicted %s, observed %s", walk_outcome_str(
		    p->outcome), o->delivered ? "delivered" : "not delivered");
		return false;
	}
	/* A filter's drop: the probes reached the NVA and went no further. */
	for (k = 0; p->outcome == WALK_DENIED && k < o->nstopped; k++)
		stopped |= o->stopped[k] == p->hop[p->n - 1].node;
	if (p->outcome == WALK_DENIED && !stopped) {
		snprintf(why, len, "predicted to stop at %s, which did not receive "
		    "the probes", p->hop[p->n - 1].node->name);
		return false;
	}
	return true;
}

static void
print_walk(const struct walk *w, const char *title)
{
	size_t i;

	printf("  %s: %s%s%s\n", title, walk_outcome_str(w->outcome),
	    w->detail[0] ? ": " : "", w->detail);
	for (i = 0; i < w->n; i++)
		printf("    %2zu  %-14s %s\n", i + 1, hop_name(&w->hop[i]),
		    w->hop[i].how);
}

static void
json_walk(struct json *j, const char *key, const struct walk *w)
{
	size_t i;

	json_key(j, key);
	json_obj_begin(j);
	json_kstr(j, "outcome", walk_outcome_str(w->outcome));
	json_kstr(j, "detail", w->detail[0] ? w->detail : NULL);
	if (w->rule != NULL)
		json_kstr(j, "filterRule", w->rule->jpath);
	if (w->refused_by != NULL)
		json_kstr(j, "refusedBy", w->refused_by->jpath);
	if (w->nsg != NULL) {
		json_kstr(j, "networkSecurityGroup", w->nsg->name);
		json_kstr(j, "securityRule", w->nsg_rule->name);
		json_kstr(j, "networkInterface", w->nsg_nic->name);
		json_kstr(j, "direction", w->nsg_inbound ? "Inbound" :
		    "Outbound");
	}
	json_key(j, "hops");
	json_arr_begin(j);
	for (i = 0; i < w->n; i++) {
		json_obj_begin(j);
		json_kstr(j, "node", hop_name(&w->hop[i]));
		json_kstr(j, "route", w->hop[i].how[0] ? w->hop[i].how : NULL);
		json_kbool(j, "ecmp", w->hop[i].ecmp);
		if (w->hop[i].lb != NULL) {
			json_kstr(j, "loadBalancer", w->hop[i].lb->name);
			json_kstr(j, "backend", w->hop[i].backend->name);
		}
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}

/* The stateful NVAs a walk crosses, as "fw1,fw2". */
static void
nvas_of(const struct walk *w, char *buf, size_t len)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < w->n; i++)
		if (w->hop[i].node && w->hop[i].node->kind == TOPO_NVA && used < len)
			used += (size_t)snprintf(buf + used, len - used, "%s%s",
			    used ? "," : "", w->hop[i].node->name);
}

/*
 * A return walk is symmetric when it crosses the forward walk's NVAs in
 * the opposite order: "a,b" forward, "b,a" back.
 */
static bool
same_nvas_back(const char *fwd, const char *back)
{
	char rev[128];
	const char *end = back + strlen(back), *p;
	size_t used = 0;

	rev[0] = '\0';
	while (end > back && used < sizeof(rev)) {
		for (p = end; p > back && p[-1] != ','; p--)
			;
		used += (size_t)snprintf(rev + used, sizeof(rev) - used, "%s%.*s",
		    used ? "," : "", (int)(end - p), p);
		end = p > back ? p - 1 : back;
	}
	return strcmp(fwd, rev) == 0;
}

struct walk_args {
	const struct topo_node	*src;
	struct walk_pkt		 pkt;
	unsigned		 flows;
	/*
	 * Per flow: the forward walk crossed a load balancer (set by the
	 * forward walk); the return of such a flow is walked as its reply,
	 * ports swapped, which the load balancer keeps on the flow's
	 * backend (LB-06). Other returns keep the forward's ports.
	 */
	bool			*via_lb;
	bool			 back;
};

/* Whether a walk left a hop through a load balancer. */
static bool
crosses_lb(const struct walk *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->hop[i].lb != NULL)
			return true;
	return false;
}

/* One direction, every flow. Returns mismatches, or -1 on error. */
static int
walk_dir(struct wctx *w, struct walk_args *a, struct json *j,
    bool json, const char *label, char nvas[][128])
{
	struct walk_env env = { w->t, get_table, is_failed, steer, w,
	    &w->plan.in, lb_up };
	char dst[ADDR_STRLEN], why[224], err[256];
	int mismatches = 0;
	unsigned f;

	/* the Route Servers' routes: what the gateways tell sites (walk.h) */
	if (!w->planned) {
		plan_run(w->t, &w->plan);
		w->planned = true;
	}
	addr_fmt(a->pkt.dst, dst);
	if (json) {
		json_key(j, label);
		json_arr_begin(j);
	} else if (a->pkt.proto == WALK_ICMP)
		printf("%s: %s -> %s (icmp)\n", label, a->src->name, dst);
	else
		printf("%s: %s -> %s (%s port %u)\n", label, a->src->name, dst,
		    walk_proto_str(a->pkt.proto), a->pkt.port);
	for (f = 0; f < a->flows; f++) {
		struct walk_obs o;
		struct walk p;
		struct walk_pkt pkt = a->pkt;
		uint16_t sport = (uint16_t)(WALK_SPORT_BASE + f);
		bool match = true;

		pkt.sport = sport;	/* what a load balancer hashes (LB-06) */
		if (a->back && a->via_lb[f] && pkt.proto != WALK_ICMP) {
			pkt.sport = a->pkt.port;
			pkt.port = sport;
			pkt.reply = true;
		}
		w->obs = NULL;
		/* read only when w->lab is set, which the analyzer cannot follow */
		memset(&o, 0, sizeof(o));
		if (w->lab != NULL) {
			if (walk_observe(w->lab, w->t, a->src, &pkt, pkt.sport,
			    WALK_PROBES, &o, err, sizeof(err)) != 0) {
				cli_err(CLI_ENV, "%s", err);
				return -1;
			}
			w->obs = &o;
		}
		walk_predict(&env, a->src, &pkt, f, &p);
		if (!a->back)
			a->via_lb[f] = crosses_lb(&p);
		if (w->lab != NULL && !(match = walk_same_path(&p, &o, why, sizeof(why))))
			mismatches++;
		nvas_of(&p, nvas[f], 128);
		if (json) {
			json_obj_begin(j);
			json_kint(j, "flow", f);
			json_kint(j, "sourcePort", pkt.sport);
			if (pkt.reply)
				json_kint(j, "destinationPort", pkt.port);
			json_walk(j, "predicted", &p);
			if (w->lab != NULL) {
				size_t k;

				json_key(j, "observed");
				json_obj_begin(j);
				json_kbool(j, "delivered", o.delivered);
				json_key(j, "forwardedBy");
				json_arr_begin(j);
				for (k = 0; k < o.nforwarded; k++)
					json_str(j, o.forwarded[k]->name);
				json_arr_end(j);
				json_key(j, "stoppedAt");
				json_arr_begin(j);
				for (k = 0; k < o.nstopped; k++)
					json_str(j, o.stopped[k]->name);
				json_arr_end(j);
				json_obj_end(j);
				json_kbool(j, "match", match);
				json_kstr(j, "mismatch", match ? NULL : why);
			}
			json_obj_end(j);
			continue;
		}
		if (pkt.reply)
			printf(" flow %u (its reply: source port %u, destination "
			    "port %u)\n", f, pkt.sport, pkt.port);
		else
			printf(" flow %u (source port %u)\n", f, pkt.sport);
		print_walk(&p, w->lab ? "predicted" : "predicted (offline)");
		if (w->lab != NULL) {
			size_t k;

			printf("  observed: %s; forwarded by:", o.delivered ?
			    "delivered" : "not delivered");
			for (k = 0; k < o.nforwarded; k++)
				printf(" %s", o.forwarded[k]->name);
			printf("%s", o.nforwarded ? "" : " (no node)");
			for (k = 0; k < o.nstopped; k++)
				printf("%s%s", k ? " " : "; stopped at: ",
				    o.stopped[k]->name);
			printf("\n");
			printf("  %s%s\n", match ? "match" : "MISMATCH: ", match ? "" : why);
		}
	}
	if (json)
		json_arr_end(j);
	return mismatches;
}

static void
ecmp_split(char nvas[][128], unsigned flows, const bool *via_lb, bool json,
    struct json *j)
{
	bool lb = false;
	char seen[CLI_FLOWS_MAX][128];
	unsigned count[CLI_FLOWS_MAX] = { 0 }, ns = 0, f, k;

	for (f = 0; f < flows; f++) {
		lb |= via_lb[f];
		for (k = 0; k < ns && strcmp(seen[k], nvas[f]) != 0; k++)
			;
		if (k == ns)
			snprintf(seen[ns++], 128, "%.127s", nvas[f]);
		count[k]++;
	}
	if (json) {
		json_key(j, "split");
		json_obj_begin(j);
		for (k = 0; k < ns; k++)
			json_kint(j, seen[k][0] ? seen[k] : "(no NVA)", count[k]);
		json_obj_end(j);
		return;
	}
	printf("flows by NVA path:");
	for (k = 0; k < ns; k++)
		printf(" %s %u/%u", seen[k][0] ? seen[k] : "(no NVA)", count[k], flows);
	if (lb)
		printf("\n(each flow takes the backend a load balancer's 5-tuple "
		    "hash picks (LB-06), and at an ECMP route the next hop the "
		    "fabric's 5-tuple hash picks (VR-10): the split is the "
		    "hashes', not an even one)\n");
	else
		printf("\n(each flow takes one ECMP next hop by the fabric's "
		    "5-tuple hash, as Azure's hosts do (VR-10): the split is the "
		    "hash's, not an even one)\n");
}

int
cmd_walk(struct cli *c)
{
	struct wctx w;
	struct walk_args fwd, back;
	struct topo_err te;
	struct json j;
	char file[400], dir[256], err[600], nf[CLI_FLOWS_MAX][128],
	    nb[CLI_FLOWS_MAX][128];
	const struct topo_node *dnode;
	bool via_lb[CLI_FLOWS_MAX] = { false };
	int mis = 0, mb = 0, rc = CLI_OK;
	unsigned f;

	memset(&w, 0, sizeof(w));
	if (c->argc != 2)
		return cli_err(CLI_USAGE, "usage: arsemu walk SRC DST [--proto "
		    "icmp|udp|tcp] [--port N] [--flows N] [--both-ways] [--offline] "
		    "[--topo FILE]");
	if (c->proto && strcmp(c->proto, "icmp") && strcmp(c->proto, "udp") &&
	    strcmp(c->proto, "tcp"))
		return cli_err(CLI_USAGE, "--proto is icmp, udp or tcp");
	if (c->topo != NULL)
		snprintf(file, sizeof(file), "%s", c->topo);
	else {
		if ((w.lab = cli_lab(c)) == NULL)
			return CLI_ENV;
		snprintf(file, sizeof(file), "%s/topology.json",
		    lab_dir(w.lab, dir, sizeof(dir)));
	}
	if (c->topo != NULL || c->offline)
		w.lab = NULL;
	else if (!cli_root("arsemu walk (live)"))
		return CLI_ENV;
	if (topo_load_file(file, &w.t, &te) == -1) {
		topo_err_str(&te, file, err, sizeof(err));
		return cli_err(CLI_USAGE, "%s", err);
	}
	w.tabs = xcalloc(w.t->nnics ? w.t->nnics : 1, sizeof(*w.tabs));
	w.have = xcalloc(w.t->nnics ? w.t->nnics : 1, sizeof(*w.have));
	memset(&fwd, 0, sizeof(fwd));
	fwd.pkt.proto = c->proto == NULL || strcmp(c->proto, "udp") == 0 ?
	    WALK_UDP : strcmp(c->proto, "icmp") == 0 ? WALK_ICMP : WALK_TCP;
	fwd.pkt.port = (uint16_t)(c->port > 0 ? c->port : WALK_PORT_DEFAULT);
	fwd.flows = c->flows > 0 ? c->flows : 1;
	fwd.via_lb = via_lb;
	if (endpoint(w.t, c->argv[0], &fwd.src, &fwd.pkt.src, true) != 0 ||
	    endpoint(w.t, c->argv[1], &dnode, &fwd.pkt.dst, false) != 0) {
		rc = CLI_USAGE;
		goto out;
	}
	if (w.lab != NULL)
		load_failures(&w);
	if (c->json) {
		json_init(&j, stdout);
		json_obj_begin(&j);
		json_kstr(&j, "source", fwd.src->name);
		json_kstr(&j, "destination", addr_fmt(fwd.pkt.dst,
		    (char[ADDR_STRLEN]){0}));
		json_kstr(&j, "protocol", walk_proto_str(fwd.pkt.proto));
		json_kbool(&j, "offline", w.lab == NULL);
	}
	if ((mis = walk_dir(&w, &fwd, &j, c->json, "forward", nf)) < 0) {
		rc = CLI_ENV;
		goto out;
	}
	if (fwd.flows > 1)
		ecmp_split(nf, fwd.flows, via_lb, c->json, &j);
	if (c->both_ways) {
		if (dnode == NULL) {
			if (!c->json)
				printf("return: not walked (the destination is no node)\n");
		} else {
			back = fwd;
			back.src = dnode;
			back.pkt.src = fwd.pkt.dst;
			back.pkt.dst = fwd.pkt.src;
			back.back = true;
			if ((mb = walk_dir(&w, &back, &j, c->json, "return", nb)) < 0) {
				rc = CLI_ENV;
				goto out;
			}
			for (f = 0; f < fwd.flows; f++)
				if (!same_nvas_back(nf[f], nb[f])) {
					if (!c->json)
						printf("warning: flow %u is asymmetric: forward "
						    "through %s, return through %s: a stateful "
						    "NVA drops what it did not see leave\n", f,
						    nf[f][0] ? nf[f] : "no NVA",
						    nb[f][0] ? nb[f] : "no NVA");
					else if (f == 0)
						json_kbool(&j, "asymmetric", true);
				}
		}
	}
	if (c->json) {
		json_kbool(&j, "match", mis + mb == 0);
		json_obj_end(&j);
		json_end(&j);
	}
	rc = mis + mb > 0 ? CLI_FAIL : CLI_OK;
out:
	for (f = 0; f < w.t->nnics; f++)
		if (w.have[f])
			sdn_table_free(&w.tabs[f]);
	free(w.tabs);
	free(w.have);
	if (w.planned)
		plan_free(&w.plan);
	topo_free(w.t);
	return rc;
}
