/* Key positions: see keys.h. */
#include "keys.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "mint.h"

static int type_is(TSNode n, const char *t) { return !ts_node_is_null(n) && strcmp(ts_node_type(n), t) == 0; }

static TSNode field(TSNode n, const char *name) { return rl_js_field(n, name); }

static TSNode null_node(void) {
  TSNode n;
  memset(&n, 0, sizeof n);
  return n;
}

#define CALL RL_KEY_CALL
#define NEW RL_KEY_NEW
#define CHAIN RL_KEY_CHAIN
#define SUPER RL_KEY_SUPER
#define UPDATE RL_KEY_DATA_UPDATE
#define ISSUED 1

/* callee, form, method, arg, option, when_arg, when, data_arg, name, does, issued */
static const rl_key_api key_table[] = {
    {"jsonwebtoken:sign", CALL, NULL, 1, NULL, 0, NULL, -1, "jsonwebtoken.sign", "signs with a key", 0},
    {"jsonwebtoken:verify", CALL, NULL, 1, NULL, 0, NULL, -1, "jsonwebtoken.verify", "verifies with a key", 0},
    {"jose:SignJWT", CHAIN, "sign", 0, NULL, 0, NULL, -1, "jose SignJWT.sign", "signs with a key", 0},
    {"jose:EncryptJWT", CHAIN, "encrypt", 0, NULL, 0, NULL, -1, "jose EncryptJWT.encrypt", "encrypts with a key", 0},
    {"jose:CompactSign", CHAIN, "sign", 0, NULL, 0, NULL, -1, "jose CompactSign.sign", "signs with a key", 0},
    {"jose:jwtVerify", CALL, NULL, 1, NULL, 0, NULL, -1, "jose jwtVerify", "verifies with a key", 0},
    {"jose:jwtDecrypt", CALL, NULL, 1, NULL, 0, NULL, -1, "jose jwtDecrypt", "decrypts with a key", 0},
    /* jose 1.x/2.x (before the 3.0 rewrite): JWT/JWS/JWE namespaces, keys as JWK.asKey(x) */
    {"jose:JWT.sign", CALL, NULL, 1, NULL, 0, NULL, -1, "jose JWT.sign", "signs with a key", 0},
    {"jose:JWT.verify", CALL, NULL, 1, NULL, 0, NULL, -1, "jose JWT.verify", "verifies with a key", 0},
    {"jose:JWS.sign", CALL, NULL, 1, NULL, 0, NULL, -1, "jose JWS.sign", "signs with a key", 0},
    {"jose:JWS.verify", CALL, NULL, 1, NULL, 0, NULL, -1, "jose JWS.verify", "verifies with a key", 0},
    {"jose:JWE.encrypt", CALL, NULL, 1, NULL, 0, NULL, -1, "jose JWE.encrypt", "encrypts with a key", 0},
    {"jose:JWE.decrypt", CALL, NULL, 1, NULL, 0, NULL, -1, "jose JWE.decrypt", "decrypts with a key", 0},
    {"jwt-simple:encode", CALL, NULL, 1, NULL, 0, NULL, -1, "jwt-simple.encode", "signs with a key", 0},
    {"jwt-simple:decode", CALL, NULL, 1, NULL, 0, NULL, -1, "jwt-simple.decode", "verifies with a key", 0},
    {"express-jwt:expressjwt", CALL, NULL, 0, "secret", 0, NULL, -1, "express-jwt expressjwt()", "verifies with a key",
     0},
    {"express-jwt:", CALL, NULL, 0, "secret", 0, NULL, -1, "express-jwt jwt()", "verifies with a key", 0},
    {"passport-jwt:Strategy", NEW, NULL, 0, "secretOrKey", 0, NULL, -1, "passport-jwt Strategy", "verifies with a key",
     0},
    {"passport-jwt:Strategy", SUPER, NULL, 0, "secretOrKey", 0, NULL, -1, "passport-jwt Strategy",
     "verifies with a key", 0},
    /* passport OAuth strategies: the app's client secret, which the provider issues and checks */
    {"passport-facebook:Strategy", NEW, NULL, 0, "clientSecret", 0, NULL, -1, "passport-facebook Strategy",
     "authenticates the app to Facebook with a client secret", ISSUED},
    {"passport-google-oauth20:Strategy", NEW, NULL, 0, "clientSecret", 0, NULL, -1, "passport-google-oauth20 Strategy",
     "authenticates the app to Google with a client secret", ISSUED},
    {"passport-github2:Strategy", NEW, NULL, 0, "clientSecret", 0, NULL, -1, "passport-github2 Strategy",
     "authenticates the app to GitHub with a client secret", ISSUED},
    {"passport-github:Strategy", NEW, NULL, 0, "clientSecret", 0, NULL, -1, "passport-github Strategy",
     "authenticates the app to GitHub with a client secret", ISSUED},
    {"passport-twitter:Strategy", NEW, NULL, 0, "consumerSecret", 0, NULL, -1, "passport-twitter Strategy",
     "authenticates the app to Twitter with a consumer secret", ISSUED},
    {"passport-facebook:Strategy", SUPER, NULL, 0, "clientSecret", 0, NULL, -1, "passport-facebook Strategy",
     "authenticates the app to Facebook with a client secret", ISSUED},
    {"passport-google-oauth20:Strategy", SUPER, NULL, 0, "clientSecret", 0, NULL, -1,
     "passport-google-oauth20 Strategy", "authenticates the app to Google with a client secret", ISSUED},
    {"@nestjs/jwt:JwtModule.register", CALL, NULL, 0, "secret", 0, NULL, -1, "@nestjs/jwt JwtModule.register",
     "signs with a key", 0},
    {"express-session:", CALL, NULL, 0, "secret", 0, NULL, -1, "express-session", "signs session cookies with a key",
     0},
    {"cookie-session:", CALL, NULL, 0, "secret", 0, NULL, -1, "cookie-session", "signs session cookies with a key", 0},
    {"cookie-session:", CALL, NULL, 0, "keys", 0, NULL, -1, "cookie-session", "signs session cookies with a key", 0},
    {"cookie-parser:", CALL, NULL, 0, NULL, 0, NULL, -1, "cookie-parser", "signs cookies with a key", 0},
    {"crypto:createHmac", CALL, NULL, 1, NULL, 0, NULL, UPDATE, "crypto.createHmac", "computes HMACs with a key", 0},
    {"crypto-js:Hmac*", CALL, NULL, 1, NULL, 0, NULL, 0, "CryptoJS.*", "computes HMACs with a key", 0},
    {"crypto-js/hmac-*:", CALL, NULL, 1, NULL, 0, NULL, 0, "*", "computes HMACs with a key", 0},
    {"CryptoJS.Hmac*", CALL, NULL, 1, NULL, 0, NULL, 0, "*", "computes HMACs with a key", 0},
    {"crypto-js:AES.encrypt", CALL, NULL, 1, NULL, 0, NULL, -1, "CryptoJS.AES.encrypt", "encrypts with a key", 0},
    {"crypto-js:AES.decrypt", CALL, NULL, 1, NULL, 0, NULL, -1, "CryptoJS.AES.decrypt", "decrypts with a key", 0},
    {"crypto-js/aes:encrypt", CALL, NULL, 1, NULL, 0, NULL, -1, "crypto-js/aes encrypt", "encrypts with a key", 0},
    {"crypto-js/aes:decrypt", CALL, NULL, 1, NULL, 0, NULL, -1, "crypto-js/aes decrypt", "decrypts with a key", 0},
    {"CryptoJS.AES.encrypt", CALL, NULL, 1, NULL, 0, NULL, -1, "CryptoJS.AES.encrypt", "encrypts with a key", 0},
    {"CryptoJS.AES.decrypt", CALL, NULL, 1, NULL, 0, NULL, -1, "CryptoJS.AES.decrypt", "decrypts with a key", 0},
    {"crypto-js:algo.HMAC.create", CALL, NULL, 1, NULL, 0, NULL, -1, "CryptoJS.algo.HMAC.create",
     "computes HMACs with a key", 0},
    {"*crypto.subtle.sign", CALL, NULL, 1, NULL, 0, "HMAC", 2, "crypto.subtle.sign", "computes HMACs with a key", 0},
    {"crypto:subtle.sign", CALL, NULL, 1, NULL, 0, "HMAC", 2, "crypto.subtle.sign", "computes HMACs with a key", 0},
    {"*crypto.subtle.importKey", CALL, NULL, 1, NULL, 0, "raw", -1, "crypto.subtle.importKey", "imports a raw key", 0},
    {"crypto:subtle.importKey", CALL, NULL, 1, NULL, 0, "raw", -1, "crypto.subtle.importKey", "imports a raw key", 0},
    {"djwt:create", CALL, NULL, 2, NULL, 0, NULL, -1, "djwt create", "signs with a key", 0},
    {"djwt:verify", CALL, NULL, 1, NULL, 0, NULL, -1, "djwt verify", "verifies with a key", 0},
    {"livekit-server-sdk:AccessToken", NEW, NULL, 1, NULL, 0, NULL, -1, "LiveKit new AccessToken",
     "signs with an API secret", ISSUED},
    {"livekit-server-sdk:TokenVerifier", NEW, NULL, 1, NULL, 0, NULL, -1, "LiveKit new TokenVerifier",
     "verifies with an API secret", ISSUED},
    {"livekit-server-sdk:WebhookReceiver", NEW, NULL, 1, NULL, 0, NULL, -1, "LiveKit new WebhookReceiver",
     "verifies with an API secret", ISSUED},
    {"livekit-server-sdk:*Client", NEW, NULL, 2, NULL, 0, NULL, -1, "LiveKit new *", "authenticates with an API secret",
     ISSUED},
    {"agora-token:*TokenBuilder.build*", CALL, NULL, 1, NULL, 0, NULL, -1, "Agora *", "signs with an App Certificate",
     ISSUED},
    {"agora-access-token:*TokenBuilder.build*", CALL, NULL, 1, NULL, 0, NULL, -1, "Agora *",
     "signs with an App Certificate", ISSUED},
    {"twilio:jwt.AccessToken", NEW, NULL, 2, NULL, 0, NULL, -1, "Twilio new AccessToken", "signs with an API secret",
     ISSUED},
    {"twilio/lib/jwt/AccessToken:", NEW, NULL, 2, NULL, 0, NULL, -1, "Twilio new AccessToken",
     "signs with an API secret", ISSUED},
    {"twilio:", CALL, NULL, 1, NULL, 0, NULL, -1, "twilio()", "authenticates with an auth token", ISSUED},
    {"twilio:Twilio", NEW, NULL, 1, NULL, 0, NULL, -1, "Twilio new Twilio", "authenticates with an auth token", ISSUED},
    {"opentok:", NEW, NULL, 1, NULL, 0, NULL, -1, "new OpenTok", "signs with an API secret", ISSUED},
    {"@vonage/server-sdk:Vonage", NEW, NULL, 0, "apiSecret", 0, NULL, -1, "Vonage new Vonage",
     "authenticates with an API secret", ISSUED},
    {"@vonage/auth:Auth", NEW, NULL, 0, "apiSecret", 0, NULL, -1, "Vonage new Auth", "authenticates with an API secret",
     ISSUED},
    {"@100mslive/server-sdk:*SDK", NEW, NULL, 1, NULL, 0, NULL, -1, "100ms new *", "signs with an app secret", ISSUED},
};

