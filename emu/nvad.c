/*
 * nvad: an NVA whose BGP is a real FRR or BIRD (see nvad.h).
 *
 * A rendered config carries what the built-in speaker would be configured
 * with (emu_bgp_conf(), so the two cannot drift apart): the NVA's ASN and
 * NIC address, one multihop eBGP session per Route Server instance it peers
 * with (the instances sit in RouteServerSubnet, one fabric hop away), the
 * topology's timers and md5 key; its "advertise" prefixes originated with
 * its prepends, communities and next hop; learned routes passed on, as the
 * built-in speaker passes them. What it learns goes into the namespace's
 * kernel table so the NVA forwards by it: zebra for FRR, the kernel
 * protocol for BIRD, with metric 20 like the built-in speaker's routes, so
 * the lab's static routes (default, site prefixes) keep precedence.
 *
 * Next hops the Route Server sends (its own address for VNet prefixes,
 * other NVAs') are not on the NVA's link: FRR resolves them over the
 * default route (zebra's "ip nht resolve-via-default"), BIRD over a table
 * of its own holding only the subnet's gateway as default, so a learned
 * route can never resolve over another learned one.
 */
#include <sys/prctl.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/util.h"
#include "model/bgpconf.h"
#include "lab.h"
#include "nvad.h"

#define FRR_ZEBRA	"/usr/lib/frr/zebra"
#define FRR_BGPD	"/usr/lib/frr/bgpd"
#define FRR_VTY_GROUP	"frrvty"	/* FRR's compiled-in vty group */
#define BIRD_BIN	"bird"
#define NVAD_METRIC	"20"		/* as the built-in NVA's routes */
#define NVAD_MAX_PATHS	8
#define ZSERV_WAIT_MS	5000
#define OLD_PID_WAIT_MS	2000
#define POLL_MS		20

bool
nvad_external(const struct topo_node *n)
{
	return n->kind == TOPO_NVA && n->nva->daemon != TOPO_NVAD_BUILTIN;
}

bool
nvad_settled(const struct topo *t, const char *peer, unsigned up_s,
    unsigned received)
{
	const struct topo_node *n = topo_node_find(t, peer);

	if (n == NULL || !nvad_external(n) || up_s < NVAD_SETTLE_S)
		return false;
	return n->nva->daemon_config != NULL ||
	    received >= n->nva->nadvertise;
}

static char *
nvad_dir(const char *lab, const char *node, char *buf, size_t len)
{
	char d[256];

	snprintf(buf, len, "%s/nvad/%s", lab_dir(lab, d, sizeof(d)), node);
	return buf;
}

static int
errf(char *err, size_t len, const char *what, const char *path)
{
	snprintf(err, len, "%s %s: %s", what, path, strerror(errno));
	return -1;
}

/* ---- FRR ---- */

static void
frr_neighbor(FILE *f, const struct bgp_conf *c, const struct bgp_peer_conf *p,
    bool onlink)
{
	char a[ADDR_STRLEN], l[ADDR_STRLEN];

	addr_fmt(p->addr, a);
	fprintf(f, " neighbor %s remote-as %u\n", a, p->asn);
	fprintf(f, " neighbor %s description %s\n", a, p->name);
	if (!onlink) {
		fprintf(f, " neighbor %s ebgp-multihop 255\n", a);
		fprintf(f, " neighbor %s update-source %s\n", a,
		    addr_fmt(c->local_addr, l));
	}
	fprintf(f, " neighbor %s timers %u %u\n", a, c->keepalive, c->hold);
	fprintf(f, " neighbor %s timers connect %u\n", a, c->connect_retry);
	if (p->md5[0] != '\0')
		fprintf(f, " neighbor %s password %s\n", a, p->md5);
	if (p->passive)
		fprintf(f, " neighbor %s passive\n", a);
}

/*
 * Sender-side loop detection, unless 65515 is overridden (PE-06): then
 * what holds 65515 goes out, rewritten, as the built-in speaker does.
 */
static bool
loop_filtered(const struct bgp_peer_conf *p)
{
	return p->sender_loop && !p->as_override;
}

/* PE-06: as-override towards a Route Server (65515 is that peer's AS). */
static bool
overrides(const struct bgp_peer_conf *p)
{
	return p->as_override && p->asn == TOPO_RS_ASN;
}

/*
 * Originated routes only: what the built-in speaker sets on its own. With
 * loop_as, route-map ARSEMU-OUT-<AS>: the same, after denying every route
 * whose AS path holds loop_as (sender-side loop detection as a filter;
 * FRR 8.4's "sender-as-path-loop-detection" still sent them here).
 */
