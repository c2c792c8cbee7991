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
#include "util.h"

extern const char rl_doc__secret_in_env_file[];

static const char *const public_by_design[] = {"mapbox", "publishable", "anon", NULL};

/* Words that mark a value as a stand-in (a CI .env.test's "test-secret-123"). */
static const char *const fake_words[] = {"test",        "fake",     "dummy",    "mock",      "example",    "sample",
                                         "placeholder", "redacted", "insecure", "notsecret", "not-secret", NULL};

static int has_fake_word(const char *v, size_t len) { return rl_memcasemem_any(v, len, fake_words); }

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

static void on_file(rl_ctx *ctx) {
  const rl_source *src = rl_ctx_source(ctx);
  if (src->lang != RL_LANG_DOTENV || rl_dotenv_is_template(src->path)) return;
  const char *file = base_name(src->path);
  rl_arena *a = rl_ctx_arena(ctx);
  size_t n = 0;
  const rl_dotenv_entry *e = rl_ctx_dotenv(ctx, &n);
  for (size_t i = 0; i < n; i++) {
    const char *k = e[i].key, *v = e[i].value;
    size_t kl = e[i].key_len, vl = e[i].value_len;
    if (vl == 0) continue;
    const char *what = NULL;
    if (rl_is_hms_app_secret(v, vl)) {
      what = "a 100ms app secret";
    } else {
      const char *type = hms_jwt_type(a, v, vl);
      if (type) what = strcmp(type, "management") == 0 ? "a 100ms management token" : "a 100ms app token";
    }
    int named = rl_name_is_secret(k, kl) && !rl_name_has_word(k, kl, public_by_design);
    if (!what && !(named && rl_value_looks_secret(v, vl) && !has_fake_word(v, vl))) continue;
    uint32_t vs = e[i].value_start, ve = e[i].value_end;
    /* Mask the value, keep the quotes visible. */
    if (e[i].quote && ve - vs >= 2) {
      vs++;
      ve--;
    }
    rl_ctx_mark_secret(ctx, vs, ve);
    const char *masked = rl_mask_secret(a, v, vl);
    if (named || !what)
      rl_report_range(ctx, e[i].key_start, e[i].value_end,
                      "%.*s has a real-looking value (%s) in a committed %s file: keep secrets out of the repository",
                      (int)kl, k, masked, file);
    else
      rl_report_range(ctx, e[i].key_start, e[i].value_end,
                      "%.*s holds %s (%s) in a committed %s file: keep secrets out of the repository", (int)kl, k, what,
                      masked, file);
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
