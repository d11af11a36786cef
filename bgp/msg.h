/*
 * msg: the BGP-4 wire codec (RFC 4271 section 4, RFC 6793, RFC 4760, RFC 2918,
 * RFC 1997, RFC 8092) with RFC 7606 error handling.
 *
 * Owns: framing, parsing and building of OPEN, UPDATE, NOTIFICATION, KEEPALIVE
 * and ROUTE-REFRESH, and the in-memory form of path attributes.
 * Must not: touch sockets, sessions, RIBs or policy. Every byte is read through
 * struct buf (lib/buf.h); every byte is written through struct wbuf.
 */
#ifndef ARSEMU_BGP_MSG_H
#define ARSEMU_BGP_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../lib/buf.h"
#include "../lib/pfx.h"

#define BGP_PORT		179
#define BGP_VERSION		4
#define BGP_HDR_LEN		19
#define BGP_MAX_LEN		4096
#define BGP_OPEN_MIN_LEN	29
#define BGP_NOTIFY_MIN_LEN	21
#define BGP_UPDATE_MIN_LEN	23
#define BGP_RR_LEN		23
#define BGP_AS_TRANS		23456
#define BGP_NOTIFY_DATA_MAX	(BGP_MAX_LEN - BGP_NOTIFY_MIN_LEN)

enum bgp_type {
	BGP_OPEN = 1,
	BGP_UPDATE = 2,
	BGP_NOTIFICATION = 3,
	BGP_KEEPALIVE = 4,
	BGP_ROUTE_REFRESH = 5,
};

/* NOTIFICATION error codes, RFC 4271 4.5; 7 from RFC 7313. */
enum bgp_err {
	BGP_ERR_HEADER = 1,
	BGP_ERR_OPEN = 2,
	BGP_ERR_UPDATE = 3,
	BGP_ERR_HOLD = 4,
	BGP_ERR_FSM = 5,
	BGP_ERR_CEASE = 6,
	BGP_ERR_RREFRESH = 7,
};

enum bgp_err_header {
	BGP_HDR_SYNC = 1,	/* Connection Not Synchronized */
	BGP_HDR_LEN_BAD = 2,	/* Bad Message Length; data = the length field */
	BGP_HDR_TYPE_BAD = 3,	/* Bad Message Type; data = the type */
};

enum bgp_err_open {
	BGP_OPEN_VERSION = 1,	/* data = highest version we support, 2 bytes */
	BGP_OPEN_PEER_AS = 2,
	BGP_OPEN_BGPID = 3,
	BGP_OPEN_OPTPARAM = 4,
	BGP_OPEN_HOLDTIME = 6,
	BGP_OPEN_CAPA = 7,	/* RFC 5492 Unsupported Capability */
};

enum bgp_err_update {
	BGP_UPD_ATTRLIST = 1,	/* Malformed Attribute List */
	BGP_UPD_WELLKNOWN = 2,	/* Unrecognized Well-known Attribute */
	BGP_UPD_MISSING = 3,	/* Missing Well-known Attribute */
	BGP_UPD_FLAGS = 4,	/* Attribute Flags Error */
	BGP_UPD_LENGTH = 5,	/* Attribute Length Error */
	BGP_UPD_ORIGIN = 6,	/* Invalid ORIGIN Attribute */
	BGP_UPD_NEXTHOP = 8,	/* Invalid NEXT_HOP Attribute */
	BGP_UPD_OPTATTR = 9,	/* Optional Attribute Error */
	BGP_UPD_NETWORK = 10,	/* Invalid Network Field */
	BGP_UPD_ASPATH = 11,	/* Malformed AS_PATH */
};

/* Cease subcodes, RFC 4486 */
enum bgp_cease {
	BGP_CEASE_MAXPFX = 1,
	BGP_CEASE_SHUTDOWN = 2,
	BGP_CEASE_DECONFIG = 3,
	BGP_CEASE_RESET = 4,
	BGP_CEASE_REJECTED = 5,
	BGP_CEASE_CONFIG = 6,
	BGP_CEASE_COLLISION = 7,
	BGP_CEASE_RESOURCES = 8,
};

enum bgp_attr_type {
	BGP_ATTR_ORIGIN = 1,
	BGP_ATTR_AS_PATH = 2,
	BGP_ATTR_NEXT_HOP = 3,
	BGP_ATTR_MED = 4,
	BGP_ATTR_LOCAL_PREF = 5,
	BGP_ATTR_ATOMIC_AGGREGATE = 6,
	BGP_ATTR_AGGREGATOR = 7,
	BGP_ATTR_COMMUNITIES = 8,
	BGP_ATTR_MP_REACH = 14,
	BGP_ATTR_MP_UNREACH = 15,
	BGP_ATTR_AS4_PATH = 17,
	BGP_ATTR_AS4_AGGREGATOR = 18,
	BGP_ATTR_LARGE_COMMUNITIES = 32,
};

#define BGP_AF_OPTIONAL		0x80
#define BGP_AF_TRANSITIVE	0x40
#define BGP_AF_PARTIAL		0x20
#define BGP_AF_EXTLEN		0x10

