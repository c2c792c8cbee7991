/* The analysis library rules share (see analysis.h for the contract).
 *
 * Two rules hold everywhere in this file:
 * - No recursion over the tree: walks use a TSTreeCursor, evaluators use an
 *   explicit stack with a frame limit and a step limit, alias chains stop
 *   after MAX_HOPS. Deeply nested or cyclic input ends in "unknown", never in
 *   a crash.
 * - Uncertain means unknown. Bindings are scoped: a use of a name sees the
 *   declaration of the innermost scope around it that declares the name
 *   (parameters, var in its function, let/const/class/function in its block,
 *   catch and for heads, imports in the program), so a parameter or a local
 *   of the same name elsewhere changes nothing here. A name declared twice in
 *   one scope (`var x` twice, a parameter and a `var`) is ambiguous and never
 *   resolved through, unless both give it the same require('m') or string; a `let` or `var` that anything assigns is not a
 *   constant. A rule that gets "unknown" stays silent, which is the right
 *   failure for a linter whose findings are claims.
 *
 * Symbol tables are built on first use by one cursor walk over the file and
 * cached in the rl_jsfile; everything lives in the file's arena. */
#include "analysis.h"

#include <math.h> /* isfinite only: the core does not link libm */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "json.h"
#include "parse.h"
#include "project.h"
#include "util.h"

#define MAX_HOPS 8          /* const/alias chains followed at most this far */
#define EV_MAX_FRAMES 256   /* evaluator stack depth */
#define EV_MAX_STEPS 4096   /* evaluator work per call */
#define RESOLVE_MAX_SEGS 64 /* member chain length */

/* ---- symbol table types -------------------------------------------------- */

enum bkind { B_CONST = 1, B_LET, B_VAR, B_IMPORT, B_OTHER };

/* One declaration of a name, in the scope that declares it: the program, a
 * function (its parameters, its `var`s and what its body declares at its top
 * level), a block, a `for` head, a catch clause, a class expression (its own
 * name). A use of the name sees the declaration of the innermost scope that
 * holds the use (by byte range: hoisting comes for free). */
typedef struct binding {
  const char *name;
  size_t len;
  int kind;
  int shared;    /* the same scope declares the name again: ambiguous */
  int writes;    /* assignments, updates, destructuring assignments that see it */
  int mutations; /* x.k = v, x[k] = v, delete x.k, Object.assign(x, ...) */
  /* Plain `name = init` declarator: init. Destructured: the declarator's
   * value, with path the key path inside it ("sign", "a.b"); path_ok 0 when
   * the position is not a static key path (array element, rest, computed). */
  TSNode init;
  const char *path;
  int destructured;
  int path_ok;
  const char *canon; /* imports: "module:" or "module:name" */
  TSNode scope;      /* the scope node; its byte range is where the name is seen */
  uint32_t scope_start, scope_end;
  uint32_t scope_seq; /* the scope's order of opening: outer scopes first */
  uint32_t seq;       /* document order of the declaration */
  uint32_t group;     /* index of the first declaration of the same scope */
  /* visible_at's memo on a scope it lands on: where its last walk out ended
   * (memo_at) and the end of the last scope it passed */
  int memo_set;
  uint32_t memo_at, memo_passed;
  uint32_t parent; /* the name's nearest enclosing scope (index of its first
                    * declaration in the name's array), UINT32_MAX for none */
} binding;

/* Every declaration of one name, sorted by scope (start ascending, end
 * descending: outer before inner), so that the scope seen at a position is
 * found by a binary search and a short walk out. */
typedef struct name_ent {
  const char *name; /* NULL: empty slot */
  size_t len;
  binding *v;
  uint32_t n;
} name_ent;

struct rl_jsfile {
  rl_source *src;
  TSNode root;
  rl_arena *arena;
  int built;
  name_ent *tab; /* open addressing, cap a power of two; name NULL = empty */
  size_t cap;
  const char **modules;
  size_t *module_lens;
  size_t nmodules;
  void *memo[RL_JS_MEMO_COUNT];
  /* The tree index, built by one cursor walk on first need: every visible
   * node in document order with its parent, so that a parent costs a hash
   * look-up and not ts_node_parent's walk down from the root (O(depth) in
   * tree-sitter 0.20, which makes ancestor loops quadratic on deep trees). */
  int indexed;
  TSNode *nodes;    /* document order; nodes[0] is the root */
  uint32_t *parent; /* index of the parent; UINT32_MAX for the root */
  uint32_t *end;    /* index just past the node's last descendant */
  uint32_t *slots;  /* open addressing on the node id: index + 1, 0 empty */
  size_t nnodes, nslots;
  uint32_t max_depth;
  /* Work done on this file, in steps (node visits, parent look-ups,
   * evaluator and resolver steps, query nodes and matches); budget 0 is no
   * limit. Once steps pass the budget, walks stop and parents are null. */
  uint64_t steps, budget;
  int exhausted;
  struct answer *answers; /* see "answers, once per node" */
  size_t nanswers, answers_cap;
  struct this_ent *this_tab; /* see rl_js_this_member */
  size_t this_n, this_cap;
  rl_js_import_fn import_fn; /* the project model's look-up of imported modules */
  void *import_data;
  struct rl_jsfile *outer; /* the file analysed on this thread before this one began */
};

/* The file being analysed on this thread: rl_js_walk and rl_js_parent take
 * no rl_jsfile, so they find the index and the step count here. One file is
 * analysed per thread at a time (set by rl_jsfile_begin, cleared by
 * rl_jsfile_end); a file a rule opens on the side (another module) counts
 * against the file being analysed, and its parents come from ts_node_parent. */
static _Thread_local rl_jsfile *tl_file;

static TSNode null_node(void) {
  TSNode n;
  memset(&n, 0, sizeof n);
  return n;
}

static int type_is(TSNode n, const char *t) { return !ts_node_is_null(n) && strcmp(ts_node_type(n), t) == 0; }

TSNode rl_js_field(TSNode n, const char *name) {
  /* tree-sitter 0.20 reads a null node's tree: a crash, not a null child */
  if (ts_node_is_null(n)) return n;
  /* ts_node_child_by_field_name looks the name up among the grammar's field
   * names one by one, for every call (a few percent of a scan): remember
   * the id per thread, keyed by the name's text and the grammar. */
  static _Thread_local struct {
    const TSLanguage *lang;
    TSFieldId id;
    char name[24];
  } memo[128];
  size_t len = strlen(name);
  if (len >= sizeof memo[0].name) return ts_node_child_by_field_name(n, name, (uint32_t)len);
  const TSLanguage *lang = rl_parse_node_language(n);
  size_t h = (size_t)(rl_hash64(name, len, (uintptr_t)lang) & 127);
  if (memo[h].lang != lang || strcmp(memo[h].name, name)) {
    memo[h].lang = lang;
    memo[h].id = ts_language_field_id_for_name(lang, name, (uint32_t)len);
    memcpy(memo[h].name, name, len + 1);
  }
  return ts_node_child_by_field_id(n, memo[h].id);
}

/* The k-th parameter and the count, comments (named children too) passed over. */
static uint32_t params_walk(TSNode fn, uint32_t want, TSNode *out) {
  TSNode params = rl_js_field(fn, "parameters");
  if (ts_node_is_null(params)) {
    TSNode p = rl_js_field(fn, "parameter");
    if (ts_node_is_null(p)) return 0;
    if (want == 0) *out = p;
    return 1;
  }
  uint32_t seen = 0;
  for (uint32_t k = 0; k < ts_node_named_child_count(params); k++) {
    TSNode p = ts_node_named_child(params, k);
    if (!strcmp(ts_node_type(p), "comment")) continue;
    if (seen == want) *out = p;
    seen++;
  }
  return seen;
}

uint32_t rl_js_param_count(TSNode fn) {
  TSNode unused;
  return params_walk(fn, UINT32_MAX, &unused);
}

TSNode rl_js_param(TSNode fn, uint32_t i) {
  TSNode out = {{0}, NULL, NULL};
  params_walk(fn, i, &out);
  return out;
}

typedef struct key_reads {
  rl_jsfile *jf;
  rl_buf keys; /* "a,b," */
  int any;
} key_reads;

static void key_add(key_reads *k, const char *s, size_t l) {
  rl_buf_put(&k->keys, s, l);
  rl_buf_putc(&k->keys, ',');
}

/* A use of the parameter's name: `p.x` reads key x; anything else (p[x],
 * passing p on, spreading it, destructuring it) may read every key. */
static int key_use(void *data, TSNode id) {
  key_reads *k = data;
  TSNode up = rl_js_parent(id);
  if (!ts_node_is_null(up) && !strcmp(ts_node_type(up), "member_expression") &&
      ts_node_eq(rl_js_field(up, "object"), id)) {
    TSNode prop = rl_js_field(up, "property");
    if (!strcmp(ts_node_type(prop), "property_identifier")) {
      size_t l;
      const char *s = rl_js_text(k->jf, prop, &l);
      key_add(k, s, l);
      return 0;
    }
  }
  k->any = 1;
  return -1;
}

typedef struct shorthand_use {
  rl_jsfile *jf;
  const char *name;
  size_t len;
  int found;
} shorthand_use;

static int shorthand_visit(void *data, TSNode n) {
  shorthand_use *u = data;
  if (strcmp(ts_node_type(n), "shorthand_property_identifier")) return 0;
  size_t l;
  const char *s = rl_js_text(u->jf, n, &l);
  if (l == u->len && !memcmp(s, u->name, l)) {
    u->found = 1;
    return -1;
  }
  return 0;
}

const char *rl_js_param_keys(rl_jsfile *jf, TSNode fn, uint32_t i, rl_arena *arena) {
  uint32_t n = rl_js_param_count(fn);
  for (uint32_t k = 0; k < n && k <= i; k++) /* a rest parameter before or at i takes it */
    if (!strcmp(ts_node_type(rl_js_param(fn, k)), "rest_pattern")) return NULL;
  if (i >= n) return "";
  TSNode p = rl_js_param(fn, i);
  const char *t = ts_node_type(p);
  if (!strcmp(t, "required_parameter") || !strcmp(t, "optional_parameter")) p = rl_js_field(p, "pattern");
  if (!ts_node_is_null(p) && !strcmp(ts_node_type(p), "assignment_pattern")) p = rl_js_field(p, "left");
  if (ts_node_is_null(p)) return NULL;
  t = ts_node_type(p);
  key_reads k = {jf, {0}, 0};
  if (!strcmp(t, "object_pattern")) {
    for (uint32_t c = 0; c < ts_node_named_child_count(p) && !k.any; c++) {
      TSNode e = ts_node_named_child(p, c);
      const char *et = ts_node_type(e);
      TSNode name = e;
      if (!strcmp(et, "comment")) continue;
      if (!strcmp(et, "pair_pattern")) name = rl_js_field(e, "key");
      if (!strcmp(et, "object_assignment_pattern")) name = rl_js_field(e, "left");
      const char *nt = ts_node_type(name), *s;
      size_t l;
      if (!strcmp(nt, "string") && rl_js_string_value(jf, name, &s, &l)) {
        key_add(&k, s, l);
      } else if (!strcmp(nt, "shorthand_property_identifier_pattern") || !strcmp(nt, "property_identifier") ||
                 !strcmp(nt, "identifier")) {
        s = rl_js_text(jf, name, &l);
        key_add(&k, s, l);
      } else {
        k.any = 1; /* a rest pattern, a computed key */
      }
    }
  } else if (!strcmp(t, "identifier")) {
    size_t l;
    const char *name = rl_js_text(jf, p, &l);
    TSNode body = rl_js_field(fn, "body");
    if (name && !ts_node_is_null(body)) rl_js_idents_named(jf, body, name, l, key_use, &k);
    /* `{ properties }` passes it on too (not an identifier node) */
    shorthand_use su = {jf, name, l, 0};
    if (!k.any && name && !ts_node_is_null(body)) rl_js_walk(body, shorthand_visit, &su);
    if (su.found) k.any = 1;
  } else {
    k.any = 1; /* an array pattern... */
  }
  const char *out = k.any ? NULL : rl_arena_strndup(arena, k.keys.ptr ? k.keys.ptr : "", k.keys.len);
  rl_buf_free(&k.keys);
  return out;
}

int rl_js_keys_have(const char *keys, const char *key, size_t len) {
  if (!keys) return 1;
  for (const char *p = keys; *p;) {
    const char *comma = strchr(p, ',');
    size_t l = comma ? (size_t)(comma - p) : strlen(p);
    if (l == len && !memcmp(p, key, l)) return 1;
    p += l + (comma ? 1 : 0);
  }
  return 0;
}

int rl_js_unreachable(TSNode n) {
  for (TSNode up = rl_js_parent(n); !ts_node_is_null(up); n = up, up = rl_js_parent(up)) {
    const char *t = ts_node_type(up);
    if (!strcmp(t, "statement_block") || !strcmp(t, "program") || !strcmp(t, "switch_case")) {
      for (TSNode prev = ts_node_prev_named_sibling(n); !ts_node_is_null(prev);
           prev = ts_node_prev_named_sibling(prev)) {
        const char *pt = ts_node_type(prev);
        if (!strcmp(pt, "return_statement") || !strcmp(pt, "throw_statement") || !strcmp(pt, "break_statement") ||
            !strcmp(pt, "continue_statement"))
          return 1;
      }
      return 0; /* the nearest block decides */
    }
    /* a function's body is its own: what precedes the function does not matter */
    if (strstr(t, "function") || !strcmp(t, "method_definition") || !strcmp(t, "class_body")) return 0;
  }
  return 0;
}

static TSNode field(TSNode n, const char *name) { return rl_js_field(n, name); }

TSNode rl_js_chain_base(TSNode n) {
  for (;;) {
    n = rl_js_unwrap(n);
    if (type_is(n, "member_expression"))
      n = field(n, "object");
    else if (type_is(n, "call_expression"))
      n = field(n, "function");
    else
      return n;
  }
}

/* Calls that never return: next/navigation redirect()/notFound(), SvelteKit
 * error()/redirect(), Koa ctx.throw(401). */
int rl_js_never_returns(rl_jsfile *jf, TSNode e) {
  e = rl_js_unwrap(e);
  if (!type_is(e, "call_expression")) return 0;
  TSNode fn = rl_js_unwrap(rl_js_field(e, "function"));
  if (type_is(fn, "member_expression")) return rl_js_text_is(jf, rl_js_field(fn, "property"), "throw");
  return type_is(fn, "identifier") && (rl_js_text_is(jf, fn, "redirect") || rl_js_text_is(jf, fn, "notFound") ||
                                       rl_js_text_is(jf, fn, "unauthorized") || rl_js_text_is(jf, fn, "forbidden") ||
                                       rl_js_text_is(jf, fn, "error"));
}

/* 1 if statement s always leaves the handler: return, throw, a block with
 * one of those (or a never-returning call) at its top level. */
int rl_js_leaves(rl_jsfile *jf, TSNode s) {
  if (ts_node_is_null(s)) return 0;
  const char *t = ts_node_type(s);
  if (!strcmp(t, "return_statement") || !strcmp(t, "throw_statement")) return 1;
  if (!strcmp(t, "expression_statement")) return rl_js_never_returns(jf, ts_node_named_child(s, 0));
  if (!strcmp(t, "else_clause") || !strcmp(t, "statement_block")) {
    for (uint32_t i = 0; i < ts_node_named_child_count(s); i++)
      if (rl_js_leaves(jf, ts_node_named_child(s, i))) return 1;
    return 0;
  }
  if (!strcmp(t, "if_statement")) { /* if (a) return x; else throw y; */
    TSNode alt = rl_js_field(s, "alternative");
    return !ts_node_is_null(alt) && rl_js_leaves(jf, rl_js_field(s, "consequence")) && rl_js_leaves(jf, alt);
  }
  return 0;
}

/* Iterates the named, non-comment children of a node: from the thread's
 * file index when the node is in it (an array step), else with a cursor
 * (O(1) per step, unlike ts_node_named_child(i)). kids_field needs the
 * cursor: kids_init_fields always takes it. */
typedef struct kids {
  TSTreeCursor c;
  int started;
  int live;
  rl_jsfile *jf; /* non-NULL: children from jf's index, i up to stop */
  uint32_t i, stop;
} kids;

static void kids_init_fields(kids *k, TSNode n) {
  k->started = 0;
  k->jf = NULL;
  k->live = !ts_node_is_null(n);
  if (k->live) k->c = ts_tree_cursor_new(n);
}

static uint32_t index_of(rl_jsfile *jf, TSNode n);

static void kids_init(kids *k, TSNode n) {
  rl_jsfile *jf = tl_file;
  uint32_t at = jf && jf->indexed && !ts_node_is_null(n) ? index_of(jf, n) : UINT32_MAX;
  if (at == UINT32_MAX) {
    kids_init_fields(k, n);
    return;
  }
  k->jf = jf;
  k->live = 1;
  k->started = 0;
  k->i = at + 1;
  k->stop = jf->end[at];
}

static int kids_next(kids *k, TSNode *out) {
  if (!k->live) return 0;
  if (k->jf) {
    while (k->i < k->stop) {
      TSNode n = k->jf->nodes[k->i];
      k->i = k->jf->end[k->i];
      if (ts_node_is_named(n) && strcmp(ts_node_type(n), "comment") != 0) {
        *out = n;
        return 1;
      }
    }
    return 0;
  }
  for (;;) {
    int ok;
    if (!k->started) {
      ok = ts_tree_cursor_goto_first_child(&k->c);
      k->started = 1;
    } else {
      ok = ts_tree_cursor_goto_next_sibling(&k->c);
    }
    if (!ok) return 0;
    TSNode n = ts_tree_cursor_current_node(&k->c);
    if (ts_node_is_named(n) && strcmp(ts_node_type(n), "comment") != 0) {
      *out = n;
      return 1;
    }
  }
}

