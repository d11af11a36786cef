/*
 * tfread: the JSON of `terraform show -json` (see tfimport.h) into the list
 * of resources of one side: a state's values.root_module, a plan's
 * planned_values.root_module (with each resource's after_unknown from
 * resource_changes) or prior_state.values.root_module; child_modules to
 * TF_DEPTH_MAX deep. Ids and addresses are indexed; an id unknown until
 * apply is resolved through the configuration's references.
 *
 * Owns: the parsed document and the resource list. Must not: map anything
 * to the topology (tfimport.c does), nor quote the input in an error but
 * escaped.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "../lib/util.h"
#include "importcommon.h"
#include "tfimport_int.h"

void
tf_warn(struct tf *a, const struct tfres *r, const char *fmt, ...)
{
	char msg[512], raw[sizeof(msg) + 600], out[sizeof(raw)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(raw, sizeof(raw), "%s: %.500s%s%s", a->file, r ? r->addr : "",
	    r ? ": " : "", msg);
	a->out->warnings = xrealloc(a->out->warnings,
	    (a->out->nwarnings + 1) * sizeof(char *));
	a->out->warnings[a->out->nwarnings++] =
	    xstrdup(str_escape(out, sizeof(out), raw));
}

/* The error at a JSON path; addr, when known, names the resource too. */
static int __attribute__((format(printf, 4, 5)))
fail_at(struct tf *a, const char *path, const char *addr, const char *fmt, ...)
{
	char msg[400], raw[sizeof(a->err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	str_escape(a->err->path, sizeof(a->err->path), path);
	snprintf(raw, sizeof(raw), "%s: %s%s%.200s%s%s%s", a->file, path,
	    addr ? " (" : "", addr ? addr : "", addr ? ")" : "",
	    path[0] || addr ? ": " : "", msg);
	str_escape(a->err->msg, sizeof(a->err->msg), raw);
	return -1;
}

int
tf_fail(struct tf *a, const struct tfres *r, const char *key,
    const char *fmt, ...)
{
	char msg[400], p[TOPO_PATH_MAX], v[TOPO_PATH_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	topo_path_key(v, r->path, "values");
	if (key != NULL)
		topo_path_key(p, v, key);
	else
		snprintf(p, sizeof(p), "%s", r->path);
	return fail_at(a, p, r->addr, "%s", msg);
}

/* ---- values ---- */

const cJSON *
tf_val(const struct tfres *r, const char *block, size_t i, const char *key)
{
	const cJSON *o = r->v;

	if (block != NULL) {
		o = cJSON_GetObjectItemCaseSensitive(o, block);
		if (!cJSON_IsArray(o) || (o = cJSON_GetArrayItem(o, (int)i)) ==
		    NULL)
			return NULL;
	}
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

const char *
tf_str(const struct tfres *r, const char *block, size_t i, const char *key)
{
	const cJSON *v = tf_val(r, block, i, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

bool
tf_bool(const struct tfres *r, const char *block, size_t i, const char *key,
    bool def)
{
	const cJSON *v = tf_val(r, block, i, key);

	return cJSON_IsBool(v) ? cJSON_IsTrue(v) : def;
}

bool
tf_unknown(const struct tfres *r, const char *block, size_t i,
    const char *key)
{
	const cJSON *o = r->unk;

	if (o == NULL)
		return false;
	if (block != NULL) {
		o = cJSON_GetObjectItemCaseSensitive(o, block);
		if (cJSON_IsTrue(o))
			return true;
		if (!cJSON_IsArray(o) || (o = cJSON_GetArrayItem(o, (int)i)) ==
		    NULL)
			return false;
	}
	o = cJSON_GetObjectItemCaseSensitive(o, key);
	/* A list whose first element is unknown: [true] */
	return cJSON_IsTrue(o) || (cJSON_IsArray(o) &&
	    cJSON_IsTrue(cJSON_GetArrayItem(o, 0)));
}

/* ---- the index ---- */

static size_t
hash(const char *s, bool fold)
{
	size_t h = 14695981039346656037u;	/* FNV-1a */

	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if (fold && ch >= 'A' && ch <= 'Z')
			ch = (unsigned char)(ch - 'A' + 'a');
		h = (h ^ ch) * 1099511628211u;
	}
	return h;
}

static const char *
key_of(const struct tfres *r, bool byid)
{
	return byid ? r->id : r->addr;
}

/* The first resource under s; fold: ids, compared ignoring case. */
static struct tfres *
idx_get(struct tf *a, const struct tfidx *x, const char *s, bool fold)
{
	size_t i;

	if (x->cap == 0 || s == NULL)
		return NULL;
	for (i = hash(s, fold) & (x->cap - 1); x->slot[i] != 0;
	    i = (i + 1) & (x->cap - 1)) {
		struct tfres *r = &a->res[x->slot[i] - 1];
		const char *k = key_of(r, fold);

		if (fold ? strcasecmp(k, s) == 0 : strcmp(k, s) == 0)
			return r;
	}
	return NULL;
}

static void
idx_build(struct tf *a, struct tfidx *x, bool fold)
{
	size_t i, k;

	for (x->cap = 64; x->cap < 2 * a->nres; x->cap *= 2)
		;
	x->slot = xcalloc(x->cap, sizeof(*x->slot));
	for (i = 0; i < a->nres; i++) {
		const char *s = key_of(&a->res[i], fold);

		if (idx_get(a, x, s, fold) != NULL)
			continue;	/* the first keeps it */
		for (k = hash(s, fold) & (x->cap - 1); x->slot[k] != 0;
		    k = (k + 1) & (x->cap - 1))
			;
		x->slot[k] = i + 1;
	}
}

struct tfres *
tf_by_id(struct tf *a, const char *id)
{
	/* "" is no id: azurerm writes it for an unset reference */
	return id != NULL && id[0] != '\0' ? idx_get(a, &a->byid, id, true) :
	    NULL;
}

/* ---- references through the configuration ---- */

/*
 * The configuration module of the module instance at path ("" the root,
 * "module.hub.module.nva"): module_calls followed, indexes dropped.
 */
static const cJSON *
config_at(const struct tf *a, const char *p)
{
	const cJSON *m = a->config;
	char name[256];
	size_t n;

	while (m != NULL && *p != '\0') {
		if (strncmp(p, "module.", 7) != 0)
			return NULL;
		p += 7;
		n = strcspn(p, ".[");
		if (n == 0 || n >= sizeof(name))
			return NULL;
		memcpy(name, p, n);
		name[n] = '\0';
		p += n;
		if (*p == '[' && (p = strchr(p, ']')) != NULL)
			p++;
		if (p == NULL || (*p != '.' && *p != '\0'))
			return NULL;
		if (*p == '.')
			p++;
		m = cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(m, "module_calls"), name),
		    "module");
	}
	return m;
}

static const cJSON *
config_module(const struct tf *a, const struct tfres *r)
{
	return config_at(a, r->module);
}

/*
 * r's address within its module ("azurerm_x.y[1]" of
 * "module.hub.azurerm_x.y[1]"): a file may say otherwise (fuzz), and then
 * the whole address.
 */
static const char *
local_addr(const struct tfres *r)
{
	size_t n = strlen(r->module);
	const char *local = r->addr;

	if (strncmp(r->addr, r->module, n) == 0)
		local += n;
	if (*local == '.')
		local++;
	return local;
}

/* The expression of key in r's configuration block (block[i] or top). */
static const cJSON *
config_expr(const struct tf *a, const struct tfres *r, const char *block,
    size_t i, const char *key)
{
	const cJSON *m = config_module(a, r), *res, *e = NULL;
	const char *local = local_addr(r);
	size_t n = strcspn(local, "[");
	cJSON_ArrayForEach(res, cJSON_GetObjectItemCaseSensitive(m,
	    "resources")) {
		const char *ad = cJSON_GetStringValue(
		    cJSON_GetObjectItemCaseSensitive(res, "address"));

		if (ad != NULL && strlen(ad) == n && strncmp(ad, local, n) == 0) {
			e = cJSON_GetObjectItemCaseSensitive(res, "expressions");
			break;
		}
	}
	if (block != NULL) {
		e = cJSON_GetObjectItemCaseSensitive(e, block);
		e = cJSON_IsArray(e) ? cJSON_GetArrayItem(e, (int)i) : NULL;
	}
	return cJSON_GetObjectItemCaseSensitive(e, key);
}

/*
 * Resolving one attribute's references: the resource instance (and its
 * attribute) that refers, the index of that instance when its references
 * also name count.index or each.key/each.value (Terraform lists
 * "azurerm_x.y" and "count.index" for azurerm_x.y[count.index].id: the
 * referring instance's own index), and how many references are left.
 */
struct tfrefs {
	const struct tfres	*from;
	const char		*key;
	const char		*idx;	/* "[0]", "[\"k\"]", or NULL */
	int			 left;
};

/* The "[...]" index of r's own address, or NULL (no count, no for_each). */
static const char *
own_index(const struct tfres *r)
{
	const char *local = local_addr(r);

	local += strcspn(local, "[");
	return *local == '[' ? local : NULL;
}

/* The first time for x's attribute: true, and remembered. */
static bool
ref_warn_once(struct tf *a, const struct tfrefs *x)
{
	size_t i;

	for (i = 0; i < a->nrefwarned; i++)
		if (a->refwarned[i].from == x->from &&
		    strcmp(a->refwarned[i].key, x->key) == 0)
			return false;
	xgrow(&a->refwarned, &a->rwcap, a->nrefwarned + 1,
	    sizeof(*a->refwarned));
	a->refwarned[a->nrefwarned].from = x->from;
	a->refwarned[a->nrefwarned++].key = x->key;
	return true;
}

/* Whether refs name count.index or each.key / each.value. */
static bool
refs_index(const cJSON *refs)
{
	const cJSON *ref;
	const char *s;

	cJSON_ArrayForEach(ref, refs)
		if ((s = cJSON_GetStringValue(ref)) != NULL &&
		    (strcmp(s, "count.index") == 0 || strncmp(s, "each.", 5) == 0))
			return true;
	return false;
}

/*
 * Whether rs is a bare "azurerm_x.y" (no index, no attribute) that refs
 * also hold with an index: Terraform lists azurerm_x.y[0].id, its
 * prefixes and then the resource without its key.
 */
static bool
bare_shadowed(const cJSON *refs, const char *rs)
{
	size_t n = strcspn(rs, "."), k;
	const cJSON *ref;
	const char *o;

	if (rs[n] != '.')
		return false;
	k = n + 1 + strcspn(rs + n + 1, ".[");
	if (rs[k] != '\0')
		return false;
	cJSON_ArrayForEach(ref, refs)
		if ((o = cJSON_GetStringValue(ref)) != NULL &&
		    strncmp(o, rs, k) == 0 && o[k] == '[')
			return true;
	return false;
}

/*
 * "azurerm_x.y..." of the module at mod: that resource, or the instance
 * its index names ("azurerm_x.y[0].id"). A resource with count or
 * for_each named without an index is a list in Terraform: the instance
 * of the referring one's index when x->idx is set, its only instance if
 * it has one; otherwise a warning naming the referring address and NULL.
 * With all, every instance is appended instead (at most max in all).
 */
static struct tfres *
ref_resource(struct tf *a, const char *mod, const char *rs,
    struct tfrefs *x, struct tfres **all, size_t *nall, size_t max)
{
	struct tfres *t, *first = NULL;
	char want[600];
	size_t n, k, count = 0;

	/* type.name, with its index: "azurerm_x.y[0].id" */
	n = strcspn(rs, ".");
	if (rs[n] != '.')
		return NULL;
	n += 1 + strcspn(rs + n + 1, ".");
	if (snprintf(want, sizeof(want), "%s%s%.*s", mod, mod[0] ? "." : "",
	    (int)n, rs) >= (int)sizeof(want))
		return NULL;
	if ((t = idx_get(a, &a->byaddr, want, false)) != NULL) {
		if (all != NULL && *nall < max)
			all[(*nall)++] = t;
		return t;
	}
	k = strlen(want);
	for (n = 0; n < a->nres; n++)	/* the instances of a count */
		if (strncmp(a->res[n].addr, want, k) == 0 &&
		    a->res[n].addr[k] == '[') {
			if (count++ == 0)
				first = &a->res[n];
			if (all != NULL && *nall < max)
				all[(*nall)++] = &a->res[n];
		}
	if (count == 0 || all != NULL)
		return first;
	if (x->idx != NULL && strlen(want) + strlen(x->idx) < sizeof(want)) {
		strcat(want, x->idx);
		if ((t = idx_get(a, &a->byaddr, want, false)) == NULL &&
		    ref_warn_once(a, x))
			tf_warn(a, x->from, "%s: %s has no instance %s: not "
			    "resolved", x->key, want, x->idx);
		return t;
	}
	if (count == 1)
		return first;
	if (ref_warn_once(a, x))
		tf_warn(a, x->from, "%s references %s, which has %zu instances "
		    "(count or for_each), without an index: not resolved",
		    x->key, want, count);
	return NULL;
}

static struct tfres *resolve(struct tf *a, const char *mod, const cJSON *refs,
    struct tfrefs *x);

/*
 * "var.NAME" in the module at mod: the expression its parent's module call
 * gives NAME, resolved in the parent (a module's input from another
 * module's output, or from the caller's own variable).
 */
static struct tfres *
ref_var(struct tf *a, const char *mod, const char *name, struct tfrefs *x)
{
	const char *p = mod, *last = NULL;
	char parent[600], call[256], var[256];
	const cJSON *mc;
	size_t n;

	while ((p = strstr(p, "module.")) != NULL) {	/* the last call */
		if (p == mod || p[-1] == '.')
			last = p;
		p += 7;
	}
	if (last == NULL || (n = strcspn(last + 7, ".[")) == 0 ||
	    n >= sizeof(call) || (size_t)(last - mod) >= sizeof(parent) ||
	    (n = strcspn(name, ".[")) == 0 || n >= sizeof(var))
		return NULL;	/* the root's variables come from outside */
	snprintf(call, sizeof(call), "%.*s", (int)strcspn(last + 7, ".["),
	    last + 7);
	snprintf(var, sizeof(var), "%.*s", (int)n, name);
	snprintf(parent, sizeof(parent), "%.*s", (int)(last == mod ? 0 :
	    last - mod - 1), mod);
	mc = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(
	    config_at(a, parent), "module_calls"), call);
	return resolve(a, parent, cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(
	    mc, "expressions"), var), "references"), x);
}

