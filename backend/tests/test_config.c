/* Settings: defaults, the 24-hour cap, and error messages that name the variable but never its value. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "tokend.h"

/* A fake environment: NULL-terminated name/value pairs. */
typedef struct {
  const char *const *pairs;
  const char *const *override;
} fake_env;

static const char *const base[] = {"HMS_ACCESS_KEY",
                                   "test_access_key_0123456789",
                                   "HMS_APP_SECRET",
                                   "test_app_secret_0123456789abcdef",
                                   "HMS_TEMPLATE_ID",
                                   "tmpl_1",
                                   "AUTH_JWT_ALG",
                                   "HS256",
                                   "AUTH_JWT_SECRET",
                                   "user_jwt_secret_for_tests_0123456789",
                                   "ALLOWED_ROLES",
                                   "guest,host",
                                   NULL};

static const char *lookup(void *ctx, const char *name) {
  fake_env *e = ctx;
  for (const char *const *p = e->override; p && *p; p += 2) {
    if (strcmp(*p, name) == 0) return p[1];
  }
  for (const char *const *p = e->pairs; *p; p += 2) {
    if (strcmp(*p, name) == 0) return p[1];
  }
  return NULL;
}

static int load(tk_config *c, char *err, size_t n, const char *const *override) {
  fake_env e = {base, override};
  return tk_config_load(c, lookup, &e, err, n);
}

static void config__defaults(void **state) {
  tk_config c;
  char err[256];
  (void)state;
  assert_int_equal(load(&c, err, sizeof err, NULL), 0);
  assert_string_equal(c.api_base, "https://api.100ms.live/v2");
  assert_string_equal(c.bind_addr, "127.0.0.1");
  assert_true(c.loopback);
  assert_int_equal(c.ttl, 3600);
  assert_int_equal(c.max_ttl, 86400);
  assert_int_equal(c.max_body, 4096);
  assert_int_equal(c.conn_timeout, 10);
  assert_int_equal(c.n_allowed, 2);
  assert_true(tk_config_has(c.allowed_roles, c.n_allowed, "host"));
  assert_false(tk_config_has(c.allowed_roles, c.n_allowed, "admin"));
  assert_int_equal(c.log_level, TK_LOG_INFO);
  tk_config_clear(&c);
}

static void expect_refused(const char *const *override, const char *var, const char *value) {
  tk_config c;
  char err[256];
  assert_int_equal(load(&c, err, sizeof err, override), TK_EINVAL);
  assert_non_null(strstr(err, var));
  if (value != NULL) assert_null(strstr(err, value));
}