static const char *kids_field(kids *k) { return k->jf ? NULL : ts_tree_cursor_current_field_name(&k->c); }

static void kids_done(kids *k) {
  if (k->live && !k->jf) ts_tree_cursor_delete(&k->c);
  k->live = 0;
}

static TSNode first_named(TSNode n) {
  if (ts_node_is_null(n)) return n;
  /* Fast path: index 0 is cheap, and is rarely a comment. */
  TSNode c0 = ts_node_named_child(n, 0);
  if (ts_node_is_null(c0) || strcmp(ts_node_type(c0), "comment") != 0) return c0;
  kids k;
  TSNode c = null_node(), r = null_node();
  kids_init(&k, n);
  if (kids_next(&k, &c)) r = c;
  kids_done(&k);
  return r;
}

/* ---- file ------------------------------------------------------------------ */

rl_jsfile *rl_jsfile_new(rl_source *src, TSNode root, rl_arena *arena) {
  rl_jsfile *jf = rl_arena_calloc(arena, 1, sizeof *jf);
  jf->src = src;
  jf->root = root;
  jf->arena = arena;
  return jf;
}

/* A summary of another module is built in the middle of a file's analysis:
 * its end gives the thread back the file it interrupted. */
void rl_jsfile_begin(rl_jsfile *jf) {
  if (tl_file == jf) return;
  jf->outer = tl_file;
  tl_file = jf;
}

void rl_jsfile_end(rl_jsfile *jf) {
  if (tl_file != jf) return;
  tl_file = jf->outer;
  jf->outer = NULL;
}

/* ---- tree index and work count -------------------------------------------------- */

static size_t id_hash(const void *id, size_t mask) {
  uint64_t x = (uint64_t)(uintptr_t)id;
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return (size_t)x & mask;
}

static int node_same(TSNode a, TSNode b) { return a.id == b.id && a.tree == b.tree; }

static void build_index(rl_jsfile *jf) {
  jf->indexed = 1;
  if (ts_node_is_null(jf->root)) return;
  /* about one node per three bytes of code; a fixed 1024 had every small
   * module clear 36 KB it did not use */
  size_t cap = 64, stack_cap = 64, depth = 0;
  while (cap < 1024 && cap < ts_node_end_byte(jf->root) / 3) cap *= 2;
  jf->nodes = rl_arena_alloc(jf->arena, cap * sizeof *jf->nodes);
  jf->parent = rl_arena_alloc(jf->arena, cap * sizeof *jf->parent);
  uint32_t *stack = rl_arena_alloc(jf->arena, stack_cap * sizeof *stack);
  TSTreeCursor c = ts_tree_cursor_new(jf->root);
  for (;;) {
    if (jf->nnodes == cap) {
      size_t pc = cap;
      jf->nodes = rl_arena_grow(jf->arena, jf->nodes, jf->nnodes, &cap, sizeof *jf->nodes);
      jf->parent = rl_arena_grow(jf->arena, jf->parent, jf->nnodes, &pc, sizeof *jf->parent);
    }
    uint32_t i = (uint32_t)jf->nnodes++;
    jf->nodes[i] = ts_tree_cursor_current_node(&c);
    jf->parent[i] = depth ? stack[depth - 1] : UINT32_MAX;
    if (depth > jf->max_depth) jf->max_depth = (uint32_t)depth;
    if (ts_tree_cursor_goto_first_child(&c)) {
      if (depth == stack_cap) stack = rl_arena_grow(jf->arena, stack, depth, &stack_cap, sizeof *stack);
      stack[depth++] = i;
      continue;
    }
    for (;;) {
      if (ts_tree_cursor_goto_next_sibling(&c)) break;
      if (!ts_tree_cursor_goto_parent(&c)) goto done;
      depth--;
    }
  }
done:
  ts_tree_cursor_delete(&c);
  /* descendants follow their node: from the last node back, each one's end
   * is final when its parent's is raised to it */
  jf->end = rl_arena_alloc(jf->arena, (jf->nnodes ? jf->nnodes : 1) * sizeof *jf->end);
  for (size_t i = 0; i < jf->nnodes; i++) jf->end[i] = (uint32_t)i + 1;
  for (size_t i = jf->nnodes; i-- > 1;) {
    uint32_t up = jf->parent[i];
    if (jf->end[up] < jf->end[i]) jf->end[up] = jf->end[i];
  }
  jf->nslots = 16;
  while (jf->nslots < jf->nnodes * 2) jf->nslots *= 2;
  jf->slots = rl_arena_calloc(jf->arena, jf->nslots, sizeof *jf->slots);
  for (size_t i = 0; i < jf->nnodes; i++) {
    size_t h = id_hash(jf->nodes[i].id, jf->nslots - 1);
    while (jf->slots[h]) h = (h + 1) & (jf->nslots - 1);
    jf->slots[h] = (uint32_t)i + 1;
  }
}

static void ensure_index(rl_jsfile *jf) {
  if (!jf->indexed) build_index(jf);
}

/* Index of node n in jf's index, or UINT32_MAX. */
static uint32_t index_of(rl_jsfile *jf, TSNode n) {
  ensure_index(jf);
  if (!jf->nslots) return UINT32_MAX;
  size_t h = id_hash(n.id, jf->nslots - 1);
  for (uint32_t k; (k = jf->slots[h]) != 0; h = (h + 1) & (jf->nslots - 1))
    if (node_same(jf->nodes[k - 1], n)) return k - 1;
  return UINT32_MAX;
}

int rl_jsfile_step(rl_jsfile *jf, uint64_t n) {
  if (!jf) return 0;
  jf->steps += n;
  if (jf->budget && jf->steps > jf->budget) jf->exhausted = 1;
  return jf->exhausted;
}

/* A step on this thread's file. */
static int step(uint64_t n) { return rl_jsfile_step(tl_file, n); }

void rl_jsfile_set_budget(rl_jsfile *jf, uint64_t budget) {
  jf->budget = budget;
  if (budget && jf->steps > budget) jf->exhausted = 1;
}
uint64_t rl_jsfile_steps(const rl_jsfile *jf) { return jf->steps; }
int rl_jsfile_exhausted(const rl_jsfile *jf) { return jf->exhausted; }

size_t rl_jsfile_node_count(rl_jsfile *jf) {
  ensure_index(jf);
  return jf->nnodes;
}

uint32_t rl_jsfile_max_depth(rl_jsfile *jf) {
  ensure_index(jf);
  return jf->max_depth;
}

size_t rl_jsfile_shallow_roots(rl_jsfile *jf, uint32_t max_height, TSNode **out, size_t *covered) {
  ensure_index(jf);
  *out = NULL;
  *covered = 0;
  if (!jf->nnodes) return 0;
  /* Heights bottom-up: in document order every child comes after its
   * parent, so one backwards pass sees each node's children first. */
  uint32_t *height = rl_arena_calloc(jf->arena, jf->nnodes, sizeof *height);
  for (size_t i = jf->nnodes; i-- > 1;) {
    uint32_t p = jf->parent[i];
    if (height[i] + 1 > height[p]) height[p] = height[i] + 1;
  }
  step(jf->nnodes);
  size_t n = 0, cap = 16;
  TSNode *v = rl_arena_alloc(jf->arena, cap * sizeof *v);
  for (size_t i = 0; i < jf->nnodes; i++) {
    if (height[i] > max_height) continue;
    uint32_t p = jf->parent[i];
    if (p != UINT32_MAX && height[p] <= max_height) {
      (*covered)++;
      continue; /* inside a subtree already taken */
    }
    if (n == cap) v = rl_arena_grow(jf->arena, v, n, &cap, sizeof *v);
    v[n++] = jf->nodes[i];
    (*covered)++;
  }
  *out = v;
  return n;
}

TSNode rl_js_parent(TSNode n) {
  rl_jsfile *jf = tl_file;
  if (ts_node_is_null(n)) return n;
  if (!jf || n.tree != jf->root.tree) return ts_node_parent(n);
  if (step(1)) return null_node();
  uint32_t i = index_of(jf, n);
  if (i == UINT32_MAX) return ts_node_parent(n);
  return jf->parent[i] == UINT32_MAX ? null_node() : jf->nodes[jf->parent[i]];
}

rl_source *rl_jsfile_source(const rl_jsfile *jf) { return jf->src; }
rl_arena *rl_jsfile_arena(const rl_jsfile *jf) { return jf->arena; }
TSNode rl_jsfile_root(const rl_jsfile *jf) { return jf->root; }

void **rl_jsfile_memo(rl_jsfile *jf, rl_js_memo which) { return &jf->memo[which]; }

/* ---- nodes ------------------------------------------------------------------- */

const char *rl_js_text(const rl_jsfile *jf, TSNode n, size_t *len) {
  if (ts_node_is_null(n)) {
    *len = 0;
    return "";
  }
  uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
  if (e > jf->src->len) e = (uint32_t)jf->src->len;
  if (s > e) s = e;
  *len = e - s;
  return jf->src->bytes + s;
}

int rl_js_text_is(const rl_jsfile *jf, TSNode n, const char *s) { return rl_js_text_eq(jf, n, s, strlen(s)); }

int rl_js_text_eq(const rl_jsfile *jf, TSNode n, const char *s, size_t len) {
  if (ts_node_is_null(n)) return 0;
  size_t l;
  const char *t = rl_js_text(jf, n, &l);
  return l == len && !memcmp(t, s, len);
}

int rl_js_binding(TSNode n, int compound, TSNode *target, TSNode *value) {
  if (type_is(n, "variable_declarator")) {
    *target = field(n, "name");
    *value = field(n, "value");
    return 1;
  }
  if (type_is(n, "assignment_expression") || (compound && type_is(n, "augmented_assignment_expression"))) {
    *target = field(n, "left");
    *value = field(n, "right");
    return 1;
  }
  return 0;
}

TSNode rl_js_unwrap(TSNode n) {
  for (;;) {
    if (ts_node_is_null(n)) return n;
    const char *t = ts_node_type(n);
    TSNode inner = null_node();
    if (!strcmp(t, "parenthesized_expression") || !strcmp(t, "as_expression") || !strcmp(t, "satisfies_expression") ||
        !strcmp(t, "non_null_expression") || !strcmp(t, "await_expression")) {
      inner = first_named(n);
    } else if (!strcmp(t, "type_assertion")) {
      /* <T>x: the expression is the named child that is not type_arguments. */
      kids k;
      TSNode c;
      kids_init(&k, n);
      while (kids_next(&k, &c))
        if (!type_is(c, "type_arguments")) inner = c;
      kids_done(&k);
    } else {
      return n;
    }
    if (ts_node_is_null(inner)) return n;
    n = inner;
  }
}

static int is_function_type(const char *t) {
  return !strcmp(t, "function_declaration") || !strcmp(t, "function_expression") || !strcmp(t, "function") ||
         !strcmp(t, "arrow_function") || !strcmp(t, "method_definition") || !strcmp(t, "generator_function") ||
         !strcmp(t, "generator_function_declaration");
}

int rl_js_is_function(TSNode n) { return !ts_node_is_null(n) && is_function_type(ts_node_type(n)); }

TSNode rl_js_enclosing_function(TSNode n) {
  if (ts_node_is_null(n)) return n;
  TSNode p = rl_js_parent(n);
  while (!ts_node_is_null(p)) {
    if (is_function_type(ts_node_type(p))) return p;
    p = rl_js_parent(p);
  }
  return null_node();
}

void rl_js_walk(TSNode subtree, rl_js_visit_cb cb, void *data) {
  if (ts_node_is_null(subtree)) return;
  /* the same visits in the same order from the file's index when it has
   * one: an array, where a cursor's moves were a third of a scan */
  rl_jsfile *jf = tl_file;
  uint32_t k = jf && jf->indexed ? index_of(jf, subtree) : UINT32_MAX;
  if (k != UINT32_MAX) {
    for (uint32_t i = k, stop = jf->end[k]; i < stop;) {
      if (step(1)) break;
      TSNode n = jf->nodes[i];
      int r = ts_node_is_named(n) ? cb(data, n) : 0;
      if (r < 0) break;
      i = r == 0 ? i + 1 : jf->end[i];
    }
    return;
  }
  TSTreeCursor c = ts_tree_cursor_new(subtree);
  for (;;) {
    TSNode n = ts_tree_cursor_current_node(&c);
    int r = 0;
    if (step(1)) break; /* the file's work budget is spent */
    if (ts_node_is_named(n)) {
      r = cb(data, n);
      if (r < 0) break;
    }
    if (r == 0 && ts_tree_cursor_goto_first_child(&c)) continue;
    int more = 0;
    for (;;) {
      if (ts_tree_cursor_goto_next_sibling(&c)) {
        more = 1;
        break;
      }
      if (!ts_tree_cursor_goto_parent(&c)) break;
    }
    if (!more) break;
  }
  ts_tree_cursor_delete(&c);
}

/* rl_js_idents_named's index: the file's identifiers sorted by text, then position. */
typedef struct ident_ref {
  const char *t;
  uint32_t len, start;
  TSNode n;
} ident_ref;

typedef struct ident_index {
  ident_ref *items;
  size_t n;
} ident_index;

static int ident_text_cmp(const char *a, size_t al, const char *b, size_t bl) {
  int c = memcmp(a, b, al < bl ? al : bl);
  return c ? c : (al > bl) - (al < bl);
}

static int ident_ref_cmp(const void *x, const void *y) {
  const ident_ref *a = x, *b = y;
  int c = ident_text_cmp(a->t, a->len, b->t, b->len);
  return c ? c : (a->start > b->start) - (a->start < b->start);
}

static const ident_index *idents_of(rl_jsfile *jf) {
  ident_index **memo = (ident_index **)rl_jsfile_memo(jf, RL_JS_MEMO_IDENTS);
  if (*memo) return *memo;
  ident_index *ix = rl_arena_calloc(jf->arena, 1, sizeof *ix);
  ensure_index(jf);
  rl_jsfile_step(jf, jf->nnodes);
  size_t cap = 0;
  for (size_t i = 0; i < jf->nnodes; i++) {
    TSNode n = jf->nodes[i];
    if (!ts_node_is_named(n) || strcmp(ts_node_type(n), "identifier") != 0) continue;
    size_t l;
    const char *t = rl_js_text(jf, n, &l);
    if (!t) continue;
    ix->items = rl_arena_grow(jf->arena, ix->items, ix->n, &cap, sizeof *ix->items);
    ix->items[ix->n++] = (ident_ref){t, (uint32_t)l, ts_node_start_byte(n), n};
  }
  if (ix->n) qsort(ix->items, ix->n, sizeof *ix->items, ident_ref_cmp);
  *memo = ix;
  return ix;
}

void rl_js_idents_named(rl_jsfile *jf, TSNode subtree, const char *name, size_t len, rl_js_visit_cb cb, void *data) {
  if (ts_node_is_null(subtree) || !name) return;
  const ident_index *ix = idents_of(jf);
  uint32_t from = ts_node_start_byte(subtree), to = ts_node_end_byte(subtree);
  size_t lo = 0, hi = ix->n;
  while (lo < hi) { /* the first (name, start >= from) */
    size_t mid = lo + (hi - lo) / 2;
    const ident_ref *r = &ix->items[mid];
    int c = ident_text_cmp(r->t, r->len, name, len);
    if (c < 0 || (c == 0 && r->start < from))
      lo = mid + 1;
    else
      hi = mid;
  }
  for (; lo < ix->n; lo++) {
    const ident_ref *r = &ix->items[lo];
    if (ident_text_cmp(r->t, r->len, name, len) != 0 || r->start >= to) break;
    if (rl_jsfile_step(jf, 1) || cb(data, r->n) == -1) break;
  }
}

/* ---- string literals ----------------------------------------------------------- */

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Reads \uXXXX or \u{X...} at s[i] (s[i] == 'u'); returns code point or -1,
 * and advances *i past it. */
static long read_u_escape(const char *s, size_t n, size_t *i) {
  size_t j = *i + 1;
  long cp = 0;
  if (j < n && s[j] == '{') {
    j++;
    size_t digits = 0;
    while (j < n && s[j] != '}') {
      int h = hexval(s[j]);
      if (h < 0 || ++digits > 6) return -1;
      cp = cp * 16 + h;
      j++;
    }
    if (j >= n || digits == 0 || cp > 0x10FFFF) return -1;
    *i = j + 1;
    return cp;
  }
  if (j + 4 > n) return -1;
  for (size_t k = 0; k < 4; k++) {
    int h = hexval(s[j + k]);
    if (h < 0) return -1;
    cp = cp * 16 + h;
  }
  *i = j + 4;
  return cp;
}

/* Decodes JavaScript string escapes of raw s[0..n) into o (which has room
 * for n bytes: decoding never grows). Returns the decoded length. Template
 * text also turns CRLF and CR into LF, as the language does. */
