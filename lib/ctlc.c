/* ctlc: control socket client; see ctlc.h. */
#include <sys/socket.h>
#include <sys/un.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctlc.h"
#include "ctlsrv.h"
#include "util.h"

int
ctlc_open(const char *path, const char *req)
{
	struct sockaddr_un sun;
	size_t len = strlen(req);
	char *line;
	int fd, e;

	if ((e = ctl_sockaddr(path, &sun)) != 0)
		return e;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -errno;
	line = xasprintf("%s\n", req);
	/* One write: the server may answer and close after the first line. */
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    send(fd, line, len + 1, MSG_NOSIGNAL) != (ssize_t)len + 1) {
		e = errno;
		free(line);
		close(fd);
		return -e;
	}
	free(line);
	return fd;
}

static void
add_row(struct ctlc_reply *r, size_t *cap, const char *s, size_t len)
{
	xgrow(&r->rows, cap, r->n + 1, sizeof(*r->rows));
	r->rows[r->n] = xmalloc(len + 1);
	memcpy(r->rows[r->n], s, len);
	r->rows[r->n][len] = '\0';
	if (strncmp(r->rows[r->n], "error\t", 6) == 0 && r->error == NULL)
		r->error = xstrdup(r->rows[r->n] + 6);
	r->n++;
}

int
ctlc_request(const char *path, const char *req, int timeout_ms,
    struct ctlc_reply *r)
{
	char *buf = NULL, *line, *nl;
	size_t len = 0, cap = 0, rcap = 0;
	struct pollfd pfd;
	ssize_t n;
	int fd, ret = -ETIMEDOUT;

	memset(r, 0, sizeof(*r));
	if ((fd = ctlc_open(path, req)) < 0)
		return fd;
	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		if (poll(&pfd, 1, timeout_ms) <= 0)
			goto out;
		xgrow(&buf, &cap, len + 4096, 1);
		if ((n = read(fd, buf + len, cap - len - 1)) <= 0) {
			ret = n == 0 ? -EPIPE : -errno;
			goto out;
		}
		len += (size_t)n;
		buf[len] = '\0';
		/* Done when the reply ends with a "." line. */
		if ((len == 2 && memcmp(buf, ".\n", 2) == 0) ||
		    (len > 2 && memcmp(buf + len - 3, "\n.\n", 3) == 0))
			break;
	}
	for (line = buf; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
		if (nl - line == 1 && line[0] == '.')
			break;
		add_row(r, &rcap, line, (size_t)(nl - line));
	}
	ret = 0;
out:
	free(buf);
	close(fd);
	return ret;
}

void
ctlc_free(struct ctlc_reply *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->rows[i]);
	free(r->rows);
	free(r->error);
	memset(r, 0, sizeof(*r));
}

size_t
ctlc_fields(char *row, char **f, size_t max)
{
	size_t n = 0;
	char *t;

	while (n < max) {
		f[n++] = row;
		if ((t = strchr(row, '\t')) == NULL)
			break;
		*t = '\0';
		row = t + 1;
	}
	return n;
}
