/* Suppression comments (see suppress.h for the forms).
 *
 * A directive counts only when it starts a comment: after the comment opener
 * ("//", "/ *", "#") and any blanks or leading '*' the comment text must begin
 * with "roomlint-disable..." / "roomlint-enable...". Prose that merely
 * mentions a directive in the middle of a comment does nothing.
 *
 * Finding the comments: a small lexer that knows JS/TS line and block
 * comments, '...' and "..." strings, template literals with nested ${...}
 * expressions, and regex literals. Its limits, all of which err on the side of
 * NOT honouring a directive rather than honouring one inside a string:
 * - A '/' starts a regex literal unless the previous significant token was an
 *   identifier, a number, ')' or ']' (keywords such as return/typeof do start
 *   a regex). `a++ / b` and `x = y\n/re/.test(z)` are therefore misread; the
 *   misreading ends at the end of the line, because regexes and '...'/"..."
 *   strings cannot span lines.
 * - "</" is taken as a JSX closing tag (a comparison with a regex literal
 *   makes no sense), so `<a>x</a>; // directive` counts.
 * - JSX text is lexed as code: an apostrophe in `<p>Don't</p>` opens a string
 *   that ends at the end of that line, so a directive later on that same line
 *   is ignored. JSX comments `{/ * roomlint-disable-next-line x * /}` are
 *   ordinary block comments and count.
 * - Template literals nest up to 64 levels of ${...}; deeper input is lexed
 *   as code until the nesting unwinds (never a crash).
 * Dotenv files: '#' at the start of a line (after blanks) is a comment, and so
 * is '#' after whitespace or after a closing quote in a value, following the
 * quoting rules of dotenv.c (a quoted value may span lines up to its closing
 * quote).
 *
 * Line granularity: matching is by 1-based line. A "disable" block covers
 * lines from the disable comment's line through the enable comment's line,
 * inclusive; without an enable, to the end of the file. Disabling a rule that
 * is already disabled by an open block is a no-op; one enable ends it. An
 * all-rules block (no list) is ended only by an enable without a list; an
 * enable without a list ends every open block. */
#include "suppress.h"

#include <stdlib.h>
#include <string.h>

#include "prefilter.h"
#include "util.h"

#define RL_LINE_MAX UINT32_MAX

/* One rule name of one directive (or the directive itself when it names
 * none), where it is written and whether it suppressed anything. */
typedef struct entry {
  rl_suppress_entry pub;
  struct entry *next;
} entry;

typedef struct range {
  uint32_t first, last; /* inclusive line range */
  const char *rule;     /* NULL = every rule */
  entry *from;          /* the directive's rule name it came from */
  const char *justification;
  struct range *next;
} range;

typedef struct open_block {
  const char *rule; /* NULL = every rule */
  uint32_t first;
  entry *from;
  const char *justification;
  struct open_block *next;
} open_block;

struct rl_suppressions {
  range *head, *tail; /* while parsing */
  open_block *open;
  rl_arena *arena;
  /* after parsing: one-line ranges sorted by line (binary searched), and
   * block ranges (few in practice; scanned) */
  const range **lines, **blocks;
  size_t nlines, nblocks;
  entry *entries, *entries_tail; /* in file order */
  size_t nentries;
  const char *base; /* the file's bytes, for offsets */
};

typedef enum { D_NONE, D_LINE, D_NEXT_LINE, D_DISABLE, D_ENABLE } dkind;

typedef struct directive {
  dkind kind;
  const char **rules;
  const char **rule_at; /* where each rule name is written */
  size_t nrules;
  const char *word; /* the directive word, where it is written */
  const char *justification;
} directive;

/* memmem is a GNU extension; the build is plain POSIX. */
static int has_marker(const char *h, size_t n) {
  static const char m[] = "roomlint-";
  const size_t mn = sizeof m - 1;
  while (n >= mn) {
    const char *r = memchr(h, 'r', n - mn + 1);
    if (!r) return 0;
    if (memcmp(r, m, mn) == 0) return 1;
    n -= (size_t)(r - h) + 1;
    h = r + 1;
  }
  return 0;
}

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

