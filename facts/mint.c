/* Mint sites: see mint.h. */
#include "mint.h"

#include <string.h>

#include "arena.h"
#include "bindname.h"
#include "keys.h"
#include "prefilter.h"
#include "privileged.h"
#include "requrl.h"
#include "util.h"

static int type_is(TSNode n, const char *t) { return !ts_node_is_null(n) && strcmp(ts_node_type(n), t) == 0; }

static TSNode field(TSNode n, const char *name) { return rl_js_field(n, name); }

static TSNode null_node(void) {
  TSNode n;
  memset(&n, 0, sizeof n);
  return n;
}

static int starts_with(const char *s, const char *p) { return s && strncmp(s, p, strlen(p)) == 0; }

/* s is "<module>:..." for module m, or "<m>/...:..." when sub is set. */
static int canon_module_is(const char *s, const char *m, int sub) {
  size_t n = strlen(m);
  if (!s || strncmp(s, m, n) != 0) return 0;
  return s[n] == ':' || (sub && s[n] == '/');
}

/* The part of a canonical name after "<module>:", or NULL. */
static const char *canon_path(const char *s) {
  const char *c = s ? strchr(s, ':') : NULL;
  return c ? c + 1 : NULL;
}

/* rl_js_callee with the module part normalised the way Deno and CDN imports
 * write it: "npm:jose@5" -> "jose", "jsr:@zaubrik/djwt@3" -> "@zaubrik/djwt",
 * "https://esm.sh/livekit-server-sdk@2.1.0"
 * -> "livekit-server-sdk", "https://deno.land/x/jose@v4.14.4/index.ts" ->
 * "jose"; a version suffix (@x) and a query (?target=deno) are dropped. */
static const char *callee_of(rl_jsfile *jf, TSNode call) {
  const char *c = rl_js_callee(jf, call);
  const char *colon = c ? strchr(c, ':') : NULL;
  if (!colon) return c;
  const char *m = c;
  size_t ml = (size_t)(colon - c);
  /* "npm:x:path", "jsr:@scope/x:path" and "https://host/x:path": the module holds a ':' */
  if ((ml == 3 && !strncmp(c, "npm", 3)) || (ml == 3 && !strncmp(c, "jsr", 3))) {
    m = colon + 1;
    colon = strchr(m, ':');
    if (!colon) return c;
    ml = (size_t)(colon - m);
  } else if ((ml == 5 && !strncmp(c, "https", 5)) || (ml == 4 && !strncmp(c, "http", 4))) {
    const char *rest = colon + 1; /* "//host/x@v/y:path" */
    colon = strchr(rest, ':');
    if (!colon || strncmp(rest, "//", 2) != 0) return c;
    const char *slash = memchr(rest + 2, '/', (size_t)(colon - rest - 2));
    if (!slash) return c;
    m = slash + 1;
    if (!strncmp(m, "x/", 2)) m += 2; /* deno.land/x/<name> */
    if (!strncmp(m, "v1/", 3)) m += 3;
    ml = (size_t)(colon - m);
  } else {
    return c;
  }
  /* the package name: "@scope/name" or "name", then drop @version, ?query, /rest */
  size_t end = 0, slashes = 0, need = m[0] == '@' ? 2 : 1;
  for (end = 0; end < ml; end++) {
    if (m[end] == '?' || (m[end] == '@' && end > 0)) break;
    if (m[end] == '/' && ++slashes == need) break;
  }
  const char *path = colon + 1;
  return rl_arena_printf(rl_jsfile_arena(jf), "%.*s:%s", (int)end, m, path);
}

const char *rl_mint_callee(rl_jsfile *jf, TSNode call) { return callee_of(jf, call); }

/* Mutations of `name` inside a subtree: name = v, name.k = v, name[k] = v,
 * name.k += v, delete name.k, Object.assign(name, ...). */
typedef struct mut_scan {
  rl_jsfile *jf;
  const char *name;
  size_t len;
  int found;
} mut_scan;

static int is_name_or_member_of(mut_scan *m, TSNode n) {
  n = rl_js_unwrap(n);
  if (type_is(n, "member_expression") || type_is(n, "subscript_expression")) n = rl_js_unwrap(field(n, "object"));
  return type_is(n, "identifier") && rl_js_text_eq(m->jf, n, m->name, m->len);
}

static int mut_visit(void *data, TSNode n) {
  mut_scan *m = data;
  const char *t = ts_node_type(n);
  int hit = 0;
  if (!strcmp(t, "assignment_expression") || !strcmp(t, "augmented_assignment_expression")) {
    hit = is_name_or_member_of(m, field(n, "left"));
  } else if (!strcmp(t, "unary_expression")) {
    hit = rl_js_text_is(m->jf, field(n, "operator"), "delete") && is_name_or_member_of(m, field(n, "argument"));
  } else if (!strcmp(t, "call_expression")) {
    const char *c = rl_js_callee(m->jf, n);
    hit = c && !strcmp(c, "Object.assign") && is_name_or_member_of(m, rl_js_call_arg(n, 0));
  }
  if (hit) {
    m->found = 1;
    return -1;
  }
  return 0;
}

/* rl_js_object_of, and when the file binds the name more than once (a
 * `const payload = {...}` in each of several functions), the object literal
 * of the nearest enclosing declaration, provided nothing in that block
 * changes it. */
static TSNode object_of(rl_jsfile *jf, TSNode expr) {
  TSNode o = rl_js_object_of(jf, expr);
  TSNode n = rl_js_unwrap(expr);
  if (!ts_node_is_null(o) || !type_is(n, "identifier")) return o;
  TSNode p;
  TSNode v = rl_js_unwrap(rl_js_nearest_init(jf, n, &p));
  if (ts_node_is_null(p) || !type_is(v, "object")) return null_node();
  mut_scan m = {jf, NULL, 0, 0};
  m.name = rl_js_text(jf, n, &m.len);
  rl_js_walk(p, mut_visit, &m);
  return m.found ? null_node() : v;
}

/* The `new` expression an instance expression comes from: a `new` directly,
 * an identifier bound by const to one (or, when the file binds the name
 * several times, declared so in the nearest enclosing block), or `this.x`
 * where the class sets x to one. Null otherwise. */
static TSNode instance_new(rl_jsfile *jf, TSNode n) {
  n = rl_js_unwrap(n);
  if (type_is(n, "identifier")) {
    TSNode init = rl_js_const_init(jf, n);
    n = rl_js_unwrap(ts_node_is_null(init) ? rl_js_nearest_init(jf, n, NULL) : init);
  } else if (type_is(n, "member_expression") && type_is(rl_js_unwrap(field(n, "object")), "this")) {
    n = rl_js_unwrap(rl_js_this_member(jf, n));
  }
  return rl_mint_instance_new(jf, n);
}

TSNode rl_mint_instance_new(rl_jsfile *jf, TSNode v) {
  v = rl_js_unwrap(v);
  if (type_is(v, "new_expression")) return v;
  if (!type_is(v, "ternary_expression")) return null_node();
  /* isProd ? new OpenTok(k, s) : new OpenTok(devK, devS), or a `new` on one
   * side and something else (a mock, null) on the other; two classes: none */
  TSNode a = rl_js_unwrap(field(v, "consequence")), b = rl_js_unwrap(field(v, "alternative"));
  int na = type_is(a, "new_expression"), nb = type_is(b, "new_expression");
  if (na && nb) {
    const char *ca = callee_of(jf, a), *cb = callee_of(jf, b);
    return ca && cb && !strcmp(ca, cb) ? a : null_node();
  }
  return na ? a : nb ? b : null_node();
}

static int member_prop_is(rl_jsfile *jf, TSNode member, const char *name) {
  return type_is(member, "member_expression") && rl_js_text_is(jf, field(member, "property"), name);
}

/* JSON.stringify(x): x; else null. */
static TSNode stringified(rl_jsfile *jf, TSNode arg) {
  TSNode n = rl_js_unwrap(arg);
  if (!type_is(n, "call_expression")) return null_node();
  const char *c = rl_js_callee(jf, n);
  return c && !strcmp(c, "JSON.stringify") ? rl_js_call_arg(n, 0) : null_node();
}

/* The claims are the object the payload is, or the object a JSON.stringify()
 * payload serialises (its JSON is the token's payload as it stands). */
static void set_payload(rl_jsfile *jf, rl_mint *m, TSNode arg) {
  m->payload_arg = arg;
  TSNode inner = ts_node_is_null(arg) ? null_node() : stringified(jf, arg);
  m->payload = ts_node_is_null(arg) ? null_node() : object_of(jf, ts_node_is_null(inner) ? arg : inner);
}

int rl_mint_string_payload(rl_jsfile *jf, const rl_mint *m) {
  if (m->kind != RL_MINT_JSONWEBTOKEN || ts_node_is_null(m->payload_arg)) return 0;
  TSNode p = rl_js_unwrap(m->payload_arg);
  return type_is(p, "string") || type_is(p, "template_string") || !ts_node_is_null(stringified(jf, p));
}

static void set_options(rl_jsfile *jf, rl_mint *m, TSNode arg) {
  m->options_arg = arg;
  m->options = ts_node_is_null(arg) ? null_node() : object_of(jf, arg);
}

static void management_from_payload(rl_jsfile *jf, rl_mint *m) {
  if (ts_node_is_null(m->payload)) return;
  TSNode t = rl_js_object_get(jf, m->payload, "type");
  const char *v;
  size_t len;
  if (!ts_node_is_null(t) && rl_js_eval_string(jf, t, &v, &len) && len == 10 && !memcmp(v, "management", 10))
    m->is_management = 1;
}

/* jose: the .sign() call at the end of a builder chain rooted at new SignJWT. */
static TSNode find_member_use(rl_jsfile *jf, TSNode anywhere, TSNode ident, const char *prop, int call);

/* Walks a jose builder chain from the .sign() call down to its `new`: method
 * calls, and identifiers bound (const, or the nearest declaration) to the
 * rest of the chain (`const jwt = new SignJWT(c).setIssuer(i); jwt.sign(k)`).
 * Returns the `new` expression or null. *exp is the argument of the first
 * setExpirationTime() met in the chain or called on one of those identifiers
 * elsewhere in the file (null if none). */
