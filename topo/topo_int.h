/*
 * topo_int: what the .c files of topo/ share with each other. Not part of the
 * module's interface: nothing outside topo/ includes this file, and cJSON
 * appears only here and in the .c files of topo/.
 *
 * Loading runs in passes over one context: parse (JSON -> model, with the
 * checks that need only one value or one object), validate (checks across
 * objects, while t->nodes is still in file order), layout (node and NIC
 * order), address (IPs, site links).
 * The first error stops the load; every pass reports through topo_fail().
 */
#ifndef ARSEMU_TOPO_INT_H
#define ARSEMU_TOPO_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "topo.h"

#define TOPO_PATH_MAX	256	/* == sizeof(struct topo_err).path */
/* Entries in one array or object (a Premium circuit site may send 10,000). */
#define TOPO_LIST_MAX	16384
/* Site links' /30s: 169.254.0.0 up to 169.254.21.0, where gateway links start. */
#define TOPO_LINKS_MAX	1344
#define TOPO_GWLINKS_MAX 128	/* /30s in 169.254.21.0/23 */
#define TOPO_PREPEND_MAX 10	/* ours: Azure documents none (U-02) */
#define TOPO_HOLD_MIN	3	/* RFC 4271 4.2: 0 or at least 3 s */
#define TOPO_U16_MAX	65535u
#define TOPO_SUBNET_MIN_LEN 29	/* Azure's smallest subnet is a /29 */
#define TOPO_RS_SUBNET_LEN 27	/* RS-03 */
#define TOPO_AZ_RESERVED_LOW 4	/* .0 network, .1 gateway, .2 .3 Azure DNS */
#define TOPO_AZNAME_MAX	80	/* Azure's limit on subnet, route table names */

struct cJSON;

struct tctx {
	const char	*text;		/* the document, for line:col */
	size_t		 len;
	struct topo	*t;
	struct topo_err	*err;
};

/*
 * Fill c->err (path, line:col from the path, message), path and message
 * escaped with str_escape() (they may quote the input); always returns -1.
 */
