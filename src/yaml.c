#include "yaml.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

/* The reader works on lines (indentation is what block YAML is made of):
 * lines[] holds where each starts and ends (without its line break), and
 * pos, an offset in the text, is the one cursor. */
typedef struct line {
  size_t start, end;
} line;

typedef struct parser {
  const char *s;
  size_t n, pos;
  line *lines;
  size_t nlines;
  rl_arena *a;
  unsigned max_depth;
  rl_yaml_error *err;
  int failed;
} parser;

static size_t line_at(const parser *p, size_t off) {
  size_t lo = 0, hi = p->nlines;
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (p->lines[mid].start <= off)
      lo = mid;
    else
      hi = mid;
  }
  return lo;
}

static void fail_at(parser *p, size_t off, const char *fmt, ...) RL_PRINTF(3, 4);
static void fail_at(parser *p, size_t off, const char *fmt, ...) {
  if (p->failed) return;
  p->failed = 1;
  size_t l = line_at(p, off);
  p->err->line = (uint32_t)l + 1;
  p->err->column = (uint32_t)(off - p->lines[l].start) + 1;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(p->err->message, sizeof p->err->message, fmt, ap);
  va_end(ap);
}

#define SYNTAX "not valid YAML: "
#define UNSUPPORTED "unsupported YAML: "

static rl_yaml_node *new_node(parser *p, rl_yaml_type t, rl_yaml_style st, size_t off) {
  rl_yaml_node *v = rl_arena_alloc(p->a, sizeof *v);
  size_t l = line_at(p, off);
  v->type = t;
  v->style = st;
  v->line = (uint32_t)l + 1;
  v->column = (uint32_t)(off - p->lines[l].start) + 1;
  v->value = "";
  return v;
}

static rl_yaml_node *scalar_node(parser *p, rl_yaml_style st, size_t off, const char *text, size_t len) {
  rl_yaml_node *v = new_node(p, RL_YAML_SCALAR, st, off);
  v->value = rl_arena_strndup(p->a, text, len);
  v->len = len;
  return v;
}

static rl_yaml_node *collection(parser *p, rl_yaml_type t, rl_yaml_style st, size_t off, unsigned depth) {
  if (depth > p->max_depth) {
    fail_at(p, off, "nested deeper than %u levels", p->max_depth);
    p->err->too_deep = 1;
    return NULL;
  }
  return new_node(p, t, st, off);
}

/* Appends (key, value) or, with key NULL, an item. */
static void add(parser *p, rl_yaml_node *c, rl_yaml_node *key, rl_yaml_node *value, size_t *cap) {
  if (c->n == *cap) {
    size_t cap2 = *cap;
    c->items = rl_arena_grow(p->a, c->items, c->n, &cap2, sizeof *c->items);
    if (c->type == RL_YAML_MAPPING) c->keys = rl_arena_grow(p->a, c->keys, c->n, cap, sizeof *c->keys);
    *cap = cap2;
  }
  if (key) c->keys[c->n] = key;
  c->items[c->n++] = value;
}

/* ---- lines ------------------------------------------------------------ */

static int is_blank(char c) { return c == ' ' || c == '\t'; }

static size_t line_end(const parser *p, size_t off) { return p->lines[line_at(p, off)].end; }

static int at_eol(const parser *p, size_t off) { return off >= line_end(p, off); }

/* "---" or "..." at the start of line l, alone or before a blank. */
static int is_marker(const parser *p, size_t l, char c) {
  const line *ln = &p->lines[l];
  if (ln->end - ln->start < 3) return 0;
  const char *t = p->s + ln->start;
  if (t[0] != c || t[1] != c || t[2] != c) return 0;
  return ln->end - ln->start == 3 || is_blank(t[3]);
}

/* 1 if line l holds nothing but blanks and maybe a comment. */
static int is_empty_line(const parser *p, size_t l) {
  size_t i = p->lines[l].start;
  while (i < p->lines[l].end && is_blank(p->s[i])) i++;
  return i == p->lines[l].end || p->s[i] == '#';
}

/* The indentation of a line with content: its leading spaces; -1 for a
 * document marker; -2 (and an error) when a tab is part of it. */
