/*
 * probe: numbered UDP traffic for drills, `arsemu _probe`, run inside a
 * node's namespace by the drill runner.
 *
 *   _probe send DST PORT RATE FLOWS SENTFILE
 *        FLOWS flows (source ports PORT+1 .. PORT+FLOWS, so ECMP spreads
 *        them), each RATE packets per second, until SIGTERM; then writes
 *        "flow sent" lines to SENTFILE.
 *   (with "tcp" last: one TCP connection per flow, the records on a stream)
 *   _probe recv PORT OUTFILE [tcp]
 *        records every packet as a binary struct probe_rec, flushed every
 *        50 ms so the runner can watch traffic live.
 *
 * A packet carries a magic, its flow, its sequence number and its send time
 * (CLOCK_MONOTONIC, shared by every namespace of the machine), so the
 * receiver alone can tell gaps and how long they lasted.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../lib/pfx.h"
#include "../lib/util.h"
#include "../topo/drill.h"
#include "probe.h"

#define PROBE_MAGIC	0x41525345u	/* "ARSE" */
#define PROBE_FLUSH_MS	50

struct probe_pkt {
	uint32_t	magic;
	uint16_t	flow;
	uint16_t	pad;
	uint32_t	seq;
	uint64_t	sent_us;
} __attribute__((packed));

static volatile sig_atomic_t probe_stop;

static void
on_term(int sig)
{
	(void)sig;
	probe_stop = 1;
}

static uint64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static int
bound_socket(int type, uint16_t port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0), one = 1;

	if (fd == -1)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/* TCP: connect each flow, retrying while the receiver is not up yet. */
static int
tcp_connect(int fd, const struct sockaddr_in *to)
{
	int one = 1, i;

	for (i = 0; i < 100 && !probe_stop; i++) {
		if (connect(fd, (const struct sockaddr *)to, sizeof(*to)) == 0) {
			setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
			return 0;
		}
		if (errno != ECONNREFUSED && errno != ENETUNREACH &&
		    errno != EHOSTUNREACH && errno != ETIMEDOUT)
			return -1;
		usleep(50000);
	}
	return -1;
}

static int
probe_send(uint32_t dst, uint16_t port, unsigned rate, unsigned flows,
    const char *sentfile, bool tcp)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port),
	    .sin_addr.s_addr = htonl(dst) };
	uint64_t interval = 1000000 / (rate ? rate : 1), start, next;
	uint32_t seq = 0;
	int fd[256];
	unsigned f;
	FILE *out;

	if (flows == 0 || flows > NELEM(fd))
		return 2;
	for (f = 0; f < flows; f++)
		if ((fd[f] = bound_socket(tcp ? SOCK_STREAM : SOCK_DGRAM,
		    (uint16_t)(port + 1 + f))) == -1) {
			fprintf(stderr, "probe: bind port %u: %s\n", port + 1 + f,
			    strerror(errno));
			return 3;
		}
	for (f = 0; tcp && f < flows; f++)
		if (tcp_connect(fd[f], &to) == -1) {
			fprintf(stderr, "probe: tcp connect: %s\n", strerror(errno));
			return 3;
		}
	start = next = now_us();
	while (!probe_stop) {
		for (f = 0; f < flows; f++) {
			struct probe_pkt pk = { PROBE_MAGIC, (uint16_t)f, 0, seq,
			    now_us() };

			/*
			 * UDP: a refused send (no route yet) is a lost packet too.
			 * TCP: the stream queues what the network holds back.
			 */
			if (tcp)
				(void)send(fd[f], &pk, sizeof(pk), MSG_DONTWAIT |
				    MSG_NOSIGNAL);
			else
				(void)sendto(fd[f], &pk, sizeof(pk), 0,
				    (struct sockaddr *)&to, sizeof(to));
		}
		seq++;
		next = start + (uint64_t)seq * interval;
		while (!probe_stop && now_us() < next) {
			uint64_t left = next - now_us();

			if (left > 0 && left < 1000000)
				usleep((useconds_t)left);
		}
	}
	if ((out = fopen(sentfile, "w")) == NULL)
		return 3;
	for (f = 0; f < flows; f++)
		fprintf(out, "%u %u %llu\n", f, seq, (unsigned long long)interval);
	fclose(out);
	return 0;
}

static void
record(FILE *out, const struct probe_pkt *pk)
{
	struct probe_rec rec;

