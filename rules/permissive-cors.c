/* permissive-cors: a CORS policy that lets any website call a token or room
 * route from a visitor's browser.
 *
 * Only in files that define a token or room route (rules/routes.c: a route
 * whose handler mints a token or changes rooms, or whose path says token or
 * room). Reported:
 *   - cors() from `cors` with no options, or options without `origin`
 *     (the package then answers Access-Control-Allow-Origin: *);
 *   - origin '*'; origin: true together with credentials: true (reflects any
 *     origin and lets it send cookies); an origin callback that always
 *     accepts (`(o, cb) => cb(null, true)` with no condition);
 *   - @koa/cors / kcors with no origin (it echoes the request's Origin);
 *     hono/cors with no origin or '*';
 *   - fastify.register(@fastify/cors[, opts]) with no origin, '*' or true;
 *   - an Access-Control-Allow-Origin: * header: res.setHeader / res.header /
 *     res.set / ctx.set / reply.header / headers.set / append, or a key of a
 *     headers object;
 *   - the same header set to the request's Origin (req.headers.origin,
 *     req.query.origin, req.header/get('origin'), headers.get('origin'),
 *     also `|| '*'`) unless an if/ternary around it compares or looks the
 *     origin up (`if (allowed.includes(origin))`).
 * An allow-list (string, array, regex, env read such as
 * process.env.ALLOWED_ORIGIN, a callback that checks) is fine. */
#include <string.h>

#include "analysis.h"
#include "bindname.h"
#include "routes.h"
#include "rule.h"
#include "util.h"

extern const char rl_doc__permissive_cors[];

static int type_is(TSNode n, const char *t) { return !ts_node_is_null(n) && !strcmp(ts_node_type(n), t); }

static TSNode field(TSNode n, const char *name) { return rl_js_field(n, name); }

typedef struct state {
  rl_ctx *ctx;
  rl_jsfile *jf;
  TSNode root;
  const char *route; /* "POST /api/token": the first token/room route */
} state;

static const char *const room_words[] = {"token", "tokens", "room", "rooms", NULL};

static void on_route(void *data, const rl_route *r) {
  state *st = data;
  if (st->route) return;
  rl_room_action act;
  int roomish = rl_route_room_action(st->jf, st->root, r, &act) ||
                (r->path && rl_name_has_word(r->path, strlen(r->path), room_words));
  if (!roomish) return;
  st->route = !strcmp(r->method, "*") ? r->path : rl_arena_printf(rl_ctx_arena(st->ctx), "%s %s", r->method, r->path);
}

static void report(state *st, TSNode at, const char *what) {
  rl_report(
      st->ctx, at,
      "%s lets any website call %s from a visitor's browser: set origin to an allow-list of your front-end origins",
      what, st->route);
}

static int is_string_star(state *st, TSNode v) {
  const char *s;
  size_t l;
  return rl_js_eval_string(st->jf, v, &s, &l) && rl_word_is(s, l, "*");
}

typedef struct accept_scan {
  state *st;
  int yes, cond;
} accept_scan;

static int accept_visit(void *data, TSNode n) {
  accept_scan *a = data;
  const char *t = ts_node_type(n);
  if (!strcmp(t, "if_statement") || !strcmp(t, "ternary_expression") || !strcmp(t, "switch_statement") ||
      !strcmp(t, "binary_expression"))
    a->cond = 1;
  if (!strcmp(t, "call_expression")) {
    TSNode a1 = rl_js_unwrap(rl_js_call_arg(n, 1));
    if (type_is(a1, "true")) a->yes = 1;
  }
  return 0;
}

/* An origin callback that accepts every origin: calls its callback with
 * `true` as the second argument, or returns true, and tests nothing. */
static int callback_accepts_all(state *st, TSNode fn) {
  TSNode body = rl_js_unwrap(field(fn, "body"));
  if (ts_node_is_null(body)) return 0;
  if (type_is(body, "true")) return 1;
  accept_scan a = {st, 0, 0};
  rl_js_walk(body, accept_visit, &a);
  return a.yes && !a.cond;
}

typedef enum lib { LIB_EXPRESS, LIB_KOA, LIB_HONO, LIB_FASTIFY } lib;

/* Judges cors options (an object node or null for none) of library l;
 * returns what to report or NULL. */
