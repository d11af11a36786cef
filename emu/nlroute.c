/*
 * nlroute: the routes and rules half of nl (nl.h): the requests that add,
 * replace and delete them and the route dump, built on nl.c's socket,
 * queue and exchange (nl_int.h).
 *
 * Must not: know about topologies, Azure or BGP.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>

#include "../lib/util.h"
#include "nl.h"
#include "nl_int.h"

#define NL_DUMP_TRIES	5		/* a dump interrupted by a change is redone */

static const uint8_t nl_rtn[] = {
	[NL_RT_UNICAST] = RTN_UNICAST,
	[NL_RT_THROW] = RTN_THROW,
	[NL_RT_BLACKHOLE] = RTN_BLACKHOLE,
	[NL_RT_UNREACHABLE] = RTN_UNREACHABLE,
	[NL_RT_PROHIBIT] = RTN_PROHIBIT,
	[NL_RT_LOCAL] = RTN_LOCAL,
};

/* ---- routes ---- */

static void
nl_route_nexthops(struct nlmsghdr *nlh, struct rtmsg *rtm,
    const struct nl_route *r)
{
	const struct nl_nh *nh;
	struct rtnexthop *rtnh;
	struct nlattr *mp;
	unsigned i;

	if (r->nnh == 1) {
		nh = &r->nh[0];
		if (nh->gw != 0)
			mnl_attr_put_u32(nlh, RTA_GATEWAY, htonl(nh->gw));
		if (nh->ifindex > 0)
			mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)nh->ifindex);
		if (nh->onlink)
			rtm->rtm_flags |= RTNH_F_ONLINK;
		return;
	}
	mp = mnl_attr_nest_start(nlh, RTA_MULTIPATH);
	for (i = 0; i < r->nnh; i++) {
		nh = &r->nh[i];
		rtnh = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtnh));
		rtnh->rtnh_flags = nh->onlink ? RTNH_F_ONLINK : 0;
		rtnh->rtnh_hops = nh->weight > 0 ? nh->weight - 1 : 0;
		rtnh->rtnh_ifindex = nh->ifindex;
		if (nh->gw != 0)
			mnl_attr_put_u32(nlh, RTA_GATEWAY, htonl(nh->gw));
		rtnh->rtnh_len = (unsigned short)((char *)
		    mnl_nlmsg_get_payload_tail(nlh) - (char *)rtnh);
	}
	mnl_attr_nest_end(nlh, mp);
}

static int
nl_route_msg(struct nl *nl, uint16_t type, const struct nl_route *r)
{
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	char p[PFX_STRLEN];
	bool del = type == RTM_DELROUTE;

	pfx_fmt(&r->dst, p);
	if ((unsigned)r->type >= NELEM(nl_rtn) || r->nnh > NL_MAX_NH ||
	    r->dst.len > 32)
		return nl_refuse(nl, EINVAL, "%s %s table %u", del ?
		    "RTM_DELROUTE" : "RTM_NEWROUTE", p, r->table);
	nlh = nl_msg(nl, type, del ? 0 : NLM_F_CREATE | NLM_F_REPLACE);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = r->dst.len;
	rtm->rtm_table = r->table < 256 ? (uint8_t)r->table : RT_TABLE_UNSPEC;
	rtm->rtm_protocol = r->protocol;
	rtm->rtm_type = nl_rtn[r->type];
	rtm->rtm_scope = r->scope;
	if (del)
		rtm->rtm_scope = RT_SCOPE_NOWHERE;	/* any scope */
	else if (r->type == NL_RT_LOCAL && r->scope == RT_SCOPE_UNIVERSE)
		rtm->rtm_scope = RT_SCOPE_HOST;
	mnl_attr_put_u32(nlh, RTA_TABLE, r->table);
	mnl_attr_put_u32(nlh, RTA_DST, htonl(r->dst.addr));
	if (r->metric != 0)
		mnl_attr_put_u32(nlh, RTA_PRIORITY, r->metric);
	if (!del && r->nnh > 0)
		nl_route_nexthops(nlh, rtm, r);
	return nl_submit(nl, nlh, "%s %s table %u", del ? "RTM_DELROUTE" :
	    "RTM_NEWROUTE", p, r->table);
}

int
nl_route_replace(struct nl *nl, const struct nl_route *r)
{
	return nl_route_msg(nl, RTM_NEWROUTE, r);
}

/* Deletes by table, destination, type, metric and protocol; not by next hop. */
int
nl_route_del(struct nl *nl, const struct nl_route *r)
{
	return nl_route_msg(nl, RTM_DELROUTE, r);
}

