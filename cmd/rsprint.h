/*
 * rsprint: the route-server views of the CLI (peers, learned, advertised,
 * rib), in text tables or az-shaped JSON, for any number of route-server
 * instances: `arsemu rs HUB ...` shows a lab hub's two, `arsemu rsctl`
 * one standalone `arsemu routeserver`.
 */
#ifndef ARSEMU_RSPRINT_H
#define ARSEMU_RSPRINT_H

#include <stdbool.h>
#include <stddef.h>

struct rsprint_inst {
	const char	*name;		/* the Instance column */
	const char	*sock;		/* its control socket */
	const char	*local;		/* its own address, localAddress in JSON */
};

int	rsprint_peers(const struct rsprint_inst *in, size_t n, bool json);
/* what: "learned" or "advertised" */
int	rsprint_routes(const struct rsprint_inst *in, size_t n, const char *what,
	    const char *peer, bool json);
int	rsprint_rib(const struct rsprint_inst *in, size_t n, bool json);

#endif
