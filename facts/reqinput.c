/* Request input (reqinput.h): one table of the reads that give the client's
 * data, then the few structural steps (bindings, member reads, wrappers)
 * that carry it on. Adding an API is one line of `shapes`. */
#include "reqinput.h"

#include <string.h>

#include "routes.h"
#include "util.h"

#define MAX_CHAIN 160
#define MAX_DEPTH 16
#define MAX_VIA 60

static int type_is(TSNode n, const char *t) { return !ts_node_is_null(n) && strcmp(ts_node_type(n), t) == 0; }

static TSNode field(TSNode n, const char *name) { return rl_js_field(n, name); }

/* Where a value comes from, as messages say it. */
#define W_BODY "the request body"
#define W_QUERY "the query string"
#define W_PATH "the path parameters"
#define W_HEADERS "the request headers"
#define W_CALL "the callable's data"
#define W_GQL "the GraphQL arguments"
#define W_ACTION "the server action's arguments"

/* A read of the request, as a chain from the request object R: members
 * ".x", calls "()" (no arguments) or "(_)" (some), plain calls "f(R)" and
 * "f(R,_)", constructors "URL(R.url)". */
static const struct shape {
  const char *chain;
  rl_in_kind kind;
  const char *where;
  int callable_only; /* Firebase onCall v2: request.data */
} shapes[] = {
    /* Express, Fastify, Next.js pages, Vercel; Hapi's payload */
    {"R.body", RL_IN_OBJECT, W_BODY, 0},
    {"R.query", RL_IN_OBJECT, W_QUERY, 0},
    {"R.params", RL_IN_OBJECT, W_PATH, 0},
    {"R.payload", RL_IN_OBJECT, W_BODY, 0},
    {"R.headers", RL_IN_OBJECT, W_HEADERS, 0},
    {"R.header(_)", RL_IN_VALUE, W_HEADERS, 0},
    /* Koa (ctx.query and ctx.params are above) */
    {"R.request.body", RL_IN_OBJECT, W_BODY, 0},
    {"R.request.query", RL_IN_OBJECT, W_QUERY, 0},
    {"R.request.headers", RL_IN_OBJECT, W_HEADERS, 0},
    /* Oak (Deno): ctx.request.body.json(), ctx.request.url.searchParams */
    {"R.request.body.json()", RL_IN_OBJECT, W_BODY, 0},
    {"R.request.body.formData()", RL_IN_FORM, W_BODY, 0},
    {"R.request.body.text()", RL_IN_TEXT, W_BODY, 0},
    {"R.request.url.searchParams", RL_IN_FORM, W_QUERY, 0},
    {"R.request.headers.get(_)", RL_IN_VALUE, W_HEADERS, 0},
    /* Fetch API requests: Next.js app routes, Deno, Supabase, Workers, Remix, SvelteKit */
    {"R.json()", RL_IN_OBJECT, W_BODY, 0},
    {"R.formData()", RL_IN_FORM, W_BODY, 0},
    {"R.text()", RL_IN_TEXT, W_BODY, 0},
    {"R.nextUrl.searchParams", RL_IN_FORM, W_QUERY, 0},
    {"R.nextUrl", RL_IN_URL, W_QUERY, 0}, /* const { searchParams } = req.nextUrl */
    {"R.headers.get(_)", RL_IN_VALUE, W_HEADERS, 0},
    {"URL(R.url)", RL_IN_URL, W_QUERY, 0},
    {"URL(R.url,_)", RL_IN_URL, W_QUERY, 0},
    {"URL(R.url).searchParams", RL_IN_FORM, W_QUERY, 0},
    {"URL(R.url,_).searchParams", RL_IN_FORM, W_QUERY, 0},
    /* Hono: c.req */
    {"R.req.json()", RL_IN_OBJECT, W_BODY, 0},
    {"R.req.parseBody()", RL_IN_OBJECT, W_BODY, 0},
    {"R.req.formData()", RL_IN_FORM, W_BODY, 0},
    {"R.req.text()", RL_IN_TEXT, W_BODY, 0},
    {"R.req.query()", RL_IN_OBJECT, W_QUERY, 0},
    {"R.req.queries()", RL_IN_OBJECT, W_QUERY, 0},
    {"R.req.param()", RL_IN_OBJECT, W_PATH, 0},
    {"R.req.query(_)", RL_IN_VALUE, W_QUERY, 0},
    {"R.req.param(_)", RL_IN_VALUE, W_PATH, 0},
    {"R.req.header(_)", RL_IN_VALUE, W_HEADERS, 0},
    {"URL(R.req.url)", RL_IN_URL, W_QUERY, 0},
    /* AWS Lambda and Netlify functions: event.body is a string */
    {"R.queryStringParameters", RL_IN_OBJECT, W_QUERY, 0},
    {"R.multiValueQueryStringParameters", RL_IN_OBJECT, W_QUERY, 0},
    {"R.pathParameters", RL_IN_OBJECT, W_PATH, 0},
    /* Nuxt / h3 */
    {"readBody(R)", RL_IN_OBJECT, W_BODY, 0},
    {"readFormData(R)", RL_IN_FORM, W_BODY, 0},
    {"readRawBody(R)", RL_IN_TEXT, W_BODY, 0},
    {"getQuery(R)", RL_IN_OBJECT, W_QUERY, 0},
    {"getRouterParams(R)", RL_IN_OBJECT, W_PATH, 0},
    {"getRouterParam(R,_)", RL_IN_VALUE, W_PATH, 0},
    {"getHeader(R,_)", RL_IN_VALUE, W_HEADERS, 0},
    /* Firebase callable v2: onCall((request) => request.data) */
    {"R.data", RL_IN_OBJECT, W_CALL, 1},
};

/* NestJS parameter decorators: @Body() dto, @Body('role') role. */
static const struct deco {
  const char *name;
  const char *where;
} decos[] = {
    {"Body", W_BODY}, {"Query", W_QUERY}, {"Param", W_PATH}, {"Headers", W_HEADERS}, {"Args", W_GQL},
};

