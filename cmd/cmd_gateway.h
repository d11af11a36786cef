/*
 * cmd_gateway: `arsemu gateway NAME learned | advertised [--json]`, like
 * `az network vnet-gateway list-learned-routes / list-advertised-routes`.
 */
#ifndef ARSEMU_CMD_GATEWAY_H
#define ARSEMU_CMD_GATEWAY_H

struct cli;

int	cmd_gateway(struct cli *c);

#endif
