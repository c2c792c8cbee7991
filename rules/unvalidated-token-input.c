/* unvalidated-token-input: a privilege-bearing claim taken from the request
 * and put into a token (or a room call) with no allow-list check.
 *
 * In each route handler (rules/routes.c), and in each exported function
 * that a route of another project file calls (rl_ctx_handler_routes: the
 * controller of `router.post('/token', c.generateToken)`, judged with that
 * route's middleware and reported naming it; only after a dry run says the
 * function would report, so the model looks for routes only then):
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
#include "auth.h"
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
  /* a handler another file routes to (rl_ctx_handler_routes): " in the
   * handler of POST /token (routes/r.js:4)", else "" */
  const char *via;
  const rl_handler_route *hr;
  int dry, would;    /* dry: count what would be reported, report nothing */
  TSNode routed[32]; /* the handlers of this file's own routes */
  uint32_t nrouted;
  /* the helper call being judged (call_visit): the same-file function or
   * the project symbol called, the argument's position, and its object */
  TSNode callee_fn;
  const rl_symbol *callee_sym;
  uint32_t arg_index;
  TSNode arg_obj;
  /* the route knows its caller: "authMiddleware sets req.user", "the
   * handler reads req.user"; NULL when not known */
  const char *knows_user;
  struct {
    TSNode fn;
    int mints;
  } minters[16]; /* local_mints' memory */
  uint32_t nminters;
} state;

/* Every finding goes through here: a dry run only counts; a handler that
 * another file routes to names that route. */
static void say_related(state *st) {
  if (st->hr)
    rl_ctx_related(
        st->ctx, st->hr->at.path, st->hr->at.line, st->hr->at.col,
        rl_arena_printf(rl_ctx_arena(st->ctx), "%s %s calls this handler here", st->hr->method, st->hr->path));
}
#define SAY(st, ...)                                                                                                   \
  do {                                                                                                                 \
    if ((st)->dry) {                                                                                                   \
      (st)->would = 1;                                                                                                 \
    } else {                                                                                                           \
      say_related(st);                                                                                                 \
      rl_report((st)->ctx, __VA_ARGS__);                                                                               \
    }                                                                                                                  \
  } while (0)

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

/* The `if` whose condition test n is (through parentheses, ! and binary
 * operators), or null. */
static TSNode condition_of_if(TSNode n) {
  TSNode c = n;
  for (int hops = 0; hops < 8; hops++) {
    TSNode p = rl_js_parent(c);
    if (ts_node_is_null(p)) break;
    if (type_is(p, "if_statement")) return ts_node_eq(c, field(p, "condition")) ? p : (TSNode){{0}, NULL, NULL};
    if (!type_is(p, "parenthesized_expression") && !type_is(p, "unary_expression") && !type_is(p, "binary_expression"))
      break;
    c = p;
  }
  return (TSNode){{0}, NULL, NULL};
}

/* After the token is made, a test refuses only as the condition of an `if`
 * whose branch returns or throws: the token is then never handed out.
 * `if (role === 'publisher') storeSession(id)` after the mint checks nothing. */
static int refuses_after(rl_jsfile *jf, TSNode n) {
  TSNode i = condition_of_if(n);
  return !ts_node_is_null(i) && rl_js_leaves(jf, field(i, "consequence"));
}

/* A literal that names a role without privileges ('guest', 'viewer'):
 * `if (userType === 'guest' && !room.hasHost) return 403` refuses guests
 * in some case, and lets every other value, 'host' included, through. */
static int low_role_literal(state *st, TSNode n) {
  static const char *const low[] = {"guest",    "viewer",  "subscriber", "audience", "attendee",
                                    "listener", "watcher", "spectator",  NULL};
  const char *s;
  size_t l;
  if (!rl_js_string_value(st->jf, rl_js_unwrap(n), &s, &l)) return 0;
  for (size_t i = 0; low[i]; i++)
    if (rl_word_is(s, l, low[i])) return 1;
  return 0;
}

static int leave_visit(void *data, TSNode n) {
  int *found = data;
  if (rl_js_is_function(n)) return 1;
  if (type_is(n, "return_statement") || type_is(n, "throw_statement")) {
    *found = 1;
    return -1;
  }
  return 0;
}

/* 0 when the equality test n is the condition of an `if` neither of
 * whose branches returns or throws anywhere: `if (userType === 'host') {
 * await markHostJoined(room) }` decides a side effect, it refuses no one.
 * 1 otherwise (any other place keeps counting as a decision). */
