/*
 * nl: rtnetlink over libmnl. One NETLINK_ROUTE socket, created inside the
 * namespace it is for, so every request acts there and nowhere else.
 *
 * Every request carries NLM_F_ACK and its own sequence number; a reply counts
 * only if its sequence number is one we are waiting for and its port id is
 * ours. Requests are queued in one buffer: outside a batch the queue is
 * flushed at once (a synchronous call); inside a batch it is flushed when
 * full and at nl_batch_commit(). A flush sends at most NL_SEND_MSGS requests
 * per sendmsg() and reads their ACKs before sending more: the kernel handles
 * a whole sendmsg() before it returns and queues one ACK per request, and a
 * bounded chunk keeps those ACKs inside our receive buffer (an overrun would
 * drop ACKs silently but for ENOBUFS). Queries (link index, dumps) are never
 * queued: they do not see requests still waiting in an open batch.
 *
 * Must not: know about topologies, Azure or BGP.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/fib_rules.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#include "../lib/util.h"
#include "netns.h"
#include "nl.h"
#include "nl_int.h"

#define NL_QUEUE_SIZE	(256 * 1024)	/* the batch queue */
#define NL_REQ_MAX	4096		/* the largest request we build */
#define NL_SEND_MAX	(64 * 1024)	/* bytes per sendmsg() */
#define NL_SEND_MSGS	128		/* requests per sendmsg(): ACKs in flight */
#define NL_RCV_SIZE	(64 * 1024)	/* > the 32 KiB the kernel fills per dump read */
#define NL_SOCK_BUF	(1024 * 1024)

struct nl_req {
	uint32_t	seq;
	bool		answered;
	char		desc[NL_DESC_MAX];	/* names the request in nl_errmsg() */
};

struct nl {
	struct mnl_socket	*sk;
	uint32_t		 portid;
	uint32_t		 seq;
	bool			 batching;
	bool			 no_inet6;	/* the kernel has no IPv6 */
	char			*queue;
	size_t			 qlen;
	struct nl_req		*reqs;		/* one per queued request */
	size_t			 nreqs;
	size_t			 reqcap;
	int			 qerr;		/* first failure since the last flush */
	char			*rbuf;
	char			 sbuf[NL_REQ_MAX];	/* queries */
	char			 errmsg[512];
};

/* What one exchange waits for, and where its data messages go. */
struct nl_rx {
	struct nl_req	*reqs;
	size_t		 nreqs;
	size_t		 left;
	int		*err;		/* first failure of the exchange */
	bool		 intr;		/* a dump was interrupted (NLM_F_DUMP_INTR) */
	int		(*data_cb)(const struct nlmsghdr *, void *);
	void		*data;
};

static void
nl_sockopt(struct nl *nl, int level, int opt, int val)
{
	/* Best effort: an old kernel without extack still works, less clearly. */
	(void)setsockopt(mnl_socket_get_fd(nl->sk), level, opt, &val, sizeof(val));
}

struct nl *
nl_open(int netns_fd)
{
	struct nl *nl;
	int saved = -1, rc, e;

	if (netns_fd >= 0 && (rc = netns_enter(netns_fd, &saved)) < 0) {
		errno = -rc;
		return NULL;
	}
	nl = xcalloc(1, sizeof(*nl));
	nl->sk = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	e = errno;
	if (saved >= 0)
		netns_leave(saved);
	if (nl->sk == NULL)
		goto fail;
	if (mnl_socket_bind(nl->sk, 0, MNL_SOCKET_AUTOPID) == -1) {
		e = errno;
		goto fail;
	}
	nl->portid = mnl_socket_get_portid(nl->sk);
	nl->seq = (uint32_t)mono_ms();
	nl_sockopt(nl, SOL_NETLINK, NETLINK_EXT_ACK, 1);
	nl_sockopt(nl, SOL_NETLINK, NETLINK_CAP_ACK, 1);
	/*
	 * Dumps filtered by the kernel (Linux 4.20): a route dump of one
	 * table then walks that table, not every NIC table of the fabric,
	 * which made a lab of hundreds of NICs quadratic to program. An older
	 * kernel refuses the option and dumps everything; the callback's own
	 * filter still applies.
	 */
	nl_sockopt(nl, SOL_NETLINK, NETLINK_GET_STRICT_CHK, 1);
	nl_sockopt(nl, SOL_SOCKET, SO_RCVBUF, NL_SOCK_BUF);
	nl_sockopt(nl, SOL_SOCKET, SO_RCVBUFFORCE, NL_SOCK_BUF);
	nl->queue = xmalloc(NL_QUEUE_SIZE);
	nl->rbuf = xmalloc(NL_RCV_SIZE);
	return nl;
fail:
	if (nl->sk != NULL)
		mnl_socket_close(nl->sk);
	free(nl);
	errno = e;
	return NULL;
}

