#ifndef RL_CORS_H
#define RL_CORS_H
/* CORS policies as the cors packages read their options: the one answer
 * to "does this policy let any website in?", for permissive-cors and for
 * the project model (a NestJS app's bootstrap, judged from a controller). */
#include <stdint.h>

#include "analysis.h"

typedef enum rl_cors_lib { RL_CORS_EXPRESS, RL_CORS_KOA, RL_CORS_HONO, RL_CORS_FASTIFY } rl_cors_lib;

/* v is the string "*" (folded through constants). */
int rl_cors_is_star(rl_jsfile *jf, TSNode v);

/* What lets any origin in about the options object opts of library l (a
 * null node: no options; had_arg: an argument was given that is not an
 * object the rule can see), in words for a message ("origin '*'", "cors()
 * with no options", "the origin pattern /.../, which ..."), allocated in a;
 * NULL when the policy is an allow-list or not known. Origins: '*', true
 * with credentials, a callback that accepts all, regular expressions wider
 * than the app's hosts (every origin, a wildcard before a shared host such
 * as vercel.app, no '$' at the end, a host with no '^' before it). */
const char *rl_cors_options_judge(rl_jsfile *jf, rl_arena *a, rl_cors_lib l, TSNode opts, int had_arg);

/* A NestJS bootstrap's CORS (main.ts): `app.enableCors()` with no options
 * (the cors package's default, every origin) or options that let any
 * origin in, or `NestFactory.create(AppModule, { cors: true | {...} })`.
 * Returns what (allocated in a) and sets *line (1-based) of the call, or
 * NULL when the file enables no such policy. */
const char *rl_cors_nest_bootstrap(rl_jsfile *jf, TSNode root, rl_arena *a, uint32_t *line);

#endif
