/* Server route recognition across frameworks (see routes.h). One walk over
 * the file finds call registrations, NestJS controllers and exported
 * handlers; nothing recurses over the tree. */
#include "routes.h"

#include <stdlib.h>
#include <string.h>

#include "bindname.h"
#include "forward.h"
#include "mint.h"
#include "privileged.h"
#include "requrl.h"
#include "util.h"

static int type_is(TSNode n, const char *t) { return !ts_node_is_null(n) && !strcmp(ts_node_type(n), t); }

static TSNode field(TSNode n, const char *name) { return rl_js_field(n, name); }

static int is_function(TSNode n) { return rl_js_is_function(n); }

static int name_is(const char *s, size_t n, const char *want) { return strlen(want) == n && !memcmp(s, want, n); }

static const char *upper(rl_arena *a, const char *s, size_t n) {
  char *r = rl_arena_strndup(a, s, n);
  for (size_t i = 0; i < n; i++)
    if (r[i] >= 'a' && r[i] <= 'z') r[i] = (char)(r[i] - 'a' + 'A');
  return r;
}

/* Express-style method names; "del" is the old Express alias. */
static const char *http_method(const char *p, size_t n) {
  static const char *const m[] = {"get", "post", "put", "patch", "delete", "del", "all", "options", "head", NULL};
  for (size_t i = 0; m[i]; i++)
    if (strlen(m[i]) == n && !memcmp(m[i], p, n)) return m[i];
  return NULL;
}

/* ---- functions and parameters -------------------------------------------------- */

typedef struct fn_find {
  rl_jsfile *jf;
  const char *name;
  size_t len;
  TSNode found;
} fn_find;

static int find_fn_decl(void *data, TSNode n) {
  fn_find *f = data;
  const char *t = ts_node_type(n);
  if (strcmp(t, "function_declaration") && strcmp(t, "generator_function_declaration")) return 0;
  size_t l;
  const char *s = rl_js_text(f->jf, field(n, "name"), &l);
  if (l == f->len && !memcmp(s, f->name, l)) {
    f->found = n;
    return -1;
  }
  return 0;
}

static TSNode function_named(rl_jsfile *jf, TSNode root, TSNode ident) {
  TSNode init = rl_js_const_init(jf, ident);
  init = rl_js_unwrap(init);
  if (is_function(init)) return init;
  fn_find f = {jf, NULL, 0, {{0}, NULL, NULL}};
  f.name = rl_js_text(jf, ident, &f.len);
  rl_js_walk(root, find_fn_decl, &f);
  return f.found;
}

TSNode rl_route_function_of(rl_jsfile *jf, TSNode root, TSNode expr) {
  TSNode null = {{0}, NULL, NULL};
  TSNode n = rl_js_unwrap(expr);
  for (int depth = 0; depth < 3 && !ts_node_is_null(n); depth++) {
    if (is_function(n)) return n;
    if (type_is(n, "identifier")) return function_named(jf, root, n);
    if (!type_is(n, "call_expression")) return null;
    /* wrapper call: the last argument that is (or names) a function */
    TSNode args = field(n, "arguments");
    uint32_t k = ts_node_named_child_count(args);
    TSNode next = null;
    while (k > 0) {
      TSNode a = rl_js_unwrap(ts_node_named_child(args, --k));
      if (is_function(a) || type_is(a, "identifier") || type_is(a, "call_expression")) {
        next = a;
        break;
      }
    }
    n = next;
  }
  return null;
}

const char *rl_route_param_name(rl_jsfile *jf, TSNode fn, uint32_t i) {
  TSNode p = rl_js_param(fn, i);
  const char *t = ts_node_is_null(p) ? "" : ts_node_type(p);
  if (!strcmp(t, "required_parameter") || !strcmp(t, "optional_parameter")) p = field(p, "pattern");
  if (type_is(p, "assignment_pattern")) p = field(p, "left");
  if (!type_is(p, "identifier")) return NULL;
  size_t l;
  const char *s = rl_js_text(jf, p, &l);
  return rl_arena_strndup(rl_jsfile_arena(jf), s, l);
}

/* ---- the walk -------------------------------------------------------------------- */

typedef struct walk {
  rl_jsfile *jf;
  TSNode root;
  const char *path;
  const char *callframework; /* express/koa/hono/fastify by imports */
  int use_server_possible;   /* the bytes say "use server" somewhere */
  int use_server;            /* a "use server" module: its exported functions are Server Actions */
  int server_import;         /* the file imports a server framework */
  int firebase;              /* the file imports firebase-functions */
  const char *file_kind;     /* "next-pages", "next-app", "expo-api" or NULL */
  const char *file_route;    /* the route path derived from the file path */
  const char *fn_route;      /* supabase/functions/<name> -> /functions/v1/<name> */
  int nuxt_only;             /* server/api/: only defineEventHandler exports */
  const char *file_method;   /* from the file name (Nuxt token.post.ts) */
  rl_route_cb cb;
  void *data;
} walk;

static void emit(walk *w, rl_route *r) { w->cb(w->data, r); }

static void set_params(walk *w, rl_route *r) {
  if (ts_node_is_null(r->handler)) return;
  r->req_name = rl_route_param_name(w->jf, r->handler, 0);
  if (!strcmp(r->framework, "koa"))
    r->res_name = r->req_name;
  else
    r->res_name = rl_route_param_name(w->jf, r->handler, 1);
}

/* A route path argument: a string starting with "/" or "*", or a regex. */
static const char *route_path_arg(walk *w, TSNode arg) {
  arg = rl_js_unwrap(arg);
  if (type_is(arg, "regex")) {
    size_t l;
    const char *s = rl_js_text(w->jf, arg, &l);
    return rl_arena_strndup(rl_jsfile_arena(w->jf), s, l);
  }
  const char *s;
  size_t l;
  if (!rl_js_eval_string(w->jf, arg, &s, &l)) {
    /* a template such as `${PREFIX}/token` still names a route */
    if (!type_is(arg, "template_string") || !rl_js_template_static(w->jf, arg, &s, &l, NULL)) return NULL;
    const char *slash = memchr(s, '/', l);
    if (!slash) return NULL;
    return rl_arena_strndup(rl_jsfile_arena(w->jf), s, l);
  }
  if (l == 0 || (s[0] != '/' && s[0] != '*')) return NULL;
  return s;
}

/* HTTP clients and mocking libraries: x.post('/path', ...) is a request (or
 * a mock of one), not a route. nock(url).post(...) is judged by its callee. */
static int client_receiver(walk *w, TSNode recv) {
  const char *c = type_is(recv, "call_expression") ? rl_js_callee(w->jf, recv) : rl_js_resolve(w->jf, recv);
  if (!c) return 0;
  static const char *const clients[] = {"axios:",  "ky:",       "got:", "superagent:", "supertest:",  "node-fetch:",
                                        "ofetch:", "redaxios:", "msw:", "nock:",       "fetch-mock:", NULL};
  for (size_t i = 0; clients[i]; i++)
    if (!strncmp(c, clients[i], strlen(clients[i]))) return 1;
  if (!strncmp(c, "axios", 5) || !strncmp(c, "this.http", 9) || !strncmp(c, "this.$axios", 11)) return 1;
  return 0;
}

/* app.METHOD(path, ...mw, handler) and friends, given the argument list. */
static void call_route(walk *w, TSNode call, TSNode recv, const char *method, TSNode args, uint32_t first,
                       const char *path) {
  uint32_t nargs = ts_node_named_child_count(args);
  TSNode list[32];
  uint32_t n = 0;
  for (uint32_t k = first; k < nargs && n < 32; k++) {
    TSNode a = ts_node_named_child(args, k);
    if (type_is(a, "comment")) continue;
    list[n++] = a;
  }
  if (n == 0) return;
  rl_route r;
  memset(&r, 0, sizeof r);
  r.framework = w->callframework;
  r.method = method;
  r.path = path;
  r.registration = call;
  r.receiver = recv;
  TSNode last = rl_js_unwrap(list[n - 1]);
  uint32_t mw_end = n - 1;
  if (!strcmp(r.framework, "elysia") && type_is(last, "object") && n >= 2) {
    /* Elysia: app.post('/p', handler, { body: t.Object(...), beforeHandle })
     * -- the hook object follows the handler */
    r.options = last;
    last = rl_js_unwrap(list[n - 2]);
    mw_end = n - 2;
  }
  if (!strcmp(r.framework, "fastify") && type_is(last, "object")) {
    /* fastify.post('/x', { handler, preHandler }) */
    TSNode h = rl_js_object_get(w->jf, last, "handler");
    if (ts_node_is_null(h)) return;
    r.options = last;
    r.handler_expr = h;
  } else {
    if (type_is(last, "object") || type_is(last, "string") || type_is(last, "template_string") ||
        type_is(last, "array") || type_is(last, "number"))
      return;
    r.handler_expr = last;
  }
  r.handler = rl_route_function_of(w->jf, w->root, r.handler_expr);
  if (ts_node_is_null(r.handler) && !w->server_import) {
    /* not visibly a handler and no server framework: likely a request */
    TSNode he = rl_js_unwrap(r.handler_expr);
    if (!type_is(he, "call_expression") && !type_is(he, "member_expression")) return;
  }
  if (ts_node_is_null(r.handler) && type_is(rl_js_unwrap(r.handler_expr), "identifier")) {
    /* bound in this file to something that is not a function: request data
     * (`api.post('/rooms', body)` on an HTTP client instance) */
    TSNode init = rl_js_unwrap(rl_js_const_init(w->jf, rl_js_unwrap(r.handler_expr)));
    if (!ts_node_is_null(init) && !type_is(init, "call_expression") && !type_is(init, "member_expression")) return;
  }
  for (uint32_t k = 0; k < mw_end; k++) {
    TSNode a = rl_js_unwrap(list[k]);
    if (!strcmp(r.framework, "fastify") && type_is(a, "object")) {
      r.options = a;
      continue;
    }
    if (type_is(a, "array")) { /* app.post('/x', [auth, limit], h) */
      for (uint32_t j = 0; j < ts_node_named_child_count(a) && r.nmiddlewares < RL_ROUTE_MAX_MW; j++)
        r.middlewares[r.nmiddlewares++] = ts_node_named_child(a, j);
      continue;
    }
    if (r.nmiddlewares < RL_ROUTE_MAX_MW) r.middlewares[r.nmiddlewares++] = a;
  }
  set_params(w, &r);
  emit(w, &r);
}

/* fastify.route({ method, url, handler, preHandler }) */
static void fastify_route(walk *w, TSNode call, TSNode recv, TSNode obj) {
  TSNode url = rl_js_object_get(w->jf, obj, "url");
  if (ts_node_is_null(url)) url = rl_js_object_get(w->jf, obj, "path");
  TSNode h = rl_js_object_get(w->jf, obj, "handler");
  if (ts_node_is_null(url) || ts_node_is_null(h)) return;
  rl_route r;
  memset(&r, 0, sizeof r);
  r.framework = "fastify";
  const char *p = route_path_arg(w, url);
  r.path = p ? p : "*";
  r.method = "*";
  TSNode m = rl_js_unwrap(rl_js_object_get(w->jf, obj, "method"));
  if (type_is(m, "array")) m = ts_node_named_child(m, 0);
  const char *ms;
  size_t ml;
  if (!ts_node_is_null(m) && rl_js_eval_string(w->jf, m, &ms, &ml)) r.method = upper(rl_jsfile_arena(w->jf), ms, ml);
  r.registration = call;
  r.receiver = recv;
  r.options = obj;
  r.handler_expr = h;
  r.handler = rl_route_function_of(w->jf, w->root, h);
  set_params(w, &r);
  emit(w, &r);
}

/* x.route('/p').get(h).post(mw, h2): the outermost call's member is a
 * method; its object chain ends in a .route(path) call. Emits every link of
 * the chain, innermost (first in the source) first. */
static int route_chain(walk *w, TSNode call, TSNode obj) {
  TSNode links[16];
  uint32_t nlinks = 0;
  links[nlinks++] = call;
  TSNode o = rl_js_unwrap(obj);
  for (int depth = 0; depth < 15 && type_is(o, "call_expression"); depth++) {
    TSNode fn = field(o, "function");
    if (!type_is(fn, "member_expression")) return 0;
    size_t pl;
    const char *prop = rl_js_text(w->jf, field(fn, "property"), &pl);
    if (pl == 5 && !memcmp(prop, "route", 5)) {
      const char *path = route_path_arg(w, rl_js_call_arg(o, 0));
      if (!path) return 0;
      TSNode recv = rl_js_unwrap(field(fn, "object"));
      while (nlinks > 0) {
        TSNode c = links[--nlinks];
        size_t ml;
        const char *m = rl_js_text(w->jf, field(field(c, "function"), "property"), &ml);
        const char *method = !strcmp(http_method(m, ml), "all")   ? "*"
                             : !strcmp(http_method(m, ml), "del") ? "DELETE"
                                                                  : upper(rl_jsfile_arena(w->jf), m, ml);
        call_route(w, c, recv, method, field(c, "arguments"), 0, path);
      }
      return 1;
    }
    if (!http_method(prop, pl)) return 0;
    links[nlinks++] = o;
    o = rl_js_unwrap(field(fn, "object"));
  }
  return 0;
}

/* 1 if the call o is a link of x.route('/p').get(h)...: its object chain,
 * through HTTP-method links, reaches a .route(...) call. */
static int route_chained(walk *w, TSNode o) {
  for (int depth = 0; depth < 16 && type_is(o, "call_expression"); depth++) {
    TSNode fn = field(o, "function");
    if (!type_is(fn, "member_expression")) return 0;
    size_t pl;
    const char *prop = rl_js_text(w->jf, field(fn, "property"), &pl);
    if (name_is(prop, pl, "route")) return 1;
    if (!http_method(prop, pl)) return 0;
    o = rl_js_unwrap(field(fn, "object"));
  }
  return 0;
}

/* 1 if call is an inner link of a method chain (`x.route('/p').get(h)` in
 * `x.route('/p').get(h).post(h2)`): the outermost call handles the chain. */
static int inner_link(walk *w, TSNode call) {
  TSNode mem = rl_js_parent(call);
  if (!type_is(mem, "member_expression")) return 0;
  TSNode outer = rl_js_parent(mem);
  if (!type_is(outer, "call_expression")) return 0;
  size_t pl;
  const char *prop = rl_js_text(w->jf, field(mem, "property"), &pl);
  return http_method(prop, pl) != NULL;
}

