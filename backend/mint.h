/* Minting 100ms tokens: HS256 JWTs signed with the app secret.
   Everything here is pure: the clock and the randomness come in as arguments, so tests compare exact bytes. */
#ifndef TK_MINT_H
#define TK_MINT_H
#include <stddef.h>
#include <stdint.h>

/* Fills buf[0..n) with random bytes; returns 0 or a negative code. */
typedef int (*tk_random_fn)(void *ctx, unsigned char *buf, size_t n);

/* A keyed HMAC-SHA256, set up once so each signature skips the algorithm lookup and key schedule. */
typedef struct tk_hmac tk_hmac;

/* Caller frees with tk_hmac_free. Returns 0, TK_ENOMEM or TK_ECRYPTO. */
int tk_hmac_new(tk_hmac **out, const void *key, size_t key_len);
void tk_hmac_free(tk_hmac *h);
/* HMAC of data[0..n) into out[32]; safe to call from many threads at once (each thread keeps its own
   working copy of the keyed state, freed when the thread ends). Returns 0 or TK_ECRYPTO. */
int tk_hmac_sign(const tk_hmac *h, unsigned char out[32], const void *data, size_t n);
/* Frees the calling thread's working copy now. For a detached thread that signs and then tells
   another thread it is done: that one may free h before this thread has fully ended. */
void tk_hmac_thread_done(const tk_hmac *h);

/* HMAC-SHA256 of data under key into out[32], one-shot. Returns 0 or TK_ECRYPTO. */
int tk_hmac_sha256(unsigned char out[32], const void *key, size_t key_len, const void *data, size_t n);

/* The 100ms credentials. Borrowed; must outlive every call that uses them. When `hmac` is set it must
   be keyed with `secret`, and is used instead of keying a fresh HMAC for every token. */
typedef struct tk_mint_key {
  const char *access_key;
  const unsigned char *secret;
  size_t secret_len;
  const tk_hmac *hmac;
} tk_mint_key;

/* Formats 16 random bytes as a UUIDv4 (version and variant bits forced) into out[37]. */
void tk_uuid4_format(char out[37], const unsigned char rnd[16]);

/* An auth token for one peer: claims access_key, exp, iat, jti, nbf, role, room_id, type "app", user_id,
   version 2, serialised compactly with sorted keys; iat = nbf = now, exp = now + ttl.
   On success *out is a NUL-terminated token the caller frees with free(). */
int tk_mint_auth(char **out, const tk_mint_key *key, const char *room_id, const char *user_id, const char *role,
                 int64_t now, int64_t ttl, tk_random_fn rnd, void *rnd_ctx);

/* A management token for the 100ms REST API: access_key, exp, iat, jti, nbf, type "management", version 2.
   Caller frees *out with free(). */
int tk_mint_management(char **out, const tk_mint_key *key, int64_t now, int64_t ttl, tk_random_fn rnd, void *rnd_ctx);

/* header.payload.signature, HS256 under key (its hmac when set), from a base64url header and a finished
   payload. The JWT form every HS256 provider token shares. Caller frees *out with free(). */
struct tk_jsonw;
int tk_mint_jwt(char **out, const char *header_b64url, const tk_mint_key *key, const struct tk_jsonw *payload);

/* The production randomness source: OpenSSL's RAND_bytes. ctx is unused. */
int tk_random_openssl(void *ctx, unsigned char *buf, size_t n);

/* RAND_bytes drawn in 4 KiB batches into a per-thread pool. OpenSSL checks for a fork on every call
   (a getpid system call); batching makes that once per 256 tokens. Each byte is handed out once. */
int tk_random_pooled(void *ctx, unsigned char *buf, size_t n);

#endif