static int eq(const char *s, size_t l, const char *want) { return strlen(want) == l && !memcmp(s, want, l); }

static int is_req(const rl_reqin *in, const char *s, size_t l) {
  for (uint32_t i = 0; i < in->nreq; i++)
    if (eq(s, l, in->req[i])) return 1;
  return 0;
}

typedef struct chain {
  char b[MAX_CHAIN];
  size_t n;
  int ok;
} chain;

static void put(chain *c, const char *s, size_t l) {
  if (!c->ok || c->n + l >= sizeof c->b) {
    c->ok = 0;
    return;
  }
  memcpy(c->b + c->n, s, l);
  c->n += l;
  c->b[c->n] = '\0';
}

static void puts_(chain *c, const char *s) { put(c, s, strlen(s)); }

static void chain_of(const rl_reqin *in, TSNode n, chain *c, int depth);

/* "f(R)" / "f(R,_)": a plain call or a constructor with the request first. */
static void chain_call(const rl_reqin *in, TSNode callee, TSNode args_of, chain *c, int depth) {
  size_t l;
  const char *s = rl_js_text(in->jf, callee, &l);
  put(c, s, l);
  puts_(c, "(");
  chain_of(in, rl_js_call_arg(args_of, 0), c, depth + 1);
  if (!ts_node_is_null(rl_js_call_arg(args_of, 1))) puts_(c, ",_");
  puts_(c, ")");
}

static void chain_of(const rl_reqin *in, TSNode n, chain *c, int depth) {
  n = rl_js_unwrap(n);
  if (depth > MAX_DEPTH || ts_node_is_null(n)) {
    c->ok = 0;
    return;
  }
  size_t l;
  const char *s;
  if (type_is(n, "identifier")) {
    s = rl_js_text(in->jf, n, &l);
    if (is_req(in, s, l))
      puts_(c, "R");
    else
      c->ok = 0;
  } else if (type_is(n, "member_expression")) {
    chain_of(in, field(n, "object"), c, depth + 1);
    TSNode p = field(n, "property");
    if (!type_is(p, "property_identifier")) {
      c->ok = 0;
      return;
    }
    s = rl_js_text(in->jf, p, &l);
    puts_(c, ".");
    put(c, s, l);
  } else if (type_is(n, "call_expression")) {
    TSNode fn = rl_js_unwrap(field(n, "function"));
    if (type_is(fn, "member_expression")) {
      chain_of(in, fn, c, depth + 1);
      puts_(c, ts_node_is_null(rl_js_call_arg(n, 0)) ? "()" : "(_)");
    } else if (type_is(fn, "identifier")) {
      chain_call(in, fn, n, c, depth);
    } else {
      c->ok = 0;
    }
  } else if (type_is(n, "new_expression")) {
    TSNode k = field(n, "constructor");
    if (type_is(k, "identifier"))
      chain_call(in, k, n, c, depth);
    else
      c->ok = 0;
  } else {
    c->ok = 0;
  }
}

/* The read as written, for messages: one line, at most MAX_VIA bytes, with
 * the `await` before it. */
static const char *via_text(const rl_reqin *in, TSNode n) {
  for (int i = 0; i < 4; i++) {
    TSNode p = rl_js_parent(n);
    while (type_is(p, "parenthesized_expression")) p = rl_js_parent(p);
    if (type_is(p, "member_expression") && rl_js_text_is(in->jf, field(p, "property"), "catch") &&
        type_is(rl_js_parent(p), "call_expression")) {
      n = rl_js_parent(p); /* req.json().catch(() => ({})) */
      continue;
    }
    if (type_is(p, "await_expression")) n = p;
    break;
  }
  size_t l;
  const char *s = rl_js_text(in->jf, n, &l);
  size_t k = 0;
  while (k < l && s[k] != '\n' && s[k] != '\r') k++;
  if (k > MAX_VIA) return rl_arena_printf(in->arena, "%.*s...", MAX_VIA, s);
  if (k < l) return rl_arena_printf(in->arena, "%.*s...", (int)k, s);
  return rl_arena_strndup(in->arena, s, l);
}

static int from_table(const rl_reqin *in, TSNode n, rl_in *out) {
  if (!type_is(n, "member_expression") && !type_is(n, "call_expression") && !type_is(n, "new_expression")) return 0;
  chain c;
  c.n = 0;
  c.ok = 1;
  c.b[0] = '\0';
  chain_of(in, n, &c, 0);
  if (!c.ok) return 0;
  for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
    if (strcmp(shapes[i].chain, c.b) != 0 || (shapes[i].callable_only && !in->callable)) continue;
    out->kind = shapes[i].kind;
    out->desc = rl_arena_printf(in->arena, "%s (%s)", shapes[i].where, via_text(in, n));
    out->read = n;
    return 1;
  }
  return 0;
}

static const rl_reqin_bind *bound(const rl_reqin *in, const char *s, size_t l) {
  for (uint32_t i = in->nbinds; i > 0; i--)
    if (in->binds[i - 1].len == l && !memcmp(in->binds[i - 1].name, s, l)) return &in->binds[i - 1];
  return NULL;
}

static int of_rec(const rl_reqin *in, TSNode e, rl_in *out, int depth);

/* A value that keeps being the request's through a conversion. */
static int value_through(const rl_reqin *in, TSNode inner, rl_in *out, int depth) {
  rl_in v;
  if (!of_rec(in, inner, &v, depth + 1) || (v.kind != RL_IN_VALUE && v.kind != RL_IN_TEXT)) return 0;
  *out = v;
  out->kind = RL_IN_VALUE;
  return 1;
}

