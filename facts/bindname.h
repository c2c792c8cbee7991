#ifndef RL_BINDNAME_H
#define RL_BINDNAME_H
/* Where a literal value ends up: the name it is bound to. Shared by the rules
 * that judge a literal by the name of what it initialises (hardcoded-secret,
 * insecure-http-url).
 *
 *   const APP_SECRET = '...'            -> "APP_SECRET"
 *   config.appSecret = '...'            -> "appSecret" (display "config.appSecret")
 *   { appSecret: '...' }                -> "appSecret"
 *   class C { appSecret = '...' }       -> "appSecret"
 *   function f(appSecret = '...')       -> "appSecret"
 *   const { appSecret = '...' } = opts  -> "appSecret"
 *   <Room appSecret="..." />            -> "appSecret"
 *   process.env.HMS_SECRET || '...'     -> the outer binding, else "HMS_SECRET"
 * Parentheses, `as`/`satisfies`/`!`, both branches of `?:`, the right side
 * of `||`/`??` and the left side of `+` are looked through. */
#include <stddef.h>
#include <tree_sitter/api.h>

#include "analysis.h"

typedef struct rl_binding {
  const char *name; /* the last segment: what name tests look at */
  size_t name_len;
  const char *display; /* what a message shows (e.g. "config.appSecret") */
  size_t display_len;
  TSNode holder;   /* the node whose child the (unwrapped) value is */
  TSNode value;    /* the outermost expression walked up to */
  const char *env; /* `process.env.X || <value>`: X, else NULL */
  size_t env_len;
} rl_binding;

/* 1 if the value node is bound to a name; fills *b. Also sets b->holder and
 * b->value when it returns 0, so callers can look at calls and `new`. */
int rl_bound_name(rl_jsfile *jf, TSNode value, rl_binding *b);

/* The name a function goes by: its own (function f, method f), else the name
 * it is bound to (const f = () => ..., { f: function () {} }, this.f = ...).
 * Returns 1 and a pointer into the source (or the arena), else 0. */
int rl_js_function_name(rl_jsfile *jf, TSNode fn, const char **name, size_t *len);

#endif
