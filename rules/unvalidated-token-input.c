/* unvalidated-token-input: a privilege-bearing claim taken from the request
 * and put into a token (or a room call) with no allow-list check.
 *
 * In each route handler (rules/routes.c):
 *   sources   req.body / req.query / req.params (through the handler's own
 *             request parameter name), ctx.request.body, ctx.query,
 *             ctx.params, await req.json() / formData(), c.req.json() and
 *             c.req.query('x') (Hono), searchParams.get('x') and
 *             x.searchParams.get('x'), NestJS @Body()/@Query()/@Param()
 *             parameters; followed through const/let destructuring
 *             (`const { role } = req.body`, with defaults), plain bindings
 *             (`const role = req.body.role`), objects bound to a source
 *             (`const body = await req.json(); body.role`) and `||`/`??`
 *             fallbacks (`role || 'guest'`);
 *   sinks     the payload and options of a mint site (rules/mint.h), nested
 *             objects included; LiveKit at.addGrant({...}); the arguments
 *             of a call whose name says token or room (generateToken(roomId,
 *             role), createRoom({ role })); a spread of the whole source
 *             into a token payload;
 *   claims    role, roles, hms_role, type, can* grants (canPublish,
 *             canSubscribe...), roomAdmin, roomCreate, roomList,
 *             roomRecord, hidden, recorder, admin, permissions, grants,
 *             privileges, scope;
 *   checks    (any of these in the handler clears the value) includes()/
 *             has()/indexOf() with it, `x in OBJ`, ===/!== against a
 *             constant, switch (x), OBJ[x] lookups, a validating call
 *             taking it (isValidRole(role), schema.parse(role)), a
 *             validating call on the whole source (schema.parse(req.body)),
 *             a validating route middleware (express-validator isIn,
 *             celebrate/joi valid, zod/zValidator, checkSchema...), and in
 *             NestJS a DTO property with @IsIn/@IsEnum/@Equals. */
#include <string.h>

#include "analysis.h"
#include "bindname.h"
#include "mint.h"
#include "routes.h"
#include "rule.h"
#include "util.h"

extern const char rl_doc__unvalidated_token_input[];

#define MAX_TAINT 64

static int type_is(TSNode n, const char *t) { return !ts_node_is_null(n) && !strcmp(ts_node_type(n), t); }

static TSNode field(TSNode n, const char *name) { return rl_js_field(n, name); }

typedef struct taint {
  const char *name;
  size_t len;
  const char *desc;
} taint;

typedef struct state {
  rl_ctx *ctx;
  rl_jsfile *jf;
  TSNode root;
  const rl_route *r;
  taint objs[MAX_TAINT];
  uint32_t nobjs;
  taint scalars[MAX_TAINT];
  uint32_t nscalars;
  const char *validated_src[16]; /* source texts passed whole to a validator */
  uint32_t nvalidated;
  int mw_validates;
  const char *sink; /* "the token", "generateToken()" */
} state;

static void add(taint *t, uint32_t *n, const char *name, size_t len, const char *desc) {
  if (*n < MAX_TAINT) t[(*n)++] = (taint){name, len, desc};
}

static const taint *find(const taint *t, uint32_t n, const char *name, size_t len) {
  for (uint32_t i = n; i > 0; i--)
    if (t[i - 1].len == len && !memcmp(t[i - 1].name, name, len)) return &t[i - 1];
  return NULL;
}

static int is_req_name(state *st, const char *s, size_t l) {
  const rl_route *r = st->r;
  return (r->req_name && rl_word_is(s, l, r->req_name)) || rl_word_is(s, l, "req") || rl_word_is(s, l, "request") ||
         rl_word_is(s, l, "ctx") || rl_word_is(s, l, "ctx.request") || rl_word_is(s, l, "c.req") ||
         rl_word_is(s, l, "event");
}

static const char *text_dup(state *st, TSNode n) {
  size_t l;
  const char *s = rl_js_text(st->jf, n, &l);
  return rl_arena_strndup(rl_ctx_arena(st->ctx), s, l);
}

