/* unauthenticated-room-route: a server route that mints a token or creates or
 * changes rooms, reachable by anyone.
 *
 * Routes come from rules/routes.c, what they do from rl_route_room_action
 * (mint sites, token-minting and room-changing call names, the privileged
 * provider actions of facts/privileged.c, a forward to an upstream token
 * endpoint: facts/forward.c). A route is authenticated when one of these holds:
 *   - a middleware argument (or a Fastify preHandler/onRequest/preValidation
 *     option, or a wrapper around the handler: withAuth(h)) has an auth name;
 *   - an earlier `x.use(mw)` in the file (path-less, or whose path is a prefix
 *     of the route's) has one: a `use` after the route does not protect it;
 *   - Fastify: an addHook('onRequest'|'preHandler'|'preValidation', fn) with
 *     an auth name or an auth check inside;
 *   - NestJS: @UseGuards on the method or class (a throttler alone is not
 *     auth), or a @CurrentUser()/@User()/@Session() parameter that a guard
 *     fills;
 *   - in an inline middleware: a call that enforces auth by its name
 *     (requireUser(req), verifyToken(t), jwt.verify, jose jwtVerify,
 *     auth.protect(), verifyIdToken), or a session/user read (req.user,
 *     req.session, req.auth, ctx.state.user, getServerSession, getSession,
 *     auth(), supabase.auth.getUser, currentUser, getAuth, getToken, the
 *     Authorization header) together with a 401/403 answer;
 *   - in the handler: the same checks, but only where they guard the work
 *     (rl_auth_guards, facts/auth.c): before it on every path, not in a
 *     catch/finally clause, and a read tested by an if whose failure branch
 *     returns or throws (or whose success branch holds the work); the
 *     message says why a check that does not count does not;
 *   - Next.js route handlers: the project's middleware.ts / proxy.ts
 *     authenticates and its matcher selects the route (see below);
 *   - NestJS: an auth guard registered for the whole app (useGlobalGuards in
 *     main.ts, an APP_GUARD provider in app.module.ts) and no @Public()-style
 *     opt-out on the method or class.
 * Auth names: words such as auth, authenticate(d), authorize(d), jwt,
 * passport, clerk, bearer, guard, protect(ed), loggedIn, or a check verb
 * (require, ensure, verify, check, validate, with, is, must) with user,
 * session, token, login, admin, member. Names with limit/limiter/rate/
 * throttle/cors/json/parser/logger are not auth (authLimiter limits, it does
 * not authenticate).
 * Names listed under `auth-middleware:` in .roomlint.yml count too
 * (rl_config_is_auth_name), as middleware and as in-handler calls.
 * Not seen: other auth applied in another file (a router mounted behind auth
 * elsewhere). The .md says how to suppress those. */
#include <string.h>

#include "analysis.h"
#include "auth.h"
#include "privileged.h"
#include "project.h"
#include "routes.h"
#include "rule.h"
#include "summary.h"

extern const char rl_doc__unauthenticated_room_route[];

static int type_is(TSNode n, const char *t) { return !ts_node_is_null(n) && !strcmp(ts_node_type(n), t); }

static int eqw(const char *w, size_t n, const char *s) { return strlen(s) == n && !memcmp(w, s, n); }

/* ---- middleware from other files ------------------------------------------------------ */

/* What the project model says about middleware expression e: 1 it
 * authenticates (verifies and refuses), 0 it is a function that does not,
 * -1 unknown (not imported from a project file, or not a plain function):
 * then its name decides. */
static int model_auth(rl_ctx *ctx, TSNode e) {
  const rl_symbol *s = rl_ctx_value(ctx, e);
  if (!s) return -1;
  if (s->effects & RL_EFF_AUTH) return 1;
  return s->kind == RL_SYM_FUNCTION ? 0 : -1;
}

static int auth_mw(rl_ctx *ctx, rl_jsfile *jf, TSNode e) {
  e = rl_js_unwrap(e);
  if (ts_node_is_null(e)) return 0;
  if (!strcmp(ts_node_type(e), "array")) { /* one level: [auth, limiter] */
    for (uint32_t i = 0; i < ts_node_named_child_count(e); i++)
      if (auth_mw(ctx, jf, ts_node_named_child(e, i))) return 1;
    return 0;
  }
  int v = model_auth(ctx, e);
  if (v >= 0) return v;
  return rl_auth_middleware(jf, e);
}

