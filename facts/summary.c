/* Per-file summaries for the project model (summary.h). One pass over the
 * top-level statements finds the symbols; one walk over each function body
 * finds what it does by itself and what it calls. Nothing here follows an
 * import: the engine joins the references (src/model.c). */
#include "summary.h"

#include <stdlib.h>
#include <ctype.h>
#include <string.h>

#include "auth.h"
#include "cors.h"
#include "forward.h"
#include "instances.h"
#include "mint.h"
#include "privileged.h"
#include "reqinput.h"
#include "requrl.h"
#include "returns.h"
#include "routes.h"
#include "util.h"

#define MAX_DEPS 32   /* calls remembered per symbol */
#define MAX_SYMS 4096 /* symbols per file */

static int type_is(TSNode n, const char *t) { return !ts_node_is_null(n) && strcmp(ts_node_type(n), t) == 0; }
static TSNode field(TSNode n, const char *name) { return rl_js_field(n, name); }

static int is_function(TSNode n) { return rl_js_is_function(n); }

static int is_class(TSNode n) {
  return type_is(n, "class_declaration") || type_is(n, "class") || type_is(n, "abstract_class_declaration");
}

typedef struct builder {
  rl_jsfile *jf;
  rl_arena *out;
  const char *path;
  rl_localsym *syms;
  size_t nsyms, cap;
  const char **stars;
  size_t nstars, stars_cap;
  /* what the file's bytes may hold, read once: an Access-Control-Allow-Origin
   * header (rl_cors_star_header), a `.query` / `.body` / `.params` read
   * (rl_auth_fn_user_from_input) */
  int acao, req_reads;
} builder;

static const char *text_dup(builder *b, TSNode n) {
  size_t l;
  const char *s = rl_js_text(b->jf, n, &l);
  return rl_arena_strndup(b->out, s ? s : "", s ? l : 0);
}

static rl_site site_of(builder *b, TSNode n) {
  rl_site s = {b->path, 0, 0};
  if (!ts_node_is_null(n)) rl_source_position(rl_jsfile_source(b->jf), ts_node_start_byte(n), &s.line, &s.col);
  return s;
}

static rl_localsym *add_sym(builder *b, const char *name, rl_sym_kind kind, TSNode def) {
  if (b->nsyms >= MAX_SYMS) return NULL;
  b->syms = rl_arena_grow(b->out, b->syms, b->nsyms, &b->cap, sizeof *b->syms);
  rl_localsym *s = &b->syms[b->nsyms++];
  memset(s, 0, sizeof *s);
  s->s.name = rl_arena_strdup(b->out, name);
  s->s.kind = kind;
  s->s.def = site_of(b, def);
  s->s.at = s->s.def;
  return s;
}

/* ---- references ------------------------------------------------------------------- */

/* The class a node sits in, or null. */
static TSNode enclosing_class(TSNode n) {
  for (TSNode p = rl_js_parent(n); !ts_node_is_null(p); p = rl_js_parent(p))
    if (is_class(p)) return p;
  TSNode z;
  memset(&z, 0, sizeof z);
  return z;
}

/* A canonical name "spec:path" from rl_js_resolve into a reference. Only
 * specifiers that could be project files: relative, or an alias a tsconfig
 * may map (anything that is not a URL or a node: builtin). */
static int canon_ref(rl_jsfile *jf, const char *canon, rl_symref *out) {
  if (!canon) return 0;
  const char *colon = strchr(canon, ':');
  if (!colon || colon == canon) return 0;
  rl_arena *a = rl_jsfile_arena(jf);
  out->spec = rl_arena_strndup(a, canon, (size_t)(colon - canon));
  out->name = rl_arena_strdup(a, colon + 1);
  return 1;
}

/* The class an expression makes: `new X(...)`, through a const or this.x. */
static TSNode new_of(rl_jsfile *jf, TSNode e) {
  e = rl_js_unwrap(e);
  for (int hop = 0; hop < 3 && !ts_node_is_null(e); hop++) {
    if (type_is(e, "await_expression")) e = rl_js_unwrap(ts_node_named_child(e, 0));
    if (type_is(e, "new_expression")) return e;
    if (!type_is(e, "identifier") && !type_is(e, "member_expression")) break;
    e = rl_js_unwrap(rl_value_source(jf, e));
  }
  TSNode z;
  memset(&z, 0, sizeof z);
  return z;
}

/* The import that binds `name` at the top of the file: (spec, imported
 * name; "" for a default or namespace import). */
static int import_named(rl_jsfile *jf, const char *name, size_t n, rl_symref *out) {
  TSNode root = rl_jsfile_root(jf);
  rl_arena *a = rl_jsfile_arena(jf);
  for (uint32_t i = 0; i < ts_node_named_child_count(root); i++) {
    TSNode st = ts_node_named_child(root, i);
    if (!type_is(st, "import_statement")) continue;
    const char *spec;
    size_t sl;
    if (!rl_js_string_value(jf, field(st, "source"), &spec, &sl)) continue;
    for (uint32_t k = 0; k < ts_node_named_child_count(st); k++) {
      TSNode c = ts_node_named_child(st, k);
      if (!type_is(c, "import_clause")) continue;
      for (uint32_t j = 0; j < ts_node_named_child_count(c); j++) {
        TSNode d = ts_node_named_child(c, j);
        if (type_is(d, "identifier") && rl_js_text_is(jf, d, rl_arena_strndup(a, name, n))) {
          out->spec = rl_arena_strndup(a, spec, sl);
          out->name = "";
          return 1;
        }
        if (!type_is(d, "named_imports")) continue;
        for (uint32_t q = 0; q < ts_node_named_child_count(d); q++) {
          TSNode is = ts_node_named_child(d, q);
          TSNode nm = field(is, "name"), al = field(is, "alias");
          TSNode local = ts_node_is_null(al) ? nm : al;
          size_t ll;
          const char *lt = rl_js_text(jf, local, &ll);
          if (!type_is(is, "import_specifier") || ll != n || memcmp(lt, name, n)) continue;
          out->spec = rl_arena_strndup(a, spec, sl);
          out->name =
              rl_arena_strdup(a, rl_js_text(jf, nm, &ll) ? rl_arena_strndup(a, rl_js_text(jf, nm, &ll), ll) : "");
          return 1;
        }
      }
    }
  }
  return 0;
}

