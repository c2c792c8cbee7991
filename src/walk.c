/* File discovery: an explicit-stack, depth-first walk in byte-wise name
 * order. Each stack level holds the sorted names of one directory (read whole
 * and closed at once, so only one directory handle is ever open) and the
 * ignore lists found there.
 *
 * Paths inside the walk are kept relative to the enclosing git work tree when
 * the scan root lies inside one ("match paths"): that way the .gitignore files
 * of the root's parent directories speak the same language as the ones inside
 * it. Outside a work tree the root itself is the base.
 *
 * Only lstat/stat/realpath touch entries; nothing here opens a scanned file,
 * so a FIFO cannot block the walk. */
#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "gitrepo.h"
#include "ignore.h"
#include "util.h"

#define IGNORE_FILE_MAX (4u << 20) /* a larger .gitignore is not one */

static const char *const default_dirs[] = {".git", "node_modules", "dist",     "build",
                                           "out",  ".next",        "coverage", "vendor"};

typedef struct ig_list {
  rl_ignore *ig;
  char *label; /* where the patterns came from, for on_passed_over */
  int is_git;  /* a .gitignore: it speaks for untracked files only */
} ig_list;

typedef struct frame {
  char *names;   /* NUL-separated entries: a d_type byte, then the name */
  char **sorted; /* pointers into names, byte-wise order of the names */
  size_t n, idx;
  size_t mlen;   /* length of this directory's match path in w->mpath */
  size_t nlists; /* w->nlists before this directory's ignore files */
  dev_t dev;
  ino_t ino;
  /* entered for its tracked files only (a .gitignore excludes it): the
   * label of that ignore file, or NULL */
  char *only_tracked;
} frame;

enum { VIS_EMPTY = 0, VIS_ON_STACK, VIS_DONE, VIS_FILE };

typedef struct vis_slot {
  dev_t dev;
  ino_t ino;
  int state;
} vis_slot;

struct rl_walk {
  int no_ignore;
  void (*on_passed_over)(void *data, const char *display, const char *why);
  void *data;
  char *extra_text; /* extra_ignores joined by newlines, NULL if none */
  char *extra_base; /* real path they are anchored at, or NULL: each root */
  int force_exclude;

  char **paths;
  size_t npaths, next_path;

  /* the root being walked */
  int in_root;
  const char *given; /* normalised path as given: "" for ".", no trailing '/' */
  char *root_real;
  size_t root_real_len;
  size_t prefix_len; /* match path of the root within the work tree */
  rl_buf mpath;      /* match path of the current directory, then of the entry */
  frame *stack;
  size_t depth, cap;
  ig_list *lists; /* outermost first; innermost wins */
  size_t nlists, caplists;
  ig_list extra; /* extra_ignores: above every file */

  vis_slot *vis;
  size_t vis_cap, vis_used;
  int err; /* RL_EIO once descriptors or memory ran out: the walk stops */
  int has_protect;
  unsigned long long protect_dev, protect_ino;

  rl_buf display, detail, scratch, note;

  rl_gitrepo *git;    /* the repository of the current root or named file, or NULL */
  size_t git_top_len; /* w->git's work tree is root_real[0..git_top_len) (walk roots) */
  int git_source;
  const char *git_rev;
  size_t max_file_size;
  char *git_bytes; /* content of the entry last yielded from git */
};

/* ---- small helpers ------------------------------------------------------ */

static void buf_reset(rl_buf *b) {
  b->len = 0;
  if (b->ptr) b->ptr[0] = '\0';
}

static void buf_truncate(rl_buf *b, size_t n) {
  if (!b->ptr) return;
  b->len = n;
  b->ptr[n] = '\0';
}

/* Drops leading "./" and trailing slashes: "./src/" -> "src", "." -> "". */
static char *normalise_given(const char *p) {
  while (p[0] == '.' && p[1] == '/') {
    p += 2;
    while (*p == '/') p++;
  }
  if (strcmp(p, ".") == 0) return rl_xstrdup("");
  size_t n = strlen(p);
  while (n > 1 && p[n - 1] == '/') n--;
  return rl_xstrndup(p, n);
}

/* Display (and open) path of a path relative to the root. */
static void make_path(rl_buf *out, const char *given, const char *rel) {
  buf_reset(out);
  if (given[0] == '\0') {
    rl_buf_puts(out, rel[0] ? rel : ".");
    return;
  }
  rl_buf_puts(out, given);
  if (rel[0] == '\0') return;
  if (strcmp(given, "/") != 0) rl_buf_putc(out, '/');
  rl_buf_puts(out, rel);
}

static const char *type_name(mode_t m) {
  if (S_ISFIFO(m)) return "named pipe (FIFO)";
  if (S_ISSOCK(m)) return "socket";
  if (S_ISCHR(m)) return "character device";
  if (S_ISBLK(m)) return "block device";
  return "special file";
}

/* Reads a small regular file without following a symlink and without ever
 * blocking on a FIFO. NULL if absent or not a plain file. */
static char *read_small_file(const char *path, size_t *len, int *err) {
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    if (rl_errno_is_exhaustion(errno)) *err = errno;
    return NULL;
  }
  struct stat st;
  char *data = NULL;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 0 || (uintmax_t)st.st_size > IGNORE_FILE_MAX)
    goto done;
  size_t cap = (size_t)st.st_size + 1, n = 0;
  data = rl_xmalloc(cap);
  while (n < cap - 1) {
    ssize_t r = read(fd, data + n, cap - 1 - n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    n += (size_t)r;
  }
  data[n] = '\0';
  *len = n;
done:
  close(fd);
  return data;
}

/* Out of descriptors or memory: the walk cannot say what it left out, so it
 * stops with RL_EIO (the first cause is kept). */
static void fail_walk(rl_walk *w, const char *path, int err) {
  if (w->err) return;
  rl_error_set("%s: %s", path, strerror(err));
  w->err = RL_EIO;
}

/* ---- visited directories (dev, inode) ---------------------------------- */

static size_t vis_hash(dev_t dev, ino_t ino, size_t cap) {
  uint64_t key[2] = {(uint64_t)dev, (uint64_t)ino};
  return (size_t)(rl_hash64(key, sizeof key, 0) & (cap - 1));
}

static vis_slot *vis_find(rl_walk *w, dev_t dev, ino_t ino) {
  if (!w->vis_cap) return NULL;
  size_t i = vis_hash(dev, ino, w->vis_cap);
  while (w->vis[i].state != VIS_EMPTY) {
    if (w->vis[i].dev == dev && w->vis[i].ino == ino) return &w->vis[i];
    i = (i + 1) & (w->vis_cap - 1);
  }
  return NULL;
}

