#include "mint.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "b64url.h"
#include "jsonw.h"
#include "tokend.h"

/* Signing input and payload are built in fixed buffers: every field is bounded (user ids are capped
   at TK_USER_ID_MAX by the caller's validation; here we only refuse what does not fit). */
#define PAYLOAD_MAX 2048

/* {"alg":"HS256","typ":"JWT"} in base64url, the same for every token we mint. */
static const char header_b64[] = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

struct tk_hmac {
  EVP_MAC_CTX *keyed;       /* never used directly: each thread works on its own copy */
  pthread_key_t per_thread; /* that copy; re-initialised (same key) for every signature */
  int has_key;
};

static void free_thread_ctx(void *ctx) { EVP_MAC_CTX_free(ctx); }

int tk_hmac_new(tk_hmac **out, const void *key, size_t key_len) {
  tk_hmac *h = calloc(1, sizeof *h);
  EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", (char *)"SHA256", 0), OSSL_PARAM_END};
  int rc = TK_ECRYPTO;
  if (h == NULL) {
    rc = TK_ENOMEM;
    goto cleanup;
  }
  if (mac == NULL) goto cleanup;
  h->keyed = EVP_MAC_CTX_new(mac);
  if (h->keyed == NULL || EVP_MAC_init(h->keyed, key, key_len, params) != 1) goto cleanup;
  if (pthread_key_create(&h->per_thread, free_thread_ctx) != 0) goto cleanup;
  h->has_key = 1;
  *out = h;
  h = NULL;
  rc = TK_OK;
cleanup:
  EVP_MAC_free(mac);
  tk_hmac_free(h);
  return rc;
}

void tk_hmac_free(tk_hmac *h) {
  if (h == NULL) return;
  if (h->has_key) {
    /* Threads that already ended freed their copies; the caller's own goes here. Every other thread
       that signed with h must have ended by now (the server frees its keys after stopping). */
    tk_hmac_thread_done(h);
    pthread_key_delete(h->per_thread);
  }
  EVP_MAC_CTX_free(h->keyed);
  free(h);
}

int tk_hmac_sign(const tk_hmac *h, unsigned char out[32], const void *data, size_t n) {
  EVP_MAC_CTX *c = pthread_getspecific(h->per_thread);
  size_t len = 0;
  int ok;
  /* A thread's first signature copies the keyed context; later ones reset that copy to the same key
     (init without a key), which skips allocating and freeing three digest contexts each time. */
  if (c == NULL) {
    c = EVP_MAC_CTX_dup(h->keyed);
    if (c == NULL || pthread_setspecific(h->per_thread, c) != 0) {
      EVP_MAC_CTX_free(c);
      return TK_ECRYPTO;
    }
  } else if (EVP_MAC_init(c, NULL, 0, NULL) != 1) {
    return TK_ECRYPTO;
  }
  ok = EVP_MAC_update(c, data, n) == 1 && EVP_MAC_final(c, out, &len, 32) == 1 && len == 32;
  return ok ? TK_OK : TK_ECRYPTO;
}

void tk_hmac_thread_done(const tk_hmac *h) {
  EVP_MAC_CTX_free(pthread_getspecific(h->per_thread));
  pthread_setspecific(h->per_thread, NULL);
}

int tk_hmac_sha256(unsigned char out[32], const void *key, size_t key_len, const void *data, size_t n) {
  unsigned int len = 0;
  if (key_len > INT32_MAX) return TK_ERANGE;
  if (HMAC(EVP_sha256(), key, (int)key_len, data, n, out, &len) == NULL || len != 32) return TK_ECRYPTO;
  return TK_OK;
}

void tk_uuid4_format(char out[37], const unsigned char rnd[16]) {
  unsigned char b[16];
  memcpy(b, rnd, 16);
  b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
  b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
  static const char hex[] = "0123456789abcdef";
  char *o = out;
  for (int i = 0; i < 16; i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10) *o++ = '-';
    *o++ = hex[b[i] >> 4];
    *o++ = hex[b[i] & 15];
  }
  *o = '\0';
}

int tk_random_openssl(void *ctx, unsigned char *buf, size_t n) {
  (void)ctx;
  if (n > INT32_MAX || RAND_bytes(buf, (int)n) != 1) return TK_ECRYPTO;
  return TK_OK;
}

#define POOL_BYTES 4096

static _Thread_local struct {
  unsigned char bytes[POOL_BYTES];
  size_t left; /* unused bytes, at the end of `bytes` */
} pool;

