#include "query.h"

#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "util.h"

typedef enum pred_kind { PRED_EQ, PRED_MATCH, PRED_ANY_OF } pred_kind;

typedef struct predicate {
  pred_kind kind;
  int negate;
  uint32_t capture;   /* left-hand capture id */
  int rhs_is_capture; /* #eq? @a @b */
  uint32_t rhs_capture;
  const char *rhs; /* #eq? @a "text": borrowed from the TSQuery's string table */
  uint32_t rhs_len;
  rl_regex *re;     /* #match? */
  const char **any; /* #any-of? */
  uint32_t *any_len;
  uint32_t nany;
} predicate;

typedef struct pattern_preds {
  predicate *preds;
  uint32_t n;
} pattern_preds;

struct rl_query {
  TSQuery *ts;
  pattern_preds *patterns;
  uint32_t npatterns;
  /* rl_query_new_cheap: per capture id, the node type a wildcard parent
   * stands for (its hidden capture), or 0 for the caller's own captures */
  TSSymbol *capture_type;
  uint32_t *pattern_start; /* cheap, with edits: each pattern's offset in the caller's text */
};

static const char *query_error_name(TSQueryError e) {
  switch (e) {
  case TSQueryErrorSyntax: return "syntax error";
  case TSQueryErrorNodeType: return "unknown node type";
  case TSQueryErrorField: return "unknown field";
  case TSQueryErrorCapture: return "unknown capture";
  case TSQueryErrorStructure: return "impossible pattern structure";
  case TSQueryErrorLanguage: return "language mismatch";
  default: return "error";
  }
}

static void offset_to_line_col(const char *src, uint32_t len, uint32_t off, uint32_t *line, uint32_t *col) {
  *line = 1;
  *col = 1;
  for (uint32_t i = 0; i < off && i < len; i++) {
    if (src[i] == '\n') {
      (*line)++;
      *col = 1;
    } else {
      (*col)++;
    }
  }
}

/* The word at off, for messages like "unknown node type 'foo'". */
static void word_at(const char *src, uint32_t len, uint32_t off, const char **w, int *wn) {
  uint32_t end = off;
  while (end < len && (src[end] == '_' || src[end] == '.' || (src[end] >= 'a' && src[end] <= 'z') ||
                       (src[end] >= 'A' && src[end] <= 'Z') || (src[end] >= '0' && src[end] <= '9')))
    end++;
  *w = src + off;
  *wn = (int)(end - off);
}

static void free_patterns(rl_query *q) {
  for (uint32_t i = 0; i < q->npatterns; i++) {
    for (uint32_t j = 0; j < q->patterns[i].n; j++) {
      rl_regex_free(q->patterns[i].preds[j].re);
      free(q->patterns[i].preds[j].any);
      free(q->patterns[i].preds[j].any_len);
    }
    free(q->patterns[i].preds);
  }
  free(q->patterns);
  q->patterns = NULL;
  free(q->capture_type);
  free(q->pattern_start);
  q->capture_type = NULL;
  q->pattern_start = NULL;
}

void rl_query_free(rl_query *q) {
  if (!q) return;
  free_patterns(q);
  if (q->ts) ts_query_delete(q->ts);
  free(q);
}