/* A request-input object: req.body, ctx.request.body, await req.json()... */
static const char *source_obj(state *st, TSNode e) {
  e = rl_js_unwrap(e);
  if (type_is(e, "member_expression")) {
    TSNode prop = field(e, "property");
    size_t ol;
    const char *o = rl_js_text(st->jf, rl_js_unwrap(field(e, "object")), &ol);
    if ((rl_js_text_is(st->jf, prop, "body") || rl_js_text_is(st->jf, prop, "query") ||
         rl_js_text_is(st->jf, prop, "params")) &&
        is_req_name(st, o, ol))
      return text_dup(st, e);
    if (rl_js_text_is(st->jf, prop, "searchParams")) return "the query string";
    return NULL;
  }
  if (type_is(e, "call_expression")) {
    TSNode fn = rl_js_unwrap(field(e, "function"));
    if (!type_is(fn, "member_expression")) return NULL;
    TSNode prop = field(fn, "property");
    size_t ol;
    const char *o = rl_js_text(st->jf, rl_js_unwrap(field(fn, "object")), &ol);
    if (!is_req_name(st, o, ol)) return NULL;
    if (rl_js_text_is(st->jf, prop, "json") || rl_js_text_is(st->jf, prop, "formData")) return "the request body";
    if (rl_js_text_is(st->jf, prop, "query") && ts_node_named_child_count(field(e, "arguments")) == 0)
      return "the query string";
    return NULL;
  }
  if (type_is(e, "new_expression")) {
    /* new URL(req.url): its searchParams */
    if (rl_js_text_is(st->jf, field(e, "constructor"), "URL")) {
      size_t l;
      const char *s = rl_js_text(st->jf, rl_js_call_arg(e, 0), &l);
      if (l > 4 && !memcmp(s + l - 4, ".url", 4)) return "the query string";
    }
    return NULL;
  }
  if (type_is(e, "identifier")) {
    size_t l;
    const char *s = rl_js_text(st->jf, e, &l);
    const taint *t = find(st->objs, st->nobjs, s, l);
    if (t) return t->desc;
    if (rl_word_is(s, l, "searchParams")) return "the query string";
  }
  return NULL;
}

/* A request-input value: req.body.role, role (tainted), searchParams.get('role')... */
static const char *source_scalar(state *st, TSNode e) {
  e = rl_js_unwrap(e);
  /* role || 'guest', role ?? 'guest': the left side, iteratively */
  for (int i = 0; i < 16 && type_is(e, "binary_expression"); i++) {
    size_t ol;
    const char *op = rl_js_text(st->jf, field(e, "operator"), &ol);
    if (!rl_word_is(op, ol, "||") && !rl_word_is(op, ol, "??")) return NULL;
    e = rl_js_unwrap(field(e, "left"));
  }
  if (ts_node_is_null(e)) return NULL;
  const char *t = ts_node_type(e);
  if (!strcmp(t, "binary_expression")) return NULL;
  if (!strcmp(t, "identifier") || !strcmp(t, "shorthand_property_identifier")) {
    size_t l;
    const char *s = rl_js_text(st->jf, e, &l);
    const taint *tt = find(st->scalars, st->nscalars, s, l);
    return tt ? tt->desc : NULL;
  }
  if (!strcmp(t, "member_expression") || !strcmp(t, "subscript_expression")) {
    return source_obj(st, field(e, "object"));
  }
  if (!strcmp(t, "call_expression")) {
    TSNode fn = rl_js_unwrap(field(e, "function"));
    if (!type_is(fn, "member_expression")) return NULL;
    TSNode prop = field(fn, "property");
    TSNode obj = rl_js_unwrap(field(fn, "object"));
    if (rl_js_text_is(st->jf, prop, "get") || rl_js_text_is(st->jf, prop, "getAll")) {
      const char *d = source_obj(st, obj);
      if (d && !strcmp(d, "the query string")) return d;
    }
    /* Hono: c.req.query('role'), c.req.param('role') */
    size_t ol;
    const char *o = rl_js_text(st->jf, obj, &ol);
    if ((rl_js_text_is(st->jf, prop, "query") || rl_js_text_is(st->jf, prop, "param")) && is_req_name(st, o, ol) &&
        ts_node_named_child_count(field(e, "arguments")) > 0)
      return "the query string";
  }
  return NULL;
}

/* ---- collecting bindings ----------------------------------------------------------- */

