/* secret-in-env-file: a committed dotenv file that holds a real secret.
 *
 * The walker honours .gitignore for untracked files and scans every tracked
 * one, so a dotenv file that reaches this rule is one the repository commits
 * (or would commit). Reported, per entry:
 *   1. a secret-named key (rl_name_is_secret, so VITE_HMS_APP_SECRET counts as
 *      much as HMS_APP_SECRET) whose value looks like a real credential: long
 *      enough, mixed characters, not a placeholder, not a reference such as
 *      ${OTHER}, not a URL or path, no marker words of a fake value;
 *   2. under any key, a value that is a 100ms app secret by its shape or a
 *      100ms JWT (access_key and type in the payload).
 * Template files (.env.example, .sample, .template, .dist) are skipped
 * entirely: they are meant to be committed, and a realistic-looking sample
 * value in one is documentation, not a leak. Tokens that services issue for
 * browsers (Mapbox public tokens, publishable and anon keys) are not
 * secrets. */
#include <string.h>

#include "analysis.h"
#include "bindname.h"
#include "dotenv.h"
#include "rule.h"
#include "secrets.h"
#include "util.h"

extern const char rl_doc__secret_in_env_file[];

/* The 100ms JWT in a value (alone or after "Bearer "): its type, or NULL. */
static const char *hms_jwt_type(rl_arena *a, const char *v, size_t len) {
  if (len > 7 && rl_strncasecmp_ascii(v, "Bearer ", 7) == 0) {
    v += 7;
    len -= 7;
  }
  rl_jwt jwt;
  if (len < 20 || memcmp(v, "eyJ", 3) != 0 || !rl_jwt_decode(v, len, a, &jwt)) return NULL;
  if (!jwt.access_key || !jwt.type) return NULL;
  if (strcmp(jwt.type, "management") == 0) return "management";
  if (strcmp(jwt.type, "app") == 0) return "app";
  return NULL;
}

static const char *base_name(const char *path) {
  const char *base = strrchr(path, '/');
  return base ? base + 1 : path;
}

static const char *article(const char *name) { return strchr("AEIOU", name[0]) ? "an" : "a"; }

/* Well-known formats (secrets.c's table) anywhere in the file: in a value
 * they are reported with its key, in a comment on their own. An entry
 * holding one is judged here, not again by its name. */
static void report_formats(rl_ctx *ctx, const rl_dotenv_entry *e, size_t n, const char *file) {
  const rl_source *src = rl_ctx_source(ctx);
  rl_arena *a = rl_ctx_arena(ctx);
  size_t at = 0, len = 0, k = 0;
  for (const rl_secret_format *f; (f = rl_secret_find_format(src->bytes, src->len, at, &at, &len)) != NULL; at += len) {
    while (k < n && e[k].value_end <= at) k++;
    int in_value = k < n && e[k].value_start <= at;
    if (rl_secret_allowed(in_value ? e[k].key : NULL, in_value ? e[k].key_len : 0, src->bytes + at, len)) continue;
    rl_ctx_mark_secret(ctx, (uint32_t)at, (uint32_t)(at + len));
    const char *masked = rl_mask_secret(a, src->bytes + at, len);
    if (in_value)
      rl_report_range(ctx, e[k].key_start, e[k].value_end,
                      "%.*s holds %s %s (%s) in a committed %s file: keep secrets out of the repository",
                      (int)e[k].key_len, e[k].key, article(f->name), f->name, masked, file);
    else
      rl_report_range(ctx, (uint32_t)at, (uint32_t)(at + len),
                      "%s %s (%s) is written in a comment of a committed %s file: it is still in the repository",
                      article(f->name), f->name, masked, file);
  }
}

/* A shorter value under a secret-named key: 8 to 11 characters of letters
 * and digits mixed, no placeholder (a JWT_SECRET of "salman123" is a weak
 * secret, and a committed one). */
