/*
 * tfimport_int: what tfread.c (the file: state or plan, modules, resources,
 * references) and tfimport.c (resources -> topology) share. Inside topo/
 * only.
 */
#ifndef ARSEMU_TOPO_TFIMPORT_INT_H
#define ARSEMU_TOPO_TFIMPORT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "tfimport.h"
#include "topo_int.h"

#define TF_DEPTH_MAX	32	/* nested child_modules */
#define TF_REF_MAX	256	/* references looked at to resolve one attribute */
#define TF_RES_MAX	TOPO_LIST_MAX	/* resources in one file */

struct cJSON;

/* One resource instance of the side read. */
struct tfres {
	char			*addr;		/* module.hub.azurerm_x.y["k"] */
	char			*module;	/* module.hub, or "" at the root */
	const char		*type, *name;
	const struct cJSON	*v;		/* its values */
	const struct cJSON	*unk;		/* after_unknown, or NULL */
	char			*id;		/* values.id, or "tf:ADDRESS" */
	char			 path[TOPO_PATH_MAX];	/* in the file */
	bool			 data;		/* a data source */
};

/* Index of strings to resources (ids ignoring case, addresses). */
struct tfidx {
	size_t		*slot;		/* res index + 1; 0 free */
	size_t		 cap;
};

struct tf {
	const char		*file;
	struct topo_err		*err;
	struct topo_tf		*out;
	struct cJSON		*root;
	const struct cJSON	*config;	/* configuration.root_module */
	struct tfres		*res;
	size_t			 nres, rcap;
	struct tfidx		 byid, byaddr;
	/* references warned of (tfread.c): from's attribute key, once */
	struct tfwarned { const struct tfres *from; const char *key; }
				*refwarned;
	size_t			 nrefwarned, rwcap;
};

/* Read text (the whole file) and collect side's resources into a. */
int	tf_read(struct tf *a, const char *text, size_t len, enum tf_side side);
void	tf_read_free(struct tf *a);

/* "FILE: ADDRESS: text", escaped; r NULL: "FILE: text". */
void	tf_warn(struct tf *a, const struct tfres *r, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* err: "FILE: PATH (ADDRESS): text", path = r's path.key; returns -1. */
int	tf_fail(struct tf *a, const struct tfres *r, const char *key,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* values.key (block NULL) or values.block[i].key, by JSON type; NULL/def. */
const struct cJSON *tf_val(const struct tfres *r, const char *block, size_t i,
	    const char *key);
const char *tf_str(const struct tfres *r, const char *block, size_t i,
	    const char *key);
bool	tf_bool(const struct tfres *r, const char *block, size_t i,
	    const char *key, bool def);
/* after_unknown says the value is known only after apply. */
bool	tf_unknown(const struct tfres *r, const char *block, size_t i,
	    const char *key);
/*
 * The resource an id attribute names: by its value (ids compared ignoring
 * case), or, unknown until apply, by the configuration's reference to a
 * resource of the same module, or of another through a module call's
 * input (var.) and a module's output (module.CALL.OUTPUT). NULL if neither.
 */
struct tfres *tf_ref(struct tf *a, const struct tfres *r, const char *block,
	    size_t i, const char *key);
/*
 * A list attribute known after apply (a VM's network_interface_ids): the
 * distinct resources its configuration references, in order, at most max.
 */
size_t	tf_refs(struct tf *a, const struct tfres *r, const char *key,
	    struct tfres **out, size_t max);
/* The id an attribute holds: its value, or the id of what it references. */
const char *tf_ref_id(struct tf *a, const struct tfres *r, const char *block,
	    size_t i, const char *key);
struct tfres *tf_by_id(struct tf *a, const char *id);

#endif
