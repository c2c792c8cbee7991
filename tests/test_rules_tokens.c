/* What the token rules print (client-side-token-minting, token-ttl-too-long,
 * token-without-expiry): the API and package, the lifetime found and the
 * limit, which token; and --max-token-ttl moves the limit. */
#include "rltest.h"

#include <string.h>

#include "engine.h"

static rl_file_result *scan(rl_engine *e, const char *path, const char *code) {
  return rl_engine_scan_buffer(e, path, NULL, code, strlen(code));
}

/* The message of the one finding of rule in r ("" if none). */
static const char *message_of(const rl_file_result *r, const char *rule) {
  const char *m = "";
  int n = 0;
  for (size_t i = 0; i < r->nfindings; i++) {
    if (strcmp(r->findings[i].rule->id, rule) != 0) continue;
    m = r->findings[i].message;
    n++;
  }
  if (n > 1) fail_msg("%s: %d %s findings", r->path, n, rule);
  return m;
}

static void expect_message(rl_engine *e, const char *path, const char *code, const char *rule, const char *want) {
  rl_file_result *r = scan(e, path, code);
  assert_non_null(r);
  const char *got = message_of(r, rule);
  if (strcmp(got, want) != 0) fail_msg("%s in %s:\ngot  '%s'\nwant '%s'", rule, path, got, want);
  rl_file_result_free(r);
}

static rl_engine *engine(double max_ttl) {
  rl_engine_config cfg = {0};
  cfg.jobs = 1;
  cfg.max_token_ttl = max_ttl;
  rl_engine *e = NULL;
  assert_int_equal(rl_engine_new(&e, &cfg), 0);
  return e;
}

static void rules_tokens__client_side_minting(void **state) {
  (void)state;
  rl_engine *e = engine(0);
  const char *jwt = "import jwt from 'jsonwebtoken';\nimport { useState } from 'react';\n"
                    "export const t = (r) => jwt.sign({ room_id: r }, import.meta.env.VITE_S, { expiresIn: '1h' });\n";
  expect_message(e, "src/components/Join.jsx", jwt, "client-side-token-minting",
                 "jsonwebtoken sign() mints a token in client code: the signing secret ships with the bundle");
  /* the same code on a server is what the guide asks for */
  expect_message(e, "server/token.js",
                 "const express = require('express');\nconst jwt = require('jsonwebtoken');\n"
                 "module.exports = (r) => jwt.sign({ room_id: r }, process.env.S, { expiresIn: '1h' });\n",
                 "client-side-token-minting", "");
  expect_message(e, "src/components/Join.jsx",
                 "import { AccessToken } from 'livekit-server-sdk';\nimport { Room } from 'livekit-client';\n"
                 "export const at = new AccessToken(k, s, { identity: 'u' });\n",
                 "client-side-token-minting",
                 "LiveKit new AccessToken() (livekit-server-sdk) mints a token in client code: the signing secret "
                 "ships with the bundle; tokend with PROVIDER=livekit mints it on a server");
  expect_message(e, "src/components/Join.jsx",
                 "import twilio from 'twilio';\nimport Video from 'twilio-video';\n"
                 "export const at = new twilio.jwt.AccessToken(a, k, s, { identity: 'u' });\n",
                 "client-side-token-minting",
                 "Twilio new AccessToken() mints a token in client code: the signing secret ships with the "
                 "bundle; tokend with PROVIDER=twilio mints it on a server");
  expect_message(
      e, "src/components/Join.jsx",
      "import { RtcTokenBuilder, RtcRole } from 'agora-token';\nimport AgoraRTC from 'agora-rtc-sdk-ng';\n"
      "export const t = RtcTokenBuilder.buildTokenWithUid(id, cert, ch, 0, RtcRole.PUBLISHER, 3600, 3600);\n",
      "client-side-token-minting",
      "Agora RtcTokenBuilder.buildTokenWithUid() (agora-token) mints a token in client code: the signing "
      "secret ships with the bundle; tokend with PROVIDER=agora mints it on a server");
  rl_engine_free(e);
}

