/*
 * cmd_routeserver: one Azure Route Server instance outside any lab, in the
 * foreground, in the current network namespace, and its inspector.
 *
 *   routeserver --listen IP [--asn 65515] [--router-id ID] [--port N]
 *       --peer IP:ASN[:name=N][:active][:port=N][:max-prefix=N]
 *           [:ttl-security=HOPS][:bfd[=MSxMULT]][:md5=SECRET]
 *       [--peer ...] [--hold S] [--connect-retry S] [--max-prefix N]
 *       [--advertise PREFIX...] [--control PATH] [--log json|text]
 *       [--name NAME]
 *   routeserver --config FILE.json      the same settings as a file; options
 *                                       given with it override the file
 *   rsctl --control PATH peers | learned PEER | advertised PEER | rib |
 *       refresh PEER|all [--json]
 *
 * md5= takes the rest of the --peer argument, so a key may hold ':'.
 * ttl-security=HOPS is RFC 5082's GTSM: packets from the peer must arrive
 * with a TTL of at least 256 - HOPS (we always send with 255); such a peer
 * is connected to (implies active), see bgp/session.c.
 * bfd runs RFC 5880/5881 BFD with the peer (300 ms x 3 unless given) and
 * closes the BGP session when BFD goes down. Azure Route Server has no
 * BFD (U-05): this is the speaker of the MSEE's GW-10, for tests.
 * Peers are passive by default (NVAs connect to Azure Route Server);
 * ":active" makes the route server connect too, collisions being settled
 * per RFC 4271 6.8. The configuration is checked as Azure checks a
 * peering: RS-05 (not 65515), RS-06 (two-octet, not reserved), RS-07 (at
 * most 8 peers), RS-40 (route limit, 4000 by default).
 *
 * These commands have options of their own: the command table marks them
 * raw, and they parse their arguments here.
 *
 * Must not: know labs, topologies or namespaces; cJSON stays in this file.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cJSON.h>

#include "../bgp/bgp.h"
#include "../lib/ctlc.h"
#include "../lib/util.h"
#include "cli.h"
#include "rsprint.h"

#define RS_MAX_PEERS		8	/* RS-07 */
#define RS_ROUTE_LIMIT		4000	/* RS-40, the current FAQ value */
#define RS_HOLD			180	/* RS-43 */
#define KEEPALIVE_DIV		3	/* RFC 4271 10: keepalive = hold / 3 */
#define MIN_HOLD		3	/* RFC 4271 4.2 */
#define MAX_HOLD		65535
#define CONFIG_MAX		(1 << 20)


struct rs_build {
	struct bgp_conf	 c;
	unsigned	 limit;		/* --max-prefix, for peers without their own */
	bool		 limit_set[BGP_MAX_PEERS];
	struct pfx4	*orig;
	size_t		 norig, origcap;
	bool		 listen_set;
	bool		 router_id_set;
};

/* ---- checks ------------------------------------------------------------ */

/* RS-06 (with D-01) and RS-05: why Azure would refuse this peer ASN. */
static const char *
asn_refused(unsigned long asn)
{
	static const struct {
		unsigned long	 lo, hi;
		const char	*why;
	} reserved[] = {
		{ BGP_RS_ASN, BGP_RS_ASN, "is the route server's own ASN (RS-05: "
		    "eBGP only)" },
		{ 8074, 8075, "is reserved by Azure (RS-06)" },
		{ 12076, 12076, "is reserved by Azure (RS-06)" },
		{ 65516, 65520, "is reserved by Azure (RS-06, D-01)" },
		{ 23456, 23456, "is AS_TRANS (RS-06)" },
		{ 64496, 64511, "is reserved for documentation (RS-06)" },
		{ 65535, 65535, "is reserved by IANA (RS-06)" },
	};
	size_t i;

	if (asn == 0)
		return "must be 1..65534 (RS-06)";
	if (asn > 65535)
		return "is a four-octet ASN: Route Server takes two-octet ASNs "
		    "only (RS-06)";
	for (i = 0; i < NELEM(reserved); i++)
		if (asn >= reserved[i].lo && asn <= reserved[i].hi)
			return reserved[i].why;
	return NULL;
}

