/* Who the client is when tokend sits behind a reverse proxy: X-Forwarded-For is believed only when the
   connection comes from a configured trusted proxy (TRUSTED_PROXIES), and then only as far back as the
   chain of trusted hops reaches. */
#ifndef TK_PROXY_H
#define TK_PROXY_H
#include <stddef.h>

#include <sys/socket.h>

#define TK_ADDR_MAX 46 /* INET6_ADDRSTRLEN */

/* An address block: 4 or 16 bytes and a prefix length. */
typedef struct tk_cidr {
  unsigned char addr[16];
  int family; /* AF_INET or AF_INET6 */
  int bits;
} tk_cidr;

/* "127.0.0.1", "10.0.0.0/8", "::1", "fd00::/8" -> *out. Host bits must be zero. Returns 0 or TK_EINVAL. */
int tk_cidr_parse(tk_cidr *out, const char *s, size_t n);

/* The client's address as text into out[TK_ADDR_MAX]: the peer's own, unless the peer is in trusted[0..n);
   then the rightmost X-Forwarded-For entry (xff may be NULL) that is not itself trusted, or the leftmost
   one when all are. An entry that is not an IP address ends the walk there and the hop that added it is
   taken as the client. Returns 0, or TK_EINVAL when the peer address is not IPv4/IPv6. */
int tk_proxy_client(char out[TK_ADDR_MAX], const struct sockaddr *peer, const char *xff, const tk_cidr *trusted,
                    size_t n);

#endif
