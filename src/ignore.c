/* gitignore-syntax pattern lists.
 *
 * A pattern is compiled once into a short token program and matched by
 * simulating it as an NFA over the path, one byte at a time, with the set of
 * live states kept in a bitset. The work is O(path length x pattern length)
 * whatever the pattern: git's own wildmatch backtracks, and a pattern such as
 * `*a*a*a*a*a*a*b` against a long path would take exponential time there. */
#include "ignore.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

typedef enum tok_kind {
  TK_LIT,      /* one byte */
  TK_ANY,      /* ?: one byte other than '/' */
  TK_CLASS,    /* [...]: one byte of a set that never holds '/' */
  TK_STAR,     /* *: any run of bytes other than '/' */
  TK_STARSTAR, /* ** at the end after '/': any run of bytes */
  TK_DIRS      /* ** / at a segment start: zero or more whole segments */
} tok_kind;

typedef struct tok {
  uint8_t kind;
  uint8_t ch;   /* TK_LIT */
  uint32_t cls; /* TK_CLASS: index into prog.cls */
} tok;

typedef struct cls_set {
  uint8_t bits[32];
} cls_set;

typedef struct glob_prog {
  tok *toks;
  size_t ntok;
  cls_set *cls;
  size_t ncls;
} glob_prog;

typedef struct ig_pat {
  glob_prog prog;
  unsigned negated : 1;
  unsigned dir_only : 1;
  unsigned basename : 1; /* no slash: match the last path component at any depth */
} ig_pat;

struct rl_ignore {
  char *base;
  size_t base_len;
  ig_pat *pats;
  size_t npats;
};

/* ---- compiling -------------------------------------------------------- */

static void set_bit(cls_set *s, unsigned c) { s->bits[c >> 3] |= (uint8_t)(1u << (c & 7)); }
static int has_bit(const cls_set *s, unsigned c) { return (s->bits[c >> 3] >> (c & 7)) & 1; }

/* The POSIX classes wildmatch knows, on ASCII, independent of the locale. */
static int posix_class(cls_set *s, const char *name, size_t n) {
  static const char *const names[] = {"alnum", "alpha", "blank", "cntrl", "digit", "graph",
                                      "lower", "print", "punct", "space", "upper", "xdigit"};
  size_t k;
  for (k = 0; k < RL_ARRAY_LEN(names); k++) {
    if (strlen(names[k]) == n && memcmp(names[k], name, n) == 0) break;
  }
  if (k == RL_ARRAY_LEN(names)) return -1;
  for (unsigned c = 0; c < 128; c++) {
    int lower = c >= 'a' && c <= 'z', upper = c >= 'A' && c <= 'Z', digit = c >= '0' && c <= '9';
    int graph = c > 32 && c < 127;
    int in = 0;
    switch (k) {
    case 0: in = lower || upper || digit; break;
    case 1: in = lower || upper; break;
    case 2: in = c == ' ' || c == '\t'; break;
    case 3: in = c < 32 || c == 127; break;
    case 4: in = digit; break;
    case 5: in = graph; break;
    case 6: in = lower; break;
    case 7: in = graph || c == ' '; break;
    case 8: in = graph && !lower && !upper && !digit; break;
    case 9: in = c == ' ' || (c >= '\t' && c <= '\r'); break;
    case 10: in = upper; break;
    default: in = digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); break;
    }
    if (in) set_bit(s, c);
  }
  return 0;
}

/* Parses the bracket expression starting at p[*i] == '['. Follows git's
 * wildmatch: ']' first is literal, '!' or '^' negates, ranges, backslash
 * escapes, [:name:] classes; an unterminated bracket or unknown class makes
 * the whole pattern invalid (wildmatch aborts on it, so it never matches). */
