#include "bundle.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analysis.h"
#include "baseline.h"
#include "prefilter.h"
#include "rule.h"
#include "secrets.h"
#include "sourcemap.h"
#include "util.h"

/* A snippet shows at most this much of a (minified) line around a finding. */
#define WINDOW 300
#define WINDOW_BEFORE 60
/* A key and a value are read at most this far. */
#define NAME_MAX_LEN 128
#define VALUE_MAX_LEN 4096

typedef struct hit {
  size_t start, end; /* the secret in the bundle */
  const char *what;  /* message, secret masked */
} hit;

typedef struct scan {
  const char *b;
  size_t n;
  rl_arena *arena;
  hit *hits;
  size_t nhits, cap;
  size_t dropped;
  hit *distinct; /* one hit per secret text: what masking searches for */
  size_t ndistinct;
} scan;

static void add_hit(scan *s, size_t start, size_t end, const char *what) {
  if (s->nhits == RL_BUNDLE_MAX_FINDINGS) {
    s->dropped++;
    return;
  }
  s->hits = rl_arena_grow(s->arena, s->hits, s->nhits, &s->cap, sizeof *s->hits);
  s->hits[s->nhits++] = (hit){start, end, what};
}

static int is_b64url(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}
static int is_ident(char c) { return is_b64url(c) || c == '$'; }

static const char *masked(scan *s, size_t start, size_t end) {
  return rl_mask_secret(s->arena, s->b + start, end - start);
}

/* 100ms app secrets: each search resumes after the last one found. */
static void find_app_secrets(scan *s) {
  size_t at = 0;
  const char *p;
  while (at < s->n && (p = rl_secret_find_app_secret(s->b + at, s->n - at)) != NULL) {
    size_t start = (size_t)(p - s->b);
    add_hit(s, start, start + 172,
            rl_arena_printf(s->arena, "100ms app secret in the built bundle (%s)", masked(s, start, start + 172)));
    at = start + 172;
  }
}

/* Provider JWTs: every "eyJ" that starts a token. */
static void find_jwts(scan *s) {
  size_t at = 0;
  while (at < s->n) {
    const char *hit_p = memmem(s->b + at, s->n - at, "eyJ", 3);
    if (!hit_p) break;
    size_t h = (size_t)(hit_p - s->b);
    size_t q = h;
    int dots = 0;
    while (q < s->n && (is_b64url(s->b[q]) || (s->b[q] == '.' && dots < 2))) {
      if (s->b[q] == '.') dots++;
      q++;
    }
    if (dots == 2 && (h == 0 || !is_b64url(s->b[h - 1]))) {
      const char *tok;
      size_t tl;
      rl_jwt_kind k = rl_secret_find_jwt(s->arena, s->b + h, q - h, RL_JWT_KINDS_ALL, &tok, &tl);
      if (k != RL_JWT_NONE) {
        size_t ts = (size_t)(tok - s->b);
        add_hit(s, ts, ts + tl,
                rl_arena_printf(s->arena, "%s (JWT) in the built bundle (%s)", rl_jwt_kind_name(k),
                                masked(s, ts, ts + tl)));
      }
    }
    at = q > h + 3 ? q : h + 3;
  }
}

/* Well-known formats (secrets.c's table): one pass. */
static void find_formats(scan *s) {
  size_t at = 0, len = 0;
  for (const rl_secret_format *f; (f = rl_secret_find_format(s->b, s->n, at, &at, &len)) != NULL; at += len)
    add_hit(s, at, at + len,
            rl_arena_printf(s->arena, "%s in the built bundle (%s)", f->name, masked(s, at, at + len)));
}

/* `name: "value"`, `name = "value"`, `"name": "value"` with a secret name and
 * a credential-looking value. Each candidate reads to the next quote of its
 * kind, so a pass is linear. */
