/* Identity-provider presets: AUTH_PROVIDER names one, and the JWKS URL (and, where the provider fixes
   it, the audience) follow from AUTH_JWT_ISSUER the way that provider publishes them. */
#ifndef TK_IDP_H
#define TK_IDP_H

/* For provider (auth0, clerk, supabase, firebase, cognito, keycloak) and the configured issuer: sets
   *jwks_url (caller frees), and *audience (caller frees) when the provider fixes it and none is set
   (pass the configured one in `audience`, may be NULL). Returns 0, or TK_EINVAL with *why set to a
   static text when the provider is unknown, the issuer does not have that provider's shape, or an
   audience is needed and missing. */
int tk_idp_preset(char **jwks_url, char **audience_out, const char **why, const char *provider, const char *issuer,
                  const char *audience);

#endif
