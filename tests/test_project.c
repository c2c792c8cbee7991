/* The project model (src/model.c, facts/summary.c) over real trees built
 * under a fresh mkdtemp directory: resolution, the walk's policy for the
 * files it reads, and the summaries joined across files. */
#if !defined(_GNU_SOURCE) && !defined(_XOPEN_SOURCE)
#define _XOPEN_SOURCE 700 /* nftw */
#endif
#include "rltest.h"

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model.h"
#include "util.h"

typedef struct tree {
  char dir[PATH_MAX];
} tree;

static void tree_new(tree *t) {
  char tmpl[] = "/tmp/rl-project-XXXXXX";
  assert_non_null(mkdtemp(tmpl));
  assert_non_null(realpath(tmpl, t->dir));
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st;
  (void)ftw;
  if (flag == FTW_DP || flag == FTW_D)
    rmdir(path);
  else
    unlink(path);
  return 0;
}

static void tree_free(tree *t) { nftw(t->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS); }

static const char *at(const tree *t, const char *rel) {
  static char buf[16][PATH_MAX];
  static int k;
  k = (k + 1) % 16;
  assert_true(strlen(t->dir) + 1 + strlen(rel) < PATH_MAX);
  int w = snprintf(buf[k], PATH_MAX, "%s/%s", t->dir, rel);
  assert_true(w > 0 && w < PATH_MAX);
  return buf[k];
}

