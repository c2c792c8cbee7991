/* unvalidated-token-input: a privilege-bearing claim taken from the request
 * and put into a token (or a room call) with no allow-list check.
 *
 * In each route handler (rules/routes.c):
 *   sources   what facts/reqinput.h says comes from the request (one
 *             table: Express/Fastify req.body/query/params, Koa ctx.request.
 *             body, Fetch req.json()/formData()/searchParams, Hono c.req,
 *             Lambda JSON.parse(event.body), h3 readBody, NestJS @Body/
 *             @Query/@Param/@Args, Firebase callables), through bindings,
 *             destructuring, defaults, String() and `||`/`??`;
 *   sinks     the payload and options of a mint site (rules/mint.h), nested
 *             objects included; LiveKit at.addGrant({...}); the arguments
 *             of a call whose name says token or room (generateToken(roomId,
 *             role), createRoom({ role })) or of a helper another project
 *             file exports that mints (the project model's summary, in a
 *             file that says token or room somewhere, as the prefilter
 *             needs); the JSON body and the /role/:role path segment of a
 *             provider REST call that writes (facts/privileged.h), and
 *             of a request to an upstream token endpoint the route relays
 *             (facts/forward.h); a spread of the whole source into a token
 *             payload;
 *   claims    role, roles, hms_role, type, can* grants (canPublish,
 *             canSubscribe...), roomAdmin, roomCreate, roomList,
 *             roomRecord, hidden, recorder, admin, permissions, grants,
 *             privileges, scope, owner (Daily's is_owner);
 *   checks    (any of these in the handler, before the value's use or
 *             after it as the test of an `if` that returns or throws, clears
 *             the value) includes()/
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
#include "forward.h"
#include "mint.h"
#include "privileged.h"
#include "project.h"
#include "reqinput.h"
#include "requrl.h"
#include "routes.h"
#include "rule.h"
#include "util.h"

extern const char rl_doc__unvalidated_token_input[];

static int type_is(TSNode n, const char *t) { return !ts_node_is_null(n) && !strcmp(ts_node_type(n), t); }

static TSNode field(TSNode n, const char *name) { return rl_js_field(n, name); }

typedef struct state {
  rl_ctx *ctx;
  rl_jsfile *jf;
  TSNode root;
  const rl_route *r;
  rl_reqin in;                   /* what this handler's request gives (facts/reqinput.h) */
  const char *validated_src[16]; /* source texts passed whole to a validator */
  uint32_t nvalidated;
  int mw_validates;
  int says_token;   /* the bytes hold "token" or "room" (any case): see can_fire */
  const char *sink; /* "the token", "generateToken()" */
} state;

/* ---- checks -------------------------------------------------------------------------- */

#define MAX_COERCE 4

typedef struct vscan {
  state *st;
  const char *text; /* the value's text: "role", "req.body.role", "dto.role" */
  size_t len;
  int ok;
  /* the expressions that make the value the sink gets (the sink's own
   * expression, the initialisers of the names it goes through): a
   * comparison inside them coerces, it checks nothing */
  TSNode coerce[MAX_COERCE];
  int ncoerce;
  uint32_t limit; /* the end of the sunk value: a check that starts past it
                     runs after the token is made (0: no limit) */
} vscan;

static int in_coercion(const vscan *v, TSNode n) {
  for (int i = 0; i < v->ncoerce; i++)
    if (ts_node_start_byte(n) >= ts_node_start_byte(v->coerce[i]) &&
        ts_node_end_byte(n) <= ts_node_end_byte(v->coerce[i]))
      return 1;
  return 0;
}

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

/* A name the code writes, not computes: a literal or a member chain of
 * names (RtcRole.PUBLISHER). */
static int names_constant(state *st, TSNode n) {
  n = rl_js_unwrap(n);
  const char *s;
  size_t l;
  if (rl_js_eval_string(st->jf, n, &s, &l) || type_is(n, "true") || type_is(n, "false") || type_is(n, "number"))
    return 1;
  while (type_is(n, "member_expression") && type_is(field(n, "property"), "property_identifier"))
    n = rl_js_unwrap(field(n, "object"));
  return type_is(n, "identifier");
}

