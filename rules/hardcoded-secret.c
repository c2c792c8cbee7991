/* hardcoded-secret: a credential written as a literal in JS/TS.
 *
 * Five shapes, strongest first:
 *   (a) a 100ms app secret, recognised by its shape alone;
 *   (b) a 100ms JWT (management or app token), recognised by its payload;
 *   (c) a secret-looking literal bound to a secret-named variable, key, field,
 *       parameter default or JSX attribute;
 *   (d) a well-known format (secrets.c's table), anywhere in the file;
 *   (e) any string in an API's key position (facts/keys.c's table);
 *   (f) a Bearer credential in a request's Authorization header.
 * (a)-(d) apply in test files too: a real secret committed in a test is
 * still in the repository's history; (e) does not (tests sign with throwaway
 * keys). Test files are where fakes live, so (c)
 * skips values that say they are fakes, and (b) reports app tokens (short
 * lived by design, often sample data) only outside tests; a management token
 * is reported everywhere. */
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "analysis.h"
#include "bindname.h"
#include "keys.h"
#include "mint.h"
#include "prefilter.h"
#include "privileged.h"
#include "requrl.h"
#include "rule.h"
#include "secrets.h"
#include "util.h"

extern const char rl_doc__hardcoded_secret[];

static int type_is_ident(TSNode n) { return !ts_node_is_null(n) && !strcmp(ts_node_type(n), "identifier"); }

