/*
 * md5: RFC 2385 TCP MD5 signatures, through Linux's TCP_MD5SIG socket
 * option. The kernel signs and checks every segment; a segment with a wrong
 * signature or none is dropped before it reaches us, so a peer with the
 * wrong key never completes the handshake and no session starts.
 *
 * On a listening socket the option is set once per peer address and the
 * accepted connections inherit it; on an outgoing socket it is set before
 * connect(), since the SYN is already signed.
 *
 * Must not: know sessions or the FSM; keys never reach a log.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <string.h>

#include "bgpd.h"

int
md5_set(int fd, uint32_t addr, const char *key)
{
	struct tcp_md5sig sig;
	struct sockaddr_in *sin = (struct sockaddr_in *)&sig.tcpm_addr;
	size_t len = strlen(key);

	if (len > TCP_MD5SIG_MAXKEYLEN)
		return -1;
	memset(&sig, 0, sizeof(sig));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(addr);
	sig.tcpm_keylen = (uint16_t)len;	/* 0 removes the key */
	memcpy(sig.tcpm_key, key, len);
	return setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG, &sig, sizeof(sig));
}
