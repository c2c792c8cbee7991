/* management-token-in-client: client code calls a video provider's REST API
 * that only a server may call.
 *
 * The 100ms REST API (api.100ms.live/v2, api-nonprod.100ms.live) answers only
 * requests carrying a management token, and a management token can create
 * rooms, mint room codes and end sessions for the whole account. Daily's REST
 * API (api.daily.co/v1) likewise takes the account's API key. Reported in
 * client code:
 *   1. a request whose URL starts with one of those APIs: a literal, a
 *      template, a const, `this.baseUrl` set by a class field or in the
 *      constructor, or an axios instance created with that baseURL in the same
 *      file (requrl.h resolves them);
 *   2. an `Authorization: Bearer ...` header (object key, headers.set/append,
 *      setRequestHeader, an assignment to headers['Authorization']) built
 *      from a management-token-named value (managementToken, MGMT_TOKEN,
 *      hmsManagementToken...) or a Daily API key (DAILY_API_KEY): the URL may
 *      come from another file, the credential still ships.
 *   3. a mint site (facts/mint.h) whose claims say type 'management', or
 *      100ms getManagementToken(): a management token made in the browser,
 *      with any mint kind, a JWT signed by hand with CryptoJS.HmacSHA256 or
 *      crypto.subtle.sign('HMAC') included (the React demos' shape).
 * When both describe the same request, the request is reported once. The
 * client SDKs' own endpoints (prod-init.100ms.live, *.100ms.live/init,
 * Daily's room URLs on *.daily.co) are not REST APIs and are not reported. */
#include <string.h>

#include "analysis.h"
#include "bindname.h"
#include "mint.h"
#include "prefilter.h"
#include "requrl.h"
#include "rule.h"
#include "util.h"

extern const char rl_doc__management_token_in_client[];

static int type_is(TSNode n, const char *t) { return !ts_node_is_null(n) && strcmp(ts_node_type(n), t) == 0; }

static TSNode field(TSNode n, const char *name) { return rl_js_field(n, name); }

typedef struct rest_api {
  const char *prefix; /* after the scheme */
  const char *name;   /* for messages */
  const char *cred;   /* what it needs */
} rest_api;

static const rest_api apis[] = {
    {"api.100ms.live/v2", "the 100ms REST API", "a management token"},
    {"api-nonprod.100ms.live", "the 100ms REST API", "a management token"},
    {"api.daily.co/v1", "Daily's REST API", "the Daily API key"},
};

/* The REST API a URL's static text starts with, or NULL. */
static const rest_api *rest_api_of(const char *u, size_t n) {
  size_t k;
  if (n >= 8 && rl_strncasecmp_ascii(u, "https://", 8) == 0)
    k = 8;
  else if (n >= 7 && rl_strncasecmp_ascii(u, "http://", 7) == 0)
    k = 7;
  else if (n >= 2 && memcmp(u, "//", 2) == 0)
    k = 2;
  else
    return NULL;
  for (size_t i = 0; i < RL_ARRAY_LEN(apis); i++) {
    size_t pl = strlen(apis[i].prefix);
    /* case-sensitive, like the needles: real code spells these hosts in lower case */
    if (n - k < pl || memcmp(u + k, apis[i].prefix, pl) != 0) continue;
    /* the host must end there: api.100ms.live/v2x or api.daily.co/v1abc is another path */
    char next = n - k > pl ? u[k + pl] : '\0';
    if (!(next == '\0' || next == '/' || next == '?' || next == '#' || next == RL_URL_SUB || next == ':')) continue;
    /* Client endpoints of the 100ms API, called without a management
     * token: the SDK's pre-call diagnostics fetch a test token from
     * /v2/diagnostics/token, and Prebuilt (roomkit-react) fetches the room's
     * layout from /v2/layouts/ui with the peer's own auth token. */
    static const char *const client_paths[] = {"/diagnostics/", "/layouts/ui", NULL};
    for (size_t c = 0; client_paths[c]; c++) {
      size_t cl = strlen(client_paths[c]);
      if (n - k - pl >= cl && memcmp(u + k + pl, client_paths[c], cl) == 0) return NULL;
    }
    return &apis[i];
  }
  return NULL;
}

static const rest_api *request_api(rl_jsfile *jf, TSNode call, rl_request *r) {
  if (!rl_request_parse(jf, call, r)) return NULL;
  return rest_api_of(r->url, r->url_len);
}