static void put(const tree *t, const char *rel, const char *text) {
  char p[PATH_MAX];
  snprintf(p, sizeof p, "%s", at(t, rel));
  for (char *s = p + strlen(t->dir) + 1; *s; s++) {
    if (*s != '/') continue;
    *s = '\0';
    if (mkdir(p, 0755) != 0) assert_int_equal(errno, EEXIST);
    *s = '/';
  }
  FILE *f = fopen(p, "wb");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static rl_project *project_for(const tree *t, const rl_project_options *o) {
  rl_project_options d = {0};
  rl_project *p = rl_project_new(o ? o : &d);
  const char *root = t->dir;
  rl_project_set_roots(p, &root, 1);
  return p;
}

/* The file spec resolves to from `from`, relative to the tree ("" when
 * unresolved). */
static const char *resolve(rl_project *p, const tree *t, const char *from, const char *spec) {
  const char *r = rl_project_resolve(p, at(t, from), spec, strlen(spec));
  if (!r) return "";
  size_t k = strlen(t->dir);
  assert_true(!strncmp(r, t->dir, k) && r[k] == '/');
  return r + k + 1;
}

static void project__relative_extensions_and_index(void **state) {
  (void)state;
  tree t;
  tree_new(&t);
  put(&t, "app.js", "");
  put(&t, "lib/auth.ts", "");
  put(&t, "lib/ui.tsx", "");
  put(&t, "lib/rooms/index.js", "");
  put(&t, "lib/esm.mjs", "");
  put(&t, "lib/notes.md", "");
  put(&t, "src/deep/file.js", "");
  rl_project *p = project_for(&t, NULL);
  assert_string_equal(resolve(p, &t, "app.js", "./lib/auth"), "lib/auth.ts");
  assert_string_equal(resolve(p, &t, "app.js", "./lib/ui"), "lib/ui.tsx");
  assert_string_equal(resolve(p, &t, "app.js", "./lib/rooms"), "lib/rooms/index.js");
  assert_string_equal(resolve(p, &t, "app.js", "./lib/esm"), "lib/esm.mjs");
  /* TypeScript projects write './auth.js' for './auth.ts' */
  assert_string_equal(resolve(p, &t, "app.js", "./lib/auth.js"), "lib/auth.ts");
  assert_string_equal(resolve(p, &t, "src/deep/file.js", "../../lib/auth"), "lib/auth.ts");
  assert_string_equal(resolve(p, &t, "app.js", "./lib/notes.md"), "");
  assert_string_equal(resolve(p, &t, "app.js", "./lib/missing"), "");
  assert_string_equal(resolve(p, &t, "app.js", "express"), "");
  assert_string_equal(resolve(p, &t, "app.js", "node:fs"), "");
  rl_project_free(p);
  tree_free(&t);
}

static void project__tsconfig_paths_baseurl_extends(void **state) {
  (void)state;
  tree t;
  tree_new(&t);
  put(&t, "web/tsconfig.json",
      "{\n  // Next.js writes comments\n  \"compilerOptions\": {\n    \"strict\": true,\n"
      "    \"paths\": { \"@/*\": [\"./src/*\"], \"#config\": [\"./config/index.ts\"], }, /* and trailing commas */\n"
      "  },\n}\n");
  put(&t, "web/src/lib/controller.ts", "");
  put(&t, "web/config/index.ts", "");
  put(&t, "web/src/app/api/stream/route.ts", "");
  /* baseUrl only, set in an extended file */
  put(&t, "api/tsconfig.base.json", "{ \"compilerOptions\": { \"baseUrl\": \"./src\" } }");
  put(&t, "api/tsconfig.json", "{ \"extends\": \"./tsconfig.base\", \"compilerOptions\": { \"outDir\": \"dist\" } }");
  put(&t, "api/src/services/rooms.ts", "");
  put(&t, "api/src/main.ts", "");
  /* a broken tsconfig is no tsconfig */
  put(&t, "bad/tsconfig.json", "{ \"compilerOptions\": { \"paths\": { \"@/*\": [\"./src/*\"] ");
  put(&t, "bad/src/x.ts", "");
  put(&t, "bad/a.ts", "");
  rl_project *p = project_for(&t, NULL);
  assert_string_equal(resolve(p, &t, "web/src/app/api/stream/route.ts", "@/lib/controller"),
                      "web/src/lib/controller.ts");
  assert_string_equal(resolve(p, &t, "web/src/app/api/stream/route.ts", "#config"), "web/config/index.ts");
  assert_string_equal(resolve(p, &t, "web/src/app/api/stream/route.ts", "@/lib/none"), "");
  assert_string_equal(resolve(p, &t, "api/src/main.ts", "services/rooms"), "api/src/services/rooms.ts");
  assert_string_equal(resolve(p, &t, "api/src/main.ts", "react"), ""); /* a package: no such file */
  assert_string_equal(resolve(p, &t, "bad/a.ts", "@/x"), "");
  rl_project_free(p);
  tree_free(&t);
}

/* No tsconfig/jsconfig: a bare path of the app's folder resolves when no
 * package of its first segment's name can be meant. */
static void project__bare_root_relative(void **state) {
  (void)state;
  tree t;
  tree_new(&t);
  put(&t, "package.json", "{ \"dependencies\": { \"next\": \"14\", \"kit\": \"1\" } }");
  /* kit/ is a dependency's name and lib/ an installed package's: the package is meant */
  static const char *const files[] = {"pages/api/join.js", "services/video/server.js",
                                      "kit/server.js",     "node_modules/lib/x/index.js",
                                      "lib/x.js",          "config.js"};
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) put(&t, files[i], "");
  rl_project *p = project_for(&t, NULL);
  assert_string_equal(resolve(p, &t, "pages/api/join.js", "services/video/server"), "services/video/server.js");
  assert_string_equal(resolve(p, &t, "pages/api/join.js", "kit/server"), "");
  assert_string_equal(resolve(p, &t, "pages/api/join.js", "lib/x"), "");
  assert_string_equal(resolve(p, &t, "pages/api/join.js", "config"), ""); /* one segment: a package's name */
  assert_string_equal(resolve(p, &t, "pages/api/join.js", "services/none"), "");
  rl_project_free(p);
  tree_free(&t);
}

