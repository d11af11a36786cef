/*
 * mrt: the speaker's RIB as an MRT TABLE_DUMP_V2 file (RFC 6396 4.3), which
 * bgpdump, bgpscanner and friends read: one PEER_INDEX_TABLE (every
 * configured peer, then this speaker itself for what it originates), then
 * one RIB_IPV4_UNICAST record per prefix with every path received (the
 * Adj-RIB-In, rejected paths too, as `learned` shows them). Path attributes
 * are written as on a four-octet session (RFC 6396 4.3.4).
 *
 * The file is opened as the speaker's own (root in a lab) for a client of
 * its control socket: never through a symbolic link, and only a regular
 * file with no other name (not a device, a FIFO, or a hard link to
 * something else) is written over.
 *
 * Must not: change routing state.
 */
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../lib/util.h"
#include "bgpd.h"

#define MRT_TABLE_DUMP_V2	13
#define MRT_PEER_INDEX_TABLE	1
#define MRT_RIB_IPV4_UNICAST	2
#define MRT_PEER_AS4		0x02
#define MRT_HDR_LEN		12
#define MRT_REC_MAX		(1u << 20)

static int
record(FILE *f, uint16_t subtype, const uint8_t *body, size_t len)
{
	uint8_t hdr[MRT_HDR_LEN];
	struct wbuf w;

	wbuf_init(&w, hdr, sizeof(hdr));
	wbuf_put_u32(&w, (uint32_t)time(NULL));
	wbuf_put_u16(&w, MRT_TABLE_DUMP_V2);
	wbuf_put_u16(&w, subtype);
	wbuf_put_u32(&w, (uint32_t)len);
	return fwrite(hdr, 1, w.len, f) == w.len &&
	    fwrite(body, 1, len, f) == len ? 0 : -1;
}

static int
peer_index(FILE *f, const struct speaker *s, uint8_t *buf)
{
	static const char view[] = "arsemu";
	struct wbuf w;
	unsigned i;

	wbuf_init(&w, buf, MRT_REC_MAX);
	wbuf_put_u32(&w, s->conf->bgp_id);
	wbuf_put_u16(&w, sizeof(view) - 1);
	wbuf_put_bytes(&w, view, sizeof(view) - 1);
	wbuf_put_u16(&w, (uint16_t)(s->npeers + 1));
	for (i = 0; i <= s->npeers; i++) {
		const struct peer *p = i < s->npeers ? &s->peers[i] : NULL;

		wbuf_put_u8(&w, MRT_PEER_AS4);
		wbuf_put_u32(&w, p ? p->remote_id : s->conf->bgp_id);
		wbuf_put_u32(&w, p ? p->conf->addr : s->conf->local_addr);
		wbuf_put_u32(&w, p ? p->conf->asn : s->conf->asn);
	}
	return w.err ? -1 : record(f, MRT_PEER_INDEX_TABLE, buf, w.len);
}

static uint16_t
index_of(const struct speaker *s, const struct peer *p)
{
	return p == NULL ? (uint16_t)s->npeers : (uint16_t)p->idx;
}

static int
rib_entry_rec(FILE *f, const struct speaker *s, const struct rib_entry *e,
    uint32_t seq, uint8_t *buf)
{
	struct bgp_codec as4 = { .as4 = true };
	const struct rib_path *rp;
	struct wbuf w;
	uint16_t n = 0;
	size_t count_at, bytes = (e->pfx.len + 7u) / 8u, k;

	wbuf_init(&w, buf, MRT_REC_MAX);
	wbuf_put_u32(&w, seq);
	wbuf_put_u8(&w, e->pfx.len);
	for (k = 0; k < bytes; k++)
		wbuf_put_u8(&w, (uint8_t)(e->pfx.addr >> (24 - 8 * k)));
	count_at = w.len;
	wbuf_put_u16(&w, 0);
	for (rp = e->paths; rp != NULL; rp = rp->next) {
		size_t len_at;

		wbuf_put_u16(&w, index_of(s, rp->peer));
		wbuf_put_u32(&w, (uint32_t)time(NULL));
		len_at = w.len;
		wbuf_put_u16(&w, 0);
		bgp_attrs_encode(&as4, &w, rp->attrs);
		wbuf_set_u16(&w, len_at, (uint16_t)(w.len - len_at - 2));
		n++;
	}
	wbuf_set_u16(&w, count_at, n);
	return w.err ? -1 : record(f, MRT_RIB_IPV4_UNICAST, buf, w.len);
}

/* path opened for writing, emptied; NULL with errno (ELOOP: a link). */
static FILE *
open_out(const char *path)
{
	struct stat st;
	FILE *f;
	int fd, e;

	/* O_NONBLOCK: a FIFO without a reader fails instead of waiting */
	fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC, 0644);
	if (fd == -1)
		return NULL;
	if (fstat(fd, &st) == -1)
		e = errno;
	else if (!S_ISREG(st.st_mode))
		e = EINVAL;
	else if (st.st_nlink != 1)
		e = EMLINK;
	else if (ftruncate(fd, 0) == -1 ||
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) == -1)
		e = errno;
	else if ((f = fdopen(fd, "w")) == NULL)
		e = errno;
	else
		return f;
	close(fd);
	errno = e;
	return NULL;
}

int
mrt_dump(const struct speaker *s, const char *path, size_t *prefixes)
{
	struct rib_entry **v;
	uint8_t *buf;
	size_t n, i;
	FILE *f;
	int rc = 0;

	*prefixes = 0;
	if ((f = open_out(path)) == NULL)
		return -1;
	buf = xmalloc(MRT_REC_MAX);
	n = rib_sorted((struct rib *)&s->rib, &v);
	if (peer_index(f, s, buf) == -1)
		rc = -1;
	for (i = 0; i < n && rc == 0; i++) {
		if (v[i]->paths == NULL)
			continue;
		if (rib_entry_rec(f, s, v[i], (uint32_t)*prefixes, buf) == -1)
			rc = -1;
		else
			(*prefixes)++;
	}
	free(v);
	free(buf);
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}