void
nl_close(struct nl *nl)
{
	if (nl == NULL)
		return;
	mnl_socket_close(nl->sk);
	free(nl->queue);
	free(nl->rbuf);
	free(nl->reqs);
	free(nl);
}

const char *
nl_errmsg(const struct nl *nl)
{
	return nl->errmsg;
}

void
nl_fail(struct nl *nl, int *first, const char *desc, int err, const char *ext)
{
	if (*first != 0)
		return;
	*first = -err;
	snprintf(nl->errmsg, sizeof(nl->errmsg), "%s: %s", desc,
	    ext != NULL && ext[0] != '\0' ? ext : strerror(err));
}

/* The kernel's extended ACK text, found `off` bytes into the payload. */
static void
nl_extack(const struct nlmsghdr *nlh, size_t off, char *out, size_t len)
{
	const struct nlattr *attr;

	out[0] = '\0';
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) ||
	    off > mnl_nlmsg_get_payload_len(nlh))
		return;
	mnl_attr_for_each(attr, nlh, off) {
		if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0) {
			snprintf(out, len, "%s", mnl_attr_get_str(attr));
			return;
		}
	}
}

static struct nl_req *
nl_rx_find(struct nl_rx *rx, uint32_t seq)
{
	size_t i;

	for (i = 0; i < rx->nreqs; i++)
		if (rx->reqs[i].seq == seq)
			return rx->reqs[i].answered ? NULL : &rx->reqs[i];
	return NULL;
}

/* NLMSG_ERROR (an ACK when error is 0) or NLMSG_DONE: the request is answered. */
static void
nl_rx_final(struct nl *nl, struct nl_rx *rx, struct nl_req *req,
    const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e;
	size_t plen = mnl_nlmsg_get_payload_len(nlh), off;
	char ext[256];
	int code;

	req->answered = true;
	rx->left--;
	if (nlh->nlmsg_type == NLMSG_DONE) {
		if (plen < sizeof(int))
			return;
		memcpy(&code, mnl_nlmsg_get_payload(nlh), sizeof(code));
		off = sizeof(int);
	} else {
		if (plen < sizeof(*e)) {
			nl_fail(nl, rx->err, req->desc, EBADMSG, NULL);
			return;
		}
		e = mnl_nlmsg_get_payload(nlh);
		code = e->error;
		off = sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	}
	if (code >= 0)
		return;
	nl_extack(nlh, off, ext, sizeof(ext));
	nl_fail(nl, rx->err, req->desc, -code, ext);
}

static void
nl_rx_msg(struct nl *nl, struct nl_rx *rx, const struct nlmsghdr *nlh)
{
	struct nl_req *req;

	if (nlh->nlmsg_pid != nl->portid)
		return;		/* not addressed to us */
	if ((req = nl_rx_find(rx, nlh->nlmsg_seq)) == NULL)
		return;		/* a late answer to a request we gave up on */
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		rx->intr = true;
	switch (nlh->nlmsg_type) {
	case NLMSG_ERROR:
	case NLMSG_DONE:
		nl_rx_final(nl, rx, req, nlh);
		break;
	case NLMSG_NOOP:
	case NLMSG_OVERRUN:
		break;
	default:
		if (rx->data_cb != NULL)
			rx->data_cb(nlh, rx->data);
		break;
	}
}

/* Read until every request of rx is answered; a read error fails the rest. */
static void
nl_rx_run(struct nl *nl, struct nl_rx *rx)
{
	const struct nlmsghdr *nlh;
	ssize_t n;
	size_t i;
	int len;

	while (rx->left > 0) {
		n = mnl_socket_recvfrom(nl->sk, nl->rbuf, NL_RCV_SIZE);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			/* ENOBUFS: answers were lost; we cannot tell which. */
			for (i = 0; i < rx->nreqs; i++)
				if (!rx->reqs[i].answered) {
					nl_fail(nl, rx->err, rx->reqs[i].desc,
					    errno, NULL);
					break;
				}
			return;
		}
		len = (int)n;
		for (nlh = (const struct nlmsghdr *)nl->rbuf;
		    mnl_nlmsg_ok(nlh, len) && rx->left > 0;
		    nlh = mnl_nlmsg_next(nlh, &len))
			nl_rx_msg(nl, rx, nlh);
	}
}