static int
num(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	if (s == NULL || *s == '\0' || *s == '-')
		return -1;
	*out = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || *out > max)
		return -1;
	return 0;
}

static int
hold_ok(unsigned long h)
{
	return h == 0 || (h >= MIN_HOLD && h <= MAX_HOLD);
}

/* ---- building the configuration ------------------------------------------ */

static struct bgp_peer_conf *
new_peer(struct rs_build *b, const char *ip, unsigned long asn)
{
	struct bgp_peer_conf *p;
	const char *why;
	uint32_t a;
	unsigned i;

	if (addr_parse(ip, &a) == -1) {
		cli_err(CLI_USAGE, "peer %s: not an IPv4 address", ip);
		return NULL;
	}
	if ((why = asn_refused(asn)) != NULL) {
		cli_err(CLI_USAGE, "peer %s: ASN %lu %s", ip, asn, why);
		return NULL;
	}
	for (i = 0; i < b->c.npeers; i++)
		if (b->c.peers[i].addr == a) {
			cli_err(CLI_USAGE, "peer %s is given twice", ip);
			return NULL;
		}
	if (b->c.npeers >= RS_MAX_PEERS) {
		cli_err(CLI_USAGE, "peer %s: at most %d peers per route server "
		    "(RS-07)", ip, RS_MAX_PEERS);
		return NULL;
	}
	p = &b->c.peers[b->c.npeers++];
	memset(p, 0, sizeof(*p));
	p->addr = a;
	p->asn = (uint32_t)asn;
	p->passive = true;
	addr_fmt(a, p->name);
	return p;
}

static int
set_md5(struct bgp_peer_conf *p, const char *key)
{
	if (strlen(key) >= sizeof(p->md5) || key[0] == '\0')
		return cli_err(CLI_USAGE, "peer %s: the MD5 key must be 1..%zu "
		    "characters", p->name, sizeof(p->md5) - 1);
	snprintf(p->md5, sizeof(p->md5), "%s", key);
	return 0;
}

static int
set_name(struct bgp_peer_conf *p, const char *name)
{
	if (name[0] == '\0' || strlen(name) >= sizeof(p->name) ||
	    strpbrk(name, " \t\n") != NULL)
		return cli_err(CLI_USAGE, "peer name \"%s\": 1..%zu characters, no "
		    "blanks", name, sizeof(p->name) - 1);
	snprintf(p->name, sizeof(p->name), "%s", name);
	return 0;
}

/* bfd or bfd=MSxMULT: 300 ms x 3 by default, ExpressRoute's (GW-10). */
static int
set_bfd(struct bgp_peer_conf *p, const char *v)
{
	unsigned long ms = 300, mult = 3;
	char *x, *dup;
	int bad = 0;

	if (v != NULL) {
		dup = xstrdup(v);
		if ((x = strchr(dup, 'x')) == NULL)
			bad = 1;
		else {
			*x++ = '\0';
			bad = num(dup, BGP_BFD_INTERVAL_MAX, &ms) == -1 ||
			    num(x, 255, &mult) == -1;
		}
		free(dup);
	}
	if (bad || ms < BGP_BFD_INTERVAL_MIN || mult == 0)
		return cli_err(CLI_USAGE, "peer %s: bfd=MSxMULT wants %u..%u ms "
		    "and a multiplier of 1..255, e.g. bfd=300x3", p->name,
		    BGP_BFD_INTERVAL_MIN, BGP_BFD_INTERVAL_MAX);
	p->bfd_interval_ms = (uint16_t)ms;
	p->bfd_mult = (uint8_t)mult;
	return 0;
}

