/*
 * nsg: a packet against a NIC's network security groups (see nsg.h).
 *
 * Must not: install anything (emu/nsgnft.c writes the same decisions as
 * nftables rules) or keep state between calls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "nsg.h"
#include "sdn.h"

/* What Internet leaves out besides VirtualNetwork (NS-03). */
static const struct pfx4 private_ranges[] = {
	{ 0x0a000000u, 8 },	/* 10.0.0.0/8, RFC 1918 */
	{ 0xac100000u, 12 },	/* 172.16.0.0/12 */
	{ 0xc0a80000u, 16 },	/* 192.168.0.0/16 */
	{ 0x64400000u, 10 },	/* 100.64.0.0/10, RFC 6598 */
	{ AZ_VIP, 32 },		/* Azure's own, AzureLoadBalancer */
};

const struct pfx4 *
nsg_private(size_t i)
{
	return i < NELEM(private_ranges) ? &private_ranges[i] : NULL;
}

static void
push(struct nsg_tags *tg, size_t *cap, const struct pfx4 *p)
{
	if (tg->nvnet == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		tg->vnet = xrealloc(tg->vnet, *cap * sizeof(*tg->vnet));
	}
	tg->vnet[tg->nvnet++] = *p;
}

static void
push_space(struct nsg_tags *tg, size_t *cap, const struct topo_vnet *v)
{
	size_t i;

	for (i = 0; i < v->nspace; i++)
		push(tg, cap, &v->space[i]);
}

/* Sorted, and none inside an earlier one (v is sorted by address, length). */
static size_t
minimal(struct pfx4 *v, size_t n)
{
	size_t i, k = 0;

	qsort(v, n, sizeof(*v), pfx_qcmp);
	for (i = 0; i < n; i++)
		if (k == 0 || !pfx_contains(&v[k - 1], &v[i]))
			v[k++] = v[i];
	return k;
}

/* What the NVAs peering with rs advertise: BGP routes in the VNet. */
static void
push_rs(const struct topo *t, struct nsg_tags *tg, size_t *cap,
    const struct topo_rs *rs)
{
	size_t i, k;

	if (rs == NULL)
		return;
	for (i = 0; i < t->nnvas; i++)
		if (t->nvas[i]->bgp && topo_nva_peers_rs(t->nvas[i], rs))
			for (k = 0; k < t->nvas[i]->nadvertise; k++)
				push(tg, cap, &t->nvas[i]->advertise[k]);
}

/*
 * NS-03, VirtualNetwork: the VNet's address space, its peered VNets'
 * spaces, the on-premises prefixes its gateways connect and the prefixes
 * the Route Servers it uses learn (both BGP, left out when the subnet's
 * route table disables gateway route propagation), and the prefixes of
 * the subnet's user-defined routes (a 0.0.0.0/0 route widens it to all).
 */
void
nsg_tags_of(const struct topo *t, const struct topo_nic *nic,
    struct nsg_tags *tg)
{
	const struct topo_subnet *sn = nic->subnet;
	const struct topo_vnet *v = sn->vnet, *hub = sdn_serving_hub(v);
	size_t cap = 0, i, k, m;

	memset(tg, 0, sizeof(*tg));
	push_space(tg, &cap, v);
	for (i = 0; i < t->nvnets; i++)
		if (t->vnets[i] != v && topo_vnets_peered(v, t->vnets[i]))
			push_space(tg, &cap, t->vnets[i]);
	if (hub != NULL && (sn->rt == NULL || !sn->rt->disable_bgp)) {
		for (i = 0; i < hub->ngws; i++)
			for (k = 0; k < hub->gws[i]->nconns; k++) {
				const struct topo_site *s =
				    hub->gws[i]->conns[k]->site;

				for (m = 0; s != NULL && m < s->nprefixes; m++)
					push(tg, &cap, &s->prefixes[m]);
			}
		push_rs(t, tg, &cap, hub->rs);
	}
	for (i = 0; sn->rt != NULL && i < sn->rt->nroutes; i++)
		push(tg, &cap, &sn->rt->routes[i].pfx);
	if (tg->nvnet > 0)
		tg->nvnet = minimal(tg->vnet, tg->nvnet);
}

void
nsg_tags_free(struct nsg_tags *tg)
{
	free(tg->vnet);
	memset(tg, 0, sizeof(*tg));
}

