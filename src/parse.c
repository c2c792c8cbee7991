#include "parse.h"

#include <pthread.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

const TSLanguage *tree_sitter_javascript(void);
const TSLanguage *tree_sitter_typescript(void);
const TSLanguage *tree_sitter_tsx(void);
const TSLanguage *tree_sitter_html(void);

const TSLanguage *rl_parse_language(rl_lang lang) {
  switch (lang) {
  case RL_LANG_JS: return tree_sitter_javascript();
  case RL_LANG_TS: return tree_sitter_typescript();
  case RL_LANG_TSX: return tree_sitter_tsx();
  default: return NULL;
  }
}

const TSLanguage *rl_parse_node_language(TSNode n) { return ts_tree_language(n.tree); }

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

/* Row and byte column of offset `to`, continuing a count that stood at *at
 * (offsets only grow: one pass over the file for all ranges). */
static TSPoint point_at(const char *b, uint32_t *at, TSPoint *pt, uint32_t to) {
  for (; *at < to; (*at)++) {
    if (b[*at] == '\n') {
      pt->row++;
      pt->column = 0;
    } else {
      pt->column++;
    }
  }
  return *pt;
}

/* Restricts the next parse to ranges[0..n) of b (n == 0: the whole text). */
static int include_ranges(rl_parser *p, const char *b, const rl_range *ranges, size_t n) {
  if (n == 0) return ts_parser_set_included_ranges(p->ts, NULL, 0) ? 0 : RL_ERROR;
  TSRange *tr = rl_xcalloc(n, sizeof *tr);
  uint32_t at = 0;
  TSPoint pt = {0, 0};
  for (size_t i = 0; i < n; i++) {
    tr[i].start_byte = ranges[i].start;
    tr[i].start_point = point_at(b, &at, &pt, ranges[i].start);
    tr[i].end_byte = ranges[i].end;
    tr[i].end_point = point_at(b, &at, &pt, ranges[i].end);
  }
  int ok = ts_parser_set_included_ranges(p->ts, tr, (uint32_t)n);
  free(tr);
  if (!ok) rl_error_set("code ranges overlap or are out of order");
  return ok ? 0 : RL_ERROR;
}

/* See TRUNCATED_ROOT_MIN_BYTES. */
static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