/* One ":key[=value]" of a --peer argument. */
static int
peer_opt(struct rs_build *b, struct bgp_peer_conf *p, char *opt)
{
	char *v = strchr(opt, '=');
	unsigned long n;

	if (v != NULL)
		*v++ = '\0';
	if (strcmp(opt, "active") == 0 && v == NULL)
		p->passive = false;
	else if (strcmp(opt, "passive") == 0 && v == NULL)
		p->passive = true;
	else if (strcmp(opt, "name") == 0 && v != NULL)
		return set_name(p, v);
	else if (strcmp(opt, "bfd") == 0)
		return set_bfd(p, v);
	else if (strcmp(opt, "port") == 0 && num(v, 65535, &n) == 0 && n > 0)
		p->port = (uint16_t)n;
	else if (strcmp(opt, "max-prefix") == 0 && num(v, UINT_MAX, &n) == 0) {
		p->route_limit = (unsigned)n;
		b->limit_set[p - b->c.peers] = true;
	} else if (strcmp(opt, "ttl-security") == 0 && num(v, 254, &n) == 0 &&
	    n > 0) {
		p->ttl_hops = (uint8_t)n;
		p->passive = false;	/* GTSM peers are reached actively */
	}
	else
		return cli_err(CLI_USAGE, "peer %s: unknown option \"%s\" (name=, "
		    "active, port=, max-prefix=, ttl-security=HOPS, bfd[=MSxMULT], md5=)", p->name,
		    opt);
	return 0;
}

/* IP:ASN[:opt]...[:md5=SECRET] */
static int
parse_peer(struct rs_build *b, const char *spec)
{
	char *s = xstrdup(spec), *md5, *ip, *asn, *opt, *save = NULL;
	struct bgp_peer_conf *p;
	unsigned long n;
	int rc = CLI_USAGE;

	if ((md5 = strstr(s, ":md5=")) != NULL) {
		*md5 = '\0';
		md5 += strlen(":md5=");
	}
	ip = strtok_r(s, ":", &save);
	asn = strtok_r(NULL, ":", &save);
	if (ip == NULL || asn == NULL || num(asn, ULONG_MAX, &n) == -1) {
		cli_err(CLI_USAGE, "--peer %s: want IP:ASN[:options]", spec);
		goto out;
	}
	if ((p = new_peer(b, ip, n)) == NULL)
		goto out;
	while ((opt = strtok_r(NULL, ":", &save)) != NULL)
		if (peer_opt(b, p, opt) != 0)
			goto out;
	if (md5 != NULL && set_md5(p, md5) != 0)
		goto out;
	rc = 0;
out:
	free(s);
	return rc;
}

static int
add_prefix(struct rs_build *b, const char *s)
{
	struct pfx4 p;

	if (pfx_parse(s, &p) == -1)
		return cli_err(CLI_USAGE, "--advertise %s: not an IPv4 prefix", s);
	xgrow(&b->orig, &b->origcap, b->norig + 1, sizeof(*b->orig));
	b->orig[b->norig++] = p;
	return 0;
}

static int
set_listen(struct rs_build *b, const char *s)
{
	if (addr_parse(s, &b->c.local_addr) == -1 || b->c.local_addr == 0)
		return cli_err(CLI_USAGE, "--listen %s: want this host's IPv4 "
		    "address", s);
	b->listen_set = true;
	return 0;
}

static int
set_log(struct rs_build *b, const char *s)
{
	if (strcmp(s, "json") == 0)
		b->c.log_json = true;
	else if (strcmp(s, "text") == 0)
		b->c.log_json = false;
	else
		return cli_err(CLI_USAGE, "--log %s: json or text", s);
	return 0;
}

static int
set_control(struct rs_build *b, const char *s)
{
	if (strlen(s) >= sizeof(b->c.ctl_path))
		return cli_err(CLI_USAGE, "--control %s: path too long", s);
	snprintf(b->c.ctl_path, sizeof(b->c.ctl_path), "%s", s);
	return 0;
}

/* ---- --config FILE.json ------------------------------------------------------ */

