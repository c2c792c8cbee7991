/* Suppression comments: every form, rule lists, justifications, blocks, and
 * directives that must NOT count (inside strings, for other rules). */
#include "rltest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suppress.h"
#include "util.h"

static rl_suppressions *parse_lang(const char *text, rl_lang lang) {
  return rl_suppress_parse(text, strlen(text), lang, rl_test_arena);
}

static rl_suppressions *parse(const char *text) { return parse_lang(text, RL_LANG_TS); }

static int on(const rl_suppressions *s, const char *rule, uint32_t line) {
  return rl_suppress_match(s, rule, line, NULL);
}

static void suppress__no_marker_is_null(void **state) {
  (void)state;
  assert_null(parse("const a = 1;\n// eslint-disable-line\n"));
  assert_null(parse(""));
  assert_int_equal(on(NULL, "hardcoded-secret", 1), 0);
  const char *why = "x";
  assert_int_equal(rl_suppress_match(NULL, "hardcoded-secret", 1, &why), 0);
  assert_null(why);
}

static void suppress__next_line(void **state) {
  (void)state;
  rl_suppressions *s = parse("a();\n// roomlint-disable-next-line hardcoded-secret\nconst k = 'x';\nb();\n");
  assert_non_null(s);
  assert_int_equal(on(s, "hardcoded-secret", 3), 1);
  assert_int_equal(on(s, "hardcoded-secret", 2), 0);
  assert_int_equal(on(s, "hardcoded-secret", 4), 0);
  assert_int_equal(on(s, "hardcoded-secret", 1), 0);
}

static void suppress__same_line(void **state) {
  (void)state;
  rl_suppressions *s = parse("a();\nconst k = 'x'; // roomlint-disable-line hardcoded-secret\nb();\n");
  assert_int_equal(on(s, "hardcoded-secret", 2), 1);
  assert_int_equal(on(s, "hardcoded-secret", 1), 0);
  assert_int_equal(on(s, "hardcoded-secret", 3), 0);
}

static void suppress__other_rule_not_suppressed(void **state) {
  (void)state;
  rl_suppressions *s = parse("x(); // roomlint-disable-line insecure-http-url\n");
  assert_int_equal(on(s, "insecure-http-url", 1), 1);
  assert_int_equal(on(s, "hardcoded-secret", 1), 0);
  /* a prefix of a rule id is a different rule */
  s = parse("x(); // roomlint-disable-line hardcoded\n");
  assert_int_equal(on(s, "hardcoded-secret", 1), 0);
}

static void suppress__rule_lists(void **state) {
  (void)state;
  rl_suppressions *s = parse("// roomlint-disable-next-line hardcoded-secret, insecure-http-url\nx();\n"
                             "// roomlint-disable-next-line public-env-secret insecure-http-url\ny();\n"
                             "// roomlint-disable-next-line a,b ,  c\nz();\n");
  assert_int_equal(on(s, "hardcoded-secret", 2), 1);
  assert_int_equal(on(s, "insecure-http-url", 2), 1);
  assert_int_equal(on(s, "public-env-secret", 2), 0);
  assert_int_equal(on(s, "public-env-secret", 4), 1);
  assert_int_equal(on(s, "insecure-http-url", 4), 1);
  assert_int_equal(on(s, "hardcoded-secret", 4), 0);
  assert_int_equal(on(s, "a", 6), 1);
  assert_int_equal(on(s, "b", 6), 1);
  assert_int_equal(on(s, "c", 6), 1);
  assert_int_equal(on(s, "d", 6), 0);
}

static void suppress__no_list_means_all_rules(void **state) {
  (void)state;
  rl_suppressions *s =
      parse("x(); // roomlint-disable-line\n// roomlint-disable-next-line -- legacy code\ny();\nz();\n");
  assert_int_equal(on(s, "hardcoded-secret", 1), 1);
  assert_int_equal(on(s, "anything-else", 1), 1);
  const char *why = NULL;
  assert_int_equal(rl_suppress_match(s, "insecure-http-url", 3, &why), 1);
  assert_string_equal(why, "legacy code");
  assert_int_equal(on(s, "insecure-http-url", 4), 0);
}