static int root_is_truncated(TSTree *t, const rl_source *src, size_t end) {
  TSNode root = ts_tree_root_node(t);
  if (src->len < TRUNCATED_ROOT_MIN_BYTES || ts_node_symbol(root) != (TSSymbol)-1) return 0;
  if (ts_node_child_count(root) == 0) return 1;
  /* The root's extent is summed from the children it lists: the last ones. */
  size_t last = end;
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

/* One parse under the time limit for its size; NULL (p->timed_out set, the
 * reason in rl_error_last) when tree-sitter's error recovery ran out of it. */
static TSTree *parse_string(rl_parser *p, const rl_source *src) {
  p->last_limit = parse_time_limit(src->len);
  ts_parser_set_timeout_micros(p->ts, p->last_limit);
  TSTree *t = ts_parser_parse_string(p->ts, NULL, src->bytes, (uint32_t)src->len);
  if (!t) {
    ts_parser_reset(p->ts);
    p->timed_out = 1;
    rl_error_set("parse stopped after %.1f s, the limit for a file of %zu bytes (tree-sitter's error recovery "
                 "did not finish): not checked",
                 (double)p->last_limit / 1e6, src->len);
  }
  return t;
}

rl_tree *rl_parse(rl_parser *p, const rl_source *src) { return rl_parse_ranges(p, src, NULL, 0); }

rl_tree *rl_parse_ranges(rl_parser *p, const rl_source *src, const rl_range *ranges, size_t nranges) {
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
  if (include_ranges(p, src->bytes, ranges, nranges) < 0) return NULL;
  TSTree *t = parse_string(p, src);
  if (nranges) include_ranges(p, src->bytes, NULL, 0);
  if (!t) return NULL;
  if (root_is_truncated(t, src, nranges ? ranges[nranges - 1].end : src->len)) {
    keep_unfreed(t);
    rl_error_set("the file ends inside 65,536 or more unfinished constructs (unclosed brackets or chains), more "
                 "than tree-sitter 0.20.7 can count; not parsed, so not checked");
    return NULL;
  }
  rl_tree *tree = rl_xcalloc(1, sizeof *tree);
  tree->ts = t;
  return tree;
}

static int node_is(TSNode n, const char *type) { return strcmp(ts_node_type(n), type) == 0; }

/* The attributes of a start_tag node, into a growing array. */
static size_t tag_attrs(TSNode tag, rl_html_attr **attrs, size_t *cap) {
  size_t n = 0;
  for (uint32_t i = 0; i < ts_node_named_child_count(tag); i++) {
    TSNode a = ts_node_named_child(tag, i);
    if (!node_is(a, "attribute")) continue;
    rl_html_attr at = {0};
    for (uint32_t k = 0; k < ts_node_named_child_count(a); k++) {
      TSNode c = ts_node_named_child(a, k);
      if (node_is(c, "attribute_name")) {
        at.name_start = ts_node_start_byte(c);
        at.name_end = ts_node_end_byte(c);
      } else if (node_is(c, "quoted_attribute_value")) {
        at.value_start = ts_node_start_byte(c) + 1;
        at.value_end = ts_node_end_byte(c) > at.value_start ? ts_node_end_byte(c) - 1 : at.value_start;
      } else if (node_is(c, "attribute_value")) {
        at.value_start = ts_node_start_byte(c);
        at.value_end = ts_node_end_byte(c);
      }
    }
    if (at.name_end == at.name_start) continue;
    if (n == *cap) {
      *cap = *cap ? *cap * 2 : 8;
      *attrs = rl_xreallocarray(*attrs, *cap, sizeof **attrs);
    }
    (*attrs)[n++] = at;
  }
  return n;
}

static int name_is(const char *p, size_t n, const char *word) {
  return n == strlen(word) && strncasecmp(p, word, n) == 0;
}

/* tree-sitter-html's scanner keeps its stack of open elements in the
 * parser's 1,024-byte state (a byte per known tag, 2 + its name's length
 * for any other): past that it loses track, and a <script> further in is
 * no longer seen, silently. Markup whose open elements could need more than
 * this is refused with a note instead. The count is an upper bound (every
 * tag at 2 + name length); elements that close themselves implicitly in real
 * pages (li, p, td, option, ...) and void ones are not counted. */
#define HTML_STACK_BUDGET 1000
/* (It also keeps the grammar far from the 0.20.7 runtime's heap corruption
 * at 65,536 levels, which deeper markup meets as the JS grammars do.) */

static uint32_t html_stack_cost(const char *b, size_t n, size_t from) {
  static const char *const flat[] = {"area", "base", "br",    "col",    "embed", "hr",     "img",      "input",
                                     "link", "meta", "param", "source", "track", "wbr",    "li",       "p",
                                     "td",   "th",   "tr",    "dt",     "dd",    "option", "optgroup", NULL};
  uint16_t cost[HTML_STACK_BUDGET];
  uint32_t depth = 0, total = 0;
  for (size_t i = from; i < n; i++) {
    if (b[i] != '<' || i + 1 >= n) continue;
    if (n - i >= 4 && memcmp(b + i, "<!--", 4) == 0) {
      const char *e = memmem(b + i + 4, n - i - 4, "-->", 3);
      if (!e) break;
      i = (size_t)(e - b) + 2;
      continue;
    }
    int end = b[i + 1] == '/';
    size_t k = i + 1 + (size_t)end, name = k;
    while (k < n && (isalnum((unsigned char)b[k]) || b[k] == '-' || b[k] == ':' || b[k] == '.' || b[k] == '_')) k++;
    if (k == name) continue;
    size_t nl = k - name;
    /* to the tag's '>', past quoted attribute values */
    char q = 0;
    while (k < n && (q || b[k] != '>')) {
      if (q && b[k] == q)
        q = 0;
      else if (!q && (b[k] == '"' || b[k] == '\''))
        q = b[k];
      k++;
    }
    if (k >= n) break;
    if (end) {
      if (depth) total -= cost[--depth];
    } else if (b[k - 1] != '/') {
      int is_flat = 0;
      for (size_t v = 0; flat[v] && !is_flat; v++) is_flat = name_is(b + name, nl, flat[v]);
      if (!is_flat) {
        uint32_t c = 2 + (uint32_t)(nl < 255 ? nl : 255);
        if (total + c > HTML_STACK_BUDGET) return total + c;
        cost[depth++] = (uint16_t)c;
        total += c;
      }
      if (name_is(b + name, nl, "script") || name_is(b + name, nl, "style")) {
        /* raw text to the first case-insensitive </script or </style */
        size_t j = k + 1;
        while (j + 2 + nl <= n && !(b[j] == '<' && b[j + 1] == '/' && strncasecmp(b + j + 2, b + name, nl) == 0)) j++;
        k = j > k ? j - 1 : k;
      }
    }
    i = k;
  }
  return total;
}

int rl_html_scripts(rl_parser *p, const char *bytes, size_t len, uint32_t from,
                    int (*fn)(void *arg, const rl_html_script *s), void *arg) {
  if (len > UINT32_MAX) {
    rl_error_set("file too large to parse");
    return RL_ERROR;
  }
  if (html_stack_cost(bytes, len, from) > HTML_STACK_BUDGET) {
    rl_error_set("elements nest too deep for the HTML tokenizer to track (over %d bytes of open tags); "
                 "its scripts were not scanned",
                 HTML_STACK_BUDGET);
    return RL_ERROR;
  }
  if (!ts_parser_set_language(p->ts, tree_sitter_html())) {
    rl_error_set("HTML grammar ABI %u is not supported by this tree-sitter", ts_language_version(tree_sitter_html()));
    return RL_ERROR;
  }
  rl_range whole = {from, (uint32_t)len};
  if (from > 0 && include_ranges(p, bytes, &whole, 1) < 0) return RL_ERROR;
  rl_source src = {0};
  src.bytes = bytes;
  src.len = len;
  TSTree *t = parse_string(p, &src);
  if (from > 0) include_ranges(p, bytes, NULL, 0);
  if (!t) return RL_ERROR;
  rl_html_attr *attrs = NULL;
  size_t cap = 0;
  /* Depth first with a cursor: no recursion, however deep the markup. */
  TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(t));
  int stop = 0;
  for (;;) {
    TSNode n = ts_tree_cursor_current_node(&c);
    int descend = 1;
    if (node_is(n, "script_element")) {
      descend = 0;
      rl_html_script s = {ts_node_start_byte(n), 0, 0, NULL, 0};
      int body = 0;
      for (uint32_t i = 0; i < ts_node_named_child_count(n); i++) {
        TSNode k = ts_node_named_child(n, i);
        if (node_is(k, "start_tag")) {
          s.nattrs = tag_attrs(k, &attrs, &cap);
          s.attrs = attrs;
        } else if (node_is(k, "raw_text")) {
          s.start = ts_node_start_byte(k);
          s.end = ts_node_end_byte(k);
          body = s.end > s.start;
        }
      }
      if (body && fn(arg, &s)) stop = 1;
    } else if (node_is(n, "style_element") || node_is(n, "comment")) {
      descend = 0;
    }
    if (stop) break;
    if (descend && ts_tree_cursor_goto_first_child(&c)) continue;
    while (!ts_tree_cursor_goto_next_sibling(&c))
      if (!ts_tree_cursor_goto_parent(&c)) goto done;
  }
done:
  ts_tree_cursor_delete(&c);
  ts_tree_delete(t);
  free(attrs);
  return 0;
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