static int parse_class(const char *p, size_t n, size_t *i, cls_set *out) {
  size_t q = *i + 1;
  int negated = 0, prev = -1;
  memset(out, 0, sizeof *out);
  if (q >= n) return -1;
  if (p[q] == '!' || p[q] == '^') {
    negated = 1;
    q++;
    if (q >= n) return -1;
  }
  for (;;) {
    unsigned char c = (unsigned char)p[q];
    if (c == '\\') {
      if (++q >= n) return -1;
      c = (unsigned char)p[q];
      set_bit(out, c);
      prev = c;
    } else if (c == '-' && prev >= 0 && q + 1 < n && p[q + 1] != ']') {
      unsigned char hi = (unsigned char)p[++q];
      if (hi == '\\') {
        if (++q >= n) return -1;
        hi = (unsigned char)p[q];
      }
      for (unsigned k = (unsigned)prev; k <= hi; k++) set_bit(out, k);
      prev = -1;
    } else if (c == '[' && q + 1 < n && p[q + 1] == ':') {
      size_t s = q + 2, e = s;
      while (e < n && p[e] != ']') e++;
      if (e >= n) return -1;
      if (e > s && p[e - 1] == ':') {
        if (posix_class(out, p + s, e - 1 - s) < 0) return -1;
        q = e;
        prev = -1;
      } else {
        /* No ":]": the '[' is an ordinary member. */
        set_bit(out, '[');
        prev = '[';
      }
    } else {
      set_bit(out, c);
      prev = c;
    }
    if (++q >= n) return -1;
    if (p[q] == ']') break;
  }
  if (negated) {
    for (size_t k = 0; k < sizeof out->bits; k++) out->bits[k] = (uint8_t)~out->bits[k];
  }
  /* With pathname semantics no bracket expression matches a slash. */
  out->bits['/' >> 3] &= (uint8_t) ~(1u << ('/' & 7));
  *i = q + 1;
  return 0;
}

static void prog_free(glob_prog *g) {
  free(g->toks);
  free(g->cls);
  g->toks = NULL;
  g->cls = NULL;
  g->ntok = g->ncls = 0;
}

static void push_tok(glob_prog *g, tok_kind kind, unsigned char ch, uint32_t cls) {
  g->toks[g->ntok].kind = (uint8_t)kind;
  g->toks[g->ntok].ch = ch;
  g->toks[g->ntok].cls = cls;
  g->ntok++;
}

/* Compiles a glob with git's WM_PATHNAME semantics. 0, or -1 if malformed. */
static int prog_compile(glob_prog *g, const char *p, size_t n) {
  size_t i = 0;
  memset(g, 0, sizeof *g);
  /* Every token consumes at least one pattern byte. */
  g->toks = rl_xreallocarray(NULL, n ? n : 1, sizeof *g->toks);
  while (i < n) {
    unsigned char c = (unsigned char)p[i];
    if (c == '*') {
      size_t j = i;
      while (j < n && p[j] == '*') j++;
      if (j - i >= 2 && (i == 0 || p[i - 1] == '/')) {
        if (j == n) {
          push_tok(g, TK_STARSTAR, 0, 0);
          i = j;
          continue;
        }
        if (p[j] == '/') {
          push_tok(g, TK_DIRS, 0, 0);
          i = j + 1;
          continue;
        }
        if (p[j] == '\\' && j + 1 < n && p[j + 1] == '/') {
          push_tok(g, TK_DIRS, 0, 0);
          i = j + 2;
          continue;
        }
      }
      /* Elsewhere a run of stars is one star, as in wildmatch. */
      push_tok(g, TK_STAR, 0, 0);
      i = j;
    } else if (c == '?') {
      push_tok(g, TK_ANY, 0, 0);
      i++;
    } else if (c == '[') {
      cls_set set;
      if (parse_class(p, n, &i, &set) < 0) goto bad;
      g->cls = rl_xreallocarray(g->cls, g->ncls + 1, sizeof *g->cls);
      g->cls[g->ncls] = set;
      push_tok(g, TK_CLASS, 0, (uint32_t)g->ncls);
      g->ncls++;
    } else if (c == '\\') {
      /* A trailing backslash escapes nothing; wildmatch never matches it. */
      if (i + 1 >= n) goto bad;
      push_tok(g, TK_LIT, (unsigned char)p[i + 1], 0);
      i += 2;
    } else {
      push_tok(g, TK_LIT, c, 0);
      i++;
    }
  }
  return 0;
bad:
  prog_free(g);
  return -1;
}