/* Keys that are public by their protocol's definition: Telegram Mini Apps
 * derive the bot's check key as HMAC-SHA256 keyed with "WebAppData". */
static const char *const public_keys[] = {"WebAppData", NULL};

const rl_key_api *rl_key_table(size_t *n) {
  *n = sizeof key_table / sizeof key_table[0];
  return key_table;
}

/* '*' matches any run of characters. */
static int callee_glob(const char *p, const char *s) {
  const char *sp = NULL, *ss = NULL;
  while (*s) {
    if (*p == '*') {
      sp = ++p;
      ss = s;
      continue;
    }
    if (*p == *s) {
      p++;
      s++;
      continue;
    }
    if (!sp) return 0;
    p = sp;
    s = ++ss;
  }
  while (*p == '*') p++;
  return *p == '\0';
}

/* The API's name for messages: '*' in the table's name is the callee's path
 * (after the module's ':', or the whole callee of a global). */
static const char *use_name(rl_jsfile *jf, const rl_key_api *api, const char *callee) {
  const char *star = strchr(api->name, '*');
  if (!star) return api->name;
  const char *colon = strchr(callee, ':');
  const char *path = colon ? colon + 1 : callee;
  int pl = (int)strlen(path);
  if (!pl) { /* a module's default export: the module ("crypto-js/hmac-sha256") */
    path = callee;
    pl = (int)(colon - callee);
  }
  return rl_arena_printf(rl_jsfile_arena(jf), "%.*s%.*s%s", (int)(star - api->name), api->name, pl, path, star + 1);
}

