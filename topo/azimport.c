/*
 * azimport: az CLI output -> a topology (see azimport.h).
 *
 * The mapping, resource by resource (az prints REST properties flattened):
 *   virtualNetworks          a hub when a Route Server's virtualRouterIps lie
 *                            in its RouteServerSubnet, else a spoke; its
 *                            location is its region; addressSpace, subnets;
 *                            each subnet's ipConfigurations name the NICs
 *                            (…/networkInterfaces/NIC/…): a VM per NIC in
 *                            spokes, and in hub subnets holding no NVA
 *   virtualNetworkPeerings   embedded in a VNet or listed on their own; the
 *                            spoke's side gives useRemoteGateways and
 *                            allowForwardedTraffic, the hub's
 *                            allowGatewayTransit; only Connected ones count
 *   virtualHubs              the Route Server: allowBranchToBranchTraffic,
 *                            hubRoutingPreference
 *   virtualHubs/bgpConnections  an NVA: peerAsn, peerIp (its NIC address)
 *   routeTables              routes and the subnets they are associated with
 * What the files cannot say (what NVAs advertise, gateways, sites) is left
 * out; a warning says so where it matters.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../lib/util.h"
#include "azimport.h"
#include "topo_int.h"

#define AZ_FILES_MAX	256
#define AZ_HUB_NAME_MAX	(TOPO_NAME_MAX - 4)	/* room for "-rs0" */

struct azres {
	const cJSON	*o;
	const char	*file;
	char		 path[TOPO_PATH_MAX];
};

struct azvnet {
	struct azres	 r;
	const char	*azname;
	char		 name[TOPO_NAME_MAX + 1];
	const char	*loc;
	const cJSON	*space;
	const cJSON	*subnets;
	int		 rs;		/* hub: index into rss, else -1 */
	int		 hub;		/* spoke: its hub's index in vnets, else -1 */
	bool		 urg, aft;	/* spoke side of its peering */
	bool		 agt;		/* hub side (allowGatewayTransit) */
};

struct azrs {
	struct azres	 r;
	const char	*azname;
	uint32_t	 ip[2];
	int		 vnet;
};

/* A node name taken, and the next suffix to try when it is wanted again. */
struct azname {
	char		*name;		/* NULL: a free slot */
	unsigned	 next;
};

struct azfile {
	char		*name;
	cJSON		*root;
};

struct az {
	const char	*dir;
	struct topo_err	*err;
	struct azfile	*files;
	size_t		 nfiles, fcap;
	struct azvnet	*vnets;
	size_t		 nvnets, vcap;
	struct azrs	*rss;
	size_t		 nrss, rcap;
	struct azres	*peerings, *bgps, *rts;
	size_t		 npeerings, pcap, nbgps, bcap, nrts, tcap;
	struct azname	*names;		/* node names taken: a hash set */
	size_t		 nnames, ncap;	/* ncap: 0 or a power of two */
	struct topo_az	*out;
};

/* out: in's resource at "in.key[i]" (key NULL: "in[i]"). */
static void
res_at(struct azres *out, const struct azres *in, const char *key, size_t i)
{
	char k[TOPO_PATH_MAX];

	*out = *in;
	topo_path_idx(out->path, key ? topo_path_key(k, in->path, key) :
	    in->path, i);
}

/* Warnings and errors are escaped (str_escape): file names and paths
 * come from the directory and the files. */
