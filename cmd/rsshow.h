/*
 * rsshow: `arsemu rs HUB show`, shaped like `az network routeserver show`
 * (CLI-04): the Route Server's settings from the lab's topology, and its
 * routingState from the running lab (both instances answer: Provisioned).
 */
#ifndef ARSEMU_RSSHOW_H
#define ARSEMU_RSSHOW_H

#include <stdbool.h>

#include "../topo/topo.h"

int	rs_show(const char *lab, const struct topo_rs *rs, bool json);

#endif