static bool
in_vnet(const struct nsg_tags *tg, uint32_t ip)
{
	size_t i;

	for (i = 0; i < tg->nvnet; i++)
		if (pfx_contains_addr(&tg->vnet[i], ip))
			return true;
	return false;
}

bool
nsg_addr_has(const struct topo_nsg_addr *a, const struct nsg_tags *tg,
    uint32_t ip)
{
	size_t i;

	switch (a->kind) {
	case TOPO_NSG_PFX:
		return pfx_contains_addr(&a->pfx, ip);
	case TOPO_NSG_ANY:
		return true;
	case TOPO_NSG_VNET:
		return in_vnet(tg, ip);
	case TOPO_NSG_ALB:
		return ip == AZ_VIP;
	case TOPO_NSG_INTERNET:
		for (i = 0; i < NELEM(private_ranges); i++)
			if (pfx_contains_addr(&private_ranges[i], ip))
				return false;
		return !in_vnet(tg, ip);
	}
	return false;
}

struct pv {
	struct pfx4	*v;
	size_t		 n, cap;
};

static void
pv_push(struct pv *pv, const struct pfx4 *p)
{
	if (pv->n == pv->cap) {
		pv->cap = pv->cap ? 2 * pv->cap : 16;
		pv->v = xrealloc(pv->v, pv->cap * sizeof(*pv->v));
	}
	pv->v[pv->n++] = *p;
}

/* The parts of p outside every prefix of ex (minimal, sorted). */
static void
complement(const struct pfx4 *p, const struct pfx4 *ex, size_t nex,
    struct pv *out)
{
	struct pfx4 half;
	bool overlap = false;
	size_t i;

	for (i = 0; i < nex; i++) {
		if (pfx_contains(&ex[i], p))
			return;
		overlap |= pfx_overlap(&ex[i], p);
	}
	if (!overlap) {
		pv_push(out, p);
		return;
	}
	half.len = (uint8_t)(p->len + 1);
	half.addr = p->addr;
	complement(&half, ex, nex, out);
	half.addr = p->addr | (UINT32_C(1) << (31 - p->len));
	complement(&half, ex, nex, out);
}

size_t
nsg_addr_expand(const struct topo_nsg_addr *a, const struct nsg_tags *tg,
    struct pfx4 **out)
{
	static const struct pfx4 all = { 0, 0 }, vip = { AZ_VIP, 32 };
	struct pv pv = { NULL, 0, 0 };
	struct pfx4 *ex;
	size_t i, nex;

	switch (a->kind) {
	case TOPO_NSG_PFX:
		pv_push(&pv, &a->pfx);
		break;
	case TOPO_NSG_ANY:
		pv_push(&pv, &all);
		break;
	case TOPO_NSG_ALB:
		pv_push(&pv, &vip);
		break;
	case TOPO_NSG_VNET:
		for (i = 0; i < tg->nvnet; i++)
			pv_push(&pv, &tg->vnet[i]);
		break;
	case TOPO_NSG_INTERNET:
		nex = tg->nvnet + NELEM(private_ranges);
		ex = xcalloc(nex, sizeof(*ex));
		memcpy(ex, private_ranges, sizeof(private_ranges));
		if (tg->nvnet > 0)
			memcpy(ex + NELEM(private_ranges), tg->vnet,
			    tg->nvnet * sizeof(*ex));
		nex = minimal(ex, nex);
		complement(&all, ex, nex, &pv);
		free(ex);
		break;
	}
	*out = pv.v;
	return pv.n ? minimal(pv.v, pv.n) : 0;
}

static bool
addrs_have(const struct topo_nsg_addr *v, size_t n,
    const struct nsg_tags *tg, uint32_t ip)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (nsg_addr_has(&v[i], tg, ip))
			return true;
	return false;
}

static bool
ports_have(const struct topo_nsg_ports *v, size_t n, bool ported,
    uint16_t port)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (v[i].lo == 0 && v[i].hi == UINT16_MAX)
			return true;	/* "*", whatever the protocol */
		if (ported && port >= v[i].lo && port <= v[i].hi)
			return true;
	}
	return false;
}

