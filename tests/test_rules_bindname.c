/* The helpers the first three rules share (rules/bindname.c), and what those
 * rules print: messages name the thing and never show a secret in full. */
#include "rltest.h"
#include "support/parsed.h"

#include <string.h>

#include "analysis.h"
#include "arena.h"
#include "bindname.h"
#include "engine.h"
#include "parse.h"
#include "source.h"
#include "util.h"

/* ---- word splitting ------------------------------------------------------------ */

typedef struct words {
  char buf[256];
} words;

static int collect(void *data, const char *w, size_t n) {
  words *ws = data;
  size_t len = strlen(ws->buf);
  if (len && len + 1 < sizeof ws->buf) ws->buf[len++] = ' ';
  if (len + n < sizeof ws->buf) {
    memcpy(ws->buf + len, w, n);
    ws->buf[len + n] = '\0';
  }
  return 0;
}

static void expect_words(const char *name, const char *want) {
  words ws = {{0}};
  rl_name_words(name, strlen(name), collect, &ws);
  if (strcmp(ws.buf, want) != 0) fail_msg("words of '%s': got '%s', want '%s'", name, ws.buf, want);
}

static void rules_bindname__words_split(void **state) {
  (void)state;
  expect_words("appSecret", "app secret");
  expect_words("HMS_APP_SECRET", "hms app secret");
  expect_words("APIBaseURL", "api base url");
  expect_words("baseURL", "base url");
  expect_words("oauth2Token", "oauth2 token");
  expect_words("x-api-key", "x api key");
  expect_words("NEXT_PUBLIC_TOKEN_ENDPOINT", "next public token endpoint");
  expect_words("", "");
  /* the one digit rule: digits stay on the word they follow; after a
   * separator they start a word of their own */
  expect_words("s3SecretKey", "s3 secret key");
  expect_words("HMS_SECRET_V2", "hms secret v2");
  expect_words("base64Secret", "base64 secret");
  expect_words("secret2", "secret2");
  expect_words("JWT_SECRET_2", "jwt secret 2");
  expect_words("auth0Token", "auth0 token");
  expect_words("S3Bucket", "s3 bucket");
  static const char *const url[] = {"url", "endpoint", NULL};
  assert_true(rl_name_has_word("tokenEndpoint", 13, url));
  assert_true(rl_name_has_word("API_URL", 7, url));
  /* whole words only: "curl" and "urlencoded" are not "url" */
  assert_false(rl_name_has_word("curlOptions", 11, url));
  assert_false(rl_name_has_word("urlencodedBody", 14, url));
  /* numbered copies are the word (baseUrl1 / baseUrl2); other digits are not */
  assert_true(rl_name_has_word("fallbackUrl2", 12, url));
  assert_true(rl_name_has_word("endpoint1234", 12, url));
  assert_false(rl_name_has_word("endpoint12345", 13, url));
  assert_true(rl_word_is("v2", 2, "v")); /* a version is a numbered v: SECRET_V2 */
  assert_true(rl_word_is("key1", 4, "key"));
  assert_true(rl_word_is("key", 3, "key"));
  assert_false(rl_word_is("keys", 4, "key"));
  assert_false(rl_word_is("b641", 4, "b64")); /* a word ending in a digit takes no counter */
}

/* ---- function names --------------------------------------------------------------- */

typedef struct fn_find {
  TSNode fn;
} fn_find;

static int find_fn(void *data, TSNode n) {
  fn_find *f = data;
  const char *t = ts_node_type(n);
  if (!strcmp(t, "arrow_function") || !strcmp(t, "function_expression") || !strcmp(t, "function_declaration") ||
      !strcmp(t, "method_definition")) {
    f->fn = n;
    return -1;
  }
  return 0;
}

