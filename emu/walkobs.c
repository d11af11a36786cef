/*
 * walkobs: the observed walk. Real probes from the source's namespace, and
 * the kernel's own counters (/proc/net/snmp of each namespace) before and
 * after: a node that forwarded the probes shows them in Ip ForwDatagrams;
 * the destination shows them in Icmp InEchos (ICMP), on a UDP socket the
 * walk opens there for the probe (so that no port-unreachable goes back),
 * or on a TCP listener it opens there. A probe that is not delivered
 * stopped at a node that received it (Ip InReceives), neither forwarded
 * it nor took it for itself (Ip InDelivers: BGP keepalives, BFD) (an
 * NVA's filter, a failed node, a VM that does not forward). The fabric's
 * counters are not read: it is invisible, as in Azure. Other traffic
 * crossing the same nodes at the same time (a drill's probes) would count
 * too.
 *
 * No reply may cross the transit nodes, or a return path would count as
 * the forward one. TCP: each probe is one SYN from the flow's source port
 * (tcp_syns()); the listener's SYN-ACKs are blackholed by a rule in the destination's
 * namespace (priority WALKOBS_TCP_PRIO: ipproto tcp sport PORT to SRC),
 * so the kernel drops each SYN at the listener when it cannot route the
 * answer, and counts it in the listener's drops (SO_MEMINFO): that is how
 * delivery is seen. The rule is removed when the listener is closed.
 */
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/sock_diag.h>

#include "../lib/util.h"
#include "lab.h"
#include "netns.h"
#include "nl.h"
#include "model/walk.h"

#define SETTLE_US	200000	/* probes in flight arrive */
#define SETTLE_MORE_US	800000
#define GAP_US		5000
#define WALKOBS_TCP_PRIO	5	/* before fail.c's rules at 10 */
#define TCP_BACKLOG	64

struct snmp {
	unsigned long long	forw, inechos, udp_in, udp_noports, in_receives;
	unsigned long long	in_delivers;
};

/* "Name: a b c" header and value lines; the value under `field`. */
static unsigned long long
snmp_field(const char *text, const char *proto, const char *field)
{
	char hdr[64];
	const char *h, *v, *hp, *vp;
	size_t plen;
	int col = -1, i;

	snprintf(hdr, sizeof(hdr), "%s:", proto);
	plen = strlen(hdr);
	if ((h = strstr(text, hdr)) == NULL || (v = strstr(h + plen, hdr)) == NULL)
		return 0;
	for (hp = h + plen, i = 0; *hp && *hp != '\n'; i++) {
		size_t n;

		while (*hp == ' ')
			hp++;
		n = strcspn(hp, " \n");
		if (n == strlen(field) && strncmp(hp, field, n) == 0) {
			col = i;
			break;
		}
		hp += n;
	}
	if (col < 0)
		return 0;
	for (vp = v + plen, i = 0; *vp && *vp != '\n'; i++) {
		while (*vp == ' ')
			vp++;
		if (i == col)
			return strtoull(vp, NULL, 10);
		vp += strcspn(vp, " \n");
	}
	return 0;
}

static int
snmp_read(const char *ns, struct snmp *s)
{
	char text[8192];
	ssize_t n;
	int nsfd, saved, fd;

	memset(s, 0, sizeof(*s));
	if ((nsfd = netns_open(ns)) < 0)
		return -1;
	if (netns_enter(nsfd, &saved) != 0) {
		close(nsfd);
		return -1;
	}
	fd = open("/proc/thread-self/net/snmp", O_RDONLY | O_CLOEXEC);
	n = fd >= 0 ? read(fd, text, sizeof(text) - 1) : -1;
	if (fd >= 0)
		close(fd);
	netns_leave(saved);
	close(nsfd);
	if (n <= 0)
		return -1;
	text[n] = '\0';
	s->forw = snmp_field(text, "Ip", "ForwDatagrams");
	s->in_receives = snmp_field(text, "Ip", "InReceives");
	s->in_delivers = snmp_field(text, "Ip", "InDelivers");
	s->inechos = snmp_field(text, "Icmp", "InEchos");
	s->udp_in = snmp_field(text, "Udp", "InDatagrams");
	s->udp_noports = snmp_field(text, "Udp", "NoPorts");
	return 0;
}

