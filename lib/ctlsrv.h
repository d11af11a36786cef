/*
 * ctlsrv: the server side of arsemu's line-based control sockets, the one
 * implementation behind a speaker's socket (bgp/ctl.c) and the lab
 * daemon's (emu/control.c). The protocol: a client sends a request line,
 * the owner answers with rows and a "." line (ctlc.h is the client).
 *
 * It never blocks its owner: the socket and every client are non-blocking,
 * and the owner's poll loop drives it (ctlsrv_pollfds before poll,
 * ctlsrv_handle after). Every client is bounded:
 *   - a request line longer than CTLSRV_LINE_MAX - 1 bytes drops it;
 *   - output is not added to a client that has more than out_max bytes
 *     unread (a request is not answered, a stream is not fed): it is
 *     dropped instead, so a client that never reads costs at most out_max
 *     plus one reply;
 *   - a client that neither sends nor reads for idle_ms is dropped (a
 *     streaming client with nothing unread is never idle);
 *   - at most CTLSRV_MAX_CLIENTS at once; further ones wait in the
 *     listen backlog until a slot is free.
 * The socket file is created mode 0600 whatever the umask.
 *
 * Must not: know any request; the owner's request function answers.
 */
#ifndef ARSEMU_CTLSRV_H
#define ARSEMU_CTLSRV_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CTLSRV_MAX_CLIENTS	32
#define CTLSRV_NPOLLFDS		(1 + CTLSRV_MAX_CLIENTS)
#define CTLSRV_LINE_MAX		512
#define CTLSRV_OUT_MAX		(4u << 20)	/* unread bytes per client */
#define CTLSRV_IDLE_MS		10000

struct ctlsrv;
struct ctlsrv_client;

/* Answer one request line (no newline) with ctlsrv_printf/ctlsrv_write. */
typedef void	ctlsrv_request_fn(void *arg, struct ctlsrv_client *cl,
		    char *line);
/* A line for the owner's log (a client dropped, the socket full). */
typedef void	ctlsrv_log_fn(void *arg, const char *msg);

struct ctlsrv_conf {
	const char		*path;
	ctlsrv_request_fn	*request;
	ctlsrv_log_fn		*log;		/* may be NULL */
	void			*arg;		/* for both */
	bool			 oneshot;	/* close after the first reply */
	size_t			 out_max;	/* 0: CTLSRV_OUT_MAX */
	int			 idle_ms;	/* 0: CTLSRV_IDLE_MS */
};

/* Listen on conf->path (replacing a stale socket); NULL with errno set. */
struct ctlsrv	*ctlsrv_open(const struct ctlsrv_conf *conf);
void		 ctlsrv_close(struct ctlsrv *s);
/*
 * Fill at most max (CTLSRV_NPOLLFDS is always enough) pollfds; returns
 * how many. Pass the same array and count to ctlsrv_handle after poll.
 */
size_t		 ctlsrv_pollfds(struct ctlsrv *s, struct pollfd *pfd, size_t max);
void		 ctlsrv_handle(struct ctlsrv *s, const struct pollfd *pfd,
		    size_t n);
/* Milliseconds until a client's idle deadline (for poll), -1 for none. */
int		 ctlsrv_timeout(const struct ctlsrv *s);

void		 ctlsrv_printf(struct ctlsrv_client *cl, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
void		 ctlsrv_write(struct ctlsrv_client *cl, const void *p,
		    size_t len);
/* The client gets output it did not ask for (a watch) from now on. */
void		 ctlsrv_stream(struct ctlsrv_client *cl);
/* The next streaming client after prev (NULL: the first), or NULL. */
struct ctlsrv_client *ctlsrv_streams(struct ctlsrv *s,
		    struct ctlsrv_client *prev);
/* Write what every client has pending, as far as it goes without waiting. */
void		 ctlsrv_flush(struct ctlsrv *s);

/*
 * Fill *sun for an AF_UNIX socket at path: 0, or -ENAMETOOLONG. The one
 * place a control socket's address is made (ctlsrv and ctlc).
 */
struct sockaddr_un;
int		 ctl_sockaddr(const char *path, struct sockaddr_un *sun);

#endif
