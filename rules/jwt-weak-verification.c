/* jwt-weak-verification: a JWT accepted without a pinned algorithm, or
 * trusted without verifying its signature at all.
 *
 * Reported (resolved through imports and aliases with rl_js_callee):
 *   1. jsonwebtoken's verify(token, key[, options][, callback]) without an
 *      `algorithms` option, or with 'none' among them. An options object we
 *      cannot see (a parameter, a spread) is not reported.
 *   2. jsonwebtoken's decode, jose's decodeJwt and jwt-decode's default
 *      export, in server code (and code of unknown context), when the result
 *      decides access: it becomes req.user / ctx.state.user / res.locals.user
 *      / req.auth, it is tested in a condition or comparison, or it is
 *      returned from a function. decode() checks nothing: anyone can write
 *      the claims. Uses of exp/iat/nbf (refresh timing) and of the header or
 *      kid (choosing a key before verifying) are not access decisions, and a
 *      function that also verifies is peeking before it verifies.
 *   3. jsonwebtoken's verify with { ignoreExpiration: true }; the same in a
 *      passport-jwt strategy's options (new Strategy(opts, cb), or NestJS's
 *      super(opts) under `extends PassportStrategy(Strategy)`) unless the
 *      callback or validate() reads the claims' exp.
 *   4. jwt-simple's decode(token, key, true): noVerify skips the signature.
 *   5. jose 1.x/2.x JWT.verify / JWS.verify with JWK.None (unsigned tokens).
 * Not reported: jose's jwtVerify. jose has no 'none' algorithm and checks
 * the algorithm against the key's type (a secret only accepts HS*, an RSA key
 * only RS and PS), so the algorithm confusion that `algorithms` guards
 * against in jsonwebtoken cannot happen there. Client code that decodes a
 * token only drives its UI: it cannot verify a signature it has no key for,
 * and the server that receives the token verifies it. Test files are
 * skipped. */
#include <string.h>

#include "analysis.h"
#include "bindname.h"
#include "jwtverify.h"
#include "prefilter.h"
#include "project.h"
#include "rule.h"
#include "util.h"

extern const char rl_doc__jwt_weak_verification[];

static int type_is(TSNode n, const char *t) { return !ts_node_is_null(n) && strcmp(ts_node_type(n), t) == 0; }

static TSNode field(TSNode n, const char *name) { return rl_js_field(n, name); }

static TSNode null_node(void) {
  TSNode n;
  memset(&n, 0, sizeof n);
  return n;
}

static int is_verify(const char *c) { return c && strcmp(c, "jsonwebtoken:verify") == 0; }

static int is_decode(const char *c) {
  return c && (strcmp(c, "jsonwebtoken:decode") == 0 || strcmp(c, "jose:decodeJwt") == 0 ||
               strcmp(c, "jwt-decode:") == 0 || strcmp(c, "jwt-decode:default") == 0 ||
               strcmp(c, "jwt-decode:jwtDecode") == 0 || strcmp(c, "jose:JWT.decode") == 0);
}

/* jose 1.x/2.x: JWT.verify(token, key), JWS.verify(jws, key) */
static int is_jose_legacy_verify(const char *c) {
  return c && (strcmp(c, "jose:JWT.verify") == 0 || strcmp(c, "jose:JWS.verify") == 0);
}

/* "jwt.verify()", or "check() (jsonwebtoken's verify)" for an alias. */
static const char *callee_shown(rl_ctx *ctx, TSNode call) {
  size_t n;
  const char *t = rl_ctx_text(ctx, field(call, "function"), &n);
  if (n > 40 || memchr(t, '\n', n)) return "jsonwebtoken's verify()";
  if (n >= 6 && memcmp(t + n - 6, "verify", 6) == 0) return rl_arena_printf(rl_ctx_arena(ctx), "%.*s()", (int)n, t);
  return rl_arena_printf(rl_ctx_arena(ctx), "%.*s() (jsonwebtoken's verify)", (int)n, t);
}

/* ---- verify ---------------------------------------------------------------- */

