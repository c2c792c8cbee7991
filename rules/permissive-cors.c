/* permissive-cors: a CORS policy that lets any website call a token or room
 * route from a visitor's browser.
 *
 * Only in files that define a token or room route (rules/routes.c: a route
 * whose handler mints a token or changes rooms, or whose path says token or
 * room). Reported:
 *   - cors() from `cors` with no options, or options without `origin`
 *     (the package then answers Access-Control-Allow-Origin: *);
 *   - origin '*'; origin: true (reflects any origin; with credentials it
 *     also lets it send cookies); an origin taken from the request, also
 *     through an options delegate; an origin callback that always accepts
 *     (`(o, cb) => cb(null, true)` with no condition);
 *   - @koa/cors / kcors with no origin (it echoes the request's Origin);
 *     hono/cors with no origin or '*'; @elysiajs/cors with no origin (true by default) or '*';
 *   - fastify.register(@fastify/cors[, opts]) with no origin, '*' or true;
 *   - an Access-Control-Allow-Origin: * header: res.setHeader / res.header /
 *     res.set / ctx.set / reply.header / headers.set / append / appendHeader
 *     (Twilio Functions' Response, Node's ServerResponse), or a key of a
 *     headers object;
 *   - the same header set to the request's Origin (rl_cors_request_origin:
 *     also through a local) unless an if/ternary around it compares or
 *     looks the origin up (`if (allowed.includes(origin))`) or an earlier
 *     if that leaves on failure guards the local;
 *   - the same header 'null' with Access-Control-Allow-Credentials: true in
 *     the same function; NestJS @Header(ACAO, '*') on a route method;
 * Each policy is reported only when it covers a token or room route
 * (rl_cors_covers: where it is mounted, Express path semantics).
 *   - an origin regex wider than the app's hosts (judge_pattern): every
 *     origin, a wildcard before a shared host (vercel.app...), no '$' at the
 *     end, a host with no '^' before it;
 *   - socket.io's cors option (new Server(http, {cors}), io(http, {cors})).
 * An allow-list (string, array, anchored regex of own hosts, env read such as
 * process.env.ALLOWED_ORIGIN, a callback that checks) is fine. */
#include <string.h>

#include "analysis.h"
#include "bindname.h"
#include "cors.h"
#include "prefilter.h"
#include "project.h"
#include "routes.h"
#include "rule.h"
#include "util.h"

extern const char rl_doc__permissive_cors[];

static int type_is(TSNode n, const char *t) { return !ts_node_is_null(n) && !strcmp(ts_node_type(n), t); }

static TSNode field(TSNode n, const char *name) { return rl_js_field(n, name); }

#define MAX_TARGETS 32
#define MAX_STAR_FNS 32

typedef struct state {
  rl_ctx *ctx;
  rl_jsfile *jf;
  TSNode root;
  const char *route; /* "POST /api/token": the first token/room route */
  TSNode nest;       /* that route's @Post(...) decorator when a NestJS controller defines it */
  /* the first route that shows it hands out tokens or changes provider
   * rooms: its handler does the work (mints, calls a provider), or its path
   * says token. A socket.io server is full of "rooms" that are its own chat
   * channels, so socket.io's cors option asks for this one, not a name */
  const char *sio_route;
  /* every token or room route a policy may cover, in order: in this file,
   * or in a router this file mounts (then where it is registered) */
  rl_cors_target tg[MAX_TARGETS];
  const char *tg_route[MAX_TARGETS];
  const char *tg_rel_path[MAX_TARGETS];
  uint32_t tg_rel_line[MAX_TARGETS];
  size_t nt;
  rl_cors_file cf; /* what rl_cors_covers keeps for the file */
  /* functions (null: the top level) whose `Access-Control-Allow-Origin: *`
   * header is reported: a second one there (the error answer's headers) is
   * the same policy */
  TSNode star_fn[MAX_STAR_FNS];
  size_t nstar;
} state;

