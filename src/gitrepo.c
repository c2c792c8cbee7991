/* Git through libgit2 (see gitrepo.h). The index's paths are copied once at
 * open, sorted, so the walk asks "tracked?" with a binary search and never
 * calls into libgit2 per file. Blobs are read through the object database
 * with their size taken from the object header first, so a blob over the
 * size limit is never inflated. */
#include "gitrepo.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "util.h"

struct rl_gitrepo {
  git_repository *repo;
  git_odb *odb;
  git_index *index;
  char *workdir;
  char **tracked; /* sorted index paths (stage 0 and conflicts alike) */
  size_t ntracked;
  git_tree *tree; /* rl_gitrepo_use_rev */
};

/* The message libgit2 left for the last failed call. */
static const char *git_why(void) {
  const git_error *e = git_error_last();
  return e && e->message ? e->message : "unknown libgit2 error";
}

static int str_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int rl_gitrepo_open(rl_gitrepo **out, const char *dir) {
  *out = NULL;
  git_libgit2_init();
  /* Blobs pass through once: keep none in libgit2's object cache. */
  git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_BLOB, (size_t)0);
  /* Memory follows the largest blob, not the history: a small object cache
   * and bounded pack windows (libgit2's defaults are 256 MiB and 8 GiB). */
  git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)(16 << 20));
  git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)(64 << 20));
  rl_gitrepo *g = rl_xcalloc(1, sizeof *g);
  int rc = git_repository_open_ext(&g->repo, dir, 0, NULL);
  if (rc == GIT_ENOTFOUND) {
    rl_error_set("%s is not inside a git repository", dir);
    rc = RL_ENOTFOUND;
    goto fail;
  }
  if (rc < 0) {
    rl_error_set("cannot open the git repository around %s: %s", dir, git_why());
    rc = RL_EIO;
    goto fail;
  }
  if (git_repository_odb(&g->odb, g->repo) < 0) {
    rl_error_set("cannot open the object database of the git repository around %s: %s", dir, git_why());
    rc = RL_EIO;
    goto fail;
  }
  const char *wd = git_repository_workdir(g->repo);
  if (wd) {
    /* canonical, as the walk compares it with real paths */
    char *real = realpath(wd, NULL);
    size_t n = strlen(real ? real : wd);
    while (n > 1 && (real ? real : wd)[n - 1] == '/') n--;
    g->workdir = rl_xstrndup(real ? real : wd, n);
    free(real);
    if (git_repository_index(&g->index, g->repo) < 0) {
      rl_error_set("cannot read the git index of %s: %s", g->workdir, git_why());
      rc = RL_EIO;
      goto fail;
    }
    size_t n_entries = git_index_entrycount(g->index);
    g->tracked = rl_xcalloc(n_entries ? n_entries : 1, sizeof *g->tracked);
    for (size_t i = 0; i < n_entries; i++) {
      const git_index_entry *e = git_index_get_byindex(g->index, i);
      if (!e) continue;
      /* a conflict lists a path up to three times: keep it once */
      if (g->ntracked && strcmp(g->tracked[g->ntracked - 1], e->path) == 0) continue;
      g->tracked[g->ntracked++] = rl_xstrdup(e->path);
    }
    qsort(g->tracked, g->ntracked, sizeof *g->tracked, str_cmp);
  }
  *out = g;
  return 0;
fail:
  rl_gitrepo_free(g);
  return rc;
}

void rl_gitrepo_free(rl_gitrepo *g) {
  if (!g) return;
  for (size_t i = 0; i < g->ntracked; i++) free(g->tracked[i]);
  free(g->tracked);
  free(g->workdir);
  git_tree_free(g->tree);
  git_index_free(g->index);
  git_odb_free(g->odb);
  git_repository_free(g->repo);
  free(g);
  git_libgit2_shutdown();
}

void rl_gitrepo_hold(void) { git_libgit2_init(); }

void rl_gitrepo_release(void) { git_libgit2_shutdown(); }

const char *rl_gitrepo_workdir(const rl_gitrepo *g) { return g->workdir; }