static void __attribute__((format(printf, 4, 5)))
warn(struct az *a, const struct azres *r, const char *key, const char *fmt, ...)
{
	char msg[512], raw[sizeof(msg) + TOPO_PATH_MAX + 300], out[sizeof(raw)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(raw, sizeof(raw), "%s: %s%s%s: %s", r->file, r->path,
	    r->path[0] && key ? "." : "", key ? key : "", msg);
	a->out->warnings = xrealloc(a->out->warnings,
	    (a->out->nwarnings + 1) * sizeof(char *));
	a->out->warnings[a->out->nwarnings++] =
	    xstrdup(str_escape(out, sizeof(out), raw));
}

static int __attribute__((format(printf, 4, 5)))
fail(struct az *a, const struct azres *r, const char *key, const char *fmt, ...)
{
	char msg[400], path[TOPO_PATH_MAX], raw[sizeof(a->err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (key != NULL)
		topo_path_key(path, r->path, key);
	else
		snprintf(path, sizeof(path), "%s", r->path);
	str_escape(a->err->path, sizeof(a->err->path), path);
	if (snprintf(raw, sizeof(raw), "%s: %s%s%s", r->file, path,
	    path[0] ? ": " : "", msg) < 0)
		raw[0] = '\0';
	str_escape(a->err->msg, sizeof(a->err->msg), raw);
	return -1;
}

static const char *
jstr(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A boolean that az prints; def when absent. */
static bool
jbool(const cJSON *o, const char *key, bool def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsBool(v) ? cJSON_IsTrue(v) : def;
}

/* The segment after "/<kind>/" in a resource id, into buf; NULL if none. */
static const char *
id_part(const char *id, const char *kind, char *buf, size_t len)
{
	char key[64];
	const char *p;
	size_t n;

	if (id == NULL)
		return NULL;
	snprintf(key, sizeof(key), "/%s/", kind);
	for (p = id; (p = strcasestr(p, key)) != NULL; p++) {
		p += strlen(key);
		n = strcspn(p, "/");
		if (n == 0 || n >= len)
			return NULL;
		memcpy(buf, p, n);
		buf[n] = '\0';
		return buf;
	}
	return NULL;
}

/* An Azure name as a node name: lowercase, [a-z0-9-], at most max. */
static bool
node_name(const char *in, char *out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; in[i] != '\0' && n < max; i++) {
		char ch = in[i];

		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		else if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')))
			ch = '-';
		if (ch == '-' && n == 0)
			continue;
		out[n++] = ch;
	}
	out[n] = '\0';
	if (n == 0)
		snprintf(out, max + 1, "x");
	return strcmp(in, out) != 0;
}

static size_t
name_hash(const char *s)
{
	size_t h = 14695981039346656037u;	/* FNV-1a */

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* The slot of name in a->names: the taken one, or the free one for it. */
static struct azname *
name_slot(struct azname *tab, size_t cap, const char *name)
{
	size_t i = name_hash(name) & (cap - 1);

	while (tab[i].name != NULL && strcmp(tab[i].name, name) != 0)
		i = (i + 1) & (cap - 1);
	return &tab[i];
}

static bool
name_taken(const struct az *a, const char *name)
{
	return a->ncap > 0 && name_slot(a->names, a->ncap, name)->name != NULL;
}

/* Take name (not taken yet); the table stays at most half full. */
static void
name_take(struct az *a, const char *name)
{
	struct azname *tab;
	size_t cap, i;

	if (2 * (a->nnames + 1) > a->ncap) {
		cap = a->ncap ? 2 * a->ncap : 64;
		tab = xcalloc(cap, sizeof(*tab));
		for (i = 0; i < a->ncap; i++)
			if (a->names[i].name != NULL)
				*name_slot(tab, cap, a->names[i].name) =
				    a->names[i];
		free(a->names);
		a->names = tab;
		a->ncap = cap;
	}
	tab = name_slot(a->names, a->ncap, name);
	tab->name = xstrdup(name);
	tab->next = 2;
	a->nnames++;
}

/*
 * Reserve a unique node name made from want, into buf (max characters);
 * returns buf. A name taken already gets "-2", "-3", ... with the base cut
 * so that the whole suffix fits: cutting the suffix instead made "-100"
 * "-10", taken, and the search never ended. Each name remembers its next
 * suffix, so n names wanted alike cost O(n), not O(n^2).
 */
static const char *
take_name(struct az *a, const char *want, char *buf, size_t max)
{
	char base[TOPO_NAME_MAX + 1], sfx[16];
	unsigned k;
	int cut, l;

	node_name(want, base, max - 3);
	if (!name_taken(a, base)) {
		snprintf(buf, max + 1, "%s", base);
		name_take(a, buf);
		return buf;
	}
	for (k = name_slot(a->names, a->ncap, base)->next; ; k++) {
		l = snprintf(sfx, sizeof(sfx), "-%u", k);
		cut = (int)max - l;
		snprintf(buf, max + 1, "%.*s%s", cut, base, sfx);
		if (!name_taken(a, buf))
			break;
	}
	name_slot(a->names, a->ncap, base)->next = k + 1;
	name_take(a, buf);
	return buf;
}

/* ---- reading ---- */

static int
cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/*
 * fname parsed, or -1: the file is read and parsed as a topology is
 * (topo_read_file, topo_json_parse: its size cap, no text after the
 * document, no NUL in a string), and its errors name the file.
 */
static int
read_one(struct az *a, const char *fname)
{
	char *path = xasprintf("%s/%s", a->dir, fname), *text;
	struct azres r = { .file = fname };
	struct topo_err e = { .line = 0 };
	struct tctx c = { .err = &e };
	struct azfile *f;
	size_t len;
	cJSON *root;

	if (topo_read_file(path, &text, &len, &e) == -1) {
		free(path);
		return fail(a, &r, NULL, "%s", e.msg);
	}
	free(path);
	c.text = text;
	c.len = len;
	root = topo_json_parse(&c);
	free(text);
	if (root == NULL) {
		snprintf(r.path, sizeof(r.path), "%s", e.path);
		if (e.path[0] != '\0')
			return fail(a, &r, NULL, "%s (line %d, column %d)", e.msg,
			    e.line, e.col);
		return fail(a, &r, NULL, "not JSON (line %d, column %d): %s; "
		    "save what az prints with --output json", e.line, e.col,
		    e.msg);
	}
	xgrow(&a->files, &a->fcap, a->nfiles + 1, sizeof(*a->files));
	f = &a->files[a->nfiles++];
	f->name = xstrdup(fname);
	f->root = root;
	return 0;
}

static int
read_dir(struct az *a)
{
	struct azres r = { .file = a->dir };
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	struct dirent *de;
	DIR *d;
	int rc = 0;

	if ((d = opendir(a->dir)) == NULL)
		return fail(a, &r, NULL, "cannot open the directory: %s",
		    strerror(errno));
	while ((de = readdir(d)) != NULL && n < AZ_FILES_MAX) {
		size_t l = strlen(de->d_name);

		if (l > 5 && strcmp(de->d_name + l - 5, ".json") == 0) {
			xgrow(&names, &cap, n + 1, sizeof(char *));
			names[n++] = xstrdup(de->d_name);
		}
	}
	closedir(d);
	if (n == 0)
		return fail(a, &r, NULL, "no *.json files: save the az "
		    "commands' output there (arsemu(1), import)");
	qsort(names, n, sizeof(char *), cmp_str);
	for (i = 0; i < n; i++) {
		if (rc == 0)
			rc = read_one(a, names[i]);
		free(names[i]);
	}
	free(names);
	return rc;
}

/* ---- classifying ---- */

static void
push_res(struct azres **arr, size_t *n, size_t *cap, const struct azres *r)
{
	xgrow(arr, cap, *n + 1, sizeof(**arr));
	(*arr)[(*n)++] = *r;
}

static void classify(struct az *a, const struct azres *r);

static void
classify_vnet(struct az *a, const struct azres *r)
{
	const cJSON *peers = cJSON_GetObjectItemCaseSensitive(r->o,
	    "virtualNetworkPeerings"), *el;
	struct azvnet *v;
	size_t i = 0;

	xgrow(&a->vnets, &a->vcap, a->nvnets + 1, sizeof(*a->vnets));
	v = &a->vnets[a->nvnets++];
	memset(v, 0, sizeof(*v));
	v->r = *r;
	v->rs = v->hub = -1;
	v->agt = v->aft = true;
	cJSON_ArrayForEach(el, peers) {
		struct azres p;

		res_at(&p, r, "virtualNetworkPeerings", i++);
		p.o = el;
		classify(a, &p);
	}
}

static void
classify(struct az *a, const struct azres *r)
{
	const char *type = jstr(r->o, "type");

	if (!cJSON_IsObject(r->o) || type == NULL) {
		warn(a, r, NULL, "not an Azure resource (no \"type\"): skipped");
		return;
	}
	if (strcasecmp(type, "Microsoft.Network/virtualNetworks") == 0)
		classify_vnet(a, r);
	else if (strcasecmp(type,
	    "Microsoft.Network/virtualNetworks/virtualNetworkPeerings") == 0)
		push_res(&a->peerings, &a->npeerings, &a->pcap, r);
	else if (strcasecmp(type, "Microsoft.Network/virtualHubs") == 0) {
		xgrow(&a->rss, &a->rcap, a->nrss + 1, sizeof(*a->rss));
		memset(&a->rss[a->nrss], 0, sizeof(*a->rss));
		a->rss[a->nrss].r = *r;
		a->rss[a->nrss++].vnet = -1;
	} else if (strcasecmp(type,
	    "Microsoft.Network/virtualHubs/bgpConnections") == 0)
		push_res(&a->bgps, &a->nbgps, &a->bcap, r);
	else if (strcasecmp(type, "Microsoft.Network/routeTables") == 0)
		push_res(&a->rts, &a->nrts, &a->tcap, r);
	else
		warn(a, r, "type", "%s is not imported: arsemu reads VNets, "
		    "peerings, route tables and Route Servers", type);
}

static void
classify_file(struct az *a, const struct azfile *f)
{
	const cJSON *list = f->root, *el;
	struct azres r = { .file = f->name };
	const char *base = "";
	size_t i = 0;

	if (cJSON_IsObject(f->root) &&
	    cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(f->root, "value"))) {
		list = cJSON_GetObjectItemCaseSensitive(f->root, "value");
		base = "value";
	} else if (!cJSON_IsArray(f->root)) {
		r.o = f->root;
		classify(a, &r);
		return;
	}
	cJSON_ArrayForEach(el, list) {
		struct azres e;

		res_at(&e, &r, base[0] ? base : NULL, i++);
		e.o = el;
		classify(a, &e);
	}
}

/* ---- VNets and Route Servers ---- */

static int
vnet_fields(struct az *a, struct azvnet *v)
{
	const cJSON *as;

	if ((v->azname = jstr(v->r.o, "name")) == NULL)
		return fail(a, &v->r, "name", "a VNet needs its name");
	as = cJSON_GetObjectItemCaseSensitive(v->r.o, "addressSpace");
	v->space = cJSON_GetObjectItemCaseSensitive(as, "addressPrefixes");
	if (!cJSON_IsArray(v->space) || cJSON_GetArraySize(v->space) == 0)
		return fail(a, &v->r, "addressSpace.addressPrefixes", "VNet %s "
		    "has no address space", v->azname);
	v->subnets = cJSON_GetObjectItemCaseSensitive(v->r.o, "subnets");
	if ((v->loc = jstr(v->r.o, "location")) == NULL) {
		warn(a, &v->r, "location", "missing: region \"default\"");
		v->loc = "default";
	}
	return 0;
}

/* A subnet's prefix: addressPrefix, or the first of addressPrefixes. */
static const char *
subnet_pfx(const cJSON *sn)
{
	const cJSON *l = cJSON_GetObjectItemCaseSensitive(sn, "addressPrefixes");
	const char *p = jstr(sn, "addressPrefix");

	if (p != NULL || !cJSON_IsArray(l) || !cJSON_IsString(l->child))
		return p;
	return l->child->valuestring;
}

static int
vnet_of_ip(struct az *a, uint32_t ip, const char *subnet, const char **sname)
{
	size_t i;

	for (i = 0; i < a->nvnets; i++) {
		const cJSON *sn;

		cJSON_ArrayForEach(sn, a->vnets[i].subnets) {
			const char *p = subnet_pfx(sn), *n = jstr(sn, "name");
			struct pfx4 pf;

			if (p == NULL || n == NULL || pfx_parse(p, &pf) != 0 ||
			    !pfx_contains_addr(&pf, ip) ||
			    (subnet != NULL && strcmp(n, subnet) != 0))
				continue;
			if (sname != NULL)
				*sname = n;
			return (int)i;
		}
	}
	return -1;
}

static void
route_servers(struct az *a)
{
	size_t i;

	for (i = 0; i < a->nrss; i++) {
		struct azrs *rs = &a->rss[i];
		const cJSON *ips = cJSON_GetObjectItemCaseSensitive(rs->r.o,
		    "virtualRouterIps");
		const cJSON *asn = cJSON_GetObjectItemCaseSensitive(rs->r.o,
		    "virtualRouterAsn");
		int v;

		rs->azname = jstr(rs->r.o, "name");
		if (cJSON_GetArraySize(ips) != 2 || !cJSON_IsString(ips->child) ||
		    addr_parse(ips->child->valuestring, &rs->ip[0]) != 0 ||
		    !cJSON_IsString(ips->child->next) ||
		    addr_parse(ips->child->next->valuestring, &rs->ip[1]) != 0) {
			warn(a, &rs->r, "virtualRouterIps", "not two addresses: "
			    "Route Server %s skipped", rs->azname ? rs->azname : "?");
			continue;
		}
		if (cJSON_IsNumber(asn) && asn->valuedouble != TOPO_RS_ASN)
			warn(a, &rs->r, "virtualRouterAsn", "%.0f: Route Server's "
			    "ASN is 65515 (RS-01)", asn->valuedouble);
		if ((v = vnet_of_ip(a, rs->ip[0], "RouteServerSubnet", NULL)) < 0) {
			warn(a, &rs->r, "virtualRouterIps", "in no VNet's "
			    "RouteServerSubnet: Route Server %s skipped",
			    rs->azname ? rs->azname : "?");
			continue;
		}
		if (a->vnets[v].rs >= 0) {
			warn(a, &rs->r, NULL, "a second Route Server in VNet %s: "
			    "skipped", a->vnets[v].azname);
			continue;
		}
		rs->vnet = v;
		a->vnets[v].rs = (int)i;
	}
}

static int
vnet_by_name(const struct az *a, const char *azname)
{
	size_t i;

	for (i = 0; azname != NULL && i < a->nvnets; i++)
		if (strcasecmp(a->vnets[i].azname, azname) == 0)
			return (int)i;
	return -1;
}

/* A peering's two ends and what each side says (see the top). */
static void
peering(struct az *a, const struct azres *p)
{
	char own[128], rem[128];
	const char *state = jstr(p->o, "peeringState");
	const cJSON *rv = cJSON_GetObjectItemCaseSensitive(p->o,
	    "remoteVirtualNetwork");
	int o = vnet_by_name(a, id_part(jstr(p->o, "id"), "virtualNetworks",
	    own, sizeof(own)));
	int r = vnet_by_name(a, id_part(jstr(rv, "id"), "virtualNetworks",
	    rem, sizeof(rem)));
	struct azvnet *spoke, *hub;

	if (o < 0 || r < 0) {
		warn(a, p, o < 0 ? "id" : "remoteVirtualNetwork.id", "names a VNet "
		    "the files do not hold: peering skipped");
		return;
	}
	if (state != NULL && strcasecmp(state, "Connected") != 0) {
		warn(a, p, "peeringState", "%s: not peered", state);
		return;
	}
	if ((a->vnets[o].rs >= 0) == (a->vnets[r].rs >= 0)) {
		warn(a, p, NULL, "a peering between two %s is not imported "
		    "(the importer peers spokes with their hub only)",
		    a->vnets[o].rs >= 0 ? "hubs" : "spokes");
		return;
	}
	spoke = &a->vnets[a->vnets[o].rs >= 0 ? r : o];
	hub = &a->vnets[a->vnets[o].rs >= 0 ? o : r];
	if (spoke->hub >= 0 && spoke->hub != (int)(hub - a->vnets)) {
		warn(a, p, NULL, "spoke %s is already peered with hub %s: this "
		    "peering is skipped", spoke->azname,
		    a->vnets[spoke->hub].azname);
		return;
	}
	spoke->hub = (int)(hub - a->vnets);
	if (&a->vnets[o] == spoke) {
		spoke->urg = jbool(p->o, "useRemoteGateways", false);
		spoke->aft = jbool(p->o, "allowForwardedTraffic", true);
	} else
		hub->agt = jbool(p->o, "allowGatewayTransit", true);
}

/* ---- writing the topology ---- */

static void
add_strings(cJSON *o, const char *key, const cJSON *from)
{
	cJSON *arr = cJSON_AddArrayToObject(o, key);
	const cJSON *el;

	cJSON_ArrayForEach(el, from)
		if (cJSON_IsString(el))
			cJSON_AddItemToArray(arr, cJSON_CreateString(el->valuestring));
}

/* Subnets as {"name": "prefix"}, and a VM per NIC where one is wanted. */
static void
put_subnets(struct az *a, const struct azvnet *v, cJSON *o,
    const bool *has_nva)
{
	cJSON *subs = cJSON_AddObjectToObject(o, "subnets"), *vms = NULL;
	const cJSON *sn, *ipc;
	size_t i = 0;

	cJSON_ArrayForEach(sn, v->subnets) {
		const char *n = jstr(sn, "name"), *p = subnet_pfx(sn);
		bool skip = has_nva != NULL && has_nva[i];
		struct azres at;

		res_at(&at, &v->r, "subnets", i++);
		if (n == NULL || p == NULL) {
			warn(a, &at, NULL, "a subnet without name or prefix: "
			    "skipped");
			continue;
		}
		if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(sn,
		    "addressPrefixes")) > 1)
			warn(a, &at, "addressPrefixes", "only %s is imported: "
			    "arsemu gives a subnet one prefix", p);
		cJSON_AddStringToObject(subs, n, p);
		if (skip || strcmp(n, "RouteServerSubnet") == 0 ||
		    strcmp(n, "GatewaySubnet") == 0 ||
		    strcmp(n, "AzureFirewallSubnet") == 0)
			continue;
		cJSON_ArrayForEach(ipc, cJSON_GetObjectItemCaseSensitive(sn,
		    "ipConfigurations")) {
			char nic[128], vm[TOPO_NAME_MAX + 1];
			size_t l;
			cJSON *x;

			if (id_part(jstr(ipc, "id"), "networkInterfaces", nic,
			    sizeof(nic)) == NULL)
				continue;
			l = strlen(nic);
			if (l > 4 && strcasecmp(nic + l - 4, "-nic") == 0)
				nic[l - 4] = '\0';
			if (vms == NULL)
				vms = cJSON_AddArrayToObject(o, "vms");
			x = cJSON_CreateObject();
			cJSON_AddStringToObject(x, "name",
			    take_name(a, nic, vm, TOPO_NAME_MAX));
			cJSON_AddStringToObject(x, "subnet", n);
			cJSON_AddItemToArray(vms, x);
		}
	}
}

static cJSON *
put_nvas(struct az *a, const struct azvnet *v, bool *has_nva)
{
	cJSON *nvas = cJSON_CreateArray();
	size_t i, k;

	for (i = 0; i < a->nbgps; i++) {
		const struct azres *b = &a->bgps[i];
		const cJSON *asn = cJSON_GetObjectItemCaseSensitive(b->o, "peerAsn");
		const char *ip = jstr(b->o, "peerIp"), *sname = NULL, *n;
		char hubname[128], name[TOPO_NAME_MAX + 1];
		uint32_t addr;
		const cJSON *sn;
		cJSON *x;

		if (id_part(jstr(b->o, "id"), "virtualHubs", hubname,
		    sizeof(hubname)) != NULL && a->rss[v->rs].azname != NULL &&
		    strcasecmp(hubname, a->rss[v->rs].azname) != 0)
			continue;
		if (ip == NULL || addr_parse(ip, &addr) != 0 ||
		    !cJSON_IsNumber(asn)) {
			warn(a, b, ip == NULL ? "peerIp" : "peerAsn", "missing or "
			    "not valid: peering skipped");
			continue;
		}
		if (vnet_of_ip(a, addr, NULL, &sname) != (int)(v - a->vnets)) {
			warn(a, b, "peerIp", "%s is outside hub %s: arsemu's NVAs "
			    "sit in their hub; peering skipped", ip, v->azname);
			continue;
		}
		k = 0;
		cJSON_ArrayForEach(sn, v->subnets) {
			if ((n = jstr(sn, "name")) != NULL && strcmp(n, sname) == 0)
				has_nva[k] = true;
			k++;
		}
		x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "name", take_name(a, jstr(b->o,
		    "name") ? jstr(b->o, "name") : ip, name, TOPO_NAME_MAX));
		cJSON_AddStringToObject(x, "subnet", sname);
		cJSON_AddNumberToObject(x, "asn", asn->valuedouble);
		cJSON_AddStringToObject(x, "ip", ip);
		cJSON_AddItemToArray(nvas, x);
		warn(a, b, NULL, "NVA %s: what it advertises is not in az's "
		    "output: add \"advertise\" to the topology", name);
	}
	return nvas;
}