static void add_target(state *st, TSNode recv, const char *path, TSNode handler, const char *route,
                       const char *rel_path, uint32_t rel_line) {
  static const char *const token_words[] = {"token", "tokens", NULL};
  if (!st->route) st->route = route;
  if (!st->sio_route && path && rl_name_has_word(path, strlen(path), token_words)) st->sio_route = route;
  if (st->nt == MAX_TARGETS) return;
  rl_cors_target t = {recv, path, handler};
  st->tg[st->nt] = t;
  st->tg_route[st->nt] = route;
  st->tg_rel_path[st->nt] = rel_path;
  st->tg_rel_line[st->nt] = rel_line;
  st->nt++;
}

static void on_route(void *data, const rl_route *r) {
  state *st = data;
  /* an OPTIONS route answers preflights (app.options('/token', cors())):
   * it hands out nothing itself */
  /* a token or room route by its path or its work, through the project
   * modules it calls too, as unauthenticated-room-route judges it */
  rl_room_action act;
  if (!strcmp(r->method, "OPTIONS") ||
      (!rl_route_is_roomish(st->jf, st->root, r) && !rl_ctx_route_room_action(st->ctx, r, &act)))
    return;
  if (!st->route && !strcmp(r->framework, "nestjs")) st->nest = r->registration;
  const char *route = !strcmp(r->method, "*") ? r->path
                                              : rl_arena_printf(rl_ctx_arena(st->ctx), "%s %s", r->method, r->path);
  if (!st->sio_route && (rl_route_room_action(st->jf, st->root, r, &act) || rl_ctx_route_room_action(st->ctx, r, &act)))
    st->sio_route = route;
  add_target(st, r->receiver, r->path, r->handler, route, NULL, 0);
}

/* Reports what at a policy at node at, naming the first token or room route
 * it covers (rl_cors_covers: a policy mounted on another path covers none);
 * rel, when given, is the place in another file the policy is written. */
static int report_with(state *st, TSNode at, const char *what, const rl_site *rel, const char *rel_msg) {
  int i = rl_cors_covers(st->jf, st->root, rl_ctx_arena(st->ctx), at, st->tg, st->nt, &st->cf);
  if (i < 0) return 0;
  if (rel && rel->path) rl_ctx_related(st->ctx, rel->path, rel->line, rel->col, rel_msg);
  if (st->tg_rel_path[i])
    rl_ctx_related(st->ctx, st->tg_rel_path[i], st->tg_rel_line[i], 1, "the token or room route is registered here");
  rl_report(
      st->ctx, at,
      "%s lets any website call %s from a visitor's browser: set origin to an allow-list of your front-end origins",
      what, st->tg_route[i]);
  return 1;
}

static int report(state *st, TSNode at, const char *what) { return report_with(st, at, what, NULL, NULL); }

static int is_string_star(state *st, TSNode v) { return rl_cors_is_star(st->jf, v); }

static int is_header_name(state *st, TSNode n, const char *name) {
  const char *s;
  size_t l, k = strlen(name);
  if (!rl_js_string_value(st->jf, n, &s, &l)) {
    if (!type_is(n, "property_identifier")) return 0;
    s = rl_js_text(st->jf, n, &l);
  }
  return l == k && !rl_strncasecmp_ascii(s, name, k);
}

static int is_acao(state *st, TSNode n) { return is_header_name(st, n, "access-control-allow-origin"); }

typedef struct check_scan {
  rl_jsfile *jf;
  const char *name; /* the origin's local, when the test must mention it */
  size_t len;
  int checked, mentions;
} check_scan;

