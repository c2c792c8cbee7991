/* Byte-level facts for rules' prefilters (see prefilter.h). Each question is
 * one pass over the bytes with no allocation; the one that several rules ask
 * (secret names) is remembered for the file. */
#include "prefilter.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "config.h"
#include "util.h"

void rl_prefilter_init(rl_prefilter *pf, const char *bytes, size_t len, rl_lang lang) {
  pf->bytes = bytes;
  pf->len = len;
  pf->lang = lang;
  pf->secret_name = -1;
  pf->path = NULL;
  pf->routes = -1;
  pf->decls = NULL;
  pf->ndecls = 0;
  pf->decls_built = 0;
  pf->import_matters = NULL;
  pf->import_data = NULL;
  pf->nmodules = 0;
  pf->pairs_built = 0;
}

void rl_prefilter_clear(rl_prefilter *pf) {
  free(pf->decls);
  pf->decls = NULL;
  pf->ndecls = 0;
  pf->decls_built = 0;
}

void rl_prefilter_set_path(rl_prefilter *pf, const char *path) { pf->path = path; }

void rl_prefilter_set_imports(rl_prefilter *pf, int (*fn)(void *data, const char *spec, size_t len), void *data) {
  pf->import_matters = fn;
  pf->import_data = data;
}

const char *rl_pf_path(const rl_prefilter *pf) { return pf->path; }

const char *rl_pf_bytes(const rl_prefilter *pf, size_t *len) {
  *len = pf->len;
  return pf->bytes;
}

rl_lang rl_pf_lang(const rl_prefilter *pf) { return pf->lang; }

#define PAIR(a, b) (((unsigned)(a)*131u + (unsigned)(b)) & 8191u)

static unsigned fold(unsigned char c) { return (unsigned)c - 'A' < 26u ? c + 32u : c; }

/* 1 when lit (n bytes) has a byte pair that the file has nowhere: then lit
 * is not in the file. The pair tables are filled on the first call; pf is
 * never a const object (the questions only lend it as one). */
static int pairs_missing(const rl_prefilter *pf, const char *lit, size_t n, int folded) {
  if (n < 2) return 0;
  rl_prefilter *m = (rl_prefilter *)pf;
  if (!m->pairs_built) {
    memset(m->pairs, 0, sizeof m->pairs);
    memset(m->folded_pairs, 0, sizeof m->folded_pairs);
    const unsigned char *b = (const unsigned char *)m->bytes;
    for (size_t i = 0; i + 1 < m->len; i++) {
      unsigned p = PAIR(b[i], b[i + 1]), q = PAIR(fold(b[i]), fold(b[i + 1]));
      m->pairs[p >> 6] |= 1ULL << (p & 63);
      m->folded_pairs[q >> 6] |= 1ULL << (q & 63);
    }
    m->pairs_built = 1;
  }
  const uint64_t *tab = folded ? m->folded_pairs : m->pairs;
  const unsigned char *l = (const unsigned char *)lit;
  for (size_t i = 0; i + 1 < n; i++) {
    unsigned p = folded ? PAIR(fold(l[i]), fold(l[i + 1])) : PAIR(l[i], l[i + 1]);
    if (!(tab[p >> 6] & (1ULL << (p & 63)))) return 1;
  }
  return 0;
}

int rl_pf_has(const rl_prefilter *pf, const char *lit) {
  size_t n = strlen(lit);
  return !pairs_missing(pf, lit, n, 0) && memmem(pf->bytes, pf->len, lit, n) != NULL;
}

int rl_pf_has_caseless(const rl_prefilter *pf, const char *lit) {
  return !pairs_missing(pf, lit, strlen(lit), 1) && rl_memcasemem(pf->bytes, pf->len, lit) != NULL;
}

/* Identifier bytes, as loosely as any grammar could take them: ASCII letters,
 * digits, _ and $, and every non-ASCII byte (Unicode identifiers). */
static int ident_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$' ||
         c >= 0x80;
}

