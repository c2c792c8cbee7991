/* The HTML sink: one self-contained page for people auditing an app (no
 * scripts, no network, no external assets). A summary with an inline SVG
 * chart of findings by rule and severity, the fix, then findings grouped by
 * file with their snippets (lightly highlighted, the finding's range
 * emphasised), then the documentation of every rule that fired.
 *
 * File results are copied as they arrive (the engine frees them after
 * file() returns); the page is written at end(), when the totals that head
 * it are known. Everything from scanned files is escaped; snippets and
 * messages already have their secrets masked by the engine. */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_common.h"
#include "util.h"
#include "version.h"

/* Absolute links, so that they work wherever the report is saved (a
 * relative README.md resolves against the page's own directory). */
#define REPO_DOCS RL_INFORMATION_URI "/blob/main/"
#define TOKEND_LINK RL_INFORMATION_URI "#tokend-the-fix"

typedef struct hfinding {
  const rl_rule *rule;
  rl_severity severity;
  char *message, *snippet, *justification, *bundle_path;
  uint32_t start_line, start_col, end_line, end_col, snippet_col, bundle_line, bundle_col;
  rl_suppress_kind suppressed;
} hfinding;

typedef struct hfile {
  char *path, *context, *reason;
  hfinding *f;
  size_t n, visible;
} hfile;

typedef struct html_sink {
  rl_sink base;
  FILE *out;
  const rl_rule *const *rules;
  size_t nrules;
  size_t *counts; /* [rule][severity 1..3] unsuppressed findings */
  hfile *files;
  size_t nfiles;
  rl_buf page;
} html_sink;

/* ---- escaping ------------------------------------------------------------ */

/* Text of a scanned file: escaped, and controls, bidi overrides and invalid
 * UTF-8 shown as U+FFFD (as the text sink does for terminals). */
static void esc_n(rl_buf *b, const char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    const unsigned char *u = (const unsigned char *)s + i;
    int valid;
    size_t step = rl_utf8_step(s + i, n - i, &valid);
    int bad = !valid || (u[0] < 0x20 && u[0] != '\t' && u[0] != '\n') || u[0] == 0x7F ||
              (step == 2 && u[0] == 0xC2 && u[1] <= 0x9F) ||
              (step == 3 && u[0] == 0xE2 && u[1] == 0x80 && u[2] >= 0xAA && u[2] <= 0xAE) ||
              (step == 3 && u[0] == 0xE2 && u[1] == 0x81 && u[2] >= 0xA6 && u[2] <= 0xA9);
    if (bad)
      rl_buf_puts(b, "\xEF\xBF\xBD");
    else if (u[0] == '&')
      rl_buf_puts(b, "&amp;");
    else if (u[0] == '<')
      rl_buf_puts(b, "&lt;");
    else if (u[0] == '>')
      rl_buf_puts(b, "&gt;");
    else if (u[0] == '"')
      rl_buf_puts(b, "&quot;");
    else if (u[0] == '\'')
      rl_buf_puts(b, "&#39;");
    else
      rl_buf_put(b, s + i, step);
    i += step;
  }
}

static void esc(rl_buf *b, const char *s) {
  if (s) esc_n(b, s, strlen(s));
}

/* An id attribute value: a rule id is kebab-case already; anything else
 * (rule-pack ids are checked the same way) is escaped too. */
static void anchor(rl_buf *b, const char *prefix, const char *id) {
  rl_buf_puts(b, prefix);
  esc(b, id);
}

/* ---- copying results ----------------------------------------------------- */

static char *dup_or_null(const char *s) { return s ? rl_xstrdup(s) : NULL; }

static long rule_index(const html_sink *h, const rl_rule *r) {
  for (size_t i = 0; i < h->nrules; i++)
    if (h->rules[i] == r) return (long)i;
  return -1;
}

static int html_begin(rl_sink *s, const rl_run_info *run) {
  html_sink *h = (html_sink *)s;
  h->rules = run->rules;
  h->nrules = run->nrules;
  h->counts = rl_xcalloc((h->nrules ? h->nrules : 1) * 4, sizeof *h->counts);
  return 0;
}

static int html_file(rl_sink *s, const rl_file_result *r) {
  html_sink *h = (html_sink *)s;
  if (r->skip != RL_SKIP_NONE || r->nfindings == 0) return 0;
  h->files = rl_xreallocarray(h->files, h->nfiles + 1, sizeof *h->files);
  hfile *f = &h->files[h->nfiles++];
  memset(f, 0, sizeof *f);
  f->path = rl_xstrdup(r->path);
  f->context = rl_xstrdup(rl_context_name(r->context));
  f->reason = dup_or_null(r->context_reason);
  f->f = rl_xcalloc(r->nfindings, sizeof *f->f);
  f->n = r->nfindings;
  for (size_t i = 0; i < r->nfindings; i++) {
    const rl_finding *src = &r->findings[i];
    hfinding *d = &f->f[i];
    d->rule = src->rule;
    d->severity = src->severity;
    d->message = dup_or_null(src->message);
    d->snippet = dup_or_null(src->snippet);
    d->justification = dup_or_null(src->justification);
    d->bundle_path = dup_or_null(src->bundle_path);
    d->bundle_line = src->bundle_line;
    d->bundle_col = src->bundle_col;
    d->start_line = src->start_line;
    d->start_col = src->start_col;
    d->end_line = src->end_line;
    d->end_col = src->end_col;
    d->snippet_col = src->snippet_col;
    d->suppressed = src->suppressed;
    if (src->suppressed != RL_SUPPRESS_NONE) continue;
    f->visible++;
    long k = rule_index(h, src->rule);
    if (k >= 0 && src->severity >= RL_SEV_NOTE && src->severity <= RL_SEV_ERROR) h->counts[k * 4 + src->severity]++;
  }
  return 0;
}

