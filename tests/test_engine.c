/* The per-file pipeline as a user sees it: snippets, masking, fingerprints,
 * suppressions, ordering. */
#include "rltest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "util.h"

static rl_engine *engine(void) {
  rl_engine_config cfg = {0};
  cfg.jobs = 1;
  rl_engine *e = NULL;
  assert_int_equal(rl_engine_new(&e, &cfg), 0);
  return e;
}

static const rl_finding *first_of(const rl_file_result *r, const char *rule) {
  for (size_t i = 0; i < r->nfindings; i++)
    if (strcmp(r->findings[i].rule->id, rule) == 0) return &r->findings[i];
  return NULL;
}

#define SECRET "Zq8vR3kP1mX7wY2nB5tL9cF4hJ6dG0sA"

static void engine__snippet_masks_secret(void **state) {
  (void)state;
  rl_engine *e = engine();
  const char *src = "const x = 1;\nconst managementToken = '" SECRET "';\n";
  rl_file_result *r = rl_engine_scan_buffer(e, "server/a.js", NULL, src, strlen(src));
  const rl_finding *f = first_of(r, "hardcoded-secret");
  assert_non_null(f);
  assert_int_equal(f->start_line, 2);
  assert_int_equal(f->start_col, 25);
  assert_string_equal(f->snippet, "const managementToken = 'Zq8v…(32 chars)';");
  assert_null(strstr(f->message, SECRET));
  assert_int_equal(f->snippet_col, 0);
  rl_file_result_free(r);
  rl_engine_free(e);
}

static void engine__long_line_snippet_is_a_window(void **state) {
  (void)state;
  rl_engine *e = engine();
  rl_buf b = {0};
  rl_buf_puts(&b, "var cfg = {");
  for (int i = 0; i < 400; i++) rl_buf_printf(&b, " k%d: %d,", i, i);
  rl_buf_puts(&b, " managementToken: '" SECRET "',");
  for (int i = 0; i < 400; i++) rl_buf_printf(&b, " j%d: %d,", i, i);
  rl_buf_puts(&b, " };\n");
  rl_file_result *r = rl_engine_scan_buffer(e, "server/cfg.js", NULL, b.ptr, b.len);
  const rl_finding *f = first_of(r, "hardcoded-secret");
  assert_non_null(f);
  assert_true(strlen(f->snippet) < 400);
  assert_non_null(strstr(f->snippet, "managementToken: 'Zq8v…(32 chars)'"));
  assert_memory_equal(f->snippet, "…", 3);
  assert_string_equal(f->snippet + strlen(f->snippet) - 3, "…");
  /* The leading "…" stands for the columns cut away before the window. */
  const char *at = strstr(f->snippet, "'Zq8v");
  uint32_t col_in_snippet = 0;
  for (const char *p = f->snippet; p < at; p++)
    if (((unsigned char)*p & 0xC0) != 0x80) col_in_snippet++;
  assert_int_equal(f->snippet_col + col_in_snippet, f->start_col);
  rl_file_result_free(r);
  rl_buf_free(&b);
  rl_engine_free(e);
}

static const char *fingerprint_of(rl_engine *e, const char *src) {
  static char fp[17];
  rl_file_result *r = rl_engine_scan_buffer(e, "server/a.js", NULL, src, strlen(src));
  const rl_finding *f = first_of(r, "hardcoded-secret");
  assert_non_null(f);
  memcpy(fp, f->fingerprint, sizeof fp);
  rl_file_result_free(r);
  return fp;
}

static void engine__fingerprint_survives_edits_elsewhere(void **state) {
  (void)state;
  rl_engine *e = engine();
  char base[17], moved[17], edited[17], changed[17];
  snprintf(base, sizeof base, "%s", fingerprint_of(e, "const a = 1;\nconst appSecret = '" SECRET "';\n"));
  snprintf(moved, sizeof moved, "%s",
           fingerprint_of(e, "// new header\n\n\nconst a = 1;\nconst appSecret = '" SECRET "';\n"));
  snprintf(edited, sizeof edited, "%s",
           fingerprint_of(e, "const a = 2; // tweaked\nconst appSecret   =   '" SECRET "';\nfoo();\n"));
  snprintf(changed, sizeof changed, "%s",
           fingerprint_of(e, "const a = 1;\nconst appSecret = 'Yy8vR3kP1mX7wY2nB5tL9cF4hJ6dG0sB';\n"));
  assert_string_equal(base, moved);
  assert_string_equal(base, edited);
  assert_string_not_equal(base, changed);
  assert_int_equal(strlen(base), 16);
  rl_engine_free(e);
}