static TSNode jose_chain(rl_jsfile *jf, TSNode call, TSNode *exp) {
  *exp = null_node();
  TSNode fn = rl_js_unwrap(field(call, "function"));
  if (!type_is(fn, "member_expression")) return null_node();
  TSNode n = rl_js_unwrap(field(fn, "object"));
  for (int guard = 0; guard < 64 && !ts_node_is_null(n); guard++) {
    if (type_is(n, "new_expression")) return n;
    if (type_is(n, "call_expression")) {
      TSNode f = rl_js_unwrap(field(n, "function"));
      if (!type_is(f, "member_expression")) return null_node();
      if (ts_node_is_null(*exp) && member_prop_is(jf, f, "setExpirationTime")) *exp = rl_js_call_arg(n, 0);
      n = rl_js_unwrap(field(f, "object"));
      continue;
    }
    if (type_is(n, "identifier")) {
      if (ts_node_is_null(*exp)) *exp = find_member_use(jf, call, n, "setExpirationTime", 1);
      TSNode init = rl_js_const_init(jf, n);
      n = rl_js_unwrap(ts_node_is_null(init) ? rl_js_nearest_init(jf, n, NULL) : init);
      continue;
    }
    return null_node();
  }
  return null_node();
}

static int match_jose(rl_jsfile *jf, TSNode call, rl_mint *m) {
  TSNode fn = rl_js_unwrap(field(call, "function"));
  if (!member_prop_is(jf, fn, "sign")) return 0;
  TSNode exp;
  TSNode ctor = jose_chain(jf, call, &exp);
  if (ts_node_is_null(ctor)) return 0;
  const char *c = callee_of(jf, ctor);
  if (!c || strcmp(c, "jose:SignJWT") != 0) return 0;
  m->kind = RL_MINT_JOSE;
  m->what = "jose SignJWT.sign()";
  m->package = "jose";
  m->ctor = ctor;
  set_payload(jf, m, rl_js_call_arg(ctor, 0));
  m->secret = rl_js_call_arg(call, 0);
  management_from_payload(jf, m);
  return 1;
}

/* A project file that is a copy of Agora's token builder source (Agora's
 * DynamicKey sources, pasted in as ./utils/RtcTokenBuilder.js and the like):
 * a relative module whose file name starts with RtcTokenBuilder,
 * RtmTokenBuilder or ChatTokenBuilder. */
static int agora_copy(const char *callee) {
  if (!callee || callee[0] != '.') return 0;
  const char *colon = strchr(callee, ':');
  if (!colon) return 0;
  const char *base = colon;
  while (base > callee && base[-1] != '/') base--;
  return starts_with(base, "RtcTokenBuilder") || starts_with(base, "RtmTokenBuilder") ||
         starts_with(base, "ChatTokenBuilder");
}

/* Agora: <X>TokenBuilder.build*(appId, appCertificate, ...). */
static int match_agora(rl_jsfile *jf, const char *callee, TSNode call, rl_mint *m) {
  const char *pkg = NULL;
  if (canon_module_is(callee, "agora-token", 0))
    pkg = "agora-token";
  else if (canon_module_is(callee, "agora-access-token", 0))
    pkg = "agora-access-token";
  else if (agora_copy(callee))
    pkg = RL_MINT_AGORA_COPY;
  if (!pkg) return 0;
  const char *p = canon_path(callee);
  const char *dot = p ? strchr(p, '.') : NULL;
  if (!dot || dot - p < 12 || strncmp(dot - 12, "TokenBuilder", 12) != 0) return 0;
  if (!starts_with(dot + 1, "build") || strchr(dot + 1, '.')) return 0;
  m->kind = RL_MINT_AGORA;
  m->package = pkg;
  m->what = rl_arena_printf(rl_jsfile_arena(jf), "Agora %s()", p); /* "Agora RtcTokenBuilder.buildTokenWithUid()" */
  m->secret = rl_js_call_arg(call, 1);
  return 1;
}

static TSNode root_of(TSNode n);

/* ---- JWTs signed by hand ---------------------------------------------------------- */

#define HAND_HOPS 8

/* What a name holds: its const initialiser, or (let/var, a name the file
 * binds several times) its declaration in the nearest enclosing block. */
static TSNode value_of_name(rl_jsfile *jf, TSNode ident) {
  TSNode init = rl_js_const_init(jf, ident);
  return ts_node_is_null(init) ? rl_js_nearest_init(jf, ident, NULL) : init;
}

/* A word that starts base64 or b64 (b64url, b64encode, base64UrlEncode's
 * "base64"), or btoa. */
static int base64_word(void *data, const char *w, size_t len) {
  (void)data;
  if (len == 4 && !rl_strncasecmp_ascii(w, "btoa", 4)) return 1;
  return (len >= 6 && !rl_strncasecmp_ascii(w, "base64", 6)) || (len >= 3 && !rl_strncasecmp_ascii(w, "b64", 3));
}

/* A callee that says it encodes base64: btoa, base64url(), base64UrlEncode(),
 * CryptoJS.enc.Base64.stringify, Base64.encode, encoding.b64encode; not a
 * decoder (atob, Base64.parse/decode). Names only, no call in the text. */
static int callee_says_base64(rl_jsfile *jf, TSNode fn) {
  fn = rl_js_unwrap(fn);
  if (!type_is(fn, "identifier") && !type_is(fn, "member_expression")) return 0;
  size_t len;
  const char *t = rl_js_text(jf, fn, &len);
  if (len > 96 || memchr(t, '(', len)) return 0;
  static const char *const no[] = {"decode", "atob", "parse", "unescape", NULL};
  return rl_name_words(t, len, base64_word, NULL) && !rl_name_has_word(t, len, no);
}

/* json_text / encoded_json inside a helper: the helper's parameter reached as
 * it is (the helper encodes text it is given) or through JSON.stringify (it
 * encodes the object it is given). */
#define JSON_PARAM_RAW 2
#define JSON_PARAM_STRINGIFIED 3
#define JSON_PARAM_PASSED 4 /* encoded_json: the parameter itself, fixed up (.replace()) */

static int is_param(rl_jsfile *jf, TSNode ident, TSNode param) {
  size_t len;
  const char *t = ts_node_is_null(param) ? NULL : rl_js_text(jf, param, &len);
  return t && type_is(ident, "identifier") && rl_js_text_eq(jf, ident, t, len);
}

/* The function of this file a callee names: an identifier bound (const, or
 * the nearest declaration) to an arrow or function expression, a function
 * declaration in an enclosing block, or this.name: a method of the
 * enclosing class. Null otherwise. */
static TSNode local_function(rl_jsfile *jf, TSNode fn) {
  fn = rl_js_unwrap(fn);
  size_t len;
  if (type_is(fn, "member_expression") && type_is(rl_js_unwrap(field(fn, "object")), "this")) {
    const char *name = rl_js_text(jf, field(fn, "property"), &len);
    TSNode body = rl_js_parent(fn);
    while (!ts_node_is_null(body) && !type_is(body, "class_body")) body = rl_js_parent(body);
    for (uint32_t i = 0; !ts_node_is_null(body) && i < ts_node_named_child_count(body); i++) {
      TSNode d = ts_node_named_child(body, i);
      if (type_is(d, "method_definition") && rl_js_text_eq(jf, field(d, "name"), name, len)) return d;
    }
    return null_node();
  }
  if (!type_is(fn, "identifier")) return null_node();
  TSNode f = rl_js_unwrap(value_of_name(jf, fn));
  const char *name = rl_js_text(jf, fn, &len);
  for (TSNode p = rl_js_parent(fn); ts_node_is_null(f) && !ts_node_is_null(p); p = rl_js_parent(p)) {
    if (!type_is(p, "statement_block") && !type_is(p, "program")) continue;
    for (uint32_t i = 0; i < ts_node_named_child_count(p); i++) {
      TSNode d = ts_node_named_child(p, i);
      if (type_is(d, "export_statement")) d = field(d, "declaration");
      if (type_is(d, "function_declaration") && rl_js_text_eq(jf, field(d, "name"), name, len)) f = d;
    }
  }
  return rl_js_is_function(f) ? f : null_node();
}

/* The name of a parameter (a TypeScript one without its type). */
static TSNode param_name(TSNode p) {
  if (type_is(p, "required_parameter") || type_is(p, "optional_parameter")) p = field(p, "pattern");
  return type_is(p, "identifier") ? p : null_node();
}

/* The index of the parameter of function f that ident names, or -1. */
static int param_index(rl_jsfile *jf, TSNode f, TSNode ident) {
  size_t len;
  if (!type_is(ident, "identifier")) return -1;
  const char *t = rl_js_text(jf, ident, &len);
  TSNode params = field(f, "parameters");
  if (ts_node_is_null(params)) return rl_js_text_eq(jf, param_name(field(f, "parameter")), t, len) ? 0 : -1;
  for (uint32_t i = 0; i < ts_node_named_child_count(params); i++)
    if (rl_js_text_eq(jf, param_name(ts_node_named_child(params, i)), t, len)) return (int)i;
  return -1;
}

/* A function of this file that fn names (local_function): the expression it
 * returns (an arrow's body, else the last `return x;` of its body) and its
 * first parameter (*param). Null if not such a function. */
static TSNode helper_return(rl_jsfile *jf, TSNode fn, TSNode *param) {
  *param = null_node();
  TSNode f = local_function(jf, fn);
  if (ts_node_is_null(f)) return null_node();
  TSNode params = field(f, "parameters");
  TSNode p0 = param_name(ts_node_is_null(params) ? field(f, "parameter") : ts_node_named_child(params, 0));
  if (ts_node_is_null(p0)) return null_node();
  *param = p0;
  TSNode body = field(f, "body");
  if (!type_is(body, "statement_block")) return body;
  TSNode ret = null_node();
  for (uint32_t i = 0; i < ts_node_named_child_count(body); i++) {
    TSNode st = ts_node_named_child(body, i);
    if (type_is(st, "return_statement")) ret = ts_node_named_child(st, 0);
  }
  return ret;
}

/* 1 if x is the text of a JSON document: JSON.stringify(o) (then *obj = o), a
 * string or template written as `{...}`, or an object literal handed to an
 * encoder that stringifies it (*obj = it); looked through names and the calls
 * that turn text into bytes (CryptoJS.enc.Utf8.parse, TextEncoder.encode,
 * Buffer.from, new Buffer, unescape(encodeURIComponent(...)), utf8()). */