/* ---- snippets ------------------------------------------------------------ */

enum { TK_PLAIN, TK_KEYWORD, TK_STRING, TK_COMMENT, TK_NUMBER, TK_MASK };
static const char *const tk_class[] = {NULL, "k", "s", "c", "n", "m"};

static int is_ident(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$' ||
         c >= 0x80;
}

static int is_keyword(const char *p, size_t n) {
  static const char *const kw[] = {"async", "await",  "break",     "case",   "catch",  "class",    "const", "default",
                                   "else",  "export", "false",     "for",    "from",   "function", "if",    "import",
                                   "let",   "new",    "null",      "return", "switch", "this",     "throw", "true",
                                   "try",   "typeof", "undefined", "var",    "while"};
  for (size_t i = 0; i < RL_ARRAY_LEN(kw); i++)
    if (strlen(kw[i]) == n && memcmp(kw[i], p, n) == 0) return 1;
  return 0;
}

/* A light, line-local JS/TS/dotenv lexer: one token class per byte. It only
 * colours; it never decides anything, so an odd line just looks plainer. */
static void classify(const char *p, size_t n, unsigned char *cls, int dotenv) {
  size_t i = 0;
  memset(cls, TK_PLAIN, n);
  while (i < n) {
    unsigned char c = (unsigned char)p[i];
    uint32_t chars;
    size_t m = rl_report__mask_at(p + i, n - i, &chars);
    if (m) {
      memset(cls + i, TK_MASK, m);
      i += m;
    } else if ((!dotenv && c == '/' && i + 1 < n && p[i + 1] == '/') || (dotenv && c == '#')) {
      memset(cls + i, TK_COMMENT, n - i);
      break;
    } else if (c == '\'' || c == '"' || c == '`') {
      size_t j = i + 1;
      while (j < n && (unsigned char)p[j] != c) {
        if (p[j] == '\\' && j + 1 < n) j++;
        if (rl_report__mask_at(p + j, n - j, &chars)) break;
        j++;
      }
      if (j < n && (unsigned char)p[j] == c) j++;
      memset(cls + i, TK_STRING, j - i);
      i = j;
    } else if (c >= '0' && c <= '9') {
      size_t j = i;
      while (j < n && is_ident((unsigned char)p[j])) j++;
      memset(cls + i, TK_NUMBER, j - i);
      i = j;
    } else if (is_ident(c)) {
      size_t j = i;
      while (j < n && is_ident((unsigned char)p[j])) j++;
      if (!dotenv && is_keyword(p + i, j - i)) memset(cls + i, TK_KEYWORD, j - i);
      i = j;
    } else {
      i++;
    }
  }
}

/* One snippet line: `col0` is the file column of its first byte. Bytes whose
 * columns fall in [from, to) are inside <mark>. Masks span the columns of
 * the secret they stand for. */
static void snippet_line(rl_buf *b, const char *p, size_t n, uint32_t col0, uint64_t from, uint64_t to, int dotenv) {
  unsigned char *cls = rl_xmalloc(n ? n : 1);
  classify(p, n, cls, dotenv);
  uint64_t col = col0;
  size_t i = 0;
  int open_mark = 0, open_cls = TK_PLAIN;
  while (i < n) {
    uint32_t chars = 1;
    size_t len = rl_report__mask_at(p + i, n - i, &chars);
    int valid;
    if (len == 0) len = rl_utf8_step(p + i, n - i, &valid);
    if (i == 0 && col0 > 1 && len == 3 && memcmp(p, "\xE2\x80\xA6", 3) == 0) chars = 0; /* the cut marker */
    int in_mark = col < to && col + (chars ? chars : 1) > from;
    int c = cls[i];
    if (in_mark != open_mark || c != open_cls) {
      if (open_cls != TK_PLAIN) rl_buf_puts(b, "</span>");
      if (in_mark != open_mark) {
        rl_buf_puts(b, in_mark ? "<mark>" : "</mark>");
        open_mark = in_mark;
      }
      if (c != TK_PLAIN) rl_buf_printf(b, "<span class=\"%s\">", tk_class[c]);
      open_cls = c;
    }
    esc_n(b, p + i, len);
    col += chars;
    i += len;
  }
  if (open_cls != TK_PLAIN) rl_buf_puts(b, "</span>");
  if (open_mark) rl_buf_puts(b, "</mark>");
  free(cls);
}