/* ---- literals ------------------------------------------------------------------- */

static int callee_is(const char *c, const char *want) {
  if (!c) return 0;
  if (!strncmp(c, "node:", 5) && strchr(c + 5, ':')) c += 5;
  return !strcmp(c, want);
}

static int callee_ends(const char *c, const char *tail) {
  size_t n = c ? strlen(c) : 0, t = strlen(tail);
  return n >= t && !strcmp(c + n - t, tail);
}

/* new TextEncoder(), directly or through a const. */
static int is_text_encoder(rl_jsfile *jf, TSNode n) {
  n = rl_js_unwrap(n);
  if (type_is(n, "identifier")) {
    TSNode init = rl_js_const_init(jf, n);
    if (ts_node_is_null(init)) {
      size_t len;
      const char *t = rl_js_text(jf, n, &len);
      return rl_name_has_word(t, len, (const char *const[]){"encoder", "enc", NULL});
    }
    n = rl_js_unwrap(init);
  }
  return type_is(n, "new_expression") && rl_js_text_is(jf, field(n, "constructor"), "TextEncoder");
}

/* The text argument of a call that turns text into key bytes, else null. */
static TSNode bytes_of_text(rl_jsfile *jf, TSNode n) {
  if (!type_is(n, "call_expression")) return null_node();
  TSNode fn = rl_js_unwrap(field(n, "function"));
  if (type_is(fn, "member_expression") && rl_js_text_is(jf, field(fn, "property"), "encode") &&
      is_text_encoder(jf, field(fn, "object")))
    return rl_js_call_arg(n, 0);
  const char *c = rl_js_callee(jf, n);
  if (callee_ends(c, "Buffer.from") || callee_is(c, "crypto:createSecretKey") || callee_is(c, "createSecretKey") ||
      callee_is(c, "crypto-js:enc.Utf8.parse") || callee_is(c, "CryptoJS.enc.Utf8.parse") ||
      callee_is(c, "jose:JWK.asKey"))
    return rl_js_call_arg(n, 0);
  return null_node();
}

