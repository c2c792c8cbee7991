#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/crypto.h>

#include "idp.h"
#include "redis_store.h"
#include "tokend.h"

#define FILE_MAX (1 << 20)

/* A bad setting was recorded where it was found; loading goes on, so that every bad setting is
   reported at once. Only running out of memory stops it. */
#define TRY(e)                                                                                                         \
  do {                                                                                                                 \
    if ((e) == TK_ENOMEM) return TK_ENOMEM;                                                                            \
  } while (0)

typedef struct {
  tk_getenv_fn get;
  void *ctx;
  char *err;
  size_t err_len;
  int n_bad;
} loader;

const char *tk_config_getenv(void *ctx, const char *name) {
  (void)ctx;
  return getenv(name);
}

static int bad(loader *l, const char *var, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Appends "VAR: what is wrong" as one more line of err (lines joined by '\n'). */
static int bad(loader *l, const char *var, const char *fmt, ...) {
  va_list ap;
  size_t used = l->err_len > 0 ? strlen(l->err) : 0;
  int k;
  l->n_bad++;
  if (used + 1 >= l->err_len) return TK_EINVAL;
  k = snprintf(l->err + used, l->err_len - used, "%s%s: ", used > 0 ? "\n" : "", var);
  if (k > 0 && (size_t)k < l->err_len - used) {
    va_start(ap, fmt);
    vsnprintf(l->err + used + (size_t)k, l->err_len - used - (size_t)k, fmt, ap);
    va_end(ap);
  }
  return TK_EINVAL;
}

/* An unset and an empty variable mean the same: not configured. */
static const char *get(loader *l, const char *name) {
  const char *v = l->get(l->ctx, name);
  return v != NULL && *v != '\0' ? v : NULL;
}

static int read_file(char **out, size_t *out_len, const char *path) {
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  size_t n = 0;
  if (f == NULL) return TK_EINVAL;
  buf = malloc(FILE_MAX + 1);
  if (buf != NULL) n = fread(buf, 1, FILE_MAX + 1, f);
  fclose(f);
  if (buf == NULL) return TK_ENOMEM;
  if (n == 0 || n > FILE_MAX) {
    free(buf);
    return TK_EINVAL;
  }
  buf[n] = '\0';
  *out = buf;
  *out_len = n;
  return TK_OK;
}

/* A secret from NAME or from the file named by NAME_FILE (one trailing newline dropped), not both. */
static int secret(loader *l, char **out, size_t *out_len, const char *name, int required) {
  char file_var[64];
  const char *v = get(l, name), *path;
  snprintf(file_var, sizeof file_var, "%s_FILE", name);
  path = get(l, file_var);
  if (v != NULL && path != NULL) return bad(l, name, "set either %s or %s, not both", name, file_var);
  if (path != NULL) {
    size_t n;
    if (read_file(out, &n, path) != 0) return bad(l, file_var, "cannot read the file or it is empty");
    if (n > 0 && (*out)[n - 1] == '\n') (*out)[--n] = '\0';
    if (n > 0 && (*out)[n - 1] == '\r') (*out)[--n] = '\0';
    if (n == 0 || strlen(*out) != n) {
      free(*out);
      *out = NULL;
      return bad(l, file_var, "file is empty or contains NUL bytes");
    }
    *out_len = n;
    return TK_OK;
  }
  if (v == NULL) return required ? bad(l, name, "required (or %s)", file_var) : TK_OK;
  *out = strdup(v);
  if (*out == NULL) return bad(l, name, "out of memory");
  *out_len = strlen(v);
  return TK_OK;
}

static int int_var(loader *l, int *out, const char *name, long lo, long hi, long dflt) {
  const char *v = get(l, name);
  char *end = NULL;
  long x;
  *out = (int)dflt; /* also on a refusal, so that later checks see a sane value */
  if (v == NULL) return TK_OK;
  errno = 0;
  x = strtol(v, &end, 10);
  if (errno != 0 || end == v || *end != '\0' || v[0] == '+' || v[0] == ' ' || x < lo || x > hi)
    return bad(l, name, "must be an integer from %ld to %ld", lo, hi);
  *out = (int)x;
  return TK_OK;
}

static int charset_ok(const char *s, size_t max, const char *extra) {
  size_t n = strlen(s);
  if (n == 0 || n > max) return 0;
  for (; *s; s++) {
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || strchr(extra, *s)))
      return 0;
  }
  return 1;
}