static void suppress__justification(void **state) {
  (void)state;
  rl_suppressions *s = parse("// roomlint-disable-next-line hardcoded-secret -- test key, revoked in 2024  \nk();\n"
                             "m(); // roomlint-disable-line insecure-http-url\n"
                             "/* roomlint-disable-next-line public-env-secret --   public by design */\nn();\n");
  const char *why = NULL;
  assert_int_equal(rl_suppress_match(s, "hardcoded-secret", 2, &why), 1);
  assert_string_equal(why, "test key, revoked in 2024");
  why = "stale";
  assert_int_equal(rl_suppress_match(s, "insecure-http-url", 3, &why), 1);
  assert_null(why);
  assert_int_equal(rl_suppress_match(s, "public-env-secret", 5, &why), 1);
  assert_string_equal(why, "public by design");
  /* the words of the reason are not rule ids */
  assert_int_equal(on(s, "test", 2), 0);
}

static void suppress__block_range(void **state) {
  (void)state;
  rl_suppressions *s = parse("a();\n"                                                /* 1 */
                             "/* roomlint-disable hardcoded-secret -- fixtures */\n" /* 2 */
                             "b();\n"                                                /* 3 */
                             "c();\n"                                                /* 4 */
                             "/* roomlint-enable hardcoded-secret */\n"              /* 5 */
                             "d();\n");                                              /* 6 */
  assert_int_equal(on(s, "hardcoded-secret", 1), 0);
  const char *why = NULL;
  assert_int_equal(rl_suppress_match(s, "hardcoded-secret", 3, &why), 1);
  assert_string_equal(why, "fixtures");
  assert_int_equal(on(s, "hardcoded-secret", 4), 1);
  assert_int_equal(on(s, "hardcoded-secret", 6), 0);
  assert_int_equal(on(s, "insecure-http-url", 3), 0);
}

static void suppress__block_all_rules_and_unterminated(void **state) {
  (void)state;
  rl_suppressions *s = parse("a();\n/* roomlint-disable */\nb();\n/* roomlint-enable */\nc();\n");
  assert_int_equal(on(s, "x-rule", 3), 1);
  assert_int_equal(on(s, "y-rule", 3), 1);
  assert_int_equal(on(s, "x-rule", 5), 0);
  assert_int_equal(on(s, "x-rule", 1), 0);

  s = parse("a();\n/* roomlint-disable hardcoded-secret */\nb();\n\n\nlast();");
  assert_int_equal(on(s, "hardcoded-secret", 6), 1);
  assert_int_equal(on(s, "hardcoded-secret", 100000), 1);
  assert_int_equal(on(s, "hardcoded-secret", 1), 0);
  assert_int_equal(on(s, "insecure-http-url", 6), 0);
}

static void suppress__overlapping_blocks_per_rule(void **state) {
  (void)state;
  rl_suppressions *s = parse("/* roomlint-disable rule-a */\n" /* 1 */
                             "x();\n"                          /* 2 */
                             "/* roomlint-disable rule-b */\n" /* 3 */
                             "x();\n"                          /* 4 */
                             "/* roomlint-enable rule-a */\n"  /* 5 */
                             "x();\n"                          /* 6 */
                             "/* roomlint-disable rule-a */\n" /* 7 */
                             "/* roomlint-disable rule-a */\n" /* 8: already off, no-op */
                             "x();\n"                          /* 9 */
                             "/* roomlint-enable rule-a */\n"  /* 10: one enable ends it */
                             "x();\n"                          /* 11 */
                             "/* roomlint-enable */\n"         /* 12: ends rule-b */
                             "x();\n");                        /* 13 */
  assert_int_equal(on(s, "rule-a", 2), 1);
  assert_int_equal(on(s, "rule-b", 2), 0);
  assert_int_equal(on(s, "rule-a", 4), 1);
  assert_int_equal(on(s, "rule-b", 4), 1);
  assert_int_equal(on(s, "rule-a", 6), 0);
  assert_int_equal(on(s, "rule-b", 6), 1);
  assert_int_equal(on(s, "rule-a", 9), 1);
  assert_int_equal(on(s, "rule-a", 11), 0);
  assert_int_equal(on(s, "rule-b", 11), 1);
  assert_int_equal(on(s, "rule-b", 13), 0);
}