/* this.x declared as a constructor parameter property `private x: T`
 * where T is imported: the class T. */
static int param_property_class(rl_jsfile *jf, TSNode member, rl_symref *out) {
  TSNode cls = enclosing_class(member);
  if (ts_node_is_null(cls)) return 0; /* `this` of a plain function */
  TSNode body = field(cls, "body");
  size_t pl;
  const char *prop = rl_js_text(jf, field(member, "property"), &pl);
  for (uint32_t i = 0; i < ts_node_named_child_count(body); i++) {
    TSNode m = ts_node_named_child(body, i);
    if (!type_is(m, "method_definition") || !rl_js_text_is(jf, field(m, "name"), "constructor")) continue;
    TSNode params = field(m, "parameters");
    for (uint32_t k = 0; k < ts_node_named_child_count(params); k++) {
      TSNode p = ts_node_named_child(params, k);
      if (!type_is(p, "required_parameter") && !type_is(p, "optional_parameter")) continue;
      int has_modifier = 0;
      for (uint32_t j = 0; j < ts_node_named_child_count(p); j++) {
        const char *t = ts_node_type(ts_node_named_child(p, j));
        if (!strcmp(t, "accessibility_modifier") || !strcmp(t, "readonly")) has_modifier = 1;
      }
      for (uint32_t j = 0; j < ts_node_child_count(p); j++)
        if (!strcmp(ts_node_type(ts_node_child(p, j)), "readonly")) has_modifier = 1;
      size_t nl;
      const char *nm = rl_js_text(jf, field(p, "pattern"), &nl);
      if (!has_modifier || !nm || nl != pl || memcmp(nm, prop, pl)) continue;
      TSNode ty = field(p, "type"); /* type_annotation */
      TSNode tid = ts_node_named_child(ty, 0);
      if (!type_is(tid, "type_identifier")) return 0;
      size_t tl;
      const char *tn = rl_js_text(jf, tid, &tl);
      return import_named(jf, tn, tl, out);
    }
  }
  return 0;
}

int rl_summary_ref(rl_jsfile *jf, TSNode e, int local, rl_symref *out) {
  memset(out, 0, sizeof *out);
  e = rl_js_unwrap(e);
  if (type_is(e, "await_expression")) e = rl_js_unwrap(ts_node_named_child(e, 0));
  if (type_is(e, "call_expression")) {
    TSNode fn = rl_js_unwrap(field(e, "function"));
    /* require('./m') itself names the module object; require('./m')(x) calls it */
    if (!(type_is(fn, "identifier") && rl_js_text_is(jf, fn, "require"))) e = fn;
  } else if (type_is(e, "new_expression")) {
    e = rl_js_unwrap(field(e, "constructor"));
  }
  if (ts_node_is_null(e)) return 0;
  rl_arena *a = rl_jsfile_arena(jf);
  const char *canon = rl_js_resolve(jf, e);
  if (canon && strchr(canon, ':')) return canon_ref(jf, canon, out);
  if (type_is(e, "call_expression")) { /* require('./m') as a value */
    const char *mod;
    size_t ml;
    TSNode fn = rl_js_unwrap(field(e, "function"));
    if (type_is(fn, "identifier") && rl_js_text_is(jf, fn, "require") &&
        rl_js_string_value(jf, rl_js_call_arg(e, 0), &mod, &ml)) {
      out->spec = rl_arena_strndup(a, mod, ml);
      out->name = "";
      return 1;
    }
    return 0;
  }
  if (type_is(e, "identifier")) {
    if (!local) return 0;
    size_t l;
    const char *s = rl_js_text(jf, e, &l);
    out->name = rl_arena_printf(a, "#%.*s", (int)l, s);
    return 1;
  }
  if (!type_is(e, "member_expression")) return 0;
  TSNode obj = rl_js_unwrap(field(e, "object"));
  size_t pl;
  const char *prop = rl_js_text(jf, field(e, "property"), &pl);
  if (!prop || (!type_is(field(e, "property"), "property_identifier") &&
                !type_is(field(e, "property"), "private_property_identifier")))
    return 0;
  if (type_is(obj, "this")) {
    if (!local) return 0;
    TSNode cls = enclosing_class(e);
    TSNode name = field(cls, "name");
    if (ts_node_is_null(name)) return 0;
    size_t cl;
    const char *c = rl_js_text(jf, name, &cl);
    out->name = rl_arena_printf(a, "#%.*s.%.*s", (int)cl, c, (int)pl, prop);
    return 1;
  }
  /* this.svc where the constructor declares `private readonly svc: Svc`
   * (TypeScript parameter properties, NestJS injection): Svc's method */
  if (type_is(obj, "member_expression") && type_is(rl_js_unwrap(field(obj, "object")), "this") &&
      ts_node_is_null(rl_value_source(jf, obj))) {
    rl_symref cls;
    if (param_property_class(jf, obj, &cls)) {
      out->spec = cls.spec;
      out->name = rl_arena_printf(a, "%s%s.%.*s", cls.name, cls.name[0] ? "" : "default", (int)pl, prop);
      return 1;
    }
  }
  /* obj made by `new X()` (directly, a const, this.x): X's method */
  TSNode nw = new_of(jf, obj);
  if (!ts_node_is_null(nw)) {
    TSNode ctor = rl_js_unwrap(field(nw, "constructor"));
    const char *cc = rl_js_resolve(jf, ctor);
    rl_symref cls;
    if (cc && strchr(cc, ':') && canon_ref(jf, cc, &cls)) {
      out->spec = cls.spec;
      out->name = rl_arena_printf(a, "%s%s.%.*s", cls.name, cls.name[0] ? "" : "default", (int)pl, prop);
      return 1;
    }
    if (local && type_is(ctor, "identifier")) {
      size_t cl;
      const char *c = rl_js_text(jf, ctor, &cl);
      out->name = rl_arena_printf(a, "#%.*s.%.*s", (int)cl, c, (int)pl, prop);
      return 1;
    }
    return 0;
  }
  /* this.svc with constructor(private readonly svc: Service), Service imported */
  const char *pc = rl_param_property_class(jf, obj);
  rl_symref pcls;
  if (pc && canon_ref(jf, pc, &pcls)) {
    out->spec = pcls.spec;
    out->name = rl_arena_printf(a, "%s%s.%.*s", pcls.name, pcls.name[0] ? "" : "default", (int)pl, prop);
    return 1;
  }
  if (local && type_is(obj, "identifier")) { /* a top-level object of functions */
    size_t ol;
    const char *o = rl_js_text(jf, obj, &ol);
    out->name = rl_arena_printf(a, "#%.*s.%.*s", (int)ol, o, (int)pl, prop);
    return 1;
  }
  return 0;
}

