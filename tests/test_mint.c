/* rules/mint.c: which calls mint a token, through imports and aliases, and
 * which near misses do not. */
#include "rltest.h"
#include "support/parsed.h"

#include <string.h>

#include "analysis.h"
#include "arena.h"
#include "mint.h"
#include "parse.h"
#include "source.h"

typedef struct seen {
  parsed *p;
  char buf[512]; /* "what|payload?|options?|mgmt;" per mint */
  int n;
} seen;

static void node_text(parsed *p, TSNode n, char *out, size_t cap) {
  if (ts_node_is_null(n)) {
    snprintf(out, cap, "-");
    return;
  }
  size_t len;
  const char *t = rl_js_text(p->jf, n, &len);
  snprintf(out, cap, "%.*s", (int)(len > 40 ? 40 : len), t);
}

static void collect(void *data, const rl_mint *m) {
  seen *s = data;
  char sec[64];
  node_text(s->p, m->secret, sec, sizeof sec);
  size_t l = strlen(s->buf);
  snprintf(s->buf + l, sizeof s->buf - l, "%s%s|%s|%s|%s%s", s->n ? ";" : "", m->what,
           ts_node_is_null(m->payload) ? "-" : "P", ts_node_is_null(m->options) ? "-" : "O", sec,
           m->is_management ? "|mgmt" : "");
  s->n++;
}

/* The mints in code, "what|P|O|secret[|mgmt]" joined by ';' ("" for none). */
static void expect_mints(const char *path, const char *code, const char *want) {
  parsed p;
  parse_js(&p, path, code);
  seen s;
  memset(&s, 0, sizeof s);
  s.p = &p;
  rl_mint_each(p.jf, rl_tree_root(p.tree), collect, &s);
  int any = rl_mint_any(p.jf, rl_tree_root(p.tree));
  parsed_free(&p);
  if (strcmp(s.buf, want) != 0) fail_msg("mints in:\n%s\ngot  '%s'\nwant '%s'", code, s.buf, want);
  if (any != (want[0] != '\0')) fail_msg("rl_mint_any disagrees for:\n%s", code);
}

static void mint__jsonwebtoken_imports(void **state) {
  (void)state;
  expect_mints("a.js", "import jwt from 'jsonwebtoken'; jwt.sign({ room_id: r }, secret, { expiresIn: '1h' });",
               "jsonwebtoken sign()|P|O|secret");
  expect_mints("a.ts", "import * as jwt from 'jsonwebtoken'; jwt.sign(payload, process.env.S);",
               "jsonwebtoken sign()|-|-|process.env.S");
  expect_mints("a.js", "import { sign as s } from 'jsonwebtoken'; s({ a: 1 }, k);", "jsonwebtoken sign()|P|-|k");
  expect_mints("a.js", "const jwt = require('jsonwebtoken'); const t = jwt.sign(p, k, opts);",
               "jsonwebtoken sign()|-|-|k");
  expect_mints("a.js", "const { sign } = require('jsonwebtoken'); sign({}, k, (e, t) => {});",
               "jsonwebtoken sign()|P|-|k");
  expect_mints("a.js", "const jwt = require('jsonwebtoken'); const s = jwt.sign; s({}, k);",
               "jsonwebtoken sign()|P|-|k");
  /* payload built in a variable first; management type */
  expect_mints("a.js",
               "import jwt from 'jsonwebtoken';\n"
               "const payload = { access_key: k, type: 'management', version: 2 };\n"
               "const o = { expiresIn: '24h' };\n"
               "jwt.sign(payload, secret, o);",
               "jsonwebtoken sign()|P|O|secret|mgmt");
}

static void mint__jsonwebtoken_near_misses(void **state) {
  (void)state;
  expect_mints("a.js", "import jwt from 'jsonwebtoken'; jwt.verify(t, k); jwt.decode(t);", "");
  expect_mints("a.js", "import { sign } from './crypto-utils'; sign(data);", "");
  expect_mints("a.js", "signer.sign(data); crypto.createSign('sha256').sign(key);", "");
  expect_mints("a.js", "fetch('/api/token').then(r => r.json());", "");
  /* jsonwebtoken's sign shadowed by a local function */
  expect_mints("a.js", "function sign(x) { return x; } sign({ room_id: 1 }, 'k');", "");
}