static int check_visit(void *data, TSNode n) {
  check_scan *c = data;
  if (type_is(n, "call_expression")) c->checked = 1;
  if (type_is(n, "binary_expression")) {
    TSNode op = ts_node_child(n, 1);
    const char *o = ts_node_type(op);
    /* `origin in allowed` is a lookup too */
    if (!strcmp(o, "===") || !strcmp(o, "==") || !strcmp(o, "!==") || !strcmp(o, "!=") || !strcmp(o, "in"))
      c->checked = 1;
  }
  if (type_is(n, "identifier")) {
    if (c->name && rl_js_text_eq(c->jf, n, c->name, c->len)) c->mentions = 1;
    /* `if (allowed)` with `const allowed = list.includes(origin)` or an
     * awaited lookup; not the origin itself (`if (origin)` tests nothing) */
    TSNode init = rl_js_unwrap(rl_js_local_init(c->jf, n));
    if ((type_is(init, "call_expression") || type_is(init, "binary_expression")) &&
        !rl_cors_request_origin(c->jf, init))
      c->checked = 1;
  }
  return 0;
}

static int is_function_node(TSNode p) {
  const char *t = ts_node_type(p);
  return !strcmp(t, "function_declaration") || !strcmp(t, "arrow_function") || !strcmp(t, "function_expression") ||
         !strcmp(t, "method_definition");
}

typedef struct leave_scan {
  int leaves;
} leave_scan;

static int leave_visit(void *data, TSNode n) {
  leave_scan *l = data;
  if (is_function_node(n)) return 1;
  if (type_is(n, "return_statement") || type_is(n, "throw_statement")) l->leaves = 1;
  return 0;
}

/* Whether an if or ternary around n (inside its function) tests something
 * beyond the Origin's presence: an allow-list lookup, a comparison; or, for
 * an origin held in a local, an earlier `if (!allowed.has(origin)) return`
 * that leaves when the test fails. */
static int origin_checked(state *st, TSNode n, TSNode value) {
  check_scan c = {st->jf, NULL, 0, 0, 0};
  TSNode v = rl_js_unwrap(value);
  if (type_is(v, "binary_expression")) v = rl_js_unwrap(field(v, "left"));
  if (type_is(v, "identifier")) c.name = rl_js_text(st->jf, v, &c.len);
  TSNode child = n;
  for (TSNode p = rl_js_parent(n); !ts_node_is_null(p); child = p, p = rl_js_parent(p)) {
    if (is_function_node(p)) return 0;
    const char *t = ts_node_type(p);
    if (!strcmp(t, "if_statement") || !strcmp(t, "ternary_expression")) {
      c.checked = 0;
      rl_js_walk(field(p, "condition"), check_visit, &c);
      if (c.checked) return 1;
    }
    if (!c.name || (strcmp(t, "statement_block") && strcmp(t, "program"))) continue;
    /* the statements before the one holding n: a guard that leaves */
    for (TSNode s = ts_node_prev_named_sibling(child); !ts_node_is_null(s); s = ts_node_prev_named_sibling(s)) {
      if (!type_is(s, "if_statement")) continue;
      c.checked = c.mentions = 0;
      rl_js_walk(field(s, "condition"), check_visit, &c);
      leave_scan l = {0};
      rl_js_walk(field(s, "consequence"), leave_visit, &l);
      if (c.checked && c.mentions && l.leaves) return 1;
    }
  }
  return 0;
}

static int is_true_value(state *st, TSNode v) {
  const char *s;
  size_t l;
  v = rl_js_unwrap(v);
  return type_is(v, "true") || (rl_js_eval_string(st->jf, v, &s, &l) && l == 4 && !memcmp(s, "true", 4));
}

typedef struct cred_scan {
  state *st;
  int yes;
} cred_scan;

static int cred_visit(void *data, TSNode n) {
  cred_scan *c = data;
  state *st = c->st;
  if (type_is(n, "pair") && is_header_name(st, field(n, "key"), "access-control-allow-credentials") &&
      is_true_value(st, field(n, "value")))
    c->yes = 1;
  if (type_is(n, "call_expression") && type_is(rl_js_unwrap(field(n, "function")), "member_expression") &&
      is_header_name(st, rl_js_unwrap(rl_js_call_arg(n, 0)), "access-control-allow-credentials") &&
      is_true_value(st, rl_js_call_arg(n, 1)))
    c->yes = 1;
  return c->yes ? -1 : 0;
}

