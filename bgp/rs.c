/*
 * rs: import and export policy, for both roles.
 *
 * Route-server role (azure-semantics.md):
 *   import: a path whose AS_PATH holds 65515 is rejected (RS-20); it stays in
 *           the Adj-RIB-In, marked, so `learned` still shows it (U-09).
 *   export: to every peer but the one the path came from; never a path with
 *           NO_ADVERTISE (RS-12, RS-24); other communities pass unchanged
 *           (U-06); 65515 is prepended (eBGP) and the NVA's NEXT_HOP is kept
 *           (U-08); the RS's own VNet prefixes go out as "65515", origin IGP,
 *           next hop = this instance's IP (RS-11). MED and LOCAL_PREF
 *           received are not passed on (RFC 4271 5.1.4, 5.1.5).
 *   With gateways (peers of kind ER/VPN, iBGP 65515, RS-50): they get no
 *   VNet prefix from us (RS-14: the gateway has its own); NVA routes go to
 *   them, and theirs to NVAs and to the other gateways, only with
 *   branch_to_branch (RS-12, RS-13).
 * Router role (RFC 4271, RFC 1997): import rejects our own ASN in the path;
 *   export sets next hop self, honours NO_ADVERTISE and NO_EXPORT, and
 *   prepends our ASN (plus the configured prepends on originated routes,
 *   and a route's own, bgp_orig_pol); a MED is sent only on a route we
 *   originate with one;
 *   a server (no_transit) sends only what it originates: BGP on a server
 *   must never make it a transit node;
 *   an iBGP-learned path is not sent to another iBGP peer (RFC 4271 9.1.1),
 *   a gateway sends no VNet prefix to its Route Server (RS-14), and a VPN
 *   gateway (peer kind VPN) no learned default route and nothing that
 *   overlaps a VNet prefix to its site (GW-04), nor takes from it a prefix
 *   equal to a VNet prefix (GW-05); towards an NVA across an
 *   overlay (peer kind OVERLAY), 65515 is overridden by our ASN (RS-52).
 *
 * Must not: decide between paths or touch sessions.
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "bgpd.h"
#include "hubpref.h"

static bool
is_gw(const struct peer *p)
{
	return p != NULL && (p->conf->kind == BGP_SRC_ER ||
	    p->conf->kind == BGP_SRC_VPN);
}

#define AS_OVERRIDE_FROM	AZ_ASN	/* RS-01: every Route Server's ASN */
#define AS_PATH_MAX		64

/*
 * RS-20, RS-52: towards an NVA in another hub, every 65515 in the path
 * becomes our own ASN, or that hub's Route Server would drop the route.
 * The path is rewritten as one AS_SEQUENCE.
 */
