#ifndef RL_ANALYSIS_H
#define RL_ANALYSIS_H
/* The small analysis library that rules share. Everything works on one file
 * (no cross-file resolution), never recurses over the tree (deep nesting is
 * input we must survive), and allocates only in the file's arena.
 *
 * Canonical names: rl_js_resolve() turns an expression that names a value into
 *   "<module>:<path>"  when it comes from an import or require, e.g.
 *       import jwt from 'jsonwebtoken'; jwt.sign        -> "jsonwebtoken:sign"
 *       import * as jwt from 'jsonwebtoken'; jwt.sign   -> "jsonwebtoken:sign"
 *       const { sign } = require('jsonwebtoken'); sign  -> "jsonwebtoken:sign"
 *       import { SignJWT as S } from 'jose'; S          -> "jose:SignJWT"
 *       const s = jwt.sign; s                           -> "jsonwebtoken:sign"
 *       import axios from 'axios'; axios                -> "axios:"
 *   or the dotted source text otherwise ("res.json", "fetch", "process.env.X").
 * A default import and a namespace import are the same module object (CommonJS
 * interop), so both resolve to "<module>:" plus the member path. */
#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#include "arena.h"
#include "duration.h"
#include "source.h"

typedef struct rl_jsfile rl_jsfile;

/* Per-file analysis state over src/root; symbol tables are built lazily on
 * first use. Lives in arena (no free). */
rl_jsfile *rl_jsfile_new(rl_source *src, TSNode root, rl_arena *arena);
/* The file's analysis starts on this thread: until rl_jsfile_end (called
 * before its tree is freed), rl_js_parent answers from its index and
 * rl_js_parent and rl_js_walk count their steps against it. Without it,
 * rl_js_parent is ts_node_parent and nothing is counted. */
void rl_jsfile_begin(rl_jsfile *jf);
void rl_jsfile_end(rl_jsfile *jf);
rl_source *rl_jsfile_source(const rl_jsfile *jf);
rl_arena *rl_jsfile_arena(const rl_jsfile *jf);
TSNode rl_jsfile_root(const rl_jsfile *jf);

/* Memo slots for whole-file results that several rules ask for (the route
 * list of rules/routes.c, the mint sites of rules/mint.c), so each is
 * computed once per file. *slot starts NULL; whatever it points to must live
 * in the file's arena. */
typedef enum {
  RL_JS_MEMO_ROUTES,
  RL_JS_MEMO_MINTS,
  RL_JS_MEMO_SCRIPT,
  RL_JS_MEMO_KEYS,
  RL_JS_MEMO_HAND_JWT,   /* facts/mint.c: may the file sign a JWT by hand (its bytes) */
  RL_JS_MEMO_IDENTS,     /* rl_js_idents_named's index */
  RL_JS_MEMO_JWT_VERIFY, /* facts/jwtverify.c: the file's verify calls */
  RL_JS_MEMO_COUNT
} rl_js_memo;
void **rl_jsfile_memo(rl_jsfile *jf, rl_js_memo which);

/* ---- work count and budget ---------------------------------------------------
 * Every walk step, parent look-up, evaluator or resolver step and query node or
 * match of a file counts one step against the file, so that the work on a file
 * is measured in a unit that does not depend on the machine. With a budget
 * set, the analysis stops once the steps pass it: walks end early and
 * rl_js_parent returns null, so every loop ends; findings made so far stay. */
/* Adds n steps; returns 1 once the budget is spent (and from then on). */
int rl_jsfile_step(rl_jsfile *jf, uint64_t n);
void rl_jsfile_set_budget(rl_jsfile *jf, uint64_t budget); /* 0: no limit */
uint64_t rl_jsfile_steps(const rl_jsfile *jf);
int rl_jsfile_exhausted(const rl_jsfile *jf);
/* Visible nodes of the tree, and the deepest nesting (root = 0). */
size_t rl_jsfile_node_count(rl_jsfile *jf);
uint32_t rl_jsfile_max_depth(rl_jsfile *jf);
/* The largest subtrees no higher than max_height (leaf = 0), in document
 * order: where a tree-sitter query can run on a tree too deep to query as a
 * whole. *covered is how many nodes they hold. Array in the arena. */