/* Access-Control-Allow-Credentials: true set in the function around n (or
 * the file when n is at top level). */
static int credentials_near(state *st, TSNode n) {
  TSNode f = rl_js_enclosing_function(n);
  cred_scan c = {st, 0};
  rl_js_walk(ts_node_is_null(f) ? st->root : f, cred_visit, &c);
  return c.yes;
}

/* An Access-Control-Allow-Origin header with value v, set at n (a call or
 * a headers object's pair): '*', 'null' with credentials, or the request's
 * own Origin with no allow-list test. */
static void judge_header(state *st, TSNode n, TSNode value) {
  TSNode v = rl_js_unwrap(value);
  const char *s;
  size_t l;
  if (is_string_star(st, v)) {
    TSNode fn = rl_js_enclosing_function(n);
    for (size_t i = 0; i < st->nstar; i++)
      if (ts_node_eq(st->star_fn[i], fn)) return;
    if (report(st, n, "Access-Control-Allow-Origin: *") && st->nstar < MAX_STAR_FNS) st->star_fn[st->nstar++] = fn;
    return;
  }
  /* null is sent as the text "null" (String(null)) by setHeader and set */
  if (type_is(v, "null") || (rl_js_eval_string(st->jf, v, &s, &l) && l == 4 && !memcmp(s, "null", 4))) {
    if (credentials_near(st, n))
      report(st, n,
             "Access-Control-Allow-Origin: null with Access-Control-Allow-Credentials: true (any site can send "
             "Origin: null from a sandboxed iframe)");
    return;
  }
  if (!rl_cors_request_origin(st->jf, v) || origin_checked(st, n, v)) return;
  /* what was read, as written: `origin = req.headers.origin` for a local */
  TSNode read = v;
  if (type_is(read, "binary_expression")) read = rl_js_unwrap(field(read, "left"));
  const char *name = NULL;
  size_t nl = 0, tl;
  if (type_is(read, "identifier")) {
    name = rl_js_text(st->jf, read, &nl);
    TSNode init = rl_js_unwrap(rl_js_local_init(st->jf, read));
    if (!ts_node_is_null(init)) read = init;
  }
  const char *t = rl_js_text(st->jf, read, &tl);
  if (tl > 48) tl = 48;
  int chosen = 0; /* ?origin=... or a body field: the request names any origin it likes */
  for (size_t i = 0; i + 5 <= tl && !chosen; i++)
    chosen = !memcmp(t + i, "query", 5) || !memcmp(t + i, "body", 4) || !memcmp(t + i, "Param", 5);
  report(st, n,
         rl_arena_printf(rl_ctx_arena(st->ctx),
                         "Access-Control-Allow-Origin set to %s (%.*s%s%.*s; any origin is echoed)",
                         chosen ? "an origin the request chooses" : "the request's Origin", (int)nl, name ? name : "",
                         name ? " = " : "", (int)tl, t));
}

/* socket.io: `new Server(http, { cors: {...} })`, `require('socket.io')(http,
 * {...})`: its cors option goes to the cors package as it is (no cors
 * option: no CORS headers, same-origin only). */
static void judge_socketio(state *st, TSNode n) {
  const char *c = rl_js_callee(st->jf, n);
  if (!c || (strcmp(c, "socket.io:Server") && strcmp(c, "socket.io:"))) return;
  TSNode opts = {{0}, NULL, NULL};
  for (uint32_t i = 0; i < 2 && ts_node_is_null(opts); i++) opts = rl_js_object_of(st->jf, rl_js_call_arg(n, i));
  TSNode co = rl_js_object_of(st->jf, rl_js_object_get(st->jf, opts, "cors"));
  if (ts_node_is_null(co)) return;
  const char *what = rl_cors_options_judge(st->jf, rl_ctx_arena(st->ctx), RL_CORS_EXPRESS, co, 1);
  if (!what || !st->sio_route) return;
  /* it governs socket.io's own HTTP endpoint, not the app's routes */
  if (!strncmp(what, "cors() without", 14)) what = "no origin (the cors package then allows '*')";
  rl_report(st->ctx, n,
            "socket.io's cors option with %s lets any website connect to this server's socket.io endpoint from a "
            "visitor's browser (the file also serves %s): set origin to an allow-list of your front-end origins",
            what, st->sio_route);
}

