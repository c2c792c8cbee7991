#ifndef RL_IGNORE_H
#define RL_IGNORE_H
/* gitignore-syntax pattern lists (.gitignore, .roomlintignore): blank lines,
 * # comments, \# and \! escapes, trailing-space rules, ! negation, leading /
 * or an inner / anchors to the file's directory, trailing / matches only
 * directories, * ? [a-z] [!x] classes, ** in all its positions.
 * Matching is iterative with bounded work (no exponential backtracking). */
#include <stddef.h>

typedef struct rl_ignore rl_ignore;

/* Compiles the text of one ignore file whose directory is `base` (a path
 * relative to the scan root, "" for the root itself, '/'-separated). Never
 * fails; malformed patterns are dropped. */
rl_ignore *rl_ignore_new(const char *base, const char *text, size_t len);
void rl_ignore_free(rl_ignore *ig);

/* Verdict of one list for path (relative to the scan root, '/'-separated):
 * 1 = ignored, -1 = explicitly re-included by a ! pattern, 0 = no pattern
 * matched. The last matching pattern wins, as in git. */
int rl_ignore_match(const rl_ignore *ig, const char *path, int is_dir);

/* A glob match of one gitignore-style pattern against one path, exposed for
 * tests and fuzzing: the whole path, with git's pathname semantics (* ? and
 * [...] never match '/', ** as in gitignore); no ! or trailing-/ handling.
 * 1 on a match; 0 otherwise, and always 0 for a malformed pattern. */
int rl_glob_match(const char *pattern, size_t plen, const char *path, size_t len);

#endif
