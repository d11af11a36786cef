/*
 * labnsg: the lab's NSGs in its fabric namespace (NS-04, NS-06): the
 * table model/nsgnft.c renders, written to <rundir>/<lab>/nsg.nft and
 * loaded by nft(8) run inside the fabric namespace. It dies with the
 * namespace, as every other object of the lab does.
 */
#ifndef ARSEMU_EMU_LABNSG_H
#define ARSEMU_EMU_LABNSG_H

#include "labns.h"

#define LAB_NFT_BIN	"/usr/sbin/nft"

/* 0, or -1 with c->err set (nft missing, or what nft said). */
int	lab_nsg(struct lab_ctx *c);

#endif
