/* The nearest package.json (model_pkg.h): read once per directory and per
 * run, under the walk's policy when the project sets one.
 *
 * Each directory of a file is resolved to its real path once, then walked
 * up to a cached directory, a directory holding .git, or "/"; the chain is
 * filled from the top down, each directory inheriting its parent's verdict
 * unless it holds a package.json of its own. The cache's mutex is held
 * while a package.json is read: after the first file of a directory a
 * lookup is a hash probe. */
#include "model_pkg.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arena.h"
#include "config.h"
#include "json.h"
#include "source.h"
#include "util.h"

typedef struct pkg_entry {
  char *dir;            /* absolute, canonical; owned */
  rl_pkg_kind kind;     /* verdict of the nearest package.json at or above dir */
  const char *why;      /* static string */
  const char *pkg_dir;  /* dir of that package.json (another entry's dir), or NULL */
  const char *git_root; /* nearest dir holding .git at or above, or NULL */
  int next;             /* that package.json depends on Next.js (not Expo) */
  int vite_web;         /* and builds a browser app with Vite (rl_pkg_info) */
  const char *deps;     /* its dependency names, "\n"-separated, "\n" first and last; NULL: none read */
  char *own_deps;       /* deps, when this entry's package.json was read here */
  const char *ranges;   /* its declared ranges, "\nname range\n" each (rl_pkg_info); NULL: none read */
  char *own_ranges;     /* ranges, when this entry's package.json was read here */
} pkg_entry;

struct rl_pkgcache {
  /* every file asks twice: look-ups that hit share the lock; a miss
   * takes it alone to read package.json files and fill the cache */
  pthread_rwlock_t mu;
  rl_smap dirs;                                         /* canonical dir -> pkg_entry */
  rl_smap reals;                                        /* a file's directory as named -> its realpath (NULL: none) */
  const char *(*refuses)(void *data, const char *path); /* the walk's policy, or NULL */
  void *data;
  size_t max_size;
  const char *(*importer)(void *data, const char *fs_path);
  void *importer_data;
};

rl_pkgcache *rl_pkgcache_new(void) {
  rl_pkgcache *c = rl_xcalloc(1, sizeof *c);
  pthread_rwlock_init(&c->mu, NULL);
  c->max_size = 4u << 20;
  return c;
}

void rl_pkgcache_set_policy(rl_pkgcache *c, const char *(*refuses)(void *data, const char *path), void *data,
                            size_t max_size) {
  c->refuses = refuses;
  c->data = data;
  if (max_size) c->max_size = max_size;
}

static void entry_free(void *v) {
  pkg_entry *e = v;
  free(e->dir);
  free(e->own_deps);
  free(e->own_ranges);
  free(e);
}

void rl_pkgcache_free(rl_pkgcache *c) {
  if (!c) return;
  rl_smap_free(&c->dirs, entry_free);
  rl_smap_free(&c->reals, free);
  pthread_rwlock_destroy(&c->mu);
  free(c);
}

static pkg_entry *cache_find(const rl_pkgcache *c, const char *dir) {
  void **hit = rl_smap_get(&c->dirs, dir);
  return hit ? *hit : NULL;
}

static void cache_put(rl_pkgcache *c, pkg_entry *e) { rl_smap_put(&c->dirs, e->dir, e); }

/* realpath of a file's directory as named (caller frees), resolved once per run. */
static char *real_dir(rl_pkgcache *c, const char *dir) {
  pthread_rwlock_rdlock(&c->mu);
  void **hit = rl_smap_get(&c->reals, dir);
  char *real = hit && *hit ? rl_xstrdup(*hit) : NULL;
  pthread_rwlock_unlock(&c->mu);
  if (hit) return real;
  char *fresh = realpath(dir, NULL); /* its system calls outside the lock */
  pthread_rwlock_wrlock(&c->mu);
  hit = rl_smap_get(&c->reals, dir);
  if (hit) { /* another thread was first */
    free(fresh);
  } else {
    rl_smap_put(&c->reals, dir, fresh);
    hit = rl_smap_get(&c->reals, dir);
  }
  real = *hit ? rl_xstrdup(*hit) : NULL;
  pthread_rwlock_unlock(&c->mu);
  return real;
}