static void expect_function_name(const char *code, const char *want) {
  parsed p;
  parse_js(&p, "f.js", code);
  fn_find f;
  memset(&f, 0, sizeof f);
  rl_js_walk(rl_jsfile_root(p.jf), find_fn, &f);
  assert_false(ts_node_is_null(f.fn));
  const char *name = NULL;
  size_t len = 0;
  int ok = rl_js_function_name(p.jf, f.fn, &name, &len);
  if (!want) {
    if (ok) fail_msg("%s: got '%.*s', want no name", code, (int)len, name);
  } else if (!ok || len != strlen(want) || memcmp(name, want, len) != 0) {
    fail_msg("%s: got '%.*s', want '%s'", code, ok ? (int)len : 0, ok ? name : "", want);
  }
  parsed_free(&p);
}

static void rules_bindname__function_names(void **state) {
  (void)state;
  expect_function_name("export async function getServerSideProps(ctx) { return {}; }", "getServerSideProps");
  expect_function_name("export const loader = async () => null;", "loader");
  expect_function_name("module.exports.action = function () {};", "action");
  expect_function_name("const routes = { loader: async () => null };", "loader");
  expect_function_name("class A { mint() { return 1; } }", "mint");
  expect_function_name("run(async () => null);", NULL);
}

/* ---- bound names ------------------------------------------------------------------ */

typedef struct find {
  rl_jsfile *jf;
  const char *text; /* the string's value */
  TSNode found;
} find;

static int find_string(void *data, TSNode n) {
  find *f = data;
  const char *t = ts_node_type(n);
  if (strcmp(t, "string") && strcmp(t, "template_string")) return 0;
  const char *v;
  size_t len;
  if (rl_js_string_value(f->jf, n, &v, &len) && strcmp(v, f->text) == 0) {
    f->found = n;
    return -1;
  }
  return 0;
}

/* The name (and display) the literal with value `value` is bound to in code;
 * want_name NULL means "bound to nothing". */
static void expect_binding(const char *path, const char *code, const char *value, const char *want_name,
                           const char *want_display) {
  parsed p;
  parse_js(&p, path, code);
  find f = {p.jf, value, {{0}, NULL, NULL}};
  rl_js_walk(rl_tree_root(p.tree), find_string, &f);
  if (ts_node_is_null(f.found)) fail_msg("no string '%s' in: %s", value, code);
  rl_binding b;
  int ok = rl_bound_name(p.jf, f.found, &b);
  if (!want_name) {
    if (ok) fail_msg("'%s' should be bound to nothing, got '%.*s' in: %s", value, (int)b.name_len, b.name, code);
  } else {
    if (!ok) fail_msg("'%s' should be bound to '%s' in: %s", value, want_name, code);
    if (b.name_len != strlen(want_name) || memcmp(b.name, want_name, b.name_len) != 0)
      fail_msg("'%s': name '%.*s', want '%s' in: %s", value, (int)b.name_len, b.name, want_name, code);
    if (b.display_len != strlen(want_display) || memcmp(b.display, want_display, b.display_len) != 0)
      fail_msg("'%s': display '%.*s', want '%s' in: %s", value, (int)b.display_len, b.display, want_display, code);
  }
  parsed_free(&p);
}