/* ---- what a body does --------------------------------------------------------------- */

typedef struct body_scan {
  builder *b;
  rl_localsym *sym;
  TSNode fn;
  rl_symref deps[MAX_DEPS];
  size_t ndeps;
} body_scan;

static const char *mint_provider(const rl_mint *m) {
  switch (m->kind) {
  case RL_MINT_LIVEKIT: return "livekit";
  case RL_MINT_TWILIO: return "twilio";
  case RL_MINT_AGORA: return "agora";
  case RL_MINT_OPENTOK: return "opentok";
  case RL_MINT_HMS_SDK: return "100ms";
  default: return "jwt";
  }
}

/* Where a value comes from, in a mint's claims: a request input, an
 * argument of the symbol, a literal. NULL when not known. */
static const char *value_origin(rl_jsfile *jf, TSNode fn, TSNode v) {
  v = rl_js_unwrap(v);
  if (ts_node_is_null(v)) return NULL;
  if (type_is(v, "string")) return "literal";
  size_t l;
  const char *s = rl_js_text(jf, v, &l);
  rl_reqin in; /* the one answer to "from the request?" (reqinput.h) */
  rl_reqin_scan(&in, jf, rl_jsfile_arena(jf), fn, NULL);
  if (rl_reqin_value(&in, v, NULL)) return "request";
  if (type_is(v, "identifier")) {
    TSNode init = rl_js_const_init(jf, v);
    if (type_is(init, "string")) return "literal";
    for (uint32_t i = 0; i < rl_js_param_count(fn); i++) {
      size_t pl;
      const char *p = rl_js_text(jf, rl_js_param(fn, i), &pl);
      if (p && pl >= l && !memcmp(p, s, l) && (pl == l || p[l] == ':' || p[l] == ' ' || p[l] == '='))
        return "parameter";
    }
  }
  return NULL;
}

static void set_what(body_scan *bs, const char *what, TSNode at) {
  if (bs->sym->s.what) return;
  bs->sym->s.what = rl_arena_strdup(bs->b->out, what);
  bs->sym->s.at = site_of(bs->b, at);
}

/* A privileged provider action (privileged.h: the one table of SDK
 * methods and REST endpoints): what the symbol does at the provider. */
static int provider_call(body_scan *bs, TSNode call) {
  rl_priv p;
  if (!rl_priv_call(bs->b->jf, call, &p, NULL)) return 0;
  rl_symbol *sym = &bs->sym->s;
  sym->effects |= RL_EFF_PROVIDER_API | (p.room ? RL_EFF_ROOM_CHANGE : 0);
  sym->api_provider = p.provider;
  sym->api_method = p.method ? rl_arena_strdup(bs->b->out, p.method) : NULL;
  sym->url_known = p.url_known;
  set_what(bs, p.what, call);
  return 1;
}

const char *rl_summary_http_verb_call(rl_jsfile *jf, TSNode call, const char **url) {
  static const struct {
    const char *verb, *method;
  } verbs[] = {{"get", "GET"},   {"delete", "DELETE"}, {"head", "HEAD"},  {"options", "OPTIONS"},
               {"post", "POST"}, {"put", "PUT"},       {"patch", "PATCH"}};
  *url = NULL;
  TSNode fn = rl_js_unwrap(field(call, "function"));
  if (!type_is(fn, "member_expression")) return NULL;
  TSNode prop = field(fn, "property");
  for (size_t i = 0; i < RL_ARRAY_LEN(verbs); i++) {
    if (!rl_js_text_is(jf, prop, verbs[i].verb)) continue;
    const char *u;
    size_t ul;
    if (!rl_url_text(jf, rl_js_call_arg(call, 0), &u, &ul)) return NULL;
    *url = rl_arena_strndup(rl_jsfile_arena(jf), u, ul);
    return verbs[i].method;
  }
  return NULL;
}

