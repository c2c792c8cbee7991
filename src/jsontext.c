#include "jsontext.h"

#include <string.h>

typedef struct walk {
  const char *s;
  int (*fn)(void *arg, const rl_json_member *m);
  void *arg;
  rl_json_span path[RL_JSON_MAX_DEPTH];
} walk;

/* The span inside the quotes of the string whose opening quote is at i. */
static rl_json_span raw_string(const char *s, uint32_t i) {
  uint32_t e = i + 1;
  while (s[e] != '"') e += s[e] == '\\' ? 2 : 1;
  return (rl_json_span){i + 1, e};
}

/* Visits v, the value inside depth keyed objects; 1 when fn said stop. */
static int visit(walk *w, const rl_json *v, size_t depth) {
  size_t n = rl_json_size(v);
  for (size_t i = 0; i < n; i++) {
    const rl_json *e = rl_json_at(v, i);
    if (!rl_json_is(v, RL_JSON_OBJECT)) {
      if (visit(w, e, depth)) return 1;
      continue;
    }
    rl_json_span key = raw_string(w->s, rl_json_key_start(v, i));
    if (rl_json_is(e, RL_JSON_STRING)) {
      rl_json_span val = {rl_json_start(e) + 1, rl_json_end(e) - 1};
      int escaped = memchr(w->s + val.start, '\\', val.end - val.start) != NULL;
      rl_json_member m = {w->path, depth, key, val, escaped};
      if (w->fn(w->arg, &m)) return 1;
    } else if (rl_json_size(e)) {
      w->path[depth] = key;
      if (visit(w, e, depth + 1)) return 1;
    }
  }
  return 0;
}

int rl_json_each_member(const char *s, size_t n, int (*fn)(void *arg, const rl_json_member *m), void *arg) {
  rl_arena *a = rl_arena_new();
  rl_json *root;
  int rc = -1;
  if (rl_json_parse(&root, a, s, n, RL_JSON_JSONC | RL_JSON_DUPS_LAST, NULL) == 0) {
    walk w = {s, fn, arg, {{0, 0}}};
    visit(&w, root, 0);
    rc = 0;
  }
  rl_arena_free(a);
  return rc;
}
