/* unauthenticated-room-route: a server route that mints a token or creates or
 * changes rooms, reachable by anyone.
 *
 * Routes come from rules/routes.c, what they do from rl_route_room_action
 * (mint sites, token-minting and room-changing call names, the 100ms REST
 * API). A route is authenticated when one of these holds:
 *   - a middleware argument (or a Fastify preHandler/onRequest/preValidation
 *     option, or a wrapper around the handler: withAuth(h)) has an auth name;
 *   - an earlier `x.use(mw)` in the file (path-less, or whose path is a prefix
 *     of the route's) has one: a `use` after the route does not protect it;
 *   - Fastify: an addHook('onRequest'|'preHandler'|'preValidation', fn) with
 *     an auth name or an auth check inside;
 *   - NestJS: @UseGuards on the method or class (a throttler alone is not
 *     auth), or a @CurrentUser()/@User()/@Session() parameter that a guard
 *     fills;
 *   - in the handler (or an inline middleware): a call that enforces auth by
 *     its name (requireUser(req), verifyToken(t), jwt.verify, jose jwtVerify,
 *     auth.protect(), verifyIdToken), or a session/user read (req.user,
 *     req.session, req.auth, ctx.state.user, getServerSession, getSession,
 *     auth(), supabase.auth.getUser, currentUser, getAuth, getToken, the
 *     Authorization header) together with a 401/403 answer.
 * Auth names: words such as auth, authenticate(d), authorize(d), jwt,
 * passport, clerk, bearer, guard, protect(ed), loggedIn, or a check verb
 * (require, ensure, verify, check, validate, with, is, must) with user,
 * session, token, login, admin, member. Names with limit/limiter/rate/
 * throttle/cors/json/parser/logger are not auth (authLimiter limits, it does
 * not authenticate).
 * Names listed under `auth-middleware:` in .roomlint.yml count too
 * (rl_config_is_auth_name), as middleware and as in-handler calls.
 * Not seen: auth applied in another file (a Next.js middleware.ts, a router
 * mounted behind auth elsewhere, Nest global guards). The .md says how to
 * suppress those. */
#include <string.h>

#include "analysis.h"
#include "bindname.h"
#include "config.h"
#include "routes.h"
#include "rule.h"
#include "util.h"

extern const char rl_doc__unauthenticated_room_route[];

typedef struct wordscan {
  int strong, weak_noun, verb, negative, getter, maker, first;
} wordscan;

static int eqw(const char *w, size_t n, const char *s) { return strlen(s) == n && !memcmp(w, s, n); }

static int scan_word(void *data, const char *w, size_t n) {
  wordscan *s = data;
  static const char *const strong[] = {"auth", "authn", "authz", "authenticate", "authenticated",
                                       "authentication", "authorize", "authorized", "authorization", "authed",
                                       "jwt", "expressjwt", "passport", "clerk", "bearer", "guard", "guards",
                                       "protect", "protected", "logged", "loggedin", "signedin", "login",
                                       "oauth2", "jwks", NULL};
  static const char *const nouns[] = {"user", "session", "token", "admin", "member", "signed", "identity",
                                      "jwt", "caller", "account", "permission", "permissions", "role", "roles",
                                      "password", "credentials", "signature", "hmac", NULL};
  static const char *const verbs[] = {"require", "requires", "ensure", "verify", "check", "validate", "with",
                                      "is", "must", "assert", "has", NULL};
  static const char *const negative[] = {"limit", "limiter", "rate", "throttle", "throttler", "cors", "json",
                                         "parser", "logger", "log", "cookie", "helmet", "compression",
                                         "urlencoded", "static", NULL};
  static const char *const getters[] = {"get", "fetch", "read", "load", "use", "current", NULL};
  /* generateAuthToken, createAuthSession, signAuthToken make credentials;
   * they do not check them */
  static const char *const makers[] = {"generate", "create", "mint", "sign", "issue", "make", "build", "new",
                                       "set", "refresh", NULL};
  int first = s->first++ == 0;
  if (first)
    for (size_t i = 0; makers[i]; i++)
      if (eqw(w, n, makers[i])) s->maker = 1;
  for (size_t i = 0; strong[i]; i++)
    if (eqw(w, n, strong[i])) s->strong = 1;
  for (size_t i = 0; nouns[i]; i++)
    if (eqw(w, n, nouns[i])) s->weak_noun = 1;
  for (size_t i = 0; verbs[i]; i++)
    if (eqw(w, n, verbs[i])) s->verb = 1;
  for (size_t i = 0; negative[i]; i++)
    if (eqw(w, n, negative[i])) s->negative = 1;
  if (first)
    for (size_t i = 0; getters[i]; i++)
      if (eqw(w, n, getters[i])) s->getter = 1;
  return 0;
}

