/* secret-in-response: a server route sends a secret to the client.
 *
 * Sinks, inside a route handler found by rules/routes.c:
 *   <res>.json/send/end/jsonp(x) (also through res.status(200).json(x)),
 *   reply.send(x), c.json/text(x) (Hono), ctx.body = x / ctx.response.body = x,
 *   the returned value of a Nuxt defineEventHandler,
 *   NextResponse.json(x), Response.json(x), new Response(x) /
 *   new NextResponse(x) (JSON.stringify(y) is looked through), and the
 *   returned value of a NestJS controller method or a Fastify handler.
 * The payload x, or an object literal it names through a const/let in the
 * file, is searched (nested objects too) for:
 *   - a value read from a secret-named env var (process.env.HMS_APP_SECRET,
 *     also through a const and `||`/`??` fallbacks, config.get('X_SECRET'));
 *   - a management token minted in the handler (rules/mint.h) or a
 *     management-token-named value;
 *   - a secret-named key (rl_name_is_secret) whose value is not redacted:
 *     booleans, `!!x`, comparisons, typeof, lengths, numbers, mask()/hash()
 *     calls and placeholder strings are not the secret;
 *   - a secret-named identifier or member (APP_SECRET, config.appSecret).
 * A token minted in the handler for the user ({ token }, { authToken }) is
 * the point of a token route and is not reported unless it is a management
 * token; token-named keys are reported only with a known secret value.
 * A call of a function another file exports (through the project model)
 * is judged by what that function returns: a secret environment variable
 * or a management token it mints is reported with its name and place.
 * Stripe's PaymentIntent `client_secret` is meant for the browser and is not
 * reported. */
#include <string.h>

#include "analysis.h"
#include "bindname.h"
#include "project.h"
#include "summary.h"
#include "mint.h"
#include "routes.h"
#include "rule.h"
#include "util.h"

extern const char rl_doc__secret_in_response[];

#define ALL_ENV "process.env (every environment variable)"
#define MGMT "a 100ms management token"

typedef struct state {
  rl_ctx *ctx;
  rl_jsfile *jf;
  TSNode root;
  const rl_route *r;
} state;

static int type_is(TSNode n, const char *t) { return !ts_node_is_null(n) && !strcmp(ts_node_type(n), t); }

static TSNode field(TSNode n, const char *name) { return rl_js_field(n, name); }

typedef struct wordflags {
  int token, management, redact;
} wordflags;

static int flag_word(void *data, const char *w, size_t n) {
  wordflags *f = data;
  if (rl_word_is(w, n, "token") || rl_word_is(w, n, "tokens")) f->token = 1;
  if (rl_word_is(w, n, "management") || rl_word_is(w, n, "mgmt")) f->management = 1;
  static const char *const redact[] = {"mask",  "masked",  "redact",      "redacted",  "hash", "hashed",
                                       "last4", "preview", "fingerprint", "obfuscate", "hint", NULL};
  for (size_t i = 0; redact[i]; i++)
    if (rl_word_is(w, n, redact[i])) f->redact = 1;
  return 0;
}

static wordflags flags_of(const char *s, size_t n) {
  wordflags f = {0, 0, 0};
  if (s) rl_name_words(s, n, flag_word, &f);
  return f;
}

static const char *route_name(state *st) {
  const rl_route *r = st->r;
  if (!strcmp(r->method, "*")) return r->path;
  return rl_arena_printf(rl_ctx_arena(st->ctx), "%s %s", r->method, r->path);
}

