/* facts/exports.c: what one file exports (constants, functions that return
 * secrets or mint tokens), re-exports followed across a few parsed files,
 * what an importer names, and constant folding through imports. The
 * "project" here is a table of parsed snippets keyed by specifier: the real
 * module resolution is src/project.c's and has tests of its own. */
#include "rltest.h"
#include "support/parsed.h"

#include <string.h>

#include "analysis.h"
#include "exports.h"
#include "mint.h"

#define MAX_FILES 6

typedef struct project {
  const char *specs[MAX_FILES];
  parsed files[MAX_FILES];
  rl_exports exports[MAX_FILES];
  int done[MAX_FILES];
  size_t n;
  int opens;
} project;

static const rl_exports *open_module(void *data, const void *from, const char *spec, const void **file);

static const rl_export *lookup(void *data, const char *spec, const char *path, const char **file);

/* The exports of file i, extracted on first need (lazily, as the model does). */
static const rl_exports *exports_of(project *pr, size_t i) {
  if (!pr->done[i]) {
    pr->done[i] = 1;
    rl_exports_extract(pr->files[i].jf, &pr->exports[i]);
  }
  return &pr->exports[i];
}

static const rl_exports *open_module(void *data, const void *from, const char *spec, const void **file) {
  project *pr = data;
  (void)from;
  pr->opens++;
  for (size_t i = 0; i < pr->n; i++)
    if (!strcmp(pr->specs[i], spec)) {
      *file = &pr->files[i];
      return exports_of(pr, i);
    }
  return NULL;
}

static const rl_export *lookup(void *data, const char *spec, const char *path, const char **file) {
  const void *f = NULL, *where = NULL;
  const rl_exports *x = open_module(data, NULL, spec, &f);
  if (!x) return NULL;
  const rl_export *e = rl_exports_resolve(x, f, path, open_module, data, &where);
  if (e && where) *file = ((const parsed *)where)->src.path;
  return e;
}

static void add_file(project *pr, const char *spec, const char *path, const char *code) {
  assert_true(pr->n < MAX_FILES);
  pr->specs[pr->n] = spec;
  parse_js(&pr->files[pr->n], path, code);
  rl_jsfile_set_imports(pr->files[pr->n].jf, lookup, pr);
  pr->n++;
}

static void project_free(project *pr) {
  for (size_t i = 0; i < pr->n; i++) parsed_free(&pr->files[i]);
}

/* "name=kind:value" for each export, ';'-joined: VALUE shows the folded
 * number or 'string' (or ? when unknown), FUNCTION its effects (S secret,
 * M management token, T token, K mints with a key), FROM spec/name. */
static void describe(const rl_exports *x, char *out, size_t cap) {
  out[0] = '\0';
  for (size_t i = 0; i < x->n; i++) {
    const rl_export *e = &x->v[i];
    size_t l = strlen(out);
    char v[96];
    if (e->kind == RL_EXPORT_VALUE) {
      if (e->has_num)
        snprintf(v, sizeof v, "%g", e->num);
      else if (e->has_str)
        snprintf(v, sizeof v, "'%.*s'", (int)e->str_len, e->str);
      else
        snprintf(v, sizeof v, "?");
    } else if (e->kind == RL_EXPORT_FUNCTION) {
      snprintf(v, sizeof v, "fn%s%s%s%s", e->effects & RL_FX_RETURNS_SECRET ? "S" : "",
               e->effects & RL_FX_RETURNS_MGMT_TOKEN ? "M" : "", e->effects & RL_FX_RETURNS_TOKEN ? "T" : "",
               e->effects & RL_FX_MINTS_WITH_SECRET ? "K" : "");
    } else {
      snprintf(v, sizeof v, "%s/%s", e->from, e->from_name);
    }
    snprintf(out + l, cap - l, "%s%s=%s", i ? ";" : "", e->name, v);
  }
}

static void expect_exports(const char *path, const char *code, const char *want) {
  project pr;
  memset(&pr, 0, sizeof pr);
  add_file(&pr, "./self", path, code);
  char got[1024];
  describe(exports_of(&pr, 0), got, sizeof got);
  project_free(&pr);
  if (strcmp(got, want) != 0) fail_msg("exports of:\n%s\ngot  '%s'\nwant '%s'", code, got, want);
}

static void exports__constants(void **state) {
  (void)state;
  expect_exports("constants.ts", "export const TOKEN_TTL = 30 * 24 * 3600;\nexport const ROOM = 'lobby';\n",
                 "TOKEN_TTL=2.592e+06;ROOM='lobby'");
  /* a let may change before an importer reads it; a computed value is unknown */
  expect_exports("c.js", "export let TTL = 3600;\nexport const N = Number(process.env.N);\n", "N=?");
  expect_exports("c.js", "const DAY = 86400;\nexport const WEEK = 7 * DAY;\nconst T = '2h';\nexport { T as JWT_TTL, DAY };\n",
                 "WEEK=604800;JWT_TTL='2h';DAY=86400");
  /* config objects, flattened */
  expect_exports("config.js", "export default { jwt: { expiresIn: '30d', secret: process.env.JWT_SECRET }, port: 3000 };",
                 "port=3000;jwt.expiresIn='30d';jwt.secret=?");
  expect_exports("env.ts", "const env = { jwtExpiresIn: process.env.JWT_EXPIRES_IN || '7d', ttl: 60 * 60 };\nexport default env;\n",
                 "jwtExpiresIn=?;ttl=3600");
  expect_exports("cfg.js", "module.exports = { TTL: 3600, TOKEN: { ACCESS: '15m' } };\nexports.X = '1h';\nmodule.exports.Y = 5;\n",
                 "TTL=3600;TOKEN.ACCESS='15m';X='1h';Y=5");
  /* a name bound twice at the top is not followed */
  expect_exports("c.js", "var T = 1;\nvar T = 2;\nexport { T };\n", "");
}

