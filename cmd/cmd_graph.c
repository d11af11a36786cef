/*
 * cmd_graph: the topology as a Graphviz picture, `arsemu graph [LAB|TOPO]
 * [--format dot|svg] [--walk SRC DST]`. Regions are clusters, VNets clusters
 * inside them (hubs and spokes), then the NVAs, Route Server instances and
 * VMs; sites are clusters of their own. Edges: VNet peerings, site links,
 * and the BGP sessions between NVAs and Route Server instances, coloured by
 * their state when a lab is running (green Established, red anything else,
 * grey when the picture comes from a file).
 *
 * With --walk, the predicted walk (walk_predict() on `arsemu plan`'s Route
 * Server outcome, as `arsemu walk --offline` does) is drawn on top: its
 * nodes bold and red, one numbered arrow per hop, and the outcome in the
 * graph's label. The fabric stays invisible, as in a walk.
 *
 * --json (or --format json) gives the same as data: VNets, nodes, edges
 * (peerings, sessions with their state when live, gateway links, site
 * links) and the walk.
 *
 * Parses its own options (a raw command): --walk takes two values.
 */
#include <sys/stat.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../emu/model/bgpconf.h"
#include "../emu/lab.h"
#include "../emu/model/plan.h"
#include "../emu/model/walk.h"
#include "../lib/ctlc.h"
#include "../lib/json.h"
#include "../lib/util.h"
#include "cli.h"

struct session {
	char	rs[TOPO_NAME_MAX + 8];
	char	peer[TOPO_NAME_MAX + 8];
	char	state[16];
};

struct graph {
	const struct topo	*t;
	FILE			*f;
	struct session		*s;
	size_t			 ns;
	bool			 live;
	const struct walk	*walk;		/* --walk: the path to highlight */
	const char		*walk_dst;	/* as given, for the label */
};

#define WALK_COLOR	"red"

static const char *
session_color(const struct graph *g, const char *rs, const char *peer)
{
	size_t i;

	if (!g->live)
		return "grey50";
	for (i = 0; i < g->ns; i++)
		if (strcmp(g->s[i].rs, rs) == 0 && strcmp(g->s[i].peer, peer) == 0)
			return strcmp(g->s[i].state, "Established") == 0 ?
			    "forestgreen" : "red3";
	return "red3";
}

/* A session's state in the running lab; NULL when the graph is offline. */
static const char *
session_state(const struct graph *g, const char *rs, const char *peer)
{
	size_t i;

	if (!g->live)
		return NULL;
	for (i = 0; i < g->ns; i++)
		if (strcmp(g->s[i].rs, rs) == 0 && strcmp(g->s[i].peer, peer) == 0)
			return g->s[i].state;
	return "Idle";
}

/* What a gateway link is: an ER circuit's hop, a VPN tunnel, an overlay. */
static const char *
gwlink_type(const struct topo_gwlink *l)
{
	if (l->conn == NULL)
		return "overlay";
	return l->conn->gw->type == TOPO_GW_EXPRESSROUTE ? "circuit" : "tunnel";
}

static void
load_sessions(struct graph *g, const char *lab)
{
	size_t i, k;

	for (i = 0; i < g->t->nrss; i++) {
		for (k = 0; k < 2; k++) {
			const char *rs = g->t->rss[i]->inst[k]->name;
			struct ctlc_reply r;
			char sock[300], *f[4];
			size_t n;

			emu_speaker_sock(lab, rs, sock, sizeof(sock));
			if (ctlc_request(sock, "peers", 2000, &r) != 0)
				continue;
			for (n = 0; n < r.n; n++) {
				struct session *s;

				if (ctlc_fields(r.rows[n], f, 4) < 4)
					continue;
				g->s = xrealloc(g->s, (g->ns + 1) * sizeof(*g->s));
				s = &g->s[g->ns++];
				snprintf(s->rs, sizeof(s->rs), "%s", rs);
				snprintf(s->peer, sizeof(s->peer), "%s", f[0]);
				snprintf(s->state, sizeof(s->state), "%s", f[3]);
			}
			ctlc_free(&r);
		}
	}
}