static void add_range(rl_suppressions *s, uint32_t first, uint32_t last, const char *rule, entry *from,
                      const char *why) {
  range *r = rl_arena_alloc(s->arena, sizeof *r);
  r->first = first;
  r->last = last;
  r->rule = rule;
  r->from = from;
  r->justification = why;
  r->next = NULL;
  if (s->tail)
    s->tail->next = r;
  else
    s->head = r;
  s->tail = r;
}

static void close_block(rl_suppressions *s, open_block *b, uint32_t last) {
  add_range(s, b->first, last, b->rule, b->from, b->justification);
}

/* Records one rule name (or, rule NULL, a directive naming none) written at
 * at, 1-based line. */
static entry *add_entry(rl_suppressions *s, const char *directive_word, const char *rule, const char *at,
                        uint32_t line) {
  entry *e = rl_arena_calloc(s->arena, 1, sizeof *e);
  e->pub.directive = directive_word;
  e->pub.rule = rule;
  e->pub.offset = (uint32_t)(at - s->base);
  e->pub.line = line;
  if (s->entries_tail)
    s->entries_tail->next = e;
  else
    s->entries = e;
  s->entries_tail = e;
  s->nentries++;
  return e;
}

static void open_for(rl_suppressions *s, const char *rule, entry *from, uint32_t line, const char *why) {
  for (open_block *b = s->open; b; b = b->next) {
    /* already disabled: this one suppresses nothing more (reported unused) */
    if ((b->rule == NULL && rule == NULL) || (b->rule && rule && strcmp(b->rule, rule) == 0)) return;
  }
  open_block *b = rl_arena_alloc(s->arena, sizeof *b);
  b->rule = rule;
  b->from = from;
  b->first = line;
  b->justification = why;
  b->next = s->open;
  s->open = b;
}

static void enable(rl_suppressions *s, const directive *d, uint32_t line) {
  open_block **pp = &s->open;
  while (*pp) {
    open_block *b = *pp;
    int end = 0;
    if (d->nrules == 0) {
      end = 1;
    } else if (b->rule) {
      for (size_t i = 0; i < d->nrules; i++) {
        if (strcmp(b->rule, d->rules[i]) == 0) end = 1;
      }
    }
    if (end) {
      close_block(s, b, line);
      *pp = b->next;
    } else {
      pp = &b->next;
    }
  }
}

/* Parses the text of one comment (opener removed, closer removed) at
 * [p, p+n). Returns D_NONE if it is not a directive. */
