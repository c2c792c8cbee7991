/* What one file exports (see exports.h): one pass over the top-level
 * statements, then a bounded look at each exported function's body.
 *
 * No recursion over the tree: object literals are flattened with an explicit
 * work list, function bodies are read with rl_js_walk, and calls from one
 * exported function to a helper of the same file are propagated by a fixed
 * number of rounds over a flat table. */
#include "exports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint.h"
#include "util.h"

#define MAX_EXPORTS 4096   /* entries per file */
#define MAX_OBJ_DEPTH 4    /* object literals flattened this deep */
#define MAX_FOLLOW 4       /* local names followed to their declaration */
#define MAX_TEXT 60        /* bytes of a value shown in messages */
#define PROPAGATE_ROUNDS 3 /* helper-calls-helper levels inside one file */

static int type_is(TSNode n, const char *t) { return !ts_node_is_null(n) && !strcmp(ts_node_type(n), t); }

static TSNode field(TSNode n, const char *name) { return ts_node_child_by_field_name(n, name, (uint32_t)strlen(name)); }

static TSNode null_node(void) {
  TSNode n;
  memset(&n, 0, sizeof n);
  return n;
}

static int is_function(TSNode n) {
  return type_is(n, "arrow_function") || type_is(n, "function_expression") || type_is(n, "function") ||
         type_is(n, "function_declaration") || type_is(n, "generator_function") ||
         type_is(n, "generator_function_declaration") || type_is(n, "method_definition");
}

static int is_class(TSNode n) {
  return type_is(n, "class") || type_is(n, "class_declaration") || type_is(n, "abstract_class_declaration");
}

/* ---- the table being built ---------------------------------------------------- */

/* A function of the file: exported (name != NULL) or a helper that exported
 * ones call (key: "f" for a top-level function, "C.m" for a method). */
typedef struct unit {
  TSNode fn;
  const char *key;   /* local key, or NULL */
  const char *cls;   /* the class it is a method of, or NULL */
  int export_index;  /* index in the exports, or -1 */
  unsigned effects;
  const char *secret, *mint, *key_shown;
  uint32_t at_byte;
} unit;

typedef struct builder {
  rl_jsfile *jf;
  rl_arena *a;
  rl_export *v;
  size_t n, cap;
  unit *u;
  size_t nu, ucap;
} builder;

static void position(builder *b, uint32_t byte, uint32_t *line, uint32_t *col) {
  rl_source_position(rl_jsfile_source(b->jf), byte, line, col);
}

static rl_export *add(builder *b, rl_export_kind kind, const char *name, TSNode at) {
  if (b->n >= MAX_EXPORTS) return NULL;
  if (b->n == b->cap) {
    size_t cap = b->cap ? 2 * b->cap : 16;
    rl_export *v = rl_arena_calloc(b->a, cap, sizeof *v);
    if (b->n) memcpy(v, b->v, b->n * sizeof *v);
    b->v = v;
    b->cap = cap;
  }
  rl_export *x = &b->v[b->n++];
  memset(x, 0, sizeof *x);
  x->kind = kind;
  x->name = name;
  if (!ts_node_is_null(at)) position(b, ts_node_start_byte(at), &x->line, &x->col);
  return x;
}

static unit *add_unit(builder *b, TSNode fn, const char *key, const char *cls, int export_index) {
  if (b->nu == b->ucap) {
    b->ucap = b->ucap ? 2 * b->ucap : 16;
    b->u = rl_xreallocarray(b->u, b->ucap, sizeof *b->u);
  }
  unit *u = &b->u[b->nu++];
  memset(u, 0, sizeof *u);
  u->fn = fn;
  u->key = key;
  u->cls = cls;
  u->export_index = export_index;
  return u;
}

static const char *join(builder *b, const char *base, const char *k, size_t kl) {
  if (!base || !*base) return rl_arena_strndup(b->a, k, kl);
  return rl_arena_printf(b->a, "%s.%.*s", base, (int)kl, k);
}

/* One line of the node's text, at most MAX_TEXT bytes ("..." when cut). */
static const char *shown(builder *b, TSNode n) {
  size_t len, k = 0;
  const char *t = rl_js_text(b->jf, n, &len);
  while (k < len && k < MAX_TEXT && t[k] != '\n' && t[k] != '\r') k++;
  return rl_arena_printf(b->a, "%.*s%s", (int)k, t, k < len ? "..." : "");
}

/* ---- top-level declarations ---------------------------------------------------- */

/* The top-level declaration of `name`: a function or class declaration, or
 * the value of a `const name = value` declarator. Null when absent or bound
 * more than once at the top (several, or a let/var that may change). */
