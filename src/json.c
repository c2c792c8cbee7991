#include "json.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct member {
  const char *key; /* NULL: dropped (a repeated key whose last value won) */
  size_t klen;
  uint32_t kstart;
  const rl_json *v;
} member;

struct rl_json {
  rl_json_type type;
  int is_int;
  uint32_t start, end;
  union {
    struct {
      double d;
      int64_t i;
    } num;
    struct {
      const char *p;
      size_t n;
    } str;
    struct {
      const rl_json **items;
      size_t n, cap;
    } arr;
    struct {
      member *m;
      size_t n, cap;
      member **sorted; /* by key, for lookups; NULL in built objects */
    } obj;
  } u;
};

/* ---- reading ---------------------------------------------------------- */

typedef struct parser {
  const char *s;
  size_t n, i;
  rl_arena *a;
  unsigned flags;
  int failed;
  size_t err_at;
  char msg[96];
} parser;

static void fail_at(parser *p, size_t at, const char *fmt, ...) RL_PRINTF(3, 4);
static void fail_at(parser *p, size_t at, const char *fmt, ...) {
  if (p->failed) return;
  p->failed = 1;
  p->err_at = at;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(p->msg, sizeof p->msg, fmt, ap);
  va_end(ap);
}

/* Skips blanks, and in JSONC comments; 0, or -1 at an unclosed comment. */
static int skip_ws(parser *p) {
  while (p->i < p->n) {
    char c = p->s[p->i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      p->i++;
    } else if (c == '/' && (p->flags & RL_JSON_JSONC) && p->i + 1 < p->n && p->s[p->i + 1] == '/') {
      while (p->i < p->n && p->s[p->i] != '\n') p->i++;
    } else if (c == '/' && (p->flags & RL_JSON_JSONC) && p->i + 1 < p->n && p->s[p->i + 1] == '*') {
      size_t open = p->i;
      const char *close = NULL;
      if (p->n - p->i >= 4) close = memmem(p->s + p->i + 2, p->n - p->i - 2, "*/", 2);
      if (!close) {
        fail_at(p, open, "unterminated comment");
        return -1;
      }
      p->i = (size_t)(close - p->s) + 2;
    } else {
      break;
    }
  }
  return 0;
}

static rl_json *node(parser *p, rl_json_type t, size_t start) {
  rl_json *v = rl_arena_alloc(p->a, sizeof *v);
  v->type = t;
  v->start = (uint32_t)start;
  return v;
}

static int hex4(const char *s, uint32_t *out) {
  uint32_t v = 0;
  for (int k = 0; k < 4; k++) {
    char c = s[k];
    v <<= 4;
    if (c >= '0' && c <= '9')
      v |= (uint32_t)(c - '0');
    else if (c >= 'a' && c <= 'f')
      v |= (uint32_t)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      v |= (uint32_t)(c - 'A' + 10);
    else
      return -1;
  }
  *out = v;
  return 0;
}

/* The string whose opening quote is at p->i: decoded into the arena, *len
 * its length; p->i moves past the closing quote. NULL on error. */
