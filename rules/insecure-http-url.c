/* insecure-http-url: a plain http:// or ws:// URL used as an endpoint.
 *
 * "Used as an endpoint" means one of:
 *   - the URL argument of a request or connection API: fetch, axios (and its
 *     method helpers), Node's http.get/request, ky, got, superagent, jQuery,
 *     socket.io's io(), navigator.sendBeacon, room.connect(url, token)
 *     (LiveKit), xhr.open(m, url), new WebSocket / EventSource / URL / Request;
 *   - a value bound to a name that says URL, endpoint, host, base, api,
 *     server, socket... (`const API_URL = ...`, `{ baseURL: ... }`,
 *     `<LiveKitRoom serverUrl="ws://...">`), or a key inside an object so
 *     named (`endpoints: { tokenByRoomCode: ... }`), unless the name says it
 *     is a link for people (docs, help, homepage, logo, avatar...);
 *   - a URL-named key in a dotenv file.
 * A URL in an error message or a comment is text for a person, not an
 * endpoint, and is not reported. Hosts where plain text never crosses an
 * untrusted network are skipped: loopback, 0.0.0.0, private (RFC 1918) and
 * link-local addresses, single-label names (docker-compose services),
 * *.local, *.localhost, *.internal, reserved test domains (example.com/.org/.net,
 * *.test, *.example, *.invalid), and XML namespace hosts (www.w3.org...).
 * Test files are skipped: they talk to fake hosts over http all the time and
 * never ship. */
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "bindname.h"
#include "dotenv.h"
#include "prefilter.h"
#include "rule.h"
#include "util.h"

extern const char rl_doc__insecure_http_url[];

#define SUB '\x1a'
#define MAX_URL_SHOWN 100

static const char *const url_words[] = {"url",      "uri",       "urls",       "endpoint", "endpoints", "host",
                                        "hostname", "base",      "api",        "server",   "socket",    "ws",
                                        "wss",      "websocket", "backend",    "origin",   "webhook",   "service",
                                        "gateway",  "signaling", "signalling", "livekit",  NULL};

/* Names of links meant for people, not for code to call. */
static const char *const link_words[] = {
    "doc", "docs", "documentation", "help", "support", "link", "href", "homepage", "website", "privacy", "terms",
    "policy", "tos", "learn", "image", "img", "avatar", "logo", "icon", "thumbnail", "thumb", "photo", "picture",
    "banner", "schema", "namespace", "xmlns", "ns", "license", "repo", "repository", "github", "author", "blog",
    "share", "invite", "canonical", "og", "social", "twitter", "facebook", "linkedin", "youtube", "instagram",
    "feedback", "unsubscribe",
    /* HTTP proxies are http:// by convention; TLS is tunnelled through them */
    "proxy", NULL};

/* XML/SVG/SOAP namespace hosts: identifiers that look like URLs. */
static const char *const namespace_hosts[] = {
    "www.w3.org", "w3.org",    "schemas.xmlsoap.org", "schemas.microsoft.com", "ns.adobe.com",
    "purl.org",   "xmlns.com", "schemas.android.com", "json-schema.org",       "schemas.openxmlformats.org",
    NULL};

static int host_eq(const char *h, size_t n, const char *s) {
  return strlen(s) == n && rl_strncasecmp_ascii(h, s, n) == 0;
}

/* host == s or host ends with "." s */
static int host_is_or_under(const char *h, size_t n, const char *s) {
  size_t k = strlen(s);
  if (n == k) return rl_strncasecmp_ascii(h, s, n) == 0;
  return n > k && h[n - k - 1] == '.' && rl_strncasecmp_ascii(h + n - k, s, k) == 0;
}

static int parse_ipv4(const char *h, size_t n, unsigned out[4]) {
  size_t i = 0;
  for (int part = 0; part < 4; part++) {
    if (i >= n || h[i] < '0' || h[i] > '9') return 0;
    unsigned v = 0;
    size_t digits = 0;
    while (i < n && h[i] >= '0' && h[i] <= '9' && digits < 4) {
      v = v * 10 + (unsigned)(h[i] - '0');
      i++;
      digits++;
    }
    if (v > 255) return 0;
    out[part] = v;
    if (part < 3) {
      if (i >= n || h[i] != '.') return 0;
      i++;
    }
  }
  return i == n;
}

