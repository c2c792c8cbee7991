/* permissive-cors on an echoed Origin: which values count as the request's
 * Origin, which tests around the header count as an allow-list, and what the
 * message says. */
#include "rltest.h"

#include <string.h>

#include "engine.h"

#define HEAD                                                                                                           \
  "const express = require('express');\n"                                                                              \
  "const { requireAuth } = require('./auth');\n"                                                                       \
  "const app = express();\n"
#define ROUTE "app.post('/api/token', requireAuth, (req, res) => res.json({ token: mint(req.user) }));\n"

typedef struct cors_case {
  const char *code; /* between HEAD and ROUTE */
  int want;         /* findings of permissive-cors */
} cors_case;

static const cors_case cases[] = {
    {"app.use((req, res, next) => { res.header('Access-Control-Allow-Origin', req.headers.origin); next(); });\n", 1},
    {"app.use((req, res, next) => { res.set('ACCESS-CONTROL-ALLOW-ORIGIN', req.query.origin); next(); });\n", 1},
    {"app.use((req, res, next) => { res.setHeader('access-control-allow-origin', req.get('Origin')); next(); });\n", 1},
    {"app.use((req, res, next) => { res.header('Access-Control-Allow-Origin', req.header('origin') || '*'); next(); "
     "});\n",
     1},
    {"app.use((req, res, next) => { res.writeHead(204, { 'Access-Control-Allow-Origin': String(req.headers.origin) "
     "}); next(); });\n",
     1},
    /* a presence test checks nothing */
    {"app.use((req, res, next) => { if (req.headers.origin) res.header('Access-Control-Allow-Origin', "
     "req.headers.origin); next(); });\n",
     1},
    /* near misses: an allow-list lookup, a comparison, a fixed origin, another header */
    {"app.use((req, res, next) => { if (ok.includes(req.headers.origin)) res.header('Access-Control-Allow-Origin', "
     "req.headers.origin); next(); });\n",
     0},
    {"app.use((req, res, next) => { if (req.headers.origin === process.env.WEB) res.header('Access-Control-Allow-"
     "Origin', req.headers.origin); next(); });\n",
     0},
    {"app.use((req, res, next) => { res.header('Access-Control-Allow-Origin', 'https://meet.example.com'); next(); "
     "});\n",
     0},
    {"app.use((req, res, next) => { res.header('Vary', req.headers.origin); next(); });\n", 0},
    {"app.use((req, res, next) => { res.header('Access-Control-Allow-Origin', req.headers.referer); next(); });\n", 0},
    /* through a local; guarded by an earlier test that leaves */
    {"app.use((req, res, next) => { const o = req.headers.origin; res.header('Access-Control-Allow-Origin', o); "
     "next(); });\n",
     1},
    {"app.use((req, res, next) => { const o = req.headers.origin; if (!ok.has(o)) return next(); "
     "res.header('Access-Control-Allow-Origin', o); next(); });\n",
     0},
    /* mounted on another path: the token route is not covered */
    {"app.use('/public', (req, res, next) => { res.header('Access-Control-Allow-Origin', req.headers.origin); "
     "next(); });\n",
     0},
};

static size_t count(const rl_file_result *r, const char **msg) {
  size_t n = 0;
  for (size_t i = 0; i < r->nfindings; i++)
    if (!strcmp(r->findings[i].rule->id, "permissive-cors")) {
      n++;
      *msg = r->findings[i].message;
    }
  return n;
}

static void cors__echoed_origin(void **state) {
  (void)state;
  rl_engine_config cfg = {0};
  cfg.jobs = 1;
  rl_engine *e = NULL;
  assert_int_equal(rl_engine_new(&e, &cfg), 0);
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char code[1024];
    snprintf(code, sizeof code, "%s%s%s", HEAD, cases[i].code, ROUTE);
    rl_file_result *r = rl_engine_scan_buffer(e, "server/index.js", NULL, code, strlen(code));
    assert_non_null(r);
    const char *msg = "";
    size_t n = count(r, &msg);
    if ((int)n != cases[i].want) fail_msg("case %zu: %zu findings, want %d:\n%s", i, n, cases[i].want, cases[i].code);
    if (n && ((!strstr(msg, "request's Origin") && !strstr(msg, "an origin the request chooses")) ||
              !strstr(msg, "POST /api/token")))
      fail_msg("case %zu: message '%s' names neither the echo nor the route", i, msg);
    rl_file_result_free(r);
  }
  rl_engine_free(e);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(cors__echoed_origin),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