static int of_rec(const rl_reqin *in, TSNode e, rl_in *out, int depth);
typedef struct carry_find {
  const rl_reqin *in;
  const char *name;
  size_t len;
  int depth;
  const struct carry_find *up; /* the names being followed: `ttl = parseInt(ttl)` ends */
  const char *desc;
  TSNode read;
} carry_find;
static const char *carry_rec(const rl_reqin *in, TSNode e, TSNode *read, int depth, const carry_find *up);
static void bind(rl_reqin *in, TSNode pat, const rl_in *v, int depth);
static int bind_visit(void *data, TSNode n);

#define MAX_HELPER_DEPTH 2 /* helpers followed from a handler */
#define MAX_HELPER_ARGS 8

typedef struct helper_ret {
  const rl_reqin *in; /* the helper's scan */
  int number;
  int depth;
  rl_in got;
  int found;
} helper_ret;

static int helper_ret_visit(void *data, TSNode n) {
  helper_ret *h = data;
  if (rl_js_is_function(n) && !ts_node_eq(n, h->in->fn)) return 1;
  if (!type_is(n, "return_statement")) return 0;
  TSNode r = ts_node_named_child(n, 0);
  if (ts_node_is_null(r)) return 0;
  if (h->number) {
    TSNode read = {{0}, NULL, NULL};
    const char *d = carry_rec(h->in, r, &read, h->depth, NULL);
    if (d) {
      h->got.kind = RL_IN_VALUE;
      h->got.desc = d;
      h->got.read = read;
      h->found = 1;
    }
  } else if (of_rec(h->in, r, &h->got, h->depth) && h->got.kind == RL_IN_VALUE) {
    h->found = 1;
  }
  return h->found ? -1 : 0;
}

/* `getUserRole(role)` of a same-file function with request values among
 * the arguments: what one of its returns gives, the parameters bound to
 * the caller's values; the read is the caller's argument. number: the
 * lifetime question (carry_rec), else a value. */
static int through_helper(const rl_reqin *in, TSNode call, rl_in *out, int number, int depth) {
  TSNode fn = rl_js_unwrap(field(call, "function"));
  if (!type_is(fn, "identifier") || in->helper_depth >= MAX_HELPER_DEPTH || depth > MAX_DEPTH) return 0;
  TSNode f = rl_route_function_of(in->jf, rl_jsfile_root(in->jf), fn);
  if (ts_node_is_null(f) || ts_node_eq(f, in->fn)) return 0;
  rl_reqin *h = rl_arena_alloc(in->arena, sizeof *h); /* a few KiB: not on the stack of a recursion */
  memset(h, 0, sizeof *h);
  h->jf = in->jf;
  h->arena = in->arena;
  h->fn = f;
  h->helper_depth = in->helper_depth + 1;
  TSNode args = field(call, "arguments");
  TSNode reads[MAX_HELPER_ARGS];
  const char *descs[MAX_HELPER_ARGS];
  uint32_t nargs = ts_node_named_child_count(args), any = 0;
  for (uint32_t j = 0; j < nargs && j < MAX_HELPER_ARGS && j < rl_js_param_count(f); j++) {
    TSNode a = ts_node_named_child(args, j);
    rl_in v;
    descs[j] = NULL;
    if (number) {
      TSNode r = {{0}, NULL, NULL};
      const char *d = carry_rec(in, a, &r, depth + 1, NULL);
      if (!d) continue;
      v.kind = RL_IN_VALUE;
      v.desc = d;
      v.read = r;
    } else if (!of_rec(in, a, &v, depth + 1)) {
      continue;
    }
    descs[j] = v.desc;
    reads[j] = v.read;
    TSNode p = rl_js_param(f, j);
    if (type_is(p, "required_parameter") || type_is(p, "optional_parameter")) p = field(p, "pattern");
    bind(h, p, &v, 0);
    any = 1;
  }
  if (!any) return 0;
  TSNode body = field(f, "body");
  helper_ret hr = {h, number, depth + 1, {RL_IN_NONE, NULL, {{0}, NULL, NULL}}, 0};
  if (!type_is(body, "statement_block")) { /* (r) => r === 'host' ? A : B */
    TSNode read = {{0}, NULL, NULL};
    const char *d = number ? carry_rec(h, body, &read, depth + 1, NULL) : NULL;
    if (d) {
      hr.got.kind = RL_IN_VALUE;
      hr.got.desc = d;
      hr.found = 1;
    } else if (!number && of_rec(h, body, &hr.got, depth + 1) && hr.got.kind == RL_IN_VALUE) {
      hr.found = 1;
    }
  } else {
    rl_js_walk(body, bind_visit, h);
    rl_js_walk(body, helper_ret_visit, &hr);
  }
  if (!hr.found) return 0;
  *out = hr.got;
  out->read = call;
  for (uint32_t j = 0; j < nargs && j < MAX_HELPER_ARGS && j < rl_js_param_count(f); j++)
    if (descs[j] == hr.got.desc) out->read = reads[j]; /* the caller's read */
  return 1;
}

static int of_call(const rl_reqin *in, TSNode e, rl_in *out, int depth) {
  static const char *const convert_fns[] = {"String", "Number", "parseInt", "parseFloat", "decodeURIComponent", NULL};
  static const char *const convert_methods[] = {"toString",  "trim",      "toLowerCase", "toUpperCase",
                                                "normalize", "trimStart", "trimEnd",     NULL};
  TSNode fn = rl_js_unwrap(field(e, "function"));
  size_t l;
  const char *s;
  rl_in v;
  if (type_is(fn, "identifier")) {
    s = rl_js_text(in->jf, fn, &l);
    if (rl_str_in_list(s, l, convert_fns)) return value_through(in, rl_js_call_arg(e, 0), out, depth);
    return through_helper(in, e, out, 0, depth + 1);
  }
  if (!type_is(fn, "member_expression")) return 0;
  TSNode obj = field(fn, "object");
  s = rl_js_text(in->jf, field(fn, "property"), &l);
  const char *full;
  size_t fl;
  full = rl_js_text(in->jf, fn, &fl);
  if (eq(full, fl, "JSON.parse") || eq(full, fl, "Object.fromEntries")) {
    if (!of_rec(in, rl_js_call_arg(e, 0), &v, depth + 1)) return 0;
    *out = v;
    out->kind = RL_IN_OBJECT;
    out->read = e;
    return 1;
  }
  /* await req.json().catch(() => ({})) */
  if (eq(s, l, "catch") && type_is(rl_js_unwrap(obj), "call_expression")) return of_rec(in, obj, out, depth + 1);
  if (eq(s, l, "get") || eq(s, l, "getAll")) {
    if (!of_rec(in, obj, &v, depth + 1) || v.kind != RL_IN_FORM) return 0;
    *out = v;
    out->kind = RL_IN_VALUE;
    out->read = e;
    return 1;
  }
  if (rl_str_in_list(s, l, convert_methods)) return value_through(in, obj, out, depth);
  return 0;
}

