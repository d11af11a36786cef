/*
 * topo: the module's entry points. Loads a topology (read the file, let cJSON
 * parse it, then run the passes of topo_int.h), frees it, and answers the
 * small lookups the rest of arsemu needs.
 *
 * Must not: log, print, or keep state between calls; the only I/O is
 * reading the topology file (and finding the NVA daemon config files it
 * names, relative to it).
 */
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "../lib/util.h"
#include "topo_int.h"

/* Path and message are escaped (str_escape): both may quote the input. */
int
topo_fail(struct tctx *c, const char *path, const char *fmt, ...)
{
	char msg[sizeof(c->err->msg)];
	va_list ap;

	topo_pos_path(c->text, c->len, path, &c->err->line, &c->err->col);
	str_escape(c->err->path, sizeof(c->err->path), path);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	str_escape(c->err->msg, sizeof(c->err->msg), msg);
	return -1;
}

char *
topo_path_key(char *buf, const char *base, const char *key)
{
	/* A path longer than topo_err.path is cut; it still names the spot. */
	if (snprintf(buf, TOPO_PATH_MAX, "%s%s%s", base, *base ? "." : "",
	    key) >= TOPO_PATH_MAX)
		buf[TOPO_PATH_MAX - 1] = '\0';
	return buf;
}

char *
topo_path_idx(char *buf, const char *base, size_t i)
{
	if (snprintf(buf, TOPO_PATH_MAX, "%s[%zu]", base, i) >= TOPO_PATH_MAX)
		buf[TOPO_PATH_MAX - 1] = '\0';
	return buf;
}

/*
 * Doubling, so that n pushes cost O(n): growing by one element copied
 * the node array at every VM of a large topology. The capacity is what
 * the allocator says the block holds, so an array allocated elsewhere
 * (topo_layout's) may be pushed onto too.
 */
void
topo_push(void *arrp, size_t *n, void *item)
{
	void ***arr = arrp;

	if (*arr == NULL || malloc_usable_size(*arr) < (*n + 1) * sizeof(**arr))
		*arr = xrealloc(*arr, 2 * (*n + 1) * sizeof(**arr));
	(*arr)[(*n)++] = item;
}

char *
topo_node_name_path(char *buf, const struct topo_node *n)
{
	static const char rs_suffix[] = ".route_server";
	size_t len = strlen(n->jpath);

	if (n->kind == TOPO_RS && len >= sizeof(rs_suffix) - 1) {
		/* "<hub>-rs0" is made from the hub's name. */
		snprintf(buf, TOPO_PATH_MAX, "%.*s.name",
		    (int)(len - (sizeof(rs_suffix) - 1)), n->jpath);
		return buf;
	}
	return topo_path_key(buf, n->jpath, "name");
}

int
topo_load_string(const char *json, size_t len, struct topo **out,
    struct topo_err *err)
{
	struct tctx c = { .text = json, .len = len, .err = err };
	cJSON *root;

	*out = NULL;
	memset(err, 0, sizeof(*err));
	if ((root = topo_json_parse(&c)) == NULL)
		return -1;
	c.t = xcalloc(1, sizeof(*c.t));
	/* Validate before layout: t->nodes is still in file order then. */
	if (topo_parse(&c, root) == -1 || topo_validate(&c) == -1 ||
	    topo_layout(&c) == -1 || topo_address(&c) == -1 ||
	    topo_lb_check(&c) == -1)
		goto fail;
	topo_summaries(c.t);
	cJSON_Delete(root);
	*out = c.t;
	return 0;
fail:
	cJSON_Delete(root);
	topo_free(c.t);
	return -1;
}

/*
 * An NVA daemon's "config": relative to the topology file's directory, made
 * absolute, and readable now, or the load fails naming its JSON path.
 */
static int
find_configs(struct topo *t, const char *file, const char *text, size_t len,
    struct topo_err *err)
{
	char dir[PATH_MAX], *slash;
	size_t i;