static void project__policy_decides_what_is_read(void **state) {
  (void)state;
  tree t;
  tree_new(&t);
  put(&t, ".roomlintignore", "generated/\n");
  put(&t, "app.js", "");
  put(&t, "generated/client.js", "export const ttl = 60;\n");
  put(&t, "config-ignored.js", "export const ttl = 60;\n");
  put(&t, "big.js", "export const ttl = 60; // padding padding padding padding padding padding padding\n");
  put(&t, "ok.js", "export const TTL = 30 * 24 * 3600;\n");
  char outside[PATH_MAX + 16];
  snprintf(outside, sizeof outside, "%s-outside.js", t.dir);
  FILE *f = fopen(outside, "wb");
  assert_non_null(f);
  fputs("export const ttl = 60;\n", f);
  fclose(f);
  assert_int_equal(symlink(outside, at(&t, "linked.js")), 0);
  const char *const ig[] = {"config-ignored.js", NULL};
  rl_project_options o = {0};
  o.max_file_size = 64;
  o.extra_ignores = ig;
  o.extra_base = t.dir;
  rl_project *p = project_for(&t, &o);
  const char *why = NULL;
  static const char *const refused[] = {"./generated/client", "./config-ignored", "./linked", "./big"};
  for (size_t i = 0; i < RL_ARRAY_LEN(refused); i++) {
    const char *path = rl_project_resolve(p, at(&t, "app.js"), refused[i], strlen(refused[i]));
    assert_non_null(path);
    assert_null(rl_project_local(p, path, &why, NULL));
    assert_non_null(why);
  }
  /* only the oversize file was opened: ignore rules and links are judged first */
  assert_int_equal(rl_project_files_read(p), 1);
  const char *okp = rl_project_resolve(p, at(&t, "app.js"), "./ok", 4);
  assert_non_null(rl_project_local(p, okp, &why, NULL));
  /* read once, however often asked */
  assert_non_null(rl_project_local(p, okp, &why, NULL));
  assert_int_equal(rl_project_files_read(p), 2);
  rl_arena *a = rl_arena_new();
  const rl_symbol *s = rl_project_symbol(p, okp, "TTL", a, NULL);
  assert_non_null(s);
  assert_int_equal(s->kind, RL_SYM_CONST);
  assert_true(s->has_number && s->number == 30 * 24 * 3600);
  rl_arena_free(a);
  rl_project_free(p);
  unlink(outside);
  tree_free(&t);
}

/* What the model says of name in the module spec names from app.js. */
static const rl_symbol *ask(rl_project *p, const tree *t, rl_arena *a, const char *spec, const char *name) {
  const char *path = rl_project_resolve(p, at(t, "app.js"), spec, strlen(spec));
  assert_non_null(path);
  return rl_project_symbol(p, path, name, a, NULL);
}

/* The TTL constant the model sees in module rel, or -1 (none). */
static double ttl_of(rl_project *p, const tree *t, const char *rel) {
  rl_arena *a = rl_arena_new();
  const rl_symbol *s = ask(p, t, a, rel, "TTL");
  double v = s && s->has_number ? s->number : -1;
  rl_arena_free(a);
  return v;
}

/* A module the walk has scanned is read from the walk's bytes (not the
 * disk again); once the budget has dropped them, from the disk without the
 * judge (the walk's policy let it be scanned: here an ignored file named on
 * the command line); a file over the size kept, or one the walk has not
 * met, is read from the disk; new roots forget what was kept. */
static void project__walk_bytes_are_taken(void **state) {
  (void)state;
  tree t;
  tree_new(&t);
  put(&t, ".roomlintignore", "ignored.js\n");
  put(&t, "app.js", "");
  put(&t, "kept.js", "export const TTL = 60;\n");
  put(&t, "ignored.js", "export const TTL = 60;\n");
  put(&t, "large.js", "export const TTL = 60;\n");
  put(&t, "again.js", "export const TTL = 60;\n");
  rl_project *p = project_for(&t, NULL);
  const char *text = "export const TTL = 7200;\n";
  rl_project_keep(p, at(&t, "ignored.js"), RL_LANG_JS, rl_xstrdup(text), strlen(text));
  size_t big = (64u << 10) + 1;
  char *large = rl_xmalloc(big + 1);
  memset(large, ' ', big);
  memcpy(large, text, strlen(text));
  large[big] = '\0';
  rl_project_keep(p, at(&t, "large.js"), RL_LANG_JS, large, big);
  /* 17 MB scanned after it: ignored.js's bytes go (the oldest first), not
   * the mark that the walk scanned it */
  for (int i = 0; i < 280; i++) {
    char name[32];
    snprintf(name, sizeof name, "pad/%d.js", i);
    char *pad = rl_xmalloc(60000);
    memset(pad, ' ', 60000);
    rl_project_keep(p, at(&t, name), RL_LANG_JS, pad, 60000);
  }
  rl_project_keep(p, at(&t, "kept.js"), RL_LANG_JS, rl_xstrdup(text), strlen(text));
  assert_true(ttl_of(p, &t, "./kept") == 7200);
  assert_true(ttl_of(p, &t, "./ignored") == 60);
  assert_true(ttl_of(p, &t, "./large") == 60);
  rl_project_keep(p, at(&t, "again.js"), RL_LANG_JS, rl_xstrdup(text), strlen(text));
  const char *root = t.dir;
  rl_project_forget(p);
  rl_project_set_roots(p, &root, 1);
  assert_true(ttl_of(p, &t, "./again") == 60);
  assert_true(ttl_of(p, &t, "./ignored") == -1); /* judged again: ignored */
  rl_project_free(p);
  tree_free(&t);
}

