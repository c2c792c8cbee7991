#ifndef RL_CONTEXT_H
#define RL_CONTEXT_H
/* Does a file ship to a browser/mobile bundle (client), run on a server,
 * belong to tests, or can we not tell? Signals, strongest first:
 *   1. test paths and names (__tests__/, test/, tests/, *.test.*, *.spec.*)
 *   2. directives "use client" / "use server"
 *   3. browser signals: client SDK or UI framework imports, JSX, DOM globals
 *      (window, document, localStorage) -- these win over server imports,
 *      because a server SDK imported into client code is the mistake rules look for
 *   4. server imports (express, fastify, koa, @nestjs/..., next/server, node
 *      builtins, server SDKs) and server paths (pages/api/..., app/.../route.ts,
 *      server/, api/, functions/, supabase/functions/)
 *   5. client paths (other pages/... and app/... files)
 *   6. the nearest package.json: expo/react-native, or vite/react-scripts with
 *      no server framework, make a client app whose files default to client.
 * The reason string names the deciding signal, e.g.
 * "imports @100mslive/react-sdk", "path pages/api/", "package.json: expo app". */
#include <tree_sitter/api.h>

#include "finding.h"
#include "source.h"

/* Per-run cache of package.json verdicts by directory. Thread-safe. */
typedef struct rl_pkgcache rl_pkgcache;
rl_pkgcache *rl_pkgcache_new(void);
void rl_pkgcache_free(rl_pkgcache *c);

typedef enum rl_app_kind { RL_APP_UNKNOWN = 0, RL_APP_CLIENT, RL_APP_SERVER } rl_app_kind;
/* Verdict of the package.json nearest to fs_path (walking up directories;
 * stops at the filesystem root or a directory holding .git). *why is a
 * borrowed string valid while the cache lives ("package.json: expo app"). */
rl_app_kind rl_pkgcache_lookup(rl_pkgcache *c, const char *fs_path, const char **why);

/* Classifies one file. root may be a null node (dotenv files: classified by
 * name and path only; a dotenv file is "unknown" unless its path says more).
 * fs_path is the path to find package.json from (may equal src->path).
 * reason is allocated in arena. pkg may be NULL (no package.json lookup). */
rl_context rl_context_classify(const rl_source *src, TSNode root, const char *fs_path,
                               rl_pkgcache *pkg, rl_arena *arena, const char **reason);

#endif