static const char *read_string(parser *p, size_t *len) {
  const char *s = p->s;
  size_t open = p->i, i = p->i + 1, n = p->n;
  int escapes = 0;
  /* First pass: find the end and check the bytes; decoding never makes
   * the text longer, so the raw length bounds the buffer. */
  for (;;) {
    if (i >= n) {
      fail_at(p, open, "unterminated string");
      return NULL;
    }
    unsigned char c = (unsigned char)s[i];
    if (c == '"') break;
    if (c == '\\') {
      escapes = 1;
      i += 2;
      continue;
    }
    if (c < 0x20) {
      fail_at(p, i, "control character in a string (write it as an escape)");
      return NULL;
    }
    if (c >= 0x80) {
      int valid;
      size_t step = rl_utf8_step(s + i, n - i, &valid);
      if (!valid) {
        fail_at(p, i, "invalid UTF-8 in a string");
        return NULL;
      }
      i += step;
      continue;
    }
    i++;
  }
  size_t close = i;
  if (!escapes) {
    p->i = close + 1;
    *len = close - open - 1;
    return rl_arena_strndup(p->a, s + open + 1, *len);
  }
  char *o = rl_arena_alloc(p->a, close - open);
  size_t w = 0;
  for (i = open + 1; i < close;) {
    if (s[i] != '\\') {
      o[w++] = s[i++];
      continue;
    }
    char e = s[i + 1];
    size_t at = i;
    i += 2;
    switch (e) {
    case '"': o[w++] = '"'; break;
    case '\\': o[w++] = '\\'; break;
    case '/': o[w++] = '/'; break;
    case 'b': o[w++] = '\b'; break;
    case 'f': o[w++] = '\f'; break;
    case 'n': o[w++] = '\n'; break;
    case 'r': o[w++] = '\r'; break;
    case 't': o[w++] = '\t'; break;
    case 'u': {
      uint32_t cp, lo;
      if (close - i < 4 || hex4(s + i, &cp) < 0) {
        fail_at(p, at, "\\u needs four hex digits");
        return NULL;
      }
      i += 4;
      if (cp >= 0xDC00 && cp <= 0xDFFF) {
        fail_at(p, at, "lone low surrogate \\u%04X", (unsigned)cp);
        return NULL;
      }
      if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (close - i < 6 || s[i] != '\\' || s[i + 1] != 'u' || hex4(s + i + 2, &lo) < 0 || lo < 0xDC00 ||
            lo > 0xDFFF) {
          fail_at(p, at, "high surrogate \\u%04X without its low half", (unsigned)cp);
          return NULL;
        }
        i += 6;
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
      }
      w += rl_utf8_put(o + w, cp);
      break;
    }
    default: fail_at(p, at, "unknown escape \\%c", (e >= 0x20 && e < 0x7F) ? e : '?'); return NULL;
    }
  }
  o[w] = '\0';
  p->i = close + 1;
  *len = w;
  return o;
}

static rl_json *read_number(parser *p) {
  const char *s = p->s;
  size_t start = p->i, i = p->i, n = p->n;
  int integer = 1;
  if (i < n && s[i] == '-') i++;
  if (i < n && s[i] == '0') {
    i++;
  } else if (i < n && s[i] >= '1' && s[i] <= '9') {
    while (i < n && s[i] >= '0' && s[i] <= '9') i++;
  } else {
    fail_at(p, start, "invalid number");
    return NULL;
  }
  if (i < n && s[i] == '.') {
    integer = 0;
    i++;
    if (i >= n || s[i] < '0' || s[i] > '9') {
      fail_at(p, i, "a digit must follow the decimal point");
      return NULL;
    }
    while (i < n && s[i] >= '0' && s[i] <= '9') i++;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    integer = 0;
    i++;
    if (i < n && (s[i] == '+' || s[i] == '-')) i++;
    if (i >= n || s[i] < '0' || s[i] > '9') {
      fail_at(p, i, "a digit must follow the exponent");
      return NULL;
    }
    while (i < n && s[i] >= '0' && s[i] <= '9') i++;
  }
  rl_json *v = node(p, RL_JSON_NUMBER, start);
  /* strtod wants a terminated string; the text need not be. */
  char small[64];
  size_t len = i - start;
  char *copy = len < sizeof small ? small : rl_arena_alloc(p->a, len + 1);
  memcpy(copy, s + start, len);
  copy[len] = '\0';
  v->u.num.d = strtod(copy, NULL);
  if (integer) {
    int neg = s[start] == '-';
    uint64_t acc = 0, limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    int fits = 1;
    for (size_t k = start + (size_t)neg; k < i; k++) {
      uint64_t dgt = (uint64_t)(s[k] - '0');
      if (acc > (limit - dgt) / 10) {
        fits = 0;
        break;
      }
      acc = acc * 10 + dgt;
    }
    if (fits) {
      v->is_int = 1;
      v->u.num.i = neg ? (acc == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)acc) : (int64_t)acc;
    }
  }
  p->i = i;
  v->end = (uint32_t)i;
  return v;
}

static int member_cmp(const void *x, const void *y) {
  const member *a = *(member *const *)x, *b = *(member *const *)y;
  size_t n = a->klen < b->klen ? a->klen : b->klen;
  int c = memcmp(a->key, b->key, n);
  if (c) return c;
  if (a->klen != b->klen) return a->klen < b->klen ? -1 : 1;
  return a < b ? -1 : a > b; /* the order written */
}

static void sort_members(parser *p, rl_json *o) {
  o->u.obj.sorted = rl_arena_calloc(p->a, o->u.obj.n, sizeof(member *));
  for (size_t k = 0; k < o->u.obj.n; k++) o->u.obj.sorted[k] = &o->u.obj.m[k];
  qsort(o->u.obj.sorted, o->u.obj.n, sizeof(member *), member_cmp);
}

