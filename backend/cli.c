#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "b64url.h"
#include "config.h"
#include "jsonw.h"
#include "mint.h"
#include "tokend.h"
#include "userjwt.h"

#define EXIT_CONFIG 2
#define ERR_MAX 4096

void tk_cli_print_errors(FILE *f, const char *err) {
  while (*err) {
    size_t n = strcspn(err, "\n");
    fprintf(f, "tokend: %.*s\n", (int)n, err);
    err += n;
    if (*err == '\n') err++;
  }
}

int tk_cli_check_config(void) {
  tk_config cfg;
  tk_verifier *v = NULL;
  char err[ERR_MAX];
  if (tk_config_load(&cfg, tk_config_getenv, NULL, err, sizeof err) != 0) {
    tk_cli_print_errors(stderr, err);
    return EXIT_CONFIG;
  }
  /* What only the server start would find: a PEM that is not a key for the algorithm. */
  if (tk_verifier_new(&v, cfg.alg, cfg.jwt_secret, cfg.jwt_secret_len, cfg.jwt_pem, cfg.jwt_pem_len, cfg.issuer,
                      cfg.audience, cfg.leeway) != 0) {
    fprintf(stderr, "tokend: AUTH_JWT_PUBLIC_KEY_FILE: not a PEM public key for AUTH_JWT_ALG (RSA >= 2048 bits or "
                    "EC P-256)\n");
    tk_config_clear(&cfg);
    return EXIT_CONFIG;
  }
  tk_verifier_free(v);
  printf("tokend: configuration ok (PROVIDER=%s, %zu allowed roles, listening on %s:%d)\n",
         tk_provider_name(cfg.provider), cfg.n_allowed, cfg.bind_addr, cfg.port);
  tk_config_clear(&cfg);
  return EXIT_SUCCESS;
}

static const char dev_usage[] =
    "usage: tokend dev-token --sub USER_ID [--roles ROLE,...] [--rooms ROOM,...] [--create-rooms] [--ttl SECONDS]\n";

/* A comma-separated list as a JSON array of strings; NULL when an item is empty or fails check. */
static json_t *list(const char *s, int (*check)(const char *)) {
  json_t *a = json_array();
  char *copy = strdup(s), *p = copy;
  while (a != NULL && copy != NULL) {
    char *comma = strchr(p, ',');
    if (comma != NULL) *comma = '\0';
    if ((check != NULL && !check(p)) || *p == '\0' || json_array_append_new(a, json_string(p)) != 0) {
      json_decref(a);
      a = NULL;
      break;
    }
    if (comma == NULL) break;
    p = comma + 1;
  }
  free(copy);
  return a;
}

static int usage_error(const char *why) {
  fprintf(stderr, "tokend dev-token: %s\n%s", why, dev_usage);
  return EXIT_CONFIG;
}

int tk_cli_dev_token(int argc, char **argv) {
  const char *sub = NULL, *roles = NULL, *rooms = NULL;
  long ttl = 3600;
  int create = 0, rc = EXIT_CONFIG;
  tk_config cfg;
  char err[ERR_MAX], *text = NULL, *tok = NULL;
  json_t *claims = NULL, *arr;
  int64_t now = (int64_t)time(NULL);

  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "--create-rooms") == 0) {
      create = 1;
      continue;
    }
    if (val == NULL ||
        (strcmp(a, "--sub") != 0 && strcmp(a, "--roles") != 0 && strcmp(a, "--rooms") != 0 && strcmp(a, "--ttl") != 0))
      return usage_error(val == NULL ? "an option needs a value" : "unknown option");
    i++;
    if (strcmp(a, "--sub") == 0)
      sub = val;
    else if (strcmp(a, "--roles") == 0)
      roles = val;
    else if (strcmp(a, "--rooms") == 0)
      rooms = val;
    else {
      char *end = NULL;
      ttl = strtol(val, &end, 10);
      if (end == val || *end != '\0' || ttl < 1 || ttl > 86400) return usage_error("--ttl must be 1..86400 seconds");
    }
  }
  if (sub == NULL || *sub == '\0' || strlen(sub) > TK_USER_ID_MAX)
    return usage_error("--sub is required (1..256 bytes)");
  if (tk_config_load(&cfg, tk_config_getenv, NULL, err, sizeof err) != 0) {
    tk_cli_print_errors(stderr, err);
    return EXIT_CONFIG;
  }
  if (cfg.alg != TK_ALG_HS256 || !cfg.loopback) {
    fprintf(stderr, "tokend dev-token: only with AUTH_JWT_ALG=HS256 and a loopback BIND_ADDR (a development "
                    "setup); real user tokens come from your identity provider\n");
    goto cleanup;
  }
  claims = json_pack("{s:s, s:I, s:I, s:I}", "sub", sub, "iat", (json_int_t)now, "nbf", (json_int_t)now, "exp",
                     (json_int_t)(now + ttl));
  if (claims == NULL) goto cleanup;
  if (cfg.issuer != NULL) json_object_set_new(claims, "iss", json_string(cfg.issuer));
  if (cfg.audience != NULL) json_object_set_new(claims, "aud", json_string(cfg.audience));
  if (roles != NULL) {
    arr = list(roles, tk_role_valid);
    if (arr == NULL) {
      fprintf(stderr, "tokend dev-token: --roles must be a comma-separated list of role names\n");
      goto cleanup;
    }
    for (size_t i = 0; i < json_array_size(arr); i++) {
      if (!tk_config_has(cfg.allowed_roles, cfg.n_allowed, json_string_value(json_array_get(arr, i))))
        fprintf(stderr, "tokend dev-token: warning: a role in --roles is not in ALLOWED_ROLES\n");
    }
    json_object_set_new(claims, "hms_roles", arr);
  }
  if (rooms != NULL) {
    arr = list(rooms, NULL);
    if (arr == NULL) {
      fprintf(stderr, "tokend dev-token: --rooms must be a comma-separated list of room names\n");
      goto cleanup;
    }
    json_object_set_new(claims, "hms_rooms", arr);
  }
  if (create) json_object_set_new(claims, "can_create_rooms", json_true());
  text = json_dumps(claims, JSON_COMPACT | JSON_SORT_KEYS);
  if (text != NULL) {
    static const char header_b64[] = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"; /* {"alg":"HS256","typ":"JWT"} */
    tk_mint_key key = {NULL, cfg.jwt_secret, cfg.jwt_secret_len, NULL};
    tk_jsonw w = tk_jsonw_over(text, strlen(text));
    w.n = w.cap;
    if (tk_mint_jwt(&tok, header_b64, &key, &w) == 0) {
      printf("%s\n", tok);
      rc = EXIT_SUCCESS;
    }
  }
cleanup:
  free(tok);
  free(text);
  json_decref(claims);
  tk_config_clear(&cfg);
  return rc;
}
