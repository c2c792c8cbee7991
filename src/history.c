#include "history.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gitrepo.h"
#include "ignore.h"
#include "util.h"

/* A set of 64-bit hashes (fingerprints, secret keys): open addressing; 0
 * stands for "empty", so a hash of 0 is stored as 1. */
typedef struct u64_set {
  uint64_t *v;
  size_t cap, n;
} u64_set;

static int u64_set_add(u64_set *s, uint64_t x) {
  if (!x) x = 1;
  if ((s->n + 1) * 2 > s->cap) {
    u64_set old = *s;
    s->cap = old.cap ? old.cap * 2 : 256;
    s->v = rl_xcalloc(s->cap, sizeof *s->v);
    s->n = 0;
    for (size_t i = 0; i < old.cap; i++)
      if (old.v[i]) u64_set_add(s, old.v[i]);
    free(old.v);
  }
  size_t i = (size_t)(x * 0x9E3779B97F4A7C15ull) & (s->cap - 1);
  while (s->v[i]) {
    if (s->v[i] == x) return 0;
    i = (i + 1) & (s->cap - 1);
  }
  s->v[i] = x;
  s->n++;
  return 1;
}

static int u64_set_has(const u64_set *s, uint64_t x) {
  if (!x) x = 1;
  if (!s->cap) return 0;
  for (size_t i = (size_t)(x * 0x9E3779B97F4A7C15ull) & (s->cap - 1); s->v[i]; i = (i + 1) & (s->cap - 1))
    if (s->v[i] == x) return 1;
  return 0;
}

typedef struct hstate {
  rl_engine *e;
  rl_file_result **kept; /* results with something to report, in walk order */
  size_t nkept, cap;
  u64_set reported;  /* fingerprints already reported */
  u64_set head_keys; /* the secrets (rule + masked line) of HEAD's blobs */
  size_t clean;      /* scanned blobs with nothing to report */
  size_t repeats;    /* findings seen again in a later version of a file */
  rl_ignore *user;   /* the config's ignore: and the root .roomlintignore, or NULL */
} hstate;

/* A finding's secret wherever the file is: its rule and masked line,
 * whitespace aside (the fingerprint without the path). */
static uint64_t secret_key(const rl_finding *f) {
  uint64_t h = rl_hash64(f->rule->id, strlen(f->rule->id), 0);
  for (const char *p = f->snippet; p && *p; p++)
    if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n') h = rl_hash64(p, 1, h);
  return h;
}

/* A blob path roomlint would scan: a known language, and neither it nor a
 * directory above it ignored by the user's own lists (git's ignore rules
 * speak for untracked files; every blob here was committed). */
static int want(void *data, const char *path) {
  const hstate *h = data;
  if (rl_lang_for_path(path) == RL_LANG_NONE) return 0;
  if (!h->user) return 1;
  char dir[4096];
  for (const char *p = strchr(path, '/'); p; p = strchr(p + 1, '/')) {
    size_t n = (size_t)(p - path);
    if (n >= sizeof dir) break;
    memcpy(dir, path, n);
    dir[n] = '\0';
    if (rl_ignore_match(h->user, dir, 1) > 0) return 0;
  }
  return rl_ignore_match(h->user, path, 0) <= 0;
}

/* The config's globs first, then the root .roomlintignore (read from the
 * work tree), as one list; NULL if there is neither. */
static rl_ignore *user_ignores(const rl_gitrepo *g, const char *const *globs) {
  rl_buf text = {0};
  for (size_t i = 0; globs && globs[i]; i++) {
    rl_buf_puts(&text, globs[i]);
    rl_buf_putc(&text, '\n');
  }
  const char *wd = rl_gitrepo_workdir(g);
  if (wd) {
    rl_buf p = {0};
    rl_buf_printf(&p, "%s/.roomlintignore", wd);
    char *bytes = NULL;
    size_t len = 0;
    if (rl_file_read(p.ptr, 4u << 20, &bytes, &len) == RL_SKIP_NONE) rl_buf_put(&text, bytes, len);
    free(bytes);
    rl_buf_free(&p);
  }
  rl_ignore *ig = text.len ? rl_ignore_new("", text.ptr, text.len) : NULL;
  rl_buf_free(&text);
  return ig;
}