static void find_named(scan *s) {
  const char *b = s->b;
  for (size_t i = 1; i < s->n; i++) {
    char q = b[i];
    if (q != '"' && q != '\'' && q != '`') continue;
    size_t j = i;
    while (j > 0 && (b[j - 1] == ' ' || b[j - 1] == '\t')) j--;
    if (j == 0) continue;
    char op = b[j - 1];
    if (op == '=') {
      if (j >= 2 && strchr("=!<>", b[j - 2])) continue;
    } else if (op != ':') {
      continue;
    }
    size_t k = j - 1;
    while (k > 0 && (b[k - 1] == ' ' || b[k - 1] == '\t')) k--;
    size_t name_end = k, name_start;
    if (k > 0 && (b[k - 1] == '"' || b[k - 1] == '\'')) {
      char kq = b[k - 1];
      name_end = k - 1;
      name_start = name_end;
      while (name_start > 0 && b[name_start - 1] != kq && name_end - name_start < NAME_MAX_LEN) name_start--;
      if (name_start == 0 || b[name_start - 1] != kq) continue;
    } else {
      name_start = k;
      while (name_start > 0 && is_ident(b[name_start - 1]) && k - name_start < NAME_MAX_LEN) name_start--;
    }
    if (name_end <= name_start || !rl_pf_name_is_secret(b + name_start, name_end - name_start)) continue;
    size_t v = i + 1, e = v;
    while (e < s->n && b[e] != q && b[e] != '\n' && e - v < VALUE_MAX_LEN) e += b[e] == '\\' ? 2 : 1;
    if (e >= s->n || b[e] != q) continue;
    if (memchr(b + v, '\\', e - v) || !rl_secret_value_is_credential(b + v, e - v)) continue;
    add_hit(s, v, e,
            rl_arena_printf(s->arena, "credential in '%.*s' in the built bundle (%s)", (int)(name_end - name_start),
                            b + name_start, masked(s, v, e)));
    i = e;
  }
}

static int hit_cmp(const void *a, const void *b) {
  const hit *x = a, *y = b;
  if (x->start != y->start) return x->start < y->start ? -1 : 1;
  return x->end > y->end ? -1 : (x->end < y->end); /* the longer first */
}

/* Sorted by start; a hit inside an earlier one (an app secret inside a
 * named value) is dropped: the secret is reported once. */
static void settle_hits(scan *s) {
  if (s->nhits > 1) qsort(s->hits, s->nhits, sizeof *s->hits, hit_cmp);
  size_t w = 0;
  for (size_t i = 0; i < s->nhits; i++) {
    if (w > 0 && s->hits[i].start < s->hits[w - 1].end) continue;
    s->hits[w++] = s->hits[i];
  }
  s->nhits = w;
}

/* ---- masking ------------------------------------------------------------------ */

/* One hit per secret text (a bundle may repeat a secret a thousand times):
 * at most RL_BUNDLE_MAX_FINDINGS, so the pairwise compare stays bounded. */
static void collect_distinct(scan *s) {
  s->distinct = rl_arena_calloc(s->arena, s->nhits ? s->nhits : 1, sizeof *s->distinct);
  for (size_t i = 0; i < s->nhits; i++) {
    const hit *h = &s->hits[i];
    size_t hl = h->end - h->start, k = 0;
    for (; k < s->ndistinct; k++) {
      const hit *d = &s->distinct[k];
      if (d->end - d->start == hl && memcmp(s->b + d->start, s->b + h->start, hl) == 0) break;
    }
    if (k == s->ndistinct) s->distinct[s->ndistinct++] = *h;
  }
}

/* text[0..n) with every copy of every found secret replaced by its mask. */
static const char *mask_all(const scan *s, rl_arena *a, const char *text, size_t n) {
  rl_buf out = {0};
  size_t i = 0;
  while (i < n) {
    size_t best = n, blen = 0;
    const char *secret = NULL;
    for (size_t k = 0; k < s->ndistinct; k++) {
      size_t sl = s->distinct[k].end - s->distinct[k].start;
      const char *p = sl <= n - i ? memmem(text + i, n - i, s->b + s->distinct[k].start, sl) : NULL;
      if (p && (size_t)(p - text) < best) {
        best = (size_t)(p - text);
        blen = sl;
        secret = s->b + s->distinct[k].start;
      }
    }
    rl_buf_put(&out, text + i, best - i);
    if (!secret) break;
    rl_buf_puts(&out, rl_mask_secret(a, secret, blen));
    i = best + blen;
  }
  const char *r = rl_arena_strndup(a, out.ptr ? out.ptr : "", out.len);
  rl_buf_free(&out);
  return r;
}

static size_t utf8_back(const char *p, size_t i) {
  while (i > 0 && ((unsigned char)p[i] & 0xC0) == 0x80) i--;
  return i;
}

/* A line's window around byte `at` (relative to the line), widened so no
 * found secret is cut, masked; *cut_col: code points the leading "…" hides. */
