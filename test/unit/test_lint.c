/* test_lint: every design-trap warning, triggered and not triggered. */
#include <stdlib.h>
#include <string.h>

#include "../../topo/lint.h"
#include "t.h"

/* A hub with two NVAs, cut where timers, NVA a, NVA b and route tables go. */
static const char *const part[] = {
	"{ \"name\": \"l\", ",
	" \"regions\": [ { \"name\": \"r\", \"hub\": {"
	" \"name\": \"hub\", \"address_space\": [\"10.1.0.0/16\"],"
	" \"subnets\": { \"RouteServerSubnet\": \"10.1.1.0/27\", \"nva\": \"10.1.2.0/24\" },"
	" \"route_server\": {}, \"nvas\": ["
	" { \"name\": \"a\", \"subnet\": \"nva\", \"asn\": 65001, ",
	" }, { \"name\": \"b\", \"subnet\": \"nva\", ",
	" } ] }, \"spokes\": [ { \"name\": \"s\", \"address_space\": [\"10.2.0.0/16\"],"
	" \"use_remote_gateways\": true, \"subnets\": { \"d\": \"10.2.1.0/24\" } } ] } ] ",
	" }",
};

static size_t
lint(const char *timers, const char *a, const char *b, const char *rts,
    const char *needle, char *first, size_t len)
{
	char json[4096];
	struct topo_err e;
	struct topo *t;
	size_t i, n = 0;

	snprintf(json, sizeof(json), "%s%s%s%s%s%s%s%s%s", part[0], timers, part[1],
	    a, part[2], b, part[3], rts, part[4]);
	first[0] = '\0';
	if (topo_load_string(json, strlen(json), &t, &e) != 0) {
		snprintf(first, len, "load failed: %.100s: %.300s", e.path, e.msg);
		return (size_t)-1;
	}
	topo_lint(t);
	for (i = 0; i < t->nwarnings; i++)
		if (strstr(t->warnings[i], needle) != NULL) {
			if (n++ == 0)
				snprintf(first, len, "%.500s", t->warnings[i]);
		}
	topo_free(t);
	return n;
}

int
main(void)
{
	const char *fwdef = "\"advertise\": [\"0.0.0.0/0\"]";
	const char *rt_inet = ", \"route_tables\": [ { \"name\": \"rt\", \"subnets\": "
	    "[\"hub/nva\"], \"routes\": [ { \"name\": \"i\", \"prefix\": \"0.0.0.0/0\","
	    " \"next_hop_type\": \"Internet\" } ] } ]";
	char w[600];

	T_EQ(lint("", fwdef, "\"asn\": 65002", "", "RS-22", w, sizeof(w)), 1u,
	    "RS-22: an NVA advertising 0.0.0.0/0 without a UDR to Internet warns: %s", w);
	T_OK(strstr(w, "regions[0].hub.nvas[0].advertise[0]") != NULL,
	    "RS-22: the warning names the JSON path");
	T_EQ(lint("", fwdef, "\"asn\": 65002", rt_inet, "RS-22", w, sizeof(w)), 0u,
	    "RS-22: with a UDR 0.0.0.0/0 -> Internet on the NVA subnet, no warning");
	T_EQ(lint("", "\"advertise\": [\"10.2.0.0/16\"]", "\"asn\": 65002", "", "RS-21",
	    w, sizeof(w)), 1u, "RS-21: an NVA route equal to a served spoke prefix "
	    "warns: %s", w);
	T_EQ(lint("", "\"advertise\": [\"10.1.7.0/24\"]", "\"asn\": 65002", "", "inside",
	    w, sizeof(w)), 1u, "RS-21: an NVA route inside the hub prefix warns");
	T_EQ(lint("", "\"advertise\": [\"10.0.0.0/8\"]", "\"asn\": 65002", "", "RS-21",
	    w, sizeof(w)), 0u, "RS-21: a supernet (10.0.0.0/8) is programmed: no warning");
	T_EQ(lint("", "\"advertise\": [\"10.0.0.0/8\"]", "\"asn\": 65001", "", "share AS",
	    w, sizeof(w)), 1u, "two NVAs with one ASN warn about allowas-in: %s", w);
	T_EQ(lint("", "\"advertise\": [\"10.0.0.0/8\"]", "\"asn\": 65002", "", "share AS",
	    w, sizeof(w)), 0u, "NVAs with their own ASNs: no warning");
	T_EQ(lint("\"timers\": { \"hold\": 180 },", "\"advertise\": []", "\"asn\": 65002",
	    "", "timers.hold", w, sizeof(w)), 1u, "RS-43: hold 180 s warns that drills "
	    "are slow: %s", w);
	T_EQ(lint("\"timers\": { \"hold\": 9 },", "\"advertise\": []", "\"asn\": 65002",
	    "", "timers.hold", w, sizeof(w)), 0u, "hold 9 s: no warning");
	T_EQ(lint("\"timers\": { \"hold\": 0, \"keepalive\": 0 },", "\"advertise\": []",
	    "\"asn\": 65002", "", "never noticed", w, sizeof(w)), 1u,
	    "hold 0: a frozen NVA is never noticed");
	return t_done();
}
