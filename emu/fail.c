/*
 * fail: the data-plane half of failure injection. A NIC is "blackholed" the
 * way a hung VM is: nothing it sends enters the fabric, nothing addressed to
 * it arrives, and nothing it would forward gets through, while its routes
 * stay as they were (a link set down would flush them, and the kernel would
 * not put static routes back on restore).
 *   fabric:  priority 10  iif n<i> blackhole
 *            priority 11  to <nic ip>/32 blackhole
 *   node:    priority 10  iif eth0 blackhole   (transit; local delivery is
 *                                               decided by the local table first)
 * The process half (kill, stop, continue, respawn) is in daemon.c.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "emu.h"
#include "lab.h"
#include "netns.h"
#include "nl.h"

#define FAIL_PRIO_IIF	10
#define FAIL_PRIO_TO	11

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
	char ns[300], ifn[16];
	struct nl *fab, *node;
	int rc = 0;

	snprintf(ifn, sizeof(ifn), "n%u", nic->idx);
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
	if (nl_rule_blackhole(node, on, FAIL_PRIO_IIF, "eth0", NULL) != 0) {
		snprintf(err, len, "%s", nl_errmsg(node));
		rc = -1;
	}
	nl_close(node);
	nl_close(fab);
	return rc;
}
