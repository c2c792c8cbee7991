/* Package versions pinned by lockfiles (lockfile.h). Each format is read
 * by looking for the package's entries, not by parsing the whole file: a
 * lockfile is large and only a few names are asked. */
#include "lockfile.h"

#include <string.h>

static const char *const names[] = {"package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", NULL};

int rl_lockfile_is_name(const char *base) {
  for (size_t i = 0; names[i]; i++)
    if (!strcmp(base, names[i])) return 1;
  return 0;
}

typedef struct best {
  int major;
  char *out;
  size_t outsz;
} best;

/* A version's major number, or -1 if v does not start with digits. */
static int major_of(const char *v, size_t n) {
  int m = 0;
  size_t i = 0;
  for (; i < n && v[i] >= '0' && v[i] <= '9' && m < 100000; i++) m = m * 10 + (v[i] - '0');
  return i ? m : -1;
}

static void offer(best *b, const char *v, size_t n) {
  int m = major_of(v, n);
  if (m < 0 || (b->major >= 0 && m >= b->major)) return;
  b->major = m;
  if (!b->outsz) return;
  size_t k = n < b->outsz - 1 ? n : b->outsz - 1;
  memcpy(b->out, v, k);
  b->out[k] = '\0';
}

static const char *skip_space(const char *p, const char *end) {
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) p++;
  return p;
}