static cJSON *
put_hub(struct az *a, struct azvnet *v)
{
	const struct azrs *rs = &a->rss[v->rs];
	cJSON *hub = cJSON_CreateObject(), *r, *nvas;
	const char *pref = jstr(rs->r.o, "hubRoutingPreference");
	size_t n = (size_t)cJSON_GetArraySize(v->subnets);
	bool *has_nva = xcalloc(n + 1, sizeof(bool));

	nvas = put_nvas(a, v, has_nva);
	cJSON_AddStringToObject(hub, "name", v->name);
	add_strings(hub, "address_space", v->space);
	r = cJSON_CreateObject();
	cJSON_AddBoolToObject(r, "branch_to_branch", jbool(rs->r.o,
	    "allowBranchToBranchTraffic", false));
	if (pref != NULL)
		cJSON_AddStringToObject(r, "hub_routing_preference", pref);
	if (!v->agt)
		cJSON_AddBoolToObject(hub, "allow_gateway_transit", false);
	put_subnets(a, v, hub, has_nva);
	cJSON_AddItemToObject(hub, "route_server", r);
	cJSON_AddItemToObject(hub, "nvas", nvas);
	free(has_nva);
	return hub;
}

static cJSON *
put_spoke(struct az *a, const struct azvnet *v)
{
	cJSON *s = cJSON_CreateObject();

	cJSON_AddStringToObject(s, "name", v->name);
	add_strings(s, "address_space", v->space);
	if (v->hub < 0)
		cJSON_AddBoolToObject(s, "peered", false);
	else {
		cJSON_AddBoolToObject(s, "use_remote_gateways", v->urg);
		if (!v->aft)
			cJSON_AddBoolToObject(s, "allow_forwarded_traffic", false);
	}
	put_subnets(a, v, s, NULL);
	return s;
}