static TSNode top_decl(builder *b, const char *name, size_t len) {
  TSNode root = rl_jsfile_root(b->jf), found = null_node();
  int count = 0;
  uint32_t nc = ts_node_named_child_count(root);
  for (uint32_t i = 0; i < nc && count < 2; i++) {
    TSNode s = ts_node_named_child(root, i);
    if (rl_jsfile_step(b->jf, 1)) return null_node();
    if (type_is(s, "export_statement")) {
      TSNode d = field(s, "declaration");
      if (ts_node_is_null(d)) continue;
      s = d;
    }
    if (type_is(s, "function_declaration") || type_is(s, "generator_function_declaration") || is_class(s)) {
      TSNode nm = field(s, "name");
      size_t l;
      const char *t = rl_js_text(b->jf, nm, &l);
      if (l == len && !memcmp(t, name, len)) {
        found = s;
        count++;
      }
    } else if (type_is(s, "lexical_declaration") || type_is(s, "variable_declaration")) {
      int is_const = type_is(s, "lexical_declaration") && rl_js_text_is(b->jf, field(s, "kind"), "const");
      uint32_t nd = ts_node_named_child_count(s);
      for (uint32_t k = 0; k < nd; k++) {
        TSNode d = ts_node_named_child(s, k);
        if (!type_is(d, "variable_declarator")) continue;
        TSNode nm = field(d, "name");
        if (!type_is(nm, "identifier")) continue;
        size_t l;
        const char *t = rl_js_text(b->jf, nm, &l);
        if (l != len || memcmp(t, name, len)) continue;
        found = is_const ? field(d, "value") : null_node();
        count += is_const ? 1 : 2;
      }
    }
  }
  return count == 1 ? found : null_node();
}

/* ---- exported functions ------------------------------------------------------------ */

typedef struct fx_scan {
  builder *b;
  unit *u;
  TSNode root; /* the function itself: nested functions are not its returns */
  const char **calls; /* local keys its returns call */
  size_t ncalls;
} fx_scan;

static const char *this_class(fx_scan *s) { return s->u->cls; }

/* The returned expression: a secret env read (directly or through a const),
 * a minted token, or a call of a local helper (kept for propagation). */
static void returned(fx_scan *s, TSNode e) {
  builder *b = s->b;
  rl_jsfile *jf = b->jf;
  e = rl_js_unwrap(e);
  for (int i = 0; i < 4 && type_is(e, "binary_expression"); i++) {
    /* process.env.HMS_SECRET || '' / ?? '': the secret when it is set */
    TSNode op = field(e, "operator");
    if (!rl_js_text_is(jf, op, "||") && !rl_js_text_is(jf, op, "??")) return;
    e = rl_js_unwrap(field(e, "left"));
  }
  if (ts_node_is_null(e)) return;
  const char *name;
  size_t len;
  TSNode v = e;
  if (type_is(v, "identifier")) {
    TSNode init = rl_js_const_init(jf, v);
    if (!ts_node_is_null(init) && !rl_js_env_read(jf, v, &name, &len)) v = rl_js_unwrap(init);
  }
  if (rl_js_env_read(jf, v, &name, &len) && rl_name_is_secret(name, len)) {
    if (!(s->u->effects & RL_FX_RETURNS_SECRET)) {
      s->u->effects |= RL_FX_RETURNS_SECRET;
      s->u->secret = rl_arena_strndup(b->a, name, len);
      if (!s->u->at_byte) s->u->at_byte = ts_node_start_byte(e) + 1;
    }
    return;
  }
  rl_mint m;
  /* the 100ms SDK's auth calls give { token, expiresAt }: t.token */
  TSNode tok = e;
  if (type_is(e, "member_expression") && rl_js_text_is(jf, field(e, "property"), "token")) {
    TSNode o = rl_js_unwrap(field(e, "object"));
    if (rl_mint_token_expr(jf, o, &m) && m.kind == RL_MINT_HMS_SDK) tok = o;
  }
  if (rl_mint_token_expr(jf, tok, &m)) {
    unsigned bit = m.is_management ? RL_FX_RETURNS_MGMT_TOKEN : RL_FX_RETURNS_TOKEN;
    if (!(s->u->effects & bit)) {
      s->u->effects |= bit;
      if (!s->u->mint) s->u->mint = m.what;
      s->u->at_byte = ts_node_start_byte(m.call) + 1;
    }
    return;
  }
  e = v; /* const t = helper(); return t; */
  if (type_is(e, "await_expression")) e = rl_js_unwrap(e);
  if (!type_is(e, "call_expression")) return;
  TSNode fn = rl_js_unwrap(field(e, "function"));
  const char *key = NULL;
  size_t kl;
  if (type_is(fn, "identifier")) {
    const char *t = rl_js_text(jf, fn, &kl);
    key = rl_arena_strndup(b->a, t, kl);
  } else if (type_is(fn, "member_expression") && type_is(rl_js_unwrap(field(fn, "object")), "this") &&
             this_class(s)) {
    TSNode prop = field(fn, "property");
    const char *t = rl_js_text(jf, prop, &kl);
    key = rl_arena_printf(b->a, "%s.%.*s", this_class(s), (int)kl, t);
  }
  if (!key || s->ncalls >= 8) return;
  s->calls = s->calls ? s->calls : rl_arena_calloc(b->a, 8, sizeof *s->calls);
  s->calls[s->ncalls++] = key;
}

