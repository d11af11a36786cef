/*
 * nsgnft: the NSGs of a topology as nftables rules for the lab's fabric
 * namespace, where Azure enforces them (NS-04, NS-06). One table. Per
 * subnet with an NSG'd NIC a set of its VirtualNetwork prefixes (NS-03,
 * adjacent halves merged) and, per NSG acting there and direction, a
 * chain "s<v>_<k>_g<i>_in|out" of that NSG's rules in priority order,
 * defaults last (an allowing rule returns, a denying one drops); the NICs
 * of a subnet share them. A NIC on which two NSGs act has a chain
 * "n<i>_in|out" jumping to both in Azure's order. The base chain on the
 * forward hook accepts established and related packets first, then
 * jumps through two verdict maps: iifname n<i> (the NIC sends: outbound)
 * and oifname n<i> (the NIC receives: inbound). Each rule counts its
 * packets and is commented "NSG/rule".
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