size_t rl_pf_word_from(const rl_prefilter *pf, size_t from, const char *word) {
  const char *b = pf->bytes;
  size_t n = pf->len, wl = strlen(word);
  if (pairs_missing(pf, word, wl, 0)) return n;
  while (from < n && n - from >= wl) {
    const char *hit = memmem(b + from, n - from, word, wl);
    if (!hit) return n;
    size_t i = (size_t)(hit - b);
    unsigned char before = i > 0 ? (unsigned char)b[i - 1] : ' ';
    unsigned char after = i + wl < n ? (unsigned char)b[i + wl] : ' ';
    if ((before >= 0x80 || !ident_byte(before)) && (after >= 0x80 || !ident_byte(after))) return i;
    from = i + 1;
  }
  return n;
}

int rl_pf_word(const rl_prefilter *pf, const char *word) { return rl_pf_word_from(pf, 0, word) < pf->len; }

int rl_pf_each_ident(const rl_prefilter *pf, int (*fn)(const char *text, size_t len, void *arg), void *arg) {
  const unsigned char *b = (const unsigned char *)pf->bytes;
  size_t i = 0, n = pf->len;
  while (i < n) {
    if (!ident_byte(b[i])) {
      i++;
      continue;
    }
    size_t start = i;
    while (i < n && ident_byte(b[i])) i++;
    if (fn(pf->bytes + start, i - start, arg)) return 1;
  }
  return 0;
}

/* Every built-in credential word of rl_name_is_secret contains one of these
 * (secret, password, passwd, passphrase, pass, pwd, credential, key, cert,
 * certificate, token), in any case. A name with none of them can only be
 * secret through .roomlint.yml's secret-names. */
static int may_name_credential(const char *s, size_t n) {
  /* one pass, asked of every identifier of every file: a root starts only
   * at one of five letters, so most bytes cost one switch */
  static const char *const roots[] = {"secret", "pass", "pwd", "credential", "key", "cert", "token", NULL};
  if (n < 3) return 0;
  for (size_t i = 0; i + 3 <= n; i++) {
    switch (s[i] | 0x20) {
    case 's':
    case 'p':
    case 'c':
    case 'k':
    case 't': break;
    default: continue;
    }
    for (size_t r = 0; roots[r]; r++) {
      size_t rl = strlen(roots[r]);
      if ((s[i] | 0x20) != roots[r][0] || rl > n - i) continue;
      size_t k = 1;
      while (k < rl && (unsigned char)(s[i + k] | 0x20) == (unsigned char)roots[r][k]) k++;
      if (k == rl) return 1;
    }
  }
  return 0;
}

static int name_is_secret(const char *s, size_t n) {
  if (rl_config_is_secret_name(s, n)) return 1;
  return may_name_credential(s, n) && rl_name_is_secret(s, n);
}

int rl_pf_name_is_secret(const char *s, size_t n) { return name_is_secret(s, n); }

typedef struct name_visit {
  const rl_prefilter *pf;
  int (*fn)(size_t start, size_t end, void *arg);
  void *arg;
} name_visit;

/* Quoted text as a name: string keys ('private-key'), subscripts
 * (obj['app_secret']) and env names (process.env['HMS_SECRET']). */
static int quoted_is_secret_name(const char *s, size_t n, int escaped, void *arg) {
  name_visit *v = arg;
  (void)escaped; /* judged as written, like every literal the prefilter looks for */
  if (!(n > 0 && n <= 256 && name_is_secret(s, n))) return 0;
  size_t start = (size_t)(s - v->pf->bytes);
  return v->fn(start - 1, start + n + 1, v->arg);
}

static int newline(unsigned char c) { return c == '\n' || c == '\r'; }

static int ident_is_secret_name(const char *s, size_t n, void *arg) {
  name_visit *v = arg;
  if (!name_is_secret(s, n)) return 0;
  size_t start = (size_t)(s - v->pf->bytes);
  return v->fn(start, start + n, v->arg);
}