static int json_text(rl_jsfile *jf, TSNode x, TSNode param, TSNode *obj) {
  for (int hops = 0; hops < HAND_HOPS && !ts_node_is_null(x); hops++) {
    x = rl_js_unwrap(x);
    if (type_is(x, "identifier")) {
      if (is_param(jf, x, param)) {
        *obj = x;
        return JSON_PARAM_RAW;
      }
      x = value_of_name(jf, x);
      continue;
    }
    if (type_is(x, "object")) {
      *obj = x;
      return 1;
    }
    if (type_is(x, "string") || type_is(x, "template_string")) {
      const char *s;
      size_t len, pre;
      if (!rl_js_template_static(jf, x, &s, &len, &pre)) return 0;
      while (len && (*s == ' ' || *s == '\n')) s++, len--;
      return len > 1 && s[0] == '{';
    }
    if (type_is(x, "new_expression")) {
      if (!rl_js_text_is(jf, field(x, "constructor"), "Buffer")) return 0;
      x = rl_js_call_arg(x, 0);
      continue;
    }
    if (!type_is(x, "call_expression")) return 0;
    TSNode inner = stringified(jf, x);
    if (!ts_node_is_null(inner)) {
      *obj = inner;
      return is_param(jf, rl_js_unwrap(inner), param) ? JSON_PARAM_STRINGIFIED : 1;
    }
    inner = rl_key_bytes_text(jf, x);
    if (ts_node_is_null(inner)) {
      TSNode fn = rl_js_unwrap(field(x, "function"));
      size_t len;
      const char *t = rl_js_text(jf, fn, &len);
      static const char *const text_fns[] = {"unescape", "encodeURIComponent", "utf8", "toUtf8", "encodeUtf8", NULL};
      /* utf8(s), Utf8.parse(s) from 'crypto-js/enc-utf8', utf8.encode(s) */
      if ((type_is(fn, "identifier") || type_is(fn, "member_expression")) && len < 64 && !memchr(t, '(', len) &&
          rl_name_has_word(t, len, (const char *const[]){"utf8", NULL}) &&
          !rl_name_has_word(t, len, (const char *const[]){"decode", "stringify", NULL}))
        inner = rl_js_call_arg(x, 0);
      for (size_t i = 0; ts_node_is_null(inner) && text_fns[i]; i++)
        if (rl_js_text_is(jf, fn, text_fns[i])) inner = rl_js_call_arg(x, 0);
    }
    if (ts_node_is_null(inner)) return 0;
    x = inner;
  }
  return 0;
}

/* 1 if n is base64 (or base64url) of a JSON document: btoa(json),
 * Buffer.from(json).toString('base64' | 'base64url'), CryptoJS.enc.Base64
 * .stringify(words), base64url(json) or another encoder named so; trailing
 * .replace() calls (the padding and alphabet fixes of base64url) and names
 * are looked through. *obj as json_text. */
static int encoded_json(rl_jsfile *jf, TSNode n, TSNode param, int depth, TSNode *obj) {
  *obj = null_node();
  for (int hops = 0; hops < HAND_HOPS * 2 && !ts_node_is_null(n); hops++) {
    n = rl_js_unwrap(n);
    if (type_is(n, "identifier")) {
      if (is_param(jf, n, param)) return JSON_PARAM_PASSED;
      n = value_of_name(jf, n);
      continue;
    }
    if (!type_is(n, "call_expression")) return 0;
    TSNode fn = rl_js_unwrap(field(n, "function"));
    if (member_prop_is(jf, fn, "replace") || member_prop_is(jf, fn, "replaceAll")) {
      n = field(fn, "object");
      continue;
    }
    if (member_prop_is(jf, fn, "toString")) {
      TSNode a = rl_js_call_arg(n, 0);
      const char *s;
      size_t l;
      int b64 = rl_js_eval_string(jf, a, &s, &l)
                    ? (l == 6 && !memcmp(s, "base64", 6)) || (l == 9 && !memcmp(s, "base64url", 9))
                    : !ts_node_is_null(a) && callee_says_base64(jf, a);
      return b64 ? json_text(jf, field(fn, "object"), param, obj) : 0;
    }
    if (callee_says_base64(jf, fn)) return json_text(jf, rl_js_call_arg(n, 0), param, obj);
    /* a helper of this file that encodes its argument (stringified or not) */
    TSNode hp, ret = depth < 2 ? helper_return(jf, fn, &hp) : null_node();
    if (ts_node_is_null(ret)) return 0;
    TSNode inner;
    int k = encoded_json(jf, ret, hp, depth + 1, &inner);
    if (k == JSON_PARAM_STRINGIFIED) {
      *obj = rl_js_call_arg(n, 0);
      return ts_node_is_null(*obj) ? 0 : is_param(jf, rl_js_unwrap(*obj), param) ? JSON_PARAM_STRINGIFIED : 1;
    }
    if (k == JSON_PARAM_PASSED) { /* urlSafe(b64): the argument, its padding fixed */
      n = rl_js_call_arg(n, 0);
      continue;
    }
    return k == JSON_PARAM_RAW ? json_text(jf, rl_js_call_arg(n, 0), param, obj) : 0;
  }
  return 0;
}

/* The two sides of a message written X + '.' + Y, `${X}.${Y}` or
 * [X, Y].join('.'), directly, through names, or turned into bytes
 * (new TextEncoder().encode(msg) for crypto.subtle.sign). */
static int dot_joined(rl_jsfile *jf, TSNode n, TSNode *l, TSNode *r) {
  const char *s;
  size_t len;
  for (int hops = 0; hops < HAND_HOPS && !ts_node_is_null(n); hops++) {
    n = rl_js_unwrap(n);
    if (type_is(n, "identifier")) {
      n = value_of_name(jf, n);
      continue;
    }
    if (type_is(n, "call_expression")) {
      TSNode inner = rl_key_bytes_text(jf, n);
      if (!ts_node_is_null(inner)) {
        n = inner;
        continue;
      }
      TSNode fn = rl_js_unwrap(field(n, "function"));
      if (!member_prop_is(jf, fn, "join") || !rl_js_eval_string(jf, rl_js_call_arg(n, 0), &s, &len) || len != 1 ||
          s[0] != '.')
        return 0;
      TSNode arr = rl_js_unwrap(field(fn, "object"));
      if (!type_is(arr, "array") || ts_node_named_child_count(arr) != 2) return 0;
      *l = ts_node_named_child(arr, 0);
      *r = ts_node_named_child(arr, 1);
      return !type_is(*l, "spread_element") && !type_is(*r, "spread_element");
    }
    if (type_is(n, "binary_expression")) {
      TSNode parts[4];
      size_t k = 0;
      TSNode b = n;
      while (k < 3 && type_is(b, "binary_expression") && rl_js_text_is(jf, field(b, "operator"), "+")) {
        parts[k++] = field(b, "right");
        b = rl_js_unwrap(field(b, "left"));
      }
      parts[k++] = b;
      if (k != 3 || !rl_js_eval_string(jf, parts[1], &s, &len) || len != 1 || s[0] != '.') return 0;
      *l = parts[2];
      *r = parts[0];
      return 1;
    }
    if (type_is(n, "template_string")) {
      size_t pre;
      if (!rl_js_template_static(jf, n, &s, &len, &pre) || len != 3 || memcmp(s, "\x1a.\x1a", 3) != 0) return 0;
      TSNode subs[2];
      size_t k = 0;
      for (uint32_t i = 0; i < ts_node_named_child_count(n) && k < 2; i++) {
        TSNode c = ts_node_named_child(n, i);
        if (type_is(c, "template_substitution")) subs[k++] = ts_node_named_child(c, 0);
      }
      if (k != 2) return 0;
      *l = subs[0];
      *r = subs[1];
      return 1;
    }
    return 0;
  }
  return 0;
}

/* A JOSE header: an object with alg or typ. */
static int header_like(rl_jsfile *jf, TSNode obj) {
  TSNode o = ts_node_is_null(obj) ? obj : object_of(jf, obj);
  return !ts_node_is_null(o) &&
         (!ts_node_is_null(rl_js_object_get(jf, o, "alg")) || !ts_node_is_null(rl_js_object_get(jf, o, "typ")));
}

static int compared_rec(rl_jsfile *jf, TSNode n, int depth);

typedef struct uses_scan {
  rl_jsfile *jf;
  TSNode decl; /* the declaring identifier, skipped */
  const char *name;
  size_t len;
  int depth;
  int found;
} uses_scan;

static int uses_visit(void *data, TSNode n) {
  uses_scan *u = data;
  if (!type_is(n, "identifier") || ts_node_eq(n, u->decl) || !rl_js_text_eq(u->jf, n, u->name, u->len)) return 0;
  if (compared_rec(u->jf, n, u->depth)) {
    u->found = 1;
    return -1;
  }
  return 0;
}

/* 1 if the value at n ends in a comparison: an operand of ===, !==, ==, !=,
 * or an argument of timingSafeEqual / crypto.subtle.verify / a *compare* or
 * *equal* function, through the calls and members that encode it (.digest(),
 * .toString(), base64url(...)) and the names it is stored in (their uses in
 * the enclosing function). A recomputed signature compared with the one
 * received verifies a token; it mints none. */
static int compared_rec(rl_jsfile *jf, TSNode n, int depth) {
  for (int guard = 0; guard < 16; guard++) {
    TSNode p = rl_js_parent(n);
    if (ts_node_is_null(p)) return 0;
    const char *t = ts_node_type(p);
    if (!strcmp(t, "binary_expression")) {
      size_t ol;
      const char *op = rl_js_text(jf, field(p, "operator"), &ol);
      return (ol == 3 && (!memcmp(op, "===", 3) || !memcmp(op, "!==", 3))) ||
             (ol == 2 && (!memcmp(op, "==", 2) || !memcmp(op, "!=", 2)));
    }
    if (!strcmp(t, "call_expression")) {
      TSNode fn = rl_js_unwrap(field(p, "function"));
      TSNode name = type_is(fn, "member_expression") ? field(fn, "property") : fn;
      size_t len;
      const char *s = rl_js_text(jf, name, &len);
      if ((type_is(name, "identifier") || type_is(name, "property_identifier")) &&
          rl_name_has_word(s, len, (const char *const[]){"equal", "compare", "verify", NULL}))
        return 1;
      n = p;
      continue;
    }
    if (!strcmp(t, "variable_declarator") || !strcmp(t, "assignment_expression")) {
      TSNode name = field(p, !strcmp(t, "variable_declarator") ? "name" : "left");
      if (!type_is(name, "identifier") || depth >= 3) return 0;
      TSNode fn = rl_js_enclosing_function(p);
      uses_scan u = {jf, name, NULL, 0, depth + 1, 0};
      u.name = rl_js_text(jf, name, &u.len);
      rl_js_walk(ts_node_is_null(fn) ? root_of(p) : fn, uses_visit, &u);
      return u.found;
    }
    if (!strcmp(t, "member_expression") || !strcmp(t, "arguments") || !strcmp(t, "await_expression") ||
        !strcmp(t, "parenthesized_expression") || !strcmp(t, "new_expression") || !strcmp(t, "spread_element") ||
        !strcmp(t, "as_expression") || !strcmp(t, "non_null_expression")) {
      n = p;
      continue;
    }
    return 0;
  }
  return 0;
}