int tk_role_valid(const char *s) { return charset_ok(s, 64, "_-"); }

int tk_config_has(char *const *roles, size_t n, const char *role) {
  for (size_t i = 0; i < n; i++) {
    if (strcmp(roles[i], role) == 0) return 1;
  }
  return 0;
}

unsigned tk_config_grants(const tk_config *c, const char *role) {
  for (size_t i = 0; i < c->n_allowed; i++) {
    if (strcmp(c->allowed_roles[i], role) == 0) return c->role_grants != NULL ? c->role_grants[i] : TK_GRANT_ALL;
  }
  return 0;
}

/* A comma-separated list of role names. */
static int role_list(loader *l, char ***out, size_t *n, const char *name, int required) {
  const char *v = get(l, name);
  char *copy, *p;
  size_t cap = 1;
  if (v == NULL) return required ? bad(l, name, "required") : TK_OK;
  for (p = (char *)v; *p; p++) cap += *p == ',';
  *out = calloc(cap, sizeof **out);
  copy = strdup(v);
  if (*out == NULL || copy == NULL) {
    free(copy);
    return bad(l, name, "out of memory");
  }
  p = copy;
  for (;;) {
    char *comma = strchr(p, ',');
    if (comma != NULL) *comma = '\0';
    if (!tk_role_valid(p)) {
      free(copy);
      return bad(l, name, "must be a comma-separated list of role names ([A-Za-z0-9_-], at most 64 each)");
    }
    (*out)[*n] = strdup(p);
    if ((*out)[*n] == NULL) {
      free(copy);
      return bad(l, name, "out of memory");
    }
    (*n)++;
    if (comma == NULL) break;
    p = comma + 1;
  }
  free(copy);
  return TK_OK;
}

static int plain(loader *l, char **out, const char *name, const char *dflt) {
  const char *v = get(l, name);
  if (v == NULL) v = dflt;
  if (v == NULL) return TK_OK;
  *out = strdup(v);
  return *out == NULL ? bad(l, name, "out of memory") : TK_OK;
}

/* https anywhere; plain http only to a loopback stand-in (tests, local development). The URL is parsed
   by libcurl's own parser, the one that later sends the request, so the host checked is the host
   contacted: "http://127.0.0.1:80@evil.example/" has userinfo and the host evil.example. Userinfo is
   refused in every URL setting: credentials never belong in one, and it is how such a URL is disguised. */
static int url_ok(const char *s, int allow_loopback_http) {
  static const char *const local[] = {"127.0.0.1", "localhost", "[::1]"};
  CURLU *u = curl_url();
  char *scheme = NULL, *host = NULL, *user = NULL, *password = NULL, *options = NULL;
  const char *sep = strstr(s, "://");
  int ok = 0;
  /* libcurl reads "https:///v2" as the host "v2"; a URL whose authority is empty is a mistake */
  if (sep == NULL || sep[3] == '/' || u == NULL || curl_url_set(u, CURLUPART_URL, s, 0) != CURLUE_OK) goto cleanup;
  if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
      curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || host[0] == '\0')
    goto cleanup;
  if (curl_url_get(u, CURLUPART_USER, &user, 0) != CURLUE_NO_USER ||
      curl_url_get(u, CURLUPART_PASSWORD, &password, 0) != CURLUE_NO_PASSWORD ||
      curl_url_get(u, CURLUPART_OPTIONS, &options, 0) != CURLUE_NO_OPTIONS)
    goto cleanup;
  if (strcmp(scheme, "https") == 0)
    ok = 1;
  else if (strcmp(scheme, "http") == 0 && allow_loopback_http) {
    for (size_t i = 0; i < sizeof local / sizeof local[0]; i++) ok |= strcmp(host, local[i]) == 0;
  }
cleanup:
  curl_free(scheme);
  curl_free(host);
  curl_free(user);
  curl_free(password);
  curl_free(options);
  curl_url_cleanup(u);
  return ok;
}

/* Calls fn for every comma-separated item of the variable (blanks around an item dropped); an empty item
   is refused. Returns the first failure, TK_OK when the variable is unset. */
typedef int (*item_fn)(loader *l, tk_config *c, const char *name, const char *item, size_t n);