static void suppress__all_block_survives_specific_enable(void **state) {
  (void)state;
  rl_suppressions *s = parse("/* roomlint-disable */\nx();\n/* roomlint-enable rule-a */\ny();\n");
  assert_int_equal(on(s, "rule-a", 4), 1);
  assert_int_equal(on(s, "rule-b", 4), 1);
}

static void suppress__directives_in_strings_ignored(void **state) {
  (void)state;
  assert_null(parse("const s = \"// roomlint-disable-line hardcoded-secret\";\n"));
  assert_null(parse("const s = '/* roomlint-disable */';\nconst k = 'x';\n"));
  assert_null(parse("const s = `\n// roomlint-disable-next-line hardcoded-secret\n`;\nconst k = 'x';\n"));
  assert_null(parse("const s = `${a + `// roomlint-disable-line x`}`;\n"));
  assert_null(parse("const re = /\\/\\/ roomlint-disable-line x/;\n"));
  assert_null(parse("const s = 'it\\'s // roomlint-disable-line x';\n"));
  /* a directive that is not at the start of its comment is prose */
  assert_null(parse("// to silence, write roomlint-disable-line hardcoded-secret\nx();\n"));
  /* a real comment after a template literal with an expression still counts */
  rl_suppressions *s = parse("const u = `${base}/x`; // roomlint-disable-line insecure-http-url\n");
  assert_int_equal(on(s, "insecure-http-url", 1), 1);
  /* a division is not a regex: the comment after it counts */
  s = parse("const h = a / b; const w = c / d; // roomlint-disable-line rule-a\n");
  assert_int_equal(on(s, "rule-a", 1), 1);
  /* a URL in a string does not start a comment */
  s = parse("fetch('http://x.test/a'); // roomlint-disable-line insecure-http-url\n");
  assert_int_equal(on(s, "insecure-http-url", 1), 1);
}

static void suppress__jsx_comment(void **state) {
  (void)state;
  rl_suppressions *s = parse_lang("export const A = () => (\n"
                                  "  <div>\n"
                                  "    {/* roomlint-disable-next-line insecure-http-url */}\n"
                                  "    <img src=\"http://cdn.test/x.png\" />\n"
                                  "  </div>\n"
                                  ");\n",
                                  RL_LANG_TSX);
  assert_int_equal(on(s, "insecure-http-url", 4), 1);
  assert_int_equal(on(s, "insecure-http-url", 3), 0);
  /* a closing tag does not open a regex literal that swallows the comment */
  s = parse_lang("const a = <a href=\"http://x.test\">x</a>; // roomlint-disable-line insecure-http-url\n",
                 RL_LANG_TSX);
  assert_int_equal(on(s, "insecure-http-url", 1), 1);
}

static void suppress__multiline_block_comment_next_line(void **state) {
  (void)state;
  rl_suppressions *s = parse("/*\n * roomlint-disable-next-line hardcoded-secret\n */\nconst k = 'x';\n");
  assert_int_equal(on(s, "hardcoded-secret", 4), 1);
  assert_int_equal(on(s, "hardcoded-secret", 2), 0);
}

static void suppress__crlf(void **state) {
  (void)state;
  rl_suppressions *s = parse("a();\r\n// roomlint-disable-next-line hardcoded-secret -- ok\r\nconst k = 'x';\r\n"
                             "b(); // roomlint-disable-line insecure-http-url\r\n");
  const char *why = NULL;
  assert_int_equal(rl_suppress_match(s, "hardcoded-secret", 3, &why), 1);
  assert_string_equal(why, "ok");
  assert_int_equal(on(s, "insecure-http-url", 4), 1);
  assert_int_equal(on(s, "hardcoded-secret", 4), 0);
}

