#include "idp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tokend.h"

typedef struct {
  const char *name;
  const char *must_start, *must_end, *must_contain; /* the issuer's shape; NULL: anything */
  const char *jwks;                                 /* appended to the issuer, or (fixed_jwks) the whole URL */
  int fixed_jwks;
  int needs_audience;   /* the provider signs tokens for several audiences: one must be chosen */
  const char *audience; /* fixed audience when none is configured; "#issuer-tail": the issuer's last segment */
} preset;

static const preset presets[] = {
    {"auth0", "https://", "/", NULL, ".well-known/jwks.json", 0, 1, NULL},
    {"clerk", "https://", NULL, NULL, "/.well-known/jwks.json", 0, 0, NULL},
    {"cognito", "https://cognito-idp.", NULL, ".amazonaws.com/", "/.well-known/jwks.json", 0, 1, NULL},
    {"firebase", "https://securetoken.google.com/", NULL, NULL,
     "https://www.googleapis.com/service_accounts/v1/jwk/securetoken@system.gserviceaccount.com", 1, 0, "#issuer-tail"},
    {"keycloak", NULL, NULL, "/realms/", "/protocol/openid-connect/certs", 0, 1, NULL},
    {"supabase", NULL, "/auth/v1", NULL, "/.well-known/jwks.json", 0, 0, "authenticated"},
};

static int ends_with(const char *s, const char *tail) {
  size_t n = strlen(s), m = strlen(tail);
  return n >= m && strcmp(s + n - m, tail) == 0;
}

int tk_idp_preset(char **jwks_url, char **audience_out, const char **why, const char *provider, const char *issuer,
                  const char *audience) {
  const preset *p = NULL;
  size_t n;
  *jwks_url = NULL;
  *audience_out = NULL;
  for (size_t i = 0; i < sizeof presets / sizeof presets[0]; i++) {
    if (strcmp(provider, presets[i].name) == 0) p = &presets[i];
  }
  if (p == NULL) {
    *why = "must be one of auth0, clerk, cognito, firebase, keycloak, supabase";
    return TK_EINVAL;
  }
  if ((p->must_start != NULL && strncmp(issuer, p->must_start, strlen(p->must_start)) != 0) ||
      (p->must_end != NULL && !ends_with(issuer, p->must_end)) ||
      (p->must_contain != NULL && strstr(issuer, p->must_contain) == NULL) || ends_with(issuer, "//")) {
    *why = "AUTH_JWT_ISSUER does not have this provider's shape (see backend/README.md)";
    return TK_EINVAL;
  }
  if (p->needs_audience && audience == NULL) {
    *why = "this provider needs AUTH_JWT_AUDIENCE (its tokens serve several audiences)";
    return TK_EINVAL;
  }
  n = strlen(issuer) + strlen(p->jwks) + 1;
  *jwks_url = malloc(n);
  if (*jwks_url == NULL) return TK_ENOMEM;
  if (p->fixed_jwks)
    snprintf(*jwks_url, n, "%s", p->jwks);
  else
    snprintf(*jwks_url, n, "%s%s", issuer, p->jwks);
  if (audience == NULL && p->audience != NULL) {
    const char *aud = p->audience;
    if (strcmp(aud, "#issuer-tail") == 0) aud = strrchr(issuer, '/') + 1; /* the Firebase project id */
    *audience_out = strdup(aud);
    if (*audience_out == NULL || **audience_out == '\0') {
      free(*jwks_url);
      free(*audience_out);
      *jwks_url = *audience_out = NULL;
      *why = "AUTH_JWT_ISSUER does not have this provider's shape (see backend/README.md)";
      return TK_EINVAL;
    }
  }
  return TK_OK;
}
