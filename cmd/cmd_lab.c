/*
 * cmd_lab: the commands that make, enter and remove labs:
 * validate, up, down, status, ls, exec, and the hidden _daemon and _speaker.
 */
#include <sys/stat.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../emu/model/bgpconf.h"
#include "../emu/model/nsg.h"
#include "../emu/daemon.h"
#include "../emu/fabric.h"
#include "../emu/lab.h"
#include "../emu/labup.h"
#include "../emu/netns.h"
#include "../lib/ctlc.h"
#include "../lib/json.h"
#include "../lib/util.h"
#include "../topo/lint.h"
#include "cli.h"

#define UP_WAIT_DEFAULT_S	60

static struct topo *
load(const char *file, int *rc)
{
	struct topo_err e;
	struct topo *t;
	size_t i;

	if (topo_load_file(file, &t, &e) == 0) {
		/* RS-04 and the design traps: allowed; exit 0 unless --strict. */
		topo_lint(t);
		nsg_lint(t);	/* NS-07 */
		for (i = 0; i < t->nwarnings; i++)
			fprintf(stderr, "arsemu: warning: %s: %s\n", file,
			    t->warnings[i]);
		return t;
	}
	if (e.line > 0)
		fprintf(stderr, "%s:%d:%d: %s%s%s\n", file, e.line, e.col, e.path,
		    e.path[0] ? ": " : "", e.msg);
	else
		fprintf(stderr, "%s: %s%s%s\n", file, e.path, e.path[0] ? ": " : "",
		    e.msg);
	*rc = CLI_USAGE;
	return NULL;
}

int
cmd_validate(struct cli *c)
{
	struct topo *t;
	int rc = CLI_OK;
	size_t i;

	if (c->argc != 1)
		return cli_err(CLI_USAGE, "usage: arsemu validate TOPO [--strict] [--json]");
	if ((t = load(c->argv[0], &rc)) == NULL)
		return rc;
	if (c->strict && t->nwarnings > 0)
		rc = CLI_FAIL;		/* --strict: a trap fails the check */
	if (c->json) {
		struct json j;

		json_init(&j, stdout);
		json_obj_begin(&j);
		json_kstr(&j, "name", t->name);
		json_kbool(&j, "valid", true);
		json_kint(&j, "nodes", (long long)t->nnodes);
		json_kint(&j, "nics", (long long)t->nnics);
		json_kint(&j, "vnets", (long long)t->nvnets);
		json_key(&j, "warnings");
		json_arr_begin(&j);
		for (i = 0; i < t->nwarnings; i++)
			json_str(&j, t->warnings[i]);
		json_arr_end(&j);
		json_obj_end(&j);
		json_end(&j);
	} else
		printf("%s: valid: lab %s, %zu VNets, %zu nodes, %zu NICs\n",
		    c->argv[0], t->name, t->nvnets, t->nnodes, t->nnics);
	topo_free(t);
	return rc;
}

int
cmd_up(struct cli *c)
{
	struct topo_err te;
	struct topo *t;
	char lab[TOPO_NAME_MAX + 1], err[512];
	uint64_t t0 = mono_ms();
	int rc = CLI_OK, w;

	if (c->argc != 1)
		return cli_err(CLI_USAGE, "usage: arsemu up TOPO [--name LAB] [--wait S]");
	if ((t = load(c->argv[0], &rc)) == NULL)
		return rc;
	if (c->name != NULL && topo_set_name(t, c->name, &te) == -1) {
		topo_free(t);
		return cli_err(CLI_USAGE, "--name %s: %s", c->name, te.msg);
	}
	if (!cli_root("arsemu up")) {
		topo_free(t);
		return CLI_ENV;
	}
	snprintf(lab, sizeof(lab), "%s", t->name);
	w = emu_lab_up(t, c->argv[0], c->wait > 0 ? (int)c->wait : UP_WAIT_DEFAULT_S,
	    isatty(2), err, sizeof(err));
	topo_free(t);
	if (w == -1)
		return cli_err(CLI_ENV, "up %s: %s", lab, err);
	if (w == 1) {
		fprintf(stderr, "arsemu: %s is up but %s\n", lab, err);
		return CLI_FAIL;
	}
	if (c->json)
		printf("{\"lab\": \"%s\", \"converged\": true, \"seconds\": %.1f}\n",
		    lab, (double)(mono_ms() - t0) / 1000);
	else
		printf("lab %s is up and converged in %.1f s\n", lab,
		    (double)(mono_ms() - t0) / 1000);
	return CLI_OK;
}