static int array_has_none(rl_jsfile *jf, TSNode arr, TSNode *at) {
  for (uint32_t i = 0; i < ts_node_named_child_count(arr); i++) {
    TSNode e = ts_node_named_child(arr, i);
    const char *s;
    size_t sl;
    if (rl_js_eval_string(jf, e, &s, &sl) && sl == 4 && rl_strncasecmp_ascii(s, "none", 4) == 0) {
      *at = e;
      return 1;
    }
  }
  return 0;
}

/* The verify key is plainly a shared secret (HMAC), not a public key: a
 * string, an environment read or a name that says secret. */
static int shared_secret_key(rl_jsfile *jf, TSNode key) {
  key = rl_js_unwrap(key);
  if (type_is(key, "string") || type_is(key, "template_string")) return 1;
  const char *name;
  size_t len;
  if (rl_js_env_read(jf, key, &name, &len)) return rl_name_is_secret(name, len);
  if (type_is(key, "member_expression")) key = field(key, "property");
  if (!type_is(key, "identifier") && !type_is(key, "property_identifier")) return 0;
  name = rl_js_text(jf, key, &len);
  return name && rl_name_is_secret(name, len);
}

/* No `algorithms` option. jsonwebtoken 9 (the lockfile's version, else the
 * floor of package.json's range) derives the list from the key: a secret
 * allows only HS256/384/512 and no key at all throws, so an HMAC secret is
 * pinned already and the finding is a hardening note. 8 and older (or a
 * version nobody names) take the token's word: 'none' with a falsy secret
 * (CVE-2022-23540), an HS token checked with a public key (CVE-2022-23541). */
/* The call's key is plainly a shared secret and the project uses
 * jsonwebtoken 9 or later: *ver and *lock say which and where from. */
static int v9_with_secret(rl_ctx *ctx, rl_jsfile *jf, TSNode call, char *ver, size_t versz, const char **lock) {
  return shared_secret_key(jf, rl_js_call_arg(call, 1)) &&
         rl_ctx_package_version(ctx, "jsonwebtoken", ver, versz, lock) >= 9;
}

static void report_unpinned(rl_ctx *ctx, rl_jsfile *jf, TSNode call, const char *fn) {
  char ver[32];
  const char *lock;
  if (v9_with_secret(ctx, jf, call, ver, sizeof ver, &lock)) {
    rl_ctx_cap_severity(ctx, RL_SEV_NOTE);
    rl_report(ctx, call,
              "%s has no `algorithms` option; jsonwebtoken %s (%s) then allows only HS256/HS384/HS512 for a secret "
              "key, so 'none' and key confusion are refused today: pin { algorithms: ['HS256'] } so a key or "
              "version change cannot widen it",
              fn, ver, lock);
    return;
  }
  rl_report(ctx, call,
            "%s without an `algorithms` option accepts whatever algorithm the token's header names: pin it, "
            "e.g. { algorithms: ['HS256'] }",
            fn);
}

static void check_verify(rl_ctx *ctx, rl_jsfile *jf, TSNode call) {
  TSNode a2 = rl_js_unwrap(rl_js_call_arg(call, 2));
  const char *fn = callee_shown(ctx, call);
  TSNode opts = null_node();
  if (!ts_node_is_null(a2) && !type_is(a2, "arrow_function") && !type_is(a2, "function_expression") &&
      !type_is(a2, "function")) {
    opts = rl_js_object_of(jf, a2);
    if (ts_node_is_null(opts)) return; /* options we cannot see */
  }
  if (ts_node_is_null(opts)) {
    report_unpinned(ctx, jf, call, fn);
    return;
  }
  if (type_is(rl_js_unwrap(rl_js_object_get(jf, opts, "ignoreExpiration")), "true")) {
    rl_report(ctx, call,
              "%s with { ignoreExpiration: true } accepts expired tokens: a leaked or revoked token works forever; "
              "drop the option (refresh flows can check exp themselves on an expired-token error)",
              fn);
    return;
  }
  TSNode algs = rl_js_object_get(jf, opts, "algorithms");
  if (ts_node_is_null(algs)) {
    for (uint32_t i = 0; i < ts_node_named_child_count(opts); i++)
      if (type_is(ts_node_named_child(opts, i), "spread_element")) return;
    report_unpinned(ctx, jf, call, fn);
    return;
  }
  TSNode arr = rl_js_unwrap(algs);
  if (type_is(arr, "identifier")) {
    TSNode init = rl_js_const_init(jf, arr);
    if (!ts_node_is_null(init)) arr = rl_js_unwrap(init);
  }
  TSNode none;
  if (!type_is(arr, "array") || !array_has_none(jf, arr, &none)) return;
  /* jsonwebtoken 9 refuses 'none' once a secret key is given: with the
   * lockfile pinning 9 or later and a key that is plainly a shared secret,
   * the list is a latent mistake, not an open door */
  char ver[32];
  const char *lock;
  if (v9_with_secret(ctx, jf, call, ver, sizeof ver, &lock)) {
    rl_ctx_cap_severity(ctx, RL_SEV_NOTE);
    rl_report(ctx, call,
              "%s lists the 'none' algorithm; jsonwebtoken %s (%s) refuses unsigned tokens when a secret is given, "
              "so it is refused today, but drop 'none' before a version or key change lets it through",
              fn, ver, lock);
    return;
  }
  rl_report(ctx, call, "%s allows the 'none' algorithm: a token with no signature at all passes", fn);
}

