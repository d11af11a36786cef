/*
 * bgpcmd: a routing change on a running lab, for drills and by hand:
 * `announce PREFIX`, `withdraw PREFIX`, `prepend N` (what a speaker
 * originates, and how long its AS path looks) and
 * `disable PEER`, `enable PEER` (one BGP session, administratively), sent
 * to the node's speaker and recorded in the lab's journal with the same
 * clock as every other event.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/ctlc.h"
#include "../lib/json.h"
#include "../lib/util.h"
#include "bgpcmd.h"
#include "model/bgpconf.h"
#include "lab.h"

static bool
command_ok(const char *cmd)
{
	static const char *const verbs[] = { "announce ", "withdraw ", "disable ",
	    "enable ", "prepend " };
	size_t i;

	for (i = 0; i < NELEM(verbs); i++)
		if (strncmp(cmd, verbs[i], strlen(verbs[i])) == 0 &&
		    cmd[strlen(verbs[i])] != '\0' && strchr(cmd, '\n') == NULL &&
		    strchr(cmd, '"') == NULL)
			return true;
	return false;
}

int
emu_bgp_command(const char *lab, const char *node, const char *cmd,
    char *reply, size_t len)
{
	char sock[300], dir[256], path[320], *line = NULL;
	struct ctlc_reply r;
	struct json j;
	size_t n = 0;
	uint64_t t;
	FILE *f;
	int fd;

	if (!command_ok(cmd)) {
		snprintf(reply, len, "not a routing change: %s (announce PREFIX, "
		    "withdraw PREFIX, prepend N, disable PEER, enable PEER)", cmd);
		return -2;
	}
	emu_speaker_sock(lab, node, sock, sizeof(sock));
	t = mono_ms();
	if (ctlc_request(sock, cmd, 5000, &r) != 0) {
		snprintf(reply, len, "%s runs no BGP speaker in lab %s", node, lab);
		return -1;
	}
	if (r.error != NULL || r.n == 0) {
		snprintf(reply, len, "%s: %s", node, r.error ? r.error : "no answer");
		ctlc_free(&r);
		return -2;
	}
	snprintf(reply, len, "%s", strchr(r.rows[0], '\t') ?
	    strchr(r.rows[0], '\t') + 1 : r.rows[0]);
	ctlc_free(&r);
	snprintf(path, sizeof(path), "%s/journal.jsonl", lab_dir(lab, dir, sizeof(dir)));
	/* the journal's line format (journal.h), written in one write() */
	if ((f = open_memstream(&line, &n)) == NULL)
		return 0;
	json_init_line(&j, f);
	json_obj_begin(&j);
	json_kint(&j, "t_ms", (long long)t);
	json_kstr(&j, "event", "bgp");
	json_kstr(&j, "node", node);
	json_kstr(&j, "command", cmd);
	json_kstr(&j, "result", reply);
	json_obj_end(&j);
	json_end(&j);
	if (fclose(f) == 0 &&
	    (fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)) >= 0) {
		(void)!write(fd, line, n);
		close(fd);
	}
	free(line);
	return 0;
}