static int same_key(const member *a, const member *b) {
  return a->klen == b->klen && memcmp(a->key, b->key, a->klen) == 0;
}

/* Sorts an object's members for lookups and applies the duplicate-key
 * policy: an error at the second key, or the last value in the first
 * key's place. */
static int finish_object(parser *p, rl_json *o) {
  if (o->u.obj.n < 2) return 0;
  sort_members(p, o);
  member **s = o->u.obj.sorted;
  size_t n = o->u.obj.n;
  int dropped = 0;
  for (size_t k = 0; k < n;) {
    size_t e = k + 1;
    while (e < n && same_key(s[k], s[e])) e++;
    if (e - k > 1) {
      if (!(p->flags & RL_JSON_DUPS_LAST)) {
        size_t klen = s[k + 1]->klen > 40 ? 40 : s[k + 1]->klen;
        fail_at(p, s[k + 1]->kstart, "duplicate key \"%.*s\"", (int)klen, s[k + 1]->key);
        return -1;
      }
      s[k]->v = s[e - 1]->v; /* the first key's place, the last value */
      for (size_t j = k + 1; j < e; j++) s[j]->key = NULL;
      dropped = 1;
    }
    k = e;
  }
  if (!dropped) return 0;
  size_t w = 0;
  for (size_t k = 0; k < o->u.obj.n; k++)
    if (o->u.obj.m[k].key) o->u.obj.m[w++] = o->u.obj.m[k];
  o->u.obj.n = w;
  sort_members(p, o);
  return 0;
}

static rl_json *read_value(parser *p, unsigned depth);

static rl_json *read_array(parser *p, unsigned depth) {
  rl_json *v = node(p, RL_JSON_ARRAY, p->i);
  p->i++;
  if (skip_ws(p) < 0) return NULL;
  if (p->i < p->n && p->s[p->i] == ']') {
    p->i++;
    v->end = (uint32_t)p->i;
    return v;
  }
  for (;;) {
    rl_json *e = read_value(p, depth + 1);
    if (!e) return NULL;
    v->u.arr.items = rl_arena_grow(p->a, v->u.arr.items, v->u.arr.n, &v->u.arr.cap, sizeof(rl_json *));
    v->u.arr.items[v->u.arr.n++] = e;
    if (skip_ws(p) < 0) return NULL;
    if (p->i < p->n && p->s[p->i] == ',') {
      p->i++;
      if (skip_ws(p) < 0) return NULL;
      if ((p->flags & RL_JSON_JSONC) && p->i < p->n && p->s[p->i] == ']') {
        p->i++;
        break;
      }
      continue;
    }
    if (p->i < p->n && p->s[p->i] == ']') {
      p->i++;
      break;
    }
    fail_at(p, p->i, p->i < p->n ? "expected ',' or ']'" : "unexpected end of text in an array");
    return NULL;
  }
  v->end = (uint32_t)p->i;
  return v;
}

static rl_json *read_object(parser *p, unsigned depth) {
  rl_json *v = node(p, RL_JSON_OBJECT, p->i);
  p->i++;
  if (skip_ws(p) < 0) return NULL;
  if (p->i < p->n && p->s[p->i] == '}') {
    p->i++;
    v->end = (uint32_t)p->i;
    return v;
  }
  for (;;) {
    if (p->i >= p->n || p->s[p->i] != '"') {
      fail_at(p, p->i, p->i < p->n ? "expected a string key" : "unexpected end of text in an object");
      return NULL;
    }
    member m = {.kstart = (uint32_t)p->i};
    m.key = read_string(p, &m.klen);
    if (!m.key || skip_ws(p) < 0) return NULL;
    if (p->i >= p->n || p->s[p->i] != ':') {
      fail_at(p, p->i, "expected ':' after the key");
      return NULL;
    }
    p->i++;
    m.v = read_value(p, depth + 1);
    if (!m.v) return NULL;
    v->u.obj.m = rl_arena_grow(p->a, v->u.obj.m, v->u.obj.n, &v->u.obj.cap, sizeof(member));
    v->u.obj.m[v->u.obj.n++] = m;
    if (skip_ws(p) < 0) return NULL;
    if (p->i < p->n && p->s[p->i] == ',') {
      p->i++;
      if (skip_ws(p) < 0) return NULL;
      if ((p->flags & RL_JSON_JSONC) && p->i < p->n && p->s[p->i] == '}') {
        p->i++;
        break;
      }
      continue;
    }
    if (p->i < p->n && p->s[p->i] == '}') {
      p->i++;
      break;
    }
    fail_at(p, p->i, p->i < p->n ? "expected ',' or '}'" : "unexpected end of text in an object");
    return NULL;
  }
  v->end = (uint32_t)p->i;
  if (finish_object(p, v) < 0) return NULL;
  return v;
}