/* Compiles one predicate from steps[0..n) (Done excluded). */
static int compile_predicate(rl_query *q, uint32_t pattern, const TSQueryPredicateStep *steps, uint32_t n,
                             predicate *out, const char *src, uint32_t len) {
  uint32_t name_len;
  const char *name = ts_query_string_value_for_id(q->ts, steps[0].value_id, &name_len);
  uint32_t line, col;
  offset_to_line_col(src, len, ts_query_start_byte_for_pattern(q->ts, pattern), &line, &col);
#define PRED_IS(s) (name_len == sizeof(s) - 1 && memcmp(name, s, sizeof(s) - 1) == 0)
  memset(out, 0, sizeof *out);
  if (PRED_IS("eq?") || PRED_IS("not-eq?")) {
    out->kind = PRED_EQ;
  } else if (PRED_IS("match?") || PRED_IS("not-match?")) {
    out->kind = PRED_MATCH;
  } else if (PRED_IS("any-of?") || PRED_IS("not-any-of?")) {
    out->kind = PRED_ANY_OF;
  } else {
    rl_error_set("%u:%u: unknown predicate #%.*s (supported: #eq? #not-eq? #match? #not-match? "
                 "#any-of? #not-any-of?)",
                 line, col, (int)name_len, name);
    return RL_EINVALID;
  }
  out->negate = name_len > 4 && memcmp(name, "not-", 4) == 0;
  if (n < 3 || steps[1].type != TSQueryPredicateStepTypeCapture) {
    rl_error_set("%u:%u: #%.*s needs a capture and at least one more argument", line, col, (int)name_len, name);
    return RL_EINVALID;
  }
  out->capture = steps[1].value_id;
  switch (out->kind) {
  case PRED_EQ:
    if (n != 3) {
      rl_error_set("%u:%u: #%.*s takes exactly two arguments", line, col, (int)name_len, name);
      return RL_EINVALID;
    }
    if (steps[2].type == TSQueryPredicateStepTypeCapture) {
      out->rhs_is_capture = 1;
      out->rhs_capture = steps[2].value_id;
    } else {
      out->rhs = ts_query_string_value_for_id(q->ts, steps[2].value_id, &out->rhs_len);
    }
    break;
  case PRED_MATCH: {
    if (n != 3 || steps[2].type != TSQueryPredicateStepTypeString) {
      rl_error_set("%u:%u: #%.*s takes a capture and a regular expression string", line, col, (int)name_len, name);
      return RL_EINVALID;
    }
    uint32_t rlen;
    const char *re = ts_query_string_value_for_id(q->ts, steps[2].value_id, &rlen);
    if (rl_regex_new(&out->re, re, rlen, 0) < 0) {
      rl_error_set("%u:%u: bad regular expression in #%.*s: %s", line, col, (int)name_len, name, rl_error_last());
      return RL_EINVALID;
    }
    break;
  }
  case PRED_ANY_OF:
    out->nany = n - 2;
    out->any = rl_xcalloc(out->nany, sizeof *out->any);
    out->any_len = rl_xcalloc(out->nany, sizeof *out->any_len);
    for (uint32_t i = 2; i < n; i++) {
      if (steps[i].type != TSQueryPredicateStepTypeString) {
        rl_error_set("%u:%u: #%.*s takes strings after the capture", line, col, (int)name_len, name);
        return RL_EINVALID;
      }
      out->any[i - 2] = ts_query_string_value_for_id(q->ts, steps[i].value_id, &out->any_len[i - 2]);
    }
    break;
  }
#undef PRED_IS
  return 0;
}

/* Skips blanks and ';' comments in query text. */
static uint32_t skip_query_blank(const char *src, uint32_t len, uint32_t i) {
  while (i < len) {
    if (src[i] == ';') {
      while (i < len && src[i] != '\n') i++;
    } else if (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r' || src[i] == '\f' ||
               src[i] == '\v') {
      i++;
    } else {
      break;
    }
  }
  return i;
}

static int query_name_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

/* Two shapes that libtree-sitter 0.20's ts_query_new mishandles, refused
 * before it sees them (both found by fuzz_rulepack; neither means anything):
 *   - a field whose value holds no node, only a predicate
 *     (`property: (#eq? ...)`): it writes through a step that does not
 *     exist, a null-pointer write when it is the first pattern and heap
 *     corruption after that;
 *   - an optional quantifier (? or *) on a pattern that can already match
 *     nothing: `(x)??`, `(x)*?`, `((x)?)*`, `((x)? (y)?)?`; it loops forever
 *     or corrupts memory, depending on where the pattern stands.
 * Read as text: strings and comments skipped, an explicit stack for the
 * brackets. An element is a node `(name ...)`, a group `((..) (..))`, an
 * alternation `[...]`, a string or `_`; a group can match nothing when all
 * of its elements can; an element followed by ? or * can. Returns the offset
 * of the problem (*why says which), or len. */
enum { Q_NODE, Q_GROUP, Q_ALT, Q_PRED };

typedef struct q_open {
  unsigned char kind;
  unsigned char all_empty; /* group: every element so far can match nothing */
  unsigned char any;       /* group: it has an element */
} q_open;

