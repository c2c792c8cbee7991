#ifndef RL_PROJECT_H
#define RL_PROJECT_H
/* The project model: what the engine knows about the files a scanned file
 * imports. Rules ask through rl_ctx ("what does the callee apiService.post
 * do?", "what value does the imported TOKEN_TTL hold?"); they never open,
 * stat or parse a file. The engine (src/project.c) resolves specifiers,
 * reads each file once per run under the walk's policy (ignore files,
 * .roomlintignore, config ignore:, --max-file-size, symlinks that stay in
 * the scanned root), and summarises it lazily: only files that a scanned
 * file imports, chains to RL_PROJECT_MAX_DEPTH, cycles safe. What is not
 * certain is unknown: NULL.
 *
 * A summary describes each exported symbol of a module in the model's
 * terms (facts/summary.c computes it from one file's tree, with the
 * summaries of what that file imports handed in):
 *   - names: "createRoom" (export, exports.x, module.exports = { x }),
 *     "default" (export default, module.exports = v), "APIService.post"
 *     (a method of an exported class), "default.post" (a method of the
 *     class whose instance is the default export: `export default new S()`);
 *   - re-exports (`export * from`, `export { x as y } from`) are followed
 *     when the summary is built: they appear as the symbols they name.
 * The API is stable: helpers add effect bits and fields at the end. */
#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#define RL_PROJECT_MAX_DEPTH 12 /* import hops followed from a scanned file */
#define RL_SYM_MAX_PARAMS 4     /* arguments whose keys a summary records */

typedef struct rl_ctx rl_ctx;
typedef struct rl_jsfile rl_jsfile;

typedef enum rl_sym_kind {
  RL_SYM_UNKNOWN = 0,
  RL_SYM_FUNCTION, /* a function (declaration, arrow, function expression) */
  RL_SYM_CLASS,    /* a class; its methods are "Class.method" symbols */
  RL_SYM_METHOD,   /* a method of an exported class (or of a default instance) */
  RL_SYM_CONST,    /* a const with a value: see has_number / string */
  RL_SYM_INSTANCE, /* `new C(...)` exported: its methods are C's ("default.post") */
  RL_SYM_OTHER     /* exported, known, none of the above (an object, a call's result) */
} rl_sym_kind;

/* What a symbol does when called (functions, methods) or holds. */
enum {
  RL_EFF_MINT = 1u << 0,         /* mints a token (mint.h) or calls a helper that does */
  RL_EFF_PROVIDER_API = 1u << 1, /* calls a provider's privileged REST API (the 100ms
                                    API with a management token) or server SDK
                                    (LiveKit RoomServiceClient, Twilio client ...) */
  RL_EFF_ROOM_CHANGE = 1u << 2,  /* creates, changes, ends or deletes rooms */
  RL_EFF_AUTH = 1u << 3,         /* authenticates a request: verifies a token or
                                   session AND answers 401/403 or throws */
  RL_EFF_AUTH_MW = 1u << 4       /* with RL_EFF_AUTH: it is middleware-shaped
                                   ((req, res, next) or (ctx, next)) and refuses */
  ,
  /* facts/returns.c (what a call's value is): */
  RL_EFF_RETURNS_SECRET = 1u << 5, /* returns a secret-named environment variable
                                      (secret_name) */
  RL_EFF_RETURNS_TOKEN = 1u << 6,  /* returns a token it mints (returns_management:
                                      a management token) */
  RL_EFF_FORWARDS_TOKEN = 1u << 7, /* asks an upstream token endpoint for a room
                                      token and returns its answer (facts/forward.h) */
  RL_EFF_SETS_USER = 1u << 8       /* a middleware that puts the signed-in user on the
                                      request (rl_auth_sets_user: req.user = ...); its own,
                                      not its callers' */
};

/* Where a fact was seen: a file of the project (display path as the walk
 * would show it; borrowed, valid for the run) and a 1-based position. */
typedef struct rl_site {
  const char *path;
  uint32_t line, col;
} rl_site;

/* A token minted by a symbol (RL_EFF_MINT). */
typedef struct rl_mint_fact {
  const char *provider; /* "100ms", "livekit", "twilio", "agora", "opentok", "jwt" */
  const char *what;     /* mint.h's words: "LiveKit new AccessToken()" */
  int is_management;    /* a 100ms management token */
  int life_known;       /* lifetime in seconds known */
  double life_seconds;
  int life_none; /* certainly no expiry */
  /* where the role/grants come from: "literal", "request" (a request
   * input), "parameter" (an argument of the symbol), NULL unknown */
  const char *role_from;
  int room_claims; /* the claims name a room, a role or a 100ms token type */
  rl_site where;   /* the mint site */
} rl_mint_fact;