static void
node_line(struct graph *g, const struct topo_node *n)
{
	char ip[ADDR_STRLEN];
	size_t k;

	switch (n->kind) {
	case TOPO_RS:
		fprintf(g->f, "      \"%s\" [shape=hexagon, style=filled, "
		    "fillcolor=lightyellow, label=\"%s\\n%s\\nAS 65515\"];\n",
		    n->name, n->name, addr_fmt(n->nic->ip, ip));
		break;
	case TOPO_NVA:
		fprintf(g->f, "      \"%s\" [shape=box3d, style=filled, "
		    "fillcolor=orange, label=\"%s\\n%s", n->name, n->name,
		    addr_fmt(n->nic->ip, ip));
		if (n->nva->bgp)
			fprintf(g->f, "\\nAS %u%s", n->nva->asn,
			    n->nva->prepend ? " (prepend)" : "");
		/* NV-01: the extra NICs, by their own name and address */
		for (k = 1; k < n->nnics; k++)
			fprintf(g->f, "\\n%s %s", strchr(n->nics[k]->name, '/') + 1,
			    addr_fmt(n->nics[k]->ip, ip));
		fprintf(g->f, "\"];\n");
		break;
	case TOPO_VM:
		fprintf(g->f, "      \"%s\" [shape=box, label=\"%s\\n%s\"];\n",
		    n->name, n->name, addr_fmt(n->nic->ip, ip));
		break;
	case TOPO_SITE_ROUTER:
		fprintf(g->f, "    \"%s\" [shape=cylinder, label=\"%s\"];\n",
		    n->name, n->name);
		break;
	case TOPO_SITE_HOST:
		fprintf(g->f, "    \"%s\" [shape=box, label=\"%s\\n%s\"];\n",
		    n->name, n->name, addr_fmt(n->host_ip, ip));
		break;
	case TOPO_GW:
	case TOPO_MSEE:
		fprintf(g->f, "    \"%s\" [shape=octagon, label=\"%s\"];\n",
		    n->name, n->name);
		break;
	}
}

static void
vnet_cluster(struct graph *g, const struct topo_vnet *v)
{
	char p[PFX_STRLEN];
	size_t i, k;

	fprintf(g->f, "    subgraph \"cluster_vnet_%s\" {\n      label=\"%s (%s)",
	    v->name, v->name, v->hub ? "hub" : "spoke");
	for (k = 0; k < v->nspace; k++)
		fprintf(g->f, "\\n%s", pfx_fmt(&v->space[k], p));
	fprintf(g->f, "\";\n      style=filled; fillcolor=%s;\n",
	    v->hub ? "lightsteelblue1" : "honeydew");
	/* an anchor for peering edges */
	fprintf(g->f, "      \"vnet:%s\" [shape=point, style=invis];\n", v->name);
	for (i = 0; i < g->t->nnodes; i++) {
		const struct topo_node *n = g->t->nodes[i];

		if (n->nic != NULL && n->nic->subnet->vnet == v)
			node_line(g, n);
	}
	fprintf(g->f, "    }\n");
}

