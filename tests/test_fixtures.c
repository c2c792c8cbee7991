/* The generic fixture test, in two modes.
 *
 * Rule folders: every folder fixtures/rules/<id>/ is scanned file by file
 * with all rules, and the findings must be exactly the annotated ones.
 * Checked rules: the folder's rule and every rule any annotation in the file
 * names (so a fixture may pin down other rules' behaviour too). Every rule in
 * the table must have such a folder.
 *
 * Projects: every folder fixtures/projects/<name>/ is scanned as the CLI
 * scans a tree (walk, its .roomlint.yml and ignore files, the project
 * model over all its files), and the findings of every rule across all its
 * files must be exactly the annotated ones.
 *
 *   // expect: rule-id[, rule-id]   a finding of each rule starts on the next line
 *   // expect: rule-id "fragment"   ... and its message contains the fragment
 *   // expect: rule-id "^fragment"  ... and its message starts with it
 *   // ok: rule-id                  the next line is a near miss: nothing there
 *   # expect: rule-id               the same in dotenv and YAML files
 *
 * An annotation applies to the next line that is not itself an annotation.
 * Adding a rule or a project needs a folder, not C code. Each missing and
 * each unexpected finding is printed as file:line, so that whoever works on
 * the model can go from the failure to the code. */
#include "rltest.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "engine.h"
#include "source.h"
#include "util.h"
#include "walk.h"

#define FIXTURE_ROOT "fixtures/rules"
#define PROJECT_ROOT "fixtures/projects"
#define MIN_POSITIVES 8
#define MIN_NEGATIVES 10
#define MIN_PROJECTS 25
#define MIN_PROJECT_FILES 2

typedef struct mark {
  uint32_t line;
  char id[64];
  char frag[192]; /* "" or a fragment the message must contain */
  int ok;         /* 1: "ok" annotation, 0: "expect" */
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
  k->frag[0] = '\0';
  snprintf(k->id, sizeof k->id, "%.*s", (int)n, id);
}

/* Parses an annotation on one line; returns 1 and fills kind + ids span. */
static int parse_annotation(const char *p, size_t n, int *ok, const char **ids, size_t *idn) {
  size_t i = 0;
  while (i < n && (p[i] == ' ' || p[i] == '\t')) i++;
  if (i + 1 < n && p[i] == '{' && p[i + 1] == '/') i++; /* a JSX comment: {slash-star ... star-slash} */
  if (i + 1 < n && p[i] == '/' && (p[i + 1] == '/' || p[i + 1] == '*'))
    i += 2;
  else if (i + 3 < n && memcmp(p + i, "<!--", 4) == 0)
    i += 4;
  else if (i < n && p[i] == '#')
    i += 1;
  else
    return 0;
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
  for (size_t k = i; k + 1 < n; k++)
    if ((p[k] == '*' && p[k + 1] == '/') || (k + 2 < n && memcmp(p + k, "-->", 3) == 0)) {
      end = k;
      break;
    }
  *ids = p + i;
  *idn = end - i;
  return 1;
}

/* ids: `a, b "fragment of b's message", c`. A quoted fragment belongs to the
 * id before it. Returns 0, or -1 for a fragment with no id or no closing
 * quote (a broken annotation is a failing fixture, not a silent one). */
static int parse_ids(const char *ids, size_t idn, int ok, marks *pending) {
  size_t i = 0;
  while (i < idn) {
    while (i < idn && (ids[i] == ' ' || ids[i] == ',' || ids[i] == '\t')) i++;
    if (i < idn && ids[i] == '\r') break;
    if (i < idn && ids[i] == '"') {
      const char *close = memchr(ids + i + 1, '"', idn - i - 1);
      if (!close || pending->n == 0) return -1;
      mark *k = &pending->v[pending->n - 1];
      snprintf(k->frag, sizeof k->frag, "%.*s", (int)(close - ids - i - 1), ids + i + 1);
      i = (size_t)(close - ids) + 1;
      continue;
    }
    size_t s = i;
    while (i < idn && ids[i] != ' ' && ids[i] != ',' && ids[i] != '\r' && ids[i] != '"' && ids[i] != '\t') i++;
    if (i > s) add_mark(pending, 0, ids + s, i - s, ok);
  }
  return 0;
}