/* 1 if a function body checks: the in-handler test, or a call into another
 * project file that authenticates (requireUser(req) from ./auth, when its
 * code verifies and refuses). */
typedef struct call_auth {
  rl_ctx *ctx;
  int found;
} call_auth;

static int call_auth_visit(void *data, TSNode n) {
  call_auth *ca = data;
  if (strcmp(ts_node_type(n), "call_expression")) return 0;
  const rl_symbol *s = rl_ctx_callee(ca->ctx, n);
  if (s && (s->effects & RL_EFF_AUTH)) {
    ca->found = 1;
    return -1;
  }
  return 0;
}

static int body_checks(rl_ctx *ctx, rl_jsfile *jf, TSNode fn, const char *req) {
  if (ts_node_is_null(fn)) return 0;
  rl_auth_check c;
  rl_auth_check_scan(jf, fn, req, &c);
  if (rl_auth_check_holds(&c)) return 1;
  call_auth ca = {ctx, 0};
  if (rl_ctx_project_enabled(ctx)) rl_js_walk(fn, call_auth_visit, &ca);
  return ca.found;
}

/* ---- earlier app.use / fastify.addHook ------------------------------------------------ */

static TSNode field_args(TSNode call) { return rl_js_field(call, "arguments"); }

/* The call at the start of a method chain (app of app.a().b()), and
 * whether link is one of the chain's calls before reg. */
static TSNode chain_base(TSNode reg, TSNode link, int *in_chain) {
  TSNode cur = reg;
  *in_chain = 0;
  for (int depth = 0; depth < 64; depth++) {
    TSNode fn = rl_js_unwrap(rl_js_field(cur, "function"));
    if (!type_is(fn, "member_expression")) break;
    TSNode obj = rl_js_unwrap(rl_js_field(fn, "object"));
    if (ts_node_eq(obj, link)) *in_chain = 1;
    cur = obj;
    if (!type_is(cur, "call_expression")) break;
  }
  return cur;
}

/* An Elysia hook call n is on the route's instance: a link of the route's
 * chain, or a call on the same variable (app.onBeforeHandle(...); app.post(...)). */
static int same_instance(rl_jsfile *jf, TSNode reg, TSNode n) {
  int in_chain, unused;
  TSNode base = chain_base(reg, n, &in_chain);
  if (in_chain) return 1;
  TSNode nb = chain_base(n, n, &unused);
  if (!type_is(base, "identifier") || !type_is(nb, "identifier")) return 0;
  size_t a, b;
  const char *x = rl_js_text(jf, base, &a), *y = rl_js_text(jf, nb, &b);
  return a == b && !memcmp(x, y, a);
}

/* Elysia's jwt and bearer plugins only decorate the context (jwt.verify,
 * bearer): a route that never asks them is open. */
static int elysia_decorator(rl_jsfile *jf, TSNode a) {
  const char *c = type_is(a, "call_expression") ? rl_js_callee(jf, a) : NULL;
  return c && (!strncmp(c, "@elysiajs/jwt:", 14) || !strncmp(c, "@elysiajs/bearer:", 17));
}

/* An Elysia hook (beforeHandle, derive, resolve: a function, a name, or an
 * array of them) that authenticates: an auth middleware by name or by what
 * the project says it does, or a function whose body refuses. */
static int hook_checks(rl_ctx *ctx, rl_jsfile *jf, TSNode root, TSNode h) {
  h = rl_js_unwrap(h);
  if (ts_node_is_null(h)) return 0;
  if (type_is(h, "array")) {
    for (uint32_t i = 0; i < ts_node_named_child_count(h); i++)
      if (hook_checks(ctx, jf, root, ts_node_named_child(h, i))) return 1;
    return 0;
  }
  if (type_is(h, "object")) return 0; /* derive({ as: 'scoped' }, fn): the options */
  if (auth_mw(ctx, jf, h)) return 1;
  TSNode f = rl_route_function_of(jf, root, h);
  return !ts_node_is_null(f) && body_checks(ctx, jf, f, rl_route_param_name(jf, f, 0));
}

typedef struct uses {
  rl_ctx *ctx;
  rl_jsfile *jf;
  TSNode root;
  const rl_route *r;
  int fastify;
  int covered;
} uses;