static uint32_t query_text_problem(const char *src, uint32_t len, const char **why) {
  q_open stack[256];
  uint32_t depth = 0, i = 0;
  while (i < len) {
    i = skip_query_blank(src, len, i);
    if (i >= len) break;
    char c = src[i];
    int element = 0, empty = 0;
    if (c == '(' || c == '[') {
      if (depth == sizeof stack / sizeof *stack) return len; /* tree-sitter judges it */
      uint32_t j = skip_query_blank(src, len, i + 1);
      unsigned char kind = c == '['                                                       ? Q_ALT
                           : j < len && src[j] == '#'                                     ? Q_PRED
                           : j < len && (src[j] == '(' || src[j] == '[' || src[j] == '"') ? Q_GROUP
                                                                                          : Q_NODE;
      stack[depth++] = (q_open){kind, 1, 0};
      i++;
      continue;
    }
    if (c == ')' || c == ']') {
      if (depth == 0) return len; /* a syntax error tree-sitter reports */
      q_open o = stack[--depth];
      i++;
      if (o.kind == Q_PRED) continue;
      element = 1;
      empty = o.kind == Q_GROUP && o.any && o.all_empty;
    } else if (c == '"') {
      for (i++; i < len && src[i] != '"'; i++)
        if (src[i] == '\\') i++;
      i++;
      element = 1;
    } else if (c == '@' || c == '!') { /* a capture, a negated field */
      for (i++; i < len && query_name_byte((unsigned char)src[i]); i++) {
      }
    } else if (c == '#') { /* a predicate's name: #eq? #set! */
      for (i++; i < len && (query_name_byte((unsigned char)src[i]) || src[i] == '?' || src[i] == '!'); i++) {
      }
    } else if (c == '_' && (i + 1 >= len || !query_name_byte((unsigned char)src[i + 1]))) {
      i++;
      element = 1;
    } else if (query_name_byte((unsigned char)c)) {
      while (i < len && query_name_byte((unsigned char)src[i])) i++;
      uint32_t j = skip_query_blank(src, len, i);
      if (j < len && src[j] == ':') { /* a field: its value must hold a node */
        j = skip_query_blank(src, len, j + 1);
        while (j < len && (src[j] == '(' || src[j] == '[')) j = skip_query_blank(src, len, j + 1);
        if (j < len && src[j] == '#') {
          *why = "a field's value must be a node pattern, not a predicate";
          return j;
        }
      }
    } else {
      i++; /* ':' '.' and what tree-sitter will refuse */
    }
    if (!element) continue;
    /* its suffixes, in any order as tree-sitter reads them: quantifiers and
     * captures (`(x) @a ?` is `(x)? @a`) */
    for (;;) {
      uint32_t j = skip_query_blank(src, len, i);
      if (j < len && src[j] == '@') {
        for (j++; j < len && query_name_byte((unsigned char)src[j]); j++) {
        }
        i = j;
        continue;
      }
      if (j >= len || (src[j] != '?' && src[j] != '*' && src[j] != '+')) break;
      if (src[j] != '+' && empty) {
        *why = "this quantifier makes optional a pattern that is optional already (write one ? or *)";
        return j;
      }
      if (src[j] != '+') empty = 1;
      i = j + 1;
    }
    if (depth > 0 && stack[depth - 1].kind == Q_GROUP) {
      stack[depth - 1].any = 1;
      if (!empty) stack[depth - 1].all_empty = 0;
    }
  }
  return len;
}

static const TSLanguage *query_language(rl_lang lang) {
  switch (lang) {
  case RL_LANG_JS:
  case RL_LANG_TS:
  case RL_LANG_TSX: return rl_parse_language(lang);
  default: rl_error_set("queries apply to javascript, typescript and tsx, not %s", rl_lang_name(lang)); return NULL;
  }
}

/* q around ts, with its predicates compiled (src is the text ts was built
 * from, for messages). Takes ts, freed on failure. */
