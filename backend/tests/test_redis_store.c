/* The Redis client without a Redis: URL shapes, and what an unreachable Redis costs. The shared limit
   itself is tested against a real redis-server by integration.py (suite redis). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "mint.h"
#include "redis_store.h"
#include "tokend.h"

static void redis_store__url_shapes(void **state) {
  (void)state;
  assert_true(tk_redis_url_valid("redis://127.0.0.1"));
  assert_true(tk_redis_url_valid("redis://127.0.0.1:6380"));
  assert_true(tk_redis_url_valid("redis://cache.internal:6379/15"));
  assert_true(tk_redis_url_valid("unix:///run/redis/redis.sock"));
  assert_true(tk_redis_url_valid("unix:///run/redis/redis.sock?db=3"));
  assert_false(tk_redis_url_valid("redis://"));
  assert_false(tk_redis_url_valid("redis://:secret@127.0.0.1:6379")); /* no password in the URL */
  assert_false(tk_redis_url_valid("redis://user@127.0.0.1"));
  assert_false(tk_redis_url_valid("redis://127.0.0.1:0"));
  assert_false(tk_redis_url_valid("redis://127.0.0.1:65536"));
  assert_false(tk_redis_url_valid("redis://127.0.0.1/16"));
  assert_false(tk_redis_url_valid("redis://127.0.0.1/-1"));
  assert_false(tk_redis_url_valid("redis://127.0.0.1/x"));
  assert_false(tk_redis_url_valid("rediss://127.0.0.1"));
  assert_false(tk_redis_url_valid("http://127.0.0.1:6379"));
  assert_false(tk_redis_url_valid("unix://relative.sock"));
  assert_false(tk_redis_url_valid("unix:///tmp/r.sock?db="));
  assert_false(tk_redis_url_valid("unix:///tmp/r.sock?db=99"));
}

static int logged_warn, logged_info;
static void count_log(void *ctx, int level, const char *msg) {
  (void)ctx;
  (void)msg;
  if (level == 1)
    logged_warn++;
  else
    logged_info++;
}

static void redis_store__unreachable_is_unavailable_and_said_once(void **state) {
  tk_hmac *keyer = NULL;
  tk_redis *r = NULL;
  tk_redis_opts o = {.url = "unix:///nonexistent/tokend-test.sock",
                     .timeout_ms = 100,
                     .conns = 2,
                     .per_min = 60,
                     .burst = 10,
                     .lease_max = 4,
                     .log = count_log};
  char *tok = (char *)1;
  int64_t exp = 0;
  (void)state;
  assert_int_equal(tk_hmac_new(&keyer, "k", 1), 0);
  o.keyer = keyer;
  assert_int_equal(tk_redis_new(&r, &o), 0);
  for (int i = 0; i < 100; i++) assert_int_equal(tk_redis_take(r, "alice", 5, 100.0), TK_EUNAVAIL);
  assert_false(tk_redis_healthy(r));
  assert_true(tk_redis_token_store(r)->get(tk_redis_token_store(r)->ctx, &tok, &exp) < 0);
  assert_null(tok);
  assert_int_equal(logged_warn, 1);
  assert_int_equal(logged_info, 0);
  tk_redis_free(r);
  tk_hmac_free(keyer);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(redis_store__url_shapes),
      cmocka_unit_test(redis_store__unreachable_is_unavailable_and_said_once),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