static void config__refusals_name_the_variable(void **state) {
  (void)state;
  expect_refused((const char *const[]){"TOKEN_MAX_TTL_SECONDS", "86401", NULL}, "TOKEN_MAX_TTL_SECONDS", "86401");
  expect_refused((const char *const[]){"TOKEN_TTL_SECONDS", "90000", NULL}, "TOKEN_TTL_SECONDS", "90000");
  expect_refused((const char *const[]){"HMS_APP_SECRET", "", NULL}, "HMS_APP_SECRET", NULL);
  expect_refused((const char *const[]){"HMS_APP_SECRET", "short-secret", NULL}, "HMS_APP_SECRET", "short-secret");
  expect_refused((const char *const[]){"AUTH_JWT_SECRET", "too-short-for-hs256", NULL}, "AUTH_JWT_SECRET",
                 "too-short-for-hs256");
  expect_refused((const char *const[]){"AUTH_JWT_ALG", "RS256", NULL}, "AUTH_JWT_SECRET", NULL);
  expect_refused((const char *const[]){"AUTH_JWT_ALG", "HS256 ", NULL}, "AUTH_JWT_ALG", NULL);
  expect_refused((const char *const[]){"AUTH_LEEWAY_SECONDS", "61", NULL}, "AUTH_LEEWAY_SECONDS", NULL);
  expect_refused((const char *const[]){"PORT", "65536", NULL}, "PORT", NULL);
  expect_refused((const char *const[]){"PORT", "80x", NULL}, "PORT", NULL);
  expect_refused((const char *const[]){"BIND_ADDR", "0.0.0.0", NULL}, "BIND_ADDR", NULL);
  expect_refused((const char *const[]){"BIND_ADDR", "localhost", NULL}, "BIND_ADDR", NULL);
  expect_refused((const char *const[]){"ALLOWED_ROLES", "guest,,host", NULL}, "ALLOWED_ROLES", NULL);
  expect_refused((const char *const[]){"PRIVILEGED_ROLES", "admin", NULL}, "PRIVILEGED_ROLES", NULL);
  expect_refused((const char *const[]){"HMS_API_BASE", "http://api.example.test", NULL}, "HMS_API_BASE", NULL);
  expect_refused((const char *const[]){"HMS_API_BASE", "http://127.0.0.1.example.test", NULL}, "HMS_API_BASE", NULL);
  /* userinfo moves the real host behind the '@' (libcurl would connect to evil.example) */
  expect_refused((const char *const[]){"HMS_API_BASE", "http://127.0.0.1:80@evil.example/v2", NULL}, "HMS_API_BASE",
                 "evil.example");
  expect_refused((const char *const[]){"HMS_API_BASE", "http://localhost:x@evil.example/v2", NULL}, "HMS_API_BASE",
                 "evil.example");
  expect_refused((const char *const[]){"HMS_API_BASE", "http://[::1]:1@evil.example/v2", NULL}, "HMS_API_BASE",
                 "evil.example");
  expect_refused((const char *const[]){"HMS_API_BASE", "https://user:pw@api.example.test/v2", NULL}, "HMS_API_BASE",
                 "user:pw");
  expect_refused((const char *const[]){"HMS_API_BASE", "http://127.0.0.2/v2", NULL}, "HMS_API_BASE", NULL);
  expect_refused((const char *const[]){"HMS_API_BASE", "ftp://127.0.0.1/v2", NULL}, "HMS_API_BASE", NULL);
  expect_refused((const char *const[]){"HMS_API_BASE", "https:///v2", NULL}, "HMS_API_BASE", NULL);
  expect_refused((const char *const[]){"LOG_LEVEL", "loud", NULL}, "LOG_LEVEL", NULL);
  expect_refused((const char *const[]){"HMS_APP_SECRET_FILE", "/nonexistent/secret", NULL}, "HMS_APP_SECRET", NULL);
  expect_refused((const char *const[]){"TLS_CERT_FILE", "/etc/hostname", NULL}, "TLS_", NULL);
}

static void config__accepted_variants(void **state) {
  tk_config c;
  char err[256];
  (void)state;
  assert_int_equal(load(&c, err, sizeof err,
                        (const char *const[]){"BIND_ADDR", "0.0.0.0", "INSECURE_HTTP", "1", "HMS_API_BASE",
                                              "http://127.0.0.1:9999/v2/", "TOKEN_MAX_TTL_SECONDS", "600", NULL}),
                   0);
  assert_false(c.loopback);
  assert_string_equal(c.api_base, "http://127.0.0.1:9999/v2");
  assert_int_equal(c.ttl, 600); /* the default TTL never exceeds the maximum */
  tk_config_clear(&c);
  /* near misses of the userinfo refusals: loopback with a port, IPv6 loopback, any https host */
  static const char *const near[] = {"http://127.0.0.1:9999/v2", "http://[::1]:8080", "http://localhost/v2",
                                     "https://api.example.test/v2", "https://api.example.test:8443"};
  for (size_t i = 0; i < sizeof near / sizeof near[0]; i++) {
    assert_int_equal(load(&c, err, sizeof err, (const char *const[]){"HMS_API_BASE", near[i], NULL}), 0);
    tk_config_clear(&c);
  }
  assert_true(tk_role_valid("guest-1_X"));
  assert_false(tk_role_valid("gu est"));
  assert_false(tk_role_valid(""));
}