size_t rl_jsfile_shallow_roots(rl_jsfile *jf, uint32_t max_height, TSNode **out, size_t *covered);

/* ---- nodes ---------------------------------------------------------------- */

/* Text of a node (pointer into the source). */
const char *rl_js_text(const rl_jsfile *jf, TSNode n, size_t *len);
/* 1 if the node's text equals s exactly. */
int rl_js_text_is(const rl_jsfile *jf, TSNode n, const char *s);
/* 1 if n's source text is exactly s[0..len) (n may be null: 0). */
int rl_js_text_eq(const rl_jsfile *jf, TSNode n, const char *s, size_t len);
/* A binding written at n: a variable_declarator (its name and value) or an
 * assignment_expression (left and right; with compound, also `x += v`).
 * 1 with *target and *value (either may be null), else 0. */
int rl_js_binding(TSNode n, int compound, TSNode *target, TSNode *value);
/* The module a value names: require('./x') (its specifier), or an
 * identifier or member that rl_js_resolve traces to an import or require
 * ("./routes/video" of "./routes/video:default"). 1 with *spec, *len (into
 * the source or the file's arena) and *name (what is taken from it, "" for
 * the module itself; may be NULL), else 0. */
int rl_js_module_ref(rl_jsfile *jf, TSNode e, const char **spec, size_t *len, const char **name);
/* The parent of n, as ts_node_parent but in O(1) from the file's index when
 * n belongs to the file analysed on this thread (ts_node_parent costs the
 * node's depth in tree-sitter 0.20). Null at the root or once the budget is
 * spent. */
TSNode rl_js_parent(TSNode n);
/* n's child in the grammar field NAME ("body", "arguments"...); a null node
 * when n is null or has no such child. Every file's field() asks this. */
TSNode rl_js_field(TSNode n, const char *name);
/* Function fn's parameters as written: how many, and the i-th (an
 * identifier, a pattern, TypeScript's required_parameter ...). `x => ...`
 * has one, in the grammar's field "parameter" rather than "parameters".
 * Null-safe: 0 and a null node. */
uint32_t rl_js_param_count(TSNode fn);
TSNode rl_js_param(TSNode fn, uint32_t i);
/* The keys function fn may read of the object its i-th argument holds, as
 * "room,userId," (in arena): an object pattern's keys (`function mint({
 * room, userId })`), the `p.x` reads of a parameter p used only so; ""
 * when there is no such parameter; NULL when it may read any (p passed on,
 * spread, indexed or destructured later, a rest parameter or pattern).
 * rl_js_keys_have(keys, key): may key be among them (NULL: yes). */
const char *rl_js_param_keys(rl_jsfile *jf, TSNode fn, uint32_t i, rl_arena *arena);
int rl_js_keys_have(const char *keys, const char *key, size_t len);
/* 1 if the statement holding n can never run: an earlier statement of the
 * same block returns, throws, breaks or continues (`return x;
 * console.log(x);`). Only that plain shape: branches are not followed. */
int rl_js_unreachable(TSNode n);
/* Strips parentheses, `as T`, `satisfies T`, `<T>x`, `x!` and `await`. */
TSNode rl_js_unwrap(TSNode n);
/* Nearest enclosing function (function_declaration, function_expression,
 * arrow_function, method_definition, generator_function...), or null. */
TSNode rl_js_enclosing_function(TSNode n);
/* 1 if statement s always leaves the function: return, throw, a block with
 * one of those at its top level, an if whose both branches leave, or a call
 * that never returns (next/navigation redirect()/notFound(), SvelteKit
 * error()/redirect(), Koa ctx.throw(401)). */
/* Where a member/call chain starts: res in `res.status(405).json(x)`. */
TSNode rl_js_chain_base(TSNode n);
int rl_js_leaves(rl_jsfile *jf, TSNode s);
/* 1 if expression e is one of rl_js_leaves' calls that never return. */
int rl_js_never_returns(rl_jsfile *jf, TSNode e);
/* 1 if n is a function node of any of those kinds (null: 0). */
int rl_js_is_function(TSNode n);
/* Calls cb for every named node of subtree in document order, without
 * recursion; cb returns 0 to go on, 1 to skip the node's children, -1 to stop. */