static void mint__jose(void **state) {
  (void)state;
  expect_mints("a.ts",
               "import { SignJWT } from 'jose';\n"
               "const t = await new SignJWT({ room_id: r, type: 'management' })\n"
               "  .setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('2h').sign(key);",
               "jose SignJWT.sign()|P|-|key|mgmt");
  expect_mints("a.ts", "import * as jose from 'jose'; await new jose.SignJWT(claims).sign(secret);",
               "jose SignJWT.sign()|-|-|secret");
  expect_mints("a.ts",
               "import { SignJWT } from 'jose';\n"
               "const builder = new SignJWT({ sub: u });\n"
               "const tok = await builder.setExpirationTime('1h').sign(k);",
               "jose SignJWT.sign()|P|-|k");
  /* jose's verify and another library's SignJWT */
  expect_mints("a.ts", "import { jwtVerify } from 'jose'; await jwtVerify(t, k);", "");
  expect_mints("a.ts", "import { SignJWT } from './my-jwt'; await new SignJWT({}).sign(k);", "");
}

static void mint__livekit_twilio(void **state) {
  (void)state;
  expect_mints("a.ts",
               "import { AccessToken } from 'livekit-server-sdk';\n"
               "const at = new AccessToken(apiKey, apiSecret, { identity: u, ttl: '10m' });\n"
               "at.addGrant({ roomJoin: true, room });\nreturn await at.toJwt();",
               "LiveKit new AccessToken()|-|O|apiSecret");
  expect_mints("a.js",
               "const twilio = require('twilio');\nconst AccessToken = twilio.jwt.AccessToken;\n"
               "const token = new AccessToken(sid, keySid, keySecret, { identity: u, ttl: 3600 });",
               "Twilio new AccessToken()|-|O|keySecret");
  expect_mints("a.js",
               "const AccessToken = require('twilio').jwt.AccessToken;\n"
               "const { VideoGrant } = AccessToken;\nconst t = new AccessToken(a, b, c);",
               "Twilio new AccessToken()|-|-|c");
  expect_mints("a.js", "import twilio from 'twilio'; new twilio.jwt.AccessToken(a, b, c, { identity });",
               "Twilio new AccessToken()|-|O|c");
  /* client SDKs and other classes called AccessToken */
  expect_mints("a.js", "import { Room } from 'livekit-client'; new Room();", "");
  expect_mints("a.js", "import { AccessToken } from './models'; new AccessToken('x');", "");
}

static void mint__livekit_token_expr(void **state) {
  (void)state;
  parsed p;
  parse_js(&p, "a.ts",
           "import { AccessToken } from 'livekit-server-sdk';\n"
           "const at = new AccessToken(k, s, { identity: u });\n"
           "const jwt = await at.toJwt();\n"
           "console.log(jwt, other);");
  TSNode root = rl_tree_root(p.tree);
  /* find the console.log call's arguments */
  uint32_t nc = ts_node_named_child_count(root);
  TSNode last = ts_node_named_child(root, nc - 1);
  TSNode call = ts_node_named_child(last, 0);
  TSNode a0 = rl_js_call_arg(call, 0), a1 = rl_js_call_arg(call, 1);
  rl_mint m;
  assert_true(rl_mint_token_expr(p.jf, a0, &m));
  assert_int_equal(m.kind, RL_MINT_LIVEKIT);
  assert_false(rl_mint_token_expr(p.jf, a1, &m));
  assert_int_equal(m.kind, RL_MINT_NONE);
  parsed_free(&p);
}