/* The sets of an originated route: the speaker's, plus pol's (or NULL). */
static void
frr_set(FILE *f, const struct bgp_conf *c, const struct bgp_orig_pol *pol)
{
	unsigned k, prepend = c->prepend + (pol != NULL ? pol->prepend : 0);
	char a[ADDR_STRLEN];
	size_t i;

	if (prepend > 0) {
		fprintf(f, " set as-path prepend");
		for (k = 0; k < prepend; k++)
			fprintf(f, " %u", c->asn);
		fputc('\n', f);
	}
	if (pol != NULL && pol->has_med)
		fprintf(f, " set metric %u\n", pol->med);
	if (c->norig_comm > 0 || (pol != NULL && pol->ncomm > 0)) {
		fprintf(f, " set community");
		for (i = 0; i < c->norig_comm; i++)
			fprintf(f, " %u:%u", c->orig_comm[i] >> 16,
			    c->orig_comm[i] & 0xffff);
		for (i = 0; pol != NULL && i < pol->ncomm; i++)
			fprintf(f, " %u:%u", pol->comm[i] >> 16,
			    pol->comm[i] & 0xffff);
		fprintf(f, " additive\n");
	}
	if (c->orig_nexthop != 0)
		fprintf(f, " set ip next-hop %s\n", addr_fmt(c->orig_nexthop, a));
}

static void
frr_routemap(FILE *f, const struct bgp_conf *c, uint32_t loop_as)
{
	size_t i, npol = c->orig_pol != NULL ? c->noriginate : 0;
	char name[32];

	if (loop_as != 0) {
		snprintf(name, sizeof(name), "ARSEMU-OUT-%u", loop_as);
		fprintf(f, "bgp as-path access-list ARSEMU-VIA-%u seq 5 permit "
		    "_%u_\nroute-map %s deny 5\n match as-path ARSEMU-VIA-%u\n",
		    loop_as, loop_as, name, loop_as);
	} else
		snprintf(name, sizeof(name), "ARSEMU-OUT");
	/* a route with a policy of its own first, each alone, seq 10 + i */
	for (i = 0; c->orig_pol != NULL && i < c->noriginate; i++) {
		fprintf(f, "route-map %s permit %zu\n"
		    " match ip address prefix-list ARSEMU-ORIGIN-%zu\n", name,
		    10 + i, i);
		frr_set(f, c, &c->orig_pol[i]);
	}
	if (c->noriginate > 0) {
		fprintf(f, "route-map %s permit %zu\n"
		    " match ip address prefix-list ARSEMU-ORIGIN\n", name,
		    10 + npol);
		frr_set(f, c, NULL);
	}
	fprintf(f, "route-map %s permit %zu\n!\n", name, 20 + npol);
}

static void
frr_policy(FILE *f, const struct bgp_conf *c)
{
	char p[PFX_STRLEN];
	size_t i;

	for (i = 0; i < c->noriginate; i++)
		fprintf(f, "ip prefix-list ARSEMU-ORIGIN seq %zu permit %s\n",
		    (i + 1) * 5, pfx_fmt(&c->originate[i], p));
	for (i = 0; c->orig_pol != NULL && i < c->noriginate; i++)
		fprintf(f, "ip prefix-list ARSEMU-ORIGIN-%zu seq 5 permit %s\n",
		    i, pfx_fmt(&c->originate[i], p));
	frr_routemap(f, c, 0);
	for (i = 0; i < c->npeers; i++)
		if (loop_filtered(&c->peers[i])) {
			frr_routemap(f, c, c->peers[i].asn);
			break;	/* the RS instances share one AS */
		}
}