static long indent_of(parser *p, size_t l) {
  if (is_marker(p, l, '-') || is_marker(p, l, '.')) return -1;
  size_t i = p->lines[l].start;
  while (i < p->lines[l].end && p->s[i] == ' ') i++;
  if (i < p->lines[l].end && p->s[i] == '\t') {
    fail_at(p, i, SYNTAX "a tab in the indentation (YAML indents with spaces)");
    return -2;
  }
  return (long)(i - p->lines[l].start);
}

/* The first line at or after l with content, or nlines. */
static size_t next_content(const parser *p, size_t l) {
  while (l < p->nlines && is_empty_line(p, l)) l++;
  return l;
}

/* Moves pos to the start of the line after the one it is on. */
static void next_line(parser *p) {
  size_t l = line_at(p, p->pos);
  p->pos = l + 1 < p->nlines ? p->lines[l + 1].start : p->n;
}

/* After a value: blanks and a comment may end the line, nothing else. */
static int end_of_line(parser *p) {
  size_t e = line_end(p, p->pos), i = p->pos;
  while (i < e && is_blank(p->s[i])) i++;
  if (i < e && !(p->s[i] == '#' && (i == p->lines[line_at(p, i)].start || is_blank(p->s[i - 1])))) {
    fail_at(p, i, SYNTAX "unexpected text after the value");
    return -1;
  }
  next_line(p);
  return 0;
}

/* ---- scalars ------------------------------------------------------------ */

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* At a line break inside a quoted scalar (pos at the end of a line): YAML
 * folds it into a space, or into one newline per empty line that follows;
 * the blanks around the break go. */
static void fold_break(parser *p, rl_buf *b) {
  while (b->len && is_blank(b->ptr[b->len - 1])) b->len--;
  size_t l = line_at(p, p->pos) + 1, empty = 0;
  while (l < p->nlines) {
    size_t i = p->lines[l].start;
    while (i < p->lines[l].end && is_blank(p->s[i])) i++;
    if (i < p->lines[l].end) {
      p->pos = i;
      break;
    }
    empty++;
    l++;
  }
  if (l >= p->nlines) p->pos = p->n;
  if (empty == 0) rl_buf_putc(b, ' ');
  for (size_t k = 0; k < empty; k++) rl_buf_putc(b, '\n');
}

static int read_escape(parser *p, rl_buf *b) {
  size_t at = p->pos;
  char c = p->s[p->pos + 1];
  p->pos += 2;
  int digits = 0;
  switch (c) {
  case '0': rl_buf_putc(b, '\0'); return 0;
  case 'a': rl_buf_putc(b, '\a'); return 0;
  case 'b': rl_buf_putc(b, '\b'); return 0;
  case 't':
  case '\t': rl_buf_putc(b, '\t'); return 0;
  case 'n': rl_buf_putc(b, '\n'); return 0;
  case 'v': rl_buf_putc(b, '\v'); return 0;
  case 'f': rl_buf_putc(b, '\f'); return 0;
  case 'r': rl_buf_putc(b, '\r'); return 0;
  case 'e': rl_buf_putc(b, '\x1b'); return 0;
  case ' ': rl_buf_putc(b, ' '); return 0;
  case '"': rl_buf_putc(b, '"'); return 0;
  case '/': rl_buf_putc(b, '/'); return 0;
  case '\\': rl_buf_putc(b, '\\'); return 0;
  case 'N': rl_buf_puts(b, "\xC2\x85"); return 0;
  case '_': rl_buf_puts(b, "\xC2\xA0"); return 0;
  case 'L': rl_buf_puts(b, "\xE2\x80\xA8"); return 0;
  case 'P': rl_buf_puts(b, "\xE2\x80\xA9"); return 0;
  case 'x': digits = 2; break;
  case 'u': digits = 4; break;
  case 'U': digits = 8; break;
  default:
    fail_at(p, at, SYNTAX "unknown escape '\\%c' in a double-quoted string", (c > 0x20 && c < 0x7F) ? c : '?');
    return -1;
  }
  uint32_t cp = 0;
  for (int k = 0; k < digits; k++) {
    int h = p->pos < p->n ? hexval(p->s[p->pos]) : -1;
    if (h < 0) {
      fail_at(p, at, SYNTAX "'\\%c' needs %d hex digits", c, digits);
      return -1;
    }
    cp = cp * 16 + (uint32_t)h;
    p->pos++;
  }
  if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
    fail_at(p, at, SYNTAX "'\\%c' escape of U+%X, which is no character", c, (unsigned)cp);
    return -1;
  }
  char u[4];
  rl_buf_put(b, u, rl_utf8_put(u, cp));
  return 0;
}