/*
 * "module.CALL.OUTPUT" (or "module.CALL[k].OUTPUT") in the module at mod:
 * the expression of that output in the called module, resolved there.
 */
static struct tfres *
ref_output(struct tf *a, const char *mod, const char *rest, struct tfrefs *x)
{
	char child[600], out[256];
	size_t n = strcspn(rest, ".["), k;
	const cJSON *cm;

	k = n;
	if (rest[k] == '[') {
		const char *e = strchr(rest + k, ']');

		if (e == NULL)
			return NULL;
		k = (size_t)(e + 1 - rest);
	}
	if (n == 0 || rest[k] != '.' || (n = strcspn(rest + k + 1, ".[")) == 0 ||
	    n >= sizeof(out))
		return NULL;	/* "module.network": no output named */
	snprintf(out, sizeof(out), "%.*s", (int)n, rest + k + 1);
	if (snprintf(child, sizeof(child), "%s%smodule.%.*s", mod, mod[0] ?
	    "." : "", (int)k, rest) >= (int)sizeof(child))
		return NULL;
	cm = config_at(a, child);
	return resolve(a, child, cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(cm, "outputs"), out),
	    "expression"), "references"), x);
}

/*
 * The resource a reference of the module at mod names: an azurerm
 * resource of that module, or through var. and module. across modules
 * (where the referring instance's index no longer applies). At most
 * x->left references are looked at in all (a configuration cannot loop, a
 * file can, and fan out at each step).
 */