/* Hosts where plain text does not cross an untrusted network, or that are not
 * real endpoints at all. */
static int host_is_exempt(const char *h, size_t n) {
  unsigned ip[4];
  if (parse_ipv4(h, n, ip)) {
    if (ip[0] == 127 || ip[0] == 10 || (ip[0] == 0 && ip[1] == 0 && ip[2] == 0 && ip[3] == 0)) return 1;
    if (ip[0] == 192 && ip[1] == 168) return 1;
    if (ip[0] == 172 && ip[1] >= 16 && ip[1] <= 31) return 1;
    if (ip[0] == 169 && ip[1] == 254) return 1;
    return 0;
  }
  if (n >= 2 && h[0] == '[') {
    return host_eq(h, n, "[::1]") || host_eq(h, n, "[::]") || host_eq(h, n, "[0:0:0:0:0:0:0:1]");
  }
  if (!memchr(h, '.', n)) return 1; /* localhost, docker-compose service names */
  static const char *const under[] = {"localhost", "local",       "internal",    "test",        "example",
                                      "invalid",   "example.com", "example.org", "example.net", NULL};
  for (size_t i = 0; under[i]; i++)
    if (host_is_or_under(h, n, under[i])) return 1;
  for (size_t i = 0; namespace_hosts[i]; i++)
    if (host_eq(h, n, namespace_hosts[i])) return 1;
  return 0;
}

/* If s (static text, SUB for dynamic parts) starts with http:// or ws:// to
 * a host that is not exempt, returns the scheme ("http" or "ws") and sets
 * *k_out to the scheme's length with "://" and *host_start_out to where the
 * host starts (past "user:password@"). Reads s only up to the first '/', '?'
 * or '#' after the scheme. */
static const char *insecure_scheme(const char *s, size_t n, size_t *k_out, size_t *host_start_out) {
  const char *scheme;
  size_t k;
  if (n >= 7 && rl_strncasecmp_ascii(s, "http://", 7) == 0) {
    scheme = "http";
    k = 7;
  } else if (n >= 5 && rl_strncasecmp_ascii(s, "ws://", 5) == 0) {
    scheme = "ws";
    k = 5;
  } else {
    return NULL;
  }
  size_t auth_end = k;
  while (auth_end < n && s[auth_end] != '/' && s[auth_end] != '?' && s[auth_end] != '#') auth_end++;
  size_t host_start = k;
  for (size_t i = k; i < auth_end; i++)
    if (s[i] == '@') host_start = i + 1;
  size_t host_end = host_start;
  if (host_start < auth_end && s[host_start] == '[') {
    while (host_end < auth_end && s[host_end] != ']') host_end++;
    if (host_end < auth_end) host_end++;
  } else {
    while (host_end < auth_end && s[host_end] != ':') host_end++;
  }
  const char *h = s + host_start;
  size_t hn = host_end - host_start;
  /* A dynamic host (`http://${host}/x`) cannot be judged; a dynamic label
   * with a static domain (`http://${region}.api.myapp.io`) can. */
  const char *sub = NULL;
  for (size_t i = 0; i < hn; i++)
    if (h[i] == SUB) sub = h + i;
  if (sub) {
    hn -= (size_t)(sub + 1 - h);
    h = sub + 1;
    if (hn < 2 || h[0] != '.') return NULL;
    h++;
    hn--;
  }
  if (hn == 0 || host_is_exempt(h, hn)) return NULL;
  *k_out = k;
  *host_start_out = host_start;
  return scheme;
}

/* insecure_scheme, and *shown set to what a message may print (no
 * credentials, no query), and *cred_end to the index just past the '@' of
 * "user:password@" (0 if none). */
static const char *insecure_url(rl_arena *a, const char *s, size_t n, const char **shown, size_t *cred_end) {
  size_t k, host_start;
  const char *scheme = insecure_scheme(s, n, &k, &host_start);
  if (!scheme) return NULL;
  *cred_end = host_start > k ? host_start : 0;

  rl_buf b = {0};
  rl_buf_put(&b, s, k);
  for (size_t i = host_start; i < n && b.len < MAX_URL_SHOWN; i++) {
    if (s[i] == '?' || s[i] == '#') break;
    if (s[i] == SUB)
      rl_buf_puts(&b, "${…}");
    else
      rl_buf_putc(&b, s[i]);
  }
  if (b.len >= MAX_URL_SHOWN) rl_buf_puts(&b, "…");
  *shown = rl_arena_strndup(a, b.ptr ? b.ptr : "", b.len);
  rl_buf_free(&b);
  return scheme;
}