/* Firebase Cloud Functions: https.onCall(h) / onRequest(h) (v1
 * functions.https.*, functions.region(r).runWith(o).https.*; v2 onCall([opts,]
 * h) from firebase-functions/v2/https) in a file that imports
 * firebase-functions. The path is the export's name (`exports.getToken =`,
 * `export const getToken =`); onRequest(app) handing over an Express app is
 * that app's routes, not one of its own. */
static int firebase_route(walk *w, TSNode call, TSNode fn, TSNode args) {
  if (!w->firebase) return 0;
  TSNode name = type_is(fn, "member_expression") ? field(fn, "property") : fn;
  int callable = rl_js_text_is(w->jf, name, "onCall");
  if (!callable && !rl_js_text_is(w->jf, name, "onRequest")) return 0;
  uint32_t n = ts_node_named_child_count(args);
  TSNode h = n ? rl_js_unwrap(ts_node_named_child(args, n - 1)) : (TSNode){{0}, NULL, NULL};
  TSNode hf = rl_route_function_of(w->jf, w->root, h);
  if (ts_node_is_null(hf)) return 1;
  rl_route r;
  memset(&r, 0, sizeof r);
  r.framework = callable ? "firebase" : "firebase-http";
  r.method = "*";
  r.path = "*";
  TSNode up = rl_js_parent(call);
  if (type_is(up, "assignment_expression")) {
    TSNode left = field(up, "left");
    if (type_is(left, "member_expression")) {
      size_t l;
      const char *s = rl_js_text(w->jf, field(left, "property"), &l);
      r.path = rl_arena_strndup(rl_jsfile_arena(w->jf), s, l);
    }
  } else if (type_is(up, "variable_declarator")) {
    size_t l;
    const char *s = rl_js_text(w->jf, field(up, "name"), &l);
    r.path = rl_arena_strndup(rl_jsfile_arena(w->jf), s, l);
  }
  r.registration = call;
  r.handler_expr = h;
  r.handler = hf;
  set_params(w, &r);
  if (callable) r.res_name = NULL; /* (data, context) / (request): it answers by returning */
  emit(w, &r);
  return 1;
}

static void on_call(walk *w, TSNode call) {
  TSNode fn = field(call, "function");
  TSNode args = field(call, "arguments");
  if (ts_node_is_null(args)) return;
  if (type_is(fn, "member_expression")) {
    size_t pl;
    const char *prop = rl_js_text(w->jf, field(fn, "property"), &pl);
    TSNode recv = rl_js_unwrap(field(fn, "object"));
    const char *m = http_method(prop, pl);
    int is_use = pl == 3 && !memcmp(prop, "use", 3);
    if (m || is_use) {
      if (type_is(recv, "call_expression") && m && !inner_link(w, call) && route_chain(w, call, recv)) return;
      if (type_is(recv, "call_expression") && m && inner_link(w, call)) {
        /* handled with its chain when it is one (x.route('/p').get(h).post(h2));
         * a plain call otherwise, also a link of a chain of routes
         * (new Hono().get('/', h).post('/a', h2).post('/b', h3)) */
        if (route_chained(w, recv)) return;
      }
      if (client_receiver(w, recv)) return;
      const char *path = route_path_arg(w, rl_js_call_arg(call, 0));
      if (!path || ts_node_named_child_count(args) < 2) return;
      const char *method = is_use || !strcmp(m, "all") ? "*"
                           : !strcmp(m, "del")         ? "DELETE"
                                                       : upper(rl_jsfile_arena(w->jf), m, pl);
      call_route(w, call, recv, method, args, 1, path);
      return;
    }
    if (pl == 5 && !memcmp(prop, "route", 5)) {
      TSNode a0 = rl_js_unwrap(rl_js_call_arg(call, 0));
      if (type_is(a0, "object")) fastify_route(w, call, recv, a0);
      return;
    }
  }
  if (firebase_route(w, call, fn, args)) return;
  /* Deno / Supabase: serve(h), Deno.serve([opts,] h) */
  const char *c = rl_js_callee(w->jf, call);
  if (!c) return;
  size_t cl = strlen(c);
  int serve = !strcmp(c, "Deno.serve") || !strcmp(c, "Bun.serve");
  if (!serve && cl > 6 && !strcmp(c + cl - 6, ":serve") &&
      (strstr(c, "/http/server") || strstr(c, "std") || strstr(c, "deno")))
    serve = 1;
  if (!serve && !strcmp(c, "serve") && w->fn_route) serve = 1;
  if (!serve) return;
  uint32_t n = ts_node_named_child_count(args);
  TSNode h = {{0}, NULL, NULL};
  for (uint32_t k = n; k > 0; k--) {
    TSNode a = rl_js_unwrap(ts_node_named_child(args, k - 1));
    if (type_is(a, "object")) {
      TSNode f = rl_js_object_get(w->jf, a, "fetch"); /* Bun.serve({ fetch }) / Deno.serve({ handler }) */
      if (ts_node_is_null(f)) f = rl_js_object_get(w->jf, a, "handler");
      if (!ts_node_is_null(f)) {
        h = f;
        break;
      }
      continue;
    }
    if (!type_is(a, "comment")) {
      h = a;
      break;
    }
  }
  if (ts_node_is_null(h)) return;
  rl_route r;
  memset(&r, 0, sizeof r);
  r.framework = "supabase";
  r.method = "*";
  r.path = w->fn_route ? w->fn_route : "*";
  r.registration = call;
  r.handler_expr = h;
  r.handler = rl_route_function_of(w->jf, w->root, h);
  set_params(w, &r);
  emit(w, &r);
}

/* ---- NestJS ------------------------------------------------------------------------ */

/* name of a decorator's call (@Post('x') -> "Post"), its call node in *call. */
static int decorator_name(walk *w, TSNode dec, const char **name, size_t *len, TSNode *call) {
  TSNode e = ts_node_named_child(dec, 0);
  if (type_is(e, "call_expression")) {
    *call = e;
    e = field(e, "function");
  } else {
    TSNode null = {{0}, NULL, NULL};
    *call = null;
  }
  if (type_is(e, "member_expression")) e = field(e, "property");
  if (!type_is(e, "identifier") && !type_is(e, "property_identifier")) return 0;
  *name = rl_js_text(w->jf, e, len);
  return 1;
}

static const char *join_paths(rl_arena *a, const char *prefix, const char *sub) {
  while (*prefix == '/') prefix++;
  while (*sub == '/') sub++;
  size_t pl = strlen(prefix);
  while (pl > 0 && prefix[pl - 1] == '/') pl--;
  if (pl && *sub) return rl_arena_printf(a, "/%.*s/%s", (int)pl, prefix, sub);
  if (pl) return rl_arena_printf(a, "/%.*s", (int)pl, prefix);
  return rl_arena_printf(a, "/%s", sub);
}

/* Decorators of a class: children of the class_declaration or of its
 * export_statement. */
static void class_decorators(TSNode cls, TSNode *out, uint32_t *n, uint32_t max) {
  TSNode holders[2] = {cls, rl_js_parent(cls)};
  for (int h = 0; h < 2; h++) {
    if (h == 1 && !type_is(holders[1], "export_statement")) break;
    for (uint32_t k = 0; k < ts_node_named_child_count(holders[h]) && *n < max; k++) {
      TSNode d = ts_node_named_child(holders[h], k);
      if (type_is(d, "decorator")) out[(*n)++] = d;
    }
  }
}

static const char *nest_param(walk *w, TSNode method, const char *const *decos) {
  TSNode params = field(method, "parameters");
  for (uint32_t k = 0; k < ts_node_named_child_count(params); k++) {
    TSNode p = ts_node_named_child(params, k);
    for (uint32_t j = 0; j < ts_node_named_child_count(p); j++) {
      TSNode d = ts_node_named_child(p, j);
      if (!type_is(d, "decorator")) continue;
      const char *nm;
      size_t nl;
      TSNode dc;
      if (!decorator_name(w, d, &nm, &nl, &dc)) continue;
      for (size_t i = 0; decos[i]; i++) {
        if (!name_is(nm, nl, decos[i])) continue;
        TSNode id = field(p, "pattern");
        if (!type_is(id, "identifier")) return NULL;
        size_t l;
        const char *s = rl_js_text(w->jf, id, &l);
        return rl_arena_strndup(rl_jsfile_arena(w->jf), s, l);
      }
    }
  }
  return NULL;
}

/* A decorator that, by convention, makes global auth guards let a route
 * pass: @Public(), @IsPublic(), @SkipAuth(), @NoAuth(), @AllowAnonymous(). */
static int opt_out_name(const char *s, size_t n) {
  static const char *const words[] = {"public",  "skipauth",     "noauth",      "anonymous",  "unauthenticated",
                                      "skipjwt", "optionalauth", "withoutauth", "bypassauth", NULL};
  return rl_memcasemem_any(s, n, words);
}

static void on_class(walk *w, TSNode cls) {
  TSNode decs[8];
  uint32_t nd = 0;
  class_decorators(cls, decs, &nd, 8);
  const char *prefix = NULL;
  TSNode guards[RL_ROUTE_MAX_MW];
  uint32_t nguards = 0;
  int class_opted_out = 0, resolver = 0;
  for (uint32_t i = 0; i < nd; i++) {
    const char *nm;
    size_t nl;
    TSNode dc;
    if (!decorator_name(w, decs[i], &nm, &nl, &dc)) continue;
    if (name_is(nm, nl, "Resolver")) { /* @nestjs/graphql: its @Query/@Mutation methods */
      resolver = 1;
      prefix = "";
    } else if (name_is(nm, nl, "Controller")) {
      prefix = "";
      TSNode a = rl_js_unwrap(rl_js_call_arg(dc, 0));
      const char *s;
      size_t l;
      if (type_is(a, "object")) a = rl_js_object_get(w->jf, a, "path");
      if (!ts_node_is_null(a) && rl_js_eval_string(w->jf, a, &s, &l)) prefix = s;
    } else if (name_is(nm, nl, "UseGuards") && nguards < RL_ROUTE_MAX_MW) {
      guards[nguards++] = decs[i];
    } else if (opt_out_name(nm, nl)) {
      class_opted_out = 1;
    }
  }
  if (!prefix) return;
  TSNode body = field(cls, "body");
  /* method decorators precede the method in class_body (TypeScript) or are
   * its children (JavaScript grammar) */
  TSNode pending[8];
  uint32_t npending = 0;
  for (uint32_t k = 0; k < ts_node_named_child_count(body); k++) {
    TSNode m = ts_node_named_child(body, k);
    if (type_is(m, "decorator")) {
      if (npending < 8) pending[npending++] = m;
      continue;
    }
    if (!type_is(m, "method_definition")) {
      if (!type_is(m, "comment")) npending = 0;
      continue;
    }
    for (uint32_t j = 0; j < ts_node_named_child_count(m) && npending < 8; j++)
      if (type_is(ts_node_named_child(m, j), "decorator")) pending[npending++] = ts_node_named_child(m, j);
    rl_route r;
    memset(&r, 0, sizeof r);
    for (uint32_t g = 0; g < nguards; g++) r.middlewares[r.nmiddlewares++] = guards[g];
    for (uint32_t i = 0; i < npending; i++) {
      const char *nm;
      size_t nl;
      TSNode dc;
      if (!decorator_name(w, pending[i], &nm, &nl, &dc)) continue;
      static const char *const verbs[] = {"Get", "Post", "Put", "Patch", "Delete", "All", "Options", "Head", NULL};
      for (size_t v = 0; verbs[v]; v++) {
        if (!name_is(nm, nl, verbs[v])) continue;
        r.method = !strcmp(verbs[v], "All") ? "*" : upper(rl_jsfile_arena(w->jf), nm, nl);
        r.registration = pending[i];
        const char *s = "";
        size_t l;
        TSNode a = rl_js_call_arg(dc, 0);
        if (!ts_node_is_null(a) && !rl_js_eval_string(w->jf, a, &s, &l)) s = "";
        r.path = join_paths(rl_jsfile_arena(w->jf), prefix, s);
      }
      static const char *const ops[] = {"Query", "Mutation", "Subscription", NULL};
      for (size_t v = 0; resolver && ops[v]; v++) {
        if (!name_is(nm, nl, ops[v])) continue;
        /* @Query('summary') (schema first), @Mutation(() => T, { name }), else the method's name */
        const char *s = NULL;
        size_t l = 0;
        TSNode a0 = rl_js_unwrap(rl_js_call_arg(dc, 0)), a1 = rl_js_unwrap(rl_js_call_arg(dc, 1));
        TSNode opts = type_is(a0, "object") ? a0 : type_is(a1, "object") ? a1 : (TSNode){{0}, NULL, NULL};
        if (!ts_node_is_null(a0) && !type_is(a0, "object") && !rl_js_eval_string(w->jf, a0, &s, &l)) s = NULL;
        if (!s && !ts_node_is_null(opts) && !rl_js_eval_string(w->jf, rl_js_object_get(w->jf, opts, "name"), &s, &l))
          s = NULL;
        if (!s) s = rl_js_text(w->jf, field(m, "name"), &l);
        r.method = "*";
        r.registration = pending[i];
        r.path = rl_arena_printf(rl_jsfile_arena(w->jf), "%s %.*s",
                                 v == 0   ? "query"
                                 : v == 1 ? "mutation"
                                          : "subscription",
                                 (int)l, s);
      }
      if (name_is(nm, nl, "UseGuards") && r.nmiddlewares < RL_ROUTE_MAX_MW)
        r.middlewares[r.nmiddlewares++] = pending[i];
      if (opt_out_name(nm, nl)) r.opted_out = 1;
    }
    r.opted_out |= class_opted_out;
    npending = 0;
    if (!r.method) continue;
    r.framework = "nestjs";
    r.handler = m;
    r.options = cls;
    static const char *const req_decos[] = {"Req", "Request", NULL};
    static const char *const res_decos[] = {"Res", "Response", NULL};
    r.req_name = nest_param(w, m, req_decos);
    r.res_name = nest_param(w, m, res_decos);
    emit(w, &r);
  }
}

/* ---- file routes: Next.js pages/api, app router, Expo API routes ------------------- */