/* A spoke's region is its hub's (arsemu peers a spoke with its region's hub). */
static const char *
region_of(struct az *a, const struct azvnet *v)
{
	const struct azvnet *h = v->hub >= 0 ? &a->vnets[v->hub] : v;

	if (h != v && strcmp(h->loc, v->loc) != 0)
		warn(a, &v->r, "location", "%s: imported into its hub's region "
		    "%s (arsemu peers a spoke with its own region's hub)", v->loc,
		    h->loc);
	return h->loc;
}

static cJSON *
region_obj(cJSON *regions, const char *loc)
{
	cJSON *r;

	cJSON_ArrayForEach(r, regions)
		if (strcmp(cJSON_GetObjectItemCaseSensitive(r, "name")->valuestring,
		    loc) == 0)
			return r;
	r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "name", loc);
	cJSON_AddItemToArray(regions, r);
	return r;
}

static void
put_regions(struct az *a, cJSON *root)
{
	cJSON *regions = cJSON_AddArrayToObject(root, "regions"), *r, *sp;
	size_t i;

	for (i = 0; i < a->nvnets; i++) {
		struct azvnet *v = &a->vnets[i];

		if (v->rs < 0)
			continue;
		r = region_obj(regions, v->loc);
		if (cJSON_GetObjectItemCaseSensitive(r, "hub") != NULL) {
			warn(a, &v->r, "location", "a second hub in %s: arsemu has "
			    "one per region; hub %s skipped", v->loc, v->azname);
			v->rs = -1;
			continue;
		}
		cJSON_AddItemToObject(r, "hub", put_hub(a, v));
	}
	for (i = 0; i < a->nvnets; i++) {
		if (a->vnets[i].rs >= 0)
			continue;
		r = region_obj(regions, region_of(a, &a->vnets[i]));
		if ((sp = cJSON_GetObjectItemCaseSensitive(r, "spokes")) == NULL)
			sp = cJSON_AddArrayToObject(r, "spokes");
		cJSON_AddItemToArray(sp, put_spoke(a, &a->vnets[i]));
	}
}

