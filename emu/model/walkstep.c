/*
 * walkstep.c: what a walk's hop asks of the objects on its way (walkstep.h).
 */
#include <stdio.h>
#include <string.h>

#include "kroute.h"
#include "nsg.h"
#include "policy.h"
#include "walkstep.h"

uint8_t
walk_ipproto(enum walk_proto p)
{
	static const uint8_t ipproto[] = { [WALK_ICMP] = 1, [WALK_UDP] = 17,
	    [WALK_TCP] = 6 };

	return ipproto[p];
}

void
walk_policy_pkt(const struct walk_pkt *p, struct policy_pkt *q)
{
	q->src = p->src;
	q->dst = p->dst;
	q->proto = walk_ipproto(p->proto);
	q->dport = p->proto == WALK_ICMP ? 0 : p->port;
}

/*
 * NS-04: the packet leaves NIC `from` (its NSGs outbound) and, unless it
 * goes to the Internet (to == NULL), enters NIC `to` (inbound). True if an
 * NSG denies it, named in the walk at `from`'s hop.
 */
bool
walk_nsg_denies(const struct walk_env *e, const struct topo_nic *from,
    const struct topo_nic *to, const struct walk_pkt *pkt, struct walk *w,
    struct walk_hop *h)
{
	struct nsg_pkt q = { pkt->src, pkt->dst, 0, pkt->sport, pkt->port };
	const struct topo_nic *nic;
	struct policy_pkt pp;
	struct nsg_verdict v;
	bool in;
	size_t used;

	walk_policy_pkt(pkt, &pp);
	q.proto = pp.proto;
	if (pp.proto == TOPO_PROTO_ICMP)
		q.sport = q.dport = 0;
	if (nsg_flow(e->t, from, to, &q, &v, &nic, &in))
		return false;
	w->outcome = WALK_NSG_DENIED;
	w->nsg = v.nsg;
	w->nsg_rule = v.rule;
	w->nsg_nic = nic;
	w->nsg_inbound = in;
	nsg_verdict_str(&v, nic, in ? TOPO_NSG_IN : TOPO_NSG_OUT, w->detail,
	    sizeof(w->detail));
	used = strlen(h->how);
	snprintf(h->how + used, sizeof(h->how) - used, "%sNSG %s, rule %s "
	    "denies %s", used ? "; " : "", v.nsg->name, v.rule->name,
	    in ? "inbound" : "outbound");
	return true;
}

unsigned
walk_reachable_nh(const struct topo *t, const struct topo_nic *from,
    const struct sdn_route *r, uint32_t *m)
{
	unsigned k, n = 0;

	for (k = 0; k < r->nnh; k++)
		if (kroute_nh_reaches(t, from, r->nh[k]))
			m[n++] = r->nh[k];
	if (n == 0 && r->nnh > 0)
		m[n++] = r->nh[0];
	return n;
}

bool
walk_out_of_reach(const struct topo *t, const struct topo_nic *from,
    const struct topo_nic *next, const struct pfx4 *pfx, struct walk *w)
{
	char nh[ADDR_STRLEN], pf[PFX_STRLEN];

	if (kroute_nh_reaches(t, from, next->ip))
		return false;
	w->outcome = WALK_BLACKHOLED;
	snprintf(w->detail, sizeof(w->detail), "next hop %s of %s is %s in VNet "
	    "%s, not peered with %s: out of reach (PE-08, PE-01)",
	    addr_fmt(next->ip, nh), pfx_fmt(pfx, pf), next->name,
	    next->subnet->vnet->name, from->subnet->vnet->name);
	return true;
}

/* NV-05: the learned prefix that takes dst out of n's primary, or NULL. */
static const struct pfx4 *
learned_over(const struct walk_env *e, const struct topo_node *n,
    uint32_t dst)
{
	const struct sdn_nva_learned *l;
	int len;
	size_t i, k;

	if (topo_node_egress_len(n, dst, &len) == n->nic || n->nva == NULL ||
	    e->bgp == NULL || e->bgp->nvas == NULL)
		return NULL;
	for (i = 0; i < e->t->nnvas && i < e->bgp->nnvas; i++) {
		if (e->t->nvas[i] != n->nva)
			continue;
		l = &e->bgp->nvas[i];
		for (k = 0; k < l->n; k++)
			if ((int)l->pfx[k].len > len &&
			    pfx_contains_addr(&l->pfx[k], dst))
				return &l->pfx[k];
		break;
	}
	return NULL;
}

const struct topo_nic *
walk_egress(const struct walk_env *e, const struct topo_node *n, uint32_t dst)
{
	return learned_over(e, n, dst) != NULL ? n->nic :
	    topo_node_egress(n, dst);
}

void
walk_egress_note(const struct walk_env *e, const struct topo_node *n,
    uint32_t dst, struct walk_hop *h)
{
	const struct pfx4 *p = learned_over(e, n, dst);
	size_t used = strlen(h->how);
	char a[PFX_STRLEN];

	if (p != NULL && used > 0)
		snprintf(h->how + used, sizeof(h->how) - used, "; the guest's "
		    "BGP route %s leaves by the primary (NV-05)", pfx_fmt(p, a));
}

bool
walk_fwd_drops(const struct topo_node *n, const struct topo_nic *in,
    const struct topo_nic *out, const struct walk_pkt *pkt, struct walk *w)
{
	char a[ADDR_STRLEN];
	const struct topo_nic *nic;
	bool recv;

	if (n->kind != TOPO_NVA)
		return false;
	if (in != NULL && !in->ip_forwarding && pkt->dst != in->ip) {
		nic = in;
		recv = true;
	} else if (out != NULL && !out->ip_forwarding && pkt->src != out->ip) {
		nic = out;
		recv = false;
	} else
		return false;
	/* the guest does not forward it; or it does, and the fabric drops it */
	w->outcome = recv ? WALK_NOT_FORWARDED : WALK_BLACKHOLED;
	snprintf(w->detail, sizeof(w->detail), "NIC %s has IP forwarding off: "
	    "Azure drops what it %s %s (NV-02)", nic->name,
	    recv ? "receives for" : "sends from",
	    addr_fmt(recv ? pkt->dst : pkt->src, a));
	return true;
}

bool
walk_peering_refuses(const struct topo_nic *from, const struct topo_nic *to,
    uint32_t src, struct walk *w)
{
	const struct topo_vnet *s = policy_peering_refuses(from, to, src);
	const struct topo_peering *pe;
	const char *jp;
	char a[ADDR_STRLEN];

	if (s == NULL)
		return false;
	pe = topo_vnet_peering(s, from->subnet->vnet);
	jp = pe != NULL ? pe->jpath[pe->vnet[0] == s ? 0 : 1] : s->jpath;
	w->outcome = WALK_PEERING_REFUSED;
	w->refused_by = s;
	snprintf(w->detail, sizeof(w->detail), "%s's peering to %s has "
	    "allow_forwarded_traffic false (%s): %s forwarded a packet from %s, "
	    "outside %s's address space", s->name,
	    from->subnet->vnet->name, jp, from->node->name, addr_fmt(src, a),
	    from->subnet->vnet->name);
	return true;
}
