/* What a function returns (returns.h): one walk over the body, nested
 * functions and classes skipped, each return statement judged. */
#include "returns.h"

#include <string.h>

#include "mint.h"

#define MAX_RET_DEPS 8

static int type_is(TSNode n, const char *t) { return !ts_node_is_null(n) && !strcmp(ts_node_type(n), t); }

static TSNode field(TSNode n, const char *name) { return ts_node_child_by_field_name(n, name, (uint32_t)strlen(name)); }

static int is_function(TSNode n) {
  return type_is(n, "arrow_function") || type_is(n, "function_expression") || type_is(n, "function") ||
         type_is(n, "function_declaration") || type_is(n, "generator_function_declaration") ||
         type_is(n, "method_definition") || type_is(n, "generator_function");
}

static int is_class(TSNode n) {
  return type_is(n, "class_declaration") || type_is(n, "class") || type_is(n, "abstract_class_declaration");
}

typedef struct scan {
  rl_jsfile *jf;
  TSNode fn;
  const char *path;
  rl_arena *out;
  rl_localsym *s;
  rl_symref deps[MAX_RET_DEPS];
  size_t ndeps;
} scan;

static rl_site site_at(scan *sc, TSNode n) {
  rl_site st = {sc->path, 0, 0};
  rl_source_position(rl_jsfile_source(sc->jf), ts_node_start_byte(n), &st.line, &st.col);
  return st;
}

/* this.#m(...) inside class C: the local symbol "#C.#m" (summary.c names
 * every method "#Class.method", private ones with their '#'). */
static int private_call(scan *sc, TSNode call, rl_symref *out) {
  TSNode fn = rl_js_unwrap(field(call, "function"));
  if (!type_is(fn, "member_expression") || !type_is(rl_js_unwrap(field(fn, "object")), "this")) return 0;
  TSNode prop = field(fn, "property");
  if (!type_is(prop, "private_property_identifier")) return 0;
  TSNode cls = sc->fn;
  for (int i = 0; i < 64 && !ts_node_is_null(cls) && !is_class(cls); i++) cls = rl_js_parent(cls);
  TSNode name = field(cls, "name");
  if (!is_class(cls) || ts_node_is_null(name)) return 0;
  size_t cl, pl;
  const char *c = rl_js_text(sc->jf, name, &cl), *p = rl_js_text(sc->jf, prop, &pl);
  out->spec = NULL;
  out->name = rl_arena_printf(sc->out, "#%.*s.%.*s", (int)cl, c, (int)pl, p);
  return 1;
}

static void add_dep(scan *sc, const rl_symref *r) {
  if (sc->ndeps == MAX_RET_DEPS) return;
  for (size_t i = 0; i < sc->ndeps; i++)
    if (!strcmp(sc->deps[i].name, r->name) &&
        (sc->deps[i].spec == r->spec || (sc->deps[i].spec && r->spec && !strcmp(sc->deps[i].spec, r->spec))))
      return;
  sc->deps[sc->ndeps].spec = r->spec ? rl_arena_strdup(sc->out, r->spec) : NULL;
  sc->deps[sc->ndeps].name = rl_arena_strdup(sc->out, r->name);
  sc->ndeps++;
}

static void returned(scan *sc, TSNode e) {
  rl_jsfile *jf = sc->jf;
  rl_symbol *s = &sc->s->s;
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
  if (type_is(v, "identifier") && !rl_js_env_read(jf, v, &name, &len)) {
    TSNode init = rl_js_const_init(jf, v);
    if (!ts_node_is_null(init)) v = rl_js_unwrap(init);
  }
  if (rl_js_env_read(jf, v, &name, &len) && rl_name_is_secret(name, len)) {
    if (!(s->effects & RL_EFF_RETURNS_SECRET)) {
      s->effects |= RL_EFF_RETURNS_SECRET;
      s->secret_name = rl_arena_strndup(sc->out, name, len);
      s->returns_at = site_at(sc, e);
    }
    return;
  }
  rl_mint m;
  TSNode tok = e;
  /* the 100ms SDK's auth calls give { token, expiresAt }: t.token */
  if (type_is(e, "member_expression") && rl_js_text_is(jf, field(e, "property"), "token")) {
    TSNode o = rl_js_unwrap(field(e, "object"));
    if (rl_mint_token_expr(jf, o, &m) && m.kind == RL_MINT_HMS_SDK) tok = o;
  }
  if (rl_mint_token_expr(jf, tok, &m)) {
    if (!(s->effects & RL_EFF_RETURNS_TOKEN) || (m.is_management && !s->returns_management)) {
      s->effects |= RL_EFF_RETURNS_TOKEN;
      s->returns_management = m.is_management;
      s->returns_what = m.what;
      s->returns_at = site_at(sc, m.call);
    }
    return;
  }
  e = v; /* const t = helper(); return t; */
  if (type_is(e, "await_expression")) e = rl_js_unwrap(ts_node_named_child(e, 0));
  if (!type_is(e, "call_expression")) return;
  rl_symref r;
  if (private_call(sc, e, &r) || rl_summary_ref(jf, e, 1, &r)) add_dep(sc, &r);
}

static int visit(void *data, TSNode n) {
  scan *sc = data;
  if (rl_jsfile_exhausted(sc->jf)) return -1;
  if ((is_function(n) && !ts_node_eq(n, sc->fn)) || is_class(n)) return 1; /* their returns are their own */
  if (type_is(n, "return_statement") && ts_node_named_child_count(n) > 0) returned(sc, ts_node_named_child(n, 0));
  return 0;
}

void rl_returns_scan(rl_jsfile *jf, TSNode fn, const char *path, rl_arena *out, rl_localsym *s) {
  if (!s || ts_node_is_null(fn)) return;
  scan sc;
  memset(&sc, 0, sizeof sc);
  sc.jf = jf;
  sc.fn = fn;
  sc.path = path;
  sc.out = out;
  sc.s = s;
  TSNode body = field(fn, "body");
  if (ts_node_is_null(body)) return;
  if (type_is(fn, "arrow_function") && !type_is(body, "statement_block"))
    returned(&sc, body);
  else
    rl_js_walk(body, visit, &sc);
  if (sc.ndeps) {
    rl_symref *d = rl_arena_alloc(out, sc.ndeps * sizeof *d);
    memcpy(d, sc.deps, sc.ndeps * sizeof *d);
    s->ret_deps = d;
    s->nret_deps = sc.ndeps;
  }
}
