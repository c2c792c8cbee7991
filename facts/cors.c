/* CORS options as the cors packages read them (facts/cors.h). */
#include "cors.h"

#include <string.h>

#include "analysis.h"
#include "arena.h"

static int type_is(TSNode n, const char *t) { return !ts_node_is_null(n) && !strcmp(ts_node_type(n), t); }

static TSNode field(TSNode n, const char *name) { return rl_js_field(n, name); }

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
                                     "hono cors() with no origin", "@fastify/cors with no origin"};
  static const char *const noorigin[] = {"cors() without an origin option",
                                         "@koa/cors with no origin (it echoes any Origin)",
                                         "hono cors() with no origin", "@fastify/cors with no origin"};
  if (ts_node_is_null(opts)) return had_arg ? NULL : none[l];
  TSNode origin = rl_js_unwrap(rl_js_object_get(jf, opts, "origin"));
  if (ts_node_is_null(origin)) {
    /* a spread may carry the origin */
    for (uint32_t i = 0; i < ts_node_named_child_count(opts); i++)
      if (type_is(ts_node_named_child(opts, i), "spread_element")) return NULL;
    return noorigin[l];
  }
  if (rl_cors_is_star(jf, origin)) return "origin '*'";
  if (type_is(origin, "true")) {
    if (l == RL_CORS_FASTIFY) return "origin: true (reflects any Origin)";
    TSNode cred = rl_js_unwrap(rl_js_object_get(jf, opts, "credentials"));
    if (type_is(cred, "true")) return "origin: true with credentials: true";
    return NULL;
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