/* ---- matching --------------------------------------------------------- */

#define BIT_SET(v, i) ((v)[(i) >> 6] |= (uint64_t)1 << ((i)&63))
#define BIT_GET(v, i) (((v)[(i) >> 6] >> ((i)&63)) & 1)

/* Follows the empty transitions: each star-like token may match nothing.
 * They only lead forward, so one ascending pass reaches the closure. */
static void closure(const glob_prog *g, uint64_t *v) {
  for (size_t i = 0; i < g->ntok; i++) {
    if (!BIT_GET(v, i)) continue;
    uint8_t k = g->toks[i].kind;
    if (k == TK_STAR || k == TK_STARSTAR || k == TK_DIRS) BIT_SET(v, i + 1);
  }
}

static int prog_match(const glob_prog *g, const char *s, size_t len) {
  /* State i: about to match token i; state ntok: accepted. A TK_DIRS token
   * also has a second state ("inside a segment"), kept in the mid set. */
  size_t nstates = g->ntok + 1, words = (nstates + 63) / 64;
  uint64_t local[4 * 8];
  uint64_t *mem = local;
  if (words > 8) mem = rl_xreallocarray(NULL, words, 4 * sizeof(uint64_t));
  uint64_t *cur = mem, *mid = mem + words, *nxt = mem + 2 * words, *nmid = mem + 3 * words;
  memset(mem, 0, 4 * words * sizeof(uint64_t));
  BIT_SET(cur, 0);
  closure(g, cur);
  int matched = 0;
  for (size_t pos = 0; pos < len; pos++) {
    unsigned char c = (unsigned char)s[pos];
    uint64_t any = 0;
    memset(nxt, 0, words * sizeof(uint64_t));
    memset(nmid, 0, words * sizeof(uint64_t));
    for (size_t w = 0; w < words; w++) {
      uint64_t bits = cur[w];
      while (bits) {
        size_t i = w * 64 + (size_t)__builtin_ctzll(bits);
        bits &= bits - 1;
        if (i >= g->ntok) continue;
        const tok *t = &g->toks[i];
        switch ((tok_kind)t->kind) {
        case TK_LIT:
          if (c == t->ch) BIT_SET(nxt, i + 1);
          break;
        case TK_ANY:
          if (c != '/') BIT_SET(nxt, i + 1);
          break;
        case TK_CLASS:
          if (has_bit(&g->cls[t->cls], c)) BIT_SET(nxt, i + 1);
          break;
        case TK_STAR:
          if (c != '/') BIT_SET(nxt, i);
          break;
        case TK_STARSTAR: BIT_SET(nxt, i); break;
        case TK_DIRS:
          if (c == '/')
            BIT_SET(nxt, i);
          else
            BIT_SET(nmid, i);
          break;
        }
      }
      bits = mid[w];
      while (bits) {
        size_t i = w * 64 + (size_t)__builtin_ctzll(bits);
        bits &= bits - 1;
        if (c == '/')
          BIT_SET(nxt, i);
        else
          BIT_SET(nmid, i);
      }
    }
    closure(g, nxt);
    for (size_t w = 0; w < words; w++) any |= nxt[w] | nmid[w];
    uint64_t *tmp = cur;
    cur = nxt;
    nxt = tmp;
    tmp = mid;
    mid = nmid;
    nmid = tmp;
    if (!any) goto done;
  }
  matched = (int)BIT_GET(cur, g->ntok);
done:
  if (mem != local) free(mem);
  return matched;
}

