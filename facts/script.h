#ifndef RL_SCRIPT_H
#define RL_SCRIPT_H
/* Is a file a command-line script, whose stdout is its output? The one
 * answer for the rules that treat console output as a leak (secret-logged):
 * in a script, printing the token is what the script is for (a script that
 * prints a management token for curl).
 *
 * A file is a script when
 *   - its first line is a `#!` line, or
 *   - it lives under scripts/ or bin/ (at the root or below), or
 *   - it mints a token (mint.h, or through a helper another project file
 *     exports that mints) and prints at top level -- a console call
 *     outside any function, or in a function the top level runs: an IIFE,
 *     `main()`, `main().catch(...)`, `await main()`, `void main()`, a
 *     callback handed to a call that runs (jsonwebtoken's
 *     `sign(p, k, opts, (err, token) => console.log(token))`), also
 *     under a top-level if / try (`if (require.main === module) main()`) -- and has
 *     no server: no route (routes.h), no listen() / createServer() / serve()
 *     / Deno.serve() / Bun.serve() / addEventListener('fetch'), and no export
 *     (ES export other than an empty `export {}`, module.exports, exports.x).
 *     A file that prints and starts a server, or exports a handler, is a
 *     server, not a script. */
#include <tree_sitter/api.h>

#include "analysis.h"
#include "routes.h"

/* Why the file is a script ("a #! line", "under scripts/", "it mints and
 * prints at top level with no server, route or export"), or NULL. path is
 * the file's display path (NULL = the source's); lookup (may be NULL) tells
 * what a call into another project file is (rl_ctx_callee), for helpers
 * that mint. Static strings; the first answer is remembered in jf. */
const char *rl_script_reason(rl_jsfile *jf, TSNode root, const char *path, rl_callee_fn lookup, void *data);

#endif
