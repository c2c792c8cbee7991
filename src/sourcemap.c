#include "sourcemap.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "util.h"

struct rl_sourcemap {
  rl_arena *arena; /* the JSON tree */
  const char *mappings;
  size_t mappings_len;
  char **sources; /* sourceRoot + source */
  size_t nsources;
  const rl_json *contents; /* sourcesContent array, in arena, or NULL */
};

int rl_sourcemap_parse(rl_sourcemap **out, const char *json, size_t len) {
  *out = NULL;
  rl_json_error err;
  rl_json *root;
  rl_arena *arena = rl_arena_new();
  if (rl_json_parse(&root, arena, json, len, RL_JSON_DUPS_LAST, &err) < 0) {
    /* say where, not what: a map can hold the source's text */
    rl_error_set("not JSON (line %u, column %u)", err.line, err.column);
    rl_arena_free(arena);
    return RL_EINVALID;
  }
  int rc = RL_EINVALID;
  rl_sourcemap *m = NULL;
  if (!rl_json_is(root, RL_JSON_OBJECT)) {
    rl_error_set("not a JSON object");
    goto fail;
  }
  if (rl_json_get(root, "sections")) {
    rl_error_set("index maps (sections) are not supported");
    goto fail;
  }
  const rl_json *ver = rl_json_get(root, "version");
  int64_t version = 0;
  if (!rl_json_int(ver, &version) || version != 3) {
    rl_error_set("not a version 3 source map");
    goto fail;
  }
  const rl_json *mappings = rl_json_get(root, "mappings");
  const rl_json *sources = rl_json_get(root, "sources");
  if (!rl_json_is(mappings, RL_JSON_STRING) || !rl_json_is(sources, RL_JSON_ARRAY)) {
    rl_error_set("no \"mappings\" string or no \"sources\" array");
    goto fail;
  }
  const rl_json *root_dir = rl_json_get(root, "sourceRoot");
  const char *sr = rl_json_is(root_dir, RL_JSON_STRING) ? rl_json_str(root_dir, NULL) : "";
  m = rl_xcalloc(1, sizeof *m);
  m->arena = arena;
  m->mappings = rl_json_str(mappings, &m->mappings_len);
  m->nsources = rl_json_size(sources);
  m->sources = rl_xcalloc(m->nsources ? m->nsources : 1, sizeof *m->sources);
  for (size_t i = 0; i < m->nsources; i++) {
    const rl_json *s = rl_json_at(sources, i);
    const char *name = rl_json_is(s, RL_JSON_STRING) ? rl_json_str(s, NULL) : "";
    rl_buf b = {0};
    rl_buf_puts(&b, sr);
    if (sr[0] && sr[strlen(sr) - 1] != '/' && name[0]) rl_buf_putc(&b, '/');
    rl_buf_puts(&b, name);
    m->sources[i] = b.ptr ? rl_buf_detach(&b) : rl_xstrdup("");
  }
  const rl_json *contents = rl_json_get(root, "sourcesContent");
  m->contents = rl_json_is(contents, RL_JSON_ARRAY) ? contents : NULL;
  *out = m;
  return 0;
fail:
  rl_arena_free(arena);
  return rc;
}

void rl_sourcemap_free(rl_sourcemap *m) {
  if (!m) return;
  for (size_t i = 0; i < m->nsources; i++) free(m->sources[i]);
  free(m->sources);
  rl_arena_free(m->arena);
  free(m);
}

const char *rl_sourcemap_source(const rl_sourcemap *m, uint32_t i) { return i < m->nsources ? m->sources[i] : NULL; }

int rl_sourcemap_source_line(const rl_sourcemap *m, uint32_t i, uint32_t line, const char **p, size_t *n) {
  if (!m->contents) return 0;
  const rl_json *c = rl_json_at(m->contents, i);
  if (!rl_json_is(c, RL_JSON_STRING)) return 0;
  size_t clen;
  const char *s = rl_json_str(c, &clen), *end = s + clen;
  for (uint32_t l = 0; l < line; l++) {
    const char *nl = memchr(s, '\n', (size_t)(end - s));
    if (!nl) return 0;
    s = nl + 1;
  }
  const char *nl = memchr(s, '\n', (size_t)(end - s));
  size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
  if (len > 0 && s[len - 1] == '\r') len--;
  *p = s;
  *n = len;
  return 1;
}