static size_t code_points(const char *p, size_t n) {
  size_t c = 0;
  for (size_t i = 0; i < n; i++) c += ((unsigned char)p[i] & 0xC0) != 0x80;
  return c;
}

static const char *window_snippet(const scan *s, rl_arena *a, const char *line, size_t n, size_t at, uint32_t at_col,
                                  uint32_t *cut_col) {
  size_t from = 0, to = n;
  *cut_col = 0;
  if (n > WINDOW) {
    from = at > WINDOW_BEFORE ? utf8_back(line, at - WINDOW_BEFORE) : 0;
    to = from + WINDOW < n ? utf8_back(line, from + WINDOW) : n;
    /* a found secret that the window would cut is shown whole (as a mask) */
    for (size_t k = 0; k < s->ndistinct; k++) {
      size_t sl = s->distinct[k].end - s->distinct[k].start;
      const char *sec = s->b + s->distinct[k].start;
      size_t lo = from > sl ? from - sl : 0, hi = to + sl < n ? to + sl : n;
      const char *p = line + lo;
      while (p < line + hi && (p = memmem(p, (size_t)(line + hi - p), sec, sl)) != NULL) {
        size_t ps = (size_t)(p - line), pe = ps + sl;
        if (ps < from && pe > from) from = ps;
        if (ps < to && pe > to) to = pe;
        p++;
      }
    }
    /* at_col is at's column: counting back from it keeps this local */
    if (from > 0) *cut_col = at_col - 1 - (uint32_t)code_points(line + from, at - from);
  }
  rl_buf b = {0};
  if (from > 0) rl_buf_puts(&b, "…");
  rl_buf_puts(&b, mask_all(s, a, line + from, to - from));
  if (to < n) rl_buf_puts(&b, "…");
  const char *r = rl_arena_strndup(a, b.ptr ? b.ptr : "", b.len);
  rl_buf_free(&b);
  return r;
}

/* ---- source maps -------------------------------------------------------------- */

static char *dir_of(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? rl_xstrndup(path, (size_t)(slash - path)) : rl_xstrdup("");
}

/* dir + "/" + rel, with "." and ".." folded away lexically ("dist/../src/a.js" -> "src/a.js"). */
static char *join_path(const char *dir, const char *rel) {
  rl_buf in = {0};
  if (rel[0] != '/' && dir[0]) {
    rl_buf_puts(&in, dir);
    rl_buf_putc(&in, '/');
  }
  rl_buf_puts(&in, rel);
  char *s = rl_buf_detach(&in);
  int abs = s[0] == '/';
  size_t nparts = 0, cap = 16;
  char **parts = rl_xcalloc(cap, sizeof *parts);
  for (char *p = s; *p;) {
    char *e = strchr(p, '/');
    if (e) *e = '\0';
    if (strcmp(p, "..") == 0 && nparts > 0 && strcmp(parts[nparts - 1], "..") != 0) {
      nparts--;
    } else if (p[0] && strcmp(p, ".") != 0 && !(strcmp(p, "..") == 0 && abs)) {
      if (nparts == cap) parts = rl_xreallocarray(parts, cap *= 2, sizeof *parts);
      parts[nparts++] = p;
    }
    if (!e) break;
    p = e + 1;
  }
  rl_buf out = {0};
  if (abs) rl_buf_putc(&out, '/');
  for (size_t i = 0; i < nparts; i++) {
    if (i) rl_buf_putc(&out, '/');
    rl_buf_puts(&out, parts[i]);
  }
  free(parts);
  free(s);
  return out.ptr ? rl_buf_detach(&out) : rl_xstrdup(".");
}

/* The URL of the last sourceMappingURL comment in the file's last 64 KiB
 * (bundlers put it at the end), or NULL. */
static const char *map_url(const char *b, size_t n, size_t *url_len) {
  size_t from = n > 65536 ? n - 65536 : 0;
  const char *last = NULL;
  for (const char *p = b + from; (p = memmem(p, (size_t)(b + n - p), "sourceMappingURL=", 17)) != NULL; p += 17) {
    if (p - b >= 4 && (p[-1] == ' ' || p[-1] == '#' || p[-1] == '@')) last = p + 17;
  }
  if (!last) return NULL;
  const char *e = last;
  while (e < b + n && *e != '\n' && *e != '\r' && *e != ' ' && *e != '*' && *e != '"' && *e != '\'') e++;
  *url_len = (size_t)(e - last);
  return *url_len ? last : NULL;
}