static void bind_pattern(state *st, TSNode pat, const char *desc) {
  for (uint32_t i = 0; i < ts_node_named_child_count(pat); i++) {
    TSNode c = ts_node_named_child(pat, i);
    const char *t = ts_node_type(c);
    TSNode id = {{0}, NULL, NULL};
    if (!strcmp(t, "shorthand_property_identifier_pattern"))
      id = c;
    else if (!strcmp(t, "object_assignment_pattern"))
      id = field(c, "left");
    else if (!strcmp(t, "pair_pattern")) {
      id = field(c, "value");
      if (type_is(id, "assignment_pattern")) id = field(id, "left");
    } else if (!strcmp(t, "rest_pattern")) {
      TSNode r = ts_node_named_child(c, 0);
      size_t l;
      const char *s = rl_js_text(st->jf, r, &l);
      if (type_is(r, "identifier")) add(st->objs, &st->nobjs, s, l, desc);
      continue;
    }
    if (type_is(id, "identifier") || type_is(id, "shorthand_property_identifier_pattern")) {
      size_t l;
      const char *s = rl_js_text(st->jf, id, &l);
      add(st->scalars, &st->nscalars, s, l, desc);
    }
  }
}

static int bind_visit(void *data, TSNode n) {
  state *st = data;
  if (!type_is(n, "variable_declarator")) return 0;
  TSNode name = field(n, "name");
  TSNode value = field(n, "value");
  if (ts_node_is_null(value)) return 0;
  const char *d = source_obj(st, value);
  if (d) {
    if (type_is(name, "identifier")) {
      size_t l;
      const char *s = rl_js_text(st->jf, name, &l);
      add(st->objs, &st->nobjs, s, l, d);
    } else if (type_is(name, "object_pattern")) {
      bind_pattern(st, name, d);
    }
    return 0;
  }
  d = source_scalar(st, value);
  if (d && type_is(name, "identifier")) {
    size_t l;
    const char *s = rl_js_text(st->jf, name, &l);
    add(st->scalars, &st->nscalars, s, l, d);
  }
  return 0;
}

/* NestJS: @Body() dto, @Query('role') role */
static void bind_nest_params(state *st) {
  TSNode params = field(st->r->handler, "parameters");
  for (uint32_t k = 0; k < ts_node_named_child_count(params); k++) {
    TSNode p = ts_node_named_child(params, k);
    TSNode pat = field(p, "pattern");
    if (!type_is(pat, "identifier")) continue;
    for (uint32_t j = 0; j < ts_node_named_child_count(p); j++) {
      TSNode d = ts_node_named_child(p, j);
      if (!type_is(d, "decorator")) continue;
      TSNode call = ts_node_named_child(d, 0);
      if (!type_is(call, "call_expression")) continue;
      TSNode fn = field(call, "function");
      const char *desc = rl_js_text_is(st->jf, fn, "Body")    ? "@Body()"
                         : rl_js_text_is(st->jf, fn, "Query") ? "@Query()"
                         : rl_js_text_is(st->jf, fn, "Param") ? "@Param()"
                                                              : NULL;
      if (!desc) continue;
      size_t l;
      const char *s = rl_js_text(st->jf, pat, &l);
      if (ts_node_named_child_count(field(call, "arguments")) == 0)
        add(st->objs, &st->nobjs, s, l, desc);
      else
        add(st->scalars, &st->nscalars, s, l, desc);
    }
  }
}

/* ---- checks -------------------------------------------------------------------------- */

typedef struct vscan {
  state *st;
  const char *text; /* the value's text: "role", "req.body.role", "dto.role" */
  size_t len;
  int ok;
} vscan;

static int same(vscan *v, TSNode n) {
  n = rl_js_unwrap(n);
  size_t l;
  const char *s = rl_js_text(v->st->jf, n, &l);
  return l == v->len && !memcmp(s, v->text, l);
}

static int constant_like(state *st, TSNode n) {
  n = rl_js_unwrap(n);
  const char *s;
  size_t l;
  if (rl_js_eval_string(st->jf, n, &s, &l)) return 1;
  return type_is(n, "member_expression") || type_is(n, "identifier");
}

typedef struct valwords {
  int yes;
} valwords;

static int val_word(void *data, const char *w, size_t n) {
  valwords *vw = data;
  static const char *const words[] = {"valid",    "validate",  "validated", "parse",    "safe", "assert", "check",
                                      "allowed",  "allow",     "permitted", "includes", "has",  "oneof",  "enum",
                                      "sanitize", "normalize", "ensure",    "verify",   "can",  "may",    NULL};
  for (size_t i = 0; words[i]; i++)
    if (rl_word_is(w, n, words[i])) vw->yes = 1;
  return vw->yes;
}

