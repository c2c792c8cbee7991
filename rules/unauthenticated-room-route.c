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
 *     Authorization header) together with a 401/403 answer;
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
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analysis.h"
#include "bindname.h"
#include "config.h"
#include "parse.h"
#include "regex.h"
#include "routes.h"
#include "rule.h"
#include "util.h"

extern const char rl_doc__unauthenticated_room_route[];

typedef struct wordscan {
  int strong, weak_noun, verb, negative, getter, maker, first;
} wordscan;

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
      if (rl_word_is(w, n, makers[i])) s->maker = 1;
  for (size_t i = 0; strong[i]; i++)
    if (rl_word_is(w, n, strong[i])) s->strong = 1;
  for (size_t i = 0; nouns[i]; i++)
    if (rl_word_is(w, n, nouns[i])) s->weak_noun = 1;
  for (size_t i = 0; verbs[i]; i++)
    if (rl_word_is(w, n, verbs[i])) s->verb = 1;
  for (size_t i = 0; negative[i]; i++)
    if (rl_word_is(w, n, negative[i])) s->negative = 1;
  if (first)
    for (size_t i = 0; getters[i]; i++)
      if (rl_word_is(w, n, getters[i])) s->getter = 1;
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

static int refusal_text(const char *s, size_t n) {
  static const char *const words[] = {"unauthorized", "unauthorised", "forbidden", "unauthenticated", NULL};
  return rl_memcasemem_any(s, n, words);
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
    if (rl_memcasemem(s, l, "authorization") != NULL) c->weak = 1; /* the Authorization header */
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
      if ((c->req && rl_word_is(s, l, c->req)) || rl_word_is(s, l, "req") || rl_word_is(s, l, "request") || rl_word_is(s, l, "ctx.state") ||
          rl_word_is(s, l, "ctx") || rl_word_is(s, l, "event.locals") || rl_word_is(s, l, "locals"))
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
    if (rl_word_is(s, l, "getServerSession") || rl_word_is(s, l, "getSession") || rl_word_is(s, l, "auth") ||
        rl_word_is(s, l, "currentUser") || rl_word_is(s, l, "getUser") || rl_word_is(s, l, "getAuth") || rl_word_is(s, l, "getToken") ||
        rl_word_is(s, l, "getServerAuthSession") || rl_word_is(s, l, "getUserFromRequest")) {
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
  if (!route || !strcmp(route, "*") || memchr(use, '\0', n)) return 0; /* file bytes: a NUL ends no path */
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
      if (rl_word_is(s, n, "CurrentUser") || rl_word_is(s, n, "User") || rl_word_is(s, n, "AuthUser") || rl_word_is(s, n, "Session") ||
          rl_word_is(s, n, "ReqUser"))
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
  int nest_global; /* nest_global_guard's answer for the file; -1 = not asked */
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

/* ---- Next.js middleware.ts / proxy.ts ---------------------------------------------- */

/* Next.js runs one middleware file (named proxy.* since Next 16) from the
 * folder that holds pages/ or app/ (the project root, or src/) before every
 * route its `config.matcher` selects (every route when there is none). A route
 * handler there is authenticated when that middleware is. The file is read
 * and parsed here, on its own, only for a route about to be reported; what it
 * decides is judged as narrowly as an in-handler check:
 *   - next-auth's middleware (`export { default } from 'next-auth/middleware'`,
 *     `withAuth(...)`) and Clerk's authMiddleware() without publicRoutes or
 *     ignoredRoutes refuse every request without a session;
 *   - clerkMiddleware(cb) protects what cb protects: auth.protect() called
 *     unconditionally, or under `if (m(req))` / `if (!m(req))` where m is a
 *     createRouteMatcher([...]) whose patterns do / do not select the route;
 *   - any other exported middleware function: the in-handler test (an auth
 *     call, or a session/user/Authorization read with a 401/403 answer or a
 *     redirect to a sign-in page).
 * Matchers are path-to-regexp patterns (`/api/:path*`, `/((?!_next).*)`);
 * one with `has`/`missing` conditions, or any value that is not a literal,
 * selects nothing: when unsure, the route stays reported. */

typedef struct mw_file {
  rl_jsfile *jf;
  TSNode root;
  const char *route; /* the route's path, dynamic segments as "x" */
  int found;         /* global_guard_visit's answer */
} mw_file;

/* path-to-regexp (Next's matcher and Clerk's createRouteMatcher syntax) to an
 * anchored PCRE2 pattern: `:name` a segment, `:name*` / `:name+` / `:name?`
 * any / one or more / an optional segment with its leading '/', `(...)` a
 * regex group as written, other bytes literal. */
static int path_pattern_matches(const char *pat, size_t n, const char *route) {
  rl_buf re = {0};
  rl_buf_puts(&re, "^");
  size_t i = 0;
  int ok = n > 0;
  while (i < n && ok) {
    char c = pat[i];
    if (c == '/' && i + 1 < n && pat[i + 1] == ':') {
      size_t j = i + 2;
      while (j < n && (isalnum((unsigned char)pat[j]) || pat[j] == '_')) j++;
      char mod = j < n && (pat[j] == '*' || pat[j] == '+' || pat[j] == '?') ? pat[j] : 0;
      rl_buf_puts(&re, mod == '*' ? "(?:/[^/]+)*" : mod == '+' ? "(?:/[^/]+)+" : mod == '?' ? "(?:/[^/]+)?" : "/[^/]+");
      i = j + (mod ? 1 : 0);
    } else if (c == '(') {
      int depth = 0;
      size_t j = i;
      for (; j < n; j++) {
        if (pat[j] == '\\') j++;
        else if (pat[j] == '(') depth++;
        else if (pat[j] == ')' && --depth == 0) break;
      }
      if (j >= n) ok = 0;
      else {
        rl_buf_put(&re, pat + i, j + 1 - i);
        i = j + 1;
        if (i < n && (pat[i] == '*' || pat[i] == '+' || pat[i] == '?')) rl_buf_putc(&re, pat[i++]);
      }
    } else if (c == ':' || c == '{' || c == '}' || c == '\\') {
      ok = 0; /* a form not read here: unsure */
    } else {
      if (c && strchr(".^$|[]*+?", c)) rl_buf_putc(&re, '\\');
      rl_buf_putc(&re, c);
      i++;
    }
  }
  int hit = 0;
  if (ok) {
    rl_buf_puts(&re, "/?$");
    rl_regex *rx = NULL;
    if (rl_regex_new(&rx, re.ptr, re.len, 0) == 0) {
      hit = rl_regex_match(rx, route, strlen(route)) == 1;
      rl_regex_free(rx);
    }
  }
  rl_buf_free(&re);
  return hit;
}

/* 1 if one pattern of v (a string, or an array of strings and, with
 * objects_ok, Next matcher objects { source } without has/missing) selects
 * the route. */
static int patterns_select(mw_file *m, TSNode v, int objects_ok) {
  v = rl_js_unwrap(v);
  if (ts_node_is_null(v)) return 0;
  const char *s;
  size_t n;
  if (strcmp(ts_node_type(v), "array")) return rl_js_string_value(m->jf, v, &s, &n) && path_pattern_matches(s, n, m->route);
  for (uint32_t i = 0; i < ts_node_named_child_count(v); i++) {
    TSNode e = rl_js_unwrap(ts_node_named_child(v, i));
    if (objects_ok && !strcmp(ts_node_type(e), "object")) {
      if (!ts_node_is_null(rl_js_object_get(m->jf, e, "has")) || !ts_node_is_null(rl_js_object_get(m->jf, e, "missing")))
        continue;
      e = rl_js_object_get(m->jf, e, "source");
    }
    if (rl_js_string_value(m->jf, e, &s, &n) && path_pattern_matches(s, n, m->route)) return 1;
  }
  return 0;
}

/* The `export const config = { matcher }`: 1 if it selects the route (or
 * there is no matcher: every route). */
static int matcher_selects(mw_file *m) {
  for (uint32_t i = 0; i < ts_node_named_child_count(m->root); i++) {
    TSNode st = ts_node_named_child(m->root, i);
    if (strcmp(ts_node_type(st), "export_statement")) continue;
    TSNode d = ts_node_child_by_field_name(st, "declaration", 11);
    if (ts_node_is_null(d) || strcmp(ts_node_type(d), "lexical_declaration")) continue;
    for (uint32_t k = 0; k < ts_node_named_child_count(d); k++) {
      TSNode vd = ts_node_named_child(d, k);
      if (!rl_js_text_is(m->jf, ts_node_child_by_field_name(vd, "name", 4), "config")) continue;
      TSNode obj = rl_js_unwrap(ts_node_child_by_field_name(vd, "value", 5));
      if (ts_node_is_null(obj) || strcmp(ts_node_type(obj), "object")) return 0;
      TSNode mt = rl_js_object_get(m->jf, obj, "matcher");
      return ts_node_is_null(mt) || patterns_select(m, mt, 1);
    }
  }
  return 1;
}

static int callee_is(rl_jsfile *jf, TSNode call, const char *const *names) {
  const char *c = rl_js_callee(jf, call);
  for (size_t i = 0; c && names[i]; i++)
    if (!strcmp(c, names[i])) return 1;
  return 0;
}

static const char *const clerk_mw[] = {"@clerk/nextjs:clerkMiddleware", "@clerk/nextjs/server:clerkMiddleware", NULL};
static const char *const clerk_old[] = {"@clerk/nextjs:authMiddleware", "@clerk/nextjs/server:authMiddleware", NULL};
static const char *const clerk_matcher[] = {"@clerk/nextjs:createRouteMatcher",
                                           "@clerk/nextjs/server:createRouteMatcher", NULL};

typedef struct protect_scan {
  mw_file *m;
  int covered;
} protect_scan;

/* Does the `if` around a protect() call (if any) select the route? */
static int protect_guard_selects(mw_file *m, TSNode call) {
  for (TSNode n = rl_js_parent(call); !ts_node_is_null(n); n = rl_js_parent(n)) {
    const char *t = ts_node_type(n);
    if (!strcmp(t, "arrow_function") || !strcmp(t, "function_expression") || !strcmp(t, "function_declaration"))
      return 1; /* reached the callback: unconditional */
    if (strcmp(t, "if_statement")) continue;
    TSNode cond = rl_js_unwrap(ts_node_child_by_field_name(n, "condition", 9));
    int negated = 0;
    if (!strcmp(ts_node_type(cond), "unary_expression") && ts_node_child_count(cond) == 2 &&
        !strcmp(ts_node_type(ts_node_child(cond, 0)), "!")) {
      negated = 1;
      cond = rl_js_unwrap(ts_node_child_by_field_name(cond, "argument", 8));
    }
    if (strcmp(ts_node_type(cond), "call_expression")) return 0;
    TSNode fn = rl_js_unwrap(ts_node_child_by_field_name(cond, "function", 8));
    if (strcmp(ts_node_type(fn), "identifier")) return 0;
    TSNode init = rl_js_unwrap(rl_js_const_init(m->jf, fn));
    if (ts_node_is_null(init) || strcmp(ts_node_type(init), "call_expression") ||
        !callee_is(m->jf, init, clerk_matcher))
      return 0;
    /* the protect() must be in the consequence, not the else branch */
    TSNode alt = ts_node_child_by_field_name(n, "alternative", 11);
    if (!ts_node_is_null(alt) && ts_node_start_byte(call) >= ts_node_start_byte(alt)) return 0;
    int sel = patterns_select(m, rl_js_call_arg(init, 0), 0);
    return negated ? !sel : sel;
  }
  return 0;
}

static int protect_visit(void *data, TSNode n) {
  protect_scan *ps = data;
  if (ps->covered || strcmp(ts_node_type(n), "call_expression")) return 0;
  TSNode fn = rl_js_unwrap(ts_node_child_by_field_name(n, "function", 8));
  if (strcmp(ts_node_type(fn), "member_expression") ||
      !rl_js_text_is(ps->m->jf, ts_node_child_by_field_name(fn, "property", 8), "protect"))
    return 0;
  if (protect_guard_selects(ps->m, n)) ps->covered = 1;
  return 0;
}

/* Besides answering 401/403, a middleware refuses by redirecting to a
 * sign-in page (`NextResponse.redirect(new URL('/login', req.url))`); a
 * redirect elsewhere (i18n, A/B tests) refuses no one. What makes it a
 * session check is the handler test's: a cookie that is merely present is
 * not one (anyone can send any cookie). */
static int login_word(const char *s, size_t n) {
  static const char *const words[] = {"login", "signin", "sign-in", "sign_in", "auth", NULL};
  return rl_memcasemem_any(s, n, words);
}

static int redirect_visit(void *data, TSNode n) {
  check *c = data;
  if (strcmp(ts_node_type(n), "call_expression")) return 0;
  TSNode fn = rl_js_unwrap(ts_node_child_by_field_name(n, "function", 8));
  if (strcmp(ts_node_type(fn), "member_expression") ||
      !rl_js_text_is(c->jf, ts_node_child_by_field_name(fn, "property", 8), "redirect"))
    return 0;
  size_t l;
  const char *s = rl_js_text(c->jf, ts_node_child_by_field_name(n, "arguments", 9), &l);
  if (login_word(s, l)) c->refuse = 1;
  return 0;
}

static int mw_function_checks(mw_file *m, TSNode fn) {
  fn = rl_js_unwrap(fn);
  if (ts_node_is_null(fn)) return 0;
  const char *t = ts_node_type(fn);
  if (!strcmp(t, "identifier")) {
    TSNode init = rl_js_const_init(m->jf, fn);
    fn = ts_node_is_null(init) ? rl_route_function_of(m->jf, m->root, fn) : rl_js_unwrap(init);
    if (ts_node_is_null(fn)) return 0;
    t = ts_node_type(fn);
  }
  if (!strcmp(t, "call_expression")) {
    const char *c = rl_js_callee(m->jf, fn);
    if (c && !strncmp(c, "next-auth/middleware:", 21)) return 1; /* withAuth(...) */
    if (callee_is(m->jf, fn, clerk_old)) {
      TSNode o = rl_js_unwrap(rl_js_call_arg(fn, 0));
      return ts_node_is_null(o) || (!strcmp(ts_node_type(o), "object") &&
                                    ts_node_is_null(rl_js_object_get(m->jf, o, "publicRoutes")) &&
                                    ts_node_is_null(rl_js_object_get(m->jf, o, "ignoredRoutes")));
    }
    if (callee_is(m->jf, fn, clerk_mw)) {
      protect_scan ps = {m, 0};
      TSNode cb = rl_js_call_arg(fn, 0);
      if (!ts_node_is_null(cb)) rl_js_walk(cb, protect_visit, &ps);
      return ps.covered;
    }
    return 0;
  }
  if (strcmp(t, "arrow_function") && strcmp(t, "function_expression") && strcmp(t, "function_declaration") &&
      strcmp(t, "function"))
    return 0;
  check c = {m->jf, rl_route_param_name(m->jf, fn, 0), 0, 0, 0};
  scan_checks(&c, fn);
  rl_js_walk(fn, redirect_visit, &c);
  return c.strong || (c.weak && c.refuse);
}

/* 1 if the middleware file's exports authenticate the route. */
static int mw_authenticates(mw_file *m) {
  for (uint32_t i = 0; i < ts_node_named_child_count(m->root); i++) {
    TSNode st = ts_node_named_child(m->root, i);
    if (strcmp(ts_node_type(st), "export_statement")) continue;
    TSNode src = ts_node_child_by_field_name(st, "source", 6);
    const char *s;
    size_t n;
    if (!ts_node_is_null(src)) { /* export { default } from 'next-auth/middleware' */
      if (rl_js_string_value(m->jf, src, &s, &n) && n == 20 && !memcmp(s, "next-auth/middleware", 20)) return 1;
      continue;
    }
    TSNode d = ts_node_child_by_field_name(st, "declaration", 11);
    TSNode v = ts_node_child_by_field_name(st, "value", 5);
    if (!ts_node_is_null(v)) { /* export default <expression> */
      if (mw_function_checks(m, v)) return 1;
      continue;
    }
    if (ts_node_is_null(d)) continue;
    const char *dt = ts_node_type(d);
    if (!strcmp(dt, "function_declaration")) {
      TSNode name = ts_node_child_by_field_name(d, "name", 4);
      int is_default = 0;
      for (uint32_t k = 0; k < ts_node_child_count(st); k++)
        if (!strcmp(ts_node_type(ts_node_child(st, k)), "default")) is_default = 1;
      if ((is_default || rl_js_text_is(m->jf, name, "middleware") || rl_js_text_is(m->jf, name, "proxy")) &&
          mw_function_checks(m, d))
        return 1;
    } else if (!strcmp(dt, "lexical_declaration")) {
      for (uint32_t k = 0; k < ts_node_named_child_count(d); k++) {
        TSNode vd = ts_node_named_child(d, k);
        TSNode name = ts_node_child_by_field_name(vd, "name", 4);
        if ((rl_js_text_is(m->jf, name, "middleware") || rl_js_text_is(m->jf, name, "proxy")) &&
            mw_function_checks(m, ts_node_child_by_field_name(vd, "value", 5)))
          return 1;
      }
    }
  }
  return 0;
}

/* The folder holding the pages/ or app/ folder of a Next.js route file:
 * "" for "pages/api/x.ts", "web/src/" for "web/src/app/api/t/route.ts". */
static const char *next_root(rl_arena *a, const char *path, const char *framework) {
  const char *comp = !strcmp(framework, "next-pages") ? "pages/api/" : "app/";
  size_t k = strlen(comp);
  for (const char *p = path; *p; p++) {
    if ((p == path || p[-1] == '/') && !strncmp(p, comp, k)) return rl_arena_strndup(a, path, (size_t)(p - path));
  }
  return NULL;
}

/* Reads and parses the file at path on its own and returns judge's answer
 * on it; 0 when it cannot be read (absent, not a regular file, over 1 MiB)
 * or parsed. */
static int judge_file(const char *path, const char *route, int (*judge)(mw_file *m, void *arg), void *arg) {
  char *bytes = NULL;
  size_t len = 0;
  rl_lang lang = rl_lang_for_path(path);
  if (lang == RL_LANG_NONE || lang == RL_LANG_DOTENV) return 0;
  if (rl_file_read(path, 1u << 20, &bytes, &len) != RL_SKIP_NONE) return 0;
  int verdict = 0;
  rl_arena *ma = rl_arena_new();
  rl_source src;
  rl_source_init(&src, path, bytes, len, lang, ma);
  rl_parser *parser = rl_parser_new();
  rl_tree *tree = parser ? rl_parse(parser, &src) : NULL;
  if (tree) {
    mw_file m = {rl_jsfile_new(&src, rl_tree_root(tree), ma), rl_tree_root(tree), route, 0};
    verdict = judge(&m, arg);
  }
  rl_tree_free(tree);
  rl_parser_free(parser);
  rl_arena_free(ma);
  free(bytes);
  return verdict;
}

static int judge_middleware(mw_file *m, void *arg) {
  (void)arg;
  return matcher_selects(m) && mw_authenticates(m);
}

static int next_middleware_covers(state *st, const rl_route *r) {
  if (strcmp(r->framework, "next-pages") && strcmp(r->framework, "next-app")) return 0;
  rl_arena *a = rl_ctx_arena(st->ctx);
  const char *dir = next_root(a, rl_ctx_source(st->ctx)->path, r->framework);
  if (!dir) return 0;
  /* the route as a request path: dynamic segments [id] / [...slug] as "x" */
  rl_buf route = {0};
  for (const char *p = r->path; *p; p++) {
    if (*p == '[') {
      const char *e = strchr(p, ']');
      if (e) {
        rl_buf_putc(&route, 'x');
        p = e[1] == ']' ? e + 1 : e;
        continue;
      }
    }
    rl_buf_putc(&route, *p);
  }
  /* Next.js takes the first of these it finds; so does this. */
  static const char *const names[] = {"middleware.ts", "middleware.js", "middleware.mjs", "proxy.ts", "proxy.js",
                                      "proxy.mjs", NULL};
  int covered = 0;
  for (size_t i = 0; names[i]; i++) {
    const char *path = rl_arena_printf(a, "%s%s", dir, names[i]);
    struct stat sb;
    if (stat(path, &sb) != 0) continue;
    covered = route.ptr && judge_file(path, route.ptr, judge_middleware, NULL);
    break;
  }
  rl_buf_free(&route);
  return covered;
}

/* ---- NestJS global guards ---------------------------------------------------------- */

/* A guard named by e (`new JwtAuthGuard(reflector)`, `JwtAuthGuard`,
 * `app.get(AuthGuard)`) that is not plainly something else (a throttler). */
static int nest_auth_guard(rl_jsfile *jf, TSNode e) {
  e = rl_js_unwrap(e);
  if (ts_node_is_null(e)) return 0;
  if (!strcmp(ts_node_type(e), "call_expression")) e = rl_js_call_arg(e, 0); /* app.get(Guard) */
  const char *s;
  size_t n;
  if (!expr_name(jf, e, &s, &n)) return 0;
  if (rl_config_is_auth_name(s, n)) return 1;
  wordscan ws;
  memset(&ws, 0, sizeof ws);
  rl_name_words(s, n, scan_word, &ws);
  return !ws.negative && auth_name(s, n, NULL);
}

static int global_guard_visit(void *data, TSNode n) {
  mw_file *m = data;
  const char *t = ts_node_type(n);
  if (!strcmp(t, "call_expression")) { /* app.useGlobalGuards(new JwtAuthGuard()) */
    TSNode fn = rl_js_unwrap(ts_node_child_by_field_name(n, "function", 8));
    if (strcmp(ts_node_type(fn), "member_expression") ||
        !rl_js_text_is(m->jf, ts_node_child_by_field_name(fn, "property", 8), "useGlobalGuards"))
      return 0;
    TSNode args = ts_node_child_by_field_name(n, "arguments", 9);
    for (uint32_t i = 0; i < ts_node_named_child_count(args); i++)
      if (nest_auth_guard(m->jf, ts_node_named_child(args, i))) m->found = 1;
    return m->found ? -1 : 0;
  }
  if (!strcmp(t, "object")) { /* { provide: APP_GUARD, useClass: JwtAuthGuard } */
    TSNode p = rl_js_unwrap(rl_js_object_get(m->jf, n, "provide"));
    if (ts_node_is_null(p) || !rl_js_text_is(m->jf, p, "APP_GUARD")) return 0;
    if (nest_auth_guard(m->jf, rl_js_object_get(m->jf, n, "useClass")) ||
        nest_auth_guard(m->jf, rl_js_object_get(m->jf, n, "useExisting")))
      m->found = 1;
    return m->found ? -1 : 0;
  }
  return 0;
}

static int judge_global_guard(mw_file *m, void *arg) {
  (void)arg;
  rl_js_walk(m->root, global_guard_visit, m);
  return m->found;
}

/* NestJS registers app-wide guards in main.ts (useGlobalGuards) or in the
 * root module (an APP_GUARD provider in app.module.ts). Both live in the
 * nearest folder above the controller that has either file; the search
 * stops at the folder holding package.json. */
static int find_global_guard(state *st) {
  rl_arena *a = rl_ctx_arena(st->ctx);
  const char *path = rl_ctx_source(st->ctx)->path;
  const char *slash = strrchr(path, '/');
  char *dir = rl_arena_strndup(a, path, slash ? (size_t)(slash - path + 1) : 0); /* "" or ".../" */
  for (int up = 0; up < 8; up++) {
    const char *main_ts = rl_arena_printf(a, "%smain.ts", dir), *mod = rl_arena_printf(a, "%sapp.module.ts", dir);
    struct stat sb;
    int has_main = stat(main_ts, &sb) == 0, has_mod = stat(mod, &sb) == 0;
    if (has_main || has_mod)
      return (has_main && judge_file(main_ts, NULL, judge_global_guard, NULL)) ||
             (has_mod && judge_file(mod, NULL, judge_global_guard, NULL));
    if (stat(rl_arena_printf(a, "%spackage.json", dir), &sb) == 0) return 0;
    /* one folder up: drop the last component ("a/b/" -> "a/"; "" -> "../" is not taken) */
    size_t n = strlen(dir);
    if (n == 0 || !strcmp(dir, "/")) return 0;
    size_t k = n - 1;
    while (k > 0 && dir[k - 1] != '/') k--;
    if (!strcmp(dir + k, "../") || !strcmp(dir + k, "./")) return 0;
    dir[k] = '\0';
  }
  return 0;
}

/* 1 if the app has a global auth guard (whether or not the route opts out
 * of it); asked once per file. */
static int nest_global_guard(state *st, const rl_route *r) {
  if (strcmp(r->framework, "nestjs")) return 0;
  if (st->nest_global < 0) st->nest_global = find_global_guard(st);
  return st->nest_global;
}

static void on_route(void *data, const rl_route *r) {
  state *st = data;
  rl_room_action act;
  if (!rl_route_room_action(st->jf, st->root, r, &act)) return;
  if (authenticated(st, r) || next_middleware_covers(st, r)) return;
  int global_guard = nest_global_guard(st, r);
  if (global_guard && !r->opted_out) return;
  const char *advice;
  const char *who = act.kind == RL_ROOM_MINT || act.kind == RL_ROOM_MINT_CALL ? "users who may not join"
                                                                               : "users who may not manage rooms";
  if (global_guard) /* and opted out */
    advice = "it is marked public, so the app's global auth guard lets everyone through; drop the marker or "
             "check the user in the handler and answer 403 to";
  else if (!strcmp(r->framework, "nestjs"))
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
  state st = {ctx, rl_ctx_js(ctx), rl_ctx_root(ctx), -1};
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
