/*
 * The shipped examples the unit tests that compute every subnet's tables
 * run over (test_share, test_incr): all of the examples/ topologies but the scale
 * lab (azure-limits.json, the benchmarks'), plus a fixture of 40 spokes
 * with route tables. Include once, in a test's .c file.
 */
#ifndef ARSEMU_TEST_EXAMPLES_H
#define ARSEMU_TEST_EXAMPLES_H

static const char *const shipped_examples[] = {
	"examples/active-active.json", "examples/active-passive.json",
	"examples/branch-vpn.json", "examples/egress-backup.json",
	"examples/er-vpn.json", "examples/expressroute.json",
	"examples/fw-filter.json", "examples/global-enterprise.json",
	"examples/internet-egress.json", "examples/intra-vnet.json",
	"examples/multi-region-loop.json", "examples/multi-region.json",
	"examples/no-propagation.json", "examples/one-instance.json",
	"examples/sdwan-branches.json", "examples/single-hub.json",
	"examples/udr-firewall.json", "examples/vpn-static.json",
	"examples/vpn-udr.json", "test/unit/data/share-spokes.json",
};

#endif