typedef struct rl_symbol {
  const char *name; /* export name, see above */
  rl_sym_kind kind;
  unsigned effects; /* RL_EFF_* */
  /* Message words for the first effect, in the order MINT, PROVIDER_API,
   * ROOM_CHANGE: "mints a LiveKit token", "creates 100ms rooms",
   * "creates or changes rooms (createRoom)". NULL when no effect. */
  const char *what;
  rl_site def;       /* where the symbol is defined */
  rl_site at;        /* where the effect happens (the call), or def */
  rl_mint_fact mint; /* RL_EFF_MINT */
  /* RL_SYM_CONST: the folded value */
  int has_number;
  double number;
  const char *string; /* NUL-terminated, or NULL */
  size_t string_len;
  const char *class_name; /* RL_SYM_INSTANCE / RL_SYM_METHOD: the class */
  /* RL_EFF_PROVIDER_API: whose API ("100ms", "livekit", "twilio") and the
   * HTTP method when it is a REST call ("POST"), else NULL; url_known: the
   * path of the request is written in the symbol (not a parameter) */
  const char *api_provider;
  const char *api_method;
  int url_known;
  /* RL_EFF_RETURNS_SECRET / RL_EFF_RETURNS_TOKEN (facts/returns.c): the
   * variable returned ("HMS_SECRET"), whether the token returned is a
   * management token and what mints it, and where it is returned */
  const char *secret_name;
  int returns_management;
  const char *returns_what;
  rl_site returns_at;
  /* an object (RL_SYM_OTHER) or a function that holds or answers with an
   * Access-Control-Allow-Origin: * header (facts/cors.h's
   * rl_cors_star_header: the `_shared/cors.ts` of Supabase functions), and
   * where that header is written */
  int cors_star;
  rl_site cors_at;
  /* a function that names its user only by the request's query, body or
   * params, reading no credential (facts/auth.h's rl_auth_fn_user_from_input):
   * a getCurrentUser(req) that is no authentication */
  int user_from_input;
  /* RL_SYM_OTHER: a value `process.env.X || '<literal>'` (rl_js_env_fallback):
   * the literal (NUL-terminated), the variable X, and where the literal is */
  const char *fallback;
  size_t fallback_len;
  const char *fallback_env;
  rl_site fallback_at;
  /* RL_SYM_INSTANCE: the canonical callee of its `new` (rl_mint_callee:
   * "opentok", "livekit-server-sdk:AccessToken"), or NULL */
  const char *instance_of;
  /* RL_SYM_OTHER: an `axios.create({ baseURL })` instance: the base URL's
   * text (NUL-terminated), or NULL. The model judges `x.post('/rooms')` on
   * it at the caller, where the path is written. */
  const char *base_url;
  /* RL_SYM_FUNCTION / RL_SYM_METHOD: its parameter count (nparam_keys)
   * and, for the first RL_SYM_MAX_PARAMS, the keys it may read of the
   * object each argument holds (rl_js_param_keys: "room,userId,"; "" none;
   * NULL any; an argument past the count: none), so a caller's object
   * argument `mint({ room, userId, isHost })` maps isHost to what the
   * callee reads (rl_symbol_reads_key) */
  const char *param_keys[RL_SYM_MAX_PARAMS];
  uint32_t nparam_keys;
  /* RL_SYM_CLASS: a method of the class that mints a token by itself
   * ("buildToken"), or NULL; param_keys / nparam_keys are then its
   * constructor's (`new Agora({ channelName, role })`) */
  const char *mints_via;
} rl_symbol;

/* One module's summary, its exported symbols joined across files.
 * Borrowed, valid while the current file is scanned. */
typedef struct rl_module {
  const char *path;      /* display path */
  const rl_symbol *syms; /* sorted by name (strcmp) */
  size_t nsyms;
  int complete; /* every export was understood */
} rl_module;

/* 0 when symbol s (a function or method) certainly never reads key `key`
 * of its i-th argument (see param_keys); 1 when it may or it is unknown. */