static void vis_set(rl_walk *w, dev_t dev, ino_t ino, int state) {
  vis_slot *s = vis_find(w, dev, ino);
  if (s) {
    s->state = state;
    return;
  }
  if ((w->vis_used + 1) * 2 > w->vis_cap) {
    size_t ncap = w->vis_cap ? w->vis_cap * 2 : 64;
    vis_slot *old = w->vis;
    size_t ocap = w->vis_cap;
    w->vis = rl_xcalloc(ncap, sizeof *w->vis);
    w->vis_cap = ncap;
    for (size_t k = 0; k < ocap; k++) {
      if (old[k].state == VIS_EMPTY) continue;
      size_t i = vis_hash(old[k].dev, old[k].ino, ncap);
      while (w->vis[i].state != VIS_EMPTY) i = (i + 1) & (ncap - 1);
      w->vis[i] = old[k];
    }
    free(old);
  }
  size_t i = vis_hash(dev, ino, w->vis_cap);
  while (w->vis[i].state != VIS_EMPTY) i = (i + 1) & (w->vis_cap - 1);
  w->vis[i].dev = dev;
  w->vis[i].ino = ino;
  w->vis[i].state = state;
  w->vis_used++;
}

/* The directory st is being walked right now: entering it again is a cycle. */
static int dir_on_stack(rl_walk *w, const struct stat *st) {
  vis_slot *v = vis_find(w, st->st_dev, st->st_ino);
  return v && v->state == VIS_ON_STACK;
}

/* The report file (-o) is about to be scanned: writing the report would
 * replace a source file, so the walk stops with RL_EUSAGE. 1 if st is it. */
static int is_report_file(rl_walk *w, const struct stat *st) {
  if (!w->has_protect || (unsigned long long)st->st_dev != w->protect_dev ||
      (unsigned long long)st->st_ino != w->protect_ino)
    return 0;
  if (!w->err) {
    rl_error_set("%s is the report file (-o): writing it would overwrite a scanned file", w->display.ptr);
    w->err = RL_EUSAGE;
  }
  return 1;
}

/* A file reached a second time (named twice, inside two overlapping PATHs,
 * or hard-linked) is scanned once, at the first path the walk gave it, so
 * findings are never doubled and the report does not depend on which path
 * came later. 1 if st was yielded already (or is the report file, which is
 * never yielded); else remembers it. */
static int file_seen(rl_walk *w, const struct stat *st) {
  if (is_report_file(w, st)) return 1;
  vis_slot *v = vis_find(w, st->st_dev, st->st_ino);
  if (v && v->state == VIS_FILE) return 1;
  vis_set(w, st->st_dev, st->st_ino, VIS_FILE);
  return 0;
}

/* ---- ignore lists ------------------------------------------------------- */

static void push_list(rl_walk *w, rl_ignore *ig, const char *label, int is_git) {
  if (w->nlists == w->caplists) {
    w->caplists = w->caplists ? w->caplists * 2 : 8;
    w->lists = rl_xreallocarray(w->lists, w->caplists, sizeof *w->lists);
  }
  w->lists[w->nlists].ig = ig;
  w->lists[w->nlists].label = rl_xstrdup(label);
  w->lists[w->nlists].is_git = is_git;
  w->nlists++;
}

static void pop_lists(rl_walk *w, size_t keep) {
  while (w->nlists > keep) {
    w->nlists--;
    rl_ignore_free(w->lists[w->nlists].ig);
    free(w->lists[w->nlists].label);
  }
}

/* Loads .gitignore and .roomlintignore of directory fs_dir, whose match path
 * is base. label_dir names the directory in messages. */
#define IGNORE_FILES_ALL 3u /* bit k: files[k] may be there (the directory was not listed) */

static void load_ignore_files(rl_walk *w, const char *fs_dir, const char *base, const char *label_dir,
                              unsigned present) {
  static const char *const files[] = {".gitignore", ".roomlintignore"};
  for (size_t k = 0; k < RL_ARRAY_LEN(files); k++) {
    if (!(present & (1u << k))) continue; /* its listing has no such name: no open to fail */
    buf_reset(&w->scratch);
    rl_buf_printf(&w->scratch, "%s/%s", fs_dir, files[k]);
    size_t len = 0;
    int err = 0;
    char *text = read_small_file(w->scratch.ptr, &len, &err);
    /* An ignore file not read for want of descriptors would let through
     * what it ignores: stop instead. */
    if (err) fail_walk(w, w->scratch.ptr, err);
    if (!text) continue;
    buf_reset(&w->scratch);
    if (label_dir[0] && strcmp(label_dir, ".") != 0)
      rl_buf_printf(&w->scratch, "%s%s%s", label_dir, label_dir[strlen(label_dir) - 1] == '/' ? "" : "/", files[k]);
    else
      rl_buf_puts(&w->scratch, files[k]);
    push_list(w, rl_ignore_new(base, text, len), w->scratch.ptr, k == 0);
    free(text);
  }
}

/* The extra patterns' verdict on match path mpath. Anchored at extra_base,
 * they see the entry's path below it (nothing outside it matches);
 * otherwise they are anchored at the root (compiled with its match path). */
static int extra_verdict(rl_walk *w, const char *mpath, int is_dir) {
  if (!w->extra.ig) return 0;
  if (!w->extra_base) return rl_ignore_match(w->extra.ig, mpath, is_dir);
  /* the entry's real path: the root's, then the part of mpath below it */
  const char *below = mpath + (w->prefix_len && strlen(mpath) >= w->prefix_len ? w->prefix_len : 0);
  while (*below == '/') below++;
  rl_buf abs = {0};
  rl_buf_puts(&abs, w->root_real);
  if (*below) rl_buf_printf(&abs, "%s%s", strcmp(w->root_real, "/") == 0 ? "" : "/", below);
  size_t bl = strlen(w->extra_base);
  int verdict = 0;
  if (strcmp(w->extra_base, "/") == 0)
    verdict = rl_ignore_match(w->extra.ig, abs.ptr + 1, is_dir);
  else if (strncmp(abs.ptr, w->extra_base, bl) == 0 && abs.ptr[bl] == '/')
    verdict = rl_ignore_match(w->extra.ig, abs.ptr + bl + 1, is_dir);
  rl_buf_free(&abs);
  return verdict;
}

/* The verdict of the ignore lists on mpath (see rl_ignore_match), the
 * .gitignore files left out when skip_git; *label names the deciding list
 * and *by_git says whether it is a .gitignore. */
static int verdict_of(rl_walk *w, const char *mpath, int is_dir, int skip_git, const char **label, int *by_git) {
  int verdict = extra_verdict(w, mpath, is_dir);
  *label = w->extra.label;
  *by_git = 0;
  for (size_t k = w->nlists; verdict == 0 && k-- > 0;) {
    if (skip_git && w->lists[k].is_git) continue;
    verdict = rl_ignore_match(w->lists[k].ig, mpath, is_dir);
    *label = w->lists[k].label;
    *by_git = w->lists[k].is_git;
  }
  return verdict;
}

/* 1 (and *why) if the entry at match path mpath is to be left out. A
 * .gitignore's verdict is reported through *by_git, for the caller to ask
 * the index. */
static int is_ignored(rl_walk *w, const char *mpath, const char *name, int is_dir, const char **why, int *by_git) {
  *by_git = 0;
  if (w->no_ignore) return 0;
  const char *label;
  int verdict = verdict_of(w, mpath, is_dir, 0, &label, by_git);
  if (verdict > 0) {
    buf_reset(&w->scratch);
    rl_buf_printf(&w->scratch, "ignored by %s", label);
    *why = w->scratch.ptr;
    return 1;
  }
  /* A default directory can be brought back by an explicit `!dir/`. */
  if (verdict == 0 && is_dir) {
    for (size_t k = 0; k < RL_ARRAY_LEN(default_dirs); k++) {
      if (strcmp(name, default_dirs[k]) == 0) {
        *why = "ignored by default";
        return 1;
      }
    }
  }
  return 0;
}