static int path_covers(const char *use, size_t n, const char *route) {
  while (n > 0 && (use[n - 1] == '*' || use[n - 1] == '/')) n--;
  if (n == 0) return 1;
  if (!route || !strcmp(route, "*") || memchr(use, '\0', n)) return 0; /* file bytes: a NUL ends no path */
  return !strncmp(route, use, n) && (route[n] == '\0' || route[n] == '/');
}

static int use_visit(void *data, TSNode n) {
  uses *u = data;
  if (strcmp(ts_node_type(n), "call_expression")) return 0;
  TSNode fn = rl_js_field(n, "function");
  if (strcmp(ts_node_type(fn), "member_expression")) return 0;
  TSNode prop = rl_js_field(fn, "property");
  TSNode args = rl_js_field(n, "arguments");
  int is_use = rl_js_text_is(u->jf, prop, "use");
  int is_hook = u->fastify && rl_js_text_is(u->jf, prop, "addHook");
  int elysia = !strcmp(u->r->framework, "elysia");
  /* Elysia's lifecycle hooks on the instance: onBeforeHandle(fn),
   * on('beforeHandle', fn), and derive/resolve(fn) whose function refuses
   * (returns status(401) or throws) before any later route runs */
  int is_elysia_hook = elysia && (rl_js_text_is(u->jf, prop, "onBeforeHandle") || rl_js_text_is(u->jf, prop, "on") ||
                                  rl_js_text_is(u->jf, prop, "derive") || rl_js_text_is(u->jf, prop, "resolve"));
  int is_guard = elysia && (rl_js_text_is(u->jf, prop, "guard") || rl_js_text_is(u->jf, prop, "group"));
  if (!is_use && !is_hook && !is_elysia_hook && !is_guard) return 0;
  /* Elysia's guard({ beforeHandle }, app => app.post(...)) and group(path,
   * { beforeHandle }, app => ...): the hook covers the routes inside */
  if (is_guard) {
    if (ts_node_start_byte(u->r->registration) < ts_node_start_byte(args) ||
        ts_node_end_byte(u->r->registration) > ts_node_end_byte(args))
      return 0;
    for (uint32_t k = 0; k < ts_node_named_child_count(args); k++) {
      TSNode o = rl_js_unwrap(ts_node_named_child(args, k));
      if (!type_is(o, "object")) continue;
      if (hook_checks(u->ctx, u->jf, u->root, rl_js_object_get(u->jf, o, "beforeHandle"))) {
        u->covered = 1;
        return -1;
      }
    }
    return 0;
  }
  /* order matters for use() and hooks: one after the route does not
   * protect it; in a chain (new Elysia().use(auth).post(...)) the earlier
   * link ends before the route's arguments */
  if ((is_use || is_elysia_hook) && ts_node_end_byte(n) > ts_node_start_byte(field_args(u->r->registration))) return 0;
  if (elysia && (is_use || is_elysia_hook) && !same_instance(u->jf, u->r->registration, n)) return 0;
  uint32_t k = 0, nargs = ts_node_named_child_count(args);
  if (is_elysia_hook) {
    const char *s;
    size_t l;
    if (rl_js_text_is(u->jf, prop, "on")) {
      if (!rl_js_string_value(u->jf, rl_js_call_arg(n, 0), &s, &l) || !rl_word_is(s, l, "beforeHandle")) return 0;
    }
    for (k = 0; k < nargs; k++)
      if (hook_checks(u->ctx, u->jf, u->root, ts_node_named_child(args, k))) {
        u->covered = 1;
        return -1;
      }
    return 0;
  }
  if (is_hook) {
    const char *s;
    size_t l;
    if (!rl_js_string_value(u->jf, rl_js_call_arg(n, 0), &s, &l)) return 0;
    if (!rl_word_is(s, l, "onRequest") && !rl_word_is(s, l, "preHandler") && !rl_word_is(s, l, "preValidation") &&
        !rl_word_is(s, l, "preParsing"))
      return 0;
    k = 1;
  } else {
    const char *s;
    size_t l;
    if (nargs > 0 && rl_js_string_value(u->jf, rl_js_call_arg(n, 0), &s, &l)) {
      if (!path_covers(s, l, u->r->path)) return 0;
      k = 1;
    }
  }
  for (; k < nargs; k++) {
    TSNode a = rl_js_unwrap(ts_node_named_child(args, k));
    if (elysia && elysia_decorator(u->jf, a)) continue;
    if (auth_mw(u->ctx, u->jf, a)) {
      u->covered = 1;
      return -1;
    }
    const char *t = ts_node_type(a);
    if ((!strcmp(t, "arrow_function") || !strcmp(t, "function_expression") || !strcmp(t, "function")) &&
        body_checks(u->ctx, u->jf, a, rl_route_param_name(u->jf, a, 0))) {
      u->covered = 1;
      return -1;
    }
  }
  return 0;
}

