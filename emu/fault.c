/*
 * fault: fail and restore nodes and gateway links (fault.h).
 */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "fail.h"
#include "fault.h"

void
faults_init(struct faults *fs, const char *lab, const struct topo *t,
    struct children *kids, struct journal *j)
{
	memset(fs, 0, sizeof(*fs));
	fs->lab = lab;
	fs->t = t;
	fs->kids = kids;
	fs->j = j;
}

void
faults_free(struct faults *fs)
{
	free(fs->v);
	fs->v = NULL;
	fs->n = 0;
}

static struct failure *
fail_find(struct faults *fs, const struct topo_node *n,
    const struct topo_gwlink *l)
{
	size_t i;

	for (i = 0; i < fs->n; i++)
		if ((n != NULL && fs->v[i].node == n) ||
		    (l != NULL && fs->v[i].link == l))
			return &fs->v[i];
	return NULL;
}

/* Is link l cut now: failed itself, or an end of it is down? */
static bool
link_cut(const struct faults *fs, const struct topo_gwlink *l)
{
	const struct failure *f;
	size_t i;

	for (i = 0; i < fs->n; i++) {
		f = &fs->v[i];
		if (f->link == l || (f->kind == FAIL_DOWN &&
		    (f->node == l->a || f->node == l->b)))
			return true;
	}
	return false;
}

struct cuts {
	bool	*link;		/* by gwlink idx */
	bool	*node;		/* by node index in t->nodes */
};

static void
cuts_take(const struct faults *fs, struct cuts *c)
{
	const struct topo *t = fs->t;
	size_t i, k;

	c->link = xcalloc(t->ngwlinks + 1, sizeof(bool));
	c->node = xcalloc(t->nnodes + 1, sizeof(bool));
	for (i = 0; i < t->ngwlinks; i++) {
		if (!(c->link[i] = link_cut(fs, t->gwlinks[i])))
			continue;
		for (k = 0; k < t->nnodes; k++)
			if (t->nodes[k] == t->gwlinks[i]->a ||
			    t->nodes[k] == t->gwlinks[i]->b)
				c->node[k] = true;
	}
}

/*
 * Bring the kernel from the cuts in `was` to the failures now: a node's
 * local rule moves late before its first cut and back after its last
 * mend (fail.c). Frees was.
 */
static int
cuts_apply(struct faults *fs, struct cuts *was, char *err, size_t len)
{
	const struct topo *t = fs->t;
	struct cuts now;
	size_t i;
	int rc = 0;

	cuts_take(fs, &now);
	for (i = 0; i < t->nnodes && rc == 0; i++)
		if (now.node[i] && !was->node[i])
			rc = fail_local_late(fs->lab, t->nodes[i], true, err, len);
	for (i = 0; i < t->ngwlinks && rc == 0; i++)
		if (now.link[i] != was->link[i])
			rc = fail_gwlink(fs->lab, t->gwlinks[i], now.link[i], err,
			    len);
	for (i = 0; i < t->nnodes && rc == 0; i++)
		if (!now.node[i] && was->node[i])
			rc = fail_local_late(fs->lab, t->nodes[i], false, err, len);
	free(now.link);
	free(now.node);
	free(was->link);
	free(was->node);
	return rc;
}

static bool
has_gwlink(const struct topo *t, const struct topo_node *n)
{
	size_t i;

	for (i = 0; i < t->ngwlinks; i++)
		if (t->gwlinks[i]->a == n || t->gwlinks[i]->b == n)
			return true;
	return false;
}

/* Whether n is in a load balancer's backend pool (LB-03). */
static bool
lb_backend(const struct topo *t, const struct topo_node *n)
{
	size_t k, i;

	for (k = 0; k < t->nlbs; k++)
		for (i = 0; i < t->lbs[k]->nbackends; i++)
			if (t->lbs[k]->backends[i]->node == n)
				return true;
	return false;
}

/* Can kind be done to this target? NULL if so, else why not. */
static const char *
fail_refusal(struct faults *fs, const struct topo_node *n,
    const struct topo_gwlink *l, enum fail_kind kind)
{
	struct child *k = n ? children_find(fs->kids, n) : NULL;
	bool speaker = k != NULL && k->status == -1;

	if (l != NULL)
		return kind == FAIL_LINK ? NULL :
		    "a gateway link can only fail as \"link\"";
	if (kind == FAIL_LINK)
		return n->nic ? NULL : "has no NIC (name a gateway link A/B)";
	if (kind == FAIL_DOWN)
		return n->nic || speaker || has_gwlink(fs->t, n) ? NULL :
		    "has nothing to take down";
	if (kind == FAIL_FREEZE && n->nic == NULL)
		return "has no NIC to blackhole";
	if (kind == FAIL_PROBE)
		return lb_backend(fs->t, n) ? NULL : "is no load balancer's "
		    "backend";
	return speaker ? NULL : "runs no BGP speaker";
}

/* Does kind blackhole the node's NIC? */
static bool
cuts_nic(enum fail_kind kind)
{
	return kind == FAIL_LINK || kind == FAIL_FREEZE || kind == FAIL_DOWN;
}