/* is_ignored, except that what git's ignore files alone leave out is kept
 * when the index tracks it (git ignores untracked files only). For the
 * questions asked outside the walk: --force-exclude, a path judged alone. */
/* 1 if the index tracks the entry at mpath (for a directory: something
 * below it). */
static int tracked(const rl_walk *w, const char *mpath, int is_dir) {
  return is_dir ? rl_gitrepo_tracked_below(w->git, mpath) : rl_gitrepo_tracked(w->git, mpath);
}

/* 1 if an entry that is_ignored left out by a .gitignore (by_git) is kept
 * all the same: no other list leaves it out, and the index tracks it. */
static int kept_by_index(rl_walk *w, const char *mpath, int is_dir, int by_git) {
  const char *label;
  int user_git;
  return by_git && w->git && verdict_of(w, mpath, is_dir, 1, &label, &user_git) <= 0 && tracked(w, mpath, is_dir);
}

static int ignored_untracked(rl_walk *w, const char *mpath, const char *name, int is_dir, const char **why) {
  int by_git = 0;
  return is_ignored(w, mpath, name, is_dir, why, &by_git) && !kept_by_index(w, mpath, is_dir, by_git);
}

/* ---- the stack ---------------------------------------------------------- */

static int cmp_names(const void *a, const void *b) { return strcmp(*(char *const *)a + 1, *(char *const *)b + 1); }

/* Enters directory fs_dir (stat st), whose match path is w->mpath. Returns 0,
 * or -1 with errno set if it cannot be listed. */
static int push_dir(rl_walk *w, const char *fs_dir, const struct stat *st) {
  DIR *d = opendir(fs_dir);
  if (!d) return -1;
  rl_buf names = {0};
  size_t n = 0;
  unsigned ignore_files = 0; /* the ignore files the listing names */
  for (;;) {
    errno = 0;
    struct dirent *de = readdir(d);
    if (!de) break;
    if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
#if defined(_DIRENT_HAVE_D_TYPE) && defined(DT_REG)
    /* d_type lets the walk pass over other people's files without an lstat */
    rl_buf_putc(&names, (char)(de->d_type == DT_REG ? DT_REG : DT_UNKNOWN));
#else
    rl_buf_putc(&names, (char)0);
#endif
    rl_buf_put(&names, de->d_name, strlen(de->d_name) + 1);
    n++;
    if (de->d_name[0] == '.') {
      if (!strcmp(de->d_name, ".gitignore")) ignore_files |= 1u;
      if (!strcmp(de->d_name, ".roomlintignore")) ignore_files |= 2u;
    }
  }
  int err = errno;
  closedir(d);
  if (err) {
    rl_buf_free(&names);
    errno = err;
    return -1;
  }
  if (w->depth == w->cap) {
    w->cap = w->cap ? w->cap * 2 : 16;
    w->stack = rl_xreallocarray(w->stack, w->cap, sizeof *w->stack);
  }
  frame *f = &w->stack[w->depth++];
  memset(f, 0, sizeof *f);
  f->names = names.ptr;
  f->n = n;
  f->sorted = rl_xreallocarray(NULL, n ? n : 1, sizeof *f->sorted);
  char *p = names.ptr;
  for (size_t i = 0; i < n; i++) {
    f->sorted[i] = p;
    p += 1 + strlen(p + 1) + 1;
  }
  qsort(f->sorted, n, sizeof *f->sorted, cmp_names);
  f->mlen = w->mpath.len;
  f->nlists = w->nlists;
  f->dev = st->st_dev;
  f->ino = st->st_ino;
  vis_set(w, st->st_dev, st->st_ino, VIS_ON_STACK);
  if (!w->no_ignore) {
    char *base = rl_xstrndup(w->mpath.ptr ? w->mpath.ptr : "", w->mpath.len);
    char *label = rl_xstrdup(fs_dir);
    load_ignore_files(w, fs_dir, base, label, ignore_files);
    free(label);
    free(base);
  }
  return 0;
}

static void pop_dir(rl_walk *w) {
  frame *f = &w->stack[--w->depth];
  free(f->only_tracked);
  vis_set(w, f->dev, f->ino, VIS_DONE);
  pop_lists(w, f->nlists);
  free(f->sorted);
  free(f->names);
}

/* ---- roots -------------------------------------------------------------- */

static void end_root(rl_walk *w) {
  while (w->depth) pop_dir(w);
  pop_lists(w, 0);
  rl_ignore_free(w->extra.ig);
  free(w->extra.label);
  w->extra.ig = NULL;
  w->extra.label = NULL;
  free(w->root_real);
  w->root_real = NULL;
  buf_reset(&w->mpath);
  w->in_root = 0;
  rl_gitrepo_free(w->git);
  w->git = NULL;
  w->git_top_len = 0;
}

/* Length of the top of the git work tree around real (an absolute, resolved
 * directory): the nearest directory at or above it (the root itself, then
 * each parent up to "/") holding .git; 0 if none. */
static size_t work_tree_top(const char *real, rl_buf *scratch) {
  for (size_t end = strlen(real);;) {
    buf_reset(scratch);
    rl_buf_put(scratch, real, end);
    rl_buf_puts(scratch, end == 1 ? ".git" : "/.git");
    struct stat st;
    if (lstat(scratch->ptr, &st) == 0) return end;
    if (end <= 1) return 0;
    while (end > 1 && real[end - 1] != '/') end--;
    if (end > 1) end--; /* drop the slash, except the one of "/" */
  }
}

/* Finds the git work tree around root_real and loads the ignore files of the
 * directories between its top and the root. Sets w->mpath to the root's
 * match path. */
static void enter_work_tree(rl_walk *w) {
  const char *real = w->root_real;
  size_t len = w->root_real_len, top = work_tree_top(real, &w->scratch);
  buf_reset(&w->mpath);
  w->git_top_len = top;
  if (top == 0 || top == len) return;
  size_t start = top == 1 ? 1 : top + 1; /* first byte of the root's path below top */
  rl_buf_put(&w->mpath, real + start, len - start);
  w->prefix_len = w->mpath.len;
  if (w->no_ignore) return;
  /* Each directory from the top down to the root's parent. */
  char *dir = rl_xstrdup(real);
  for (size_t end = top;;) {
    char *base = rl_xstrndup(real + start, end > start ? end - start : 0);
    dir[end] = '\0';
    load_ignore_files(w, end ? dir : "/", base, end ? dir : "/", IGNORE_FILES_ALL);
    free(base);
    memcpy(dir, real, len + 1);
    size_t next = end + 1;
    while (next < len && real[next] != '/') next++;
    if (next >= len) break;
    end = next;
  }
  free(dir);
}

/* ---- entries ------------------------------------------------------------ */

static int yield(rl_walk *w, rl_walk_entry *out, rl_lang lang, rl_skip skip, int is_explicit) {
  memset(out, 0, sizeof *out);
  out->fs_path = w->display.ptr;
  out->display = w->display.ptr;
  out->lang = lang;
  out->is_explicit = is_explicit;
  out->skip = skip;
  out->skip_detail = skip == RL_SKIP_NONE ? NULL : (w->detail.ptr ? w->detail.ptr : "");
  return 1;
}