static void snippet(rl_buf *b, const hfinding *f, int dotenv) {
  if (!f->snippet || !f->snippet[0]) return;
  rl_buf_puts(b, "<pre class=\"code\">");
  const char *p = f->snippet;
  uint32_t line = f->start_line;
  for (int first = 1; *p; first = 0, line++) {
    size_t n = strcspn(p, "\n");
    size_t shown = n > 0 && p[n - 1] == '\r' ? n - 1 : n;
    /* Columns of the range on this line: from start_col on the first line,
     * to end_col on the last; whole lines between. */
    uint64_t from = line == f->start_line ? f->start_col : 1;
    /* Continuation lines: the emphasis starts at the code, not the indentation. */
    if (line != f->start_line)
      while (from - 1 < shown && (p[from - 1] == ' ' || p[from - 1] == '\t')) from++;
    uint64_t to = line == f->end_line ? f->end_col : UINT64_MAX;
    if (line > f->end_line) to = 0;
    uint32_t col0 = first && f->snippet_col ? f->snippet_col + 1 : 1;
    rl_buf_printf(b, "<span class=\"ln\">%u</span>", (unsigned)line);
    snippet_line(b, p, shown, col0, from, to, dotenv);
    rl_buf_putc(b, '\n');
    p += n;
    if (*p == '\n') p++;
  }
  rl_buf_puts(b, "</pre>");
}

/* ---- rule docs: a small markdown subset ------------------------------------- */

/* A link of a rule doc (written relative to rules/) as an absolute URL: a
 * web link as it is, "../README.md#x" and "other-rule.md" in the
 * repository, "#heading" to that heading of the doc in the page. */
static void link_target(rl_buf *b, const char *rid, const char *u, size_t n) {
  if (u[0] == '#') { /* a heading of the same doc: see heading_id */
    rl_buf_puts(b, "#rule-");
    esc(b, rid);
    rl_buf_puts(b, "--");
    esc_n(b, u + 1, n - 1);
    return;
  }
  if ((n > 8 && strncmp(u, "https://", 8) == 0) || (n > 7 && strncmp(u, "http://", 7) == 0)) {
    esc_n(b, u, n);
    return;
  }
  rl_buf_puts(b, REPO_DOCS);
  if (n >= 3 && memcmp(u, "../", 3) == 0) {
    u += 3;
    n -= 3;
  } else {
    rl_buf_puts(b, "rules/");
  }
  esc_n(b, u, n);
}

/* Inline markdown: `code`, **bold**, *em*, [text](url); s may span the
 * lines of one paragraph or list item. */
static void inline_md(rl_buf *b, const char *rid, const char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    const char *end;
    if (s[i] == '`' && (end = memchr(s + i + 1, '`', n - i - 1)) != NULL) {
      rl_buf_puts(b, "<code>");
      esc_n(b, s + i + 1, (size_t)(end - s - i - 1));
      rl_buf_puts(b, "</code>");
      i = (size_t)(end - s) + 1;
      continue;
    }
    if (i + 1 < n && s[i] == '*' && s[i + 1] == '*') {
      const char *close = NULL;
      for (size_t j = i + 2; j + 1 < n; j++)
        if (s[j] == '*' && s[j + 1] == '*') {
          close = s + j;
          break;
        }
      if (close) {
        rl_buf_puts(b, "<strong>");
        inline_md(b, rid, s + i + 2, (size_t)(close - s - i - 2));
        rl_buf_puts(b, "</strong>");
        i = (size_t)(close - s) + 2;
        continue;
      }
    }
    size_t eol = i;
    while (eol < n && s[eol] != '\n') eol++;
    if (s[i] == '*' && i + 1 < n && s[i + 1] != ' ' && (end = memchr(s + i + 1, '*', eol - i - 1)) != NULL) {
      rl_buf_puts(b, "<em>");
      esc_n(b, s + i + 1, (size_t)(end - s - i - 1));
      rl_buf_puts(b, "</em>");
      i = (size_t)(end - s) + 1;
      continue;
    }
    if (s[i] == '[') {
      const char *close = memchr(s + i, ']', n - i);
      if (close && (size_t)(close - s) + 1 < n && close[1] == '(') {
        const char *rp = memchr(close, ')', n - (size_t)(close - s));
        size_t ulen = rp ? (size_t)(rp - close - 2) : 0;
        if (rp && ulen > 0 && !memchr(close + 2, '\n', ulen)) {
          rl_buf_puts(b, "<a href=\"");
          link_target(b, rid, close + 2, ulen);
          rl_buf_puts(b, "\">");
          esc_n(b, s + i + 1, (size_t)(close - s - i - 1));
          rl_buf_puts(b, "</a>");
        } else {
          esc_n(b, s + i + 1, (size_t)(close - s - i - 1));
        }
        i = rp ? (size_t)(rp - s) + 1 : (size_t)(close - s) + 1;
        continue;
      }
    }
    int valid;
    size_t step = rl_utf8_step(s + i, n - i, &valid);
    esc_n(b, s + i, step);
    i += step;
  }
}

typedef enum md_block { MD_NONE, MD_PARA, MD_UL, MD_OL, MD_TABLE } md_block;