/* canon (what expr resolves to), or, when it names a project file's
 * re-export of a cors package (`import { cors } from './imports'`, which
 * has `import cors from 'cors'; export { cors }`), the package's binding as
 * the project model follows it. Only names that say cors are asked. */
static const char *cors_package_of(state *st, const char *canon, TSNode expr) {
  const char *colon = canon ? strchr(canon, ':') : NULL;
  if (!colon || colon == canon || !rl_memcasemem(colon, strlen(colon), "cors")) return canon;
  const char *pkg = rl_ctx_package_alias(st->ctx, expr);
  return pkg ? pkg : canon;
}

static int visit(void *data, TSNode n) {
  state *st = data;
  const char *t = ts_node_type(n);
  if (!strcmp(t, "new_expression")) {
    judge_socketio(st, n);
    return 0;
  }
  if (!strcmp(t, "pair")) {
    if (is_acao(st, field(n, "key"))) judge_header(st, n, field(n, "value"));
    return 0;
  }
  if (strcmp(t, "call_expression")) return 0;
  TSNode fn = rl_js_unwrap(field(n, "function"));
  if (type_is(fn, "member_expression")) {
    TSNode prop = field(fn, "property");
    /* res.setHeader('Access-Control-Allow-Origin', '*') and friends */
    if ((rl_js_text_is(st->jf, prop, "setHeader") || rl_js_text_is(st->jf, prop, "header") ||
         rl_js_text_is(st->jf, prop, "set") || rl_js_text_is(st->jf, prop, "append") ||
         rl_js_text_is(st->jf, prop, "appendHeader")) && /* Twilio Functions' Response, Node 18.3+ */
        is_acao(st, rl_js_unwrap(rl_js_call_arg(n, 0)))) {
      judge_header(st, n, rl_js_call_arg(n, 1));
      return 0;
    }
    /* fastify.register(cors, { origin: '*' }) */
    if (rl_js_text_is(st->jf, prop, "register")) {
      TSNode plugin = rl_js_unwrap(rl_js_call_arg(n, 0));
      const char *c = cors_package_of(st, rl_js_resolve(st->jf, plugin), plugin);
      if (c && (!strcmp(c, "@fastify/cors:") || !strcmp(c, "fastify-cors:"))) {
        TSNode arg = rl_js_call_arg(n, 1);
        const char *what = rl_cors_options_judge(st->jf, rl_ctx_arena(st->ctx), RL_CORS_FASTIFY,
                                                 rl_js_object_of(st->jf, arg), !ts_node_is_null(arg));
        if (what) report(st, n, what);
      }
      return 0;
    }
  }
  judge_socketio(st, n);
  const char *c = cors_package_of(st, rl_js_callee(st->jf, n), fn);
  if (!c) return 0;
  /* NestJS @Header('Access-Control-Allow-Origin', '*') on a route method */
  if (!strcmp(c, "@nestjs/common:Header") && type_is(rl_js_parent(n), "decorator") &&
      is_acao(st, rl_js_unwrap(rl_js_call_arg(n, 0)))) {
    TSNode v = rl_js_unwrap(rl_js_call_arg(n, 1));
    if (is_string_star(st, v)) report(st, n, "@Header('Access-Control-Allow-Origin', '*')");
    return 0;
  }
  rl_cors_lib l;
  if (!strcmp(c, "cors:"))
    l = RL_CORS_EXPRESS;
  else if (!strcmp(c, "@koa/cors:") || !strcmp(c, "kcors:") || !strcmp(c, "koa2-cors:"))
    l = RL_CORS_KOA;
  else if (!strcmp(c, "hono/cors:cors"))
    l = RL_CORS_HONO;
  else if (!strcmp(c, "@elysiajs/cors:cors") || !strcmp(c, "@elysiajs/cors:"))
    l = RL_CORS_ELYSIA;
  else
    return 0;
  TSNode arg = rl_js_call_arg(n, 0);
  const char *what =
      rl_cors_options_judge(st->jf, rl_ctx_arena(st->ctx), l, rl_js_object_of(st->jf, arg), !ts_node_is_null(arg));
  /* cors((req, callback) => callback(null, { origin: req.header('Origin') })) */
  if (!what && l == RL_CORS_EXPRESS) what = rl_cors_delegate_judge(st->jf, rl_ctx_arena(st->ctx), arg);
  if (what) report(st, n, what);
  return 0;
}