static int short_secret(const char *v, size_t vl) {
  if (vl < 8 || vl >= 12 || rl_value_is_placeholder(v, vl)) return 0;
  int letters = 0, digits = 0;
  for (size_t i = 0; i < vl; i++) {
    char c = v[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
      letters = 1;
    else if (c >= '0' && c <= '9')
      digits = 1;
    else if (!strchr("!@#%&*_-.+=?", c))
      return 0;
  }
  return letters && digits;
}

/* A Google app password as the account page shows it: four groups of four
 * lower-case letters, spaces between (what SMTP settings of demo apps hold). */
static int google_app_password(const char *v, size_t vl) {
  if (vl != 19) return 0;
  for (size_t i = 0; i < vl; i++) {
    if (i % 5 == 4 ? v[i] != ' ' : !(v[i] >= 'a' && v[i] <= 'z')) return 0;
  }
  return 1;
}

/* A password inside a connection string, under any key: reported with the
 * rest of the URL visible and the password masked. */
static int report_url_password(rl_ctx *ctx, const rl_dotenv_entry *e, const char *file) {
  size_t at, pl;
  if (!rl_secret_url_password(e->value, e->value_len, &at, &pl)) return 0;
  rl_arena *a = rl_ctx_arena(ctx);
  uint32_t vs = e->value_start + (e->quote ? 1 : 0);
  rl_ctx_mark_secret(ctx, vs + (uint32_t)at, vs + (uint32_t)(at + pl));
  const char *shown = rl_arena_printf(a, "%.*s%s%.*s", (int)at, e->value, rl_mask_secret(a, e->value + at, pl),
                                      (int)(e->value_len - at - pl), e->value + at + pl);
  rl_report_range(ctx, e->key_start, e->value_end,
                  "%.*s carries a password in its URL (%s) in a committed %s file: keep secrets out of the repository",
                  (int)e->key_len, e->key, shown, file);
  return 1;
}

static int has_format(const char *v, size_t vl) {
  size_t s, l;
  return rl_secret_find_format(v, vl, 0, &s, &l) != NULL;
}

static void on_file(rl_ctx *ctx) {
  const rl_source *src = rl_ctx_source(ctx);
  if (src->lang != RL_LANG_DOTENV || rl_dotenv_is_template(src->path)) return;
  const char *file = base_name(src->path);
  rl_arena *a = rl_ctx_arena(ctx);
  size_t n = 0;
  const rl_dotenv_entry *e = rl_ctx_dotenv(ctx, &n);
  report_formats(ctx, e, n, file);
  for (size_t i = 0; i < n; i++) {
    const char *k = e[i].key, *v = e[i].value;
    size_t kl = e[i].key_len, vl = e[i].value_len;
    if (vl == 0 || has_format(v, vl) || rl_secret_allowed(k, kl, v, vl)) continue;
    if (report_url_password(ctx, &e[i], file)) continue;
    const char *what = NULL;
    const rl_secret_format *nf = rl_secret_named_format(k, kl, v, vl, src->bytes, src->len);
    if (nf) {
      what = nf->name;
    } else if (rl_is_hms_app_secret(v, vl)) {
      what = "a 100ms app secret";
    } else {
      const char *type = hms_jwt_type(a, v, vl);
      if (type) what = strcmp(type, "management") == 0 ? "a 100ms management token" : "a 100ms app token";
    }
    int named = !nf && rl_name_is_secret(k, kl) && !rl_name_is_public_by_design(k, kl) &&
                !rl_secret_public_value(v, vl);
    int app_password = !what && named && google_app_password(v, vl);
    if (app_password) what = "a Google app password";
    if (!what && !(named && (rl_value_looks_secret(v, vl) || short_secret(v, vl)) && !rl_secret_has_fake_word(v, vl)))
      continue;
    uint32_t vs = e[i].value_start, ve = e[i].value_end;
    /* Mask the value, keep the quotes visible. */
    if (e[i].quote && ve - vs >= 2) {
      vs++;
      ve--;
    }
    rl_ctx_mark_secret(ctx, vs, ve);
    const char *masked = rl_mask_secret(a, v, vl);
    if ((named && !app_password) || !what)
      rl_report_range(ctx, e[i].key_start, e[i].value_end,
                      "%.*s has a real-looking value (%s) in a committed %s file: keep secrets out of the repository",
                      (int)kl, k, masked, file);
    else
      rl_report_range(ctx, e[i].key_start, e[i].value_end,
                      "%.*s holds %s%s%s (%s) in a committed %s file: keep secrets out of the repository", (int)kl, k,
                      nf ? article(nf->name) : "", nf ? " " : "", what, masked, file);
  }
}

const rl_rule rl_rule_secret_in_env_file = {
    .id = "secret-in-env-file",
    .title = "Secret committed in a dotenv file",
    .severity = RL_SEV_ERROR,
    .cwe = 798,
    .doc = rl_doc__secret_in_env_file,
    .langs = RL_LANG_BIT(RL_LANG_DOTENV),
    .contexts = 0,
    .query = NULL,
    .on_file = on_file,
    /* A secret-named key can be spelt in any case and a JWT or app secret has
     * no fixed text: no prefilter. */
    .needles = NULL,
    .bad_example = "HMS_ACCESS_KEY=64f1c2a9e4b0d1a2b3c4d5e6\n"
                   "HMS_APP_SECRET=q9Zt4Xb2Lm8Np1Rk7Vw3Hs6Jd0Fg5Ce2Ua\n",
    .good_example = "HMS_ACCESS_KEY=64f1c2a9e4b0d1a2b3c4d5e6\n"
                    "HMS_APP_SECRET=\n",
    .precision = "high",
    .security_severity = "8.8",
};
