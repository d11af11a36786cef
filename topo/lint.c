/*
 * lint: warnings for designs that are valid but do not do what their author
 * most likely wants. Checked on the finished model, after validation:
 *   RS-22  an NVA advertises 0.0.0.0/0 and its own subnet has no route table
 *          sending 0.0.0.0/0 to the Internet: the default route comes back to
 *          the NVA itself and traffic loops
 *   RS-21  an NVA advertises a prefix equal to or inside a VNet prefix the
 *          Route Server serves: it is never programmed
 *   AS     NVAs of one hub share an ASN: each drops the others' routes (its own
 *          ASN is in the path) unless it is configured with allowas-in
 *   hold   a hold time of TOPO_LINT_SLOW_HOLD s or more (or 0): a frozen NVA
 *          goes unnoticed that long (or forever), drills are slow
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../lib/util.h"
#include "lint.h"
#include "topo_int.h"

static void __attribute__((format(printf, 3, 4)))
warn(struct topo *t, const char *path, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	topo_push(&t->warnings, &t->nwarnings, xasprintf("%s%s%s", path,
	    *path ? ": " : "", msg));
}

static bool
default_to_internet(const struct topo_subnet *sn)
{
	size_t i;

	if (sn->rt == NULL)
		return false;
	for (i = 0; i < sn->rt->nroutes; i++)
		if (sn->rt->routes[i].pfx.len == 0 &&
		    sn->rt->routes[i].type == TOPO_UDR_INTERNET)
			return true;
	return false;
}

/* A VNet prefix the hub's Route Server serves that holds p, or NULL. */
static const struct pfx4 *
served_prefix(const struct topo_vnet *hub, const struct pfx4 *p)
{
	size_t i, k;

	for (k = 0; k < hub->nspace; k++)
		if (pfx_contains(&hub->space[k], p))
			return &hub->space[k];
	for (i = 0; i < hub->nspokes; i++) {
		const struct topo_vnet *s = hub->spokes[i];

		if (!s->use_remote_gateways)
			continue;
		for (k = 0; k < s->nspace; k++)
			if (pfx_contains(&s->space[k], p))
				return &s->space[k];
	}
	return NULL;
}

static void
lint_nva(struct topo *t, const struct topo_nva *v)
{
	const struct topo_subnet *sn = v->node->nic->subnet;
	char path[TOPO_PATH_MAX], p1[PFX_STRLEN], p2[PFX_STRLEN];
	size_t i;

	for (i = 0; i < v->nadvertise; i++) {
		const struct pfx4 *vp;

		snprintf(path, sizeof(path), "%s.advertise[%zu]", v->node->jpath, i);
		if (v->advertise[i].len == 0 && sn->vnet->rs != NULL &&
		    !default_to_internet(sn))
			warn(t, path, "NVA \"%s\" advertises 0.0.0.0/0 and subnet %s/%s "
			    "has no route table sending 0.0.0.0/0 to Internet: the "
			    "default route is programmed on the NVA's own NIC too and "
			    "its Internet traffic loops (RS-22)", v->node->name,
			    sn->vnet->name, sn->name);
		if (sn->vnet->rs != NULL &&
		    (vp = served_prefix(sn->vnet, &v->advertise[i])) != NULL)
			warn(t, path, "%s is %s VNet prefix %s, which the Route Server "
			    "serves: the system route wins and this route is never "
			    "programmed (RS-21)", pfx_fmt(&v->advertise[i], p1),
			    pfx_equal(vp, &v->advertise[i]) ? "equal to" : "inside",
			    pfx_fmt(vp, p2));
	}
}

static void
lint_shared_asn(struct topo *t)
{
	char path[TOPO_PATH_MAX];
	size_t i, k;

	for (i = 0; i < t->nnvas; i++)
		for (k = 0; k < i; k++) {
			const struct topo_nva *a = t->nvas[k], *b = t->nvas[i];

			if (a->asn != b->asn || a->node->nic->subnet->vnet !=
			    b->node->nic->subnet->vnet)
				continue;
			snprintf(path, sizeof(path), "%s.asn", b->node->jpath);
			warn(t, path, "NVAs \"%s\" and \"%s\" share AS %u: each drops "
			    "the other's routes through the Route Server (its own AS "
			    "is in the path) unless it allows its AS in (allowas-in); "
			    "fine for an active-active pair advertising the same "
			    "prefixes", a->node->name, b->node->name, a->asn);
			break;
		}
}

void
topo_lint(struct topo *t)
{
	size_t i;

	for (i = 0; i < t->nnvas; i++)
		lint_nva(t, t->nvas[i]);
	lint_shared_asn(t);
	if (t->timers.hold == 0)
		warn(t, "timers.hold", "hold time 0: a frozen NVA is never noticed; "
		    "only a closed connection ends a session");
	else if (t->timers.hold >= TOPO_LINT_SLOW_HOLD)
		warn(t, "timers.hold", "hold time %u s: a frozen NVA keeps its routes "
		    "programmed for up to %u s (Azure's default is 180, RS-43); set "
		    "a short hold time for failover drills", t->timers.hold,
		    t->timers.hold);
}