/* A 'single' or "double" quoted scalar at pos; pos moves past its end. */
static rl_yaml_node *read_quoted(parser *p) {
  size_t open = p->pos;
  char q = p->s[open];
  rl_buf b = {0};
  rl_buf_put(&b, "", 0);
  p->pos++;
  for (;;) {
    if (p->pos >= p->n) {
      fail_at(p, open, SYNTAX "a quoted string that does not end");
      rl_buf_free(&b);
      return NULL;
    }
    if (at_eol(p, p->pos)) {
      fold_break(p, &b);
      continue;
    }
    char c = p->s[p->pos];
    if (c == q) {
      if (q == '\'' && p->pos + 1 < p->n && p->s[p->pos + 1] == '\'') {
        rl_buf_putc(&b, '\'');
        p->pos += 2;
        continue;
      }
      p->pos++;
      break;
    }
    if (q == '"' && c == '\\') {
      if (at_eol(p, p->pos + 1)) { /* an escaped line break joins the lines */
        p->pos++;
        size_t keep = b.len;
        fold_break(p, &b);
        b.len = keep;
        continue;
      }
      if (read_escape(p, &b) < 0) {
        rl_buf_free(&b);
        return NULL;
      }
      continue;
    }
    rl_buf_putc(&b, c);
    p->pos++;
  }
  rl_yaml_node *v = scalar_node(p, q == '"' ? RL_YAML_DOUBLE_QUOTED : RL_YAML_SINGLE_QUOTED, open, b.ptr, b.len);
  rl_buf_free(&b);
  return v;
}

/* The end of the plain text that starts at i on its line: before " #",
 * trailing blanks trimmed. -1 (and an error) if it holds ": ". */
static long plain_end(parser *p, size_t i) {
  size_t e = line_end(p, i), k = i;
  for (; k < e; k++) {
    if (p->s[k] == '#' && k > i && is_blank(p->s[k - 1])) break;
    if (p->s[k] == ':' && (k + 1 == e || is_blank(p->s[k + 1]))) {
      fail_at(p, k, SYNTAX "': ' inside a plain value (quote the value)");
      return -1;
    }
  }
  while (k > i && is_blank(p->s[k - 1])) k--;
  return (long)k;
}

/* A plain scalar at pos in a block; lines below, indented more than
 * parent, continue it (joined by a space, or a newline per empty line). */
static rl_yaml_node *read_plain(parser *p, long parent) {
  size_t start = p->pos;
  long e = plain_end(p, start);
  if (e < 0) return NULL;
  rl_buf b = {0};
  rl_buf_put(&b, p->s + start, (size_t)e - start);
  size_t last = line_at(p, start); /* the last line that holds its text */
  int commented = memchr(p->s + e, '#', line_end(p, start) - (size_t)e) != NULL;
  size_t empty = 0;
  for (size_t m = last + 1; !commented && m < p->nlines; m++) {
    size_t i = p->lines[m].start;
    while (i < p->lines[m].end && is_blank(p->s[i])) i++;
    if (i == p->lines[m].end) { /* an empty line: a newline if the text goes on */
      empty++;
      continue;
    }
    if (p->s[i] == '#' || is_marker(p, m, '-') || is_marker(p, m, '.')) break;
    long ind = indent_of(p, m);
    if (ind == -2) {
      rl_buf_free(&b);
      return NULL;
    }
    if (ind <= parent) break;
    long ce = plain_end(p, i);
    if (ce < 0) {
      rl_buf_free(&b);
      return NULL;
    }
    if (empty == 0) rl_buf_putc(&b, ' ');
    for (; empty; empty--) rl_buf_putc(&b, '\n');
    rl_buf_put(&b, p->s + i, (size_t)ce - i);
    commented = memchr(p->s + ce, '#', p->lines[m].end - (size_t)ce) != NULL;
    last = m;
  }
  rl_yaml_node *v = scalar_node(p, RL_YAML_PLAIN, start, b.ptr ? b.ptr : "", b.len);
  rl_buf_free(&b);
  p->pos = last + 1 < p->nlines ? p->lines[last + 1].start : p->n;
  return v;
}

