/* Settings, from the environment only. A missing or invalid setting names the variable, never its value. */
#ifndef TK_CONFIG_H
#define TK_CONFIG_H
#include <stddef.h>

#include "provider.h"
#include "proxy.h"
#include "userjwt.h"

enum { TK_LOG_ERROR, TK_LOG_WARN, TK_LOG_INFO, TK_LOG_DEBUG };

typedef struct tk_config {
  /* the provider (PROVIDER) and its credentials: access_key and app_secret hold the provider's key id and
     signing secret (100ms access key/app secret, LiveKit API key/secret, Twilio API key SID/secret, Agora
     app id/certificate) */
  tk_provider provider;
  char *access_key;
  unsigned char *app_secret;
  size_t app_secret_len;
  char *account_sid; /* Twilio only */
  char *template_id;
  char *api_base; /* no trailing slash */
  /* user tokens */
  tk_alg alg;
  unsigned char *jwt_secret;
  size_t jwt_secret_len;
  char *jwt_pem;
  size_t jwt_pem_len;
  char *issuer, *audience; /* NULL when not configured */
  char *jwks_url;          /* AUTH_JWKS_URL: keys from the identity provider instead of alg/secret/PEM */
  int jwks_refresh, jwks_max_age;
  int leeway;
  char **allowed_roles, **privileged_roles;
  size_t n_allowed, n_privileged;
  unsigned *role_grants; /* TK_GRANT_* per allowed role, same index as allowed_roles (ROLE_GRANTS) */
  int ttl, max_ttl;
  /* listener */
  char *bind_addr;
  int port, threads, insecure_http, loopback;
  char *tls_cert, *tls_key; /* PEM contents, both or neither */
  /* limits */
  size_t max_body;
  int conn_timeout, max_conns, max_conn_per_ip;
  int rate_per_min, rate_burst; /* rate_per_min 0 disables the limiter */
  /* shared state (REDIS_URL): limits and the management token across instances */
  char *redis_url, *redis_password;
  size_t redis_password_len;
  int redis_timeout_ms, redis_deny, lease_max; /* redis_deny: REDIS_FAILURE_POLICY=deny */
  int grace;
  int log_level;
  /* browsers and proxies */
  char **cors_origins; /* exact origins (CORS_ALLOWED_ORIGINS); none: no CORS headers at all */
  size_t n_cors;
  int cors_credentials;
  tk_cidr *trusted; /* TRUSTED_PROXIES */
  size_t n_trusted;
} tk_config;

/* Looks a variable up; returns a borrowed string or NULL. */
typedef const char *(*tk_getenv_fn)(void *ctx, const char *name);

/* Reads every setting through get (pass tk_config_getenv for the process environment). On failure
   returns TK_EINVAL and writes one line "VARIABLE: what is wrong" per bad setting to err (all of them,
   as far as err holds, joined by '\n'; names, never values). Release with tk_config_clear. */
int tk_config_load(tk_config *out, tk_getenv_fn get, void *ctx, char *err, size_t err_len);
void tk_config_clear(tk_config *c);

const char *tk_config_getenv(void *ctx, const char *name);

/* 1 when role is listed in the NULL-free array roles[0..n). */
int tk_config_has(char *const *roles, size_t n, const char *role);

/* The TK_GRANT_* set of an allowed role (0 when the role is not allowed). */
unsigned tk_config_grants(const tk_config *c, const char *role);

/* Role names: 1..64 of [A-Za-z0-9_-]. */
int tk_role_valid(const char *s);

#endif