/* A literal a comparison may hold: 'true', true, 1, null, undefined. */
static int literal(TSNode n) {
  static const char *const kinds[] = {"string", "true", "false", "number", "null", "undefined", NULL};
  if (ts_node_is_null(n)) return 0;
  const char *t = ts_node_type(n);
  for (size_t i = 0; kinds[i]; i++)
    if (!strcmp(t, kinds[i])) return 1;
  return 0;
}

/* A value the code names, not computes: a literal, or a member chain of
 * names (RtcRole.PUBLISHER, Roles.host, ROLE.AUDIENCE). */
static int code_constant(TSNode n) {
  n = rl_js_unwrap(n);
  if (literal(n)) return 1;
  for (int hops = 0; hops < 4 && type_is(n, "member_expression"); hops++) {
    if (!type_is(field(n, "property"), "property_identifier")) return 0;
    n = rl_js_unwrap(field(n, "object"));
    if (type_is(n, "identifier")) return 1;
  }
  return 0;
}

static int of_rec(const rl_reqin *in, TSNode e, rl_in *out, int depth) {
  e = rl_js_unwrap(e);
  if (depth > MAX_DEPTH || ts_node_is_null(e)) return 0;
  const char *t = ts_node_type(e);
  size_t l;
  const char *s;
  if (!strcmp(t, "identifier") || !strcmp(t, "shorthand_property_identifier")) {
    s = rl_js_text(in->jf, e, &l);
    const rl_reqin_bind *b = bound(in, s, l);
    if (!b || b->in.kind == RL_IN_NONE) return 0;
    *out = b->in;
    out->read = e;
    return 1;
  }
  if (from_table(in, e, out)) return 1;
  if (!strcmp(t, "binary_expression")) {
    s = rl_js_text(in->jf, field(e, "operator"), &l);
    if (eq(s, l, "===") || eq(s, l, "==") || eq(s, l, "!==") || eq(s, l, "!=")) {
      /* body.isHost === true, q.get('host') === 'true': a boolean the
       * caller still chooses (a coercion, not a check); against anything
       * but a literal (session.room, an allow-list) it is the code's */
      TSNode lft = rl_js_unwrap(field(e, "left")), rgt = rl_js_unwrap(field(e, "right"));
      TSNode side = literal(lft) ? rgt : literal(rgt) ? lft : (TSNode){{0}, NULL, NULL};
      rl_in v;
      if (ts_node_is_null(side) || !of_rec(in, side, &v, depth + 1) || v.kind != RL_IN_VALUE) return 0;
      *out = v;
      return 1;
    }
    if (!eq(s, l, "||") && !eq(s, l, "??")) return 0;
    return of_rec(in, field(e, "left"), out, depth + 1);
  }
  if (!strcmp(t, "unary_expression")) {
    /* !!body.isHost, !q.get('guest'): the caller's flag, negated */
    if (!rl_js_text_is(in->jf, field(e, "operator"), "!")) return 0;
    rl_in v;
    if (!of_rec(in, field(e, "argument"), &v, depth + 1) || v.kind != RL_IN_VALUE) return 0;
    *out = v;
    return 1;
  }
  if (!strcmp(t, "new_expression")) {
    /* new URLSearchParams(url.search), new URLSearchParams(await req.text()):
     * the client's text read as a form */
    TSNode k = rl_js_unwrap(field(e, "constructor"));
    rl_in v;
    if (!type_is(k, "identifier") || !rl_js_text_is(in->jf, k, "URLSearchParams") ||
        !of_rec(in, rl_js_call_arg(e, 0), &v, depth + 1) || (v.kind != RL_IN_VALUE && v.kind != RL_IN_TEXT))
      return 0;
    *out = v;
    out->kind = RL_IN_FORM;
    out->read = e;
    return 1;
  }
  if (!strcmp(t, "ternary_expression")) {
    /* body.isHost ? 'host' : 'guest', q.role === 'host' ? RtcRole.PUBLISHER :
     * RtcRole.SUBSCRIBER: two constants picked by the caller's
     * flag are the caller's choice */
    rl_in c;
    if (code_constant(field(e, "consequence")) && code_constant(field(e, "alternative")) &&
        of_rec(in, field(e, "condition"), &c, depth + 1) && c.kind == RL_IN_VALUE) {
      *out = c;
      return 1;
    }
    /* event.body ? JSON.parse(event.body) : {}: objects only; either branch */
    rl_in a, b;
    int ha = of_rec(in, field(e, "consequence"), &a, depth + 1) && a.kind != RL_IN_VALUE;
    int hb = of_rec(in, field(e, "alternative"), &b, depth + 1) && b.kind != RL_IN_VALUE;
    /* typeof req.body === 'string' ? JSON.parse(req.body) : req.body: both */
    if (!ha && !hb) return 0;
    *out = ha ? a : b;
    return 1;
  }
  if (!strcmp(t, "template_string")) {
    TSNode only = {{0}, NULL, NULL};
    uint32_t nsub = 0;
    for (uint32_t i = 0; i < ts_node_named_child_count(e); i++) {
      TSNode c = ts_node_named_child(e, i);
      if (type_is(c, "template_substitution")) {
        nsub++;
        only = ts_node_named_child(c, 0);
      }
    }
    return nsub == 1 && value_through(in, only, out, depth);
  }
  if (!strcmp(t, "call_expression")) return of_call(in, e, out, depth);
  if (!strcmp(t, "member_expression") || !strcmp(t, "subscript_expression")) {
    rl_in o;
    if (!of_rec(in, field(e, "object"), &o, depth + 1)) return 0;
    if (o.kind == RL_IN_OBJECT || o.kind == RL_IN_VALUE) {
      *out = o;
      out->kind = RL_IN_VALUE;
      out->read = e;
      return 1;
    }
    if (o.kind == RL_IN_URL) {
      /* url.searchParams; url.pathname, url.search, url.hash are the client's text too */
      *out = o;
      out->kind = rl_js_text_is(in->jf, field(e, "property"), "searchParams") ? RL_IN_FORM : RL_IN_VALUE;
      out->read = e;
      return 1;
    }
  }
  return 0;
}