/* A literal | or folded > block scalar; pos at the indicator. */
static rl_yaml_node *read_block_scalar(parser *p, long parent) {
  size_t at = p->pos;
  int folded = p->s[at] == '>', chomp = 0; /* -1 strip, 0 clip, 1 keep */
  long explicit_indent = 0;
  size_t i = at + 1, e = line_end(p, at);
  for (int k = 0; k < 2 && i < e; k++, i++) {
    if ((p->s[i] == '-' || p->s[i] == '+') && chomp == 0)
      chomp = p->s[i] == '-' ? -1 : 1;
    else if (p->s[i] >= '1' && p->s[i] <= '9' && !explicit_indent)
      explicit_indent = p->s[i] - '0';
    else
      break;
  }
  p->pos = i;
  if (end_of_line(p) < 0) return NULL;
  long ind = explicit_indent ? (parent < 0 ? 0 : parent) + explicit_indent : -1;
  rl_buf b = {0};
  rl_buf_put(&b, "", 0);
  size_t l = line_at(p, at) + 1, pending = 0;
  int prev_normal = -1; /* -1: no text line yet */
  for (; l < p->nlines; l++) {
    const line *ln = &p->lines[l];
    if (is_marker(p, l, '-') || is_marker(p, l, '.')) break;
    size_t sp = 0;
    while (ln->start + sp < ln->end && p->s[ln->start + sp] == ' ') sp++;
    int empty = ln->start + sp == ln->end;
    if (ind < 0 && !empty) {
      if ((long)sp <= parent) break;
      ind = (long)sp;
    }
    if (empty && (ind < 0 || (long)sp <= ind)) {
      pending++;
      continue;
    }
    if ((long)sp < ind) break;
    const char *text = p->s + ln->start + ind;
    size_t tl = ln->end - ln->start - (size_t)ind;
    int normal = !(text[0] == ' ' || text[0] == '\t');
    /* the break before this line: folded between two plain lines, a space
     * (or a newline per empty line between them); else kept */
    size_t breaks = pending + (prev_normal >= 0);
    if (folded && prev_normal == 1 && normal && breaks == 1)
      rl_buf_putc(&b, ' ');
    else
      for (size_t k = breaks - (folded && prev_normal == 1 && normal); k > 0; k--) rl_buf_putc(&b, '\n');
    pending = 0;
    rl_buf_put(&b, text, tl);
    prev_normal = normal;
  }
  /* the final line break and the empty lines after the text: chomping */
  if (prev_normal >= 0 && chomp >= 0) rl_buf_putc(&b, '\n');
  if (chomp == 1)
    for (size_t k = 0; k < pending; k++) rl_buf_putc(&b, '\n');
  rl_yaml_node *v = scalar_node(p, folded ? RL_YAML_FOLDED : RL_YAML_LITERAL, at, b.ptr, b.len);
  rl_buf_free(&b);
  p->pos = l < p->nlines ? p->lines[l].start : p->n;
  return v;
}

/* What may not start a value, with the reason; NULL if c may. */
static const char *bad_start(const parser *p, size_t i) {
  char c = p->s[i];
  int sep = i + 1 >= p->n || at_eol(p, i + 1) || is_blank(p->s[i + 1]);
  switch (c) {
  case '&': return UNSUPPORTED "anchors (&name) are not supported";
  case '*': return UNSUPPORTED "aliases (*name) are not supported";
  case '!': return UNSUPPORTED "tags (!tag) are not supported";
  case '%': return UNSUPPORTED "directives (%) are not supported";
  case '@':
  case '`': return SYNTAX "'@' and '`' cannot start a plain value (quote the value)";
  case ',':
  case ']':
  case '}': return SYNTAX "unexpected bracket or comma (quote the value)";
  case '?': return sep ? UNSUPPORTED "complex keys (? key) are not supported" : NULL;
  case ':': return sep ? SYNTAX "a ':' with no key before it" : NULL;
  case '-': return sep ? SYNTAX "a sequence entry ('- ') cannot start here" : NULL;
  default: return NULL;
  }
}

/* ---- flow collections ------------------------------------------------- */

