/*
 * labports: which interface of a lab a site link or a gateway link is
 * (lab.h). Pure lookups in the topology: no netlink, no I/O; lab.c builds
 * with them, the lab daemon's watch streams and the walk read them.
 */
#include <stddef.h>
#include <stdint.h>

#include "lab.h"

unsigned
lab_sitelink_port(const struct topo *t, const struct topo_sitelink *l)
{
	unsigned m = 0;
	size_t i;

	for (i = 0; i < t->nsitelinks && t->sitelinks[i] != l; i++)
		if (t->sitelinks[i]->nva == l->nva)
			m++;
	/* after the NICs: eth0, then a BGP NVA's extra NICs (NV-01, NV-05) */
	return (unsigned)l->nva->node->nnics + m;
}

const struct topo_gwlink *
lab_gwlink_to(const struct topo *t, const struct topo_node *n, uint32_t ip)
{
	const struct topo_gwlink *l;
	size_t i;

	for (i = 0; i < t->ngwlinks; i++) {
		l = t->gwlinks[i];
		if (l->a == n && (l->b_ip == ip || topo_bgp_addr(t, l->b) == ip))
			return l;
		if (l->b == n && (l->a_ip == ip || topo_bgp_addr(t, l->a) == ip))
			return l;
	}
	return NULL;
}