TSNode rl_key_bytes_text(rl_jsfile *jf, TSNode call) { return bytes_of_text(jf, rl_js_unwrap(call)); }

int rl_key_literal(rl_jsfile *jf, TSNode expr, const char **out, size_t *len, TSNode *lit) {
  *lit = null_node();
  TSNode n = rl_js_unwrap(expr);
  for (int hops = 0; hops < 8 && !ts_node_is_null(n); hops++) {
    if (type_is(n, "string") || type_is(n, "template_string")) {
      if (!rl_js_string_value(jf, n, out, len)) return 0;
      *lit = n;
      return 1;
    }
    TSNode next = null_node();
    if (type_is(n, "identifier") || type_is(n, "shorthand_property_identifier")) /* { secret } */
      next = rl_js_const_init(jf, n);
    else if (type_is(n, "member_expression"))
      next = rl_js_this_value(jf, n); /* this.jwtSecret = '...' in the constructor */
    else if (type_is(n, "call_expression"))
      next = bytes_of_text(jf, n);
    if (ts_node_is_null(next)) break;
    n = rl_js_unwrap(next);
  }
  /* `+` of literals, a const imported from another file */
  return !ts_node_is_null(n) && !type_is(n, "call_expression") && rl_js_eval_string(jf, n, out, len);
}

/* ---- matching --------------------------------------------------------------------- */