/* ---- git ---------------------------------------------------------------- */

/* Opens the repository of the root being entered, when its work tree is the
 * one enter_work_tree found (so match paths are index paths). */
static void open_root_repo(rl_walk *w) {
  rl_gitrepo_free(w->git); /* a named file's, from before this root */
  w->git = NULL;
  if ((w->no_ignore || !w->git_top_len) && !w->git_source) return;
  char *top = rl_xstrndup(w->root_real, w->git_top_len);
  rl_gitrepo *g = NULL;
  if (rl_gitrepo_open(&g, top) == 0 && rl_gitrepo_workdir(g) && strcmp(rl_gitrepo_workdir(g), top) == 0) {
    w->git = g;
    g = NULL;
  }
  rl_gitrepo_free(g);
  free(top);
  if (w->git && w->git_source == RL_GIT_TREE && rl_gitrepo_use_rev(w->git, w->git_rev) < 0 && !w->err)
    w->err = RL_EUSAGE;
  if (w->git_source && !w->git && !w->err) {
    rl_error_set("%s: %s needs a git repository, and this directory is in none", w->given[0] ? w->given : ".",
                 w->git_source == RL_GIT_INDEX ? "--staged" : "--baseline-ref");
    w->err = RL_EUSAGE;
  }
}

/* The entry's path in the index of w->git: the match path for a walked file;
 * for a named file, its real path below the work tree of a repository
 * opened for it (NULL with w->err set when there is none). Returns a pointer
 * into w->scratch or w->mpath. */
static const char *git_path(rl_walk *w, const char *disp, int is_named) {
  if (!is_named && w->git) return w->mpath.ptr;
  char *real = realpath(disp, NULL);
  if (!real) return NULL;
  const char *wd = w->git ? rl_gitrepo_workdir(w->git) : NULL;
  size_t n = wd ? strlen(wd) : 0;
  /* named files (a pre-commit hook's hundreds) share one repository */
  int same = wd && strncmp(real, wd, n) == 0 && real[n] == '/';
  if (is_named && !same) {
    rl_gitrepo_free(w->git);
    w->git = NULL;
    char *dir = rl_xstrdup(real);
    char *slash = strrchr(dir, '/');
    if (slash) slash[slash == dir ? 1 : 0] = '\0';
    if (rl_gitrepo_open(&w->git, dir) == 0 && w->git_source == RL_GIT_TREE &&
        rl_gitrepo_use_rev(w->git, w->git_rev) < 0 && !w->err)
      w->err = RL_EUSAGE;
    free(dir);
    wd = w->git ? rl_gitrepo_workdir(w->git) : NULL;
    n = wd ? strlen(wd) : 0;
  }
  buf_reset(&w->scratch);
  if (wd && strncmp(real, wd, n) == 0 && real[n] == '/') rl_buf_puts(&w->scratch, real + n + 1);
  free(real);
  if (!w->scratch.len) {
    if (!w->err) {
      rl_error_set("%s: %s needs a git repository, and this file is in none", disp,
                   w->git_source == RL_GIT_INDEX ? "--staged" : "--baseline-ref");
      w->err = RL_EUSAGE;
    }
    return NULL;
  }
  return w->scratch.ptr;
}

/* git_source: the entry's content from the index or the chosen tree. 0 when
 * that source has no such file (the entry is not yielded); else the entry is
 * filled (a skip when too large, binary or damaged). */
static int yield_from_git(rl_walk *w, rl_walk_entry *out, const char *disp, rl_lang lang, int is_named) {
  if (!is_named && !w->git && !w->err) {
    rl_error_set("%s: %s needs a git repository, and this directory is in none", w->given[0] ? w->given : ".",
                 w->git_source == RL_GIT_INDEX ? "--staged" : "--baseline-ref");
    w->err = RL_EUSAGE;
  }
  const char *path = w->err ? NULL : git_path(w, disp, is_named);
  if (!path) return 0;
  int present = 0;
  size_t len = 0;
  free(w->git_bytes);
  w->git_bytes = NULL;
  rl_skip sk =
      rl_gitrepo_read(w->git, (rl_git_source)w->git_source, path, w->max_file_size, &present, &w->git_bytes, &len);
  if (!present) return 0;
  buf_reset(&w->detail);
  if (sk == RL_SKIP_UNREADABLE) rl_buf_puts(&w->detail, rl_error_last());
  yield(w, out, lang, sk, is_named);
  if (sk != RL_SKIP_UNREADABLE) out->skip_detail = NULL; /* the engine's words for the reason */
  out->bytes = w->git_bytes ? w->git_bytes : "";
  out->len = len;
  return 1;
}

static void set_id(rl_walk_entry *out, const struct stat *st, int nofollow) {
  out->id.known = 1;
  out->id.nofollow = nofollow;
  out->id.dev = (unsigned long long)st->st_dev;
  out->id.ino = (unsigned long long)st->st_ino;
}

static int inside_root(const rl_walk *w, const char *real) {
  if (strcmp(w->root_real, "/") == 0) return 1;
  return strncmp(real, w->root_real, w->root_real_len) == 0 &&
         (real[w->root_real_len] == '\0' || real[w->root_real_len] == '/');
}

/* Looks at one entry (type byte + name) of the top directory. 1 if *out was
 * filled. */