static int
nl_send(struct nl *nl, const void *buf, size_t len)
{
	ssize_t n;

	do
		n = mnl_socket_sendto(nl->sk, buf, len);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return -errno;
	return (size_t)n == len ? 0 : -EMSGSIZE;
}

/* Send `nreqs` queued requests starting at byte `off`; returns their length. */
static size_t
nl_flush_chunk(struct nl *nl, size_t off, struct nl_req *reqs, size_t nreqs)
{
	const struct nlmsghdr *nlh;
	struct nl_rx rx = {
		.reqs = reqs, .nreqs = nreqs, .left = nreqs, .err = &nl->qerr,
	};
	size_t len = 0, i;
	int rc;

	for (i = 0; i < nreqs; i++) {
		nlh = (const struct nlmsghdr *)(nl->queue + off + len);
		len += MNL_ALIGN(nlh->nlmsg_len);
	}
	if ((rc = nl_send(nl, nl->queue + off, len)) < 0) {
		nl_fail(nl, &nl->qerr, reqs[0].desc, -rc, NULL);
		return len;
	}
	nl_rx_run(nl, &rx);
	return len;
}

/* Send everything queued, read every answer; the first failure wins. */
static int
nl_flush(struct nl *nl)
{
	const struct nlmsghdr *nlh;
	size_t off = 0, r = 0, n, len;
	int rc;

	while (r < nl->nreqs) {
		for (n = 0, len = 0; r + n < nl->nreqs && n < NL_SEND_MSGS;
		    n++) {
			nlh = (const struct nlmsghdr *)(nl->queue + off + len);
			if (n > 0 && len + nlh->nlmsg_len > NL_SEND_MAX)
				break;
			len += MNL_ALIGN(nlh->nlmsg_len);
		}
		off += nl_flush_chunk(nl, off, nl->reqs + r, n);
		r += n;
	}
	rc = nl->qerr;
	nl->qerr = 0;
	nl->qlen = 0;
	nl->nreqs = 0;
	return rc;
}

void
nl_batch_begin(struct nl *nl)
{
	nl->batching = true;
}

int
nl_batch_commit(struct nl *nl)
{
	nl->batching = false;
	return nl_flush(nl);
}

/* A new request at the end of the queue, with room for NL_REQ_MAX bytes. */
struct nlmsghdr *
nl_msg(struct nl *nl, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh;
	int rc;

	if (nl->qlen + NL_REQ_MAX > NL_QUEUE_SIZE &&
	    (rc = nl_flush(nl)) < 0 && nl->qerr == 0)
		nl->qerr = rc;	/* keep it for the commit */
	nlh = mnl_nlmsg_put_header(nl->queue + nl->qlen);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++nl->seq;
	return nlh;
}

/* Queue the request; outside a batch, send it and wait for its ACK. */
int
nl_submit(struct nl *nl, struct nlmsghdr *nlh, const char *fmt, ...)
{
	struct nl_req *req;
	va_list ap;

	xgrow(&nl->reqs, &nl->reqcap, nl->nreqs + 1, sizeof(*nl->reqs));
	req = &nl->reqs[nl->nreqs++];
	req->seq = nlh->nlmsg_seq;
	req->answered = false;
	va_start(ap, fmt);
	vsnprintf(req->desc, sizeof(req->desc), fmt, ap);
	va_end(ap);
	nl->qlen += MNL_ALIGN(nlh->nlmsg_len);
	if (nl->batching)
		return 0;
	return nl_flush(nl);
}

/* A request refused before it was sent; it still fails the batch. */
int
nl_refuse(struct nl *nl, int err, const char *fmt, ...)
{
	char desc[NL_DESC_MAX];
	va_list ap;
	int first = 0;

	va_start(ap, fmt);
	vsnprintf(desc, sizeof(desc), fmt, ap);
	va_end(ap);
	nl_fail(nl, nl->batching ? &nl->qerr : &first, desc, err, NULL);
	return -err;
}

/* A query: sent alone, answered (data messages to cb) before returning. */
int
nl_query(struct nl *nl, struct nlmsghdr *nlh, const char *desc,
    int (*cb)(const struct nlmsghdr *, void *), void *data, bool *intr)
{
	struct nl_req req = { .seq = nlh->nlmsg_seq };
	struct nl_rx rx = {
		.reqs = &req, .nreqs = 1, .left = 1, .data_cb = cb, .data = data,
	};
	int err = 0, rc;

	snprintf(req.desc, sizeof(req.desc), "%s", desc);
	rx.err = &err;
	if ((rc = nl_send(nl, nlh, nlh->nlmsg_len)) < 0) {
		nl_fail(nl, &err, desc, -rc, NULL);
		return rc;
	}
	nl_rx_run(nl, &rx);
	if (intr != NULL)
		*intr = rx.intr;
	return err;
}