/* Loads the bundle's map. Returns it (NULL: none or broken, with a note
 * unless there was none at all) and the directory its sources are relative to. */
static rl_sourcemap *load_map(rl_file_result *r, const char *path, const char *b, size_t n, const rl_bundle_options *o,
                              char **map_dir) {
  size_t ul = 0;
  const char *url = map_url(b, n, &ul);
  char *text = NULL;
  size_t tl = 0;
  char *where = NULL;
  *map_dir = dir_of(path);
  rl_sourcemap *m = NULL;
  static const char inline_prefix[] = "data:application/json";
  if (url && ul > sizeof inline_prefix - 1 && memcmp(url, inline_prefix, sizeof inline_prefix - 1) == 0) {
    const char *comma = memchr(url, ',', ul);
    const char *b64 = comma ? memmem(url, (size_t)(comma - url), ";base64", 7) : NULL;
    unsigned char *json = NULL;
    size_t jl = 0;
    where = rl_xstrdup("inline source map");
    if (!b64 || !rl_base64_decode(comma + 1, (size_t)(url + ul - comma - 1), r->arena, &json, &jl)) {
      rl_file_result_note(r, RL_NOTE_WARNING, "source-map-broken", 0, 0,
                          "%s: the inline source map is not base64 JSON; findings point into the bundle", r->path);
      goto done;
    }
    text = rl_xstrndup((const char *)json, jl);
    tl = jl;
  } else {
    char *file = NULL;
    /* Only a relative name ending in .map is followed: a comment in a
     * scanned file does not get to choose what else roomlint reads. */
    if (url && !memmem(url, ul, "://", 3) && url[0] != '/' && ul > 4 && memcmp(url + ul - 4, ".map", 4) == 0) {
      char *rel = rl_xstrndup(url, ul);
      file = join_path(*map_dir, rel);
      free(rel);
    } else if (!url) {
      size_t pl = strlen(path);
      file = rl_xmalloc(pl + 5);
      memcpy(file, path, pl);
      memcpy(file + pl, ".map", 5);
    }
    if (!file) {
      if (url) /* a remote or absolute map: never fetched */
        rl_file_result_note(r, RL_NOTE_NOTE, "source-map-not-followed", 0, 0,
                            "%s: its sourceMappingURL is not a relative .map name; not followed", r->path);
      goto done;
    }
    where = file;
    free(*map_dir);
    *map_dir = dir_of(file);
    rl_skip sk = rl_file_read(file, o->max_map_size, &text, &tl);
    if (sk != RL_SKIP_NONE) {
      if (url || sk != RL_SKIP_UNREADABLE)
        rl_file_result_note(r, RL_NOTE_WARNING, "source-map-unreadable", 0, 0,
                            "%s: source map %s was not read (%s); findings point into the bundle", r->path, file,
                            rl_skip_name(sk));
      text = NULL;
      goto done;
    }
  }
  if (rl_sourcemap_parse(&m, text, tl) < 0) {
    rl_file_result_note(r, RL_NOTE_WARNING, "source-map-broken", 0, 0,
                        "%s: %s is not a usable source map (%s); findings point into the bundle", r->path, where,
                        rl_error_last());
    m = NULL;
  }
done:
  free(text);
  free(where);
  return m;
}

/* ---- findings ----------------------------------------------------------------- */

/* A line and code-point column, moved forward byte by byte: hits come in
 * order, so positioning all of them is one pass over the bundle, not one
 * pass from the start of its (single, 50 MB) line per hit. */
typedef struct position {
  size_t off;
  uint32_t line, col;
} position;

static void advance(const char *b, position *p, size_t to) {
  for (; p->off < to; p->off++) {
    unsigned char c = (unsigned char)b[p->off];
    if (c == '\n') {
      p->line++;
      p->col = 1;
    } else if ((c & 0xC0) != 0x80) {
      p->col++;
    }
  }
}

/* The byte offset of 1-based code-point column col in line[0..n). */
static size_t byte_of_col(const char *line, size_t n, uint32_t col) {
  size_t at = 0;
  for (uint32_t c = 1; at < n && c < col;) {
    at++;
    while (at < n && ((unsigned char)line[at] & 0xC0) == 0x80) at++;
    c++;
  }
  return at;
}