/* "http://user:password@host": the snippet shows user:password masked. The
 * decoded text s starts at byte raw_start of the source; the mask is placed
 * only when the source spells the URL up to the '@' the same way (no escapes
 * or substitutions before it). */
static void mask_credentials(rl_ctx *ctx, uint32_t raw_start, const char *s, const char *scheme, size_t cred_end) {
  const rl_source *src = rl_ctx_source(ctx);
  size_t k = strlen(scheme) + 3;
  if (cred_end <= k + 1 || raw_start + cred_end > src->len) return;
  if (memcmp(src->bytes + raw_start, s, cred_end) != 0) return;
  rl_ctx_mark_secret(ctx, raw_start + (uint32_t)k, raw_start + (uint32_t)cred_end - 1);
}

static int name_is_endpoint(const char *name, size_t len) {
  return rl_name_has_word(name, len, url_words) && !rl_name_has_word(name, len, link_words);
}

static const char *const http_methods[] = {"get",     "post", "put",     "patch", "delete",  "head", "options",
                                           "request", "ajax", "getJSON", "fetch", "connect", "io",   NULL};
static const char *const http_modules[] = {"axios",
                                           "ky",
                                           "got",
                                           "superagent",
                                           "node-fetch",
                                           "cross-fetch",
                                           "isomorphic-fetch",
                                           "isomorphic-unfetch",
                                           "undici",
                                           "socket.io-client",
                                           "needle",
                                           "ofetch",
                                           "redaxios",
                                           "http",
                                           NULL};
static const char *const http_objects[] = {"axios",   "http",       "httpClient", "$http", "api", "apiClient", "client",
                                           "request", "superagent", "ky",         "got",   "$",   "jQuery",    NULL};
static const char *const plain_calls[] = {"fetch",    "window.fetch", "globalThis.fetch",     "self.fetch", "$fetch",
                                          "useFetch", "ofetch",       "navigator.sendBeacon", "io",         NULL};
static const char *const ctor_names[] = {"WebSocket", "EventSource", "URL", "Request", "ReconnectingWebSocket", NULL};
static const char *const ctor_modules[] = {"ws", "isomorphic-ws", "reconnecting-websocket", "eventsource", NULL};

/* Is argument argi of this call/new a URL the call connects to? */
static int endpoint_call(rl_jsfile *jf, TSNode call, uint32_t argi) {
  const char *canon = rl_js_callee(jf, call);
  if (!canon) return 0;
  int is_new = strcmp(ts_node_type(call), "new_expression") == 0;
  const char *colon = strchr(canon, ':');
  const char *path = colon ? colon + 1 : canon;
  const char *dot = strrchr(path, '.');
  const char *last = dot ? dot + 1 : path;
  size_t last_len = strlen(last);
  if (is_new) {
    if (colon && *path == '\0' && rl_str_in_list(canon, (size_t)(colon - canon), ctor_modules)) return argi == 0;
    if (rl_str_in_list(last, last_len, ctor_names)) return argi == 0 || (argi == 1 && strcmp(last, "URL") == 0);
    return 0;
  }
  if (colon) {
    if (!rl_str_in_list(canon, (size_t)(colon - canon), http_modules)) goto method;
    /* got.stream(url): got's streaming API takes the URL first too */
    if (!strcmp(canon, "got:stream")) return argi == 0;
    return argi == 0 && (*path == '\0' || rl_str_in_list(last, last_len, http_methods));
  }
  if (rl_str_in_list(canon, strlen(canon), plain_calls)) return argi == 0;
method:
  if (dot && rl_str_in_list(last, last_len, http_methods) && argi == 0) {
    /* `axios.get(url)`, `this.http.post(url)`, `room.connect(url, token)` */
    if (strcmp(last, "connect") == 0) return 1;
    const char *obj_end = dot;
    const char *obj = obj_end;
    while (obj > path && obj[-1] != '.') obj--;
    return rl_str_in_list(obj, (size_t)(obj_end - obj), http_objects);
  }
  if (dot && strcmp(last, "open") == 0 && argi == 1) {
    /* xhr.open('GET', url) */
    const char *m;
    size_t ml;
    return rl_js_string_value(jf, rl_js_call_arg(call, 0), &m, &ml) && ml > 0 && ml < 10;
  }
  return 0;
}