static int query_wrap(rl_query **out, TSQuery *ts, const char *src, uint32_t len) {
  rl_query *q = rl_xcalloc(1, sizeof *q);
  q->ts = ts;
  q->npatterns = ts_query_pattern_count(ts);
  q->patterns = rl_xcalloc(q->npatterns ? q->npatterns : 1, sizeof *q->patterns);
  for (uint32_t p = 0; p < q->npatterns; p++) {
    uint32_t nsteps;
    const TSQueryPredicateStep *steps = ts_query_predicates_for_pattern(ts, p, &nsteps);
    uint32_t npreds = 0;
    for (uint32_t i = 0; i < nsteps; i++)
      if (steps[i].type == TSQueryPredicateStepTypeDone) npreds++;
    q->patterns[p].preds = rl_xcalloc(npreds ? npreds : 1, sizeof(predicate));
    uint32_t start = 0;
    for (uint32_t i = 0; i < nsteps; i++) {
      if (steps[i].type != TSQueryPredicateStepTypeDone) continue;
      predicate *pr = &q->patterns[p].preds[q->patterns[p].n];
      int rc = compile_predicate(q, p, steps + start, i - start, pr, src, len);
      q->patterns[p].n++; /* counted even on failure so free_patterns sees it */
      if (rc < 0) {
        rl_query_free(q);
        return rc;
      }
      start = i + 1;
    }
  }
  *out = q;
  return 0;
}

int rl_query_new(rl_query **out, rl_lang lang, const char *src, uint32_t len) {
  *out = NULL;
  const TSLanguage *language = query_language(lang);
  if (!language) return RL_EINVALID;
  const char *why = NULL;
  uint32_t err_off = query_text_problem(src, len, &why);
  if (err_off < len) {
    uint32_t line, col;
    offset_to_line_col(src, len, err_off, &line, &col);
    rl_error_set("%u:%u: %s", line, col, why);
    return RL_EINVALID;
  }
  TSQueryError err = TSQueryErrorNone;
  TSQuery *ts = ts_query_new(language, src, len, &err_off, &err);
  if (!ts) {
    uint32_t line, col;
    const char *w;
    int wn;
    offset_to_line_col(src, len, err_off, &line, &col);
    word_at(src, len, err_off, &w, &wn);
    if (wn > 0 && err != TSQueryErrorSyntax)
      rl_error_set("%u:%u: %s '%.*s' (for %s)", line, col, query_error_name(err), wn, w, rl_lang_name(lang));
    else
      rl_error_set("%u:%u: %s (for %s)", line, col, query_error_name(err), rl_lang_name(lang));
    return RL_EINVALID;
  }
  return query_wrap(out, ts, src, len);
}

/* ---- cheap compiles ----------------------------------------------------------
 * ts_query_new in tree-sitter 0.20 analyses each node pattern that has child
 * patterns against the parse table of its node type, to tell impossible
 * patterns and what is certain to match: 3-5 ms per such node for a type
 * that can stand wherever an expression can (call_expression,
 * member_expression) in TypeScript, so a rule of a few patterns cost 20 ms to
 * compile, most of a one-file scan. A wildcard parent, `(_ field: ...)`, is
 * not analysed. rl_query_new_cheap compiles `(call_expression args...)` as
 * `(_ args...) @_rl_tN` and keeps, after each match, only those whose hidden
 * capture is a call_expression, then hides the capture: the same matches,
 * for a fraction of the compile. */

typedef struct typed_parent {
  uint32_t name, name_len; /* the node type's word in the caller's text */
  uint32_t close;          /* offset of its ')' */
  uint32_t captures;       /* captures tree-sitter may put on its step (an upper bound) */
  TSSymbol symbol;
} typed_parent;

#define STEP_CAPTURES_MAX 3 /* tree-sitter 0.20 keeps at most 3 captures per step, and drops more in silence */

/* The node patterns of src with children, with a real (not wildcard,
 * supertype, ERROR or MISSING) type: *out, their count returned; caller frees. */