static void md_close(rl_buf *b, md_block *blk, int *item_open) {
  if (*item_open) rl_buf_puts(b, "</li>");
  *item_open = 0;
  switch (*blk) {
  case MD_PARA: rl_buf_puts(b, "</p>\n"); break;
  case MD_UL: rl_buf_puts(b, "</ul>\n"); break;
  case MD_OL: rl_buf_puts(b, "</ol>\n"); break;
  case MD_TABLE: rl_buf_puts(b, "</table>\n"); break;
  case MD_NONE: break;
  }
  *blk = MD_NONE;
}

/* Length of a list marker ("- ", "* ", "12. ") at s, or 0. */
static size_t list_marker(const char *s, size_t n, int *ordered) {
  if (n >= 2 && (s[0] == '-' || s[0] == '*') && s[1] == ' ') {
    *ordered = 0;
    return 2;
  }
  size_t i = 0;
  while (i < n && s[i] >= '0' && s[i] <= '9') i++;
  if (i > 0 && i + 1 < n && s[i] == '.' && s[i + 1] == ' ') {
    *ordered = 1;
    return i + 2;
  }
  return 0;
}

static void table_row(rl_buf *b, const char *rid, const char *s, size_t n, int header) {
  /* Skip the |---|---| separator row. */
  int sep = 1;
  for (size_t i = 0; i < n; i++)
    if (s[i] != '|' && s[i] != '-' && s[i] != ':' && s[i] != ' ') sep = 0;
  if (sep) return;
  rl_buf_puts(b, "<tr>");
  size_t i = s[0] == '|' ? 1 : 0;
  while (i < n) {
    size_t j = i;
    while (j < n && !(s[j] == '|' && (j == 0 || s[j - 1] != '\\'))) j++;
    size_t a = i, z = j;
    while (a < z && s[a] == ' ') a++;
    while (z > a && s[z - 1] == ' ') z--;
    if (j < n || z > a) {
      rl_buf_puts(b, header ? "<th>" : "<td>");
      inline_md(b, rid, s + a, z - a);
      rl_buf_puts(b, header ? "</th>" : "</td>");
    }
    i = j + 1;
  }
  rl_buf_puts(b, "</tr>\n");
}

/* The anchor a markdown renderer gives a heading, as the docs link them:
 * lower case, blanks as '-', letters, digits, '-' and '_' kept, the rest
 * dropped ("Next.js middleware" -> nextjs-middleware). */
static void heading_id(rl_buf *b, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == ' ')
      rl_buf_putc(b, '-');
    else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')
      rl_buf_putc(b, (char)c);
    else if (c >= 'A' && c <= 'Z')
      rl_buf_putc(b, (char)(c - 'A' + 'a'));
  }
}

/* Renders a rule's markdown doc; the first heading (the rule's own title)
 * is left out, since the section heading already says it. */
static void markdown(rl_buf *b, const char *rid, const char *md) {
  md_block blk = MD_NONE;
  int item_open = 0, in_code = 0, seen_title = 0;
  size_t fence_indent = 0;
  rl_buf inl = {0}; /* the open paragraph's or list item's text, rendered whole */
#define FLUSH()                                                                                                        \
  do {                                                                                                                 \
    if (inl.len) inline_md(b, rid, inl.ptr, inl.len);                                                                  \
    inl.len = 0;                                                                                                       \
  } while (0)
#define CLOSE()                                                                                                        \
  do {                                                                                                                 \
    FLUSH();                                                                                                           \
    md_close(b, &blk, &item_open);                                                                                     \
  } while (0)
  const char *p = md;
  while (*p) {
    size_t n = strcspn(p, "\n");
    const char *line = p;
    p += n;
    if (*p == '\n') p++;
    size_t indent = 0;
    while (indent < n && line[indent] == ' ') indent++;
    const char *t = line + indent;
    size_t tn = n - indent;
    /* A fence may be indented (a code block inside a list item). */
    if (tn >= 3 && memcmp(t, "```", 3) == 0 && (in_code || indent < 4 || item_open)) {
      if (in_code) {
        rl_buf_puts(b, "</code></pre>\n");
        in_code = 0;
      } else {
        if (item_open && indent > 0)
          FLUSH(); /* stays inside the item */
        else
          CLOSE();
        rl_buf_puts(b, "<pre class=\"doc\"><code>");
        in_code = 1;
        fence_indent = indent;
      }
      continue;
    }
    if (in_code) {
      size_t cut = indent < fence_indent ? indent : fence_indent;
      esc_n(b, line + cut, n - cut);
      rl_buf_putc(b, '\n');
      continue;
    }
    if (tn == 0) {
      CLOSE();
      continue;
    }
    if (t[0] == '#') {
      size_t level = 0;
      while (level < tn && t[level] == '#') level++;
      CLOSE();
      if (!seen_title && level == 1) {
        seen_title = 1;
        continue;
      }
      size_t h = level + 2 > 6 ? 6 : level + 2;
      const char *ht = t + level + (level < tn && t[level] == ' ');
      size_t hn = tn - level - (level < tn && t[level] == ' ');
      rl_buf_printf(b, "<h%zu id=\"rule-", h);
      esc(b, rid);
      rl_buf_puts(b, "--");
      heading_id(b, ht, hn);
      rl_buf_puts(b, "\">");
      inline_md(b, rid, ht, hn);
      rl_buf_printf(b, "</h%zu>\n", h);
      continue;
    }
    if (t[0] == '|') {
      if (blk != MD_TABLE) {
        CLOSE();
        rl_buf_puts(b, "<table>\n");
        blk = MD_TABLE;
        table_row(b, rid, t, tn, 1);
      } else {
        table_row(b, rid, t, tn, 0);
      }
      continue;
    }
    int ordered = 0;
    size_t m = list_marker(t, tn, &ordered);
    if (m && indent < 4) {
      md_block want = ordered ? MD_OL : MD_UL;
      FLUSH();
      if (blk != want) {
        md_close(b, &blk, &item_open);
        rl_buf_puts(b, ordered ? "<ol>\n" : "<ul>\n");
        blk = want;
      }
      if (item_open) rl_buf_puts(b, "</li>\n");
      rl_buf_puts(b, "<li>");
      item_open = 1;
      rl_buf_put(&inl, t + m, tn - m);
      continue;
    }
    if (blk == MD_UL || blk == MD_OL || blk == MD_PARA) {
      rl_buf_putc(&inl, '\n'); /* continuation of the paragraph or list item */
    } else {
      CLOSE();
      rl_buf_puts(b, "<p>");
      blk = MD_PARA;
    }
    rl_buf_put(&inl, t, tn);
  }
  if (in_code) rl_buf_puts(b, "</code></pre>\n");
  CLOSE();
  rl_buf_free(&inl);
#undef CLOSE
#undef FLUSH
}

