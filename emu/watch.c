/*
 * watch: the Route Server and gateway instances' route streams, and their
 * merge into the effective routes' input (watch.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/ctlc.h"
#include "../lib/util.h"
#include "model/bgpconf.h"
#include "lab.h"
#include "watch.h"

#define WATCH_RETRY_MS	100

void
watches_init(struct watches *ws, const char *lab, const struct topo *t,
    struct journal *j)
{
	memset(ws, 0, sizeof(*ws));
	ws->lab = lab;
	ws->t = t;
	ws->j = j;
	ws->dirty = true;
}

void
watches_add_all(struct watches *ws)
{
	const struct topo_node *n;
	size_t i;

	for (i = 0; i < ws->t->nnodes; i++) {
		n = ws->t->nodes[i];
		if ((n->kind != TOPO_RS && n->kind != TOPO_GW) ||
		    !emu_has_speaker(ws->t, n))
			continue;
		ws->v = xrealloc(ws->v, (ws->n + 1) * sizeof(*ws->v));
		memset(&ws->v[ws->n], 0, sizeof(*ws->v));
		ws->v[ws->n].node = n;
		ws->v[ws->n].fd = -1;
		ws->n++;
	}
}

void
watches_free(struct watches *ws)
{
	size_t i;

	for (i = 0; i < ws->n; i++) {
		if (ws->v[i].fd != -1)
			close(ws->v[i].fd);
		free(ws->v[i].buf);
		free(ws->v[i].routes);
		free(ws->v[i].slot);
	}
	free(ws->v);
	ws->v = NULL;
	ws->n = 0;
}

/*
 * RS-50: the Route Server and the gateways of a hub exchange routes over
 * iBGP, but each programs the VNet with its own: a Route Server instance
 * with what NVAs sent it (not the gateways' routes, which the gateways
 * program themselves), a gateway instance with what came over its links
 * (not the Route Server's). A next hop of the other kind is dropped here.
 */
static bool
watch_nh_ok(const struct watches *ws, const struct watch *w, uint32_t nh)
{
	if (w->node->kind == TOPO_GW)
		return lab_gwlink_to(ws->t, w->node, nh) != NULL;
	return !topo_vnet_gateway_ip(w->node->rs->vnet, nh);
}

/*
 * The routes of a watch by prefix: open addressing, linear probing, so that
 * a table of 10,000 rows is read in linear time, not a search per row.
 */
static size_t
slot_of(const struct watch *w, const struct pfx4 *p)
{
	size_t i = (size_t)pfx_hash64(p) & (w->nslot - 1);

	while (w->slot[i] != 0 && !pfx_equal(&w->routes[w->slot[i] - 1].pfx, p))
		i = (i + 1) & (w->nslot - 1);
	return i;
}

static void
slot_rehash(struct watch *w, size_t want)
{
	size_t i;

	free(w->slot);
	w->nslot = 64;
	while (w->nslot < want * 2)
		w->nslot *= 2;
	w->slot = xcalloc(w->nslot, sizeof(*w->slot));
	for (i = 0; i < w->nroutes; i++)
		w->slot[slot_of(w, &w->routes[i].pfx)] = (uint32_t)i + 1;
}

/* Empty slot i, moving back the entries after it (no tombstones). */
static void
slot_clear(struct watch *w, size_t i)
{
	size_t j = i, home;

	w->slot[i] = 0;
	for (;;) {
		const struct pfx4 *p;

		j = (j + 1) & (w->nslot - 1);
		if (w->slot[j] == 0)
			return;
		p = &w->routes[w->slot[j] - 1].pfx;
		home = (size_t)pfx_hash64(p) & (w->nslot - 1);
		/* leave it if its home lies cyclically in (i, j] */
		if (i <= j ? (home > i && home <= j) : (home > i || home <= j))
			continue;
		w->slot[i] = w->slot[j];
		w->slot[j] = 0;
		i = j;
	}
}

/* One "fib" row from a Route Server or gateway instance. */
static void
watch_fib(const struct watches *ws, struct watch *w, char *row)
{
	char *f[4], *nh, *save = NULL;
	struct sdn_bgp_route r;
	size_t i, at;

	memset(&r, 0, sizeof(r));
	if (ctlc_fields(row, f, 4) != 4 || pfx_parse(f[1], &r.pfx) != 0)
		return;
	r.aspath_hops = (unsigned)strtoul(f[2], NULL, 10);
	for (nh = strtok_r(f[3], ",", &save); nh != NULL && r.nnh < SDN_MAX_NH;
	    nh = strtok_r(NULL, ",", &save))
		if (addr_parse(nh, &r.nh[r.nnh]) == 0 &&
		    watch_nh_ok(ws, w, r.nh[r.nnh]))
			r.nnh++;
	if (w->synced)
		w->changes++;
	if (w->nslot < (w->nroutes + 1) * 2)
		slot_rehash(w, w->nroutes + 1);
	at = slot_of(w, &r.pfx);
	if (r.nnh == 0) {
		if (w->slot[at] == 0)
			return;
		i = w->slot[at] - 1;
		slot_clear(w, at);
		if (i != --w->nroutes) {
			/* the last route moves into the hole */
			w->slot[slot_of(w, &w->routes[w->nroutes].pfx)] =
			    (uint32_t)i + 1;
			w->routes[i] = w->routes[w->nroutes];
		}
		return;
	}
	if (w->slot[at] == 0) {
		xgrow(&w->routes, &w->rcap, w->nroutes + 1, sizeof(*w->routes));
		w->slot[at] = (uint32_t)++w->nroutes;
	}
	w->routes[w->slot[at] - 1] = r;
}