static int each_item(loader *l, tk_config *c, const char *name, item_fn fn) {
  const char *v = get(l, name), *p;
  if (v == NULL) return TK_OK;
  for (p = v;;) {
    const char *end = strchr(p, ','), *a = p, *b;
    if (end == NULL) end = p + strlen(p);
    b = end;
    while (a < b && (*a == ' ' || *a == '\t')) a++;
    while (b > a && (b[-1] == ' ' || b[-1] == '\t')) b--;
    if (a == b) return bad(l, name, "has an empty item");
    int rc = fn(l, c, name, a, (size_t)(b - a));
    if (rc != 0) return rc;
    if (*end == '\0') return TK_OK;
    p = end + 1;
  }
}

/* ROLE_GRANTS item: role=publish+subscribe+data */
static int grant_item(loader *l, tk_config *c, const char *name, const char *item, size_t n) {
  const char *eq = memchr(item, '=', n);
  unsigned g;
  if (eq == NULL || tk_grants_parse(&g, eq + 1, n - (size_t)(eq - item) - 1) != 0)
    return bad(l, name, "items are role=grants, grants a '+'-joined set of publish, subscribe, data");
  for (size_t i = 0; i < c->n_allowed; i++) {
    if (strlen(c->allowed_roles[i]) == (size_t)(eq - item) &&
        strncmp(c->allowed_roles[i], item, (size_t)(eq - item)) == 0) {
      c->role_grants[i] = g;
      return TK_OK;
    }
  }
  return bad(l, name, "every role named must also be in ALLOWED_ROLES");
}

static int role_grants(loader *l, tk_config *c) {
  c->role_grants = calloc(c->n_allowed + 1, sizeof *c->role_grants);
  if (c->role_grants == NULL) return TK_ENOMEM;
  for (size_t i = 0; i < c->n_allowed; i++) c->role_grants[i] = TK_GRANT_ALL;
  return each_item(l, c, "ROLE_GRANTS", grant_item);
}

/* CORS_ALLOWED_ORIGINS item: an exact origin, scheme://host[:port] in lower case, as browsers send it. */
static int origin_item(loader *l, tk_config *c, const char *name, const char *item, size_t n) {
  const char *host;
  char **grown;
  if (n == 1 && item[0] == '*') return bad(l, name, "exact origins only; tokend never answers with a wildcard");
  if (n > 7 && strncmp(item, "http://", 7) == 0)
    host = item + 7;
  else if (n > 8 && strncmp(item, "https://", 8) == 0)
    host = item + 8;
  else
    return bad(l, name, "each origin is http(s)://host[:port], without a path");
  for (const char *p = host; p < item + n; p++) {
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' || *p == ':' || *p == '[' ||
          *p == ']'))
      return bad(l, name, "each origin is http(s)://host[:port] in lower case, without a path or wildcard");
  }
  grown = realloc(c->cors_origins, (c->n_cors + 1) * sizeof *grown);
  if (grown == NULL) return TK_ENOMEM;
  c->cors_origins = grown;
  c->cors_origins[c->n_cors] = strndup(item, n);
  if (c->cors_origins[c->n_cors] == NULL) return TK_ENOMEM;
  c->n_cors++;
  return TK_OK;
}

static int proxy_item(loader *l, tk_config *c, const char *name, const char *item, size_t n) {
  tk_cidr *grown = realloc(c->trusted, (c->n_trusted + 1) * sizeof *grown);
  if (grown == NULL) return TK_ENOMEM;
  c->trusted = grown;
  if (tk_cidr_parse(&c->trusted[c->n_trusted], item, n) != 0)
    return bad(l, name, "each item is an IP address or a block like 10.0.0.0/8 (host bits zero)");
  c->n_trusted++;
  return TK_OK;
}

static int load_web(loader *l, tk_config *c) {
  TRY(each_item(l, c, "CORS_ALLOWED_ORIGINS", origin_item));
  TRY(int_var(l, &c->cors_credentials, "CORS_ALLOW_CREDENTIALS", 0, 1, 0));
  if (c->cors_credentials && get(l, "CORS_ALLOWED_ORIGINS") == NULL)
    bad(l, "CORS_ALLOW_CREDENTIALS", "needs CORS_ALLOWED_ORIGINS");
  TRY(each_item(l, c, "TRUSTED_PROXIES", proxy_item));
  return TK_OK;
}