static int
down_one(const char *lab, bool json)
{
	struct lab_err e;
	int r = lab_destroy(lab, &e);

	if (r == -2)
		return cli_err(CLI_USAGE, "no lab named %s", lab);
	if (r == -1)
		return cli_err(CLI_ENV, "down %s: %s", lab, e.msg);
	if (json)
		printf("{\"lab\": \"%s\", \"down\": true}\n", lab);
	else
		printf("lab %s is down\n", lab);
	return CLI_OK;
}

int
cmd_down(struct cli *c)
{
	const char *lab;
	char **labs;
	size_t n, i;
	int rc = CLI_OK;

	if (c->argc > 1 || (c->argc == 1 && (c->all || c->name != NULL)))
		return cli_err(CLI_USAGE, "usage: arsemu down [LAB | --name LAB | --all]");
	if (c->argc == 1 && cli_lab_name("LAB", c->argv[0]) != 0)
		return CLI_USAGE;
	if (!cli_root("arsemu down"))
		return CLI_ENV;
	if (c->all) {
		if (lab_list(&labs, &n) != 0)
			return CLI_OK;
		for (i = 0; i < n; i++) {
			if (down_one(labs[i], c->json) != CLI_OK)
				rc = CLI_ENV;
			free(labs[i]);
		}
		free(labs);
		return rc;
	}
	if (c->argc == 1)
		return down_one(c->argv[0], c->json);
	if ((lab = cli_lab(c)) == NULL)
		return CLI_ENV;
	return down_one(lab, c->json);
}

int
cmd_ls(struct cli *c)
{
	char **labs;
	size_t n = 0, i;
	struct json j;

	if (lab_list(&labs, &n) != 0)
		n = 0;
	if (c->json) {
		json_init(&j, stdout);
		json_arr_begin(&j);
	}
	for (i = 0; i < n; i++) {
		if (c->json)
			json_str(&j, labs[i]);
		else
			printf("%s\n", labs[i]);
		free(labs[i]);
	}
	if (c->json) {
		json_arr_end(&j);
		json_end(&j);
	}
	if (n)
		free(labs);
	return CLI_OK;
}

