/*
 * sim: see sim.h. Two speakers are built in memory with speaker_init(),
 * which originates their routes as a running speaker does; what the other
 * speaker would send is what policy_export() gives for its best paths, and
 * it enters `self` through policy_import() and rib_set_path(), as an UPDATE
 * would (speaker_update()). Then decide() runs on every prefix, and its
 * ECMP set is what the FIB (for a Route Server: the SDN controller) gets.
 * Paths a speaker already holds (bgp_sim_node.held) enter it the same way
 * before anything else, from the peer at their address; self's Adj-RIB-Out
 * is policy_export() of its best paths towards each established peer.
 *
 * Must not: change decide.c, rs.c or rib.c to suit the prediction: the point
 * is that the live lab and the plan run the same code.
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "bgpd.h"
#include "sim.h"

struct offer {
	struct pfx4		 pfx;
	struct bgp_attrs	 attrs;
};

/* The peering of c towards a speaker at addr with ASN asn, or -1. */
static int
peering(const struct bgp_conf *c, uint32_t addr, uint32_t asn)
{
	unsigned i;

	for (i = 0; i < c->npeers; i++)
		if (c->peers[i].addr == addr && c->peers[i].asn == asn)
			return (int)i;
	return -1;
}

/* Best paths of a speaker that has only its own routes: originated ones. */
static void
decide_all(struct speaker *s)
{
	struct rib_entry **v;
	struct decision d;
	size_t i, n;

	n = rib_sorted(&s->rib, &v);
	for (i = 0; i < n; i++) {
		decide(s, v[i], &d);
		v[i]->best = d.best;
	}
	free(v);
}

/* What `from` sends on its session `to` once established: Adj-RIB-Out. */
static size_t
offers(struct speaker *from, struct peer *to, struct offer **out)
{
	struct rib_entry **v;
	struct bgp_attrs a;
	size_t i, n, k = 0;

	n = rib_sorted(&from->rib, &v);
	*out = xcalloc(n, sizeof(**out));
	for (i = 0; i < n; i++) {
		bgp_attrs_init(&a);
		if (!policy_export(from, to, v[i], &a)) {
			bgp_attrs_free(&a);
			continue;
		}
		(*out)[k].pfx = v[i]->pfx;
		(*out)[k++].attrs = a;
	}
	free(v);
	return k;
}

/* A learned prefix of sp, when the caller asked for them (want). */
static void
learn(struct bgp_sim_peer *sp, const struct pfx4 *pfx, bool want)
{
	size_t n = sp->nlearned;

	if (!want)
		return;
	if ((n & (n - 1)) == 0)		/* 0, 1, 2, 4, ...: double */
		sp->learned = xrealloc(sp->learned, (n ? 2 * n : 1) *
		    sizeof(*sp->learned));
	sp->learned[sp->nlearned++] = *pfx;
}

static void
import(struct speaker *s, struct peer *p, struct offer *o, size_t n,
    struct bgp_sim_peer *sp, bool want)
{
	const char *why;
	size_t i;

	sp->received += n;
	/* RS-40: the session is reset before the routes count. */
	if (p->conf->route_limit != 0 && n > p->conf->route_limit) {
		sp->over_limit = true;
		return;
	}
	sp->established = true;
	for (i = 0; i < n; i++) {
		if ((why = policy_import(s, p, &o[i].attrs)) == NULL)
			why = policy_import_pfx(s, p, &o[i].pfx);
		sp->accepted += why == NULL;
		if (why == NULL)
			learn(sp, &o[i].pfx, want);
		rib_set_path(&s->rib, rib_get(&s->rib, &o[i].pfx), p,
		    &o[i].attrs, why);
	}
}

/* The peer of s at addr, up, as an OPEN would have left it. */
static struct peer *
peer_up(struct speaker *s, uint32_t addr)
{
	unsigned i;

	for (i = 0; i < s->conf->npeers; i++)
		if (s->conf->peers[i].addr == addr) {
			s->peers[i].state = ST_ESTABLISHED;
			s->peers[i].remote_as = s->conf->peers[i].asn;
			/* every arsemu speaker's identifier is its address */
			s->peers[i].remote_id = addr;
			return &s->peers[i];
		}
	return NULL;
}

/* Held paths into s, through import policy; counted in out when given. */
static void
hold(struct speaker *s, const struct bgp_sim_node *n, struct bgp_sim *out,
    bool want)
{
	struct peer *p;
	const char *why;
	size_t i;

	for (i = 0; i < n->nheld; i++) {
		if ((p = peer_up(s, n->held[i].peer)) == NULL)
			continue;
		if ((why = policy_import(s, p, &n->held[i].attrs)) == NULL)
			why = policy_import_pfx(s, p, &n->held[i].pfx);
		if (out != NULL) {
			out->peers[p->idx].established = true;
			out->peers[p->idx].received++;
			out->peers[p->idx].accepted += why == NULL;
			if (why == NULL)
				learn(&out->peers[p->idx], &n->held[i].pfx, want);
		}
		rib_set_path(&s->rib, rib_get(&s->rib, &n->held[i].pfx), p,
		    &n->held[i].attrs, why);
	}
}