static directive parse_directive(const char *p, size_t n, rl_arena *a) {
  static const struct {
    const char *word;
    dkind kind;
  } words[] = {
      /* longest first: "roomlint-disable" is a prefix of the next two */
      {"roomlint-disable-next-line", D_NEXT_LINE},
      {"roomlint-disable-line", D_LINE},
      {"roomlint-disable", D_DISABLE},
      {"roomlint-enable", D_ENABLE},
  };
  directive d = {D_NONE, NULL, NULL, 0, NULL, NULL};
  size_t i = 0;
  while (i < n && (is_blank(p[i]) || p[i] == '*')) i++;
  size_t w;
  for (w = 0; w < RL_ARRAY_LEN(words); w++) {
    size_t wl = strlen(words[w].word);
    if (n - i >= wl && memcmp(p + i, words[w].word, wl) == 0 &&
        (i + wl == n || is_blank(p[i + wl]) || p[i + wl] == ',')) {
      i += wl;
      break;
    }
  }
  if (w == RL_ARRAY_LEN(words)) return d;
  d.kind = words[w].kind;
  d.word = p + i - strlen(words[w].word);

  /* Rule list: tokens separated by commas and/or blanks, up to "--". */
  size_t cap = 0;
  for (size_t j = i; j < n; j++) {
    if (p[j] == ',' || is_blank(p[j])) cap++;
  }
  cap++;
  const char **rules = NULL;
  for (;;) {
    while (i < n && (is_blank(p[i]) || p[i] == ',')) i++;
    if (i >= n) break;
    if (n - i >= 2 && p[i] == '-' && p[i + 1] == '-') {
      size_t s = i + 2, e = n;
      while (s < e && is_blank(p[s])) s++;
      while (e > s && is_blank(p[e - 1])) e--;
      if (e > s) d.justification = rl_arena_strndup(a, p + s, e - s);
      break;
    }
    size_t s = i;
    while (i < n && !is_blank(p[i]) && p[i] != ',') i++;
    if (!rules) {
      rules = rl_arena_calloc(a, cap, sizeof *rules);
      d.rule_at = rl_arena_calloc(a, cap, sizeof *d.rule_at);
    }
    if (d.nrules < cap) {
      d.rule_at[d.nrules] = p + s;
      rules[d.nrules++] = rl_arena_strndup(a, p + s, i - s);
    }
  }
  d.rules = d.nrules ? rules : NULL;
  return d;
}

static const char *directive_name(dkind k) {
  switch (k) {
  case D_LINE: return "roomlint-disable-line";
  case D_NEXT_LINE: return "roomlint-disable-next-line";
  case D_DISABLE: return "roomlint-disable";
  case D_ENABLE: return "roomlint-enable";
  case D_NONE: break;
  }
  return "";
}

/* Handles one comment: text [p, p+n) starting on line `first` and ending on
 * line `last`. Each rule name is an entry (an enable's too, checked for
 * unknown names, never reported unused). */
static void on_comment(rl_suppressions **sp, const char *base, const char *p, size_t n, uint32_t first, uint32_t last,
                       rl_arena *a) {
  if (!has_marker(p, n)) return;
  directive d = parse_directive(p, n, a);
  if (d.kind == D_NONE) return;
  if (!*sp) {
    *sp = rl_arena_calloc(a, 1, sizeof **sp);
    (*sp)->arena = a;
    (*sp)->base = base;
  }
  rl_suppressions *s = *sp;
  const char *word = directive_name(d.kind);
  /* The line each name is written on (a block comment may span lines). */
  size_t count = d.nrules ? d.nrules : 1;
  for (size_t i = 0; i < count; i++) {
    const char *at = d.nrules ? d.rule_at[i] : d.word;
    uint32_t line = first;
    for (const char *q = p; q < at; q++)
      if (*q == '\n') line++;
    entry *e = add_entry(s, word, d.nrules ? d.rules[i] : NULL, at, line);
    const char *rule = d.nrules ? d.rules[i] : NULL;
    switch (d.kind) {
    case D_LINE: add_range(s, first, first, rule, e, d.justification); break;
    case D_NEXT_LINE:
      if (last < RL_LINE_MAX) add_range(s, last + 1, last + 1, rule, e, d.justification);
      break;
    case D_DISABLE: open_for(s, rule, e, first, d.justification); break;
    case D_ENABLE: e->pub.used = 1; break;
    case D_NONE: break;
    }
  }
  if (d.kind == D_ENABLE) enable(s, &d, last);
}

/* ---- JS/TS lexer ---------------------------------------------------------- */

/* The comments of a JS/TS file, read with the prefilter's lexer (the one JS
 * lexer, prefilter.h): it says where strings, templates, regex literals and
 * comments are; this loop only follows template nesting and counts lines. */

#define TPL_MAX 64

static uint32_t newlines(const char *b, size_t from, size_t to) {
  uint32_t k = 0;
  for (size_t i = from; i < to; i++)
    if (b[i] == '\n') k++;
  return k;
}