int
cmd_status(struct cli *c)
{
	const char *lab = cli_lab(c);
	struct ctlc_reply r;
	struct table *tab;
	struct json j;
	struct topo *t = NULL;
	struct topo_err te;
	char *fail[64][2], *lbb[64][3], file[400], dir[256], why[512];
	char *whys[64][2];
	size_t i, nfail = 0, nlbb = 0, nwhy = 0;
	bool conv = false;

	if (lab == NULL)
		return CLI_ENV;
	if (cli_lab_request(lab, "status", 5000, &r) != 0)
		return CLI_ENV;
	/* NS-07: the lab's own topology, to say why a session stays down */
	snprintf(file, sizeof(file), "%s/topology.json", lab_dir(lab, dir,
	    sizeof(dir)));
	if (topo_load_file(file, &t, &te) == -1)
		t = NULL;
	tab = table_new(4, (const char *[]){ "Route Server", "Peer", "State", "EoR" });
	if (c->json) {
		json_init(&j, stdout);
		json_obj_begin(&j);
		json_kstr(&j, "lab", lab);
		json_key(&j, "sessions");
		json_arr_begin(&j);
	}
	for (i = 0; i < r.n; i++) {
		char *f[5];
		size_t nf = ctlc_fields(r.rows[i], f, 5);

		if (strcmp(f[0], "converged") == 0 && nf == 2)
			conv = strcmp(f[1], "1") == 0;
		if (strcmp(f[0], "failed") == 0 && nf == 3 && nfail < NELEM(fail)) {
			fail[nfail][0] = f[1];
			fail[nfail++][1] = f[2];
		}
		/* LB-05: each load balancer backend, in rotation or not */
		if (strcmp(f[0], "lb-backend") == 0 && nf == 4 &&
		    nlbb < NELEM(lbb)) {
			lbb[nlbb][0] = f[1];
			lbb[nlbb][1] = f[2];
			lbb[nlbb++][2] = f[3];
		}
		if (strcmp(f[0], "session") != 0 || nf < 5)
			continue;
		why[0] = '\0';
		if (t != NULL && strcmp(f[3], "Established") != 0 &&
		    topo_node_find(t, f[1]) != NULL &&
		    topo_node_find(t, f[2]) != NULL)
			(void)nsg_session_blocked(t, topo_node_find(t, f[1]),
			    topo_node_find(t, f[2]), why, sizeof(why));
		if (c->json) {
			json_obj_begin(&j);
			json_kstr(&j, "routeServer", f[1]);
			json_kstr(&j, "peer", f[2]);
			json_kstr(&j, "state", f[3]);
			json_kbool(&j, "endOfRib", strcmp(f[4], "1") == 0);
			json_kstr(&j, "blockedBy", why[0] ? why : NULL);
			json_obj_end(&j);
		} else {
			if (why[0] != '\0' && nwhy < NELEM(whys)) {
				whys[nwhy][0] = xstrdup(f[1]);
				whys[nwhy++][1] = xstrdup(why);
			}
			table_row(tab, (const char *[]){ f[1], f[2], f[3],
			    strcmp(f[4], "1") == 0 ? "yes" : "no" });
		}
	}
	if (c->json) {
		json_arr_end(&j);
		json_kbool(&j, "converged", conv);
		json_key(&j, "failures");
		json_arr_begin(&j);
	} else {
		printf("lab %s: %s\n", lab, conv ? "converged" : "converging");
		table_print(tab);
		for (i = 0; i < nwhy; i++)
			printf("%s: blocked: %s\n", whys[i][0], whys[i][1]);
	}
	for (i = 0; i < nwhy; i++) {
		free(whys[i][0]);
		free(whys[i][1]);
	}
	topo_free(t);
	/* What `arsemu fail` did and no `restore` has undone yet. */
	for (i = 0; i < nfail; i++) {
		if (c->json) {
			json_obj_begin(&j);
			json_kstr(&j, "target", fail[i][0]);
			json_kstr(&j, "kind", fail[i][1]);
			json_obj_end(&j);
		} else
			printf("failed: %s (%s)\n", fail[i][0], fail[i][1]);
	}
	if (c->json) {
		json_arr_end(&j);
		json_key(&j, "loadBalancerBackends");
		json_arr_begin(&j);
	}
	for (i = 0; i < nlbb; i++) {
		if (c->json) {
			json_obj_begin(&j);
			json_kstr(&j, "loadBalancer", lbb[i][0]);
			json_kstr(&j, "backend", lbb[i][1]);
			json_kbool(&j, "inRotation", strcmp(lbb[i][2], "up") == 0);
			json_obj_end(&j);
		} else
			printf("load balancer %s: backend %s %s\n", lbb[i][0],
			    lbb[i][1], strcmp(lbb[i][2], "up") == 0 ?
			    "in rotation" : "out of rotation (its health probe "
			    "fails)");
	}
	if (c->json) {
		json_arr_end(&j);
		json_obj_end(&j);
		json_end(&j);
	}
	table_free(tab);
	ctlc_free(&r);
	return CLI_OK;
}

int
cmd_exec(struct cli *c)
{
	const char *lab;
	char ns[300];
	int fd;

	if (c->argc != 1 || c->nrest < 1)
		return cli_err(CLI_USAGE, "usage: arsemu exec NODE -- CMD [ARG...]");
	if ((lab = cli_lab(c)) == NULL)
		return CLI_ENV;
	if (strcmp(c->argv[0], "fabric") == 0)
		lab_fabric_ns(lab, ns, sizeof(ns));
	else
		lab_ns_name(lab, c->argv[0], ns, sizeof(ns));
	if ((fd = netns_open(ns)) < 0)
		return cli_err(CLI_USAGE, "lab %s has no node %s", lab, c->argv[0]);
	if (setns(fd, CLONE_NEWNET) == -1)
		return cli_err(CLI_ENV, "setns %s: %s", ns, strerror(errno));
	close(fd);
	execvp(c->rest[0], c->rest);
	return cli_err(127, "%s: %s", c->rest[0], strerror(errno));
}

int
cmd_daemon(struct cli *c)
{
	if (c->argc != 1)
		return CLI_USAGE;
	if (cli_lab_name("LAB", c->argv[0]) != 0)
		return CLI_USAGE;
	return emu_daemon_main(c->argv[0]);
}

int
cmd_speaker(struct cli *c)
{
	if (c->argc != 2)
		return CLI_USAGE;
	if (cli_lab_name("LAB", c->argv[0]) != 0)
		return CLI_USAGE;
	return emu_speaker_main(c->argv[0], c->argv[1]);
}