/* One session of self, with the speaker `on`, if it comes up. */
static void
session(struct speaker *self, const struct bgp_sim_node *on,
    struct bgp_sim *out, bool want)
{
	const struct bgp_conf *sc = self->conf, *oc = on->conf;
	struct speaker *other;
	struct offer *o;
	size_t n, i;
	int ps, po;

	if ((ps = peering(sc, oc->local_addr, oc->asn)) == -1 ||
	    (po = peering(oc, sc->local_addr, sc->asn)) == -1 ||
	    (sc->peers[ps].passive && oc->peers[po].passive))
		return;
	other = xcalloc(1, sizeof(*other));
	speaker_init(other, oc);
	hold(other, on, NULL, false);
	decide_all(other);
	other->peers[po].state = ST_ESTABLISHED;
	other->peers[po].remote_id = sc->bgp_id;
	other->peers[po].remote_as = sc->asn;
	self->peers[ps].state = ST_ESTABLISHED;
	self->peers[ps].remote_id = oc->bgp_id;
	self->peers[ps].remote_as = oc->asn;
	n = offers(other, &other->peers[po], &o);
	import(self, &self->peers[ps], o, n, &out->peers[ps], want);
	for (i = 0; i < n; i++)
		bgp_attrs_free(&o[i].attrs);
	free(o);
	speaker_fini(other);
	free(other);
}

static void
collect(struct speaker *s, struct bgp_sim *out)
{
	struct rib_entry **v;
	struct bgp_sim_route *r;
	struct decision d;
	size_t i, n;

	n = rib_sorted(&s->rib, &v);
	out->fib = xcalloc(n, sizeof(*out->fib));
	for (i = 0; i < n; i++) {
		decide(s, v[i], &d);
		v[i]->best = d.best;
		if (d.nnh == 0)
			continue;
		r = &out->fib[out->nfib++];
		r->pfx = v[i]->pfx;
		memcpy(r->nh, d.nh, sizeof(r->nh));
		r->nnh = d.nnh;
		r->aspath_hops = d.hops;
	}
	free(v);
}

/* What s sends each of its established peers, after collect(). */
static void
adj_out(struct speaker *s, struct bgp_sim *out)
{
	struct bgp_sim_peer *sp;
	struct offer *o;
	size_t n, k;
	unsigned i;

	for (i = 0; i < s->conf->npeers; i++) {
		sp = &out->peers[i];
		if (!sp->established || s->peers[i].state != ST_ESTABLISHED)
			continue;
		n = offers(s, &s->peers[i], &o);
		sp->sent = xcalloc(n ? n : 1, sizeof(*sp->sent));
		for (k = 0; k < n; k++) {
			sp->sent[k].peer = s->conf->local_addr;
			sp->sent[k].pfx = o[k].pfx;
			sp->sent[k].attrs = o[k].attrs;	/* moved */
		}
		sp->nsent = n;
		free(o);
	}
}

void
bgp_sim_run_nodes(const struct bgp_sim_node *self,
    const struct bgp_sim_node *others, size_t nothers, bool want_sent,
    struct bgp_sim *out)
{
	struct speaker *s;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->npeers = self->conf->npeers;
	s = xcalloc(1, sizeof(*s));
	speaker_init(s, self->conf);
	hold(s, self, out, want_sent);
	for (i = 0; i < nothers; i++)
		session(s, &others[i], out, want_sent);
	collect(s, out);
	if (want_sent)
		adj_out(s, out);
	speaker_fini(s);
	free(s);
}

void
bgp_sim_run(const struct bgp_conf *self, const struct bgp_conf *const *others,
    size_t nothers, struct bgp_sim *out)
{
	struct bgp_sim_node me = { self, NULL, 0 }, *v;
	size_t i;

	v = xcalloc(nothers ? nothers : 1, sizeof(*v));
	for (i = 0; i < nothers; i++)
		v[i].conf = others[i];
	bgp_sim_run_nodes(&me, v, nothers, false, out);
	free(v);
}

void
bgp_sim_path_copy(struct bgp_sim_path *dst, const struct bgp_sim_path *src)
{
	dst->peer = src->peer;
	dst->pfx = src->pfx;
	bgp_attrs_copy(&dst->attrs, &src->attrs);
}

void
bgp_sim_paths_free(struct bgp_sim_path *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		bgp_attrs_free(&v[i].attrs);
	free(v);
}

void
bgp_sim_free(struct bgp_sim *s)
{
	unsigned i;

	for (i = 0; i < s->npeers && i < BGP_MAX_PEERS; i++) {
		bgp_sim_paths_free(s->peers[i].sent, s->peers[i].nsent);
		s->peers[i].sent = NULL;
		s->peers[i].nsent = 0;
		free(s->peers[i].learned);
		s->peers[i].learned = NULL;
		s->peers[i].nlearned = 0;
	}
	free(s->fib);
	s->fib = NULL;
	s->nfib = 0;
}