/* 1 if the comparison n is used as a value rather than to decide what runs:
 * the value of a property (`canPublish: role === 'host'`), or the condition
 * of a pick between two constants (`role === 'host' ? RtcRole.PUBLISHER :
 * RtcRole.SUBSCRIBER`), through parentheses, ! and &&/||. Whatever the
 * caller sends, such a comparison refuses nothing: it turns the caller's
 * word into the grant. */
static int comparison_is_value(state *st, TSNode n) {
  for (int hops = 0; hops < 8; hops++) {
    TSNode p = rl_js_parent(n);
    const char *t = ts_node_is_null(p) ? "" : ts_node_type(p);
    if (!strcmp(t, "parenthesized_expression") ||
        (!strcmp(t, "unary_expression") && rl_js_text_is(st->jf, field(p, "operator"), "!"))) {
      n = p;
      continue;
    }
    if (!strcmp(t, "binary_expression")) {
      TSNode op = field(p, "operator");
      if (!rl_js_text_is(st->jf, op, "&&") && !rl_js_text_is(st->jf, op, "||")) return 0;
      n = p;
      continue;
    }
    if (!strcmp(t, "pair")) return ts_node_eq(field(p, "value"), n);
    if (!strcmp(t, "ternary_expression"))
      return ts_node_eq(field(p, "condition"), n) && names_constant(st, field(p, "consequence")) &&
             names_constant(st, field(p, "alternative"));
    return 0;
  }
  return 0;
}

/* After the token is made, a test refuses only as the condition of an `if`
 * whose branch returns or throws: the token is then never handed out.
 * `if (role === 'publisher') storeSession(id)` after the mint checks nothing. */
static int refuses_after(rl_jsfile *jf, TSNode n) {
  TSNode c = n;
  for (int hops = 0; hops < 8; hops++) {
    TSNode p = rl_js_parent(c);
    if (ts_node_is_null(p)) return 0;
    if (type_is(p, "if_statement"))
      return ts_node_eq(c, field(p, "condition")) && rl_js_leaves(jf, field(p, "consequence"));
    if (!type_is(p, "parenthesized_expression") && !type_is(p, "unary_expression") && !type_is(p, "binary_expression"))
      return 0;
    c = p;
  }
  return 0;
}