static bool
rule_matches(const struct topo_nsg_rule *r, const struct nsg_tags *tg,
    const struct nsg_pkt *p)
{
	bool ported = p->proto == TOPO_PROTO_TCP || p->proto == TOPO_PROTO_UDP;

	if (r->proto != TOPO_PROTO_ANY && (unsigned)r->proto != p->proto)
		return false;
	return addrs_have(r->src, r->nsrc, tg, p->src) &&
	    addrs_have(r->dst, r->ndst, tg, p->dst) &&
	    ports_have(r->sport, r->nsport, ported, p->sport) &&
	    ports_have(r->dport, r->ndport, ported, p->dport);
}

const struct topo_nsg_rule *
nsg_first(const struct topo_nsg *g, enum topo_nsg_dir d,
    const struct nsg_tags *tg, const struct nsg_pkt *p)
{
	size_t i;

	/* sorted by direction and priority (topo/parse_nsg.c) */
	for (i = 0; i < g->nrules; i++)
		if (g->rules[i].dir == d && rule_matches(&g->rules[i], tg, p))
			return &g->rules[i];
	return NULL;
}

bool
nsg_nic_has(const struct topo_nic *nic)
{
	return nic->nsg != NULL || nic->subnet->nsg != NULL;
}

size_t
nsg_order(const struct topo_nic *nic, enum topo_nsg_dir d,
    const struct topo_nsg *out[2])
{
	const struct topo_nsg *first = d == TOPO_NSG_IN ? nic->subnet->nsg :
	    nic->nsg;
	const struct topo_nsg *second = d == TOPO_NSG_IN ? nic->nsg :
	    nic->subnet->nsg;
	size_t n = 0;

	if (first != NULL)
		out[n++] = first;
	if (second != NULL)
		out[n++] = second;
	return n;
}

bool
nsg_check(const struct topo *t, const struct topo_nic *nic,
    enum topo_nsg_dir d, const struct nsg_pkt *p, struct nsg_verdict *v)
{
	const struct topo_nsg *g[2];
	struct nsg_tags tg;
	size_t i, n = nsg_order(nic, d, g);

	memset(v, 0, sizeof(*v));
	v->allow = true;
	if (n == 0)
		return true;
	nsg_tags_of(t, nic, &tg);
	for (i = 0; i < n; i++) {
		const struct topo_nsg_rule *r = nsg_first(g[i], d, &tg, p);

		v->by[i] = g[i];
		v->rule_by[i] = r;
		v->nby = i + 1;
		v->nsg = g[i];
		v->rule = r;
		if (r == NULL || !r->allow) {
			v->allow = false;
			break;
		}
	}
	nsg_tags_free(&tg);
	return v->allow;
}

bool
nsg_flow(const struct topo *t, const struct topo_nic *from,
    const struct topo_nic *to, const struct nsg_pkt *p,
    struct nsg_verdict *v, const struct topo_nic **at, bool *inbound)
{
	*at = from;
	*inbound = false;
	if (!nsg_check(t, from, TOPO_NSG_OUT, p, v))
		return false;
	if (to == NULL)
		return true;
	*at = to;
	*inbound = true;
	return nsg_check(t, to, TOPO_NSG_IN, p, v);
}

bool
nsg_bgp_open(const struct topo *t, const struct topo_nic *a, bool a_active,
    const struct topo_nic *b, bool b_active, struct nsg_verdict why[2],
    const struct topo_nic *at[2], bool in[2])
{
	struct nsg_pkt p = { a->ip, b->ip, TOPO_PROTO_TCP, NSG_EPHEMERAL_PORT,
	    NSG_BGP_PORT };
	bool open = false;

	memset(why, 0, 2 * sizeof(*why));
	why[0].allow = why[1].allow = true;
	at[0] = a;
	at[1] = b;
	in[0] = in[1] = false;
	if (a_active)
		open |= nsg_flow(t, a, b, &p, &why[0], &at[0], &in[0]);
	p.src = b->ip;
	p.dst = a->ip;
	if (b_active)
		open |= nsg_flow(t, b, a, &p, &why[1], &at[1], &in[1]);
	return open;
}