static int validating_name(const char *s, size_t n) {
  valwords vw = {0};
  rl_name_words(s, n, val_word, &vw);
  return vw.yes;
}

static int check_visit(void *data, TSNode n) {
  vscan *v = data;
  state *st = v->st;
  const char *t = ts_node_type(n);
  if (!strcmp(t, "call_expression")) {
    TSNode args = field(n, "arguments");
    int takes = 0;
    for (uint32_t i = 0; i < ts_node_named_child_count(args); i++)
      if (same(v, ts_node_named_child(args, i))) takes = 1;
    if (!takes) return 0;
    TSNode fn = rl_js_unwrap(field(n, "function"));
    TSNode name = type_is(fn, "member_expression") ? field(fn, "property") : fn;
    size_t l;
    const char *s = rl_js_text(st->jf, name, &l);
    if (rl_word_is(s, l, "indexOf") || rl_word_is(s, l, "test") || rl_word_is(s, l, "some") ||
        rl_word_is(s, l, "find") || validating_name(s, l)) {
      v->ok = 1;
      return -1;
    }
    return 0;
  }
  if (!strcmp(t, "binary_expression")) {
    size_t ol;
    const char *op = rl_js_text(st->jf, field(n, "operator"), &ol);
    TSNode l = field(n, "left"), r = field(n, "right");
    if (rl_word_is(op, ol, "in") && same(v, l)) v->ok = 1;
    if ((rl_word_is(op, ol, "===") || rl_word_is(op, ol, "!==") || rl_word_is(op, ol, "==") ||
         rl_word_is(op, ol, "!=")) &&
        ((same(v, l) && constant_like(st, r)) || (same(v, r) && constant_like(st, l))))
      v->ok = 1;
    return v->ok ? -1 : 0;
  }
  if (!strcmp(t, "switch_statement")) {
    if (same(v, field(n, "value"))) {
      v->ok = 1;
      return -1;
    }
    return 0;
  }
  if (!strcmp(t, "subscript_expression")) {
    if (same(v, field(n, "index"))) {
      v->ok = 1;
      return -1;
    }
  }
  return 0;
}

typedef struct dto_scan {
  state *st;
  const char *prop;
  size_t len;
  int ok;
} dto_scan;

static int dto_visit(void *data, TSNode n) {
  dto_scan *d = data;
  if (!type_is(n, "public_field_definition") && !type_is(n, "field_definition")) return 0;
  TSNode name = field(n, "name");
  if (ts_node_is_null(name)) name = field(n, "property");
  size_t l;
  const char *s = rl_js_text(d->st->jf, name, &l);
  if (l != d->len || memcmp(s, d->prop, l)) return 1;
  for (uint32_t i = 0; i < ts_node_named_child_count(n); i++) {
    TSNode dec = ts_node_named_child(n, i);
    if (!type_is(dec, "decorator")) continue;
    TSNode call = ts_node_named_child(dec, 0);
    TSNode fn = type_is(call, "call_expression") ? field(call, "function") : call;
    if (rl_js_text_is(d->st->jf, fn, "IsIn") || rl_js_text_is(d->st->jf, fn, "IsEnum") ||
        rl_js_text_is(d->st->jf, fn, "Equals") || rl_js_text_is(d->st->jf, fn, "Matches")) {
      d->ok = 1;
      return -1;
    }
  }
  return 1;
}

/* 1 if the value (an identifier or member read) is checked in the handler. */
static int checked(state *st, TSNode value, const char *desc) {
  if (st->mw_validates) return 1;
  for (uint32_t i = 0; i < st->nvalidated; i++)
    if (!strcmp(st->validated_src[i], desc)) return 1;
  value = rl_js_unwrap(value);
  if (type_is(value, "binary_expression")) value = rl_js_unwrap(field(value, "left"));
  vscan v = {st, NULL, 0, 0};
  v.text = rl_js_text(st->jf, value, &v.len);
  rl_js_walk(st->r->handler, check_visit, &v);
  if (v.ok) return 1;
  /* NestJS DTO: dto.role with @IsIn on the class property */
  if (type_is(value, "member_expression") && desc[0] == '@') {
    dto_scan d = {st, NULL, 0, 0};
    d.prop = rl_js_text(st->jf, field(value, "property"), &d.len);
    rl_js_walk(st->root, dto_visit, &d);
    if (d.ok) return 1;
  }
  return 0;
}

