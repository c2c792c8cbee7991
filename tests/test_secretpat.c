/* Custom secret patterns: the entropy they filter by, capture group 1 as
 * the secret, and a pattern run through the engine on JS and dotenv text,
 * masked in message and snippet. */
#include "rltest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "engine.h"
#include "regex.h"
#include "secretpat.h"
#include "util.h"

static double fabs_diff(double a, double b) { return a > b ? a - b : b - a; }

static void secretpat__entropy_in_bits_per_byte(void **state) {
  (void)state;
  assert_true(rl_shannon_entropy("", 0) == 0);
  assert_true(rl_shannon_entropy("aaaaaaaa", 8) == 0);
  assert_true(fabs_diff(rl_shannon_entropy("abab", 4), 1.0) < 1e-9);
  assert_true(fabs_diff(rl_shannon_entropy("abcdefgh", 8), 3.0) < 1e-9);
  char all[256];
  for (int i = 0; i < 256; i++) all[i] = (char)i;
  assert_true(fabs_diff(rl_shannon_entropy(all, 256), 8.0) < 1e-9);
  /* a skewed string: p = 3/4, 1/4 -> 0.811278 bits */
  assert_true(fabs_diff(rl_shannon_entropy("aaab", 4), 0.8112781244591328) < 1e-9);
}

static void secretpat__group_one_is_the_secret(void **state) {
  (void)state;
  rl_regex *re = NULL;
  const char *pat = "key=([a-z0-9]+)";
  assert_int_equal(rl_regex_new(&re, pat, strlen(pat), 0), 0);
  const char *s = "x key=abc1 y key=zz9";
  size_t span[4];
  assert_int_equal(rl_regex_search_from(re, s, strlen(s), 0, span), 1);
  assert_int_equal(span[0], 2);
  assert_int_equal(span[2], 6);
  assert_int_equal(span[3], 10);
  assert_int_equal(rl_regex_search_from(re, s, strlen(s), span[1], span), 1);
  assert_int_equal(span[2], 17);
  assert_int_equal(rl_regex_search_from(re, s, strlen(s), span[1], span), 0);
  rl_regex_free(re);
  /* no group: the whole match */
  assert_int_equal(rl_regex_new(&re, "zz[0-9]", 7, 0), 0);
  assert_int_equal(rl_regex_search_from(re, s, strlen(s), 0, span), 1);
  assert_int_equal(span[2], span[0]);
  assert_int_equal(span[3], span[1]);
  rl_regex_free(re);
}

static void secretpat__engine_reports_masked(void **state) {
  (void)state;
  char path[] = "/tmp/rl-secretpat-XXXXXX.yml";
  int fd = mkstemps(path, 4);
  assert_true(fd >= 0);
  const char *yml = "secrets:\n  - id: acme-key\n    regex: 'acme_[A-Za-z0-9]{16}'\n    keywords: [acme]\n"
                    "    min-entropy: 3\n    description: Acme key\n";
  assert_int_equal(write(fd, yml, strlen(yml)), (ssize_t)strlen(yml));
  close(fd);
  rl_config *c = NULL;
  assert_int_equal(rl_config_load(&c, path), 0);
  unlink(path);
  assert_int_equal(c->nsecrets, 1);
  rl_secretpats *p = rl_secretpats_new(c);
  rl_engine_config cfg = {0};
  cfg.jobs = 1;
  cfg.extra_rules = rl_secretpats_rules(p, &cfg.nextra_rules);
  rl_engine *e = NULL;
  assert_int_equal(rl_engine_new(&e, &cfg), 0);
  const char *js = "const k = 'acme_Zq8Rv2Lm5Tx9Wb3N';\nconst low = 'acme_aaaaaaaaaaaaaaaa';\n";
  rl_file_result *r = rl_engine_scan_buffer(e, "src/a.js", NULL, js, strlen(js));
  size_t n = 0;
  for (size_t i = 0; i < r->nfindings; i++) {
    const rl_finding *f = &r->findings[i];
    if (strcmp(f->rule->id, "acme-key") != 0) continue;
    n++;
    assert_int_equal(f->start_line, 1);
    assert_int_equal(f->start_col, 12);
    assert_string_equal(f->message, "Acme key: acme…(21 chars)");
    assert_null(strstr(f->snippet, "Zq8Rv2"));
  }
  assert_int_equal(n, 1); /* the low-entropy one is left out */
  rl_file_result_free(r);
  const char *env = "ACME=acme_Zq8Rv2Lm5Tx9Wb3N\n";
  r = rl_engine_scan_buffer(e, ".env", NULL, env, strlen(env));
  n = 0;
  for (size_t i = 0; i < r->nfindings; i++) n += strcmp(r->findings[i].rule->id, "acme-key") == 0;
  assert_int_equal(n, 1);
  rl_file_result_free(r);
  rl_engine_free(e);
  rl_secretpats_free(p);
  rl_config_free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(secretpat__entropy_in_bits_per_byte),
      cmocka_unit_test(secretpat__group_one_is_the_secret),
      cmocka_unit_test(secretpat__engine_reports_masked),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