static void rules_bindname__bound_names(void **state) {
  (void)state;
  expect_binding("a.js", "const APP_SECRET = 'v1';", "v1", "APP_SECRET", "APP_SECRET");
  expect_binding("a.js", "config.appSecret = 'v2';", "v2", "appSecret", "config.appSecret");
  expect_binding("a.js", "cfg['app_secret'] = 'v3';", "v3", "app_secret", "cfg['app_secret']");
  expect_binding("a.js", "const o = { apiSecret: 'v4' };", "v4", "apiSecret", "apiSecret");
  expect_binding("a.js", "const o = { 'api-secret': 'v5' };", "v5", "api-secret", "api-secret");
  expect_binding("a.js", "class C { appSecret = 'v6'; }", "v6", "appSecret", "appSecret");
  expect_binding("a.ts", "class C { private appSecret: string = 'v7'; }", "v7", "appSecret", "appSecret");
  expect_binding("a.js", "function f(appSecret = 'v8') {}", "v8", "appSecret", "appSecret");
  expect_binding("a.ts", "function f(appSecret: string = 'v9') {}", "v9", "appSecret", "appSecret");
  expect_binding("a.js", "const { appSecret = 'v10' } = opts;", "v10", "appSecret", "appSecret");
  expect_binding("a.jsx", "const el = <Room appSecret=\"v11\" />;", "v11", "appSecret", "appSecret");
  expect_binding("a.tsx", "const el = <Room appSecret=\"v12\" />;", "v12", "appSecret", "appSecret");
  expect_binding("a.tsx", "const el = <Room appSecret={'v12b'} />;", "v12b", "appSecret", "appSecret");
  /* looked through: parentheses, as, ?:, ||, ?? and the left of + */
  expect_binding("a.ts", "const API_URL = ('v13' as string);", "v13", "API_URL", "API_URL");
  expect_binding("a.js", "const API_URL = dev ? 'v14' : 'v15';", "v15", "API_URL", "API_URL");
  expect_binding("a.js", "const url = 'v16' + path;", "v16", "url", "url");
  expect_binding("a.js", "const k = process.env.HMS_SECRET ?? 'v17';", "v17", "k", "k");
  /* a fallback with no binding of its own takes the variable's name */
  expect_binding("a.js", "sign(p, process.env.HMS_APP_SECRET || 'v18');", "v18", "HMS_APP_SECRET", "HMS_APP_SECRET");
  /* not bound: call arguments, the right of +, a ?: condition, keys */
  expect_binding("a.js", "fetch('v19');", "v19", NULL, NULL);
  expect_binding("a.js", "const url = base + 'v20';", "v20", NULL, NULL);
  expect_binding("a.js", "const x = 'v21' ? a : b;", "v21", NULL, NULL);
  expect_binding("a.js", "const o = { 'v22': 1 };", "v22", NULL, NULL);
}

static void rules_bindname__call_holder(void **state) {
  (void)state;
  parsed p;
  parse_js(&p, "a.js", "const ws = new WebSocket(('ws://x.io/' + id));");
  find f = {p.jf, "ws://x.io/", {{0}, NULL, NULL}};
  rl_js_walk(rl_tree_root(p.tree), find_string, &f);
  assert_false(ts_node_is_null(f.found));
  rl_binding b;
  assert_int_equal(rl_bound_name(p.jf, f.found, &b), 0);
  /* the rule sees the whole argument and the arguments node */
  assert_string_equal(ts_node_type(b.holder), "arguments");
  assert_string_equal(ts_node_type(b.value), "parenthesized_expression");
  parsed_free(&p);
}

/* ---- what the rules print ------------------------------------------------------------ */

static rl_file_result *scan(rl_engine *e, const char *path, const char *code) {
  return rl_engine_scan_buffer(e, path, NULL, code, strlen(code));
}

static const rl_finding *only_finding(const rl_file_result *r, const char *rule) {
  const rl_finding *f = NULL;
  for (size_t i = 0; i < r->nfindings; i++) {
    if (strcmp(r->findings[i].rule->id, rule) != 0) continue;
    if (f) fail_msg("%s: more than one %s finding", r->path, rule);
    f = &r->findings[i];
  }
  if (!f) fail_msg("%s: no %s finding", r->path, rule);
  return f;
}

#define APP_SECRET                                                                                                     \
  "56yL52r661EzbrHDm3u6rMGFfhfkrN4sReQjIdHDUilqTs98QmbjtFxRBtUosmK_tIUdRaksMuapVaVDxJaOrpK-c_Lzw1argJ9uih75Vja8cJThRS" \
  "nAy8tl_wuunCUJQP-nsv949Ec9zTSyn7xq9Yla15yBgEZNWFx4fCanUQs="