enum bgp_origin { BGP_ORIGIN_IGP = 0, BGP_ORIGIN_EGP = 1, BGP_ORIGIN_INCOMPLETE = 2 };
enum bgp_aspath_seg { BGP_AS_SET = 1, BGP_AS_SEQUENCE = 2 };

#define BGP_COMM_NO_EXPORT	0xffffff01u
#define BGP_COMM_NO_ADVERTISE	0xffffff02u

#define BGP_AFI_IPV4		1
#define BGP_AFI_IPV6		2
#define BGP_SAFI_UNICAST	1

/* What one side of a session negotiated; the codec needs it for AS_PATH width. */
struct bgp_codec {
	bool	as4;	/* both OPENs carried the four-octet AS capability */
};

struct bgp_notify {
	uint8_t		code;
	uint8_t		subcode;
	uint16_t	datalen;
	uint8_t		data[BGP_NOTIFY_DATA_MAX];
};

struct bgp_open {
	uint8_t		version;
	uint16_t	my_as;		/* as on the wire: AS_TRANS for a 4-octet AS */
	uint16_t	holdtime;
	uint32_t	bgp_id;		/* host order */
	bool		cap_as4;	/* RFC 6793 capability present */
	uint32_t	as4;		/* its value */
	bool		cap_mp_ipv4;	/* RFC 4760 AFI 1 SAFI 1 */
	bool		cap_mp_ipv6;	/* RFC 4760 AFI 2 SAFI 1 */
	bool		cap_rr;		/* RFC 2918 route refresh (code 2) */
	bool		cap_any;	/* any capability optional parameter seen */
};

/* present bits of struct bgp_attrs, one per attribute type below 32 */
#define BGP_ATTR_BIT(t)		(1u << (t))

/*
 * Path attributes in memory. AS_PATH is kept in its four-octet wire form
 * (segments of: type, count, count x 4-byte ASN), whatever the session width:
 * the codec converts on the way in (merging AS4_PATH, RFC 6793 4.2.3) and out.
 * Unknown optional transitive attributes are kept verbatim (flags, type,
 * length, value) in `other` and passed on with the Partial bit set.
 */
struct bgp_attrs {	/* fields ordered for size: one per path held */
	uint32_t	 present;	/* BGP_ATTR_BIT(type) for each attribute seen */
	uint32_t	 nexthop;	/* host order */
	uint32_t	 med;
	uint32_t	 local_pref;
	uint32_t	 agg_as;	/* AGGREGATOR, widened to 4 octets */
	uint32_t	 agg_id;
	uint16_t	 aspath_len;	/* bytes */
	uint16_t	 ncomm;
	uint16_t	 nlcomm;
	uint16_t	 other_len;
	uint8_t		 origin;
	uint8_t		*aspath;
	uint32_t	*comm;
	uint32_t	*lcomm;		/* 3 words per large community */
	uint8_t		*other;
};

void	bgp_attrs_init(struct bgp_attrs *a);
void	bgp_attrs_free(struct bgp_attrs *a);
void	bgp_attrs_copy(struct bgp_attrs *dst, const struct bgp_attrs *src);
bool	bgp_attrs_equal(const struct bgp_attrs *a, const struct bgp_attrs *b);
/* Equal attribute sets (bgp_attrs_equal) hash the same. */
uint32_t bgp_attrs_hash(const struct bgp_attrs *a);
bool	bgp_attrs_has_comm(const struct bgp_attrs *a, uint32_t comm);

/* AS_PATH helpers (four-octet form). */
unsigned bgp_aspath_hops(const struct bgp_attrs *a);	/* an AS_SET counts 1 */
bool	bgp_aspath_contains(const struct bgp_attrs *a, uint32_t asn);
/* How many times asn stands in the AS_PATH (segments of every type). */
unsigned bgp_aspath_count(const struct bgp_attrs *a, uint32_t asn);
uint32_t bgp_aspath_first(const struct bgp_attrs *a);	/* leftmost ASN, 0 if empty */
void	bgp_aspath_prepend(struct bgp_attrs *a, uint32_t asn, unsigned times);
/* "65001-65001" with sep '-', "65001 65001" with ' '; sets as {a,b}. */
char	*bgp_aspath_fmt(const struct bgp_attrs *a, char sep, char *buf, size_t len);
/* Build an AS_SEQUENCE path from a list (for tests and origination). */
void	bgp_aspath_set(struct bgp_attrs *a, const uint32_t *asns, unsigned n);

struct bgp_update {
	struct pfx4	*withdrawn;
	size_t		 nwithdrawn;
	struct pfx4	*nlri;
	size_t		 nnlri;
	struct bgp_attrs attrs;
	/* RFC 7606 outcomes that do not reset the session */
	bool		 treat_as_withdraw;	/* handle every NLRI as withdrawn */
	unsigned	 discarded;		/* attributes dropped (attribute discard) */
	unsigned	 ipv6_reach;		/* MP_REACH/UNREACH for IPv6 seen: prefixes parsed, not kept */
	bool		 eor;			/* empty UPDATE: End-of-RIB, RFC 4724 */
};

