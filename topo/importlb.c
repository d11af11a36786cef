/*
 * importlb: an internal load balancer as the importers make it (see
 * importcommon.h): the one home of the mapping of Azure's rules and probes
 * onto the topology's "load_balancers" entry (topo/parse_lb.c reads it),
 * for `import az` (azimport_lb.c) and `import terraform` (tflb.c).
 *
 * Must not: know either input format, or print: the importers warn with
 * their file and path.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "../lib/util.h"
#include "importcommon.h"
#include "topo_int.h"

#define IMP_STR_(x)	#x
#define IMP_STR(x)	IMP_STR_(x)

cJSON *
imp_lb_new(const char *name, const char *subnet, uint32_t ip)
{
	cJSON *lb = cJSON_CreateObject(), *fe;
	char buf[ADDR_STRLEN];

	cJSON_AddStringToObject(lb, "name", name);
	fe = cJSON_AddObjectToObject(lb, "frontend");
	cJSON_AddStringToObject(fe, "subnet", subnet);
	cJSON_AddStringToObject(fe, "ip", addr_fmt(ip, buf));
	cJSON_AddArrayToObject(lb, "backends");
	return lb;
}

const char *
imp_lb_backend(cJSON *lb, const char *node)
{
	cJSON *arr = cJSON_GetObjectItemCaseSensitive(lb, "backends"), *el;

	cJSON_ArrayForEach(el, arr)
		if (strcmp(el->valuestring, node) == 0)
			return NULL;	/* listed twice (NIC and address): once */
	if (cJSON_GetArraySize(arr) >= TOPO_LB_BACKENDS_MAX)
		return "more backends than arsemu's bound of "
		    IMP_STR(TOPO_LB_BACKENDS_MAX) ": left out";
	cJSON_AddItemToArray(arr, cJSON_CreateString(node));
	return NULL;
}

static bool
is_port(double p)
{
	return p >= 1 && p <= TOPO_U16_MAX && p == (double)(long long)p;
}

const char *
imp_lb_rule(cJSON *lb, const char *proto, double fport, double bport)
{
	cJSON *rules = cJSON_GetObjectItemCaseSensitive(lb, "rules"), *r, *el;
	bool ha = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(lb,
	    "ha_ports"));

	if (proto != NULL && strcasecmp(proto, "All") == 0) {
		if (fport != 0 || bport != 0)
			return "protocol All with ports other than 0 is not "
			    "HA ports (LB-02): rule not imported";
		if (ha)
			return NULL;
		if (rules != NULL) {
			cJSON_DeleteItemFromObjectCaseSensitive(lb, "rules");
			cJSON_AddBoolToObject(lb, "ha_ports", true);
			return "HA ports balance every port: the port rules "
			    "before it are not imported";
		}
		cJSON_AddBoolToObject(lb, "ha_ports", true);
		return NULL;
	}
	if (proto == NULL || (strcasecmp(proto, "Tcp") != 0 &&
	    strcasecmp(proto, "Udp") != 0))
		return "protocol is not Tcp, Udp or All: rule not imported";
	if (!is_port(fport) || !is_port(bport))
		return "a port rule needs frontend and backend ports of 1 to "
		    "65535: rule not imported";
	if (fport != bport)
		return "frontend and backend ports differ: arsemu's load "
		    "balancers translate no port (LB-02): rule not imported";
	if (ha)
		return "HA ports balance every port already: rule not imported";
	if (rules == NULL)
		rules = cJSON_AddArrayToObject(lb, "rules");
	cJSON_ArrayForEach(el, rules)
		if (strcasecmp(cJSON_GetObjectItemCaseSensitive(el,
		    "protocol")->valuestring, proto) == 0 &&
		    cJSON_GetObjectItemCaseSensitive(el, "port")->valuedouble ==
		    fport)
			return NULL;	/* a second rule of another frontend */
	if (cJSON_GetArraySize(rules) >= TOPO_LB_RULES_MAX)
		return "more rules than arsemu's bound of "
		    IMP_STR(TOPO_LB_RULES_MAX) ": rule not imported";
	r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "protocol", tolower(proto[0]) == 't' ?
	    "Tcp" : "Udp");
	cJSON_AddNumberToObject(r, "port", fport);
	cJSON_AddItemToArray(rules, r);
	return NULL;
}

