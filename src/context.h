#ifndef RL_CONTEXT_H
#define RL_CONTEXT_H
/* Does a file ship to a browser/mobile bundle (client), run on a server,
 * belong to tests, or can we not tell? Signals, strongest first (context.c
 * has the full list and the reasons for each choice):
 *   1. test paths and names (__tests__/, test/, tests/, e2e/, *.test.*, *.spec.*, ...)
 *   2. directives "use client" / "use server"; in a Next.js package, a file
 *      a "use client" module imports (the project model) is client code
 *   3. framework server paths that are never bundled, whatever they contain:
 *      pages/api/, app/.../route.*, supabase/functions/, Expo *+api.*
 *   4. browser signals: client SDK or UI framework imports, JSX, DOM globals
 *      (window, document, localStorage, sessionStorage, navigator; not when
 *      the file tests `typeof window`) -- these win over server imports,
 *      because a server SDK imported into client code is the mistake rules look for
 *   5. conventional server paths: server/, functions/, api/ (not under src/ or lib/)
 *   6. imports needing a server runtime (node builtins, express, fastify, koa,
 *      @nestjs/..., next/server, DB drivers): a bundle could not hold them
 *   7. package.json of a React Native/Expo app (every file is bundled), or of
 *      a Vite/CRA app for files under its src/
 *   8. server SDK imports (jsonwebtoken, livekit-server-sdk, agora-token, ...)
 *   9. package.json of a server app (server framework, no UI framework)
 *  10. client paths (other files under pages/ and app/)
 *  11. package.json of a Vite/CRA app, for any other file.
 * Path signals use only the components below the project root (.git, else
 * the nearest package.json) when it is known.
 * The reason string names the deciding signal, e.g.
 * "imports @100mslive/react-sdk", "path pages/api/", "package.json: Expo app". */
#include <tree_sitter/api.h>

#include "finding.h"
#include "source.h"

/* The package.json facts come from the project model's cache
 * (model_pkg.h: rl_project_packages gives the run's). */
#include "model_pkg.h"

/* Classifies one file. root may be a null node (dotenv files: classified by
 * name and path only; a dotenv file is "unknown" unless its path says more).
 * fs_path is the path to find package.json from (may equal src->path).
 * reason is allocated in arena. pkg may be NULL (no package.json lookup). */
/* The contexts (RL_CTX_BIT set) that rl_context_classify could give the
 * file once parsed, from its path, its package.json and what only a parse
 * could add: client needs a sign in the bytes ("use client", a client import,
 * JSX, a browser global) or the path/package; unknown needs neither path nor
 * package to decide. Over-approximates: the engine skips rules that cannot
 * apply before the prefilter asks anything costly. */
struct rl_prefilter;
unsigned rl_context_possible(const rl_source *src, const struct rl_prefilter *pf, const char *fs_path, rl_pkgcache *pkg,
                             rl_arena *arena);
rl_context rl_context_classify(const rl_source *src, TSNode root, const char *fs_path, rl_pkgcache *pkg,
                               rl_arena *arena, const char **reason);

/* The directive of the file's prologue: RL_CTX_CLIENT ("use client"),
 * RL_CTX_SERVER ("use server"), else RL_CTX_UNKNOWN. */
rl_context rl_context_directive(const rl_source *src, TSNode root);

/* Calls fn for each module specifier the file loads at run time (import and
 * export-from statements, require(), import()), with the node that loads
 * it; type-only imports are erased by the compiler and left out, as the
 * classification leaves them out. */
void rl_context_each_import(const rl_source *src, TSNode root, rl_arena *arena,
                            void (*fn)(void *arg, const char *spec, size_t n, TSNode at), void *arg);

/* 1 when the file never joins a browser bundle, whoever imports it: a test
 * path, a framework server path (pages/api/, route.*), a "use server"
 * directive, an import of server-only or of a module only a server runs
 * (Node built-ins, next/headers, express...): a bundle holding it would
 * not build, or the framework keeps it on the server. */
int rl_context_server_bound(const rl_source *src, TSNode root, const char *fs_path, rl_pkgcache *pkg, rl_arena *arena);

#endif