/* A key id or account id (also as NAME_FILE): required, and ok() must accept it. */
static int ident(loader *l, char **out, const char *name, int (*ok)(const char *), const char *rule) {
  size_t n = 0;
  TRY(secret(l, out, &n, name, 1));
  if (*out != NULL && !ok(*out)) return bad(l, name, "%s", rule);
  return TK_OK;
}

/* 32 hexadecimal characters, as Agora's app ids and certificates and the tail of Twilio's SIDs are. */
static int hex32(const char *s) { return s != NULL && strlen(s) == 32 && strspn(s, "0123456789abcdefABCDEF") == 32; }

static int hms_key_ok(const char *s) { return charset_ok(s, 128, "_.-"); }

static int livekit_key_ok(const char *s) { return charset_ok(s, 128, "_-"); }

static int account_sid_ok(const char *s) { return strncmp(s, "AC", 2) == 0 && hex32(s + 2); }

static int key_sid_ok(const char *s) { return strncmp(s, "SK", 2) == 0 && hex32(s + 2); }

/* The provider's key id into access_key and its signing secret into app_secret, whatever the provider:
   the server signs and derives its log key from those two alone. */
static int load_provider(loader *l, tk_config *c) {
  const char *v = get(l, "PROVIDER");
  char *tmp = NULL;
  size_t n = 0;
  if (v != NULL && tk_provider_parse(&c->provider, v) != 0)
    return bad(l, "PROVIDER", "must be one of 100ms, livekit, twilio, agora");
  switch (c->provider) {
  case TK_PROVIDER_HMS:
    TRY(ident(l, &c->access_key, "HMS_ACCESS_KEY", hms_key_ok, "must be 1..128 of [A-Za-z0-9_.-]"));
    TRY(secret(l, &tmp, &n, "HMS_APP_SECRET", 1));
    if (tmp != NULL && n < 16) bad(l, "HMS_APP_SECRET", "too short (at least 16 bytes)");
    TRY(plain(l, &c->template_id, "HMS_TEMPLATE_ID", NULL));
    if (c->template_id == NULL || !charset_ok(c->template_id, 64, "_-"))
      bad(l, "HMS_TEMPLATE_ID", "required, 1..64 of [A-Za-z0-9_-]");
    TRY(plain(l, &c->api_base, "HMS_API_BASE", "https://api.100ms.live/v2"));
    if (c->api_base != NULL && !url_ok(c->api_base, 1))
      bad(l, "HMS_API_BASE", "must be an https:// URL without userinfo (http:// only for a loopback host)");
    while (c->api_base != NULL && strlen(c->api_base) > 8 && c->api_base[strlen(c->api_base) - 1] == '/')
      c->api_base[strlen(c->api_base) - 1] = '\0';
    break;
  case TK_PROVIDER_LIVEKIT:
    TRY(ident(l, &c->access_key, "LIVEKIT_API_KEY", livekit_key_ok, "must be 1..128 of [A-Za-z0-9_-]"));
    TRY(secret(l, &tmp, &n, "LIVEKIT_API_SECRET", 1));
    if (tmp != NULL && n < 32)
      bad(l, "LIVEKIT_API_SECRET", "too short (at least 32 bytes, as the LiveKit server asks)");
    break;
  case TK_PROVIDER_TWILIO:
    TRY(ident(l, &c->account_sid, "TWILIO_ACCOUNT_SID", account_sid_ok, "must be AC followed by 32 hex characters"));
    TRY(ident(l, &c->access_key, "TWILIO_API_KEY_SID", key_sid_ok, "must be SK followed by 32 hex characters"));
    TRY(secret(l, &tmp, &n, "TWILIO_API_KEY_SECRET", 1));
    if (tmp != NULL && n < 16) bad(l, "TWILIO_API_KEY_SECRET", "too short (at least 16 bytes)");
    break;
  case TK_PROVIDER_AGORA:
    TRY(ident(l, &c->access_key, "AGORA_APP_ID", hex32, "must be 32 hex characters"));
    TRY(secret(l, &tmp, &n, "AGORA_APP_CERTIFICATE", 1));
    if (tmp != NULL && !hex32(tmp)) bad(l, "AGORA_APP_CERTIFICATE", "must be 32 hex characters");
    break;
  }
  c->app_secret = (unsigned char *)tmp;
  c->app_secret_len = n;
  if (c->provider != TK_PROVIDER_HMS) {
    static const char *const hms_only[] = {"HMS_ACCESS_KEY", "HMS_APP_SECRET", "HMS_APP_SECRET_FILE", "HMS_TEMPLATE_ID",
                                           "HMS_API_BASE"};
    for (size_t i = 0; i < sizeof hms_only / sizeof hms_only[0]; i++) {
      if (get(l, hms_only[i]) != NULL) bad(l, hms_only[i], "only used with PROVIDER=100ms; unset it");
    }
  }
  return TK_OK;
}

