/*
 * fuzz_nsg: arbitrary bytes as the "network_security_groups" of a fixed
 * topology (a hub with a Route Server, an NVA and a VM, a spoke with two
 * VMs, a route table), through topo_load_string(). It must never crash or
 * leak; a model it returns must keep parse_nsg.c's promises (each NSG's
 * rules sorted by direction and priority, unique per direction, the six
 * default rules present, port ranges in order, associations both ways);
 * then every NIC with an NSG answers nsg_check() for a few packets both
 * ways, the answer naming a rule of one of its NSGs, and the nftables
 * table renders. Any broken promise aborts, so that libFuzzer reports it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../emu/model/nsg.h"
#include "../../emu/model/nsgnft.h"
#include "../../topo/topo.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char head[] =
    "{\"name\":\"fz\",\"regions\":[{\"name\":\"westeurope\",\"hub\":{"
    "\"name\":\"hub\",\"address_space\":[\"10.0.0.0/16\"],\"subnets\":{"
    "\"RouteServerSubnet\":\"10.0.1.0/27\",\"GatewaySubnet\":\"10.0.3.0/27\","
    "\"nva\":\"10.0.2.0/24\"},\"route_server\":{},\"nvas\":[{\"name\":"
    "\"nva1\",\"subnet\":\"nva\",\"asn\":65001,\"advertise\":["
    "\"10.9.0.0/16\"]}],\"vms\":[{\"name\":\"vm0\",\"subnet\":\"nva\"}]},"
    "\"spokes\":[{\"name\":\"s1\",\"address_space\":[\"10.1.0.0/16\"],"
    "\"use_remote_gateways\":true,\"subnets\":{\"app\":\"10.1.0.0/24\","
    "\"db\":\"10.1.1.0/24\"},\"vms\":[{\"name\":\"vm1\",\"subnet\":\"app\"},"
    "{\"name\":\"vm2\",\"subnet\":\"db\"}]}]}],\"route_tables\":[{\"name\":"
    "\"rt\",\"subnets\":[\"s1/db\"],\"routes\":[{\"name\":\"d\",\"prefix\":"
    "\"0.0.0.0/0\",\"next_hop_type\":\"VirtualAppliance\",\"next_hop_ip\":"
    "\"10.0.2.4\"}]}],\"network_security_groups\":";

static void
check_nsg(const struct topo_nsg *g)
{
	unsigned defaults = 0;
	size_t i, k;

	if (g->nrules < 6 || g->nrules > 1006)
		abort();
	for (i = 0; i < g->nrules; i++) {
		const struct topo_nsg_rule *r = &g->rules[i];

		if (i > 0 && (r->dir < g->rules[i - 1].dir ||
		    (r->dir == g->rules[i - 1].dir &&
		    r->priority <= g->rules[i - 1].priority)))
			abort();
		if (r->jpath == NULL)
			defaults++;
		else if (r->priority < 100 || r->priority > 4096)
			abort();
		if (r->nsrc == 0 || r->ndst == 0 || r->nsport == 0 ||
		    r->ndport == 0)
			abort();
		for (k = 0; k < r->nsport; k++)
			if (r->sport[k].lo > r->sport[k].hi)
				abort();
		for (k = 0; k < r->ndport; k++)
			if (r->dport[k].lo > r->dport[k].hi)
				abort();
	}
	if (defaults != 6)
		abort();
	for (i = 0; i < g->nsubnets; i++)
		if (g->subnets[i]->nsg != g ||
		    strcmp(g->subnets[i]->name, "RouteServerSubnet") == 0 ||
		    strcmp(g->subnets[i]->name, "GatewaySubnet") == 0)
			abort();
	for (i = 0; i < g->nnics; i++)
		if (g->nics[i]->nsg != g)
			abort();
}

static bool
rule_of(const struct topo_nsg *g, const struct topo_nsg_rule *r)
{
	return g != NULL && r >= g->rules && r < g->rules + g->nrules;
}

static void
check_nic(const struct topo *t, const struct topo_nic *nic)
{
	static const uint32_t peers[] = { 0x0a000204u, 0x0a010004u, 0xc6336401u,
	    0xa83f8110u, 0x0a090001u, 0xac100001u };
	static const uint8_t protos[] = { 1, 6, 17 };
	struct nsg_verdict v;
	struct nsg_pkt p;
	size_t i, k;

	for (i = 0; i < sizeof(peers) / sizeof(peers[0]); i++)
		for (k = 0; k < sizeof(protos); k++) {
			p.src = peers[i];
			p.dst = nic->ip;
			p.proto = protos[k];
			p.sport = protos[k] == 1 ? 0 : 32768;
			p.dport = protos[k] == 1 ? 0 : (uint16_t)(22 + i * 100);
			(void)nsg_check(t, nic, TOPO_NSG_IN, &p, &v);
			if (v.nsg == NULL || !rule_of(v.nsg, v.rule) ||
			    v.rule->dir != TOPO_NSG_IN)
				abort();
			p.src = nic->ip;
			p.dst = peers[i];
			(void)nsg_check(t, nic, TOPO_NSG_OUT, &p, &v);
			if (v.nsg == NULL || !rule_of(v.nsg, v.rule) ||
			    v.rule->dir != TOPO_NSG_OUT)
				abort();
		}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct topo_err err;
	struct topo *t = NULL;
	char *doc, *out = NULL;
	size_t n = sizeof(head) - 1, i, len = 0, with = 0;
	FILE *f;

	if (size > (1u << 20))
		return 0;
	doc = malloc(n + size + 2);
	if (doc == NULL)
		return 0;
	memcpy(doc, head, n);
	memcpy(doc + n, data, size);
	doc[n + size] = '}';
	if (topo_load_string(doc, n + size + 1, &t, &err) == 0) {
		for (i = 0; i < t->nnsgs; i++)
			check_nsg(t->nsgs[i]);
		for (i = 0; i < t->nnics; i++)
			if (nsg_nic_has(t->nics[i])) {
				check_nic(t, t->nics[i]);
				with++;
			}
		if ((f = open_memstream(&out, &len)) == NULL)
			abort();
		if (nsg_nft_render(t, f) != with)
			abort();
		fclose(f);
		if ((len > 0) != (with > 0))
			abort();
		free(out);
		topo_free(t);
	} else if (t != NULL)
		abort();
	free(doc);
	return 0;
}