/* The raw secret behind an HMAC key: the key itself, or for a CryptoKey the
 * key bytes of the crypto.subtle.importKey('raw', bytes, ...) it comes from. */
static TSNode hmac_secret(rl_jsfile *jf, TSNode key) {
  TSNode k = rl_js_unwrap(key);
  for (int hops = 0; hops < 4 && type_is(k, "identifier"); hops++) {
    TSNode v = value_of_name(jf, k);
    if (ts_node_is_null(v)) break;
    k = rl_js_unwrap(v);
  }
  if (type_is(k, "call_expression")) {
    TSNode fn = rl_js_unwrap(field(k, "function"));
    if (member_prop_is(jf, fn, "importKey")) return rl_js_call_arg(k, 1);
  }
  return key;
}

static int callee_may_hmac(const char *c);

/* The mint at call when msg, the message MACed with key by the HMAC API
 * `name`, is base64url(header) + '.' + base64url(payload). */
static int hand_jwt_at(rl_jsfile *jf, TSNode call, TSNode msg, TSNode secret, const char *what, rl_mint *m) {
  TSNode l, r, lo, ro;
  if (ts_node_is_null(msg) || !dot_joined(jf, msg, &l, &r)) return 0;
  /* The header comes first: base64 of JSON, or already encoded ('eyJ' is
   * base64 of '{"'). Both sides base64 JSON, or a header that says so (alg,
   * typ, a literal) before claims of unknown make; "<base64 json>.<expiry>"
   * cookies are no JWTs. */
  const char *hs;
  size_t hl;
  int literal = rl_js_eval_string(jf, l, &hs, &hl) && hl > 8 && !memcmp(hs, "eyJ", 3) && !memchr(hs, '.', hl);
  int le = literal || encoded_json(jf, l, null_node(), 0, &lo);
  int re = encoded_json(jf, r, null_node(), 0, &ro);
  if (!le || (!re && !literal && !ts_node_is_null(lo) && !header_like(jf, lo))) return 0;
  if (compared_rec(jf, call, 0)) return 0;
  TSNode claims = ro;
  if (header_like(jf, ro)) claims = header_like(jf, lo) ? null_node() : lo;
  m->kind = RL_MINT_HMAC_JWT;
  m->what = what;
  set_payload(jf, m, claims);
  m->secret = secret;
  management_from_payload(jf, m);
  return 1;
}

/* base64url(header) + '.' + base64url(payload), MACed with a key: the HMAC
 * call is the mint site. */
static int match_hand_jwt(rl_jsfile *jf, TSNode call, rl_mint *m) {
  TSNode key, data;
  const char *name;
  if (!rl_key_hmac(jf, call, &key, &data, &name)) return 0;
  m->package = name;
  return hand_jwt_at(jf, call, data, hmac_secret(jf, key),
                     rl_arena_printf(rl_jsfile_arena(jf), "%s() signing a JWT by hand", name), m);
}

/* The root name of an HMAC's data or key: text-to-bytes calls looked through. */
static TSNode bytes_root(rl_jsfile *jf, TSNode n) {
  for (int hops = 0; hops < 4; hops++) {
    n = rl_js_unwrap(n);
    TSNode inner = rl_key_bytes_text(jf, n);
    if (ts_node_is_null(inner)) break;
    n = inner;
  }
  return n;
}

typedef struct helper_hmac {
  rl_jsfile *jf;
  TSNode fn;
  int data_i, key_i; /* parameter indexes */
  TSNode key;        /* the key when it is no parameter */
  const char *name;
} helper_hmac;

static int helper_hmac_visit(void *data, TSNode n) {
  helper_hmac *h = data;
  if (!type_is(n, "call_expression")) return 0;
  TSNode key, msg;
  const char *name;
  if (!callee_may_hmac(rl_js_callee(h->jf, n)) || !rl_key_hmac(h->jf, n, &key, &msg, &name)) return 0;
  int di = param_index(h->jf, h->fn, bytes_root(h->jf, msg));
  if (di < 0) return 0;
  h->data_i = di;
  h->key = hmac_secret(h->jf, key);
  h->key_i = param_index(h->jf, h->fn, bytes_root(h->jf, h->key));
  h->name = name;
  return -1;
}

/* A helper of this file that HMACs its arguments (hmacSHA256(message,
 * secret), this.sign(data, key)), called with a JWT's signing input: the
 * call is the mint site, its key argument the secret. */
static int match_hand_jwt_helper(rl_jsfile *jf, TSNode call, rl_mint *m) {
  TSNode fn = rl_js_unwrap(field(call, "function"));
  TSNode id = type_is(fn, "member_expression") ? field(fn, "property") : fn;
  if (!type_is(id, "identifier") && !type_is(id, "property_identifier")) return 0;
  size_t len;
  const char *t = rl_js_text(jf, id, &len);
  /* every call comes here: a byte test before the words */
  int maybe = 0;
  for (size_t i = 0; i + 2 < len && !maybe; i++) {
    char a = (char)(t[i] | 0x20), b = (char)(t[i + 1] | 0x20), c = (char)(t[i + 2] | 0x20);
    maybe = (a == 's' && b == 'i' && c == 'g') || (a == 'h' && b == 'm' && c == 'a') ||
            (a == 'h' && b == 's' && c == '2');
  }
  if (!maybe || !rl_name_has_word(t, len, (const char *const[]){"hmac", "sign", "signature", "hs256", NULL})) return 0;
  TSNode f = local_function(jf, fn);
  if (ts_node_is_null(f)) return 0;
  helper_hmac h = {jf, f, -1, -1, null_node(), NULL};
  rl_js_walk(field(f, "body"), helper_hmac_visit, &h);
  if (h.data_i < 0) return 0;
  m->package = h.name;
  TSNode secret = h.key_i >= 0 ? rl_js_call_arg(call, (uint32_t)h.key_i) : h.key;
  return hand_jwt_at(jf, call, rl_js_call_arg(call, (uint32_t)h.data_i), secret,
                     rl_arena_printf(rl_jsfile_arena(jf), "%s() in %.*s() signing a JWT by hand", h.name, (int)len, t),
                     m);
}

/* The callee of an HMAC of the key table (rl_key_hmac), cheaply: "...Hmac...",
 * "...HMAC...", "...subtle.sign". */
static int callee_may_hmac(const char *c) {
  if (!c) return 0;
  size_t n = strlen(c);
  return strstr(c, "Hmac") || strstr(c, "HMAC") || strstr(c, "hmac-") ||
         (n >= 11 && !strcmp(c + n - 11, "subtle.sign"));
}

/* One per mint family of rl_mint_possible: a module name, or what its API
 * spells ("djwt" is in every djwt specifier: deno.land/x/djwt, jsr:@zaubrik/djwt). */
const char *const rl_mint_needles[] = {"jsonwebtoken", "jose",           "server-sdk", "twilio",        "Twilio.jwt",
                                       "agora-",       "opentok",        "Hmac",       "HMAC",          "crypto-js",
                                       "TokenBuilder", "meeting-tokens", "djwt",       "generateToken", NULL};

int rl_mint_is_generic_jwt(const rl_mint *m) {
  return m->kind == RL_MINT_JSONWEBTOKEN || m->kind == RL_MINT_JOSE || m->kind == RL_MINT_HMAC_JWT ||
         m->kind == RL_MINT_DJWT;
}

const char *rl_mint_tokend_provider(const rl_mint *m) {
  switch (m->kind) {
  case RL_MINT_LIVEKIT: return "livekit";
  case RL_MINT_TWILIO: return "twilio";
  case RL_MINT_AGORA: return "agora";
  default: return NULL;
  }
}

int rl_mint_possible(rl_prefilter *pf) {
  static const char *const modules[] = {
      "jsonwebtoken",          "jose", "livekit-server-sdk", "twilio", "agora-token", "agora-access-token", "opentok",
      "@100mslive/server-sdk", "djwt", "@zaubrik/djwt",      NULL};
  for (size_t i = 0; modules[i]; i++)
    if (rl_pf_module(pf, modules[i])) return 1;
  /* a copy of Agora's builder: imported from a file named after it */
  if (rl_pf_has(pf, "RtcTokenBuilder") || rl_pf_has(pf, "RtmTokenBuilder") || rl_pf_has(pf, "ChatTokenBuilder"))
    return 1;
  if (rl_pf_has(pf, "Twilio.jwt")) return 1; /* Twilio Functions' global */
  /* an OpenTok client that another project file makes (the model knows it) */
  if (rl_pf_has(pf, ".generateToken(")) return 1;
  return rl_mint_hand_possible(pf);
}

/* Within HAND_NEAR bytes of an HMAC API's name: JSON.stringify or an encoded
 * header. A hand-signed JWT builds its signing input next to its HMAC (a
 * helper of the same file included); SDK bundles that use HMAC for their
 * own crypto seldom have JSON near it. */
#define HAND_NEAR 8192

static int near_json(const char *b, size_t n, const char *at) {
  size_t from = (size_t)(at - b) > HAND_NEAR ? (size_t)(at - b) - HAND_NEAR : 0;
  size_t to = (size_t)(at - b) + HAND_NEAR < n ? (size_t)(at - b) + HAND_NEAR : n;
  return memmem(b + from, to - from, "stringify", 9) || memmem(b + from, to - from, "eyJ", 3);
}