static const char *judge_options(state *st, lib l, TSNode opts, int had_arg) {
  static const char *const none[] = {"cors() with no options", "@koa/cors with no origin (it echoes any Origin)",
                                     "hono cors() with no origin", "@fastify/cors with no origin"};
  static const char *const noorigin[] = {"cors() without an origin option",
                                         "@koa/cors with no origin (it echoes any Origin)",
                                         "hono cors() with no origin", "@fastify/cors with no origin"};
  if (ts_node_is_null(opts)) return had_arg ? NULL : none[l];
  TSNode origin = rl_js_unwrap(rl_js_object_get(st->jf, opts, "origin"));
  if (ts_node_is_null(origin)) {
    /* a spread may carry the origin */
    for (uint32_t i = 0; i < ts_node_named_child_count(opts); i++)
      if (type_is(ts_node_named_child(opts, i), "spread_element")) return NULL;
    return noorigin[l];
  }
  if (is_string_star(st, origin)) return "origin '*'";
  if (type_is(origin, "true")) {
    if (l == LIB_FASTIFY) return "origin: true (reflects any Origin)";
    TSNode cred = rl_js_unwrap(rl_js_object_get(st->jf, opts, "credentials"));
    if (type_is(cred, "true")) return "origin: true with credentials: true";
    return NULL;
  }
  if (type_is(origin, "arrow_function") || type_is(origin, "function_expression") || type_is(origin, "function")) {
    if (callback_accepts_all(st, origin)) return "an origin callback that accepts every origin";
  }
  return NULL;
}

static int is_acao(state *st, TSNode n) {
  const char *s;
  size_t l;
  if (!rl_js_string_value(st->jf, n, &s, &l)) {
    if (!type_is(n, "property_identifier")) return 0;
    s = rl_js_text(st->jf, n, &l);
  }
  return l == 27 && !rl_strncasecmp_ascii(s, "access-control-allow-origin", 27);
}

/* The request's Origin: req.headers.origin, req.query.origin,
 * req.header('origin'), req.get('origin'), request.headers.get('origin'),
 * also as the left side of `||` (`req.headers.origin || '*'`). */
static int is_request_origin(state *st, TSNode v) {
  v = rl_js_unwrap(v);
  if (type_is(v, "binary_expression")) return is_request_origin(st, field(v, "left"));
  if (type_is(v, "member_expression")) {
    TSNode obj = rl_js_unwrap(field(v, "object"));
    if (!rl_js_text_is(st->jf, field(v, "property"), "origin") || !type_is(obj, "member_expression")) return 0;
    TSNode p = field(obj, "property");
    return rl_js_text_is(st->jf, p, "headers") || rl_js_text_is(st->jf, p, "query");
  }
  if (type_is(v, "call_expression")) {
    TSNode fn = rl_js_unwrap(field(v, "function"));
    const char *s;
    size_t l;
    if (rl_js_text_is(st->jf, fn, "String")) return is_request_origin(st, rl_js_call_arg(v, 0));
    if (!type_is(fn, "member_expression")) return 0;
    TSNode p = field(fn, "property");
    return (rl_js_text_is(st->jf, p, "header") || rl_js_text_is(st->jf, p, "get")) &&
           rl_js_string_value(st->jf, rl_js_unwrap(rl_js_call_arg(v, 0)), &s, &l) && l == 6 &&
           !rl_strncasecmp_ascii(s, "origin", 6);
  }
  return 0;
}

typedef struct check_scan {
  int checked;
} check_scan;

static int check_visit(void *data, TSNode n) {
  check_scan *c = data;
  if (type_is(n, "call_expression")) c->checked = 1;
  if (type_is(n, "binary_expression")) {
    TSNode op = ts_node_child(n, 1);
    const char *o = ts_node_type(op);
    if (!strcmp(o, "===") || !strcmp(o, "==") || !strcmp(o, "!==") || !strcmp(o, "!=")) c->checked = 1;
  }
  return 0;
}

/* Whether an if or ternary around n (inside its function) tests something
 * beyond the Origin's presence: an allow-list lookup, a comparison. */
static int origin_checked(TSNode n) {
  for (TSNode p = rl_js_parent(n); !ts_node_is_null(p); p = rl_js_parent(p)) {
    const char *t = ts_node_type(p);
    if (!strcmp(t, "function_declaration") || !strcmp(t, "arrow_function") || !strcmp(t, "function_expression") ||
        !strcmp(t, "method_definition"))
      return 0;
    if (!strcmp(t, "if_statement") || !strcmp(t, "ternary_expression")) {
      check_scan c = {0};
      rl_js_walk(field(p, "condition"), check_visit, &c);
      if (c.checked) return 1;
    }
  }
  return 0;
}

