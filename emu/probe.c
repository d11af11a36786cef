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
 * receiver alone can tell gaps and how long they lasted. The receiver makes
 * OUTFILE once its socket is bound: the runner starts the sender then.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <sched.h>
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
#define PROBE_RT_PRIO	10	/* SCHED_FIFO, below the kernel's own threads' 50 */
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

/*
 * The receiver measures the network, not itself. Each packet's time is
 * the kernel's arrival stamp (SO_TIMESTAMPNS), so a receiver the scheduler
 * holds back still dates every packet when it arrived; its socket buffer
 * holds PROBE_RCVBUF bytes (seconds of a drill's heaviest traffic), so such
 * a pause loses nothing; and were the buffer ever full, the kernel's count
 * of what it dropped (SO_RXQ_OVFL) is recorded, so that the report says so
 * rather than calling it a network's loss.
 */
#define PROBE_RCVBUF	(8 << 20)
#define PROBE_BATCH	64

/* CLOCK_REALTIME (the kernel's stamps) less CLOCK_MONOTONIC, in us. */
static int64_t
real_less_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000 - (int64_t)now_us();
}

/* The arrival stamp of a received message, CLOCK_MONOTONIC; now without one. */
static uint64_t
arrival_us(struct msghdr *mh, int64_t off, uint32_t *drops)
{
	uint64_t t = 0;
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level != SOL_SOCKET)
			continue;
		if (c->cmsg_type == SCM_TIMESTAMPNS) {
			struct timespec ts;

			memcpy(&ts, CMSG_DATA(c), sizeof(ts));
			t = (uint64_t)((int64_t)ts.tv_sec * 1000000 +
			    ts.tv_nsec / 1000 - off);
		} else if (c->cmsg_type == SO_RXQ_OVFL && drops != NULL)
			memcpy(drops, CMSG_DATA(c), sizeof(*drops));
	}
	return t != 0 ? t : now_us();
}

static void
record(FILE *out, const struct probe_pkt *pk, uint64_t recv_us)
{
	struct probe_rec rec;

	rec.flow = pk->flow;
	rec.seq = pk->seq;
	rec.sent_us = pk->sent_us;
	rec.recv_us = recv_us;
	fwrite(&rec, sizeof(rec), 1, out);
}

/* What the socket dropped so far (cumulative), as a record of its own. */
static void
record_drops(FILE *out, uint32_t drops)
{
	struct probe_rec rec = { PROBE_FLOW_DROPS, drops, 0, now_us() };

	fwrite(&rec, sizeof(rec), 1, out);
}

/*
 * Every datagram queued now, in batches; with MSG_DONTWAIT until none is
 * left (as the receiver stops), else one batch.
 */
static void
udp_read(int fd, FILE *out, uint32_t *drops, bool drain)
{
	struct probe_pkt pk[PROBE_BATCH];
	struct mmsghdr mm[PROBE_BATCH];
	struct iovec iov[PROBE_BATCH];
	union {
		char		buf[CMSG_SPACE(sizeof(struct timespec)) +
				    CMSG_SPACE(sizeof(uint32_t))];
		struct cmsghdr	align;
	} ctl[PROBE_BATCH];
	int n, i;

	do {
		int64_t off = real_less_mono();
		uint32_t was = *drops;

		memset(mm, 0, sizeof(mm));
		for (i = 0; i < PROBE_BATCH; i++) {
			iov[i] = (struct iovec){ &pk[i], sizeof(pk[i]) };
			mm[i].msg_hdr.msg_iov = &iov[i];
			mm[i].msg_hdr.msg_iovlen = 1;
			mm[i].msg_hdr.msg_control = ctl[i].buf;
			mm[i].msg_hdr.msg_controllen = sizeof(ctl[i].buf);
		}
		n = recvmmsg(fd, mm, PROBE_BATCH, MSG_DONTWAIT, NULL);
		for (i = 0; i < n; i++) {
			uint64_t t = arrival_us(&mm[i].msg_hdr, off, drops);

			if (mm[i].msg_len == sizeof(pk[i]) &&
			    pk[i].magic == PROBE_MAGIC)
				record(out, &pk[i], t);
		}
		if (*drops != was)
			record_drops(out, *drops);
	} while (drain && n > 0);
}

#define TCP_CONNS	64

struct tcp_conn {
	int	fd;
	uint8_t	buf[sizeof(struct probe_pkt)];
	size_t	len;
};