static void project__disabled_reads_nothing(void **state) {
  (void)state;
  tree t;
  tree_new(&t);
  put(&t, "app.js", "");
  put(&t, "lib.js", "export const x = 1;\n");
  rl_project_options o = {0};
  o.disabled = 1;
  rl_project *p = project_for(&t, &o);
  assert_null(rl_project_resolve(p, at(&t, "app.js"), "./lib", 5));
  assert_int_equal(rl_project_files_read(p), 0);
  rl_project_free(p);
  tree_free(&t);
}

/* The joined symbol `name` of the module spec names from app.js. */
static void project__summaries(void **state) {
  (void)state;
  tree t;
  tree_new(&t);
  put(&t, "app.js", "");
  /* the 100ms shape: an axios instance with the API as baseURL, a class method posting through it */
  put(&t, "services/APIService.js",
      "const axios = require('axios');\n"
      "class APIService {\n"
      "  constructor() {\n"
      "    this.api = axios.create({ baseURL: 'https://api.100ms.live/v2' });\n"
      "  }\n"
      "  async post(path, payload) {\n"
      "    return this.api.post(path, payload);\n"
      "  }\n"
      "  async get(path) {\n"
      "    return this.api.get(path);\n"
      "  }\n"
      "  async createRoom(name) {\n"
      "    return this.api.post('/rooms', { name });\n"
      "  }\n"
      "}\n"
      "module.exports = new APIService();\n");
  put(&t, "lib/controller.ts",
      "import { AccessToken, RoomServiceClient } from 'livekit-server-sdk';\n"
      "import { TOKEN_TTL } from './constants';\n"
      "export class Controller {\n"
      "  private rooms = new RoomServiceClient('wss://x', 'k', 's');\n"
      "  async createStream(p: { room: string }) {\n"
      "    await this.rooms.createRoom({ name: p.room });\n"
      "    return this.token(p.room);\n"
      "  }\n"
      "  async listStreams() { return this.rooms.listRooms(); }\n"
      "  private token(room: string) {\n"
      "    const at = new AccessToken('k', 's', { identity: 'host', ttl: TOKEN_TTL });\n"
      "    at.addGrant({ room, roomJoin: true });\n"
      "    return at.toJwt();\n"
      "  }\n"
      "}\n");
  put(&t, "lib/constants.ts", "export const TOKEN_TTL = 30 * 24 * 3600;\nexport const NAME = 'rooms';\n");
  put(&t, "lib/index.ts", "export * from './controller';\nexport { TOKEN_TTL as TTL } from './constants';\n");
  put(&t, "middleware/auth.js",
      "const jwt = require('jsonwebtoken');\n"
      "module.exports = function requireAuth(req, res, next) {\n"
      "  try { req.user = jwt.verify(req.headers.authorization, process.env.SECRET); next(); }\n"
      "  catch (e) { res.status(401).end(); }\n"
      "};\n");
  put(&t, "middleware/log.js",
      "exports.requireUser = (req, res, next) => { console.log(req.headers.authorization); next(); };\n");
  put(&t, "cycle/a.js", "const b = require('./b');\nexports.f = () => b.g();\n");
  put(&t, "cycle/b.js", "const a = require('./a');\nexports.g = () => a.f();\n");
  rl_project *p = project_for(&t, NULL);
  rl_arena *a = rl_arena_new();

  const rl_symbol *s = ask(p, &t, a, "./services/APIService", "post");
  assert_non_null(s);
  assert_true(s->effects & RL_EFF_PROVIDER_API);
  assert_string_equal(s->api_provider, "100ms");
  assert_string_equal(s->api_method, "POST");
  assert_false(s->url_known); /* the path is the caller's */
  assert_int_equal(s->kind, RL_SYM_METHOD);
  assert_string_equal(s->class_name, "APIService");
  assert_int_equal(s->at.line, 7);
  s = ask(p, &t, a, "./services/APIService", "createRoom");
  assert_non_null(s);
  assert_string_equal(s->what, "creates 100ms rooms");
  /* a read-only endpoint is no privileged call */
  s = ask(p, &t, a, "./services/APIService", "get");
  assert_non_null(s);
  assert_int_equal(s->effects, 0);

  s = ask(p, &t, a, "./lib/controller", "Controller.createStream");
  assert_non_null(s);
  assert_true(s->effects & RL_EFF_MINT);
  assert_true(s->effects & RL_EFF_PROVIDER_API);
  assert_string_equal(s->mint.provider, "livekit");
  assert_string_equal(s->what, "creates LiveKit rooms");
  assert_int_equal(s->mint.where.line, 11);
  /* the TTL is imported from another file: folded in that one */
  s = ask(p, &t, a, "./lib/controller", "Controller.listStreams");
  assert_non_null(s);
  assert_int_equal(s->effects, 0);
  /* re-exports: export * and export { x as y } from */
  s = ask(p, &t, a, "./lib", "Controller.createStream");
  assert_non_null(s);
  assert_true(s->effects & RL_EFF_MINT);
  s = ask(p, &t, a, "./lib", "TTL");
  assert_non_null(s);
  assert_true(s->has_number && s->number == 2592000);
  s = ask(p, &t, a, "./lib/constants", "NAME");
  assert_non_null(s);
  assert_string_equal(s->string, "rooms");

  s = ask(p, &t, a, "./middleware/auth", "default");
  assert_non_null(s);
  assert_true(s->effects & RL_EFF_AUTH);
  assert_true(s->effects & RL_EFF_AUTH_MW);
  /* named like auth, only logs */
  s = ask(p, &t, a, "./middleware/log", "requireUser");
  assert_non_null(s);
  assert_int_equal(s->kind, RL_SYM_FUNCTION);
  assert_false(s->effects & RL_EFF_AUTH);

  /* a cycle ends; what is not there is unknown */
  s = ask(p, &t, a, "./cycle/a", "f");
  assert_non_null(s);
  assert_int_equal(s->effects, 0);
  assert_null(ask(p, &t, a, "./cycle/a", "nothing"));
  rl_arena_free(a);
  rl_project_free(p);
  tree_free(&t);
}