static char *join(const char *dir, const char *name) {
  size_t a = strlen(dir), b = strlen(name);
  int slash = !(a > 0 && dir[a - 1] == '/');
  char *p = rl_xmalloc(a + (size_t)slash + b + 1);
  memcpy(p, dir, a);
  if (slash) p[a] = '/';
  memcpy(p + a + (size_t)slash, name, b + 1);
  return p;
}

static int dir_has(const char *dir, const char *name, int want_regular) {
  char *p = join(dir, name);
  struct stat st;
  int ok = stat(p, &st) == 0 && (!want_regular || S_ISREG(st.st_mode));
  free(p);
  return ok;
}

static int json_has_dep(const rl_json *deps, const rl_json *dev, const char *name) {
  return rl_json_get(deps, name) || rl_json_get(dev, name);
}

/* One of n names is a dependency. */
static int json_has_any(const rl_json *deps, const rl_json *dev, const char *const *names, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (json_has_dep(deps, dev, names[i])) return 1;
  return 0;
}

/* The names of dependencies and devDependencies, each between newlines;
 * *ranges (caller frees) gets "name range" lines for the string ranges. */
static char *dep_names(const rl_json *deps, const rl_json *dev, char **ranges) {
  rl_buf b = {0}, r = {0};
  rl_buf_putc(&b, '\n');
  rl_buf_putc(&r, '\n');
  const rl_json *lists[] = {deps, dev};
  for (size_t k = 0; k < 2; k++) {
    if (!rl_json_is(lists[k], RL_JSON_OBJECT)) continue;
    for (size_t i = 0; i < rl_json_size(lists[k]); i++) {
      size_t n, vn;
      const char *name = rl_json_key_at(lists[k], i, &n);
      if (!name || memchr(name, '\n', n)) continue;
      rl_buf_put(&b, name, n);
      rl_buf_putc(&b, '\n');
      const char *v = rl_json_str(rl_json_at(lists[k], i), &vn);
      if (!v || memchr(v, '\n', vn) || memchr(name, ' ', n)) continue;
      rl_buf_printf(&r, "%.*s %.*s\n", (int)n, name, (int)vn, v);
    }
  }
  char *out = rl_xstrndup(b.ptr, b.len);
  *ranges = rl_xstrndup(r.ptr, r.len);
  rl_buf_free(&b);
  rl_buf_free(&r);
  return out;
}

/* Classifies dir/package.json. Unreadable or invalid -> RL_PKG_NONE.
 * *deps (caller frees) gets its dependency names when it is read. */
