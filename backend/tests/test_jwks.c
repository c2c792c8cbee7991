/* The JWKS cache: which keys are taken from a document, and how often an unknown kid fetches again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "b64url.h"
#include "jwks.h"
#include "tokend.h"

static double fake_now;
static double fake_clock(void) { return fake_now; }

/* A fresh RSA key's public JWK members: "n":"...","e":"..." into out. */
static EVP_PKEY *rsa_members(char *out, size_t cap, unsigned bits) {
  EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)bits);
  BIGNUM *n = NULL, *e = NULL;
  unsigned char nb[1024], eb[8];
  char n64[1400], e64[16];
  int nl, el;
  assert_non_null(k);
  assert_int_equal(EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_N, &n), 1);
  assert_int_equal(EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_E, &e), 1);
  nl = BN_bn2bin(n, nb);
  el = BN_bn2bin(e, eb);
  tk_b64url_encode(n64, nb, (size_t)nl);
  tk_b64url_encode(e64, eb, (size_t)el);
  snprintf(out, cap, "\"n\":\"%s\",\"e\":\"%s\"", n64, e64);
  BN_free(n);
  BN_free(e);
  return k;
}

static void jwks__takes_signing_keys_only(void **state) {
  static char doc[16384], rsa[2000], small[1000];
  tk_jwks *j = NULL;
  EVP_PKEY *k, *a = rsa_members(rsa, sizeof rsa, 2048), *b = rsa_members(small, sizeof small, 1024);
  (void)state;
  snprintf(
      doc, sizeof doc,
      "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"a\",\"use\":\"sig\",\"alg\":\"RS256\",%s},"
      "{\"kty\":\"RSA\",\"kid\":\"enc\",\"use\":\"enc\",%s},"
      "{\"kty\":\"RSA\",\"kid\":\"rs512\",\"alg\":\"RS512\",%s},"
      "{\"kty\":\"RSA\",%s},"
      "{\"kty\":\"RSA\",\"kid\":\"small\",%s},"
      "{\"kty\":\"oct\",\"kid\":\"h\",\"k\":\"c2VjcmV0\"},"
      "{\"kty\":\"EC\",\"kid\":\"off-curve\",\"crv\":\"P-256\","
      "\"x\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE\",\"y\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE\"},"
      "{\"kty\":\"OKP\",\"kid\":\"ed\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"},"
      "7]}",
      rsa, rsa, rsa, rsa, small);
  assert_int_equal(tk_jwks_new(&j, NULL, 30, 3600, 1000, fake_clock), 0);
  assert_int_equal(tk_jwks_load(j, doc, strlen(doc)), 0);
  assert_int_equal(tk_jwks_count(j), 2); /* "a" and "ed" */
  k = tk_jwks_key(j, "a", TK_JWK_RS256);
  assert_non_null(k);
  assert_int_equal(EVP_PKEY_eq(k, a), 1);
  EVP_PKEY_free(k);
  assert_null(tk_jwks_key(j, "a", TK_JWK_ES256)); /* the key decides the algorithm */
  k = tk_jwks_key(j, "ed", TK_JWK_EDDSA);
  assert_non_null(k);
  EVP_PKEY_free(k);
  for (const char *const *kid = (const char *const[]){"enc", "rs512", "small", "h", "off-curve", NULL}; *kid; kid++)
    assert_null(tk_jwks_key(j, *kid, TK_JWK_RS256));
  /* Not a JWKS: refused, and the cached keys stay. */
  assert_int_equal(tk_jwks_load(j, "{\"keys\":{}}", 11), TK_EINVAL);
  assert_int_equal(tk_jwks_load(j, "[", 1), TK_EINVAL);
  assert_int_equal(tk_jwks_count(j), 2);
  /* A new document replaces the set: "a" is gone. */
  assert_int_equal(tk_jwks_load(j, "{\"keys\":[]}", 11), 0);
  assert_null(tk_jwks_key(j, "a", TK_JWK_RS256));
  tk_jwks_free(j);
  EVP_PKEY_free(a);
  EVP_PKEY_free(b);
}

static void jwks__unknown_kids_fetch_once_per_interval(void **state) {
  tk_jwks *j = NULL;
  (void)state;
  /* Nothing listens on port 1: every fetch fails at once, and is counted. */
  assert_int_equal(tk_jwks_new(&j, "http://127.0.0.1:1/jwks", 30, 3600, 1000, fake_clock), 0);
  fake_now = 1000;
  for (int i = 0; i < 50; i++) assert_null(tk_jwks_key(j, "nope", TK_JWK_RS256));
  assert_int_equal(tk_jwks_fetches(j), 1);
  fake_now = 1029;
  assert_null(tk_jwks_key(j, "other", TK_JWK_RS256));
  assert_int_equal(tk_jwks_fetches(j), 1);
  fake_now = 1030;
  assert_null(tk_jwks_key(j, "other", TK_JWK_RS256));
  assert_null(tk_jwks_key(j, "other", TK_JWK_RS256));
  assert_int_equal(tk_jwks_fetches(j), 2);
  /* An explicit refresh does not wait. */
  assert_true(tk_jwks_refresh(j) < 0);
  assert_int_equal(tk_jwks_fetches(j), 3);
  tk_jwks_free(j);
}

static void jwks__an_old_set_is_fetched_again_and_kept_if_that_fails(void **state) {
  static char doc[4096], rsa[2000];
  tk_jwks *j = NULL;
  EVP_PKEY *k, *a = rsa_members(rsa, sizeof rsa, 2048);
  (void)state;
  snprintf(doc, sizeof doc, "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"a\",%s}]}", rsa);
  assert_int_equal(tk_jwks_new(&j, "http://127.0.0.1:1/jwks", 30, 600, 1000, fake_clock), 0);
  fake_now = 5000;
  assert_int_equal(tk_jwks_load(j, doc, strlen(doc)), 0);
  fake_now = 5599; /* fresh: no fetch */
  k = tk_jwks_key(j, "a", TK_JWK_RS256);
  assert_non_null(k);
  EVP_PKEY_free(k);
  assert_int_equal(tk_jwks_fetches(j), 0);
  fake_now = 5600; /* max_age reached: one fetch, which fails; the cached key still answers */
  k = tk_jwks_key(j, "a", TK_JWK_RS256);
  assert_non_null(k);
  EVP_PKEY_free(k);
  k = tk_jwks_key(j, "a", TK_JWK_RS256);
  assert_non_null(k);
  EVP_PKEY_free(k);
  assert_int_equal(tk_jwks_fetches(j), 1);
  tk_jwks_free(j);
  EVP_PKEY_free(a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(jwks__takes_signing_keys_only),
      cmocka_unit_test(jwks__unknown_kids_fetch_once_per_interval),
      cmocka_unit_test(jwks__an_old_set_is_fetched_again_and_kept_if_that_fails),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
