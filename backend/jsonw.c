#include "jsonw.h"

#include <string.h>

void tk_jsonw_raw(tk_jsonw *w, const char *s, size_t n) {
  if (w->failed || n > w->cap - w->n) {
    w->failed = 1;
    return;
  }
  memcpy(w->p + w->n, s, n);
  w->n += n;
}

void tk_jsonw_lit(tk_jsonw *w, const char *s) { tk_jsonw_raw(w, s, strlen(s)); }

void tk_jsonw_int(tk_jsonw *w, int64_t v) {
  char tmp[24];
  size_t k = sizeof tmp;
  /* Through the unsigned magnitude, so INT64_MIN has no overflow. */
  uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  do {
    tmp[--k] = (char)('0' + u % 10);
    u /= 10;
  } while (u != 0);
  if (v < 0) tmp[--k] = '-';
  tk_jsonw_raw(w, tmp + k, sizeof tmp - k);
}

/* Length of the valid UTF-8 sequence starting at s (whose first byte is >= 0x80), or 0. */
static size_t utf8_len(const unsigned char *s) {
  unsigned char c = s[0];
  size_t len;
  uint32_t cp;
  if (c >= 0xc2 && c <= 0xdf) {
    len = 2;
    cp = c & 0x1fu;
  } else if (c >= 0xe0 && c <= 0xef) {
    len = 3;
    cp = c & 0x0fu;
  } else if (c >= 0xf0 && c <= 0xf4) {
    len = 4;
    cp = c & 0x07u;
  } else {
    return 0; /* a continuation byte, an overlong 2-byte lead, or beyond U+10FFFF */
  }
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xc0) != 0x80) /* also stops at the terminating NUL */
      return 0;
    cp = (cp << 6) | (s[i] & 0x3fu);
  }
  if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))
    return 0;
  return len;
}

void tk_jsonw_str(tk_jsonw *w, const char *s) {
  static const char hex[] = "0123456789abcdef";
  const unsigned char *c = (const unsigned char *)s, *run = c;
  tk_jsonw_raw(w, "\"", 1);
  for (;;) {
    size_t len = 1;
    /* The common case, printable ASCII, in a tight loop; the terminating NUL stops it like any < 0x20. */
    while (*c >= 0x20 && *c < 0x80 && *c != '"' && *c != '\\') c++;
    if (*c == '\0') break;
    if (*c == '"' || *c == '\\' || *c < 0x20) {
      char esc[6] = {'\\', (char)*c, 0, 0, 0, 0};
      size_t k = 2;
      if (*c < 0x20) {
        /* \u00XX for every control character, the spelling tokens have always carried. */
        memcpy(esc + 1, "u00", 3);
        esc[4] = hex[*c >> 4];
        esc[5] = hex[*c & 15];
        k = 6;
      }
      tk_jsonw_raw(w, (const char *)run, (size_t)(c - run));
      tk_jsonw_raw(w, esc, k);
      run = c + 1;
    } else if (*c >= 0x80) {
      len = utf8_len(c);
      if (len == 0) {
        w->failed = 1;
        return;
      }
    }
    c += len;
  }
  tk_jsonw_raw(w, (const char *)run, (size_t)(c - run));
  tk_jsonw_raw(w, "\"", 1);
}