bool
nsg_session_blocked(const struct topo *t, const struct topo_node *a,
    const struct topo_node *b, char *why, size_t len)
{
	const struct topo_node *end[2] = { a, b };
	const struct topo_nic *at[2];
	struct nsg_verdict v[2];
	char vs[256], ip[ADDR_STRLEN];
	size_t k, used = 0;
	bool in[2];

	if (a->nic == NULL || b->nic == NULL || (!nsg_nic_has(a->nic) &&
	    !nsg_nic_has(b->nic)))
		return false;
	if (nsg_bgp_open(t, a->nic, a->kind != TOPO_RS, b->nic,
	    b->kind != TOPO_RS, v, at, in))
		return false;
	if (why == NULL || len == 0)
		return true;
	why[0] = '\0';
	for (k = 0; k < 2 && used < len; k++) {
		if (v[k].allow)
			continue;
		nsg_verdict_str(&v[k], at[k], in[k] ? TOPO_NSG_IN : TOPO_NSG_OUT,
		    vs, sizeof(vs));
		used += (size_t)snprintf(why + used, len - used, "%s%s -> %s:%d "
		    "%s (NS-07)", used ? "; " : "", end[k]->name,
		    addr_fmt(end[1 - k]->nic->ip, ip), NSG_BGP_PORT, vs);
	}
	return true;
}

static bool
any_range(const struct topo_nsg_ports *q)
{
	return q->lo == 0 && q->hi == UINT16_MAX;
}

bool
nsg_dport_named(const struct topo *t, enum topo_filter_proto proto,
    unsigned port)
{
	size_t i, k, m;

	for (i = 0; i < t->nnsgs; i++)
		for (k = 0; k < t->nsgs[i]->nrules; k++) {
			const struct topo_nsg_rule *u = &t->nsgs[i]->rules[k];

			if (u->proto != proto && u->proto != TOPO_PROTO_ANY)
				continue;
			for (m = 0; m < u->ndport; m++)
				if (!any_range(&u->dport[m]) &&
				    port >= u->dport[m].lo && port <= u->dport[m].hi)
					return true;
		}
	return false;
}

size_t
nsg_dports(const struct topo *t, enum topo_filter_proto proto,
    uint16_t **out)
{
	size_t i, k, m, n = 0, cap = 0;

	*out = NULL;
	for (i = 0; i < t->nnsgs; i++)
		for (k = 0; k < t->nsgs[i]->nrules; k++) {
			const struct topo_nsg_rule *u = &t->nsgs[i]->rules[k];

			if (u->proto != proto && u->proto != TOPO_PROTO_ANY)
				continue;
			for (m = 0; m < u->ndport; m++) {
				const struct topo_nsg_ports *q = &u->dport[m];

				if (any_range(q))
					continue;
				xgrow(out, &cap, n + 2, sizeof(**out));
				(*out)[n++] = q->lo;
				/* past its end, where another range still holds */
				if (q->hi < UINT16_MAX &&
				    nsg_dport_named(t, proto, q->hi + 1u))
					(*out)[n++] = (uint16_t)(q->hi + 1);
			}
		}
	return n;
}

void
nsg_lint(struct topo *t)
{
	char why[512], msg[640];
	size_t i, k, m;

	for (i = 0; i < t->nrss; i++)
		for (m = 0; m < t->nnvas; m++) {
			const struct topo_nva *v = t->nvas[m];

			if (!v->bgp || !topo_nva_peers_rs(v, t->rss[i]))
				continue;
			for (k = 0; k < 2; k++)
				if (nsg_session_blocked(t, t->rss[i]->inst[k],
				    v->node, why, sizeof(why)))
					break;
			if (k == 2)
				continue;
			snprintf(msg, sizeof(msg), "NVA %s cannot bring up its "
			    "BGP session with %s: %s", v->node->name,
			    t->rss[i]->inst[k]->name, why);
			topo_warning(t, v->node->jpath, msg);
		}
}

const char *
nsg_verdict_str(const struct nsg_verdict *v, const struct topo_nic *nic,
    enum topo_nsg_dir d, char *buf, size_t len)
{
	const struct topo_subnet *sn = nic->subnet;

	if (v->nsg == NULL) {
		snprintf(buf, len, "no NSG on %s or its subnet", nic->name);
		return buf;
	}
	if (v->nsg == sn->nsg)
		snprintf(buf, len, "%s by NSG %s, rule %s (%s, on subnet %s/%s "
		    "of %s)", v->allow ? "allowed" : "denied", v->nsg->name,
		    v->rule ? v->rule->name : "?", topo_nsg_dir_str(d),
		    sn->vnet->name, sn->name, nic->name);
	else
		snprintf(buf, len, "%s by NSG %s, rule %s (%s, on the NIC of "
		    "%s)", v->allow ? "allowed" : "denied", v->nsg->name,
		    v->rule ? v->rule->name : "?", topo_nsg_dir_str(d),
		    nic->name);
	return buf;
}
