/*
 * bgpconf: from the topology to a speaker's BGP configuration.
 *
 * A Route Server instance (RS-01, RS-02, RS-10): AS 65515, its own IP as
 * identifier and source, every NVA of the hub that peers with this instance
 * as a passive peer with the hub's route limit (RS-40), and it originates the
 * hub's address space plus that of every spoke that peers with the hub with
 * use_remote_gateways (RS-10, VR-11).
 * A built-in NVA: its ASN, a peer per Route Server instance it peers with,
 * the prefixes it advertises with its prepends, NEXT_HOP and communities.
 *
 * Pure: no I/O.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "emu.h"
#include "lab.h"

char *
emu_speaker_sock(const char *lab, const char *node, char *buf, size_t len)
{
	char d[256];

	snprintf(buf, len, "%s/%s.sock", lab_dir(lab, d, sizeof(d)), node);
	return buf;
}

char *
emu_daemon_sock(const char *lab, char *buf, size_t len)
{
	char d[256];

	snprintf(buf, len, "%s/ctl.sock", lab_dir(lab, d, sizeof(d)));
	return buf;
}

static void
add_origin(struct bgp_conf *c, const struct pfx4 *p, size_t *cap)
{
	xgrow(&c->originate, cap, c->noriginate + 1, sizeof(*c->originate));
	c->originate[c->noriginate++] = *p;
}

static void
conf_rs(const struct topo *t, const struct topo_node *n, struct bgp_conf *c)
{
	const struct topo_rs *rs = n->rs;
	const struct topo_vnet *hub = rs->vnet;
	size_t i, k, cap = 0;

	c->role = BGP_ROLE_RS;
	c->asn = TOPO_RS_ASN;
	c->local_addr = c->bgp_id = rs->ip[n->rs_instance];
	for (i = 0; i < t->nnvas; i++) {
		const struct topo_nva *v = t->nvas[i];
		struct bgp_peer_conf *pc;

		if (v->node->nic->subnet->vnet != hub ||
		    !v->peer_rs[n->rs_instance] || c->npeers >= BGP_MAX_PEERS)
			continue;
		pc = &c->peers[c->npeers++];
		snprintf(pc->name, sizeof(pc->name), "%s", v->node->name);
		pc->addr = v->node->nic->ip;
		pc->asn = v->asn;
		pc->passive = true;
		pc->route_limit = rs->route_limit;
	}
	for (k = 0; k < hub->nspace; k++)
		add_origin(c, &hub->space[k], &cap);
	for (i = 0; i < hub->nspokes; i++) {
		const struct topo_vnet *s = hub->spokes[i];

		if (!s->use_remote_gateways || !hub->allow_gateway_transit)
			continue;
		for (k = 0; k < s->nspace; k++)
			add_origin(c, &s->space[k], &cap);
	}
}

static void
conf_nva(const struct topo_node *n, struct bgp_conf *c)
{
	const struct topo_nva *v = n->nva;
	const struct topo_rs *rs = n->nic->subnet->vnet->rs;
	unsigned i;

	c->role = BGP_ROLE_ROUTER;
	c->asn = v->asn;
	c->local_addr = c->bgp_id = n->nic->ip;
	for (i = 0; rs != NULL && i < 2; i++) {
		struct bgp_peer_conf *pc;

		if (!v->peer_rs[i])
			continue;
		pc = &c->peers[c->npeers++];
		snprintf(pc->name, sizeof(pc->name), "%s", rs->inst[i]->name);
		pc->addr = rs->ip[i];
		pc->asn = TOPO_RS_ASN;
	}
	c->originate = xcalloc(v->nadvertise ? v->nadvertise : 1,
	    sizeof(*c->originate));
	memcpy(c->originate, v->advertise, v->nadvertise * sizeof(*v->advertise));
	c->noriginate = v->nadvertise;
	c->prepend = v->prepend;
	c->orig_nexthop = v->next_hop;
	c->orig_comm = v->communities;
	c->norig_comm = v->ncommunities;
}

int
emu_bgp_conf(const struct topo *t, const struct topo_node *n,
    const char *ctl_path, struct bgp_conf *c)
{
	bgp_conf_init(c);
	if (n->kind == TOPO_RS)
		conf_rs(t, n, c);
	else if (n->kind == TOPO_NVA)
		conf_nva(n, c);
	else
		return -1;
	c->hold = t->timers.hold;
	c->keepalive = t->timers.keepalive;
	c->connect_retry = t->timers.connect_retry;
	snprintf(c->name, sizeof(c->name), "%s", n->name);
	snprintf(c->ctl_path, sizeof(c->ctl_path), "%s", ctl_path);
	return 0;
}