/* A chain of re-exports longer than RL_PROJECT_MAX_DEPTH is not followed
 * to its end: the answer is unknown, not a guess. */
static void project__depth_is_bounded(void **state) {
  (void)state;
  tree t;
  tree_new(&t);
  put(&t, "app.js", "");
  char name[64], text[128];
  int n = RL_PROJECT_MAX_DEPTH + 4;
  for (int i = 0; i < n; i++) {
    snprintf(name, sizeof name, "m%d.js", i);
    snprintf(text, sizeof text, "export { mint } from './m%d';\n", i + 1);
    put(&t, name, text);
  }
  snprintf(name, sizeof name, "m%d.js", n);
  put(&t, name, "import jwt from 'jsonwebtoken';\nexport function mint(room) { return jwt.sign({ room }, 's'); }\n");
  rl_project *p = project_for(&t, NULL);
  rl_arena *a = rl_arena_new();
  assert_null(ask(p, &t, a, "./m0", "mint"));
  snprintf(name, sizeof name, "./m%d", n - 2);
  const rl_symbol *s = ask(p, &t, a, name, "mint");
  assert_non_null(s);
  assert_true(s->effects & RL_EFF_MINT);
  assert_true(s->mint.room_claims);
  rl_arena_free(a);
  rl_project_free(p);
  tree_free(&t);
}

/* The prefilter's question: may an import matter? A chain that reaches a
 * mint says yes, and its files are read once (the summary reuses the
 * bytes); a chain of plain modules, a cycle, a package, a file the policy
 * leaves out and a chain longer than the joins follow say no. */