const char *
imp_lb_probe(cJSON *lb, const char *proto, double port, double interval,
    double threshold, const char *path)
{
	const char *p;
	cJSON *pr;

	if (proto == NULL || (strcasecmp(proto, "Tcp") != 0 &&
	    strcasecmp(proto, "Http") != 0 && strcasecmp(proto, "Https") != 0))
		return "the probe's protocol is not Tcp, Http or Https: probe "
		    "not imported";
	if (!is_port(port))
		return "the probe's port is not 1 to 65535: probe not imported";
	if (interval >= 0 && (interval < TOPO_PROBE_INTERVAL_MIN ||
	    interval > TOPO_PROBE_INTERVAL_MAX ||
	    interval != (double)(long long)interval))
		return "the probe's interval is outside 5 to 3600 seconds: probe "
		    "not imported";
	if (threshold >= 0 && (threshold < 1 || threshold >
	    TOPO_PROBE_THRESHOLD_MAX || threshold != (double)(long long)threshold))
		return "the probe's threshold is outside 1 to 100: probe not "
		    "imported";
	p = strcasecmp(proto, "Tcp") == 0 ? "Tcp" : strcasecmp(proto,
	    "Http") == 0 ? "Http" : "Https";
	pr = cJSON_AddObjectToObject(lb, "probe");
	cJSON_AddStringToObject(pr, "protocol", p);
	cJSON_AddNumberToObject(pr, "port", port);
	cJSON_AddNumberToObject(pr, "interval", interval >= 0 ? interval :
	    TOPO_PROBE_INTERVAL_DEFAULT);
	cJSON_AddNumberToObject(pr, "threshold", threshold >= 0 ? threshold :
	    TOPO_PROBE_THRESHOLD_DEFAULT);
	if (p[0] == 'H' && path != NULL && path[0] != '\0')
		return "the probe's request path is not modelled: the lab "
		    "probes the port as Tcp does (LB-05)";
	return NULL;
}

const char *
imp_lb_done(const cJSON *lb)
{
	if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(lb, "ha_ports")) &&
	    cJSON_GetObjectItemCaseSensitive(lb, "rules") == NULL)
		return "no load-balancing rule arsemu can hold: the frontend "
		    "forwards nothing; load balancer not imported";
	if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(lb,
	    "backends")) == 0)
		return "no NVA in its backend pool: load balancer not imported "
		    "(arsemu's pools hold NVAs, LB-03)";
	if (cJSON_GetObjectItemCaseSensitive(lb, "probe") == NULL)
		return "its rules name no health probe arsemu can hold: load "
		    "balancer not imported (arsemu's load balancers need one, "
		    "LB-05)";
	return NULL;
}

const char *
imp_lb_add(cJSON **arr, cJSON *lb, size_t *n)
{
	const char *ip = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(lb, "frontend"), "ip")->valuestring;
	const cJSON *el;

	if (*n >= TOPO_LBS_MAX)
		return "more load balancers than arsemu's bound of "
		    IMP_STR(TOPO_LBS_MAX) ": not imported";
	cJSON_ArrayForEach(el, *arr)
		if (strcmp(cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(el, "frontend"),
		    "ip")->valuestring, ip) == 0)
			return "its frontend address is another load balancer's: "
			    "not imported";
	if (*arr == NULL)
		*arr = cJSON_CreateArray();
	cJSON_AddItemToArray(*arr, lb);
	(*n)++;
	return NULL;
}
