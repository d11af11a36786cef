/*
 * bgpd.h: the speaker's internal types, shared by fsm.c, session.c, rib.c,
 * slab.c, decide.c, export.c, rs.c, speaker.c and ctl.c. Not for use
 * outside bgp/.
 */
#ifndef ARSEMU_BGPD_H
#define ARSEMU_BGPD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bfd.h"
#include "bgp.h"
#include "msg.h"
#include "ratelim.h"

/* RFC 9384: Cease subcode for a session closed because BFD went down. */
#define BGP_CEASE_BFD_DOWN	10

enum peer_state {
	ST_IDLE,
	ST_CONNECT,
	ST_ACTIVE,
	ST_OPENSENT,
	ST_OPENCONFIRM,
	ST_ESTABLISHED,
};

/* RFC 4271 8.1, the events this implementation uses. */
enum fsm_event {
	EV_START = 1,			/* ManualStart / AutomaticStart */
	EV_STOP = 2,			/* ManualStop */
	EV_AUTO_START_PASSIVE = 5,	/* AutomaticStart_with_PassiveTcpEstablishment */
	EV_CONNECT_RETRY_EXPIRES = 9,
	EV_HOLD_EXPIRES = 10,
	EV_KEEPALIVE_EXPIRES = 11,
	EV_TCP_CONFIRMED = 17,		/* we accepted the peer's connection */
	EV_TCP_ACKED = 16,		/* our connect() completed */
	EV_TCP_FAILS = 18,
	EV_OPEN = 19,
	EV_HEADER_ERR = 21,
	EV_OPEN_ERR = 22,
	EV_NOTIFICATION = 25,
	EV_KEEPALIVE = 26,
	EV_UPDATE = 27,
	EV_UPDATE_ERR = 28,
	EV_ROUTE_REFRESH = 100,		/* not in the RFC's list; handled in Established */
};


struct speaker;

struct peer {
	struct speaker		*s;
	const struct bgp_peer_conf *conf;
	unsigned		 idx;		/* bit in rib_entry.pending */
	enum peer_state		 state;
	int			 fd;
	bool			 outgoing;	/* fd came from our connect() */
	/*
	 * A second connection the peer opened while fd was in OpenSent or
	 * OpenConfirm: it gets our OPEN and waits for the peer's, which
	 * settles the collision (RFC 4271 6.8).
	 */
	int			 cfd;
	uint8_t			*cbuf;
	size_t			 clen;
	uint64_t		 t_collision;	/* give up on cfd */
	/* timer deadlines in mono_ms(); 0 = stopped */
	uint64_t		 t_connect_retry;
	uint64_t		 t_hold;
	uint64_t		 t_keepalive;
	unsigned		 hold;		/* negotiated, s */
	unsigned		 keepalive;	/* s */
	struct bgp_codec	 codec;
	uint32_t		 remote_id;
	uint32_t		 remote_as;
	bool			 remote_rr;	/* peer can do route refresh */
	bool			 admin_down;	/* disabled by `disable`: stays Idle */
	/*
	 * After a reset for the route limit (RS-40, GW-05, GW-07) the peer
	 * stays Idle, refusing connections, until t_limit_hold: 30 s, twice
	 * as long after each further one, 10 min at most (nlimit so far).
	 */
	uint64_t		 t_limit_hold;
	unsigned		 nlimit;
	uint8_t			*rbuf;
	size_t			 rlen;
	uint8_t			*obuf;
	size_t			 olen, ooff, ocap;
	/*
	 * The output queue reached its cap (BGP_OUTQ_MAX) and a message was
	 * dropped: the session must close (speaker.c, after the export pass).
	 */
	bool			 oflow;
	/* what the peer gave us */
	size_t			 nroutes;	/* paths held in the Adj-RIB-In */
	size_t			 naccepted;	/* ... of which import policy accepted */
	bool			 eor_rcvd;
	bool			 eor_sent;
	bool			 sync_pending;	/* initial table dump not yet queued */
	size_t			 nadvertised;	/* prefixes announced to the peer */
	/* counters and history, for `peers` */
	uint64_t		 up_since;	/* mono_ms() when Established */
	unsigned		 flaps;
	uint64_t		 msgs_in, msgs_out, updates_in, updates_out;
	struct ratelim		 malformed;	/* its RFC 7606 log lines */
	unsigned		 refresh_in, refresh_out;
	char			 last_error[384];	/* room for an RFC 8203 text */
	/* BFD (bfdsock.c): conf->bfd_mult != 0; bfd_fd sends, the speaker's
	 * bfd_rfd receives */
	struct bfd_session	 bfd;
	int			 bfd_fd;
};