/* ---- headers objects another module holds (Supabase's _shared/cors.ts) ---------- */

typedef struct import_use {
  state *st;
  const char *canon; /* what the import binds ("../_shared/cors.ts:corsHeaders") */
  int decided;       /* 1: the headers allow every origin, -1: they do not */
  int is_function;   /* a function that answers with them: only its calls */
  const char *what;
  rl_site rel;
} import_use;

static int is_import_binding(TSNode n) {
  TSNode p = rl_js_parent(n);
  return type_is(p, "import_specifier") || type_is(p, "import_clause") || type_is(p, "namespace_import");
}

static int use_visit(void *data, TSNode n) {
  import_use *u = data;
  state *st = u->st;
  if (is_import_binding(n)) return 0;
  const char *canon = rl_js_resolve(st->jf, n);
  if (!canon || strcmp(canon, u->canon)) return 0; /* a local of the same name */
  if (!u->decided) {
    size_t nl;
    const char *name = rl_js_text(st->jf, n, &nl);
    const rl_symbol *sym = NULL;
    u->decided = -1;
    const char *pkg = rl_cors_package_star_headers(canon) ? canon : rl_ctx_package_alias(st->ctx, n);
    if (rl_cors_package_star_headers(pkg)) {
      u->decided = 1;
      u->what = rl_arena_printf(rl_ctx_arena(st->ctx),
                                "Access-Control-Allow-Origin: * (%.*s from @supabase/supabase-js/cors, which allows "
                                "every origin)",
                                (int)nl, name);
    } else if ((sym = rl_ctx_value(st->ctx, n)) && sym->cors_star) {
      u->decided = 1;
      u->is_function = sym->kind == RL_SYM_FUNCTION || sym->kind == RL_SYM_METHOD;
      u->rel = sym->cors_at;
      u->what = rl_arena_printf(rl_ctx_arena(st->ctx), "Access-Control-Allow-Origin: * (%s %.*s%s, from %s:%u)",
                                u->is_function ? "answered by" : "in", (int)nl, name, u->is_function ? "()" : "",
                                sym->cors_at.path, sym->cors_at.line);
    }
  }
  if (u->decided < 0) return -1;
  TSNode at = n, p = rl_js_parent(n);
  if (u->is_function) {
    if (!type_is(p, "call_expression") || !ts_node_eq(field(p, "function"), n)) return 0;
    at = p;
  }
  TSNode fn = rl_js_enclosing_function(at);
  for (size_t i = 0; i < st->nstar; i++)
    if (ts_node_eq(st->star_fn[i], fn)) return 0;
  if (report_with(st, at, u->what, u->rel.path ? &u->rel : NULL,
                  "the Access-Control-Allow-Origin: * header is written here") &&
      st->nstar < MAX_STAR_FNS)
    st->star_fn[st->nstar++] = fn;
  return 0;
}