static int is_b64url(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* ---- (d) well-known formats (secrets.c's table) ---------------------------------- */

/* A context-only format bound to a name that says what it is (a Twilio auth
 * token next to an account SID, a Daily API key, an Agora App Certificate). */
static int named_format(rl_ctx *ctx, TSNode s, const rl_binding *b, const char *v, size_t len, const char *where) {
  const rl_source *src = rl_ctx_source(ctx);
  const rl_secret_format *f = rl_secret_named_format(b->name, b->name_len, v, len, src->bytes, src->len);
  if (!f) return 0;
  rl_ctx_mark_secret(ctx, ts_node_start_byte(s) + 1, ts_node_end_byte(s) - 1);
  rl_report(ctx, s, "%s hard-coded %s (%s)", f->name, where, rl_mask_secret(rl_ctx_arena(ctx), v, len));
  return 1;
}

/* Every prefixed format in the file's bytes: strings, templates and comments
 * alike (a secret in a comment is still in the repository). */
static void on_formats(rl_ctx *ctx) {
  const rl_source *src = rl_ctx_source(ctx);
  size_t at = 0, len = 0;
  for (const rl_secret_format *f; (f = rl_secret_find_format(src->bytes, src->len, at, &at, &len)) != NULL; at += len) {
    if (rl_secret_allowed(NULL, 0, src->bytes + at, len)) continue;
    rl_ctx_mark_secret(ctx, (uint32_t)at, (uint32_t)(at + len));
    rl_report_range(ctx, (uint32_t)at, (uint32_t)(at + len), "%s hard-coded in the file (%s)", f->name,
                    rl_mask_secret(rl_ctx_arena(ctx), src->bytes + at, len));
  }
}

/* ---- (e) a string written in the code in an API's key position ----------------------
 * facts/keys.c holds the table (API, argument, option). Any string counts,
 * whatever its length, entropy or words: 'a' and 'secret' sign as well as a
 * random key, and anyone can read them. A value that looks like a stand-in
 * ('your-secret-here', changeme, SampleToken, <...>) is still the key the
 * code runs with, so it is reported too, with a message that says so (the
 * fix differs: a key was never set, rather than one leaked). Silent: the
 * empty string (no key at all: jsonwebtoken throws on it, express-session
 * refuses it; nothing is written that could leak), public labels (an HMAC
 * keyed by a constant over a secret), and test files. A literal that
 * (a)-(d) already report keeps their message; the others are reported from
 * on_string too, during the walk, so that a budget stop later in the file
 * cannot hide them. Only keys folded from several strings or imported from
 * another file (no literal node here) wait for on_file. */

/* A key value that says it stands in for one: filler ('xxxx', but not a
 * one-letter key), <...>, your-..., changeme, and the words of sample data. */
static int key_looks_placeholder(const char *v, size_t len) {
  return (len > 1 && rl_value_says_placeholder(v, len)) || rl_secret_has_fake_word(v, len);
}

/* An HMAC (a line with a data argument: createHmac, CryptoJS.Hmac*,
 * subtle.sign) keyed with words of sample data ('SampleToken',
 * 'example-secret', 'mock-signature'): mocks of a payment API, seeded
 * hashes and webhook test senders write them, and an HMAC alone is no login
 * or session. Silent, unless the HMAC signs a JWT by hand (then it is a
 * token key like jwt.sign's). A value that asks to be replaced
 * ('your-webhook-secret', 'CHANGE_ME') is still the key the code runs with. */
static int sample_hmac_key(rl_ctx *ctx, const rl_key_use *u) {
  if (u->api->data_arg == -1 || !rl_secret_has_fake_word(u->value, u->len) ||
      rl_value_says_placeholder(u->value, u->len))
    return 0;
  rl_mint m;
  return !rl_mint_match(rl_ctx_js(ctx), u->call, &m) || m.kind != RL_MINT_HMAC_JWT;
}

/* A stand-in for a provider's secret (an Agora App Certificate, a LiveKit
 * API secret: api->issued) signs nothing the provider accepts, so it leaks
 * nothing: silent there, as before. */
static int key_reported(rl_ctx *ctx, const rl_key_use *u) {
  if (!u || !u->value || u->len == 0 || u->label || rl_ctx_context(ctx) == RL_CTX_TEST) return 0;
  if (u->api->issued && key_looks_placeholder(u->value, u->len)) return 0;
  return !sample_hmac_key(ctx, u);
}

/* `new AccessToken('devkey', 'secret')`: the key pair a LiveKit server
 * started with `livekit-server --dev` accepts, and no other server does. The
 * API key sits in the argument before the secret. */
static int livekit_dev_pair(rl_jsfile *jf, const rl_key_use *u) {
  if (strncmp(u->api->callee, "livekit-server-sdk:", 19) || u->api->option || u->api->arg < 1) return 0;
  if (!u->value || u->len != 6 || memcmp(u->value, "secret", 6)) return 0;
  const char *k;
  size_t kl;
  TSNode lit;
  return rl_key_literal(jf, rl_js_call_arg(u->call, (uint32_t)(u->api->arg - 1)), &k, &kl, &lit) && kl == 6 &&
         !memcmp(k, "devkey", 6);
}

/* A literal in another file that shapes 3 and 4 report where it is written. */
static int reported_there(const rl_key_use *u) {
  size_t fs, fl;
  if (!u->from.path) return 0;
  return rl_secret_find_format(u->value, u->len, 0, &fs, &fl) ||
         (u->env && rl_name_is_secret(u->env, u->env_len) && rl_secret_value_is_credential(u->value, u->len));
}

/* The key is an environment variable's literal fallback: a server started
 * without the variable runs with the literal. */
static void report_fallback(rl_ctx *ctx, const rl_key_use *u) {
  rl_arena *a = rl_ctx_arena(ctx);
  const char *masked = rl_mask_secret(a, u->value, u->len);
  const char *where = "";
  if (u->from.path) {
    where = rl_arena_printf(a, ", written in %s:%u", u->from.path, u->from.line);
    rl_ctx_related(ctx, u->from.path, u->from.line, u->from.col,
                   rl_arena_printf(a, "the fallback of %.*s is written here", (int)u->env_len, u->env));
  }
  rl_report(ctx, u->key,
            "%s %s that falls back to a literal when %.*s is unset ('%s'%s)%s: a server started without the "
            "variable runs with it, and anyone who reads the code can use it too; fail at startup when %.*s is "
            "missing instead",
            u->name, u->api->does, (int)u->env_len, u->env, masked, where,
            key_looks_placeholder(u->value, u->len) ? ", a placeholder" : "", (int)u->env_len, u->env);
}

static void report_key(void *data, const rl_key_use *u) {
  rl_ctx *ctx = data;
  if (!key_reported(ctx, u) || reported_there(u)) return;
  rl_arena *a = rl_ctx_arena(ctx);
  /* a public default, not masked: the word "secret" would go from every message */
  if (livekit_dev_pair(rl_ctx_js(ctx), u)) {
    rl_ctx_cap_severity(ctx, RL_SEV_NOTE);
    rl_report(ctx, u->key,
              "%s %s written in the code: the LiveKit dev server's default key pair (devkey), which only a server "
              "started with `livekit-server --dev` accepts; read the API key and secret from the environment before "
              "this runs against a real server",
              u->name, u->api->does);
    return;
  }
  if (!ts_node_is_null(u->lit)) {
    uint32_t start = ts_node_start_byte(u->lit), end = ts_node_end_byte(u->lit);
    if (end - start >= 2) rl_ctx_mark_secret(ctx, start + 1, end - 1);
  }
  if (u->env) {
    report_fallback(ctx, u);
    return;
  }
  TSNode k = rl_js_unwrap(u->key);
  size_t nl = 0;
  const char *name = type_is_ident(k) ||
                             (!ts_node_is_null(k) && !strcmp(ts_node_type(k), "shorthand_property_identifier")) ||
                             !ts_node_is_null(rl_js_this_value(rl_ctx_js(ctx), k))
                         ? rl_js_text(rl_ctx_js(ctx), k, &nl)
                         : NULL;
  const char *via = name ? rl_arena_printf(a, "%.*s = ", (int)nl, name) : "";
  if (key_looks_placeholder(u->value, u->len))
    rl_report(ctx, u->key,
              "%s %s written in the code (%s'%s'), a placeholder the code runs with: anyone who reads it can use it "
              "too; set a real key from the environment",
              u->name, u->api->does, via, rl_mask_secret(a, u->value, u->len));
  else
    rl_report(ctx, u->key, "%s %s written in the code (%s'%s')", u->name, u->api->does, via,
              rl_mask_secret(a, u->value, u->len));
}

/* The key uses with no literal in this file: their string was never a match of on_string. */
static void report_key_unwritten(void *data, const rl_key_use *u) {
  if (ts_node_is_null(u->lit)) report_key(data, u);
}

/* ---- (f) a credential written into a request's Authorization header -----------------
 * `headers: { Authorization: 'Bearer <key>' }` of a fetch or axios request
 * (requrl.c), also 'Bearer ' + '<key>', `Bearer <key>`, `Bearer ${KEY}` and a
 * const holding the key or the whole header: the key is sent as the app's
 * credential wherever the request goes, so one answer for every host; the
 * message names the provider when the host is a provider's REST API
 * (privileged.c's hosts), and the Daily API key when it has that key's shape.
 * The key must look like a credential (rl_secret_value_is_credential, or the
 * Daily key row of secrets.c); formats, 100ms JWTs and secret-named consts keep their own
 * findings. Not in test files (sample headers), and not headers set through
 * axios.create or headers.set(). */

static int is_type(TSNode n, const char *t) { return !ts_node_is_null(n) && !strcmp(ts_node_type(n), t); }

/* Through const bindings to what a name holds. */
static TSNode held(rl_jsfile *jf, TSNode v) {
  v = rl_js_unwrap(v);
  for (int hop = 0; hop < 4 && type_is_ident(v); hop++) {
    TSNode init = rl_js_unwrap(rl_js_const_init(jf, v));
    if (ts_node_is_null(init)) break;
    v = init;
  }
  return v;
}

/* The key of an Authorization value "Bearer <key>" and the literal that holds it. */
static int bearer_key(rl_jsfile *jf, TSNode v, TSNode *lit, const char **key, size_t *klen) {
  v = held(jf, v);
  const char *t;
  size_t tl;
  TSNode holder = v;
  if (is_type(v, "binary_expression")) {
    if (!rl_js_eval_string(jf, v, &t, &tl)) return 0;
    holder = held(jf, rl_js_field(v, "right"));
  } else if (is_type(v, "template_string") && !rl_js_string_value(jf, v, &t, &tl)) {
    /* `Bearer ${KEY}`: one substitution, last */
    size_t prefix;
    TSNode sub = ts_node_named_child(v, ts_node_named_child_count(v) - 1);
    const char *st;
    size_t sl;
    if (!rl_js_template_static(jf, v, &st, &sl, &prefix) || prefix != sl || !is_type(sub, "template_substitution"))
      return 0;
    const char *kv;
    size_t kl;
    TSNode x = ts_node_named_child(sub, 0);
    if (!rl_js_eval_string(jf, x, &kv, &kl)) return 0;
    t = rl_arena_printf(rl_jsfile_arena(jf), "%.*s%.*s", (int)sl, st, (int)kl, kv);
    tl = sl + kl;
    holder = held(jf, x);
  } else if (!rl_js_string_value(jf, v, &t, &tl)) {
    return 0;
  }
  if (tl < 8 || rl_strncasecmp_ascii(t, "Bearer ", 7) != 0) return 0;
  size_t i = 7;
  while (i < tl && t[i] == ' ') i++;
  if (!is_type(holder, "string") && !is_type(holder, "template_string")) return 0;
  *lit = holder;
  *key = t + i;
  *klen = tl - i;
  return 1;
}

/* 1 when (a)-(d) report the literal where it is written. */
static int claimed_elsewhere(rl_ctx *ctx, rl_jsfile *jf, TSNode lit, const char *key, size_t kl) {
  const rl_source *src = rl_ctx_source(ctx);
  size_t fs, fl;
  const char *tok;
  size_t tok_len;
  if (rl_secret_find_format(key, kl, 0, &fs, &fl) ||
      rl_secret_find_jwt(rl_ctx_arena(ctx), key, kl, RL_JWT_KINDS_HMS, &tok, &tok_len) != RL_JWT_NONE)
    return 1;
  rl_binding b;
  const char *lv;
  size_t ll;
  if (!rl_bound_name(jf, lit, &b) || !rl_js_string_value(jf, lit, &lv, &ll)) return 0;
  return rl_secret_allowed(b.name, b.name_len, lv, ll) ||
         rl_secret_named_format(b.name, b.name_len, lv, ll, src->bytes, src->len) ||
         (rl_name_is_secret(b.name, b.name_len) && rl_secret_value_is_credential(lv, ll));
}

static int header_visit(void *data, TSNode n) {
  rl_ctx *ctx = data;
  rl_jsfile *jf = rl_ctx_js(ctx);
  rl_request r;
  if (!is_type(n, "call_expression") || !rl_request_parse(jf, n, &r)) return 0;
  TSNode v = rl_request_header(jf, &r, "Authorization"), lit;
  const char *key;
  size_t kl;
  if (ts_node_is_null(v) || !bearer_key(jf, v, &lit, &key, &kl)) return 0;
  const char *provider = r.url ? rl_priv_rest_host(r.url, r.url_len) : NULL;
  /* what a Daily API key looks like is secrets.c's row, asked by the name it
   * is known by: the header of a request to Daily carries that key */
  const rl_secret_format *f =
      provider && !strcmp(provider, "Daily") ? rl_secret_named_format("DAILY_API_KEY", 13, key, kl, NULL, 0) : NULL;
  if (!f && !rl_secret_value_is_credential(key, kl)) return 0;
  if (rl_value_says_placeholder(key, kl) || claimed_elsewhere(ctx, jf, lit, key, kl)) return 0;
  /* mask the key where the literal holds it byte for byte, else the whole literal */
  const rl_source *src = rl_ctx_source(ctx);
  uint32_t ls = ts_node_start_byte(lit), le = ts_node_end_byte(lit);
  const char *at = memmem(src->bytes + ls, le - ls, key, kl);
  if (at)
    rl_ctx_mark_secret(ctx, (uint32_t)(at - src->bytes), (uint32_t)(at - src->bytes + kl));
  else if (le - ls >= 2)
    rl_ctx_mark_secret(ctx, ls + 1, le - 1);
  rl_arena *a = rl_ctx_arena(ctx);
  if (provider)
    rl_report(ctx, lit, "%s hard-coded in the Authorization header of a request to %s's REST API (%s)",
              f ? f->name : "credential", provider, rl_mask_secret(a, key, kl));
  else
    rl_report(ctx, lit, "credential hard-coded in the Authorization header of a request to %s (%s)",
              rl_url_shown(a, r.url, r.url_len), rl_mask_secret(a, key, kl));
  return 0;
}

static void on_headers(rl_ctx *ctx) {
  const rl_source *src = rl_ctx_source(ctx);
  rl_jsfile *jf = rl_ctx_js(ctx);
  if (!jf || rl_ctx_context(ctx) == RL_CTX_TEST || !rl_memcasemem(src->bytes, src->len, "bearer")) return;
  rl_js_walk(rl_ctx_root(ctx), header_visit, ctx);
}

/* A LiveKit or Twilio access token pasted into the code (the quickstarts'
 * "this sample hard-codes a token" shape): the message says whose token it is
 * and when it expires. One whose exp has passed grants nothing any more: a
 * note (the app only works while someone pastes fresh tokens in). */
static int provider_jwt(rl_ctx *ctx, TSNode s, const char *v, size_t len, const char *where, uint32_t start,
                        uint32_t end) {
  rl_arena *a = rl_ctx_arena(ctx);
  const char *hit;
  size_t hit_len;
  rl_jwt_kind kind = rl_secret_find_jwt(a, v, len, (1u << RL_JWT_LIVEKIT) | (1u << RL_JWT_TWILIO), &hit, &hit_len);
  rl_jwt jwt;
  if (kind == RL_JWT_NONE || !rl_jwt_decode(hit, hit_len, a, &jwt)) return 0;
  char day[32] = "";
  if (jwt.exp > 0 && jwt.exp < 253402300800.0) { /* before year 10000 */
    time_t t = (time_t)jwt.exp;
    struct tm tm;
    if (gmtime_r(&t, &tm)) strftime(day, sizeof day, "%Y-%m-%d", &tm);
  }
  rl_ctx_mark_secret(ctx, start, end);
  const char *masked = rl_mask_secret(a, hit, hit_len);
  if (day[0] && jwt.exp < (double)time(NULL)) {
    rl_ctx_cap_severity(ctx, RL_SEV_NOTE);
    rl_report(ctx, s,
              "%s (JWT) hard-coded %s (%s), expired on %s: it grants nothing now, and the app works only while "
              "someone pastes fresh tokens into the code; mint them on a server per user",
              rl_jwt_kind_name(kind), where, masked, day);
  } else {
    rl_report(ctx, s, "%s (JWT) hard-coded %s (%s): anyone who reads the code can join with it %s%s",
              rl_jwt_kind_name(kind), where, masked, day[0] ? "until " : "for as long as it is valid",
              day[0] ? day : "");
  }
  return 1;
}

/* (a)-(c) at the string s, and (d) inside it: 1 once s is dealt with (reported, or
 * allowed by the configuration), 0 when no shape claims it. */
static int string_shapes(rl_ctx *ctx, rl_jsfile *jf, TSNode s) {
  const char *v;
  size_t len, prefix;
  /* A template with substitutions is searched for the 100ms shapes in its
   * static text, but it is not a whole value that a name can describe. */
  int whole = rl_js_string_value(jf, s, &v, &len);
  if (!whole && !rl_js_template_static(jf, s, &v, &len, &prefix)) return 0;
  if (len < 8) return 0;
  rl_arena *a = rl_ctx_arena(ctx);
  rl_binding b;
  int named = rl_bound_name(jf, s, &b);
  const char *where = named ? rl_arena_printf(a, "in '%.*s'", (int)b.display_len, b.display) : "in a string literal";
  uint32_t start = ts_node_start_byte(s), end = ts_node_end_byte(s);
  /* Mask the contents, keep the quotes visible. */
  if (end - start >= 2) {
    start++;
    end--;
  }

  size_t fs, fl;
  if (rl_secret_find_format(v, len, 0, &fs, &fl)) return 1;                      /* (d): on_formats reports it */
  if (named && whole && rl_secret_allowed(b.name, b.name_len, v, len)) return 1; /* allowed: silent */
  const char *hit = rl_secret_find_app_secret(v, len);
  if (hit) {
    rl_ctx_mark_secret(ctx, start, end);
    rl_report(ctx, s, "100ms app secret hard-coded %s (%s)", where, rl_mask_secret(a, hit, 172));
    return 1;
  }
  size_t hit_len = 0;
  rl_jwt_kind kind = rl_secret_find_jwt(a, v, len, RL_JWT_KINDS_HMS, &hit, &hit_len);
  const char *type = kind == RL_JWT_HMS_MANAGEMENT ? "management" : "app";
  if (kind != RL_JWT_NONE) {
    /* An app token in a test is sample data for decoding tests; judged here
     * once, not again by its name below. */
    if (strcmp(type, "management") != 0 && rl_ctx_context(ctx) == RL_CTX_TEST) return 0;
    rl_ctx_mark_secret(ctx, start, end);
    rl_report(ctx, s, "100ms %s token (JWT) hard-coded %s (%s)", type, where, rl_mask_secret(a, hit, hit_len));
    return 1;
  }
  if (rl_ctx_context(ctx) != RL_CTX_TEST && provider_jwt(ctx, s, v, len, where, start, end)) return 1;
  size_t pa, pl;
  if (rl_secret_url_password(v, len, &pa, &pl)) {
    /* mongoose.connect('mongodb+srv://app:<password>@cluster0...'): the
     * password is in the source, whatever the string is bound to */
    if (rl_ctx_context(ctx) == RL_CTX_TEST) return 0;
    /* mask the password alone when the literal holds no escapes (its text
     * is the value, byte for byte) */
    const rl_source *src = rl_ctx_source(ctx);
    if (whole && end - start == len && !memcmp(src->bytes + start, v, len))
      rl_ctx_mark_secret(ctx, start + (uint32_t)pa, start + (uint32_t)(pa + pl));
    else
      rl_ctx_mark_secret(ctx, start, end);
    rl_report(ctx, s, "password hard-coded in a connection string %s (%.*s%s%.*s)", where, (int)pa, v,
              rl_mask_secret(a, v + pa, pl), (int)(len - pa - pl), v + pa + pl);
    return 1;
  }
  if (!named || !whole) return 0;
  if (named_format(ctx, s, &b, v, len, where)) return 1;
  /* A JWT in a test is a sample for decoding tests (100ms ones were judged
   * above); outside tests a token bound to a secret name is a credential. */
  rl_jwt any;
  if (rl_ctx_context(ctx) == RL_CTX_TEST && rl_jwt_decode(v, len, a, &any)) return 0;
  int secret_name = rl_name_is_secret(b.name, b.name_len) || (b.env && rl_name_is_secret(b.env, b.env_len));
  if (!secret_name || !rl_secret_value_is_credential(v, len)) return 0;
  if (b.env && rl_secret_allowed(b.env, b.env_len, NULL, 0)) return 1;
  rl_ctx_mark_secret(ctx, start, end);
  rl_report(ctx, s, "credential hard-coded %s (%s)", where, rl_mask_secret(a, v, len));
  return 1;
}

static void on_string(rl_ctx *ctx, rl_jsfile *jf, TSNode s) {
  if (string_shapes(ctx, jf, s)) return;
  /* (e): the shapes above keep their message; a key use of s is reported now */
  if (rl_ctx_context(ctx) == RL_CTX_TEST) return;
  rl_keys_at_literal(jf, s, report_key, ctx);
}

/* Every string and template literal, in document order: a walk of the
 * file's node index (a tree-sitter query for `(string) @str` cost more
 * than the rest of the rule on large files). */
static int string_visit(void *data, TSNode n) {
  rl_ctx *ctx = data;
  const char *t = ts_node_type(n);
  if (!strcmp(t, "string") || !strcmp(t, "template_string")) on_string(ctx, rl_ctx_js(ctx), n);
  return 0;
}

/* ---- prefilter: the three shapes, read off the bytes ------------------------------ */

static int space_byte(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* (c): quoted text that rl_secret_value_is_credential could accept. Text with escapes
 * is judged loosely: its value is not known here, only that whitespace
 * escapes (\n, \t, \r) put whitespace in it, which no credential has. */
static int literal_may_be_credential(const char *t, size_t n, int escaped, void *arg) {
  (void)arg;
  if (n < 12) return 0;
  if (!escaped) return rl_secret_value_is_credential(t, n);
  for (size_t i = 0; i + 1 < n; i++) {
    if (t[i] != '\\') continue;
    if (t[i + 1] == 'n' || t[i + 1] == 't' || t[i + 1] == 'r') return 0;
    i++; /* the escaped character, whatever it is */
  }
  return 1;
}

/* (c) needs a literal bound to a secret name (rules/bindname.c): the name,
 * then a binding (`=`, `:` of a key or a type annotation, an op-assignment,
 * or `||`/`??` after an env read), then the value, which holds the literal
 * somewhere before the value ends at a `,`, `;` or closing bracket of its
 * own level. Closing quotes and brackets, `!`, `?` and comments may sit
 * between name and binding (obj['appSecret'] =, env.get('X_SECRET') ??,
 * secret?: string =). */
typedef struct bound_scan {
  const char *b;
  size_t n;
  size_t budget; /* bytes the value scans may still read; then assume yes */
} bound_scan;

static int op_byte(char c) { return c && strchr("+-*/%&|^<>", c) != NULL; }

/* `as` or `satisfies` at i: the keyword's length, else 0. */
static size_t type_keyword(const char *b, size_t n, size_t i) {
  if (n - i >= 3 && !memcmp(b + i, "as", 2) && space_byte((unsigned char)b[i + 2])) return 2;
  if (n - i >= 10 && !memcmp(b + i, "satisfies", 9) && space_byte((unsigned char)b[i + 9])) return 9;
  return 0;
}

/* Where the bound value starts after a name ending at i: an offset, 0 for
 * no binding, or SIZE_MAX for "cannot tell". */
static size_t binding_after(const char *b, size_t n, size_t i) {
  for (;;) {
    while (i < n && ((b[i] && strchr("'\"`)]", b[i])) || (b[i] == '!' && (i + 1 >= n || b[i + 1] != '=')) ||
                     (b[i] == '?' && (i + 1 >= n || b[i + 1] != '?'))))
      i++;
    size_t j = rl_pf_skip_blank(b, n, i);
    if (j != i) {
      i = j;
      continue;
    }
    /* `(appSecret as any) = '...'`: skip the type to what follows it */
    size_t kw = i < n ? type_keyword(b, n, i) : 0;
    if (!kw) break;
    for (i += kw; i < n && !strchr(")=;,}\n", b[i]); i++) {
    }
    if (i < n && b[i] == '=' && i + 1 < n && b[i + 1] == '>') return SIZE_MAX; /* as () => T */
  }
  if (i >= n) return 0;
  char c = b[i], next = i + 1 < n ? b[i + 1] : '\0';
  if (c == '=') return next == '=' || next == '>' ? 0 : i + 1;
  if (c == ':') return i + 1;
  if ((c == '|' && next == '|') || (c == '?' && next == '?')) return i + 2;
  if (op_byte(c)) {
    /* op-assignments (+=, **=, >>>=, &&=); not <= or >= */
    size_t j = i;
    while (j < n && op_byte(b[j])) j++;
    if (j - i == 1 && (c == '<' || c == '>')) return 0;
    return j < n && b[j] == '=' ? j + 1 : 0;
  }
  return 0;
}

/* At a '/', quote or backtick in code: moves *i past a comment, or past a
 * ' or " string (judged as a possible credential when `judge` is set), and
 * returns 0; returns 1 when the scan must stop with "maybe": a regex (it
 * could hide quotes and brackets), a template, an unclosed string, or a
 * string that could be the credential. */
static int skip_lexeme(bound_scan *s, size_t *i, int judge) {
  char c = s->b[*i];
  if (c == '/') {
    size_t j = rl_pf_skip_blank(s->b, s->n, *i); /* a comment, and the blanks after it */
    if (j == *i) return 1;
    *i = j;
    return 0;
  }
  if (c == '`') return 1;
  int escaped;
  size_t j = rl_pf_string_end(s->b, s->n, *i, &escaped);
  if (!j || (judge && literal_may_be_credential(s->b + *i + 1, j - *i - 2, escaped, NULL))) return 1;
  *i = j;
  return 0;
}

static int lexeme_start(char c) { return c == '/' || c == '\'' || c == '"' || c == '`'; }

/* 1 if the value at i may hold a literal that could be a credential. Read as
 * code: strings are lexed and judged (too short, or whitespace inside: not a
 * credential), and calls' arguments, arrays and subscripts are skipped whole.
 * A template, or a slash that opens no comment (a regex could hide quotes and
 * brackets), ends the scan with "yes". Angle brackets are counted apart, so a
 * generic type's commas (Record<string, string>) do not end the value; a `<`
 * that is a comparison only makes the scan read further. */
static int value_may_hold_literal(bound_scan *s, size_t i) {
  int depth = 0, angle = 0;
  while (i < s->n) {
    if (s->budget == 0) return 1;
    s->budget--;
    char c = s->b[i];
    if (lexeme_start(c)) {
      if (skip_lexeme(s, &i, 1)) return 1;
      continue;
    }
    /* a call's arguments (after a name or a closing bracket), an array, a
     * subscript: skipped whole */
    char prev = i > 0 ? s->b[i - 1] : ' ';
    if (c == '[' || (c == '(' && (is_b64url(prev) || prev == '$' || prev == ')' || prev == ']'))) {
      size_t j = rl_pf_group_end(s->b, s->n, i, &s->budget);
      if (!j) return 1;
      i = j;
      continue;
    }
    switch (c) {
    case '(':
    case '{': depth++; break;
    case ')':
    case ']':
    case '}':
      if (depth == 0) return 0;
      depth--;
      break;
    case '<': angle++; break;
    case '>':
      if (angle > 0 && !(i > 0 && s->b[i - 1] == '=')) angle--;
      break;
    case ',':
    case ';':
      if (depth == 0 && angle == 0) return 0;
      break;
    default: break;
    }
    i++;
  }
  return 0;
}

/* A key or a type annotation (`name:`) starts a statement, a member or a
 * parameter: before it (past blanks and comments' ends) comes nothing, one
 * of { } ( ) [ , ; ? . = or a quote, or a declaring keyword. `current token:`
 * and `'a=ice-pwd:'` (text inside strings) are not keys. */
static int may_start_key(const char *b, size_t start) {
  static const char *const words[] = {"const",   "let",       "var",     "static",   "readonly", "public",
                                      "private", "protected", "declare", "abstract", "override", "accessor",
                                      "export",  "async",     "get",     "set",      "case",     NULL};
  size_t i = start;
  while (i > 0 && space_byte((unsigned char)b[i - 1])) i--;
  if (i == 0 || strchr("{}()[],;?.='\"`/", b[i - 1])) return 1; /* '/': the end of a comment */
  size_t e = i;
  while (i > 0 && is_b64url(b[i - 1]) && b[i - 1] != '-') i--;
  for (size_t k = 0; words[k]; k++)
    if (e - i == strlen(words[k]) && !memcmp(b + i, words[k], e - i)) return 1;
  return 0;
}

static int name_bound_to_literal(size_t start, size_t end, void *arg) {
  bound_scan *s = arg;
  size_t v = binding_after(s->b, s->n, end);
  if (v == 0) return 0;
  if (v != SIZE_MAX && s->b[v - 1] == ':' && !may_start_key(s->b, start)) return 0;
  return v == SIZE_MAX || value_may_hold_literal(s, v);
}

/* A URL with a password in it anywhere in the bytes (each "://" read to the
 * end of its line). */
static int url_password_possible(const char *b, size_t n) {
  for (const char *p = b; (p = memmem(p, n - (size_t)(p - b), "://", 3)) != NULL; p += 3) {
    const char *line = memchr(p, '\n', n - (size_t)(p - b));
    size_t at, pl;
    if (rl_secret_url_password(p, line ? (size_t)(line - p) : n - (size_t)(p - b), &at, &pl)) return 1;
  }
  return 0;
}

static int can_fire(rl_prefilter *pf) {
  size_t n;
  const char *b = rl_pf_bytes(pf, &n);
  if (url_password_possible(b, n)) return 1;
  /* (a) as on_string finds it: 171 base64 characters and '=' */
  size_t fs, fl;
  if (rl_pf_has(pf, "eyJ") || rl_secret_find_app_secret(b, n) || rl_secret_find_format(b, n, 0, &fs, &fl) ||
      rl_keys_possible(pf))
    return 1;
  /* (f): a Bearer value in an Authorization header */
  if (rl_pf_has_caseless(pf, "bearer") && rl_pf_has_caseless(pf, "authorization")) return 1;
  /* the names of named formats (DAILY_KEY, agoraCert) are not all secret names */
  if ((rl_pf_has_caseless(pf, "daily") && rl_pf_has_caseless(pf, "key")) ||
      (rl_pf_has_caseless(pf, "agora") && rl_pf_has_caseless(pf, "cert")))
    return 1;
  if (!rl_pf_each_quoted(pf, space_byte, literal_may_be_credential, NULL)) return 0;
  bound_scan s = {b, n, 4 * n + 4096};
  return rl_pf_each_secret_name(pf, name_bound_to_literal, &s);
}

/* ---- the text-level detector: the three shapes with no tree ------------------------ */

/* --history reads old versions of files as text. (a) and (b) are found by
 * their shape wherever they are; (c) is a secret-named name, a binding and
 * a ' or " literal right after it (the lexical shape can_fire reads, cut to
 * the literal that follows at once), judged by the same tests as on_string. */
typedef struct text_scan {
  rl_ctx *ctx;
  const char *b;
  size_t n;
  int test;
} text_scan;

static void report_text(rl_ctx *ctx, const char *b, const char *at, size_t len, const char *what) {
  uint32_t s = (uint32_t)(at - b), e = (uint32_t)(at - b + len);
  rl_ctx_mark_secret(ctx, s, e);
  rl_report_range(ctx, s, e, "%s in the file's text (%s)", what, rl_mask_secret(rl_ctx_arena(ctx), at, len));
}

static int text_named(size_t start, size_t end, void *arg) {
  text_scan *t = arg;
  size_t v = binding_after(t->b, t->n, end);
  if (v == 0 || v == SIZE_MAX) return 0;
  if (t->b[v - 1] == ':' && !may_start_key(t->b, start)) return 0;
  v = rl_pf_skip_blank(t->b, t->n, v);
  if (v >= t->n || (t->b[v] != '\'' && t->b[v] != '"')) return 0;
  int escaped;
  size_t e = rl_pf_string_end(t->b, t->n, v, &escaped);
  if (!e || escaped) return 0;
  const char *val = t->b + v + 1;
  size_t len = e - v - 2;
  rl_arena *a = rl_ctx_arena(t->ctx);
  const char *tok;
  size_t tok_len;
  /* the shapes (a) and (b) were reported where they are */
  if (len < 8 || rl_secret_find_app_secret(val, len) ||
      rl_secret_find_jwt(a, val, len, RL_JWT_KINDS_HMS, &tok, &tok_len) != RL_JWT_NONE)
    return 0;
  size_t fs, fl;
  if (rl_secret_find_format(val, len, 0, &fs, &fl)) return 0; /* reported by on_formats */
  const char *name = t->b + start;
  size_t nl = end - start;
  if (nl >= 2 && (name[0] == '\'' || name[0] == '"')) {
    name++;
    nl -= 2;
  }
  if (rl_secret_allowed(name, nl, val, len)) return 0;
  const rl_secret_format *f = rl_secret_named_format(name, nl, val, len, t->b, t->n);
  rl_jwt any;
  if (!f && t->test && rl_jwt_decode(val, len, a, &any)) return 0;
  if (!f && !rl_secret_value_is_credential(val, len)) return 0;
  uint32_t s = (uint32_t)(v + 1), ve = (uint32_t)(e - 1);
  rl_ctx_mark_secret(t->ctx, s, ve);
  rl_report_range(t->ctx, (uint32_t)v, (uint32_t)e, "%s hard-coded in '%.*s' (%s)", f ? f->name : "credential", (int)nl,
                  name, rl_mask_secret(a, val, len));
  return 0;
}

/* (d) over the file's bytes; (e) for keys with no literal in this file. */
static void on_file(rl_ctx *ctx) {
  rl_jsfile *jf = rl_ctx_js(ctx);
  if (jf) rl_js_walk(rl_ctx_root(ctx), string_visit, ctx);
  on_formats(ctx);
  on_headers(ctx);
  if (jf && rl_ctx_context(ctx) != RL_CTX_TEST) rl_keys_each(jf, rl_ctx_root(ctx), report_key_unwritten, ctx);
}

static void on_text(rl_ctx *ctx) {
  const rl_source *src = rl_ctx_source(ctx);
  const char *b = src->bytes;
  size_t n = src->len;
  rl_arena *a = rl_ctx_arena(ctx);
  int test = rl_ctx_context(ctx) == RL_CTX_TEST;
  for (const char *p = b, *hit; (hit = rl_secret_find_app_secret(p, (size_t)(b + n - p))) != NULL; p = hit + 172)
    report_text(ctx, b, hit, 172, "100ms app secret");
  const char *p = b;
  while (p < b + n) {
    const char *tok;
    size_t tok_len;
    rl_jwt_kind kind = rl_secret_find_jwt(a, p, (size_t)(b + n - p), RL_JWT_KINDS_HMS, &tok, &tok_len);
    if (kind == RL_JWT_NONE) break;
    if (kind == RL_JWT_HMS_MANAGEMENT || !test)
      report_text(ctx, b, tok, tok_len,
                  kind == RL_JWT_HMS_MANAGEMENT ? "100ms management token (JWT)" : "100ms app token (JWT)");
    p = tok + tok_len;
  }
  rl_prefilter pf;
  rl_prefilter_init(&pf, b, n, src->lang);
  text_scan t = {ctx, b, n, test};
  rl_pf_each_secret_name(&pf, text_named, &t);
  rl_prefilter_clear(&pf);
  on_formats(ctx);
}

const rl_rule rl_rule_hardcoded_secret = {
    .id = "hardcoded-secret",
    .title = "Credential hard-coded in source",
    .severity = RL_SEV_ERROR,
    .cwe = 798,
    .doc = rl_doc__hardcoded_secret,
    .langs = RL_LANGS_CODE | RL_LANG_BIT(RL_LANG_JSON), /* JSON: service-account files, formats only */
    .contexts = 0,
    .query = NULL,
    .on_file = on_file,
    /* A secret-named binding can have any name and an app secret has no fixed
     * text, so no literal is common to every finding; can_fire reads the
     * three shapes off the bytes instead. */
    .needles = NULL,
    .can_fire = can_fire,
    .bad_example = "const hms = {\n"
                   "  accessKey: '64f1c2a9e4b0d1a2b3c4d5e6',\n"
                   "  appSecret: 'q9Zt4Xb2Lm8Np1Rk7Vw3Hs6Jd0Fg5Ce2Ua',\n"
                   "};\n",
    .good_example = "const hms = {\n"
                    "  accessKey: process.env.HMS_ACCESS_KEY,\n"
                    "  appSecret: process.env.HMS_APP_SECRET,\n"
                    "};\n",
    .precision = "high",
    .security_severity = "9.1",
    .on_text = on_text,
};
