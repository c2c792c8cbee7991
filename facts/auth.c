/* Authentication facts: does a name, a middleware, a function body, a
 * Next.js middleware file or a NestJS bootstrap authenticate requests?
 * Moved here from rules/unauthenticated-room-route.c so that the project
 * model (src/project.c) and the rules judge with one test; the rule's
 * header comment lists what counts. Pure functions of a tree. */
#include "auth.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bindname.h"
#include "config.h"
#include "project.h"
#include "regex.h"
#include "requrl.h"
#include "routes.h"
#include "util.h"

typedef struct wordscan {
  int strong, weak_noun, verb, negative, getter, maker, first;
} wordscan;

static int eqw(const char *w, size_t n, const char *s) { return strlen(s) == n && !memcmp(w, s, n); }

static int scan_word(void *data, const char *w, size_t n) {
  wordscan *s = data;
  static const char *const strong[] = {
      "auth",      "authn",      "authz",         "authenticate", "authenticated", "authentication",
      "authorize", "authorized", "authorization", "authed",       "jwt",           "expressjwt",
      "passport",  "clerk",      "bearer",        "guard",        "guards",        "protect",
      "protected", "logged",     "loggedin",      "signedin",     "login",         "oauth2",
      "jwks",      NULL};
  static const char *const nouns[] = {"user",        "session",     "token", "admin",  "member",
                                      "signed",      "identity",    "jwt",   "caller", "account",
                                      "permission",  "permissions", "role",  "roles",  "password",
                                      "credentials", "signature",   "hmac",  NULL};
  static const char *const verbs[] = {"require", "requires", "ensure", "verify", "check", "validate",
                                      "with",    "is",       "must",   "assert", "has",   NULL};
  static const char *const negative[] = {"limit", "limiter", "rate", "throttle", "throttler", "cors", "json", "parser",
                                         "logger", "log", "cookie", "helmet", "compression", "urlencoded", "static",
                                         /* passport.initialize(): setup, it refuses no one */
                                         "initialize", "init", NULL};
  static const char *const getters[] = {"get", "fetch", "read", "load", "use", "current", NULL};
  /* generateAuthToken, createAuthSession, signAuthToken make credentials;
   * they do not check them */
  static const char *const makers[] = {"generate", "create", "mint",    "sign", "issue",  "make", "build",
                                       "new",      "set",    "refresh", "to",   "encode", NULL};
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
int rl_auth_name(const char *s, size_t n, int *getter) {
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
int rl_auth_expr_name(rl_jsfile *jf, TSNode e, const char **s, size_t *n) {
  e = rl_js_unwrap(e);
  if (ts_node_is_null(e)) return 0;
  const char *t = ts_node_type(e);
  if (!strcmp(t, "call_expression"))
    e = rl_js_field(e, "function");
  else if (!strcmp(t, "new_expression"))
    e = rl_js_field(e, "constructor");
  e = rl_js_unwrap(e);
  t = ts_node_type(e);
  if (strcmp(t, "identifier") && strcmp(t, "member_expression")) return 0;
  *s = rl_js_text(jf, e, n);
  return 1;
}

/* 1 if middleware expression e (an identifier, member, call, or array of
 * those) authenticates by its name. */
static int auth_middleware_one(rl_jsfile *jf, TSNode e);

typedef struct sets_user {
  rl_jsfile *jf;
  const char *req, *res;
  int yes;
} sets_user;

int rl_auth_user_slot(rl_jsfile *jf, TSNode m, const char *req, const char *res) {
  m = rl_js_unwrap(m);
  if (ts_node_is_null(m) || strcmp(ts_node_type(m), "member_expression")) return 0;
  TSNode obj = rl_js_unwrap(rl_js_field(m, "object"));
  TSNode prop = rl_js_field(m, "property");
  static const char *const keys[] = {"user", "auth", "currentUser", "userId", NULL};
  int on_req = req && rl_js_text_is(jf, obj, req);
  int on_locals = res && !strcmp(ts_node_type(obj), "member_expression") &&
                  rl_js_text_is(jf, rl_js_unwrap(rl_js_field(obj, "object")), res) &&
                  rl_js_text_is(jf, rl_js_field(obj, "property"), "locals");
  if (!on_req && !on_locals) return 0;
  for (size_t i = 0; keys[i]; i++)
    if (rl_js_text_is(jf, prop, keys[i])) return 1;
  return 0;
}

static int sets_user_visit(void *data, TSNode n) {
  sets_user *u = data;
  if (strcmp(ts_node_type(n), "assignment_expression") ||
      !rl_auth_user_slot(u->jf, rl_js_field(n, "left"), u->req, u->res))
    return 0;
  u->yes = 1;
  return -1;
}

int rl_auth_sets_user(rl_jsfile *jf, TSNode fn) {
  sets_user u = {jf, rl_route_param_name(jf, fn, 0), rl_route_param_name(jf, fn, 1), 0};
  TSNode body = rl_js_field(fn, "body");
  if (!u.req || ts_node_is_null(body)) return 0;
  rl_js_walk(body, sets_user_visit, &u);
  return u.yes;
}

int rl_auth_middleware(rl_jsfile *jf, TSNode e) {
  e = rl_js_unwrap(e);
  if (ts_node_is_null(e)) return 0;
  if (!strcmp(ts_node_type(e), "array")) { /* one level: [auth, limiter] */
    for (uint32_t i = 0; i < ts_node_named_child_count(e); i++)
      if (auth_middleware_one(jf, rl_js_unwrap(ts_node_named_child(e, i)))) return 1;
    return 0;
  }
  return auth_middleware_one(jf, e);
}

/* Providers' webhook signature checks (their SDKs' own names): middleware
 * that answers 403 itself, or a call whose boolean the handler must act on. */
static const struct {
  const char *canon;
  int middleware;
} signature_checks[] = {
    {"twilio:webhook", 1},
    {"twilio:validateRequest", 0},
    {"twilio:validateRequestWithBody", 0},
    {"twilio:validateExpressRequest", 0},
    {"@vonage/jwt:verifySignature", 0},
};

static int signature_check(const char *canon, int middleware) {
  for (size_t i = 0; canon && i < RL_ARRAY_LEN(signature_checks); i++)
    if (signature_checks[i].middleware == middleware && !strcmp(canon, signature_checks[i].canon)) return 1;
  return 0;
}

typedef struct sigscan {
  rl_jsfile *jf;
  const char *canon;
  int discarded;
} sigscan;

static int sig_visit(void *data, TSNode n) {
  sigscan *s = data;
  if (strcmp(ts_node_type(n), "call_expression")) return 0;
  const char *canon = rl_js_callee(s->jf, n);
  if (!signature_check(canon, 0)) return 0;
  s->canon = canon;
  TSNode up = rl_js_parent(n);
  while (!ts_node_is_null(up) &&
         (!strcmp(ts_node_type(up), "await_expression") || !strcmp(ts_node_type(up), "parenthesized_expression")))
    up = rl_js_parent(up);
  s->discarded = !ts_node_is_null(up) && !strcmp(ts_node_type(up), "expression_statement");
  return -1;
}

const char *rl_auth_signature_call(rl_jsfile *jf, TSNode fn, int *discarded) {
  sigscan s = {jf, NULL, 0};
  if (!ts_node_is_null(fn)) rl_js_walk(fn, sig_visit, &s);
  if (discarded) *discarded = s.discarded;
  return s.canon;
}

static int auth_middleware_one(rl_jsfile *jf, TSNode e) {
  if (ts_node_is_null(e)) return 0;
  const char *s;
  size_t n;
  if (!rl_auth_expr_name(jf, e, &s, &n)) return 0;
  /* `jwt({ secret })` from express-jwt / koa-jwt / hono/jwt: the module says it */
  const char *canon = rl_js_resolve(jf, strcmp(ts_node_type(e), "call_expression") ? e : rl_js_field(e, "function"));
  if (canon && rl_auth_name(canon, strlen(canon), NULL)) return 1;
  if (signature_check(canon, 1)) return 1;    /* twilio.webhook() */
  if (rl_config_is_auth_name(s, n)) return 1; /* .roomlint.yml auth-middleware */
  return rl_auth_name(s, n, NULL);
}

/* ---- prefilter ------------------------------------------------------------------------ */

static int name_words(const char *s, size_t n, void *arg) {
  wordscan *ws = arg;
  ws->first = 1; /* makers and getters only narrow: never read here */
  rl_name_words(s, n, scan_word, ws);
  if (rl_config_is_auth_name(s, n)) ws->strong = 1;
  return ws->strong || (ws->verb && ws->weak_noun);
}

int rl_auth_refusal_possible(rl_prefilter *pf) {
  /* check_visit's refusals: a throw, 401/403, a refusal word, a redirect
   * (to a sign-in page), a webhook receiver that throws */
  static const char *const refusals[] = {"throw", "401", "403", "redirect", "receive", NULL};
  for (size_t i = 0; refusals[i]; i++)
    if (rl_pf_has(pf, refusals[i])) return 1;
  static const char *const words[] = {"unauthori", "forbidden", "unauthenticated", NULL};
  for (size_t i = 0; words[i]; i++)
    if (rl_pf_has_caseless(pf, words[i])) return 1;
  return 0;
}

int rl_auth_name_possible(rl_prefilter *pf) {
  /* signature-checking middleware: its package named */
  for (size_t i = 0; i < RL_ARRAY_LEN(signature_checks); i++) {
    const char *colon = strchr(signature_checks[i].canon, ':');
    char pkg[64];
    snprintf(pkg, sizeof pkg, "%.*s", (int)(colon - signature_checks[i].canon), signature_checks[i].canon);
    if (rl_pf_has(pf, pkg)) return 1;
  }
  /* rl_auth_name over a callee's text or canonical name: its words are
   * among the words of the file's names */
  wordscan ws;
  memset(&ws, 0, sizeof ws);
  return rl_pf_each_ident(pf, name_words, &ws);
}

/* ---- in-handler checks --------------------------------------------------------------- */

typedef rl_auth_check check;

static int is_type(TSNode n, const char *t) { return !ts_node_is_null(n) && !strcmp(ts_node_type(n), t); }

/* Each node that makes the scan set strong or weak is a check site:
 * rl_auth_guards judges where it stands (below). */
static void site(check *c, TSNode n, int strong) {
  if (strong)
    c->strong = 1;
  else
    c->weak = 1;
  if (c->on_site) c->on_site(c->site_data, n, strong);
}

static int refusal_text(const char *s, size_t n) {
  static const char *const words[] = {"unauthorized", "unauthorised", "forbidden", "unauthenticated", NULL};
  return rl_memcasemem_any(s, n, words);
}

/* Webhook receivers that check the sender's signature and throw when it is
 * wrong: a call of `method` on an instance made by `new cls()` of the
 * package (directly, through a const or this.x). */
static const struct {
  const char *cls; /* canonical: "package:Class" */
  const char *method;
} verifying_receivers[] = {
    {"livekit-server-sdk:WebhookReceiver", "receive"},
};

static int receiver_verifies(rl_jsfile *jf, TSNode call) {
  TSNode fn = rl_js_unwrap(rl_js_field(call, "function"));
  if (strcmp(ts_node_type(fn), "member_expression")) return 0;
  TSNode made = rl_js_unwrap(rl_js_field(fn, "object"));
  for (int hop = 0; hop < 3 && !ts_node_is_null(made) && strcmp(ts_node_type(made), "new_expression"); hop++)
    made = rl_js_unwrap(rl_value_source(jf, made));
  if (ts_node_is_null(made) || strcmp(ts_node_type(made), "new_expression")) return 0;
  const char *cls = rl_js_callee(jf, made);
  TSNode prop = rl_js_field(fn, "property");
  for (size_t i = 0; cls && i < RL_ARRAY_LEN(verifying_receivers); i++)
    if (!strcmp(cls, verifying_receivers[i].cls) && rl_js_text_is(jf, prop, verifying_receivers[i].method)) return 1;
  return 0;
}

/* `throw new BadRequestException(...)`, `throw createError(400, ...)`,
 * `new HttpException(m, HttpStatus.BAD_REQUEST)`, Firebase's
 * `new HttpsError('invalid-argument', ...)`: the input is wrong, which says
 * nothing about who asks. A throw of anything else may be a refusal. */
static int input_error_throw(rl_jsfile *jf, TSNode thr) {
  TSNode v = rl_js_unwrap(ts_node_named_child(thr, 0));
  if (ts_node_is_null(v) || (strcmp(ts_node_type(v), "new_expression") && strcmp(ts_node_type(v), "call_expression")))
    return 0;
  /* `throw new BadRequestException('login required')`: a refusal all the same */
  static const char *const who[] = {"login",      "log in",      "sign in", "signed in", "auth",
                                    "permission", "not allowed", "access",  "session",   NULL};
  size_t tl;
  const char *tt = rl_js_text(jf, v, &tl);
  if (tt && rl_memcasemem_any(tt, tl, who)) return 0;
  static const char *const names[] = {"badrequest", "notfound", "conflict", "validation", "unprocessable", NULL};
  TSNode fn = rl_js_unwrap(rl_js_field(v, strcmp(ts_node_type(v), "new_expression") ? "function" : "constructor"));
  size_t l;
  const char *s = rl_js_text(jf, fn, &l);
  if (s && rl_memcasemem_any(s, l, names)) return 1;
  /* a status written as the argument, or a status name or error code in one */
  static const char *const statuses[] = {"400", "404", "409", "422", NULL};
  static const char *const codes[] = {"BAD_REQUEST",
                                      "NOT_FOUND",
                                      "CONFLICT",
                                      "UNPROCESSABLE",
                                      "'invalid-argument'",
                                      "\"invalid-argument\"",
                                      "'not-found'",
                                      "\"not-found\"",
                                      "'already-exists'",
                                      "\"already-exists\"",
                                      NULL};
  TSNode a = rl_js_field(v, "arguments");
  for (uint32_t i = 0; !ts_node_is_null(a) && i < ts_node_named_child_count(a); i++) {
    TSNode arg = ts_node_named_child(a, i);
    const char *at = rl_js_text(jf, arg, &l);
    for (size_t k = 0; statuses[k]; k++)
      if (rl_js_text_is(jf, arg, statuses[k])) return 1;
    for (size_t k = 0; at && codes[k]; k++)
      if (memmem(at, l, codes[k], strlen(codes[k]))) return 1;
  }
  return 0;
}

static int check_visit(void *data, TSNode n);

typedef struct input_scan {
  rl_jsfile *jf;
  const char *req;
  int reads, credential;
} input_scan;

static int input_visit(void *data, TSNode n) {
  input_scan *in = data;
  const char *t = ts_node_type(n);
  if (!strcmp(t, "identifier") || !strcmp(t, "property_identifier") || !strcmp(t, "shorthand_property_identifier") ||
      !strcmp(t, "shorthand_property_identifier_pattern") || !strcmp(t, "string_fragment")) {
    /* sessions.get(req.query.token), req.body.apiKey: a credential the
     * request carries, whatever checks it */
    static const char *const words[] = {"token",  "tokens", "session", "sessions", "sid",        "password",
                                        "passwd", "secret", "key",     "apikey",   "jwt",        "signature",
                                        "sig",    "auth",   "cookie",  "cookies",  "otp",        "pin",
                                        "code",   "hash",   "bearer",  "verify",   "credential", NULL};
    size_t l;
    const char *s = rl_js_text(in->jf, n, &l);
    if (s && rl_name_has_word(s, l, words)) in->credential = 1;
    return in->credential ? -1 : 0;
  }
  if (strcmp(t, "member_expression")) return 0;
  TSNode prop = rl_js_field(n, "property");
  TSNode obj = rl_js_unwrap(rl_js_field(n, "object"));
  if ((rl_js_text_is(in->jf, prop, "query") || rl_js_text_is(in->jf, prop, "body") ||
       rl_js_text_is(in->jf, prop, "params")) &&
      is_type(obj, "identifier") && rl_js_text_is(in->jf, obj, in->req))
    in->reads = 1;
  return 0;
}

int rl_auth_fn_user_from_input(rl_jsfile *jf, TSNode fn) {
  if (!rl_js_is_function(fn) || !rl_js_param_count(fn)) return 0;
  const char *req = rl_route_param_name(jf, fn, 0);
  if (!req) return 0;
  check c;
  memset(&c, 0, sizeof c);
  c.jf = jf;
  c.req = req;
  c.depth = 1; /* its own getters are not looked into */
  TSNode body = rl_js_field(fn, "body");
  if (ts_node_is_null(body)) body = fn;
  rl_js_walk(body, check_visit, &c);
  if (c.verified || c.weak || c.strong) return 0;
  input_scan in = {jf, req, 0, 0};
  rl_js_walk(body, input_visit, &in);
  return in.reads && !in.credential;
}

/* A getter or check named like auth (getCurrentUser(req), requireUser(req))
 * whose code names the user from the request's own query, body or params
 * (this file's function, or another file's by its summary): no check. */
static int getter_takes_input(check *c, TSNode call) {
  if (c->depth) return 0;
  TSNode fn = rl_js_unwrap(rl_js_field(call, "function"));
  if (!is_type(fn, "identifier")) return 0;
  const rl_symbol *s = rl_js_imported_symbol(c->jf, fn);
  if (s) return s->user_from_input;
  TSNode f = rl_route_function_of(c->jf, rl_jsfile_root(c->jf), fn);
  return !ts_node_is_null(f) && rl_auth_fn_user_from_input(c->jf, f);
}

static int check_visit(void *data, TSNode n) {
  check *c = data;
  const char *t = ts_node_type(n);
  if (!strcmp(t, "throw_statement") && !input_error_throw(c->jf, n)) c->throws = 1;
  if (!strcmp(t, "number")) {
    if (rl_js_text_is(c->jf, n, "401") || rl_js_text_is(c->jf, n, "403")) c->refuse = 1;
    return 0;
  }
  if (!strcmp(t, "string") || !strcmp(t, "template_string")) {
    size_t l;
    const char *s = rl_js_text(c->jf, n, &l);
    if (refusal_text(s, l)) c->refuse = 1;
    /* the Authorization header read (req.headers['authorization'],
     * req.get('Authorization')); as an object key it is a header sent */
    TSNode up = rl_js_parent(n);
    int sent = !ts_node_is_null(up) && !strcmp(ts_node_type(up), "pair") && ts_node_eq(rl_js_field(up, "key"), n);
    if (!sent && rl_memcasemem(s, l, "authorization") != NULL) site(c, n, 0);
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
    TSNode prop = rl_js_field(n, "property");
    if (rl_js_text_is(c->jf, prop, "user") || rl_js_text_is(c->jf, prop, "session") ||
        rl_js_text_is(c->jf, prop, "auth") || rl_js_text_is(c->jf, prop, "userId") ||
        rl_js_text_is(c->jf, prop, "isAuthenticated")) {
      TSNode obj = rl_js_unwrap(rl_js_field(n, "object"));
      size_t l;
      const char *s = rl_js_text(c->jf, obj, &l);
      /* context.auth: a Firebase v1 callable's (data, context) */
      if ((c->req && eqw(s, l, c->req)) || eqw(s, l, "req") || eqw(s, l, "request") || eqw(s, l, "ctx.state") ||
          eqw(s, l, "ctx") || eqw(s, l, "event.locals") || eqw(s, l, "locals") || eqw(s, l, "context") ||
          eqw(s, l, "context.req") || eqw(s, l, "ctx.req") ||
          eqw(s, l, "event.context")) { /* GraphQL: @Context() ctx, ctx.req.user */
        site(c, n, 0);
        return 1; /* req.user.id is one read */
      }
    }
    /* req.headers.authorization; Netlify Identity's context.clientContext */
    if (rl_js_text_is(c->jf, prop, "authorization") || rl_js_text_is(c->jf, prop, "clientContext") ||
        rl_js_text_is(c->jf, prop, "authorizer")) { /* API Gateway: event.requestContext.authorizer */
      site(c, n, 0);
      return 1;
    }
    return 0;
  }
  if (!strcmp(t, "call_expression")) {
    /* res.redirect('/auth/signin'): a page route's refusal */
    TSNode callee = rl_js_unwrap(rl_js_field(n, "function"));
    if (!strcmp(ts_node_type(callee), "member_expression") &&
        rl_js_text_is(c->jf, rl_js_field(callee, "property"), "redirect")) {
      static const char *const to_login[] = {"login", "log-in", "signin", "sign-in", "sign_in", "/auth", NULL};
      TSNode args = rl_js_field(n, "arguments");
      for (uint32_t i = 0; !ts_node_is_null(args) && i < ts_node_named_child_count(args); i++) {
        size_t l;
        const char *s = rl_js_text(c->jf, ts_node_named_child(args, i), &l);
        if (rl_memcasemem_any(s, l, to_login)) c->refuse = 1;
      }
    }
    const char *canon = rl_js_callee(c->jf, n);
    if (canon &&
        (!strcmp(canon, "jsonwebtoken:verify") || !strcmp(canon, "jose:jwtVerify") ||
         !strcmp(canon, "bcrypt:compare") || !strcmp(canon, "bcryptjs:compare") || !strcmp(canon, "argon2:verify"))) {
      site(c, n, 1);
      c->verified = 1;
      return 0;
    }
    if (signature_check(canon, 0)) { /* its answer decides: with a refusal */
      site(c, n, 0);
      c->verified = 1;
      return 0;
    }
    if (receiver_verifies(c->jf, n)) {
      site(c, n, 1);
      c->verified = 1;
      c->throws = 1; /* it throws for the handler */
      return 0;
    }
    TSNode fn = rl_js_unwrap(rl_js_field(n, "function"));
    TSNode name = !strcmp(ts_node_type(fn), "member_expression") ? rl_js_field(fn, "property") : fn;
    size_t l;
    const char *s = rl_js_text(c->jf, name, &l);
    int getter = 0;
    if (strcmp(ts_node_type(name), "identifier") && strcmp(ts_node_type(name), "property_identifier")) return 0;
    if (eqw(s, l, "getServerSession") || eqw(s, l, "unstable_getServerSession") || eqw(s, l, "getSession") ||
        eqw(s, l, "auth") || eqw(s, l, "currentUser") || eqw(s, l, "getUser") || eqw(s, l, "getAuth") ||
        eqw(s, l, "getToken") || eqw(s, l, "getServerAuthSession") || eqw(s, l, "getUserFromRequest") ||
        /* Remix stacks' session.server helpers, and the usual getter */
        eqw(s, l, "getUserId") || eqw(s, l, "getCurrentUser")) {
      if (!getter_takes_input(c, n)) site(c, n, 0);
      return 0;
    }
    if (rl_config_is_auth_name(s, l)) {
      site(c, n, 1);
      return 0;
    }
    if (rl_auth_name(s, l, &getter) && !getter_takes_input(c, n)) site(c, n, !getter);
    return 0;
  }
  return 0;
}

static void scan_checks(check *c, TSNode fn) {
  if (!ts_node_is_null(fn)) rl_js_walk(fn, check_visit, c);
}

void rl_auth_check_scan(rl_jsfile *jf, TSNode fn, const char *req, rl_auth_check *out) {
  memset(out, 0, sizeof *out);
  out->jf = jf;
  out->req = req;
  scan_checks(out, fn);
}

int rl_auth_check_holds(const rl_auth_check *c) { return c->strong || (c->weak && c->refuse); }

/* ---- does the check guard the work? ---------------------------------------------- */

/* A check counts only where it stops a caller before the work: it runs on
 * every path to the work (not in a catch or finally clause, not in one
 * branch of an unrelated if, not after the work), and its failure branch
 * leaves the handler. What is a site is check_visit's: a call that enforces
 * by its name or verifies (it throws or refuses itself: where it stands
 * decides), or a session/user read (it must be tested by an `if` whose
 * failure branch returns or throws, directly or through the variable it is
 * stored in). */

static int within(TSNode n, TSNode outer) {
  return !ts_node_is_null(n) && !ts_node_is_null(outer) && ts_node_start_byte(n) >= ts_node_start_byte(outer) &&
         ts_node_end_byte(n) <= ts_node_end_byte(outer);
}

static int nullish(rl_jsfile *jf, TSNode e) {
  e = rl_js_unwrap(e);
  if (ts_node_is_null(e)) return 0;
  const char *t = ts_node_type(e);
  if (!strcmp(t, "null") || !strcmp(t, "undefined") || !strcmp(t, "false")) return 1;
  if (!strcmp(t, "identifier")) return rl_js_text_is(jf, e, "undefined");
  const char *s;
  size_t n;
  return rl_js_string_value(jf, e, &s, &n) && eqw(s, n, "undefined"); /* typeof x === 'undefined' */
}

/* 1 if the condition is true when the tested value occ is missing (`!x`,
 * `x == null`, `!x || y`, `x.role !== 'host'`): its consequence is then
 * the failure branch. */
static int fails_when_true(rl_jsfile *jf, TSNode occ, TSNode cond) {
  int neg = 0;
  size_t l;
  const char *s = rl_js_text(jf, occ, &l);
  if (is_type(occ, "identifier") && rl_memcasemem(s, l, "err")) neg = 1; /* if (error) return 401 */
  for (TSNode cur = occ; !ts_node_is_null(cur) && !ts_node_eq(cur, cond);) {
    TSNode par = rl_js_parent(cur);
    if (ts_node_is_null(par)) break;
    const char *t = ts_node_type(par);
    if (!strcmp(t, "unary_expression")) {
      if (rl_js_text_is(jf, rl_js_field(par, "operator"), "!")) neg ^= 1;
    } else if (!strcmp(t, "binary_expression")) {
      TSNode op = rl_js_field(par, "operator");
      TSNode left = rl_js_field(par, "left");
      TSNode other = within(cur, left) ? rl_js_field(par, "right") : left;
      int eq = rl_js_text_is(jf, op, "==") || rl_js_text_is(jf, op, "===");
      int ne = rl_js_text_is(jf, op, "!=") || rl_js_text_is(jf, op, "!==");
      if ((eq && nullish(jf, other)) || (ne && !nullish(jf, other))) neg ^= 1;
    }
    cur = par;
  }
  return neg;
}

typedef struct guard_scan {
  rl_jsfile *jf;
  TSNode root, fn, work;
  TSNode real_work; /* the action itself (work may be the call that reaches it) */
  int lookups;      /* same-file helpers looked up by guard_call_visit */
  rl_auth_callee_fn callee;
  void *callee_data;
  int guarded;
  rl_auth_guard best; /* the most telling check that does not count */
} guard_scan;

/* How statement-or-expression t stands towards the work: RL_GUARD_OK when it
 * runs before the work on every path to it. */
static rl_guard_why position(guard_scan *g, TSNode t) {
  if (within(g->work, t)) return RL_GUARD_OK;   /* jwt.verify(t, k, (e, p) => mint), mint(await requireUser()) */
  if (within(t, g->work)) return RL_GUARD_NONE; /* mint({ identity: req.user ? req.user.id : 'guest' }) */
  rl_guard_why w = RL_GUARD_OK;
  for (TSNode cur = t, par = rl_js_parent(t); !ts_node_is_null(par); cur = par, par = rl_js_parent(par)) {
    if (within(g->work, par)) break; /* the common ancestor: paths join */
    const char *pt = ts_node_type(par);
    if (!strcmp(pt, "catch_clause")) return RL_GUARD_CATCH;
    if (!strcmp(pt, "finally_clause")) return RL_GUARD_FINALLY;
    if (rl_js_is_function(par)) w = RL_GUARD_BRANCH; /* a callback of its own */
    if ((!strcmp(pt, "if_statement") || !strcmp(pt, "ternary_expression")) &&
        !within(cur, rl_js_field(par, "condition"))) {
      /* if (bad method) return 405; else if (!session) return 401: the other branch leaves */
      TSNode cons = rl_js_field(par, "consequence");
      TSNode other = within(cur, cons) ? rl_js_field(par, "alternative") : cons;
      if (!rl_js_leaves(g->jf, other)) w = RL_GUARD_BRANCH;
    }
    if (!strcmp(pt, "switch_case") || !strcmp(pt, "switch_default") || !strcmp(pt, "for_statement") ||
        !strcmp(pt, "for_in_statement") || !strcmp(pt, "while_statement"))
      w = RL_GUARD_BRANCH;
    if (ts_node_eq(par, g->fn)) break;
  }
  if (ts_node_start_byte(t) >= ts_node_start_byte(g->work)) return RL_GUARD_AFTER;
  return w;
}

/* An `if` whose condition holds occ: does it stop the caller before the work? */
static rl_guard_why judge_if(guard_scan *g, TSNode ifs, TSNode occ) {
  rl_guard_why p = position(g, ifs);
  if (p != RL_GUARD_OK) return p;
  TSNode cond = rl_js_field(ifs, "condition");
  TSNode cons = rl_js_field(ifs, "consequence");
  TSNode alt = rl_js_field(ifs, "alternative");
  if (fails_when_true(g->jf, occ, cond)) {
    if (within(g->work, cons)) return RL_GUARD_NO_STOP; /* the work on the failure branch */
    if (within(g->work, alt)) return RL_GUARD_OK;       /* if (!user) { 401 } else { mint } */
    return rl_js_leaves(g->jf, cons) ? RL_GUARD_OK : RL_GUARD_NO_STOP;
  }
  if (within(g->work, cons)) return RL_GUARD_OK; /* if (user) { mint } else { 401 } */
  if (within(g->work, alt)) return RL_GUARD_NO_STOP;
  return rl_js_leaves(g->jf, alt) ? RL_GUARD_OK : RL_GUARD_NO_STOP;
}

/* The `if` whose condition holds n, climbing through expressions; or the
 * variable declarator whose value holds it (*decl). Null: neither. */
static TSNode test_of(TSNode n, TSNode *decl) {
  TSNode null = {{0}, NULL, NULL};
  *decl = null;
  for (TSNode cur = n, par = rl_js_parent(n); !ts_node_is_null(par); cur = par, par = rl_js_parent(par)) {
    const char *pt = ts_node_type(par);
    if (!strcmp(pt, "if_statement") || !strcmp(pt, "ternary_expression")) /* return user ? mint() : deny() */
      return within(cur, rl_js_field(par, "condition")) ? par : null;
    if (!strcmp(pt, "variable_declarator")) {
      if (within(cur, rl_js_field(par, "value"))) *decl = par;
      return null;
    }
    if (!strcmp(pt, "assignment_expression")) {
      if (within(cur, rl_js_field(par, "right"))) *decl = par;
      return null;
    }
    /* a header name is read through its call: headers.get('authorization') */
    int header = ts_node_eq(cur, n) && (is_type(n, "string") || is_type(n, "template_string"));
    if (rl_js_is_function(par) || strstr(pt, "statement") || !strcmp(pt, "statement_block") ||
        (!strcmp(pt, "arguments") && !header) || !strcmp(pt, "pair"))
      return null;
  }
  return null;
}

typedef struct var_test {
  rl_jsfile *jf;
  const char *names[8];
  size_t lens[8];
  uint32_t n;
  size_t after;
  TSNode occ;             /* occ_visit's answer */
  TSNode ifs[8], occs[8]; /* the ifs that test the variable, and where */
  uint32_t nifs;
} var_test;

static void collect_names(var_test *v, TSNode pat) {
  if (ts_node_is_null(pat)) return;
  const char *t = ts_node_type(pat);
  if (!strcmp(t, "identifier") || !strcmp(t, "shorthand_property_identifier_pattern")) {
    if (v->n < 8) {
      v->names[v->n] = rl_js_text(v->jf, pat, &v->lens[v->n]);
      v->n++;
    }
    return;
  }
  if (!strcmp(t, "pair_pattern")) {
    collect_names(v, rl_js_field(pat, "value"));
    return;
  }
  if (!strcmp(t, "object_assignment_pattern") || !strcmp(t, "assignment_pattern")) {
    collect_names(v, rl_js_field(pat, "left"));
    return;
  }
  if (!strcmp(t, "object_pattern") || !strcmp(t, "array_pattern"))
    for (uint32_t i = 0; i < ts_node_named_child_count(pat); i++) collect_names(v, ts_node_named_child(pat, i));
}

static int occ_visit(void *data, TSNode n) {
  var_test *v = data;
  if (!is_type(n, "identifier")) return 0;
  size_t l;
  const char *s = rl_js_text(v->jf, n, &l);
  for (uint32_t i = 0; i < v->n; i++)
    if (l == v->lens[i] && !memcmp(s, v->names[i], l)) {
      v->occ = n;
      return -1;
    }
  return 0;
}

static int if_visit(void *data, TSNode n) {
  var_test *v = data;
  if (!is_type(n, "if_statement") || ts_node_start_byte(n) < v->after) return 0;
  v->occ = (TSNode){{0}, NULL, NULL};
  rl_js_walk(rl_js_field(n, "condition"), occ_visit, v);
  if (ts_node_is_null(v->occ)) return 0;
  v->ifs[v->nifs] = n;
  v->occs[v->nifs] = v->occ;
  return ++v->nifs == 8 ? -1 : 0;
}

static int why_rank(rl_guard_why w) {
  switch (w) {
  case RL_GUARD_CATCH:
  case RL_GUARD_FINALLY: return 4;
  case RL_GUARD_AFTER: return 3;
  case RL_GUARD_NO_STOP: return 2;
  case RL_GUARD_BRANCH: return 1;
  default: return 0;
  }
}

static void verdict(guard_scan *g, TSNode site_node, rl_guard_why w) {
  if (w == RL_GUARD_OK) {
    g->guarded = 1;
    return;
  }
  if (why_rank(w) > why_rank(g->best.why)) {
    g->best.why = w;
    g->best.site = site_node;
  }
}

/* ctx.assert(ctx.state.user, 401) (Koa), assert(session, ...), invariant(user):
 * the call that throws when its first argument, which holds n, is falsy. */
static TSNode assert_call_of(rl_jsfile *jf, TSNode n) {
  TSNode null = {{0}, NULL, NULL};
  TSNode cur = n;
  for (int depth = 0; depth < 6; depth++) {
    TSNode par = rl_js_parent(cur);
    if (ts_node_is_null(par)) return null;
    if (is_type(par, "arguments")) {
      TSNode call = rl_js_parent(par);
      if (!ts_node_eq(ts_node_named_child(par, 0), cur) || !is_type(call, "call_expression")) return null;
      TSNode fn = rl_js_unwrap(rl_js_field(call, "function"));
      TSNode name = is_type(fn, "member_expression") ? rl_js_field(fn, "property") : fn;
      return rl_js_text_is(jf, name, "assert") || rl_js_text_is(jf, name, "invariant") ? call : null;
    }
    if (!is_type(par, "member_expression") && !is_type(par, "binary_expression") &&
        !is_type(par, "parenthesized_expression") && !is_type(par, "await_expression"))
      return null;
    cur = par;
  }
  return null;
}

/* The callback of `<call holding n>.then(cb)`, whose first parameter is
 * the value; null if n is not so used. */
static TSNode then_param(rl_jsfile *jf, TSNode n) {
  TSNode null = {{0}, NULL, NULL};
  TSNode cur = n;
  for (int depth = 0; depth < 3 && !ts_node_is_null(cur); depth++) {
    TSNode par = rl_js_parent(cur);
    if (is_type(par, "member_expression") && ts_node_eq(rl_js_field(par, "object"), cur)) {
      TSNode call = rl_js_parent(par);
      TSNode prop = rl_js_field(par, "property");
      if (!is_type(call, "call_expression") || !rl_js_text_is(jf, prop, "then")) return null;
      TSNode cb = rl_js_unwrap(rl_js_call_arg(call, 0));
      return rl_js_is_function(cb) ? cb : null;
    }
    if (!is_type(par, "call_expression") && !is_type(par, "parenthesized_expression")) return null;
    cur = par;
  }
  return null;
}

/* A .then callback's first parameter (identifier or pattern). */
static TSNode then_pattern(TSNode cb) {
  TSNode p = rl_js_field(cb, "parameter");
  if (!ts_node_is_null(p)) return p;
  TSNode params = rl_js_field(cb, "parameters");
  p = ts_node_named_child(params, 0);
  if (is_type(p, "required_parameter") || is_type(p, "optional_parameter")) p = rl_js_field(p, "pattern");
  return p;
}

static void on_guard_site(void *data, TSNode n, int strong) {
  guard_scan *g = data;
  if (g->guarded) return;
  TSNode asserted = assert_call_of(g->jf, n);
  if (!ts_node_is_null(asserted)) {
    verdict(g, n, position(g, asserted));
    return;
  }
  TSNode decl;
  TSNode ifs = test_of(n, &decl);
  if (!ts_node_is_null(ifs)) {
    verdict(g, n, judge_if(g, ifs, n));
    return;
  }
  if (ts_node_is_null(decl)) decl = then_param(g->jf, n); /* getSession({ req }).then((session) => ...) */
  if (!ts_node_is_null(decl)) { /* const session = await getServerSession(); if (!session) return ... */
    var_test v;
    memset(&v, 0, sizeof v);
    v.jf = g->jf;
    if (rl_js_is_function(decl)) {
      collect_names(&v, then_pattern(decl));
      v.after = ts_node_start_byte(decl);
    } else {
      collect_names(&v, rl_js_field(decl, is_type(decl, "variable_declarator") ? "name" : "left"));
      v.after = ts_node_end_byte(decl);
    }
    if (v.n) rl_js_walk(g->fn, if_visit, &v);
    /* any test of it that stops the caller: if (session?.user?.isHost) {...} then if (!session) return */
    for (uint32_t i = 0; i < v.nifs && !g->guarded; i++) {
      rl_guard_why w = judge_if(g, v.ifs[i], v.occs[i]);
      /* the enforcing call already threw; a test after the work is no check */
      if (strong && w == RL_GUARD_NO_STOP) w = position(g, decl);
      verdict(g, n, w);
    }
    if (v.nifs) return;
  }
  if (strong) verdict(g, n, position(g, n)); /* it throws or refuses itself */
}

/* A same-file helper checks for its caller when it enforces by name or
 * verifies, or tests a session/user read (directly or through a variable)
 * in an if whose failure branch throws: a return would only leave the
 * helper. An Authorization header it sends is no test. */
typedef struct helper_scan {
  rl_jsfile *jf;
  int found;
} helper_scan;

static int throws_in(rl_jsfile *jf, TSNode s) {
  if (ts_node_is_null(s)) return 0;
  const char *t = ts_node_type(s);
  if (!strcmp(t, "throw_statement")) return 1;
  if (!strcmp(t, "expression_statement")) return rl_js_never_returns(jf, ts_node_named_child(s, 0));
  if (!strcmp(t, "statement_block") || !strcmp(t, "else_clause"))
    for (uint32_t i = 0; i < ts_node_named_child_count(s); i++)
      if (throws_in(jf, ts_node_named_child(s, i))) return 1;
  return 0;
}

static void helper_if_throws(helper_scan *h, TSNode ifs, TSNode occ) {
  TSNode cond = rl_js_field(ifs, "condition");
  TSNode branch = fails_when_true(h->jf, occ, cond) ? rl_js_field(ifs, "consequence") : rl_js_field(ifs, "alternative");
  if (throws_in(h->jf, branch)) h->found = 1;
}

static void on_helper_site(void *data, TSNode n, int strong) {
  helper_scan *h = data;
  if (strong) {
    h->found = 1;
    return;
  }
  TSNode decl, occ = n;
  TSNode ifs = test_of(n, &decl);
  if (ts_node_is_null(ifs) && !ts_node_is_null(decl)) {
    var_test v;
    memset(&v, 0, sizeof v);
    v.jf = h->jf;
    collect_names(&v, rl_js_field(decl, is_type(decl, "variable_declarator") ? "name" : "left"));
    v.after = ts_node_end_byte(decl);
    TSNode fn = rl_js_enclosing_function(decl);
    if (v.n && !ts_node_is_null(fn)) rl_js_walk(fn, if_visit, &v);
    for (uint32_t i = 0; i < v.nifs; i++) helper_if_throws(h, v.ifs[i], v.occs[i]);
    return;
  }
  if (!ts_node_is_null(ifs)) helper_if_throws(h, ifs, occ);
}

static int helper_checks(rl_jsfile *jf, TSNode f) {
  helper_scan h = {jf, 0};
  check c;
  memset(&c, 0, sizeof c);
  c.jf = jf;
  c.on_site = on_helper_site;
  c.site_data = &h;
  scan_checks(&c, f);
  return h.found;
}

/* Calls the guard scan asks about besides check_visit's sites: a same-file
 * function that checks and refuses or throws (assertSignedIn(context)), a
 * project function the model says authenticates. */
static int guard_call_visit(void *data, TSNode n) {
  guard_scan *g = data;
  if (g->guarded) return -1;
  if (!is_type(n, "call_expression")) return 0;
  if (g->callee && g->callee(g->callee_data, n)) {
    on_guard_site(g, n, 1);
    return 0;
  }
  TSNode fn = rl_js_unwrap(rl_js_field(n, "function"));
  if (!is_type(fn, "identifier")) return 0;
  if (++g->lookups > 32) return -1; /* each lookup may walk the file: a handler calls few helpers */
  TSNode f = rl_route_function_of(g->jf, g->root, fn);
  /* not the function that does the work (fetchViaRoomId throws on a 401 from the provider) */
  if (ts_node_is_null(f) || within(n, f) || within(g->fn, f) || within(g->real_work, f)) return 0;
  if (helper_checks(g->jf, f)) on_guard_site(g, n, 1);
  return 0;
}

/* The node in fn that stands for the work: the work itself, or the call of
 * the same-file function that does it. */
typedef struct anchor_find {
  rl_jsfile *jf;
  TSNode root, work, found;
  int lookups;
} anchor_find;

static int anchor_visit(void *data, TSNode n) {
  anchor_find *a = data;
  if (!is_type(n, "call_expression")) return 0;
  TSNode callee = rl_js_unwrap(rl_js_field(n, "function"));
  if (!is_type(callee, "identifier") || ++a->lookups > 32) return a->lookups > 32 ? -1 : 0;
  TSNode f = rl_route_function_of(a->jf, a->root, callee);
  if (!ts_node_is_null(f) && within(a->work, f)) {
    a->found = n;
    return -1;
  }
  return 0;
}

static int guards_in(rl_jsfile *jf, TSNode root, TSNode fn, const char *req, TSNode work, TSNode real_work,
                     rl_auth_callee_fn callee, void *data, rl_auth_guard *out);

int rl_auth_guards(rl_jsfile *jf, TSNode root, TSNode fn, const char *req, TSNode work, rl_auth_callee_fn callee,
                   void *data, rl_auth_guard *out) {
  memset(out, 0, sizeof *out);
  if (ts_node_is_null(fn) || ts_node_is_null(work)) return -1;
  if (within(work, fn)) {
    /* const makeToken = async () => mint(); ...check...; await makeToken(): the call is the work */
    TSNode ef = rl_js_enclosing_function(work);
    TSNode up = rl_js_parent(ef);
    if (!ts_node_is_null(ef) && !ts_node_eq(ef, fn) &&
        (is_type(up, "variable_declarator") || is_type(ef, "function_declaration"))) {
      anchor_find a = {jf, root, work, {{0}, NULL, NULL}, 0};
      rl_js_walk(fn, anchor_visit, &a);
      if (!ts_node_is_null(a.found) && !within(a.found, ef))
        return guards_in(jf, root, fn, req, a.found, work, callee, data, out);
    }
    return guards_in(jf, root, fn, req, work, work, callee, data, out);
  }
  anchor_find a = {jf, root, work, {{0}, NULL, NULL}, 0};
  rl_js_walk(fn, anchor_visit, &a);
  if (ts_node_is_null(a.found)) return -1;
  if (guards_in(jf, root, fn, req, a.found, work, callee, data, out)) return 1;
  /* or the helper that does the work checks first: onCall((d, c) => issue(d, c)) */
  TSNode helper = rl_route_function_of(jf, root, rl_js_field(a.found, "function"));
  rl_auth_guard inner;
  memset(&inner, 0, sizeof inner);
  if (ts_node_is_null(helper)) return 0;
  int v = guards_in(jf, root, helper, NULL, work, work, callee, data, &inner);
  if (v || why_rank(inner.why) > why_rank(out->why)) *out = inner;
  return v;
}

static int guards_in(rl_jsfile *jf, TSNode root, TSNode fn, const char *req, TSNode work, TSNode real_work,
                     rl_auth_callee_fn callee, void *data, rl_auth_guard *out) {
  memset(out, 0, sizeof *out);
  guard_scan g;
  memset(&g, 0, sizeof g);
  g.jf = jf;
  g.root = root;
  g.fn = fn;
  g.work = work;
  g.real_work = real_work;
  g.callee = callee;
  g.callee_data = data;
  check c;
  memset(&c, 0, sizeof c);
  c.jf = jf;
  c.req = req;
  c.on_site = on_guard_site;
  c.site_data = &g;
  scan_checks(&c, fn);
  if (!g.guarded) rl_js_walk(fn, guard_call_visit, &g);
  *out = g.best;
  if (g.guarded) out->why = RL_GUARD_OK;
  return g.guarded;
}

/* ---- Next.js middleware.ts / proxy.ts ---------------------------------------------- */

/* Next.js runs one middleware file (named proxy.* since Next 16) from the
 * folder that holds pages/ or app/ (the project root, or src/) before every
 * route its `config.matcher` selects (every route when there is none). A route
 * handler there is authenticated when that middleware is. The project model
 * finds, reads and parses the file (src/project.c); what it decides is judged as narrowly as an in-handler check:
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
  const char *route;        /* the route's path, dynamic segments as "x" */
  int found;                /* global_guard_visit's answer */
  rl_auth_callee_fn callee; /* what calls into other project files do, or NULL */
  void *callee_data;
} mw_file;

typedef struct callee_scan {
  mw_file *m;
  int found;
} callee_scan;

static int callee_visit(void *data, TSNode n) {
  callee_scan *cs = data;
  if (strcmp(ts_node_type(n), "call_expression")) return 0;
  if (cs->m->callee(cs->m->callee_data, n)) {
    cs->found = 1;
    return -1;
  }
  return 0;
}

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
        if (pat[j] == '\\')
          j++;
        else if (pat[j] == '(')
          depth++;
        else if (pat[j] == ')' && --depth == 0)
          break;
      }
      if (j >= n)
        ok = 0;
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
  if (strcmp(ts_node_type(v), "array"))
    return rl_js_string_value(m->jf, v, &s, &n) && path_pattern_matches(s, n, m->route);
  for (uint32_t i = 0; i < ts_node_named_child_count(v); i++) {
    TSNode e = rl_js_unwrap(ts_node_named_child(v, i));
    if (objects_ok && !strcmp(ts_node_type(e), "object")) {
      if (!ts_node_is_null(rl_js_object_get(m->jf, e, "has")) ||
          !ts_node_is_null(rl_js_object_get(m->jf, e, "missing")))
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
    TSNode d = rl_js_field(st, "declaration");
    if (ts_node_is_null(d) || strcmp(ts_node_type(d), "lexical_declaration")) continue;
    for (uint32_t k = 0; k < ts_node_named_child_count(d); k++) {
      TSNode vd = ts_node_named_child(d, k);
      if (!rl_js_text_is(m->jf, rl_js_field(vd, "name"), "config")) continue;
      TSNode obj = rl_js_unwrap(rl_js_field(vd, "value"));
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
    TSNode cond = rl_js_unwrap(rl_js_field(n, "condition"));
    int negated = 0;
    if (!strcmp(ts_node_type(cond), "unary_expression") && ts_node_child_count(cond) == 2 &&
        !strcmp(ts_node_type(ts_node_child(cond, 0)), "!")) {
      negated = 1;
      cond = rl_js_unwrap(rl_js_field(cond, "argument"));
    }
    if (strcmp(ts_node_type(cond), "call_expression")) return 0;
    TSNode fn = rl_js_unwrap(rl_js_field(cond, "function"));
    if (strcmp(ts_node_type(fn), "identifier")) return 0;
    TSNode init = rl_js_unwrap(rl_js_const_init(m->jf, fn));
    if (ts_node_is_null(init) || strcmp(ts_node_type(init), "call_expression") ||
        !callee_is(m->jf, init, clerk_matcher))
      return 0;
    /* the protect() must be in the consequence, not the else branch */
    TSNode alt = rl_js_field(n, "alternative");
    if (!ts_node_is_null(alt) && ts_node_start_byte(call) >= ts_node_start_byte(alt)) return 0;
    int sel = patterns_select(m, rl_js_call_arg(init, 0), 0);
    return negated ? !sel : sel;
  }
  return 0;
}

static int protect_visit(void *data, TSNode n) {
  protect_scan *ps = data;
  if (ps->covered || strcmp(ts_node_type(n), "call_expression")) return 0;
  TSNode fn = rl_js_unwrap(rl_js_field(n, "function"));
  if (strcmp(ts_node_type(fn), "member_expression") ||
      !rl_js_text_is(ps->m->jf, rl_js_field(fn, "property"), "protect"))
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
  TSNode fn = rl_js_unwrap(rl_js_field(n, "function"));
  if (strcmp(ts_node_type(fn), "member_expression") || !rl_js_text_is(c->jf, rl_js_field(fn, "property"), "redirect"))
    return 0;
  size_t l;
  const char *s = rl_js_text(c->jf, rl_js_field(n, "arguments"), &l);
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
      return ts_node_is_null(o) ||
             (!strcmp(ts_node_type(o), "object") && ts_node_is_null(rl_js_object_get(m->jf, o, "publicRoutes")) &&
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
  check c;
  rl_auth_check_scan(m->jf, fn, rl_route_param_name(m->jf, fn, 0), &c);
  rl_js_walk(fn, redirect_visit, &c);
  if (c.strong || (c.weak && c.refuse)) return 1;
  /* the check in another file: rejectUnlessSignedIn(req) from @/lib/session */
  callee_scan cs = {m, 0};
  if (m->callee) rl_js_walk(fn, callee_visit, &cs);
  return cs.found;
}

/* 1 if the middleware file's exports authenticate the route. */
static int mw_authenticates(mw_file *m) {
  for (uint32_t i = 0; i < ts_node_named_child_count(m->root); i++) {
    TSNode st = ts_node_named_child(m->root, i);
    if (strcmp(ts_node_type(st), "export_statement")) continue;
    TSNode src = rl_js_field(st, "source");
    const char *s;
    size_t n;
    if (!ts_node_is_null(src)) { /* export { default } from 'next-auth/middleware' */
      if (rl_js_string_value(m->jf, src, &s, &n) && n == 20 && !memcmp(s, "next-auth/middleware", 20)) return 1;
      continue;
    }
    TSNode d = rl_js_field(st, "declaration");
    TSNode v = rl_js_field(st, "value");
    if (!ts_node_is_null(v)) { /* export default <expression> */
      if (mw_function_checks(m, v)) return 1;
      continue;
    }
    if (ts_node_is_null(d)) continue;
    const char *dt = ts_node_type(d);
    if (!strcmp(dt, "function_declaration")) {
      TSNode name = rl_js_field(d, "name");
      int is_default = 0;
      for (uint32_t k = 0; k < ts_node_child_count(st); k++)
        if (!strcmp(ts_node_type(ts_node_child(st, k)), "default")) is_default = 1;
      if ((is_default || rl_js_text_is(m->jf, name, "middleware") || rl_js_text_is(m->jf, name, "proxy")) &&
          mw_function_checks(m, d))
        return 1;
    } else if (!strcmp(dt, "lexical_declaration")) {
      for (uint32_t k = 0; k < ts_node_named_child_count(d); k++) {
        TSNode vd = ts_node_named_child(d, k);
        TSNode name = rl_js_field(vd, "name");
        if ((rl_js_text_is(m->jf, name, "middleware") || rl_js_text_is(m->jf, name, "proxy")) &&
            mw_function_checks(m, rl_js_field(vd, "value")))
          return 1;
      }
    }
  }
  return 0;
}

int rl_auth_next_middleware(rl_jsfile *jf, TSNode root, const char *route, rl_auth_callee_fn callee, void *data) {
  mw_file m = {jf, root, route, 0, callee, data};
  return matcher_selects(&m) && mw_authenticates(&m);
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
  if (!rl_auth_expr_name(jf, e, &s, &n)) return 0;
  if (rl_config_is_auth_name(s, n)) return 1;
  wordscan ws;
  memset(&ws, 0, sizeof ws);
  rl_name_words(s, n, scan_word, &ws);
  return !ws.negative && rl_auth_name(s, n, NULL);
}

static int global_guard_visit(void *data, TSNode n) {
  mw_file *m = data;
  const char *t = ts_node_type(n);
  if (!strcmp(t, "call_expression")) { /* app.useGlobalGuards(new JwtAuthGuard()) */
    TSNode fn = rl_js_unwrap(rl_js_field(n, "function"));
    if (strcmp(ts_node_type(fn), "member_expression") ||
        !rl_js_text_is(m->jf, rl_js_field(fn, "property"), "useGlobalGuards"))
      return 0;
    TSNode args = rl_js_field(n, "arguments");
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

int rl_auth_nest_global_guard(rl_jsfile *jf, TSNode root) {
  mw_file m = {jf, root, NULL, 0, NULL, NULL};
  rl_js_walk(root, global_guard_visit, &m);
  return m.found;
}

int rl_auth_name_negative(const char *s, size_t n) {
  wordscan ws;
  memset(&ws, 0, sizeof ws);
  rl_name_words(s, n, scan_word, &ws);
  return ws.negative;
}

/* ---- a router mounted from another file ------------------------------------------ */

/* Does an earlier use() at path `at` (NULL: every path) run before a mount at `mount`? */
static int use_path_covers(const char *at, size_t al, const char *mount, size_t ml) {
  if (!at) return 1;
  while (al > 0 && (at[al - 1] == '/' || at[al - 1] == '*')) al--;
  if (!mount) return al == 0;
  return al <= ml && !memcmp(at, mount, al) && (al == ml || mount[al] == '/');
}

static int mount_mw_authenticates(rl_jsfile *jf, TSNode e, rl_auth_expr_fn auth, void *data) {
  e = rl_js_unwrap(e);
  if (ts_node_is_null(e)) return 0;
  if (!strcmp(ts_node_type(e), "array")) {
    for (uint32_t i = 0; i < ts_node_named_child_count(e); i++)
      if (mount_mw_authenticates(jf, ts_node_named_child(e, i), auth, data)) return 1;
    return 0;
  }
  int v = auth ? auth(data, e) : -1;
  return v >= 0 ? v : rl_auth_middleware(jf, e);
}

/* Does a use() call's middleware (its arguments before `upto`, the path
 * skipped) authenticate? */
static int use_args_authenticate(rl_jsfile *jf, const rl_mount *m, uint32_t upto, rl_auth_expr_fn auth, void *data) {
  TSNode args = rl_js_field(m->call, "arguments");
  for (uint32_t k = m->first; k < upto && k < m->nargs; k++)
    if (mount_mw_authenticates(jf, ts_node_named_child(args, k), auth, data)) return 1;
  return 0;
}

int rl_auth_mount(rl_jsfile *jf, TSNode root, rl_auth_expr_fn is_module, rl_auth_expr_fn auth, void *data,
                  const char **at) {
  size_t nm;
  const rl_mount *ms = rl_mounts(jf, root, &nm);
  int mounts = 0, covered = 0, same = 1;
  const char *first = NULL;
  size_t first_len = 0;
  for (size_t i = 0; i < nm; i++) {
    const rl_mount *m = &ms[i];
    TSNode args = rl_js_field(m->call, "arguments");
    uint32_t k = 0;
    /* register() takes the plugin first, then options: no middleware */
    while (k < m->nargs && !(m->is_register && k > 0) && !is_module(data, rl_js_unwrap(ts_node_named_child(args, k))))
      k++;
    if (k == m->nargs || (m->is_register && k > 0)) continue;
    mounts++;
    int ok = use_args_authenticate(jf, m, k, auth, data);
    /* or an earlier use() of the same app or router, at a path above the mount */
    size_t rl;
    if (mounts == 1) {
      first = m->path;
      first_len = m->path_len;
    } else if (!m->path || !first || m->path_len != first_len || memcmp(m->path, first, first_len)) {
      same = 0;
    }
    const char *recv = rl_js_text(jf, m->recv, &rl);
    for (size_t j = 0; j < i && !ok && recv; j++) {
      const rl_mount *v = &ms[j];
      size_t ol;
      const char *other = rl_js_text(jf, v->recv, &ol);
      /* a plugin registered before (fastify.register(fastifyJwt)) guards no route by itself */
      if (!other || ol != rl || memcmp(other, recv, rl) || v->is_register) continue;
      if (!use_path_covers(v->path, v->path_len, m->path, m->path_len)) continue;
      ok = use_args_authenticate(jf, v, v->nargs, auth, data);
    }
    if (ok) covered++;
  }
  if (at) *at = same && first ? rl_arena_strndup(rl_jsfile_arena(jf), first, first_len) : NULL;
  if (!mounts) return -1;
  return covered == mounts;
}