static int body_visit(void *data, TSNode n) {
  body_scan *bs = data;
  rl_jsfile *jf = bs->b->jf;
  int is_call = type_is(n, "call_expression"), is_new = type_is(n, "new_expression");
  if (!is_call && !is_new) return 0;
  if (rl_jsfile_exhausted(jf)) return -1;
  rl_mint m;
  if (rl_mint_match(jf, n, &m)) {
    rl_localsym *s = bs->sym;
    if (!(s->s.effects & RL_EFF_MINT)) {
      s->s.effects |= RL_EFF_MINT;
      s->s.mint.provider = mint_provider(&m);
      s->s.mint.what = rl_arena_strdup(bs->b->out, m.what); /* may live in the file's arena */
      s->s.mint.is_management = m.is_management;
      s->s.mint.room_claims = rl_mint_room_claims(jf, &m);
      rl_lifetime life;
      rl_mint_lifetime(jf, &m, &life);
      s->s.mint.life_known = life.state == RL_LIFE_SET && life.known;
      s->s.mint.life_seconds = life.seconds;
      s->s.mint.life_none = life.state == RL_LIFE_NONE;
      TSNode role = ts_node_is_null(m.payload) ? m.payload : rl_js_object_get(jf, m.payload, "role");
      s->s.mint.role_from = value_origin(jf, bs->fn, role);
      s->s.mint.where = site_of(bs->b, n);
      set_what(bs, m.is_management ? "mints a management token" : "mints a token", n);
    }
    return 0;
  }
  if (is_call && provider_call(bs, n)) return 0;
  if (is_call) {
    TSNode fn = rl_js_unwrap(field(n, "function"));
    TSNode name = type_is(fn, "member_expression") ? field(fn, "property") : fn;
    size_t l;
    const char *s = rl_js_text(jf, name, &l);
    if ((type_is(name, "identifier") || type_is(name, "property_identifier")) && rl_room_change_name(s, l)) {
      bs->sym->s.effects |= RL_EFF_ROOM_CHANGE;
      set_what(bs, rl_arena_printf(bs->b->out, "creates or changes rooms (%.*s)", (int)l, s), n);
    }
  }
  rl_symref ref;
  if (bs->ndeps < MAX_DEPS && rl_summary_ref(jf, n, 1, &ref)) {
    const char *url = NULL, *method = rl_summary_http_verb_call(jf, n, &url);
    for (size_t i = 0; i < bs->ndeps; i++)
      if (!strcmp(bs->deps[i].name, ref.name) &&
          (bs->deps[i].spec == ref.spec || (bs->deps[i].spec && ref.spec && !strcmp(bs->deps[i].spec, ref.spec))) &&
          (!url || (bs->deps[i].url && !strcmp(bs->deps[i].url, url))))
        return 0;
    rl_symref *d = &bs->deps[bs->ndeps++];
    memset(d, 0, sizeof *d);
    d->spec = ref.spec ? rl_arena_strdup(bs->b->out, ref.spec) : NULL;
    d->name = rl_arena_strdup(bs->b->out, ref.name);
    d->at = site_of(bs->b, n);
    if (url) {
      d->url = rl_arena_strdup(bs->b->out, url);
      d->method = method;
    }
  }
  return 0;
}

/* (req, res, next), (ctx, next), (request, reply, done) */
static int middleware_shaped(rl_jsfile *jf, TSNode fn) {
  uint32_t n = rl_js_param_count(fn);
  if (n < 2 || n > 4) return 0;
  const char *last = rl_route_param_name(jf, fn, n - 1);
  return last && (!strcmp(last, "next") || !strcmp(last, "done") || !strcmp(last, "nxt"));
}

static void scan_function(builder *b, rl_localsym *s, TSNode fn) {
  if (!s || ts_node_is_null(fn)) return;
  body_scan bs;
  memset(&bs, 0, sizeof bs);
  bs.b = b;
  bs.sym = s;
  bs.fn = fn;
  TSNode body = field(fn, "body");
  if (ts_node_is_null(body)) body = fn;
  rl_js_walk(body, body_visit, &bs);
  TSNode fwd_at;
  const char *fwd = rl_fn_forwards_token(b->jf, fn, &fwd_at);
  if (fwd) {
    s->s.effects |= RL_EFF_FORWARDS_TOKEN;
    set_what(&bs, fwd, fwd_at);
  }
  rl_auth_check c;
  rl_auth_check_scan(b->jf, body, rl_route_param_name(b->jf, fn, 0), &c);
  /* it checks for real: a verification or a session/user read (or a call
   * whose name enforces auth), and it refuses: 401/403, or throws */
  if ((c.verified || c.weak || c.strong) && (c.refuse || c.throws)) s->s.effects |= RL_EFF_AUTH;
  s->is_middleware = middleware_shaped(b->jf, fn);
  if (s->is_middleware && rl_auth_sets_user(b->jf, fn)) s->s.effects |= RL_EFF_SETS_USER;
  /* what a caller's object argument gives, for a function that mints or
   * calls one that may (the rest never matter) */
  s->s.nparam_keys = (s->s.effects & RL_EFF_MINT) || bs.ndeps ? rl_js_param_count(fn) : UINT32_MAX;
  for (uint32_t i = 0; i < s->s.nparam_keys && i < RL_SYM_MAX_PARAMS; i++)
    s->s.param_keys[i] = s->s.nparam_keys == UINT32_MAX ? NULL : rl_js_param_keys(b->jf, fn, i, b->out);
  if (s->s.nparam_keys && s->s.nparam_keys != UINT32_MAX &&
      type_is(rl_js_param(fn, s->s.nparam_keys - 1), "rest_pattern"))
    s->s.nparam_keys = UINT32_MAX; /* (...args): every later argument is read */
  rl_returns_scan(b->jf, fn, b->path, b->out, s);
  if (b->req_reads && !c.verified && !c.weak && !c.strong) s->s.user_from_input = rl_auth_fn_user_from_input(b->jf, fn);
  TSNode star = b->acao ? rl_cors_star_header(b->jf, body) : (TSNode){{0}, NULL, NULL};
  if (!ts_node_is_null(star)) {
    s->s.cors_star = 1;
    s->s.cors_at = site_of(b, star);
  }
  if ((s->s.effects & RL_EFF_AUTH) && s->is_middleware) s->s.effects |= RL_EFF_AUTH_MW;
  if (bs.ndeps) {
    rl_symref *d = rl_arena_alloc(b->out, bs.ndeps * sizeof *d);
    memcpy(d, bs.deps, bs.ndeps * sizeof *d);
    s->deps = d;
    s->ndeps = bs.ndeps;
  }
}

