/* parse.c: the guard around tree-sitter. 0.20.7 counts the children of the
 * ERROR root it builds for a file that ends inside 65,536 or more unfinished
 * constructs modulo 65,536, and freeing that tree frees an invalid pointer
 * (found by tests/cli/hostile_inputs.sh): such input must come back as a
 * parse failure with a reason, and the tree must never be freed; balanced
 * nesting however deep, and broken files that are not so, still parse. */
#include "rltest.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "parse.h"
#include "util.h"

/* `open` repeated depth times (with a newline every 100), after a prefix. */
static char *nested(const char *prefix, char open, const char *middle, char close, size_t depth) {
  size_t n = strlen(prefix) + 2 * (depth + depth / 100) + strlen(middle) + 8;
  char *code = rl_xmalloc(n);
  size_t o = strlen(prefix);
  memcpy(code, prefix, o);
  for (size_t i = 0; i < depth; i++) {
    code[o++] = open;
    if (i % 100 == 99) code[o++] = '\n';
  }
  memcpy(code + o, middle, strlen(middle));
  o += strlen(middle);
  for (size_t i = 0; close && i < depth; i++) {
    code[o++] = close;
    if (i % 100 == 99) code[o++] = '\n';
  }
  code[o] = '\0';
  return code;
}

static rl_tree *parse(rl_parser *p, rl_arena *a, const char *code, rl_source *src) {
  rl_source_init(src, "deep.js", code, strlen(code), RL_LANG_JS, a);
  return rl_parse(p, src);
}

/* code (freed here) must be refused with the unfinished-constructs reason. */
static void refused(rl_parser *p, rl_arena *a, char *code) {
  rl_source src;
  rl_error_clear();
  rl_tree *t = parse(p, a, code, &src);
  assert_null(t);
  assert_non_null(strstr(rl_error_last(), "65,536 or more unfinished constructs"));
  free(code);
}

/* `unit` repeated n times. */
static char *repeated(const char *unit, size_t n) {
  rl_buf b = {0};
  for (size_t i = 0; i < n; i++) rl_buf_puts(&b, unit);
  return rl_buf_detach(&b);
}

static void parse__unclosed_65536_deep_is_refused_with_a_reason(void **state) {
  (void)state;
  rl_arena *a = rl_arena_new();
  rl_parser *p = rl_parser_new();
  rl_source src;
  refused(p, a, nested("f", '(', "", 0, 70000));
  /* 2 x 32,768 tokens left open: the count wraps to 0 exactly */
  refused(p, a, repeated("f(", 32768));
  /* chains left open, no brackets */
  refused(p, a, repeated("a =\n", 70000));
  refused(p, a, repeated("!\n", 70000));
  /* The parser is still usable afterwards. */
  rl_tree *ok = parse(p, a, "const a = [[1]];", &src);
  assert_non_null(ok);
  rl_tree_free(ok);
  rl_parser_free(p);
  rl_arena_free(a);
}

/* Large broken files that do not end inside so many constructs parse, with
 * their errors, and free cleanly: the check must not refuse them. */
static void parse__large_broken_files_still_parse(void **state) {
  (void)state;
  rl_arena *a = rl_arena_new();
  rl_parser *p = rl_parser_new();
  rl_source src;
  static const char *const units[] = {") \n", "x = = 1;\n", "(\n"};
  static const size_t counts[] = {140000, 40000, 32767};
  for (size_t i = 0; i < RL_ARRAY_LEN(units); i++) {
    char *code = repeated(units[i], counts[i]);
    rl_tree *t = parse(p, a, code, &src);
    if (!t) fail_msg("%zu x '%s' was refused: %s", counts[i], units[i], rl_error_last());
    assert_true(ts_node_has_error(rl_tree_root(t)));
    rl_tree_free(t);
    free(code);
  }
  rl_parser_free(p);
  rl_arena_free(a);
}

static void parse__comments_and_strings_do_not_count(void **state) {
  (void)state;
  rl_arena *a = rl_arena_new();
  rl_parser *p = rl_parser_new();
  rl_source src;
  /* 40 000 brackets in a template literal, a block comment and line comments. */
  rl_buf b = {0};
  rl_buf_puts(&b, "const s = `");
  for (int i = 0; i < 400; i++)
    rl_buf_puts(&b,
                "((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((\n");
  rl_buf_puts(&b, "`;\n/*");
  for (int i = 0; i < 400; i++)
    rl_buf_puts(
        &b, "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n");
  rl_buf_puts(&b, "*/\n");
  for (int i = 0; i < 400; i++)
    rl_buf_puts(
        &b, "// {{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{\n");
  rl_buf_puts(&b, "const t = 1;\n");
  char *code = rl_buf_detach(&b);
  rl_tree *t = parse(p, a, code, &src);
  assert_non_null(t);
  rl_tree_free(t);
  free(code);
  rl_parser_free(p);
  rl_arena_free(a);
}

static void parse__valid_100000_deep_parses(void **state) {
  (void)state;
  rl_arena *a = rl_arena_new();
  rl_parser *p = rl_parser_new();
  rl_source src;
  /* [[...1...]], ((...1...)), {a:{a:...1...}} */
  static const char *const opens[] = {"[", "(", "{a:"}, *const closes[] = {"]", ")", "}"};
  for (size_t i = 0; i < 3; i++) {
    rl_buf b = {0};
    rl_buf_puts(&b, "x = ");
    for (int k = 0; k < 100000; k++) rl_buf_printf(&b, "%s%s", opens[i], k % 100 == 99 ? "\n" : "");
    rl_buf_puts(&b, "1");
    for (int k = 0; k < 100000; k++) rl_buf_printf(&b, "%s%s", closes[i], k % 100 == 99 ? "\n" : "");
    char *code = rl_buf_detach(&b);
    rl_tree *t = parse(p, a, code, &src);
    assert_non_null(t);
    assert_false(ts_node_has_error(rl_tree_root(t)));
    rl_tree_free(t);
    free(code);
  }
  rl_parser_free(p);
  rl_arena_free(a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(parse__unclosed_65536_deep_is_refused_with_a_reason),
      cmocka_unit_test(parse__large_broken_files_still_parse),
      cmocka_unit_test(parse__comments_and_strings_do_not_count),
      cmocka_unit_test(parse__valid_100000_deep_parses),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