static void
edges(struct graph *g)
{
	const struct topo *t = g->t;
	size_t i, k;

	for (i = 0; i < t->nvnets; i++) {
		const struct topo_vnet *v = t->vnets[i];

		if (v->hub || v->peer_hub == NULL)
			continue;
		fprintf(g->f, "  \"vnet:%s\" -- \"vnet:%s\" [ltail=\"cluster_vnet_%s\", "
		    "lhead=\"cluster_vnet_%s\", style=bold, color=steelblue, "
		    "label=\"%s%s\"];\n", v->name, v->peer_hub->name, v->name,
		    v->peer_hub->name, v->region != v->peer_hub->region ?
		    "global peering" : "peering", v->use_remote_gateways ?
		    "\\nuseRemoteGateways" : "");
		for (k = 0; k < v->nxhubs; k++)		/* PE-06 */
			fprintf(g->f, "  \"vnet:%s\" -- \"vnet:%s\" [ltail="
			    "\"cluster_vnet_%s\", lhead=\"cluster_vnet_%s\", "
			    "style=bold, color=steelblue, label=\"%s\"];\n",
			    v->name, v->xhubs[k]->name, v->name, v->xhubs[k]->name,
			    v->region != v->xhubs[k]->region ? "global peering" :
			    "peering");
	}
	for (i = 0; i < t->npeerings; i++) {		/* PE-07 */
		const struct topo_vnet *a = t->peerings[i]->vnet[0];
		const struct topo_vnet *b = t->peerings[i]->vnet[1];

		fprintf(g->f, "  \"vnet:%s\" -- \"vnet:%s\" [ltail=\"cluster_vnet_%s\", "
		    "lhead=\"cluster_vnet_%s\", style=bold, color=steelblue, "
		    "label=\"%s%s\"];\n", a->name, b->name, a->name, b->name,
		    a->region != b->region ? "global peering" : "peering",
		    topo_remote_gateway_vnet(a) == b ||
		    topo_remote_gateway_vnet(b) == a ?
		    "\\nuseRemoteGateways" : "");
	}
	for (i = 0; i < t->nnvas; i++) {
		const struct topo_nva *nv = t->nvas[i];
		const struct topo_rs *rs = nv->node->nic->subnet->vnet->rs;

		for (k = 0; k < 2 * (1 + nv->nxrs); k++) {
			const struct topo_rs *r = k < 2 ? rs : nv->xrs[k / 2 - 1];

			if (r == NULL || (k < 2 && !nv->peer_rs[k]))
				continue;
			fprintf(g->f, "  \"%s\" -- \"%s\" [style=dashed, color=%s, "
			    "label=\"eBGP%s\"];\n", nv->node->name,
			    r->inst[k % 2]->name, session_color(g,
			    r->inst[k % 2]->name, nv->node->name),
			    nv->as_override ? "\\nas-override" : "");
		}
	}
	for (i = 0; i < t->nrss; i++)		/* RS-50: the platform's iBGP */
		for (k = 0; k < 2 * t->rss[i]->vnet->ngws; k++) {
			const struct topo_gw *gw = t->rss[i]->vnet->gws[k / 2];
			unsigned n;

			for (n = 0; n < gw->ninst; n++)
				fprintf(g->f, "  \"%s\" -- \"%s\" [style=dotted, "
				    "color=%s, label=\"iBGP\"];\n",
				    t->rss[i]->inst[k % 2]->name, gw->inst[n]->name,
				    session_color(g, t->rss[i]->inst[k % 2]->name,
				    gw->inst[n]->name));
		}
	for (i = 0; i < t->ngwlinks; i++)
		fprintf(g->f, "  \"%s\" -- \"%s\" [color=purple, label=\"%s%s\"];\n",
		    t->gwlinks[i]->a->name, t->gwlinks[i]->b->name,
		    gwlink_type(t->gwlinks[i]), t->gwlinks[i]->bgp ? "\\nBGP" : "");
	for (i = 0; i < t->nsitelinks; i++)
		fprintf(g->f, "  \"%s\" -- \"%s\" [color=sienna];\n",
		    t->sitelinks[i]->nva->node->name,
		    t->sitelinks[i]->site->router->name);
	for (i = 0; i < t->nsites; i++)
		for (k = 0; k < t->sites[i]->nhosts; k++)
			fprintf(g->f, "  \"%s\" -- \"%s\";\n",
			    t->sites[i]->router->name, t->sites[i]->hosts[k]->name);
}

static const char *
hop_name(const struct walk_hop *h)
{
	return h->node != NULL ? h->node->name : "internet";
}

/* Text inside a quoted dot string: quotes and backslashes escaped. */
static void
dot_text(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
}