/* "vnet/subnet" of a subnet id, with the VNet's node name. */
static bool
subnet_ref(struct az *a, const char *id, char *buf, size_t len)
{
	char vn[128], sn[128];
	int v = vnet_by_name(a, id_part(id, "virtualNetworks", vn, sizeof(vn)));

	if (v < 0 || id_part(id, "subnets", sn, sizeof(sn)) == NULL)
		return false;
	snprintf(buf, len, "%s/%s", a->vnets[v].name, sn);
	return true;
}

static cJSON *
put_route(struct az *a, const struct azres *rt, const cJSON *r, size_t i)
{
	cJSON *x = cJSON_CreateObject();
	const char *s;
	struct azres at;

	res_at(&at, rt, "routes", i);
	if ((s = jstr(r, "name")) != NULL)
		cJSON_AddStringToObject(x, "name", s);
	if ((s = jstr(r, "addressPrefix")) != NULL)
		cJSON_AddStringToObject(x, "prefix", s);
	if ((s = jstr(r, "nextHopType")) != NULL)
		cJSON_AddStringToObject(x, "next_hop_type", s);
	if ((s = jstr(r, "nextHopIpAddress")) != NULL && s[0] != '\0')
		cJSON_AddStringToObject(x, "next_hop_ip", s);
	if (jstr(r, "addressPrefix") != NULL &&
	    strchr(jstr(r, "addressPrefix"), '/') == NULL) {
		warn(a, &at, "addressPrefix", "%s is a service tag, not "
		    "imported", jstr(r, "addressPrefix"));
		cJSON_Delete(x);
		return NULL;
	}
	return x;
}

