#ifndef RL_ROUTES_H
#define RL_ROUTES_H
/* Server route handlers, across frameworks: what the route-aware rules
 * (unauthenticated-room-route, secret-in-response, permissive-cors,
 * unvalidated-token-input, ...) iterate over.
 *
 * Recognised registrations (one file at a time, no cross-file resolution):
 *   express   app.get/post/put/patch/delete/del/all/options/head('/p', ...mw, h)
 *             router.METHOD(...), app.use('/p', ...mw, h) (method "*"),
 *             app.route('/p').get(mw, h).post(h2) (one route per method)
 *   koa       the same shapes when the file imports koa, @koa/router or
 *             koa-router (handler params: ctx, next)
 *   hono      the same shapes when the file imports hono (handler param: c)
 *   next-action  Next.js Server Actions (rl_route_server_action): method
 *             POST, path "server action <name>", no request parameter
 *   elysia    the same shapes when the file imports elysia, chained on
 *             new Elysia() too; a hook object after the handler
 *             (`.post('/p', h, { body, beforeHandle })`) is `options`
 *   fastify   fastify.METHOD('/p', { preHandler, onRequest, ... }, h),
 *             fastify.METHOD('/p', { handler }), fastify.route({ method, url,
 *             handler, preHandler }) -- `options` is the options object
 *   nestjs    methods decorated @Get/@Post/@Put/@Patch/@Delete/@All/@Options/
 *             @Head in a class decorated @Controller(prefix); path joins the
 *             prefix and the method's path; `middlewares` holds the
 *             @UseGuards(...) decorators of the class, then of the method
 *   nestjs GraphQL: methods decorated @Query/@Mutation/@Subscription in a
 *             class decorated @Resolver: method "*", path "mutation <name>"
 *             (the decorator's name string or `{ name }`, else the method's)
 *   next-pages  the default export of pages/api/... (function declaration,
 *             arrow, identifier bound to a function, or a wrapper call such
 *             as withAuth(handler): `handler_expr` is the call, `handler` the
 *             function found inside it); path "/api/..." from the file path;
 *             method from a `req.method === 'POST'`-style test in the body,
 *             else "*"
 *   next-app  exported GET/POST/PUT/PATCH/DELETE/HEAD/OPTIONS of
 *             app/.../route.(js|ts|jsx|tsx|mjs) (function, const arrow, or
 *             `export { h as POST }`); path from the folders below app/,
 *             route groups "(x)" dropped
 *   expo-api  the same exports in Expo Router API routes (*+api.ts)
 *   vercel    the default export (or module.exports) of api/... files not
 *             directly under src/, lib/, app/, routes/, controllers/,
 *             handlers/ and with no node_modules/, lib/, dist/, build/, src/,
 *             rest/, client/, components/ or package/ folder above (Vercel
 *             serverless functions); path "/api/...". Paths are the display
 *             paths, so scanning /home/me/src/app misses these.
 *   nuxt      server/api/... whose default export is defineEventHandler(h);
 *             token.post.ts is POST /api/token
 *   sveltekit-page  src/routes/.../+page.server.ts and +layout.server.ts:
 *             `export function load` / `export const load` is GET of the
 *             page's path; each entry of `export const actions = {...}` is
 *             POST (`default` at the path, a named one at "<path>?/<name>",
 *             registered at its entry)
 *   (pages/api and vercel also take CommonJS `module.exports = handler`)
 *   firebase  https.onCall(h) ("firebase") / https.onRequest(h) ("firebase-http")
 *             (v1 `functions.https.*`,
 *             also behind region()/runWith(); v2 onCall([opts,] h)) in a file
 *             that imports firebase-functions; path: the export's name
 *             (`exports.getToken = ...`), else "*"; onRequest(app) with an
 *             Express app is no route of its own
 *   supabase  serve(h) from Deno's std http/server, or Deno.serve([opts,] h),
 *             in any file; path "/functions/v1/<name>" under
 *             supabase/functions/<name>/, else "*"
 *
 * An Express-shaped call counts only when its path argument is a string
 * starting with "/" or "*" (folded through consts) and the handler is a
 * function (inline, or a function/const in the file), a wrapper call, or
 * the file imports a server framework: `axios.post('/api/token', body)` is
 * a request, not a route, and HTTP-client receivers are skipped. */
#include <stdint.h>
#include <tree_sitter/api.h>

#include "analysis.h"
#include "mint.h"
#include "prefilter.h"
#include "project.h"

#define RL_ROUTE_MAX_MW 8

