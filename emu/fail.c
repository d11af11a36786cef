/*
 * fail: the data-plane half of failure injection. A NIC is "blackholed" the
 * way a hung VM is: nothing it sends enters the fabric, nothing addressed to
 * it arrives, and nothing it would forward gets through, while its routes
 * stay as they were (a link set down would flush them, and the kernel would
 * not put static routes back on restore).
 *   fabric:  priority 10  iif n<i> blackhole
 *            priority 11  to <nic ip>/32 blackhole
 *   node:    priority 10  iif eth<k> blackhole (transit; local delivery is
 *                                               decided by the local table first;
 *                                               eth0 the primary NIC, NV-01)
 * A gateway link (an ExpressRoute circuit's hop, a VPN tunnel, an NVA
 * overlay) is cut at both ends, and there the BGP session over it must die
 * too, so local delivery cannot come first: while a link of a node is cut,
 * its local table's rule moves from priority 0 to 20, after the cut.
 *   both ends: priority 10  iif l<idx> blackhole
 * The process half (kill, stop, continue, respawn) is in fault.c and
 * children.c.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fabric.h"
#include "fail.h"
#include "lab.h"
#include "netns.h"
#include "nl.h"

#define FAIL_PRIO_IIF	10
#define FAIL_PRIO_TO	11
#define FAIL_PRIO_LOCAL	20

static struct nl *
open_ns(const char *ns, char *err, size_t len)
{
	struct nl *nl;
	int fd;

	if ((fd = netns_open(ns)) < 0) {
		snprintf(err, len, "no namespace %s", ns);
		return NULL;
	}
	nl = nl_open(fd);
	close(fd);
	if (nl == NULL)
		snprintf(err, len, "netlink in %s failed", ns);
	return nl;
}

int
fail_blackhole(const char *lab, const struct topo_nic *nic, bool on,
    char *err, size_t len)
{
	struct pfx4 host = { nic->ip, 32 };
	char ns[300], ifn[16], gif[16];
	struct nl *fab, *node;
	int rc = 0;

	snprintf(ifn, sizeof(ifn), "n%u", nic->idx);
	snprintf(gif, sizeof(gif), "eth%u", nic->slot);
	if ((fab = open_ns(lab_fabric_ns(lab, ns, sizeof(ns)), err, len)) == NULL)
		return -1;
	if ((node = open_ns(lab_ns_name(lab, nic->node->name, ns, sizeof(ns)),
	    err, len)) == NULL) {
		nl_close(fab);
		return -1;
	}
	if (nl_rule_blackhole(fab, on, FAIL_PRIO_IIF, ifn, NULL) != 0 ||
	    nl_rule_blackhole(fab, on, FAIL_PRIO_TO, NULL, &host) != 0) {
		snprintf(err, len, "%s", nl_errmsg(fab));
		rc = -1;
	}
	if (nl_rule_blackhole(node, on, FAIL_PRIO_IIF, gif, NULL) != 0) {
		snprintf(err, len, "%s", nl_errmsg(node));
		rc = -1;
	}
	nl_close(node);
	nl_close(fab);
	return rc;
}

int
fail_gwlink(const char *lab, const struct topo_gwlink *l, bool on,
    char *err, size_t len)
{
	const struct topo_node *end[2] = { l->a, l->b };
	char ns[300], ifn[16];
	struct nl *nl;
	int i, rc = 0;

	snprintf(ifn, sizeof(ifn), "l%u", l->idx);
	for (i = 0; i < 2; i++) {
		if ((nl = open_ns(lab_ns_name(lab, end[i]->name, ns, sizeof(ns)),
		    err, len)) == NULL)
			return -1;
		if (nl_rule_blackhole(nl, on, FAIL_PRIO_IIF, ifn, NULL) != 0) {
			snprintf(err, len, "%s: %s", end[i]->name, nl_errmsg(nl));
			rc = -1;
		}
		nl_close(nl);
	}
	return rc;
}

int
fail_local_late(const char *lab, const struct topo_node *n, bool late,
    char *err, size_t len)
{
	uint32_t to = late ? FAIL_PRIO_LOCAL : 0, from = late ? 0 : FAIL_PRIO_LOCAL;
	struct nl *nl;
	char ns[300];
	int rc = 0;

	if ((nl = open_ns(lab_ns_name(lab, n->name, ns, sizeof(ns)), err,
	    len)) == NULL)
		return -1;
	/* Add before delete: local delivery is never without a rule. */
	if (nl_rule_add(nl, to, NULL, RT_TABLE_LOCAL) != 0 ||
	    nl_rule_del(nl, from, NULL, RT_TABLE_LOCAL) != 0) {
		snprintf(err, len, "%s: %s", n->name, nl_errmsg(nl));
		rc = -1;
	}
	nl_close(nl);
	return rc;
}

/* "A/B" (either order): the gateway link between nodes A and B. */
const struct topo_gwlink *
fail_gwlink_find(const struct topo *t, const char *target)
{
	char a[TOPO_NAME_MAX + 1];
	const char *slash = strchr(target, '/');
	const struct topo_node *na, *nb;
	size_t i;

	if (slash == NULL || (size_t)(slash - target) > TOPO_NAME_MAX)
		return NULL;
	snprintf(a, sizeof(a), "%.*s", (int)(slash - target), target);
	if ((na = topo_node_find(t, a)) == NULL ||
	    (nb = topo_node_find(t, slash + 1)) == NULL)
		return NULL;
	for (i = 0; i < t->ngwlinks; i++)
		if ((t->gwlinks[i]->a == na && t->gwlinks[i]->b == nb) ||
		    (t->gwlinks[i]->a == nb && t->gwlinks[i]->b == na))
			return t->gwlinks[i];
	return NULL;
}
