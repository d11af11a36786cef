/*
 * parse_adv: what an NVA originates towards its Route Servers. Each
 * "advertise" entry is a prefix, or an object with the prefix and the
 * policy of that route alone: more prepends, a MED, more communities (an
 * active/passive pair per prefix, NO_ADVERTISE on one route). The policy
 * adds to the NVA's own "prepend" and "communities", which apply to every
 * route it originates.
 *
 * Must not: decide what the speaker does with it (emu/model/bgpconf.c
 * turns it into the speaker's configuration, emu/nvad.c into FRR's and
 * BIRD's).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../lib/util.h"
#include "topo_int.h"

static const char *const adv_fields[] = {
	"prefix", "prepend", "med", "communities", NULL
};

int
topo_parse_comms(struct tctx *c, const cJSON *o, const char *path,
    uint32_t **out, size_t *n)
{
	char cp[TOPO_PATH_MAX], p[TOPO_PATH_MAX];
	const cJSON *arr, *el;
	const char *s;
	int r;

	if ((r = topo_jarr(c, o, path, "communities", false, &arr)) <= 0)
		return r;
	topo_path_key(cp, path, "communities");
	*out = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(**out));
	*n = 0;
	cJSON_ArrayForEach(el, arr) {
		topo_path_idx(p, cp, *n);
		if (topo_vstr(c, el, p, &s) == -1)
			return -1;
		if (!topo_community_parse(s, &(*out)[*n]))
			return topo_fail(c, p, "\"%.64s\" is not a community: "
			    "write it as a:b with a and b from 0 to 65535", s);
		(*n)++;
	}
	return 0;
}

/* One entry written as an object: its prefix into *pf, its policy into *pol. */
static int
parse_policy(struct tctx *c, const cJSON *o, const char *path,
    struct pfx4 *pf, struct topo_advpol *pol)
{
	char p[TOPO_PATH_MAX];
	const cJSON *v;
	unsigned u;
	int r;

	if (topo_jfields(c, o, path, adv_fields) == -1)
		return -1;
	if ((v = topo_jget(o, "prefix")) == NULL)
		return topo_fail(c, topo_path_key(p, path, "prefix"),
		    "is required: the prefix this policy is for");
	if (topo_vpfx(c, v, topo_path_key(p, path, "prefix"), pf) == -1)
		return -1;
	if (topo_juint(c, o, path, "prepend", 0, TOPO_U16_MAX,
	    &pol->prepend) == -1)
		return -1;
	if (pol->prepend > TOPO_PREPEND_MAX)
		return topo_fail(c, topo_path_key(p, path, "prepend"),
		    "prepend %u is more than %d: Azure documents no limit "
		    "(U-02), this bound is arsemu's, to keep AS paths sane",
		    pol->prepend, TOPO_PREPEND_MAX);
	if ((r = topo_juint(c, o, path, "med", 0, UINT32_MAX, &u)) == -1)
		return -1;
	pol->has_med = r == 1;
	pol->med = u;
	return topo_parse_comms(c, o, path, &pol->comm, &pol->ncomm);
}

int
topo_parse_advertise(struct tctx *c, const cJSON *o, const char *path,
    struct topo_nva *nva)
{
	char ap[TOPO_PATH_MAX], p[TOPO_PATH_MAX], b[PFX_STRLEN];
	const cJSON *arr, *el;
	size_t j, n, first = 0;
	int r;

	if ((r = topo_jarr(c, o, path, "advertise", false, &arr)) <= 0)
		return r;
	topo_path_key(ap, path, "advertise");
	n = (size_t)cJSON_GetArraySize(arr);
	nva->advertise = xcalloc(n ? n : 1, sizeof(*nva->advertise));
	cJSON_ArrayForEach(el, arr) {
		struct pfx4 *pf = &nva->advertise[nva->nadvertise];

		topo_path_idx(p, ap, nva->nadvertise);
		if (cJSON_IsObject(el)) {
			if (nva->advpol == NULL)
				nva->advpol = xcalloc(n, sizeof(*nva->advpol));
			/* counted first: the topology frees what it holds */
			nva->nadvertise++;
			if (parse_policy(c, el, p, pf,
			    &nva->advpol[nva->nadvertise - 1]) == -1)
				return -1;
			continue;
		}
		if (!cJSON_IsString(el))
			return topo_fail(c, p, "must be a prefix, or an object "
			    "with \"prefix\" and any of \"prepend\", \"med\", "
			    "\"communities\"");
		if (topo_vpfx(c, el, p, pf) == -1)
			return -1;
		nva->nadvertise++;
	}
	j = topo_first_dup(nva->advertise, nva->nadvertise,
	    sizeof(*nva->advertise), pfx_qcmp, &first);
	if (j < nva->nadvertise)
		return topo_fail(c, topo_path_idx(p, ap, j), "%s is listed "
		    "twice", pfx_fmt(&nva->advertise[j], b));
	return 0;
}
