/* parse.c: the guard in front of tree-sitter. 0.20.7 frees an invalid
 * pointer when error recovery meets brackets nested 65 536 deep (found by
 * tests/cli/hostile_inputs.sh); such input must come back as a parse
 * failure with a reason, never reach the parser. */
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

static void parse__unclosed_65536_deep_is_refused_with_a_reason(void **state) {
  (void)state;
  rl_arena *a = rl_arena_new();
  rl_parser *p = rl_parser_new();
  char *code = nested("f", '(', "", 0, 70000);
  rl_source src;
  rl_error_clear();
  rl_tree *t = parse(p, a, code, &src);
  assert_null(t);
  assert_non_null(strstr(rl_error_last(), "nest more than"));
  /* The parser is still usable afterwards. */
  rl_tree *ok = parse(p, a, "const a = [[1]];", &src);
  assert_non_null(ok);
  rl_tree_free(ok);
  free(code);
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
  for (int i = 0; i < 400; i++) rl_buf_puts(&b, "((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((\n");
  rl_buf_puts(&b, "`;\n/*");
  for (int i = 0; i < 400; i++) rl_buf_puts(&b, "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n");
  rl_buf_puts(&b, "*/\n");
  for (int i = 0; i < 400; i++) rl_buf_puts(&b, "// {{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{\n");
  rl_buf_puts(&b, "const t = 1;\n");
  char *code = rl_buf_detach(&b);
  rl_tree *t = parse(p, a, code, &src);
  assert_non_null(t);
  rl_tree_free(t);
  free(code);
  rl_parser_free(p);
  rl_arena_free(a);
}

static void parse__valid_20000_deep_still_parses(void **state) {
  (void)state;
  rl_arena *a = rl_arena_new();
  rl_parser *p = rl_parser_new();
  rl_source src;
  char *code = nested("x = ", '[', "1", ']', 20000);
  rl_tree *t = parse(p, a, code, &src);
  assert_non_null(t);
  assert_false(ts_node_has_error(rl_tree_root(t)));
  rl_tree_free(t);
  free(code);
  rl_parser_free(p);
  rl_arena_free(a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(parse__unclosed_65536_deep_is_refused_with_a_reason),
      cmocka_unit_test(parse__comments_and_strings_do_not_count),
      cmocka_unit_test(parse__valid_20000_deep_still_parses),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
