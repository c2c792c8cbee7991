#include "jwks.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>

#include "b64url.h"
#include "httpc.h"
#include "tokend.h"

#define KID_MAX 256
#define KEYS_MAX 64
#define FIELD_MAX 1024 /* decoded bytes of one key field: RSA moduli up to 8192 bits */

typedef struct {
  char *kid;
  tk_jwk_alg alg;
  EVP_PKEY *pkey;
} jwk;

struct tk_jwks {
  char *url;
  tk_jwks_clock clock;
  int min_interval, max_age;
  long timeout_ms;
  pthread_rwlock_t lock; /* guards keys, n_keys, loaded_at */
  jwk *keys;
  size_t n_keys;
  double loaded_at;         /* monotonic time of the last successful load; < 0 never */
  pthread_mutex_t fetch_mu; /* one fetch at a time; guards last_fetch */
  double last_fetch;        /* monotonic time of the last fetch attempt; < 0 never */
  atomic_uint fetches;
};

static double monotonic(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int tk_jwks_new(tk_jwks **out, const char *url, int min_interval, int max_age, long timeout_ms, tk_jwks_clock clock) {
  tk_jwks *j = calloc(1, sizeof *j);
  if (j == NULL) return TK_ENOMEM;
  if (url != NULL && (j->url = strdup(url)) == NULL) {
    free(j);
    return TK_ENOMEM;
  }
  j->clock = clock != NULL ? clock : monotonic;
  j->min_interval = min_interval;
  j->max_age = max_age;
  j->timeout_ms = timeout_ms;
  j->loaded_at = -1;
  j->last_fetch = -1;
  pthread_rwlock_init(&j->lock, NULL);
  pthread_mutex_init(&j->fetch_mu, NULL);
  *out = j;
  return TK_OK;
}

static void free_keys(jwk *keys, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(keys[i].kid);
    EVP_PKEY_free(keys[i].pkey);
  }
  free(keys);
}

void tk_jwks_free(tk_jwks *j) {
  if (j == NULL) return;
  free_keys(j->keys, j->n_keys);
  pthread_rwlock_destroy(&j->lock);
  pthread_mutex_destroy(&j->fetch_mu);
  free(j->url);
  free(j);
}

/* A base64url member of the key, decoded into buf[FIELD_MAX]. Returns the length, or 0. */
static size_t field(const json_t *k, const char *name, unsigned char *buf) {
  const char *s = json_string_value(json_object_get(k, name));
  size_t n = s != NULL ? strlen(s) : 0, len = 0;
  if (n == 0 || n > FIELD_MAX * 4 / 3 || tk_b64url_decode(buf, &len, s, n) != 0) return 0;
  return len;
}

static EVP_PKEY *from_params(const char *type, OSSL_PARAM_BLD *bld) {
  OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX *ctx = params != NULL ? EVP_PKEY_CTX_new_from_name(NULL, type, NULL) : NULL;
  EVP_PKEY *pkey = NULL;
  if (ctx == NULL || EVP_PKEY_fromdata_init(ctx) != 1 ||
      EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1)
    pkey = NULL;
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  return pkey;
}

static EVP_PKEY *rsa_key(const json_t *k) {
  unsigned char nb[FIELD_MAX], eb[FIELD_MAX];
  size_t nl = field(k, "n", nb), el = field(k, "e", eb);
  OSSL_PARAM_BLD *bld = NULL;
  BIGNUM *n = NULL, *e = NULL;
  EVP_PKEY *pkey = NULL;
  if (nl == 0 || el == 0 || el > 8) return NULL;
  bld = OSSL_PARAM_BLD_new();
  n = BN_bin2bn(nb, (int)nl, NULL);
  e = BN_bin2bn(eb, (int)el, NULL);
  if (bld != NULL && n != NULL && e != NULL && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) == 1 &&
      OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) == 1)
    pkey = from_params("RSA", bld);
  if (pkey != NULL && EVP_PKEY_get_bits(pkey) < 2048) {
    EVP_PKEY_free(pkey);
    pkey = NULL;
  }
  BN_free(n);
  BN_free(e);
  OSSL_PARAM_BLD_free(bld);
  return pkey;
}

