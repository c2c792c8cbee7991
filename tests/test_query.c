/* Queries and our predicates: #eq?, #match?, #any-of? and their negations,
 * and the messages a broken query produces. */
#include "rltest.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "query.h"
#include "rule.h"
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

typedef int (*compile_fn)(rl_query **, rl_lang, const char *, uint32_t);

/* Runs query q, compiled by compile, over src and returns the @x captures
 * joined by ','. */
static char *run_with(compile_fn compile, const char *query, const char *src, rl_lang lang) {
  static char out[1024];
  rl_query *q = NULL;
  if (compile(&q, lang, query, (uint32_t)strlen(query)) < 0) fail_msg("query failed: %s", rl_error_last());
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

/* run_with both compiles: the cheap one must give the same captures. */
static char *run(const char *query, const char *src, rl_lang lang) {
  static char full[1024];
  snprintf(full, sizeof full, "%s", run_with(rl_query_new, query, src, lang));
  const char *cheap = run_with(rl_query_new_cheap, query, src, lang);
  if (strcmp(full, cheap) != 0) fail_msg("%s: rl_query_new gives '%s', rl_query_new_cheap '%s'", query, full, cheap);
  return full;
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
  assert_string_equal(
      run("(variable_declarator name: (identifier) @x (#match? @x \"(?i)secret|_id$\"))", SRC, RL_LANG_JS),
      "appSecret,app_id");
  assert_string_equal(run("(variable_declarator name: (identifier) @x (#not-match? @x \"^app\"))", SRC, RL_LANG_JS),
                      "roomId,x");
  /* PCRE2 syntax that POSIX regexes lack: lookahead. */
  assert_string_equal(
      run("(variable_declarator name: (identifier) @x (#match? @x \"^(?=.*Id)room\"))", SRC, RL_LANG_JS), "roomId");
}

static void query__any_of(void **state) {
  (void)state;
  assert_string_equal(
      run("(variable_declarator name: (identifier) @x (#any-of? @x \"roomId\" \"x\" \"nope\"))", SRC, RL_LANG_JS),
      "roomId,x");
  assert_string_equal(
      run("(variable_declarator name: (identifier) @x (#not-any-of? @x \"roomId\" \"x\"))", SRC, RL_LANG_JS),
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
  /* the regex library's own reason follows, once: the message wraps the
   * one before it (rl_error_set reads rl_error_last() while writing it) */
  expect_error("((identifier) @x (#match? @x \"(unclosed\"))", "#match?: missing closing parenthesis");
  if (strstr(strstr(rl_error_last(), "bad regular") + 1, "bad regular"))
    fail_msg("the message repeats itself: %s", rl_error_last());
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
      "(identifier)??",
      "(identifier)*?",
      "(identifier)**",
      "((identifier)?)*",
      "((identifier)? @x)?",
      "((identifier)? (string)?)?",
      "(string) @s ((identifier)?)?",
      "(call_expression ((identifier)?)?)",
      "(identifier) @a ? ?",
      "(identifier)? @a ?",
  };
  for (size_t i = 0; i < sizeof refused / sizeof *refused; i++)
    expect_error(refused[i], "makes optional a pattern that is optional already");
  const char *fine[] = {
      "(identifier)? @x",
      "(identifier) @x ?",
      "(identifier)+?",
      "((identifier)*)+",
      "((identifier) (string)?)?",
      "[(identifier)? (string)]?",
      "(call_expression (identifier)? @x (#eq? @x \"a??\"))",
      "(identifier) @x ; a comment ??",
  };
  for (size_t i = 0; i < sizeof fine / sizeof *fine; i++) {
    rl_query *q = NULL;
    if (rl_query_new(&q, RL_LANG_JS, fine[i], (uint32_t)strlen(fine[i])) != 0)
      fail_msg("%s: %s", fine[i], rl_error_last());
    rl_query_free(q);
  }
}

/* The cheap compile's wildcards keep only nodes of the type they stand
 * for, at the root and nested, and its hidden captures stay hidden. */
static void query__cheap_checks_wildcard_types(void **state) {
  (void)state;
  const char *src = "a.b; c[d]; e.f.g; h(i).j; k = l.m;";
  assert_string_equal(run("(member_expression object: (identifier) @x)", src, RL_LANG_JS), "a,e,l");
  assert_string_equal(run("(member_expression object: (member_expression object: (identifier) @x))", src, RL_LANG_JS),
                      "e");
  assert_string_equal(run("(_ object: (identifier) @x)", src, RL_LANG_JS), "a,c,e,l");
  assert_string_equal(
      run("((member_expression object: (call_expression function: (identifier) @x)) @y)", src, RL_LANG_JS), "h");
  /* a node with three captures of its own is left typed (tree-sitter keeps
   * three per step) */
  assert_string_equal(run("(member_expression object: (identifier)) @x @y @z", "a.b; c[d];", RL_LANG_JS), "a.b");
  const char *query = "(identifier) @a\n((call_expression function: (member_expression property: (_) @p)) @x\n"
                      " (#eq? @p \"then\"))";
  rl_query *full = NULL, *cheap = NULL;
  assert_int_equal(rl_query_new(&full, RL_LANG_TS, query, (uint32_t)strlen(query)), 0);
  assert_int_equal(rl_query_new_cheap(&cheap, RL_LANG_TS, query, (uint32_t)strlen(query)), 0);
  assert_int_equal(rl_query_pattern_count(cheap), rl_query_pattern_count(full));
  for (uint32_t i = 0; i < rl_query_pattern_count(full); i++)
    assert_int_equal(rl_query_pattern_start(cheap, i), rl_query_pattern_start(full, i));
  rl_query_free(full);
  rl_query_free(cheap);
  /* a broken query gets rl_query_new's message, in the caller's text */
  rl_error_clear();
  assert_int_equal(rl_query_new_cheap(&cheap, RL_LANG_JS, "(call_expression\n  (no_such_node (x)))", 38), RL_EINVALID);
  assert_null(cheap);
  if (!strstr(rl_error_last(), "2:4: unknown node type 'no_such_node'")) fail_msg("%s", rl_error_last());
}

/* Every match of a query on a tree, as text: pattern, then each capture's
 * name and byte range, one line per match. */
typedef struct transcript {
  const rl_query *q;
  char *text;
  size_t len, cap;
} transcript;

static void transcript_add(transcript *t, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char line[256];
  int n = vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if (t->len + (size_t)n + 1 > t->cap) t->text = rl_xrealloc(t->text, t->cap = 2 * (t->cap + (size_t)n + 1));
  memcpy(t->text + t->len, line, (size_t)n + 1);
  t->len += (size_t)n;
}

static int transcribe(void *data, const TSQueryMatch *m) {
  transcript *t = data;
  transcript_add(t, "%u:", m->pattern_index);
  for (uint16_t i = 0; i < m->capture_count; i++) {
    uint32_t len;
    const char *name = ts_query_capture_name_for_id(rl_query_ts(t->q), m->captures[i].index, &len);
    transcript_add(t, " @%.*s[%u,%u)", (int)len, name, ts_node_start_byte(m->captures[i].node),
                   ts_node_end_byte(m->captures[i].node));
  }
  transcript_add(t, "\n");
  return 0;
}

static size_t compared_files;
/* each rule's query for each language, compiled once for all the files */
static rl_query *fulls[64][RL_LANG__COUNT], *cheaps[64][RL_LANG__COUNT];

/* Each built-in rule's query, compiled both ways, on the file at path. */
static void same_matches_on(const char *path) {
  rl_lang lang = rl_lang_for_path(path);
  if (lang != RL_LANG_JS && lang != RL_LANG_TS && lang != RL_LANG_TSX) return;
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  char *src = rl_xmalloc(1 << 20);
  size_t n = fread(src, 1, (1 << 20) - 1, f);
  fclose(f);
  src[n] = '\0';
  rl_parser *p = rl_parser_new();
  rl_source s;
  rl_arena *a = rl_arena_new();
  rl_source_init(&s, path, src, n, lang, a);
  rl_tree *t = rl_parse(p, &s);
  TSQueryCursor *c = ts_query_cursor_new();
  for (size_t i = 0; t && i < rl_builtin_rule_count; i++) {
    const rl_rule *r = rl_builtin_rules[i];
    if (!r->query || !(r->langs & RL_LANG_BIT(lang))) continue;
    assert_true(i < 64);
    if (!fulls[i][lang]) {
      assert_int_equal(rl_query_new(&fulls[i][lang], lang, r->query, (uint32_t)strlen(r->query)), 0);
      assert_int_equal(rl_query_new_cheap(&cheaps[i][lang], lang, r->query, (uint32_t)strlen(r->query)), 0);
    }
    const rl_query *full = fulls[i][lang], *cheap = cheaps[i][lang];
    transcript tf = {full, NULL, 0, 0}, tc = {cheap, NULL, 0, 0};
    rl_query_stats st;
    rl_query_run(&st, full, c, rl_tree_root(t), src, (uint32_t)n, transcribe, &tf);
    rl_query_run(&st, cheap, c, rl_tree_root(t), src, (uint32_t)n, transcribe, &tc);
    if ((tf.text == NULL) != (tc.text == NULL) || (tf.text && strcmp(tf.text, tc.text) != 0))
      fail_msg("%s, rule %s: rl_query_new matches\n%s\nrl_query_new_cheap matches\n%s", path, r->id,
               tf.text ? tf.text : "", tc.text ? tc.text : "");
    free(tf.text);
    free(tc.text);
  }
  compared_files += t != NULL;
  ts_query_cursor_delete(c);
  rl_tree_free(t);
  rl_parser_free(p);
  rl_arena_free(a);
  free(src);
}

static void same_matches_under(const char *dir) {
  DIR *d = opendir(dir);
  assert_non_null(d);
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    if (de->d_name[0] == '.' && (de->d_name[1] == '\0' || (de->d_name[1] == '.' && de->d_name[2] == '\0'))) continue;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
    DIR *sub = opendir(path);
    if (sub) {
      closedir(sub);
      if (strcmp(de->d_name, "node_modules") != 0) same_matches_under(path);
    } else {
      same_matches_on(path);
    }
  }
  closedir(d);
}

/* The engine compiles built-in rules with rl_query_new_cheap: on every
 * fixture, each rule's query finds exactly what rl_query_new's finds, in
 * the same order, with the same captures. */
static void query__cheap_matches_full_on_fixtures(void **state) {
  (void)state;
  compared_files = 0;
  same_matches_under("fixtures");
  for (size_t i = 0; i < 64; i++)
    for (int l = 0; l < RL_LANG__COUNT; l++) {
      rl_query_free(fulls[i][l]);
      rl_query_free(cheaps[i][l]);
      fulls[i][l] = cheaps[i][l] = NULL;
    }
  if (compared_files < 100) fail_msg("only %zu fixture files compared", compared_files);
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
      cmocka_unit_test(query__cheap_checks_wildcard_types),
      cmocka_unit_test(query__cheap_matches_full_on_fixtures),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
