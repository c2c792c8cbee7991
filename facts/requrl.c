#include "requrl.h"

#include <string.h>

#include "util.h"

#define MAX_HOPS 4
#define MAX_ITEMS 64
#define MAX_SHOWN 100

static int type_is(TSNode n, const char *t) { return !ts_node_is_null(n) && strcmp(ts_node_type(n), t) == 0; }

static TSNode field(TSNode n, const char *name) { return rl_js_field(n, name); }

static TSNode null_node(void) {
  TSNode n;
  memset(&n, 0, sizeof n);
  return n;
}

static int text_is(rl_jsfile *jf, TSNode n, const char *s) { return !ts_node_is_null(n) && rl_js_text_is(jf, n, s); }

TSNode rl_value_source(rl_jsfile *jf, TSNode expr) {
  TSNode n = rl_js_unwrap(expr);
  if (type_is(n, "identifier")) return rl_js_const_init(jf, n);
  if (!type_is(n, "member_expression")) return null_node();
  TSNode obj = rl_js_unwrap(field(n, "object"));
  if (type_is(obj, "this")) return rl_js_this_member(jf, n);
  if (!type_is(obj, "identifier")) return null_node();
  TSNode o = rl_js_object_of(jf, obj);
  if (ts_node_is_null(o)) return null_node();
  size_t pl;
  const char *p = rl_js_text(jf, field(n, "property"), &pl);
  char key[64];
  if (pl == 0 || pl >= sizeof key) return null_node();
  memcpy(key, p, pl);
  key[pl] = '\0';
  return rl_js_object_get(jf, o, key);
}

typedef struct item {
  TSNode n;
  int hops;
} item;

int rl_url_text(rl_jsfile *jf, TSNode expr, const char **out, size_t *len) {
  /* An explicit stack, not recursion: templates nest in templates. */
  item stack[MAX_ITEMS];
  size_t top = 0, budget = 4 * MAX_ITEMS;
  rl_buf b = {0};
  stack[top++] = (item){expr, 0};
  while (top > 0 && budget-- > 0) {
    item it = stack[--top];
    TSNode n = rl_js_unwrap(it.n);
    const char *s;
    size_t sl;
    if (type_is(n, "string")) {
      if (rl_js_string_value(jf, n, &s, &sl))
        rl_buf_put(&b, s, sl);
      else
        rl_buf_putc(&b, RL_URL_SUB);
    } else if (type_is(n, "template_string")) {
      uint32_t nc = ts_node_child_count(n);
      /* push in reverse so the first part is handled first */
      for (uint32_t i = nc; i-- > 0;) {
        TSNode c = ts_node_child(n, i);
        if (!ts_node_is_named(c)) continue;
        if (top == MAX_ITEMS) break;
        stack[top++] = (item){c, it.hops};
      }
    } else if (type_is(n, "string_fragment") || type_is(n, "escape_sequence")) {
      s = rl_js_text(jf, n, &sl);
      rl_buf_put(&b, s, sl);
    } else if (type_is(n, "template_substitution")) {
      if (top < MAX_ITEMS && ts_node_named_child_count(n) > 0)
        stack[top++] = (item){ts_node_named_child(n, 0), it.hops};
      else
        rl_buf_putc(&b, RL_URL_SUB);
    } else if (type_is(n, "binary_expression") && text_is(jf, field(n, "operator"), "+")) {
      if (top + 2 > MAX_ITEMS) {
        rl_buf_putc(&b, RL_URL_SUB);
        continue;
      }
      stack[top++] = (item){field(n, "right"), it.hops};
      stack[top++] = (item){field(n, "left"), it.hops};
    } else if (type_is(n, "binary_expression") &&
               (text_is(jf, field(n, "operator"), "??") || text_is(jf, field(n, "operator"), "||"))) {
      /* `${process.env.DAILY_REST_DOMAIN ?? 'https://api.daily.co/v1'}`: the
       * literal side is the URL the code is written for (an env read on the
       * left only overrides it) */
      TSNode l = rl_js_unwrap(field(n, "left"));
      TSNode side = type_is(l, "string") || type_is(l, "template_string") ? l : rl_js_unwrap(field(n, "right"));
      /* `process.env.BASE || ''` says nothing of where the request goes */
      int empty = type_is(side, "string") && rl_js_string_value(jf, side, &s, &sl) && sl == 0;
      if (top == MAX_ITEMS || empty || ts_node_is_null(side))
        rl_buf_putc(&b, RL_URL_SUB);
      else
        stack[top++] = (item){side, it.hops};
    } else if (it.hops < MAX_HOPS && (type_is(n, "identifier") || type_is(n, "member_expression"))) {
      TSNode src = rl_value_source(jf, n);
      if (ts_node_is_null(src) || top == MAX_ITEMS)
        rl_buf_putc(&b, RL_URL_SUB);
      else
        stack[top++] = (item){src, it.hops + 1};
    } else {
      rl_buf_putc(&b, RL_URL_SUB);
    }
  }
  if (top > 0) rl_buf_putc(&b, RL_URL_SUB);
  *out = rl_arena_strndup(rl_jsfile_arena(jf), b.ptr ? b.ptr : "", b.len);
  *len = b.len;
  rl_buf_free(&b);
  return 1;
}