static int fx_visit(void *data, TSNode n) {
  fx_scan *s = data;
  if (is_function(n) && !ts_node_eq(n, s->root)) return 1; /* its returns are its own */
  if (is_class(n)) return 1;
  if (type_is(n, "return_statement") && ts_node_named_child_count(n) > 0) returned(s, ts_node_named_child(n, 0));
  return 0;
}

typedef struct mint_seen {
  builder *b;
  unit *u;
} mint_seen;

static void on_mint(void *data, const rl_mint *m) {
  mint_seen *ms = data;
  unit *u = ms->u;
  if (ts_node_is_null(m->secret) || (u->effects & RL_FX_MINTS_WITH_SECRET)) return;
  rl_jsfile *jf = ms->b->jf;
  TSNode k = rl_js_unwrap(m->secret);
  const char *how;
  if (type_is(k, "string") || type_is(k, "template_string")) {
    how = "a hardcoded key"; /* never shown: it is the secret */
  } else {
    how = shown(ms->b, k);
    TSNode init = type_is(k, "identifier") ? rl_js_unwrap(rl_js_const_init(jf, k)) : null_node();
    if (type_is(init, "string") || type_is(init, "template_string")) how = "a hardcoded key";
  }
  u->effects |= RL_FX_MINTS_WITH_SECRET;
  u->key_shown = how;
  if (!u->mint) u->mint = m->what;
  if (!u->at_byte) u->at_byte = ts_node_start_byte(m->call) + 1;
}

static void scan_unit(builder *b, unit *u, const char ***calls, size_t *ncalls) {
  fx_scan s = {b, u, u->fn, NULL, 0};
  TSNode body = field(u->fn, "body");
  if (type_is(u->fn, "arrow_function") && !ts_node_is_null(body) && !type_is(body, "statement_block"))
    returned(&s, body);
  else if (!ts_node_is_null(body))
    rl_js_walk(body, fx_visit, &s);
  mint_seen ms = {b, u};
  rl_mint_each(b->jf, u->fn, on_mint, &ms);
  *calls = s.calls;
  *ncalls = s.ncalls;
}

/* ---- what a value exports ------------------------------------------------------------- */

static void export_value(builder *b, const char *name, TSNode v, int depth);

static void export_function(builder *b, const char *name, TSNode fn, const char *key, const char *cls) {
  rl_export *x = add(b, RL_EXPORT_FUNCTION, name, fn);
  if (!x) return;
  add_unit(b, fn, key, cls, (int)(x - b->v));
}

/* The methods of a class body, each as "<prefix>.<method>" (prefix "" for a
 * default export or an instance of it). */
static void export_class(builder *b, const char *prefix, TSNode cls) {
  TSNode body = field(cls, "body");
  TSNode nm = field(cls, "name");
  size_t cl = 0;
  const char *cn = ts_node_is_null(nm) ? NULL : rl_js_text(b->jf, nm, &cl);
  const char *ckey = cn ? rl_arena_strndup(b->a, cn, cl) : NULL;
  uint32_t n = ts_node_named_child_count(body);
  for (uint32_t i = 0; i < n; i++) {
    TSNode m = ts_node_named_child(body, i);
    if (!type_is(m, "method_definition")) continue;
    TSNode mn = field(m, "name");
    if (!type_is(mn, "property_identifier")) continue; /* #private, computed, string names */
    size_t ml;
    const char *mt = rl_js_text(b->jf, mn, &ml);
    if (ml == 11 && !memcmp(mt, "constructor", 11)) continue;
    const char *key = ckey ? rl_arena_printf(b->a, "%s.%.*s", ckey, (int)ml, mt) : NULL;
    export_function(b, join(b, prefix, mt, ml), m, key, ckey);
  }
  /* private methods and helpers the methods call through this.x() */
  for (uint32_t i = 0; ckey && i < n; i++) {
    TSNode m = ts_node_named_child(body, i);
    if (!type_is(m, "method_definition")) continue;
    TSNode mn = field(m, "name");
    if (!type_is(mn, "private_property_identifier")) continue;
    size_t ml;
    const char *mt = rl_js_text(b->jf, mn, &ml);
    add_unit(b, m, rl_arena_printf(b->a, "%s.%.*s", ckey, (int)ml, mt), ckey, -1);
  }
}

typedef struct obj_item {
  const char *name;
  TSNode v;
  int depth;
} obj_item;

/* An object literal: each key as name.key, a few levels deep (explicit work
 * list: no recursion). */