/* A value that says something about a secret without being it. */
static int redacted(state *st, TSNode v, int depth) {
  if (depth > 4) return 0;
  const char *t = ts_node_type(v);
  if (!strcmp(t, "true") || !strcmp(t, "false") || !strcmp(t, "number") || !strcmp(t, "null") ||
      !strcmp(t, "undefined"))
    return 1;
  if (!strcmp(t, "unary_expression")) return 1; /* !x, !!x, typeof x, void x */
  if (!strcmp(t, "binary_expression")) {
    size_t ol;
    const char *op = rl_js_text(st->jf, field(v, "operator"), &ol);
    return !(rl_word_is(op, ol, "||") || rl_word_is(op, ol, "??") || rl_word_is(op, ol, "+"));
  }
  if (!strcmp(t, "member_expression") && rl_js_text_is(st->jf, field(v, "property"), "length")) return 1;
  if (!strcmp(t, "call_expression")) {
    size_t l;
    const char *s = rl_js_text(st->jf, field(v, "function"), &l);
    if (rl_word_is(s, l, "Boolean") || rl_word_is(s, l, "Number")) return 1;
    if (flags_of(s, l).redact) return 1;
  }
  if (!strcmp(t, "ternary_expression")) {
    TSNode a = rl_js_unwrap(field(v, "consequence")), b = rl_js_unwrap(field(v, "alternative"));
    return redacted(st, a, depth + 1) && redacted(st, b, depth + 1);
  }
  if (!strcmp(t, "string") || !strcmp(t, "template_string")) {
    const char *s;
    size_t l;
    if (!rl_js_string_value(st->jf, v, &s, &l)) return 1;
    return !rl_value_looks_secret(s, l) || memchr(s, '*', l) != NULL;
  }
  return 0;
}

/* env var read by v (directly, through `||`/`??`, or config.get('X')). */
static int env_name_at(state *st, TSNode v, const char **name, size_t *len, int depth);

static int env_name(state *st, TSNode v, const char **name, size_t *len) { return env_name_at(st, v, name, len, 0); }

static int env_name_at(state *st, TSNode v, const char **name, size_t *len, int depth) {
  v = rl_js_unwrap(v);
  if (depth > 4) return 0;
  if (rl_js_env_read(st->jf, v, name, len)) return 1;
  if (type_is(v, "binary_expression")) {
    size_t ol;
    const char *op = rl_js_text(st->jf, field(v, "operator"), &ol);
    if (rl_word_is(op, ol, "||") || rl_word_is(op, ol, "??"))
      return env_name_at(st, field(v, "left"), name, len, depth + 1) ||
             env_name_at(st, field(v, "right"), name, len, depth + 1);
    return 0;
  }
  if (type_is(v, "call_expression")) {
    /* configService.get('HMS_APP_SECRET'), config.get<string>('X') */
    TSNode fn = field(v, "function");
    if (type_is(fn, "member_expression") && rl_js_text_is(st->jf, field(fn, "property"), "get")) {
      const char *s;
      size_t l;
      if (rl_js_string_value(st->jf, rl_js_call_arg(v, 0), &s, &l) && l > 0) {
        int upper = 1;
        for (size_t i = 0; i < l; i++)
          if ((s[i] >= 'a' && s[i] <= 'z') || s[i] == '.' || s[i] == '/') upper = 0;
        if (upper) {
          *name = s;
          *len = l;
          return 1;
        }
      }
    }
  }
  return 0;
}

static void report(state *st, TSNode at, const char *what, size_t n) {
  rl_report(st->ctx, at,
            "%.*s returned in the response body of %s: keep it on the server and send only what the client needs",
            (int)n, what, route_name(st));
}

/* A call of a function another file exports (the project model,
 * facts/returns.c), directly or through a const: the secret or management
 * token it returns is reported with the function's name and place; any
 * other token it mints is the user's own. 1 when the call was judged. */
static int imported(state *st, TSNode at, TSNode v) {
  if (type_is(v, "identifier")) v = rl_js_unwrap(rl_js_const_init(st->jf, v));
  if (!type_is(v, "call_expression")) return 0;
  const rl_symbol *x = rl_ctx_callee(st->ctx, v);
  if (!x || !(x->effects & (RL_EFF_RETURNS_SECRET | RL_EFF_RETURNS_TOKEN))) return 0;
  size_t fl;
  const char *ft = rl_js_text(st->jf, field(v, "function"), &fl);
  rl_arena *a = rl_ctx_arena(st->ctx);
  const char *fn = fl <= 48 && !memchr(ft, '\n', fl) ? rl_arena_printf(a, "%.*s", (int)fl, ft) : "the function";
  const char *what;
  if (x->effects & RL_EFF_RETURNS_SECRET)
    what = rl_arena_printf(a, "the secret %s from %s (%s:%u)", x->secret_name, fn, x->def.path, x->def.line);
  else if (x->returns_management)
    what = rl_arena_printf(a, "a management token from %s (%s:%u, minted with %s)", fn, x->def.path, x->def.line,
                           x->returns_what);
  else
    return 1; /* the user's own token */
  report(st, at, what, strlen(what));
  return 1;
}