	snprintf(dir, sizeof(dir), "%s", file);
	if ((slash = strrchr(dir, '/')) != NULL)
		*(slash == dir ? slash + 1 : slash) = '\0';
	else
		snprintf(dir, sizeof(dir), ".");
	for (i = 0; i < t->nnvas; i++) {
		struct topo_nva *v = t->nvas[i];
		char abs[PATH_MAX], *p;

		if (v->daemon_config == NULL)
			continue;
		p = v->daemon_config[0] == '/' ? xstrdup(v->daemon_config) :
		    xasprintf("%s/%s", dir, v->daemon_config);
		if (access(p, R_OK) == -1 || realpath(p, abs) == NULL) {
			struct tctx c = { .text = text, .len = len, .t = t,
			    .err = err };
			char jp[TOPO_PATH_MAX];

			snprintf(jp, sizeof(jp), "%s.daemon.config",
			    v->node->jpath);
			topo_fail(&c, jp, "cannot read %s: %s", p,
			    strerror(errno));
			free(p);
			return -1;
		}
		free(p);
		v->daemon_config_path = xstrdup(abs);
	}
	return 0;
}

int
topo_load_file(const char *file, struct topo **out, struct topo_err *err)
{
	char *text;
	size_t len;
	int rc;

	*out = NULL;
	memset(err, 0, sizeof(*err));
	if (topo_read_file(file, &text, &len, err) == -1)
		return -1;
	rc = topo_load_string(text, len, out, err);
	if (rc == 0 && find_configs(*out, file, text, len, err) == -1) {
		topo_free(*out);
		*out = NULL;
		rc = -1;
	}
	free(text);
	return rc;
}

static void
free_vnet(struct topo_vnet *v)
{
	size_t i;

	for (i = 0; i < v->nsubnets; i++) {
		free(v->subnets[i]->name);
		free(v->subnets[i]);
	}
	free(v->subnets);
	free(v->space);
	free(v->spokes);
	free(v->gws);
	free(v->hub_peers);
	free(v->xhubs);
	free(v->xspokes);
	free(v->vpeers);
	free(v->summarised);
	free(v->lbs);
	free(v->rs);
	free(v->name);
	free(v->jpath);
	free(v);
}

static void
free_node(struct topo_node *n)
{
	size_t i;

	for (i = 0; i < n->nnics; i++) {
		free(n->nics[i]->name);
		free(n->nics[i]->jpath);
		free(n->nics[i]->routes);
		free(n->nics[i]);
	}
	free(n->nics);
	if (n->nva != NULL) {
		for (i = 0; n->nva->advpol != NULL && i < n->nva->nadvertise;
		    i++)
			free(n->nva->advpol[i].comm);
		free(n->nva->advpol);
		free(n->nva->advertise);
		free(n->nva->communities);
		free(n->nva->xrs);
		free(n->nva->md5);
		for (i = 0; i < n->nva->nfilters; i++)
			free(n->nva->filters[i].jpath);
		free(n->nva->filters);
		free(n->nva->daemon_config);
		free(n->nva->daemon_config_path);
		free(n->nva);
	}
	free(n->name);
	free(n->jpath);
	free(n);
}

static void
free_rt(struct topo_route_table *rt)
{
	size_t i;

	for (i = 0; i < rt->nroutes; i++)
		free(rt->routes[i].name);
	free(rt->routes);
	free(rt->subnets);
	free(rt->name);
	free(rt->jpath);
	free(rt);
}

static void
free_gw(struct topo_gw *gw)
{
	size_t i;

	for (i = 0; i < gw->nconns; i++) {
		free(gw->conns[i]->site_name);
		free(gw->conns[i]->circuit);
		free(gw->conns[i]->jpath);
		free(gw->conns[i]);
	}
	free(gw->conns);
	free(gw->name);
	free(gw->jpath);
	free(gw);
}