static uint32_t find_typed_parents(const TSLanguage *language, const char *src, uint32_t len, typed_parent **out) {
  struct {
    unsigned char kind, has_child;
    uint32_t name, name_len, first_edit;
  } stack[256];
  typed_parent *tp = NULL;
  uint32_t n = 0, cap = 0, depth = 0, i = 0;
  *out = NULL;
  while (i < len) {
    i = skip_query_blank(src, len, i);
    if (i >= len) break;
    char c = src[i];
    int element = 0;
    if (c == '(' || c == '[') {
      if (depth == sizeof stack / sizeof *stack) goto give_up;
      uint32_t j = skip_query_blank(src, len, i + 1), k = j;
      unsigned char kind = c == '['                                                       ? Q_ALT
                           : j < len && src[j] == '#'                                     ? Q_PRED
                           : j < len && (src[j] == '(' || src[j] == '[' || src[j] == '"') ? Q_GROUP
                                                                                          : Q_NODE;
      while (kind == Q_NODE && k < len && query_name_byte((unsigned char)src[k])) k++;
      stack[depth].kind = kind;
      stack[depth].has_child = 0;
      stack[depth].name = j;
      stack[depth].name_len = k - j;
      stack[depth].first_edit = n;
      depth++;
      i = k > j ? k : i + 1;
      continue;
    }
    if (c == ')' || c == ']') {
      if (depth == 0) goto give_up;
      depth--;
      uint32_t close = i++;
      if (stack[depth].kind == Q_PRED) continue;
      element = 1;
      uint32_t ncap = 0;
      for (;;) { /* suffixes: captures and quantifiers */
        uint32_t j = skip_query_blank(src, len, i);
        if (j < len && src[j] == '@') {
          for (j++; j < len && query_name_byte((unsigned char)src[j]); j++) {
          }
          ncap++;
        } else if (j < len && (src[j] == '?' || src[j] == '*' || src[j] == '+')) {
          j++;
        } else {
          break;
        }
        i = j;
      }
      /* a group's or alternation's captures go to its first steps: count
       * them on every node inside, which can only skip a rewrite */
      if (stack[depth].kind != Q_NODE)
        for (uint32_t k = stack[depth].first_edit; k < n; k++) tp[k].captures += ncap;
      const char *name = src + stack[depth].name;
      uint32_t nl = stack[depth].name_len, after = stack[depth].name + nl;
      if (stack[depth].kind == Q_NODE && stack[depth].has_child && nl > 0 && !(nl == 1 && name[0] == '_') &&
          after < len && src[after] != '/' && !(nl == 5 && memcmp(name, "ERROR", 5) == 0) &&
          !(nl == 7 && memcmp(name, "MISSING", 7) == 0)) {
        TSSymbol sym = ts_language_symbol_for_name(language, name, nl, true);
        if (sym != 0 && sym != (TSSymbol)-1) {
          if (n == cap) tp = rl_xreallocarray(tp, cap = cap ? 2 * cap : 8, sizeof *tp);
          tp[n++] = (typed_parent){stack[depth].name, nl, close, ncap, sym};
        }
      }
    } else if (c == '"') {
      for (i++; i < len && src[i] != '"'; i++)
        if (src[i] == '\\') i++;
      i++;
      element = 1;
    } else if (c == '_' && (i + 1 >= len || !query_name_byte((unsigned char)src[i + 1]))) {
      i++;
      element = 1;
    } else if (c == '@' || c == '!' || c == '#' || query_name_byte((unsigned char)c)) {
      for (i++; i < len && (query_name_byte((unsigned char)src[i]) || src[i] == '?' || src[i] == '!'); i++) {
      }
    } else {
      i++;
    }
    if (element && depth > 0) stack[depth - 1].has_child = 1;
  }
  if (depth != 0) goto give_up;
  *out = tp;
  return n;
give_up: /* tree-sitter judges the text as it is */
  free(tp);
  return 0;
}

typedef struct text_edit {
  uint32_t at, del; /* bytes [at, at + del) of the caller's text ... */
  uint32_t ins_len; /* ... become ins[0, ins_len) */
  char ins[24];
} text_edit;

static int edit_cmp(const void *a, const void *b) {
  const text_edit *x = a, *y = b;
  return x->at < y->at ? -1 : x->at > y->at;
}

/* Offset off of the edited text, in the caller's text. */
static uint32_t unedited_offset(const text_edit *ed, uint32_t ned, uint32_t off) {
  int64_t shift = 0; /* edited minus caller's, before the current edit */
  for (uint32_t k = 0; k < ned; k++) {
    if ((int64_t)ed[k].at + shift >= (int64_t)off) break;
    shift += (int64_t)ed[k].ins_len - (int64_t)ed[k].del;
  }
  return (uint32_t)((int64_t)off - shift);
}