/* Judges one value sent to the client; key is its key (NULL at top level). */
static void check_value(state *st, TSNode at, const char *key, size_t keylen, TSNode v, int depth) {
  v = rl_js_unwrap(v);
  if (ts_node_is_null(v) || depth > 4) return;
  int key_secret = key && rl_name_is_secret(key, keylen);
  wordflags kf = flags_of(key, keylen);
  if (redacted(st, v, 0)) return;

  rl_mint m;
  if (rl_mint_token_expr(st->jf, v, &m)) {
    if (m.is_management) report(st, at, MGMT, strlen(MGMT));
    return; /* the user's own token: what a token route is for */
  }
  if (imported(st, at, v)) return;
  const char *env;
  size_t envlen;
  if (env_name(st, v, &env, &envlen)) {
    if (rl_name_is_secret(env, envlen))
      report(st, at, env, envlen);
    else if (key_secret && (!kf.token || kf.management))
      report(st, at, key, keylen);
    return;
  }
  const char *t = ts_node_type(v);
  if (!strcmp(t, "identifier") || !strcmp(t, "shorthand_property_identifier")) {
    size_t l;
    const char *s = rl_js_text(st->jf, v, &l);
    if (rl_word_is(s, l, "undefined")) return;
    TSNode init = rl_js_local_init(st->jf, v); /* `const token = ...` in each of several handlers */
    if (!ts_node_is_null(init) && rl_mint_token_expr(st->jf, init, &m)) {
      if (m.is_management) report(st, at, MGMT, strlen(MGMT));
      return;
    }
    wordflags vf = flags_of(s, l);
    if (!ts_node_is_null(init) && !type_is(rl_js_unwrap(init), "object")) {
      TSNode ui = rl_js_unwrap(init);
      if (rl_mint_token_expr(st->jf, ui, &m) || env_name(st, ui, &env, &envlen) || type_is(ui, "string") ||
          type_is(ui, "template_string")) {
        check_value(st, at, rl_name_is_secret(s, l) ? s : key, rl_name_is_secret(s, l) ? l : keylen, ui, depth + 1);
        return;
      }
    }
    if (rl_name_is_secret(s, l) && (!vf.token || vf.management))
      report(st, at, s, l);
    else if (vf.management && vf.token)
      report(st, at, s, l);
    return;
  }
  if (!strcmp(t, "member_expression")) {
    size_t l;
    const char *p = rl_js_text(st->jf, field(v, "property"), &l);
    if (rl_word_is(p, l, "client_secret") || rl_word_is(p, l, "clientSecret"))
      return; /* Stripe: meant for the browser */
    wordflags pf = flags_of(p, l);
    if (rl_name_is_secret(p, l) && (!pf.token || pf.management)) {
      size_t dl;
      const char *d = rl_js_text(st->jf, v, &dl);
      report(st, at, d, dl);
    }
    return;
  }
  if (!strcmp(t, "string") || !strcmp(t, "template_string")) {
    if (key_secret && (!kf.token || kf.management)) {
      rl_ctx_mark_secret(st->ctx, ts_node_start_byte(v), ts_node_end_byte(v));
      report(st, at, key, keylen);
    }
    return;
  }
  if (!strcmp(t, "call_expression") || !strcmp(t, "await_expression")) {
    /* a helper that returns a secret: report by the key, except token keys
     * (a helper minting the user's token is the point of the route) */
    if (key_secret && (!kf.token || kf.management)) report(st, at, key, keylen);
    return;
  }
}

typedef struct objwalk {
  state *st;
  int depth;
} objwalk;