static uint16_t
csum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (len & 1)
		sum += (uint32_t)b[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

/*
 * TCP SYNs written by hand on a raw socket bound to the source's address:
 * every probe of a flow has the same 5-tuple and no socket hash, so the
 * fabric's ECMP hash sends them all one way, as it would one connection
 * (a new socket per SYN would get a new random hash, and spread them).
 */
struct pseudo {
	uint32_t	src, dst;
	uint8_t		zero, proto;
	uint16_t	len;
	struct tcphdr	th;
} __attribute__((packed));

static int
tcp_syns(const struct sockaddr_in *to, const struct sockaddr_in *from,
    unsigned count)
{
	struct sockaddr_in bind_to = *from;
	struct pseudo ph;
	unsigned i;
	int fd;

	bind_to.sin_port = 0;
	if ((fd = socket(AF_INET, SOCK_RAW, IPPROTO_TCP)) == -1 ||
	    bind(fd, (struct sockaddr *)&bind_to, sizeof(bind_to)) == -1)
		return 3;
	memset(&ph, 0, sizeof(ph));
	ph.src = from->sin_addr.s_addr;
	ph.dst = to->sin_addr.s_addr;
	ph.proto = IPPROTO_TCP;
	ph.len = htons(sizeof(ph.th));
	ph.th.source = from->sin_port;
	ph.th.dest = to->sin_port;
	ph.th.seq = htonl((uint32_t)mono_ms());
	ph.th.doff = sizeof(ph.th) / 4;
	ph.th.syn = 1;
	ph.th.window = htons(UINT16_MAX);
	ph.th.check = csum(&ph, sizeof(ph));
	for (i = 0; i < count; i++) {
		(void)sendto(fd, &ph.th, sizeof(ph.th), 0,
		    (const struct sockaddr *)to, sizeof(*to));
		usleep(GAP_US);
	}
	close(fd);
	return 0;
}

/* In the child, inside the source's namespace. */
static int
send_probes(const struct walk_pkt *pkt, uint16_t sport, unsigned count)
{
	struct sockaddr_in to = { .sin_family = AF_INET,
	    .sin_port = htons(pkt->port), .sin_addr.s_addr = htonl(pkt->dst) };
	struct sockaddr_in from = { .sin_family = AF_INET, .sin_port = htons(sport),
	    .sin_addr.s_addr = htonl(pkt->src) };
	enum walk_proto proto = pkt->proto;
	unsigned i;
	int fd = -1;

	if (proto == WALK_TCP)
		return tcp_syns(&to, &from, count);
	from.sin_addr.s_addr = INADDR_ANY;
	if (proto == WALK_UDP) {
		if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) == -1 ||
		    bind(fd, (struct sockaddr *)&from, sizeof(from)) == -1)
			return 3;
	} else if ((fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)) == -1)
		return 3;
	for (i = 0; i < count; i++) {
		if (proto == WALK_UDP) {
			(void)sendto(fd, "arsemu-walk", 11, 0, (struct sockaddr *)&to,
			    sizeof(to));
		} else {
			struct icmphdr ic = { .type = ICMP_ECHO };

			ic.un.echo.id = htons(sport);
			ic.un.echo.sequence = htons((uint16_t)i);
			ic.checksum = csum(&ic, sizeof(ic));
			(void)sendto(fd, &ic, sizeof(ic), 0, (struct sockaddr *)&to,
			    sizeof(to));
		}
		usleep(GAP_US);
	}
	close(fd);
	return 0;
}

static int
probe(const char *lab, const struct topo_node *src, const struct walk_pkt *pkt,
    uint16_t sport, unsigned count)
{
	char ns[300];
	pid_t pid;
	int fd, st;

	if ((fd = netns_open(lab_ns_name(lab, src->name, ns, sizeof(ns)))) < 0)
		return -1;
	if ((pid = fork()) == 0) {
		if (setns(fd, CLONE_NEWNET) == -1)
			_exit(3);
		_exit(send_probes(pkt, sport, count));
	}
	close(fd);
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0)
		return -1;
	return 0;
}

