/*
 * bfd: Bidirectional Forwarding Detection, RFC 5880 asynchronous mode for
 * single-hop IPv4 sessions (RFC 5881), as BGP's fast failure detector
 * (RFC 5882). GW-10: the MSEE runs it on every ExpressRoute private peering.
 *
 * Two halves. The core (bfd.c) is pure: a control packet codec and one
 * session's state machine, driven by (time, received packet) and asked what
 * to send when; no sockets, no clock, so tests run it on a fake clock. The
 * socket layer (bfdsock.c) owns the UDP sockets of RFC 5881 and the clock.
 *
 * Not implemented, and refused where the wire could ask for it: demand mode
 * (we never set D and ignore the peer's), echo (we ask for none),
 * authentication (a packet with the A bit is discarded: no session of ours
 * is configured with it), multipoint.
 */
#ifndef ARSEMU_BFD_H
#define ARSEMU_BFD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/buf.h"

#define BFD_VERSION		1
#define BFD_PKT_LEN		24	/* the mandatory section, RFC 5880 4.1 */
#define BFD_PKT_LEN_AUTH	26	/* ... plus the smallest auth section */
#define BFD_PORT		3784	/* RFC 5881 4: single-hop control */
#define BFD_SPORT_MIN		49152	/* RFC 5881 4: source ports */
#define BFD_SPORT_MAX		65535
#define BFD_TTL			255	/* RFC 5881 5: sent, and required */
#define BFD_SLOW_TX_US		1000000u	/* RFC 5880 6.8.3: >= 1 s until Up */

/* RFC 5880 4.1, the State field */
enum bfd_state {
	BFD_ADMIN_DOWN = 0,
	BFD_DOWN = 1,
	BFD_INIT = 2,
	BFD_UP = 3,
};

/* RFC 5880 4.1, the Diagnostic field */
enum bfd_diag {
	BFD_DIAG_NONE = 0,
	BFD_DIAG_TIME_EXPIRED = 1,	/* Control Detection Time Expired */
	BFD_DIAG_ECHO_FAILED = 2,
	BFD_DIAG_NEIGHBOR_DOWN = 3,	/* Neighbor Signaled Session Down */
	BFD_DIAG_FWD_RESET = 4,
	BFD_DIAG_PATH_DOWN = 5,
	BFD_DIAG_CONCAT_DOWN = 6,
	BFD_DIAG_ADMIN_DOWN = 7,
	BFD_DIAG_REV_CONCAT_DOWN = 8,
};
#define BFD_DIAG_MAX		31	/* five bits */

/* One control packet; intervals in microseconds, as on the wire. */
struct bfd_pkt {
	uint8_t		 version;
	uint8_t		 diag;
	uint8_t		 state;		/* enum bfd_state */
	bool		 poll, final, cpi, auth, demand, multipoint;
	uint8_t		 detect_mult;
	uint8_t		 length;
	uint32_t	 my_disc;
	uint32_t	 your_disc;
	uint32_t	 des_min_tx;
	uint32_t	 req_min_rx;
	uint32_t	 req_min_echo_rx;
};

/* Why a packet was discarded: the checks of RFC 5880 6.8.6, in its order. */
enum bfd_err {
	BFD_OK = 0,
	BFD_ERR_SHORT,		/* fewer bytes than the mandatory section */
	BFD_ERR_VERSION,
	BFD_ERR_LENGTH,		/* Length below the minimum */
	BFD_ERR_TRUNCATED,	/* Length beyond the bytes received */
	BFD_ERR_MULT,		/* Detect Mult is zero */
	BFD_ERR_MULTIPOINT,
	BFD_ERR_MY_DISC,	/* My Discriminator is zero */
	BFD_ERR_YOUR_DISC,	/* Your Discriminator zero outside Down/AdminDown */
	BFD_ERR_AUTH,		/* A bit set: no session here uses authentication */
	BFD_ERR_NO_SESSION,	/* Your Discriminator names no session */
	BFD_ERR_TTL,		/* RFC 5881 5: not received with TTL 255 */
	BFD_ERR_ADMIN_DOWN,	/* our session is AdminDown: packets ignored */
};

