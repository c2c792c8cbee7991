/* Source maps: the JSON, the VLQ mappings, lookups between and past
 * segments, and malformed maps refused with a reason. */
#include "rltest.h"

#include <stdio.h>
#include <string.h>

#include "sourcemap.h"
#include "util.h"

static rl_sourcemap *load(const char *json) {
  rl_sourcemap *m = NULL;
  assert_int_equal(rl_sourcemap_parse(&m, json, strlen(json)), 0);
  return m;
}

static void sourcemap__lookups(void **state) {
  (void)state;
  /* line 0: col 0 -> a.js 0:0, col 2 -> a.js 0:2; line 1: col 0 -> b.js 1:0,
   * col 4 -> b.js 0:1 (negative deltas, a name field); line 2: a generated segment only */
  rl_sourcemap *m = load("{\"version\":3,\"sourceRoot\":\"src\",\"sources\":[\"a.js\",\"b.js\"],"
                         "\"sourcesContent\":[\"x\\ny\", \"one\\r\\ntwo\"],\"names\":[],"
                         "\"mappings\":\"AAAA,EAAE;ACCF,IADCA;A\"}");
  rl_sourcemap_query q[] = {{0, 0, 0, 0, 0, 0, 0}, {0, 1, 0, 0, 0, 0, 0}, {0, 9, 0, 0, 0, 0, 0}, {1, 3, 0, 0, 0, 0, 0},
                            {1, 4, 0, 0, 0, 0, 0}, {2, 5, 0, 0, 0, 0, 0}, {7, 0, 0, 0, 0, 0, 0}};
  assert_int_equal(rl_sourcemap_lookup(m, q, 7), 0);
  assert_true(q[0].found && q[0].source == 0 && q[0].orig_line == 0 && q[0].orig_col == 0);
  assert_true(q[1].found && q[1].orig_col == 0 && q[1].seg_col == 0);
  assert_true(q[2].found && q[2].orig_col == 2 && q[2].seg_col == 2);
  assert_true(q[3].found && q[3].source == 1 && q[3].orig_line == 1 && q[3].orig_col == 0);
  assert_true(q[4].found && q[4].source == 1 && q[4].orig_line == 0 && q[4].orig_col == 1 && q[4].seg_col == 4);
  assert_false(q[5].found); /* generated code, no source */
  assert_false(q[6].found); /* past the last line */
  assert_string_equal(rl_sourcemap_source(m, 1), "src/b.js");
  assert_null(rl_sourcemap_source(m, 2));
  const char *p;
  size_t n;
  assert_true(rl_sourcemap_source_line(m, 1, 1, &p, &n));
  assert_int_equal(n, 3);
  assert_memory_equal(p, "two", 3);
  assert_true(rl_sourcemap_source_line(m, 1, 0, &p, &n));
  assert_int_equal(n, 3); /* "one" without its \r */
  assert_false(rl_sourcemap_source_line(m, 0, 5, &p, &n));
  rl_sourcemap_free(m);
}

static void sourcemap__malformed(void **state) {
  (void)state;
  rl_sourcemap *m = NULL;
  assert_true(rl_sourcemap_parse(&m, "{\"version\":2}", 13) < 0);
  assert_non_null(strstr(rl_error_last(), "version 3"));
  const char *idx = "{\"version\":3,\"sections\":[]}";
  assert_true(rl_sourcemap_parse(&m, idx, strlen(idx)) < 0);
  assert_non_null(strstr(rl_error_last(), "sections"));
  const char *secret = "ssh-rsa AAAAB3Nza";
  assert_true(rl_sourcemap_parse(&m, secret, strlen(secret)) < 0);
  assert_null(strstr(rl_error_last(), "ssh")); /* the text is never quoted */
  static const char *const bad[] = {"AAAA,g", "AA", "AAAAAA", "AEAA", "AAAA,!", "ggggggggA"};
  for (size_t i = 0; i < RL_ARRAY_LEN(bad); i++) {
    char json[256];
    snprintf(json, sizeof json, "{\"version\":3,\"sources\":[\"a.js\"],\"mappings\":\"%s\"}", bad[i]);
    m = load(json);
    rl_sourcemap_query q = {0, 50, 0, 0, 0, 0, 0};
    assert_true(rl_sourcemap_lookup(m, &q, 1) < 0);
    rl_sourcemap_free(m);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(sourcemap__lookups),
      cmocka_unit_test(sourcemap__malformed),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