/* Index of the first tracked path >= key. */
static size_t lower_bound(const rl_gitrepo *g, const char *key) {
  size_t lo = 0, hi = g->ntracked;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(g->tracked[mid], key) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

int rl_gitrepo_tracked(const rl_gitrepo *g, const char *path) {
  size_t i = lower_bound(g, path);
  return i < g->ntracked && strcmp(g->tracked[i], path) == 0;
}

int rl_gitrepo_tracked_below(const rl_gitrepo *g, const char *dir) {
  size_t n = strlen(dir);
  rl_buf b = {0};
  rl_buf_put(&b, dir, n);
  rl_buf_putc(&b, '/');
  size_t i = lower_bound(g, b.ptr);
  int below = i < g->ntracked && strncmp(g->tracked[i], b.ptr, n + 1) == 0;
  rl_buf_free(&b);
  return below;
}

int rl_gitrepo_use_rev(rl_gitrepo *g, const char *rev) {
  git_object *obj = NULL;
  git_tree_free(g->tree);
  g->tree = NULL;
  rl_buf spec = {0};
  rl_buf_printf(&spec, "%s^{tree}", rev);
  int rc = git_revparse_single(&obj, g->repo, spec.ptr);
  rl_buf_free(&spec);
  if (rc < 0) {
    rl_error_set("'%s' is not a commit of this repository: %s", rev, git_why());
    return RL_EUSAGE;
  }
  g->tree = (git_tree *)obj;
  return 0;
}

/* Reads blob oid if it is at most max_size bytes and not binary. */
static rl_skip read_blob(rl_gitrepo *g, const git_oid *oid, size_t max_size, char **out, size_t *len) {
  size_t size = 0;
  git_object_t type;
  if (git_odb_read_header(&size, &type, g->odb, oid) < 0) {
    rl_error_set("object %s could not be read: %s", git_oid_tostr_s(oid), git_why());
    return RL_SKIP_UNREADABLE;
  }
  if (size > max_size) return RL_SKIP_TOO_LARGE;
  git_odb_object *obj = NULL;
  if (git_odb_read(&obj, g->odb, oid) < 0) {
    rl_error_set("object %s could not be read: %s", git_oid_tostr_s(oid), git_why());
    return RL_SKIP_UNREADABLE;
  }
  const char *data = git_odb_object_data(obj);
  size_t n = git_odb_object_size(obj);
  if (memchr(data, '\0', n < 8192 ? n : 8192)) {
    git_odb_object_free(obj);
    return RL_SKIP_BINARY;
  }
  char *copy = rl_xmalloc(n + 1);
  memcpy(copy, data, n);
  copy[n] = '\0';
  git_odb_object_free(obj);
  *out = copy;
  *len = n;
  return RL_SKIP_NONE;
}

rl_skip rl_gitrepo_read(rl_gitrepo *g, rl_git_source src, const char *path, size_t max_size, int *present, char **out,
                        size_t *len) {
  *present = 0;
  git_oid oid;
  if (src == RL_GIT_INDEX) {
    const git_index_entry *e = g->index ? git_index_get_bypath(g->index, path, 0) : NULL;
    if (!e || e->mode == GIT_FILEMODE_COMMIT || e->mode == GIT_FILEMODE_LINK) return RL_SKIP_NONE;
    git_oid_cpy(&oid, &e->id);
  } else {
    git_tree_entry *te = NULL;
    if (!g->tree || git_tree_entry_bypath(&te, g->tree, path) < 0) return RL_SKIP_NONE;
    int is_blob = git_tree_entry_type(te) == GIT_OBJECT_BLOB && git_tree_entry_filemode(te) != GIT_FILEMODE_LINK;
    git_oid_cpy(&oid, git_tree_entry_id(te));
    git_tree_entry_free(te);
    if (!is_blob) return RL_SKIP_NONE;
  }
  *present = 1;
  return read_blob(g, &oid, max_size, out, len);
}

char *rl_gitrepo_uri(const rl_gitrepo *g) {
  /* The config key, not git_remote_lookup: that matches every config entry
   * against a regex, and libgit2 1.5 leaks PCRE2 match data on each miss. */
  git_config *cfg = NULL;
  const char *url = NULL;
  char *uri = NULL;
  if (git_repository_config_snapshot(&cfg, g->repo) == 0 && git_config_get_string(&url, cfg, "remote.origin.url") == 0)
    uri = rl_xstrdup(url);
  git_config_free(cfg);
  if (!uri) {
    rl_buf b = {0};
    rl_buf_printf(&b, "file://%s/", g->workdir ? g->workdir : git_repository_path(g->repo));
    uri = rl_buf_detach(&b);
  }
  return uri;
}

char *rl_gitrepo_branch(const rl_gitrepo *g) {
  git_reference *head = NULL;
  char *name = NULL;
  if (git_repository_head(&head, g->repo) == 0 && git_reference_is_branch(head))
    name = rl_xstrdup(git_reference_shorthand(head));
  git_reference_free(head);
  return name;
}

/* ---- history ------------------------------------------------------------------- */

/* A set of object ids: open addressing on the id's first bytes (already
 * uniformly random). */
typedef struct oid_set {
  git_oid *slots;
  unsigned char *used;
  size_t cap, n;
} oid_set;

static size_t oid_slot(const git_oid *id, size_t cap) {
  uint64_t h;
  memcpy(&h, id->id, sizeof h);
  return (size_t)(h & (cap - 1));
}

static int oid_set_has(const oid_set *s, const git_oid *id) {
  if (!s->cap) return 0;
  for (size_t i = oid_slot(id, s->cap);; i = (i + 1) & (s->cap - 1)) {
    if (!s->used[i]) return 0;
    if (git_oid_equal(&s->slots[i], id)) return 1;
  }
}

/* Adds id; 1 if it was new. */
static int oid_set_add(oid_set *s, const git_oid *id) {
  if ((s->n + 1) * 2 > s->cap) {
    oid_set old = *s;
    s->cap = old.cap ? old.cap * 2 : 1024;
    s->slots = rl_xcalloc(s->cap, sizeof *s->slots);
    s->used = rl_xcalloc(s->cap, 1);
    s->n = 0;
    for (size_t i = 0; i < old.cap; i++)
      if (old.used[i]) oid_set_add(s, &old.slots[i]);
    free(old.slots);
    free(old.used);
  }
  size_t i = oid_slot(id, s->cap);
  while (s->used[i]) {
    if (git_oid_equal(&s->slots[i], id)) return 0;
    i = (i + 1) & (s->cap - 1);
  }
  git_oid_cpy(&s->slots[i], id);
  s->used[i] = 1;
  s->n++;
  return 1;
}

static void oid_set_free(oid_set *s) {
  free(s->slots);
  free(s->used);
}

typedef struct commit_item {
  git_oid id, tree;
  long long time;
  int expanded; /* its parents are above it on the stack */
} commit_item;

typedef struct hist {
  rl_gitrepo *g;
  rl_git_history_stats *st;
  oid_set visited; /* commits expanded (or hidden by a range) */
  commit_item *stack;
  size_t depth, cap;
  commit_item *order; /* every commit after all of its parents */
  size_t norder, order_cap;
} hist;

static void note_unreadable(hist *h, const char *what, const git_oid *id) {
  h->st->unreadable++;
  if (!h->st->first_error[0])
    snprintf(h->st->first_error, sizeof h->st->first_error, "%s %s could not be read: %s", what, git_oid_tostr_s(id),
             git_why());
}

static void push_commit(hist *h, const git_oid *id) {
  if (oid_set_has(&h->visited, id)) return;
  if (h->depth == h->cap) {
    h->cap = h->cap ? h->cap * 2 : 256;
    h->stack = rl_xreallocarray(h->stack, h->cap, sizeof *h->stack);
  }
  memset(&h->stack[h->depth], 0, sizeof *h->stack);
  git_oid_cpy(&h->stack[h->depth].id, id);
  h->depth++;
}

/* Depth first from every commit on the stack, iteratively (a history is
 * deep): a commit is finished after all of its parents, so h->order is
 * topological, oldest first. A commit may sit on the stack twice; the second
 * is dropped once the first is expanded. */
static void drain(hist *h) {
  int shallow = git_repository_is_shallow(h->g->repo) == 1;
  while (h->depth) {
    commit_item top = h->stack[h->depth - 1];
    if (top.expanded) {
      h->depth--;
      if (h->norder == h->order_cap) {
        h->order_cap = h->order_cap ? h->order_cap * 2 : 256;
        h->order = rl_xreallocarray(h->order, h->order_cap, sizeof *h->order);
      }
      h->order[h->norder++] = top;
      continue;
    }
    if (oid_set_has(&h->visited, &top.id)) {
      h->depth--;
      continue;
    }
    oid_set_add(&h->visited, &top.id);
    git_commit *c = NULL;
    int rc = git_commit_lookup(&c, h->g->repo, &top.id);
    if (rc < 0) {
      h->depth--;
      /* A shallow clone's boundary: the parent is simply not there. */
      if (rc == GIT_ENOTFOUND && shallow)
        h->st->shallow++;
      else
        note_unreadable(h, "commit", &top.id);
      continue;
    }
    commit_item *f = &h->stack[h->depth - 1];
    f->expanded = 1;
    git_oid_cpy(&f->tree, git_commit_tree_id(c));
    f->time = (long long)git_commit_time(c);
    for (unsigned k = git_commit_parentcount(c); k-- > 0;) push_commit(h, git_commit_parent_id(c, k));
    git_commit_free(c);
  }
}

static int ref_name_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Every ref that peels to a commit, in name order, then HEAD. */
static void push_all_refs(hist *h) {
  git_reference_iterator *it = NULL;
  char **names = NULL;
  size_t n = 0;
  const char *name;
  if (git_reference_iterator_glob_new(&it, h->g->repo, "refs/*") == 0) {
    while (git_reference_next_name(&name, it) == 0) {
      names = rl_xreallocarray(names, n + 1, sizeof *names);
      names[n++] = rl_xstrdup(name);
    }
    git_reference_iterator_free(it);
  }
  if (n) qsort(names, n, sizeof *names, ref_name_cmp);
  for (size_t i = 0; i <= n; i++) {
    git_object *obj = NULL;
    const char *spec = i < n ? names[i] : "HEAD";
    rl_buf b = {0};
    rl_buf_printf(&b, "%s^{commit}", spec);
    /* refs to trees or blobs, and an unborn HEAD, hold no commit */
    if (git_revparse_single(&obj, h->g->repo, b.ptr) == 0) {
      push_commit(h, git_object_id(obj));
      drain(h);
    }
    git_object_free(obj);
    rl_buf_free(&b);
    if (i < n) free(names[i]);
  }
  free(names);
}

typedef struct tree_walk {
  hist *h;
  size_t max_size;
  int (*want)(void *data, const char *path);
  int (*fn)(void *data, const rl_git_blob *b);
  void *data;
  oid_set trees, blobs, head_blobs;
  const commit_item *commit;
  char commit_hex[GIT_OID_HEXSZ + 1];
  rl_buf path;
  int collect_head; /* filling head_blobs, not scanning */
  int hide;         /* a range's hidden side: trees and blobs marked seen, none handed over */
} tree_walk;

static int hand_blob(tree_walk *tw, const git_oid *id) {
  rl_git_blob b;
  memset(&b, 0, sizeof b);
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof hex, id);
  b.path = tw->path.ptr;
  b.commit = tw->commit_hex;
  b.time = tw->commit->time;
  b.oid = hex;
  b.at_head = oid_set_has(&tw->head_blobs, id);
  char *bytes = NULL;
  size_t len = 0;
  b.skip = read_blob(tw->h->g, id, tw->max_size, &bytes, &len);
  if (b.skip == RL_SKIP_TOO_LARGE) tw->h->st->too_large++;
  if (b.skip == RL_SKIP_BINARY) tw->h->st->binary++;
  if (b.skip == RL_SKIP_UNREADABLE) {
    b.detail = rl_error_last();
    note_unreadable(tw->h, "blob", id);
  }
  b.bytes = bytes;
  b.len = len;
  tw->h->st->blobs++;
  int rc = tw->fn(tw->data, &b);
  free(bytes);
  return rc;
}