/* ---- symbols ----------------------------------------------------------------------- */

static void add_alias(builder *b, const char *name, const char *spec, const char *target, TSNode def) {
  rl_localsym *s = add_sym(b, name, RL_SYM_OTHER, def);
  if (!s) return;
  s->alias.spec = spec ? rl_arena_strdup(b->out, spec) : NULL;
  s->alias.name = rl_arena_strdup(b->out, target);
}

static void add_class(builder *b, const char *name, TSNode cls) {
  rl_localsym *c = add_sym(b, name, RL_SYM_CLASS, cls);
  if (!c) return;
  size_t ci = b->nsyms - 1; /* c moves when the symbols grow */
  const char *cname = name[0] == '#' ? name + 1 : name;
  const char *class_name = c->s.class_name = rl_arena_strdup(b->out, cname);
  const char *mints_via = NULL;
  TSNode body = field(cls, "body"), ctor = {{0}, NULL, NULL};
  for (uint32_t i = 0; i < ts_node_named_child_count(body); i++) {
    TSNode m = ts_node_named_child(body, i);
    if (!type_is(m, "method_definition")) continue;
    size_t ml;
    const char *mn = rl_js_text(b->jf, field(m, "name"), &ml);
    if (!mn) continue;
    if (ml == 11 && !memcmp(mn, "constructor", 11)) ctor = m;
    const char *full = rl_arena_printf(b->out, "%s.%.*s", name, (int)ml, mn);
    rl_localsym *s = add_sym(b, full, RL_SYM_METHOD, m);
    if (!s) continue;
    s->s.class_name = class_name;
    scan_function(b, s, m);
    if (!mints_via && (s->s.effects & RL_EFF_MINT)) mints_via = rl_arena_strndup(b->out, mn, ml);
  }
  /* what `new C({ ... })` hands a class that mints: its constructor's keys */
  c = &b->syms[ci];
  c->s.mints_via = mints_via;
  c->s.nparam_keys = ts_node_is_null(ctor) ? 0 : rl_js_param_count(ctor);
  for (uint32_t i = 0; mints_via && i < c->s.nparam_keys && i < RL_SYM_MAX_PARAMS; i++)
    c->s.param_keys[i] = rl_js_param_keys(b->jf, ctor, i, b->out);
}

/* A value bound to a local name (a declarator, export default, a
 * module.exports assignment): what kind of symbol it makes. */
