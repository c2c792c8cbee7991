/* PCRE2 behind rl_regex: a JIT stack large enough for long subjects, and a
 * limit that stops a match reported as unknown, never as "no match" (issue
 * 16, item 2). */
#include "rltest.h"

#include <stdlib.h>
#include <string.h>

#include "regex.h"
#include "util.h"

static rl_regex *compile(const char *pattern) {
  rl_regex *re = NULL;
  assert_int_equal(rl_regex_new(&re, pattern, strlen(pattern), 0), 0);
  return re;
}

static char *repeat(char c, size_t n, const char *tail) {
  char *s = malloc(n + strlen(tail) + 1);
  assert_non_null(s);
  memset(s, c, n);
  memcpy(s + n, tail, strlen(tail) + 1);
  return s;
}

/* 5,000 characters run PCRE2's default 32 KiB JIT stack out. */
static void regex__long_subject_matches(void **state) {
  (void)state;
  rl_regex *re = compile("^(\\w|-)+$");
  char *s = repeat('a', 5000, "");
  assert_int_equal(rl_regex_match(re, s, strlen(s)), 1);
  free(s);
  s = repeat('a', 5000, "!");
  assert_int_equal(rl_regex_match(re, s, strlen(s)), 0);
  free(s);
  s = repeat('a', 200000, "");
  assert_int_equal(rl_regex_match(re, s, strlen(s)), 1);
  free(s);
  rl_regex_free(re);
}

/* Catastrophic backtracking hits the match limit in the JIT and in the
 * interpreter: the answer is unknown, and says which limit. */
static void regex__limit_is_not_no_match(void **state) {
  (void)state;
  rl_regex *re = compile("^(a+)+$");
  char *s = repeat('a', 40, "b");
  size_t start = 7, end = 7;
  assert_true(rl_regex_search(re, s, strlen(s), &start, &end) < 0);
  assert_non_null(strstr(rl_error_last(), "limit"));
  assert_int_equal(start, 7); /* nothing written */
  assert_true(rl_regex_match(re, s, strlen(s)) < 0);
  /* the same regex still answers where it can */
  assert_int_equal(rl_regex_match(re, "aaaa", 4), 1);
  assert_int_equal(rl_regex_match(re, "aab", 3), 0);
  free(s);
  rl_regex_free(re);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(regex__long_subject_matches),
      cmocka_unit_test(regex__limit_is_not_no_match),
  };
  int rc = cmocka_run_group_tests(tests, NULL, NULL);
  rl_regex_thread_done();
  return rc;
}
