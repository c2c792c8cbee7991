/* What "use client" modules import (model.h: rl_project_client_importer).
 *
 * Next.js bundles for the browser every module that a "use client" module
 * imports, and what those import in turn, whether or not they say "use
 * client" themselves: a lib/token.ts without a directive, imported by a
 * client component, ships with it. Once per Next.js package and run, the
 * files of the package that the run walks are looked at: a file whose first
 * bytes hold "use client" is parsed, and when its prologue really has the
 * directive its imports are followed, breadth first, to RL_PROJECT_MAX_DEPTH
 * hops (a visited set: cycles end), through the model's resolver and its
 * reading policy. Precision first, the walk stops at:
 *   - packages (a specifier the resolver does not map to a project file) and
 *     the package's boundary (a file below another package.json);
 *   - files the run does not walk (ignored, outside the scanned paths);
 *   - files that stay on the server whoever imports them
 *     (rl_context_server_bound: "use server", server-only, Node built-ins,
 *     next/headers, framework server paths, tests); nothing past them;
 *   - type-only imports (erased: rl_context_each_import leaves them out).
 * Only "use client" modules start a walk: a pages/ file or a component with
 * JSX is client code by its own signals, but not certainly (the app router
 * renders JSX on the server), so what it imports is judged on its own.
 * Deterministic: the roots are taken in walk order and the walk is breadth
 * first, so each file's first importer is the same for every -j. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <unistd.h>

#include "context.h"
#include "model.h"
#include "once.h"
#include "parse.h"
#include "rule.h"
#include "summary.h"
#include "util.h"
#include "walk.h"

#define HEAD_BYTES 2048 /* a directive sits in the first bytes (after comments) */
#define MAX_VISITS 4096 /* modules followed per package; more stay unknown */

#define MAX_EDGES 8 /* client modules named per file */

/* One client module that imports a reached file. */
typedef struct edge {
  const char *root; /* the "use client" module whose imports lead here (in the package's arena) */
  rl_site at;       /* in the module that imports it: the first call of its code, else the import */
  int call;         /* at is a call */
} edge;

typedef struct reached {
  edge e[MAX_EDGES]; /* in the order the walk met them */
  size_t n;
  int stop; /* server-bound: not client, not followed */
} reached;

/* A "use client" module: client by its own directive, not reached. */
static reached root_mark = {{{NULL, {NULL, 0, 0}, 0}}, 0, 1};

typedef struct package {
  char *dir;     /* canonical */
  int state;     /* 0: not built, 1: being built, 2: built */
  rl_smap files; /* real path -> reached (NULL value: walked, not reached) */
  rl_arena *arena;
} package;

struct rl_clients {
  rl_project *p;
  pthread_mutex_t mu;
  pthread_cond_t built;
  int walking;
  char **given, **real; /* the run's paths as given and their real paths */
  size_t n;
  rl_smap pkgs; /* package dir -> package */
  rl_smap ctxs; /* real path -> its context + 1 (rl_ctx_scanned_client) */
};

rl_clients *rl_clients__new(rl_project *p) {
  rl_clients *c = rl_xcalloc(1, sizeof *c);
  c->p = p;
  pthread_mutex_init(&c->mu, NULL);
  pthread_cond_init(&c->built, NULL);
  return c;
}

static void package_free(void *v) {
  package *k = v;
  if (!k) return;
  free(k->dir);
  rl_smap_free(&k->files, NULL);
  rl_arena_free(k->arena);
  free(k);
}

void rl_clients__reset(rl_clients *c) {
  if (!c) return;
  for (size_t i = 0; i < c->n; i++) {
    free(c->given[i]);
    free(c->real[i]);
  }
  free(c->given);
  free(c->real);
  c->given = c->real = NULL;
  c->n = 0;
  c->walking = 0;
  rl_smap_free(&c->pkgs, package_free);
  memset(&c->pkgs, 0, sizeof c->pkgs);
  rl_smap_free(&c->ctxs, NULL);
  memset(&c->ctxs, 0, sizeof c->ctxs);
}

void rl_clients__free(rl_clients *c) {
  if (!c) return;
  rl_clients__reset(c);
  pthread_cond_destroy(&c->built);
  pthread_mutex_destroy(&c->mu);
  free(c);
}