/* 1 if the name says it authenticates; *getter set when it reads rather than
 * enforces (getServerSession, getUser, currentUser). */
static int auth_name(const char *s, size_t n, int *getter) {
  wordscan ws;
  memset(&ws, 0, sizeof ws);
  rl_name_words(s, n, scan_word, &ws);
  if (getter) *getter = ws.getter;
  if (ws.negative || ws.maker) return 0;
  return ws.strong || (ws.verb && ws.weak_noun);
}

/* The name an expression is known by: a call's callee, an identifier or a
 * member chain, as source text (so `passport.authenticate('jwt')` is
 * "passport.authenticate"). */
static int expr_name(rl_jsfile *jf, TSNode e, const char **s, size_t *n) {
  e = rl_js_unwrap(e);
  if (ts_node_is_null(e)) return 0;
  const char *t = ts_node_type(e);
  if (!strcmp(t, "call_expression")) e = ts_node_child_by_field_name(e, "function", 8);
  else if (!strcmp(t, "new_expression")) e = ts_node_child_by_field_name(e, "constructor", 11);
  e = rl_js_unwrap(e);
  t = ts_node_type(e);
  if (strcmp(t, "identifier") && strcmp(t, "member_expression")) return 0;
  *s = rl_js_text(jf, e, n);
  return 1;
}

/* 1 if middleware expression e (an identifier, member, call, or array of
 * those) authenticates by its name. */
static int auth_middleware_one(rl_jsfile *jf, TSNode e);

static int auth_middleware(rl_jsfile *jf, TSNode e) {
  e = rl_js_unwrap(e);
  if (ts_node_is_null(e)) return 0;
  if (!strcmp(ts_node_type(e), "array")) { /* one level: [auth, limiter] */
    for (uint32_t i = 0; i < ts_node_named_child_count(e); i++)
      if (auth_middleware_one(jf, rl_js_unwrap(ts_node_named_child(e, i)))) return 1;
    return 0;
  }
  return auth_middleware_one(jf, e);
}

static int auth_middleware_one(rl_jsfile *jf, TSNode e) {
  if (ts_node_is_null(e)) return 0;
  const char *s;
  size_t n;
  if (!expr_name(jf, e, &s, &n)) return 0;
  /* `jwt({ secret })` from express-jwt / koa-jwt / hono/jwt: the module says it */
  const char *canon = rl_js_resolve(jf, strcmp(ts_node_type(e), "call_expression") ? e
                                                                                   : ts_node_child_by_field_name(e, "function", 8));
  if (canon && auth_name(canon, strlen(canon), NULL)) return 1;
  if (rl_config_is_auth_name(s, n)) return 1; /* .roomlint.yml auth-middleware */
  return auth_name(s, n, NULL);
}

/* ---- in-handler checks --------------------------------------------------------------- */

typedef struct check {
  rl_jsfile *jf;
  const char *req;
  int strong, weak, refuse;
} check;

static int contains_ci(const char *s, size_t n, const char *w) {
  size_t k = strlen(w);
  for (size_t j = 0; j + k <= n; j++)
    if (!rl_strncasecmp_ascii(s + j, w, k)) return 1;
  return 0;
}

static int refusal_text(const char *s, size_t n) {
  static const char *const words[] = {"unauthorized", "unauthorised", "forbidden", "unauthenticated", NULL};
  for (size_t i = 0; words[i]; i++)
    if (contains_ci(s, n, words[i])) return 1;
  return 0;
}