static int equality_may_refuse(TSNode n) {
  TSNode i = condition_of_if(n);
  if (ts_node_is_null(i)) return 1;
  int found = 0;
  rl_js_walk(field(i, "consequence"), leave_visit, &found);
  TSNode alt = field(i, "alternative");
  if (!found && !ts_node_is_null(alt)) rl_js_walk(alt, leave_visit, &found);
  return found;
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
    /* body.isHost === true as the value itself: the caller still chooses;
     * x === 'guest' singles out the one value that needs no check */
    int eq = rl_word_is(op, ol, "===") || rl_word_is(op, ol, "==");
    if (eq && (low_role_literal(st, l) || low_role_literal(st, r) || !equality_may_refuse(n))) return 0;
    if ((eq || rl_word_is(op, ol, "!==") || rl_word_is(op, ol, "!=")) &&
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
  SAY(st, at, "%.*s comes from %s%s and goes into %s unchecked: %s", (int)claimlen, claim, desc, st->via, st->sink,
      advice);
}

static int helper_checks(state *st, TSNode f, uint32_t i, const char *key, size_t kl);

/* `getUserRole(role)`: a same-file helper the request value went through
 * (facts/reqinput.h follows it) that checks the argument itself. */
static int local_helper_checks(state *st, TSNode value, TSNode read) {
  value = rl_js_unwrap(value);
  if (!type_is(value, "call_expression")) return 0;
  TSNode fn = rl_js_unwrap(field(value, "function"));
  TSNode f = type_is(fn, "identifier") ? rl_route_function_of(st->jf, st->root, fn) : (TSNode){{0}, NULL, NULL};
  if (ts_node_is_null(f)) return 0;
  TSNode args = field(value, "arguments");
  for (uint32_t j = 0; j < ts_node_named_child_count(args); j++) {
    TSNode a = ts_node_named_child(args, j);
    if (ts_node_start_byte(read) >= ts_node_start_byte(a) && ts_node_end_byte(read) <= ts_node_end_byte(a))
      return helper_checks(st, f, j, NULL, 0);
  }
  return 0;
}

/* The key that names whom a token is for: LiveKit's and Twilio's
 * `identity`, 100ms's `user_id`. */
static int identity_key(const char *k, size_t n) {
  return (n == 8 && !memcmp(k, "identity", 8)) || (n == 7 && !memcmp(k, "user_id", 7));
}

/* On a route that knows its caller (st->knows_user), an identity the
 * request names instead: the caller joins as whomever they like. */
static void check_identity(state *st, TSNode at, const char *key, size_t keylen, TSNode value) {
  TSNode read = value;
  const char *d = rl_reqin_value(&st->in, value, &read);
  if (!d || checked(st, read, d, value) || local_helper_checks(st, value, read)) return;
  size_t vl;
  const char *vt = rl_js_text(st->jf, rl_js_unwrap(read), &vl);
  SAY(st, at,
      "%.*s is %.*s from %s%s, although the route knows the signed-in user (%s): the caller chooses whom %s is "
      "for and can join as anyone; take the identity from the authenticated user",
      (int)keylen, key, (int)(vl > 40 ? 40 : vl), vt, d, st->via, st->knows_user, st->sink);
}

/* One claim key with its value. */
static void check_claim(state *st, TSNode at, const char *key, size_t keylen, TSNode value) {
  if (identity_key(key, keylen)) {
    if (st->knows_user) check_identity(st, at, key, keylen, value);
    return;
  }
  if (!claim_name(key, keylen)) return;
  TSNode read = value;
  const char *d = rl_reqin_value(&st->in, value, &read);
  if (d) {
    if (!checked(st, read, d, value) && !local_helper_checks(st, value, read)) report(st, at, key, keylen, d);
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
  SAY(st, at,
      "%.*s is picked by `%s (%.*s%s)` on %s%s and goes into %s: whoever sends the request chooses it; decide "
      "it on the server from who the user is (their session or account)",
      (int)keylen, key, by, (int)(cl > 48 ? 45 : cl), ct, cl > 48 ? "..." : "", d, st->via, st->sink);
}

static int callee_takes(state *st, uint32_t i, const char *key, size_t kl);

static int obj_visit(void *data, TSNode n) {
  state *st = data;
  const char *t = ts_node_type(n);
  if (!strcmp(t, "object")) return 0;
  int top = !ts_node_is_null(st->arg_obj) && ts_node_eq(rl_js_parent(n), st->arg_obj);
  if (!strcmp(t, "pair")) {
    const char *k;
    size_t kl;
    int has_key = rl_js_pair_key(st->jf, n, &k, &kl);
    if (top && has_key && !callee_takes(st, st->arg_index, k, kl)) return 1; /* the helper drops it */
    TSNode v = rl_js_unwrap(field(n, "value"));
    if (type_is(v, "object")) return 0;
    if (has_key) check_claim(st, n, k, kl, v);
    return 1;
  }
  if (!strcmp(t, "shorthand_property_identifier")) {
    size_t kl;
    const char *k = rl_js_text(st->jf, n, &kl);
    if (top && !callee_takes(st, st->arg_index, k, kl)) return 1;
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
      SAY(st, n,
          "%.*s comes from %s%s and is spread into %s: every grant in it is the client's choice: "
          "pick the fields you need and decide them on the server",
          (int)(l > 40 ? 40 : l), s, v, st->via, st->sink);
      return 1;
    }
    if (d && !validated_whole(st, d))
      SAY(st, n,
          "%s%s is spread into %s: every claim, role included, comes from the client unchecked: "
          "pick the fields you need and check role against an allow-list",
          d, st->via, st->sink);
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
      SAY(st, body,
          "%s%s is sent whole as the properties of %s: the client sets every one of them (owner rights, "
          "expiry, room); build them on the server from the user's session",
          d, st->via, st->sink);
    return 1;
  }
  TSNode obj = rl_js_object_of(st->jf, body);
  if (!ts_node_is_null(obj)) check_object(st, obj);
  return 1;
}

typedef struct mint_seen {
  int yes;
} mint_seen;

static void saw_mint(void *data, const rl_mint *m) {
  (void)m;
  ((mint_seen *)data)->yes = 1;
}

/* Does same-file function f mint (remembered for the file's last few)? */
static int local_mints(state *st, TSNode f) {
  for (uint32_t i = 0; i < st->nminters && i < RL_ARRAY_LEN(st->minters); i++)
    if (ts_node_eq(st->minters[i].fn, f)) return st->minters[i].mints;
  mint_seen ms = {0};
  rl_mint_each(st->jf, f, saw_mint, &ms);
  uint32_t k = st->nminters++ % RL_ARRAY_LEN(st->minters);
  st->minters[k].fn = f;
  st->minters[k].mints = ms.yes;
  return ms.yes;
}

/* The name the helper binds its i-th argument's key to (`{ isHost }`,
 * `{ isHost: host }`, `{ isHost = false }`; `opts.isHost` of a parameter
 * opts), or the i-th parameter itself when key is NULL; NULL if none. */
static const char *helper_binding(state *st, TSNode f, uint32_t i, const char *key, size_t kl, size_t *len) {
  TSNode p = rl_js_param(f, i);
  if (type_is(p, "required_parameter") || type_is(p, "optional_parameter")) p = field(p, "pattern");
  if (type_is(p, "assignment_pattern")) p = field(p, "left");
  if (type_is(p, "identifier")) {
    const char *n = rl_js_text(st->jf, p, len);
    if (!key) return n;
    const char *m = rl_arena_printf(rl_ctx_arena(st->ctx), "%.*s.%.*s", (int)*len, n, (int)kl, key);
    *len = strlen(m);
    return m;
  }
  if (!key || !type_is(p, "object_pattern")) return NULL;
  for (uint32_t c = 0; c < ts_node_named_child_count(p); c++) {
    TSNode e = ts_node_named_child(p, c), k = e, v = e;
    if (type_is(e, "pair_pattern")) {
      k = field(e, "key");
      v = rl_js_unwrap(field(e, "value"));
      if (type_is(v, "assignment_pattern")) v = field(v, "left");
    } else if (type_is(e, "object_assignment_pattern")) {
      k = v = field(e, "left");
    }
    size_t l;
    const char *t = rl_js_text(st->jf, k, &l);
    if (t && l == kl && !memcmp(t, key, kl) &&
        (type_is(v, "identifier") || type_is(v, "shorthand_property_identifier_pattern")))
      return rl_js_text(st->jf, v, len);
  }
  return NULL;
}

/* 1 if the same-file helper f checks what its i-th argument (its key
 * `key`) becomes: the checks of a handler (check_visit), in f's body. */
static int helper_checks(state *st, TSNode f, uint32_t i, const char *key, size_t kl) {
  vscan v = {st, NULL, 0, 0, {{{0}, NULL, NULL}}, 0, 0};
  v.text = helper_binding(st, f, i, key, kl, &v.len);
  if (!v.text) return 0;
  rl_js_walk(field(f, "body"), check_visit, &v);
  return v.ok;
}

/* May the callee (a same-file function or a project symbol) use key `key`
 * of its i-th argument (key NULL: the argument itself) unchecked? 0 when
 * it certainly never reads it (`function mint({ roomName, userId })` and
 * isHost, no i-th parameter) or, in this file, checks it itself. */
static int callee_takes(state *st, uint32_t i, const char *key, size_t kl) {
  if (!ts_node_is_null(st->callee_fn)) {
    TSNode f = st->callee_fn;
    const char *keys = rl_js_param_keys(st->jf, f, i, rl_ctx_arena(st->ctx));
    if (key ? !rl_js_keys_have(keys, key, kl) : keys && !*keys && i >= rl_js_param_count(f)) return 0;
    return !helper_checks(st, f, i, key, kl);
  }
  if (st->callee_sym) return key ? rl_symbol_reads_key(st->callee_sym, i, key, kl) : i < st->callee_sym->nparam_keys;
  return 1;
}

static void check_args(state *st, TSNode n);
static void new_visit(state *st, TSNode n);

typedef struct carries {
  state *st;
  int yes;
} carries;

static int carries_visit(void *data, TSNode n) {
  carries *c = data;
  if (rl_js_is_function(n)) return 1;
  if (type_is(n, "identifier") || type_is(n, "member_expression") || type_is(n, "call_expression") ||
      type_is(n, "shorthand_property_identifier") || type_is(n, "spread_element")) {
    TSNode e = type_is(n, "spread_element") ? ts_node_named_child(n, 0) : n;
    /* f(x): x carries it if anything does (a helper is judged later) */
    if (type_is(n, "call_expression") && type_is(rl_js_unwrap(field(n, "function")), "identifier")) return 0;
    rl_in v;
    if (rl_reqin_of(&c->st->in, e, &v)) {
      c->yes = 1;
      return -1;
    }
    return type_is(n, "call_expression") ? 0 : 1;
  }
  return 0;
}

/* May an argument of call n carry something of the request (a value, an
 * object, a name bound to either), anywhere inside it? The cheap test
 * before a helper is looked up. */
static int args_carry_request(state *st, TSNode n) {
  carries c = {st, 0};
  TSNode args = field(n, "arguments");
  for (uint32_t i = 0; i < ts_node_named_child_count(args) && !c.yes; i++) {
    TSNode a = ts_node_named_child(args, i);
    TSNode obj = type_is(rl_js_unwrap(a), "identifier") ? rl_js_object_of(st->jf, a) : (TSNode){{0}, NULL, NULL};
    rl_js_walk(a, carries_visit, &c);
    if (!c.yes && !ts_node_is_null(obj)) rl_js_walk(obj, carries_visit, &c); /* generateRtcToken(config) */
    /* a name an `if` on the request picks: the argument, or a property of
     * the object handed over (one walk of the handler each: only these) */
    TSNode o = rl_js_unwrap(ts_node_is_null(obj) ? a : obj);
    if (!c.yes && type_is(rl_js_unwrap(a), "identifier") && rl_reqin_branch_pick(&st->in, a, NULL, NULL)) c.yes = 1;
    for (uint32_t k = 0; !c.yes && type_is(o, "object") && k < ts_node_named_child_count(o); k++) {
      TSNode p = ts_node_named_child(o, k);
      TSNode v = type_is(p, "pair") ? rl_js_unwrap(field(p, "value")) : p;
      if ((type_is(v, "identifier") || type_is(v, "shorthand_property_identifier")) &&
          rl_reqin_branch_pick(&st->in, v, NULL, NULL))
        c.yes = 1;
    }
  }
  return c.yes;
}

static int call_visit(void *data, TSNode n) {
  state *st = data;
  if (type_is(n, "new_expression")) {
    rl_mint m;
    if (!rl_mint_match(st->jf, n, &m)) new_visit(st, n);
    return 0;
  }
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
  /* a helper of this file (a function declared here), or of another
   * project file (facts/project.h): a sink when it mints, whatever its
   * name; its parameters say which of the arguments' keys it takes */
  TSNode local = grant || !type_is(fn, "identifier") ? (TSNode){{0}, NULL, NULL}
                                                     : rl_route_function_of(st->jf, st->root, fn);
  if (!ts_node_is_null(local) && ts_node_eq(local, st->r->handler)) local = (TSNode){{0}, NULL, NULL};
  mint_seen ms = {0};
  if (!ts_node_is_null(local) && !h.yes) ms.yes = local_mints(st, local);
  if (!grant && !h.yes && !ms.yes && (!ts_node_is_null(local) || !st->says_token)) return 0; /* no sink */
  if (!grant && !args_carry_request(st, n)) return 0; /* nothing of the request to judge */
  const rl_symbol *sym = grant || !ts_node_is_null(local) || !st->says_token ? NULL : rl_ctx_callee(st->ctx, n);
  int mints = ms.yes || (sym && (sym->effects & RL_EFF_MINT));
  if (!grant && !h.yes && !mints) return 0;
  st->sink = grant   ? "the token's grants"
             : mints ? rl_arena_printf(rl_ctx_arena(st->ctx), "%.*s(), which mints a token", (int)l, s)
                     : rl_arena_printf(rl_ctx_arena(st->ctx), "%.*s()", (int)l, s);
  st->callee_fn = local;
  st->callee_sym = sym;
  check_args(st, n);
  return 0;
}

/* The claims among a helper call's arguments (st->sink, callee_fn and
 * callee_sym set). */
static void check_args(state *st, TSNode n) {
  TSNode args = field(n, "arguments");
  for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
    TSNode a = rl_js_unwrap(ts_node_named_child(args, i));
    TSNode obj = rl_js_object_of(st->jf, a);
    const char *ns;
    size_t nl;
    st->arg_index = i;
    /* generateRtcToken({ role }) or, through a const, generateRtcToken(config):
     * the object's claims; a name that holds no object literal is a claim */
    if (!ts_node_is_null(obj) && (type_is(a, "object") || type_is(rl_js_unwrap(obj), "object"))) {
      st->arg_obj = rl_js_unwrap(obj);
      check_object(st, obj);
    } else if (arg_claim_name(st, a, &ns, &nl)) {
      if (callee_takes(st, i, NULL, 0)) check_claim(st, a, ns, nl, a);
    } else if (!ts_node_is_null(obj)) {
      st->arg_obj = rl_js_unwrap(obj);
      check_object(st, obj);
    }
    st->arg_obj = (TSNode){{0}, NULL, NULL};
  }
  st->callee_fn = (TSNode){{0}, NULL, NULL};
  st->callee_sym = NULL;
}