static void engine__identical_findings_get_distinct_fingerprints(void **state) {
  (void)state;
  rl_engine *e = engine();
  const char *src = "const appSecret = '" SECRET "';\nconst appSecret2 = 1;\nconst appSecret = '" SECRET "';\n";
  rl_file_result *r = rl_engine_scan_buffer(e, "server/a.js", NULL, src, strlen(src));
  assert_true(r->nfindings >= 2);
  assert_string_not_equal(r->findings[0].fingerprint, r->findings[1].fingerprint);
  rl_file_result_free(r);
  rl_engine_free(e);
}

static void engine__suppressed_findings_are_kept_and_marked(void **state) {
  (void)state;
  rl_engine *e = engine();
  const char *src = "// roomlint-disable-next-line hardcoded-secret -- emulator key\n"
                    "const appSecret = '" SECRET "';\n"
                    "const apiSecret = '" SECRET "';\n";
  rl_file_result *r = rl_engine_scan_buffer(e, "server/a.js", NULL, src, strlen(src));
  assert_int_equal(r->nfindings, 2);
  assert_int_equal(r->findings[0].suppressed, RL_SUPPRESS_IN_SOURCE);
  assert_string_equal(r->findings[0].justification, "emulator key");
  assert_int_equal(r->findings[1].suppressed, RL_SUPPRESS_NONE);
  rl_file_result_free(r);
  rl_engine_free(e);
}

static void engine__findings_sorted_by_position(void **state) {
  (void)state;
  rl_engine *e = engine();
  const char *src = "fetch('http://api.demo-app.io/b'); const appSecret = '" SECRET "';\n"
                    "fetch('http://api.demo-app.io/a');\n";
  rl_file_result *r = rl_engine_scan_buffer(e, "server/a.js", NULL, src, strlen(src));
  assert_int_equal(r->nfindings, 3);
  for (size_t i = 1; i < r->nfindings; i++) {
    const rl_finding *a = &r->findings[i - 1], *b = &r->findings[i];
    assert_true(a->start_line < b->start_line || (a->start_line == b->start_line && a->start_col < b->start_col));
  }
  rl_file_result_free(r);
  rl_engine_free(e);
}

static void engine__syntax_error_is_a_note_and_file_still_scanned(void **state) {
  (void)state;
  rl_engine *e = engine();
  const char *src = "const appSecret = '" SECRET "';\nfunction (( {\n";
  rl_file_result *r = rl_engine_scan_buffer(e, "server/a.js", NULL, src, strlen(src));
  assert_true(r->has_syntax_errors);
  assert_int_equal(r->nnotes, 1);
  assert_string_equal(r->notes[0].id, "syntax-error");
  assert_non_null(first_of(r, "hardcoded-secret"));
  rl_file_result_free(r);
  rl_engine_free(e);
}

static void engine__unknown_rule_names_are_errors(void **state) {
  (void)state;
  const char *bad[] = {"no-such-rule", NULL};
  rl_engine_config cfg = {0};
  cfg.disable = bad;
  rl_engine *e = NULL;
  assert_int_equal(rl_engine_new(&e, &cfg), RL_EUSAGE);
  assert_null(e);
  assert_non_null(strstr(rl_error_last(), "no-such-rule"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(engine__snippet_masks_secret),
      cmocka_unit_test(engine__long_line_snippet_is_a_window),
      cmocka_unit_test(engine__fingerprint_survives_edits_elsewhere),
      cmocka_unit_test(engine__identical_findings_get_distinct_fingerprints),
      cmocka_unit_test(engine__suppressed_findings_are_kept_and_marked),
      cmocka_unit_test(engine__findings_sorted_by_position),
      cmocka_unit_test(engine__syntax_error_is_a_note_and_file_still_scanned),
      cmocka_unit_test(engine__unknown_rule_names_are_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