static void export_object(builder *b, const char *name, TSNode obj, int depth) {
  obj_item *work = NULL;
  size_t nw = 0, cw = 0;
  work = rl_xreallocarray(work, cw = 16, sizeof *work);
  work[nw++] = (obj_item){name, obj, depth};
  while (nw > 0) {
    obj_item it = work[--nw];
    uint32_t n = ts_node_named_child_count(it.v);
    for (uint32_t i = 0; i < n; i++) {
      if (rl_jsfile_step(b->jf, 1)) goto done;
      TSNode c = ts_node_named_child(it.v, i);
      const char *k;
      size_t kl;
      if (type_is(c, "method_definition")) {
        TSNode mn = field(c, "name");
        if (!type_is(mn, "property_identifier")) continue;
        k = rl_js_text(b->jf, mn, &kl);
        export_function(b, join(b, it.name, k, kl), c, NULL, NULL);
        continue;
      }
      if (!type_is(c, "pair") && !type_is(c, "shorthand_property_identifier")) continue;
      if (!rl_js_pair_key(b->jf, c, &k, &kl)) continue;
      const char *child = join(b, it.name, k, kl);
      TSNode v = type_is(c, "pair") ? rl_js_unwrap(field(c, "value")) : c;
      if (type_is(v, "object")) {
        if (it.depth + 1 >= MAX_OBJ_DEPTH) continue;
        if (nw == cw) work = rl_xreallocarray(work, cw *= 2, sizeof *work);
        work[nw++] = (obj_item){child, v, it.depth + 1};
        continue;
      }
      export_value(b, child, v, it.depth + 1);
    }
  }
done:
  free(work);
}

/* What `name` exports when its value is v (a top-level expression or
 * declaration). */
static void export_value(builder *b, const char *name, TSNode v, int depth) {
  rl_jsfile *jf = b->jf;
  for (int hop = 0; hop <= MAX_FOLLOW; hop++) {
    v = rl_js_unwrap(v);
    if (ts_node_is_null(v) || rl_jsfile_step(jf, 1)) return;
    if (is_function(v)) {
      TSNode nm = field(v, "name");
      const char *key = NULL;
      if (type_is(nm, "identifier")) {
        size_t l;
        const char *t = rl_js_text(jf, nm, &l);
        key = rl_arena_strndup(b->a, t, l);
      }
      export_function(b, name, v, key, NULL);
      return;
    }
    if (is_class(v)) {
      export_class(b, name, v);
      return;
    }
    if (type_is(v, "object")) {
      if (depth < MAX_OBJ_DEPTH) export_object(b, name, v, depth);
      return;
    }
    if (type_is(v, "new_expression")) {
      /* an instance of a class of this file: its methods */
      TSNode c = rl_js_unwrap(field(v, "constructor"));
      if (!type_is(c, "identifier")) return;
      size_t l;
      const char *t = rl_js_text(jf, c, &l);
      TSNode d = top_decl(b, t, l);
      if (is_class(d)) export_class(b, name, d);
      return;
    }
    const char *spec;
    size_t sl;
    if (type_is(v, "call_expression") && type_is(field(v, "function"), "identifier") &&
        rl_js_text_is(jf, field(v, "function"), "require") && rl_js_string_value(jf, rl_js_call_arg(v, 0), &spec, &sl)) {
      rl_export *x = add(b, RL_EXPORT_FROM, name, v);
      if (x) {
        x->from = rl_arena_strndup(b->a, spec, sl);
        x->from_name = "*";
      }
      return;
    }
    if (type_is(v, "identifier") || type_is(v, "shorthand_property_identifier")) {
      size_t l;
      const char *t = rl_js_text(jf, v, &l);
      const char *canon = rl_js_resolve(jf, v), *path;
      if (rl_js_import_split(jf, canon, &spec, &path)) {
        /* import { X } from './c'; export { X } */
        rl_export *x = add(b, RL_EXPORT_FROM, name, v);
        if (x) {
          x->from = spec;
          x->from_name = *path ? path : "*";
        }
        return;
      }
      TSNode d = top_decl(b, t, l);
      if (!ts_node_is_null(d) && !type_is(d, "identifier")) {
        v = d;
        continue;
      }
    }
    break;
  }
  /* a constant */
  rl_export *x = add(b, RL_EXPORT_VALUE, name, v);
  if (!x) return;
  x->text = shown(b, v);
  x->has_num = rl_js_eval_number(jf, v, &x->num);
  x->has_str = rl_js_eval_string(jf, v, &x->str, &x->str_len);
}

/* ---- statements ------------------------------------------------------------------ */

static void export_clause(builder *b, TSNode clause, const char *from) {
  uint32_t n = ts_node_named_child_count(clause);
  for (uint32_t i = 0; i < n; i++) {
    TSNode s = ts_node_named_child(clause, i);
    if (!type_is(s, "export_specifier")) continue;
    TSNode nm = field(s, "name"), alias = field(s, "alias");
    TSNode out = ts_node_is_null(alias) ? nm : alias;
    size_t l, ol;
    const char *t = rl_js_text(b->jf, nm, &l);
    const char *ot = rl_js_text(b->jf, out, &ol);
    if (type_is(nm, "string") || type_is(out, "string")) continue;
    /* export { x as default }: the module object itself */
    const char *name = (ol == 7 && !memcmp(ot, "default", 7)) ? "" : rl_arena_strndup(b->a, ot, ol);
    if (from) {
      rl_export *x = add(b, RL_EXPORT_FROM, name, s);
      if (!x) return;
      x->from = from;
      x->from_name = (l == 7 && !memcmp(t, "default", 7)) ? "" : rl_arena_strndup(b->a, t, l);
      continue;
    }
    TSNode d = top_decl(b, t, l);
    if (!ts_node_is_null(d)) {
      export_value(b, name, d, 0);
    } else {
      /* an import re-exported by name */
      const char *spec, *path;
      if (rl_js_import_split(b->jf, rl_js_resolve(b->jf, nm), &spec, &path)) {
        rl_export *x = add(b, RL_EXPORT_FROM, name, s);
        if (!x) return;
        x->from = spec;
        x->from_name = *path ? path : "*";
      }
    }
  }
}