/* managementToken, MGMT_TOKEN, hmsManagementToken; DAILY_API_KEY, dailyKey */
static int name_is_server_credential(const char *name, size_t len) {
  static const char *const mgmt[] = {"management", "mgmt", NULL};
  static const char *const token[] = {"token", "jwt", NULL};
  static const char *const daily[] = {"daily", NULL};
  /* not "token": a Daily meeting token is room-scoped and meant for clients */
  static const char *const key[] = {"key", "apikey", "secret", NULL};
  if (rl_name_has_word(name, len, mgmt) && rl_name_has_word(name, len, token)) return 1;
  return rl_name_has_word(name, len, daily) && rl_name_has_word(name, len, key);
}

/* The credential named in a header value: `Bearer ${X}`, 'Bearer ' + X,
 * X being an identifier, member or env read. */
static int bearer_credential(rl_jsfile *jf, TSNode value, const char **name, size_t *len) {
  TSNode v = rl_js_unwrap(value);
  TSNode cred = {{0}, NULL, NULL};
  const char *s;
  size_t sl, prefix;
  if (type_is(v, "template_string")) {
    if (!rl_js_template_static(jf, v, &s, &sl, &prefix)) return 0;
    if (prefix < 7 || rl_strncasecmp_ascii(s, "bearer ", 7) != 0) return 0;
    for (uint32_t i = 0; i < ts_node_named_child_count(v); i++) {
      TSNode c = ts_node_named_child(v, i);
      if (type_is(c, "template_substitution")) {
        cred = ts_node_named_child(c, 0);
        break;
      }
    }
  } else if (type_is(v, "binary_expression") && rl_js_text_is(jf, field(v, "operator"), "+")) {
    if (!rl_js_eval_string(jf, field(v, "left"), &s, &sl) || sl < 7 || rl_strncasecmp_ascii(s, "bearer ", 7) != 0)
      return 0;
    cred = field(v, "right");
  } else {
    return 0;
  }
  cred = rl_js_unwrap(cred);
  if (ts_node_is_null(cred)) return 0;
  if (rl_js_env_read(jf, cred, name, len)) return 1;
  if (type_is(cred, "identifier")) {
    *name = rl_js_text(jf, cred, len);
    return 1;
  }
  if (type_is(cred, "member_expression")) {
    *name = rl_js_text(jf, field(cred, "property"), len);
    return 1;
  }
  return 0;
}

/* The call a header object belongs to: pair -> object -> (pair headers ->
 * object ->) arguments -> call. */
static TSNode enclosing_request_call(TSNode n) {
  for (int i = 0; i < 8 && !ts_node_is_null(n); i++) {
    n = rl_js_parent(n);
    if (type_is(n, "call_expression")) return n;
    if (type_is(n, "statement_block") || type_is(n, "program")) break;
  }
  return (TSNode){{0}, NULL, NULL};
}

static void report_request(rl_ctx *ctx, const rl_request *r, const rest_api *api) {
  const char *shown = rl_url_shown(rl_ctx_arena(ctx), r->url, r->url_len);
  rl_report(ctx, ts_node_is_null(r->url_expr) ? r->call : r->url_expr,
            "client code calls %s (%s%s%s): that needs %s, which must stay on a server", api->name,
            r->method ? r->method : "", r->method ? " " : "", shown, api->cred);
}

static void check_call(rl_ctx *ctx, rl_jsfile *jf, TSNode call) {
  rl_request r;
  const rest_api *api = request_api(jf, call, &r);
  if (api) report_request(ctx, &r, api);
}

static void check_header(rl_ctx *ctx, rl_jsfile *jf, TSNode at, TSNode value) {
  const char *name;
  size_t len;
  if (!bearer_credential(jf, value, &name, &len) || !name_is_server_credential(name, len)) return;
  TSNode call = enclosing_request_call(at);
  rl_request r;
  if (!ts_node_is_null(call) && request_api(jf, call, &r)) return; /* reported as the request */
  int daily = !rl_name_has_word(name, len, (const char *const[]){"management", "mgmt", NULL});
  rl_report(ctx, at, "client code sends '%.*s' as a Bearer Authorization header: %s must stay on a server", (int)len,
            name, daily ? "the Daily API key" : "a management token");
}