static void
free_site(struct topo_site *s)
{
	free(s->name);
	free(s->prefixes);
	free(s->hosts);
	free(s->links);
	free(s->conns);
	free(s);
}

/*
 * Ownership: regions, vnets, nodes, sites and sitelinks are owned by their
 * arrays in struct topo; a vnet owns its subnets and RS; a node owns its NIC
 * and NVA; route tables and warnings are owned by their arrays. nics, nvas
 * and rss are indexes only.
 */
void
topo_free(struct topo *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nregions; i++) {
		free(t->regions[i]->name);
		free(t->regions[i]);
	}
	for (i = 0; i < t->nvnets; i++)
		free_vnet(t->vnets[i]);
	for (i = 0; i < t->nnodes; i++)
		free_node(t->nodes[i]);
	for (i = 0; i < t->nsites; i++)
		free_site(t->sites[i]);
	for (i = 0; i < t->nsitelinks; i++)
		free(t->sitelinks[i]);
	for (i = 0; i < t->ngwlinks; i++)
		free(t->gwlinks[i]);
	for (i = 0; i < t->ngws; i++)
		free_gw(t->gws[i]);
	free(t->gwlinks);
	free(t->gws);
	for (i = 0; i < t->nrts; i++)
		free_rt(t->rts[i]);
	for (i = 0; i < t->nwarnings; i++)
		free(t->warnings[i]);
	free(t->rts);
	for (i = 0; i < t->nnsgs; i++)
		topo_nsg_free(t->nsgs[i]);
	free(t->nsgs);
	for (i = 0; i < t->npeerings; i++) {
		free(t->peerings[i]->jpath[0]);
		free(t->peerings[i]->jpath[1]);
		free(t->peerings[i]);
	}
	free(t->peerings);
	for (i = 0; i < t->nlbs; i++)
		topo_lb_free(t->lbs[i]);
	free(t->lbs);
	free(t->warnings);
	free(t->regions);
	free(t->vnets);
	free(t->nodes);
	free(t->nics);
	free(t->nics_by_ip);
	free(t->nvas);
	free(t->rss);
	free(t->sites);
	free(t->sitelinks);
	free(t->name);
	free(t->description);
	free(t);
}

bool
topo_name_ok(const char *name)
{
	size_t i;

	if (name == NULL || name[0] == '\0' || name[0] == '-')
		return false;
	for (i = 0; name[i] != '\0'; i++) {
		if (i >= TOPO_NAME_MAX)
			return false;
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		    (name[i] >= '0' && name[i] <= '9') || name[i] == '-'))
			return false;
	}
	return true;
}

int
topo_set_name(struct topo *t, const char *name, struct topo_err *err)
{
	struct tctx c = { .t = t, .err = err };

	memset(err, 0, sizeof(*err));
	if (!topo_name_ok(name))
		return topo_fail(&c, "name", "lab name \"%.64s\" is not "
		    "allowed: use 1 to %d characters of a-z, 0-9 and '-', not "
		    "starting with '-'", name ? name : "", TOPO_NAME_MAX);
	free(t->name);
	t->name = xstrdup(name);
	return 0;
}

struct topo_nic *
topo_nic_find(const struct topo *t, const char *name)
{
	const char *slash = strchr(name, '/');
	char node[TOPO_NAME_MAX + 1];
	struct topo_node *n;
	size_t i, len = slash ? (size_t)(slash - name) : strlen(name);

	if (len > TOPO_NAME_MAX)
		return NULL;
	memcpy(node, name, len);
	node[len] = '\0';
	if ((n = topo_node_find(t, node)) == NULL)
		return NULL;
	for (i = 0; i < n->nnics; i++)
		if (strcmp(n->nics[i]->name, name) == 0)
			return n->nics[i];
	return NULL;
}

const struct topo_nic *
topo_node_egress(const struct topo_node *n, uint32_t dst)
{
	return topo_node_egress_len(n, dst, NULL);
}