static int visit(rl_walk *w, const char *entry, rl_walk_entry *out) {
  const char *name = entry + 1;
#if defined(_DIRENT_HAVE_D_TYPE) && defined(DT_REG)
  /* A plain file of no known language: nothing to scan, nothing to report. */
  if (entry[0] == DT_REG && rl_lang_for_path(name) == RL_LANG_NONE) return 0;
#endif
  frame *f = &w->stack[w->depth - 1];
  buf_truncate(&w->mpath, f->mlen);
  if (w->mpath.len) rl_buf_putc(&w->mpath, '/');
  rl_buf_puts(&w->mpath, name);
  const char *rel = w->mpath.ptr + (w->prefix_len ? w->prefix_len + 1 : 0);
  make_path(&w->display, w->given, rel);
  const char *disp = w->display.ptr;
  buf_reset(&w->detail);

  struct stat lst, st;
  if (lstat(disp, &lst) != 0) {
    /* Vanished since the directory was read. */
    if (rl_lang_for_path(name) == RL_LANG_NONE) return 0;
    rl_buf_printf(&w->detail, "%s: %s", disp, strerror(errno));
    return yield(w, out, rl_lang_for_path(name), RL_SKIP_UNREADABLE, 0);
  }
  int is_link = S_ISLNK(lst.st_mode), link_errno = 0;
  st = lst;
  if (is_link && stat(disp, &st) != 0) link_errno = errno;
  int is_dir = !link_errno && S_ISDIR(st.st_mode);
  const char *why = NULL;
  int by_git = 0;
  char *only_tracked = NULL; /* entering a git-ignored directory for its tracked files */
  buf_reset(&w->note);
  if (is_ignored(w, w->mpath.ptr, name, is_dir, &why, &by_git)) {
    /* Git ignores untracked files only: what the index tracks is in every
     * clone. The user's own ignore lists still apply. */
    if (!kept_by_index(w, w->mpath.ptr, is_dir, by_git)) {
      if (is_dir && w->on_passed_over) w->on_passed_over(w->data, disp, why);
      return 0;
    }
    if (is_dir)
      only_tracked = rl_xstrdup(why + strlen("ignored by "));
    else
      rl_buf_printf(&w->note, "tracked by git, so scanned, although %s", why);
  } else if (f->only_tracked && w->git) {
    if (!tracked(w, w->mpath.ptr, is_dir)) return 0;
    if (is_dir)
      only_tracked = rl_xstrdup(f->only_tracked);
    else
      rl_buf_printf(&w->note, "tracked by git, so scanned, although its directory is ignored by %s", f->only_tracked);
  }
  rl_lang lang = is_dir ? RL_LANG_NONE : rl_lang_for_path(name);

  /* A link that is not to a directory stands for a file of its name: when
   * that name is of no known language there is nothing to scan or report,
   * wherever it points (dangling, a loop, /dev/null, outside the root). */
  if (is_link && !is_dir && lang == RL_LANG_NONE) return 0;

  if (is_link) {
    char target[PATH_MAX];
    ssize_t tn = readlink(disp, target, sizeof target - 1);
    if (tn < 0) tn = 0;
    target[tn] = '\0';
    if (link_errno) {
      if (link_errno == ELOOP)
        rl_buf_printf(&w->detail, "symlink %s -> %s is part of a symlink loop", disp, target);
      else if (link_errno == ENOENT || link_errno == ENOTDIR)
        rl_buf_printf(&w->detail, "dangling symlink %s -> %s (target does not exist)", disp, target);
      else
        rl_buf_printf(&w->detail, "symlink %s -> %s: %s", disp, target, strerror(link_errno));
      return yield(w, out, lang,
                   link_errno == ELOOP || link_errno == ENOENT || link_errno == ENOTDIR ? RL_SKIP_SYMLINK_LOOP
                                                                                        : RL_SKIP_UNREADABLE,
                   0);
    }
    char *real = realpath(disp, NULL);
    if (!real) {
      rl_buf_printf(&w->detail, "symlink %s -> %s: %s", disp, target, strerror(errno));
      return yield(w, out, lang, RL_SKIP_UNREADABLE, 0);
    }
    int inside = inside_root(w, real);
    if (!inside) {
      rl_buf_printf(&w->detail, "symlink %s -> %s leaves the scanned root", disp, real);
      free(real);
      return yield(w, out, lang, RL_SKIP_SYMLINK_OUT, 0);
    }
    /* The target lies inside the root, so the walk reaches it under its own
     * path, the one git records and code scanning shows. Following the link
     * as well would report every finding in it twice. (A link to a directory
     * that contains it is still reported as the cycle it is, below.) */
    if (!S_ISDIR(st.st_mode) || !dir_on_stack(w, &st)) {
      if (w->on_passed_over) {
        rl_buf_printf(&w->detail, "symlink to %s, scanned at its own path", real);
        w->on_passed_over(w->data, disp, w->detail.ptr);
      }
      free(real);
      return 0;
    }
    free(real);
  }

  if (S_ISDIR(st.st_mode)) {
    if (dir_on_stack(w, &st)) {
      if (is_link)
        rl_buf_printf(&w->detail, "symlink %s points to a directory that contains it (cycle)", disp);
      else
        rl_buf_printf(&w->detail, "directory %s is mounted inside itself (cycle)", disp);
      return yield(w, out, RL_LANG_NONE, RL_SKIP_SYMLINK_LOOP, 0);
    }
    if (push_dir(w, disp, &st) != 0) {
      free(only_tracked);
      if (rl_errno_is_exhaustion(errno)) {
        fail_walk(w, disp, errno);
        return 0;
      }
      rl_buf_printf(&w->detail, "cannot read directory %s: %s", disp, strerror(errno));
      return yield(w, out, RL_LANG_NONE, RL_SKIP_UNREADABLE, 0);
    }
    w->stack[w->depth - 1].only_tracked = only_tracked;
    return 0;
  }
  free(only_tracked);
  if (S_ISREG(st.st_mode)) {
    if (lang == RL_LANG_NONE || file_seen(w, &st)) return 0;
    if (w->git_source) {
      if (!yield_from_git(w, out, disp, lang, 0)) return 0;
    } else {
      yield(w, out, lang, RL_SKIP_NONE, 0);
      set_id(out, &st, 1);
    }
    if (w->note.len) out->note = w->note.ptr;
    return 1;
  }
  if (is_link)
    rl_buf_printf(&w->detail, "symlink %s points to a %s, not opened", disp, type_name(st.st_mode));
  else
    rl_buf_printf(&w->detail, "%s is a %s, not opened", disp, type_name(st.st_mode));
  return yield(w, out, lang, RL_SKIP_SPECIAL, 0);
}

static void load_extra(rl_walk *w) {
  if (w->no_ignore || !w->extra_text) return;
  w->extra.ig = rl_ignore_new(w->extra_base || !w->mpath.ptr ? "" : w->mpath.ptr, w->extra_text, strlen(w->extra_text));
  w->extra.label = rl_xstrdup("the config's ignore: list");
}

/* --force-exclude: 1 (and *why) if the walk would leave out the root (its
 * match path in w->mpath, the ignore files above it loaded), or a
 * directory above it down from the work tree's top, as a directory. */
static int root_ignored(rl_walk *w, const char **why) {
  if (w->no_ignore) return 0;
  char *m = rl_xstrndup(w->mpath.ptr ? w->mpath.ptr : "", w->mpath.len);
  int hit = 0;
  for (size_t end = 0; !hit && end <= w->mpath.len; end++) {
    if (end < w->mpath.len && m[end] != '/') continue;
    if (end == 0) continue;
    char keep = m[end];
    m[end] = '\0';
    const char *name = strrchr(m, '/') ? strrchr(m, '/') + 1 : m;
    hit = ignored_untracked(w, m, name, 1, why);
    m[end] = keep;
  }
  free(m);
  return hit;
}

/* --force-exclude for a named file (display path in w->display): 1 and
 * *why if the walk would leave it out. Sets up the file's directory as a
 * root for the question, then takes it down. */
static int named_file_ignored(rl_walk *w, const char **why) {
  if (w->no_ignore) return 0;
  char *dir = rl_xstrdup(w->display.ptr);
  char *slash = strrchr(dir, '/');
  const char *name = slash ? slash + 1 : w->display.ptr;
  if (slash == dir)
    dir[1] = '\0';
  else if (slash)
    *slash = '\0';
  else {
    free(dir);
    dir = rl_xstrdup(".");
  }
  name = strrchr(w->display.ptr, '/') ? strrchr(w->display.ptr, '/') + 1 : w->display.ptr;
  w->root_real = realpath(dir, NULL);
  int hit = 0;
  if (w->root_real) {
    w->root_real_len = strlen(w->root_real);
    w->prefix_len = 0;
    enter_work_tree(w);
    open_root_repo(w); /* what the index tracks is not ignored */
    load_extra(w);
    hit = root_ignored(w, why);
    if (!hit) {
      char *base = rl_xstrndup(w->mpath.ptr ? w->mpath.ptr : "", w->mpath.len);
      load_ignore_files(w, dir, base, dir, IGNORE_FILES_ALL);
      rl_buf path = {0};
      rl_buf_printf(&path, "%s%s%s", base, base[0] ? "/" : "", name);
      hit = ignored_untracked(w, path.ptr, name, 0, why);
      rl_buf_free(&path);
      free(base);
    }
    /* *why points into w->scratch, which end_root leaves alone */
    end_root(w);
  }
  free(dir);
  return hit;
}