static void mint__agora(void **state) {
  (void)state;
  expect_mints("a.js",
               "const { RtcTokenBuilder, RtcRole } = require('agora-access-token');\n"
               "const t = RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, ch, uid, RtcRole.PUBLISHER, exp);",
               "Agora RtcTokenBuilder.buildTokenWithUid()|-|-|appCertificate");
  expect_mints("a.ts",
               "import { RtmTokenBuilder } from 'agora-token';\nRtmTokenBuilder.buildToken(appId, cert, user, 3600);",
               "Agora RtmTokenBuilder.buildToken()|-|-|cert");
  expect_mints("a.ts",
               "import pkg from 'agora-token'; const { RtcTokenBuilder } = pkg;\n"
               "RtcTokenBuilder.buildTokenWithUserAccount(a, c, ch, acc, 1, 600, 600);",
               "Agora RtcTokenBuilder.buildTokenWithUserAccount()|-|-|c");
  /* role enums and the RTC client SDK are not mints */
  expect_mints("a.ts", "import { RtcRole } from 'agora-token'; const r = RtcRole.PUBLISHER;", "");
  expect_mints("a.ts", "import AgoraRTC from 'agora-rtc-sdk-ng'; AgoraRTC.createClient({ mode: 'rtc' });", "");
}

static void mint__opentok_hms(void **state) {
  (void)state;
  expect_mints("a.js",
               "const OpenTok = require('opentok');\nconst opentok = new OpenTok(apiKey, apiSecret);\n"
               "const token = opentok.generateToken(sessionId, { role: 'publisher', expireTime: e });",
               "OpenTok generateToken()|-|O|apiSecret");
  expect_mints("a.js", "const x = other.generateToken(s);", "");
  expect_mints("a.ts",
               "import { HMSSDK } from '@100mslive/server-sdk';\nconst hms = new HMSSDK(accessKey, secret);\n"
               "const t = await hms.auth.getAuthToken({ roomId, role, userId });\n"
               "const m = await hms.auth.getManagementToken();",
               "100ms getAuthToken()|P|O|secret;100ms getManagementToken()|-|-|secret|mgmt");
  expect_mints("a.ts",
               "import HMS from '@100mslive/server-sdk';\nconst sdk = new HMS.SDK();\n"
               "await sdk.auth.getAuthToken(cfg);",
               "100ms getAuthToken()|-|-|-");
  /* the 100ms client SDK has no getAuthToken on auth; an unknown object's auth */
  expect_mints("a.ts", "await api.auth.getAuthToken({ roomCode });", "");
  expect_mints("a.ts",
               "import { HMSReactiveStore } from '@100mslive/hms-video-store';\n"
               "const hms = new HMSReactiveStore();\nawait hms.getAuthTokenByRoomCode({ roomCode });",
               "");
}

typedef struct life_seen {
  char buf[256];
  rl_jsfile *jf;
} life_seen;

static void life_collect(void *data, const rl_mint *m) {
  life_seen *s = data;
  rl_lifetime l;
  rl_mint_lifetime(s->jf, m, &l);
  static const char *const states[] = {"unknown", "none", "default", "set"};
  size_t n = strlen(s->buf);
  if (l.state == RL_LIFE_SET && l.known)
    snprintf(s->buf + n, sizeof s->buf - n, "%s%s %s=%g%s%s", n ? ";" : "", states[l.state], l.how, l.seconds,
             l.timestamp_as_seconds ? "!" : "", l.ms_divisor > 0 ? " ms" : "");
  else if (l.state == RL_LIFE_SET)
    snprintf(s->buf + n, sizeof s->buf - n, "%s%s %s=?", n ? ";" : "", states[l.state], l.how);
  else
    snprintf(s->buf + n, sizeof s->buf - n, "%s%s", n ? ";" : "", states[l.state]);
}

/* The lifetime of every mint in code: "set expiresIn=2592000", "none", ... */
static void expect_life(const char *code, const char *want) {
  parsed p;
  parse_js(&p, "server/a.ts", code);
  life_seen s;
  memset(&s, 0, sizeof s);
  s.jf = p.jf;
  rl_mint_each(p.jf, rl_tree_root(p.tree), life_collect, &s);
  parsed_free(&p);
  if (strcmp(s.buf, want) != 0) fail_msg("lifetime in:\n%s\ngot  '%s'\nwant '%s'", code, s.buf, want);
}

