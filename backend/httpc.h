/* The outbound HTTP calls tokend makes (the 100ms REST API, a JWKS endpoint): one libcurl exchange each. */
#ifndef TK_HTTPC_H
#define TK_HTTPC_H
#include <stdatomic.h>
#include <stddef.h>

#define TK_HTTPC_RESPONSE_MAX (64 * 1024) /* longer answers are refused */

typedef struct tk_httpc_req {
  const char *method; /* "GET" or "POST" */
  const char *url;
  const char *bearer;      /* Authorization: Bearer <bearer>, or NULL */
  const char *json;        /* a POST body sent as application/json, or NULL (POST sends an empty body) */
  long timeout_ms;         /* the whole exchange; connecting gets at most half of it */
  const atomic_int *abort; /* polled about once a second; non-zero makes the call give up. May be NULL. */
} tk_httpc_req;

/* Performs the exchange. On success *out is the NUL-terminated response body (possibly empty; caller
   frees with free()), *out_len its length and *status the HTTP status. Returns 0, or TK_EINVAL when no
   HTTP answer came (refused, timed out, aborted, too long) or TK_ENOMEM. */
int tk_httpc_call(char **out, size_t *out_len, long *status, const tk_httpc_req *rq);

#endif