int tk_random_pooled(void *ctx, unsigned char *buf, size_t n) {
  unsigned char *from;
  if (n > POOL_BYTES) return tk_random_openssl(ctx, buf, n);
  if (pool.left < n) {
    if (RAND_bytes(pool.bytes, POOL_BYTES) != 1) return TK_ECRYPTO;
    pool.left = POOL_BYTES;
  }
  from = pool.bytes + POOL_BYTES - pool.left;
  memcpy(buf, from, n);
  OPENSSL_cleanse(from, n);
  pool.left -= n;
  return TK_OK;
}

int tk_mint_jwt(char **out, const char *header_b64url, const tk_mint_key *key, const tk_jsonw *payload) {
  size_t hlen = strlen(header_b64url);
  size_t plen = tk_b64url_encoded_len(payload->n);
  size_t slen = tk_b64url_encoded_len(32);
  char *tok = malloc(hlen + 1 + plen + 1 + slen + 1);
  unsigned char mac[32];
  if (tok == NULL) return TK_ENOMEM;
  memcpy(tok, header_b64url, hlen);
  tok[hlen] = '.';
  tk_b64url_encode(tok + hlen + 1, (const unsigned char *)payload->p, payload->n);
  int rc = key->hmac != NULL ? tk_hmac_sign(key->hmac, mac, tok, hlen + 1 + plen)
                             : tk_hmac_sha256(mac, key->secret, key->secret_len, tok, hlen + 1 + plen);
  if (rc != 0) {
    free(tok);
    return TK_ECRYPTO;
  }
  tok[hlen + 1 + plen] = '.';
  tk_b64url_encode(tok + hlen + 1 + plen + 1, mac, sizeof mac);
  *out = tok;
  return TK_OK;
}

static int make_jti(char jti[37], tk_random_fn rnd, void *rnd_ctx) {
  unsigned char r[16];
  int rc = rnd(rnd_ctx, r, sizeof r);
  if (rc != 0) return rc;
  tk_uuid4_format(jti, r);
  return TK_OK;
}

/* The claims both token kinds share, in sorted key order and compact form:
 * {"access_key":..,"exp":..,"iat":..,"jti":..,"nbf":..  (the object is left open). */
static int put_common_claims(tk_jsonw *b, const tk_mint_key *key, int64_t now, int64_t ttl, tk_random_fn rnd,
                             void *rnd_ctx) {
  char jti[37];
  int rc;
  if (ttl <= 0 || now < 0 || now > INT64_MAX - ttl) return TK_ERANGE;
  rc = make_jti(jti, rnd, rnd_ctx);
  if (rc != 0) return rc;
  tk_jsonw_lit(b, "{\"access_key\":");
  tk_jsonw_str(b, key->access_key);
  tk_jsonw_lit(b, ",\"exp\":");
  tk_jsonw_int(b, now + ttl);
  tk_jsonw_lit(b, ",\"iat\":");
  tk_jsonw_int(b, now);
  tk_jsonw_lit(b, ",\"jti\":");
  tk_jsonw_str(b, jti);
  tk_jsonw_lit(b, ",\"nbf\":");
  tk_jsonw_int(b, now);
  return 0;
}

int tk_mint_auth(char **out, const tk_mint_key *key, const char *room_id, const char *user_id, const char *role,
                 int64_t now, int64_t ttl, tk_random_fn rnd, void *rnd_ctx) {
  char mem[PAYLOAD_MAX];
  tk_jsonw b = tk_jsonw_over(mem, sizeof mem);
  int rc = put_common_claims(&b, key, now, ttl, rnd, rnd_ctx);
  if (rc != 0) return rc;
  tk_jsonw_lit(&b, ",\"role\":");
  tk_jsonw_str(&b, role);
  tk_jsonw_lit(&b, ",\"room_id\":");
  tk_jsonw_str(&b, room_id);
  tk_jsonw_lit(&b, ",\"type\":\"app\",\"user_id\":");
  tk_jsonw_str(&b, user_id);
  tk_jsonw_lit(&b, ",\"version\":2}");
  if (b.failed) return TK_ERANGE;
  return tk_mint_jwt(out, header_b64, key, &b);
}

int tk_mint_management(char **out, const tk_mint_key *key, int64_t now, int64_t ttl, tk_random_fn rnd, void *rnd_ctx) {
  char mem[PAYLOAD_MAX];
  tk_jsonw b = tk_jsonw_over(mem, sizeof mem);
  int rc = put_common_claims(&b, key, now, ttl, rnd, rnd_ctx);
  if (rc != 0) return rc;
  tk_jsonw_lit(&b, ",\"type\":\"management\",\"version\":2}");
  if (b.failed) return TK_ERANGE;
  return tk_mint_jwt(out, header_b64, key, &b);
}
