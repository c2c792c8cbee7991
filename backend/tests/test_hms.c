/* The management-token cache: reused while fresh, re-minted before it expires. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hms.h"

static int counter_random(void *ctx, unsigned char *buf, size_t n) {
  unsigned *k = ctx;
  memset(buf, 0, n);
  buf[0] = (unsigned char)++*k;
  return 0;
}

static const char secret[] = "test_app_secret_0123456789abcdef";
static const tk_mint_key key = {"test_access_key_0123456789", (const unsigned char *)secret, sizeof secret - 1, NULL};

static void hms__management_token_is_cached_and_reminted(void **state) {
  tk_hms *h = NULL;
  unsigned calls = 0;
  char *a = NULL, *b = NULL, *c = NULL;
  const int64_t t0 = 1700000000;
  (void)state;
  assert_int_equal(tk_hms_new(&h, &key, "http://127.0.0.1:1", "tmpl", counter_random, &calls), 0);
  assert_int_equal(tk_hms_management_token(h, &a, t0), 0);
  assert_int_equal(tk_hms_management_token(h, &b, t0 + TK_HMS_MGMT_TTL - TK_HMS_MGMT_MARGIN - 1), 0);
  assert_string_equal(a, b);
  assert_int_equal(calls, 1);
  assert_int_equal(tk_hms_management_token(h, &c, t0 + TK_HMS_MGMT_TTL - TK_HMS_MGMT_MARGIN), 0);
  assert_string_not_equal(a, c);
  assert_int_equal(calls, 2);
  free(a);
  free(b);
  free(c);
  /* A clock that jumps backwards also gets a fresh token (iat must not lie in the future). */
  assert_int_equal(tk_hms_management_token(h, &a, t0 - 1000), 0);
  assert_int_equal(calls, 3);
  free(a);
  tk_hms_free(h);
}

static void hms__unreachable_upstream_is_an_error(void **state) {
  tk_hms *h = NULL;
  unsigned calls = 0;
  json_t *room = NULL;
  (void)state;
  /* Port 1 on loopback: nothing listens, the connection is refused at once. */
  assert_int_equal(tk_hms_new(&h, &key, "http://127.0.0.1:1/v2", "tmpl", counter_random, &calls), 0);
  assert_true(tk_hms_create_room(h, &room, "name", NULL, 1700000000) < 0);
  assert_null(room);
  tk_hms_free(h);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(hms__management_token_is_cached_and_reminted),
      cmocka_unit_test(hms__unreachable_upstream_is_an_error),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