static size_t decode_js(const char *s, size_t n, char *o, int tmpl) {
  size_t i = 0, w = 0;
  while (i < n) {
    char c = s[i];
    if (c == '\r' && tmpl) {
      o[w++] = '\n';
      i += (i + 1 < n && s[i + 1] == '\n') ? 2 : 1;
      continue;
    }
    if (c != '\\' || i + 1 >= n) {
      o[w++] = c;
      i++;
      continue;
    }
    char d = s[i + 1];
    i += 2;
    switch (d) {
    case 'n': o[w++] = '\n'; break;
    case 't': o[w++] = '\t'; break;
    case 'r': o[w++] = '\r'; break;
    case 'b': o[w++] = '\b'; break;
    case 'f': o[w++] = '\f'; break;
    case 'v': o[w++] = '\v'; break;
    case '\n': break; /* line continuation */
    case '\r':
      if (i < n && s[i] == '\n') i++;
      break;
    case 'x': {
      int h1 = i < n ? hexval(s[i]) : -1, h2 = i + 1 < n ? hexval(s[i + 1]) : -1;
      if (h1 < 0 || h2 < 0) {
        o[w++] = 'x';
        break;
      }
      w += rl_utf8_put(o + w, (uint32_t)(h1 * 16 + h2));
      i += 2;
      break;
    }
    case 'u': {
      size_t j = i - 1;
      long cp = read_u_escape(s, n, &j);
      if (cp < 0) {
        o[w++] = 'u';
        break;
      }
      i = j;
      /* A surrogate pair written as two escapes is one code point. */
      if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < n && s[i] == '\\' && s[i + 1] == 'u') {
        size_t k = i + 1;
        long lo = read_u_escape(s, n, &k);
        if (lo >= 0xDC00 && lo <= 0xDFFF) {
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          i = k;
        }
      }
      w += rl_utf8_put(o + w, (uint32_t)cp);
      break;
    }
    default:
      if (d >= '0' && d <= '7') {
        /* \0 and legacy octal escapes (sloppy-mode strings). */
        unsigned v = (unsigned)(d - '0');
        int more = d <= '3' ? 2 : 1;
        while (more-- > 0 && i < n && s[i] >= '0' && s[i] <= '7') v = v * 8 + (unsigned)(s[i++] - '0');
        w += rl_utf8_put(o + w, v);
      } else if ((unsigned char)d == 0xE2 && i + 1 < n && (unsigned char)s[i] == 0x80 &&
                 ((unsigned char)s[i + 1] == 0xA8 || (unsigned char)s[i + 1] == 0xA9)) {
        i += 2; /* \ + U+2028/U+2029: line continuation */
      } else {
        o[w++] = d; /* \' \" \\ \` \$ and identity escapes */
      }
      break;
    }
  }
  return w;
}

static int in_jsx_attribute(TSNode n) {
  TSNode p = rl_js_parent(n);
  return type_is(p, "jsx_attribute");
}

/* Decoded text of raw source bytes [s, e) into the arena. */
static char *decode_range(rl_jsfile *jf, uint32_t s, uint32_t e, int tmpl, int raw, size_t *len) {
  if (e > jf->src->len) e = (uint32_t)jf->src->len;
  if (s > e) s = e;
  char *o = rl_arena_alloc(jf->arena, (size_t)(e - s) + 1);
  if (raw) {
    memcpy(o, jf->src->bytes + s, e - s);
    *len = e - s;
  } else {
    *len = decode_js(jf->src->bytes + s, e - s, o, tmpl);
  }
  o[*len] = '\0';
  return o;
}

int rl_js_template_static(rl_jsfile *jf, TSNode n, const char **out, size_t *len, size_t *prefix_len) {
  n = rl_js_unwrap(n);
  /* An unterminated literal (MISSING quote, ERROR inside) has no value we
   * could vouch for. */
  if (ts_node_is_null(n) || ts_node_has_error(n)) return 0;
  uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
  if (e < s + 2) return 0;
  if (type_is(n, "string")) {
    size_t l;
    const char *v = decode_range(jf, s + 1, e - 1, 0, in_jsx_attribute(n), &l);
    *out = v;
    *len = l;
    if (prefix_len) *prefix_len = l;
    return 1;
  }
  if (!type_is(n, "template_string")) return 0;
  rl_buf b = {0};
  size_t prefix = (size_t)-1;
  uint32_t pos = s + 1;
  kids k;
  TSNode c;
  kids_init(&k, n);
  while (kids_next(&k, &c)) {
    if (!type_is(c, "template_substitution")) continue;
    size_t l;
    const char *piece = decode_range(jf, pos, ts_node_start_byte(c), 1, 0, &l);
    rl_buf_put(&b, piece, l);
    if (prefix == (size_t)-1) prefix = b.len;
    rl_buf_putc(&b, '\x1a');
    pos = ts_node_end_byte(c);
  }
  kids_done(&k);
  size_t l;
  const char *tail = decode_range(jf, pos, e - 1, 1, 0, &l);
  rl_buf_put(&b, tail, l);
  if (prefix == (size_t)-1) prefix = b.len;
  *out = rl_arena_strndup(jf->arena, b.ptr ? b.ptr : "", b.len);
  *len = b.len;
  if (prefix_len) *prefix_len = prefix;
  rl_buf_free(&b);
  return 1;
}

static int has_substitution(TSNode tmpl) {
  kids k;
  TSNode c;
  int found = 0;
  kids_init(&k, tmpl);
  while (!found && kids_next(&k, &c)) found = type_is(c, "template_substitution");
  kids_done(&k);
  return found;
}

int rl_js_string_value(rl_jsfile *jf, TSNode n, const char **out, size_t *len) {
  n = rl_js_unwrap(n);
  if (type_is(n, "template_string") && has_substitution(n)) return 0;
  if (!type_is(n, "string") && !type_is(n, "template_string")) return 0;
  size_t prefix;
  return rl_js_template_static(jf, n, out, len, &prefix);
}

/* ---- symbol table --------------------------------------------------------------- */

/* Raw records gathered by the walk, merged into the name table afterwards. */
typedef struct rec {
  binding b;
  int is_write; /* 0: a declaration; 1: a write to the name, 2: to one of its properties */
  uint32_t pos; /* a write: where (the name's start byte) */
  /* a write `name = value;` that is a statement of the program itself (runs
   * once, when the module loads): its value, else null */
  TSNode top_value;
} rec;

/* The scopes open at the node the walk is at, outermost (the program) first. */
typedef struct scope_ent {
  TSNode node;
  uint32_t end;
  uint32_t seq; /* order of opening: an enclosing scope opens first */
  size_t fn;    /* index of the nearest function scope (where var goes) */
} scope_ent;

typedef struct builder {
  rl_jsfile *jf;
  rec *v;
  size_t n, cap;
  const char **mods;
  size_t *modlens;
  size_t nmods, modcap;
  scope_ent *sc;
  size_t nsc, sccap;
  uint32_t nscopes;  /* scopes opened so far */
  size_t decl_scope; /* the scope declare() binds in (an index into sc) */
  uint32_t seq;
} builder;

static void add_rec(builder *bd, const rec *r) {
  if (bd->n == bd->cap) {
    bd->cap = bd->cap ? bd->cap * 2 : 64;
    bd->v = rl_xreallocarray(bd->v, bd->cap, sizeof *bd->v);
  }
  bd->v[bd->n++] = *r;
}

static void add_module(builder *bd, const char *m, size_t len) {
  if (bd->nmods == bd->modcap) {
    bd->modcap = bd->modcap ? bd->modcap * 2 : 16;
    bd->mods = rl_xreallocarray(bd->mods, bd->modcap, sizeof *bd->mods);
    bd->modlens = rl_xreallocarray(bd->modlens, bd->modcap, sizeof *bd->modlens);
  }
  bd->mods[bd->nmods] = m;
  bd->modlens[bd->nmods++] = len;
}

static void declare(builder *bd, TSNode ident, int kind, TSNode init, const char *path, int destructured, int path_ok,
                    const char *canon) {
  rec r;
  memset(&r, 0, sizeof r);
  r.b.name = rl_js_text(bd->jf, ident, &r.b.len);
  if (r.b.len == 0) return;
  const scope_ent *sc = &bd->sc[bd->decl_scope];
  r.b.kind = kind;
  r.b.init = init;
  r.b.path = path;
  r.b.destructured = destructured;
  r.b.path_ok = path_ok;
  r.b.canon = canon;
  r.b.scope = sc->node;
  r.b.scope_start = ts_node_start_byte(sc->node);
  r.b.scope_end = sc->end;
  r.b.scope_seq = sc->seq;
  r.b.seq = bd->seq++;
  add_rec(bd, &r);
}

static void write_to(builder *bd, TSNode ident) {
  rec r;
  memset(&r, 0, sizeof r);
  r.b.name = rl_js_text(bd->jf, ident, &r.b.len);
  r.is_write = 1;
  r.pos = ts_node_start_byte(ident);
  if (r.b.len) add_rec(bd, &r);
}

/* x.a.b = v, x[k] = v: records a mutation of x. */
static void mutate_base(builder *bd, TSNode target) {
  TSNode n = rl_js_unwrap(target);
  for (int guard = 0; guard < 256; guard++) {
    if (type_is(n, "member_expression") || type_is(n, "subscript_expression")) {
      n = rl_js_unwrap(field(n, "object"));
      continue;
    }
    if (type_is(n, "identifier")) {
      rec r;
      memset(&r, 0, sizeof r);
      r.b.name = rl_js_text(bd->jf, n, &r.b.len);
      r.is_write = 2;
      r.pos = ts_node_start_byte(n);
      if (r.b.len) add_rec(bd, &r);
    }
    return;
  }
}

static const char *join_path(rl_arena *a, const char *path, const char *key, size_t klen) {
  if (!path) return rl_arena_strndup(a, key, klen);
  return rl_arena_printf(a, "%s.%.*s", path, (int)klen, key);
}

/* Declares (or, with write set, records writes to) every name bound by a
 * pattern, with an explicit stack. value is the expression the pattern
 * destructures (null for parameters and the like). */
typedef struct pat_item {
  TSNode n;
  const char *path;
  int path_ok;
} pat_item;

static void bind_pattern(builder *bd, TSNode pattern, int kind, TSNode value, int write) {
  /* Growable: a name missed here could hide a shadowing declaration. */
  size_t cap = 16, sp = 0;
  pat_item *stack = rl_xreallocarray(NULL, cap, sizeof *stack);
  rl_jsfile *jf = bd->jf;
  stack[sp++] = (pat_item){pattern, NULL, 1};
  while (sp > 0) {
    pat_item it = stack[--sp];
    TSNode n = it.n;
    const char *t = ts_node_type(n);
    int top = ts_node_eq(n, pattern);
    if (!strcmp(t, "identifier") || !strcmp(t, "shorthand_property_identifier_pattern")) {
      if (write) {
        write_to(bd, n);
      } else if (top) {
        declare(bd, n, kind, value, NULL, 0, 0, NULL);
      } else {
        const char *path = it.path;
        int ok = it.path_ok;
        if (!strcmp(t, "shorthand_property_identifier_pattern")) {
          size_t l;
          const char *key = rl_js_text(jf, n, &l);
          path = join_path(jf->arena, it.path, key, l);
        }
        declare(bd, n, kind, value, path, 1, ok && path != NULL, NULL);
      }
      continue;
    }
    kids k;
    TSNode c;
    kids_init_fields(&k, n); /* kids_field below */
    while (kids_next(&k, &c)) {
      if (sp == cap) {
        cap *= 2;
        stack = rl_xreallocarray(stack, cap, sizeof *stack);
      }
      const char *ct = ts_node_type(c);
      const char *f = kids_field(&k);
      pat_item next = {c, it.path, it.path_ok};
      if (!strcmp(t, "object_pattern")) {
        if (!strcmp(ct, "pair_pattern")) {
          const char *ks;
          size_t kl;
          next.n = field(c, "value");
          if (rl_js_pair_key(jf, c, &ks, &kl))
            next.path = join_path(jf->arena, it.path, ks, kl);
          else
            next.path_ok = 0;
        } else if (!strcmp(ct, "rest_pattern")) {
          next.path_ok = 0;
        }
        /* shorthand and object_assignment_pattern keep the path; the
         * shorthand adds its own key when popped. */
      } else if (!strcmp(t, "array_pattern") || !strcmp(t, "rest_pattern")) {
        next.path_ok = 0;
      } else if (!strcmp(t, "object_assignment_pattern") || !strcmp(t, "assignment_pattern")) {
        if (!f || strcmp(f, "left") != 0) continue; /* the default value is not a binding */
      } else if (!strcmp(t, "required_parameter") || !strcmp(t, "optional_parameter")) {
        if (!f || strcmp(f, "pattern") != 0) continue;
      } else if (!strcmp(t, "pair_pattern")) {
        if (!f || strcmp(f, "value") != 0) continue;
      } else {
        continue; /* not a pattern we know: bind nothing */
      }
      if (ts_node_is_null(next.n)) continue;
      stack[sp++] = next;
    }
    kids_done(&k);
  }
  free(stack);
}

static int is_require_call(rl_jsfile *jf, TSNode call, const char **mod, size_t *len) {
  call = rl_js_unwrap(call);
  if (!type_is(call, "call_expression")) return 0;
  TSNode fn = field(call, "function");
  if (!(type_is(fn, "identifier") && rl_js_text_is(jf, fn, "require")) && !type_is(fn, "import")) return 0;
  TSNode arg = rl_js_call_arg(call, 0);
  return rl_js_string_value(jf, arg, mod, len);
}

int rl_js_module_ref(rl_jsfile *jf, TSNode e, const char **spec, size_t *len, const char **name) {
  e = rl_js_unwrap(e);
  if (name) *name = "";
  if (type_is(e, "call_expression")) return is_require_call(jf, e, spec, len);
  if (!type_is(e, "identifier") && !type_is(e, "member_expression")) return 0;
  const char *canon = rl_js_resolve(jf, e);
  const char *colon = canon ? strchr(canon, ':') : NULL;
  if (!colon || colon == canon) return 0;
  *spec = canon;
  *len = (size_t)(colon - canon);
  if (name) *name = colon + 1;
  return 1;
}

static const char *decl_kind_text(TSNode decl) {
  if (type_is(decl, "variable_declaration")) return "var";
  TSNode k = field(decl, "kind");
  if (!ts_node_is_null(k)) return ts_node_type(k);
  return "";
}

static int kind_of(const char *t) {
  if (!strcmp(t, "const")) return B_CONST;
  if (!strcmp(t, "let")) return B_LET;
  if (!strcmp(t, "var")) return B_VAR;
  return B_OTHER;
}

static void import_bindings(builder *bd, TSNode stmt) {
  rl_jsfile *jf = bd->jf;
  const char *mod = NULL;
  size_t ml = 0;
  /* `import x = require('m')` has no source on the statement itself. */
  int runtime = 1;
  /* `import type { X } from 'm'` is erased by the compiler: it binds names
   * but is not a runtime import of m. */
  TSNode second = ts_node_child(stmt, 1);
  if (!ts_node_is_null(second) && !ts_node_is_named(second) && type_is(second, "type")) runtime = 0;
  if (rl_js_string_value(jf, field(stmt, "source"), &mod, &ml) && runtime) add_module(bd, mod, ml);
  kids k;
  TSNode c;
  kids_init(&k, stmt);
  while (kids_next(&k, &c)) {
    if (type_is(c, "import_require_clause")) {
      /* TS: import x = require('m') */
      TSNode id = first_named(c);
      const char *m2;
      size_t l2;
      if (type_is(id, "identifier") && rl_js_string_value(jf, field(c, "source"), &m2, &l2)) {
        add_module(bd, m2, l2);
        declare(bd, id, B_IMPORT, null_node(), NULL, 0, 0, rl_arena_printf(jf->arena, "%.*s:", (int)l2, m2));
      }
      continue;
    }
    if (!type_is(c, "import_clause") || !mod) continue;
    kids k2;
    TSNode d;
    kids_init(&k2, c);
    while (kids_next(&k2, &d)) {
      if (type_is(d, "identifier")) {
        declare(bd, d, B_IMPORT, null_node(), NULL, 0, 0, rl_arena_printf(jf->arena, "%.*s:", (int)ml, mod));
      } else if (type_is(d, "namespace_import")) {
        TSNode id = first_named(d);
        if (type_is(id, "identifier"))
          declare(bd, id, B_IMPORT, null_node(), NULL, 0, 0, rl_arena_printf(jf->arena, "%.*s:", (int)ml, mod));
      } else if (type_is(d, "named_imports")) {
        kids k3;
        TSNode s;
        kids_init(&k3, d);
        while (kids_next(&k3, &s)) {
          if (!type_is(s, "import_specifier")) continue;
          TSNode name = field(s, "name"), alias = field(s, "alias");
          TSNode local = ts_node_is_null(alias) ? name : alias;
          const char *nm;
          size_t nl;
          if (type_is(name, "string")) {
            if (!rl_js_string_value(jf, name, &nm, &nl)) continue;
          } else {
            nm = rl_js_text(jf, name, &nl);
          }
          const char *canon = (nl == 7 && !memcmp(nm, "default", 7))
                                  ? rl_arena_printf(jf->arena, "%.*s:", (int)ml, mod)
                                  : rl_arena_printf(jf->arena, "%.*s:%.*s", (int)ml, mod, (int)nl, nm);
          if (type_is(local, "identifier")) declare(bd, local, B_IMPORT, null_node(), NULL, 0, 0, canon);
        }
        kids_done(&k3);
      }
    }
    kids_done(&k2);
  }
  kids_done(&k);
}

static void params_bindings(builder *bd, TSNode params) {
  kids k;
  TSNode c;
  kids_init(&k, params);
  while (kids_next(&k, &c)) bind_pattern(bd, c, B_OTHER, null_node(), 0);
  kids_done(&k);
}

/* ---- scopes while the walk goes ---------------------------------------------------- */

static void scope_push(builder *bd, TSNode n, int fn) {
  if (bd->nsc == bd->sccap) {
    bd->sccap = bd->sccap ? bd->sccap * 2 : 32;
    bd->sc = rl_xreallocarray(bd->sc, bd->sccap, sizeof *bd->sc);
  }
  size_t i = bd->nsc++;
  bd->sc[i] = (scope_ent){n, ts_node_end_byte(n), bd->nscopes++, fn || i == 0 ? i : bd->sc[i - 1].fn};
}