static void
put_route_tables(struct az *a, cJSON *root)
{
	cJSON *rts = cJSON_AddArrayToObject(root, "route_tables");
	size_t i, k;

	for (i = 0; i < a->nrts; i++) {
		const struct azres *rt = &a->rts[i];
		cJSON *x = cJSON_CreateObject(), *subs, *routes, *y;
		const cJSON *el;
		char ref[300];

		cJSON_AddStringToObject(x, "name", jstr(rt->o, "name") ?
		    jstr(rt->o, "name") : "route-table");
		if (jbool(rt->o, "disableBgpRoutePropagation", false))
			cJSON_AddBoolToObject(x, "disable_bgp_route_propagation", true);
		subs = cJSON_AddArrayToObject(x, "subnets");
		k = 0;
		cJSON_ArrayForEach(el, cJSON_GetObjectItemCaseSensitive(rt->o,
		    "subnets")) {
			struct azres at;

			res_at(&at, rt, "subnets", k++);
			if (subnet_ref(a, jstr(el, "id"), ref, sizeof(ref)))
				cJSON_AddItemToArray(subs, cJSON_CreateString(ref));
			else
				warn(a, &at, "id", "a subnet of a VNet the files do "
				    "not hold: not associated");
		}
		routes = cJSON_AddArrayToObject(x, "routes");
		k = 0;
		cJSON_ArrayForEach(el, cJSON_GetObjectItemCaseSensitive(rt->o,
		    "routes"))
			if ((y = put_route(a, rt, el, k++)) != NULL)
				cJSON_AddItemToArray(routes, y);
		cJSON_AddItemToArray(rts, x);
	}
}