static void judge_imported_name(state *st, TSNode local) {
  const char *canon = rl_js_resolve(st->jf, local);
  if (!canon || !strchr(canon, ':')) return;
  size_t l;
  const char *name = rl_js_text(st->jf, local, &l);
  import_use u = {st, canon, 0, 0, NULL, {NULL, 0, 0}};
  rl_js_idents_named(st->jf, st->root, name, l, use_visit, &u);
}

/* Headers imported from another module and sent by this file's token or
 * room routes: `import { corsHeaders } from '../_shared/cors.ts'` (or
 * `const { corsHeaders } = require('./cors')`), then `{ headers: corsHeaders }`,
 * `{ ...corsHeaders }`, or a call of an imported helper that answers with
 * them (`jsonResponse(body)`): the model's summary of that module says
 * whether they hold Access-Control-Allow-Origin: * (rl_symbol.cors_star). */
static void judge_imported_headers(state *st) {
  TSNode root = st->root;
  for (uint32_t i = 0; i < ts_node_named_child_count(root); i++) {
    TSNode stmt = ts_node_named_child(root, i);
    if (type_is(stmt, "import_statement")) {
      for (uint32_t k = 0; k < ts_node_named_child_count(stmt); k++) {
        TSNode c = ts_node_named_child(stmt, k);
        if (!type_is(c, "import_clause")) continue;
        for (uint32_t j = 0; j < ts_node_named_child_count(c); j++) {
          TSNode d = ts_node_named_child(c, j);
          if (type_is(d, "identifier")) judge_imported_name(st, d);
          if (!type_is(d, "named_imports")) continue;
          for (uint32_t q = 0; q < ts_node_named_child_count(d); q++) {
            TSNode is = ts_node_named_child(d, q);
            if (!type_is(is, "import_specifier")) continue;
            TSNode al = field(is, "alias");
            TSNode local = ts_node_is_null(al) ? field(is, "name") : al;
            if (type_is(local, "identifier")) judge_imported_name(st, local);
          }
        }
      }
    } else if (type_is(stmt, "lexical_declaration") || type_is(stmt, "variable_declaration")) {
      /* const { corsHeaders } = require('./cors') */
      for (uint32_t k = 0; k < ts_node_named_child_count(stmt); k++) {
        TSNode vd = ts_node_named_child(stmt, k);
        TSNode pat = field(vd, "name"), v = rl_js_unwrap(field(vd, "value"));
        if (!type_is(pat, "object_pattern") || !type_is(v, "call_expression") ||
            !rl_js_text_is(st->jf, rl_js_unwrap(field(v, "function")), "require"))
          continue;
        for (uint32_t q = 0; q < ts_node_named_child_count(pat); q++) {
          TSNode e = ts_node_named_child(pat, q);
          if (type_is(e, "pair_pattern")) e = field(e, "value");
          if (type_is(e, "shorthand_property_identifier_pattern") || type_is(e, "identifier"))
            judge_imported_name(st, e);
        }
      }
    }
  }
}

/* A NestJS controller's token or room route, and the app's main.ts
 * enabling CORS for every origin (the model reads main.ts): reported at
 * the route, with main.ts's call as the related place. */
static void judge_nest_bootstrap(state *st) {
  const char *path;
  uint32_t line;
  const char *what = rl_ctx_nest_cors(st->ctx, &path, &line);
  if (!what) return;
  rl_ctx_related(st->ctx, path, line, 1, "the app's CORS policy is enabled here");
  rl_report(st->ctx, st->nest,
            "NestJS %s in %s:%u lets any website call %s from a visitor's browser: set origin to an allow-list of "
            "your front-end origins",
            what, path, line, st->route);
}

/* Express: a server file that mounts routers (`app.use('/api', require('./routes/video'))`;
 * Fastify's `server.register(routes, { prefix: '/api' })` the same)
 * takes the first token or room route of each router that has one, read by
 * the project model, at the path it is mounted at: a CORS policy set here
 * that covers that path covers it. */