static void rules_bindname__secrets_masked(void **state) {
  (void)state;
  rl_engine_config cfg = {0};
  cfg.jobs = 1;
  rl_engine *e = NULL;
  assert_int_equal(rl_engine_new(&e, &cfg), 0);

  rl_file_result *r = scan(e, "lib/hms.ts", "export const HMS_APP_SECRET = '" APP_SECRET "';\n");
  const rl_finding *f = only_finding(r, "hardcoded-secret");
  assert_string_equal(f->message, "100ms app secret hard-coded in 'HMS_APP_SECRET' (56yL…(172 chars))");
  assert_null(strstr(f->snippet, "Ec9zTSyn7xq9"));
  assert_non_null(strstr(f->snippet, "56yL…(172 chars)"));
  rl_file_result_free(r);

  r = scan(e, "server/a.js", "const cfg = { apiSecret: 'kF3nR8tW1qZ6xB4mP9vL2cH7jD0sG5yA3eU1iO8rTq' };\n");
  f = only_finding(r, "hardcoded-secret");
  assert_string_equal(f->message, "credential hard-coded in 'apiSecret' (kF3n…(42 chars))");
  assert_null(strstr(f->snippet, "xB4mP9vL2c"));
  rl_file_result_free(r);

  /* a secret in a public variable's value is masked in the dotenv snippet */
  r = scan(e, ".env", "NEXT_PUBLIC_HMS_APP_SECRET=Vq3mT8xR2pL9wK4zN7bY1cF6hJ0dS5gA8eU2iO4r\n");
  f = only_finding(r, "public-env-secret");
  assert_string_equal(f->message, "secret 'NEXT_PUBLIC_HMS_APP_SECRET' is defined with the NEXT_PUBLIC_ prefix, which "
                                  "bundlers inline into client code");
  assert_null(strstr(f->snippet, "pL9wK4zN7bY1"));
  rl_file_result_free(r);
  rl_engine_free(e);
}

static void rules_bindname__url_messages(void **state) {
  (void)state;
  rl_engine_config cfg = {0};
  cfg.jobs = 1;
  rl_engine *e = NULL;
  assert_int_equal(rl_engine_new(&e, &cfg), 0);

  /* the message names the URL and the call, without credentials or query */
  rl_file_result *r = scan(
      e, "src/api.js", "fetch('http://admin:hunter22@api.myapp.io/token?key=s3cr3tValue#x', { method: 'POST' });\n");
  const rl_finding *f = only_finding(r, "insecure-http-url");
  assert_string_equal(f->message, "plain http:// endpoint 'http://api.myapp.io/token' passed to fetch()");
  assert_null(strstr(f->snippet, "hunter22"));
  assert_non_null(strstr(f->snippet, "@api.myapp.io"));
  rl_file_result_free(r);

  r = scan(e, ".env.production", "API_URL=\"http://svc:pa55w0rd-xyz@api.myapp.io/v1\"\n");
  f = only_finding(r, "insecure-http-url");
  assert_string_equal(f->message, "plain http:// endpoint 'http://api.myapp.io/v1' in 'API_URL'");
  assert_null(strstr(f->snippet, "pa55w0rd"));
  rl_file_result_free(r);

  r = scan(e, "src/room.js",
           "import { Room } from 'livekit-client';\nconst room = new Room();\n"
           "await room.connect(`ws://lk.myapp.io:7880/${region}`, token);\n");
  f = only_finding(r, "insecure-http-url");
  assert_string_equal(f->message, "plain ws:// endpoint 'ws://lk.myapp.io:7880/${…}' passed to room.connect()");
  assert_int_equal(f->start_line, 3);
  rl_file_result_free(r);

  /* the same call against loopback, a LAN address or a compose service: nothing */
  r = scan(e, "src/dev.js",
           "fetch('http://127.0.0.1:8080/t'); fetch('http://[::1]/t'); fetch('http://10.0.0.7/t');\n"
           "fetch('http://tokend:8080/t'); fetch('http://app.localhost/t'); fetch('http://a.example.org/');\n");
  for (size_t i = 0; i < r->nfindings; i++)
    if (strcmp(r->findings[i].rule->id, "insecure-http-url") == 0) fail_msg("unexpected: %s", r->findings[i].message);
  rl_file_result_free(r);
  rl_engine_free(e);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(rules_bindname__words_split),  cmocka_unit_test(rules_bindname__bound_names),
      cmocka_unit_test(rules_bindname__call_holder),  cmocka_unit_test(rules_bindname__secrets_masked),
      cmocka_unit_test(rules_bindname__url_messages), cmocka_unit_test(rules_bindname__function_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
