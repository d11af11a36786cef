/*
 * emu: the lab's processes. The lab daemon (SDN controller: Route Server
 * routes in, effective routes out to the fabric), the speaker processes it
 * starts in each node's namespace, and the glue from topology to BGP
 * configuration.
 */
#ifndef ARSEMU_EMU_H
#define ARSEMU_EMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../bgp/bgp.h"
#include "../topo/topo.h"
#include "model/bgpconf.h"
#include "model/sdn.h"

struct nl;
struct nl_route;

/* "<labdir>/<node>.sock" */
char	*emu_speaker_sock(const char *lab, const char *node, char *buf, size_t len);
/* "<labdir>/ctl.sock" */
char	*emu_daemon_sock(const char *lab, char *buf, size_t len);

/* `arsemu _speaker LAB NODE`: run inside the node's namespace. */
int	emu_speaker_main(const char *lab, const char *node);
/* `arsemu _daemon LAB`: the lab daemon; returns when told to stop. */
int	emu_daemon_main(const char *lab);

/*
 * The fabric's kernel routes (fabric.c). A NIC's effective routes become
 * kernel routes (one table per subnet and one per group of subnets, see
 * share.h); interface indexes are looked up once and kept here.
 */
struct fabric {
	struct nl		*nl;
	const struct topo	*t;
	int			*ifindex;	/* [t->nnics] */
	int			 inet, none;	/* the edge links, -1 none */
};

void	fabric_init(struct fabric *f, struct nl *nl, const struct topo *t);
void	fabric_free(struct fabric *f);
/* The active routes of tab as kernel routes, sorted by prefix (caller frees); thread-safe. */
size_t	fabric_kernel_routes(const struct fabric *f, const struct sdn_table *tab,
	    struct nl_route **out);
/*
 * Make `table` hold exactly want[0..n) (sorted by prefix): dump what the
 * kernel has (protocol RTPROT_ARSEMU), replace what differs, delete what is
 * stale, in one batch. *changes counts the netlink requests sent.
 */
int	fabric_sync_table(struct nl *nl, uint32_t table, struct nl_route *want,
	    size_t n, unsigned *changes);

struct emu_status {
	unsigned	sessions;	/* Route Server peerings */
	unsigned	established;
	bool		converged;	/* every session Established, EoR seen */
	unsigned	failures;	/* `fail`s not restored yet */
	uint64_t	now;		/* the daemon's mono_ms() */
	uint64_t	last_change;	/* last fabric change, mono_ms() */
};

/* Ask the lab daemon for its status; -1 if it does not answer. */
int	emu_lab_status(const char *lab, struct emu_status *st);
/*
 * Build the lab of `t` (its name is the lab's), start its daemon and wait
 * up to wait_s for BGP to converge. 0 converged; 1 up but not converged
 * (err says so); -1 failed and torn down (err says why).
 */
int	emu_lab_up(const struct topo *t, const char *file, int wait_s, bool tty,
	    char *err, size_t len);

/* One received probe packet, as `_probe recv` writes it. */
struct probe_rec {
	uint32_t	flow;
	uint32_t	seq;
	uint64_t	sent_us;	/* CLOCK_MONOTONIC */
	uint64_t	recv_us;
};

/* `arsemu _probe send|recv ...` (argv without the command name). */
int	emu_probe_main(int argc, char **argv);

/*
 * A routing change on node's speaker (announce/withdraw PREFIX, disable/
 * enable PEER), journalled. 0 done (reply says what), -1 no speaker, -2 a
 * bad command or refused (reply says why).
 */
int	emu_bgp_command(const char *lab, const char *node, const char *cmd,
	    char *reply, size_t len);

/* Blackhole (on) or restore a NIC in both directions; see fail.c. */
int	fail_blackhole(const char *lab, const struct topo_nic *nic, bool on,
	    char *err, size_t len);
/* "A/B" (either order): the gateway link between nodes A and B, or NULL. */
const struct topo_gwlink *fail_gwlink_find(const struct topo *t,
	    const char *target);
/* Cut (on) or mend a gateway link at both ends; see fail.c. */
int	fail_gwlink(const char *lab, const struct topo_gwlink *l, bool on,
	    char *err, size_t len);
/* Move node's local-table rule after the cuts (late) or back to 0. */
int	fail_local_late(const char *lab, const struct topo_node *n, bool late,
	    char *err, size_t len);

#endif
