/* Identity-provider presets: the JWKS URL and audience each provider's issuer implies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "idp.h"
#include "tokend.h"

static void expect(const char *provider, const char *issuer, const char *aud_in, const char *want_url,
                   const char *want_aud) {
  char *url = NULL, *aud = NULL;
  const char *why = NULL;
  assert_int_equal(tk_idp_preset(&url, &aud, &why, provider, issuer, aud_in), 0);
  assert_string_equal(url, want_url);
  if (want_aud == NULL)
    assert_null(aud);
  else
    assert_string_equal(aud, want_aud);
  free(url);
  free(aud);
}

static void refused(const char *provider, const char *issuer, const char *aud_in) {
  char *url = NULL, *aud = NULL;
  const char *why = NULL;
  assert_int_equal(tk_idp_preset(&url, &aud, &why, provider, issuer, aud_in), TK_EINVAL);
  assert_non_null(why);
  assert_null(url);
  assert_null(aud);
}

static void idp__each_provider(void **state) {
  (void)state;
  expect("auth0", "https://acme.eu.auth0.com/", "https://api.acme.test",
         "https://acme.eu.auth0.com/.well-known/jwks.json", NULL);
  expect("clerk", "https://clerk.acme.test", NULL, "https://clerk.acme.test/.well-known/jwks.json", NULL);
  expect("supabase", "https://abcd.supabase.co/auth/v1", NULL, "https://abcd.supabase.co/auth/v1/.well-known/jwks.json",
         "authenticated");
  expect("supabase", "https://abcd.supabase.co/auth/v1", "custom",
         "https://abcd.supabase.co/auth/v1/.well-known/jwks.json", NULL); /* a configured audience stays */
  expect("firebase", "https://securetoken.google.com/acme-app", NULL,
         "https://www.googleapis.com/service_accounts/v1/jwk/securetoken@system.gserviceaccount.com", "acme-app");
  expect("cognito", "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC", "client123",
         "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC/.well-known/jwks.json", NULL);
  expect("keycloak", "https://sso.acme.test/realms/main", "rooms",
         "https://sso.acme.test/realms/main/protocol/openid-connect/certs", NULL);
}

static void idp__wrong_shapes_are_refused(void **state) {
  (void)state;
  refused("okta", "https://acme.okta.com", "x");
  refused("auth0", "https://acme.eu.auth0.com", "x");   /* Auth0 issuers end with a slash */
  refused("auth0", "https://acme.eu.auth0.com/", NULL); /* and need the API's audience */
  refused("firebase", "https://accounts.google.com/acme", NULL);
  refused("firebase", "https://securetoken.google.com/", NULL);
  refused("supabase", "https://abcd.supabase.co", NULL);
  refused("cognito", "https://login.acme.test/pool", "c");
  refused("keycloak", "https://sso.acme.test/auth", "c");
  refused("keycloak", "https://sso.acme.test/realms/main", NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(idp__each_provider),
      cmocka_unit_test(idp__wrong_shapes_are_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