static void exports__reexports(void **state) {
  (void)state;
  expect_exports("index.ts",
                 "export { TOKEN_TTL } from './constants';\nexport * from './jwt';\nexport * as cfg from './config';\n"
                 "export { default as Svc } from './svc';\nmodule.exports = require('./legacy');\n",
                 "TOKEN_TTL=./constants/TOKEN_TTL;*=./jwt/*;cfg=./config/*;Svc=./svc/;=./legacy/*");
  expect_exports("index.ts", "import { TTL } from './c';\nexport { TTL };\n", "TTL=./c/TTL");
}

static void exports__functions(void **state) {
  (void)state;
  expect_exports("token.js",
                 "const jwt = require('jsonwebtoken');\n"
                 "function getManagementToken() {\n"
                 "  return jwt.sign({ access_key: k, type: 'management', version: 2 }, process.env.HMS_SECRET,\n"
                 "                  { expiresIn: '24h' });\n"
                 "}\n"
                 "const getSecret = () => process.env.HMS_SECRET;\n"
                 "const getRoomId = () => process.env.HMS_ROOM_ID;\n"
                 "function appToken(room) { const t = jwt.sign({ room_id: room, type: 'app' }, process.env.HMS_SECRET); return t; }\n"
                 "module.exports = { getManagementToken, getSecret, getRoomId, appToken };\n",
                 "getManagementToken=fnMK;getSecret=fnS;getRoomId=fn;appToken=fnTK");
  /* a class instance as the default export; a private helper signs */
  expect_exports("svc.js",
                 "import jwt from 'jsonwebtoken';\n"
                 "class TokenService {\n"
                 "  static #secret = process.env.APP_SECRET;\n"
                 "  getManagementToken() { return this.#sign({ type: 'management', access_key: k }); }\n"
                 "  #sign(p) { return jwt.sign(p, TokenService.#secret, { expiresIn: '1h' }); }\n"
                 "  roomId() { return this.room; }\n"
                 "}\n"
                 "export default new TokenService();\n",
                 "getManagementToken=fnTK;roomId=fn");
  /* a named class: its methods, by class name; a helper that calls a helper */
  expect_exports("svc.ts",
                 "import { HMSSDK } from '@100mslive/server-sdk';\n"
                 "const sdk = new HMSSDK(process.env.HMS_ACCESS_KEY, process.env.HMS_SECRET);\n"
                 "function mgmt() { return sdk.auth.getManagementToken(); }\n"
                 "function twice() { return mgmt(); }\n"
                 "export class Hms { token() { return twice(); } static key() { return process.env.HMS_SECRET ?? ''; } }\n",
                 "Hms.token=fnMK;Hms.key=fnS");
  /* a returned function value is not a return of the outer one */
  expect_exports("x.js", "export function f() { return () => process.env.APP_SECRET; }\n", "f=fn");
  expect_exports("x.js", "export const svc = { key() { return process.env.API_SECRET; }, id: 'x' };\n",
                 "svc.key=fnS;svc.id='x'");
}

/* Positions point at the mint site, and messages' values are shown as written. */
static void exports__positions(void **state) {
  (void)state;
  project pr;
  memset(&pr, 0, sizeof pr);
  add_file(&pr, "./t", "lib/t.js",
           "import jwt from 'jsonwebtoken';\n"
           "export const TTL = 30 * 24 * 3600;\n"
           "export function mint(room) {\n"
           "  const secret = 'abcdefghijklmnop1234';\n"
           "  return jwt.sign({ room_id: room }, secret);\n"
           "}\n");
  const rl_exports *x = exports_of(&pr, 0);
  const rl_export *ttl = rl_exports_find(x, "TTL"), *mint = rl_exports_find(x, "mint");
  assert_non_null(ttl);
  assert_non_null(mint);
  assert_int_equal(ttl->line, 2);
  assert_string_equal(ttl->text, "30 * 24 * 3600");
  assert_int_equal(mint->line, 3);
  assert_int_equal(mint->at_line, 5);
  assert_string_equal(mint->mint, "jsonwebtoken sign()");
  assert_string_equal(mint->key, "a hardcoded key"); /* never the secret itself */
  project_free(&pr);
}