/* Begins walking directory `given`, or yields why it cannot. */
static int start_root(rl_walk *w, const char *given, const struct stat *st, rl_walk_entry *out) {
  w->given = given;
  w->prefix_len = 0;
  buf_reset(&w->detail);
  make_path(&w->display, given, "");
  w->root_real = realpath(w->display.ptr, NULL);
  if (!w->root_real) {
    rl_buf_printf(&w->detail, "cannot resolve %s: %s", w->display.ptr, strerror(errno));
    return yield(w, out, RL_LANG_NONE, RL_SKIP_UNREADABLE, 1);
  }
  w->root_real_len = strlen(w->root_real);
  w->in_root = 1;
  enter_work_tree(w);
  open_root_repo(w);
  load_extra(w);
  const char *why = NULL;
  if (w->force_exclude && root_ignored(w, &why)) {
    rl_buf_printf(&w->detail, "%s is %s (--force-exclude)", w->display.ptr, why);
    end_root(w);
    return yield(w, out, RL_LANG_NONE, RL_SKIP_IGNORED, 1);
  }
  if (push_dir(w, w->display.ptr, st) != 0) {
    if (rl_errno_is_exhaustion(errno)) fail_walk(w, w->display.ptr, errno);
    rl_buf_printf(&w->detail, "cannot read directory %s: %s", w->display.ptr, strerror(errno));
    end_root(w);
    return yield(w, out, RL_LANG_NONE, RL_SKIP_UNREADABLE, 1);
  }
  return 0;
}

/* ---- public ------------------------------------------------------------- */

/* 0 if a named regular file yields its first byte (or is empty): access()
 * says yes to /proc/self/mem, which no read gets anything from. -1 and errno
 * otherwise. */
static int probe_read(const char *path) {
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return -1;
  char c;
  ssize_t r;
  do {
    r = read(fd, &c, 1);
  } while (r < 0 && errno == EINTR);
  int err = errno;
  close(fd);
  errno = err;
  return r < 0 ? -1 : 0;
}

int rl_walk_new(rl_walk **out, const char *const *paths, size_t npaths, const rl_walk_options *opts) {
  static const char *const dot[] = {"."};
  *out = NULL;
  if (npaths == 0) {
    paths = dot;
    npaths = 1;
  }
  rl_walk *w = rl_xcalloc(1, sizeof *w);
  if (opts) {
    w->no_ignore = opts->no_ignore;
    w->has_protect = opts->has_protect;
    w->protect_dev = opts->protect_dev;
    w->protect_ino = opts->protect_ino;
    w->on_passed_over = opts->on_passed_over;
    w->data = opts->data;
    w->force_exclude = opts->force_exclude;
    if (opts->extra_base) w->extra_base = rl_xstrdup(opts->extra_base);
    w->git_source = opts->git_source;
    w->git_rev = opts->git_rev;
    w->max_file_size = opts->max_file_size ? opts->max_file_size : RL_FILE_SIZE_MAX;
    if (opts->extra_ignores && opts->extra_ignores[0]) {
      rl_buf b = {0};
      for (size_t i = 0; opts->extra_ignores[i]; i++) {
        rl_buf_puts(&b, opts->extra_ignores[i]);
        rl_buf_putc(&b, '\n');
      }
      w->extra_text = rl_buf_detach(&b);
    }
  }
  w->paths = rl_xcalloc(npaths, sizeof *w->paths);
  w->npaths = npaths;
  for (size_t i = 0; i < npaths; i++) {
    const char *p = paths[i];
    struct stat st;
    w->paths[i] = normalise_given(p);
    if (stat(p, &st) != 0) {
      rl_error_set("%s: %s", p, strerror(errno));
      goto fail;
    }
    if (S_ISDIR(st.st_mode)) {
      DIR *d = opendir(p);
      if (!d) {
        rl_error_set("%s: cannot read directory: %s", p, strerror(errno));
        goto fail;
      }
      closedir(d);
    } else if (S_ISREG(st.st_mode) && probe_read(p) != 0) {
      rl_error_set("%s: %s", p, strerror(errno));
      goto fail;
    }
  }
  *out = w;
  return 0;
fail:
  rl_walk_free(w);
  return RL_EIO;
}

int rl_walk_next(rl_walk *w, rl_walk_entry *out) {
  for (;;) {
    if (w->err) return w->err;
    if (!w->in_root) {
      if (w->next_path == w->npaths) return 0;
      const char *given = w->paths[w->next_path++];
      struct stat st;
      buf_reset(&w->detail);
      make_path(&w->display, given, "");
      if (stat(w->display.ptr, &st) != 0) {
        /* It existed when the walk started. */
        rl_buf_printf(&w->detail, "%s: %s", w->display.ptr, strerror(errno));
        return yield(w, out, rl_lang_for_path(given), RL_SKIP_UNREADABLE, 1);
      }
      if (S_ISDIR(st.st_mode)) {
        if (start_root(w, given, &st, out)) return 1;
        continue;
      }
      /* A file named on the command line is always reported. */
      rl_lang lang = rl_lang_for_path(given);
      if (!S_ISREG(st.st_mode)) {
        rl_buf_printf(&w->detail, "%s is a %s, not opened", w->display.ptr, type_name(st.st_mode));
        return yield(w, out, lang, RL_SKIP_SPECIAL, 1);
      }
      if (lang == RL_LANG_NONE) {
        rl_buf_printf(&w->detail, "%s is not a JavaScript, TypeScript or dotenv file", w->display.ptr);
        return yield(w, out, lang, RL_SKIP_NOT_SOURCE, 1);
      }
      const char *why = NULL;
      if (w->force_exclude && named_file_ignored(w, &why)) {
        if (w->err) return w->err;
        char *reason = rl_xstrdup(why);
        make_path(&w->display, given, "");
        buf_reset(&w->detail);
        rl_buf_printf(&w->detail, "%s is %s (--force-exclude)", w->display.ptr, reason);
        free(reason);
        return yield(w, out, lang, RL_SKIP_IGNORED, 1);
      }
      if (file_seen(w, &st)) {
        if (w->err) return w->err;
        continue;
      }
      if (w->git_source) {
        int got = yield_from_git(w, out, w->display.ptr, lang, 1);
        if (w->err) return w->err;
        if (!got) continue; /* not in the index (or the tree): nothing of it is committed */
        return 1;
      }
      yield(w, out, lang, RL_SKIP_NONE, 1);
      set_id(out, &st, 0); /* a named file may be a link */
      return 1;
    }
    if (w->depth == 0) {
      end_root(w);
      continue;
    }
    frame *f = &w->stack[w->depth - 1];
    if (f->idx == f->n) {
      pop_dir(w);
      continue;
    }
    const char *entry = f->sorted[f->idx++];
    int got = visit(w, entry, out);
    if (w->err) return w->err;
    if (got) return 1;
  }
}