/* ---- the page -------------------------------------------------------------- */

static const char *const sev_class[] = {"none", "note", "warning", "error"};

static const char *const css[] = {
    ":root{--err:#cf222e;--warn:#bf8700;--note:#0969da;--ink:#1f2328;--mute:#59636e;--line:#d1d9e0;",
    "--bg:#f6f8fa;--card:#fff;--code:#0d1117;--codeink:#e6edf3}",
    "*{box-sizing:border-box}",
    "body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.55 system-ui,-apple-system,'Segoe UI',",
    "Roboto,'Helvetica Neue',Arial,sans-serif}",
    "a{color:var(--note)}",
    ".wrap{max-width:1080px;margin:0 auto;padding:0 24px 48px}",
    "header.top{background:#24292f;color:#fff;padding:22px 0 20px;margin-bottom:24px}",
    "header.top .wrap{padding-bottom:0;display:flex;align-items:baseline;gap:16px;flex-wrap:wrap}",
    "header.top h1{font-size:22px;margin:0;font-weight:650;letter-spacing:-.01em}",
    "header.top .meta{color:#c9d1d9;font-size:13px}",
    "h2{font-size:18px;margin:32px 0 12px}",
    ".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px}",
    ".card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px}",
    ".card .num{font-size:28px;font-weight:700;line-height:1.1}",
    ".card .lbl{color:var(--mute);font-size:13px}",
    ".card.error .num{color:var(--err)}.card.warning .num{color:var(--warn)}.card.note .num{color:var(--note)}",
    ".verdict{margin:16px 0 0;padding:12px 16px;border-radius:10px;font-weight:600}",
    ".verdict.fail{background:#ffebe9;color:#82071e;border:1px solid #ffcecb}",
    ".verdict.pass{background:#dafbe1;color:#116329;border:1px solid #aceebb}",
    ".panel{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 18px}",
    ".chart svg{display:block;width:100%;height:auto}",
    ".chart text{font:13px system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;fill:var(--ink)}",
    ".chart text.ct{fill:var(--mute)}",
    ".legend{display:flex;gap:16px;font-size:13px;color:var(--mute);margin-top:8px}",
    ".legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px}",
    ".fix{border-left:4px solid #1a7f37}",
    ".fix p{margin:6px 0}",
    ".file{margin-top:22px}",
    ".file h3{font:600 15px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;margin:0 0 8px;",
    "display:flex;gap:10px;align-items:center;flex-wrap:wrap}",
    ".ctx{font:12px system-ui,sans-serif;color:var(--mute);background:#eaeef2;border-radius:20px;padding:2px 9px}",
    ".cnt{font:12px system-ui,sans-serif;color:var(--mute);margin-left:auto}",
    ".ctx.client{background:#fff1e5;color:#953800}.ctx.server{background:#ddf4ff;color:#0550ae}",
    ".finding{background:var(--card);border:1px solid var(--line);border-left:4px solid var(--mute);",
    "border-radius:8px;margin:10px 0;overflow:hidden}",
    ".finding.error{border-left-color:var(--err)}.finding.warning{border-left-color:var(--warn)}",
    ".finding.note{border-left-color:var(--note)}",
    ".finding .head{padding:10px 14px;display:flex;gap:12px;align-items:baseline}",
    ".badge{font-size:11px;font-weight:700;text-transform:uppercase;letter-spacing:.04em;color:#fff;",
    "border-radius:4px;padding:2px 7px;background:var(--mute)}",
    ".badge.error{background:var(--err)}.badge.warning{background:var(--warn)}.badge.note{background:var(--note)}",
    ".loc{font:13px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:var(--mute)}",
    ".msg{flex:1 1 auto;min-width:0;font-weight:500}",
    ".loc{flex:none;min-width:3.5em}.badge,.rule{flex:none}.badge{min-width:6.2em;text-align:center}",
    ".rule{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;text-decoration:none;",
    "background:#eaeef2;color:var(--ink);border-radius:4px;padding:2px 7px}",
    "pre.code{margin:0;background:var(--code);color:var(--codeink);padding:10px 14px;overflow-x:auto;",
    "font:13px/1.6 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;tab-size:4}",
    "pre.code .ln{display:inline-block;min-width:3.2em;color:#6e7681;user-select:none}",
    "pre.code mark{background:rgba(248,81,73,.28);color:inherit;border-bottom:2px solid #f85149;border-radius:2px}",
    ".finding.warning pre.code mark{background:rgba(210,153,34,.3);border-bottom-color:#d29922}",
    ".finding.note pre.code mark{background:rgba(56,139,253,.3);border-bottom-color:#388bfd}",
    "pre.code .k{color:#ff7b72}pre.code .s{color:#a5d6ff}pre.code .c{color:#8b949e;font-style:italic}",
    "pre.code .n{color:#79c0ff}pre.code .m{color:#ffa657;font-style:italic}",
    "details.suppressed{margin-top:10px;color:var(--mute)}",
    "details.suppressed summary{cursor:pointer;font-size:13px}",
    ".finding.quiet{opacity:.7}",
    ".why{font-size:13px;color:var(--mute);padding:0 14px 10px}",
    "section.doc{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:4px 20px 12px;",
    "margin:14px 0}",
    "section.doc h3{font-size:16px;margin:14px 0 4px}",
    "section.doc h3 code{font-size:15px}",
    "section.doc .sub{color:var(--mute);font-size:13px;margin:0 0 6px}",
    "section.doc h4{font-size:14px;margin:18px 0 6px}",
    "section.doc pre.doc{background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:10px 12px;",
    "overflow-x:auto;font:13px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}",
    "code{font:.9em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#eff1f3;border-radius:4px;",
    "padding:.1em .35em}",
    "pre code{background:none;padding:0}",
    "table{border-collapse:collapse;margin:8px 0;font-size:14px}td,th{border:1px solid var(--line);",
    "padding:4px 8px;text-align:left;vertical-align:top}",
    "footer{color:var(--mute);font-size:13px;margin-top:36px}",
};

