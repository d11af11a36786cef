/*
 * labup: bring a lab up as `arsemu up` and drills do: build the kernel side,
 * start the lab daemon (recorded in the state before anything else can go
 * wrong), and wait until BGP has converged. A failure tears down all of it.
 */
#include <sys/wait.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/ctlc.h"
#include "../lib/util.h"
#include "model/bgpconf.h"
#include "lab.h"
#include "labup.h"
#include "nvad.h"

static pid_t
start_daemon(const char *lab)
{
	char log[400], dir[256];
	pid_t pid;
	int fd;

	if ((pid = fork()) != 0)
		return pid;
	/*
	 * The daemon records itself too: if `up` dies between fork() and its
	 * own record, the teardown must still find the daemon.
	 */
	lab_state_add_pid(lab, getpid(), "daemon");
	setsid();
	snprintf(log, sizeof(log), "%s/daemon.log", lab_dir(lab, dir, sizeof(dir)));
	if ((fd = open("/dev/null", O_RDONLY)) >= 0)
		dup2(fd, 0);
	if ((fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644)) >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
	}
	/*
	 * Nothing else of the caller's (a shell's or a test runner's pipe)
	 * and neither of the two opens above: the daemon and every speaker
	 * it forks would hold them for the lab's life.
	 */
	closefrom(3);
	execl("/proc/self/exe", "arsemu", "_daemon", lab, (char *)NULL);
	_exit(127);
}

int
emu_lab_status(const char *lab, struct emu_status *st)
{
	struct ctlc_reply r;
	char sock[300];
	size_t i;

	memset(st, 0, sizeof(*st));
	if (ctlc_request(emu_daemon_sock(lab, sock, sizeof(sock)), "status", 3000,
	    &r) != 0)
		return -1;
	for (i = 0; i < r.n; i++) {
		char *f[5];
		size_t nf = ctlc_fields(r.rows[i], f, 5);

		if (strcmp(f[0], "session") == 0 && nf >= 4) {
			st->sessions++;
			st->established += strcmp(f[3], "Established") == 0;
		} else if (strcmp(f[0], "converged") == 0 && nf == 2)
			st->converged = strcmp(f[1], "1") == 0;
		else if (strcmp(f[0], "failed") == 0)
			st->failures++;
		else if (strcmp(f[0], "clock") == 0 && nf == 3) {
			st->now = strtoull(f[1], NULL, 10);
			st->last_change = strtoull(f[2], NULL, 10);
		}
	}
	ctlc_free(&r);
	return 0;
}

/* 1 converged, 0 timeout, -1 the daemon died. */
static int
wait_converged(const char *lab, pid_t daemon, int seconds, bool tty)
{
	uint64_t until = mono_ms() + (uint64_t)seconds * 1000, quiet;
	struct emu_status st;
	useconds_t nap;
	int wst;

	while (mono_ms() < until) {
		if (waitpid(daemon, &wst, WNOHANG) == daemon)
			return -1;
		if (emu_lab_status(lab, &st) == 0) {
			if (tty)
				fprintf(stderr, "\rarsemu: %s: BGP sessions "
				    "established %u/%u ", lab, st.established,
				    st.sessions);
			if (st.converged) {
				if (tty)
					fputc('\n', stderr);
				return 1;
			}
		}
		/*
		 * Every 100 ms; when the fabric changed lately, just after
		 * LAB_QUIET_MS have passed since (a poll every 100 ms came
		 * 50 ms after that on average).
		 */
		nap = 100000;
		if (st.last_change != 0 && st.now >= st.last_change &&
		    (quiet = st.now - st.last_change) < LAB_QUIET_MS &&
		    (LAB_QUIET_MS - quiet) * 1000 + 2000 < nap)
			nap = (useconds_t)((LAB_QUIET_MS - quiet) * 1000 + 2000);
		usleep(nap);
	}
	if (tty)
		fputc('\n', stderr);
	return 0;
}

int
emu_lab_up(const struct topo *t, const char *file, int wait_s, bool tty,
    char *err, size_t len)
{
	struct lab_err le;
	char dir[256];
	pid_t pid;
	int w;

	if (lab_build(t, file, &le) == -1) {
		snprintf(err, len, "%s", le.msg);
		return -1;
	}
	/* NVA daemon configs beside the saved topology (nvad.h). */
	if (nvad_stage(t, err, len) == -1) {
		lab_destroy(t->name, &le);
		return -1;
	}
	if ((pid = start_daemon(t->name)) == -1 ||
	    lab_state_add_pid(t->name, pid, "daemon") == -1) {
		lab_destroy(t->name, &le);
		snprintf(err, len, "cannot start the lab daemon");
		return -1;
	}
	lab_crash_point("daemon-started");
	w = wait_converged(t->name, pid, wait_s, tty);
	lab_crash_point("converged");
	if (w == -1) {
		lab_destroy(t->name, &le);
		snprintf(err, len, "the lab daemon exited; see %s/daemon.log (the "
		    "lab was torn down)", lab_dir(t->name, dir, sizeof(dir)));
		return -1;
	}
	if (w == 0) {
		snprintf(err, len, "BGP did not converge within %d s; see arsemu "
		    "status", wait_s);
		return 1;
	}
	return 0;
}