int rl_query_new_cheap(rl_query **out, rl_lang lang, const char *src, uint32_t len) {
  *out = NULL;
  const TSLanguage *language = query_language(lang);
  typed_parent *tp = NULL;
  text_edit *ed = NULL;
  char *text = NULL;
  TSQuery *ts = NULL;
  uint32_t ntp = 0, ned = 0, tlen = 0, err_off;
  const char *why = NULL;
  if (!language || query_text_problem(src, len, &why) < len || memmem(src, len, "@_rl_t", 6)) goto full;
  ntp = find_typed_parents(language, src, len, &tp);
  ed = rl_xcalloc(2 * (size_t)ntp + 1, sizeof *ed);
  for (uint32_t k = 0; k < ntp; k++) {
    if (tp[k].captures >= STEP_CAPTURES_MAX) continue;
    ed[ned++] = (text_edit){tp[k].name, tp[k].name_len, 1, "_"};
    text_edit *cap = &ed[ned++];
    *cap = (text_edit){tp[k].close + 1, 0, 0, ""};
    cap->ins_len = (uint32_t)snprintf(cap->ins, sizeof cap->ins, " @_rl_t%u ", k);
  }
  if (ned == 0) goto full;
  qsort(ed, ned, sizeof *ed, edit_cmp);
  tlen = len;
  for (uint32_t k = 0; k < ned; k++) tlen = tlen + ed[k].ins_len - ed[k].del; /* never below 0: "_" for a word */
  text = rl_xmalloc(tlen);
  uint32_t from = 0, to = 0;
  for (uint32_t k = 0; k < ned; k++) {
    memcpy(text + to, src + from, ed[k].at - from);
    to += ed[k].at - from;
    memcpy(text + to, ed[k].ins, ed[k].ins_len);
    to += ed[k].ins_len;
    from = ed[k].at + ed[k].del;
  }
  memcpy(text + to, src + from, len - from);
  TSQueryError err = TSQueryErrorNone;
  ts = ts_query_new(language, text, tlen, &err_off, &err);
  rl_query *q = NULL;
  if (!ts || query_wrap(&q, ts, text, tlen) < 0) goto full; /* query_wrap freed ts */
  ts = NULL;
  uint32_t ncaps = ts_query_capture_count(q->ts);
  q->capture_type = rl_xcalloc(ncaps ? ncaps : 1, sizeof *q->capture_type);
  for (uint32_t id = 0; id < ncaps; id++) {
    uint32_t nl;
    const char *name = ts_query_capture_name_for_id(q->ts, id, &nl);
    if (nl > 5 && memcmp(name, "_rl_t", 5) == 0) q->capture_type[id] = tp[strtoul(name + 5, NULL, 10)].symbol;
  }
  q->pattern_start = rl_xcalloc(q->npatterns ? q->npatterns : 1, sizeof *q->pattern_start);
  for (uint32_t p = 0; p < q->npatterns; p++)
    q->pattern_start[p] = unedited_offset(ed, ned, ts_query_start_byte_for_pattern(q->ts, p));
  free(tp);
  free(ed);
  free(text);
  *out = q;
  return 0;
full: /* no wildcard to gain, or a problem: rl_query_new compiles or says what is wrong, in the caller's text */
  free(tp);
  free(ed);
  free(text);
  return rl_query_new(out, lang, src, len);
}

const TSQuery *rl_query_ts(const rl_query *q) { return q->ts; }
uint32_t rl_query_pattern_count(const rl_query *q) { return q->npatterns; }
uint32_t rl_query_pattern_start(const rl_query *q, uint32_t i) {
  return q->pattern_start ? q->pattern_start[i] : ts_query_start_byte_for_pattern(q->ts, i);
}

static const char *node_text(TSNode n, const char *bytes, uint32_t len, uint32_t *tlen) {
  uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
  if (e > len) e = len;
  if (s > e) s = e;
  *tlen = e - s;
  return bytes + s;
}

/* A predicate holds when it holds for every node of its capture in the match
 * (quantified captures give several); a capture absent from the match makes
 * the predicate vacuously true, as optional parts of a pattern may be absent.
 * Returns 1 or 0, or -1 when a regex hit a PCRE2 limit on the capture (*at
 * is where it starts): the answer is unknown, for #match? and #not-match?
 * alike. */