static size_t rule_total(const html_sink *h, size_t k) {
  return h->counts[k * 4 + 1] + h->counts[k * 4 + 2] + h->counts[k * 4 + 3];
}

/* Horizontal stacked bars, one per rule that fired, errors first. */
static void chart(rl_buf *b, const html_sink *h) {
  size_t *order = rl_xcalloc(h->nrules ? h->nrules : 1, sizeof *order);
  size_t rows = 0, max = 0;
  for (size_t k = 0; k < h->nrules; k++) {
    size_t t = rule_total(h, k);
    if (!t) continue;
    order[rows++] = k;
    if (t > max) max = t;
  }
  /* Most findings first; ties by rule id (already sorted). Insertion sort: few rows. */
  for (size_t i = 1; i < rows; i++) {
    size_t v = order[i], j = i;
    while (j > 0 && rule_total(h, order[j - 1]) < rule_total(h, v)) {
      order[j] = order[j - 1];
      j--;
    }
    order[j] = v;
  }
  const unsigned label_w = 250, bar_w = 560, row_h = 30, width = label_w + bar_w + 50;
  unsigned height = (unsigned)rows * row_h + 6;
  rl_buf_printf(b,
                "<svg viewBox=\"0 0 %u %u\" role=\"img\" aria-label=\"Findings by rule and severity\" "
                "xmlns=\"http://www.w3.org/2000/svg\">\n",
                width, height);
  static const char *const fill[] = {"", "#0969da", "#bf8700", "#cf222e"};
  for (size_t r = 0; r < rows; r++) {
    size_t k = order[r];
    unsigned y = (unsigned)r * row_h + 4;
    rl_buf_printf(b, "<a href=\"#rule-");
    esc(b, h->rules[k]->id);
    rl_buf_printf(b, "\"><text x=\"%u\" y=\"%u\" text-anchor=\"end\">", label_w - 12, y + 16);
    esc(b, h->rules[k]->id);
    rl_buf_puts(b, "</text></a>\n");
    double x = label_w;
    for (int sev = RL_SEV_ERROR; sev >= RL_SEV_NOTE; sev--) {
      size_t c = h->counts[k * 4 + (size_t)sev];
      if (!c) continue;
      double w = (double)bar_w * (double)c / (double)max;
      rl_buf_printf(b,
                    "<rect x=\"%.1f\" y=\"%u\" width=\"%.1f\" height=\"22\" rx=\"3\" fill=\"%s\">"
                    "<title>%zu %s%s</title></rect>\n",
                    x, y, w > 1 ? w - 1 : w, fill[sev], c, sev_class[sev], c == 1 ? "" : "s");
      x += w;
    }
    rl_buf_printf(b, "<text class=\"ct\" x=\"%.1f\" y=\"%u\">%zu</text>\n", x + 8, y + 16, rule_total(h, k));
  }
  rl_buf_puts(b, "</svg>\n");
  free(order);
}