/* Skips blanks, line breaks and comments inside [..] and {..}. */
static void flow_space(parser *p) {
  while (p->pos < p->n) {
    if (at_eol(p, p->pos)) {
      next_line(p);
    } else if (is_blank(p->s[p->pos])) {
      p->pos++;
    } else if (p->s[p->pos] == '#' && (p->pos == 0 || is_blank(p->s[p->pos - 1]) || at_eol(p, p->pos - 1))) {
      p->pos = line_end(p, p->pos);
    } else {
      break;
    }
  }
}

static int flow_indicator(char c) { return c == ',' || c == '[' || c == ']' || c == '{' || c == '}'; }

static rl_yaml_node *read_flow(parser *p, unsigned depth);

static rl_yaml_node *flow_node(parser *p, unsigned depth) {
  flow_space(p);
  if (p->pos >= p->n) {
    fail_at(p, p->n ? p->n - 1 : 0, SYNTAX "the text ends inside [..] or {..}");
    return NULL;
  }
  char c = p->s[p->pos];
  if (c == '[' || c == '{') return read_flow(p, depth + 1);
  if (c == '"' || c == '\'') return read_quoted(p);
  const char *why = bad_start(p, p->pos);
  if (why || c == '|' || c == '>') {
    fail_at(p, p->pos, "%s", why ? why : SYNTAX "a block scalar (| or >) inside [..] or {..}");
    return NULL;
  }
  /* plain: up to a flow indicator, ": ", " #" or the line's end */
  size_t start = p->pos, e = line_end(p, start), k = start;
  for (; k < e; k++) {
    char d = p->s[k];
    if (flow_indicator(d)) break;
    if (d == ':' && (k + 1 == e || is_blank(p->s[k + 1]) || flow_indicator(p->s[k + 1]))) break;
    if (d == '#' && k > start && is_blank(p->s[k - 1])) break;
  }
  p->pos = k;
  while (k > start && is_blank(p->s[k - 1])) k--;
  return scalar_node(p, RL_YAML_PLAIN, start, p->s + start, k - start);
}

static rl_yaml_node *read_flow(parser *p, unsigned depth) {
  size_t open = p->pos;
  int map = p->s[open] == '{';
  char close = map ? '}' : ']';
  rl_yaml_node *c = collection(p, map ? RL_YAML_MAPPING : RL_YAML_SEQUENCE, RL_YAML_FLOW, open, depth);
  if (!c) return NULL;
  size_t cap = 0;
  p->pos++;
  for (;;) {
    flow_space(p);
    if (p->pos >= p->n) {
      fail_at(p, open, SYNTAX "a '%c' that is never closed", p->s[open]);
      return NULL;
    }
    if (p->s[p->pos] == close) {
      p->pos++;
      return c;
    }
    if (map && p->s[p->pos] == '?' && (p->pos + 1 >= p->n || is_blank(p->s[p->pos + 1]))) {
      fail_at(p, p->pos, UNSUPPORTED "complex keys (? key) are not supported");
      return NULL;
    }
    size_t item_at = p->pos;
    rl_yaml_node *v = flow_node(p, depth);
    if (!v) return NULL;
    flow_space(p);
    int colon = p->pos < p->n && p->s[p->pos] == ':';
    if (map) {
      if (v->type != RL_YAML_SCALAR) {
        fail_at(p, item_at, UNSUPPORTED "a collection as a key is not supported");
        return NULL;
      }
      rl_yaml_node *val;
      if (colon) {
        p->pos++;
        flow_space(p);
        if (p->pos < p->n && (p->s[p->pos] == ',' || p->s[p->pos] == close))
          val = scalar_node(p, RL_YAML_PLAIN, p->pos, "", 0);
        else if (!(val = flow_node(p, depth)))
          return NULL;
      } else {
        val = scalar_node(p, RL_YAML_PLAIN, p->pos < p->n ? p->pos : item_at, "", 0);
      }
      add(p, c, v, val, &cap);
    } else {
      if (colon) {
        fail_at(p, p->pos, UNSUPPORTED "a key: value pair inside [..] is not supported (use {..})");
        return NULL;
      }
      add(p, c, NULL, v, &cap);
    }
    flow_space(p);
    if (p->pos < p->n && p->s[p->pos] == ',') {
      p->pos++;
      continue;
    }
    if (p->pos < p->n && p->s[p->pos] == close) continue;
    if (p->pos >= p->n)
      fail_at(p, open, SYNTAX "a '%c' that is never closed", p->s[open]);
    else
      fail_at(p, p->pos, SYNTAX "expected ',' or '%c'", close);
    return NULL;
  }
}