/* The `new` a builder chain ends at: method calls and const bindings. */
static TSNode chain_root(rl_jsfile *jf, TSNode n) {
  for (int guard = 0; guard < 64 && !ts_node_is_null(n); guard++) {
    n = rl_js_unwrap(n);
    if (type_is(n, "new_expression")) return n;
    if (type_is(n, "call_expression")) {
      TSNode f = rl_js_unwrap(field(n, "function"));
      if (!type_is(f, "member_expression")) return null_node();
      n = field(f, "object");
    } else if (type_is(n, "identifier")) {
      n = rl_js_const_init(jf, n);
    } else {
      return null_node();
    }
  }
  return null_node();
}

/* super(...): the canonical name of what the enclosing class extends, or of
 * the first argument of the call it extends (PassportStrategy(Strategy)). */
static const char *super_callee(rl_jsfile *jf, TSNode call) {
  TSNode cls = rl_js_parent(call);
  while (!ts_node_is_null(cls) && !type_is(cls, "class_declaration") && !type_is(cls, "class") &&
         !type_is(cls, "abstract_class_declaration"))
    cls = rl_js_parent(cls);
  if (ts_node_is_null(cls)) return NULL;
  TSNode her = null_node();
  for (uint32_t i = 0; i < ts_node_named_child_count(cls); i++)
    if (type_is(ts_node_named_child(cls, i), "class_heritage")) her = ts_node_named_child(cls, i);
  if (ts_node_is_null(her)) return NULL;
  TSNode e = ts_node_named_child(her, 0);
  if (type_is(e, "extends_clause")) e = field(e, "value");
  e = rl_js_unwrap(e);
  if (type_is(e, "call_expression")) e = rl_js_call_arg(e, 0);
  return ts_node_is_null(e) ? NULL : rl_js_resolve(jf, e);
}

/* A value that is a secret: an env read, a secret-named name, or a const bound to one. */
static int secret_data(rl_jsfile *jf, TSNode n) {
  for (int hops = 0; hops < 4; hops++) {
    n = rl_js_unwrap(n);
    if (ts_node_is_null(n)) return 0;
    const char *env;
    size_t el;
    if (rl_js_env_read(jf, n, &env, &el)) return 1;
    TSNode name = type_is(n, "member_expression") ? field(n, "property") : n;
    if (type_is(name, "identifier") || type_is(name, "property_identifier")) {
      size_t len;
      const char *t = rl_js_text(jf, name, &len);
      if (rl_name_is_secret(t, len)) return 1;
    }
    if (!type_is(n, "identifier")) return 0;
    n = rl_js_const_init(jf, n);
  }
  return 0;
}

/* The data an HMAC of this API is computed over: its argument, or the
 * argument of the .update() called on the call's result, directly or on the
 * const it is stored in (`const h = createHmac(a, k); h.update(x)`, in the
 * same function). */
static TSNode hmac_data(rl_jsfile *jf, const rl_key_api *api, TSNode call) {
  if (api->data_arg >= 0) return rl_js_call_arg(call, (uint32_t)api->data_arg);
  if (api->data_arg != RL_KEY_DATA_UPDATE) return null_node();
  static const char *const update[] = {"update", NULL};
  return rl_js_result_method_arg(jf, call, update);
}

/* The key falls back to a literal when an environment variable is unset:
 * `process.env.K || 'lit'` in the key position, in a const it names, under
 * the calls that turn text into bytes, or an imported value the project
 * model knows as such a fallback. */
static int key_fallback(rl_jsfile *jf, TSNode expr, rl_key_use *u) {
  TSNode n = rl_js_unwrap(expr);
  for (int hops = 0; hops < 8 && !ts_node_is_null(n); hops++) {
    const char *env;
    size_t el;
    TSNode lit;
    if (rl_js_env_fallback(jf, n, &env, &el, &lit) && rl_js_string_value(jf, lit, &u->value, &u->len)) {
      u->lit = lit;
      u->env = env;
      u->env_len = el;
      return 1;
    }
    int name = type_is(n, "identifier") || type_is(n, "shorthand_property_identifier");
    const rl_symbol *s = name || type_is(n, "member_expression") ? rl_js_imported_symbol(jf, n) : NULL;
    if (s && s->fallback && s->fallback_at.path) {
      u->value = s->fallback;
      u->len = s->fallback_len;
      u->env = s->fallback_env;
      u->env_len = s->fallback_env ? strlen(s->fallback_env) : 0;
      u->from = s->fallback_at;
      return 1;
    }
    TSNode next = null_node();
    if (name)
      next = rl_js_const_init(jf, n);
    else if (type_is(n, "member_expression"))
      next = rl_js_this_value(jf, n);
    else if (type_is(n, "call_expression"))
      next = bytes_of_text(jf, n);
    if (ts_node_is_null(next)) break;
    n = rl_js_unwrap(next);
  }
  u->value = NULL;
  u->len = 0;
  return 0;
}