static void project__import_matters(void **state) {
  (void)state;
  tree t;
  tree_new(&t);
  put(&t, "app.js", "");
  put(&t, "a.js", "export { mint } from './b';\n");
  put(&t, "b.js", "const { mint } = require('./c');\nmodule.exports = { mint };\n");
  put(&t, "c.js", "import jwt from 'jsonwebtoken';\nexport const mint = (r) => jwt.sign({ r }, process.env.S);\n");
  put(&t, "plain.js", "import { x } from './plain2';\nexport const y = x + 1; // token secret\n");
  put(&t, "plain2.js", "export const x = 1;\nconst s = './c'; // a string, not an import\n");
  put(&t, "loop1.js", "import './loop2';\n");
  put(&t, "loop2.js", "import('./loop1');\n");
  put(&t, "keys.js", "export const getKey = (cfg) => cfg.get('HMS_APP_SECRET');\n");
  put(&t, ".roomlintignore", "ignored.js\n");
  put(&t, "ignored.js", "import jwt from 'jsonwebtoken';\n");
  rl_project *p = project_for(&t, NULL);
  const char *app = at(&t, "app.js");
  assert_true(rl_project_import_matters(p, app, "./a", 3));
  assert_int_equal(rl_project_files_read(p), 3);
  assert_false(rl_project_import_matters(p, app, "./plain", 7));
  assert_false(rl_project_import_matters(p, app, "./loop1", 7));
  assert_false(rl_project_import_matters(p, app, "react", 5));
  assert_false(rl_project_import_matters(p, app, "./ignored", 9));
  assert_true(rl_project_import_matters(p, app, "./keys", 6));
  size_t read = rl_project_files_read(p);
  /* the summary of a file the question read takes its bytes: no new read */
  const char *c = rl_project_resolve(p, app, "./c", 3);
  assert_non_null(rl_project_local(p, c, NULL, NULL));
  assert_int_equal(rl_project_files_read(p), read);
  rl_project_free(p);

  /* beyond the depth the joins follow, a mint cannot be reported */
  int n = RL_PROJECT_MAX_DEPTH + 2;
  char name[64], text[128];
  for (int i = 0; i < n; i++) {
    snprintf(name, sizeof name, "d%d.js", i);
    snprintf(text, sizeof text, "export * from './d%d';\n", i + 1);
    put(&t, name, text);
  }
  snprintf(name, sizeof name, "d%d.js", n);
  put(&t, name, "import jwt from 'jsonwebtoken';\nexport function mint(room) { return jwt.sign({ room }, 's'); }\n");
  p = project_for(&t, NULL);
  assert_false(rl_project_import_matters(p, app, "./d0", 4));
  snprintf(name, sizeof name, "./d%d", n - RL_PROJECT_MAX_DEPTH);
  assert_true(rl_project_import_matters(p, app, name, strlen(name)));
  /* a superset of the joins: wherever the mint is found, the question said yes */
  rl_arena *a = rl_arena_new();
  int found = 0;
  for (int i = 0; i <= n; i++) {
    snprintf(name, sizeof name, "./d%d", i);
    const rl_symbol *sym = ask(p, &t, a, name, "mint");
    if (sym && (sym->effects & RL_EFF_MINT)) {
      found++;
      assert_true(rl_project_import_matters(p, app, name, strlen(name)));
    }
  }
  assert_true(found > 0 && found <= n);
  rl_arena_free(a);
  rl_project_free(p);

  rl_project_options o = {0};
  o.disabled = 1;
  p = project_for(&t, &o);
  assert_false(rl_project_import_matters(p, app, "./a", 3));
  rl_project_free(p);
  tree_free(&t);
}

/* The nearest package.json is the model's: read under the walk's policy
 * inside the scanned root (an ignored package.json, a link leaving the
 * root are not read), with --no-project too. */
static void project__packages_under_policy(void **state) {
  (void)state;
  tree t;
  tree_new(&t);
  const char *expo = "{\"dependencies\": {\"expo\": \"~51.0.0\", \"react-native\": \"0.74.1\"}}";
  put(&t, ".roomlintignore", "ignored/package.json\n");
  put(&t, "plain/package.json", expo);
  put(&t, "plain/x.ts", "");
  put(&t, "ignored/package.json", expo);
  put(&t, "ignored/x.ts", "");
  put(&t, "linked/x.ts", "");
  char outside[PATH_MAX + 16];
  snprintf(outside, sizeof outside, "%s-package.json", t.dir);
  FILE *f = fopen(outside, "wb");
  assert_non_null(f);
  fputs(expo, f);
  fclose(f);
  assert_int_equal(symlink(outside, at(&t, "linked/package.json")), 0);
  for (int disabled = 0; disabled < 2; disabled++) {
    rl_project_options o = {0};
    o.disabled = disabled;
    rl_project *p = project_for(&t, &o);
    rl_pkgcache *c = rl_project_packages(p);
    const char *why = NULL;
    assert_int_equal(rl_pkgcache_lookup(c, at(&t, "plain/x.ts"), &why), RL_APP_CLIENT);
    assert_int_equal(rl_pkgcache_lookup(c, at(&t, "ignored/x.ts"), &why), RL_APP_UNKNOWN);
    assert_string_equal(why, "package.json: not read (the walk leaves it out)");
    assert_int_equal(rl_pkgcache_lookup(c, at(&t, "linked/x.ts"), &why), RL_APP_UNKNOWN);
    rl_project_free(p);
  }
  /* a cache without the policy (a buffer outside any root) reads them */
  rl_pkgcache *c = rl_pkgcache_new();
  assert_int_equal(rl_pkgcache_lookup(c, at(&t, "ignored/x.ts"), NULL), RL_APP_CLIENT);
  rl_pkgcache_free(c);
  unlink(outside);
  tree_free(&t);
}

