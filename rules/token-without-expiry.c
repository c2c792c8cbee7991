/* token-without-expiry: a room, auth or management token signed with no
 * expiry at all.
 *
 * Mint sites of jsonwebtoken, jose, djwt and JWTs signed by hand (an HMAC over
 * base64url(header).base64url(claims), rules/mint.h): the SDKs that mint
 * room tokens (LiveKit 6 h, Twilio 1 h, OpenTok 24 h, 100ms 24 h) apply a
 * short default lifetime when none is given, and Agora's builders take the
 * expiry as required arguments. rl_mint_lifetime must say RL_LIFE_NONE: no
 * expiresIn, no exp claim (the claims object may be built in a variable
 * first), no setExpirationTime() in a jose chain. Options or claims that are
 * not literals, hold spreads, or are changed after their literal are unknown
 * and not reported.
 *
 * Only tokens that are room, auth or management tokens: a management token
 * (type 'management'), claims that carry room or privilege keys (access_key,
 * room_id, roomId, room, role, roles, grants, video, channel, channelName,
 * permissions, type 'app'), or a token the code names so: the value is bound
 * to, or returned from a function whose name has the word token or jwt
 * (accessToken, createAuthToken, { token: ... }), unless the name says it is
 * a single-purpose link token (reset, verify, invite, unsubscribe, csrf,
 * nonce, state...). A signed cookie or an email-link JWT is not reported.
 * Test files are skipped: verifier tests sign tokens without exp on purpose
 * (livekit-server-sdk's own suite does).
 *
 * Daily's REST API mints too (rl_mint_rest_each: POST /v1/meeting-tokens):
 * properties written out with no exp make a token Daily keeps valid forever;
 * a meeting token is a room token, whatever it is named. */
#include <string.h>

#include "analysis.h"
#include "arena.h"
#include "bindname.h"
#include "mint.h"
#include "rule.h"

extern const char rl_doc__token_without_expiry[];

static const char *const room_keys[] = {"access_key", "room_id", "roomId",  "room",        "role",        "roles",
                                        "grants",     "video",   "channel", "channelName", "permissions", NULL};
static const char *const token_words[] = {"token", "jwt", NULL};
static const char *const other_words[] = {
    "csrf",    "xsrf",         "reset", "verify", "verification", "invite",   "invitation", "unsubscribe",
    "confirm", "confirmation", "email", "state",  "nonce",        "download", "magic",      NULL};

static int payload_is_room(rl_jsfile *jf, TSNode payload) {
  if (ts_node_is_null(payload)) return 0;
  for (size_t i = 0; room_keys[i]; i++)
    if (!ts_node_is_null(rl_js_object_get(jf, payload, room_keys[i]))) return 1;
  TSNode t = rl_js_object_get(jf, payload, "type");
  const char *v;
  size_t len;
  return !ts_node_is_null(t) && rl_js_eval_string(jf, t, &v, &len) && len == 3 && !memcmp(v, "app", 3);
}

/* A name that says "token" and not "a link's one-off token". */
static int token_name(const char *name, size_t len) {
  return name && rl_name_has_word(name, len, token_words) && !rl_name_has_word(name, len, other_words);
}

/* The name of a function node: declaration/method name, else what it is bound to. */
/* The token's name: what the call's value is bound to, else the enclosing
 * function's name. NULL if neither says token. */
static const char *named_token(rl_jsfile *jf, TSNode call, size_t *len, int *in_function) {
  *in_function = 0;
  TSNode v = call;
  TSNode p = rl_js_parent(v);
  while (!ts_node_is_null(p) &&
         (!strcmp(ts_node_type(p), "await_expression") || !strcmp(ts_node_type(p), "parenthesized_expression"))) {
    v = p;
    p = rl_js_parent(p);
  }
  rl_binding b;
  if (rl_bound_name(jf, v, &b)) {
    *len = b.name_len;
    return token_name(b.name, b.name_len) ? b.name : NULL;
  }
  TSNode fn = rl_js_enclosing_function(call);
  const char *name;
  if (!ts_node_is_null(fn) && rl_js_function_name(jf, fn, &name, len) && token_name(name, *len)) {
    *in_function = 1;
    return name;
  }
  return NULL;
}

