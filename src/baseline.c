#include "baseline.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"

#include "finding.h"
#include "report.h"
#include "rule.h"
#include "source.h"
#include "util.h"

#define MAX_BASELINE_SIZE (256u << 20)
#define FINGERPRINT_KEY "roomlint/v1" /* as report_sarif.c writes it */
#define COMPACT_MAGIC "# roomlint baseline v1"

typedef struct entry {
  uint64_t fp;
  char *rule; /* NULL when the input did not say */
  char *path;
} entry;

struct rl_baseline {
  entry *fps; /* sorted by fp, unique */
  size_t n, cap;
  unsigned char *used; /* used[i]: a finding of this run matched fps[i] */
  char *reason;
};

static int parse_fp(const char *s, uint64_t *out) {
  if (!s || strlen(s) != 16) return -1;
  uint64_t v = 0;
  for (int i = 0; i < 16; i++) {
    char c = s[i];
    unsigned d;
    if (c >= '0' && c <= '9')
      d = (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f')
      d = (unsigned)(c - 'a' + 10);
    else
      return -1;
    v = (v << 4) | d;
  }
  *out = v;
  return 0;
}

static void add(rl_baseline *b, uint64_t v, const char *rule, size_t rule_len, const char *path, size_t path_len) {
  if (b->n == b->cap) {
    b->cap = b->cap ? b->cap * 2 : 64;
    b->fps = rl_xreallocarray(b->fps, b->cap, sizeof *b->fps);
  }
  entry *e = &b->fps[b->n++];
  e->fp = v;
  e->rule = rule ? rl_xstrndup(rule, rule_len) : NULL;
  e->path = path ? rl_xstrndup(path, path_len) : NULL;
}

static int entry_cmp(const void *a, const void *b) {
  uint64_t x = ((const entry *)a)->fp, y = ((const entry *)b)->fp;
  return x < y ? -1 : x > y;
}

static const char *jstr(const rl_json *o, const char *key) {
  const rl_json *v = rl_json_get(o, key);
  return rl_json_is(v, RL_JSON_STRING) ? rl_json_str(v, NULL) : NULL;
}

/* Adds a fingerprint string with its rule and path; -1 if it is not one of ours. */
static int add_string(rl_baseline *b, const rl_json *s, const char *rule, const char *path) {
  uint64_t v;
  if (!rl_json_is(s, RL_JSON_STRING) || parse_fp(rl_json_str(s, NULL), &v) < 0) return -1;
  add(b, v, rule, rule ? strlen(rule) : 0, path, path ? strlen(path) : 0);
  return 0;
}

static int load_sarif(rl_baseline *b, const rl_json *runs, const char *path) {
  size_t i, j;
  const rl_json *run, *res;
  if (rl_json_size(runs) == 0) {
    rl_error_set("baseline %s holds no roomlint run (its \"runs\" array is empty)", path);
    return RL_EINVALID;
  }
  for (i = 0; i < rl_json_size(runs); i++) {
    run = rl_json_at(runs, i);
    const rl_json *driver = rl_json_get(rl_json_get(rl_json_get(run, "tool"), "driver"), "name");
    if (!rl_json_is(driver, RL_JSON_STRING) || strcmp(rl_json_str(driver, NULL), "roomlint") != 0) {
      rl_error_set("baseline %s: run %zu was not produced by roomlint", path, i);
      return RL_EINVALID;
    }
    const rl_json *results = rl_json_get(run, "results");
    if (!rl_json_is(results, RL_JSON_ARRAY)) {
      rl_error_set("baseline %s: run %zu has no results array", path, i);
      return RL_EINVALID;
    }
    for (j = 0; j < rl_json_size(results); j++) {
      res = rl_json_at(results, j);
      const rl_json *fp = rl_json_get(rl_json_get(res, "partialFingerprints"), FINGERPRINT_KEY);
      const rl_json *loc = rl_json_get(rl_json_get(rl_json_at(rl_json_get(res, "locations"), 0), "physicalLocation"),
                                       "artifactLocation");
      if (add_string(b, fp, jstr(res, "ruleId"), jstr(loc, "uri")) < 0) {
        rl_error_set("baseline %s: result %zu of run %zu has no roomlint fingerprint (partialFingerprints.\"%s\")",
                     path, j, i, FINGERPRINT_KEY);
        return RL_EINVALID;
      }
    }
  }
  return 0;
}

static int load_json(rl_baseline *b, const rl_json *root, const char *path) {
  const rl_json *name = rl_json_get(rl_json_get(root, "tool"), "name");
  const rl_json *findings = rl_json_get(root, "findings");
  if (!rl_json_is(name, RL_JSON_STRING) || strcmp(rl_json_str(name, NULL), "roomlint") != 0 ||
      !rl_json_is(findings, RL_JSON_ARRAY)) {
    rl_error_set("baseline %s: not a roomlint JSON report (no tool.name \"roomlint\" and findings array)", path);
    return RL_EINVALID;
  }
  size_t i;
  const rl_json *f;
  for (i = 0; i < rl_json_size(findings); i++) {
    f = rl_json_at(findings, i);
    if (add_string(b, rl_json_get(f, "fingerprint"), jstr(f, "ruleId"), jstr(f, "path")) < 0) {
      rl_error_set("baseline %s: finding %zu has no fingerprint of 16 hex digits", path, i);
      return RL_EINVALID;
    }
  }
  return 0;
}

/* The compact format: a magic first line, then "FINGERPRINT RULE PATH" per
 * line (the path is the rest of the line, spaces and all). */
static int load_compact(rl_baseline *b, const char *bytes, size_t len, const char *path) {
  size_t line = 0;
  for (const char *p = bytes, *end = bytes + len; p < end;) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *eol = nl ? nl : end;
    line++;
    size_t n = (size_t)(eol - p);
    if (n && p[n - 1] == '\r') n--;
    if (n && p[0] != '#') {
      char fp[17];
      uint64_t v;
      const char *sp1 = n > 17 ? memchr(p + 17, ' ', n - 17) : NULL;
      if (n > 17) memcpy(fp, p, 16);
      fp[16] = '\0';
      if (n <= 17 || p[16] != ' ' || parse_fp(fp, &v) < 0 || !sp1 || sp1 == p + 17 || (size_t)(sp1 - p) + 1 >= n) {
        rl_error_set("baseline %s:%zu: not \"FINGERPRINT RULE PATH\" (16 hex digits, a rule id, a path)", path, line);
        return RL_EINVALID;
      }
      add(b, v, p + 17, (size_t)(sp1 - p - 17), sp1 + 1, n - (size_t)(sp1 + 1 - p));
    }
    p = nl ? nl + 1 : end;
  }
  return 0;
}