/* Walks tree id below path prefix tw->path; trees met before are not
 * read again (their blobs were handed over with the tree). Recursion depth
 * is the tree's depth, which git bounds by the path length. */
static int walk_tree(tree_walk *tw, const git_oid *id) {
  oid_set *seen = tw->collect_head ? NULL : &tw->trees;
  if (seen && !oid_set_add(seen, id)) return 0;
  git_tree *t = NULL;
  if (git_tree_lookup(&t, tw->h->g->repo, id) < 0) {
    note_unreadable(tw->h, "tree", id);
    return 0;
  }
  size_t base = tw->path.len, n = git_tree_entrycount(t);
  int rc = 0;
  for (size_t i = 0; i < n && rc == 0; i++) {
    const git_tree_entry *e = git_tree_entry_byindex(t, i);
    git_object_t type = git_tree_entry_type(e);
    if (type != GIT_OBJECT_TREE && type != GIT_OBJECT_BLOB) continue; /* submodules */
    if (type == GIT_OBJECT_BLOB && git_tree_entry_filemode(e) == GIT_FILEMODE_LINK) continue;
    if (base) rl_buf_putc(&tw->path, '/');
    rl_buf_puts(&tw->path, git_tree_entry_name(e));
    const git_oid *eid = git_tree_entry_id(e);
    if (type == GIT_OBJECT_TREE) {
      rc = walk_tree(tw, eid);
    } else if (tw->want(tw->data, tw->path.ptr)) {
      if (tw->collect_head)
        oid_set_add(&tw->head_blobs, eid);
      else if (oid_set_add(&tw->blobs, eid) && !tw->hide)
        rc = hand_blob(tw, eid);
    }
    tw->path.len = base;
    tw->path.ptr[base] = '\0';
  }
  git_tree_free(t);
  return rc;
}

