#include "b64url.h"

#include "tokend.h"

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

size_t tk_b64url_encoded_len(size_t n) { return n / 3 * 4 + (n % 3 == 0 ? 0 : n % 3 + 1); }

void tk_b64url_encode(char *out, const unsigned char *src, size_t n) {
  size_t i = 0;
  char *o = out;
  for (; i + 3 <= n; i += 3) {
    unsigned v = (unsigned)src[i] << 16 | (unsigned)src[i + 1] << 8 | src[i + 2];
    *o++ = alphabet[v >> 18 & 63];
    *o++ = alphabet[v >> 12 & 63];
    *o++ = alphabet[v >> 6 & 63];
    *o++ = alphabet[v & 63];
  }
  if (n - i == 1) {
    unsigned v = (unsigned)src[i] << 16;
    *o++ = alphabet[v >> 18 & 63];
    *o++ = alphabet[v >> 12 & 63];
  } else if (n - i == 2) {
    unsigned v = (unsigned)src[i] << 16 | (unsigned)src[i + 1] << 8;
    *o++ = alphabet[v >> 18 & 63];
    *o++ = alphabet[v >> 12 & 63];
    *o++ = alphabet[v >> 6 & 63];
  }
  *o = '\0';
}

static int sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

int tk_b64url_decode(unsigned char *out, size_t *out_len, const char *src, size_t n) {
  size_t o = 0;
  unsigned acc = 0;
  int bits = 0;
  if (n % 4 == 1) return TK_EINVAL;
  for (size_t i = 0; i < n; i++) {
    int v = sextet(src[i]);
    if (v < 0) return TK_EINVAL;
    acc = (acc << 6 | (unsigned)v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (unsigned char)(acc >> bits & 0xff);
    }
  }
  /* Leftover bits must be zero, otherwise two spellings would decode to the same bytes. */
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return TK_EINVAL;
  *out_len = o;
  return TK_OK;
}