static void export_statement(builder *b, TSNode s) {
  rl_jsfile *jf = b->jf;
  const char *from = NULL;
  size_t fl;
  if (rl_js_string_value(jf, field(s, "source"), &from, &fl)) from = rl_arena_strndup(b->a, from, fl);
  TSNode decl = field(s, "declaration"), value = field(s, "value");
  int is_default = 0;
  uint32_t nc = ts_node_child_count(s);
  for (uint32_t i = 0; i < nc; i++)
    if (type_is(ts_node_child(s, i), "default")) is_default = 1;
  if (!ts_node_is_null(decl)) {
    if (is_default) { /* export default function f() {} / class C {} */
      export_value(b, "", decl, 0);
      return;
    }
    if (type_is(decl, "lexical_declaration") || type_is(decl, "variable_declaration")) {
      int is_const = type_is(decl, "lexical_declaration") && rl_js_text_is(jf, field(decl, "kind"), "const");
      uint32_t nd = ts_node_named_child_count(decl);
      for (uint32_t k = 0; k < nd; k++) {
        TSNode d = ts_node_named_child(decl, k);
        TSNode nm = field(d, "name");
        if (!type_is(d, "variable_declarator") || !type_is(nm, "identifier")) continue;
        size_t l;
        const char *t = rl_js_text(jf, nm, &l);
        /* a let or var may change before an importer reads it: functions
         * only, not values */
        TSNode v = rl_js_unwrap(field(d, "value"));
        if (!is_const && !is_function(v)) continue;
        export_value(b, rl_arena_strndup(b->a, t, l), v, 0);
      }
      return;
    }
    TSNode nm = field(decl, "name");
    if (ts_node_is_null(nm)) return;
    size_t l;
    const char *t = rl_js_text(jf, nm, &l);
    export_value(b, rl_arena_strndup(b->a, t, l), decl, 0);
    return;
  }
  if (is_default && !ts_node_is_null(value)) {
    export_value(b, "", value, 0);
    return;
  }
  for (uint32_t i = 0; i < ts_node_named_child_count(s); i++) {
    TSNode c = ts_node_named_child(s, i);
    if (type_is(c, "export_clause")) {
      export_clause(b, c, from);
      return;
    }
    if (type_is(c, "namespace_export") && from) { /* export * as ns from './m' */
      TSNode id = ts_node_named_child(c, 0);
      size_t l;
      const char *t = rl_js_text(jf, id, &l);
      rl_export *x = add(b, RL_EXPORT_FROM, rl_arena_strndup(b->a, t, l), s);
      if (x) {
        x->from = from;
        x->from_name = "*";
      }
      return;
    }
  }
  if (from) { /* export * from './m' */
    rl_export *x = add(b, RL_EXPORT_FROM, "*", s);
    if (x) {
      x->from = from;
      x->from_name = "*";
    }
  }
}

/* module.exports = v, module.exports.X = v, exports.X = v */
static void commonjs(builder *b, TSNode expr) {
  rl_jsfile *jf = b->jf;
  if (!type_is(expr, "assignment_expression")) return;
  TSNode left = rl_js_unwrap(field(expr, "left"));
  if (!type_is(left, "member_expression")) return;
  size_t l;
  const char *t = rl_js_text(jf, left, &l);
  if (l == 14 && !memcmp(t, "module.exports", 14)) {
    export_value(b, "", field(expr, "right"), 0);
    return;
  }
  TSNode obj = rl_js_unwrap(field(left, "object"));
  size_t ol;
  const char *ot = rl_js_text(jf, obj, &ol);
  if (!((ol == 14 && !memcmp(ot, "module.exports", 14)) || (ol == 7 && !memcmp(ot, "exports", 7)))) return;
  TSNode prop = field(left, "property");
  size_t pl;
  const char *pt = rl_js_text(jf, prop, &pl);
  export_value(b, rl_arena_strndup(b->a, pt, pl), field(expr, "right"), 0);
}

/* Effects of units that return a call of another unit of the file. */
static void propagate(builder *b, const char ***calls, const size_t *ncalls) {
  for (int round = 0; round < PROPAGATE_ROUNDS; round++) {
    int changed = 0;
    for (size_t i = 0; i < b->nu; i++) {
      for (size_t c = 0; c < ncalls[i]; c++) {
        for (size_t j = 0; j < b->nu; j++) {
          if (j == i || !b->u[j].key || strcmp(b->u[j].key, calls[i][c])) continue;
          unsigned add_fx = b->u[j].effects;
          if ((b->u[i].effects & add_fx) == add_fx) continue;
          b->u[i].effects |= add_fx;
          if (!b->u[i].secret) b->u[i].secret = b->u[j].secret;
          if (!b->u[i].mint) b->u[i].mint = b->u[j].mint;
          if (!b->u[i].key_shown) b->u[i].key_shown = b->u[j].key_shown;
          if (!b->u[i].at_byte) b->u[i].at_byte = b->u[j].at_byte;
          changed = 1;
        }
      }
    }
    if (!changed) break;
  }
}

