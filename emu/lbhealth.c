/*
 * lbhealth: health probes of load balancers' backends (see lbhealth.h).
 * Http and Https probes are made as Tcp ones (a completed connection is
 * a success): arsemu's NVAs serve nothing over HTTP.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/util.h"
#include "lab.h"
#include "lablb.h"
#include "lbhealth.h"
#include "netns.h"

/* A socket of type made in namespace fd (then nonblocking); -1 on error. */
static int
socket_in(int nsfd, int type)
{
	int saved, s;

	if (netns_enter(nsfd, &saved) != 0)
		return -1;
	s = socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	netns_leave(saved);
	return s;
}

/* The service a probe checks: a listener on the port in the backend. */
static int
listener(const struct lbhealth *h, const struct topo_lb *lb, size_t i)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
	    .sin_port = htons(lb->probe_port) };
	char ns[160];
	int fd, s, one = 1;

	lab_ns_name(h->lab, lb->backends[i]->node->name, ns, sizeof(ns));
	if ((fd = netns_open(ns)) < 0)
		return -1;
	s = socket_in(fd, SOCK_STREAM);
	close(fd);
	if (s < 0)
		return -1;
	(void)setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	(void)setsockopt(s, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&sin, sizeof(sin)) != 0 ||
	    listen(s, 16) != 0) {
		close(s);
		return -1;
	}
	return s;
}

void
lbhealth_init(struct lbhealth *h, const char *lab, const struct topo *t,
    struct journal *j)
{
	char ns[160];
	size_t k, i;

	memset(h, 0, sizeof(*h));
	h->lab = lab;
	h->t = t;
	h->j = j;
	h->fabric_fd = -1;
	if (t->nlbs == 0)
		return;
	lab_dir(lab, h->dir, sizeof(h->dir));
	h->fabric_fd = netns_open(lab_fabric_ns(lab, ns, sizeof(ns)));
	h->b = xcalloc(t->nlbs, sizeof(*h->b));
	h->next = xcalloc(t->nlbs, sizeof(*h->next));
	for (k = 0; k < t->nlbs; k++) {
		h->b[k] = xcalloc(t->lbs[k]->nbackends, sizeof(*h->b[k]));
		for (i = 0; i < t->lbs[k]->nbackends; i++) {
			h->b[k][i].up = true;
			h->b[k][i].probe_fd = -1;
			h->b[k][i].listen_fd = listener(h, t->lbs[k], i);
		}
		h->next[k] = mono_ms() + 1000u * t->lbs[k]->probe_interval;
	}
}

/* Accept and close what the probes opened, so the backlog never fills. */
static void
serve(struct lbh_backend *b)
{
	int c;

	while (b->listen_fd >= 0 && (c = accept4(b->listen_fd, NULL, NULL,
	    SOCK_CLOEXEC)) >= 0)
		close(c);
}

/* The probe in flight: answered (a connection made) or not. */
static bool
answered(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	socklen_t len = sizeof(int);
	int err = -1;

	if (poll(&p, 1, 0) != 1 || !(p.revents & POLLOUT))
		return false;
	return getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 &&
	    err == 0;
}

