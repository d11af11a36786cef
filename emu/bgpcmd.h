/*
 * bgpcmd: a routing change on a node's speaker.
 */
#ifndef ARSEMU_EMU_BGPCMD_H
#define ARSEMU_EMU_BGPCMD_H

#include <stddef.h>

/*
 * A routing change on node's speaker (announce/withdraw PREFIX, disable/
 * enable PEER), journalled. 0 done (reply says what), -1 no speaker, -2 a
 * bad command or refused (reply says why).
 */
int	emu_bgp_command(const char *lab, const char *node, const char *cmd,
	    char *reply, size_t len);

#endif