	rec.flow = pk->flow;
	rec.seq = pk->seq;
	rec.sent_us = pk->sent_us;
	rec.recv_us = now_us();
	fwrite(&rec, sizeof(rec), 1, out);
}

#define TCP_CONNS	64

struct tcp_conn {
	int	fd;
	uint8_t	buf[sizeof(struct probe_pkt)];
	size_t	len;
};

/* Whole records out of a TCP stream (they may arrive split). */
static void
tcp_read(struct tcp_conn *c, FILE *out)
{
	ssize_t n = read(c->fd, c->buf + c->len, sizeof(c->buf) - c->len);

	if (n <= 0) {
		close(c->fd);
		c->fd = -1;
		return;
	}
	c->len += (size_t)n;
	if (c->len == sizeof(c->buf)) {
		struct probe_pkt pk;

		memcpy(&pk, c->buf, sizeof(pk));
		if (pk.magic == PROBE_MAGIC)
			record(out, &pk);
		c->len = 0;
	}
}

static int
probe_recv(uint16_t port, const char *outfile, bool tcp)
{
	struct tcp_conn conn[TCP_CONNS];
	struct pollfd pfd[1 + TCP_CONNS];
	struct probe_pkt pk;
	uint64_t last_flush = mono_ms();
	FILE *out;
	int fd;
	size_t i, n;

	for (i = 0; i < TCP_CONNS; i++)
		conn[i].fd = -1;
	if ((fd = bound_socket(tcp ? SOCK_STREAM : SOCK_DGRAM, port)) == -1 ||
	    (tcp && listen(fd, TCP_CONNS) == -1) ||
	    (out = fopen(outfile, "w")) == NULL) {
		fprintf(stderr, "probe: recv on %u: %s\n", port, strerror(errno));
		return 3;
	}
	while (!probe_stop) {
		pfd[0] = (struct pollfd){ .fd = fd, .events = POLLIN };
		for (i = 0, n = 1; tcp && i < TCP_CONNS; i++)
			pfd[n++] = (struct pollfd){ .fd = conn[i].fd, .events = POLLIN };
		if (poll(pfd, tcp ? n : 1, PROBE_FLUSH_MS) > 0) {
			if (!tcp && (pfd[0].revents & POLLIN) &&
			    recv(fd, &pk, sizeof(pk), 0) == (ssize_t)sizeof(pk) &&
			    pk.magic == PROBE_MAGIC)
				record(out, &pk);
			if (tcp && (pfd[0].revents & POLLIN)) {
				int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);

				for (i = 0; c >= 0 && i < TCP_CONNS; i++)
					if (conn[i].fd == -1) {
						conn[i].fd = c;
						conn[i].len = 0;
						c = -1;
					}
				if (c >= 0)
					close(c);
			}
			for (i = 0; tcp && i < TCP_CONNS; i++)
				if (conn[i].fd != -1 && (pfd[1 + i].revents &
				    (POLLIN | POLLHUP | POLLERR)))
					tcp_read(&conn[i], out);
		}
		if (mono_ms() - last_flush >= PROBE_FLUSH_MS) {
			fflush(out);
			last_flush = mono_ms();
		}
	}
	fclose(out);
	return 0;
}

int
emu_probe_main(int argc, char **argv)
{
	struct sigaction sa;
	unsigned port, rate, flows;
	uint32_t dst;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	bool tcp = argc > 0 && strcmp(argv[argc - 1], "tcp") == 0;

	if (tcp)
		argc--;
	/* the bounds a drill file's traffic is checked against (topo/drill.h) */
	if (argc == 6 && strcmp(argv[0], "send") == 0 &&
	    addr_parse(argv[1], &dst) == 0 &&
	    str_uint(argv[2], DRILL_PORT_MIN, DRILL_PORT_MAX, &port) == 0 &&
	    str_uint(argv[3], 1, DRILL_RATE_MAX, &rate) == 0 &&
	    str_uint(argv[4], 1, DRILL_FLOWS_MAX, &flows) == 0)
		return probe_send(dst, (uint16_t)port, rate, flows, argv[5], tcp);
	if (argc == 3 && strcmp(argv[0], "recv") == 0 &&
	    str_uint(argv[1], DRILL_PORT_MIN, DRILL_PORT_MAX, &port) == 0)
		return probe_recv((uint16_t)port, argv[2], tcp);
	fprintf(stderr, "usage: arsemu _probe send DST PORT RATE FLOWS SENTFILE [tcp] | "
	    "recv PORT OUTFILE [tcp]\n");
	return 2;
}