/*
 * One path: 32 bytes. Its attributes are the RIB's interned copy (rib.c),
 * shared by every path that carries an equal set: read them, never change
 * or free them. Two paths of one RIB have equal attributes exactly when
 * their attrs pointers are equal.
 */
struct rib_path {
	struct rib_path		*next;
	struct peer		*peer;		/* NULL: originated by this speaker */
	const struct bgp_attrs	*attrs;
	const char		*reject;	/* NULL: eligible; else why not (U-09) */
};

/* Laid out for size (64 bytes, a cache line): one of these per prefix. */
struct rib_entry {
	struct pfx4		 pfx;
	struct rib_entry	*hnext;
	struct rib_path		*paths;
	struct rib_path		*best;		/* Loc-RIB */
	uint64_t		 pending;	/* peers whose Adj-RIB-Out needs a look */
	/*
	 * Adj-RIB-Out, for all peers at once: adv has a bit for each peer the
	 * prefix is announced to. What they were sent is the export of the
	 * best path of source xsrc (rib_xsrc()) as it was when xvalid was
	 * set; a change to that source's path on this prefix clears xvalid.
	 */
	uint64_t		 adv;
	/* what the FIB was last told: rib_fib_nh(); many is malloc'd */
	union {
		uint32_t	 one;
		uint32_t	*many;
	}			 fib_nh;
	uint16_t		 fib_hops;
	uint8_t			 fib_nnh;
	uint8_t			 xsrc;
	bool			 dirty:1;	/* decision must run again */
	bool			 queued:1;	/* pending peers to export to */
	bool			 listed:1;	/* in rib.work */
	bool			 xvalid:1;
};

#define RIB_XSRC_SELF	0xff	/* xsrc of a path this speaker originates */

static inline uint8_t
rib_xsrc(const struct peer *from)
{
	return from == NULL ? RIB_XSRC_SELF : (uint8_t)from->idx;
}

static inline uint64_t
rib_peer_bit(const struct peer *p)
{
	return 1ull << p->idx;
}

static inline const uint32_t *
rib_fib_nh(const struct rib_entry *e)
{
	return e->fib_nnh > 1 ? e->fib_nh.many : &e->fib_nh.one;
}

/* slab.c: fixed-size objects from large chunks; zeroed on allocation. */
struct slab_chunk;
struct slab_region;
struct slab {
	size_t			 size;
	struct slab_region	*regions;	/* all of them */
	struct slab_chunk	*partial;	/* chunks with a returned object */
	struct slab_chunk	*cur;		/* the chunk being carved */
	uint8_t			*next;		/* its unused part */
	size_t			 left;
	bool			 zero;		/* ... which is zero bytes */
	size_t			 nobj;		/* objects in use */
	size_t			 nempty;	/* chunks with none, still mapped */
};
void	slab_init(struct slab *s, size_t size);
void	*slab_alloc(struct slab *s);
void	slab_put(struct slab *s, void *p);
/* The empty chunks' memory back to the kernel. */
void	slab_trim(struct slab *s);
void	slab_free_all(struct slab *s);

struct rib_attrs;

struct rib {
	struct rib_entry	**buckets;
	size_t			 nbuckets;
	size_t			 count;
	/*
	 * Entries that are dirty or have exports pending, in the order they
	 * became so: an array, so that a pass can fetch entries ahead of use.
	 */
	struct rib_entry	**work;
	size_t			 nwork, workcap;
	struct slab		 entries, paths;
	/* attribute sets held by paths, one shared copy of each (rib.c) */
	struct rib_attrs	**attrs;
	size_t			 nattrs, nattrbuckets;
};