int rl_symbol_reads_key(const rl_symbol *s, uint32_t i, const char *key, size_t len); /* a class: its constructor */

/* The symbol called `name` in m, or NULL. */
const rl_symbol *rl_module_symbol(const rl_module *m, const char *name);

/* ---- what a rule asks of the file being scanned ---------------------------------- */

/* The module an import specifier of the current file names ("./auth",
 * "@/lib/controller"), summarised; NULL when it is a package, cannot be
 * resolved, is left out by the walk's policy, or --no-project. */
const rl_module *rl_ctx_module(rl_ctx *ctx, const char *spec, size_t len);

/* What the callee of `call` (a call_expression or new_expression; await and
 * parentheses looked through) is, when it comes from another project file:
 *   requireAuth(...)            import { requireAuth } from './auth'
 *   apiService.post(...)        const apiService = new APIService() / an
 *                               imported instance (`export default new S()`)
 *   new Controller().create(x)  import { Controller } from '@/lib/controller'
 *   require('./m')(...), tokens.getToken(...) with tokens = require('./tokens')
 * NULL otherwise. Symbols are joined: the effects of what the symbol calls,
 * through imports to RL_PROJECT_MAX_DEPTH hops, are its own. Borrowed,
 * valid while the current file is scanned. For a callee's effects only:
 * when no module within reach can have any effect by its bytes
 * (rl_summary_bytes_act), the answer is NULL without a parse, unless the
 * call's name alone suggests a route's work (rl_route_name_suggests_work),
 * where a known function and an unknown one are judged apart. */
const rl_symbol *rl_ctx_callee(rl_ctx *ctx, TSNode call);

/* A route's work (facts/routes.h's rl_route_room_action), in its file or
 * through the project modules it calls (rl_ctx_callee), or, for a handler
 * imported whole (`router.post('/', controller.handle)`), what that handler
 * does (rl_ctx_value). 1 and *out filled, else 0. */
struct rl_route;
struct rl_room_action;
int rl_ctx_route_room_action(rl_ctx *ctx, const struct rl_route *r, struct rl_room_action *out);

/* The same for an expression that names an imported value (an identifier,
 * a member chain, `require('./authMiddleware')`): middleware passed to
 * app.use, an imported constant. */
const rl_symbol *rl_ctx_value(rl_ctx *ctx, TSNode expr);

/* The symbol `member` of what expr names in another project file: a
 * method of an imported class (`canActivate` of a NestJS guard named in
 * @UseGuards(SessionGuard)), of an imported instance or namespace. */
const rl_symbol *rl_ctx_value_member(rl_ctx *ctx, TSNode expr, const char *member);

/* The package binding an expression names through the project's own
 * re-exports: "cors:" for `cors` of `import { cors } from './imports'`
 * where imports.ts has `import cors from 'cors'; export { cors }` (also
 * `export { default as cors } from 'cors'`, `module.exports = { cors:
 * require('cors') }`, barrels on the way); canonical as rl_js_resolve writes
 * an import ("spec:name", "spec:" for a default or namespace import).
 * Borrowed, valid while the current file is scanned; NULL when expr names
 * no project file's re-export of a package. */
const char *rl_ctx_package_alias(rl_ctx *ctx, TSNode expr);

/* The project-wide facts of the framework around the current file, which
 * rules used to find by reading other files themselves:
 * Next.js: 1 if the project's middleware.ts / proxy.ts (beside the pages/
 * or app/ folder of the current route file) authenticates request path
 * `route` (dynamic segments written as "x"). NestJS: 1 if the app the
 * current file belongs to registers an auth guard for every route
 * (useGlobalGuards in main.ts, an APP_GUARD provider in app.module.ts). */
int rl_ctx_next_middleware_covers(rl_ctx *ctx, const char *route, const char *framework);
int rl_ctx_nest_global_guard(rl_ctx *ctx);
/* NestJS: the CORS policy the app's main.ts enables when it lets any origin
 * in (`app.enableCors()` with no options...): what, in words, with the
 * call's *path and *line; NULL if none (or --no-project). */
const char *rl_ctx_nest_cors(rl_ctx *ctx, const char **path, uint32_t *line);
/* Express: the first token or room route of the router module that spec
 * (`require('./routes/video')`, an import) names, as "POST /token", with the
 * *path and *line of its registration; NULL if none (or --no-project). */