static void
as_override(struct bgp_attrs *a, uint32_t self)
{
	char buf[AS_PATH_MAX * 11], *p, *end;
	uint32_t v[AS_PATH_MAX];
	unsigned n = 0;

	if (!bgp_aspath_contains(a, AS_OVERRIDE_FROM) ||
	    bgp_aspath_fmt(a, ' ', buf, sizeof(buf)) == NULL)
		return;
	for (p = buf; *p != '\0' && n < AS_PATH_MAX; p = end) {
		while (*p == ' ' || *p == '{' || *p == '}' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		v[n] = (uint32_t)strtoul(p, &end, 10);
		if (end == p)
			break;
		if (v[n] == AS_OVERRIDE_FROM)
			v[n] = self;
		n++;
	}
	bgp_aspath_set(a, v, n);
}

/*
 * GW-04: a VPN gateway sends its site no learned 0.0.0.0/0 and no learned
 * route overlapping a VNet prefix (the prefixes it originates).
 */
static bool
vpn_export_ok(const struct speaker *s, const struct rib_entry *e)
{
	const struct pfx4 *p = &e->pfx;
	size_t i;

	if (p->len == 0)
		return false;
	for (i = 0; i < s->conf->noriginate; i++)
		if (pfx_overlap(&s->conf->originate[i], p))
			return false;
	return true;
}

/* RS-12, RS-13, RS-14, RS-50; RFC 4271 9.1.1 (no iBGP re-advertisement). */
static bool
gateway_export_ok(const struct speaker *s, const struct peer *to,
    const struct rib_entry *e)
{
	const struct bgp_conf *c = s->conf;
	const struct rib_path *best = e->best;

	if (c->role == BGP_ROLE_RS) {
		if (is_gw(to))
			return best->peer != NULL && c->branch_to_branch;
		if (is_gw(best->peer))
			return c->branch_to_branch;
		return true;
	}
	if (best->peer != NULL && (c->no_transit ||
	    (best->peer->conf->asn == c->asn && to->conf->asn == c->asn)))
		return false;
	if (to->conf->kind == BGP_SRC_VPN && best->peer != NULL &&
	    !vpn_export_ok(s, e))
		return false;
	return !(to->conf->kind == BGP_SRC_RS && best->peer == NULL);
}

const char *
policy_import(const struct speaker *s, const struct peer *from,
    const struct bgp_attrs *a)
{
	if (bgp_aspath_contains(a, s->conf->asn) &&
	    (from == NULL || !from->conf->allowas_in ||
	    bgp_aspath_count(a, s->conf->asn) > 1))
		return s->conf->role == BGP_ROLE_RS ?
		    "AS path contains 65515 (RS-20)" : "AS path loop";
	if (a->nexthop == 0)
		return "no next hop";
	return NULL;
}

/*
 * GW-05: a VPN gateway filters a prefix from its site equal to one of the
 * VNet prefixes it serves (its originated ones); a supernet such as
 * 10.0.0.0/8 passes (VR-15).
 */
const char *
policy_import_pfx(const struct speaker *s, const struct peer *from,
    const struct pfx4 *p)
{
	size_t i;

	if (s->conf->role != BGP_ROLE_ROUTER || from == NULL ||
	    from->conf->kind != BGP_SRC_VPN)
		return NULL;
	for (i = 0; i < s->conf->noriginate; i++)
		if (pfx_equal(&s->conf->originate[i], p))
			return "equal to a VNet prefix (GW-05)";
	return NULL;
}

bool
policy_export_by_prefix(const struct speaker *s, const struct peer *to)
{
	/* GW-04 (vpn_export_ok) and GW-08's tags look at the prefix */
	return (s->conf->role == BGP_ROLE_ROUTER &&
	    to->conf->kind == BGP_SRC_VPN) || to->conf->ntags > 0;
}

/* GW-08: the tag of exactly p, if any, added (each community once). */
static void
add_tags(const struct bgp_peer_conf *pc, const struct pfx4 *p,
    struct bgp_attrs *a)
{
	size_t lo = 0, hi = pc->ntags, m;
	const struct bgp_tag *t = NULL;
	unsigned i;
	int c;

	while (lo < hi && t == NULL) {
		m = lo + (hi - lo) / 2;
		if ((c = pfx_cmp(&pc->tags[m].pfx, p)) == 0)
			t = &pc->tags[m];
		else if (c < 0)
			lo = m + 1;
		else
			hi = m;
	}
	for (i = 0; t != NULL && i < t->ncomm; i++) {
		if (bgp_attrs_has_comm(a, t->comm[i]))
			continue;
		a->comm = xrealloc(a->comm, (a->ncomm + 1u) * sizeof(*a->comm));
		a->comm[a->ncomm++] = t->comm[i];
		a->present |= BGP_ATTR_BIT(BGP_ATTR_COMMUNITIES);
	}
}

bool
policy_export(const struct speaker *s, const struct peer *to,
    const struct rib_entry *e, struct bgp_attrs *out)
{
	const struct rib_path *best = e->best;
	const struct bgp_conf *c = s->conf;
	unsigned prepend;

	if (best == NULL || best->peer == to ||
	    !gateway_export_ok(s, to, e))
		return false;
	if (to->conf->group != 0 && best->peer != NULL &&
	    best->peer->conf->group == to->conf->group)
		return false;	/* split horizon within a group */
	/*
	 * RFC 1997: the well-known communities bind whoever receives them,
	 * unless the speaker honours none from that peer (GW-08: the MSEE).
	 */
	if (best->peer != NULL && !best->peer->conf->comm_ignored &&
	    bgp_attrs_has_comm(best->attrs, BGP_COMM_NO_ADVERTISE))
		return false;
	if (c->role == BGP_ROLE_ROUTER && best->peer != NULL &&
	    !best->peer->conf->comm_ignored &&
	    bgp_attrs_has_comm(best->attrs, BGP_COMM_NO_EXPORT) &&
	    to->conf->asn != c->asn)
		return false;
	/* sender-side loop detection: the peer would drop it anyway (RS-20) */
	if (to->conf->sender_loop && !to->conf->as_override &&
	    best->peer != NULL &&
	    bgp_aspath_contains(best->attrs, to->conf->asn))
		return false;
	bgp_attrs_copy(out, best->attrs);
	/*
	 * RFC 4271 5.1.4: a MED received is not passed on to another AS; one
	 * we set on our own route (bgp_orig_pol) is sent.
	 */
	out->present &= ~BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF);
	if (best->peer != NULL)
		out->present &= ~BGP_ATTR_BIT(BGP_ATTR_MED);
	if (to->conf->ntags > 0)
		add_tags(to->conf, &e->pfx, out);
	if (best->peer == NULL || c->role == BGP_ROLE_ROUTER)
		out->nexthop = best->peer == NULL && c->orig_nexthop ?
		    c->orig_nexthop : c->local_addr;
	out->present |= BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
	if (to->conf->asn == c->asn)
		return true;	/* iBGP: no prepend */
	if (to->conf->kind == BGP_SRC_OVERLAY || to->conf->as_override)
		as_override(out, c->asn);
	prepend = 1 + to->conf->prepend;
	if (best->peer == NULL) {
		const struct bgp_orig_pol *pol = bgp_conf_orig_pol(c, &e->pfx);

		prepend += s->prepend + (pol != NULL ? pol->prepend : 0);
	}
	bgp_aspath_prepend(out, c->asn, prepend);
	return true;
}
