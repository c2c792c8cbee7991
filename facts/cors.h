#ifndef RL_CORS_H
#define RL_CORS_H
/* CORS policies as the cors packages read their options: the one answer
 * to "does this policy let any website in?", for permissive-cors and for
 * the project model (a NestJS app's bootstrap, judged from a controller). */
#include <stdint.h>

#include "analysis.h"

/* RL_CORS_ELYSIA: @elysiajs/cors, whose origin defaults to true (any Origin) */
typedef enum rl_cors_lib { RL_CORS_EXPRESS, RL_CORS_KOA, RL_CORS_HONO, RL_CORS_FASTIFY, RL_CORS_ELYSIA } rl_cors_lib;

/* v is the string "*" (folded through constants). */
int rl_cors_is_star(rl_jsfile *jf, TSNode v);

/* What lets any origin in about the options object opts of library l (a
 * null node: no options; had_arg: an argument was given that is not an
 * object the rule can see), in words for a message ("origin '*'", "cors()
 * with no options", "the origin pattern /.../, which ..."), allocated in a;
 * NULL when the policy is an allow-list or not known. Origins: '*', true
 * (with or without credentials: it reflects any Origin), the request's own
 * Origin (rl_cors_request_origin), a callback that accepts all, regular expressions wider
 * than the app's hosts (every origin, a wildcard before a shared host such
 * as vercel.app, no '$' at the end, a host with no '^' before it). */
const char *rl_cors_options_judge(rl_jsfile *jf, rl_arena *a, rl_cors_lib l, TSNode opts, int had_arg);

/* v is the request's Origin as the code reads it: req.headers.origin,
 * req.headers['origin'], req.query.origin, req.body.origin, req.header('origin'),
 * req.get('Origin'), request.headers.get('origin'), url.parse(req.url,
 * true).query.origin; through String(...), a `||` / `??` fallback
 * (`origin || '*'`) and a name bound to one (`const origin =
 * req.headers.origin`; rl_js_local_init). A comparison
 * (`req.header('origin') === x`) is a boolean, not the origin. */
int rl_cors_request_origin(rl_jsfile *jf, TSNode v);

/* The cors package's options delegate fn (`cors((req, callback) =>
 * callback(null, opts))`, inline or a const): what lets any origin in about
 * the options it answers with when no test chooses them (an if, ternary or
 * && around the callback: the allow-list pattern), in words allocated in a;
 * NULL otherwise. */
const char *rl_cors_delegate_judge(rl_jsfile *jf, rl_arena *a, TSNode fn);

/* A token or room route, as rl_cors_covers compares it with a policy: the
 * app or router it is registered on (null: the app, or not Express), its
 * path relative to it ("*": unknown, every policy covers it), and its
 * handler (a NestJS method; may be null). */
typedef struct rl_cors_target {
  TSNode recv;
  const char *path;
  TSNode handler;
} rl_cors_target;

/* Which of targets (in order) the CORS policy or header set at node at
 * applies to, with Express's routing: app.use(path, ...) at or below path,
 * app.get/post/options/all(path, ...) that path only (segments compared
 * without case, ':param' for any segment, '*' for the rest), routers below
 * the path the file mounts them at (`app.use('/api', router)`); a policy in
 * a function applies where that function is registered or called (a named
 * middleware or helper: every such place), a NestJS @Header to the method it
 * decorates. A policy whose registration is not seen (top level, exported,
 * a path that is not a string) applies to every route. Returns the index of
 * the first target covered, or -1. Strings in a. f is what the caller keeps
 * for the file across its policies (zeroed, walks set to RL_CORS_WALKS):
 * the file's mounts, read once, and the walks over the whole file still
 * allowed; once none is left a policy's registration counts as not seen (it
 * covers every route), so the work per file stays linear in its size. */
#define RL_CORS_WALKS 16
typedef struct rl_cors_file {
  int walks;
  struct rl_cors_mounts *mounts; /* read on first need; in a */
} rl_cors_file;
int rl_cors_covers(rl_jsfile *jf, TSNode root, rl_arena *a, TSNode at, const rl_cors_target *targets, size_t n,
                   rl_cors_file *f);

/* A NestJS bootstrap's CORS (main.ts): `app.enableCors()` with no options
 * (the cors package's default, every origin) or options that let any
 * origin in, or `NestFactory.create(AppModule, { cors: true | {...} })`.
 * Returns what (allocated in a) and sets *line (1-based) of the call, or
 * NULL when the file enables no such policy. */
const char *rl_cors_nest_bootstrap(rl_jsfile *jf, TSNode root, rl_arena *a, uint32_t *line);

/* The first Access-Control-Allow-Origin: * inside subtree (an object or a
 * function's body; in an object, not inside the functions among its
 * values): a headers object's pair, `headers.set(ACAO, '*')`
 * (set / append / setHeader / header), or such a pair in a const object of
 * the file that subtree names (`...corsHeaders`); a null node when none.
 * The project model keeps it for exported headers objects and functions
 * (rl_symbol.cors_star), the Supabase `_shared/cors.ts` layout. It walks
 * subtree: callers ask rl_cors_star_possible once per file first. */
TSNode rl_cors_star_header(rl_jsfile *jf, TSNode subtree);
/* 0 when jf's bytes cannot hold what rl_cors_star_header finds (neither the
 * header's name nor supabase-js): a byte test over the whole file. */
int rl_cors_star_possible(rl_jsfile *jf);

/* canon (rl_js_resolve) is a package's headers object that allows every
 * origin: supabase-js's `corsHeaders` (`@supabase/supabase-js/cors`, also
 * as npm:, jsr: and CDN URLs with a version write it). */
int rl_cors_package_star_headers(const char *canon);

#endif
