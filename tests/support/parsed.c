#include "parsed.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

void parse_js(parsed *p, const char *path, const char *code) {
  memset(p, 0, sizeof *p);
  p->arena = rl_arena_new();
  p->parser = rl_parser_new();
  rl_source_init(&p->src, path, code, strlen(code), rl_lang_for_path(path), p->arena);
  p->tree = rl_parse(p->parser, &p->src);
  assert_non_null(p->tree);
  p->jf = rl_jsfile_new(&p->src, rl_tree_root(p->tree), p->arena);
}

void parsed_free(parsed *p) {
  rl_tree_free(p->tree);
  rl_parser_free(p->parser);
  rl_arena_free(p->arena);
}