/* ---- the whole ---- */

static int
import(struct az *a, const char *name)
{
	cJSON *root;
	size_t i;

	if (read_dir(a) == -1)
		return -1;
	for (i = 0; i < a->nfiles; i++)
		classify_file(a, &a->files[i]);
	for (i = 0; i < a->nvnets; i++)
		if (vnet_fields(a, &a->vnets[i]) == -1)
			return -1;
	route_servers(a);
	for (i = 0; i < a->nvnets; i++) {
		struct azvnet *v = &a->vnets[i];

		if (node_name(v->azname, v->name, v->rs >= 0 ? AZ_HUB_NAME_MAX :
		    TOPO_NAME_MAX))
			warn(a, &v->r, "name", "VNet %s is called %s in the "
			    "topology (node names: a-z, 0-9, '-', at most %d)",
			    v->azname, v->name, TOPO_NAME_MAX);
	}
	for (i = 0; i < a->npeerings; i++)
		peering(a, &a->peerings[i]);
	if (a->nrss == 0) {
		struct azres r = { .file = a->dir };

		warn(a, &r, NULL, "no Route Server (az network routeserver "
		    "show): every VNet is imported as an unpeered spoke");
	}
	root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "name", name);
	cJSON_AddStringToObject(root, "description", "Imported by arsemu "
	    "import az from the az CLI's output");
	put_regions(a, root);
	put_route_tables(a, root);
	a->out->json = cJSON_Print(root);
	cJSON_Delete(root);
	return 0;
}

int
topo_az_import(const char *dir, const char *name, struct topo_az *out,
    struct topo_err *err)
{
	struct az a = { .dir = dir, .err = err, .out = out };
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	rc = import(&a, name);
	for (i = 0; i < a.nfiles; i++) {
		free(a.files[i].name);
		cJSON_Delete(a.files[i].root);
	}
	for (i = 0; i < a.ncap; i++)
		free(a.names[i].name);
	free(a.names);
	free(a.files);
	free(a.vnets);
	free(a.rss);
	free(a.peerings);
	free(a.bgps);
	free(a.rts);
	if (rc == -1)
		topo_az_free(out);
	return rc;
}

void
topo_az_free(struct topo_az *a)
{
	size_t i;

	free(a->json);
	for (i = 0; i < a->nwarnings; i++)
		free(a->warnings[i]);
	free(a->warnings);
	memset(a, 0, sizeof(*a));
}