static rl_json *read_literal(parser *p, const char *word, rl_json_type t) {
  size_t len = strlen(word);
  if (p->n - p->i < len || memcmp(p->s + p->i, word, len) != 0) {
    fail_at(p, p->i, "unexpected character");
    return NULL;
  }
  rl_json *v = node(p, t, p->i);
  p->i += len;
  v->end = (uint32_t)p->i;
  return v;
}

static rl_json *read_value(parser *p, unsigned depth) {
  if (skip_ws(p) < 0) return NULL;
  if (p->i >= p->n) {
    fail_at(p, p->i, "unexpected end of text");
    return NULL;
  }
  char c = p->s[p->i];
  if ((c == '[' || c == '{') && depth >= RL_JSON_MAX_DEPTH) {
    fail_at(p, p->i, "nested deeper than %d levels", RL_JSON_MAX_DEPTH);
    return NULL;
  }
  switch (c) {
  case '{': return read_object(p, depth);
  case '[': return read_array(p, depth);
  case '"': {
    rl_json *v = node(p, RL_JSON_STRING, p->i);
    v->u.str.p = read_string(p, &v->u.str.n);
    if (!v->u.str.p) return NULL;
    v->end = (uint32_t)p->i;
    return v;
  }
  case 't': return read_literal(p, "true", RL_JSON_TRUE);
  case 'f': return read_literal(p, "false", RL_JSON_FALSE);
  case 'n': return read_literal(p, "null", RL_JSON_NULL);
  default:
    if (c == '-' || (c >= '0' && c <= '9')) return read_number(p);
    fail_at(p, p->i, "unexpected character");
    return NULL;
  }
}

int rl_json_parse(rl_json **out, rl_arena *a, const char *text, size_t len, unsigned flags, rl_json_error *err) {
  parser p = {.s = text, .n = len, .a = a, .flags = flags};
  rl_json *root = NULL;
  *out = NULL;
  if (len >= UINT32_MAX) {
    fail_at(&p, 0, "larger than 4 GiB");
  } else {
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) p.i = 3;
    root = read_value(&p, 0);
    if (root && skip_ws(&p) == 0 && p.i < p.n) fail_at(&p, p.i, "text after the value");
  }
  if (p.failed) {
    uint32_t line = 1, col = 1;
    for (size_t k = 0; k < p.err_at && k < len; k++) {
      if (text[k] == '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
    }
    if (err) {
      err->offset = p.err_at;
      err->line = line;
      err->column = col;
      snprintf(err->message, sizeof err->message, "%s", p.msg);
    }
    rl_error_set("line %u column %u: %s", line, col, p.msg);
    return RL_EINVALID;
  }
  *out = root;
  return 0;
}

/* ---- accessors -------------------------------------------------------- */

rl_json_type rl_json_typeof(const rl_json *v) { return v ? v->type : RL_JSON_NONE; }

int rl_json_is(const rl_json *v, rl_json_type t) { return v && v->type == t; }

size_t rl_json_size(const rl_json *v) {
  if (!v) return 0;
  if (v->type == RL_JSON_ARRAY) return v->u.arr.n;
  if (v->type == RL_JSON_OBJECT) return v->u.obj.n;
  return 0;
}

const rl_json *rl_json_at(const rl_json *v, size_t i) {
  if (i >= rl_json_size(v)) return NULL;
  return v->type == RL_JSON_ARRAY ? v->u.arr.items[i] : v->u.obj.m[i].v;
}

const char *rl_json_key_at(const rl_json *obj, size_t i, size_t *len) {
  if (!rl_json_is(obj, RL_JSON_OBJECT) || i >= obj->u.obj.n) return NULL;
  if (len) *len = obj->u.obj.m[i].klen;
  return obj->u.obj.m[i].key;
}

uint32_t rl_json_key_start(const rl_json *obj, size_t i) {
  if (!rl_json_is(obj, RL_JSON_OBJECT) || i >= obj->u.obj.n) return 0;
  return obj->u.obj.m[i].kstart;
}