typedef int (*rl_js_visit_cb)(void *data, TSNode n);
void rl_js_walk(TSNode subtree, rl_js_visit_cb cb, void *data);
/* Calls cb for every `identifier` node of subtree whose text is name (len
 * bytes), in document order (cb returns -1 to stop; other values go on). An
 * index of the file's identifiers by text, built once per file: the uses of
 * many names cost one walk, not one walk each. */
void rl_js_idents_named(rl_jsfile *jf, TSNode subtree, const char *name, size_t len, rl_js_visit_cb cb, void *data);

/* ---- values ----------------------------------------------------------------- */

/* A string literal's value with escapes decoded (\n \t \xNN \uNNNN \u{N}
 * line continuations...), or a template string without substitutions.
 * Returns 1 and sets *out and *len (NUL-terminated, in the arena), else 0. */
int rl_js_string_value(rl_jsfile *jf, TSNode n, const char **out, size_t *len);
/* A template string's static text: substitutions become "\x1a" (SUB) so
 * callers can see where dynamic parts were; *prefix_len is the length of the
 * static text before the first substitution. Works for plain strings too. */
int rl_js_template_static(rl_jsfile *jf, TSNode n, const char **out, size_t *len, size_t *prefix_len);
/* The string an expression certainly evaluates to: literals, substitution-free
 * templates, `+` of such, identifiers bound by `const` in this file (chains up
 * to 8). 1 if known. */
int rl_js_eval_string(rl_jsfile *jf, TSNode expr, const char **out, size_t *len);
/* Constant folding of numbers: literals (1_000, 0x10, 1e3), unary -/+,
 * + - * / % ** and parentheses, `const` identifiers in this file,
 * Math.floor/round/ceil of a known value. 1 if known. */
int rl_js_eval_number(rl_jsfile *jf, TSNode expr, double *out);
/* The initialiser of the declaration identifier n sees (the innermost scope
 * around n that declares its name: parameters, var in its function,
 * let/const in its block, catch and for heads), when that scope declares the
 * name once, with `const`, or with `var`/`let` that nothing assigns. Null
 * node otherwise (a parameter, a destructuring, a name declared twice in one
 * scope or assigned, a global). */
TSNode rl_js_const_init(rl_jsfile *jf, TSNode ident);
/* The value of the const/let/var declaration identifier n sees, even when
 * the name is assigned later, and its scope node in *block (may be NULL):
 * the program, a function or a block. Null node if none, or no value. */
TSNode rl_js_nearest_init(rl_jsfile *jf, TSNode ident, TSNode *block);
/* Kept for its callers: bindings are scoped, so this is rl_js_const_init. */
TSNode rl_js_local_init(rl_jsfile *jf, TSNode ident);
/* `this.x` inside a class body: the value the class gives x, from a field
 * initialiser (`x = v`), else the first `this.x = v` of the constructor, else
 * of another method (nested classes have their own `this`). Null node if
 * member is no `this.x` or the class never sets x. */
TSNode rl_js_this_member(rl_jsfile *jf, TSNode member);
/* rl_js_this_member, and outside a class the `this.x = v` that runs before
 * the use in the function whose `this` it is (arrow functions share their
 * enclosing one's; the module's top level too). It walks that function, so
 * it is for rare questions (a key position), not for every `this.x`. */
TSNode rl_js_this_value(rl_jsfile *jf, TSNode member);

/* rl_duration_parse ("7d", "48h", "30 days"): duration.h */

/* ---- objects ---------------------------------------------------------------- */

/* In an `object` node, the value of property `key`: pair with identifier,
 * string or number key, shorthand property (`{ key }` -> the identifier), or
 * method. Null node if absent. Spreads are not followed. */