int rl_reqin_of(const rl_reqin *in, TSNode e, rl_in *out) {
  memset(out, 0, sizeof *out);
  if (!in || !in->jf) return 0;
  return of_rec(in, e, out, 0);
}

const char *rl_reqin_value(const rl_reqin *in, TSNode e, TSNode *read) {
  rl_in v;
  if (!rl_reqin_of(in, e, &v) || (v.kind != RL_IN_VALUE && v.kind != RL_IN_TEXT)) return NULL; /* await req.text() */
  if (read) *read = v.read;
  return v.desc;
}

const char *rl_reqin_object(const rl_reqin *in, TSNode e) {
  rl_in v;
  if (!rl_reqin_of(in, e, &v) || v.kind != RL_IN_OBJECT) return NULL;
  return v.desc;
}

/* ---- numbers the client may choose (lifetimes) --------------------------------------- */

typedef struct clamp_find {
  rl_jsfile *jf;
  const char *name;
  size_t len;
  int found;
} clamp_find;

static int names_it(clamp_find *f, TSNode n) {
  n = rl_js_unwrap(n);
  return type_is(n, "identifier") && rl_js_text_eq(f->jf, n, f->name, f->len);
}

/* A comparison with the name on one side (`ttl > MAX`, `if (ttl <= 0 || ttl >
 * DAY)`), or Math.min / Math.max over it: the code bounds it. */
static int clamp_visit(void *data, TSNode n) {
  clamp_find *f = data;
  if (type_is(n, "binary_expression")) {
    size_t l;
    const char *op = rl_js_text(f->jf, field(n, "operator"), &l);
    if ((eq(op, l, "<") || eq(op, l, ">") || eq(op, l, "<=") || eq(op, l, ">=")) &&
        (names_it(f, field(n, "left")) || names_it(f, field(n, "right")))) {
      f->found = 1;
      return -1;
    }
  } else if (type_is(n, "call_expression")) {
    size_t l;
    const char *callee = rl_js_text(f->jf, rl_js_unwrap(field(n, "function")), &l);
    if (eq(callee, l, "Math.min") || eq(callee, l, "Math.max") || eq(callee, l, "clamp")) {
      TSNode args = field(n, "arguments");
      for (uint32_t i = 0; i < ts_node_named_child_count(args); i++)
        if (names_it(f, ts_node_named_child(args, i))) {
          f->found = 1;
          return -1;
        }
    }
  }
  return 0;
}

static const char *carry_rec(const rl_reqin *in, TSNode e, TSNode *read, int depth, const carry_find *up);

/* Every value the handler gives the name (its declarations, its assignments). */
static int carry_visit(void *data, TSNode n) {
  carry_find *f = data;
  TSNode name, value;
  if (!rl_js_binding(n, 1, &name, &value)) return 0;
  if (!type_is(name, "identifier") || ts_node_is_null(value) || !rl_js_text_eq(f->in->jf, name, f->name, f->len))
    return 0;
  f->desc = carry_rec(f->in, value, &f->read, f->depth + 1, f);
  return f->desc ? -1 : 0;
}

static const char *carry_rec(const rl_reqin *in, TSNode e, TSNode *read, int depth, const carry_find *up) {
  e = rl_js_unwrap(e);
  if (depth > MAX_DEPTH || ts_node_is_null(e)) return NULL;
  int is_name = type_is(e, "identifier") || type_is(e, "shorthand_property_identifier");
  if (is_name && !ts_node_is_null(in->fn)) { /* a name the handler bounds is the code's, whatever it holds */
    clamp_find c = {in->jf, NULL, 0, 0};
    c.name = rl_js_text(in->jf, e, &c.len);
    rl_js_walk(in->fn, clamp_visit, &c);
    if (c.found) return NULL;
  }
  const char *desc = rl_reqin_value(in, e, read);
  if (desc) return desc;
  if (type_is(e, "binary_expression")) {
    size_t l;
    const char *op = rl_js_text(in->jf, field(e, "operator"), &l);
    if (!(eq(op, l, "+") || eq(op, l, "-") || eq(op, l, "*") || eq(op, l, "||") || eq(op, l, "??"))) return NULL;
    desc = carry_rec(in, field(e, "left"), read, depth + 1, up);
    return desc ? desc : carry_rec(in, field(e, "right"), read, depth + 1, up);
  }
  if (type_is(e, "call_expression")) {
    static const char *const through[] = {"Math.floor", "Math.round", "Math.ceil", "Math.trunc", "Number",
                                          "parseInt",   "parseFloat", "Math.abs",  NULL};
    size_t l;
    const char *callee = rl_js_text(in->jf, rl_js_unwrap(field(e, "function")), &l);
    if (rl_str_in_list(callee, l, through)) return carry_rec(in, rl_js_call_arg(e, 0), read, depth + 1, up);
    rl_in v;
    if (!through_helper(in, e, &v, 1, depth + 1)) return NULL;
    if (read) *read = v.read;
    return v.desc;
  }
  if (type_is(e, "ternary_expression")) {
    /* `ttl ? parseInt(ttl) : 3600`: a default, not a bound (a bound compares
     * the name, which the clamp test above finds) */
    desc = carry_rec(in, field(e, "consequence"), read, depth + 1, up);
    return desc ? desc : carry_rec(in, field(e, "alternative"), read, depth + 1, up);
  }
  if (type_is(e, "unary_expression")) { /* +req.query.ttl */
    size_t l;
    const char *op = rl_js_text(in->jf, field(e, "operator"), &l);
    return eq(op, l, "+") ? carry_rec(in, field(e, "argument"), read, depth + 1, up) : NULL;
  }
  if (!is_name || ts_node_is_null(in->fn)) return NULL;
  carry_find f = {in, NULL, 0, depth, up, NULL, {{0}, NULL, NULL}};
  f.name = rl_js_text(in->jf, e, &f.len);
  for (const carry_find *u = up; u; u = u->up)
    if (u->len == f.len && !memcmp(u->name, f.name, f.len)) return NULL;
  rl_js_walk(in->fn, carry_visit, &f);
  if (f.desc && read) *read = f.read;
  return f.desc;
}