static const char *next_method(walk *w, TSNode fn);
static const char *verb_name(const char *s, size_t n);

static void file_route(walk *w, TSNode reg, const char *method, TSNode handler_expr, TSNode handler) {
  if (w->nuxt_only) {
    TSNode e = rl_js_unwrap(handler_expr);
    if (!type_is(e, "call_expression")) return;
    TSNode fn = field(e, "function");
    if (!rl_js_text_is(w->jf, fn, "defineEventHandler") && !rl_js_text_is(w->jf, fn, "eventHandler")) return;
  }
  rl_route r;
  memset(&r, 0, sizeof r);
  r.framework = w->file_kind;
  r.path = w->file_route;
  r.registration = reg;
  r.handler_expr = handler_expr;
  r.handler = ts_node_is_null(handler) ? rl_route_function_of(w->jf, w->root, handler_expr) : handler;
  r.method = method ? method : w->file_method ? w->file_method : next_method(w, r.handler);
  set_params(w, &r);
  emit(w, &r);
}

static const char *verb_name(const char *s, size_t n) {
  static const char *const v[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", NULL};
  for (size_t i = 0; v[i]; i++)
    if (name_is(s, n, v[i])) return v[i];
  return NULL;
}

static int export_is_default(TSNode ex) {
  for (uint32_t k = 0; k < ts_node_child_count(ex); k++)
    if (!strcmp(ts_node_type(ts_node_child(ex, k)), "default")) return 1;
  return 0;
}

/* A function whose first parameter is named `event` (AWS Lambda's
 * (event, context)). */
static int lambda_shaped(walk *w, TSNode fn) {
  const char *p = rl_route_param_name(w->jf, fn, 0);
  return p && (!strcmp(p, "event") || !strcmp(p, "evt"));
}

/* A Twilio Function: (context, event, callback). */
static int twilio_function_shaped(walk *w, TSNode fn) {
  const char *a = rl_route_param_name(w->jf, fn, 0), *b = rl_route_param_name(w->jf, fn, 1);
  return a && b && !strcmp(a, "context") && !strcmp(b, "event");
}

/* Exported functions that are handlers wherever the file is: Cloudflare
 * Workers' `export default { fetch(request, env, ctx) }`, AWS Lambda's
 * `export const handler = async (event) => ...`. */
static void on_export_anywhere(walk *w, TSNode ex) {
  TSNode null = {{0}, NULL, NULL};
  if (export_is_default(ex)) {
    TSNode v = rl_js_unwrap(field(ex, "value"));
    if (!type_is(v, "object")) return;
    TSNode f = rl_js_object_get(w->jf, v, "fetch");
    if (ts_node_is_null(f)) return;
    TSNode h = is_function(f) ? f : rl_route_function_of(w->jf, w->root, f);
    if (ts_node_is_null(h)) return;
    const char *kind = w->file_kind;
    w->file_kind = "workers";
    w->file_route = "fetch handler";
    file_route(w, ex, "*", null, h);
    w->file_kind = kind;
    return;
  }
  TSNode d = field(ex, "declaration");
  TSNode h = null;
  if (type_is(d, "function_declaration") && rl_js_text_is(w->jf, field(d, "name"), "handler")) h = d;
  if (type_is(d, "lexical_declaration") || type_is(d, "variable_declaration"))
    for (uint32_t k = 0; k < ts_node_named_child_count(d); k++) {
      TSNode decl = ts_node_named_child(d, k);
      if (type_is(decl, "variable_declarator") && rl_js_text_is(w->jf, field(decl, "name"), "handler"))
        h = rl_route_function_of(w->jf, w->root, field(decl, "value"));
    }
  if (ts_node_is_null(h) || !lambda_shaped(w, h)) return;
  const char *kind = w->file_kind;
  w->file_kind = "lambda";
  w->file_route = "handler";
  file_route(w, ex, "*", null, h);
  w->file_kind = kind;
}

/* SvelteKit's actions object: `default` answers POST to the page, a named
 * action POST to ?/name. Values, or methods, are the handlers. */
static void sveltekit_actions(walk *w, TSNode obj) {
  TSNode null = {{0}, NULL, NULL};
  obj = rl_js_unwrap(obj);
  if (type_is(obj, "identifier")) obj = rl_js_object_of(w->jf, obj);
  if (!type_is(obj, "object")) return;
  const char *page = w->file_route;
  for (uint32_t i = 0; i < ts_node_named_child_count(obj); i++) {
    TSNode c = ts_node_named_child(obj, i);
    const char *k;
    size_t kl;
    if (!rl_js_pair_key(w->jf, c, &k, &kl)) continue;
    w->file_route = name_is(k, kl, "default") ? page
                                              : rl_arena_printf(rl_jsfile_arena(w->jf), "%s?/%.*s", page, (int)kl, k);
    /* registered at its own entry: one page has several */
    if (type_is(c, "method_definition"))
      file_route(w, c, "POST", null, c);
    else if (type_is(c, "pair"))
      file_route(w, c, "POST", field(c, "value"), null);
    else if (type_is(c, "shorthand_property_identifier"))
      file_route(w, c, "POST", c, null);
  }
  w->file_route = page;
}

/* +page.server.ts / +layout.server.ts: export function load (GET) and
 * export const actions = {...} (POST). */
static void on_sveltekit_page_export(walk *w, TSNode ex) {
  TSNode null = {{0}, NULL, NULL};
  TSNode d = field(ex, "declaration");
  if (type_is(d, "function_declaration") && rl_js_text_is(w->jf, field(d, "name"), "load")) {
    file_route(w, ex, "GET", null, d);
    return;
  }
  if (!type_is(d, "lexical_declaration") && !type_is(d, "variable_declaration")) return;
  for (uint32_t k = 0; k < ts_node_named_child_count(d); k++) {
    TSNode decl = ts_node_named_child(d, k);
    if (!type_is(decl, "variable_declarator")) continue;
    TSNode name = field(decl, "name");
    if (rl_js_text_is(w->jf, name, "load"))
      file_route(w, ex, "GET", field(decl, "value"), null);
    else if (rl_js_text_is(w->jf, name, "actions"))
      sveltekit_actions(w, field(decl, "value"));
  }
}

static void on_export(walk *w, TSNode ex) {
  if (!w->file_kind) {
    on_export_anywhere(w, ex);
    return;
  }
  TSNode null = {{0}, NULL, NULL};
  if (!strcmp(w->file_kind, "remix") || !strcmp(w->file_kind, "netlify")) {
    /* Remix: export async function action / loader (or const); Netlify:
     * export const handler (v1) or export default (v2) */
    int remix = !strcmp(w->file_kind, "remix");
    if (!remix && export_is_default(ex)) {
      TSNode d = field(ex, "declaration");
      TSNode v = field(ex, "value");
      if (is_function(d))
        file_route(w, ex, "*", null, d);
      else if (!ts_node_is_null(v))
        file_route(w, ex, "*", v, null);
      return;
    }
    TSNode d = field(ex, "declaration");
    const char *names[2] = {remix ? "action" : "handler", remix ? "loader" : NULL};
    const char *methods[2] = {remix ? "POST" : "*", "GET"};
    for (int i = 0; i < 2 && names[i]; i++) {
      if (type_is(d, "function_declaration") && rl_js_text_is(w->jf, field(d, "name"), names[i]))
        file_route(w, ex, methods[i], null, d);
      if (type_is(d, "lexical_declaration") || type_is(d, "variable_declaration"))
        for (uint32_t k = 0; k < ts_node_named_child_count(d); k++) {
          TSNode decl = ts_node_named_child(d, k);
          if (type_is(decl, "variable_declarator") && rl_js_text_is(w->jf, field(decl, "name"), names[i]))
            file_route(w, ex, methods[i], field(decl, "value"), null);
        }
    }
    return;
  }
  if (!strcmp(w->file_kind, "sveltekit-page")) {
    on_sveltekit_page_export(w, ex);
    return;
  }
  if (!strcmp(w->file_kind, "next-pages") || !strcmp(w->file_kind, "vercel") || !strcmp(w->file_kind, "nuxt")) {
    /* export default <handler> */
    int is_default = 0;
    for (uint32_t k = 0; k < ts_node_child_count(ex); k++)
      if (!strcmp(ts_node_type(ts_node_child(ex, k)), "default")) is_default = 1;
    /* Vercel functions may also export their verbs (export function POST) */
    if (!is_default && strcmp(w->file_kind, "vercel")) return;
    if (is_default) {
      TSNode d = field(ex, "declaration");
      if (is_function(d)) {
        file_route(w, ex, NULL, null, d);
        return;
      }
      TSNode v = field(ex, "value");
      if (!ts_node_is_null(v)) file_route(w, ex, NULL, v, null);
      return;
    }
  }
  /* app router / Expo: exported verbs */
  TSNode d = field(ex, "declaration");
  if (!ts_node_is_null(d)) {
    const char *t = ts_node_type(d);
    if (!strcmp(t, "function_declaration") || !strcmp(t, "generator_function_declaration")) {
      size_t l;
      const char *s = rl_js_text(w->jf, field(d, "name"), &l);
      const char *v = verb_name(s, l);
      if (v) file_route(w, ex, v, null, d);
      return;
    }
    if (!strcmp(t, "lexical_declaration") || !strcmp(t, "variable_declaration")) {
      for (uint32_t k = 0; k < ts_node_named_child_count(d); k++) {
        TSNode decl = ts_node_named_child(d, k);
        if (!type_is(decl, "variable_declarator")) continue;
        size_t l;
        const char *s = rl_js_text(w->jf, field(decl, "name"), &l);
        const char *v = verb_name(s, l);
        if (v) file_route(w, ex, v, field(decl, "value"), null);
      }
    }
    return;
  }
  /* export { handler as GET, POST } */
  for (uint32_t k = 0; k < ts_node_named_child_count(ex); k++) {
    TSNode clause = ts_node_named_child(ex, k);
    if (!type_is(clause, "export_clause")) continue;
    for (uint32_t j = 0; j < ts_node_named_child_count(clause); j++) {
      TSNode spec = ts_node_named_child(clause, j);
      if (!type_is(spec, "export_specifier")) continue;
      TSNode name = field(spec, "name");
      TSNode alias = field(spec, "alias");
      size_t l;
      const char *s = rl_js_text(w->jf, ts_node_is_null(alias) ? name : alias, &l);
      const char *v = verb_name(s, l);
      if (v && type_is(name, "identifier")) file_route(w, ex, v, name, null);
    }
  }
}

typedef struct method_find {
  rl_jsfile *jf;
  const char *req;
  const char *found;
  TSNode res; /* the handler's response parameter, or null */
} method_find;

typedef struct answer_only {
  method_find *f;
  int other; /* a call of something other than the response */
} answer_only;

static int answer_only_visit(void *data, TSNode n) {
  answer_only *a = data;
  if (type_is(n, "new_expression")) {
    TSNode base = rl_js_chain_base(field(n, "constructor"));
    if (!rl_js_text_is(a->f->jf, base, "Response")) a->other = 1;
    return a->other ? -1 : 0;
  }
  if (!type_is(n, "call_expression")) return 0;
  TSNode base = rl_js_chain_base(n);
  size_t rl = 0;
  const char *res = ts_node_is_null(a->f->res) ? NULL : rl_js_text(a->f->jf, a->f->res, &rl);
  int answers = type_is(base, "identifier") &&
                ((res && rl_js_text_eq(a->f->jf, base, res, rl)) || rl_js_text_is(a->f->jf, base, "Response") ||
                 rl_js_text_is(a->f->jf, base, "NextResponse"));
  if (!answers) a->other = 1;
  return a->other ? -1 : 0;
}

/* `if (req.method === 'GET') { res.send('not implemented'); return; }`: a
 * branch that only answers and leaves, with more of the handler after it,
 * turns that method away; the handler's work is for the others. */
static int turned_away(method_find *f, TSNode test) {
  TSNode cond = rl_js_parent(test);
  while (type_is(cond, "parenthesized_expression")) cond = rl_js_parent(cond);
  if (!type_is(cond, "if_statement") || !ts_node_is_null(field(cond, "alternative"))) return 0;
  TSNode then = field(cond, "consequence");
  if (ts_node_is_null(then) || ts_node_is_null(ts_node_next_named_sibling(cond))) return 0;
  if (!rl_js_leaves(f->jf, then)) return 0;
  answer_only a = {f, 0};
  rl_js_walk(then, answer_only_visit, &a);
  return !a.other;
}

/* req.method === 'POST' / req.method !== 'POST' / 'POST' === req.method */
static int find_method_test(void *data, TSNode n) {
  method_find *f = data;
  if (!type_is(n, "binary_expression")) return 0;
  TSNode op = field(n, "operator");
  size_t ol;
  const char *o = rl_js_text(f->jf, op, &ol);
  if (!(ol >= 2 && (o[0] == '=' || o[0] == '!'))) return 0;
  TSNode sides[2] = {rl_js_unwrap(field(n, "left")), rl_js_unwrap(field(n, "right"))};
  for (int i = 0; i < 2; i++) {
    if (!type_is(sides[i], "member_expression")) continue;
    size_t pl;
    const char *p = rl_js_text(f->jf, field(sides[i], "property"), &pl);
    if (!name_is(p, pl, "method")) continue;
    const char *s;
    size_t l;
    /* `if (req.method === 'OPTIONS') return res.end()` answers the CORS
     * preflight: the route's own method is in another test, or none */
    if (rl_js_string_value(f->jf, sides[1 - i], &s, &l) && verb_name(s, l) && strcmp(verb_name(s, l), "OPTIONS")) {
      if (o[0] == '=' && turned_away(f, n)) return 0;
      f->found = verb_name(s, l);
      return -1;
    }
  }
  return 0;
}

static const char *next_method(walk *w, TSNode fn) {
  if (ts_node_is_null(fn)) return "*";
  method_find f = {w->jf, NULL, NULL, rl_js_param(fn, 1)};
  rl_js_walk(fn, find_method_test, &f);
  return f.found ? f.found : "*";
}

/* ---- file kind from its path ---------------------------------------------------------- */

static int is_code_ext(const char *e) {
  return !strcmp(e, ".js") || !strcmp(e, ".ts") || !strcmp(e, ".jsx") || !strcmp(e, ".tsx") || !strcmp(e, ".mjs") ||
         !strcmp(e, ".cjs") || !strcmp(e, ".mts") || !strcmp(e, ".cts");
}

/* Pointer to the component `comp` (e.g. "pages/api/") at a component
 * boundary in p, last occurrence; NULL if absent. */
static const char *find_component(const char *p, const char *comp) {
  const char *found = NULL;
  for (const char *s = p; (s = strstr(s, comp)) != NULL; s++)
    if (s == p || s[-1] == '/') found = s;
  return found;
}

/* "/a/[id]/b" from the folders from s up to base, route groups "(x)" dropped. */
static const char *folder_route(rl_arena *a, const char *s, const char *stop) {
  rl_buf b = {0};
  while (s < stop) {
    const char *e = memchr(s, '/', (size_t)(stop - s));
    if (!e) e = stop;
    size_t n = (size_t)(e - s);
    int group = n >= 2 && s[0] == '(' && s[n - 1] == ')';
    if (n && !group) {
      rl_buf_putc(&b, '/');
      rl_buf_put(&b, s, n);
    }
    s = e + 1;
  }
  const char *r = b.len ? rl_arena_strndup(a, b.ptr, b.len) : "/";
  rl_buf_free(&b);
  return r;
}

void rl_path_framework(const char *p, rl_arena *a, rl_path_kind *out) {
  memset(out, 0, sizeof *out);
  if (!p) return;
  const char *base = strrchr(p, '/');
  base = base ? base + 1 : p;
  /* Folders the frameworks keep on the server, whatever the file is (a
   * supabase/functions/.env holds the functions' secrets). */
  const char *pa = find_component(p, "pages/api/");
  const char *sf = find_component(p, "supabase/functions/");
  if (pa)
    out->server_only = "path pages/api/";
  else if (sf)
    out->server_only = "path supabase/functions/";
  const char *dot = strrchr(base, '.');
  if (!dot || !is_code_ext(dot)) return;
  size_t stem = (size_t)(dot - base);

  if (sf) {
    const char *name = sf + strlen("supabase/functions/");
    const char *end = strchr(name, '/');
    if (end && end > name) out->fn_route = rl_arena_printf(a, "/functions/v1/%.*s", (int)(end - name), name);
  }

  if (pa) {
    const char *rest = pa + strlen("pages");
    size_t n = (size_t)(dot - rest);
    if (n >= 6 && !memcmp(dot - 6, "/index", 6)) n -= 6;
    out->kind = "next-pages";
    out->route = rl_arena_strndup(a, rest, n);
    return;
  }
  int expo = stem > 4 && !memcmp(dot - 4, "+api", 4);
  int next = stem == 5 && !memcmp(base, "route", 5);
  /* SvelteKit: src/routes/.../+server.ts, exported verbs, server only */
  const char *sr = find_component(p, "routes/");
  if (sr && stem == 7 && !memcmp(base, "+server", 7)) {
    out->server_only = rl_arena_printf(a, "SvelteKit server route (%s)", base);
    out->kind = "sveltekit";
    out->route = folder_route(a, sr + 7, base);
    return;
  }
  /* SvelteKit: src/routes/.../+page.server.ts and +layout.server.ts, whose
   * `load` answers the page's GET and whose `actions` its form POSTs */
  if (sr &&
      ((stem == 12 && !memcmp(base, "+page.server", 12)) || (stem == 14 && !memcmp(base, "+layout.server", 14)))) {
    out->server_only = rl_arena_printf(a, "server-only module (%s)", base);
    out->kind = "sveltekit-page";
    out->route = folder_route(a, sr + 7, base);
    return;
  }
  /* Server-only modules: SvelteKit's +page.server.ts / +layout.server.ts
   * (load and actions run on the server), hooks.server.ts, any *.server.ts,
   * and whatever is below src/lib/server/ ($lib/server): SvelteKit refuses to import them
   * into client code, whatever the package's dependencies list (Remix keeps
   * *.server.ts out of client bundles too). */
  int dot_server = stem > 7 && !memcmp(dot - 7, ".server", 7);
  if (!out->server_only && dot_server) out->server_only = rl_arena_printf(a, "server-only module (%s)", base);
  if (!out->server_only && find_component(p, "src/lib/server/")) out->server_only = "path src/lib/server/";
  /* Netlify functions: netlify/functions/<name>.ts or <name>/index.ts */
  const char *nf = find_component(p, "netlify/functions/");
  if (nf) {
    const char *name = nf + strlen("netlify/functions/");
    const char *end = strchr(name, '/');
    if (!end) end = dot;
    out->kind = "netlify";
    out->route = rl_arena_printf(a, "/.netlify/functions/%.*s", (int)(end - name), name);
    return;
  }
  /* Remix / React Router: app/routes/<flat.route.name>.tsx exporting action/loader */
  const char *rr = find_component(p, "app/routes/");
  if (rr && !expo && !next) {
    const char *name = rr + strlen("app/routes/");
    rl_buf b = {0};
    const char *e = dot;
    size_t n = (size_t)(e - name);
    for (size_t i = 0; i < n; i++) rl_buf_putc(&b, name[i] == '.' || name[i] == '/' ? '/' : name[i]);
    char *r = rl_arena_printf(a, "/%.*s", (int)b.len, b.len ? b.ptr : "");
    rl_buf_free(&b);
    size_t rl = strlen(r);
    if (rl >= 7 && !strcmp(r + rl - 7, "/_index")) r[rl - 7] = '\0';
    out->kind = "remix";
    out->route = *r ? r : "/";
    return;
  }
  const char *ap = find_component(p, "app/");
  if (!out->server_only && expo) out->server_only = rl_arena_printf(a, "Expo API route (%s)", base);
  if (!out->server_only && next && ap) out->server_only = rl_arena_printf(a, "path app/**/%s", base);
  /* Vercel serverless functions: api/... at a project's top level, not
   * src/api/ or lib/api/ (front-end fetch wrappers) nor an Express app's
   * controllers; Nuxt/Nitro server/api/... when the default export is a
   * defineEventHandler(...). A route.ts there is no Next.js route handler
   * (those live under app/): Vercel deploys every file of api/ as its own
   * function, api/token/route.ts at /api/token/route, and gives its verb
   * exports a Web Request like any other. */
  const char *va = find_component(p, "api/");
  if (va && !expo && !(next && ap)) {
    static const char *const front[] = {"src/", "lib/", "app/", "routes/", "controllers/", "handlers/", NULL};
    /* any of these anywhere above api/: library or build code, not a
     * project's top-level functions folder */
    static const char *const above[] = {"node_modules/", "lib/",    "dist/",       "build/",   "src/",
                                        "rest/",         "client/", "components/", "package/", NULL};
    int skip = 0;
    for (size_t i = 0; front[i]; i++) {
      size_t k = strlen(front[i]);
      if ((size_t)(va - p) >= k && !memcmp(va - k, front[i], k)) skip = 1;
    }
    for (size_t i = 0; above[i] && !skip; i++) {
      const char *f = find_component(p, above[i]);
      if (f && f < va) skip = 1;
    }
    if (!skip) {
      int nuxt = (size_t)(va - p) >= 7 && !memcmp(va - 7, "server/", 7);
      char *route = rl_arena_printf(a, "/%.*s", (int)(dot - va), va);
      size_t n = strlen(route);
      if (n >= 6 && !strcmp(route + n - 6, "/index")) route[n - 6] = '\0';
      /* Nuxt: token.post.ts is POST /api/token */
      char *mdot = strrchr(route, '.');
      if (nuxt && mdot) {
        const char *v = upper(a, mdot + 1, strlen(mdot + 1));
        if (verb_name(v, strlen(v))) {
          out->method = verb_name(v, strlen(v));
          *mdot = '\0';
        }
      }
      out->route = route;
      out->kind = nuxt ? "nuxt" : "vercel";
      return;
    }
  }
  if (!expo && !next) return;
  if (!ap && !expo) return;
  out->kind = expo ? "expo-api" : "next-app";
  /* folders below app/, dropping route groups "(x)" */
  rl_buf b = {0};
  const char *s = ap ? ap + 4 : p;
  const char *stop = expo ? dot - 4 : base;
  while (s < stop) {
    const char *e = memchr(s, '/', (size_t)(stop - s));
    if (!e) e = stop;
    size_t n = (size_t)(e - s);
    int group = n >= 2 && s[0] == '(' && s[n - 1] == ')';
    int index = expo && e == stop && name_is(s, n, "index");
    if (n && !group && !index) {
      rl_buf_putc(&b, '/');
      rl_buf_put(&b, s, n);
    }
    s = e + 1;
  }
  out->route = b.len ? rl_arena_strndup(a, b.ptr, b.len) : "/";
  rl_buf_free(&b);
}

static void classify_path(walk *w, rl_arena *a) {
  rl_path_kind k;
  rl_path_framework(w->path, a, &k);
  w->file_kind = k.kind;
  w->file_route = k.route;
  w->file_method = k.method;
  w->fn_route = k.fn_route;
  w->nuxt_only = k.kind && !strcmp(k.kind, "nuxt");
}

static void classify_imports(walk *w) {
  static const char *const koa[] = {"koa", "@koa/router", "koa-router", NULL};
  static const char *const fastify[] = {"fastify", NULL};
  static const char *const hono[] = {"hono", NULL};
  static const char *const elysia[] = {"elysia", NULL};
  static const char *const others[] = {"express", "restify", "polka", "@tinyhttp/app", "router", NULL};
  w->callframework = "express";
  for (size_t i = 0; koa[i]; i++)
    if (rl_js_imports(w->jf, koa[i])) w->callframework = "koa";
  for (size_t i = 0; fastify[i]; i++)
    if (rl_js_imports(w->jf, fastify[i])) w->callframework = "fastify";
  for (size_t i = 0; hono[i]; i++)
    if (rl_js_imports(w->jf, hono[i])) w->callframework = "hono";
  for (size_t i = 0; elysia[i]; i++)
    if (rl_js_imports(w->jf, elysia[i])) w->callframework = "elysia";
  w->server_import = strcmp(w->callframework, "express") != 0;
  for (size_t i = 0; others[i]; i++)
    if (rl_js_imports(w->jf, others[i])) w->server_import = 1;
  w->firebase = rl_js_imports(w->jf, "firebase-functions");
}

/* ---- Next.js Server Actions ----------------------------------------------------------- */

/* A "use server" directive among the leading string statements of the
 * statements in block (the program, or a function body). */
static int use_server_prologue(rl_jsfile *jf, TSNode block) {
  for (uint32_t i = 0; i < ts_node_named_child_count(block); i++) {
    TSNode st = ts_node_named_child(block, i);
    if (type_is(st, "comment")) continue;
    if (!type_is(st, "expression_statement")) return 0;
    TSNode e = ts_node_named_child(st, 0);
    if (!type_is(e, "string")) return 0;
    size_t l;
    const char *t = rl_js_text(jf, e, &l);
    if (l == 12 && !memcmp(t + 1, "use server", 10)) return 1;
  }
  return 0;
}

/* The export statement that exports fn at the program's top level
 * (export async function f, export const f = async () => {}, export
 * default async function), with *name; null otherwise. */
static TSNode exported_as(rl_jsfile *jf, TSNode fn, const char **name, size_t *nl) {
  TSNode null = {{0}, NULL, NULL};
  TSNode up = rl_js_parent(fn);
  *name = "default", *nl = 7;
  if (type_is(up, "export_statement")) {
    TSNode id = field(fn, "name");
    if (!ts_node_is_null(id) && !export_is_default(up)) *name = rl_js_text(jf, id, nl);
    return up;
  }
  if (!type_is(up, "variable_declarator") || !ts_node_eq(rl_js_unwrap(field(up, "value")), fn)) return null;
  TSNode decl = rl_js_parent(up);
  TSNode ex = rl_js_parent(decl);
  if (!type_is(ex, "export_statement")) return null;
  *name = rl_js_text(jf, field(up, "name"), nl);
  return ex;
}

int rl_route_server_action(rl_jsfile *jf, TSNode fn, const char **name, size_t *nl) {
  const char *n0;
  size_t l0;
  if (!name) name = &n0;
  if (!nl) nl = &l0;
  if (!rl_js_is_function(fn)) return 0;
  TSNode body = field(fn, "body");
  if (type_is(body, "statement_block") && use_server_prologue(jf, body)) {
    TSNode id = field(fn, "name");
    if (!ts_node_is_null(id)) {
      *name = rl_js_text(jf, id, nl);
    } else {
      TSNode up = rl_js_parent(fn);
      if (type_is(up, "variable_declarator"))
        *name = rl_js_text(jf, field(up, "name"), nl);
      else
        *name = "inline", *nl = 6;
    }
    return 1;
  }
  TSNode ex = exported_as(jf, fn, name, nl);
  return !ts_node_is_null(ex) && ts_node_eq(rl_js_parent(ex), rl_jsfile_root(jf)) &&
         use_server_prologue(jf, rl_jsfile_root(jf));
}

static void server_action(walk *w, TSNode reg, TSNode fn) {
  const char *name;
  size_t nl;
  if (!rl_route_server_action(w->jf, fn, &name, &nl)) return;
  rl_route r;
  memset(&r, 0, sizeof r);
  r.framework = "next-action";
  r.method = "POST";
  r.path = rl_arena_printf(rl_jsfile_arena(w->jf), "server action %.*s", (int)nl, name);
  r.registration = reg;
  r.handler_expr = fn;
  r.handler = fn;
  /* its parameters are the caller's arguments, none is a request object */
  emit(w, &r);
}

/* A "use server" module's exports (each exported function is an action),
 * and a function whose own body starts with "use server" anywhere. */
static void on_use_server(walk *w, TSNode n) {
  if (type_is(n, "export_statement")) {
    if (!w->use_server) return;
    TSNode d = field(n, "declaration");
    if (ts_node_is_null(d)) d = rl_js_unwrap(field(n, "value"));
    if (rl_js_is_function(d)) {
      server_action(w, n, d);
      return;
    }
    if (!type_is(d, "lexical_declaration") && !type_is(d, "variable_declaration")) return;
    for (uint32_t k = 0; k < ts_node_named_child_count(d); k++) {
      TSNode decl = ts_node_named_child(d, k);
      TSNode v = type_is(decl, "variable_declarator") ? rl_js_unwrap(field(decl, "value")) : decl;
      if (rl_js_is_function(v)) server_action(w, decl, v);
    }
    return;
  }
  TSNode body = field(n, "body");
  if (type_is(body, "statement_block") && use_server_prologue(w->jf, body)) server_action(w, n, n);
}

/* CommonJS: module.exports = (req, res) => { ... } in pages/api or a Vercel
 * function. */
static void on_module_exports(walk *w, TSNode stmt) {
  TSNode e = ts_node_named_child(stmt, 0);
  if (!type_is(e, "assignment_expression")) return;
  TSNode left = field(e, "left");
  if (rl_js_text_is(w->jf, left, "exports.handler") || rl_js_text_is(w->jf, left, "module.exports.handler")) {
    /* Netlify functions and AWS Lambda (first parameter `event` outside netlify/functions/) */
    TSNode h = rl_route_function_of(w->jf, w->root, field(e, "right"));
    int netlify = w->file_kind && !strcmp(w->file_kind, "netlify");
    if (!ts_node_is_null(h) && !netlify && twilio_function_shaped(w, h)) {
      /* Twilio Functions: (context, event, callback); a *.protected.js
       * function only runs for requests Twilio signed, a *.private.js one
       * only for other functions: neither is open to the web */
      const char *path = w->path ? w->path : "";
      if (strstr(path, ".protected.") || strstr(path, ".private.")) return;
      const char *kind = w->file_kind, *route = w->file_route;
      const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
      const char *dot = strchr(base, '.');
      w->file_kind = "twilio-functions";
      w->file_route =
          rl_arena_printf(rl_jsfile_arena(w->jf), "/%.*s", (int)(dot ? (size_t)(dot - base) : strlen(base)), base);
      file_route(w, stmt, "*", field(e, "right"), h);
      w->file_kind = kind;
      w->file_route = route;
      return;
    }
    /* under api/ too: Vercel has no exports.handler, so a Lambda-shaped one
     * there is a Netlify or Lambda function whose folder is called api */
    int vercel = w->file_kind && !strcmp(w->file_kind, "vercel");
    if (ts_node_is_null(h) || (!netlify && ((w->file_kind && !vercel) || !lambda_shaped(w, h)))) return;
    const char *kind = w->file_kind, *route = w->file_route;
    if (!netlify) {
      w->file_kind = "lambda";
      w->file_route = "handler";
    }
    file_route(w, stmt, "*", field(e, "right"), h);
    w->file_kind = kind;
    w->file_route = route;
    return;
  }
  if (!w->file_kind || (strcmp(w->file_kind, "next-pages") && strcmp(w->file_kind, "vercel"))) return;
  if (!rl_js_text_is(w->jf, field(e, "left"), "module.exports")) return;
  TSNode null = {{0}, NULL, NULL};
  file_route(w, stmt, NULL, field(e, "right"), null);
}

static int visit(void *data, TSNode n) {
  walk *w = data;
  const char *t = ts_node_type(n);
  if (w->use_server_possible && (rl_js_is_function(n) || (!strcmp(t, "export_statement") && w->use_server &&
                                                          ts_node_eq(rl_js_parent(n), w->root))))
    on_use_server(w, n);
  if (!strcmp(t, "call_expression"))
    on_call(w, n);
  else if (!strcmp(t, "class_declaration") || !strcmp(t, "class"))
    on_class(w, n);
  else if (!strcmp(t, "export_statement") && ts_node_eq(rl_js_parent(n), w->root))
    on_export(w, n);
  else if (!strcmp(t, "expression_statement") && ts_node_eq(rl_js_parent(n), w->root))
    on_module_exports(w, n);
  return 0;
}

static void run(walk *w) {
  classify_path(w, rl_jsfile_arena(w->jf));
  classify_imports(w);
  size_t bl;
  const char *bytes = rl_js_text(w->jf, w->root, &bl);
  w->use_server_possible = bytes && memmem(bytes, bl, "use server", 10) != NULL;
  w->use_server = w->use_server_possible && use_server_prologue(w->jf, w->root);
  rl_js_walk(w->root, visit, w);
}

/* The file's routes, found by one walk and kept for every rule that asks:
 * four rules list them, and a walk of a large file costs about a parse. */
typedef struct route_list {
  TSNode root;
  const char *path;
  rl_arena *arena;
  rl_route *items;
  size_t n, cap;
} route_list;

static void collect_route(void *data, const rl_route *r) {
  route_list *l = data;
  l->items = rl_arena_grow(l->arena, l->items, l->n, &l->cap, sizeof *l->items);
  l->items[l->n++] = *r;
}

static const route_list *routes_of(rl_jsfile *jf, TSNode root, const char *path) {
  const char *p = path ? path : rl_jsfile_source(jf)->path;
  route_list **memo = (route_list **)rl_jsfile_memo(jf, RL_JS_MEMO_ROUTES);
  route_list *l = *memo;
  if (!l || !ts_node_eq(l->root, root) || l->path != p) {
    l = rl_arena_calloc(rl_jsfile_arena(jf), 1, sizeof *l);
    l->root = root;
    l->path = p;
    l->arena = rl_jsfile_arena(jf);
    walk w;
    memset(&w, 0, sizeof w);
    w.jf = jf;
    w.root = root;
    w.path = p;
    w.cb = collect_route;
    w.data = l;
    run(&w);
    *memo = l;
  }
  return l;
}

void rl_routes_each(rl_jsfile *jf, TSNode root, const char *path, rl_route_cb cb, void *data) {
  const route_list *l = routes_of(jf, root, path);
  for (size_t i = 0; i < l->n; i++) cb(data, &l->items[i]);
}

int rl_routes_any(rl_jsfile *jf, TSNode root, const char *path) { return routes_of(jf, root, path)->n > 0; }

/* ---- room and token actions --------------------------------------------------------- */

typedef struct first_last {
  char first[24];
  char last[24];
  int nwords;
} first_last;

static int note_word(void *data, const char *w, size_t n) {
  first_last *fl = data;
  if (n >= sizeof fl->last) n = sizeof fl->last - 1;
  if (!fl->nwords) {
    memcpy(fl->first, w, n);
    fl->first[n] = '\0';
  }
  memcpy(fl->last, w, n);
  fl->last[n] = '\0';
  fl->nwords++;
  return 0;
}

static int in_list(const char *w, const char *const *list) {
  for (size_t i = 0; list[i]; i++)
    if (!strcmp(w, list[i])) return 1;
  return 0;
}

/* generateToken, createRoomToken, mintToken, getAuthToken, signJoinToken... */
static int mint_call_name(const char *s, size_t n) {
  static const char *const verbs[] = {"generate", "create", "mint", "sign", "issue", "make", "build", "new", NULL};
  static const char *const not_room[] = {"csrf",        "xsrf",         "reset",    "refresh", "verification", "verify",
                                         "confirm",     "confirmation", "password", "email",   "session",      "invite",
                                         "unsubscribe", "magic",        "otp",      "upload",  "download",     NULL};
  first_last fl = {{0}, {0}, 0};
  rl_name_words(s, n, note_word, &fl);
  if (fl.nwords < 2 || !rl_word_is(fl.last, strlen(fl.last), "token")) return 0;
  if (rl_name_has_word(s, n, not_room)) return 0;
  if (in_list(fl.first, verbs)) return 1;
  if (!strcmp(fl.first, "mint")) return 1;
  static const char *const named[] = {"getAuthToken", "getManagementToken",   "getRoomToken",
                                      "getJoinToken", "getAppToken",          "getHmsToken",
                                      "getHMSToken",  "fetchManagementToken", NULL};
  for (size_t i = 0; named[i]; i++)
    if (name_is(s, n, named[i])) return 1;
  return 0;
}

/* create*Room*, update*Room*, ... */
int rl_room_change_name(const char *s, size_t n) {
  static const char *const verbs[] = {"create", "update", "disable", "enable",  "delete", "end",
                                      "lock",   "close",  "remove",  "destroy", NULL};
  static const char *const room[] = {"room", "rooms", NULL};
  /* a verb and the word room: seven letters or more, "room" among them
   * (most names are neither, and splitting them into words is not free) */
  if (n < 7 || !rl_memcasemem(s, n, "room")) return 0;
  first_last fl = {{0}, {0}, 0};
  rl_name_words(s, n, note_word, &fl);
  return fl.nwords >= 2 && in_list(fl.first, verbs) && rl_name_has_word(s, n, room);
}

int rl_route_name_suggests_work(const char *s, size_t n) { return rl_room_change_name(s, n) || mint_call_name(s, n); }

static int room_change_ident(const char *s, size_t n, void *arg) {
  (void)arg;
  return rl_room_change_name(s, n);
}

int rl_room_change_possible(rl_prefilter *pf) { return rl_pf_each_ident(pf, room_change_ident, NULL); }

static int is_hms_api_text(const char *s, size_t n) {
  static const char *const hosts[] = {"api.100ms.live", "api-nonprod.100ms.live", NULL};
  for (size_t i = 0; hosts[i]; i++) {
    size_t k = strlen(hosts[i]);
    for (size_t j = 0; j + k <= n; j++)
      if (!memcmp(s + j, hosts[i], k)) return 1;
  }
  return 0;
}

int rl_route_path_roomish(const char *path) {
  if (!path) return 0;
  static const char *const yes[] = {"token", "tokens", "room",  "rooms",  "join",   "meeting", "meetings",
                                    "call",  "calls",  "video", "live",   "stream", "hms",     "livekit",
                                    "agora", "twilio", "rtc",   "webrtc", NULL};
  static const char *const no[] = {"login",    "signin",   "signup",   "register", "refresh", "logout",
                                   "oauth",    "callback", "password", "verify",   "reset",   "session",
                                   "sessions", "webhook",  "webhooks", NULL};
  size_t n = strlen(path);
  return rl_name_has_word(path, n, yes) && !rl_name_has_word(path, n, no);
}

int rl_mint_room_claims(rl_jsfile *jf, const rl_mint *m) {
  if (m->is_management) return 1;
  if (ts_node_is_null(m->payload)) return 0;
  static const char *const keys[] = {"access_key", "room_id", "roomId",  "room",        "role",
                                     "video",      "grants",  "channel", "channelName", NULL};
  for (size_t i = 0; keys[i]; i++)
    if (!ts_node_is_null(rl_js_object_get(jf, m->payload, keys[i]))) return 1;
  const char *s;
  size_t l;
  TSNode type = rl_js_object_get(jf, m->payload, "type");
  if (!ts_node_is_null(type) && rl_js_eval_string(jf, type, &s, &l) &&
      (name_is(s, l, "app") || name_is(s, l, "management")))
    return 1;
  return 0;
}

/* streams.stop(id) with `const streams = new Streams()` and class Streams
 * in this file: the method. Null otherwise. */
static TSNode local_method(rl_jsfile *jf, TSNode root, TSNode member) {
  TSNode null = {{0}, NULL, NULL};
  TSNode obj = rl_js_unwrap(field(member, "object")); /* new C().m() or c.m() with c = new C() */
  TSNode made = type_is(obj, "new_expression") ? obj : rl_js_unwrap(rl_value_source(jf, obj));
  if (!type_is(made, "new_expression")) return null;
  TSNode ctor = rl_js_unwrap(field(made, "constructor"));
  if (!type_is(ctor, "identifier")) return null;
  for (uint32_t i = 0; i < ts_node_named_child_count(root); i++) {
    TSNode d = ts_node_named_child(root, i);
    if (type_is(d, "export_statement")) d = field(d, "declaration");
    if (!type_is(d, "class_declaration")) continue;
    size_t cl, kl;
    const char *cn = rl_js_text(jf, field(d, "name"), &cl);
    const char *kn = rl_js_text(jf, ctor, &kl);
    if (!cn || !kn || cl != kl || memcmp(cn, kn, cl)) continue;
    TSNode body = field(d, "body");
    size_t pl;
    const char *pn = rl_js_text(jf, field(member, "property"), &pl);
    for (uint32_t k = 0; pn && k < ts_node_named_child_count(body); k++) {
      TSNode m = ts_node_named_child(body, k);
      size_t ml;
      const char *mn = rl_js_text(jf, field(m, "name"), &ml);
      if (type_is(m, "method_definition") && mn && ml == pl && !memcmp(mn, pn, pl)) return m;
    }
    return null;
  }
  return null;
}

/* An ORM write to the app's room record that changes who may join: Prisma
 * `prisma.room.update({ where, data: { isLocked: false } })` (update,
 * updateMany, upsert), Mongoose `Room.findByIdAndUpdate(id, { isLocked })`
 * (findOneAndUpdate, updateOne, updateMany; `$set` looked into). The model
 * is named room (meetingRoom too); a key of the data says lock, password, passcode,
 * private, host, owner, waiting room, lobby, approval or allow. Hotel,
 * classroom and chat "rooms" write names, prices and statuses: not these.
 * Returns the message words (in jf's arena), or NULL. */
static const char *orm_room_access_write(rl_jsfile *jf, TSNode call) {
  static const char *const models[] = {"room", "rooms", NULL}; /* "room" in the bytes: the rule's prefilter */
  static const char *const access[] = {"lock",    "locked", "unlock",  "password", "passcode", "pin",
                                       "private", "host",   "owner",   "waiting",  "lobby",    "approval",
                                       "approve", "allow",  "allowed", "knock",    NULL};
  TSNode fn = rl_js_unwrap(field(call, "function"));
  if (!type_is(fn, "member_expression")) return NULL;
  size_t ml, nl;
  const char *m = rl_js_text(jf, field(fn, "property"), &ml);
  TSNode model = rl_js_unwrap(field(fn, "object"));
  int prisma = name_is(m, ml, "update") || name_is(m, ml, "updateMany") || name_is(m, ml, "upsert");
  int mongoose = name_is(m, ml, "findByIdAndUpdate") || name_is(m, ml, "findOneAndUpdate") ||
                 name_is(m, ml, "updateOne") || name_is(m, ml, "updateMany");
  if (!prisma && !mongoose) return NULL;
  TSNode data = {{0}, NULL, NULL};
  const char *n = NULL;
  if (prisma && type_is(model, "member_expression")) { /* prisma.room / db.meeting */
    n = rl_js_text(jf, field(model, "property"), &nl);
    data = rl_js_object_of(jf, rl_js_object_get(jf, rl_js_object_of(jf, rl_js_call_arg(call, 0)), "data"));
    if (!ts_node_is_null(data) && !ts_node_is_null(rl_js_object_get(jf, data, "update")))
      data = rl_js_object_of(jf, rl_js_object_get(jf, data, "update")); /* upsert */
  } else if (mongoose && type_is(model, "identifier")) {                /* Room, MeetingRoom: a model class */
    n = rl_js_text(jf, model, &nl);
    if (n && !(n[0] >= 'A' && n[0] <= 'Z')) n = NULL;
    data = rl_js_object_of(jf, rl_js_call_arg(call, 1));
    TSNode set = rl_js_object_get(jf, data, "$set");
    if (!ts_node_is_null(set)) data = rl_js_object_of(jf, set);
  }
  if (!n || nl > 24 || !rl_name_has_word(n, nl, models) || ts_node_is_null(data)) return NULL;
  for (uint32_t i = 0; i < ts_node_named_child_count(data); i++) {
    TSNode p = ts_node_named_child(data, i);
    const char *k;
    size_t kl;
    if (type_is(p, "shorthand_property_identifier")) {
      k = rl_js_text(jf, p, &kl);
    } else if (!type_is(p, "pair") || !rl_js_pair_key(jf, p, &k, &kl)) {
      continue;
    }
    if (k && rl_name_has_word(k, kl, access)) {
      size_t cl;
      const char *ct = rl_js_text(jf, fn, &cl);
      return rl_arena_printf(rl_jsfile_arena(jf), "changes who may join rooms (%.*s sets %.*s)",
                             (int)(cl > 40 ? 40 : cl), ct, (int)kl, k);
    }
  }
  return NULL;
}

typedef struct act_find {
  rl_jsfile *jf;
  TSNode root;
  const rl_route *route;
  rl_room_action *out;
  rl_callee_fn lookup; /* what a call into another project file does, or NULL */
  void *lookup_data;
  TSNode callees[8]; /* same-file functions to look into, one level */
  uint32_t ncallees;
  int found;
  const char *also; /* after a mint: a privileged provider action too */
  int seek_mint;    /* a privileged provider action was found first: a mint after it leads */
} act_find;

/* The summary of the symbol a call reaches in another file, as an action of
 * the route: a mint (a room token: a provider's, or claims/route that say
 * room), a privileged provider call, a room change. */
int rl_room_action_of_summary(rl_jsfile *jf, const rl_symbol *s, const char *route_path, TSNode call,
                              rl_room_action *out) {
  if (!s) return 0;
  rl_arena *a = rl_jsfile_arena(jf);
  const char *what = NULL;
  rl_room_action_kind kind = RL_ROOM_NONE;
  if ((s->effects & RL_EFF_MINT) &&
      (strcmp(s->mint.provider ? s->mint.provider : "jwt", "jwt") || s->mint.room_claims || s->mint.is_management ||
       rl_route_path_roomish(route_path))) {
    kind = RL_ROOM_MINT;
    what = s->mint.is_management ? "mints a management token" : "mints a token";
  } else if (s->effects & RL_EFF_FORWARDS_TOKEN) {
    kind = RL_ROOM_MINT_CALL;
    what = s->what && !strncmp(s->what, "forwards", 8)
               ? s->what
               : "forwards to an upstream token endpoint and returns its answer";
  } else if (s->effects & RL_EFF_PROVIDER_API) {
    kind = RL_ROOM_API;
    what = s->what ? s->what : "calls a provider's server API";
    /* a wrapper whose URL is its argument: the call site says where */
    TSNode c = rl_js_unwrap(call);
    const char *arg;
    size_t al;
    if (!s->url_known && s->api_method && s->api_provider && !strcmp(s->api_method, "POST") && !ts_node_is_null(c) &&
        !strcmp(ts_node_type(c), "call_expression") && rl_js_eval_string(jf, rl_js_call_arg(c, 0), &arg, &al) &&
        ((al == 6 && !memcmp(arg, "/rooms", 6)) || (al == 7 && !memcmp(arg, "/rooms/", 7))))
      what = rl_arena_printf(a, "creates %s rooms", s->api_provider);
  } else if (s->effects & RL_EFF_ROOM_CHANGE) {
    kind = RL_ROOM_CHANGE;
    what = s->what ? s->what : "creates or changes rooms";
  }
  if (kind == RL_ROOM_NONE) {
    if (s->effects & RL_EFF_MINT) out->jwt_seen = 1; /* a session-shaped JWT */
    return 0;
  }
  /* the name it is known by where it is defined: Class.method or the export */
  const char *name = s->name;
  const char *dot = strrchr(name, '.');
  const char *shown;
  if (s->kind == RL_SYM_METHOD && s->class_name && dot)
    shown = rl_arena_printf(a, "%s%s", s->class_name[0] == '#' ? s->class_name + 1 : s->class_name, dot);
  else if (!strcmp(name, "default") || !strcmp(name, ""))
    shown = "its default export";
  else
    shown = name[0] == '#' ? name + 1 : name;
  out->kind = kind;
  out->is_management = (s->effects & RL_EFF_MINT) && s->mint.is_management;
  out->node = call;
  out->via = s;
  out->via_name = shown;
  out->via_what = what;
  out->where = kind == RL_ROOM_MINT && s->mint.where.path ? s->mint.where : s->at;
  out->what = rl_arena_printf(a, "%s through %s (%s:%u)", what, shown, out->where.path, out->where.line);
  return 1;
}

static int via_action(act_find *f, TSNode call, const rl_symbol *s) {
  if (!rl_room_action_of_summary(f->jf, s, f->route->path, call, f->out)) return 0;
  f->found = 1;
  return 1;
}

static int act_visit(void *data, TSNode n) {
  act_find *f = data;
  const char *t = ts_node_type(n);
  if (f->found && f->seek_mint) { /* createSession(), then generateToken(): the token leads */
    rl_mint m;
    if ((!strcmp(t, "call_expression") || !strcmp(t, "new_expression")) && rl_mint_match(f->jf, n, &m) &&
        !rl_mint_is_generic_jwt(&m)) {
      f->also = f->out->what;
      f->out->kind = RL_ROOM_MINT;
      f->out->what = m.is_management ? "mints a management token" : "mints a token";
      f->out->node = n;
      f->out->is_management = m.is_management;
      f->seek_mint = 0;
      return -1;
    }
    return 0;
  }
  if (f->found) { /* a mint was found: what else the route does at the provider */
    rl_priv p;
    if (!strcmp(t, "call_expression") && rl_priv_call(f->jf, n, &p, NULL) && !p.mints) {
      f->also = p.what;
      return -1;
    }
    return 0;
  }
  if (!strcmp(t, "call_expression") || !strcmp(t, "new_expression")) {
    rl_mint m;
    if (rl_mint_match(f->jf, n, &m)) {
      if (!rl_mint_is_generic_jwt(&m) || rl_mint_room_claims(f->jf, &m) || rl_route_path_roomish(f->route->path)) {
        f->out->kind = RL_ROOM_MINT;
        f->out->what = m.is_management ? "mints a management token" : "mints a token";
        f->out->node = n;
        f->out->is_management = m.is_management;
        f->found = 1;
        return 0; /* on: a provider action after it is named too */
      }
      f->out->jwt_seen = 1;
      return 0;
    }
    if (!strcmp(t, "new_expression")) return 0;
    /* a privileged provider action (privileged.h); a request that only
     * reads a provider's API is no action, nor is its URL */
    rl_priv p;
    int read_only = 0;
    if (rl_priv_call(f->jf, n, &p, &read_only)) {
      f->out->kind = p.mints ? RL_ROOM_MINT_CALL : p.room ? RL_ROOM_CHANGE : RL_ROOM_API;
      f->out->what = p.what;
      f->out->node = n;
      f->found = 1;
      f->seek_mint = !p.mints;
      return p.mints ? -1 : 0;
    }
    if (read_only) return 1;
    const char *orm = orm_room_access_write(f->jf, n);
    if (orm) {
      f->out->kind = RL_ROOM_CHANGE;
      f->out->what = orm;
      f->out->node = n;
      f->found = 1;
      return -1;
    }
    TSNode fn = field(n, "function");
    TSNode name = type_is(fn, "member_expression") ? field(fn, "property") : fn;
    if (!type_is(name, "identifier") && !type_is(name, "property_identifier")) return 0;
    /* a call into another project file: what its code does, not its name */
    const rl_symbol *sum = f->lookup ? f->lookup(f->lookup_data, n) : NULL;
    if (sum && via_action(f, n, sum)) return -1;
    if (sum && (sum->kind == RL_SYM_FUNCTION || sum->kind == RL_SYM_METHOD)) return 0;
    size_t l;
    const char *s = rl_js_text(f->jf, name, &l);
    if (rl_room_change_name(s, l)) {
      f->out->kind = RL_ROOM_CHANGE;
      f->out->what = rl_arena_printf(rl_jsfile_arena(f->jf), "creates or changes rooms (%.*s)", (int)l, s);
      f->out->node = n;
      f->found = 1;
      return -1;
    }
    if (mint_call_name(s, l)) {
      f->out->kind = RL_ROOM_MINT_CALL;
      f->out->node = n;
      f->out->is_management = rl_name_has_word(s, l, (const char *const[]){"management", "mgmt", NULL});
      f->out->what = f->out->is_management ? "mints a management token" : "mints a token";
      f->found = 1;
      return 0; /* on, as after a mint site */
    }
    if (type_is(fn, "identifier") && f->ncallees < 8) {
      TSNode callee = function_named(f->jf, f->root, fn);
      if (!ts_node_is_null(callee)) f->callees[f->ncallees++] = callee;
    } else if (type_is(fn, "member_expression") && f->ncallees < 8) {
      TSNode callee = local_method(f->jf, f->root, fn);
      if (!ts_node_is_null(callee)) f->callees[f->ncallees++] = callee;
    }
    return 0;
  }
  if (!strcmp(t, "string") || !strcmp(t, "template_string")) {
    size_t l;
    const char *s = rl_js_text(f->jf, n, &l);
    /* { hostname: 'api.100ms.live', path, method }: the options of a Node
     * request, judged at the request (rl_priv_call above), which may only
     * read */
    TSNode up = rl_js_parent(n);
    const char *k;
    size_t kl;
    if (type_is(up, "pair") && rl_js_pair_key(f->jf, up, &k, &kl) &&
        ((kl == 4 && !memcmp(k, "host", 4)) || (kl == 8 && !memcmp(k, "hostname", 8))))
      return 1;
    if (is_hms_api_text(s, l)) {
      f->out->kind = RL_ROOM_API;
      f->out->what = "calls the 100ms REST API";
      f->out->node = n;
      f->found = 1;
      return -1;
    }
    return !strcmp(t, "string"); /* a template's substitutions may name the API */
  }
  if (!strcmp(t, "identifier")) {
    TSNode init = rl_js_const_init(f->jf, n);
    if (type_is(init, "string") || type_is(init, "template_string")) {
      size_t l;
      const char *s = rl_js_text(f->jf, init, &l);
      if (is_hms_api_text(s, l)) {
        f->out->kind = RL_ROOM_API;
        f->out->what = "calls the 100ms REST API";
        f->out->node = n;
        f->found = 1;
        return -1;
      }
    }
  }
  return 0;
}

int rl_route_room_action(rl_jsfile *jf, TSNode root, const rl_route *r, rl_room_action *out) {
  return rl_route_room_action_with(jf, root, r, NULL, NULL, out);
}

int rl_route_room_action_with(rl_jsfile *jf, TSNode root, const rl_route *r, rl_callee_fn lookup, void *data,
                              rl_room_action *out) {
  memset(out, 0, sizeof *out);
  if (ts_node_is_null(r->handler)) return 0;
  act_find f;
  memset(&f, 0, sizeof f);
  f.jf = jf;
  f.root = root;
  f.route = r;
  f.out = out;
  f.lookup = lookup;
  f.lookup_data = data;
  rl_js_walk(r->handler, act_visit, &f);
  /* one level into same-file helpers the handler calls */
  uint32_t n = f.found ? 0 : f.ncallees;
  TSNode callees[8];
  memcpy(callees, f.callees, sizeof callees);
  for (uint32_t i = 0; i < n && !f.found; i++) {
    if (ts_node_eq(callees[i], r->handler)) continue;
    f.ncallees = 8; /* no deeper */
    rl_js_walk(callees[i], act_visit, &f);
  }
  if (f.found && f.also) out->what = rl_arena_printf(rl_jsfile_arena(jf), "%s and %s", out->what, f.also);
  return f.found || rl_route_forwards_token(jf, r, out);
}

/* ---- prefilter: could any parse of these bytes register a route? ---------------------- */

static int pf_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Past the type arguments `<...>` that start at i (a generic call such as
 * fastify.get<{ Querystring: Q }>(...)); returns n when they cannot be
 * followed with certainty (a quote inside, too long, unbalanced). */
static size_t pf_skip_type_args(const char *b, size_t n, size_t i) {
  int depth = 0;
  for (size_t k = i; k < n && k < i + 4096; k++) {
    char c = b[k];
    if (c == '\'' || c == '"' || c == '`') return n;
    if (c == '<') depth++;
    if (c == '>' && !(k > i && b[k - 1] == '=')) {
      if (--depth == 0) return k + 1;
    }
  }
  return n;
}

typedef enum pf_call { PF_NOT_CALL, PF_CALL, PF_ROUTE } pf_call;

static int pf_ascii_ident(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
}

/* The byte before offset i that is not ASCII whitespace ('\0' if none). */
static char pf_before(const char *b, size_t i) {
  while (i > 0 && pf_space((unsigned char)b[i - 1])) i--;
  return i > 0 ? b[i - 1] : '\0';
}

/* 1 if the ident run ending right before the whitespace before i is one of words. */
static int pf_word_before(const char *b, size_t i, const char *const *words) {
  while (i > 0 && pf_space((unsigned char)b[i - 1])) i--;
  size_t end = i;
  while (i > 0 && pf_ascii_ident((unsigned char)b[i - 1])) i--;
  for (size_t k = 0; words[k]; k++)
    if (strlen(words[k]) == end - i && !memcmp(b + i, words[k], end - i)) return 1;
  return 0;
}

/* The start of the word that ends before b[i] (blanks skipped), or i. */
static size_t pf_word_start_before(const char *b, size_t i) {
  while (i > 0 && pf_space((unsigned char)b[i - 1])) i--;
  while (i > 0 && pf_ascii_ident((unsigned char)b[i - 1])) i--;
  return i;
}

/* 1 if the name could be a const bound to a string (rl_js_const_init):
 * `const name = <string, template, name, (...)>` (or `, name =`, or
 * `name: T = ...`) somewhere. */
static int pf_const_string_at(const rl_prefilter *pf, const char *name, size_t len, int depth);

typedef struct const_scan {
  const rl_prefilter *pf;
  size_t len;
  int depth;
} const_scan;

/* One declaration candidate of the name at b[i]: 1 if it could bind the name
 * as a const to a string that folds to a path. */
static int const_candidate(size_t i, void *arg) {
  const const_scan *cs = arg;
  size_t n;
  const char *b = rl_pf_bytes(cs->pf, &n);
  static const char *const decl[] = {"const", NULL};
  char p = pf_before(b, i); /* const P = .., const a = 1, P = .. */
  if (p != ',' && p != '/' && (unsigned char)p < 0x80 && !pf_word_before(b, i, decl)) return 0;
  size_t j = rl_pf_skip_blank(b, n, i + cs->len);
  if (j >= n) return 0;
  if (b[j] == ':') { /* `name: T = ...` on one line; `{ name: v }` is a key */
    for (j = rl_pf_skip_blank(b, n, j + 1); j < n && b[j] != ';' && b[j] != '\n' && b[j] != '\r'; j++) {
      if (b[j] == '=' && j + 1 < n && b[j + 1] == '>')
        j++;
      else if (b[j] == '=')
        break;
    }
  }
  if (j >= n) return 0;
  if (b[j] != '=' || (j + 1 < n && (b[j + 1] == '=' || b[j + 1] == '>'))) return 0;
  j = rl_pf_skip_blank(b, n, j + 1);
  while (j < n && b[j] == '(') j = rl_pf_skip_blank(b, n, j + 1); /* (x) folds as x does */
  if (j >= n) return 0;
  unsigned char c = (unsigned char)b[j];
  if (c == '\'' || c == '"') {
    /* a string alone folds to itself: a path only if it starts with / or * */
    size_t k = j + 1;
    while (k < n && b[k] != (char)c && b[k] != '\\' && b[k] != '\n' && b[k] != '\r') k++;
    if (k >= n || b[k] != (char)c) return 1; /* escapes: unknown value */
    /* whatever follows (a `+` of more strings), a fold starts with this
     * string's first character; an empty string leaves it to the rest */
    if (k > j + 1) {
      if (b[j + 1] == '/' || b[j + 1] == '*') return 1;
      return 0;
    }
    size_t after = rl_pf_skip_blank(b, n, k + 1);
    if (after < n && b[after] == '+') {
      size_t m = rl_pf_skip_blank(b, n, after + 1), e = m;
      while (e < n && pf_ascii_ident((unsigned char)b[e])) e++;
      e = rl_pf_skip_blank(b, n, e);
      if (e > m && e < n && strchr(".([", b[e])) return 0; /* "" + x.value: a member does not fold */
      return 1;
    }
    return 0; /* "" alone */
  }
  if (c == '`' || c == '\\' || c >= 0x80) return 1;
  if (pf_ascii_ident(c) && !(c >= '0' && c <= '9')) {
    /* another const, or a `+` of names, folds (the name then ends the
     * value, or a `+` or a wrapper's `as` follows); a member, call, `&&`,
     * `||` or ternary does not fold to a string */
    size_t a = j;
    while (j < n && pf_ascii_ident((unsigned char)b[j])) j++;
    size_t alias_len = j - a;
    j = rl_pf_skip_blank(b, n, j);
    if (j < n && b[j] == '+') return 1;
    if (j >= n || strchr(";,)}", b[j]) || pf_ascii_ident((unsigned char)b[j]) || (unsigned char)b[j] >= 0x80) {
      /* an alias folds as what it names does (a few hops, then assume so) */
      if (cs->depth >= 3 || pf_const_string_at(cs->pf, b + a, alias_len, cs->depth + 1)) return 1;
    }
  }
  return 0;
}

static int pf_const_string_at(const rl_prefilter *pf, const char *name, size_t len, int depth) {
  if (len >= 64) return 1;
  if (!rl_pf_word(pf, "const")) return 0;
  const_scan cs = {pf, len, depth};
  return rl_pf_each_decl(pf, name, len, const_candidate, &cs);
}

static int pf_const_string(const rl_prefilter *pf, const char *name, size_t len) {
  return pf_const_string_at(pf, name, len, 0);
}

/* The first argument of a possible registration, starting at b[i]: only a
 * string, a template, an identifier (a const), a `+` of those, a regex or a
 * wrapper (await x, x as T) can fold to a path, and a registration has a
 * second argument. `x.get(key)`, `headers.get('accept')`, `map.get(a.b, c)`
 * are not routes; x.route(path) is the one registration with one argument
 * (`single_ok`). `parens` counts the parentheses around it. */
static pf_call pf_first_arg(const rl_prefilter *pf, size_t i, int parens, int single_ok) {
  size_t n;
  const char *b = rl_pf_bytes(pf, &n);
  unsigned char c = (unsigned char)b[i];
  int pathlike = 0; /* the argument is one literal starting with / or * */
  size_t end;
  if (c == '\'' || c == '"') {
    int escaped;
    end = rl_pf_string_end(b, n, i, &escaped);
    if (!end || escaped) return PF_CALL; /* escapes: unknown value */
    pathlike = end > i + 2 && (b[i + 1] == '/' || b[i + 1] == '*');
  } else if (c == '`') {
    size_t budget = 65536;
    end = rl_pf_template_end(b, n, i, &budget);
    if (!end) return PF_CALL;
    pathlike = 1; /* a template's text fallback needs only a '/' in it */
  } else if (pf_ascii_ident(c) && !(c >= '0' && c <= '9')) {
    size_t k = i;
    while (k < n && pf_ascii_ident((unsigned char)b[k])) k++;
    if (k >= n || (unsigned char)b[k] >= 0x80) return PF_CALL;
    if ((k - i == 5 && !memcmp(b + i, "await", 5)) || (k - i == 3 && !memcmp(b + i, "new", 3))) return PF_CALL;
    end = rl_pf_skip_blank(b, n, k);
    /* a member, call, subscript or ternary does not fold to a string; a
     * typed parameter is a method declaration, not a call */
    if (end < n && (b[end] == '.' || b[end] == '(' || b[end] == '[' || b[end] == ':' ||
                    (b[end] == '?' && (end + 1 >= n || b[end + 1] != '?'))))
      return PF_NOT_CALL;
    pathlike = pf_const_string(pf, b + i, k - i); /* then the file's strings decide */
  } else {
    return PF_NOT_CALL; /* numbers, arrays, unary operators, functions... */
  }
  end = rl_pf_skip_blank(b, n, end);
  for (; parens > 0 && end < n && b[end] == ')'; parens--) end = rl_pf_skip_blank(b, n, end + 1); /* ((x)) */
  if (parens > 0) return PF_CALL; /* more inside the parentheses: ('' + '/x') */
  if (end >= n) return PF_NOT_CALL;
  if (b[end] == ')') return single_ok && pathlike ? PF_CALL : PF_NOT_CALL; /* one argument */
  if (b[end] == ',') return pathlike ? PF_CALL : PF_NOT_CALL;
  if (pf_ascii_ident((unsigned char)b[end])) {
    /* x as T, x satisfies T unwrap to x; x in y, x instanceof y, or prose
     * (`all (\`x\` undefined)` in a comment) do not fold to a string */
    size_t k = end;
    while (k < n && pf_ascii_ident((unsigned char)b[k])) k++;
    if (!(k - end == 2 && !memcmp(b + end, "as", 2)) && !(k - end == 9 && !memcmp(b + end, "satisfies", 9)))
      return PF_NOT_CALL;
  }
  return PF_CALL; /* '+', `as`, `!`...: the file's strings decide */
}

/* What follows the member name at b[i..]: not a call; a call whose first
 * argument needs the file's path strings (PF_CALL); or a call that may be a
 * route whatever the rest of the file says (PF_ROUTE: the argument is a
 * regex or starts in a way these bytes cannot follow). `object_ok` says
 * whether an object first argument can make a route (fastify.route({...}),
 * `single_ok` whether one argument can (x.route(path)). */
static pf_call pf_call_after(const rl_prefilter *pf, size_t i, int object_ok, int single_ok) {
  size_t n;
  const char *b = rl_pf_bytes(pf, &n);
  i = rl_pf_skip_blank(b, n, i);
  if (i >= n) return PF_NOT_CALL;
  unsigned char c = (unsigned char)b[i];
  /* (Unicode spaces were skipped: another non-ASCII byte continues a
   * name.) A tagged template x.get`...` has no argument rl_js_call_arg
   * returns. */
  if (c == '?') { /* app.get?.(...) */
    if (i + 1 >= n || b[i + 1] != '.') return PF_NOT_CALL;
    i = rl_pf_skip_blank(b, n, i + 2);
  } else if (c == '<') {
    i = pf_skip_type_args(b, n, i);
    if (i >= n) return PF_ROUTE;
    i = rl_pf_skip_blank(b, n, i);
  }
  if (i >= n || b[i] != '(') return PF_NOT_CALL;
  /* the first argument, parentheses looked through (rl_js_unwrap) */
  int parens = -1;
  do {
    i = rl_pf_skip_blank(b, n, i + 1);
    parens++;
  } while (i < n && b[i] == '(');
  if (i >= n) return PF_NOT_CALL;
  c = (unsigned char)b[i];
  if (c == '/' || c == '<' || c >= 0x80 || c == '\\') return PF_ROUTE; /* regex, <T>x, unknown */
  if (c == '{') return object_ok ? PF_ROUTE : PF_NOT_CALL;
  return pf_first_arg(pf, i, parens, single_ok);
}

/* A string that rl_js_eval_string folds to a path starting with "/" or "*"
 * has that character first in some string literal, or first in a
 * template's text or right after a `${...}` in it; the template-text
 * fallback of route_path_arg needs a "/" somewhere in a template. */
static int pf_template_slash(const char *text, size_t len, int escaped, void *arg) {
  (void)escaped;
  (void)arg;
  return text[-1] == '`' && memchr(text, '/', len) != NULL;
}

static int pf_path_strings(const rl_prefilter *pf) {
  size_t n;
  const char *b = rl_pf_bytes(pf, &n);
  for (size_t i = 1; i < n; i++) {
    if (b[i] != '/' && b[i] != '*') continue;
    char p = b[i - 1];
    if (p == '\'' || p == '"' || p == '`' || p == '}') return 1;
  }
  return rl_pf_each_quoted(pf, NULL, pf_template_slash, NULL);
}

/* A file that imports none of the server frameworks (classify_imports) gets
 * a call route only when the handler, the last argument, is visibly one:
 * a function, a call or member (wrapper, controller.method), or a name the
 * file declares as a function (function_named). */
static int pf_server_import(const rl_prefilter *pf) {
  static const char *const modules[] = {"koa",     "@koa/router", "koa-router", "fastify",       "hono",   "elysia",
                                        "express", "restify",     "polka",      "@tinyhttp/app", "router", NULL};
  for (size_t i = 0; modules[i]; i++)
    if (rl_pf_module(pf, modules[i])) return 1;
  return 0;
}

/* The last argument of the call whose '(' is at b[open]: [*s, *e), and
 * *several = whether there is more than one; or 0 when a template, regex or
 * division, an unclosed string or a very long list leaves the text unsure. */
static int pf_last_arg(const char *b, size_t n, size_t open, size_t *s, size_t *e, int *several) {
  int depth = 0;
  *several = 0;
  size_t start = open + 1;
  for (size_t k = open + 1; k < n && k < open + 65536; k++) {
    char c = b[k];
    if (c == '\'' || c == '"') {
      size_t q = rl_pf_string_end(b, n, k, NULL);
      if (!q) return 0;
      k = q - 1;
    } else if (c == '`') {
      return 0;
    } else if (c == '/') {
      size_t j = rl_pf_skip_blank(b, n, k);
      if (j == k) return 0;
      k = j - 1;
    } else if (c == '(' || c == '[' || c == '{') {
      depth++;
    } else if (c == ')' || c == ']' || c == '}') {
      if (depth == 0) {
        *s = rl_pf_skip_blank(b, n, start);
        *e = k;
        while (*e > *s && pf_space((unsigned char)b[*e - 1])) (*e)--;
        return 1;
      }
      depth--;
    } else if (c == ',' && depth == 0) {
      start = k + 1;
      *several = 1;
    }
  }
  return 0;
}

/* function_named: `function X` / `function* X`, or X bound to a function
 * (`X = function`, `X = async`, `X = (...) =>`, `X = y =>`). */
typedef struct fn_scan {
  const rl_prefilter *pf;
  size_t len;
} fn_scan;

/* One declaration candidate of the name at b[i]: 1 if it could name a
 * function (function_named: a declaration, or a binding to a function). */
static int function_candidate(size_t i, void *arg) {
  const fn_scan *fs = arg;
  size_t n;
  const char *b = rl_pf_bytes(fs->pf, &n);
  static const char *const fn[] = {"function", NULL};
  size_t p = i;
  while (p > 0 && (pf_space((unsigned char)b[p - 1]) || b[p - 1] == '*')) p--;
  if (pf_word_before(b, p, fn)) return 1;
  size_t j = rl_pf_skip_blank(b, n, i + fs->len);
  if (j < n && b[j] == ':') { /* a typed binding: X: T = ... */
    while (j < n && b[j] != '=' && b[j] != ';' && b[j] != '\n') j++;
  }
  if (j >= n || b[j] != '=' || (j + 1 < n && (b[j + 1] == '=' || b[j + 1] == '>'))) return 0;
  j = rl_pf_skip_blank(b, n, j + 1);
  if (j >= n) return 1;
  if (b[j] == '(') { /* an arrow's parameters, or a parenthesised value? */
    int depth = 0;
    size_t k = j;
    for (; k < n; k++) {
      if (b[k] == '(') depth++;
      if (b[k] == ')' && --depth == 0) break;
      if (b[k] == '\'' || b[k] == '"' || b[k] == '`' || b[k] == '/') return 1; /* unsure */
    }
    k = rl_pf_skip_blank(b, n, k + 1);
    return k >= n || b[k] == ':' || (b[k] == '=' && k + 1 < n && b[k + 1] == '>');
  }
  if (b[j] == '<' || (unsigned char)b[j] >= 0x80) return 1;
  size_t k = j;
  while (k < n && pf_ascii_ident((unsigned char)b[k])) k++;
  if ((k - j == 8 && !memcmp(b + j, "function", 8)) || (k - j == 5 && !memcmp(b + j, "async", 5))) return 1;
  k = rl_pf_skip_blank(b, n, k);
  return k > j && k + 1 < n && b[k] == '=' && b[k + 1] == '>';
}

static int pf_function_named(const rl_prefilter *pf, const char *name, size_t len) {
  if (len >= 64) return 1;
  fn_scan fs = {pf, len};
  return rl_pf_each_decl(pf, name, len, function_candidate, &fs);
}

/* The call at the member name ending at b[i]: 1 if its last argument could
 * be a handler in a file without a server framework import. */
static int pf_handler_possible(const rl_prefilter *pf, size_t i) {
  size_t n;
  const char *b = rl_pf_bytes(pf, &n);
  i = rl_pf_skip_blank(b, n, i);
  if (i + 1 < n && b[i] == '?' && b[i + 1] == '.') i = rl_pf_skip_blank(b, n, i + 2);
  if (i < n && b[i] == '<') i = rl_pf_skip_blank(b, n, pf_skip_type_args(b, n, i));
  size_t s, e;
  int several;
  if (i >= n || b[i] != '(' || !pf_last_arg(b, n, i, &s, &e, &several)) return 1;
  if (!several) return 0;                                         /* a registration has a path and a handler */
  while (s < e && b[s] == '(') s = rl_pf_skip_blank(b, n, s + 1); /* (h) */
  if (s >= e) return 1;
  unsigned char c = (unsigned char)b[s];
  if (c == '{' || c == '[' || c == '\'' || c == '"' || (c >= '0' && c <= '9')) return 0; /* data, not a handler */
  if (!pf_ascii_ident(c)) return 1;
  size_t k = s;
  while (k < e && pf_ascii_ident((unsigned char)b[k])) k++;
  if (k < e) return 1; /* a call, member, arrow, wrapper...: possible */
  if ((k - s == 8 && !memcmp(b + s, "function", 8)) || (k - s == 5 && !memcmp(b + s, "async", 5))) return 1;
  return pf_function_named(pf, b + s, k - s);
}

/* Express-style registrations: x.METHOD(path, ...), x.use(path, ...),
 * x.route(path).METHOD(...), fastify x.route({ ..., handler }). */
static int pf_call_routes(const rl_prefilter *pf) {
  static const char *const names[] = {"get", "post",    "put",  "patch", "delete", "del",
                                      "all", "options", "head", "use",   "route",  NULL};
  size_t n;
  rl_pf_bytes(pf, &n);
  int fastify_object = rl_pf_word(pf, "handler");
  int strings = -1; /* pf_path_strings, asked at the first call */
  int server = -1;  /* pf_server_import, asked at the first call */
  for (size_t k = 0; names[k]; k++) {
    size_t wl = strlen(names[k]);
    int is_route = !strcmp(names[k], "route");
    int object_ok = is_route && fastify_object;
    for (size_t i = rl_pf_word_from(pf, 0, names[k]); i < n; i = rl_pf_word_from(pf, i + 1, names[k])) {
      pf_call c = pf_call_after(pf, i + wl, object_ok, is_route);
      if (c != PF_NOT_CALL && !is_route && server < 0) server = pf_server_import(pf);
      if (c != PF_NOT_CALL && !server && !is_route && !pf_handler_possible(pf, i + wl)) continue;
      if (c == PF_ROUTE) return 1;
      if (c == PF_CALL && strings < 0) strings = pf_path_strings(pf);
      if (c == PF_CALL && strings) return 1;
    }
  }
  return 0;
}

/* Routes that come from the file's path (pages/api, app/.../route.ts,
 * *+api.ts, api/ functions, Nuxt server/api) need an export of the right
 * shape; kind is NULL when the path is unknown (any kind). */
static int pf_file_routes(const rl_prefilter *pf, const char *kind) {
  int cjs = rl_pf_has(pf, "module.exports"); /* pages/api and Vercel only */
  if (kind && !strcmp(kind, "netlify")) return rl_pf_word(pf, "handler") || rl_pf_word(pf, "default");
  int cjs_kind = !kind || !strcmp(kind, "next-pages") || !strcmp(kind, "vercel");
  if (!rl_pf_word(pf, "export")) return cjs && cjs_kind;
  int dflt = rl_pf_word(pf, "default");
  int handler = rl_pf_word(pf, "defineEventHandler") || rl_pf_word(pf, "eventHandler");
  int verb = 0;
  static const char *const verbs[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", NULL};
  for (size_t i = 0; verbs[i] && !verb; i++) verb = rl_pf_word(pf, verbs[i]);
  int sk_page = rl_pf_word(pf, "load") || rl_pf_word(pf, "actions");
  if (!kind) return dflt || cjs || verb || rl_pf_word(pf, "loader") || rl_pf_word(pf, "action") || sk_page;
  if (!strcmp(kind, "sveltekit-page")) return sk_page;
  if (!strcmp(kind, "next-pages")) return dflt || cjs;
  if (!strcmp(kind, "vercel")) return dflt || cjs || verb;
  if (!strcmp(kind, "nuxt")) return dflt && handler;
  if (!strcmp(kind, "remix")) return rl_pf_word(pf, "action") || rl_pf_word(pf, "loader");
  if (!strcmp(kind, "netlify")) return dflt || rl_pf_word(pf, "handler");
  return verb; /* next-app, expo-api, sveltekit */
}

/* NestJS: a class decorated @Controller or @x.Controller, or a GraphQL
 * @Resolver (decorator_name reads the decorator's own name, so an alias
 * does not count). */
static int pf_decorated(const rl_prefilter *pf, const char *word) {
  size_t n;
  const char *b = rl_pf_bytes(pf, &n);
  for (size_t i = rl_pf_word_from(pf, 0, word); i < n; i = rl_pf_word_from(pf, i + 1, word)) {
    char p = pf_before(b, i);
    if (p == '@' || p == '.' || p == '/' || (unsigned char)p >= 0x80) return 1;
  }
  return 0;
}

static int pf_controller(const rl_prefilter *pf) {
  return pf_decorated(pf, "Controller") || pf_decorated(pf, "Resolver");
}

/* serve(h), Deno.serve, Bun.serve, or serve named in an import or a
 * binding (import { serve as s }, import serve from, const { serve } = ..):
 * "serve" followed by a name is prose ("serve as a filter") unless it
 * comes after {, a comma or a declaring keyword. */
/* Module specifiers (quoted text) that a serve import can come from: the
 * route walk takes `<module>:serve` only when the module says /http/server,
 * std or deno. */
static int serve_module_text(const char *t, size_t len, int escaped, void *arg) {
  (void)escaped;
  (void)arg;
  return memmem(t, len, "/http/server", 12) || memmem(t, len, "std", 3) || memmem(t, len, "deno", 4);
}

static int pf_newline(unsigned char c) { return c == '\n' || c == '\r'; }

/* fn_path: the file's path may be a Supabase function's (where a bare
 * serve(h) counts). */
static int pf_serve(const rl_prefilter *pf, int fn_path) {
  static const char *const decl[] = {"import", "const", "let", "var", "export", "default", NULL};
  size_t n;
  const char *b = rl_pf_bytes(pf, &n);
  /* Deno.serve / Bun.serve (also through an alias of Deno or Bun), an
   * import from such a module, or a bare serve in a Supabase function. */
  if (!rl_pf_word(pf, "Deno") && !rl_pf_word(pf, "Bun") && !fn_path &&
      !rl_pf_each_quoted(pf, pf_newline, serve_module_text, NULL))
    return 0;
  for (size_t i = rl_pf_word_from(pf, 0, "serve"); i < n; i = rl_pf_word_from(pf, i + 1, "serve")) {
    size_t j = rl_pf_skip_blank(b, n, i + 5);
    if (j >= n || !pf_ascii_ident((unsigned char)b[j])) return 1;
    char p = pf_before(b, i);
    if (p == '{' || p == ',' || p == '/' || (unsigned char)p >= 0x80 || pf_word_before(b, i, decl)) return 1;
  }
  return 0;
}

/* Handlers that need no path: Workers' `export default { fetch }`, Lambda's
 * `handler` taking `event`. */
static int pf_anywhere(const rl_prefilter *pf) {
  if (!rl_pf_word(pf, "export") && !rl_pf_word(pf, "exports")) return 0;
  size_t n;
  const char *b = rl_pf_bytes(pf, &n);
  /* `export default {` and a fetch in it: the word default after export (or
   * after a comment's end, or what may be Unicode blank), then '{' */
  static const char *const ex[] = {"export", NULL};
  if (rl_pf_word(pf, "fetch"))
    for (size_t i = rl_pf_word_from(pf, 0, "default"); i < n; i = rl_pf_word_from(pf, i + 1, "default")) {
      char p = pf_before(b, i);
      if (!pf_word_before(b, i, ex) && p != '/' && (unsigned char)p < 0x80) continue;
      size_t j = rl_pf_skip_blank(b, n, i + 7);
      if (j >= n || b[j] != '{') continue;
      /* the object holds fetch (unsure, or too long to read: it may) */
      size_t budget = 1u << 16;
      size_t end = rl_pf_group_end(b, n, j, &budget);
      if (!end || memmem(b + j, end - j, "fetch", 5)) return 1;
    }
  /* a handler declared (`export const handler`, `export async function
   * handler`) or assigned (`exports.handler =`), taking event */
  if (!rl_pf_word(pf, "event") && !rl_pf_word(pf, "evt")) return 0;
  static const char *const decl[] = {"function", "const", "let", "var", NULL};
  static const char *const exp[] = {"export", "exports", NULL};
  static const char *const async_[] = {"async", NULL};
  for (size_t i = rl_pf_word_from(pf, 0, "handler"); i < n; i = rl_pf_word_from(pf, i + 1, "handler")) {
    char p = pf_before(b, i);
    if (p == '/' || (unsigned char)p >= 0x80) return 1; /* a comment or Unicode blank: unsure */
    size_t at = pf_word_start_before(b, i);
    if (p == '.') { /* exports.handler, module.exports.handler */
      size_t dot = i;
      while (dot > 0 && b[dot - 1] != '.') dot--;
      if (dot > 0 && pf_word_before(b, dot - 1, exp)) return 1;
      continue;
    }
    if (!pf_word_before(b, i, decl)) continue;
    if (pf_word_before(b, at, async_)) at = pf_word_start_before(b, at);
    char q = pf_before(b, at);
    if (pf_word_before(b, at, exp) || q == '/' || (unsigned char)q >= 0x80) return 1;
  }
  return 0;
}

/* Firebase functions: onCall / onRequest and an import of firebase-functions. */
static int pf_firebase(const rl_prefilter *pf) {
  return (rl_pf_word(pf, "onCall") || rl_pf_word(pf, "onRequest")) && rl_pf_has(pf, "firebase-functions");
}

int rl_routes_possible(rl_prefilter *pf) {
  if (pf->routes >= 0) return pf->routes;
  const char *path = rl_pf_path(pf);
  const char *kind = NULL;
  int known = 0, fn_path = 1;
  if (path) {
    walk w;
    memset(&w, 0, sizeof w);
    w.path = path;
    rl_arena *a = rl_arena_new();
    classify_path(&w, a);
    rl_arena_free(a);
    kind = w.file_kind;
    fn_path = w.fn_route != NULL;
    known = 1;
  }
  /* a Server Action needs its "use server" directive */
  int yes = pf_controller(pf) || pf_serve(pf, fn_path) || pf_call_routes(pf) || pf_firebase(pf) || pf_anywhere(pf) ||
            rl_pf_has(pf, "use server");
  if (!yes && (!known || kind)) yes = pf_file_routes(pf, kind);
  pf->routes = (signed char)yes;
  return yes;
}

int rl_route_is_roomish(rl_jsfile *jf, TSNode root, const rl_route *r) {
  static const char *const room_words[] = {"token", "tokens", "room", "rooms", NULL};
  rl_room_action act;
  return rl_route_room_action(jf, root, r, &act) || (r->path && rl_name_has_word(r->path, strlen(r->path), room_words));
}

/* ---- mounts ------------------------------------------------------------------------- */

typedef struct mount_read {
  rl_jsfile *jf;
  rl_mount *m;
  size_t n, cap;
} mount_read;

static int mount_read_visit(void *data, TSNode n) {
  mount_read *r = data;
  if (strcmp(ts_node_type(n), "call_expression")) return 0;
  TSNode fn = rl_js_unwrap(field(n, "function"));
  if (!type_is(fn, "member_expression")) return 0;
  TSNode prop = field(fn, "property");
  int reg = rl_js_text_is(r->jf, prop, "register");
  if (!reg && !rl_js_text_is(r->jf, prop, "use")) return 0;
  if (r->n == RL_MOUNTS_MAX) return -1;
  r->m = rl_arena_grow(rl_jsfile_arena(r->jf), r->m, r->n, &r->cap, sizeof *r->m);
  rl_mount *m = &r->m[r->n++];
  memset(m, 0, sizeof *m);
  m->call = n;
  m->recv = field(fn, "object");
  m->is_register = reg;
  m->nargs = ts_node_named_child_count(field(n, "arguments"));
  TSNode at = reg ? rl_js_object_get(r->jf, rl_js_object_of(r->jf, rl_js_call_arg(n, 1)), "prefix")
                  : rl_js_call_arg(n, 0);
  const char *s;
  size_t l;
  int is_path = !ts_node_is_null(at) && rl_js_eval_string(r->jf, at, &s, &l);
  if (is_path && l && s[0] == '/') {
    m->path = s;
    m->path_len = l;
  }
  /* a use() whose first argument is a string is a path, whatever it says */
  m->first = !reg && is_path ? 1 : 0;
  return 0;
}

const rl_mount *rl_mounts(rl_jsfile *jf, TSNode root, size_t *n) {
  mount_read r = {jf, NULL, 0, 0};
  rl_js_walk(root, mount_read_visit, &r);
  *n = r.n;
  return r.m;
}