int rl_pf_each_secret_name(const rl_prefilter *pf, int (*fn)(size_t start, size_t end, void *arg), void *arg) {
  name_visit v = {pf, fn, arg};
  return rl_pf_each_ident(pf, ident_is_secret_name, &v) || rl_pf_each_quoted(pf, newline, quoted_is_secret_name, &v);
}

static int any_name(size_t start, size_t end, void *arg) {
  (void)start;
  (void)end;
  (void)arg;
  return 1;
}

int rl_pf_secret_name(rl_prefilter *pf) {
  if (pf->secret_name < 0) pf->secret_name = (signed char)rl_pf_each_secret_name(pf, any_name, NULL);
  return pf->secret_name;
}

static int ascii_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Length of the UTF-8 space the grammar skips at b[i] (\\p{Zs}, U+FEFF,
 * U+2028, U+2029, U+2060, U+200B), 0 if none. */
static size_t unicode_space(const char *b, size_t n, size_t i) {
  const unsigned char *u = (const unsigned char *)b + i;
  size_t left = n - i;
  if (left >= 2 && u[0] == 0xC2 && u[1] == 0xA0) return 2;
  if (left < 3) return 0;
  if (u[0] == 0xE1 && u[1] == 0x9A && u[2] == 0x80) return 3;
  if (u[0] == 0xE2 && u[1] == 0x80 && (u[2] <= 0x8B || u[2] == 0xA8 || u[2] == 0xA9 || u[2] == 0xAF)) return 3;
  if (u[0] == 0xE2 && u[1] == 0x81 && (u[2] == 0x9F || u[2] == 0xA0)) return 3;
  if (u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80) return 3;
  if (u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) return 3;
  return 0;
}

size_t rl_pf_comment_end(const char *b, size_t n, size_t i) {
  if (i + 1 >= n || b[i] != '/') return i;
  if (b[i + 1] == '/') {
    while (i < n && b[i] != '\n' && b[i] != '\r') i++;
    return i;
  }
  if (b[i + 1] == '*') {
    const char *end = memmem(b + i + 2, n - i - 2, "*/", 2);
    return end ? (size_t)(end - b) + 2 : n;
  }
  return i;
}

size_t rl_pf_skip_blank(const char *b, size_t n, size_t i) {
  while (i < n) {
    size_t j;
    if (ascii_space((unsigned char)b[i])) {
      i++;
    } else if ((unsigned char)b[i] >= 0x80 && unicode_space(b, n, i)) {
      i += unicode_space(b, n, i);
    } else if ((j = rl_pf_comment_end(b, n, i)) != i) {
      i = j;
    } else {
      break;
    }
  }
  return i;
}

size_t rl_pf_string_scan(const char *b, size_t n, size_t i, int *escaped, int *closed) {
  char q = b[i];
  int esc = 0;
  *closed = 0;
  for (i++; i < n && b[i] != '\n'; i++) {
    if (b[i] == q) {
      *closed = 1;
      i++;
      break;
    }
    if (b[i] == '\\') { /* also a line continuation: the escaped newline is skipped */
      esc = 1;
      i++;
    }
  }
  if (escaped) *escaped = esc;
  return i < n ? i : n;
}

size_t rl_pf_string_end(const char *b, size_t n, size_t i, int *escaped) {
  int closed;
  size_t e = rl_pf_string_scan(b, n, i, escaped, &closed);
  return closed ? e : 0;
}

/* ---- bracket matching ------------------------------------------------------ */

static int ascii_ident(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
}

int rl_pf_regex_keyword(const char *p, size_t n) {
  static const char *const kw[] = {"return", "typeof", "case", "in", "of",         "void",  "delete", "new",
                                   "yield",  "await",  "else", "do", "instanceof", "throw", NULL};
  for (size_t k = 0; kw[k]; k++)
    if (strlen(kw[k]) == n && !memcmp(p, kw[k], n)) return 1;
  return 0;
}

