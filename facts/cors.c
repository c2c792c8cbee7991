/* CORS options as the cors packages read them (facts/cors.h). */
#include "cors.h"

#include <string.h>

#include "analysis.h"
#include "arena.h"
#include "routes.h"
#include "util.h"

static int type_is(TSNode n, const char *t) { return !ts_node_is_null(n) && !strcmp(ts_node_type(n), t); }

static TSNode field(TSNode n, const char *name) { return rl_js_field(n, name); }

static int request_origin(rl_jsfile *jf, TSNode v, int depth);

int rl_cors_is_star(rl_jsfile *jf, TSNode v) {
  const char *s;
  size_t l;
  return rl_js_eval_string(jf, v, &s, &l) && rl_word_is(s, l, "*");
}

typedef struct accept_scan {
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
static int callback_accepts_all(TSNode fn) {
  TSNode body = rl_js_unwrap(field(fn, "body"));
  if (ts_node_is_null(body)) return 0;
  if (type_is(body, "true")) return 1;
  accept_scan a = {0, 0};
  rl_js_walk(body, accept_visit, &a);
  return a.yes && !a.cond;
}

/* ---- origin patterns ----------------------------------------------------
 * A regular expression as the origin, alone or in an array: the cors
 * packages test it against the request's Origin, so one that matches more
 * than the app's own hosts lets other sites in. Judged on the pattern's
 * text; anything not clearly too wide is fine. */

/* Hosts where anyone can put a site up in minutes: a wildcard in front of
 * one of them is every site there, not the app's own. */
static const char *const shared_hosts[] = {
    "vercel.app",     "netlify.app",     "herokuapp.com", "onrender.com",      "github.io",      "pages.dev",
    "web.app",        "firebaseapp.com", "ngrok.io",      "ngrok-free.app",    "ngrok.app",      "glitch.me",
    "repl.co",        "replit.dev",      "workers.dev",   "azurewebsites.net", "amplifyapp.com", "fly.dev",
    "up.railway.app", "railway.app",     "surge.sh",      "trycloudflare.com", "loca.lt",        NULL};

static int starts(const char *s, size_t n, const char *pre) {
  size_t k = strlen(pre);
  return n >= k && !memcmp(s, pre, k);
}

/* One atom that stands for any character of a host: ".", "\S", "\w", or a
 * character class; *len its length. */
static int wild_atom(const char *s, size_t n, size_t *len) {
  if (n >= 1 && s[0] == '.') return *len = 1, 1;
  if (n >= 2 && s[0] == '\\' && (s[1] == 'S' || s[1] == 'w')) return *len = 2, 1;
  if (n >= 2 && s[0] == '[') {
    for (size_t i = 1; i < n; i++) {
      if (s[i] == '\\') {
        i++;
        continue;
      }
      if (s[i] == ']') return *len = i + 1, 1;
    }
  }
  return 0;
}

/* s[0..n) is a wildcard of any length: ATOM* or ATOM+ (lazy too), or a
 * group of such, itself repeated or optional: ".*", "[a-z0-9-]+", "(.*)",
 * "([\w-]+\.)*". */
static int lone_wildcard(const char *s, size_t n) {
  if (n >= 2 && s[0] == '(' &&
      (s[n - 1] == ')' || ((s[n - 1] == '*' || s[n - 1] == '+' || s[n - 1] == '?') && n >= 3 && s[n - 2] == ')'))) {
    size_t end = s[n - 1] == ')' ? n - 1 : n - 2, start = 1;
    if (starts(s + 1, end - 1, "?:")) start = 3;
    /* the group's own body, allowing one trailing "\." (a label and its dot) */
    if (end >= start + 2 && s[end - 2] == '\\' && s[end - 1] == '.') end -= 2;
    return end > start && lone_wildcard(s + start, end - start);
  }
  size_t a;
  if (!wild_atom(s, n, &a) || a >= n) return 0;
  if (s[a] != '*' && s[a] != '+') return 0;
  size_t q = a + 1 + (a + 1 < n && s[a + 1] == '?');
  return q == n;
}

/* The scheme in front of a host: "https?:\/\/", "http:\/\/", "https://"... */
static size_t scheme_len(const char *s, size_t n) {
  static const char *const schemes[] = {"https?:\\/\\/",    "https?://",           "https:\\/\\/",
                                        "https://",         "http:\\/\\/",         "http://",
                                        "(https?:\\/\\/)?", "(http|https):\\/\\/", NULL};
  for (size_t i = 0; schemes[i]; i++)
    if (starts(s, n, schemes[i])) return strlen(schemes[i]);
  return 0;
}

/* Whether s[0..n) ends with host written as a pattern ("vercel\.app"); a
 * bare '.' also counts (it matches a dot, and more). *at is where it starts. */
static int ends_with_host(const char *s, size_t n, const char *host, size_t *at) {
  size_t i = n, k = strlen(host);
  while (k > 0) {
    if (i == 0) return 0;
    char c = host[--k];
    if (s[i - 1] != c) return 0;
    i--;
    if (c == '.' && i > 0 && s[i - 1] == '\\') i--;
  }
  *at = i;
  return 1;
}

/* What is too wide about the origin pattern p[0..n), or NULL. */
static const char *judge_pattern(rl_arena *a, const char *p, size_t n) {
  const char *s = p;
  size_t m = n;
  int head = m && s[0] == '^';
  if (head) s++, m--;
  /* '$' at the end that is not escaped */
  size_t bs = 0;
  while (bs + 1 < m && s[m - 2 - bs] == '\\') bs++;
  int tail = m && s[m - 1] == '$' && bs % 2 == 0;
  if (tail) m--;
  size_t sl = scheme_len(s, m);
  const char *host = s + sl;
  size_t hl = m - sl;
  if (lone_wildcard(host, hl) || (!hl && sl == 0))
    return rl_arena_printf(a, "the origin pattern /%.*s/, which matches every origin,", (int)n, p);
  /* a port after the host: "(:\d+)?" and the like */
  static const char *const ports[] = {"(:\\d+)?", "(:[0-9]+)?", "(:\\d{1,5})?", "(?::\\d+)?", NULL};
  for (size_t i = 0; ports[i]; i++) {
    size_t at;
    if (ends_with_host(host, hl, ports[i], &at)) {
      hl = at;
      break;
    }
  }
  for (size_t i = 0; shared_hosts[i]; i++) {
    size_t at;
    if (!ends_with_host(host, hl, shared_hosts[i], &at)) continue;
    /* what stands before ".vercel.app": nothing (any prefix when the
     * pattern is not anchored there) or a lone wildcard; a fixed name is
     * the app's own deployment */
    size_t before = at;
    if (before >= 2 && host[before - 2] == '\\' && host[before - 1] == '.')
      before -= 2;
    else if (before >= 1 && host[before - 1] == '.')
      before -= 1;
    else if (before)
      break; /* "myvercel.app"? not this host */
    if ((before == 0 && (!head || sl == 0)) || (before && lone_wildcard(host, before)))
      return rl_arena_printf(a,
                             "the origin pattern /%.*s/, which lets in every site on %s (anyone can deploy one there),",
                             (int)n, p, shared_hosts[i]);
    break;
  }
  if (!tail)
    return rl_arena_printf(a,
                           "the origin pattern /%.*s/, not anchored with '$' (a host such as "
                           "yours.attacker.example also matches),",
                           (int)n, p);
  if (!head && hl && sl == 0 && ((host[0] >= 'a' && host[0] <= 'z') || (host[0] >= '0' && host[0] <= '9'))) {
    char shown[41]; /* the host as it reads, without the pattern's escapes */
    size_t k = 0;
    for (size_t i = 0; i < hl && k + 1 < sizeof shown; i++)
      if (host[i] != '\\') shown[k++] = host[i];
    shown[k] = '\0';
    return rl_arena_printf(a, "the origin pattern /%.*s/, not anchored with '^' (attacker-%s also matches),", (int)n, p,
                           shown);
  }
  return NULL;
}

/* The regex literal v (directly or through a const), its pattern text. */
static int regex_of(rl_jsfile *jf, TSNode v, const char **p, size_t *n) {
  v = rl_js_unwrap(v);
  if (type_is(v, "identifier")) v = rl_js_unwrap(rl_js_const_init(jf, v));
  if (!type_is(v, "regex")) return 0;
  *p = rl_js_text(jf, field(v, "pattern"), n);
  return *p != NULL;
}

/* An origin option that is, or lists, a pattern too wide: what, or NULL. */
static const char *judge_origin_patterns(rl_jsfile *jf, rl_arena *a, TSNode origin) {
  const char *p;
  size_t n;
  if (regex_of(jf, origin, &p, &n)) return judge_pattern(a, p, n);
  TSNode arr = rl_js_unwrap(origin);
  if (type_is(arr, "identifier")) arr = rl_js_unwrap(rl_js_const_init(jf, arr));
  if (!type_is(arr, "array")) return NULL;
  for (uint32_t i = 0; i < ts_node_named_child_count(arr); i++) {
    if (!regex_of(jf, ts_node_named_child(arr, i), &p, &n)) continue;
    const char *what = judge_pattern(a, p, n);
    if (what) return what;
  }
  return NULL;
}

const char *rl_cors_options_judge(rl_jsfile *jf, rl_arena *a, rl_cors_lib l, TSNode opts, int had_arg) {
  static const char *const none[] = {"cors() with no options", "@koa/cors with no origin (it echoes any Origin)",
                                     "hono cors() with no origin", "@fastify/cors with no origin",
                                     "@elysiajs/cors cors() with no options (origin defaults to true: any Origin)"};
  static const char *const noorigin[] = {"cors() without an origin option",
                                         "@koa/cors with no origin (it echoes any Origin)",
                                         "hono cors() with no origin", "@fastify/cors with no origin",
                                         "@elysiajs/cors with no origin (it defaults to true: any Origin)"};
  if (ts_node_is_null(opts)) return had_arg ? NULL : none[l];
  TSNode origin = rl_js_unwrap(rl_js_object_get(jf, opts, "origin"));
  if (ts_node_is_null(origin)) {
    /* a spread may carry the origin */
    for (uint32_t i = 0; i < ts_node_named_child_count(opts); i++)
      if (type_is(ts_node_named_child(opts, i), "spread_element")) return NULL;
    return noorigin[l];
  }
  if (rl_cors_is_star(jf, origin)) return "origin '*'";
  TSNode cred = rl_js_unwrap(rl_js_object_get(jf, opts, "credentials"));
  /* true echoes every Origin back: without credentials that is the
   * exposure of '*', with them any site also reads the user's answers */
  if (type_is(origin, "true"))
    return type_is(cred, "true") ? "origin: true with credentials: true" : "origin: true (reflects any Origin)";
  if (request_origin(jf, origin, 0)) {
    size_t n;
    const char *t = rl_js_text(jf, origin, &n);
    if (n > 40) n = 40;
    return rl_arena_printf(a, "origin taken from the request (%.*s)%s", (int)n, t,
                           type_is(cred, "true") ? " with credentials: true" : "");
  }
  if (type_is(origin, "arrow_function") || type_is(origin, "function_expression") || type_is(origin, "function")) {
    if (callback_accepts_all(origin)) return "an origin callback that accepts every origin";
  }
  return judge_origin_patterns(jf, a, origin);
}

/* ---- NestJS ---------------------------------------------------------------------- */

typedef struct nest_scan {
  rl_jsfile *jf;
  rl_arena *a;
  const char *what;
  TSNode at;
} nest_scan;

static int nest_visit(void *data, TSNode n) {
  nest_scan *ns = data;
  if (ns->what) return -1;
  if (strcmp(ts_node_type(n), "call_expression")) return 0;
  TSNode fn = rl_js_unwrap(field(n, "function"));
  if (!type_is(fn, "member_expression")) return 0;
  TSNode prop = field(fn, "property");
  if (rl_js_text_is(ns->jf, prop, "enableCors")) {
    TSNode arg = rl_js_call_arg(n, 0);
    if (ts_node_is_null(arg)) {
      ns->what = "enableCors() with no options (the cors package then allows '*')";
    } else {
      const char *w = rl_cors_options_judge(ns->jf, ns->a, RL_CORS_EXPRESS, rl_js_object_of(ns->jf, arg), 1);
      if (w) ns->what = rl_arena_printf(ns->a, "enableCors() with %s", w);
    }
  } else if (rl_js_text_is(ns->jf, prop, "create")) {
    const char *c = rl_js_resolve(ns->jf, rl_js_unwrap(field(fn, "object")));
    if (!c || strcmp(c, "@nestjs/core:NestFactory")) return 0;
    TSNode opts = rl_js_object_of(ns->jf, rl_js_call_arg(n, 1));
    TSNode cors = rl_js_unwrap(rl_js_object_get(ns->jf, opts, "cors"));
    if (type_is(cors, "true")) {
      ns->what = "NestFactory.create() with cors: true (the cors package's default: '*')";
    } else if (!ts_node_is_null(cors)) {
      const char *w = rl_cors_options_judge(ns->jf, ns->a, RL_CORS_EXPRESS, rl_js_object_of(ns->jf, cors), 1);
      if (w) ns->what = rl_arena_printf(ns->a, "NestFactory.create() with the cors option %s", w);
    }
  }
  if (ns->what) ns->at = n;
  return 0;
}

const char *rl_cors_nest_bootstrap(rl_jsfile *jf, TSNode root, rl_arena *a, uint32_t *line) {
  nest_scan ns = {jf, a, NULL, {{0}, NULL, NULL}};
  rl_js_walk(root, nest_visit, &ns);
  if (ns.what) *line = ts_node_start_point(ns.at).row + 1;
  return ns.what;
}

/* ---- headers objects ----------------------------------------------------------------- */

static int is_acao_name(rl_jsfile *jf, TSNode k) {
  const char *s;
  size_t l;
  if (!rl_js_string_value(jf, k, &s, &l)) {
    if (!type_is(k, "property_identifier")) return 0;
    s = rl_js_text(jf, k, &l);
  }
  return l == 27 && !rl_strncasecmp_ascii(s, "access-control-allow-origin", 27);
}

typedef struct star_scan {
  rl_jsfile *jf;
  int depth;
  int objects_only; /* a headers object: not the functions among its values */
  TSNode at;
} star_scan;

static int star_visit(void *data, TSNode n) {
  star_scan *ss = data;
  if (!ts_node_is_null(ss->at)) return -1;
  const char *t = ts_node_type(n);
  if (ss->objects_only && rl_js_is_function(n)) return 1;
  if (!strcmp(t, "pair")) {
    if (is_acao_name(ss->jf, field(n, "key")) && rl_cors_is_star(ss->jf, field(n, "value"))) ss->at = n;
  } else if (!strcmp(t, "call_expression")) {
    /* headers.set('Access-Control-Allow-Origin', '*') on a Headers the function builds */
    TSNode fn = rl_js_unwrap(field(n, "function"));
    TSNode prop = type_is(fn, "member_expression") ? field(fn, "property") : fn;
    if (type_is(prop, "property_identifier") &&
        (rl_js_text_is(ss->jf, prop, "set") || rl_js_text_is(ss->jf, prop, "append") ||
         rl_js_text_is(ss->jf, prop, "setHeader") || rl_js_text_is(ss->jf, prop, "header")) &&
        is_acao_name(ss->jf, rl_js_unwrap(rl_js_call_arg(n, 0))) && rl_cors_is_star(ss->jf, rl_js_call_arg(n, 1)))
      ss->at = n;
  } else if (!strcmp(t, "identifier")) {
    /* `...corsHeaders`, `headers: corsHeaders`: a const of the file, or
     * supabase-js's own */
    TSNode o = ss->depth ? (TSNode){{0}, NULL, NULL} : rl_js_unwrap(rl_js_const_init(ss->jf, n));
    if (type_is(o, "object")) {
      star_scan in = {ss->jf, 1, 1, {{0}, NULL, NULL}};
      rl_js_walk(o, star_visit, &in);
      ss->at = in.at;
    } else if (rl_cors_package_star_headers(rl_js_resolve(ss->jf, n))) {
      ss->at = n;
    }
  }
  return ts_node_is_null(ss->at) ? 0 : -1;
}

int rl_cors_star_possible(rl_jsfile *jf) {
  const rl_source *src = rl_jsfile_source(jf);
  return rl_memcasemem(src->bytes, src->len, "llow-origin") || memmem(src->bytes, src->len, "supabase-js", 11);
}

TSNode rl_cors_star_header(rl_jsfile *jf, TSNode subtree) {
  star_scan ss = {jf, 0, 0, {{0}, NULL, NULL}};
  if (ts_node_is_null(subtree)) return ss.at;
  ss.objects_only = type_is(subtree, "object");
  rl_js_walk(subtree, star_visit, &ss);
  return ss.at;
}

int rl_cors_package_star_headers(const char *canon) {
  /* "@supabase/supabase-js/cors:corsHeaders", also as Deno and CDNs write
   * the module: "npm:@supabase/supabase-js@2/cors", "jsr:...",
   * "https://esm.sh/@supabase/supabase-js@2.95.0/cors" */
  const char *name = canon ? strrchr(canon, ':') : NULL;
  if (!name || strcmp(name, ":corsHeaders")) return 0;
  size_t ml = (size_t)(name - canon);
  const char *pkg = NULL;
  for (const char *q = canon; q + 21 <= name && !pkg; q++)
    if (!memcmp(q, "@supabase/supabase-js", 21)) pkg = q + 21;
  if (!pkg) return 0;
  /* the version, then the subpath */
  if (*pkg == '@')
    while (pkg < canon + ml && *pkg != '/') pkg++;
  size_t rest = (size_t)(canon + ml - pkg);
  return (rest >= 5 && !memcmp(pkg, "/cors", 5) && (rest == 5 || pkg[5] == '?' || pkg[5] == '.'));
}

/* ---- the request's Origin ----------------------------------------------------------- */

static int text_is_origin(const char *s, size_t l) { return l == 6 && !rl_strncasecmp_ascii(s, "origin", 6); }

static int request_origin(rl_jsfile *jf, TSNode v, int depth) {
  v = rl_js_unwrap(v);
  if (ts_node_is_null(v) || depth > 4) return 0;
  if (type_is(v, "identifier")) return request_origin(jf, rl_js_local_init(jf, v), depth + 1);
  if (type_is(v, "binary_expression")) {
    /* a fallback keeps the request's value: `origin || '*'`, `origin ?? '*'`;
     * a comparison is a boolean, not the origin */
    TSNode op = ts_node_child(v, 1);
    const char *o = ts_node_type(op);
    if (strcmp(o, "||") && strcmp(o, "??")) return 0;
    return request_origin(jf, field(v, "left"), depth + 1);
  }
  if (type_is(v, "member_expression") || type_is(v, "subscript_expression")) {
    TSNode obj = rl_js_unwrap(field(v, "object"));
    const char *s;
    size_t l;
    if (type_is(v, "member_expression")) {
      s = rl_js_text(jf, field(v, "property"), &l);
    } else if (!rl_js_string_value(jf, rl_js_unwrap(field(v, "index")), &s, &l)) {
      return 0;
    }
    if (!s || !text_is_origin(s, l) || !type_is(obj, "member_expression")) return 0;
    TSNode p = field(obj, "property");
    return rl_js_text_is(jf, p, "headers") || rl_js_text_is(jf, p, "query") || rl_js_text_is(jf, p, "body");
  }
  if (type_is(v, "call_expression")) {
    TSNode fn = rl_js_unwrap(field(v, "function"));
    const char *s;
    size_t l;
    if (rl_js_text_is(jf, fn, "String")) return request_origin(jf, rl_js_call_arg(v, 0), depth + 1);
    if (!type_is(fn, "member_expression")) return 0;
    TSNode p = field(fn, "property");
    return (rl_js_text_is(jf, p, "header") || rl_js_text_is(jf, p, "get")) &&
           rl_js_string_value(jf, rl_js_unwrap(rl_js_call_arg(v, 0)), &s, &l) && text_is_origin(s, l);
  }
  return 0;
}

int rl_cors_request_origin(rl_jsfile *jf, TSNode v) { return request_origin(jf, v, 0); }

/* ---- an options delegate: cors((req, callback) => callback(null, opts)) ------------- */

typedef struct delegate_scan {
  rl_jsfile *jf;
  rl_arena *a;
  TSNode body;
  const char *cb;
  size_t cbl;
  const char *what;
} delegate_scan;

/* Whether n sits under an if, ternary, switch or && between it and the
 * delegate's body: options chosen by a test (the allow-list pattern of the
 * cors README). */
static int under_condition(TSNode n, TSNode body) {
  for (TSNode p = rl_js_parent(n); !ts_node_is_null(p) && !ts_node_eq(p, body); p = rl_js_parent(p)) {
    const char *t = ts_node_type(p);
    if (!strcmp(t, "if_statement") || !strcmp(t, "ternary_expression") || !strcmp(t, "switch_statement") ||
        !strcmp(t, "binary_expression"))
      return 1;
  }
  return 0;
}

static int delegate_visit(void *data, TSNode n) {
  delegate_scan *d = data;
  if (d->what) return -1;
  if (!type_is(n, "call_expression")) return 0;
  if (!rl_js_text_eq(d->jf, rl_js_unwrap(field(n, "function")), d->cb, d->cbl)) return 0;
  TSNode opts = rl_js_object_of(d->jf, rl_js_call_arg(n, 1));
  if (ts_node_is_null(opts) || under_condition(n, d->body)) return 0;
  d->what = rl_cors_options_judge(d->jf, d->a, RL_CORS_EXPRESS, opts, 1);
  return 0;
}

const char *rl_cors_delegate_judge(rl_jsfile *jf, rl_arena *a, TSNode fn) {
  fn = rl_js_unwrap(fn);
  if (type_is(fn, "identifier")) fn = rl_js_unwrap(rl_js_const_init(jf, fn));
  if (!rl_js_is_function(fn) || type_is(fn, "method_definition")) return NULL;
  if (rl_js_param_count(fn) < 2) return NULL;
  TSNode p1 = rl_js_param(fn, 1);
  if (type_is(p1, "required_parameter") || type_is(p1, "optional_parameter")) p1 = field(p1, "pattern");
  if (!type_is(p1, "identifier")) return NULL;
  delegate_scan d = {jf, a, field(fn, "body"), NULL, 0, NULL};
  d.cb = rl_js_text(jf, p1, &d.cbl);
  if (!d.cb || ts_node_is_null(d.body)) return NULL;
  rl_js_walk(d.body, delegate_visit, &d);
  return d.what ? rl_arena_printf(a, "an options delegate that answers %s", d.what) : NULL;
}

/* ---- which routes a policy covers ------------------------------------------------
 * Express routing: app.use(path, mw) runs mw for every request path at or
 * below path (segment by segment; no path: every request), app.get/post/
 * options/all(path, mw, h) for that path only; a router mounted with
 * app.use('/api', router) puts its paths below '/api'. A policy is found
 * where it is registered: the call it is an argument of (directly, in an
 * array, or through a wrapper call), the function it sits in when that
 * function is registered, or every place a named middleware or helper is
 * registered or called. Anything else (exported, at top level, a path that
 * is not a string) covers every route. */

#define SCOPE_MAX 16
#define SCOPE_DEPTH 4

typedef struct scope_item {
  TSNode recv;   /* app or router the path is relative to; null: the app */
  const char *p; /* the path; NULL: every path of recv */
  size_t pl;
  int exact;      /* get/post/options/all: the path only; use: at or below */
  TSNode handler; /* NestJS @Header: the method it decorates; a method it is in */
  int loose;      /* a method it is in: that method's routes, or every route
                     when the method is no route's handler (a helper) */
} scope_item;

typedef struct scope {
  rl_jsfile *jf;
  TSNode root;
  scope_item it[SCOPE_MAX];
  int n;
  int all;    /* not known where it is registered: every route */
  int calls;  /* scope_of calls so far: a bound on the work for one policy */
  int *walks; /* whole-file walks left for the file (rl_cors_file) */
} scope;

static const char *const reg_methods[] = {"use",    "all", "get",     "post", "put", "patch",
                                          "delete", "del", "options", "head", NULL};

static int is_reg_call(rl_jsfile *jf, TSNode call, int *is_use) {
  TSNode fn = rl_js_unwrap(field(call, "function"));
  if (!type_is(fn, "member_expression")) return 0;
  TSNode prop = field(fn, "property");
  for (size_t i = 0; reg_methods[i]; i++)
    if (rl_js_text_is(jf, prop, reg_methods[i])) {
      *is_use = i == 0;
      return 1;
    }
  return 0;
}

static void scope_add(scope *sc, scope_item it) {
  if (sc->n == SCOPE_MAX) {
    sc->all = 1;
    return;
  }
  sc->it[sc->n++] = it;
}

/* A cors(...) call (of whichever package) whose options are an object
 * literal without credentials: true, or no options at all. */
static int preflight_without_credentials(rl_jsfile *jf, TSNode policy) {
  TSNode call = rl_js_unwrap(policy);
  if (!type_is(call, "call_expression")) return 0;
  TSNode args = field(call, "arguments");
  if (ts_node_named_child_count(args) == 0) return 1;
  TSNode opts = rl_js_object_of(jf, rl_js_call_arg(call, 0));
  if (ts_node_is_null(opts)) return 0;
  TSNode cred = rl_js_object_get(jf, opts, "credentials");
  return ts_node_is_null(cred) || type_is(rl_js_unwrap(cred), "false");
}

/* The path argument of registration call (its first argument, when that is
 * not where the policy is): each string path as an item; a path that is not
 * a string starting with '/' or '*' matches no request ('null'); a regex or
 * an unknown value: every path. */
static void scope_registration(scope *sc, TSNode call, TSNode argpos) {
  int is_use = 0;
  is_reg_call(sc->jf, call, &is_use);
  TSNode fn = rl_js_unwrap(field(call, "function"));
  /* app.options('*', cors()): it answers preflights only. A preflight hands
   * out nothing, and whether a page may read the POST's answer is the POST's
   * own headers' say; without credentials no cookie travels either. Only a
   * preflight policy that lets credentials through (or one not read here:
   * a delegate, a handler) opens the route, to requests sent with the
   * visitor's cookies. */
  if (rl_js_text_is(sc->jf, field(fn, "property"), "options") && preflight_without_credentials(sc->jf, argpos)) return;
  scope_item it = {rl_js_unwrap(field(fn, "object")), NULL, 0, !is_use, {{0}, NULL, NULL}, 0};
  /* app.route('/p').get(cors(), h) */
  if (type_is(it.recv, "call_expression")) {
    TSNode rf = rl_js_unwrap(field(it.recv, "function"));
    const char *s;
    size_t l;
    if (type_is(rf, "member_expression") && rl_js_text_is(sc->jf, field(rf, "property"), "route") &&
        rl_js_eval_string(sc->jf, rl_js_call_arg(it.recv, 0), &s, &l)) {
      it.recv = rl_js_unwrap(field(rf, "object"));
      it.p = s, it.pl = l, it.exact = 1;
      if (l && (s[0] == '/' || s[0] == '*')) scope_add(sc, it);
      return;
    }
    sc->all = 1;
    return;
  }
  TSNode a0 = rl_js_call_arg(call, 0);
  if (ts_node_is_null(a0) || ts_node_eq(a0, argpos)) {
    scope_add(sc, it);
    return;
  }
  TSNode u = rl_js_unwrap(a0);
  if (type_is(u, "identifier")) u = rl_js_unwrap(rl_js_const_init(sc->jf, u));
  const char *s;
  size_t l;
  if (type_is(u, "array")) {
    for (uint32_t i = 0; i < ts_node_named_child_count(u); i++) {
      if (!rl_js_eval_string(sc->jf, ts_node_named_child(u, i), &s, &l)) {
        sc->all = 1;
        return;
      }
      it.p = s, it.pl = l;
      if (l && (s[0] == '/' || s[0] == '*')) scope_add(sc, it);
    }
    return;
  }
  if (rl_js_eval_string(sc->jf, a0, &s, &l)) {
    it.p = s, it.pl = l;
    if (l && (s[0] == '/' || s[0] == '*')) scope_add(sc, it);
    return;
  }
  if (type_is(u, "regex") || type_is(u, "member_expression") || type_is(u, "template_string") ||
      type_is(u, "binary_expression")) {
    sc->all = 1;
    return;
  }
  /* another middleware first (helmet(), json): no path */
  scope_add(sc, it);
}

static void scope_of(scope *sc, TSNode v, int depth);

typedef struct ref_scan {
  scope *sc;
  TSNode decl; /* the name where it is declared */
  const char *name;
  size_t len;
  int depth, refs;
} ref_scan;

static int ref_visit(void *data, TSNode n) {
  ref_scan *r = data;
  if (r->sc->all) return -1;
  if (!type_is(n, "identifier") || ts_node_eq(n, r->decl) || !rl_js_text_eq(r->sc->jf, n, r->name, r->len)) return 0;
  TSNode p = rl_js_parent(n);
  if (type_is(p, "variable_declarator") && ts_node_eq(field(p, "name"), n)) return 0;
  r->refs++;
  if (type_is(p, "call_expression") && ts_node_eq(field(p, "function"), n))
    scope_of(r->sc, p, r->depth + 1); /* a helper called from a handler */
  else
    scope_of(r->sc, n, r->depth + 1); /* passed to a registration, or elsewhere */
  return 0;
}

/* Every place the function or value bound to name is used. */
static void scope_refs(scope *sc, TSNode decl, int depth) {
  ref_scan r = {sc, decl, NULL, 0, depth, 0};
  r.name = rl_js_text(sc->jf, decl, &r.len);
  if (!r.name || !r.len || --*sc->walks < 0) {
    sc->all = 1;
    return;
  }
  rl_js_walk(sc->root, ref_visit, &r);
  if (!r.refs) sc->all = 1;
}

/* At most this many places looked at per policy: beyond, every route. */
#define SCOPE_CALLS 24

static void scope_of(scope *sc, TSNode v, int depth) {
  if (depth > SCOPE_DEPTH || ++sc->calls > SCOPE_CALLS) {
    sc->all = 1;
    return;
  }
  for (TSNode cur = v; !sc->all;) {
    TSNode p = rl_js_parent(cur);
    while (type_is(p, "parenthesized_expression") || type_is(p, "await_expression")) p = rl_js_parent(p);
    TSNode argpos = cur;
    if (type_is(p, "array") && type_is(rl_js_parent(p), "arguments")) argpos = p, p = rl_js_parent(p);
    if (type_is(p, "arguments")) {
      TSNode call = rl_js_parent(p);
      int is_use;
      if (type_is(call, "call_expression") && is_reg_call(sc->jf, call, &is_use)) {
        scope_registration(sc, call, argpos);
        return;
      }
      /* a wrapper (asyncHandler(fn), compose(cors())): what it returns is registered */
      if (type_is(call, "call_expression") || type_is(call, "new_expression")) {
        cur = call;
        continue;
      }
    }
    if (type_is(p, "decorator")) {
      /* NestJS @Header(...): the method it decorates (a child in JS, the
       * next member in TypeScript's class body) */
      TSNode m = rl_js_parent(p);
      if (type_is(m, "class_body")) {
        m = ts_node_next_named_sibling(p);
        while (type_is(m, "decorator")) m = ts_node_next_named_sibling(m);
      }
      if (!type_is(m, "method_definition")) {
        sc->all = 1;
        return;
      }
      scope_item it = {{{0}, NULL, NULL}, NULL, 0, 1, m, 0};
      scope_add(sc, it);
      return;
    }
    if (type_is(p, "variable_declarator") && ts_node_eq(field(p, "value"), cur) &&
        type_is(field(p, "name"), "identifier")) {
      scope_refs(sc, field(p, "name"), depth);
      return;
    }
    if (type_is(cur, "function_declaration") && type_is(field(cur, "name"), "identifier")) {
      scope_refs(sc, field(cur, "name"), depth);
      return;
    }
    if (type_is(cur, "method_definition")) {
      scope_item it = {{{0}, NULL, NULL}, NULL, 0, 1, cur, 1};
      scope_add(sc, it);
      return;
    }
    TSNode f = rl_js_enclosing_function(cur);
    if (ts_node_is_null(f)) {
      sc->all = 1;
      return;
    }
    cur = f;
  }
}

/* ---- path matching --------------------------------------------------------------- */

/* The next segment of s[*i..n): skips '/', *seg and *sl; 0 at the end. */
static int next_seg(const char *s, size_t n, size_t *i, const char **seg, size_t *sl) {
  while (*i < n && s[*i] == '/') (*i)++;
  if (*i >= n) return 0;
  size_t b = *i;
  while (*i < n && s[*i] != '/') (*i)++;
  *seg = s + b, *sl = *i - b;
  return 1;
}

/* A segment that stands for any text from there on: "*", "(.*)", "{*splat}". */
static int wild_seg(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] == '*' || s[i] == '(' || s[i] == '{') return 1;
  return 0;
}

