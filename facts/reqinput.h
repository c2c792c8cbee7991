#ifndef RL_REQINPUT_H
#define RL_REQINPUT_H
/* Values that come from the request: the one answer to "did the client
 * choose this?" inside a request handler. A table of shapes (reqinput.c,
 * one line per API) says which reads of the request object give the body,
 * the query string, the path parameters, the headers or a callable's data:
 *
 *   req.body, req.query, req.params, req.headers   Express, Fastify, Next pages
 *   ctx.request.body, ctx.query, ctx.params        Koa
 *   await ctx.request.body.json(),                 Oak (Deno)
 *     ctx.request.url.searchParams
 *   await req.json() / formData() / text()         Fetch API: Next.js app routes,
 *                                                  Deno, Supabase, Cloudflare Workers
 *   req.nextUrl.searchParams, new URL(req.url)     ... and their .get('x')
 *   await c.req.json(), c.req.query('x'),          Hono
 *     c.req.param('x'), c.req.parseBody()
 *   JSON.parse(event.body), event.queryString-     Lambda, Netlify
 *     Parameters, event.pathParameters
 *   readBody(event), getQuery(event)               Nuxt / h3
 *   onCall((data, context) => ...), request.data   Firebase callables v1 / v2
 *   @Body() / @Query() / @Param() / @Args()        NestJS (also @Body('role') role)
 *
 * The request object is the handler's first parameter (or the name the
 * route gives it); a destructured first parameter gives its `request` /
 * `req`, and SvelteKit's and Remix's `url` and `params` (also Express's
 * `({ body, query }, res)`). Values are followed
 * through const/let bindings and assignments, destructuring (nested, with
 * defaults, rest), member reads, .get('x') of a FormData or URLSearchParams,
 * JSON.parse / Object.fromEntries, String() / Number() / parseInt() /
 * .trim() / .toLowerCase() / a one-substitution template, `||` / `??`
 * fallbacks, `.catch(...)` on the read, and `c ? JSON.parse(b) : {}` for
 * objects. A comparison of a value with a literal (`body.isHost === true`)
 * and a choice between two literals on one (`q.get('host') ? 'host' :
 * 'guest'`) only coerce it: the caller still chooses. A ternary over a value
 * (`OK.has(r) ? r : 'guest'`) is not the request's any more: it is the
 * code's choice; nor is a name the handler assigns anything else to,
 * anywhere (`role = rolesOf(user)`), but a fallback object built from the
 * request alone (`body = { room: q.get('room'), isHost: q.get('h') ===
 * 'true' }`) is no such assignment. */
#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#include "analysis.h"
#include "arena.h"

typedef enum rl_in_kind {
  RL_IN_NONE = 0,
  RL_IN_OBJECT, /* its properties are inputs: req.body, await req.json() */
  RL_IN_FORM,   /* its .get('x') are inputs: formData(), searchParams */
  RL_IN_TEXT,   /* a string: await req.text(), event.body (JSON.parse it) */
  RL_IN_URL,    /* new URL(req.url): its .searchParams */
  RL_IN_VALUE   /* one value: req.body.role, c.req.query('role') */
} rl_in_kind;

typedef struct rl_in {
  rl_in_kind kind;
  const char *desc; /* where it came from, for messages: "the request body
                       (await req.json())", "the query string
                       (req.nextUrl.searchParams)"; in the arena */
  TSNode read;      /* the read itself, through wrappers: `body.role` of
                       `String(body.role || '')` */
} rl_in;

#define RL_REQIN_MAX_BINDS 64
#define RL_REQIN_MAX_NAMES 4

typedef struct rl_reqin_bind {
  const char *name;
  size_t len;
  rl_in in;
} rl_reqin_bind;

/* What one handler's request gives; fill with rl_reqin_scan, keep on the
 * stack (a few KiB), no free. */
typedef struct rl_reqin {
  rl_jsfile *jf;
  rl_arena *arena;
  TSNode fn;
  const char *req[RL_REQIN_MAX_NAMES]; /* names of the request object */
  uint32_t nreq;
  int callable; /* a Firebase onCall handler: `request.data` is its input */
  rl_reqin_bind binds[RL_REQIN_MAX_BINDS];
  uint32_t nbinds;
  int helper_depth; /* a same-file helper's scan (through_helper): how deep */
} rl_reqin;

/* Scans handler fn: its request names (req_name from the route, may be
 * NULL), decorated NestJS parameters, a Firebase v1 data parameter, and
 * the bindings in its body, in document order. Strings in arena. */
void rl_reqin_scan(rl_reqin *out, rl_jsfile *jf, rl_arena *arena, TSNode fn, const char *req_name);

/* A call of a same-file function (a plain helper: `getUserRole(role)`,
 * `parseExpirationTime(expireTime)`) whose arguments carry request values
 * gives what its return statements give, its parameters bound to what the
 * caller passes (rl_reqin_value, rl_reqin_of and rl_reqin_number follow it,
 * two helpers deep); the read is the caller's argument. */

/* What expression e is as request input: 1 and *out filled, else 0. */
int rl_reqin_of(const rl_reqin *in, TSNode e, rl_in *out);

/* A single value from the request (req.body.role, a name bound to one,
 * searchParams.get('role'), the body's text, through the wrappers above): its description,
 * or NULL. *read (may be NULL) gets the read under the wrappers. */
const char *rl_reqin_value(const rl_reqin *in, TSNode e, TSNode *read);

/* A whole input object (req.body, await req.json(), a name bound to one),
 * as spread or validated whole: its description, or NULL. */
const char *rl_reqin_object(const rl_reqin *in, TSNode e);

/* May e carry a number the client chose, with nothing in the handler to
 * bound it? For lifetimes: `now + parseInt(req.query.expiry)` or a name that
 * any of its declarations or assignments gives a request value (`let ttl =
 * req.query.ttl; if (!ttl) ttl = 3600; else ttl = parseInt(ttl)`), through
 * + - * and Math.floor/round/ceil/trunc, Number, parseInt. A name the
 * handler compares (`ttl > MAX`) or passes to Math.min/max is bounded: NULL.
 * Returns the read's description (and *read), or NULL. */
const char *rl_reqin_number(const rl_reqin *in, TSNode e, TSNode *read);

/* A name whose value an `if` on the request picks among constants: `let
 * role = RtcRole.SUBSCRIBER; if (req.query.role == 'publisher') role =
 * RtcRole.PUBLISHER` (also `else` branches, nested ifs, `!q.host`, `||`):
 * whoever sends the request chooses. Every assignment of the name in the
 * handler must be a constant under ifs whose conditions only the request
 * decides (a request value, or its comparison with a constant); an `if` on
 * a server fact around one (`if (user.isHost)`, `if (await isOwner(...))`,
 * `&& user.canPublish`), another value, or an assignment in a callback:
 * NULL. A `switch` on such a value is an if on it: `switch (role) { case
 * 'host': rtcRole = RtcRole.PUBLISHER; break; default: ... }` picks (a
 * switch on a server fact, `switch (member.role)`, does not). Returns the request read's description, with *read (the
 * read) and *cond (the first such if's condition); may be NULL. */
const char *rl_reqin_branch_pick(const rl_reqin *in, TSNode e, TSNode *read, TSNode *cond);

#endif
