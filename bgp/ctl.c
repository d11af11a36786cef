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
 * The socket and its clients (non-blocking, each bounded, idle ones timed
 * out, mode 0600) are lib/ctlsrv's, as the lab daemon's are.
 *
 * Must not: change routing state itself; `refresh` asks speaker.c to act.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/ctlsrv.h"
#include "../lib/util.h"
#include "bgpd.h"

/* A reply's or a watch's rows go to the client's bounded output. */
#define out(cl, ...)	ctlsrv_printf((cl), __VA_ARGS__)

struct ctl {
	struct speaker	*s;
	struct ctlsrv	*srv;
};

static void request(void *arg, struct ctlsrv_client *cl, char *line);

static void
ctl_log(void *arg, const char *msg)
{
	speaker_log(((struct ctl *)arg)->s, "%s", msg);
}

struct ctl *
ctl_open(struct speaker *s, const char *path)
{
	struct ctl *c = xcalloc(1, sizeof(*c));
	struct ctlsrv_conf conf = { .path = path, .request = request,
	    .log = ctl_log, .arg = c };

	c->s = s;
	if ((c->srv = ctlsrv_open(&conf)) == NULL) {
		speaker_log(s, "control socket %s: %s", path, strerror(errno));
		free(c);
		return NULL;
	}
	return c;
}

void
ctl_close(struct ctl *c)
{
	if (c == NULL)
		return;
	ctlsrv_close(c->srv);
	free(c);
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
req_peers(struct ctl *c, struct ctlsrv_client *cl)
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
req_learned(struct ctl *c, struct ctlsrv_client *cl, struct peer *p)
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
		    addr_fmt(rp->attrs->nexthop, nh),
		    bgp_aspath_fmt(rp->attrs, '-', path, sizeof(path)),
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
req_advertised(struct ctl *c, struct ctlsrv_client *cl, struct peer *p)
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
out_nhs(struct ctlsrv_client *cl, const uint32_t *nh, unsigned nnh)
{
	char a[ADDR_STRLEN];
	unsigned i;

	for (i = 0; i < nnh; i++)
		out(cl, "%s%s", i ? "," : "", addr_fmt(nh[i], a));
}

/* RFC 1997 communities as "a:b,a:b", "-" for none. */
static void
out_comms(struct ctlsrv_client *cl, const struct bgp_attrs *a)
{
	unsigned i;

	if (a->ncomm == 0)
		out(cl, "-");
	for (i = 0; i < a->ncomm; i++)
		out(cl, "%s%u:%u", i ? "," : "", a->comm[i] >> 16,
		    a->comm[i] & 0xffffu);
}

static void
req_rib(struct ctl *c, struct ctlsrv_client *cl)
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
		    bgp_aspath_fmt(b->attrs, '-', path, sizeof(path)),
		    b->peer ? b->peer->conf->name : "local");
		out_comms(cl, b->attrs);
		out(cl, "\n");
	}
	free(v);
}

static void
req_watch(struct ctl *c, struct ctlsrv_client *cl)
{
	struct rib_entry **v;
	char pf[PFX_STRLEN];
	size_t n, i;

	ctlsrv_stream(cl);
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
req_refresh(struct ctl *c, struct ctlsrv_client *cl, const char *arg)
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
request(void *carg, struct ctlsrv_client *cl, char *line)
{
	struct ctl *c = carg;
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
			out(cl, "error\tcannot write %s: %s\n", arg,
			    errno == ELOOP ? "a symbolic link" :
			    errno == EINVAL ? "not a regular file" :
			    errno == EMLINK ? "a file with another name" :
			    strerror(errno));
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
	return c == NULL ? 0 : ctlsrv_pollfds(c->srv, pfd, max);
}

void
ctl_handle(struct ctl *c, struct pollfd *pfd, size_t n)
{
	if (c != NULL)
		ctlsrv_handle(c->srv, pfd, n);
}

int
ctl_timeout(struct ctl *c)
{
	return c == NULL ? -1 : ctlsrv_timeout(c->srv);
}

void
ctl_fib_change(struct ctl *c, const struct pfx4 *p, const uint32_t *nh,
    unsigned nnh, unsigned hops)
{
	struct ctlsrv_client *cl = NULL;
	char pf[PFX_STRLEN];

	if (c == NULL)
		return;
	while ((cl = ctlsrv_streams(c->srv, cl)) != NULL) {
		out(cl, "fib\t%s\t%u\t", pfx_fmt(p, pf), hops);
		out_nhs(cl, nh, nnh);
		out(cl, "\n");
	}
}

void
ctl_fib_flush(struct ctl *c)
{
	struct ctlsrv_client *cl = NULL;

	if (c == NULL)
		return;
	while ((cl = ctlsrv_streams(c->srv, cl)) != NULL)
		out(cl, "sync\n");
	ctlsrv_flush(c->srv);
}