static void mount_targets(state *st) {
  size_t nm;
  const rl_mount *ms = rl_mounts(st->jf, st->root, &nm);
  for (size_t k = 0; k < nm; k++) {
    const rl_mount *u = &ms[k];
    TSNode args = field(u->call, "arguments");
    /* Fastify's register(plugin, { prefix }): the plugin is the first argument */
    for (uint32_t i = 0; i < (u->is_register ? 1 : u->nargs); i++) {
      size_t sl;
      const char *spec;
      if (!rl_js_module_ref(st->jf, ts_node_named_child(args, i), &spec, &sl, NULL) || !sl ||
          (spec[0] != '.' && spec[0] != '@' && spec[0] != '~' && spec[0] != '/'))
        continue;
      const char *path;
      uint32_t line;
      const char *route = rl_ctx_module_room_route(st->ctx, spec, sl, &path, &line);
      if (!route) continue;
      /* "POST /token" or "/token": the path below the mount */
      const char *rp = strchr(route, ' ');
      rp = rp ? rp + 1 : route;
      const char *mp = u->path ? u->path : "";
      size_t ml = u->path ? u->path_len : 0;
      while (ml && mp[ml - 1] == '/') ml--;
      const char *full = !strcmp(rp, "*") ? "*" : rl_arena_printf(rl_ctx_arena(st->ctx), "%.*s%s", (int)ml, mp, rp);
      TSNode none = {{0}, NULL, NULL};
      /* named as the app serves it: the mount's path in front (router.post('/')
       * mounted at /twilio is POST /twilio) */
      const char *served = ml && !strcmp(rp, "/") ? rl_arena_printf(rl_ctx_arena(st->ctx), "%.*s", (int)ml, mp) : full;
      const char *shown = rp == route
                              ? served
                              : rl_arena_printf(rl_ctx_arena(st->ctx), "%.*s %s", (int)(rp - 1 - route), route, served);
      add_target(st, rl_js_unwrap(u->recv), full, none,
                 rl_arena_printf(rl_ctx_arena(st->ctx), "%s (%s:%u)", shown, path, line), path, line);
    }
  }
}

static void on_file(rl_ctx *ctx) {
  state st;
  memset(&st, 0, sizeof st);
  st.ctx = ctx, st.jf = rl_ctx_js(ctx), st.root = rl_ctx_root(ctx), st.cf.walks = RL_CORS_WALKS;
  if (!st.jf) return;
  rl_routes_each(st.jf, st.root, NULL, on_route, &st);
  if (!st.route) mount_targets(&st);
  if (!st.route) return;
  if (!ts_node_is_null(st.nest)) judge_nest_bootstrap(&st);
  rl_js_walk(st.root, visit, &st);
  judge_imported_headers(&st);
}

/* "Controller(": a NestJS controller, whose CORS policy is in main.ts */
static const char *const needles[] = {"cors",        "Cors",        "CORS",        "llow-Origin",
                                      "llow-origin", "LLOW-ORIGIN", "Controller(", NULL};

/* Every finding names a token or room route: the file's first (on_file
 * returns before looking at CORS when rl_routes_each calls back for none and
 * no router it mounts has one), so a file where no route can be registered
 * and no project file is imported cannot fire: can_fire below, with
 * rl_routes_possible asked with the path on_file passes (NULL: the
 * source's path, the one pf has). */

/* Routes in this file (rl_routes_possible), or a use() / register() that may
 * mount a project file's router or plugin (a relative or aliased specifier in
 * the bytes). */
static int can_fire(rl_prefilter *pf) {
  if (rl_routes_possible(pf)) return 1;
  if (!rl_pf_has(pf, "use") && !rl_pf_has(pf, "register")) return 0;
  static const char *const local[] = {"'./", "\"./", "`./", "'../", "\"../", "`../",
                                      "'@/", "\"@/", "'~/", "\"~/", NULL};
  for (size_t i = 0; local[i]; i++)
    if (rl_pf_has(pf, local[i])) return 1;
  return 0;
}

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
    .can_fire = can_fire,
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