/* Fills m; returns the line of the first broken annotation, or 0. */
static uint32_t read_marks(const char *bytes, size_t len, marks *m) {
  uint32_t line = 1, broken = 0;
  marks pending = {0};
  const char *p = bytes, *end = bytes + len;
  while (p <= end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
    int ok;
    const char *ids;
    size_t idn;
    if (parse_annotation(p, n, &ok, &ids, &idn)) {
      if (parse_ids(ids, idn, ok, &pending) < 0 && !broken) broken = line;
    } else {
      for (size_t k = 0; k < pending.n; k++) {
        mark *src = &pending.v[k];
        add_mark(m, line, src->id, strlen(src->id), src->ok);
        memcpy(m->v[m->n - 1].frag, src->frag, sizeof src->frag);
      }
      pending.n = 0;
    }
    if (!nl) break;
    p = nl + 1;
    line++;
  }
  free(pending.v);
  return broken;
}

static int checked(const char *rule, const char *folder, const marks *m) {
  if (!folder || strcmp(rule, folder) == 0) return 1;
  for (size_t i = 0; i < m->n; i++)
    if (strcmp(m->v[i].id, rule) == 0) return 1;
  return 0;
}

/* One finding as the comparison needs it (strings borrowed). */
typedef struct got {
  const char *rule;
  const char *message;
  uint32_t line, col;
} got;

typedef struct tally {
  size_t positives, negatives; /* of the folder's rule; of any rule for projects */
  size_t missing, unexpected;
} tally;

/* A fragment is found anywhere in the message; "^x" only at its start. */
static int frag_matches(const char *message, const char *frag) {
  if (frag[0] == '^') return strncmp(message, frag + 1, strlen(frag + 1)) == 0;
  return strstr(message, frag) != NULL;
}

/* Compares one file's findings with its marks, printing each difference as
 * file:line. folder: the rule a rule folder is about (only it and the rules
 * the file names are checked), or NULL for a project (every rule is). */
static void compare(const char *path, const marks *m, const got *g, size_t ng, const char *folder, tally *t) {
  /* Every expected finding must be there... */
  for (size_t i = 0; i < m->n; i++) {
    const mark *k = &m->v[i];
    int mine = !folder || strcmp(k->id, folder) == 0;
    if (k->ok) {
      t->negatives += mine;
      continue;
    }
    t->positives += mine;
    const got *on_line = NULL, *found = NULL;
    for (size_t j = 0; j < ng && !found; j++) {
      if (g[j].line != k->line || strcmp(g[j].rule, k->id) != 0) continue;
      on_line = &g[j];
      if (!k->frag[0] || frag_matches(g[j].message, k->frag)) found = &g[j];
    }
    if (found) continue;
    if (on_line)
      print_error("%s:%u: expected %s with \"%s\", got: %s\n", path, k->line, k->id, k->frag, on_line->message);
    else if (k->frag[0])
      print_error("%s:%u: expected %s \"%s\", got nothing\n", path, k->line, k->id, k->frag);
    else
      print_error("%s:%u: expected %s, got nothing\n", path, k->line, k->id);
    t->missing++;
  }
  /* ...and nothing else from the rules this file is about. */
  for (size_t j = 0; j < ng; j++) {
    if (!checked(g[j].rule, folder, m)) continue;
    int expected = 0;
    for (size_t i = 0; i < m->n && !expected; i++)
      expected = !m->v[i].ok && m->v[i].line == g[j].line && strcmp(m->v[i].id, g[j].rule) == 0;
    if (!expected) {
      print_error("%s:%u:%u: unexpected %s: %s\n", path, g[j].line, g[j].col, g[j].rule, g[j].message);
      t->unexpected++;
    }
  }
}