static int predicate_holds(const predicate *p, const TSQueryMatch *m, const char *bytes, uint32_t len, uint32_t *at) {
  for (uint16_t i = 0; i < m->capture_count; i++) {
    if (m->captures[i].index != p->capture) continue;
    uint32_t tlen;
    const char *t = node_text(m->captures[i].node, bytes, len, &tlen);
    int ok = 0;
    switch (p->kind) {
    case PRED_EQ:
      if (p->rhs_is_capture) {
        for (uint16_t j = 0; j < m->capture_count; j++) {
          if (m->captures[j].index != p->rhs_capture) continue;
          uint32_t olen;
          const char *o = node_text(m->captures[j].node, bytes, len, &olen);
          ok = olen == tlen && memcmp(o, t, tlen) == 0;
          break;
        }
      } else {
        ok = p->rhs_len == tlen && memcmp(p->rhs, t, tlen) == 0;
      }
      break;
    case PRED_MATCH:
      ok = rl_regex_match(p->re, t, tlen);
      if (ok < 0) {
        *at = ts_node_start_byte(m->captures[i].node);
        return -1;
      }
      break;
    case PRED_ANY_OF:
      for (uint32_t k = 0; k < p->nany && !ok; k++) ok = p->any_len[k] == tlen && memcmp(p->any[k], t, tlen) == 0;
      break;
    }
    if (ok == p->negate) return 0;
  }
  return 1;
}

/* tree-sitter 0.20's match limit caps the capture lists of matches in
 * progress, not patterns: a node on which every pattern of a large pack can
 * start opens one per pattern, and past the limit the earliest are dropped
 * without a word. */
#define QUERY_MATCH_LIMIT_MIN 4096u

uint32_t rl_query_match_limit(const rl_query *q) {
  if (q->npatterns > (UINT32_MAX - 1) / 2) return UINT32_MAX;
  uint32_t want = q->npatterns * 2;
  return want > QUERY_MATCH_LIMIT_MIN ? want : QUERY_MATCH_LIMIT_MIN;
}

/* A cheap query's match: 0 when a wildcard's node is not of the type it
 * stands for; else 1, with m's captures the caller's own only (in *kept, a
 * buffer grown from few as needed). */
static int typed_match(const rl_query *q, TSQueryMatch *m, TSQueryCapture **kept, uint32_t *kept_cap,
                       TSQueryCapture *few) {
  uint16_t n = 0;
  for (uint16_t i = 0; i < m->capture_count; i++) {
    TSSymbol want = q->capture_type[m->captures[i].index];
    if (!want)
      n++;
    else if (ts_node_symbol(m->captures[i].node) != want)
      return 0;
  }
  if (n > *kept_cap) {
    if (*kept != few) free(*kept);
    *kept = rl_xcalloc(n, sizeof **kept);
    *kept_cap = n;
  }
  n = 0;
  for (uint16_t i = 0; i < m->capture_count; i++)
    if (!q->capture_type[m->captures[i].index]) (*kept)[n++] = m->captures[i];
  m->captures = *kept;
  m->capture_count = n;
  return 1;
}

void rl_query_run(rl_query_stats *out, const rl_query *q, TSQueryCursor *cursor, TSNode root, const char *bytes,
                  uint32_t len, rl_query_cb cb, void *data) {
  memset(out, 0, sizeof *out);
  ts_query_cursor_set_match_limit(cursor, rl_query_match_limit(q));
  ts_query_cursor_exec(cursor, q->ts, root);
  TSQueryMatch m;
  TSQueryCapture few[32], *kept = few;
  uint32_t kept_cap = sizeof few / sizeof *few;
  while (ts_query_cursor_next_match(cursor, &m)) {
    if (q->capture_type && !typed_match(q, &m, &kept, &kept_cap, few)) continue;
    const pattern_preds *pp = &q->patterns[m.pattern_index];
    int ok = 1;
    uint32_t at = 0;
    for (uint32_t i = 0; i < pp->n && ok == 1; i++) ok = predicate_holds(&pp->preds[i], &m, bytes, len, &at);
    if (ok < 0) {
      /* neither reported nor dropped in silence: the caller says so */
      if (out->regex_limited++ == 0) {
        out->regex_limited_pattern = m.pattern_index;
        out->regex_limited_byte = at;
      }
      continue;
    }
    if (ok && cb(data, &m)) break;
  }
  out->match_limit_exceeded = ts_query_cursor_did_exceed_match_limit(cursor);
  if (kept != few) free(kept);
}
