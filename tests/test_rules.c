/* The rule table itself: order, ids, descriptors, and each rule's own bad and
 * good examples. */
#include "rltest.h"

#include <string.h>

#include "engine.h"
#include "query.h"
#include "rule.h"
#include "util.h"

static void rules__table_sorted_and_unique(void **state) {
  (void)state;
  assert_true(rl_builtin_rule_count >= 3);
  for (size_t i = 1; i < rl_builtin_rule_count; i++) {
    if (strcmp(rl_builtin_rules[i - 1]->id, rl_builtin_rules[i]->id) >= 0)
      fail_msg("rules/rules.def: '%s' must sort before '%s' (and ids must be unique)", rl_builtin_rules[i - 1]->id,
               rl_builtin_rules[i]->id);
  }
  assert_null(rl_builtin_rules[rl_builtin_rule_count]);
}

static int kebab(const char *s) {
  if (!*s || *s == '-' || s[strlen(s) - 1] == '-') return 0;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-')) return 0;
  return 1;
}

static void rules__descriptors_complete(void **state) {
  (void)state;
  for (size_t i = 0; i < rl_builtin_rule_count; i++) {
    const rl_rule *r = rl_builtin_rules[i];
    if (!kebab(r->id)) fail_msg("rule id '%s' is not kebab-case", r->id);
    if (!r->title || !r->title[0]) fail_msg("%s: no title", r->id);
    if (r->severity < RL_SEV_NOTE || r->severity > RL_SEV_ERROR) fail_msg("%s: bad severity", r->id);
    if (r->cwe <= 0) fail_msg("%s: no CWE", r->id);
    if (!r->langs) fail_msg("%s: no languages", r->id);
    if (!r->query && !r->on_file) fail_msg("%s: neither a query nor an on_file check", r->id);
    if (!r->precision || !r->security_severity)
      fail_msg("%s: precision and security_severity are needed for SARIF", r->id);
    if (!r->bad_example || !r->good_example) fail_msg("%s: needs a bad and a good example", r->id);
    /* The doc is rules/<id>.md and starts with its heading. */
    char heading[128];
    snprintf(heading, sizeof heading, "# %s", r->id);
    if (!r->doc || strncmp(r->doc, heading, strlen(heading)) != 0)
      fail_msg("%s: doc must start with '%s' (rules/%s.md)", r->id, heading, r->id);
    assert_ptr_equal(rl_builtin_rule_find(r->id), r);
  }
  assert_null(rl_builtin_rule_find("no-such-rule"));
}

/* The engine compiles a rule's query the first time a file needs it, so a
 * query that does not compile would show only on such a file: every rule's
 * query must compile for each language it names. */
static void rules__queries_compile(void **state) {
  (void)state;
  for (size_t i = 0; i < rl_builtin_rule_count; i++) {
    const rl_rule *r = rl_builtin_rules[i];
    if (!r->query) continue;
    for (int l = RL_LANG_JS; l <= RL_LANG_TSX; l++) {
      if (!(r->langs & RL_LANG_BIT(l))) continue;
      rl_query *q = NULL;
      if (rl_query_new(&q, (rl_lang)l, r->query, (uint32_t)strlen(r->query)) < 0)
        fail_msg("%s: query does not compile for %s: %s", r->id, rl_lang_name((rl_lang)l), rl_error_last());
      rl_query_free(q);
    }
  }
}

static size_t count_rule(const rl_file_result *res, const char *id) {
  size_t n = 0;
  for (size_t i = 0; i < res->nfindings; i++)
    if (strcmp(res->findings[i].rule->id, id) == 0) n++;
  return n;
}

/* The examples are shown in --explain and SARIF help: they must be true. */
static void rules__examples_behave(void **state) {
  (void)state;
  rl_engine_config cfg = {0};
  cfg.jobs = 1;
  rl_engine *e = NULL;
  assert_int_equal(rl_engine_new(&e, &cfg), 0);
  /* Paths that give each context its best chance; the example's own imports
   * decide the rest. */
  static const char *const paths[] = {"example.js",           "server/example.js",        "src/components/Example.jsx",
                                      "pages/api/example.js", "app/api/example/route.js", ".env"};
  for (size_t i = 0; i < rl_builtin_rule_count; i++) {
    const rl_rule *r = rl_builtin_rules[i];
    int ok = 0;
    for (size_t p = 0; p < RL_ARRAY_LEN(paths) && !ok; p++) {
      rl_file_result *bad = rl_engine_scan_buffer(e, paths[p], NULL, r->bad_example, strlen(r->bad_example));
      rl_file_result *good = rl_engine_scan_buffer(e, paths[p], NULL, r->good_example, strlen(r->good_example));
      ok = count_rule(bad, r->id) > 0 && count_rule(good, r->id) == 0;
      rl_file_result_free(bad);
      rl_file_result_free(good);
    }
    if (!ok) fail_msg("%s: its bad example must trigger it and its good example must not", r->id);
  }
  rl_engine_free(e);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(rules__table_sorted_and_unique),
      cmocka_unit_test(rules__descriptors_complete),
      cmocka_unit_test(rules__queries_compile),
      cmocka_unit_test(rules__examples_behave),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