rl_baseline *rl_baseline_new(const char *reason) {
  rl_baseline *b = rl_xcalloc(1, sizeof *b);
  b->reason = rl_xstrdup(reason);
  return b;
}

void rl_baseline_add(rl_baseline *b, const char *fp, const char *rule, const char *path) {
  uint64_t v;
  if (parse_fp(fp, &v) < 0) return;
  add(b, v, rule, rule ? strlen(rule) : 0, path, path ? strlen(path) : 0);
}

void rl_baseline_finish(rl_baseline *b) {
  if (b->n) qsort(b->fps, b->n, sizeof *b->fps, entry_cmp);
  size_t w = 0;
  for (size_t i = 0; i < b->n; i++) {
    if (w > 0 && b->fps[w - 1].fp == b->fps[i].fp) {
      free(b->fps[i].rule);
      free(b->fps[i].path);
      continue;
    }
    b->fps[w++] = b->fps[i];
  }
  b->n = w;
  free(b->used);
  b->used = rl_xcalloc(b->n ? b->n : 1, 1);
}

void rl_baseline_merge(rl_baseline *into, const rl_baseline *from, const char *reason) {
  for (size_t i = 0; i < from->n; i++) {
    const entry *e = &from->fps[i];
    add(into, e->fp, e->rule, e->rule ? strlen(e->rule) : 0, e->path, e->path ? strlen(e->path) : 0);
  }
  rl_buf r = {0};
  rl_buf_printf(&r, "%s and %s", into->reason, reason);
  free(into->reason);
  into->reason = rl_buf_detach(&r);
  rl_baseline_finish(into);
}