/* The walk goes in document order: the scopes that end before n starts are
 * closed (the program, sc[0], never is). */
static void scope_close_before(builder *bd, TSNode n) {
  uint32_t at = ts_node_start_byte(n);
  while (bd->nsc > 1 && bd->sc[bd->nsc - 1].end <= at) bd->nsc--;
}

static int is_var_scope_type(const char *t) { return is_function_type(t) || !strcmp(t, "class_static_block"); }

/* Where a declaration of this kind binds: `var` in the nearest function (or
 * the program), everything else in the innermost scope. */
static void bind_in(builder *bd, int var) { bd->decl_scope = var ? bd->sc[bd->nsc - 1].fn : bd->nsc - 1; }

/* The node types build_visit acts on. A node's type is a pointer into its
 * grammar's table of names, the same pointer for the same symbol: a small
 * per-thread memo keyed by it turns the chain of strcmp calls that every
 * node of every file went through into one lookup. */
enum build_kind {
  BK_OTHER,
  BK_DECLARATION,
  BK_NAMED_DECLARATION,
  BK_FUNCTION_EXPRESSION,
  BK_METHOD,
  BK_ARROW,
  BK_PARAMETERS,
  BK_BLOCK,
  BK_SCOPE,
  BK_CATCH,
  BK_FOR_IN,
  BK_IMPORT,
  BK_EXPORT,
  BK_ASSIGNMENT,
  BK_UNARY,
  BK_UPDATE,
  BK_CALL,
  BK_IMPORT_ALIAS
};

static enum build_kind build_kind_named(const char *t) {
  static const struct {
    const char *type;
    enum build_kind kind;
  } kinds[] = {
      {"lexical_declaration", BK_DECLARATION},
      {"variable_declaration", BK_DECLARATION},
      {"function_declaration", BK_NAMED_DECLARATION},
      {"generator_function_declaration", BK_NAMED_DECLARATION},
      {"class_declaration", BK_NAMED_DECLARATION},
      {"abstract_class_declaration", BK_NAMED_DECLARATION},
      {"function_expression", BK_FUNCTION_EXPRESSION},
      {"generator_function", BK_FUNCTION_EXPRESSION},
      {"class", BK_FUNCTION_EXPRESSION},
      {"method_definition", BK_METHOD},
      {"class_static_block", BK_METHOD},
      {"arrow_function", BK_ARROW},
      {"formal_parameters", BK_PARAMETERS},
      {"statement_block", BK_BLOCK},
      {"switch_body", BK_SCOPE},
      {"for_statement", BK_SCOPE},
      {"catch_clause", BK_CATCH},
      {"for_in_statement", BK_FOR_IN},
      {"import_statement", BK_IMPORT},
      {"export_statement", BK_EXPORT},
      {"assignment_expression", BK_ASSIGNMENT},
      {"augmented_assignment_expression", BK_ASSIGNMENT},
      {"unary_expression", BK_UNARY},
      {"update_expression", BK_UPDATE},
      {"call_expression", BK_CALL},
      {"import_alias", BK_IMPORT_ALIAS},
  };
  for (size_t i = 0; i < RL_ARRAY_LEN(kinds); i++)
    if (!strcmp(t, kinds[i].type)) return kinds[i].kind;
  return BK_OTHER;
}

static enum build_kind build_kind(const char *t) {
  static _Thread_local struct {
    const char *type;
    enum build_kind kind;
  } memo[128];
  uintptr_t a = (uintptr_t)t;
  size_t h = (size_t)((a ^ (a >> 7)) & 127);
  if (memo[h].type != t) {
    memo[h].type = t;
    memo[h].kind = build_kind_named(t);
  }
  return memo[h].kind;
}

static int build_visit(void *data, TSNode n) {
  builder *bd = data;
  rl_jsfile *jf = bd->jf;
  const char *t = ts_node_type(n);
  scope_close_before(bd, n);
  const scope_ent *top = &bd->sc[bd->nsc - 1];
  switch (build_kind(t)) {
  case BK_DECLARATION: {
    /* Declarators are handled from their declaration, which knows the kind
     * (ts_node_parent is not cheap in this tree-sitter). */
    int kind = kind_of(decl_kind_text(n));
    bind_in(bd, kind == B_VAR);
    kids k;
    TSNode d;
    kids_init(&k, n);
    while (kids_next(&k, &d)) {
      if (!type_is(d, "variable_declarator")) continue;
      TSNode name = field(d, "name");
      if (!ts_node_is_null(name)) bind_pattern(bd, name, kind, field(d, "value"), 0);
    }
    kids_done(&k);
    break;
  }
  case BK_NAMED_DECLARATION: {
    /* the name is the enclosing block's; a function's parameters and body are its own */
    TSNode name = field(n, "name");
    bind_in(bd, 0);
    if (type_is(name, "identifier") || type_is(name, "type_identifier"))
      declare(bd, name, B_OTHER, null_node(), NULL, 0, 0, NULL);
    if (is_function_type(t)) scope_push(bd, n, 1);
    break;
  }
  case BK_FUNCTION_EXPRESSION: {
    /* a function or class expression's own name is seen only inside it */
    scope_push(bd, n, strcmp(t, "class") != 0);
    TSNode name = field(n, "name");
    bind_in(bd, 0);
    if (type_is(name, "identifier") || type_is(name, "type_identifier"))
      declare(bd, name, B_OTHER, null_node(), NULL, 0, 0, NULL);
    break;
  }
  case BK_METHOD: scope_push(bd, n, 1); break;
  case BK_ARROW: {
    scope_push(bd, n, 1);
    TSNode p = field(n, "parameter");
    bind_in(bd, 0);
    if (type_is(p, "identifier")) declare(bd, p, B_OTHER, null_node(), NULL, 0, 0, NULL);
    break;
  }
  case BK_PARAMETERS:
    /* a function's parameters are its own; a type's (`(a: string) => void`,
     * an interface method) bind nothing */
    if (is_function_type(ts_node_type(top->node)) && ts_node_eq(field(top->node, "parameters"), n)) {
      bind_in(bd, 0);
      params_bindings(bd, n);
    }
    break;
  case BK_BLOCK:
    /* a function's body is the function's scope: its parameters, vars and
     * top-level declarations are one scope */
    if (!(is_var_scope_type(ts_node_type(top->node)) && ts_node_eq(field(top->node, "body"), n))) scope_push(bd, n, 0);
    break;
  case BK_SCOPE: scope_push(bd, n, 0); break;
  case BK_CATCH: {
    scope_push(bd, n, 0);
    TSNode p = field(n, "parameter");
    bind_in(bd, 0);
    if (!ts_node_is_null(p)) bind_pattern(bd, p, B_OTHER, null_node(), 0);
    break;
  }
  case BK_FOR_IN: {
    scope_push(bd, n, 0);
    TSNode left = field(n, "left"), kind = field(n, "kind");
    bind_in(bd, type_is(kind, "var"));
    if (!ts_node_is_null(left)) bind_pattern(bd, left, B_OTHER, null_node(), ts_node_is_null(kind));
    break;
  }
  case BK_IMPORT:
    bind_in(bd, 0);
    import_bindings(bd, n);
    break;
  case BK_EXPORT: {
    const char *m;
    size_t ml;
    if (rl_js_string_value(jf, field(n, "source"), &m, &ml)) add_module(bd, m, ml);
    break;
  }
  case BK_ASSIGNMENT: {
    TSNode left = rl_js_unwrap(field(n, "left"));
    if (type_is(left, "identifier")) {
      write_to(bd, left);
      if (bd->n && bd->nsc == 1 && !strcmp(t, "assignment_expression") && ts_node_eq(field(n, "left"), left)) {
        TSNode st = rl_js_parent(n);
        if (type_is(st, "expression_statement") && ts_node_eq(rl_js_parent(st), jf->root))
          bd->v[bd->n - 1].top_value = field(n, "right");
      }
    } else if (type_is(left, "object_pattern") || type_is(left, "array_pattern"))
      bind_pattern(bd, left, B_OTHER, null_node(), 1);
    else if (type_is(left, "member_expression") || type_is(left, "subscript_expression"))
      mutate_base(bd, left);
    break;
  }
  case BK_UNARY: {
    TSNode op = field(n, "operator");
    if (type_is(op, "delete")) mutate_base(bd, field(n, "argument"));
    break;
  }
  case BK_UPDATE: {
    TSNode arg = rl_js_unwrap(field(n, "argument"));
    if (type_is(arg, "identifier"))
      write_to(bd, arg);
    else
      mutate_base(bd, arg);
    break;
  }
  case BK_CALL: {
    const char *m;
    size_t ml;
    if (is_require_call(jf, n, &m, &ml)) add_module(bd, m, ml);
    /* Object.assign(target, ...) and Object.defineProperty(target, ...) */
    TSNode fn = rl_js_unwrap(field(n, "function"));
    if (type_is(fn, "member_expression")) {
      TSNode obj = rl_js_unwrap(field(fn, "object")), prop = field(fn, "property");
      if (type_is(obj, "identifier") && rl_js_text_is(jf, obj, "Object") &&
          (rl_js_text_is(jf, prop, "assign") || rl_js_text_is(jf, prop, "defineProperty") ||
           rl_js_text_is(jf, prop, "defineProperties")))
        mutate_base(bd, rl_js_call_arg(n, 0));
    }
    break;
  }
  case BK_IMPORT_ALIAS: {
    TSNode id = first_named(n);
    bind_in(bd, 0);
    if (type_is(id, "identifier")) declare(bd, id, B_OTHER, null_node(), NULL, 0, 0, NULL);
    break;
  }
  default: break;
  }
  return 0;
}

static name_ent *slot(name_ent *tab, size_t cap, const char *name, size_t len) {
  size_t i = (size_t)rl_hash64(name, len, 0) & (cap - 1);
  for (;;) {
    name_ent *e = &tab[i];
    if (!e->name || (e->len == len && !memcmp(e->name, name, len))) return e;
    i = (i + 1) & (cap - 1);
  }
}

/* Outer scopes first (start ascending, end descending, then the order the
 * walk opened them), the declarations of one scope together in document
 * order. */
static int decl_cmp(const void *pa, const void *pb) {
  const binding *a = pa, *b = pb;
  if (a->scope_start != b->scope_start) return a->scope_start < b->scope_start ? -1 : 1;
  if (a->scope_end != b->scope_end) return a->scope_end > b->scope_end ? -1 : 1;
  if (a->scope_seq != b->scope_seq) return a->scope_seq < b->scope_seq ? -1 : 1;
  return a->seq < b->seq ? -1 : a->seq > b->seq;
}

#define NO_DECL UINT32_MAX

/* Sorts a name's declarations and links each scope to the nearest enclosing
 * scope that declares the name too (scopes nest: a stack of the open ones). */
/* A second declaration of a name in one scope that gives it the same value
 * as the first: the same require('module') or property of it (one module
 * object), or the same string, with the same destructuring path.
 * Scripts made of concatenated parts, and test files of snippets, repeat
 * `const got = require('got')`; whichever the code sees, it is got. */
static int same_value(rl_jsfile *jf, const binding *a, const binding *b) {
  if (a->kind == B_IMPORT || b->kind == B_IMPORT || a->kind == B_OTHER || b->kind == B_OTHER ||
      a->destructured != b->destructured || ts_node_is_null(a->init) || ts_node_is_null(b->init))
    return 0;
  if (a->destructured && (!a->path_ok || !b->path_ok || !a->path || !b->path || strcmp(a->path, b->path) != 0))
    return 0;
  TSNode x = a->init;
  int pure = type_is(x, "string");
  /* require('m').Strategy: a property of the one module object */
  while (type_is(x, "member_expression") && type_is(field(x, "property"), "property_identifier"))
    x = field(x, "object");
  if (type_is(x, "call_expression")) {
    TSNode fn = field(x, "function"), args = field(x, "arguments");
    pure = rl_js_text_is(jf, fn, "require") && ts_node_named_child_count(args) == 1 &&
           type_is(ts_node_named_child(args, 0), "string");
  }
  if (!pure) return 0;
  size_t la;
  const char *ta = rl_js_text(jf, a->init, &la);
  return ta && rl_js_text_eq(jf, b->init, ta, la);
}

static void link_scopes(rl_jsfile *jf, name_ent *e) {
  qsort(e->v, e->n, sizeof *e->v, decl_cmp);
  uint32_t *stack = rl_xreallocarray(NULL, e->n, sizeof *stack);
  uint32_t sp = 0;
  for (uint32_t i = 0; i < e->n; i++) {
    binding *b = &e->v[i];
    if (i > 0 && e->v[i - 1].scope_seq == b->scope_seq) {
      b->group = e->v[i - 1].group;
      b->parent = e->v[i - 1].parent;
      if (!same_value(jf, &e->v[b->group], b)) e->v[b->group].shared = b->shared = 1;
      continue;
    }
    while (sp > 0 && e->v[stack[sp - 1]].scope_end < b->scope_end) sp--;
    b->group = i;
    b->parent = sp > 0 ? stack[sp - 1] : NO_DECL;
    stack[sp++] = i;
  }
  free(stack);
}

/* Seen where the budget ran out during the walk out of closed scopes:
 * declared, but by which declaration is not known (shared, so nothing
 * resolves through it). Never written. */
static binding unknown_decl = {.shared = 1};

/* The declaration of the innermost scope declaring the name that holds byte
 * pos (the first of its scope), or NULL when none does. The search lands on
 * the last scope that starts at or before pos and walks out of the ones that
 * closed before pos. Each landing scope remembers where its last walk ended
 * and the end of the last scope it passed: a later position past that end
 * starts there (the scopes passed are closed for it too), so uses after a
 * name nested thousands deep cost one walk, not one each. One step a scope. */
static binding *visible_at(rl_jsfile *jf, name_ent *e, uint32_t pos) {
  uint32_t lo = 0, hi = e->n;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (e->v[mid].scope_start <= pos)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo == 0) return NULL;
  binding *land = &e->v[e->v[lo - 1].group];
  if (pos < land->scope_end) return land;
  int memo = land->memo_set && pos >= land->memo_passed;
  uint32_t at = memo ? land->memo_at : land->parent;
  uint32_t passed = memo ? land->memo_passed : land->scope_end;
  while (at != NO_DECL && pos >= e->v[at].scope_end) {
    passed = e->v[at].scope_end;
    at = e->v[at].parent;
    if (rl_jsfile_step(jf, 1)) return &unknown_decl;
  }
  land->memo_set = 1;
  land->memo_at = at;
  land->memo_passed = passed;
  return at == NO_DECL ? NULL : &e->v[at];
}

/* Names a module assigns without declaring that are the runtime's own, not
 * the module's: their meaning does not come from one assignment. */
static const char *const runtime_globals[] = {"exports", "module",   "require", "window",    "globalThis", "global",
                                              "self",    "document", "process", "undefined", NULL};

/* An implicit global: `opentok = new OpenTok(k, s);` as a statement of the
 * program, the name declared nowhere in the file and assigned nowhere else,
 * binds like a top-level var never written again (older Node code leaves out
 * the declaration). A second assignment, or one inside a function or block
 * (it may run many times, or not at all), leaves the name unknown. Counts the
 * new declaration on its name's entry of tab (cap slots), as the caller's
 * count of declarations does. */
static void implicit_globals(builder *bd, size_t cap) {
  rl_jsfile *jf = bd->jf;
  for (size_t i = 0; i < bd->n; i++) {
    rec *r = &bd->v[i];
    if (r->is_write != 1 || ts_node_is_null(r->top_value)) continue;
    name_ent *e = slot(jf->tab, cap, r->b.name, r->b.len);
    if (e->name) continue; /* declared somewhere in the file */
    int known = 0;
    for (const char *const *g = runtime_globals; *g && !known; g++)
      known = strlen(*g) == r->b.len && !memcmp(*g, r->b.name, r->b.len);
    if (known) continue;
    size_t writes = 0;
    for (size_t j = 0; j < bd->n && writes < 2; j++)
      if (bd->v[j].is_write == 1 && bd->v[j].b.len == r->b.len && !memcmp(bd->v[j].b.name, r->b.name, r->b.len))
        writes++;
    if (writes != 1) continue;
    /* the write becomes the declaration, of the program's scope */
    const scope_ent *sc = &bd->sc[0];
    r->is_write = 0;
    r->b.kind = B_VAR;
    r->b.init = r->top_value;
    r->b.scope = sc->node;
    r->b.scope_start = ts_node_start_byte(sc->node);
    r->b.scope_end = sc->end;
    r->b.scope_seq = sc->seq;
    r->b.seq = bd->seq++;
    e->name = r->b.name;
    e->len = r->b.len;
    e->n++;
  }
}