static void check_mint(void *data, const rl_mint *m) {
  rl_ctx *ctx = data;
  rl_jsfile *jf = rl_ctx_js(ctx);
  if (!rl_mint_is_generic_jwt(m) && m->kind != RL_MINT_DAILY_REST) return;
  rl_lifetime l;
  rl_mint_lifetime(jf, m, &l);
  if (l.state != RL_LIFE_NONE) return;
  const char *what;
  if (m->kind == RL_MINT_DAILY_REST) {
    /* a meeting token is a room token whatever it is named */
    int roomless = ts_node_is_null(rl_js_object_get(jf, m->payload, "room_name"));
    if (ts_node_is_null(m->payload_arg)) {
      rl_report(ctx, m->call,
                "%s mints a meeting token with no properties: with no exp Daily keeps it valid forever, and with no "
                "room_name it opens every room of the domain",
                m->what);
      return;
    }
    /* at the properties, where exp belongs */
    rl_report(ctx, m->payload_arg,
              "%s mints a meeting token whose properties have no exp: Daily keeps a token without exp valid "
              "forever%s",
              m->what, roomless ? ", and with no room_name it opens every room of the domain" : "");
    return;
  } else if (m->is_management) {
    what = "a management token";
  } else if (payload_is_room(jf, m->payload)) {
    what = "a room token";
  } else {
    size_t len;
    int in_function;
    const char *name = named_token(jf, m->call, &len, &in_function);
    if (!name) return;
    what = in_function ? rl_arena_printf(rl_ctx_arena(ctx), "a token in %.*s()", (int)len, name)
                       : rl_arena_printf(rl_ctx_arena(ctx), "a token ('%.*s')", (int)len, name);
  }
  if (m->kind == RL_MINT_HMAC_JWT || m->kind == RL_MINT_DJWT) /* djwt adds no exp of its own */
    rl_report(ctx, m->call, "%s mints %s whose claims have no exp: it never expires", m->what, what);
  else if (m->kind == RL_MINT_JOSE)
    rl_report(ctx, m->call, "%s mints %s with no setExpirationTime() and no exp claim: it never expires", m->what,
              what);
  else if (rl_mint_string_payload(jf, m))
    rl_report(ctx, m->call,
              "%s mints %s from a string payload, which carries no exp claim (and takes no expiresIn): it never "
              "expires",
              m->what, what);
  else
    rl_report(ctx, m->call, "%s mints %s with no expiresIn and no exp claim: it never expires", m->what, what);
}

static void on_file(rl_ctx *ctx) {
  rl_jsfile *jf = rl_ctx_js(ctx);
  if (!jf) return;
  rl_mint_each(jf, rl_ctx_root(ctx), check_mint, ctx);
  rl_mint_rest_each(jf, rl_ctx_root(ctx), check_mint, ctx);
}

/* Only jsonwebtoken, jose and djwt mint sites, each behind an import or
 * require naming its package, JWTs signed by hand (an HMAC API's name) and
 * Daily's REST meeting tokens. */
static const char *const needles[] = {"jsonwebtoken", "jose",      "djwt",           "Hmac",
                                      "HMAC",         "crypto-js", "meeting-tokens", NULL};

static int can_fire(rl_prefilter *pf) {
  return rl_pf_module(pf, "jsonwebtoken") || rl_pf_module(pf, "jose") || rl_pf_module(pf, "djwt") ||
         rl_pf_module(pf, "@zaubrik/djwt") || rl_mint_hand_possible(pf) || rl_mint_rest_possible(pf);
}

const rl_rule rl_rule_token_without_expiry = {
    .id = "token-without-expiry",
    .title = "Token signed without an expiry",
    .severity = RL_SEV_WARNING,
    .cwe = 613,
    .doc = rl_doc__token_without_expiry,
    .langs = RL_LANGS_CODE,
    /* test files never ship, and test suites mint odd tokens on purpose */
    .contexts = RL_CTX_BIT(RL_CTX_CLIENT) | RL_CTX_BIT(RL_CTX_SERVER) | RL_CTX_BIT(RL_CTX_UNKNOWN),
    .on_file = on_file,
    .needles = needles,
    .can_fire = can_fire,
    .bad_example = "const jwt = require('jsonwebtoken');\n"
                   "\n"
                   "function managementToken() {\n"
                   "  return jwt.sign(\n"
                   "    { access_key: process.env.HMS_ACCESS_KEY, type: 'management', version: 2 },\n"
                   "    process.env.HMS_SECRET,\n"
                   "    { algorithm: 'HS256' },\n"
                   "  );\n"
                   "}\n"
                   "module.exports = { managementToken };\n",
    .good_example = "const jwt = require('jsonwebtoken');\n"
                    "\n"
                    "function managementToken() {\n"
                    "  return jwt.sign(\n"
                    "    { access_key: process.env.HMS_ACCESS_KEY, type: 'management', version: 2 },\n"
                    "    process.env.HMS_SECRET,\n"
                    "    { algorithm: 'HS256', expiresIn: '1h' },\n"
                    "  );\n"
                    "}\n"
                    "module.exports = { managementToken };\n",
    .precision = "high",
    .security_severity = "5.4",
};