static struct tfres *
resolve_one(struct tf *a, const char *mod, const char *rs, struct tfrefs *x)
{
	const char *idx = x->idx;
	struct tfres *t = NULL;

	if (--x->left < 0 || rs == NULL)
		return NULL;
	if (strncmp(rs, "azurerm_", 8) == 0)
		return ref_resource(a, mod, rs, x, NULL, NULL, 0);
	x->idx = NULL;
	if (strncmp(rs, "var.", 4) == 0)
		t = ref_var(a, mod, rs + 4, x);
	else if (strncmp(rs, "module.", 7) == 0)
		t = ref_output(a, mod, rs + 7, x);
	x->idx = idx;
	return t;
}

static struct tfres *
resolve(struct tf *a, const char *mod, const cJSON *refs, struct tfrefs *x)
{
	const cJSON *ref;
	struct tfres *t;

	cJSON_ArrayForEach(ref, refs)
		if (cJSON_IsString(ref) && !bare_shadowed(refs,
		    ref->valuestring) && (t = resolve_one(a, mod,
		    ref->valuestring, x)) != NULL)
			return t;
	return NULL;
}

size_t
tf_refs(struct tf *a, const struct tfres *r, const char *key,
    struct tfres **out, size_t max)
{
	const cJSON *refs, *ref;
	struct tfrefs x = { r, key, NULL, TF_REF_MAX };
	struct tfres **got;
	size_t n = 0, k, ng, g;

