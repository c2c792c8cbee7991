/* Queries and our predicates: #eq?, #match?, #any-of? and their negations,
 * and the messages a broken query produces. */
#include "rltest.h"

#include <string.h>

#include "parse.h"
#include "query.h"
#include "util.h"

typedef struct hits {
  const rl_query *q;
  const char *src;
  char texts[16][64];
  int n;
} hits;

static int collect(void *data, const TSQueryMatch *m) {
  hits *h = data;
  for (uint16_t i = 0; i < m->capture_count && h->n < 16; i++) {
    uint32_t len;
    const char *name = ts_query_capture_name_for_id(rl_query_ts(h->q), m->captures[i].index, &len);
    if (len != 1 || name[0] != 'x') continue;
    uint32_t s = ts_node_start_byte(m->captures[i].node), e = ts_node_end_byte(m->captures[i].node);
    snprintf(h->texts[h->n++], 64, "%.*s", (int)(e - s), h->src + s);
  }
  return 0;
}

/* Runs query q over src (JavaScript) and returns the @x captures joined by ','. */
static char *run(const char *query, const char *src, rl_lang lang) {
  static char out[1024];
  rl_query *q = NULL;
  if (rl_query_new(&q, lang, query, (uint32_t)strlen(query)) < 0) fail_msg("query failed: %s", rl_error_last());
  rl_parser *p = rl_parser_new();
  rl_source s;
  rl_arena *a = rl_arena_new();
  rl_source_init(&s, "t.js", src, strlen(src), lang, a);
  rl_tree *t = rl_parse(p, &s);
  assert_non_null(t);
  TSQueryCursor *c = ts_query_cursor_new();
  hits h = {q, src, {{0}}, 0};
  rl_query_stats st;
  rl_query_run(&st, q, c, rl_tree_root(t), src, (uint32_t)strlen(src), collect, &h);
  assert_false(st.match_limit_exceeded);
  out[0] = '\0';
  for (int i = 0; i < h.n; i++) {
    if (i) strncat(out, ",", sizeof out - strlen(out) - 1);
    strncat(out, h.texts[i], sizeof out - strlen(out) - 1);
  }
  ts_query_cursor_delete(c);
  rl_tree_free(t);
  rl_parser_free(p);
  rl_arena_free(a);
  rl_query_free(q);
  return out;
}

static const char *SRC = "const appSecret = 1; const app_id = 2; let roomId = 3; const x = appSecret;";

static void query__eq_and_not_eq(void **state) {
  (void)state;
  assert_string_equal(run("((identifier) @x (#eq? @x \"appSecret\"))", SRC, RL_LANG_JS), "appSecret,appSecret");
  assert_string_equal(run("(variable_declarator name: (identifier) @x (#not-eq? @x \"appSecret\"))", SRC, RL_LANG_JS),
                      "app_id,roomId,x");
  /* capture against capture: const x = x-named value */
  assert_string_equal(run("(variable_declarator name: (identifier) @x value: (identifier) @y (#eq? @x @y))",
                          "const a = a; const b = c;", RL_LANG_JS),
                      "a");
}

static void query__match_uses_pcre2(void **state) {
  (void)state;
  assert_string_equal(run("(variable_declarator name: (identifier) @x (#match? @x \"(?i)secret|_id$\"))", SRC, RL_LANG_JS),
                      "appSecret,app_id");
  assert_string_equal(run("(variable_declarator name: (identifier) @x (#not-match? @x \"^app\"))", SRC, RL_LANG_JS),
                      "roomId,x");
  /* PCRE2 syntax that POSIX regexes lack: lookahead. */
  assert_string_equal(run("(variable_declarator name: (identifier) @x (#match? @x \"^(?=.*Id)room\"))", SRC, RL_LANG_JS),
                      "roomId");
}

static void query__any_of(void **state) {
  (void)state;
  assert_string_equal(run("(variable_declarator name: (identifier) @x (#any-of? @x \"roomId\" \"x\" \"nope\"))", SRC,
                          RL_LANG_JS),
                      "roomId,x");
  assert_string_equal(run("(variable_declarator name: (identifier) @x (#not-any-of? @x \"roomId\" \"x\"))", SRC,
                          RL_LANG_JS),
                      "appSecret,app_id");
}

static void query__same_query_on_typescript_and_tsx(void **state) {
  (void)state;
  const char *ts = "const appSecret: string = 'a';";
  assert_string_equal(run("(variable_declarator name: (identifier) @x)", ts, RL_LANG_TS), "appSecret");
  assert_string_equal(run("(jsx_attribute (property_identifier) @x)", "const a = <Room token=\"t\" />;", RL_LANG_TSX),
                      "token");
}