static void config__every_bad_setting_at_once(void **state) {
  tk_config c;
  char err[1024];
  (void)state;
  assert_int_equal(load(&c, err, sizeof err,
                        (const char *const[]){"HMS_APP_SECRET", "short-secret", "PORT", "80x", "LOG_LEVEL", "loud",
                                              "AUTH_JWT_ALG", "none", NULL}),
                   TK_EINVAL);
  assert_non_null(strstr(err, "HMS_APP_SECRET: "));
  assert_non_null(strstr(err, "\nPORT: "));
  assert_non_null(strstr(err, "\nLOG_LEVEL: "));
  assert_non_null(strstr(err, "\nAUTH_JWT_ALG: "));
  assert_null(strstr(err, "short-secret"));
  assert_null(strstr(err, "80x"));
  /* a small buffer keeps whole leading lines and stays terminated */
  assert_int_equal(load(&c, err, 40, (const char *const[]){"PORT", "80x", "LOG_LEVEL", "loud", NULL}), TK_EINVAL);
  assert_true(strlen(err) < 40);
  assert_int_equal(strncmp(err, "PORT: ", 6), 0);
}

static void config__providers(void **state) {
  tk_config c;
  char err[512];
  (void)state;
  assert_int_equal(
      load(&c, err, sizeof err,
           (const char *const[]){"PROVIDER", "livekit", "HMS_ACCESS_KEY", "", "HMS_APP_SECRET", "", "HMS_TEMPLATE_ID",
                                 "", "LIVEKIT_API_KEY", "APIkey1", "LIVEKIT_API_SECRET",
                                 "livekit_secret_0123456789abcdefghij", "ROLE_GRANTS", "guest=subscribe", NULL}),
      0);
  assert_int_equal(c.provider, TK_PROVIDER_LIVEKIT);
  assert_string_equal(c.access_key, "APIkey1");
  assert_int_equal(tk_config_grants(&c, "guest"), TK_GRANT_SUBSCRIBE);
  assert_int_equal(tk_config_grants(&c, "host"), TK_GRANT_ALL);
  assert_int_equal(tk_config_grants(&c, "admin"), 0);
  tk_config_clear(&c);
  /* the 100ms settings are refused beside another provider, by name */
  assert_int_equal(load(&c, err, sizeof err,
                        (const char *const[]){"PROVIDER", "agora", "AGORA_APP_ID", "0123456789abcdef0123456789abcd01",
                                              "AGORA_APP_CERTIFICATE", "not-hex", NULL}),
                   TK_EINVAL);
  assert_non_null(strstr(err, "HMS_ACCESS_KEY"));
  assert_non_null(strstr(err, "AGORA_APP_CERTIFICATE"));
  assert_null(strstr(err, "not-hex"));
  expect_refused((const char *const[]){"PROVIDER", "zoom", NULL}, "PROVIDER", "zoom");
  expect_refused((const char *const[]){"ROLE_GRANTS", "admin=publish", NULL}, "ROLE_GRANTS", NULL);
  expect_refused((const char *const[]){"CORS_ALLOWED_ORIGINS", "*", NULL}, "CORS_ALLOWED_ORIGINS", NULL);
  expect_refused((const char *const[]){"CORS_ALLOWED_ORIGINS", "https://app.test/path", NULL}, "CORS_ALLOWED_ORIGINS",
                 "/path");
  expect_refused((const char *const[]){"TRUSTED_PROXIES", "10.0.0.1/8", NULL}, "TRUSTED_PROXIES", "10.0.0.1");
  assert_int_equal(load(&c, err, sizeof err,
                        (const char *const[]){"CORS_ALLOWED_ORIGINS", "http://localhost:5173 , https://app.test",
                                              "TRUSTED_PROXIES", "127.0.0.1,10.0.0.0/8", NULL}),
                   0);
  assert_int_equal(c.n_cors, 2);
  assert_string_equal(c.cors_origins[0], "http://localhost:5173");
  assert_int_equal(c.n_trusted, 2);
  tk_config_clear(&c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(config__defaults),          cmocka_unit_test(config__refusals_name_the_variable),
      cmocka_unit_test(config__accepted_variants), cmocka_unit_test(config__every_bad_setting_at_once),
      cmocka_unit_test(config__providers),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
