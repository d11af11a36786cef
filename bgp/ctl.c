/*
 * ctl: the speaker's control socket (AF_UNIX, stream, one request per line).
 *
 * Requests and their replies (tab-separated rows, then a line "."):
 *   info                  name, asn, bgp id, role, local address
 *   peers                 name addr asn state uptime_s received accepted
 *                         advertised flaps hold keepalive last_error eor
 *   learned PEER          network nextHop asPath origin sourcePeer weight why
 *                         (PEER = name or address; rejected paths included, U-09)
 *   advertised PEER       network nextHop asPath origin weight
 *   rib                   network nextHops asPath from communities
 *                         (communities "a:b,a:b", "-" for none)
 *   announce PREFIX       originate a prefix (drills: a routing change)
 *   withdraw PREFIX       stop originating it
 *   prepend N             prepend our ASN N more times on what we originate
 *   disable PEER          take a peering administratively down (Cease,
 *                         Administrative Shutdown); it stays Idle
 *   enable PEER           bring it back
 *   mrt FILE              the RIB as MRT TABLE_DUMP_V2 into FILE (absolute path);
 *                         "ok<TAB>prefixes"
 *   refresh PEER|all      name, what was done: a ROUTE-REFRESH sent, or for
 *                         a peer without the capability a reset (RS-44)
 *   watch                 "fib<TAB>prefix<TAB>hops<TAB>nh,nh" rows for every
 *                         programmed prefix, then "sync"; then, for as long
 *                         as the client stays, each change (no next hop:
 *                         withdrawn) followed by "sync" after each batch.
 * An error is "error<TAB>text" then ".". Rows are what the CLI formats as
 * text or as az-shaped JSON; the speaker itself prints no JSON.
 *
 * Must not: change routing state itself; `refresh` asks speaker.c to act.
 */
#include <sys/socket.h>
#include <sys/un.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/util.h"
#include "bgpd.h"

#define CTL_MAX_CLIENTS	32
#define CTL_LINE_MAX	512

struct ctl_client {
	int	 fd;
	bool	 watch;
	char	 in[CTL_LINE_MAX];
	size_t	 inlen;
	char	*out;
	size_t	 outlen, outoff, outcap;
};

struct ctl {
	struct speaker		*s;
	int			 fd;
	char			 path[108];
	struct ctl_client	 c[CTL_MAX_CLIENTS];
};