typedef struct rl_route {
  const char *framework; /* "express", "koa", "hono", "fastify", "nestjs",
                            "next-pages", "next-app", "expo-api", "vercel",
                            "nuxt", "supabase", "firebase", "firebase-http" */
  const char *method;    /* upper case: "GET", "POST", ...; "*" = any */
  const char *path;      /* "/api/token", "/rooms/:id/token"; "*" if unknown */
  TSNode handler;        /* function node handling the request (arrow_function,
                            function_expression, function_declaration,
                            method_definition...); null if not in this file */
  TSNode handler_expr;   /* the handler as written at the registration
                            (identifier, wrapper call, member...); null for
                            nestjs and exported functions */
  TSNode registration;   /* the call app.post(...) / fastify.route(...) /
                            serve(...), the method's @Post decorator, the
                            export_statement or the module.exports statement */
  TSNode receiver;       /* `app` in app.post(...), `router` in
                            router.route('/x').post(...); else null */
  TSNode options;        /* fastify: the route options object; elysia: the hook object after the handler; nestjs: the
                            controller class_declaration; else null */
  TSNode middlewares[RL_ROUTE_MAX_MW]; /* args between path and handler;
                            nestjs: @UseGuards decorators (class first) */
  uint32_t nmiddlewares;
  const char *req_name; /* first handler parameter if a plain identifier
                            ("req", "ctx", "request", "c"); nestjs: the
                            @Req()/@Request() parameter; else NULL */
  const char *res_name; /* second parameter ("res", "reply"); koa: same as
                            req_name; nestjs: the @Res() parameter; else NULL */
  int opted_out;        /* nestjs: a decorator on the method or class marks
                            it public (@Public(), @SkipAuth(), @AllowAnonymous()),
                            the usual way to let global guards pass it */
} rl_route;

typedef void (*rl_route_cb)(void *data, const rl_route *r);

/* Calls cb for every route registered in the file, in document order.
 * path is the file's path (for next-pages/next-app/supabase; NULL = the
 * source's path). Strings live in the file's arena. */
void rl_routes_each(rl_jsfile *jf, TSNode root, const char *path, rl_route_cb cb, void *data);

/* ---- mounts: the one walk over use() and register() ----------------------------- */

/* One `X.use(['/p',] mw..., target...)` (Express, Connect, Koa routers) or
 * Fastify `X.register(plugin, { prefix: '/p' })` call of a file. */
typedef struct rl_mount {
  TSNode call;
  TSNode recv;      /* X */
  const char *path; /* '/p' (folded through consts; register: the prefix option), or NULL */
  size_t path_len;
  int is_register;
  uint32_t first; /* the first argument after the path (register: 0, the plugin) */
  uint32_t nargs; /* arguments; a register() call's plugin is its only target */
} rl_mount;

#define RL_MOUNTS_MAX 256 /* use()/register() calls read per file */

/* The file's use()/register() calls in document order (at most
 * RL_MOUNTS_MAX), read in one walk; in jf's arena. permissive-cors (mounted
 * routers' paths, in the file and in other files), the project model
 * (routers mounted in routers) and rl_auth_mount (middleware before a
 * mount) all read mounts here. */
const rl_mount *rl_mounts(rl_jsfile *jf, TSNode root, size_t *n);

/* ---- what a file's path says: the one path -> framework answer ---------------- */

typedef struct rl_path_kind {
  const char *kind;        /* the file-route convention the path follows: "next-pages",
                         "next-app", "expo-api", "vercel", "nuxt" (see above; JS/TS
                         extensions only), else NULL */
  const char *route;       /* its route path ("/api/token"), NULL without kind */
  const char *method;      /* Nuxt token.post.ts: "POST"; else NULL */
  const char *fn_route;    /* supabase/functions/<name>/...: "/functions/v1/<name>" */
  const char *server_only; /* why no framework bundles this file for a browser:
                              "path pages/api/", "path supabase/functions/" (any
                              file below them), "path app/.../route.ts" (Next.js
                              route handlers, written with two stars), "Expo API
                              route (x+api.ts)", "server-only module
                              (+page.server.ts)" (any *.server.<ext>),
                              "path src/lib/server/"; else NULL */
} rl_path_kind;

/* Classifies a path by the frameworks' file conventions. Strings are static
 * or in arena. context.c asks it for the server-only paths (with the path
 * below the project root), the route walk for file routes (display path). */
void rl_path_framework(const char *path, rl_arena *arena, rl_path_kind *out);

/* 1 if the file registers at least one route. */
int rl_routes_any(rl_jsfile *jf, TSNode root, const char *path);

/* Prefilter (prefilter.h): 0 only when no parse of pf's bytes, at pf's path
 * (rl_pf_path; NULL = any path), can make rl_routes_each call back, so a
 * rule that reports only inside routes cannot fire. Byte needs: a call
 * get/post/put/patch/delete/del/all/options/head/use/route(...) with a
 * regex first argument or a string that could fold to a path ("/" or "*"
 * first in a literal, a template holding "/"), a fastify route({ handler }),
 * the names Controller or serve, or, for files whose path makes them
 * Next.js/Vercel/Nuxt/Expo handlers, the export they need. Remembered in
 * pf. */
int rl_routes_possible(rl_prefilter *pf);

/* The function an expression names in this file: an inline function, an
 * identifier bound to a function declaration or a const function, or (for
 * wrapper calls such as withAuth(h) / asyncHandler(async (req, res) => ..))
 * the last function argument, one level of wrapping deep. Null if none. */
TSNode rl_route_function_of(rl_jsfile *jf, TSNode root, TSNode expr);

/* The name of the i-th parameter of a function node if it is a plain
 * identifier (also `req: Request`, `req = x`), else NULL. */