/* ---- block collections ------------------------------------------------ */

static rl_yaml_node *block_at(parser *p, long col, long parent, unsigned depth);

/* A value after "key:" or "- " on the same line (pos at its first
 * character); pos ends at the start of the next line. */
static rl_yaml_node *inline_value(parser *p, long parent, unsigned depth) {
  char c = p->s[p->pos];
  rl_yaml_node *v;
  if (c == '|' || c == '>') return read_block_scalar(p, parent);
  if (c == '[' || c == '{')
    v = read_flow(p, depth + 1);
  else if (c == '"' || c == '\'')
    v = read_quoted(p);
  else {
    const char *why = bad_start(p, p->pos);
    if (why) {
      fail_at(p, p->pos, "%s", why);
      return NULL;
    }
    return read_plain(p, parent);
  }
  if (!v || end_of_line(p) < 0) return NULL;
  return v;
}

/* 1 if a mapping key ("key:" then a blank or the line's end) starts at i. */
static int is_key(parser *p, size_t i) {
  size_t e = line_end(p, i), k = i;
  char c = p->s[i];
  if (c == '"' || c == '\'') {
    for (k = i + 1; k < e; k++) {
      if (p->s[k] == c) {
        if (c == '\'' && k + 1 < e && p->s[k + 1] == '\'') {
          k++;
          continue;
        }
        break;
      }
      if (c == '"' && p->s[k] == '\\') k++;
    }
    if (k >= e) return 0;
    for (k++; k < e && is_blank(p->s[k]); k++) {
    }
    return k < e && p->s[k] == ':' && (k + 1 == e || is_blank(p->s[k + 1]));
  }
  if (c == '[' || c == '{' || c == '#') return 0;
  for (; k < e; k++) {
    if (p->s[k] == '#' && k > i && is_blank(p->s[k - 1])) return 0;
    if (p->s[k] == ':' && (k + 1 == e || is_blank(p->s[k + 1]))) return 1;
  }
  return 0;
}

/* The value after "key:" of a mapping at column col. */
static rl_yaml_node *mapping_value(parser *p, long col, unsigned depth, size_t key_at) {
  size_t e = line_end(p, p->pos);
  while (p->pos < e && is_blank(p->s[p->pos])) p->pos++;
  if (p->pos < e && p->s[p->pos] != '#') return inline_value(p, col, depth);
  next_line(p);
  size_t l = p->pos < p->n ? next_content(p, line_at(p, p->pos)) : p->nlines;
  if (l < p->nlines) {
    long ind = indent_of(p, l);
    if (ind == -2) return NULL;
    size_t at = p->lines[l].start + (size_t)(ind < 0 ? 0 : ind);
    if (ind > col) {
      p->pos = at;
      return block_at(p, ind, col, depth);
    }
    /* a sequence may sit at the key's own indentation */
    if (ind == col && p->s[at] == '-' && (at + 1 == p->lines[l].end || is_blank(p->s[at + 1]))) {
      p->pos = at;
      return block_at(p, ind, col - 1, depth);
    }
  }
  return scalar_node(p, RL_YAML_PLAIN, key_at, "", 0);
}

static rl_yaml_node *read_key(parser *p) {
  size_t at = p->pos;
  rl_yaml_node *k;
  if (p->s[at] == '"' || p->s[at] == '\'') {
    k = read_quoted(p);
    if (!k) return NULL;
  } else {
    const char *why = bad_start(p, at);
    if (why) {
      fail_at(p, at, "%s", why);
      return NULL;
    }
    size_t e = at;
    while (!(p->s[e] == ':' && (e + 1 == line_end(p, e) || is_blank(p->s[e + 1])))) e++;
    p->pos = e;
    while (e > at && is_blank(p->s[e - 1])) e--;
    k = scalar_node(p, RL_YAML_PLAIN, at, p->s + at, e - at);
  }
  while (is_blank(p->s[p->pos])) p->pos++;
  p->pos++; /* the ':' that is_key saw */
  return k;
}