const rl_json *rl_json_getn(const rl_json *obj, const char *key, size_t klen) {
  if (!rl_json_is(obj, RL_JSON_OBJECT)) return NULL;
  member probe = {.key = key, .klen = klen};
  if (!obj->u.obj.sorted) {
    /* built objects (and those of one member): the last put wins anyway */
    for (size_t k = 0; k < obj->u.obj.n; k++)
      if (same_key(&obj->u.obj.m[k], &probe)) return obj->u.obj.m[k].v;
    return NULL;
  }
  size_t lo = 0, hi = obj->u.obj.n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const member *m = obj->u.obj.sorted[mid];
    size_t n = m->klen < klen ? m->klen : klen;
    int c = memcmp(m->key, key, n);
    if (c == 0) c = m->klen < klen ? -1 : m->klen > klen;
    if (c == 0) return m->v;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

const rl_json *rl_json_get(const rl_json *obj, const char *key) { return rl_json_getn(obj, key, strlen(key)); }

const char *rl_json_str(const rl_json *v, size_t *len) {
  if (!rl_json_is(v, RL_JSON_STRING)) return NULL;
  if (len) *len = v->u.str.n;
  return v->u.str.p;
}

double rl_json_num(const rl_json *v) { return rl_json_is(v, RL_JSON_NUMBER) ? v->u.num.d : 0; }

int rl_json_int(const rl_json *v, int64_t *out) {
  if (!rl_json_is(v, RL_JSON_NUMBER) || !v->is_int) return 0;
  *out = v->u.num.i;
  return 1;
}

uint32_t rl_json_start(const rl_json *v) { return v ? v->start : 0; }

uint32_t rl_json_end(const rl_json *v) { return v ? v->end : 0; }

/* ---- building ----------------------------------------------------------- */

static rl_json *built(rl_arena *a, rl_json_type t) {
  rl_json *v = rl_arena_alloc(a, sizeof *v);
  v->type = t;
  return v;
}

rl_json *rl_json_new_null(rl_arena *a) { return built(a, RL_JSON_NULL); }

rl_json *rl_json_new_bool(rl_arena *a, int value) { return built(a, value ? RL_JSON_TRUE : RL_JSON_FALSE); }

rl_json *rl_json_new_int(rl_arena *a, int64_t value) {
  rl_json *v = built(a, RL_JSON_NUMBER);
  v->is_int = 1;
  v->u.num.i = value;
  v->u.num.d = (double)value;
  return v;
}

rl_json *rl_json_new_num(rl_arena *a, double value) {
  rl_json *v = built(a, RL_JSON_NUMBER);
  v->u.num.d = value;
  return v;
}

rl_json *rl_json_new_stringn(rl_arena *a, const char *s, size_t n) {
  rl_json *v = built(a, RL_JSON_STRING);
  v->u.str.p = rl_arena_strndup(a, s, n);
  v->u.str.n = n;
  return v;
}

rl_json *rl_json_new_string(rl_arena *a, const char *s) {
  return s ? rl_json_new_stringn(a, s, strlen(s)) : rl_json_new_null(a);
}

rl_json *rl_json_new_array(rl_arena *a) { return built(a, RL_JSON_ARRAY); }

rl_json *rl_json_new_object(rl_arena *a) { return built(a, RL_JSON_OBJECT); }

void rl_json_put(rl_arena *a, rl_json *obj, const char *key, const rl_json *v) {
  assert(obj && obj->type == RL_JSON_OBJECT);
  if (!v) v = rl_json_new_null(a);
  member probe = {.key = key, .klen = strlen(key)};
  for (size_t k = 0; k < obj->u.obj.n; k++) {
    if (same_key(&obj->u.obj.m[k], &probe)) {
      obj->u.obj.m[k].v = v;
      return;
    }
  }
  obj->u.obj.m = rl_arena_grow(a, obj->u.obj.m, obj->u.obj.n, &obj->u.obj.cap, sizeof(member));
  probe.key = rl_arena_strndup(a, key, probe.klen);
  probe.v = v;
  obj->u.obj.m[obj->u.obj.n++] = probe;
  obj->u.obj.sorted = NULL;
}

void rl_json_push(rl_arena *a, rl_json *arr, const rl_json *v) {
  assert(arr && arr->type == RL_JSON_ARRAY);
  if (!v) v = rl_json_new_null(a);
  arr->u.arr.items = rl_arena_grow(a, arr->u.arr.items, arr->u.arr.n, &arr->u.arr.cap, sizeof(rl_json *));
  arr->u.arr.items[arr->u.arr.n++] = v;
}

/* ---- writing ------------------------------------------------------------ */

void rl_json_write_string(rl_buf *b, const char *s, size_t n) {
  static const char hex[] = "0123456789ABCDEF";
  rl_buf_putc(b, '"');
  size_t run = 0; /* start of the bytes that go out as they are */
  for (size_t i = 0; i < n;) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
      i++;
      continue;
    }
    if (c >= 0x80) {
      int valid;
      size_t step = rl_utf8_step(s + i, n - i, &valid);
      if (valid) {
        i += step;
        continue;
      }
    }
    rl_buf_put(b, s + run, i - run);
    char esc[7] = {'\\', 0};
    switch (c) {
    case '"': rl_buf_puts(b, "\\\""); break;
    case '\\': rl_buf_puts(b, "\\\\"); break;
    case '\b': rl_buf_puts(b, "\\b"); break;
    case '\f': rl_buf_puts(b, "\\f"); break;
    case '\n': rl_buf_puts(b, "\\n"); break;
    case '\r': rl_buf_puts(b, "\\r"); break;
    case '\t': rl_buf_puts(b, "\\t"); break;
    default:
      if (c >= 0x80) {
        rl_buf_puts(b, "\xEF\xBF\xBD"); /* U+FFFD for a byte that is not UTF-8 */
      } else {
        esc[1] = 'u', esc[2] = '0', esc[3] = '0', esc[4] = hex[c >> 4], esc[5] = hex[c & 15];
        rl_buf_put(b, esc, 6);
      }
    }
    i++;
    run = i;
  }
  rl_buf_put(b, s + run, n - run);
  rl_buf_putc(b, '"');
}