/* ---- NestJS ---------------------------------------------------------------------------- */

/* What the project model says about a guard class named in @UseGuards:
 * 1 its canActivate checks (verifies and refuses or throws), 0 it does not
 * (`return true`), -1 unknown (then its name decides). */
static int model_guard(rl_ctx *ctx, TSNode e) {
  e = rl_js_unwrap(e);
  if (!strcmp(ts_node_type(e), "new_expression")) e = rl_js_field(e, "constructor");
  const rl_symbol *s = rl_ctx_value_member(ctx, e, "canActivate");
  if (!s) return -1;
  return (s->effects & RL_EFF_AUTH) ? 1 : 0;
}

static int nest_guarded(rl_ctx *ctx, rl_jsfile *jf, const rl_route *r) {
  for (uint32_t i = 0; i < r->nmiddlewares; i++) {
    TSNode call = ts_node_named_child(r->middlewares[i], 0);
    TSNode args = rl_js_field(call, "arguments");
    for (uint32_t k = 0; k < ts_node_named_child_count(args); k++) {
      const char *s;
      size_t n;
      int v = model_guard(ctx, ts_node_named_child(args, k));
      if (v == 1) return 1;
      if (v == 0) continue;
      if (!rl_auth_expr_name(jf, ts_node_named_child(args, k), &s, &n)) return 1; /* unknown guard: trust it */
      if (!rl_auth_name_negative(s, n)) return 1;
    }
  }
  /* @CurrentUser() user / @User() / @Session(): filled by a guard */
  for (uint32_t k = 0; k < rl_js_param_count(r->handler); k++) {
    TSNode p = rl_js_param(r->handler, k);
    for (uint32_t j = 0; j < ts_node_named_child_count(p); j++) {
      TSNode d = ts_node_named_child(p, j);
      if (strcmp(ts_node_type(d), "decorator")) continue;
      const char *s;
      size_t n;
      if (!rl_auth_expr_name(jf, ts_node_named_child(d, 0), &s, &n)) continue;
      if (eqw(s, n, "CurrentUser") || eqw(s, n, "User") || eqw(s, n, "AuthUser") || eqw(s, n, "Session") ||
          eqw(s, n, "ReqUser"))
        return 1;
    }
  }
  return 0;
}

/* ---- the rule ---------------------------------------------------------------------------- */

typedef struct state {
  rl_ctx *ctx;
  rl_jsfile *jf;
  TSNode root;
  int nest_global;          /* nest_global_guard's answer for the file; -1 = not asked */
  int mounted;              /* rl_ctx_router_mounted_auth's answer; -2 = not asked */
  const char *mount_prefix; /* where the other file mounts this router ("/api"), or NULL */
} state;

static int project_auth_call(void *data, TSNode call) {
  const rl_symbol *s = rl_ctx_callee(data, call);
  return s && (s->effects & RL_EFF_AUTH);
}

/* The handler's own checks: they count only where they guard the work
 * (rl_auth_guards); *why says why the best one does not. */
static int handler_guards(state *st, const rl_route *r, const rl_room_action *act, rl_auth_guard *why) {
  memset(why, 0, sizeof *why);
  /* work through a helper in another file: placed at its call, when the
   * call is in this handler */
  int in_handler = !ts_node_is_null(act->node) && !ts_node_is_null(r->handler) &&
                   ts_node_start_byte(act->node) >= ts_node_start_byte(r->handler) &&
                   ts_node_end_byte(act->node) <= ts_node_end_byte(r->handler);
  if (ts_node_is_null(act->node) || (act->via && !in_handler))
    return body_checks(st->ctx, st->jf, r->handler, r->req_name);
  int v = rl_auth_guards(st->jf, st->root, r->handler, r->req_name, act->node,
                         rl_ctx_project_enabled(st->ctx) ? project_auth_call : NULL, st->ctx, why);
  if (v < 0) return body_checks(st->ctx, st->jf, r->handler, r->req_name);
  return v;
}