static void mint__lifetime_jsonwebtoken(void **state) {
  (void)state;
  const char *imp = "import jwt from 'jsonwebtoken';\n";
  char code[1024];
#define LIFE(body, want)                                                                                               \
  do {                                                                                                                 \
    snprintf(code, sizeof code, "%s%s", imp, body);                                                                    \
    expect_life(code, want);                                                                                           \
  } while (0)
  LIFE("jwt.sign(p0, k, { expiresIn: '30d' });", "set expiresIn=2.592e+06");
  LIFE("const THIRTY_DAYS = 60 * 60 * 24 * 30; jwt.sign({ a: 1 }, k, { expiresIn: THIRTY_DAYS });",
       "set expiresIn=2.592e+06");
  LIFE("jwt.sign({ a: 1 }, k, { expiresIn: '86400000' });", "set expiresIn=86400");
  LIFE("jwt.sign({ a: 1 }, k, { expiresIn: process.env.TTL });", "set expiresIn=?");
  LIFE("jwt.sign({ a: 1, exp: Math.floor(Date.now() / 1000) + 60 * 60 * 24 * 30 }, k);", "set exp claim=2.592e+06");
  LIFE("const now = Math.floor(Date.now() / 1000); jwt.sign({ iat: now, exp: now + 3600 }, k);", "set exp claim=3600");
  LIFE("jwt.sign({ exp: Math.floor((Date.now() + 7 * 86400000) / 1000) }, k);", "set exp claim=604800");
  LIFE("function f(iat) { return jwt.sign({ iat, exp: iat + 7200 }, k); }", "set exp claim=7200");
  /* milliseconds where seconds since 1970 belong: known, and said so */
  LIFE("jwt.sign({ exp: Date.now() + 3600 }, k);", "set exp claim=3600 ms");
  LIFE("jwt.sign({ room_id: r }, k);", "none");
  LIFE("jwt.sign({ room_id: r }, k, { algorithm: 'HS256' });", "none");
  LIFE("const payload = { room_id: r }; jwt.sign(payload, k);", "none");
  LIFE("const payload = { room_id: r }; payload.exp = later; jwt.sign(payload, k);", "unknown");
  LIFE("jwt.sign({ room_id: r }, k, opts);", "unknown");
  LIFE("jwt.sign({ room_id: r }, k, { ...opts });", "unknown");
  LIFE("jwt.sign({ ...claims }, k);", "unknown");
  LIFE("jwt.sign(makeClaims(), k);", "unknown");
  /* a name bound in several functions: the nearest declaration, unless changed there */
  LIFE("function a() { const payload = { room_id: r }; return jwt.sign(payload, k); }\n"
       "function b() { const payload = { room_id: r }; payload.exp = later; return jwt.sign(payload, k); }\n"
       "function c() { const payload = { room_id: r }; Object.assign(payload, extra); return jwt.sign(payload, k); }\n"
       "function d() { let payload = { room_id: r, exp: now + 60 }; return jwt.sign(payload, k); }",
       "none;unknown;unknown;set exp claim=60");
  /* a string payload: JSON.stringify(claims) carries an exp only among the claims */
  LIFE("jwt.sign('room-a', k);", "none");
  LIFE("jwt.sign(JSON.stringify({ room_id: r, expires: later }), k);", "none");
  LIFE("const c = { room_id: r }; jwt.sign(JSON.stringify(c), k, (err, t) => done(t));", "none");
  LIFE("jwt.sign(JSON.stringify({ room_id: r, exp: Math.floor(Date.now() / 1000) + 60 }), k);", "set exp claim=60");
  LIFE("jwt.sign(JSON.stringify(body.claims), k);", "unknown");
  LIFE("jwt.sign(JSON.stringify({ ...claims }), k);", "unknown");
  /* the callback form: options before the callback, or none */
  LIFE("jwt.sign({ room_id: r }, k, { expiresIn: 60 }, (err, t) => done(t));", "set expiresIn=60");
  LIFE("jwt.sign({ room_id: r }, k, function (err, t) { done(t); });", "none");
#undef LIFE
}