static void lex_js(rl_suppressions **sp, const char *b, size_t len, rl_arena *a) {
  uint32_t line = 1;
  /* Template nesting: brace depth at which each open ${ resumes its template. */
  uint32_t tpl_brace[TPL_MAX];
  size_t ntpl = 0;
  uint32_t brace = 0;
  int in_tpl = 0; /* lexing the string part of a template literal */
  size_t i = 0;
  if (len >= 2 && b[0] == '#' && b[1] == '!') { /* hashbang: skip the line */
    while (i < len && b[i] != '\n') i++;
  }
  while (i < len) {
    char c = b[i];
    if (in_tpl) {
      if (c == '\\') {
        if (i + 1 < len && b[i + 1] == '\n') line++;
        i += 2;
      } else if (c == '`') {
        in_tpl = 0;
        i++;
      } else if (c == '$' && i + 1 < len && b[i + 1] == '{') {
        if (ntpl < TPL_MAX) tpl_brace[ntpl++] = brace;
        brace++;
        in_tpl = 0;
        i += 2;
      } else {
        if (c == '\n') line++;
        i++;
      }
      continue;
    }
    if (c == '\n') {
      line++;
      i++;
      continue;
    }
    if (is_blank(c)) {
      i++;
      continue;
    }
    size_t e = rl_pf_comment_end(b, len, i);
    if (e != i && b[i + 1] == '/') {
      on_comment(sp, b, b + i + 2, e - i - 2, line, line, a);
      i = e;
      continue;
    }
    if (e != i) { /* a block comment; unterminated, it runs to the end */
      uint32_t first = line;
      int closed = e - i >= 4 && b[e - 2] == '*' && b[e - 1] == '/';
      size_t text_end = closed ? e - 2 : len;
      line += newlines(b, i, e);
      on_comment(sp, b, b + i + 2, text_end - i - 2, first, line, a);
      i = e;
      continue;
    }
    if (c == '\'' || c == '"') {
      int closed;
      size_t k = rl_pf_string_scan(b, len, i, NULL, &closed);
      line += newlines(b, i, k); /* line continuations */
      i = k;
      continue;
    }
    if (c == '`') {
      in_tpl = 1;
      i++;
      continue;
    }
    if (c == '/' && rl_pf_regex_starts(b, i)) {
      size_t k = rl_pf_regex_end(b, len, i);
      if (k) {
        line += newlines(b, i, k);
        i = k;
        continue;
      }
      i++; /* not a regex after all: an operator */
      continue;
    }
    if (c == '<' && i + 1 < len && b[i + 1] == '/') { /* JSX closing tag `</a>`, never `< /re/` */
      i += 2;
      continue;
    }
    if (c == '{') {
      brace++;
    } else if (c == '}') {
      if (brace > 0) brace--;
      if (ntpl > 0 && tpl_brace[ntpl - 1] == brace) {
        ntpl--;
        in_tpl = 1;
      }
    }
    i++;
  }
}

/* ---- dotenv lexer ------------------------------------------------------- */

static void lex_dotenv(rl_suppressions **sp, const char *b, size_t len, rl_arena *a) {
  uint32_t line = 1;
  size_t i = 0;
  while (i < len) {
    size_t eol = i;
    while (eol < len && b[eol] != '\n') eol++;
    size_t j = i;
    while (j < eol && (b[j] == ' ' || b[j] == '\t')) j++;
    size_t comment = eol; /* start of a '#' comment on this (last) line, or eol */
    if (j < eol && b[j] == '#') {
      comment = j;
    } else {
      const char *eq = memchr(b + j, '=', eol - j);
      if (eq) {
        size_t v = (size_t)(eq - b) + 1;
        while (v < eol && (b[v] == ' ' || b[v] == '\t')) v++;
        size_t after = v; /* where a comment may start */
        if (v < eol && (b[v] == '"' || b[v] == '\'' || b[v] == '`')) {
          char q = b[v];
          size_t k = v + 1;
          while (k < len && b[k] != q) {
            if (q == '"' && b[k] == '\\' && k + 1 < len) k++;
            k++;
          }
          if (k < len) { /* closing quote, possibly on a later line */
            for (size_t m = v; m < k; m++) {
              if (b[m] == '\n') line++;
            }
            eol = k;
            while (eol < len && b[eol] != '\n') eol++;
            after = k + 1;
            const char *h = memchr(b + after, '#', eol - after);
            comment = h ? (size_t)(h - b) : eol;
          } else {
            after = v;
          }
        }
        if (comment == eol) {
          for (size_t k = after; k < eol; k++) {
            if (b[k] == '#' && (k == after || b[k - 1] == ' ' || b[k - 1] == '\t')) {
              comment = k;
              break;
            }
          }
        }
      }
    }
    if (comment < eol) on_comment(sp, b, b + comment + 1, eol - comment - 1, line, line, a);
    i = eol < len ? eol + 1 : len;
    line++;
  }
}

