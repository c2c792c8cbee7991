#ifndef RL_MODEL_H
#define RL_MODEL_H
/* The engine's side of the project model (facts/project.h is what rules
 * see): module resolution, tsconfig/jsconfig paths, and the per-run cache
 * of files read and summarised. Thread-safe: workers share one rl_project.
 * Every file it reads passes the walk's policy first (ignore files,
 * .roomlintignore, config ignore:, default ignored folders, the size limit,
 * links that leave the scanned roots, binary and minified files). */
#include <stddef.h>

#include "analysis.h"
#include "model_pkg.h"
#include "project.h"
#include "summary.h"
#include "walk.h"

typedef struct rl_project rl_project;

typedef struct rl_project_options {
  int disabled;         /* --no-project: nothing is resolved or read */
  size_t max_file_size; /* bytes */
  int no_ignore;
  const char *const *extra_ignores; /* config ignore:, anchored at extra_base */
  const char *extra_base;
  int exact; /* --no-prefilter: no question is answered from bytes alone */
} rl_project_options;

/* Caller frees with rl_project_free (NULL: a no-op). */
rl_project *rl_project_new(const rl_project_options *o);
void rl_project_free(rl_project *p);
/* Forgets every file read, resolved, parsed or judged (the scanned roots and
 * options stay): the next question reads the file system afresh. For a
 * caller that scans one buffer after another while files change (the
 * language server, the fuzzer); not while a scan runs. */
void rl_project_forget(rl_project *p);

/* The scanned roots of the next run (files or directories, as given): a
 * module whose real path leaves all of them is not read. None: the
 * current directory. Call before the workers start. */
void rl_project_set_roots(rl_project *p, const char *const *paths, size_t n);

/* The file spec names when imported from the file at from (a path as the
 * walk gives it): relative specifiers with extension and index.* lookup
 * (.ts .tsx .js .jsx .mjs .cjs; a '.js' specifier naming a '.ts' file),
 * the nearest tsconfig.json / jsconfig.json's paths and baseUrl (JSONC;
 * `extends` of a relative file followed). A package, or nothing found:
 * NULL. Returns a path borrowed from p, valid until rl_project_free. */
const char *rl_project_resolve(rl_project *p, const char *from, const char *spec, size_t n);

/* The local summary of the file at path (a rl_project_resolve answer),
 * built on first use; NULL when the policy leaves it out or it cannot be
 * read or parsed. *why (may be NULL) says why not, borrowed. Borrowed,
 * valid until rl_project_free. steps: the analysis steps it cost. */
const rl_localmod *rl_project_local(rl_project *p, const char *path, const char **why, unsigned long long *steps);

/* The joined answer: the symbol `name` of the module at path with the
 * effects of everything it calls, followed through imports to
 * RL_PROJECT_MAX_DEPTH hops (cycles stop). Allocated in arena; NULL when
 * unknown. jf: the file asking, charged the steps (may be NULL). */
const rl_symbol *rl_project_symbol(rl_project *p, const char *path, const char *name, rl_arena *arena, rl_jsfile *jf);

/* The prefilter's question (rl_prefilter_set_imports): may the module that
 * spec names, imported from the file at from, matter to a rule? 1 when it
 * or a project file it imports (to RL_PROJECT_MAX_DEPTH hops, cycles cut)
 * has bytes that may mint, call a provider or return a secret
 * (rl_summary_bytes_matter); 0 for packages, unresolved specifiers, files
 * the policy leaves out, and --no-project. Deterministic: the same answer
 * whichever worker asks first. */
int rl_project_import_matters(rl_project *p, const char *from, const char *spec, size_t n);

/* The run's package.json facts (model_pkg.h), read under the walk's
 * policy; answered with --no-project too. Borrowed, valid until
 * rl_project_free; NULL when p is. */
rl_pkgcache *rl_project_packages(rl_project *p);

/* Files read so far (a test checks what the policy kept out). */
size_t rl_project_files_read(rl_project *p);

/* Next.js / NestJS project facts (see facts/project.h): from is the asking
 * file's path. */
int rl_project_next_middleware_covers(rl_project *p, const char *from, const char *route, const char *framework,
                                      rl_jsfile *asking);
int rl_project_nest_global_guard(rl_project *p, const char *from, rl_jsfile *asking);
/* The version of npm package name that the nearest lockfile at or above
 * the file at from pins (lockfile.h: the lowest major of its entries):
 * the major, with the version in out and the lockfile's path in *lockfile
 * (borrowed from p); with no lockfile entry, the lowest major that the
 * nearest package.json's range admits (rl_semver_range_floor), the range in
 * out and "package.json" in *lockfile; -1 when neither tells. */