int rl_pf_regex_starts(const char *b, size_t i) {
  size_t p = i;
  while (p > 0 && ascii_space((unsigned char)b[p - 1])) p--;
  if (p == 0) return 1;
  unsigned char c = (unsigned char)b[p - 1];
  if (c == ')' || c == ']' || c == '}' || c == '\'' || c == '"' || c == '`' || c >= 0x80) return 0;
  if (!ascii_ident(c)) return 1;
  size_t e = p;
  while (p > 0 && ascii_ident((unsigned char)b[p - 1])) p--;
  return rl_pf_regex_keyword(b + p, e - p);
}

size_t rl_pf_regex_end(const char *b, size_t n, size_t i) {
  int cls = 0;
  for (size_t k = i + 1; k < n && b[k] != '\n' && b[k] != '\r'; k++) {
    if (b[k] == '\\') {
      k++;
    } else if (b[k] == '[') {
      cls = 1;
    } else if (b[k] == ']') {
      cls = 0;
    } else if (b[k] == '/' && !cls) {
      for (k++; k < n && ((b[k] >= 'a' && b[k] <= 'z') || (b[k] >= 'A' && b[k] <= 'Z')); k++) {
      }
      return k;
    }
  }
  return 0;
}

size_t rl_pf_slash_end(const char *b, size_t n, size_t i) {
  size_t j = rl_pf_skip_blank(b, n, i);
  if (j != i) return j;
  return rl_pf_regex_starts(b, i) ? rl_pf_regex_end(b, n, i) : i + 1;
}

/* The one code reader behind rl_pf_group_end and rl_pf_template_end: from
 * b[i], inside a template's text when `tmpl_text`, to just past the bracket
 * that closes level 0 (or the backtick that closes that template). */
static size_t code_end(const char *b, size_t n, size_t i, int tmpl_text, size_t *budget) {
  int level = 0;
  unsigned char tmpl[32]; /* per open template: 0 in its text, else the level of its ${ */
  int nt = 0;
  if (tmpl_text) tmpl[nt++] = 0;
  while (i < n) {
    if (*budget == 0) return 0;
    (*budget)--;
    char c = b[i];
    if (nt > 0 && tmpl[nt - 1] == 0) {
      if (c == '\\')
        i += 2;
      else if (c == '`') {
        nt--, i++;
        if (tmpl_text && nt == 0) return i;
      } else if (c == '$' && i + 1 < n && b[i + 1] == '{') {
        if (level >= 255) return 0;
        tmpl[nt - 1] = (unsigned char)(++level), i += 2;
      } else
        i++;
      continue;
    }
    if (c == '\'' || c == '"') {
      size_t k = rl_pf_string_end(b, n, i, NULL);
      if (!k) return 0;
      i = k;
    } else if (c == '`') {
      if (nt == (int)sizeof tmpl || level >= 255) return 0;
      tmpl[nt++] = 0;
      i++;
    } else if (c == '/') {
      size_t j = rl_pf_slash_end(b, n, i);
      if (!j) return 0;
      i = j;
    } else if (c == '(' || c == '[' || c == '{') {
      level++, i++;
    } else if (c == ')' || c == ']' || c == '}') {
      if (nt > 0 && c == '}' && tmpl[nt - 1] == level)
        tmpl[nt - 1] = 0, level--, i++;
      else if (level == 0)
        return tmpl_text ? 0 : i + 1;
      else
        level--, i++;
    } else {
      i++;
    }
  }
  return 0;
}

size_t rl_pf_group_end(const char *b, size_t n, size_t open, size_t *budget) {
  return code_end(b, n, open + 1, 0, budget);
}

size_t rl_pf_template_end(const char *b, size_t n, size_t i, size_t *budget) {
  return code_end(b, n, i + 1, 1, budget);
}

/* ---- declaration candidates ------------------------------------------------- */

struct rl_pf_decl {
  size_t at, len;
};