void rl_project_set_walking(rl_project *p, const char *const *paths, size_t n) {
  rl_clients *c = rl_project__clients(p);
  if (!c) return;
  rl_clients__reset(c);
  c->walking = 1;
  for (size_t i = 0; i < n || (n == 0 && i == 0); i++) {
    const char *g = n ? paths[i] : ".";
    char *r = realpath(g, NULL);
    if (!r) continue;
    c->given = rl_xreallocarray(c->given, c->n + 1, sizeof *c->given);
    c->real = rl_xreallocarray(c->real, c->n + 1, sizeof *c->real);
    c->given[c->n] = rl_xstrdup(g);
    c->real[c->n++] = r;
  }
}

/* 1 if path is dir or below it (both canonical). */
static int below(const char *path, const char *dir) {
  size_t k = strlen(dir);
  if (!strcmp(dir, "/")) return path[0] == '/';
  return !strncmp(path, dir, k) && (path[k] == '/' || path[k] == '\0');
}

/* Does the prologue of bytes[0..n) hold "use client"? The directive
 * prologue is the string statements before any other code (comments, a
 * hashbang and other directives may come first). A byte-level reading that
 * the parse then confirms; words in a comment do not count. */
static int head_says_client(const char *b, size_t n) {
  size_t i = n >= 3 && !memcmp(b, "\xEF\xBB\xBF", 3) ? 3 : 0; /* a UTF-8 byte order mark */
  if (i + 2 <= n && b[i] == '#' && b[i + 1] == '!')
    while (i < n && b[i] != '\n') i++;
  for (;;) {
    while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r' || b[i] == ';')) i++;
    if (i + 1 < n && b[i] == '/' && b[i + 1] == '/') {
      while (i < n && b[i] != '\n') i++;
      continue;
    }
    if (i + 1 < n && b[i] == '/' && b[i + 1] == '*') {
      const char *end = NULL;
      for (size_t j = i + 2; j + 1 < n && !end; j++)
        if (b[j] == '*' && b[j + 1] == '/') end = b + j;
      if (!end) return 0;
      i = (size_t)(end - b) + 2;
      continue;
    }
    if (i >= n || (b[i] != '\'' && b[i] != '"')) return 0;
    char q = b[i];
    size_t j = i + 1;
    while (j < n && b[j] != q && b[j] != '\\' && b[j] != '\n') j++;
    if (j >= n || b[j] != q) return 0;
    if (j - i - 1 == 10 && !memcmp(b + i + 1, "use client", 10)) return 1;
    i = j + 1;
  }
}

static int read_head(const char *path, char *buf, size_t cap, size_t *len) {
  int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t got = read(fd, buf, cap);
  close(fd);
  if (got < 0) return -1;
  *len = (size_t)got;
  return 0;
}

typedef struct item {
  char *path; /* as the walk shows it (display) */
  char *real;
  int depth;
} item;

typedef struct bfs {
  rl_clients *c;
  package *k;
  item *q;
  size_t nq, cap;
  const char *from;      /* the file being read: display path */
  const char *from_root; /* the "use client" module that reached it (arena) */
} bfs;

static void push(bfs *b, const char *path, char *real, int depth) {
  if (b->nq == b->cap) {
    b->cap = b->cap ? b->cap * 2 : 64;
    b->q = rl_xreallocarray(b->q, b->cap, sizeof *b->q);
  }
  b->q[b->nq].path = rl_xstrdup(path);
  b->q[b->nq].real = real;
  b->q[b->nq++].depth = depth;
}

/* One import of the file being followed: a project file of the package
 * that the run walks is reached from it (followed the first time). */