static void
walk_label(struct graph *g)
{
	const struct walk *w = g->walk;

	fprintf(g->f, "  labelloc=t; fontname=\"Helvetica\";\n  label=\"walk ");
	dot_text(g->f, hop_name(&w->hop[0]));
	fputs(" -> ", g->f);
	dot_text(g->f, g->walk_dst);
	fprintf(g->f, " (predicted): %s", walk_outcome_str(w->outcome));
	if (w->detail[0] != '\0') {
		fputs("\\n", g->f);
		dot_text(g->f, w->detail);
	}
	fprintf(g->f, "\";\n");
}

/*
 * The walk on top of the picture: every node on it bold and red (a node
 * declared twice keeps both attribute lists), one arrow per hop, numbered;
 * the Internet edge, which has no node of its own, gets one here.
 */
static void
walk_edges(struct graph *g)
{
	const struct walk *w = g->walk;
	size_t i;

	for (i = 0; i < w->n; i++) {
		if (w->hop[i].node == NULL)
			fprintf(g->f, "  \"internet\" [shape=egg];\n");
		fprintf(g->f, "  \"%s\" [color=%s, penwidth=2.5, fontcolor=%s];\n",
		    hop_name(&w->hop[i]), WALK_COLOR, WALK_COLOR);
	}
	for (i = 1; i < w->n; i++)
		fprintf(g->f, "  \"%s\" -- \"%s\" [dir=forward, color=%s, "
		    "penwidth=2.5, style=bold, label=\"%zu%s\", fontcolor=%s, "
		    "constraint=false];\n", hop_name(&w->hop[i - 1]),
		    hop_name(&w->hop[i]), WALK_COLOR, i,
		    w->hop[i].ecmp ? " (ECMP)" : "", WALK_COLOR);
}

static void
write_dot(struct graph *g)
{
	const struct topo *t = g->t;
	size_t i, k;

	fprintf(g->f, "graph \"%s\" {\n  compound=true; rankdir=LR;\n"
	    "  node [fontname=\"Helvetica\", fontsize=10];\n"
	    "  edge [fontname=\"Helvetica\", fontsize=8];\n", t->name);
	if (g->walk != NULL)
		walk_label(g);
	for (i = 0; i < t->nregions; i++) {
		fprintf(g->f, "  subgraph \"cluster_region_%s\" {\n    label=\"%s\";\n"
		    "    style=rounded;\n", t->regions[i]->name, t->regions[i]->name);
		for (k = 0; k < t->nvnets; k++)
			if (t->vnets[k]->region == t->regions[i])
				vnet_cluster(g, t->vnets[k]);
		fprintf(g->f, "  }\n");
	}
	for (i = 0; i < t->nsites; i++) {
		const struct topo_site *s = t->sites[i];
		char p[PFX_STRLEN];

		fprintf(g->f, "  subgraph \"cluster_site_%s\" {\n    label=\"%s "
		    "(on-premises)", s->name, s->name);
		for (k = 0; k < s->nprefixes; k++)
			fprintf(g->f, "\\n%s", pfx_fmt(&s->prefixes[k], p));
		fprintf(g->f, "\";\n    style=filled; fillcolor=wheat;\n");
		node_line(g, s->router);
		for (k = 0; k < s->nhosts; k++)
			node_line(g, s->hosts[k]);
		fprintf(g->f, "  }\n");
	}
	edges(g);
	if (g->walk != NULL)
		walk_edges(g);
	fprintf(g->f, "}\n");
}

static int
to_svg(struct graph *g)
{
	int fd[2], st;
	pid_t pid;

	if (pipe(fd) == -1)
		return cli_err(CLI_ENV, "pipe failed");
	if ((pid = fork()) == 0) {
		dup2(fd[0], 0);
		close(fd[0]);
		close(fd[1]);
		execlp("dot", "dot", "-Tsvg", (char *)NULL);
		fprintf(stderr, "arsemu: graph --format svg needs Graphviz's dot "
		    "(apt-get install graphviz), or use --format dot\n");
		_exit(127);
	}
	close(fd[0]);
	if (pid == -1) {
		close(fd[1]);
		return cli_err(CLI_ENV, "fork failed");
	}
	if ((g->f = fdopen(fd[1], "w")) == NULL) {
		close(fd[1]);	/* dot reads end of file and fails */
		waitpid(pid, &st, 0);
		return cli_err(CLI_ENV, "fdopen failed");
	}
	write_dot(g);
	fclose(g->f);
	if (waitpid(pid, &st, 0) == -1)
		return cli_err(CLI_ENV, "waitpid failed");
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? CLI_OK : CLI_ENV;
}