/* `function` or `function*` ends right before b[s] (past blanks). */
static int named_by_function(const char *b, size_t s) {
  size_t p = s;
  while (p > 0 && (ascii_space((unsigned char)b[p - 1]) || b[p - 1] == '*')) p--;
  return p >= 8 && !memcmp(b + p - 8, "function", 8) && (p == 8 || !ascii_ident((unsigned char)b[p - 9]));
}

static void merge_sort_decls(struct rl_pf_decl *v, struct rl_pf_decl *tmp, size_t n, const char *b) {
  /* bottom-up merge sort: thread-safe (qsort's comparator would need a global) */
  for (size_t width = 1; width < n; width *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * width) {
      size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
      size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) {
        const struct rl_pf_decl *a = &v[i], *c = &v[j];
        size_t m = a->len < c->len ? a->len : c->len;
        int r = memcmp(b + a->at, b + c->at, m);
        int take_left = r < 0 || (r == 0 && (a->len < c->len || (a->len == c->len && a->at <= c->at)));
        tmp[k++] = take_left ? v[i++] : v[j++];
      }
      while (i < mid) tmp[k++] = v[i++];
      while (j < hi) tmp[k++] = v[j++];
    }
    memcpy(v, tmp, n * sizeof *v);
  }
}

static void build_decls(rl_prefilter *pf) {
  const char *b = pf->bytes;
  size_t n = pf->len, cap = 0;
  pf->decls_built = 1;
  for (size_t i = 0; i < n;) {
    if (!ascii_ident((unsigned char)b[i])) {
      i++;
      continue;
    }
    size_t s = i;
    while (i < n && ascii_ident((unsigned char)b[i])) i++;
    if (s > 0 && ascii_ident((unsigned char)b[s - 1])) continue;
    size_t j = rl_pf_skip_blank(b, n, i);
    if (!(j < n && (b[j] == '=' || b[j] == ':')) && !named_by_function(b, s)) continue;
    if (pf->ndecls == cap) {
      cap = cap ? cap * 2 : 256;
      pf->decls = rl_xreallocarray(pf->decls, cap, sizeof *pf->decls);
    }
    pf->decls[pf->ndecls++] = (struct rl_pf_decl){s, i - s};
  }
  if (pf->ndecls > 1) {
    struct rl_pf_decl *tmp = rl_xreallocarray(NULL, pf->ndecls, sizeof *tmp);
    merge_sort_decls(pf->decls, tmp, pf->ndecls, b);
    free(tmp);
  }
}

int rl_pf_each_decl(const rl_prefilter *cpf, const char *name, size_t len, int (*fn)(size_t at, void *arg), void *arg) {
  rl_prefilter *pf = (rl_prefilter *)cpf; /* the index is a cache: building it changes no answer */
  if (!pf->decls_built) build_decls(pf);
  const char *b = pf->bytes;
  size_t lo = 0, hi = pf->ndecls;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const struct rl_pf_decl *d = &pf->decls[mid];
    size_t m = d->len < len ? d->len : len;
    int r = memcmp(b + d->at, name, m);
    if (r < 0 || (r == 0 && d->len < len))
      lo = mid + 1;
    else
      hi = mid;
  }
  for (; lo < pf->ndecls && pf->decls[lo].len == len && !memcmp(b + pf->decls[lo].at, name, len); lo++) {
    int r = fn(pf->decls[lo].at, arg);
    if (r) return r;
  }
  return 0;
}

int rl_pf_env_read(const rl_prefilter *pf) {
  return rl_pf_has(pf, "env") &&
         (rl_pf_has(pf, "process") || rl_pf_has(pf, "Bun") || rl_pf_has(pf, "import") || rl_pf_has(pf, "Deno"));
}

static int module_in(const rl_prefilter *pf, const char *module) {
  size_t m = strlen(module);
  if (pairs_missing(pf, module, m, 0)) return 0;
  const char *p = pf->bytes, *end = pf->bytes + pf->len;
  while ((size_t)(end - p) >= m) {
    const char *hit = memmem(p, (size_t)(end - p), module, m);
    if (!hit) return 0;
    char before = hit > pf->bytes ? hit[-1] : '\0';
    char after = hit + m < end ? hit[m] : '\0';
    if (strchr("'\"`/:", before) && before && after && strchr("'\"`/@?", after)) return 1;
    p = hit + 1;
  }
  return 0;
}

