#include "proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "tokend.h"

static int parse_addr(unsigned char out[16], int *family, const char *s, size_t n) {
  char tmp[TK_ADDR_MAX];
  if (n == 0 || n >= sizeof tmp) return TK_EINVAL;
  memcpy(tmp, s, n);
  tmp[n] = '\0';
  if (inet_pton(AF_INET, tmp, out) == 1) {
    *family = AF_INET;
    return TK_OK;
  }
  if (inet_pton(AF_INET6, tmp, out) == 1) {
    *family = AF_INET6;
    return TK_OK;
  }
  return TK_EINVAL;
}

int tk_cidr_parse(tk_cidr *out, const char *s, size_t n) {
  const char *slash = memchr(s, '/', n);
  size_t alen = slash != NULL ? (size_t)(slash - s) : n;
  int max;
  memset(out, 0, sizeof *out);
  if (parse_addr(out->addr, &out->family, s, alen) != 0) return TK_EINVAL;
  max = out->family == AF_INET ? 32 : 128;
  out->bits = max;
  if (slash != NULL) {
    size_t dn = n - alen - 1;
    int v = 0;
    if (dn == 0 || dn > 3) return TK_EINVAL;
    for (size_t i = 0; i < dn; i++) {
      char ch = slash[1 + i];
      if (ch < '0' || ch > '9') return TK_EINVAL;
      v = v * 10 + (ch - '0');
    }
    if (v > max || (dn > 1 && slash[1] == '0')) return TK_EINVAL;
    out->bits = v;
  }
  for (int b = out->bits; b < max; b++) {
    if (out->addr[b / 8] & (0x80 >> (b % 8))) return TK_EINVAL; /* "10.1.2.3/8" is a mistake, not a block */
  }
  return TK_OK;
}

static int in_block(const tk_cidr *c, const unsigned char *a, int family) {
  int full = c->bits / 8, rest = c->bits % 8;
  if (c->family != family) return 0;
  if (memcmp(c->addr, a, (size_t)full) != 0) return 0;
  return rest == 0 || ((c->addr[full] ^ a[full]) & (0xff00 >> rest) & 0xff) == 0;
}

static int trusted_addr(const unsigned char *a, int family, const tk_cidr *t, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (in_block(&t[i], a, family)) return 1;
  }
  return 0;
}

int tk_proxy_client(char out[TK_ADDR_MAX], const struct sockaddr *peer, const char *xff, const tk_cidr *trusted,
                    size_t n) {
  unsigned char a[16];
  int family;
  const char *end;
  if (peer->sa_family == AF_INET) {
    memcpy(a, &((const struct sockaddr_in *)(const void *)peer)->sin_addr, 4);
    family = AF_INET;
  } else if (peer->sa_family == AF_INET6) {
    memcpy(a, &((const struct sockaddr_in6 *)(const void *)peer)->sin6_addr, 16);
    family = AF_INET6;
    /* an IPv4 client on a dual-stack socket */
    if (IN6_IS_ADDR_V4MAPPED((const struct in6_addr *)(const void *)a)) {
      memmove(a, a + 12, 4);
      family = AF_INET;
    }
  } else {
    return TK_EINVAL;
  }
  /* Walk the header from the right while every hop so far is trusted. */
  end = xff != NULL ? xff + strlen(xff) : NULL;
  while (xff != NULL && trusted_addr(a, family, trusted, n) && end > xff) {
    const char *start = end, *p, *q;
    unsigned char b[16];
    int bf;
    while (start > xff && start[-1] != ',') start--;
    p = start;
    q = end;
    while (p < q && (*p == ' ' || *p == '\t')) p++;
    while (q > p && (q[-1] == ' ' || q[-1] == '\t')) q--;
    if (parse_addr(b, &bf, p, (size_t)(q - p)) != 0)
      break; /* garbage from further left: the last trusted hop's peer stays the client */
    memcpy(a, b, 16);
    family = bf;
    end = start > xff ? start - 1 : xff;
  }
  if (inet_ntop(family, a, out, TK_ADDR_MAX) == NULL) return TK_EINVAL;
  return TK_OK;
}