int rl_mint_hand_possible(rl_prefilter *pf) {
  /* createHmac, HmacSHA256, 'HMAC' (WebCrypto's name, quoted), crypto-js/hmac-* */
  if (!rl_pf_has(pf, "Hmac") && !rl_pf_has(pf, "'HMAC'") && !rl_pf_has(pf, "\"HMAC\"") &&
      !rl_pf_module(pf, "crypto-js"))
    return 0;
  /* a header and claims as JSON, base64-encoded */
  if (!rl_pf_has(pf, "stringify") && !rl_pf_has(pf, "eyJ")) return 0;
  if (!rl_pf_has_caseless(pf, "base64") && !rl_pf_has_caseless(pf, "b64") && !rl_pf_has(pf, "btoa") &&
      !rl_pf_has(pf, "eyJ"))
    return 0;
  size_t n;
  const char *b = rl_pf_bytes(pf, &n);
  static const char *const names[] = {"Hmac", "'HMAC'", "\"HMAC\"", "hmac-", NULL};
  for (size_t i = 0; names[i]; i++) {
    size_t l = strlen(names[i]);
    const char *p = b, *hit;
    for (int k = 0; k < 256 && (hit = memmem(p, (size_t)(b + n - p), names[i], l)) != NULL; k++) {
      if (near_json(b, n, hit)) return 1;
      p = hit + l;
    }
  }
  return 0;
}

/* rl_mint_hand_possible for the file jf analyses, asked once and kept. */
static int file_may_hand_sign(rl_jsfile *jf) {
  void **memo = rl_jsfile_memo(jf, RL_JS_MEMO_HAND_JWT);
  static char yes, no;
  if (!*memo) {
    const rl_source *src = rl_jsfile_source(jf);
    rl_prefilter pf;
    rl_prefilter_init(&pf, src->bytes, src->len, src->lang);
    *memo = rl_mint_hand_possible(&pf) ? (void *)&yes : (void *)&no;
    rl_prefilter_clear(&pf);
  }
  return *memo == (void *)&yes;
}

int rl_mint_match(rl_jsfile *jf, TSNode call, rl_mint *out) {
  rl_mint m;
  memset(&m, 0, sizeof m);
  *out = m;
  call = rl_js_unwrap(call);
  if (ts_node_is_null(call)) return 0;
  m.call = call;
  const char *callee = callee_of(jf, call);

  if (type_is(call, "new_expression")) {
    if (!callee) return 0;
    if (!strcmp(callee, "livekit-server-sdk:AccessToken")) {
      m.kind = RL_MINT_LIVEKIT;
      m.what = "LiveKit new AccessToken()";
      m.package = "livekit-server-sdk";
      m.secret = rl_js_call_arg(call, 1);
      set_options(jf, &m, rl_js_call_arg(call, 2));
      *out = m;
      return 1;
    }
    /* Twilio Functions (Twilio Serverless) have the helper library as the
     * global Twilio: new Twilio.jwt.AccessToken(...); twilio-node 2.x
     * exported it at the top: require('twilio').AccessToken */
    if (!strcmp(callee, "twilio:jwt.AccessToken") || canon_module_is(callee, "twilio/lib/jwt/AccessToken", 0) ||
        !strcmp(callee, "Twilio.jwt.AccessToken") || !strcmp(callee, "twilio:AccessToken")) {
      const char *p = canon_path(callee);
      if (canon_module_is(callee, "twilio/lib/jwt/AccessToken", 0) && p && *p && strcmp(p, "AccessToken") != 0)
        return 0;
      m.kind = RL_MINT_TWILIO;
      m.what = "Twilio new AccessToken()";
      m.package = "twilio";
      m.secret = rl_js_call_arg(call, 2);
      set_options(jf, &m, rl_js_call_arg(call, 3));
      *out = m;
      return 1;
    }
    return 0;
  }
  if (!type_is(call, "call_expression")) return 0;

  if (callee && !strcmp(callee, "jsonwebtoken:sign")) {
    m.kind = RL_MINT_JSONWEBTOKEN;
    m.what = "jsonwebtoken sign()";
    m.package = "jsonwebtoken";
    set_payload(jf, &m, rl_js_call_arg(call, 0));
    m.secret = rl_js_call_arg(call, 1);
    TSNode opts = rl_js_call_arg(call, 2);
    /* sign(payload, secret, callback) has no options */
    if (type_is(rl_js_unwrap(opts), "arrow_function") || type_is(rl_js_unwrap(opts), "function_expression") ||
        type_is(rl_js_unwrap(opts), "function"))
      opts = null_node();
    set_options(jf, &m, opts);
    management_from_payload(jf, &m);
    *out = m;
    return 1;
  }
  if (callee && match_agora(jf, callee, call, &m)) {
    *out = m;
    return 1;
  }
  if (match_jose(jf, call, &m)) {
    *out = m;
    return 1;
  }
  /* djwt (Deno): await create({ alg: 'HS256', typ: 'JWT' }, payload, key) */
  if (callee && (!strcmp(callee, "djwt:create") || !strcmp(callee, "@zaubrik/djwt:create"))) {
    m.kind = RL_MINT_DJWT;
    m.what = "djwt create()";
    m.package = "djwt";
    set_payload(jf, &m, rl_js_call_arg(call, 1));
    m.secret = rl_js_call_arg(call, 2);
    management_from_payload(jf, &m);
    *out = m;
    return 1;
  }
  /* a helper named like an HMAC API (generateHmacSignature(input, secret))
   * is no API of the key table: it is tried as a helper too */
  if (file_may_hand_sign(jf) &&
      ((callee_may_hmac(callee) && match_hand_jwt(jf, call, &m)) || match_hand_jwt_helper(jf, call, &m))) {
    *out = m;
    return 1;
  }

  TSNode fn = rl_js_unwrap(field(call, "function"));
  if (!type_is(fn, "member_expression")) return 0;
  /* OpenTok: ot.generateToken(sessionId, options) */
  if (member_prop_is(jf, fn, "generateToken")) {
    TSNode ctor = instance_new(jf, field(fn, "object"));
    const char *c = ts_node_is_null(ctor) ? NULL : callee_of(jf, ctor);
    if (!c) { /* an instance another project file makes: `export const ot = new OpenTok(k, s)` */
      const rl_symbol *s = rl_js_imported_symbol(jf, field(fn, "object"));
      if (s && s->kind == RL_SYM_INSTANCE) c = s->instance_of;
    }
    if (c && canon_module_is(c, "opentok", 0) && !strcmp(canon_path(c), "")) {
      m.kind = RL_MINT_OPENTOK;
      m.what = "OpenTok generateToken()";
      m.package = "opentok";
      m.ctor = ctor;
      m.secret = ts_node_is_null(ctor) ? null_node() : rl_js_call_arg(ctor, 1);
      set_options(jf, &m, rl_js_call_arg(call, 1));
      *out = m;
      return 1;
    }
    return 0;
  }
  /* 100ms: sdk.auth.getAuthToken(config) / sdk.auth.getManagementToken(config) */
  int mgmt = member_prop_is(jf, fn, "getManagementToken");
  if (mgmt || member_prop_is(jf, fn, "getAuthToken")) {
    TSNode auth = rl_js_unwrap(field(fn, "object"));
    if (!member_prop_is(jf, auth, "auth")) return 0;
    TSNode ctor = instance_new(jf, field(auth, "object"));
    const char *c = ts_node_is_null(ctor) ? NULL : callee_of(jf, ctor);
    if (!c || !canon_module_is(c, "@100mslive/server-sdk", 0)) return 0;
    m.kind = RL_MINT_HMS_SDK;
    m.what = mgmt ? "100ms getManagementToken()" : "100ms getAuthToken()";
    m.package = "@100mslive/server-sdk";
    m.ctor = ctor;
    m.secret = rl_js_call_arg(ctor, 1);
    set_payload(jf, &m, rl_js_call_arg(call, 0));
    m.options_arg = m.payload_arg; /* validForSeconds lives in the config */
    m.options = m.payload;
    m.is_management = mgmt;
    *out = m;
    return 1;
  }
  return 0;
}

typedef struct each_state {
  rl_jsfile *jf;
  rl_mint_cb cb;
  void *data;
  int stop_first;
  int found;
} each_state;

static int each_visit(void *data, TSNode n) {
  each_state *s = data;
  const char *t = ts_node_type(n);
  if (strcmp(t, "call_expression") != 0 && strcmp(t, "new_expression") != 0) return 0;
  rl_mint m;
  if (!rl_mint_match(s->jf, n, &m)) return 0;
  s->found = 1;
  if (s->stop_first) return -1;
  s->cb(s->data, &m);
  return 0;
}

/* The file's mint sites, found by one walk of the whole tree and kept for
 * every rule that asks (four do); a subtree's sites are the ones inside its
 * byte range. */
typedef struct mint_list {
  rl_arena *arena;
  rl_mint *items;
  size_t n, cap;
} mint_list;

static void collect_mint(void *data, const rl_mint *m) {
  mint_list *l = data;
  l->items = rl_arena_grow(l->arena, l->items, l->n, &l->cap, sizeof *l->items);
  l->items[l->n++] = *m;
}

void rl_mint_each(rl_jsfile *jf, TSNode subtree, rl_mint_cb cb, void *data) {
  if (ts_node_is_null(subtree)) return;
  mint_list **memo = (mint_list **)rl_jsfile_memo(jf, RL_JS_MEMO_MINTS);
  if (!*memo) {
    mint_list *l = rl_arena_calloc(rl_jsfile_arena(jf), 1, sizeof *l);
    l->arena = rl_jsfile_arena(jf);
    each_state s = {jf, collect_mint, l, 0, 0};
    rl_js_walk(rl_jsfile_root(jf), each_visit, &s);
    *memo = l;
  }
  const mint_list *l = *memo;
  uint32_t start = ts_node_start_byte(subtree), end = ts_node_end_byte(subtree);
  for (size_t i = 0; i < l->n; i++) {
    TSNode c = l->items[i].call;
    if (ts_node_start_byte(c) >= start && ts_node_end_byte(c) <= end) cb(data, &l->items[i]);
  }
}

int rl_mint_any(rl_jsfile *jf, TSNode subtree) {
  if (ts_node_is_null(subtree)) return 0;
  each_state s = {jf, NULL, NULL, 1, 0};
  rl_js_walk(subtree, each_visit, &s);
  return s.found;
}