static rl_pkg_kind classify_package(const rl_pkgcache *c, const char *dir, const char **why, int *next, int *vite_web,
                                    char **deps_out, char **ranges_out) {
  static const struct {
    const char *name, *why;
  } server_fw[] = {
      {"express", "package.json: express app without a UI framework"},
      {"fastify", "package.json: fastify app without a UI framework"},
      {"koa", "package.json: koa app without a UI framework"},
      {"@nestjs/core", "package.json: NestJS app without a UI framework"},
      {"@hapi/hapi", "package.json: hapi app without a UI framework"},
      {"hono", "package.json: hono app without a UI framework"},
      {"elysia", "package.json: Elysia app without a UI framework"},
  };
  static const char *const ui[] = {"@angular/core", "@sveltejs/kit", "next",   "nuxt", "preact", "react",
                                   "react-dom",     "solid-js",      "svelte", "vite", "vue",    "react-scripts"};
  *why = "package.json: unreadable or not a JSON object";
  char *path = join(dir, "package.json");
  char *bytes = NULL;
  size_t len = 0;
  rl_pkg_kind kind = RL_PKG_NONE;
  rl_arena *arena = rl_arena_new();
  rl_json *root = NULL;
  if (c->refuses && c->refuses(c->data, path)) {
    *why = "package.json: not read (the walk leaves it out)";
    goto cleanup;
  }
  if (rl_file_read(path, c->max_size, &bytes, &len) != RL_SKIP_NONE) goto cleanup;
  /* npm reads package.json with JSON.parse: the last of repeated keys wins */
  if (rl_json_parse(&root, arena, bytes, len, RL_JSON_DUPS_LAST, NULL) < 0 || !rl_json_is(root, RL_JSON_OBJECT))
    goto cleanup;
  *why = "package.json: neither a client nor a server app";
  const rl_json *deps = rl_json_get(root, "dependencies");
  const rl_json *dev = rl_json_get(root, "devDependencies");
  *deps_out = dep_names(deps, dev, ranges_out);
  *next = json_has_dep(deps, dev, "next") && !json_has_dep(deps, dev, "expo");
  if (json_has_dep(deps, dev, "expo")) {
    kind = RL_PKG_MOBILE;
    *why = "package.json: Expo app";
    goto cleanup;
  }
  if (json_has_dep(deps, dev, "react-native")) {
    kind = RL_PKG_MOBILE;
    *why = "package.json: React Native app";
    goto cleanup;
  }
  const char *fw_why = NULL;
  for (size_t i = 0; i < RL_ARRAY_LEN(server_fw) && !fw_why; i++) {
    if (json_has_dep(deps, dev, server_fw[i].name)) fw_why = server_fw[i].why;
  }
  /* .roomlint.yml server-frameworks count like the ones above. */
  for (const char *const *fw = rl_config_server_frameworks(); *fw && !fw_why; fw++)
    if (json_has_dep(deps, dev, *fw)) fw_why = "package.json: server framework (.roomlint.yml) without a UI framework";
  int has_ui = json_has_any(deps, dev, ui, RL_ARRAY_LEN(ui));
  /* Vite also builds and tests libraries (vitest): it makes a client app only
   * together with something a browser app is made of. */
  static const char *const web[] = {"react",
                                    "react-dom",
                                    "vue",
                                    "svelte",
                                    "preact",
                                    "solid-js",
                                    "lit",
                                    "@angular/core",
                                    "@100mslive/react-sdk",
                                    "@100mslive/hms-video-store",
                                    "@100mslive/roomkit-react",
                                    "livekit-client",
                                    "agora-rtc-sdk-ng",
                                    "twilio-video",
                                    "@daily-co/daily-js",
                                    "@opentok/client"};
  int has_web = json_has_any(deps, dev, web, RL_ARRAY_LEN(web));
  int vite = json_has_dep(deps, dev, "vite") && has_web, cra = json_has_dep(deps, dev, "react-scripts");
  /* frameworks whose src/ also holds server code reading import.meta.env */
  static const char *const ssr[] = {"@sveltejs/kit",
                                    "astro",
                                    "nuxt",
                                    "@remix-run/dev",
                                    "@react-router/dev",
                                    "@solidjs/start",
                                    "vike",
                                    "vite-plugin-ssr",
                                    "@builder.io/qwik-city",
                                    "@tanstack/react-start",
                                    "@analogjs/platform",
                                    "next"};
  *vite_web = vite && !json_has_any(deps, dev, ssr, RL_ARRAY_LEN(ssr));
  if ((vite || cra) && !fw_why && !json_has_dep(deps, dev, "next")) {
    kind = RL_PKG_WEB;
    *why = vite ? "package.json: Vite app" : "package.json: Create React App";
  } else if (fw_why && !has_ui) {
    kind = RL_PKG_SERVER;
    *why = fw_why;
  }
cleanup:
  rl_arena_free(arena);
  free(bytes);
  free(path);
  return kind;
}

/* Number of '/'-separated components of `below` (a path inside `root`), or
 * -1 if it is not inside root. */
static int depth_below(const char *root, const char *dir) {
  size_t rl = strlen(root);
  if (strcmp(root, "/") == 0) rl = 0;
  if (strncmp(root, dir, rl) != 0) return -1;
  if (dir[rl] == '\0') return 0;
  if (dir[rl] != '/') return -1;
  int n = 1;
  for (const char *p = dir + rl + 1; *p; p++) n += *p == '/';
  return n;
}

void rl_pkgcache_set_importer(rl_pkgcache *c, const char *(*importer)(void *data, const char *fs_path), void *data) {
  c->importer = importer;
  c->importer_data = data;
}

const char *rl_pkgcache_client_importer(rl_pkgcache *c, const char *fs_path) {
  return c && c->importer && fs_path ? c->importer(c->importer_data, fs_path) : NULL;
}

/* What entry e (of real's directory or one above) tells of a file in real. */
static void fill_info(rl_pkg_info *info, const pkg_entry *e, const char *real) {
  info->kind = e->kind;
  info->why = e->why;
  const char *root = e->git_root ? e->git_root : e->pkg_dir;
  if (root) info->rel_dirs = depth_below(root, real);
  info->next = e->next;
  info->pkg_dir = e->pkg_dir;
  info->deps = e->deps;
  info->ranges = e->ranges;
  info->vite_web = e->vite_web;
  if (e->pkg_dir) {
    int d = depth_below(e->pkg_dir, real);
    size_t pl = strcmp(e->pkg_dir, "/") == 0 ? 0 : strlen(e->pkg_dir);
    info->under_src = d > 0 && strncmp(real + pl, "/src", 4) == 0 && (real[pl + 4] == '/' || real[pl + 4] == '\0');
    const char *below = real + pl + (info->under_src ? 4 : 0);
    info->next_app = d > 0 && e->next && strncmp(below, "/app", 4) == 0 && (below[4] == '/' || below[4] == '\0');
  }
}