static void add_value(builder *b, const char *name, TSNode v, TSNode def) {
  rl_jsfile *jf = b->jf;
  v = rl_js_unwrap(v);
  if (ts_node_is_null(v)) return;
  if (is_function(v)) {
    scan_function(b, add_sym(b, name, RL_SYM_FUNCTION, def), v);
    return;
  }
  if (is_class(v)) {
    add_class(b, name, v);
    return;
  }
  TSNode made = rl_mint_instance_new(jf, v);
  if (!ts_node_is_null(made)) v = made; /* cond ? new OpenTok(a, b) : new OpenTok(c, d) */
  if (type_is(v, "new_expression")) {
    rl_localsym *s = add_sym(b, name, RL_SYM_INSTANCE, def);
    if (!s) return;
    const char *of = rl_mint_callee(jf, v);
    if (of) s->s.instance_of = rl_arena_strdup(b->out, of);
    TSNode ctor = rl_js_unwrap(field(v, "constructor"));
    rl_symref r;
    const char *cc = rl_js_resolve(jf, ctor);
    if (cc && strchr(cc, ':') && canon_ref(jf, cc, &r)) {
      rl_symref *d = rl_arena_alloc(b->out, sizeof *d);
      d->spec = rl_arena_strdup(b->out, r.spec);
      d->name = rl_arena_strdup(b->out, r.name[0] ? r.name : "default");
      s->deps = d;
      s->ndeps = 1;
      s->s.class_name = d->name;
    } else if (type_is(ctor, "identifier")) {
      s->s.class_name = rl_arena_printf(b->out, "#%s", text_dup(b, ctor));
    }
    return;
  }
  if (type_is(v, "identifier") || type_is(v, "member_expression") || type_is(v, "call_expression")) {
    rl_symref r;
    const char *canon = rl_js_resolve(jf, v);
    if (canon && strchr(canon, ':') && canon_ref(jf, canon, &r)) {
      add_alias(b, name, r.spec, r.name, def);
      return;
    }
    if (type_is(v, "call_expression")) {
      if (rl_summary_ref(jf, v, 0, &r) && !r.name[0] && type_is(rl_js_unwrap(field(v, "function")), "identifier") &&
          rl_js_text_is(jf, rl_js_unwrap(field(v, "function")), "require")) {
        add_alias(b, name, r.spec, "", def);
        return;
      }
      /* a library's middleware: passport.authenticate('jwt'), expressjwt({...}) */
      const char *cal = rl_js_callee(jf, v);
      rl_localsym *s = add_sym(b, name, RL_SYM_OTHER, def);
      if (!s) return;
      if (cal && !strcmp(cal, "axios:create")) { /* an HTTP client for one API */
        const char *u;
        size_t ul;
        TSNode cfg = rl_js_object_of(jf, rl_js_call_arg(v, 0));
        TSNode base = ts_node_is_null(cfg) ? cfg : rl_js_object_get(jf, cfg, "baseURL");
        if (!ts_node_is_null(base) && rl_url_text(jf, base, &u, &ul) && ul)
          s->s.base_url = rl_arena_strndup(b->out, u, ul);
        return;
      }
      if (cal && strchr(cal, ':') && cal[0] != '.' && rl_auth_middleware(jf, v)) {
        s->s.effects |= RL_EFF_AUTH | RL_EFF_AUTH_MW;
        s->is_middleware = 1;
        return;
      }
      /* wrapped handlers: asyncHandler(async (req, res, next) => ...) */
      TSNode args = field(v, "arguments");
      uint32_t na = ts_node_named_child_count(args);
      TSNode last = na ? rl_js_unwrap(ts_node_named_child(args, na - 1)) : args;
      if (na && is_function(last)) {
        s->s.kind = RL_SYM_FUNCTION;
        scan_function(b, s, last);
      }
      return;
    }
    if (type_is(v, "identifier")) {
      size_t l;
      const char *t = rl_js_text(jf, v, &l);
      add_alias(b, name, NULL, rl_arena_printf(b->out, "#%.*s", (int)l, t), def);
      return;
    }
  }
  if (type_is(v, "object")) {
    rl_localsym *o = add_sym(b, name, RL_SYM_OTHER, def);
    TSNode star = o && b->acao ? rl_cors_star_header(jf, v) : (TSNode){{0}, NULL, NULL};
    if (!ts_node_is_null(star)) {
      o->s.cors_star = 1;
      o->s.cors_at = site_of(b, star);
    }
    for (uint32_t i = 0; i < ts_node_named_child_count(v); i++) {
      TSNode p = ts_node_named_child(v, i);
      if (type_is(p, "shorthand_property_identifier")) {
        const char *k = text_dup(b, p);
        add_alias(b, rl_arena_printf(b->out, "%s.%s", name, k), NULL, rl_arena_printf(b->out, "#%s", k), p);
      } else if (type_is(p, "method_definition")) {
        size_t kl;
        const char *k = rl_js_text(jf, field(p, "name"), &kl);
        if (k)
          scan_function(b, add_sym(b, rl_arena_printf(b->out, "%s.%.*s", name, (int)kl, k), RL_SYM_FUNCTION, p), p);
      } else if (type_is(p, "pair")) {
        const char *k;
        size_t kl;
        if (!rl_js_pair_key(jf, p, &k, &kl)) continue;
        add_value(b, rl_arena_printf(b->out, "%s.%.*s", name, (int)kl, k), field(p, "value"), p);
      }
    }
    return;
  }
  /* a constant */
  double num;
  const char *str;
  size_t sl;
  const char *env;
  size_t el;
  TSNode lit;
  if (rl_js_eval_number(jf, v, &num)) {
    rl_localsym *s = add_sym(b, name, RL_SYM_CONST, def);
    if (s) {
      s->s.has_number = 1;
      s->s.number = num;
    }
  } else if (rl_js_eval_string(jf, v, &str, &sl)) {
    rl_localsym *s = add_sym(b, name, RL_SYM_CONST, def);
    if (s) {
      s->s.string = rl_arena_strndup(b->out, str, sl);
      s->s.string_len = sl;
    }
  } else if (rl_js_env_fallback(jf, v, &env, &el, &lit) && rl_js_string_value(jf, lit, &str, &sl)) {
    rl_localsym *s = add_sym(b, name, RL_SYM_OTHER, def);
    if (s) {
      s->s.fallback = rl_arena_strndup(b->out, str, sl);
      s->s.fallback_len = sl;
      s->s.fallback_env = rl_arena_strndup(b->out, env, el);
      s->s.fallback_at = site_of(b, lit);
    }
  } else {
    add_sym(b, name, RL_SYM_OTHER, def);
  }
}

static void add_declaration(builder *b, TSNode d, int export_it) {
  rl_jsfile *jf = b->jf;
  if (type_is(d, "function_declaration") || type_is(d, "generator_function_declaration") || is_class(d)) {
    TSNode name = field(d, "name");
    if (ts_node_is_null(name)) return;
    const char *n = text_dup(b, name);
    const char *local = rl_arena_printf(b->out, "#%s", n);
    if (is_class(d))
      add_class(b, local, d);
    else
      scan_function(b, add_sym(b, local, RL_SYM_FUNCTION, d), d);
    if (export_it) add_alias(b, n, NULL, local, d);
    return;
  }
  if (type_is(d, "lexical_declaration") || type_is(d, "variable_declaration")) {
    for (uint32_t i = 0; i < ts_node_named_child_count(d); i++) {
      TSNode vd = ts_node_named_child(d, i);
      if (!type_is(vd, "variable_declarator")) continue;
      TSNode name = field(vd, "name");
      if (!type_is(name, "identifier")) continue;
      const char *n = text_dup(b, name);
      const char *local = rl_arena_printf(b->out, "#%s", n);
      add_value(b, local, field(vd, "value"), vd);
      if (export_it) add_alias(b, n, NULL, local, vd);
    }
  }
  (void)jf;
}