static void newline(rl_buf *b, int indent, unsigned level) {
  static const char line[] = "\n                                                                ";
  size_t n = (size_t)level * (unsigned)indent, first = n < sizeof line - 2 ? n : sizeof line - 2;
  rl_buf_put(b, line, first + 1); /* the newline and up to 64 spaces in one copy */
  for (n -= first; n; n--) rl_buf_putc(b, ' ');
}

static void write_value(rl_buf *b, const rl_json *v, int indent, unsigned level) {
  switch (rl_json_typeof(v)) {
  case RL_JSON_NONE:
  case RL_JSON_NULL: rl_buf_puts(b, "null"); return;
  case RL_JSON_FALSE: rl_buf_puts(b, "false"); return;
  case RL_JSON_TRUE: rl_buf_puts(b, "true"); return;
  case RL_JSON_NUMBER:
    if (v->is_int) {
      rl_buf_printf(b, "%lld", (long long)v->u.num.i);
    } else if (!isfinite(v->u.num.d)) {
      rl_buf_puts(b, "null"); /* JSON has no infinities */
    } else {
      size_t at = b->len;
      rl_buf_printf(b, "%.17g", v->u.num.d);
      if (!strpbrk(b->ptr + at, ".eE")) rl_buf_puts(b, ".0");
    }
    return;
  case RL_JSON_STRING: rl_json_write_string(b, v->u.str.p, v->u.str.n); return;
  case RL_JSON_ARRAY:
    rl_buf_putc(b, '[');
    for (size_t k = 0; k < v->u.arr.n; k++) {
      if (k) rl_buf_putc(b, ',');
      if (indent) newline(b, indent, level + 1);
      write_value(b, v->u.arr.items[k], indent, level + 1);
    }
    if (indent && v->u.arr.n) newline(b, indent, level);
    rl_buf_putc(b, ']');
    return;
  case RL_JSON_OBJECT:
    rl_buf_putc(b, '{');
    for (size_t k = 0; k < v->u.obj.n; k++) {
      if (k) rl_buf_putc(b, ',');
      if (indent) newline(b, indent, level + 1);
      rl_json_write_string(b, v->u.obj.m[k].key, v->u.obj.m[k].klen);
      rl_buf_puts(b, indent ? ": " : ":");
      write_value(b, v->u.obj.m[k].v, indent, level + 1);
    }
    if (indent && v->u.obj.n) newline(b, indent, level);
    rl_buf_putc(b, '}');
    return;
  }
}

void rl_json_write(rl_buf *b, const rl_json *v, int indent) {
  rl_buf_put(b, "", 0);
  write_value(b, v, indent, 0);
}
