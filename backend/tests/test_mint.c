/* Minting: the test vector byte for byte, UUIDv4 formatting, and base64url strictness. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "b64url.h"
#include "mint.h"
#include "tokend.h"

static int zero_random(void *ctx, unsigned char *buf, size_t n) {
  (void)ctx;
  memset(buf, 0, n);
  return 0;
}

static int ff_random(void *ctx, unsigned char *buf, size_t n) {
  (void)ctx;
  memset(buf, 0xff, n);
  return 0;
}

static int broken_random(void *ctx, unsigned char *buf, size_t n) {
  (void)ctx;
  (void)buf;
  (void)n;
  return TK_ECRYPTO;
}

static const char secret[] = "test_app_secret_0123456789abcdef";
static const tk_mint_key key = {"test_access_key_0123456789", (const unsigned char *)secret, sizeof secret - 1, NULL};

static const char *signature_of(const char *token) {
  const char *dot = strrchr(token, '.');
  return dot ? dot + 1 : "";
}

static void mint__test_vector(void **state) {
  char *tok = NULL;
  (void)state;
  assert_int_equal(
      tk_mint_auth(&tok, &key, "65f1a2b3c4d5e6f7a8b9c0d1", "user_42", "guest", 1700000000, 3600, zero_random, NULL), 0);
  assert_string_equal(signature_of(tok), "rLch6zE-87KLsz14iv22JjRjsKNJoKy1lm84fKglI-A");
  /* The header is the fixed {"alg":"HS256","typ":"JWT"}. */
  assert_int_equal(strncmp(tok, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.", 37), 0);
  free(tok);
}

/* The same vector through a pre-keyed HMAC, the path the server uses. */
static void mint__test_vector_with_keyed_hmac(void **state) {
  tk_hmac *h = NULL;
  tk_mint_key keyed = key;
  char *a = NULL, *b = NULL;
  unsigned char m1[32], m2[32];
  (void)state;
  assert_int_equal(tk_hmac_new(&h, secret, sizeof secret - 1), 0);
  keyed.hmac = h;
  assert_int_equal(
      tk_mint_auth(&a, &keyed, "65f1a2b3c4d5e6f7a8b9c0d1", "user_42", "guest", 1700000000, 3600, zero_random, NULL), 0);
  assert_string_equal(signature_of(a), "rLch6zE-87KLsz14iv22JjRjsKNJoKy1lm84fKglI-A");
  assert_int_equal(
      tk_mint_auth(&b, &key, "65f1a2b3c4d5e6f7a8b9c0d1", "user_42", "guest", 1700000000, 3600, zero_random, NULL), 0);
  assert_string_equal(a, b);
  assert_int_equal(tk_hmac_sign(h, m1, "abc", 3), 0);
  assert_int_equal(tk_hmac_sha256(m2, secret, sizeof secret - 1, "abc", 3), 0);
  assert_memory_equal(m1, m2, 32);
  free(a);
  free(b);
  tk_hmac_free(h);
  tk_hmac_free(NULL);
}

static void mint__payload_is_sorted_compact_json(void **state) {
  char *tok = NULL, payload[1024];
  const char *p, *dot;
  size_t n = 0;
  (void)state;
  assert_int_equal(
      tk_mint_auth(&tok, &key, "65f1a2b3c4d5e6f7a8b9c0d1", "user_42", "guest", 1700000000, 3600, zero_random, NULL), 0);
  p = strchr(tok, '.') + 1;
  dot = strchr(p, '.');
  assert_int_equal(tk_b64url_decode((unsigned char *)payload, &n, p, (size_t)(dot - p)), 0);
  payload[n] = '\0';
  assert_string_equal(payload, "{\"access_key\":\"test_access_key_0123456789\",\"exp\":1700003600,"
                               "\"iat\":1700000000,\"jti\":\"00000000-0000-4000-8000-000000000000\","
                               "\"nbf\":1700000000,\"role\":\"guest\",\"room_id\":\"65f1a2b3c4d5e6f7a8b9c0d1\","
                               "\"type\":\"app\",\"user_id\":\"user_42\",\"version\":2}");
  free(tok);
}

static void mint__user_id_is_escaped(void **state) {
  char *tok = NULL, payload[1024];
  const char *p, *dot;
  size_t n = 0;
  (void)state;
  assert_int_equal(tk_mint_auth(&tok, &key, "65f1a2b3c4d5e6f7a8b9c0d1", "a\"b\\c\n", "guest", 1, 1, zero_random, NULL),
                   0);
  p = strchr(tok, '.') + 1;
  dot = strchr(p, '.');
  assert_int_equal(tk_b64url_decode((unsigned char *)payload, &n, p, (size_t)(dot - p)), 0);
  payload[n] = '\0';
  assert_non_null(strstr(payload, "\"user_id\":\"a\\\"b\\\\c\\u000a\""));
  free(tok);
}

static void mint__management_claims(void **state) {
  char *tok = NULL, payload[1024];
  const char *p, *dot;
  size_t n = 0;
  (void)state;
  assert_int_equal(tk_mint_management(&tok, &key, 1700000000, 600, ff_random, NULL), 0);
  p = strchr(tok, '.') + 1;
  dot = strchr(p, '.');
  assert_int_equal(tk_b64url_decode((unsigned char *)payload, &n, p, (size_t)(dot - p)), 0);
  payload[n] = '\0';
  assert_string_equal(payload, "{\"access_key\":\"test_access_key_0123456789\",\"exp\":1700000600,"
                               "\"iat\":1700000000,\"jti\":\"ffffffff-ffff-4fff-bfff-ffffffffffff\","
                               "\"nbf\":1700000000,\"type\":\"management\",\"version\":2}");
  free(tok);
}

static void mint__randomness_failure_is_reported(void **state) {
  char *tok = NULL;
  (void)state;
  assert_int_equal(tk_mint_auth(&tok, &key, "65f1a2b3c4d5e6f7a8b9c0d1", "u", "guest", 1, 1, broken_random, NULL),
                   TK_ECRYPTO);
  assert_null(tok);
  assert_int_equal(tk_mint_auth(&tok, &key, "65f1a2b3c4d5e6f7a8b9c0d1", "u", "guest", 1, 0, zero_random, NULL),
                   TK_ERANGE);
}

static void mint__pooled_randomness_never_repeats(void **state) {
  /* 600 draws of 16 bytes cross two refills of the 4 KiB pool; no two may be equal. */
  static unsigned char seen[600][16];
  unsigned char big[5000];
  (void)state;
  for (int i = 0; i < 600; i++) {
    assert_int_equal(tk_random_pooled(NULL, seen[i], 16), 0);
    for (int j = 0; j < i; j++) assert_memory_not_equal(seen[i], seen[j], 16);
  }
  assert_int_equal(tk_random_pooled(NULL, big, sizeof big), 0); /* larger than the pool: direct */
}

static void mint__uuid4_sets_version_and_variant(void **state) {
  char out[37];
  unsigned char r[16];
  (void)state;
  for (int i = 0; i < 16; i++) r[i] = (unsigned char)(i * 17);
  tk_uuid4_format(out, r);
  assert_string_equal(out, "00112233-4455-4677-8899-aabbccddeeff");
}

static void mint__b64url_round_trip_and_strictness(void **state) {
  unsigned char in[5] = {0xfb, 0xff, 0x00, 0x10, 0x7f}, out[8];
  char enc[16];
  size_t n = 0;
  (void)state;
  for (size_t len = 0; len <= 5; len++) {
    tk_b64url_encode(enc, in, len);
    assert_int_equal(strlen(enc), tk_b64url_encoded_len(len));
    assert_int_equal(tk_b64url_decode(out, &n, enc, strlen(enc)), 0);
    assert_int_equal(n, len);
    assert_memory_equal(out, in, len);
  }
  tk_b64url_encode(enc, in, 2);
  assert_string_equal(enc, "-_8");
  assert_int_equal(tk_b64url_decode(out, &n, "-_8=", 4), TK_EINVAL); /* padding */
  assert_int_equal(tk_b64url_decode(out, &n, "+/8", 3), TK_EINVAL);  /* standard alphabet */
  assert_int_equal(tk_b64url_decode(out, &n, "-_9", 3), TK_EINVAL);  /* non-zero trailing bits */
  assert_int_equal(tk_b64url_decode(out, &n, "abcde", 5), TK_EINVAL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(mint__test_vector),
      cmocka_unit_test(mint__test_vector_with_keyed_hmac),
      cmocka_unit_test(mint__payload_is_sorted_compact_json),
      cmocka_unit_test(mint__user_id_is_escaped),
      cmocka_unit_test(mint__management_claims),
      cmocka_unit_test(mint__randomness_failure_is_reported),
      cmocka_unit_test(mint__pooled_randomness_never_repeats),
      cmocka_unit_test(mint__uuid4_sets_version_and_variant),
      cmocka_unit_test(mint__b64url_round_trip_and_strictness),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