static void card(rl_buf *b, const char *cls, size_t n, const char *label) {
  rl_buf_printf(b, "<div class=\"card %s\"><div class=\"num\">%zu</div><div class=\"lbl\">%s</div></div>\n", cls, n,
                label);
}

static void finding_html(rl_buf *b, const hfile *f, const hfinding *d, int dotenv) {
  const char *sev = sev_class[d->severity <= RL_SEV_ERROR ? d->severity : 0];
  rl_buf_printf(b, "<article class=\"finding %s%s\">\n<div class=\"head\"><span class=\"badge %s\">%s</span>", sev,
                d->suppressed ? " quiet" : "", sev, sev);
  rl_buf_printf(b, "<span class=\"loc\" title=\"");
  esc(b, f->path);
  rl_buf_printf(b, ":%u:%u\">%u:%u</span><span class=\"msg\">", (unsigned)d->start_line, (unsigned)d->start_col,
                (unsigned)d->start_line, (unsigned)d->start_col);
  esc(b, d->message);
  rl_buf_puts(b, "</span>");
  if (d->rule) {
    rl_buf_puts(b, "<a class=\"rule\" href=\"#");
    anchor(b, "rule-", d->rule->id);
    rl_buf_puts(b, "\">");
    esc(b, d->rule->id);
    rl_buf_puts(b, "</a>");
  }
  rl_buf_puts(b, "</div>\n");
  snippet(b, d, dotenv);
  if (d->bundle_path) {
    rl_buf_puts(b, "<div class=\"why\">Built into ");
    esc(b, d->bundle_path);
    rl_buf_printf(b, ":%u:%u</div>\n", (unsigned)d->bundle_line, (unsigned)d->bundle_col);
  }
  if (d->suppressed) {
    rl_buf_printf(b, "<div class=\"why\">Suppressed (%s)%s",
                  d->suppressed == RL_SUPPRESS_EXTERNAL ? "external" : "in source", d->justification ? ": " : "");
    esc(b, d->justification);
    rl_buf_puts(b, "</div>\n");
  }
  rl_buf_puts(b, "</article>\n");
}

static int ends_with(const char *s, const char *suffix) {
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && strcmp(s + a - b, suffix) == 0;
}

static int is_dotenv_path(const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  return strncmp(base, ".env", 4) == 0 && !ends_with(base, ".js") && !ends_with(base, ".ts");
}

