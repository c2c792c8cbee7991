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

/* tree-sitter 0.20.7 keeps the child count of the ERROR root it builds,
 * when a file ends inside 65,536 or more unfinished constructs (unclosed
 * brackets, `a = a = ... =`, `!!!...`: each one a node left on its parse
 * stack), modulo 65,536: the root lists only its last children, and freeing
 * the tree frees a pointer into the middle of a block (an invalid free in
 * ts_tree_delete; tests/cli/hostile_inputs.sh and tests/test_parse.c make
 * such files). Balanced nesting, however deep, and errors elsewhere are not
 * affected. Such a root is recognised after the parse (in a file large
 * enough to hold that many tokens, an ERROR root with no children, or one
 * whose extent, summed from the children it lists, ends before the file's
 * last token); the tree can still be read, but not
 * freed, so it is kept unfreed (and reachable, for leak checkers) until the
 * process ends, and the file is reported as not parsed. This replaces a
 * guard on bracket nesting that also refused deep but balanced code, and
 * missed the chains. */
#define TRUNCATED_ROOT_MIN_BYTES 32768u

/* tree-sitter's error recovery does not finish on some small inputs (the
 * fuzzer found 39 bytes of TSX: fuzz/corpus/pipeline/regress-tsx-parse-hang),
 * so every parse has a time limit scaled to the file: a floor, plus time per
 * byte far above what a valid or broken file of that size needs (CPU time
 * on the 2-core development machine: about 0.1 s per MB of valid code, 0.3 s
 * per MB of random garbage, 5 s per MB of the worst error recovery seen;
 * tree-sitter's clock is wall time, so the margin also covers a loaded
 * machine), capped at a minute: 1 s for a small file, the minute at the
 * 5 MiB default size limit. A file that reaches it is reported as not
 * checked and the scan goes on. */
#define PARSE_TIMEOUT_FLOOR_MICROS (1000u * 1000)
#define PARSE_TIMEOUT_MICROS_PER_BYTE 20u
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

/* See TRUNCATED_ROOT_MIN_BYTES. */
static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

static int root_is_truncated(TSTree *t, const rl_source *src) {
  TSNode root = ts_tree_root_node(t);
  if (src->len < TRUNCATED_ROOT_MIN_BYTES || ts_node_symbol(root) != (TSSymbol)-1) return 0;
  if (ts_node_child_count(root) == 0) return 1;
  /* The root's extent is summed from the children it lists: the last ones. */
  size_t last = src->len;
  while (last > 0 && is_blank(src->bytes[last - 1])) last--;
  return ts_node_end_byte(root) < last;
}

/* Trees that cannot be freed (see TRUNCATED_ROOT_MIN_BYTES), kept reachable
 * until the process ends. */
static pthread_mutex_t unfreed_mu = PTHREAD_MUTEX_INITIALIZER;
static TSTree **unfreed;
static size_t nunfreed;

static void keep_unfreed(TSTree *t) {
  pthread_mutex_lock(&unfreed_mu);
  unfreed = rl_xreallocarray(unfreed, nunfreed + 1, sizeof *unfreed);
  unfreed[nunfreed++] = t;
  pthread_mutex_unlock(&unfreed_mu);
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
  if (root_is_truncated(t, src)) {
    keep_unfreed(t);
    rl_error_set("the file ends inside 65,536 or more unfinished constructs (unclosed brackets or chains), more "
                 "than tree-sitter 0.20.7 can count; not parsed, so not checked");
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
