#ifndef RL_WALK_H
#define RL_WALK_H
/* File discovery. Yields files in a deterministic order (directory entries
 * sorted by byte-wise name, depth first), and for every file it will not hand
 * to the scanner a skip reason, so nothing is skipped silently.
 *
 * - Default ignored directories: .git node_modules dist build out .next
 *   coverage vendor (not reported: they are ignored, not skipped).
 * - .gitignore files (nested, with negation; also those of parent directories
 *   up to the enclosing git work tree) and .roomlintignore, unless no_ignore.
 *   Git's ignore rules apply to untracked files only: a file the git index
 *   tracks is walked whatever a .gitignore says (with a note saying so), and
 *   an ignored directory is entered for its tracked files alone.
 *   .roomlintignore and extra_ignores are the user's choice and always apply.
 * - Symlinks below a root are never followed. A link whose target is inside
 *   the root is passed over (through on_passed_over): the target is walked at
 *   its own path, so nothing is scanned or reported twice. A link outside is
 *   RL_SKIP_SYMLINK_OUT; a cycle, a dangling link or a link loop is
 *   RL_SKIP_SYMLINK_LOOP. A root or file named by the caller may be a link.
 * - FIFOs, sockets and devices are RL_SKIP_SPECIAL and never opened.
 * - A named PATH an ignore rule covers is scanned, unless force_exclude
 *   (then RL_SKIP_IGNORED).
 * - Files of no known language are passed over silently when found by the
 *   walk; an explicitly named one is RL_SKIP_NOT_SOURCE.
 * - Display paths: the given path (leading "./" and trailing '/' dropped)
 *   joined with the path below it by '/': "." -> "src/a.js", "app" ->
 *   "app/src/a.js", "/abs" -> "/abs/x.js". fs_path is the same string.
 * Content checks (size, binary, minified) happen when the file is read. */
#include <stddef.h>

#include "source.h"

typedef struct rl_walk_options {
  int no_ignore; /* --no-ignore: no default dirs, no ignore files, no extra_ignores */
  /* extra gitignore-style patterns (config), NULL-terminated, anchored at each
   * scan root; they outrank every ignore file */
  const char *const *extra_ignores;
  /* the real path of the directory extra_ignores are anchored at (the
   * config file's), or NULL: at each scan root */
  const char *extra_base;
  /* --force-exclude: a PATH named by the caller that an ignore file, the
   * extra patterns or a default directory leaves out is left out too
   * (RL_SKIP_IGNORED, so it is said) */
  int force_exclude;
  /* Told about each directory left out and why ("ignored by default",
   * "ignored by src/.gitignore", ...) */
  /* told of each directory an ignore rule excludes and each link passed
   * over, with the reason; may be NULL */
  void (*on_passed_over)(void *data, const char *display, const char *why);
  void *data;
  /* a file the walk must not hand out (the -o report): meeting it stops the
   * walk with RL_EUSAGE, as scanning it would overwrite a source file */
  int has_protect;
  unsigned long long protect_dev, protect_ino;
  /* --staged / --baseline-ref: each file's content comes from the git index
   * (RL_GIT_INDEX) or from the tree of git_rev (RL_GIT_TREE) instead of the
   * disk; a file that source does not hold is not yielded. 0: the disk. */
  int git_source;
  const char *git_rev;
  size_t max_file_size; /* for content read from git */
} rl_walk_options;

typedef struct rl_walk_entry {
  const char *fs_path; /* path to open (borrowed, valid until the next call) */
  const char *display; /* display path (borrowed, same lifetime) */
  rl_lang lang;
  int is_explicit;         /* named on the command line */
  rl_skip skip;            /* RL_SKIP_NONE: scan it */
  const char *skip_detail; /* e.g. "link to /etc/passwd leaves the scanned root" */
  rl_file_id id;           /* the file seen, for rl_file_read_as (RL_SKIP_NONE) */
  const char *note;        /* a remark for -v (a tracked file .gitignore lists), or NULL */
  const char *bytes;       /* git_source: the content (borrowed, same lifetime), else NULL */
  size_t len;
} rl_walk_entry;

typedef struct rl_walk rl_walk;

/* Starts a walk over paths (files or directories). A path that does not
 * exist or cannot be read is an error: RL_EIO with a message naming it. */
int rl_walk_new(rl_walk **out, const char *const *paths, size_t npaths, const rl_walk_options *opts);
/* 1 with *out filled, 0 when done, negative on a fatal error. */
int rl_walk_next(rl_walk *w, rl_walk_entry *out);
void rl_walk_free(rl_walk *w);

/* Would a walk leave out the file at path (which need not exist: standard
 * input, an editor's buffer)? Judged as a walk from the top of the git work
 * tree around it (else from root, when path is under it, else from its own
 * directory) would: the ignore files of each directory on the way, the
 * default ignored directories, and opts->extra_ignores anchored at root.
 * Returns 1 with *why ("ignored by src/.gitignore"; caller frees), 0, or
 * RL_EIO when descriptors or memory ran out. */
int rl_walk_path_ignored(const char *path, const char *root, const rl_walk_options *opts, char **why);

/* The same question for many paths (the project model's modules): a judge
 * reads each directory's ignore files once and keeps them, with what it
 * resolved (real paths, work-tree tops) for the rest of the run. Uses
 * opts->no_ignore and opts->extra_ignores (copied). Thread-safe. */
typedef struct rl_walk_judge rl_walk_judge;
int rl_walk_judge_new(rl_walk_judge **out, const rl_walk_options *opts);
void rl_walk_judge_free(rl_walk_judge *j);
/* rl_walk_path_ignored, judged with what j holds. */
int rl_walk_judge_path(rl_walk_judge *j, const char *path, const char *root, char **why);
/* realpath(path) (caller frees; NULL if it cannot be resolved), its
 * directory's resolved once per run. */
char *rl_walk_judge_realpath(rl_walk_judge *j, const char *path);

#endif