static int check_visit(void *data, TSNode n) {
  vscan *v = data;
  state *st = v->st;
  const char *t = ts_node_type(n);
  if (v->limit && ts_node_start_byte(n) >= v->limit &&
      (!strcmp(t, "call_expression") || !strcmp(t, "binary_expression") || !strcmp(t, "switch_statement") ||
       !strcmp(t, "subscript_expression")) &&
      !refuses_after(st->jf, n))
    return 0;
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
    /* body.isHost === true as the value itself: the caller still chooses */
    if ((rl_word_is(op, ol, "===") || rl_word_is(op, ol, "!==") || rl_word_is(op, ol, "==") ||
         rl_word_is(op, ol, "!=")) &&
        ((same(v, l) && constant_like(st, r)) || (same(v, r) && constant_like(st, l))) && !in_coercion(v, n) &&
        !comparison_is_value(st, n))
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
/* The route's middleware validates, or the whole source desc went through a
 * validator in the handler (whole_visit). */
static int validated_whole(const state *st, const char *desc) {
  if (st->mw_validates) return 1;
  for (uint32_t i = 0; i < st->nvalidated; i++)
    if (!strcmp(st->validated_src[i], desc)) return 1;
  return 0;
}

static int checked(state *st, TSNode value, const char *desc, TSNode sunk) {
  if (validated_whole(st, desc)) return 1;
  value = rl_js_unwrap(value);
  if (type_is(value, "binary_expression")) value = rl_js_unwrap(field(value, "left"));
  vscan v = {st, NULL, 0, 0, {{{0}, NULL, NULL}}, 0, 0};
  v.text = rl_js_text(st->jf, value, &v.len);
  if (!ts_node_is_null(sunk)) v.limit = ts_node_end_byte(sunk);
  for (TSNode e = rl_js_unwrap(sunk); !ts_node_is_null(e) && v.ncoerce < MAX_COERCE;) {
    v.coerce[v.ncoerce++] = e;
    if (!type_is(e, "identifier") && !type_is(e, "shorthand_property_identifier")) break;
    e = rl_js_unwrap(rl_js_local_init(st->jf, e));
  }
  rl_js_walk(st->r->handler, check_visit, &v);
  if (v.ok) return 1;
  /* NestJS DTO: dto.role with @IsIn on the class property */
  if (type_is(value, "member_expression") && strstr(desc, "(@")) {
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
  if (rl_js_text_is(st->jf, fn, "JSON.parse")) return 0; /* reads the body, checks nothing */
  TSNode args = field(n, "arguments");
  for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
    const char *d = rl_reqin_object(&st->in, ts_node_named_child(args, i));
    if (d && st->nvalidated < 16) st->validated_src[st->nvalidated++] = d;
  }
  return 0;
}

/* ---- claims and sinks ------------------------------------------------------------------ */

typedef struct claimwords {
  int yes;
  int first_can;
  int first_is; /* isHost, asModerator: a flag saying the caller holds a role */
  int n;
} claimwords;

static int claim_word(void *data, const char *w, size_t n) {
  claimwords *c = data;
  static const char *const roles[] = {"host", "moderator", "presenter", "speaker", "publisher", "broadcaster", NULL};
  if (c->n == 0 && (rl_word_is(w, n, "is") || rl_word_is(w, n, "as"))) c->first_is = 1;
  if (c->n == 1 && c->first_is)
    for (size_t i = 0; roles[i]; i++)
      if (rl_word_is(w, n, roles[i])) c->yes = 1;
  static const char *const words[] = {"role",       "roles",       "admin",     "grant",      "grants",
                                      "permission", "permissions", "privilege", "privileges", "scope",
                                      "scopes",     "hidden",      "recorder",  "publish",    "subscribe",
                                      "create",     "record",      "owner",     NULL};
  if (c->n++ == 0 && rl_word_is(w, n, "can")) c->first_can = 1;
  for (size_t i = 0; words[i]; i++)
    if (rl_word_is(w, n, words[i])) c->yes = 1;
  return 0;
}

static int claim_name(const char *s, size_t n) {
  if (rl_word_is(s, n, "type")) return 1;
  claimwords c = {0, 0, 0, 0};
  rl_name_words(s, n, claim_word, &c);
  return c.yes || (c.first_can && c.n > 1);
}

static void report(state *st, TSNode at, const char *claim, size_t claimlen, const char *desc) {
  const char *advice = "check it against an allow-list of values this user may have";
  claimwords c = {0, 0, 0, 0};
  rl_name_words(claim, claimlen, claim_word, &c);
  if (rl_word_is(claim, claimlen, "type"))
    advice = "the caller may ask for a management token; set the token type on the server";
  else if (rl_name_has_word(claim, claimlen, (const char *const[]){"role", "roles", NULL}))
    advice = "check it against an allow-list of roles this user may have";
  else if (c.first_can || c.first_is ||
           rl_name_has_word(claim, claimlen, (const char *const[]){"admin", "grant", "grants", "owner", NULL}))
    advice = "decide grants on the server from what this user may do";
  rl_report(st->ctx, at, "%.*s comes from %s and goes into %s unchecked: %s", (int)claimlen, claim, desc, st->sink,
            advice);
}

/* One claim key with its value. */
static void check_claim(state *st, TSNode at, const char *key, size_t keylen, TSNode value) {
  if (!claim_name(key, keylen)) return;
  TSNode read = value;
  const char *d = rl_reqin_value(&st->in, value, &read);
  if (d) {
    if (!checked(st, read, d, value)) report(st, at, key, keylen, d);
    return;
  }
  /* `let role = SUBSCRIBER; if (req.query.role == 'publisher') role =
   * PUBLISHER`: the request picks the constant. The test of the pick is no
   * check of the name; a later test of the name is. */
  TSNode cond;
  d = rl_reqin_branch_pick(&st->in, value, &read, &cond);
  if (!d || checked(st, value, "", value)) return;
  size_t cl;
  const char *ct = rl_js_text(st->jf, rl_js_unwrap(cond), &cl);
  const char *by = type_is(rl_js_parent(cond), "switch_statement") ? "switch" : "if";
  rl_report(st->ctx, at,
            "%.*s is picked by `%s (%.*s%s)` on %s and goes into %s: whoever sends the request chooses it; decide "
            "it on the server from who the user is (their session or account)",
            (int)keylen, key, by, (int)(cl > 48 ? 45 : cl), ct, cl > 48 ? "..." : "", d, st->sink);
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
    const char *d = rl_reqin_object(&st->in, e);
    TSNode read = e;
    const char *v = d ? NULL : rl_reqin_value(&st->in, e, &read);
    if (v && !checked(st, read, v, e)) {
      /* ...grants, where const { grants } = await req.json() */
      size_t l;
      const char *s = rl_js_text(st->jf, read, &l);
      rl_report(st->ctx, n,
                "%.*s comes from %s and is spread into %s: every grant in it is the client's choice: "
                "pick the fields you need and decide them on the server",
                (int)(l > 40 ? 40 : l), s, v, st->sink);
      return 1;
    }
    if (d && !validated_whole(st, d))
      rl_report(st->ctx, n,
                "%s is spread into %s: every claim, role included, comes from the client unchecked: "
                "pick the fields you need and check role against an allow-list",
                d, st->sink);
    return 1;
  }
  return 1;
}

