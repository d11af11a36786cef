/* ctlsrv: the control sockets' server; see ctlsrv.h. */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctlsrv.h"
#include "util.h"

struct ctlsrv_client {
	struct ctlsrv	*srv;
	int		 fd;		/* -1: a free slot */
	bool		 stream;
	bool		 busy;		/* its request is being answered */
	bool		 done;		/* oneshot: answered, close when written */
	char		 in[CTLSRV_LINE_MAX];
	size_t		 inlen;
	char		*out;
	size_t		 outlen, outoff, outcap;
	uint64_t	 last_io;	/* a byte read or written, or accepted */
};

struct ctlsrv {
	int			 fd;
	char			 path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct ctlsrv_conf	 conf;
	bool			 full;		/* logged that it is */
	struct ctlsrv_client	 c[CTLSRV_MAX_CLIENTS];
	int			 slot[CTLSRV_NPOLLFDS];	/* pollfd -> client */
};

int
ctl_sockaddr(const char *path, struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path))
		return -ENAMETOOLONG;
	memcpy(sun->sun_path, path, strlen(path) + 1);
	return 0;
}

static void __attribute__((format(printf, 2, 3)))
srv_log(struct ctlsrv *s, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (s->conf.log == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	s->conf.log(s->conf.arg, msg);
}

struct ctlsrv *
ctlsrv_open(const struct ctlsrv_conf *conf)
{
	struct sockaddr_un sun;
	struct ctlsrv *s;
	mode_t um;
	unsigned i;
	int fd, e;

	if ((e = ctl_sockaddr(conf->path, &sun)) != 0) {
		errno = -e;
		return NULL;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd == -1)
		return NULL;
	unlink(conf->path);
	/* 0600 from the start: no moment where another user may connect */
	um = umask(0177);
	e = bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ? errno : 0;
	umask(um);
	if (e == 0 && (chmod(conf->path, 0600) == -1 ||
	    listen(fd, SOMAXCONN) == -1))
		e = errno;
	if (e != 0) {
		close(fd);
		errno = e;
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	s->fd = fd;
	s->conf = *conf;
	snprintf(s->path, sizeof(s->path), "%s", conf->path);
	s->conf.path = s->path;
	if (s->conf.out_max == 0)
		s->conf.out_max = CTLSRV_OUT_MAX;
	if (s->conf.idle_ms <= 0)
		s->conf.idle_ms = CTLSRV_IDLE_MS;
	for (i = 0; i < CTLSRV_MAX_CLIENTS; i++) {
		s->c[i].srv = s;
		s->c[i].fd = -1;
	}
	return s;
}

static void
client_close(struct ctlsrv_client *cl)
{
	struct ctlsrv *s = cl->srv;

	if (cl->fd != -1)
		close(cl->fd);
	free(cl->out);
	memset(cl, 0, sizeof(*cl));
	cl->srv = s;
	cl->fd = -1;
}

static size_t
unread(const struct ctlsrv_client *cl)
{
	return cl->outlen - cl->outoff;
}

static void
client_drop(struct ctlsrv_client *cl, const char *why)
{
	srv_log(cl->srv, "control socket %s: client dropped: %s",
	    cl->srv->path, why);
	client_close(cl);
}

/* Is output to this client over its bound? Then drop it, and say so. */
static bool
over(struct ctlsrv_client *cl)
{
	char why[128];

	if (unread(cl) <= cl->srv->conf.out_max)
		return false;
	snprintf(why, sizeof(why), "%zu bytes unread (at most %zu)",
	    unread(cl), cl->srv->conf.out_max);
	client_drop(cl, why);
	return true;
}

void
ctlsrv_close(struct ctlsrv *s)
{
	unsigned i;

	if (s == NULL)
		return;
	for (i = 0; i < CTLSRV_MAX_CLIENTS; i++)
		client_close(&s->c[i]);
	close(s->fd);
	unlink(s->path);
	free(s);
}

void
ctlsrv_write(struct ctlsrv_client *cl, const void *p, size_t len)
{
	if (cl->fd == -1 || (!cl->busy && over(cl)))
		return;
	if (cl->outoff > 0 && cl->outoff == cl->outlen)
		cl->outoff = cl->outlen = 0;
	xgrow(&cl->out, &cl->outcap, cl->outlen + len + 1, 1);
	memcpy(cl->out + cl->outlen, p, len);
	cl->outlen += len;
}

void
ctlsrv_printf(struct ctlsrv_client *cl, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (cl->fd == -1 || (!cl->busy && over(cl)))
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (cl->outoff > 0 && cl->outoff == cl->outlen)
		cl->outoff = cl->outlen = 0;
	xgrow(&cl->out, &cl->outcap, cl->outlen + (size_t)n + 1, 1);
	va_start(ap, fmt);
	vsnprintf(cl->out + cl->outlen, (size_t)n + 1, fmt, ap);
	va_end(ap);
	cl->outlen += (size_t)n;
}

void
ctlsrv_stream(struct ctlsrv_client *cl)
{
	cl->stream = true;
}

struct ctlsrv_client *
ctlsrv_streams(struct ctlsrv *s, struct ctlsrv_client *prev)
{
	size_t i = prev == NULL ? 0 : (size_t)(prev - s->c) + 1;

	if (s == NULL)
		return NULL;
	for (; i < CTLSRV_MAX_CLIENTS; i++)
		if (s->c[i].fd != -1 && s->c[i].stream)
			return &s->c[i];
	return NULL;
}

/* Write what is pending, as far as the socket takes it now. */
static void
client_flush(struct ctlsrv_client *cl)
{
	ssize_t n;

	while (cl->fd != -1 && unread(cl) > 0) {
		n = send(cl->fd, cl->out + cl->outoff, unread(cl),
		    MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n == -1) {
			if (errno != EAGAIN && errno != EINTR)
				client_close(cl);	/* gone */
			return;
		}
		cl->outoff += (size_t)n;
		cl->last_io = mono_ms();
	}
	if (cl->fd == -1)
		return;
	cl->outoff = cl->outlen = 0;
	if (cl->done)
		client_close(cl);
}

void
ctlsrv_flush(struct ctlsrv *s)
{
	unsigned i;

	if (s == NULL)
		return;
	for (i = 0; i < CTLSRV_MAX_CLIENTS; i++)
		if (s->c[i].fd != -1)
			client_flush(&s->c[i]);
}

static unsigned
nclients(const struct ctlsrv *s)
{
	unsigned i, n = 0;

	for (i = 0; i < CTLSRV_MAX_CLIENTS; i++)
		n += s->c[i].fd != -1;
	return n;
}

size_t
ctlsrv_pollfds(struct ctlsrv *s, struct pollfd *pfd, size_t max)
{
	size_t n = 0;
	unsigned i;

	if (s == NULL || max == 0)
		return 0;
	/* Full: new clients wait in the backlog (-1 is ignored by poll). */
	s->slot[n] = -1;
	pfd[n++] = (struct pollfd){ .fd = nclients(s) < CTLSRV_MAX_CLIENTS ?
	    s->fd : -1, .events = POLLIN };
	for (i = 0; i < CTLSRV_MAX_CLIENTS && n < max; i++) {
		struct ctlsrv_client *cl = &s->c[i];

		if (cl->fd == -1)
			continue;
		pfd[n] = (struct pollfd){ .fd = cl->fd,
		    .events = cl->done ? 0 : POLLIN };
		if (unread(cl) > 0)
			pfd[n].events |= POLLOUT;
		s->slot[n++] = (int)i;
	}
	return n;
}

static void
client_accept(struct ctlsrv *s)
{
	unsigned i = 0;
	int fd;

	for (;;) {
		while (i < CTLSRV_MAX_CLIENTS && s->c[i].fd != -1)
			i++;
		if (i == CTLSRV_MAX_CLIENTS) {
			if (!s->full)
				srv_log(s, "control socket %s: %d clients, "
				    "further ones wait", s->path,
				    CTLSRV_MAX_CLIENTS);
			s->full = true;
			return;
		}
		s->full = false;
		fd = accept4(s->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd == -1)
			return;
		s->c[i].fd = fd;
		s->c[i].last_io = mono_ms();
	}
}

/* Answer each whole line read; false if the client is gone. */
static bool
client_lines(struct ctlsrv_client *cl)
{
	struct ctlsrv *s = cl->srv;
	char *nl;

	while (cl->fd != -1 && !cl->done &&
	    (nl = memchr(cl->in, '\n', cl->inlen)) != NULL) {
		size_t used = (size_t)(nl - cl->in) + 1;

		if (over(cl))
			return false;
		*nl = '\0';
		if (nl > cl->in && nl[-1] == '\r')
			nl[-1] = '\0';
		cl->busy = true;
		s->conf.request(s->conf.arg, cl, cl->in);
		cl->busy = false;
		if (cl->fd == -1)
			return false;
		memmove(cl->in, cl->in + used, cl->inlen - used);
		cl->inlen -= used;
		if (s->conf.oneshot)
			cl->done = true;
	}
	if (cl->fd != -1 && !cl->done && cl->inlen == sizeof(cl->in)) {
		client_drop(cl, "a request line too long");
		return false;
	}
	return cl->fd != -1;
}

static void
client_read(struct ctlsrv_client *cl)
{
	ssize_t n;

	if (cl->done)
		return;
	n = read(cl->fd, cl->in + cl->inlen, sizeof(cl->in) - cl->inlen);
	if (n == 0 && unread(cl) > 0)
		cl->done = true;	/* it stopped sending: finish the reply */
	else if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR))
		client_close(cl);
	if (n <= 0)
		return;
	cl->inlen += (size_t)n;
	cl->last_io = mono_ms();
	client_lines(cl);
}