	if (!tf_unknown(r, NULL, 0, key))
		return 0;
	refs = cJSON_GetObjectItemCaseSensitive(config_expr(a, r, NULL, 0,
	    key), "references");
	if (refs_index(refs))
		x.idx = own_index(r);
	got = xcalloc(max + 1, sizeof(*got));
	cJSON_ArrayForEach(ref, refs) {
		const char *s = cJSON_GetStringValue(ref);

		ng = 0;
		if (s == NULL || bare_shadowed(refs, s))
			continue;
		if (x.idx == NULL && strncmp(s, "azurerm_", 8) == 0) {
			/* a list: every instance of a counted resource */
			if (--x.left >= 0)
				(void)ref_resource(a, r->module, s, &x, got, &ng,
				    max);
		} else if ((got[0] = resolve_one(a, r->module, s, &x)) != NULL)
			ng = 1;
		for (g = 0; g < ng; g++) {
			for (k = 0; k < n && out[k] != got[g]; k++)
				;
			if (k == n && n < max)
				out[n++] = got[g];
		}
	}
	free(got);
	return n;
}

struct tfres *
tf_ref(struct tf *a, const struct tfres *r, const char *block, size_t i,
    const char *key)
{
	const char *s = tf_str(r, block, i, key);
	struct tfrefs x = { r, key, NULL, TF_REF_MAX };
	const cJSON *refs;

	if (s != NULL)
		return tf_by_id(a, s);
	if (!tf_unknown(r, block, i, key))
		return NULL;
	refs = cJSON_GetObjectItemCaseSensitive(config_expr(a, r, block, i,
	    key), "references");
	if (refs_index(refs))
		x.idx = own_index(r);
	return resolve(a, r->module, refs, &x);
}