static rl_finding *new_finding(rl_file_result *r, size_t *cap, const rl_bundle_options *o) {
  r->findings = rl_arena_grow(r->arena, r->findings, r->nfindings, cap, sizeof *r->findings);
  rl_finding *f = &r->findings[r->nfindings++];
  memset(f, 0, sizeof *f);
  f->rule = o->rule;
  f->severity = o->severity;
  return f;
}

static int finding_cmp(const void *a, const void *b) {
  const rl_finding *x = a, *y = b;
  if (x->start_line != y->start_line) return x->start_line < y->start_line ? -1 : 1;
  if (x->start_col != y->start_col) return x->start_col < y->start_col ? -1 : 1;
  return x->bundle_col < y->bundle_col ? -1 : (x->bundle_col > y->bundle_col);
}

/* Sorted, fingerprinted (rule, path, snippet, occurrence: as the engine
 * does), matched against the baseline. */
static void finish(rl_file_result *r, const rl_bundle_options *o) {
  if (r->nfindings > 1) qsort(r->findings, r->nfindings, sizeof *r->findings, finding_cmp);
  uint64_t *hashes = rl_xcalloc(r->nfindings ? r->nfindings : 1, sizeof *hashes);
  for (size_t i = 0; i < r->nfindings; i++) hashes[i] = rl_finding_hash(&r->findings[i], r->path);
  rl_findings_fingerprint(r->findings, hashes, r->nfindings);
  for (size_t i = 0; i < r->nfindings; i++) {
    rl_finding *f = &r->findings[i];
    if (rl_baseline_has(o->baseline, f->fingerprint)) {
      f->suppressed = RL_SUPPRESS_EXTERNAL;
      f->justification = rl_baseline_reason(o->baseline);
    }
  }
  free(hashes);
}

