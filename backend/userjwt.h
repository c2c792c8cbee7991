/* Verifying the user's JWT: one configured algorithm, the key that goes with it, and the claims we rely on. */
#ifndef TK_USERJWT_H
#define TK_USERJWT_H
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "jwks.h"

#define TK_USER_ID_MAX 256 /* longest accepted `sub`, in bytes */
#define TK_TOKEN_MAX 8192  /* longest accepted user token, in bytes */

typedef enum { TK_ALG_HS256, TK_ALG_RS256, TK_ALG_ES256 } tk_alg;

typedef struct tk_verifier tk_verifier;

/* What the verified token says about the user. Claims are borrowed from `claims`, freed by tk_user_clear. */
typedef struct tk_user {
  json_t *claims;
  const char *sub;
  const json_t *hms_roles; /* array of strings, or NULL when the claim is absent */
  const json_t *hms_rooms; /* likewise */
  int can_create_rooms;
} tk_user;

/* Parses an algorithm name; returns 0 and sets *out, or TK_EINVAL. */
int tk_alg_parse(tk_alg *out, const char *name);

/* A verifier for alg. HS256 takes `secret`; RS256/ES256 take a PEM public key in `pem` (RSA >= 2048 bits,
   or EC P-256). iss/aud may be NULL (not checked). Strings are copied. Caller frees with tk_verifier_free.
   Returns 0, TK_EINVAL (wrong key for the algorithm) or TK_ENOMEM. */
int tk_verifier_new(tk_verifier **out, tk_alg alg, const unsigned char *secret, size_t secret_len, const char *pem,
                    size_t pem_len, const char *iss, const char *aud, int64_t leeway);
/* A verifier for tokens signed by the keys in jwks (borrowed; must outlive the verifier): the header
   names the key ("kid") and an algorithm that fits it (RS256, ES256 or EdDSA); nothing else is taken. */
int tk_verifier_new_jwks(tk_verifier **out, tk_jwks *jwks, const char *iss, const char *aud, int64_t leeway);
void tk_verifier_free(tk_verifier *v);

/* Verifies token[0..n) at time `now`. On success fills *out (release with tk_user_clear) and returns 0;
   otherwise returns TK_EINVAL with *reason set to a short static text safe to show the client. */
int tk_verifier_check(const tk_verifier *v, tk_user *out, const char **reason, const char *token, size_t n,
                      int64_t now);
void tk_user_clear(tk_user *u);

/* 1 when `role` is among the user's hms_roles claim. */
int tk_user_has_role(const tk_user *u, const char *role);
/* 1 unless the user has an hms_rooms claim that does not list `room`. */
int tk_user_may_join(const tk_user *u, const char *room);

#endif