static int visit(void *data, TSNode n) {
  state *st = data;
  const char *t = ts_node_type(n);
  if (!strcmp(t, "pair")) {
    if (is_acao(st, field(n, "key")) && is_string_star(st, rl_js_unwrap(field(n, "value"))))
      report(st, n, "Access-Control-Allow-Origin: *");
    else if (is_acao(st, field(n, "key")) && is_request_origin(st, field(n, "value")) && !origin_checked(n))
      report(st, n, "Access-Control-Allow-Origin set to the request's Origin (any origin is echoed)");
    return 0;
  }
  if (strcmp(t, "call_expression")) return 0;
  TSNode fn = rl_js_unwrap(field(n, "function"));
  if (type_is(fn, "member_expression")) {
    TSNode prop = field(fn, "property");
    /* res.setHeader('Access-Control-Allow-Origin', '*') and friends */
    if ((rl_js_text_is(st->jf, prop, "setHeader") || rl_js_text_is(st->jf, prop, "header") ||
         rl_js_text_is(st->jf, prop, "set") || rl_js_text_is(st->jf, prop, "append")) &&
        is_acao(st, rl_js_unwrap(rl_js_call_arg(n, 0))) && is_string_star(st, rl_js_unwrap(rl_js_call_arg(n, 1)))) {
      report(st, n, "Access-Control-Allow-Origin: *");
      return 0;
    }
    /* res.header('Access-Control-Allow-Origin', req.headers.origin) with no
     * allow-list test around it */
    if ((rl_js_text_is(st->jf, prop, "setHeader") || rl_js_text_is(st->jf, prop, "header") ||
         rl_js_text_is(st->jf, prop, "set") || rl_js_text_is(st->jf, prop, "append")) &&
        is_acao(st, rl_js_unwrap(rl_js_call_arg(n, 0))) && is_request_origin(st, rl_js_call_arg(n, 1)) &&
        !origin_checked(n)) {
      report(st, n, "Access-Control-Allow-Origin set to the request's Origin (any origin is echoed)");
      return 0;
    }
    /* fastify.register(cors, { origin: '*' }) */
    if (rl_js_text_is(st->jf, prop, "register")) {
      const char *c = rl_js_resolve(st->jf, rl_js_unwrap(rl_js_call_arg(n, 0)));
      if (c && (!strcmp(c, "@fastify/cors:") || !strcmp(c, "fastify-cors:"))) {
        TSNode arg = rl_js_call_arg(n, 1);
        const char *what = judge_options(st, LIB_FASTIFY, rl_js_object_of(st->jf, arg), !ts_node_is_null(arg));
        if (what) report(st, n, what);
      }
      return 0;
    }
  }
  const char *c = rl_js_callee(st->jf, n);
  if (!c) return 0;
  lib l;
  if (!strcmp(c, "cors:"))
    l = LIB_EXPRESS;
  else if (!strcmp(c, "@koa/cors:") || !strcmp(c, "kcors:") || !strcmp(c, "koa2-cors:"))
    l = LIB_KOA;
  else if (!strcmp(c, "hono/cors:cors"))
    l = LIB_HONO;
  else
    return 0;
  TSNode arg = rl_js_call_arg(n, 0);
  const char *what = judge_options(st, l, rl_js_object_of(st->jf, arg), !ts_node_is_null(arg));
  if (what) report(st, n, what);
  return 0;
}

static void on_file(rl_ctx *ctx) {
  state st = {ctx, rl_ctx_js(ctx), rl_ctx_root(ctx), NULL};
  if (!st.jf) return;
  rl_routes_each(st.jf, st.root, NULL, on_route, &st);
  if (!st.route) return;
  rl_js_walk(st.root, visit, &st);
}

static const char *const needles[] = {"cors", "Cors", "CORS", "llow-Origin", "llow-origin", "LLOW-ORIGIN", NULL};

/* Every finding names the file's first token or room route (on_file returns
 * before looking at CORS when rl_routes_each calls back for none), so a file
 * where no route can be registered cannot fire: rl_routes_possible, asked
 * with the path on_file passes (NULL: the source's path, the one pf has). */

const rl_rule rl_rule_permissive_cors = {
    .id = "permissive-cors",
    .title = "Any origin may call a token or room route",
    .severity = RL_SEV_WARNING,
    .cwe = 942,
    .doc = rl_doc__permissive_cors,
    .langs = RL_LANGS_CODE,
    .contexts = RL_CTX_BIT(RL_CTX_SERVER) | RL_CTX_BIT(RL_CTX_UNKNOWN),
    .query = NULL,
    .on_match = NULL,
    .on_file = on_file,
    .needles = needles,
    .can_fire = rl_routes_possible,
    .bad_example = "const express = require('express');\n"
                   "const cors = require('cors');\n"
                   "const app = express();\n"
                   "app.use(cors());\n"
                   "app.post('/api/token', requireAuth, (req, res) => res.json({ token: mintFor(req.user) }));\n",
    .good_example = "const express = require('express');\n"
                    "const cors = require('cors');\n"
                    "const app = express();\n"
                    "app.use(cors({ origin: ['https://app.example.com'], credentials: true }));\n"
                    "app.post('/api/token', requireAuth, (req, res) => res.json({ token: mintFor(req.user) }));\n",
    .precision = "high",
    .security_severity = "5.4",
};