int rl_gitrepo_history(rl_gitrepo *g, const char *range, size_t max_size, int (*want)(void *data, const char *path),
                       int (*fn)(void *data, const rl_git_blob *b), void *data, rl_git_history_stats *st) {
  memset(st, 0, sizeof *st);
  hist h;
  memset(&h, 0, sizeof h);
  h.g = g;
  h.st = st;
  int rc = 0;
  size_t hidden = 0; /* h.order[0..hidden): the commits a range leaves out */
  tree_walk tw;
  memset(&tw, 0, sizeof tw);
  git_object *head = NULL;
  git_revspec spec;
  memset(&spec, 0, sizeof spec);
  if (range && *range) {
    if (git_revparse(&spec, g->repo, range) < 0) {
      rl_error_set("--history: '%s' is not a revision or range of this repository: %s", range, git_why());
      rc = RL_EUSAGE;
      goto cleanup;
    }
    if (spec.flags & GIT_REVSPEC_MERGE_BASE) {
      rl_error_set("--history: '%s': give a range as A..B (A... is not supported)", range);
      rc = RL_EUSAGE;
      goto cleanup;
    }
    if (spec.flags & GIT_REVSPEC_RANGE) {
      git_object *from = NULL;
      /* everything reachable from the left side is hidden */
      if (git_object_peel(&from, spec.from, GIT_OBJECT_COMMIT) == 0) {
        push_commit(&h, git_object_id(from));
        drain(&h);
      }
      hidden = h.norder;
      git_object_free(from);
    }
    git_object *to = NULL;
    git_object *tip = (spec.flags & GIT_REVSPEC_RANGE) ? spec.to : spec.from;
    if (git_object_peel(&to, tip, GIT_OBJECT_COMMIT) < 0) {
      rl_error_set("--history: '%s' does not name a commit: %s", range, git_why());
      rc = RL_EUSAGE;
      goto cleanup;
    }
    push_commit(&h, git_object_id(to));
    drain(&h);
    git_object_free(to);
  } else {
    push_all_refs(&h);
  }
  st->commits = h.norder - hidden;

  tw.h = &h;
  tw.max_size = max_size;
  tw.want = want;
  tw.fn = fn;
  tw.data = data;
  if (git_revparse_single(&head, g->repo, "HEAD^{commit}") == 0) {
    const git_commit *hc = (const git_commit *)head;
    git_oid_tostr(st->head, sizeof st->head, git_object_id(head));
    commit_item hi;
    memset(&hi, 0, sizeof hi);
    tw.commit = &hi;
    tw.collect_head = 1;
    rl_buf_puts(&tw.path, "");
    walk_tree(&tw, git_commit_tree_id(hc));
    tw.collect_head = 0;
  }
  for (size_t i = 0; i < h.norder && rc == 0; i++) {
    tw.commit = &h.order[i];
    tw.hide = i < hidden;
    git_oid_tostr(tw.commit_hex, sizeof tw.commit_hex, &h.order[i].id);
    rl_buf_puts(&tw.path, "");
    tw.path.len = 0;
    tw.path.ptr[0] = '\0';
    rc = walk_tree(&tw, &h.order[i].tree);
  }
cleanup:
  git_object_free(spec.from);
  git_object_free(spec.to);
  git_object_free(head);
  oid_set_free(&h.visited);
  oid_set_free(&tw.trees);
  oid_set_free(&tw.blobs);
  oid_set_free(&tw.head_blobs);
  rl_buf_free(&tw.path);
  free(h.stack);
  free(h.order);
  return rc;
}
