/*
 * nsgnft: a topology's NSGs as one nftables table for the lab's fabric
 * namespace (see nsgnft.h). Each rule is the model's own (nsg.h): the same
 * rule list in the same order, the same tag expansion, the same "ports
 * only for TCP and UDP".
 *
 * Must not: run nft or touch a namespace (emu/labnsg.c does).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "nsg.h"
#include "nsgnft.h"

/*
 * v (sorted, none inside another: nsg_tags_of) with each pair of halves
 * of a prefix merged into it, again and again: the same addresses in
 * fewer elements (a Route Server's 10,000 adjacent /24s load in a blink,
 * not in 40 s for 499 subnets). Returns the new count.
 */
static size_t
aggregate(struct pfx4 *v, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		v[k++] = v[i];
		while (k >= 2 && v[k - 1].len == v[k - 2].len &&
		    v[k - 2].len > 0 &&
		    (v[k - 2].addr & pfx_mask((uint8_t)(v[k - 2].len - 1))) ==
		    v[k - 2].addr && v[k - 1].addr == v[k - 2].addr +
		    (UINT32_C(1) << (32 - v[k - 2].len))) {
			v[k - 2].len--;
			k--;
		}
	}
	return k;
}

static void
set_elems(FILE *f, const struct pfx4 *v, size_t n)
{
	char a[PFX_STRLEN];
	struct pfx4 *c = xcalloc(n ? n : 1, sizeof(*c));
	size_t i;

	memcpy(c, v, n * sizeof(*c));
	n = aggregate(c, n);
	for (i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? ", " : "", pfx_fmt(&c[i], a));
	free(c);
}

/* One side's address match: nothing for "*". */
static void
addr_match(FILE *f, const char *side, const struct topo_nsg_addr *v,
    size_t n, const char *set)
{
	char a[PFX_STRLEN];
	size_t i;

	switch (v[0].kind) {
	case TOPO_NSG_ANY:
		return;
	case TOPO_NSG_VNET:
		fprintf(f, " ip %s @%s", side, set);
		return;
	case TOPO_NSG_INTERNET:
		fprintf(f, " ip %s != @%s ip %s != @private", side, set, side);
		return;
	case TOPO_NSG_ALB:
		fprintf(f, " ip %s %s", side, addr_fmt(AZ_VIP, a));
		return;
	case TOPO_NSG_PFX:
		break;
	}
	fprintf(f, " ip %s { ", side);
	for (i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? ", " : "", pfx_fmt(&v[i].pfx, a));
	fprintf(f, " }");
}

static bool
any_port(const struct topo_nsg_ports *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].lo == 0 && v[i].hi == UINT16_MAX)
			return true;
	return false;
}

static void
port_match(FILE *f, const char *side, const struct topo_nsg_ports *v,
    size_t n)
{
	size_t i;

	if (any_port(v, n))
		return;
	fprintf(f, " th %s { ", side);
	for (i = 0; i < n; i++) {
		if (v[i].lo == v[i].hi)
			fprintf(f, "%s%u", i ? ", " : "", v[i].lo);
		else
			fprintf(f, "%s%u-%u", i ? ", " : "", v[i].lo, v[i].hi);
	}
	fprintf(f, " }");
}

static void
rule_line(FILE *f, const struct topo_nsg *g, const struct topo_nsg_rule *r,
    const char *set)
{
	bool ported = !any_port(r->sport, r->nsport) ||
	    !any_port(r->dport, r->ndport);

	fprintf(f, "\t\t");
	switch (r->proto) {
	case TOPO_PROTO_TCP:
		fprintf(f, "meta l4proto tcp");
		break;
	case TOPO_PROTO_UDP:
		fprintf(f, "meta l4proto udp");
		break;
	case TOPO_PROTO_ICMP:
		fprintf(f, "meta l4proto icmp");
		break;
	case TOPO_PROTO_ANY:
		/* ports match TCP and UDP only (nsg.c), never ICMP's bytes */
		if (ported)
			fprintf(f, "meta l4proto { tcp, udp }");
		break;
	}
	addr_match(f, "saddr", r->src, r->nsrc, set);
	addr_match(f, "daddr", r->dst, r->ndst, set);
	port_match(f, "sport", r->sport, r->nsport);
	port_match(f, "dport", r->dport, r->ndport);
	/* allow: on to the next NSG (the caller's next jump); deny: drop */
	fprintf(f, " counter %s comment \"%s/%s\"\n", r->allow ? "return" :
	    "drop", g->name, r->name);
}

/*
 * What NICs of one subnet share: the VirtualNetwork set (NS-03 depends on
 * the subnet only) and each NSG's rule chains. A subnet is "s<v>_<k>",
 * the k-th subnet of t->vnets[v]; an NSG "g<i>", t->nsgs[i].
 */
struct rend {
	const struct topo	*t;
	FILE			*f;
	const void		**done;		/* subnets and (subnet, NSG) pairs */
	size_t			 ndone, cap;
};

static bool
once(struct rend *r, const void *a, const void *b)
{
	size_t i;

	for (i = 0; i + 1 < r->ndone; i += 2)
		if (r->done[i] == a && r->done[i + 1] == b)
			return false;
	xgrow(&r->done, &r->cap, r->ndone + 2, sizeof(*r->done));
	r->done[r->ndone++] = a;
	r->done[r->ndone++] = b;
	return true;
}

