/* A small JSON writer into a caller's fixed buffer, for the fixed-shape documents tokend writes on its
   hot paths (token claims, responses). Bounds-checked: once something does not fit, or a string is
   not valid UTF-8, the writer is marked failed and writes nothing more. */
#ifndef TK_JSONW_H
#define TK_JSONW_H
#include <stddef.h>
#include <stdint.h>

typedef struct tk_jsonw {
  char *p;
  size_t n, cap;
  int failed;
} tk_jsonw;

/* A writer over buf[0..cap); borrowed, must outlive the writer. */
static inline tk_jsonw tk_jsonw_over(char *buf, size_t cap) { return (tk_jsonw){buf, 0, cap, 0}; }

/* Appends s[0..n) as it is (JSON punctuation, keys known to need no escaping). */
void tk_jsonw_raw(tk_jsonw *w, const char *s, size_t n);
/* Appends the NUL-terminated s as it is. */
void tk_jsonw_lit(tk_jsonw *w, const char *s);
/* Appends a decimal integer. */
void tk_jsonw_int(tk_jsonw *w, int64_t v);
/* Appends the NUL-terminated s as a JSON string literal: quote, backslash and control characters
   escaped, UTF-8 passed through. Invalid UTF-8 (overlong, surrogate, beyond U+10FFFF, cut short)
   fails the writer, as jansson would refuse to build such a string. */
void tk_jsonw_str(tk_jsonw *w, const char *s);

#endif
