/*
 * control: the lab daemon's control requests (control.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/ctlc.h"
#include "../lib/util.h"
#include "lab.h"
#include "model/bgpconf.h"
#include "model/nsg.h"
#include "control.h"
#include "lbhealth.h"
#include "nvad.h"
#include "model/sdn.h"

static void	serve(void *arg, struct ctlsrv_client *cl, char *line);

static void
ctl_log(void *arg, const char *msg)
{
	struct control *c = arg;

	journal_str(c->j, "control", "text", msg);
}

/* One request per connection, as before; ctlsrv.h bounds each client. */
int
control_open(struct control *c)
{
	char path[300];
	struct ctlsrv_conf conf = { .path = path, .request = serve,
	    .log = ctl_log, .arg = c, .oneshot = true };

	emu_daemon_sock(c->lab, path, sizeof(path));
	if ((c->srv = ctlsrv_open(&conf)) == NULL) {
		char text[400];

		snprintf(text, sizeof(text), "control socket %s: %s", path,
		    strerror(errno));
		journal_str(c->j, "error", "text", text);
		return -1;
	}
	return 0;
}

/* The rows `arsemu routes` and `arsemu plan` print (sdnrow.c). */
static void
reply_routes(struct control *c, FILE *f, const char *nicname)
{
	struct sdn_row *rows;
	char line[256];
	size_t i, k, n;

	for (i = 0; i < c->t->nnics; i++) {
		if (strcmp(c->t->nics[i]->name, nicname) != 0)
			continue;
		struct sdn_table tab;

		sdn_effective(c->t, sync_input(c->sync), c->t->nics[i], &tab);
		n = sdn_rows(&tab, &rows);
		for (k = 0; k < n; k++) {
			sdn_row_format(&rows[k], line, sizeof(line));
			fprintf(f, "%s\n", line);
		}
		free(rows);
		sdn_table_free(&tab);
		return;
	}
	fprintf(f, "error\tno NIC named %s in lab %s\n", nicname, c->lab);
}

/* An NVA with an overlay to another hub's NVA (RS-52). */
static bool
has_overlay(const struct topo *t, const struct topo_node *n)
{
	size_t i;

	for (i = 0; i < t->ngwlinks; i++)
		if (t->gwlinks[i]->conn == NULL &&
		    (t->gwlinks[i]->a == n || t->gwlinks[i]->b == n))
			return true;
	return false;
}

/*
 * GW-05, GW-07: the session between a site's edge and the Azure side of a
 * connection over its route limit is reset each time the routes arrive;
 * down is where it settles (plan leaves the connection out too). NS-07: so
 * does a session the NSGs deny (plan leaves it out too).
 */
static bool
expected_down(const struct topo *t, const char *node, const char *peer)
{
	const struct topo_node *a = topo_node_find(t, node);
	const struct topo_node *b = topo_node_find(t, peer);
	const struct topo_gwlink *l;
	size_t i;

	if (a == NULL || b == NULL)
		return false;
	if (nsg_session_blocked(t, a, b, NULL, 0))
		return true;		/* NS-07: an NSG denies it */
	if (a->kind != TOPO_SITE_ROUTER && b->kind != TOPO_SITE_ROUTER)
		return false;
	for (i = 0; i < t->ngwlinks; i++) {
		l = t->gwlinks[i];
		if (((l->a == a && l->b == b) || (l->a == b && l->b == a)) &&
		    l->conn != NULL && topo_conn_over_limit(l->conn))
			return true;
	}
	return false;
}

/* A session row of a speaker's "peers": Established, or expected down. */
static bool
session_settled(struct control *c, const char *node, char **fl)
{
	return strcmp(fl[3], "Established") == 0 ||
	    expected_down(c->t, node, fl[0]);
}

/*
 * Off-fabric speakers (MSEEs, site edges) feed the gateways, and overlay
 * NVAs feed each other: their sessions must be up too before the lab
 * counts as converged. Not listed.
 */
static bool
offfabric_up(struct control *c)
{
	struct ctlc_reply r;
	char sock[300], *fl[13];
	size_t i, k;
	bool all = true;

	for (i = 0; i < c->kids->n && all; i++) {
		if (c->kids->v[i].node->kind != TOPO_MSEE &&
		    c->kids->v[i].node->kind != TOPO_SITE_ROUTER &&
		    !has_overlay(c->t, c->kids->v[i].node))
			continue;
		emu_speaker_sock(c->lab, c->kids->v[i].node->name, sock, sizeof(sock));
		if (ctlc_request(sock, "peers", 1000, &r) != 0)
			return false;
		for (k = 0; k < r.n; k++)
			if (ctlc_fields(r.rows[k], fl, 13) < 13 ||
			    !session_settled(c, c->kids->v[i].node->name, fl) ||
			    (strcmp(fl[3], "Established") == 0 &&
			    strcmp(fl[12], "1") != 0))
				all = false;
		ctlc_free(&r);
	}
	return all;
}

/*
 * Every session Established (with its End-of-RIB) or expected down, every
 * stream synced, every off-fabric session up; each session a row on f
 * unless f is NULL.
 */