const char *rl_reqin_number(const rl_reqin *in, TSNode e, TSNode *read) {
  if (!in || !in->jf) return NULL;
  return carry_rec(in, e, read, 0, NULL);
}

/* ---- values an `if` on the request picks ------------------------------------------- */

/* A condition only the request decides: a request value, its comparison with
 * a literal or a code constant (`req.query.role == 'publisher'`), through
 * parentheses, ! and &&/|| whose every operand is such. `user.isHost`,
 * `await isOwner(req.user, room)` and `q.role == 'host' && user.isHost` are
 * the server's facts: 0. */
static int request_only(const rl_reqin *in, TSNode c, const char **desc, TSNode *read, int depth) {
  c = rl_js_unwrap(c);
  if (depth > MAX_DEPTH || ts_node_is_null(c)) return 0;
  size_t l;
  if (type_is(c, "unary_expression")) {
    const char *op = rl_js_text(in->jf, field(c, "operator"), &l);
    return eq(op, l, "!") && request_only(in, field(c, "argument"), desc, read, depth + 1);
  }
  if (type_is(c, "binary_expression")) {
    const char *op = rl_js_text(in->jf, field(c, "operator"), &l);
    TSNode a = field(c, "left"), b = field(c, "right");
    if (eq(op, l, "&&") || eq(op, l, "||"))
      return request_only(in, a, desc, read, depth + 1) && request_only(in, b, desc, read, depth + 1);
    if (!eq(op, l, "==") && !eq(op, l, "===") && !eq(op, l, "!=") && !eq(op, l, "!==")) return 0;
    if (code_constant(b)) return request_only(in, a, desc, read, depth + 1);
    return code_constant(a) && request_only(in, b, desc, read, depth + 1);
  }
  TSNode r = c;
  const char *d = rl_reqin_value(in, c, &r);
  if (!d) return 0;
  *desc = d;
  *read = r;
  return 1;
}

typedef struct pick_find {
  const rl_reqin *in;
  const char *name;
  size_t len;
  int picks, other;
  const char *desc;
  TSNode read, cond;
} pick_find;

/* One binding of the name: a constant set under `if`s that only the request
 * decides is a pick; any other value, or an `if` on anything else around it
 * (or none, for an assignment), is the code's. */
static int pick_visit(void *data, TSNode n) {
  pick_find *f = data;
  TSNode name, value;
  if (!rl_js_binding(n, 1, &name, &value)) return 0;
  if (!type_is(name, "identifier") || !rl_js_text_eq(f->in->jf, name, f->name, f->len)) return 0;
  if (ts_node_is_null(value)) return 0; /* `let role;` */
  if (!code_constant(value) || !type_is(n, "assignment_expression")) {
    f->other += !code_constant(value);
    return 0;
  }
  int gates = 0;
  const char *desc = NULL;
  TSNode read = n, cond = n;
  for (TSNode c = n, p = rl_js_parent(n); !ts_node_is_null(p) && !ts_node_eq(p, f->in->fn);
       c = p, p = rl_js_parent(p)) {
    const char *t = ts_node_type(p);
    if (strstr(t, "function") || !strcmp(t, "method_definition")) {
      f->other++; /* in a callback: not judged here */
      return 0;
    }
    if (!strcmp(t, "switch_case") || !strcmp(t, "switch_default")) {
      /* `switch (role) { case 'host': rtcRole = PUBLISHER; ... }`: the
       * switch's value picks, like an if on it (the case labels are the
       * literals it is compared with) */
      TSNode sw = rl_js_parent(rl_js_parent(p));
      if (!type_is(sw, "switch_statement") || ts_node_eq(c, field(p, "value")) ||
          !request_only(f->in, field(sw, "value"), &desc, &read, 0)) {
        f->other++;
        return 0;
      }
      gates++;
      cond = field(sw, "value");
      continue;
    }
    if (strcmp(t, "if_statement") || ts_node_eq(c, field(p, "condition"))) continue;
    if (!request_only(f->in, field(p, "condition"), &desc, &read, 0)) {
      f->other++;
      return 0;
    }
    gates++;
    cond = field(p, "condition");
  }
  if (!gates) {
    f->other++;
    return 0;
  }
  f->picks++;
  if (!f->desc) {
    f->desc = desc;
    f->read = read;
    f->cond = cond;
  }
  return 0;
}