const char *rl_route_param_name(rl_jsfile *jf, TSNode fn, uint32_t i);

/* ---- what a route does: room and token actions ---------------------------------- */

typedef enum rl_room_action_kind {
  RL_ROOM_NONE = 0,
  RL_ROOM_MINT,      /* mints a room/auth token (rules/mint.h, or a room-ish
                        jsonwebtoken/jose payload or route path) */
  RL_ROOM_MINT_CALL, /* calls a function whose name says it mints a token:
                        generateToken, createRoomToken, mintToken, getAuthToken... */
  RL_ROOM_CHANGE,    /* creates/changes rooms: create*Room*, update*Room*,
                        disable*Room*, enable*Room*, delete*Room*, end*Room* */
  RL_ROOM_API        /* a privileged provider action (privileged.h: SDK
                        methods, REST writes; RL_ROOM_CHANGE when it changes
                        rooms, RL_ROOM_MINT_CALL for Daily meeting tokens and
                        forwards to an upstream token endpoint: forward.h) */
} rl_room_action_kind;

typedef struct rl_room_action {
  rl_room_action_kind kind;
  const char *what;  /* "mints a token", "creates or changes rooms (createRoom)",
                       "calls the 100ms REST API" */
  TSNode node;       /* the call / string that does it */
  int is_management; /* a 100ms management token is minted */
  /* The action is in another project file (facts/project.h): the symbol
   * called, and the name it is shown by ("APIService.post"); else NULL. */
  const struct rl_symbol *via;
  const char *via_name;
  rl_site where;        /* via: the place in that file that does it */
  const char *via_what; /* via: what it does there ("creates 100ms rooms") */
  /* no action found, but a jsonwebtoken/jose sign was (in the handler or a
   * helper it calls, in this file or another) that counted for neither its
   * claims nor the route's path: the path the app serves the route at (a
   * router's mount) may say more */
  int jwt_seen;
} rl_room_action;

/* What a call into another project file does (its joined summary), or
 * NULL: handed in by the rule from rl_ctx_callee. */
typedef const struct rl_symbol *(*rl_callee_fn)(void *data, TSNode call);

/* The first room or token action of route r's handler (and of same-file
 * functions it calls, one level deep), in document order; after a mint, a
 * privileged provider action is named too ("mints a token and starts ...");
 * with none, a forward to an upstream token endpoint (forward.h). A jsonwebtoken or
 * jose sign counts only when its payload has room claims (access_key,
 * room_id, roomId, room, role, video, grants, channel, type 'app'/'management')
 * or the route path says token/room/join/meeting/call/video/live and not
 * login/signin/signup/register/refresh/session/webhook: a login route signing a session JWT
 * is the authentication, not a room route. An ORM write to a room record
 * that changes who may join (`prisma.room.update({ data: { isLocked } })`,
 * Mongoose `Room.findByIdAndUpdate`) is a room change. Returns 1 if found. */
int rl_route_room_action(rl_jsfile *jf, TSNode root, const rl_route *r, rl_room_action *out);
/* A token or room route: one that mints or changes rooms (rl_route_room_action),
 * or whose path says token(s) or room(s). */
int rl_route_is_roomish(rl_jsfile *jf, TSNode root, const rl_route *r);
/* Is fn a Next.js Server Action, a POST endpoint any client can call with
 * arguments of its choosing: an exported function of a module whose
 * prologue says "use server", or a function whose own body starts with
 * "use server"? *name (may be NULL) gets its name ("default", "inline"
 * for an unnamed inline one), borrowed from the source. */
int rl_route_server_action(rl_jsfile *jf, TSNode fn, const char **name, size_t *nl);
/* The same, asking lookup about calls no same-file fact explains: a call
 * whose summary mints a room token, calls a provider's privileged API or
 * changes rooms is the action ("creates 100ms rooms through APIService.post
 * (services/APIService.js:23)"). */
int rl_route_room_action_with(rl_jsfile *jf, TSNode root, const rl_route *r, rl_callee_fn lookup, void *data,
                              rl_room_action *out);
/* The action a summary describes, for a route at route_path (may be NULL)
 * reached by call (may be null); 0 when it is none. */
int rl_room_action_of_summary(rl_jsfile *jf, const struct rl_symbol *s, const char *route_path, TSNode call,
                              rl_room_action *out);

/* Words shared with the project model (facts/summary.c): a call name that
 * creates or changes rooms (create*Room*, end*Room* ...); a mint whose
 * claims name a room, a role or a 100ms token type; a route path about
 * tokens, rooms or calls and not about logins or webhooks. */
int rl_room_change_name(const char *s, size_t n);
/* 1 if a call's name alone says it does a route's work (rl_room_change_name,
 * or a name that mints: generateToken, getManagementToken): the route
 * finder reads such a name when the project model does not know the callee. */
int rl_route_name_suggests_work(const char *s, size_t n);
/* Prefilter: 1 if some name in the bytes is rl_room_change_name's. */
int rl_room_change_possible(rl_prefilter *pf);
int rl_mint_room_claims(rl_jsfile *jf, const rl_mint *m);
int rl_route_path_roomish(const char *path);

#endif
