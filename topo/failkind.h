/*
 * failkind: the kinds of failure `arsemu fail` and a drill's "fail" step
 * inject (the lab daemon's fault.c carries them out). One table of names:
 * parse and print only through it.
 */
#ifndef ARSEMU_TOPO_FAILKIND_H
#define ARSEMU_TOPO_FAILKIND_H

enum fail_kind {
	FAIL_CRASH,		/* the speaker is killed */
	FAIL_FREEZE,		/* speaker stopped, NIC blackholed */
	FAIL_SHUTDOWN,		/* the speaker stops gracefully */
	FAIL_LINK,		/* the NIC or a gateway link is cut */
	FAIL_DOWN,		/* powered off: every link cut, speaker killed */
	FAIL_PROBE,		/* a load balancer backend's probed service stops */
};

/* "crash", ...: 0 and *k set, or -1 if s names no kind. */
int	fail_kind_parse(const char *s, enum fail_kind *k);
const char *fail_kind_name(enum fail_kind k);
/* "crash, freeze, shutdown, link, down, probe" joined by sep ("|" or ", "). */
const char *fail_kind_list(const char *sep);

#endif