/* Does the policy path pp (prefix: at or below it; exact: it only) take in
 * request path rp? Parameters (':id') take any one segment, wildcards the
 * rest; case does not matter (Express's default). */
static int path_covers(const char *pp, size_t pn, int exact, const char *rp, size_t rn) {
  size_t i = 0, j = 0;
  for (;;) {
    const char *a = NULL, *b = NULL;
    size_t al = 0, bl = 0;
    int ha = next_seg(pp, pn, &i, &a, &al), hb = next_seg(rp, rn, &j, &b, &bl);
    if (!ha) return !exact || !hb;
    if (wild_seg(a, al)) return 1;
    if (!hb) return 0;
    if (wild_seg(b, bl)) return 1;
    if (a[0] == ':' || b[0] == ':') continue;
    if (al != bl || rl_strncasecmp_ascii(a, b, al)) return 0;
  }
}

/* Where each app or router is mounted: every `X.use('/p', ..., name)` of
 * the file, read in one walk; the first mount of a name counts. */
#define MOUNT_MAX 32

typedef struct mount {
  const char *name, *path;
  size_t len, pl;
  TSNode parent; /* X */
} mount;

typedef struct rl_cors_mounts {
  rl_jsfile *jf;
  mount m[MOUNT_MAX];
  int n;
} mount_table;