/* The point must be on the curve: fromdata alone does not check it. */
static int public_ok(EVP_PKEY *pkey) {
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
  int ok = ctx != NULL && EVP_PKEY_public_check(ctx) == 1;
  EVP_PKEY_CTX_free(ctx);
  return ok;
}

static EVP_PKEY *ec_key(const json_t *k) {
  unsigned char x[FIELD_MAX], y[FIELD_MAX], point[65];
  const char *crv = json_string_value(json_object_get(k, "crv"));
  OSSL_PARAM_BLD *bld;
  EVP_PKEY *pkey = NULL;
  if (crv == NULL || strcmp(crv, "P-256") != 0 || field(k, "x", x) != 32 || field(k, "y", y) != 32) return NULL;
  point[0] = 0x04; /* uncompressed */
  memcpy(point + 1, x, 32);
  memcpy(point + 33, y, 32);
  bld = OSSL_PARAM_BLD_new();
  if (bld != NULL && OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) == 1 &&
      OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point) == 1)
    pkey = from_params("EC", bld);
  OSSL_PARAM_BLD_free(bld);
  if (pkey != NULL && !public_ok(pkey)) {
    EVP_PKEY_free(pkey);
    pkey = NULL;
  }
  return pkey;
}

static EVP_PKEY *okp_key(const json_t *k) {
  unsigned char x[FIELD_MAX];
  const char *crv = json_string_value(json_object_get(k, "crv"));
  if (crv == NULL || strcmp(crv, "Ed25519") != 0 || field(k, "x", x) != 32) return NULL;
  return EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, x, 32);
}

/* One member of "keys"; 0 when it is skipped. */
static int parse_key(jwk *out, const json_t *k) {
  static const char *const alg_names[] = {"RS256", "ES256", "EdDSA"};
  const char *kty = json_string_value(json_object_get(k, "kty"));
  const char *kid = json_string_value(json_object_get(k, "kid"));
  const char *use = json_string_value(json_object_get(k, "use"));
  const json_t *alg = json_object_get(k, "alg");
  if (kty == NULL || kid == NULL || kid[0] == '\0' || strlen(kid) > KID_MAX || (use != NULL && strcmp(use, "sig") != 0))
    return 0;
  if (json_object_get(k, "use") != NULL && use == NULL) return 0;
  if (strcmp(kty, "RSA") == 0)
    out->alg = TK_JWK_RS256;
  else if (strcmp(kty, "EC") == 0)
    out->alg = TK_JWK_ES256;
  else if (strcmp(kty, "OKP") == 0)
    out->alg = TK_JWK_EDDSA;
  else
    return 0;
  /* A key that names its algorithm is used with that one only; RS384 and friends are not ours. */
  if (alg != NULL && (!json_is_string(alg) || strcmp(json_string_value(alg), alg_names[out->alg]) != 0)) return 0;
  out->pkey = out->alg == TK_JWK_RS256 ? rsa_key(k) : out->alg == TK_JWK_ES256 ? ec_key(k) : okp_key(k);
  if (out->pkey == NULL) return 0;
  out->kid = strdup(kid);
  if (out->kid == NULL) {
    EVP_PKEY_free(out->pkey);
    return 0;
  }
  return 1;
}