static int html_end(rl_sink *s, const rl_summary *sum) {
  html_sink *h = (html_sink *)s;
  rl_buf *b = &h->page;
  size_t problems = sum->errors + sum->warnings + sum->notes;
  rl_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                 "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
                 "'unsafe-inline'; img-src data:\">\n"
                 "<title>roomlint report</title>\n<style>");
  for (size_t i = 0; i < RL_ARRAY_LEN(css); i++) rl_buf_puts(b, css[i]);
  rl_buf_puts(b, "</style>\n</head>\n<body>\n<header class=\"top\"><div class=\"wrap\"><h1>roomlint report</h1>");
  rl_buf_printf(b, "<span class=\"meta\">roomlint %s &middot; %zu file%s scanned, %zu skipped</span></div></header>\n",
                RL_VERSION, sum->files_scanned, sum->files_scanned == 1 ? "" : "s", sum->files_skipped);
  rl_buf_puts(b, "<div class=\"wrap\">\n<section class=\"summary\">\n<div class=\"cards\">\n");
  rl_buf_printf(b,
                "<div class=\"card\"><div class=\"num\" id=\"problem-count\">%zu</div>"
                "<div class=\"lbl\">%s</div></div>\n",
                problems, problems == 1 ? "problem" : "problems");
  card(b, "error", sum->errors, sum->errors == 1 ? "error" : "errors");
  card(b, "warning", sum->warnings, sum->warnings == 1 ? "warning" : "warnings");
  card(b, "note", sum->notes, sum->notes == 1 ? "note" : "notes");
  card(b, "quiet", sum->suppressed, "suppressed");
  rl_buf_puts(b, "</div>\n");
  if (sum->failed)
    rl_buf_puts(b,
                "<p class=\"verdict fail\">This run fails: there are findings at or above the --fail-on level.</p>\n");
  else if (problems)
    rl_buf_puts(b, "<p class=\"verdict pass\">This run passes: no finding reaches the --fail-on level.</p>\n");
  else
    rl_buf_puts(b, "<p class=\"verdict pass\">No problems found.</p>\n");

  if (problems) {
    rl_buf_puts(b, "<h2>Findings by rule</h2>\n<div class=\"panel chart\">\n");
    chart(b, h);
    rl_buf_puts(b, "<div class=\"legend\"><span><i style=\"background:#cf222e\"></i>error</span>"
                   "<span><i style=\"background:#bf8700\"></i>warning</span>"
                   "<span><i style=\"background:#0969da\"></i>note</span></div>\n</div>\n");
    rl_buf_puts(b, "<h2>The fix</h2>\n<div class=\"panel fix\">\n"
                   "<p>Almost every finding here has one cure: the app secret and management tokens live on a "
                   "backend, which checks who the user is and mints a <strong>short-lived</strong> token for "
                   "one room and an allow-listed role. The client only ever sees that token, fetched over "
                   "<code>https://</code>, and joins with "
                   "<code>hmsActions.join({ userName, authToken: token })</code>.</p>\n"
                   "<p>roomlint ships such a backend, <strong>tokend</strong>: see <a href=\"" TOKEND_LINK
                   "\">tokend: the fix</a> in the README. Rotate any secret reported here: it has leaked.</p>\n"
                   "</div>\n");
  }
  rl_buf_puts(b, "</section>\n");

  if (h->nfiles) rl_buf_puts(b, "<h2>Findings by file</h2>\n");
  for (size_t i = 0; i < h->nfiles; i++) {
    const hfile *f = &h->files[i];
    int dotenv = is_dotenv_path(f->path);
    rl_buf_puts(b, "<section class=\"file\">\n<h3>");
    esc(b, f->path);
    rl_buf_printf(b, " <span class=\"ctx %s\" title=\"", f->context);
    esc(b, f->reason);
    rl_buf_printf(b, "\">%s", f->context);
    if (f->reason && f->reason[0]) {
      rl_buf_puts(b, ": ");
      esc(b, f->reason);
    }
    rl_buf_printf(b, "</span><span class=\"cnt\">%zu finding%s</span></h3>\n", f->visible, f->visible == 1 ? "" : "s");
    for (size_t k = 0; k < f->n; k++)
      if (!f->f[k].suppressed) finding_html(b, f, &f->f[k], dotenv);
    if (f->visible < f->n) {
      size_t q = f->n - f->visible;
      rl_buf_printf(b, "<details class=\"suppressed\"><summary>%zu suppressed finding%s</summary>\n", q,
                    q == 1 ? "" : "s");
      for (size_t k = 0; k < f->n; k++)
        if (f->f[k].suppressed) finding_html(b, f, &f->f[k], dotenv);
      rl_buf_puts(b, "</details>\n");
    }
    rl_buf_puts(b, "</section>\n");
  }

  /* The documentation of every rule that has a finding (suppressed ones too). */
  int any_doc = 0;
  for (size_t k = 0; k < h->nrules; k++) {
    const rl_rule *r = h->rules[k];
    int fired = 0;
    for (size_t i = 0; i < h->nfiles && !fired; i++)
      for (size_t j = 0; j < h->files[i].n && !fired; j++) fired = h->files[i].f[j].rule == r;
    if (!fired) continue;
    if (!any_doc) rl_buf_puts(b, "<h2>The rules</h2>\n");
    any_doc = 1;
    rl_buf_puts(b, "<section class=\"doc\" id=\"");
    anchor(b, "rule-", r->id);
    rl_buf_puts(b, "\">\n<h3><code>");
    esc(b, r->id);
    rl_buf_puts(b, "</code> &middot; ");
    esc(b, r->title);
    rl_buf_printf(b, "</h3>\n<p class=\"sub\">default severity %s", rl_severity_name(r->severity));
    if (r->cwe) rl_buf_printf(b, " &middot; CWE-%d", r->cwe);
    rl_buf_puts(b, "</p>\n");
    if (r->doc && r->doc[0]) markdown(b, r->id, r->doc);
    rl_buf_puts(b, "</section>\n");
  }
  rl_buf_printf(b,
                "<footer>Generated by roomlint %s. Secrets are masked: the first four characters and the "
                "length.</footer>\n</div>\n</body>\n</html>\n",
                RL_VERSION);
  size_t wrote = fwrite(b->ptr, 1, b->len, h->out);
  if (wrote != b->len || fflush(h->out) != 0 || ferror(h->out)) {
    rl_error_set("cannot write the report");
    return RL_EIO;
  }
  return 0;
}

static void html_sink_free(rl_sink *s) {
  html_sink *h = (html_sink *)s;
  if (!h) return;
  for (size_t i = 0; i < h->nfiles; i++) {
    hfile *f = &h->files[i];
    for (size_t k = 0; k < f->n; k++) {
      free(f->f[k].message);
      free(f->f[k].snippet);
      free(f->f[k].justification);
      free(f->f[k].bundle_path);
    }
    free(f->f);
    free(f->path);
    free(f->context);
    free(f->reason);
  }
  free(h->files);
  free(h->counts);
  rl_buf_free(&h->page);
  free(h);
}

rl_sink *rl_sink_html_new(FILE *out) {
  html_sink *h = rl_xcalloc(1, sizeof *h);
  h->base.begin = html_begin;
  h->base.file = html_file;
  h->base.end = html_end;
  h->base.free = html_sink_free;
  h->out = out;
  return &h->base;
}
