/*
 * cmd_gateway: what a running lab's VPN or ExpressRoute gateway learned and
 * advertises, in the shape of `az network vnet-gateway list-learned-routes`
 * (CLI-06): {"value": [...]}; the gateway's own VNet prefixes have origin
 * "Network", asPath "" and weight 32768, BGP routes origin "EBgp" and the
 * path as received ("12076-64512" over ExpressRoute). Both instances are
 * listed, each entry with its instance's IP as localAddress.
 *
 * Must not: compute routes; everything comes from the speakers' sockets
 * and the lab's saved topology.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../emu/model/bgpconf.h"
#include "../emu/lab.h"
#include "../lib/ctlc.h"
#include "../lib/json.h"
#include "../lib/util.h"
#include "cli.h"
#include "cmd_gateway.h"

#define GW_WEIGHT_LOCAL	"32768"
#define GW_ROW_FIELDS	7

struct gwout {
	struct json	 j;
	struct table	*t;
	bool		 json;
	bool		 learned;
};

/* f: network nextHop asPath origin sourcePeer weight. */
static void
emit(struct gwout *o, const char *inst, const char *local,
    const char *const *f)
{
	if (!o->json) {
		table_row(o->t, (const char *[]){ inst, f[0], f[1], f[2], f[3],
		    o->learned ? f[4] : "", f[5] });
		return;
	}
	json_obj_begin(&o->j);
	json_kstr(&o->j, "asPath", f[2]);
	json_kstr(&o->j, "localAddress", local);
	json_kstr(&o->j, "network", f[0]);
	if (f[1][0] == '\0')
		json_kstr(&o->j, "nextHop", NULL);
	else
		json_kstr(&o->j, "nextHop", f[1]);
	json_kstr(&o->j, "origin", f[3]);
	if (o->learned)
		json_kstr(&o->j, "sourcePeer", f[4]);
	json_kint(&o->j, "weight", atoll(f[5]));
	json_obj_end(&o->j);
}

/* The VNet prefixes the instance originates (CLI-06: origin Network). */
static void
network_rows(struct gwout *o, const struct topo_gw *gw, const char *inst,
    const char *local)
{
	struct topo_served_pos pos = { 0, 0 };
	const struct pfx4 *p;
	char pf[PFX_STRLEN];
	const char *f[6];

	while ((p = topo_gateway_served_pfx(gw->vnet, &pos)) != NULL) {
		f[0] = pfx_fmt(p, pf);
		f[1] = "";
		f[2] = "";
		f[3] = "Network";
		f[4] = local;
		f[5] = GW_WEIGHT_LOCAL;
		emit(o, inst, local, f);
	}
}

static int
peer_rows(struct gwout *o, const char *lab, const struct topo *t,
    const struct topo_node *n, const char *local)
{
	char sock[300], req[128], *f[GW_ROW_FIELDS];
	const char *g[6];
	const struct topo_gwlink *l;
	struct ctlc_reply r;
	size_t i, k;
	int rc = CLI_OK;

	emu_speaker_sock(lab, n->name, sock, sizeof(sock));
	for (i = 0; i < t->ngwlinks; i++) {
		l = t->gwlinks[i];
		if (l->a != n || !l->bgp)
			continue;
		snprintf(req, sizeof(req), "%s %s", o->learned ? "learned" :
		    "advertised", l->b->name);
		if (ctlc_request(sock, req, 3000, &r) != 0) {
			rc = cli_err(CLI_ENV, "%s does not answer", n->name);
			continue;
		}
		for (k = 0; k < r.n; k++) {
			size_t nf = ctlc_fields(r.rows[k], f, GW_ROW_FIELDS);

			if (nf < (o->learned ? 6u : 5u))
				continue;
			/* A path its import refused (own ASN: a loop) is not listed. */
			if (o->learned && nf >= 7 && f[6][0] != '\0' &&
			    strcmp(f[6], "-") != 0)
				continue;
			g[0] = f[0];
			g[1] = f[1];
			g[2] = f[2];
			g[3] = f[3];
			g[4] = o->learned ? f[4] : "";
			g[5] = o->learned ? f[5] : f[4];
			emit(o, n->name, local, g);
		}
		ctlc_free(&r);
	}
	return rc;
}

static const struct topo_gw *
find_gw(const char *lab, const char *name, struct topo **tp)
{
	char dir[256], file[300];
	const struct topo_gw *gw;
	struct topo_err e;

	snprintf(file, sizeof(file), "%s/topology.json", lab_dir(lab, dir,
	    sizeof(dir)));
	if (topo_load_file(file, tp, &e) == -1) {
		cli_err(CLI_ENV, "lab %s: %s: %s", lab, file, e.msg);
		return NULL;
	}
	if ((gw = topo_gw_find(*tp, name)) == NULL)
		cli_err(CLI_USAGE, "lab %s has no gateway named %s", lab, name);
	return gw;
}

int
cmd_gateway(struct cli *c)
{
	struct gwout o = { .json = c->json };
	char local[ADDR_STRLEN];
	const struct topo_gw *gw;
	struct topo *t = NULL;
	const char *lab;
	unsigned k;
	int rc = CLI_OK;

	if (c->argc != 2 || (strcmp(c->argv[1], "learned") != 0 &&
	    strcmp(c->argv[1], "advertised") != 0))
		return cli_err(CLI_USAGE, "usage: arsemu gateway NAME learned | "
		    "advertised [--json]");
	if ((lab = cli_lab(c)) == NULL)
		return CLI_ENV;
	if ((gw = find_gw(lab, c->argv[0], &t)) == NULL) {
		topo_free(t);
		return CLI_USAGE;
	}
	o.learned = c->argv[1][0] == 'l';
	o.t = table_new(7, (const char *[]){ "Instance", "Network", "Next Hop",
	    "AS Path", "Origin", "Source Peer", "Weight" });
	if (o.json) {
		json_init(&o.j, stdout);
		json_obj_begin(&o.j);
		json_key(&o.j, "value");
		json_arr_begin(&o.j);
	}
	for (k = 0; k < gw->ninst; k++) {
		addr_fmt(gw->inst[k]->nic->ip, local);
		if (o.learned)
			network_rows(&o, gw, gw->inst[k]->name, local);
		if (peer_rows(&o, lab, t, gw->inst[k], local) != CLI_OK)
			rc = CLI_ENV;
	}
	if (o.json) {
		json_arr_end(&o.j);
		json_obj_end(&o.j);
		json_end(&o.j);
	} else
		table_print(o.t);
	table_free(o.t);
	topo_free(t);
	return rc;
}