/* jose 1.x/2.x's JWK.None is the key of unsecured JWTs: verifying with it
 * accepts exactly the tokens that carry alg 'none' and no signature. */
static void check_jose_legacy_verify(rl_ctx *ctx, rl_jsfile *jf, TSNode call) {
  const char *k = rl_js_resolve(jf, rl_js_unwrap(rl_js_call_arg(call, 1)));
  if (!k || strcmp(k, "jose:JWK.None") != 0) return;
  size_t n;
  const char *t = rl_ctx_text(ctx, field(call, "function"), &n);
  if (n > 40 || memchr(t, '\n', n)) t = "jose's verify", n = strlen(t);
  rl_report(ctx, call,
            "%.*s() with JWK.None accepts unsigned tokens (alg 'none'): anyone can write the claims; verify with "
            "the real key (JWK.asKey(...) of a key from the environment)",
            (int)n, t);
}

/* ---- decode ------------------------------------------------------------------ */

/* Properties whose use is not an access decision. */
static const char *const harmless_props[] = {"exp", "iat", "nbf", "header", "kid", "alg", "typ", NULL};

/* req.user, request.user, ctx.state.user, res.locals.user, req.auth,
 * req.session.user, req.claims */
static int access_target(rl_jsfile *jf, TSNode left) {
  left = rl_js_unwrap(left);
  if (!type_is(left, "member_expression")) return 0;
  static const char *const props[] = {"user", "auth", "claims", "identity", "principal", "currentUser", NULL};
  size_t pl;
  const char *p = rl_js_text(jf, field(left, "property"), &pl);
  return rl_str_in_list(p, pl, props);
}

static int comparison_op(rl_jsfile *jf, TSNode bin) {
  static const char *const ops[] = {"===",        "!==", "==", "!=", "&&", "||", "in",
                                    "instanceof", "<",   ">",  "<=", ">=", NULL};
  size_t n;
  const char *op = rl_js_text(jf, field(bin, "operator"), &n);
  return rl_str_in_list(op, n, ops);
}

static int has_text_cb(void *data, TSNode node) {
  void **d = data;
  rl_jsfile *jf = d[0];
  const TSNode *want = d[1];
  size_t a, b;
  const char *x = rl_js_text(jf, node, &a), *y = rl_js_text(jf, *want, &b);
  if (a == b && memcmp(x, y, a) == 0) {
    d[2] = (void *)1;
    return -1;
  }
  return 0;
}

/* 1 if some node of subtree has exactly the source text of `want`. */
static int subtree_has_text(rl_jsfile *jf, TSNode subtree, TSNode want) {
  if (ts_node_is_null(subtree)) return 0;
  void *d[3] = {jf, &want, NULL};
  rl_js_walk(subtree, has_text_cb, d);
  return d[2] != NULL;
}

/* The function that returns the decoded value says it decodes or peeks
 * (decodeToken, parseJwt, readClaims, getTokenExpiry): its callers know
 * they get unverified claims, which debugging and expiry helpers hand out.
 * A helper named for the user (userIdFrom, getCurrentUser, verifyToken) or
 * with no name is still the caller's identity. */