void rl_walk_free(rl_walk *w) {
  if (!w) return;
  end_root(w);
  for (size_t i = 0; i < w->npaths; i++) free(w->paths[i]);
  free(w->paths);
  free(w->stack);
  free(w->lists);
  free(w->vis);
  free(w->extra_text);
  free(w->extra_base);
  rl_buf_free(&w->mpath);
  rl_buf_free(&w->display);
  rl_buf_free(&w->detail);
  rl_buf_free(&w->scratch);
  rl_buf_free(&w->note);
  rl_gitrepo_free(w->git);
  free(w->git_bytes);
  free(w);
}

/* ---- one path, judged as the walk would -------------------------------- */

/* 1 if directory b is a (or the) directory at or under directory a. */
static int under(const char *a, const char *b) {
  size_t n = strlen(a);
  if (strcmp(a, "/") == 0) return 1;
  return strncmp(a, b, n) == 0 && (b[n] == '\0' || b[n] == '/');
}

/* realpath of dir, or, when dir does not exist (yet), of its nearest
 * existing ancestor with the missing names appended; NULL if a missing part
 * is "." or "..". Caller frees. */
static char *resolve_dir(const char *dir) {
  char *head = rl_xstrdup(dir);
  size_t cut = strlen(head);
  for (;;) {
    char *real = realpath(head, NULL);
    if (real) {
      rl_buf b = {0};
      rl_buf_puts(&b, real);
      free(real);
      const char *rest = dir + cut;
      int bad = 0;
      while (*rest == '/') rest++;
      for (const char *p = rest; *p;) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.')) bad = 1;
        p += n;
        while (*p == '/') p++;
      }
      if (*rest && !bad) {
        if (strcmp(b.ptr, "/") != 0) rl_buf_putc(&b, '/');
        rl_buf_puts(&b, rest);
      }
      free(head);
      if (bad) {
        rl_buf_free(&b);
        return NULL;
      }
      return rl_buf_detach(&b);
    }
    char *slash = strrchr(head, '/');
    if (!slash) {
      if (strcmp(head, ".") == 0) break;
      cut = 0;
      free(head);
      head = rl_xstrdup(".");
      continue;
    }
    if (slash == head) {
      if (!head[1]) break;
      cut = 1;
      head[1] = '\0';
      continue;
    }
    cut = (size_t)(slash - head);
    *slash = '\0';
  }
  free(head);
  return NULL;
}

/* ---- many paths, judged as the walk would (cached per directory) ------ */

/* A directory as the judge knows it, from the top it was judged from: the
 * ignore files read there, or why a list above (or the default list) leaves
 * it out; its match path below the top. */
typedef struct judge_dir {
  struct judge_dir *parent; /* NULL: the top */
  ig_list *lists;           /* this directory's ignore files (owned) */
  size_t nlists;
  char *mpath; /* "" at the top */
  char *why;   /* left out: why (and so is everything below); else NULL */
} judge_dir;

struct rl_walk_judge {
  pthread_mutex_t mu;
  int no_ignore;
  char *extra_text; /* extra_ignores joined by newlines, NULL if none */
  size_t extra_len;
  rl_smap dirs;   /* top "\n" real directory -> judge_dir */
  rl_smap reals;  /* directory as named -> resolve_dir() of it, or NULL */
  rl_smap roots;  /* root as named -> its realpath, or NULL */
  rl_smap tops;   /* real directory -> 1 + work_tree_top() */
  rl_smap extras; /* match path of the root below its top -> extra_text compiled there */
  rl_walk w;      /* scratch: the lists of one chain (borrowed), the extra list */
};

int rl_walk_judge_new(rl_walk_judge **out, const rl_walk_options *opts) {
  rl_walk_judge *j = rl_xcalloc(1, sizeof *j);
  pthread_mutex_init(&j->mu, NULL);
  j->no_ignore = opts && opts->no_ignore;
  if (opts && opts->extra_ignores && opts->extra_ignores[0]) {
    rl_buf b = {0};
    for (size_t i = 0; opts->extra_ignores[i]; i++) {
      rl_buf_puts(&b, opts->extra_ignores[i]);
      rl_buf_putc(&b, '\n');
    }
    j->extra_len = b.len;
    j->extra_text = rl_buf_detach(&b);
  }
  *out = j;
  return 0;
}

static void judge_dir_free(void *v) {
  judge_dir *d = v;
  if (!d) return;
  for (size_t i = 0; i < d->nlists; i++) {
    rl_ignore_free(d->lists[i].ig);
    free(d->lists[i].label);
  }
  free(d->lists);
  free(d->mpath);
  free(d->why);
  free(d);
}

static void ignore_free_v(void *v) { rl_ignore_free(v); }

void rl_walk_judge_free(rl_walk_judge *j) {
  if (!j) return;
  rl_smap_free(&j->dirs, judge_dir_free);
  rl_smap_free(&j->reals, free);
  rl_smap_free(&j->roots, free);
  rl_smap_free(&j->tops, NULL);
  rl_smap_free(&j->extras, ignore_free_v);
  j->w.nlists = 0; /* borrowed */
  free(j->w.lists);
  rl_buf_free(&j->w.scratch);
  free(j->extra_text);
  pthread_mutex_destroy(&j->mu);
  free(j);
}

/* The scratch walk's lists: those of d and every directory above it,
 * outermost first (borrowed from the judge_dirs). */
static void judge_lists(rl_walk_judge *j, const judge_dir *d) {
  size_t n = 0;
  for (const judge_dir *a = d; a; a = a->parent) n += a->nlists;
  if (n > j->w.caplists) {
    j->w.caplists = n;
    j->w.lists = rl_xreallocarray(j->w.lists, n, sizeof *j->w.lists);
  }
  j->w.nlists = n;
  for (const judge_dir *a = d; a; a = a->parent) {
    n -= a->nlists;
    if (a->nlists) memcpy(j->w.lists + n, a->lists, a->nlists * sizeof *a->lists);
  }
}

/* The judge_dir of real[0..rl), judged down from top real[0..tl); NULL with
 * the walk's error set when an ignore file could not be read for want of
 * descriptors or memory. */