static int key_is_authorization(rl_jsfile *jf, TSNode key_or_string) {
  const char *k;
  size_t kl;
  TSNode n = rl_js_unwrap(key_or_string);
  if (type_is(n, "string")) {
    if (!rl_js_string_value(jf, n, &k, &kl)) return 0;
  } else {
    k = rl_js_text(jf, n, &kl);
  }
  return kl == 13 && rl_strncasecmp_ascii(k, "authorization", 13) == 0;
}

/* A pair key written `Authorization`, `'authorization'` or `"Authorization"`
 * (one quote either side at most, the first letter in either case). */
static int key_text_is_authorization(rl_jsfile *jf, TSNode key) {
  size_t n;
  const char *t = rl_js_text(jf, key, &n);
  if (!t) return 0;
  if (n && (t[0] == '"' || t[0] == '\'')) t++, n--;
  if (n && (t[n - 1] == '"' || t[n - 1] == '\'')) n--;
  return n == 13 && (t[0] == 'A' || t[0] == 'a') && !memcmp(t + 1, "uthorization", 12);
}

static int built_value(TSNode v) { return type_is(v, "template_string") || type_is(v, "binary_expression"); }

/* The shapes in document order, from the file's node index (a query with
 * four patterns cost more than the rest of the rule on large files):
 * a call with an argument; { Authorization: `Bearer ${X}` };
 * headers.set('Authorization', v), xhr.setRequestHeader(...);
 * headers['Authorization'] = `...`. */
static int shape_visit(void *data, TSNode n) {
  rl_ctx *ctx = data;
  rl_jsfile *jf = rl_ctx_js(ctx);
  const char *t = ts_node_type(n);
  if (!strcmp(t, "call_expression")) {
    TSNode args = field(n, "arguments");
    if (!type_is(args, "arguments") || ts_node_named_child_count(args) == 0) return 0;
    check_call(ctx, jf, n);
    static const char *const setters[] = {"set", "append", "setRequestHeader", "setHeader", NULL};
    TSNode fn = field(n, "function"), prop = field(fn, "property");
    size_t pl;
    const char *p = type_is(fn, "member_expression") && type_is(prop, "property_identifier") ? rl_js_text(jf, prop, &pl)
                                                                                             : NULL;
    if (p && rl_str_in_list(p, pl, setters) && ts_node_named_child_count(args) >= 2 &&
        type_is(ts_node_named_child(args, 0), "string") && key_is_authorization(jf, rl_js_call_arg(n, 0)))
      check_header(ctx, jf, n, rl_js_call_arg(n, 1));
  } else if (!strcmp(t, "pair")) {
    TSNode key = field(n, "key");
    if (built_value(field(n, "value")) && key_text_is_authorization(jf, key) && key_is_authorization(jf, key))
      check_header(ctx, jf, n, field(n, "value"));
  } else if (!strcmp(t, "assignment_expression")) {
    TSNode left = field(n, "left");
    if (!(type_is(left, "subscript_expression") || type_is(left, "member_expression")) ||
        !built_value(field(n, "right")))
      return 0;
    TSNode l = rl_js_unwrap(left);
    TSNode key = type_is(l, "subscript_expression") ? field(l, "index") : field(l, "property");
    if (key_is_authorization(jf, key)) check_header(ctx, jf, n, field(n, "right"));
  }
  return 0;
}

static void report_mint(void *data, const rl_mint *m) {
  if (!m->is_management) return;
  rl_report(data, m->call,
            "client code mints a 100ms management token with %s: it can create rooms, room codes and end sessions "
            "for the whole account, and must be minted and used on a server",
            m->what);
}

static void on_file(rl_ctx *ctx) {
  rl_jsfile *jf = rl_ctx_js(ctx);
  if (!jf) return;
  rl_js_walk(rl_ctx_root(ctx), shape_visit, ctx);
  rl_mint_each(jf, rl_ctx_root(ctx), report_mint, ctx);
}

/* ---- prefilter ------------------------------------------------------------------- */