static void build_symbols(rl_jsfile *jf) {
  if (jf->built) return;
  jf->built = 1;
  builder bd;
  memset(&bd, 0, sizeof bd);
  bd.jf = jf;
  scope_push(&bd, jf->root, 1);
  rl_js_walk(jf->root, build_visit, &bd);

  size_t cap = 16;
  while (cap < bd.n * 2 + 1) cap *= 2;
  jf->cap = cap;
  jf->tab = rl_arena_calloc(jf->arena, cap, sizeof *jf->tab);
  /* declarations: count them per name, then place them */
  for (size_t i = 0; i < bd.n; i++) {
    if (bd.v[i].is_write) continue;
    name_ent *e = slot(jf->tab, cap, bd.v[i].b.name, bd.v[i].b.len);
    e->name = bd.v[i].b.name;
    e->len = bd.v[i].b.len;
    e->n++;
  }
  implicit_globals(&bd, cap);
  for (size_t i = 0; i < cap; i++) {
    name_ent *e = &jf->tab[i];
    if (!e->name) continue;
    e->v = rl_arena_calloc(jf->arena, e->n, sizeof *e->v);
    e->n = 0;
  }
  for (size_t i = 0; i < bd.n; i++) {
    if (bd.v[i].is_write) continue;
    name_ent *e = slot(jf->tab, cap, bd.v[i].b.name, bd.v[i].b.len);
    e->v[e->n++] = bd.v[i].b;
  }
  for (size_t i = 0; i < cap; i++)
    if (jf->tab[i].name) link_scopes(jf, &jf->tab[i]);
  /* writes go to the declaration they see; a global's are nobody's */
  for (size_t i = 0; i < bd.n; i++) {
    rec *r = &bd.v[i];
    if (!r->is_write) continue;
    name_ent *e = slot(jf->tab, cap, r->b.name, r->b.len);
    binding *b = e->name ? visible_at(jf, e, r->pos) : NULL;
    if (!b || b == &unknown_decl) continue;
    if (r->is_write == 1)
      b->writes++;
    else
      b->mutations++;
  }
  jf->nmodules = bd.nmods;
  if (bd.nmods) {
    jf->modules = rl_arena_calloc(jf->arena, bd.nmods, sizeof *jf->modules);
    jf->module_lens = rl_arena_calloc(jf->arena, bd.nmods, sizeof *jf->module_lens);
    memcpy(jf->modules, bd.mods, bd.nmods * sizeof *bd.mods);
    memcpy(jf->module_lens, bd.modlens, bd.nmods * sizeof *bd.modlens);
  }
  free(bd.v);
  free(bd.mods);
  free(bd.modlens);
  free(bd.sc);
}

/* The declaration that identifier ident sees (its scope's first when the
 * scope declares the name twice), or NULL if none: a global, or the name is
 * not an identifier. */
static const binding *visible(rl_jsfile *jf, TSNode ident) {
  if (!type_is(ident, "identifier") && !type_is(ident, "shorthand_property_identifier")) return NULL;
  size_t len;
  const char *name = rl_js_text(jf, ident, &len);
  build_symbols(jf);
  if (!jf->tab || len == 0) return NULL;
  name_ent *e = slot(jf->tab, jf->cap, name, len);
  return e->name ? visible_at(jf, e, ts_node_start_byte(ident)) : NULL;
}

/* 1 if a declaration of the name is seen at ident (even an ambiguous one): a
 * global such as Math or process is only trusted where nothing shadows it. */
static int is_declared(rl_jsfile *jf, TSNode ident) { return visible(jf, ident) != NULL; }

/* The one declaration ident sees, or NULL if none or ambiguous. */
static const binding *lookup_node(rl_jsfile *jf, TSNode ident) {
  const binding *b = visible(jf, ident);
  return b && !b->shared ? b : NULL;
}

/* A binding whose value cannot change after its declaration. */
static int is_stable(const binding *b) {
  if (b->writes) return 0;
  return b->kind == B_CONST || b->kind == B_IMPORT || b->kind == B_LET || b->kind == B_VAR;
}

TSNode rl_js_const_init(rl_jsfile *jf, TSNode ident) {
  const binding *b = lookup_node(jf, ident);
  if (!b || b->destructured || ts_node_is_null(b->init)) return null_node();
  /* `var opentok = new OpenTok(k, s)`, never assigned again, is a const in
   * all but name: older Node code writes var (and let) for every binding. */
  if (b->kind != B_CONST && !((b->kind == B_LET || b->kind == B_VAR) && !b->writes)) return null_node();
  return b->init;
}

TSNode rl_js_nearest_init(rl_jsfile *jf, TSNode ident, TSNode *block) {
  if (block) *block = null_node();
  const binding *b = lookup_node(jf, ident);
  if (!b || b->destructured || ts_node_is_null(b->init)) return null_node();
  if (b->kind != B_CONST && b->kind != B_LET && b->kind != B_VAR) return null_node();
  if (block) *block = b->scope;
  return b->init;
}

/* Bindings are scoped, so the declaration a use sees is its block's already:
 * the same answer as rl_js_const_init. */
TSNode rl_js_local_init(rl_jsfile *jf, TSNode ident) { return rl_js_const_init(jf, ident); }

/* What `this.<name>` holds in a class, per class body: built by one pass
 * over the body on the first question about it (a class with many
 * `this.x` reads was walked once per read). Open addressing on the body's
 * id and the name; an entry with no name marks a body already read. The
 * first assignment kept wins: fields first (their initialisers run before
 * the constructor body), then the constructor, then the other methods: the
 * constructor is where real code sets what its methods use (`this.baseUrl`,
 * `this.sdk = new HMSSDK()`). Nested classes have their own `this`. */
typedef struct this_ent {
  const void *body; /* NULL: empty slot */
  const char *name; /* NULL: the body's "read" mark */
  size_t len;
  TSNode value;
} this_ent;

static size_t this_hash(const void *body, const char *name, size_t len) {
  uint64_t h = (uint64_t)(uintptr_t)body * 0x9E3779B97F4A7C15ull;
  for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)name[i]) * 0x100000001B3ull;
  return (size_t)(h ^ h >> 29);
}

static this_ent *this_slot(this_ent *tab, size_t cap, const void *body, const char *name, size_t len) {
  size_t i = this_hash(body, name, len) & (cap - 1);
  while (tab[i].body && !(tab[i].body == body && tab[i].len == len && (tab[i].name == NULL) == (name == NULL) &&
                          (!name || memcmp(tab[i].name, name, len) == 0)))
    i = (i + 1) & (cap - 1);
  return &tab[i];
}

static const this_ent *this_find(const rl_jsfile *jf, TSNode body, const char *name, size_t len) {
  if (!jf->this_cap) return NULL;
  const this_ent *e = this_slot(jf->this_tab, jf->this_cap, body.id, name, len);
  return e->body ? e : NULL;
}

/* Keeps name -> value unless the body already has that name. */
static void this_keep(rl_jsfile *jf, TSNode body, const char *name, size_t len, TSNode value) {
  if (this_find(jf, body, name, len)) return;
  if (2 * (jf->this_n + 1) > jf->this_cap) {
    size_t cap = jf->this_cap ? 2 * jf->this_cap : 32;
    this_ent *tab = rl_arena_calloc(jf->arena, cap, sizeof *tab);
    for (size_t i = 0; i < jf->this_cap; i++)
      if (jf->this_tab[i].body)
        *this_slot(tab, cap, jf->this_tab[i].body, jf->this_tab[i].name, jf->this_tab[i].len) = jf->this_tab[i];
    jf->this_tab = tab;
    jf->this_cap = cap;
  }
  this_ent *e = this_slot(jf->this_tab, jf->this_cap, body.id, name, len);
  e->body = body.id;
  e->name = name;
  e->len = len;
  e->value = value;
  jf->this_n++;
}

typedef struct this_assign {
  rl_jsfile *jf;
  TSNode body;
} this_assign;

static int this_assign_visit(void *data, TSNode n) {
  this_assign *f = data;
  if (type_is(n, "class_declaration") || type_is(n, "class")) return 1;
  if (!type_is(n, "assignment_expression")) return 0;
  TSNode left = rl_js_unwrap(field(n, "left"));
  if (!type_is(left, "member_expression") || !type_is(rl_js_unwrap(field(left, "object")), "this")) return 0;
  size_t pl;
  const char *p = rl_js_text(f->jf, field(left, "property"), &pl);
  TSNode value = field(n, "right");
  if (pl && !ts_node_is_null(value)) this_keep(f->jf, f->body, p, pl, value);
  return 0;
}

/* Outside a class: the `this.<name> = v` that runs before `use` in the
 * function whose `this` it is (arrow functions have their enclosing one's;
 * the module's top level too), nested functions and classes skipped. */
typedef struct this_before {
  rl_jsfile *jf;
  const char *name;
  size_t len;
  TSNode value;
  uint32_t before;
} this_before;

static int this_before_visit(void *data, TSNode n) {
  this_before *f = data;
  if (ts_node_start_byte(n) >= f->before) return -1;
  const char *t = ts_node_type(n);
  if ((is_function_type(t) && strcmp(t, "arrow_function") != 0) || !strcmp(t, "class_declaration") ||
      !strcmp(t, "class"))
    return 1;
  if (!type_is(n, "assignment_expression") || ts_node_end_byte(n) > f->before) return 0;
  TSNode left = rl_js_unwrap(field(n, "left"));
  if (!type_is(left, "member_expression") || !type_is(rl_js_unwrap(field(left, "object")), "this")) return 0;
  if (!rl_js_text_eq(f->jf, field(left, "property"), f->name, f->len)) return 0;
  f->value = field(n, "right");
  return ts_node_is_null(f->value) ? 0 : -1;
}

static TSNode this_in_function(rl_jsfile *jf, TSNode member, const char *name, size_t len) {
  TSNode scope = rl_js_parent(member);
  while (!ts_node_is_null(scope)) {
    const char *t = ts_node_type(scope);
    if (is_function_type(t) && strcmp(t, "arrow_function") != 0) break;
    scope = rl_js_parent(scope);
  }
  if (ts_node_is_null(scope)) scope = jf->root;
  this_before f = {jf, name, len, null_node(), ts_node_start_byte(member)};
  TSNode body = field(scope, "body");
  rl_js_walk(ts_node_is_null(body) ? scope : body, this_before_visit, &f);
  return f.value;
}

static void this_read_body(rl_jsfile *jf, TSNode body) {
  this_keep(jf, body, NULL, 0, null_node());
  uint32_t n = ts_node_named_child_count(body);
  for (uint32_t i = 0; i < n; i++) {
    TSNode c = ts_node_named_child(body, i);
    if (!type_is(c, "field_definition") && !type_is(c, "public_field_definition")) continue;
    size_t kl;
    const char *k = rl_js_text(jf, field(c, type_is(c, "field_definition") ? "property" : "name"), &kl);
    TSNode v = field(c, "value");
    /* `private sdk: HMSSDK;` has no value: the constructor sets it */
    if (kl && !ts_node_is_null(v)) this_keep(jf, body, k, kl, v);
  }
  this_assign f = {jf, body};
  for (int pass = 0; pass < 2; pass++) {
    for (uint32_t i = 0; i < n; i++) {
      TSNode c = ts_node_named_child(body, i);
      if (!type_is(c, "method_definition")) continue;
      TSNode name = field(c, "name");
      int ctor = !ts_node_is_null(name) && rl_js_text_is(jf, name, "constructor");
      if (ctor != (pass == 0)) continue;
      TSNode b = field(c, "body");
      if (!ts_node_is_null(b)) rl_js_walk(b, this_assign_visit, &f);
    }
  }
}

TSNode rl_js_this_member(rl_jsfile *jf, TSNode member) {
  member = rl_js_unwrap(member);
  if (!type_is(member, "member_expression") || !type_is(rl_js_unwrap(field(member, "object")), "this"))
    return null_node();
  TSNode body = rl_js_parent(member);
  while (!ts_node_is_null(body) && !type_is(body, "class_body")) body = rl_js_parent(body);
  if (ts_node_is_null(body)) return null_node();
  size_t len;
  const char *name = rl_js_text(jf, field(member, "property"), &len);
  if (len == 0) return null_node();
  if (!this_find(jf, body, NULL, 0)) this_read_body(jf, body);
  const this_ent *e = this_find(jf, body, name, len);
  return e ? e->value : null_node();
}

TSNode rl_js_this_value(rl_jsfile *jf, TSNode member) {
  TSNode v = rl_js_this_member(jf, member);
  if (!ts_node_is_null(v)) return v;
  member = rl_js_unwrap(member);
  if (!type_is(member, "member_expression") || !type_is(rl_js_unwrap(field(member, "object")), "this")) return v;
  for (TSNode p = rl_js_parent(member); !ts_node_is_null(p); p = rl_js_parent(p))
    if (type_is(p, "class_body")) return v;
  size_t len;
  const char *name = rl_js_text(jf, field(member, "property"), &len);
  return len ? this_in_function(jf, member, name, len) : v;
}

int rl_js_imports(rl_jsfile *jf, const char *module) {
  build_symbols(jf);
  size_t ml = strlen(module);
  for (size_t i = 0; i < jf->nmodules; i++) {
    const char *m = jf->modules[i];
    size_t l = jf->module_lens[i];
    if (l == ml && !memcmp(m, module, ml)) return 1;
    if (l > ml && !memcmp(m, module, ml) && m[ml] == '/') return 1;
  }
  return 0;
}

void rl_jsfile_set_imports(rl_jsfile *jf, rl_js_import_fn fn, void *data) {
  jf->import_fn = fn;
  jf->import_data = data;
}

const struct rl_symbol *rl_js_imported(rl_jsfile *jf, TSNode expr) {
  const rl_symbol *s = rl_js_imported_symbol(jf, expr);
  return s && s->kind == RL_SYM_CONST ? s : NULL;
}

const struct rl_symbol *rl_js_imported_symbol(rl_jsfile *jf, TSNode expr) {
  if (!jf->import_fn) return NULL;
  TSNode n = rl_js_unwrap(expr);
  if (!type_is(n, "identifier") && !type_is(n, "member_expression") && !type_is(n, "subscript_expression")) return NULL;
  /* the name's base must be an import or require of this file */
  TSNode base = n;
  for (int i = 0; i < RESOLVE_MAX_SEGS && (type_is(base, "member_expression") || type_is(base, "subscript_expression"));
       i++)
    base = rl_js_unwrap(field(base, "object"));
  if (!type_is(base, "identifier")) return NULL;
  const binding *b = lookup_node(jf, base);
  if (!b || b->writes || !(b->kind == B_IMPORT || (b->kind == B_CONST && !ts_node_is_null(b->init)))) return NULL;
  const char *canon = rl_js_resolve(jf, n);
  /* the longest module of the file that canon starts with, then ':' */
  size_t best = 0, cl = canon ? strlen(canon) : 0;
  for (size_t i = 0; i < jf->nmodules; i++) {
    size_t l = jf->module_lens[i];
    if (l > best && l < cl && canon[l] == ':' && !memcmp(canon, jf->modules[i], l)) best = l;
  }
  if (!best) return NULL;
  return jf->import_fn(jf->import_data, rl_arena_strndup(jf->arena, canon, best), canon + best + 1);
}

typedef struct result_use {
  rl_jsfile *jf;
  const char *name; /* the name the result is bound to */
  size_t len;
  const char *const *methods;
  TSNode found;
} result_use;

static int method_in(rl_jsfile *jf, TSNode prop, const char *const *methods) {
  for (size_t i = 0; methods[i]; i++)
    if (rl_js_text_is(jf, prop, methods[i])) return 1;
  return 0;
}

/* The first argument of call when it is a value (not a callback). */
static TSNode value_arg0(TSNode call) {
  TSNode a = rl_js_call_arg(call, 0);
  return ts_node_is_null(a) || rl_js_is_function(rl_js_unwrap(a)) ? null_node() : a;
}

static int result_use_visit(void *data, TSNode n) {
  result_use *u = data;
  if (!type_is(n, "call_expression")) return 0;
  TSNode fn = rl_js_unwrap(field(n, "function"));
  if (!type_is(fn, "member_expression") || !method_in(u->jf, field(fn, "property"), u->methods)) return 0;
  TSNode obj = rl_js_unwrap(field(fn, "object"));
  if (!type_is(obj, "identifier") || !rl_js_text_eq(u->jf, obj, u->name, u->len)) return 0;
  TSNode a = value_arg0(n);
  if (ts_node_is_null(a)) return 0;
  u->found = a;
  return -1;
}

TSNode rl_js_result_method_arg(rl_jsfile *jf, TSNode call, const char *const *methods) {
  TSNode up = rl_js_parent(call);
  if (type_is(up, "member_expression")) {
    TSNode c = rl_js_parent(up);
    if (!method_in(jf, field(up, "property"), methods) || !type_is(c, "call_expression")) return null_node();
    return value_arg0(c);
  }
  if (!type_is(up, "variable_declarator") || !type_is(field(up, "name"), "identifier")) return null_node();
  result_use u = {jf, NULL, 0, methods, null_node()};
  u.name = rl_js_text(jf, field(up, "name"), &u.len);
  TSNode scope = rl_js_enclosing_function(up);
  rl_js_walk(ts_node_is_null(scope) ? rl_jsfile_root(jf) : field(scope, "body"), result_use_visit, &u);
  return u.found;
}

TSNode rl_js_call_arg(TSNode call, uint32_t i) {
  if (ts_node_is_null(call)) return call;
  TSNode args = field(call, "arguments");
  if (!type_is(args, "arguments")) return null_node();
  kids k;
  TSNode c, r = null_node();
  uint32_t idx = 0;
  kids_init(&k, args);
  while (kids_next(&k, &c)) {
    if (idx++ == i) {
      r = c;
      break;
    }
  }
  kids_done(&k);
  return r;
}

/* ---- answers, once per node ----------------------------------------------------- */

/* What rl_js_resolve, rl_js_eval_number and rl_js_eval_string said about a
 * node, kept for the file: every rule that asks about a node again (and
 * several do, about the same call or chain) gets the answer without a second
 * walk, so each node is resolved or folded once per file. Each question
 * starts afresh at its node (no hops spent), so the answer depends on the
 * node alone. Open addressing on the node's id and start byte. */
enum { ASK_RESOLVE = 1, ASK_NUMBER, ASK_STRING };

typedef struct answer {
  const void *id; /* NULL: empty slot */
  uint32_t start;
  int kind;
  int ok;
  double num;
  const char *s;
  size_t len;
} answer;

static size_t answer_hash(const void *id, uint32_t start, int kind) {
  uint64_t h = (uint64_t)(uintptr_t)id * 0x9E3779B97F4A7C15ull ^ ((uint64_t)start << 3 | (uint64_t)kind);
  return (size_t)(h ^ h >> 29);
}

