/* User rule packs: the shipped example pack loads and finds what its docs
 * say; broken packs stop with FILE:LINE:COL messages. */
#include "rltest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine.h"
#include "rulepack.h"
#include "util.h"

static void rulepack__example_pack_loads(void **state) {
  (void)state;
  rl_rulepack *p = NULL;
  assert_int_equal(rl_rulepack_load(&p, "rules/examples"), 0);
  assert_int_equal(rl_rulepack_count(p), 2);
  const rl_rule *r = rl_rulepack_rule(p, 0);
  assert_string_equal(r->id, "tls-verification-disabled"); /* sorted by file name: token-... < tls-... */
  rl_rulepack_free(p);
}

static size_t count(const rl_file_result *r, const char *id, const char **msg) {
  size_t n = 0;
  for (size_t i = 0; i < r->nfindings; i++)
    if (strcmp(r->findings[i].rule->id, id) == 0) {
      if (msg) *msg = r->findings[i].message;
      n++;
    }
  return n;
}

static void rulepack__example_rules_find_and_spare(void **state) {
  (void)state;
  const char *dirs[] = {"rules/examples", NULL};
  rl_engine_config cfg = {0};
  cfg.rule_dirs = dirs;
  cfg.jobs = 1;
  rl_engine *e = NULL;
  assert_int_equal(rl_engine_new(&e, &cfg), 0);
  const char *src = "import { useHMSActions } from '@100mslive/react-sdk';\n"
                    "export function save(token) {\n"
                    "  localStorage.setItem('hmsAuthToken', token);\n"
                    "  localStorage.setItem('theme', 'dark');\n"
                    "  window.localStorage.setItem('refresh_jwt', token);\n"
                    "}\n";
  rl_file_result *r = rl_engine_scan_buffer(e, "src/session.js", NULL, src, strlen(src));
  const char *msg = NULL;
  assert_int_equal(count(r, "token-in-localstorage", &msg), 2);
  assert_non_null(strstr(msg, "refresh_jwt is written to localStorage"));
  rl_file_result_free(r);

  const char *server = "const https = require('https');\n"
                       "const agent = new https.Agent({ rejectUnauthorized: false });\n"
                       "const ok = new https.Agent({ rejectUnauthorized: true });\n"
                       "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';\n";
  r = rl_engine_scan_buffer(e, "server/api.js", NULL, server, strlen(server));
  assert_int_equal(count(r, "tls-verification-disabled", NULL), 2);
  assert_int_equal(r->findings[0].start_line, 2);
  rl_file_result_free(r);
  rl_engine_free(e);
}

static char tmpdir[64];

static void write_rule(const char *name, const char *text) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", tmpdir, name);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static void expect_load_error(const char *text, const char *needle) {
  snprintf(tmpdir, sizeof tmpdir, "/tmp/rl-pack-XXXXXX");
  assert_non_null(mkdtemp(tmpdir));
  write_rule("broken.scm", text);
  rl_rulepack *p = NULL;
  assert_true(rl_rulepack_load(&p, tmpdir) < 0);
  assert_null(p);
  if (!strstr(rl_error_last(), needle)) fail_msg("error '%s' should mention '%s'", rl_error_last(), needle);
  if (!strstr(rl_error_last(), "broken.scm:")) fail_msg("error '%s' should name the file", rl_error_last());
  char path[256];
  snprintf(path, sizeof path, "%s/broken.scm", tmpdir);
  unlink(path);
  rmdir(tmpdir);
}

#define META "; id: my-rule\n; severity: warning\n; title: T\n; message: M\n; languages: javascript\n"

static void rulepack__broken_files_name_file_line_and_problem(void **state) {
  (void)state;
  expect_load_error(META "(identifier) @finding\n(no_such_node) @x\n",
                    "broken.scm:7:2: unknown node type 'no_such_node'");
  expect_load_error(META "((identifier) @finding (#match? @finding \"(\"))\n", "bad regular expression");
  expect_load_error(META "(identifier) @x\n", "no @finding capture");
  expect_load_error("; id: my-rule\n; title: T\n(identifier) @finding\n", "missing metadata '; severity");
  expect_load_error(
      "; id: My_Rule\n; severity: warning\n; title: T\n; message: M\n; languages: javascript\n(identifier) @finding\n",
      "kebab-case");
  expect_load_error(
      "; id: r\n; severity: fatal\n; title: T\n; message: M\n; languages: javascript\n(identifier) @finding\n",
      "severity 'fatal'");
  expect_load_error("; id: r\n; severity: note\n; title: T\n; message: M\n; languages: cobol\n(identifier) @finding\n",
                    "languages 'cobol'");
  expect_load_error("; id: r\n; colour: blue\n(identifier) @finding\n", "unknown metadata key 'colour'");
  for (int i = 0; i < 3; i++) {
    static const char *const bad_cwe[] = {"C", "CW", "CWE"};
    char text[256];
    snprintf(text, sizeof text,
             "; id: r\n; severity: note\n; title: T\n; message: M\n; languages: javascript\n; cwe: %s\n"
             "(identifier) @finding\n",
             bad_cwe[i]);
    expect_load_error(text, "must be a number such as 798 or CWE-798");
  }
}

static void rulepack__missing_dir_and_duplicate_ids(void **state) {
  (void)state;
  rl_rulepack *p = NULL;
  assert_int_equal(rl_rulepack_load(&p, "/nonexistent/rules"), RL_EIO);
  assert_non_null(strstr(rl_error_last(), "/nonexistent/rules"));
  /* A pack may not redefine a built-in rule. */
  snprintf(tmpdir, sizeof tmpdir, "/tmp/rl-pack-XXXXXX");
  assert_non_null(mkdtemp(tmpdir));
  write_rule("dup.scm", "; id: hardcoded-secret\n; severity: note\n; title: T\n; message: M\n; languages: javascript\n"
                        "(identifier) @finding\n");
  const char *dirs[] = {tmpdir, NULL};
  rl_engine_config cfg = {0};
  cfg.rule_dirs = dirs;
  rl_engine *e = NULL;
  assert_true(rl_engine_new(&e, &cfg) < 0);
  assert_non_null(strstr(rl_error_last(), "defined twice"));
  char path[256];
  snprintf(path, sizeof path, "%s/dup.scm", tmpdir);
  unlink(path);
  rmdir(tmpdir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(rulepack__example_pack_loads),
      cmocka_unit_test(rulepack__example_rules_find_and_spare),
      cmocka_unit_test(rulepack__broken_files_name_file_line_and_problem),
      cmocka_unit_test(rulepack__missing_dir_and_duplicate_ids),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