struct ctl;
struct pollfd;

struct speaker {
	const struct bgp_conf	*conf;
	struct peer		 peers[BGP_MAX_PEERS];
	unsigned		 npeers;
	struct rib		 rib;
	int			 lfd;		/* listening socket */
	int			 bfd_rfd;	/* BFD control, UDP 3784; -1: none */
	struct ctl		*ctl;
	uint64_t		 started;
	bool			 quit;
	unsigned		 prepend;	/* on originated routes; conf's, or set at run time */
	size_t			 rib_peak;	/* RIB entries at most since the last trim */
	size_t			 rib_trimmed;	/* RIB entries at the last trim, or fewer since */
	uint64_t		 grow_trim;	/* after growth: trim at this quiet time (0: none) */
	/* log lines for connections from addresses that are no peer */
	struct ratelim		 refused;
};

/* rib.c */
void	rib_init(struct rib *r);
void	rib_free(struct rib *r);
struct rib_entry *rib_lookup(struct rib *r, const struct pfx4 *p);
struct rib_entry *rib_get(struct rib *r, const struct pfx4 *p);
/* Hints for batches: stages 0, 1, 2 for a prefix looked up soon. */
void	rib_prefetch(struct rib *r, const struct pfx4 *p, int stage);
struct rib_path *rib_path_find(struct rib_entry *e, const struct peer *peer);
/*
 * The RIB's interned copy of a, with one more reference: for one UPDATE's
 * attributes, set on many paths with rib_set_path_shared() and then let go
 * with rib_attrs_put().
 */
const struct bgp_attrs *rib_attrs_get(struct rib *r, const struct bgp_attrs *a);
void	rib_attrs_put(struct rib *r, const struct bgp_attrs *ia);
/* The peer's path on e now carries ia (interned). Marks the entry dirty. */
void	rib_set_path_shared(struct rib *r, struct rib_entry *e,
	    struct peer *peer, const struct bgp_attrs *ia, const char *reject);
/* The same for attributes of the caller's; *a stays the caller's. */
void	rib_set_path(struct rib *r, struct rib_entry *e, struct peer *peer,
	    const struct bgp_attrs *a, const char *reject);
/* Returns true if the peer had a path there. */
bool	rib_del_path(struct rib *r, struct rib_entry *e, const struct peer *peer);
void	rib_mark_dirty(struct rib *r, struct rib_entry *e);
void	rib_queue_export(struct rib *r, struct rib_entry *e, uint64_t peers);
/*
 * Hand the work list to a pass (*n entries, room for *cap), and back
 * with rib_done_work() when the pass is over. Entries stay `listed` until
 * the pass clears it; anything marked meanwhile goes on a new list.
 */
struct rib_entry **rib_take_work(struct rib *r, size_t *n, size_t *cap);
void	rib_done_work(struct rib *r, struct rib_entry **v, size_t cap);
/* One next hop lives in the entry; more in an array of their own. */
void	rib_set_fib_nh(struct rib_entry *e, const uint32_t *nh, unsigned nnh);
/* Free the entries of v[0..n) that hold no path and are on no list. */
void	rib_gc(struct rib *r, struct rib_entry **v, size_t n);
/*
 * Memory the table no longer needs back to the kernel: buckets past what
 * its size needs, empty slab chunks. For a quiet moment (the speaker calls
 * it when there is nothing to read), not in the middle of a withdrawal.
 */
void	rib_trim(struct rib *r);
void	rib_foreach(struct rib *r, void (*fn)(struct rib_entry *, void *), void *arg);
/* Entries sorted by prefix, for stable output. *out malloc'd. */
size_t	rib_sorted(struct rib *r, struct rib_entry ***out);