static const char *
jstr(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A whole non-negative number member; -1 if absent, -2 if not one. */
static long long
jnum(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (v == NULL)
		return -1;
	if (!cJSON_IsNumber(v) || v->valuedouble < 0 ||
	    v->valuedouble > (double)UINT32_MAX ||
	    v->valuedouble != (double)(long long)v->valuedouble)
		return -2;
	return (long long)v->valuedouble;
}

static int
known_keys(const cJSON *o, const char *where, const char *const *keys)
{
	const cJSON *it;
	size_t i;

	cJSON_ArrayForEach(it, o) {
		for (i = 0; keys[i] != NULL; i++)
			if (strcmp(it->string, keys[i]) == 0)
				break;
		if (keys[i] == NULL)
			return cli_err(CLI_USAGE, "config %s: unknown key \"%s\"",
			    where, it->string);
	}
	return 0;
}

static int
config_peer(struct rs_build *b, const cJSON *o, int i)
{
	static const char *const keys[] = {
		"ip", "asn", "name", "md5", "passive", "maxPrefix", "port",
		"ttlSecurity", NULL
	};
	const cJSON *pas = cJSON_GetObjectItemCaseSensitive(o, "passive");
	struct bgp_peer_conf *p;
	char where[32];
	long long asn = jnum(o, "asn"), lim = jnum(o, "maxPrefix"),
	    port = jnum(o, "port"), ttl = jnum(o, "ttlSecurity");

	snprintf(where, sizeof(where), "peers[%d]", i);
	if (!cJSON_IsObject(o) || known_keys(o, where, keys) != 0)
		return cli_err(CLI_USAGE, "config %s: want an object with ip, asn",
		    where);
	if (jstr(o, "ip") == NULL || asn < 0)
		return cli_err(CLI_USAGE, "config %s: ip (string) and asn (number) "
		    "are required", where);
	if ((p = new_peer(b, jstr(o, "ip"), (unsigned long)asn)) == NULL)
		return CLI_USAGE;
	if (jstr(o, "name") != NULL && set_name(p, jstr(o, "name")) != 0)
		return CLI_USAGE;
	if (jstr(o, "md5") != NULL && set_md5(p, jstr(o, "md5")) != 0)
		return CLI_USAGE;
	if (pas != NULL && !cJSON_IsBool(pas))
		return cli_err(CLI_USAGE, "config %s.passive: true or false", where);
	if (pas != NULL)
		p->passive = cJSON_IsTrue(pas);
	if (lim == -2 || port == -2 || port == 0 || port > 65535)
		return cli_err(CLI_USAGE, "config %s: maxPrefix and port are whole "
		    "numbers (port 1..65535)", where);
	if (lim >= 0) {
		p->route_limit = (unsigned)lim;
		b->limit_set[p - b->c.peers] = true;
	}
	if (ttl == -2 || ttl == 0 || ttl > 254)
		return cli_err(CLI_USAGE, "config %s.ttlSecurity: hops, 1..254 "
		    "(RFC 5082)", where);
	if (ttl > 0 && pas != NULL && cJSON_IsTrue(pas))
		return cli_err(CLI_USAGE, "config %s: a peer with ttlSecurity is "
		    "connected to, not waited for: passive must be false", where);
	if (ttl > 0) {
		p->ttl_hops = (uint8_t)ttl;
		p->passive = false;
	}
	if (port > 0)
		p->port = (uint16_t)port;
	return 0;
}

static int
config_scalars(struct rs_build *b, const cJSON *root)
{
	static const char *const nums[] = {
		"asn", "port", "hold", "connectRetry", "maxPrefix"
	};
	long long v[NELEM(nums)];
	size_t i;

	for (i = 0; i < NELEM(nums); i++)
		if ((v[i] = jnum(root, nums[i])) == -2)
			return cli_err(CLI_USAGE, "config: %s must be a whole "
			    "number", nums[i]);
	if (v[0] == 0 || v[1] == 0 || v[1] > 65535 ||
	    (v[2] >= 0 && !hold_ok((unsigned long)v[2])) || v[3] == 0)
		return cli_err(CLI_USAGE, "config: asn > 0, port 1..65535, hold 0 "
		    "or 3..65535, connectRetry > 0");
	if (v[0] > 0)
		b->c.asn = (uint32_t)v[0];
	if (v[1] > 0)
		b->c.port = (uint16_t)v[1];
	if (v[2] >= 0)
		b->c.hold = (unsigned)v[2];
	if (v[3] > 0)
		b->c.connect_retry = (unsigned)v[3];
	if (v[4] >= 0)
		b->limit = (unsigned)v[4];
	return 0;
}

static int
config_strings(struct rs_build *b, const cJSON *root)
{
	const char *s;

	if ((s = jstr(root, "listen")) != NULL && set_listen(b, s) != 0)
		return CLI_USAGE;
	if ((s = jstr(root, "routerId")) != NULL) {
		if (addr_parse(s, &b->c.bgp_id) == -1 || b->c.bgp_id == 0)
			return cli_err(CLI_USAGE, "config: routerId %s", s);
		b->router_id_set = true;
	}
	if ((s = jstr(root, "control")) != NULL && set_control(b, s) != 0)
		return CLI_USAGE;
	if ((s = jstr(root, "log")) != NULL && set_log(b, s) != 0)
		return CLI_USAGE;
	if ((s = jstr(root, "name")) != NULL)
		snprintf(b->c.name, sizeof(b->c.name), "%s", s);
	return 0;
}

static int
config_apply(struct rs_build *b, const cJSON *root)
{
	static const char *const keys[] = {
		"listen", "port", "asn", "routerId", "hold", "connectRetry",
		"maxPrefix", "control", "log", "name", "advertise", "peers", NULL
	};
	const cJSON *adv = cJSON_GetObjectItemCaseSensitive(root, "advertise");
	const cJSON *peers = cJSON_GetObjectItemCaseSensitive(root, "peers");
	const cJSON *it;
	int i = 0;

	if (!cJSON_IsObject(root))
		return cli_err(CLI_USAGE, "config: the top level must be an object");
	if (known_keys(root, "(top level)", keys) != 0 ||
	    config_scalars(b, root) != 0 || config_strings(b, root) != 0)
		return CLI_USAGE;
	if (adv != NULL && !cJSON_IsArray(adv))
		return cli_err(CLI_USAGE, "config: advertise must be an array");
	cJSON_ArrayForEach(it, adv) {
		if (!cJSON_IsString(it) || add_prefix(b, it->valuestring) != 0)
			return cli_err(CLI_USAGE, "config: advertise[] holds prefixes");
	}
	if (peers != NULL && !cJSON_IsArray(peers))
		return cli_err(CLI_USAGE, "config: peers must be an array");
	cJSON_ArrayForEach(it, peers) {
		if (config_peer(b, it, i++) != 0)
			return CLI_USAGE;
	}
	return 0;
}

static int
load_config(struct rs_build *b, const char *file)
{
	char *text = xmalloc(CONFIG_MAX + 1);
	size_t len;
	cJSON *root;
	FILE *f;
	int rc;

	if ((f = fopen(file, "r")) == NULL) {
		free(text);
		return cli_err(CLI_USAGE, "%s: %s", file, strerror(errno));
	}
	len = fread(text, 1, CONFIG_MAX, f);
	fclose(f);
	text[len] = '\0';
	if ((root = cJSON_ParseWithLength(text, len)) == NULL) {
		const char *at = cJSON_GetErrorPtr();

		rc = cli_err(CLI_USAGE, "%s: not JSON, near byte %zu", file,
		    at != NULL && at >= text ? (size_t)(at - text) : 0);
	} else
		rc = config_apply(b, root);
	cJSON_Delete(root);
	free(text);
	return rc;
}

/* ---- the command line ----------------------------------------------------------- */

static int
need(int argc, char **argv, int i)
{
	if (i + 1 >= argc)
		return cli_err(CLI_USAGE, "%s needs a value", argv[i]);
	return 0;
}

static int
one_opt(struct rs_build *b, int argc, char **argv, int *ip)
{
	const char *o = argv[*ip], *v;
	unsigned n;
	int i = *ip;

	if (need(argc, argv, i) != 0)
		return CLI_USAGE;
	v = argv[++i];
	*ip = i;
	if (strcmp(o, "--listen") == 0)
		return set_listen(b, v);
	if (strcmp(o, "--peer") == 0)
		return parse_peer(b, v);
	if (strcmp(o, "--control") == 0)
		return set_control(b, v);
	if (strcmp(o, "--log") == 0)
		return set_log(b, v);
	if (strcmp(o, "--name") == 0) {
		snprintf(b->c.name, sizeof(b->c.name), "%s", v);
		return 0;
	}
	if (strcmp(o, "--router-id") == 0) {
		b->router_id_set = true;
		if (addr_parse(v, &b->c.bgp_id) == -1 || b->c.bgp_id == 0)
			return cli_err(CLI_USAGE, "--router-id %s: an IPv4 address", v);
		return 0;
	}
	if (strcmp(o, "--advertise") == 0) {
		if (add_prefix(b, v) != 0)
			return CLI_USAGE;
		/* more prefixes may follow, up to the next option */
		while (i + 1 < argc && argv[i + 1][0] != '-')
			if (add_prefix(b, argv[++i]) != 0)
				return CLI_USAGE;
		*ip = i;
		return 0;
	}
	if (strcmp(o, "--asn") == 0)
		return opt_uint(o, v, 1, UINT32_MAX, &b->c.asn);
	if (strcmp(o, "--port") == 0) {
		if (opt_uint(o, v, 1, UINT16_MAX, &n) != 0)
			return CLI_USAGE;
		b->c.port = (uint16_t)n;
		return 0;
	}
	if (strcmp(o, "--hold") == 0) {
		if (opt_uint(o, v, 0, MAX_HOLD, &n) != 0)
			return CLI_USAGE;
		if (!hold_ok(n))
			return cli_err(CLI_USAGE, "%s: %s is neither 0 nor in %u..%u",
			    o, v, MIN_HOLD, MAX_HOLD);
		b->c.hold = n;
		return 0;
	}
	if (strcmp(o, "--connect-retry") == 0)
		return opt_uint(o, v, 1, UINT32_MAX, &b->c.connect_retry);
	if (strcmp(o, "--max-prefix") == 0)
		return opt_uint(o, v, 0, UINT32_MAX, &b->limit);
	return cli_err(CLI_USAGE, "unknown option %s", o);
}

static int
parse_args(struct rs_build *b, int argc, char **argv)
{
	int i;

	/* the file first: options on the command line override it */
	for (i = 0; i < argc; i++)
		if (strcmp(argv[i], "--config") == 0) {
			if (need(argc, argv, i) != 0 || load_config(b, argv[i + 1]) != 0)
				return CLI_USAGE;
			i++;
		}
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0) {
			i++;
			continue;
		}
		if (strcmp(argv[i], "--") == 0)
			continue;
		if (strncmp(argv[i], "--", 2) != 0)
			return cli_err(CLI_USAGE, "routeserver: unexpected \"%s\"",
			    argv[i]);
		if (one_opt(b, argc, argv, &i) != 0)
			return CLI_USAGE;
	}
	return 0;
}

