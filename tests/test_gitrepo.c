/* src/gitrepo.c over repositories the tests build with the git CLI. */
#include "rltest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gitrepo.h"
#include "util.h"

static char g_dir[64];

/* Runs a shell command in the test repository; fails the test if it fails. */
static void sh(const char *cmd) {
  rl_buf b = {0};
  rl_buf_printf(&b,
                "cd '%s' && export GIT_CONFIG_NOSYSTEM=1 HOME='%s' GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t.invalid "
                "GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t.invalid && %s >/dev/null 2>&1",
                g_dir, g_dir, cmd);
  int rc = system(b.ptr);
  rl_buf_free(&b);
  assert_int_equal(rc, 0);
}

static int setup(void **state) {
  (void)state;
  snprintf(g_dir, sizeof g_dir, "/tmp/rl-gitrepo-XXXXXX");
  assert_non_null(mkdtemp(g_dir));
  sh("git init -q -b main . && mkdir -p a ab && printf 'one\\n' > a/b.js && printf 'x\\n' > ab.js && "
     "git add a/b.js ab.js && git commit -qm one");
  return 0;
}

static int teardown(void **state) {
  (void)state;
  rl_buf b = {0};
  rl_buf_printf(&b, "rm -rf '%s'", g_dir);
  int rc = system(b.ptr);
  rl_buf_free(&b);
  return rc == 0 ? 0 : -1;
}

static void gitrepo__outside_a_repository(void **state) {
  (void)state;
  char dir[] = "/tmp/rl-nogit-XXXXXX";
  assert_non_null(mkdtemp(dir));
  rl_gitrepo *g = (rl_gitrepo *)1;
  assert_int_equal(rl_gitrepo_open(&g, dir), RL_ENOTFOUND);
  assert_null(g);
  rmdir(dir);
  rl_gitrepo_free(NULL);
}

static void gitrepo__tracked_paths(void **state) {
  (void)state;
  rl_gitrepo *g = NULL;
  assert_int_equal(rl_gitrepo_open(&g, g_dir), 0);
  assert_int_equal(rl_gitrepo_tracked(g, "a/b.js"), 1);
  assert_int_equal(rl_gitrepo_tracked(g, "a/c.js"), 0);
  assert_int_equal(rl_gitrepo_tracked(g, "a"), 0); /* a directory is not a tracked path */
  assert_int_equal(rl_gitrepo_tracked_below(g, "a"), 1);
  /* "ab.js" sorts between "a/..." and "ab/...": a prefix is not a parent */
  assert_int_equal(rl_gitrepo_tracked_below(g, "ab"), 0);
  assert_int_equal(rl_gitrepo_tracked_below(g, "a/b.js"), 0);
  rl_gitrepo_free(g);
}

static void gitrepo__index_and_tree_differ(void **state) {
  (void)state;
  sh("printf 'two\\n' > a/b.js && git add a/b.js && printf 'three\\n' > a/b.js");
  rl_gitrepo *g = NULL;
  assert_int_equal(rl_gitrepo_open(&g, g_dir), 0);
  int present = 0;
  char *bytes = NULL;
  size_t len = 0;
  assert_int_equal(rl_gitrepo_read(g, RL_GIT_INDEX, "a/b.js", 1024, &present, &bytes, &len), RL_SKIP_NONE);
  assert_int_equal(present, 1);
  assert_string_equal(bytes, "two\n");
  free(bytes);
  bytes = NULL;
  assert_int_equal(rl_gitrepo_use_rev(g, "HEAD"), 0);
  assert_int_equal(rl_gitrepo_read(g, RL_GIT_TREE, "a/b.js", 1024, &present, &bytes, &len), RL_SKIP_NONE);
  assert_string_equal(bytes, "one\n");
  free(bytes);
  bytes = NULL;
  assert_int_equal(rl_gitrepo_read(g, RL_GIT_TREE, "a/b.js", 2, &present, &bytes, &len), RL_SKIP_TOO_LARGE);
  assert_null(bytes);
  assert_int_equal(rl_gitrepo_read(g, RL_GIT_TREE, "nope.js", 1024, &present, &bytes, &len), RL_SKIP_NONE);
  assert_int_equal(present, 0);
  assert_int_equal(rl_gitrepo_use_rev(g, "no-such-ref"), RL_EUSAGE);
  assert_non_null(strstr(rl_error_last(), "'no-such-ref' is not a commit"));
  rl_gitrepo_free(g);
  sh("git checkout -q -- a/b.js && git reset -q");
}

typedef struct seen {
  char paths[16][64];
  char commits[16][41];
  int at_head[16];
  size_t n;
} seen;

static int collect(void *data, const rl_git_blob *b) {
  seen *s = data;
  assert_true(s->n < 16);
  snprintf(s->paths[s->n], sizeof s->paths[0], "%s", b->path);
  snprintf(s->commits[s->n], sizeof s->commits[0], "%s", b->commit);
  s->at_head[s->n] = b->at_head;
  s->n++;
  return 0;
}

static int want_js(void *data, const char *path) {
  (void)data;
  size_t n = strlen(path);
  return n > 3 && strcmp(path + n - 3, ".js") == 0;
}

static void gitrepo__history_hands_each_blob_once(void **state) {
  (void)state;
  /* c.js added, then renamed to d.js (same blob), a README never wanted */
  sh("printf 'c\\n' > c.js && printf 'doc\\n' > README && git add c.js README && git commit -qm two && "
     "git mv c.js d.js && git commit -qm three");
  rl_gitrepo *g = NULL;
  assert_int_equal(rl_gitrepo_open(&g, g_dir), 0);
  seen s;
  memset(&s, 0, sizeof s);
  rl_git_history_stats st;
  assert_int_equal(rl_gitrepo_history(g, NULL, 1 << 20, want_js, collect, &s, &st), 0);
  assert_int_equal(st.commits, 3);
  assert_int_equal(s.n, 3); /* a/b.js, ab.js, c.js: the renamed blob once, at its first path */
  int found_c = 0;
  for (size_t i = 0; i < s.n; i++) {
    assert_string_not_equal(s.paths[i], "README");
    assert_string_not_equal(s.paths[i], "d.js");
    if (strcmp(s.paths[i], "c.js") == 0) {
      found_c = 1;
      assert_int_equal(s.at_head[i], 1); /* HEAD holds the blob, at d.js */
    }
  }
  assert_true(found_c);
  assert_int_equal(st.binary + st.too_large + st.unreadable + st.shallow, 0);
  assert_int_equal(strlen(st.head), 40);
  /* a range: only what HEAD~1..HEAD adds (a rename adds no blob) */
  memset(&s, 0, sizeof s);
  assert_int_equal(rl_gitrepo_history(g, "HEAD~1..HEAD", 1 << 20, want_js, collect, &s, &st), 0);
  assert_int_equal(st.commits, 1);
  assert_int_equal(s.n, 0);
  assert_int_equal(rl_gitrepo_history(g, "nope..HEAD", 1 << 20, want_js, collect, &s, &st), RL_EUSAGE);
  rl_gitrepo_free(g);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(gitrepo__outside_a_repository),
      cmocka_unit_test(gitrepo__tracked_paths),
      cmocka_unit_test(gitrepo__index_and_tree_differ),
      cmocka_unit_test(gitrepo__history_hands_each_blob_once),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