/* The callee as written, for messages: "axios.get", "new WebSocket". */
static const char *callee_text(rl_ctx *ctx, TSNode call) {
  int is_new = strcmp(ts_node_type(call), "new_expression") == 0;
  TSNode fn = rl_js_field(call, is_new ? "constructor" : "function");
  size_t n = 0;
  const char *t = ts_node_is_null(fn) ? "" : rl_ctx_text(ctx, fn, &n);
  if (n > 60 || memchr(t, '\n', n)) n = 0;
  return rl_arena_printf(rl_ctx_arena(ctx), "%s%.*s()", is_new ? "new " : "", (int)n, n ? t : "the call");
}

static void on_url(rl_ctx *ctx, const rl_match *m) {
  TSNode s = rl_match_capture(m, "url");
  rl_jsfile *jf = rl_ctx_js(ctx);
  if (ts_node_is_null(s) || !jf) return;
  const char *text;
  size_t len, prefix;
  if (!rl_js_template_static(jf, s, &text, &len, &prefix)) return;
  const char *shown = NULL;
  size_t cred_end = 0;
  const char *scheme = insecure_url(rl_ctx_arena(ctx), text, len, &shown, &cred_end);
  if (!scheme) return;

  rl_binding b;
  const char *where = NULL;
  if (rl_bound_name(jf, s, &b)) {
    if (name_is_endpoint(b.name, b.name_len)) {
      where = rl_arena_printf(rl_ctx_arena(ctx), "in '%.*s'", (int)b.display_len, b.display);
    } else if (!rl_name_has_word(b.name, b.name_len, link_words)) {
      /* { endpoints: { tokenByRoomCode: 'http://...' } } (100ms Prebuilt) */
      const char *outer;
      size_t ol;
      if (rl_js_outer_key(jf, b.holder, &outer, &ol) && name_is_endpoint(outer, ol))
        where = rl_arena_printf(rl_ctx_arena(ctx), "in '%.*s.%.*s'", (int)ol, outer, (int)b.name_len, b.name);
    }
  } else if (!ts_node_is_null(b.holder) && strcmp(ts_node_type(b.holder), "arguments") == 0) {
    TSNode call = rl_js_parent(b.holder);
    uint32_t argi = 0;
    for (uint32_t i = 0; i < ts_node_named_child_count(b.holder); i++) {
      TSNode arg = ts_node_named_child(b.holder, i);
      if (strcmp(ts_node_type(arg), "comment") == 0) continue;
      if (ts_node_eq(arg, b.value)) {
        if (endpoint_call(jf, call, argi))
          where = rl_arena_printf(rl_ctx_arena(ctx), "passed to %s", callee_text(ctx, call));
        break;
      }
      argi++;
    }
  }
  if (!where) return;
  mask_credentials(ctx, ts_node_start_byte(s) + 1, text, scheme, cred_end);
  rl_report(ctx, s, "plain %s:// endpoint '%s' %s", scheme, shown, where);
}

/* Node's http.request / http.get with an options object and no URL string:
 * `http.request({ hostname: 'api.feeds.io', port: 80, path }, cb)`. The http
 * module speaks plain HTTP only, so a literal host that is not exempt is an
 * endpoint reached without TLS. Not judged: a host that is not a literal, a
 * Unix socket (socketPath), a CONNECT to a proxy (it tunnels TLS), a
 * protocol other than 'http:' (the module throws). */
static int node_http_call(const char *c) {
  if (!c) return 0;
  if (!strncmp(c, "node:", 5)) c += 5;
  return !strcmp(c, "http:request") || !strcmp(c, "http:get");
}

