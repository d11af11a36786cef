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

#include "../../lib/util.h"
#include "nsg.h"
#include "nsgnft.h"

static void
set_elems(FILE *f, const struct pfx4 *v, size_t n)
{
	char a[PFX_STRLEN];
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? ", " : "", pfx_fmt(&v[i], a));
}

/* One side's address match: nothing for "*". */
static void
addr_match(FILE *f, const char *side, const struct topo_nsg_addr *v,
    size_t n, unsigned nic)
{
	char a[PFX_STRLEN];
	size_t i;

	switch (v[0].kind) {
	case TOPO_NSG_ANY:
		return;
	case TOPO_NSG_VNET:
		fprintf(f, " ip %s @vnet_n%u", side, nic);
		return;
	case TOPO_NSG_INTERNET:
		fprintf(f, " ip %s != @vnet_n%u ip %s != @private", side, nic,
		    side);
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
    unsigned nic)
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
	addr_match(f, "saddr", r->src, r->nsrc, nic);
	addr_match(f, "daddr", r->dst, r->ndst, nic);
	port_match(f, "sport", r->sport, r->nsport);
	port_match(f, "dport", r->dport, r->ndport);
	/* allow: on to the next NSG (the caller's next jump); deny: drop */
	fprintf(f, " counter %s comment \"%s/%s\"\n", r->allow ? "return" :
	    "drop", g->name, r->name);
}

static void
nic_chains(FILE *f, const struct topo *t, const struct topo_nic *nic)
{
	static const enum topo_nsg_dir dirs[] = { TOPO_NSG_IN, TOPO_NSG_OUT };
	const struct topo_nsg *g[2];
	struct nsg_tags tg;
	size_t d, i, k, n;

	nsg_tags_of(t, nic, &tg);
	fprintf(f, "\tset vnet_n%u {\n\t\ttype ipv4_addr\n\t\tflags interval\n"
	    "\t\telements = { ", nic->idx);
	set_elems(f, tg.vnet, tg.nvnet);
	fprintf(f, " }\n\t}\n");
	for (d = 0; d < NELEM(dirs); d++) {
		const char *dn = dirs[d] == TOPO_NSG_IN ? "in" : "out";

		n = nsg_order(nic, dirs[d], g);
		for (i = 0; i < n; i++) {
			fprintf(f, "\tchain n%u_%s_%zu {\n", nic->idx, dn, i);
			for (k = 0; k < g[i]->nrules; k++)
				if (g[i]->rules[k].dir == dirs[d])
					rule_line(f, g[i], &g[i]->rules[k],
					    nic->idx);
			fprintf(f, "\t}\n");
		}
		fprintf(f, "\tchain n%u_%s {\n", nic->idx, dn);
		for (i = 0; i < n; i++)
			fprintf(f, "\t\tjump n%u_%s_%zu\n", nic->idx, dn, i);
		fprintf(f, "\t}\n");
	}
	nsg_tags_free(&tg);
}

size_t
nsg_nft_render(const struct topo *t, FILE *f)
{
	const struct pfx4 *p;
	size_t i, n = 0;

	for (i = 0; i < t->nnics; i++)
		n += nsg_nic_has(t->nics[i]);
	if (n == 0)
		return 0;
	fprintf(f, "table ip %s {\n\tset private {\n\t\ttype ipv4_addr\n"
	    "\t\tflags interval\n\t\telements = { ", NSG_NFT_TABLE);
	for (i = 0; (p = nsg_private(i)) != NULL; i++)
		set_elems(f, p, 1), fprintf(f, "%s", nsg_private(i + 1) ?
		    ", " : "");
	fprintf(f, " }\n\t}\n");
	for (i = 0; i < t->nnics; i++)
		if (nsg_nic_has(t->nics[i]))
			nic_chains(f, t, t->nics[i]);
	/*
	 * NS-06: replies of an allowed flow first; then what leaves a NIC
	 * (it enters the fabric by n<i>: its outbound NSGs), then what is
	 * delivered to one (leaves by n<i>: its inbound NSGs).
	 */
	fprintf(f, "\tchain forward {\n\t\ttype filter hook forward priority "
	    "filter; policy accept;\n\t\tct state established,related "
	    "accept\n");
	for (i = 0; i < t->nnics; i++)
		if (nsg_nic_has(t->nics[i]))
			fprintf(f, "\t\tiifname \"n%u\" jump n%u_out\n",
			    t->nics[i]->idx, t->nics[i]->idx);
	for (i = 0; i < t->nnics; i++)
		if (nsg_nic_has(t->nics[i]))
			fprintf(f, "\t\toifname \"n%u\" jump n%u_in\n",
			    t->nics[i]->idx, t->nics[i]->idx);
	fprintf(f, "\t}\n}\n");
	return n;
}