/* schema.parse(req.body), validate(body): the whole source is checked */
static int whole_visit(void *data, TSNode n) {
  state *st = data;
  if (!type_is(n, "call_expression")) return 0;
  TSNode fn = rl_js_unwrap(field(n, "function"));
  TSNode name = type_is(fn, "member_expression") ? field(fn, "property") : fn;
  size_t l;
  const char *s = rl_js_text(st->jf, name, &l);
  if (!validating_name(s, l) && !rl_word_is(s, l, "cast")) return 0;
  TSNode args = field(n, "arguments");
  for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
    const char *d = source_obj(st, ts_node_named_child(args, i));
    if (d && st->nvalidated < 16) st->validated_src[st->nvalidated++] = d;
  }
  return 0;
}

/* ---- claims and sinks ------------------------------------------------------------------ */

typedef struct claimwords {
  int yes;
  int first_can;
  int n;
} claimwords;

static int claim_word(void *data, const char *w, size_t n) {
  claimwords *c = data;
  static const char *const words[] = {"role",        "roles",     "admin",      "grant",  "grants", "permission",
                                      "permissions", "privilege", "privileges", "scope",  "scopes", "hidden",
                                      "recorder",    "publish",   "subscribe",  "create", "record", NULL};
  if (c->n++ == 0 && rl_word_is(w, n, "can")) c->first_can = 1;
  for (size_t i = 0; words[i]; i++)
    if (rl_word_is(w, n, words[i])) c->yes = 1;
  return 0;
}

static int claim_name(const char *s, size_t n) {
  if (rl_word_is(s, n, "type")) return 1;
  claimwords c = {0, 0, 0};
  rl_name_words(s, n, claim_word, &c);
  return c.yes || (c.first_can && c.n > 1);
}

static void report(state *st, TSNode at, const char *claim, size_t claimlen, const char *desc) {
  const char *advice = "check it against an allow-list of values this user may have";
  claimwords c = {0, 0, 0};
  rl_name_words(claim, claimlen, claim_word, &c);
  if (rl_word_is(claim, claimlen, "type"))
    advice = "set the token type on the server";
  else if (rl_name_has_word(claim, claimlen, (const char *const[]){"role", "roles", NULL}))
    advice = "check it against an allow-list of roles this user may have";
  else if (c.first_can || rl_name_has_word(claim, claimlen, (const char *const[]){"admin", "grant", "grants", NULL}))
    advice = "decide grants on the server from what this user may do";
  rl_report(st->ctx, at, "%.*s from %s goes into %s unchecked: %s", (int)claimlen, claim, desc, st->sink, advice);
}

/* One claim key with its value. */
static void check_claim(state *st, TSNode at, const char *key, size_t keylen, TSNode value) {
  if (!claim_name(key, keylen)) return;
  const char *d = source_scalar(st, value);
  if (!d || checked(st, value, d)) return;
  report(st, at, key, keylen, d);
}

static int obj_visit(void *data, TSNode n) {
  state *st = data;
  const char *t = ts_node_type(n);
  if (!strcmp(t, "object")) return 0;
  if (!strcmp(t, "pair")) {
    TSNode v = rl_js_unwrap(field(n, "value"));
    if (type_is(v, "object")) return 0;
    const char *k;
    size_t kl;
    if (rl_js_pair_key(st->jf, n, &k, &kl)) check_claim(st, n, k, kl, v);
    return 1;
  }
  if (!strcmp(t, "shorthand_property_identifier")) {
    size_t kl;
    const char *k = rl_js_text(st->jf, n, &kl);
    check_claim(st, n, k, kl, n);
    return 1;
  }
  if (!strcmp(t, "spread_element")) {
    TSNode e = ts_node_named_child(n, 0);
    const char *d = source_obj(st, e);
    if (d && !st->mw_validates) {
      int ok = 0;
      for (uint32_t i = 0; i < st->nvalidated; i++)
        if (!strcmp(st->validated_src[i], d)) ok = 1;
      if (!ok)
        rl_report(st->ctx, n,
                  "%s is spread into %s: every claim, role included, comes from the client unchecked: "
                  "pick the fields you need and check role against an allow-list",
                  d, st->sink);
    }
    return 1;
  }
  return 1;
}

static void check_object(state *st, TSNode obj) {
  if (!ts_node_is_null(obj)) rl_js_walk(obj, obj_visit, st);
}