int rl_project_package_version(rl_project *p, const char *from, const char *name, char *out, size_t outsz,
                               const char **lockfile);
/* The CORS policy that lets any origin in, enabled by the main.ts of the
 * NestJS app the file at from belongs to (rl_cors_nest_bootstrap): what,
 * with *path and *line of the call; NULL if none. */
const char *rl_project_nest_cors(rl_project *p, const char *from, rl_jsfile *asking, const char **path, uint32_t *line);
/* The first token or room route (rl_route_is_roomish) that the project file
 * spec names from the file at from registers ("POST /token"), with *path and
 * *line of its registration; NULL if none, not a project file, or refused by
 * the walk's policy. The file is parsed once and kept. */
const char *rl_project_module_room_route(rl_project *p, const char *from, const char *spec, size_t n, rl_jsfile *asking,
                                         const char **path, uint32_t *line);
/* Express: how the files in the router file's folder and up to four above
 * it (to the folder holding package.json) mount it with use(): 1 behind
 * authentication everywhere it is mounted, 0 somewhere without, -1 not
 * found (facts/auth.c's rl_auth_mount judges each file). *prefix (may be
 * NULL) gets the path the mounts looked at put it at ("/api", in arena),
 * NULL when none or they differ. */
int rl_project_router_mounted_auth(rl_project *p, const char *from, rl_jsfile *asking, const char **prefix,
                                   rl_arena *arena);
/* The routes of other project files whose handler is an export of the file
 * at from (facts/project.h's rl_ctx_handler_routes): into out (strings in
 * arena), at most cap; returns how many. */
size_t rl_project_handler_routes(rl_project *p, const char *from, rl_jsfile *asking, rl_arena *arena,
                                 rl_handler_route *out, size_t cap);

/* "use client" imports (model_client.c). The paths of the next run as
 * given (files or directories; none: "."), whose walk yields the files
 * scanned: the model's client-import answers come from the files under
 * them. Call after rl_project_set_roots, before the workers start;
 * rl_project_set_roots forgets them (a buffer's scan walks nothing). */
void rl_project_set_walking(rl_project *p, const char *const *paths, size_t n);
/* The bytes of a file the walk read and scanned (ownership passes here):
 * kept, within a budget, for a module read of the same file, which then
 * costs no second read and no second judgement of the walk's policy.
 * Freed when not kept; forgotten by rl_project_set_roots. */
void rl_project_keep(rl_project *p, const char *fs_path, rl_lang lang, char *bytes, size_t len);
/* The display path of a "use client" module of the Next.js package of the
 * file at fs_path that imports it, directly or through modules it imports
 * (RL_PROJECT_MAX_DEPTH hops, cycles safe, the package's own files only,
 * none that rl_context_server_bound keeps on the server), with the last
 * hop in *site (may be NULL): the first call of the file's code in the
 * module that imports it, else the import; NULL when none, the file is not
 * one the run walks, or --no-project. Built once per package and run. Borrowed,
 * valid until rl_project_free. */
const char *rl_project_client_importer(rl_project *p, const char *fs_path, rl_site *site);
/* All of them (to 8), in the order the walk met them: the "use client"
 * module in roots[i], the module that imports the file in sites[i] (either
 * may be NULL); returns how many, which may exceed cap. */
size_t rl_project_client_importers(rl_project *p, const char *fs_path, const char **roots, rl_site *sites, size_t cap);

/* model_client.c's state and the model's internals it uses */
typedef struct rl_clients rl_clients;
typedef struct rl_parser rl_parser;
rl_clients *rl_clients__new(rl_project *p);
void rl_clients__free(rl_clients *c);
void rl_clients__reset(rl_clients *c);
const char *rl_clients__importer(void *clients, const char *fs_path);
char *rl_project__read(rl_project *p, const char *path, size_t *len, const char **why);
rl_parser *rl_project__parser_take(rl_project *p);
void rl_project__parser_give(rl_project *p, rl_parser *ps);
char *rl_project__realpath(rl_project *p, const char *path);
const rl_project_options *rl_project__options(const rl_project *p);
rl_clients *rl_project__clients(rl_project *p);

/* engine.c's side of rl_ctx: the run's project (NULL: none) and the path
 * the scanned file was read from (NULL: unknown, a buffer). */
rl_project *rl_ctx__project(rl_ctx *ctx);
const char *rl_ctx__fs_path(rl_ctx *ctx);

#endif