int rl_pf_module(const rl_prefilter *pf, const char *module) {
  /* by pointer only: the names are table literals, and the same name from
   * another table is only asked again (a strcmp per entry made this memo
   * cost more than the memmem it saves) */
  for (unsigned i = 0; i < pf->nmodules; i++)
    if (pf->modules[i].module == module) return pf->modules[i].yes;
  int yes = module_in(pf, module);
  /* a cache of what the bytes say: logically const */
  rl_prefilter *w = (rl_prefilter *)pf;
  if (w->nmodules < RL_ARRAY_LEN(w->modules)) {
    w->modules[w->nmodules].module = module;
    w->modules[w->nmodules++].yes = (signed char)yes;
  }
  return yes;
}

int rl_pf_each_quoted(const rl_prefilter *pf, int (*stop_at)(unsigned char c),
                      int (*fn)(const char *text, size_t len, int escaped, void *arg), void *arg) {
  const unsigned char *b = (const unsigned char *)pf->bytes;
  size_t n = pf->len;
  for (size_t q = 0; q < n; q++) {
    unsigned char quote = b[q];
    if (quote != '\'' && quote != '"' && quote != '`') continue;
    /* Every quote may open a literal: a lexer's view (is this quote inside a
     * comment, a regex, another string?) is exactly what bytes cannot
     * settle, so each one is tried. */
    int escaped = 0, closed = 0;
    size_t i = q + 1;
    while (i < n) {
      unsigned char c = b[i];
      if (c == quote) {
        closed = 1;
        break;
      }
      if (c == '\\') {
        escaped = 1;
        i += 2;
        continue;
      }
      if (quote != '`' && newline(c)) break;
      if (stop_at && stop_at(c)) break;
      i++;
    }
    if (closed && fn(pf->bytes + q + 1, i - q - 1, escaped, arg)) return 1;
  }
  return 0;
}

/* ---- many needles, one pass --------------------------------------------------------- */

struct rl_needles {
  size_t nlists;
  unsigned char *always; /* lists that are NULL */
  size_t n;              /* distinct needles */
  const char **text;
  size_t *len;
  size_t **lists_of; /* the lists each needle belongs to */
  size_t *nlists_of;
  /* needles of length >= 2 by their first two bytes: ids[start[k] .. start[k + 1]) */
  uint32_t *start; /* 65537 entries */
  uint32_t *ids;
  /* needles of one byte, by that byte */
  unsigned char one[256];
};