/* decide.c */
struct decision {
	struct rib_path	*best;
	uint32_t	 nh[BGP_MAX_ECMP];	/* FIB next hops, sorted, distinct */
	unsigned	 nnh;
	unsigned	 hops;
};
void	decide(const struct speaker *s, struct rib_entry *e, struct decision *d);
/* <0 if a is better than b; exposed for tests. */
int	decide_cmp(const struct speaker *s, const struct rib_path *a,
	    const struct rib_path *b);

/* export.c: decisions and exports for everything on the work list */
void	export_pass(struct speaker *s);

/* rs.c: import and export policy */
const char *policy_import(const struct speaker *s, const struct peer *from,
	    const struct bgp_attrs *a);
/* The same for one prefix: why `from`'s route to p is refused, or NULL. */
const char *policy_import_pfx(const struct speaker *s, const struct peer *from,
	    const struct pfx4 *p);
/* Fill *out with what `to` should receive for e's best path; false: nothing. */
bool	policy_export(const struct speaker *s, const struct peer *to,
	    const struct rib_entry *e, struct bgp_attrs *out);
/*
 * Whether export to `to` depends on the prefix as well as on the best
 * path's source and attributes (if not, one answer serves a run of
 * prefixes with the same best path).
 */
bool	policy_export_by_prefix(const struct speaker *s, const struct peer *to);

/* fsm.c */
void	fsm_event(struct peer *p, enum fsm_event ev, struct bgp_msg *m);
/*
 * The route limit was passed (the NOTIFICATION is sent): Idle, held down
 * 30 s, then twice as long after each further time, 10 min at most.
 */
void	fsm_limit_reset(struct peer *p);
/* Disabled, or held down after a route limit: Idle, refusing connections. */
bool	fsm_held_down(const struct peer *p);
/*
 * Close an open or established session with Cease / subcode (RFC 4486);
 * `text` goes out as the RFC 8203 shutdown communication with subcodes 2
 * and 4, and into last_error. Then Idle.
 */
void	fsm_cease(struct peer *p, uint8_t subcode, const char *text);
/* Our OPEN for this peer. */
int	fsm_build_open(const struct peer *p, struct wbuf *w);
/*
 * Collision settled for the peer's second connection: fd now is that
 * connection, our OPEN went out on it and `m` is the peer's OPEN.
 */
void	fsm_adopt(struct peer *p, struct bgp_msg *m);
const char *fsm_state_str(enum peer_state st);
const char *fsm_event_str(enum fsm_event ev);

/* session.c */
int	session_listen(struct speaker *s);
void	session_accept(struct speaker *s);
/*
 * Sum up the refused connections whose log lines were held back, once
 * their interval is over (s->refused); for the timers.
 */
void	session_refused_due(struct speaker *s, uint64_t now);
/* The count of malformed UPDATEs held back from the log, once due. */
void	session_malformed_due(struct peer *p, uint64_t now);
int	session_connect(struct peer *p);
void	session_close(struct peer *p);
/*
 * Queue a message and try to write what is queued. Past the cap
 * (bgp_conf.outq_max) a message is dropped and p->oflow set; a NOTIFICATION,
 * always followed by the close, is let through.
 */
void	session_send(struct peer *p, const void *msg, size_t len);
/*
 * Only queue it: a table's worth of UPDATEs leaves in a few large writes
 * (session_flush) instead of one write per 4096-byte message.
 */
void	session_queue(struct peer *p, const void *msg, size_t len);
void	session_send_notify(struct peer *p, uint8_t code, uint8_t subcode,
	    const void *data, size_t len);
/*
 * The queue overflowed: what is not yet written is dropped from the first
 * whole message on, so that the NOTIFICATION follows a whole message.
 */
void	session_drop_queue(struct peer *p);
/* The peer's cap on its output queue, in bytes. */
size_t	session_outq_max(const struct peer *p);
/* Read what is there and feed whole messages to the FSM, at most `budget`. */
void	session_read(struct peer *p, unsigned budget);
int	session_flush(struct peer *p);
/* A whole message (or a framing error) waits in the read buffer. */
bool	session_pending(const struct peer *p);
/* Our connect() finished (or failed): the matching FSM event. */
void	session_connect_done(struct peer *p);
/* Input on the colliding connection p->cfd. */
void	session_collision_read(struct peer *p);
void	session_collision_close(struct peer *p);
/*
 * RFC 8203 / RFC 9003: the shutdown communication in a Cease NOTIFICATION's
 * data, as printable text (controls replaced); "" if there is none.
 */