static int named_to_decode(rl_jsfile *jf, TSNode ret) {
  static const char *const words[] = {"decode", "decoded", "parse",   "peek", "inspect", "debug", "read",
                                      "expiry", "expires", "expired", "exp",  "payload", NULL};
  TSNode fn = rl_js_enclosing_function(ret);
  const char *name;
  size_t len;
  return !ts_node_is_null(fn) && rl_js_function_name(jf, fn, &name, &len) && rl_name_has_word(name, len, words);
}

/* What a use of the decoded value (the node `use`) does with it: "" if it
 * decides access, NULL otherwise. Climbs through member accesses and
 * expressions up to the statement. */
static const char *use_decides(rl_jsfile *jf, TSNode use) {
  TSNode n = use, p = rl_js_parent(use);
  /* decoded.exp, decoded.header.kid: not access */
  if (type_is(p, "member_expression") && ts_node_eq(field(p, "object"), n)) {
    size_t pl;
    const char *prop = rl_js_text(jf, field(p, "property"), &pl);
    if (rl_str_in_list(prop, pl, harmless_props)) return NULL;
  }
  for (int i = 0; i < 12 && !ts_node_is_null(p); i++) {
    if (type_is(p, "if_statement") || type_is(p, "while_statement") || type_is(p, "switch_statement")) {
      return ts_node_eq(field(p, "condition"), n) || ts_node_eq(field(p, "value"), n) ? "is tested to decide access"
                                                                                      : NULL;
    }
    if (type_is(p, "ternary_expression")) {
      if (!ts_node_eq(field(p, "condition"), n)) return NULL;
      /* `claims.roomConfig ? parse(claims.roomConfig) : undefined` maps a
       * field when present: data shaping, not an access decision. */
      if (type_is(n, "member_expression") && subtree_has_text(jf, field(p, "consequence"), n)) return NULL;
      return "is tested to decide access";
    }
    if (type_is(p, "binary_expression") && comparison_op(jf, p)) return "is tested to decide access";
    if (type_is(p, "unary_expression") && rl_js_text_is(jf, field(p, "operator"), "!"))
      return "is tested to decide access";
    if (type_is(p, "return_statement")) return named_to_decode(jf, p) ? NULL : "is returned as the caller's identity";
    if (type_is(p, "assignment_expression"))
      return ts_node_eq(field(p, "right"), n) && access_target(jf, field(p, "left")) ? "becomes the request's user"
                                                                                     : NULL;
    if (type_is(p, "arguments")) {
      /* ['host', 'admin'].includes(claims.role): a membership test */
      static const char *const tests[] = {"includes", "has", "indexOf", "some", "every", "test", NULL};
      TSNode call = rl_js_parent(p), fn = field(call, "function");
      size_t ml;
      const char *m = type_is(fn, "member_expression") ? rl_js_text(jf, field(fn, "property"), &ml) : NULL;
      if (!m || !rl_str_in_list(m, ml, tests)) return NULL;
      n = call;
      p = rl_js_parent(call);
      continue;
    }
    if (type_is(p, "expression_statement") || type_is(p, "statement_block") || type_is(p, "variable_declarator") ||
        type_is(p, "arrow_function") || type_is(p, "pair") || type_is(p, "template_substitution"))
      return NULL;
    n = p;
    p = rl_js_parent(p);
  }
  return NULL;
}

typedef struct use_find {
  rl_jsfile *jf;
  const char *name;
  size_t len;
  uint32_t after;
  const char *what_member; /* a claim (not exp/header...) decides access */
  const char *what_bare;   /* the whole result is returned or becomes the user */
  const char *what_guard;  /* the whole result is tested (`if (!decoded)`) */
  int harmless_member;     /* decoded.exp, decoded.header... */
  int other_member;        /* decoded.role, decoded.sub... */
} use_find;

static int is_harmless_member(rl_jsfile *jf, TSNode use) {
  TSNode p = rl_js_parent(use);
  if (!type_is(p, "member_expression") || !ts_node_eq(field(p, "object"), use)) return -1; /* not a member use */
  size_t pl;
  const char *prop = rl_js_text(jf, field(p, "property"), &pl);
  return rl_str_in_list(prop, pl, harmless_props);
}