struct ctl *
ctl_open(struct speaker *s, const char *path)
{
	struct sockaddr_un sun;
	struct ctl *c;
	unsigned i;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path))
		return NULL;
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd == -1)
		return NULL;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    listen(fd, 8) == -1) {
		speaker_log(s, "control socket %s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	c = xcalloc(1, sizeof(*c));
	c->s = s;
	c->fd = fd;
	strcpy(c->path, path);
	for (i = 0; i < CTL_MAX_CLIENTS; i++)
		c->c[i].fd = -1;
	return c;
}

static void
client_close(struct ctl_client *cl)
{
	if (cl->fd != -1)
		close(cl->fd);
	free(cl->out);
	memset(cl, 0, sizeof(*cl));
	cl->fd = -1;
}

void
ctl_close(struct ctl *c)
{
	unsigned i;

	if (c == NULL)
		return;
	for (i = 0; i < CTL_MAX_CLIENTS; i++)
		client_close(&c->c[i]);
	close(c->fd);
	unlink(c->path);
	free(c);
}

static void
out_flush(struct ctl_client *cl)
{
	ssize_t n;

	while (cl->outoff < cl->outlen) {
		n = write(cl->fd, cl->out + cl->outoff, cl->outlen - cl->outoff);
		if (n == -1) {
			if (errno != EAGAIN && errno != EINTR)
				cl->outoff = cl->outlen;	/* gone: drop */
			break;
		}
		cl->outoff += (size_t)n;
	}
	if (cl->outoff == cl->outlen)
		cl->outoff = cl->outlen = 0;
}

static void __attribute__((format(printf, 2, 3)))
out(struct ctl_client *cl, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	xgrow(&cl->out, &cl->outcap, cl->outlen + (size_t)n + 1, 1);
	va_start(ap, fmt);
	vsnprintf(cl->out + cl->outlen, (size_t)n + 1, fmt, ap);
	va_end(ap);
	cl->outlen += (size_t)n;
}

static struct peer *
find_peer(struct speaker *s, const char *key)
{
	uint32_t a;
	unsigned i;
	bool isaddr = addr_parse(key, &a) == 0;

	for (i = 0; i < s->npeers; i++) {
		struct peer *p = &s->peers[i];

		if (strcmp(p->conf->name, key) == 0 ||
		    (isaddr && p->conf->addr == a))
			return p;
	}
	return NULL;
}

static const char *
origin_str(uint8_t o)
{
	return o == BGP_ORIGIN_IGP ? "Igp" : o == BGP_ORIGIN_EGP ? "Egp" :
	    "Incomplete";
}

static void
peer_counts(struct speaker *s, struct peer *p, size_t *acc)
{
	struct rib_entry **v;
	size_t n, i;

	*acc = 0;
	n = rib_sorted(&s->rib, &v);
	for (i = 0; i < n; i++) {
		struct rib_path *rp = rib_path_find(v[i], p);

		if (rp != NULL && rp->reject == NULL)
			(*acc)++;
	}
	free(v);
}

static void
req_peers(struct ctl *c, struct ctl_client *cl)
{
	struct speaker *s = c->s;
	char a[ADDR_STRLEN];
	uint64_t now = mono_ms();
	unsigned i;

	for (i = 0; i < s->npeers; i++) {
		struct peer *p = &s->peers[i];
		size_t acc;

		peer_counts(s, p, &acc);
		out(cl, "%s\t%s\t%u\t%s\t%llu\t%zu\t%zu\t%zu\t%u\t%u\t%u\t%s\t%d\n",
		    p->conf->name, addr_fmt(p->conf->addr, a), p->conf->asn,
		    fsm_state_str(p->state),
		    p->up_since ? (unsigned long long)(now - p->up_since) / 1000 : 0,
		    p->nroutes, acc, p->nadvertised, p->flaps, p->hold,
		    p->keepalive, p->last_error[0] ? p->last_error : "-",
		    p->eor_rcvd);
	}
}

static void
req_learned(struct ctl *c, struct ctl_client *cl, struct peer *p)
{
	struct rib_entry **v;
	char pf[PFX_STRLEN], nh[ADDR_STRLEN], src[ADDR_STRLEN], path[256];
	size_t n, i;

	n = rib_sorted(&c->s->rib, &v);
	for (i = 0; i < n; i++) {
		struct rib_path *rp = rib_path_find(v[i], p);

		if (rp == NULL)
			continue;
		out(cl, "%s\t%s\t%s\t%s\t%s\t32768\t%s\n", pfx_fmt(&v[i]->pfx, pf),
		    addr_fmt(rp->attrs.nexthop, nh),
		    bgp_aspath_fmt(&rp->attrs, '-', path, sizeof(path)),
		    p->conf->asn == c->s->conf->asn ? "IBgp" : "EBgp",
		    addr_fmt(p->conf->addr, src), rp->reject ? rp->reject : "-");
	}
	free(v);
}

/*
 * What the peer was sent: the prefixes whose bit says so, with the export
 * of their best path (the export pass has run since any change).
 */
static void
req_advertised(struct ctl *c, struct ctl_client *cl, struct peer *p)
{
	struct rib_entry **v;
	char pf[PFX_STRLEN], nh[ADDR_STRLEN], path[256];
	struct bgp_attrs a;
	size_t n, i;

	n = rib_sorted(&c->s->rib, &v);
	for (i = 0; i < n; i++) {
		if (!(v[i]->adv & (1ull << p->idx)))
			continue;
		bgp_attrs_init(&a);
		if (policy_export(c->s, p, v[i], &a))
			out(cl, "%s\t%s\t%s\t%s\t0\n", pfx_fmt(&v[i]->pfx, pf),
			    addr_fmt(a.nexthop, nh),
			    bgp_aspath_fmt(&a, '-', path, sizeof(path)),
			    origin_str(a.origin));
		bgp_attrs_free(&a);
	}
	free(v);
}

static void
out_nhs(struct ctl_client *cl, const uint32_t *nh, unsigned nnh)
{
	char a[ADDR_STRLEN];
	unsigned i;

	for (i = 0; i < nnh; i++)
		out(cl, "%s%s", i ? "," : "", addr_fmt(nh[i], a));
}

/* RFC 1997 communities as "a:b,a:b", "-" for none. */
static void
out_comms(struct ctl_client *cl, const struct bgp_attrs *a)
{
	unsigned i;

	if (a->ncomm == 0)
		out(cl, "-");
	for (i = 0; i < a->ncomm; i++)
		out(cl, "%s%u:%u", i ? "," : "", a->comm[i] >> 16,
		    a->comm[i] & 0xffffu);
}

static void
req_rib(struct ctl *c, struct ctl_client *cl)
{
	struct rib_entry **v;
	char pf[PFX_STRLEN], path[256];
	size_t n, i;

	n = rib_sorted(&c->s->rib, &v);
	for (i = 0; i < n; i++) {
		struct rib_path *b = v[i]->best;

		if (b == NULL)
			continue;
		out(cl, "%s\t", pfx_fmt(&v[i]->pfx, pf));
		out_nhs(cl, rib_fib_nh(v[i]), v[i]->fib_nnh);
		out(cl, "%s\t%s\t%s\t", v[i]->fib_nnh ? "" : "-",
		    bgp_aspath_fmt(&b->attrs, '-', path, sizeof(path)),
		    b->peer ? b->peer->conf->name : "local");
		out_comms(cl, &b->attrs);
		out(cl, "\n");
	}
	free(v);
}

static void
req_watch(struct ctl *c, struct ctl_client *cl)
{
	struct rib_entry **v;
	char pf[PFX_STRLEN];
	size_t n, i;

	cl->watch = true;
	n = rib_sorted(&c->s->rib, &v);
	for (i = 0; i < n; i++) {
		if (v[i]->fib_nnh == 0)
			continue;
		out(cl, "fib\t%s\t%u\t", pfx_fmt(&v[i]->pfx, pf), v[i]->fib_hops);
		out_nhs(cl, rib_fib_nh(v[i]), v[i]->fib_nnh);
		out(cl, "\n");
	}
	free(v);
	out(cl, "sync\n");
}

static void
req_refresh(struct ctl *c, struct ctl_client *cl, const char *arg)
{
	struct peer *p;
	unsigned i;

	if (arg != NULL && strcmp(arg, "all") == 0) {
		for (i = 0; i < c->s->npeers; i++) {
			p = &c->s->peers[i];
			out(cl, "%s\t%s\n", p->conf->name, speaker_refresh(p));
		}
	} else if (arg == NULL || (p = find_peer(c->s, arg)) == NULL)
		out(cl, "error\tno peering named %s\n", arg ? arg : "(none)");
	else
		out(cl, "%s\t%s\n", p->conf->name, speaker_refresh(p));
}

static void
request(struct ctl *c, struct ctl_client *cl, char *line)
{
	char *arg = strchr(line, ' ');
	struct peer *p;

	if (arg != NULL)
		*arg++ = '\0';
	if (strcmp(line, "info") == 0) {
		out(cl, "%s\t%u\t%s\t%s\t%s\n", c->s->conf->name, c->s->conf->asn,
		    addr_fmt(c->s->conf->bgp_id, (char[ADDR_STRLEN]){0}),
		    c->s->conf->role == BGP_ROLE_RS ? "route-server" : "router",
		    addr_fmt(c->s->conf->local_addr, (char[ADDR_STRLEN]){0}));
	} else if (strcmp(line, "peers") == 0) {
		req_peers(c, cl);
	} else if (strcmp(line, "announce") == 0 || strcmp(line, "withdraw") == 0) {
		struct pfx4 pf;

		if (arg == NULL || pfx_parse(arg, &pf) != 0)
			out(cl, "error\t%s needs a prefix\n", line);
		else
			out(cl, "ok\t%s\n", speaker_originate(c->s, &pf,
			    line[0] == 'a'));
	} else if (strcmp(line, "prepend") == 0) {
		char *end = NULL;
		unsigned long n = arg ? strtoul(arg, &end, 10) : 0;

		if (arg == NULL || *arg == '\0' || *end != '\0')
			out(cl, "error\tprepend needs a count\n");
		else
			out(cl, "ok\t%s\n", speaker_set_prepend(c->s, (unsigned)n));
	} else if (strcmp(line, "disable") == 0 || strcmp(line, "enable") == 0) {
		if (arg == NULL || (p = find_peer(c->s, arg)) == NULL)
			out(cl, "error\tno peering named %s\n", arg ? arg : "(none)");
		else
			out(cl, "ok\t%s\n", speaker_admin(p, line[0] == 'd'));
	} else if (strcmp(line, "mrt") == 0) {
		size_t np;

		if (arg == NULL || arg[0] != '/')
			out(cl, "error\tmrt needs an absolute file name\n");
		else if (mrt_dump(c->s, arg, &np) == -1)
			out(cl, "error\tcannot write %s\n", arg);
		else
			out(cl, "ok\t%zu\n", np);
	} else if (strcmp(line, "rib") == 0) {
		req_rib(c, cl);
	} else if (strcmp(line, "watch") == 0) {
		req_watch(c, cl);
		return;
	} else if (strcmp(line, "refresh") == 0) {
		req_refresh(c, cl, arg);
	} else if (strcmp(line, "learned") == 0 || strcmp(line, "advertised") == 0) {
		if (arg == NULL || (p = find_peer(c->s, arg)) == NULL) {
			out(cl, "error\tno peering named %s\n", arg ? arg : "(none)");
		} else if (line[0] == 'l')
			req_learned(c, cl, p);
		else
			req_advertised(c, cl, p);
	} else
		out(cl, "error\tunknown request %s\n", line);
	out(cl, ".\n");
}

size_t
ctl_pollfds(struct ctl *c, struct pollfd *pfd, size_t max)
{
	size_t n = 0;
	unsigned i;

	if (c == NULL || max == 0)
		return 0;
	pfd[n++] = (struct pollfd){ .fd = c->fd, .events = POLLIN };
	for (i = 0; i < CTL_MAX_CLIENTS && n < max; i++) {
		struct ctl_client *cl = &c->c[i];

		if (cl->fd == -1)
			continue;
		pfd[n] = (struct pollfd){ .fd = cl->fd, .events = POLLIN };
		if (cl->outlen > cl->outoff)
			pfd[n].events |= POLLOUT;
		n++;
	}
	return n;
}

static void
client_accept(struct ctl *c)
{
	unsigned i;
	int fd;

	if ((fd = accept4(c->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK)) == -1)
		return;
	for (i = 0; i < CTL_MAX_CLIENTS; i++) {
		if (c->c[i].fd == -1) {
			c->c[i].fd = fd;
			return;
		}
	}
	close(fd);
}

static void
client_read(struct ctl *c, struct ctl_client *cl)
{
	char *nl;
	ssize_t n;

	n = read(cl->fd, cl->in + cl->inlen, sizeof(cl->in) - 1 - cl->inlen);
	if (n <= 0) {
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			client_close(cl);
		return;
	}
	cl->inlen += (size_t)n;
	cl->in[cl->inlen] = '\0';
	while ((nl = strchr(cl->in, '\n')) != NULL) {
		size_t used = (size_t)(nl - cl->in) + 1;

		*nl = '\0';
		if (nl > cl->in && nl[-1] == '\r')
			nl[-1] = '\0';
		request(c, cl, cl->in);
		memmove(cl->in, cl->in + used, cl->inlen - used + 1);
		cl->inlen -= used;
	}
	if (cl->inlen == sizeof(cl->in) - 1)
		client_close(cl);	/* a line that long is not a request */
}

void
ctl_handle(struct ctl *c, struct pollfd *pfd, size_t n)
{
	size_t i;
	unsigned k;

	if (c == NULL || n == 0)
		return;
	if (pfd[0].revents & POLLIN)
		client_accept(c);
	for (i = 1; i < n; i++) {
		for (k = 0; k < CTL_MAX_CLIENTS; k++) {
			struct ctl_client *cl = &c->c[k];

			if (cl->fd != pfd[i].fd)
				continue;
			if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))
				client_read(c, cl);
			if (cl->fd != -1)
				out_flush(cl);
			break;
		}
	}
}

void
ctl_fib_change(struct ctl *c, const struct pfx4 *p, const uint32_t *nh,
    unsigned nnh, unsigned hops)
{
	char pf[PFX_STRLEN];
	unsigned i;

	if (c == NULL)
		return;
	for (i = 0; i < CTL_MAX_CLIENTS; i++) {
		struct ctl_client *cl = &c->c[i];

		if (cl->fd == -1 || !cl->watch)
			continue;
		out(cl, "fib\t%s\t%u\t", pfx_fmt(p, pf), hops);
		out_nhs(cl, nh, nnh);
		out(cl, "\n");
	}
}

void
ctl_fib_flush(struct ctl *c)
{
	unsigned i;

	if (c == NULL)
		return;
	for (i = 0; i < CTL_MAX_CLIENTS; i++) {
		struct ctl_client *cl = &c->c[i];

		if (cl->fd == -1 || !cl->watch)
			continue;
		out(cl, "sync\n");
		out_flush(cl);
	}
}