typedef struct key_list {
  rl_arena *arena;
  rl_key_use *items;
  size_t n, cap;
  const rl_key_use **by_lit; /* the uses with a literal here, by its start byte */
  size_t nlit;
} key_list;

static void add_use(rl_jsfile *jf, key_list *l, const rl_key_api *api, const char *name, TSNode call, TSNode key) {
  rl_key_use u;
  memset(&u, 0, sizeof u);
  u.api = api;
  u.name = name;
  u.call = call;
  u.key = key;
  u.lit = null_node();
  const char *v;
  size_t len;
  TSNode lit;
  if (rl_key_literal(jf, key, &v, &len, &lit)) {
    u.value = v;
    u.len = len;
    u.lit = lit;
    for (size_t i = 0; public_keys[i]; i++)
      if (len == strlen(public_keys[i]) && !memcmp(v, public_keys[i], len)) u.label = 1;
    if (secret_data(jf, hmac_data(jf, api, call))) u.label = 1;
  } else if (key_fallback(jf, key, &u) && api->data_arg != -1 && secret_data(jf, hmac_data(jf, api, call))) {
    u.label = 1;
  }
  l->items = rl_arena_grow(l->arena, l->items, l->n, &l->cap, sizeof *l->items);
  l->items[l->n++] = u;
}

/* The line's other argument says what it asks (importKey 'raw', sign 'HMAC'), or it asks nothing. */
static int when_holds(rl_jsfile *jf, const rl_key_api *api, TSNode call) {
  if (!api->when) return 1;
  const char *w;
  size_t wl;
  TSNode a = rl_js_call_arg(call, (uint32_t)api->when_arg);
  /* WebCrypto takes an algorithm name or an object naming it: { name: 'HMAC' } */
  TSNode o = rl_js_object_of(jf, a);
  if (!ts_node_is_null(o)) a = rl_js_object_get(jf, o, "name");
  return rl_js_eval_string(jf, a, &w, &wl) && wl == strlen(api->when) && !memcmp(w, api->when, wl);
}

/* The option of an options argument: an object (rl_js_object_of), one kept
 * on `this`, or Object.assign(target, ...sources) of such, where the last
 * source that sets the option wins; a source we cannot see (a parameter, a
 * spread) may set it too, so the answer is then unknown (null). */
static TSNode option_of(rl_jsfile *jf, TSNode arg, const char *option) {
  TSNode obj = rl_js_object_of(jf, arg);
  if (ts_node_is_null(obj)) obj = rl_js_object_of(jf, rl_js_this_value(jf, arg));
  if (!ts_node_is_null(obj)) return rl_js_object_get(jf, obj, option);
  TSNode call = rl_js_unwrap(arg);
  if (type_is(call, "identifier")) call = rl_js_unwrap(rl_js_const_init(jf, call));
  if (!type_is(call, "call_expression") || !rl_js_text_is(jf, field(call, "function"), "Object.assign"))
    return null_node();
  TSNode args = field(call, "arguments");
  for (uint32_t i = ts_node_named_child_count(args); i-- > 0;) {
    TSNode o = rl_js_object_of(jf, ts_node_named_child(args, i));
    if (ts_node_is_null(o)) return null_node();
    TSNode v = rl_js_object_get(jf, o, option);
    if (!ts_node_is_null(v)) return v;
    for (uint32_t k = 0; k < ts_node_named_child_count(o); k++)
      if (type_is(ts_node_named_child(o, k), "spread_element")) return null_node();
  }
  return null_node();
}

/* The key expressions of one table line at a call: the argument, or the
 * option in it (each element of an array). */