static void
render_frr(FILE *f, const struct topo_node *n, const struct bgp_conf *c)
{
	char a[ADDR_STRLEN], p[PFX_STRLEN];
	unsigned i;
	size_t k;

	fprintf(f, "! rendered by arsemu for NVA %s from the topology\n"
	    "frr defaults traditional\nhostname %s\n!\nrouter bgp %u\n"
	    " bgp router-id %s\n no bgp ebgp-requires-policy\n"
	    " no bgp network import-check\n", n->name, n->name, c->asn,
	    addr_fmt(c->bgp_id, a));
	for (i = 0; i < c->npeers; i++)
		frr_neighbor(f, c, &c->peers[i], c->peers[i].asn != TOPO_RS_ASN);
	fprintf(f, " !\n address-family ipv4 unicast\n");
	for (k = 0; k < c->noriginate; k++)
		fprintf(f, "  network %s\n", pfx_fmt(&c->originate[k], p));
	for (i = 0; i < c->npeers; i++) {
		addr_fmt(c->peers[i].addr, a);
		if (c->orig_nexthop == 0)
			fprintf(f, "  neighbor %s next-hop-self\n", a);
		fprintf(f, "  neighbor %s send-community\n", a);
		if (overrides(&c->peers[i]))
			fprintf(f, "  neighbor %s as-override\n", a);
		if (loop_filtered(&c->peers[i]))
			fprintf(f, "  neighbor %s route-map ARSEMU-OUT-%u out\n", a,
			    c->peers[i].asn);
		else
			fprintf(f, "  neighbor %s route-map ARSEMU-OUT out\n", a);
	}
	fprintf(f, "  maximum-paths %d\n exit-address-family\n!\n",
	    NVAD_MAX_PATHS);
	frr_policy(f, c);
}

static void
render_zebra(FILE *f, const struct topo_node *n)
{
	fprintf(f, "! rendered by arsemu for NVA %s\nhostname %s\n"
	    "ip nht resolve-via-default\n!\n", n->name, n->name);
}

/* ---- BIRD ---- */

/*
 * arsemu_out, or with loop_as, arsemu_out_<AS>: the same, but no route
 * whose AS path holds loop_as (BIRD has no sender-side loop detection);
 * or with ovr, arsemu_out_ovr: what BIRD has no as-override for (PE-06),
 * 65515 out of a learned path and our ASN in its place (one Route
 * Server's 65515 per path; BIRD prepends ours once more on export, as
 * FRR's as-override has it).
 */
/* A route's own policy, on top of what every originated route gets. */
static void
bird_pol(FILE *f, const struct bgp_conf *c, const struct pfx4 *p,
    const struct bgp_orig_pol *pol)
{
	char b[PFX_STRLEN];
	unsigned k;
	size_t i;

	if (pol->prepend == 0 && !pol->has_med && pol->ncomm == 0)
		return;
	fprintf(f, "\t\tif net = %s then {\n", pfx_fmt(p, b));
	for (k = 0; k < pol->prepend; k++)
		fprintf(f, "\t\t\tbgp_path.prepend(%u);\n", c->asn);
	if (pol->has_med)
		fprintf(f, "\t\t\tbgp_med = %u;\n", pol->med);
	for (i = 0; i < pol->ncomm; i++)
		fprintf(f, "\t\t\tbgp_community.add((%u, %u));\n",
		    pol->comm[i] >> 16, pol->comm[i] & 0xffff);
	fprintf(f, "\t\t}\n");
}

static void
bird_filter(FILE *f, const struct bgp_conf *c, uint32_t loop_as, bool ovr)
{
	char a[ADDR_STRLEN];
	unsigned k;
	size_t i;

	if (ovr)
		fprintf(f, "filter arsemu_out_ovr {\n\tif source = RTS_BGP && "
		    "bgp_path ~ [= * %u * =] then {\n\t\tbgp_path = "
		    "delete(bgp_path, %u);\n\t\tbgp_path.prepend(%u);\n\t}\n",
		    TOPO_RS_ASN, TOPO_RS_ASN, c->asn);
	else if (loop_as != 0)
		fprintf(f, "filter arsemu_out_%u {\n\tif source = RTS_BGP && "
		    "bgp_path ~ [= * %u * =] then reject;\n", loop_as, loop_as);
	else
		fprintf(f, "filter arsemu_out {\n");
	fprintf(f, "\tif source = RTS_STATIC then {\n");
	for (i = 0; c->orig_pol != NULL && i < c->noriginate; i++)
		bird_pol(f, c, &c->originate[i], &c->orig_pol[i]);
	for (k = 0; k < c->prepend; k++)
		fprintf(f, "\t\tbgp_path.prepend(%u);\n", c->asn);
	for (i = 0; i < c->norig_comm; i++)
		fprintf(f, "\t\tbgp_community.add((%u, %u));\n",
		    c->orig_comm[i] >> 16, c->orig_comm[i] & 0xffff);
	if (c->orig_nexthop != 0)
		fprintf(f, "\t\tbgp_next_hop = %s;\n", addr_fmt(c->orig_nexthop, a));
	fprintf(f, "\t\taccept;\n\t}\n\tif source = RTS_BGP then accept;\n"
	    "\treject;\n}\n\n");
}