/* ---- tokens minted by a provider's REST API ---------------------------------------- */

int rl_mint_rest_match(rl_jsfile *jf, TSNode call, rl_mint *out) {
  memset(out, 0, sizeof *out);
  call = rl_js_unwrap(call);
  rl_priv pv;
  rl_request r;
  if (!type_is(call, "call_expression") || !rl_priv_rest_call(jf, call, &pv, NULL) || !pv.mints ||
      !rl_request_parse(jf, call, &r))
    return 0;
  out->kind = RL_MINT_DAILY_REST;
  out->what =
      rl_arena_printf(rl_jsfile_arena(jf), "%s %s /meeting-tokens", pv.provider, pv.method ? pv.method : "POST");
  out->package = "Daily's REST API";
  out->call = call;
  out->options_arg = rl_request_body(jf, &r);
  out->options = object_of(jf, out->options_arg);
  if (!ts_node_is_null(out->options)) {
    out->payload_arg = rl_js_object_get(jf, out->options, "properties");
    out->payload = object_of(jf, out->payload_arg);
  }
  return 1;
}

static int rest_visit(void *data, TSNode n) {
  each_state *s = data;
  rl_mint m;
  if (type_is(n, "call_expression") && rl_mint_rest_match(s->jf, n, &m)) s->cb(s->data, &m);
  return 0;
}

void rl_mint_rest_each(rl_jsfile *jf, TSNode subtree, rl_mint_cb cb, void *data) {
  const rl_source *src = rl_jsfile_source(jf);
  if (ts_node_is_null(subtree) || !memmem(src->bytes, src->len, "meeting-tokens", 14)) return;
  each_state s = {jf, cb, data, 0, 0};
  rl_js_walk(subtree, rest_visit, &s);
}

int rl_mint_rest_possible(rl_prefilter *pf) { return rl_pf_has(pf, "daily.co") && rl_pf_has(pf, "meeting-tokens"); }

/* A hand-signed JWT's value: an expression whose last part derives from
 * its HMAC (base64url(sig), a name holding it), through names (const, or
 * let/var declared once in the nearest block) up to `depth` deep. */
typedef struct derive_scan {
  rl_jsfile *jf;
  int depth;
  rl_mint *out;
  int found;
} derive_scan;

static int derives_from_hand_jwt(rl_jsfile *jf, TSNode e, int depth, rl_mint *out);

static int derive_visit(void *data, TSNode n) {
  derive_scan *d = data;
  if (type_is(n, "call_expression")) {
    rl_mint m;
    if (rl_mint_match(d->jf, n, &m) && m.kind == RL_MINT_HMAC_JWT) {
      *d->out = m;
      d->found = 1;
      return -1;
    }
  } else if (type_is(n, "identifier") && d->depth > 0) {
    TSNode v = value_of_name(d->jf, n);
    if (!ts_node_is_null(v) && derives_from_hand_jwt(d->jf, v, d->depth - 1, d->out)) {
      d->found = 1;
      return -1;
    }
  } else if (rl_js_is_function(n)) {
    return 1;
  }
  return 0;
}

static int derives_from_hand_jwt(rl_jsfile *jf, TSNode e, int depth, rl_mint *out) {
  derive_scan d = {jf, depth, out, 0};
  rl_js_walk(e, derive_visit, &d);
  return d.found;
}

/* `${unsigned}.${sig}` or unsigned + '.' + sig where sig comes from a JWT
 * signed by hand. */
static int hand_jwt_token(rl_jsfile *jf, TSNode n, rl_mint *out) {
  if (!file_may_hand_sign(jf)) return 0;
  for (int hops = 0; hops < 4 && type_is(n, "identifier"); hops++) n = rl_js_unwrap(value_of_name(jf, n));
  TSNode last = null_node();
  if (type_is(n, "binary_expression") && rl_js_text_is(jf, field(n, "operator"), "+")) {
    last = field(n, "right");
  } else if (type_is(n, "template_string")) {
    for (uint32_t i = 0; i < ts_node_named_child_count(n); i++) {
      TSNode c = ts_node_named_child(n, i);
      if (type_is(c, "template_substitution")) last = ts_node_named_child(c, 0);
    }
  }
  return !ts_node_is_null(last) && derives_from_hand_jwt(jf, last, 3, out);
}

/* jsonwebtoken's callback form, sign(payload, secret[, options], (err, token)
 * => ...): ident, used inside the callback, is its second parameter, the
 * token. The nearest function declaring the name as a parameter decides. */
static int callback_token(rl_jsfile *jf, TSNode ident, rl_mint *out) {
  if (!type_is(ident, "identifier") && !type_is(ident, "shorthand_property_identifier")) return 0;
  size_t len;
  const char *t = rl_js_text(jf, ident, &len);
  for (TSNode f = rl_js_enclosing_function(ident); !ts_node_is_null(f); f = rl_js_enclosing_function(f)) {
    TSNode params = field(f, "parameters");
    int idx = -1;
    if (ts_node_is_null(params)) {
      if (rl_js_text_eq(jf, param_name(field(f, "parameter")), t, len)) idx = 0;
    } else {
      for (uint32_t i = 0; i < ts_node_named_child_count(params) && idx < 0; i++)
        if (rl_js_text_eq(jf, param_name(ts_node_named_child(params, i)), t, len)) idx = (int)i;
    }
    if (idx < 0) continue;
    if (idx != 1) return 0;
    TSNode args = rl_js_parent(f);
    TSNode call = rl_js_parent(args);
    if (!type_is(args, "arguments") || !type_is(call, "call_expression")) return 0;
    /* the callback comes after payload and secret */
    if (!ts_node_eq(rl_js_call_arg(call, 2), f) && !ts_node_eq(rl_js_call_arg(call, 3), f)) return 0;
    rl_mint m;
    if (!rl_mint_match(jf, call, &m) || m.kind != RL_MINT_JSONWEBTOKEN) return 0;
    *out = m;
    return 1;
  }
  return 0;
}

int rl_mint_token_expr(rl_jsfile *jf, TSNode expr, rl_mint *out) {
  TSNode n = rl_js_unwrap(expr);
  memset(out, 0, sizeof *out);
  if (hand_jwt_token(jf, n, out)) return 1;
  if (callback_token(jf, n, out)) return 1;
  for (int hops = 0; hops < 8 && type_is(n, "identifier"); hops++) n = rl_js_unwrap(rl_js_local_init(jf, n));
  if (!type_is(n, "call_expression")) return 0;
  TSNode fn = rl_js_unwrap(field(n, "function"));
  if (member_prop_is(jf, fn, "toJwt")) {
    TSNode ctor = instance_new(jf, field(fn, "object"));
    if (ts_node_is_null(ctor)) return 0;
    rl_mint m;
    if (rl_mint_match(jf, ctor, &m) && (m.kind == RL_MINT_LIVEKIT || m.kind == RL_MINT_TWILIO)) {
      *out = m;
      return 1;
    }
    return 0;
  }
  return rl_mint_match(jf, n, out);
}

/* ---- lifetimes ------------------------------------------------------------------- */

#define LIFE_MAX_HOPS 8

static const char *const now_words[] = {"now", "iat", "current", "issued", NULL};

static int name_says_now(rl_jsfile *jf, TSNode n) {
  size_t len;
  const char *t = rl_js_text(jf, n, &len);
  return rl_name_has_word(t, len, now_words);
}

/* Math.floor(x), Math.round(x), Math.ceil(x), Math.trunc(x), parseInt(x),
 * Number(x): the argument x; else null. */
static TSNode rounding_arg(rl_jsfile *jf, TSNode n) {
  if (!type_is(n, "call_expression")) return null_node();
  const char *c = rl_js_callee(jf, n);
  if (!c) return null_node();
  static const char *const fns[] = {"Math.floor", "Math.round", "Math.ceil", "Math.trunc", "parseInt", "Number", NULL};
  for (size_t i = 0; fns[i]; i++)
    if (!strcmp(c, fns[i])) return rl_js_call_arg(n, 0);
  return null_node();
}

static int is_div_1000(rl_jsfile *jf, TSNode n) {
  if (!type_is(n, "binary_expression")) return 0;
  if (!rl_js_text_is(jf, field(n, "operator"), "/")) return 0;
  double d;
  return rl_js_eval_number(jf, field(n, "right"), &d) && d == 1000.0;
}

/* 1 if n is "the time now": *ms = 1 in milliseconds (Date.now(),
 * new Date().getTime()), 0 in seconds (Date.now() / 1000, dayjs().unix(),
 * a name saying now/iat). */
static int is_now(rl_jsfile *jf, TSNode n, int *ms) {
  int divs = 0;
  for (int hops = 0; hops < LIFE_MAX_HOPS * 2; hops++) {
    n = rl_js_unwrap(n);
    if (ts_node_is_null(n)) return 0;
    TSNode inner = rounding_arg(jf, n);
    if (!ts_node_is_null(inner)) {
      n = inner;
      continue;
    }
    if (is_div_1000(jf, n)) {
      divs++;
      n = field(n, "left");
      continue;
    }
    int found_ms = -1;
    if (type_is(n, "call_expression")) {
      const char *c = rl_js_callee(jf, n);
      TSNode fn = rl_js_unwrap(field(n, "function"));
      if (c && !strcmp(c, "Date.now")) {
        found_ms = 1;
      } else if (member_prop_is(jf, fn, "getTime") || member_prop_is(jf, fn, "valueOf")) {
        TSNode obj = rl_js_unwrap(field(fn, "object"));
        if (type_is(obj, "new_expression") && rl_js_text_is(jf, field(obj, "constructor"), "Date") &&
            ts_node_is_null(rl_js_call_arg(obj, 0)))
          found_ms = 1;
      } else if (member_prop_is(jf, fn, "unix")) {
        /* dayjs().unix(), moment().unix() */
        TSNode obj = rl_js_unwrap(field(fn, "object"));
        if (type_is(obj, "call_expression") && ts_node_is_null(rl_js_call_arg(obj, 0))) {
          const char *oc = rl_js_callee(jf, obj);
          if (oc && (canon_module_is(oc, "dayjs", 0) || canon_module_is(oc, "moment", 0))) found_ms = 0;
        }
      }
    } else if (type_is(n, "identifier")) {
      TSNode init = rl_js_const_init(jf, n);
      if (!ts_node_is_null(init)) {
        n = init;
        continue;
      }
      if (name_says_now(jf, n)) found_ms = 0;
    } else if (type_is(n, "member_expression")) {
      if (name_says_now(jf, field(n, "property"))) found_ms = 0;
    }
    if (found_ms < 0) return 0;
    if (divs > 1 || (divs == 1 && found_ms == 0)) return 0;
    *ms = divs ? 0 : found_ms;
    return 1;
  }
  return 0;
}

