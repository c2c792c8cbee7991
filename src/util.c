#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void (*volatile g_fatal_cleanup)(void);

void rl_set_fatal_cleanup(void (*fn)(void)) { g_fatal_cleanup = fn; }

/* Exit 2 like every other failure, not abort(): a run out of memory is an
 * operational error, and the -o temporary file must not be left behind. */
void rl_oom(void) {
  static const char msg[] = "roomlint: out of memory\n";
  ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
  (void)w;
  void (*fn)(void) = g_fatal_cleanup;
  if (fn) fn();
  _exit(2);
}

void *rl_xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) rl_oom();
  return p;
}

void *rl_xcalloc(size_t count, size_t size) {
  void *p = calloc(count ? count : 1, size ? size : 1);
  if (!p) rl_oom();
  return p;
}

void *rl_xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) rl_oom();
  return q;
}

void *rl_xreallocarray(void *p, size_t count, size_t size) {
  size_t n;
  if (rl_size_mul(&n, count, size) < 0) rl_oom();
  return rl_xrealloc(p, n);
}

char *rl_xstrndup(const char *s, size_t n) {
  char *p = rl_xmalloc(n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *rl_xstrdup(const char *s) { return rl_xstrndup(s, strlen(s)); }

int rl_size_add(size_t *out, size_t a, size_t b) {
  if (a > SIZE_MAX - b) return -1;
  *out = a + b;
  return 0;
}

int rl_size_mul(size_t *out, size_t a, size_t b) {
  if (b != 0 && a > SIZE_MAX / b) return -1;
  *out = a * b;
  return 0;
}

int rl_num_whole(double x) { return x > -9.2e18 && x < 9.2e18 && x == (double)(long long)x; }

int rl_errno_is_exhaustion(int err) { return err == EMFILE || err == ENFILE || err == ENOMEM; }

static _Thread_local char rl__errbuf[512];

void rl_error_set(const char *fmt, ...) {
  /* formatted aside first: an argument may be rl_error_last() itself
   * (a message that wraps the one before it) */
  char msg[sizeof rl__errbuf];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  memcpy(rl__errbuf, msg, sizeof msg);
}

const char *rl_error_last(void) { return rl__errbuf[0] ? rl__errbuf : "unknown error"; }

void rl_error_clear(void) { rl__errbuf[0] = '\0'; }

static void buf_grow(rl_buf *b, size_t extra) {
  size_t need;
  if (rl_size_add(&need, b->len, extra) < 0 || rl_size_add(&need, need, 1) < 0) rl_oom();
  if (need <= b->cap) return;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < need) {
    if (cap > SIZE_MAX / 2) {
      cap = need;
      break;
    }
    cap *= 2;
  }
  b->ptr = rl_xrealloc(b->ptr, cap);
  b->cap = cap;
}

void rl_buf_put(rl_buf *b, const char *p, size_t n) {
  buf_grow(b, n);
  if (n) memcpy(b->ptr + b->len, p, n);
  b->len += n;
  b->ptr[b->len] = '\0';
}

void rl_buf_puts(rl_buf *b, const char *s) { rl_buf_put(b, s, strlen(s)); }

void rl_buf_putc(rl_buf *b, char c) { rl_buf_put(b, &c, 1); }

void rl_buf_vprintf(rl_buf *b, const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0) return;
  buf_grow(b, (size_t)n);
  vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
}

void rl_buf_printf(rl_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  rl_buf_vprintf(b, fmt, ap);
  va_end(ap);
}

char *rl_buf_detach(rl_buf *b) {
  char *p = b->ptr ? b->ptr : rl_xstrdup("");
  b->ptr = NULL;
  b->len = b->cap = 0;
  return p;
}

void rl_buf_free(rl_buf *b) {
  free(b->ptr);
  b->ptr = NULL;
  b->len = b->cap = 0;
}

int rl_ascii_lower(int c) { return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c; }

int rl_strncasecmp_ascii(const char *a, const char *b, size_t n) {
  for (size_t i = 0; i < n; i++) {
    int ca = rl_ascii_lower((unsigned char)a[i]);
    int cb = rl_ascii_lower((unsigned char)b[i]);
    if (ca != cb) return ca - cb;
    if (ca == 0) return 0;
  }
  return 0;
}