static int load_auth(loader *l, tk_config *c) {
  const char *v;
  char *tmp = NULL;
  int alg_ok = 0;
  /* user tokens */
  TRY(plain(l, &c->jwks_url, "AUTH_JWKS_URL", NULL));
  v = get(l, "AUTH_PROVIDER");
  if (v != NULL) {
    /* A preset: the JWKS URL (unless given) and a fixed audience follow from the issuer. */
    const char *why = NULL;
    char *url = NULL;
    if (get(l, "AUTH_JWT_ISSUER") == NULL) return bad(l, "AUTH_JWT_ISSUER", "required with AUTH_PROVIDER");
    if (tk_idp_preset(&url, &c->audience, &why, v, get(l, "AUTH_JWT_ISSUER"), get(l, "AUTH_JWT_AUDIENCE")) != 0)
      return bad(l, "AUTH_PROVIDER", "%s", why != NULL ? why : "out of memory");
    if (c->jwks_url == NULL)
      c->jwks_url = url;
    else
      free(url);
  }
  TRY(int_var(l, &c->jwks_refresh, "AUTH_JWKS_REFRESH_SECONDS", 1, 86400, 30));
  TRY(int_var(l, &c->jwks_max_age, "AUTH_JWKS_MAX_AGE_SECONDS", 60, 604800, 3600));
  v = get(l, "AUTH_JWT_ALG");
  if (c->jwks_url != NULL) {
    /* The identity provider's keys say which algorithm each one takes; a fixed key would be a second,
       unrotated way in. The issuer is required: an identity provider signs tokens for many apps. */
    if (!url_ok(c->jwks_url, 1))
      return bad(l, "AUTH_JWKS_URL", "must be an https:// URL without userinfo (http:// only for a loopback host)");
    if (v != NULL || get(l, "AUTH_JWT_SECRET") != NULL || get(l, "AUTH_JWT_SECRET_FILE") != NULL ||
        get(l, "AUTH_JWT_PUBLIC_KEY_FILE") != NULL)
      return bad(l, "AUTH_JWKS_URL",
                 "not used with AUTH_JWT_ALG, AUTH_JWT_SECRET or AUTH_JWT_PUBLIC_KEY_FILE; unset those");
    if (get(l, "AUTH_JWT_ISSUER") == NULL) return bad(l, "AUTH_JWT_ISSUER", "required with AUTH_JWKS_URL");
  } else if (v != NULL && tk_alg_parse(&c->alg, v) == 0)
    alg_ok = 1;
  else
    bad(l, "AUTH_JWT_ALG", "required, exactly one of HS256, RS256, ES256");
  TRY(secret(l, &tmp, &c->jwt_secret_len, "AUTH_JWT_SECRET", 0));
  c->jwt_secret = (unsigned char *)tmp;
  tmp = NULL;
  v = get(l, "AUTH_JWT_PUBLIC_KEY_FILE");
  if (c->jwks_url != NULL || !alg_ok) {
    /* JWKS: checked above; no algorithm: nothing to say about the key until it is known */
  } else if (c->alg == TK_ALG_HS256) {
    if (c->jwt_secret == NULL)
      bad(l, "AUTH_JWT_SECRET", "required when AUTH_JWT_ALG is HS256");
    else if (c->jwt_secret_len < 32)
      bad(l, "AUTH_JWT_SECRET", "too short (at least 32 bytes for HS256)");
    if (v != NULL) bad(l, "AUTH_JWT_PUBLIC_KEY_FILE", "not used with HS256; unset it");
  } else {
    if (c->jwt_secret != NULL) bad(l, "AUTH_JWT_SECRET", "not used with RS256/ES256; unset it");
    if (v == NULL)
      bad(l, "AUTH_JWT_PUBLIC_KEY_FILE", "required when AUTH_JWT_ALG is RS256 or ES256");
    else if (read_file(&c->jwt_pem, &c->jwt_pem_len, v) != 0)
      bad(l, "AUTH_JWT_PUBLIC_KEY_FILE", "cannot read the file or it is empty");
  }
  TRY(plain(l, &c->issuer, "AUTH_JWT_ISSUER", NULL));
  if (c->audience == NULL) /* (an AUTH_PROVIDER preset may have set it) */
    TRY(plain(l, &c->audience, "AUTH_JWT_AUDIENCE", NULL));
  TRY(int_var(l, &c->leeway, "AUTH_LEEWAY_SECONDS", 0, 60, 30));
  TRY(role_list(l, &c->allowed_roles, &c->n_allowed, "ALLOWED_ROLES", 1));
  TRY(role_list(l, &c->privileged_roles, &c->n_privileged, "PRIVILEGED_ROLES", 0));
  /* (when ALLOWED_ROLES itself is missing or bad, that is the one thing to say) */
  for (size_t i = 0; c->n_allowed > 0 && i < c->n_privileged; i++) {
    if (!tk_config_has(c->allowed_roles, c->n_allowed, c->privileged_roles[i])) {
      bad(l, "PRIVILEGED_ROLES", "every privileged role must also be in ALLOWED_ROLES");
      break;
    }
  }
  TRY(role_grants(l, c));
  /* The guide caps tokens at 24 hours; a larger maximum is a configuration mistake, not a choice. */
  TRY(int_var(l, &c->max_ttl, "TOKEN_MAX_TTL_SECONDS", 1, 86400, 86400));
  TRY(int_var(l, &c->ttl, "TOKEN_TTL_SECONDS", 1, c->max_ttl, c->max_ttl < 3600 ? c->max_ttl : 3600));
  return TK_OK;
}