static void suppress__dotenv(void **state) {
  (void)state;
  rl_suppressions *s = parse_lang("# roomlint-disable-next-line public-env-secret -- rotated\n" /* 1 */
                                  "NEXT_PUBLIC_SECRET=abc\n"                                    /* 2 */
                                  "HMS_SECRET=xyz # roomlint-disable-line hardcoded-secret\n"   /* 3 */
                                  "PASS=abc#roomlint-disable-line hardcoded-secret\n"           /* 4: value */
                                  "Q=\"a # roomlint-disable-line hardcoded-secret\"\n"          /* 5: value */
                                  "R='x' # roomlint-disable-line hardcoded-secret\r\n"          /* 6 */
                                  "S=plain\n",                                                  /* 7 */
                                  RL_LANG_DOTENV);
  const char *why = NULL;
  assert_int_equal(rl_suppress_match(s, "public-env-secret", 2, &why), 1);
  assert_string_equal(why, "rotated");
  assert_int_equal(on(s, "hardcoded-secret", 3), 1);
  assert_int_equal(on(s, "hardcoded-secret", 4), 0);
  assert_int_equal(on(s, "hardcoded-secret", 5), 0);
  assert_int_equal(on(s, "hardcoded-secret", 6), 1);
  assert_int_equal(on(s, "hardcoded-secret", 7), 0);
  /* '//' is not a comment in a dotenv file */
  assert_null(parse_lang("URL=http://x // roomlint-disable-line insecure-http-url\n", RL_LANG_DOTENV));
}

static void suppress__dotenv_multiline_value(void **state) {
  (void)state;
  rl_suppressions *s =
      parse_lang("KEY=\"line one\n# roomlint-disable-line x\n\" # roomlint-disable-line rule-b\nN=1\n", RL_LANG_DOTENV);
  /* the '#' line inside the quoted value is value, not a comment */
  assert_int_equal(on(s, "x", 2), 0);
  assert_int_equal(on(s, "rule-b", 3), 1);
  assert_int_equal(on(s, "rule-b", 4), 0);
}

static void suppress__misspelled_directive_ignored(void **state) {
  (void)state;
  assert_null(parse("x(); // roomlint-disabled-line hardcoded-secret\n"));
  assert_null(parse("x(); // roomlint-disable-lines hardcoded-secret\n"));
}

static void suppress__hostile_input_does_not_crash(void **state) {
  (void)state;
  /* deep template nesting and an unterminated comment at EOF */
  char buf[4096];
  size_t n = 0;
  for (int i = 0; i < 300; i++) {
    memcpy(buf + n, "`${", 3);
    n += 3;
  }
  memcpy(buf + n, "/* roomlint-disable", 19);
  n += 19;
  rl_suppressions *s = rl_suppress_parse(buf, n, RL_LANG_JS, rl_test_arena);
  (void)s;
  s = parse("x(); /* roomlint-disable rule-a");
  assert_int_equal(on(s, "rule-a", 1), 1);
  assert_null(parse("'roomlint-"));
  assert_null(parse("/roomlint-"));
}

static void suppress__many_directives_and_overlaps(void **state) {
  (void)state;
  /* 3000 lines; every third carries a trailing directive for rule-N%5;
   * lines 100..200 are also inside a justified block for rule-2. */
  char *buf = NULL;
  size_t cap = 0, n = 0;
  for (int i = 1; i <= 3000; i++) {
    char line[128];
    int k;
    if (i == 100)
      k = snprintf(line, sizeof line, "/* roomlint-disable rule-2 -- generated */\n");
    else if (i == 200)
      k = snprintf(line, sizeof line, "/* roomlint-enable rule-2 */\n");
    else if (i % 3 == 0)
      k = snprintf(line, sizeof line, "x(); // roomlint-disable-line rule-%d\n", i % 5);
    else
      k = snprintf(line, sizeof line, "y();\n");
    if (n + (size_t)k + 1 > cap) {
      cap = cap ? cap * 2 : 4096;
      buf = rl_xrealloc(buf, cap);
    }
    memcpy(buf + n, line, (size_t)k);
    n += (size_t)k;
  }
  rl_suppressions *s = rl_suppress_parse(buf, n, RL_LANG_JS, rl_test_arena);
  for (uint32_t i = 1; i <= 3000; i++) {
    char rule[16];
    for (int r = 0; r < 5; r++) {
      snprintf(rule, sizeof rule, "rule-%d", r);
      int want = (i % 3 == 0 && (int)(i % 5) == r && i != 100 && i != 200) || (r == 2 && i >= 100 && i <= 200);
      const char *why = NULL;
      assert_int_equal(rl_suppress_match(s, rule, i, &why), want);
      /* where both a line directive and the justified block match, the
       * justification is reported */
      if (r == 2 && i >= 100 && i <= 200) assert_string_equal(why, "generated");
    }
  }
  free(buf);
}