int	topo_fail(struct tctx *c, const char *path, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* "base.key" (or "key" at the top) / "base[i]" into buf of TOPO_PATH_MAX. */
char	*topo_path_key(char *buf, const char *base, const char *key);
char	*topo_path_idx(char *buf, const char *base, size_t i);
/* Append item to a malloc'd array of pointers of *n elements. */
void	 topo_push(void *arrp, size_t *n, void *item);
/*
 * The first repeat in an array of n elements of size sz, compared by cmp:
 * the lowest index i whose element equals an earlier one, and in *first
 * the earliest of those; n if none. O(n log n): the checks it replaces
 * compared every pair, which a topology at Azure's limits made slow.
 */
/* "a:b", both decimal 0..65535 (RFC 1997), as one 32-bit value. */
bool	 topo_community_parse(const char *s, uint32_t *out);
size_t	 topo_first_dup(const void *base, size_t n, size_t sz,
	    int (*cmp)(const void *, const void *), size_t *first);

/* pos.c: where a JSON path (or a byte offset) is in the text, 1-based. */
void	 topo_pos_path(const char *text, size_t len, const char *path,
	    int *line, int *col);
void	 topo_pos_offset(const char *text, size_t len, size_t off,
	    int *line, int *col);
/* The reverse: the JSON path of the innermost value (or key) holding the
 * byte at off, into buf of TOPO_PATH_MAX; "" for the document itself. */
void	 topo_pos_path_at(const char *text, size_t len, size_t off, char *buf);

/*
 * jread.c: every JSON document topo/ reads (topologies, drills, az CLI
 * output) comes through here. topo_read_file: the whole file, at most
 * TOPO_FILE_MAX bytes (a symlink to /dev/zero must not exhaust memory);
 * -1 with err->msg. topo_json_parse: c->text as one JSON document, or NULL
 * after topo_fail() with the place: malformed JSON, text after the
 * document, or a NUL in a string (raw or \u0000: cJSON would end the
 * string there, and "good\u0000; rm -rf /" would read as "good").
 */
#define TOPO_FILE_MAX	(16u << 20)
/* The folder of file, malloc'd ("" for none): relative paths in it start there. */
char	*topo_dir_of(const char *file);
int	 topo_read_file(const char *file, char **text, size_t *len,
	    struct topo_err *err);
struct cJSON *topo_json_parse(struct tctx *c);

/*
 * jget.c: typed access to one field. Each returns -1 after topo_fail(),
 * 0 when the field is absent and optional (out untouched), 1 when present.
 */
const struct cJSON *topo_jget(const struct cJSON *o, const char *key);
int	topo_jfields(struct tctx *c, const struct cJSON *o, const char *path,
	    const char *const *allowed);
int	topo_jobj(struct tctx *c, const struct cJSON *o, const char *path,
	    const char *key, bool req, const struct cJSON **out);
int	topo_jarr(struct tctx *c, const struct cJSON *o, const char *path,
	    const char *key, bool req, const struct cJSON **out);
int	topo_jstr(struct tctx *c, const struct cJSON *o, const char *path,
	    const char *key, bool req, const char **out);
int	topo_jbool(struct tctx *c, const struct cJSON *o, const char *path,
	    const char *key, bool *out);
int	topo_juint(struct tctx *c, const struct cJSON *o, const char *path,
	    const char *key, unsigned min, unsigned max, unsigned *out);
int	topo_jaddr(struct tctx *c, const struct cJSON *o, const char *path,
	    const char *key, uint32_t *out);
/* A required name that topo_name_ok() accepts; *out is a copy. */
int	topo_jname(struct tctx *c, const struct cJSON *o, const char *path,
	    char **out);
/* Values (array elements): path is the element's own path. */
/*
 * An optional array of strings at key: fn with each (and its JSON path).
 * Returns 0 (absent or all done) or -1 (fn's, or not strings).
 */
int	topo_jnames(struct tctx *c, const struct cJSON *o, const char *path,
	    const char *key, void *arg, int (*fn)(struct tctx *, const char *,
	    const char *, void *));
int	topo_vstr(struct tctx *c, const struct cJSON *v, const char *path,
	    const char **out);
int	topo_vuint(struct tctx *c, const struct cJSON *v, const char *path,
	    unsigned min, unsigned max, unsigned *out);
int	topo_vpfx(struct tctx *c, const struct cJSON *v, const char *path,
	    struct pfx4 *out);
int	topo_vaddr(struct tctx *c, const struct cJSON *v, const char *path,
	    uint32_t *out);

/* parse.c: shared by the VNet, site and route table parsers. */
/* An Azure resource name: subnets, route tables, routes. */
bool	topo_azname_ok(const char *s);
int	topo_check_reserved(struct tctx *c, const char *path,
	    const struct pfx4 *p);
int	topo_parse_pfxs(struct tctx *c, const struct cJSON *arr,
	    const char *path, struct pfx4 **out, size_t *n);
/* An optional array "key" of objects, each given to fn with its path. */
int	topo_parse_list(struct tctx *c, const struct cJSON *o, const char *path,
	    const char *key, void *arg, int (*fn)(struct tctx *,
	    const struct cJSON *, const char *, void *));

/*
 * parse_node.c: one list element each; arg is the VNet (nvas, vms) or
 * unused (sites). topo_new_node() takes name, pushes the node onto t->nodes
 * (which owns it from then on) and gives it a NIC in sn unless sn is NULL.
 */
struct topo_node *topo_new_node(struct tctx *c, char *name,
	    enum topo_node_kind kind, const char *jpath, struct topo_subnet *sn);
int	topo_parse_nva(struct tctx *c, const struct cJSON *o, const char *path,
	    void *vnet);
/* parse_filter.c: an NVA's "md5" and "filter". */
/* parse_adv.c: an NVA's "advertise" (prefixes, or objects with a policy) */
int	topo_parse_advertise(struct tctx *c, const struct cJSON *o,
	    const char *path, struct topo_nva *nva);
/* o's "communities" (a:b strings), if present, into *out. */
int	topo_parse_comms(struct tctx *c, const struct cJSON *o, const char *path,
	    uint32_t **out, size_t *n);
int	topo_parse_nva_security(struct tctx *c, const struct cJSON *o,
	    const char *path, struct topo_nva *nva);
int	topo_parse_vm(struct tctx *c, const struct cJSON *o, const char *path,
	    void *vnet);
int	topo_parse_site(struct tctx *c, const struct cJSON *o,
	    const char *path, void *unused);

/* parse_gw.c: a hub's "gateways" (arg: the hub), then, after the sites, the
 * sites they name, their MSEEs and links. */
int	topo_parse_gw(struct tctx *c, const struct cJSON *o, const char *path,
	    void *vnet);
int	topo_resolve_gws(struct tctx *c);
/* parse_gw.c: hubs' "peerings" (after all regions) and top-level "overlays". */
int	topo_parse_overlays(struct tctx *c, const struct cJSON *root);
/* parse_peer.c: PE-06, RS-08 (once every VNet exists) */
int	topo_parse_spoke_peerings(struct tctx *c, const struct cJSON *o,
	    const char *path, struct topo_vnet *v);
int	topo_parse_nva_route_servers(struct tctx *c,
	    const struct cJSON *regions);
/* parse_node.c: GW-02 and RS-06's reserved ASNs; NULL if asn is allowed. */
const char *topo_asn_reserved(unsigned asn);

/*
 * parse_lb.c: a VNet's "load_balancers" (arg: the VNet, hub or spoke),
 * after its NVAs;
 * topo_lb_check() once addresses are assigned; topo_lb_free() for topo_free.
 */
int	topo_parse_lb(struct tctx *c, const struct cJSON *o, const char *path,
	    void *vnet);
int	topo_lb_check(struct tctx *c);
void	topo_lb_free(struct topo_lb *lb);

/* parse_rt.c: the top-level "route_tables", after regions (VR-07, VR-08). */
int	topo_parse_route_tables(struct tctx *c, const struct cJSON *root);
/* parse_nsg.c: "network_security_groups", after route tables (NS-01). */
int	topo_parse_nsgs(struct tctx *c, const struct cJSON *root);
void	topo_nsg_free(struct topo_nsg *g);

/* validate.c: topo_warning() is in topo.h (the model's checks use it too). */
/* The same with printf's format (cut at 640 bytes). */
void	topo_warnf(struct topo *t, const char *path, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* lintnh.c: VR-14, RS-54, for topo_lint() */
void	topo_lint_next_hops(struct topo *t);
void	topo_warn(struct tctx *c, const char *path, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* The passes, in order. */
int	topo_parse(struct tctx *c, const struct cJSON *root);
int	topo_layout(struct tctx *c);
int	topo_validate(struct tctx *c);
int	topo_address(struct tctx *c);

/* Where a node's name comes from in the file (RS nodes: the hub's name). */
char	*topo_node_name_path(char *buf, const struct topo_node *n);

#endif
