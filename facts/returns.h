#ifndef RL_RETURNS_H
#define RL_RETURNS_H
/* What a function's value is, for the project model's summaries
 * (summary.c calls it for every function and method symbol): a secret
 * environment variable it returns, a token it mints and returns, and the
 * calls whose value it returns (their answers flow into it when the model
 * joins summaries). Pure: one file's tree, no I/O.
 *
 *   return process.env.HMS_SECRET;            RETURNS_SECRET "HMS_SECRET"
 *   const s = process.env.X_SECRET; return s  (also `|| ''`, `?? ''`, `!`)
 *   return jwt.sign({ type: 'management' ... }, key)   RETURNS_TOKEN, management
 *   const t = await sdk.auth.getAuthToken(o); return t.token   (100ms SDK shape)
 *   return this.#sign(p) / helper(p) / svc.m(p)         a ret_dep
 * A function returned from the function (`return () => secret`) is not its
 * value; a secret passed through any other call (mask(s), s.slice(0, 4)) is
 * not the secret. */
#include "summary.h"

/* Scans fn (a function or method node) of jf's file for what it returns and
 * fills s->s (effects, secret_name, returns_*) and s->ret_deps (strings in
 * out; sites carry path). */
void rl_returns_scan(rl_jsfile *jf, TSNode fn, const char *path, rl_arena *out, rl_localsym *s);

#endif
