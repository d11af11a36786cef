/*
 * parse_filter: what an NVA adds beyond routing: the TCP MD5 key of its
 * Route Server sessions (RFC 2385) and its forwarding filter, the firewall
 * policy a walk must be able to name ("denied by an NVA's filter").
 *
 * Must not: decide how a filter is enforced (emu/) or predicted (walk).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../lib/util.h"
#include "topo_int.h"

#define MD5_KEY_MAX	79	/* TCP_MD5SIG_MAXKEYLEN is 80, one kept for NUL */
#define PORT_MAX	65535u

static const char *const filter_fields[] = {
	"action", "src", "dst", "proto", "port", NULL
};

static const struct {
	const char		*name;
	enum topo_filter_proto	 proto;
} protos[] = {
	{ "any", TOPO_PROTO_ANY }, { "icmp", TOPO_PROTO_ICMP },
	{ "tcp", TOPO_PROTO_TCP }, { "udp", TOPO_PROTO_UDP },
};

static int
parse_md5(struct tctx *c, const cJSON *o, const char *path,
    struct topo_nva *nva)
{
	char p[TOPO_PATH_MAX];
	const char *key, *k;
	int r;

	if ((r = topo_jstr(c, o, path, "md5", false, &key)) <= 0)
		return r;
	topo_path_key(p, path, "md5");
	if (key[0] == '\0' || strlen(key) > MD5_KEY_MAX)
		return topo_fail(c, p, "an MD5 key has 1 to %d characters "
		    "(RFC 2385, as the kernel takes it)", MD5_KEY_MAX);
	for (k = key; *k != '\0'; k++)
		if (*k < ' ' || *k > '~')
			return topo_fail(c, p, "an MD5 key is printable ASCII: "
			    "it goes into command lines and configuration files");
	nva->md5 = xstrdup(key);
	return 0;
}

static int
parse_pfx_field(struct tctx *c, const cJSON *o, const char *path,
    const char *key, struct pfx4 *out)
{
	const cJSON *v = topo_jget(o, key);
	char p[TOPO_PATH_MAX];

	if (v == NULL)
		return 0;
	return topo_vpfx(c, v, topo_path_key(p, path, key), out);
}

static int
parse_rule(struct tctx *c, const cJSON *o, const char *path,
    struct topo_filter *f)
{
	char p[TOPO_PATH_MAX];
	const char *action, *proto = "any";
	unsigned port = 0;
	size_t i;

	if (!cJSON_IsObject(o))
		return topo_fail(c, path, "must be an object with \"action\", "
		    "and any of \"src\", \"dst\", \"proto\", \"port\"");
	if (topo_jfields(c, o, path, filter_fields) == -1 ||
	    topo_jstr(c, o, path, "action", true, &action) == -1 ||
	    topo_jstr(c, o, path, "proto", false, &proto) == -1 ||
	    topo_juint(c, o, path, "port", 1, PORT_MAX, &port) == -1 ||
	    parse_pfx_field(c, o, path, "src", &f->src) == -1 ||
	    parse_pfx_field(c, o, path, "dst", &f->dst) == -1)
		return -1;
	if (strcmp(action, "deny") != 0 && strcmp(action, "allow") != 0)
		return topo_fail(c, topo_path_key(p, path, "action"),
		    "\"%.32s\" is not an action: write \"deny\" or \"allow\"",
		    action);
	f->deny = strcmp(action, "deny") == 0;
	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (strcmp(proto, protos[i].name) == 0)
			break;
	if (i == sizeof(protos) / sizeof(protos[0]))
		return topo_fail(c, topo_path_key(p, path, "proto"),
		    "\"%.32s\" is not a protocol: write any, icmp, tcp or udp",
		    proto);
	f->proto = protos[i].proto;
	if (port != 0 && f->proto != TOPO_PROTO_TCP &&
	    f->proto != TOPO_PROTO_UDP)
		return topo_fail(c, topo_path_key(p, path, "port"),
		    "a port needs \"proto\": \"tcp\" or \"udp\"");
	f->port = (uint16_t)port;
	f->jpath = xstrdup(path);
	return 0;
}

int
topo_parse_nva_security(struct tctx *c, const cJSON *o, const char *path,
    struct topo_nva *nva)
{
	char fp[TOPO_PATH_MAX], p[TOPO_PATH_MAX];
	const cJSON *arr, *el;
	int r;

	if (parse_md5(c, o, path, nva) == -1)
		return -1;
	if ((r = topo_jarr(c, o, path, "filter", false, &arr)) <= 0)
		return r;
	topo_path_key(fp, path, "filter");
	nva->filters = xcalloc((size_t)cJSON_GetArraySize(arr) + 1,
	    sizeof(*nva->filters));
	cJSON_ArrayForEach(el, arr) {
		topo_path_idx(p, fp, nva->nfilters);
		if (parse_rule(c, el, p, &nva->filters[nva->nfilters]) == -1)
			return -1;
		nva->nfilters++;
	}
	return 0;
}