/* Each rule name of each directive is an entry with its place; a match
 * marks the entries that cover it used, and only those. */
static void suppress__entries_record_use_and_place(void **state) {
  (void)state;
  const char *text = "// roomlint-disable-next-line hardcoded-secret, insecure-http-url -- why\n"
                     "x();\n"
                     "/* roomlint-disable\n   secret-logged */\n"
                     "y(); // roomlint-disable-line\n";
  rl_suppressions *s = parse(text);
  assert_int_equal(on(s, "insecure-http-url", 2), 1);
  const rl_suppress_entry *e = rl_suppress_entry_next(s, NULL);
  assert_non_null(e);
  assert_string_equal(e->directive, "roomlint-disable-next-line");
  assert_string_equal(e->rule, "hardcoded-secret");
  assert_int_equal(e->offset, 30);
  assert_int_equal(e->line, 1);
  assert_int_equal(e->used, 0);
  e = rl_suppress_entry_next(s, e);
  assert_string_equal(e->rule, "insecure-http-url");
  assert_int_equal(e->offset, 48);
  assert_int_equal(e->used, 1);
  e = rl_suppress_entry_next(s, e);
  assert_string_equal(e->directive, "roomlint-disable");
  assert_string_equal(e->rule, "secret-logged");
  assert_int_equal(e->line, 4); /* the name is on the comment's second line */
  assert_int_equal(e->used, 0);
  e = rl_suppress_entry_next(s, e);
  assert_string_equal(e->directive, "roomlint-disable-line");
  assert_null(e->rule);
  assert_int_equal(e->line, 5);
  assert_int_equal(on(s, "anything", 4), 0);
  assert_int_equal(e->used, 0);
  assert_int_equal(on(s, "anything", 5), 1);
  assert_int_equal(e->used, 1);
  assert_null(rl_suppress_entry_next(s, e));
  assert_null(rl_suppress_entry_next(NULL, NULL));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(suppress__no_marker_is_null, rl_test_arena_setup, rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(suppress__next_line, rl_test_arena_setup, rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(suppress__same_line, rl_test_arena_setup, rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(suppress__other_rule_not_suppressed, rl_test_arena_setup, rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(suppress__rule_lists, rl_test_arena_setup, rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(suppress__no_list_means_all_rules, rl_test_arena_setup, rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(suppress__justification, rl_test_arena_setup, rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(suppress__block_range, rl_test_arena_setup, rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(suppress__block_all_rules_and_unterminated, rl_test_arena_setup,
                                      rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(suppress__overlapping_blocks_per_rule, rl_test_arena_setup,
                                      rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(suppress__all_block_survives_specific_enable, rl_test_arena_setup,
                                      rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(suppress__directives_in_strings_ignored, rl_test_arena_setup,
                                      rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(suppress__jsx_comment, rl_test_arena_setup, rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(suppress__multiline_block_comment_next_line, rl_test_arena_setup,
                                      rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(suppress__crlf, rl_test_arena_setup, rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(suppress__dotenv, rl_test_arena_setup, rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(suppress__dotenv_multiline_value, rl_test_arena_setup, rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(suppress__misspelled_directive_ignored, rl_test_arena_setup,
                                      rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(suppress__hostile_input_does_not_crash, rl_test_arena_setup,
                                      rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(suppress__many_directives_and_overlaps, rl_test_arena_setup,
                                      rl_test_arena_teardown),
      cmocka_unit_test_setup_teardown(suppress__entries_record_use_and_place, rl_test_arena_setup,
                                      rl_test_arena_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