/* The version characters at p: digits, dots, letters, '-', '+'. */
static size_t version_len(const char *p, const char *end) {
  size_t n = 0;
  while (p + n < end && (p[n] == '.' || p[n] == '-' || p[n] == '+' || (p[n] >= '0' && p[n] <= '9') ||
                         (p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z')))
    n++;
  return n;
}

/* package-lock.json: "node_modules/<name>": { ... "version": "9.0.2" (v2,
 * v3, also nested node_modules/x/node_modules/<name>), or v1's
 * "dependencies": { "<name>": { "version": ... } }. A string after the
 * key ("<name>": "^9.0.0" in requires) is a range, not a pin. */
static void npm_lock(best *b, const char *t, size_t len, const char *name) {
  const char *end = t + len;
  size_t nl = strlen(name);
  for (const char *p = t; p < end;) {
    const char *q = memchr(p, '"', (size_t)(end - p));
    if (!q) break;
    const char *key = q + 1;
    const char *close = memchr(key, '"', (size_t)(end - key));
    if (!close) break;
    size_t kl = (size_t)(close - key);
    int hit = (kl == nl && !memcmp(key, name, nl)) ||
              (kl >= nl + 13 && !memcmp(close - nl - 13, "node_modules/", 13) && !memcmp(close - nl, name, nl));
    p = close + 1;
    if (!hit) continue;
    const char *c = skip_space(p, end);
    if (c >= end || *c != ':') continue;
    c = skip_space(c + 1, end);
    if (c >= end || *c != '{') continue;
    /* "version" among the first keys of the object (before a nested one) */
    const char *lim = c + 512 < end ? c + 512 : end;
    for (const char *v = c + 1; v + 9 < lim; v++) {
      if (*v == '{' || *v == '}') break;
      if (memcmp(v, "\"version\"", 9)) continue;
      const char *w = skip_space(v + 9, lim);
      if (w >= lim || *w != ':') break;
      w = skip_space(w + 1, lim);
      if (w >= lim || *w != '"') break;
      offer(b, w + 1, version_len(w + 1, end));
      break;
    }
  }
}

/* yarn.lock: an entry line (no indent) names the package, possibly with
 * several ranges and quoted ("jsonwebtoken@^9.0.0, jsonwebtoken@^9.0.2:"),
 * its indented lines follow; `version "9.0.2"` (classic) or
 * `version: 9.0.2` (berry). Berry writes "name@npm:^9.0.0". */
static void yarn_lock(best *b, const char *t, size_t len, const char *name) {
  const char *end = t + len;
  size_t nl = strlen(name);
  int in_entry = 0;
  for (const char *line = t; line < end;) {
    const char *eol = memchr(line, '\n', (size_t)(end - line));
    if (!eol) eol = end;
    if (line < eol && *line != ' ' && *line != '#') {
      const char *s = line + (*line == '"');
      in_entry = (size_t)(eol - s) > nl && !memcmp(s, name, nl) && s[nl] == '@';
    } else if (in_entry) {
      const char *s = skip_space(line, eol);
      if ((size_t)(eol - s) > 8 && !memcmp(s, "version", 7) && (s[7] == ' ' || s[7] == ':')) {
        s += 7;
        while (s < eol && (*s == ' ' || *s == ':' || *s == '"')) s++;
        offer(b, s, version_len(s, eol));
        in_entry = 0;
      }
    }
    line = eol + 1;
  }
}

/* pnpm-lock.yaml: package keys "/<name>@9.0.2:" (v6), "<name>@9.0.2:"
 * (v9), "/<name>/9.0.2:" (v5), possibly quoted, possibly with a peer
 * suffix "(...)" after the version. */
static void pnpm_lock(best *b, const char *t, size_t len, const char *name) {
  const char *end = t + len;
  size_t nl = strlen(name);
  for (const char *line = t; line < end;) {
    const char *eol = memchr(line, '\n', (size_t)(end - line));
    if (!eol) eol = end;
    const char *s = skip_space(line, eol);
    if (s < eol && (*s == '\'' || *s == '"')) s++;
    if (s < eol && *s == '/') s++;
    if ((size_t)(eol - s) > nl + 1 && !memcmp(s, name, nl) && (s[nl] == '@' || s[nl] == '/')) {
      const char *v = s + nl + 1;
      size_t n = version_len(v, eol);
      /* the key ends here: a ':' (after a quote or a peer suffix) */
      const char *after = v + n;
      if (n && after < eol && (*after == ':' || *after == '(' || *after == '\'' || *after == '"')) offer(b, v, n);
    }
    line = eol + 1;
  }
}

int rl_lockfile_version(const char *base, const char *text, size_t len, const char *name, char *out, size_t outsz) {
  best b = {-1, out, outsz};
  if (outsz) out[0] = '\0';
  if (!text || !name || !*name) return -1;
  if (!strcmp(base, "package-lock.json") || !strcmp(base, "npm-shrinkwrap.json"))
    npm_lock(&b, text, len, name);
  else if (!strcmp(base, "yarn.lock"))
    yarn_lock(&b, text, len, name);
  else if (!strcmp(base, "pnpm-lock.yaml"))
    pnpm_lock(&b, text, len, name);
  return b.major;
}

/* The range's lowest admitted major: "^9.0.2", "~9.1", ">=9", "9.x", "v9",
 * "=9.0.0" and each side of "||" (the lowest wins). Anything with no plain
 * lower bound ("*", "<10", ">8", "latest", "npm:x@9", a git or file URL)
 * is -1: such a range admits versions we cannot name. */
int rl_semver_range_floor(const char *r, size_t n) {
  int lowest = -1;
  size_t i = 0;
  while (i <= n) {
    size_t end = i;
    while (end < n && !(r[end] == '|' && end + 1 < n && r[end + 1] == '|')) end++;
    size_t k = i;
    while (k < end && r[k] == ' ') k++;
    if (k < end && (r[k] == '^' || r[k] == '~'))
      k++;
    else if (k + 1 < end && r[k] == '>' && r[k + 1] == '=')
      k += 2;
    else if (k < end && r[k] == '=')
      k++;
    while (k < end && r[k] == ' ') k++;
    if (k < end && (r[k] == 'v' || r[k] == 'V')) k++;
    int m = major_of(r + k, end - k);
    if (m < 0) return -1;
    if (lowest < 0 || m < lowest) lowest = m;
    i = end + 2;
  }
  return lowest;
}