static void
bird_peer(FILE *f, const struct bgp_conf *c, const struct bgp_peer_conf *p,
    unsigned i)
{
	char a[ADDR_STRLEN], l[ADDR_STRLEN];

	fprintf(f, "protocol bgp peer%u {\n\tdescription \"%s\";\n"
	    "\tlocal %s as %u;\n\tneighbor %s as %u;\n", i, p->name,
	    addr_fmt(c->local_addr, l), c->asn, addr_fmt(p->addr, a), p->asn);
	if (p->asn == TOPO_RS_ASN)
		fprintf(f, "\tmultihop;\n");
	if (c->hold > 0)
		fprintf(f, "\thold time %u;\n\tkeepalive time %u;\n", c->hold,
		    c->keepalive);
	fprintf(f, "\tconnect retry time %u;\n\tconnect delay time 1;\n"
	    "\terror wait time 1, %u;\n", c->connect_retry,
	    c->connect_retry > 2 ? c->connect_retry : 2);
	if (p->md5[0] != '\0')
		fprintf(f, "\tpassword \"%s\";\n", p->md5);
	if (p->passive)
		fprintf(f, "\tpassive on;\n");
	if (overrides(p))
		fprintf(f, "\tipv4 {\n\t\timport all;\n"
		    "\t\texport filter arsemu_out_ovr;\n");
	else if (loop_filtered(p))
		fprintf(f, "\tipv4 {\n\t\timport all;\n"
		    "\t\texport filter arsemu_out_%u;\n", p->asn);
	else
		fprintf(f, "\tipv4 {\n\t\timport all;\n"
		    "\t\texport filter arsemu_out;\n");
	fprintf(f, "\t\tigp table arsemu_igp;\n\t\tgateway recursive;\n\t};\n}\n\n");
}

static void
render_bird(FILE *f, const struct topo_node *n, const struct bgp_conf *c)
{
	char a[ADDR_STRLEN], p[PFX_STRLEN];
	unsigned i;
	size_t k;

	fprintf(f, "# rendered by arsemu for NVA %s from the topology\n"
	    "router id %s;\nlog stderr all;\n\nipv4 table arsemu_igp;\n\n"
	    "protocol device {\n\tscan time 10;\n}\n\n", n->name,
	    addr_fmt(c->bgp_id, a));
	/* Only the subnet's gateway resolves next hops (see the top). */
	fprintf(f, "protocol static arsemu_gw {\n\tipv4 { table arsemu_igp; };\n"
	    "\troute 0.0.0.0/0 via %s;\n}\n\n",
	    addr_fmt(n->nic->subnet->pfx.addr + 1, a));
	fprintf(f, "protocol kernel {\n\tmetric %s;\n\tmerge paths on;\n"
	    "\tipv4 {\n\t\timport none;\n\t\texport where source = RTS_BGP;\n"
	    "\t};\n}\n\n", NVAD_METRIC);
	if (c->noriginate > 0) {
		fprintf(f, "protocol static arsemu_origin {\n\tipv4;\n");
		for (k = 0; k < c->noriginate; k++)
			fprintf(f, "\troute %s blackhole;\n",
			    pfx_fmt(&c->originate[k], p));
		fprintf(f, "}\n\n");
	}
	bird_filter(f, c, 0, false);
	for (i = 0; i < c->npeers; i++)
		if (overrides(&c->peers[i])) {
			bird_filter(f, c, 0, true);
			break;
		}
	for (i = 0; i < c->npeers; i++)
		if (loop_filtered(&c->peers[i])) {
			bird_filter(f, c, c->peers[i].asn, false);
			break;	/* the RS instances share one AS */
		}
	for (i = 0; i < c->npeers; i++)
		bird_peer(f, c, &c->peers[i], i);
}

/* ---- prepare, exec ---- */

static int
write_conf(const char *path, const struct topo_node *n,
    const struct bgp_conf *c, void (*render)(FILE *,
    const struct topo_node *, const struct bgp_conf *), char *err, size_t len)
{
	FILE *f;

	if ((f = fopen(path, "w")) == NULL)
		return errf(err, len, "create", path);
	render(f, n, c);
	if (fclose(f) != 0)
		return errf(err, len, "write", path);
	return 0;
}

static void
render_zebra_c(FILE *f, const struct topo_node *n, const struct bgp_conf *c)
{
	(void)c;
	render_zebra(f, n);
}