/* `module.exports = v`, `module.exports.x = v`, `exports.x = v`: the
 * export's name ("default" for the module object), or NULL. */
static const char *commonjs_export(builder *b, TSNode left) {
  left = rl_js_unwrap(left);
  size_t l;
  const char *s = rl_js_text(b->jf, left, &l);
  if (!s || !type_is(left, "member_expression")) return NULL;
  if (l == 14 && !memcmp(s, "module.exports", 14)) return "default";
  TSNode obj = rl_js_unwrap(field(left, "object"));
  size_t ol;
  const char *o = rl_js_text(b->jf, obj, &ol);
  if ((ol == 14 && !memcmp(o, "module.exports", 14)) || (ol == 7 && !memcmp(o, "exports", 7)))
    return text_dup(b, field(left, "property"));
  return NULL;
}

static void add_export_statement(builder *b, TSNode st) {
  rl_jsfile *jf = b->jf;
  TSNode src = field(st, "source");
  const char *spec = NULL;
  size_t sl;
  if (!ts_node_is_null(src)) {
    const char *s;
    if (!rl_js_string_value(jf, src, &s, &sl)) return;
    spec = rl_arena_strndup(b->out, s, sl);
  }
  int is_default = 0;
  for (uint32_t k = 0; k < ts_node_child_count(st); k++)
    if (type_is(ts_node_child(st, k), "default")) is_default = 1;
  TSNode d = field(st, "declaration");
  if (!ts_node_is_null(d)) {
    if (is_default) {
      TSNode name = field(d, "name");
      const char *local = ts_node_is_null(name) ? "#default" : rl_arena_printf(b->out, "#%s", text_dup(b, name));
      if (is_class(d))
        add_class(b, local, d);
      else
        scan_function(b, add_sym(b, local, RL_SYM_FUNCTION, d), d);
      add_alias(b, "default", NULL, local, d);
      if (!ts_node_is_null(name)) add_alias(b, text_dup(b, name), NULL, local, d);
    } else {
      add_declaration(b, d, 1);
    }
    return;
  }
  TSNode v = field(st, "value");
  if (!ts_node_is_null(v)) {
    add_value(b, "#default", v, st);
    add_alias(b, "default", NULL, "#default", st);
    return;
  }
  for (uint32_t i = 0; i < ts_node_named_child_count(st); i++) {
    TSNode c = ts_node_named_child(st, i);
    if (type_is(c, "export_clause")) {
      for (uint32_t k = 0; k < ts_node_named_child_count(c); k++) {
        TSNode es = ts_node_named_child(c, k);
        if (!type_is(es, "export_specifier")) continue;
        TSNode nm = field(es, "name"), al = field(es, "alias");
        const char *from = text_dup(b, nm), *as = ts_node_is_null(al) ? from : text_dup(b, al);
        if (spec) {
          add_alias(b, as, spec, from, es);
        } else {
          /* an imported name re-exported: the import's target */
          const char *canon = rl_js_resolve(jf, nm);
          rl_symref r;
          if (canon && strchr(canon, ':') && canon_ref(jf, canon, &r))
            add_alias(b, as, r.spec, r.name, es);
          else
            add_alias(b, as, NULL, rl_arena_printf(b->out, "#%s", from), es);
        }
      }
    } else if (type_is(c, "namespace_export") && spec) { /* export * as ns from './m' */
      TSNode id = ts_node_named_child(c, 0);
      if (!ts_node_is_null(id)) add_alias(b, text_dup(b, id), spec, "", c);
    }
  }
  if (spec && ts_node_named_child_count(st) == 1) { /* export * from './m' */
    b->stars = rl_arena_grow(b->out, b->stars, b->nstars, &b->stars_cap, sizeof *b->stars);
    b->stars[b->nstars++] = spec;
  }
}

static int sym_cmp(const void *x, const void *y) {
  const rl_localsym *a = x, *b = y;
  int c = strcmp(a->s.name, b->s.name);
  if (c) return c;
  /* two bindings of one name: the first wins (stable on the definition site) */
  if (a->s.def.line != b->s.def.line) return a->s.def.line < b->s.def.line ? -1 : 1;
  return a->s.def.col < b->s.def.col ? -1 : a->s.def.col > b->s.def.col;
}

rl_localmod *rl_summary_build(rl_jsfile *jf, TSNode root, const char *path, rl_arena *out_arena) {
  builder b;
  memset(&b, 0, sizeof b);
  b.jf = jf;
  b.out = out_arena;
  b.path = rl_arena_strdup(out_arena, path);
  const rl_source *src = rl_jsfile_source(jf);
  static const char *const reads[] = {".query", ".body", ".params", NULL};
  b.acao = rl_cors_star_possible(jf);
  b.req_reads = rl_memcasemem_any(src->bytes, src->len, reads);
  for (uint32_t i = 0; i < ts_node_named_child_count(root) && !rl_jsfile_exhausted(jf); i++) {
    TSNode st = ts_node_named_child(root, i);
    if (type_is(st, "export_statement")) {
      add_export_statement(&b, st);
    } else if (type_is(st, "expression_statement")) {
      TSNode e = rl_js_unwrap(ts_node_named_child(st, 0));
      if (!type_is(e, "assignment_expression")) continue;
      const char *ex = commonjs_export(&b, field(e, "left"));
      if (!ex) continue;
      const char *local = rl_arena_printf(out_arena, "#exports.%s", ex);
      add_value(&b, local, field(e, "right"), e);
      add_alias(&b, ex, NULL, local, e);
      /* module.exports = { a, b: f }: each member is an export too */
      TSNode right = rl_js_unwrap(field(e, "right"));
      if (!strcmp(ex, "default") && type_is(right, "object")) {
        for (size_t k = 0; k < b.nsyms; k++) {
          const char *n = b.syms[k].s.name;
          size_t ll = strlen(local);
          if (!strncmp(n, local, ll) && n[ll] == '.' && !strchr(n + ll + 1, '.'))
            add_alias(&b, rl_arena_strdup(out_arena, n + ll + 1), NULL, n, e);
        }
      }
    } else {
      add_declaration(&b, st, 0);
    }
  }
  if (b.nsyms) qsort(b.syms, b.nsyms, sizeof *b.syms, sym_cmp);
  /* keep the first of equal names */
  size_t w = 0;
  for (size_t i = 0; i < b.nsyms; i++)
    if (w == 0 || strcmp(b.syms[w - 1].s.name, b.syms[i].s.name)) b.syms[w++] = b.syms[i];
  rl_localmod *m = rl_arena_calloc(out_arena, 1, sizeof *m);
  m->syms = b.syms;
  m->nsyms = w;
  m->stars = b.stars;
  m->nstars = b.nstars;
  m->complete = !rl_jsfile_exhausted(jf);
  return m;
}