static int check_visit(void *data, TSNode n) {
  check *c = data;
  const char *t = ts_node_type(n);
  if (!strcmp(t, "number")) {
    if (rl_js_text_is(c->jf, n, "401") || rl_js_text_is(c->jf, n, "403")) c->refuse = 1;
    return 0;
  }
  if (!strcmp(t, "string") || !strcmp(t, "template_string")) {
    size_t l;
    const char *s = rl_js_text(c->jf, n, &l);
    if (refusal_text(s, l)) c->refuse = 1;
    if (contains_ci(s, l, "authorization")) c->weak = 1; /* the Authorization header */
    return !strcmp(t, "string");
  }
  if (!strcmp(t, "identifier") || !strcmp(t, "property_identifier")) {
    size_t l;
    const char *s = rl_js_text(c->jf, n, &l);
    if (refusal_text(s, l)) c->refuse = 1; /* UnauthorizedException, HttpStatus.FORBIDDEN */
    return 0;
  }
  if (!strcmp(t, "member_expression")) {
    /* req.user, req.session, req.auth, ctx.state.user, request.user */
    TSNode prop = ts_node_child_by_field_name(n, "property", 8);
    if (rl_js_text_is(c->jf, prop, "user") || rl_js_text_is(c->jf, prop, "session") ||
        rl_js_text_is(c->jf, prop, "auth") || rl_js_text_is(c->jf, prop, "userId") ||
        rl_js_text_is(c->jf, prop, "isAuthenticated")) {
      TSNode obj = rl_js_unwrap(ts_node_child_by_field_name(n, "object", 6));
      size_t l;
      const char *s = rl_js_text(c->jf, obj, &l);
      if ((c->req && eqw(s, l, c->req)) || eqw(s, l, "req") || eqw(s, l, "request") || eqw(s, l, "ctx.state") ||
          eqw(s, l, "ctx") || eqw(s, l, "event.locals") || eqw(s, l, "locals"))
        c->weak = 1;
    }
    return 0;
  }
  if (!strcmp(t, "call_expression")) {
    const char *canon = rl_js_callee(c->jf, n);
    if (canon && (!strcmp(canon, "jsonwebtoken:verify") || !strcmp(canon, "jose:jwtVerify") ||
                  !strcmp(canon, "bcrypt:compare") || !strcmp(canon, "bcryptjs:compare") ||
                  !strcmp(canon, "argon2:verify"))) {
      c->strong = 1;
      return 0;
    }
    TSNode fn = rl_js_unwrap(ts_node_child_by_field_name(n, "function", 8));
    TSNode name = !strcmp(ts_node_type(fn), "member_expression") ? ts_node_child_by_field_name(fn, "property", 8) : fn;
    size_t l;
    const char *s = rl_js_text(c->jf, name, &l);
    int getter = 0;
    if (strcmp(ts_node_type(name), "identifier") && strcmp(ts_node_type(name), "property_identifier")) return 0;
    if (eqw(s, l, "getServerSession") || eqw(s, l, "getSession") || eqw(s, l, "auth") ||
        eqw(s, l, "currentUser") || eqw(s, l, "getUser") || eqw(s, l, "getAuth") || eqw(s, l, "getToken") ||
        eqw(s, l, "getServerAuthSession") || eqw(s, l, "getUserFromRequest")) {
      c->weak = 1;
      return 0;
    }
    if (rl_config_is_auth_name(s, l)) {
      c->strong = 1;
      return 0;
    }
    if (auth_name(s, l, &getter)) {
      if (getter)
        c->weak = 1;
      else
        c->strong = 1;
    }
    return 0;
  }
  return 0;
}

static void scan_checks(check *c, TSNode fn) {
  if (!ts_node_is_null(fn)) rl_js_walk(fn, check_visit, c);
}

/* ---- earlier app.use / fastify.addHook ------------------------------------------------ */

typedef struct uses {
  rl_jsfile *jf;
  const rl_route *r;
  int fastify;
  int covered;
} uses;

static int path_covers(const char *use, size_t n, const char *route) {
  while (n > 0 && (use[n - 1] == '*' || use[n - 1] == '/')) n--;
  if (n == 0) return 1;
  if (!route || !strcmp(route, "*")) return 0;
  return !strncmp(route, use, n) && (route[n] == '\0' || route[n] == '/');
}

