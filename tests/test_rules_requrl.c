/* rules/requrl.c: the URL, method and payload of a request, as the rules
 * that judge requests by where they go see them. */
#include "rltest.h"
#include "support/parsed.h"

#include <string.h>

#include "analysis.h"
#include "arena.h"
#include "parse.h"
#include "requrl.h"
#include "source.h"

typedef struct find {
  rl_jsfile *jf;
  const char *callee; /* the callee's source text */
  TSNode found;
} find;

static int find_call(void *data, TSNode n) {
  find *f = data;
  if (strcmp(ts_node_type(n), "call_expression") != 0) return 0;
  if (rl_js_text_is(f->jf, ts_node_child_by_field_name(n, "function", 8), f->callee)) {
    f->found = n;
    return -1;
  }
  return 0;
}

/* The request made by the first call of `callee` in code: want_url with "$"
 * for unknown parts, want_method NULL for "not said"; want_url NULL means
 * "not a request". */
static void expect_request(const char *code, const char *callee, const char *want_url, const char *want_method) {
  parsed p;
  parse_js(&p, "src/a.ts", code);
  find f = {p.jf, callee, {{0}, NULL, NULL}};
  rl_js_walk(rl_tree_root(p.tree), find_call, &f);
  if (ts_node_is_null(f.found)) fail_msg("no call of %s in: %s", callee, code);
  rl_request r;
  int ok = rl_request_parse(p.jf, f.found, &r);
  if (!want_url) {
    if (ok) fail_msg("%s should not be a request in: %s", callee, code);
    parsed_free(&p);
    return;
  }
  if (!ok) fail_msg("%s should be a request in: %s", callee, code);
  char got[256];
  size_t n = r.url_len < sizeof got - 1 ? r.url_len : sizeof got - 1;
  for (size_t i = 0; i < n; i++) got[i] = r.url[i] == RL_URL_SUB ? '$' : r.url[i];
  got[n] = '\0';
  if (strcmp(got, want_url) != 0) fail_msg("url '%s', want '%s' in: %s", got, want_url, code);
  if (!want_method != !r.method || (want_method && strcmp(want_method, r.method) != 0))
    fail_msg("method '%s', want '%s' in: %s", r.method ? r.method : "(none)", want_method ? want_method : "(none)",
             code);
  parsed_free(&p);
}

static void rules_requrl__urls(void **state) {
  (void)state;
  expect_request("fetch('https://api.100ms.live/v2/rooms', { method: 'POST' });", "fetch",
                 "https://api.100ms.live/v2/rooms", "POST");
  expect_request("const B = 'https://h.io/v2'; fetch(`${B}/rooms/${id}`);", "fetch", "https://h.io/v2/rooms/$", "GET");
  expect_request("fetch(BASE + '/token?role=' + role);", "fetch", "$/token?role=$", "GET");
  /* this.baseUrl set in the constructor, and as a class field */
  expect_request("class S { constructor() { this.baseUrl = 'https://h.io/v2'; }\n"
                 "  go() { return fetch(`${this.baseUrl}/rooms`); } }",
                 "fetch", "https://h.io/v2/rooms", "GET");
  expect_request("class S { base = 'https://h.io'; go() { return fetch(this.base + '/x'); } }", "fetch",
                 "https://h.io/x", "GET");
  /* obj.x of a const object literal */
  expect_request("const cfg = { api: 'https://h.io' }; fetch(`${cfg.api}/t`);", "fetch", "https://h.io/t", "GET");
  /* an unknown prefix keeps its place */
  expect_request("import { TOKEN_SERVER } from './config'; fetch(`${TOKEN_SERVER}/api/token`);", "fetch", "$/api/token",
                 "GET");
}

static void rules_requrl__axios(void **state) {
  (void)state;
  expect_request("import axios from 'axios'; axios.post('/api/token', { role });", "axios.post", "/api/token", "POST");
  expect_request("import axios from 'axios'; const api = axios.create({ baseURL: 'https://h.io/v2' });\n"
                 "api.get('/sessions');",
                 "api.get", "https://h.io/v2/sessions", "GET");
  /* an absolute URL ignores the instance's baseURL */
  expect_request("import axios from 'axios'; const api = axios.create({ baseURL: 'https://h.io/v2' });\n"
                 "api.get('https://other.io/x');",
                 "api.get", "https://other.io/x", "GET");
  expect_request("import axios from 'axios'; axios({ url: '/rooms', baseURL: 'https://h.io', method: 'put' });",
                 "axios", "https://h.io/rooms", "PUT");
  /* a config object without url is not a request */
  expect_request("import axios from 'axios'; axios.create({ baseURL: 'https://h.io' });", "axios.create", NULL, NULL);
}

static void rules_requrl__not_requests(void **state) {
  (void)state;
  expect_request("console.log('https://api.100ms.live/v2/rooms');", "console.log", NULL, NULL);
  expect_request("url.startsWith('https://api.100ms.live/v2');", "url.startsWith", NULL, NULL);
  expect_request("params.set('role', role);", "params.set", NULL, NULL);
  expect_request("fetch();", "fetch", NULL, NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(rules_requrl__urls),
      cmocka_unit_test(rules_requrl__axios),
      cmocka_unit_test(rules_requrl__not_requests),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
