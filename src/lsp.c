#include "lsp.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "finding.h"
#include "json.h"
#include "util.h"
#include "version.h"
#include "walk.h"

/* Where the rule docs are: the installed copy first, then the source tree's
 * (a build that was never installed). CMake defines both. */
#ifndef RL_DOC_INSTALL_DIR
#define RL_DOC_INSTALL_DIR "/usr/share/doc/roomlint"
#endif
#ifndef RL_DOC_SOURCE_DIR
#define RL_DOC_SOURCE_DIR ""
#endif

/* Framing limits: a header line, the headers of one message, and a body.
 * A document is at most --max-file-size (5 MiB by default); JSON escaping
 * can grow it a few times, so 64 MiB leaves room without trusting a
 * Content-Length to decide what is allocated. */
#define LSP_MAX_HEADER_LINE 8192
#define LSP_MAX_HEADERS 64
#define LSP_MAX_BODY (64u * 1024 * 1024)

/* JSON-RPC 2.0 and LSP error codes. */
enum {
  ERR_PARSE = -32700,
  ERR_INVALID_REQUEST = -32600,
  ERR_METHOD_NOT_FOUND = -32601,
  ERR_INVALID_PARAMS = -32602,
  ERR_NOT_INITIALIZED = -32002
};

typedef struct doc {
  char *uri;
  char *fs_path; /* absolute; NULL for a document that is not a file (untitled:) */
  char *display; /* relative to the working directory when under it */
  char *text;
  size_t len;
  int has_version;
  int64_t version; /* as the client sent it, when it was an integer */
} doc;

typedef struct server {
  rl_engine *e;
  const rl_lsp_options *o;
  int in, out;
  char inbuf[65536];
  size_t inpos, inlen;
  int eof;
  int broken; /* output failed: nothing more can be said */
  int initialized, shutdown, exited;
  int utf8;    /* positions count UTF-8 bytes (the client offered it), else UTF-16 units */
  rl_arena *a; /* the message being handled and the replies to it */
  char *cwd;
  doc *docs;
  size_t ndocs, cap;
} server;

/* ---- input: bytes, header lines, bodies ------------------------------------------ */

static int fill(server *s) {
  if (s->eof) return 0;
  for (;;) {
    ssize_t got = read(s->in, s->inbuf, sizeof s->inbuf);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      s->eof = 1;
      return 0;
    }
    s->inpos = 0;
    s->inlen = (size_t)got;
    return 1;
  }
}

static int get_byte(server *s) {
  if (s->inpos == s->inlen && !fill(s)) return -1;
  return (unsigned char)s->inbuf[s->inpos++];
}

/* One header line without its CR LF (a bare LF is taken too) into line.
 * Returns its length, -1 at the end of input, or -2 for a line over the
 * limit (read past to its end). */
static long read_line(server *s, char *line, size_t cap) {
  size_t n = 0;
  int over = 0;
  for (;;) {
    int c = get_byte(s);
    if (c < 0) return -1;
    if (c == '\n') break;
    if (n + 1 < cap)
      line[n++] = (char)c;
    else
      over = 1;
  }
  if (n && line[n - 1] == '\r') n--;
  line[n] = '\0';
  return over ? -2 : (long)n;
}

/* ---- output ------------------------------------------------------------------------ */

static void write_all(server *s, const char *p, size_t n) {
  while (n && !s->broken) {
    ssize_t w = write(s->out, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      s->broken = 1;
      return;
    }
    p += w;
    n -= (size_t)w;
  }
}

/* Sends msg framed with its Content-Length. */
static void send_msg(server *s, rl_json *msg) {
  rl_json_put(s->a, msg, "jsonrpc", rl_json_new_string(s->a, "2.0"));
  rl_buf body = {0};
  rl_json_write(&body, msg, 0);
  char head[64];
  int hn = snprintf(head, sizeof head, "Content-Length: %zu\r\n\r\n", body.len);
  write_all(s, head, (size_t)hn);
  write_all(s, body.ptr, body.len);
  rl_buf_free(&body);
}