/* Top-level functions and classes that are not exported themselves: helpers
 * an exported function may return through. */
static void local_units(builder *b) {
  TSNode root = rl_jsfile_root(b->jf);
  uint32_t nc = ts_node_named_child_count(root);
  for (uint32_t i = 0; i < nc; i++) {
    TSNode s = ts_node_named_child(root, i);
    if (type_is(s, "function_declaration")) {
      TSNode nm = field(s, "name");
      size_t l;
      const char *t = rl_js_text(b->jf, nm, &l);
      int known = 0;
      for (size_t k = 0; k < b->nu && !known; k++) known = ts_node_eq(b->u[k].fn, s);
      if (!known) add_unit(b, s, rl_arena_strndup(b->a, t, l), NULL, -1);
    } else if (type_is(s, "lexical_declaration")) {
      uint32_t nd = ts_node_named_child_count(s);
      for (uint32_t k = 0; k < nd; k++) {
        TSNode d = ts_node_named_child(s, k), nm = field(d, "name"), v = rl_js_unwrap(field(d, "value"));
        if (!type_is(nm, "identifier") || !is_function(v)) continue;
        int known = 0;
        for (size_t q = 0; q < b->nu && !known; q++) known = ts_node_eq(b->u[q].fn, v);
        size_t l;
        const char *t = rl_js_text(b->jf, nm, &l);
        if (!known) add_unit(b, v, rl_arena_strndup(b->a, t, l), NULL, -1);
      }
    }
  }
}

void rl_exports_extract(rl_jsfile *jf, rl_exports *out) {
  builder b;
  memset(&b, 0, sizeof b);
  b.jf = jf;
  b.a = rl_jsfile_arena(jf);
  TSNode root = rl_jsfile_root(jf);
  uint32_t nc = ts_node_named_child_count(root);
  for (uint32_t i = 0; i < nc && !rl_jsfile_step(jf, 1); i++) {
    TSNode s = ts_node_named_child(root, i);
    if (type_is(s, "export_statement"))
      export_statement(&b, s);
    else if (type_is(s, "expression_statement"))
      commonjs(&b, rl_js_unwrap(ts_node_named_child(s, 0)));
  }
  /* Functions: effects, with helpers of the file propagated. Only files that
   * export a function pay for this. */
  if (b.nu) {
    local_units(&b);
    const char ***calls = rl_xcalloc(b.nu, sizeof *calls);
    size_t *ncalls = rl_xcalloc(b.nu, sizeof *ncalls);
    for (size_t i = 0; i < b.nu && !rl_jsfile_exhausted(jf); i++) scan_unit(&b, &b.u[i], &calls[i], &ncalls[i]);
    propagate(&b, calls, ncalls);
    for (size_t i = 0; i < b.nu; i++) {
      unit *u = &b.u[i];
      if (u->export_index < 0) continue;
      rl_export *x = &b.v[u->export_index];
      x->effects = u->effects;
      x->secret = u->secret;
      x->mint = u->mint;
      x->key = u->key_shown;
      if (u->at_byte) position(&b, u->at_byte - 1, &x->at_line, &x->at_col);
    }
    free(calls);
    free(ncalls);
  }
  free(b.u);
  out->v = b.v;
  out->n = b.n;
}

const rl_export *rl_exports_find(const rl_exports *x, const char *name) {
  if (!x) return NULL;
  for (size_t i = 0; i < x->n; i++)
    if (!strcmp(x->v[i].name, name)) return &x->v[i];
  return NULL;
}

/* ---- following re-exports ------------------------------------------------------------- */

typedef struct hop {
  const rl_exports *x;
  const void *file;
  const char *path;
  int depth;
} hop;