/* The class a `new C(...)` makes when it is declared in this file. */
static TSNode local_class(state *st, TSNode ctor) {
  if (!type_is(ctor, "identifier")) return (TSNode){{0}, NULL, NULL};
  for (uint32_t i = 0; i < ts_node_named_child_count(st->root); i++) {
    TSNode d = ts_node_named_child(st->root, i);
    if (type_is(d, "export_statement")) d = field(d, "declaration");
    if (!type_is(d, "class_declaration")) continue;
    size_t a, b;
    const char *x = rl_js_text(st->jf, field(d, "name"), &a), *y = rl_js_text(st->jf, ctor, &b);
    if (x && y && a == b && !memcmp(x, y, a)) return d;
  }
  return (TSNode){{0}, NULL, NULL};
}

/* `new Agora({ channelName, role }).generate()`: a class of this file or
 * another whose methods mint gets the claims its constructor takes. */
static void new_visit(state *st, TSNode n) {
  TSNode ctor = rl_js_unwrap(field(n, "constructor"));
  TSNode cls = local_class(st, ctor), init = {{0}, NULL, NULL};
  const char *via = NULL;
  const rl_symbol *sym = NULL;
  if (!ts_node_is_null(cls)) {
    mint_seen ms = {0};
    rl_mint_each(st->jf, cls, saw_mint, &ms);
    if (!ms.yes) return;
    TSNode body = field(cls, "body");
    for (uint32_t i = 0; i < ts_node_named_child_count(body); i++) {
      TSNode m = ts_node_named_child(body, i);
      if (type_is(m, "method_definition") && rl_js_text_is(st->jf, field(m, "name"), "constructor")) init = m;
    }
    if (ts_node_is_null(init)) return; /* no constructor: the arguments go nowhere */
    via = NULL;
  } else {
    sym = st->says_token && type_is(ctor, "identifier") ? rl_ctx_callee(st->ctx, n) : NULL;
    if (!sym || sym->kind != RL_SYM_CLASS || !sym->mints_via) return;
    via = sym->mints_via;
  }
  size_t l;
  const char *name = rl_js_text(st->jf, ctor, &l);
  st->sink = via ? rl_arena_printf(rl_ctx_arena(st->ctx), "new %.*s(), whose %s() mints a token", (int)l, name, via)
                 : rl_arena_printf(rl_ctx_arena(st->ctx), "new %.*s(), a class that mints a token", (int)l, name);
  st->callee_fn = init;
  st->callee_sym = sym;
  check_args(st, n);
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

/* A middleware's text that says it validates (isIn, celebrate, zod...). */
static int mw_text_validates(const char *s, size_t l) {
  static const char *const marks[] = {"isIn",      "valid",       "Valid",  "oneOf",  "enum",
                                      "celebrate", "checkSchema", "schema", "Schema", NULL};
  for (size_t k = 0; marks[k]; k++) {
    size_t ml = strlen(marks[k]);
    for (size_t j = 0; j + ml <= l; j++)
      if (!memcmp(s + j, marks[k], ml)) return 1;
  }
  return 0;
}

static int mw_validates(state *st) {
  for (uint32_t i = 0; i < st->r->nmiddlewares; i++) {
    size_t l;
    const char *s = rl_js_text(st->jf, st->r->middlewares[i], &l);
    if (mw_text_validates(s, l)) return 1;
  }
  if (st->hr)
    for (uint32_t i = 0; i < st->hr->nmiddlewares; i++)
      if (mw_text_validates(st->hr->middlewares[i], strlen(st->hr->middlewares[i]))) return 1;
  return 0;
}

typedef struct user_read {
  state *st;
  const char *req, *res;
  const char *what;
} user_read;

static int user_read_visit(void *data, TSNode n) {
  user_read *u = data;
  if (!rl_auth_user_slot(u->st->jf, n, u->req, u->res)) return 0;
  size_t l;
  const char *t = rl_js_text(u->st->jf, n, &l);
  u->what = rl_arena_printf(rl_ctx_arena(u->st->ctx), "the handler reads %.*s", (int)(l > 30 ? 30 : l), t);
  return -1;
}

/* Does the route know who calls it? A middleware of the route that puts
 * the user on the request (rl_auth_sets_user, in this file or, by the
 * project's summary, another), or the handler reading it (req.user). */
static const char *knows_user(state *st, const rl_route *r) {
  for (uint32_t i = 0; i < r->nmiddlewares && strcmp(r->framework, "nestjs"); i++) {
    TSNode mw = rl_js_unwrap(r->middlewares[i]);
    TSNode f = rl_route_function_of(st->jf, st->root, mw);
    const rl_symbol *s = ts_node_is_null(f) ? rl_ctx_value(st->ctx, mw) : NULL;
    if ((!ts_node_is_null(f) && rl_auth_sets_user(st->jf, f)) || (s && (s->effects & RL_EFF_SETS_USER))) {
      size_t l;
      const char *t = rl_js_text(st->jf, mw, &l);
      return rl_arena_printf(rl_ctx_arena(st->ctx), "%.*s puts it on the request", (int)(l > 30 ? 30 : l), t);
    }
  }
  user_read u = {st, r->req_name, r->res_name, NULL};
  if (u.req) rl_js_walk(r->handler, user_read_visit, &u);
  return u.what;
}

static void on_route(void *data, const rl_route *r) {
  state *st = data;
  if (ts_node_is_null(r->handler)) return;
  if (!st->hr && !st->dry && st->nrouted < RL_ARRAY_LEN(st->routed)) st->routed[st->nrouted++] = r->handler;
  st->r = r;
  st->nvalidated = 0;
  rl_reqin_scan(&st->in, st->jf, rl_ctx_arena(st->ctx), r->handler, r->req_name);
  st->mw_validates = strcmp(r->framework, "nestjs") ? mw_validates(st) : 0;
  st->knows_user = knows_user(st, r);
  rl_js_walk(r->handler, whole_visit, st);
  rl_mint_each(st->jf, r->handler, on_mint, st);
  rl_js_walk(r->handler, call_visit, st);
  forwarded_body(st, r);
}

/* ---- handlers that another file routes to ------------------------------------------- */

/* A top-level function of the file that may be exported as a handler:
 * `exports.X = fn`, `module.exports.X = fn`, `const X = fn` (exported by
 * `module.exports = { X }` or `export { X }`), `export const X = fn`,
 * `export function X`, a wrapper call around one (asyncHandler(fn)). def:
 * the node whose start the summary records as the definition. */
typedef struct exported_fn {
  TSNode fn, def;
} exported_fn;

#define MAX_EXPORTED_FNS 64

static TSNode handler_fn(TSNode v) {
  v = rl_js_unwrap(v);
  for (int depth = 0; depth < 2 && type_is(v, "call_expression"); depth++) {
    TSNode args = field(v, "arguments");
    uint32_t n = ts_node_named_child_count(args);
    if (!n) break;
    v = rl_js_unwrap(ts_node_named_child(args, n - 1));
  }
  if (rl_js_is_function(v)) return v;
  return (TSNode){{0}, NULL, NULL};
}

static void add_fn(exported_fn *out, size_t *n, TSNode fn, TSNode def) {
  if (!ts_node_is_null(fn) && *n < MAX_EXPORTED_FNS && rl_js_param_count(fn) > 0) {
    out[*n].fn = fn;
    out[*n].def = def;
    ++*n;
  }
}

static void add_declaration_fns(exported_fn *out, size_t *n, TSNode d) {
  if (type_is(d, "function_declaration")) {
    add_fn(out, n, d, d);
    return;
  }
  if (!type_is(d, "lexical_declaration") && !type_is(d, "variable_declaration")) return;
  for (uint32_t i = 0; i < ts_node_named_child_count(d); i++) {
    TSNode vd = ts_node_named_child(d, i);
    if (type_is(vd, "variable_declarator")) add_fn(out, n, handler_fn(field(vd, "value")), vd);
  }
}

static size_t exported_fns(state *st, exported_fn *out) {
  size_t n = 0;
  for (uint32_t i = 0; i < ts_node_named_child_count(st->root); i++) {
    TSNode s = ts_node_named_child(st->root, i);
    if (type_is(s, "export_statement")) {
      add_declaration_fns(out, &n, field(s, "declaration"));
    } else if (type_is(s, "expression_statement")) {
      TSNode e = rl_js_unwrap(ts_node_named_child(s, 0));
      if (!type_is(e, "assignment_expression")) continue;
      TSNode left = rl_js_unwrap(field(e, "left"));
      if (!type_is(left, "member_expression")) continue;
      TSNode obj = field(left, "object");
      if (rl_js_text_is(st->jf, obj, "exports") || rl_js_text_is(st->jf, obj, "module.exports"))
        add_fn(out, &n, handler_fn(field(e, "right")), e);
    } else {
      add_declaration_fns(out, &n, s);
    }
  }
  return n;
}

static int routed_here(const state *st, TSNode fn) {
  for (uint32_t i = 0; i < st->nrouted; i++)
    if (ts_node_eq(st->routed[i], fn)) return 1;
  return 0;
}

/* A handler-shaped function that reads its first parameter's body, query,
 * params or headers (Express: what another file's route would hand it);
 * the parameter named req or request, as exported_handler_possible needs. */
static int reads_request(state *st, TSNode fn, const char *req) {
  static const char *const parts[] = {".body", ".query", ".params", ".headers", ".header(", NULL};
  if (strcmp(req, "req") && strcmp(req, "request")) return 0; /* what can_fire looks for */
  size_t n, rl = strlen(req);
  const char *t = rl_js_text(st->jf, field(fn, "body"), &n);
  for (size_t i = 0; t && i + rl < n; i++) {
    if (memcmp(t + i, req, rl) ||
        (i > 0 && (t[i - 1] == '_' || t[i - 1] == '$' || t[i - 1] == '.' || (t[i - 1] >= '0' && t[i - 1] <= '9') ||
                   ((t[i - 1] | 32) >= 'a' && (t[i - 1] | 32) <= 'z'))))
      continue;
    for (size_t k = 0; parts[k]; k++) {
      size_t pl = strlen(parts[k]);
      if (i + rl + pl <= n && !memcmp(t + i + rl, parts[k], pl)) return 1;
    }
  }
  return 0;
}

static void run_handler(state *st, TSNode fn, const rl_handler_route *hr) {
  rl_route r;
  memset(&r, 0, sizeof r);
  r.framework = hr ? hr->framework : "express";
  r.method = hr ? hr->method : "*";
  r.path = hr ? hr->path : "*";
  r.handler = fn;
  r.registration = fn;
  r.req_name = rl_route_param_name(st->jf, fn, 0);
  r.res_name = rl_route_param_name(st->jf, fn, 1);
  if (!r.req_name || !reads_request(st, fn, r.req_name)) return;
  st->hr = hr;
  st->via = hr ? rl_arena_printf(rl_ctx_arena(st->ctx), " in the handler of %s %s (%s:%u)", hr->method, hr->path,
                                 hr->at.path, hr->at.line)
               : "";
  on_route(st, &r);
  st->hr = NULL;
  st->via = "";
}

#define MAX_HANDLER_ROUTES 16

/* The file's exported functions that no route of its own handles: each
 * that would report as a handler (a dry run) is looked up among the
 * routes of the project's other files, and judged as the handler of the
 * first one that calls it. */
static void exported_handlers(state *st) {
  if (!rl_ctx_project_enabled(st->ctx)) return;
  exported_fn fns[MAX_EXPORTED_FNS];
  size_t n = exported_fns(st, fns), want = 0;
  int would[MAX_EXPORTED_FNS];
  for (size_t i = 0; i < n; i++) {
    would[i] = 0;
    if (routed_here(st, fns[i].fn)) continue;
    st->dry = 1;
    st->would = 0;
    run_handler(st, fns[i].fn, NULL);
    st->dry = 0;
    would[i] = st->would;
    want += (size_t)st->would;
  }
  if (!want) return;
  rl_handler_route hrs[MAX_HANDLER_ROUTES];
  size_t nh = rl_ctx_handler_routes(st->ctx, hrs, MAX_HANDLER_ROUTES);
  for (size_t i = 0; i < n; i++) {
    if (!would[i]) continue;
    uint32_t line, col;
    rl_source_position(rl_ctx_source(st->ctx), ts_node_start_byte(fns[i].def), &line, &col);
    for (size_t k = 0; k < nh; k++)
      if (hrs[k].handler.line == line && hrs[k].handler.col == col) {
        run_handler(st, fns[i].fn, &hrs[k]);
        break;
      }
  }
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
  st.via = "";
  rl_routes_each(st.jf, st.root, NULL, on_route, &st);
  exported_handlers(&st);
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

/* An exported handler that reads the request (reads_request's shapes),
 * that another file's route may call: the file exports and reads
 * req.body / req.query / ... (or request.body ...). */
static int exported_handler_possible(rl_prefilter *pf) {
  static const char *const reads[] = {
      "req.body",      "req.query",      "req.params",      "req.headers",     "req.header(", "request.body",
      "request.query", "request.params", "request.headers", "request.header(", NULL};
  if (!rl_pf_has(pf, "export")) return 0;
  for (size_t i = 0; reads[i]; i++)
    if (rl_pf_has(pf, reads[i])) return 1;
  return 0;
}

/* Every finding is made in a route handler (rl_routes_each), so it needs
 * rl_routes_possible, or in an exported function that another file routes
 * to (exported_handler_possible), and a sink: a mint site (every kind names a token --
 * AccessToken, build*Token*, generateToken, get*Token, 'jsonwebtoken' --
 * except jose's, imported from 'jose'), addGrant, or a call named with the
 * words token/room/rooms. What reaches the sink is either a spread of the
 * request ("...") or a claim: a key or name that is "type" or holds one of
 * claim_word's words (in any case, as rl_name_words splits it), starts
 * with the word "can", or is is/as + a role word (isHost: "host"...), or
 * an identity key (identity, user_id) on a route that knows its user. */
static int can_fire(rl_prefilter *pf) {
  if (!rl_routes_possible(pf) && !exported_handler_possible(pf)) return 0;
  if (!rl_pf_has_caseless(pf, "token") && !rl_pf_has_caseless(pf, "room") && !rl_pf_has(pf, "addGrant") &&
      !rl_pf_module(pf, "jose"))
    return 0;
  static const char *const claims[] = {"role",    "admin",       "grant",    "permission", "privilege",
                                       "scope",   "hidden",      "record",   "publish",    "subscribe",
                                       "create",  "owner",       "host",     "moderator",  "presenter",
                                       "speaker", "broadcaster", "identity", "user_id",    NULL};
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
