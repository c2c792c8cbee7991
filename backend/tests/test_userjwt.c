/* User-token verification: the configured algorithm only, signature before claims, required claims. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "b64url.h"
#include "mint.h"
#include "tokend.h"
#include "userjwt.h"

#define NOW 1700000000
static const char secret[] = "user_jwt_secret_for_tests_0123456789abcdef";

/* Builds header.payload.signature with HMAC-SHA256 over the given JSON texts. */
static char *make(const char *header, const char *payload, const char *key) {
  static char tok[4096];
  unsigned char mac[32];
  size_t n;
  tk_b64url_encode(tok, (const unsigned char *)header, strlen(header));
  n = strlen(tok);
  tok[n++] = '.';
  tk_b64url_encode(tok + n, (const unsigned char *)payload, strlen(payload));
  n = strlen(tok);
  assert_int_equal(tk_hmac_sha256(mac, key, strlen(key), tok, n), 0);
  tok[n++] = '.';
  tk_b64url_encode(tok + n, mac, sizeof mac);
  return tok;
}

static const char hs256[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

static tk_verifier *verifier(const char *iss, const char *aud) {
  tk_verifier *v = NULL;
  assert_int_equal(
      tk_verifier_new(&v, TK_ALG_HS256, (const unsigned char *)secret, strlen(secret), NULL, 0, iss, aud, 30), 0);
  return v;
}

static int check(tk_verifier *v, const char *tok, const char **why) {
  tk_user u;
  int rc = tk_verifier_check(v, &u, why, tok, strlen(tok), NOW);
  tk_user_clear(&u);
  return rc;
}

static void userjwt__accepts_a_valid_token(void **state) {
  tk_verifier *v = verifier("iss-1", "aud-1");
  tk_user u;
  const char *why = NULL;
  const char *tok = make(hs256,
                         "{\"sub\":\"u1\",\"exp\":1700000600,\"iss\":\"iss-1\",\"aud\":[\"x\",\"aud-1\"],"
                         "\"hms_roles\":[\"host\"],\"hms_rooms\":[\"r1\"],\"can_create_rooms\":true}",
                         secret);
  (void)state;
  assert_int_equal(tk_verifier_check(v, &u, &why, tok, strlen(tok), NOW), 0);
  assert_string_equal(u.sub, "u1");
  assert_true(u.can_create_rooms);
  assert_true(tk_user_has_role(&u, "host"));
  assert_false(tk_user_has_role(&u, "guest"));
  assert_true(tk_user_may_join(&u, "r1"));
  assert_false(tk_user_may_join(&u, "r2"));
  tk_user_clear(&u);
  tk_verifier_free(v);
}

static void userjwt__rejects_other_algorithms(void **state) {
  tk_verifier *v = verifier(NULL, NULL);
  const char *why = NULL;
  char none[512];
  const char *body = "{\"sub\":\"u1\",\"exp\":1700000600}";
  (void)state;
  assert_int_equal(check(v, make("{\"alg\":\"HS512\"}", body, secret), &why), TK_EINVAL);
  assert_string_equal(why, "token algorithm not accepted");
  assert_int_equal(check(v, make("{\"alg\":\"RS256\"}", body, secret), &why), TK_EINVAL);
  assert_int_equal(check(v, make("{\"typ\":\"JWT\"}", body, secret), &why), TK_EINVAL);
  /* alg none with an empty signature */
  snprintf(none, sizeof none, "%s", make("{\"alg\":\"none\"}", body, secret));
  strrchr(none, '.')[1] = '\0';
  assert_int_equal(check(v, none, &why), TK_EINVAL);
  assert_string_equal(why, "token algorithm not accepted");
  assert_int_equal(check(v, make(hs256, body, secret), &why), 0);
  /* Other spellings of the header take the full parse and pass or fail on their content. */
  assert_int_equal(check(v, make("{\"typ\":\"JWT\",\"alg\":\"HS256\"}", body, secret), &why), 0);
  assert_int_equal(check(v, make("{\"alg\":\"HS256\"}", body, secret), &why), 0);
  /* The canonical spellings of another algorithm are not a shortcut: they are parsed and refused. */
  assert_int_equal(check(v, make("{\"typ\":\"JWT\",\"alg\":\"RS256\"}", body, secret), &why), TK_EINVAL);
  assert_string_equal(why, "token algorithm not accepted");
  assert_int_equal(check(v, make("{\"alg\":\"ES256\",\"typ\":\"JWT\"}", body, secret), &why), TK_EINVAL);
  assert_string_equal(why, "token algorithm not accepted");
  assert_int_equal(check(v, make("{\"alg\":\"HS256\",\"crit\":[\"b64\"]}", body, secret), &why), TK_EINVAL);
  assert_string_equal(why, "token has critical header extensions");
  assert_int_equal(check(v, make("{\"alg\":\"HS256\",\"alg\":\"none\"}", body, secret), &why), TK_EINVAL);
  tk_verifier_free(v);
}

static void userjwt__rejects_bad_signatures_and_shapes(void **state) {
  tk_verifier *v = verifier(NULL, NULL);
  const char *why = NULL;
  char tok[1024];
  (void)state;
  assert_int_equal(
      check(v, make(hs256, "{\"sub\":\"u1\",\"exp\":1700000600}", "wrong-key-wrong-key-wrong-key-xx"), &why),
      TK_EINVAL);
  assert_string_equal(why, "token signature invalid");
  snprintf(tok, sizeof tok, "%s", make(hs256, "{\"sub\":\"u1\",\"exp\":1700000600}", secret));
  tok[strlen(tok) - 2] = tok[strlen(tok) - 2] == 'A' ? 'B' : 'A';
  assert_int_equal(check(v, tok, &why), TK_EINVAL);
  assert_int_equal(check(v, "", &why), TK_EINVAL);
  assert_int_equal(check(v, "a.b", &why), TK_EINVAL);
  assert_int_equal(check(v, "a.b.c.d", &why), TK_EINVAL);
  assert_int_equal(check(v, make("[1]", "{\"sub\":\"u1\",\"exp\":1700000600}", secret), &why), TK_EINVAL);
  assert_int_equal(check(v, make(hs256, "{\"sub\":\"u1\",\"sub\":\"u2\",\"exp\":1700000600}", secret), &why),
                   TK_EINVAL);
  tk_verifier_free(v);
}

static void userjwt__checks_time_and_required_claims(void **state) {
  tk_verifier *v = verifier("iss-1", "aud-1");
  const char *why = NULL;
  (void)state;
#define CLAIMS(extra) "{\"sub\":\"u1\",\"iss\":\"iss-1\",\"aud\":\"aud-1\"" extra "}"
  assert_int_equal(check(v, make(hs256, CLAIMS(",\"exp\":1700000600"), secret), &why), 0);
  assert_int_equal(check(v, make(hs256, CLAIMS(",\"exp\":1699999900"), secret), &why), TK_EINVAL);
  assert_string_equal(why, "token expired");
  assert_int_equal(check(v, make(hs256, CLAIMS(",\"exp\":1699999980"), secret), &why), 0); /* within leeway */
  assert_int_equal(check(v, make(hs256, CLAIMS(",\"exp\":1700000600,\"nbf\":1700000100"), secret), &why), TK_EINVAL);
  assert_string_equal(why, "token not yet valid");
  assert_int_equal(check(v, make(hs256, CLAIMS(""), secret), &why), TK_EINVAL);
  assert_int_equal(check(v, make(hs256, CLAIMS(",\"exp\":\"1700000600\""), secret), &why), TK_EINVAL);
  assert_int_equal(check(v, make(hs256, "{\"exp\":1700000600,\"iss\":\"iss-1\",\"aud\":\"aud-1\"}", secret), &why),
                   TK_EINVAL);
  assert_string_equal(why, "token sub missing or invalid");
  assert_int_equal(
      check(v, make(hs256, "{\"sub\":\"u1\",\"exp\":1700000600,\"iss\":\"x\",\"aud\":\"aud-1\"}", secret), &why),
      TK_EINVAL);
  assert_string_equal(why, "token issuer not accepted");
  assert_int_equal(
      check(v, make(hs256, "{\"sub\":\"u1\",\"exp\":1700000600,\"iss\":\"iss-1\",\"aud\":\"x\"}", secret), &why),
      TK_EINVAL);
  assert_string_equal(why, "token audience not accepted");
  assert_int_equal(check(v, make(hs256, CLAIMS(",\"exp\":1700000600,\"hms_roles\":\"host\""), secret), &why),
                   TK_EINVAL);
  assert_int_equal(check(v, make(hs256, CLAIMS(",\"exp\":1700000600,\"can_create_rooms\":1"), secret), &why),
                   TK_EINVAL);
#undef CLAIMS
  tk_verifier_free(v);
}

static void userjwt__public_key_must_match_algorithm(void **state) {
  tk_verifier *v = NULL;
  (void)state;
  assert_int_equal(tk_verifier_new(&v, TK_ALG_RS256, NULL, 0, "not a pem", 9, NULL, NULL, 0), TK_EINVAL);
  assert_null(v);
  assert_int_equal(tk_verifier_new(&v, TK_ALG_HS256, NULL, 0, NULL, 0, NULL, NULL, 0), TK_EINVAL);
  assert_int_equal(tk_alg_parse(&(tk_alg){0}, "none"), TK_EINVAL);
  assert_int_equal(tk_alg_parse(&(tk_alg){0}, "hs256"), TK_EINVAL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(userjwt__accepts_a_valid_token),
      cmocka_unit_test(userjwt__rejects_other_algorithms),
      cmocka_unit_test(userjwt__rejects_bad_signatures_and_shapes),
      cmocka_unit_test(userjwt__checks_time_and_required_claims),
      cmocka_unit_test(userjwt__public_key_must_match_algorithm),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
