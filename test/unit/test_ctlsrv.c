/*
 * test_ctlsrv: the control sockets' server (lib/ctlsrv.c), driven here by
 * a poll loop of the test's own, with clients that misbehave: one that
 * never reads its replies, one that says nothing, one with an endless
 * line, a hundred at once; the socket's mode under umask 000.
 *
 * Then a speaker process (no root: a port above 1024) with its control
 * socket, which is that server: the same misbehaving clients, and an
 * MRT dump asked to write through a symbolic link.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../bgp/bgp.h"
#include "../../lib/ctlc.h"
#include "../../lib/ctlsrv.h"
#include "../../lib/util.h"
#include "t.h"

#define BIG_REPLY	(256u << 10)
#define MANY		100

static char dir[64];
static char logtext[8192];

static void
tlog(void *arg, const char *msg)
{
	size_t n = strlen(logtext);

	snprintf(logtext + n, sizeof(logtext) - n, "%s\n", msg);
}

/* "echo X": X; "big": BIG_REPLY bytes; "watch": a stream. */
static void
treq(void *arg, struct ctlsrv_client *cl, char *line)
{
	static char big[BIG_REPLY];

	if (strncmp(line, "echo ", 5) == 0)
		ctlsrv_printf(cl, "%s\n", line + 5);
	else if (strcmp(line, "big") == 0) {
		memset(big, 'x', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\n';
		ctlsrv_write(cl, big, sizeof(big));
	} else if (strcmp(line, "watch") == 0) {
		ctlsrv_stream(cl);
		ctlsrv_printf(cl, "sync\n");
		return;
	}
	ctlsrv_printf(cl, ".\n");
}

static struct ctlsrv *
srv_open(const char *name, size_t out_max, int idle_ms)
{
	char path[128];
	struct ctlsrv_conf conf = { .path = path, .request = treq,
	    .log = tlog, .out_max = out_max, .idle_ms = idle_ms };

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return ctlsrv_open(&conf);
}

/* Run the server's side for ms: what the owner's poll loop does. */
static void
pump(struct ctlsrv *s, int ms)
{
	struct pollfd pfd[CTLSRV_NPOLLFDS];
	uint64_t until = mono_ms() + (uint64_t)ms;
	size_t n;

	do {
		n = ctlsrv_pollfds(s, pfd, NELEM(pfd));
		poll(pfd, n, 10);
		ctlsrv_handle(s, pfd, n);
	} while (mono_ms() < until);
}

static int
client(const char *name)
{
	struct timeval tv = { .tv_sec = 2 };
	struct sockaddr_un sun;
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (ctl_sockaddr(path, &sun) != 0)
		return -1;
	/* waits while the backlog is full (2 s at most), then non-blocking */
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		close(fd);
		return -1;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
}

static void
say(int fd, const char *s)
{
	(void)!send(fd, s, strlen(s), MSG_NOSIGNAL);
}

/* What fd has to read now, into buf; 0 for EOF, -1 for nothing yet. */
static ssize_t
hear(int fd, char *buf, size_t len)
{
	ssize_t n = recv(fd, buf, len - 1, MSG_DONTWAIT);

	if (n == -1 && errno != EAGAIN)
		n = 0;		/* reset: as closed */
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/* Has the server closed fd? Reads (and drops) what is left. */
static bool
closed(int fd)
{
	char buf[65536];
	ssize_t n;

	while ((n = hear(fd, buf, sizeof(buf))) > 0)
		;
	return n == 0;
}

static void
test_mode(void)
{
	struct ctlsrv *s;
	struct stat st;
	char path[128];
	mode_t um = umask(0);

	s = srv_open("mode.sock", 0, 0);
	umask(um);
	snprintf(path, sizeof(path), "%s/mode.sock", dir);
	if (s == NULL || stat(path, &st) == -1)
		st.st_mode = 0;
	T_EQ(st.st_mode & 0777, 0600,
	    "the socket is made 0600 under umask 000 (mode %o)",
	    (unsigned)(st.st_mode & 0777));
	ctlsrv_close(s);
	T_OK(access(path, F_OK) != 0, "closing removes the socket file");
}

static void
test_never_reads(void)
{
	struct ctlsrv *s = srv_open("slow.sock", 1u << 20, 60000);
	char buf[256];
	int a, b, i;

	logtext[0] = '\0';
	a = client("slow.sock");
	/* 16 MiB of replies asked for, none read */
	for (i = 0; i < 64; i++)
		say(a, "big\n");
	pump(s, 300);
	b = client("slow.sock");
	say(b, "echo hello\n");
	pump(s, 200);
	T_OK(hear(b, buf, sizeof(buf)) > 0 && strcmp(buf, "hello\n.\n") == 0,
	    "another client is served while one never reads");
	T_OK(strstr(logtext, "bytes unread (at most 1048576)") != NULL,
	    "the client that never reads is dropped over its bound, and the "
	    "log says why");
	T_OK(closed(a), "its connection is closed");
	close(a);
	close(b);
	ctlsrv_close(s);
}

static void
test_idle(void)
{
	struct ctlsrv *s = srv_open("idle.sock", 0, 200);
	int a, w, b;

	logtext[0] = '\0';
	a = client("idle.sock");
	w = client("idle.sock");
	say(w, "watch\n");
	pump(s, 50);
	b = client("idle.sock");
	say(b, "echo x");		/* half a line */
	pump(s, 500);
	T_OK(closed(a), "a client that says nothing is timed out");
	T_OK(closed(b), "so is one that never finishes its line");
	T_OK(strstr(logtext, "idle for 200 ms") != NULL, "the log says so");
	T_OK(!closed(w), "a watching client with nothing unread is not idle");
	close(a);
	close(b);
	close(w);
	ctlsrv_close(s);
}

static void
test_stream_bound(void)
{
	struct ctlsrv *s = srv_open("stream.sock", 64u << 10, 60000);
	struct ctlsrv_client *cl;
	int w, i, k, n;

	logtext[0] = '\0';
	w = client("stream.sock");
	say(w, "watch\n");
	pump(s, 50);
	T_OK(ctlsrv_streams(s, NULL) != NULL, "a watch makes a stream");
	/* far more than the socket and the bound take, never read */
	for (k = 0; k < 100; k++) {
		for (cl = NULL; (cl = ctlsrv_streams(s, cl)) != NULL;)
			for (i = 0; i < 100; i++)
				ctlsrv_printf(cl, "fib\t10.%d.%d.0/24\t1\t10.0.0.1\n",
				    k, i);
		ctlsrv_flush(s);
	}
	n = 0;
	for (cl = NULL; (cl = ctlsrv_streams(s, cl)) != NULL;)
		n++;
	T_EQ(n, 0, "a watcher that never reads is dropped over its bound");
	T_OK(strstr(logtext, "bytes unread (at most 65536)") != NULL,
	    "the log says why");
	T_OK(closed(w), "its connection is closed");
	close(w);
	ctlsrv_close(s);
}

static void
test_long_line(void)
{
	struct ctlsrv *s = srv_open("long.sock", 0, 60000);
	char line[CTLSRV_LINE_MAX + 10];
	int a;

	logtext[0] = '\0';
	memset(line, 'a', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	a = client("long.sock");
	say(a, line);
	pump(s, 100);
	T_OK(closed(a) && strstr(logtext, "a request line too long") != NULL,
	    "a request line over CTLSRV_LINE_MAX drops the client");
	close(a);
	ctlsrv_close(s);
}

static void
test_many(void)
{
	struct ctlsrv *s = srv_open("many.sock", 0, 60000);
	char want[32], buf[64];
	int fd[MANY], i, ok = 0, connected = 0;
	uint64_t until = mono_ms() + 5000;
	bool got[MANY] = { false };

	for (i = 0; i < MANY; i++) {
		if ((fd[i] = client("many.sock")) == -1)
			continue;
		connected++;
		snprintf(want, sizeof(want), "echo %d\n", i);
		say(fd[i], want);
	}
	while (ok < connected && mono_ms() < until) {
		pump(s, 20);
		for (i = 0; i < MANY; i++) {
			if (fd[i] == -1 || got[i] || hear(fd[i], buf,
			    sizeof(buf)) <= 0)
				continue;
			snprintf(want, sizeof(want), "%d\n.\n", i);
			got[i] = strcmp(buf, want) == 0;
			ok += got[i];
			close(fd[i]);	/* a slot free for the next */
			fd[i] = -1;
		}
	}
	T_EQ(connected, MANY, "%d clients connect at once (%d slots)", MANY,
	    CTLSRV_MAX_CLIENTS);
	T_EQ(ok, MANY, "each is answered (%d)", ok);
	for (i = 0; i < MANY; i++)
		if (fd[i] != -1)
			close(fd[i]);
	ctlsrv_close(s);
}

/* ---- a speaker's control socket --------------------------------------- */

static pid_t
speaker(const char *sock, uint16_t port)
{
	struct bgp_conf c;
	char log[128];
	pid_t pid;
	mode_t um = umask(0);

	bgp_conf_init(&c);
	snprintf(c.name, sizeof(c.name), "rs");
	c.role = BGP_ROLE_RS;
	c.asn = 65515;
	addr_parse("127.0.0.1", &c.local_addr);
	c.bgp_id = c.local_addr;
	c.port = port;
	snprintf(c.ctl_path, sizeof(c.ctl_path), "%s", sock);
	if ((pid = fork()) == 0) {
		snprintf(log, sizeof(log), "%s/rs.log", dir);
		(void)!freopen(log, "w", stderr);
		_exit(bgp_speaker_run(&c) == 0 ? 0 : 1);
	}
	umask(um);
	return pid;
}

static bool
answers(const char *sock, int ms)
{
	struct ctlc_reply r;
	bool ok;

	ok = ctlc_request(sock, "info", ms, &r) == 0 && r.n == 1 &&
	    strncmp(r.rows[0], "rs\t65515\t", 9) == 0;
	if (ok)
		ctlc_free(&r);
	return ok;
}

/* The error of an mrt request, "ok", or "no answer". */
static const char *
mrt(const char *sock, const char *req)
{
	static char err[256];
	struct ctlc_reply r;

	if (ctlc_request(sock, req, 2000, &r) != 0)
		return "no answer";
	snprintf(err, sizeof(err), "%s", r.error ? r.error : "ok");
	ctlc_free(&r);
	return err;
}

static size_t
rss_kib(pid_t pid)
{
	char path[64], line[256];
	size_t kib = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmRSS: %zu", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

static void
test_speaker(void)
{
	char sock[128], target[128], link[128], req[300], buf[64];
	uint16_t port = (uint16_t)(20000 + getpid() % 20000);
	const char *err;
	struct stat st;
	uint64_t until;
	size_t rss0, rss;
	int a, i, idle[CTLSRV_MAX_CLIENTS + 8], st_;
	ssize_t n;
	pid_t pid;
	bool gone = false, up;

	snprintf(sock, sizeof(sock), "%s/rs.sock", dir);
	pid = speaker(sock, port);
	/*
	 * Ready when it answers: started under ASan on a busy machine, the
	 * speaker can take seconds to bind its socket (a fixed 2 s failed).
	 */
	until = mono_ms() + 30000;
	while (!(up = answers(sock, 1000)) && mono_ms() < until)
		usleep(20000);
	T_OK(up, "the speaker answers on its control socket");
	if (stat(sock, &st) == -1)
		st.st_mode = 0;
	T_EQ(st.st_mode & 0777, 0600,
	    "its socket is 0600, started under umask 000 (mode %o)",
	    (unsigned)(st.st_mode & 0777));

	/*
	 * A client asking and asking, never reading. What is asserted is the
	 * drop, whenever it comes: a speaker under ASan on a loaded machine
	 * takes longer to fill the client's bounded output (5 s was not
	 * always enough at load 14), so the wait ends on the drop; 60 s is
	 * only a safety net.
	 */
	rss0 = rss_kib(pid);
	a = client("rs.sock");
	until = mono_ms() + 60000;
	while (!gone && mono_ms() < until) {
		for (i = 0; i < 1000; i++)
			if (send(a, "info\n", 5, MSG_NOSIGNAL) == -1 &&
			    errno != EAGAIN)
				gone = true;
		usleep(1000);
		/* EOF, or reset: a peek without taking the replies */
		n = recv(a, buf, 1, MSG_PEEK | MSG_DONTWAIT);
		if (n == 0 || (n == -1 && errno != EAGAIN))
			gone = true;
	}
	rss = rss_kib(pid);
	T_OK(gone, "the speaker drops a client that never reads its replies "
	    "(its RSS %zu KiB, %zu KiB before)", rss, rss0);
	close(a);
	T_OK(answers(sock, 2000), "and answers the next");

	/* More clients than slots saying nothing; rsctl gets in anyway. */
	for (i = 0, n = 0; i < (int)NELEM(idle); i++)
		n += (idle[i] = client("rs.sock")) != -1;
	T_EQ(n, (ssize_t)NELEM(idle), "%zu silent clients connect", NELEM(idle));
	T_OK(answers(sock, CTLSRV_IDLE_MS + 3000),
	    "%zu silent clients do not lock the socket", NELEM(idle));
	for (i = 0; i < (int)NELEM(idle); i++)
		if (idle[i] != -1)
			close(idle[i]);

	/* An MRT dump is not written through a symbolic link. */
	snprintf(target, sizeof(target), "%s/victim", dir);
	snprintf(link, sizeof(link), "%s/rib.mrt", dir);
	{
		FILE *f = fopen(target, "w");

		fputs("keep me\n", f);
		fclose(f);
	}
	(void)!symlink(target, link);
	snprintf(req, sizeof(req), "mrt %s", link);
	err = mrt(sock, req);
	T_OK(strstr(err, "a symbolic link") != NULL,
	    "mrt through a symbolic link is refused: %s", err);
	if (stat(target, &st) == -1)
		st.st_size = -1;
	T_EQ(st.st_size, 8, "the link's target is untouched (%lld bytes)",
	    (long long)st.st_size);
	unlink(link);
	snprintf(req, sizeof(req), "mrt %s", dir);
	err = mrt(sock, req);
	T_OK(strstr(err, "not a regular file") != NULL ||
	    strstr(err, "directory") != NULL,
	    "mrt onto a folder is refused: %s", err);
	snprintf(req, sizeof(req), "mrt %s", link);
	err = mrt(sock, req);
	if (stat(link, &st) == -1)
		st.st_size = 0;
	T_OK(strcmp(err, "ok") == 0 && S_ISREG(st.st_mode) && st.st_size > 0,
	    "mrt to a new file writes it (%s, %lld bytes)", err,
	    (long long)st.st_size);

	kill(pid, SIGTERM);
	waitpid(pid, &st_, 0);
	T_OK(access(sock, F_OK) != 0, "the speaker removes its socket");
}

int
main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/arsemu-ctl-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 1;
	signal(SIGPIPE, SIG_IGN);

	test_mode();
	test_never_reads();
	test_idle();
	test_stream_bound();
	test_long_line();
	test_many();
	test_speaker();
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (t_failed == 0)
			(void)!system(cmd);
		else
			fprintf(stderr, "# logs kept in %s\n", dir);
	}
	return t_done();
}