const char *
tf_ref_id(struct tf *a, const struct tfres *r, const char *block, size_t i,
    const char *key)
{
	const char *s = tf_str(r, block, i, key);
	const struct tfres *t;

	if (s != NULL)
		return s;
	return (t = tf_ref(a, r, block, i, key)) != NULL ? t->id : NULL;
}

/* ---- collecting ---- */

static int
take_res(struct tf *a, const cJSON *o, const char *path, const char *module)
{
	const char *addr, *type, *name, *mode, *id;
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "values");
	char p[TOPO_PATH_MAX];
	struct tfres *r;

	if (!cJSON_IsObject(o))
		return fail_at(a, path, NULL, "a resource must be an object");
	addr = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o,
	    "address"));
	type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "type"));
	name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "name"));
	mode = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "mode"));
	if (addr == NULL || addr[0] == '\0' || strlen(addr) > 512)
		return fail_at(a, topo_path_key(p, path, "address"), NULL,
		    "a resource needs its address (a string of 1 to 512 "
		    "characters)");
	if (type == NULL || name == NULL)
		return fail_at(a, topo_path_key(p, path, type ? "name" : "type"),
		    addr, "a resource needs its type and name");
	if (!cJSON_IsObject(v))
		return fail_at(a, topo_path_key(p, path, "values"), addr,
		    "a resource needs its values (an object)");
	if (a->nres >= TF_RES_MAX)
		return fail_at(a, path, addr, "more than %d resources: arsemu "
		    "runs a lab on one host", TF_RES_MAX);
	xgrow(&a->res, &a->rcap, a->nres + 1, sizeof(*a->res));
	r = &a->res[a->nres++];
	memset(r, 0, sizeof(*r));
	r->addr = xstrdup(addr);
	r->module = xstrdup(module);
	r->type = type;
	r->name = name;
	r->v = v;
	r->data = mode != NULL && strcmp(mode, "data") == 0;
	snprintf(r->path, sizeof(r->path), "%s", path);
	id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(v, "id"));
	r->id = id != NULL ? xstrdup(id) : xasprintf("tf:%s", addr);
	return 0;
}