static judge_dir *judge_dir_of(rl_walk_judge *j, const char *real, size_t tl, size_t rl) {
  rl_buf key = {0};
  rl_buf_put(&key, real, tl);
  rl_buf_putc(&key, '\n');
  rl_buf_put(&key, real, rl);
  void **hit = rl_smap_get(&j->dirs, key.ptr);
  if (hit) {
    rl_buf_free(&key);
    return *hit;
  }
  judge_dir *d = rl_xcalloc(1, sizeof *d), *parent = NULL;
  char *fs = rl_xstrndup(real, rl);
  const char *name = NULL;
  size_t nl = 0;
  if (rl > tl) {
    size_t cut = rl;
    while (cut > tl && real[cut - 1] != '/') cut--;
    name = real + cut;
    size_t pl = cut > 0 ? cut - 1 : 0;
    parent = judge_dir_of(j, real, tl, pl < tl ? tl : pl);
    if (!parent) goto fail;
    d->parent = parent;
    nl = rl - (size_t)(name - real);
    rl_buf mp = {0};
    if (parent->mpath[0]) rl_buf_printf(&mp, "%s/", parent->mpath);
    rl_buf_put(&mp, name, nl);
    d->mpath = rl_buf_detach(&mp);
  } else {
    d->mpath = rl_xstrdup("");
  }
  if (parent && parent->why) {
    d->why = rl_xstrdup(parent->why);
  } else {
    const char *why_s = NULL;
    judge_lists(j, parent);
    char *base_name = name ? rl_xstrndup(name, nl) : NULL;
    if (parent && ignored_untracked(&j->w, d->mpath, base_name, 1, &why_s))
      d->why = rl_xstrdup(why_s ? why_s : "ignored");
    free(base_name);
    if (!d->why) {
      size_t n0 = j->w.nlists;
      load_ignore_files(&j->w, fs, d->mpath, fs, IGNORE_FILES_ALL);
      d->nlists = j->w.nlists - n0;
      if (d->nlists) {
        d->lists = rl_xreallocarray(NULL, d->nlists, sizeof *d->lists);
        memcpy(d->lists, j->w.lists + n0, d->nlists * sizeof *d->lists);
      }
      if (j->w.err) goto fail;
    }
  }
  j->w.nlists = 0;
  rl_smap_put(&j->dirs, key.ptr, d);
  rl_buf_free(&key);
  free(fs);
  return d;
fail:
  j->w.nlists = 0;
  judge_dir_free(d);
  rl_buf_free(&key);
  free(fs);
  return NULL;
}

/* resolve_dir(dir), cached; borrowed. */
static const char *judge_real_dir(rl_walk_judge *j, const char *dir) {
  void **hit = rl_smap_get(&j->reals, dir);
  if (hit) return *hit;
  char *real = resolve_dir(dir);
  rl_smap_put(&j->reals, dir, real);
  return real;
}

/* Splits path into its directory (caller frees) and its last name. */
static char *split_path(const char *path, const char **base) {
  const char *slash = strrchr(path, '/');
  *base = slash ? slash + 1 : path;
  if (!slash) return rl_xstrdup(".");
  if (slash == path) return rl_xstrdup("/");
  return rl_xstrndup(path, (size_t)(slash - path));
}

char *rl_walk_judge_realpath(rl_walk_judge *j, const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0) return NULL;
  const char *base;
  char *dir = split_path(path, &base);
  if (S_ISLNK(st.st_mode) || !base[0] || !strcmp(base, ".") || !strcmp(base, "..")) {
    free(dir);
    return realpath(path, NULL);
  }
  pthread_mutex_lock(&j->mu);
  const char *rd = judge_real_dir(j, dir);
  char *out = NULL;
  if (rd) {
    rl_buf b = {0};
    rl_buf_printf(&b, "%s%s%s", rd, strcmp(rd, "/") ? "/" : "", base);
    out = rl_buf_detach(&b);
  }
  pthread_mutex_unlock(&j->mu);
  free(dir);
  return out;
}

/* work_tree_top(real[0..len)), cached per directory: a directory's top is
 * its own when it holds .git, else its parent's, which the cache then knows
 * for its siblings (one lstat per directory, not one per ancestor). */
static size_t judge_top(rl_walk_judge *j, const char *real, size_t len) {
  char *key = rl_xstrndup(real, len);
  void **hit = rl_smap_get(&j->tops, key);
  if (hit) {
    free(key);
    return (size_t)(uintptr_t)*hit - 1;
  }
  size_t top;
  buf_reset(&j->w.scratch);
  rl_buf_put(&j->w.scratch, real, len);
  rl_buf_puts(&j->w.scratch, len == 1 ? ".git" : "/.git");
  struct stat st;
  if (lstat(j->w.scratch.ptr, &st) == 0) {
    top = len;
  } else if (len <= 1) {
    top = 0;
  } else {
    size_t up = len;
    while (up > 1 && real[up - 1] != '/') up--;
    if (up > 1) up--; /* drop the slash, except the one of "/" */
    top = judge_top(j, real, up);
  }
  rl_smap_put(&j->tops, key, (void *)(uintptr_t)(1 + top));
  free(key);
  return top;
}

static int judge_path_locked(rl_walk_judge *j, const char *path, const char *root, char **why) {
  const char *base;
  char *dir = split_path(path, &base);
  const char *real = judge_real_dir(j, dir);
  free(dir);
  const char *rkey = root ? root : ".";
  void **rhit = rl_smap_get(&j->roots, rkey);
  if (!rhit) {
    rl_smap_put(&j->roots, rkey, realpath(rkey, NULL));
    rhit = rl_smap_get(&j->roots, rkey);
  }
  const char *root_real = *rhit;
  if (!real || !base[0]) return 0;
  size_t top = judge_top(j, real, strlen(real)), rl = strlen(real), tl;
  /* Outside a work tree the scan root is the top, as for a walk from it. */
  if (top)
    tl = top;
  else if (root_real && under(root_real, real))
    tl = strlen(root_real);
  else
    tl = rl;
  j->w.extra.ig = NULL;
  j->w.extra.label = "the ignore option";
  if (j->extra_text) {
    const char *rbase = "";
    int top_is_slash = tl == 1 && real[0] == '/';
    if (root_real && !top_is_slash && !strncmp(root_real, real, tl) && (root_real[tl] == '/' || !root_real[tl]))
      rbase = root_real + tl + (root_real[tl] == '/');
    void **ehit = rl_smap_get(&j->extras, rbase);
    if (!ehit) {
      rl_smap_put(&j->extras, rbase, rl_ignore_new(rbase, j->extra_text, j->extra_len));
      ehit = rl_smap_get(&j->extras, rbase);
    }
    j->w.extra.ig = *ehit;
  }
  j->w.err = 0;
  judge_dir *d = judge_dir_of(j, real, tl, rl);
  int rc = 0;
  const char *why_s = NULL;
  if (!d) {
    rc = j->w.err ? j->w.err : RL_EIO;
  } else if (d->why) {
    rc = 1;
    why_s = d->why;
  } else {
    judge_lists(j, d);
    rl_buf mp = {0};
    rl_buf_printf(&mp, "%s%s%s", d->mpath, d->mpath[0] ? "/" : "", base);
    rc = ignored_untracked(&j->w, mp.ptr, base, 0, &why_s);
    rl_buf_free(&mp);
    j->w.nlists = 0;
  }
  if (rc == 1 && why_s) *why = rl_xstrdup(why_s);
  j->w.extra.ig = NULL;
  j->w.extra.label = NULL;
  return rc;
}

int rl_walk_judge_path(rl_walk_judge *j, const char *path, const char *root, char **why) {
  *why = NULL;
  if (j->no_ignore) return 0;
  pthread_mutex_lock(&j->mu);
  int rc = judge_path_locked(j, path, root, why);
  pthread_mutex_unlock(&j->mu);
  return rc;
}

int rl_walk_path_ignored(const char *path, const char *root, const rl_walk_options *opts, char **why) {
  rl_walk_judge *j;
  rl_walk_judge_new(&j, opts);
  int rc = rl_walk_judge_path(j, path, root, why);
  rl_walk_judge_free(j);
  return rc;
}
