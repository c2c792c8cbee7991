/* What a function returns (returns.h): one walk over the body, nested
 * functions and classes skipped, each return statement judged. */
#include "returns.h"

#include <string.h>

#include "mint.h"

#define MAX_RET_DEPS 8

static int type_is(TSNode n, const char *t) { return !ts_node_is_null(n) && !strcmp(ts_node_type(n), t); }

static TSNode null_node_of(TSNode n) {
  (void)n;
  TSNode z;
  memset(&z, 0, sizeof z);
  return z;
}

static TSNode field(TSNode n, const char *name) { return rl_js_field(n, name); }

static int is_function(TSNode n) { return rl_js_is_function(n); }

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

/* An environment variable a value reads by a name that is a secret:
 * process.env.X_SECRET (directly or through a const), config.get('X_SECRET')
 * / getOrThrow (config services), or env('X_SECRET') where env is a
 * function of this file that reads process.env[name] / Deno.env.get(name)
 * with its parameter. Returns the variable's name. */
static int reads_env_by_param(rl_jsfile *jf, TSNode fn);

static const char *secret_env(scan *sc, TSNode v, size_t *len) {
  rl_jsfile *jf = sc->jf;
  const char *name;
  v = rl_js_unwrap(v);
  if (type_is(v, "identifier") && !rl_js_env_read(jf, v, &name, len)) {
    TSNode init = rl_js_const_init(jf, v);
    if (!ts_node_is_null(init)) v = rl_js_unwrap(init);
  }
  if (rl_js_env_read(jf, v, &name, len)) return rl_name_is_secret(name, *len) ? name : NULL;
  if (!type_is(v, "call_expression")) return NULL;
  const char *arg;
  if (!rl_js_string_value(jf, rl_js_call_arg(v, 0), &arg, len) || !rl_name_is_secret(arg, *len)) return NULL;
  TSNode fn = rl_js_unwrap(field(v, "function"));
  if (type_is(fn, "member_expression")) {
    TSNode prop = field(fn, "property");
    if (!rl_js_text_is(jf, prop, "get") && !rl_js_text_is(jf, prop, "getOrThrow")) return NULL;
    for (size_t i = 0; i < *len; i++)
      if ((arg[i] >= 'a' && arg[i] <= 'z') || arg[i] == '.' || arg[i] == '/')
        return NULL; /* a config path, not a variable */
    return arg;
  }
  if (!type_is(fn, "identifier")) return NULL;
  TSNode init = rl_js_unwrap(rl_js_const_init(jf, fn));
  return is_function(init) && reads_env_by_param(jf, init) ? arg : NULL;
}

typedef struct env_param {
  rl_jsfile *jf;
  const char *param;
  size_t plen;
  int hit;
} env_param;

static int env_param_visit(void *data, TSNode n) {
  env_param *ep = data;
  TSNode idx = null_node_of(n);
  if (type_is(n, "subscript_expression")) {
    TSNode obj = rl_js_unwrap(field(n, "object"));
    size_t ol;
    const char *ot = rl_js_text(ep->jf, obj, &ol);
    if ((ol == 11 && !memcmp(ot, "process.env", 11)) || (ol == 15 && !memcmp(ot, "import.meta.env", 15)))
      idx = rl_js_unwrap(field(n, "index"));
  } else if (type_is(n, "call_expression")) {
    size_t fl;
    const char *ft = rl_js_text(ep->jf, field(n, "function"), &fl);
    if (fl == 12 && !memcmp(ft, "Deno.env.get", 12)) idx = rl_js_unwrap(rl_js_call_arg(n, 0));
  }
  if (type_is(idx, "identifier")) {
    size_t l;
    const char *t = rl_js_text(ep->jf, idx, &l);
    if (l == ep->plen && !memcmp(t, ep->param, l)) {
      ep->hit = 1;
      return -1;
    }
  }
  return 0;
}

static int reads_env_by_param(rl_jsfile *jf, TSNode fn) {
  TSNode params = field(fn, "parameters");
  TSNode p = ts_node_is_null(params) ? field(fn, "parameter") : ts_node_named_child(params, 0);
  if (type_is(p, "required_parameter") || type_is(p, "optional_parameter")) p = field(p, "pattern");
  if (!type_is(p, "identifier")) return 0;
  env_param ep = {jf, NULL, 0, 0};
  ep.param = rl_js_text(jf, p, &ep.plen);
  rl_js_walk(fn, env_param_visit, &ep);
  return ep.hit;
}