const char *rl_memcasemem(const char *hay, size_t n, const char *needle) {
  size_t m = strlen(needle);
  if (m == 0) return hay;
  if (m > n) return NULL;
  int first = rl_ascii_lower((unsigned char)needle[0]);
  for (size_t i = 0; i + m <= n; i++) {
    if (rl_ascii_lower((unsigned char)hay[i]) == first && rl_strncasecmp_ascii(hay + i, needle, m) == 0) return hay + i;
  }
  return NULL;
}

int rl_memcasemem_any(const char *hay, size_t n, const char *const *words) {
  for (size_t i = 0; words[i]; i++)
    if (rl_memcasemem(hay, n, words[i])) return 1;
  return 0;
}

int rl_str_in_list(const char *s, size_t n, const char *const *list) {
  for (size_t i = 0; list[i]; i++)
    if (strlen(list[i]) == n && memcmp(list[i], s, n) == 0) return 1;
  return 0;
}

uint64_t rl_hash64(const void *p, size_t n, uint64_t seed) {
  const unsigned char *s = p;
  uint64_t h = 1469598103934665603ULL ^ seed;
  for (size_t i = 0; i < n; i++) {
    h ^= s[i];
    h *= 1099511628211ULL;
  }
  return h;
}

size_t rl_utf8_step(const char *p, size_t n, int *valid) {
  const unsigned char *s = (const unsigned char *)p;
  unsigned char c = s[0];
  size_t len;
  uint32_t cp, min;
  *valid = 1;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2, cp = c & 0x1Fu, min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3, cp = c & 0x0Fu, min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4, cp = c & 0x07u, min = 0x10000;
  } else {
    *valid = 0;
    return 1;
  }
  if (len > n) {
    *valid = 0;
    return 1;
  }
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80) {
      *valid = 0;
      return 1;
    }
    cp = (cp << 6) | (s[i] & 0x3Fu);
  }
  /* Overlong forms, UTF-16 surrogates and values past U+10FFFF are invalid. */
  if (cp < min || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
    *valid = 0;
    return 1;
  }
  return len;
}

size_t rl_utf8_put(char *o, uint32_t cp) {
  if (cp < 0x80) {
    o[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    o[0] = (char)(0xC0 | (cp >> 6));
    o[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    o[0] = (char)(0xE0 | (cp >> 12));
    o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  o[0] = (char)(0xF0 | (cp >> 18));
  o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  o[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* ---- a string map ---- */

static size_t smap_slot(const rl_smap *m, const char *k) {
  size_t i = (size_t)rl_hash64(k, strlen(k), 7) & (m->cap - 1);
  while (m->keys[i] && strcmp(m->keys[i], k)) i = (i + 1) & (m->cap - 1);
  return i;
}

void **rl_smap_get(const rl_smap *m, const char *k) {
  if (!m->cap) return NULL;
  size_t i = smap_slot(m, k);
  return m->keys[i] ? &m->vals[i] : NULL;
}

void rl_smap_put(rl_smap *m, const char *k, void *v) {
  if (2 * (m->n + 1) > m->cap) {
    rl_smap old = *m;
    m->cap = old.cap ? old.cap * 2 : 64;
    m->keys = rl_xcalloc(m->cap, sizeof *m->keys);
    m->vals = rl_xcalloc(m->cap, sizeof *m->vals);
    m->n = 0;
    for (size_t i = 0; i < old.cap; i++)
      if (old.keys[i]) {
        size_t j = smap_slot(m, old.keys[i]);
        m->keys[j] = old.keys[i];
        m->vals[j] = old.vals[i];
        m->n++;
      }
    free(old.keys);
    free(old.vals);
  }
  size_t i = smap_slot(m, k);
  if (!m->keys[i]) {
    m->keys[i] = rl_xstrdup(k);
    m->n++;
  }
  m->vals[i] = v;
}

void rl_smap_free(rl_smap *m, void (*free_val)(void *)) {
  for (size_t i = 0; i < m->cap; i++)
    if (m->keys[i]) {
      free(m->keys[i]);
      if (free_val) free_val(m->vals[i]);
    }
  free(m->keys);
  free(m->vals);
  memset(m, 0, sizeof *m);
}