const struct topo_nic *
topo_node_egress_len(const struct topo_node *n, uint32_t dst, int *len)
{
	const struct topo_nic *best = n->nic;
	int blen = -1;
	size_t i, k;

	/* the longest of each NIC's subnet (connected) and routes */
	for (i = 0; i < n->nnics; i++) {
		const struct topo_nic *nic = n->nics[i];

		for (k = 0; k <= nic->nroutes; k++) {
			const struct pfx4 *p = k == 0 ? &nic->subnet->pfx :
			    &nic->routes[k - 1];

			if (pfx_contains_addr(p, dst) && (int)p->len > blen) {
				best = nic;
				blen = p->len;
			}
		}
	}
	if (len != NULL)
		*len = blen;
	return best;
}

bool
topo_node_forwards(const struct topo_node *n)
{
	size_t i;

	for (i = 0; i < n->nnics; i++)
		if (n->nics[i]->ip_forwarding)
			return true;
	return false;
}

struct topo_node *
topo_node_find(const struct topo *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nnodes; i++)
		if (strcmp(t->nodes[i]->name, name) == 0)
			return t->nodes[i];
	return NULL;
}

struct topo_nic *
topo_nic_by_ip(const struct topo *t, uint32_t ip)
{
	size_t i, lo = 0, hi = t->nnics;

	if (t->nics_by_ip == NULL) {
		for (i = 0; i < t->nnics; i++)
			if (t->nics[i]->ip == ip)
				return t->nics[i];
		return NULL;
	}
	/* the lowest index holding ip, as the walk above would find */
	while (lo < hi) {
		i = lo + (hi - lo) / 2;
		if (t->nics_by_ip[i]->ip < ip)
			lo = i + 1;
		else
			hi = i;
	}
	return lo < t->nnics && t->nics_by_ip[lo]->ip == ip ?
	    t->nics_by_ip[lo] : NULL;
}

struct dup_sort {
	const char	*base;
	size_t		 sz;
	int		(*cmp)(const void *, const void *);
};

static int
dup_cmp(const void *a, const void *b, void *arg)
{
	const struct dup_sort *d = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	int c = d->cmp(d->base + i * d->sz, d->base + j * d->sz);

	if (c != 0)
		return c;
	return i < j ? -1 : i > j;
}

size_t
topo_first_dup(const void *base, size_t n, size_t sz,
    int (*cmp)(const void *, const void *), size_t *first)
{
	struct dup_sort d = { base, sz, cmp };
	size_t *idx, i, best = n;

	if (n < 2)
		return n;
	idx = xcalloc(n, sizeof(*idx));
	for (i = 0; i < n; i++)
		idx[i] = i;
	qsort_r(idx, n, sizeof(*idx), dup_cmp, &d);
	/* in each run of equals, sorted by index: its first and second */
	for (i = 1; i < n; i++)
		if (cmp(d.base + idx[i - 1] * sz, d.base + idx[i] * sz) == 0 &&
		    (i < 2 || cmp(d.base + idx[i - 2] * sz,
		    d.base + idx[i - 1] * sz) != 0) && idx[i] < best) {
			best = idx[i];
			*first = idx[i - 1];
		}
	free(idx);
	return best;
}

struct topo_vnet *
topo_vnet_find(const struct topo *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nvnets; i++)
		if (strcmp(t->vnets[i]->name, name) == 0)
			return t->vnets[i];
	return NULL;
}

struct topo_subnet *
topo_subnet_find(const struct topo_vnet *v, const char *name)
{
	size_t i;

	for (i = 0; i < v->nsubnets; i++)
		if (strcmp(v->subnets[i]->name, name) == 0)
			return v->subnets[i];
	return NULL;
}

struct topo_subnet *
topo_subnet_ref(const struct topo *t, const char *ref)
{
	const char *slash = strchr(ref, '/');
	char vname[TOPO_AZNAME_MAX + 1];
	struct topo_vnet *v;

	if (slash == NULL || (size_t)(slash - ref) >= sizeof(vname))
		return NULL;
	memcpy(vname, ref, (size_t)(slash - ref));
	vname[slash - ref] = '\0';
	if ((v = topo_vnet_find(t, vname)) == NULL)
		return NULL;
	return topo_subnet_find(v, slash + 1);
}