static void secret_hit(scan *sc, TSNode at, const char *name, size_t len) {
  rl_symbol *s = &sc->s->s;
  if (s->effects & RL_EFF_RETURNS_SECRET) return;
  s->effects |= RL_EFF_RETURNS_SECRET;
  s->secret_name = rl_arena_strndup(sc->out, name, len);
  s->returns_at = site_at(sc, at);
}

/* The values `this.f = v` assigns anywhere in the class of the function:
 * what `return this.f` returns. */
typedef struct field_scan {
  scan *sc;
  TSNode member; /* the returned this.f */
  TSNode found[4];
  size_t n;
} field_scan;

static int field_visit(void *data, TSNode n) {
  field_scan *fs = data;
  if (!type_is(n, "assignment_expression")) return 0;
  TSNode left = rl_js_unwrap(field(n, "left"));
  if (!type_is(left, "member_expression") || !type_is(rl_js_unwrap(field(left, "object")), "this")) return 0;
  size_t a, b;
  const char *ta = rl_js_text(fs->sc->jf, field(left, "property"), &a);
  const char *tb = rl_js_text(fs->sc->jf, field(fs->member, "property"), &b);
  if (a == b && !memcmp(ta, tb, a) && fs->n < 4) fs->found[fs->n++] = field(n, "right");
  return 0;
}

static void returned_at(scan *sc, TSNode e, int depth);

static void returned(scan *sc, TSNode e) { returned_at(sc, e, 0); }

static void returned_at(scan *sc, TSNode e, int depth) {
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
  if ((name = secret_env(sc, v, &len))) {
    secret_hit(sc, e, name, len);
    return;
  }
  if (type_is(v, "object")) { /* return { appId, appCertificate }: one level */
    uint32_t n = ts_node_named_child_count(v);
    for (uint32_t i = 0; i < n; i++) {
      TSNode c = ts_node_named_child(v, i);
      TSNode val = type_is(c, "pair")                            ? field(c, "value")
                   : type_is(c, "shorthand_property_identifier") ? c
                                                                 : null_node_of(c);
      if (ts_node_is_null(val)) continue;
      if (type_is(val, "shorthand_property_identifier")) {
        TSNode init = rl_js_const_init(jf, val);
        const char *nm;
        if (!ts_node_is_null(init) && (nm = secret_env(sc, init, &len))) {
          secret_hit(sc, c, nm, len);
          return;
        }
        continue;
      }
      if ((name = secret_env(sc, val, &len))) {
        secret_hit(sc, c, name, len);
        return;
      }
    }
    return;
  }
  if (depth == 0 && type_is(v, "member_expression") && type_is(rl_js_unwrap(field(v, "object")), "this")) {
    /* return this.#token: what the class assigns to it */
    TSNode cls = sc->fn;
    for (int i = 0; i < 64 && !ts_node_is_null(cls) && !is_class(cls); i++) cls = rl_js_parent(cls);
    if (is_class(cls)) {
      field_scan fs;
      memset(&fs, 0, sizeof fs);
      fs.sc = sc;
      fs.member = v;
      rl_js_walk(field(cls, "body"), field_visit, &fs);
      for (size_t i = 0; i < fs.n; i++) returned_at(sc, fs.found[i], depth + 1);
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
      s->returns_what = rl_arena_strdup(sc->out, m.what);
      s->returns_at = site_at(sc, m.call);
    }
    return;
  }
  e = v; /* const t = helper(); return t; */
  if (type_is(e, "await_expression")) e = rl_js_unwrap(ts_node_named_child(e, 0));
  if (!type_is(e, "call_expression")) return;
  rl_symref r;
  if (!private_call(sc, e, &r) && !rl_summary_ref(jf, e, 1, &r)) return;
  add_dep(sc, &r);
  /* this.#sign({ type: 'management', ... }): the token it returns is a
   * management token whatever the helper's own claims say */
  TSNode claims = rl_js_object_of(jf, rl_js_call_arg(e, 0));
  TSNode type = ts_node_is_null(claims) ? claims : rl_js_object_get(jf, claims, "type");
  const char *tv;
  size_t tl;
  if (!ts_node_is_null(type) && rl_js_eval_string(jf, type, &tv, &tl) && tl == 10 && !memcmp(tv, "management", 10))
    s->returns_management = 1;
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