/* The unsuppressed findings of r; caller frees the array (strings stay r's). */
static got *gots_of(const rl_file_result *r, size_t *n) {
  got *g = rl_xcalloc(r->nfindings ? r->nfindings : 1, sizeof *g);
  *n = 0;
  for (size_t k = 0; k < r->nfindings; k++) {
    const rl_finding *f = &r->findings[k];
    if (f->suppressed) continue;
    g[(*n)++] = (got){f->rule->id, f->message, f->start_line, f->start_col};
  }
  return g;
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
  size_t files = 0;
  tally t = {0};
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
    uint32_t broken = read_marks(bytes, len, &m);
    if (broken) {
      print_error("%s:%u: broken annotation (a fragment needs a rule before it and a closing quote)\n", we.display,
                  broken);
      failures++;
    }
    rl_file_result *r = rl_engine_scan_buffer(e, we.display, we.fs_path, bytes, len);
    size_t ng;
    got *g = gots_of(r, &ng);
    compare(we.display, &m, g, ng, folder, &t);
    free(g);
    rl_file_result_free(r);
    free(m.v);
    free(bytes);
  }
  rl_walk_free(w);
  rl_engine_free(e);
  print_message("%s: %zu files, %zu expected findings, %zu near misses\n", folder, files, t.positives, t.negatives);
  if (t.positives < MIN_POSITIVES || t.negatives < MIN_NEGATIVES) {
    print_error("%s: needs at least %d '// expect' and %d '// ok' annotations for its rule\n", folder, MIN_POSITIVES,
                MIN_NEGATIVES);
    failures++;
  }
  failures += (int)(t.missing + t.unexpected);
  assert_int_equal(failures, 0);
}

/* Adding a rule is one .c, one table line, one doc and one fixture folder:
 * a rule in the table without fixtures/rules/<id>/ fails here. */
static void test_every_rule_has_fixtures(void **state) {
  (void)state;
  rl_engine_config cfg = {0};
  rl_engine *e = NULL;
  assert_int_equal(rl_engine_new(&e, &cfg), 0);
  size_t n = 0;
  const rl_rule *const *rules = rl_engine_rules(e, &n);
  int missing = 0;
  for (size_t i = 0; i < n; i++) {
    char dir[512];
    struct stat st;
    snprintf(dir, sizeof dir, "%s/%s", FIXTURE_ROOT, rules[i]->id);
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
      print_error("rule %s has no fixture folder %s/\n", rules[i]->id, dir);
      missing++;
    }
  }
  rl_engine_free(e);
  assert_true(n > 0);
  assert_int_equal(missing, 0);
}

/* ---- projects ------------------------------------------------------------- */

/* What the sink keeps of one file's result (the engine frees the result). */
typedef struct proj_file {
  char *path;
  int skipped;
  char *skip_detail;
  got *g; /* strings owned: rule ids are the engine's, messages strdup'd */
  size_t ng;
} proj_file;

typedef struct collect_sink {
  rl_sink base;
  proj_file *v;
  size_t n;
} collect_sink;

static int collect_begin(rl_sink *s, const rl_run_info *run) {
  (void)s;
  (void)run;
  return 0;
}

static int collect_file(rl_sink *s, const rl_file_result *r) {
  collect_sink *c = (collect_sink *)s;
  c->v = rl_xreallocarray(c->v, c->n + 1, sizeof *c->v);
  proj_file *f = &c->v[c->n++];
  f->path = rl_xstrdup(r->path);
  f->skipped = r->skip != RL_SKIP_NONE;
  f->skip_detail = rl_xstrdup(r->skip_detail ? r->skip_detail : "skipped");
  f->g = gots_of(r, &f->ng);
  for (size_t k = 0; k < f->ng; k++) f->g[k].message = rl_xstrdup(f->g[k].message);
  return 0;
}

static int collect_end(rl_sink *s, const rl_summary *sum) {
  (void)s;
  (void)sum;
  return 0;
}

static void collect_free(rl_sink *s) {
  collect_sink *c = (collect_sink *)s;
  for (size_t i = 0; i < c->n; i++) {
    for (size_t k = 0; k < c->v[i].ng; k++) free((char *)c->v[i].g[k].message);
    free(c->v[i].g);
    free(c->v[i].path);
    free(c->v[i].skip_detail);
  }
  free(c->v);
  c->v = NULL;
  c->n = 0;
}

