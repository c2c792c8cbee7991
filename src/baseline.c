#include "baseline.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "source.h"
#include "util.h"

#define MAX_BASELINE_SIZE (256u << 20)
#define FINGERPRINT_KEY   "roomlint/v1" /* as report_sarif.c writes it */

struct rl_baseline {
  uint64_t *fps; /* sorted, unique */
  size_t n, cap;
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

static void add(rl_baseline *b, uint64_t v) {
  if (b->n == b->cap) {
    b->cap = b->cap ? b->cap * 2 : 64;
    b->fps = rl_xreallocarray(b->fps, b->cap, sizeof *b->fps);
  }
  b->fps[b->n++] = v;
}

static int u64_cmp(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

/* Adds a fingerprint string; -1 if it is not one of ours. */
static int add_string(rl_baseline *b, json_t *s) {
  uint64_t v;
  if (!json_is_string(s) || parse_fp(json_string_value(s), &v) < 0) return -1;
  add(b, v);
  return 0;
}

static int load_sarif(rl_baseline *b, json_t *runs, const char *path) {
  size_t i, j;
  json_t *run, *res;
  if (json_array_size(runs) == 0) {
    rl_error_set("baseline %s holds no roomlint run (its \"runs\" array is empty)", path);
    return RL_EINVALID;
  }
  json_array_foreach(runs, i, run) {
    json_t *driver = json_object_get(json_object_get(json_object_get(run, "tool"), "driver"), "name");
    if (!json_is_string(driver) || strcmp(json_string_value(driver), "roomlint") != 0) {
      rl_error_set("baseline %s: run %zu was not produced by roomlint", path, i);
      return RL_EINVALID;
    }
    json_t *results = json_object_get(run, "results");
    if (!json_is_array(results)) {
      rl_error_set("baseline %s: run %zu has no results array", path, i);
      return RL_EINVALID;
    }
    json_array_foreach(results, j, res) {
      json_t *fp = json_object_get(json_object_get(res, "partialFingerprints"), FINGERPRINT_KEY);
      if (add_string(b, fp) < 0) {
        rl_error_set("baseline %s: result %zu of run %zu has no roomlint fingerprint (partialFingerprints.\"%s\")",
                     path, j, i, FINGERPRINT_KEY);
        return RL_EINVALID;
      }
    }
  }
  return 0;
}

static int load_json(rl_baseline *b, json_t *root, const char *path) {
  json_t *name = json_object_get(json_object_get(root, "tool"), "name");
  json_t *findings = json_object_get(root, "findings");
  if (!json_is_string(name) || strcmp(json_string_value(name), "roomlint") != 0 || !json_is_array(findings)) {
    rl_error_set("baseline %s: not a roomlint JSON report (no tool.name \"roomlint\" and findings array)", path);
    return RL_EINVALID;
  }
  size_t i;
  json_t *f;
  json_array_foreach(findings, i, f) {
    if (add_string(b, json_object_get(f, "fingerprint")) < 0) {
      rl_error_set("baseline %s: finding %zu has no fingerprint of 16 hex digits", path, i);
      return RL_EINVALID;
    }
  }
  return 0;
}

int rl_baseline_load(rl_baseline **out, const char *path) {
  *out = NULL;
  char *bytes = NULL;
  size_t len = 0;
  json_t *root = NULL;
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
  json_error_t err;
  root = json_loadb(bytes, len, 0, &err);
  if (!root) {
    rl_error_set("baseline %s:%d: not JSON: %s (give a report written by roomlint -f sarif or -f json)", path, err.line,
                 err.text);
    rc = RL_EINVALID;
    goto cleanup;
  }
  json_t *runs = json_is_object(root) ? json_object_get(root, "runs") : NULL;
  if (json_is_array(runs))
    rc = load_sarif(b, runs, path);
  else if (json_is_object(root))
    rc = load_json(b, root, path);
  else {
    rl_error_set("baseline %s: not a roomlint SARIF or JSON report", path);
    rc = RL_EINVALID;
  }
  if (rc < 0) goto cleanup;
  if (b->n) qsort(b->fps, b->n, sizeof *b->fps, u64_cmp);
  size_t w = 0;
  for (size_t i = 0; i < b->n; i++)
    if (w == 0 || b->fps[w - 1] != b->fps[i]) b->fps[w++] = b->fps[i];
  b->n = w;
  {
    rl_buf r = {0};
    rl_buf_printf(&r, "baseline %s", path);
    b->reason = rl_buf_detach(&r);
  }
  *out = b;
  b = NULL;
cleanup:
  json_decref(root);
  free(bytes);
  rl_baseline_free(b);
  return rc;
}

void rl_baseline_free(rl_baseline *b) {
  if (!b) return;
  free(b->fps);
  free(b->reason);
  free(b);
}

int rl_baseline_has(const rl_baseline *b, const char *fp) {
  uint64_t v;
  if (!b || parse_fp(fp, &v) < 0) return 0;
  size_t lo = 0, hi = b->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (b->fps[mid] == v) return 1;
    if (b->fps[mid] < v)
      lo = mid + 1;
    else
      hi = mid;
  }
  return 0;
}

size_t rl_baseline_count(const rl_baseline *b) {
  return b ? b->n : 0;
}

const char *rl_baseline_reason(const rl_baseline *b) {
  return b ? b->reason : NULL;
}
