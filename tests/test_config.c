/* .roomlint.yml: what loads, the file:line of every error, and the name
 * registries the rules and the classifier consult. */
#include "rltest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis.h"
#include "config.h"
#include "util.h"

static char *write_tmp(const char *text) {
  char *path = rl_xstrdup("/tmp/rl-config-XXXXXX");
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  FILE *f = fdopen(fd, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
  return path;
}

/* Loads text; returns the config or NULL, with the error in *err (freed by caller). */
static rl_config *load(const char *text, char **err) {
  char *path = write_tmp(text);
  rl_config *c = NULL;
  int rc = rl_config_load(&c, path);
  *err = NULL;
  if (rc < 0) {
    /* Drop the temporary path: "PATH:LINE: msg" -> "LINE: msg". */
    const char *msg = rl_error_last();
    size_t n = strlen(path);
    assert_memory_equal(msg, path, n);
    *err = rl_xstrdup(msg + n + 1);
  }
  unlink(path);
  free(path);
  return c;
}

static void expect_error(const char *text, const char *want) {
  char *err;
  rl_config *c = load(text, &err);
  assert_null(c);
  assert_non_null(err);
  if (strstr(err, want) == NULL) fail_msg("error '%s' does not contain '%s'", err, want);
  free(err);
}

static void config__full_example_loads(void **state) {
  (void)state;
  char *err;
  rl_config *c = load("# comment\n"
                      "rules:\n"
                      "  enable: [insecure-http-url]\n"
                      "  disable:\n"
                      "    - hardcoded-secret\n"
                      "  severity:\n"
                      "    insecure-http-url: error\n"
                      "fail-on: note\n"
                      "max-token-ttl: 12h\n"
                      "ignore: ['legacy/**', '*.generated.ts']\n"
                      "secret-names: [roomPin, HOST_CODE]\n"
                      "auth-middleware: requireSession\n"
                      "client-sdks: ['@acme/video-web']\n"
                      "server-frameworks: [polka]\n"
                      "rule-packs: [/tmp]\n",
                      &err);
  assert_non_null(c);
  assert_int_equal(c->enable.n, 1);
  assert_string_equal(c->enable.v[0], "insecure-http-url");
  assert_int_equal(c->enable.line[0], 3);
  assert_int_equal(c->disable.n, 1);
  assert_int_equal(c->disable.line[0], 5);
  assert_int_equal(c->nseverities, 1);
  assert_int_equal(c->severities[0].severity, RL_SEV_ERROR);
  assert_true(c->has_fail_on);
  assert_int_equal(c->fail_on, RL_SEV_NOTE);
  assert_true(c->has_max_token_ttl);
  assert_true(c->max_token_ttl == 12 * 3600.0);
  assert_int_equal(c->ignore.n, 2);
  assert_null(c->ignore.v[2]);
  assert_int_equal(c->auth_names.n, 1); /* one string is a one-entry list */
  assert_string_equal(c->rule_packs.v[0], "/tmp");
  rl_config_free(c);
}

static void config__empty_file_is_fine(void **state) {
  (void)state;
  char *err;
  rl_config *c = load("", &err);
  assert_non_null(c);
  assert_false(c->has_fail_on);
  assert_int_equal(c->enable.n, 0);
  assert_non_null(c->ignore.v);
  rl_config_free(c);
  c = load("# only comments\nignore:\n", &err);
  assert_non_null(c);
  rl_config_free(c);
}

static void config__errors_name_the_line(void **state) {
  (void)state;
  expect_error("rules:\n  enable: [a]\nfrobnicate: 1\n", "3: unknown key 'frobnicate'");
  expect_error("rules:\n  enabled: [a]\n", "2: unknown key 'rules.enabled'");
  expect_error("fail-on: fatal\n", "1: fail-on: 'fatal' is not one of error, warning, note, none");
  expect_error("\nmax-token-ttl: soon\n", "2: max-token-ttl: 'soon' is not a duration");
  expect_error("max-token-ttl: -5\n", "1: max-token-ttl");
  expect_error("rules:\n  severity:\n    hardcoded-secret: fatal\n", "3: severity of hardcoded-secret");
  expect_error("rules:\n  disable:\n    - Hardcoded_Secret\n",
               "3: disable: 'Hardcoded_Secret': a rule id is kebab-case");
  expect_error("client-sdks: ['@acme']\n", "1: client-sdks: '@acme': a scoped package name is @scope/name");
  expect_error("server-frameworks: [Polka]\n", "1: server-frameworks: 'Polka'");
  expect_error("secret-names: ['room pin']\n", "1: secret-names: 'room pin'");
  expect_error("ignore: {a: 1}\n", "1: ignore: expected a list of strings");
  expect_error("ignore:\n  - [a]\n", "2: ignore: expected a string");
  expect_error("rule-packs: [/nonexistent-roomlint-dir]\n",
               "1: rule-packs: '/nonexistent-roomlint-dir' is not a directory");
  expect_error("ignore: [a]\nignore: [b]\n", "2: 'ignore' is given twice (also on line 1)");
  expect_error("- a\n- b\n", "1: expected a mapping of settings");
  expect_error("ignore: [a\n", "not valid YAML");
}

/* What the in-house YAML reader must get right in a real config: Windows
 * line ends and a BOM read the same, and what it cannot read is an error
 * with line and column. */
static void config__yaml_edges(void **state) {
  (void)state;
  char *err;
  rl_config *c = load("\xEF\xBB\xBFrules:\r\n  disable:\r\n    - hardcoded-secret\r\nignore: ['a/', \"b/\"]\r\n", &err);
  assert_non_null(c);
  assert_int_equal(c->disable.n, 1);
  assert_string_equal(c->disable.v[0], "hardcoded-secret");
  assert_int_equal(c->disable.line[0], 3);
  assert_int_equal(c->ignore.n, 2);
  assert_string_equal(c->ignore.v[1], "b/");
  rl_config_free(c);
  expect_error("rules:\n\tdisable: [x]\n", "2:1: not valid YAML: a tab in the indentation");
  expect_error("ignore: ['a/\n", "1:10: not valid YAML: a quoted string that does not end");
  expect_error("ignore: &dirs [a]\n", "1:9: unsupported YAML: anchors");
  expect_error("rules:\n  disable: [a]\n  disable: [b]\n", "3: 'disable' is given twice (also on line 2)");
  expect_error("rules:\n  severity:\n    hardcoded-secret: note\n    hardcoded-secret: error\n",
               "4: severity: hardcoded-secret is given twice (also on line 3)");
  expect_error("ignore: [a]\n---\nignore: [b]\n", "2:1: unsupported YAML: several documents");
  expect_error("secrets:\n  - id: k-1\n    regex: \"\\0\"\n", "3: regex: a NUL character is not allowed");
}

static int known_builtin(void *data, const char *id) {
  (void)data;
  return strcmp(id, "hardcoded-secret") == 0;
}

static void config__unknown_rule_ids_name_the_line(void **state) {
  (void)state;
  char *err;
  rl_config *c = load("rules:\n  disable: [hardcoded-secret]\n  severity:\n    no-such-rule: note\n", &err);
  assert_non_null(c);
  assert_int_equal(rl_config_check_rules(c, known_builtin, NULL), RL_EINVALID);
  assert_non_null(strstr(rl_error_last(), ":4: unknown rule 'no-such-rule'"));
  rl_config_free(c);
}

static void config__registries(void **state) {
  (void)state;
  char *err;
  rl_config *c = load("secret-names: [roomPin]\nauth-middleware: [requireSession]\n"
                      "client-sdks: ['@acme/video-web']\nserver-frameworks: [polka]\n",
                      &err);
  assert_non_null(c);
  /* Nothing installed: nothing extra. */
  assert_false(rl_config_is_secret_name("roomPin", 7));
  assert_false(rl_name_is_secret("roomPin", 7));
  rl_config_install(c);
  assert_true(rl_config_is_secret_name("ROOM_PIN", 8));
  assert_true(rl_config_is_secret_name("room-pin", 8));
  assert_true(rl_name_is_secret("roomPin", 7));
  assert_false(rl_config_is_secret_name("roomPinHint", 11));
  assert_true(rl_config_is_auth_name("requireSession", 14));
  assert_true(rl_config_is_auth_name("require_session", 15));
  assert_false(rl_config_is_auth_name("requireSessionOrNot", 19));
  assert_true(rl_config_is_auth_name("auth.requireSession", 19));
  assert_false(rl_config_is_auth_name("requireSession.auth", 19));
  assert_true(rl_config_is_client_sdk("@acme/video-web", 15));
  assert_false(rl_config_is_client_sdk("@acme/video", 11));
  assert_true(rl_config_is_server_framework("polka", 5));
  assert_string_equal(rl_config_server_frameworks()[0], "polka");
  rl_config_install(NULL);
  assert_false(rl_config_is_auth_name("requireSession", 14));
  assert_null(rl_config_server_frameworks()[0]);
  rl_config_free(c);
}

static void config__find(void **state) {
  (void)state;
  char dir[] = "/tmp/rl-config-dir-XXXXXX";
  assert_non_null(mkdtemp(dir));
  assert_null(rl_config_find(dir));
  rl_buf b = {0};
  rl_buf_printf(&b, "%s/.roomlint.yml", dir);
  FILE *f = fopen(b.ptr, "w");
  assert_non_null(f);
  fclose(f);
  char *found = rl_config_find(dir);
  assert_string_equal(found, b.ptr);
  free(found);
  unlink(b.ptr);
  rmdir(dir);
  rl_buf_free(&b);
}

/* allow: the project's own non-secrets, by name, value pattern or path; a
 * bad entry is an error on its line. */
static void config__allow_list(void **state) {
  (void)state;
  char *err;
  rl_config *c = load("allow:\n  - name: ACME_WIDGET_TOKEN\n    reason: an embed id\n"
                      "  - value: '^acmepub_[0-9a-f]{8}$'\n  - path: 'src/demo-data/**'\n",
                      &err);
  assert_non_null(c);
  assert_false(rl_config_is_allowed("ACME_WIDGET_TOKEN", 17, NULL, 0)); /* nothing installed */
  rl_config_install(c);
  assert_true(rl_config_is_allowed("acmeWidgetToken", 15, NULL, 0));
  assert_false(rl_config_is_allowed("acmeWidgetTokens", 16, NULL, 0));
  assert_true(rl_config_is_allowed(NULL, 0, "acmepub_0a1b2c3d", 16));
  assert_false(rl_config_is_allowed(NULL, 0, "acmepub_0a1b2c3d9", 17));
  /* a path entry turns the secret rules off under its glob */
  assert_int_equal(c->noverrides, 1);
  assert_string_equal(c->overrides[0].paths.v[0], "src/demo-data/**");
  assert_int_equal(c->overrides[0].nrules, 4);
  assert_int_equal(c->overrides[0].rules[0].severity, RL_SEV_NONE);
  rl_config_install(NULL);
  rl_config_free(c);

  expect_error("allow: ACME\n", "1: allow: expected a list");
  expect_error("allow:\n  - ACME\n", "2: allow: each entry is a mapping");
  expect_error("allow:\n  - nam: ACME\n", "2: unknown key 'allow.nam'");
  expect_error("allow:\n  - name: ACME\n    value: x\n", "3: allow: one of name, value or path per entry");
  expect_error("allow:\n  - reason: why\n", "2: allow: an entry needs name, value or path");
  expect_error("allow:\n  - value: 'acme_[0-9'\n", "2: allow: value 'acme_[0-9': the pattern does not compile");
  expect_error("allow:\n  - value: 'x*'\n", "2: allow: value 'x*': the pattern matches the empty string");
  expect_error("allow:\n  - name: 'room pin'\n", "2: allow: name 'room pin'");
  expect_error("allow:\n  - path: ''\n", "2: allow: path: expected a non-empty string");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(config__full_example_loads),
      cmocka_unit_test(config__empty_file_is_fine),
      cmocka_unit_test(config__errors_name_the_line),
      cmocka_unit_test(config__yaml_edges),
      cmocka_unit_test(config__unknown_rule_ids_name_the_line),
      cmocka_unit_test(config__registries),
      cmocka_unit_test(config__allow_list),
      cmocka_unit_test(config__find),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