struct bgp_msg {
	uint8_t		type;
	uint16_t	len;
	union {
		struct bgp_open		open;
		struct bgp_update	update;
		struct bgp_notify	notify;
		struct {
			uint16_t	afi;
			uint8_t		safi;
		} rr;
	} u;
};

/*
 * Framing: look at the first `avail` bytes of the stream. Returns the length
 * of the next complete message, 0 if more bytes are needed, or -1 with *err
 * set to the NOTIFICATION to send (bad marker, length or type).
 */
ssize_t	bgp_msg_frame(const uint8_t *p, size_t avail, struct bgp_notify *err);

/*
 * Parse one complete message of exactly len bytes (header included).
 * Returns 0 with *m filled (free it with bgp_msg_free), or -1 with *err set
 * to the NOTIFICATION to send; the caller then resets the session.
 * UPDATE errors that RFC 7606 handles without a reset come back as 0 with
 * m->u.update.treat_as_withdraw or discarded set.
 */
int	bgp_msg_parse(const struct bgp_codec *c, const uint8_t *p, size_t len,
	    struct bgp_msg *m, struct bgp_notify *err);
void	bgp_msg_free(struct bgp_msg *m);

/* Builders write one whole message; return 0, or -1 if it did not fit. */
int	bgp_build_open(struct wbuf *w, const struct bgp_open *o);
int	bgp_build_keepalive(struct wbuf *w);
int	bgp_build_notification(struct wbuf *w, const struct bgp_notify *n);
int	bgp_build_route_refresh(struct wbuf *w, uint16_t afi, uint8_t safi);
/*
 * Pack one UPDATE: as many withdrawn prefixes as fit, then (if a != NULL and
 * there is room for the attributes and at least one prefix) the attributes
 * and as many NLRI as fit. *nwd_done and *nnlri_done say how many were taken;
 * the caller calls again with the rest. Returns -1 only if nothing fit.
 */
int	bgp_build_update(const struct bgp_codec *c, struct wbuf *w,
	    const struct pfx4 *wd, size_t nwd, size_t *nwd_done,
	    const struct bgp_attrs *a, const struct pfx4 *nlri, size_t nnlri,
	    size_t *nnlri_done);

/* Human text, e.g. "UPDATE Message Error / Malformed AS_PATH". */
const char *bgp_err_str(uint8_t code, uint8_t subcode, char *buf, size_t len);
const char *bgp_type_str(uint8_t type);
void	bgp_notify_set(struct bgp_notify *n, uint8_t code, uint8_t subcode,
	    const void *data, size_t datalen);

/*
 * Codec internals: shared by bgp/msg.c, bgp/update.c and bgp/attr.c only
 * (the build wants every non-static function declared in a header).
 * Other modules use the API above.
 */

/* RFC 7606 section 2 error-handling approaches, weakest first. */
enum bgp_eh {
	BGP_EH_OK = 0,
	BGP_EH_DISCARD,		/* attribute discard */
	BGP_EH_WITHDRAW,	/* treat-as-withdraw */
	BGP_EH_RESET,		/* session reset */
};

struct bgp_attr_result {
	enum bgp_eh	eh;		/* strongest approach any error asked for */
	bool		mp_reach;	/* an MP_REACH_NLRI parsed: reachable NLRI */
	bool		nh_martian;	/* NEXT_HOP fails the RFC 4271 6.3 semantic check */
	bool		as_set;		/* AS_SET or AS_CONFED_SET in AS_PATH or AS4_PATH (RFC 9774) */
};

/* UPDATE body (after the header); update.c. */
int	bgp_update_parse(const struct bgp_codec *c, struct buf *body,
	    struct bgp_update *u, struct bgp_notify *err);
void	bgp_update_free(struct bgp_update *u);
/*
 * The RFC 4271 6.3 checks that need the session, for the reachable NLRI of
 * an UPDATE that parsed without treat-as-withdraw: from a peer of AS
 * peer_as, at a speaker of AS local_as and address local_addr; as4: the
 * session carries four-octet ASNs. NULL: the routes may be taken; else why
 * their NLRI are treated as withdrawn (the session stays up).
 */
const char *bgp_update_check_peer(const struct bgp_attrs *a, uint32_t local_as,
	    uint32_t peer_as, uint32_t local_addr, bool as4);
/* Prefixes of one NLRI slice, appended to u (IPv4) or counted (IPv6). */
int	bgp_nlri_parse(struct buf *b, uint16_t afi, bool withdrawn,
	    struct bgp_update *u);
/*
 * Path attribute list; attr.c. Fills u->attrs, u->discarded and the MP
 * prefixes; *err gets the NOTIFICATION for the first error of the strongest
 * approach (a treat-as-withdraw may still become a reset, RFC 7606 5.2).
 */
void	bgp_attrs_parse(const struct bgp_codec *c, struct buf *list,
	    struct bgp_update *u, struct bgp_attr_result *r,
	    struct bgp_notify *err);
/* The attribute list for a, ascending type code; sets w->err if no room. */
void	bgp_attrs_encode(const struct bgp_codec *c, struct wbuf *w,
	    const struct bgp_attrs *a);

#endif
