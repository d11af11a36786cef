/*
 * policyrules: NVA filters and forwarded-traffic refusals as kernel rules
 * (see policyrules.c; the decisions are model/policy.h's).
 */
#ifndef EMU_POLICYRULES_H
#define EMU_POLICYRULES_H

#include "../topo/topo.h"

struct nl;

/* v's filter as rules in its namespace (nl opened there). */
int	policy_nva_install(struct nl *nl, const struct topo_nva *v);
/* Every hub's forwarded-traffic rules in the fabric namespace. */
int	policy_fabric_install(struct nl *nl, const struct topo *t);

#endif