/* The file's mounts (rl_mounts): each identifier a use() hands on, after
 * its first argument. */
static void mounts_read(mount_table *mt, TSNode root) {
  size_t nm;
  const rl_mount *ms = rl_mounts(mt->jf, root, &nm);
  for (size_t k = 0; k < nm && mt->n < MOUNT_MAX; k++) {
    const rl_mount *u = &ms[k];
    if (u->is_register) continue;
    TSNode args = field(u->call, "arguments");
    for (uint32_t i = 1; i < u->nargs && mt->n < MOUNT_MAX; i++) {
      TSNode v = rl_js_unwrap(ts_node_named_child(args, i));
      if (!type_is(v, "identifier")) continue;
      mount *m = &mt->m[mt->n++];
      m->name = rl_js_text(mt->jf, v, &m->len);
      m->path = u->path ? u->path : "", m->pl = u->path ? u->path_len : 0;
      m->parent = u->recv;
    }
  }
}

/* The path recv is mounted at, below its parent's own mount; "" when the
 * file does not mount it. */
static const char *mount_prefix(const mount_table *mt, rl_arena *a, TSNode recv, int depth) {
  recv = rl_js_unwrap(recv);
  if (ts_node_is_null(recv) || depth > SCOPE_DEPTH || !type_is(recv, "identifier")) return "";
  for (int i = 0; i < mt->n; i++) {
    if (!mt->m[i].name || !rl_js_text_eq(mt->jf, recv, mt->m[i].name, mt->m[i].len)) continue;
    const char *up = mount_prefix(mt, a, mt->m[i].parent, depth + 1);
    return rl_arena_printf(a, "%s%.*s", up, (int)mt->m[i].pl, mt->m[i].path);
  }
  return "";
}