static int by_first_line(const void *a, const void *b) {
  const range *x = *(const range *const *)a, *y = *(const range *const *)b;
  return (x->first > y->first) - (x->first < y->first);
}

rl_suppressions *rl_suppress_parse(const char *bytes, size_t len, rl_lang lang, rl_arena *arena) {
  if (!bytes || !has_marker(bytes, len)) return NULL;
  rl_suppressions *s = NULL;
  if (lang == RL_LANG_DOTENV)
    lex_dotenv(&s, bytes, len, arena);
  else
    lex_js(&s, bytes, len, arena);
  if (!s) return NULL;
  /* Blocks never closed run to the end of the file. */
  for (open_block *b = s->open; b; b = b->next) close_block(s, b, RL_LINE_MAX);
  s->open = NULL;
  size_t nl = 0, nb = 0;
  for (const range *r = s->head; r; r = r->next) {
    if (r->first == r->last)
      nl++;
    else
      nb++;
  }
  s->lines = rl_arena_calloc(arena, nl ? nl : 1, sizeof *s->lines);
  s->blocks = rl_arena_calloc(arena, nb ? nb : 1, sizeof *s->blocks);
  for (const range *r = s->head; r; r = r->next) {
    if (r->first == r->last)
      s->lines[s->nlines++] = r;
    else
      s->blocks[s->nblocks++] = r;
  }
  qsort(s->lines, s->nlines, sizeof *s->lines, by_first_line);
  return s;
}

/* Better of two matching ranges: one that carries a justification. Every
 * range that covers the finding counts as used. */
static const range *consider(const range *hit, const range *r, const char *rule_id, uint32_t line) {
  if (line < r->first || line > r->last) return hit;
  if (r->rule && strcmp(r->rule, rule_id) != 0) return hit;
  r->from->pub.used = 1;
  return (!hit || (!hit->justification && r->justification)) ? r : hit;
}

int rl_suppress_match(const rl_suppressions *s, const char *rule_id, uint32_t line, const char **justification) {
  const range *hit = NULL;
  if (s && rule_id) {
    size_t lo = 0, hi = s->nlines; /* first one-line range with first >= line */
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (s->lines[mid]->first < line)
        lo = mid + 1;
      else
        hi = mid;
    }
    for (size_t i = lo; i < s->nlines && s->lines[i]->first == line; i++)
      hit = consider(hit, s->lines[i], rule_id, line);
    for (size_t i = 0; i < s->nblocks; i++) hit = consider(hit, s->blocks[i], rule_id, line);
  }
  if (justification) *justification = hit ? hit->justification : NULL;
  return hit != NULL;
}

const rl_suppress_entry *rl_suppress_entry_next(const rl_suppressions *s, const rl_suppress_entry *prev) {
  if (!s) return NULL;
  if (!prev) return s->entries ? &s->entries->pub : NULL;
  const entry *e = (const entry *)prev; /* pub is the first member */
  return e->next ? &e->next->pub : NULL;
}