/* Is prog (a path, or a name looked up in $PATH) executable? */
static bool
have_prog(const char *prog)
{
	char *path, *dir, *save = NULL, file[PATH_MAX];
	bool found = false;

	if (strchr(prog, '/') != NULL)
		return access(prog, X_OK) == 0;
	path = xstrdup(getenv("PATH") ? getenv("PATH") : "/usr/sbin:/usr/bin");
	for (dir = strtok_r(path, ":", &save); dir != NULL && !found;
	    dir = strtok_r(NULL, ":", &save)) {
		snprintf(file, sizeof(file), "%s/%s", dir, prog);
		found = access(file, X_OK) == 0;
	}
	free(path);
	return found;
}

int
nvad_prepare(const char *lab, const struct topo *t, const struct topo_node *n,
    char *err, size_t len)
{
	char dir[300], path[400], ld[256];
	const struct topo_nva *v = n->nva;
	struct bgp_conf c;
	int rc = 0;

	if (v->daemon == TOPO_NVAD_FRR ? !have_prog(FRR_BGPD) ||
	    !have_prog(FRR_ZEBRA) : !have_prog(BIRD_BIN)) {
		snprintf(err, len, "%s is not installed (apt-get install %s)",
		    topo_nvad_str(v->daemon), v->daemon == TOPO_NVAD_FRR ?
		    "frr" : "bird2");
		return -1;
	}

	snprintf(path, sizeof(path), "%s/nvad", lab_dir(lab, ld, sizeof(ld)));
	nvad_dir(lab, n->name, dir, sizeof(dir));
	if ((mkdir(path, 0755) == -1 && errno != EEXIST) ||
	    (mkdir(dir, 0755) == -1 && errno != EEXIST))
		return errf(err, len, "create", dir);
	if (v->daemon == TOPO_NVAD_FRR) {
		snprintf(path, sizeof(path), "%s/zebra.conf", dir);
		if (write_conf(path, n, NULL, render_zebra_c, err, len) == -1)
			return -1;
	}
	if (v->daemon_config_path != NULL)
		return 0;
	if (emu_bgp_conf(t, n, "", &c) == -1) {
		snprintf(err, len, "%s has no BGP configuration", n->name);
		return -1;
	}
	if (v->daemon == TOPO_NVAD_FRR) {
		snprintf(path, sizeof(path), "%s/bgpd.conf", dir);
		rc = write_conf(path, n, &c, render_frr, err, len);
	} else {
		snprintf(path, sizeof(path), "%s/bird.conf", dir);
		rc = write_conf(path, n, &c, render_bird, err, len);
	}
	emu_bgp_conf_free(&c);
	return rc;
}

static bool
wait_for(const char *path, bool exist, unsigned ms)
{
	unsigned waited;

	for (waited = 0; waited < ms; waited += POLL_MS) {
		if ((access(path, F_OK) == 0) == exist)
			return true;
		usleep(POLL_MS * 1000);
	}
	return false;
}

/* A zebra of an earlier run (it dies with its bgpd): let it finish. */
static void
wait_old_zebra(const char *pidfile)
{
	unsigned waited;
	FILE *f;
	long pid = 0;

	if ((f = fopen(pidfile, "r")) == NULL)
		return;
	if (fscanf(f, "%ld", &pid) != 1)
		pid = 0;
	fclose(f);
	for (waited = 0; pid > 0 && waited < OLD_PID_WAIT_MS; waited += POLL_MS) {
		if (kill((pid_t)pid, 0) == -1 && errno == ESRCH)
			return;
		usleep(POLL_MS * 1000);
	}
}

/*
 * zebra in a child of the process that becomes bgpd, dying with it. Its
 * group is FRR's vty group before exec, so zebra's own switch to it
 * changes no credential and the parent-death signal survives.
 */
static int
start_zebra(const char *dir, const char *zsock)
{
	char conf[400], pid[400];
	struct group *g;
	pid_t z, parent = getpid();

	snprintf(conf, sizeof(conf), "%s/zebra.conf", dir);
	snprintf(pid, sizeof(pid), "%s/zebra.pid", dir);
	wait_old_zebra(pid);
	unlink(zsock);
	if ((g = getgrnam(FRR_VTY_GROUP)) == NULL)
		return -1;
	if ((z = fork()) == -1)
		return -1;
	if (z == 0) {
		if (setgid(g->gr_gid) == -1 ||
		    prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() != parent)
			_exit(3);
		execl(FRR_ZEBRA, "zebra", "-u", "root", "-g", FRR_VTY_GROUP,
		    "-f", conf, "-i", pid, "-z", zsock, "--vty_socket", dir,
		    "-P", "0", "--log", "stdout", (char *)NULL);
		_exit(127);
	}
	return wait_for(zsock, true, ZSERV_WAIT_MS) ? 0 : -1;
}