const char *rl_url_shown(rl_arena *a, const char *url, size_t len) {
  rl_buf b = {0};
  for (size_t i = 0; i < len && b.len < MAX_SHOWN; i++) {
    if (url[i] == '?' || url[i] == '#') break;
    if (url[i] == RL_URL_SUB)
      rl_buf_puts(&b, "${…}");
    else
      rl_buf_putc(&b, url[i]);
  }
  if (b.len >= MAX_SHOWN) rl_buf_puts(&b, "…");
  const char *s = rl_arena_strndup(a, b.ptr ? b.ptr : "", b.len);
  rl_buf_free(&b);
  return s;
}

/* Methods whose first argument is a string but that make no request. */
static const char *const not_requests[] = {"startsWith",
                                           "endsWith",
                                           "includes",
                                           "indexOf",
                                           "lastIndexOf",
                                           "replace",
                                           "replaceAll",
                                           "match",
                                           "matchAll",
                                           "split",
                                           "concat",
                                           "search",
                                           "localeCompare",
                                           "test",
                                           "exec",
                                           "push",
                                           "unshift",
                                           "log",
                                           "debug",
                                           "info",
                                           "warn",
                                           "error",
                                           "trace",
                                           "t",
                                           "translate",
                                           "alert",
                                           "confirm",
                                           "prompt",
                                           "openURL",
                                           "canOpenURL",
                                           "open",
                                           "assign",
                                           "setItem",
                                           "getItem",
                                           "removeItem",
                                           "parse",
                                           "stringify",
                                           "decodeURIComponent",
                                           "encodeURIComponent",
                                           "encodeURI",
                                           "decodeURI",
                                           "require",
                                           "import",
                                           "describe",
                                           "it",
                                           "expect",
                                           "Error",
                                           "navigate",
                                           "redirect",
                                           "pushState",
                                           "replaceState",
                                           "set",
                                           NULL};

static const char *const verb_methods[] = {"get", "post", "put", "patch", "delete", "head", "options", NULL};

static const char *upper_method(rl_arena *a, const char *m, size_t n) {
  char buf[16];
  if (n == 0 || n >= sizeof buf) return NULL;
  for (size_t i = 0; i < n; i++) buf[i] = (m[i] >= 'a' && m[i] <= 'z') ? (char)(m[i] - 32) : m[i];
  return rl_arena_strndup(a, buf, n);
}

/* If obj is an `axios.create({ baseURL })` result (const or this.x), the
 * baseURL's text. */
static int axios_base(rl_jsfile *jf, TSNode obj, const char **out, size_t *len) {
  TSNode src = rl_js_unwrap(rl_value_source(jf, obj));
  if (!type_is(src, "call_expression")) return 0;
  const char *c = rl_js_callee(jf, src);
  if (!c || strcmp(c, "axios:create") != 0) return 0;
  TSNode cfg = rl_js_object_of(jf, rl_js_call_arg(src, 0));
  TSNode base = ts_node_is_null(cfg) ? null_node() : rl_js_object_get(jf, cfg, "baseURL");
  if (ts_node_is_null(base)) {
    *out = "";
    *len = 0;
    return 1;
  }
  return rl_url_text(jf, base, out, len);
}

/* Node's own clients: http.request / https.request / .get, taking a URL or
 * an options object { protocol, hostname | host, port, path, method }, one
 * line per module (node: prefixed or not; `default.` of an ESM default
 * import is the same object). scheme: what a request without `protocol`
 * speaks. */
