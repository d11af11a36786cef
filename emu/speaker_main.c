/*
 * speaker_main: the process `arsemu _speaker LAB NODE`, started by the lab
 * daemon inside the node's namespace. Loads the lab's saved topology, builds
 * the node's BGP configuration and runs the speaker.
 *
 * A built-in NVA installs what it learns into its own namespace's main table
 * (the bgp/ fib_ops seam, netlink here): metric 20 so that the static routes
 * the lab builder made (default route, site prefixes) keep precedence, and
 * every next hop "onlink" on eth0, since in Azure whatever the next hop, the
 * packet leaves through the NIC into the SDN, which applies that NIC's
 * effective routes. eth0 is the primary NIC, the one its sessions use; an
 * NVA's extra NICs (eth1...) get none of these routes (NV-05). Route
 * Server instances install nothing: the lab daemon watches their control
 * socket instead (RS is never in the data path, RS-23).
 * Gateway instances, MSEEs and site edges install theirs the same way, but
 * onlink on the gateway link ("l<idx>") that reaches the next hop; the
 * daemon also watches gateway instances, for the VMs' effective routes. A
 * gateway installs only what it learned over its links (see fib_change).
 *
 * Once the configuration is built, the topology is freed (1.5 MiB of
 * examples/azure-limits.json in each speaker, for its lifetime): what the
 * FIB needs of it, the node's gateway links, is copied first.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "model/bgpconf.h"
#include "daemon.h"
#include "lab.h"
#include "nl.h"

#define NVA_BGP_METRIC	20
#define NVA_UPLINK	"eth0"

/* A gateway link of the node: the far end's link and BGP addresses. */
struct fib_link {
	uint32_t	ip[2];
	unsigned	idx;		/* the link is "l<idx>" */
};

struct fib_nl {
	struct nl		*nl;
	int			 ifindex;	/* eth0; -1 off the fabric */
	unsigned		 pending;
	bool			 gw;		/* a gateway instance (RS-50) */
	struct fib_link		*links;		/* in t->gwlinks' order */
	size_t			 nlinks;
};

/* The node's gateway links, as lab_gwlink_to would find them. */
static void
fib_links(struct fib_nl *f, const struct topo *t, const struct topo_node *n)
{
	const struct topo_gwlink *l;
	size_t i;

	f->links = xcalloc(t->ngwlinks + 1, sizeof(*f->links));
	for (i = 0; i < t->ngwlinks; i++) {
		l = t->gwlinks[i];
		if (l->a == n)
			f->links[f->nlinks++] = (struct fib_link){
			    { l->b_ip, topo_bgp_addr(t, l->b) }, l->idx };
		else if (l->b == n)
			f->links[f->nlinks++] = (struct fib_link){
			    { l->a_ip, topo_bgp_addr(t, l->a) }, l->idx };
	}
}

/* The gateway link whose far end is nh (lab_gwlink_to), or NULL. */
static const struct fib_link *
fib_link_to(const struct fib_nl *f, uint32_t nh)
{
	size_t i;

	for (i = 0; i < f->nlinks; i++)
		if (f->links[i].ip[0] == nh || f->links[i].ip[1] == nh)
			return &f->links[i];
	return NULL;
}

/* The interface towards next hop nh; 0 if none (the route is skipped). */
static int
fib_dev(struct fib_nl *f, uint32_t nh)
{
	const struct fib_link *l;
	char name[16];

	if ((l = fib_link_to(f, nh)) != NULL) {
		snprintf(name, sizeof(name), "l%u", l->idx);
		return nl_link_index(f->nl, name) > 0 ?
		    nl_link_index(f->nl, name) : 0;
	}
	return f->ifindex > 0 ? f->ifindex : 0;
}

static void
fib_route(struct fib_nl *f, const struct pfx4 *p, struct nl_route *r)
{
	memset(r, 0, sizeof(*r));
	r->table = RT_TABLE_MAIN;
	r->dst = *p;
	r->type = NL_RT_UNICAST;
	r->protocol = RTPROT_ARSEMU;
	r->metric = NVA_BGP_METRIC;
	(void)f;
}