void	session_shutdown_text(const struct bgp_notify *n, char *out, size_t len);

/*
 * bfdsock.c: the RFC 5881 sockets of the peers with BFD, on the clock of
 * mono_ms(). open: -1 if BFD cannot run (logged; BGP runs without it).
 */
int	bfdsock_open(struct speaker *s);
void	bfdsock_close(struct speaker *s);
/* Datagrams waiting on bfd_rfd, each to its session. */
void	bfdsock_read(struct speaker *s);
/* Detection Times and transmissions that are due. */
void	bfdsock_run(struct speaker *s);
/* The nearest BFD deadline in mono_ms(), rounded up; 0: none. */
uint64_t bfdsock_next(const struct speaker *s);
/* Every session AdminDown (a peering disabled, the speaker stopping). */
void	bfdsock_admin(struct peer *p, bool down);

/* md5.c: RFC 2385 key for connections with addr on fd ("" deletes it). */
int	md5_set(int fd, uint32_t addr, const char *key);

/* speaker.c: hooks the FSM calls */
/* Peers in Established, one bit each. */
uint64_t speaker_established(const struct speaker *s);
void	speaker_peer_up(struct peer *p);
void	speaker_peer_down(struct peer *p);
/*
 * The peer's BFD session changed state (p->bfd.prev_state to p->bfd.state):
 * logged, and from Up to Down the BGP session is closed (RFC 5882 4.3).
 */
void	speaker_bfd_change(struct peer *p);
/* Returns -1 after it has reset the session (route limit). */
int	speaker_update(struct peer *p, struct bgp_update *u);
void	speaker_route_refresh(struct peer *p, uint16_t afi, uint8_t safi);
/* Run-time changes for drills: one originated prefix on or off; a peering
 * administratively down or up. Each returns what was done, for ctl. */
const char *speaker_originate(struct speaker *s, const struct pfx4 *p, bool on);
const char *speaker_admin(struct peer *p, bool down);
const char *speaker_set_prepend(struct speaker *s, unsigned n);
void	speaker_log(const struct speaker *s, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* A session state change, as a text or JSON log line. */
void	speaker_log_state(const struct peer *p, enum peer_state from,
	    enum peer_state to, const char *cause);
/*
 * Ask the peer for its routes again (RFC 2918): a ROUTE-REFRESH, or a hard
 * reset for a peer without the capability (RS-44). Returns what was done.
 */
const char *speaker_refresh(struct peer *p);
/* Set up and tear down a speaker without running it (tests drive the FSM). */
void	speaker_init(struct speaker *s, const struct bgp_conf *c);
void	speaker_fini(struct speaker *s);

/*
 * mrt.c: write the RIB as MRT TABLE_DUMP_V2; -1 with errno on an error
 * (ELOOP: path is a symbolic link, EINVAL: not a regular file, EMLINK: a
 * file with another name).
 */
int	mrt_dump(const struct speaker *s, const char *path, size_t *prefixes);

/* ctl.c */
struct ctl *ctl_open(struct speaker *s, const char *path);
void	ctl_close(struct ctl *c);
/* poll fds of the control socket and its clients */
size_t	ctl_pollfds(struct ctl *c, struct pollfd *pfd, size_t max);
void	ctl_handle(struct ctl *c, struct pollfd *pfd, size_t n);
/* ms until a control client's idle deadline, -1 for none (for poll) */
int	ctl_timeout(struct ctl *c);
/* Tell watchers about a FIB change. */
void	ctl_fib_change(struct ctl *c, const struct pfx4 *p, const uint32_t *nh,
	    unsigned nnh, unsigned hops);
void	ctl_fib_flush(struct ctl *c);

#endif