struct nlmsghdr *
nl_query_msg(struct nl *nl, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh;

	nlh = mnl_nlmsg_put_header(nl->sbuf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++nl->seq;
	return nlh;
}

bool
nl_ifname_ok(const char *name)
{
	return name != NULL && name[0] != '\0' && strlen(name) < IFNAMSIZ;
}

/* ---- links ---- */

static struct ifinfomsg *
nl_link_msg(struct nl *nl, struct nlmsghdr **nlhp, uint16_t type,
    uint16_t flags, int ifindex)
{
	struct ifinfomsg *ifm;

	*nlhp = nl_msg(nl, type, flags);
	ifm = mnl_nlmsg_put_extra_header(*nlhp, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	return ifm;
}

int
nl_veth_create(struct nl *nl, const char *name, int ns_fd, const char *peer,
    int peer_ns_fd)
{
	return nl_veth_create_at(nl, name, ns_fd, 0, peer, peer_ns_fd, 0, 0);
}

int
nl_veth_create_at(struct nl *nl, const char *name, int ns_fd, int idx,
    const char *peer, int peer_ns_fd, int peer_idx, unsigned queues)
{
	struct nlmsghdr *nlh;
	struct nlattr *info, *data, *pinfo;
	struct ifinfomsg *pifm;

	if (!nl_ifname_ok(name) || !nl_ifname_ok(peer))
		return nl_refuse(nl, EINVAL, "RTM_NEWLINK veth %s/%s",
		    name ? name : "", peer ? peer : "");
	nl_link_msg(nl, &nlh, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, idx);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	if (ns_fd >= 0)
		mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)ns_fd);
	if (queues > 0) {
		mnl_attr_put_u32(nlh, IFLA_NUM_TX_QUEUES, queues);
		mnl_attr_put_u32(nlh, IFLA_NUM_RX_QUEUES, queues);
	}
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	/* The peer is described like a link of its own: ifinfomsg, then attributes. */
	pinfo = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	pifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*pifm));
	pifm->ifi_family = AF_UNSPEC;
	pifm->ifi_index = peer_idx;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, peer);
	if (peer_ns_fd >= 0)
		mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)peer_ns_fd);
	if (queues > 0) {
		mnl_attr_put_u32(nlh, IFLA_NUM_TX_QUEUES, queues);
		mnl_attr_put_u32(nlh, IFLA_NUM_RX_QUEUES, queues);
	}
	mnl_attr_nest_end(nlh, pinfo);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return nl_submit(nl, nlh, "RTM_NEWLINK veth %s/%s", name, peer);
}

int
nl_bridge_create(struct nl *nl, const char *name)
{
	struct nlmsghdr *nlh;
	struct nlattr *info;

	if (!nl_ifname_ok(name))
		return nl_refuse(nl, EINVAL, "RTM_NEWLINK bridge %s",
		    name ? name : "");
	nl_link_msg(nl, &nlh, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
	mnl_attr_nest_end(nlh, info);
	return nl_submit(nl, nlh, "RTM_NEWLINK bridge %s", name);
}

int
nl_link_set_master(struct nl *nl, int ifindex, int master_ifindex)
{
	struct nlmsghdr *nlh;

	nl_link_msg(nl, &nlh, RTM_NEWLINK, 0, ifindex);
	mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)master_ifindex);
	return nl_submit(nl, nlh, "RTM_NEWLINK ifindex %d master %d", ifindex,
	    master_ifindex);
}

static int
nl_link_index_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifm;

	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifm))
		return MNL_CB_OK;
	ifm = mnl_nlmsg_get_payload(nlh);
	*(int *)data = ifm->ifi_index;
	return MNL_CB_OK;
}

int
nl_link_index(struct nl *nl, const char *name)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;
	char desc[NL_DESC_MAX];
	int idx = 0, rc;

	snprintf(desc, sizeof(desc), "RTM_GETLINK %s", name ? name : "");
	if (!nl_ifname_ok(name)) {
		rc = 0;
		nl_fail(nl, &rc, desc, ENODEV, NULL);
		return -ENODEV;
	}
	nlh = nl_query_msg(nl, RTM_GETLINK, 0);
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	if ((rc = nl_query(nl, nlh, desc, nl_link_index_cb, &idx, NULL)) < 0)
		return rc;
	return idx > 0 ? idx : -ENODEV;
}