struct nl_dump {
	uint32_t	 table;
	uint8_t		 protocol;
	struct nl_route	*routes;
	size_t		 n;
	size_t		 cap;
};

static int
nl_route_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(attr);

	switch (type) {
	case RTA_TABLE:
	case RTA_DST:
	case RTA_GATEWAY:
	case RTA_OIF:
	case RTA_PRIORITY:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
			return MNL_CB_OK;	/* ignore a malformed one */
		break;
	case RTA_MULTIPATH:
		break;
	default:
		return MNL_CB_OK;
	}
	tb[type] = attr;
	return MNL_CB_OK;
}

static bool
nl_rtype_from(uint8_t rtn, enum nl_rtype *t)
{
	size_t i;

	for (i = 0; i < NELEM(nl_rtn); i++)
		if (nl_rtn[i] == rtn) {
			*t = (enum nl_rtype)i;
			return true;
		}
	return false;
}

static void
nl_route_parse_mp(const struct nlattr *mpattr, struct nl_route *r)
{
	const struct rtnexthop *rtnh;
	const struct nlattr *attr;
	const char *p = mnl_attr_get_payload(mpattr);
	size_t left = mnl_attr_get_payload_len(mpattr), step;
	struct nl_nh *nh;
	int alen;

	while (left >= sizeof(*rtnh) && r->nnh < NL_MAX_NH) {
		rtnh = (const struct rtnexthop *)p;
		if (rtnh->rtnh_len < sizeof(*rtnh) || rtnh->rtnh_len > left)
			break;
		nh = &r->nh[r->nnh++];
		nh->ifindex = rtnh->rtnh_ifindex;
		nh->onlink = (rtnh->rtnh_flags & RTNH_F_ONLINK) != 0;
		nh->weight = (uint8_t)(rtnh->rtnh_hops + 1);
		alen = (int)(rtnh->rtnh_len - RTNH_LENGTH(0));
		for (attr = (const struct nlattr *)(p + RTNH_LENGTH(0));
		    mnl_attr_ok(attr, alen); attr = mnl_attr_next(attr)) {
			alen -= MNL_ALIGN(attr->nla_len);
			if (mnl_attr_get_type(attr) == RTA_GATEWAY &&
			    mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
				nh->gw = ntohl(mnl_attr_get_u32(attr));
		}
		step = (size_t)RTNH_ALIGN(rtnh->rtnh_len);
		if (step >= left)
			break;
		left -= step;
		p += step;
	}
}

static int
nl_route_dump_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[RTA_MAX + 1] = { 0 };
	struct nl_dump *d = data;
	const struct rtmsg *rtm;
	struct nl_route r = { 0 };

	if (nlh->nlmsg_type != RTM_NEWROUTE ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*rtm))
		return MNL_CB_OK;
	rtm = mnl_nlmsg_get_payload(nlh);
	if (rtm->rtm_family != AF_INET || (rtm->rtm_flags & RTM_F_CLONED) ||
	    !nl_rtype_from(rtm->rtm_type, &r.type))
		return MNL_CB_OK;
	if (mnl_attr_parse(nlh, sizeof(*rtm), nl_route_attr_cb, tb) < 0)
		return MNL_CB_OK;
	r.table = tb[RTA_TABLE] ? mnl_attr_get_u32(tb[RTA_TABLE]) :
	    rtm->rtm_table;
	r.protocol = rtm->rtm_protocol;
	if ((d->table != 0 && r.table != d->table) ||
	    (d->protocol != 0 && r.protocol != d->protocol))
		return MNL_CB_OK;
	r.scope = rtm->rtm_scope;
	r.dst.len = rtm->rtm_dst_len;
	if (tb[RTA_DST])
		r.dst.addr = ntohl(mnl_attr_get_u32(tb[RTA_DST]));
	if (tb[RTA_PRIORITY])
		r.metric = mnl_attr_get_u32(tb[RTA_PRIORITY]);
	if (tb[RTA_MULTIPATH]) {
		nl_route_parse_mp(tb[RTA_MULTIPATH], &r);
	} else if (tb[RTA_GATEWAY] || tb[RTA_OIF]) {
		r.nnh = 1;
		r.nh[0].weight = 1;
		r.nh[0].onlink = (rtm->rtm_flags & RTNH_F_ONLINK) != 0;
		if (tb[RTA_GATEWAY])
			r.nh[0].gw = ntohl(mnl_attr_get_u32(tb[RTA_GATEWAY]));
		if (tb[RTA_OIF])
			r.nh[0].ifindex = (int)mnl_attr_get_u32(tb[RTA_OIF]);
	}
	xgrow(&d->routes, &d->cap, d->n + 1, sizeof(*d->routes));
	d->routes[d->n++] = r;
	return MNL_CB_OK;
}

