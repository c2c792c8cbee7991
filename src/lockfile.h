#ifndef RL_LOCKFILE_H
#define RL_LOCKFILE_H
/* Package versions as a project's lockfile pins them: package-lock.json
 * and npm-shrinkwrap.json (lockfile versions 1 to 3), yarn.lock (classic and
 * berry) and pnpm-lock.yaml. Text only: nothing here reads a file. */
#include <stddef.h>

/* 1 if base is the name of a lockfile this reads. */
int rl_lockfile_is_name(const char *base);

/* The version that the lockfile text (of file name base) pins for npm
 * package name. A lockfile may pin several (one per dependent); the one of
 * lowest major version is the answer, since the app may load any of them.
 * Returns that major version and copies the version ("9.0.2") into out
 * (truncated to outsz); -1 when the lockfile has no entry for name. */
int rl_lockfile_version(const char *base, const char *text, size_t len, const char *name, char *out, size_t outsz);

/* The lowest major version that a package.json range admits ("^9.0.2",
 * ">=9", "9.x", "~9.1 || ^10": 9), or -1 when the range has no plain lower
 * bound ("*", "<10", "latest", a git URL). */
int rl_semver_range_floor(const char *range, size_t len);

#endif
