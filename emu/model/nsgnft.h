/*
 * nsgnft: the NSGs of a topology as nftables rules for the lab's fabric
 * namespace, where Azure enforces them (NS-04, NS-06). One table; per NIC
 * with an NSG a set of its VirtualNetwork prefixes (NS-03), a chain per
 * direction that jumps to one chain per NSG in Azure's order, each holding
 * that NSG's rules of the direction in priority order, defaults last (an
 * allowing rule returns to the next NSG, a denying one drops); the base
 * chain on the forward hook accepts established and related packets
 * first, then jumps by iifname n<i> (the NIC sends: outbound) and oifname
 * n<i> (the NIC receives: inbound). Each rule counts its packets and is
 * commented "NSG/rule".
 *
 * Pure: writes text to f; emu/labnsg.c hands it to nft.
 */
#ifndef ARSEMU_EMU_NSGNFT_H
#define ARSEMU_EMU_NSGNFT_H

#include <stddef.h>
#include <stdio.h>

#include "../../topo/topo.h"

#define NSG_NFT_TABLE	"arsemu_nsg"

/* The table; returns the NICs with an NSG (0: nothing written). */
size_t	nsg_nft_render(const struct topo *t, FILE *f);

#endif
