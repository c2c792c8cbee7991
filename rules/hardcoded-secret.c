/* hardcoded-secret: a credential written as a literal in JS/TS.
 *
 * Three shapes, strongest first:
 *   (a) a 100ms app secret, recognised by its shape alone;
 *   (b) a 100ms JWT (management or app token), recognised by its payload;
 *   (c) a secret-looking literal bound to a secret-named variable, key, field,
 *       parameter default or JSX attribute.
 * All three apply in test files too: a real secret committed in a test is
 * still in the repository's history. Test files are where fakes live, so (c)
 * skips values that say they are fakes, and (b) reports app tokens (short
 * lived by design, often sample data) only outside tests; a management token
 * is reported everywhere. */
#include <string.h>

#include "analysis.h"
#include "bindname.h"
#include "prefilter.h"
#include "rule.h"
#include "util.h"

extern const char rl_doc__hardcoded_secret[];

/* Words that mark a value as a stand-in, not a credential. */
static const char *const fake_words[] = {"test",    "fake",     "dummy", "mock", "example", "sample", "placeholder",
                                         "your",    "changeme", "change-me", "change_me", "replace", "todo", "xxxx",
                                         "redacted", NULL};

static int is_b64url(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

static int has_fake_word(const char *v, size_t len) {
  for (size_t i = 0; fake_words[i]; i++)
    if (rl_memcasemem(v, len, fake_words[i])) return 1;
  return 0;
}

/* An environment variable's name written as a string (`'HMS_APP_SECRET'`),
 * as config code that maps keys to variable names does. */
static int is_env_var_name(const char *v, size_t len) {
  int underscore = 0;
  for (size_t i = 0; i < len; i++) {
    char c = v[i];
    if (c == '_') underscore = 1;
    else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return 0;
  }
  return underscore;
}

/* File paths and URL paths: './certs/key.pem', '/api/token', '~/.hms/key'. */
static int is_path(const char *v, size_t len) {
  if (len >= 2 && (memcmp(v, "./", 2) == 0 || memcmp(v, "~/", 2) == 0)) return 1;
  if (len >= 3 && memcmp(v, "../", 3) == 0) return 1;
  if (len >= 1 && v[0] == '/') {
    for (size_t i = 0; i < len; i++)
      if (v[i] >= 'A' && v[i] <= 'Z') return memchr(v, '.', len) != NULL;
    return 1;
  }
  return 0;
}

/* A literal bound to a secret name that really is a credential. */
static int value_is_credential(const char *v, size_t len) {
  if (!rl_value_looks_secret(v, len) || rl_value_is_placeholder(v, len)) return 0;
  for (size_t i = 0; i < len; i++)
    if (v[i] == ' ' || v[i] == '\t' || v[i] == '\n' || v[i] == '\r') return 0;
  if (memmem(v, len, "://", 3) || is_path(v, len) || is_env_var_name(v, len)) return 0;
  if (v[0] == '$' || v[0] == '%' || (len >= 2 && v[0] == '{' && v[1] == '{')) return 0;
  return !has_fake_word(v, len);
}

static int is_b64(char c) { return is_b64url(c) || c == '+' || c == '/'; }

/* A 100ms app secret inside v, alone or embedded ("HMS_APP_SECRET=<secret>"):
 * a run of base64 ending in '=' that no other base64 character touches. */
static const char *find_app_secret(const char *v, size_t len) {
  size_t i = 0;
  while (i < len) {
    if (!is_b64(v[i])) {
      i++;
      continue;
    }
    size_t start = i;
    while (i < len && is_b64(v[i])) i++;
    size_t end = i;
    while (end < len && v[end] == '=') end++;
    if (end - start == 172 && rl_is_hms_app_secret(v + start, 172)) return v + start;
    i = end;
  }
  return NULL;
}

/* The first 100ms JWT in v (alone, or inside "Bearer <jwt>"): its type, and
 * where it is. */
static const char *find_hms_jwt(rl_arena *a, const char *v, size_t len, const char **tok, size_t *tok_len) {
  const char *p = v, *end = v + len;
  while (p < end) {
    const char *hit = memmem(p, (size_t)(end - p), "eyJ", 3);
    if (!hit) return NULL;
    if (hit > v && (is_b64url(hit[-1]) || hit[-1] == '.')) {
      p = hit + 3;
      continue;
    }
    const char *q = hit;
    int dots = 0;
    while (q < end && (is_b64url(*q) || (*q == '.' && dots < 2))) {
      if (*q == '.') dots++;
      q++;
    }
    if (dots == 2) {
      rl_jwt jwt;
      if (rl_jwt_decode(hit, (size_t)(q - hit), a, &jwt) && jwt.access_key && jwt.type && jwt.version == 2) {
        const char *type = NULL;
        if (strcmp(jwt.type, "management") == 0) type = "management";
        else if (strcmp(jwt.type, "app") == 0) type = "app";
        if (type) {
          *tok = hit;
          *tok_len = (size_t)(q - hit);
          return type;
        }
      }
    }
    p = q > hit + 3 ? q : hit + 3;
  }
  return NULL;
}

static void on_string(rl_ctx *ctx, const rl_match *m) {
  TSNode s = rl_match_capture(m, "str");
  rl_jsfile *jf = rl_ctx_js(ctx);
  if (ts_node_is_null(s) || !jf) return;
  const char *v;
  size_t len, prefix;
  /* A template with substitutions is searched for the 100ms shapes in its
   * static text, but it is not a whole value that a name can describe. */
  int whole = rl_js_string_value(jf, s, &v, &len);
  if (!whole && !rl_js_template_static(jf, s, &v, &len, &prefix)) return;
  if (len < 8) return;
  rl_arena *a = rl_ctx_arena(ctx);
  rl_binding b;
  int named = rl_bound_name(jf, s, &b);
  const char *where =
      named ? rl_arena_printf(a, "in '%.*s'", (int)b.display_len, b.display) : "in a string literal";
  uint32_t start = ts_node_start_byte(s), end = ts_node_end_byte(s);
  /* Mask the contents, keep the quotes visible. */
  if (end - start >= 2) {
    start++;
    end--;
  }

  const char *hit = find_app_secret(v, len);
  if (hit) {
    rl_ctx_mark_secret(ctx, start, end);
    rl_report(ctx, s, "100ms app secret hard-coded %s (%s)", where, rl_mask_secret(a, hit, 172));
    return;
  }
  size_t hit_len = 0;
  const char *type = find_hms_jwt(a, v, len, &hit, &hit_len);
  if (type) {
    /* An app token in a test is sample data for decoding tests; judged here
     * once, not again by its name below. */
    if (strcmp(type, "management") != 0 && rl_ctx_context(ctx) == RL_CTX_TEST) return;
    rl_ctx_mark_secret(ctx, start, end);
    rl_report(ctx, s, "100ms %s token (JWT) hard-coded %s (%s)", type, where, rl_mask_secret(a, hit, hit_len));
    return;
  }
  if (!named || !whole) return;
  /* A JWT in a test is a sample for decoding tests (100ms ones were judged
   * above); outside tests a token bound to a secret name is a credential. */
  rl_jwt any;
  if (rl_ctx_context(ctx) == RL_CTX_TEST && rl_jwt_decode(v, len, a, &any)) return;
  int secret_name = rl_name_is_secret(b.name, b.name_len) || (b.env && rl_name_is_secret(b.env, b.env_len));
  if (!secret_name || !value_is_credential(v, len)) return;
  rl_ctx_mark_secret(ctx, start, end);
  rl_report(ctx, s, "credential hard-coded %s (%s)", where, rl_mask_secret(a, v, len));
}

/* ---- prefilter: the three shapes, read off the bytes ------------------------------ */

static int space_byte(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* (a): a run of exactly 172 base64 characters followed by '='. */
static int has_app_secret_run(const char *b, size_t n) {
  size_t i = 0;
  while (i < n) {
    if (!is_b64(b[i])) {
      i++;
      continue;
    }
    size_t start = i;
    while (i < n && is_b64(b[i])) i++;
    if (i - start == 172 && i < n && b[i] == '=') return 1;
  }
  return 0;
}

/* (c): quoted text that value_is_credential could accept. Text with escapes
 * is judged loosely: its value is not known here, only that whitespace
 * escapes (\n, \t, \r) put whitespace in it, which no credential has. */
static int literal_may_be_credential(const char *t, size_t n, int escaped, void *arg) {
  (void)arg;
  if (n < 12) return 0;
  if (!escaped) return value_is_credential(t, n);
  for (size_t i = 0; i + 1 < n; i++) {
    if (t[i] != '\\') continue;
    if (t[i + 1] == 'n' || t[i + 1] == 't' || t[i + 1] == 'r') return 0;
    i++; /* the escaped character, whatever it is */
  }
  return 1;
}

static int can_fire(rl_prefilter *pf) {
  size_t n;
  const char *b = rl_pf_bytes(pf, &n);
  if (rl_pf_has(pf, "eyJ") || has_app_secret_run(b, n)) return 1;
  return rl_pf_secret_name(pf) && rl_pf_each_quoted(pf, space_byte, literal_may_be_credential, NULL);
}

const rl_rule rl_rule_hardcoded_secret = {
    .id = "hardcoded-secret",
    .title = "Credential hard-coded in source",
    .severity = RL_SEV_ERROR,
    .cwe = 798,
    .doc = rl_doc__hardcoded_secret,
    .langs = RL_LANGS_CODE,
    .contexts = 0,
    .query = "(string) @str\n"
             "(template_string) @str\n",
    .on_match = on_string,
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
};