static int obj_visit(void *data, TSNode n) {
  objwalk *ow = data;
  state *st = ow->st;
  const char *t = ts_node_type(n);
  if (!strcmp(t, "object")) return 0;
  if (!strcmp(t, "pair")) {
    const char *k;
    size_t kl;
    TSNode v = rl_js_unwrap(field(n, "value"));
    if (type_is(v, "object")) return 0; /* nested: walk into it */
    if (rl_js_pair_key(st->jf, n, &k, &kl)) check_value(st, n, k, kl, v, ow->depth);
    return 1;
  }
  if (!strcmp(t, "shorthand_property_identifier")) {
    size_t kl;
    const char *k = rl_js_text(st->jf, n, &kl);
    check_value(st, n, k, kl, n, ow->depth);
    return 1;
  }
  if (!strcmp(t, "spread_element")) {
    TSNode e = rl_js_unwrap(ts_node_named_child(n, 0));
    if (rl_js_text_is(st->jf, e, "process.env")) report(st, n, ALL_ENV, strlen(ALL_ENV));
    return 1;
  }
  return 1;
}

static void check_payload(state *st, TSNode at, TSNode x) {
  x = rl_js_unwrap(x);
  if (ts_node_is_null(x)) return;
  if (type_is(x, "call_expression") && rl_js_text_is(st->jf, field(x, "function"), "JSON.stringify"))
    x = rl_js_unwrap(rl_js_call_arg(x, 0));
  if (rl_js_text_is(st->jf, x, "process.env")) {
    report(st, at, ALL_ENV, strlen(ALL_ENV));
    return;
  }
  TSNode obj = rl_js_object_of(st->jf, x);
  if (!ts_node_is_null(obj)) {
    objwalk ow = {st, 0};
    rl_js_walk(obj, obj_visit, &ow);
    return;
  }
  check_value(st, at, NULL, 0, x, 0);
}

static int is_res(state *st, TSNode base) {
  if (!type_is(base, "identifier")) return 0;
  size_t l;
  const char *s = rl_js_text(st->jf, base, &l);
  const rl_route *r = st->r;
  if (r->res_name && rl_word_is(s, l, r->res_name)) return 1;
  if (!strcmp(r->framework, "hono") && r->req_name && rl_word_is(s, l, r->req_name)) return 1;
  if (!r->res_name) return rl_word_is(s, l, "res") || rl_word_is(s, l, "response") || rl_word_is(s, l, "reply");
  return 0;
}

static int sink_visit(void *data, TSNode n) {
  state *st = data;
  const char *t = ts_node_type(n);
  const rl_route *r = st->r;
  if (!strcmp(t, "call_expression")) {
    TSNode fn = rl_js_unwrap(field(n, "function"));
    if (!type_is(fn, "member_expression")) return 0;
    size_t pl;
    const char *p = rl_js_text(st->jf, field(fn, "property"), &pl);
    TSNode obj = rl_js_unwrap(field(fn, "object"));
    size_t ol;
    const char *o = rl_js_text(st->jf, obj, &ol);
    if (rl_word_is(p, pl, "json") && ol >= 8 && !memcmp(o + ol - 8, "Response", 8)) {
      check_payload(st, n, rl_js_call_arg(n, 0)); /* NextResponse.json / Response.json */
      return 0;
    }
    if ((rl_word_is(p, pl, "json") || rl_word_is(p, pl, "send") || rl_word_is(p, pl, "end") ||
         rl_word_is(p, pl, "jsonp") || rl_word_is(p, pl, "text")) &&
        is_res(st, rl_js_chain_base(obj)))
      check_payload(st, n, rl_js_call_arg(n, 0));
    return 0;
  }
  if (!strcmp(t, "new_expression")) {
    size_t cl;
    const char *c = rl_js_text(st->jf, field(n, "constructor"), &cl);
    if (rl_word_is(c, cl, "Response") || rl_word_is(c, cl, "NextResponse")) check_payload(st, n, rl_js_call_arg(n, 0));
    return 0;
  }
  if (!strcmp(t, "assignment_expression")) {
    TSNode left = field(n, "left");
    if (type_is(left, "member_expression") && rl_js_text_is(st->jf, field(left, "property"), "body")) {
      TSNode base = rl_js_chain_base(left);
      size_t l;
      const char *s = rl_js_text(st->jf, base, &l);
      if ((r->req_name && rl_word_is(s, l, r->req_name)) || rl_word_is(s, l, "ctx"))
        check_payload(st, n, field(n, "right"));
    }
    return 0;
  }
  if (!strcmp(t, "return_statement")) {
    if (strcmp(r->framework, "nestjs") && strcmp(r->framework, "fastify") && strcmp(r->framework, "nuxt")) return 0;
    if (!ts_node_eq(rl_js_enclosing_function(n), r->handler)) return 0;
    TSNode v = rl_js_unwrap(ts_node_named_child(n, 0));
    if (!ts_node_is_null(v) && !type_is(v, "call_expression")) check_payload(st, n, v);
    return 0;
  }
  if (!strcmp(t, "arrow_function") && !strcmp(r->framework, "fastify") && ts_node_eq(n, r->handler)) {
    /* async (req) => ({ ... }) */
    TSNode body = rl_js_unwrap(field(n, "body"));
    if (type_is(body, "object")) check_payload(st, body, body);
  }
  return 0;
}