static void
finish(struct rs_build *b)
{
	unsigned i;

	if (!b->router_id_set)
		b->c.bgp_id = b->c.local_addr;
	b->c.keepalive = b->c.hold / KEEPALIVE_DIV;
	for (i = 0; i < b->c.npeers; i++) {
		if (!b->limit_set[i])
			b->c.peers[i].route_limit = b->limit;
		if (b->c.peers[i].port == 0)
			b->c.peers[i].port = b->c.port;
	}
	b->c.originate = b->orig;
	b->c.noriginate = b->norig;
}

static int
routeserver_main(int argc, char **argv)
{
	static struct rs_build b;
	int rc;

	memset(&b, 0, sizeof(b));
	bgp_conf_init(&b.c);
	b.c.role = BGP_ROLE_RS;
	b.c.asn = BGP_RS_ASN;
	b.c.hold = RS_HOLD;
	b.limit = RS_ROUTE_LIMIT;
	snprintf(b.c.name, sizeof(b.c.name), "rs");
	if ((rc = parse_args(&b, argc, argv)) != 0)
		goto out;
	if (!b.listen_set) {
		rc = cli_err(CLI_USAGE, "usage: arsemu routeserver --listen IP "
		    "--peer IP:ASN[:md5=SECRET] ... | --config FILE.json");
		goto out;
	}
	if (b.c.npeers == 0) {
		rc = cli_err(CLI_USAGE, "routeserver: no --peer given");
		goto out;
	}
	finish(&b);
	rc = bgp_speaker_run(&b.c) == 0 ? CLI_OK : CLI_ENV;
out:
	free(b.orig);
	return rc;
}