static int use_visit(void *data, TSNode n) {
  uses *u = data;
  if (strcmp(ts_node_type(n), "call_expression")) return 0;
  TSNode fn = ts_node_child_by_field_name(n, "function", 8);
  if (strcmp(ts_node_type(fn), "member_expression")) return 0;
  TSNode prop = ts_node_child_by_field_name(fn, "property", 8);
  TSNode args = ts_node_child_by_field_name(n, "arguments", 9);
  int is_use = rl_js_text_is(u->jf, prop, "use");
  int is_hook = u->fastify && rl_js_text_is(u->jf, prop, "addHook");
  if (!is_use && !is_hook) return 0;
  /* order matters for use(): a use after the route does not protect it */
  if (is_use && ts_node_start_byte(n) >= ts_node_start_byte(u->r->registration)) return 0;
  uint32_t k = 0, nargs = ts_node_named_child_count(args);
  if (is_hook) {
    const char *s;
    size_t l;
    if (!rl_js_string_value(u->jf, rl_js_call_arg(n, 0), &s, &l)) return 0;
    if (!eqw(s, l, "onRequest") && !eqw(s, l, "preHandler") && !eqw(s, l, "preValidation") &&
        !eqw(s, l, "preParsing"))
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
    if (auth_middleware(u->jf, a)) {
      u->covered = 1;
      return -1;
    }
    const char *t = ts_node_type(a);
    if (!strcmp(t, "arrow_function") || !strcmp(t, "function_expression") || !strcmp(t, "function")) {
      check c = {u->jf, rl_route_param_name(u->jf, a, 0), 0, 0, 0};
      scan_checks(&c, a);
      if (c.strong || (c.weak && c.refuse)) {
        u->covered = 1;
        return -1;
      }
    }
  }
  return 0;
}

/* ---- NestJS ---------------------------------------------------------------------------- */