/*
 * Keep the destination from answering, so that its replies do not cross the
 * transit nodes and count as probes: a socket on the UDP port (no ICMP port
 * unreachable), ICMP echo ignored for the probe's duration, or a TCP
 * listener whose SYN-ACKs to the source are blackholed.
 */
struct quiet {
	int		 nsfd;
	int		 sock;
	char		 echo[8];
	struct nl	*nl;		/* TCP: the rule's namespace */
	struct nl_rule	 rule;
	bool		 ruled;
};

static void
quiet_tcp(struct quiet *q, uint32_t src, uint16_t port)
{
	memset(&q->rule, 0, sizeof(q->rule));
	q->rule.prio = WALKOBS_TCP_PRIO;
	q->rule.dst = (struct pfx4){ src, 32 };
	q->rule.ipproto = IPPROTO_TCP;
	q->rule.sport = port;
	q->rule.action = NL_RULE_BLACKHOLE;
	if ((q->nl = nl_open(q->nsfd)) != NULL)
		q->ruled = nl_rule_change(q->nl, true, &q->rule) == 0;
	if (q->sock >= 0 && (!q->ruled || listen(q->sock, TCP_BACKLOG) == -1)) {
		close(q->sock);
		q->sock = -1;
	}
}

static void
quiet_on(const char *ns, const struct walk_pkt *pkt, struct quiet *q)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
	    .sin_port = htons(pkt->port) };
	int saved, one = 1;

	memset(q, 0, sizeof(*q));
	q->sock = -1;
	if ((q->nsfd = netns_open(ns)) < 0)
		return;
	if (pkt->proto == WALK_ICMP) {
		if (netns_sysctl_read(q->nsfd, "net/ipv4/icmp_echo_ignore_all",
		    q->echo, sizeof(q->echo)) >= 0)
			(void)netns_sysctl(q->nsfd, "net/ipv4/icmp_echo_ignore_all", "1");
		else
			q->echo[0] = '\0';
		return;
	}
	if (netns_enter(q->nsfd, &saved) != 0)
		return;
	q->sock = socket(AF_INET, (pkt->proto == WALK_TCP ? SOCK_STREAM :
	    SOCK_DGRAM) | SOCK_CLOEXEC, 0);
	if (q->sock >= 0)
		(void)setsockopt(q->sock, SOL_SOCKET, SO_REUSEADDR, &one,
		    sizeof(one));
	if (q->sock >= 0 && bind(q->sock, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		close(q->sock);
		q->sock = -1;
	}
	netns_leave(saved);
	if (pkt->proto == WALK_TCP)
		quiet_tcp(q, pkt->src, pkt->port);
}