static int on_blob(void *data, const rl_git_blob *b) {
  hstate *h = data;
  rl_file_result *r;
  if (b->skip != RL_SKIP_NONE) {
    r = rl_engine_result_new(b->path);
    rl_engine_mark_skipped(h->e, r, b->skip, b->detail);
  } else {
    r = rl_engine_scan_text(h->e, b->path, b->bytes, b->len);
  }
  r->commit = rl_arena_strdup(r->arena, b->commit);
  r->commit_time = b->time;
  size_t w = 0;
  for (size_t i = 0; i < r->nfindings; i++) {
    const rl_finding *f = &r->findings[i];
    if (b->at_head) u64_set_add(&h->head_keys, secret_key(f));
    if (!u64_set_add(&h->reported, strtoull(f->fingerprint, NULL, 16))) {
      h->repeats++;
      continue;
    }
    r->findings[w++] = *f;
  }
  r->nfindings = w;
  if (r->skip == RL_SKIP_NONE && r->nfindings == 0 && r->nnotes == 0) {
    h->clean++;
    rl_file_result_free(r);
    return 0;
  }
  if (h->nkept == h->cap) {
    h->cap = h->cap ? h->cap * 2 : 64;
    h->kept = rl_xreallocarray(h->kept, h->cap, sizeof *h->kept);
  }
  h->kept[h->nkept++] = r;
  return 0;
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int rl_history_scan(rl_engine *e, const char *path, const char *range, const char *const *ignores, int no_ignore,
                    rl_sink *sink, rl_run_info *run, rl_summary *sum) {
  double t0 = now_seconds();
  memset(sum, 0, sizeof *sum);
  rl_engine_run_info(e, run);
  rl_gitrepo *g = NULL;
  int rc = rl_gitrepo_open(&g, path);
  if (rc < 0) {
    if (rc == RL_ENOTFOUND) rc = RL_EUSAGE;
    return rc;
  }
  hstate h;
  memset(&h, 0, sizeof h);
  h.e = e;
  h.user = no_ignore ? NULL : user_ignores(g, ignores);
  rl_git_history_stats st;
  char *uri = NULL, *branch = NULL;
  rc = rl_gitrepo_history(g, range, rl_engine_max_file_size(e), want, on_blob, &h, &st);
  if (rc < 0) goto cleanup;
  /* The report is written once the walk is over: whether HEAD still holds
   * a secret is known only then. */
  uri = rl_gitrepo_uri(g);
  branch = rl_gitrepo_branch(g);
  run->vcs_uri = uri;
  run->vcs_revision = st.head[0] ? st.head : NULL;
  run->vcs_branch = branch;
  if (sink->begin(sink, run) < 0) {
    rl_error_set("could not write the report");
    rc = RL_EIO;
    goto cleanup;
  }
  int wrc = 0;
  for (size_t i = 0; i < h.nkept; i++) {
    rl_file_result *r = h.kept[i];
    for (size_t k = 0; k < r->nfindings; k++)
      r->findings[k].history = u64_set_has(&h.head_keys, secret_key(&r->findings[k])) ? RL_HISTORY_AT_HEAD
                                                                                      : RL_HISTORY_REMOVED;
    rl_summary_count(sum, r, run->fail_on);
    if (wrc == 0 && sink->file(sink, r) < 0) wrc = RL_EIO;
    rl_file_result_free(r);
    h.kept[i] = NULL;
  }
  sum->files_scanned += h.clean;
  sum->seconds = now_seconds() - t0;
  if (wrc < 0 || sink->end(sink, sum) < 0) {
    rl_error_set("could not write the report");
    rc = RL_EIO;
    goto cleanup;
  }
  fprintf(stderr,
          "roomlint: history: %zu commits, %zu distinct blobs (%zu binary and %zu over --max-file-size: "
          "skipped unread); %zu findings repeated in later versions reported once\n",
          st.commits, st.blobs, st.binary, st.too_large, h.repeats);
  if (st.shallow)
    fprintf(stderr,
            "roomlint: history: shallow clone: %zu parent commit%s not in the repository; history before "
            "them was not scanned (git fetch --unshallow)\n",
            st.shallow, st.shallow == 1 ? " is" : "s are");
  if (st.unreadable) {
    rl_error_set("history incomplete: %zu object%s could not be read (%s); the repository may be damaged "
                 "(git fsck)",
                 st.unreadable, st.unreadable == 1 ? "" : "s", st.first_error);
    rc = RL_EIO;
  }
cleanup:
  for (size_t i = 0; i < h.nkept; i++) rl_file_result_free(h.kept[i]);
  free(h.kept);
  free(h.reported.v);
  free(h.head_keys.v);
  free(uri);
  free(branch);
  rl_ignore_free(h.user);
  rl_gitrepo_free(g);
  return rc;
}