const char *rl_reqin_branch_pick(const rl_reqin *in, TSNode e, TSNode *read, TSNode *cond) {
  e = rl_js_unwrap(e);
  if (!in || !in->jf || ts_node_is_null(in->fn) || !type_is(e, "identifier")) return NULL;
  pick_find f = {in, NULL, 0, 0, 0, NULL, {{0}, NULL, NULL}, {{0}, NULL, NULL}};
  f.name = rl_js_text(in->jf, e, &f.len);
  rl_js_walk(in->fn, pick_visit, &f);
  if (!f.picks || f.other) return NULL;
  if (read) *read = f.read;
  if (cond) *cond = f.cond;
  return f.desc;
}

/* ---- scanning a handler ------------------------------------------------------------ */

static void add(rl_reqin *in, TSNode name, const rl_in *v) {
  if (in->nbinds >= RL_REQIN_MAX_BINDS || !type_is(name, "identifier")) return;
  rl_reqin_bind *b = &in->binds[in->nbinds++];
  b->name = rl_js_text(in->jf, name, &b->len);
  b->in = *v;
}

/* Binds a pattern to what v is: `x`, `{ a, b = 1, c: d, e: { f }, ...rest }`. */
static void bind(rl_reqin *in, TSNode pat, const rl_in *v, int depth) {
  pat = rl_js_unwrap(pat);
  if (ts_node_is_null(pat) || depth > MAX_DEPTH) return;
  if (type_is(pat, "assignment_pattern")) pat = field(pat, "left");
  if (type_is(pat, "identifier")) {
    add(in, pat, v);
    return;
  }
  if (!type_is(pat, "object_pattern")) return;
  rl_in each = *v;
  if (v->kind == RL_IN_OBJECT || v->kind == RL_IN_VALUE)
    each.kind = RL_IN_VALUE;
  else if (v->kind == RL_IN_URL)
    each.kind = RL_IN_FORM; /* const { searchParams } = new URL(req.url) */
  else
    return;
  for (uint32_t i = 0; i < ts_node_named_child_count(pat); i++) {
    TSNode c = ts_node_named_child(pat, i);
    TSNode key = c, target = c;
    if (type_is(c, "object_assignment_pattern")) {
      key = target = field(c, "left");
    } else if (type_is(c, "pair_pattern")) {
      key = field(c, "key");
      target = field(c, "value");
    } else if (type_is(c, "rest_pattern")) {
      if (v->kind != RL_IN_URL) add(in, ts_node_named_child(c, 0), v);
      continue;
    } else if (!type_is(c, "shorthand_property_identifier_pattern")) {
      continue;
    }
    if (v->kind == RL_IN_URL && !rl_js_text_is(in->jf, key, "searchParams")) continue;
    if (type_is(target, "shorthand_property_identifier_pattern")) {
      if (in->nbinds < RL_REQIN_MAX_BINDS) {
        rl_reqin_bind *b = &in->binds[in->nbinds++];
        b->name = rl_js_text(in->jf, target, &b->len);
        b->in = each;
      }
      continue;
    }
    bind(in, target, &each, depth + 1);
  }
}

/* { room: q.get('room') || 'lobby', isHost: q.get('isHost') === 'true' }:
 * an object literal every property of which is request input, as a
 * fallback for the body built from the query string is. */
static int object_from_request(const rl_reqin *in, TSNode obj) {
  obj = rl_js_unwrap(obj);
  if (!type_is(obj, "object") || ts_node_named_child_count(obj) == 0) return 0;
  for (uint32_t i = 0; i < ts_node_named_child_count(obj); i++) {
    TSNode p = ts_node_named_child(obj, i);
    rl_in v;
    if (type_is(p, "comment")) continue;
    if (!type_is(p, "pair") || !rl_reqin_of(in, field(p, "value"), &v)) return 0;
  }
  return 1;
}

static int bind_visit(void *data, TSNode n) {
  rl_reqin *in = data;
  TSNode name, value;
  if (!rl_js_binding(n, 0, &name, &value)) return 0;
  if (type_is(n, "assignment_expression") && !type_is(name, "identifier")) return 0;
  rl_in v;
  if (!ts_node_is_null(value) && rl_reqin_of(in, value, &v)) {
    bind(in, name, &v, 0);
  } else if (type_is(n, "assignment_expression") && !object_from_request(in, value)) {
    /* role = lookupRole(user): the code sets it now, on some path at least */
    size_t l;
    const char *s = rl_js_text(in->jf, name, &l);
    if (bound(in, s, l)) {
      rl_in none = {RL_IN_NONE, NULL, name};
      add(in, name, &none);
    }
  }
  return 0;
}

/* @Body() dto, @Query('role') role, @Args() { role }: Input */
static void bind_decorated(rl_reqin *in, TSNode p) {
  TSNode pat = field(p, "pattern");
  for (uint32_t j = 0; j < ts_node_named_child_count(p); j++) {
    TSNode d = ts_node_named_child(p, j);
    if (!type_is(d, "decorator")) continue;
    TSNode call = ts_node_named_child(d, 0);
    if (!type_is(call, "call_expression")) continue;
    TSNode fn = field(call, "function");
    for (size_t k = 0; k < sizeof decos / sizeof decos[0]; k++) {
      if (!rl_js_text_is(in->jf, fn, decos[k].name)) continue;
      const char *key;
      size_t kl;
      int named = rl_js_string_value(in->jf, rl_js_call_arg(call, 0), &key, &kl);
      rl_in v;
      v.kind = named ? RL_IN_VALUE : RL_IN_OBJECT;
      v.desc = rl_arena_printf(in->arena, "%s (%s)", decos[k].where, via_text(in, d));
      v.read = pat;
      bind(in, pat, &v, 0);
    }
  }
}

/* onCall(h), functions.https.onCall(h), functions.region(r).https.onCall(h),
 * onCall({ cors: true }, h): 1 if fn is such a handler; *v1 when the call is
 * reached from `functions` (the v1 API, whose handler takes (data, context)). */
