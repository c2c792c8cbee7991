#ifndef RL_REQURL_H
#define RL_REQURL_H
/* Requests that client code makes: the URL a call goes to and the objects it
 * sends. Shared by the rules that judge a request by where it goes
 * (management-token-in-client, client-chosen-role).
 *
 *   fetch(`${this.baseUrl}/rooms`, { method: 'POST', body })
 *       url "https://api.100ms.live/v2/rooms" when the constructor sets
 *       this.baseUrl = 'https://api.100ms.live/v2'; method "POST"
 *   const api = axios.create({ baseURL: B }); api.post('/rooms', data)
 *       url B + "/rooms", method "POST", data
 *   axios({ url, method, data }), axios.request(config)
 *   https.request({ hostname, path, method }, cb).end(body)
 *       url "https://" + hostname + path, method (GET when none), data:
 *       what .write()/.end() on the request sends; http, node:https, .get
 * Unknown parts of a URL (a parameter, an import from another file) become
 * RL_URL_SUB, so `${TOKEN_SERVER}/api/token` reads "\x1a/api/token". */
#include <stddef.h>
#include <tree_sitter/api.h>

#include "analysis.h"

#define RL_URL_SUB '\x1a'

/* The static text of a URL expression: literals, templates, `+`, identifiers
 * bound by `const`, `this.x` set by a class field or in the constructor,
 * `obj.x` of a const object literal, looked through up to a few hops, and the
 * literal side of a fallback (`process.env.X ?? 'https://api.daily.co/v1'`,
 * `||`; the right side when the left is no literal). Always
 * returns 1 with a NUL-terminated arena string (all SUB if nothing is known). */
int rl_url_text(rl_jsfile *jf, TSNode expr, const char **out, size_t *len);

/* Where a name's value comes from: the initialiser of a const identifier, the
 * class field or constructor assignment of `this.x`, the property of a const
 * object literal for `obj.x`. Null node if unknown. */
TSNode rl_value_source(rl_jsfile *jf, TSNode expr);

typedef struct rl_request {
  TSNode call;     /* the call_expression */
  TSNode url_expr; /* the expression naming the URL (may be null) */
  const char *url; /* static text (SUB for unknown parts), base URL applied */
  size_t url_len;
  const char *method; /* "POST"..., or NULL when the call does not say */
  TSNode init;        /* the options/config object (fetch init, axios config), or null */
  TSNode data;        /* axios-style data argument (post/put/patch), what a Node request
                         .write()s or .end()s, or null */
  int axios_instance; /* the callee is an instance made by axios.create */
} rl_request;

/* Fills *r for a call whose first argument is a URL or an axios-style config
 * object with `url`. Returns 0 for calls that cannot be requests (console.*,
 * string and array methods, calls without arguments). */
int rl_request_parse(rl_jsfile *jf, TSNode call, rl_request *r);

/* What a request sends: the axios-style data argument, else the options'
 * `body`, with JSON.stringify(x) read as x (through a const). Null if neither. */
TSNode rl_request_body(rl_jsfile *jf, const rl_request *r);

/* The value of header `name` (any case: Authorization, authorization) in the
 * request's options: `headers: { ... }` of a fetch init or an axios config,
 * the headers object through a const. Null if the call does not write it. */
TSNode rl_request_header(rl_jsfile *jf, const rl_request *r, const char *name);

/* The URL for a message: no query or fragment, SUB as "${…}", at most 100
 * bytes. */
const char *rl_url_shown(rl_arena *a, const char *url, size_t len);

#endif
