/*
 * nl_int: what nl.c (the socket, its queue and exchanges, links and
 * addresses) gives nlroute.c (routes and rules). Not for other users:
 * they see nl.h.
 */
#ifndef ARSEMU_EMU_NL_INT_H
#define ARSEMU_EMU_NL_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/netlink.h>

#include "nl.h"

#define NL_DESC_MAX	112	/* a request's name in nl_errmsg() */

/* Keep the first failure in *first and its text for nl_errmsg(). */
void	nl_fail(struct nl *nl, int *first, const char *desc, int err,
	    const char *ext);
/* A new request at the end of the queue, with room for its attributes. */
struct nlmsghdr *nl_msg(struct nl *nl, uint16_t type, uint16_t flags);
/* Queue the request; outside a batch, send it and wait for its ACK. */
__attribute__((format(printf, 3, 4)))
int	nl_submit(struct nl *nl, struct nlmsghdr *nlh, const char *fmt, ...);
/* A request refused before it was sent; it still fails the batch. */
__attribute__((format(printf, 3, 4)))
int	nl_refuse(struct nl *nl, int err, const char *fmt, ...);
/* A query: sent alone, answered (data messages to cb) before returning. */
int	nl_query(struct nl *nl, struct nlmsghdr *nlh, const char *desc,
	    int (*cb)(const struct nlmsghdr *, void *), void *data, bool *intr);
struct nlmsghdr *nl_query_msg(struct nl *nl, uint16_t type, uint16_t flags);
bool	nl_ifname_ok(const char *name);

#endif