static const proj_file *collected(const collect_sink *c, const char *path) {
  for (size_t i = 0; i < c->n; i++)
    if (strcmp(c->v[i].path, path) == 0) return &c->v[i];
  return NULL;
}

/* Reads fs_path's annotations; 0 if unreadable. */
static int file_marks(const char *fs_path, marks *m, uint32_t *broken) {
  char *bytes = NULL;
  size_t len = 0;
  if (rl_file_read(fs_path, 5u << 20, &bytes, &len) != RL_SKIP_NONE) return 0;
  *broken = read_marks(bytes, len, m);
  free(bytes);
  return 1;
}

static void test_project(void **state) {
  const char *name = ((folder_state *)*state)->id;
  char root[512 + 256];
  snprintf(root, sizeof root, "%s/%s", PROJECT_ROOT, name);

  /* The project's .roomlint.yml, as the CLI would read it from the root. */
  char conf_path[sizeof root + 32];
  snprintf(conf_path, sizeof conf_path, "%s/.roomlint.yml", root);
  rl_engine_config cfg = {0};
  cfg.fail_on = RL_SEV_WARNING;
  rl_config *conf = NULL;
  char *conf_dir = NULL;
  struct stat st;
  if (stat(conf_path, &st) == 0) {
    if (rl_config_load(&conf, conf_path) < 0) fail_msg("%s: %s", conf_path, rl_error_last());
    conf_dir = realpath(root, NULL);
    cfg.enable = conf->enable.v;
    cfg.disable = conf->disable.v;
    if (conf->has_max_token_ttl) cfg.max_token_ttl = conf->max_token_ttl;
    cfg.extra_ignores = conf->ignore.v;
    cfg.extra_base = conf_dir;
    cfg.severities = conf->severities;
    cfg.nseverities = conf->nseverities;
    cfg.overrides = conf->path_overrides;
    cfg.noverrides = conf->noverrides;
    rl_config_install(conf);
  }
  rl_engine *e = NULL;
  if (rl_engine_new(&e, &cfg) < 0) fail_msg("%s: %s", name, rl_error_last());

  collect_sink c = {{collect_begin, collect_file, collect_end, collect_free}, NULL, 0};
  const char *paths[] = {root};
  rl_run_info run = {0};
  rl_summary sum = {0};
  int failures = 0;
  if (rl_engine_scan(e, paths, 1, &c.base, &run, &sum) < 0) {
    print_error("%s: scan failed: %s\n", root, rl_error_last());
    failures++;
  }
  rl_engine_free(e);
  rl_config_install(NULL);
  rl_config_free(conf);
  free(conf_dir);

  tally t = {0};
  size_t files = 0;
  for (size_t i = 0; i < c.n; i++) {
    const proj_file *f = &c.v[i];
    marks m = {0};
    uint32_t broken = 0;
    if (!file_marks(f->path, &m, &broken)) {
      print_error("%s: unreadable fixture\n", f->path);
      failures++;
      continue;
    }
    if (broken) {
      print_error("%s:%u: broken annotation (a fragment needs a rule before it and a closing quote)\n", f->path,
                  broken);
      failures++;
    }
    if (f->skipped) {
      for (size_t k = 0; k < m.n; k++)
        if (!m.v[k].ok) {
          print_error("%s:%u: expected %s, but the scan skipped the file (%s)\n", f->path, m.v[k].line, m.v[k].id,
                      f->skip_detail);
          t.missing++;
        }
    } else {
      files++;
      compare(f->path, &m, f->g, f->ng, NULL, &t);
    }
    free(m.v);
  }

  /* A file the scan leaves out (ignored) may hold near misses, never an
   * expectation: that would be a fixture that cannot pass. */
  rl_walk *w = NULL;
  rl_walk_options wo = {0};
  wo.no_ignore = 1;
  assert_int_equal(rl_walk_new(&w, paths, 1, &wo), 0);
  rl_walk_entry we;
  while (rl_walk_next(w, &we) > 0) {
    if (we.skip != RL_SKIP_NONE || collected(&c, we.display)) continue;
    marks m = {0};
    uint32_t broken = 0;
    if (file_marks(we.fs_path, &m, &broken))
      for (size_t k = 0; k < m.n; k++)
        if (!m.v[k].ok) {
          print_error("%s:%u: expected %s in a file the scan leaves out\n", we.display, m.v[k].line, m.v[k].id);
          failures++;
        }
    free(m.v);
  }
  rl_walk_free(w);
  collect_free(&c.base);

  print_message("%s: %zu files, %zu expected findings, %zu near misses, %zu missing, %zu unexpected\n", name, files,
                t.positives, t.negatives, t.missing, t.unexpected);
  if (files < MIN_PROJECT_FILES || t.positives < 1 || t.negatives < 1) {
    print_error("%s: a project needs at least %d scanned files, one '// expect' and one '// ok'\n", name,
                MIN_PROJECT_FILES);
    failures++;
  }
  failures += (int)(t.missing + t.unexpected);
  assert_int_equal(failures, 0);
}

