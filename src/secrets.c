#include "secrets.h"

#include <stdint.h>
#include <string.h>

#include "analysis.h"
#include "config.h"
#include "util.h"

/* Words that mark a value as a stand-in, not a credential. */
static const char *const fake_words[] = {"test",      "fake",        "dummy",      "mock",     "example",
                                         "sample",    "placeholder", "your",       "changeme", "change-me",
                                         "change_me", "replace",     "todo",       "xxxx",     "redacted",
                                         "insecure",  "notsecret",   "not-secret", NULL};

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
  if (rl_secret_public_value(v, len)) return 0; /* issued for browsers */
  for (size_t i = 0; i < len; i++)
    if (v[i] == ' ' || v[i] == '\t' || v[i] == '\n' || v[i] == '\r') return 0;
  if (memmem(v, len, "://", 3) || is_path(v, len) || is_env_var_name(v, len)) return 0;
  if (v[0] == '$' || v[0] == '%' || (len >= 2 && v[0] == '{' && v[1] == '{')) return 0;
  return !rl_secret_has_fake_word(v, len);
}

/* Hosts a committed connection string may name without leaking anything:
 * this machine, or a service of a compose file (a name with no dot). */
static int host_is_local(const char *h, size_t n) {
  if (!n || !memchr(h, '.', n)) return 1;
  static const char *const local[] = {"localhost", "127.", "0.0.0.0", "[::1]", "host.docker.internal", NULL};
  for (size_t i = 0; local[i]; i++)
    if (n >= strlen(local[i]) && rl_strncasecmp_ascii(h, local[i], strlen(local[i])) == 0) return 1;
  return 0;
}

/* Words that docs and tutorials write where the password goes. (Stock
 * defaults such as postgres or root are judged by the host: on this machine
 * or a compose service they guard nothing, on a real host they are weak
 * credentials, but credentials.) */
static int stock_password(const char *p, size_t n) {
  static const char *const stock[] = {"password", "pass", "passwd",   "pwd",    "secret",     "user", "username",
                                      "example",  "test", "changeme", "dbpass", "dbpassword", NULL};
  for (size_t i = 0; stock[i]; i++)
    if (n == strlen(stock[i]) && rl_strncasecmp_ascii(p, stock[i], n) == 0) return 1;
  return 0;
}