rl_pkg_info rl_pkgcache_info(rl_pkgcache *c, const char *fs_path) {
  rl_pkg_info info = {RL_PKG_NONE, NULL, -1, 0, 0, 0, 0, NULL, NULL, NULL};
  if (!c || !fs_path) return info;
  /* The file's directory, canonical. The file itself need not exist
   * (rl_engine_scan_buffer classifies buffers under a made-up name). */
  char *dir = rl_xstrdup(fs_path);
  char *slash = strrchr(dir, '/');
  if (slash == dir)
    dir[1] = '\0';
  else if (slash)
    *slash = '\0';
  char *real = real_dir(c, slash ? dir : ".");
  free(dir);
  if (!real) return info;

  pthread_rwlock_rdlock(&c->mu);
  pkg_entry *e = cache_find(c, real);
  if (e) {
    fill_info(&info, e, real);
    pthread_rwlock_unlock(&c->mu);
    free(real);
    return info;
  }
  pthread_rwlock_unlock(&c->mu);
  pthread_rwlock_wrlock(&c->mu);
  /* Walk up to a cached directory, a .git directory, or "/". */
  char **chain = NULL;
  size_t nchain = 0, capchain = 0;
  char *cur = rl_xstrdup(real);
  int top_git = 0; /* the chain's last directory holds .git (the others do not) */
  for (;;) {
    e = cache_find(c, cur);
    if (e) {
      free(cur);
      break;
    }
    if (nchain == capchain) {
      capchain = capchain ? capchain * 2 : 16;
      chain = rl_xreallocarray(chain, capchain, sizeof *chain);
    }
    chain[nchain++] = cur;
    if (strcmp(cur, "/") == 0) break;
    if (dir_has(cur, ".git", 0)) {
      top_git = 1;
      break;
    }
    char *up = rl_xstrdup(cur);
    char *s = strrchr(up, '/');
    if (s == up)
      up[1] = '\0';
    else if (s)
      *s = '\0';
    cur = up;
  }
  /* Fill the cache from the top down; each directory inherits from its parent. */
  pkg_entry *parent = e;
  for (size_t i = nchain; i-- > 0;) {
    pkg_entry *n = rl_xcalloc(1, sizeof *n);
    n->dir = chain[i];
    int git = i == nchain - 1 ? top_git || (strcmp(n->dir, "/") == 0 && dir_has(n->dir, ".git", 0)) : 0;
    n->git_root = git ? n->dir : parent ? parent->git_root : NULL;
    if (dir_has(n->dir, "package.json", 1)) {
      n->pkg_dir = n->dir;
      n->kind = classify_package(c, n->dir, &n->why, &n->next, &n->vite_web, &n->own_deps, &n->own_ranges);
      n->deps = n->own_deps;
      n->ranges = n->own_ranges;
    } else if (parent) {
      n->pkg_dir = parent->pkg_dir;
      n->kind = parent->kind;
      n->why = parent->why;
      n->next = parent->next;
      n->vite_web = parent->vite_web;
      n->deps = parent->deps;
      n->ranges = parent->ranges;
    }
    cache_put(c, n);
    parent = n;
  }
  free(chain);
  if (parent) fill_info(&info, parent, real);
  pthread_rwlock_unlock(&c->mu);
  free(real);
  return info;
}

rl_app_kind rl_pkgcache_lookup(rl_pkgcache *c, const char *fs_path, const char **why) {
  rl_pkg_info info = rl_pkgcache_info(c, fs_path);
  if (why) *why = info.why ? info.why : "no package.json";
  switch (info.kind) {
  case RL_PKG_MOBILE:
  case RL_PKG_WEB: return RL_APP_CLIENT;
  case RL_PKG_SERVER: return RL_APP_SERVER;
  case RL_PKG_NONE: break;
  }
  return RL_APP_UNKNOWN;
}