/* Next.js: what "use client" modules import, to any depth, is client code;
 * not what they import as a type, not a "use server" or server-only module
 * nor what only those import, not another package's files. */
static void project__client_importers(void **state) {
  (void)state;
  tree t;
  tree_new(&t);
  put(&t, "package.json", "{\"dependencies\": {\"next\": \"14.2.3\", \"react\": \"18.3.1\"}}");
  put(&t, "app/page.tsx",
      "/* header */\n'use client';\nimport { a } from '../lib/a';\nimport type { T } from '../lib/types';\n"
      "import { act } from '../lib/act';\nimport { v } from '../lib/vault';\nimport { o } from '../other/o';\n"
      "export default function P() { return a() + act() + v() + o(); }\n");
  put(&t, "app/server.tsx", "import { alone } from '../lib/alone';\nexport default function S() { return alone(); }\n");
  put(&t, "lib/a.ts", "import { b } from './b';\nexport function a() { return b(); }\n");
  put(&t, "lib/b.ts", "import { a } from './a';\nexport function b() { return 1; }\nexport const c = () => a();\n");
  put(&t, "lib/types.ts", "export type T = string;\n");
  put(&t, "lib/act.ts",
      "'use server';\nimport { deep } from './deep';\nexport async function act() { return deep(); }\n");
  put(&t, "lib/vault.ts", "import 'server-only';\nexport function v() { return 1; }\n");
  put(&t, "lib/deep.ts", "export function deep() { return 1; }\n");
  put(&t, "lib/alone.ts", "export function alone() { return 1; }\n");
  put(&t, "other/package.json", "{\"dependencies\": {\"next\": \"14.2.3\"}}");
  put(&t, "other/o.ts", "export function o() { return 1; }\n");
  rl_project *p = project_for(&t, NULL);
  const char *root = t.dir;
  /* no walk (a buffer's scan): no answer */
  assert_null(rl_project_client_importer(p, at(&t, "lib/a.ts"), NULL));
  rl_project_set_walking(p, &root, 1);
  rl_site site;
  const char *by = rl_project_client_importer(p, at(&t, "lib/a.ts"), &site);
  assert_non_null(by);
  assert_string_equal(by, at(&t, "app/page.tsx"));
  assert_string_equal(site.path, at(&t, "app/page.tsx"));
  assert_int_equal(site.line, 8); /* the call a(), not the import */
  by = rl_project_client_importer(p, at(&t, "lib/b.ts"), &site);
  assert_non_null(by);
  assert_string_equal(by, at(&t, "app/page.tsx"));
  assert_string_equal(site.path, at(&t, "lib/a.ts")); /* the cycle back to a.ts ends */
  static const char *const none[] = {"lib/types.ts", "lib/act.ts", "lib/deep.ts", "lib/vault.ts",
                                     "lib/alone.ts", "other/o.ts", "app/page.tsx"};
  for (size_t i = 0; i < RL_ARRAY_LEN(none); i++) assert_null(rl_project_client_importer(p, at(&t, none[i]), NULL));
  rl_project_free(p);
  rl_project_options o = {0};
  o.disabled = 1;
  p = project_for(&t, &o);
  rl_project_set_walking(p, &root, 1);
  assert_null(rl_project_client_importer(p, at(&t, "lib/a.ts"), NULL));
  rl_project_free(p);
  tree_free(&t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(project__relative_extensions_and_index),
      cmocka_unit_test(project__tsconfig_paths_baseurl_extends),
      cmocka_unit_test(project__bare_root_relative),
      cmocka_unit_test(project__policy_decides_what_is_read),
      cmocka_unit_test(project__walk_bytes_are_taken),
      cmocka_unit_test(project__disabled_reads_nothing),
      cmocka_unit_test(project__summaries),
      cmocka_unit_test(project__depth_is_bounded),
      cmocka_unit_test(project__import_matters),
      cmocka_unit_test(project__packages_under_policy),
      cmocka_unit_test(project__client_importers),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