static int load_listener(loader *l, tk_config *c) {
  const char *v;
  size_t tmp_len = 0;
  long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
  TRY(plain(l, &c->bind_addr, "BIND_ADDR", "127.0.0.1"));
  {
    unsigned char a[16];
    if (inet_pton(AF_INET, c->bind_addr, a) == 1)
      c->loopback = a[0] == 127;
    else if (inet_pton(AF_INET6, c->bind_addr, a) == 1)
      c->loopback = strcmp(c->bind_addr, "::1") == 0;
    else
      return bad(l, "BIND_ADDR", "must be a numeric IPv4 or IPv6 address");
  }
  TRY(int_var(l, &c->port, "PORT", 0, 65535, 8080));
  TRY(int_var(l, &c->threads, "THREADS", 1, 64, ncpu < 1 ? 1 : ncpu > 64 ? 64 : ncpu));
  TRY(int_var(l, &c->insecure_http, "INSECURE_HTTP", 0, 1, 0));
  v = get(l, "TLS_CERT_FILE");
  if (v != NULL && read_file(&c->tls_cert, &tmp_len, v) != 0)
    bad(l, "TLS_CERT_FILE", "cannot read the file or it is empty");
  v = get(l, "TLS_KEY_FILE");
  if (v != NULL && read_file(&c->tls_key, &tmp_len, v) != 0)
    bad(l, "TLS_KEY_FILE", "cannot read the file or it is empty");
  if ((get(l, "TLS_CERT_FILE") == NULL) != (get(l, "TLS_KEY_FILE") == NULL))
    return bad(l, get(l, "TLS_CERT_FILE") ? "TLS_KEY_FILE" : "TLS_CERT_FILE",
               "TLS_CERT_FILE and TLS_KEY_FILE go together");
  if (!c->loopback && get(l, "TLS_CERT_FILE") == NULL && !c->insecure_http)
    return bad(l, "BIND_ADDR", "a non-loopback address needs TLS_CERT_FILE/TLS_KEY_FILE (or INSECURE_HTTP=1)");
  return TK_OK;
}