static const struct {
  const char *module;
  const char *scheme;
} node_clients[] = {
    {"https", "https:"},
    {"http", "http:"},
};

/* 1 and *scheme if canon is http(s).request or http(s).get of node_clients;
 * *is_get when it is .get (no method: always GET). */
static int node_client(const char *canon, const char **scheme, int *is_get) {
  if (!canon) return 0;
  if (!strncmp(canon, "node:", 5)) canon += 5;
  for (size_t i = 0; i < sizeof node_clients / sizeof node_clients[0]; i++) {
    size_t ml = strlen(node_clients[i].module);
    if (strncmp(canon, node_clients[i].module, ml) || canon[ml] != ':') continue;
    const char *rest = canon + ml + 1;
    if (!strncmp(rest, "default.", 8)) rest += 8;
    if (strcmp(rest, "request") && strcmp(rest, "get")) return 0;
    *scheme = node_clients[i].scheme;
    *is_get = !strcmp(rest, "get");
    return 1;
  }
  return 0;
}

/* What a Node request sends: `https.request(o, cb).end(body)`, or the first
 * `req.write(body)` / `req.end(body)` on the name the request is bound to. */
static TSNode node_body(rl_jsfile *jf, TSNode call) {
  static const char *const sends[] = {"write", "end", NULL};
  return rl_js_result_method_arg(jf, call, sends);
}

/* https.request({ hostname: 'api.opentok.com', path: '/v2/project/k/render',
 * method: 'POST' }, cb): the URL the options name, scheme + host + path (the
 * port is left out: a host is matched by its name). 0 when the options name
 * no host. */
static int node_options(rl_jsfile *jf, TSNode cfg, const char *scheme, rl_request *r) {
  TSNode host = rl_js_object_get(jf, cfg, "hostname");
  if (ts_node_is_null(host)) host = rl_js_object_get(jf, cfg, "host");
  if (ts_node_is_null(host)) return 0;
  rl_arena *a = rl_jsfile_arena(jf);
  const char *proto = scheme, *h, *p = "/";
  size_t protol = strlen(scheme), hl, pl = 1;
  TSNode pn = rl_js_object_get(jf, cfg, "protocol");
  if (!ts_node_is_null(pn) && !rl_js_eval_string(jf, pn, &proto, &protol)) {
    proto = "\x1a";
    protol = 1;
  }
  rl_url_text(jf, host, &h, &hl);
  TSNode path = rl_js_object_get(jf, cfg, "path");
  if (!ts_node_is_null(path)) rl_url_text(jf, path, &p, &pl);
  r->url = rl_arena_printf(a, "%.*s//%.*s%.*s", (int)protol, proto, (int)hl, h, (int)pl, p);
  r->url_len = protol + 2 + hl + pl;
  r->url_expr = host;
  r->init = cfg;
  return 1;
}

static int absolute(const char *u, size_t n) {
  return (n >= 7 && rl_strncasecmp_ascii(u, "http://", 7) == 0) ||
         (n >= 8 && rl_strncasecmp_ascii(u, "https://", 8) == 0);
}