static void expect_error_in(rl_lang lang, const char *query, const char *needle) {
  rl_query *q = NULL;
  rl_error_clear();
  assert_int_equal(rl_query_new(&q, lang, query, (uint32_t)strlen(query)), RL_EINVALID);
  assert_null(q);
  if (!strstr(rl_error_last(), needle)) fail_msg("error '%s' should mention '%s'", rl_error_last(), needle);
}

static void expect_error(const char *query, const char *needle) { expect_error_in(RL_LANG_JS, query, needle); }

static void query__errors_name_line_column_and_problem(void **state) {
  (void)state;
  expect_error("(identifier) @x\n(no_such_node) @y", "2:2: unknown node type 'no_such_node'");
  expect_error("(call_expression nofield: (identifier))", "unknown field");
  expect_error("(identifier", "syntax error");
  expect_error("((identifier) @x (#frobnicate? @x \"a\"))", "unknown predicate #frobnicate?");
  expect_error("((identifier) @x (#match? @x \"(unclosed\"))", "bad regular expression");
  expect_error("((identifier) @x (#eq? @x))", "needs a capture and at least one more argument");
  /* JSX is part of the JavaScript grammar but not of TypeScript's. */
  expect_error_in(RL_LANG_TS, "(jsx_element) @x", "unknown node type 'jsx_element' (for typescript)");
}

/* Regression (found by fuzz_rulepack): libtree-sitter 0.20 crashed (a write
 * through a null step) on a field whose value is only a predicate. These
 * are refused before tree-sitter sees them; text that only looks like one
 * (in a string or a comment) and real field patterns still compile. */
static void query__predicate_as_field_value(void **state) {
  (void)state;
  expect_error("property:(#p)", "1:11: a field's value must be a node pattern, not a predicate");
  expect_error("(member_expression\n  property: ( (#eq? \"a\" \"b\")))", "2:16: a field's value");
  expect_error("(call_expression function: [(#p)])", "a field's value must be a node pattern");
  const char *fine[] = {
      "(pair key: (property_identifier) @k value: (string) (#eq? @k \"a:(#b\"))",
      "; property: (#p)\n(call_expression function: (identifier) @f (#eq? @f \"x\"))",
      "((identifier) @a (#match? @a \"^x:(#y)?$\"))",
  };
  for (size_t i = 0; i < sizeof fine / sizeof *fine; i++) {
    rl_query *q = NULL;
    if (rl_query_new(&q, RL_LANG_JS, fine[i], (uint32_t)strlen(fine[i])) != 0)
      fail_msg("%s: %s", fine[i], rl_error_last());
    rl_query_free(q);
  }
}

/* Regression (found by fuzz_rulepack): an optional quantifier on a pattern
 * that can match nothing already made libtree-sitter 0.20 loop forever in
 * ts_query_new (`((x)?)*` as the first pattern) or corrupt memory. Refused
 * before tree-sitter sees it; single quantifiers, `+` and captures between
 * still compile. */
static void query__optional_of_optional(void **state) {
  (void)state;
  const char *refused[] = {
      "(identifier)??", "(identifier)*?", "(identifier)**", "((identifier)?)*", "((identifier)? @x)?",
      "((identifier)? (string)?)?", "(string) @s ((identifier)?)?", "(call_expression ((identifier)?)?)",
      "(identifier) @a ? ?", "(identifier)? @a ?",
  };
  for (size_t i = 0; i < sizeof refused / sizeof *refused; i++)
    expect_error(refused[i], "makes optional a pattern that is optional already");
  const char *fine[] = {
      "(identifier)? @x",      "(identifier) @x ?",   "(identifier)+?",
      "((identifier)*)+",      "((identifier) (string)?)?", "[(identifier)? (string)]?",
      "(call_expression (identifier)? @x (#eq? @x \"a??\"))", "(identifier) @x ; a comment ??",
  };
  for (size_t i = 0; i < sizeof fine / sizeof *fine; i++) {
    rl_query *q = NULL;
    if (rl_query_new(&q, RL_LANG_JS, fine[i], (uint32_t)strlen(fine[i])) != 0)
      fail_msg("%s: %s", fine[i], rl_error_last());
    rl_query_free(q);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(query__eq_and_not_eq),
      cmocka_unit_test(query__match_uses_pcre2),
      cmocka_unit_test(query__any_of),
      cmocka_unit_test(query__same_query_on_typescript_and_tsx),
      cmocka_unit_test(query__errors_name_line_column_and_problem),
      cmocka_unit_test(query__predicate_as_field_value),
      cmocka_unit_test(query__optional_of_optional),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
