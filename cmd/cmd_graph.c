/*
 * cmd_graph: the topology as a Graphviz picture, `arsemu graph [LAB|TOPO]
 * [--format dot|svg]`. Regions are clusters, VNets clusters inside them
 * (hubs and spokes), then the NVAs, Route Server instances and VMs; sites
 * are clusters of their own. Edges: VNet peerings, site links, and the BGP
 * sessions between NVAs and Route Server instances, coloured by their state
 * when a lab is running (green Established, red anything else, grey when
 * the picture comes from a file).
 */
#include <sys/stat.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../emu/emu.h"
#include "../emu/lab.h"
#include "../lib/ctlc.h"
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
};

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

	switch (n->kind) {
	case TOPO_RS:
		fprintf(g->f, "      \"%s\" [shape=hexagon, style=filled, "
		    "fillcolor=lightyellow, label=\"%s\\n%s\\nAS 65515\"];\n",
		    n->name, n->name, addr_fmt(n->nic->ip, ip));
		break;
	case TOPO_NVA:
		fprintf(g->f, "      \"%s\" [shape=box3d, style=filled, "
		    "fillcolor=orange, label=\"%s\\n%s\\nAS %u%s\"];\n", n->name,
		    n->name, addr_fmt(n->nic->ip, ip), n->nva->asn,
		    n->nva->prepend ? " (prepend)" : "");
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
	}
	for (i = 0; i < t->nnvas; i++) {
		const struct topo_nva *nv = t->nvas[i];
		const struct topo_rs *rs = nv->node->nic->subnet->vnet->rs;

		for (k = 0; rs != NULL && k < 2; k++)
			if (nv->peer_rs[k])
				fprintf(g->f, "  \"%s\" -- \"%s\" [style=dashed, color=%s, "
				    "label=\"eBGP\"];\n", nv->node->name,
				    rs->inst[k]->name, session_color(g,
				    rs->inst[k]->name, nv->node->name));
	}
	for (i = 0; i < t->nsitelinks; i++)
		fprintf(g->f, "  \"%s\" -- \"%s\" [color=sienna];\n",
		    t->sitelinks[i]->nva->node->name,
		    t->sitelinks[i]->site->router->name);
	for (i = 0; i < t->nsites; i++)
		for (k = 0; k < t->sites[i]->nhosts; k++)
			fprintf(g->f, "  \"%s\" -- \"%s\";\n",
			    t->sites[i]->router->name, t->sites[i]->hosts[k]->name);
}

static void
write_dot(struct graph *g)
{
	const struct topo *t = g->t;
	size_t i, k;

	fprintf(g->f, "graph \"%s\" {\n  compound=true; rankdir=LR;\n"
	    "  node [fontname=\"Helvetica\", fontsize=10];\n"
	    "  edge [fontname=\"Helvetica\", fontsize=8];\n", t->name);
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
	g->f = fdopen(fd[1], "w");
	write_dot(g);
	fclose(g->f);
	waitpid(pid, &st, 0);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? CLI_OK : CLI_ENV;
}

int
cmd_graph(struct cli *c)
{
	struct graph g = { 0 };
	struct topo *t;
	const char *lab = NULL, *fmt = c->format ? c->format : "dot";
	int rc;

	if (c->argc > 1)
		return cli_err(CLI_USAGE, "usage: arsemu graph [LAB | TOPO] "
		    "[--format dot|svg]");
	if (strcmp(fmt, "dot") != 0 && strcmp(fmt, "svg") != 0)
		return cli_err(CLI_USAGE, "--format is dot or svg");
	if ((t = cli_topo(c, &lab, &rc)) == NULL)
		return rc;
	g.t = t;
	if (lab != NULL) {
		load_sessions(&g, lab);
		g.live = true;
	}
	g.f = stdout;
	if (strcmp(fmt, "svg") == 0)
		rc = to_svg(&g);
	else {
		write_dot(&g);
		rc = CLI_OK;
	}
	free(g.s);
	topo_free(t);
	return rc;
}