static int find_uses(void *data, TSNode n) {
  use_find *f = data;
  if (!type_is(n, "identifier") || ts_node_start_byte(n) < f->after) return 0;
  size_t l;
  const char *t = rl_js_text(f->jf, n, &l);
  if (l != f->len || memcmp(t, f->name, l) != 0) return 0;
  int member = is_harmless_member(f->jf, n);
  if (member == 1) {
    f->harmless_member = 1;
    return 0;
  }
  const char *what = use_decides(f->jf, n);
  if (member == 0) {
    f->other_member = 1;
    if (what && !f->what_member) f->what_member = what;
  } else if (what && strcmp(what, "is tested to decide access") == 0) {
    if (!f->what_guard) f->what_guard = what;
  } else if (what && !f->what_bare) {
    f->what_bare = what;
  }
  return 0;
}

/* A decision on the decoded value, or NULL. A bare test (`if (!decoded)`)
 * decides access unless the only claims read are exp/iat/nbf/header: then it
 * guards an expiry check (`if (!decoded || !decoded.exp)`). */
static const char *decision(const use_find *f) {
  if (f->what_member) return f->what_member;
  if (f->what_bare) return f->what_bare;
  if (f->what_guard && !(f->harmless_member && !f->other_member)) return f->what_guard;
  return NULL;
}

/* Names a decode result is bound to: `const claims = decode(t)` -> claims;
 * `const { role, sub } = decode(t)` -> each, except harmless ones. Calls cb
 * with each. Returns the number of names (at most max). */
static size_t bound_names(rl_jsfile *jf, TSNode decl_name, TSNode *out, size_t max) {
  size_t k = 0;
  if (type_is(decl_name, "identifier")) {
    out[k++] = decl_name;
    return k;
  }
  if (!type_is(decl_name, "object_pattern")) return 0;
  for (uint32_t i = 0; i < ts_node_named_child_count(decl_name) && k < max; i++) {
    TSNode c = ts_node_named_child(decl_name, i);
    TSNode id = null_node(), key = null_node();
    if (type_is(c, "shorthand_property_identifier_pattern")) {
      id = key = c;
    } else if (type_is(c, "pair_pattern")) {
      key = field(c, "key");
      id = field(c, "value");
    } else if (type_is(c, "object_assignment_pattern")) {
      id = key = field(c, "left");
    }
    if (!type_is(id, "identifier") && !type_is(id, "shorthand_property_identifier_pattern")) continue;
    size_t kl;
    const char *kt = rl_js_text(jf, key, &kl);
    if (rl_str_in_list(kt, kl, harmless_props)) continue;
    out[k++] = id;
  }
  return k;
}

static void check_decode(rl_ctx *ctx, rl_jsfile *jf, TSNode call) {
  rl_context c = rl_ctx_context(ctx);
  if (c != RL_CTX_SERVER && c != RL_CTX_UNKNOWN) return;
  TSNode fn = rl_js_enclosing_function(call);
  TSNode scope = ts_node_is_null(fn) ? rl_ctx_root(ctx) : fn;
  /* a peek at the header or claims before verifying; at the top level only
   * a top-level verify says so, not one in some function of the file */
  if (rl_jwt_verifies_in(jf, fn)) return;

  const char *what = NULL;
  TSNode n = call, p = rl_js_parent(call);
  while (!ts_node_is_null(p) && (type_is(p, "parenthesized_expression") || type_is(p, "as_expression") ||
                                 type_is(p, "non_null_expression") || type_is(p, "await_expression"))) {
    n = p;
    p = rl_js_parent(p);
  }
  if (type_is(p, "variable_declarator") && ts_node_eq(field(p, "value"), n)) {
    TSNode names[16];
    size_t k = bound_names(jf, field(p, "name"), names, 16);
    for (size_t i = 0; i < k && !what; i++) {
      use_find f;
      memset(&f, 0, sizeof f);
      f.jf = jf;
      f.after = ts_node_end_byte(p);
      f.name = rl_js_text(jf, names[i], &f.len);
      rl_js_idents_named(jf, scope, f.name, f.len, find_uses, &f);
      what = decision(&f);
    }
  } else {
    what = use_decides(jf, n);
  }
  if (!what) return;
  size_t tl;
  const char *t = rl_ctx_text(ctx, field(call, "function"), &tl);
  if (tl > 40 || memchr(t, '\n', tl)) tl = 0;
  rl_report(ctx, call,
            "the result of %.*s%s() %s, but decoding checks no signature: anyone can write these claims; use a "
            "verifying call with pinned algorithms",
            (int)tl, t, tl ? "" : "decode", what);
}

