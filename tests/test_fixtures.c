/* The generic rule test: every folder fixtures/rules/<id>/ is scanned with all
 * rules, and the findings must be exactly the annotated ones.
 *
 *   // expect: rule-id[, rule-id]   a finding of each rule starts on the next line
 *   // ok: rule-id                  the next line is a near miss: nothing there
 *   # expect: rule-id               the same in dotenv files
 *
 * An annotation applies to the next line that is not itself an annotation.
 * Checked rules: the folder's rule and every rule any annotation in the file
 * names (so a fixture may pin down other rules' behaviour too). Adding a rule
 * needs a folder, not C code. */
#include "rltest.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "source.h"
#include "util.h"
#include "walk.h"

#define FIXTURE_ROOT "fixtures/rules"
#define MIN_POSITIVES 8
#define MIN_NEGATIVES 10

typedef struct mark {
  uint32_t line;
  char id[64];
  int ok; /* 1: "ok" annotation, 0: "expect" */
} mark;

typedef struct marks {
  mark *v;
  size_t n;
} marks;

static void add_mark(marks *m, uint32_t line, const char *id, size_t n, int ok) {
  m->v = rl_xreallocarray(m->v, m->n + 1, sizeof *m->v);
  mark *k = &m->v[m->n++];
  k->line = line;
  k->ok = ok;
  snprintf(k->id, sizeof k->id, "%.*s", (int)n, id);
}

/* Parses an annotation on one line; returns 1 and fills kind + ids span. */
static int parse_annotation(const char *p, size_t n, int *ok, const char **ids, size_t *idn) {
  size_t i = 0;
  while (i < n && (p[i] == ' ' || p[i] == '\t')) i++;
  if (i + 1 < n && p[i] == '{' && p[i + 1] == '/') i++; /* a JSX comment: {slash-star ... star-slash} */
  if (i + 1 < n && p[i] == '/' && (p[i + 1] == '/' || p[i + 1] == '*')) i += 2;
  else if (i < n && p[i] == '#') i += 1;
  else return 0;
  while (i < n && p[i] == ' ') i++;
  if (n - i >= 7 && memcmp(p + i, "expect:", 7) == 0) {
    *ok = 0;
    i += 7;
  } else if (n - i >= 3 && memcmp(p + i, "ok:", 3) == 0) {
    *ok = 1;
    i += 3;
  } else {
    return 0;
  }
  size_t end = n;
  const char *close = NULL;
  for (size_t k = i; k + 1 < n; k++)
    if (p[k] == '*' && p[k + 1] == '/') {
      close = p + k;
      break;
    }
  if (close) end = (size_t)(close - p);
  *ids = p + i;
  *idn = end - i;
  return 1;
}

static void read_marks(const char *bytes, size_t len, marks *m) {
  uint32_t line = 1;
  marks pending = {0};
  const char *p = bytes, *end = bytes + len;
  while (p <= end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
    int ok;
    const char *ids;
    size_t idn;
    if (parse_annotation(p, n, &ok, &ids, &idn)) {
      size_t i = 0;
      while (i < idn) {
        while (i < idn && (ids[i] == ' ' || ids[i] == ',')) i++;
        size_t s = i;
        while (i < idn && ids[i] != ' ' && ids[i] != ',' && ids[i] != '\r') i++;
        if (i > s) add_mark(&pending, 0, ids + s, i - s, ok);
        if (i < idn && ids[i] == '\r') break;
      }
    } else {
      for (size_t k = 0; k < pending.n; k++) add_mark(m, line, pending.v[k].id, strlen(pending.v[k].id), pending.v[k].ok);
      pending.n = 0;
    }
    if (!nl) break;
    p = nl + 1;
    line++;
  }
  free(pending.v);
}

static int checked(const char *rule, const char *folder, const marks *m) {
  if (strcmp(rule, folder) == 0) return 1;
  for (size_t i = 0; i < m->n; i++)
    if (strcmp(m->v[i].id, rule) == 0) return 1;
  return 0;
}

typedef struct folder_state {
  char id[256];
} folder_state;