/* A module's resources and, depth first, its child modules. */
static int
walk(struct tf *a, const cJSON *m, const char *path, const char *module,
    int depth)
{
	const cJSON *list, *el;
	char p[TOPO_PATH_MAX], q[TOPO_PATH_MAX];
	size_t i = 0;

	if (!cJSON_IsObject(m))
		return fail_at(a, path, NULL, "a module must be an object");
	if (depth > TF_DEPTH_MAX)
		return fail_at(a, path, module, "modules nested more than %d "
		    "deep", TF_DEPTH_MAX);
	list = cJSON_GetObjectItemCaseSensitive(m, "resources");
	topo_path_key(p, path, "resources");
	if (list != NULL && !cJSON_IsArray(list))
		return fail_at(a, p, NULL, "must be an array");
	cJSON_ArrayForEach(el, list)
		if (take_res(a, el, topo_path_idx(q, p, i++), module) == -1)
			return -1;
	list = cJSON_GetObjectItemCaseSensitive(m, "child_modules");
	topo_path_key(p, path, "child_modules");
	if (list != NULL && !cJSON_IsArray(list))
		return fail_at(a, p, NULL, "must be an array");
	i = 0;
	cJSON_ArrayForEach(el, list) {
		const char *ad = cJSON_GetStringValue(
		    cJSON_GetObjectItemCaseSensitive(el, "address"));

		topo_path_idx(q, p, i++);
		if (ad == NULL || strncmp(ad, "module.", 7) != 0 ||
		    strlen(ad) > 400)
			return fail_at(a, topo_path_key(p, q, "address"), NULL,
			    "a child module needs its address (module.NAME)");
		if (walk(a, el, q, ad, depth + 1) == -1)
			return -1;
	}
	return 0;
}

/* format_version "1.x": HashiCorp asks readers to refuse another major. */
static int
check_version(struct tf *a, const cJSON *doc, const char *path)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc,
	    "format_version");
	char p[TOPO_PATH_MAX];

	if (v == NULL)
		return 0;
	topo_path_key(p, path, "format_version");
	if (!cJSON_IsString(v) || strncmp(v->valuestring, "1.", 2) != 0)
		return fail_at(a, p, NULL, "arsemu reads format_version 1.x of "
		    "terraform show -json");
	return 0;
}