/* Can the client be dropped for saying and reading nothing? */
static bool
times_out(const struct ctlsrv_client *cl)
{
	return !(cl->stream && unread(cl) == 0);
}

int
ctlsrv_timeout(const struct ctlsrv *s)
{
	uint64_t now = mono_ms(), dl, first = 0;
	unsigned i;

	if (s == NULL)
		return -1;
	for (i = 0; i < CTLSRV_MAX_CLIENTS; i++) {
		const struct ctlsrv_client *cl = &s->c[i];

		if (cl->fd == -1 || !times_out(cl))
			continue;
		dl = cl->last_io + (uint64_t)s->conf.idle_ms;
		if (first == 0 || dl < first)
			first = dl;
	}
	if (first == 0)
		return -1;
	return first <= now ? 0 : (int)(first - now);
}

void
ctlsrv_handle(struct ctlsrv *s, const struct pollfd *pfd, size_t n)
{
	uint64_t now;
	size_t i;
	char why[64];

	if (s == NULL)
		return;
	for (i = 1; i < n; i++) {
		struct ctlsrv_client *cl = &s->c[s->slot[i]];

		if (cl->fd != pfd[i].fd || pfd[i].revents == 0)
			continue;
		if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))
			client_read(cl);
		if (cl->fd != -1)
			client_flush(cl);
	}
	if (n > 0 && (pfd[0].revents & POLLIN))
		client_accept(s);
	now = mono_ms();
	for (i = 0; i < CTLSRV_MAX_CLIENTS; i++) {
		struct ctlsrv_client *cl = &s->c[i];

		if (cl->fd == -1 || !times_out(cl) ||
		    now < cl->last_io + (uint64_t)s->conf.idle_ms)
			continue;
		snprintf(why, sizeof(why), "idle for %d ms%s", s->conf.idle_ms,
		    unread(cl) > 0 ? " with a reply unread" : "");
		client_drop(cl, why);
	}
}
