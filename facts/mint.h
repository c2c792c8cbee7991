#ifndef RL_MINT_H
#define RL_MINT_H
/* Recognises code that mints (signs) an access token, for the rules that care
 * where tokens are made: client-side-token-minting, token-ttl-too-long,
 * token-without-expiry, secret-in-response, secret-logged,
 * unauthenticated-room-route...
 *
 * A "mint site" is the one call or `new` that holds the signing secret:
 *
 *   jsonwebtoken   jwt.sign(payload, secret, options)           the call
 *                  (default, namespace, named imports, require, destructuring,
 *                  const aliases: anything rl_js_callee resolves to
 *                  "jsonwebtoken:sign")
 *   jose           new SignJWT(payload)...setExpirationTime(x).sign(key)
 *                  the final .sign() call; the chain may start from a const
 *                  bound to `new SignJWT(...)`                  m->ctor = the new
 *   livekit        new AccessToken(apiKey, apiSecret, { identity, ttl })
 *                  the `new` (it holds secret and options; .toJwt() only
 *                  serialises; see rl_mint_token_expr)
 *   twilio         new AccessToken(accountSid, apiKey, apiSecret, { identity, ttl })
 *                  twilio.jwt.AccessToken, require('twilio').jwt.AccessToken,
 *                  require('twilio').AccessToken (twilio-node 2.x),
 *                  require('twilio/lib/jwt/AccessToken')        the `new`
 *   agora          RtcTokenBuilder.buildTokenWithUid / buildTokenWithAccount /
 *                  buildTokenWithUserAccount / buildTokenWithRtm... and
 *                  RtmTokenBuilder.buildToken (any <X>TokenBuilder.build*)
 *                  from agora-token or agora-access-token, or from a copy
 *                  of Agora's builder source in the project (a relative
 *                  module named RtcTokenBuilder*, RtmTokenBuilder*,
 *                  ChatTokenBuilder*; package RL_MINT_AGORA_COPY, its
 *                  lifetime unknown: which version was copied decides) the call
 *   opentok        ot.generateToken(sessionId, { role, expireTime }) where ot
 *                  is `new OpenTok(key, secret)` from 'opentok' (directly or a
 *                  const bound to it)                           the call
 *   djwt           create(header, payload, key) from djwt (deno.land/x/djwt,
 *                  jsr:@zaubrik/djwt)                           the call
 *   100ms          sdk.auth.getAuthToken({ roomId, role, userId, validForSeconds })
 *                  sdk.auth.getManagementToken({ validForSeconds }) where sdk
 *                  is `new HMSSDK(...)` / `new HMS.SDK(...)` from
 *                  @100mslive/server-sdk (directly or via a const)  the call
 *   by hand        CryptoJS.Hmac*(msg, key), crypto.createHmac(alg, key).update(msg),
 *                  crypto.subtle.sign('HMAC', key, bytes(msg)) -- the HMAC APIs
 *                  of the key table (rl_key_hmac) -- where msg is a JWT's
 *                  signing input: X + '.' + Y, `${X}.${Y}` or [X, Y].join('.')
 *                  (through names and text-to-bytes calls), X base64 of JSON
 *                  (btoa, Buffer..toString('base64'|'base64url'),
 *                  CryptoJS.enc.Base64.stringify, a callee named base64/b64, a
 *                  helper of the file doing one of those) or an 'eyJ' literal,
 *                  and Y base64 of JSON too unless X is a JOSE header
 *                  (alg/typ). The claims are Y's JSON.stringify'd object; the
 *                  secret is the key, or the raw bytes of the importKey a
 *                  CryptoKey comes from. Also the call of a helper of the file
 *                  that HMACs its parameters (hmacSHA256(message, secret))
 *                  when handed such a msg. An HMAC whose result is compared
 *                  (===, timingSafeEqual, *verify*) verifies: no mint. The
 *                  token is the '.'-join whose last part derives from the
 *                  HMAC (rl_mint_token_expr)                      the call
 *
 * Instances (the OpenTok/100ms client object, the jose builder, the LiveKit or
 * Twilio AccessToken behind .toJwt()) are followed through a `const` the file
 * binds once (rl_js_const_init); when the name is bound several times (a
 * `const sdk = new HMSSDK()` in each method), through its declaration in the
 * nearest enclosing block; and `this.x` through a class field `x = new ...`
 * or a `this.x = new ...` in the class's methods. A jose chain may continue
 * from such a variable (`const jwt = new SignJWT(c).setIssuer(i); jwt.sign(k)`).
 * Module specifiers are normalised first: 'npm:jose@5', 'https://esm.sh/jose@5',
 * 'https://deno.land/x/jose@v4.14.4/index.ts' are all 'jose'.
 * Claims and options objects (payload, options below) come from
 * rl_js_object_of, or from the nearest declaration when the name is bound
 * several times, provided nothing in that block changes the object
 * (x.k = v, x[k] = v, delete x.k, Object.assign(x, ...), x = v).
 * A method called `sign` on an unknown object, a `sign` imported from a
 * local module, jwt.verify/decode, an HMAC over a body, a checksum or
 * "<base64 json>.<expiry>": not mints. */