static void on_mint(void *data, const rl_mint *m) {
  state *st = data;
  st->sink = "the token";
  check_object(st, m->payload);
  check_object(st, m->options);
  /* Agora's role argument, OpenTok options... : claim-named arguments */
  TSNode args = field(m->call, "arguments");
  for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
    TSNode a = rl_js_unwrap(ts_node_named_child(args, i));
    if (type_is(a, "identifier") || type_is(a, "member_expression")) {
      TSNode nm = type_is(a, "member_expression") ? field(a, "property") : a;
      size_t l;
      const char *s = rl_js_text(st->jf, nm, &l);
      check_claim(st, a, s, l, a);
    }
  }
}

typedef struct wordhit {
  int yes;
} wordhit;

static int token_or_room(void *data, const char *w, size_t n) {
  wordhit *h = data;
  if (rl_word_is(w, n, "token") || rl_word_is(w, n, "room") || rl_word_is(w, n, "rooms")) h->yes = 1;
  return h->yes;
}

static int call_visit(void *data, TSNode n) {
  state *st = data;
  if (!type_is(n, "call_expression")) return 0;
  rl_mint m;
  if (rl_mint_match(st->jf, n, &m)) return 0; /* handled by on_mint */
  TSNode fn = rl_js_unwrap(field(n, "function"));
  TSNode name = type_is(fn, "member_expression") ? field(fn, "property") : fn;
  if (!type_is(name, "identifier") && !type_is(name, "property_identifier")) return 0;
  size_t l;
  const char *s = rl_js_text(st->jf, name, &l);
  int grant = rl_word_is(s, l, "addGrant");
  wordhit h = {0};
  rl_name_words(s, l, token_or_room, &h);
  if (!grant && !h.yes) return 0;
  st->sink = grant ? "the token's grants" : rl_arena_printf(rl_ctx_arena(st->ctx), "%.*s()", (int)l, s);
  TSNode args = field(n, "arguments");
  for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
    TSNode a = rl_js_unwrap(ts_node_named_child(args, i));
    TSNode obj = rl_js_object_of(st->jf, a);
    if (!ts_node_is_null(obj) && type_is(a, "object")) {
      check_object(st, obj);
    } else if (type_is(a, "identifier") || type_is(a, "member_expression")) {
      TSNode nm = type_is(a, "member_expression") ? field(a, "property") : a;
      size_t nl;
      const char *ns = rl_js_text(st->jf, nm, &nl);
      check_claim(st, a, ns, nl, a);
    } else if (!ts_node_is_null(obj)) {
      check_object(st, obj);
    }
  }
  return 0;
}

static int mw_validates(state *st) {
  static const char *const marks[] = {"isIn",      "valid",       "Valid",  "oneOf",  "enum",
                                      "celebrate", "checkSchema", "schema", "Schema", NULL};
  for (uint32_t i = 0; i < st->r->nmiddlewares; i++) {
    size_t l;
    const char *s = rl_js_text(st->jf, st->r->middlewares[i], &l);
    for (size_t k = 0; marks[k]; k++) {
      size_t ml = strlen(marks[k]);
      for (size_t j = 0; j + ml <= l; j++)
        if (!memcmp(s + j, marks[k], ml)) return 1;
    }
  }
  return 0;
}

static void on_route(void *data, const rl_route *r) {
  state *st = data;
  if (ts_node_is_null(r->handler)) return;
  st->r = r;
  st->nobjs = st->nscalars = st->nvalidated = 0;
  if (!strcmp(r->framework, "nestjs")) bind_nest_params(st);
  rl_js_walk(r->handler, bind_visit, st);
  st->mw_validates = strcmp(r->framework, "nestjs") ? mw_validates(st) : 0;
  rl_js_walk(r->handler, whole_visit, st);
  rl_mint_each(st->jf, r->handler, on_mint, st);
  rl_js_walk(r->handler, call_visit, st);
}

static void on_file(rl_ctx *ctx) {
  state st;
  memset(&st, 0, sizeof st);
  st.ctx = ctx;
  st.jf = rl_ctx_js(ctx);
  st.root = rl_ctx_root(ctx);
  if (!st.jf) return;
  rl_routes_each(st.jf, st.root, NULL, on_route, &st);
}