/*
 * Whole records out of a TCP stream (they may arrive split): 1 if it read
 * bytes, 0 if none were queued (MSG_DONTWAIT), -1 once the stream ended.
 */
static int
tcp_read(struct tcp_conn *c, FILE *out, int flags)
{
	union {
		char		buf[CMSG_SPACE(sizeof(struct timespec))];
		struct cmsghdr	align;
	} ctl;
	struct iovec iov = { c->buf + c->len, sizeof(c->buf) - c->len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
	    .msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf) };
	int64_t off = real_less_mono();
	ssize_t n = recvmsg(c->fd, &mh, flags);

	if (n < 0 && (flags & MSG_DONTWAIT) && errno == EAGAIN)
		return 0;
	if (n <= 0) {
		close(c->fd);
		c->fd = -1;
		return -1;
	}
	c->len += (size_t)n;
	if (c->len == sizeof(c->buf)) {
		struct probe_pkt pk;

		memcpy(&pk, c->buf, sizeof(pk));
		if (pk.magic == PROBE_MAGIC)
			record(out, &pk, arrival_us(&mh, off, NULL));
		c->len = 0;
	}
	return 1;
}

/* The receiving socket: a large buffer, arrival stamps, the drop count. */
static void
recv_opts(int fd, bool tcp)
{
	int one = 1, sz = PROBE_RCVBUF;

	/* SO_RCVBUFFORCE (root, as drills run) passes rmem_max */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) == -1)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	(void)setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
	if (!tcp)
		(void)setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof(one));
}

static int
probe_recv(uint16_t port, const char *outfile, bool tcp)
{
	struct tcp_conn conn[TCP_CONNS];
	struct pollfd pfd[1 + TCP_CONNS];
	uint64_t last_flush = mono_ms();
	uint32_t drops = 0;
	FILE *out;
	int fd;
	size_t i, n;

	for (i = 0; i < TCP_CONNS; i++)
		conn[i].fd = -1;
	/*
	 * Options before listen: a listener's pass to what it accepts. The
	 * file is made last: the drill runner starts the sender once it exists.
	 */
	if ((fd = bound_socket(tcp ? SOCK_STREAM : SOCK_DGRAM, port)) != -1)
		recv_opts(fd, tcp);
	if (fd == -1 || (tcp && listen(fd, TCP_CONNS) == -1) ||
	    (out = fopen(outfile, "w")) == NULL) {
		fprintf(stderr, "probe: recv on %u: %s\n", port, strerror(errno));
		return 3;
	}
	while (!probe_stop) {
		pfd[0] = (struct pollfd){ .fd = fd, .events = POLLIN };
		for (i = 0, n = 1; tcp && i < TCP_CONNS; i++)
			pfd[n++] = (struct pollfd){ .fd = conn[i].fd, .events = POLLIN };
		if (poll(pfd, tcp ? n : 1, PROBE_FLUSH_MS) > 0) {
			if (!tcp && (pfd[0].revents & POLLIN))
				udp_read(fd, out, &drops, false);
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
					(void)tcp_read(&conn[i], out, 0);
		}
		if (mono_ms() - last_flush >= PROBE_FLUSH_MS) {
			fflush(out);
			last_flush = mono_ms();
		}
	}
	/* what arrived before the stop and waits in the buffers counts */
	if (!tcp)
		udp_read(fd, out, &drops, true);
	for (i = 0; tcp && i < TCP_CONNS; i++) {
		size_t k = 0;

		/* bounded: a buffer holds at most this many reads' worth */
		while (conn[i].fd != -1 && k++ < PROBE_RCVBUF &&
		    tcp_read(&conn[i], out, MSG_DONTWAIT) > 0)
			;
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

	/*
	 * The instrument must not be what a loaded machine delays: a probe
	 * sleeps between packets and wakes for a few microseconds, so a
	 * real-time priority costs the machine nothing and keeps busy
	 * processes from pausing it (which a receiver's stamps and a sender's
	 * send times otherwise show as the network's loss or stall). Where it
	 * is refused (no CAP_SYS_NICE, an RT budget of 0) the probe runs as
	 * before.
	 */
	{
		struct sched_param sp = { .sched_priority = PROBE_RT_PRIO };

		(void)sched_setscheduler(0, SCHED_FIFO, &sp);
	}
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