/* 1 if n is an absolute time written as now + N; *seconds = N. */
static int now_plus_any(rl_jsfile *jf, TSNode n, double *seconds, int any_offset);

static int now_plus(rl_jsfile *jf, TSNode n, double *seconds) { return now_plus_any(jf, n, seconds, 0); }

/* The offset's fallback: `ttl || 3600 * 24`, `opts.ttl ?? DAY` (through
 * consts): the number the code writes when the caller gives none. */
static int offset_fallback(rl_jsfile *jf, TSNode x, double *out) {
  for (int hops = 0; hops < LIFE_MAX_HOPS; hops++) {
    x = rl_js_unwrap(x);
    if (type_is(x, "identifier")) {
      x = rl_js_const_init(jf, x);
      continue;
    }
    if (!type_is(x, "binary_expression")) return 0;
    TSNode op = field(x, "operator");
    if (!rl_js_text_is(jf, op, "||") && !rl_js_text_is(jf, op, "??")) return 0;
    return rl_js_eval_number(jf, field(x, "right"), out);
  }
  return 0;
}

/* now + N (seconds, or ms / 1000). With any_offset, now + X whatever X is:
 * *seconds gets X's value, its fallback, or -1 when neither is known. */
static int now_plus_any(rl_jsfile *jf, TSNode n, double *seconds, int any_offset) {
  int want_ms = 0;
  for (int hops = 0; hops < LIFE_MAX_HOPS * 2; hops++) {
    n = rl_js_unwrap(n);
    if (ts_node_is_null(n)) return 0;
    TSNode inner = rounding_arg(jf, n);
    if (!ts_node_is_null(inner)) {
      n = inner;
      continue;
    }
    if (type_is(n, "identifier")) {
      TSNode init = rl_js_const_init(jf, n);
      if (ts_node_is_null(init)) return 0;
      n = init;
      continue;
    }
    if (!want_ms && is_div_1000(jf, n)) {
      want_ms = 1;
      n = field(n, "left");
      continue;
    }
    if (!type_is(n, "binary_expression") || !rl_js_text_is(jf, field(n, "operator"), "+")) return 0;
    TSNode l = field(n, "left"), r = field(n, "right");
    double v;
    int ms;
    if (rl_js_eval_number(jf, r, &v) && is_now(jf, l, &ms) && ms == want_ms) {
      *seconds = want_ms ? v / 1000.0 : v;
      return 1;
    }
    if (rl_js_eval_number(jf, l, &v) && is_now(jf, r, &ms) && ms == want_ms) {
      *seconds = want_ms ? v / 1000.0 : v;
      return 1;
    }
    if (!any_offset) return 0;
    TSNode x = is_now(jf, l, &ms) && ms == want_ms ? r : is_now(jf, r, &ms) && ms == want_ms ? l : null_node();
    if (ts_node_is_null(x)) return 0;
    *seconds = offset_fallback(jf, x, &v) ? (want_ms ? v / 1000.0 : v) : -1;
    return 1;
  }
  return 0;
}

/* The time now in milliseconds (Date.now(), new Date().getTime()), alone or
 * divided by a constant d below 100 (`getTime() / 60`), where seconds since
 * 1970 belong: *divisor = d (1 without one). The value is then at least ten
 * times today's timestamp in seconds: centuries ahead. */
static int ms_now(rl_jsfile *jf, TSNode n, double *divisor) {
  *divisor = 1;
  n = rl_js_unwrap(n);
  TSNode inner = rounding_arg(jf, n);
  if (!ts_node_is_null(inner)) n = rl_js_unwrap(inner);
  if (type_is(n, "binary_expression") && rl_js_text_is(jf, field(n, "operator"), "/")) {
    double d;
    if (!rl_js_eval_number(jf, field(n, "right"), &d) || !(d > 1 && d < 100)) return 0;
    *divisor = d;
    n = field(n, "left");
  }
  int ms;
  return is_now(jf, n, &ms) && ms;
}

/* An absolute time in seconds written from milliseconds: ms_now, or ms_now
 * + N (N constant), through const bindings. *seconds = N. */
static int ms_plus(rl_jsfile *jf, TSNode n, double *divisor, double *seconds) {
  for (int hops = 0; hops < LIFE_MAX_HOPS; hops++) {
    n = rl_js_unwrap(n);
    if (!type_is(n, "identifier")) break;
    TSNode init = rl_js_const_init(jf, n);
    if (ts_node_is_null(init)) return 0;
    n = init;
  }
  TSNode inner = rounding_arg(jf, n);
  if (!ts_node_is_null(inner)) n = rl_js_unwrap(inner);
  *seconds = 0;
  if (ms_now(jf, n, divisor)) return 1;
  if (!type_is(n, "binary_expression") || !rl_js_text_is(jf, field(n, "operator"), "+")) return 0;
  TSNode l = field(n, "left"), r = field(n, "right");
  if (rl_js_eval_number(jf, r, seconds) && ms_now(jf, l, divisor)) return 1;
  if (rl_js_eval_number(jf, l, seconds) && ms_now(jf, r, divisor)) return 1;
  return 0;
}

/* An absolute expiry in seconds since 1970: now + N (out->seconds = N), or
 * one built from milliseconds (out->ms_divisor set). */
static int abs_time(rl_jsfile *jf, TSNode v, rl_lifetime *out) {
  if (now_plus(jf, v, &out->seconds)) return 1;
  double d;
  if (!ms_plus(jf, v, &d, &out->seconds)) return 0;
  out->ms_divisor = d;
  return 1;
}

/* A relative lifetime: a number of seconds, or (strings != 0) a duration
 * string; unitless digit strings count only when unitless_ms is set. */
static int relative_seconds(rl_jsfile *jf, TSNode v, int strings, int unitless_ms, double *out) {
  if (rl_js_eval_number(jf, v, out)) return 1;
  const char *s;
  size_t len;
  if (!strings || !rl_js_eval_string(jf, v, &s, &len)) return 0;
  int unitless = 0;
  if (!rl_duration_parse(s, len, out, &unitless)) return 0;
  return !unitless || unitless_ms;
}

static int has_spread(TSNode object) {
  if (!type_is(object, "object")) return 0;
  uint32_t n = ts_node_named_child_count(object);
  for (uint32_t i = 0; i < n; i++)
    if (type_is(ts_node_named_child(object, i), "spread_element")) return 1;
  return 0;
}

static void life_set(rl_lifetime *out, const char *how, TSNode where) {
  out->state = RL_LIFE_SET;
  out->how = how;
  out->where = where;
  out->known = 0;
  out->seconds = 0;
}

static TSNode root_of(TSNode n) {
  TSNode p = n;
  while (!ts_node_is_null(p)) {
    n = p;
    p = rl_js_parent(p);
  }
  return n;
}

/* Searches the file for `<name>.<method>(arg)` calls or `<name>.<prop> = v`
 * assignments (method NULL: assignment to prop). */
typedef struct member_use {
  rl_jsfile *jf;
  const char *name;
  size_t name_len;
  const char *prop;
  int call;     /* 1: a call of prop, 0: an assignment to it */
  TSNode found; /* the argument / right side */
} member_use;

static int object_is_name(member_use *u, TSNode member) {
  TSNode obj = rl_js_unwrap(field(member, "object"));
  size_t len;
  const char *t;
  if (!type_is(obj, "identifier")) return 0;
  t = rl_js_text(u->jf, obj, &len);
  return len == u->name_len && !memcmp(t, u->name, len);
}

static int member_use_visit(void *data, TSNode n) {
  member_use *u = data;
  if (u->call && type_is(n, "call_expression")) {
    TSNode fn = rl_js_unwrap(field(n, "function"));
    if (member_prop_is(u->jf, fn, u->prop) && object_is_name(u, fn)) {
      u->found = rl_js_call_arg(n, 0);
      if (ts_node_is_null(u->found)) u->found = n;
      return -1;
    }
  } else if (!u->call && type_is(n, "assignment_expression")) {
    TSNode left = field(n, "left");
    if (member_prop_is(u->jf, left, u->prop) && object_is_name(u, left)) {
      u->found = field(n, "right");
      return -1;
    }
  }
  return 0;
}

static TSNode find_member_use(rl_jsfile *jf, TSNode anywhere, TSNode ident, const char *prop, int call) {
  member_use u;
  memset(&u, 0, sizeof u);
  u.jf = jf;
  u.name = rl_js_text(jf, ident, &u.name_len);
  u.prop = prop;
  u.call = call;
  rl_js_walk(root_of(anywhere), member_use_visit, &u);
  return u.found;
}

/* The identifier a `new X(...)` is stored in (`const at = new X()`,
 * `let at = new X()`), else null. */
static TSNode stored_in(TSNode ctor) {
  TSNode p = rl_js_parent(ctor);
  while (!ts_node_is_null(p) && (type_is(p, "parenthesized_expression") || type_is(p, "as_expression")))
    p = rl_js_parent(p);
  if (!type_is(p, "variable_declarator")) return null_node();
  TSNode name = field(p, "name");
  return type_is(name, "identifier") ? name : null_node();
}

static void claims_exp(rl_jsfile *jf, const rl_mint *m, rl_lifetime *out) {
  if (ts_node_is_null(m->payload)) return;
  TSNode e = rl_js_object_get(jf, m->payload, "exp");
  if (ts_node_is_null(e)) return;
  life_set(out, "exp claim", e);
  out->known = abs_time(jf, e, out);
}

/* A payload or options object that may hide what we look for. */
static int opaque(TSNode arg, TSNode object) {
  return !ts_node_is_null(arg) && (ts_node_is_null(object) || has_spread(object));
}