static void on_route(void *data, const rl_route *r) {
  state *st = data;
  if (ts_node_is_null(r->handler)) return;
  st->r = r;
  rl_js_walk(r->handler, sink_visit, st);
}

static void on_file(rl_ctx *ctx) {
  state st = {ctx, rl_ctx_js(ctx), rl_ctx_root(ctx), NULL};
  if (!st.jf) return;
  rl_routes_each(st.jf, st.root, NULL, on_route, &st);
}

/* Every secret name holds one of these (secret, password, pwd, pass,
 * passphrase, credential, private/signing key, certificate, token...), and a
 * management token needs "management" or a Token-named call. */
static const char *const needles[] = {"ecret", "ECRET", "ass", "ASS", "wd", "WD", "redential", "REDENTIAL", "ey", "EY",
                                      "ert", "ERT", "oken", "OKEN", "anagement", "ANAGEMENT", "mgmt", "MGMT",
                                      "process.env",
                                      /* rl_summary_possible: a call of another file's function */
                                      "./", "@/", "~/", NULL};

/* Every finding is made inside a route handler (rl_routes_each), so it needs
 * rl_routes_possible. And every finding names what it sends:
 *   - process.env spread or sent whole: the bytes "process.env" (word env);
 *   - a secret-named env var, key, identifier or member: that name is an
 *     identifier run or quoted text (rl_pf_secret_name), except an env name
 *     folded from pieces (process.env['PRIVATE_' + 'KEY'],
 *     Deno.env.get(..)), which still reads an `env` property: word env;
 *   - a management token: 100ms getManagementToken() or a payload
 *     `type: 'management'` (folded, so maybe in pieces: then a jsonwebtoken
 *     or jose mint), or a name with management/mgmt and token words. */
static int can_fire(rl_prefilter *pf) {
  if (!rl_routes_possible(pf)) return 0;
  if (rl_summary_possible(pf)) return 1; /* a call of another file's function */
  if (rl_pf_secret_name(pf) || rl_pf_has_caseless(pf, "management") || rl_pf_has_caseless(pf, "mgmt")) return 1;
  return rl_pf_word(pf, "env") || rl_pf_module(pf, "jsonwebtoken") || rl_pf_module(pf, "jose");
}

const rl_rule rl_rule_secret_in_response = {
    .id = "secret-in-response",
    .title = "Secret sent to the client in a response",
    .severity = RL_SEV_ERROR,
    .cwe = 200,
    .doc = rl_doc__secret_in_response,
    .langs = RL_LANGS_CODE,
    .contexts = RL_CTX_BIT(RL_CTX_SERVER) | RL_CTX_BIT(RL_CTX_UNKNOWN),
    .query = NULL,
    .on_match = NULL,
    .on_file = on_file,
    .needles = needles,
    .can_fire = can_fire,
    .bad_example = "const express = require('express');\n"
                   "const app = express();\n"
                   "app.get('/api/config', (req, res) => {\n"
                   "  res.json({ accessKey: process.env.HMS_ACCESS_KEY, appSecret: process.env.HMS_APP_SECRET });\n"
                   "});\n",
    .good_example =
        "const express = require('express');\n"
        "const app = express();\n"
        "app.get('/api/config', (req, res) => {\n"
        "  res.json({ templateId: process.env.HMS_TEMPLATE_ID, secretConfigured: !!process.env.HMS_APP_SECRET });\n"
        "});\n",
    .precision = "high",
    .security_severity = "9.1",
};
