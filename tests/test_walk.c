/* File discovery over real trees built under a fresh mkdtemp directory. */
#if !defined(_GNU_SOURCE) && !defined(_XOPEN_SOURCE)
#define _XOPEN_SOURCE 700 /* nftw */
#endif
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <unistd.h>

#include "util.h"
#include "walk.h"

/* ---- tree building ----------------------------------------------------- */

typedef struct tree {
  char dir[PATH_MAX]; /* absolute, realpath'd */
} tree;

static void tree_new(tree *t) {
  char tmpl[] = "/tmp/rl-walk-XXXXXX";
  assert_non_null(mkdtemp(tmpl));
  assert_non_null(realpath(tmpl, t->dir));
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st;
  (void)ftw;
  if (flag == FTW_DP || flag == FTW_D) {
    chmod(path, 0700);
    rmdir(path);
  } else {
    unlink(path);
  }
  return 0;
}

static void tree_free(tree *t) { nftw(t->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS); }

/* out = a + sep + b; the test fails rather than truncate. */
static void join3(char *out, size_t cap, const char *a, const char *sep, const char *b) {
  size_t na = strlen(a), ns = strlen(sep), nb = strlen(b);
  assert_true(na + ns + nb < cap);
  memcpy(out, a, na);
  memcpy(out + na, sep, ns);
  memcpy(out + na + ns, b, nb + 1);
}

static const char *at(const tree *t, const char *rel) {
  static char buf[16][PATH_MAX];
  static int k;
  k = (k + 1) % 16;
  join3(buf[k], sizeof buf[k], t->dir, "/", rel);
  return buf[k];
}

/* mkdir -p of the directory part of rel (or all of it when is_dir). */
static void mkdirs(const tree *t, const char *rel, int is_dir) {
  char p[PATH_MAX];
  join3(p, sizeof p, t->dir, "/", rel);
  size_t base = strlen(t->dir) + 1, n = strlen(p);
  for (size_t i = base; i <= n; i++) {
    if (p[i] == '/' || (p[i] == '\0' && is_dir)) {
      char c = p[i];
      p[i] = '\0';
      if (mkdir(p, 0755) != 0) assert_int_equal(errno, EEXIST);
      p[i] = c;
    }
  }
}

