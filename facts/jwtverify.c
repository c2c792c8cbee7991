/* JWT verify sites: see jwtverify.h. */
#include "jwtverify.h"

#include <string.h>

#include "arena.h"

int rl_jwt_is_verify(const char *c) {
  static const char *const verify[] = {"jsonwebtoken:verify", "jose:jwtVerify",  "jose:compactVerify",
                                       "jose:JWT.verify",     "jose:JWS.verify", NULL};
  if (!c) return 0;
  for (size_t i = 0; verify[i]; i++)
    if (!strcmp(c, verify[i])) return 1;
  return 0;
}

typedef struct verify_site {
  uint32_t start;
  int top; /* outside every function */
} verify_site;

typedef struct verify_list {
  verify_site *items; /* in document order */
  size_t n;
  int any_top;
} verify_list;

typedef struct verify_walk {
  rl_jsfile *jf;
  verify_list *l;
  size_t cap;
} verify_walk;

static int verify_visit(void *data, TSNode n) {
  verify_walk *w = data;
  if (strcmp(ts_node_type(n), "call_expression") != 0 || !rl_jwt_is_verify(rl_js_callee(w->jf, n))) return 0;
  verify_site s = {ts_node_start_byte(n), ts_node_is_null(rl_js_enclosing_function(n))};
  w->l->items = rl_arena_grow(rl_jsfile_arena(w->jf), w->l->items, w->l->n, &w->cap, sizeof *w->l->items);
  w->l->items[w->l->n++] = s;
  w->l->any_top |= s.top;
  return 0;
}

static const verify_list *verifies_of(rl_jsfile *jf) {
  verify_list **memo = (verify_list **)rl_jsfile_memo(jf, RL_JS_MEMO_JWT_VERIFY);
  if (!*memo) {
    verify_list *l = rl_arena_calloc(rl_jsfile_arena(jf), 1, sizeof *l);
    verify_walk w = {jf, l, 0};
    rl_js_walk(rl_jsfile_root(jf), verify_visit, &w);
    *memo = l;
  }
  return *memo;
}

int rl_jwt_verifies_in(rl_jsfile *jf, TSNode fn) {
  const verify_list *l = verifies_of(jf);
  if (ts_node_is_null(fn)) return l->any_top;
  uint32_t from = ts_node_start_byte(fn), to = ts_node_end_byte(fn);
  size_t lo = 0, hi = l->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (l->items[mid].start < from)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < l->n && l->items[lo].start < to;
}