const char *
topo_subnet_no_nsg(const char *name)
{
	if (strcmp(name, "RouteServerSubnet") == 0)
		return "RS-03";
	if (strcmp(name, "GatewaySubnet") == 0 ||
	    strcmp(name, "AzureFirewallSubnet") == 0)
		return "NS-05";
	return NULL;
}

/* Owns: which VNet's gateways and Route Server v uses (PE-03). */
const struct topo_vnet *
topo_remote_gateway_vnet(const struct topo_vnet *v)
{
	const struct topo_peering *pe;
	const struct topo_vnet *h = v->peer_hub;
	unsigned s;
	size_t i;

	if (h != NULL && v->use_remote_gateways && h->allow_gateway_transit)
		return h;
	for (i = 0; i < v->nvpeers; i++) {
		pe = v->vpeers[i];
		s = pe->vnet[0] == v ? 0 : 1;
		if (pe->use_remote_gateways[s] &&
		    pe->allow_gateway_transit[1 - s])
			return pe->vnet[1 - s];
	}
	return NULL;
}

const struct topo_vnet *
topo_gateway_vnet(const struct topo_vnet *v)
{
	const struct topo_vnet *h = topo_remote_gateway_vnet(v);

	if (v->ngws > 0)
		return v;
	if (h != NULL && h->ngws > 0)
		return h;
	return NULL;
}

/* Whether a site prefix contains or equals p (VR-15). */
static bool
site_covers(const struct topo *t, const struct pfx4 *p)
{
	size_t i, k;

	for (i = 0; i < t->nsites; i++)
		for (k = 0; k < t->sites[i]->nprefixes; k++)
			if (pfx_contains(&t->sites[i]->prefixes[k], p))
				return true;
	return false;
}

/* One VNet's summarised prefixes; covered[j][k]: site_covers of vnets[j]'s k-th. */
static void
vnet_summaries(struct topo *t, struct topo_vnet *v, bool *const *covered)
{
	const struct topo_vnet *w;
	size_t j, k, cap = 0;

	for (j = 0; j < t->nvnets; j++) {
		w = t->vnets[j];
		if (w != v && !topo_vnets_peered(v, w))
			continue;
		for (k = 0; k < w->nspace; k++)
			if (covered[j][k]) {
				xgrow(&v->summarised, &cap, v->nsummarised + 1,
				    sizeof(*v->summarised));
				v->summarised[v->nsummarised++] = w->space[k];
			}
	}
}

/*
 * Owns: VR-15's prefixes of every VNet, once: each VNet's space prefixes a
 * site prefix covers, then, per VNet, those of itself and its peers.
 */
void
topo_summaries(struct topo *t)
{
	bool **covered;
	size_t i, k;

	for (i = 0; i < t->nvnets; i++) {
		free(t->vnets[i]->summarised);
		t->vnets[i]->summarised = NULL;
		t->vnets[i]->nsummarised = 0;
	}
	if (t->nsites == 0)
		return;
	covered = xcalloc(t->nvnets + 1, sizeof(*covered));
	for (i = 0; i < t->nvnets; i++) {
		covered[i] = xcalloc(t->vnets[i]->nspace + 1, sizeof(**covered));
		for (k = 0; k < t->vnets[i]->nspace; k++)
			covered[i][k] = site_covers(t, &t->vnets[i]->space[k]);
	}
	for (i = 0; i < t->nvnets; i++)
		vnet_summaries(t, t->vnets[i], covered);
	for (i = 0; i < t->nvnets; i++)
		free(covered[i]);
	free(covered);
}

const struct pfx4 *
topo_vnet_summarised(const struct topo *t, const struct topo_vnet *v,
    size_t i)
{
	return i < v->nsummarised ? &v->summarised[i] : NULL;
}