int rl_baseline_load(rl_baseline **out, const char *path) {
  *out = NULL;
  char *bytes = NULL;
  size_t len = 0;
  rl_arena *arena = NULL;
  rl_json *root = NULL;
  int rc = 0;
  rl_baseline *b = rl_xcalloc(1, sizeof *b);
  rl_skip s = rl_file_read(path, MAX_BASELINE_SIZE, &bytes, &len);
  if (s != RL_SKIP_NONE) {
    if (s == RL_SKIP_UNREADABLE) {
      char why[256];
      snprintf(why, sizeof why, "%s", rl_error_last());
      rl_error_set("cannot read baseline %s: %s", path, why);
    } else
      rl_error_set("baseline %s is not a roomlint SARIF or JSON report (%s)", path, rl_skip_name(s));
    rc = RL_EIO;
    goto cleanup;
  }
  if (len >= strlen(COMPACT_MAGIC) && memcmp(bytes, COMPACT_MAGIC, strlen(COMPACT_MAGIC)) == 0) {
    rc = load_compact(b, bytes, len, path);
    goto loaded;
  }
  rl_json_error err;
  arena = rl_arena_new();
  if (rl_json_parse(&root, arena, bytes, len, RL_JSON_DUPS_LAST, &err) < 0) {
    rl_error_set("baseline %s:%u:%u: not JSON: %s (give a report written by roomlint -f sarif or -f json)", path,
                 err.line, err.column, err.message);
    rc = RL_EINVALID;
    goto cleanup;
  }
  const rl_json *runs = rl_json_is(root, RL_JSON_OBJECT) ? rl_json_get(root, "runs") : NULL;
  if (rl_json_is(runs, RL_JSON_ARRAY))
    rc = load_sarif(b, runs, path);
  else if (rl_json_is(root, RL_JSON_OBJECT))
    rc = load_json(b, root, path);
  else {
    rl_error_set("baseline %s: not a roomlint SARIF or JSON report", path);
    rc = RL_EINVALID;
  }
loaded:
  if (rc < 0) goto cleanup;
  rl_baseline_finish(b);
  {
    rl_buf r = {0};
    rl_buf_printf(&r, "baseline %s", path);
    b->reason = rl_buf_detach(&r);
  }
  *out = b;
  b = NULL;
cleanup:
  rl_arena_free(arena);
  free(bytes);
  rl_baseline_free(b);
  return rc;
}

void rl_baseline_free(rl_baseline *b) {
  if (!b) return;
  for (size_t i = 0; i < b->n; i++) {
    free(b->fps[i].rule);
    free(b->fps[i].path);
  }
  free(b->fps);
  free(b->used);
  free(b->reason);
  free(b);
}

int rl_baseline_has(const rl_baseline *b, const char *fp) {
  uint64_t v;
  if (!b || parse_fp(fp, &v) < 0) return 0;
  size_t lo = 0, hi = b->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (b->fps[mid].fp == v) {
      /* workers mark concurrently; each store is the same byte */
      if (b->used) __atomic_store_n(&b->used[mid], 1, __ATOMIC_RELAXED);
      return 1;
    }
    if (b->fps[mid].fp < v)
      lo = mid + 1;
    else
      hi = mid;
  }
  return 0;
}