rl_needles *rl_needles_new(const char *const *const *lists, size_t nlists) {
  rl_needles *nd = rl_xcalloc(1, sizeof *nd);
  nd->nlists = nlists;
  nd->always = rl_xcalloc(nlists ? nlists : 1, 1);
  for (size_t l = 0; l < nlists; l++) {
    if (!lists[l]) {
      nd->always[l] = 1;
      continue;
    }
    for (size_t k = 0; lists[l][k]; k++) {
      const char *t = lists[l][k];
      size_t id = 0;
      while (id < nd->n && strcmp(nd->text[id], t) != 0) id++;
      if (id == nd->n) {
        nd->text = rl_xreallocarray(nd->text, nd->n + 1, sizeof *nd->text);
        nd->len = rl_xreallocarray(nd->len, nd->n + 1, sizeof *nd->len);
        nd->lists_of = rl_xreallocarray(nd->lists_of, nd->n + 1, sizeof *nd->lists_of);
        nd->nlists_of = rl_xreallocarray(nd->nlists_of, nd->n + 1, sizeof *nd->nlists_of);
        nd->text[id] = t;
        nd->len[id] = strlen(t);
        nd->lists_of[id] = NULL;
        nd->nlists_of[id] = 0;
        nd->n++;
      }
      nd->lists_of[id] = rl_xreallocarray(nd->lists_of[id], nd->nlists_of[id] + 1, sizeof **nd->lists_of);
      nd->lists_of[id][nd->nlists_of[id]++] = l;
    }
  }
  /* an empty needle is in every text */
  for (size_t id = 0; id < nd->n; id++)
    if (nd->len[id] == 0)
      for (size_t j = 0; j < nd->nlists_of[id]; j++) nd->always[nd->lists_of[id][j]] = 1;
  nd->start = rl_xcalloc(65537, sizeof *nd->start);
  size_t two = 0;
  for (size_t id = 0; id < nd->n; id++) {
    if (nd->len[id] >= 2) {
      nd->start[(unsigned char)nd->text[id][0] << 8 | (unsigned char)nd->text[id][1]]++;
      two++;
    } else if (nd->len[id] == 1) {
      nd->one[(unsigned char)nd->text[id][0]] = 1;
    }
  }
  uint32_t sum = 0;
  for (size_t k = 0; k < 65536; k++) {
    uint32_t c = nd->start[k];
    nd->start[k] = sum;
    sum += c;
  }
  nd->start[65536] = sum;
  nd->ids = rl_xcalloc(two ? two : 1, sizeof *nd->ids);
  uint32_t *fill = rl_xcalloc(65536, sizeof *fill);
  for (size_t id = 0; id < nd->n; id++) {
    if (nd->len[id] < 2) continue;
    size_t k = (unsigned char)nd->text[id][0] << 8 | (unsigned char)nd->text[id][1];
    nd->ids[nd->start[k] + fill[k]++] = (uint32_t)id;
  }
  free(fill);
  return nd;
}

void rl_needles_free(rl_needles *nd) {
  if (!nd) return;
  for (size_t id = 0; id < nd->n; id++) free(nd->lists_of[id]);
  free(nd->lists_of);
  free(nd->nlists_of);
  free(nd->text);
  free(nd->len);
  free(nd->always);
  free(nd->start);
  free(nd->ids);
  free(nd);
}

/* Marks needle id found, and its lists hit; returns how many lists it newly hit. */
static size_t needle_found(const rl_needles *nd, size_t id, unsigned char *found, unsigned char *hit) {
  size_t newly = 0;
  found[id] = 1;
  for (size_t j = 0; j < nd->nlists_of[id]; j++)
    if (!hit[nd->lists_of[id][j]]) {
      hit[nd->lists_of[id][j]] = 1;
      newly++;
    }
  return newly;
}

void rl_needles_scan(const rl_needles *nd, const char *bytes, size_t len, unsigned char *hit) {
  size_t open = 0; /* lists not hit yet */
  for (size_t l = 0; l < nd->nlists; l++) {
    hit[l] = nd->always[l];
    open += !hit[l];
  }
  if (!open || !nd->n) return;
  unsigned char stackbuf[512], *found = nd->n <= sizeof stackbuf ? stackbuf : rl_xcalloc(nd->n, 1);
  memset(found, 0, nd->n <= sizeof stackbuf ? nd->n : 0);
  const unsigned char *b = (const unsigned char *)bytes;
  for (size_t i = 0; i < len && open; i++) {
    if (nd->one[b[i]])
      for (size_t id = 0; id < nd->n; id++)
        if (!found[id] && nd->len[id] == 1 && (unsigned char)nd->text[id][0] == b[i])
          open -= needle_found(nd, id, found, hit);
    if (i + 1 >= len) break;
    size_t k = (size_t)b[i] << 8 | b[i + 1];
    for (uint32_t x = nd->start[k]; x < nd->start[k + 1]; x++) {
      uint32_t id = nd->ids[x];
      if (found[id] || i + nd->len[id] > len || memcmp(b + i, nd->text[id], nd->len[id]) != 0) continue;
      open -= needle_found(nd, id, found, hit);
    }
  }
  if (found != stackbuf) free(found);
}