static void on_import(void *arg, const char *spec, size_t n, TSNode at) {
  bfs *b = arg;
  const char *path = rl_project_resolve(b->c->p, b->from, spec, n);
  if (!path) return; /* a package, or nothing there */
  char *real = rl_project__realpath(b->c->p, path);
  if (!real) return;
  void **hit = rl_smap_get(&b->k->files, real);
  reached *r = hit ? *hit : NULL;
  if (!hit || r == &root_mark || (r && r->stop) || (!r && b->nq >= MAX_VISITS)) {
    free(real);
    return;
  }
  int fresh = !r;
  if (fresh) {
    r = rl_arena_calloc(b->k->arena, 1, sizeof *r);
    *hit = r;
  }
  for (size_t i = 0; i < r->n; i++) {
    if (!strcmp(r->e[i].at.path, b->from)) { /* this module imports it already */
      free(real);
      return;
    }
  }
  if (r->n < MAX_EDGES) {
    edge *e = &r->e[r->n++];
    e->at.path = rl_arena_strdup(b->k->arena, b->from);
    e->root = b->from_root ? b->from_root : e->at.path;
    TSPoint pt = ts_node_start_point(at);
    e->at.line = pt.row + 1;
    e->at.col = pt.column + 1;
  }
  if (fresh)
    push(b, path, real, -1); /* its depth: the caller's + 1 */
  else
    free(real);
}

typedef struct calls {
  bfs *b;
  rl_jsfile *jf;
} calls;

/* A call in the file being followed of something a module it reached
 * exports: the first one is where that module's code is used, a better
 * place to show than the import. */
static int call_visit(void *data, TSNode n) {
  calls *k = data;
  if (rl_jsfile_exhausted(k->jf)) return -1; /* the budget: what is left keeps the import as the place */
  const char *t = ts_node_type(n);
  if (strcmp(t, "call_expression") && strcmp(t, "new_expression")) return 0;
  rl_symref ref;
  if (!rl_summary_ref(k->jf, n, 0, &ref) || !ref.spec) return 0;
  const char *path = rl_project_resolve(k->b->c->p, k->b->from, ref.spec, strlen(ref.spec));
  char *real = path ? rl_project__realpath(k->b->c->p, path) : NULL;
  if (!real) return 0;
  void **hit = rl_smap_get(&k->b->k->files, real);
  free(real);
  reached *r = hit ? *hit : NULL;
  if (!r || r == &root_mark) return 0;
  for (size_t i = 0; i < r->n; i++) {
    edge *e = &r->e[i];
    if (e->call || strcmp(e->at.path, k->b->from)) continue;
    TSPoint pt = ts_node_start_point(n);
    e->at.line = pt.row + 1;
    e->at.col = pt.column + 1;
    e->call = 1;
  }
  return 0;
}

static void call_sites(bfs *b, rl_source *src, TSNode root, rl_arena *ta) {
  rl_jsfile *jf = rl_jsfile_new(src, root, ta);
  rl_jsfile_begin(jf);
  /* linear in the file, as every analysis is (the summaries' budget) */
  size_t nodes = rl_jsfile_node_count(jf);
  rl_jsfile_set_budget(jf, (uint64_t)nodes * 400u + 1000000u);
  calls k = {b, jf};
  rl_js_walk(root, call_visit, &k);
  rl_jsfile_end(jf);
}

/* Reads, parses and follows the file of item it (a root at depth 0). */
static void follow(bfs *b, size_t at) {
  rl_project *p = b->c->p;
  item it = b->q[at];
  size_t len = 0;
  const char *why = NULL;
  char *bytes = rl_project__read(p, it.path, &len, &why);
  if (!bytes) return;
  rl_arena *ta = rl_arena_new();
  rl_source src;
  rl_source_init(&src, it.path, bytes, len, rl_lang_for_path(it.path), ta);
  rl_parser *ps = rl_project__parser_take(p);
  rl_tree *tree = ps ? rl_parse(ps, &src) : NULL;
  rl_project__parser_give(p, ps);
  if (tree) {
    TSNode root = rl_tree_root(tree);
    void **hit = rl_smap_get(&b->k->files, it.real);
    reached *r = hit ? *hit : NULL;
    int go;
    if (it.depth == 0) {
      go = rl_context_directive(&src, root) == RL_CTX_CLIENT;
      if (!go && hit) *hit = NULL; /* the words, not the directive: others may reach it */
    } else {
      go = !rl_context_server_bound(&src, root, it.path, rl_project_packages(p), ta);
      if (!go && r) r->stop = 1;
    }
    if (go && it.depth < RL_PROJECT_MAX_DEPTH) {
      size_t before = b->nq;
      b->from = it.path;
      b->from_root = it.depth == 0 || !r || !r->n ? NULL : r->e[0].root;
      rl_context_each_import(&src, root, ta, on_import, b);
      for (size_t i = before; i < b->nq; i++) b->q[i].depth = it.depth + 1;
      call_sites(b, &src, root, ta);
    }
  }
  rl_tree_free(tree);
  rl_arena_free(ta);
  free(bytes);
}