static void
probe_start(struct lbhealth *h, const struct topo_lb *lb, size_t i)
{
	struct sockaddr_in src = { .sin_family = AF_INET,
	    .sin_addr.s_addr = htonl(LABLB_PROBE_SRC) };
	struct sockaddr_in dst = { .sin_family = AF_INET,
	    .sin_port = htons(lb->probe_port),
	    .sin_addr.s_addr = htonl(lb->backends[i]->node->nic->ip) };
	struct lbh_backend *b = &h->b[lb->idx][i];
	struct linger lg = { 1, 0 };

	if ((b->probe_fd = socket_in(h->fabric_fd, SOCK_STREAM)) < 0)
		return;
	/* closed with a reset: no TIME_WAIT left by a probe a second */
	(void)setsockopt(b->probe_fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	if (bind(b->probe_fd, (struct sockaddr *)&src, sizeof(src)) != 0 ||
	    (connect(b->probe_fd, (struct sockaddr *)&dst, sizeof(dst)) != 0 &&
	    errno != EINPROGRESS)) {
		close(b->probe_fd);
		b->probe_fd = -1;
	}
}

/* Rewrite lb's chain with the backends in rotation now. */
static void
apply(struct lbhealth *h, const struct topo_lb *lb)
{
	char *const argv[] = { "nft", "-f", "-", NULL };
	char file[PATH_MAX], err[400];
	bool up[TOPO_LB_BACKENDS_MAX];
	size_t i;
	FILE *f;

	for (i = 0; i < lb->nbackends; i++)
		up[i] = h->b[lb->idx][i].up;
	snprintf(file, sizeof(file), "%.200s/lb%u-health.nft", h->dir, lb->idx);
	if ((f = fopen(file, "w")) == NULL) {
		journal_str(h->j, "error", "text", "lb health: cannot write nft file");
		return;
	}
	fprintf(f, "flush chain ip %s lb%u\ntable ip %s {\n", LABLB_NFT_TABLE,
	    lb->idx, LABLB_NFT_TABLE);
	lablb_chain(f, lb, up);
	fprintf(f, "}\n");
	if (fclose(f) != 0)
		journal_str(h->j, "error", "text", "lb health: cannot write nft file");
	else if (lablb_run(h->fabric_fd, file, argv, err, sizeof(err)) != 0)
		journal_str(h->j, "error", "text", err);
}

/* One probe's result; true if the backend changed state. */
static bool
result(struct lbhealth *h, const struct topo_lb *lb, size_t i, bool ok)
{
	struct lbh_backend *b = &h->b[lb->idx][i];
	struct json *w;

	if (ok) {
		b->fails = 0;
		b->oks++;
	} else {
		b->oks = 0;
		b->fails++;
	}
	if (b->up == ok || (ok ? b->oks : b->fails) < lb->probe_threshold)
		return false;
	b->up = ok;
	if ((w = journal_begin(h->j, "lb-backend")) != NULL) {
		json_kstr(w, "lb", lb->name);
		json_kstr(w, "node", lb->backends[i]->node->name);
		json_kbool(w, "up", ok);
		json_kint(w, "probes", (long long)lb->probe_threshold);
		journal_end(h->j);
	}
	return true;
}

void
lbhealth_tick(struct lbhealth *h, uint64_t now)
{
	const struct topo_lb *lb;
	struct lbh_backend *b;
	bool changed;
	size_t k, i;

	for (k = 0; k < h->t->nlbs; k++) {
		lb = h->t->lbs[k];
		for (i = 0; i < lb->nbackends; i++)
			serve(&h->b[k][i]);
		if (now < h->next[k])
			continue;
		h->next[k] = now + 1000u * lb->probe_interval;
		changed = false;
		for (i = 0; i < lb->nbackends; i++) {
			b = &h->b[k][i];
			/* one that could not even be sent (no route) failed too */
			if (b->probed)
				changed |= result(h, lb, i, b->probe_fd >= 0 &&
				    answered(b->probe_fd));
			if (b->probe_fd >= 0)
				close(b->probe_fd);
			b->probe_fd = -1;
			b->probed = true;
			probe_start(h, lb, i);
		}
		if (changed)
			apply(h, lb);
	}
}

bool
lbhealth_up(const struct lbhealth *h, const struct topo_lb *lb, size_t i)
{
	return h->b == NULL || h->b[lb->idx][i].up;
}

int
lbhealth_service(struct lbhealth *h, const struct topo_node *node, bool run)
{
	struct lbh_backend *b;
	size_t k, i;
	int found = -1;

	for (k = 0; h->b != NULL && k < h->t->nlbs; k++)
		for (i = 0; i < h->t->lbs[k]->nbackends; i++) {
			if (h->t->lbs[k]->backends[i]->node != node)
				continue;
			b = &h->b[k][i];
			found = 0;
			if (!run && b->listen_fd >= 0) {
				close(b->listen_fd);
				b->listen_fd = -1;
			} else if (run && b->listen_fd < 0)
				b->listen_fd = listener(h, h->t->lbs[k], i);
		}
	return found;
}

void
lbhealth_free(struct lbhealth *h)
{
	size_t k, i;

	if (h->t == NULL)
		return;		/* never initialised */
	for (k = 0; h->b != NULL && k < h->t->nlbs; k++) {
		for (i = 0; i < h->t->lbs[k]->nbackends; i++) {
			if (h->b[k][i].listen_fd >= 0)
				close(h->b[k][i].listen_fd);
			if (h->b[k][i].probe_fd >= 0)
				close(h->b[k][i].probe_fd);
		}
		free(h->b[k]);
	}
	free(h->b);
	free(h->next);
	if (h->fabric_fd >= 0)
		close(h->fabric_fd);
	memset(h, 0, sizeof(*h));
}