/* jwt-simple's decode(token, key, noVerify[, alg]) checks `if (!noVerify)`:
 * any truthy third argument skips the signature, and people pass the
 * algorithm there ('HS256'), or a string 'false'. 1 truthy, 0 falsy or
 * absent, -1 not known (a parameter, a call). */
static int simple_no_verify(rl_jsfile *jf, TSNode call, const char **shown) {
  TSNode a = rl_js_unwrap(rl_js_call_arg(call, 2));
  *shown = NULL;
  if (ts_node_is_null(a)) return 0;
  if (type_is(a, "identifier")) {
    if (rl_js_text_is(jf, a, "undefined")) return 0;
    TSNode init = rl_js_unwrap(rl_js_const_init(jf, a));
    if (ts_node_is_null(init)) return -1;
    a = init;
  }
  if (type_is(a, "true")) return 1;
  if (type_is(a, "false") || type_is(a, "null")) return 0;
  if (type_is(a, "object") || type_is(a, "array")) return 1;
  const char *v;
  size_t len;
  if (rl_js_eval_string(jf, a, &v, &len)) {
    *shown = len <= 24 ? rl_arena_printf(rl_jsfile_arena(jf), "'%.*s'", (int)len, v) : "a string";
    return len > 0;
  }
  double d;
  if (rl_js_eval_number(jf, a, &d)) return d != 0 && d == d;
  return -1;
}

/* 1 if two calls' first arguments are the same text (the same token). */
static int same_first_arg(rl_jsfile *jf, TSNode a, TSNode b) {
  size_t la;
  TSNode x = rl_js_call_arg(a, 0), y = rl_js_call_arg(b, 0);
  if (ts_node_is_null(x) || ts_node_is_null(y)) return 0;
  const char *ta = rl_js_text(jf, x, &la);
  return ta && rl_js_text_eq(jf, y, ta, la);
}

typedef struct simple_later {
  rl_jsfile *jf;
  TSNode call;
  int found;
} simple_later;

/* A verifying decode (jwt-simple with a falsy third argument, or any
 * verify) of the same token after the skipping one. */
static int find_simple_verify(void *data, TSNode n) {
  simple_later *f = data;
  if (!type_is(n, "call_expression") || ts_node_start_byte(n) <= ts_node_end_byte(f->call)) return 0;
  const char *c = rl_js_callee(f->jf, n);
  const char *shown;
  int verifying = rl_jwt_is_verify(c) ||
                  (c && !strcmp(c, "jwt-simple:decode") && simple_no_verify(f->jf, n, &shown) == 0);
  if (verifying && same_first_arg(f->jf, f->call, n)) {
    f->found = 1;
    return -1;
  }
  return 0;
}

/* A decode whose result nothing uses (a statement of its own) decides
 * nothing; followed in the same function by a verifying decode of the same
 * token it is a peek (CodeQL's jwt-simple test writes it so). */
static int simple_peek_then_verify(rl_ctx *ctx, rl_jsfile *jf, TSNode call) {
  TSNode p = rl_js_parent(call);
  while (type_is(p, "parenthesized_expression") || type_is(p, "await_expression")) p = rl_js_parent(p);
  if (!type_is(p, "expression_statement")) return 0;
  TSNode fn = rl_js_enclosing_function(call);
  simple_later f = {jf, call, 0};
  rl_js_walk(ts_node_is_null(fn) ? rl_ctx_root(ctx) : fn, find_simple_verify, &f);
  return f.found;
}