static answer *answer_slot(answer *tab, size_t cap, const void *id, uint32_t start, int kind) {
  size_t i = answer_hash(id, start, kind) & (cap - 1);
  while (tab[i].id && !(tab[i].id == id && tab[i].start == start && tab[i].kind == kind)) i = (i + 1) & (cap - 1);
  return &tab[i];
}

/* The stored answer about n, or NULL. */
static const answer *answer_find(const rl_jsfile *jf, TSNode n, int kind) {
  if (!jf->answers_cap) return NULL;
  const answer *a = answer_slot(jf->answers, jf->answers_cap, n.id, ts_node_start_byte(n), kind);
  return a->id ? a : NULL;
}

static void answer_keep(rl_jsfile *jf, TSNode n, int kind, const answer *value) {
  if (2 * (jf->nanswers + 1) > jf->answers_cap) {
    size_t cap = jf->answers_cap ? 2 * jf->answers_cap : 64;
    answer *tab = rl_arena_calloc(jf->arena, cap, sizeof *tab);
    for (size_t i = 0; i < jf->answers_cap; i++)
      if (jf->answers[i].id)
        *answer_slot(tab, cap, jf->answers[i].id, jf->answers[i].start, jf->answers[i].kind) = jf->answers[i];
    jf->answers = tab;
    jf->answers_cap = cap;
  }
  answer *a = answer_slot(jf->answers, jf->answers_cap, n.id, ts_node_start_byte(n), kind);
  *a = *value;
  a->id = n.id;
  a->start = ts_node_start_byte(n);
  a->kind = kind;
  jf->nanswers++;
}

/* ---- names ---------------------------------------------------------------------- */

/* Canonical name (see analysis.h). Walks a member chain from the outside in,
 * collecting property names, and follows imports, requires, const aliases
 * and destructuring at its base, at most MAX_HOPS times. */
static const char *resolve(rl_jsfile *jf, TSNode expr);

const char *rl_js_resolve(rl_jsfile *jf, TSNode expr) {
  if (ts_node_is_null(expr)) return resolve(jf, expr);
  const answer *known = answer_find(jf, expr, ASK_RESOLVE);
  if (known) return known->s;
  answer a = {0};
  a.s = resolve(jf, expr);
  answer_keep(jf, expr, ASK_RESOLVE, &a);
  return a.s;
}

static const char *resolve(rl_jsfile *jf, TSNode expr) {
  const char *segs[RESOLVE_MAX_SEGS]; /* outermost first */
  size_t seglens[RESOLVE_MAX_SEGS];
  size_t nsegs = 0;
  const char *base = NULL; /* "m:" for modules, else dotted text */
  size_t baselen = 0;
  int is_module = 0;
  int hops = 0;
  TSNode n = rl_js_unwrap(expr);

  for (;;) {
    if (ts_node_is_null(n) || rl_jsfile_step(jf, 1)) return NULL;
    const char *t = ts_node_type(n);
    if (!strcmp(t, "member_expression") || !strcmp(t, "subscript_expression")) {
      const char *p;
      size_t pl;
      if (!strcmp(t, "member_expression")) {
        TSNode prop = field(n, "property");
        if (ts_node_is_null(prop)) return NULL;
        p = rl_js_text(jf, prop, &pl);
      } else if (!rl_js_string_value(jf, field(n, "index"), &p, &pl)) {
        return NULL; /* computed member */
      }
      if (nsegs == RESOLVE_MAX_SEGS) return NULL;
      segs[nsegs] = p;
      seglens[nsegs++] = pl;
      n = rl_js_unwrap(field(n, "object"));
      continue;
    }
    const char *mod;
    size_t ml;
    if (is_require_call(jf, n, &mod, &ml)) {
      base = mod;
      baselen = ml;
      is_module = 1;
      break;
    }
    if (!strcmp(t, "identifier")) {
      const binding *b = lookup_node(jf, n);
      if (b && b->kind == B_IMPORT && b->canon && !b->writes) {
        base = b->canon;
        baselen = strlen(b->canon);
        is_module = 2; /* canon already has "m:" or "m:name" */
        break;
      }
      if (b && is_stable(b) && !ts_node_is_null(b->init) && hops < MAX_HOPS) {
        TSNode init = rl_js_unwrap(b->init);
        const char *it = ts_node_type(init);
        int chain = !strcmp(it, "identifier") || !strcmp(it, "member_expression") ||
                    !strcmp(it, "subscript_expression") || is_require_call(jf, init, &mod, &ml);
        /* An alias (a require too) may be bound by any declaration that is
         * never written (is_stable): `var AccessToken =
         * require('twilio').jwt.AccessToken` in older Node code. */
        int ok = b->destructured ? b->path_ok : 1;
        if (chain && ok) {
          if (b->destructured) {
            if (nsegs == RESOLVE_MAX_SEGS) return NULL;
            segs[nsegs] = b->path;
            seglens[nsegs++] = strlen(b->path);
          }
          hops++;
          n = init;
          continue;
        }
      }
      if (hops >= MAX_HOPS) return NULL;
      base = rl_js_text(jf, n, &baselen);
      break;
    }
    if (!strcmp(t, "this") || !strcmp(t, "super") || !strcmp(t, "meta_property")) {
      base = rl_js_text(jf, n, &baselen);
      break;
    }
    return NULL;
  }

  rl_buf b = {0};
  rl_buf_put(&b, base, baselen);
  if (is_module == 1) rl_buf_putc(&b, ':');
  size_t i = nsegs;
  /* "m:" + default is the module object itself (CommonJS interop). */
  if (is_module && i > 0 && b.len && b.ptr[b.len - 1] == ':' && seglens[i - 1] == 7 &&
      !memcmp(segs[i - 1], "default", 7))
    i--;
  int first = is_module && b.len && b.ptr[b.len - 1] == ':';
  while (i > 0) {
    i--;
    if (!first) rl_buf_putc(&b, '.');
    first = 0;
    rl_buf_put(&b, segs[i], seglens[i]);
  }
  const char *r = rl_arena_strndup(jf->arena, b.ptr ? b.ptr : "", b.len);
  rl_buf_free(&b);
  return r;
}

const char *rl_js_callee(rl_jsfile *jf, TSNode call) {
  call = rl_js_unwrap(call);
  if (type_is(call, "call_expression")) return rl_js_resolve(jf, field(call, "function"));
  if (type_is(call, "new_expression")) return rl_js_resolve(jf, field(call, "constructor"));
  return NULL;
}

/* ---- evaluation ------------------------------------------------------------------- */

typedef struct ev_frame {
  TSNode n;
  uint32_t stage;
  uint32_t hops;
} ev_frame;

typedef struct ev_val {
  double num;
  const char *s;
  size_t len;
} ev_val;

typedef struct ev {
  rl_jsfile *jf;
  int strings; /* 1: evaluating strings, 0: numbers */
  ev_frame fr[EV_MAX_FRAMES];
  size_t nfr;
  ev_val val[EV_MAX_FRAMES];
  size_t nval;
  unsigned steps;
} ev;

static int ev_push(ev *e, TSNode n, uint32_t hops) {
  if (e->nfr == EV_MAX_FRAMES) return 0;
  e->fr[e->nfr++] = (ev_frame){rl_js_unwrap(n), 0, hops};
  return 1;
}

static int ev_result(ev *e, ev_val v) {
  if (e->nval == EV_MAX_FRAMES) return 0;
  e->val[e->nval++] = v;
  e->nfr--;
  return 1;
}

static int parse_number(const char *t, size_t len, double *out) {
  char buf[128];
  size_t w = 0;
  if (len == 0 || len >= sizeof buf) return 0;
  for (size_t i = 0; i < len; i++)
    if (t[i] != '_') buf[w++] = t[i];
  buf[w] = '\0';
  if (w && buf[w - 1] == 'n') return 0; /* BigInt */
  char *end = NULL;
  if (w > 2 && buf[0] == '0' &&
      (buf[1] == 'x' || buf[1] == 'X' || buf[1] == 'o' || buf[1] == 'O' || buf[1] == 'b' || buf[1] == 'B')) {
    int base = (buf[1] == 'x' || buf[1] == 'X') ? 16 : (buf[1] == 'o' || buf[1] == 'O') ? 8 : 2;
    unsigned long long v = strtoull(buf + 2, &end, base);
    if (*end) return 0;
    *out = (double)v;
    return 1;
  }
  double d = strtod(buf, &end);
  if (*end || end == buf) return 0;
  *out = d;
  return 1;
}

static int math_fn(rl_jsfile *jf, TSNode call) {
  TSNode fn = rl_js_unwrap(field(call, "function"));
  if (!type_is(fn, "member_expression")) return 0;
  TSNode obj = rl_js_unwrap(field(fn, "object"));
  if (!type_is(obj, "identifier") || !rl_js_text_is(jf, obj, "Math") || is_declared(jf, obj)) return 0;
  const char *name = rl_js_callee(jf, call);
  if (!name) return 0;
  if (!strcmp(name, "Math.floor")) return 'f';
  if (!strcmp(name, "Math.ceil")) return 'c';
  if (!strcmp(name, "Math.round")) return 'r';
  if (!strcmp(name, "Math.trunc")) return 't';
  return 0;
}

/* Rounding without libm (the core library does not link it). */
static double num_trunc(double x) {
  double ax = x < 0 ? -x : x;
  if (!(ax < 4503599627370496.0)) return x; /* 2^52: already integral (or NaN) */
  return (double)(long long)x;
}

static double num_floor(double x) {
  double t = num_trunc(x);
  return t > x ? t - 1 : t;
}

static double num_ceil(double x) {
  double t = num_trunc(x);
  return t < x ? t + 1 : t;
}

static int binop_num(const char *op, double a, double b, double *r) {
  if (!strcmp(op, "+")) {
    *r = a + b;
  } else if (!strcmp(op, "-")) {
    *r = a - b;
  } else if (!strcmp(op, "*")) {
    *r = a * b;
  } else if (!strcmp(op, "/")) {
    if (b == 0) return 0;
    *r = a / b;
  } else if (!strcmp(op, "%")) {
    if (b == 0) return 0;
    *r = a - num_trunc(a / b) * b;
  } else if (!strcmp(op, "**")) {
    /* Integer exponents only; anything else is left unknown. */
    if (b != num_trunc(b) || b > 1024 || b < -1024) return 0;
    double base = a, acc = 1;
    long long e = (long long)(b < 0 ? -b : b);
    while (e) {
      if (e & 1) acc *= base;
      base *= base;
      e >>= 1;
    }
    *r = b < 0 ? 1 / acc : acc;
  } else {
    return 0;
  }
  return isfinite(*r);
}

/* A constant another file exports (the project model folded it there). */
static int ev_imported(ev *e, TSNode n) {
  const rl_symbol *x = rl_js_imported(e->jf, n);
  if (!x) return 0;
  ev_val v = {0, NULL, 0};
  if (e->strings) {
    if (!x->string) return 0;
    v.s = x->string;
    v.len = x->string_len;
  } else {
    if (!x->has_number) return 0;
    v.num = x->number;
  }
  return ev_result(e, v);
}

/* One step on the top frame: 1 to go on, 0 if the value is unknown. */
static int ev_step(ev *e) {
  rl_jsfile *jf = e->jf;
  ev_frame *f = &e->fr[e->nfr - 1];
  TSNode n = f->n;
  if (ts_node_is_null(n)) return 0;
  const char *t = ts_node_type(n);

  if (!strcmp(t, "identifier")) {
    if (f->hops >= MAX_HOPS) return 0;
    TSNode init = rl_js_const_init(jf, n);
    if (ts_node_is_null(init)) return ev_imported(e, n);
    f->n = rl_js_unwrap(init);
    f->hops++;
    return 1;
  }
  if (!strcmp(t, "member_expression") || !strcmp(t, "subscript_expression")) return ev_imported(e, n);

  if (e->strings) {
    if (!strcmp(t, "string")) {
      ev_val v = {0, NULL, 0};
      if (!rl_js_string_value(jf, n, &v.s, &v.len)) return 0;
      return ev_result(e, v);
    }
    if (!strcmp(t, "template_string")) {
      /* stage k: k substitutions evaluated so far */
      kids k;
      TSNode c, sub = null_node();
      uint32_t idx = 0;
      kids_init(&k, n);
      while (kids_next(&k, &c)) {
        if (!type_is(c, "template_substitution")) continue;
        if (idx++ == f->stage) {
          sub = c;
          break;
        }
      }
      kids_done(&k);
      if (!ts_node_is_null(sub)) {
        TSNode inner = first_named(sub);
        uint32_t hops = f->hops;
        f->stage++;
        return ev_push(e, inner, hops);
      }
      /* All substitutions known: splice them into the static text. */
      uint32_t nsubs = f->stage;
      if (e->nval < nsubs) return 0;
      ev_val *vals = &e->val[e->nval - nsubs];
      rl_buf b = {0};
      uint32_t pos = ts_node_start_byte(n) + 1, j = 0;
      kids_init(&k, n);
      while (kids_next(&k, &c)) {
        if (!type_is(c, "template_substitution")) continue;
        size_t l;
        const char *piece = decode_range(jf, pos, ts_node_start_byte(c), 1, 0, &l);
        rl_buf_put(&b, piece, l);
        rl_buf_put(&b, vals[j].s, vals[j].len);
        j++;
        pos = ts_node_end_byte(c);
      }
      kids_done(&k);
      size_t l;
      const char *tail = decode_range(jf, pos, ts_node_end_byte(n) - 1, 1, 0, &l);
      rl_buf_put(&b, tail, l);
      ev_val v = {0, rl_arena_strndup(jf->arena, b.ptr ? b.ptr : "", b.len), b.len};
      rl_buf_free(&b);
      e->nval -= nsubs;
      return ev_result(e, v);
    }
    if (!strcmp(t, "binary_expression")) {
      TSNode op = field(n, "operator");
      if (!rl_js_text_is(jf, op, "+")) return 0;
      uint32_t hops = f->hops;
      if (f->stage == 0) {
        f->stage = 1;
        return ev_push(e, field(n, "left"), hops);
      }
      if (f->stage == 1) {
        f->stage = 2;
        return ev_push(e, field(n, "right"), hops);
      }
      if (e->nval < 2) return 0;
      ev_val a = e->val[e->nval - 2], b2 = e->val[e->nval - 1];
      char *s = rl_arena_alloc(jf->arena, a.len + b2.len + 1);
      memcpy(s, a.s, a.len);
      memcpy(s + a.len, b2.s, b2.len);
      e->nval -= 2;
      return ev_result(e, (ev_val){0, s, a.len + b2.len});
    }
    return 0;
  }

  /* numbers */
  if (!strcmp(t, "number")) {
    size_t l;
    const char *txt = rl_js_text(jf, n, &l);
    ev_val v = {0, NULL, 0};
    if (!parse_number(txt, l, &v.num)) return 0;
    return ev_result(e, v);
  }
  if (!strcmp(t, "unary_expression")) {
    TSNode op = field(n, "operator");
    int neg = rl_js_text_is(jf, op, "-");
    if (!neg && !rl_js_text_is(jf, op, "+")) return 0;
    if (f->stage == 0) {
      f->stage = 1;
      return ev_push(e, field(n, "argument"), f->hops);
    }
    if (e->nval < 1) return 0;
    ev_val v = e->val[--e->nval];
    if (neg) v.num = -v.num;
    return ev_result(e, v);
  }
  if (!strcmp(t, "binary_expression")) {
    uint32_t hops = f->hops;
    if (f->stage == 0) {
      f->stage = 1;
      return ev_push(e, field(n, "left"), hops);
    }
    if (f->stage == 1) {
      f->stage = 2;
      return ev_push(e, field(n, "right"), hops);
    }
    if (e->nval < 2) return 0;
    size_t ol;
    const char *op = rl_js_text(jf, field(n, "operator"), &ol);
    char opbuf[4];
    if (ol == 0 || ol >= sizeof opbuf) return 0;
    memcpy(opbuf, op, ol);
    opbuf[ol] = '\0';
    ev_val r = {0, NULL, 0};
    if (!binop_num(opbuf, e->val[e->nval - 2].num, e->val[e->nval - 1].num, &r.num)) return 0;
    e->nval -= 2;
    return ev_result(e, r);
  }
  if (!strcmp(t, "call_expression")) {
    int fn = math_fn(jf, n);
    if (!fn || ts_node_is_null(rl_js_call_arg(n, 0)) || !ts_node_is_null(rl_js_call_arg(n, 1))) return 0;
    if (f->stage == 0) {
      f->stage = 1;
      return ev_push(e, rl_js_call_arg(n, 0), f->hops);
    }
    if (e->nval < 1) return 0;
    ev_val v = e->val[--e->nval];
    switch (fn) {
    case 'f': v.num = num_floor(v.num); break;
    case 'c': v.num = num_ceil(v.num); break;
    case 'r': v.num = num_floor(v.num + 0.5); break; /* JS rounds .5 up */
    default: v.num = num_trunc(v.num); break;
    }
    return ev_result(e, v);
  }
  return 0;
}

static int ev_run(rl_jsfile *jf, TSNode expr, int strings, ev_val *out) {
  ev *e = rl_xmalloc(sizeof *e);
  int ok = 0;
  e->jf = jf;
  e->strings = strings;
  e->nfr = 0;
  e->nval = 0;
  e->steps = 0;
  if (!ev_push(e, expr, 0)) goto cleanup;
  while (e->nfr > 0) {
    if (++e->steps > EV_MAX_STEPS || rl_jsfile_step(jf, 1) || !ev_step(e)) goto cleanup;
  }
  if (e->nval != 1) goto cleanup;
  *out = e->val[0];
  ok = 1;
cleanup:
  free(e);
  return ok;
}

