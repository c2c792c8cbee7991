/* Agora AccessToken2 ("007" tokens) for the RTC service. The layout is Agora's: little-endian integers,
   strings and byte strings as a 16-bit length and the bytes, the privilege map in ascending key order;
   the whole message zlib-compressed and then base64-encoded (standard alphabet, padded). */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <zlib.h>

#include "provider.h"
#include "tokend.h"

#define MSG_MAX 1024

enum { SERVICE_RTC = 1 };
enum { PRIV_JOIN = 1, PRIV_AUDIO = 2, PRIV_VIDEO = 3, PRIV_DATA = 4 };

typedef struct {
  unsigned char *p;
  size_t n, cap;
  int failed;
} bytes;

static void put(bytes *b, const void *src, size_t n) {
  if (b->failed || n > b->cap - b->n) {
    b->failed = 1;
    return;
  }
  memcpy(b->p + b->n, src, n);
  b->n += n;
}

static void put_u16(bytes *b, unsigned v) {
  unsigned char le[2] = {(unsigned char)(v & 0xff), (unsigned char)(v >> 8 & 0xff)};
  put(b, le, 2);
}

static void put_u32(bytes *b, uint32_t v) {
  unsigned char le[4] = {(unsigned char)(v & 0xff), (unsigned char)(v >> 8 & 0xff), (unsigned char)(v >> 16 & 0xff),
                         (unsigned char)(v >> 24 & 0xff)};
  put(b, le, 4);
}

static void put_str(bytes *b, const void *s, size_t n) {
  if (n > 0xffff) {
    b->failed = 1;
    return;
  }
  put_u16(b, (unsigned)n);
  put(b, s, n);
}

int tk_agora_mint(char **out, const char *app_id, const char *app_certificate, const char *channel, const char *account,
                  unsigned grants, int64_t now, int64_t ttl, uint32_t salt) {
  unsigned char info_mem[MSG_MAX], msg_mem[MSG_MAX + 64], ts[4], sl[4], k1[32], k2[32], sig[32];
  bytes info = {info_mem, 0, sizeof info_mem, 0}, msg = {msg_mem, 0, sizeof msg_mem, 0};
  unsigned char *z = NULL;
  uLongf zlen;
  char *tok = NULL;
  uint32_t expire;
  int rc = TK_ERANGE;

  if (ttl <= 0 || ttl > UINT32_MAX || now < 0 || now > UINT32_MAX) return TK_ERANGE;
  expire = (uint32_t)ttl;
  /* signed part: app id, issued at, expire, salt, services */
  put_str(&info, app_id, strlen(app_id));
  put_u32(&info, (uint32_t)now);
  put_u32(&info, expire);
  put_u32(&info, salt);
  put_u16(&info, 1);
  put_u16(&info, SERVICE_RTC);
  put_u16(&info, 1 + ((grants & TK_GRANT_PUBLISH) ? 2 : 0) + ((grants & TK_GRANT_DATA) ? 1 : 0));
  put_u16(&info, PRIV_JOIN);
  put_u32(&info, expire);
  if (grants & TK_GRANT_PUBLISH) {
    put_u16(&info, PRIV_AUDIO);
    put_u32(&info, expire);
    put_u16(&info, PRIV_VIDEO);
    put_u32(&info, expire);
  }
  if (grants & TK_GRANT_DATA) {
    put_u16(&info, PRIV_DATA);
    put_u32(&info, expire);
  }
  put_str(&info, channel, strlen(channel));
  put_str(&info, account, strlen(account));
  if (info.failed) return TK_ERANGE;

  /* key = HMAC(salt, HMAC(issued at, certificate)); signature = HMAC(key, signed part) */
  put_u32(&(bytes){ts, 0, 4, 0}, (uint32_t)now);
  put_u32(&(bytes){sl, 0, 4, 0}, salt);
  if (tk_hmac_sha256(k1, ts, 4, app_certificate, strlen(app_certificate)) != 0 ||
      tk_hmac_sha256(k2, sl, 4, k1, 32) != 0 || tk_hmac_sha256(sig, k2, 32, info.p, info.n) != 0) {
    rc = TK_ECRYPTO;
    goto cleanup;
  }
  put_str(&msg, sig, 32);
  put(&msg, info.p, info.n);
  if (msg.failed) goto cleanup;

  zlen = compressBound(msg.n);
  z = malloc(zlen);
  if (z == NULL) {
    rc = TK_ENOMEM;
    goto cleanup;
  }
  if (compress2(z, &zlen, msg.p, msg.n, Z_DEFAULT_COMPRESSION) != Z_OK) {
    rc = TK_ECRYPTO;
    goto cleanup;
  }
  tok = malloc(3 + 4 * ((zlen + 2) / 3) + 1);
  if (tok == NULL) {
    rc = TK_ENOMEM;
    goto cleanup;
  }
  memcpy(tok, "007", 3);
  EVP_EncodeBlock((unsigned char *)tok + 3, z, (int)zlen);
  *out = tok;
  rc = TK_OK;
cleanup:
  OPENSSL_cleanse(k1, sizeof k1);
  OPENSSL_cleanse(k2, sizeof k2);
  free(z);
  return rc;
}