static int name_cmp(const void *a, const void *b) {
  return strcmp(((const folder_state *)a)->id, ((const folder_state *)b)->id);
}

/* The sorted folder names under dir; *n gets their number, -1 if dir is not
 * there. Caller frees. */
static folder_state *list_folders(const char *dir, long *n) {
  *n = -1;
  DIR *d = opendir(dir);
  if (!d) return NULL;
  folder_state *folders = NULL;
  size_t k = 0;
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    char sub[1024];
    struct stat st;
    snprintf(sub, sizeof sub, "%s/%s", dir, de->d_name);
    if (de->d_name[0] == '.' || stat(sub, &st) != 0 || !S_ISDIR(st.st_mode)) continue; /* README.md */
    folders = rl_xreallocarray(folders, k + 1, sizeof *folders);
    snprintf(folders[k++].id, sizeof folders[0].id, "%s", de->d_name);
  }
  closedir(d);
  if (k) qsort(folders, k, sizeof *folders, name_cmp);
  *n = (long)k;
  return folders;
}

static long g_projects;

/* Issue #11 asks for at least MIN_PROJECTS cross-file mini-apps. */
static void test_enough_projects(void **state) {
  (void)state;
  if (g_projects < MIN_PROJECTS)
    print_error("%s: %ld projects, at least %d wanted\n", PROJECT_ROOT, g_projects < 0 ? 0 : g_projects, MIN_PROJECTS);
  assert_true(g_projects >= MIN_PROJECTS);
}

int main(void) {
  long nr, np;
  folder_state *rules = list_folders(FIXTURE_ROOT, &nr);
  folder_state *projects = list_folders(PROJECT_ROOT, &np);
  if (nr <= 0) {
    fprintf(stderr, "no fixture folders in %s (run from the source root)\n", FIXTURE_ROOT);
    free(rules);
    free(projects);
    return 1;
  }
  g_projects = np;
  size_t n = (size_t)nr + (size_t)(np > 0 ? np : 0) + 2;
  struct CMUnitTest *tests = rl_xcalloc(n, sizeof *tests);
  char **names = rl_xcalloc(n, sizeof *names);
  size_t t = 0;
  for (long i = 0; i < nr; i++, t++) {
    rl_buf b = {0};
    rl_buf_printf(&b, "fixtures__%s", rules[i].id);
    names[t] = rl_buf_detach(&b);
    tests[t] = (struct CMUnitTest){names[t], test_folder, NULL, NULL, &rules[i]};
  }
  tests[t++] = (struct CMUnitTest){"fixtures__every_rule_has_a_folder", test_every_rule_has_fixtures, NULL, NULL, NULL};
  for (long i = 0; i < np; i++, t++) {
    rl_buf b = {0};
    rl_buf_printf(&b, "projects__%s", projects[i].id);
    names[t] = rl_buf_detach(&b);
    tests[t] = (struct CMUnitTest){names[t], test_project, NULL, NULL, &projects[i]};
  }
  tests[t++] = (struct CMUnitTest){"projects__at_least_25", test_enough_projects, NULL, NULL, NULL};
  int rc = _cmocka_run_group_tests("fixtures", tests, t, NULL, NULL);
  for (size_t i = 0; i < n; i++) free(names[i]);
  free(names);
  free(tests);
  free(rules);
  free(projects);
  return rc;
}