static void
exec_frr(const char *dir, const struct topo_nva *v)
{
	char conf[400], pid[400], zsock[400];

	snprintf(zsock, sizeof(zsock), "%s/zserv.api", dir);
	if (start_zebra(dir, zsock) == -1) {
		fprintf(stderr, "nvad: zebra did not start (%s)\n", zsock);
		return;
	}
	if (v->daemon_config_path != NULL)
		snprintf(conf, sizeof(conf), "%s", v->daemon_config_path);
	else
		snprintf(conf, sizeof(conf), "%s/bgpd.conf", dir);
	snprintf(pid, sizeof(pid), "%s/bgpd.pid", dir);
	execl(FRR_BGPD, "bgpd", "-S", "-P", "0", "-f", conf, "-i", pid,
	    "-z", zsock, "--vty_socket", dir, "--log", "stdout", (char *)NULL);
	fprintf(stderr, "nvad: %s: %s\n", FRR_BGPD, strerror(errno));
}

static void
exec_bird(const char *dir, const struct topo_nva *v)
{
	char conf[400], sock[400], pid[400];

	if (v->daemon_config_path != NULL)
		snprintf(conf, sizeof(conf), "%s", v->daemon_config_path);
	else
		snprintf(conf, sizeof(conf), "%s/bird.conf", dir);
	snprintf(sock, sizeof(sock), "%s/bird.ctl", dir);
	snprintf(pid, sizeof(pid), "%s/bird.pid", dir);
	execlp(BIRD_BIN, "bird", "-f", "-c", conf, "-s", sock, "-P", pid,
	    (char *)NULL);
	fprintf(stderr, "nvad: %s: %s\n", BIRD_BIN, strerror(errno));
}

void
nvad_exec(const char *lab, const struct topo_node *n)
{
	char dir[300];

	nvad_dir(lab, n->name, dir, sizeof(dir));
	if (n->nva->daemon == TOPO_NVAD_FRR)
		exec_frr(dir, n->nva);
	else
		exec_bird(dir, n->nva);
}

/* ---- staging at `up` ---- */

/* Names the lab directory keeps for itself (lab.h, labstate.c, here). */
static bool
lab_owned(const char *rel)
{
	static const char *const own[] = {
		"topology.json", "state", "lock", "log", "nvad", "ctl.sock",
		"journal.jsonl", "daemon.log",
	};
	size_t i, l = strcspn(rel, "/");

	if (rel[l] == '\0' && l > 5 && strcmp(rel + l - 5, ".sock") == 0)
		return true;
	for (i = 0; i < NELEM(own); i++)
		if (strlen(own[i]) == l && strncmp(rel, own[i], l) == 0)
			return true;
	return false;
}

static int
copy_to(const char *from, const char *to, char *err, size_t len)
{
	char buf[8192], d[PATH_MAX], *s;
	ssize_t n;
	int in, out;

	snprintf(d, sizeof(d), "%s", to);
	for (s = strchr(d + 1, '/'); s != NULL; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(d, 0755) == -1 && errno != EEXIST)
			return errf(err, len, "create", d);
		*s = '/';
	}
	if ((in = open(from, O_RDONLY | O_CLOEXEC)) == -1)
		return errf(err, len, "read", from);
	if ((out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) == -1) {
		close(in);
		return errf(err, len, "create", to);
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			n = -1;
			break;
		}
	close(in);
	if (close(out) == -1 || n < 0)
		return errf(err, len, "copy to", to);
	return 0;
}

int
nvad_stage(const struct topo *t, char *err, size_t len)
{
	char ld[256], to[PATH_MAX];
	size_t i;

	lab_dir(t->name, ld, sizeof(ld));
	for (i = 0; i < t->nnvas; i++) {
		const struct topo_nva *v = t->nvas[i];

		if (v->daemon_config == NULL || v->daemon_config[0] == '/')
			continue;
		if (lab_owned(v->daemon_config)) {
			snprintf(err, len, "%s.daemon.config: \"%s\" is a name the "
			    "lab directory keeps for itself: rename the file",
			    v->node->jpath, v->daemon_config);
			return -1;
		}
		snprintf(to, sizeof(to), "%s/%s", ld, v->daemon_config);
		if (copy_to(v->daemon_config_path, to, err, len) == -1)
			return -1;
	}
	return 0;
}