static int nest_guarded(rl_jsfile *jf, const rl_route *r) {
  for (uint32_t i = 0; i < r->nmiddlewares; i++) {
    TSNode call = ts_node_named_child(r->middlewares[i], 0);
    TSNode args = ts_node_child_by_field_name(call, "arguments", 9);
    for (uint32_t k = 0; k < ts_node_named_child_count(args); k++) {
      const char *s;
      size_t n;
      if (!expr_name(jf, ts_node_named_child(args, k), &s, &n)) return 1; /* unknown guard: trust it */
      wordscan ws;
      memset(&ws, 0, sizeof ws);
      rl_name_words(s, n, scan_word, &ws);
      if (!ws.negative) return 1;
    }
  }
  /* @CurrentUser() user / @User() / @Session(): filled by a guard */
  TSNode params = ts_node_child_by_field_name(r->handler, "parameters", 10);
  for (uint32_t k = 0; k < ts_node_named_child_count(params); k++) {
    TSNode p = ts_node_named_child(params, k);
    for (uint32_t j = 0; j < ts_node_named_child_count(p); j++) {
      TSNode d = ts_node_named_child(p, j);
      if (strcmp(ts_node_type(d), "decorator")) continue;
      const char *s;
      size_t n;
      if (!expr_name(jf, ts_node_named_child(d, 0), &s, &n)) continue;
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
} state;

static int authenticated(state *st, const rl_route *r) {
  rl_jsfile *jf = st->jf;
  int fastify = !strcmp(r->framework, "fastify");
  for (uint32_t i = 0; i < r->nmiddlewares; i++) {
    if (!strcmp(r->framework, "nestjs")) break;
    TSNode mw = rl_js_unwrap(r->middlewares[i]);
    if (auth_middleware(jf, mw)) return 1;
    /* an inline middleware that checks */
    TSNode f = rl_route_function_of(jf, st->root, mw);
    if (!ts_node_is_null(f)) {
      check c = {jf, rl_route_param_name(jf, f, 0), 0, 0, 0};
      scan_checks(&c, f);
      if (c.strong || (c.weak && c.refuse)) return 1;
    }
  }
  if (!strcmp(r->framework, "nestjs") && nest_guarded(jf, r)) return 1;
  if (fastify && !ts_node_is_null(r->options)) {
    static const char *const hooks[] = {"preHandler", "onRequest", "preValidation", "preParsing", NULL};
    for (size_t i = 0; hooks[i]; i++) {
      TSNode h = rl_js_object_get(jf, r->options, hooks[i]);
      if (!ts_node_is_null(h) && auth_middleware(jf, h)) return 1;
    }
  }
  /* withAuth(handler), requireAuth(async (req, res) => ...) */
  TSNode he = rl_js_unwrap(r->handler_expr);
  for (int depth = 0; depth < 3 && !ts_node_is_null(he) && !strcmp(ts_node_type(he), "call_expression"); depth++) {
    if (auth_middleware(jf, he)) return 1;
    TSNode args = ts_node_child_by_field_name(he, "arguments", 9);
    uint32_t n = ts_node_named_child_count(args);
    he = n ? rl_js_unwrap(ts_node_named_child(args, n - 1)) : (TSNode){{0}, NULL, NULL};
  }
  if (!ts_node_is_null(r->receiver) || fastify) {
    uses u = {jf, r, fastify, 0};
    rl_js_walk(st->root, use_visit, &u);
    if (u.covered) return 1;
  }
  check c = {jf, r->req_name, 0, 0, 0};
  scan_checks(&c, r->handler);
  return c.strong || (c.weak && c.refuse);
}

static void on_route(void *data, const rl_route *r) {
  state *st = data;
  rl_room_action act;
  if (!rl_route_room_action(st->jf, st->root, r, &act)) return;
  if (authenticated(st, r)) return;
  const char *advice;
  const char *who = act.kind == RL_ROOM_MINT || act.kind == RL_ROOM_MINT_CALL ? "users who may not join"
                                                                               : "users who may not manage rooms";
  if (!strcmp(r->framework, "nestjs"))
    advice = "add @UseGuards(...) with an auth guard and answer 403 to";
  else if (!strcmp(r->framework, "next-pages") || !strcmp(r->framework, "next-app") ||
           !strcmp(r->framework, "expo-api") || !strcmp(r->framework, "supabase") ||
           !strcmp(r->framework, "vercel") || !strcmp(r->framework, "nuxt"))
    advice = "check the session or the Authorization header first and answer 401/403 to";
  else
    advice = "add auth middleware and answer 403 to";
  int any = !strcmp(r->method, "*");
  rl_report(st->ctx, r->registration, "%s%s%s %s with no authentication: %s %s", any ? "" : r->method, any ? "" : " ",
            r->path, act.is_management ? "mints a management token" : act.what, advice, who);
}

static void on_file(rl_ctx *ctx) {
  state st = {ctx, rl_ctx_js(ctx), rl_ctx_root(ctx)};
  if (!st.jf) return;
  rl_routes_each(st.jf, st.root, NULL, on_route, &st);
}

static const char *const needles[] = {"sign", "Token", "token", "TOKEN", "Room", "room", "ROOM", "100ms", NULL};

/* Every finding is a route (rl_routes_each), so it needs rl_routes_possible,
 * and a room action in its handler (rl_route_room_action): a mint site
 * (every kind names a token -- AccessToken, build*Token*, generateToken,
 * get*Token, 'jsonwebtoken' -- except jose's SignJWT, imported from 'jose'),
 * a call whose name ends in the word token or holds room/rooms, or the
 * 100ms REST API host (*.100ms.live). */
static int can_fire(rl_prefilter *pf) {
  if (!rl_routes_possible(pf)) return 0;
  return rl_pf_has_caseless(pf, "token") || rl_pf_has_caseless(pf, "room") || rl_pf_has(pf, "100ms.live") ||
         rl_pf_module(pf, "jose");
}

const rl_rule rl_rule_unauthenticated_room_route = {
    .id = "unauthenticated-room-route",
    .title = "Token or room route with no authentication",
    .severity = RL_SEV_ERROR,
    .cwe = 306,
    .doc = rl_doc__unauthenticated_room_route,
    .langs = RL_LANGS_CODE,
    .contexts = RL_CTX_BIT(RL_CTX_SERVER) | RL_CTX_BIT(RL_CTX_UNKNOWN),
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
