/* The project model (model.h, facts/project.h): module resolution, the
 * tsconfig/jsconfig that rules it, and the per-run cache of the files that
 * scanned files import, each read once under the walk's policy and
 * summarised by facts/summary.c.
 *
 * Determinism: a local summary is a pure function of its file, and the
 * joined answer for a symbol (rl_project_symbol) is computed from that
 * symbol alone (a fresh visited set, a fixed depth), so `-j1` and `-jN`
 * answer alike whichever worker built a summary first. A summary is built
 * with its own step budget (the per-node budget of the scanned files); the
 * file that consults a module is charged that module's steps once. */
#include "model.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth.h"
#include "gitrepo.h"
#include "cors.h"
#include "json.h"
#include "lockfile.h"
#include "once.h"
#include "parse.h"
#include "privileged.h"
#include "requrl.h"
#include "routes.h"
#include "rule.h"
#include "util.h"

#define MAX_TSCONFIG_UP 16 /* folders climbed to find a tsconfig.json */
#define MAX_EXTENDS 4      /* tsconfig `extends` followed this far */
#define MAX_ALIAS_HOPS 16  /* export aliases followed per lookup */
#define MAX_JOIN_VISITS 64 /* symbols joined per answer */
#define SUMMARY_BUDGET_PER_NODE 400u
#define SUMMARY_BUDGET_FLOOR 1000000u
#define MAX_MODULE_SIZE (1u << 20) /* a module larger than this is not summarised */
/* The bytes of files the walk has scanned, kept for a module read of them
 * (rl_project_keep): at most this much in all, the oldest dropped first,
 * and none of a file larger than KEPT_FILE_MAX. Imports point back at files
 * the walk met a moment ago far more often than at files it read long ago. */
#define KEPT_BUDGET (16u << 20)
#define KEPT_FILE_MAX (64u << 10)

/* ---- paths ----------------------------------------------------------------------- */

/* Lexically normalised: "./" and "x/.." dropped, no trailing '/'. A path
 * that climbs above its start keeps its leading "../". Caller frees. */
static char *path_normalize(const char *p) {
  size_t n = strlen(p);
  char *out = rl_xmalloc(n + 2);
  size_t o = 0;
  int abs = p[0] == '/';
  size_t lead = 0; /* bytes of leading "../" that cannot be dropped */
  if (abs) out[o++] = '/', lead = 1;
  const char *s = p;
  while (*s) {
    while (*s == '/') s++;
    if (!*s) break;
    const char *e = strchr(s, '/');
    size_t k = e ? (size_t)(e - s) : strlen(s);
    if (k == 1 && s[0] == '.') {
      /* nothing */
    } else if (k == 2 && s[0] == '.' && s[1] == '.' && o > lead) {
      while (o > lead && out[o - 1] != '/') o--;
      if (o > lead) o--; /* the '/' before the dropped component */
      if (o < lead) o = lead;
    } else {
      if (o > 0 && out[o - 1] != '/') out[o++] = '/';
      memcpy(out + o, s, k);
      o += k;
      if (k == 2 && s[0] == '.' && s[1] == '.') lead = o;
    }
    s += k;
  }
  if (o == 0) out[o++] = '.';
  out[o] = '\0';
  return out;
}

/* The folder of path ("." for a bare name). Caller frees. */
static char *path_dir(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash) return rl_xstrdup(".");
  if (slash == path) return rl_xstrdup("/");
  return rl_xstrndup(path, (size_t)(slash - path));
}

/* The folder above dir, which it frees; NULL (dir freed) when dir is the
 * top of what a lexical path can climb: ".", "/", or a path ending in "..".
 * The one step of every walk up from a file (tsconfig, NestJS bootstrap,
 * router mounts, lockfiles). */
static char *path_up(char *dir) {
  size_t n = strlen(dir);
  if (!strcmp(dir, ".") || !strcmp(dir, "/") || (n >= 2 && !strcmp(dir + n - 2, ".."))) {
    free(dir);
    return NULL;
  }
  char *up = path_dir(dir);
  free(dir);
  return up;
}

static char *path_join(const char *dir, const char *rest, size_t n) {
  rl_buf b = {0};
  if (strcmp(dir, ".") != 0 || n == 0) {
    rl_buf_puts(&b, dir);
    rl_buf_putc(&b, '/');
  }
  rl_buf_put(&b, rest, n);
  char *j = path_normalize(b.ptr ? b.ptr : ".");
  rl_buf_free(&b);
  return j;
}