static int load_limits(loader *l, tk_config *c) {
  const char *v;
  char *tmp = NULL;
  int mb;
  TRY(int_var(l, &mb, "MAX_BODY_BYTES", 64, 1 << 20, 4096));
  c->max_body = (size_t)mb;
  TRY(int_var(l, &c->conn_timeout, "CONN_TIMEOUT_SECONDS", 1, 3600, 10));
  TRY(int_var(l, &c->max_conns, "MAX_CONNECTIONS", 1, 100000, 1000));
  TRY(int_var(l, &c->max_conn_per_ip, "MAX_CONN_PER_IP", 0, 100000, 128));
  TRY(int_var(l, &c->rate_per_min, "RATE_LIMIT_PER_MIN", 0, 100000000, 60));
  TRY(int_var(l, &c->rate_burst, "RATE_LIMIT_BURST", 1, 100000000, 20));
  TRY(int_var(l, &c->grace, "SHUTDOWN_GRACE_SECONDS", 0, 600, 10));
  TRY(plain(l, &c->redis_url, "REDIS_URL", NULL));
  if (c->redis_url != NULL && !tk_redis_url_valid(c->redis_url))
    return bad(l, "REDIS_URL",
               "must be redis://HOST[:PORT][/DB] or unix:///PATH[?db=DB] (DB 0..15, no password in it)");
  TRY(secret(l, &tmp, &c->redis_password_len, "REDIS_PASSWORD", 0));
  c->redis_password = tmp;
  tmp = NULL;
  TRY(int_var(l, &c->redis_timeout_ms, "REDIS_TIMEOUT_MS", 10, 10000, 250));
  TRY(int_var(l, &c->lease_max, "RATE_LIMIT_LEASE_MAX", 1, 1000, 64));
  v = get(l, "REDIS_FAILURE_POLICY");
  if (v != NULL && strcmp(v, "local") != 0 && strcmp(v, "deny") != 0)
    return bad(l, "REDIS_FAILURE_POLICY", "must be local or deny");
  c->redis_deny = v != NULL && strcmp(v, "deny") == 0;
  v = get(l, "LOG_LEVEL");
  {
    static const char *const names[] = {"error", "warn", "info", "debug"};
    c->log_level = v == NULL ? TK_LOG_INFO : -1;
    for (int i = 0; v != NULL && i < 4; i++) {
      if (strcmp(v, names[i]) == 0) c->log_level = i;
    }
    if (c->log_level < 0) {
      c->log_level = TK_LOG_INFO;
      return bad(l, "LOG_LEVEL", "must be one of error, warn, info, debug");
    }
  }
  return TK_OK;
}

static int load(loader *l, tk_config *c) {
  TRY(load_provider(l, c));
  TRY(load_auth(l, c));
  TRY(load_listener(l, c));
  TRY(load_limits(l, c));
  TRY(load_web(l, c));
  return l->n_bad > 0 ? TK_EINVAL : TK_OK;
}

int tk_config_load(tk_config *out, tk_getenv_fn getfn, void *ctx, char *err, size_t err_len) {
  loader l = {getfn, ctx, err, err_len, 0};
  int rc;
  memset(out, 0, sizeof *out);
  if (err_len > 0) err[0] = '\0';
  rc = load(&l, out);
  if (rc != 0) tk_config_clear(out);
  return rc;
}

static void free_secret(void *p, size_t n) {
  if (p != NULL) OPENSSL_cleanse(p, n);
  free(p);
}

static void free_list(char **list, size_t n) {
  for (size_t i = 0; i < n; i++) free(list[i]);
  free(list);
}

void tk_config_clear(tk_config *c) {
  if (c == NULL) return;
  free(c->access_key);
  free_secret(c->app_secret, c->app_secret_len);
  free(c->template_id);
  free(c->api_base);
  free_secret(c->jwt_secret, c->jwt_secret_len);
  free(c->jwt_pem);
  free(c->issuer);
  free(c->audience);
  free(c->jwks_url);
  free(c->redis_url);
  free_secret(c->redis_password, c->redis_password_len);
  free_list(c->allowed_roles, c->n_allowed);
  free_list(c->privileged_roles, c->n_privileged);
  free(c->role_grants);
  free(c->account_sid);
  free_list(c->cors_origins, c->n_cors);
  free(c->trusted);
  free(c->bind_addr);
  free(c->tls_cert);
  free_secret(c->tls_key, c->tls_key ? strlen(c->tls_key) : 0);
  memset(c, 0, sizeof *c);
}