static void
fib_change(void *arg, const struct pfx4 *p, const uint32_t *nh, unsigned nnh,
    unsigned hops)
{
	struct fib_nl *f = arg;
	struct nl_route r;
	unsigned i;

	(void)hops;
	if (f->pending++ == 0)
		nl_batch_begin(f->nl);
	fib_route(f, p, &r);
	if (nnh == 0) {
		nl_route_del(f->nl, &r);
		return;
	}
	for (i = 0; i < nnh && r.nnh < NL_MAX_NH; i++) {
		struct nl_nh *x = &r.nh[r.nnh];

		/*
		 * RS-50: what a gateway learns from its Route Server (an
		 * NVA's next hop in the VNet) stays out of its kernel: its
		 * default route sends that traffic into the fabric, where its
		 * NIC's effective routes carry it, as Azure's SDN does.
		 */
		if (f->gw && fib_link_to(f, nh[i]) == NULL)
			continue;
		if ((x->ifindex = fib_dev(f, nh[i])) == 0)
			continue;
		x->gw = nh[i];
		x->onlink = true;
		x->weight = 1;
		r.nnh++;
	}
	if (r.nnh == 0)
		nl_route_del(f->nl, &r);
	else
		nl_route_replace(f->nl, &r);
}

static void
fib_flush(void *arg)
{
	struct fib_nl *f = arg;

	if (f->pending == 0)
		return;
	f->pending = 0;
	if (nl_batch_commit(f->nl) != 0)
		fprintf(stderr, "fib: %s\n", nl_errmsg(f->nl));
}

/* Remove what an earlier run of this speaker left in the FIB. */
static void
fib_clear(struct fib_nl *f)
{
	struct nl_route *v;
	size_t n, i;

	if (nl_route_dump(f->nl, RT_TABLE_MAIN, RTPROT_ARSEMU, &v, &n) != 0)
		return;
	nl_batch_begin(f->nl);
	for (i = 0; i < n; i++)
		nl_route_del(f->nl, &v[i]);
	(void)nl_batch_commit(f->nl);
	free(v);
}

int
emu_speaker_main(const char *lab, const char *node)
{
	char dir[256], file[300], sock[300];
	struct bgp_fib_ops ops;
	struct fib_nl f = { 0 };
	struct topo_err err;
	struct bgp_conf c;
	struct topo *t;
	const struct topo_node *n;
	int rc;

	snprintf(file, sizeof(file), "%s/topology.json", lab_dir(lab, dir, sizeof(dir)));
	if (topo_load_file(file, &t, &err) == -1) {
		fprintf(stderr, "%s: %s: %s\n", file, err.path, err.msg);
		return 2;
	}
	if ((n = topo_node_find(t, node)) == NULL ||
	    emu_bgp_conf(t, n, emu_speaker_sock(lab, node, sock, sizeof(sock)),
	    &c) == -1) {
		fprintf(stderr, "%s: no BGP speaker on node %s\n", file, node);
		topo_free(t);
		return 2;
	}
	f.gw = n->kind == TOPO_GW;
	fib_links(&f, t, n);
	if (n->kind != TOPO_RS) {
		f.ifindex = -1;
		if ((f.nl = nl_open(-1)) == NULL || (n->nic != NULL &&
		    (f.ifindex = nl_link_index(f.nl, NVA_UPLINK)) < 0)) {
			fprintf(stderr, "%s: no netlink or no %s\n", node, NVA_UPLINK);
			emu_bgp_conf_free(&c);
			free(f.links);
			topo_free(t);
			return 3;
		}
		fib_clear(&f);
		ops = (struct bgp_fib_ops){ fib_change, fib_flush, &f };
		c.fib = &ops;
	}
	/* the conf and f hold copies of all they need: n is gone from here */
	topo_free(t);
	malloc_trim(0);
	rc = bgp_speaker_run(&c) == 0 ? 0 : 3;
	if (f.nl != NULL)
		nl_close(f.nl);
	emu_bgp_conf_free(&c);
	free(f.links);
	return rc;
}