/* The files of package k that the run walks (a walk of each given path
 * that holds part of it, narrowed to the package's folder), then the
 * breadth-first walk from its "use client" modules. */
static void build(rl_clients *c, package *k) {
  rl_project *p = c->p;
  const rl_project_options *o = rl_project__options(p);
  rl_walk_options wo;
  memset(&wo, 0, sizeof wo);
  wo.no_ignore = o->no_ignore;
  wo.extra_ignores = o->extra_ignores;
  wo.extra_base = o->extra_base;
  wo.max_file_size = o->max_file_size;
  bfs b = {c, k, NULL, 0, 0, NULL, NULL};
  size_t kd = strlen(k->dir);
  for (size_t i = 0; i < c->n; i++) {
    char *start = NULL;
    if (below(c->real[i], k->dir)) {
      start = rl_xstrdup(c->given[i]);
    } else if (below(k->dir, c->real[i])) { /* the package's folder, named from the given path */
      size_t rl = strcmp(c->real[i], "/") ? strlen(c->real[i]) : 0;
      size_t gl = strlen(c->given[i]);
      size_t tl = kd - rl;
      start = rl_xmalloc(gl + tl + 1);
      memcpy(start, c->given[i], gl);
      memcpy(start + gl, k->dir + rl, tl + 1);
    }
    if (!start) continue;
    rl_walk *w = NULL;
    const char *one[1] = {start};
    if (rl_walk_new(&w, one, 1, &wo) == 0) {
      rl_walk_entry we;
      while (rl_walk_next(w, &we) > 0) {
        if (we.skip != RL_SKIP_NONE || (we.lang != RL_LANG_JS && we.lang != RL_LANG_TS && we.lang != RL_LANG_TSX))
          continue;
        char *real = rl_project__realpath(p, we.fs_path);
        if (!real) continue;
        rl_pkg_info info = rl_pkgcache_info(rl_project_packages(p), we.fs_path);
        if (!info.pkg_dir || strcmp(info.pkg_dir, k->dir) || rl_smap_get(&k->files, real)) {
          free(real);
          continue;
        }
        rl_smap_put(&k->files, real, NULL);
        char head[HEAD_BYTES];
        size_t hl = 0;
        if (b.nq < MAX_VISITS && read_head(we.fs_path, head, sizeof head, &hl) == 0 && head_says_client(head, hl)) {
          *rl_smap_get(&k->files, real) = &root_mark;
          push(&b, we.fs_path, real, 0);
        } else {
          free(real);
        }
      }
    }
    rl_walk_free(w);
    free(start);
  }
  for (size_t i = 0; i < b.nq; i++) follow(&b, i);
  for (size_t i = 0; i < b.nq; i++) {
    free(b.q[i].path);
    free(b.q[i].real);
  }
  free(b.q);
}

static package *package_of(rl_clients *c, const char *dir) {
  pthread_mutex_lock(&c->mu);
  void **hit = rl_smap_get(&c->pkgs, dir);
  package *k = hit ? *hit : NULL;
  if (!k) {
    k = rl_xcalloc(1, sizeof *k);
    k->dir = rl_xstrdup(dir);
    k->arena = rl_arena_new();
    rl_smap_put(&c->pkgs, k->dir, k);
  }
  if (rl_once_claim(&k->state, &c->mu, &c->built)) {
    pthread_mutex_unlock(&c->mu);
    build(c, k);
    pthread_mutex_lock(&c->mu);
    rl_once_done(&k->state, &c->built);
  }
  pthread_mutex_unlock(&c->mu);
  return k;
}