bool
topo_vnet_in_summary(const struct topo *t, const struct topo_vnet *v,
    uint32_t dst)
{
	size_t i;

	for (i = 0; i < v->nsummarised; i++)
		if (pfx_contains_addr(&v->summarised[i], dst))
			return true;
	return false;
}

bool
topo_vnet_prefix(const struct topo *t, const struct pfx4 *p)
{
	size_t i, k;

	for (i = 0; i < t->nvnets; i++)
		for (k = 0; k < t->vnets[i]->nspace; k++)
			if (pfx_equal(&t->vnets[i]->space[k], p))
				return true;
	return false;
}

bool
topo_vnets_peered(const struct topo_vnet *a, const struct topo_vnet *b)
{
	size_t i;

	if (a == b || a == NULL || b == NULL)
		return false;
	if (a->peer_hub == b || b->peer_hub == a)
		return true;
	for (i = 0; i < a->nhub_peers; i++)
		if (a->hub_peers[i] == b)
			return true;
	for (i = 0; i < a->nxhubs; i++)
		if (a->xhubs[i] == b)
			return true;
	for (i = 0; i < b->nxhubs; i++)
		if (b->xhubs[i] == a)
			return true;
	return topo_vnet_peering(a, b) != NULL;
}

const struct topo_peering *
topo_vnet_peering(const struct topo_vnet *a, const struct topo_vnet *b)
{
	const struct topo_peering *p;
	size_t i;

	for (i = 0; a != NULL && i < a->nvpeers; i++) {
		p = a->vpeers[i];
		if ((p->vnet[0] == a && p->vnet[1] == b) ||
		    (p->vnet[1] == a && p->vnet[0] == b))
			return p;
	}
	return NULL;
}

size_t
topo_gateway_nserved(const struct topo_vnet *hub)
{
	return 1 + hub->nspokes + hub->nvpeers;
}

const struct topo_vnet *
topo_gateway_served(const struct topo_vnet *hub, size_t i)
{
	const struct topo_peering *pe;
	const struct topo_vnet *v;

	if (i == 0)
		return hub;
	if (i - 1 < hub->nspokes)
		v = hub->spokes[i - 1];
	else {
		pe = hub->vpeers[i - 1 - hub->nspokes];
		v = pe->vnet[pe->vnet[0] == hub ? 1 : 0];
	}
	return topo_remote_gateway_vnet(v) == hub ? v : NULL;
}

const struct pfx4 *
topo_gateway_served_pfx(const struct topo_vnet *hub, struct topo_served_pos *pos)
{
	const struct topo_vnet *v;

	for (; pos->v < topo_gateway_nserved(hub); pos->v++, pos->k = 0)
		if ((v = topo_gateway_served(hub, pos->v)) != NULL &&
		    pos->k < v->nspace)
			return &v->space[pos->k++];
	return NULL;
}

bool
topo_vnet_gateway_ip(const struct topo_vnet *v, uint32_t ip)
{
	size_t i, k;

	for (i = 0; i < v->ngws; i++)
		for (k = 0; k < v->gws[i]->ninst; k++)
			if (v->gws[i]->inst[k]->nic->ip == ip)
				return true;
	return false;
}

bool
topo_nva_peers_rs(const struct topo_nva *nv, const struct topo_rs *rs)
{
	size_t i;

	if (rs == NULL)
		return false;
	if (nv->node->nic->subnet->vnet->rs == rs)
		return nv->peer_rs[0] || nv->peer_rs[1];
	for (i = 0; i < nv->nxrs; i++)
		if (nv->xrs[i] == rs)
			return true;
	return false;
}

unsigned
topo_conn_route_limit(const struct topo_gwconn *cn)
{
	if (cn->gw->type == TOPO_GW_EXPRESSROUTE)
		return cn->premium ? TOPO_ER_PREMIUM_ROUTE_LIMIT :
		    TOPO_ER_ROUTE_LIMIT;
	return cn->bgp ? TOPO_VPN_ROUTE_LIMIT : 0;
}