static void mint__lifetime_others(void **state) {
  (void)state;
  expect_life(
      "import { SignJWT } from 'jose';\nawait new SignJWT({ a: 1 }).setIssuedAt().setExpirationTime('7d').sign(k);",
      "set setExpirationTime()=604800");
  expect_life("import { SignJWT } from 'jose';\n"
              "await new SignJWT({ a: 1 }).setExpirationTime(Math.floor(Date.now() / 1000) + 7200).sign(k);",
              "set setExpirationTime()=7200");
  expect_life("import { SignJWT } from 'jose';\nawait new SignJWT({ a: 1 }).setExpirationTime(1700000000).sign(k);",
              "set setExpirationTime()=?");
  expect_life("import { SignJWT } from 'jose';\nawait new SignJWT({ a: 1 }).setProtectedHeader({ alg }).sign(k);",
              "none");
  expect_life("import { SignJWT } from 'jose';\nconst b = new SignJWT({ a: 1 });\nb.setExpirationTime('2h');\n"
              "await b.sign(k);",
              "set setExpirationTime()=7200");
  /* the chain continued from a variable (livekit-server-sdk's own toJwt) */
  expect_life("import * as jose from 'jose';\n"
              "class T { async toJwt() {\n"
              "  const jwt = new jose.SignJWT(claims(this.grants)).setProtectedHeader({ alg: 'HS256' })\n"
              "    .setIssuer(this.apiKey).setExpirationTime(this.ttl).setNotBefore(new Date());\n"
              "  return jwt.sign(secret); } }",
              "set setExpirationTime()=?");
  expect_life("import * as jose from 'jose';\n"
              "const jwt = new jose.SignJWT({ room: r }).setProtectedHeader({ alg: 'HS256' });\n"
              "await jwt.sign(secret);",
              "none");
  expect_life("import { AccessToken } from 'livekit-server-sdk';\nnew AccessToken(k, s, { identity: u, ttl: '30d' });",
              "set ttl=2.592e+06");
  expect_life("import { AccessToken } from 'livekit-server-sdk';\nconst at = new AccessToken(k, s, { identity: u });\n"
              "at.ttl = 3600;",
              "set ttl=3600");
  expect_life("import { AccessToken } from 'livekit-server-sdk';\nnew AccessToken(k, s, { identity: u });", "default");
  expect_life("import twilio from 'twilio';\nnew twilio.jwt.AccessToken(a, b, c, { identity: u, ttl: 86400 * 7 });",
              "set ttl=604800");
  expect_life("const OpenTok = require('opentok'); const ot = new OpenTok(k, s);\n"
              "ot.generateToken(sid, { expireTime: new Date().getTime() / 1000 + 30 * 24 * 3600 });",
              "set expireTime=2.592e+06");
  expect_life("import { HMSSDK } from '@100mslive/server-sdk'; const h = new HMSSDK();\n"
              "h.auth.getAuthToken({ roomId, role, validForSeconds: 172800 }); h.auth.getManagementToken();",
              "set validForSeconds=172800;default");
  expect_life("const { RtcTokenBuilder } = require('agora-access-token');\n"
              "const ts = Math.floor(Date.now() / 1000);\n"
              "RtcTokenBuilder.buildTokenWithUid(a, c, ch, 0, role, ts + 3600);",
              "set privilegeExpiredTs=3600");
  expect_life("import { RtcTokenBuilder } from 'agora-token';\n"
              "RtcTokenBuilder.buildTokenWithUid(a, c, ch, 0, role, 3600, 7 * 86400);",
              "set tokenExpire=3600");
  expect_life("import { RtcTokenBuilder } from 'agora-token';\n"
              "RtcTokenBuilder.buildTokenWithUid(a, c, ch, 0, role, 7 * 86400, 3600);",
              "set tokenExpire=604800");
  expect_life("import { RtcTokenBuilder } from 'agora-token';\n"
              "RtcTokenBuilder.buildTokenWithUid(a, c, ch, 0, role, Math.floor(Date.now() / 1000) + 600, 600);",
              "set tokenExpire=600!");
  expect_life("const OpenTok = require('opentok'); const ot = new OpenTok(k, s);\n"
              "ot.generateToken(sid, { expireTime: new Date().getTime() / 60 + 3600 });",
              "set expireTime=3600 ms");
  expect_life("import { RtmTokenBuilder } from 'agora-token';\nRtmTokenBuilder.buildToken(a, c, u, EXPIRE);",
              "set expire=?");
}

