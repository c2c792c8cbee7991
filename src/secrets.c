#include "secrets.h"

#include <string.h>

#include "analysis.h"
#include "util.h"

/* Words that mark a value as a stand-in, not a credential. */
static const char *const fake_words[] = {"test",        "fake", "dummy",    "mock",      "example",   "sample",
                                         "placeholder", "your", "changeme", "change-me", "change_me", "replace",
                                         "todo",        "xxxx", "redacted", NULL};

int rl_secret_has_fake_word(const char *v, size_t len) { return rl_memcasemem_any(v, len, fake_words); }

static int is_b64url(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}
static int is_b64(char c) { return is_b64url(c) || c == '+' || c == '/'; }
static int is_alnum(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

/* An environment variable's name written as a string (`'HMS_APP_SECRET'`),
 * as config code that maps keys to variable names does. */
static int is_env_var_name(const char *v, size_t len) {
  int underscore = 0;
  for (size_t i = 0; i < len; i++) {
    char c = v[i];
    if (c == '_')
      underscore = 1;
    else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
      return 0;
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

int rl_secret_value_is_credential(const char *v, size_t len) {
  if (!rl_value_looks_secret(v, len) || rl_value_is_placeholder(v, len)) return 0;
  for (size_t i = 0; i < len; i++)
    if (v[i] == ' ' || v[i] == '\t' || v[i] == '\n' || v[i] == '\r') return 0;
  if (memmem(v, len, "://", 3) || is_path(v, len) || is_env_var_name(v, len)) return 0;
  if (v[0] == '$' || v[0] == '%' || (len >= 2 && v[0] == '{' && v[1] == '{')) return 0;
  return !rl_secret_has_fake_word(v, len);
}

const char *rl_secret_find_app_secret(const char *v, size_t len) {
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

static rl_jwt_kind kind_of(const rl_jwt *jwt) {
  if (jwt->access_key && jwt->type && jwt->version == 2) {
    if (strcmp(jwt->type, "management") == 0) return RL_JWT_HMS_MANAGEMENT;
    if (strcmp(jwt->type, "app") == 0) return RL_JWT_HMS_APP;
  }
  if (jwt->livekit) return RL_JWT_LIVEKIT;
  if (jwt->twilio) return RL_JWT_TWILIO;
  return RL_JWT_NONE;
}

rl_jwt_kind rl_secret_find_jwt(rl_arena *a, const char *v, size_t len, unsigned kinds, const char **tok,
                               size_t *tok_len) {
  const char *p = v, *end = v + len;
  while (p < end) {
    const char *hit = memmem(p, (size_t)(end - p), "eyJ", 3);
    if (!hit) return RL_JWT_NONE;
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
      if (rl_jwt_decode(hit, (size_t)(q - hit), a, &jwt)) {
        rl_jwt_kind k = kind_of(&jwt);
        if (k != RL_JWT_NONE && (kinds & (1u << k))) {
          *tok = hit;
          *tok_len = (size_t)(q - hit);
          return k;
        }
      }
    }
    p = q > hit + 3 ? q : hit + 3;
  }
  return RL_JWT_NONE;
}

const char *rl_jwt_kind_name(rl_jwt_kind k) {
  switch (k) {
  case RL_JWT_HMS_MANAGEMENT: return "100ms management token";
  case RL_JWT_HMS_APP: return "100ms app token";
  case RL_JWT_LIVEKIT: return "LiveKit access token";
  case RL_JWT_TWILIO: return "Twilio access token";
  default: return "token";
  }
}

/* ---- well-known formats ------------------------------------------------------- */

static size_t run_of(const char *p, size_t n, size_t from, int (*ok)(char)) {
  size_t i = from;
  while (i < n && ok(p[i])) i++;
  return i - from;
}

static int is_upper_digit(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
static int is_word(char c) { return is_alnum(c) || c == '_'; }
static int is_slack(char c) { return is_alnum(c) || c == '-'; }

/* The credential p[0..k) when it is followed by no more of its characters
 * and is not a documented fake (AKIAIOSFODNN7EXAMPLE). */
static size_t accept(const char *p, size_t n, size_t k, int (*ok)(char)) {
  if (k < n && ok(p[k])) return 0;
  return rl_secret_has_fake_word(p, k) ? 0 : k;
}

static size_t match_aws(const char *p, size_t n) {
  size_t r = run_of(p, n, 4, is_upper_digit);
  return r == 16 ? accept(p, n, 20, is_upper_digit) : 0;
}

static size_t match_stripe(const char *p, size_t n) {
  size_t r = run_of(p, n, 8, is_alnum);
  return r >= 24 ? accept(p, n, 8 + r, is_alnum) : 0;
}

static size_t match_github(const char *p, size_t n) {
  size_t r = run_of(p, n, 4, is_alnum);
  return r == 36 ? accept(p, n, 40, is_alnum) : 0;
}

static size_t match_github_pat(const char *p, size_t n) {
  size_t r = run_of(p, n, 11, is_word);
  return r >= 60 ? accept(p, n, 11 + r, is_word) : 0;
}

static size_t match_slack(const char *p, size_t n) {
  size_t r = run_of(p, n, 5, is_slack);
  return r >= 20 ? accept(p, n, 5 + r, is_slack) : 0;
}

/* "-----BEGIN [RSA |EC |DSA |OPENSSH |ENCRYPTED ]PRIVATE KEY-----" through
 * the matching END line, within 16 KiB (escaped newlines and all). */
static size_t match_pem(const char *p, size_t n) {
  static const char *const kinds[] = {"", "RSA ", "EC ", "DSA ", "OPENSSH ", "ENCRYPTED ", NULL};
  size_t i = 11;
  for (size_t k = 0; kinds[k]; k++) {
    size_t kl = strlen(kinds[k]);
    if (n - i >= kl + 16 && memcmp(p + i, kinds[k], kl) == 0 && memcmp(p + i + kl, "PRIVATE KEY-----", 16) == 0) {
      size_t window = n - i < 16384 ? n - i : 16384;
      const char *end = memmem(p + i, window, "-----END ", 9);
      if (!end) return 0;
      size_t rest = (size_t)(p + n - (end + 9));
      const char *close = memmem(end + 9, rest < 64 ? rest : 64, "-----", 5);
      if (!close) return 0;
      size_t len = (size_t)(close + 5 - p);
      /* a body of at least a few lines of base64, not "...": a real key */
      return len >= 200 ? len : 0;
    }
  }
  return 0;
}

static const rl_secret_format formats[] = {
    {"private key", "-----BEGIN ", match_pem},
    {"AWS access key id", "AKIA", match_aws},
    {"Stripe live secret key", "sk_live_", match_stripe},
    {"Stripe live restricted key", "rk_live_", match_stripe},
    {"GitHub token", "ghp_", match_github},
    {"GitHub token", "gho_", match_github},
    {"GitHub token", "ghs_", match_github},
    {"GitHub token", "ghu_", match_github},
    {"GitHub token", "github_pat_", match_github_pat},
    {"Slack token", "xoxb-", match_slack},
    {"Slack token", "xoxp-", match_slack},
    {"Slack token", "xoxa-", match_slack},
};

const rl_secret_format *rl_secret_formats(size_t *n) {
  *n = RL_ARRAY_LEN(formats);
  return formats;
}