TSNode rl_js_object_get(rl_jsfile *jf, TSNode object, const char *key);
/* The key of a `pair` (or shorthand property) as text without quotes. */
int rl_js_pair_key(rl_jsfile *jf, TSNode pair, const char **out, size_t *len);
/* For a pair in an object that is itself the value of a pair, that outer
 * pair's key ({ endpoints: { token: 'x' } }: "endpoints" for the inner pair). */
int rl_js_outer_key(rl_jsfile *jf, TSNode pair, const char **out, size_t *len);
/* If expr is an object literal, or an identifier bound with const/let (or a
 * var never assigned again) to one, never changed after it,
 * in this file, that object node; else null. */
TSNode rl_js_object_of(rl_jsfile *jf, TSNode expr);

/* ---- names, imports, calls --------------------------------------------------- */

/* Canonical name of an identifier or member chain (see top), or NULL for
 * computed expressions. */
const char *rl_js_resolve(rl_jsfile *jf, TSNode expr);
/* Canonical name of a call_expression's or new_expression's callee. */
const char *rl_js_callee(rl_jsfile *jf, TSNode call);
/* 1 if the file imports or requires `module` (exact, or module + "/...").
 * `import type ...` statements do not count: the compiler erases them. */
int rl_js_imports(rl_jsfile *jf, const char *module);
/* The i-th argument (0-based, named nodes only) of a call/new; null if absent. */
TSNode rl_js_call_arg(TSNode call, uint32_t i);
/* What a method of `methods` (NULL-terminated) is handed on call's result:
 * the first argument of `call(...).m(x)`, or of the first `name.m(x)` on the
 * name a declaration binds the result to (`const h = createHmac(a, k);
 * h.update(x)`, `const r = https.request(o); r.end(body)`), in the function
 * (or module) that makes the call. A function argument (a callback) is no
 * such value. Null if none. */
TSNode rl_js_result_method_arg(rl_jsfile *jf, TSNode call, const char *const *methods);

/* ---- what other files export (the project model answers) ---------------------
 * The engine hands each scanned file a look-up of the modules it imports:
 * fn(data, spec, path) returns the symbol `path` (project.h: "TOKEN_TTL",
 * "jwt.expiresIn" of a default export, "Class.method") of module `spec` as
 * this file imports it, joined across files; NULL when unknown. Without it
 * every import is unknown, as in a one-file scan. */
struct rl_symbol;
typedef const struct rl_symbol *(*rl_js_import_fn)(void *data, const char *spec, const char *path);
void rl_jsfile_set_imports(rl_jsfile *jf, rl_js_import_fn fn, void *data);
/* The constant that expr (an identifier or member chain) names through an
 * import, as the look-up above knows it (RL_SYM_CONST, its def site says
 * where it is written); NULL without a look-up, or when unknown.
 * rl_js_eval_number and rl_js_eval_string fold through it. */
const struct rl_symbol *rl_js_imported(rl_jsfile *jf, TSNode expr);

/* Any symbol expr names through an import (a function, an instance, an
 * object's field...), as the look-up knows it; NULL as above. */
const struct rl_symbol *rl_js_imported_symbol(rl_jsfile *jf, TSNode expr);

/* `process.env.X || '<literal>'` (also `??`, several variables before the
 * literal: `process.env.A || process.env.B || 'x'`): 1 with the first
 * variable's name and the literal's node (a string, or a template without
 * substitution; not ''). The literal is the value whenever X is unset. */
int rl_js_env_fallback(rl_jsfile *jf, TSNode expr, const char **env, size_t *env_len, TSNode *lit);

/* Reads of environment variables: process.env.X, process.env['X'],
 * import.meta.env.X, Deno.env.get('X'), Bun.env.X. Returns 1 with the name. */
int rl_js_env_read(rl_jsfile *jf, TSNode expr, const char **name, size_t *len);
/* Its prefilter, for rules that need an env read: rl_pf_env_read (prefilter.h). */

/* ---- names -------------------------------------------------------------------- */