static void test_folder(void **state) {
  const char *folder = ((folder_state *)*state)->id;
  rl_engine_config cfg = {0};
  cfg.jobs = 1;
  cfg.fail_on = RL_SEV_WARNING;
  rl_engine *e = NULL;
  assert_int_equal(rl_engine_new(&e, &cfg), 0);
  if (!rl_engine_rule_find(e, folder)) fail_msg("fixture folder '%s' names no rule", folder);

  char root[512 + 256];
  snprintf(root, sizeof root, "%s/%s", FIXTURE_ROOT, folder);
  const char *paths[] = {root};
  rl_walk *w = NULL;
  rl_walk_options wo = {0};
  assert_int_equal(rl_walk_new(&w, paths, 1, &wo), 0);
  rl_walk_entry we;
  int failures = 0;
  size_t positives = 0, negatives = 0, files = 0;
  while (rl_walk_next(w, &we) > 0) {
    if (we.skip != RL_SKIP_NONE) continue;
    char *bytes = NULL;
    size_t len = 0;
    if (rl_file_read(we.fs_path, 5u << 20, &bytes, &len) != RL_SKIP_NONE) {
      print_error("%s: unreadable fixture\n", we.display);
      failures++;
      continue;
    }
    files++;
    marks m = {0};
    read_marks(bytes, len, &m);
    rl_file_result *r = rl_engine_scan_buffer(e, we.display, we.fs_path, bytes, len);
    /* Every expected finding must be there... */
    for (size_t i = 0; i < m.n; i++) {
      if (m.v[i].ok) {
        negatives += strcmp(m.v[i].id, folder) == 0;
        continue;
      }
      positives += strcmp(m.v[i].id, folder) == 0;
      int found = 0;
      for (size_t k = 0; k < r->nfindings && !found; k++)
        found = !r->findings[k].suppressed && r->findings[k].start_line == m.v[i].line &&
                strcmp(r->findings[k].rule->id, m.v[i].id) == 0;
      if (!found) {
        print_error("%s:%u: expected %s, got nothing\n", we.display, m.v[i].line, m.v[i].id);
        failures++;
      }
    }
    /* ...and nothing else from the rules this file is about. */
    for (size_t k = 0; k < r->nfindings; k++) {
      const rl_finding *f = &r->findings[k];
      if (f->suppressed || !checked(f->rule->id, folder, &m)) continue;
      int expected = 0;
      for (size_t i = 0; i < m.n && !expected; i++)
        expected = !m.v[i].ok && m.v[i].line == f->start_line && strcmp(m.v[i].id, f->rule->id) == 0;
      if (!expected) {
        print_error("%s:%u:%u: unexpected %s: %s\n", we.display, f->start_line, f->start_col, f->rule->id,
                    f->message);
        failures++;
      }
    }
    rl_file_result_free(r);
    free(m.v);
    free(bytes);
  }
  rl_walk_free(w);
  rl_engine_free(e);
  print_message("%s: %zu files, %zu expected findings, %zu near misses\n", folder, files, positives, negatives);
  if (positives < MIN_POSITIVES || negatives < MIN_NEGATIVES) {
    print_error("%s: needs at least %d '// expect' and %d '// ok' annotations for its rule\n", folder, MIN_POSITIVES,
                MIN_NEGATIVES);
    failures++;
  }
  assert_int_equal(failures, 0);
}

static int name_cmp(const void *a, const void *b) {
  return strcmp(((const folder_state *)a)->id, ((const folder_state *)b)->id);
}

int main(void) {
  DIR *d = opendir(FIXTURE_ROOT);
  if (!d) {
    fprintf(stderr, "cannot open %s (run from the source root)\n", FIXTURE_ROOT);
    return 1;
  }
  folder_state *folders = NULL;
  size_t n = 0;
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    if (de->d_name[0] == '.') continue;
    folders = rl_xreallocarray(folders, n + 1, sizeof *folders);
    snprintf(folders[n++].id, sizeof folders[0].id, "%s", de->d_name);
  }
  closedir(d);
  qsort(folders, n, sizeof *folders, name_cmp);
  struct CMUnitTest *tests = rl_xcalloc(n ? n : 1, sizeof *tests);
  char **names = rl_xcalloc(n ? n : 1, sizeof *names);
  for (size_t i = 0; i < n; i++) {
    rl_buf b = {0};
    rl_buf_printf(&b, "fixtures__%s", folders[i].id);
    names[i] = rl_buf_detach(&b);
    tests[i].name = names[i];
    tests[i].test_func = test_folder;
    tests[i].initial_state = &folders[i];
  }
  int rc = n ? _cmocka_run_group_tests("fixtures", tests, n, NULL, NULL) : 0;
  if (n == 0) fprintf(stderr, "no fixture folders in %s\n", FIXTURE_ROOT);
  for (size_t i = 0; i < n; i++) free(names[i]);
  free(names);
  free(tests);
  free(folders);
  return n ? rc : 1;
}
