#ifndef RL_GITREPO_H
#define RL_GITREPO_H
/* Everything roomlint reads from git, through libgit2: the ONLY file that
 * includes git2.h. One answer per question:
 *   - which paths does the index track (the walk: a tracked file is scanned
 *     whatever .gitignore says);
 *   - what is a path's content in the index (--staged) or in a commit's tree
 *     (--baseline-ref), read from the object database, never a checkout;
 *   - every blob reachable from a range of commits, each once (--history).
 * Paths are '/'-separated and relative to the work tree's top. A handle is
 * used by one thread at a time. */
#include <stddef.h>

#include "source.h"

typedef struct rl_gitrepo rl_gitrepo;

/* Opens the repository whose work tree holds directory dir (searching its
 * parents). RL_ENOTFOUND, with no message worth showing, when dir is in no
 * repository; RL_EIO with a message when one is there but cannot be read.
 * Caller frees with rl_gitrepo_free. */
int rl_gitrepo_open(rl_gitrepo **out, const char *dir);
void rl_gitrepo_free(rl_gitrepo *g);
/* libgit2 keeps per-thread state that it frees when a thread ends only while
 * the library is initialised: a caller whose worker threads may open
 * repositories holds it for as long as they run (hold, then release once). */
void rl_gitrepo_hold(void);
void rl_gitrepo_release(void);

/* The work tree's top, absolute, no trailing '/' (borrowed). */
const char *rl_gitrepo_workdir(const rl_gitrepo *g);

/* 1 if the index tracks path. */
int rl_gitrepo_tracked(const rl_gitrepo *g, const char *path);
/* 1 if the index tracks some path below directory dir ("dir/..."). */
int rl_gitrepo_tracked_below(const rl_gitrepo *g, const char *dir);

/* Where rl_gitrepo_read looks: the index, or the tree of a revision. */
typedef enum rl_git_source { RL_GIT_INDEX = 1, RL_GIT_TREE = 2 } rl_git_source;

/* Resolves rev ("main", "origin/main", "HEAD~3", a commit id) to the tree
 * rl_gitrepo_read(RL_GIT_TREE) reads. RL_EUSAGE naming rev if it is not a
 * commit of this repository. */
int rl_gitrepo_use_rev(rl_gitrepo *g, const char *rev);

/* The content of path in the index or the chosen tree: RL_SKIP_NONE with
 * *out (caller frees, NUL-terminated) and *len; RL_SKIP_TOO_LARGE (sized
 * from the object header, nothing read) or RL_SKIP_BINARY; RL_SKIP_UNREADABLE
 * with a message when the object is damaged. *present is 0 when the source
 * has no such file (then nothing else is set). */
rl_skip rl_gitrepo_read(rl_gitrepo *g, rl_git_source src, const char *path, size_t max_size, int *present, char **out,
                        size_t *len);

/* ---- history ---------------------------------------------------------------- */

/* One blob met by the history walk, valid during the callback. */
typedef struct rl_git_blob {
  const char *path;   /* where it was first met (oldest commit first) */
  const char *commit; /* 40 hex digits: that commit */
  long long time;     /* its commit time, seconds since the epoch */
  const char *oid;    /* the blob's id, 40 hex digits */
  int at_head;        /* HEAD's tree holds this very blob (at any path) */
  rl_skip skip;       /* RL_SKIP_NONE, RL_SKIP_TOO_LARGE, RL_SKIP_BINARY, RL_SKIP_UNREADABLE */
  const char *detail; /* why, for a skip (NULL otherwise) */
  const char *bytes;  /* the content when not skipped */
  size_t len;
} rl_git_blob;

typedef struct rl_git_history_stats {
  size_t commits;        /* commits read */
  size_t blobs;          /* distinct blobs handed to the callback */
  size_t binary;         /* of which binary */
  size_t too_large;      /* of which over max_size (never read) */
  size_t unreadable;     /* objects that could not be read (damaged repository) */
  size_t shallow;        /* parents missing because the clone is shallow */
  char first_error[256]; /* the first unreadable object and why, or "" */
  char head[41];         /* HEAD's commit id, or "" */
} rl_git_history_stats;

/* Walks every commit reachable from range ("A..B", one revision, or NULL
 * for every ref and HEAD), oldest first by commit time, and hands each
 * distinct blob whose path want(data, path) accepts to fn once (a tree met before is
 * not read again). Blob memory: one blob at a time, a blob over max_size is
 * never read. A shallow clone's missing parents are counted, not an error; a
 * damaged object is counted and named in st->first_error and the walk goes
 * on. Returns 0, fn's negative return, or RL_EUSAGE for a bad range. */
int rl_gitrepo_history(rl_gitrepo *g, const char *range, size_t max_size, int (*want)(void *data, const char *path),
                       int (*fn)(void *data, const rl_git_blob *b), void *data, rl_git_history_stats *st);

/* "origin"'s URL, else the work tree as a file:// URI (for SARIF); caller
 * frees. The current branch's short name, or NULL (caller frees). */
char *rl_gitrepo_uri(const rl_gitrepo *g);
char *rl_gitrepo_branch(const rl_gitrepo *g);

#endif