/* The one name splitter. Splits an identifier into lower-cased words and
 * calls cb for each (cb returns nonzero to stop; that value is returned):
 * camelCase, PascalCase, snake_case, SCREAMING_CASE, kebab-case, dots;
 * an upper-case run gives its last letter to the next word when a lower-case
 * letter follows (JWTSecret -> jwt secret, APIBase -> api base).
 * Digits: a digit run belongs to the word it follows, so s3, v2, oauth2,
 * auth0, base64, b64, sha256 are words (s3Secret -> s3 secret, HMS_SECRET_V2
 * -> hms secret v2); after a separator it starts a word (JWT_SECRET_2 -> jwt
 * secret 2). Words are cut at 63 bytes. */
typedef int (*rl_word_cb)(void *data, const char *word, size_t len);
int rl_name_words(const char *name, size_t len, rl_word_cb cb, void *data);
/* The one word test: word (as rl_name_words gives it) is `want`, or a
 * numbered copy of it: want followed by one to four digits (secret2,
 * apiKey1 -> key, token1, password123), unless want itself ends in a digit. */
int rl_word_is(const char *word, size_t len, const char *want);
/* 1 if some word of name is (rl_word_is) one of the NULL-terminated list. */
int rl_name_has_word(const char *name, size_t len, const char *const *words);

/* ---- secrets ------------------------------------------------------------------ */

/* The one name test every rule uses for "secret-named": appSecret, app_secret,
 * HMS_SECRET, apiSecret, API_SECRET, appCertificate, authToken,
 * managementToken, PRIVATE_KEY, CLIENT_SECRET, password... but not
 * ACCESS_KEY, TEMPLATE_ID, APP_ID, ROOM_ID, SUBDOMAIN, or names that only
 * mention a secret (secretName, hasSecret, SECRET_MANAGER_URL). Matches on
 * the words of rl_name_words with rl_word_is, so camelCase, snake_case and
 * SCREAMING_CASE all work, and numbered or versioned copies count
 * (secret2, TOKEN1, JWT_SECRET_2, JWT_ACCESS_SECRET_V2, s3SecretKey). */
int rl_name_is_secret(const char *name, size_t len);
/* Names of values their services issue for browsers and document as public:
 * Mapbox tokens, publishable keys, Supabase anon keys, PostHog project keys
 * (not personal keys), Datadog browser client tokens (a client token named
 * with datadog, dd or rum), Sentry DSNs, search-only keys. */
int rl_name_is_public_by_design(const char *name, size_t len);
/* Placeholders: empty, YOUR_APP_SECRET, <your app secret>, changeme, xxx,
 * ****, "secret", "TODO", ${VAR}, "process.env..."... */
int rl_value_is_placeholder(const char *v, size_t len);
/* The part of that test where the value itself says it stands in for one
 * (empty, filler, <...>, ${VAR}, "your-...", changeme, "..._here"), not the
 * guesses from its words or a keyboard run: 'secret' and 'keyboard cat' are
 * placeholders by their words, yet code that signs with them runs with them. */
int rl_value_says_placeholder(const char *v, size_t len);
/* A value that looks like a real credential: long enough (>= 12), not a
 * placeholder, enough character variety (letters and digits, or base64). */
int rl_value_looks_secret(const char *v, size_t len);
/* The 100ms app secret shape: 172 characters of URL-safe or standard base64
 * ending in '=' (a 128-byte key). */
int rl_is_hms_app_secret(const char *v, size_t len);

/* Decodes a JWT's header and payload (base64url JSON objects). Returns 1 if
 * v has the shape header.payload.signature and both decode; fields not
 * present stay NULL / -1. */
typedef struct rl_jwt {
  const char *alg;        /* header alg */
  const char *access_key; /* 100ms claims */
  const char *type;       /* "app" or "management" */
  long version;           /* -1 if absent */
  double exp, iat;        /* -1 if absent */
  const char *payload_json;
  int livekit; /* a LiveKit access token: a "video" grant object */
  int twilio;  /* a Twilio access token: cty twilio-fpa, or a "grants" object */
} rl_jwt;
int rl_jwt_decode(const char *v, size_t len, rl_arena *arena, rl_jwt *out);
/* base64url or base64 to bytes (padding optional); returns 1 on success. */
int rl_base64_decode(const char *in, size_t n, rl_arena *arena, unsigned char **out, size_t *outlen);

#endif