int
tf_read(struct tf *a, const char *text, size_t len, enum tf_side side)
{
	struct topo_err e = { .line = 0 };
	struct tctx c = { .text = text, .len = len, .err = &e };
	const cJSON *m, *unk = NULL, *ch;
	const char *path;

	if ((a->root = topo_json_parse(&c)) == NULL) {
		if (e.path[0] != '\0')
			return fail_at(a, e.path, NULL, "%s (line %d, column %d)",
			    e.msg, e.line, e.col);
		return fail_at(a, "", NULL, "not JSON (line %d, column %d): %s; "
		    "save what `terraform show -json` prints", e.line, e.col,
		    e.msg);
	}
	if (!cJSON_IsObject(a->root))
		return fail_at(a, "", NULL, "not what `terraform show -json` "
		    "prints (an object)");
	if (check_version(a, a->root, "") == -1)
		return -1;
	a->out->plan = cJSON_HasObjectItem(a->root, "planned_values") ||
	    cJSON_HasObjectItem(a->root, "resource_changes");
	if (!a->out->plan) {
		if (side == TF_BEFORE)
			return fail_at(a, "", NULL, "a state, not a plan: save "
			    "the plan with terraform plan -out and show it");
		path = "values.root_module";
		m = cJSON_GetObjectItemCaseSensitive(a->root, "values");
		if (m == NULL)
			return fail_at(a, "values", NULL, "neither a state "
			    "(values) nor a plan (planned_values): is it what "
			    "`terraform show -json` prints? (an empty state "
			    "has no values)");
	} else if (side == TF_BEFORE) {
		m = cJSON_GetObjectItemCaseSensitive(a->root, "prior_state");
		if (m == NULL)
			return fail_at(a, "prior_state", NULL, "the plan has no "
			    "prior state (it creates everything): nothing to "
			    "compare with");
		if (check_version(a, m, "prior_state") == -1)
			return -1;
		m = cJSON_GetObjectItemCaseSensitive(m, "values");
		path = "prior_state.values.root_module";
	} else {
		m = cJSON_GetObjectItemCaseSensitive(a->root, "planned_values");
		path = "planned_values.root_module";
		unk = cJSON_GetObjectItemCaseSensitive(a->root,
		    "resource_changes");
		if (unk != NULL && !cJSON_IsArray(unk))
			return fail_at(a, "resource_changes", NULL, "must be an "
			    "array");
	}
	if ((m = cJSON_GetObjectItemCaseSensitive(m, "root_module")) == NULL)
		return fail_at(a, path, NULL, "missing: %s", side == TF_BEFORE ?
		    "the prior state holds no resources" : "no resources");
	a->config = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(a->root, "configuration"),
	    "root_module");
	if (walk(a, m, path, "", 0) == -1)
		return -1;
	idx_build(a, &a->byid, true);
	idx_build(a, &a->byaddr, false);
	cJSON_ArrayForEach(ch, unk) {
		struct tfres *r = idx_get(a, &a->byaddr, cJSON_GetStringValue(
		    cJSON_GetObjectItemCaseSensitive(ch, "address")), false);

		if (r != NULL)
			r->unk = cJSON_GetObjectItemCaseSensitive(
			    cJSON_GetObjectItemCaseSensitive(ch, "change"),
			    "after_unknown");
	}
	return 0;
}

void
tf_read_free(struct tf *a)
{
	size_t i;

	for (i = 0; i < a->nres; i++) {
		free(a->res[i].addr);
		free(a->res[i].module);
		free(a->res[i].id);
	}
	free(a->res);
	free(a->refwarned);
	free(a->byid.slot);
	free(a->byaddr.slot);
	cJSON_Delete(a->root);
}