static int authenticated(state *st, const rl_route *r, const rl_room_action *act, rl_auth_guard *why) {
  rl_jsfile *jf = st->jf;
  rl_ctx *ctx = st->ctx;
  int fastify = !strcmp(r->framework, "fastify");
  for (uint32_t i = 0; i < r->nmiddlewares; i++) {
    if (!strcmp(r->framework, "nestjs")) break;
    TSNode mw = rl_js_unwrap(r->middlewares[i]);
    if (auth_mw(ctx, jf, mw)) return 1;
    /* an inline middleware that checks */
    TSNode f = rl_route_function_of(jf, st->root, mw);
    if (!ts_node_is_null(f) && body_checks(ctx, jf, f, rl_route_param_name(jf, f, 0))) return 1;
  }
  if (!strcmp(r->framework, "nestjs") && nest_guarded(ctx, jf, r)) return 1;
  /* Fastify route options; also an options object in a plugin that gets
   * its instance as a parameter (no fastify import, so routes.c reads it as
   * a middleware argument) */
  static const char *const hooks[] = {"preHandler", "onRequest", "preValidation", "preParsing", NULL};
  for (uint32_t i = 0; i <= r->nmiddlewares; i++) {
    TSNode o = i < r->nmiddlewares ? rl_js_unwrap(r->middlewares[i])
                                   : (fastify ? r->options : (TSNode){{0}, NULL, NULL});
    if (ts_node_is_null(o) || strcmp(ts_node_type(o), "object")) continue;
    for (size_t k = 0; hooks[k]; k++) {
      TSNode h = rl_js_object_get(jf, o, hooks[k]);
      if (!ts_node_is_null(h) && auth_mw(ctx, jf, h)) return 1;
    }
  }
  /* Elysia: .post('/p', h, { beforeHandle: [requireUser] }) */
  if (!strcmp(r->framework, "elysia") && type_is(r->options, "object") &&
      hook_checks(ctx, jf, st->root, rl_js_object_get(jf, r->options, "beforeHandle")))
    return 1;
  /* withAuth(handler), requireAuth(async (req, res) => ...) */
  TSNode he = rl_js_unwrap(r->handler_expr);
  for (int depth = 0; depth < 3 && !ts_node_is_null(he) && !strcmp(ts_node_type(he), "call_expression"); depth++) {
    if (auth_mw(ctx, jf, he)) return 1;
    TSNode args = rl_js_field(he, "arguments");
    uint32_t n = ts_node_named_child_count(args);
    he = n ? rl_js_unwrap(ts_node_named_child(args, n - 1)) : (TSNode){{0}, NULL, NULL};
  }
  if (!ts_node_is_null(r->receiver) || fastify || !strcmp(r->framework, "elysia")) {
    uses u = {ctx, jf, st->root, r, fastify, 0};
    rl_js_walk(st->root, use_visit, &u);
    if (u.covered) return 1;
  }
  /* an Express router that another file mounts behind authentication */
  if (!ts_node_is_null(r->receiver) && !strcmp(r->framework, "express")) {
    if (st->mounted == -2) st->mounted = rl_ctx_router_mounted_auth(ctx, &st->mount_prefix);
    if (st->mounted == 1) return 1;
  }
  if (ts_node_is_null(r->handler)) { /* the handler is imported: what it does itself */
    const rl_symbol *h = rl_ctx_value(ctx, r->handler_expr);
    return h && (h->effects & RL_EFF_AUTH);
  }
  return handler_guards(st, r, act, why);
}

/* ---- Next.js middleware.ts / proxy.ts ---------------------------------------------- */

/* The project model reads the app's middleware (rl_ctx_next_middleware_covers,
 * judged by facts/auth.c); this turns the route into a request path:
 * dynamic segments [id] / [...slug] as "x". */
static int next_middleware_covers(state *st, const rl_route *r) {
  if (strcmp(r->framework, "next-pages") && strcmp(r->framework, "next-app")) return 0;
  rl_arena *a = rl_ctx_arena(st->ctx);
  size_t n = strlen(r->path);
  char *route = rl_arena_alloc(a, n + 1);
  size_t o = 0;
  for (const char *p = r->path; *p; p++) {
    if (*p == '[') {
      const char *e = strchr(p, ']');
      if (e) {
        route[o++] = 'x';
        p = e[1] == ']' ? e + 1 : e;
        continue;
      }
    }
    route[o++] = *p;
  }
  route[o] = '\0';
  return o > 0 && rl_ctx_next_middleware_covers(st->ctx, route, r->framework);
}