static int
nl_route_cmp(const void *a, const void *b)
{
	const struct nl_route *x = a, *y = b;
	int c;

	if ((c = pfx_cmp(&x->dst, &y->dst)) != 0)
		return c;
	if (x->table != y->table)
		return x->table < y->table ? -1 : 1;
	if (x->metric != y->metric)
		return x->metric < y->metric ? -1 : 1;
	return 0;
}

int
nl_route_dump(struct nl *nl, uint32_t table, uint8_t protocol,
    struct nl_route **out, size_t *n)
{
	struct nl_dump d = { .table = table, .protocol = protocol };
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	bool intr = true;
	int tries, rc = 0;

	for (tries = 0; intr && tries < NL_DUMP_TRIES; tries++) {
		d.n = 0;
		nlh = nl_query_msg(nl, RTM_GETROUTE, NLM_F_DUMP);
		rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
		rtm->rtm_family = AF_INET;
		rtm->rtm_protocol = protocol;
		if (table != 0) {
			rtm->rtm_table = table < 256 ? (uint8_t)table : RT_TABLE_UNSPEC;
			mnl_attr_put_u32(nlh, RTA_TABLE, table);
		}
		rc = nl_query(nl, nlh, "RTM_GETROUTE dump", nl_route_dump_cb,
		    &d, &intr);
		/* a filtered dump of a table that does not exist yet: empty */
		if (rc == -ENOENT && table != 0) {
			rc = 0;
			intr = false;
			d.n = 0;
		}
		if (rc < 0)
			break;
	}
	if (rc == 0 && intr) {
		rc = 0;
		nl_fail(nl, &rc, "RTM_GETROUTE dump", EAGAIN,
		    "the routes kept changing during the dump");
	}
	if (rc < 0) {
		free(d.routes);
		*out = NULL;
		*n = 0;
		return rc;
	}
	if (d.n > 1)
		qsort(d.routes, d.n, sizeof(*d.routes), nl_route_cmp);
	*out = d.routes;
	*n = d.n;
	return 0;
}

/* ---- rules ---- */

static int
nl_rule_msg(struct nl *nl, uint16_t type, uint32_t prio, const char *iif,
    uint32_t table)
{
	const char *what = type == RTM_NEWRULE ? "RTM_NEWRULE" : "RTM_DELRULE";
	struct nlmsghdr *nlh;
	struct fib_rule_hdr *frh;

	if (iif != NULL && !nl_ifname_ok(iif))
		return nl_refuse(nl, EINVAL, "%s prio %u iif %s", what, prio,
		    iif);
	nlh = nl_msg(nl, type, type == RTM_NEWRULE ?
	    NLM_F_CREATE | NLM_F_EXCL : 0);
	frh = mnl_nlmsg_put_extra_header(nlh, sizeof(*frh));
	frh->family = AF_INET;
	frh->table = table < 256 ? (uint8_t)table : RT_TABLE_UNSPEC;
	frh->action = FR_ACT_TO_TBL;
	mnl_attr_put_u32(nlh, FRA_PRIORITY, prio);
	if (iif != NULL)
		mnl_attr_put_strz(nlh, FRA_IFNAME, iif);
	mnl_attr_put_u32(nlh, FRA_TABLE, table);
	return nl_submit(nl, nlh, "%s prio %u%s%s table %u", what, prio,
	    iif ? " iif " : "", iif ? iif : "", table);
}

int
nl_rule_add(struct nl *nl, uint32_t prio, const char *iif, uint32_t table)
{
	return nl_rule_msg(nl, RTM_NEWRULE, prio, iif, table);
}

int
nl_rule_del(struct nl *nl, uint32_t prio, const char *iif, uint32_t table)
{
	return nl_rule_msg(nl, RTM_DELRULE, prio, iif, table);
}

/*
 * ip rule add|del priority PRIO [iif IIF] [to DST] blackhole: drops what
 * matches before any table is consulted (failure drills blackhole a NIC).
 */