int rl_cors_covers(rl_jsfile *jf, TSNode root, rl_arena *a, TSNode at, const rl_cors_target *targets, size_t n,
                   rl_cors_file *f) {
  scope sc;
  sc.jf = jf, sc.root = root, sc.n = 0, sc.all = 0, sc.calls = 0, sc.walks = &f->walks;
  scope_of(&sc, at, 0);
  /* a method that handles none of the routes is a helper: every route */
  for (int i = 0; i < sc.n && !sc.all; i++) {
    if (!sc.it[i].loose) continue;
    size_t t = 0;
    while (t < n && (ts_node_is_null(targets[t].handler) || !ts_node_eq(targets[t].handler, sc.it[i].handler))) t++;
    if (t == n) sc.all = 1;
  }
  for (size_t t = 0; t < n; t++) {
    if (sc.all) return (int)t;
    const char *rp = NULL;
    for (int i = 0; i < sc.n; i++) {
      const scope_item *it = &sc.it[i];
      if (!ts_node_is_null(it->handler)) {
        if (!ts_node_is_null(targets[t].handler) && ts_node_eq(it->handler, targets[t].handler)) return (int)t;
        continue;
      }
      if (!strcmp(targets[t].path, "*")) return (int)t;
      /* the file's mounts, read when a path is first compared */
      if (!f->mounts) {
        f->mounts = rl_arena_alloc(a, sizeof *f->mounts);
        f->mounts->jf = jf, f->mounts->n = 0;
        if (--f->walks >= 0) mounts_read(f->mounts, root);
      }
      const mount_table *mt = f->mounts;
      if (!rp) rp = rl_arena_printf(a, "%s%s", mount_prefix(mt, a, targets[t].recv, 0), targets[t].path);
      const char *pp =
          rl_arena_printf(a, "%s%.*s", mount_prefix(mt, a, it->recv, 0), it->p ? (int)it->pl : 1, it->p ? it->p : "/");
      if (path_covers(pp, strlen(pp), it->p ? it->exact : 0, rp, strlen(rp))) return (int)t;
    }
  }
  return -1;
}