static int
nl_link_updown(struct nl *nl, int ifindex, bool up)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;

	ifm = nl_link_msg(nl, &nlh, RTM_NEWLINK, 0, ifindex);
	ifm->ifi_change = IFF_UP;
	ifm->ifi_flags = up ? IFF_UP : 0;
	return nl_submit(nl, nlh, "RTM_NEWLINK ifindex %d %s", ifindex,
	    up ? "up" : "down");
}

int
nl_link_set_up(struct nl *nl, int ifindex)
{
	return nl_link_updown(nl, ifindex, true);
}

/*
 * Up, with IPv6 address generation off in the same request: the kernel
 * applies it before the carrier event that would give the link its
 * link-local address (the link event waits for the RTNL lock this request
 * holds), so no DAD, MLD or fe80::/64 route. A kernel without IPv6
 * refuses the attribute: then plain up.
 */
int
nl_link_set_up_v4(struct nl *nl, int ifindex)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;
	struct nlattr *spec, *af;
	int rc;

	if (nl->batching || nl->no_inet6)
		return nl_link_updown(nl, ifindex, true);
	ifm = nl_link_msg(nl, &nlh, RTM_NEWLINK, 0, ifindex);
	ifm->ifi_change = IFF_UP;
	ifm->ifi_flags = IFF_UP;
	spec = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);
	af = mnl_attr_nest_start(nlh, AF_INET6);
	mnl_attr_put_u8(nlh, IFLA_INET6_ADDR_GEN_MODE, IN6_ADDR_GEN_MODE_NONE);
	mnl_attr_nest_end(nlh, af);
	mnl_attr_nest_end(nlh, spec);
	rc = nl_submit(nl, nlh, "RTM_NEWLINK ifindex %d up, no IPv6 addresses",
	    ifindex);
	if (rc != -EAFNOSUPPORT)
		return rc;
	nl->no_inet6 = true;
	return nl_link_updown(nl, ifindex, true);
}

int
nl_link_set_down(struct nl *nl, int ifindex)
{
	return nl_link_updown(nl, ifindex, false);
}

/*
 * ARP's proxy_delay of one link, by netlink (RTM_SETNEIGHTBL): the same
 * as net/ipv4/neigh/IF/proxy_delay without a /proc/sys lookup, which is
 * slow in a machine with thousands of namespaces.
 */
int
nl_link_proxy_delay(struct nl *nl, int ifindex, unsigned ms)
{
	struct nlmsghdr *nlh;
	struct ndtmsg *ndtm;
	struct nlattr *parms;

	nlh = nl_msg(nl, RTM_SETNEIGHTBL, 0);
	ndtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndtm));
	ndtm->ndtm_family = AF_INET;
	mnl_attr_put_strz(nlh, NDTA_NAME, "arp_cache");
	parms = mnl_attr_nest_start(nlh, NDTA_PARMS);
	mnl_attr_put_u32(nlh, NDTPA_IFINDEX, (uint32_t)ifindex);
	mnl_attr_put_u64(nlh, NDTPA_PROXY_DELAY, ms);
	mnl_attr_nest_end(nlh, parms);
	return nl_submit(nl, nlh, "RTM_SETNEIGHTBL ifindex %d proxy_delay %u ms",
	    ifindex, ms);
}

int
nl_link_del(struct nl *nl, int ifindex)
{
	struct nlmsghdr *nlh;

	nl_link_msg(nl, &nlh, RTM_DELLINK, 0, ifindex);
	return nl_submit(nl, nlh, "RTM_DELLINK ifindex %d", ifindex);
}

/* ---- addresses ---- */

int
nl_addr_add(struct nl *nl, int ifindex, uint32_t addr, uint8_t plen)
{
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	char a[ADDR_STRLEN];

	if (plen > 32)
		return nl_refuse(nl, EINVAL, "RTM_NEWADDR %s/%u",
		    addr_fmt(addr, a), plen);
	nlh = nl_msg(nl, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = plen;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (uint32_t)ifindex;
	mnl_attr_put_u32(nlh, IFA_LOCAL, htonl(addr));
	mnl_attr_put_u32(nlh, IFA_ADDRESS, htonl(addr));
	return nl_submit(nl, nlh, "RTM_NEWADDR %s/%u ifindex %d",
	    addr_fmt(addr, a), plen, ifindex);
}