/* Every NIC of n blackholed, or every one restored (NV-01: all of them). */
static int
blackhole_nics(const char *lab, const struct topo_node *n, bool on, char *e,
    size_t len)
{
	size_t k;

	for (k = 0; k < n->nnics; k++)
		if (fail_blackhole(lab, n->nics[k], on, e, len) != 0)
			return -1;
	return 0;
}

int
fault_fail(struct faults *fs, const char *arg, enum fail_kind kind,
    uint64_t *t0, char *err, size_t len)
{
	const struct topo_gwlink *l = NULL;
	const struct topo_node *n = NULL;
	struct failure *fl;
	const char *why;
	struct child *k;
	struct cuts was;
	char e[256];

	*t0 = mono_ms();
	if (strchr(arg, '/') != NULL ? (l = fail_gwlink_find(fs->t, arg)) == NULL :
	    (n = topo_node_find(fs->t, arg)) == NULL) {
		snprintf(err, len, "no %s named %s in lab %s", strchr(arg, '/') ?
		    "gateway link" : "node", arg, fs->lab);
		return -1;
	}
	if ((fl = fail_find(fs, n, l)) != NULL) {
		snprintf(err, len, "%s is already failed (%s); restore it first",
		    arg, fail_kind_name(fl->kind));
		return -1;
	}
	if ((why = fail_refusal(fs, n, l, kind)) != NULL) {
		snprintf(err, len, "%s %s", arg, why);
		return -1;
	}
	if (n != NULL && cuts_nic(kind) &&
	    blackhole_nics(fs->lab, n, true, e, sizeof(e)) != 0) {
		snprintf(err, len, "%s: %s", arg, e);
		return -1;
	}
	cuts_take(fs, &was);
	fs->v = xrealloc(fs->v, (fs->n + 1) * sizeof(*fs->v));
	fl = &fs->v[fs->n++];
	*fl = (struct failure){ .node = n, .link = l, .kind = kind };
	snprintf(fl->target, sizeof(fl->target), "%.*s",
	    (int)sizeof(fl->target) - 1, arg);
	if (cuts_apply(fs, &was, e, sizeof(e)) != 0) {
		snprintf(err, len, "%s: %s (partly done: restore %s undoes it)",
		    arg, e, arg);
		return -1;
	}
	k = n ? children_find(fs->kids, n) : NULL;
	switch (kind) {
	case FAIL_CRASH:
	case FAIL_DOWN:
		if (k != NULL && k->status == -1)
			kill(k->pid, SIGKILL);
		break;
	case FAIL_SHUTDOWN:	/* fail_refusal: k runs */
		if (k != NULL)
			kill(k->pid, SIGTERM);
		break;
	case FAIL_FREEZE:
		if (k != NULL)
			kill(k->pid, SIGSTOP);
		break;
	case FAIL_LINK:
		break;
	case FAIL_PROBE:
		if (fs->lbh != NULL)
			(void)lbhealth_service(fs->lbh, n, false);
		break;
	}
	journal_node(fs->j, "fail", arg, "kind", fail_kind_name(kind), 0);
	return 0;
}

int
fault_restore(struct faults *fs, const char *arg, uint64_t *t0, char *err,
    size_t len)
{
	const struct topo_gwlink *l = strchr(arg, '/') ?
	    fail_gwlink_find(fs->t, arg) : NULL;
	const struct topo_node *n = l ? NULL : topo_node_find(fs->t, arg);
	struct failure *fl = n || l ? fail_find(fs, n, l) : NULL;
	struct child *k = n ? children_find(fs->kids, n) : NULL;
	enum fail_kind kind;
	struct cuts was;
	char e[256];

	*t0 = mono_ms();
	if (fl == NULL) {
		snprintf(err, len, "%s is not failed", arg);
		return -1;
	}
	kind = fl->kind;
	if (n != NULL && cuts_nic(kind) &&
	    blackhole_nics(fs->lab, n, false, e, sizeof(e)) != 0) {
		snprintf(err, len, "%s: %s", arg, e);
		return -1;
	}
	cuts_take(fs, &was);
	*fl = fs->v[--fs->n];
	if (cuts_apply(fs, &was, e, sizeof(e)) != 0) {
		snprintf(err, len, "%s: %s", arg, e);
		return -1;
	}
	if (kind == FAIL_PROBE && fs->lbh != NULL)
		(void)lbhealth_service(fs->lbh, n, true);
	if (kind == FAIL_FREEZE && k != NULL && k->status == -1)
		kill(k->pid, SIGCONT);
	else if ((kind == FAIL_CRASH || kind == FAIL_SHUTDOWN ||
	    kind == FAIL_DOWN) && k != NULL &&
	    children_respawn(fs->kids, k) != 0) {
		snprintf(err, len, "%s: cannot restart its speaker", arg);
		return -1;
	}
	journal_node(fs->j, "restore", arg, "kind", fail_kind_name(kind), 0);
	return 0;
}