size_t
topo_gw_circuit_peers(const struct topo *t, const struct topo_gw *gw,
    const struct topo_gw **out, size_t max)
{
	const struct topo_gw *g;
	size_t n = 0, i, k, j, m;
	bool shared;

	for (i = 0; i < t->ngws && n < max; i++) {
		g = t->gws[i];
		if (g == gw || g->type != TOPO_GW_EXPRESSROUTE)
			continue;
		shared = false;
		for (k = 0; k < g->nconns && !shared; k++)
			for (j = 0; j < gw->nconns && !shared; j++)
				shared = g->conns[k]->msee != NULL &&
				    g->conns[k]->msee == gw->conns[j]->msee;
		for (m = 0; shared && m < n && out[m] != g; m++)
			;
		if (shared && m == n)
			out[n++] = g;
	}
	return n;
}

bool
topo_conn_over_limit(const struct topo_gwconn *cn)
{
	unsigned lim = topo_conn_route_limit(cn);

	return lim != 0 && cn->site->nprefixes > lim;
}

const struct topo_gw *
topo_udr_gateway(const struct topo_vnet *v)
{
	const struct topo_vnet *g = topo_gateway_vnet(v);
	size_t i;

	for (i = 0; g != NULL && i < g->ngws; i++)
		if (g->gws[i]->type == TOPO_GW_VPN)
			return g->gws[i];
	return NULL;
}

const char *
topo_kind_str(enum topo_node_kind k)
{
	switch (k) {
	case TOPO_RS:
		return "route-server";
	case TOPO_NVA:
		return "nva";
	case TOPO_VM:
		return "vm";
	case TOPO_SITE_ROUTER:
		return "site-router";
	case TOPO_SITE_HOST:
		return "site-host";
	case TOPO_GW:
		return "gateway";
	case TOPO_MSEE:
		return "msee";
	}
	return "?";
}

const char *
topo_err_str(const struct topo_err *err, const char *file, char *buf,
    size_t len)
{
	char f[TOPO_PATH_MAX];

	if (len == 0)
		return buf;
	buf[0] = '\0';
	/* path and msg are escaped already (topo_fail); file is not ours */
	if (file != NULL)
		str_appendf(buf, len, "%s:", str_escape(f, sizeof(f), file));
	if (err->line > 0)
		str_appendf(buf, len, "%d:%d:", err->line, err->col);
	if (err->path[0] != '\0')
		str_appendf(buf, len, "%s%s:", buf[0] ? " " : "", err->path);
	str_appendf(buf, len, "%s%s", buf[0] ? " " : "", err->msg);
	return buf;
}

/* "a:b", both decimal 0..65535 (RFC 1997), as one 32-bit value. */
bool
topo_community_parse(const char *s, uint32_t *out)
{
	unsigned long part[2];
	char *end;
	int i;

	for (i = 0; i < 2; i++) {
		if (*s < '0' || *s > '9')
			return false;
		part[i] = strtoul(s, &end, 10);
		if (part[i] > TOPO_U16_MAX || *end != (i == 0 ? ':' : '\0'))
			return false;
		s = end + 1;
	}
	*out = (uint32_t)(part[0] << 16 | part[1]);
	return true;
}

unsigned
topo_adv_prepend(const struct topo_nva *v, size_t i)
{
	return v->prepend + (v->advpol != NULL ? v->advpol[i].prepend : 0);
}

bool
topo_adv_has_comm(const struct topo_nva *v, size_t i, uint32_t comm)
{
	size_t k;

	for (k = 0; k < v->ncommunities; k++)
		if (v->communities[k] == comm)
			return true;
	for (k = 0; v->advpol != NULL && k < v->advpol[i].ncomm; k++)
		if (v->advpol[i].comm[k] == comm)
			return true;
	return false;
}