/* ev_run once per node and mode (see "answers, once per node"). */
static int ev_answer(rl_jsfile *jf, TSNode expr, int strings, ev_val *out) {
  if (ts_node_is_null(expr)) return ev_run(jf, expr, strings, out);
  int kind = strings ? ASK_STRING : ASK_NUMBER;
  const answer *known = answer_find(jf, expr, kind);
  answer a = {0};
  if (known) {
    a = *known;
  } else {
    ev_val v;
    a.ok = ev_run(jf, expr, strings, &v);
    if (a.ok) {
      a.num = v.num;
      a.s = v.s;
      a.len = v.len;
    }
    answer_keep(jf, expr, kind, &a);
  }
  if (!a.ok) return 0;
  memset(out, 0, sizeof *out);
  out->num = a.num;
  out->s = a.s;
  out->len = a.len;
  return 1;
}

int rl_js_eval_number(rl_jsfile *jf, TSNode expr, double *out) {
  ev_val v;
  if (!ev_answer(jf, expr, 0, &v)) return 0;
  *out = v.num;
  return 1;
}

int rl_js_eval_string(rl_jsfile *jf, TSNode expr, const char **out, size_t *len) {
  ev_val v;
  if (!ev_answer(jf, expr, 1, &v)) return 0;
  *out = v.s;
  *len = v.len;
  return 1;
}

/* ---- objects ------------------------------------------------------------------------ */

int rl_js_pair_key(rl_jsfile *jf, TSNode pair, const char **out, size_t *len) {
  const char *t = ts_node_type(pair);
  if (ts_node_is_null(pair)) return 0;
  if (!strcmp(t, "shorthand_property_identifier") || !strcmp(t, "shorthand_property_identifier_pattern")) {
    *out = rl_js_text(jf, pair, len);
    return 1;
  }
  TSNode key;
  if (!strcmp(t, "pair") || !strcmp(t, "pair_pattern"))
    key = field(pair, "key");
  else if (!strcmp(t, "method_definition"))
    key = field(pair, "name");
  else
    return 0;
  if (type_is(key, "property_identifier") || type_is(key, "number") || type_is(key, "private_property_identifier")) {
    *out = rl_js_text(jf, key, len);
    return 1;
  }
  if (type_is(key, "string")) return rl_js_string_value(jf, key, out, len);
  if (type_is(key, "computed_property_name")) {
    /* ['literal'] is still a static key. */
    TSNode inner = first_named(key);
    return rl_js_string_value(jf, inner, out, len);
  }
  return 0;
}

int rl_js_outer_key(rl_jsfile *jf, TSNode pair, const char **out, size_t *len) {
  if (!type_is(pair, "pair")) return 0;
  TSNode obj = rl_js_parent(pair);
  if (!type_is(obj, "object")) return 0;
  TSNode outer = rl_js_parent(obj);
  return type_is(outer, "pair") && rl_js_pair_key(jf, outer, out, len);
}

TSNode rl_js_object_get(rl_jsfile *jf, TSNode object, const char *key) {
  object = rl_js_unwrap(object);
  if (!type_is(object, "object")) return null_node();
  size_t kl = strlen(key);
  TSNode found = null_node(), c;
  kids k;
  kids_init(&k, object);
  while (kids_next(&k, &c)) {
    const char *ks;
    size_t l;
    if (!rl_js_pair_key(jf, c, &ks, &l) || l != kl || memcmp(ks, key, kl) != 0) continue;
    /* Later properties win, as in JavaScript. */
    if (type_is(c, "pair"))
      found = field(c, "value");
    else
      found = c; /* shorthand identifier, or the method itself */
  }
  kids_done(&k);
  return found;
}

TSNode rl_js_object_of(rl_jsfile *jf, TSNode expr) {
  TSNode n = rl_js_unwrap(expr);
  for (int hops = 0; hops <= MAX_HOPS; hops++) {
    if (type_is(n, "object")) return n;
    if (!type_is(n, "identifier") && !type_is(n, "shorthand_property_identifier")) return null_node();
    const binding *b = lookup_node(jf, n);
    /* An object changed after its literal (opts.expiresIn = ...) is not
     * described by the literal any more. A var never assigned again is a
     * const in all but name (the cors README's `var corsOptions = {...}`). */
    if (!b || b->destructured || b->writes || b->mutations || ts_node_is_null(b->init) ||
        (b->kind != B_CONST && b->kind != B_LET && b->kind != B_VAR))
      return null_node();
    n = rl_js_unwrap(b->init);
  }
  return null_node();
}

/* ---- environment reads ------------------------------------------------------------- */

static int is_process_module(const char *canon) {
  return canon && (!strcmp(canon, "process:") || !strcmp(canon, "node:process:"));
}

/* process.env, import.meta.env, Bun.env; also `process` imported from
 * 'process' / 'node:process' and `import { env } from 'node:process'`. A
 * global shadowed by any other declaration is not trusted. */
static int is_env_object(rl_jsfile *jf, TSNode n) {
  n = rl_js_unwrap(n);
  if (type_is(n, "identifier")) {
    const char *r = rl_js_resolve(jf, n);
    return r && (!strcmp(r, "process:env") || !strcmp(r, "node:process:env"));
  }
  if (!type_is(n, "member_expression")) return 0;
  if (!rl_js_text_is(jf, field(n, "property"), "env")) return 0;
  TSNode obj = rl_js_unwrap(field(n, "object"));
  if (type_is(obj, "identifier")) {
    if (!rl_js_text_is(jf, obj, "process") && !rl_js_text_is(jf, obj, "Bun")) return 0;
    if (!is_declared(jf, obj)) return 1;
    return rl_js_text_is(jf, obj, "process") && is_process_module(rl_js_resolve(jf, obj));
  }
  if (type_is(obj, "meta_property")) return rl_js_text_is(jf, obj, "import.meta");
  return 0;
}

int rl_js_env_fallback(rl_jsfile *jf, TSNode expr, const char **env, size_t *env_len, TSNode *lit) {
  TSNode n = rl_js_unwrap(expr);
  if (!type_is(n, "binary_expression")) return 0;
  TSNode op = field(n, "operator");
  if (!rl_js_text_is(jf, op, "||") && !rl_js_text_is(jf, op, "??")) return 0;
  TSNode l = rl_js_unwrap(field(n, "left")), r = rl_js_unwrap(field(n, "right"));
  if (!type_is(r, "string") && !type_is(r, "template_string")) return 0;
  const char *v;
  size_t vl;
  if (!rl_js_string_value(jf, r, &v, &vl) || vl == 0) return 0;
  /* process.env.A || process.env.B || 'x': the first variable names it */
  for (int hops = 0; hops < 4 && type_is(l, "binary_expression"); hops++) {
    TSNode lo = field(l, "operator");
    if (!rl_js_text_is(jf, lo, "||") && !rl_js_text_is(jf, lo, "??")) return 0;
    const char *e2;
    size_t el2;
    if (!rl_js_env_read(jf, field(l, "right"), &e2, &el2)) return 0;
    l = rl_js_unwrap(field(l, "left"));
  }
  if (!rl_js_env_read(jf, l, env, env_len)) return 0;
  *lit = r;
  return 1;
}

int rl_js_env_read(rl_jsfile *jf, TSNode expr, const char **name, size_t *len) {
  TSNode n = rl_js_unwrap(expr);
  if (type_is(n, "member_expression")) {
    if (!is_env_object(jf, field(n, "object"))) return 0;
    TSNode prop = field(n, "property");
    if (!type_is(prop, "property_identifier")) return 0;
    *name = rl_js_text(jf, prop, len);
    return 1;
  }
  if (type_is(n, "subscript_expression")) {
    if (!is_env_object(jf, field(n, "object"))) return 0;
    return rl_js_eval_string(jf, field(n, "index"), name, len);
  }
  if (type_is(n, "call_expression")) {
    /* Deno.env.get('X') */
    TSNode fn = rl_js_unwrap(field(n, "function"));
    if (!type_is(fn, "member_expression") || !rl_js_text_is(jf, field(fn, "property"), "get")) return 0;
    TSNode envobj = rl_js_unwrap(field(fn, "object"));
    if (!type_is(envobj, "member_expression") || !rl_js_text_is(jf, field(envobj, "property"), "env")) return 0;
    TSNode deno = rl_js_unwrap(field(envobj, "object"));
    if (!type_is(deno, "identifier") || !rl_js_text_is(jf, deno, "Deno") || is_declared(jf, deno)) return 0;
    return rl_js_eval_string(jf, rl_js_call_arg(n, 0), name, len);
  }
  if (type_is(n, "identifier")) {
    /* const { X } = process.env;  X */
    const binding *b = lookup_node(jf, n);
    if (!b || !b->destructured || !b->path_ok || b->kind != B_CONST || !b->path || strchr(b->path, '.') ||
        !is_env_object(jf, b->init))
      return 0;
    *name = b->path;
    *len = strlen(b->path);
    return 1;
  }
  return 0;
}

/* ---- secret names ------------------------------------------------------------------ */

#define MAX_PARTS 16
#define MAX_PART_LEN 64
#define MAX_COUNTER 4

static int is_lower(char c) { return c >= 'a' && c <= 'z'; }
static int is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_alpha(char c) { return is_lower(c) || is_upper(c); }
static int is_alnum(char c) { return is_alpha(c) || is_digit(c); }

static int emit_word(const char *w, size_t n, rl_word_cb cb, void *data) {
  char buf[MAX_PART_LEN];
  if (n >= sizeof buf) n = sizeof buf - 1; /* a longer word still ends the name */
  for (size_t i = 0; i < n; i++) buf[i] = (char)rl_ascii_lower((unsigned char)w[i]);
  buf[n] = '\0';
  return cb(data, buf, n);
}

int rl_name_words(const char *name, size_t len, rl_word_cb cb, void *data) {
  size_t i = 0;
  while (i < len) {
    while (i < len && !is_alnum(name[i])) i++;
    size_t start = i;
    while (i < len && is_alnum(name[i])) {
      size_t j = i + 1;
      if (j < len && is_upper(name[j])) {
        /* appSecret, s3Secret: lower or digit -> Upper; JWTSecret: the S
         * starts a word because a lower-case letter follows it. */
        int boundary = is_lower(name[i]) || is_digit(name[i]) || (j + 1 < len && is_lower(name[j + 1]));
        if (boundary) {
          int rc = emit_word(name + start, j - start, cb, data);
          if (rc) return rc;
          start = j;
        }
      }
      i = j;
    }
    if (i > start) {
      int rc = emit_word(name + start, i - start, cb, data);
      if (rc) return rc;
    }
  }
  return 0;
}

int rl_word_is(const char *word, size_t len, const char *want) {
  size_t wl = strlen(want);
  if (len == wl) return memcmp(word, want, wl) == 0;
  if (len <= wl || len - wl > MAX_COUNTER || memcmp(word, want, wl) != 0 || is_digit(want[wl - 1])) return 0;
  for (size_t i = wl; i < len; i++)
    if (!is_digit(word[i])) return 0;
  return 1;
}

static int word_in(const char *w, size_t n, const char *const *list) {
  for (size_t i = 0; list[i]; i++)
    if (rl_word_is(w, n, list[i])) return 1;
  return 0;
}

static int word_in_list(void *data, const char *word, size_t len) {
  return word_in(word, len, (const char *const *)data);
}

int rl_name_has_word(const char *name, size_t len, const char *const *words) {
  return rl_name_words(name, len, word_in_list, (void *)(uintptr_t)words) == 1;
}

typedef struct parts {
  char p[MAX_PARTS][MAX_PART_LEN];
  size_t len[MAX_PARTS];
  size_t n;
} parts;

static int collect_part(void *data, const char *w, size_t n) {
  parts *ps = data;
  if (ps->n == MAX_PARTS) return 1;
  memcpy(ps->p[ps->n], w, n + 1);
  ps->len[ps->n] = n;
  ps->n++;
  return 0;
}

/* The words of a name (rl_name_words); 0 if it has too many. */
static int split_name(const char *s, size_t n, parts *out) {
  out->n = 0;
  return rl_name_words(s, n, collect_part, out) == 0;
}

/* Part i is `want` or a numbered copy of it (rl_word_is). */
static int part_is(const parts *ps, size_t i, const char *want) { return rl_word_is(ps->p[i], ps->len[i], want); }

static int part_in(const parts *ps, size_t i, const char *const *list) { return word_in(ps->p[i], ps->len[i], list); }

/* Words that may follow the credential word without changing what the name
 * holds: appSecretKey, SECRET_KEY_BASE, secretValue, JWT_SECRET_2, JWT_SECRET_V2. */
static const char *const neutral_tail[] = {"key",  "keys",       "value",     "val",  "str",   "string", "text",
                                           "b64",  "base64",     "hex",       "raw",  "bytes", "pem",    "base",
                                           "prod", "production", "dev",       "live", "old",   "new",    "current",
                                           "v",    "primary",    "secondary", NULL};

/* Leading words that make the name a predicate, action or UI flag rather
 * than the credential itself: hasSecret, isSecret, showPassword, getToken. */
static const char *const verb_head[] = {
    "is",      "has",      "have",     "should", "can",    "show",    "hide",     "use",    "get",      "set",
    "fetch",   "load",     "generate", "gen",    "create", "verify",  "validate", "check",  "parse",    "decode",
    "encode",  "mint",     "make",     "build",  "issue",  "rotate",  "request",  "handle", "on",       "need",
    "needs",   "require",  "requires", "allow",  "enable", "disable", "toggle",   "with",   "no",       "missing",
    "invalid", "forgot",   "num",      "count",  "min",    "max",     "read",     "redact", "redacted", "remove",
    "include", "includes", "mask",     "masked", "strip",  "clear",   "delete",   "store",  "save",     "persist",
    "print",   "log",      "format",   "locate", "find",   NULL};

/* Qualifiers under which "token" is not a credential: pagination cursors,
 * CSRF nonces, push-notification device tokens, lexer tokens. */
static const char *const token_non_credential[] = {"next",
                                                   "page",
                                                   "pagination",
                                                   "continuation",
                                                   "cancel",
                                                   "cancellation",
                                                   "csrf",
                                                   "xsrf",
                                                   "push",
                                                   "device",
                                                   "fcm",
                                                   "apns",
                                                   "notification",
                                                   "design",
                                                   "lexer",
                                                   "parser",
                                                   "parse",
                                                   "sync",
                                                   "change",
                                                   "sort",
                                                   "cursor",
                                                   "last",
                                                   "first",
                                                   "prev",
                                                   "previous",
                                                   "end",
                                                   "start",
                                                   "invite",
                                                   "registration",
                                                   "expo",
                                                   "unexpected",
                                                   "expected",
                                                   "strict",
                                                   "unknown",
                                                   "eof",
                                                   "special",
                                                   "reserved",
                                                   "keyword",
                                                   "punctuation",
                                                   "meaningful",
                                                   "parsed",
                                                   "curr",
                                                   "current",
                                                   "starting",
                                                   "stamp",
                                                   "per",
                                                   "is",
                                                   "string",
                                                   "number",
                                                   "type",
                                                   "cancel",
                                                   "abort",
                                                   NULL};

/* Qualifiers that make a camelCase "...Token" a credential. SCREAMING_CASE
 * names ending in TOKEN are environment variables, and those are credentials
 * whatever the vendor (GITHUB_TOKEN, CODECOV_TOKEN); in code, camelCase
 * tokens are as often parser or pagination state. */
static const char *const token_credential[] = {
    "auth",        "access",   "api",      "bearer",      "refresh", "management", "mgmt",     "bot",
    "app",         "service",  "admin",    "session",     "id",      "identity",   "client",   "secret",
    "private",     "personal", "oauth",    "jwt",         "webhook", "master",     "root",     "deploy",
    "github",      "gh",       "gitlab",   "npm",         "slack",   "discord",    "telegram", "hf",
    "huggingface", "vercel",   "netlify",  "cloudflare",  "sentry",  "stripe",     "twilio",   "hms",
    "user",        "security", "sas",      "integration", "account", "sdk",        "livekit",  "agora",
    "daily",       "auth0",    "firebase", "supabase",    "web",     "upload",     "write",    NULL};

/* Words before "pass" that make it a password (DB_PASS, smtpPass). */
static const char *const pass_qualifier[] = {
    "db",    "database", "smtp", "mail",  "email", "user",  "admin", "root", "redis",   "mysql",   "postgres", "pg",
    "mongo", "ftp",      "ldap", "basic", "auth",  "proxy", "app",   "api",  "service", "account", "login",    NULL};

/* Single lower-case words that are already a credential phrase (all
 * lower-case names do not split): appsecret, privatekey, authtoken. */
static const char *const compound_secret[] = {
    "appsecret",    "apisecret",      "clientsecret", "jwtsecret",       "secretkey", "privatekey",
    "accesstoken",  "authtoken",      "apitoken",     "managementtoken", "mgmttoken", "bearertoken",
    "refreshtoken", "appcertificate", "signingkey",   "webhooksecret",   NULL};

/* 1 if part i ends a credential phrase ("secret", "private key",
 * "management token", ...). screaming: the whole name is upper case. */
static int all_digits(const char *w) {
  for (; *w; w++)
    if (!is_digit(*w)) return 0;
  return 1;
}

static int prev_is(const parts *ps, size_t i, const char *want) { return i > 0 && part_is(ps, i - 1, want); }

/* Services whose API key is a server credential (a bearer for their REST
 * API), by the vendors' own docs: DAILY_API_KEY, OPENAI_API_KEY... */
static const char *const secret_api_providers[] = {
    "daily",  "openai",     "anthropic", "sendgrid", "resend",  "mailgun", "deepgram", "elevenlabs",
    "heygen", "assemblyai", "replicate", "groq",     "mistral", "cohere",  "pinecone", NULL};