size_t rl_baseline_count(const rl_baseline *b) { return b ? b->n : 0; }

const char *rl_baseline_reason(const rl_baseline *b) { return b ? b->reason : NULL; }

/* ---- the compact format, written ------------------------------------------------- */

static void put_entry(FILE *out, const char *fp, const char *rule, const char *path) {
  /* a path is one line: a newline in a file name would split the entry */
  fprintf(out, "%s %s ", fp, rule && *rule ? rule : "-");
  const char *p = path && path[0] ? path : "-";
  for (; *p; p++) fputc(*p == '\n' || *p == '\r' ? '?' : *p, out);
  fputc('\n', out);
}

static void put_header(FILE *out) {
  fputs(COMPACT_MAGIC ": fingerprint, rule, path; read by roomlint --baseline\n", out);
}

int rl_baseline_write_used(const rl_baseline *b, const char *path, size_t *kept) {
  rl_buf tmp = {0};
  rl_buf_printf(&tmp, "%s.tmp-prune", path);
  FILE *out = fopen(tmp.ptr, "wb");
  *kept = 0;
  if (!out) {
    rl_error_set("cannot write %s: %s", tmp.ptr, strerror(errno));
    rl_buf_free(&tmp);
    return RL_EIO;
  }
  put_header(out);
  for (size_t i = 0; i < b->n; i++) {
    if (!b->used[i]) continue;
    char fp[17];
    snprintf(fp, sizeof fp, "%016llx", (unsigned long long)b->fps[i].fp);
    put_entry(out, fp, b->fps[i].rule, b->fps[i].path);
    (*kept)++;
  }
  int bad = fflush(out) != 0 || ferror(out);
  bad |= fclose(out) != 0;
  if (bad || rename(tmp.ptr, path) != 0) {
    rl_error_set("cannot write %s: %s", path, strerror(errno ? errno : EIO));
    unlink(tmp.ptr);
    rl_buf_free(&tmp);
    return RL_EIO;
  }
  rl_buf_free(&tmp);
  return 0;
}

/* -f baseline: one line per finding (suppressed in source or not: a
 * baseline lists what exists). */
typedef struct compact_sink {
  rl_sink base;
  FILE *out;
  rl_baseline *collect; /* rl_baseline_sink_new: fingerprints go here instead */
} compact_sink;

static int c_begin(rl_sink *s, const rl_run_info *run) {
  compact_sink *c = (compact_sink *)s;
  (void)run;
  if (c->out) put_header(c->out);
  return 0;
}

static int c_file(rl_sink *s, const rl_file_result *r) {
  compact_sink *c = (compact_sink *)s;
  for (size_t i = 0; i < r->nfindings; i++) {
    const rl_finding *f = &r->findings[i];
    if (c->collect)
      rl_baseline_add(c->collect, f->fingerprint, f->rule->id, r->path);
    else
      put_entry(c->out, f->fingerprint, f->rule->id, r->path);
  }
  return 0;
}

static int c_end(rl_sink *s, const rl_summary *sum) {
  compact_sink *c = (compact_sink *)s;
  (void)sum;
  if (c->collect) rl_baseline_finish(c->collect);
  return c->out && (fflush(c->out) != 0 || ferror(c->out)) ? RL_EIO : 0;
}

static void c_free(rl_sink *s) { free(s); }

static rl_sink *compact_new(FILE *out, rl_baseline *collect) {
  compact_sink *c = rl_xcalloc(1, sizeof *c);
  c->base.begin = c_begin;
  c->base.file = c_file;
  c->base.end = c_end;
  c->base.free = c_free;
  c->out = out;
  c->collect = collect;
  return &c->base;
}

rl_sink *rl_sink_baseline_new(FILE *out) { return compact_new(out, NULL); }

rl_sink *rl_baseline_sink_new(rl_baseline *b) { return compact_new(NULL, b); }