int
nl_rule_blackhole(struct nl *nl, bool add, uint32_t prio, const char *iif,
    const struct pfx4 *dst)
{
	uint16_t type = add ? RTM_NEWRULE : RTM_DELRULE;
	const char *what = add ? "RTM_NEWRULE" : "RTM_DELRULE";
	char p[PFX_STRLEN] = "";
	struct nlmsghdr *nlh;
	struct fib_rule_hdr *frh;

	if (iif != NULL && !nl_ifname_ok(iif))
		return nl_refuse(nl, EINVAL, "%s prio %u iif %s", what, prio, iif);
	nlh = nl_msg(nl, type, add ? NLM_F_CREATE | NLM_F_EXCL : 0);
	frh = mnl_nlmsg_put_extra_header(nlh, sizeof(*frh));
	frh->family = AF_INET;
	frh->action = FR_ACT_BLACKHOLE;
	mnl_attr_put_u32(nlh, FRA_PRIORITY, prio);
	if (iif != NULL)
		mnl_attr_put_strz(nlh, FRA_IFNAME, iif);
	if (dst != NULL) {
		frh->dst_len = dst->len;
		mnl_attr_put_u32(nlh, FRA_DST, htonl(dst->addr));
		pfx_fmt(dst, p);
	}
	return nl_submit(nl, nlh, "%s prio %u%s%s%s%s blackhole", what, prio,
	    iif ? " iif " : "", iif ? iif : "", dst ? " to " : "", p);
}

static void
nl_rule_port(struct nlmsghdr *nlh, uint16_t type, uint16_t port)
{
	struct fib_rule_port_range pr = { .start = port, .end = port };

	mnl_attr_put(nlh, type, sizeof(pr), &pr);
}

/* The selectors and action of r, as `ip rule` would print them. */
static void
nl_rule_desc(const struct nl_rule *r, char *buf, size_t len)
{
	char s[PFX_STRLEN], d[PFX_STRLEN];

	pfx_fmt(&r->src, s);
	pfx_fmt(&r->dst, d);
	static const char *const act[] = {
		[NL_RULE_LOOKUP] = "lookup", [NL_RULE_BLACKHOLE] = "blackhole",
		[NL_RULE_GOTO] = "goto", [NL_RULE_NOP] = "nop",
	};

	snprintf(buf, len, "prio %u%s%s from %s to %s ipproto %u sport %u "
	    "dport %u %s %u", r->prio, r->iif ? " iif " : "", r->iif ? r->iif : "",
	    s, d, r->ipproto, r->sport, r->dport, act[r->action],
	    r->action == NL_RULE_GOTO ? r->target : r->table);
}

int
nl_rule_change(struct nl *nl, bool add, const struct nl_rule *r)
{
	const char *what = add ? "RTM_NEWRULE" : "RTM_DELRULE";
	struct nlmsghdr *nlh;
	struct fib_rule_hdr *frh;
	char desc[NL_DESC_MAX];

	nl_rule_desc(r, desc, sizeof(desc));
	if ((r->iif != NULL && !nl_ifname_ok(r->iif)) || r->src.len > 32 ||
	    r->dst.len > 32)
		return nl_refuse(nl, EINVAL, "%s %s", what, desc);
	nlh = nl_msg(nl, add ? RTM_NEWRULE : RTM_DELRULE,
	    add ? NLM_F_CREATE | (r->fresh ? 0 : NLM_F_EXCL) : 0);
	frh = mnl_nlmsg_put_extra_header(nlh, sizeof(*frh));
	frh->family = AF_INET;
	frh->src_len = r->src.len;
	frh->dst_len = r->dst.len;
	mnl_attr_put_u32(nlh, FRA_PRIORITY, r->prio);
	if (r->iif != NULL)
		mnl_attr_put_strz(nlh, FRA_IFNAME, r->iif);
	if (r->src.len > 0)
		mnl_attr_put_u32(nlh, FRA_SRC, htonl(r->src.addr));
	if (r->dst.len > 0)
		mnl_attr_put_u32(nlh, FRA_DST, htonl(r->dst.addr));
	if (r->ipproto != 0)
		mnl_attr_put_u8(nlh, FRA_IP_PROTO, r->ipproto);
	if (r->sport != 0)
		nl_rule_port(nlh, FRA_SPORT_RANGE, r->sport);
	if (r->dport != 0)
		nl_rule_port(nlh, FRA_DPORT_RANGE, r->dport);
	if (r->action == NL_RULE_BLACKHOLE)
		frh->action = FR_ACT_BLACKHOLE;
	else if (r->action == NL_RULE_NOP)
		frh->action = FR_ACT_NOP;
	else if (r->action == NL_RULE_GOTO) {
		frh->action = FR_ACT_GOTO;
		mnl_attr_put_u32(nlh, FRA_GOTO, r->target);
	} else {
		frh->action = FR_ACT_TO_TBL;
		frh->table = r->table < 256 ? (uint8_t)r->table : RT_TABLE_UNSPEC;
		mnl_attr_put_u32(nlh, FRA_TABLE, r->table);
	}
	return nl_submit(nl, nlh, "%s %s", what, desc);
}
