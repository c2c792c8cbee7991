/* Signing keys published as a JWKS document (RFC 7517) by an identity provider, fetched with libcurl,
   cached, and fetched again when a token names a key id the cache does not have (at most once per
   refresh interval, so a burst of made-up key ids costs one fetch, not one per request). */
#ifndef TK_JWKS_H
#define TK_JWKS_H
#include <stddef.h>

#include <openssl/evp.h>

typedef struct tk_jwks tk_jwks;

/* Key types we accept and the JWS algorithm each one verifies. */
typedef enum { TK_JWK_RS256, TK_JWK_ES256, TK_JWK_EDDSA } tk_jwk_alg;

/* Seconds on a steady clock; NULL is CLOCK_MONOTONIC (tests inject their own). */
typedef double (*tk_jwks_clock)(void);

/* url (copied) may be NULL: keys then come only from tk_jwks_load (tests). min_interval: seconds
   between two fetches; max_age: seconds after which the cached set is fetched again on the next use.
   Caller frees with tk_jwks_free. Fetches nothing yet. */
int tk_jwks_new(tk_jwks **out, const char *url, int min_interval, int max_age, long timeout_ms, tk_jwks_clock clock);
void tk_jwks_free(tk_jwks *j);

/* Replaces the cached keys with those in the JWKS document json[0..n). Keys of other types, with "use" other than
   "sig", or without a "kid" are skipped; RSA keys need >= 2048 bits, EC keys P-256, OKP keys Ed25519. Returns 0, or
   TK_EINVAL when the document is not a JWKS (the cache is then kept). */
int tk_jwks_load(tk_jwks *j, const char *json, size_t n);

/* Fetches the URL now, whatever the interval. Returns 0 or a negative code (the cache is kept). */
int tk_jwks_refresh(tk_jwks *j);

/* The key `kid` for alg, fetching the set again first when kid is unknown (or
   the set is older than max_age) and the last fetch is at least min_interval ago; while another
   thread is fetching, answers from the cache without waiting. Returns a new
   reference the caller releases with EVP_PKEY_free, or NULL. */
EVP_PKEY *tk_jwks_key(tk_jwks *j, const char *kid, tk_jwk_alg alg);

/* How many fetches have been attempted (for tests and logs). */
unsigned tk_jwks_fetches(tk_jwks *j);
/* How many keys are cached. */
size_t tk_jwks_count(tk_jwks *j);

#endif