static void add_keys(rl_jsfile *jf, key_list *l, const rl_key_api *api, const char *callee, TSNode call) {
  if (!when_holds(jf, api, call)) return;
  TSNode arg = rl_js_call_arg(call, (uint32_t)api->arg);
  if (ts_node_is_null(arg)) return;
  const char *name = use_name(jf, api, callee);
  TSNode key = arg;
  if (api->option) {
    /* this.jwtOptions = { secretOrKey: ... }; new Strategy(this.jwtOptions, ...) */
    key = option_of(jf, arg, api->option);
    if (ts_node_is_null(key)) return;
  }
  TSNode k = rl_js_unwrap(key);
  if (type_is(k, "array")) {
    for (uint32_t i = 0; i < ts_node_named_child_count(k); i++)
      add_use(jf, l, api, name, call, ts_node_named_child(k, i));
    return;
  }
  add_use(jf, l, api, name, call, key);
}

static int is_super_call(TSNode n) { return type_is(n, "call_expression") && type_is(field(n, "function"), "super"); }

static void match_node(rl_jsfile *jf, key_list *l, TSNode n) {
  int is_new = type_is(n, "new_expression");
  if (!is_new && !type_is(n, "call_expression")) return;
  const char *callee = NULL, *super = NULL, *root = NULL;
  int callee_done = 0, super_done = 0, root_done = 0;
  size_t count;
  const rl_key_api *t = rl_key_table(&count);
  for (size_t i = 0; i < count; i++) {
    const char *c;
    if (t[i].form == RL_KEY_SUPER) {
      if (is_new || !is_super_call(n)) continue;
      if (!super_done) super = super_callee(jf, n), super_done = 1;
      c = super;
    } else if (t[i].form == RL_KEY_CHAIN) {
      if (is_new) continue;
      TSNode fn = rl_js_unwrap(field(n, "function"));
      if (!type_is(fn, "member_expression") || !rl_js_text_is(jf, field(fn, "property"), t[i].method)) continue;
      if (!root_done) {
        TSNode r = chain_root(jf, field(fn, "object"));
        root = ts_node_is_null(r) ? NULL : rl_mint_callee(jf, r);
        root_done = 1;
      }
      c = root;
    } else {
      if ((t[i].form == RL_KEY_NEW) != is_new) continue;
      if (!callee_done) callee = rl_mint_callee(jf, n), callee_done = 1;
      c = callee;
    }
    if (!c) continue;
    if (!strncmp(c, "node:", 5) && strchr(c + 5, ':')) c += 5;
    if (callee_glob(t[i].callee, c)) add_keys(jf, l, &t[i], c, n);
  }
}

int rl_key_hmac(rl_jsfile *jf, TSNode call, TSNode *key, TSNode *data, const char **name) {
  *key = *data = null_node();
  *name = NULL;
  if (!type_is(call, "call_expression")) return 0;
  const char *c = rl_mint_callee(jf, call);
  if (!c) return 0;
  if (!strncmp(c, "node:", 5) && strchr(c + 5, ':')) c += 5;
  for (size_t i = 0; i < sizeof key_table / sizeof key_table[0]; i++) {
    const rl_key_api *api = &key_table[i];
    if (api->form != RL_KEY_CALL || api->data_arg == -1 || !callee_glob(api->callee, c)) continue;
    if (!when_holds(jf, api, call)) continue;
    *key = rl_js_call_arg(call, (uint32_t)api->arg);
    *data = hmac_data(jf, api, call);
    *name = use_name(jf, api, c);
    return 1;
  }
  return 0;
}

static int keys_visit(void *data, TSNode n) {
  void **st = data;
  match_node(st[0], st[1], n);
  return 0;
}

static int by_lit_start(const void *a, const void *b) {
  uint32_t x = ts_node_start_byte((*(const rl_key_use *const *)a)->lit);
  uint32_t y = ts_node_start_byte((*(const rl_key_use *const *)b)->lit);
  return x < y ? -1 : x > y;
}