/* A router's route as the app serves it: the path another file mounts the
 * router at in front (rl_ctx_router_mounted_auth's prefix; Express routers
 * and Fastify plugins), else r->path. */
static const char *served_path(state *st, const rl_route *r) {
  int fastify = !strcmp(r->framework, "fastify");
  if (fastify && st->mounted == -2) st->mounted = rl_ctx_router_mounted_auth(st->ctx, &st->mount_prefix);
  if (!st->mount_prefix || !((!ts_node_is_null(r->receiver) && !strcmp(r->framework, "express")) || fastify))
    return r->path;
  size_t pl = strlen(st->mount_prefix);
  while (pl > 0 && st->mount_prefix[pl - 1] == '/') pl--; /* app.use('/', r), app.use('/api/', r) */
  const char *rest = strcmp(r->path, "/") || !pl ? r->path : "";
  return rl_arena_printf(rl_ctx_arena(st->ctx), "%.*s%s", (int)pl, st->mount_prefix, rest);
}

/* The route's work, in this file or (through the project model) in the
 * modules it calls; an imported handler's own. A JWT without room claims
 * counts when the route's path says token/room/call (rl_route_path_roomish):
 * for an Express router that is the path the app serves it at, so
 * `router.post('/start')` mounted at '/calls' is asked again as
 * /calls/start (the mounts are looked up only then). */
static int room_action(state *st, const rl_route *r, rl_room_action *act) {
  if (rl_ctx_route_room_action(st->ctx, r, act)) return 1;
  if (!act->jwt_seen || ts_node_is_null(r->receiver) || strcmp(r->framework, "express") ||
      rl_route_path_roomish(r->path))
    return 0;
  if (st->mounted == -2) st->mounted = rl_ctx_router_mounted_auth(st->ctx, &st->mount_prefix);
  const char *path = served_path(st, r);
  if (path == r->path || !rl_route_path_roomish(path)) return 0;
  rl_route served = *r;
  served.path = path;
  return rl_ctx_route_room_action(st->ctx, &served, act);
}
static int nest_global_guard(state *st, const rl_route *r) {
  if (strcmp(r->framework, "nestjs")) return 0;
  if (st->nest_global < 0) st->nest_global = rl_ctx_nest_global_guard(st->ctx);
  return st->nest_global;
}

/* Why the handler's own check does not count, for the message ("" when
 * there is none). */
static const char *guard_reason(state *st, const rl_room_action *act, const rl_auth_guard *g) {
  if (g->why == RL_GUARD_NONE || g->why == RL_GUARD_OK || ts_node_is_null(g->site)) return "";
  size_t n;
  TSNode e = g->site;
  TSNode args = rl_js_parent(e);
  if ((!strcmp(ts_node_type(e), "string") || !strcmp(ts_node_type(e), "template_string")) && !ts_node_is_null(args) &&
      !strcmp(ts_node_type(args), "arguments"))
    e = rl_js_parent(args); /* the header read: c.req.header('Authorization') */
  else if (!strcmp(ts_node_type(e), "call_expression"))
    e = rl_js_field(e, "function");
  for (int depth = 0; depth < 3; depth++) { /* req.session -> req.session.user */
    TSNode p = rl_js_parent(e);
    if (ts_node_is_null(p) || strcmp(ts_node_type(p), "member_expression") ||
        ts_node_start_byte(rl_js_field(p, "object")) != ts_node_start_byte(e) ||
        !strcmp(ts_node_type(rl_js_parent(p)), "call_expression"))
      break;
    e = p;
  }
  const char *s = rl_js_text(st->jf, e, &n);
  if (n > 40) n = 40;
  int mint = act->kind == RL_ROOM_MINT || act->kind == RL_ROOM_MINT_CALL;
  rl_arena *a = rl_ctx_arena(st->ctx);
  switch (g->why) {
  case RL_GUARD_AFTER:
    return rl_arena_printf(a, " (it checks %.*s only after %s)", (int)n, s, mint ? "minting" : "the privileged call");
  case RL_GUARD_CATCH:
    return rl_arena_printf(a, " (it checks %.*s only inside a catch block, when something already failed)", (int)n, s);
  case RL_GUARD_FINALLY:
    return rl_arena_printf(a, " (it checks %.*s only in a finally block, after the work)", (int)n, s);
  case RL_GUARD_NO_STOP:
    return rl_arena_printf(a, " (it checks %.*s, but its failure branch does not stop the request: return or throw)",
                           (int)n, s);
  case RL_GUARD_BRANCH:
    return rl_arena_printf(a, " (it checks %.*s only on a path that does not lead to the work)", (int)n, s);
  default: return "";
  }
}