static void mint__deno_and_cdn_imports(void **state) {
  (void)state;
  expect_mints("supabase/functions/t/index.ts",
               "import { AccessToken } from 'npm:livekit-server-sdk@2.6.0';\nnew AccessToken(k, s, { identity: u });",
               "LiveKit new AccessToken()|-|O|s");
  expect_mints("supabase/functions/t/index.ts",
               "import * as jose from 'https://deno.land/x/jose@v4.14.4/index.ts';\n"
               "await new jose.SignJWT({ room_id: r }).sign(key);",
               "jose SignJWT.sign()|P|-|key");
  expect_mints("a.ts", "import jwt from 'https://esm.sh/jsonwebtoken@9.0.2?target=deno'; jwt.sign({}, k);",
               "jsonwebtoken sign()|P|-|k");
  expect_mints("a.ts",
               "import { HMSSDK } from 'npm:@100mslive/server-sdk@0.3.0';\n"
               "const h = new HMSSDK(); h.auth.getManagementToken();",
               "100ms getManagementToken()|-|-|-|mgmt");
  /* a different package whose name starts the same */
  expect_mints("a.ts", "import jwt from 'npm:jsonwebtoken-lite'; jwt.sign({}, k);", "");
}

static void mint__instances(void **state) {
  (void)state;
  /* the same name bound in two methods; a class field; a constructor assignment */
  expect_mints("a.ts",
               "import { HMSSDK } from '@100mslive/server-sdk';\n"
               "class S {\n"
               "  private readonly hms = new HMSSDK(k, s1);\n"
               "  a() { const sdk = new HMSSDK(k, s2); return sdk.auth.getAuthToken({ roomId }); }\n"
               "  b() { const sdk = new HMSSDK(k, s3); return sdk.auth.getAuthToken({ roomId }); }\n"
               "  c() { return this.hms.auth.getManagementToken(); }\n"
               "}",
               "100ms getAuthToken()|P|O|s2;100ms getAuthToken()|P|O|s3;100ms getManagementToken()|-|-|s1|mgmt");
  expect_mints("a.js",
               "const OpenTok = require('opentok');\n"
               "class V { constructor() { this.ot = new OpenTok(k, sec); }\n"
               "  token(id) { return this.ot.generateToken(id); } }",
               "OpenTok generateToken()|-|-|sec");
  /* let-bound and reassigned: the nearest declaration decides, nothing else */
  expect_mints(
      "a.js",
      "const OpenTok = require('opentok');\nfunction f() { let ot = makeClient(); return ot.generateToken(id); }\n"
      "function g() { let ot = 1; }",
      "");
}