static void check_simple_decode(rl_ctx *ctx, rl_jsfile *jf, TSNode call) {
  const char *shown;
  if (simple_no_verify(jf, call, &shown) != 1 || simple_peek_then_verify(ctx, jf, call)) return;
  if (!shown || !strcmp(shown, "'true'"))
    rl_report(ctx, call,
              "jwt-simple's decode() with noVerify = true (third argument) skips the signature check: anyone can "
              "write the claims; drop the argument");
  else
    rl_report(ctx, call,
              "jwt-simple's decode() takes noVerify third, and %s is truthy, so the signature is not checked: anyone "
              "can write the claims; pass the algorithm fourth (decode(token, key, false, 'HS256'))",
              shown);
}

static void on_match(rl_ctx *ctx, const rl_match *m) {
  rl_jsfile *jf = rl_ctx_js(ctx);
  if (!jf) return;
  TSNode call = rl_match_capture(m, "call");
  const char *c = rl_js_callee(jf, call);
  if (is_verify(c))
    check_verify(ctx, jf, call);
  else if (is_decode(c))
    check_decode(ctx, jf, call);
  else if (c && !strcmp(c, "jwt-simple:decode"))
    check_simple_decode(ctx, jf, call);
  else if (is_jose_legacy_verify(c))
    check_jose_legacy_verify(ctx, jf, call);
}

/* ---- passport-jwt ------------------------------------------------------------ */

typedef struct exp_scan {
  rl_jsfile *jf;
  int found;
} exp_scan;

static int exp_visit(void *data, TSNode n) {
  exp_scan *e = data;
  const char *t = ts_node_type(n);
  if ((!strcmp(t, "property_identifier") || !strcmp(t, "identifier") ||
       !strcmp(t, "shorthand_property_identifier_pattern")) &&
      rl_js_text_is(e->jf, n, "exp"))
    e->found = 1;
  return e->found ? -1 : 0;
}

/* The verify callback or validate() reads the claims' exp: expiry is
 * checked there on purpose (a grace period, a refresh flow). */
static int reads_exp(rl_jsfile *jf, TSNode fn) {
  exp_scan e = {jf, 0};
  if (!ts_node_is_null(fn)) rl_js_walk(fn, exp_visit, &e);
  return e.found;
}

static void check_strategy(rl_ctx *ctx, rl_jsfile *jf, TSNode opts_arg, TSNode checker, TSNode at, const char *what) {
  TSNode opts = rl_js_object_of(jf, opts_arg);
  TSNode ign = rl_js_unwrap(rl_js_object_get(jf, opts, "ignoreExpiration"));
  if (!type_is(ign, "true") || reads_exp(jf, checker)) return;
  rl_report(ctx, at,
            "%s with { ignoreExpiration: true } accepts expired tokens on every route it guards: a leaked or revoked "
            "token works forever; drop the option",
            what);
}

/* The class around n (its declaration node), or null. */
static TSNode enclosing_class(TSNode n) {
  for (TSNode p = rl_js_parent(n); !ts_node_is_null(p); p = rl_js_parent(p))
    if (type_is(p, "class_declaration") || type_is(p, "class") || type_is(p, "abstract_class_declaration")) return p;
  return null_node();
}

typedef struct heritage_scan {
  rl_jsfile *jf;
  int passport_jwt;
} heritage_scan;

/* `extends PassportStrategy(Strategy)` with Strategy from passport-jwt */
static int heritage_visit(void *data, TSNode n) {
  heritage_scan *h = data;
  if (!type_is(n, "call_expression")) return 0;
  const char *c = rl_js_resolve(h->jf, rl_js_unwrap(rl_js_call_arg(n, 0)));
  if (c && !strcmp(c, "passport-jwt:Strategy")) h->passport_jwt = 1;
  return h->passport_jwt ? -1 : 0;
}

/* The class's validate() method, or null. */
static TSNode validate_method(rl_jsfile *jf, TSNode cls) {
  TSNode body = field(cls, "body");
  for (uint32_t i = 0; i < ts_node_named_child_count(body); i++) {
    TSNode m = ts_node_named_child(body, i);
    if (type_is(m, "method_definition") && rl_js_text_is(jf, field(m, "name"), "validate")) return m;
  }
  return null_node();
}

typedef struct strategy_walk {
  rl_ctx *ctx;
  rl_jsfile *jf;
} strategy_walk;