static void index_literals(key_list *l) {
  for (size_t i = 0; i < l->n; i++) l->nlit += !ts_node_is_null(l->items[i].lit);
  if (!l->nlit) return;
  l->by_lit = rl_arena_alloc(l->arena, l->nlit * sizeof *l->by_lit);
  size_t k = 0;
  for (size_t i = 0; i < l->n; i++)
    if (!ts_node_is_null(l->items[i].lit)) l->by_lit[k++] = &l->items[i];
  qsort(l->by_lit, l->nlit, sizeof *l->by_lit, by_lit_start);
}

static const key_list *keys_of(rl_jsfile *jf) {
  key_list **memo = (key_list **)rl_jsfile_memo(jf, RL_JS_MEMO_KEYS);
  if (!*memo) {
    key_list *l = rl_arena_calloc(rl_jsfile_arena(jf), 1, sizeof *l);
    l->arena = rl_jsfile_arena(jf);
    /* The walk costs steps of the file's budget: only where a key use can be. */
    const rl_source *src = rl_jsfile_source(jf);
    rl_prefilter pf;
    rl_prefilter_init(&pf, src->bytes, src->len, src->lang);
    int possible = rl_keys_possible(&pf);
    rl_prefilter_clear(&pf);
    void *st[2] = {jf, l};
    if (possible) rl_js_walk(rl_jsfile_root(jf), keys_visit, st);
    index_literals(l);
    *memo = l;
  }
  return *memo;
}

void rl_keys_each(rl_jsfile *jf, TSNode subtree, rl_key_cb cb, void *data) {
  if (ts_node_is_null(subtree)) return;
  const key_list *l = keys_of(jf);
  uint32_t start = ts_node_start_byte(subtree), end = ts_node_end_byte(subtree);
  for (size_t i = 0; i < l->n; i++) {
    TSNode c = l->items[i].call;
    if (ts_node_start_byte(c) >= start && ts_node_end_byte(c) <= end) cb(data, &l->items[i]);
  }
}

void rl_keys_at_literal(rl_jsfile *jf, TSNode s, rl_key_cb cb, void *data) {
  const key_list *l = keys_of(jf);
  uint32_t at = ts_node_start_byte(s);
  size_t lo = 0, hi = l->nlit;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (ts_node_start_byte(l->by_lit[mid]->lit) < at)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (; lo < l->nlit && ts_node_start_byte(l->by_lit[lo]->lit) == at; lo++)
    if (ts_node_eq(l->by_lit[lo]->lit, s)) cb(data, l->by_lit[lo]);
}

int rl_keys_possible(rl_prefilter *pf) {
  static const char *const modules[] = {"jsonwebtoken",
                                        "jose",
                                        "jwt-simple",
                                        "express-jwt",
                                        "passport-jwt",
                                        "passport-facebook",
                                        "passport-google-oauth20",
                                        "passport-github2",
                                        "passport-github",
                                        "passport-twitter",
                                        "@nestjs/jwt",
                                        "express-session",
                                        "cookie-session",
                                        "cookie-parser",
                                        "djwt",
                                        "livekit-server-sdk",
                                        "agora-token",
                                        "agora-access-token",
                                        "twilio",
                                        "opentok",
                                        "@vonage/server-sdk",
                                        "@vonage/auth",
                                        "@100mslive/server-sdk",
                                        NULL};
  for (size_t i = 0; modules[i]; i++)
    if (rl_pf_module(pf, modules[i])) return 1;
  /* crypto's and crypto-js's lines are their HMAC and raw-key APIs: a file
   * that imports crypto for createHash or randomBytes (TypeScript's 9 MB
   * compiler does) has none of them */
  int hmac = rl_pf_has(pf, "Hmac") || rl_pf_has(pf, "HMAC") || rl_pf_has(pf, "hmac");
  if (hmac && (rl_pf_module(pf, "crypto") || rl_pf_module(pf, "crypto-js") || rl_pf_has(pf, "CryptoJS"))) return 1;
  /* crypto-js's AES: CryptoJS.AES, require('crypto-js/aes') */
  if (rl_pf_has(pf, "crypt") && (rl_pf_module(pf, "crypto-js") || rl_pf_has(pf, "CryptoJS.AES"))) return 1;
  if (rl_pf_module(pf, "crypto") && rl_pf_has(pf, "createSecretKey")) return 1;
  return rl_pf_has(pf, "subtle") || rl_pf_has(pf, "djwt");
}