/* What the destination took: datagrams read, or SYNs the listener dropped. */
static unsigned
quiet_count(struct quiet *q, enum walk_proto proto)
{
	uint32_t mem[SK_MEMINFO_VARS];
	socklen_t l = sizeof(mem);
	unsigned got = 0;
	char buf[64];

	if (q->sock < 0)
		return 0;
	if (proto == WALK_TCP)
		return getsockopt(q->sock, SOL_SOCKET, SO_MEMINFO, mem, &l) == 0 &&
		    l > SK_MEMINFO_DROPS * sizeof(mem[0]) ? mem[SK_MEMINFO_DROPS] : 0;
	while (recv(q->sock, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
		got++;
	return got;
}

static void
quiet_off(struct quiet *q)
{
	if (q->sock >= 0)
		close(q->sock);
	/* after the listener: a SYN still queued finds no one to answer it */
	if (q->ruled)
		(void)nl_rule_change(q->nl, false, &q->rule);
	nl_close(q->nl);
	if (q->echo[0] != '\0') {
		q->echo[strcspn(q->echo, "\n")] = '\0';
		(void)netns_sysctl(q->nsfd, "net/ipv4/icmp_echo_ignore_all", q->echo);
	}
	if (q->nsfd >= 0)
		close(q->nsfd);
}

static bool
transit_kind(const struct topo_node *n)
{
	return n->kind == TOPO_NVA || n->kind == TOPO_SITE_ROUTER ||
	    n->kind == TOPO_VM || n->kind == TOPO_SITE_HOST ||
	    n->kind == TOPO_GW || n->kind == TOPO_MSEE;
}

static void
read_all(const char *lab, const struct topo *t, struct snmp *v)
{
	char ns[300];
	size_t i;

	for (i = 0; i < t->nnodes; i++)
		if (transit_kind(t->nodes[i]))
			(void)snmp_read(lab_ns_name(lab, t->nodes[i]->name, ns,
			    sizeof(ns)), &v[i]);
}

/* Packets a node received and neither forwarded nor delivered to itself. */
static unsigned long long
kept(const struct snmp *b, const struct snmp *a)
{
	unsigned long long in = a->in_receives - b->in_receives;
	unsigned long long out = (a->in_delivers - b->in_delivers) +
	    (a->forw - b->forw);

	return in > out ? in - out : 0;
}

/* Who forwarded every probe, and (not delivered) who took them and stopped. */
static void
judge(const struct topo *t, const struct topo_node *src,
    const struct topo_node *owner, const struct snmp *before,
    const struct snmp *after, unsigned count, struct walk_obs *o)
{
	const struct topo_node *n;
	size_t i;

	for (i = 0; i < t->nnodes; i++) {
		n = t->nodes[i];
		if (!transit_kind(n) || n == src || n == owner)
			continue;
		if (after[i].forw >= before[i].forw + count) {
			if (o->nforwarded < WALK_MAX_HOPS)
				o->forwarded[o->nforwarded++] = n;
		} else if (!o->delivered && kept(&before[i], &after[i]) >= count &&
		    o->nstopped < WALK_MAX_HOPS)
			o->stopped[o->nstopped++] = n;
	}
}

int
walk_observe(const char *lab, const struct topo *t,
    const struct topo_node *src, const struct walk_pkt *pkt,
    uint16_t sport, unsigned count, struct walk_obs *o,
    char *err, size_t len)
{
	const struct topo_node *owner = walk_owner(t, pkt->dst);
	struct snmp *before, *after, db, da;
	struct quiet q;
	unsigned got;
	char ns[300];
	int rc = -1;

	memset(o, 0, sizeof(*o));
	o->sent = count;
	before = xcalloc(t->nnodes, sizeof(*before));
	after = xcalloc(t->nnodes, sizeof(*after));
	lab_ns_name(lab, owner != NULL ? owner->name : LAB_INET_NODE, ns,
	    sizeof(ns));
	read_all(lab, t, before);
	if (snmp_read(ns, &db) == -1 && owner != NULL) {
		snprintf(err, len, "cannot read the counters of %s", ns);
		goto out;
	}
	quiet_on(ns, pkt, &q);
	if (probe(lab, src, pkt, sport, count) == -1) {
		quiet_off(&q);
		snprintf(err, len, "cannot send probes from %s", src->name);
		goto out;
	}
	usleep(SETTLE_US);
	/* a first packet may wait for ARP along the way */
	if (pkt->proto == WALK_TCP && q.sock >= 0 &&
	    quiet_count(&q, WALK_TCP) < count)
		usleep(SETTLE_MORE_US);
	else if (pkt->proto == WALK_UDP && q.sock >= 0) {
		struct pollfd p = { .fd = q.sock, .events = POLLIN };

		if (poll(&p, 1, 0) == 0)
			usleep(SETTLE_MORE_US);
	}
	got = quiet_count(&q, pkt->proto);
	quiet_off(&q);
	/*
	 * UDP: what the quiet socket received (the kernel counts InDatagrams
	 * only when a datagram is read), else NoPorts if nothing could listen.
	 */
	if (snmp_read(ns, &da) == 0)
		o->delivered = pkt->proto == WALK_ICMP ?
		    da.inechos >= db.inechos + count : got >= count ||
		    (pkt->proto == WALK_UDP &&
		    da.udp_noports >= db.udp_noports + count);
	read_all(lab, t, after);
	judge(t, src, owner, before, after, count, o);
	rc = 0;
out:
	free(before);
	free(after);
	return rc;
}

int
walk_forwarded(const char *lab, const char *node, unsigned long long *forw)
{
	char ns[300];
	struct snmp s;

	if (snmp_read(lab_ns_name(lab, node, ns, sizeof(ns)), &s) == -1)
		return -1;
	*forw = s.forw;
	return 0;
}