static bool
sessions_status(struct control *c, FILE *f)
{
	bool all = true;
	size_t i, k;

	for (i = 0; i < c->ws->n; i++) {
		struct ctlc_reply r;
		char sock[300], *fl[13];

		emu_speaker_sock(c->lab, c->ws->v[i].node->name, sock, sizeof(sock));
		if (ctlc_request(sock, "peers", 1000, &r) != 0) {
			if (f != NULL)
				fprintf(f, "session\t%s\t-\tunreachable\t0\n",
				    c->ws->v[i].node->name);
			all = false;
			continue;
		}
		for (k = 0; k < r.n; k++) {
			if (ctlc_fields(r.rows[k], fl, 13) < 13)
				continue;
			if (f != NULL)
				fprintf(f, "session\t%s\t%s\t%s\t%s\n",
				    c->ws->v[i].node->name, fl[0], fl[3], fl[12]);
			if (strcmp(fl[3], "Established") != 0) {
				if (!expected_down(c->t, c->ws->v[i].node->name,
				    fl[0]))
					all = false;
			} else if (strcmp(fl[12], "1") != 0 && !nvad_settled(c->t,
			    fl[0], (unsigned)atoi(fl[4]), (unsigned)atoi(fl[5])))
				all = false;
		}
		ctlc_free(&r);
		if (!c->ws->v[i].synced)
			all = false;
	}
	return all && offfabric_up(c);
}

bool
control_settled(struct control *c)
{
	return sessions_status(c, NULL);
}

static void
reply_status(struct control *c, FILE *f)
{
	bool conv;
	size_t i;

	for (i = 0; i < c->kids->n; i++)
		fprintf(f, "speaker\t%s\t%d\t%s\n", c->kids->v[i].node->name,
		    (int)c->kids->v[i].pid, c->kids->v[i].status == -1 ? "running" :
		    "exited");
	conv = sessions_status(c, f);
	conv = conv && !c->ws->dirty && mono_ms() - c->sync->last_change >=
	    LAB_QUIET_MS;
	for (i = 0; i < c->faults->n; i++)
		fprintf(f, "failed\t%s\t%s\n", c->faults->v[i].target,
		    fail_kind_name(c->faults->v[i].kind));
	for (i = 0; c->lbh != NULL && i < c->t->nlbs; i++) {
		const struct topo_lb *lb = c->t->lbs[i];
		size_t b;

		for (b = 0; b < lb->nbackends; b++)
			fprintf(f, "lb-backend\t%s\t%s\t%s\n", lb->name,
			    lb->backends[b]->node->name, lbhealth_up(c->lbh,
			    lb, b) ? "up" : "down");
	}
	fprintf(f, "clock\t%llu\t%llu\n", (unsigned long long)mono_ms(),
	    (unsigned long long)c->sync->last_change);
	fprintf(f, "converged\t%d\n", conv);
}

/*
 * fail and restore answer with the time the change began, not when it was
 * done: cutting a link takes several netlink requests, and a drill counts
 * what is lost from the moment the first of them took effect.
 */
static void
reply_fail(struct control *c, FILE *f, char *arg)
{
	char *kind = strchr(arg, ' '), err[512];
	enum fail_kind k;
	uint64_t t0;

	if (kind != NULL)
		*kind++ = '\0';
	if (kind == NULL || fail_kind_parse(kind, &k) != 0) {
		fprintf(f, "error\tfail TARGET %s\n", fail_kind_list("|"));
		return;
	}
	if (fault_fail(c->faults, arg, k, &t0, err, sizeof(err)) != 0)
		fprintf(f, "error\t%s\n", err);
	else
		fprintf(f, "ok\t%llu\n", (unsigned long long)t0);
}

static void
reply_restore(struct control *c, FILE *f, const char *arg)
{
	char err[512];
	uint64_t t0;

	if (fault_restore(c->faults, arg, &t0, err, sizeof(err)) != 0)
		fprintf(f, "error\t%s\n", err);
	else
		fprintf(f, "ok\t%llu\n", (unsigned long long)t0);
}

/* A request's reply is built whole, then queued: the client reads it. */
static void
serve(void *arg, struct ctlsrv_client *cl, char *line)
{
	struct control *c = arg;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if ((f = open_memstream(&buf, &len)) == NULL)
		return;
	if (strncmp(line, "routes ", 7) == 0)
		reply_routes(c, f, line + 7);
	else if (strcmp(line, "status") == 0)
		reply_status(c, f);
	else if (strncmp(line, "fail ", 5) == 0)
		reply_fail(c, f, line + 5);
	else if (strncmp(line, "restore ", 8) == 0)
		reply_restore(c, f, line + 8);
	else
		fprintf(f, "error\tunknown request %s\n", line);
	fputs(".\n", f);
	if (fclose(f) == 0)
		ctlsrv_write(cl, buf, len);
	free(buf);
}


void
control_close(struct control *c)
{
	ctlsrv_close(c->srv);
	c->srv = NULL;
}