const rl_export *rl_exports_resolve(const rl_exports *x, const void *file, const char *path, rl_exports_open_fn open,
                                    void *data, const void **where) {
  /* Breadth-first over (module, path) pairs: a name found nearer wins, and
   * RL_EXPORTS_MAX_OPENS bounds the work however the modules star-export
   * each other. Paths point into strings that outlive the call (export
   * names and the caller's path), or into the arena-free buffer below. */
  hop q[RL_EXPORTS_MAX_OPENS + 1];
  char paths[RL_EXPORTS_MAX_OPENS + 1][256];
  size_t head = 0, tail = 0;
  int opens = 0;
  q[tail++] = (hop){x, file, path, 0};
  while (head < tail) {
    hop h = q[head++];
    const rl_export *hit = rl_exports_find(h.x, h.path);
    if (hit && hit->kind != RL_EXPORT_FROM) {
      *where = h.file;
      return hit;
    }
    if (h.depth >= RL_EXPORTS_MAX_DEPTH) continue;
    for (size_t i = 0; h.x && i < h.x->n; i++) {
      const rl_export *e = &h.x->v[i];
      if (e->kind != RL_EXPORT_FROM) continue;
      /* which path to ask the other module for */
      const char *rest = NULL;
      size_t nl = strlen(e->name), pl = strlen(h.path);
      if (!strcmp(e->name, "*")) {
        if (!*h.path) continue; /* the module object itself is not re-exported by export * */
        rest = h.path;
      } else if (nl == pl && !memcmp(e->name, h.path, nl)) {
        rest = !strcmp(e->from_name, "*") ? "" : e->from_name;
      } else if ((nl == 0 || (pl > nl && h.path[nl] == '.')) && !memcmp(e->name, h.path, nl)) {
        const char *tailp = h.path + (nl ? nl + 1 : 0);
        if (!strcmp(e->from_name, "*")) {
          rest = tailp;
        } else {
          if (opens >= RL_EXPORTS_MAX_OPENS) return NULL;
          int w = snprintf(paths[tail], sizeof paths[tail], "%s%s%s", e->from_name, *e->from_name ? "." : "", tailp);
          if (w < 0 || (size_t)w >= sizeof paths[tail]) continue;
          rest = paths[tail];
        }
      } else {
        continue;
      }
      if (opens >= RL_EXPORTS_MAX_OPENS || tail > RL_EXPORTS_MAX_OPENS) return NULL;
      opens++;
      const void *f2 = NULL;
      const rl_exports *x2 = open(data, h.file, e->from, &f2);
      if (!x2) continue;
      if (rest != paths[tail]) {
        size_t rl = strlen(rest);
        if (rl >= sizeof paths[tail]) continue;
        memcpy(paths[tail], rest, rl + 1);
      }
      q[tail] = (hop){x2, f2, paths[tail], h.depth + 1};
      tail++;
    }
  }
  return NULL;
}

/* ---- what an importer names ---------------------------------------------------------- */

/* The class a TypeScript constructor parameter property of the enclosing
 * class names: constructor(private readonly svc: TokenService) -> the
 * TokenService identifier node (in the type annotation). */
static TSNode param_property_type(rl_jsfile *jf, TSNode member_expr) {
  TSNode prop = field(member_expr, "property");
  TSNode cls = member_expr;
  for (int i = 0; i < 64 && !ts_node_is_null(cls) && !is_class(cls); i++) cls = rl_js_parent(cls);
  if (!is_class(cls)) return null_node();
  TSNode body = field(cls, "body");
  uint32_t n = ts_node_named_child_count(body);
  for (uint32_t i = 0; i < n; i++) {
    TSNode m = ts_node_named_child(body, i);
    if (!type_is(m, "method_definition") || !rl_js_text_is(jf, field(m, "name"), "constructor")) continue;
    TSNode params = field(m, "parameters");
    uint32_t np = ts_node_named_child_count(params);
    for (uint32_t k = 0; k < np; k++) {
      TSNode p = ts_node_named_child(params, k);
      if (!type_is(p, "required_parameter") && !type_is(p, "optional_parameter")) continue;
      int has_modifier = 0;
      for (uint32_t q = 0; q < ts_node_named_child_count(p); q++) {
        TSNode c = ts_node_named_child(p, q);
        if (type_is(c, "accessibility_modifier") || type_is(c, "override_modifier")) has_modifier = 1;
      }
      size_t pl, nl;
      const char *pt = rl_js_text(jf, prop, &pl);
      const char *nt = rl_js_text(jf, field(p, "pattern"), &nl);
      /* `readonly x: T` alone is a parameter property too */
      if (!has_modifier) {
        size_t tl;
        const char *tt = rl_js_text(jf, p, &tl);
        has_modifier = tl > 9 && !memcmp(tt, "readonly ", 9);
      }
      if (!has_modifier || pl != nl || memcmp(pt, nt, pl)) continue;
      TSNode ty = field(p, "type");
      TSNode id = ts_node_named_child(ty, 0);
      return type_is(id, "type_identifier") ? id : null_node();
    }
  }
  return null_node();
}

/* The value of the enclosing class's field `x = value` for this.x, if the
 * class declares it once. */
static TSNode field_value(rl_jsfile *jf, TSNode member_expr) {
  TSNode prop = field(member_expr, "property");
  TSNode cls = member_expr;
  for (int i = 0; i < 64 && !ts_node_is_null(cls) && !is_class(cls); i++) cls = rl_js_parent(cls);
  if (!is_class(cls)) return null_node();
  TSNode body = field(cls, "body"), found = null_node();
  int count = 0;
  uint32_t n = ts_node_named_child_count(body);
  size_t pl;
  const char *pt = rl_js_text(jf, prop, &pl);
  for (uint32_t i = 0; i < n; i++) {
    TSNode m = ts_node_named_child(body, i);
    if (!type_is(m, "public_field_definition") && !type_is(m, "field_definition")) continue;
    TSNode nm = field(m, "name");
    if (ts_node_is_null(nm)) nm = field(m, "property");
    size_t nl;
    const char *nt = rl_js_text(jf, nm, &nl);
    if (nl != pl || memcmp(nt, pt, pl)) continue;
    found = rl_js_unwrap(field(m, "value"));
    count++;
  }
  return count == 1 ? found : null_node();
}