/* Every finding is one of three (3 is a mint site, rl_mint_possible, whose
 * claims or method say management, so the word is in the bytes):
 *   1. a request whose URL text holds api.100ms.live, api-nonprod.100ms.live
 *      or api.daily.co right after the scheme (rest_api_of, case-sensitive).
 *      The URL text is the file's literals joined (templates, `+`, consts),
 *      so the domain (100ms.live, daily.co, as the needles assume) is in the
 *      bytes, and what the bytes hold right before it is either a join (a
 *      quote, or '}' of a substitution) or the host's own text: '.' and a
 *      label that is "api" or "api-nonprod", or a tail of one after a join.
 *      A docs link (www.100ms.live/docs) has neither (api_host_possible);
 *   2. a Bearer Authorization header built from a credential name: the key
 *      is "authorization" in some case, the value's static text starts with
 *      "bearer " in some case (its space may come from another literal), and
 *      the name has the words management or mgmt, or daily
 *      (name_is_server_credential). */
static int join_byte(char c) { return c == '\'' || c == '"' || c == '`' || c == '}'; }

static int label_byte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

static int api_host_possible(const char *b, size_t n, const char *domain, const char *const *labels) {
  size_t dl = strlen(domain);
  const char *end = b + n, *p = b, *hit;
  while ((hit = memmem(p, (size_t)(end - p), domain, dl)) != NULL) {
    p = hit + 1;
    if (hit == b || join_byte(hit[-1])) return 1;
    if (hit[-1] != '.') continue;
    const char *dot = hit - 1, *l = dot;
    while (l > b && label_byte(l[-1])) l--;
    size_t ll = (size_t)(dot - l);
    int joined = l == b || join_byte(l[-1]); /* text before the label may come from elsewhere */
    for (size_t i = 0; labels[i]; i++) {
      size_t k = strlen(labels[i]);
      if (ll == k && memcmp(l, labels[i], k) == 0) return 1;
      if (joined && ll < k && memcmp(l, labels[i] + k - ll, ll) == 0) return 1;
    }
  }
  return 0;
}

static int can_fire(rl_prefilter *pf) {
  static const char *const hms_labels[] = {"api", "api-nonprod", NULL};
  static const char *const daily_labels[] = {"api", NULL};
  size_t n;
  const char *b = rl_pf_bytes(pf, &n);
  if (api_host_possible(b, n, "100ms.live", hms_labels) || api_host_possible(b, n, "daily.co", daily_labels)) return 1;
  if (rl_pf_has_caseless(pf, "management") && rl_mint_possible(pf)) return 1;
  return rl_pf_has_caseless(pf, "authorization") && rl_pf_has_caseless(pf, "bearer") &&
         (rl_pf_has_caseless(pf, "management") || rl_pf_has_caseless(pf, "mgmt") || rl_pf_has_caseless(pf, "daily"));
}

/* Findings need a REST API host in a string or a credential name with one of
 * these words (the name test lower-cases words that come from these). */
static const char *const needles[] = {"100ms.live", "daily.co", "anagement", "ANAGEMENT", "mgmt", "Mgmt",
                                      "MGMT",       "daily",    "Daily",     "DAILY",     NULL};

const rl_rule rl_rule_management_token_in_client = {
    .id = "management-token-in-client",
    .title = "Client code calls a REST API that needs a management token",
    .severity = RL_SEV_ERROR,
    .cwe = 522,
    .doc = rl_doc__management_token_in_client,
    .langs = RL_LANGS_CODE,
    .contexts = RL_CTX_BIT(RL_CTX_CLIENT),
    .query = NULL,
    .on_file = on_file,
    .needles = needles,
    .can_fire = can_fire,
    .bad_example = "import { useHMSActions } from '@100mslive/react-sdk';\n"
                   "\n"
                   "const MANAGEMENT_TOKEN = import.meta.env.VITE_HMS_MGMT_TOKEN;\n"
                   "\n"
                   "export async function createRoom(name) {\n"
                   "  const res = await fetch('https://api.100ms.live/v2/rooms', {\n"
                   "    method: 'POST',\n"
                   "    headers: { Authorization: `Bearer ${MANAGEMENT_TOKEN}` },\n"
                   "    body: JSON.stringify({ name }),\n"
                   "  });\n"
                   "  return res.json();\n"
                   "}\n",
    .good_example = "import { useHMSActions } from '@100mslive/react-sdk';\n"
                    "\n"
                    "export async function createRoom(name, session) {\n"
                    "  const res = await fetch('/api/rooms', {\n"
                    "    method: 'POST',\n"
                    "    headers: { Authorization: `Bearer ${session.accessToken}` },\n"
                    "    body: JSON.stringify({ name }),\n"
                    "  });\n"
                    "  return res.json();\n"
                    "}\n",
    .precision = "high",
    .security_severity = "8.8",
};