const rl_localsym *rl_localmod_find(const rl_localmod *m, const char *name) {
  size_t lo = 0, hi = m ? m->nsyms : 0;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(m->syms[mid].s.name, name);
    if (c == 0) return &m->syms[mid];
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

/* ---- the prefilter's questions --------------------------------------------------- */

static int ident_byte(unsigned char c) { return c == '_' || c == '$' || c >= 0x80 || isalnum(c); }

/* b[0..i) ends with the word w (not the tail of a longer name). */
static int ends_with_word(const char *b, size_t i, const char *w) {
  size_t k = strlen(w);
  return i >= k && !memcmp(b + i - k, w, k) && (i == k || !ident_byte((unsigned char)b[i - k - 1]));
}

static size_t skip_blank_back(const char *b, size_t i) {
  while (i > 0 && (b[i - 1] == ' ' || b[i - 1] == '\t' || b[i - 1] == '\n' || b[i - 1] == '\r')) i--;
  return i;
}

typedef struct each_import {
  const rl_prefilter *pf;
  int (*fn)(const char *spec, size_t len, void *arg);
  void *arg;
} each_import;

/* A quoted text written where a module specifier goes: after `from` or
 * `import`, or as the argument of require( / import(. */
static int import_quoted(const char *text, size_t len, int escaped, void *arg) {
  each_import *ei = arg;
  size_t n;
  const char *b = rl_pf_bytes(ei->pf, &n);
  if (escaped || !len || len > 1024 || text <= b) return 0;
  size_t i = skip_blank_back(b, (size_t)(text - b) - 1); /* before the opening quote */
  if (i > 0 && b[i - 1] == '(') {
    i = skip_blank_back(b, i - 1);
    if (!ends_with_word(b, i, "require") && !ends_with_word(b, i, "import")) return 0;
  } else if (!ends_with_word(b, i, "from") && !ends_with_word(b, i, "import")) {
    return 0;
  }
  return ei->fn(text, len, ei->arg);
}

int rl_summary_each_import(const rl_prefilter *pf, int (*fn)(const char *spec, size_t len, void *arg), void *arg) {
  each_import ei = {pf, fn, arg};
  return rl_pf_each_quoted(pf, NULL, import_quoted, &ei);
}

static int ask_model(const char *spec, size_t len, void *arg) {
  const rl_prefilter *pf = arg;
  return pf->import_matters(pf->import_data, spec, len);
}

int rl_summary_possible(rl_prefilter *pf) {
  if (pf->import_matters) return rl_summary_each_import(pf, ask_model, pf);
  static const char *const lits[] = {"'./", "\"./", "`./", "'../", "\"../", "`../", "'@/", "\"@/", "'~/", "\"~/", NULL};
  for (size_t i = 0; lits[i]; i++)
    if (rl_pf_has(pf, lits[i])) return 1;
  return 0;
}

/* 'HMS_SECRET': a quoted variable name (capitals, digits, '_') that is a
 * secret's, as config.get() is asked for one (returns.c). */
static int quoted_env_secret(const char *text, size_t len, int escaped, void *arg) {
  (void)arg;
  if (escaped || len < 3 || len > 128) return 0;
  for (size_t i = 0; i < len; i++)
    if (!(isupper((unsigned char)text[i]) || isdigit((unsigned char)text[i]) || text[i] == '_')) return 0;
  return rl_pf_name_is_secret(text, len);
}

int rl_summary_bytes_matter(rl_prefilter *pf) {
  if (rl_mint_possible(pf)) return 1; /* RL_EFF_MINT, RL_EFF_RETURNS_TOKEN */
  if (rl_priv_possible(pf)) return 1; /* provider SDK and REST calls */
  size_t n;
  const char *bytes = rl_pf_bytes(pf, &n);
  if (rl_forward_bytes(bytes, n)) return 1; /* RL_EFF_FORWARDS_TOKEN */
  /* RL_EFF_RETURNS_SECRET: a secret-named variable read from the
   * environment, or named in capitals to a config service's get() */
  if (rl_pf_env_read(pf) && rl_pf_secret_name(pf)) return 1;
  return rl_pf_has(pf, "get") && rl_pf_each_quoted(pf, NULL, quoted_env_secret, NULL);
}

int rl_summary_bytes_act(rl_prefilter *pf, int outside_import) {
  if (rl_auth_refusal_possible(pf) || rl_room_change_possible(pf)) return 1; /* scan_function's */
  /* a library's middleware made by a call (add_value): its callee imported
   * from outside the project */
  return outside_import && rl_auth_name_possible(pf);
}