/* A path that says it receives a provider's webhook (status callbacks). */
static int webhook_path(const char *path) {
  static const char *const words[] = {"hook", "callback", NULL}; /* webhook(s), /hooks/ */
  return path && rl_memcasemem_any(path, strlen(path), words);
}

static void on_route(void *data, const rl_route *r) {
  state *st = data;
  /* a client file's routes: only a Remix route module's loader/action,
   * which the Remix compiler keeps on the server (the page component
   * beside them makes the file a client one) */
  if (rl_ctx_context(st->ctx) == RL_CTX_CLIENT && strcmp(r->framework, "remix")) return;
  rl_room_action act;
  if (!room_action(st, r, &act)) return;
  rl_auth_guard why;
  memset(&why, 0, sizeof why);
  if (authenticated(st, r, &act, &why) || next_middleware_covers(st, r)) return;
  int global_guard = nest_global_guard(st, r);
  if (global_guard && !r->opted_out) return;
  const char *advice;
  /* a management token is the app's own key to the provider's REST API */
  const char *who = (act.kind == RL_ROOM_MINT || act.kind == RL_ROOM_MINT_CALL) && !act.is_management
                        ? "users who may not join"
                        : "users who may not manage rooms";
  if (global_guard) /* and opted out */
    advice = "it is marked public, so the app's global auth guard lets everyone through; drop the marker or "
             "check the user in the handler and answer 403 to";
  else if (!strcmp(r->framework, "firebase"))
    advice = "check context.auth (v1) or request.auth (v2) first and throw HttpsError('unauthenticated') to";
  else if (!strcmp(r->framework, "nestjs"))
    advice = "add @UseGuards(...) with an auth guard and answer 403 to";
  else if (!strcmp(r->framework, "next-action"))
    advice = "any client can call a Server Action with arguments of its choosing: check the session first "
             "(auth(), getServerSession(), currentUser()) and throw or return an error to";
  else if (!strcmp(r->framework, "twilio-functions"))
    advice = "make it a protected function (name it *.protected.js: Twilio then checks each request's signature) or "
             "check a token in event first and answer 401 to";
  else if (!strcmp(r->framework, "next-pages") || !strcmp(r->framework, "next-app") ||
           !strcmp(r->framework, "expo-api") || !strcmp(r->framework, "supabase") || !strcmp(r->framework, "vercel") ||
           !strcmp(r->framework, "nuxt") || !strcmp(r->framework, "firebase-http") ||
           !strcmp(r->framework, "workers") || !strcmp(r->framework, "sveltekit") ||
           !strcmp(r->framework, "sveltekit-page") || !strcmp(r->framework, "remix") ||
           !strcmp(r->framework, "netlify") || !strcmp(r->framework, "lambda"))
    advice = "check the session or the Authorization header first and answer 401/403 to";
  else
    advice = "add auth middleware and answer 403 to";
  const char *reason = guard_reason(st, &act, &why);
  /* A provider's webhook: the sender to check is the provider, by the
   * signature of its request, not a user. */
  int discarded = 0;
  const char *sig = rl_auth_signature_call(st->jf, r->handler, &discarded);
  rl_arena *a = rl_ctx_arena(st->ctx);
  if (sig && !global_guard) {
    const char *colon = strchr(sig, ':');
    const char *shown = rl_arena_printf(a, "%.*s.%s", (int)(colon - sig), sig, colon + 1);
    advice = rl_arena_printf(a, "answer 403 when %s returns false, before the work, to", shown);
    who = "requests the provider did not sign";
    if (!*reason)
      reason = rl_arena_printf(a,
                               discarded ? " (it calls %s but discards the answer)"
                                         : " (it calls %s, but no refusal follows a false answer)",
                               shown);
  } else if (!global_guard && webhook_path(r->path)) {
    advice = "verify the provider's webhook signature first (twilio.webhook() or validateRequest, LiveKit's "
             "WebhookReceiver.receive) and answer 403 to";
    who = "requests the provider did not sign";
  }
  int any = !strcmp(r->method, "*");
  if (act.via)
    rl_ctx_related(st->ctx, act.where.path, act.where.line, act.where.col,
                   rl_arena_printf(rl_ctx_arena(st->ctx), "%s %s here", act.via_name, act.via_what));
  /* a router's route as the app serves it: the mount's path in front (a
   * Fastify plugin's routes: where server.register(plugin, { prefix }) puts them) */
  const char *path = served_path(st, r);
  /* a link of a chain (new Elysia().get(...).post('/token', h)) starts
   * where the chain does: name the link's method instead */
  TSNode at = r->registration, fn = rl_js_unwrap(rl_js_field(at, "function"));
  TSNode chained = type_is(fn, "member_expression") ? rl_js_unwrap(rl_js_field(fn, "object"))
                                                    : (TSNode){{0}, NULL, NULL};
  if (type_is(chained, "call_expression") || type_is(chained, "new_expression")) at = rl_js_field(fn, "property");
  rl_report(st->ctx, at, "%s%s%s %s with no authentication: %s %s%s", any ? "" : r->method, any ? "" : " ", path,
            act.what, advice, who, reason);
}