static void send_result(server *s, const rl_json *id, rl_json *result) {
  rl_json *m = rl_json_new_object(s->a);
  rl_json_put(s->a, m, "id", id ? id : rl_json_new_null(s->a));
  rl_json_put(s->a, m, "result", result ? result : rl_json_new_null(s->a));
  send_msg(s, m);
}

static void send_error(server *s, const rl_json *id, int code, const char *fmt, ...) RL_PRINTF(4, 5);
static void send_error(server *s, const rl_json *id, int code, const char *fmt, ...) {
  rl_buf b = {0};
  va_list ap;
  va_start(ap, fmt);
  rl_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  rl_json *err = rl_json_new_object(s->a);
  rl_json_put(s->a, err, "code", rl_json_new_int(s->a, code));
  rl_json_put(s->a, err, "message", rl_json_new_string(s->a, b.ptr ? b.ptr : ""));
  rl_buf_free(&b);
  rl_json *m = rl_json_new_object(s->a);
  rl_json_put(s->a, m, "id", id ? id : rl_json_new_null(s->a));
  rl_json_put(s->a, m, "error", err);
  send_msg(s, m);
}

static void send_notification(server *s, const char *method, const rl_json *params) {
  rl_json *m = rl_json_new_object(s->a);
  rl_json_put(s->a, m, "method", rl_json_new_string(s->a, method));
  rl_json_put(s->a, m, "params", params);
  send_msg(s, m);
}

/* ---- URIs ----------------------------------------------------------------------- */

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* The absolute path of a file: URI (file:///p or file://localhost/p,
 * percent-decoded), or NULL if uri is not one. Caller frees. */
static char *uri_to_path(const char *uri) {
  if (strncmp(uri, "file://", 7) != 0) return NULL;
  const char *p = uri + 7;
  if (strncmp(p, "localhost/", 10) == 0) p += 9;
  if (*p != '/') return NULL;
  rl_buf b = {0};
  for (; *p && *p != '?' && *p != '#'; p++) {
    int hi, lo;
    if (*p == '%' && (hi = hexval(p[1])) >= 0 && (lo = hexval(p[2])) >= 0) {
      if (hi == 0 && lo == 0) {
        rl_buf_free(&b);
        return NULL; /* a NUL byte names no file */
      }
      rl_buf_putc(&b, (char)(hi * 16 + lo));
      p += 2;
    } else {
      rl_buf_putc(&b, *p);
    }
  }
  return rl_buf_detach(&b);
}

/* file:// URI of an absolute path; caller frees. */
static char *path_to_uri(const char *path) {
  static const char hex[] = "0123456789ABCDEF";
  rl_buf b = {0};
  rl_buf_puts(&b, "file://");
  for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
    int plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                strchr("/-._~", *p) != NULL;
    if (plain) {
      rl_buf_putc(&b, (char)*p);
    } else {
      rl_buf_putc(&b, '%');
      rl_buf_putc(&b, hex[*p >> 4]);
      rl_buf_putc(&b, hex[*p & 15]);
    }
  }
  return rl_buf_detach(&b);
}

/* ---- documents ------------------------------------------------------------------ */

static doc *doc_find(server *s, const char *uri) {
  for (size_t i = 0; i < s->ndocs; i++)
    if (strcmp(s->docs[i].uri, uri) == 0) return &s->docs[i];
  return NULL;
}

static void doc_clear(doc *d) {
  free(d->uri);
  free(d->fs_path);
  free(d->display);
  free(d->text);
  memset(d, 0, sizeof *d);
}

/* The text may hold NUL bytes (JSON's \u0000): copied by length. */
static void doc_set_text(doc *d, const char *text, size_t len) {
  free(d->text);
  d->text = rl_xmalloc(len + 1);
  memcpy(d->text, text, len);
  d->text[len] = '\0';
  d->len = len;
}

static void doc_set_json_text(doc *d, const rl_json *text) {
  size_t n = 0;
  const char *p = rl_json_str(text, &n);
  doc_set_text(d, p ? p : "", n);
}