int rl_request_parse(rl_jsfile *jf, TSNode call, rl_request *r) {
  memset(r, 0, sizeof *r);
  r->call = call;
  TSNode fn = rl_js_unwrap(field(call, "function"));
  TSNode a0 = rl_js_unwrap(rl_js_call_arg(call, 0));
  if (ts_node_is_null(fn) || ts_node_is_null(a0)) return 0;
  const char *canon = rl_js_callee(jf, call);
  const char *last = NULL;
  size_t last_len = 0;
  if (canon) {
    const char *colon = strchr(canon, ':');
    const char *path = colon ? colon + 1 : canon;
    const char *dot = strrchr(path, '.');
    last = dot ? dot + 1 : path;
    last_len = strlen(last);
    if (strncmp(canon, "console.", 8) == 0 || rl_str_in_list(last, last_len, not_requests)) return 0;
  }
  rl_arena *a = rl_jsfile_arena(jf);
  const char *base = NULL;
  size_t base_len = 0;
  if (type_is(fn, "member_expression")) {
    TSNode obj = field(fn, "object");
    if (axios_base(jf, obj, &base, &base_len)) r->axios_instance = 1;
  } else if (type_is(fn, "identifier") || type_is(fn, "this")) {
    if (axios_base(jf, fn, &base, &base_len)) r->axios_instance = 1;
  }
  int is_axios = r->axios_instance || (canon && strncmp(canon, "axios:", 6) == 0);
  const char *scheme = NULL;
  int node_get = 0;
  int node = node_client(canon, &scheme, &node_get);
  TSNode cfg = rl_js_object_of(jf, a0);
  if (node && !ts_node_is_null(cfg) && ts_node_is_null(rl_js_object_get(jf, cfg, "url"))) {
    if (!node_options(jf, cfg, scheme, r)) return 0;
  } else if (!ts_node_is_null(cfg)) {
    /* axios({ url, method, data }), axios.request(config) */
    r->url_expr = rl_js_object_get(jf, cfg, "url");
    if (ts_node_is_null(r->url_expr)) return 0;
    r->init = cfg;
    r->data = rl_js_object_get(jf, cfg, "data");
    TSNode cb = rl_js_object_get(jf, cfg, "baseURL");
    if (!ts_node_is_null(cb)) rl_url_text(jf, cb, &base, &base_len);
  } else {
    r->url_expr = a0;
    TSNode a1 = rl_js_call_arg(call, 1);
    int with_data = is_axios && last &&
                    (strcmp(last, "post") == 0 || strcmp(last, "put") == 0 || strcmp(last, "patch") == 0);
    if (with_data) {
      r->data = a1;
      r->init = rl_js_object_of(jf, rl_js_call_arg(call, 2));
    } else {
      r->init = rl_js_object_of(jf, a1);
    }
  }
  const char *u = r->url;
  size_t ul = r->url_len;
  if (!u) rl_url_text(jf, r->url_expr, &u, &ul);
  if (base && base_len && !absolute(u, ul)) {
    char *j = rl_arena_printf(a, "%.*s%.*s", (int)base_len, base, (int)ul, u);
    u = j;
    ul = base_len + ul;
  }
  r->url = u;
  r->url_len = ul;
  if (last && rl_str_in_list(last, last_len, verb_methods) && (is_axios || type_is(fn, "member_expression")))
    r->method = upper_method(a, last, last_len);
  if (!ts_node_is_null(r->init)) {
    TSNode m = rl_js_object_get(jf, r->init, "method");
    const char *ms;
    size_t ml;
    if (!ts_node_is_null(m) && rl_js_eval_string(jf, m, &ms, &ml)) r->method = upper_method(a, ms, ml);
  }
  if (!r->method && canon && (strcmp(canon, "fetch") == 0 || strcmp(canon, "window.fetch") == 0)) r->method = "GET";
  if (node) {
    /* .get() always GETs; request() whose options name no method too */
    int says = !ts_node_is_null(r->init) && !ts_node_is_null(rl_js_object_get(jf, r->init, "method"));
    if (node_get || !says) r->method = "GET";
    r->data = node_body(jf, call);
  }
  return 1;
}

TSNode rl_request_body(rl_jsfile *jf, const rl_request *r) {
  TSNode b = r->data;
  if (ts_node_is_null(b) && !ts_node_is_null(r->init)) b = rl_js_object_get(jf, r->init, "body");
  b = rl_js_unwrap(b);
  if (type_is(b, "identifier")) {
    TSNode init = rl_js_unwrap(rl_js_const_init(jf, b));
    if (type_is(init, "call_expression")) b = init;
  }
  if (type_is(b, "call_expression") && text_is(jf, rl_js_unwrap(field(b, "function")), "JSON.stringify"))
    b = rl_js_unwrap(rl_js_call_arg(b, 0));
  return b;
}

TSNode rl_request_header(rl_jsfile *jf, const rl_request *r, const char *name) {
  TSNode h = ts_node_is_null(r->init) ? null_node() : rl_js_object_of(jf, rl_js_object_get(jf, r->init, "headers"));
  size_t nl = strlen(name);
  for (uint32_t i = 0; !ts_node_is_null(h) && i < ts_node_named_child_count(h); i++) {
    TSNode p = ts_node_named_child(h, i);
    if (!type_is(p, "pair")) continue;
    const char *t;
    size_t tl;
    if (rl_js_pair_key(jf, p, &t, &tl) && tl == nl && rl_strncasecmp_ascii(t, name, nl) == 0) return field(p, "value");
  }
  return null_node();
}