static void
watch_drop(struct watches *ws, struct watch *w, const char *why)
{
	if (w->fd != -1)
		close(w->fd);
	w->fd = -1;
	w->len = 0;
	w->nroutes = 0;
	if (w->slot != NULL)
		memset(w->slot, 0, w->nslot * sizeof(*w->slot));
	w->synced = false;
	w->next_try = mono_ms() + WATCH_RETRY_MS;
	ws->dirty = true;
	journal_node(ws->j, "rs-watch-lost", w->node->name, "why", why, 0);
}

static void
journal_changed(struct watches *ws, const struct watch *w)
{
	struct json *o;

	if ((o = journal_begin(ws->j, "rs-routes-changed")) == NULL)
		return;
	json_kstr(o, "node", w->node->name);
	json_kint(o, "changes", w->changes);
	json_kint(o, "routes", (long long)w->nroutes);
	journal_end(ws->j);
}

static void
watch_read(struct watches *ws, struct watch *w)
{
	char *line, *nl;
	ssize_t n;
	size_t used;

	xgrow(&w->buf, &w->cap, w->len + 65536, 1);
	n = read(w->fd, w->buf + w->len, w->cap - w->len - 1);
	if (n <= 0) {
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			watch_drop(ws, w, n == 0 ? "closed" : strerror(errno));
		return;
	}
	w->len += (size_t)n;
	w->buf[w->len] = '\0';
	ws->last_rx = mono_ms();
	for (line = w->buf; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
		*nl = '\0';
		if (strncmp(line, "fib\t", 4) == 0)
			watch_fib(ws, w, line);
		else if (strcmp(line, "sync") == 0) {
			if (!w->synced)
				journal_node(ws->j, "rs-watch", w->node->name,
				    "routes", NULL, (long long)w->nroutes);
			else if (w->changes > 0)
				journal_changed(ws, w);
			w->changes = 0;
			w->synced = true;
			ws->dirty = true;
		}
	}
	used = (size_t)(line - w->buf);
	memmove(w->buf, line, w->len - used);
	w->len -= used;
}

static void
watch_open(struct watches *ws, struct watch *w)
{
	char sock[300];
	int fd;

	emu_speaker_sock(ws->lab, w->node->name, sock, sizeof(sock));
	if ((fd = ctlc_open(sock, "watch")) < 0) {
		w->next_try = mono_ms() + WATCH_RETRY_MS;
		return;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	w->fd = fd;
	journal_node(ws->j, "rs-watch-connected", w->node->name, NULL, NULL,
	    0);
}

/* Merge the instances of one hub's Route Server (U-04, see sdn.h). */
static void
merge_hub(struct watches *ws, const struct topo_rs *rs, struct sdn_hub_routes *h)
{
	const struct sdn_bgp_route *inst[2];
	size_t n[2], k = 0, i;

	for (i = 0; i < ws->n && k < 2; i++)
		if (ws->v[i].node->rs == rs) {
			inst[k] = ws->v[i].routes;
			n[k++] = ws->v[i].nroutes;
		}
	sdn_merge_instances(rs, inst, n, k, h);
}

/* A gateway's instances, as the VMs see them (VR-04). */
static void
merge_gw(struct watches *ws, const struct topo_gw *gw, struct sdn_gw_routes *g)
{
	const struct sdn_bgp_route *inst[2] = { NULL, NULL };
	size_t n[2] = { 0, 0 }, i;

	for (i = 0; i < ws->n; i++)
		if (ws->v[i].node->gw == gw && ws->v[i].node->kind == TOPO_GW) {
			inst[ws->v[i].node->gw_instance] = ws->v[i].routes;
			n[ws->v[i].node->gw_instance] = ws->v[i].nroutes;
		}
	sdn_merge_gateway(gw, inst, n, g);
}

void
watches_connect(struct watches *ws)
{
	uint64_t now = mono_ms();
	size_t i;

	for (i = 0; i < ws->n; i++)
		if (ws->v[i].fd == -1 && ws->v[i].next_try <= now)
			watch_open(ws, &ws->v[i]);
}

void
watches_pollfds(const struct watches *ws, struct pollfd *pfd)
{
	size_t i;

	for (i = 0; i < ws->n; i++)
		pfd[i] = (struct pollfd){ .fd = ws->v[i].fd, .events = POLLIN };
}

void
watches_handle(struct watches *ws, const struct pollfd *pfd)
{
	size_t i;

	for (i = 0; i < ws->n; i++)
		if (ws->v[i].fd != -1 && (pfd[i].revents &
		    (POLLIN | POLLHUP | POLLERR)))
			watch_read(ws, &ws->v[i]);
}

void
watches_input(struct watches *ws, struct sdn_input *in)
{
	size_t i;

	ws->dirty = false;
	memset(in, 0, sizeof(*in));
	in->gws = xcalloc(ws->t->ngws ? ws->t->ngws : 1, sizeof(*in->gws));
	in->ngws = ws->t->ngws;
	for (i = 0; i < ws->t->ngws; i++)
		merge_gw(ws, ws->t->gws[i], &in->gws[i]);
	in->hubs = xcalloc(ws->t->nrss ? ws->t->nrss : 1, sizeof(*in->hubs));
	in->nhubs = ws->t->nrss;
	for (i = 0; i < ws->t->nrss; i++)
		merge_hub(ws, ws->t->rss[i], &in->hubs[i]);
}
