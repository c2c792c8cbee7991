#include "parse.h"

#include <pthread.h>
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

/* Deeper bracket nesting than this is not handed to tree-sitter: 0.20.7's
 * error recovery corrupts its heap on brackets nested 65 536 deep (an
 * invalid free in ts_tree_delete; tests/cli/hostile_inputs.sh makes such a
 * file), and spends seconds before it gets there. Valid code parses fine
 * far deeper than real code ever nests (tests parse 20 000 levels); the
 * margin below 65 536 covers brackets the cheap lexer below miscounts
 * (inside regular expressions or template substitutions). */
#define MAX_NESTING 30000
/* tree-sitter's error recovery does not finish on some small inputs (the
 * fuzzer found 39 bytes of TSX: fuzz/corpus/pipeline/regress-tsx-parse-hang),
 * so every parse has a time limit scaled to the file: a floor, plus time per
 * byte far above what a valid or broken file of that size needs (about
 * 0.1 s per MB valid, 0.3 s per MB of garbage, on the 2-core development
 * machine), capped at a minute: 0.5 s for a small file, 11 s at the 5 MiB
 * default size limit. A file that reaches it is reported as not
 * checked and the scan goes on. */
#define PARSE_TIMEOUT_FLOOR_MICROS (500u * 1000)
#define PARSE_TIMEOUT_MICROS_PER_BYTE 2u
#define PARSE_TIMEOUT_MAX_MICROS (60u * 1000 * 1000)

struct rl_parser {
  TSParser *ts;
  uint64_t last_limit; /* the time limit of the last parse, microseconds */
  int timed_out;       /* the last parse stopped at it */
};

static uint64_t parse_time_limit(size_t len) {
  uint64_t t = PARSE_TIMEOUT_FLOOR_MICROS + (uint64_t)len * PARSE_TIMEOUT_MICROS_PER_BYTE;
  return t < PARSE_TIMEOUT_MAX_MICROS ? t : PARSE_TIMEOUT_MAX_MICROS;
}

/* The deepest nesting of ( [ { outside comments and string literals.
 * Linear, no recursion; stops counting once past limit. */
static uint32_t bracket_depth(const char *p, size_t n, uint32_t limit) {
  uint32_t depth = 0, max = 0;
  for (size_t i = 0; i < n && max <= limit; i++) {
    char c = p[i];
    if (c == '(' || c == '[' || c == '{') {
      if (++depth > max) max = depth;
    } else if (c == ')' || c == ']' || c == '}') {
      if (depth) depth--;
    } else if (c == '/' && i + 1 < n && p[i + 1] == '/') {
      while (i < n && p[i] != '\n') i++;
    } else if (c == '/' && i + 1 < n && p[i + 1] == '*') {
      for (i += 2; i + 1 < n && !(p[i] == '*' && p[i + 1] == '/'); i++) {}
      i++;
    } else if (c == '\'' || c == '"' || c == '`') {
      for (i++; i < n && p[i] != c && (c == '`' || p[i] != '\n'); i++)
        if (p[i] == '\\') i++;
    }
  }
  return max;
}

struct rl_tree {
  TSTree *ts;
};

/* tree-sitter's own allocators print an unprefixed message and exit 1, the
 * status of "findings": route them through ours (exit 2, cleanup). Installed
 * once, before the first parser; the allocators share libc's heap, so what
 * the library allocated before is freed correctly. */
static void *ts_xmalloc(size_t n) { return rl_xmalloc(n); }
static void *ts_xcalloc(size_t count, size_t size) { return rl_xcalloc(count, size); }
static void *ts_xrealloc(void *p, size_t n) { return rl_xrealloc(p, n); }
static void install_allocator(void) { ts_set_allocator(ts_xmalloc, ts_xcalloc, ts_xrealloc, free); }

rl_parser *rl_parser_new(void) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, install_allocator);
  rl_parser *p = rl_xcalloc(1, sizeof *p);
  p->ts = ts_parser_new();
  if (!p->ts) rl_oom();
  return p;
}

int rl_parser_timed_out(const rl_parser *p) { return p->timed_out; }

void rl_parser_free(rl_parser *p) {
  if (!p) return;
  ts_parser_delete(p->ts);
  free(p);
}

rl_tree *rl_parse(rl_parser *p, const rl_source *src) {
  p->timed_out = 0;
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
  if (bracket_depth(src->bytes, src->len, MAX_NESTING) > MAX_NESTING) {
    rl_error_set("brackets nest more than %d levels deep; not parsed, so not scanned", MAX_NESTING);
    return NULL;
  }
  p->last_limit = parse_time_limit(src->len);
  ts_parser_set_timeout_micros(p->ts, p->last_limit);
  TSTree *t = ts_parser_parse_string(p->ts, NULL, src->bytes, (uint32_t)src->len);
  if (!t) {
    ts_parser_reset(p->ts);
    p->timed_out = 1;
    rl_error_set("parse stopped after %.1f s, the limit for a file of %zu bytes (tree-sitter's error recovery "
                 "did not finish): not checked",
                 (double)p->last_limit / 1e6, src->len);
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