static void check_object(state *st, TSNode obj) {
  if (!ts_node_is_null(obj)) rl_js_walk(obj, obj_visit, st);
}

/* The claim an argument names: `role`, `body.role`, and for a read by key
 * (`searchParams.get('role')`, `c.req.query('role')`) the key. */
static int arg_claim_name(state *st, TSNode a, const char **out, size_t *len) {
  TSNode read = {{0}, NULL, NULL};
  if (rl_reqin_value(&st->in, a, &read) && !ts_node_is_null(read)) a = rl_js_unwrap(read); /* Number(q.role ?? 2) */
  if (type_is(a, "identifier") || type_is(a, "shorthand_property_identifier")) {
    *out = rl_js_text(st->jf, a, len);
    return 1;
  }
  if (type_is(a, "member_expression")) {
    *out = rl_js_text(st->jf, field(a, "property"), len);
    return 1;
  }
  return type_is(a, "call_expression") && rl_js_string_value(st->jf, rl_js_call_arg(a, 0), out, len);
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
    const char *s;
    size_t l;
    if (arg_claim_name(st, a, &s, &l)) {
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

/* The body a request sends: axios's data argument, or fetch's init.body,
 * through JSON.stringify. */
static TSNode request_body(state *st, const rl_request *rq) {
  TSNode b = rq->data;
  if (ts_node_is_null(b) && !ts_node_is_null(rq->init))
    b = rl_js_object_get(st->jf, rl_js_object_of(st->jf, rq->init), "body");
  b = rl_js_unwrap(b);
  if (type_is(b, "call_expression") && rl_js_text_is(st->jf, rl_js_unwrap(field(b, "function")), "JSON.stringify"))
    b = rl_js_unwrap(rl_js_call_arg(b, 0));
  return b;
}

/* `/role/${role}` in a provider URL (100ms POST
 * /room-codes/room/:id/role/:role): a substitution right after a "/role/"
 * or "/roles/" segment names the role it asks for. */
static void check_url_role(state *st, TSNode url) {
  url = rl_js_unwrap(url);
  if (type_is(url, "identifier")) url = rl_js_unwrap(rl_value_source(st->jf, url)); /* const url = `...` */
  if (!type_is(url, "template_string")) return;
  const char *prev = NULL;
  size_t prevl = 0;
  for (uint32_t i = 0; i < ts_node_named_child_count(url); i++) {
    TSNode c = ts_node_named_child(url, i);
    if (type_is(c, "string_fragment")) {
      prev = rl_js_text(st->jf, c, &prevl);
      continue;
    }
    if (!type_is(c, "template_substitution")) continue;
    int after_role = (prevl >= 6 && !memcmp(prev + prevl - 6, "/role/", 6)) ||
                     (prevl >= 7 && !memcmp(prev + prevl - 7, "/roles/", 7));
    prev = NULL;
    prevl = 0;
    if (after_role && ts_node_named_child_count(c) > 0) check_claim(st, c, "role", 4, ts_node_named_child(c, 0));
  }
}

/* A provider REST call that writes (facts/privileged.h). One that mints join
 * tokens (Daily POST /meeting-tokens) takes the token's properties in its
 * body: sent whole from the request, every property is the client's
 * (is_owner, exp...). Any other (100ms /room-codes, /active-rooms/:id/peers,
 * a token-issuing path of its own) has its body's claims judged one by one,
 * and a role in its URL path. 1 if n is such a call. */
static int provider_call(state *st, TSNode n) {
  rl_priv pv;
  int ro = 0;
  if (!rl_priv_rest_call(st->jf, n, &pv, &ro)) return 0;
  rl_request rq;
  if (!rl_request_parse(st->jf, n, &rq)) return 1;
  TSNode body = request_body(st, &rq);
  if (pv.mints) {
    st->sink = rl_arena_printf(rl_ctx_arena(st->ctx), "the %s token this request mints", pv.provider);
  } else {
    const char *shown = rl_url_shown(rl_ctx_arena(st->ctx), rq.url, rq.url_len);
    st->sink = rl_arena_printf(rl_ctx_arena(st->ctx), "the %s REST call (%s %s)", pv.provider,
                               pv.method ? pv.method : "", shown);
    check_url_role(st, rq.url_expr);
    TSNode obj = rl_js_object_of(st->jf, body);
    if (!ts_node_is_null(obj)) check_object(st, obj);
    return 1;
  }
  if (ts_node_is_null(body)) return 1;
  const char *d = rl_reqin_object(&st->in, body);
  if (d) {
    if (!validated_whole(st, d))
      rl_report(st->ctx, body,
                "%s is sent whole as the properties of %s: the client sets every one of them (owner rights, "
                "expiry, room); build them on the server from the user's session",
                d, st->sink);
    return 1;
  }
  TSNode obj = rl_js_object_of(st->jf, body);
  if (!ts_node_is_null(obj)) check_object(st, obj);
  return 1;
}

static int call_visit(void *data, TSNode n) {
  state *st = data;
  if (!type_is(n, "call_expression")) return 0;
  rl_mint m;
  if (rl_mint_match(st->jf, n, &m)) return 0; /* handled by on_mint */
  if (provider_call(st, n)) return 0;
  TSNode fn = rl_js_unwrap(field(n, "function"));
  TSNode name = type_is(fn, "member_expression") ? field(fn, "property") : fn;
  if (!type_is(name, "identifier") && !type_is(name, "property_identifier")) return 0;
  size_t l;
  const char *s = rl_js_text(st->jf, name, &l);
  int grant = rl_word_is(s, l, "addGrant");
  wordhit h = {0};
  rl_name_words(s, l, token_or_room, &h);
  /* a helper in another project file that mints (facts/project.h) */
  const rl_symbol *sym = grant || h.yes || !st->says_token ? NULL : rl_ctx_callee(st->ctx, n);
  if (!grant && !h.yes && !(sym && (sym->effects & RL_EFF_MINT))) return 0;
  st->sink = grant ? "the token's grants"
             : sym ? rl_arena_printf(rl_ctx_arena(st->ctx), "%.*s(), which mints a token", (int)l, s)
                   : rl_arena_printf(rl_ctx_arena(st->ctx), "%.*s()", (int)l, s);
  TSNode args = field(n, "arguments");
  for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
    TSNode a = rl_js_unwrap(ts_node_named_child(args, i));
    TSNode obj = rl_js_object_of(st->jf, a);
    const char *ns;
    size_t nl;
    /* generateRtcToken({ role }) or, through a const, generateRtcToken(config):
     * the object's claims; a name that holds no object literal is a claim */
    if (!ts_node_is_null(obj) && (type_is(a, "object") || type_is(rl_js_unwrap(obj), "object"))) {
      check_object(st, obj);
    } else if (arg_claim_name(st, a, &ns, &nl)) {
      check_claim(st, a, ns, nl, a);
    } else if (!ts_node_is_null(obj)) {
      check_object(st, obj);
    }
  }
  return 0;
}

/* A route that relays to an upstream token endpoint (facts/forward.h:
 * `fetch(\`${process.env.TOKEN_ENDPOINT}api/token\`, { body: JSON.stringify({
 * room_id, role }) })`): the claims of the body it sends are the token's.
 * A provider's own REST call is judged by provider_call. */
static void forwarded_body(state *st, const rl_route *r) {
  rl_room_action fw;
  rl_priv pv;
  int ro = 0;
  if (!rl_route_forwards_token(st->jf, r, &fw) || ts_node_is_null(fw.node) || !type_is(fw.node, "call_expression") ||
      rl_priv_rest_call(st->jf, fw.node, &pv, &ro))
    return;
  rl_request rq;
  if (!rl_request_parse(st->jf, fw.node, &rq)) return;
  TSNode obj = rl_js_object_of(st->jf, request_body(st, &rq));
  if (ts_node_is_null(obj)) return;
  const char *shown = rl_url_shown(rl_ctx_arena(st->ctx), rq.url, rq.url_len);
  st->sink = rl_arena_printf(rl_ctx_arena(st->ctx), "the token the upstream endpoint %s mints", shown);
  check_object(st, obj);
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
  st->nvalidated = 0;
  rl_reqin_scan(&st->in, st->jf, rl_ctx_arena(st->ctx), r->handler, r->req_name);
  st->mw_validates = strcmp(r->framework, "nestjs") ? mw_validates(st) : 0;
  rl_js_walk(r->handler, whole_visit, st);
  rl_mint_each(st->jf, r->handler, on_mint, st);
  rl_js_walk(r->handler, call_visit, st);
  forwarded_body(st, r);
}

static void on_file(rl_ctx *ctx) {
  state st;
  memset(&st, 0, sizeof st);
  st.ctx = ctx;
  st.jf = rl_ctx_js(ctx);
  st.root = rl_ctx_root(ctx);
  if (!st.jf) return;
  const rl_source *src = rl_ctx_source(ctx);
  st.says_token = rl_memcasemem(src->bytes, src->len, "token") || rl_memcasemem(src->bytes, src->len, "room");
  rl_routes_each(st.jf, st.root, NULL, on_route, &st);
}

/* A finding needs a request source (facts/reqinput.c's table): each shape
 * spells one of these (req.body/readBody/@Body, query/getQuery/@Query,
 * params/searchParams/queryStringParameters/@Param, json(), formData(),
 * text(), new URL(x.url), request.data and onCall's data, @Args, headers). */
static const char *const needles[] = {
    "body",     "Body", "query", "Query", "param", "Param", "json",
    "formData", ".url", "text",  "data",  "Args",  "eader", "use server", /* a Server Action's arguments */
    NULL};

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
 * claim_word's words (in any case, as rl_name_words splits it), starts
 * with the word "can", or is is/as + a role word (isHost: "host"...). */
static int can_fire(rl_prefilter *pf) {
  if (!rl_routes_possible(pf)) return 0;
  if (!rl_pf_has_caseless(pf, "token") && !rl_pf_has_caseless(pf, "room") && !rl_pf_has(pf, "addGrant") &&
      !rl_pf_module(pf, "jose"))
    return 0;
  static const char *const claims[] = {"role",   "admin",     "grant",     "permission", "privilege",   "scope",
                                       "hidden", "record",    "publish",   "subscribe",  "create",      "owner",
                                       "host",   "moderator", "presenter", "speaker",    "broadcaster", NULL};
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