static void on_file(rl_ctx *ctx) {
  state st = {ctx, rl_ctx_js(ctx), rl_ctx_root(ctx), -1, -2, NULL};
  if (!st.jf) return;
  rl_routes_each(st.jf, st.root, NULL, on_route, &st);
}

static const char *const needles[] = {"sign", "Token", "token", "TOKEN", "Room", "room", "ROOM", "100ms", "./", "@/",
                                      "~/",
                                      /* privileged.c's hosts and packages */
                                      "livekit", "twilio", "opentok", "vonage", "daily.co", "agora.io", NULL};

/* Every finding is a route (rl_routes_each), so it needs rl_routes_possible,
 * and a room action in its handler (rl_route_room_action): a mint site
 * (every kind names a token -- AccessToken, build*Token*, generateToken,
 * get*Token, 'jsonwebtoken' -- except jose's SignJWT, imported from 'jose'),
 * a call whose name ends in the word token or holds room/rooms, the
 * 100ms REST API host (*.100ms.live), or an import of a project file whose
 * summary may hold one (rl_summary_possible). */
static int can_fire(rl_prefilter *pf) {
  if (!rl_routes_possible(pf)) return 0;
  return rl_pf_has_caseless(pf, "token") || rl_pf_has_caseless(pf, "room") || rl_pf_has(pf, "100ms.live") ||
         rl_pf_module(pf, "jose") || rl_priv_possible(pf) || rl_summary_possible(pf);
}

const rl_rule rl_rule_unauthenticated_room_route = {
    .id = "unauthenticated-room-route",
    .title = "Token or room route with no authentication",
    .severity = RL_SEV_ERROR,
    .cwe = 306,
    .doc = rl_doc__unauthenticated_room_route,
    .langs = RL_LANGS_CODE,
    .contexts = RL_CTX_BIT(RL_CTX_SERVER) | RL_CTX_BIT(RL_CTX_UNKNOWN) | RL_CTX_BIT(RL_CTX_CLIENT),
    .query = NULL,
    .on_match = NULL,
    .on_file = on_file,
    .needles = needles,
    .can_fire = can_fire,
    .bad_example = "const express = require('express');\n"
                   "const jwt = require('jsonwebtoken');\n"
                   "const app = express();\n"
                   "app.post('/api/token', express.json(), (req, res) => {\n"
                   "  const token = jwt.sign({ access_key: process.env.HMS_ACCESS_KEY, room_id: req.body.roomId,\n"
                   "    role: 'guest', type: 'app', version: 2 }, process.env.HMS_APP_SECRET, { expiresIn: '2h' });\n"
                   "  res.json({ token });\n"
                   "});\n",
    .good_example = "const express = require('express');\n"
                    "const jwt = require('jsonwebtoken');\n"
                    "const app = express();\n"
                    "app.post('/api/token', requireAuth, express.json(), (req, res) => {\n"
                    "  const token = jwt.sign({ access_key: process.env.HMS_ACCESS_KEY, room_id: req.body.roomId,\n"
                    "    role: 'guest', type: 'app', version: 2 }, process.env.HMS_APP_SECRET, { expiresIn: '2h' });\n"
                    "  res.json({ token });\n"
                    "});\n",
    .precision = "high",
    .security_severity = "8.6",
};
