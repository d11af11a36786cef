/*
 * lablb: a lab's internal load balancers in its fabric namespace (see
 * lablb.c): the links routes to a frontend leave by, the rules that send
 * each flow to the backend the model's hash picks (emu/model/lb.h).
 */
#ifndef ARSEMU_EMU_LABLB_H
#define ARSEMU_EMU_LABLB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../topo/topo.h"

#define LABLB_NFT_TABLE		"arsemu_lb"
/* LB-05: probes come from Azure's 168.63.129.16, a fabric address here. */
#define LABLB_PROBE_SRC		0xa83f8110u
#define LABLB_PROBE_SRC_STR	"168.63.129.16"

struct lab_ctx;

/* Build them all (none: nothing); -1 with the context's error set. */
int	lab_lbs(struct lab_ctx *c);
/*
 * nft's chain "lb<k>" of load balancer lb with the backends up[i] in
 * rotation (NULL: all): a flow with a mark of one of them keeps it, the
 * rest hash onto them; none up: everything is dropped.
 */
void	lablb_chain(FILE *f, const struct topo_lb *lb, const bool *up);
/* Run argv in namespace ns_fd with file as its input; -1 with err. */
int	lablb_run(int ns_fd, const char *file, char *const argv[], char *err,
	    size_t len);

#endif