static int is_regular(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* ---- tsconfig.json / jsconfig.json (JSONC) ------------------------------------------ */

typedef struct ts_path {
  char *pattern;  /* "@/<star>" as written */
  char **targets; /* "./src/<star>", relative to base */
  size_t ntargets;
} ts_path;

typedef struct tsconf {
  char *base; /* baseUrl made absolute-ish (joined to the file's dir), or NULL */
  char *dir;  /* the folder of the file that set paths (their anchor without baseUrl) */
  ts_path *paths;
  size_t npaths;
  int has_paths;
} tsconf;

static void tsconf_free(void *v) {
  tsconf *c = v;
  if (!c) return;
  for (size_t i = 0; i < c->npaths; i++) {
    free(c->paths[i].pattern);
    for (size_t k = 0; k < c->paths[i].ntargets; k++) free(c->paths[i].targets[k]);
    free(c->paths[i].targets);
  }
  free(c->paths);
  free(c->base);
  free(c->dir);
  free(c);
}

/* The few members of a tsconfig the model needs, read from JSONC (comments,
 * trailing commas): compilerOptions.baseUrl, compilerOptions.paths and
 * extends. Kept behind this one function so that the reader can change. */
typedef struct tsraw {
  char *base_url;
  char *extends;
  ts_path *paths;
  size_t npaths;
  int has_paths;
} tsraw;

static void tsraw_free(tsraw *r) {
  free(r->base_url);
  free(r->extends);
  for (size_t i = 0; i < r->npaths; i++) {
    free(r->paths[i].pattern);
    for (size_t k = 0; k < r->paths[i].ntargets; k++) free(r->paths[i].targets[k]);
    free(r->paths[i].targets);
  }
  free(r->paths);
  memset(r, 0, sizeof *r);
}

static int tsconfig_parse(const char *s, size_t n, tsraw *out) {
  memset(out, 0, sizeof *out);
  rl_arena *a = rl_arena_new();
  rl_json *root = NULL;
  /* TypeScript reads JSONC: comments and trailing commas; the last of
   * repeated keys wins */
  int ok = rl_json_parse(&root, a, s, n, RL_JSON_JSONC | RL_JSON_DUPS_LAST, NULL) >= 0 &&
           rl_json_is(root, RL_JSON_OBJECT);
  if (ok) {
    const rl_json *ext = rl_json_get(root, "extends");
    if (rl_json_is(ext, RL_JSON_ARRAY) && rl_json_size(ext)) ext = rl_json_at(ext, 0); /* [a, b]: the first */
    if (rl_json_is(ext, RL_JSON_STRING)) out->extends = rl_xstrdup(rl_json_str(ext, NULL));
    const rl_json *co = rl_json_get(root, "compilerOptions");
    const rl_json *base = rl_json_get(co, "baseUrl");
    if (rl_json_is(base, RL_JSON_STRING)) out->base_url = rl_xstrdup(rl_json_str(base, NULL));
    const rl_json *paths = rl_json_get(co, "paths");
    if (rl_json_is(paths, RL_JSON_OBJECT)) {
      out->has_paths = 1;
      for (size_t i = 0; i < rl_json_size(paths); i++) {
        const rl_json *targets = rl_json_at(paths, i);
        if (!rl_json_is(targets, RL_JSON_ARRAY)) continue;
        out->paths = rl_xreallocarray(out->paths, out->npaths + 1, sizeof *out->paths);
        ts_path *tp = &out->paths[out->npaths++];
        *tp = (ts_path){rl_xstrdup(rl_json_key_at(paths, i, NULL)), NULL, 0};
        for (size_t k = 0; k < rl_json_size(targets); k++) {
          const char *t = rl_json_str(rl_json_at(targets, k), NULL);
          if (!t) continue;
          tp->targets = rl_xreallocarray(tp->targets, tp->ntargets + 1, sizeof *tp->targets);
          tp->targets[tp->ntargets++] = rl_xstrdup(t);
        }
      }
    }
  }
  rl_arena_free(a);
  return ok ? 0 : -1;
}

/* ---- the project ---------------------------------------------------------------- */

struct sub_mount {
  const char *spec; /* as the router file writes it */
  const char *at;   /* the mount path, "" for none */
};

typedef struct mod_entry {
  char *path;
  int state; /* 0: not built, 1: being built, 2: built */
  rl_localmod *lm;
  const char *why; /* static: why lm is NULL */
  unsigned long long steps;
  rl_arena *arena; /* lm lives here */
  /* a file judged whole (Next.js middleware, NestJS bootstrap): kept parsed */
  int kept; /* 0: not yet, 1: parsed, -1: unusable */
  char *bytes;
  rl_arena *tarena;
  rl_source src;
  rl_tree *tree;
  rl_jsfile *jf;
  pthread_mutex_t jmu;
  int nest_guard; /* -1: not asked */
  int nest_cors_asked;
  const char *nest_cors; /* rl_cors_nest_bootstrap's answer (in tarena) */
  uint32_t nest_cors_line;
  int room_route_asked;
  const char *room_route; /* its first token or room route, "POST /token" (in tarena) */
  uint32_t room_route_line;
  /* the project modules it mounts (`router.use('/agora', require('./agora'))`):
   * their specifiers and mount paths ("" for none), read with room_route */
  struct sub_mount *subs;
  size_t nsubs;
  /* the prefilter's question (rl_project_import_matters), under p->mu */
  int pre_state;          /* 0: not read, 1: being read, 2: read */
  int pre_self;           /* rl_summary_bytes_matter of its bytes */
  int pre_act;            /* rl_summary_bytes_matter or _act of its bytes */
  signed char closure[2]; /* memo of closure_may(): 0 not asked, 1 no, 2 yes */
  const char **pre_deps;  /* the project files it imports (resolved, borrowed from p) */
  size_t npre_deps;
  char *pre_bytes; /* read for the question, kept for build_summary (read once) */
  size_t pre_len;
  /* may it mount a router (rl_project_router_mounted_auth), under p->mu */
  int mount_state;   /* 0: not read, 1: being read, 2: read */
  char *mount_bytes; /* its text when it calls .use( (else NULL: it mounts nothing) */
  size_t mount_len;
  /* may it register a route (rl_project_handler_routes), under p->mu */
  int route_state;   /* 0: not read, 1: being read, 2: read */
  char *route_bytes; /* its text when it calls .get( / .post( ... (else NULL) */
  size_t route_len;
} mod_entry;

struct rl_project {
  pthread_mutex_t mu;
  pthread_cond_t built;
  rl_project_options o;
  char **roots; /* real paths */
  size_t nroots;
  rl_smap mods;  /* path -> mod_entry */
  rl_smap confs; /* dir -> tsconf (NULL: none found), borrowed from owned */
  tsconf **owned;
  size_t nowned;
  rl_smap resolved;   /* "dir\0spec" joined by '\n' -> path string (NULL: unresolved) */
  rl_smap locks;      /* lockfile path -> lock_text (its bytes NULL: refused by the policy) */
  rl_smap mount_dirs; /* dir -> mount_dir: the files that may mount a router there */
  size_t files_read;
  rl_parser **parsers; /* free parsers */
  size_t nparsers;
  rl_walk_judge *judge; /* the walk's policy, each directory's ignore files read once */
  rl_pkgcache *pkgs;    /* the nearest package.json of each folder (model_pkg.c) */
  rl_clients *clients;  /* what "use client" modules import (model_client.c) */
  /* the JavaScript and TypeScript files this run's walk has scanned
   * (rl_project_keep): the policy has let them be read already, so a module
   * read of one skips the judge, whose lock every worker shares, and takes
   * the walk's bytes while they are kept */
  pthread_mutex_t kept_mu;
  struct walk_bytes **kept; /* open addressing on path_key; NULL empty */
  size_t nkept, kept_cap;
  struct walk_bytes **kept_order; /* the ones still holding bytes, oldest first from kept_head (a ring) */
  size_t kept_head, kept_n, kept_ring, kept_bytes;
};

/* A file the walk scanned: its bytes until a module read takes them or the
 * budget drops them (then NULL; the entry stays until the run ends). */
typedef struct walk_bytes {
  uint64_t key;
  char *bytes;
  size_t len;
  char path[]; /* normalized */
} walk_bytes;

typedef struct lock_text {
  char *path; /* as the model names it, for messages */
  char *bytes;
  size_t len;
} lock_text;

/* A folder's JavaScript and TypeScript files, sorted, with their real
 * paths: where rl_project_router_mounted_auth looks for mounting files. */
typedef struct mount_dir {
  char **paths;
  char **reals;
  size_t n;
  char **dirs; /* its folders (not hidden, not node_modules), sorted */
  size_t ndirs;
} mount_dir;

static void mount_dir_free(void *v) {
  mount_dir *d = v;
  if (!d) return;
  for (size_t i = 0; i < d->n; i++) {
    free(d->paths[i]);
    free(d->reals[i]);
  }
  for (size_t i = 0; i < d->ndirs; i++) free(d->dirs[i]);
  free(d->paths);
  free(d->reals);
  free(d->dirs);
  free(d);
}

static void lock_free(void *v) {
  lock_text *l = v;
  if (!l) return;
  free(l->path);
  free(l->bytes);
  free(l);
}

static void mod_free(void *v) {
  mod_entry *e = v;
  if (!e) return;
  free(e->path);
  rl_arena_free(e->arena);
  if (e->kept == 1) {
    rl_tree_free(e->tree);
    rl_arena_free(e->tarena);
    free(e->bytes);
  }
  free(e->pre_deps);
  free(e->pre_bytes);
  free(e->mount_bytes);
  free(e->route_bytes);
  pthread_mutex_destroy(&e->jmu);
  free(e);
}

static const char *pkg_refuses(void *data, const char *path);
static char *read_module(rl_project *p, const char *path, size_t *len, const char **why);
static rl_parser *parser_take(rl_project *p);
static void parser_give(rl_project *p, rl_parser *ps);

static void judge_new(rl_project *p) {
  rl_walk_options wo;
  memset(&wo, 0, sizeof wo);
  wo.no_ignore = p->o.no_ignore;
  wo.extra_ignores = p->o.extra_ignores;
  rl_walk_judge_new(&p->judge, &wo);
}

static void kept_clear(rl_project *p);

/* Everything read from the file system, freed (the maps left empty). */
static void caches_free(rl_project *p) {
  rl_smap_free(&p->mods, mod_free);
  rl_smap_free(&p->confs, NULL);
  for (size_t i = 0; i < p->nowned; i++) tsconf_free(p->owned[i]);
  free(p->owned);
  p->owned = NULL;
  p->nowned = 0;
  rl_smap_free(&p->resolved, free);
  rl_smap_free(&p->locks, lock_free);
  rl_smap_free(&p->mount_dirs, mount_dir_free);
  rl_walk_judge_free(p->judge);
  p->judge = NULL;
  p->files_read = 0;
  kept_clear(p);
}

/* The package.json cache, with the walk's policy. */
static void pkgs_new(rl_project *p) {
  p->pkgs = rl_pkgcache_new();
  rl_pkgcache_set_policy(p->pkgs, pkg_refuses, p, p->o.max_file_size);
  rl_pkgcache_set_importer(p->pkgs, rl_clients__importer, p->clients);
}

rl_project *rl_project_new(const rl_project_options *o) {
  rl_project *p = rl_xcalloc(1, sizeof *p);
  p->o = *o;
  if (!p->o.max_file_size) p->o.max_file_size = 5u * 1024 * 1024;
  pthread_mutex_init(&p->mu, NULL);
  pthread_cond_init(&p->built, NULL);
  pthread_mutex_init(&p->kept_mu, NULL);
  p->clients = rl_clients__new(p);
  judge_new(p);
  pkgs_new(p);
  rl_gitrepo_hold(); /* the client-import search walks in worker threads */
  return p;
}

void rl_project_forget(rl_project *p) {
  if (!p) return;
  caches_free(p);
  judge_new(p);
  rl_pkgcache_free(p->pkgs); /* an editor may have changed a package.json */
  pkgs_new(p);
  rl_clients__reset(p->clients);
}

void rl_project_free(rl_project *p) {
  if (!p) return;
  caches_free(p);
  for (size_t i = 0; i < p->nroots; i++) free(p->roots[i]);
  free(p->roots);
  for (size_t i = 0; i < p->nparsers; i++) rl_parser_free(p->parsers[i]);
  free(p->parsers);
  rl_pkgcache_free(p->pkgs);
  rl_clients__free(p->clients);
  pthread_cond_destroy(&p->built);
  pthread_mutex_destroy(&p->mu);
  pthread_mutex_destroy(&p->kept_mu);
  free(p);
  rl_gitrepo_release();
}

void rl_project_set_roots(rl_project *p, const char *const *paths, size_t n) {
  rl_clients__reset(p->clients);
  pthread_mutex_lock(&p->kept_mu);
  kept_clear(p);
  pthread_mutex_unlock(&p->kept_mu);
  for (size_t i = 0; i < p->nroots; i++) free(p->roots[i]);
  free(p->roots);
  p->roots = NULL;
  p->nroots = 0;
  for (size_t i = 0; i < n || (n == 0 && i == 0); i++) {
    const char *path = n ? paths[i] : ".";
    char *real = realpath(path, NULL);
    if (!real) continue;
    if (!is_dir(real)) { /* a file named: its folder is the root */
      char *d = path_dir(real);
      free(real);
      real = d;
    }
    p->roots = rl_xreallocarray(p->roots, p->nroots + 1, sizeof *p->roots);
    p->roots[p->nroots++] = real;
  }
}

size_t rl_project_files_read(rl_project *p) {
  pthread_mutex_lock(&p->mu);
  size_t n = p->files_read;
  pthread_mutex_unlock(&p->mu);
  return n;
}

/* ---- tsconfig lookup (under p->mu) --------------------------------------------- */

static tsconf *tsconf_load(const char *file) {
  tsconf *c = NULL;
  char *cur = rl_xstrdup(file);
  for (int hop = 0; hop < MAX_EXTENDS && cur; hop++) {
    char *bytes = NULL;
    size_t len = 0;
    tsraw raw;
    if (rl_file_read(cur, 1u << 20, &bytes, &len) != RL_SKIP_NONE) break;
    int rc = tsconfig_parse(bytes, len, &raw);
    free(bytes);
    if (rc < 0) break;
    char *dir = path_dir(cur);
    if (!c) c = rl_xcalloc(1, sizeof *c);
    /* the nearest file's settings win; an extended file fills what is unset */
    if (!c->base && raw.base_url) c->base = path_join(dir, raw.base_url, strlen(raw.base_url));
    if (!c->has_paths && raw.has_paths) {
      c->has_paths = 1;
      c->paths = raw.paths;
      c->npaths = raw.npaths;
      raw.paths = NULL;
      raw.npaths = 0;
      c->dir = rl_xstrdup(dir);
    }
    char *next = NULL;
    /* only a relative file: a package's tsconfig (@tsconfig/node18) sets no paths of ours */
    if (raw.extends && raw.extends[0] == '.') {
      next = path_join(dir, raw.extends, strlen(raw.extends));
      if (!is_regular(next)) {
        rl_buf b = {0};
        rl_buf_printf(&b, "%s.json", next);
        free(next);
        next = is_regular(b.ptr) ? rl_buf_detach(&b) : NULL;
        rl_buf_free(&b);
      }
    }
    free(dir);
    tsraw_free(&raw);
    free(cur);
    cur = next;
  }
  free(cur);
  if (c && !c->dir && c->base) c->dir = rl_xstrdup(c->base);
  return c;
}

/* The tsconfig.json (or jsconfig.json) nearest above dir, or NULL. Stops at
 * a folder holding .git. Every folder on the way is cached with the answer
 * (borrowed from p->owned). */
/* Under p->mu. */
static tsconf *tsconf_for(rl_project *p, const char *dir) {
  char *cur = rl_xstrdup(dir);
  char **chain = NULL;
  size_t nchain = 0;
  tsconf *found = NULL;
  for (int up = 0; up < MAX_TSCONFIG_UP; up++) {
    void **hit = rl_smap_get(&p->confs, cur);
    if (hit) {
      found = *hit;
      break;
    }
    chain = rl_xreallocarray(chain, nchain + 1, sizeof *chain);
    chain[nchain++] = rl_xstrdup(cur);
    char *ts = path_join(cur, "tsconfig.json", 13), *js = path_join(cur, "jsconfig.json", 13);
    const char *file = is_regular(ts) ? ts : is_regular(js) ? js : NULL;
    if (file) {
      found = tsconf_load(file);
      if (found) {
        p->owned = rl_xreallocarray(p->owned, p->nowned + 1, sizeof *p->owned);
        p->owned[p->nowned++] = found;
      }
    }
    free(ts);
    free(js);
    if (file) break;
    char *git = path_join(cur, ".git", 4);
    int top = access(git, F_OK) == 0;
    free(git);
    if (top || !(cur = path_up(cur))) break;
  }
  free(cur);
  for (size_t i = 0; i < nchain; i++) {
    rl_smap_put(&p->confs, chain[i], found);
    free(chain[i]);
  }
  free(chain);
  return found;
}

/* ---- resolution ------------------------------------------------------------------ */

static const char *const exts[] = {".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts", NULL};

static int ends_with(const char *s, const char *suffix) {
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && !memcmp(s + a - b, suffix, b);
}

/* The file base names: base itself, base + each extension, a '.js'
 * specifier's '.ts' twin, base/index + each extension. Caller frees. */
static char *probe(const char *base) {
  rl_buf b = {0};
  char *hit = NULL;
  rl_lang lang = rl_lang_for_path(base);
  if ((lang == RL_LANG_JS || lang == RL_LANG_TS || lang == RL_LANG_TSX) && is_regular(base)) return rl_xstrdup(base);
  for (size_t i = 0; exts[i] && !hit; i++) {
    b.len = 0;
    rl_buf_puts(&b, base);
    rl_buf_puts(&b, exts[i]);
    if (is_regular(b.ptr)) hit = rl_xstrdup(b.ptr);
  }
  /* TypeScript projects import './x.js' meaning './x.ts' */
  static const char *const twins[][3] = {
      {".js", ".ts", ".tsx"}, {".jsx", ".tsx", NULL}, {".mjs", ".mts", NULL}, {".cjs", ".cts", NULL}};
  for (size_t i = 0; i < RL_ARRAY_LEN(twins) && !hit; i++) {
    if (!ends_with(base, twins[i][0])) continue;
    size_t stem = strlen(base) - strlen(twins[i][0]);
    for (size_t k = 1; k < 3 && twins[i][k] && !hit; k++) {
      b.len = 0;
      rl_buf_put(&b, base, stem);
      rl_buf_puts(&b, twins[i][k]);
      if (is_regular(b.ptr)) hit = rl_xstrdup(b.ptr);
    }
  }
  if (!hit && is_dir(base))
    for (size_t i = 0; exts[i] && !hit; i++) {
      b.len = 0;
      rl_buf_puts(&b, base);
      rl_buf_puts(&b, "/index");
      rl_buf_puts(&b, exts[i]);
      if (is_regular(b.ptr)) hit = rl_xstrdup(b.ptr);
    }
  rl_buf_free(&b);
  return hit;
}

/* A bare specifier that names a path from the app's folder (`import { g }
 * from 'services/twilio/server'` in a Next.js app whose jsconfig the scan
 * may not have; asked only when no tsconfig.json / jsconfig.json is found):
 * <the folder of the nearest package.json>/<spec>, when that file exists and
 * no package of the first segment's name can be meant (none named in that
 * package.json, none in a node_modules folder up to it). Only specifiers of
 * two or more segments, never a scope (@x/y). Caller frees. */
static char *root_relative(rl_project *p, const char *dir, const char *spec) {
  const char *slash = strchr(spec, '/');
  if (spec[0] == '@' || spec[0] == '#' || spec[0] == '~' || !slash || slash == spec) return NULL;
  size_t seg = (size_t)(slash - spec);
  char *probe_at = path_join(dir, "x.js", 4); /* the package.json of dir's files */
  rl_pkg_info info = rl_pkgcache_info(p->pkgs, probe_at);
  free(probe_at);
  if (!info.pkg_dir || !info.deps) return NULL;
  rl_buf b = {0};
  rl_buf_printf(&b, "\n%.*s\n", (int)seg, spec);
  int listed = strstr(info.deps, b.ptr) != NULL;
  rl_buf_free(&b);
  if (listed) return NULL;
  char *d = rl_walk_judge_realpath(p->judge, dir);
  for (int up = 0; d && up < 64; up++) {
    rl_buf nm = {0};
    rl_buf_printf(&nm, "node_modules/%.*s", (int)seg, spec);
    char *at = path_join(d, nm.ptr, nm.len);
    rl_buf_free(&nm);
    int installed = is_dir(at);
    free(at);
    int top = !strcmp(d, info.pkg_dir);
    if (installed || top) {
      free(d);
      if (installed) return NULL;
      /* named from dir, as the importing file's own path is */
      rl_buf rel = {0};
      for (int k = 0; k < up; k++) rl_buf_puts(&rel, "../");
      rl_buf_puts(&rel, spec);
      char *base = path_join(dir, rel.ptr, rel.len);
      rl_buf_free(&rel);
      char *hit = probe(base);
      free(base);
      return hit;
    }
    d = path_up(d);
  }
  free(d);
  return NULL;
}

static char *resolve_uncached(rl_project *p, const char *dir, const char *spec) {
  if (spec[0] == '.' &&
      (spec[1] == '/' || spec[1] == '\0' || (spec[1] == '.' && (spec[2] == '/' || spec[2] == '\0')))) {
    char *base = path_join(dir, spec, strlen(spec));
    char *hit = probe(base);
    free(base);
    return hit;
  }
  if (spec[0] == '/' || !spec[0] || strchr(spec, ':')) return NULL; /* absolute, node:fs, npm:x */
  pthread_mutex_lock(&p->mu); /* the tsconfig cache; what it hands out stays put */
  tsconf *c = tsconf_for(p, dir);
  pthread_mutex_unlock(&p->mu);
  if (!c) return root_relative(p, dir, spec);
  /* paths: the longest matching prefix before '*' wins, as TypeScript does */
  const ts_path *best = NULL;
  size_t best_len = 0;
  const char *star_text = NULL;
  size_t star_len = 0;
  for (size_t i = 0; i < c->npaths; i++) {
    const char *pat = c->paths[i].pattern;
    const char *star = strchr(pat, '*');
    if (!star) {
      if (!strcmp(pat, spec) && strlen(pat) + 1 > best_len) {
        best = &c->paths[i];
        best_len = strlen(pat) + 1;
        star_text = "";
        star_len = 0;
      }
      continue;
    }
    size_t pre = (size_t)(star - pat), post = strlen(star + 1), sl = strlen(spec);
    if (sl >= pre + post && !strncmp(spec, pat, pre) && !strcmp(spec + sl - post, star + 1) && pre >= best_len) {
      best = &c->paths[i];
      best_len = pre;
      star_text = spec + pre;
      star_len = sl - pre - post;
    }
  }
  const char *anchor = c->base ? c->base : c->dir;
  if (best && anchor) {
    for (size_t k = 0; k < best->ntargets; k++) {
      const char *t = best->targets[k];
      rl_buf b = {0};
      const char *star = strchr(t, '*');
      if (star) {
        rl_buf_put(&b, t, (size_t)(star - t));
        rl_buf_put(&b, star_text, star_len);
        rl_buf_puts(&b, star + 1);
      } else {
        rl_buf_puts(&b, t);
      }
      char *base = path_join(anchor, b.ptr ? b.ptr : "", b.len);
      rl_buf_free(&b);
      char *hit = probe(base);
      free(base);
      if (hit) return hit;
    }
    return NULL;
  }
  if (c->base) { /* baseUrl alone: 'lib/auth' is <baseUrl>/lib/auth, when that exists */
    char *base = path_join(c->base, spec, strlen(spec));
    char *hit = probe(base);
    free(base);
    return hit;
  }
  return NULL;
}

const char *rl_project_resolve(rl_project *p, const char *from, const char *spec, size_t n) {
  if (!p || p->o.disabled || !from || !n || memchr(spec, '\0', n)) return NULL;
  char *dir = path_dir(from);
  rl_buf key = {0};
  rl_buf_puts(&key, dir); /* plain appends: a printf here cost more than the look-up */
  rl_buf_putc(&key, '\n');
  rl_buf_put(&key, spec, n);
  pthread_mutex_lock(&p->mu);
  void **hit = rl_smap_get(&p->resolved, key.ptr);
  const char *out = hit ? *hit : NULL;
  pthread_mutex_unlock(&p->mu);
  if (!hit) {
    /* probe the file system without the lock: other workers go on; the
     * first answer stored wins (both are the same) */
    char *s = rl_xstrndup(spec, n);
    char *r = resolve_uncached(p, dir, s);
    free(s);
    pthread_mutex_lock(&p->mu);
    hit = rl_smap_get(&p->resolved, key.ptr);
    if (hit) {
      free(r);
      out = *hit;
    } else {
      rl_smap_put(&p->resolved, key.ptr, r);
      out = r;
    }
    pthread_mutex_unlock(&p->mu);
  }
  rl_buf_free(&key);
  free(dir);
  return out;
}

/* ---- reading under the walk's policy ---------------------------------------------- */

/* A path as the walk builds them: no "." or ".." part, no doubled or
 * trailing slash (path_normalize would leave it as it is). */
static int path_clean(const char *path) {
  const char *q = path;
  if (q[0] == '.' && (q[1] == '/' || q[1] == '\0' || (q[1] == '.' && (q[2] == '/' || q[2] == '\0')))) return 0;
  for (; *q; q++)
    if (q[0] == '/' && (q[1] == '/' || q[1] == '\0' || (q[1] == '.' && (q[2] == '/' || q[2] == '\0' || q[2] == '.'))))
      return 0;
  return 1;
}

static uint64_t path_key(const char *path, size_t n) {
  uint64_t h = rl_hash64(path, n, 11);
  return h ? h : 1;
}

static void kept_clear(rl_project *p) {
  for (size_t i = 0; i < p->kept_cap; i++)
    if (p->kept[i]) {
      free(p->kept[i]->bytes);
      free(p->kept[i]);
    }
  free(p->kept);
  free(p->kept_order);
  p->kept = p->kept_order = NULL;
  p->nkept = p->kept_cap = p->kept_head = p->kept_n = p->kept_ring = p->kept_bytes = 0;
}

/* The slot of path (key k) in the table: its entry, or the empty slot it
 * would take. */
static size_t kept_slot(rl_project *p, uint64_t k, const char *path) {
  size_t i = (size_t)k & (p->kept_cap - 1);
  while (p->kept[i] && (p->kept[i]->key != k || strcmp(p->kept[i]->path, path) != 0)) i = (i + 1) & (p->kept_cap - 1);
  return i;
}

/* Drops the oldest bytes still kept (under kept_mu). */
static void kept_drop_oldest(rl_project *p) {
  walk_bytes *w = p->kept_order[p->kept_head];
  p->kept_head = (p->kept_head + 1) % p->kept_ring;
  p->kept_n--;
  if (w->bytes) {
    p->kept_bytes -= w->len;
    free(w->bytes);
    w->bytes = NULL;
  }
}

void rl_project_keep(rl_project *p, const char *fs_path, rl_lang lang, char *bytes, size_t len) {
  if (!p || p->o.disabled || !fs_path || len > KEPT_FILE_MAX ||
      (lang != RL_LANG_JS && lang != RL_LANG_TS && lang != RL_LANG_TSX)) {
    free(bytes);
    return;
  }
  /* the walk's paths are clean: normalized only when they are not */
  char *norm = path_clean(fs_path) ? NULL : path_normalize(fs_path);
  const char *path = norm ? norm : fs_path;
  size_t pl = strlen(path);
  uint64_t k = path_key(path, pl);
  walk_bytes *w = rl_xmalloc(sizeof *w + pl + 1);
  w->key = k;
  w->bytes = bytes;
  w->len = len;
  memcpy(w->path, path, pl + 1);
  free(norm);
  pthread_mutex_lock(&p->kept_mu);
  if (2 * (p->nkept + 1) > p->kept_cap) {
    size_t cap = p->kept_cap ? p->kept_cap * 2 : 1024;
    walk_bytes **t = rl_xcalloc(cap, sizeof *t);
    for (size_t i = 0; i < p->kept_cap; i++) {
      walk_bytes *o = p->kept[i];
      if (!o) continue;
      size_t j = (size_t)o->key & (cap - 1);
      while (t[j]) j = (j + 1) & (cap - 1);
      t[j] = o;
    }
    free(p->kept);
    p->kept = t;
    p->kept_cap = cap;
  }
  size_t i = kept_slot(p, k, w->path);
  if (p->kept[i]) { /* met twice (two roots naming one file): the first stays */
    pthread_mutex_unlock(&p->kept_mu);
    free(w->bytes);
    free(w);
    return;
  }
  while (p->kept_n && p->kept_bytes + len > KEPT_BUDGET) kept_drop_oldest(p);
  if (p->kept_n == p->kept_ring) { /* grow the ring, oldest first again */
    size_t cap = p->kept_ring ? p->kept_ring * 2 : 1024;
    walk_bytes **o = rl_xcalloc(cap, sizeof *o);
    for (size_t j = 0; j < p->kept_n; j++) o[j] = p->kept_order[(p->kept_head + j) % p->kept_ring];
    free(p->kept_order);
    p->kept_order = o;
    p->kept_ring = cap;
    p->kept_head = 0;
  }
  p->kept_order[(p->kept_head + p->kept_n++) % p->kept_ring] = w;
  p->kept[i] = w;
  p->nkept++;
  p->kept_bytes += len;
  pthread_mutex_unlock(&p->kept_mu);
}

/* The bytes the walk read of path, taken (the model reads a module once),
 * or NULL; *scanned says whether the walk scanned the file at all (its
 * bytes kept or already gone): its policy then let it be read. */
static char *kept_take(rl_project *p, const char *path, size_t *len, int *scanned) {
  char *out = NULL;
  char *norm = path_clean(path) ? NULL : path_normalize(path); /* as rl_project_keep stored it */
  const char *q = norm ? norm : path;
  uint64_t k = path_key(q, strlen(q));
  pthread_mutex_lock(&p->kept_mu);
  walk_bytes *w = p->nkept ? p->kept[kept_slot(p, k, q)] : NULL;
  *scanned = w != NULL;
  if (w && w->bytes) {
    out = w->bytes;
    *len = w->len;
    p->kept_bytes -= w->len;
    w->bytes = NULL;
  }
  pthread_mutex_unlock(&p->kept_mu);
  free(norm);
  return out;
}

/* NULL if the policy lets path be read, else why not (static). */
static const char *policy_refuses(rl_project *p, const char *path) {
  char *real = rl_walk_judge_realpath(p->judge, path);
  if (!real) return "cannot be resolved";
  const char *root = NULL;
  for (size_t i = 0; i < p->nroots && !root; i++) {
    size_t k = strlen(p->roots[i]);
    if (!strcmp(p->roots[i], "/") || (!strncmp(real, p->roots[i], k) && (real[k] == '/' || real[k] == '\0')))
      root = p->roots[i];
  }
  free(real);
  if (!root) return "outside the scanned root (a link, or a path that leaves it)";
  char *why = NULL;
  int ig = rl_walk_judge_path(p->judge, path, root, &why);
  free(why);
  if (ig != 0) return "left out by an ignore rule";
  return NULL;
}

/* A package.json inside a scanned root is read as the walk would read a
 * file there; one above every root (the walk reads the ignore files up
 * there too) or outside them (a buffer's made-up name) as before. Read even
 * with --no-project: the package decides contexts. */
static const char *pkg_refuses(void *data, const char *path) {
  rl_project *p = data;
  for (size_t i = 0; i < p->nroots; i++) {
    size_t k = strlen(p->roots[i]);
    if (!strcmp(p->roots[i], "/") || (!strncmp(path, p->roots[i], k) && (path[k] == '/' || path[k] == '\0')))
      return policy_refuses(p, path);
  }
  return NULL;
}

rl_pkgcache *rl_project_packages(rl_project *p) { return p ? p->pkgs : NULL; }

/* model_client.c's way in: the model's reading, parsers, paths and roots */
char *rl_project__read(rl_project *p, const char *path, size_t *len, const char **why) {
  return read_module(p, path, len, why);
}
rl_parser *rl_project__parser_take(rl_project *p) { return parser_take(p); }
void rl_project__parser_give(rl_project *p, rl_parser *ps) { parser_give(p, ps); }
char *rl_project__realpath(rl_project *p, const char *path) { return rl_walk_judge_realpath(p->judge, path); }
const rl_project_options *rl_project__options(const rl_project *p) { return &p->o; }
rl_clients *rl_project__clients(rl_project *p) { return p ? p->clients : NULL; }

static rl_parser *parser_take(rl_project *p) {
  rl_parser *ps = NULL;
  pthread_mutex_lock(&p->mu);
  if (p->nparsers) ps = p->parsers[--p->nparsers];
  pthread_mutex_unlock(&p->mu);
  return ps ? ps : rl_parser_new();
}

static void parser_give(rl_project *p, rl_parser *ps) {
  if (!ps) return;
  pthread_mutex_lock(&p->mu);
  p->parsers = rl_xreallocarray(p->parsers, p->nparsers + 1, sizeof *p->parsers);
  p->parsers[p->nparsers++] = ps;
  pthread_mutex_unlock(&p->mu);
}

/* Reads path under the policy: bytes (caller frees) or NULL with *why. */
static char *read_module(rl_project *p, const char *path, size_t *len, const char **why) {
  rl_lang lang = rl_lang_for_path(path);
  if (lang != RL_LANG_JS && lang != RL_LANG_TS && lang != RL_LANG_TSX) {
    *why = "not JavaScript or TypeScript";
    return NULL;
  }
  size_t max = p->o.max_file_size < MAX_MODULE_SIZE ? p->o.max_file_size : MAX_MODULE_SIZE;
  /* the walk's read of a file it scanned (its policy and binary test passed) */
  int scanned = 0;
  char *bytes = kept_take(p, path, len, &scanned);
  rl_skip s = RL_SKIP_NONE;
  if (!bytes) {
    *why = scanned ? NULL : policy_refuses(p, path);
    if (*why) return NULL;
    s = rl_file_read(path, max, &bytes, len);
  } else if (*len > max) {
    s = RL_SKIP_TOO_LARGE;
  }
  pthread_mutex_lock(&p->mu);
  p->files_read++;
  pthread_mutex_unlock(&p->mu);
  if (s != RL_SKIP_NONE) {
    *why = s == RL_SKIP_TOO_LARGE ? "larger than the size limit" : s == RL_SKIP_BINARY ? "binary" : "unreadable";
    free(bytes);
    return NULL;
  }
  if (rl_source_looks_minified(path, bytes, *len)) {
    *why = "minified";
    free(bytes);
    return NULL;
  }
  return bytes;
}

/* The entry of path, created if new (under p->mu). */
static mod_entry *entry_of(rl_project *p, const char *path) {
  void **hit = rl_smap_get(&p->mods, path);
  if (hit) return *hit;
  mod_entry *e = rl_xcalloc(1, sizeof *e);
  e->path = rl_xstrdup(path);
  e->nest_guard = -1;
  pthread_mutex_init(&e->jmu, NULL);
  rl_smap_put(&p->mods, path, e);
  return e;
}

static void pre_store(rl_project *p, mod_entry *e, const char *bytes, size_t len);

static void build_summary(rl_project *p, mod_entry *e) {
  size_t len = 0;
  const char *why = NULL;
  pthread_mutex_lock(&p->mu);
  char *bytes = e->pre_state == 2 ? e->pre_bytes : NULL; /* the prefilter's read */
  if (bytes) {
    len = e->pre_len;
    e->pre_bytes = NULL;
  }
  pthread_mutex_unlock(&p->mu);
  if (!bytes) bytes = read_module(p, e->path, &len, &why);
  pthread_mutex_lock(&p->mu);
  int claim = e->pre_state == 0; /* the prefilter's question, from this read */
  if (claim) e->pre_state = 1;
  pthread_mutex_unlock(&p->mu);
  if (claim) pre_store(p, e, bytes, len);
  if (!bytes) {
    e->why = why;
    return;
  }
  rl_arena *ta = rl_arena_new();
  rl_source src;
  rl_source_init(&src, e->path, bytes, len, rl_lang_for_path(e->path), ta);
  rl_parser *ps = parser_take(p);
  rl_tree *tree = ps ? rl_parse(ps, &src) : NULL;
  parser_give(p, ps);
  if (!tree) {
    e->why = "could not be parsed";
  } else {
    rl_jsfile *jf = rl_jsfile_new(&src, rl_tree_root(tree), ta);
    rl_jsfile_begin(jf);
    size_t nodes = rl_jsfile_node_count(jf);
    rl_jsfile_set_budget(jf, (uint64_t)nodes * SUMMARY_BUDGET_PER_NODE + SUMMARY_BUDGET_FLOOR);
    rl_jsfile_step(jf, nodes);
    e->arena = rl_arena_new();
    e->lm = rl_summary_build(jf, rl_tree_root(tree), e->path, e->arena);
    e->steps = rl_jsfile_steps(jf);
    if (rl_jsfile_exhausted(jf)) { /* what was cut short is unknown, not absent */
      e->lm = NULL;
      e->why = "analysis stopped";
    }
    rl_jsfile_end(jf);
  }
  rl_tree_free(tree);
  /* the summary holds copies (rl_summary_build writes only into e->arena):
   * the text and the tree's arena go now, so a large project keeps one
   * small arena per module, not every module's source and analysis */
  rl_arena_free(ta);
  free(bytes);
}

const rl_localmod *rl_project_local(rl_project *p, const char *path, const char **why, unsigned long long *steps) {
  if (why) *why = "no project model";
  if (steps) *steps = 0;
  if (!p || p->o.disabled || !path) return NULL;
  pthread_mutex_lock(&p->mu);
  mod_entry *e = entry_of(p, path);
  if (rl_once_claim(&e->state, &p->mu, &p->built)) {
    pthread_mutex_unlock(&p->mu);
    build_summary(p, e);
    pthread_mutex_lock(&p->mu);
    rl_once_done(&e->state, &p->built);
  }
  pthread_mutex_unlock(&p->mu);
  if (why) *why = e->why;
  if (steps) *steps = e->steps;
  return e->lm;
}

/* ---- may an import matter? (the prefilter's question) -------------------------------- */

#define MAX_PRE_VISITS 256 /* modules looked at per question; more: it may matter */

typedef struct pre_deps {
  rl_project *p;
  const char *from;
  const char **deps;
  size_t n;
  int outside; /* a specifier that names no project file and is not relative */
} pre_deps;

static int pre_dep(const char *spec, size_t len, void *arg) {
  pre_deps *d = arg;
  const char *path = rl_project_resolve(d->p, d->from, spec, len);
  if (!path) {
    if (len && spec[0] != '.') d->outside = 1;
    return 0;
  }
  for (size_t i = 0; i < d->n; i++)
    if (d->deps[i] == path) return 0;
  d->deps = rl_xreallocarray(d->deps, d->n + 1, sizeof *d->deps);
  d->deps[d->n++] = path;
  return 0;
}

/* Stores what the module's bytes say by themselves (rl_summary_bytes_matter)
 * and the project files they import, for the one thread that set
 * e->pre_state to 1. bytes NULL: unreadable, nothing matters. */
static void pre_store(rl_project *p, mod_entry *e, const char *bytes, size_t len) {
  int self = 0, act = 0;
  pre_deps d = {p, e->path, NULL, 0, 0};
  if (bytes) {
    rl_prefilter pf;
    rl_prefilter_init(&pf, bytes, len, rl_lang_for_path(e->path));
    self = rl_summary_bytes_matter(&pf);
    if (!self) rl_summary_each_import(&pf, pre_dep, &d);
    act = self || rl_summary_bytes_act(&pf, d.outside);
    rl_prefilter_clear(&pf);
  }
  pthread_mutex_lock(&p->mu);
  e->pre_self = self;
  e->pre_act = act;
  e->pre_deps = d.deps;
  e->npre_deps = d.n;
  rl_once_done(&e->pre_state, &p->built);
  pthread_mutex_unlock(&p->mu);
}

/* The module at path by itself: does it matter, and what it imports. Read
 * once: a summary built first answers it from its own read, and the bytes
 * read here are kept for build_summary. NULL when the policy leaves it out. */
static mod_entry *pre_local(rl_project *p, const char *path) {
  pthread_mutex_lock(&p->mu);
  mod_entry *e = entry_of(p, path);
  if (!rl_once_claim(&e->pre_state, &p->mu, &p->built)) {
    pthread_mutex_unlock(&p->mu);
    return e;
  }
  pthread_mutex_unlock(&p->mu);
  size_t len = 0;
  const char *why = NULL;
  char *bytes = read_module(p, path, &len, &why);
  pre_store(p, e, bytes, len);
  pthread_mutex_lock(&p->mu);
  if (bytes && e->state == 0) {
    e->pre_bytes = bytes;
    e->pre_len = len;
    bytes = NULL;
  }
  pthread_mutex_unlock(&p->mu);
  free(bytes);
  return e;
}

/* 1 if some module within the joins' reach of path (path itself, then what
 * it imports, to RL_PROJECT_MAX_DEPTH hops past it) may, by its own bytes,
 * have a symbol that matters (which 0: rl_summary_bytes_matter) or any
 * effect (which 1: rl_summary_bytes_act). Memoised per module: the walk from
 * a module is the same whoever asks. */
static int closure_may(rl_project *p, const char *path, int which) {
  pthread_mutex_lock(&p->mu);
  mod_entry *first = entry_of(p, path);
  int memo = first->closure[which];
  pthread_mutex_unlock(&p->mu);
  if (memo) return memo == 2;
  /* breadth first over the import graph, to the depth summaries are joined */
  const char *queue[MAX_PRE_VISITS];
  int depth[MAX_PRE_VISITS];
  size_t nq = 0;
  queue[nq] = path;
  depth[nq++] = 1;
  int yes = 0;
  for (size_t head = 0; head < nq && !yes; head++) {
    mod_entry *e = pre_local(p, queue[head]);
    if (!e) continue;
    if (which ? e->pre_act : e->pre_self) {
      yes = 1;
      break;
    }
    if (depth[head] > RL_PROJECT_MAX_DEPTH) continue; /* the joins read MAX_DEPTH hops past the first file */
    for (size_t i = 0; i < e->npre_deps && !yes; i++) {
      size_t k = 0;
      while (k < nq && queue[k] != e->pre_deps[i]) k++;
      if (k < nq) continue; /* seen: cycles end here */
      if (nq == MAX_PRE_VISITS) {
        yes = 1; /* too many to look at: it may */
        break;
      }
      queue[nq] = e->pre_deps[i];
      depth[nq++] = depth[head] + 1;
    }
  }
  pthread_mutex_lock(&p->mu);
  first->closure[which] = (signed char)(yes ? 2 : 1);
  pthread_mutex_unlock(&p->mu);
  return yes;
}

int rl_project_import_matters(rl_project *p, const char *from, const char *spec, size_t n) {
  if (!p || p->o.disabled) return 0;
  const char *path = rl_project_resolve(p, from, spec, n);
  return path && closure_may(p, path, 0);
}

/* ---- joining summaries across files ----------------------------------------------- */

typedef struct join {
  rl_project *p;
  rl_arena *arena;
  rl_jsfile *asking;
  const char *visited[MAX_JOIN_VISITS]; /* "path\nname" */
  size_t nvisited;
  /* an alias whose specifier names no project file (a package re-exported:
   * `import cors from 'cors'; export { cors }`): its canonical name
   * ("cors:", "hono/cors:cors"), the look-up's end */
  const char *package;
} join;

/* "spec:name" as rl_js_resolve spells an import ("default" and "" alike: "spec:"). */
static const char *package_canon(join *j, const char *spec, const char *name) {
  if (!strcmp(name, "default")) name = "";
  return rl_arena_printf(j->arena, "%s:%s", spec, name);
}

static int join_seen(join *j, const char *path, const char *name) {
  const char *k = rl_arena_printf(j->arena, "%s\n%s", path, name);
  for (size_t i = 0; i < j->nvisited; i++)
    if (!strcmp(j->visited[i], k)) return 1;
  if (j->nvisited == MAX_JOIN_VISITS) return 1; /* too many: the rest unknown */
  j->visited[j->nvisited++] = k;
  return 0;
}

/* The local symbol for (path, name), aliases and stars followed; *at_path
 * is the file it is in. */
static const rl_localsym *find_sym(join *j, const char *path, const char *name, const char **at_path, int depth) {
  for (int hop = 0; hop < MAX_ALIAS_HOPS && path && depth <= RL_PROJECT_MAX_DEPTH; hop++) {
    unsigned long long steps = 0;
    const rl_localmod *m = rl_project_local(j->p, path, NULL, &steps);
    if (j->asking) rl_jsfile_step(j->asking, 1 + steps / 64);
    if (!m) return NULL;
    const rl_localsym *s = rl_localmod_find(m, name);
    if (!s) {
      /* "X.m" where X is an instance (default = new S()): S's method; the
       * longest head that is a symbol ("default.jwt.ttl": "default") */
      const char *dot = strrchr(name, '.');
      const rl_localsym *h = NULL;
      while (dot) {
        h = rl_localmod_find(m, rl_arena_strndup(j->arena, name, (size_t)(dot - name)));
        if (h && (h->alias.name || h->s.kind == RL_SYM_INSTANCE)) break;
        h = NULL;
        const char *prev = dot;
        dot = NULL;
        for (const char *q = name; q < prev; q++)
          if (*q == '.') dot = q;
      }
      if (dot) {
        if (h && h->alias.name) {
          /* an alias of the object: follow it with the member */
          const char *nm = rl_arena_printf(j->arena, "%s%s%s", h->alias.name, h->alias.name[0] ? "" : "default", dot);
          if (h->alias.spec) {
            const char *from = path;
            path = rl_project_resolve(j->p, from, h->alias.spec, strlen(h->alias.spec));
            if (!path)
              j->package = package_canon(
                  j, h->alias.spec, h->alias.name[0] ? rl_arena_printf(j->arena, "%s%s", h->alias.name, dot) : dot + 1);
            depth++;
          }
          name = nm;
          continue;
        }
        if (h && h->s.kind == RL_SYM_INSTANCE && h->s.class_name) {
          name = rl_arena_printf(j->arena, "%s%s", h->s.class_name, dot);
          if (h->deps && h->ndeps && h->deps[0].spec) { /* an imported class */
            path = rl_project_resolve(j->p, path, h->deps[0].spec, strlen(h->deps[0].spec));
            name = rl_arena_printf(j->arena, "%s%s", h->deps[0].name, dot);
            depth++;
          }
          continue;
        }
      }
      /* "" = the module object: its default export */
      if (!name[0]) {
        name = "default";
        continue;
      }
      /* a named import of a CommonJS instance: `module.exports = new S()` */
      if (strcmp(name, "default") && strncmp(name, "default.", 8) && name[0] != '#') {
        const rl_localsym *d = rl_localmod_find(m, "default");
        if (d && (d->s.kind == RL_SYM_INSTANCE || d->alias.name)) {
          name = rl_arena_printf(j->arena, "default.%s", name);
          continue;
        }
      }
      for (size_t i = 0; i < m->nstars; i++) {
        const char *sp = rl_project_resolve(j->p, path, m->stars[i], strlen(m->stars[i]));
        if (!sp || join_seen(j, sp, name)) continue;
        const rl_localsym *hit = find_sym(j, sp, name, at_path, depth + 1);
        if (hit) return hit;
      }
      return NULL;
    }
    if (s->alias.name) {
      if (s->alias.spec) {
        const char *from = path;
        path = rl_project_resolve(j->p, from, s->alias.spec, strlen(s->alias.spec));
        if (!path) j->package = package_canon(j, s->alias.spec, s->alias.name);
        depth++;
      }
      name = s->alias.name;
      continue;
    }
    *at_path = path;
    return s;
  }
  return NULL;
}

#define RL_EFF_RETURNS (RL_EFF_RETURNS_SECRET | RL_EFF_RETURNS_TOKEN)

/* A call on a client another file made: *out becomes the client's symbol
 * doing what pv says, named as called (RL_SYM_METHOD, no class). */
static void client_method(rl_symbol *out, const rl_symbol *inst, const rl_priv *pv) {
  *out = *inst;
  out->kind = RL_SYM_METHOD;
  out->class_name = NULL;
  out->effects = RL_EFF_PROVIDER_API | (pv->room ? RL_EFF_ROOM_CHANGE : 0);
  out->what = pv->what;
  out->api_provider = pv->provider;
  out->api_method = pv->method;
  out->url_known = pv->url_known;
  out->at = inst->def;
}

/* `api.post('/rooms', ...)` where api is another file's axios.create({
 * baseURL }) instance (name "api.post", or "post" on the module's default
 * export): the request is the base URL and the path written at the call,
 * judged as a REST call written there would be. */
/* The client a call is made on: the symbol head names in path (or the
 * module's default export when head is NULL), by its own facts. find_sym
 * follows re-exports within the join's bounds; a full join here started a
 * new one for every import without effects, and a cycle of imports never
 * ended. */
static const rl_symbol *client_of(join *j, const char *path, const char *head, int depth) {
  const char *at = NULL;
  const rl_localsym *s = find_sym(j, path, head ? head : "default", &at, depth);
  return s ? &s->s : NULL;
}

/* `api.post('/rooms', ...)` where api is another file's axios.create({
 * baseURL }) instance (name "api.post", or "post" on the module's default
 * export): the request is the base URL and the path written at the call,
 * judged as a REST call written there would be. */
static int axios_effect(join *j, const char *path, const char *name, const char *method, const char *urltext, int depth,
                        rl_symbol *out) {
  const char *dot = strrchr(name, '.');
  const rl_symbol *inst =
      client_of(j, path, dot ? rl_arena_strndup(j->arena, name, (size_t)(dot - name)) : NULL, depth);
  if (!inst || !inst->base_url) return 0;
  const char *url = rl_arena_printf(j->arena, "%s%s", inst->base_url, urltext);
  rl_priv pv;
  if (!rl_priv_rest_url(j->arena, method, url, strlen(url), (TSNode){{0}, NULL, NULL}, &pv, NULL)) return 0;
  client_method(out, inst, &pv);
  return 1;
}

/* `rs.updateParticipant(...)` where rs is another file's `new
 * RoomServiceClient(...)` (name "rs.updateParticipant"), or a method on the
 * module's default export (`module.exports = new OpenTok(k, s)`;
 * `ot.createSession()`): the provider SDK's table judges the method. */
static int sdk_effect(join *j, const char *path, const char *name, int depth, rl_symbol *out) {
  const char *dot = strchr(name, '.');
  if (dot && !dot[1]) return 0;
  const rl_symbol *inst =
      client_of(j, path, dot ? rl_arena_strndup(j->arena, name, (size_t)(dot - name)) : NULL, depth);
  if (!inst || inst->kind != RL_SYM_INSTANCE || !inst->instance_of) return 0;
  rl_priv pv;
  if (!rl_priv_sdk_method(inst->instance_of, dot ? dot + 1 : name, &pv)) return 0;
  client_method(out, inst, &pv);
  return 1;
}

/* The privileged work of calling name (in path) on a client made there:
 * an axios instance with a provider base URL (the path's text and method
 * given) or a provider SDK client. */
static int client_effect(join *j, const char *path, const char *name, const char *method, const char *urltext,
                         int depth, rl_symbol *out) {
  return (method && axios_effect(j, path, name, method, urltext, depth, out)) || sdk_effect(j, path, name, depth, out);
}

static void join_into(join *j, rl_symbol *out, const char *path, const char *name, int depth);

/* What a symbol returns flows in only from the calls whose value it
 * returns (facts/returns.c), not from every call it makes. */
static void apply_returns(rl_symbol *out, const rl_symbol *sub) {
  unsigned fresh = sub->effects & RL_EFF_RETURNS & ~out->effects;
  if (!fresh) return;
  out->effects |= fresh;
  if ((fresh & RL_EFF_RETURNS_SECRET) && !out->secret_name) out->secret_name = sub->secret_name;
  if (fresh & RL_EFF_RETURNS_TOKEN) {
    out->returns_management |= sub->returns_management; /* or the caller's claims say so */
    out->returns_what = sub->returns_what;
  }
  if (!out->returns_at.path) out->returns_at = sub->returns_at;
}

static int same_ref(const rl_symref *a, const rl_symref *b) {
  return !strcmp(a->name, b->name) && (a->spec == b->spec || (a->spec && b->spec && !strcmp(a->spec, b->spec)));
}

static int is_ret_dep(const rl_localsym *s, const rl_symref *d) {
  for (size_t i = 0; i < s->nret_deps; i++)
    if (same_ref(&s->ret_deps[i], d)) return 1;
  return 0;
}

/* Returned calls that are not among the calls joined already (this.#m()). */
static void join_returns(join *j, rl_symbol *out, const rl_localsym *s, const char *at, int depth) {
  for (size_t i = 0; i < s->nret_deps; i++) {
    const rl_symref *d = &s->ret_deps[i];
    int joined = 0;
    for (size_t k = 0; k < s->ndeps && !joined; k++) joined = same_ref(&s->deps[k], d);
    if (joined) continue;
    const char *dp = d->spec ? rl_project_resolve(j->p, at, d->spec, strlen(d->spec)) : at;
    if (!dp) continue;
    rl_symbol sub;
    memset(&sub, 0, sizeof sub);
    join_into(j, &sub, dp, d->name, depth + (d->spec ? 1 : 0));
    if (sub.name) apply_returns(out, &sub);
  }
}

static void join_into(join *j, rl_symbol *out, const char *path, const char *name, int depth) {
  if (depth > RL_PROJECT_MAX_DEPTH || !path || join_seen(j, path, name)) return;
  const char *at = NULL;
  const rl_localsym *s = find_sym(j, path, name, &at, depth);
  if (!s) return;
  if (!out->name) { /* the first: its own facts */
    *out = s->s;
  } else {
    unsigned fresh = s->s.effects & ~out->effects;
    if (!out->what && s->s.what) {
      out->what = s->s.what;
      out->at = s->s.at;
    }
    if ((fresh & RL_EFF_MINT) && !(out->effects & RL_EFF_MINT)) out->mint = s->s.mint;
    out->effects |= s->s.effects;
  }
  for (size_t i = 0; i < s->ndeps; i++) {
    const rl_symref *d = &s->deps[i];
    const char *dp = d->spec ? rl_project_resolve(j->p, at, d->spec, strlen(d->spec)) : at;
    if (!dp) continue;
    rl_symbol sub;
    memset(&sub, 0, sizeof sub);
    join_into(j, &sub, dp, d->name, depth + (d->spec ? 1 : 0));
    if (d->spec && !(sub.effects & RL_EFF_PROVIDER_API) &&
        client_effect(j, dp, d->name, d->method, d->url, depth + 1, &sub)) {
      sub.name = strncmp(d->name, "default.", 8) ? d->name : d->name + 8; /* `import api from`: api.post */
      if (d->at.path) sub.at = d->at;
    }
    if (!sub.name) continue;
    /* what a callee does flows in; a callee that authenticates makes the
     * caller authenticate too (it throws or answers for it) */
    if (!out->what && sub.what) {
      out->what = sub.what;
      out->at = sub.at;
    }
    if ((sub.effects & RL_EFF_MINT) && !(out->effects & RL_EFF_MINT)) out->mint = sub.mint;
    out->effects |= sub.effects & ~RL_EFF_AUTH_MW & ~RL_EFF_RETURNS & ~RL_EFF_SETS_USER;
    if (is_ret_dep(s, d)) apply_returns(out, &sub);
  }
  join_returns(j, out, s, at, depth);
}

const rl_symbol *rl_project_symbol(rl_project *p, const char *path, const char *name, rl_arena *arena, rl_jsfile *jf) {
  if (!p || p->o.disabled || !path || !name) return NULL;
  join j;
  memset(&j, 0, sizeof j);
  j.p = p;
  j.arena = arena;
  j.asking = jf;
  rl_symbol *out = rl_arena_calloc(arena, 1, sizeof *out);
  join_into(&j, out, path, name, 0);
  return out->name ? out : NULL;
}

/* ---- files judged whole ------------------------------------------------------------ */

/* The parsed file at path, kept for the run (under e->jmu for use). */
static mod_entry *kept_file(rl_project *p, const char *path) {
  pthread_mutex_lock(&p->mu);
  mod_entry *e = entry_of(p, path);
  pthread_mutex_unlock(&p->mu);
  pthread_mutex_lock(&e->jmu);
  if (e->kept == 0) {
    e->kept = -1;
    size_t len = 0;
    const char *why = NULL;
    pthread_mutex_lock(&p->mu);
    char *bytes = NULL;
    const char *had = e->mount_state == 2 && e->mount_bytes   ? e->mount_bytes
                      : e->route_state == 2 && e->route_bytes ? e->route_bytes
                                                              : NULL;
    if (had) {
      len = had == e->mount_bytes ? e->mount_len : e->route_len;
      bytes = rl_xmalloc(len + 1);
      memcpy(bytes, had, len);
      bytes[len] = '\0';
    }
    pthread_mutex_unlock(&p->mu);
    if (!bytes) bytes = read_module(p, path, &len, &why); /* read once: the mount search's read, if any */
    if (bytes) {
      e->tarena = rl_arena_new();
      rl_source_init(&e->src, e->path, bytes, len, rl_lang_for_path(path), e->tarena);
      rl_parser *ps = parser_take(p);
      e->tree = ps ? rl_parse(ps, &e->src) : NULL;
      parser_give(p, ps);
      if (e->tree) {
        e->bytes = bytes;
        e->jf = rl_jsfile_new(&e->src, rl_tree_root(e->tree), e->tarena);
        e->kept = 1;
      } else {
        rl_arena_free(e->tarena);
        e->tarena = NULL;
        free(bytes);
      }
    }
  }
  if (e->kept != 1) {
    pthread_mutex_unlock(&e->jmu);
    return NULL;
  }
  return e; /* locked */
}

/* The folder holding the pages/ or app/ folder of a Next.js route file:
 * "" for "pages/api/x.ts", "web/src/" for "web/src/app/api/t/route.ts".
 * Caller frees. */
static char *next_root(const char *path, const char *framework) {
  const char *comp = !strcmp(framework, "next-pages") ? "pages/api/" : "app/";
  size_t k = strlen(comp);
  for (const char *s = path; *s; s++)
    if ((s == path || s[-1] == '/') && !strncmp(s, comp, k)) return rl_xstrndup(path, (size_t)(s - path));
  return NULL;
}

typedef struct kept_ask {
  rl_project *p;
  mod_entry *e;
  rl_arena *arena;
} kept_ask;

/* What a call in a kept file does, through its own imports. */
static int kept_callee_auth(void *data, TSNode call) {
  kept_ask *k = data;
  rl_symref r;
  if (!rl_summary_ref(k->e->jf, call, 0, &r) || !r.spec) return 0;
  const char *path = rl_project_resolve(k->p, k->e->path, r.spec, strlen(r.spec));
  const rl_symbol *s = path ? rl_project_symbol(k->p, path, r.name, k->arena, k->e->jf) : NULL;
  return s && (s->effects & RL_EFF_AUTH);
}

int rl_project_next_middleware_covers(rl_project *p, const char *from, const char *route, const char *framework,
                                      rl_jsfile *asking) {
  if (!p || p->o.disabled || !from || !route) return 0;
  if (strcmp(framework, "next-pages") && strcmp(framework, "next-app")) return 0;
  char *dir = next_root(from, framework);
  if (!dir) return 0;
  /* Next.js takes the first of these it finds; so does this. */
  static const char *const names[] = {
      "middleware.ts", "middleware.js", "middleware.mjs", "proxy.ts", "proxy.js", "proxy.mjs", NULL};
  int covered = 0;
  for (size_t i = 0; names[i]; i++) {
    rl_buf b = {0};
    rl_buf_printf(&b, "%s%s", dir, names[i]);
    int exists = is_regular(b.ptr);
    mod_entry *e = exists ? kept_file(p, b.ptr) : NULL;
    rl_buf_free(&b);
    if (!exists) continue;
    if (e) {
      rl_jsfile_begin(e->jf);
      kept_ask k = {p, e, rl_arena_new()};
      covered = rl_auth_next_middleware(e->jf, rl_tree_root(e->tree), route, kept_callee_auth, &k);
      rl_arena_free(k.arena);
      if (asking)
        rl_jsfile_begin(asking);
      else
        rl_jsfile_end(e->jf);
      pthread_mutex_unlock(&e->jmu);
    }
    break;
  }
  free(dir);
  return covered;
}

static int judge_guard(rl_project *p, const char *path, rl_jsfile *asking) {
  mod_entry *e = kept_file(p, path);
  if (!e) return 0;
  if (e->nest_guard < 0) {
    rl_jsfile_begin(e->jf);
    e->nest_guard = rl_auth_nest_global_guard(e->jf, rl_tree_root(e->tree));
    if (asking)
      rl_jsfile_begin(asking);
    else
      rl_jsfile_end(e->jf);
  }
  int g = e->nest_guard;
  pthread_mutex_unlock(&e->jmu);
  return g;
}

/* The NestJS bootstrap files of the app a controller at from belongs to:
 * main.ts and app.module.ts of the nearest folder above it holding either;
 * the search stops at the folder holding package.json. 1 with the paths
 * (NULL for the one absent; caller frees), 0 when there are none. */
static int nest_files(const char *from, char **main_out, char **mod_out) {
  char *dir = path_dir(from);
  int found = 0;
  *main_out = *mod_out = NULL;
  for (int up = 0; up < 8; up++) {
    char *main_ts = path_join(dir, "main.ts", 7), *mod = path_join(dir, "app.module.ts", 13);
    char *pkg = path_join(dir, "package.json", 12);
    int has_main = is_regular(main_ts), has_mod = is_regular(mod), has_pkg = is_regular(pkg);
    free(pkg);
    if (has_main || has_mod) {
      found = 1;
      *main_out = has_main ? main_ts : (free(main_ts), NULL);
      *mod_out = has_mod ? mod : (free(mod), NULL);
      break;
    }
    free(main_ts);
    free(mod);
    if (has_pkg || !(dir = path_up(dir))) break;
  }
  free(dir);
  return found;
}

/* NestJS registers app-wide guards in main.ts (useGlobalGuards) or in the
 * root module (an APP_GUARD provider in app.module.ts). */
int rl_project_nest_global_guard(rl_project *p, const char *from, rl_jsfile *asking) {
  if (!p || p->o.disabled || !from) return 0;
  char *main_ts, *mod;
  if (!nest_files(from, &main_ts, &mod)) return 0;
  int verdict = (main_ts && judge_guard(p, main_ts, asking)) || (mod && judge_guard(p, mod, asking));
  free(main_ts);
  free(mod);
  return verdict;
}

/* The CORS policy main.ts enables, when it lets any origin in. */
const char *rl_project_nest_cors(rl_project *p, const char *from, rl_jsfile *asking, const char **path,
                                 uint32_t *line) {
  if (!p || p->o.disabled || !from) return NULL;
  char *main_ts, *mod;
  if (!nest_files(from, &main_ts, &mod)) return NULL;
  free(mod);
  mod_entry *e = main_ts ? kept_file(p, main_ts) : NULL;
  free(main_ts);
  if (!e) return NULL;
  if (!e->nest_cors_asked) {
    e->nest_cors_asked = 1;
    rl_jsfile_begin(e->jf);
    e->nest_cors = rl_cors_nest_bootstrap(e->jf, rl_tree_root(e->tree), e->tarena, &e->nest_cors_line);
    if (asking)
      rl_jsfile_begin(asking);
    else
      rl_jsfile_end(e->jf);
  }
  const char *what = e->nest_cors;
  *path = e->path;
  *line = e->nest_cors_line;
  pthread_mutex_unlock(&e->jmu);
  return what;
}

/* ---- package versions pinned by the lockfile ------------------------------------------ */

#define MAX_LOCK_CLIMB 10 /* folders climbed from the asking file to its lockfile */

static const char *const lock_names[] = {"package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml"};

/* The nearest lockfile at or above the folder of from (a workspace's
 * lockfile sits at the repository's top, above the packages' package.json
 * files), or NULL. Caller frees. */
static char *nearest_lockfile(const char *from) {
  char *dir = path_dir(from), *hit = NULL;
  for (int up = 0; up < MAX_LOCK_CLIMB && !hit; up++) {
    for (size_t i = 0; i < RL_ARRAY_LEN(lock_names) && !hit; i++) {
      char *f = path_join(dir, lock_names[i], strlen(lock_names[i]));
      if (is_regular(f))
        hit = f;
      else
        free(f);
    }
    if (hit || !(dir = path_up(dir))) break;
  }
  free(dir);
  return hit;
}

/* With no lockfile entry: the lowest major that the nearest package.json's
 * declared range admits ("^9.0.2" -> 9), the range copied into out. An
 * install takes a version inside the range, so it is a floor, as the
 * lockfile's is an exact answer. */
static int declared_version(rl_project *p, const char *from, const char *name, char *out, size_t outsz,
                            const char **lockfile) {
  rl_pkg_info info = rl_pkgcache_info(p->pkgs, from);
  if (!info.ranges) return -1;
  rl_buf b = {0};
  rl_buf_printf(&b, "\n%s ", name);
  const char *at = strstr(info.ranges, b.ptr);
  size_t skip = b.len;
  rl_buf_free(&b);
  if (!at) return -1;
  const char *r = at + skip, *end = strchr(r, '\n');
  size_t rn = end ? (size_t)(end - r) : strlen(r);
  int major = rl_semver_range_floor(r, rn);
  if (major < 0) return -1;
  if (outsz) {
    size_t k = rn < outsz - 1 ? rn : outsz - 1;
    memcpy(out, r, k);
    out[k] = '\0';
  }
  if (lockfile) *lockfile = "package.json";
  return major;
}

int rl_project_package_version(rl_project *p, const char *from, const char *name, char *out, size_t outsz,
                               const char **lockfile) {
  if (outsz) out[0] = '\0';
  if (lockfile) *lockfile = NULL;
  if (!p || p->o.disabled || !from || !name) return -1;
  char *path = nearest_lockfile(from);
  if (!path) return declared_version(p, from, name, out, outsz, lockfile);
  pthread_mutex_lock(&p->mu);
  void **hit = rl_smap_get(&p->locks, path);
  lock_text *l = hit ? *hit : NULL;
  if (!hit) {
    pthread_mutex_unlock(&p->mu);
    /* read outside the lock; a second reader of the same file keeps the first copy */
    lock_text *fresh = rl_xcalloc(1, sizeof *fresh);
    fresh->path = rl_xstrdup(path);
    if (policy_refuses(p, path) || rl_file_read(path, p->o.max_file_size, &fresh->bytes, &fresh->len) != RL_SKIP_NONE) {
      free(fresh->bytes);
      fresh->bytes = NULL;
    }
    pthread_mutex_lock(&p->mu);
    p->files_read++;
    hit = rl_smap_get(&p->locks, path);
    if (hit) {
      lock_free(fresh);
      l = *hit;
    } else {
      rl_smap_put(&p->locks, path, fresh);
      l = fresh;
    }
  }
  pthread_mutex_unlock(&p->mu);
  int major = -1;
  if (l && l->bytes) {
    const char *slash = strrchr(path, '/');
    major = rl_lockfile_version(slash ? slash + 1 : path, l->bytes, l->len, name, out, outsz);
  }
  if (major >= 0 && lockfile) *lockfile = l->path;
  free(path);
  return major >= 0 ? major : declared_version(p, from, name, out, outsz, lockfile);
}

/* ---- routers mounted from other files (Express) -------------------------------------- */

#define MAX_MOUNT_DIRS 4        /* folders climbed from the router's file */
#define MAX_MOUNT_CANDIDATES 64 /* files that may mount the router parsed per question */

typedef struct mount_ask {
  rl_project *p;
  mod_entry *e;    /* the candidate file (kept, locked) */
  char *target;    /* the router file's real path */
  rl_arena *arena; /* answers of rl_project_symbol */
} mount_ask;

/* The import specifier e comes from in the candidate: require('x') inline,
 * or a binding made by an import or require (rl_js_resolve: "spec:name"). */
static const char *mount_spec(mount_ask *m, TSNode e, const char **name) {
  const char *spec;
  size_t sl;
  if (!rl_js_module_ref(m->e->jf, e, &spec, &sl, name)) return NULL;
  return rl_arena_strndup(m->arena, spec, sl);
}

static int mount_is_target(void *data, TSNode e) {
  mount_ask *m = data;
  const char *name;
  const char *spec = mount_spec(m, e, &name);
  const char *path = spec ? rl_project_resolve(m->p, m->e->path, spec, strlen(spec)) : NULL;
  if (!path) return 0;
  char *real = rl_walk_judge_realpath(m->p->judge, path);
  int same = real && !strcmp(real, m->target);
  free(real);
  return same;
}

static int mount_auth_of(void *data, TSNode e) {
  mount_ask *m = data;
  const char *name;
  const char *spec = mount_spec(m, e, &name);
  const char *path = spec ? rl_project_resolve(m->p, m->e->path, spec, strlen(spec)) : NULL;
  const rl_symbol *s = path ? rl_project_symbol(m->p, path, name[0] ? name : "default", m->arena, m->e->jf) : NULL;
  if (!s) return -1;
  if (s->effects & RL_EFF_AUTH) return 1;
  return s->kind == RL_SYM_FUNCTION ? 0 : -1;
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* dir's candidates, listed once per run. */
static const mount_dir *mount_dir_of(rl_project *p, const char *dir) {
  pthread_mutex_lock(&p->mu);
  void **hit = rl_smap_get(&p->mount_dirs, dir);
  pthread_mutex_unlock(&p->mu);
  if (hit) return *hit;
  mount_dir *d = rl_xcalloc(1, sizeof *d);
  DIR *dh = opendir(dir);
  struct dirent *de;
  while (dh && (de = readdir(dh))) {
    rl_lang lang = rl_lang_for_path(de->d_name);
    if (de->d_name[0] != '.' && strcmp(de->d_name, "node_modules") &&
        (lang != RL_LANG_JS && lang != RL_LANG_TS && lang != RL_LANG_TSX)) {
      char *sub = path_join(dir, de->d_name, strlen(de->d_name));
      if (is_dir(sub)) {
        d->dirs = rl_xreallocarray(d->dirs, d->ndirs + 1, sizeof *d->dirs);
        d->dirs[d->ndirs++] = sub;
      } else {
        free(sub);
      }
      continue;
    }
    if (de->d_name[0] == '.' || (lang != RL_LANG_JS && lang != RL_LANG_TS && lang != RL_LANG_TSX)) continue;
    char *cand = path_join(dir, de->d_name, strlen(de->d_name));
    if (!is_regular(cand)) {
      free(cand);
      continue;
    }
    d->paths = rl_xreallocarray(d->paths, d->n + 1, sizeof *d->paths);
    d->paths[d->n++] = cand;
  }
  if (dh) closedir(dh);
  if (d->n) qsort(d->paths, d->n, sizeof *d->paths, by_name); /* the same files looked at on every run */
  if (d->ndirs) qsort(d->dirs, d->ndirs, sizeof *d->dirs, by_name);
  d->reals = rl_xcalloc(d->n ? d->n : 1, sizeof *d->reals);
  for (size_t i = 0; i < d->n; i++) d->reals[i] = rl_walk_judge_realpath(p->judge, d->paths[i]);
  pthread_mutex_lock(&p->mu);
  hit = rl_smap_get(&p->mount_dirs, dir);
  if (hit) { /* another thread listed it meanwhile */
    mount_dir_free(d);
    d = *hit;
  } else {
    rl_smap_put(&p->mount_dirs, dir, d);
  }
  pthread_mutex_unlock(&p->mu);
  return d;
}

/* A file's text when it holds one of calls (read once per run under the
 * policy, kept in the entry: mounts or routes), else NULL: the cheap look of
 * the searches below before a file is parsed. */
static const char *text_calling(rl_project *p, const char *path, const char *const *calls, size_t *len, int mounts) {
  pthread_mutex_lock(&p->mu);
  mod_entry *e = entry_of(p, path);
  int *state = mounts ? &e->mount_state : &e->route_state;
  char **kept = mounts ? &e->mount_bytes : &e->route_bytes;
  size_t *klen = mounts ? &e->mount_len : &e->route_len;
  if (rl_once_claim(state, &p->mu, &p->built)) {
    pthread_mutex_unlock(&p->mu);
    size_t n = 0;
    const char *why = NULL;
    char *bytes = read_module(p, path, &n, &why);
    int hit = 0;
    for (size_t i = 0; bytes && calls[i] && !hit; i++) hit = memmem(bytes, n, calls[i], strlen(calls[i])) != NULL;
    if (bytes && !hit) {
      free(bytes);
      bytes = NULL;
    }
    pthread_mutex_lock(&p->mu);
    *kept = bytes;
    *klen = n;
    rl_once_done(state, &p->built);
  }
  pthread_mutex_unlock(&p->mu);
  *len = *klen;
  return *kept;
}

/* The candidate's text when it may mount routers (it calls .use() or
 * .register()); NULL otherwise. */
static const char *mount_text(rl_project *p, const char *path, size_t *len) {
  static const char *const calls[] = {".use(", ".register(", NULL};
  return text_calling(p, path, calls, len, 1);
}

/* The name a file that imports path writes for it: routes/token.js ->
 * "token"; routes/token/index.js -> "token". Caller frees. */
static char *import_base(const char *path) {
  char *base = rl_xstrdup(strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
  char *dot = strchr(base, '.');
  if (dot) *dot = '\0';
  if (!strcmp(base, "index")) {
    char *d = path_dir(path);
    free(base);
    base = rl_xstrdup(strrchr(d, '/') ? strrchr(d, '/') + 1 : d);
    free(d);
  }
  return base;
}

#define MAX_MOUNT_LEVELS 3 /* routers mounted in routers climbed for a guard */

static int router_mounted_auth(rl_project *p, const char *from, rl_jsfile *asking, const char **prefix, rl_arena *arena,
                               int level) {
  if (prefix) *prefix = NULL;
  if (!p || p->o.disabled || !from) return -1;
  char *target = rl_walk_judge_realpath(p->judge, from);
  if (!target) return -1;
  char *base = import_base(target); /* the name the mounting file writes */
  int verdict = -1, looked = 0, same = 1;
  const char *at = NULL;
  char *dir = path_dir(from);
  for (int up = 0; up < MAX_MOUNT_DIRS && verdict != 0 && looked < MAX_MOUNT_CANDIDATES; up++) {
    const mount_dir *md = mount_dir_of(p, dir);
    for (size_t i = 0; i < md->n && verdict != 0 && looked < MAX_MOUNT_CANDIDATES; i++) {
      if (!md->reals[i] || !strcmp(md->reals[i], target)) continue;
      /* a cheap look first: only a file that calls .use( and names the
       * router is parsed (and kept, like the other files judged whole) */
      size_t len = 0;
      const char *text = mount_text(p, md->paths[i], &len);
      if (!text || !memmem(text, len, base, strlen(base))) continue;
      looked++;
      mod_entry *e = kept_file(p, md->paths[i]);
      if (!e) continue;
      rl_jsfile_begin(e->jf);
      mount_ask m = {p, e, target, rl_arena_new()};
      const char *mp = NULL;
      int v = rl_auth_mount(e->jf, rl_tree_root(e->tree), mount_is_target, mount_auth_of, &m, &mp);
      if (v >= 0 && arena) { /* where this file mounts it, if all its mounts agree */
        if (!mp || (at && strcmp(at, mp)))
          same = 0;
        else if (!at)
          at = rl_arena_strdup(arena, mp);
      }
      rl_arena_free(m.arena);
      if (asking)
        rl_jsfile_begin(asking);
      else
        rl_jsfile_end(e->jf);
      pthread_mutex_unlock(&e->jmu);
      /* a router that mounts it unguarded may itself be mounted behind a
       * guard: `app.use('/api', requireAuth, routes)` over routes/index.js's
       * `router.use('/video', video)` (asked with no lock held) */
      const char *up_at = NULL;
      if (v == 0 && level + 1 < MAX_MOUNT_LEVELS &&
          router_mounted_auth(p, md->paths[i], asking, arena ? &up_at : NULL, arena, level + 1) == 1) {
        v = 1;
        if (up_at && at && same) at = rl_arena_printf(arena, "%s%s", up_at, at);
      }
      if (v >= 0) verdict = verdict == -1 ? v : verdict && v; /* every mount must be guarded */
    }
    char *pkg = path_join(dir, "package.json", 12);
    int top = is_regular(pkg);
    free(pkg);
    if (top || !(dir = path_up(dir))) break;
  }
  free(dir);
  free(base);
  free(target);
  if (prefix && same) *prefix = at;
  return verdict;
}

int rl_project_router_mounted_auth(rl_project *p, const char *from, rl_jsfile *asking, const char **prefix,
                                   rl_arena *arena) {
  return router_mounted_auth(p, from, asking, prefix, arena, 0);
}

/* ---- routes of other files whose handler is a file's export (Express) ------------------ */

#define MAX_HANDLER_UP 3          /* folders climbed from the handler's file */
#define MAX_HANDLER_READS 256     /* files read per question */
#define MAX_HANDLER_CANDIDATES 32 /* files parsed per question */
#define MAX_HANDLER_SUBDIRS 64    /* subfolders looked into per folder climbed */

/* The candidate's text when it may register a route (it calls a route
 * method); NULL otherwise. */
static const char *route_text(rl_project *p, const char *path, size_t *len) {
  static const char *const calls[] = {".get(", ".post(", ".put(", ".patch(", ".delete(", ".all(", ".route(", NULL};
  return text_calling(p, path, calls, len, 0);
}

static int local_spec(const char *spec, size_t sl);

typedef struct handler_ask {
  rl_project *p;
  mod_entry *e;       /* the candidate (kept, locked) */
  const char *target; /* the handler file's real path */
  rl_arena *arena;    /* the answers: the asking file's */
  rl_arena *scratch;
  rl_handler_route *out;
  size_t n, cap;
} handler_ask;

/* A middleware argument that authenticates: by its name, or by the code
 * of the project function it names. */
static int handler_mw_auth(handler_ask *h, TSNode mw) {
  const char *spec, *name;
  size_t sl;
  if (rl_js_module_ref(h->e->jf, mw, &spec, &sl, &name)) {
    const char *path = rl_project_resolve(h->p, h->e->path, spec, sl);
    const rl_symbol *s = path ? rl_project_symbol(h->p, path, name[0] ? name : "default", h->scratch, h->e->jf) : NULL;
    if (s && s->kind == RL_SYM_FUNCTION) return (s->effects & RL_EFF_AUTH) != 0;
  }
  return rl_auth_middleware(h->e->jf, mw);
}

static void handler_route(void *data, const rl_route *r) {
  handler_ask *h = data;
  if (h->n >= h->cap || !ts_node_is_null(r->handler) || ts_node_is_null(r->handler_expr)) return;
  /* asyncHandler(c.generateToken), catchAsync(...): the wrapped export */
  TSNode e = rl_js_unwrap(r->handler_expr);
  for (int depth = 0; depth < 2 && !strcmp(ts_node_type(e), "call_expression"); depth++) {
    TSNode args = rl_js_field(e, "arguments");
    uint32_t na = ts_node_named_child_count(args);
    if (!na) return;
    e = rl_js_unwrap(ts_node_named_child(args, na - 1));
  }
  if (strcmp(ts_node_type(e), "identifier") && strcmp(ts_node_type(e), "member_expression")) return;
  const char *spec, *name;
  size_t sl;
  if (!rl_js_module_ref(h->e->jf, e, &spec, &sl, &name) || !local_spec(spec, sl)) return;
  const char *path = rl_project_resolve(h->p, h->e->path, spec, sl);
  char *real = path ? rl_walk_judge_realpath(h->p->judge, path) : NULL;
  int same = real && !strcmp(real, h->target);
  free(real);
  if (!same || strchr(name, '.')) return; /* c.default.x, a class's method: not a plain export */
  rl_handler_route *o = &h->out[h->n++];
  memset(o, 0, sizeof *o);
  o->export_name = rl_arena_strdup(h->arena, name[0] ? name : "default");
  o->method = rl_arena_strdup(h->arena, r->method);
  o->path = rl_arena_strdup(h->arena, r->path);
  o->framework = r->framework;
  o->at.path = h->e->path;
  rl_source_position(&h->e->src, ts_node_start_byte(r->registration), &o->at.line, &o->at.col);
  for (uint32_t i = 0; i < r->nmiddlewares && i < RL_HANDLER_ROUTE_MAX_MW; i++) {
    size_t l;
    const char *t = rl_js_text(h->e->jf, r->middlewares[i], &l);
    o->middlewares[o->nmiddlewares++] = rl_arena_strndup(h->arena, t ? t : "", t ? l : 0);
    if (handler_mw_auth(h, rl_js_unwrap(r->middlewares[i]))) o->authenticated = 1;
  }
}

/* Looks for the routes in the files of one folder. */
static void handler_folder(handler_ask *h, const char *dir, const char *base, rl_jsfile *asking, int *reads,
                           int *parsed) {
  const mount_dir *md = mount_dir_of(h->p, dir);
  for (size_t i = 0; i < md->n && h->n < h->cap && *reads < MAX_HANDLER_READS && *parsed < MAX_HANDLER_CANDIDATES;
       i++) {
    if (!md->reals[i] || !strcmp(md->reals[i], h->target)) continue;
    size_t len = 0;
    ++*reads;
    const char *text = route_text(h->p, md->paths[i], &len);
    if (!text || !memmem(text, len, base, strlen(base))) continue;
    ++*parsed;
    mod_entry *e = kept_file(h->p, md->paths[i]);
    if (!e) continue;
    rl_jsfile_begin(e->jf);
    size_t first = h->n;
    h->e = e;
    rl_routes_each(e->jf, rl_tree_root(e->tree), e->path, handler_route, h);
    h->e = NULL;
    if (asking)
      rl_jsfile_begin(asking);
    else
      rl_jsfile_end(e->jf);
    pthread_mutex_unlock(&e->jmu);
    if (h->n == first) continue;
    /* the router's mount (asked with no lock held): its path in front,
     * and authentication there covers the routes */
    const char *prefix = NULL;
    int mounted = router_mounted_auth(h->p, md->paths[i], asking, &prefix, h->arena, 0);
    for (size_t k = first; k < h->n; k++) {
      rl_handler_route *o = &h->out[k];
      if (mounted == 1) o->authenticated = 1;
      if (!prefix) continue;
      size_t pl = strlen(prefix);
      while (pl > 0 && prefix[pl - 1] == '/') pl--;
      o->path = rl_arena_printf(h->arena, "%.*s%s", (int)pl, prefix, strcmp(o->path, "/") || !pl ? o->path : "");
    }
  }
}

size_t rl_project_handler_routes(rl_project *p, const char *from, rl_jsfile *asking, rl_arena *arena,
                                 rl_handler_route *out, size_t cap) {
  if (!p || p->o.disabled || !from || !cap) return 0;
  char *target = rl_walk_judge_realpath(p->judge, from);
  if (!target) return 0;
  char *base = import_base(target);
  handler_ask h = {p, NULL, target, arena, rl_arena_new(), out, 0, cap};
  int reads = 0, parsed = 0;
  char *dir = path_dir(from), *came = NULL;
  for (int up = 0; up < MAX_HANDLER_UP && dir && h.n < cap; up++) {
    handler_folder(&h, dir, base, asking, &reads, &parsed);
    /* its subfolders: routes/ beside controllers/ (the one climbed from was seen) */
    const mount_dir *md = mount_dir_of(p, dir);
    for (size_t i = 0; i < md->ndirs && i < MAX_HANDLER_SUBDIRS && h.n < cap; i++)
      if (!came || strcmp(md->dirs[i], came)) handler_folder(&h, md->dirs[i], base, asking, &reads, &parsed);
    char *pkg = path_join(dir, "package.json", 12);
    int top = is_regular(pkg);
    free(pkg);
    free(came);
    came = rl_xstrdup(dir);
    if (top) break;
    dir = path_up(dir);
  }
  free(dir);
  free(came);
  /* where the current file defines each export */
  for (size_t k = 0; k < h.n; k++) {
    const rl_symbol *s = rl_project_symbol(p, from, out[k].export_name, h.scratch, asking);
    if (s) out[k].handler = s->def;
  }
  rl_arena_free(h.scratch);
  free(base);
  free(target);
  return h.n;
}

/* ---- what rules ask (facts/project.h) ------------------------------------------------ */

/* The path the current file is read from, for the project's questions. */
static const char *ctx_from(rl_ctx *ctx) {
  const char *from = rl_ctx__fs_path(ctx);
  return from ? from : rl_ctx_source(ctx)->path;
}

int rl_ctx_project_enabled(rl_ctx *ctx) {
  rl_project *p = rl_ctx__project(ctx);
  return p && !p->o.disabled;
}

int rl_symbol_reads_key(const rl_symbol *s, uint32_t i, const char *key, size_t len) {
  if (!s || (s->kind != RL_SYM_FUNCTION && s->kind != RL_SYM_METHOD && !(s->kind == RL_SYM_CLASS && s->mints_via)))
    return 1;
  if (i >= s->nparam_keys) {
    /* no such parameter (a rest one is recorded as reading any) */
    return 0;
  }
  if (i >= RL_SYM_MAX_PARAMS) return 1;
  return rl_js_keys_have(s->param_keys[i], key, len);
}

const rl_symbol *rl_module_symbol(const rl_module *m, const char *name) {
  size_t lo = 0, hi = m ? m->nsyms : 0;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(m->syms[mid].name, name);
    if (c == 0) return &m->syms[mid];
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

/* The name a call is made by: `f` of f() and `m` of x.m(), new C(). */
static int call_name(rl_jsfile *jf, TSNode c, const char **s, size_t *n) {
  TSNode fn = rl_js_unwrap(rl_js_field(c, "function"));
  if (ts_node_is_null(fn)) fn = rl_js_unwrap(rl_js_field(c, "constructor"));
  if (!ts_node_is_null(fn) && !strcmp(ts_node_type(fn), "member_expression")) fn = rl_js_field(fn, "property");
  *s = ts_node_is_null(fn) ? NULL : rl_js_text(jf, fn, n);
  return *s != NULL;
}

/* r's symbol. With a call (rl_ctx_callee's question: effects only) the
 * answer is NULL without a parse when no module within reach can have an
 * effect by its bytes, unless the call's name alone suggests a route's work:
 * there a known function without effects and an unknown one are judged
 * apart. */
static const rl_symbol *ask_ref(rl_ctx *ctx, const rl_symref *r, TSNode call) {
  rl_project *p = rl_ctx__project(ctx);
  const char *path = rl_project_resolve(p, ctx_from(ctx), r->spec, strlen(r->spec));
  if (!path) return NULL;
  const char *s;
  size_t n;
  if (!ts_node_is_null(call) && !p->o.exact && !closure_may(p, path, 1) &&
      !(call_name(rl_ctx_js(ctx), call, &s, &n) && rl_route_name_suggests_work(s, n)))
    return NULL;
  rl_arena *a = rl_ctx_arena(ctx);
  rl_jsfile *jf = rl_ctx_js(ctx);
  const rl_symbol *sym = rl_project_symbol(p, path, r->name, a, jf);
  if ((sym && sym->effects) || ts_node_is_null(call)) return sym;
  /* a client made in that file: what this call does with it */
  const char *urltext = NULL, *method = rl_summary_http_verb_call(jf, call, &urltext);
  rl_symbol out;
  join cj;
  memset(&cj, 0, sizeof cj);
  cj.p = p, cj.arena = a, cj.asking = jf;
  if (!client_effect(&cj, path, r->name, method, urltext, 0, &out)) return sym;
  rl_symbol *c = rl_arena_alloc(a, sizeof *c);
  *c = out;
  size_t cl;
  const char *ct = rl_js_text(jf, rl_js_unwrap(rl_js_field(call, "function")), &cl);
  c->name = ct && cl < 64 ? rl_arena_strndup(a, ct, cl) : r->name; /* as written: "hms.post", "opentok.createSession" */
  return c;
}

const rl_symbol *rl_ctx_callee(rl_ctx *ctx, TSNode call) {
  if (!rl_ctx_project_enabled(ctx) || !rl_ctx_js(ctx)) return NULL;
  TSNode c = rl_js_unwrap(call);
  if (strcmp(ts_node_type(c), "call_expression") && strcmp(ts_node_type(c), "new_expression")) return NULL;
  rl_symref r;
  if (!rl_summary_ref(rl_ctx_js(ctx), c, 0, &r) || !r.spec) return NULL;
  return ask_ref(ctx, &r, c);
}

static const rl_symbol *ctx_callee_of(void *data, TSNode call) { return rl_ctx_callee(data, call); }

int rl_ctx_route_room_action(rl_ctx *ctx, const rl_route *r, rl_room_action *out) {
  rl_jsfile *jf = rl_ctx_js(ctx);
  if (!jf) return 0;
  if (rl_route_room_action_with(jf, rl_ctx_root(ctx), r, ctx_callee_of, ctx, out)) return 1;
  if (!ts_node_is_null(r->handler) || ts_node_is_null(r->handler_expr)) return 0;
  return rl_room_action_of_summary(jf, rl_ctx_value(ctx, r->handler_expr), r->path, r->handler_expr, out);
}

const rl_symbol *rl_ctx_value(rl_ctx *ctx, TSNode expr) {
  if (!rl_ctx_project_enabled(ctx) || !rl_ctx_js(ctx)) return NULL;
  TSNode e = rl_js_unwrap(expr);
  if (ts_node_is_null(e)) return NULL;
  const char *t = ts_node_type(e);
  rl_symref r;
  if (!strcmp(t, "call_expression")) {
    /* require('./m') names the module; any other call is its result */
    TSNode fn = rl_js_unwrap(rl_js_field(e, "function"));
    if (strcmp(ts_node_type(fn), "identifier") || !rl_js_text_is(rl_ctx_js(ctx), fn, "require")) return NULL;
    const char *mod;
    size_t ml;
    if (!rl_js_string_value(rl_ctx_js(ctx), rl_js_call_arg(e, 0), &mod, &ml)) return NULL;
    r.spec = rl_arena_strndup(rl_ctx_arena(ctx), mod, ml);
    r.name = "";
    return ask_ref(ctx, &r, (TSNode){{0}, NULL, NULL});
  }
  if (strcmp(t, "identifier") && strcmp(t, "member_expression")) return NULL;
  const char *canon = rl_js_resolve(rl_ctx_js(ctx), e);
  const char *colon = canon ? strchr(canon, ':') : NULL;
  if (!colon || colon == canon) return NULL;
  r.spec = rl_arena_strndup(rl_ctx_arena(ctx), canon, (size_t)(colon - canon));
  r.name = colon + 1;
  return ask_ref(ctx, &r, (TSNode){{0}, NULL, NULL});
}

/* The import an identifier or member chain names: its canonical name
 * ("spec:name"), with *colon at the ':'; NULL when none or --no-project. */
static const char *ctx_import_of(rl_ctx *ctx, TSNode expr, const char **colon) {
  if (!rl_ctx_project_enabled(ctx) || !rl_ctx_js(ctx)) return NULL;
  TSNode e = rl_js_unwrap(expr);
  if (ts_node_is_null(e) || (strcmp(ts_node_type(e), "identifier") && strcmp(ts_node_type(e), "member_expression")))
    return NULL;
  const char *canon = rl_js_resolve(rl_ctx_js(ctx), e);
  *colon = canon ? strchr(canon, ':') : NULL;
  return *colon && *colon != canon ? canon : NULL;
}

const char *rl_ctx_package_alias(rl_ctx *ctx, TSNode expr) {
  const char *colon;
  const char *canon = ctx_import_of(ctx, expr, &colon);
  if (!canon) return NULL;
  rl_project *p = rl_ctx__project(ctx);
  const char *path = rl_project_resolve(p, ctx_from(ctx), canon, (size_t)(colon - canon));
  if (!path) return NULL; /* the package itself, or nothing known */
  join j;
  memset(&j, 0, sizeof j);
  j.p = p;
  j.arena = rl_ctx_arena(ctx);
  j.asking = rl_ctx_js(ctx);
  const char *at = NULL;
  if (find_sym(&j, path, colon + 1, &at, 0)) return NULL; /* a symbol of the project */
  return j.package;
}

const rl_symbol *rl_ctx_value_member(rl_ctx *ctx, TSNode expr, const char *member) {
  const char *colon;
  const char *canon = ctx_import_of(ctx, expr, &colon);
  if (!canon) return NULL;
  rl_symref r;
  r.spec = rl_arena_strndup(rl_ctx_arena(ctx), canon, (size_t)(colon - canon));
  r.name = rl_arena_printf(rl_ctx_arena(ctx), "%s%s.%s", colon[1] ? colon + 1 : "default", "", member);
  return ask_ref(ctx, &r, (TSNode){{0}, NULL, NULL});
}

const rl_module *rl_ctx_module(rl_ctx *ctx, const char *spec, size_t len) {
  if (!rl_ctx_project_enabled(ctx)) return NULL;
  rl_project *p = rl_ctx__project(ctx);
  const char *path = rl_project_resolve(p, ctx_from(ctx), spec, len);
  if (!path) return NULL;
  const rl_localmod *lm = rl_project_local(p, path, NULL, NULL);
  if (!lm) return NULL;
  rl_arena *a = rl_ctx_arena(ctx);
  rl_module *m = rl_arena_calloc(a, 1, sizeof *m);
  rl_symbol *syms = rl_arena_calloc(a, lm->nsyms ? lm->nsyms : 1, sizeof *syms);
  for (size_t i = 0; i < lm->nsyms; i++) {
    if (lm->syms[i].s.name[0] == '#') continue;
    const rl_symbol *s = rl_project_symbol(p, path, lm->syms[i].s.name, a, rl_ctx_js(ctx));
    if (!s) continue;
    syms[m->nsyms] = *s;
    syms[m->nsyms].name = lm->syms[i].s.name; /* the export's own name */
    m->nsyms++;
  }
  m->syms = syms;
  m->path = path;
  m->complete = lm->complete;
  return m;
}

int rl_ctx_next_middleware_covers(rl_ctx *ctx, const char *route, const char *framework) {
  if (!rl_ctx_project_enabled(ctx)) return 0;
  return rl_project_next_middleware_covers(rl_ctx__project(ctx), ctx_from(ctx), route, framework, rl_ctx_js(ctx));
}

int rl_ctx_router_mounted_auth(rl_ctx *ctx, const char **prefix) {
  if (prefix) *prefix = NULL;
  if (!rl_ctx_project_enabled(ctx)) return -1;
  return rl_project_router_mounted_auth(rl_ctx__project(ctx), ctx_from(ctx), rl_ctx_js(ctx), prefix, rl_ctx_arena(ctx));
}

int rl_ctx_package_version(rl_ctx *ctx, const char *name, char *out, size_t outsz, const char **lockfile) {
  if (outsz) out[0] = '\0';
  if (lockfile) *lockfile = NULL;
  if (!rl_ctx_project_enabled(ctx)) return -1;
  return rl_project_package_version(rl_ctx__project(ctx), ctx_from(ctx), name, out, outsz, lockfile);
}

typedef struct first_room {
  rl_project *p;
  const char *path; /* the router's file */
  rl_jsfile *jf;
  TSNode root;
  rl_arena *arena;
  const char *route;
  uint32_t line;
} first_room;

/* What a project module the router's file names does (its summary): a
 * callee, or an imported handler's value (`controller.handle`). */
static const rl_symbol *first_room_ref(first_room *f, const rl_symref *r) {
  if (!r->spec) return NULL;
  const char *path = rl_project_resolve(f->p, f->path, r->spec, strlen(r->spec));
  return path ? rl_project_symbol(f->p, path, r->name, f->arena, f->jf) : NULL;
}

static const rl_symbol *first_room_callee(void *data, TSNode call) {
  rl_symref r;
  first_room *f = data;
  return rl_summary_ref(f->jf, rl_js_unwrap(call), 0, &r) ? first_room_ref(f, &r) : NULL;
}

/* A token or room route by its path or what it does, through the modules
 * its handler calls too (the project's summaries, as
 * unauthenticated-room-route judges it): route -> controller.handle ->
 * service.makeIt -> client.video.rooms.create. */
static int first_room_roomish(first_room *f, const rl_route *r) {
  if (rl_route_is_roomish(f->jf, f->root, r)) return 1;
  rl_room_action act;
  if (rl_route_room_action_with(f->jf, f->root, r, first_room_callee, f, &act)) return 1;
  if (!ts_node_is_null(r->handler) || ts_node_is_null(r->handler_expr)) return 0;
  rl_symref ref;
  TSNode e = rl_js_unwrap(r->handler_expr);
  if (strcmp(ts_node_type(e), "identifier") && strcmp(ts_node_type(e), "member_expression")) return 0;
  const char *canon = rl_js_resolve(f->jf, e);
  const char *colon = canon ? strchr(canon, ':') : NULL;
  if (!colon || colon == canon) return 0;
  ref.spec = rl_arena_strndup(f->arena, canon, (size_t)(colon - canon));
  ref.name = colon + 1;
  return rl_room_action_of_summary(f->jf, first_room_ref(f, &ref), r->path, r->handler_expr, &act);
}

static void first_room_route(void *data, const rl_route *r) {
  first_room *f = data;
  /* an OPTIONS route answers preflights: not the token route it opens */
  if (f->route || !strcmp(r->method, "OPTIONS") || !first_room_roomish(f, r)) return;
  f->route = !strcmp(r->method, "*") ? r->path : rl_arena_printf(f->arena, "%s %s", r->method, r->path);
  f->line = ts_node_start_point(r->registration).row + 1;
}

/* A specifier that names a project file rather than a package. */
static int local_spec(const char *spec, size_t sl) {
  return sl && (spec[0] == '.' || spec[0] == '@' || spec[0] == '~' || spec[0] == '/');
}

/* The project modules the router file mounts, for a walk through routers
 * mounted in routers; in e->tarena, under e->jmu. */
static void read_subs(mod_entry *e) {
  size_t nm;
  const rl_mount *ms = rl_mounts(e->jf, rl_tree_root(e->tree), &nm);
  size_t cap = 0;
  for (size_t i = 0; i < nm; i++) {
    TSNode args = rl_js_field(ms[i].call, "arguments");
    for (uint32_t k = ms[i].first; k < (ms[i].is_register ? 1 : ms[i].nargs); k++) {
      const char *spec;
      size_t sl;
      if (!rl_js_module_ref(e->jf, ts_node_named_child(args, k), &spec, &sl, NULL) || !local_spec(spec, sl)) continue;
      e->subs = rl_arena_grow(e->tarena, e->subs, e->nsubs, &cap, sizeof *e->subs);
      e->subs[e->nsubs].spec = rl_arena_strndup(e->tarena, spec, sl);
      e->subs[e->nsubs++].at = ms[i].path ? rl_arena_strndup(e->tarena, ms[i].path, ms[i].path_len) : "";
    }
  }
}

#define MAX_ROUTER_DEPTH 4 /* routers mounted in routers followed */

static const char *module_room_route(rl_project *p, const char *from, const char *spec, size_t n, rl_jsfile *asking,
                                     const char **path, uint32_t *line, rl_arena *arena, const char **seen, int depth) {
  const char *target = rl_project_resolve(p, from, spec, n);
  if (!target) return NULL;
  for (int i = 0; i < depth; i++)
    if (!strcmp(seen[i], target)) return NULL; /* a cycle of mounts */
  mod_entry *e = kept_file(p, target);
  if (!e) return NULL;
  if (!e->room_route_asked) {
    e->room_route_asked = 1;
    rl_jsfile_begin(e->jf);
    first_room f = {p, e->path, e->jf, rl_tree_root(e->tree), e->tarena, NULL, 0};
    rl_routes_each(e->jf, f.root, e->path, first_room_route, &f);
    e->room_route = f.route;
    e->room_route_line = f.line;
    if (!f.route) read_subs(e);
    if (asking)
      rl_jsfile_begin(asking);
    else
      rl_jsfile_end(e->jf);
  }
  const char *what = e->room_route;
  *path = e->path;
  *line = e->room_route_line;
  const char *here = e->path;
  const struct sub_mount *subs = e->subs;
  size_t nsubs = e->nsubs;
  /* the lock is not held across the walk below: another file's lock is
   * taken there, and mounts may form cycles */
  pthread_mutex_unlock(&e->jmu);
  if (what || !arena || depth + 1 >= MAX_ROUTER_DEPTH) return what;
  seen[depth] = target;
  for (size_t i = 0; i < nsubs; i++) {
    const char *sub =
        module_room_route(p, here, subs[i].spec, strlen(subs[i].spec), asking, path, line, arena, seen, depth + 1);
    if (!sub) continue;
    /* "GET /token" below a mount at "/agora": "GET /agora/token" */
    const char *rp = strchr(sub, ' ');
    rp = rp ? rp + 1 : sub;
    size_t ml = strlen(subs[i].at);
    while (ml && subs[i].at[ml - 1] == '/') ml--;
    if (!strcmp(rp, "*")) return sub;
    const char *full = rl_arena_printf(arena, "%.*s%s", (int)ml, subs[i].at, ml && !strcmp(rp, "/") ? "" : rp);
    return rp == sub ? full : rl_arena_printf(arena, "%.*s %s", (int)(rp - 1 - sub), sub, full);
  }
  return NULL;
}

const char *rl_project_module_room_route(rl_project *p, const char *from, const char *spec, size_t n, rl_jsfile *asking,
                                         const char **path, uint32_t *line) {
  if (!p || p->o.disabled || !from) return NULL;
  const char *seen[MAX_ROUTER_DEPTH];
  rl_arena *arena = asking ? rl_jsfile_arena(asking) : NULL; /* composed routes live with the asking file */
  return module_room_route(p, from, spec, n, asking, path, line, arena, seen, 0);
}

const char *rl_ctx_module_room_route(rl_ctx *ctx, const char *spec, size_t n, const char **path, uint32_t *line) {
  if (!rl_ctx_project_enabled(ctx)) return NULL;
  return rl_project_module_room_route(rl_ctx__project(ctx), ctx_from(ctx), spec, n, rl_ctx_js(ctx), path, line);
}

const char *rl_ctx_nest_cors(rl_ctx *ctx, const char **path, uint32_t *line) {
  if (!rl_ctx_project_enabled(ctx)) return NULL;
  return rl_project_nest_cors(rl_ctx__project(ctx), ctx_from(ctx), rl_ctx_js(ctx), path, line);
}

int rl_ctx_nest_global_guard(rl_ctx *ctx) {
  if (!rl_ctx_project_enabled(ctx)) return 0;
  return rl_project_nest_global_guard(rl_ctx__project(ctx), ctx_from(ctx), rl_ctx_js(ctx));
}

size_t rl_ctx_handler_routes(rl_ctx *ctx, rl_handler_route *out, size_t cap) {
  if (!rl_ctx_project_enabled(ctx)) return 0;
  return rl_project_handler_routes(rl_ctx__project(ctx), ctx_from(ctx), rl_ctx_js(ctx), rl_ctx_arena(ctx), out, cap);
}