static int callable_handler(rl_jsfile *jf, TSNode fn, int *v1) {
  TSNode args = rl_js_parent(fn);
  if (!type_is(args, "arguments")) return 0;
  TSNode call = rl_js_parent(args);
  if (!type_is(call, "call_expression")) return 0;
  size_t l;
  const char *s = rl_js_text(jf, field(call, "function"), &l);
  if (l < 6 || memcmp(s + l - 6, "onCall", 6) != 0) return 0;
  *v1 = l > 9 && !memcmp(s, "functions", 9);
  return 1;
}

/* SvelteKit and Remix hand the handler one object: POST({ request, url,
 * params }); Express handlers sometimes destructure ({ body, query }, res). */
static const struct event_key {
  const char *key;
  rl_in_kind kind; /* RL_IN_NONE: the request object itself */
  const char *where;
} event_keys[] = {
    {"request", RL_IN_NONE, NULL},        {"req", RL_IN_NONE, NULL},      {"url", RL_IN_URL, W_QUERY},
    {"params", RL_IN_OBJECT, W_PATH},     {"body", RL_IN_OBJECT, W_BODY}, {"query", RL_IN_OBJECT, W_QUERY},
    {"headers", RL_IN_OBJECT, W_HEADERS},
};

static void bind_event(rl_reqin *in, TSNode pat) {
  for (uint32_t i = 0; i < ts_node_named_child_count(pat); i++) {
    TSNode c = ts_node_named_child(pat, i);
    TSNode key = c, target = c;
    if (type_is(c, "pair_pattern")) {
      key = field(c, "key");
      target = field(c, "value");
    } else if (type_is(c, "object_assignment_pattern")) {
      key = target = field(c, "left");
    } else if (!type_is(c, "shorthand_property_identifier_pattern")) {
      continue;
    }
    for (size_t k = 0; k < sizeof event_keys / sizeof event_keys[0]; k++) {
      if (!rl_js_text_is(in->jf, key, event_keys[k].key)) continue;
      size_t l;
      const char *s = rl_js_text(in->jf, target, &l);
      if (event_keys[k].kind == RL_IN_NONE) {
        if (in->nreq < RL_REQIN_MAX_NAMES &&
            (type_is(target, "identifier") || type_is(target, "shorthand_property_identifier_pattern")))
          in->req[in->nreq++] = rl_arena_strndup(in->arena, s, l);
      } else if (in->nbinds < RL_REQIN_MAX_BINDS) {
        rl_reqin_bind *b = &in->binds[in->nbinds++];
        b->name = s;
        b->len = l;
        b->in.kind = event_keys[k].kind;
        b->in.desc = rl_arena_printf(in->arena, "%s (%.*s)", event_keys[k].where, (int)l, s);
        b->in.read = target;
      }
    }
  }
}

/* NestJS: a decorated parameter (@Body() dto) is no request object. */
static int has_decorator(TSNode p) {
  for (uint32_t j = 0; j < ts_node_named_child_count(p); j++)
    if (type_is(ts_node_named_child(p, j), "decorator")) return 1;
  return 0;
}

void rl_reqin_scan(rl_reqin *out, rl_jsfile *jf, rl_arena *arena, TSNode fn, const char *req_name) {
  memset(out, 0, sizeof *out);
  out->jf = jf;
  out->arena = arena;
  out->fn = fn;
  if (ts_node_is_null(fn)) return;
  if (req_name) out->req[out->nreq++] = req_name;
  TSNode params = field(fn, "parameters");
  TSNode first = ts_node_is_null(params) ? field(fn, "parameter") : ts_node_named_child(params, 0);
  uint32_t nparams = ts_node_is_null(params) ? (ts_node_is_null(first) ? 0 : 1) : ts_node_named_child_count(params);
  int v1 = 0;
  out->callable = callable_handler(jf, fn, &v1);
  TSNode fpat = type_is(first, "required_parameter") || type_is(first, "optional_parameter") ? field(first, "pattern")
                                                                                             : first;
  if (rl_route_server_action(jf, fn, NULL, NULL)) {
    /* a Next.js Server Action: the client passes every argument */
    for (uint32_t k = 0; k < nparams; k++) {
      TSNode p = ts_node_is_null(params) ? first : ts_node_named_child(params, k);
      TSNode pat = type_is(p, "required_parameter") || type_is(p, "optional_parameter") ? field(p, "pattern") : p;
      TSNode id = type_is(pat, "assignment_pattern") ? field(pat, "left") : pat;
      size_t l;
      const char *t = rl_js_text(jf, id, &l);
      if (l > 40) l = 40;
      size_t pl;
      const char *pt = rl_js_text(jf, p, &pl);
      /* a form action's (formData: FormData): its .get('x') are inputs */
      rl_in_kind kind = pt && memmem(pt, pl, "FormData", 8) ? RL_IN_FORM
                        : type_is(id, "object_pattern")     ? RL_IN_OBJECT
                                                            : RL_IN_VALUE;
      rl_in v = {kind, NULL, pat};
      v.desc = rl_arena_printf(arena, "%s (%.*s)", W_ACTION, (int)l, t ? t : "");
      bind(out, pat, &v, 0);
    }
  } else if (out->callable && (nparams >= 2 || v1)) {
    /* v1: (data, context) => data.role */
    rl_in v = {RL_IN_OBJECT, NULL, fpat};
    v.desc = rl_arena_printf(arena, "%s (%s)", W_CALL, via_text(out, fpat));
    bind(out, fpat, &v, 0);
  } else if (type_is(fpat, "identifier") && !has_decorator(first) && out->nreq < RL_REQIN_MAX_NAMES) {
    size_t l;
    const char *s = rl_js_text(jf, fpat, &l);
    out->req[out->nreq++] = rl_arena_strndup(arena, s, l);
  } else if (type_is(fpat, "object_pattern")) {
    bind_event(out, fpat);
  }
  for (uint32_t k = 0; !ts_node_is_null(params) && k < nparams; k++)
    bind_decorated(out, ts_node_named_child(params, k));
  TSNode body = field(fn, "body");
  rl_js_walk(ts_node_is_null(body) ? fn : body, bind_visit, out);
}