size_t rl_bundle_scan(rl_file_result ***out, const char *path, const char *bytes, size_t len,
                      const rl_bundle_options *o) {
  size_t nres = 1, rescap = 4;
  rl_file_result **res = rl_xcalloc(rescap, sizeof *res);
  size_t *caps = rl_xcalloc(rescap, sizeof *caps);
  rl_file_result *r = rl_file_result_new(path, RL_LANG_JS);
  res[0] = r;
  r->context = RL_CTX_CLIENT;
  r->context_reason = "built bundle: ships as it is";
  scan s = {bytes, len, r->arena, NULL, 0, 0, 0, NULL, 0};
  find_app_secrets(&s);
  find_jwts(&s);
  find_formats(&s);
  find_named(&s);
  settle_hits(&s);
  collect_distinct(&s);
  if (s.dropped)
    rl_file_result_note(r, RL_NOTE_WARNING, "bundle-findings-limited", 0, 0,
                        "%s: more than %d secrets found; %zu more were not reported", path, RL_BUNDLE_MAX_FINDINGS,
                        s.dropped);
  if (s.nhits == 0) goto done;

  rl_source src;
  rl_source_init(&src, r->path, bytes, len, RL_LANG_JS, r->arena);
  rl_sourcemap_query *q = rl_arena_calloc(r->arena, s.nhits, sizeof *q);
  uint32_t *lines = rl_arena_calloc(r->arena, s.nhits, sizeof *lines),
           *cols = rl_arena_calloc(r->arena, s.nhits, sizeof *cols);
  position pos = {0, 1, 1};
  for (size_t i = 0; i < s.nhits; i++) {
    advance(bytes, &pos, s.hits[i].start);
    lines[i] = pos.line;
    cols[i] = pos.col;
    q[i].line = lines[i] - 1;
    q[i].col = cols[i] - 1;
  }
  char *map_dir = NULL;
  rl_sourcemap *m = load_map(r, path, bytes, len, o, &map_dir);
  if (m && rl_sourcemap_lookup(m, q, s.nhits) < 0) {
    rl_file_result_note(r, RL_NOTE_WARNING, "source-map-broken", 0, 0,
                        "%s: its source map's mappings are malformed (%s); findings point into the bundle", path,
                        rl_error_last());
    rl_sourcemap_free(m);
    m = NULL;
  }
  for (size_t i = 0; i < s.nhits; i++) {
    const hit *h = &s.hits[i];
    const char *line;
    size_t ln;
    rl_source_line(&src, lines[i], &line, &ln);
    size_t at = h->start - (size_t)(line - bytes);
    if (m && q[i].found) {
      const char *name = rl_sourcemap_source(m, q[i].source);
      /* webpack://app/./src/x.js names src/x.js of the project */
      const char *wp = strncmp(name, "webpack://", 10) == 0 ? strchr(name + 10, '/') : NULL;
      char *orig = wp ? join_path("", wp + 1) : join_path(map_dir, name);
      size_t k = 1;
      while (k < nres && strcmp(res[k]->path, orig) != 0) k++;
      if (k == nres) {
        if (nres == rescap) {
          rescap *= 2;
          res = rl_xreallocarray(res, rescap, sizeof *res);
          caps = rl_xreallocarray(caps, rescap, sizeof *caps);
        }
        res[nres] = rl_file_result_new(orig, rl_lang_for_path(orig));
        res[nres]->mapped = 1;
        res[nres]->context = RL_CTX_CLIENT;
        res[nres]->context_reason = rl_arena_printf(res[nres]->arena, "built into %s", path);
        caps[nres++] = 0;
      }
      free(orig);
      rl_file_result *t = res[k];
      rl_finding *f = new_finding(t, &caps[k], o);
      /* The segment covers the token the secret starts in; within it the
       * text is the source's own. */
      uint32_t delta = q[i].col - q[i].seg_col;
      f->start_line = f->end_line = q[i].orig_line + 1;
      f->start_col = q[i].orig_col + 1 + delta;
      f->end_col = f->start_col + (uint32_t)(h->end - h->start);
      f->message = rl_arena_strdup(t->arena, h->what);
      f->bundle_path = rl_arena_strdup(t->arena, path);
      f->bundle_line = lines[i];
      f->bundle_col = cols[i];
      const char *ol;
      size_t oln;
      if (rl_sourcemap_source_line(m, q[i].source, q[i].orig_line, &ol, &oln)) {
        size_t oat = byte_of_col(ol, oln, f->start_col), pre = h->end - h->start < 4 ? h->end - h->start : 4;
        if (oat + pre > oln || memcmp(ol + oat, bytes + h->start, pre) != 0) {
          /* not the secret's own text there (a build-time define put it in):
           * the token the segment names, at its start */
          f->start_col = q[i].orig_col + 1;
          f->end_col = f->start_col + 1;
          oat = byte_of_col(ol, oln, f->start_col);
        }
        f->snippet = window_snippet(&s, t->arena, ol, oln, oat, f->start_col, &f->snippet_col);
      } else {
        f->snippet = window_snippet(&s, t->arena, line, ln, at, cols[i], &f->snippet_col);
        f->snippet_col = 0; /* the bundle's columns, not the source's: no caret offset to give */
      }
    } else {
      rl_finding *f = new_finding(r, &caps[0], o);
      f->start_line = f->end_line = lines[i];
      f->start_col = cols[i];
      position end = {h->start, lines[i], cols[i]};
      advance(bytes, &end, h->end);
      f->end_line = end.line;
      f->end_col = end.col;
      f->start_byte = (uint32_t)h->start;
      f->end_byte = (uint32_t)h->end;
      f->message = h->what;
      f->snippet = window_snippet(&s, r->arena, line, ln, at, cols[i], &f->snippet_col);
    }
  }
  rl_sourcemap_free(m);
  free(map_dir);
done:
  for (size_t k = 0; k < nres; k++) finish(res[k], o);
  free(caps);
  *out = res;
  return nres;
}

static int is_build_name(const char *p, size_t n) {
  static const char *const dirs[] = {"dist", "build", "web-build"};
  for (size_t k = 0; k < RL_ARRAY_LEN(dirs); k++)
    if (n == strlen(dirs[k]) && memcmp(p, dirs[k], n) == 0) return 1;
  return 0;
}

int rl_bundle_path_is_build(const char *path) {
  if (strstr(path, ".next/static")) return 1;
  /* A folder is a build folder by its own name (a project that happens to
   * live under ~/build/ is still source); a file by one of the three
   * folders above it (dist/assets/js/index.js). */
  struct stat st;
  int dir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
  size_t n = strlen(path);
  while (n > 1 && path[n - 1] == '/') n--;
  for (int level = 0; level < (dir ? 1 : 4); level++) {
    size_t e = n;
    while (n > 0 && path[n - 1] != '/') n--;
    if (level > 0 || dir) {
      if (is_build_name(path + n, e - n)) return 1;
    }
    if (n == 0) break;
    n--; /* the '/' */
  }
  return 0;
}