const char *rl_ctx_module_room_route(rl_ctx *ctx, const char *spec, size_t n, const char **path, uint32_t *line);
/* The version of npm package name the project's lockfile pins (the nearest
 * package-lock.json, npm-shrinkwrap.json, yarn.lock or pnpm-lock.yaml at
 * or above the current file; the lowest major when it pins several): the
 * major, with the version in out and the lockfile's path in *lockfile;
 * else the lowest major the nearest package.json's declared range admits
 * ("^9.0.2": 9, the range in out, "package.json" in *lockfile); -1 when
 * unknown (neither names it, a range with no lower bound, --no-project). */
int rl_ctx_package_version(rl_ctx *ctx, const char *name, char *out, size_t outsz, const char **lockfile);
/* Express: the current file's router, mounted from another file of the
 * app (`app.use('/api', requireAuth, router)` in server.js): 1 every mount
 * found authenticates first, 0 one does not, -1 no mount found. *prefix
 * (may be NULL) gets the path the mounts put the router at ("/api"), for
 * messages; NULL when none or they differ. */
int rl_ctx_router_mounted_auth(rl_ctx *ctx, const char **prefix);

/* A route of another project file whose handler is an export of the
 * current file (Express-shaped: `router.post('/token', c.generateToken)`
 * with c = require('../controllers/c'), `import { createStreamToken } from
 * '../controllers/livestream.controller.js'`, a wrapper around it:
 * asyncHandler(c.generateToken)). */
#define RL_HANDLER_ROUTE_MAX_MW 8
typedef struct rl_handler_route {
  const char *export_name; /* the current file's export it calls ("generateToken"; "default") */
  rl_site handler;         /* where the current file defines it (the summary's def: the
                              declarator, the exports.X assignment, the function declaration) */
  const char *method;      /* "POST"; "*" for use()/all() */
  const char *path;        /* with the router's mount path in front when every mount agrees */
  const char *framework;   /* facts/routes.h's */
  rl_site at;              /* the registration */
  const char *middlewares[RL_HANDLER_ROUTE_MAX_MW]; /* the arguments between path and handler, as written */
  uint32_t nmiddlewares;
  int authenticated; /* a middleware argument authenticates (by its name or its code), or the
                        router is mounted behind authentication wherever it is mounted */
} rl_handler_route;
/* The routes of other project files (in the current file's folder, the
 * folders up to three above it, to the one holding package.json, and
 * their subfolders: routes/ beside controllers/) whose handler is an
 * export of the current file, in a fixed order (files by path, routes in
 * document order), at most cap of them in out; returns how many were
 * found (to cap). Strings in the current file's arena. 0 with
 * --no-project. A file is parsed for it only when its text names the
 * current file's base name and calls .get( / .post( / ... */
size_t rl_ctx_handler_routes(rl_ctx *ctx, rl_handler_route *out, size_t cap);

/* Next.js: the "use client" modules whose imports bring the current file
 * into the browser bundle (directly or through modules it imports; the
 * current file has no directive of its own): up to cap of them, in a fixed
 * order, the "use client" module in roots[i] and, in sites[i], the place in
 * the module that imports the file (the first call of its code there, else
 * the import); returns how many there are (to 8; may exceed cap), 0 when
 * none or --no-project. Strings borrowed, valid for the run. */
size_t rl_ctx_client_importers(rl_ctx *ctx, const char **roots, rl_site *sites, size_t cap);
/* 1 when the project file at path (an rl_site's path) is scanned by this
 * run and its scan makes it client code: what a client-code rule finds
 * there is reported there, not again at the call sites that reach it.
 * 0 otherwise (not walked: a buffer's scan, a path not named; not client;
 * --no-project). */
int rl_ctx_scanned_client(rl_ctx *ctx, const char *path);
/* 1 when the project file at path stays on the server whoever imports it
 * (a "use server" module, whose exports are server actions that a client
 * calls over the network; server-only; Node built-ins...: see
 * rl_context_server_bound in src/context.h); 0 otherwise or unknown. */
int rl_ctx_file_server_bound(rl_ctx *ctx, const char *path);

/* A cross-file finding names the place in the other file with
 * rl_ctx_related (rule.h): rl_ctx_related(ctx, s->at.path, s->at.line,
 * s->at.col, "..."). */

/* 0 with --no-project (per-file analysis only): every question above
 * answers NULL / 0. */
int rl_ctx_project_enabled(rl_ctx *ctx);

#endif