static void exports__follow(void **state) {
  (void)state;
  project pr;
  memset(&pr, 0, sizeof pr);
  add_file(&pr, "./constants", "constants.ts", "export const TOKEN_TTL = 30 * 24 * 3600;\nexport const HOUR = 3600;\n");
  add_file(&pr, "./lib", "lib/index.ts", "export * from './constants';\nexport { HOUR as ONE_HOUR } from './constants';\n");
  add_file(&pr, "./a", "a.ts", "export * from './b';\n");
  add_file(&pr, "./b", "b.ts", "export * from './a';\nexport const B = 2;\n"); /* a cycle */
  add_file(&pr, "./app", "app.ts",
           "import jwt from 'jsonwebtoken';\n"
           "import { TOKEN_TTL, ONE_HOUR } from './lib';\n"
           "import * as c from './constants';\n"
           "import { NOPE } from './a';\n"
           "jwt.sign(p, s, { expiresIn: TOKEN_TTL });\n"
           "jwt.sign(p, s, { expiresIn: ONE_HOUR });\n"
           "jwt.sign(p, s, { expiresIn: c.HOUR * 2 });\n"
           "jwt.sign(p, s, { expiresIn: NOPE });\n");
  parsed *app = &pr.files[4];
  rl_mint m[4];
  size_t nm = 0;
  TSNode root = rl_jsfile_root(app->jf);
  for (uint32_t i = 0; i < ts_node_named_child_count(root); i++) {
    TSNode s = ts_node_named_child(root, i);
    if (strcmp(ts_node_type(s), "expression_statement")) continue;
    if (nm < 4 && rl_mint_match(app->jf, ts_node_named_child(s, 0), &m[nm])) nm++;
  }
  assert_int_equal(nm, 4);
  static const double want[] = {2592000, 3600, 7200, -1};
  for (size_t i = 0; i < 4; i++) {
    rl_lifetime l;
    rl_mint_lifetime(app->jf, &m[i], &l);
    assert_int_equal(l.state, RL_LIFE_SET);
    if (want[i] < 0) {
      assert_false(l.known); /* the cycle ends in unknown */
    } else {
      assert_true(l.known);
      assert_true(l.seconds == want[i]);
    }
  }
  const char *file;
  TSNode ttl = rl_js_call_arg(ts_node_named_child(ts_node_named_child(root, 4), 0), 2);
  const rl_export *e = rl_js_imported(app->jf, ts_node_named_child(ts_node_named_child(ttl, 0), 1), &file);
  assert_non_null(e);
  assert_string_equal(file, "constants.ts");
  assert_int_equal(e->line, 1);
  assert_true(pr.opens < 200); /* the cycle is bounded */
  project_free(&pr);
}

static void expect_ref(const char *code, const char *callee_text, const char *want_spec, const char *want_path) {
  parsed p;
  parse_js(&p, "a.ts", code);
  const char *src = p.src.bytes;
  const char *at = strstr(src, callee_text);
  assert_non_null(at);
  TSNode n = ts_node_descendant_for_byte_range(rl_jsfile_root(p.jf), (uint32_t)(at - src),
                                               (uint32_t)(at - src + strlen(callee_text)));
  while (!ts_node_is_null(n) && strcmp(ts_node_type(n), "call_expression")) n = ts_node_parent(n);
  const char *spec = NULL, *path = NULL;
  int ok = rl_js_import_ref(p.jf, n, &spec, &path);
  if (!want_spec) {
    if (ok) fail_msg("%s: wanted no import, got %s %s", callee_text, spec, path);
  } else if (!ok || strcmp(spec, want_spec) || strcmp(path, want_path)) {
    fail_msg("%s: got %s %s, want %s %s", callee_text, ok ? spec : "-", ok ? path : "-", want_spec, want_path);
  }
  parsed_free(&p);
}

static void exports__import_refs(void **state) {
  (void)state;
  expect_ref("import tokenService from './services/token';\nconsole.log(tokenService.getManagementToken());",
             "tokenService.getManagementToken", "./services/token", "getManagementToken");
  expect_ref("const { mint } = require('../lib/mint');\nmint(room);", "mint(room", "../lib/mint", "mint");
  expect_ref("import { TokenService } from './t';\nconst t = new TokenService();\nt.get();", "t.get", "./t",
             "TokenService.get");
  expect_ref("import { TokenService } from './token.service';\n"
             "export class C { constructor(private readonly tokens: TokenService) {}\n"
             "  a() { return this.tokens.getManagementToken(); } }",
             "this.tokens.getManagementToken", "./token.service", "TokenService.getManagementToken");
  expect_ref("import Svc from './svc';\nclass C { svc = new Svc();\n  a() { return this.svc.token(); } }",
             "this.svc.token", "./svc", "token");
  /* near misses: a local object, an untyped parameter */
  expect_ref("const svc = { token() {} };\nsvc.token();", "svc.token", NULL, NULL);
  expect_ref("class C { constructor(tokens) { this.tokens = tokens; }\n a() { return this.tokens.get(); } }",
             "this.tokens.get", NULL, NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(exports__constants), cmocka_unit_test(exports__reexports),
      cmocka_unit_test(exports__functions), cmocka_unit_test(exports__positions),
      cmocka_unit_test(exports__follow),    cmocka_unit_test(exports__import_refs),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
