#ifndef RL_KEYS_H
#define RL_KEYS_H
/* Which argument of which API holds a signing key or a provider secret: one
 * table (keys.c, one line per API), so that teaching an API is one line.
 *
 * A line names the API by its canonical callee (rl_mint_callee: imports,
 * requires, destructuring and const aliases resolved, Deno/CDN specifiers
 * normalised, a leading "node:" dropped), how it is called, and where the
 * key sits: an argument, a property of an object argument (`{ secret }`,
 * `{ secretOrKey }`), each element when that property is an array
 * (cookie-session `keys`). Callee patterns may hold '*' (any run of
 * characters): `crypto-js:Hmac*`, `agora-token:*TokenBuilder.build*`.
 *
 * Forms:
 *   call    callee(...)                       jwt.sign(p, KEY)
 *   new     new Callee(...)                   new AccessToken(k, SECRET)
 *   chain   new Callee(...)....method(KEY)    new SignJWT(c).setIssuedAt().sign(KEY)
 *           (method calls and const bindings between the `new` and the call)
 *   super   super(...) in a class whose heritage is Callee or a call with
 *           Callee as its first argument      NestJS: extends PassportStrategy(Strategy)
 * A line may also ask that another argument be a given string
 * (crypto.subtle.importKey: only 'raw' keys are bytes). */
#include <tree_sitter/api.h>

#include "analysis.h"
#include "prefilter.h"
#include "project.h"

typedef enum rl_key_form { RL_KEY_CALL, RL_KEY_NEW, RL_KEY_CHAIN, RL_KEY_SUPER } rl_key_form;

typedef struct rl_key_api {
  const char *callee; /* canonical callee pattern ('*' = any run) */
  rl_key_form form;
  const char *method; /* RL_KEY_CHAIN: the method at the chain's end; else NULL */
  int arg;            /* the argument that holds the key, or the object holding it */
  const char *option; /* the key's property in that object, or NULL: the argument itself */
  int when_arg;       /* with when: this argument must evaluate to that string */
  const char *when;
  int data_arg;     /* HMACs: the argument holding the data (-1: none; RL_KEY_DATA_UPDATE:
                       the .update() called on the result) */
  const char *name; /* for messages; '*' stands for the callee's path ("CryptoJS.*") */
  const char *does; /* "signs tokens with a key" */
  int issued;       /* a provider issues the key and its service checks what it
                       signs (LiveKit, Agora, Twilio, OpenTok, Vonage, 100ms): a
                       stand-in value there signs nothing anyone accepts */
} rl_key_api;

#define RL_KEY_DATA_UPDATE (-2)

/* The table and its length. Static. */
const rl_key_api *rl_key_table(size_t *n);

/* One key position met in the code. */
typedef struct rl_key_use {
  const rl_key_api *api;
  const char *name;  /* the API as messages name it ("jsonwebtoken.sign", "CryptoJS.HmacSHA256") */
  TSNode call;       /* the call or new */
  TSNode key;        /* the expression in the key position (an array element for arrays) */
  const char *value; /* the key as a string written in the code (rl_key_literal), else NULL */
  size_t len;
  TSNode lit; /* where that string is written in this file; null when it comes from
                        another file (an imported const) or is folded from several parts */
  int label;  /* an HMAC keyed with a literal over a secret or an env read: the
                        literal is a public label (a key derivation, a compare-by-hash), not the key */
  /* The key is an environment variable's literal fallback (`process.env.K ||
   * 'dev-key'`, directly, through a const, or an imported value the project
   * model knows as one: rl_symbol.fallback): K; value and len are the literal.
   * from.path: the file the literal is written in when it is not this one
   * (lit is then null). */
  const char *env;
  size_t env_len;
  rl_site from;
} rl_key_use;

/* 1 if expr is a string written in the code: a literal, a template with no
 * substitution, a const (of this file, or imported through the project
 * model) bound to one, `+` of such; also wrapped in the calls that turn text
 * into key bytes: new TextEncoder().encode(x) (or an encoder held in a
 * const), Buffer.from(x[, enc]), crypto.createSecretKey(x),
 * CryptoJS.enc.Utf8.parse(x), jose 1.x/2.x JWK.asKey(x). *lit is the string node in this file when
 * there is one. Environment reads, config look-ups, parameters: 0. */
int rl_key_literal(rl_jsfile *jf, TSNode expr, const char **out, size_t *len, TSNode *lit);

/* 1 if call is one of the table's HMACs (crypto.createHmac, CryptoJS.Hmac*,
 * crypto.subtle.sign('HMAC', ...): the lines with a data argument): *key is
 * the expression in its key position, *data what it MACs (its argument, or
 * the argument of the .update() called on its result; null when not seen),
 * *name the API as messages name it (an arena string). facts/mint.c asks it
 * for JWTs signed by hand. */
int rl_key_hmac(rl_jsfile *jf, TSNode call, TSNode *key, TSNode *data, const char **name);

/* The text argument of a call that turns text into bytes (new
 * TextEncoder().encode(x), Buffer.from(x[, enc]), crypto.createSecretKey(x),
 * CryptoJS.enc.Utf8.parse(x), JWK.asKey(x)); else null. */
TSNode rl_key_bytes_text(rl_jsfile *jf, TSNode call);

/* The key uses of the file inside subtree, in document order; found by one
 * walk of the file, kept for every caller. */
typedef void (*rl_key_cb)(void *data, const rl_key_use *u);
void rl_keys_each(rl_jsfile *jf, TSNode subtree, rl_key_cb cb, void *data);

/* The key uses whose key is the string node s (a const used twice has two),
 * in the order of their start; a binary search, so every string of a file
 * can ask. */
void rl_keys_at_literal(rl_jsfile *jf, TSNode s, rl_key_cb cb, void *data);

/* Prefilter: a file that imports none of the table's modules and names none
 * of its global APIs (crypto.subtle, CryptoJS) has no key use. */
int rl_keys_possible(rl_prefilter *pf);

#endif