static void life_jsonwebtoken(rl_jsfile *jf, const rl_mint *m, rl_lifetime *out) {
  claims_exp(jf, m, out);
  if (out->state == RL_LIFE_SET) return;
  TSNode v = ts_node_is_null(m->options) ? null_node() : rl_js_object_get(jf, m->options, "expiresIn");
  if (!ts_node_is_null(v)) {
    life_set(out, "expiresIn", v);
    out->known = relative_seconds(jf, v, 1, 1, &out->seconds);
    return;
  }
  if (opaque(m->options_arg, m->options) || ts_node_is_null(m->payload_arg)) return;
  TSNode p = rl_js_unwrap(m->payload_arg);
  if (type_is(p, "string") || type_is(p, "template_string")) {
    out->state = RL_LIFE_NONE; /* a string payload cannot carry exp */
    return;
  }
  /* JSON.stringify(claims): jsonwebtoken takes the string as it is and adds
   * no exp (it refuses expiresIn for a string); only an exp among the claims
   * (read above) makes it expire. */
  TSNode inner = stringified(jf, p);
  if (!ts_node_is_null(inner)) {
    if (!opaque(inner, m->payload)) out->state = RL_LIFE_NONE;
    return;
  }
  if (opaque(m->payload_arg, m->payload)) return;
  out->state = RL_LIFE_NONE;
}

static void life_jose_value(rl_jsfile *jf, TSNode v, rl_lifetime *out) {
  life_set(out, "setExpirationTime()", v);
  const char *s;
  size_t len;
  int unitless = 0;
  if (rl_js_eval_string(jf, v, &s, &len)) {
    out->known = rl_duration_parse(s, len, &out->seconds, &unitless) && !unitless;
    return;
  }
  /* a number is an absolute epoch time in seconds */
  out->known = abs_time(jf, v, out);
}

static void life_jose(rl_jsfile *jf, const rl_mint *m, rl_lifetime *out) {
  TSNode exp;
  jose_chain(jf, m->call, &exp);
  if (!ts_node_is_null(exp)) {
    life_jose_value(jf, exp, out);
    return;
  }
  claims_exp(jf, m, out);
  if (out->state == RL_LIFE_SET) return;
  if (opaque(m->payload_arg, m->payload)) return;
  out->state = RL_LIFE_NONE;
}

/* LiveKit and Twilio: options.ttl, or `at.ttl = v` later. */
static void life_access_token(rl_jsfile *jf, const rl_mint *m, rl_lifetime *out) {
  int livekit = m->kind == RL_MINT_LIVEKIT;
  TSNode v = ts_node_is_null(m->options) ? null_node() : rl_js_object_get(jf, m->options, "ttl");
  if (ts_node_is_null(v)) {
    TSNode var = stored_in(m->call);
    if (!ts_node_is_null(var)) v = find_member_use(jf, m->call, var, "ttl", 0);
  }
  if (!ts_node_is_null(v)) {
    life_set(out, "ttl", v);
    out->known = relative_seconds(jf, v, livekit, 0, &out->seconds);
    return;
  }
  if (opaque(m->options_arg, m->options)) return;
  out->state = RL_LIFE_DEFAULT;
}

static void life_option(rl_jsfile *jf, const rl_mint *m, const char *key, int absolute, rl_lifetime *out) {
  TSNode v = ts_node_is_null(m->options) ? null_node() : rl_js_object_get(jf, m->options, key);
  if (!ts_node_is_null(v)) {
    life_set(out, key, v);
    out->known = absolute ? abs_time(jf, v, out) : relative_seconds(jf, v, 0, 0, &out->seconds);
    return;
  }
  if (opaque(m->options_arg, m->options)) return;
  out->state = RL_LIFE_DEFAULT;
}

typedef struct agora_sig {
  const char *method; /* after the builder's dot */
  int first, last;    /* argument indexes holding expiry values */
} agora_sig;

static void life_agora(rl_jsfile *jf, const rl_mint *m, rl_lifetime *out) {
  if (!strcmp(m->package, RL_MINT_AGORA_COPY)) return; /* which version was copied decides how it reads expiry */
  int legacy = !strcmp(m->package, "agora-access-token");
  const char *c = callee_of(jf, m->call);
  const char *p = canon_path(c);
  const char *method = p ? strchr(p, '.') : NULL;
  if (!method) return;
  method++;
  int rtm = starts_with(p, "RtmTokenBuilder."), chat = starts_with(p, "ChatTokenBuilder.");
  int first = -1, last = -1;
  if (rtm && !strcmp(method, "buildToken")) {
    first = last = legacy ? 4 : 3;
  } else if (chat) {
    if (!strcmp(method, "buildUserToken")) first = last = 3;
    if (!strcmp(method, "buildAppToken")) first = last = 2;
  } else if (strstr(method, "AndPrivilege")) {
    first = 4;
    last = legacy ? 7 : 8;
  } else if (starts_with(method, "buildTokenWith")) {
    first = 5;
    last = legacy ? 5 : 6;
  }
  if (first < 0) return;
  const char *name = legacy ? "privilegeExpiredTs" : (first == last ? "expire" : "tokenExpire");
  /* The token lives as long as its own expiry argument says (agora-access-token's
   * privilegeExpiredTs, agora-token's tokenExpire or expire); agora-token's
   * privilegeExpire arguments only bound what a user already in the channel
   * may do, so they are not the token's lifetime. */
  TSNode v = rl_js_call_arg(m->call, (uint32_t)first);
  if (!ts_node_is_null(v)) {
    life_set(out, name, v);
    if (legacy) {
      out->known = abs_time(jf, v, out);
    } else if (relative_seconds(jf, v, 0, 0, &out->seconds)) {
      out->known = 1;
    } else if (now_plus_any(jf, v, &out->seconds, 1)) {
      /* the token's own expiry given now + X is a timestamp whatever X is
       * (`now + (ttl || 3600 * 24)`); a privilegeExpire only when X is known */
      out->known = 1;
      out->timestamp_as_seconds = 1;
    }
  }
  if (legacy) return;
  for (int i = first + 1; i <= last; i++) {
    TSNode pv = rl_js_call_arg(m->call, (uint32_t)i);
    double n;
    if (ts_node_is_null(pv) || relative_seconds(jf, pv, 0, 0, &n) || !now_plus(jf, pv, &n)) continue;
    out->privilege_where = pv; /* a timestamp where seconds from now belong */
    out->privilege_seconds = n;
    return;
  }
}

/* A Daily meeting token: the exp of its properties, an absolute time in
 * seconds. eject_after_elapsed / eject_at_token_exp end a stay, not the
 * token. Unknown when what is sent is not written out here. */
static void life_daily(rl_jsfile *jf, const rl_mint *m, rl_lifetime *out) {
  if (opaque(m->options_arg, m->options) || ts_node_is_null(m->options_arg)) return;
  if (ts_node_is_null(m->payload_arg)) {
    out->state = RL_LIFE_NONE; /* no properties at all */
    return;
  }
  if (opaque(m->payload_arg, m->payload)) return;
  TSNode e = rl_js_object_get(jf, m->payload, "exp");
  if (ts_node_is_null(e)) {
    out->state = RL_LIFE_NONE;
    return;
  }
  life_set(out, "exp property", e);
  out->known = abs_time(jf, e, out);
}

/* djwt: the exp claim, usually djwt's own getNumericDate(n), which reads a
 * number as seconds from now (a Date as that date). Given a timestamp
 * (getNumericDate(Math.floor(Date.now() / 1000) + 3600)) it is a date
 * decades ahead. No exp: the token never expires (djwt adds none). */
static void life_djwt(rl_jsfile *jf, const rl_mint *m, rl_lifetime *out) {
  if (ts_node_is_null(m->payload)) return;
  TSNode e = rl_js_object_get(jf, m->payload, "exp");
  if (ts_node_is_null(e)) {
    if (!opaque(m->payload_arg, m->payload)) out->state = RL_LIFE_NONE;
    return;
  }
  life_set(out, "exp claim", e);
  TSNode c = rl_js_unwrap(e);
  for (int hops = 0; hops < LIFE_MAX_HOPS && type_is(c, "identifier"); hops++)
    c = rl_js_unwrap(rl_js_const_init(jf, c));
  const char *callee = type_is(c, "call_expression") ? callee_of(jf, c) : NULL;
  if (callee && (!strcmp(callee, "djwt:getNumericDate") || !strcmp(callee, "@zaubrik/djwt:getNumericDate"))) {
    TSNode a = rl_js_call_arg(c, 0);
    double ts;
    if (now_plus(jf, a, &ts)) {
      life_set(out, "getNumericDate()", a);
      out->seconds = ts;
      out->known = 1;
      out->timestamp_as_seconds = 1;
    } else if (relative_seconds(jf, a, 0, 0, &out->seconds)) {
      out->known = 1;
    } else if (!ts_node_is_null(a)) {
      out->where = a; /* getNumericDate(body.ttl): who chooses it is asked there */
    }
    return;
  }
  out->known = abs_time(jf, e, out); /* exp: Math.floor(Date.now() / 1000) + N */
}

/* A JWT signed by hand carries only the claims it is given: exp, or none. */
static void life_hand_jwt(rl_jsfile *jf, const rl_mint *m, rl_lifetime *out) {
  claims_exp(jf, m, out);
  if (out->state == RL_LIFE_SET || ts_node_is_null(m->payload_arg) || opaque(m->payload_arg, m->payload)) return;
  out->state = RL_LIFE_NONE;
}

void rl_mint_lifetime(rl_jsfile *jf, const rl_mint *m, rl_lifetime *out) {
  memset(out, 0, sizeof *out);
  out->where = null_node();
  out->privilege_where = null_node();
  switch (m->kind) {
  case RL_MINT_JSONWEBTOKEN: life_jsonwebtoken(jf, m, out); break;
  case RL_MINT_JOSE: life_jose(jf, m, out); break;
  case RL_MINT_LIVEKIT:
  case RL_MINT_TWILIO: life_access_token(jf, m, out); break;
  case RL_MINT_OPENTOK: life_option(jf, m, "expireTime", 1, out); break;
  case RL_MINT_HMS_SDK: life_option(jf, m, "validForSeconds", 0, out); break;
  case RL_MINT_AGORA: life_agora(jf, m, out); break;
  case RL_MINT_HMAC_JWT: life_hand_jwt(jf, m, out); break;
  case RL_MINT_DAILY_REST: life_daily(jf, m, out); break;
  case RL_MINT_DJWT: life_djwt(jf, m, out); break;
  case RL_MINT_NONE: break;
  }
}
