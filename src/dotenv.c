/* dotenv parser. The syntax follows what the common loaders agree on:
 *
 *   # comment
 *   export KEY=value          # trailing comment
 *   KEY = "double \"quoted\"\nwith escapes"
 *   KEY='single, literal'
 *   KEY=`backtick, literal`
 *   MULTI="first line
 *   second line"
 *
 * Choices where loaders differ, made so that a secret scanner sees the whole
 * value a developer wrote:
 * - In an unquoted value, '#' starts a comment only at the start of the value
 *   or after whitespace (`PASS=abc#def` keeps "abc#def").
 * - A quoted value may span lines up to its closing quote. With no closing
 *   quote anywhere, the rest of the line is taken as an unquoted value.
 * - Text after a closing quote is ignored.
 * - Keys are [A-Za-z0-9_.-]+ ; a line without '=' after the key is skipped.
 * - A UTF-8 BOM at the start of the file is skipped; offsets stay relative to
 *   the bytes given (BOM included). */
#include "dotenv.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

typedef struct entries {
  rl_dotenv_entry *v;
  size_t n, cap;
} entries;

static void push(entries *e, const rl_dotenv_entry *x) {
  if (e->n == e->cap) {
    e->cap = e->cap ? e->cap * 2 : 16;
    e->v = rl_xreallocarray(e->v, e->cap, sizeof *e->v);
  }
  e->v[e->n++] = *x;
}

static int is_hspace(char c) { return c == ' ' || c == '\t'; }

static int is_key_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

/* End of the line starting at i: index of '\n' or len. */
static size_t line_end(const char *b, size_t len, size_t i) {
  const char *nl = memchr(b + i, '\n', len - i);
  return nl ? (size_t)(nl - b) : len;
}

/* Decodes a double-quoted body b[s..e) into the arena. */
static char *decode_double(const char *b, size_t s, size_t e, rl_arena *arena, size_t *outlen) {
  char *out = rl_arena_alloc(arena, e - s + 1);
  size_t o = 0;
  for (size_t i = s; i < e; i++) {
    char c = b[i];
    if (c == '\r' && i + 1 < e && b[i + 1] == '\n') continue; /* CRLF inside a value -> LF */
    if (c == '\\' && i + 1 < e) {
      char d = b[i + 1];
      char r = 0;
      switch (d) {
      case 'n': r = '\n'; break;
      case 't': r = '\t'; break;
      case 'r': r = '\r'; break;
      case '"': r = '"'; break;
      case '\\': r = '\\'; break;
      default: break;
      }
      if (r) {
        out[o++] = r;
        i++;
        continue;
      }
    }
    out[o++] = c;
  }
  out[o] = '\0';
  *outlen = o;
  return out;
}

static char *copy_raw(const char *b, size_t s, size_t e, rl_arena *arena, size_t *outlen) {
  char *out = rl_arena_alloc(arena, e - s + 1);
  size_t o = 0;
  for (size_t i = s; i < e; i++) {
    if (b[i] == '\r' && i + 1 < e && b[i + 1] == '\n') continue;
    out[o++] = b[i];
  }
  out[o] = '\0';
  *outlen = o;
  return out;
}

/* Position of the closing quote q for a value opening at open (exclusive), or
 * len if none. In double quotes a backslash escapes the next byte. */
static size_t find_close(const char *b, size_t len, size_t open, char q) {
  for (size_t i = open + 1; i < len; i++) {
    if (q == '"' && b[i] == '\\') {
      i++;
      continue;
    }
    if (b[i] == q) return i;
  }
  return len;
}

void rl_dotenv_parse(const char *bytes, size_t len, rl_arena *arena, rl_dotenv_entry **out, size_t *n) {
  entries es = {0};
  size_t i = 0;
  uint32_t line = 1;
  if (len >= 3 && (unsigned char)bytes[0] == 0xEF && (unsigned char)bytes[1] == 0xBB && (unsigned char)bytes[2] == 0xBF)
    i = 3;

  while (i < len) {
    size_t eol = line_end(bytes, len, i);
    uint32_t this_line = line;
    size_t next = eol < len ? eol + 1 : len; /* where the next line starts */
    uint32_t lines_used = 1;
    size_t p = i;
    while (p < eol && is_hspace(bytes[p])) p++;
    if (p + 7 <= eol && memcmp(bytes + p, "export", 6) == 0 && is_hspace(bytes[p + 6])) {
      p += 7;
      while (p < eol && is_hspace(bytes[p])) p++;
    }
    size_t ks = p;
    while (p < eol && is_key_char(bytes[p])) p++;
    size_t ke = p;
    while (p < eol && is_hspace(bytes[p])) p++;
    if (ke == ks || p >= eol || bytes[p] != '=') goto next_line;
    p++;
    while (p < eol && is_hspace(bytes[p])) p++;

    rl_dotenv_entry e;
    memset(&e, 0, sizeof e);
    e.key = bytes + ks;
    e.key_len = ke - ks;
    e.key_start = (uint32_t)ks;
    e.line = this_line;

    char q = p < eol ? bytes[p] : 0;
    size_t close = len;
    if (q == '"' || q == '\'' || q == '`') close = find_close(bytes, len, p, q);
    if (close < len) {
      e.quote = q;
      e.value_start = (uint32_t)p;
      e.value_end = (uint32_t)(close + 1);
      if (q == '"')
        e.value = decode_double(bytes, p + 1, close, arena, &e.value_len);
      else
        e.value = copy_raw(bytes, p + 1, close, arena, &e.value_len);
      /* The value may have run over several lines. */
      for (size_t k = p; k < close; k++)
        if (bytes[k] == '\n') lines_used++;
      if (lines_used > 1) {
        eol = line_end(bytes, len, close);
        next = eol < len ? eol + 1 : len;
      }
    } else {
      size_t ve = eol;
      for (size_t k = p; k < eol; k++) {
        if (bytes[k] == '#' && (k == p || is_hspace(bytes[k - 1]))) {
          ve = k;
          break;
        }
      }
      while (ve > p && (is_hspace(bytes[ve - 1]) || bytes[ve - 1] == '\r')) ve--;
      e.value_start = (uint32_t)p;
      e.value_end = (uint32_t)ve;
      e.value = rl_arena_strndup(arena, bytes + p, ve - p);
      e.value_len = ve - p;
    }
    push(&es, &e);
    line += lines_used;
    i = next;
    continue;
  next_line:
    line++;
    i = next;
  }

  *n = es.n;
  *out = NULL;
  if (es.n) {
    *out = rl_arena_calloc(arena, es.n, sizeof **out);
    memcpy(*out, es.v, es.n * sizeof **out);
  }
  free(es.v);
}