static int credential_at(const parts *ps, size_t i, int screaming) {
  if (part_is(ps, i, "secret") || part_is(ps, i, "secrets")) return 1;
  if (part_is(ps, i, "password") || part_is(ps, i, "passwd") || part_is(ps, i, "pwd") || part_is(ps, i, "passphrase"))
    return 1;
  /* DB_PASS, smtpPass: "pass" only as the last word after a qualifier (not
   * passport, passThrough, fsMiniPass). */
  if (part_is(ps, i, "pass") && i + 1 == ps->n && i > 0 && (screaming || (i > 0 && part_in(ps, i - 1, pass_qualifier))))
    return 1;
  if (part_is(ps, i, "credential") || part_is(ps, i, "credentials")) return 1;
  if (part_is(ps, i, "key") &&
      (prev_is(ps, i, "private") || prev_is(ps, i, "priv") || prev_is(ps, i, "signing") ||
       prev_is(ps, i, "encryption") || prev_is(ps, i, "master") || prev_is(ps, i, "hmac") || prev_is(ps, i, "jwt")))
    return 1;
  /* DAILY_API_KEY, openaiApiKey: providers whose API key is the server's
   * credential (their docs say never to ship it), unlike Firebase's or Maps'. */
  if (part_is(ps, i, "key") && prev_is(ps, i, "api") && i >= 2 && part_in(ps, i - 2, secret_api_providers)) return 1;
  /* AWS_SECRET_ACCESS_KEY: the secret half of an access key pair. */
  if (part_is(ps, i, "key") && prev_is(ps, i, "access") && i >= 2 && part_is(ps, i - 2, "secret")) return 1;
  /* Agora's app certificate signs its tokens. A bare "certificate" is
   * usually a public cert or a path, so only with "app" before it, or
   * Agora's name anywhere before it (AGORA_CERT, AGORA_PRIMARY_CERTIFICATE). */
  if (part_is(ps, i, "certificate") || part_is(ps, i, "cert")) {
    if (prev_is(ps, i, "app")) return 1;
    for (size_t k = 0; k < i; k++)
      if (part_is(ps, k, "agora")) return 1;
  }
  if (part_is(ps, i, "token")) {
    /* A bare `token`, `GITHUB_TOKEN`, `managementToken`: credentials.
     * Pagination, CSRF, device and lexer tokens: not. */
    if ((i > 0 && part_in(ps, i - 1, token_non_credential))) return 0;
    return i == 0 || screaming || (i > 0 && part_in(ps, i - 1, token_credential));
  }
  if (part_in(ps, i, compound_secret)) return 1;
  return 0;
}

/* Borderline choices, made for precision (a finding is a claim):
 * - apiKey / API_KEY is NOT secret-named: many API keys are public by design
 *   (Firebase's apiKey ships in every web app), and 100ms access keys are
 *   identifiers. Keys become secret only as private/signing/encryption/
 *   master/hmac/jwt keys.
 * - A bare "token" and vendor tokens (GITHUB_TOKEN, HF_TOKEN) ARE secret;
 *   accessToken too (an OAuth bearer credential).
 * - The credential word must end the name, up to neutral words such as key
 *   or value: secretName, tokenUrl, TOKEN_ENDPOINT, passwordHash,
 *   SECRET_MANAGER_URL are about a secret, not the secret.
 * - Names starting with a verb or predicate (hasSecret, getToken,
 *   showPassword) are not secret. */
int rl_name_is_secret(const char *name, size_t len) {
  parts ps;
  if (rl_config_is_secret_name(name, len)) return 1; /* .roomlint.yml secret-names */
  if (!name || len == 0 || !split_name(name, len, &ps) || ps.n == 0) return 0;
  if (part_in(&ps, 0, verb_head) && ps.n > 1) return 0;
  int screaming = 1;
  for (size_t k = 0; k < len; k++)
    if (is_lower(name[k])) screaming = 0;
  /* The last credential phrase; everything after it must be neutral. A
   * trailing "key" after token or password names a storage key
   * (tokenKey, PASSWORD_KEY), not the credential. */
  size_t i = ps.n;
  int after_key = 0;
  while (i > 0) {
    i--;
    if (credential_at(&ps, i, screaming)) {
      if (after_key && (part_is(&ps, i, "token") || part_is(&ps, i, "password") || part_is(&ps, i, "pass") ||
                        part_is(&ps, i, "pwd") || part_is(&ps, i, "passwd")))
        return 0;
      return 1;
    }
    if (part_is(&ps, i, "key") || part_is(&ps, i, "keys")) after_key = 1;
    if (all_digits(ps.p[i]) || part_in(&ps, i, neutral_tail)) continue; /* JWT_SECRET_2, not SECRET_2FA */
    return 0;
  }
  /* Only neutral words ("key", "value"): not a credential name. */
  return 0;
}

/* ---- public by design --------------------------------------------------------- */

int rl_name_is_public_by_design(const char *name, size_t len) {
  static const char *const always[] = {"mapbox", "publishable", "anon", "dsn", NULL};
  static const char *const datadog[] = {"datadog", "dd", "rum", NULL};
  static const char *const client[] = {"client", NULL};
  static const char *const posthog[] = {"posthog", NULL};
  static const char *const personal[] = {"personal", NULL};
  static const char *const search[] = {"search", "searchonly", NULL};
  static const char *const secretw[] = {"secret", "admin", "write", NULL};
  if (rl_name_has_word(name, len, always)) return 1;
  if (rl_name_has_word(name, len, datadog) && rl_name_has_word(name, len, client)) return 1;
  if (rl_name_has_word(name, len, posthog) && !rl_name_has_word(name, len, personal)) return 1;
  return rl_name_has_word(name, len, search) && !rl_name_has_word(name, len, secretw);
}

/* ---- placeholder values ------------------------------------------------------------ */

/* Words that placeholder values are made of: "your-app-secret-here",
 * "my_super_secret_key", "changeme". A value made only of these is not a
 * real credential. */
static const char *const placeholder_words[] = {
    "your",        "my",         "our",         "the",         "a",        "an",         "app",         "api",
    "application", "secret",     "secrets",     "key",         "keys",     "token",      "tokens",      "password",
    "passwd",      "pass",       "pwd",         "here",        "client",   "management", "access",      "private",
    "public",      "test",       "testing",     "tests",       "dummy",    "example",    "examples",    "sample",
    "fake",        "mock",       "changeme",    "change",      "me",       "replace",    "replaceme",   "todo",
    "fixme",       "tbd",        "insert",      "put",         "enter",    "value",      "goes",        "jwt",
    "hms",         "auth",       "placeholder", "default",     "demo",     "string",     "some",        "random",
    "long",        "super",      "top",         "very",        "strong",   "dev",        "development", "local",
    "prod",        "production", "staging",     "none",        "null",     "undefined",  "nil",         "empty",
    "foo",         "bar",        "baz",         "qux",         "abc",      "xyz",        "signing",     "encryption",
    "certificate", "cert",       "credential",  "credentials", "id",       "this",       "is",          "not",
    "real",        "fill",       "in",          "set",         "with",     "own",        "generate",    "generated",
    "new",         "admin",      "root",        "user",        "username", "db",         "database",    "webhook",
    "mgmt",        "bearer",     "session",     "cookie",      "server",   "service",    "account",     "project",
    "room",        "template",   "of",          "for",         "to",       "and",        "or",          "from",
    "env",         "config",     "var",         "variable",    "setting",  "settings",   "hmac",        "master",
    "ssh",         "rsa",        "pem",         "livekit",     "agora",    "twilio",     "daily",       "100ms",
    NULL};

/* A run of the same character, or only x/X/star/dot/dash/underscore/bullet. */
static int is_filler(const char *v, size_t n) {
  int same = 1;
  for (size_t i = 1; i < n; i++)
    if (v[i] != v[0]) same = 0;
  if (same) return 1;
  for (size_t i = 0; i < n; i++) {
    char c = v[i];
    if (c != 'x' && c != 'X' && c != '*' && c != '.' && c != '-' && c != '_' && c != '#' && c != ' ') return 0;
  }
  return 1;
}

/* Keyboard-mash and counting values: "abcdef123456", "abcabcabcabc",
 * "a1a1a1a1a1a1", "qwerty123". Ascending runs ("abc", "123") average three
 * characters or more, or the value repeats a period of at most four. Random
 * strings average about one character per run. */
static int is_sequential(const char *v, size_t n) {
  if (n < 6) return 0;
  if (rl_memcasemem(v, n, "qwerty") || rl_memcasemem(v, n, "asdf") || rl_memcasemem(v, n, "deadbeef")) return 1;
  size_t runs = 1;
  for (size_t i = 1; i < n; i++)
    if (rl_ascii_lower((unsigned char)v[i]) != rl_ascii_lower((unsigned char)v[i - 1]) + 1) runs++;
  if (runs * 3 <= n) return 1;
  for (size_t p = 1; p <= 4 && p * 2 < n; p++) {
    size_t i = p;
    while (i < n && v[i] == v[i - p]) i++;
    if (i == n) return 1;
  }
  return 0;
}

static int only_placeholder_words(const char *v, size_t n) {
  parts ps;
  if (!split_name(v, n, &ps) || ps.n == 0) return 0;
  for (size_t i = 0; i < ps.n; i++) {
    if (all_digits(ps.p[i]) && ps.len[i] <= MAX_COUNTER) continue; /* key_2 (secret123 is a numbered copy) */
    if (!part_in(&ps, i, placeholder_words)) return 0;
  }
  return 1;
}

/* SCREAMING_CASE variable name: [A-Z_][A-Z0-9_]* */
static int is_env_name(const char *v, size_t n) {
  if (n == 0 || is_digit(v[0])) return 0;
  for (size_t i = 0; i < n; i++)
    if (!is_upper(v[i]) && !is_digit(v[i]) && v[i] != '_') return 0;
  return 1;
}

static int starts_with_ci(const char *v, size_t n, const char *pre) {
  size_t l = strlen(pre);
  return n >= l && rl_strncasecmp_ascii(v, pre, l) == 0;
}

int rl_value_says_placeholder(const char *v, size_t len) {
  /* Trim spaces. */
  while (len && (v[0] == ' ' || v[0] == '\t')) {
    v++;
    len--;
  }
  while (len && (v[len - 1] == ' ' || v[len - 1] == '\t')) len--;
  if (len == 0) return 1;
  if (is_filler(v, len)) return 1;
  /* <your app secret>, [SECRET], {SECRET} (but not a JSON object) */
  if ((v[0] == '<' && v[len - 1] == '>') || (v[0] == '[' && v[len - 1] == ']') ||
      (v[0] == '{' && v[len - 1] == '}' && !memchr(v, ':', len) && !memchr(v, '"', len)))
    return 1;
  /* References to somewhere else: ${VAR}, {{VAR}}, $VAR, %VAR%, process.env.X.
   * A bare '$' prefix only counts before a variable name: "$uperS3cret!" and
   * bcrypt hashes ("$2b$10$...") are values, not references. */
  if ((v[0] == '$' && len > 1 && is_env_name(v + 1, len - 1)) ||
      (v[0] == '%' && len > 2 && v[len - 1] == '%' && is_env_name(v + 1, len - 2)))
    return 1;
  if (rl_memcasemem(v, len, "${") || rl_memcasemem(v, len, "{{")) return 1;
  if (starts_with_ci(v, len, "process.env") || starts_with_ci(v, len, "import.meta.env") ||
      starts_with_ci(v, len, "Deno.env") || starts_with_ci(v, len, "env("))
    return 1;
  /* Marker words that real random credentials do not contain. */
  static const char *const markers[] = {"your_",     "your-",       "your ",     "yourapp",    "yoursecret",
                                        "changeme",  "change_me",   "change-me", "replace_me", "replace-me",
                                        "replaceme", "placeholder", "xxxx",      "****",       "<your",
                                        "todo:",     "_here",       "-here",     NULL};
  for (size_t i = 0; markers[i]; i++)
    if (rl_memcasemem(v, len, markers[i])) return 1;
  if (starts_with_ci(v, len, "your")) return 1;
  return 0;
}

int rl_value_is_placeholder(const char *v, size_t len) {
  if (rl_value_says_placeholder(v, len)) return 1;
  while (len && (v[0] == ' ' || v[0] == '\t')) {
    v++;
    len--;
  }
  while (len && (v[len - 1] == ' ' || v[len - 1] == '\t')) len--;
  return only_placeholder_words(v, len) || is_sequential(v, len);
}

int rl_value_looks_secret(const char *v, size_t len) {
  if (!v || len < 12) return 0;
  if (rl_value_is_placeholder(v, len)) return 0;
  int lower = 0, upper = 0, digit = 0, other = 0, b64only = 1;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)v[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') return 0; /* a sentence */
    if (is_lower((char)c))
      lower = 1;
    else if (is_upper((char)c))
      upper = 1;
    else if (is_digit((char)c))
      digit = 1;
    else {
      other = 1;
      if (c != '+' && c != '/' && c != '-' && c != '_' && c != '=' && c != '.') b64only = 0;
    }
  }
  if (rl_memcasemem(v, len, "://")) return 0;                                            /* a URL */
  if (v[0] == '/' || ((v[0] == '.' || v[0] == '~') && len > 1 && v[1] == '/')) return 0; /* a path */
  int letters = lower || upper;
  if (letters && digit) return 1;
  if (lower && upper && b64only) return 1;
  if (lower && upper && other) return 1; /* passwords with symbols */
  return 0;
}

int rl_is_hms_app_secret(const char *v, size_t len) {
  if (!v || len != 172 || v[171] != '=') return 0;
  int urlsafe = 0, standard = 0;
  for (size_t i = 0; i < 171; i++) {
    char c = v[i];
    if (is_alpha(c) || is_digit(c)) continue;
    if (c == '-' || c == '_')
      urlsafe = 1;
    else if (c == '+' || c == '/')
      standard = 1;
    else
      return 0;
  }
  return !(urlsafe && standard);
}

/* ---- base64 and JWT --------------------------------------------------------------------- */

static int b64val(char c) {
  if (is_upper(c)) return c - 'A';
  if (is_lower(c)) return c - 'a' + 26;
  if (is_digit(c)) return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

int rl_base64_decode(const char *in, size_t n, rl_arena *arena, unsigned char **out, size_t *outlen) {
  while (n > 0 && in[n - 1] == '=') n--;
  if (n % 4 == 1) return 0;
  size_t cap = n / 4 * 3 + 3;
  unsigned char *o = rl_arena_alloc(arena, cap + 1);
  size_t w = 0;
  uint32_t acc = 0;
  int bits = 0;
  for (size_t i = 0; i < n; i++) {
    int v = b64val(in[i]);
    if (v < 0) return 0;
    acc = (acc << 6) | (uint32_t)v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      o[w++] = (unsigned char)((acc >> bits) & 0xFF);
    }
  }
  o[w] = '\0';
  *out = o;
  *outlen = w;
  return 1;
}

/* The JSON object a JWT part holds, read into the file's arena (so its
 * strings stay valid as long as the rl_jwt), or NULL. */
static const rl_json *decode_json_part(const char *p, size_t n, rl_arena *arena, const char **text) {
  unsigned char *bytes;
  size_t bl;
  if (n == 0 || !rl_base64_decode(p, n, arena, &bytes, &bl)) return NULL;
  rl_json *j;
  if (rl_json_parse(&j, arena, (const char *)bytes, bl, 0, NULL) < 0 || !rl_json_is(j, RL_JSON_OBJECT)) return NULL;
  if (text) *text = (const char *)bytes;
  return j;
}

static double json_num(const rl_json *obj, const char *key) {
  const rl_json *v = rl_json_get(obj, key);
  return rl_json_is(v, RL_JSON_NUMBER) ? rl_json_num(v) : -1;
}

int rl_jwt_decode(const char *v, size_t len, rl_arena *arena, rl_jwt *out) {
  memset(out, 0, sizeof *out);
  out->version = -1;
  out->exp = -1;
  out->iat = -1;
  const char *d1 = memchr(v, '.', len);
  if (!d1) return 0;
  const char *d2 = memchr(d1 + 1, '.', len - (size_t)(d1 + 1 - v));
  if (!d2) return 0;
  if (memchr(d2 + 1, '.', len - (size_t)(d2 + 1 - v))) return 0;
  /* The signature: base64url characters (possibly empty for alg "none"). */
  for (const char *p = d2 + 1; p < v + len; p++)
    if (!is_alpha(*p) && !is_digit(*p) && *p != '-' && *p != '_' && *p != '=') return 0;
  const rl_json *h = decode_json_part(v, (size_t)(d1 - v), arena, NULL);
  if (!h) return 0;
  const char *ptext = NULL;
  const rl_json *p = decode_json_part(d1 + 1, (size_t)(d2 - d1 - 1), arena, &ptext);
  if (!p) return 0;
  out->alg = rl_json_str(rl_json_get(h, "alg"), NULL);
  out->access_key = rl_json_str(rl_json_get(p, "access_key"), NULL);
  out->type = rl_json_str(rl_json_get(p, "type"), NULL);
  int64_t ver;
  if (rl_json_int(rl_json_get(p, "version"), &ver)) out->version = (long)ver;
  out->exp = json_num(p, "exp");
  out->iat = json_num(p, "iat");
  out->payload_json = ptext;
  out->livekit = rl_json_is(rl_json_get(p, "video"), RL_JSON_OBJECT);
  const char *cty = rl_json_str(rl_json_get(h, "cty"), NULL);
  out->twilio = (cty && strncmp(cty, "twilio-fpa", 10) == 0) || rl_json_is(rl_json_get(p, "grants"), RL_JSON_OBJECT);
  return 1;
}
