#include "parse.h"

#include <stdlib.h>

#include "util.h"

const TSLanguage *tree_sitter_javascript(void);
const TSLanguage *tree_sitter_typescript(void);
const TSLanguage *tree_sitter_tsx(void);

const TSLanguage *rl_parse_language(rl_lang lang) {
  switch (lang) {
  case RL_LANG_JS: return tree_sitter_javascript();
  case RL_LANG_TS: return tree_sitter_typescript();
  case RL_LANG_TSX: return tree_sitter_tsx();
  default: return NULL;
  }
}

struct rl_parser {
  TSParser *ts;
};

struct rl_tree {
  TSTree *ts;
};

rl_parser *rl_parser_new(void) {
  rl_parser *p = rl_xcalloc(1, sizeof *p);
  p->ts = ts_parser_new();
  if (!p->ts) rl_oom();
  return p;
}

void rl_parser_free(rl_parser *p) {
  if (!p) return;
  ts_parser_delete(p->ts);
  free(p);
}

rl_tree *rl_parse(rl_parser *p, const rl_source *src) {
  const TSLanguage *lang = rl_parse_language(src->lang);
  if (!lang) {
    rl_error_set("no grammar for %s", rl_lang_name(src->lang));
    return NULL;
  }
  if (!ts_parser_set_language(p->ts, lang)) {
    rl_error_set("grammar ABI %u is not supported by this tree-sitter", ts_language_version(lang));
    return NULL;
  }
  if (src->len > UINT32_MAX) {
    rl_error_set("file too large to parse");
    return NULL;
  }
  TSTree *t = ts_parser_parse_string(p->ts, NULL, src->bytes, (uint32_t)src->len);
  if (!t) {
    ts_parser_reset(p->ts);
    rl_error_set("the parser gave up on this file");
    return NULL;
  }
  rl_tree *tree = rl_xcalloc(1, sizeof *tree);
  tree->ts = t;
  return tree;
}

TSNode rl_tree_root(const rl_tree *t) { return ts_tree_root_node(t->ts); }

void rl_tree_free(rl_tree *t) {
  if (!t) return;
  ts_tree_delete(t->ts);
  free(t);
}

TSNode rl_tree_first_error(const rl_tree *t) {
  TSNode n = ts_tree_root_node(t->ts);
  if (!ts_node_has_error(n)) return (TSNode){{0}, NULL, NULL};
  /* Descend iteratively into the first child that holds an error; ERROR
   * nodes carry the built-in error symbol (TSSymbol)-1. */
  for (;;) {
    if (ts_node_is_missing(n) || ts_node_symbol(n) == (TSSymbol)-1) return n;
    uint32_t count = ts_node_child_count(n);
    uint32_t i = 0;
    for (; i < count; i++) {
      TSNode c = ts_node_child(n, i);
      if (ts_node_is_missing(c) || ts_node_has_error(c)) break;
    }
    if (i == count) return n;
    n = ts_node_child(n, i);
  }
}