size_t rl_project_client_importers(rl_project *p, const char *fs_path, const char **roots, rl_site *sites, size_t cap) {
  rl_clients *c = rl_project__clients(p);
  if (!c || !c->walking || !fs_path || rl_project__options(p)->disabled) return 0;
  rl_pkg_info info = rl_pkgcache_info(rl_project_packages(p), fs_path);
  if (!info.next || !info.pkg_dir) return 0;
  package *k = package_of(c, info.pkg_dir);
  char *real = rl_project__realpath(p, fs_path);
  if (!real) return 0;
  void **hit = rl_smap_get(&k->files, real);
  free(real);
  reached *r = hit ? *hit : NULL;
  if (!r || r->stop) return 0;
  size_t n = r->n < cap ? r->n : cap;
  for (size_t i = 0; i < n; i++) {
    if (roots) roots[i] = r->e[i].root;
    if (sites) sites[i] = r->e[i].at;
  }
  return r->n;
}

const char *rl_project_client_importer(rl_project *p, const char *fs_path, rl_site *site) {
  const char *root = NULL;
  return rl_project_client_importers(p, fs_path, &root, site, 1) ? root : NULL;
}

const char *rl_clients__importer(void *clients, const char *fs_path) {
  rl_clients *c = clients;
  return c ? rl_project_client_importer(c->p, fs_path, NULL) : NULL;
}

/* The context the scan of the file at path gives it (it is read and parsed
 * once more, under the policy; the answer is kept), or -1 when it cannot
 * be read or is not a file the run walks; *bound: rl_context_server_bound. */
static int scanned_context(rl_clients *c, const char *path, int *bound) {
  *bound = 0;
  rl_project *p = c->p;
  char *real = rl_project__realpath(p, path);
  if (!real) return -1;
  int walked = 0;
  for (size_t i = 0; i < c->n && !walked; i++) walked = below(real, c->real[i]);
  pthread_mutex_lock(&c->mu);
  void **hit = rl_smap_get(&c->ctxs, real);
  intptr_t known = hit ? (intptr_t)*hit : 0;
  pthread_mutex_unlock(&c->mu);
  if (known) {
    free(real);
    *bound = (int)(known >> 4);
    return walked ? (int)(known & 15) - 1 : -1;
  }
  int ctx = -1;
  size_t len = 0;
  const char *why = NULL;
  char *bytes = rl_project__read(p, path, &len, &why);
  if (bytes) {
    rl_arena *ta = rl_arena_new();
    rl_source src;
    rl_source_init(&src, path, bytes, len, rl_lang_for_path(path), ta);
    rl_parser *ps = rl_project__parser_take(p);
    rl_tree *tree = ps ? rl_parse(ps, &src) : NULL;
    rl_project__parser_give(p, ps);
    if (tree) {
      ctx = (int)rl_context_classify(&src, rl_tree_root(tree), path, rl_project_packages(p), ta, NULL);
      *bound = rl_context_server_bound(&src, rl_tree_root(tree), path, rl_project_packages(p), ta);
    }
    rl_tree_free(tree);
    rl_arena_free(ta);
    free(bytes);
  }
  pthread_mutex_lock(&c->mu);
  rl_smap_put(&c->ctxs, real, (void *)(intptr_t)((ctx + 1) | (*bound << 4)));
  pthread_mutex_unlock(&c->mu);
  free(real);
  return walked ? ctx : -1;
}

/* ---- what a rule asks (facts/project.h) ---------------------------------------- */

size_t rl_ctx_client_importers(rl_ctx *ctx, const char **roots, rl_site *sites, size_t cap) {
  const char *from = rl_ctx__fs_path(ctx);
  return rl_project_client_importers(rl_ctx__project(ctx), from ? from : rl_ctx_source(ctx)->path, roots, sites, cap);
}

int rl_ctx_scanned_client(rl_ctx *ctx, const char *path) {
  rl_project *p = rl_ctx__project(ctx);
  rl_clients *c = rl_project__clients(p);
  if (!c || !c->walking || !path || rl_project__options(p)->disabled) return 0;
  int bound;
  return scanned_context(c, path, &bound) == RL_CTX_CLIENT;
}

int rl_ctx_file_server_bound(rl_ctx *ctx, const char *path) {
  rl_project *p = rl_ctx__project(ctx);
  rl_clients *c = rl_project__clients(p);
  if (!c || !path || rl_project__options(p)->disabled) return 0;
  int bound;
  scanned_context(c, path, &bound);
  return bound;
}