static void put(const tree *t, const char *rel, const char *text) {
  mkdirs(t, rel, 0);
  FILE *f = fopen(at(t, rel), "wb");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static void mklink(const tree *t, const char *target, const char *rel) {
  mkdirs(t, rel, 0);
  assert_int_equal(symlink(target, at(t, rel)), 0);
}

/* ---- running a walk ----------------------------------------------------- */

typedef struct got {
  char *display, *fs_path, *detail;
  rl_skip skip;
  rl_lang lang;
  int is_explicit;
} got;

typedef struct result {
  got e[64];
  size_t n;       /* entries kept (the first 64) */
  size_t total;   /* entries seen */
  rl_buf ignored; /* "display: why\n" for each on_passed_over call */
} result;

static void on_ignored(void *data, const char *display, const char *why) {
  result *r = data;
  rl_buf_printf(&r->ignored, "%s: %s\n", display, why);
}

/* Walks paths; display paths are kept with `strip` removed from their front. */
static void run(result *r, const char *const *paths, size_t n, rl_walk_options *opts, const char *strip) {
  rl_walk_options o = {0};
  if (!opts) opts = &o;
  opts->on_passed_over = on_ignored;
  opts->data = r;
  memset(r, 0, sizeof *r);
  rl_walk *w = NULL;
  int rc = rl_walk_new(&w, paths, n, opts);
  if (rc != 0) printf("rl_walk_new: %s\n", rl_error_last());
  assert_int_equal(rc, 0);
  assert_non_null(w);
  rl_walk_entry e;
  size_t sl = strip ? strlen(strip) : 0;
  for (;;) {
    rc = rl_walk_next(w, &e);
    assert_true(rc >= 0);
    if (rc == 0) break;
    r->total++;
    if (r->n == RL_ARRAY_LEN(r->e)) continue;
    got *g = &r->e[r->n++];
    const char *d = e.display;
    if (sl && strncmp(d, strip, sl) == 0) d += sl;
    g->display = rl_xstrdup(d);
    g->fs_path = rl_xstrdup(e.fs_path);
    g->detail = e.skip_detail ? rl_xstrdup(e.skip_detail) : NULL;
    g->skip = e.skip;
    g->lang = e.lang;
    g->is_explicit = e.is_explicit;
    /* every scannable entry can be opened by its fs_path */
    if (e.skip == RL_SKIP_NONE)
      assert_int_equal(access(e.fs_path, R_OK), 0);
    else
      assert_non_null(e.skip_detail);
  }
  rl_walk_free(w);
}

static void run1(result *r, const tree *t, rl_walk_options *opts) {
  char strip[PATH_MAX + 1];
  snprintf(strip, sizeof strip, "%s/", t->dir);
  const char *paths[] = {t->dir};
  run(r, paths, 1, opts, strip);
}

static void result_free(result *r) {
  for (size_t i = 0; i < r->n; i++) {
    free(r->e[i].display);
    free(r->e[i].fs_path);
    free(r->e[i].detail);
  }
  rl_buf_free(&r->ignored);
}

static const got *find(const result *r, const char *display) {
  for (size_t i = 0; i < r->n; i++)
    if (strcmp(r->e[i].display, display) == 0) return &r->e[i];
  return NULL;
}

/* The displays of the scannable entries, in order, joined by spaces. */
static char *scanned(const result *r) {
  rl_buf b = {0};
  for (size_t i = 0; i < r->n; i++) {
    if (r->e[i].skip != RL_SKIP_NONE) continue;
    if (b.len) rl_buf_putc(&b, ' ');
    rl_buf_puts(&b, r->e[i].display);
  }
  return rl_buf_detach(&b);
}

#define assert_scanned(r, expected)                                                                                    \
  do {                                                                                                                 \
    char *s_ = scanned(r);                                                                                             \
    assert_string_equal(s_, expected);                                                                                 \
    free(s_);                                                                                                          \
  } while (0)

static void assert_skip(const result *r, const char *display, rl_skip skip, const char *in_detail) {
  const got *g = find(r, display);
  if (!g) printf("no entry for %s\n", display);
  assert_non_null(g);
  assert_int_equal(g->skip, skip);
  assert_non_null(g->detail);
  if (in_detail && !strstr(g->detail, in_detail)) printf("detail \"%s\" lacks \"%s\"\n", g->detail, in_detail);
  if (in_detail) assert_non_null(strstr(g->detail, in_detail));
}

static int has_ignored(const result *r, const char *needle) {
  return r->ignored.ptr && strstr(r->ignored.ptr, needle) != NULL;
}

/* on_passed_over was told that directory rel was ignored by the ignore file
 * ignore_rel (both relative to the tree). */
static int ignored_by(const result *r, const tree *t, const char *rel, const char *ignore_rel) {
  char line[3 * PATH_MAX];
  snprintf(line, sizeof line, "%s/%s: ignored by %s/%s\n", t->dir, rel, t->dir, ignore_rel);
  return has_ignored(r, line);
}

/* ---- tests -------------------------------------------------------------- */

static void walk__default_ignores(void **state) {
  (void)state;
  tree t;
  tree_new(&t);
  put(&t, "src/a.js", "1");
  put(&t, "src/dist/z.js", "1");
  put(&t, "build.js", "1"); /* a file called like a default dir name */
  put(&t, "lib/node_modules_x/h.js", "1");
  const char *dirs[] = {".git", "node_modules", "dist", "build", "out", ".next", "coverage", "vendor"};
  for (size_t i = 0; i < RL_ARRAY_LEN(dirs); i++) {
    char rel[64];
    snprintf(rel, sizeof rel, "%s/deep/x.js", dirs[i]);
    put(&t, rel, "1");
  }
  result r;
  run1(&r, &t, NULL);
  assert_scanned(&r, "build.js lib/node_modules_x/h.js src/a.js");
  assert_int_equal(r.total, 3);
  assert_true(has_ignored(&r, "/node_modules: ignored by default"));
  assert_true(has_ignored(&r, "/src/dist: ignored by default"));
  assert_true(has_ignored(&r, "/.git: ignored by default"));
  result_free(&r);
  tree_free(&t);
}

static void walk__gitignore_nested_negation(void **state) {
  (void)state;
  tree t;
  tree_new(&t);
  put(&t, ".gitignore", "# generated\n*.gen.js\n/secret/\nlogs\ngen/\n!gen/keep.js\n");
  put(&t, "a.gen.js", "1");
  put(&t, "z.js", "1");
  put(&t, "secret/s.js", "1");
  put(&t, "other/secret/s.js", "1"); /* /secret/ is anchored to the root */
  put(&t, "logs/l.js", "1");
  put(&t, "gen/keep.js", "1"); /* inside an ignored dir: ! cannot bring it back */
  put(&t, "sub/.gitignore", "!keep.gen.js\n*.ts\n");
  put(&t, "sub/keep.gen.js", "1");
  put(&t, "sub/b.gen.js", "1");
  put(&t, "sub/x.ts", "1");
  put(&t, "sub/deeper/.gitignore", "!*.ts\n");
  put(&t, "sub/deeper/y.ts", "1");
  put(&t, "sub/deeper/c.gen.js", "1");
  put(&t, "main/.gitignore", "*.js\n!main.js\n");
  put(&t, "main/main.js", "1");
  put(&t, "main/util.js", "1");
  result r;
  run1(&r, &t, NULL);
  assert_scanned(&r, "main/main.js other/secret/s.js sub/deeper/y.ts sub/keep.gen.js z.js");
  assert_true(ignored_by(&r, &t, "secret", ".gitignore"));
  assert_true(ignored_by(&r, &t, "gen", ".gitignore"));
  result_free(&r);
  tree_free(&t);
}

static void walk__roomlintignore(void **state) {
  (void)state;
  tree t;
  tree_new(&t);
  put(&t, ".roomlintignore", "fixtures/\n!x.js\n!vendor/\n");
  put(&t, ".gitignore", "x.js\n");
  put(&t, "x.js", "1"); /* .roomlintignore outranks .gitignore of the same dir */
  put(&t, "fixtures/f.js", "1");
  put(&t, "vendor/v.js", "1"); /* a default dir brought back explicitly */
  put(&t, "pkg/.roomlintignore", "*.test.js\n");
  put(&t, "pkg/a.test.js", "1");
  put(&t, "pkg/a.js", "1");
  put(&t, "b.test.js", "1");
  result r;
  run1(&r, &t, NULL);
  assert_scanned(&r, "b.test.js pkg/a.js vendor/v.js x.js");
  assert_true(ignored_by(&r, &t, "fixtures", ".roomlintignore"));
  result_free(&r);
  tree_free(&t);
}

static void walk__no_ignore(void **state) {
  (void)state;
  tree t;
  tree_new(&t);
  put(&t, ".gitignore", "*.gen.js\n");
  put(&t, ".roomlintignore", "a.js\n");
  put(&t, "a.js", "1");
  put(&t, "b.gen.js", "1");
  put(&t, "node_modules/m/index.js", "1");
  put(&t, ".git/hook.js", "1");
  const char *extra[] = {"*.js", NULL};
  rl_walk_options o = {0};
  o.no_ignore = 1;
  o.extra_ignores = extra;
  result r;
  run1(&r, &t, &o);
  assert_scanned(&r, ".git/hook.js a.js b.gen.js node_modules/m/index.js");
  assert_null(r.ignored.ptr);
  result_free(&r);
  tree_free(&t);
}

static void walk__extra_ignores(void **state) {
  (void)state;
  tree t;
  tree_new(&t);
  put(&t, "a.js", "1");
  put(&t, "a.spec.js", "1");
  put(&t, "src/b.spec.js", "1");
  put(&t, "gen/g.js", "1");
  put(&t, "src/gen/g.js", "1"); /* /gen/ is anchored to the scan root */
  const char *extra[] = {"*.spec.js", "/gen/", NULL};
  rl_walk_options o = {0};
  o.extra_ignores = extra;
  result r;
  run1(&r, &t, &o);
  assert_scanned(&r, "a.js src/gen/g.js");
  result_free(&r);
  tree_free(&t);
}

static void walk__fifo_is_special(void **state) {
  (void)state;
  tree t;
  tree_new(&t);
  put(&t, "a.js", "1");
  assert_int_equal(mkfifo(at(&t, "pipe.js"), 0644), 0);
  assert_int_equal(mkfifo(at(&t, "pipe"), 0644), 0);
  put(&t, "z.js", "1");
  /* ignore files are read too: a FIFO in their place must not block */
  put(&t, "sub/s.js", "1");
  assert_int_equal(mkfifo(at(&t, "sub/.gitignore"), 0644), 0);
  assert_int_equal(mkfifo(at(&t, "sub/.roomlintignore"), 0644), 0);
  result r;
  run1(&r, &t, NULL);
  /* the walk went past the FIFOs without blocking */
  assert_scanned(&r, "a.js sub/s.js z.js");
  assert_skip(&r, "pipe.js", RL_SKIP_SPECIAL, "FIFO");
  assert_skip(&r, "pipe", RL_SKIP_SPECIAL, "FIFO");
  assert_skip(&r, "sub/.gitignore", RL_SKIP_SPECIAL, "FIFO");
  assert_int_equal(r.total, 7);
  result_free(&r);

  /* named on the command line, too */
  const char *paths[] = {at(&t, "pipe.js")};
  run(&r, paths, 1, NULL, NULL);
  assert_int_equal(r.total, 1);
  assert_int_equal(r.e[0].skip, RL_SKIP_SPECIAL);
  assert_true(r.e[0].is_explicit);
  result_free(&r);
  tree_free(&t);
}

static void walk__socket_is_special(void **state) {
  (void)state;
  tree t;
  tree_new(&t);
  put(&t, "a.js", "1");
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  assert_true(fd >= 0);
  struct sockaddr_un sa;
  memset(&sa, 0, sizeof sa);
  sa.sun_family = AF_UNIX;
  const char *path = at(&t, "sock.js");
  assert_true(strlen(path) < sizeof sa.sun_path);
  memcpy(sa.sun_path, path, strlen(path) + 1);
  assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
  mklink(&t, "sock.js", "via-link.js");
  result r;
  run1(&r, &t, NULL);
  assert_scanned(&r, "a.js");
  assert_skip(&r, "sock.js", RL_SKIP_SPECIAL, "socket");
  assert_null(find(&r, "via-link.js")); /* its target is reported already */
  assert_int_equal(r.total, 2);
  result_free(&r);
  close(fd);
  tree_free(&t);
}

static void walk__symlink_loop(void **state) {
  (void)state;
  tree t;
  tree_new(&t);
  put(&t, "a/f.js", "1");
  mklink(&t, "..", "a/up");     /* to its parent: a cycle */
  mklink(&t, ".", "a/self");    /* to itself */
  mklink(&t, "l2.js", "l1.js"); /* l1 -> l2 -> l1 */
  mklink(&t, "l1.js", "l2.js");
  mklink(&t, "missing.js", "dead.js");
  mklink(&t, "missing.zip", "dead.zip"); /* not source: nothing to report */
  mklink(&t, "l4", "l3");
  mklink(&t, "l3", "l4");
  result r;
  run1(&r, &t, NULL);
  assert_scanned(&r, "a/f.js");
  assert_skip(&r, "a/up", RL_SKIP_SYMLINK_LOOP, "a/up");
  assert_skip(&r, "a/self", RL_SKIP_SYMLINK_LOOP, "a/self");
  assert_skip(&r, "l1.js", RL_SKIP_SYMLINK_LOOP, "loop");
  assert_skip(&r, "l2.js", RL_SKIP_SYMLINK_LOOP, "loop");
  assert_skip(&r, "dead.js", RL_SKIP_SYMLINK_LOOP, "dangling");
  assert_non_null(strstr(find(&r, "dead.js")->detail, "missing.js"));
  assert_int_equal(r.total, 6);
  result_free(&r);
  tree_free(&t);
}

static void walk__symlink_out_of_root(void **state) {
  (void)state;
  tree t, outside;
  tree_new(&t);
  tree_new(&outside);
  put(&outside, "secret.js", "1");
  put(&outside, "notes.txt", "1");
  put(&t, "a.js", "1");
  mklink(&t, outside.dir, "ext");                  /* a directory outside */
  mklink(&t, at(&outside, "secret.js"), "ext.js"); /* a file outside */
  mklink(&t, at(&outside, "notes.txt"), "notes");  /* not source: passed over */
  mklink(&t, "/dev/null", "null.service");         /* likewise */
  mklink(&t, "/dev/null", "null.js");
  char rel[PATH_MAX];
  snprintf(rel, sizeof rel, "../../%s/secret.js", strrchr(outside.dir, '/') + 1);
  mklink(&t, rel, "sub/rel.js"); /* relative, climbing out */
  result r;
  run1(&r, &t, NULL);
  assert_scanned(&r, "a.js");
  assert_skip(&r, "ext", RL_SKIP_SYMLINK_OUT, "/ext");
  assert_skip(&r, "ext.js", RL_SKIP_SYMLINK_OUT, "/ext.js");
  assert_skip(&r, "sub/rel.js", RL_SKIP_SYMLINK_OUT, "sub/rel.js");
  assert_null(find(&r, "ext/secret.js"));
  assert_null(find(&r, "notes"));
  assert_skip(&r, "null.js", RL_SKIP_SYMLINK_OUT, "null.js");
  assert_int_equal(r.total, 5);
  result_free(&r);
  tree_free(&t);
  tree_free(&outside);
}

static void walk__symlink_inside_passed_over(void **state) {
  (void)state;
  tree t;
  tree_new(&t);
  put(&t, "src/real.js", "1");
  mklink(&t, "src/real.js", "link.js");
  mklink(&t, "src", "lnkdir"); /* sorts before its target */
  mklink(&t, "src", "zlink");  /* sorts after it */
  mklink(&t, "../src/real.js", "deep/up.ts.js");
  result r;
  run1(&r, &t, NULL);
  /* each file once, under its own path: no finding is reported twice */
  assert_scanned(&r, "src/real.js");
  assert_int_equal(r.total, 1);
  assert_true(has_ignored(&r, "/lnkdir: symlink to "));
  assert_true(has_ignored(&r, "/src, scanned at its own path"));
  assert_true(has_ignored(&r, "/zlink: symlink to "));
  assert_true(has_ignored(&r, "/link.js: symlink to "));
  assert_true(has_ignored(&r, "/deep/up.ts.js: symlink to "));
  result_free(&r);
  tree_free(&t);
}

static void walk__explicit_files(void **state) {
  (void)state;
  tree t;
  tree_new(&t);
  put(&t, "README.md", "x");
  put(&t, "a.ts", "1");
  put(&t, ".env.local", "A=1");
  put(&t, ".gitignore", "ignored.js\n");
  put(&t, "ignored.js", "1");
  put(&t, "node_modules/m.js", "1");
  put(&t, "dir/b.js", "1");
  const char *paths[] = {at(&t, "README.md"),         at(&t, "a.ts"), at(&t, ".env.local"), at(&t, "ignored.js"),
                         at(&t, "node_modules/m.js"), at(&t, "dir")};
  char strip[PATH_MAX + 1];
  snprintf(strip, sizeof strip, "%s/", t.dir);
  result r;
  run(&r, paths, RL_ARRAY_LEN(paths), NULL, strip);
  assert_int_equal(r.total, 6);
  assert_string_equal(r.e[0].display, "README.md");
  assert_int_equal(r.e[0].skip, RL_SKIP_NOT_SOURCE);
  assert_true(r.e[0].is_explicit);
  assert_string_equal(r.e[1].display, "a.ts");
  assert_int_equal(r.e[1].skip, RL_SKIP_NONE);
  assert_int_equal(r.e[1].lang, RL_LANG_TS);
  assert_true(r.e[1].is_explicit);
  assert_int_equal(r.e[2].lang, RL_LANG_DOTENV);
  assert_int_equal(r.e[2].skip, RL_SKIP_NONE);
  /* named files are scanned even where a walk would not look */
  assert_string_equal(r.e[3].display, "ignored.js");
  assert_int_equal(r.e[3].skip, RL_SKIP_NONE);
  assert_string_equal(r.e[4].display, "node_modules/m.js");
  assert_int_equal(r.e[4].skip, RL_SKIP_NONE);
  assert_string_equal(r.e[5].display, "dir/b.js");
  assert_false(r.e[5].is_explicit);
  result_free(&r);
  tree_free(&t);
}

static void walk__nonexistent_path(void **state) {
  (void)state;
  tree t;
  tree_new(&t);
  put(&t, "a.js", "1");
  const char *paths[] = {at(&t, "a.js"), at(&t, "no-such-dir")};
  rl_walk *w = (rl_walk *)&t; /* must be reset to NULL */
  assert_int_equal(rl_walk_new(&w, paths, 2, NULL), RL_EIO);
  assert_null(w);
  assert_non_null(strstr(rl_error_last(), "no-such-dir"));
  rl_walk_free(NULL);
  tree_free(&t);
}

static void walk__sorted_order(void **state) {
  (void)state;
  tree t;
  tree_new(&t);
  const char *files[] = {"b.js", "B.js",     "a.ts",   "_.js",        "ab/x.js", "a/z.js",
                         "a.js", "a/y/q.js", "a/Y.js", "\xc3\xa9.js", "~.js"};
  for (size_t i = 0; i < RL_ARRAY_LEN(files); i++) put(&t, files[i], "1");
  result r;
  run1(&r, &t, NULL);
  /* byte-wise names, each directory's entries in turn, depth first */
  assert_scanned(&r, "B.js _.js a/Y.js a/y/q.js a/z.js a.js a.ts ab/x.js b.js ~.js \xc3\xa9.js");
  result_free(&r);
  tree_free(&t);
}

static void walk__many_files(void **state) {
  (void)state;
  tree t;
  tree_new(&t);
  mkdirs(&t, "big", 1);
  char rel[64];
  for (int i = 0; i < 10000; i++) {
    snprintf(rel, sizeof rel, "big/f%05d.js", 9999 - i);
    put(&t, rel, "");
  }
  for (int i = 0; i < 100; i++) {
    snprintf(rel, sizeof rel, "big/n%03d.txt", i);
    put(&t, rel, "");
  }
  result r;
  run1(&r, &t, NULL);
  assert_int_equal(r.total, 10000);
  assert_string_equal(r.e[0].display, "big/f00000.js");
  assert_string_equal(r.e[63].display, "big/f00063.js");
  result_free(&r);
  tree_free(&t);
}

static void walk__display_paths(void **state) {
  (void)state;
  tree t;
  tree_new(&t);
  put(&t, "app/src/a.js", "1");
  char cwd[PATH_MAX];
  assert_non_null(getcwd(cwd, sizeof cwd));
  assert_int_equal(chdir(t.dir), 0);
  static const struct {
    const char *given, *display;
  } cases[] = {
      {".", "app/src/a.js"},       {"./", "app/src/a.js"},           {"app", "app/src/a.js"},
      {"./app", "app/src/a.js"},   {"app/", "app/src/a.js"},         {".//app//", "app/src/a.js"},
      {"app/src", "app/src/a.js"}, {"app/src/a.js", "app/src/a.js"},
  };
  for (size_t i = 0; i < RL_ARRAY_LEN(cases); i++) {
    result r;
    const char *paths[] = {cases[i].given};
    run(&r, paths, 1, NULL, NULL);
    assert_int_equal(r.total, 1);
    assert_string_equal(r.e[0].display, cases[i].display);
    result_free(&r);
  }
  {
    result r;
    const char *paths[] = {t.dir};
    run(&r, paths, 1, NULL, NULL);
    assert_int_equal(r.total, 1);
    assert_string_equal(r.e[0].display, at(&t, "app/src/a.js"));
    result_free(&r);
  }
  assert_int_equal(chdir(cwd), 0);
  tree_free(&t);
}

static void walk__parent_gitignore(void **state) {
  (void)state;
  tree t;
  tree_new(&t);
  mkdirs(&t, "repo/.git", 1);
  put(&t, "repo/.gitignore", "*.gen.js\nsub/skipme/\n");
  put(&t, "repo/sub/.gitignore", "/local.js\n");
  put(&t, "repo/sub/a.gen.js", "1");
  put(&t, "repo/sub/skipme/x.js", "1");
  put(&t, "repo/sub/inner/skipme/y.js", "1"); /* sub/skipme/ is anchored at the top */
  put(&t, "repo/sub/ok.js", "1");
  put(&t, "repo/sub/local.js", "1");
  put(&t, "plain/.gitignore", "*.gen.js\n"); /* no work tree: not consulted below */
  put(&t, "plain/sub/a.gen.js", "1");
  char strip[PATH_MAX + 1];
  snprintf(strip, sizeof strip, "%s/", t.dir);
  result r;
  const char *paths[] = {at(&t, "repo/sub")};
  run(&r, paths, 1, NULL, strip);
  assert_scanned(&r, "repo/sub/inner/skipme/y.js repo/sub/ok.js");
  result_free(&r);

  const char *paths2[] = {at(&t, "plain/sub")};
  run(&r, paths2, 1, NULL, strip);
  assert_scanned(&r, "plain/sub/a.gen.js");
  result_free(&r);

  /* a .git file (worktrees, submodules) marks a work tree too */
  rmdir(at(&t, "repo/.git"));
  put(&t, "repo/.git", "gitdir: elsewhere\n");
  run(&r, paths, 1, NULL, strip);
  assert_scanned(&r, "repo/sub/inner/skipme/y.js repo/sub/ok.js");
  result_free(&r);
  tree_free(&t);
}

static void walk__unreadable_directory(void **state) {
  (void)state;
  if (geteuid() == 0) skip(); /* root reads everything */
  tree t;
  tree_new(&t);
  put(&t, "a.js", "1");
  put(&t, "locked/b.js", "1");
  assert_int_equal(chmod(at(&t, "locked"), 0), 0);
  result r;
  run1(&r, &t, NULL);
  assert_scanned(&r, "a.js");
  assert_skip(&r, "locked", RL_SKIP_UNREADABLE, "locked");
  result_free(&r);
  tree_free(&t);
}

static void walk__several_paths(void **state) {
  (void)state;
  tree t;
  tree_new(&t);
  put(&t, "z.js", "1");
  put(&t, "d/a.js", "1");
  put(&t, "d/.env", "A=1");
  put(&t, "d/.env.example", "A=1");
  put(&t, "d/types.d.ts", "1");
  put(&t, "d/v.tsx", "1");
  put(&t, "d/m.mjs", "1");
  put(&t, "d/style.css", "1");
  char strip[PATH_MAX + 1];
  snprintf(strip, sizeof strip, "%s/", t.dir);
  const char *paths[] = {at(&t, "z.js"), at(&t, "d")};
  result r;
  run(&r, paths, 2, NULL, strip);
  /* in the order given; only known languages from the walk */
  assert_scanned(&r, "z.js d/.env d/.env.example d/a.js d/m.mjs d/types.d.ts d/v.tsx");
  assert_int_equal(find(&r, "d/.env.example")->lang, RL_LANG_DOTENV);
  assert_int_equal(find(&r, "d/types.d.ts")->lang, RL_LANG_TS);
  assert_int_equal(find(&r, "d/v.tsx")->lang, RL_LANG_TSX);
  result_free(&r);
  tree_free(&t);
}

/* Deep nesting is walked with an explicit stack, not recursion. */
static void walk__deep_nesting(void **state) {
  (void)state;
  tree t;
  tree_new(&t);
  char cwd[PATH_MAX];
  assert_non_null(getcwd(cwd, sizeof cwd));
  assert_int_equal(chdir(t.dir), 0);
  int depth = 300;
  for (int i = 0; i < depth; i++) {
    assert_int_equal(mkdir("d", 0755), 0);
    assert_int_equal(chdir("d"), 0);
  }
  FILE *f = fopen("deep.js", "w");
  assert_non_null(f);
  fclose(f);
  assert_int_equal(chdir(t.dir), 0);
  result r;
  const char *paths[] = {"."};
  run(&r, paths, 1, NULL, NULL);
  assert_int_equal(r.total, 1);
  assert_int_equal(strlen(r.e[0].display), (size_t)depth * 2 + strlen("deep.js"));
  result_free(&r);
  assert_int_equal(chdir(cwd), 0);
  tree_free(&t);
}

/* Out of descriptors in the middle of a walk: rl_walk_next fails (the run
 * exits 2), it does not report a subdirectory as unreadable and go on, and
 * rl_file_read leaves EMFILE in errno for the engine to fail on (issue 16). */
static void walk__out_of_descriptors_is_fatal(void **state) {
  (void)state;
  tree t;
  tree_new(&t);
  put(&t, "a.js", "1");
  put(&t, "sub/b.js", "1");
  rl_walk *w = NULL;
  const char *paths[] = {t.dir};
  assert_int_equal(rl_walk_new(&w, paths, 1, NULL), 0);
  struct rlimit old, low;
  assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
  low = old;
  low.rlim_cur = 64;
  assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
  int fds[64], n = 0;
  while (n < (int)RL_ARRAY_LEN(fds)) {
    int fd = dup(0);
    if (fd < 0) break;
    fds[n++] = fd;
  }
  assert_int_equal(errno, EMFILE);
  rl_walk_entry e;
  int rc = 1, yielded_sub = 0;
  while (rc > 0) {
    rc = rl_walk_next(w, &e);
    if (rc > 0 && strstr(e.display, "sub")) yielded_sub = 1;
  }
  char *bytes = NULL;
  size_t len = 0;
  rl_skip s = rl_file_read(at(&t, "a.js"), 1024, &bytes, &len);
  int err = errno;
  while (n > 0) close(fds[--n]);
  assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
  assert_true(rc < 0);
  assert_false(yielded_sub);
  assert_non_null(strstr(rl_error_last(), "Too many open files"));
  assert_int_equal(s, RL_SKIP_UNREADABLE);
  assert_true(rl_errno_is_exhaustion(err));
  rl_walk_free(w);
  tree_free(&t);
}

/* rl_file_read reads a file in one read when fstat's size is right (it
 * asks for a byte more and stops on the short read), and still gets every
 * byte at the sizes around its 8 KiB binary probe, of an empty file, and of
 * one at the size limit; a NUL in the first 8 KiB refuses it, one after
 * them does not, and one byte over the limit is too large. */
static void walk__file_read_sizes(void **state) {
  (void)state;
  tree t;
  tree_new(&t);
  const size_t sizes[] = {0, 1, 2, 8190, 8191, 8192, 8193, 8194, 16384, 16385, 100000};
  for (size_t i = 0; i < RL_ARRAY_LEN(sizes); i++) {
    size_t n = sizes[i];
    char *text = malloc(n + 1);
    assert_non_null(text);
    for (size_t k = 0; k < n; k++) text[k] = (char)('a' + (k * 7 + i) % 26);
    text[n] = '\0';
    put(&t, "f.js", text);
    for (int limit = 0; limit < 3; limit++) {
      size_t max = limit == 0 ? n + 100 : limit == 1 ? n : (n ? n - 1 : 0);
      char *bytes = NULL;
      size_t len = 99;
      rl_skip s = rl_file_read(at(&t, "f.js"), max, &bytes, &len);
      if (limit == 2 && n > 0) {
        assert_int_equal(s, RL_SKIP_TOO_LARGE);
        assert_null(bytes);
        continue;
      }
      assert_int_equal(s, RL_SKIP_NONE);
      assert_int_equal(len, n);
      assert_memory_equal(bytes, text, n);
      assert_int_equal(bytes[n], '\0');
      free(bytes);
    }
    if (n >= 2) {
      char *bin = malloc(n);
      assert_non_null(bin);
      memcpy(bin, text, n);
      size_t nul = n > 8192 ? 8191 : n - 1; /* the probe's last byte */
      bin[nul] = '\0';
      FILE *f = fopen(at(&t, "f.js"), "wb");
      assert_non_null(f);
      assert_int_equal(fwrite(bin, 1, n, f), n);
      fclose(f);
      char *bytes = NULL;
      size_t len = 0;
      assert_int_equal(rl_file_read(at(&t, "f.js"), n + 1, &bytes, &len), RL_SKIP_BINARY);
      if (n > 8193) { /* past the probe: text with a NUL is read */
        bin[nul] = 'x';
        bin[8193] = '\0';
        f = fopen(at(&t, "f.js"), "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(bin, 1, n, f), n);
        fclose(f);
        assert_int_equal(rl_file_read(at(&t, "f.js"), n + 1, &bytes, &len), RL_SKIP_NONE);
        assert_int_equal(len, n);
        assert_memory_equal(bytes, bin, n);
        free(bytes);
      }
      free(bin);
    }
    free(text);
  }
  tree_free(&t);
}

/* A name the walk saw as a regular file, swapped for a link to a secret
 * outside the root (or for another file) before it is read: the read refuses
 * it and the secret is never read (issue 16). The swap happens between the
 * walk and the read, as a racing attacker's would. */
static void walk__swapped_file_is_not_read(void **state) {
  (void)state;
  tree t, outside;
  tree_new(&t);
  tree_new(&outside);
  put(&t, "a.js", "const x = 1;\n");
  put(&outside, "secret.js", "OUTSIDE-SECRET\n");
  for (int swap = 0; swap < 2; swap++) {
    put(&t, "a.js", "const x = 1;\n");
    rl_walk *w = NULL;
    const char *paths[] = {t.dir};
    assert_int_equal(rl_walk_new(&w, paths, 1, NULL), 0);
    rl_walk_entry e;
    assert_int_equal(rl_walk_next(w, &e), 1);
    assert_non_null(strstr(e.display, "a.js"));
    assert_true(e.id.known);
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s", at(&t, "a.js"));
    char moved[PATH_MAX + 8];
    snprintf(moved, sizeof moved, "%s.new", path);
    if (swap == 0) {
      assert_int_equal(unlink(path), 0);
      assert_int_equal(symlink(at(&outside, "secret.js"), path), 0);
    } else {
      /* another regular file renamed over the name: a new inode */
      FILE *f = fopen(moved, "w");
      assert_non_null(f);
      fputs("OUTSIDE-SECRET\n", f);
      fclose(f);
      assert_int_equal(rename(moved, path), 0);
    }
    char *bytes = NULL;
    size_t len = 0;
    rl_skip s = rl_file_read_as(e.fs_path, &e.id, 1024, &bytes, &len);
    assert_int_equal(s, RL_SKIP_UNREADABLE);
    assert_null(bytes);
    assert_non_null(strstr(rl_error_last(), "during the scan"));
    rl_walk_free(w);
    unlink(path);
  }
  tree_free(&t);
  tree_free(&outside);
}

/* One judge asked about every file of a tree, in an order unlike the walk's,
 * agrees with the walk: a file is left out exactly when the walk does not
 * yield it (ignore files at several levels, negations, a default directory,
 * --ignore patterns), and a second judge that has seen the tree already
 * answers the same. */
static void walk__judge_agrees_with_walk(void **state) {
  (void)state;
  tree t;
  tree_new(&t);
  static const char *const files[] = {
      "a.js",          "gen/x.gen.js", "src/b.js",          "src/x.gen.js",    "src/keep.gen.js",
      "src/tmp/c.js",  "tmp/d.js",     "src/deep/e/f.js",   "src/deep/e/g.js", "node_modules/m/i.js",
      "lib/secret.js", "lib/h.js",     "lib/sub/secret.js", "vendor/v.js",     "other/o.js",
  };
  for (size_t i = 0; i < RL_ARRAY_LEN(files); i++) put(&t, files[i], "x\n");
  put(&t, ".gitignore", "*.gen.js\ntmp/\n");
  put(&t, "src/.roomlintignore", "!keep.gen.js\ndeep/e/g.js\n");
  put(&t, "lib/.gitignore", "secret.js\n");
  const char *extra[] = {"other/", NULL};
  rl_walk_options o = {0};
  o.extra_ignores = extra;
  result r;
  run1(&r, &t, &o);
  rl_walk_judge *j;
  assert_int_equal(rl_walk_judge_new(&j, &o), 0);
  for (int pass = 0; pass < 2; pass++) {
    for (size_t k = RL_ARRAY_LEN(files); k-- > 0;) { /* backwards: not the walk's order */
      const got *g = find(&r, files[k]);
      int yielded = g && g->skip == RL_SKIP_NONE;
      char *why = NULL;
      int ig = rl_walk_judge_path(j, at(&t, files[k]), t.dir, &why);
      if (ig == yielded)
        printf("%s: judge says %d (%s), walk %s it\n", files[k], ig, why ? why : "", yielded ? "yields" : "leaves out");
      assert_int_equal(ig, !yielded);
      assert_true(ig ? why != NULL : why == NULL);
      char *why1 = NULL;
      assert_int_equal(rl_walk_path_ignored(at(&t, files[k]), t.dir, &o, &why1), ig);
      if (ig) assert_string_equal(why, why1);
      free(why);
      free(why1);
      char *real = rl_walk_judge_realpath(j, at(&t, files[k]));
      assert_non_null(real);
      assert_string_equal(real, at(&t, files[k]));
      free(real);
    }
  }
  assert_null(rl_walk_judge_realpath(j, at(&t, "src/missing.js")));
  rl_walk_judge_free(j);
  result_free(&r);
  tree_free(&t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(walk__default_ignores),
      cmocka_unit_test(walk__gitignore_nested_negation),
      cmocka_unit_test(walk__roomlintignore),
      cmocka_unit_test(walk__no_ignore),
      cmocka_unit_test(walk__extra_ignores),
      cmocka_unit_test(walk__judge_agrees_with_walk),
      cmocka_unit_test(walk__fifo_is_special),
      cmocka_unit_test(walk__socket_is_special),
      cmocka_unit_test(walk__symlink_loop),
      cmocka_unit_test(walk__symlink_out_of_root),
      cmocka_unit_test(walk__symlink_inside_passed_over),
      cmocka_unit_test(walk__explicit_files),
      cmocka_unit_test(walk__nonexistent_path),
      cmocka_unit_test(walk__sorted_order),
      cmocka_unit_test(walk__many_files),
      cmocka_unit_test(walk__display_paths),
      cmocka_unit_test(walk__parent_gitignore),
      cmocka_unit_test(walk__unreadable_directory),
      cmocka_unit_test(walk__several_paths),
      cmocka_unit_test(walk__deep_nesting),
      cmocka_unit_test(walk__out_of_descriptors_is_fatal),
      cmocka_unit_test(walk__file_read_sizes),
      cmocka_unit_test(walk__swapped_file_is_not_read),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