static rl_yaml_node *block_mapping(parser *p, long col, unsigned depth) {
  rl_yaml_node *m = collection(p, RL_YAML_MAPPING, RL_YAML_BLOCK, p->pos, depth);
  if (!m) return NULL;
  size_t cap = 0;
  for (;;) {
    size_t key_at = p->pos;
    rl_yaml_node *k = read_key(p);
    if (!k) return NULL;
    rl_yaml_node *v = mapping_value(p, col, depth, key_at);
    if (!v) return NULL;
    add(p, m, k, v, &cap);
    if (p->pos >= p->n) return m;
    size_t l = next_content(p, line_at(p, p->pos));
    if (l >= p->nlines) return m;
    long ind = indent_of(p, l);
    if (ind == -2) return NULL;
    if (ind < col) return m;
    size_t at = p->lines[l].start + (size_t)ind;
    if (ind > col) {
      fail_at(p, at, SYNTAX "this line is indented more than the keys before it");
      return NULL;
    }
    if (!is_key(p, at)) {
      /* a sequence at a key's indentation ends its mapping in the parent */
      if (p->s[at] == '-' && (at + 1 == p->lines[l].end || is_blank(p->s[at + 1]))) return m;
      const char *why = bad_start(p, at);
      fail_at(p, at, "%s", why ? why : SYNTAX "expected 'key: value' here");
      return NULL;
    }
    p->pos = at;
  }
}

static rl_yaml_node *block_sequence(parser *p, long col, unsigned depth) {
  rl_yaml_node *q = collection(p, RL_YAML_SEQUENCE, RL_YAML_BLOCK, p->pos, depth);
  if (!q) return NULL;
  size_t cap = 0;
  for (;;) {
    size_t dash = p->pos;
    p->pos++;
    size_t e = line_end(p, p->pos);
    while (p->pos < e && is_blank(p->s[p->pos])) p->pos++;
    rl_yaml_node *item = NULL;
    if (p->pos < e && p->s[p->pos] != '#') {
      long c2 = (long)(p->pos - p->lines[line_at(p, p->pos)].start);
      item = block_at(p, c2, col, depth);
    } else {
      next_line(p);
      size_t l = p->pos < p->n ? next_content(p, line_at(p, p->pos)) : p->nlines;
      long ind = l < p->nlines ? indent_of(p, l) : -1;
      if (ind == -2) return NULL;
      if (ind > col) {
        p->pos = p->lines[l].start + (size_t)ind;
        item = block_at(p, ind, col, depth);
      } else {
        item = scalar_node(p, RL_YAML_PLAIN, dash, "", 0);
      }
    }
    if (!item) return NULL;
    add(p, q, NULL, item, &cap);
    if (p->pos >= p->n) return q;
    size_t l = next_content(p, line_at(p, p->pos));
    if (l >= p->nlines) return q;
    long ind = indent_of(p, l);
    if (ind == -2) return NULL;
    if (ind < col) return q;
    size_t at = p->lines[l].start + (size_t)ind;
    if (ind > col) {
      fail_at(p, at, SYNTAX "this line is indented more than the '- ' entries before it");
      return NULL;
    }
    if (!(p->s[at] == '-' && (at + 1 == p->lines[l].end || is_blank(p->s[at + 1])))) return q;
    p->pos = at;
  }
}

/* The node whose first character is at pos, column col, inside a block
 * collection indented at parent. */
static rl_yaml_node *block_at(parser *p, long col, long parent, unsigned depth) {
  size_t i = p->pos;
  char c = p->s[i];
  int sep = i + 1 >= p->n || at_eol(p, i + 1) || is_blank(p->s[i + 1]);
  if (c == '-' && sep) return block_sequence(p, col, depth + 1);
  if (c == '?' && sep) {
    fail_at(p, i, UNSUPPORTED "complex keys (? key) are not supported");
    return NULL;
  }
  if (is_key(p, i)) return block_mapping(p, col, depth + 1);
  return inline_value(p, parent, depth);
}

/* ---- the document ------------------------------------------------------- */

/* Refuses bytes YAML does not allow (controls other than tab and line
 * breaks, invalid UTF-8), with their line and column. */
