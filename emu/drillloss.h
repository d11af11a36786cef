/*
 * drillloss: what a drill's probe records say a flow lost, and when
 * (emu/drill.c reads the records; the rules are here, without a lab, so
 * that test_drillloss can hold them to their cases). man/arsemu-drill.5.
 */
#ifndef ARSEMU_EMU_DRILLLOSS_H
#define ARSEMU_EMU_DRILLLOSS_H

#include <stddef.h>
#include <stdint.h>

#include "drill.h"
#include "probe.h"

/* By flow, then sequence; PROBE_FLOW_DROPS records last. */
void	drill_recs_sort(struct probe_rec *v, size_t n);

/*
 * One flow's records v[0..n) (sorted, all of one flow), SENT packets sent
 * INTERVAL_US apart, into fl's windows; window times are ms since T0_MS
 * (CLOCK_MONOTONIC ms when the drill started).
 */
void	drill_loss_udp(struct drill_flow *fl, const struct probe_rec *v,
	    size_t n, unsigned sent, uint64_t interval_us, uint64_t t0_ms);
void	drill_loss_tcp(struct drill_flow *fl, const struct probe_rec *v,
	    size_t n, unsigned sent, uint64_t interval_us, uint64_t t0_ms);

/* The worst flow of TRAFFIC: its loss in the windows whose middle is in [from, to). */
long	drill_loss_in(const struct drill_report *rep, const char *traffic,
	    long from, long to);

#endif