/* JWTs signed by hand: an HMAC over base64url(header) + '.' + base64url(claims). */
static void mint__hand_signed_jwt(void **state) {
  (void)state;
  const char *b64 = "const b64 = (s) => btoa(s).replace(/=+$/, '');\n";
  char code[1024];
#define HAND(body, want)                                                                                               \
  do {                                                                                                                 \
    snprintf(code, sizeof code, "%s%s", b64, body);                                                                    \
    expect_mints("a.js", code, want);                                                                                  \
  } while (0)
  /* CryptoJS, through names and var reassignment */
  HAND("var h = b64(JSON.stringify({ alg: 'HS256' })); var d = b64(JSON.stringify({ type: 'management' }));\n"
       "var t = h + '.' + d; var sig = CryptoJS.HmacSHA256(t, APP_SECRET);",
       "CryptoJS.HmacSHA256() signing a JWT by hand|P|-|APP_SECRET|mgmt");
  /* createHmac + update, a template, Buffer base64url */
  HAND("const crypto = require('crypto');\n"
       "const enc = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');\n"
       "const claims = { room_id: r };\n"
       "crypto.createHmac('sha256', process.env.S).update(`${enc({ alg: 'HS256' })}.${enc(claims)}`).digest();",
       "crypto.createHmac() signing a JWT by hand|P|-|process.env.S");
  /* WebCrypto: the secret is the raw key bytes of importKey */
  HAND("async function f(s) { const e = new TextEncoder();\n"
       "  const key = await crypto.subtle.importKey('raw', e.encode(s), { name: 'HMAC' }, false, ['sign']);\n"
       "  const m = [b64(JSON.stringify({ alg: 'HS256' })), b64(JSON.stringify({ a: 1 }))].join('.');\n"
       "  return crypto.subtle.sign('HMAC', key, e.encode(m)); }",
       "crypto.subtle.sign() signing a JWT by hand|P|-|e.encode(s)");
  /* the algorithm as an object, on window.crypto */
  HAND(
      "window.crypto.subtle.sign({ name: 'HMAC' }, k, new TextEncoder().encode(`${b64(JSON.stringify({ alg: 'HS256' }))}.${b64(JSON.stringify({ role: 'host' }))}`));",
      "crypto.subtle.sign() signing a JWT by hand|P|-|k");
  HAND(
      "crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, k, enc(`${b64(JSON.stringify({ alg: 'ES256' }))}.${p}`));",
      "");
  /* claims of unknown make after a JOSE header */
  HAND("function f(p, k) { return CryptoJS.HmacSHA256(b64(JSON.stringify({ alg: 'HS256' })) + '.' + b64(p), k); }",
       "CryptoJS.HmacSHA256() signing a JWT by hand|-|-|k");
  /* near misses: no '.'-join, no base64 JSON, a cookie, a verifier, a checksum */
  HAND("CryptoJS.HmacSHA256(body, k);", "");
  HAND("CryptoJS.HmacSHA256(`${ts}.${JSON.stringify(body)}`, k);", "");
  HAND("CryptoJS.HmacSHA256(b64(JSON.stringify({ uid: 1 })) + '.' + expires, k);", "");
  HAND("const [h, p, s] = token.split('.'); CryptoJS.HmacSHA256(h + '.' + p, k).toString() === s;", "");
  HAND("const sig = CryptoJS.HmacSHA256(b64(JSON.stringify({ alg: 'HS256' })) + '.' + b64(JSON.stringify(c)), k);\n"
       "if (sig.toString() !== given) throw new Error('bad');",
       "");
  HAND("btoa(JSON.stringify({ a: 1 })) + '.' + btoa(JSON.stringify({ b: 2 }));", "");
#undef HAND
}

static void mint__hand_signed_lifetime(void **state) {
  (void)state;
  expect_life("const e = (o) => btoa(JSON.stringify(o));\nconst now = Math.floor(Date.now() / 1000);\n"
              "CryptoJS.HmacSHA256(e({ alg: 'HS256' }) + '.' + e({ exp: now + 3600 }), k);",
              "set exp claim=3600");
  expect_life("const e = (o) => btoa(JSON.stringify(o));\n"
              "CryptoJS.HmacSHA256(e({ alg: 'HS256' }) + '.' + e({ type: 'management' }), k);",
              "none");
  expect_life("const e = (o) => btoa(JSON.stringify(o));\nfunction f(c) {\n"
              "CryptoJS.HmacSHA256(e({ alg: 'HS256' }) + '.' + e(c), k); }",
              "unknown");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(mint__jsonwebtoken_imports),
      cmocka_unit_test(mint__jsonwebtoken_near_misses),
      cmocka_unit_test(mint__jose),
      cmocka_unit_test(mint__livekit_twilio),
      cmocka_unit_test(mint__livekit_token_expr),
      cmocka_unit_test(mint__agora),
      cmocka_unit_test(mint__opentok_hms),
      cmocka_unit_test(mint__lifetime_jsonwebtoken),
      cmocka_unit_test(mint__lifetime_others),
      cmocka_unit_test(mint__deno_and_cdn_imports),
      cmocka_unit_test(mint__instances),
      cmocka_unit_test(mint__hand_signed_jwt),
      cmocka_unit_test(mint__hand_signed_lifetime),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
