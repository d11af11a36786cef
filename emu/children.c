/*
 * children: start, reap, restart and stop the lab daemon's speakers
 * (children.h).
 */
#include <sys/prctl.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/util.h"
#include "model/bgpconf.h"
#include "children.h"
#include "lab.h"
#include "netns.h"
#include "nvad.h"

#define STOP_GRACE_MS	1500

void
children_init(struct children *c, const char *lab, const struct topo *t,
    const char *exe, const char *dir, struct journal *j)
{
	memset(c, 0, sizeof(*c));
	c->lab = lab;
	c->t = t;
	c->exe = exe;
	c->dir = dir;
	c->j = j;
	c->v = xcalloc(t->nnodes ? t->nnodes : 1, sizeof(*c->v));
}

void
children_free(struct children *c)
{
	free(c->v);
	c->v = NULL;
	c->n = 0;
}

/*
 * A node's BGP process: `arsemu _speaker`, or for an NVA run by FRR or
 * BIRD that daemon (nvad.c); either is the node's child, failed and
 * restored alike.
 */
static pid_t
spawn_speaker(struct children *c, const struct topo_node *n)
{
	char ns[300], log[400], err[300];
	pid_t pid, parent = getpid();
	int fd, logfd;

	if (nvad_external(n) && nvad_prepare(c->lab, c->t, n, err,
	    sizeof(err)) == -1) {
		journal_node(c->j, "error", n->name, "text", err, 0);
		fprintf(stderr, "arsemu: %s: %s\n", n->name, err);
		return -1;
	}
	lab_ns_name(c->lab, n->name, ns, sizeof(ns));
	snprintf(log, sizeof(log), "%s/log/%s.log", c->dir, n->name);
	if ((fd = netns_open(ns)) < 0)
		return -1;
	if ((pid = fork()) != 0) {
		close(fd);
		return pid;
	}
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	/*
	 * A speaker dies with its daemon: one forked just before the daemon
	 * was killed is in no state file yet, and nothing else would end it.
	 */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() != parent)
		_exit(3);
	if (setns(fd, CLONE_NEWNET) == -1)
		_exit(3);
	if ((logfd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)) >= 0) {
		dup2(logfd, 1);
		dup2(logfd, 2);
	}
	if (nvad_external(n)) {
		nvad_exec(c->lab, n);
		_exit(127);
	}
	execl(c->exe, "arsemu", "_speaker", c->lab, n->name, (char *)NULL);
	_exit(127);
}

/*
 * The Azure side first: NVAs and sites connect to the Route Server,
 * gateways and MSEEs, and a first connection that finds nothing
 * listening waits ConnectRetry (a second, at Azure's limits) before the
 * next.
 */
static bool
azure_side(const struct topo_node *n)
{
	return n->kind == TOPO_RS || n->kind == TOPO_GW || n->kind == TOPO_MSEE;
}

/* Until each Azure-side speaker has its control socket (made after it listens), at most 3 s. */
static void
wait_listening(const struct children *c)
{
	char path[300];
	uint64_t deadline = mono_ms() + 3000;
	size_t i;

	for (i = 0; i < c->n; i++) {
		emu_speaker_sock(c->lab, c->v[i].node->name, path,
		    sizeof(path));
		while (access(path, F_OK) != 0 && mono_ms() < deadline)
			usleep(2000);
	}
}

static int
start_speaker(struct children *c, const struct topo_node *n)
{
	char what[64], err[128];
	pid_t pid;

	if ((pid = spawn_speaker(c, n)) < 0) {
		snprintf(err, sizeof(err), "cannot start speaker %s", n->name);
		journal_str(c->j, "error", "text", err);
		return -1;
	}
	lab_crash_point("speaker-forked");
	snprintf(what, sizeof(what), "speaker:%s", n->name);
	lab_state_add_pid(c->lab, pid, what);
	c->v[c->n++] = (struct child){ n, pid, -1 };
	if (c->n == 2)
		lab_crash_point("speakers-half");
	journal_node(c->j, "speaker-start", n->name, "pid", NULL, pid);
	return 0;
}

int
children_start(struct children *c)
{
	const struct topo_node *n;
	size_t i;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < c->t->nnodes; i++) {
			n = c->t->nodes[i];
			if (emu_has_speaker(c->t, n) &&
			    azure_side(n) == (pass == 0) &&
			    start_speaker(c, n) == -1)
				return -1;
		}
		if (pass == 0)
			wait_listening(c);
	}
	return 0;
}

void
children_reap(struct children *c)
{
	int st;
	pid_t pid;
	size_t i;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		for (i = 0; i < c->n; i++) {
			if (c->v[i].pid != pid)
				continue;
			c->v[i].status = st;
			if (WIFSIGNALED(st))
				journal_node(c->j, "speaker-exit",
				    c->v[i].node->name, "signal", NULL,
				    WTERMSIG(st));
			else
				journal_node(c->j, "speaker-exit",
				    c->v[i].node->name, "status", NULL,
				    WEXITSTATUS(st));
		}
	}
}

struct child *
children_find(struct children *c, const struct topo_node *n)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->v[i].node == n)
			return &c->v[i];
	return NULL;
}

int
children_respawn(struct children *c, struct child *k)
{
	char what[64];
	int i;

	for (i = 0; i < 100 && k->status == -1; i++) {
		children_reap(c);
		usleep(10000);
	}
	if (k->status == -1)
		return -1;
	if ((k->pid = spawn_speaker(c, k->node)) < 0)
		return -1;
	k->status = -1;
	snprintf(what, sizeof(what), "speaker:%s", k->node->name);
	lab_state_add_pid(c->lab, k->pid, what);
	journal_node(c->j, "speaker-start", k->node->name, "pid", NULL,
	    k->pid);
	return 0;
}

void
children_stop(struct children *c)
{
	uint64_t until = mono_ms() + STOP_GRACE_MS;
	bool left;
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->v[i].status == -1)
			kill(c->v[i].pid, SIGTERM);
	do {
		children_reap(c);
		left = false;
		for (i = 0; i < c->n; i++)
			left |= c->v[i].status == -1;
		if (left)
			usleep(20000);
	} while (left && mono_ms() < until);
	for (i = 0; i < c->n; i++)
		if (c->v[i].status == -1)
			kill(c->v[i].pid, SIGKILL);
	children_reap(c);
}