#include <tree_sitter/api.h>

#include "analysis.h"
#include "prefilter.h"

/* m->package of an Agora builder copied into the project. */
#define RL_MINT_AGORA_COPY "Agora's token builder (a copy in the project)"

typedef enum rl_mint_kind {
  RL_MINT_NONE = 0,
  RL_MINT_JSONWEBTOKEN,
  RL_MINT_JOSE,
  RL_MINT_LIVEKIT,
  RL_MINT_TWILIO,
  RL_MINT_AGORA,
  RL_MINT_OPENTOK,
  RL_MINT_HMS_SDK,
  RL_MINT_HMAC_JWT,
  RL_MINT_DJWT,
  RL_MINT_DAILY_REST /* rl_mint_rest_match only: never among rl_mint_each's sites */
} rl_mint_kind;

typedef struct rl_mint {
  rl_mint_kind kind;
  const char *what;    /* for messages: "jsonwebtoken sign()", "jose SignJWT.sign()",
                          "LiveKit new AccessToken()", "Twilio new AccessToken()",
                          "Agora RtcTokenBuilder.buildTokenWithUid()",
                          "OpenTok generateToken()", "100ms getAuthToken()",
                          "CryptoJS.HmacSHA256() signing a JWT by hand",
                          "crypto.subtle.sign() in hmacSHA256() signing a JWT by hand" */
  const char *package; /* "jsonwebtoken", "jose", "livekit-server-sdk", "twilio",
                          "agora-token" / "agora-access-token", "opentok",
                          "@100mslive/server-sdk"; by hand: the HMAC API
                          ("CryptoJS.HmacSHA256", "crypto.createHmac") */
  TSNode call;         /* the mint site: call_expression or new_expression */
  TSNode ctor;         /* jose: the `new SignJWT(...)`; opentok/100ms: the
                          `new OpenTok(...)` / `new HMSSDK(...)` if found; else null */
  TSNode payload_arg;  /* the claims argument as written (jsonwebtoken arg 0,
                          jose SignJWT arg 0, 100ms config arg 0; by hand: the
                          claims' JSON.stringify argument); else null */
  TSNode payload;      /* that argument as an object literal when it is one or a
                          const/let bound to one (see above); else null */
  TSNode options_arg;  /* jsonwebtoken arg 2, LiveKit arg 2, Twilio arg 3,
                          OpenTok arg 1; else null */
  TSNode options;      /* options_arg as an object literal (see above), else null */
  TSNode secret;       /* the signing-key argument if the site has one
                          (jsonwebtoken arg 1, jose sign arg 0, LiveKit ctor arg 1,
                          Twilio ctor arg 2, Agora arg 1, OpenTok/100ms ctor
                          arg 1); else null */
  int is_management;   /* a 100ms management token: payload `type: 'management'`
                          (known string) or getManagementToken() */
} rl_mint;

/* rl_js_callee with the module part normalised the way Deno and CDN imports
 * write it ('npm:jose@5', 'https://esm.sh/jose@5', 'https://deno.land/x/djwt@v2.8/mod.ts'
 * name the packages jose and djwt). Arena string or NULL; facts/keys.c asks it too. */
const char *rl_mint_callee(rl_jsfile *jf, TSNode call);

