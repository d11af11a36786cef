/*
 * ctlc: the client side of arsemu's line-based control sockets (speakers'
 * and the lab daemon's): send one request line, read rows up to ".".
 */
#ifndef ARSEMU_CTLC_H
#define ARSEMU_CTLC_H

#include <stddef.h>

struct ctlc_reply {
	char	**rows;		/* each row NUL-terminated, without the newline */
	size_t	  n;
	char	 *error;	/* the text of an "error" row, else NULL */
};

/*
 * Returns 0 with *r filled (free with ctlc_free), or -errno if the socket
 * could not be reached or did not answer within timeout_ms.
 */
int	ctlc_request(const char *path, const char *req, int timeout_ms,
	    struct ctlc_reply *r);
void	ctlc_free(struct ctlc_reply *r);
/* Split a row at tabs, in place; returns the number of fields (<= max). */
size_t	ctlc_fields(char *row, char **f, size_t max);
/* Connect and send a request; the fd is returned for streaming (watch). */
int	ctlc_open(const char *path, const char *req);

#endif
