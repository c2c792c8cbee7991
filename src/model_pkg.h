#ifndef RL_MODEL_PKG_H
#define RL_MODEL_PKG_H
/* The project model's package.json facts: for any file, the verdict of the
 * nearest package.json at or above it (walking up to a directory holding
 * .git, or "/"), the package's folder and the work tree's top. The one
 * place that reads package.json files: each directory is looked at once per
 * run and cached (thread-safe); src/context.c and the model's other
 * questions ask it. The project (model.c) owns one per run and hands it
 * the walk's policy: a package.json inside a scanned root is read only when
 * the walk would read a file there (ignore files, a link that leaves the
 * root), and never over the size limit. */
#include <stddef.h>

typedef struct rl_pkgcache rl_pkgcache;

/* Caller frees with rl_pkgcache_free (NULL: a no-op). A cache made here has
 * no policy (any package.json up to 4 MiB is read): tests, and the
 * project's until rl_pkgcache_set_policy. */
rl_pkgcache *rl_pkgcache_new(void);
void rl_pkgcache_free(rl_pkgcache *c);

/* refuses(data, path): NULL when the file at path (absolute, canonical
 * directory) may be read, else why not. max_size: the size limit. Call
 * before the first lookup. */
void rl_pkgcache_set_policy(rl_pkgcache *c, const char *(*refuses)(void *data, const char *path), void *data,
                            size_t max_size);

/* importer(data, fs_path): the display path of a "use client" module of
 * the file's Next.js package that imports it (the project model's
 * question, model_client.c), or NULL. */
void rl_pkgcache_set_importer(rl_pkgcache *c, const char *(*importer)(void *data, const char *fs_path), void *data);
/* That answer for the file at fs_path; NULL without an importer hook. */
const char *rl_pkgcache_client_importer(rl_pkgcache *c, const char *fs_path);

typedef enum rl_pkg_kind { RL_PKG_NONE = 0, RL_PKG_MOBILE, RL_PKG_WEB, RL_PKG_SERVER } rl_pkg_kind;

/* What the nearest package.json says about the file at fs_path. */
typedef struct rl_pkg_info {
  rl_pkg_kind kind;
  const char *why;     /* "package.json: Expo app"; NULL: no package.json (borrowed, static) */
  int rel_dirs;        /* directories between the project root (.git, else the package) and the file; -1 unknown */
  int under_src;       /* the file is below <package dir>/src/ */
  int next;            /* the package depends on Next.js (not Expo) */
  int next_app;        /* with next: below <package dir>/app/ or src/app/ (the app router) */
  int vite_web;        /* the package builds a browser app with Vite (vite and a web framework, even beside a
                          server framework; no Next.js or Vite-based server-rendering framework) */
  const char *pkg_dir; /* the package's folder, absolute and canonical; NULL: none (borrowed, valid for the run) */
  const char *deps;    /* its dependency and devDependency names, each between "\n"s ("\nnext\nreact\n");
                          NULL: not read (borrowed, valid for the run) */
  const char *ranges;  /* the version ranges those name, one "name range" line each, "\n" first
                          ("\njsonwebtoken ^9.0.2\n"); NULL: not read (borrowed, valid for the run) */
} rl_pkg_info;

/* The package.json facts of the file at fs_path (which need not exist: a
 * buffer classified under a made-up name); all zero (rel_dirs -1) when c
 * or fs_path is NULL or no directory resolves. */
rl_pkg_info rl_pkgcache_info(rl_pkgcache *c, const char *fs_path);

typedef enum rl_app_kind { RL_APP_UNKNOWN = 0, RL_APP_CLIENT, RL_APP_SERVER } rl_app_kind;
/* The verdict alone: client (Expo, React Native, Vite, CRA), server, or
 * unknown; *why a borrowed string valid while the cache lives
 * ("package.json: Expo app", "no package.json"). */
rl_app_kind rl_pkgcache_lookup(rl_pkgcache *c, const char *fs_path, const char **why);

#endif
