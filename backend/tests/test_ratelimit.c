/* The per-user token bucket, driven by an injected clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ratelimit.h"

static void ratelimit__burst_then_refill(void **state) {
  tk_ratelimit *rl = NULL;
  (void)state;
  assert_int_equal(tk_ratelimit_new(&rl, 60, 3, 42), 0); /* one token a second, three saved */
  for (int i = 0; i < 3; i++) assert_int_equal(tk_ratelimit_take(rl, "alice", 5, 100.0), 0);
  assert_int_equal(tk_ratelimit_take(rl, "alice", 5, 100.0), 1);
  assert_int_equal(tk_ratelimit_take(rl, "bob", 3, 100.0), 0); /* per user */
  assert_int_equal(tk_ratelimit_take(rl, "alice", 5, 101.0), 0);
  assert_int_equal(tk_ratelimit_take(rl, "alice", 5, 101.0), 1);
  /* A long pause refills only up to the burst. */
  for (int i = 0; i < 3; i++) assert_int_equal(tk_ratelimit_take(rl, "alice", 5, 1000.0), 0);
  assert_true(tk_ratelimit_take(rl, "alice", 5, 1000.0) >= 1);
  tk_ratelimit_free(rl);
}

static void ratelimit__retry_after_reflects_rate(void **state) {
  tk_ratelimit *rl = NULL;
  (void)state;
  assert_int_equal(tk_ratelimit_new(&rl, 6, 1, 7), 0); /* one token per 10 s */
  assert_int_equal(tk_ratelimit_take(rl, "u", 1, 0.0), 0);
  assert_int_equal(tk_ratelimit_take(rl, "u", 1, 0.0), 10);
  assert_int_equal(tk_ratelimit_take(rl, "u", 1, 5.0), 5);
  tk_ratelimit_free(rl);
}

static void ratelimit__many_users_stay_bounded(void **state) {
  tk_ratelimit *rl = NULL;
  char key[32];
  (void)state;
  assert_int_equal(tk_ratelimit_new(&rl, 60, 1, 9), 0);
  /* Far more users than slots: the table evicts instead of growing, and new users are never refused. */
  for (int i = 0; i < 100000; i++) {
    int n = snprintf(key, sizeof key, "user-%d", i);
    assert_int_equal(tk_ratelimit_take(rl, key, (size_t)n, (double)i / 1000.0), 0);
  }
  tk_ratelimit_free(rl);
  tk_ratelimit_free(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(ratelimit__burst_then_refill),
      cmocka_unit_test(ratelimit__retry_after_reflects_rate),
      cmocka_unit_test(ratelimit__many_users_stay_bounded),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