static int b64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

/* One base64 VLQ value at *i; 0, or -1 for a bad digit or a value past 32 bits. */
static int vlq(const char *s, size_t n, size_t *i, int64_t *out) {
  uint64_t v = 0;
  unsigned shift = 0;
  for (;;) {
    if (*i >= n) return -1;
    int d = b64_value(s[(*i)++]);
    if (d < 0 || shift > 32) return -1;
    v |= (uint64_t)(d & 31) << shift;
    shift += 5;
    if (!(d & 32)) break;
  }
  int64_t x = (int64_t)(v >> 1);
  *out = (v & 1) ? -x : x;
  return 0;
}

static void answer(rl_sourcemap_query *q, const rl_sourcemap_query *cur, int have) {
  if (!have) return;
  q->found = 1;
  q->source = cur->source;
  q->orig_line = cur->orig_line;
  q->orig_col = cur->orig_col;
  q->seg_col = cur->seg_col;
}

int rl_sourcemap_lookup(const rl_sourcemap *m, rl_sourcemap_query *q, size_t nq) {
  const char *s = m->mappings;
  size_t n = m->mappings_len, i = 0, qi = 0;
  uint32_t line = 0;
  int64_t col = 0, src = 0, oline = 0, ocol = 0, name = 0;
  /* the segment that covers the queries passed so far on this line */
  int have = 0;
  rl_sourcemap_query cur = {0};
  for (size_t k = 0; k < nq; k++) q[k].found = 0;
  while (qi < nq) {
    /* queries on lines before this one are answered */
    while (qi < nq && q[qi].line < line) qi++;
    if (qi == nq) break;
    if (i >= n) break;
    char c = s[i];
    if (c == ';') {
      i++;
      for (; qi < nq && q[qi].line == line; qi++) answer(&q[qi], &cur, have);
      line++;
      col = 0;
      have = 0;
      continue;
    }
    if (c == ',') {
      i++;
      continue;
    }
    int64_t d[5];
    int fields = 0;
    while (fields < 5 && i < n && s[i] != ',' && s[i] != ';') {
      if (vlq(s, n, &i, &d[fields]) < 0) {
        rl_error_set("bad VLQ in \"mappings\" at offset %zu", i);
        return RL_EINVALID;
      }
      fields++;
    }
    if (i < n && s[i] != ',' && s[i] != ';') {
      rl_error_set("a segment of more than 5 fields in \"mappings\" at offset %zu", i);
      return RL_EINVALID;
    }
    if (fields != 1 && fields != 4 && fields != 5) {
      rl_error_set("a segment of %d fields in \"mappings\" at offset %zu", fields, i);
      return RL_EINVALID;
    }
    col += d[0];
    if (fields >= 4) {
      src += d[1];
      oline += d[2];
      ocol += d[3];
      if (fields == 5) name += d[4];
      if (col < 0 || src < 0 || oline < 0 || ocol < 0 || (size_t)src >= m->nsources || col > UINT32_MAX ||
          oline > UINT32_MAX || ocol > UINT32_MAX) {
        rl_error_set("a segment out of range in \"mappings\" at offset %zu", i);
        return RL_EINVALID;
      }
    }
    if (q[qi].line != line) continue;
    /* queries before this segment's column take the segment before it */
    for (; qi < nq && q[qi].line == line && q[qi].col < (uint64_t)col; qi++) answer(&q[qi], &cur, have);
    if (fields >= 4) {
      have = 1;
      cur.source = (uint32_t)src;
      cur.orig_line = (uint32_t)oline;
      cur.orig_col = (uint32_t)ocol;
      cur.seg_col = (uint32_t)col;
    } else {
      have = 0; /* a segment with no source: generated code */
    }
  }
  for (; qi < nq && q[qi].line == line; qi++) answer(&q[qi], &cur, have);
  return 0;
}