/* The version the client gave with the text (none when it is no integer). */
static void doc_set_version(doc *d, const rl_json *version) { d->has_version = rl_json_int(version, &d->version); }

/* An editor buffer that is no file is scanned under a name its language
 * gives: the extension decides the grammar. */
static const char *name_for_language(const char *id) {
  static const struct {
    const char *id, *name;
  } map[] = {{"javascript", "untitled.js"},
             {"javascriptreact", "untitled.jsx"},
             {"typescript", "untitled.ts"},
             {"typescriptreact", "untitled.tsx"},
             {"dotenv", ".env"},
             {"properties", ".env"}};
  for (size_t i = 0; id && i < RL_ARRAY_LEN(map); i++)
    if (strcmp(map[i].id, id) == 0) return map[i].name;
  return "untitled";
}

static doc *doc_open(server *s, const char *uri, const char *language) {
  doc *d = doc_find(s, uri);
  if (d) return d;
  s->docs = rl_xreallocarray(s->docs, s->ndocs + 1, sizeof *s->docs);
  d = &s->docs[s->ndocs++];
  memset(d, 0, sizeof *d);
  d->uri = rl_xstrdup(uri);
  d->fs_path = uri_to_path(uri);
  if (!d->fs_path) {
    d->display = rl_xstrdup(name_for_language(language));
  } else {
    size_t n = strlen(s->cwd);
    int under = strncmp(d->fs_path, s->cwd, n) == 0 && d->fs_path[n] == '/' && strcmp(s->cwd, "/") != 0;
    d->display = rl_xstrdup(under ? d->fs_path + n + 1 : d->fs_path);
  }
  return d;
}

static void doc_close(server *s, doc *d) {
  doc_clear(d);
  size_t i = (size_t)(d - s->docs);
  memmove(d, d + 1, (s->ndocs - i - 1) * sizeof *d);
  s->ndocs--;
}

/* ---- diagnostics ------------------------------------------------------------------ */

/* Line starts of text, for byte offset -> LSP position. */
typedef struct line_index {
  size_t *start;
  size_t n;
} line_index;

static line_index index_lines(const char *t, size_t len) {
  line_index li = {NULL, 1};
  for (size_t i = 0; i < len; i++)
    if (t[i] == '\n') li.n++;
  li.start = rl_xcalloc(li.n, sizeof *li.start);
  size_t k = 1;
  for (size_t i = 0; i < len; i++)
    if (t[i] == '\n') li.start[k++] = i + 1;
  return li;
}

/* {line, character}: 0-based, the character in UTF-16 code units (the
 * protocol's default) or UTF-8 bytes when that was agreed. */
static rl_json *position(const server *s, const line_index *li, const char *t, size_t len, size_t off) {
  if (off > len) off = len;
  size_t lo = 0, hi = li->n;
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (li->start[mid] <= off)
      lo = mid;
    else
      hi = mid;
  }
  size_t from = li->start[lo], ch = 0;
  if (s->utf8) {
    ch = off - from;
  } else {
    for (size_t i = from; i < off; i++) {
      unsigned char c = (unsigned char)t[i];
      if ((c & 0xC0) == 0x80) continue;     /* continuation byte */
      ch += c >= 0xF0 && c <= 0xF4 ? 2 : 1; /* 4-byte sequences are surrogate pairs */
    }
  }
  rl_json *p = rl_json_new_object(s->a);
  rl_json_put(s->a, p, "line", rl_json_new_int(s->a, (int64_t)lo));
  rl_json_put(s->a, p, "character", rl_json_new_int(s->a, (int64_t)ch));
  return p;
}

/* The "## How to fix" section of a rule's doc, trimmed; NULL if none. */
static rl_json *fix_text(rl_arena *a, const char *md) {
  const char *h = md ? strstr(md, "\n## How to fix") : NULL;
  if (!h) return NULL;
  h = strchr(h + 1, '\n');
  if (!h) return NULL;
  const char *end = strstr(h, "\n## ");
  size_t n = end ? (size_t)(end - h) : strlen(h);
  while (n && (*h == '\n' || *h == ' ')) {
    h++;
    n--;
  }
  while (n && (h[n - 1] == '\n' || h[n - 1] == ' ')) n--;
  return n ? rl_json_new_stringn(a, h, n) : NULL;
}