static int check_bytes(const char *s, size_t n, size_t from, rl_yaml_error *err) {
  uint32_t ln = 1, col = 1;
  for (size_t i = from; i < n;) {
    unsigned char c = (unsigned char)s[i];
    int valid = 1;
    size_t step = c >= 0x80 ? rl_utf8_step(s + i, n - i, &valid) : 1;
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F || !valid) {
      err->line = ln;
      err->column = col;
      if (valid)
        snprintf(err->message, sizeof err->message, SYNTAX "control character 0x%02X is not allowed", (unsigned)c);
      else
        snprintf(err->message, sizeof err->message, SYNTAX "invalid UTF-8");
      return RL_EINVALID;
    }
    if (c == '\n' || (c == '\r' && !(i + 1 < n && s[i + 1] == '\n'))) {
      ln++;
      col = 1;
    } else if (c != '\r') {
      col++;
    }
    i += step;
  }
  return 0;
}

/* Splits the text from pos into lines at LF, CRLF or CR. */
static void split_lines(parser *p) {
  size_t cap = 0, start = p->pos;
  for (size_t i = p->pos;; i++) {
    if (i == p->n || p->s[i] == '\n' || p->s[i] == '\r') {
      p->lines = rl_arena_grow(p->a, p->lines, p->nlines, &cap, sizeof *p->lines);
      p->lines[p->nlines++] = (line){start, i};
      if (i == p->n) return;
      if (p->s[i] == '\r' && i + 1 < p->n && p->s[i + 1] == '\n') i++;
      start = i + 1;
    }
  }
}

int rl_yaml_parse(rl_yaml_node **out, rl_arena *a, const char *text, size_t len, unsigned max_depth,
                  rl_yaml_error *err) {
  parser p = {.s = text, .n = len, .a = a, .max_depth = max_depth, .err = err};
  memset(err, 0, sizeof *err);
  *out = NULL;
  if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) p.pos = 3;
  if (len > INT32_MAX) {
    snprintf(err->message, sizeof err->message, "too large");
    err->line = err->column = 1;
    return RL_EINVALID;
  }
  if (check_bytes(text, len, p.pos, err) < 0) return RL_EINVALID;
  split_lines(&p);
  /* before the content: comments, one "---", no directives */
  size_t l = 0;
  int started = 0;
  for (; l < p.nlines; l++) {
    if (is_empty_line(&p, l)) continue;
    if (p.s[p.lines[l].start] == '%' && !started) {
      fail_at(&p, p.lines[l].start, UNSUPPORTED "directives (%%YAML, %%TAG) are not supported");
      return RL_EINVALID;
    }
    if (is_marker(&p, l, '-') && !started) {
      started = 1;
      p.pos = p.lines[l].start + 3;
      if (end_of_line(&p) < 0) {
        p.failed = 0;
        fail_at(&p, p.lines[l].start + 4, UNSUPPORTED "content on the '---' line is not supported");
        return RL_EINVALID;
      }
      continue;
    }
    break;
  }
  rl_yaml_node *root = NULL;
  if (l < p.nlines && !is_marker(&p, l, '.') && !is_marker(&p, l, '-')) {
    long ind = indent_of(&p, l);
    if (ind >= 0) {
      p.pos = p.lines[l].start + (size_t)ind;
      root = block_at(&p, ind, -1, 0);
    }
    if (!root) {
      if (!p.failed) fail_at(&p, p.pos, SYNTAX "cannot read this");
      return RL_EINVALID;
    }
    l = p.pos < p.n ? next_content(&p, line_at(&p, p.pos)) : p.nlines;
  }
  /* after it: a "..." and comments, nothing else */
  if (l < p.nlines && is_marker(&p, l, '.')) {
    p.pos = p.lines[l].start + 3;
    if (end_of_line(&p) < 0) return RL_EINVALID;
    l = p.pos < p.n ? next_content(&p, line_at(&p, p.pos)) : p.nlines;
  }
  if (l < p.nlines) {
    if (is_marker(&p, l, '-'))
      fail_at(&p, p.lines[l].start, UNSUPPORTED "several documents in one file are not supported");
    else
      fail_at(&p, p.lines[l].start, SYNTAX "unexpected text after the document");
    return RL_EINVALID;
  }
  *out = root;
  return 0;
}