/* The canonical name of the class an instance expression was made from:
 * `new T()`, a const bound to one, `this.x` of a class field `x = new T()`,
 * or a parameter property typed T. NULL if not an instance of an import. */
static const char *instance_class(rl_jsfile *jf, TSNode obj) {
  obj = rl_js_unwrap(obj);
  if (type_is(obj, "identifier")) obj = rl_js_unwrap(rl_js_const_init(jf, obj));
  if (type_is(obj, "new_expression")) return rl_js_resolve(jf, field(obj, "constructor"));
  if (!type_is(obj, "member_expression") || !type_is(rl_js_unwrap(field(obj, "object")), "this")) return NULL;
  TSNode fv = field_value(jf, obj);
  if (type_is(fv, "new_expression")) return rl_js_resolve(jf, field(fv, "constructor"));
  TSNode ty = param_property_type(jf, obj);
  if (ts_node_is_null(ty)) return NULL;
  /* the type's name, as a value: the import that binds it */
  size_t l;
  const char *t = rl_js_text(jf, ty, &l);
  TSNode root = rl_jsfile_root(jf);
  uint32_t nc = ts_node_named_child_count(root);
  for (uint32_t i = 0; i < nc; i++) {
    TSNode s = ts_node_named_child(root, i);
    if (!type_is(s, "import_statement")) continue;
    const char *spec;
    size_t sl;
    if (!rl_js_string_value(jf, field(s, "source"), &spec, &sl)) continue;
    TSNode clause = ts_node_named_child(s, 0);
    if (!type_is(clause, "import_clause")) continue;
    for (uint32_t k = 0; k < ts_node_named_child_count(clause); k++) {
      TSNode c = ts_node_named_child(clause, k);
      if (type_is(c, "identifier") && rl_js_text_is(jf, c, rl_arena_strndup(rl_jsfile_arena(jf), t, l)))
        return rl_arena_printf(rl_jsfile_arena(jf), "%.*s:", (int)sl, spec);
      if (!type_is(c, "named_imports")) continue;
      for (uint32_t q = 0; q < ts_node_named_child_count(c); q++) {
        TSNode is = ts_node_named_child(c, q);
        TSNode nm = field(is, "name"), alias = field(is, "alias");
        TSNode local = ts_node_is_null(alias) ? nm : alias;
        size_t ll, nl;
        const char *lt = rl_js_text(jf, local, &ll), *ntx = rl_js_text(jf, nm, &nl);
        if (ll == l && !memcmp(lt, t, l))
          return rl_arena_printf(rl_jsfile_arena(jf), "%.*s:%.*s", (int)sl, spec, (int)nl, ntx);
      }
    }
  }
  return NULL;
}

int rl_js_import_ref(rl_jsfile *jf, TSNode expr, const char **spec, const char **path) {
  TSNode n = rl_js_unwrap(expr);
  if (type_is(n, "call_expression")) n = rl_js_unwrap(field(n, "function"));
  if (rl_js_import_split(jf, rl_js_resolve(jf, n), spec, path)) return 1;
  if (!type_is(n, "member_expression")) return 0;
  const char *cls = instance_class(jf, field(n, "object"));
  const char *cpath;
  if (!cls || !rl_js_import_split(jf, cls, spec, &cpath)) return 0;
  size_t ml;
  const char *m = rl_js_text(jf, field(n, "property"), &ml);
  *path = *cpath ? rl_arena_printf(rl_jsfile_arena(jf), "%s.%.*s", cpath, (int)ml, m)
                 : rl_arena_strndup(rl_jsfile_arena(jf), m, ml);
  return 1;
}

/* The specifier shapes rl_exports_possible looks for, so that the prefilter
 * and the rules agree. */
static int local_spec(const char *s) {
  return s[0] == '.' || s[0] == '/' || s[0] == '#' || ((s[0] == '@' || s[0] == '~') && s[1] == '/');
}

const rl_export *rl_js_callee_export(rl_jsfile *jf, TSNode call, const char **file) {
  const char *spec, *path;
  *file = NULL;
  if (!rl_js_import_ref(jf, call, &spec, &path) || !local_spec(spec)) return NULL;
  const rl_export *x = rl_js_import_ask(jf, spec, path, file);
  return x && x->kind == RL_EXPORT_FUNCTION ? x : NULL;
}

const char *const rl_exports_needles[] = {"'.", "\".", "`.", "'/", "\"/", "'@/", "\"@/", "'~/", "\"~/", "'#", "\"#", NULL};

int rl_exports_possible(rl_prefilter *pf) {
  for (size_t i = 0; rl_exports_needles[i]; i++)
    if (rl_pf_has(pf, rl_exports_needles[i])) return 1;
  return 0;
}