int rl_secret_url_password(const char *v, size_t len, size_t *at, size_t *n) {
  const char *sep = memmem(v, len, "://", 3);
  if (!sep) return 0;
  const char *auth = sep + 3, *end = v + len;
  const char *stop = auth;
  while (stop < end && *stop != '/' && *stop != '?' && *stop != '#' && *stop != ' ') stop++;
  const char *atp = NULL;
  for (const char *q = auth; q < stop; q++)
    if (*q == '@') atp = q;
  if (!atp) return 0;
  const char *colon = memchr(auth, ':', (size_t)(atp - auth));
  if (!colon) return 0;
  const char *pw = colon + 1;
  size_t pl = (size_t)(atp - pw);
  const char *host = atp + 1;
  size_t hl = 0;
  while (host + hl < stop && host[hl] != ':' && host[hl] != ',') hl++;
  if (pl < 4 || host_is_local(host, hl) || stock_password(pw, pl)) return 0;
  if (memchr(pw, '*', pl) || memchr(pw, '<', pl) || memchr(pw, '$', pl) || memchr(pw, '{', pl)) return 0;
  if (rl_value_says_placeholder(pw, pl) || rl_secret_has_fake_word(pw, pl)) return 0;
  *at = (size_t)(pw - v);
  *n = pl;
  return 1;
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

static int is_upper_digit(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
static int is_word(char c) { return is_alnum(c) || c == '_'; }
static int is_slack(char c) { return is_alnum(c) || c == '-'; }
static int is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

static int in_alphabet(rl_secret_alphabet a, char c) {
  switch (a) {
  case RL_SALPHA_ALNUM: return is_alnum(c);
  case RL_SALPHA_WORD: return is_word(c);
  case RL_SALPHA_B64URL: return is_b64url(c);
  case RL_SALPHA_UPPERNUM: return is_upper_digit(c);
  case RL_SALPHA_HEX: return is_hex(c);
  case RL_SALPHA_SLACK: return is_slack(c);
  default: return 0;
  }
}

const char *rl_secret_alphabet_name(rl_secret_alphabet a) {
  switch (a) {
  case RL_SALPHA_ALNUM: return "base62";
  case RL_SALPHA_WORD: return "base62 and _";
  case RL_SALPHA_B64URL: return "base64url";
  case RL_SALPHA_UPPERNUM: return "A-Z 0-9";
  case RL_SALPHA_HEX: return "hex";
  case RL_SALPHA_SLACK: return "base62 and -";
  case RL_SALPHA_PEM: return "PEM block";
  case RL_SALPHA_JWT: return "JWT";
  }
  return "?";
}

/* ---- checks: checksums and structural tests ---- */

static uint32_t crc32_of(const char *p, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; i++) {
    c ^= (unsigned char)p[i];
    for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return c ^ 0xFFFFFFFFu;
}

void rl_secret_github_crc(const char *p, size_t n, char out[6]) {
  static const char digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  uint32_t c = crc32_of(p, n);
  for (int i = 5; i >= 0; i--) {
    out[i] = digits[c % 62];
    c /= 62;
  }
}

int rl_secret_github_crc_ok(const char *body, size_t n) {
  if (n != 36) return 0;
  char want[6];
  rl_secret_github_crc(body, 30, want);
  return memcmp(want, body + 30, 6) == 0;
}

/* Fine-grained PATs: 22 characters, '_', 59 characters. */
static int github_pat_shape(const char *b, size_t n) { return n == 82 && b[22] == '_' && !memchr(b, '_', 22); }

/* Slack tokens carry the workspace's numeric id first: xoxb-<digits>-... */
static int slack_shape(const char *b, size_t n) {
  size_t i = 0;
  while (i < n && b[i] >= '0' && b[i] <= '9') i++;
  return i >= 6 && i < n && b[i] == '-';
}

/* OpenAI keys: project, service-account and admin keys say so after sk-;
 * the older user keys carry "T3BlbkFJ" (base64 of "OpenAI") in the middle. */
static int openai_shape(const char *b, size_t n) {
  static const char *const kinds[] = {"proj-", "svcacct-", "admin-", NULL};
  for (size_t k = 0; kinds[k]; k++)
    if (n > strlen(kinds[k]) + 40 && memcmp(b, kinds[k], strlen(kinds[k])) == 0) return 1;
  return memmem(b, n, "T3BlbkFJ", 8) != NULL;
}

/* SendGrid: SG.<22 base64url>.<43 base64url> */
static int sendgrid_shape(const char *b, size_t n) {
  if (n != 66 || b[22] != '.') return 0;
  for (size_t i = 0; i < n; i++)
    if (i != 22 && !is_b64url(b[i])) return 0;
  return 1;
}

/* Random keys mix letters and digits; a body of one kind, a filler run or a
 * word that marks a fake is documentation (sk_test_XXXXXXXX, ghp_xxxx...). */
static int body_looks_random(const char *b, size_t n) {
  int letter = 0, digit = 0;
  for (size_t i = 0; i < n; i++) {
    if ((b[i] >= 'a' && b[i] <= 'z') || (b[i] >= 'A' && b[i] <= 'Z')) letter = 1;
    if (b[i] >= '0' && b[i] <= '9') digit = 1;
  }
  return letter && digit && !rl_secret_has_fake_word(b, n) && !rl_value_is_placeholder(b, n);
}

/* ---- the table: one row per format ---- */

static const rl_secret_format formats[] = {
    /* name                                  prefix          alphabet            min  max   check            context */
    {"private key", "-----BEGIN ", RL_SALPHA_PEM, 0, 0, NULL, RL_SCTX_NONE},
    {"AWS access key id", "AKIA", RL_SALPHA_UPPERNUM, 16, 16, NULL, RL_SCTX_AWS_SECRET_NEAR},
    {"AWS temporary access key id", "ASIA", RL_SALPHA_UPPERNUM, 16, 16, NULL, RL_SCTX_AWS_SECRET_NEAR},
    {"Stripe, Paystack or Clerk live secret key", "sk_live_", RL_SALPHA_ALNUM, 24, 247, NULL, RL_SCTX_NONE},
    {"Stripe, Paystack or Clerk test secret key", "sk_test_", RL_SALPHA_ALNUM, 24, 247, NULL, RL_SCTX_NONE},
    {"Stripe live restricted key", "rk_live_", RL_SALPHA_ALNUM, 24, 247, NULL, RL_SCTX_NONE},
    {"Stripe test restricted key", "rk_test_", RL_SALPHA_ALNUM, 24, 247, NULL, RL_SCTX_NONE},
    {"SendGrid API key", "SG.", RL_SALPHA_B64URL, 66, 66, sendgrid_shape, RL_SCTX_NONE},
    {"Supabase service_role key (JWT)", "eyJ", RL_SALPHA_JWT, 0, 0, NULL, RL_SCTX_NONE},
    {"GitHub personal access token", "ghp_", RL_SALPHA_ALNUM, 36, 36, rl_secret_github_crc_ok, RL_SCTX_NONE},
    {"GitHub OAuth token", "gho_", RL_SALPHA_ALNUM, 36, 36, rl_secret_github_crc_ok, RL_SCTX_NONE},
    {"GitHub app token", "ghs_", RL_SALPHA_ALNUM, 36, 36, rl_secret_github_crc_ok, RL_SCTX_NONE},
    {"GitHub user-to-server token", "ghu_", RL_SALPHA_ALNUM, 36, 36, rl_secret_github_crc_ok, RL_SCTX_NONE},
    {"GitHub refresh token", "ghr_", RL_SALPHA_ALNUM, 36, 36, rl_secret_github_crc_ok, RL_SCTX_NONE},
    {"GitHub fine-grained token", "github_pat_", RL_SALPHA_WORD, 82, 82, github_pat_shape, RL_SCTX_NONE},
    {"Slack bot token", "xoxb-", RL_SALPHA_SLACK, 20, 255, slack_shape, RL_SCTX_NONE},
    {"Slack user token", "xoxp-", RL_SALPHA_SLACK, 20, 255, slack_shape, RL_SCTX_NONE},
    {"Slack app token", "xoxa-", RL_SALPHA_SLACK, 20, 255, slack_shape, RL_SCTX_NONE},
    {"OpenAI API key", "sk-", RL_SALPHA_B64URL, 40, 300, openai_shape, RL_SCTX_NONE},
    {"Twilio auth token", "", RL_SALPHA_HEX, 32, 32, NULL, RL_SCTX_TWILIO_SID_NEAR},
    {"Daily API key", "", RL_SALPHA_HEX, 32, 64, NULL, RL_SCTX_NAME_DAILY_KEY},
    {"Agora App Certificate", "", RL_SALPHA_HEX, 32, 32, NULL, RL_SCTX_NAME_AGORA_CERT},
};

const rl_secret_format *rl_secret_formats(size_t *n) {
  *n = RL_ARRAY_LEN(formats);
  return formats;
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

/* A JWT at p: its length (header, payload, signature), or 0. */
static size_t jwt_len(const char *p, size_t n) {
  size_t q = 0;
  int dots = 0;
  while (q < n && (is_b64url(p[q]) || (p[q] == '.' && dots < 2))) {
    if (p[q] == '.') dots++;
    q++;
  }
  return dots == 2 && p[q - 1] != '.' ? q : 0;
}

static int b64val(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-' || c == '+') return 62;
  if (c == '_' || c == '/') return 63;
  return -1;
}

int rl_secret_jwt_role(const char *v, size_t len, char *out, size_t outn) {
  if (len < 10 || memcmp(v, "eyJ", 3) != 0 || jwt_len(v, len) != len) return 0;
  const char *pl = (const char *)memchr(v, '.', len) + 1;
  const char *pe = memchr(pl, '.', (size_t)(v + len - pl));
  char buf[2048];
  size_t bn = 0;
  unsigned acc = 0;
  int bits = 0;
  for (const char *c = pl; c < pe && bn < sizeof buf - 1; c++) {
    int d = b64val(*c);
    if (d < 0) return 0;
    acc = (acc << 6) | (unsigned)d;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      buf[bn++] = (char)((acc >> bits) & 0xFF);
    }
  }
  const char *r = memmem(buf, bn, "\"role\"", 6);
  if (!r) return 0;
  const char *e = buf + bn;
  r += 6;
  while (r < e && (*r == ' ' || *r == ':')) r++;
  if (r >= e || *r != '"') return 0;
  const char *s = ++r;
  while (r < e && *r != '"') r++;
  if (r >= e || (size_t)(r - s) >= outn) return 0;
  memcpy(out, s, (size_t)(r - s));
  out[r - s] = '\0';
  return 1;
}

/* A 40-character AWS secret access key (base64 alphabet, mixed) within 512
 * bytes of t[s..e). */
static int aws_secret_near(const char *t, size_t n, size_t s, size_t e) {
  size_t lo = s > 512 ? s - 512 : 0, hi = n - e > 512 ? e + 512 : n;
  for (size_t i = lo; i < hi;) {
    if (!is_b64(t[i])) {
      i++;
      continue;
    }
    size_t j = i;
    while (j < n && is_b64(t[j])) j++;
    if (j - i == 40 && body_looks_random(t + i, 40)) {
      int upper = 0, lower = 0;
      for (size_t k = i; k < j; k++) {
        upper |= t[k] >= 'A' && t[k] <= 'Z';
        lower |= t[k] >= 'a' && t[k] <= 'z';
      }
      if (upper && lower) return 1;
    }
    i = j;
  }
  return 0;
}

/* Keys that vendors print in their own documentation for everyone to copy
 * (Stripe's sample test key): not anybody's secret. */
static const char *const documented_examples[] = {"sk_test_4eC39HqLyjWDarjtT1zdp7dc", NULL};

static int is_documented_example(const char *p, size_t n) {
  for (size_t k = 0; documented_examples[k]; k++)
    if (strlen(documented_examples[k]) == n && memcmp(p, documented_examples[k], n) == 0) return 1;
  return 0;
}

/* Row f at t[i..): the secret's length, or 0. */
static size_t match_row(const rl_secret_format *f, const char *t, size_t n, size_t i) {
  size_t pl = strlen(f->prefix);
  const char *p = t + i;
  size_t rest = n - i;
  if (f->alphabet == RL_SALPHA_PEM) return match_pem(p, rest);
  if (f->alphabet == RL_SALPHA_JWT) {
    size_t l = jwt_len(p, rest);
    char role[32];
    return l && rl_secret_jwt_role(p, l, role, sizeof role) && strcmp(role, "service_role") == 0 ? l : 0;
  }
  size_t b = 0;
  while (pl + b < rest && b <= f->max &&
         (in_alphabet(f->alphabet, p[pl + b]) || (f->check == sendgrid_shape && p[pl + b] == '.')))
    b++;
  if (b < f->min || b > f->max) return 0;
  if (f->check && !f->check(p + pl, b)) return 0;
  if (!body_looks_random(p + pl, b)) return 0;
  if (f->context == RL_SCTX_AWS_SECRET_NEAR && !aws_secret_near(t, n, i, i + pl + b)) return 0;
  return is_documented_example(p, pl + b) ? 0 : pl + b;
}

const rl_secret_format *rl_secret_find_format(const char *t, size_t n, size_t from, size_t *start, size_t *len) {
  for (size_t i = from; i < n; i++) {
    char c = t[i];
    if (c != '-' && c != 'A' && c != 's' && c != 'r' && c != 'S' && c != 'e' && c != 'g' && c != 'x') continue;
    /* inside a longer word: "task-...", "mask_live_" */
    if (i > 0 && c != '-' && (is_alnum(t[i - 1]) || t[i - 1] == '_' || (c != 'e' && t[i - 1] == '-'))) continue;
    for (size_t k = 0; k < RL_ARRAY_LEN(formats); k++) {
      const rl_secret_format *f = &formats[k];
      size_t pl = strlen(f->prefix);
      if (!pl || f->prefix[0] != c || n - i < pl || memcmp(t + i, f->prefix, pl) != 0) continue;
      size_t l = match_row(f, t, n, i);
      if (!l) continue;
      *start = i;
      *len = l;
      return f;
    }
  }
  return NULL;
}

static int name_has(const char *name, size_t nl, const char *w) { return rl_memcasemem(name, nl, w) != NULL; }

/* An account SID: AC and 32 hex, not inside a longer word. */
static int twilio_sid_in(const char *t, size_t n) {
  for (const char *p = t; p < t + n;) {
    const char *h = memmem(p, (size_t)(t + n - p), "AC", 2);
    if (!h) return 0;
    size_t i = 2;
    while (h + i < t + n && is_hex(h[i])) i++;
    if (i == 34 && (h == t || !is_alnum(h[-1])) && (h + i == t + n || !is_alnum(h[i]))) return 1;
    p = h + 2;
  }
  return 0;
}

const rl_secret_format *rl_secret_named_format(const char *name, size_t nl, const char *v, size_t vl, const char *text,
                                               size_t tn) {
  for (size_t k = 0; k < RL_ARRAY_LEN(formats); k++) {
    const rl_secret_format *f = &formats[k];
    if (f->prefix[0] || vl < f->min || vl > f->max) continue;
    size_t i = 0;
    while (i < vl && in_alphabet(f->alphabet, v[i])) i++;
    if (i != vl || !body_looks_random(v, vl)) continue;
    int ok = 0;
    switch (f->context) {
    case RL_SCTX_TWILIO_SID_NEAR:
      ok = (name_has(name, nl, "twilio") || (name_has(name, nl, "auth") && name_has(name, nl, "token"))) &&
           !name_has(name, nl, "sid") && twilio_sid_in(text, tn);
      break;
    case RL_SCTX_NAME_DAILY_KEY: ok = name_has(name, nl, "daily") && name_has(name, nl, "key"); break;
    case RL_SCTX_NAME_AGORA_CERT:
      ok = (name_has(name, nl, "agora") || name_has(name, nl, "app")) && name_has(name, nl, "cert");
      break;
    default: break;
    }
    if (ok) return f;
  }
  return NULL;
}

/* ---- public by design ---------------------------------------------------------- */

static int run_is(const char *v, size_t len, size_t from, int (*ok)(char), size_t min) {
  size_t i = from;
  while (i < len && ok(v[i])) i++;
  return i == len && len - from >= min;
}

const char *rl_secret_public_value(const char *v, size_t len) {
  char role[32];
  if (len == 35 && memcmp(v, "pub", 3) == 0 && run_is(v, len, 3, is_hex, 32)) return "a Datadog client token";
  if (len > 8 && (memcmp(v, "pk_live_", 8) == 0 || memcmp(v, "pk_test_", 8) == 0) && run_is(v, len, 8, is_alnum, 16))
    return "a publishable key";
  if (len > 4 && memcmp(v, "phc_", 4) == 0 && run_is(v, len, 4, is_alnum, 20)) return "a PostHog project key";
  if (len > 6 && memcmp(v, "pk.eyJ", 6) == 0) return "a Mapbox public token";
  if (len == 39 && memcmp(v, "AIza", 4) == 0 && run_is(v, len, 4, is_b64url, 35)) return "a Firebase web API key";
  if (rl_secret_jwt_role(v, len, role, sizeof role) && strcmp(role, "anon") == 0) return "a Supabase anon key";
  if (len > 8 && memcmp(v, "https://", 8) == 0 && memchr(v, '@', len) &&
      (memmem(v, len, "sentry.io/", 10) || memmem(v, len, ".ingest.", 8)))
    return "a Sentry DSN";
  if (len > 6 && memcmp(v, "wss://", 6) == 0 && memmem(v, len, ".livekit.cloud", 14)) return "a LiveKit URL";
  return NULL;
}

int rl_secret_allowed(const char *name, size_t nl, const char *v, size_t vl) {
  return rl_config_is_allowed(name, nl, v, vl);
}
