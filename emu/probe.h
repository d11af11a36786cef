/*
 * probe: the traffic probes a drill sends and counts.
 */
#ifndef ARSEMU_EMU_PROBE_H
#define ARSEMU_EMU_PROBE_H

#include <stdint.h>

/*
 * One received probe packet, as `_probe recv` writes it. A record with
 * flow PROBE_FLOW_DROPS is no packet: seq is how many datagrams the
 * receiving socket had dropped by then (its buffer full), counted by the
 * kernel.
 */
struct probe_rec {
	uint32_t	flow;
	uint32_t	seq;
	uint64_t	sent_us;	/* CLOCK_MONOTONIC */
	uint64_t	recv_us;	/* the kernel's arrival stamp, CLOCK_MONOTONIC */
};

#define PROBE_FLOW_DROPS	UINT32_MAX

/* `arsemu _probe send|recv ...` (argv without the command name). */
int	emu_probe_main(int argc, char **argv);

#endif