static int is_file(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* A link to the rule's documentation: the file that defines a pack rule or
 * custom pattern, else rules/<id>.md where it is installed (or in the source
 * tree). NULL when none is on this machine. */
static char *doc_href(const server *s, const rl_rule *r) {
  rl_buf b = {0};
  char *href = NULL;
  if (r->source_path) {
    if (r->source_path[0] == '/')
      rl_buf_puts(&b, r->source_path);
    else
      rl_buf_printf(&b, "%s/%s", s->cwd, r->source_path);
    char *real = realpath(b.ptr, NULL);
    if (real) href = path_to_uri(real);
    free(real);
  } else {
    const char *dirs[] = {RL_DOC_INSTALL_DIR, RL_DOC_SOURCE_DIR};
    for (size_t i = 0; i < RL_ARRAY_LEN(dirs) && !href; i++) {
      if (!dirs[i][0]) continue;
      b.len = 0;
      rl_buf_printf(&b, "%s/%s.md", dirs[i], r->id);
      if (is_file(b.ptr)) href = path_to_uri(b.ptr);
    }
  }
  rl_buf_free(&b);
  return href;
}

static const int lsp_severity[] = {[RL_SEV_ERROR] = 1, [RL_SEV_WARNING] = 2, [RL_SEV_NOTE] = 3, [RL_SEV_NONE] = 4};

static rl_json *diagnostic(const server *s, const doc *d, const line_index *li, const rl_finding *f) {
  rl_json *g = rl_json_new_object(s->a);
  rl_json *range = rl_json_new_object(s->a);
  rl_json_put(s->a, range, "start", position(s, li, d->text, d->len, f->start_byte));
  rl_json_put(s->a, range, "end", position(s, li, d->text, d->len, f->end_byte));
  rl_json_put(s->a, g, "range", range);
  rl_json_put(s->a, g, "severity", rl_json_new_int(s->a, lsp_severity[f->severity]));
  rl_json_put(s->a, g, "code", rl_json_new_string(s->a, f->rule->id));
  char *href = doc_href(s, f->rule);
  if (href) {
    rl_json *cd = rl_json_new_object(s->a);
    rl_json_put(s->a, cd, "href", rl_json_new_string(s->a, href));
    rl_json_put(s->a, g, "codeDescription", cd);
    free(href);
  }
  rl_json_put(s->a, g, "source", rl_json_new_string(s->a, "roomlint"));
  rl_json_put(s->a, g, "message", rl_json_new_string(s->a, f->message));
  rl_json *data = rl_json_new_object(s->a);
  rl_json *fix = fix_text(s->a, f->rule->doc);
  if (fix) rl_json_put(s->a, data, "fix", fix);
  rl_json_put(s->a, data, "title", rl_json_new_string(s->a, f->rule->title));
  rl_json_put(s->a, data, "fingerprint", rl_json_new_string(s->a, f->fingerprint));
  rl_json_put(s->a, g, "data", data);
  return g;
}

/* 1 if the walk would leave d out; a failure to judge counts as not. */
static int doc_ignored(const server *s, const doc *d) {
  if (!d->fs_path || s->o->no_ignore) return 0;
  rl_walk_options wo = {0};
  wo.extra_ignores = s->o->extra_ignores;
  char *why = NULL;
  int ig = rl_walk_path_ignored(d->fs_path, s->cwd, &wo, &why);
  free(why);
  return ig > 0;
}

static void publish(server *s, const doc *d, int closing) {
  rl_json *list = rl_json_new_array(s->a);
  if (!closing && !doc_ignored(s, d)) {
    /* the files this one imports may have changed since the last scan: the
     * project model reads them afresh (a few small files per document) */
    rl_engine_project_reset(s->e, NULL, 0);
    rl_file_result *r = rl_engine_scan_buffer(s->e, d->display, d->fs_path, d->text ? d->text : "", d->len);
    line_index li = index_lines(d->text ? d->text : "", d->len);
    for (size_t i = 0; i < r->nfindings; i++)
      if (!r->findings[i].suppressed) rl_json_push(s->a, list, diagnostic(s, d, &li, &r->findings[i]));
    free(li.start);
    rl_file_result_free(r);
  }
  rl_json *p = rl_json_new_object(s->a);
  rl_json_put(s->a, p, "uri", rl_json_new_string(s->a, d->uri));
  if (d->has_version && !closing) rl_json_put(s->a, p, "version", rl_json_new_int(s->a, d->version));
  rl_json_put(s->a, p, "diagnostics", list);
  send_notification(s, "textDocument/publishDiagnostics", p);
}

/* ---- code actions: a suppression comment above the line ---------------------------- */

static rl_json *code_actions(server *s, const rl_json *params) {
  const rl_json *td = rl_json_get(params, "textDocument");
  const char *uri = rl_json_str(rl_json_get(td, "uri"), NULL);
  const rl_json *diags = rl_json_get(rl_json_get(params, "context"), "diagnostics");
  doc *d = uri ? doc_find(s, uri) : NULL;
  rl_json *out = rl_json_new_array(s->a);
  if (!d || !rl_json_is(diags, RL_JSON_ARRAY)) return out;
  line_index li = index_lines(d->text ? d->text : "", d->len);
  int hash = rl_lang_for_path(d->display) == RL_LANG_DOTENV;
  size_t i;
  const rl_json *g;
  for (i = 0; i < rl_json_size(diags); i++) {
    g = rl_json_at(diags, i);
    const char *src = rl_json_str(rl_json_get(g, "source"), NULL);
    const char *code = rl_json_str(rl_json_get(g, "code"), NULL);
    const rl_json *line = rl_json_get(rl_json_get(rl_json_get(g, "range"), "start"), "line");
    int64_t ln;
    if (!src || strcmp(src, "roomlint") != 0 || !code || !rl_json_int(line, &ln)) continue;
    if (ln < 0 || (size_t)ln >= li.n) continue;
    size_t at = li.start[ln], k = at;
    while (k < d->len && (d->text[k] == ' ' || d->text[k] == '\t')) k++;
    rl_buf b = {0};
    rl_buf_put(&b, d->text + at, k - at);
    rl_buf_printf(&b, "%s roomlint-disable-next-line %s -- reason\n", hash ? "#" : "//", code);
    rl_arena *a = s->a;
    rl_json *pos = rl_json_new_object(a), *range = rl_json_new_object(a), *edit = rl_json_new_object(a);
    rl_json_put(a, pos, "line", rl_json_new_int(a, ln));
    rl_json_put(a, pos, "character", rl_json_new_int(a, 0));
    rl_json_put(a, range, "start", pos);
    rl_json_put(a, range, "end", pos);
    rl_json_put(a, edit, "range", range);
    rl_json_put(a, edit, "newText", rl_json_new_stringn(a, b.ptr, b.len));
    rl_buf_free(&b);
    rl_json *edits = rl_json_new_array(a), *changes = rl_json_new_object(a), *wedit = rl_json_new_object(a);
    rl_json_push(a, edits, edit);
    rl_json_put(a, changes, d->uri, edits);
    rl_json_put(a, wedit, "changes", changes);
    rl_json *diags1 = rl_json_new_array(a), *action = rl_json_new_object(a);
    rl_json_push(a, diags1, g);
    rl_buf t = {0};
    rl_buf_printf(&t, "Suppress %s on this line (roomlint-disable-next-line)", code);
    rl_json_put(a, action, "title", rl_json_new_string(a, t.ptr));
    rl_json_put(a, action, "kind", rl_json_new_string(a, "quickfix"));
    rl_json_put(a, action, "diagnostics", diags1);
    rl_json_put(a, action, "edit", wedit);
    rl_buf_free(&t);
    rl_json_push(a, out, action);
  }
  free(li.start);
  return out;
}

/* ---- dispatch ------------------------------------------------------------------------ */

static void on_initialize(server *s, const rl_json *id, const rl_json *params) {
  /* UTF-8 positions when the client offers them (3.17), else UTF-16. */
  const rl_json *encs = rl_json_get(rl_json_get(rl_json_get(params, "capabilities"), "general"), "positionEncodings");
  size_t i;
  const rl_json *v;
  s->utf8 = 0;
  for (i = 0; i < rl_json_size(encs); i++) {
    v = rl_json_at(encs, i);
    if (rl_json_is(v, RL_JSON_STRING) && strcmp(rl_json_str(v, NULL), "utf-8") == 0) s->utf8 = 1;
  }
  rl_arena *a = s->a;
  rl_json *sync = rl_json_new_object(a), *save = rl_json_new_object(a);
  rl_json_put(a, sync, "openClose", rl_json_new_bool(a, 1));
  rl_json_put(a, sync, "change", rl_json_new_int(a, 1)); /* full text */
  rl_json_put(a, save, "includeText", rl_json_new_bool(a, 1));
  rl_json_put(a, sync, "save", save);
  rl_json *kinds = rl_json_new_array(a), *actions = rl_json_new_object(a);
  rl_json_push(a, kinds, rl_json_new_string(a, "quickfix"));
  rl_json_put(a, actions, "codeActionKinds", kinds);
  rl_json *caps = rl_json_new_object(a);
  rl_json_put(a, caps, "positionEncoding", rl_json_new_string(a, s->utf8 ? "utf-8" : "utf-16"));
  rl_json_put(a, caps, "textDocumentSync", sync);
  rl_json_put(a, caps, "codeActionProvider", actions);
  rl_json *info = rl_json_new_object(a), *result = rl_json_new_object(a);
  rl_json_put(a, info, "name", rl_json_new_string(a, "roomlint"));
  rl_json_put(a, info, "version", rl_json_new_string(a, RL_VERSION));
  rl_json_put(a, result, "capabilities", caps);
  rl_json_put(a, result, "serverInfo", info);
  s->initialized = 1;
  send_result(s, id, result);
  /* The config was read from the working directory before the editor
   * named its workspace: say so when the two differ. */
  const rl_json *root = rl_json_get(params, "rootUri");
  char *rp = rl_json_is(root, RL_JSON_STRING) ? uri_to_path(rl_json_str(root, NULL)) : NULL;
  char *real = rp ? realpath(rp, NULL) : NULL;
  if (real && strcmp(real, s->cwd) != 0) {
    rl_buf b = {0};
    rl_buf_printf(&b,
                  "roomlint reads the .roomlint.yml of its working directory %s, not of the workspace %s: "
                  "start it there or pass --config",
                  s->cwd, real);
    rl_json *log = rl_json_new_object(s->a);
    rl_json_put(s->a, log, "type", rl_json_new_int(s->a, 2));
    rl_json_put(s->a, log, "message", rl_json_new_string(s->a, b.ptr));
    send_notification(s, "window/logMessage", log);
    rl_buf_free(&b);
  }
  free(real);
  free(rp);
}

/* Text documents: the params' textDocument with a string uri, or NULL. */
static const rl_json *text_document(const rl_json *params, const char **uri) {
  const rl_json *td = rl_json_get(params, "textDocument");
  *uri = rl_json_str(rl_json_get(td, "uri"), NULL);
  return *uri ? td : NULL;
}

static void on_document(server *s, const char *method, const rl_json *params) {
  const char *uri;
  const rl_json *td = text_document(params, &uri);
  if (!td) return; /* a notification gets no error reply */
  if (strcmp(method, "textDocument/didOpen") == 0) {
    const rl_json *text = rl_json_get(td, "text");
    if (!rl_json_is(text, RL_JSON_STRING)) return;
    doc *d = doc_open(s, uri, rl_json_str(rl_json_get(td, "languageId"), NULL));
    doc_set_json_text(d, text);
    doc_set_version(d, rl_json_get(td, "version"));
    publish(s, d, 0);
    return;
  }
  doc *d = doc_find(s, uri);
  if (!d) return;
  if (strcmp(method, "textDocument/didChange") == 0) {
    /* Full sync: the last change holds the whole text. */
    const rl_json *changes = rl_json_get(params, "contentChanges");
    const rl_json *last = rl_json_at(changes, rl_json_size(changes) - 1);
    const rl_json *text = rl_json_get(last, "text");
    if (!rl_json_is(text, RL_JSON_STRING) || rl_json_get(last, "range")) return;
    doc_set_json_text(d, text);
    doc_set_version(d, rl_json_get(td, "version"));
    publish(s, d, 0);
  } else if (strcmp(method, "textDocument/didSave") == 0) {
    const rl_json *text = rl_json_get(params, "text");
    if (rl_json_is(text, RL_JSON_STRING)) doc_set_json_text(d, text);
    publish(s, d, 0);
  } else if (strcmp(method, "textDocument/didClose") == 0) {
    publish(s, d, 1);
    doc_close(s, d);
  }
}

/* Returns 1 when the server is to stop (exit). */
static int dispatch(server *s, const rl_json *msg) {
  if (!rl_json_is(msg, RL_JSON_OBJECT)) {
    send_error(s, NULL, ERR_INVALID_REQUEST, "%s",
               rl_json_is(msg, RL_JSON_ARRAY) ? "batches are not supported" : "a message is a JSON object");
    return 0;
  }
  const rl_json *id = rl_json_get(msg, "id");
  const rl_json *mv = rl_json_get(msg, "method");
  const rl_json *params = rl_json_get(msg, "params");
  if (rl_json_is(params, RL_JSON_NULL)) params = NULL;
  const rl_json *ver = rl_json_get(msg, "jsonrpc");
  int64_t num_id;
  if (id && !rl_json_is(id, RL_JSON_STRING) && !rl_json_int(id, &num_id) && !rl_json_is(id, RL_JSON_NULL)) {
    send_error(s, NULL, ERR_INVALID_REQUEST, "id must be a string or an integer");
    return 0;
  }
  if (!mv) {
    if (rl_json_get(msg, "result") || rl_json_get(msg, "error")) return 0; /* a reply: we ask nothing */
    send_error(s, id, ERR_INVALID_REQUEST, "the message has no method");
    return 0;
  }
  if (!rl_json_is(mv, RL_JSON_STRING) || !rl_json_is(ver, RL_JSON_STRING) ||
      strcmp(rl_json_str(ver, NULL), "2.0") != 0) {
    if (id) send_error(s, id, ERR_INVALID_REQUEST, "expected jsonrpc \"2.0\" and a string method");
    return 0;
  }
  if (params && !rl_json_is(params, RL_JSON_OBJECT) && !rl_json_is(params, RL_JSON_ARRAY)) {
    if (id) send_error(s, id, ERR_INVALID_PARAMS, "params must be an object or an array");
    return 0;
  }
  const char *method = rl_json_str(mv, NULL);
  if (strcmp(method, "exit") == 0) return 1;
  if (!id) { /* a notification */
    if (!s->initialized || s->shutdown) return 0;
    if (strncmp(method, "textDocument/", 13) == 0) on_document(s, method, params);
    return 0; /* initialized, $/cancelRequest, $/setTrace, unknown ones: nothing to do */
  }
  if (s->shutdown) {
    send_error(s, id, ERR_INVALID_REQUEST, "the server is shutting down");
  } else if (strcmp(method, "initialize") == 0) {
    if (s->initialized)
      send_error(s, id, ERR_INVALID_REQUEST, "initialize was already sent");
    else
      on_initialize(s, id, params);
  } else if (!s->initialized) {
    send_error(s, id, ERR_NOT_INITIALIZED, "send initialize first");
  } else if (strcmp(method, "shutdown") == 0) {
    s->shutdown = 1;
    send_result(s, id, NULL);
  } else if (strcmp(method, "textDocument/codeAction") == 0) {
    const char *uri;
    if (!rl_json_is(params, RL_JSON_OBJECT) || !text_document(params, &uri))
      send_error(s, id, ERR_INVALID_PARAMS, "codeAction needs textDocument.uri");
    else
      send_result(s, id, code_actions(s, params));
  } else {
    send_error(s, id, ERR_METHOD_NOT_FOUND, "method '%s' is not supported", method);
  }
  return 0;
}

/* Reads one framed message and handles it. Returns 1 to go on, 0 to stop
 * (exit, end of input, broken output). */
static int serve_one(server *s) {
  char line[LSP_MAX_HEADER_LINE];
  long long length = -1;
  int headers = 0;
  const char *why = NULL; /* what is wrong with the headers; the first problem wins */
  for (;;) {
    long n = read_line(s, line, sizeof line);
    if (n == -1) return 0;
    if (n == 0) {
      if (headers == 0) continue; /* blank lines between messages */
      break;
    }
    if (++headers > LSP_MAX_HEADERS && !why) why = "too many header lines";
    if (n == -2) {
      if (!why) why = "a header line is over 8 KiB";
      continue;
    }
    if (rl_strncasecmp_ascii(line, "Content-Length:", 15) == 0) {
      const char *p = line + 15;
      while (*p == ' ' || *p == '\t') p++;
      char *end;
      errno = 0;
      long long v = (*p >= '0' && *p <= '9') ? strtoll(p, &end, 10) : -1;
      if (v < 0 || errno || *end) {
        if (!why) why = "Content-Length is not a number of bytes";
      } else {
        length = v;
      }
    } else if (!strchr(line, ':') && !why) {
      why = "a header line has no ':'";
    }
  }
  if (!why && length < 0) why = "no Content-Length header";
  if (why) {
    /* No length to trust: the next message is found by its headers. */
    send_error(s, NULL, ERR_PARSE, "bad message header: %s", why);
    return !s->broken;
  }
  rl_buf body = {0};
  int keep = (unsigned long long)length <= LSP_MAX_BODY;
  for (long long left = length; left > 0;) {
    if (s->inpos == s->inlen && !fill(s)) break;
    size_t take = s->inlen - s->inpos;
    if ((long long)take > left) take = (size_t)left;
    if (keep) rl_buf_put(&body, s->inbuf + s->inpos, take);
    s->inpos += take;
    left -= (long long)take;
  }
  if (!keep) {
    rl_buf_free(&body);
    send_error(s, NULL, ERR_INVALID_REQUEST, "a message of %lld bytes is over the limit of %u bytes", length,
               LSP_MAX_BODY);
    return !s->eof && !s->broken;
  }
  if ((long long)body.len < length) { /* input ended inside the body */
    rl_buf_free(&body);
    return 0;
  }
  rl_json_error jerr;
  rl_json *msg;
  /* JSON.parse's reading, as the editor wrote it: the last of repeated keys wins */
  if (rl_json_parse(&msg, s->a, body.ptr ? body.ptr : "", body.len, RL_JSON_DUPS_LAST, &jerr) < 0)
    send_error(s, NULL, ERR_PARSE, "not JSON: %s (line %u, column %u)", jerr.message, jerr.line, jerr.column);
  else
    s->exited = dispatch(s, msg);
  rl_buf_free(&body);
  /* everything of this message and its replies goes at once */
  rl_arena_free(s->a);
  s->a = rl_arena_new();
  return !s->exited && !s->broken;
}

int rl_lsp_serve(rl_engine *e, int in_fd, int out_fd, const rl_lsp_options *opts) {
  static const rl_lsp_options none = {0};
  server s;
  memset(&s, 0, sizeof s);
  s.e = e;
  s.o = opts ? opts : &none;
  s.in = in_fd;
  s.out = out_fd;
  s.a = rl_arena_new();
  char buf[PATH_MAX];
  s.cwd = rl_xstrdup(getcwd(buf, sizeof buf) ? buf : "/");
  /* The editor closing its end is a write error, not a signal. */
  signal(SIGPIPE, SIG_IGN);
  while (serve_one(&s)) {
  }
  int status = s.exited && s.shutdown ? 0 : 1;
  for (size_t i = 0; i < s.ndocs; i++) doc_clear(&s.docs[i]);
  free(s.docs);
  free(s.cwd);
  rl_arena_free(s.a);
  return status;
}