/* 1 if `call` (a call_expression or new_expression; wrappers such as await and
 * parentheses are looked through) is a mint site; fills *out. 0 otherwise
 * (*out then has kind RL_MINT_NONE). */
int rl_mint_match(rl_jsfile *jf, TSNode call, rl_mint *out);

/* The `new` an instance value is made by: v itself, or a ternary's `new`
 * (both sides the same class, or one side a `new` and the other anything
 * else: `isProd ? new OpenTok(k, s) : new OpenTok(dk, ds)`); null otherwise. */
TSNode rl_mint_instance_new(rl_jsfile *jf, TSNode v);

/* 1 if m is a jsonwebtoken sign() whose payload is a string: a literal, a
 * template, or JSON.stringify(claims) (then m->payload is the claims object).
 * jsonwebtoken adds no exp to a string and refuses expiresIn for one. */
int rl_mint_string_payload(rl_jsfile *jf, const rl_mint *m);

/* The tokend PROVIDER setting that mints this kind of token on a server ("livekit", "twilio",
 * "agora"), for the fix in a message; NULL when the mint site does not name its provider
 * (jsonwebtoken, jose) or tokend has no such provider. Static. */
const char *rl_mint_tokend_provider(const rl_mint *m);

/* 1 for a JWT library's or a hand-signed JWT's mint (jsonwebtoken, jose,
 * djwt, an HMAC over header.payload): no provider's token by itself, a room
 * token only by its claims or the route it serves. */
int rl_mint_is_generic_jwt(const rl_mint *m);

/* Prefilter for rules built on mint sites: every mint site is resolved from
 * an import or require of one of the mint packages (jsonwebtoken, jose,
 * livekit-server-sdk, twilio, agora-token, agora-access-token, opentok,
 * @100mslive/server-sdk), so a file that names none of them as a module
 * specifier (rl_pf_module) has none, unless it names an HMAC API (a JWT
 * signed by hand). The needles are the same packages as plain literals and
 * "Hmac"/"HMAC"/"crypto-js", the cheap first stage. */
extern const char *const rl_mint_needles[];
int rl_mint_possible(rl_prefilter *pf);
/* The part of it for JWTs signed by hand: every HMAC API the key table
 * knows says Hmac or a quoted 'HMAC' (createHmac, CryptoJS.HmacSHA256,
 * subtle.sign('HMAC'); not AES_CM_128_HMAC_SHA1_80 in an SDP comment)
 * or is imported from crypto-js ('crypto-js/hmac-sha256'); the header and
 * claims are JSON.stringify'd (or the header is an 'eyJ' literal) within
 * 8 KiB of such a name, and base64-encoded (base64, b64, btoa in some case). */
int rl_mint_hand_possible(rl_prefilter *pf);

/* Calls cb for every mint site in subtree, in document order (iterative). */
typedef void (*rl_mint_cb)(void *data, const rl_mint *m);
void rl_mint_each(rl_jsfile *jf, TSNode subtree, rl_mint_cb cb, void *data);

/* 1 if subtree contains a mint site (stops at the first). */
int rl_mint_any(rl_jsfile *jf, TSNode subtree);

/* 1 if expr evaluates to a freshly minted token string (or a promise of
 * one): a mint site that returns the token (jsonwebtoken sign, jose chain,
 * Agora build*, OpenTok generateToken, 100ms get*Token), or `x.toJwt()` where
 * x is a LiveKit/Twilio AccessToken (`new` directly, or an instance as
 * above), or an identifier bound by const to any of those, or the token
 * parameter of jsonwebtoken's callback (`jwt.sign(p, k, opts, (err, token)
 * => res.json({ token }))`). await and parentheses are looked through. Fills
 * *out with the mint site. */
int rl_mint_token_expr(rl_jsfile *jf, TSNode expr, rl_mint *out);

/* ---- tokens minted by a provider's REST API ---------------------------------------
 * A request that asks the provider to mint a join token: Daily's POST
 * /v1/meeting-tokens (the `mints` line of privileged.c's table, the URL as
 * rl_request_parse reads it, `??`/`||` fallbacks included). Kind
 * RL_MINT_DAILY_REST; call = the request; options_arg/options = what it
 * sends (rl_request_body) and that as an object literal; payload_arg/payload
 * = its `properties` (the token's claims: exp, room_name, is_owner...).
 * These are not rl_mint_each's sites: the call returns a Response, not a
 * token, and its route, client and input findings come from the same table
 * through rl_priv_call. Only the rules that judge a token's lifetime ask for
 * them, with rl_mint_rest_each. */
