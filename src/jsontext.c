#include "jsontext.h"

#include <string.h>

/* The end (index of the closing quote) of the string whose opening quote is
 * at i, or 0 if it does not close; *escaped: it holds a backslash. */
static size_t string_end(const char *s, size_t n, size_t i, int *escaped) {
  *escaped = 0;
  for (i++; i < n; i++) {
    if (s[i] == '"') return i;
    if (s[i] == '\\') {
      *escaped = 1;
      i++;
    } else if ((unsigned char)s[i] < 0x20) {
      return 0;
    }
  }
  return 0;
}

static size_t skip_ws(const char *s, size_t n, size_t i) {
  while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
    i++;
  return i;
}

int rl_json_each_member(const char *s, size_t n, int (*fn)(void *arg, const rl_json_member *m), void *arg) {
  /* per level: '{' or '[', and in an object the key being read */
  char kind[RL_JSON_MAX_DEPTH];
  rl_json_span keys[RL_JSON_MAX_DEPTH], path[RL_JSON_MAX_DEPTH];
  int have_key[RL_JSON_MAX_DEPTH];
  size_t depth = 0, i = skip_ws(s, n, 0);
  if (i < n && s[i] != '{' && s[i] != '[') return -1;
  while (i < n) {
    char c = s[i];
    if (c == '{' || c == '[') {
      if (depth == RL_JSON_MAX_DEPTH) return -1;
      kind[depth] = c;
      have_key[depth] = 0;
      depth++;
      i++;
    } else if (c == '}' || c == ']') {
      if (depth == 0 || kind[depth - 1] != (c == '}' ? '{' : '[')) return -1;
      depth--;
      if (depth > 0) have_key[depth - 1] = 0;
      i++;
      if (depth == 0) return skip_ws(s, n, i) == n ? 0 : -1;
    } else if (c == '"') {
      int esc;
      size_t e = string_end(s, n, i, &esc);
      if (!e) return -1;
      rl_json_span sp = {(uint32_t)(i + 1), (uint32_t)e};
      size_t after = skip_ws(s, n, e + 1);
      if (depth > 0 && kind[depth - 1] == '{' && !have_key[depth - 1]) {
        if (after >= n || s[after] != ':') return -1;
        keys[depth - 1] = sp;
        have_key[depth - 1] = 1;
        i = after + 1;
        continue;
      }
      if (depth > 0 && kind[depth - 1] == '{') {
        /* the keys of the enclosing objects, outermost first */
        size_t np = 0;
        for (size_t k = 0; k + 1 < depth; k++)
          if (kind[k] == '{' && have_key[k]) path[np++] = keys[k];
        rl_json_member m = {path, np, keys[depth - 1], sp, esc};
        if (fn(arg, &m)) return 0;
        have_key[depth - 1] = 0;
      }
      i = after;
    } else if (c == ',') {
      if (depth > 0 && kind[depth - 1] == '{') have_key[depth - 1] = 0;
      i++;
    } else if (c == ':' || c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      i++;
    } else if ((c >= '0' && c <= '9') || c == '-' || c == 't' || c == 'f' || c == 'n') {
      while (i < n && !strchr(",}] \t\r\n", s[i]))
        i++;
      if (depth > 0 && kind[depth - 1] == '{') have_key[depth - 1] = 0;
    } else {
      return -1;
    }
  }
  return depth == 0 ? 0 : -1;
}