/*
 * Parse `len` received bytes; every reception check of RFC 5880 6.8.6 that
 * needs no session. 0 or -1 with *err set. Bytes past Length are ignored.
 */
int	bfd_parse(const uint8_t *p, size_t len, struct bfd_pkt *pkt,
	    enum bfd_err *err);
/* Append the 24-byte packet; -1 if it does not fit (w->err). */
int	bfd_build(struct wbuf *w, const struct bfd_pkt *pkt);
const char *bfd_err_str(enum bfd_err e);
const char *bfd_state_str(enum bfd_state st);
const char *bfd_diag_str(enum bfd_diag d);

/*
 * One session: the state variables of RFC 5880 6.8.1 (bfd.X is s->x) and
 * its two timers. Times are microseconds of one monotonic clock the caller
 * owns; 0 means a timer is not running.
 */
struct bfd_session {
	/* configured */
	uint32_t	 cfg_tx;		/* DesiredMinTxInterval once Up */
	uint32_t	 cfg_rx;		/* RequiredMinRxInterval */
	uint8_t		 detect_mult;
	/* RFC 5880 6.8.1 */
	enum bfd_state	 state;
	enum bfd_state	 remote_state;
	uint32_t	 local_disc;
	uint32_t	 remote_disc;
	enum bfd_diag	 local_diag;
	uint32_t	 des_min_tx;
	uint32_t	 req_min_rx;
	uint32_t	 remote_min_rx;
	uint32_t	 remote_des_min_tx;	/* last received Desired Min TX */
	uint8_t		 remote_mult;
	/* Poll Sequence (6.5) */
	bool		 poll;			/* P on what we send until F comes */
	bool		 final_due;		/* send F at once (6.8.7) */
	/* timers */
	uint64_t	 t_tx;
	uint64_t	 last_tx;		/* the last periodic packet */
	uint64_t	 t_detect;
	uint64_t	 detect_us;		/* the Detection Time in force */
	unsigned	 seed;			/* jitter */
	/* what happened, for logs and `peers` */
	enum bfd_state	 prev_state;		/* before the last change */
	uint64_t	 changed_at;
	unsigned	 ups, downs;
	uint64_t	 rx, tx, rx_bad;
};

/*
 * A session in Down, transmitting at 1 s until Up (6.8.3). tx_us, rx_us:
 * the intervals to run at once Up; mult: Detect Mult; local_disc: nonzero
 * and unique among the caller's sessions; seed: for the jitter.
 */
void	bfd_session_init(struct bfd_session *s, uint32_t local_disc,
	    uint32_t tx_us, uint32_t rx_us, uint8_t mult, unsigned seed,
	    uint64_t now);
/*
 * A parsed packet demultiplexed to s (6.8.6 from "If the Your
 * Discriminator field is nonzero" on). Returns 1 if the session state
 * changed (s->prev_state holds the old one), 0 if not, -1 if discarded
 * (*err says why).
 */
int	bfd_session_recv(struct bfd_session *s, const struct bfd_pkt *pkt,
	    uint64_t now, enum bfd_err *err);
/* The Detection Time: returns 1 if it expired and the session went Down. */
int	bfd_session_expire(struct bfd_session *s, uint64_t now);
/*
 * Is a packet due now (periodic, or a Final)? If so *pkt is what to send
 * and the next transmission is scheduled, jittered (6.8.7).
 */
bool	bfd_session_tx(struct bfd_session *s, uint64_t now, struct bfd_pkt *pkt);
/* AdminDown (diag 7) or back to Down; returns 1 if the state changed. */
int	bfd_session_admin(struct bfd_session *s, bool down, uint64_t now);
/* The nearest deadline of the session's timers; 0 if none runs. */
uint64_t bfd_session_next(const struct bfd_session *s);
/* The next transmission interval before jitter: max(DesiredMinTx, RemoteMinRx). */
uint32_t bfd_session_tx_interval(const struct bfd_session *s);
/* One jittered interval for `base` (exposed for tests): 6.8.7's bounds. */
uint64_t bfd_jitter(uint32_t base, uint8_t detect_mult, unsigned *seed);

#endif
