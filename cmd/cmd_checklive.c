/*
 * cmd_checklive: `arsemu check --live`. See check_live.h.
 */
#include "check_live.h"

int
check_live(struct cli *c, const struct topo *t, const struct plan *p,
    const struct suite *s, struct check_result *res, size_t *failed)
{
	(void)c; (void)t; (void)p; (void)s; (void)res; (void)failed;
	return cli_err(CLI_ENV, "check --live: not built yet");
}