static int strategy_visit(void *data, TSNode n) {
  strategy_walk *w = data;
  if (type_is(n, "new_expression")) {
    /* new Strategy({ ..., ignoreExpiration: true }, (payload, done) => ...) */
    const char *c = rl_js_callee(w->jf, n);
    if (c && !strcmp(c, "passport-jwt:Strategy")) {
      TSNode cb = rl_js_unwrap(rl_js_call_arg(n, 1));
      check_strategy(w->ctx, w->jf, rl_js_call_arg(n, 0), cb, n, "passport-jwt's Strategy");
    }
    return 0;
  }
  if (!type_is(n, "call_expression") || !type_is(field(n, "function"), "super")) return 0;
  /* NestJS: super({ ... }) in a class that extends PassportStrategy(Strategy) */
  TSNode cls = enclosing_class(n);
  if (ts_node_is_null(cls)) return 0;
  heritage_scan h = {w->jf, 0};
  for (uint32_t i = 0; i < ts_node_named_child_count(cls); i++)
    if (type_is(ts_node_named_child(cls, i), "class_heritage"))
      rl_js_walk(ts_node_named_child(cls, i), heritage_visit, &h);
  if (h.passport_jwt)
    check_strategy(w->ctx, w->jf, rl_js_call_arg(n, 0), validate_method(w->jf, cls), n,
                   "the passport-jwt strategy's super()");
  return 0;
}

static void on_file(rl_ctx *ctx) {
  rl_jsfile *jf = rl_ctx_js(ctx);
  const rl_source *src = rl_ctx_source(ctx);
  if (!jf || !memmem(src->bytes, src->len, "ignoreExpiration", 16)) return;
  strategy_walk w = {ctx, jf};
  rl_js_walk(rl_ctx_root(ctx), strategy_visit, &w);
}

/* Findings need a call resolved to one of these modules, which takes an
 * import or require naming it. */
static const char *const needles[] = {"jsonwebtoken", "jose", "jwt-decode", "jwt-simple", "passport-jwt", NULL};

static int can_fire(rl_prefilter *pf) {
  for (size_t i = 0; needles[i]; i++)
    if (rl_pf_module(pf, needles[i])) return 1;
  return 0;
}

const rl_rule rl_rule_jwt_weak_verification = {
    .id = "jwt-weak-verification",
    .title = "JWT verified without pinned algorithms, or decoded and trusted",
    .severity = RL_SEV_ERROR,
    .cwe = 347,
    .doc = rl_doc__jwt_weak_verification,
    .langs = RL_LANGS_CODE,
    .contexts = RL_CTX_BIT(RL_CTX_CLIENT) | RL_CTX_BIT(RL_CTX_SERVER) | RL_CTX_BIT(RL_CTX_UNKNOWN),
    /* every call: aliases (`import { verify as check }`) hide the name */
    .query = "(call_expression function: [(identifier) (member_expression)]) @call\n",
    .on_match = on_match,
    .on_file = on_file,
    .needles = needles,
    .can_fire = can_fire,
    .bad_example = "const jwt = require('jsonwebtoken');\n"
                   "\n"
                   "function requireUser(req, res, next) {\n"
                   "  const token = (req.headers.authorization || '').replace('Bearer ', '');\n"
                   "  try {\n"
                   "    req.user = jwt.verify(token, process.env.SESSION_SECRET);\n"
                   "    next();\n"
                   "  } catch {\n"
                   "    res.status(401).end();\n"
                   "  }\n"
                   "}\n"
                   "module.exports = { requireUser };\n",
    .good_example = "const jwt = require('jsonwebtoken');\n"
                    "\n"
                    "function requireUser(req, res, next) {\n"
                    "  const token = (req.headers.authorization || '').replace('Bearer ', '');\n"
                    "  try {\n"
                    "    req.user = jwt.verify(token, process.env.SESSION_SECRET, { algorithms: ['HS256'] });\n"
                    "    next();\n"
                    "  } catch {\n"
                    "    res.status(401).end();\n"
                    "  }\n"
                    "}\n"
                    "module.exports = { requireUser };\n",
    .precision = "high",
    .security_severity = "8.1",
};