static void rules_tokens__ttl_messages(void **state) {
  (void)state;
  rl_engine *e = engine(0);
  const char *thirty = "const jwt = require('jsonwebtoken');\n"
                       "module.exports = (c) => jwt.sign(c, process.env.S, { expiresIn: '30d' });\n";
  expect_message(e, "server/t.js", thirty, "token-ttl-too-long",
                 "expiresIn '30d' (30 days) is longer than the 24-hour limit");
  expect_message(e, "server/t.js",
                 "const jwt = require('jsonwebtoken');\nconst HOURS_36 = 36 * 3600;\n"
                 "module.exports = (c) => jwt.sign(c, process.env.S, { expiresIn: HOURS_36 });\n",
                 "token-ttl-too-long", "expiresIn HOURS_36 (36 hours) is longer than the 24-hour limit");
  /* exactly the limit passes */
  expect_message(
      e, "server/t.js",
      "const jwt = require('jsonwebtoken');\nmodule.exports = (c) => jwt.sign(c, k, { expiresIn: 86400 });\n",
      "token-ttl-too-long", "");
  /* a provider SDK's token: the message names the tokend provider that mints it with a capped lifetime */
  expect_message(
      e, "server/t.js",
      "const { AccessToken } = require('livekit-server-sdk');\n"
      "module.exports = (u) => new AccessToken(k, s, { identity: u, ttl: '48h' });\n",
      "token-ttl-too-long",
      "ttl '48h' (2 days) is longer than the 24-hour limit; tokend with PROVIDER=livekit caps it at 24 hours");
  /* test files never ship */
  expect_message(e, "server/__tests__/t.test.js", thirty, "token-ttl-too-long", "");
  rl_engine_free(e);

  e = engine(72 * 3600);
  expect_message(e, "server/t.js", thirty, "token-ttl-too-long",
                 "expiresIn '30d' (30 days) is longer than the 3-day limit");
  expect_message(
      e, "server/t.js",
      "const jwt = require('jsonwebtoken');\nmodule.exports = (c) => jwt.sign(c, k, { expiresIn: '48h' });\n",
      "token-ttl-too-long", "");
  rl_engine_free(e);
}

static void rules_tokens__without_expiry_messages(void **state) {
  (void)state;
  rl_engine *e = engine(0);
  expect_message(e, "server/t.js",
                 "const jwt = require('jsonwebtoken');\n"
                 "module.exports = () => jwt.sign({ access_key: k, type: 'management', version: 2 }, s);\n",
                 "token-without-expiry",
                 "jsonwebtoken sign() mints a management token with no expiresIn and no exp claim: it never expires");
  expect_message(
      e, "server/t.js",
      "const jwt = require('jsonwebtoken');\n"
      "function login(u) { const accessToken = jwt.sign({ sub: u.id }, s); return accessToken; }\n",
      "token-without-expiry",
      "jsonwebtoken sign() mints a token ('accessToken') with no expiresIn and no exp claim: it never expires");
  /* a signed preference cookie is not a token */
  expect_message(
      e, "server/t.js",
      "const jwt = require('jsonwebtoken');\nfunction prefs(u) { const prefs = jwt.sign({ theme: u.theme }, s); "
      "return prefs; }\n",
      "token-without-expiry", "");
  expect_message(
      e, "server/t.ts",
      "import { SignJWT } from 'jose';\n"
      "export const t = (r: string) => new SignJWT({ room_id: r }).setProtectedHeader({ alg: 'HS256' }).sign(k);\n",
      "token-without-expiry",
      "jose SignJWT.sign() mints a room token with no setExpirationTime() and no exp claim: it never expires");
  rl_engine_free(e);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(rules_tokens__client_side_minting),
      cmocka_unit_test(rules_tokens__ttl_messages),
      cmocka_unit_test(rules_tokens__without_expiry_messages),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