static void
subnet_id(const struct topo *t, const struct topo_subnet *sn, char *buf,
    size_t len)
{
	size_t v, k;

	for (v = 0; v < t->nvnets; v++)
		for (k = 0; k < t->vnets[v]->nsubnets; k++)
			if (t->vnets[v]->subnets[k] == sn) {
				snprintf(buf, len, "s%zu_%zu", v, k);
				return;
			}
	snprintf(buf, len, "s_");
}

static size_t
nsg_index(const struct topo *t, const struct topo_nsg *g)
{
	size_t i;

	for (i = 0; i < t->nnsgs && t->nsgs[i] != g; i++)
		;
	return i;
}

/* The chain of NSG g's rules in direction dir for subnet sid's NICs. */
static void
nsg_chain(struct rend *r, const char *sid, const struct topo_nsg *g,
    enum topo_nsg_dir dir)
{
	char set[64];
	size_t k;

	snprintf(set, sizeof(set), "vnet_%s", sid);
	fprintf(r->f, "\tchain %s_g%zu_%s {\n", sid, nsg_index(r->t, g),
	    dir == TOPO_NSG_IN ? "in" : "out");
	for (k = 0; k < g->nrules; k++)
		if (g->rules[k].dir == dir)
			rule_line(r->f, g, &g->rules[k], set);
	fprintf(r->f, "\t}\n");
}

static void
nic_chains(struct rend *r, const struct topo_nic *nic)
{
	static const enum topo_nsg_dir dirs[] = { TOPO_NSG_IN, TOPO_NSG_OUT };
	const struct topo_nsg *g[2];
	struct nsg_tags tg;
	char sid[48];
	size_t d, i, n;

	subnet_id(r->t, nic->subnet, sid, sizeof(sid));
	if (once(r, nic->subnet, NULL)) {
		nsg_tags_of(r->t, nic, &tg);
		fprintf(r->f, "\tset vnet_%s {\n\t\ttype ipv4_addr\n\t\tflags "
		    "interval\n\t\telements = { ", sid);
		set_elems(r->f, tg.vnet, tg.nvnet);
		fprintf(r->f, " }\n\t}\n");
		nsg_tags_free(&tg);
	}
	for (d = 0; d < NELEM(dirs); d++) {
		const char *dn = dirs[d] == TOPO_NSG_IN ? "in" : "out";

		n = nsg_order(nic, dirs[d], g);
		for (i = 0; i < n; i++)		/* key: g[i] and the direction */
			if (once(r, nic->subnet, (const char *)g[i] + dirs[d]))
				nsg_chain(r, sid, g[i], dirs[d]);
		if (n < 2)
			continue;	/* the verdict map jumps to it directly */
		fprintf(r->f, "\tchain n%u_%s {\n", nic->idx, dn);
		for (i = 0; i < n; i++)
			fprintf(r->f, "\t\tjump %s_g%zu_%s\n", sid,
			    nsg_index(r->t, g[i]), dn);
		fprintf(r->f, "\t}\n");
	}
}

/*
 * One verdict map from the NICs' fabric ends to their chains: a NIC's own
 * chain when two NSGs act on it, else its one NSG's chain for its subnet.
 */
static void
vmap(FILE *f, const struct topo *t, const char *key, enum topo_nsg_dir d)
{
	const char *dn = d == TOPO_NSG_IN ? "in" : "out";
	const struct topo_nsg *g[2];
	char sid[48];
	size_t i, n = 0, k;

	fprintf(f, "\t\t%s vmap { ", key);
	for (i = 0; i < t->nnics; i++) {
		const struct topo_nic *nic = t->nics[i];

		if (!nsg_nic_has(nic))
			continue;
		fprintf(f, "%s\"n%u\" : jump ", n++ ? ", " : "", nic->idx);
		if ((k = nsg_order(nic, d, g)) == 2)
			fprintf(f, "n%u_%s", nic->idx, dn);
		else {
			subnet_id(t, nic->subnet, sid, sizeof(sid));
			fprintf(f, "%s_g%zu_%s", sid, nsg_index(t, g[0]), dn);
		}
	}
	fprintf(f, " }\n");
}

size_t
nsg_nft_render(const struct topo *t, FILE *f)
{
	struct rend r = { t, f, NULL, 0, 0 };
	const struct pfx4 *p;
	size_t i, n = 0;

	for (i = 0; i < t->nnics; i++)
		n += nsg_nic_has(t->nics[i]);
	if (n == 0)
		return 0;
	fprintf(f, "table ip %s {\n\tset private {\n\t\ttype ipv4_addr\n"
	    "\t\tflags interval\n\t\telements = { ", NSG_NFT_TABLE);
	for (i = 0; (p = nsg_private(i)) != NULL; i++)
		fprintf(f, "%s%s", i ? ", " : "", pfx_fmt(p,
		    (char[PFX_STRLEN]){ 0 }));
	fprintf(f, " }\n\t}\n");
	for (i = 0; i < t->nnics; i++)
		if (nsg_nic_has(t->nics[i]))
			nic_chains(&r, t->nics[i]);
	free(r.done);
	/*
	 * NS-06: replies of an allowed flow first; then what leaves a NIC
	 * (it enters the fabric by n<i>: its outbound NSGs), then what is
	 * delivered to one (leaves by n<i>: its inbound NSGs); a jump comes
	 * back here unless a rule drops the packet.
	 */
	fprintf(f, "\tchain forward {\n\t\ttype filter hook forward priority "
	    "filter; policy accept;\n\t\tct state established,related "
	    "accept\n");
	vmap(f, t, "iifname", TOPO_NSG_OUT);
	vmap(f, t, "oifname", TOPO_NSG_IN);
	fprintf(f, "\t}\n}\n");
	return n;
}
