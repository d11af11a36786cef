/*
 * tfimport: a topology from what `terraform show -json` prints for a state
 * (values.root_module) or a saved plan (planned_values, prior_state,
 * resource_changes[].change.after_unknown, configuration), in HashiCorp's
 * documented JSON output format, format_version 1.x; child modules to any
 * depth. The azurerm resources arsemu models become hubs, spokes, Route
 * Servers, NVAs, VMs, VPN gateways, sites and route tables (the mapping is
 * at the top of tfimport.c).
 *
 * What arsemu cannot model becomes a warning "FILE: ADDRESS: text" naming
 * the resource address (module.hub.azurerm_lb.ilb); a value a plan does not
 * know yet (a NIC's address, the Route Server's IPs) is filled as Azure
 * allocates it and reported "assumed". What makes the input unusable fails
 * the import with the file and the JSON path or resource address.
 *
 * Pure: no I/O but reading the one file; cJSON stays in topo/.
 */
#ifndef ARSEMU_TOPO_TFIMPORT_H
#define ARSEMU_TOPO_TFIMPORT_H

#include <stddef.h>

#include "topo.h"

/* Which resources of the file: a state has one set, a plan two. */
enum tf_side {
	TF_AFTER,	/* a state's, or a plan's planned_values */
	TF_BEFORE	/* a plan's prior_state (a state: refused) */
};

struct topo_tf {
	char	*json;		/* the topology (arsemu-topology(5)) */
	char	**warnings;	/* "FILE: ADDRESS: text" */
	size_t	 nwarnings;
	int	 plan;		/* 1: the file is a plan */
};

/*
 * Import file's resources of side as lab `name`. -1 with err->msg
 * "FILE: PATH: ..." and err->path the JSON path.
 */
int	topo_tf_import(const char *file, enum tf_side side, const char *name,
	    struct topo_tf *out, struct topo_err *err);
/* The same from text in memory (len bytes); file names it in messages. */
int	topo_tf_import_text(const char *text, size_t len, const char *file,
	    enum tf_side side, const char *name, struct topo_tf *out,
	    struct topo_err *err);
void	topo_tf_free(struct topo_tf *t);

#endif