/* ---- rsctl ------------------------------------------------------------------- */

static int
rs_refresh(const char *sock, const char *peer)
{
	struct table *t;
	struct ctlc_reply r;
	char req[128], *f[2];
	size_t i;

	snprintf(req, sizeof(req), "refresh %s", peer);
	if (ctlc_request(sock, req, 3000, &r) != 0)
		return cli_err(CLI_ENV, "%s: the route server does not answer", sock);
	if (r.error != NULL) {
		cli_err(CLI_USAGE, "%s", r.error);
		ctlc_free(&r);
		return CLI_USAGE;
	}
	t = table_new(2, (const char *[]){ "Peering", "Result" });
	for (i = 0; i < r.n; i++)
		if (ctlc_fields(r.rows[i], f, 2) == 2)
			table_row(t, (const char *[]){ f[0], f[1] });
	table_print(t);
	table_free(t);
	ctlc_free(&r);
	return CLI_OK;
}

static int
rsctl_usage(void)
{
	return cli_err(CLI_USAGE, "usage: arsemu rsctl --control PATH peers | "
	    "learned PEER | advertised PEER | rib | refresh PEER|all [--json]");
}

/* Ask the instance for its name and address, then print the view. */
static int
rsctl_view(const char *sock, char **pos, int npos, bool json)
{
	struct rsprint_inst in = { .sock = sock };
	struct ctlc_reply r;
	char *f[5];
	int rc;

	if (ctlc_request(sock, "info", 3000, &r) != 0)
		return cli_err(CLI_ENV, "%s: the route server does not answer", sock);
	if (r.n < 1 || ctlc_fields(r.rows[0], f, 5) < 5) {
		ctlc_free(&r);
		return cli_err(CLI_ENV, "%s: not a route server's control socket",
		    sock);
	}
	in.name = f[0];
	in.local = f[4];
	if (strcmp(pos[0], "peers") == 0 && npos == 1)
		rc = rsprint_peers(&in, 1, json);
	else if (strcmp(pos[0], "rib") == 0 && npos == 1)
		rc = rsprint_rib(&in, 1, json);
	else if ((strcmp(pos[0], "learned") == 0 ||
	    strcmp(pos[0], "advertised") == 0) && npos == 2)
		rc = rsprint_routes(&in, 1, pos[0], pos[1], json);
	else
		rc = rsctl_usage();
	ctlc_free(&r);
	return rc;
}

static int
rsctl_main(int argc, char **argv)
{
	const char *sock = NULL;
	char *pos[2];
	bool json = false;
	int i, npos = 0;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = true;
		else if (strcmp(argv[i], "--control") == 0 && i + 1 < argc)
			sock = argv[++i];
		else if (strcmp(argv[i], "--") == 0)
			continue;
		else if (argv[i][0] == '-' || npos == 2)
			return rsctl_usage();
		else
			pos[npos++] = argv[i];
	}
	if (sock == NULL || npos == 0)
		return rsctl_usage();
	if (strcmp(pos[0], "refresh") == 0)
		return npos == 2 ? rs_refresh(sock, pos[1]) : rsctl_usage();
	return rsctl_view(sock, pos, npos, json);
}

/* ---- entry points ------------------------------------------------------------- */

/* Raw commands: c->argv is everything after the command's name. */
int
cmd_routeserver(struct cli *c)
{
	return routeserver_main(c->argc, c->argv);
}

int
cmd_rsctl(struct cli *c)
{
	return rsctl_main(c->argc, c->argv);
}
