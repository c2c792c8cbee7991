#ifndef RL_EXPORTS_H
#define RL_EXPORTS_H
/* What one file exports, in the model's own terms: the constant values it
 * exports and what its exported functions and methods do with secrets and
 * tokens. A pure function of one parsed file (values of the file's own
 * imports come through the rl_jsfile's import hook, so chains of constants
 * fold across files); the project model keeps the result as part of the
 * file's summary and answers importers with it.
 *
 * Export names are the paths an importer's rl_js_resolve produces after
 * "<module>:", so that a lookup is one string compare:
 *   export const TOKEN_TTL = 30 * 86400            "TOKEN_TTL"
 *   export const jwt = { expiresIn: '30d' }        "jwt.expiresIn" (objects are
 *                                                  flattened a few levels deep)
 *   export default { ttl: 3600 }                   "ttl" (a default import and a
 *   module.exports = { ttl: 3600 }                 namespace are one module object)
 *   exports.TTL = 3600 / module.exports.TTL = 3600 "TTL"
 *   export function mint() {...}                   "mint"
 *   export default function mint() {...}           "" (the module object itself)
 *   export class TokenService { m() {...} }        "TokenService.m" (instance and
 *                                                  static methods alike)
 *   export default new TokenService()              "m" (the instance's methods)
 *   export const svc = { m() {...} }               "svc.m"
 *   export { a as b }                              "b" (what a is)
 *   export { x as y } from './m'                   "y" -> ./m "x" (RL_EXPORT_FROM)
 *   export * from './m'                            "*" -> ./m
 *   export * as ns from './m'                      "ns" -> ./m "*"
 *   module.exports = require('./m')                "*" -> ./m
 * Only top-level statements export; a name bound twice at the top is not
 * followed (precision first: what is uncertain stays unknown). */
#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#include "analysis.h"
#include "prefilter.h"

typedef enum rl_export_kind {
  RL_EXPORT_VALUE = 1, /* a constant (has_num / has_str say whether it folded) */
  RL_EXPORT_FUNCTION,  /* a function or method: effects */
  RL_EXPORT_FROM       /* re-exported from another module */
} rl_export_kind;

/* What an exported function does (bits of rl_export.effects). */
enum {
  RL_FX_RETURNS_SECRET = 1u << 0,     /* returns a secret-named environment variable */
  RL_FX_RETURNS_MGMT_TOKEN = 1u << 1, /* returns a management token it mints */
  RL_FX_RETURNS_TOKEN = 1u << 2,      /* returns another token it mints */
  RL_FX_MINTS_WITH_SECRET = 1u << 3   /* mints a token with a signing secret */
};

typedef struct rl_export {
  rl_export_kind kind;
  const char *name; /* the path an importer names (see top) */
  uint32_t line, col; /* 1-based: the value, function or re-export */
  /* RL_EXPORT_VALUE */
  int has_num, has_str;
  double num;
  const char *str;
  size_t str_len;
  const char *text; /* the value as written: one line, at most 60 bytes ("30 * 24 * 3600") */
  /* RL_EXPORT_FUNCTION */
  unsigned effects;
  const char *secret;   /* RETURNS_SECRET: the variable ("HMS_SECRET") */
  const char *mint;     /* RETURNS_*TOKEN / MINTS_WITH_SECRET: the mint site's rl_mint.what */
  const char *key;      /* MINTS_WITH_SECRET: the signing key as shown ("process.env.HMS_SECRET",
                           "APP_SECRET", or "a hardcoded key") */
  uint32_t at_line, at_col; /* where the secret is returned or the token minted */
  /* RL_EXPORT_FROM */
  const char *from;      /* the module specifier as written */
  const char *from_name; /* the name there; "*" for every export */
} rl_export;

typedef struct rl_exports {
  rl_export *v; /* in the file's arena */
  size_t n;
} rl_exports;

/* The exports of jf's file. Everything lives in jf's arena. Counts its steps
 * against the file (rl_jsfile_step); stops early when the budget is spent. */
void rl_exports_extract(rl_jsfile *jf, rl_exports *out);

/* The entry named exactly `name`, or NULL. */
const rl_export *rl_exports_find(const rl_exports *x, const char *name);

/* ---- following re-exports across files --------------------------------------
 * The project model opens modules: `open` returns the exports of `spec` as
 * imported by file `from` (an opaque handle of the project model), and sets
 * *file to the opened one's handle; NULL when the module does not resolve to
 * a file, or is not summarised (outside the walk's policy, over a limit). */
typedef const rl_exports *(*rl_exports_open_fn)(void *data, const void *from, const char *spec, const void **file);

#define RL_EXPORTS_MAX_DEPTH 8  /* re-export hops followed */
#define RL_EXPORTS_MAX_OPENS 64 /* modules opened per look-up, export * included */

/* The export `path` of x (the exports of file `file`), following
 * `export ... from` and `export *` at most RL_EXPORTS_MAX_DEPTH hops and
 * RL_EXPORTS_MAX_OPENS modules: cycles end there. *where is the handle of the
 * file that defines it. NULL when unknown. */
const rl_export *rl_exports_resolve(const rl_exports *x, const void *file, const char *path, rl_exports_open_fn open,
                                    void *data, const void **where);

/* ---- what an importer names -------------------------------------------------- */

/* The module and export path that expr (an identifier, member chain or a
 * call's callee) names through this file's imports: `TOKEN_TTL`,
 * `config.jwt.ttl`, `tokenService.getManagementToken`, an instance
 * `new TokenService()` (directly, through a const, a class field
 * `x = new T()`, or a TypeScript constructor parameter property
 * `private readonly svc: TokenService`) and its method. Returns 1 with *spec
 * (the specifier as written) and *path (arena strings). */
int rl_js_import_ref(rl_jsfile *jf, TSNode expr, const char **spec, const char **path);

/* The exported function that a call (or a callee expression) calls through
 * an import (rl_js_import_ref), as the project model knows it; *file its
 * display path. NULL when not a function of another file, or unknown, and
 * for bare specifiers (see rl_exports_possible). */
const rl_export *rl_js_callee_export(rl_jsfile *jf, TSNode call, const char **file);

/* Prefilter for rules that look through imports: a file whose bytes hold no
 * relative or aliased module specifier (a quote followed by '.', '/', '@/',
 * '~/' or '#') imports nothing the project model summarises through these
 * rules (a bare specifier that only a tsconfig baseUrl maps to a file is not
 * looked through). The needles: those quote pairs. */
extern const char *const rl_exports_needles[];
int rl_exports_possible(rl_prefilter *pf);

#endif