int tk_jwks_load(tk_jwks *j, const char *json, size_t n) {
  json_t *doc = json_loadb(json, n, JSON_REJECT_DUPLICATES, NULL), *k;
  const json_t *arr = json_object_get(doc, "keys");
  jwk *keys = NULL, *old;
  size_t i, m = 0, old_n;
  int rc = TK_EINVAL;
  if (!json_is_array(arr)) goto cleanup;
  rc = TK_ENOMEM;
  keys = calloc(json_array_size(arr) > 0 ? json_array_size(arr) : 1, sizeof *keys);
  if (keys == NULL) goto cleanup;
  json_array_foreach(arr, i, k) {
    if (m < KEYS_MAX && json_is_object(k)) m += (size_t)parse_key(&keys[m], k);
  }
  pthread_rwlock_wrlock(&j->lock);
  old = j->keys;
  old_n = j->n_keys;
  j->keys = keys;
  j->n_keys = m;
  j->loaded_at = j->clock();
  pthread_rwlock_unlock(&j->lock);
  free_keys(old, old_n); /* keys handed out earlier hold their own references */
  keys = NULL;
  rc = TK_OK;
cleanup:
  free(keys);
  json_decref(doc);
  return rc;
}

/* Called with fetch_mu held. */
static int fetch(tk_jwks *j) {
  char *text = NULL;
  size_t len = 0;
  long status = 0;
  int rc;
  tk_httpc_req rq = {"GET", j->url, NULL, NULL, j->timeout_ms, NULL};
  if (j->url == NULL) return TK_EINVAL;
  atomic_fetch_add(&j->fetches, 1);
  rc = tk_httpc_call(&text, &len, &status, &rq);
  if (rc == 0) rc = status == 200 ? tk_jwks_load(j, text, len) : TK_EINVAL;
  free(text);
  return rc;
}

int tk_jwks_refresh(tk_jwks *j) {
  int rc;
  pthread_mutex_lock(&j->fetch_mu);
  j->last_fetch = j->clock();
  rc = fetch(j);
  pthread_mutex_unlock(&j->fetch_mu);
  return rc;
}

/* Looks kid up under the read lock. *stale is set when the set is older than max_age. */
static EVP_PKEY *lookup(tk_jwks *j, const char *kid, tk_jwk_alg alg, double now, int *stale) {
  EVP_PKEY *pkey = NULL;
  pthread_rwlock_rdlock(&j->lock);
  *stale = j->loaded_at < 0 || now - j->loaded_at >= j->max_age;
  for (size_t i = 0; i < j->n_keys; i++) {
    if (strcmp(j->keys[i].kid, kid) == 0) {
      if (j->keys[i].alg == alg && EVP_PKEY_up_ref(j->keys[i].pkey) == 1) pkey = j->keys[i].pkey;
      break;
    }
  }
  pthread_rwlock_unlock(&j->lock);
  return pkey;
}

EVP_PKEY *tk_jwks_key(tk_jwks *j, const char *kid, tk_jwk_alg alg) {
  double now = j->clock();
  int stale = 0;
  EVP_PKEY *pkey = lookup(j, kid, alg, now, &stale);
  if ((pkey != NULL && !stale) || j->url == NULL) return pkey;
  /* Unknown kid (a rotation) or an old set. A request that finds a fetch already running does not
     wait for it: it answers from the cache as it is, so a slow identity provider holds no worker
     thread but the one fetching. */
  if (pthread_mutex_trylock(&j->fetch_mu) != 0) return pkey != NULL ? pkey : lookup(j, kid, alg, now, &stale);
  if (j->last_fetch < 0 || now - j->last_fetch >= j->min_interval) {
    j->last_fetch = now;
    fetch(j);
  }
  pthread_mutex_unlock(&j->fetch_mu);
  if (pkey != NULL) EVP_PKEY_free(pkey);
  return lookup(j, kid, alg, j->clock(), &stale);
}

unsigned tk_jwks_fetches(tk_jwks *j) { return atomic_load(&j->fetches); }

size_t tk_jwks_count(tk_jwks *j) {
  size_t n;
  pthread_rwlock_rdlock(&j->lock);
  n = j->n_keys;
  pthread_rwlock_unlock(&j->lock);
  return n;
}