int rl_mint_rest_match(rl_jsfile *jf, TSNode call, rl_mint *out);
void rl_mint_rest_each(rl_jsfile *jf, TSNode subtree, rl_mint_cb cb, void *data);
/* Prefilter: the bytes name Daily's host and its meeting-tokens path. */
int rl_mint_rest_possible(rl_prefilter *pf);

/* ---- lifetimes ---------------------------------------------------------------- */

typedef enum rl_life_state {
  RL_LIFE_UNKNOWN = 0, /* cannot tell: options or claims not a literal, spreads,
                          objects changed after their literal */
  RL_LIFE_NONE,        /* certainly no expiry (jsonwebtoken, jose, djwt, JWTs by hand) */
  RL_LIFE_DEFAULT,     /* not set, and the SDK applies a short default: LiveKit
                          6 h, Twilio 1 h, OpenTok 24 h, 100ms 24 h; Agora
                          always takes explicit arguments */
  RL_LIFE_SET          /* set; `known` says whether the value was folded */
} rl_life_state;

typedef struct rl_lifetime {
  rl_life_state state;
  const char *how; /* "expiresIn", "exp claim", "setExpirationTime()", "ttl",
                      "validForSeconds", "expireTime", "privilegeExpiredTs",
                      "tokenExpire", "privilegeExpire", "expire" */
  TSNode where;    /* the value expression (RL_LIFE_SET) */
  int known;       /* seconds is the lifetime counted from minting */
  double seconds;
  int timestamp_as_seconds; /* agora-token given `now + N` where it expects
                               seconds from now: the token lives for decades;
                               seconds is then N */
  /* agora-token: a privilegeExpire argument given `now + N` (a timestamp)
   * where seconds from now belong. The token still expires after its own
   * tokenExpire (the lifetime above); the privileges it grants in the channel
   * last for decades. Null node when none; privilege_seconds is N. */
  TSNode privilege_where;
  double privilege_seconds;
  /* an absolute expiry in seconds since 1970 built from milliseconds:
   * Date.now() + N (ms_divisor 1) or getTime() / 60 + N (ms_divisor 60, any
   * constant below 100); seconds is then N. 0 otherwise. */
  double ms_divisor;
} rl_lifetime;

/* How long the token minted at m lives. Relative values are read the way each
 * library reads them (jsonwebtoken: number = seconds, '7d' strings, a bare
 * digit string = milliseconds; LiveKit ttl: seconds or '1h'; Twilio ttl and
 * 100ms validForSeconds: seconds). Absolute ones (an exp claim, jose's numeric
 * setExpirationTime, OpenTok expireTime, agora-access-token's
 * privilegeExpiredTs) are known only in the form now + N, where now is
 * Date.now() (in ms, divided by 1000), new Date().getTime(), an identifier or
 * property named now/iat/issuedAt/currentTime..., or a const bound to those;
 * Math.floor/round/ceil/trunc are looked through; djwt's exp claim is read
 * through getNumericDate(n), n seconds from now (a timestamp given there is
 * timestamp_as_seconds). Agora: the token's own expiry argument
 * (privilegeExpiredTs, tokenExpire, expire); agora-token's privilegeExpire
 * arguments are not its lifetime (privilege_where). Values go through const
 * bindings (rl_js_eval_number / rl_js_eval_string). Never guesses: an
 * env-read or a computed value is RL_LIFE_SET with known = 0.
 * A Daily meeting token lives until the `exp` of its properties (an
 * absolute time, read as above); properties written out with no exp (no
 * spread), or a body with no properties, is RL_LIFE_NONE: Daily's docs say a
 * token without exp is valid forever. eject_after_elapsed and
 * eject_at_token_exp only end a stay in a call, not the token, and a room's
 * own exp is the room's, not the token's: neither counts. */
void rl_mint_lifetime(rl_jsfile *jf, const rl_mint *m, rl_lifetime *out);

#endif