/*
 * capture NODE [IFACE] [-w FILE] [-- ARGS]: tcpdump inside the node's
 * namespace (eth0 by default, every interface of the fabric). tshark decodes
 * the BGP in a file written with -w.
 */
int
cmd_capture(struct cli *c)
{
	const char *lab, *iface;
	char ns[300], **argv;
	int fd, n = 0, i;

	if (c->argc < 1 || c->argc > 2)
		return cli_err(CLI_USAGE, "usage: arsemu capture NODE [IFACE] [-w FILE] "
		    "[-- TCPDUMP-ARGS]");
	if ((lab = cli_lab(c)) == NULL)
		return CLI_ENV;
	if (strcmp(c->argv[0], "fabric") == 0)
		lab_fabric_ns(lab, ns, sizeof(ns));
	else
		lab_ns_name(lab, c->argv[0], ns, sizeof(ns));
	iface = c->argc == 2 ? c->argv[1] : strcmp(c->argv[0], "fabric") == 0 ?
	    "any" : "eth0";
	if ((fd = netns_open(ns)) < 0)
		return cli_err(CLI_USAGE, "lab %s has no node %s", lab, c->argv[0]);
	if (setns(fd, CLONE_NEWNET) == -1)
		return cli_err(CLI_ENV, "setns %s: %s", ns, strerror(errno));
	close(fd);
	argv = xcalloc((size_t)c->nrest + 8, sizeof(*argv));
	argv[n++] = "tcpdump";
	argv[n++] = "-n";
	argv[n++] = "-i";
	argv[n++] = (char *)iface;
	if (c->write != NULL) {
		argv[n++] = "-w";
		argv[n++] = (char *)c->write;
	}
	for (i = 0; i < c->nrest; i++)
		argv[n++] = c->rest[i];
	execvp("tcpdump", argv);
	return cli_err(CLI_ENV, "tcpdump: %s (apt-get install tcpdump)", strerror(errno));
}

void
cli_json_nics(struct json *j, const struct topo_node *n)
{
	char ip[ADDR_STRLEN];
	size_t k;

	json_key(j, "nics");
	json_arr_begin(j);
	for (k = 0; k < n->nnics; k++) {
		json_obj_begin(j);
		json_kstr(j, "name", n->nics[k]->name);
		json_kstr(j, "subnet", n->nics[k]->subnet->name);
		json_kstr(j, "ip", addr_fmt(n->nics[k]->ip, ip));
		json_obj_end(j);
	}
	json_arr_end(j);
}

/*
 * nodes [LAB | TOPO] [--json]: every node with its kind, NIC and address;
 * in JSON, a node with several NICs lists them all ("nics").
 */
int
cmd_nodes(struct cli *c)
{
	struct topo *t;
	struct table *tab;
	struct json j;
	char ip[ADDR_STRLEN];
	const char *lab = NULL;
	size_t i;
	int rc = CLI_OK;

	if (c->argc > 1)
		return cli_err(CLI_USAGE, "usage: arsemu nodes [LAB | TOPO] [--json]");
	if ((t = cli_topo(c, &lab, &rc)) == NULL)
		return rc;
	tab = table_new(4, (const char *[]){ "Node", "Kind", "VNet/Site", "IP" });
	if (c->json) {
		json_init(&j, stdout);
		json_arr_begin(&j);
	}
	for (i = 0; i < t->nnodes; i++) {
		const struct topo_node *n = t->nodes[i];
		const char *where = n->nic ? n->nic->subnet->vnet->name :
		    n->site ? n->site->name : "";

		addr_fmt(n->nic ? n->nic->ip : n->host_ip, ip);
		if (n->kind == TOPO_SITE_ROUTER || (n->nic == NULL && n->host_ip == 0))
			snprintf(ip, sizeof(ip), "-");
		if (c->json) {
			json_obj_begin(&j);
			json_kstr(&j, "name", n->name);
			json_kstr(&j, "kind", topo_kind_str(n->kind));
			json_kstr(&j, "in", where);
			json_kstr(&j, "ip", strcmp(ip, "-") ? ip : NULL);
			if (n->nnics > 1)
				cli_json_nics(&j, n);
			json_obj_end(&j);
		} else
			table_row(tab, (const char *[]){ n->name, topo_kind_str(n->kind),
			    where, ip });
	}
	if (c->json) {
		json_arr_end(&j);
		json_end(&j);
	} else
		table_print(tab);
	table_free(tab);
	topo_free(t);
	return CLI_OK;
}