/* A finding needs a request source: req.body/query/params, ctx.request.body,
 * req.json()/formData(), searchParams, c.req.query/param, @Body/@Query/@Param,
 * or new URL(req.url) (its text ends in ".url"). */
static const char *const needles[] = {"body",  "Body", "query",    "Query", "param",
                                      "Param", "json", "formData", ".url",  NULL};

/* "can" (any case) where a name's first word could start: not after an
 * ASCII letter, and not followed by a lower-case letter (cancel, canvas). */
static int may_have_can_word(const rl_prefilter *pf) {
  size_t n;
  const char *b = rl_pf_bytes(pf, &n);
  for (size_t i = 0; i + 3 <= n; i++) {
    if (rl_strncasecmp_ascii(b + i, "can", 3)) continue;
    unsigned char before = i > 0 ? (unsigned char)b[i - 1] : ' ';
    unsigned char after = i + 3 < n ? (unsigned char)b[i + 3] : ' ';
    int letter_before = (before >= 'a' && before <= 'z') || (before >= 'A' && before <= 'Z');
    if (!letter_before && !(after >= 'a' && after <= 'z')) return 1;
  }
  return 0;
}

/* Every finding is made in a route handler (rl_routes_each), so it needs
 * rl_routes_possible, and a sink: a mint site (every kind names a token --
 * AccessToken, build*Token*, generateToken, get*Token, 'jsonwebtoken' --
 * except jose's, imported from 'jose'), addGrant, or a call named with the
 * words token/room/rooms. What reaches the sink is either a spread of the
 * request ("...") or a claim: a key or name that is "type" or holds one of
 * claim_word's words (in any case, as rl_name_words splits it) or starts
 * with the word "can". */
static int can_fire(rl_prefilter *pf) {
  if (!rl_routes_possible(pf)) return 0;
  if (!rl_pf_has_caseless(pf, "token") && !rl_pf_has_caseless(pf, "room") && !rl_pf_has(pf, "addGrant") &&
      !rl_pf_module(pf, "jose"))
    return 0;
  static const char *const claims[] = {"role",   "admin",  "grant",   "permission", "privilege", "scope",
                                       "hidden", "record", "publish", "subscribe",  "create",    NULL};
  if (rl_pf_has(pf, "...") || rl_pf_has(pf, "type")) return 1;
  for (size_t i = 0; claims[i]; i++)
    if (rl_pf_has_caseless(pf, claims[i])) return 1;
  return may_have_can_word(pf);
}

const rl_rule rl_rule_unvalidated_token_input = {
    .id = "unvalidated-token-input",
    .title = "Privilege claim taken from the request into a token unchecked",
    .severity = RL_SEV_WARNING,
    .cwe = 20,
    .doc = rl_doc__unvalidated_token_input,
    .langs = RL_LANGS_CODE,
    .contexts = RL_CTX_BIT(RL_CTX_SERVER) | RL_CTX_BIT(RL_CTX_UNKNOWN),
    .query = NULL,
    .on_match = NULL,
    .on_file = on_file,
    .needles = needles,
    .can_fire = can_fire,
    .bad_example =
        "const express = require('express');\n"
        "const jwt = require('jsonwebtoken');\n"
        "const app = express();\n"
        "app.post('/api/token', requireAuth, (req, res) => {\n"
        "  const { roomId, role } = req.body;\n"
        "  const token = jwt.sign({ access_key: process.env.HMS_ACCESS_KEY, room_id: roomId, role,\n"
        "    user_id: req.user.id, type: 'app', version: 2 }, process.env.HMS_APP_SECRET, { expiresIn: '2h' });\n"
        "  res.json({ token });\n"
        "});\n",
    .good_example =
        "const express = require('express');\n"
        "const jwt = require('jsonwebtoken');\n"
        "const app = express();\n"
        "const ROLES = ['guest', 'viewer'];\n"
        "app.post('/api/token', requireAuth, (req, res) => {\n"
        "  const { roomId, role } = req.body;\n"
        "  if (!ROLES.includes(role)) return res.status(403).json({ error: 'role not allowed' });\n"
        "  const token = jwt.sign({ access_key: process.env.HMS_ACCESS_KEY, room_id: roomId, role,\n"
        "    user_id: req.user.id, type: 'app', version: 2 }, process.env.HMS_APP_SECRET, { expiresIn: '2h' });\n"
        "  res.json({ token });\n"
        "});\n",
    .precision = "high",
    .security_severity = "6.5",
};