int rl_glob_match(const char *pattern, size_t plen, const char *path, size_t len) {
  glob_prog g;
  if (prog_compile(&g, pattern, plen) < 0) return 0;
  int m = prog_match(&g, path, len);
  prog_free(&g);
  return m;
}

/* ---- ignore files ----------------------------------------------------- */

/* git's trim_trailing_spaces: unescaped trailing spaces go, "\ " stays. */
static size_t trim_trailing_spaces(const char *p, size_t n) {
  size_t last_space = n; /* n: none pending */
  for (size_t i = 0; i < n; i++) {
    if (p[i] == ' ') {
      if (last_space == n) last_space = i;
    } else if (p[i] == '\\') {
      if (++i >= n) return n; /* a trailing backslash: leave it alone */
      last_space = n;
    } else {
      last_space = n;
    }
  }
  return last_space;
}

static void add_line(rl_ignore *ig, const char *p, size_t n) {
  if (n && p[n - 1] == '\r') n--;
  if (n == 0 || p[0] == '#') return;
  n = trim_trailing_spaces(p, n);
  ig_pat pat;
  memset(&pat, 0, sizeof pat);
  if (n && p[0] == '!') {
    pat.negated = 1;
    p++;
    n--;
  }
  if (n && p[n - 1] == '/') {
    pat.dir_only = 1;
    n--;
  }
  pat.basename = memchr(p, '/', n) == NULL;
  if (!pat.basename && p[0] == '/') {
    p++;
    n--;
  }
  if (n == 0) return;
  if (prog_compile(&pat.prog, p, n) < 0) return;
  ig->pats = rl_xreallocarray(ig->pats, ig->npats + 1, sizeof *ig->pats);
  ig->pats[ig->npats++] = pat;
}

rl_ignore *rl_ignore_new(const char *base, const char *text, size_t len) {
  rl_ignore *ig = rl_xcalloc(1, sizeof *ig);
  if (!base) base = "";
  ig->base_len = strlen(base);
  while (ig->base_len && base[ig->base_len - 1] == '/') ig->base_len--;
  ig->base = rl_xstrndup(base, ig->base_len);
  if (!text) len = 0;
  if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
    text += 3;
    len -= 3;
  }
  size_t i = 0;
  while (i < len) {
    const char *nl = memchr(text + i, '\n', len - i);
    size_t end = nl ? (size_t)(nl - text) : len;
    add_line(ig, text + i, end - i);
    i = end + 1;
  }
  return ig;
}

void rl_ignore_free(rl_ignore *ig) {
  if (!ig) return;
  for (size_t i = 0; i < ig->npats; i++) prog_free(&ig->pats[i].prog);
  free(ig->pats);
  free(ig->base);
  free(ig);
}

int rl_ignore_match(const rl_ignore *ig, const char *path, int is_dir) {
  if (!ig || !path) return 0;
  size_t len = strlen(path);
  const char *rel = path;
  size_t rel_len = len;
  if (ig->base_len) {
    /* A list only speaks about paths below its own directory. */
    if (len <= ig->base_len || memcmp(path, ig->base, ig->base_len) != 0 || path[ig->base_len] != '/') return 0;
    rel = path + ig->base_len + 1;
    rel_len = len - ig->base_len - 1;
  }
  if (rel_len == 0) return 0;
  const char *slash = strrchr(rel, '/');
  const char *name = slash ? slash + 1 : rel;
  size_t name_len = rel_len - (size_t)(name - rel);
  for (size_t k = ig->npats; k-- > 0;) {
    const ig_pat *pat = &ig->pats[k];
    if (pat->dir_only && !is_dir) continue;
    int m = pat->basename ? prog_match(&pat->prog, name, name_len) : prog_match(&pat->prog, rel, rel_len);
    if (m) return pat->negated ? -1 : 1;
  }
  return 0;
}