static void on_node_options(rl_ctx *ctx, rl_jsfile *jf, TSNode call) {
  if (!node_http_call(rl_js_callee(jf, call))) return;
  TSNode opts = rl_js_object_of(jf, rl_js_call_arg(call, 0));
  if (ts_node_is_null(opts) || !ts_node_is_null(rl_js_object_get(jf, opts, "socketPath"))) return;
  const char *v;
  size_t vl;
  TSNode method = rl_js_object_get(jf, opts, "method");
  if (!ts_node_is_null(method) && rl_js_eval_string(jf, method, &v, &vl) && vl == 7 &&
      rl_strncasecmp_ascii(v, "CONNECT", 7) == 0)
    return;
  /* protocol: 'https:' makes the http module throw: no request is made */
  TSNode proto = rl_js_object_get(jf, opts, "protocol");
  if (!ts_node_is_null(proto) && !(rl_js_eval_string(jf, proto, &v, &vl) && vl == 5 && !memcmp(v, "http:", 5))) return;
  TSNode host = rl_js_object_get(jf, opts, "hostname");
  if (ts_node_is_null(host)) host = rl_js_object_get(jf, opts, "host");
  const char *h;
  size_t hl;
  if (ts_node_is_null(host) || !rl_js_eval_string(jf, host, &h, &hl) || hl == 0 || memchr(h, '/', hl)) return;
  double port = 0;
  TSNode pn = rl_js_object_get(jf, opts, "port");
  int has_port = !ts_node_is_null(pn) && rl_js_eval_number(jf, pn, &port) && port > 0 && port < 65536 && port != 80;
  const char *path = "";
  size_t pl = 0;
  TSNode pathn = rl_js_object_get(jf, opts, "path");
  if (!ts_node_is_null(pathn) && (!rl_js_eval_string(jf, pathn, &path, &pl) || !pl || path[0] != '/'))
    path = "", pl = 0;
  const char *url = has_port
                        ? rl_arena_printf(rl_ctx_arena(ctx), "http://%.*s:%d%.*s", (int)hl, h, (int)port, (int)pl, path)
                        : rl_arena_printf(rl_ctx_arena(ctx), "http://%.*s%.*s", (int)hl, h, (int)pl, path);
  const char *shown = NULL;
  size_t cred_end = 0;
  if (!insecure_url(rl_ctx_arena(ctx), url, strlen(url), &shown, &cred_end)) return;
  rl_report(ctx, host, "plain http:// endpoint '%s' passed to %s as options (Node's http module has no TLS: use https)",
            shown, callee_text(ctx, call));
}

static void on_match(rl_ctx *ctx, const rl_match *m) {
  TSNode call = rl_match_capture(m, "node_call");
  rl_jsfile *jf = rl_ctx_js(ctx);
  if (!ts_node_is_null(call)) {
    if (jf) on_node_options(ctx, jf, call);
    return;
  }
  on_url(ctx, m);
}

static void on_dotenv(rl_ctx *ctx) {
  size_t n = 0;
  const rl_dotenv_entry *e = rl_ctx_dotenv(ctx, &n);
  for (size_t i = 0; i < n; i++) {
    if (!name_is_endpoint(e[i].key, e[i].key_len)) continue;
    const char *shown = NULL;
    size_t cred_end = 0;
    const char *scheme = insecure_url(rl_ctx_arena(ctx), e[i].value, e[i].value_len, &shown, &cred_end);
    if (!scheme) continue;
    mask_credentials(ctx, e[i].value_start + (e[i].quote ? 1 : 0), e[i].value, scheme, cred_end);
    rl_report_range(ctx, e[i].value_start, e[i].value_end, "plain %s:// endpoint '%s' in '%.*s'", scheme, shown,
                    (int)e[i].key_len, e[i].key);
  }
}

static void on_file(rl_ctx *ctx) {
  if (rl_ctx_source(ctx)->lang == RL_LANG_DOTENV) on_dotenv(ctx);
}

/* ---- prefilter ------------------------------------------------------------------- */

/* Every JS finding is at a string or template whose text is a quote and then
 * http:// or ws:// in any case (the query), with a host insecure_scheme does
 * not exempt. The literal's value is its raw text up to the end of the
 * authority unless an escape or a substitution comes first, so where the
 * raw authority ends at '/', '?', '#' or the closing quote, insecure_scheme
 * on the raw bytes gives the same answer. A dotenv finding needs the scheme
 * in the value. */
static int quote_byte(char c) { return c == '\'' || c == '"' || c == '`'; }