/* --json: the same picture as data: nodes, VNets, edges, and the walk. */
static void
json_edge(struct json *j, const char *a, const char *b, const char *type,
    const char *state)
{
	json_obj_begin(j);
	json_kstr(j, "a", a);
	json_kstr(j, "b", b);
	json_kstr(j, "type", type);
	if (state != NULL)
		json_kstr(j, "state", state);
	json_obj_end(j);
}

static void
json_nodes(struct json *j, const struct topo *t)
{
	char ip[ADDR_STRLEN], p[PFX_STRLEN];
	size_t i, k;

	json_key(j, "vnets");
	json_arr_begin(j);
	for (i = 0; i < t->nvnets; i++) {
		json_obj_begin(j);
		json_kstr(j, "name", t->vnets[i]->name);
		json_kstr(j, "region", t->vnets[i]->region->name);
		json_kbool(j, "hub", t->vnets[i]->hub);
		json_key(j, "addressSpace");
		json_arr_begin(j);
		for (k = 0; k < t->vnets[i]->nspace; k++)
			json_str(j, pfx_fmt(&t->vnets[i]->space[k], p));
		json_arr_end(j);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_key(j, "nodes");
	json_arr_begin(j);
	for (i = 0; i < t->nnodes; i++) {
		const struct topo_node *n = t->nodes[i];
		uint32_t a = n->nic ? n->nic->ip : n->host_ip;

		json_obj_begin(j);
		json_kstr(j, "name", n->name);
		json_kstr(j, "kind", topo_kind_str(n->kind));
		if (n->nic != NULL)
			json_kstr(j, "vnet", n->nic->subnet->vnet->name);
		if (n->site != NULL)
			json_kstr(j, "site", n->site->name);
		json_kstr(j, "ip", a ? addr_fmt(a, ip) : NULL);
		if (n->nnics > 1)
			cli_json_nics(j, n);
		json_obj_end(j);
	}
	json_arr_end(j);
}

static void
json_edges(struct json *j, const struct graph *g)
{
	const struct topo *t = g->t;
	size_t i, k, n;

	json_key(j, "edges");
	json_arr_begin(j);
	for (i = 0; i < t->nvnets; i++)
		if (!t->vnets[i]->hub && t->vnets[i]->peer_hub != NULL)
			json_edge(j, t->vnets[i]->name, t->vnets[i]->peer_hub->name,
			    t->vnets[i]->region == t->vnets[i]->peer_hub->region ?
			    "peering" : "globalPeering", NULL);
	for (i = 0; i < t->nvnets; i++)		/* PE-06 */
		for (k = 0; k < t->vnets[i]->nxhubs; k++)
			json_edge(j, t->vnets[i]->name, t->vnets[i]->xhubs[k]->name,
			    t->vnets[i]->region == t->vnets[i]->xhubs[k]->region ?
			    "peering" : "globalPeering", NULL);
	for (i = 0; i < t->npeerings; i++)		/* PE-07 */
		json_edge(j, t->peerings[i]->vnet[0]->name,
		    t->peerings[i]->vnet[1]->name, t->peerings[i]->vnet[0]->region ==
		    t->peerings[i]->vnet[1]->region ? "peering" : "globalPeering",
		    NULL);
	for (i = 0; i < t->nnvas; i++) {
		const struct topo_nva *nv = t->nvas[i];
		const struct topo_rs *rs = nv->node->nic->subnet->vnet->rs;

		for (k = 0; k < 2 * (1 + nv->nxrs); k++) {
			const struct topo_rs *r = k < 2 ? rs : nv->xrs[k / 2 - 1];

			if (r == NULL || (k < 2 && !nv->peer_rs[k]))
				continue;
			json_edge(j, nv->node->name, r->inst[k % 2]->name, "eBGP",
			    session_state(g, r->inst[k % 2]->name,
			    nv->node->name));
		}
	}
	for (i = 0; i < t->nrss; i++)
		for (k = 0; k < 2 * t->rss[i]->vnet->ngws; k++)
			for (n = 0; n < t->rss[i]->vnet->gws[k / 2]->ninst; n++) {
				const char *rs = t->rss[i]->inst[k % 2]->name,
				    *gw = t->rss[i]->vnet->gws[k / 2]->inst[n]->name;

				json_edge(j, rs, gw, "iBGP", session_state(g, rs, gw));
			}
	for (i = 0; i < t->ngwlinks; i++)
		json_edge(j, t->gwlinks[i]->a->name, t->gwlinks[i]->b->name,
		    gwlink_type(t->gwlinks[i]), NULL);
	for (i = 0; i < t->nsitelinks; i++)
		json_edge(j, t->sitelinks[i]->nva->node->name,
		    t->sitelinks[i]->site->router->name, "siteLink", NULL);
	for (i = 0; i < t->nsites; i++)
		for (k = 0; k < t->sites[i]->nhosts; k++)
			json_edge(j, t->sites[i]->router->name,
			    t->sites[i]->hosts[k]->name, "lan", NULL);
	json_arr_end(j);
}

static void
write_json(const struct graph *g)
{
	struct json j;
	size_t i;

	json_init(&j, g->f);
	json_obj_begin(&j);
	json_kstr(&j, "lab", g->t->name);
	json_kbool(&j, "live", g->live);
	json_nodes(&j, g->t);
	json_edges(&j, g);
	if (g->walk != NULL) {
		json_key(&j, "walk");
		json_obj_begin(&j);
		json_kstr(&j, "outcome", walk_outcome_str(g->walk->outcome));
		json_kstr(&j, "detail", g->walk->detail);
		json_key(&j, "hops");
		json_arr_begin(&j);
		for (i = 0; i < g->walk->n; i++)
			json_str(&j, hop_name(&g->walk->hop[i]));
		json_arr_end(&j);
		json_obj_end(&j);
	}
	json_obj_end(&j);
	json_end(&j);
}

#define GRAPH_USAGE "usage: arsemu graph [LAB | TOPO] [--name LAB] " \
	"[--format dot|svg|json] [--json] [--walk SRC DST]"

struct gargs {
	struct cli	 c;		/* what cli_topo() reads: argv, name */
	const char	*walk[2];	/* SRC, DST */
};

static int
parse_args(struct cli *in, struct gargs *a)
{
	int i;

	memset(a, 0, sizeof(*a));
	a->c.argv = in->argv;	/* positional ones are moved to the front */
	for (i = 0; i < in->argc; i++) {
		const char *s = in->argv[i];

		if (strcmp(s, "--walk") == 0) {
			if (i + 2 >= in->argc)
				return cli_err(CLI_USAGE, "--walk needs SRC and DST");
			a->walk[0] = in->argv[++i];
			a->walk[1] = in->argv[++i];
		} else if (strcmp(s, "--format") == 0 || strcmp(s, "--name") == 0) {
			if (i + 1 >= in->argc)
				return cli_err(CLI_USAGE, "%s needs a value", s);
			if (s[2] == 'f')
				a->c.format = in->argv[++i];
			else if (cli_lab_name(s, in->argv[++i]) != 0)
				return CLI_USAGE;
			else
				a->c.name = in->argv[i];
		} else if (strcmp(s, "--json") == 0)
			a->c.format = "json";
		else if (s[0] == '-' && s[1] != '\0')
			return cli_err(CLI_USAGE, "unknown option %s", s);
		else
			a->c.argv[a->c.argc++] = in->argv[i];
	}
	return 0;
}

/*
 * A node's name, or an address a node owns, or (a destination) an NVA's
 * extra NIC by name (NV-01). NULL after a message.
 */
static const struct topo_node *
walk_end(const struct topo *t, const char *s, uint32_t *ip, bool src)
{
	const struct topo_node *n;
	const struct topo_nic *nic;

	if (!src && strcmp(s, "internet") == 0) {
		*ip = WALK_INTERNET_IP;
		return NULL;
	}
	if (!src && strchr(s, '/') != NULL && (nic = topo_nic_find(t, s)) != NULL) {
		*ip = nic->ip;
		return nic->node;
	}
	if (addr_parse(s, ip) == 0) {
		if ((n = walk_owner(t, *ip)) == NULL && src)
			cli_err(CLI_USAGE, "--walk: no node has the address %s", s);
		return n;
	}
	if ((n = topo_node_find(t, s)) == NULL || (*ip = walk_node_ip(n)) == 0) {
		cli_err(CLI_USAGE, "--walk: %s %s", s, n ? "has no address" :
		    "is no node");
		*ip = 0;
		return NULL;
	}
	return n;
}

struct wenv {
	const struct topo	*t;
	struct plan		 plan;
	struct sdn_table	*tabs;
	bool			*have;
};

static const struct sdn_table *
plan_table(void *arg, const struct topo_nic *nic)
{
	struct wenv *e = arg;

	if (!e->have[nic->idx]) {
		sdn_effective(e->t, &e->plan.in, nic, &e->tabs[nic->idx]);
		e->have[nic->idx] = true;
	}
	return &e->tabs[nic->idx];
}

/* The offline prediction, as `arsemu walk --offline SRC DST` makes it. */
static int
predict(const struct topo *t, const char *const sd[2], struct walk *w)
{
	struct walk_pkt pkt = { .proto = WALK_ICMP };
	const struct topo_node *src;
	struct wenv e = { .t = t };
	struct walk_env env = { t, plan_table, NULL, NULL, &e, &e.plan.in, NULL };
	size_t i;

	if ((src = walk_end(t, sd[0], &pkt.src, true)) == NULL)
		return CLI_USAGE;
	(void)walk_end(t, sd[1], &pkt.dst, false);
	if (pkt.dst == 0)
		return CLI_USAGE;
	e.tabs = xcalloc(t->nnics + 1, sizeof(*e.tabs));
	e.have = xcalloc(t->nnics + 1, sizeof(*e.have));
	plan_run(t, &e.plan);
	walk_predict(&env, src, &pkt, 0, w);
	for (i = 0; i < t->nnics; i++)
		if (e.have[i])
			sdn_table_free(&e.tabs[i]);
	free(e.tabs);
	free(e.have);
	plan_free(&e.plan);
	return CLI_OK;
}

int
cmd_graph(struct cli *in)
{
	struct graph g = { 0 };
	struct gargs a;
	struct walk w;
	struct topo *t;
	const char *lab = NULL, *fmt;
	int rc;

	if ((rc = parse_args(in, &a)) != 0)
		return rc;
	fmt = a.c.format ? a.c.format : "dot";
	if (a.c.argc > 1)
		return cli_err(CLI_USAGE, GRAPH_USAGE);
	if (strcmp(fmt, "dot") != 0 && strcmp(fmt, "svg") != 0 &&
	    strcmp(fmt, "json") != 0)
		return cli_err(CLI_USAGE, "--format is dot, svg or json");
	if ((t = cli_topo(&a.c, &lab, &rc)) == NULL)
		return rc;
	g.t = t;
	if (a.walk[0] != NULL) {
		if ((rc = predict(t, a.walk, &w)) != CLI_OK) {
			topo_free(t);
			return rc;
		}
		g.walk = &w;
		g.walk_dst = a.walk[1];
	}
	if (lab != NULL) {
		load_sessions(&g, lab);
		g.live = true;
	}
	g.f = stdout;
	if (strcmp(fmt, "svg") == 0)
		rc = to_svg(&g);
	else if (strcmp(fmt, "json") == 0) {
		write_json(&g);
		rc = CLI_OK;
	} else {
		write_dot(&g);
		rc = CLI_OK;
	}
	free(g.s);
	topo_free(t);
	return rc;
}