/* The literal whose text starts at b + at (after its quote) with a scheme
 * of k bytes could be reported. */
static int literal_may_be_insecure(const char *b, size_t n, size_t at, size_t k) {
  char quote = b[at - 1];
  size_t i = at + k;
  for (; i < n; i++) {
    char c = b[i];
    if (c == '/' || c == '?' || c == '#' || c == quote) break;
    if (c == '\\' || c == '$' || c == '\n' || c == '\r') return 1; /* raw text is not the value */
  }
  if (i == n) return 1;
  size_t ks, host_start;
  return insecure_scheme(b + at, i - at, &ks, &host_start) != NULL;
}

/* `host: '...'` or `hostname: "..."`: an options host written as a literal. */
static int host_literal(const char *b, size_t n) {
  for (const char *p = b, *hit; (hit = memmem(p, (size_t)(b + n - p), "host", 4)) != NULL; p = hit + 4) {
    size_t i = (size_t)(hit - b) + 4;
    if (i + 4 <= n && !memcmp(b + i, "name", 4)) i += 4;
    while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\'' || b[i] == '"')) i++;
    if (i >= n || b[i] != ':') continue;
    i++;
    while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) i++;
    if (i < n && (b[i] == '\'' || b[i] == '"' || b[i] == '`')) return 1;
  }
  return 0;
}

static int can_fire(rl_prefilter *pf) {
  if (rl_pf_lang(pf) == RL_LANG_DOTENV) return rl_pf_has_caseless(pf, "http://") || rl_pf_has_caseless(pf, "ws://");
  size_t n;
  const char *b = rl_pf_bytes(pf, &n);
  /* http.request({ hostname: 'api.example.com', ... }): the http module and
   * an options host written as a literal (a list of Node's module names, as
   * the TypeScript compiler holds, names "http" and no host) */
  if (rl_pf_module(pf, "http") && host_literal(b, n)) return 1;
  const char *end = b + n, *p = b, *hit;
  while ((hit = memmem(p, (size_t)(end - p), "://", 3)) != NULL) {
    size_t at = (size_t)(hit - b);
    p = hit + 1;
    if (at >= 5 && quote_byte(b[at - 5]) && rl_strncasecmp_ascii(b + at - 4, "http", 4) == 0 &&
        literal_may_be_insecure(b, n, at - 4, 7))
      return 1;
    if (at >= 3 && quote_byte(b[at - 3]) && rl_strncasecmp_ascii(b + at - 2, "ws", 2) == 0 &&
        literal_may_be_insecure(b, n, at - 2, 5))
      return 1;
  }
  return 0;
}

/* Every finding's URL has "://" right after its scheme, in any case (the
 * scheme's case is can_fire's to check), or is a Node http request's
 * options host. */
static const char *const needles[] = {"://", "host", NULL};

const rl_rule rl_rule_insecure_http_url = {
    .id = "insecure-http-url",
    .title = "Endpoint reached over plain http:// or ws://",
    .severity = RL_SEV_WARNING,
    .cwe = 319,
    .doc = rl_doc__insecure_http_url,
    .langs = RL_LANGS_ALL,
    .contexts = RL_CTX_BIT(RL_CTX_CLIENT) | RL_CTX_BIT(RL_CTX_SERVER) | RL_CTX_BIT(RL_CTX_UNKNOWN),
    .query = "((string) @url (#match? @url \"^.(?i:http|ws)://\"))\n"
             "((template_string) @url (#match? @url \"^.(?i:http|ws)://\"))\n"
             "(call_expression function: [(identifier) (member_expression)] "
             "arguments: (arguments . [(object) (identifier)])) @node_call\n",
    .on_match = on_match,
    .on_file = on_file,
    .needles = needles,
    .can_fire = can_fire,
    .bad_example = "const res = await fetch('http://api.myvideoapp.io/api/token', {\n"
                   "  method: 'POST',\n"
                   "  body: JSON.stringify({ room_id: roomId, role: 'guest' }),\n"
                   "});\n",
    .good_example = "const res = await fetch('https://api.myvideoapp.io/api/token', {\n"
                    "  method: 'POST',\n"
                    "  body: JSON.stringify({ room_id: roomId, role: 'guest' }),\n"
                    "});\n",
    .precision = "high",
    .security_severity = "5.9",
};
